"""What a stance cue is about: the commitment kinds in its scope (its object, or the subject of
a passive or of "Irish peacekeepers may play a role"), minus kinds that belong to someone else
("train Ukrainian soldiers", "the development of its armed forces") or are excluded ("without
ground troops"). A kind carries over from an earlier sentence only when this sentence names
no kind of its own and its object only refers back ("participation", "this step", nothing)."""
from __future__ import annotations

import re

from stancegraph.loaders.model import ActorRef, Relation
from stancegraph.ontology.kinds import Kind

from .context import Discourse
from .cues import Cue
from .kinds import KindMention, has_anaphoric_object, specific_kinds
from .mentions import Mention
from .subjects import clause_start, parentheticals, preceded_by_preposition, subject_window

# Patterns of the rules below, compiled once.
_CUE_KINDS_1 = re.compile(r"[,;:\"”“]|\s[—–]\s")
_CUE_KINDS_2 = re.compile(r"\s*as (?:a|an|the)\b")
_IN_SUBJECT_1 = re.compile(r"[,;:]")

_EXCLUDED = re.compile(r"\b(?:without|instead of|rather than|as opposed to|no|(?:and|but) not|,\s*not)\s+(?!only|just|merely)"
                       r"(?:\w+\s+){0,3}$|"
                       r"\b(?:foreign|western|nato|allied|other countries['’]?)\s+(?:\w+\s+)?$",
                       re.I)
# "the training and development of its armed forces": forces that receive the support.
_BENEFICIARY = re.compile(r"\b(?:train|trains|training|educate|educating|equip|equipping|arm|arming)"
                          r"\s+(?:[\w'’]+\s+){0,2}?[“\"]?$|"
                          r"\b(?:training|development|regeneration|rebuilding|building|"
                          r"strengthening|equipping|modernis\w+|moderniz\w+|capabilities|capacity|"
                          r"support|needs)\s+(?:\w+\s+){0,2}?(?:of|for)\s+(?:its|their|the|"
                          r"ukraine['’]s|kyiv['’]s)\s+(?:own\s+)?(?:\w+\s+)?$", re.I)
# "On the security of the Black Sea, it is natural that Türkiye …": a fronted topic.
_TOPIC = re.compile(r"^\W*(?:(?:however|but|and|so|still|yet|also|now),?\s+)?(?:on|regarding|as for|"
                    r"as regards|when it comes to|concerning|in terms of|as an?|as the)\b[^,]{0,60},",
                    re.I)
_BARE_PASSIVE = re.compile(r"^(?:\s*(?:has|have|had|was|were|is|are|been|being|yet|so far|still|"
                           r"already|made|taken|reached|given|announced|decided))*\s*[.!?]?\s*$",
                           re.I)
_OPEN_DECISION = re.compile(r"^\s*(?:when|whether|if|later|soon|at a later|in due course|once|"
                            r"in the future|after)\b", re.I)
_CONDITIONAL = re.compile(r"depend|need|require|must be", re.I)
_SUBJECT_NOUN = re.compile(r"^.*?\b(?=(?:role|participation|involvement|contribution|deployment|"
                           r"decision|mission|it)\b)|\b(?:would|will|must|should|could|may)\b.*$",
                           re.I | re.S)
_OTHERS_AFTER = re.compile(r"\s+(?:from|of)\s+(?:the\s+)?(?:other|allied|partner|foreign|western|"
                           r"european|nato|coalition|member)\b", re.I)
# "a peacekeeping call", "troop talks": a kind naming what a meeting is about is not given.
_MEETING_AFTER = re.compile(r"['’\"”]?\s+(?:video\s+)?(?:call|calls|talks|meeting|meetings|summit|"
                            r"conference|discussions?|debate|negotiations)\b", re.I)
_FUNCTION_WORDS = frozenset("""a an the its their our his her on in of to with for about at into
    from specific possible potential future further also still again now then eventually""".split())
_EXPLICIT_OBJECT = re.compile(
    r"\b(?:take part|taking part|participate|participating|participation|involvement|"
    r"contribute|contribution|join(?:ing)?)\s+(?:in|to|with|on)\s+(?!(?:it|this|that|such|any|"
    r"the (?:force|mission|effort|deployment|operation))\b)\w", re.I)


