"""Mapping, validation and the embedded store: idempotent loads, exact replacement, violations
reported with their article and never committed."""
from __future__ import annotations

from pathlib import Path

import pytest

from rdflib import Graph, Literal
from rdflib.compare import graph_diff, to_isomorphic

from builders import country, make_article, stance_claim
from stancegraph.loaders.mapping import article_graph, article_iri, claim_iri
from stancegraph.loaders.model import Relation
from stancegraph.loaders.pipeline import load_articles
from stancegraph.loaders.validate import validate
from stancegraph.ontology.vocab import SG

GOLDEN = Path(__file__).parent / "golden"
ITALY, GERMANY = country("ITA", "Italy"), country("DEU", "Germany")
BODY = "Italy has ruled out sending troops. Germany has yet to decide on a contribution."


def two_claims():
    a = make_article(BODY, title="Europe splits over troops", url="https://t.invalid/europe")
    return a, [stance_claim(a, ITALY, Relation.REFUSES, "Italy has ruled out sending troops."),
               stance_claim(a, GERMANY, Relation.UNDECIDED,
                            "Germany has yet to decide on a contribution.", confidence=0.85)]


def test_mapping_matches_the_golden_graph():
    """The fingerprint hashes the extractor's rule files too (tested in test_read_dates), so the
    golden file holds a placeholder for it."""
    article, claims = two_claims()
    produced = article_graph(article, claims)
    produced.set((article_iri(article), SG.fingerprint, Literal("FINGERPRINT")))
    expected = Graph().parse(GOLDEN / "article.ttl", format="turtle")
    if to_isomorphic(produced) != to_isomorphic(expected):
        _, only_produced, only_expected = graph_diff(to_isomorphic(produced), to_isomorphic(expected))
        raise AssertionError("mapping differs from tests/golden/article.ttl\n"
                             f"only produced:\n{only_produced.serialize(format='nt')}\n"
                             f"only expected:\n{only_expected.serialize(format='nt')}")


def test_mapped_article_conforms_to_the_shapes():
    article, claims = two_claims()
    report = validate(article_graph(article, claims), article=article.title)
    assert (report.conforms, report.lines()) == (True, [])


def test_broken_claim_is_reported_with_its_article():
    article, claims = two_claims()
    g = article_graph(article, claims)
    italy_claim = claim_iri(claims[0])
    g.set((italy_claim, SG.quote, Literal("Italy will send troops.")))
    g.remove((claim_iri(claims[1]), SG.relation, None))
    report = validate(g, article=article.title)
    found = {(v.focus_node.rsplit("/", 1)[-1], (v.path or "").rsplit("#", 1)[-1], v.value and v.value.rsplit("/", 1)[-1])
             for v in report.violations}
    assert not report.conforms
    assert found == {(article_key(article), "quote", claims[0].id),
                     (claims[1].id, "relation", None)}
    assert all(line.startswith("article 'Europe splits over troops': ") for line in report.lines())


def article_key(article):
    return article.key


def test_loading_the_same_article_twice_changes_nothing(store):
    article, _ = two_claims()
    first = load_articles([article], store)
    stats = store.stats()
    second = load_articles([article], store)
    assert (first.added, second.unchanged, second.added) == (1, 1, 0)
    assert store.stats() == stats
    assert (stats["articles"], stats["claims"]) == (1, 2)


def test_a_reloaded_article_with_fewer_claims_loses_the_old_ones(store):
    article, _ = two_claims()
    load_articles([article], store)
    shorter = make_article("Italy has ruled out sending troops.", title="Europe splits over troops",
                           url="https://t.invalid/europe")
    report = load_articles([shorter], store)
    assert report.replaced == 1
    assert (store.stats()["articles"], store.stats()["claims"]) == (1, 1)
    _, rows = store.select("SELECT ?l WHERE { ?c <https://w3id.org/stancegraph/ns#actor> ?a . "
                           "?a <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }")
    assert [r[0] for r in rows] == ["Italy"]


