"""Result formats of the SPARQL 1.1 Protocol: which serialization an `Accept` header (or a
`format=` parameter) asks for, for solutions (SELECT, ASK) and for graphs (CONSTRUCT, DESCRIBE,
Graph Store). Pure; used by the workers, which know the query form once it runs."""
from __future__ import annotations

import pyoxigraph as ox

R = ox.QueryResultsFormat
F = ox.RdfFormat
SOLUTIONS = {
    "application/sparql-results+json": R.JSON, "application/json": R.JSON,
    "application/sparql-results+xml": R.XML, "application/xml": R.XML, "text/xml": R.XML,
    "text/csv": R.CSV, "text/tab-separated-values": R.TSV,
}
GRAPHS = {
    "text/turtle": F.TURTLE, "application/x-turtle": F.TURTLE,
    "application/n-triples": F.N_TRIPLES, "text/plain": F.N_TRIPLES,
    "application/ld+json": F.JSON_LD, "application/json": F.JSON_LD,
    "application/rdf+xml": F.RDF_XML, "application/xml": F.RDF_XML,
    "application/n-quads": F.N_QUADS, "application/trig": F.TRIG, "text/n3": F.N3,
}
DATASETS = {"application/n-quads": F.N_QUADS, "application/trig": F.TRIG}
SHORT_NAMES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
               "csv": "text/csv", "tsv": "text/tab-separated-values", "ttl": "text/turtle",
               "turtle": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
               "rdfxml": "application/rdf+xml", "nq": "application/n-quads", "trig": "application/trig"}


def accepted(accept: str | None) -> list[str]:
    """Media ranges of an Accept header, best first (by q, then in the order given)."""
    ranges = []
    for position, part in enumerate((accept or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((-q, position, media))
    return [media for _, _, media in sorted(ranges)]


def choose(accept: str | None, table: dict, default: str) -> tuple[str, object] | None:
    """(media type, format) of the first acceptable entry of `table`, or None (406)."""
    for media in accepted(accept):
        if media in table:
            return media, table[media]
        if media == "*/*":
            return default, table[default]
        if media.endswith("/*"):
            family = media[:-1]
            if default.startswith(family):
                return default, table[default]
            for name, fmt in table.items():
                if name.startswith(family):
                    return name, fmt
    return None


def accept_of(accept_header: str | None, format_param: str | None) -> str | None:
    """A `format=` parameter (json, csv, ttl, … or a media type) overrides the Accept header."""
    if format_param:
        return SHORT_NAMES.get(format_param.lower(), format_param)
    return accept_header


def content_type(media: str) -> str:
    text_like = media.startswith("text/") or media.endswith(("json", "xml", "n-triples",
                                                              "n-quads", "trig"))
    return f"{media}; charset=utf-8" if text_like else media


def rdf_input_format(content_type_header: str | None) -> F | None:
    media = (content_type_header or "").split(";")[0].strip().lower()
    return GRAPHS.get(media) if media != "application/json" else None