def cue_kinds(sentence: str, cue: Cue, scope_end: int, passive: bool, kinds: list[KindMention],
              mentions: list[Mention], actors: list[ActorRef], ctx: Discourse,
              earlier: list[tuple[Kind, ...]], index: int,
              condition: tuple[int, int] | None = None) -> list[Kind]:
    """The kinds the cue commits/refuses/..., in text order, the umbrella SecurityGuarantee
    dropped when a specific kind is named; kinds inside the cue's condition ("only if an
    agreement on security guarantees is reached") are what it waits for, not what it gives."""
    start = clause_start(sentence, cue.start) if passive else cue.start
    asides = [p for p in parentheticals(sentence) if not p[0] <= cue.start < p[1]]
    if condition is not None:
        asides.append(condition)
    topic = _TOPIC.match(sentence)
    in_scope = [k for k in kinds if (start <= k.start < scope_end or
                                     _in_subject(sentence, k, cue, mentions) or
                                     (topic is not None and k.end <= topic.end() <= cue.start))
                and not any(a <= k.start < b for a, b in asides)]
    own = [k for k in in_scope if not _owned_by_other(sentence, k, mentions, actors, ctx, cue)
           and not _MEETING_AFTER.match(sentence, k.end)]
    if not passive and any(k.start >= cue.end and k.kind.name != "SecurityGuarantee" for k in own):
        # "Danish soldiers will help to train Ukrainian troops": the soldiers are who acts,
        # the training is what is given
        own = [k for k in own if k.start >= cue.end or not _in_subject(sentence, k, cue, mentions)]
    found = specific_kinds([k.kind for k in own])
    if found or in_scope:
        return found
    full = sentence[cue.end:scope_end]
    obj = _CUE_KINDS_1.split(full)[0]   # not a reporting tail
    if "decid" in cue.text.lower() and _OPEN_DECISION.match(obj) or _BARE_PASSIVE.match(obj) or \
            _CUE_KINDS_2.match(obj):    # "an open mind as a government": a role
        obj = ""                        # "we will decide when …", "no decision has been made"
    if _CONDITIONAL.search(cue.text):   # "Latvia's role would depend on …": the subject is it
        obj = _SUBJECT_NOUN.sub("", sentence[subject_window(sentence, cue.start):cue.start])
    head = " ".join([w for w in obj.split() if w.lower() not in _FUNCTION_WORDS][:6])
    if obj.strip(" .,\"”") and not (has_anaphoric_object(head) and
                                   not _EXPLICIT_OBJECT.search(" ".join(full.split()[:6]))):
        return []
    if earlier:                 # "France will send troops, but Italy will not."
        return list(earlier[-1])
    before = [k for k in kinds if k.end <= cue.start and not any(a <= k.start < b for a, b in asides)
              and not _owned_by_other(sentence, k, mentions, actors, ctx, cue)]
    if before:                  # "… touched on training missions, though no commitments were made"
        return specific_kinds([k.kind for k in before])
    if kinds:                   # the sentence names kinds of its own, none for this cue
        return []
    return list(ctx.kinds_near(index))


def _in_subject(sentence: str, k: KindMention, cue: Cue, mentions: list[Mention]) -> bool:
    """"Irish peacekeepers may play a role": the kind heads the cue's subject."""
    if not subject_window(sentence, cue.start) <= k.start < cue.start:
        return False
    between = sentence[k.end:cue.start]
    limit = 8 if _CONDITIONAL.search(cue.text) else 4    # "sending troops to … would need …"
    return len(between.split()) <= limit and not _IN_SUBJECT_1.search(between) and \
        not any(k.end <= m.start < cue.start and m.how not in ("demonym", "demonym-title")
                and not preceded_by_preposition(sentence, m) for m in mentions)


def _owned_by_other(sentence: str, k: KindMention, mentions: list[Mention],
                    actors: list[ActorRef], ctx: Discourse, cue: Cue) -> bool:
    """"train Ukrainian soldiers": the soldiers are another country's, not a contribution;
    "even without American troop deployment": what is excluded is not offered."""
    offset = max(0, k.start - 60)
    before = sentence[offset:k.start]
    excluded = _EXCLUDED.search(before)
    if excluded and not cue.start <= offset + excluded.start() < cue.end + 1:
        return True             # the excluding word is not the cue's own "no"
    if _BENEFICIARY.search(before) and k.kind.name == "ReassuranceForce":
        return True
    if _OTHERS_AFTER.match(sentence, k.end):
        return True             # "host troops from allied countries"
    for m in mentions:
        if m.how in ("demonym", "demonym-title") and 0 <= k.start - m.end <= 1:
            ref = ctx.resolve(m)    # an actor speaking for no country may mean its own troops
            return ref is not None and all(ref.id != a.id and a.type != "Person" or
                                           (a.on_behalf_of is not None and
                                            a.on_behalf_of.id != ref.id) for a in actors)
    return False
