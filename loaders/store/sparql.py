"""What every SPARQL 1.1 store does for stancegraph, written once on four primitives (select,
ask, update, named-graph dump): idempotent per-article loads, reference graphs, derived stances,
stats. The embedded pyoxigraph store and a remote server (e.g. `stancegraph serve`) provide them.

Named graphs: one per article (the article and its claims, nothing else); graph/reference (the
outlets, positions and actors that articles point to, each stored once, so the union default
graph has set semantics); graph/ontology and graph/gazetteer; graph/stances and graph/stories
(derived, maintained by `recompute_stances` from what each write touched)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from stancegraph.loaders.mapping import article_iri, graph_iri
from stancegraph.loaders.model import Article
from stancegraph.ontology.gazetteer import load_gazetteer
from stancegraph.ontology.vocab import (GAZETTEER_DIR, GAZETTEER_GRAPH, KINDS_FILE, ONTOLOGY_FILE,
                                        ONTOLOGY_GRAPH, REFERENCE_GRAPH, SG, STANCES_GRAPH,
                                        STORE_GRAPH)

from stancegraph.loaders.validate import vocabulary_graph

from .derived import (DERIVATION, Recomputed, Touched, change_details_by_query, pairs_in_graphs,
                      recompute, replace_pair_nodes_by_update)

if TYPE_CHECKING:
    from .loadlog import ArticleFacts

XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"


class SparqlStore:
    """Articles, claims and reference graphs in one RDF dataset, one named graph per article."""

    # -- primitives ------------------------------------------------------------------------
    def select(self, sparql: str, bindings: dict | None = None) -> tuple[list[str], list[list]]:
        raise NotImplementedError

    def select_iter(self, sparql: str):
        """The rows of a SELECT one by one (engines that can stream override it)."""
        return iter(self.select(sparql)[1])

    def ask(self, sparql: str) -> bool:
        raise NotImplementedError

    def update(self, sparql: str) -> None:
        raise NotImplementedError

    def graph_ntriples(self, iri) -> str:
        raise NotImplementedError

    def triple_count(self) -> int:
        raise NotImplementedError

    def flush(self) -> None:
        """Write what the engine buffers in memory to disk (engines that buffer override it)."""

    def insert_ntriples(self, graph_iri, lines: list[str]) -> None:
        """Add N-Triples lines to a named graph (engines with a faster bulk path override it)."""
        if lines:
            self.update(f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n" + "\n".join(lines) + "\n} }")

    def bulk_insert_ntriples(self, graph_iri, lines: list[str]) -> None:
        """insert_ntriples for a graph being rebuilt in full (not one transaction where the
        engine has a faster bulk path: the caller makes a rebuild cut short visible)."""
        self.insert_ntriples(graph_iri, lines)

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

    def stored_version(self, article: Article) -> str:
        """"current" (exactly this version is stored), "other" (the article's graph holds
        something else) or "absent" (its graph is empty): one query."""
        g = graph_iri(article)
        _, rows = self.select(f"SELECT ?f WHERE {{ {{ GRAPH <{g}> {{ <{article_iri(article)}> "
                              f"<{SG.fingerprint}> ?f }} }} UNION {{ FILTER EXISTS {{ GRAPH <{g}> "
                              f"{{ ?s ?p ?o }} }} }} }}")
        if any(r[0] == article.fingerprint for r in rows):
            return "current"
        return "other" if rows else "absent"

    def put_article(self, article: Article, graph: "Graph | str | ArticleTriples", *,
                    absent: bool = False) -> str:
        """Store the article's graph (an rdflib Graph, its N-Triples, or those already split by
        `split_ntriples`), replacing its previous version in one transaction; the outlets,
        positions and actors it describes go to graph/reference (once for all articles).
        Returns "added", "replaced", "unchanged" or "kept" (a feed item never replaces a stored
        page of the same URL: the page is the article, the item often a teaser; see
        docs/architecture.md "Article identity"). `absent`: the caller knows the article's graph
        is empty (stored_version said so and nothing wrote it since), which saves two queries."""
        if not absent and self.is_current(article):
            return "unchanged"
        g = graph_iri(article)
        before = Touched() if absent else pairs_in_graphs(self, [g])
        if before.articles and _is_feed_item(article) and self.ask(
                f"ASK {{ GRAPH <{g}> {{ ?a <{SG.source}> ?s FILTER (STRENDS(STR(?s), \":page\")) }} }}"):
            return "kept"
        checked = isinstance(graph, ArticleTriples)
        if not checked:
            graph = split_ntriples(graph if isinstance(graph, str) else graph.serialize(format="nt"))
        self._write_article(g, _own_lines(article, graph), graph.reference, replace=not absent,
                            checked=checked)
        self._touch(before | graph.touched)
        return "replaced" if before.articles else "added"

    # Stores whose put_new_articles writes many articles in one step (not one by one).
    batches_new_articles = False

    def put_new_articles(self, items: list[tuple[Article, "ArticleTriples"]]) -> None:
        """Store articles the caller knows are absent (stored_version said so and nothing
        wrote their keys since), their lines checked already (split by `split_ntriples`).
        Here: one transaction per article, in order (put_article). A store that declares
        `batches_new_articles` writes them all in one all-or-nothing step instead; either way,
        if this raises, each article is either wholly stored or not at all."""
        for article, triples in items:
            self.put_article(article, triples, absent=True)

    def _write_article(self, g: str, own: list[str], reference, *, replace: bool,
                       checked: bool) -> None:
        """One transaction: the article's graph `g` (dropped first when `replace`) gets the
        `own` lines, graph/reference the `reference` lines. `checked`: the lines were parsed
        strictly already (the load's validation does), so an engine may skip checking them."""
        drop = f"DROP SILENT GRAPH <{g}> ;\n" if replace else ""
        self.update(f"{drop}INSERT DATA {{ GRAPH <{g}> {{\n" + "\n".join(own) + "\n}\n"
                    f"GRAPH <{REFERENCE_GRAPH}> {{\n" + "\n".join(reference) + "\n} }")

    def remove_article(self, article: Article) -> bool:
        """Delete the article's graph (its claims with it); False when it was not stored."""
        g = graph_iri(article)
        before = pairs_in_graphs(self, [g])
        if not before.articles:
            return False
        self.update(f"DROP GRAPH <{g}>")
        self._touch(before)
        return True

    def replace_graphs(self, graphs: dict) -> None:
        """DROP + INSERT DATA of whole graphs (rdflib Graphs or N-Triples text) in one update
        request: one transaction."""
        parts = []
        for iri, graph in graphs.items():
            nt = graph if isinstance(graph, str) else graph.serialize(format="nt")
            parts.append(f"DROP SILENT GRAPH <{iri}> ;\nINSERT DATA {{ GRAPH <{iri}> {{\n{nt}\n}} }}")
        self.update(" ;\n".join(parts))

    # -- derived data ----------------------------------------------------------------------
    def _touch(self, touched: Touched) -> None:
        """Remember what a write touched (added to in place: a load touches once per article,
        and a union of frozensets per article would copy every article IRI so far each time)."""
        if not hasattr(self, "_pending"):
            self._pending = (set(), set())
        self._pending[0].update(touched.pairs)
        self._pending[1].update(touched.articles)

    def _take_pending(self) -> Touched:
        pairs, articles = getattr(self, "_pending", ((), ()))
        self._pending = (set(), set())
        return Touched(frozenset(pairs), frozenset(articles))

    def touched_by(self, graph_iris) -> Touched:
        """The pairs and articles these named graphs feed now: take it before and after a write
        that bypasses put_article (e.g. a Graph Store PUT/DELETE) and recompute their union."""
        return pairs_in_graphs(self, graph_iris)

    def recompute_stances(self, touched: Touched | None = None, *, full: bool = False,
                          detect: bool = True, log=None) -> Recomputed:
        """Bring graph/stances and graph/stories up to date: the pairs and articles touched by
        this store object's writes since the last call, those given, and (with `detect`) those
        the stale-data checks find, e.g. after a write by another path. `full` rebuilds both
        graphs from every claim (`log`: a load's loadlog.LoadLog, read instead of the store
        when it describes the whole store). The review decisions of the touched articles (and,
        with `detect`, any decision its claim does not carry yet) are applied first (reviews.py)."""
        from .reviews import reapply

        pending = self._take_pending()
        try:
            asked = pending | (touched or Touched())
            reviewed = reapply(self, asked.articles, detect=detect or full)
            return recompute(self, asked | reviewed, full=full, detect=detect, log=log)
        except BaseException:
            self._touch(pending)
            raise

    def replace_pair_nodes(self, pairs: list[tuple[str, str]], lines: list[str]) -> None:
        """Replace the derived nodes of these (actor, kind) pairs in graph/stances by these
        N-Triples lines (derived.replace_pair_nodes_by_update)."""
        replace_pair_nodes_by_update(self, pairs, lines)

    def change_details(self, quoted: list[str], sourced: list[str]) -> tuple[dict, dict]:
        """What a stance change's row quotes: (quote by claim, {(article URL or None, outlet
        name)} by claim) of these claims (derived.change_details_by_query)."""
        return change_details_by_query(self, quoted, sourced)

    def derived_outdated(self) -> bool:
        """Were the derived graphs written by another version of the derivation (their shape
        changed since)? The saved questions would then miss what they read there."""
        return self.ask(f"ASK {{ GRAPH <{STANCES_GRAPH}> {{ <{STANCES_GRAPH}> <{SG.fingerprint}> ?f "
                        f"FILTER (?f != \"{DERIVATION}\") }} }}")

    # -- reading ---------------------------------------------------------------------------
    def graph(self, iri) -> Graph:
        """One named graph as an rdflib Graph (for validation and export)."""
        g = Graph()
        g.parse(data=self.graph_ntriples(iri), format="nt")
        return g

    def article_ntriples(self, iri) -> str:
        """An article's graph with the reference nodes (outlet, positions, actors) it points
        to, as N-Triples: what the mapping produced for it, as validation needs."""
        nt = self.graph_ntriples(iri)
        nodes = sorted({o[1:-1] for line in nt.splitlines() if line.endswith("> .")
                        for o in [line[:-2].rsplit(" ", 1)[-1]] if o.startswith("<")})
        extra = self.reference_lines(nodes)
        return nt + ("\n" + "\n".join(sorted(extra)) + "\n" if extra else "")

    def reference_lines(self, nodes: list[str]) -> list[str]:
        """The reference graph's triples about these nodes, as N-Triples lines."""
        extra = []
        for i in range(0, len(nodes), 500):
            values = " ".join(f"<{n}>" for n in nodes[i:i + 500])
            _, rows = self.select(f"SELECT ?s ?p ?o ?dt ?lang WHERE {{ VALUES ?s {{ {values} }} "
                                  f"GRAPH <{REFERENCE_GRAPH}> {{ ?s ?p ?o }} "
                                  f"BIND (DATATYPE(?o) AS ?dt) BIND (LANG(?o) AS ?lang) }}")
            extra.extend(f"<{s}> <{p}> {_term(o, dt, lang).n3()} ." for s, p, o, dt, lang in rows)
        return extra

    def article_dataset(self, iri) -> Graph:
        """article_ntriples as an rdflib Graph (for the Neo4j projection)."""
        g = Graph()
        g.parse(data=self.article_ntriples(iri), format="nt")
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


_RDF_TYPE = f"<{RDF.type}>"
_OWN_TYPES = {f"<{SG.Article}>", f"<{SG.Claim}>"}
_STANCE = {f"<{SG[r]}>" for r in ("commits", "refuses", "undecided", "conditions")}


@dataclass(frozen=True)
class ArticleTriples:
    """A mapped article's N-Triples lines split for storing: its own (the article and its
    claims, in its graph), the reference lines (outlets, positions, actors) and what it touches."""

    own: tuple[str, ...]
    reference: tuple[str, ...]
    touched: Touched
    facts: "ArticleFacts | None" = None     # what the derivation reads of it (loadlog.py)


def split_ntriples(nt: str, body: str | None = None) -> ArticleTriples:
    """A mapped article's N-Triples split into its own lines (the article and its claims) and
    the reference lines (outlets, positions, actors), with the pairs and article it touches;
    given the article's body, also the facts a first derivation reads (loadlog.ArticleFacts)."""
    lines = [line for line in nt.splitlines() if line.strip()]
    parts = [line.split(" ", 2) for line in lines]
    own_subjects = {s for s, p, o in parts if p == _RDF_TYPE and o[:-2].strip() in _OWN_TYPES}
    own = tuple(line for line, (s, _, _) in zip(lines, parts) if s in own_subjects)
    reference = tuple(line for line, (s, _, _) in zip(lines, parts) if s not in own_subjects)
    facts: dict[str, dict[str, list[str]]] = {}
    for s, p, o in parts:
        if s in own_subjects:
            facts.setdefault(s, {}).setdefault(p, []).append(o[:-2].strip())
    pairs, articles = set(), set()
    for s, props in facts.items():
        if f"<{SG.Article}>" in props.get(_RDF_TYPE, []):
            articles.add(s[1:-1])
        if not set(props.get(f"<{SG.relation}>", [])) & _STANCE:
            continue
        for kind in props.get(f"<{SG.object}>", []):
            for who in props.get(f"<{SG.actor}>", []) + props.get(f"<{SG.onBehalfOf}>", []):
                pairs.add((who[1:-1], kind[1:-1]))
    derived = None
    if body is not None and len(articles) == 1:
        from .loadlog import article_facts

        derived = article_facts(facts, f"<{next(iter(articles))}>", body)
    return ArticleTriples(own, reference, Touched(frozenset(pairs), frozenset(articles)), derived)


def _own_lines(article: Article, triples: ArticleTriples) -> list[str]:
    """The lines of the article's own graph: its triples and when this store recorded it."""
    recorded = Literal(datetime.now(timezone.utc).isoformat(timespec="seconds"),
                       datatype=URIRef(XSD_DATETIME))
    return [*triples.own, f"{article_iri(article).n3()} <{SG.recordedAt}> {recorded.n3()} ."]


def _is_feed_item(article: Article) -> bool:
    return article.position.startswith(("item ", "entry "))


def _term(value, datatype, lang):
    """A value from select() back to an rdflib term (IRIs as the reference graph holds them)."""
    if lang:
        return Literal(value, lang=lang)
    if datatype:
        return Literal(value, datatype=URIRef(datatype))
    return URIRef(value)
