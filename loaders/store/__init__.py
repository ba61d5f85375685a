"""Stores: the embedded default (pyoxigraph on disk). Neo4j is a projection of it."""
from __future__ import annotations

from pathlib import Path

from .oxigraph import OxigraphStore, default_store_path

Store = OxigraphStore


def open_store(path: str | Path | None = None) -> OxigraphStore:
    """The store at `path`, else env STANCEGRAPH_STORE, else the user's data directory."""
    return OxigraphStore(path)


__all__ = ["Store", "OxigraphStore", "open_store", "default_store_path"]
