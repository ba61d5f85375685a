"""Keeping the derived graphs (graph/stances, graph/stories) true to the claims, on any SPARQL 1.1
store, by what a write touched: the (actor, kind) pairs of the claims it added or removed and the
articles it changed. A write whose touch is unknown is caught by the stale-data checks
(queries/checks/stance-*-violation.rq, story-*-violation.rq), which name the pairs and articles
to redo; a full recompute stays available."""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby, islice
from pathlib import Path
from typing import Iterable, Iterator

from stancegraph.ontology.vocab import RDF, SCHEMA, SG, STANCES_GRAPH, STORIES_GRAPH

from .stances import (STANCE_RELATIONS, ChangeDetails, ClaimFact, PairHistory, change_row_lines,
                      derive_pair, history_ntriples, stance_iri)
from .stories import (ArticleSketch, Story, assignments, body_sketch, parse_sketch, sketch_text,
                      stories)

CHECKS = Path(__file__).resolve().parents[2] / "queries" / "checks"
PAIR_CHUNK = 100
# Bump when the shape of the derived graphs changes: a store derived by another version is
# derived again in full on its next recompute, but for PREVIOUS, upgraded in place.
DERIVATION = "stancegraph-derivation/4"
PREVIOUS = "stancegraph-derivation/3"   # without the change rows (sg:changeRow): upgraded in place
ARTICLE_CHUNK = 500
BULK_LINES = 200_000     # a full rebuild writes the stances graph in bulk loads of this many lines
_RELATIONS = " ".join(f"<{r}>" for r in STANCE_RELATIONS)
_IN = ", ".join(f"<{r}>" for r in STANCE_RELATIONS)


@dataclass(frozen=True)
class Touched:
    """What a write may have changed in the derived graphs."""

    pairs: frozenset = field(default_factory=frozenset)       # (actor IRI, kind IRI)
    articles: frozenset = field(default_factory=frozenset)    # article IRIs

    def __or__(self, other: "Touched") -> "Touched":
        return Touched(self.pairs | other.pairs, self.articles | other.articles)

    def __bool__(self) -> bool:
        return bool(self.pairs or self.articles)


@dataclass(frozen=True)
class Recomputed:
    pairs: int              # pairs derived again
    stances: int            # of which still have a stance
    articles: int           # articles whose story was looked at
    stale: int              # pairs and articles the checks found stale
    full: bool


def pairs_in_graphs(store, graph_iris: Iterable[str]) -> Touched:
    """The pairs and articles whose claims the given named graphs hold now."""
    graphs = sorted({str(g) for g in graph_iris})
    if not graphs:
        return Touched()
    pairs, articles = set(), set()
    for chunk in _chunks(graphs, 50):
        branches = " UNION ".join(f"""{{ GRAPH <{g}> {{ ?a a <{SG.Article}> .
            OPTIONAL {{ ?c <{SG.article}> ?a ; <{SG.relation}> ?r ; <{SG.object}> ?k .
                       {{ ?c <{SG.actor}> ?who }} UNION {{ ?c <{SG.onBehalfOf}> ?who }}
                       FILTER (?r IN ({_IN})) }} }} }}""" for g in chunk)
        _, rows = store.select(f"SELECT DISTINCT ?who ?k ?a WHERE {{ {branches} }}")
        pairs.update((w, k) for w, k, _ in rows if w and k)
        articles.update(a for _, _, a in rows)
    return Touched(frozenset(pairs), frozenset(articles))


def check_results(store, prefixes: tuple[str, ...]) -> Iterator[tuple[Path, list[str], list[list]]]:
    """(file, columns, rows) of each stale-data check (queries/checks/*-violation.rq) whose
    name starts with one of `prefixes`, in file order. The two checks that compare the stances'
    sg:basedOn claims with the claims themselves are one grouped query that differs only in its
    HAVING (stances side only, claims side only): when the files still say so, one evaluation
    answers both, which halves their cost (each ~8 s of CPU at 10k articles)."""
    checks = [c for c in sorted(CHECKS.glob("*-violation.rq")) if c.name.startswith(prefixes)]
    paired = _based_on_pair(store) if all(n in {c.name for c in checks} for n in _BASED_ON) else {}
    for check in checks:
        if check.name in paired:
            yield check, *paired[check.name]
        else:
            yield check, *store.select(check.read_text(encoding="utf-8"))


