"""Who holds a stance: the subject of the stance verb's own clause, found by a small clause
analysis — relative clauses and appositions are skipped ("Meloni, who met Macron, said …"),
"X said (that) Y will …" gives Y, objects of verbs and prepositions are no subjects
("to secure Ukraine", "for Kyiv"), coordinated subjects are a list ("Spain and Italy"),
"X and other partners" is an unnamed group. Without a subject: a list after the cue
("countries include …"), the demonym on the kind ("no Polish troops", "troops from Slovakia"),
else the person whose words the clause reports."""
from __future__ import annotations

import re
from functools import lru_cache

from stancegraph.loaders.model import ActorRef

from .context import Discourse
from .cues import Cue
from .kinds import KindMention
from .mentions import Mention

# Patterns of the rules below, compiled once.
_PARENTHETICALS_1 = re.compile(r"(?:the|a|an)\s*$")
_PARENTHETICALS_2 = re.compile(r"(\w+)\W*$")
_PARENTHETICALS_3 = re.compile(r",\s*(?:who|which|whose|whom)\b")
_PRECEDED_BY_PREPOSITION_1 = re.compile(r"(?:['’]s)?\s+to\s+[a-z]")
_IN_OBJECT_POSITION_1 = re.compile(r"([A-Za-z’']+)\s*$")
_ACTORS_FOR_1 = re.compile(r"(?:\w+\s+){0,2}")
_ACTORS_FOR_2 = re.compile(r"\s*(?:[,.;:]|and\b|or\b|as well as\b|$)")
_PASSIVE_AGENT_1 = re.compile(r"(?:ed|out|down)$")
_POSSESSOR_1 = re.compile(r"(?:['’]s)?\s+")
_OWNERS_OF_1 = re.compile(r"\s*(?:\w+\s+)?")
_OWNERS_OF_2 = re.compile(r"\s+")
_OWNERS_OF_3 = re.compile(r"(?:['’]s)?\s+(?:[\w-]+\s+){0,2}")
_IN_TITLE_OF_1 = re.compile(r"\s+")

BOUNDARY = re.compile(r";|,\s*but\b|\bbut\b|,\s*while\b|\bwhereas\b|,\s*(?:al)?though\b|:\s|"
                      r"\s[—–]\s")
_LIST_GLUE = re.compile(r"^(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+|\s+or\s+|\s*,\s*or\s+|\s+as well as\s+|"
                        r"\s+nor\s+|\s*,\s*nor\s+)(?:the\s+)?$")
_MEMBERS_INTRO = re.compile(r"(?:,|—|–|-)?\s*(?:including|such as|among them|notably|namely|"
                            r"like|led by|mainly involving|involving)\s+(?:the\s+)?", re.I)
_LIST_AFTER = re.compile(r"\b(?:include|includes|included|including|are|were|such as|among them)\s+"
                         r"(?:the\s+)?$", re.I)
_PREPOSITION = re.compile(r"\b(?:for|to|in|into|on|at|with|from|against|about|towards?|over|"
                          r"as|by|via|than|onto|regarding|under|of|alongside|between|among|"
                          r"within|across|behind|beyond|after|before|like|unlike|toward)\s+"
                          r"(?:the\s+)?[“\"‘']?$", re.I)
# Words that may stand right before a subject; any other lower-case word is a verb or an
# adjective whose object or noun the mention is ("to secure Ukraine", "help Kyiv").
_BEFORE_SUBJECT = frozenset("""that and but or nor while as so because since although though when
    if then also now however meanwhile both either neither even only indeed moreover thus
    instead therefore whereas where said says say saying told tells stated states added adds
    noted notes insisted insists stressed stresses warned warns argued argues confirmed
    confirms announced announces explained believes believe think thinks claimed claims
    emphasised emphasized underlined reiterated indicated hopes hoped wrote writes
    acknowledged suggested hinted admitted conceded declared signalled signaled the whether
    which who yet still already earlier later today yesterday recently previously currently
    once until unless why how what where for to in into on at with from against about toward
    towards over by via than onto regarding under of alongside between among within across
    behind beyond after before like unlike them including notably namely leader minister
    president chancellor premier secretary general envoy ambassador spokesman spokeswoman
    spokesperson taoiseach tánaiste adviser advisor chief head mp senator lawmaker mayor
    commissioner""".split())
