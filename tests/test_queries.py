"""Saved queries: headers the catalogue reads, safe binding, as-of answers, stance changes,
and the analysts' headline questions on the dev corpus."""
from __future__ import annotations

from pathlib import Path

import pytest

from builders import country, make_article, stance_claim
from stancegraph.loaders.mapping import article_graph
from stancegraph.loaders.model import Relation
from stancegraph.queries.catalogue import QueryError, answer, bind, get_query, load_catalogue

QUERIES = Path(__file__).resolve().parents[1] / "queries"


def actors(store, name, **values):
    columns, rows = answer(store, get_query(name), values)
    return {r[columns.index("actor")] for r in rows}


def test_every_saved_query_has_a_complete_header_and_runs_on_an_empty_store(store):
    catalogue = load_catalogue()
    assert set(catalogue) == {p.stem for p in QUERIES.glob("*.rq")}
    for q in catalogue.values():
        assert q.title and q.question.endswith("?") and q.returns, q.name
        values = {p.name: {"actor": "Italy", "kind": "Weapons", "date": "2025-09-01"}.get(p.type, "x")
                  for p in q.params if p.required}
        columns, rows = answer(store, q, values)
        assert rows == [] and set(q.returns) <= set(columns), q.name


def test_unknown_parameter_and_bad_values_are_refused():
    q = get_query("undecided")
    with pytest.raises(QueryError, match="has no parameter 'country'"):
        bind(q, {"country": "Italy"})
    with pytest.raises(QueryError, match=r"'as_of': 'last week' is not a date"):
        bind(q, {"as_of": "last week"})
    with pytest.raises(QueryError, match="unknown commitment kind 'tanks'"):
        bind(q, {"kind": "tanks"})
    with pytest.raises(QueryError, match="needs parameter 'actor'"):
        bind(get_query("stance-timeline"), {})


def test_injection_attempt_is_refused_and_the_store_unchanged(dev_store):
    before = dev_store.stats()
    with pytest.raises(QueryError, match="no actor called"):
        answer(dev_store, get_query("stance-timeline"), {"actor": 'Italy" } ; DROP ALL ; #'})
    with pytest.raises(QueryError):
        answer(dev_store, get_query("refused-troops"), {"as_of": '2025-01-01"^^<x> } DROP ALL #'})
    assert dev_store.stats() == before


def _load(store, *articles_and_claims):
    store.ensure_reference_graphs()
    for article, claims in articles_and_claims:
        store.put_article(article, article_graph(article, claims))
    store.recompute_stances()


def two_article_story():
    """Poland undecided on 1 September, committed on 8 September (written for this test)."""
    a1 = make_article("Poland has yet to decide whether to send troops.", title="Poland weighs", day="2025-09-01")
    a2 = make_article("Poland is ready to deploy troops after a ceasefire.", title="Poland commits", day="2025-09-08")
    poland = country("POL", "Poland")
    return ((a1, [stance_claim(a1, poland, Relation.UNDECIDED, a1.body)]),
            (a2, [stance_claim(a2, poland, Relation.COMMITS, a2.body)]))


def test_stance_changes_explains_an_actor_that_moved_from_undecided_to_committed(store):
    _load(store, *two_article_story())
    columns, rows = answer(store, get_query("stance-changes"), {})
    shown = ["actor", "kind", "earlier_relation", "earlier_date", "earlier_quote", "later_relation",
             "later_date", "later_quote"]
    assert [{c: r[columns.index(c)] for c in shown} for r in rows] == [{
        "actor": "Poland", "kind": "Reassurance force",
        "earlier_relation": "undecided", "earlier_date": "2025-09-01",
        "earlier_quote": "Poland has yet to decide whether to send troops.",
        "later_relation": "commits", "later_date": "2025-09-08",
        "later_quote": "Poland is ready to deploy troops after a ceasefire."}]
    assert answer(store, get_query("stance-changes"), {"as_of": "2025-09-05"})[1] == []


def test_as_of_answers_from_the_claims_known_at_that_date(store):
    _load(store, *two_article_story())
    assert actors(store, "undecided") == set()
    assert actors(store, "undecided", as_of="2025-09-02") == {"Poland"}
    assert actors(store, "committed-troops") == {"Poland"}
    assert actors(store, "committed-troops", as_of="2025-09-02") == set()


def test_derived_stances_graph_has_the_latest_stance_and_the_change(store):
    _load(store, *two_article_story())
    _, rows = store.select("""PREFIX sg: <https://w3id.org/stancegraph/ns#>
        SELECT ?rel ?n ?d WHERE { GRAPH <https://w3id.org/stancegraph/id/graph/stances> {
          ?s a sg:Stance ; sg:stanceRelation ?rel ; sg:supportCount ?n ; sg:latestDate ?d } }""")
    assert rows == [["https://w3id.org/stancegraph/ns#commits", 1, "2025-09-08"]]
    _, changes = store.select("PREFIX sg: <https://w3id.org/stancegraph/ns#> "
                              "SELECT ?c WHERE { ?c a sg:StanceChange }")
    assert len(changes) == 1


def test_headline_questions_on_the_dev_corpus(dev_store):
    assert actors(dev_store, "refused-troops") == {"Italy", "United States", "China"}
    assert actors(dev_store, "undecided") == {"Germany"}
    committed = actors(dev_store, "committed-troops")
    assert {"United Kingdom", "France", "Netherlands", "Australia", "Denmark", "Finland",
            "Iceland", "Norway", "Sweden", "Estonia", "Latvia", "Lithuania"} <= committed
    assert not committed & {"Italy", "United States", "China", "Germany"}


def test_every_answer_row_carries_its_evidence(dev_store):
    columns, rows = answer(dev_store, get_query("refused-troops"), {})
    for row in rows:
        r = dict(zip(columns, row))
        assert r["quote"] and r["outlet"] == "Euromaidan Press" and r["article"]
        assert r["claim"].startswith("https://w3id.org/stancegraph/id/claim/")
        assert r["actor_iri"].startswith("https://w3id.org/stancegraph/id/country/")
        assert r["support_articles"] >= 1 and r["support_outlets"] == 1
        assert r["latest_date"].startswith("2025-")


def test_statements_by_a_person_and_timeline_of_a_country(dev_store):
    columns, rows = answer(dev_store, get_query("statements-by"), {"actor": "Lavrov"})
    assert [r[columns.index("speaker")] for r in rows] == ["Sergei Lavrov"] * len(rows) and rows
    columns, rows = answer(dev_store, get_query("stance-timeline"), {"actor": "Italy"})
    assert {r[columns.index("relation")] for r in rows} == {"refuses"}


@pytest.mark.parametrize("check", sorted((QUERIES / "checks").glob("*-violation.rq")), ids=lambda p: p.stem)
def test_violation_checks_return_no_rows_on_a_real_load(dev_store, check):
    assert dev_store.select(check.read_text())[1] == []


def test_no_projected_name_is_also_a_variable_of_the_pattern():
    """`(STR(?x) AS ?y)` with ?y bound in WHERE is an error for Jena (and SPARQL 1.1)."""
    import re

    for q in load_catalogue().values():
        text = q.sparql
        top = text[text.index("SELECT"):]
        head, where = top[:top.index("WHERE {")], top[top.index("WHERE {"):top.rindex("\n}")]
        clashes = [a for a in re.findall(r"AS \?(\w+)\)", head) if re.search(rf"\?{a}\b", where)]
        assert clashes == [], q.name
