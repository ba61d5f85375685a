"""The commitment kinds of ontology/kinds.ttl as Python values (the Turtle is the only list)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph

from stancegraph.ontology.vocab import KINDS_FILE, RDF, SG, SG_IRI, SKOS


@dataclass(frozen=True)
class Kind:
    """One commitment kind: its IRI, local name, label and the phrases that mean it in text."""

    iri: str            # "https://w3id.org/stancegraph/ns#ReassuranceForce"
    name: str           # "ReassuranceForce"
    label: str          # "Reassurance force"
    phrases: tuple[str, ...]  # lower-case alt labels, sorted: "boots on the ground", "troops", ...


@lru_cache(maxsize=1)
def load_kinds() -> tuple[Kind, ...]:
    """All kinds of the scheme sg:CommitmentKinds, in name order."""
    g = Graph()
    g.parse(KINDS_FILE, format="turtle")
    kinds = []
    for concept in set(g.subjects(RDF.type, SG.CommitmentKind)):
        if (concept, SKOS.inScheme, SG.CommitmentKinds) not in g:
            continue
        phrases = sorted({str(p).strip().lower() for p in g.objects(concept, SKOS.altLabel)})
        kinds.append(Kind(iri=str(concept), name=str(concept)[len(SG_IRI):],
                          label=str(g.value(concept, SKOS.prefLabel)),
                          phrases=tuple(p for p in phrases if p)))
    return tuple(sorted(kinds, key=lambda k: k.name))


def kind_by_name(name: str) -> Kind:
    """The kind with this local name ("ReassuranceForce"); KeyError if there is none."""
    for kind in load_kinds():
        if kind.name == name:
            return kind
    raise KeyError(name)
