"""The gazetteer of actors (ontology/gazetteer/*.ttl) as Python values: names, aliases, demonyms,
group members and the offices that tell whom a person speaks for on a given day."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from stancegraph.ontology.vocab import GAZETTEER_DIR, OWL, RDF, SG, SKOS, WD

# Most specific first: an entity typed Organization and Group (the EU) is an "Organization".
ENTITY_TYPES = ("Country", "Person", "Organization", "Coalition", "Group")
# Offices whose holder speaks for the whole country or organisation, preferred over ministers.
LEADING_ROLES = ("President", "Prime Minister", "Chancellor", "Taoiseach", "Secretary General",
                 "President of the European Commission", "President of the European Council")


@dataclass(frozen=True)
class Office:
    """A role a person holds for a country or organisation, from start (inclusive) to end (exclusive)."""

    role: str
    of: str                 # IRI of the country or organisation
    start: date | None
    end: date | None

    def held_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Entity:
    """One actor of the gazetteer."""

    iri: str
    label: str
    type: str               # "Country" | "Person" | "Organization" | "Group" | "Coalition"
    iso3: str | None = None
    qid: str | None = None  # "Q145"
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    offices: tuple[Office, ...] = ()


class Gazetteer:
    """Look-ups over the gazetteer's entities; built once by `load_gazetteer()`."""

    def __init__(self, entities: dict[str, Entity], triples: list) -> None:
        self.entities = entities
        self._triples = triples
        self._graph: Graph | None = None
        self._by_label = {e.label.casefold(): e for e in entities.values()}

    def get(self, iri: str) -> Entity | None:
        return self.entities.get(str(iri))

    def by_label(self, label: str) -> Entity | None:
        """The entity whose preferred label is `label` (case-insensitive), else None."""
        return self._by_label.get(label.strip().casefold())

    def surface_forms(self) -> list[tuple[str, str, str]]:
        """(text, entity IRI, kind) for every name, alias and demonym; kind is name|alias|demonym."""
        forms: list[tuple[str, str, str]] = []
        for e in self.entities.values():
            forms.append((e.label, e.iri, "name"))
            forms.extend((a, e.iri, "alias") for a in e.aliases)
            forms.extend((d, e.iri, "demonym") for d in e.demonyms)
        return forms

    def speaks_for(self, person: str | Entity, on: date) -> str | None:
        """The country or organisation the person (an IRI of the gazetteer, or a person met in
        the text with the office their title gives) speaks for on that day (head of state or
        government first), or None when no office of theirs is held then."""
        entity = person if isinstance(person, Entity) else self.get(person)
        if entity is None:
            return None
        held = [o for o in entity.offices if o.held_on(on)]
        if not held:
            return None
        held.sort(key=lambda o: (o.role not in LEADING_ROLES, o.start or date.min))
        return held[0].of

    def members(self, group_iri: str) -> tuple[str, ...]:
        entity = self.get(group_iri)
        return entity.members if entity else ()

    def graph(self) -> Graph:
        """All gazetteer triples (a copy: callers may add to it)."""
        if self._graph is None:
            self._graph = _rdflib_graph(self._triples)
        g = Graph()
        for triple in self._graph:
            g.add(triple)
        return g


def _date(value) -> date | None:
    return None if value is None else date.fromisoformat(value.value)


class _Index:
    """Subject -> predicate IRI -> objects, straight from pyoxigraph's parser (fast: no rdflib
    graph is built unless someone asks for one)."""

    def __init__(self, triples: list) -> None:
        self.props: dict[str, dict[str, list]] = {}
        for t in triples:
            key = _key(t.subject)
            self.props.setdefault(key, {}).setdefault(t.predicate.value, []).append(t.object)

    def objects(self, subject: str, predicate) -> list:
        return self.props.get(subject, {}).get(str(predicate), [])

    def value(self, subject: str, predicate):
        found = self.objects(subject, predicate)
        return found[0] if found else None


def _key(node) -> str:
    return ("_:" + node.value) if isinstance(node, pyoxigraph.BlankNode) else node.value


def _entity(index: _Index, subject: str) -> Entity | None:
    types = {t.value for t in index.objects(subject, RDF.type)}
    kind = next((name for name in ENTITY_TYPES if str(SG[name]) in types), None)
    if kind is None:
        return None
    label = index.value(subject, SKOS.prefLabel)
    iso3 = index.value(subject, SG.iso3)
    qid = next((o.value[len(str(WD)):] for o in index.objects(subject, OWL.sameAs)
                if o.value.startswith(str(WD))), None)
    offices = []
    for node in index.objects(subject, SG.holdsOffice):
        key = _key(node)
        offices.append(Office(role=index.value(key, SG.role).value,
                              of=index.value(key, SG.officeOf).value,
                              start=_date(index.value(key, SG.startDate)),
                              end=_date(index.value(key, SG.endDate))))
    offices.sort(key=lambda o: (o.start or date.min, o.role))
    return Entity(
        iri=subject, label=label.value, type=kind,
        iso3=iso3.value if iso3 is not None else None, qid=qid,
        aliases=tuple(sorted({a.value for a in index.objects(subject, SKOS.altLabel)})),
        demonyms=tuple(sorted({d.value for d in index.objects(subject, SG.demonym)})),
        members=tuple(sorted(m.value for m in index.objects(subject, SG.member))),
        offices=tuple(offices))


def _rdflib_graph(triples: list) -> Graph:
    g = Graph()
    for t in triples:
        g.add((_term(t.subject), URIRef(t.predicate.value), _term(t.object)))
    return g


def _term(node) -> Node:
    if isinstance(node, pyoxigraph.NamedNode):
        return URIRef(node.value)
    if isinstance(node, pyoxigraph.BlankNode):
        return BNode(node.value)
    if node.language:
        return Literal(node.value, lang=node.language)
    return Literal(node.value, datatype=URIRef(node.datatype.value))


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Parse ontology/gazetteer/*.ttl once (pyoxigraph's Turtle parser: ~50x rdflib's, which
    every CLI start and extraction worker pays)."""
    triples = [t for path in sorted(GAZETTEER_DIR.glob("*.ttl"))
               for t in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)]
    index = _Index(triples)
    actors = {t.subject.value for t in triples if t.predicate.value == str(RDF.type)
              and t.object.value == str(SG.Actor) and isinstance(t.subject, pyoxigraph.NamedNode)}
    entities = {}
    # Sorted by IRI: every look-up that takes "the first" entity is the same under any hash seed.
    for subject in sorted(actors):
        entity = _entity(index, subject)
        if entity is not None:
            entities[entity.iri] = entity
    return Gazetteer(entities, triples)