# (file, its HAVING, the value of ?side its rows have): stances side only, claims side only
_BASED_ON = {"stance-based-on-missing-claim-violation.rq": ("HAVING (MAX(?side) = 1)", 1),
             "stance-claim-not-derived-violation.rq": ("HAVING (MIN(?side) = 2)", 2)}
_ONE_SIDE = "HAVING (MIN(?side) = MAX(?side))"


def _based_on_pair(store) -> dict[str, tuple[list[str], list[list]]]:
    """Both basedOn checks' (columns, rows) from one query, or {} when their files are not the
    same query with these two HAVING clauses (then each runs on its own)."""
    bodies = set()
    for name, (having, _) in _BASED_ON.items():
        text = (CHECKS / name).read_text(encoding="utf-8")
        body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
        if body.count(having) != 1 or body.count("SELECT ?actor ?kind ?claim WHERE") != 1:
            return {}
        bodies.add(body.replace(having, _ONE_SIDE))
    if len(bodies) != 1:
        return {}
    query = bodies.pop().replace("SELECT ?actor ?kind ?claim WHERE",
                                 "SELECT ?actor ?kind ?claim (MIN(?side) AS ?only_side) WHERE")
    columns, rows = store.select(query)
    out = {}
    for name, (_, side) in _BASED_ON.items():
        out[name] = (columns[:-1], [row[:-1] for row in rows if int(row[-1]) == side])
    return out


def stale(store) -> Touched:
    """Pairs and articles named by the stale-derived-data checks."""
    pairs, articles = set(), set()
    for _, columns, rows in check_results(store, ("stance-", "story-")):
        for row in rows:
            r = dict(zip(columns, row))
            if r.get("actor") and r.get("kind"):
                pairs.add((r["actor"], r["kind"]))
            if r.get("article"):
                articles.add(r["article"])
    return Touched(frozenset(pairs), frozenset(articles))


def recompute(store, touched: Touched | None = None, *, full: bool = False,
              detect: bool = True, log=None) -> Recomputed:
    """Derive again what `touched` names (plus, with `detect`, whatever the checks find stale);
    `full` rebuilds both derived graphs from every claim and article: from `log` (a load's
    loadlog.LoadLog) instead of the store when the log describes the whole store."""
    found = Touched()
    if not full and store.ask(f"ASK {{ GRAPH <{STANCES_GRAPH}> {{ <{STANCES_GRAPH}> <{SG.fingerprint}> "
                              f"\"{PREVIOUS}\" }} }}"):
        _add_change_rows(store)
    full = full or not store.ask(f"ASK {{ GRAPH <{STANCES_GRAPH}> {{ <{STANCES_GRAPH}> <{SG.fingerprint}> "
                                 f"\"{DERIVATION}\" }} }}")
    if full:
        store.update(f"DROP SILENT GRAPH <{STORIES_GRAPH}> ; DROP SILENT GRAPH <{STANCES_GRAPH}>")
        touched = Touched(frozenset(), frozenset(_all_articles(store)))
    else:
        touched = touched or Touched()
        if detect:
            found = stale(store)
            touched = touched | found
    if full:
        # both graphs written anew, from the load's log when it describes the whole store
        from_log = log is not None and log.complete
        sketches = list(log.sketches() if from_log else
                        _current_sketches(store, sorted(touched.articles)).values())
        found_stories = stories(sketches)
        with _BulkWriter(store) as writer:
            _write_stories(writer, found_stories, sketches)
            del sketches                # one per article (~230 MB at 100k): not kept any longer
            if from_log:                # each claim's story as just found, not read back
                facts = log.facts(assignments(found_stories))
            else:                       # the facts query reads each claim's story: written first
                writer.wait()
                facts = _facts_by_pair(store)
            count, kept = _rebuild_stances(store, facts, writer)
        store.insert_ntriples(STANCES_GRAPH, [f'<{STANCES_GRAPH}> <{SG.fingerprint}> "{DERIVATION}" .'])
        return Recomputed(count, kept, len(touched.articles), 0, True)
    moved = _update_stories(store, sorted(touched.articles))
    pairs = sorted(touched.pairs | moved)
    kept = 0
    for chunk in _chunks(pairs, PAIR_CHUNK):
        kept += _update_pairs(store, chunk, _facts(store, chunk))
        store.flush()           # the engine's memory tables hold every rewritten quad until then
    return Recomputed(len(pairs), kept, len(touched.articles),
                      len(found.pairs) + len(found.articles), full)