_CLAUSE_VERB = re.compile(
    r"\b(?:said|says|say|saying|told|tells|stated|added|noted|insisted|stressed|warned|"
    r"argued|confirmed|announced|explained|believes?|thinks?|claimed|emphasi[sz]ed|underlined|"
    r"reiterated|indicated|acknowledged|suggested|declared|signall?ed|clarified|made clear|"
    r"hinted|admitted|conceded|wrote|hoped|stressing|noting|adding|arguing|insisting|"
    r"warning|confirming|emphasi[sz]ing)\b(?:\s+(?:on|in|at|last|this)\s+\w+)?(?:\s+\w+)?\s*,?"
    r"\s*(?:that\s+)?|\bthat\s+")
_GENERIC_TAIL = re.compile(r"^\s*(?:,\s*)?(?:and|as well as|with)\s+(?:the\s+|several\s+|many\s+)?"
                           r"(?:other|fellow|its|their)\s+(?:\w+\s+)?(?:partners|allies|countries|"
                           r"nations|states|members|governments|european countries)\b", re.I)
_PARENTHETICAL_OPEN = re.compile(r",\s*(?:who|which|whose|whom|where|when)\b|,\s*(?:the|a|an)\s+"
                                 r"(?=[^,]{0,80},)|\s\(|\s[—–]\s")
_FROM_ACTOR = re.compile(r"^\s+(?:from|of)\s+(?:neutral\s+|the\s+)?$")


# Several rules ask for the same clause start, window and asides of the same sentence and cue:
# they are pure functions of their arguments, so each is computed once (small caches, since
# only the sentence being read is asked about).
@lru_cache(maxsize=256)
def clause_start(sentence: str, pos: int) -> int:
    start = 0
    for b in BOUNDARY.finditer(sentence, 0, pos):
        start = b.end()
    return start


@lru_cache(maxsize=256)
def subject_window(sentence: str, pos: int) -> int:
    """Where the clause of the word at `pos` starts: after the last clause boundary and after
    the last reporting verb ("X said (that)", "that") before it."""
    start = clause_start(sentence, pos)
    for m in _CLAUSE_VERB.finditer(sentence, start, pos):
        if m.end() <= pos:
            start = max(start, m.start())
    return start


@lru_cache(maxsize=16)
def parentheticals(sentence: str) -> tuple[tuple[int, int], ...]:
    """Relative clauses, appositions and asides set off by commas, brackets or dashes."""
    spans = []
    for m in _PARENTHETICAL_OPEN.finditer(sentence):
        opener = m.group().strip()
        if opener[:1] == "," and _PARENTHETICALS_1.search(opener):
            word = _PARENTHETICALS_2.search(sentence[:m.start() + 1])
            if word is None or not word.group(1)[:1].isupper():
                continue            # an apposition follows a name: "Plenković, the prime minister,"
        close = {"(": ")", "—": "—", "–": "–"}.get(opener, ",")
        end = sentence.find(close, m.end())
        if end < 0 and close == "," and _PARENTHETICALS_3.match(m.group()):
            end = len(sentence)         # a relative clause that ends the sentence
        if end < 0:
            continue
        spans.append((m.start() + 1, end))
    return tuple(spans)


def preceded_by_preposition(sentence: str, m: Mention) -> bool:
    """"for Ukraine", "to Moscow": an object of a preposition is not a subject; but "the
    position of Austria", "the government of Italy" name the actor."""
    found = _PREPOSITION.search(sentence[max(0, m.start - 14):m.start])
    if found is None:
        return False
    if found.group().lower().startswith("for") and \
            _PRECEDED_BY_PREPOSITION_1.match(sentence[m.end:]):
        return False            # "natural for Ankara to take the lead": the infinitive's subject
    if found.group().lower().startswith("of"):
        return not _HOLDER_OF.search(sentence[max(0, m.start - 40):m.start])
    return True


