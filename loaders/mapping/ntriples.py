"""Claims -> N-Triples text directly: the same triples as `article_graph` (rdf.py, the reference)
without building rdflib terms and a graph, which was a fifth of a load's CPU. A test compares
the two on the dev and news corpora and on generated articles, line by line.

Lexical forms follow rdflib's N-Triples writer (its escapes, literals as given: "0.90" stays
"0.90"); an IRI rdflib would refuse to write (a space, <, >, ...) is refused here too."""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from stancegraph.loaders.model import ActorRef, Article, Claim, Relation
from stancegraph.ontology.date_sources import date_sources
from stancegraph.ontology.gazetteer import load_gazetteer
from stancegraph.ontology.vocab import SCHEMA, SG, RDF, RDFS, SKOS, XSD

from .ids import article_iri, claim_iri, outlet_iri, position_iri

_INVALID_IRI_CHARS = '<>" {}|\\^`'


def _n(term) -> str:
    return f"<{term}>"


# Predicates and classes, written once.
_TYPE = _n(RDF.type)
_P = {name: _n(SG[name]) for name in (
    "Article", "Outlet", "Claim", "Position", "Actor", "dateSource", "sourceId", "fingerprint",
    "source", "actor", "onBehalfOf", "relation", "object", "quote", "quoteStart", "quoteEnd",
    "article", "validDate", "eventDate", "confidence", "extractor", "attributedTo",
    "derivedFrom", "condition", "memberCount")}
_S = {name: _n(SCHEMA[name]) for name in (
    "NewsArticle", "headline", "url", "datePublished", "inLanguage", "publisher", "articleBody",
    "name")}
_LABEL, _PREF = _n(RDFS.label), _n(SKOS.prefLabel)
_INT, _DEC, _DATE, _DATETIME, _ANYURI = (f"^^<{t}>" for t in (XSD.integer, XSD.decimal, XSD.date,
                                                               XSD.dateTime, XSD.anyURI))
_ACTOR_CLASS = {k: _n(SG[k]) for k in ("Country", "Person", "Organization", "Group", "Coalition")}


def _lit(text: str) -> str:
    """A literal as rdflib's N-Triples writer quotes it."""
    return '"' + (text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
                  .replace("\r", "\\r")) + '"'


@lru_cache(maxsize=65536)
def _iri(value: str) -> str:
    """<value>, refused like rdflib refuses to write it."""
    if any(c in value for c in _INVALID_IRI_CHARS):
        raise ValueError(f'"{value}" does not look like a valid URI, I cannot serialize this as '
                         "N3/Turtle. Perhaps you wanted to urlencode it?")
    return f"<{value}>"


class _Lines:
    """Triples in first-seen order, each once (a graph is a set)."""

    def __init__(self):
        self.seen: dict[str, None] = {}

    def add(self, s: str, p: str, o: str) -> None:
        self.seen[f"{s} {p} {o} .\n"] = None

    def text(self) -> str:
        return "".join(self.seen)


def article_ntriples(article: Article, claims: Sequence[Claim]) -> str:
    """The article, its outlet and every claim as N-Triples lines (what
    `article_graph(article, claims).serialize(format="nt")` holds, in a stable order)."""
    out = _Lines()
    a = _iri(str(article_iri(article)))
    _add_article(out, a, article)
    for claim in claims:
        _add_claim(out, a, claim)
    return out.text()


def _add_article(out: _Lines, a: str, article: Article) -> None:
    outlet = _iri(str(outlet_iri(article.outlet)))
    add = out.add
    add(a, _TYPE, _P["Article"])
    add(a, _TYPE, _S["NewsArticle"])
    add(a, _S["headline"], _lit(article.title))
    if article.url:
        add(a, _S["url"], _lit(article.url) + _ANYURI)
    add(a, _S["datePublished"], _lit(article.published.isoformat()) + _DATETIME)
    add(a, _P["dateSource"], _iri(str(date_sources()[article.date_source])))
    add(a, _S["inLanguage"], _lit(article.language))
    add(a, _S["publisher"], outlet)
    add(a, _S["articleBody"], _lit(article.body))
    add(a, _P["sourceId"], _lit(article.id))
    add(a, _P["fingerprint"], _lit(article.fingerprint))
    add(a, _P["source"], _lit(f"{article.source}:{article.position}"))
    _add_outlet(out, outlet, article.outlet)


def _add_outlet(out: _Lines, outlet: str, name: str) -> None:
    out.add(outlet, _TYPE, _P["Outlet"])
    out.add(outlet, _S["name"], _lit(name))


def _add_claim(out: _Lines, a: str, claim: Claim) -> None:
    add = out.add
    c = _iri(str(claim_iri(claim)))
    add(c, _TYPE, _P["Claim"])
    add(c, _P["actor"], _iri(claim.actor.id))
    _add_actor_if_unknown(out, claim.actor)
    if claim.actor.on_behalf_of is not None:
        add(c, _P["onBehalfOf"], _iri(claim.actor.on_behalf_of.id))
        _add_actor_if_unknown(out, claim.actor.on_behalf_of)
    add(c, _P["relation"], _iri(str(SG[claim.relation.value])))
    add(c, _P["object"], _object(out, claim))
    add(c, _P["quote"], _lit(claim.quote))
    add(c, _P["quoteStart"], f'"{int(claim.span[0])}"{_INT}')
    add(c, _P["quoteEnd"], f'"{int(claim.span[1])}"{_INT}')
    add(c, _P["article"], a)
    add(c, _P["validDate"], f'"{claim.date.isoformat()}"{_DATE}')
    if claim.event_date is not None:
        add(c, _P["eventDate"], f'"{claim.event_date.isoformat()}"{_DATE}')
    add(c, _P["confidence"], f'"{claim.confidence:.2f}"{_DEC}')
    add(c, _P["extractor"], _lit(claim.extractor))
    if claim.claimer:
        add(c, _P["attributedTo"], _claimer(out, claim.claimer))
    if claim.derived_from is not None:
        add(c, _P["derivedFrom"], _iri(claim.derived_from.id))
    if claim.condition:
        add(c, _P["condition"], _lit(claim.condition))
    if claim.member_count:
        add(c, _P["memberCount"], f'"{int(claim.member_count)}"{_INT}')


def _object(out: _Lines, claim: Claim) -> str:
    if claim.relation is Relation.STATES:
        p = _iri(str(position_iri(claim.object.label)))
        out.add(p, _TYPE, _P["Position"])
        out.add(p, _LABEL, _lit(claim.object.label))
        return p
    return _iri(claim.object.id)


def _claimer(out: _Lines, label: str) -> str:
    entity = load_gazetteer().by_label(label)
    if entity is not None:
        return _iri(str(entity.iri))
    outlet = _iri(str(outlet_iri(label)))
    _add_outlet(out, outlet, label)
    return outlet


def _add_actor_if_unknown(out: _Lines, actor: ActorRef) -> None:
    """Actors outside the gazetteer carry their own type and label in the article graph."""
    if load_gazetteer().get(actor.id) is None:
        node = _iri(actor.id)
        out.add(node, _TYPE, _ACTOR_CLASS.get(actor.type, _P["Actor"]))
        out.add(node, _TYPE, _P["Actor"])
        out.add(node, _PREF, _lit(actor.label))
