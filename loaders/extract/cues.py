"""Stance cues: phrases that say an actor commits to, refuses, is undecided on or conditions
something. Polarity flips with negation ("will not send", "has not ruled out")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from stancegraph.loaders.model import Relation

# Verbs that carry a contribution when something makes them a commitment (modal, readiness).
_ACT = (r"(?:send(?:ing)?|deploy(?:ing)?|provid(?:e|ing)|suppl(?:y|ying)|contribut(?:e|ing)|"
        r"offer(?:ing)?|lead(?:ing)?|join(?:ing)?|tak(?:e|ing) part|participat(?:e|ing)|"
        r"station(?:ing)?|commit(?:ting)?|put(?:ting)?|help(?:ing)?|deliver(?:ing)?|fund(?:ing)?|"
        r"financ(?:e|ing)|train(?:ing)?|back(?:ing)?|support(?:ing)?|assum(?:e|ing)|"
        r"establish(?:ing)?|maintain(?:ing)?|be present|keep(?:ing)?|impos(?:e|ing)|patrol(?:ling)?|"
        r"host(?:ing)?|equip(?:ping)?)")
_ADV = r"(?:\s+(?:also|still|now|already|formally|firmly|officially|publicly|reportedly|" \
       r"repeatedly|not|never|further|even|yet|so far|fully|actively))*"
_AUX = r"(?:will|would|shall|could|can|may|might|must|is|are|was|were|has|have|had|does|do|did)"

# (pattern, relation, strength); patterns match lower-cased text.
CUE_TABLE: tuple[tuple[str, Relation, float], ...] = (
    # refusals
    (r"\brul(?:ed|es|e|ing) out\b", Relation.REFUSES, 0.9),
    (r"\brefus(?:ed|es|e|ing) to\b", Relation.REFUSES, 0.9),
    (r"\b(?:reject(?:ed|s|ing)?|den(?:ied|ies|y|ying)|dismiss(?:ed|es|ing)?)\b", Relation.REFUSES, 0.85),
    (r"\bdeclin(?:ed|es|e|ing) to (?=send|deploy|provide|supply|contribute|join|take part|participate|commit|offer)",
     Relation.REFUSES, 0.85),
    (r"\bdecid(?:ed|es|e) against\b", Relation.REFUSES, 0.9),
    (r"\bopposes?\b|\bopposed to\b|\bopposing\b", Relation.REFUSES, 0.75),
    (r"\b(?:has|have|had) no (?:plans?|intention)\b|\bno intention of\b", Relation.REFUSES, 0.85),
    (r"\bagainst (?:sending|deploying|any)\b", Relation.REFUSES, 0.7),
    # undecided
    (r"\b(?:yet|still) to (?:decide|make|commit|announce|determine|say|take a (?:decision|position))\b",
     Relation.UNDECIDED, 0.85),
    (r"\bnot (?:yet )?(?:made|taken|reached) (?:a|any|its|their|a final) (?:decision|commitments?)\b|"
     r"\bnot (?:yet )?decided\b|\bundecided\b", Relation.UNDECIDED, 0.85),
    (r"\b(?:remains?|is|are|was|were|seems?) (?:still )?(?:unclear|uncertain|undecided|open)\b",
     Relation.UNDECIDED, 0.65),
    (r"\b(?:hesitant|reluctant|cautious|wary)\b", Relation.UNDECIDED, 0.7),
    (r"\b(?:consider(?:s|ed|ing)?|weigh(?:s|ed|ing)?|mull(?:s|ed|ing)?|assess(?:es|ed|ing)?|"
     r"stud(?:y|ies|ying)) (?:whether|if|sending|deploying|joining|contributing|"
     r"taking part|participating|a contribution|the possibility|options?)\b", Relation.UNDECIDED, 0.7),
    (r"\bopen to\b", Relation.UNDECIDED, 0.6),
    (r"\bdeclin(?:ed|es|e|ing) to (?:say|comment|specify|confirm|disclose|detail)\b",
     Relation.UNDECIDED, 0.6),
    (r"\b(?:has|have) not said whether\b|\bwould not say whether\b", Relation.UNDECIDED, 0.6),
    # commitments
    (r"\b(?:formally |firmly )?commit(?:ted|s)? to\b|\bcommit(?:ted|s)?\b", Relation.COMMITS, 0.9),
    (r"\bpledg(?:ed|es|e|ing)\b|\bpromis(?:ed|es|e)\b|\bvow(?:ed|s)?\b", Relation.COMMITS, 0.9),
    (rf"\bagre(?:ed|es|e) to (?:{_ACT})\b", Relation.COMMITS, 0.85),
    (r"\b(?:ready|prepared|willing|set|poised) to\b|\breadiness to\b|\b(?:stands?|stood) ready\b",
     Relation.COMMITS, 0.75),
    (rf"\b(?:will|shall|would|'ll|’ll|won't|won’t|wouldn't|wouldn’t)(?: also| still| now| soon| not| never)? "
     rf"(?:{_ACT})\b", Relation.COMMITS, 0.75),
    (rf"\b(?:may|might|could|can)(?: also| still| soon)? (?:{_ACT})\b", Relation.COMMITS, 0.6),
    (rf"\b(?:is|are) (?:going|expected|due|to) to (?:{_ACT})\b|\b(?:is|are) to (?:{_ACT})\b",
     Relation.COMMITS, 0.7),
    (r"\boffer(?:ed|s|ing)?\b", Relation.COMMITS, 0.75),
    (r"\b(?:will|would|could|shall|can)(?: not| never)? be (?:sent|deployed|stationed|provided|"
     r"supplied|delivered|contributed)\b", Relation.COMMITS, 0.7),
    # ellipsis: "France will send troops, but Italy will not."
    (r"\b(?:will|would|shall|does|do|did|is|are|has|have) not\b(?=\s*(?:[.;,]|$))|"
     r"\b(?:won't|won’t|wouldn't|wouldn’t|doesn't|doesn’t|isn't|isn’t)(?=\s*(?:[.;,]|$))",
     Relation.COMMITS, 0.7),
    (r"\bplans? to (?:send|deploy|station|provide|supply|contribute|lead|join)\b", Relation.COMMITS, 0.65),
    (r"\b(?:has|have|had) sent\b|\b(?:is|are) sending\b", Relation.COMMITS, 0.8),
    (r"\blead(?:s|ing)? (?:the|a) (?:force|mission|coalition|contingent)\b", Relation.COMMITS, 0.8),
    (r"\brole (?:would|will|is to|could) (?:focus on|be|include|involve)\b", Relation.COMMITS, 0.6),
    (r"\b(?:outlined|announced|made|offered|signalled|signaled) (?:a|an|its|his|her|their) "
     r"(?:\w+ ){0,3}(?:commitment|pledge|offer)\b", Relation.COMMITS, 0.6),
)
CUES = tuple((re.compile(p), r, s) for p, r, s in CUE_TABLE)

CONDITION = re.compile(r"\b(?:only if|provided that|providing that|on (?:the )?condition that|"
                       r"as long as|conditional on|conditioned on|contingent on|depends? on|"
                       r"subject to|if and only if|unless)\b", re.I)
_ADJECTIVAL = re.compile(r"\b(?:the|a|an|its|their|his|her|these|those)\s+$")
NEGATION = re.compile(r"(?:\bnot\b|n't\b|n’t\b|\bnever\b|\bno longer\b|\bnor\b)")
HEDGE = re.compile(r"\b(?:possible|possibly|potential(?:ly)?|may|might|could|reportedly|"
                   r"allegedly|perhaps|likely|unlikely|considering|probably)\b", re.I)
REPORT_NOUN = re.compile(r"\b(?:reports?|claims?|suggestions?|speculation|rumou?rs?|allegations?)\b"
                         r"(?:\s+\w+){0,3}?\s+(?:suggesting|that|of|saying|claiming|about)\b", re.I)


@dataclass(frozen=True)
class Cue:
    """A stance cue found in a sentence (offsets relative to the sentence)."""

    start: int
    end: int
    text: str
    relation: Relation
    strength: float
    negated: bool


def find_cues(sentence: str) -> list[Cue]:
    """Every stance cue, leftmost-longest, with the polarity negation gives it."""
    low = sentence.lower()
    found: list[Cue] = []
    for pattern, relation, strength in CUES:
        for m in pattern.finditer(low):
            if any(c.start < m.end() and m.start() < c.end for c in found):
                continue
            if _ADJECTIVAL.search(low[:m.start()]) and re.match(r"\w+ed\b", m.group(0)):
                continue    # "the promised sanctions": a participle used as an adjective
            negated = _negated(low, m.start(), m.end(), relation)
            found.append(Cue(m.start(), m.end(), sentence[m.start():m.end()], relation, strength,
                             negated))
    found.sort(key=lambda c: c.start)
    return _merge_double_refusals(low, found)


def _merge_double_refusals(low: str, cues: list[Cue]) -> list[Cue]:
    """Adjacent cues are one verb group: "ready to commit", "hesitant to send". A refusal of a
    refusal ("refused to rule out") leaves the question open."""
    out: list[Cue] = []
    for cue in cues:
        prev = out[-1] if out else None
        if prev is None or not re.fullmatch(r"\s*(?:to\s+)?", low[prev.end:cue.start]):
            out.append(cue)
            continue
        text = prev.text + low[prev.end:cue.start] + cue.text
        if prev.relation is Relation.REFUSES and cue.relation is Relation.REFUSES and not prev.negated:
            out[-1] = Cue(prev.start, cue.end, text, Relation.REFUSES, 0.6, True)
        else:
            relation = prev.relation if prev.relation is not Relation.COMMITS else cue.relation
            out[-1] = Cue(prev.start, cue.end, text, relation, max(prev.strength, cue.strength),
                          prev.negated or cue.negated)
    return out


def _negated(low: str, start: int, end: int, relation: Relation) -> bool:
    """A negation word right before the cue (within its verb group), or inside a commit cue."""
    before = low[max(0, start - 30):start]
    clause = re.split(r"[,;:—–]|\bbut\b|\band\b|\bwhile\b", before)[-1]
    words = clause.split()[-4:]
    if NEGATION.search(" ".join(words)):
        return True
    return relation is Relation.COMMITS and bool(NEGATION.search(low[start:end]))


def effective_relation(cue: Cue) -> Relation | None:
    """Polarity after negation: "will not send" refuses, "not ruled out" is undecided."""
    if not cue.negated:
        return cue.relation
    if cue.relation is Relation.COMMITS:
        return Relation.REFUSES
    if cue.relation is Relation.REFUSES:
        return Relation.UNDECIDED
    if cue.relation is Relation.UNDECIDED and "unclear" not in cue.text.lower():
        return None  # "not hesitant": too weak to code
    return cue.relation
