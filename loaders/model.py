"""Values passed between the pipeline's steps: readers -> extract -> mapping.

Frozen dataclasses, so a step can never change what an earlier step produced.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from stancegraph.loaders.version import extractor_version


class Relation(str, Enum):
    """What a claim says an actor does about a commitment kind (or, for STATES, a position)."""

    COMMITS = "commits"
    REFUSES = "refuses"
    UNDECIDED = "undecided"
    CONDITIONS = "conditions"
    STATES = "states"

    @property
    def is_stance(self) -> bool:
        return self is not Relation.STATES


def content_hash(*parts: str, length: int = 16) -> str:
    """Stable short hex digest of the given strings: same input, same id, on every run."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


@dataclass(frozen=True)
class Article:
    """One news article as a reader found it."""

    id: str                 # stable: the URL when known, else "sha256:<hash of title+body>"
    url: str | None
    outlet: str             # "Euromaidan Press"
    title: str
    published: datetime     # timezone-aware
    language: str           # ISO 639-1, "en"
    body: str               # main text, paragraphs separated by "\n\n"; quotes are offsets into it
    source: str             # file path or URL it was read from
    position: str           # where in the source: "line 12", "item 3", "entry 2"
    date_source: str = "published"  # where `published` came from: published | dateline | url |
                                    # feed | file (scheme sg:DateSources)

    @property
    def key(self) -> str:
        """Short content-independent key of the article's identity (used in IRIs)."""
        return content_hash(self.id)

    @property
    def fingerprint(self) -> str:
        """Hash of everything we store about the article and of the extractor version:
        unchanged fingerprint -> nothing to reload; a new extractor re-extracts."""
        return content_hash(self.id, self.url or "", self.outlet, self.title,
                            self.published.isoformat(), self.date_source, self.language,
                            self.body, extractor_version(), length=32)


@dataclass(frozen=True)
class ActorRef:
    """A resolved actor: an entity of the gazetteer (or a person/group met in the text)."""

    id: str                 # full IRI
    label: str              # "Italy"
    type: str               # "Country" | "Person" | "Organization" | "Group" | "Coalition"
    on_behalf_of: ActorRef | None = None   # the country/organisation a person speaks for


@dataclass(frozen=True)
class ClaimObject:
    """A commitment kind (stances) or a short position text (statements)."""

    id: str                 # full IRI (kind concept, or a Position IRI derived from the label)
    label: str              # "ReassuranceForce" / "Putin cannot be trusted"


@dataclass(frozen=True)
class Claim:
    """One mention: one sentence of one article saying an actor commits/refuses/... something."""

    actor: ActorRef
    relation: Relation
    object: ClaimObject
    date: date              # valid time: the event date if the sentence gives one, else publication
    quote: str              # exact substring of article.body
    span: tuple[int, int]   # article.body[span[0]:span[1]] == quote
    confidence: float       # 0..1, cue strength and hedging
    article: Article
    extractor: str          # "rules/1.0"
    claimer: str | None = None          # who makes the claim when not the actor ("Financial Times")
    event_date: date | None = None      # the dated event, when the sentence names one
    derived_from: ActorRef | None = None  # the group this member claim was expanded from
    member_count: int | None = None     # "26 countries committed": count of unnamed members
    notes: tuple[str, ...] = field(default=())  # cues that fired, for the uncoded/explain reports
    condition: str | None = None        # what the stance depends on: "only under a UN mandate"

    @property
    def id(self) -> str:
        """Content hash: the same claim of the same article always gets the same id."""
        return content_hash(self.article.id, self.actor.id, self.relation.value, self.object.id,
                            str(self.span[0]), str(self.span[1]),
                            self.derived_from.id if self.derived_from else "")
