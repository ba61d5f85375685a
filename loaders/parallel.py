"""An ordered map over worker processes with a bounded window: results come back in input order
and at most `window` chunks are in flight, so memory stays flat however long the input is.
With one job everything runs in this process (same results, easier to debug)."""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:          # not on Linux
        return max(1, os.cpu_count() or 1)


def ordered_map(fn: Callable[[T], R], items: Iterable[T], jobs: int | None = None, *,
                chunk: int = 8, window: int | None = None, per_job: int = 4,
                initializer: Callable[[], None] | None = None) -> Iterator[R]:
    """fn over items in `jobs` worker processes, yielded in input order. Items are read lazily:
    at most `window` chunks of `chunk` items (default: `per_job` per worker) are submitted and
    not yet yielded. fn and its items must pickle; an exception in fn is raised here, at its
    item's turn."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1:
        if initializer:
            initializer()
        for item in items:
            yield fn(item)
        return
    window = window or per_job * jobs
    source = iter(items)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=fork_context(),
                             initializer=initializer) as pool:
        pending: deque = deque()
        try:
            while True:
                while len(pending) < window:
                    batch = list(islice(source, chunk))
                    if not batch:
                        break
                    pending.append(pool.submit(_run_chunk, fn, batch))
                if not pending:
                    return
                yield from pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def fork_context():
    """fork where there is one: workers start at once with this process's warm caches
    (gazetteer, compiled shapes)."""
    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                       else None)


def _run_chunk(fn: Callable[[T], R], batch: list[T]) -> list[R]:
    return [fn(item) for item in batch]
