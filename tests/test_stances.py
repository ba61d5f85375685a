"""Materialised stances: the saved questions read graph/stances, and give the same answers as
a reference that aggregates every claim directly (tests/stance_reference.py), on the dev and the
news corpora, for every relation, kind and filter; incremental upkeep equals a full rebuild."""
from __future__ import annotations

import pytest

from builders import SHARED, country, make_article, stance_claim
from stance_reference import claim_rows, conflict_days, keep, latest_stances
from stancegraph.loaders.mapping import article_graph
from stancegraph.loaders.model import Relation
from stancegraph.ontology.kinds import load_kinds
from stancegraph.ontology.vocab import STANCES_GRAPH, STORIES_GRAPH
from stancegraph.queries.catalogue import QueryError, answer, get_query

SG = "https://w3id.org/stancegraph/ns#"
LISTS = {"committed": "commits", "refused": "refuses", "undecided": "undecided",
         "conditional": "conditions"}
FILTERS = [{}, {"as_of": "2025-09-01"}, {"as_of": "2025-09-04"}, {"as_of": "2025-03-31"},
           {"since": "2025-09-02"}, {"min_confidence": "0.8"}, {"outlet": "Euromaidan Press"},
           {"as_of": "2025-12-31", "since": "2025-06-01", "min_confidence": "0.7"}]


@pytest.fixture(scope="module")
def news_store(tmp_path_factory):
    from stancegraph.loaders.pipeline import load_articles
    from stancegraph.loaders.read import read_sources
    from stancegraph.loaders.store import open_store

    db = open_store(tmp_path_factory.mktemp("news") / "store")
    load_articles(read_sources([str(SHARED / "corpus" / "news" / "feed.xml")], []), db)
    return db


@pytest.fixture(params=["dev", "news"])
def corpus(request, dev_store, news_store):
    return {"dev": dev_store, "news": news_store}[request.param]


def _reference_args(values: dict) -> dict:
    from stancegraph.loaders.mapping import outlet_iri

    return {"as_of": values.get("as_of", "9999-12-31"), "since": values.get("since"),
            "min_confidence": float(values["min_confidence"]) if "min_confidence" in values else None,
            "outlet": str(outlet_iri(values["outlet"])) if "outlet" in values else None}


def _listed_types(store) -> dict[str, set[str]]:
    _, rows = store.select("SELECT ?a ?t WHERE { GRAPH ?g { ?a a ?t } }")
    out: dict[str, set[str]] = {}
    for a, t in rows:
        out.setdefault(a, set()).add(t.rsplit("#", 1)[-1])
    return out


def _rows(store, name, values):
    columns, rows = answer(store, get_query(name), values)
    return [dict(zip(columns, r)) for r in rows]


@pytest.mark.parametrize("values", FILTERS, ids=lambda v: ",".join(f"{k}={x}" for k, x in v.items()) or "default")
def test_stance_lists_equal_the_claims_reference(corpus, values):
    reference = latest_stances(claim_rows(corpus), **_reference_args(values))
    types = _listed_types(corpus)
    listed = {"Country", "Coalition", "Group", "Organization"}
    for kind in load_kinds():
        for name, relation in LISTS.items():
            expected = sorted(
                (who, s["claim"], s["date"], s["support_articles"], s["support_outlets"], ", ".join(s["conflict"]))
                for (who, k), s in reference.items()
                if k == kind.iri and s["relation"] == SG + relation and types.get(who, set()) & listed)
            got = sorted((r["actor_iri"], r["claim"], r["latest_date"], r["support_articles"],
                          r["support_outlets"], r["conflict"])
                         for r in _rows(corpus, name, {**values, "kind": kind.name}))
            assert got == expected, (name, kind.name, values)


