"""Project the RDF store into Neo4j, driven by the ontology: classes -> labels, object properties
-> relationship types, literal properties -> node properties (local names). Batched
`UNWIND $rows MERGE` in write transactions, nodes before relationships, unique `iri` per label.
Incremental: an article is re-synced only when its fingerprint changed, and its old claims go
in the same transaction; articles new to Neo4j are written NEW_PER_TRANSACTION to a transaction.
The derived data follows the store's: stories ((:Article)-[:STORY]->(:Story)-[:STORY_SOURCE]->
(:Outlet)) and the current stances as direct (actor)-[:REFUSES]->(kind) edges carrying their
provenance (latest claim and date, quote, support by distinct articles and outlets)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from stancegraph.ontology.derive import node_labels, relationship_types
from stancegraph.ontology.vocab import (GAZETTEER_GRAPH, ONTOLOGY_GRAPH, SG, STANCES_GRAPH,
                                        STORIES_GRAPH)

STANCE_TYPES = ("COMMITS", "REFUSES", "UNDECIDED", "CONDITIONS", "STATES")
# object properties the ontology reuses from other vocabularies
REUSED_RELATIONSHIPS = {"https://schema.org/publisher": "PUBLISHER"}
_SKIP = {str(SG.relation)}                 # a claim's relation becomes the `relation` property
_SKIP_LITERALS = {str(SG.bodySketch), str(SG.sketchAnchor)}   # copy detection only


@dataclass(frozen=True)
class SyncReport:
    synced: int
    unchanged: int
    removed: int
    nodes: int
    relationships: int


def constraint_statements() -> list[str]:
    """One unique-iri constraint per ontology class and on :Resource (every projected node has
    it, so relationship endpoints are found by index, never by a label-less scan)."""
    out = [f"CREATE CONSTRAINT {label.lower()}_iri IF NOT EXISTS FOR (n:{label}) REQUIRE n.iri IS UNIQUE"
           for label in ["Resource", *sorted(set(node_labels().values()))]]
    out.append("CREATE INDEX actor_name IF NOT EXISTS FOR (n:Actor) ON (n.name)")
    return out


def merge_nodes_cypher(label: str) -> str:
    return f"UNWIND $rows AS row MERGE (n:Resource {{iri: row.iri}}) SET n:{label} SET n += row.props"


def merge_rels_cypher(rel_type: str) -> str:
    return (f"UNWIND $rows AS row MATCH (a:Resource {{iri: row.source}}) "
            f"MATCH (b:Resource {{iri: row.target}}) MERGE (a)-[:{rel_type}]->(b)")


def _value(lit: Literal):
    """A literal as a Neo4j value: dates, numbers and text keep their type."""
    v = lit.toPython()
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, (bool, int, float, str, date)):      # datetime is a date
        return v
    return str(lit)


def _set(props: dict, key: str, value) -> None:
    """Repeated properties (aliases, demonyms) become sorted lists."""
    if key not in props:
        props[key] = value
    elif props[key] != value and not (isinstance(props[key], list) and value in props[key]):
        old = props[key] if isinstance(props[key], list) else [props[key]]
        props[key] = sorted(set(old) | {value}, key=str)


def graph_rows(g: Graph) -> tuple[dict, dict]:
    """Nodes (by label: iri, props) and relationships (by type: source, target) of a graph."""
    labels, rel_types = node_labels(), {**relationship_types(), **REUSED_RELATIONSHIPS}
    nodes: dict[str, dict[str, dict]] = defaultdict(dict)
    rels: dict[str, set] = defaultdict(set)
    props: dict[URIRef, dict] = defaultdict(dict)
    for s, p, o in g:
        if not isinstance(s, URIRef):
            continue
        if isinstance(o, Literal):
            if str(p) in _SKIP_LITERALS:
                continue
            name = str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            _set(props[s], {"prefLabel": "name", "headline": "title", "label": "name"}.get(name, name),
                 _value(o))
        elif str(p) == str(SG.relation):
            props[s]["relation"] = str(o).rsplit("#", 1)[-1]
        elif str(p) in rel_types and isinstance(o, URIRef) and str(p) not in _SKIP and \
                rel_types[str(p)] not in STANCE_TYPES:
            rels[rel_types[str(p)]].add((str(s), str(o)))
    for s, t in g.subject_objects(RDF.type):
        if isinstance(s, URIRef) and str(t) in labels:
            nodes[labels[str(t)]][str(s)] = props.get(s, {})
    return nodes, rels


def _write(tx, nodes: dict, rels: dict) -> None:
    for label, by_iri in sorted(nodes.items()):
        rows = [{"iri": iri, "props": p} for iri, p in by_iri.items()]
        for i in range(0, len(rows), 5000):
            tx.run(merge_nodes_cypher(label), rows=rows[i:i + 5000])
    for rel_type, pairs in sorted(rels.items()):
        rows = [{"source": a, "target": b} for a, b in sorted(pairs)]
        for i in range(0, len(rows), 5000):
            tx.run(merge_rels_cypher(rel_type), rows=rows[i:i + 5000])


# Articles new to Neo4j are written this many to a transaction: one article per transaction
# costs a dozen round trips each (one per label and relationship type), most of a sync's time.
NEW_PER_TRANSACTION = 200


class _NewArticles:
    """The nodes and relationships of articles Neo4j does not hold yet, merged as if written one
    after the other (a node met again keeps the later article's properties)."""

    def __init__(self) -> None:
        self._clear()

    def _clear(self) -> None:
        self.nodes: dict[str, dict[str, dict]] = defaultdict(dict)
        self.rels: dict[str, set] = defaultdict(set)
        self.count = 0

    def add(self, nodes: dict, rels: dict) -> None:
        for label, by_iri in nodes.items():
            mine = self.nodes[label]
            for iri, props in by_iri.items():
                mine[iri] = {**mine[iri], **props} if iri in mine else props
        for rel_type, pairs in rels.items():
            self.rels[rel_type] |= pairs
        self.count += 1

    def flush(self, session) -> None:
        if self.count:
            session.execute_write(_write, self.nodes, self.rels)
        self._clear()


DELETE_ARTICLE = ("MATCH (a:Article {iri: $iri}) OPTIONAL MATCH (c:Resource)-[:ARTICLE]->(a) "
                  "DETACH DELETE c, a")          # claims, retracted ones (:RetractedClaim) too
CURRENT_STANCES = f"""
SELECT ?who ?rel ?k ?claim ?d ?n_articles ?n_outlets ?quote ?url WHERE {{
  GRAPH <{STANCES_GRAPH}> {{
    ?who <{SG.currentStance}> ?s .
    ?s <{SG.stanceRelation}> ?rel ; <{SG.stanceObject}> ?k ; <{SG.latestClaim}> ?claim ;
       <{SG.latestDate}> ?d ; <{SG.supportArticles}> ?n_articles ; <{SG.supportCount}> ?n_outlets }}
  GRAPH ?g {{ ?claim <{SG.quote}> ?quote ; <{SG.article}> ?a . OPTIONAL {{ ?a <https://schema.org/url> ?url }} }}
}} ORDER BY ?who ?k"""
STANCE_EDGE = """
UNWIND $rows AS row
MATCH (who:Resource {{iri: row.who}}) MATCH (kind:Resource {{iri: row.kind}})
MERGE (who)-[r:{rel_type}]->(kind)
SET r.latest_date = date(row.latest_date), r.claim = row.claim, r.quote = row.quote,
    r.article_url = row.article_url, r.support_articles = row.support_articles,
    r.support_outlets = row.support_outlets
"""
STORY_LINK = """
UNWIND $rows AS row
MATCH (a:Article {iri: row.article}) MATCH (o:Resource {iri: row.source})
MERGE (s:Resource {iri: row.story}) SET s:Story
MERGE (a)-[:STORY]->(s) MERGE (s)-[:STORY_SOURCE]->(o)
"""


def project_to_neo4j(store, driver, database: str = "neo4j") -> SyncReport:
    """Sync the store into Neo4j: constraints, reference nodes, changed articles (each in one
    transaction, old claims removed), articles gone from the store, then the direct stance
    relationships recomputed from the claims (latest date, claim count, strongest quote)."""
    with driver.session(database=database, notifications_min_severity="OFF") as session:
        for statement in constraint_statements():
            session.run(statement).consume()
        reference = Graph()
        reference += store.graph(GAZETTEER_GRAPH)
        reference += store.graph(ONTOLOGY_GRAPH)
        nodes, rels = graph_rows(reference)
        session.execute_write(_write, nodes, rels)
        known = {r["iri"]: r["fp"] for r in session.run(
            "MATCH (a:Article) RETURN a.iri AS iri, coalesce(a.syncKey, a.fingerprint) AS fp")}
        synced = unchanged = 0
        stored = set()
        new = _NewArticles()
        for graph_iri_, article, key in sync_keys(store):
            stored.add(article)
            if known.get(article) == key:     # unchanged: its graph is not even read
                unchanged += 1
                continue
            nodes, rels = graph_rows(store.article_dataset(graph_iri_))
            nodes[node_labels()[str(SG.Article)]][article]["syncKey"] = key
            if article in known:                # changed: its old claims go in the same transaction
                new.flush(session)
                session.execute_write(_replace_article, article, nodes, rels)
            else:
                new.add(nodes, rels)
                if new.count >= NEW_PER_TRANSACTION:
                    new.flush(session)
            synced += 1
        new.flush(session)
        gone = [iri for iri in known if iri not in stored]
        for iri in gone:
            session.execute_write(_delete_article, iri)
        session.execute_write(_replace_stories, _story_rows(store))
        session.execute_write(_replace_stance_edges, _stance_rows(store))
        counts = session.run("MATCH (n) WITH count(n) AS nodes "
                             "OPTIONAL MATCH ()-[r]->() RETURN nodes, count(r) AS rels").single()
    return SyncReport(synced, unchanged, len(gone), counts["nodes"], counts["rels"])


def sync_keys(store) -> list[tuple[str, str, str]]:
    """(graph, article, key) of every stored article (the graphs `article_graphs` lists), in one
    query. The key is what Neo4j compares to skip an unchanged article without reading its
    graph: its fingerprint, and the review decisions applied to its claims (a review changes
    the claims, not the fingerprint)."""
    _, rows = store.select(f"""SELECT ?g ?a ?fp ?c ?r WHERE {{ GRAPH ?g {{
        ?a a <{SG.Article}> ; <https://schema.org/headline> ?title .
        OPTIONAL {{ ?a <{SG.fingerprint}> ?fp }} OPTIONAL {{ ?c <{SG.reviewedIn}> ?r }} }} }}""")
    found: dict[str, tuple[str, set, set]] = {}
    for g, a, fp, c, r in rows:
        article, fingerprints, reviews = found.setdefault(g, (a, set(), set()))
        fingerprints.add(str(fp))
        if r is not None:
            reviews.add((c, r))
    return [(g, article, " ".join([min(fingerprints), *sorted(r for _, r in reviews)]))
            for g, (article, fingerprints, reviews) in sorted(found.items())]


def _delete_article(tx, iri: str) -> None:
    tx.run(DELETE_ARTICLE, iri=iri).consume()


def _replace_article(tx, iri: str, nodes: dict, rels: dict) -> None:
    tx.run(DELETE_ARTICLE, iri=iri).consume()
    _write(tx, nodes, rels)


def _story_rows(store) -> list[dict]:
    _, rows = store.select(f"""SELECT ?a ?s ?o WHERE {{ GRAPH <{STORIES_GRAPH}> {{
        ?a <{SG.story}> ?s . ?s <{SG.storySource}> ?o }} }} ORDER BY ?a""")
    return [{"article": a, "story": s, "source": o} for a, s, o in rows]


def _replace_stories(tx, rows: list[dict]) -> None:
    """Which articles are one story: replaced whole (a load can regroup old articles)."""
    tx.run("MATCH (s:Story) DETACH DELETE s").consume()
    for i in range(0, len(rows), 5000):
        tx.run(STORY_LINK, rows=rows[i:i + 5000]).consume()


def _stance_rows(store) -> dict[str, list[dict]]:
    _, rows = store.select(CURRENT_STANCES)
    by_type: dict[str, list[dict]] = {t: [] for t in STANCE_TYPES}
    for who, rel, kind, claim, d, n_articles, n_outlets, quote, url in rows:
        by_type[rel.rsplit("#", 1)[-1].upper()].append({
            "who": who, "kind": kind, "claim": claim, "latest_date": str(d), "quote": quote,
            "article_url": url, "support_articles": n_articles, "support_outlets": n_outlets})
    return by_type


def _replace_stance_edges(tx, by_type: dict[str, list[dict]]) -> None:
    """Direct (actor)-[:REFUSES]->(kind) edges: exactly the store's current stances."""
    tx.run(f"MATCH ()-[r:{'|'.join(STANCE_TYPES)}]->() DELETE r").consume()
    for rel_type, rows in sorted(by_type.items()):
        for i in range(0, len(rows), 5000):
            tx.run(STANCE_EDGE.format(rel_type=rel_type), rows=rows[i:i + 5000]).consume()