_HOLDER_OF = re.compile(r"\b(?:position|stance|view|views|decision|government|governments|"
                        r"members?|member states|countries|nations|allies|partners|"
                        r"leadership|president|prime minister|chancellor|minister|ministry|"
                        r"leader|leaders|authorities|cabinet)\s+of\s+(?:the\s+)?[“\"‘']?$", re.I)


def in_object_position(sentence: str, m: Mention) -> bool:
    """The mention follows a verb or adjective ("to secure Ukraine", "help Kyiv")."""
    before = _IN_OBJECT_POSITION_1.search(sentence[:m.start])
    if before is None:
        return False
    word = before.group(1)
    return word.islower() and word not in _BEFORE_SUBJECT and not word.endswith(("'s", "’s"))


def subject_candidates(sentence: str, mentions: list[Mention], start: int, end: int,
                       skip: list[tuple[int, int]]) -> list[Mention]:
    return [m for m in mentions if start <= m.start and m.end <= end
            and m.how not in ("demonym", "demonym-title", "modifier")
            and not any(a <= m.start < b for a, b in skip)
            and not preceded_by_preposition(sentence, m)
            and not in_object_position(sentence, m)
            and not _OTHERS_OF.match(sentence, m.end - 2 if m.text.endswith(("'s", "’s")) else m.end)]


# "Germany's far-right AfD party", "Spain's opposition": someone of the country who does not
# speak for it; its stance is not the country's.
_OTHERS_OF = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,3}?(?:party|parties|opposition(?!\s+to\b)|parliament|"
                        r"lawmakers|legislators|mps|critics|voters|public|media|press|unions?|"
                        r"generals?|veterans)\b", re.I)


def actors_for(sentence: str, cue: Cue, scope_end: int, mentions: list[Mention],
               kinds: list[KindMention], ctx: Discourse, speaker: ActorRef | None,
               passive: bool) -> tuple[list[ActorRef], int | None]:
    """Who holds the stance the cue states, and the count of an unnamed counted group."""
    agent = _passive_agent(sentence, cue, mentions, ctx) or _possessor(sentence, cue, mentions, ctx)
    if agent:
        return agent, None
    start = subject_window(sentence, cue.start)
    skip = [p for p in parentheticals(sentence) if not (p[0] <= cue.start < p[1])]
    candidates = [] if passive else subject_candidates(sentence, mentions, start, cue.start, skip)
    among = None if candidates or passive else _AMONG_THOSE.search(sentence, 0, cue.start)
    if among is not None and _ACTORS_FOR_1.fullmatch(sentence[among.end():cue.start]):
        # "Lithuania is among the countries that have offered to send troops"
        candidates = subject_candidates(sentence, mentions, subject_window(sentence, among.start()),
                                        among.start(), skip)
    if candidates:
        subject = candidates[-1]
        chain = coordinated(sentence, mentions, subject)
        if _GENERIC_TAIL.match(sentence[chain[-1].end:]):
            return [], None            # "Sweden and other partners": an unnamed group
        members = _introduced_members(sentence, mentions, chain[0], cue.start)
        actors, count = [], None
        for m in members or chain:
            if m.how == "we" and m.entity is None:
                refs = [speaker] if speaker else []
            elif m.how == "pronoun" and m.entity is None and m.text.lower() == "they":
                refs = _list_before(sentence, mentions, m, ctx) or ctx.resolve_all(m)
            else:
                refs = ctx.resolve_all(m)
            if m.how == "count":
                count = m.count
            actors.extend(r for r in refs if r not in actors)
        if actors:
            return actors, count
    after = [m for m in mentions if cue.end <= m.start]
    for m in after:
        if _LIST_AFTER.search(sentence[max(0, m.start - 30):m.start]) and m.how in ("name", "alias") \
                and _ACTORS_FOR_2.match(sentence[m.end:]):
            chain = coordinated(sentence, mentions, m)
            return [r for r in (ctx.resolve(x) for x in chain) if r is not None], None
    if not passive and start > 0 and _BARE_COMPLEMENT.match(sentence[start:cue.start]):
        before = subject_candidates(sentence, mentions, clause_start(sentence, start), start, skip)
        if before:              # "Denmark says ready to send peacekeepers"
            return [r for r in (ctx.resolve(m) for m in coordinated(sentence, mentions,
                                                                      before[-1])) if r], None
    boundary = _bare_coordination(sentence, start, cue)
    if boundary is not None and not passive:
        return actors_for(sentence, Cue(boundary, boundary, "", cue.relation, cue.strength,
                                        cue.negated), boundary, mentions, kinds, ctx, speaker,
                          False)
    owners = _kind_owners(sentence, cue, start, scope_end, mentions, kinds, ctx,
                          object_too=not _OTHER_AGENT.search(sentence[start:cue.start]))
    if owners:
        return owners, None
    if speaker is not None and not passive and not _has_other_subject(sentence, start, cue):
        return [speaker], None          # "X said any deployment would depend on …"
    return [], None


