"""Fixtures for tests that need a real Neo4j (see tests/neo4j_support.py for where it comes from).

This folder must stay without __init__.py: as a package named `neo4j` it would shadow the driver.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/, for neo4j_support
from local_servers import summary_line  # noqa: E402
from neo4j_support import Neo4jEndpoint, neo4j_server as _neo4j_server  # noqa: E402

HERE = Path(__file__).resolve().parent
_endpoint: list[Neo4jEndpoint] = []  # for the terminal summary


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jEndpoint]:
    """One real Neo4j for the session: $NEO4J_URI, testcontainers or the local server."""
    with _neo4j_server() as endpoint:
        _endpoint.append(endpoint)
        yield endpoint


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server: Neo4jEndpoint) -> Iterator[Driver]:
    with GraphDatabase.driver(neo4j_server.uri,
                              auth=(neo4j_server.user, neo4j_server.password)) as driver:
        driver.verify_connectivity()
        yield driver


@pytest.fixture
def clean_neo4j(neo4j_driver: Driver) -> Driver:
    """The driver, on an empty database: no nodes, no constraints, no indexes of ours."""
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    constraints, _, _ = neo4j_driver.execute_query("SHOW CONSTRAINTS YIELD name")
    for record in constraints:
        neo4j_driver.execute_query(f"DROP CONSTRAINT `{record['name']}` IF EXISTS")
    indexes, _, _ = neo4j_driver.execute_query(
        "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name")
    for record in indexes:
        neo4j_driver.execute_query(f"DROP INDEX `{record['name']}` IF EXISTS")
    return neo4j_driver


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.neo4j)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """One line for the CI log: how many Neo4j tests ran, passed, failed and were skipped."""
    endpoint = _endpoint[0] if _endpoint else None
    summary_line(terminalreporter, "Neo4j",
                 lambda report: "neo4j" in getattr(report, "keywords", {}),
                 endpoint, endpoint.uri if endpoint else "")
