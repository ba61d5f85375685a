"""The engine over the embedded store: worker processes (worker.py), killed and replaced when
their work runs past the deadline.

Readers answer queries from read-only views; the one writer applies writes. After each committed
write the store's *generation* moves on; a reader whose view is older reopens before its next
query. Opening a view and writing never overlap (a view opened while a write is being flushed
could miss it), so reopening takes the shared side of a lock whose exclusive side a write holds;
queries on views already open go on during a write."""
from __future__ import annotations

import asyncio
import fcntl
import json
import os
import subprocess
import sys
from collections import deque
from pathlib import Path

from .cache import ResultCache
from .engine import Answer
from .wire import encode

START_TIMEOUT = 120.0
F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)      # Linux
PIPE_SIZE = 1 << 20        # the default unprivileged maximum (/proc/sys/fs/pipe-max-size)
OPEN_LIMIT = 30.0          # waiting for a write to finish and reopening a view


class WorkerFailed(RuntimeError):
    """A worker could not start (the message is one line for the operator)."""


class Worker:
    """One worker process; frames are read by an event-loop callback on its stdout pipe (no
    stream objects, no helper tasks: this is on every request's path)."""

    def __init__(self, role: str, process: subprocess.Popen):
        self.role, self.process, self.generation = role, process, -1
        self.buffer = bytearray()
        self.frames: deque[tuple[dict, bytes]] = deque()
        self.waiter: asyncio.Future | None = None
        self.closed = False
        self.fd, self.stdin = process.stdout.fileno(), process.stdin.fileno()
        os.set_blocking(self.fd, False)
        for fd in (self.fd, self.stdin):      # a result in one or two reads, not 64 kB at a time
            try:
                fcntl.fcntl(fd, F_SETPIPE_SZ, PIPE_SIZE)
            except OSError:
                pass
        asyncio.get_running_loop().add_reader(self.fd, self._readable)

    @classmethod
    async def start(cls, role: str, store: Path, no_network: bool, *extra: str) -> "Worker":
        args = [sys.executable, "-m", "stancegraph.serve.worker", role, str(store), str(os.getpid()),
                *extra, *(["--no-network"] if no_network else [])]
        worker = cls(role, subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE))
        loop = asyncio.get_running_loop()
        try:
            header, _ = await worker.receive(loop.time() + START_TIMEOUT)
        except (TimeoutError, ConnectionError):
            worker.kill()
            raise WorkerFailed(f"{store}: the {role} process did not start") from None
        except asyncio.CancelledError:
            worker.kill()
            raise
        if not header.get("ready"):
            worker.kill()
            raise WorkerFailed(header.get("error") or f"{store}: the {role} process failed")
        return worker

    @property
    def pid(self) -> int:
        return self.process.pid

    def _readable(self) -> None:
        try:
            data = os.read(self.fd, 1 << 20)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._close()
        self.buffer += data
        while len(self.buffer) >= 8:
            head_len, body_len = int.from_bytes(self.buffer[:4], "big"), int.from_bytes(self.buffer[4:8], "big")
            end = 8 + head_len + body_len
            if len(self.buffer) < end:
                break
            self.frames.append((json.loads(self.buffer[8:8 + head_len]), bytes(self.buffer[8 + head_len:end])))
            del self.buffer[:end]
        if self.waiter is not None and not self.waiter.done() and (self.frames or self.closed):
            self.waiter.set_result(None)

    def _close(self) -> None:
        if not self.closed:
            self.closed = True
            asyncio.get_running_loop().remove_reader(self.fd)

    def send(self, header: dict, body: bytes = b"") -> None:
        data = memoryview(encode(header, body))
        while data:                                   # a blocking pipe: the worker is reading
            data = data[os.write(self.stdin, data):]

    async def receive(self, deadline: float) -> tuple[dict, bytes]:
        """The next frame, or TimeoutError at `deadline`, or ConnectionError if the process died."""
        while not self.frames:
            if self.closed:
                raise ConnectionError(f"the {self.role} process exited")
            self.waiter = asyncio.get_running_loop().create_future()
            try:
                async with asyncio.timeout_at(deadline):
                    await self.waiter
            finally:
                self.waiter = None
        return self.frames.popleft()

    def kill(self) -> None:
        self._close()
        if self.process.poll() is None:
            try:
                self.process.kill()
            except ProcessLookupError:
                pass

    async def wait(self) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.process.wait)

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    async def stop(self) -> None:
        if self.running:
            try:
                self.send({"op": "exit"})
                await asyncio.wait_for(self.wait(), 10)
            except (TimeoutError, ConnectionError, ValueError, OSError):
                pass
        self.kill()
        await self.wait()


