"""`stancegraph query NAME --engine neo4j`: the Cypher twin, on the server named by the env."""
from __future__ import annotations

import os

from stancegraph.queries.catalogue import SavedQuery, answer_cypher


def neo4j_driver():
    """A driver from NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD (the password is never printed)."""
    from neo4j import GraphDatabase

    uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
    return GraphDatabase.driver(uri, auth=(os.environ.get("NEO4J_USER", "neo4j"),
                                           os.environ.get("NEO4J_PASSWORD", "")))


def run_cypher_query(query: SavedQuery, values: dict[str, str]) -> tuple[list[str], list[list]]:
    with neo4j_driver() as driver:
        return answer_cypher(driver, query, values, os.environ.get("NEO4J_DATABASE", "neo4j"))


def neo4j_failure(exc: BaseException) -> str | None:
    """One line for a Neo4j that cannot serve us (down, wrong password, bad URI, no such
    database); None when the exception is not the server's fault (a bug of ours)."""
    from neo4j.exceptions import (AuthError, ConfigurationError, DatabaseUnavailable,
                                  Neo4jError, ServiceUnavailable, SessionExpired, TransientError)

    uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
    code = getattr(exc, "code", None) or ""
    if isinstance(exc, AuthError) or code.startswith("Neo.ClientError.Security."):
        return f"{uri}: Neo4j refused the credentials in NEO4J_USER / NEO4J_PASSWORD"
    if isinstance(exc, (ServiceUnavailable, SessionExpired)):
        return f"{uri}: no Neo4j answers there (start one with `make neo4j-up`, or set NEO4J_URI)"
    if isinstance(exc, ConfigurationError) or (isinstance(exc, ValueError)
                                               and "uri" in str(exc).lower()):
        return f"{uri}: not a usable Neo4j address (NEO4J_URI): {_short(exc)}"
    if code == "Neo.ClientError.Database.DatabaseNotFound":
        return f"{uri}: Neo4j has no such database (NEO4J_DATABASE): {_short(exc)}"
    if isinstance(exc, (DatabaseUnavailable, TransientError)):
        return f"{uri}: Neo4j cannot serve now: {_short(exc)}"
    if isinstance(exc, Neo4jError):
        return None                    # our Cypher or our data: a bug, keep its traceback
    return None


def _short(exc: BaseException) -> str:
    from neo4j.exceptions import Neo4jError

    text = (exc.message or str(exc)) if isinstance(exc, Neo4jError) else str(exc)
    return " ".join(text.split())[:160]
