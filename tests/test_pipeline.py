"""The parallel load: worker processes give the same store and the same report as a serial
load, commits follow input order, and the input is read lazily through a bounded window."""
from __future__ import annotations

import errno
import io
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from builders import ROOT
from stancegraph.loaders.parallel import ordered_map
from stancegraph.loaders.pipeline import load_articles
from stancegraph.loaders.read.jsonl import read_jsonl
from stancegraph.loaders.store import open_store
from stancegraph.ontology.vocab import SG

sys.path.insert(0, str(ROOT / "bench"))
from corpus import generate  # noqa: E402


def generated(n: int, seed: int = 5):
    return read_jsonl("\n".join(json.dumps(item) for item in generate(n, seed)), "generated.jsonl")


def quads(store) -> tuple[list[str], int]:
    """The store as sorted N-Quads less the record-time stamps (the only wall-clock values) and
    the store's own id (each store has its own), and the number of quads with blank nodes (the
    gazetteer's offices; labels differ per load)."""
    out = io.BytesIO()
    store.export("nq", out)
    lines = [line for line in out.getvalue().decode().splitlines()
             if line and f"<{SG.recordedAt}>" not in line and f"<{SG.storeId}>" not in line]
    return sorted(line for line in lines if "_:" not in line), sum("_:" in line for line in lines)


def test_a_parallel_load_gives_the_same_store_and_report_as_a_serial_one(tmp_path):
    articles = generated(30)
    # One article built by hand with a language tag the shapes refuse: refused alone.
    bad = replace(articles[11], id="test:bad-language", title="Bad language tag", language="English")
    articles = articles[:12] + [bad] + articles[12:] + articles[:3]   # duplicates: loaded once
    serial, parallel = open_store(tmp_path / "serial"), open_store(tmp_path / "parallel")
    one = load_articles(articles, serial, jobs=1)
    two = load_articles(iter(articles), parallel, jobs=2)
    assert (two.added, two.unchanged, two.claims, two.errors, two.rejected) == \
           (one.added, one.unchanged, one.claims, one.errors, one.rejected) == \
           (30, 3, one.claims, [], one.rejected)
    assert [line.split(":")[0] for line in one.rejected] == ["article 'Bad language tag'"]
    assert "inLanguage" in one.rejected[0]
    assert one.claims > 300
    assert quads(parallel) == quads(serial)
    assert parallel.stats()["articles"] == 30


def test_articles_are_committed_in_input_order(tmp_path):
    articles = generated(20, seed=8)
    seen = []
    load_articles(iter(articles), open_store(tmp_path / "store"), progress=seen.append, jobs=2)
    assert [a.id for a in seen] == [a.id for a in articles]


def square(x: int) -> int:
    return x * x


def fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("three")
    return x


def test_ordered_map_keeps_order_and_reads_the_input_lazily():
    pulled = []

    def source():
        for i in range(200):
            pulled.append(i)
            yield i

    results = ordered_map(square, source(), 2, chunk=4, window=3)
    first = next(results)
    assert first == 0
    assert len(pulled) <= 4 * 4                   # the window, plus the chunk refilling it
    assert [first, *results] == [i * i for i in range(200)]


def test_ordered_map_raises_a_workers_exception_at_its_items_turn():
    results = ordered_map(fail_on_three, range(10), 2, chunk=1)
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(ValueError, match="three"):
        next(results)


def test_ordered_map_with_one_job_runs_in_this_process():
    assert list(ordered_map(square, range(5), 1)) == [0, 1, 4, 9, 16]


