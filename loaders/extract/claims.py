"""Stance claims of one sentence: pair each stance cue with its actors (subject, list,
demonym) and its commitment kinds (named in the cue's scope, or referred back to)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from stancegraph.loaders.model import ActorRef, Relation
from stancegraph.ontology.kinds import Kind

from .context import Discourse
from .conditions import conditioned_relation, find_condition
from .cues import HEDGE, HEDGE_MODAL, REPORT_NOUN, Cue, effective_relation
from .kinds import KindMention, specific_kinds
from .mentions import Mention
from .objects import cue_kinds
from .subjects import BOUNDARY, actors_for, clause_start, coordinated

# Patterns of the rules below, compiled once.
_INSIDE_REPORT_1 = re.compile(r"[.;]")

_BOUNDARY = BOUNDARY
# After a cue, a comma and an auxiliary start the next coordinated predicate:
# "does not plan to send troops, has not imposed sanctions".
_SCOPE_BOUNDARY = re.compile(_BOUNDARY.pattern + r"|,\s*(?:and\s+)?(?:has|have|had|is|are|was|were|"
                             r"will|would|did|does|do|could|can|may|might)\b|"
                             r",\s+(?:as|whereas)\s+(?:he|she|they|[A-Z])")
# "…, but only if …", "…, but we will need to see peace first": the pledge's own condition.
_BUT_ONLY = re.compile(r",?\s*but\s+(?:only\b|not\s+(?:before|until|without)\b|(?:\w+['’]?\w*\s+){0,2}(?:will|would|must)\s+"
                       r"(?:first\s+)?need\b|(?:\w+\s+){0,4}first\b)", re.I)
_EMBEDDED = re.compile(r"\b(?:whether|if)\b", re.I)
_DENIAL = re.compile(r"\b(?:reject|den(?:y|ied|ies)|dismiss)", re.I)


_PASSIVE = re.compile(r"\b(?:be|been|being)\s+(?!involved\b|engaged\b|prepared\b|committed\b)"
                      r"(?:\w+ed|sent|put|given|taken|ruled out)\b")


def is_passive(cue: Cue) -> bool:
    """"troops will not be sent", "cannot be ruled out": the subject is what is given."""
    return bool(_PASSIVE.search(cue.text.lower()))


@dataclass(frozen=True)
class StanceHit:
    """What one cue says, before it becomes Claims: actors × kinds with one relation."""

    actors: tuple[ActorRef, ...]
    relation: Relation
    kinds: tuple[Kind, ...]
    confidence: float
    cue: Cue
    count: int | None = None
    condition: str | None = None


def stance_hits(sentence: str, index: int, cues: list[Cue], kinds: list[KindMention],
                mentions: list[Mention], ctx: Discourse, speaker_actor: ActorRef | None) -> list[StanceHit]:
    """Every stance the sentence states, one hit per cue that finds an actor and a kind."""
    hits: list[StanceHit] = []
    consumed: set[int] = set()
    for i, cue in enumerate(cues):
        if i in consumed:
            continue
        relation = effective_relation(cue)
        if relation is None:
            continue
        scope_end = _scope_end(sentence, cues, i)
        if cue.relation is Relation.REFUSES and _DENIAL.match(cue.text) and not cue.negated and \
                REPORT_NOUN.search(sentence[cue.end:scope_end + 80]):
            # "denied reports that it was ready to join" -> refusal of what the reports said
            for j in range(i + 1, len(cues)):
                if cues[j].relation is Relation.COMMITS:
                    consumed.add(j)
            scope_end = _sentence_scope_end(sentence, cue.end)
        elif cue.relation is Relation.COMMITS and _inside_report(sentence, cue.start):
            continue
        elif cue.relation is Relation.COMMITS and _embedded_question(sentence, cue):
            continue    # "whether it would join": an open question, not a commitment
        if cue.relation is Relation.UNDECIDED and i + 1 < len(cues) and \
                _EMBEDDED.search(sentence[cue.end:cues[i + 1].start]):
            consumed.add(i + 1)     # "declined to say whether it would join a force"
            scope_end = _scope_end(sentence, cues, i + 1)
        actors, count = actors_for(sentence, cue, scope_end, mentions, kinds, ctx, speaker_actor,
                                   is_passive(cue))
        if cue.deontic:     # "X should not be involved": only an outsider's opinion is a stance,
            outsider = speaker_actor is not None and speaker_actor.type == "Person" and \
                speaker_actor.on_behalf_of is None      # and it is the outsider's own
            actors = [speaker_actor] if outsider and actors else []
        if not actors:
            continue
        only = _BUT_ONLY.match(sentence, scope_end)     # "…, but only if …" belongs to it
        condition = find_condition(sentence, clause_start(sentence, cue.start), cue,
                                   _sentence_scope_end(sentence, only.end()) if only else scope_end)
        found = cue_kinds(sentence, cue, scope_end, is_passive(cue), kinds, mentions, actors, ctx,
                          [h.kinds for h in hits if h.kinds], index,
                          condition.span if condition and condition.span[0] > cue.end else None)
        if not found:
            continue
        clause = sentence[clause_start(sentence, cue.start):scope_end]
        confidence = cue.strength * (0.8 if HEDGE.search(clause) else 1.0)
        for group, hedged in _hedged_groups(sentence, cue, found, kinds):
            rel = conditioned_relation(relation, cue, condition, hedged)
            conf = min(confidence, 0.5) if cue.negated and rel is Relation.UNDECIDED else confidence
            hits.append(StanceHit(tuple(actors), rel, tuple(group), round(conf, 2), cue, count,
                                  condition.text if condition and rel is Relation.CONDITIONS
                                  else None))
        if relation is Relation.COMMITS and not cue.modal:
            hits.extend(_but_not(sentence, scope_end, kinds, found, actors, cue, confidence))
    hits.extend(_inverted_ellipsis(sentence, mentions, ctx, hits))
    return _drop_shadowed_open_questions(hits)


# "Italy will not send troops. Neither will Spain." / "Sweden will send jets, as will Finland."
_ELLIPSIS = re.compile(r"\b((?i:neither|nor|so|as))\s+(?i:will|would|shall|does|do|did|has|have|is|"
                       r"are|can|could|should)\s+(?:the\s+)?(?=[A-Z])")


def _inverted_ellipsis(sentence: str, mentions: list[Mention], ctx: Discourse,
                       hits: list[StanceHit]) -> list[StanceHit]:
    """The actor after an inverted auxiliary takes the stance just stated: the same one ("so",
    "as"), or its refusal ("neither", "nor" after a refusal)."""
    out = []
    for m in _ELLIPSIS.finditer(sentence):
        before = [h for h in hits if h.cue.end <= m.start()]
        last = (before[-1].relation, before[-1].kinds) if before else ctx.last_stance
        if last is None:
            continue
        relation, kinds = last
        if m.group(1).lower() in ("neither", "nor") and relation is not Relation.REFUSES:
            continue
        first = next((x for x in mentions if x.start == m.end() and x.how in ("name", "alias")),
                     None)
        if first is None:
            continue
        actors = tuple(r for r in (ctx.resolve(x) for x in coordinated(sentence, mentions, first))
                       if r is not None)
        if actors and kinds:
            cue = Cue(m.start(), m.end(), m.group(0), relation, 0.7, relation is Relation.REFUSES)
            out.append(StanceHit(actors, relation, tuple(kinds), 0.7, cue))
    return out


# "will supply weapons, but not soldiers", "air support rather than ground troops": what the
# pledge leaves out is refused.
_BUT_NOT = re.compile(r"(?:,?\s*(?:but|and)\s+(?:certainly\s+|definitely\s+)?|,\s*)not\s+"
                      r"(?!only\b|just\b|merely\b)|"
                      r",?\s*(?:but\s+)?(?:rather than|instead of)\s+", re.I)


def _but_not(sentence: str, scope_end: int, kinds: list[KindMention], given: list[Kind],
             actors: list[ActorRef], cue: Cue, confidence: float) -> list[StanceHit]:
    m = _BUT_NOT.match(sentence, scope_end) or _BUT_NOT.search(sentence, cue.end, scope_end)
    if m is None:
        return []
    end = re.compile(r"[,;.:]|\s[—–]\s").search(sentence, m.end())
    left = [k.kind for k in kinds if m.end() <= k.start < (end.start() if end else len(sentence))
            and k.kind not in given]
    if not left:
        return []
    return [StanceHit(tuple(actors), Relation.REFUSES, tuple(specific_kinds(left)),
                      round(min(confidence, 0.7), 2), cue)]


def _hedged_groups(sentence: str, cue: Cue, found: list[Kind],
                   kinds: list[KindMention]) -> list[tuple[list[Kind], bool]]:
    """A hedge on the verb ("would probably send") makes every kind a possibility; a hedge on
    one item of the object ("weapons, and possibly air defence") makes only that one."""
    if cue.negated:
        return [(found, False)]
    if HEDGE_MODAL.search(sentence, clause_start(sentence, cue.start), cue.end + 12):
        return [(found, True)]
    hedged = {k.kind.name for k in kinds if k.start >= cue.end and
              HEDGE_MODAL.search(sentence, max(cue.end, k.start - 30), k.start)}
    firm = [k for k in found if k.name not in hedged]
    maybe = [k for k in found if k.name in hedged]
    return [(g, h) for g, h in ((firm, False), (maybe, True)) if g]


def _embedded_question(sentence: str, cue: Cue) -> bool:
    """"asked whether it would join", "decide if it will send": the cue is an open question.
    A fronted condition set off by a comma ("If a ceasefire holds, we will …") is not."""
    before = sentence[clause_start(sentence, cue.start):cue.start]
    found = None
    for found in _EMBEDDED.finditer(before):
        pass
    return found is not None and "," not in before[found.end():]


def _drop_shadowed_open_questions(hits: list[StanceHit]) -> list[StanceHit]:
    """"would not deploy forces while not ruling out logistics": the side remark that something
    is not ruled out adds nothing when the actor took a stance in the same sentence."""
    firm = {a.id for h in hits if not (h.cue.negated and h.relation is Relation.UNDECIDED)
            for a in h.actors}
    return [h for h in hits if not (h.cue.negated and h.relation is Relation.UNDECIDED
                                    and any(a.id in firm for a in h.actors))]


def _scope_end(sentence: str, cues: list[Cue], i: int) -> int:
    cue = cues[i]
    nxt = cues[i + 1].start if i + 1 < len(cues) else len(sentence)
    b = _SCOPE_BOUNDARY.search(sentence, cue.end)
    return min(nxt, b.start() if b else len(sentence))


def _sentence_scope_end(sentence: str, start: int) -> int:
    b = _SCOPE_BOUNDARY.search(sentence, start)
    return b.start() if b else len(sentence)


def _inside_report(sentence: str, pos: int) -> bool:
    """A commitment the sentence only reports others suggesting ("reports that X is ready")."""
    before = sentence[max(0, pos - 120):pos]
    return bool(REPORT_NOUN.search(before)) and not _INSIDE_REPORT_1.search(before[-60:])
