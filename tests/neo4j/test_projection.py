"""The Neo4j projection of the dev corpus: same answers in SPARQL and Cypher for every saved
question, idempotent and incremental syncs, constraints from the ontology."""
from __future__ import annotations

import pytest

from builders import DEV_DUMP, ROOT, make_article
from stancegraph.loaders.pipeline import load_articles
from stancegraph.loaders.read import read_path
from stancegraph.loaders.store import open_store
from stancegraph.loaders.store.neo4j import (constraint_statements, merge_nodes_cypher,
                                             merge_rels_cypher, project_to_neo4j)
from stancegraph.queries.catalogue import answer, answer_cypher, load_catalogue, parse_header

ACTOR = {"stance-timeline": "United States", "statements-by": "Zelenskyy", "actor-profile": "United States"}
FILTERS = [{}, {"as_of": "2025-09-01"}, {"since": "2025-09-02"}, {"min_confidence": "0.85"},
           {"outlet": "Euromaidan Press", "as_of": "2025-09-05"}]


@pytest.fixture(scope="module")
def dev(tmp_path_factory, neo4j_driver):
    with neo4j_driver.session() as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    store = open_store(tmp_path_factory.mktemp("proj") / "store")
    load_articles(list(read_path(DEV_DUMP)), store)
    report = project_to_neo4j(store, neo4j_driver)
    return store, report


def normalise(rows):
    return sorted(tuple(round(v, 2) if isinstance(v, float) else ("" if v is None else v) for v in r)
                  for r in rows)


def test_generated_cypher_is_pinned():
    assert merge_nodes_cypher("Claim") == \
        "UNWIND $rows AS row MERGE (n:Resource {iri: row.iri}) SET n:Claim SET n += row.props"
    assert merge_rels_cypher("ACTOR") == ("UNWIND $rows AS row MATCH (a:Resource {iri: row.source}) "
                                          "MATCH (b:Resource {iri: row.target}) MERGE (a)-[:ACTOR]->(b)")
    assert "CREATE CONSTRAINT claim_iri IF NOT EXISTS FOR (n:Claim) REQUIRE n.iri IS UNIQUE" in \
        constraint_statements()


def test_every_saved_query_has_a_cypher_twin_with_the_same_header():
    for q in load_catalogue().values():
        assert q.cypher_path is not None, q.name
        sparql_header = parse_header(q.sparql_path.read_text())
        cypher_header = parse_header(q.cypher_path.read_text(), marker="//")
        for key in ("title", "question", "params", "returns"):
            assert cypher_header.get(key) == sparql_header.get(key), (q.name, key)


@pytest.mark.parametrize("name", sorted(load_catalogue()))
def test_sparql_and_cypher_give_the_same_rows(dev, neo4j_driver, name):
    store, _ = dev
    q = load_catalogue()[name]
    keep = list(q.returns)
    pick = lambda cols, rows: [[r[cols.index(c)] for c in keep] for r in rows]  # noqa: E731
    answered = 0
    for filters in FILTERS:
        values = {**filters, **({"actor": ACTOR[name]} if name in ACTOR else {})}
        s_cols, s_rows = answer(store, q, values)
        c_cols, c_rows = answer_cypher(neo4j_driver, q, values)
        assert normalise(pick(c_cols, c_rows)) == normalise(pick(s_cols, s_rows)), values
        answered += len(s_rows)
    assert answered or name in ("stance-changes", "conflicts", "conditional"), \
        f"{name} answered nothing on the dev corpus"


def test_refused_troops_in_neo4j(dev, neo4j_driver):
    _, rows = answer_cypher(neo4j_driver, load_catalogue()["refused-troops"], {})
    assert {r[0] for r in rows} == {"Italy", "United States", "China"}


def test_syncing_twice_changes_no_counts(dev, neo4j_driver):
    store, first = dev
    second = project_to_neo4j(store, neo4j_driver)
    assert (second.synced, second.unchanged) == (0, 7)
    assert (second.nodes, second.relationships) == (first.nodes, first.relationships)


