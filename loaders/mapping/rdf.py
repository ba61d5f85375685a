"""Claims -> RDF with ontology terms only: one graph per article, which re-loading replaces."""
from __future__ import annotations

from typing import Sequence

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from stancegraph.loaders.model import ActorRef, Article, Claim, Relation
from stancegraph.ontology.date_sources import date_sources
from stancegraph.ontology.gazetteer import load_gazetteer
from stancegraph.ontology.vocab import SCHEMA, SG

from .ids import article_iri, claim_iri, outlet_iri, position_iri

_ACTOR_CLASS = {"Country": SG.Country, "Person": SG.Person, "Organization": SG.Organization,
                "Group": SG.Group, "Coalition": SG.Coalition}


def article_graph(article: Article, claims: Sequence[Claim]) -> Graph:
    """The article, its outlet and every claim. (The direct actor-relation-kind edge of the
    current stance is derived data: graph/stances holds it.)"""
    g = Graph()
    g.bind("sg", str(SG))
    g.bind("schema", str(SCHEMA))
    a = article_iri(article)
    _add_article(g, a, article)
    for claim in claims:
        _add_claim(g, a, claim)
    return g


def _add_article(g: Graph, a: URIRef, article: Article) -> None:
    outlet = outlet_iri(article.outlet)
    g.add((a, RDF.type, SG.Article))
    g.add((a, RDF.type, SCHEMA.NewsArticle))
    g.add((a, SCHEMA.headline, Literal(article.title)))
    if article.url:
        g.add((a, SCHEMA.url, Literal(article.url, datatype=XSD.anyURI)))
    g.add((a, SCHEMA.datePublished, Literal(article.published.isoformat(), datatype=XSD.dateTime)))
    g.add((a, SG.dateSource, URIRef(date_sources()[article.date_source])))
    g.add((a, SCHEMA.inLanguage, Literal(article.language)))
    g.add((a, SCHEMA.publisher, outlet))
    g.add((a, SCHEMA.articleBody, Literal(article.body)))
    g.add((a, SG.sourceId, Literal(article.id)))
    g.add((a, SG.fingerprint, Literal(article.fingerprint)))
    g.add((a, SG.source, Literal(f"{article.source}:{article.position}")))
    _add_outlet(g, outlet, article.outlet)


def _add_outlet(g: Graph, outlet: URIRef, name: str) -> None:
    g.add((outlet, RDF.type, SG.Outlet))
    g.add((outlet, SCHEMA.name, Literal(name)))


def _add_claim(g: Graph, a: URIRef, claim: Claim) -> None:
    c = claim_iri(claim)
    actor = URIRef(claim.actor.id)
    relation = SG[claim.relation.value]
    g.add((c, RDF.type, SG.Claim))
    g.add((c, SG.actor, actor))
    _add_actor_if_unknown(g, claim.actor)
    if claim.actor.on_behalf_of is not None:
        g.add((c, SG.onBehalfOf, URIRef(claim.actor.on_behalf_of.id)))
        _add_actor_if_unknown(g, claim.actor.on_behalf_of)
    g.add((c, SG.relation, relation))
    obj = _object(g, claim)
    g.add((c, SG.object, obj))
    g.add((c, SG.quote, Literal(claim.quote)))
    g.add((c, SG.quoteStart, Literal(claim.span[0], datatype=XSD.integer)))
    g.add((c, SG.quoteEnd, Literal(claim.span[1], datatype=XSD.integer)))
    g.add((c, SG.article, a))
    g.add((c, SG.validDate, Literal(claim.date.isoformat(), datatype=XSD.date)))
    if claim.event_date is not None:
        g.add((c, SG.eventDate, Literal(claim.event_date.isoformat(), datatype=XSD.date)))
    g.add((c, SG.confidence, Literal(f"{claim.confidence:.2f}", datatype=XSD.decimal)))
    g.add((c, SG.extractor, Literal(claim.extractor)))
    if claim.claimer:
        g.add((c, SG.attributedTo, _claimer(g, claim.claimer)))
    if claim.derived_from is not None:
        g.add((c, SG.derivedFrom, URIRef(claim.derived_from.id)))
    if claim.condition:
        g.add((c, SG.condition, Literal(claim.condition)))
    if claim.member_count:
        g.add((c, SG.memberCount, Literal(claim.member_count, datatype=XSD.integer)))


def _object(g: Graph, claim: Claim) -> URIRef:
    if claim.relation is Relation.STATES:
        p = position_iri(claim.object.label)
        g.add((p, RDF.type, SG.Position))
        g.add((p, RDFS.label, Literal(claim.object.label)))
        return p
    return URIRef(claim.object.id)


def _claimer(g: Graph, label: str) -> URIRef:
    entity = load_gazetteer().by_label(label)
    if entity is not None:
        return URIRef(entity.iri)
    outlet = outlet_iri(label)
    _add_outlet(g, outlet, label)
    return outlet


def _add_actor_if_unknown(g: Graph, actor: ActorRef) -> None:
    """Actors outside the gazetteer carry their own type and label in the article graph."""
    if load_gazetteer().get(actor.id) is None:
        g.add((URIRef(actor.id), RDF.type, _ACTOR_CLASS.get(actor.type, SG.Actor)))
        g.add((URIRef(actor.id), RDF.type, SG.Actor))
        g.add((URIRef(actor.id), SKOS.prefLabel, Literal(actor.label)))