@pytest.mark.parametrize("values", FILTERS[:5], ids=lambda v: ",".join(f"{k}={x}" for k, x in v.items()) or "default")
def test_matrix_changes_and_conflicts_equal_the_claims_reference(corpus, values):
    rows = claim_rows(corpus)
    reference = latest_stances(rows, **_reference_args(values))
    types = _listed_types(corpus)
    expected = sorted((who, k, s["relation"].rsplit("#", 1)[1], s["claim"], s["support_articles"],
                       s["support_outlets"]) for (who, k), s in reference.items()
                      if "Country" in types.get(who, set()))
    matrix = _rows(corpus, "commitment-matrix", values)
    kinds = {k.label: k.iri for k in load_kinds()}
    assert sorted((r["actor_iri"], kinds[r["kind"]], r["relation"], r["claim"], r["support_articles"],
                   r["support_outlets"]) for r in matrix) == expected
    changes = _rows(corpus, "stance-changes", values)
    assert sorted((r["actor_iri"], kinds[r["kind"]], r["earlier_claim"], r["later_claim"]) for r in changes) == \
        sorted((who, k, s["earlier"], s["claim"]) for (who, k), s in reference.items() if s["earlier"])
    conflicts = _rows(corpus, "conflicts", values)
    assert {(r["actor_iri"], kinds[r["kind"]], r["date"], r["claim"], r["decides"]) for r in conflicts} == \
        conflict_days(rows, **_reference_args(values))


@pytest.mark.parametrize("values", FILTERS[:6], ids=lambda v: ",".join(f"{k}={x}" for k, x in v.items()) or "default")
def test_each_timeline_row_names_the_other_stances_of_its_actor_kind_and_day(corpus, values):
    rows = claim_rows(corpus)
    args = _reference_args(values)
    kept = [r for r in rows if keep(r, **args)]
    kind_of = {r.claim: r.kind for r in kept}
    relations: dict[tuple[str, str, str], set[str]] = {}
    for r in kept:
        relations.setdefault((r.who, r.kind, r.date), set()).add(r.relation.rsplit("#", 1)[1])
    checked, asked = 0, set()
    for who in sorted({r.who for r in kept}):
        try:
            timeline = _rows(corpus, "stance-timeline", {**values, "actor": who})
        except QueryError:          # a person found in an article only: not a gazetteer name
            continue
        asked.add(who)
        for row in timeline:
            if row["relation"] not in LISTS.values():
                continue
            others = relations[(who, kind_of[row["claim"]], row["date"])] - {row["relation"]}
            assert row["conflict"] == ", ".join(sorted(others)), (who, row["claim"], values)
            checked += 1
    assert (asked or not kept) and checked == len({(r.who, r.claim) for r in kept if r.who in asked})


def test_a_timeline_shows_a_same_day_conflict_only_among_the_claims_its_filters_keep(store):
    store.ensure_reference_graphs()
    for article, claims in _story():
        store.put_article(article, article_graph(article, claims))
    store.recompute_stances()
    timeline = _rows(store, "stance-timeline", {"actor": "Italy"})
    assert sorted((r["relation"], r["conflict"]) for r in timeline) == [("commits", "refuses"),
                                                                        ("refuses", "commits")]
    confident = _rows(store, "stance-timeline", {"actor": "Italy", "min_confidence": "0.85"})
    assert [(r["relation"], r["conflict"]) for r in confident] == [("refuses", "")]
    poland = _rows(store, "stance-timeline", {"actor": "Poland"})
    assert [(r["relation"], r["conflict"]) for r in poland] == [("undecided", ""), ("commits", "")]


def test_the_troops_questions_are_the_kind_questions_with_the_default_kind(corpus):
    for kept, general in (("committed-troops", "committed"), ("refused-troops", "refused")):
        for values in ({}, {"as_of": "2025-09-01"}, {"since": "2025-09-02"}):
            assert _rows(corpus, kept, values) == _rows(corpus, general, values)


def test_a_filter_that_keeps_every_claim_gives_the_materialised_answer(corpus):
    """since=0001-01-01 runs the query-time branch; it must agree with graph/stances."""
    for name in ("committed", "refused", "undecided", "commitment-matrix", "stance-changes"):
        assert _rows(corpus, name, {"since": "0001-01-01"}) == _rows(corpus, name, {}), name
        assert _rows(corpus, name, {"since": "0001-01-01", "as_of": "2025-09-03"}) == \
            _rows(corpus, name, {"as_of": "2025-09-03"}), name


# -- upkeep -------------------------------------------------------------------------------
def _derived(store) -> tuple[set, set]:
    return tuple(set(store.graph_ntriples(g).splitlines()) for g in (STANCES_GRAPH, STORIES_GRAPH))


