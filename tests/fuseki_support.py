"""Find a real Apache Jena Fuseki for the tests: $FUSEKI_URL, else the local server.

The local server is the Maven-assembled Fuseki 5.6 of docker/fuseki-local/ (docs/remote-store.md),
started in a temporary folder on a free 127.0.0.1 port, behind HTTP basic authentication.
When none can be had the tests are skipped, except under CI=true, where they fail.
"""

from __future__ import annotations

import atexit
import dataclasses
import importlib.util
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
FUSEKICTL = REPO / "docker" / "fuseki-local" / "fusekictl.py"


@dataclasses.dataclass(frozen=True)
class FusekiEndpoint:
    url: str  # the dataset: {url}/query, {url}/update, {url}/data
    user: str
    password: str = dataclasses.field(repr=False)
    how: str  # "env" | "local"
    started_in: float = 0.0  # seconds until the server answered (0 when not started here)

    @property
    def env(self) -> dict[str, str]:
        """The environment a stancegraph command needs to use this server as its store."""
        return {"STANCEGRAPH_STORE_USER": self.user, "STANCEGRAPH_STORE_PASSWORD": self.password}


def remote_store(fuseki: FusekiEndpoint):
    """A RemoteStore on the test server, credentials given as a user gives them (environment)."""
    from stancegraph.loaders.store.remote import RemoteStore

    return RemoteStore.from_env(fuseki.url, environ=fuseki.env)


def emptied(fuseki: FusekiEndpoint):
    """A RemoteStore on the test server after dropping every graph of its dataset."""
    store = remote_store(fuseki)
    store.update("DROP ALL")
    return store


STARTED: list[FusekiEndpoint] = []  # the session's server, for the terminal summary


class FusekiUnavailable(Exception):
    """No way to get a Fuseki server on this machine; carries the reasons."""


def fusekictl() -> ModuleType:
    """docker/fuseki-local/fusekictl.py as a module (its folder name is no package name)."""
    if "fusekictl" not in sys.modules:
        spec = importlib.util.spec_from_file_location("fusekictl", FUSEKICTL)
        module = importlib.util.module_from_spec(spec)
        sys.modules["fusekictl"] = module
        spec.loader.exec_module(module)
    return sys.modules["fusekictl"]


@contextmanager
def fuseki_server() -> Iterator[FusekiEndpoint]:
    """Yield a running Fuseki; stop it afterwards if it was started here. Skip (or fail on CI)."""
    if os.environ.get("FUSEKI_URL"):
        STARTED.append(FusekiEndpoint(os.environ["FUSEKI_URL"].rstrip("/"),
                                      os.environ.get("STANCEGRAPH_STORE_USER", ""),
                                      os.environ.get("STANCEGRAPH_STORE_PASSWORD", ""), "env"))
        yield STARTED[-1]
        return
    problem = _local_problem()
    if problem is None:
        with _local_server() as endpoint:
            yield endpoint
        return
    reason = f"no Fuseki for these tests: FUSEKI_URL is not set; {problem}"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        raise FusekiUnavailable(reason)
    print(f"\n{reason}", file=sys.stderr)
    pytest.skip(reason)


def _local_problem() -> str | None:
    """None when the local server can be started: a Java 17+, and jars or Maven."""
    ctl = fusekictl()
    try:
        ctl.find_java()
    except ctl.FusekiLocalError as e:
        return f"local server: {e}"
    if not any(ctl.LIB.glob("*.jar")) and shutil.which("mvn") is None:
        return "local server: no jars in docker/fuseki-local/lib and no Maven to fetch them"
    return None


@contextmanager
def _local_server() -> Iterator[FusekiEndpoint]:
    ctl = fusekictl()
    home = Path(tempfile.mkdtemp(prefix="stancegraph-fuseki-"))

    def cleanup() -> None:
        ctl.stop(home, grace=10)
        shutil.rmtree(home, ignore_errors=True)

    atexit.register(cleanup)  # also when the session ends without running finalizers
    try:
        began = time.monotonic()
        server = ctl.start(home, password=secrets.token_urlsafe(18), die_with_parent=True,
                           quick_jit=True, plain=True)
        STARTED.append(FusekiEndpoint(server.url, server.user, server.password, "local",
                                      time.monotonic() - began))
        yield STARTED[-1]
    finally:
        cleanup()
        atexit.unregister(cleanup)
