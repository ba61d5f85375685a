"""The sources a publication date can come from (scheme sg:DateSources in stancegraph.ttl),
as notation -> IRI; the Turtle is the only list."""
from __future__ import annotations

from functools import lru_cache

from rdflib import Graph

from stancegraph.ontology.vocab import ONTOLOGY_FILE, RDF, SG, SKOS


@lru_cache(maxsize=1)
def date_sources() -> dict[str, str]:
    """{"published": IRI of sg:fromPublished, "dateline": ..., ...}, sorted by notation."""
    g = Graph()
    g.parse(ONTOLOGY_FILE, format="turtle")
    found = {str(g.value(c, SKOS.notation)): str(c) for c in g.subjects(RDF.type, SG.DateSource)
             if (c, SKOS.inScheme, SG.DateSources) in g}
    return dict(sorted(found.items()))