def _story():
    """Poland undecided, then committed, then Italy refusing the same day as committing."""
    poland, italy = country("POL", "Poland"), country("ITA", "Italy")
    a1 = make_article("Poland has yet to decide whether to send troops.", title="Poland weighs", day="2025-09-01")
    a2 = make_article("Poland is ready to deploy troops after a ceasefire.", title="Poland commits", day="2025-09-08")
    a3 = make_article("Italy has ruled out sending troops. Italy is ready to send troops.", title="Italy both",
                      day="2025-09-08", outlet="Other Wire")
    return [(a1, [stance_claim(a1, poland, Relation.UNDECIDED, a1.body)]),
            (a2, [stance_claim(a2, poland, Relation.COMMITS, a2.body)]),
            (a3, [stance_claim(a3, italy, Relation.REFUSES, "Italy has ruled out sending troops.", confidence=0.9),
                  stance_claim(a3, italy, Relation.COMMITS, "Italy is ready to send troops.", confidence=0.8)])]


def test_incremental_upkeep_equals_a_full_rebuild(tmp_path):
    from stancegraph.loaders.store import open_store

    one_by_one = open_store(tmp_path / "a")
    one_by_one.ensure_reference_graphs()
    for article, claims in _story():
        one_by_one.put_article(article, article_graph(article, claims))
        one_by_one.recompute_stances(detect=False)
    rebuilt = open_store(tmp_path / "b")
    rebuilt.ensure_reference_graphs()
    for article, claims in reversed(_story()):
        rebuilt.put_article(article, article_graph(article, claims))
    rebuilt.recompute_stances(full=True)
    assert _derived(one_by_one) == _derived(rebuilt)


@pytest.mark.parametrize("writer", ["difference", "delete and insert"])
def test_adding_and_removing_articles_keeps_what_a_full_rebuild_gives(tmp_path, writer):
    """Incremental upkeep on the news corpus: half the articles, then the other half (claims
    dated before, between and after the stored ones), then one removed; the derived graphs equal
    a first load of the same articles. The embedded store writes only the difference of each
    touched pair; the generic writer (every other store) deletes and inserts it whole."""
    from stancegraph.loaders.pipeline import load_articles
    from stancegraph.loaders.read import read_sources
    from stancegraph.loaders.store import open_store
    from stancegraph.loaders.store.derived import replace_pair_nodes_by_update

    articles = list(read_sources([str(SHARED / "corpus" / "news" / "feed.xml")], []))
    store = open_store(tmp_path / "incremental")
    if writer == "delete and insert":
        store.replace_pair_nodes = lambda pairs, lines: replace_pair_nodes_by_update(store, pairs, lines)
    load_articles(articles[::2], store)
    load_articles(articles[1::2], store)
    assert store.remove_article(articles[0])
    store.recompute_stances(detect=False)
    fresh = open_store(tmp_path / "fresh")
    load_articles(articles[1:], fresh)
    assert _derived(store) == _derived(fresh)
    assert len(_derived(fresh)[0]) > 500


def test_a_load_touches_only_the_pairs_of_the_articles_it_changed(tmp_path):
    from stancegraph.loaders.store import open_store

    store = open_store(tmp_path / "s")
    store.ensure_reference_graphs()
    for article, claims in _story()[:2]:
        store.put_article(article, article_graph(article, claims))
    store.recompute_stances()
    article, claims = _story()[2]
    store.put_article(article, article_graph(article, claims))
    report = store.recompute_stances(detect=False)
    assert (report.pairs, report.articles, report.full) == (1, 1, False)


def test_a_same_day_conflict_is_shown_not_silently_resolved(store):
    store.ensure_reference_graphs()
    for article, claims in _story():
        store.put_article(article, article_graph(article, claims))
    store.recompute_stances()
    refused = _rows(store, "refused", {})
    assert [(r["actor"], r["conflict"], r["confidence"]) for r in refused] == [("Italy", "commits", 0.9)]
    conflicts = _rows(store, "conflicts", {})
    assert [(r["actor"], r["date"], r["relation"], r["decides"]) for r in conflicts] == [
        ("Italy", "2025-09-08", "refuses", "yes"), ("Italy", "2025-09-08", "commits", "no")]


