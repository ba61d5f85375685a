"""Namespaces and the closed stancegraph vocabulary: a term not declared in stancegraph.ttl raises.

The only module that spells namespace IRIs; everything else imports them from here.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD, DCTERMS, ClosedNamespace

HERE = Path(__file__).resolve().parent
ONTOLOGY_FILE = HERE / "stancegraph.ttl"
KINDS_FILE = HERE / "kinds.ttl"
SHAPES_DIR = HERE / "shapes"
GAZETTEER_DIR = HERE / "gazetteer"

SG_IRI = "https://w3id.org/stancegraph/ns#"
ID_IRI = "https://w3id.org/stancegraph/id/"
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
SGID = Namespace(ID_IRI)
SH = Namespace("http://www.w3.org/ns/shacl#")

GAZETTEER_GRAPH = URIRef(ID_IRI + "graph/gazetteer")
ONTOLOGY_GRAPH = URIRef(ID_IRI + "graph/ontology")
STANCES_GRAPH = URIRef(ID_IRI + "graph/stances")        # derived: stances, their history, changes
STORIES_GRAPH = URIRef(ID_IRI + "graph/stories")        # derived: which articles are one story
REFERENCE_GRAPH = URIRef(ID_IRI + "graph/reference")    # outlets, positions, actors met in articles
STORE_GRAPH = URIRef(ID_IRI + "graph/store")            # the store's own identity (sg:storeId)
REVIEWS_GRAPH = URIRef(ID_IRI + "graph/reviews")        # analysts' decisions about claims (PROV-O)


@lru_cache(maxsize=1)
def _declared_terms() -> tuple[str, ...]:
    g = Graph()
    g.parse(ONTOLOGY_FILE, format="turtle")
    g.parse(KINDS_FILE, format="turtle")
    names = {str(s)[len(SG_IRI):] for s in g.subjects() if str(s).startswith(SG_IRI)}
    return tuple(sorted(n for n in names if n))


SG = ClosedNamespace(SG_IRI, list(_declared_terms()))


def article_graph_iri(article_key: str) -> URIRef:
    return URIRef(f"{ID_IRI}graph/article/{article_key}")


__all__ = ["SG", "SGID", "SCHEMA", "WD", "SH", "PROV", "SKOS", "OWL", "RDF", "RDFS", "XSD",
           "DCTERMS", "GAZETTEER_GRAPH", "ONTOLOGY_GRAPH", "STANCES_GRAPH", "STORIES_GRAPH",
           "REFERENCE_GRAPH", "STORE_GRAPH", "REVIEWS_GRAPH", "SG_IRI", "ID_IRI",
           "article_graph_iri", "ONTOLOGY_FILE", "KINDS_FILE", "SHAPES_DIR", "GAZETTEER_DIR"]
