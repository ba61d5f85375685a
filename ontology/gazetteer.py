"""The gazetteer of actors (ontology/gazetteer/*.ttl) as Python values: names, aliases, demonyms,
group members and the offices that tell whom a person speaks for on a given day."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.term import Node

from stancegraph.ontology.vocab import GAZETTEER_DIR, OWL, RDF, SG, SKOS, WD

# Most specific first: an entity typed Organization and Group (the EU) is an "Organization".
ENTITY_TYPES = ("Country", "Person", "Organization", "Coalition", "Group")
# Offices whose holder speaks for the whole country or organisation, preferred over ministers.
LEADING_ROLES = ("President", "Prime Minister", "Chancellor", "Secretary General",
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

    def __init__(self, entities: dict[str, Entity], graph: Graph) -> None:
        self.entities = entities
        self._graph = graph
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

    def speaks_for(self, person_iri: str, on: date) -> str | None:
        """The country or organisation the person speaks for on that day (head of state or
        government first), or None when no office of theirs is held then."""
        entity = self.get(person_iri)
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
        g = Graph()
        for triple in self._graph:
            g.add(triple)
        return g


def _date(value: Node | None) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _entity(g: Graph, subject: URIRef) -> Entity | None:
    types = {str(t) for t in g.objects(subject, RDF.type)}
    kind = next((name for name in ENTITY_TYPES if str(SG[name]) in types), None)
    if kind is None:
        return None
    label = g.value(subject, SKOS.prefLabel)
    iso3 = g.value(subject, SG.iso3)
    qid = next((str(o)[len(str(WD)):] for o in g.objects(subject, OWL.sameAs)
                if str(o).startswith(str(WD))), None)
    offices = []
    for node in g.objects(subject, SG.holdsOffice):
        offices.append(Office(role=str(g.value(node, SG.role)), of=str(g.value(node, SG.officeOf)),
                              start=_date(g.value(node, SG.startDate)),
                              end=_date(g.value(node, SG.endDate))))
    offices.sort(key=lambda o: (o.start or date.min, o.role))
    return Entity(
        iri=str(subject), label=str(label), type=kind,
        iso3=str(iso3) if iso3 is not None else None, qid=qid,
        aliases=tuple(sorted({str(a) for a in g.objects(subject, SKOS.altLabel)})),
        demonyms=tuple(sorted({str(d) for d in g.objects(subject, SG.demonym)})),
        members=tuple(sorted(str(m) for m in g.objects(subject, SG.member))),
        offices=tuple(offices))


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Parse ontology/gazetteer/*.ttl once."""
    g = Graph()
    for path in sorted(GAZETTEER_DIR.glob("*.ttl")):
        g.parse(path, format="turtle")
    entities = {}
    for subject in set(g.subjects(RDF.type, SG.Actor)):
        if isinstance(subject, URIRef):
            entity = _entity(g, subject)
            if entity is not None:
                entities[entity.iri] = entity
    return Gazetteer(entities, g)
