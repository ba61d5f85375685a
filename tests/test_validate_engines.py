"""pyshacl-turbo gives pySHACL's verdicts: same conformance and the same results compared by
focus node, path and constraint component (never message text, which the engines word
differently), on the shape cases and on a generated batch with seeded violations."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from builders import ROOT
from stancegraph.loaders.extract import extract_claims
from stancegraph.loaders.mapping import article_graph
from stancegraph.loaders.model import Article
from stancegraph.loaders.validate import context_for, default_engine, shapes_graph, validate
from stancegraph.ontology.vocab import ID_IRI, SCHEMA, SG

sys.path.insert(0, str(ROOT / "bench"))
from corpus import generate  # noqa: E402

SHAPE_CASES = sorted((Path(__file__).parent / "shapes").glob("*/*.ttl"))


def verdict(report):
    return report.conforms, sorted({(v.focus_node, v.path, v.constraint, v.value)
                                    for v in report.violations})


def raw_verdict(conforms, results):
    from stancegraph.loaders.validate import _report

    return verdict(_report(conforms, results, None))


def test_turbo_is_the_default_engine_and_the_reference_can_be_chosen(monkeypatch):
    assert default_engine() == "turbo"
    monkeypatch.setenv("STANCEGRAPH_SHACL", "pyshacl")
    assert default_engine() == "pyshacl"


@pytest.mark.parametrize("case", SHAPE_CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_both_engines_give_the_same_results_on_the_shape_cases(case):
    """The engines themselves on the whole data graph (no focus nodes, no filtering) ..."""
    import pyshacl
    import pyshacl_turbo

    data = Graph().parse(case)
    data += context_for(data)
    reference = pyshacl.validate(data, shacl_graph=shapes_graph(), inference="none", allow_warnings=True)
    turbo = pyshacl_turbo.validate(data, shacl_graph=shapes_graph(), allow_warnings=True)
    assert raw_verdict(*turbo[:2]) == raw_verdict(*reference[:2])
    # ... and our validate() on either engine (turbo there runs with the article's own focus nodes).
    g = Graph().parse(case)
    expected = verdict(validate(g, skip_reference_nodes=False, engine="pyshacl"))
    assert verdict(validate(g, skip_reference_nodes=False, engine="turbo")) == expected
    assert expected[0] is (case.parent.name == "valid")


def seeded(graph: Graph, article: Article, n: int) -> Graph:
    """The article's graph with one kind of violation chosen by n (or none when n % 6 == 0)."""
    g = Graph()
    g += graph
    claims = sorted(g.subjects(RDF.type, SG.Claim))
    kind = n % 6
    if kind == 1:
        g.set((claims[0], SG.quote, Literal("A sentence that is not in the article.")))
    elif kind == 2:
        g.remove((claims[-1], SG.relation, None))
    elif kind == 3:
        g.set((claims[0], SG.confidence, Literal(1.5)))
    elif kind == 4:
        g.remove((None, SCHEMA.publisher, None))
    elif kind == 5:
        g.set((claims[1], SG.actor, URIRef(ID_IRI + "country/XXX")))
    return g


def test_both_engines_give_the_same_verdicts_on_generated_articles_with_seeded_violations():
    from stancegraph.loaders.read.jsonl import read_jsonl
    import json

    text = "\n".join(json.dumps(item) for item in generate(24, seed=3))
    articles = read_jsonl(text, "generated.jsonl")
    refused = 0
    for n, article in enumerate(articles):
        g = seeded(article_graph(article, extract_claims(article)), article, n)
        reference = verdict(validate(g, article=article.title, engine="pyshacl"))
        assert verdict(validate(g, article=article.title, engine="turbo")) == reference, article.title
        assert reference[0] is (n % 6 == 0)
        refused += not reference[0]
    assert refused == 20


def test_validating_the_store_gives_the_same_report_on_both_engines(dev_store, monkeypatch):
    from stancegraph.loaders.validate import validate_store

    turbo = validate_store(dev_store)
    monkeypatch.setenv("STANCEGRAPH_SHACL", "pyshacl")
    reference = validate_store(dev_store)
    assert verdict(turbo) == verdict(reference) == (True, [])