def _rebuild_stances(store, facts: Iterator[tuple[str, str, ClaimFact]],
                     writer: "_BulkWriter") -> tuple[int, int]:
    """The stances graph written from every claim fact, given ordered by pair, in bulk loads of
    BULK_LINES lines (the caller writes the fingerprint once they all succeeded: a rebuild cut
    short is redone in full by the next recompute). Returns (pairs, pairs with a stance)."""
    pairs = kept = 0
    pending: list[str] = []
    changed: list[PairHistory] = []
    for (who, k), group in groupby(facts, key=lambda f: (f[0], f[1])):
        pairs += 1
        history = derive_pair(who, k, [f[2] for f in group])
        if history is not None:
            kept += 1
            pending.extend(history_ntriples(history))
            if history.current.changed_from is not None:
                changed.append(history)
        if len(changed) >= PAIR_CHUNK:
            pending.extend(_change_rows(store, changed))
            changed = []
        if len(pending) >= BULK_LINES:
            writer.write(STANCES_GRAPH, pending)
            pending = []
    pending.extend(_change_rows(store, changed))
    writer.write(STANCES_GRAPH, pending)
    return pairs, kept


class _BulkWriter:
    """The bulk loads of a full rebuild, in order. On a store whose bulk loads may run beside
    its reads (`bulk_beside_reads`: the embedded store, whose engine releases the interpreter
    while it loads) each load runs in a thread while the caller derives the next chunk, one at
    a time; elsewhere it runs in the caller. A failed load is raised by the next write or at the
    end of the `with`, and nothing is loaded after it."""

    def __init__(self, store):
        self.store = store
        self.beside = getattr(store, "bulk_beside_reads", False)
        self._pool = self._running = None

    def __enter__(self) -> "_BulkWriter":
        if self.beside:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stancegraph-bulk")
        return self

    def write(self, graph, lines: list[str]) -> None:
        if not self.beside:
            self.store.bulk_insert_ntriples(graph, lines)
            return
        self.wait()
        self._running = self._pool.submit(self.store.bulk_insert_ntriples, graph, lines)

    def wait(self) -> None:
        """Until the loads written so far are in the store (raises if one failed)."""
        running, self._running = self._running, None
        if running is not None:
            running.result()

    def __exit__(self, kind, *_) -> None:
        if self._pool is None:
            return
        try:
            if kind is None:
                self.wait()
        finally:
            self._pool.shutdown(wait=True)


