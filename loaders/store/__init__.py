"""Stores: the embedded default (pyoxigraph on disk) and a remote one (any SPARQL 1.1 server:
Fuseki, GraphDB, `stancegraph serve`...). Neo4j is a projection of either."""
from __future__ import annotations

import json
import os
from pathlib import Path

from .oxigraph import OxigraphStore, default_store_path
from .remote import Credentials, RemoteStore, is_store_url
from .sparql import SparqlStore

Store = SparqlStore
_OPEN: dict[Path, OxigraphStore] = {}


def open_store(path: str | Path | None = None) -> SparqlStore:
    """The store at `path`, else env STANCEGRAPH_STORE, else the user's data directory.

    An http(s) URL is a remote SPARQL 1.1 store (credentials from the environment, see
    remote.py); it is asked once here, so a missing server raises StoreError at once.

    While `stancegraph serve` runs on that directory (it leaves serve.json there), the store is
    reached through the server, so loads show up in its answers at once. Otherwise one process
    holds one handle per directory (the on-disk store is locked while open)."""
    location = str(path) if path else os.environ.get("STANCEGRAPH_STORE", "")
    if is_store_url(location):
        return RemoteStore.from_env(location)
    resolved = (Path(path) if path else default_store_path()).expanduser().resolve()
    served = served_store(resolved)
    if served is not None:
        return served
    if resolved not in _OPEN:
        _OPEN[resolved] = OxigraphStore(resolved)
    return _OPEN[resolved]


def served_store(path: Path) -> RemoteStore | None:
    """The RemoteStore of a live server on this directory, if one runs."""
    info = live_server(path)
    if info is None:
        return None
    try:
        token = (path / info.get("token_file", "serve.token")).read_text().strip()
    except OSError:
        return None
    return RemoteStore(info["url"], credentials=Credentials(token=token),
                       server_maintains_stances=True)


def live_server(path: Path) -> dict | None:
    """serve.json of the `stancegraph serve` running on this directory, if its process lives;
    the files a dead server left behind (killed, power cut) are removed."""
    info_file = path / "serve.json"
    if not info_file.exists():
        return None
    try:
        info = json.loads(info_file.read_text())
        pid = int(info["pid"])
        os.kill(pid, 0)
        if info.get("started") and info["started"] != _process_start(pid):
            raise ProcessLookupError(pid)          # the pid was reused by another process
        return info
    except PermissionError:
        return info                                # alive, owned by someone else
    except (ValueError, KeyError, TypeError, OSError):
        for name in ("serve.json", "serve.token"):
            (path / name).unlink(missing_ok=True)
        return None


def _process_start(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def close_store(path: str | Path) -> None:
    """Release this process's handle on an embedded store (e.g. before a server takes it)."""
    import gc

    if is_store_url(str(path)):
        return
    _OPEN.pop(Path(path).expanduser().resolve(), None)
    gc.collect()


__all__ = ["Store", "SparqlStore", "OxigraphStore", "RemoteStore", "open_store", "close_store",
           "default_store_path", "live_server"]
