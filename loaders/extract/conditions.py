"""Conditions a stance depends on, kept in the article's words: "only under a UN mandate",
"after a ceasefire", "with parliament's approval". A strong condition ("only if", "provided
that", "would need cabinet approval") makes a pledge conditional; a weak one ("after a
ceasefire", "as part of a peace deal") only makes a possibility ("could send") conditional,
since a pledge whose deployment is by design post-ceasefire is still a pledge."""
from __future__ import annotations

import re
from dataclasses import dataclass

from stancegraph.loaders.model import Relation

from .cues import CONDITION_STRONG, CONDITION_WEAK, Cue

# Patterns of the rules below, compiled once.
_FIND_CONDITION_1 = re.compile(r"\bonly\b")

MAX_WORDS = 14
_OTHER_CLAUSE = re.compile(r",\s+(?:as|while|when|whereas)\s+(?:he|she|they|it|[A-Z])|"
                           r",\s+(?:he|she|they)\s+(?:said|warned|added|noted)\b")
_ONLY_LIMIT = re.compile(r"\b(?:as part of|under|with|within|in the framework of|after|once|if|"
                         r"when|on condition)\b", re.I)
_END = re.compile(r"[;.!?]|,(?!\s*(?:or|and)\s+(?:if|when|once|after|only|provided|under|with)\b)|"
                  r"\s+[—–]\s+|\bbut\b")


@dataclass(frozen=True)
class Condition:
    text: str
    strong: bool
    span: tuple[int, int] = (0, 0)      # where the condition stands in the sentence


def find_condition(sentence: str, clause_start: int, cue: Cue, scope_end: int | None = None
                   ) -> Condition | None:
    """The first strong condition in the cue's clause and scope, else the first weak one; a
    clause about someone else after the scope ("…, as he warned Putin … if he does not
    cooperate") is not the cue's."""
    end = len(sentence) if scope_end is None else scope_end
    other = _OTHER_CLAUSE.search(sentence, cue.end, end)
    sentence = sentence[:other.start() if other else end]
    strong = CONDITION_STRONG.search(sentence, clause_start)
    if strong is not None:
        return _condition(sentence, strong.start(), True)
    if _FIND_CONDITION_1.search(cue.text.lower()):  # "would only deploy … as part of a mission"
        limited = _ONLY_LIMIT.search(sentence, cue.end)
        if limited is not None:
            return _condition(sentence, limited.start(), True)
    weak = CONDITION_WEAK.search(sentence, clause_start)
    if weak is not None:
        return _condition(sentence, weak.start(), False)
    return None


def conditioned_relation(relation: Relation, cue: Cue, condition: Condition | None,
                         hedged: bool = False) -> Relation:
    """A pledge with a strong condition, or a possibility (a modal, or a pledge hedged with
    "probably") with any condition, is conditional; a possibility without one is undecided;
    a consideration "only if" is conditional too."""
    if relation is Relation.COMMITS:
        possible = cue.modal or hedged
        if condition is not None and (condition.strong or possible):
            return Relation.CONDITIONS
        return Relation.UNDECIDED if possible else relation
    if relation is Relation.UNDECIDED and not cue.negated and condition is not None and \
            condition.strong:
        return Relation.CONDITIONS
    if relation is Relation.REFUSES and cue.negated and condition is not None and \
            _NOT_UNLESS.match(condition.text):
        return Relation.CONDITIONS      # "will not deploy unless …" = "will deploy only if …"
    return relation


_NOT_UNLESS = re.compile(r"(?:unless|until|without)\b", re.I)


def _condition(sentence: str, start: int, strong: bool) -> Condition:
    stop = _END.search(sentence, start + 3)
    end = stop.start() if stop else len(sentence)
    words = sentence[start:end].split()[:MAX_WORDS]
    return Condition(" ".join(words).strip(" ,:;\"“”'"), strong, (start, end))
