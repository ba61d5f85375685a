"""Stores: the embedded default (pyoxigraph on disk). Neo4j is a projection of it."""
from __future__ import annotations

from pathlib import Path

from .oxigraph import OxigraphStore, default_store_path

Store = OxigraphStore
_OPEN: dict[Path, OxigraphStore] = {}


def open_store(path: str | Path | None = None) -> OxigraphStore:
    """The store at `path`, else env STANCEGRAPH_STORE, else the user's data directory.
    One process holds one handle per store directory (the on-disk store is locked while open),
    so opening the same directory twice returns the same store."""
    resolved = (Path(path) if path else default_store_path()).expanduser().resolve()
    if resolved not in _OPEN:
        _OPEN[resolved] = OxigraphStore(resolved)
    return _OPEN[resolved]


__all__ = ["Store", "OxigraphStore", "open_store", "default_store_path"]
