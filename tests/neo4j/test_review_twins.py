"""Every saved question applies the review decisions, in SPARQL and in its Cypher twin alike: the
dev corpus with a retraction, corrections (relation, actor, kind) and a confirmation, projected
into Neo4j, gives the same rows both ways, with every filter."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/neo4j, for test_projection
from test_projection import ACTOR, FILTERS, normalise  # noqa: E402

from builders import DEV_DUMP
from stancegraph.loaders.pipeline import load_articles
from stancegraph.loaders.read import read_path
from stancegraph.loaders.store import open_store
from stancegraph.loaders.store.neo4j import project_to_neo4j
from stancegraph.loaders.store.reviews import decide
from stancegraph.ontology.vocab import SG_IRI
from stancegraph.queries.catalogue import answer, answer_cypher, load_catalogue


def _claim(store, query: str, actor: str, **values) -> str:
    columns, rows = answer(store, load_catalogue()[query], values)
    [row] = [r for r in rows if r[columns.index("actor")] == actor]
    return row[columns.index("claim")]


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory, neo4j_driver):
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    store = open_store(tmp_path_factory.mktemp("reviewed") / "store")
    load_articles(list(read_path(DEV_DUMP)), store)
    us, china = _claim(store, "refused-troops", "United States"), _claim(store, "refused-troops", "China")
    italy = _claim(store, "refused-troops", "Italy")
    iceland = _claim(store, "committed-troops", "Iceland")
    decide(store, us, "retract", "t", "test: retract")
    decide(store, italy, "correct", "t", "test: relation", relation=SG_IRI + "conditions")
    decide(store, iceland, "correct", "t", "test: actor and kind",
           actor="https://w3id.org/stancegraph/id/country/NOR", kind=SG_IRI + "AirSupport")
    decide(store, china, "confirm", "t", "test: confirm")
    project_to_neo4j(store, neo4j_driver)
    yield store, us
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")


def test_the_decisions_show_in_the_answers(reviewed, neo4j_driver):
    reviewed, retracted = reviewed
    for run in (lambda q, v: answer(reviewed, q, v), lambda q, v: answer_cypher(neo4j_driver, q, v)):
        columns, rows = run(load_catalogue()["refused-troops"], {})
        got = sorted((r[columns.index("actor")], round(float(r[columns.index("confidence")]), 2))
                     for r in rows)
        assert got[0] == ("China", 1.0)
        # other refusals of the US remain; the retracted one counts nowhere
        [us_claim] = [r[columns.index("claim")] for r in rows
                      if r[columns.index("actor")] == "United States"]
        assert us_claim != retracted
        columns, rows = run(load_catalogue()["conditional"], {})
        assert "Italy" in [r[columns.index("actor")] for r in rows]


@pytest.mark.parametrize("name", sorted(load_catalogue()))
def test_sparql_and_cypher_give_the_same_rows_after_reviews(reviewed, neo4j_driver, name):
    reviewed, _ = reviewed
    q = load_catalogue()[name]
    keep = list(q.returns)
    pick = lambda cols, rows: [[r[cols.index(c)] for c in keep] for r in rows]  # noqa: E731
    for filters in FILTERS:
        values = {**filters, **({"actor": ACTOR[name]} if name in ACTOR else {})}
        s_cols, s_rows = answer(reviewed, q, values)
        c_cols, c_rows = answer_cypher(neo4j_driver, q, values)
        assert normalise(pick(c_cols, c_rows)) == normalise(pick(s_cols, s_rows)), values
