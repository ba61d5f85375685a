"""Derived stances of one (actor, commitment kind) pair: a pure function of the pair's claims.

The stance on a day D is decided by the latest claim dated on or before D (by valid date, then
confidence, then claim IRI). It can only change on a day some claim is dated, so the history is
one state per distinct claim date, valid from that date until the next one (exclusive); the last
state is the current stance. Each state keeps what the saved questions show: the latest claim,
its support (distinct stories and outlets of the claims of the same relation so far), the change
that led to it (the most recent claim of another relation, when dated on an earlier day) and any
same-day claims of another relation (a conflict, shown rather than silently resolved).

A review layer changes the facts it is given (drops a retracted claim, corrects a relation), not
this function."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Iterable, Sequence

from stancegraph.loaders.mapping.ntriples import _lit as nt_literal
from stancegraph.loaders.model import content_hash
from stancegraph.ontology.vocab import ID_IRI, RDF, SG, XSD

STANCE_RELATIONS = tuple(str(SG[r]) for r in ("commits", "refuses", "undecided", "conditions"))


@dataclass(frozen=True)
class ClaimFact:
    """What the derivation needs of one claim of the pair."""

    claim: str              # claim IRI
    relation: str           # relation IRI (sg:commits ...)
    date: str               # valid date, ISO
    confidence: str         # lexical form as stored ("0.90")
    article: str            # article IRI
    story: str              # story IRI (the article's own when no story is known)
    source: str             # outlet IRI the story counts for

    @property
    def key(self) -> tuple[str, str, str]:
        """Latest first by valid date, then confidence, then claim IRI (as the saved queries)."""
        return (self.date, self.confidence, self.claim)


@dataclass(frozen=True)
class StanceState:
    iri: str
    relation: str
    latest: ClaimFact
    valid_until: str | None                 # the next claim date of the pair; None when current
    support_articles: int
    support_outlets: int
    changed_from: ClaimFact | None          # most recent claim of another relation, earlier day
    conflicts: tuple[ClaimFact, ...]        # same day as `latest`, another relation


@dataclass(frozen=True)
class PairHistory:
    actor: str
    kind: str
    states: tuple[StanceState, ...]         # by date; the last one is the current stance
    support: tuple[str, ...]                # claims supporting the current stance
    claims: tuple[str, ...]                 # every claim of the pair

    @property
    def current(self) -> StanceState:
        return self.states[-1]


def stance_iri(actor: str, kind: str) -> str:
    """The current stance of a pair keeps one IRI for good; past states add their date."""
    return f"{ID_IRI}stance/{content_hash(actor, kind)}"


def derive_pair(actor: str, kind: str, facts: Iterable[ClaimFact]) -> PairHistory | None:
    """The pair's stance history from its claims (None when it has no stance claim)."""
    claims = sorted({f.claim: f for f in facts if f.relation in STANCE_RELATIONS}.values(),
                    key=lambda f: f.key)
    if not claims:
        return None
    best: dict[str, ClaimFact] = {}                  # relation -> its latest claim so far
    stories: dict[str, set[str]] = {}                # relation -> stories so far
    sources: dict[str, set[str]] = {}                # relation -> outlets so far
    supporting: dict[str, list[str]] = {}
    days = [(day, list(group)) for day, group in groupby(claims, key=lambda f: f.date)]
    states = []
    base = stance_iri(actor, kind)
    for i, (day, todays) in enumerate(days):
        for f in todays:
            best[f.relation] = max(best.get(f.relation, f), f, key=lambda x: x.key)
            stories.setdefault(f.relation, set()).add(f.story)
            sources.setdefault(f.relation, set()).add(f.source)
            supporting.setdefault(f.relation, []).append(f.claim)
        latest = max(best.values(), key=lambda x: x.key)
        others = [c for r, c in best.items() if r != latest.relation]
        earlier = max(others, key=lambda x: x.key) if others else None
        current = i == len(days) - 1
        states.append(StanceState(
            iri=base if current else f"{base}/{day}", relation=latest.relation, latest=latest,
            valid_until=None if current else days[i + 1][0],
            support_articles=len(stories[latest.relation]),
            support_outlets=len(sources[latest.relation]),
            changed_from=earlier if earlier is not None and earlier.date < day else None,
            conflicts=tuple(f for f in todays if f.relation != latest.relation)))
    now = states[-1]
    return PairHistory(actor, kind, tuple(states), tuple(sorted(supporting[now.relation])),
                       tuple(f.claim for f in claims))


