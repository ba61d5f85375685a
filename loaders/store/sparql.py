"""What every SPARQL 1.1 store does for stancegraph, written once on four primitives (select,
ask, update, named-graph dump): idempotent per-article loads, reference graphs, derived stances,
stats. The embedded pyoxigraph store and a remote server (e.g. `stancegraph serve`) provide them."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from rdflib import Graph, Literal, URIRef

from stancegraph.loaders.mapping import article_iri, graph_iri
from stancegraph.loaders.model import Article
from stancegraph.ontology.gazetteer import load_gazetteer
from stancegraph.ontology.vocab import (GAZETTEER_DIR, GAZETTEER_GRAPH, KINDS_FILE, ONTOLOGY_FILE,
                                        ONTOLOGY_GRAPH, SG, STORE_GRAPH)

from stancegraph.loaders.validate import vocabulary_graph

from .stances import stance_update

XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"


class SparqlStore:
    """Articles, claims and reference graphs in one RDF dataset, one named graph per article."""

    # -- primitives ------------------------------------------------------------------------
    def select(self, sparql: str, bindings: dict | None = None) -> tuple[list[str], list[list]]:
        raise NotImplementedError

    def ask(self, sparql: str) -> bool:
        raise NotImplementedError

    def update(self, sparql: str) -> None:
        raise NotImplementedError

    def graph_ntriples(self, iri) -> str:
        raise NotImplementedError

    def triple_count(self) -> int:
        raise NotImplementedError

    # -- writing ---------------------------------------------------------------------------
    def ensure_reference_graphs(self) -> None:
        """Ontology, kinds and gazetteer in their named graphs, reloaded when the files change;
        the store's id too, if it has none yet."""
        self.ensure_store_id()
        files = [ONTOLOGY_FILE, KINDS_FILE, *sorted(GAZETTEER_DIR.glob("*.ttl"))]
        digest = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()
        if self.ask(f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ <{ONTOLOGY_GRAPH}> <{SG.fingerprint}> "
                    f"{Literal(digest).n3()} }} }}"):
            return
        vocabulary = Graph()
        vocabulary += vocabulary_graph()
        vocabulary.add((URIRef(str(ONTOLOGY_GRAPH)), SG.fingerprint, Literal(digest)))
        self.replace_graphs({ONTOLOGY_GRAPH: vocabulary, GAZETTEER_GRAPH: load_gazetteer().graph()})

    def store_id(self) -> str | None:
        """The id written into this store when it was created (None for a store made before
        stores had one; `ensure_store_id` gives it one)."""
        _, rows = self.select(f"SELECT ?id WHERE {{ GRAPH <{STORE_GRAPH}> {{ <{STORE_GRAPH}> "
                              f"<{SG.storeId}> ?id }} }} ORDER BY ?id LIMIT 1")
        return str(rows[0][0]) if rows else None

    def ensure_store_id(self) -> str:
        """This store's id, written now (a random UUID) if it has none yet."""
        import uuid

        known = self.store_id()
        if known:
            return known
        new = str(uuid.uuid4())
        self.update(f"INSERT DATA {{ GRAPH <{STORE_GRAPH}> {{ <{STORE_GRAPH}> <{SG.storeId}> "
                    f"{Literal(new).n3()} }} }}")
        return new

    def is_current(self, article: Article) -> bool:
        """Is exactly this version of the article stored already? (then loading it is a no-op)"""
        return self.ask(f"ASK {{ GRAPH <{graph_iri(article)}> {{ <{article_iri(article)}> "
                        f"<{SG.fingerprint}> {Literal(article.fingerprint).n3()} }} }}")

    def put_article(self, article: Article, graph: Graph | str) -> str:
        """Store the article's graph (an rdflib Graph or its N-Triples), replacing its previous
        version in one transaction. Returns "added", "replaced" or "unchanged"."""
        if self.is_current(article):
            return "unchanged"
        g = graph_iri(article)
        existed = self.ask(f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
        nt = graph if isinstance(graph, str) else graph.serialize(format="nt")
        recorded = Literal(datetime.now(timezone.utc).isoformat(timespec="seconds"),
                           datatype=URIRef(XSD_DATETIME))
        nt += f"\n{article_iri(article).n3()} <{SG.recordedAt}> {recorded.n3()} .\n"
        self.replace_graphs({g: nt})
        return "replaced" if existed else "added"

    def replace_graphs(self, graphs: dict) -> None:
        """DROP + INSERT DATA of whole graphs (rdflib Graphs or N-Triples text) in one update
        request: one transaction."""
        parts = []
        for iri, graph in graphs.items():
            nt = graph if isinstance(graph, str) else graph.serialize(format="nt")
            parts.append(f"DROP SILENT GRAPH <{iri}> ;\nINSERT DATA {{ GRAPH <{iri}> {{\n{nt}\n}} }}")
        self.update(" ;\n".join(parts))

    def recompute_stances(self) -> int:
        """Rebuild the derived stances graph from the claims; returns the number of stances."""
        update, count = stance_update(self)
        self.update(update)
        return count

    # -- reading ---------------------------------------------------------------------------
    def graph(self, iri) -> Graph:
        """One named graph as an rdflib Graph (for validation and export)."""
        g = Graph()
        g.parse(data=self.graph_ntriples(iri), format="nt")
        return g

    def article_graphs(self) -> list[tuple[str, str]]:
        """(graph IRI, title) of every stored article."""
        _, rows = self.select(f"SELECT ?g ?title WHERE {{ GRAPH ?g {{ ?a a <{SG.Article}> ; "
                              f"<https://schema.org/headline> ?title }} }} ORDER BY ?g")
        return [(r[0], r[1]) for r in rows]

    def stats(self) -> dict:
        _, rows = self.select(f"""
            SELECT (COUNT(DISTINCT ?a) AS ?articles) (COUNT(DISTINCT ?c) AS ?claims)
                   (COUNT(DISTINCT ?o) AS ?outlets) (COUNT(DISTINCT ?who) AS ?actors) WHERE {{
              {{ ?a a <{SG.Article}> OPTIONAL {{ ?a <https://schema.org/publisher> ?o }} }}
              UNION {{ ?c a <{SG.Claim}> ; <{SG.actor}> ?who }}
            }}""")
        articles, claims, outlets, actors = rows[0]
        return {"articles": articles, "claims": claims, "triples": self.triple_count(),
                "outlets": outlets, "actors": actors, "location": self.location}

    @property
    def location(self) -> str:
        raise NotImplementedError
