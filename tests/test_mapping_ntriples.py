"""The direct N-Triples mapping (what a load writes) states exactly the triples of the rdflib
mapping (`article_graph`, the reference), with the same lexical forms, on the dev and news
corpora, on generated articles and on claims with every optional field set."""
from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import date

import pytest
from rdflib import Graph

from builders import DEV_DUMP, ROOT, SHARED
from stancegraph.loaders.extract import extract_claims
from stancegraph.loaders.mapping import article_graph
from stancegraph.loaders.mapping.ntriples import article_ntriples
from stancegraph.loaders.model import ActorRef
from stancegraph.loaders.read import read_path
from stancegraph.loaders.read.jsonl import read_jsonl

sys.path.insert(0, str(ROOT / "bench"))
from corpus import generate  # noqa: E402


def reference_lines(article, claims) -> list[str]:
    return sorted(line for line in article_graph(article, claims).serialize(format="nt").splitlines() if line)


def new_lines(article, claims) -> list[str]:
    text = article_ntriples(article, claims)
    assert text.endswith(" .\n")
    return sorted(text.splitlines())


def corpus_articles():
    articles = list(read_path(DEV_DUMP)) + list(read_path(SHARED / "corpus" / "news" / "feed.xml"))
    generated = generate(40, 17)
    return articles + list(read_jsonl("\n".join(json.dumps(i) for i in generated), "generated.jsonl"))


def test_same_lines_as_the_rdflib_mapping_on_the_corpora_and_generated_articles():
    articles = corpus_articles()
    assert len(articles) >= 50
    compared = claims_seen = 0
    for article in articles:
        claims = extract_claims(article)
        new = new_lines(article, claims)
        assert len(new) == len(set(new))                      # each triple once, as in a graph
        assert new == reference_lines(article, claims), article.title
        compared += 1
        claims_seen += len(claims)
    assert (compared, claims_seen > 500) == (len(articles), True)


def test_same_lines_with_every_optional_field_and_awkward_text():
    article = next(iter(read_path(DEV_DUMP)))
    claims = extract_claims(article)
    assert claims
    unknown = ActorRef("https://w3id.org/stancegraph/id/actor/x-party", 'The "X" Party\\ \r\n', "Group",
                       on_behalf_of=ActorRef("https://w3id.org/stancegraph/id/actor/y", "Y", "Thing"))
    base = claims[0]
    varied = [
        replace(base, actor=unknown, event_date=date(2025, 3, 1), claimer="Some Weekly \"Paper\"",
                derived_from=base.actor, member_count=26, condition='only "if"\nasked',
                quote='a "quoted"\\ line\r\n', confidence=0.1),
        replace(base, claimer=base.actor.label, confidence=1.0),
        *claims,
    ]
    text_article = replace(article, title='Title with "quotes" \\ and\nlines', url=None,
                           body=article.body + '\r\n"end"\\')
    assert new_lines(text_article, varied) == reference_lines(text_article, varied)


def test_an_iri_rdflib_cannot_write_is_refused_here_too():
    article = next(iter(read_path(DEV_DUMP)))
    claims = extract_claims(article)
    bad = replace(claims[0], actor=replace(claims[0].actor, id="https://example.org/a b"))
    with pytest.raises(Exception, match="does not look like a valid URI"):
        article_graph(article, [bad]).serialize(format="nt")
    with pytest.raises(ValueError, match="does not look like a valid URI"):
        article_ntriples(article, [bad])