def test_direct_stance_edges_are_the_current_stances_with_their_provenance(dev, neo4j_driver):
    store, _ = dev
    with neo4j_driver.session() as s:
        r = s.run("MATCH (:Country {name: 'Italy'})-[r:REFUSES]->(k) RETURN r, k.name AS kind").single()
        edges = s.run("MATCH (a)-[r:COMMITS|REFUSES|UNDECIDED|CONDITIONS]->(k) "
                      "RETURN a.iri AS a, type(r) AS t, k.iri AS k").values()
    _, rows = answer(store, load_catalogue()["refused"], {})
    italy = next(row for row in rows if row[0] == "Italy")
    assert r["kind"] == "Reassurance force"
    assert (str(r["r"]["latest_date"]), r["r"]["claim"], r["r"]["support_articles"], r["r"]["support_outlets"]) \
        == ("2025-09-04", italy[7], 1, 1)
    assert "Italy" in r["r"]["quote"]
    _, current = store.select("SELECT ?a ?r ?k WHERE { GRAPH <https://w3id.org/stancegraph/id/graph/stances> "
                              "{ ?a <https://w3id.org/stancegraph/ns#currentStance> ?s . "
                              "?s <https://w3id.org/stancegraph/ns#stanceRelation> ?r ; "
                              "<https://w3id.org/stancegraph/ns#stanceObject> ?k } }")
    assert sorted(edges) == sorted([a, r.rsplit("#", 1)[1].upper(), k] for a, r, k in current)


def test_an_article_reloaded_with_fewer_claims_loses_them_in_neo4j(tmp_path, neo4j_driver, clean_neo4j):
    store = open_store(tmp_path / "store")
    long = make_article("Italy has ruled out sending troops. Spain has ruled out sending soldiers.",
                        title="Two refusals", url="https://t.invalid/two")
    load_articles([long], store)
    project_to_neo4j(store, neo4j_driver)
    short = make_article("Italy has ruled out sending troops.", title="Two refusals", url="https://t.invalid/two")
    load_articles([short], store)
    report = project_to_neo4j(store, neo4j_driver)
    assert report.synced == 1
    with neo4j_driver.session() as s:
        actors = {r["name"] for r in s.run("MATCH (:Claim)-[:ACTOR]->(a) RETURN a.name AS name")}
        edges = {r["name"] for r in s.run("MATCH (a)-[:REFUSES]->() RETURN a.name AS name")}
    assert actors == edges == {"Italy"}


def _snapshot(driver) -> tuple[list, list]:
    """Every node (iri, labels, properties) and relationship of Neo4j, as sortable text."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n) RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props")
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.iri AS a, type(r) AS t, b.iri AS b, properties(r) AS props")
    return (sorted((r["iri"], sorted(r["labels"]), sorted((k, str(v)) for k, v in r["props"].items()))
                   for r in nodes),
            sorted((r["a"], r["t"], r["b"], sorted((k, str(v)) for k, v in r["props"].items()))
                   for r in rels))


def test_new_articles_written_many_to_a_transaction_give_the_graph_written_one_by_one(
        tmp_path, clean_neo4j, monkeypatch):
    from stancegraph.loaders.store import neo4j as projection

    store = open_store(tmp_path / "store")
    load_articles(list(read_path(DEV_DUMP)) + list(read_path(ROOT / "examples")), store)
    articles = len(store.article_graphs())
    shots = []
    for per_transaction in (1, 4, 1000):
        clean_neo4j.execute_query("MATCH (n) DETACH DELETE n")
        monkeypatch.setattr(projection, "NEW_PER_TRANSACTION", per_transaction)
        report = project_to_neo4j(store, clean_neo4j)
        assert (report.synced, report.unchanged) == (articles, 0)
        shots.append(_snapshot(clean_neo4j))
    nodes, rels = shots[0]
    assert len([n for n in nodes if "Article" in n[1]]) == articles and len(rels) > 10 * articles
    assert shots[1] == shots[0] and shots[2] == shots[0]


def test_cli_sync_and_query_with_the_neo4j_engine(tmp_path, neo4j_server, clean_neo4j):
    import csv
    import io
    import os

    from typer.testing import CliRunner

    from stancegraph.cli.main import app

    env = {"NEO4J_URI": neo4j_server.uri, "NEO4J_USER": neo4j_server.user,
           "NEO4J_PASSWORD": neo4j_server.password}
    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(app, ["load", str(DEV_DUMP), "--store", store]).exit_code == 0
    first = runner.invoke(app, ["neo4j", "sync", "--store", store], env=env)
    assert first.exit_code == 0 and "synced 7 articles" in first.stdout
    assert neo4j_server.password not in first.stdout + (first.stderr or "")
    again = runner.invoke(app, ["neo4j", "sync", "--store", store], env=env)
    assert "synced 0 articles (7 unchanged" in again.stdout
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = runner.invoke(app, ["query", "refused-troops", "--engine", "neo4j", "--format", "csv"])
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["actor"] for r in rows} == {"Italy", "United States", "China"}