class WorkerPool:
    """Engine: `readers` reader processes and one writer over the store at `store`."""

    def __init__(self, store: Path, readers: int, max_result: int, write_timeout: float,
                 no_network: bool, cache_bytes: int = 0):
        self.store, self.size, self.max_result = store, readers, max_result
        self.cache = ResultCache(cache_bytes)
        self.write_timeout, self.no_network = write_timeout, no_network
        self.generation = 0
        self.idle: asyncio.Queue[Worker] = asyncio.Queue()
        self.readers: set[Worker] = set()
        self.writer: Worker | None = None
        self.write_lock = asyncio.Lock()
        self.views = asyncio.Condition()
        self.opening = 0
        self.writing = False
        self.replacing: set[asyncio.Task] = set()
        self.spare: asyncio.Task | None = None     # a reader started ahead, to replace a killed one
        self.closed = False

    async def start(self) -> None:
        self.writer = await Worker.start("writer", self.store, self.no_network)
        started = await asyncio.gather(*(self._start_reader() for _ in range(self.size)),
                                       return_exceptions=True)
        failed = [e for e in started if isinstance(e, BaseException)]
        if failed:
            await self.close()
            raise failed[0]
        self._start_spare()

    def _start_spare(self) -> None:
        if not self.closed:
            self.spare = asyncio.get_running_loop().create_task(
                Worker.start("reader", self.store, self.no_network))

    async def _start_reader(self, spare: asyncio.Task | None = None) -> None:
        worker = await spare if spare is not None else await Worker.start("reader", self.store,
                                                                          self.no_network)
        self.readers.add(worker)
        self.idle.put_nowait(worker)                # its view opens on its first query

    def pids(self) -> list[int]:
        workers = list(self.readers) + ([self.writer] if self.writer else [])
        if self.spare is not None and self.spare.done() and not self.spare.exception():
            workers.append(self.spare.result())
        return sorted(w.pid for w in workers if w.running)

    # -- reads -----------------------------------------------------------------------------
    async def query(self, sparql, accept, default_graphs, named_graphs, limit) -> Answer:
        return await self._read({"op": "query", "sparql": sparql, "accept": accept,
                                 "default_graphs": default_graphs, "named_graphs": named_graphs,
                                 "max_result": self.max_result}, limit)

    async def read_graph(self, graph, accept, limit) -> Answer:
        return await self._read({"op": "dump", "graph": graph, "accept": accept,
                                 "max_result": self.max_result}, limit)

    async def _read(self, header: dict, limit: float) -> Answer:
        key = self.cache.key(header)
        if key is not None and (kept := self.cache.get(key, self.generation)) is not None:
            return kept
        answer, answered_at = await self._read_fresh(header, limit)
        if key is not None:
            self.cache.put(key, answered_at, self.generation, answer)
        return answer

    async def _read_fresh(self, header: dict, limit: float) -> tuple[Answer, int]:
        """Wait for a free reader (up to `limit`: 503), reopen its view if a write came since,
        then give the work `limit` seconds (408, worker killed). Also says which generation of
        the store the answer comes from (-1: none)."""
        try:
            if self.idle.empty():
                async with asyncio.timeout(limit):
                    worker = await self.idle.get()
            else:
                worker = self.idle.get_nowait()
        except TimeoutError:
            return Answer.text(503, f"all {self.size} query workers stayed busy past the time "
                                    "limit; try again"), -1
        try:
            for attempt in (1, 2):
                answer, stale = await self._read_on(worker, header, limit)
                if not stale or attempt == 2:
                    return answer, worker.generation
                worker.generation = -1            # retry once on a fresh view
            return answer, -1
        except TimeoutError:
            self._replace(worker)
            worker = None
            return Answer.text(408, "the query ran over the time limit and was stopped"), -1
        except (ConnectionError, ValueError, OSError):
            self._replace(worker)
            worker = None
            return Answer.text(500, "the query worker died (out of memory?); it was replaced"), -1
        finally:
            if worker is not None:
                self.idle.put_nowait(worker)

    async def _read_on(self, worker: Worker, header: dict, limit: float) -> tuple[Answer, bool]:
        loop = asyncio.get_running_loop()
        if worker.generation != self.generation:
            deadline = loop.time() + max(limit, OPEN_LIMIT)      # waiting for a write, opening
            async with asyncio.timeout_at(deadline), self.views:
                await self.views.wait_for(lambda: not self.writing)
                self.opening += 1
            try:
                worker.send({**header, "reopen": True, "generation": self.generation})
                opened, _ = await worker.receive(deadline)
            finally:
                async with self.views:
                    self.opening -= 1
                    self.views.notify_all()
            worker.generation = opened["opened"]
            if opened.get("error"):
                return Answer.text(503, f"the store could not be opened: {opened['error']}"), False
        else:
            worker.send(header)
        result, body = await worker.receive(loop.time() + limit)
        answer = Answer(result["status"], body, result.get("content_type") or "")
        return answer, bool(result.get("stale"))

    def _replace(self, worker: Worker) -> None:
        """Kill now (the CPU stops here), start a fresh reader in the background."""
        worker.kill()
        self.readers.discard(worker)
        if self.closed:
            return
        task = asyncio.get_running_loop().create_task(self._restart_reader(worker))
        self.replacing.add(task)
        task.add_done_callback(self.replacing.discard)

    async def _restart_reader(self, dead: Worker) -> None:
        await dead.wait()
        while not self.closed:
            spare, self.spare = self.spare, None
            self._start_spare()
            try:
                await self._start_reader(spare)
                return
            except WorkerFailed:
                await asyncio.sleep(1)

    # -- writes ----------------------------------------------------------------------------
    async def update(self, sparql, limit) -> Answer:
        return await self._write({"op": "update", "sparql": sparql}, b"")

    async def write_graph(self, method, graph, content_type, body, limit) -> Answer:
        return await self._write({"op": "graph", "method": method, "graph": graph,
                                  "content_type": content_type}, body)

    async def _write(self, header: dict, body: bytes) -> Answer:
        loop = asyncio.get_running_loop()
        async with self.write_lock:
            deadline = loop.time() + self.write_timeout
            if self.writer is None or not self.writer.running:
                try:
                    self.writer = await Worker.start("writer", self.store, self.no_network,
                                                     "--recompute")
                except WorkerFailed as e:
                    return Answer.text(503, f"the store cannot be written now: {e}")
            async with self.views:
                await self.views.wait_for(lambda: self.opening == 0)
                self.writing = True
            try:
                self.writer.send(header, body)
                result, payload = await self.writer.receive(deadline)
                return Answer(result["status"], payload, result.get("content_type") or "")
            except TimeoutError:
                self.writer.kill()
                await self.writer.wait()
                return Answer.text(408, f"the write ran over {self.write_timeout:g} s and was "
                                        "stopped; nothing of it was committed unless stances "
                                        "were being recomputed (they are recomputed on restart)")
            except (ConnectionError, ValueError, OSError):
                self.writer.kill()
                await self.writer.wait()
                return Answer.text(500, "the writer process died; it is restarted on the next write")
            finally:
                async with self.views:
                    self.generation += 1          # even a failed write may have committed
                    self.writing = False
                    self.views.notify_all()

    async def close(self) -> None:
        """Readers are killed (they hold nothing to save); the writer is asked to exit."""
        self.closed = True
        for task in list(self.replacing) + ([self.spare] if self.spare else []):
            task.cancel()
        if self.spare is not None and self.spare.done() and not self.spare.cancelled() \
                and self.spare.exception() is None:
            self.readers.add(self.spare.result())
        for reader in self.readers:
            reader.kill()
        await asyncio.gather(*(r.wait() for r in self.readers), return_exceptions=True)
        if self.writer is not None:
            await self.writer.stop()