_BE_BEFORE = re.compile(r"\b(?:was|were|is|are|been|being|be)\s+(?:\w+ly\s+|also\s+)?$", re.I)
_BY_AFTER = re.compile(r"\s+by\s+(?:the\s+)?", re.I)


def _passive_agent(sentence: str, cue: Cue, mentions: list[Mention],
                   ctx: Discourse) -> list[ActorRef]:
    """"A request to send troops was rejected by Hungary": the agent after "by" holds the
    stance, not the subject (what was rejected)."""
    if not _PASSIVE_AGENT_1.search(cue.text.lower()) or \
            not _BE_BEFORE.search(sentence, 0, cue.start):
        return []
    by = _BY_AFTER.match(sentence, cue.end)
    if by is None:
        return []
    first = next((m for m in mentions if m.start == by.end() and m.how in ("name", "alias")), None)
    if first is None:
        return []
    return [r for r in (ctx.resolve(m) for m in coordinated(sentence, mentions, first)) if r]


_STANCE_NOUN = re.compile(r"(?:opposition|refusal|readiness|willingness|decision|offer|pledge|"
                          r"commitment|rejection|intention|plans?|reluctance|hesitation)\b", re.I)


def _possessor(sentence: str, cue: Cue, mentions: list[Mention],
               ctx: Discourse) -> list[ActorRef]:
    """"made clear her country's opposition to sending troops": the possessor of a stance noun
    holds the stance, wherever the noun phrase stands."""
    if not _STANCE_NOUN.match(cue.text):
        return []
    for m in mentions:
        gap = sentence[m.end:cue.start]
        if _POSSESSOR_1.fullmatch(gap) and (m.text.endswith(("'s", "’s")) or gap.strip()):
            ref = ctx.resolve(m)
            if ref is not None and m.how != "demonym":
                return [ref]
    return []


_AMONG_THOSE = re.compile(r"\b(?:is|are|was|were)\s+(?:also\s+)?(?:among|one of)\s+(?:the\s+)?"
                          r"(?:\w+\s+){0,2}?(?:countries|nations|states|allies|members|"
                          r"governments)\s+(?:that|which|who)\s+")


_BARE_PREDICATE = re.compile(r"^\s*(?:(?:it|they|he|she)\s+)?(?:\w+ly\s+|also\s+|still\s+|instead\s+)*"
                             r"(?:will|would|can|could|may|might|shall|is|are|was|were|has|have|"
                             r"had|does|do|did|won['’]t|wouldn['’]t|plans|intends|wants)\b", re.I)


_BARE_COMPLEMENT = re.compile(r"^(?:says|said|say|insists|insisted|signals|signalled|signaled)"
                              r"(?:\s+(?:it\s+is|it\s+was|it\s+would|it\s+will))?\s*$", re.I)


