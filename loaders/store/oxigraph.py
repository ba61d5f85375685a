"""The embedded default store: pyoxigraph on disk (full SPARQL 1.1, persistent, no server).
One named graph per article; writes of one article are one transaction."""
from __future__ import annotations

import hashlib
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Iterable

import pyoxigraph as ox
from rdflib import Graph

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.mapping import article_iri, graph_iri
from stancegraph.loaders.model import Article
from stancegraph.ontology.gazetteer import load_gazetteer
from stancegraph.ontology.vocab import (GAZETTEER_DIR, GAZETTEER_GRAPH, KINDS_FILE, ONTOLOGY_FILE,
                                        ONTOLOGY_GRAPH, SG, STANCES_GRAPH)

from .stances import stance_update

EXPORT_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                  "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
                  "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
PREFIXES = {"sg": str(SG), "schema": "https://schema.org/",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "xsd": "http://www.w3.org/2001/XMLSchema#", "owl": "http://www.w3.org/2002/07/owl#"}
_META = ox.NamedNode(str(ONTOLOGY_GRAPH))
_FP = ox.NamedNode(str(SG.fingerprint))


def default_store_path() -> Path:
    """env STANCEGRAPH_STORE, else the user's data directory."""
    env = os.environ.get("STANCEGRAPH_STORE")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("stancegraph")) / "store"


class OxigraphStore:
    """Articles, claims and reference graphs in one pyoxigraph dataset on disk."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_store_path()
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._db = ox.Store(str(self.path))
        except OSError as e:
            reason = " ".join(str(e).split())[:160]
            raise InputError(str(self.path), "cannot open the store (is another stancegraph process, "
                                             f"e.g. `stancegraph serve`, using it?): {reason}") from None

    # -- writing ---------------------------------------------------------------------------
    def ensure_reference_graphs(self) -> None:
        """Ontology, kinds and gazetteer in their named graphs, reloaded when the files change."""
        files = [ONTOLOGY_FILE, KINDS_FILE, *sorted(GAZETTEER_DIR.glob("*.ttl"))]
        digest = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()
        marker = ox.Quad(_META, _FP, ox.Literal(digest), _META)
        if list(self._db.quads_for_pattern(*marker)):
            return
        vocabulary = Graph()
        vocabulary.parse(ONTOLOGY_FILE, format="turtle")
        vocabulary.parse(KINDS_FILE, format="turtle")
        self._replace_graphs({ONTOLOGY_GRAPH: vocabulary, GAZETTEER_GRAPH: load_gazetteer().graph()},
                             extra=[marker])

    def is_current(self, article: Article) -> bool:
        """Is exactly this version of the article stored already? (then loading it is a no-op)"""
        g = ox.NamedNode(str(graph_iri(article)))
        a = ox.NamedNode(str(article_iri(article)))
        return any(True for _ in self._db.quads_for_pattern(a, _FP, ox.Literal(article.fingerprint), g))

    def put_article(self, article: Article, graph: Graph) -> str:
        """Store the article's graph, replacing its previous version in one transaction.
        Returns "added", "replaced" or "unchanged"."""
        if self.is_current(article):
            return "unchanged"
        g = graph_iri(article)
        existed = self._db.contains_named_graph(ox.NamedNode(str(g)))
        stamp = ox.Quad(ox.NamedNode(str(article_iri(article))), ox.NamedNode(str(SG.recordedAt)),
                        ox.Literal(datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                   datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")),
                        ox.NamedNode(str(g)))
        self._replace_graphs({g: graph}, extra=[stamp])
        return "replaced" if existed else "added"

    def _replace_graphs(self, graphs: dict, extra: Iterable[ox.Quad] = ()) -> None:
        """DROP + INSERT DATA of whole graphs in one update request: one transaction."""
        parts = []
        for iri, graph in graphs.items():
            nt = graph.serialize(format="nt")
            parts.append(f"DROP SILENT GRAPH <{iri}> ;\nINSERT DATA {{ GRAPH <{iri}> {{\n{nt}\n}} }}")
        extra = list(extra)
        if extra:
            body = "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in extra)
            parts.append(f"INSERT DATA {{ {body} }}")
        self._db.update(" ;\n".join(parts))

    def remove_article(self, article: Article) -> bool:
        g = ox.NamedNode(str(graph_iri(article)))
        if not self._db.contains_named_graph(g):
            return False
        self._db.remove_graph(g)
        return True

    def recompute_stances(self) -> int:
        """Rebuild the derived stances graph from the claims; returns the number of stances."""
        update, count = stance_update(self)
        self._db.update(update)
        return count

    # -- reading ---------------------------------------------------------------------------
    def query(self, sparql: str, bindings: dict | None = None, union: bool = True):
        """Run a SPARQL query; `bindings` substitute variables with RDF terms (never text)."""
        subs = {ox.Variable(k): _term(v) for k, v in (bindings or {}).items() if v is not None}
        return self._db.query(sparql, use_default_graph_as_union=union, substitutions=subs or None)

    def select(self, sparql: str, bindings: dict | None = None) -> tuple[list[str], list[list]]:
        """Columns and rows of a SELECT, values as Python strings/numbers (None when unbound)."""
        result = self.query(sparql, bindings)
        columns = [v.value for v in result.variables]
        rows = [[_python(s[c]) for c in columns] for s in result]
        return columns, rows

    def graph(self, iri) -> Graph:
        """One named graph as an rdflib Graph (for validation and export)."""
        data = self._db.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(iri)))
        g = Graph()
        g.parse(data=data.decode("utf-8"), format="nt")
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
        triples = len(self._db)
        return {"articles": articles, "claims": claims, "triples": triples, "outlets": outlets,
                "actors": actors, "path": str(self.path)}

    def export(self, fmt: str, out: IO[bytes]) -> None:
        """The whole dataset (quads formats) or the union of its graphs (triple formats)."""
        if fmt not in EXPORT_FORMATS:
            raise InputError(fmt, f"unknown export format (one of {', '.join(EXPORT_FORMATS)})")
        rdf_format = EXPORT_FORMATS[fmt]
        if rdf_format.supports_datasets:
            self._db.dump(out, rdf_format, prefixes=PREFIXES)
            return
        union = ox.Store()
        union.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                     for t in self._db.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                             use_default_graph_as_union=True))
        union.dump(out, rdf_format, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)

    def flush(self) -> None:
        self._db.flush()


def _term(value) -> ox.NamedNode | ox.Literal:
    """rdflib terms and plain Python values to pyoxigraph terms."""
    from rdflib import Literal as RLiteral, URIRef

    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, RLiteral):
        if value.datatype:
            return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
        if value.language:
            return ox.Literal(str(value), language=value.language)
        return ox.Literal(str(value))
    return ox.Literal(str(value))


def _python(term):
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else ""
        if dt.endswith(("#integer", "#int", "#long")):
            return int(term.value)
        if dt.endswith(("#decimal", "#double", "#float")):
            return float(term.value)
        return term.value
    return term.value
