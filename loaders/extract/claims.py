"""Stance claims of one sentence: pair each stance cue with its actors (subject, list,
demonym) and its commitment kinds (named in the cue's scope, or referred back to)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from stancegraph.loaders.model import ActorRef, Relation
from stancegraph.ontology.kinds import Kind

from .context import Discourse
from .conditions import conditioned_relation, find_condition
from .cues import HEDGE, REPORT_NOUN, Cue, effective_relation
from .kinds import KindMention, has_anaphoric_object, specific_kinds
from .mentions import Mention

_BOUNDARY = re.compile(r";|,\s*but\b|\bbut\b|,\s*while\b|\bwhereas\b|,\s*although\b|:\s")
# After a cue, a comma and an auxiliary start the next coordinated predicate:
# "does not plan to send troops, has not imposed sanctions".
_SCOPE_BOUNDARY = re.compile(_BOUNDARY.pattern + r"|,\s*(?:and\s+)?(?:has|have|had|is|are|was|were|"
                             r"will|would|did|does|do|could|can|may|might)\b")
_LIST_GLUE = re.compile(r"^(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+|\s+or\s+|\s*,\s*or\s+|\s+as well as\s+)"
                        r"(?:the\s+)?$")
_MEMBERS_INTRO = re.compile(r"(?:,|—|–|-)?\s*(?:including|such as|among them|notably|namely|"
                            r"like|led by|mainly involving|involving)\s+(?:the\s+)?", re.I)
_LIST_AFTER = re.compile(r"\b(?:include|includes|included|including|are|were|such as|among them)\s+"
                         r"(?:the\s+)?$", re.I)
_PREPOSITION = re.compile(r"\b(?:for|to|in|into|on|at|with|from|against|about|towards?|over|"
                          r"as|by|via|than|onto|regarding|under)\s+(?:the\s+)?[“\"‘']?$", re.I)
_EXCLUDED = re.compile(r"\b(?:without|instead of|rather than|no)\s+(?:\w+\s+){0,3}$|"
                       r"\b(?:foreign|western|nato|allied|other countries['’]?)\s+(?:\w+\s+)?$",
                       re.I)
_EMBEDDED = re.compile(r"\b(?:whether|if)\b", re.I)
_DENIAL = re.compile(r"\b(?:reject|den(?:y|ied|ies)|dismiss)", re.I)


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
        elif cue.relation is Relation.COMMITS and _EMBEDDED.search(sentence[_clause_start(sentence, cue.start):cue.start]):
            continue    # "whether it would join": an open question, not a commitment
        if cue.relation is Relation.UNDECIDED and i + 1 < len(cues) and \
                _EMBEDDED.search(sentence[cue.end:cues[i + 1].start]):
            consumed.add(i + 1)     # "declined to say whether it would join a force"
            scope_end = _scope_end(sentence, cues, i + 1)
        actors, count = _actors_for(sentence, cue, scope_end, mentions, kinds, ctx, speaker_actor)
        if not actors:
            continue
        scope_start = _clause_start(sentence, cue.start) if " be " in cue.text.lower() else cue.start
        in_scope = [k for k in kinds if scope_start <= k.start < scope_end]
        found = specific_kinds([k.kind for k in in_scope
                                if not _owned_by_other(sentence, k, mentions, actors, ctx)])
        object_words = " ".join(sentence[cue.end:scope_end].split()[:4])
        if not found and not in_scope and (has_anaphoric_object(object_words) or
                                           not sentence[cue.end:scope_end].strip(" .,")):
            earlier = [h.kinds for h in hits if h.kinds]
            found = list(earlier[-1]) if earlier else list(ctx.kinds_near(index))
        if not found:
            continue
        condition = find_condition(sentence, _clause_start(sentence, cue.start), cue)
        relation = conditioned_relation(relation, cue, condition)
        clause = sentence[_clause_start(sentence, cue.start):scope_end]
        confidence = cue.strength * (0.8 if HEDGE.search(clause) else 1.0)
        if cue.negated and relation is Relation.UNDECIDED:
            confidence = min(confidence, 0.5)
        hits.append(StanceHit(tuple(actors), relation, tuple(found), round(confidence, 2), cue, count,
                              condition.text if condition and relation is Relation.CONDITIONS
                              else None))
    return _drop_shadowed_open_questions(hits)


def _drop_shadowed_open_questions(hits: list[StanceHit]) -> list[StanceHit]:
    """"would not deploy forces while not ruling out logistics": the side remark that something
    is not ruled out adds nothing when the actor took a stance in the same sentence."""
    firm = {a.id for h in hits if not (h.cue.negated and h.relation is Relation.UNDECIDED)
            for a in h.actors}
    return [h for h in hits if not (h.cue.negated and h.relation is Relation.UNDECIDED
                                    and any(a.id in firm for a in h.actors))]


def _owned_by_other(sentence: str, k: KindMention, mentions: list[Mention],
                    actors: list[ActorRef], ctx: Discourse) -> bool:
    """"train Ukrainian soldiers": the soldiers are another country's, not a contribution;
    "even without American troop deployment": what is excluded is not offered."""
    if _EXCLUDED.search(sentence[max(0, k.start - 40):k.start]):
        return True
    for m in mentions:
        if m.how in ("demonym", "demonym-title") and 0 <= k.start - m.end <= 1:
            ref = ctx.resolve(m)
            return ref is not None and all(ref.id != a.id and
                                           (a.on_behalf_of is None or a.on_behalf_of.id != ref.id)
                                           for a in actors)
    return False


def _scope_end(sentence: str, cues: list[Cue], i: int) -> int:
    cue = cues[i]
    nxt = cues[i + 1].start if i + 1 < len(cues) else len(sentence)
    b = _SCOPE_BOUNDARY.search(sentence, cue.end)
    return min(nxt, b.start() if b else len(sentence))


def _sentence_scope_end(sentence: str, start: int) -> int:
    b = _SCOPE_BOUNDARY.search(sentence, start)
    return b.start() if b else len(sentence)


def _clause_start(sentence: str, pos: int) -> int:
    start = 0
    for b in _BOUNDARY.finditer(sentence, 0, pos):
        start = b.end()
    return start


def _inside_report(sentence: str, pos: int) -> bool:
    """A commitment the sentence only reports others suggesting ("reports that X is ready")."""
    before = sentence[max(0, pos - 120):pos]
    return bool(REPORT_NOUN.search(before)) and not re.search(r"[.;]", before[-60:])


def _actors_for(sentence: str, cue: Cue, scope_end: int, mentions: list[Mention],
                kinds: list[KindMention], ctx: Discourse,
                speaker_actor: ActorRef | None) -> tuple[list[ActorRef], int | None]:
    """Who holds the stance: the subject before the cue (with its coordinated list, or the
    members a group introduces), else a list the sentence gives after the cue, else the
    demonyms on the kind ("British and French troops")."""
    clause_start = _clause_start(sentence, cue.start)
    passive = " be " in cue.text.lower()
    candidates = [m for m in mentions if clause_start <= m.start and m.end <= cue.start
                  and m.how not in ("demonym", "demonym-title")
                  and not preceded_by_preposition(sentence, m)]
    count = None
    if passive:
        candidates = []
    if candidates:
        subject = candidates[-1]
        chain = coordinated(sentence, mentions, subject)
        members = _introduced_members(sentence, mentions, chain[0], cue.start)
        if members:
            chain = members
        actors = []
        for m in chain:
            refs = ([speaker_actor] if speaker_actor else []) if m.how == "we" else ctx.resolve_all(m)
            if m.how == "count":
                count = m.count
            actors.extend(r for r in refs if r not in actors)
        if actors:
            return actors, count
    after = [m for m in mentions if scope_end <= m.start or cue.end <= m.start]
    for m in after:
        if _LIST_AFTER.search(sentence[max(0, m.start - 30):m.start]) and m.how in ("name", "alias"):
            chain = coordinated(sentence, mentions, m)
            return [r for r in (ctx.resolve(x) for x in chain) if r is not None], None
    demonyms = []
    for k in kinds:
        in_object = cue.end <= k.start < scope_end and len(sentence[cue.end:k.start].split()) <= 5
        is_subject = clause_start <= k.start < cue.start and \
            len(sentence[k.start:cue.start].split()) <= 3
        if in_object or is_subject:
            for m in mentions:
                if m.how == "demonym" and 0 <= k.start - m.end <= 12 and \
                        re.fullmatch(r"\s*(?:\w+\s+)?", sentence[m.end:k.start]):
                    demonyms.extend(coordinated(sentence, mentions, m))
    refs = []
    for m in demonyms:
        ref = ctx.resolve(m)
        if ref is not None and ref not in refs:
            refs.append(ref)
    return refs, None


def coordinated(sentence: str, mentions: list[Mention], m: Mention) -> list[Mention]:
    """The list a mention stands in: "the United Kingdom, France, ... and Australia"."""
    ordered = sorted(mentions, key=lambda x: x.start)
    i = ordered.index(m)
    left, right = i, i
    while left > 0 and _LIST_GLUE.match(sentence[ordered[left - 1].end:ordered[left].start]) \
            and _same_class(ordered[left - 1], m):
        left -= 1
    while right + 1 < len(ordered) and _LIST_GLUE.match(sentence[ordered[right].end:ordered[right + 1].start]) \
            and _same_class(ordered[right + 1], m):
        right += 1
    return ordered[left:right + 1]


def preceded_by_preposition(sentence: str, m: Mention) -> bool:
    """"for Ukraine", "to Moscow": an object of a preposition is not a subject."""
    return bool(_PREPOSITION.search(sentence[max(0, m.start - 14):m.start]))


def _same_class(a: Mention, b: Mention) -> bool:
    names = ("name", "alias")
    return a.how == b.how or (a.how in names and b.how in names)


def _introduced_members(sentence: str, mentions: list[Mention], head: Mention, cue_start: int) -> list[Mention]:
    """"a coalition ..., mainly involving European countries such as France and Britain,":
    the named members act, not the group."""
    if head.how not in ("name", "alias", "count") or \
            (head.entity is not None and head.entity.type not in ("Group", "Coalition", "Organization")):
        return []
    for m in mentions:
        if head.end <= m.start < cue_start and _MEMBERS_INTRO.search(sentence[head.end:m.start]):
            return coordinated(sentence, mentions, m)
    return []

