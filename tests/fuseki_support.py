"""Find a real Apache Jena Fuseki for the tests: $FUSEKI_URL, else the local server.

The local server is the Maven-assembled Fuseki 5.6 of docker/fuseki-local/ (docs/remote-store.md),
started in a temporary folder on a free 127.0.0.1 port, behind HTTP basic authentication.
When none can be had the tests are skipped, except under CI=true, where they fail.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

from local_servers import REPO, load_script, local_problem, local_server, unavailable

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
    """docker/fuseki-local/fusekictl.py as a module."""
    return load_script(FUSEKICTL)


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
    unavailable(f"no Fuseki for these tests: FUSEKI_URL is not set; {problem}", FusekiUnavailable)


def _local_problem() -> str | None:
    return local_problem(fusekictl())


@contextmanager
def _local_server() -> Iterator[FusekiEndpoint]:
    # a busy machine can take minutes to start a JVM; a dead one fails at once, not at the limit
    with local_server(fusekictl(), "stancegraph-fuseki-", grace=10, timeout=600,
                      quick_jit=True, plain=True) as (server, took):
        STARTED.append(FusekiEndpoint(server.url, server.user, server.password, "local", took))
        yield STARTED[-1]
