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
