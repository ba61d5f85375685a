"""The embedded default store: pyoxigraph on disk (full SPARQL 1.1, persistent, no server).
One named graph per article; writes of one article are one transaction."""
from __future__ import annotations

import os
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from stancegraph.loaders.errors import InputError, StoreError
from stancegraph.loaders.mapping import graph_iri
from stancegraph.ontology.vocab import REFERENCE_GRAPH, SCHEMA, SG, STANCES_GRAPH

from .sparql import SparqlStore, _own_lines
from .stances import stance_iri

EXPORT_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                  "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
                  "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
PREFIXES = {"sg": str(SG), "schema": "https://schema.org/",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "xsd": "http://www.w3.org/2001/XMLSchema#", "owl": "http://www.w3.org/2002/07/owl#"}


_FINGERPRINT = ox.NamedNode(str(SG.fingerprint))
_STANCE_ACTOR, _STANCE_OBJECT, _CURRENT_STANCE = (ox.NamedNode(str(SG[p])) for p in
                                                   ("stanceActor", "stanceObject", "currentStance"))
_QUOTE, _ARTICLE = ox.NamedNode(str(SG.quote)), ox.NamedNode(str(SG.article))
_URL, _PUBLISHER, _NAME = (ox.NamedNode(str(SCHEMA[p])) for p in ("url", "publisher", "name"))


def default_store_path() -> Path:
    """env STANCEGRAPH_STORE, else the user's data directory."""
    env = os.environ.get("STANCEGRAPH_STORE")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("stancegraph")) / "store"


# A load whose bulk writes (N-Quads text) add up to at least COMPACT_AFTER_BYTES and this share
# of the store's files ends with a full compaction (`settle`). Each bulk write adds files to the
# engine's first level; its merges run in the background of a process that ends with the load,
# so a big load leaves them behind: at 100k (5.7 GB written), 20+ files per index, and questions
# 2-4 times slower than on a store bulk loaded at once (actor-profile > 60 s; 17.4 s after the
# compaction, as on the bulk-loaded store; the load took 1,146 s with it, 930 s without). At
# 10k (~0.6 GB) the loaded store answered as fast as the bulk-loaded one and the compaction
# would add a tenth to the load (8-10 s). A small load into a big store does not pay for a
# compaction of all of it.
COMPACT_AFTER_BYTES = 1 << 30
COMPACT_AFTER_SHARE = 0.25


