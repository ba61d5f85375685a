"""Claims -> RDF (ontology terms only), with content-hash IRIs."""
from .ids import article_iri, claim_iri, graph_iri, outlet_iri, position_iri
from .rdf import article_graph

__all__ = ["article_graph", "article_iri", "claim_iri", "graph_iri", "outlet_iri", "position_iri"]