def history_ntriples(h: PairHistory) -> list[str]:
    """The pair's nodes in the stances graph, as N-Triples lines: every state, its change, the
    current stance's support and claim index, and the direct actor-relation-kind edge."""
    out: list[str] = []
    add = out.append
    actor, kind = f"<{h.actor}>", f"<{h.kind}>"
    for st in h.states:
        s = f"<{st.iri}>"
        add(f"{s} {_TYPE} {_STANCE_STATE} .")
        add(f"{s} {_ACTOR} {actor} .")
        add(f"{s} {_OBJECT} {kind} .")
        add(f"{s} {_RELATION} <{st.relation}> .")
        add(f"{s} {_LATEST} <{st.latest.claim}> .")
        add(f'{s} {_LATEST_DATE} "{st.latest.date}"{_XSD_DATE} .')
        if st.valid_until is not None:
            add(f'{s} {_VALID_UNTIL} "{st.valid_until}"{_XSD_DATE} .')
        add(f'{s} {_SUPPORT_ARTICLES} "{st.support_articles}"{_XSD_INTEGER} .')
        add(f'{s} {_SUPPORT_COUNT} "{st.support_outlets}"{_XSD_INTEGER} .')
        for c in st.conflicts:
            add(f"{s} {_CONFLICTING} <{c.claim}> .")
        if st.changed_from is not None:          # the state began with a change of stance
            add(f"{s} {_TYPE} {_STANCE_CHANGE} .")
            add(f"{s} {_EARLIER} <{st.changed_from.claim}> .")
            add(f"{s} {_LATER} <{st.latest.claim}> .")
    now = f"<{h.current.iri}>"
    add(f"{now} {_TYPE} {_STANCE} .")
    for c in h.support:
        add(f"{now} {_SUPPORTED_BY} <{c}> .")
    for c in h.claims:
        add(f"{now} {_BASED_ON} <{c}> .")
    add(f"{actor} <{h.current.relation}> {kind} .")
    add(f"{actor} {_CURRENT} {now} .")
    return out


# The terms history_ntriples writes, as N-Triples, built once (an rdflib Namespace attribute
# costs a lookup each time, and the stances graph has as many lines as the articles).
_TYPE = f"<{RDF.type}>"
_STANCE_STATE, _STANCE_CHANGE, _STANCE = (f"<{SG[n]}>" for n in ("StanceState", "StanceChange", "Stance"))
(_ACTOR, _OBJECT, _RELATION, _LATEST, _LATEST_DATE, _VALID_UNTIL, _SUPPORT_ARTICLES, _SUPPORT_COUNT,
 _CONFLICTING, _EARLIER, _LATER, _SUPPORTED_BY, _BASED_ON, _CURRENT) = (
    f"<{SG[n]}>" for n in ("stanceActor", "stanceObject", "stanceRelation", "latestClaim",
                           "latestDate", "validUntil", "supportArticles", "supportCount",
                           "conflictingClaim", "earlierClaim", "laterClaim", "supportedBy",
                           "basedOn", "currentStance"))
_XSD_DATE, _XSD_INTEGER = f"^^<{XSD.date}>", f"^^<{XSD.integer}>"


# The current change as one row of the saved question stance-changes, packed into one literal
# (sg:changeRow): later relation, date, quote; earlier relation, date, quote; outlet; article
# URL (empty when unknown), separated by U+001F (never in article text: the readers turn
# control characters into spaces; a graph written another way has it replaced by a space).
# One look-up per change instead of eight. The claims themselves stay edges (sg:latestClaim,
# sg:earlierClaim): a row holds text only.
CHANGE_ROW_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class ChangeDetails:
    """What the change row shows beyond the claim facts: the two quotes and, for each
    (article URL, outlet name) the later claim's article has, one row (URL None when unknown)."""

    later_quote: str
    earlier_quote: str
    sources: tuple[tuple[str | None, str], ...]


def change_row_lines(state: str, later: ClaimFact, earlier: ClaimFact, details: ChangeDetails) -> list[str]:
    """The sg:changeRow literals of a current stance (IRI `state`) that began with a change from
    the `earlier` claim to the `later` one."""
    out = []
    for url, outlet in details.sources:
        fields = (_local(later.relation), later.date, details.later_quote,
                  _local(earlier.relation), earlier.date, details.earlier_quote, outlet, url or "")
        packed = CHANGE_ROW_SEPARATOR.join(f.replace(CHANGE_ROW_SEPARATOR, " ") for f in fields)
        literal = nt_literal(packed).replace(CHANGE_ROW_SEPARATOR, "\\u001F")
        out.append(f"<{state}> {_CHANGE_ROW} {literal} .")
    return out


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


_CHANGE_ROW = f"<{SG.changeRow}>"


def derive_all(facts: Sequence[tuple[str, str, ClaimFact]]) -> list[PairHistory]:
    """Histories of every pair in (actor, kind, fact) rows, in pair order."""
    by_pair: dict[tuple[str, str], list[ClaimFact]] = {}
    for actor, kind, fact in facts:
        by_pair.setdefault((actor, kind), []).append(fact)
    out = []
    for (actor, kind), pair_facts in sorted(by_pair.items()):
        h = derive_pair(actor, kind, pair_facts)
        if h is not None:
            out.append(h)
    return out
