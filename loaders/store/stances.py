"""Derived stances: per actor and commitment kind, the stance of the latest claim (by valid
date, then confidence), its support, and every change of stance as an explicit event linking
the earlier and the later claim. Nothing is deleted to express a change."""
from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from stancegraph.loaders.model import content_hash
from stancegraph.ontology.vocab import SG, SGID, STANCES_GRAPH

CLAIMS = f"""
SELECT ?c ?who ?rel ?kind ?d ?conf WHERE {{
  ?c a <{SG.Claim}> ; <{SG.relation}> ?rel ; <{SG.object}> ?kind ;
     <{SG.validDate}> ?d ; <{SG.confidence}> ?conf .
  ?kind a <{SG.CommitmentKind}> .
  {{ ?c <{SG.actor}> ?who }} UNION {{ ?c <{SG.onBehalfOf}> ?who }}
}}"""


def stance_graph(rows: list[list]) -> Graph:
    """The stances graph from (claim, actor, relation, kind, date, confidence) rows."""
    by_pair: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for claim, who, rel, kind, d, conf in rows:
        by_pair[(who, kind)].append((d, float(conf), claim, rel))
    g = Graph()
    for (who, kind), claims in sorted(by_pair.items()):
        claims.sort()
        latest = claims[-1]
        relation = latest[3]
        support = sorted(c[2] for c in claims if c[3] == relation)
        stance = SGID[f"stance/{content_hash(who, kind)}"]
        g.add((stance, RDF.type, SG.Stance))
        g.add((stance, SG.stanceActor, URIRef(who)))
        g.add((stance, SG.stanceRelation, URIRef(relation)))
        g.add((stance, SG.stanceObject, URIRef(kind)))
        g.add((stance, SG.latestDate, Literal(latest[0], datatype=XSD.date)))
        g.add((stance, SG.supportCount, Literal(len(support), datatype=XSD.integer)))
        for c in support:
            g.add((stance, SG.supportedBy, URIRef(c)))
        g.add((URIRef(who), URIRef(relation), URIRef(kind)))
        _changes(g, who, kind, claims)
    return g


def _changes(g: Graph, who: str, kind: str, claims: list[tuple]) -> None:
    """A StanceChange wherever the relation on a later date differs from the one before it."""
    previous = None
    for d, conf, claim, rel in claims:
        if previous is not None and rel != previous[3] and d > previous[0]:
            change = SGID[f"change/{content_hash(who, kind, previous[2], claim)}"]
            g.add((change, RDF.type, SG.StanceChange))
            g.add((change, SG.earlierClaim, URIRef(previous[2])))
            g.add((change, SG.laterClaim, URIRef(claim)))
        previous = (d, conf, claim, rel)


def stance_update(store) -> tuple[str, int]:
    """One SPARQL update that replaces the stances graph; and the number of stances."""
    _, rows = store.select(CLAIMS)
    g = stance_graph(rows)
    count = len(set(g.subjects(RDF.type, SG.Stance)))
    nt = g.serialize(format="nt")
    return (f"DROP SILENT GRAPH <{STANCES_GRAPH}> ;\n"
            f"INSERT DATA {{ GRAPH <{STANCES_GRAPH}> {{\n{nt}\n}} }}"), count
