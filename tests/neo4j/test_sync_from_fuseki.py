"""`neo4j sync` from a remote store: the dev corpus loaded into a real Fuseki is projected into a
real Neo4j, and every saved question's Cypher twin answers there what SPARQL answers on Fuseki."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from builders import DEV_DUMP
from fuseki_support import emptied
from stancegraph.cli.main import app
from stancegraph.queries.catalogue import answer, answer_cypher, load_catalogue

SAMPLES = {"actor": "United States", "kind": "ReassuranceForce", "date": "2025-09-05"}


@pytest.fixture(scope="module")
def synced(fuseki, neo4j_server, neo4j_driver):
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    env = {**fuseki.env, "NEO4J_URI": neo4j_server.uri, "NEO4J_USER": neo4j_server.user,
           "NEO4J_PASSWORD": neo4j_server.password}
    emptied(fuseki)
    runner = CliRunner()
    loaded = runner.invoke(app, ["load", str(DEV_DUMP), "--store", fuseki.url], env=env)
    first = runner.invoke(app, ["neo4j", "sync", "--store", fuseki.url], env=env)
    again = runner.invoke(app, ["neo4j", "sync", "--store", fuseki.url], env=env)
    return loaded, first, again


def test_sync_from_fuseki_is_complete_then_incremental(synced, fuseki, neo4j_server):
    loaded, first, again = synced
    assert [r.exit_code for r in synced] == [0, 0, 0], [r.stderr for r in synced]
    assert first.stdout.startswith("synced 7 articles (0 unchanged, 0 removed)")
    assert again.stdout.startswith("synced 0 articles (7 unchanged, 0 removed)")
    printed = "".join(r.stdout + r.stderr for r in synced)
    assert fuseki.password not in printed and neo4j_server.password not in printed


@pytest.mark.parametrize("name", sorted(load_catalogue()))
def test_cypher_on_neo4j_answers_what_sparql_answers_on_fuseki(synced, fuseki, neo4j_driver, name):
    from fuseki_support import remote_store

    query = load_catalogue()[name]
    values = {p.name: SAMPLES[p.type] for p in query.params if p.required}
    s_cols, s_rows = answer(remote_store(fuseki), query, values)
    c_cols, c_rows = answer_cypher(neo4j_driver, query, values)
    pick = lambda cols, rows: sorted(  # noqa: E731
        tuple(round(v, 2) if isinstance(v, float) else ("" if v is None else v)
              for v in (r[cols.index(c)] for c in query.returns)) for r in rows)
    assert pick(c_cols, c_rows) == pick(s_cols, s_rows)