def test_after_an_article_graph_is_dropped_the_checks_find_it_and_recompute_repairs(store):
    """A write by another path (here a raw DROP GRAPH, as a Graph Store DELETE does)."""
    from stancegraph.loaders.mapping import graph_iri
    from stancegraph.loaders.store.derived import stale

    store.ensure_reference_graphs()
    for article, claims in _story():
        store.put_article(article, article_graph(article, claims))
    store.recompute_stances()
    assert not stale(store)
    gone = _story()[1][0]
    store.update(f"DROP GRAPH <{graph_iri(gone)}>")
    found = stale(store)
    assert found.pairs == {("https://w3id.org/stancegraph/id/country/POL", SG + "ReassuranceForce")}
    report = store.recompute_stances()
    assert report.stale == 2 and not stale(store)
    assert [(r["actor"], r["latest_date"]) for r in _rows(store, "undecided", {})] == [("Poland", "2025-09-01")]


def test_a_change_row_keeps_every_character_of_its_quotes_and_a_missing_url(tmp_path):
    """The current change is read from its packed row (sg:changeRow): the row equals what the
    claims say, for quotes with double quotes and backslashes and an article without a URL,
    after a full rebuild and after incremental upkeep alike."""
    from stancegraph.loaders.mapping.ids import claim_iri
    from stancegraph.loaders.store import open_store

    spain = country("ESP", "Spain")
    first = make_article('Spain said it "will not send troops" to Ukraine \\ for now.', title="Spain no",
                         day="2025-09-01", url="https://news.example.org/spain-no")
    second = make_article('Spain is ready to send troops, the minister said: "we are ready".',
                          title="Spain yes", day="2025-09-09", outlet="Other Wire")
    story = [(first, [stance_claim(first, spain, Relation.REFUSES, first.body)]),
             (second, [stance_claim(second, spain, Relation.COMMITS, second.body)])]
    expected = {"actor": "Spain", "kind": "Reassurance force", "earlier_relation": "refuses",
                "earlier_date": "2025-09-01", "earlier_quote": first.body, "later_relation": "commits",
                "later_date": "2025-09-09", "later_quote": second.body,
                "earlier_claim": str(claim_iri(story[0][1][0])), "later_claim": str(claim_iri(story[1][1][0])),
                "outlet": "Other Wire", "article_url": None, "actor_iri": spain.id}
    for how in ("full", "incremental"):
        store = open_store(tmp_path / how)
        store.ensure_reference_graphs()
        for article, claims in story:
            store.put_article(article, article_graph(article, claims))
            if how == "incremental":
                store.recompute_stances(detect=False)
        if how == "full":
            store.recompute_stances(full=True)
        assert _rows(store, "stance-changes", {}) == [expected], how
        assert _rows(store, "stance-changes", {"since": "0001-01-01"}) == [expected], how


def test_the_embedded_store_looks_up_change_details_as_the_query_joins_them(corpus):
    """The embedded store reads a change row's quotes and sources by index look-ups; every other
    store by one SELECT. Both give the same details for every claim of the corpus."""
    from stancegraph.loaders.store.derived import change_details_by_query

    _, rows = corpus.select(f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?c a <{SG}Claim> }} }} ORDER BY ?c")
    claims = [r[0] for r in rows]
    quotes, sources = corpus.change_details(claims, claims)
    assert len(quotes) == len(claims) and sources
    assert (quotes, sources) == change_details_by_query(corpus, claims, claims)


