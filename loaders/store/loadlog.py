"""What a load into an empty store wrote, kept on the side so that the first derivation of the
stances and stories does not read every claim and every body back from the store.

The workers already hold each article's claims and body: they give the facts the derivation
needs (`ArticleFacts`: the stance claims' actor, kind, relation, date, confidence; the article's
date, outlet and body sketch), and the committing process appends those of each article it adds
to a temporary SQLite file on disk (constant memory, however big the load). The log is used only
while it describes the whole store: the store had no article and no review decision when the
load began, and the load only added articles (a replaced article, e.g. the same key twice in one
input, makes it incomplete, and the derivation reads the store as before)."""
from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from stancegraph.ontology.vocab import REVIEWS_GRAPH, SG

from .stances import STANCE_RELATIONS, ClaimFact
from .stories import ArticleSketch, body_sketch, parse_sketch, sketch_text

_STANCE = {f"<{r}>" for r in STANCE_RELATIONS}
_XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"


@dataclass(frozen=True)
class ArticleFacts:
    """One article as the derivation reads it (values as the store gives them back)."""

    article: str                                    # article IRI
    published: str                                  # datePublished, canonical lexical form
    publisher: str                                  # outlet IRI
    sketch: str                                     # sketch_text of its body
    claims: tuple[tuple[str, ...], ...]             # (actor, kind, claim, relation, date, confidence)


def article_facts(subjects: dict[str, dict[str, list[str]]], article_subject: str, body: str) -> ArticleFacts:
    """From a mapped article's own N-Triples parsed by subject (split_ntriples) and its body."""
    a = subjects[article_subject]
    claims = []
    for s, props in subjects.items():
        relations = set(props.get(f"<{SG.relation}>", [])) & _STANCE
        if not relations:
            continue
        date = _lexical(props[f"<{SG.validDate}>"][0])
        confidence = f"{float(_lexical(props[f'<{SG.confidence}>'][0])):.2f}"
        for rel in sorted(relations):
            for kind in props.get(f"<{SG.object}>", []):
                for who in props.get(f"<{SG.actor}>", []) + props.get(f"<{SG.onBehalfOf}>", []):
                    claims.append((who[1:-1], kind[1:-1], s[1:-1], rel[1:-1], date, confidence))
    published = _canonical_datetime(_lexical(a["<https://schema.org/datePublished>"][0]))
    publisher = a["<https://schema.org/publisher>"][0][1:-1]
    return ArticleFacts(article_subject[1:-1], published, publisher, sketch_text(body_sketch(body)),
                        tuple(sorted(set(claims))))


def _lexical(term: str) -> str:
    """The lexical form of an N-Triples literal without escapes ("2025-09-04"^^<…date>)."""
    return term[1:term.rindex('"')]


def _canonical_datetime(value: str) -> str:
    """The lexical form the store gives back for this xsd:dateTime (it keeps values, not
    text: '+00:00' comes back as 'Z'), asked of a small in-memory store of the same engine."""
    import pyoxigraph as ox

    scratch, node = _scratch()
    quad = ox.Quad(node, node, ox.Literal(value, datatype=ox.NamedNode(_XSD_DATETIME)))
    scratch.add(quad)
    try:
        return next(iter(scratch.quads_for_pattern(node, node, None, None))).object.value
    finally:
        scratch.remove(quad)


@lru_cache(maxsize=1)
def _scratch():
    import pyoxigraph as ox

    return ox.Store(), ox.NamedNode("urn:stancegraph:scratch")


def fresh_store(store) -> bool:
    """No article and no review decision stored: a load's log will describe the whole store."""
    return not store.ask(f"ASK {{ {{ GRAPH ?g {{ ?a a <{SG.Article}> }} }} UNION "
                         f"{{ GRAPH <{REVIEWS_GRAPH}> {{ ?s ?p ?o }} }} }}")


class LoadLog:
    """The facts of every article a load added, in a temporary SQLite file."""

    def __init__(self):
        self._dir = tempfile.TemporaryDirectory(prefix="stancegraph-load-")
        self._db = sqlite3.connect(str(Path(self._dir.name) / "log.sqlite"))
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("CREATE TABLE article (a PRIMARY KEY, published, publisher, sketch)")
        self._db.execute("CREATE TABLE fact (who, k, c, rel, d, conf, a)")
        self.complete = True

    def written(self, outcome: str, facts: ArticleFacts | None) -> None:
        """An article the load wrote ("added" or "replaced"): logged, or the log stops
        describing the store (a replaced article, or one it could not log)."""
        if outcome != "added" or facts is None or not self.complete:
            self.complete = False
            return
        try:
            self._db.execute("INSERT INTO article VALUES (?, ?, ?, ?)",
                             (facts.article, facts.published, facts.publisher, facts.sketch))
            self._db.executemany("INSERT INTO fact VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 (row + (facts.article,) for row in facts.claims))
        except sqlite3.Error:           # e.g. a full disk: the derivation reads the store instead
            self.complete = False

    def sketches(self) -> Iterator[ArticleSketch]:
        for a, published, publisher, sketch in self._db.execute(
                "SELECT a, published, publisher, sketch FROM article ORDER BY a"):
            yield ArticleSketch(a, published, publisher, parse_sketch(sketch))

    def facts(self, stories: dict) -> Iterator[tuple[str, str, ClaimFact]]:
        """(actor, kind, fact) ordered by pair; `stories`: article IRI -> its Story."""
        rows = self._db.execute("SELECT f.who, f.k, f.c, f.rel, f.d, f.conf, f.a, a.publisher "
                                "FROM fact f JOIN article a ON a.a = f.a ORDER BY f.who, f.k")
        for who, k, c, rel, d, conf, a, publisher in rows:
            story = stories.get(a)
            yield who, k, ClaimFact(c, rel, d, conf, a, story.iri if story else a,
                                    story.source if story else publisher)

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()