class OxigraphStore(SparqlStore):
    """The embedded store: one pyoxigraph dataset on disk."""

    _bulk_bytes = 0                     # bulk-written by this object since the last settle

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_store_path()
        try:
            created = not (self.path / "CURRENT").exists()
            self.path.mkdir(parents=True, exist_ok=True)
            self._db = ox.Store(str(self.path))
        except OSError as e:
            reason = " ".join(str(e).split())[:160]
            raise StoreError(str(self.path), "cannot open the store (is another stancegraph process, "
                                             f"e.g. `stancegraph serve`, using it?): {reason}") from None
        if created:
            self.ensure_store_id()

    @property
    def location(self) -> str:
        return str(self.path)

    def query(self, sparql: str, bindings: dict | None = None, union: bool = True):
        """Run a SPARQL query; `bindings` substitute projected variables with RDF terms."""
        subs = {ox.Variable(k): _term(v) for k, v in (bindings or {}).items() if v is not None}
        return self._db.query(sparql, use_default_graph_as_union=union, substitutions=subs or None)

    def select(self, sparql: str, bindings: dict | None = None) -> tuple[list[str], list[list]]:
        """Columns and rows of a SELECT, values as Python strings/numbers (None when unbound)."""
        result = self.query(sparql, bindings)
        return [v.value for v in result.variables], list(_rows(result))

    def select_iter(self, sparql: str):
        """The rows of a SELECT as the engine produces them, never all at once."""
        return _rows(self.query(sparql))

    def ask(self, sparql: str) -> bool:
        return bool(self._db.query(sparql))

    def update(self, sparql: str) -> None:
        self._db.update(sparql)

    def stored_version(self, article) -> str:
        """SparqlStore.stored_version by two index lookups instead of a query (once per article
        of every load)."""
        from stancegraph.loaders.mapping import article_iri, graph_iri

        g = ox.NamedNode(str(graph_iri(article)))
        for q in self._db.quads_for_pattern(ox.NamedNode(str(article_iri(article))), _FINGERPRINT, None, g):
            if q.object.value == article.fingerprint:
                return "current"
        return "other" if next(iter(self._db.quads_for_pattern(None, None, None, g)), None) else "absent"

    def _write_article(self, g: str, own: list[str], reference, *, replace: bool,
                       checked: bool) -> None:
        """SparqlStore._write_article; a new article as one N-Quads load (one transaction as
        well) instead of an INSERT DATA, whose parsing costs more than the parser's: 0.44
        instead of 0.75 ms of CPU per article when its lines were checked already."""
        if replace:
            return super()._write_article(g, own, reference, replace=replace, checked=checked)
        self._db.load(_nquads(g, own, reference).encode("utf-8"), format=ox.RdfFormat.N_QUADS,
                      lenient=checked)

    batches_new_articles = True

    def put_new_articles(self, items) -> None:
        """SparqlStore.put_new_articles as one bulk load of all their quads: the engine's bulk
        loader is all-or-nothing per call (its files are ingested into every index at once, at
        the end, and removed if anything fails before). In batches of 1,000 it costs much less
        CPU than one transaction per article; in small ones, no less (docs/scale.md, "Sixth
        pass")."""
        if not items:
            return
        data = "".join(_nquads(str(graph_iri(article)), _own_lines(article, triples), triples.reference)
                       for article, triples in items).encode("utf-8")
        self._db.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
        self._bulk_bytes += len(data)
        for _, triples in items:
            self._touch(triples.touched)

    def replace_pair_nodes(self, pairs: list[tuple[str, str]], lines: list[str]) -> None:
        """SparqlStore.replace_pair_nodes writing only the difference: what the graph holds of
        these pairs now is read by index (the same nodes the generic DELETE matches), compared
        with the new lines as RDF terms, and only the quads that differ are deleted and added.
        New articles mostly add states after the last one, so most of a pair's history stays
        as it is; deleting and writing it again was most of the cost of adding to a big store."""
        graph = ox.NamedNode(str(STANCES_GRAPH))
        new = dict(zip((q.triple for q in ox.parse("\n".join(lines).encode("utf-8"),
                                                      format=ox.RdfFormat.N_TRIPLES)), lines))
        old = set(self._pair_nodes(pairs, graph))
        gone = [t for t in old if t not in new]
        if gone:
            self._db.update(f"DELETE DATA {{ GRAPH <{STANCES_GRAPH}> {{\n"
                            + " .\n".join(str(t) for t in gone) + " .\n} }")
        self.insert_ntriples(STANCES_GRAPH, [line for t, line in new.items() if t not in old])

    def _pair_nodes(self, pairs: list[tuple[str, str]], graph: ox.NamedNode):
        """The triples graph/stances holds of these pairs: their states (by actor, then each
        state's kind), the actor-relation-kind edge and the current-stance link."""
        kinds_of: dict[str, set[str]] = {}
        for who, k in pairs:
            kinds_of.setdefault(who, set()).add(k)
        quads = self._db.quads_for_pattern
        for who, kinds in sorted(kinds_of.items()):
            actor = ox.NamedNode(who)
            for link in quads(None, _STANCE_ACTOR, actor, graph):
                state = link.subject
                if any(q.object.value in kinds for q in quads(state, _STANCE_OBJECT, None, graph)):
                    yield from (q.triple for q in quads(state, None, None, graph))
            for k in sorted(kinds):
                kind = ox.NamedNode(k)
                yield from (q.triple for q in quads(actor, None, kind, graph))
                current = ox.NamedNode(stance_iri(who, k))
                yield from (q.triple for q in quads(actor, _CURRENT_STANCE, current, graph))

    def change_details(self, quoted: list[str], sourced: list[str]) -> tuple[dict, dict]:
        """SparqlStore.change_details by index look-ups, the same pattern as its query (the
        claim's article, publisher and URL in one named graph, the outlet's name in any): a
        tenth of the query's CPU, once per current change of every load."""
        quotes: dict[str, str] = {}
        sources: dict[str, set[tuple[str | None, str]]] = {}
        named = self._named_quads
        for c in quoted:
            for q in named(ox.NamedNode(c), _QUOTE, None, None):
                quotes[c] = q.object.value
        for c in sourced:
            for link in named(ox.NamedNode(c), _ARTICLE, None, None):
                a, g = link.object, link.graph_name
                urls = [u.object.value for u in self._db.quads_for_pattern(a, _URL, None, g)] or [None]
                for pub in self._db.quads_for_pattern(a, _PUBLISHER, None, g):
                    for name in named(pub.object, _NAME, None, None):
                        sources.setdefault(c, set()).update((u, name.object.value) for u in urls)
        return quotes, sources

    def _named_quads(self, s, p, o, g):
        """quads_for_pattern over the named graphs only (as SPARQL's GRAPH ?g)."""
        return (q for q in self._db.quads_for_pattern(s, p, o, g)
                if not isinstance(q.graph_name, ox.DefaultGraph))

    def insert_ntriples(self, graph_iri, lines: list[str]) -> None:
        """The parser's bulk path: much faster than an INSERT DATA of the same triples."""
        if lines:
            self._db.load("\n".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES,
                          to_graph=ox.NamedNode(str(graph_iri)))

    # The engine releases the interpreter while it loads, so a rebuild derives its next chunk
    # meanwhile (derived._BulkWriter); what it reads then (the articles' quotes and URLs) is in
    # graphs the load does not write.
    bulk_beside_reads = True

    def bulk_insert_ntriples(self, graph_iri, lines: list[str]) -> None:
        """The bulk loader: about half the CPU of a transactional load, not atomic."""
        if lines:
            data = "\n".join(lines).encode("utf-8")
            self._db.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(graph_iri)))
            self._bulk_bytes += len(data)

    def settle(self) -> bool:
        """After a load: compact the whole store when the load's bulk writes were at least
        COMPACT_AFTER_BYTES and COMPACT_AFTER_SHARE of its files (True when it did)."""
        written, self._bulk_bytes = self._bulk_bytes, 0
        if not written or written < COMPACT_AFTER_BYTES:
            return False
        if written < COMPACT_AFTER_SHARE * _sst_bytes(self.path):
            return False
        try:
            self._db.optimize()
        except OSError:         # e.g. a full disk: the load is stored, only slower to read; the
            return False        # engine's own merges go on in the next process that writes
        return True

    def graph_ntriples(self, iri) -> str:
        data = self._db.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(iri)))
        return data.decode("utf-8")

    def triple_count(self) -> int:
        return len(self._db)

    def export(self, fmt: str, out: IO[bytes]) -> None:
        """The whole dataset (quads formats) or the union of its graphs (triple formats)."""
        if fmt not in EXPORT_FORMATS:
            raise InputError(fmt, f"unknown export format (one of {', '.join(EXPORT_FORMATS)})")
        dump_dataset(self._db, fmt, out)

    def flush(self) -> None:
        self._db.flush()