@pytest.mark.parametrize("version", ["stancegraph-derivation/3", "stancegraph-derivation/2"])
def test_a_store_derived_by_an_earlier_version_is_brought_up_to_date_before_a_question(tmp_path, version):
    """A store whose stances graph an earlier version wrote (here: without the change rows) is
    brought up to date once by the first command that opens it: the previous version in place,
    an older one derived again; either way the graph equals a fresh derivation."""
    from typer.testing import CliRunner

    from stancegraph.cli.main import app
    from stancegraph.loaders.store import close_store, open_store
    from stancegraph.loaders.store.derived import DERIVATION

    path = tmp_path / "s"
    store = open_store(path)
    store.ensure_reference_graphs()
    for article, claims in _story():
        store.put_article(article, article_graph(article, claims))
    store.recompute_stances()
    fresh = _derived(store)
    expected = _rows(store, "stance-changes", {})
    assert [r["actor"] for r in expected] == ["Poland"]
    st = f"GRAPH <{STANCES_GRAPH}>"
    store.update(f"DELETE WHERE {{ {st} {{ ?s <{SG}changeRow> ?row }} }} ;\n"
                 f'DELETE DATA {{ {st} {{ <{STANCES_GRAPH}> <{SG}fingerprint> "{DERIVATION}" }} }} ;\n'
                 f'INSERT DATA {{ {st} {{ <{STANCES_GRAPH}> <{SG}fingerprint> "{version}" }} }}')
    assert _rows(store, "stance-changes", {}) == []          # what an old graph would answer
    del store
    close_store(path)
    result = CliRunner().invoke(app, ["query", "stance-changes", "--store", str(path), "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"note: {path.resolve()}: the derived stances were written by an earlier version" in result.stderr
    assert [r["later_claim"] for r in __import__("json").loads(result.stdout)] == \
        [r["later_claim"] for r in expected]
    again = open_store(path)
    assert _derived(again) == fresh
    del again
    close_store(path)
    second = CliRunner().invoke(app, ["query", "stance-changes", "--store", str(path)], catch_exceptions=False)
    assert "earlier version" not in second.stderr


@pytest.mark.parametrize("beside", [True, False], ids=["loads beside the derivation", "loads in turn"])
def test_a_rebuild_written_in_many_bulk_loads_equals_one_written_at_once(tmp_path, monkeypatch, beside):
    """A full rebuild of the news corpus cut into bulk loads of 100 lines: each load runs in a
    thread while the next chunk is derived (the embedded store) or in turn (any other store);
    the graph equals one written in a single load."""
    from stancegraph.loaders.pipeline import load_articles
    from stancegraph.loaders.read import read_sources
    from stancegraph.loaders.store import derived, open_store

    articles = list(read_sources([str(SHARED / "corpus" / "news" / "feed.xml")], []))
    whole = open_store(tmp_path / "whole")
    with monkeypatch.context() as m:
        m.setattr(derived, "BULK_LINES", 10**9)
        load_articles(articles, whole)
    store = open_store(tmp_path / "chunked")
    store.bulk_beside_reads = beside
    loads = []
    real = store.bulk_insert_ntriples
    store.bulk_insert_ntriples = lambda g, lines: (g == STANCES_GRAPH and loads.append(len(lines))) or \
        real(g, lines)
    with monkeypatch.context() as m:
        m.setattr(derived, "BULK_LINES", 100)
        load_articles(articles, store)
    assert len([n for n in loads if n >= 100]) > 5
    assert _derived(store) == _derived(whole)


def test_a_bulk_load_that_fails_in_its_thread_stops_the_rebuild_and_the_next_one_redoes_it(tmp_path, monkeypatch):
    """The second bulk load of the stances graph fails while the next chunk is derived: the
    error reaches the caller, nothing is loaded after it and the fingerprint is not written, so
    the next recompute derives the whole graph again."""
    from stancegraph.loaders.pipeline import load_articles
    from stancegraph.loaders.read import read_sources
    from stancegraph.loaders.store import derived, open_store

    articles = list(read_sources([str(SHARED / "corpus" / "news" / "feed.xml")], []))
    fresh = open_store(tmp_path / "fresh")
    load_articles(articles, fresh)
    store = open_store(tmp_path / "s")
    assert store.bulk_beside_reads
    calls = []
    real = store.bulk_insert_ntriples

    def failing(g, lines):
        if g == STANCES_GRAPH:
            calls.append(len(lines))
            if len(calls) == 2:
                raise OSError("disk full")
        real(g, lines)

    store.bulk_insert_ntriples = failing
    with monkeypatch.context() as m:
        m.setattr(derived, "BULK_LINES", 100)
        with pytest.raises(OSError, match="disk full"):
            load_articles(articles, store)
    assert len(calls) == 2                  # the failure was raised at the next load: none after
    assert not store.ask(f"ASK {{ GRAPH <{STANCES_GRAPH}> {{ <{STANCES_GRAPH}> <{SG}fingerprint> ?v }} }}")
    del store.bulk_insert_ntriples
    store.recompute_stances(detect=False)
    assert _derived(store) == _derived(fresh)
