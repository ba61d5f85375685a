"""A worker process of `stancegraph serve`: `python -m stancegraph.serve.worker ROLE STORE`.

A *reader* answers queries and Graph Store reads from a read-only view of the store, reopened
when the front says the store's generation moved (a write was committed). The one *writer*
holds the store read-write and applies SPARQL Updates and Graph Store writes, each followed by
the recompute of derived stances and a flush. Frames come on stdin and go out on stdout
(wire.py). The front kills a worker whose work runs past the time limit and starts another:
that is how a runaway query stops using CPU and memory."""
from __future__ import annotations

import gc
import os
import signal
import sys
import time

from . import formats
from .gsp import graph_update, recompute_after, touched_before
from .wire import read_frame, write_frame

OPEN_ATTEMPTS = 50


class ResultTooLarge(Exception):
    pass


class CappedBuffer:
    """A file-like sink that stops the serializer once the result passes the cap."""

    def __init__(self, cap: int):
        self.cap, self.size, self.parts = cap, 0, []

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.cap:
            raise ResultTooLarge()
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def value(self) -> bytes:
        return b"".join(self.parts)


def answer(status: int, message: str = "", **extra) -> tuple[dict, bytes]:
    return {"status": status, "content_type": "text/plain; charset=utf-8", **extra}, \
        (message.strip() + "\n").encode("utf-8") if message else b""


def serialized(result, accept: str | None, cap: int) -> tuple[dict, bytes]:
    import pyoxigraph as ox

    if isinstance(result, ox.QueryTriples):
        chosen = formats.choose(accept, formats.GRAPHS, "text/turtle")
    else:
        chosen = formats.choose(accept, formats.SOLUTIONS, "application/sparql-results+json")
    if chosen is None:
        kind = "graph" if isinstance(result, ox.QueryTriples) else "solutions"
        table = formats.GRAPHS if kind == "graph" else formats.SOLUTIONS
        return answer(406, f"no acceptable format for {kind} in Accept {accept!r}; "
                           f"offered: {', '.join(table)}")
    media, fmt = chosen
    sink = CappedBuffer(cap)
    try:
        result.serialize(sink, fmt)
    except ResultTooLarge:
        return answer(413, f"the result is over {cap} bytes; add a LIMIT")
    return {"status": 200, "content_type": formats.content_type(media)}, sink.value()


class Reader:
    def __init__(self, path: str):
        self.path, self.db = path, None

    def open(self) -> None:
        """A fresh read-only view; retried while the writer's background compaction removes
        files an opening view was about to read."""
        import pyoxigraph as ox

        self.db = None
        gc.collect()
        for attempt in range(OPEN_ATTEMPTS):
            try:
                self.db = ox.Store.read_only(self.path)
                return
            except (OSError, RuntimeError):
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.01)

    def query(self, h: dict) -> tuple[dict, bytes]:
        import pyoxigraph as ox

        kwargs = {"use_default_graph_as_union": not h.get("default_graphs")}
        if h.get("default_graphs"):
            kwargs["default_graph"] = [ox.NamedNode(g) for g in h["default_graphs"]]
        if h.get("named_graphs"):
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in h["named_graphs"]]
        try:
            result = self.db.query(h["sparql"], **kwargs)
            return serialized(result, h.get("accept"), h["max_result"])
        except SyntaxError as e:
            return answer(400, f"SPARQL syntax error: {e}")
        except ValueError as e:
            return answer(400, str(e))
        except (OSError, RuntimeError) as e:
            return answer(500, f"the query failed: {e}", stale=True)

    def dump(self, h: dict) -> tuple[dict, bytes]:
        import pyoxigraph as ox

        graph = h.get("graph")
        table = formats.DATASETS if graph is None else formats.GRAPHS
        chosen = formats.choose(h.get("accept"), table, "application/n-quads" if graph is None
                                else "text/turtle")
        if chosen is None:
            return answer(406, f"no acceptable format in Accept {h.get('accept')!r}; offered: "
                               f"{', '.join(table)}")
        media, fmt = chosen
        kwargs = {}
        if graph == "default":
            kwargs["from_graph"] = ox.DefaultGraph()
        elif graph is not None:
            node = ox.NamedNode(graph)
            if not self.db.contains_named_graph(node):
                return answer(404, f"no graph {graph}")
            kwargs["from_graph"] = node
        sink = CappedBuffer(h["max_result"])
        try:
            self.db.dump(sink, fmt, **kwargs)
        except ResultTooLarge:
            return answer(413, f"the graph is over {h['max_result']} bytes")
        except (OSError, RuntimeError) as e:
            return answer(500, f"reading the store failed: {e}", stale=True)
        return {"status": 200, "content_type": formats.content_type(media)}, sink.value()