def _facts_by_pair(store) -> Iterator[tuple[str, str, ClaimFact]]:
    """Every claim fact of the store, ordered by pair, in constant memory: streamed from the
    store in one pass (an ORDER BY would make the engine hold them all) into a temporary SQLite
    table on disk, read back in pair order."""
    import sqlite3
    import tempfile

    with tempfile.TemporaryDirectory(prefix="stancegraph-facts-") as tmp:
        db = sqlite3.connect(str(Path(tmp) / "facts.sqlite"))
        try:
            db.execute("CREATE TABLE fact (who, k, c, rel, d, conf, a, story, source)")
            rows = store.select_iter(_facts_query(None))
            while batch := list(islice(rows, 10_000)):
                db.executemany("INSERT INTO fact VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               (_fact_row(row) for row in batch))
            for row in db.execute("SELECT * FROM fact ORDER BY who, k"):
                yield row[0], row[1], ClaimFact(*row[2:])
        finally:
            db.close()


# -- stances ---------------------------------------------------------------------------------
def _values(rows: Iterable[tuple[str, ...]]) -> str:
    return " ".join("(" + " ".join(f"<{v}>" for v in row) + ")" for row in rows)


def _facts(store, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list[ClaimFact]]:
    """The claim facts of these pairs."""
    by_pair: dict[tuple[str, str], list[ClaimFact]] = {}
    for row in store.select(_facts_query(pairs))[1]:
        who, k, *fact = _fact_row(row)
        by_pair.setdefault((who, k), []).append(ClaimFact(*fact))
    return by_pair


def _facts_query(pairs: list[tuple[str, str]] | None) -> str:
    """The claim facts of these pairs (of every pair when None). Each actor is its own UNION
    branch with a constant actor and its kinds as a filter, so engines look the actor's claims
    up by index (instead of joining every claim against a VALUES table) and visit them once
    however many of its kinds were touched. A branch per pair made the engine start from the
    kind's claims, a tenth of the store each, or read the actor's claims once per kind: 40 %
    more CPU on the 100 pairs a 10k store's busiest actors have (docs/scale.md)."""
    props = f"""<{SG.relation}> ?rel ; <{SG.validDate}> ?d ; <{SG.confidence}> ?conf ;
                <{SG.article}> ?a . FILTER (?rel IN ({_IN}))
                OPTIONAL {{ ?a <{SCHEMA.publisher}> ?publisher }}"""
    if pairs is None:
        where = (f"GRAPH ?g {{ ?c <{SG.object}> ?k ; {props} "
                 f"{{ ?c <{SG.actor}> ?who }} UNION {{ ?c <{SG.onBehalfOf}> ?who }} }}")
        return f"""
            SELECT ?who ?k ?c ?rel ?d ?conf ?a ?story ?source ?publisher WHERE {{
              {where} {_STORY} }}"""
    kinds_of: dict[str, set[str]] = {}
    for who, k in pairs:
        kinds_of.setdefault(who, set()).add(k)
    # the story looked up inside each branch: outside the union it is a join with every story
    where = " UNION ".join(
        f"{{ GRAPH ?g {{ ?c <{p}> <{who}> ; <{SG.object}> ?k ; {props} "
        f"FILTER (?k IN ({', '.join(f'<{k}>' for k in sorted(kinds))})) }} {_STORY} "
        f"BIND (<{who}> AS ?who) }}"
        for who, kinds in sorted(kinds_of.items()) for p in (SG.actor, SG.onBehalfOf))
    return f"SELECT ?who ?k ?c ?rel ?d ?conf ?a ?story ?source ?publisher WHERE {{ {where} }}"


_STORY = (f"OPTIONAL {{ GRAPH <{STORIES_GRAPH}> {{ ?a <{SG.story}> ?story . "
          f"?story <{SG.storySource}> ?source }} }}")


def _fact_row(row) -> tuple[str, ...]:
    """(actor, kind) and the ClaimFact fields of one row of _facts_query."""
    who, k, c, rel, d, conf, a, story, source, publisher = row
    return (who, k, c, rel, str(d), _lexical(conf), a, story or a, source or publisher or a)


def _lexical(value) -> str:
    """Confidence as the queries compare it (the stored lexical form, two decimals)."""
    return value if isinstance(value, str) else f"{value:.2f}"


def _update_pairs(store, pairs: list[tuple[str, str]], facts: dict) -> int:
    """Replace the derived nodes of these pairs (delete, then insert); how many still have a
    stance."""
    lines, kept, changed = [], 0, []
    for who, k in pairs:
        history = derive_pair(who, k, facts.get((who, k), ()))
        if history is not None:
            kept += 1
            lines.extend(history_ntriples(history))
            if history.current.changed_from is not None:
                changed.append(history)
    lines.extend(_change_rows(store, changed))
    store.replace_pair_nodes(pairs, lines)
    return kept


def replace_pair_nodes_by_update(store, pairs: list[tuple[str, str]], lines: list[str]) -> None:
    """Replace what graph/stances holds of these pairs (every state, the actor-relation-kind
    edge and the current-stance link) by these N-Triples lines: one DELETE of it all, then the
    lines (what any SPARQL 1.1 store can do; the embedded store writes only the difference)."""
    parts = []
    st = f"GRAPH <{STANCES_GRAPH}>"
    for who, k in pairs:
        pair = f"?s <{SG.stanceActor}> <{who}> ; <{SG.stanceObject}> <{k}>"
        parts.append(f"DELETE {{ {st} {{ ?s ?p ?o }} }} WHERE {{ {st} {{ {pair} . ?s ?p ?o }} }}")
        parts.append(f"DELETE WHERE {{ {st} {{ <{who}> ?r <{k}> }} }}")
        parts.append(f"DELETE WHERE {{ {st} {{ <{who}> <{SG.currentStance}> <{stance_iri(who, k)}> }} }}")
    if parts:
        store.update(" ;\n".join(parts))
    store.insert_ntriples(STANCES_GRAPH, lines)


def _change_rows(store, histories: list[PairHistory]) -> list[str]:
    """The sg:changeRow lines of these histories' current stances that began with a change."""
    return _rows_of_changes(store, [(h.current.iri, h.current.latest, h.current.changed_from)
                                    for h in histories if h.current.changed_from is not None])


def _rows_of_changes(store, changes: list[tuple[str, ClaimFact, ClaimFact]]) -> list[str]:
    """sg:changeRow lines of current stances (IRI, later claim, earlier claim): the two claims'
    quotes and the later claim's article URL and outlet name (store.change_details), as the saved
    question would join them (no row when the article names no outlet)."""
    if not changes:
        return []
    quotes, sources = store.change_details(sorted({c.claim for _, c, e in changes} |
                                                  {e.claim for _, c, e in changes}),
                                           sorted({c.claim for _, c, _ in changes}))
    out: list[str] = []
    for state, c, e in changes:
        if c.claim in sources and c.claim in quotes and e.claim in quotes:
            found = tuple(sorted(sources[c.claim], key=lambda s: (s[0] or "", s[1])))
            out.extend(change_row_lines(state, c, e, ChangeDetails(quotes[c.claim], quotes[e.claim], found)))
    return out


def change_details_by_query(store, quoted: list[str], sourced: list[str]) -> tuple[dict, dict]:
    """(quote by claim, {(article URL or None, outlet name)} by claim) of these claims: the quote
    of each `quoted` claim, the sources of each `sourced` one, in one SELECT. Each claim is its
    own UNION branch, so engines look it up by index."""
    branches = [f"{{ GRAPH ?g {{ <{c}> <{SG.quote}> ?q }} BIND (<{c}> AS ?c) }}" for c in quoted]
    branches += [f"""{{ GRAPH ?g {{ <{c}> <{SG.article}> ?a . ?a <{SCHEMA.publisher}> ?o .
                                    OPTIONAL {{ ?a <{SCHEMA.url}> ?url }} }}
                       GRAPH ?go {{ ?o <{SCHEMA.name}> ?outlet }} BIND (<{c}> AS ?c) }}"""
                 for c in sourced]
    quotes: dict[str, str] = {}
    sources: dict[str, set[tuple[str | None, str]]] = {}
    for c, q, url, outlet in store.select("SELECT ?c ?q ?url ?outlet WHERE { "
                                          + " UNION ".join(branches) + " }")[1]:
        if q is not None:
            quotes[c] = q
        if outlet is not None:
            sources.setdefault(c, set()).add((url, outlet))
    return quotes, sources


def _add_change_rows(store) -> None:
    """Upgrade a stances graph of the previous derivation (PREVIOUS: the same but for the change
    rows) in place: add the change rows of its current stances, then its new fingerprint. Much
    cheaper than deriving every pair again, which would first delete the whole graph."""
    st = f"GRAPH <{STANCES_GRAPH}>"
    _, rows = store.select(f"""SELECT ?state ?c ?crel ?cd ?e ?erel ?ed WHERE {{
        {st} {{ ?state a <{SG.Stance}> ; <{SG.latestClaim}> ?c ; <{SG.earlierClaim}> ?e }}
        GRAPH ?gc {{ ?c <{SG.relation}> ?crel ; <{SG.validDate}> ?cd }}
        GRAPH ?ge {{ ?e <{SG.relation}> ?erel ; <{SG.validDate}> ?ed }} }} ORDER BY ?state""")
    changes = [(state, ClaimFact(c, crel, str(cd), "", "", "", ""), ClaimFact(e, erel, str(ed), "", "", "", ""))
               for state, c, crel, cd, e, erel, ed in rows]
    for chunk in _chunks(changes, PAIR_CHUNK):
        store.insert_ntriples(STANCES_GRAPH, _rows_of_changes(store, chunk))
    store.update(f'DELETE DATA {{ {st} {{ <{STANCES_GRAPH}> <{SG.fingerprint}> "{PREVIOUS}" }} }} ;\n'
                 f'INSERT DATA {{ {st} {{ <{STANCES_GRAPH}> <{SG.fingerprint}> "{DERIVATION}" }} }}')


# -- stories ---------------------------------------------------------------------------------
def _all_articles(store) -> list[str]:
    _, rows = store.select(f"SELECT DISTINCT ?a WHERE {{ GRAPH ?g {{ ?a a <{SG.Article}> }} }}")
    return sorted(r[0] for r in rows)


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _current_sketches(store, articles: list[str]) -> dict[str, ArticleSketch]:
    """The articles that exist, sketched from their bodies."""
    out = {}
    for chunk in _chunks(articles, ARTICLE_CHUNK):
        _, rows = store.select(f"""
            SELECT ?a ?published ?publisher ?body WHERE {{
              VALUES ?a {{ {' '.join(f'<{a}>' for a in chunk)} }}
              GRAPH ?g {{ ?a a <{SG.Article}> .
                         OPTIONAL {{ ?a <{SCHEMA.datePublished}> ?published }}
                         OPTIONAL {{ ?a <{SCHEMA.publisher}> ?publisher }}
                         OPTIONAL {{ ?a <{SCHEMA.articleBody}> ?body }} }} }}""")
        for a, published, publisher, body in rows:
            out[a] = ArticleSketch(a, str(published or ""), publisher or a, body_sketch(body or ""))
    return out


def _stored(store, articles: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """article -> (its story, the story's source) as the stories graph holds them now."""
    out = {}
    for chunk in _chunks(articles, ARTICLE_CHUNK):
        _, rows = store.select(f"""
            SELECT ?a ?story ?source WHERE {{
              VALUES ?a {{ {' '.join(f'<{a}>' for a in chunk)} }}
              GRAPH <{STORIES_GRAPH}> {{ ?a <{SG.story}> ?story .
                                        OPTIONAL {{ ?story <{SG.storySource}> ?source }} }} }}""")
        out.update({a: (story, source) for a, story, source in rows})
    return out


def _neighbourhood(store, sketches: dict[str, ArticleSketch], touched: list[str]) -> dict[str, ArticleSketch]:
    """Every article whose story may change with the touched ones: the members of their old
    stories, the stored articles sharing a sketch band with them, and those articles' stories."""
    members = dict(sketches)
    anchors = sorted({h for s in sketches.values() for h in s.anchors})
    stories_seen: set[str] = set()
    frontier_rows = []
    for chunk in _chunks(anchors, ARTICLE_CHUNK):
        _, rows = store.select(f"""
            SELECT DISTINCT ?story WHERE {{ VALUES ?h {{ {' '.join(f'"{h}"' for h in chunk)} }}
              GRAPH <{STORIES_GRAPH}> {{ ?o <{SG.sketchAnchor}> ?h ; <{SG.story}> ?story }} }}""")
        frontier_rows.extend(r[0] for r in rows)
    for chunk in _chunks(touched, ARTICLE_CHUNK):
        _, rows = store.select(f"""
            SELECT DISTINCT ?story WHERE {{ VALUES ?a {{ {' '.join(f'<{a}>' for a in chunk)} }}
              GRAPH <{STORIES_GRAPH}> {{ ?a <{SG.story}> ?story }} }}""")
        frontier_rows.extend(r[0] for r in rows)
    stories_seen.update(frontier_rows)
    story_list = sorted(stories_seen)
    for chunk in _chunks(story_list, ARTICLE_CHUNK):
        _, rows = store.select(f"""
            SELECT ?a ?published ?publisher ?sketch WHERE {{
              VALUES ?story {{ {' '.join(f'<{s}>' for s in chunk)} }}
              GRAPH <{STORIES_GRAPH}> {{ ?a <{SG.story}> ?story . OPTIONAL {{ ?a <{SG.bodySketch}> ?sketch }} }}
              GRAPH ?g {{ ?a a <{SG.Article}> .
                         OPTIONAL {{ ?a <{SCHEMA.datePublished}> ?published }}
                         OPTIONAL {{ ?a <{SCHEMA.publisher}> ?publisher }} }} }}""")
        for a, published, publisher, sketch in rows:
            if a not in members:
                members[a] = ArticleSketch(a, str(published or ""), publisher or a, parse_sketch(sketch))
    return members


def _update_stories(store, articles: list[str]) -> set[tuple[str, str]]:
    """Re-group the touched articles and their neighbourhood into stories; returns the pairs
    of the claims whose article changed story or story source."""
    if not articles:
        return set()
    sketches = _current_sketches(store, articles)
    members = _neighbourhood(store, sketches, articles)
    universe = sorted(set(members) | set(articles))
    before = _stored(store, universe)
    after = assignments(stories(members.values()))
    parts = []
    for chunk in _chunks(universe, ARTICLE_CHUNK):
        values = " ".join(f"<{a}>" for a in chunk)
        parts.append(f"""
        DELETE {{ GRAPH <{STORIES_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ VALUES ?a {{ {values} }}
          GRAPH <{STORIES_GRAPH}> {{ ?a <{SG.story}> ?s . ?s ?p ?o }} }} ;
        DELETE {{ GRAPH <{STORIES_GRAPH}> {{ ?a <{SG.story}> ?s }} }} WHERE {{ VALUES ?a {{ {values} }}
          GRAPH <{STORIES_GRAPH}> {{ ?a <{SG.story}> ?s }} }}""")
    redo = sorted(set(articles))                 # their sketches are taken again (or go)
    for chunk in _chunks(redo, ARTICLE_CHUNK):
        parts.append(f"""
        DELETE {{ GRAPH <{STORIES_GRAPH}> {{ ?a ?p ?o }} }} WHERE {{
          VALUES ?a {{ {' '.join(f'<{a}>' for a in chunk)} }} GRAPH <{STORIES_GRAPH}> {{ ?a ?p ?o }} }}""")
    lines = set()
    for a in universe:
        st = after.get(a)
        if st is not None:
            lines.update(_story_lines(a, st))
    for s in sketches.values():
        lines.update(_sketch_lines(s))
    for i in range(0, len(parts), 20):
        store.update(" ;\n".join(parts[i:i + 20]))
    store.insert_ntriples(STORIES_GRAPH, sorted(lines))
    changed = [a for a in universe
               if before.get(a) != ((after[a].iri, after[a].source) if a in after else None)]
    return _pairs_of_articles(store, changed)


def _story_lines(article: str, st: Story) -> list[str]:
    return [f"<{article}> <{SG.story}> <{st.iri}> .", f"<{st.iri}> <{SG.storySource}> <{st.source}> .",
            f"<{st.iri}> <{RDF.type}> <{SG.Story}> ."]


def _sketch_lines(s: ArticleSketch) -> list[str]:
    if not s.sketch:
        return []
    return [f'<{s.article}> <{SG.bodySketch}> "{sketch_text(s.sketch)}" .',
            *(f'<{s.article}> <{SG.sketchAnchor}> "{h}" .' for h in s.anchors)]


def _write_stories(writer: _BulkWriter, found: list[Story], sketches: Iterable[ArticleSketch]) -> None:
    """A full grouping into the (empty) stories graph, in bulk loads."""
    pending: list[str] = []
    for st in found:
        for a in st.articles:
            pending.extend(_story_lines(a, st))
    for s in sketches:
        pending.extend(_sketch_lines(s))
        if len(pending) >= BULK_LINES:
            writer.write(STORIES_GRAPH, sorted(set(pending)))
            pending = []
    writer.write(STORIES_GRAPH, sorted(set(pending)))


def _pairs_of_articles(store, articles: list[str]) -> set[tuple[str, str]]:
    out = set()
    for chunk in _chunks(articles, ARTICLE_CHUNK):
        _, rows = store.select(f"""
            SELECT DISTINCT ?who ?k WHERE {{ VALUES ?a {{ {' '.join(f'<{a}>' for a in chunk)} }}
              GRAPH ?g {{ ?c <{SG.article}> ?a ; <{SG.relation}> ?rel ; <{SG.object}> ?k ;
                           <{SG.actor}>|<{SG.onBehalfOf}> ?who .
                          FILTER (?rel IN ({_IN})) }} }}""")
        out.update((w, k) for w, k in rows)
    return out
