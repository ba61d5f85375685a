"""Graph Store Protocol writes as SPARQL Update: a PUT, POST or DELETE of one graph becomes one
update request (one transaction), the same for the embedded store's writer and for a remote
store (which then needs no Graph Store endpoint of its own)."""
from __future__ import annotations

from .engine import Answer
from .formats import rdf_input_format


def graph_update(method: str, graph: str, content_type: str | None,
                 body: bytes) -> str | Answer:
    """The SPARQL Update for a write of `graph` (an IRI or "default"), or the 4xx answer when
    the body cannot be taken. DELETE of a graph that does not exist is the caller's 404."""
    import pyoxigraph as ox

    if method == "DELETE":
        return "DROP DEFAULT" if graph == "default" else f"DROP GRAPH <{graph}>"
    fmt = rdf_input_format(content_type)
    if fmt is None or fmt.supports_datasets:
        return Answer.text(415, f"unsupported Content-Type {content_type!r} for a graph; "
                                "use Turtle, N-Triples, RDF/XML or JSON-LD")
    try:
        triples = [q.triple if isinstance(q, ox.Quad) else q
                   for q in ox.parse(body, fmt, base_iri=None if graph == "default" else graph)]
    except (SyntaxError, ValueError) as e:
        return Answer.text(400, f"the {fmt.name} body does not parse: {e}")
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8") if triples else ""
    inside = data if graph == "default" else f"GRAPH <{graph}> {{\n{data}\n}}"
    drop = "DROP SILENT DEFAULT ;\n" if graph == "default" else f"DROP SILENT GRAPH <{graph}> ;\n"
    return (drop if method == "PUT" else "") + f"INSERT DATA {{ {inside} }}"


def exists_query(graph: str) -> str:
    """ASK whether a named graph holds anything (the default graph always exists)."""
    return "ASK {}" if graph == "default" else f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


def touched_before(store, graphs: list[str] | None):
    """What the named graphs about to be written feed now (None: a SPARQL Update, whose touch
    is not known in advance)."""
    named = [g for g in graphs or () if g != "default"]
    return store.touched_by(named) if graphs is not None and named == graphs else None


def recompute_after(store, graphs: list[str] | None, before, certain: bool = True) -> None:
    """Derived stances and stories brought up to date after a write: the pairs and articles the
    written graphs fed before and feed now; the stale-data checks too when that is not known
    (a SPARQL Update, the default graph, a graph of no article, a write that may or may not
    have been applied)."""
    if before is None:
        store.recompute_stances()
        return
    touched = before | store.touched_by(graphs)
    store.recompute_stances(touched, detect=not (certain and touched.articles))
