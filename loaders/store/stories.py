"""Syndicated copies: articles whose bodies are near-duplicates tell one story, and count once.

Each body gets a MinHash sketch: for each of SKETCH_SIZE hash functions (BLAKE2b with a fixed
personalisation, no seed), the smallest hash over its 4-word shingles. The sketch is cut into
BANDS bands; two articles are candidates when a whole band is equal (the band keys are indexed in
the store), and copies when their sketches also agree on at least THRESHOLD of the positions (an
estimate of the Jaccard similarity of their shingles). Boilerplate shared by unrelated articles
rarely fills a whole band, so candidate sets stay small. A story is a connected group of copies,
named after its first publication (earliest datePublished, then article IRI), whose outlet is the
one source the story counts for. All of it is a function of the set of articles, never of the
order they were loaded in."""
from __future__ import annotations

import hashlib
import re
import sys
from array import array
from dataclasses import dataclass
from typing import Iterable, Mapping

from stancegraph.loaders.model import content_hash
from stancegraph.ontology.vocab import ID_IRI

SKETCH_SIZE = 24            # hash functions: three 64-byte BLAKE2b digests of 8 values each
BANDS = 8                   # of SKETCH_SIZE // BANDS rows
SHINGLE = 4
THRESHOLD = 0.5
_WORD = re.compile(r"\w+")
_PERSON = (b"stancegraph-s0", b"stancegraph-s1", b"stancegraph-s2")
_HASHERS = tuple(hashlib.blake2b(digest_size=64, person=p) for p in _PERSON)


@dataclass(frozen=True)
class ArticleSketch:
    article: str            # article IRI
    published: str          # datePublished lexical form (ISO, comparable)
    outlet: str             # publisher IRI
    sketch: tuple[int, ...]  # SKETCH_SIZE minimum hashes, or () for an empty body
    anchors: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "anchors", band_keys(self.sketch))


def body_sketch(body: str) -> tuple[int, ...]:
    """SKETCH_SIZE minimum hashes over the body's word shingles (empty for an empty body)."""
    words = _WORD.findall(body.casefold())
    if not words:
        return ()
    shingles = {" ".join(words[i:i + SHINGLE]).encode("utf-8")
                for i in range(max(1, len(words) - SHINGLE + 1))}
    mins: list[int] = []
    for base in _HASHERS:
        digests = []
        for s in shingles:
            h = base.copy()         # a copy of a personalised hasher: cheaper than a new one
            h.update(s)
            digests.append(h.digest())
        values = array("Q", b"".join(digests))      # each digest: 8 unsigned 64-bit big-endian
        if sys.byteorder == "little":
            values.byteswap()
        mins.extend(min(values[i::8]) for i in range(8))
    return tuple(mins)


def band_keys(sketch: tuple[int, ...]) -> tuple[str, ...]:
    """One key per band of the sketch (band number and a hash of its values)."""
    if not sketch:
        return ()
    rows = SKETCH_SIZE // BANDS
    return tuple(f"{b}-" + hashlib.blake2b(",".join(f"{v:x}" for v in sketch[b * rows:(b + 1) * rows])
                                           .encode(), digest_size=8).hexdigest()
                 for b in range(BANDS))


def sketch_text(sketch: tuple[int, ...]) -> str:
    return " ".join(f"{h:016x}" for h in sketch)


def parse_sketch(text: str | None) -> tuple[int, ...]:
    values = tuple(int(h, 16) for h in (text or "").split())
    return values if len(values) == SKETCH_SIZE else ()


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Share of sketch positions that agree: an estimate of the shingles' Jaccard similarity."""
    if not a or not b:
        return 0.0
    return sum(1 for x, y in zip(a, b) if x == y) / SKETCH_SIZE


def copies(a: ArticleSketch, b: ArticleSketch) -> bool:
    return bool(set(a.anchors) & set(b.anchors)) and similarity(a.sketch, b.sketch) >= THRESHOLD


def story_iri(first_article: str) -> str:
    return f"{ID_IRI}story/{content_hash(first_article)}"


@dataclass(frozen=True)
class Story:
    iri: str
    source: str                     # outlet IRI of the first publication
    articles: tuple[str, ...]


def stories(sketches: Iterable[ArticleSketch]) -> list[Story]:
    """Connected groups of copies among the given articles."""
    items = sorted({s.article: s for s in sketches}.values(), key=lambda s: s.article)
    parent = {s.article: s.article for s in items}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_anchor: dict[str, list[ArticleSketch]] = {}
    for s in items:
        for h in s.anchors:
            by_anchor.setdefault(h, []).append(s)
    for bucket in by_anchor.values():
        for i, a in enumerate(bucket):
            for b in bucket[i + 1:]:
                if root(a.article) != root(b.article) and copies(a, b):
                    ra, rb = root(a.article), root(b.article)
                    parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[ArticleSketch]] = {}
    for s in items:
        groups.setdefault(root(s.article), []).append(s)
    out = []
    for members in groups.values():
        first = min(members, key=lambda s: (s.published, s.article))
        out.append(Story(story_iri(first.article), first.outlet,
                         tuple(sorted(m.article for m in members))))
    return sorted(out, key=lambda st: st.iri)


def assignments(found: Iterable[Story]) -> Mapping[str, Story]:
    """article IRI -> its story."""
    return {a: st for st in found for a in st.articles}
