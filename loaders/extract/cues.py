"""Stance cues: phrases that say an actor commits to, refuses, is undecided on or conditions
something. Polarity flips with negation ("will not send", "has not ruled out"); modal verbs
and open doors ("could send", "might contribute", "open to") are possibilities, not pledges."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from stancegraph.loaders.model import Relation

from .negation import negated_before, negated_inside, polarity
from .wordsets import trie_alternation

# Patterns of the rules below, compiled once.
_MERGE_VERB_GROUPS_1 = re.compile(r"\s*(?:to\s+)?")
_EFFECTIVE_RELATION_1 = re.compile(r"(?:consider|weigh|plan|discuss|look)")

# Verbs that carry a contribution when something makes them a commitment (modal, readiness).
_ACT = (r"(?:send(?:ing)?|deploy(?:ing)?|provid(?:e|ing)|suppl(?:y|ying)|contribut(?:e|ing)|"
        r"offer(?:ing)?|lead(?:ing)?|join(?:ing)?|tak(?:e|ing) part|participat(?:e|ing)|"
        r"station(?:ing)?|commit(?:ting)?|put(?:ting)?|help(?:ing)?|deliver(?:ing)?|fund(?:ing)?|"
        r"financ(?:e|ing)|train(?:ing)?|back(?:ing)?|support(?:ing)?|assum(?:e|ing)|"
        r"establish(?:ing)?|maintain(?:ing)?|be present|keep(?:ing)?|impos(?:e|ing)|patrol(?:ling)?|"
        r"host(?:ing)?|equip(?:ping)?|dispatch(?:ing)?|boost(?:ing)?|strengthen(?:ing)?|"
        r"resume|play (?:a|an|the)|be part of|be involved|step up|clear(?:ing)?|secur(?:e|ing)|"
        r"go (?:to|into|on)|arrive in|be stationed|be deployed|shar(?:e|ing)|"
        r"protect(?:ing)?|guarantee(?:ing)?|allocat(?:e|ing)|donat(?:e|ing)|earmark(?:ing)?|"
        r"run(?:ning)?|operat(?:e|ing)|organi[sz](?:e|ing)|set(?:ting)? up|build(?:ing)?|"
        r"coordinat(?:e|ing)|cover(?:ing)?|pledge|commit|continu(?:e|ing)(?: to)?)")
_ADVS = r"(?: (?:also|still|now|soon|eventually|potentially|possibly|in principle|in the future|" \
        r"each|both|jointly|together|all|" \
        r"not|never|then|well|yet|even|ultimately|later|only))*"
_MODAL = r"(?:may|might|could|can|cannot|can't|can’t|couldn't|couldn’t|would be able to|" \
         r"will be able to|is able to|are able to)"


@dataclass(frozen=True)
class CueRule:
    pattern: re.Pattern[str]
    relation: Relation
    strength: float
    modal: bool                     # a possibility: undecided alone, conditions with a condition
    triggers: tuple[str, ...]       # substrings one of which the lower-cased sentence must hold
    deontic: bool = False           # "should not send": an opinion about what a country should do
    before: re.Pattern[str] | None = None   # what the text before the cue must be (fully)


def _rule(pattern: str, relation: Relation, strength: float, triggers: tuple[str, ...],
          modal: bool = False, deontic: bool = False, before: str | None = None) -> CueRule:
    return CueRule(re.compile(pattern), relation, strength, modal, triggers, deontic,
                   re.compile(before) if before else None)


C, R, U = Relation.COMMITS, Relation.REFUSES, Relation.UNDECIDED
CUE_RULES: tuple[CueRule, ...] = (
    # refusals
    _rule(r"\brul(?:ed|es|e|ing) out\b", R, 0.9, ("rul",)),
    _rule(r"\brefus(?:ed|es|e|ing|al) to\b|\brefus(?:ed|es|e)\b", R, 0.9, ("refus",)),
    _rule(r"\b(?:reject(?:ed|s|ing)?|den(?:ied|ies|y|ying)|dismiss(?:ed|es|ing)?|"
          r"turn(?:ed|s|ing)? down)\b", R, 0.85, ("reject", "den", "dismiss", "turned down",
                                                  "turns down", "turn down", "turning down")),
    _rule(r"\bdeclin(?:ed|es|e|ing) to (?=send|deploy|provide|supply|contribute|join|take part|"
          r"participate|commit|offer)", R, 0.85, ("declin",)),
    _rule(r"\bexclud(?:ed|es|e)\b(?= (?:\w+ ){0,2}?(?:sending|deploying|send|deploy|the deployment|"
          r"participati|taking part|contributing|any|its|their|troops|soldiers|forces))", R, 0.85,
          ("exclud",)),
    _rule(r"\bsees? no (?:role|place|need) for\b", R, 0.75, ("sees no", "see no")),
    _rule(r"\bdecid(?:ed|es|e) against\b|\bdecision not to\b", R, 0.9, ("decid", "decision")),
    _rule(r"\b(?:unwilling|unprepared|reluctant to commit|not in a position) to\b|"
          r"\blacks? the (?:capacity|capability|capabilities|means|resources|troops) to\b",
          R, 0.75, ("unwilling", "unprepared", "position", "lack")),
    _rule(r"\b(?:stay|stays|stayed|staying|keep|keeps|kept|remain|remains) out of\b", R, 0.75,
          ("stay out", "stays out", "stayed out", "staying out", "keep out", "keeps out",
           "kept out", "remain out", "remains out")),
    _rule(r"\bopposes?\b|(?<!as )\bopposed\b|\bopposing\b|\bopposition to\b", R, 0.75,
          ("oppos",)),
    _rule(r"\b(?:has|have|had|with|without) (?:any |the )?(?:ambition|desire|wish|appetite) to\b|"
          r"\bno (?:ambition|desire|wish|appetite) to\b|\bwithout (?:having )?(?:any |the )?"
          r"(?:ambition|intention|plans?) (?:to|of)\b", R, 0.8, ("ambition", "desire", "wish",
                                                              "appetite", "intention", "plan")),
    _rule(r"\brul(?:ed|es|e|ing) (?:itself|themselves|himself|herself|ourselves) out\b", R, 0.85,
          ("rul",)),
    _rule(r"\b(?:has|have|had) no (?:plans?|intention)\b|\bno intention of\b|\bno plans? to\b|"
          r"\b(?:does|do|did) not (?:plan|intend|foresee|envisage|envision)\b", R, 0.85,
          ("no plan", "no intention", "not plan", "not intend", "not foresee", "not envisage",
           "not envision")),
    _rule(r"\bagainst (?:sending|deploying|any|the deployment|participati)", R, 0.7, ("against",)),
    _rule(r"\bout of the question\b|\bnot on the (?:table|agenda)\b|\bno question of\b", R, 0.8,
          ("question", "on the ")),
    _rule(r"(?:^|[:;,.]\s+|\b(?:says?|said)\s+)no to\b", R, 0.75, ("no to",)),
    _rule(r"(?:^|\bthere (?:will|would) be |\bwill (?:be )?send |[:,—–-] )no\b(?= (?:\w+ ){0,2}"
          r"(?:troops|soldiers|boots|forces|military|servicemen|personnel|contingent))", R, 0.75,
          ("no ",)),
    _rule(r"\bwill not be (?:sending|deploying|contributing|participating|joining)\b", R, 0.85,
          ("not be",)),
    # undecided
    _rule(r"\b(?:yet|still) to (?:decide|make|commit|announce|determine|say|take a (?:decision|"
          r"position))\b", U, 0.85, ("yet to", "still to")),
    _rule(r"\bnot (?:yet )?(?:made|taken|reached) (?:a|any|its|their|a final) (?:decision|"
          r"commitments?)\b|\bnot (?:yet )?decided\b|\bundecided\b|\bno (?:final )?decision\b|"
          r"\b(?:made |given )?no (?:firm )?commitments?\b|\bwill (?:\w+ )?decide\b|"
          r"\bto be decided\b|\bremains to be seen\b", U, 0.85,
          ("decid", "decision", "commitment", "remains to be")),
    _rule(r"\b(?:too early|too soon|premature) to (?:say|decide|tell|talk|speak|discuss|comment|"
          r"commit|speculate|determine|judge)\b", U, 0.7, ("too early", "too soon", "premature")),
    _rule(r"\b(?:remains?|is|are|was|were|seems?) (?:still )?(?:unclear|uncertain|undecided|"
          r"open(?! to\b))\b", U, 0.65, ("unclear", "uncertain", "undecided", "open")),
    _rule(r"\b(?:hesitant|reluctant|cautious|wary|sceptical|skeptical)\b", U, 0.7,
          ("hesita", "reluct", "cautio", "wary", "eptical")),
    _rule(r"\b(?:consider(?:s|ed|ing)?|weigh(?:s|ed|ing)?|mull(?:s|ed|ing)?|assess(?:es|ed|ing)?|"
          r"stud(?:y|ies|ying)|explor(?:e|es|ed|ing)|examin(?:e|es|ed|ing)|discuss(?:es|ed|ing)?|"
          r"look(?:s|ed|ing)? at|evaluat(?:e|es|ed|ing)) (?:whether|if|what|how|which|sending|"
          r"deploying|joining|potentially|possibly|a request|an invitation|the request|"
          r"contributing|taking part|participating|participation|a contribution|the possibility|"
          r"options?|a role|possible|potential|its|their|troop|military|an?|the)\b", U, 0.7,
          ("consider", "weigh", "mull", "assess", "stud", "explor", "examin", "discuss", "look",
           "evaluat")),
    _rule(r"\bfloat(?:ed|s|ing)? (?:the )?(?:idea|possibility|prospect) of\b|\bin talks (?:about|on|"
          r"over) (?=contributing|sending|deploying|joining|taking part|participating)", U, 0.65,
          ("float", "in talks")),
    _rule(r"\bkeep(?:s|ing)? (?:its |the |all )?options open\b|\bnot ruling (?:anything|it) out\b",
          U, 0.6, ("open", "ruling")),
    _rule(r"\b(?:open|openness) to\b|\bopen(?:s|ed|ing)? the door to\b|\bopen-minded about\b|"
          r"\ban open mind\b", C, 0.6, ("open",), modal=True),
    _rule(r"\bdeclin(?:ed|es|e|ing) to (?:say|comment|specify|confirm|disclose|detail)\b", U, 0.6,
          ("declin",)),
    _rule(r"\b(?:has|have) not said whether\b|\bwould not say whether\b|\bdid not say whether\b",
          U, 0.6, ("say whether", "said whether")),
    _rule(r"\bpossibility of\b|\bpossible (?=participation|contribution|deployment)", C, 0.6,
          ("possib",), modal=True),
    # opinions: someone outside government saying what the country should do
    _rule(rf"\b(?:should|must|ought to|shouldn't|shouldn’t|mustn't|mustn’t){_ADVS} (?:{_ACT}|"
          r"be involved|get involved|be part of)\b", C, 0.6, ("should", "must", "ought"),
          deontic=True),
    # conditional readiness: what it depends on is the condition
    _rule(r"\b(?:would|will|must|should|could|may)?\s*depends? (?:on|upon)\b|"
          r"\b(?:would|will|must|should) (?:first )?(?:need|require|have) to be\b|"
          r"\b(?:would|will) (?:first )?need\b|\brequires? (?:the )?(?:parliamentary |parliament['’]s |"
          r"prior |explicit |formal )?(?:approval|consent|a mandate|"
          r"authori[sz]ation|sign-?off)\b|\bmust be (?:approved|authori[sz]ed|under)\b|"
          r"\b(?:must|would have to|will have to|has to|needs? to) (?:first )?(?:approve|authori[sz]e|"
          r"vote on|sign off on)\b", C, 0.7,
          ("depend", "need", "require", "have to", "must", "has to"), modal=True),
    # commitments
    _rule(r"\b(?:tak(?:e|es|ing|en)|took|resum(?:e|es|ed|ing)|assum(?:e|es|ed|ing)|bear(?:s|ing)?|"
          r"shoulder(?:s|ed|ing)?)\s+(?:on\s+|over\s+)?(?:the\s+|a\s+|its\s+|their\s+)?(?:\w+\s+)?"
          r"(?:responsibility|lead|leadership|charge|command)\b", C, 0.75,
          ("responsib", "lead", "charge", "command")),
    _rule(r"\bsign(?:ed|s|ing)? (?:a |the )?(?:joint )?(?:declaration|letter|memorandum|agreement)"
          r"(?: of intent)? (?:on|to|for|about|of) (?:the )?(?:deployment|deploying|sending|"
          r"contribution|participation|provision|supply)\b", C, 0.75,
          ("declaration", "letter", "memorandum", "agreement")),
    _rule(r"\blead(?:s|ing)? (?:the |a |international |european )?(?:\w+ )?efforts? to\b", C, 0.75,
          ("lead",)),
    _rule(r"\bextend(?:ed|s|ing)? (?:its|their|the|his|her) (?:\w+ )?(?:deployment|mission|"
          r"contribution|support|training|presence)\b", C, 0.75, ("extend",)),
    _rule(r"\b(?:formally |firmly )?commit(?:ted|s)? to\b|\bcommit(?:ted|s)?\b", C, 0.9,
          ("commit",)),
    _rule(r"\bpledg(?:ed|es|e|ing)\b|\bpromis(?:ed|es|e)\b|\bvow(?:ed|s)?\b", C, 0.9,
          ("pledg", "promis", "vow")),
    _rule(rf"\bagre(?:ed|es|e) to (?:{_ACT})\b", C, 0.85, ("agre",)),
    _rule(rf"\bdecid(?:ed|es) to (?:{_ACT})\b", C, 0.85, ("decid",)),
    _rule(rf"\b(?:wants?|wanted|would like|wishes|hopes) to (?:{_ACT})\b", C, 0.65,
          ("want", "would like", "wishes", "hopes")),
    _rule(rf"\b(?:is|are|was|were|be) in a position to (?:{_ACT})\b", C, 0.7, ("in a position",)),
    _rule(r"\b(?:is|are|was|were|be) (?:also )?among (?:the )?(?:\w+ ){0,2}(?:countries|nations|"
          r"states|contributors|participants|allies)(?= (?:sending|deploying|contributing|"
          r"providing|offering|ready|willing|prepared|to send|to contribute|taking part|"
          r"participating|committed))", C, 0.7, ("among",)),
    _rule(r"\b(?:ready|prepared|willing|set|poised|determined) to\b|\breadiness to\b|"
          r"\bwillingness to\b|\b(?:stands?|stood) ready\b|\b(?:is|are|was|were|remains?) "
          r"(?:\w+ ){0,3}?ready(?=\s*[,.;\"”]|\s+(?:if|once|when|for)\b)", C, 0.75,
          ("ready", "prepared", "willing", "set to", "poised", "determined", "readiness")),
    _rule(rf"\b{_MODAL}{_ADVS} (?:{_ACT})\b", C, 0.6, ("may", "might", "could", "can", "able"),
          modal=True),
    _rule(rf"\b(?:will|shall|would|'ll|’ll|won't|won’t|wouldn't|wouldn’t){_ADVS} (?:{_ACT})\b", C,
          0.75, ("will", "shall", "would", "'ll", "’ll", "won")),
    _rule(rf"\b(?:is|are)(?: not)? (?:going|expected|due|to) to (?:{_ACT})\b|\b(?:is|are) to (?:{_ACT})\b|"
          rf"\bintends? to (?:{_ACT})\b|\bintention to (?:{_ACT})\b", C, 0.7,
          ("going", "expected", "due", " to ", "intend", "intention")),
    _rule(r"\boffer(?:ed|s|ing)?\b", C, 0.75, ("offer",)),
    # headline future: "Poland to lead logistics hub"
    _rule(rf"\bto (?:{_ACT})\b", C, 0.7, (" to ",), before=r"(?:[A-Z][\w.'’-]* ){1,3}"),
    _rule(r"\b(?:will|would|shall|can)(?: not| never)? be (?:sent|deployed|stationed|provided|"
          r"supplied|delivered|contributed|dispatched)\b", C, 0.7, (" be ",)),
    _rule(r"\b(?:could|may|might)(?: not)? be (?:sent|deployed|stationed|provided|supplied|"
          r"delivered|contributed|dispatched)\b", C, 0.6, (" be ",), modal=True),
    # ellipsis: "France will send troops, but Italy will not."
    _rule(r"\b(?:will|would|shall|does|do|did|is|are|has|have) not\b(?=\s*(?:[.;,]|$))|"
          r"\b(?:won't|won’t|wouldn't|wouldn’t|doesn't|doesn’t|isn't|isn’t)(?=\s*(?:[.;,]|$))", C,
          0.7, ("not", "n't", "n’t")),
    _rule(r"\bplans? to (?:send|deploy|station|provide|supply|contribute|lead|join)\b", C, 0.65,
          ("plan",)),
    _rule(r"\b(?:has|have|had) (?:already )?(?:sent|deployed|allocated|donated|contributed|"
          r"earmarked|assigned|dispatched)\b|"
          r"\b(?:is|are) (?:sending|deploying|contributing)\b", C, 0.8,
          ("sent", "deployed", "allocated", "donated", "contribut", "sending", "deploying",
           "earmarked", "assigned", "dispatched")),
    _rule(r"\blead(?:s|ing)? (?:the|a) (?:\w+ )?(?:force|mission|coalition|contingent|effort)\b",
          C, 0.8, ("lead",)),
    _rule(r"\brole (?:would|will|is to|could) (?:focus on|be|include|involve)\b", C, 0.6,
          ("role",)),
    _rule(r"\b(?:outlined|announced|made|offered|signalled|signaled|confirmed) (?:a|an|its|his|"
          r"her|their) (?:\w+ ){0,3}(?:commitment|pledge|offer|contribution|participation|"
          r"involvement|readiness)\b", C, 0.6,
          ("commitment", "pledge", "offer", "contribution", "participation", "involvement",
           "readiness")),
    _rule(r"\bapprov(?:ed|es|e|ing) (?:the )?(?:dispatch|despatch|deployment|sending|"
          r"participation|contribution|delivery|transfer|stationing)\b|\bapprov(?:ed|es|e|ing) "
          r"(?:sending|deploying|contributing|stationing)\b", C, 0.8, ("approv",)),
    _rule(r"\b(?:contribution|offer|pledge|package|commitment) (?:will|would|is to|is set to|"
          r"is expected to) (?:include|consist of|comprise|involve)\b", C, 0.7,
          (" include", " consist", " comprise", " involve")),
    _rule(r"\bannounc(?:ed|es|e|ing)\b(?= (?:\w+ ){0,3}(?:package|funding|contribution|support|"
          r"deployment|million|billion))", C, 0.7, ("announc",)),
)

_TRIGGERS = tuple(sorted({t for rule in CUE_RULES for t in rule.triggers}))
_RULES_BY_TRIGGER = {t: frozenset(i for i, r in enumerate(CUE_RULES) if t in r.triggers)
                     for t in _TRIGGERS}
# Triggers by their first three characters: a sentence without that prefix holds none of them,
# so one substring test rules out a whole group.
_TRIGGERS_BY_PREFIX = tuple((p, tuple(t for t in _TRIGGERS if t[:3] == p))
                            for p in sorted({t[:3] for t in _TRIGGERS}))


def _rules_for(low: str) -> list[CueRule]:
    """The rules one of whose trigger substrings the sentence holds, in table order."""
    chosen: set[int] = set()
    for prefix, triggers in _TRIGGERS_BY_PREFIX:
        if prefix in low:
            for t in triggers:
                if t in low:
                    chosen |= _RULES_BY_TRIGGER[t]
    return [CUE_RULES[i] for i in sorted(chosen)]

_PEACE = (r"(?:ceasefire|cease-fire|truce|peace|cessation|hostilities|armistice|war (?:ends|is over|"
          r"has ended|stops)|end of (?:the )?(?:war|fighting|hostilities)|fighting (?:ends|stops)|"
          r"settlement)")
CONDITION_STRONG = re.compile(
    r"\b(?:only (?:if|after|when|once|under|with|in|as part of|within|on|provided|in the event)|"
    r"not (?:before|until|without)(?= (?:\w+ ){0,3}\w)|"
    r"without (?:a |an |the )?(?:[\w.'’]+ ){0,2}(?:mandate|approval|consent|backstop|"
    r"authori[sz]ation)|"
    rf"(?<!even )(?<!asked )(?<!asking )(?<!wondered )if(?![^,;.]{{0,60}}\b{_PEACE})(?! (?:needed|necessary|required|need be|so|any|not|asked to|"
    r"you|we can|possible)\b)|"
    r"provided (?:that )?|providing that|on (?:the )?condition (?:that|of)|as long as|"
    r"conditional (?:on|upon)|conditioned on|contingent (?:on|upon)|depends? (?:on|upon)|"
    r"dependent on|subject to|if and only if|unless|would (?:first )?need|will (?:first )?need|"
    r"needs? (?:the )?(?:approval|consent|sign-?off|backing|mandate|authori[sz]ation)|"
    r"requires? (?:the )?(?:parliamentary |parliament['’]s |prior |explicit |formal )?(?:approval|"
    r"consent|sign-?off|backing|a mandate|authori[sz]ation)|"
    r"(?:must|would have to|will have to|has to|have to|needs? to) (?:first )?be (?:approved|"
    r"authori[sz]ed|backed|endorsed|sanctioned)|(?:mps|parliament|lawmakers|"
    r"congress|the cabinet|the dáil|the riigikogu|the saeima|the seimas|the bundestag|the sejm|"
    r"the storting|the folketing|the riksdag|the eduskunta|the senate|the national assembly|"
    r"the cortes|the congress of deputies|the national council|the diet)"
    r"[\s\"“”]+(?:will|would|must|has to|have to)(?: have to| need to)? (?:first )?"
    r"(?:vote|approve|decide|authori[sz]e)|"
    r"with (?:a |the )?(?:us|u\.s\.|american|washington['’]s) (?:support|backing|backstop|"
    r"participation|guarantees?|involvement)|"
    r"under (?:a |an |the )?(?:un|u\.n\.|united nations|international|clear|eu|nato) "
    r"(?:mandate|banner|flag|resolution|umbrella|mission)|"
    r"(?:we )?must (?:first )?have (?:peace|a ceasefire))\b", re.I)
CONDITION_WEAK = re.compile(
    rf"\b(?:if|once|after|when|following|in the event of|in case of|until)\b(?=[^,;.]{{0,60}}\b"
    rf"(?:{_PEACE}|deal|agreement|mandate|backstop|approval))|"
    rf"\b(?:as part of|under|with|within)\b(?=[^,;.]{{0,40}}\b{_PEACE})", re.I)
# Hedges that make a pledge a possibility: "willing to help, probably by air".
HEDGE_MODAL = re.compile(r"\b(?:probably|possibly|perhaps|maybe|potentially|conceivably)\b", re.I)
HEDGE_WORDS = ("possible", "possibly", "potential", "potentially", "may", "might", "could",
               "reportedly", "allegedly", "perhaps", "likely", "unlikely", "considering",
               "probably")
HEDGE = re.compile(rf"\b(?:{trie_alternation(HEDGE_WORDS)})\b", re.I)     # one test per letter
REPORT_NOUN = re.compile(r"\b(?:reports?|claims?|suggestions?|speculation|rumou?rs?|allegations?)\b"
                         r"(?:\s+\w+){0,3}?\s+(?:suggesting|that|of|saying|claiming|about)\b", re.I)
_ADJECTIVAL = re.compile(r"\b(?:the|a|an|its|their|his|her|these|those)\s+$")
_TO_BE = re.compile(r"\b(?:to be|being)\s+$")
_PARTICIPLE = re.compile(r"\w+ed\b")


@dataclass(frozen=True)
class Cue:
    """A stance cue found in a sentence (offsets relative to the sentence)."""

    start: int
    end: int
    text: str
    relation: Relation
    strength: float
    negated: bool
    modal: bool = False
    deontic: bool = False


# Double quotation marks quote words, not grammar: "is “ready and willing” to put troops" reads
# as "is ready and willing to put troops". Cues are matched with them left out (apostrophes and
# single quotes stay: "won’t", "Spain’s").
_QUOTE_MARKS = re.compile(r"[\"“”«»„]")


# A sentence adverb set off by commas sits inside the verb group: "Rome will, however,
# contribute" reads as "Rome will contribute".
_ASIDE = re.compile(r",\s*(?:however|though|nevertheless|nonetheless|therefore|in turn|too|also|"
                    r"meanwhile|moreover|for (?:its|their|his|her|our) part|in principle|of course|"
                    r"if necessary|if needed|if asked)\s*,(?=\s)")


def _unquoted(low: str) -> tuple[str, list[int]]:
    """The text without double quotation marks and comma-set sentence adverbs, and where each
    of its offsets was in `low`: `at[i]` for i in 0..len(text) (only the removed characters'
    positions are stored)."""
    asides = _ASIDE.finditer(low) if low.count(",") >= 2 else ()    # an aside has two commas
    gone = [i for m in asides for i in range(m.start(), m.end())] + \
        [m.start() for m in _QUOTE_MARKS.finditer(low)]
    if not gone:
        return low, _Identity()
    gone = sorted(set(gone))
    pieces = [low[a + 1:b] for a, b in zip([-1] + gone, gone + [len(low)])]   # between removals
    return "".join(pieces), _Shifted([p - j for j, p in enumerate(gone)])


class _Identity:
    def __getitem__(self, i: int) -> int:
        return i


class _Shifted:
    """Offset in the text with marks from the offset without: each removed mark before it
    shifts it by one."""

    def __init__(self, adjusted: list[int]):
        self.adjusted = adjusted

    def __getitem__(self, i: int) -> int:
        return i + bisect_right(self.adjusted, i)


def _after_third_space(sentence: str) -> int:
    at = -1
    for _ in range(3):
        at = sentence.find(" ", at + 1)
        if at < 0:
            return len(sentence)
    return at + 1


def find_cues(sentence: str) -> list[Cue]:
    """Every stance cue, leftmost-longest, with the polarity negation gives it."""
    low, at = _unquoted(sentence.lower())
    found: list[tuple[int, int, CueRule, bool]] = []
    for rule in _rules_for(low):
        # A rule with `before` fits only after at most three words, each followed by one space:
        # no later match can pass, so the scan stops there (at[i] >= i).
        last = len(low) if rule.before is None else _after_third_space(sentence)
        for m in rule.pattern.finditer(low):
            if m.start() > last:
                break
            if any(s < m.end() and m.start() < e for s, e, _, _ in found):
                continue
            if rule.before is not None and not rule.before.fullmatch(sentence, 0, at[m.start()]):
                continue
            if _PARTICIPLE.match(m.group(0)) and (_ADJECTIVAL.search(low[:m.start()]) or
                                                 _TO_BE.search(low[:m.start()])):
                continue    # "the promised sanctions": a participle used as an adjective;
                            # "the guarantees to be pledged": what others will pledge
            negated = negated_before(low, m.start()) or \
                (rule.relation is Relation.COMMITS and negated_inside(low[m.start():m.end()]))
            found.append((m.start(), m.end(), rule, negated))
    cues = []
    for s, e, rule, negated in found:
        start, end = at[s], at[e - 1] + 1
        cues.append(Cue(start, end, sentence[start:end], rule.relation, rule.strength, negated,
                        rule.modal, rule.deontic))
    cues.sort(key=lambda c: c.start)
    return _merge_verb_groups(sentence.lower(), cues)


def _merge_verb_groups(low: str, cues: list[Cue]) -> list[Cue]:
    """Adjacent cues are one verb group: "ready to commit", "hesitant to send". A refusal of a
    refusal ("refused to rule out") leaves the question open; a possibility stays one."""
    out: list[Cue] = []
    for cue in cues:
        prev = out[-1] if out else None
        gap = _QUOTE_MARKS.sub("", low[prev.end:cue.start]) if prev is not None else ""
        if prev is None or not _MERGE_VERB_GROUPS_1.fullmatch(gap):
            out.append(cue)
            continue
        text = prev.text + low[prev.end:cue.start] + cue.text
        if prev.relation is Relation.REFUSES and cue.relation is Relation.REFUSES and not prev.negated:
            out[-1] = Cue(prev.start, cue.end, text, Relation.REFUSES, 0.6, True)
        else:
            relation = prev.relation if prev.relation is not Relation.COMMITS else cue.relation
            out[-1] = Cue(prev.start, cue.end, text, relation, max(prev.strength, cue.strength),
                          prev.negated or cue.negated, prev.modal or cue.modal,
                          prev.deontic or cue.deontic)
    return out


def effective_relation(cue: Cue) -> Relation | None:
    """Polarity after negation (see negation.polarity); a negated consideration or plan ("is
    not considering sending troops") is a refusal."""
    if cue.negated and cue.relation is Relation.UNDECIDED and \
            _EFFECTIVE_RELATION_1.match(cue.text.lower()):
        return Relation.REFUSES
    if cue.negated and cue.modal and cue.relation is Relation.COMMITS:
        return Relation.REFUSES      # "cannot send", "could not contribute"
    return polarity(cue.relation, cue.negated, cue.text)
