"""Find a real Neo4j for the tests: $NEO4J_URI, else testcontainers, else a local server.

The local server is the Maven-assembled Neo4j 5.26 Community of docker/neo4j-local/ (see
DESIGN.md "Neo4j without Docker"), started in a temporary folder on free 127.0.0.1 ports.
When none can be had the tests are skipped, except under CI=true, where they fail.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

from local_servers import REPO, load_script, local_problem, local_server, unavailable

NEO4JCTL = REPO / "docker" / "neo4j-local" / "neo4jctl.py"
IMAGE = "neo4j:5.26-community"


@dataclasses.dataclass(frozen=True)
class Neo4jEndpoint:
    uri: str
    user: str
    password: str = dataclasses.field(repr=False)
    http_url: str | None
    how: str  # "env" | "testcontainers" | "local"
    started_in: float = 0.0  # seconds until the server answered (0 when not started here)


class Neo4jUnavailable(Exception):
    """No way to get a Neo4j server on this machine; carries the reasons."""


@contextmanager
def neo4j_server() -> Iterator[Neo4jEndpoint]:
    """Yield a running Neo4j; stop it afterwards if it was started here. Skip (or fail on CI)."""
    reasons: list[str] = []
    if os.environ.get("NEO4J_URI"):
        yield Neo4jEndpoint(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
                            os.environ.get("NEO4J_PASSWORD", ""),
                            os.environ.get("NEO4J_HTTP_URL"), "env")
        return
    reasons.append("NEO4J_URI is not set")
    docker_problem = _docker_problem()
    if docker_problem is None:
        with _testcontainers_server() as endpoint:
            yield endpoint
        return
    reasons.append(docker_problem)
    local_problem = _local_problem()
    if local_problem is None:
        with _local_server() as endpoint:
            yield endpoint
        return
    reasons.append(local_problem)
    unavailable("no Neo4j for these tests: " + "; ".join(reasons), Neo4jUnavailable)


def _docker_problem() -> str | None:
    """None when a Docker daemon answers a ping within 3 s, else why not."""
    try:
        import docker  # testcontainers depends on it
    except ImportError:
        return "the docker SDK is not installed"
    try:
        client = docker.from_env(timeout=3)
    except Exception as e:  # DockerException when no socket or DOCKER_HOST
        return f"no Docker daemon ({type(e).__name__})"
    try:
        client.ping()
    except Exception as e:
        return f"the Docker daemon does not answer ({type(e).__name__})"
    finally:
        client.close()
    return None


@contextmanager
def _testcontainers_server() -> Iterator[Neo4jEndpoint]:
    from testcontainers.community.neo4j import Neo4jContainer

    password = secrets.token_urlsafe(18)
    began = time.monotonic()
    container = Neo4jContainer(IMAGE, password=password).with_exposed_ports(7474)
    with container:
        host = container.get_container_host_ip()
        yield Neo4jEndpoint(container.get_connection_url(), container.username, password,
                            f"http://{host}:{container.get_exposed_port(7474)}",
                            "testcontainers", time.monotonic() - began)


def neo4jctl() -> ModuleType:
    """docker/neo4j-local/neo4jctl.py as a module."""
    return load_script(NEO4JCTL)


def _local_problem() -> str | None:
    return local_problem(neo4jctl())


@contextmanager
def _local_server() -> Iterator[Neo4jEndpoint]:
    # a busy machine can take minutes to start a JVM; a dead one fails at once, not at the limit
    with local_server(neo4jctl(), "stancegraph-neo4j-", grace=20, timeout=600) as (server, took):
        yield Neo4jEndpoint(server.bolt_uri, server.user, server.password, server.http_url,
                            "local", took)
