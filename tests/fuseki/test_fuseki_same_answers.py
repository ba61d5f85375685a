"""The dev corpus loaded into Fuseki and into the embedded store gives the same rows for every
saved question in the catalogue, with its parameters bound every way a user can give them
(rdflib #1772: binding must be tested on every engine)."""
from __future__ import annotations

import pytest

from builders import DEV_DUMP, make_article
from fuseki_support import emptied
from stancegraph.loaders.pipeline import load_articles
from stancegraph.loaders.read import read_path
from stancegraph.loaders.store import open_store
from stancegraph.queries.catalogue import answer, load_catalogue

# Values a user could give, per parameter type: the first is used where a value is required.
SAMPLES = {
    "actor": ("United States", "Zelenskyy", "Italy", "the Netherlands", "Dutch",
              "https://w3id.org/stancegraph/id/country/FRA"),
    "kind": ("ReassuranceForce", "Security guarantee", "Weapons"),
    "date": ("2025-09-01", "2025-09-05"),
    "text": ("Euromaidan Press", 'Press" } ; DROP ALL ; #'),
    "int": ("2",),
    "number": ("0.5",),
}


def cases(query) -> list[dict[str, str]]:
    """Every required parameter with each of its samples, then each optional one with each."""
    base = {}
    for p in query.params:
        if p.required:
            assert p.type in SAMPLES, f"{query.name}: add sample values for type {p.type!r}"
            base[p.name] = SAMPLES[p.type][0]
    out = [base]
    for p in query.params:
        for value in SAMPLES.get(p.type, ()):
            if {**base, p.name: value} not in out:
                out.append({**base, p.name: value})
    return out


def follow_up_articles():
    """Germany undecided in August, refusing in September (written for these tests), so that
    the change queries have a change to show; Poland with a condition and Spain saying no and
    yes on one day, so that the conditional and conflict questions have rows too."""
    return [make_article("Germany has yet to decide whether to send troops to the reassurance "
                         "force.", title="Germany weighs a role", day="2025-08-19"),
            make_article("Germany will not send troops to Ukraine for now, Chancellor Friedrich "
                         "Merz said.", title="Merz rules out troops for now", day="2025-09-05"),
            make_article("Poland will send troops to Ukraine only if the United States provides a "
                         "backstop.", title="Poland sets a condition", day="2025-09-03"),
            make_article("Spain has ruled out sending troops to Ukraine. Spain is ready to send "
                         "troops to Ukraine.", title="Spain says no and yes", day="2025-09-04")]


@pytest.fixture(scope="module")
def stores(fuseki, tmp_path_factory):
    articles = [*read_path(DEV_DUMP), *follow_up_articles()]
    embedded = open_store(tmp_path_factory.mktemp("embedded") / "store")
    remote = emptied(fuseki)
    for store in (embedded, remote):
        report = load_articles(articles, store)
        assert (report.added, report.rejected, report.errors) == (11, [], [])
    return embedded, remote


@pytest.mark.parametrize("name", sorted(load_catalogue()))
def test_every_saved_query_gives_the_same_rows_on_fuseki_and_embedded(stores, name):
    embedded, remote = stores
    query = load_catalogue()[name]
    before = remote.triple_count()
    answered = 0
    for values in cases(query):
        expected = answer(embedded, query, values)
        assert answer(remote, query, values) == expected, values
        answered += len(expected[1])
    assert answered > 0, f"{name} has no rows on the dev corpus for any sample: a weak comparison"
    assert remote.triple_count() == before  # no value, however written, changed the store


def test_stats_agree_except_where_the_store_is(stores):
    embedded, remote = stores
    here, there = embedded.stats(), remote.stats()
    assert (here.pop("location"), there.pop("location")) == (embedded.location, remote.url)
    assert there == here


def test_the_same_article_graphs_and_titles(stores):
    embedded, remote = stores
    assert remote.article_graphs() == embedded.article_graphs()