def test_a_violating_article_is_not_committed_and_the_rest_goes_in(store, monkeypatch):
    good = make_article("Spain has ruled out sending soldiers.", title="Spain", url="https://t.invalid/es")
    bad = make_article("Italy has ruled out sending troops.", title="Italy", url="https://t.invalid/it")
    load_articles([good], store)
    before = store.stats()

    import stancegraph.loaders.pipeline as pipeline
    real = pipeline.article_ntriples

    def corrupt(article, claims):
        nt = real(article, claims)
        if article.title == "Italy":
            quote = f"<{SG.quote}> "
            nt = "".join(line.split(quote)[0] + quote + '"not in the article" .\n' if quote in line else line
                         for line in nt.splitlines(keepends=True))
        return nt

    monkeypatch.setattr(pipeline, "article_ntriples", corrupt)
    other = make_article("Austria is reluctant about ground troops.", title="Austria", url="https://t.invalid/at")
    report = load_articles([bad, other], store)
    assert (report.added, len(report.rejected)) == (1, 1)
    assert report.rejected[0].startswith("article 'Italy': ")
    assert store.stats()["articles"] == before["articles"] + 1
    assert not any(title == "Italy" for _, title in store.article_graphs())


def test_whole_store_validation_conforms_after_a_real_load(dev_store):
    from stancegraph.loaders.validate import validate_store

    report = validate_store(dev_store)
    assert (report.conforms, report.lines()) == (True, [])


def test_dev_corpus_becomes_exactly_seven_articles(dev_store):
    stats = dev_store.stats()
    assert stats["articles"] == 7
    assert stats["claims"] > 50


def test_export_round_trips_every_quad(store, tmp_path):
    import io

    import pyoxigraph as ox

    article, _ = two_claims()
    load_articles([article], store)
    buf = io.BytesIO()
    store.export("nq", buf)
    quads = set(ox.parse(buf.getvalue(), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == store.stats()["triples"]
    ttl = io.BytesIO()
    store.export("ttl", ttl)
    assert len(Graph().parse(data=ttl.getvalue().decode(), format="turtle")) > 0


SHAPE_CASES = Path(__file__).parent / "shapes"


@pytest.mark.parametrize("case", sorted((SHAPE_CASES / "invalid").glob("*.ttl")), ids=lambda p: p.stem)
def test_validate_file_reports_exactly_the_expected_violation(case):
    import re

    from stancegraph.loaders.validate import validate_file

    expected = re.search(r"^# expect: sgsh:(\S+) on <([^>]+)>", case.read_text(), re.MULTILINE)
    report = validate_file(case)
    assert {(v.focus_node, v.source_shape.rsplit("#", 1)[-1]) for v in report.violations} == \
        {(expected.group(2), expected.group(1))}


@pytest.mark.parametrize("case", sorted((SHAPE_CASES / "valid").glob("*.ttl")), ids=lambda p: p.stem)
def test_validate_file_accepts_the_valid_examples(case):
    from stancegraph.loaders.validate import validate_file

    report = validate_file(case)
    assert (report.conforms, report.lines()) == (True, [])


def test_stored_version_tells_current_other_and_absent_on_both_paths(store):
    """The pipeline asks it once per article: the embedded store's index lookups and the generic
    SPARQL query (what a remote server answers) agree."""
    from dataclasses import replace

    from stancegraph.loaders.store.sparql import SparqlStore

    stored = make_article("Spain has ruled out sending soldiers.", title="Spain", url="https://t.invalid/es")
    other = make_article("Italy has ruled out sending troops.", title="Italy", url="https://t.invalid/it")
    load_articles([stored], store)
    changed = replace(stored, body=stored.body + " Officials confirmed it.")
    for ask in (store.stored_version, lambda a: SparqlStore.stored_version(store, a)):
        assert [ask(a) for a in (stored, changed, other)] == ["current", "other", "absent"]


def test_a_new_article_is_written_alike_by_the_embedded_load_and_the_generic_update(tmp_path):
    """The embedded store writes a new article as one N-Quads load, every other store as one
    INSERT DATA: both give the same quads, in the article's graph and in graph/reference."""
    import pyoxigraph as ox

    from stancegraph.loaders.mapping.ntriples import article_ntriples
    from stancegraph.loaders.store import open_store
    from stancegraph.loaders.store.sparql import SparqlStore, split_ntriples

    article, claims = two_claims()
    triples = split_ntriples(article_ntriples(article, claims))
    dumps = []
    for name, write in (("load", None), ("update", SparqlStore._write_article)):
        db = open_store(tmp_path / name)
        if write is not None:
            db._write_article = lambda *a, **k: write(db, *a, **k)
        assert db.put_article(article, triples, absent=True) == "added"
        quads = db._db.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines()
        dumps.append(sorted(q for q in quads if "recordedAt" not in q and "storeId" not in q))
    assert dumps[0] == dumps[1] and len(dumps[0]) == len(triples.own) + len(triples.reference)
