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