class Writer:
    """The store opened read-write; every write ends with stances recomputed and a flush."""

    def __init__(self, path: str, recompute: bool = False):
        from stancegraph.loaders.store.oxigraph import OxigraphStore

        self.store = OxigraphStore(path)
        self.store.ensure_reference_graphs()
        if recompute:               # the previous writer was stopped, perhaps mid-recompute
            self.store.recompute_stances()
        self.store.flush()

    def update(self, h: dict) -> tuple[dict, bytes]:
        try:
            self.store.update(h["sparql"])
        except SyntaxError as e:
            return answer(400, f"SPARQL syntax error: {e}")
        except ValueError as e:
            return answer(400, str(e))
        except (OSError, RuntimeError) as e:
            return answer(500, f"the update failed: {e}")
        return self.committed(204, None, None)

    def graph(self, h: dict, body: bytes) -> tuple[dict, bytes]:
        import pyoxigraph as ox

        method, graph = h["method"], h["graph"]
        existed = graph == "default" or self.store._db.contains_named_graph(ox.NamedNode(graph))
        if method == "DELETE" and not existed:
            return answer(404, f"no graph {graph}")
        update = graph_update(method, graph, h.get("content_type"), body)
        if not isinstance(update, str):
            return answer(update.status, update.body.decode("utf-8"))
        before = touched_before(self.store, [graph])
        self.store.update(update)
        return self.committed(204 if existed or method == "DELETE" else 201, [graph], before)

    def committed(self, status: int, graphs: list[str] | None, before) -> tuple[dict, bytes]:
        recompute_after(self.store, graphs, before)
        self.store.flush()
        return {"status": status}, b""


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this worker if the server dies without stopping it."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)     # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(0)


def main(argv: list[str]) -> int:
    role, path, parent = argv[0], argv[1], int(argv[2])
    sandbox = "--no-network" in argv
    _die_with_parent(parent)
    if sandbox:
        from .sandbox import forbid_network

        forbid_network()
    out = os.fdopen(os.dup(1), "wb")          # frames only on the real stdout
    os.dup2(2, 1)
    inp = os.fdopen(0, "rb")
    try:
        worker = Writer(path, "--recompute" in argv) if role == "writer" else Reader(path)
    except Exception as e:        # noqa: BLE001 — reported to the front as one line
        from stancegraph.loaders.errors import InputError

        text = str(e) if isinstance(e, InputError) else f"{path}: cannot open the store: {e}"
        write_frame(out, {"ready": False, "error": " ".join(text.split())[:300]})
        return 2
    write_frame(out, {"ready": True, "pid": os.getpid()})
    while (frame := read_frame(inp)) is not None:
        h, body = frame
        op = h["op"]
        if op == "exit":
            break
        if role == "reader":
            if h.get("reopen"):
                try:
                    worker.open()
                    write_frame(out, {"opened": h["generation"]})
                except (OSError, RuntimeError) as e:
                    write_frame(out, {"opened": -1, "error": str(e)[:300]})
                    continue
            header, payload = worker.query(h) if op == "query" else worker.dump(h)
        else:
            header, payload = worker.update(h) if op == "update" else worker.graph(h, body)
        write_frame(out, header, payload)
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # the front decides when workers stop
    sys.exit(main(sys.argv[1:]))