class ReadOnlyView(OxigraphStore):
    """A read-only view of the embedded store, for worker processes that read while the process
    holding the store writes nothing (validate); writes through it fail. The reference graph is
    read once per view (it cannot change under a read-only view) instead of queried per article."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self._db = ox.Store.read_only(str(self.path))
        except OSError as e:
            raise StoreError(str(self.path), f"cannot open the store read-only: "
                                             f"{' '.join(str(e).split())[:160]}") from None
        self._reference: dict[str, list[str]] | None = None

    def reference_lines(self, nodes: list[str]) -> list[str]:
        if self._reference is None:
            self._reference = {}
            for line in self.graph_ntriples(REFERENCE_GRAPH).splitlines():
                if line.startswith("<"):
                    self._reference.setdefault(line[1:line.index(">")], []).append(line)
        return [line for n in nodes for line in self._reference.get(n, ())]


def _sst_bytes(path: Path) -> int:
    """The size of the engine's data files; its background merges may remove one meanwhile."""
    total = 0
    for entry in os.scandir(path):
        if entry.name.endswith(".sst"):
            try:
                total += entry.stat().st_size
            except FileNotFoundError:
                pass
    return total


def _nquads(g: str, own, reference) -> str:
    """An article's N-Triples lines as N-Quads: its own lines in its graph `g`, the reference
    lines in graph/reference."""
    graph, ref = f"<{g}> .\n", f"<{REFERENCE_GRAPH}> .\n"
    return ("".join(line.rstrip()[:-1] + graph for line in own)
            + "".join(line.rstrip()[:-1] + ref for line in reference))


def dump_dataset(db: ox.Store, fmt: str, out: IO[bytes]) -> None:
    """Quad formats keep the named graphs; triple formats get the union of the graphs."""
    rdf_format = EXPORT_FORMATS[fmt]
    if rdf_format.supports_datasets:
        db.dump(out, rdf_format, prefixes=PREFIXES)
        return
    union = ox.Store()
    union.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                 for t in db.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                   use_default_graph_as_union=True))
    union.dump(out, rdf_format, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)


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


def _rows(result):
    """A SELECT's solutions as lists of Python values, in the order of its variables."""
    # a solution unpacks in the order of the variables (looking each up by name costs more)
    return ([_python(term) for term in solution] for solution in result)


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
