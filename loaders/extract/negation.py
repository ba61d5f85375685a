"""Negation: whether a stance cue is negated ("will not send", "has not ruled out", "no plans
to"), and the polarity that gives it."""
from __future__ import annotations

import re

from stancegraph.loaders.model import Relation

NEGATION = re.compile(r"(?:\bnot\b|\bcannot\b|n't\b|n’t\b|\bnever\b|\bno longer\b|\bnor\b|"
                      r"\bneither\b|\bno\b)")
_CLAUSE_BREAK = re.compile(r"[,;:—–]|\bbut\b|\band\b|\bwhile\b|\bwho\b|\bwhich\b|\bthat\b")


def negated_before(low: str, start: int) -> bool:
    """A negation word in the last four words of the cue's own verb group."""
    before = low[max(0, start - 32):start]
    clause = _CLAUSE_BREAK.split(before)[-1]
    return bool(NEGATION.search(" ".join(clause.split()[-4:])))


def negated_inside(text: str) -> bool:
    return bool(NEGATION.search(text))


def polarity(relation: Relation, negated: bool, text: str) -> Relation | None:
    """Relation after negation: "will not send" refuses, "not ruled out" is undecided, "not
    hesitant" is too weak to code (None)."""
    if not negated:
        return relation
    if relation is Relation.COMMITS:
        return Relation.REFUSES
    if relation is Relation.REFUSES:
        return Relation.UNDECIDED
    if relation is Relation.UNDECIDED and "unclear" not in text.lower():
        return None
    return relation
