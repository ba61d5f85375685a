"""The store as compacted JSON-LD with the published @context (ontology/context.jsonld).

Compaction here is the simple, exact case of the JSON-LD algorithm for flattened data: every
node is one object per graph; IRIs are written as compact IRIs with the context's prefixes;
a property with a term in the context uses the term when the value fits the term's type
(IRI, or literal of that datatype) and the prefixed property name with a full value object
otherwise. Output is sorted, so the same store gives the same bytes."""
from __future__ import annotations

import io
import json
from collections import defaultdict
from typing import IO

import pyoxigraph as ox

from stancegraph.ontology.context import CONTEXT_IRI, jsonld_context

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class Compactor:
    """Compact IRIs and value objects under one context."""

    def __init__(self, context: dict) -> None:
        ctx = context["@context"]
        self.prefixes = sorted(((ns, p) for p, ns in ctx.items() if isinstance(ns, str)),
                               key=lambda item: (-len(item[0]), item[1]))
        self.terms = {}
        for name, term in ctx.items():
            if isinstance(term, dict):
                self.terms[self.expand(term["@id"])] = (name, term.get("@type"))

    def expand(self, curie: str) -> str:
        prefix, _, rest = curie.partition(":")
        for ns, p in self.prefixes:
            if p == prefix:
                return ns + rest
        return curie

    def iri(self, iri: str) -> str:
        for ns, p in self.prefixes:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{p}:{iri[len(ns):]}"
        return iri

    def node_id(self, term) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else self.iri(term.value)

    def value(self, term) -> dict | str:
        """A value object under a prefixed property name (no term typing applies)."""
        if isinstance(term, (ox.NamedNode, ox.BlankNode)):
            return {"@id": self.node_id(term)}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": self.iri(term.datatype.value)}

    def fits(self, term, term_type: str | None) -> bool:
        if term_type == "@id":
            return isinstance(term, (ox.NamedNode, ox.BlankNode))
        if not isinstance(term, ox.Literal) or term.language:
            return False
        if term_type is None:
            return term.datatype.value == XSD_STRING
        return term.datatype.value == self.expand(term_type)

    def node(self, subject, properties: dict) -> dict:
        out: dict = {"@id": self.node_id(subject)}
        types = sorted(self.iri(o.value) for o in properties.pop(RDF_TYPE, ()) if isinstance(o, ox.NamedNode))
        if types:
            out["@type"] = types[0] if len(types) == 1 else types
        for predicate, objects in properties.items():
            name, term_type = self.terms.get(predicate, (None, None))
            plain = [o for o in objects if name is not None and self.fits(o, term_type)]
            rest = [o for o in objects if not (name is not None and self.fits(o, term_type))]
            if plain:
                values = sorted(self.node_id(o) if term_type == "@id" else o.value for o in plain)
                out[name] = values[0] if len(values) == 1 else values
            if rest:
                values = sorted((self.value(o) for o in rest), key=_sort_key)
                out[self.iri(predicate)] = values[0] if len(values) == 1 else values
        return dict(sorted(out.items(), key=lambda kv: (not kv[0].startswith("@"), kv[0])))


def _sort_key(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def compact_quads(quads, context: dict, reference: bool = False) -> dict:
    """A JSON-LD document: {"@context": ..., "@graph": [default-graph nodes..., named graphs...]}."""
    c = Compactor(context)
    graphs: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for q in quads:
        g = None if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name
        graphs[g][q.subject][q.predicate.value].append(q.object)

    def nodes(subjects: dict) -> list[dict]:
        return sorted((c.node(s, dict(props)) for s, props in subjects.items()), key=lambda n: n["@id"])

    top = nodes(graphs.pop(None)) if None in graphs else []
    named = sorted(({"@id": c.node_id(g), "@graph": nodes(subjects)} for g, subjects in graphs.items()),
                   key=lambda n: n["@id"])
    return {"@context": CONTEXT_IRI if reference else context["@context"], "@graph": top + named}


def write_jsonld(store, out: IO[bytes], reference: bool = False) -> None:
    """The whole dataset (named graphs kept) as compacted JSON-LD; the context embedded, or
    referenced by its published IRI when `reference`."""
    buffer = io.BytesIO()
    store.export("nq", buffer)
    quads = ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_QUADS)
    document = compact_quads(quads, jsonld_context(), reference)
    out.write(json.dumps(document, indent=1, ensure_ascii=False).encode("utf-8"))
    out.write(b"\n")
