"""The JSON-LD @context of stancegraph data, derived from the ontology (stancegraph.ttl).

Published at CONTEXT_IRI (under the project's w3id namespace) and shipped as
ontology/context.jsonld; `python -m stancegraph.ontology.context` writes the file, and a test
checks the shipped file is what the ontology gives. Every sg: property becomes a term named by
its local name, typed by its declaration: object properties take IRIs ("@type": "@id"), datatype
properties their XSD range (strings stay plain)."""
from __future__ import annotations

import json
import re
import sys
from functools import lru_cache

from rdflib import Graph

from stancegraph.ontology.vocab import HERE, ID_IRI, ONTOLOGY_FILE, OWL, RDF, RDFS, SG_IRI, XSD

CONTEXT_IRI = "https://w3id.org/stancegraph/context.jsonld"
CONTEXT_FILE = HERE / "context.jsonld"
# Prefixes of the context, besides the ontology's own: data IRIs, Wikidata.
EXTRA_PREFIXES = {"sgid": ID_IRI, "wd": "http://www.wikidata.org/entity/"}
_PREFIX = re.compile(r"@prefix\s+(\w+):\s*<([^>]+)>")


@lru_cache(maxsize=1)
def jsonld_context() -> dict:
    """{"@context": {...}}: prefixes of stancegraph.ttl plus EXTRA_PREFIXES, and one term per
    sg: property."""
    turtle = ONTOLOGY_FILE.read_text(encoding="utf-8")
    g = Graph()
    g.parse(data=turtle, format="turtle")
    terms: dict = dict(_PREFIX.findall(turtle))
    terms.update(EXTRA_PREFIXES)
    for prop_type, typed in ((OWL.ObjectProperty, True), (OWL.DatatypeProperty, False)):
        for prop in sorted(g.subjects(RDF.type, prop_type)):
            iri = str(prop)
            if not iri.startswith(SG_IRI):
                continue
            name = iri[len(SG_IRI):]
            term = {"@id": f"sg:{name}"}
            if typed:
                term["@type"] = "@id"
            else:
                rng = g.value(prop, RDFS.range)
                if rng is not None and str(rng).startswith(str(XSD)) and rng != XSD.string:
                    term["@type"] = f"xsd:{str(rng)[len(str(XSD)):]}"
            terms[name] = term
    return {"@context": dict(sorted(terms.items(), key=lambda kv: (isinstance(kv[1], dict), kv[0])))}


def context_text() -> str:
    return json.dumps(jsonld_context(), indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(context_text())
