"""Names for the Neo4j projection, read from stancegraph.ttl: classes become node labels, object
properties relationship types, datatype properties node properties. Nothing here is re-typed."""
from __future__ import annotations

import re
from functools import lru_cache

from rdflib import Graph

from stancegraph.ontology.vocab import ONTOLOGY_FILE, OWL, RDF, SG_IRI


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_FILE, format="turtle")
    return g


def _local(iri: str) -> str:
    return iri[len(SG_IRI):]


def _own(kind) -> list[str]:
    return sorted(str(s) for s in set(_ontology().subjects(RDF.type, kind))
                  if str(s).startswith(SG_IRI))


def upper_snake(name: str) -> str:
    """"onBehalfOf" -> "ON_BEHALF_OF"."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


def node_labels() -> dict[str, str]:
    """Class IRI -> Neo4j label (the local name: "Country")."""
    return {iri: _local(iri) for iri in _own(OWL.Class)}


def relationship_types() -> dict[str, str]:
    """Object property IRI -> relationship type ("COMMITS", "ON_BEHALF_OF")."""
    return {iri: upper_snake(_local(iri)) for iri in _own(OWL.ObjectProperty)}


def datatype_properties() -> dict[str, str]:
    """Datatype property IRI -> node property key (the local name: "quoteStart")."""
    return {iri: _local(iri) for iri in _own(OWL.DatatypeProperty)}
