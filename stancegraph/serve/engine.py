"""What the HTTP front needs from a query engine, and nothing more: run a query, read a graph,
apply an update, write a graph, each within a time limit in seconds. The engine over the embedded store
is a pool of worker processes (pool.py); a remote SPARQL store could sit behind the same four
calls."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes = b""
    content_type: str = TEXT

    @classmethod
    def text(cls, status: int, message: str) -> "Answer":
        return cls(status, (message.strip() + "\n").encode("utf-8"), TEXT)


class Engine(Protocol):
    async def query(self, sparql: str, accept: str | None, default_graphs: list[str],
                    named_graphs: list[str], limit: float) -> Answer: ...

    async def read_graph(self, graph: str | None, accept: str | None, limit: float) -> Answer:
        """`graph` is an IRI, "default", or None for the whole dataset."""

    async def update(self, sparql: str, limit: float) -> Answer: ...

    async def write_graph(self, method: str, graph: str, content_type: str | None, body: bytes,
                          limit: float) -> Answer: ...

    async def close(self) -> None: ...