def test_extract_writes_the_first_claims_before_it_has_read_every_article(tmp_path):
    """Streaming output: the first JSONL line arrives while later articles are still ahead."""
    import subprocess

    from corpus import write_jsonl

    source = write_jsonl(tmp_path / "many.jsonl", 400, seed=2)
    proc = subprocess.Popen([str(Path(sys.executable).parent / "stancegraph"), "extract", str(source),
                             "--format", "jsonl", "--jobs", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = json.loads(proc.stdout.readline())
        still_running = proc.poll() is None
        rest = [json.loads(line) for line in proc.stdout]
    finally:
        proc.wait(120)
    assert first["article"]["title"] == generated(400, seed=2)[0].title
    assert still_running
    assert proc.returncode == 0
    assert len({r["article"]["id"] for r in [first, *rest]}) == 400


def test_new_articles_written_many_at_a_time_give_the_same_store_and_report_as_one_by_one(tmp_path):
    """Batches of 7 cut across a refused article, articles met again later in the load (checked
    again at commit, so the batch before them must be stored by then) and a changed version of
    an earlier article (replaced in a transaction of its own)."""
    articles = generated(30, seed=9)
    bad = replace(articles[4], id="test:bad-language", title="Bad language tag", language="English")
    changed = replace(articles[7], body=articles[7].body + " Officials said nothing more.")
    articles = (articles[:5] + [bad, articles[3]] + articles[5:9] + [changed] + articles[9:20]
                + articles[:2] + articles[20:])
    one_by_one, batched = open_store(tmp_path / "one"), open_store(tmp_path / "batched")
    one = load_articles(articles, one_by_one, jobs=1, commit_every=1)
    seen = []
    many = load_articles(iter(articles), batched, jobs=2, commit_every=7, progress=seen.append)
    assert (many.added, many.replaced, many.unchanged, many.claims, many.errors, many.rejected) == \
           (one.added, one.replaced, one.unchanged, one.claims, one.errors, one.rejected) == \
           (30, 1, 3, one.claims, [], one.rejected)
    assert [line.split(":")[0] for line in one.rejected] == ["article 'Bad language tag'"]
    assert [a.id for a in seen] == [a.id for a in articles]
    assert quads(batched) == quads(one_by_one)


def sst_files(store) -> int:
    return sum(1 for entry in os.scandir(store.path) if entry.name.endswith(".sst"))


def test_a_big_load_ends_compacted_and_a_small_load_into_a_big_store_does_not(tmp_path, monkeypatch):
    """Each bulk write adds files to the engine's first level: a load whose bulk writes are big,
    and a large share of the store, merges them all before it returns (the same quads, fewer
    files); a load that adds little to a big store, or little at all, leaves it to the engine.
    (Here "big" is lowered from COMPACT_AFTER_BYTES to nothing.)"""
    from stancegraph.loaders.store import oxigraph

    articles = generated(60, seed=6)
    plain = open_store(tmp_path / "plain")
    load_articles(articles, plain, jobs=1, commit_every=5)          # 60 articles: not big
    monkeypatch.setattr(oxigraph, "COMPACT_AFTER_BYTES", 0)
    settled = open_store(tmp_path / "settled")
    load_articles(articles, settled, jobs=1, commit_every=5)
    monkeypatch.setattr(oxigraph, "COMPACT_AFTER_SHARE", 1e9)
    unsettled = open_store(tmp_path / "unsettled")
    load_articles(articles, unsettled, jobs=1, commit_every=5)
    assert quads(settled) == quads(unsettled) == quads(plain)
    assert sst_files(settled) < min(sst_files(unsettled), sst_files(plain))
    monkeypatch.setattr(oxigraph, "COMPACT_AFTER_SHARE", 0.25)
    compacted = sst_files(settled)
    report = load_articles(generated(2, seed=7), settled, jobs=1)
    assert report.added == 2 and sst_files(settled) > compacted


class RefusingStore:
    """The embedded store, refusing to write one article (as a full disk or a broken index
    would refuse a write): its batch write fails whole, and so does the article's own."""

    def __init__(self, store, refused_id: str):
        self._store, self._refused = store, refused_id
        self.batches: list[int] = []

    def __getattr__(self, name):
        return getattr(self._store, name)

    def put_new_articles(self, items):
        self.batches.append(len(items))
        if any(article.id == self._refused for article, _ in items):
            raise OSError(errno.ENOSPC, "No space left on device")
        self._store.put_new_articles(items)

    def put_article(self, article, triples, *, absent=False):
        if article.id == self._refused:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self._store.put_article(article, triples, absent=absent)


def test_a_batch_the_store_refuses_is_written_again_one_by_one_and_only_the_refused_article_is_lost(
        tmp_path, monkeypatch):
    monkeypatch.delenv("STANCEGRAPH_DEBUG", raising=False)      # as a user runs it: a line each
    articles = generated(12, seed=3)
    refused = articles[5]
    store = RefusingStore(open_store(tmp_path / "store"), refused.id)
    report = load_articles(articles, store, jobs=1, commit_every=4)
    assert store.batches == [4, 4, 4]
    assert (report.added, len(report.errors)) == (11, 1)
    assert str(report.errors[0]) == (f"{refused.source}:{refused.position}: cannot load this "
                                     "article: No space left on device")
    expected = open_store(tmp_path / "expected")
    load_articles(articles[:5] + articles[6:], expected, jobs=1, commit_every=1)
    assert quads(store._store) == quads(expected)


def test_a_batch_write_that_fails_stores_nothing_of_the_batch(tmp_path):
    """The embedded store's bulk write is all or nothing: a batch whose last line cannot be
    parsed leaves the store as it was, however far the engine got through the others."""
    from stancegraph.loaders.pipeline import prepare

    store = open_store(tmp_path / "store")
    store.ensure_reference_graphs()
    prepared = [prepare((a, "absent", False)) for a in generated(40, seed=4)]
    items = [(p.article, p.triples) for p in prepared]
    before = quads(store)
    broken = replace(items[-1][1], own=(*items[-1][1].own, "<https://example.org/s> <https://example.org/p> \"open ."))
    with pytest.raises(SyntaxError):
        store.put_new_articles(items[:-1] + [(items[-1][0], broken)])
    assert quads(store) == before
    store.put_new_articles(items)
    assert store.stats()["articles"] == 40