def _bare_coordination(sentence: str, start: int, cue: Cue) -> int | None:
    """"Poland will not send troops, but will lead the logistics": a predicate coordinated
    after "but"/"and"/"while" without a subject of its own shares the previous subject. The
    position of the boundary, to look for that subject before it."""
    if start == 0:
        return None
    head = sentence[start:cue.start]
    if not _BARE_PREDICATE.match(head) and head.strip():
        return None
    b = None
    for m in BOUNDARY.finditer(sentence, 0, start):
        b = m
    if b is None or b.end() != start:
        return None
    return b.start()


def _list_before(sentence: str, mentions: list[Mention], they: Mention,
                 ctx: Discourse) -> list[ActorRef]:
    """"France and Britain said they were ready": "they" is the list of countries or groups the
    sentence named as a subject before it."""
    for m in mentions:
        if m.start >= they.start:
            break
        if m.how in ("name", "alias") and m.entity is not None and m.entity.type != "Person" \
                and not preceded_by_preposition(sentence, m):
            chain = coordinated(sentence, mentions, m)
            if len(chain) > 1:
                return [r for r in (ctx.resolve(x) for x in chain) if r is not None]
    return []


def _kind_owners(sentence: str, cue: Cue, start: int, scope_end: int, mentions: list[Mention],
                 kinds: list[KindMention], ctx: Discourse, object_too: bool) -> list[ActorRef]:
    """"British and French troops", "no Polish troops", "troops from Slovakia": the
    countries the kind belongs to, when the kind is the cue's subject or (`object_too`, when
    the clause has no other subject: "the opposition opposed sending Czech troops") its
    object."""
    subject_kinds = [k for k in kinds if start <= k.start < cue.start and
                     len(sentence[k.start:cue.start].split()) <= 6]
    object_kinds = [k for k in kinds if object_too and cue.end <= k.start < scope_end and
                    len(sentence[cue.end:k.start].split()) <= 5]
    # "Danish soldiers will help to train Ukrainian troops": the subject's owner holds the
    # stance; the object's owner only when the subject has none.
    return _owners_of(sentence, subject_kinds, mentions, ctx) or \
        _owners_of(sentence, object_kinds, mentions, ctx)


def _owners_of(sentence: str, kinds: list[KindMention], mentions: list[Mention],
               ctx: Discourse) -> list[ActorRef]:
    found: list[Mention] = []
    for k in kinds:
        for m in mentions:
            if m.how == "demonym" and 0 <= k.start - m.end <= 12 and \
                    _OWNERS_OF_1.fullmatch(sentence[m.end:k.start]):
                found.extend(coordinated(sentence, mentions, m))
            elif m.how in ("name", "alias") and m.entity is not None and \
                    m.entity.type == "Country" and _OWNERS_OF_2.fullmatch(sentence[m.end:k.start]) \
                    and not m.text.endswith(("'s", "’s")):
                found.append(m)         # "UK troops", "US forces"
            elif m.how in ("name", "alias") and m.entity is not None and \
                    m.entity.type == "Country" and _FROM_ACTOR.match(sentence[k.end:m.start]):
                found.append(m)
            elif m.how in ("name", "alias") and m.entity is not None and \
                    m.entity.type == "Country" and m.end <= k.start and \
                    _OWNERS_OF_3.fullmatch(sentence[m.end:k.start]) and \
                    (m.text.endswith(("'s", "’s")) or sentence[m.end:m.end + 2] in ("'s", "’s")):
                found.append(m)         # "Japan's Self-Defense Forces"
    refs: list[ActorRef] = []
    for m in found:
        ref = ctx.resolve(m)
        if ref is not None and ref not in refs:
            refs.append(ref)
    return refs


_OTHER_AGENT = re.compile(r"\b(?:opposition|part(?:y|ies)|critics|lawmakers|mps|voters|public|"
                          r"protesters|analysts|experts)\b", re.I)


_OWN_FORCES = re.compile(r"\b(?:its|their)\s+(?:own\s+)?(?:navy|army|military|armed forces|forces|troops|"
                         r"soldiers|air force|jets|ships|instructors)\b")


def _has_other_subject(sentence: str, start: int, cue: Cue) -> bool:
    """An impersonal clause ("any deployment would …", "the decision to deploy troops will …")
    reports the speaker's stance; a clause with a noun subject of its own ("the government",
    "Europeans") does not."""
    clause = _OWN_FORCES.sub(" ", sentence[start:cue.start].lower())  # "its navy could …": its own
    return bool(re.search(r"\b(?:government|europeans?|allies|partners|countries|nations|"
                          r"leaders|officials|members|states|they|it|others?|army|military|navy|"
                          r"parliament|opposition|(?<!his )(?<!her )party|parties|alliance|"
                          r"bloc|europe|west|public|people|voters)\b", clause))


def coordinated(sentence: str, mentions: list[Mention], m: Mention) -> list[Mention]:
    """The list a mention stands in: "the United Kingdom, France, ... and Australia"; people
    introduced by "Title of Country" ("President of Finland X and Prime Minister of Denmark Y")
    are one list, the countries in their titles no members of it."""
    ordered = sorted(mentions, key=lambda x: x.start)
    if m.entity is not None and m.entity.type == "Person":
        ordered = [x for x in ordered if x is m or not _in_title_of(sentence, x, ordered)]
    i = ordered.index(m)
    left, right = i, i
    while left > 0 and _glued(sentence, ordered[left - 1], ordered[left]) \
            and _same_class(ordered[left - 1], m):
        left -= 1
    while right + 1 < len(ordered) and _glued(sentence, ordered[right], ordered[right + 1]) \
            and _same_class(ordered[right + 1], m):
        right += 1
    return ordered[left:right + 1]


_TITLE_OF = re.compile(r"(?:[A-Z][\w-]*\s+){1,3}of\s+(?:the\s+)?$")
_TITLE_OF_GLUE = re.compile(_LIST_GLUE.pattern[:-len("$")] + r"(?:[A-Z][\w-]*\s+){1,3}of\s+"
                            r"(?:the\s+)?(?:[A-Z][\w-]*\s+){1,3}$")


def _in_title_of(sentence: str, x: Mention, ordered: list[Mention]) -> bool:
    """"President of Finland Alexander Stubb": Finland is part of the title of the person after."""
    after = [y for y in ordered if y.start >= x.end]
    return x.entity is not None and x.entity.type == "Country" and bool(after) and \
        after[0].entity is not None and after[0].entity.type == "Person" and \
        _IN_TITLE_OF_1.fullmatch(sentence[x.end:after[0].start]) is not None and \
        _TITLE_OF.search(sentence[max(0, x.start - 40):x.start]) is not None


def _glued(sentence: str, a: Mention, b: Mention) -> bool:
    between = sentence[a.end:b.start]
    if _LIST_GLUE.match(between):
        return True
    return a.entity is not None and a.entity.type == "Person" and b.entity is not None and \
        b.entity.type == "Person" and _TITLE_OF_GLUE.match(between) is not None


def _same_class(a: Mention, b: Mention) -> bool:
    names = ("name", "alias")
    return a.how == b.how or (a.how in names and b.how in names)


def _introduced_members(sentence: str, mentions: list[Mention], head: Mention,
                        cue_start: int) -> list[Mention]:
    """"a coalition ..., mainly involving European countries such as France and Britain,":
    the named members act, not the group."""
    if head.how not in ("name", "alias", "count") or \
            (head.entity is not None and head.entity.type not in ("Group", "Coalition",
                                                                  "Organization")):
        return []
    for m in mentions:
        if head.end <= m.start < cue_start and _MEMBERS_INTRO.search(sentence[head.end:m.start]):
            return coordinated(sentence, mentions, m)
    return []
