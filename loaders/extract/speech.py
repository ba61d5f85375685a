"""Reported speech: who speaks in a sentence, what the position is in a few words, and who
else is cited for it ("according to the FT")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .mentions import Mention, quoted_spans
from .wordsets import trie_alternation

# Patterns of the rules below, compiled once.
_PARTICIPLE_SUBJECT_1 = re.compile(r",\s*$")
_SUBJECT_BEFORE_1 = re.compile(r"[.;]|\bthat\b|\bwho\b|\bwhich\b")
_GAP_IS_APPOSITION_OR_ADVERB_1 = re.compile(
    r"(?:,\s*)?(?:\w+ly|also|then|later|previously|earlier|again|has|have|had|"
    r"was|is|once|on \w+(?: \d+)?|in (?:a|an|his|her) [\w ]+)(?:\s+\w+ly)?(?:\s+has|\s+have)?")
_GAP_IS_APPOSITION_OR_ADVERB_2 = re.compile(
    r"(?:\w+\s+){0,2}(?:has|have|had|also|previously|later)")
_SUBJECT_AFTER_1 = re.compile(r"ing\s*$")
_SUBJECT_AFTER_2 = re.compile(r"[”\"’,]\s*$")
_SUBJECT_AFTER_3 = re.compile(r"[,.;]")
_AFTER_QUOTE_1 = re.compile(r"[”\"],?\s+\w+\s*$")
_AFTER_QUOTE_2 = re.compile(r",\s*\w+$")

SPEECH_VERBS = (
    "said", "says", "say", "saying", "stated", "states", "stating", "told", "tells", "announced",
    "announces", "declared", "declares", "added", "adds", "noted", "notes", "insisted", "insists",
    "warned", "warns", "emphasised", "emphasized", "emphasises", "emphasizes", "stressed",
    "stresses", "argued", "argues", "claimed", "claims", "indicated", "indicates", "confirmed",
    "confirms", "explained", "wrote", "writes", "outlined", "highlighted", "urged", "urges",
    "described", "responded", "replied", "asserted", "acknowledged", "reiterated", "underlined",
    "called for", "does not think", "doesn't think", "doesn’t think", "did not think",
    "didn't think", "didn’t think", "thinks", "believes", "expected", "expects")
# As a trie ("sa(?:id|y(?:s|ing)?)"): one comparison per letter instead of one per verb form.
SPEECH_VERB = re.compile(rf"\b(?:{trie_alternation(SPEECH_VERBS)})\b")
SPEECH_NOUN = re.compile(r"^['’]s\s+(?:\w+\s+){0,2}?(?:comments?|remarks?|statement|words|"
                         r"warning|position|view|assessment|speech|address)\b")
ACCORDING_TO = re.compile(r"\b[Aa]ccording to\s+(?:the\s+)?")
REPORTS = re.compile(r"(?:^|,\s*|\s)(?:the\s+)?((?:[A-Z][\w.&'’/-]*\s?){1,6}?)\s+(?:reports?|reported)\b")
def _according_to(sentence: str):
    """ACCORDING_TO's matches; none without the words every match holds."""
    return ACCORDING_TO.finditer(sentence) if "ccording to" in sentence else ()


_OUTLET_NAME = re.compile(r"(?:the\s+)?((?:[A-Z][\w.&'’/-]*)(?:\s+[A-Z][\w.&'’/-]*){0,5})")


@dataclass(frozen=True)
class Speaker:
    """A mention that speaks in the sentence and where its reported content starts."""

    mention: Mention
    content_start: int      # offset in the sentence where the reported content begins
    content_end: int
    how: str                # "verb" | "according" | "possessive" | "colon"


def find_speakers(sentence: str, mentions: list[Mention],
                  quotes: list[tuple[int, int]] | None = None) -> list[Speaker]:
    """Mentions that are the subject (or inverted subject) of a speech verb, "according to X",
    or "X's comments that ..."; `quotes` are the quotation parts inside the sentence (from the
    whole body: a quotation may open in an earlier sentence)."""
    out: list[Speaker] = []
    quotes = _quote_spans(sentence) if quotes is None else list(quotes)
    mentions = [m for m in mentions if not any(a < m.start < b for a, b in quotes)]
    mentions = [m for m in mentions if m.how not in ("demonym", "demonym-title", "count", "we")]
    for verb in SPEECH_VERB.finditer(sentence):
        if any(a <= verb.start() < b for a, b in quotes):
            continue
        subject = _subject_before(sentence, mentions, verb.start()) or \
            _subject_after(sentence, mentions, verb.end()) or \
            _participle_subject(sentence, mentions, verb)
        if subject is not None:
            quote_first = bool(quotes) and quotes[0][1] <= min(subject.start, verb.start())
            content = _content(sentence, verb.end(), quotes,
                               before=subject.start > verb.start() or quote_first)
            tail = _reporting_tail(sentence, min(subject.start, verb.start()), verb.end())
            if tail is not None and not quote_first:
                content = tail
            out.append(Speaker(subject, *content, how="verb"))
    for m in _according_to(sentence):
        hit = next((x for x in mentions if x.start == m.end()
                    or (x.start > m.end() and not re.search(r"[,.;“\"]", sentence[m.end():x.start])
                        and len(sentence[m.end():x.start].split()) <= 5)), None)
        if hit is not None:
            rest = sentence.find(",", hit.end)
            start = rest + 1 if rest >= 0 else hit.end
            out.append(Speaker(hit, start, len(sentence), "according"))
    for x in mentions:
        noun = SPEECH_NOUN.match(sentence[x.end - 2 if x.text.endswith(("'s", "’s")) else x.end:])
        content = re.match(r"[^.;]{0,40}?\bthat\b", sentence[x.end:]) if noun else None
        if content is not None:         # "X's remarks that …"; "X's speech at …" says nothing
            out.append(Speaker(x, x.end + content.end(), len(sentence), "possessive"))
    seen, unique = set(), []
    for s in out:
        if id(s.mention) not in seen:
            seen.add(id(s.mention))
            unique.append(s)
    return unique


def _participle_subject(sentence: str, mentions: list[Mention], verb) -> Mention | None:
    """"X commented on politics, stating that …": the participle's subject is the sentence's."""
    if not verb.group().endswith("ing") or \
            not _PARTICIPLE_SUBJECT_1.search(sentence[:verb.start()]):
        return None
    first = next((m for m in mentions if m.start < verb.start()), None)
    return first if first is not None and first.start < 40 else None


def _reporting_tail(sentence: str, start: int, verb_end: int) -> tuple[int, int] | None:
    """"X pledged troops, Macron told a news conference.": the content is the clause before."""
    comma = sentence.rfind(",", 0, start)
    if comma < 0 or sentence[comma:start].count(" ") > 6:
        return None
    rest = sentence[verb_end:].strip(" .")
    if len(rest.split()) > 5 or re.search(r"\bthat\b|[“\"]", rest):
        return None
    return 0, comma


def _subject_before(sentence: str, mentions: list[Mention], verb_start: int) -> Mention | None:
    """The nearest mention before the verb with no other clause in between."""
    best = None
    for m in mentions:
        if m.end <= verb_start:
            gap = _RELATIVE_ASIDE.sub(",", sentence[m.end:verb_start])   # "X, who …, said"
            if len(gap) > 90 or _SUBJECT_BEFORE_1.search(gap):
                continue
            if _PLACE_BEFORE.search(sentence, 0, m.start):
                continue        # "X, who attended the summit in Paris, said": Paris is a place
            if _gap_is_apposition_or_adverb(gap):
                best = m
    return best


_RELATIVE_ASIDE = re.compile(r"^\s*,\s*(?:who|whose)\b[^,;.“”\"]{0,120},\s*(?=\S*$)")
_PLACE_BEFORE = re.compile(r"\b(?:in|at|from|to|with|near|into|toward|towards)\s+(?:the\s+)?$", re.I)


def _gap_is_apposition_or_adverb(gap: str) -> bool:
    g = gap.strip()
    if not g:
        return True
    if g.startswith(",") and g.endswith(","):
        return True          # ", the leader of the US, ... ,"
    if _GAP_IS_APPOSITION_OR_ADVERB_1.fullmatch(g):
        return True
    return bool(_GAP_IS_APPOSITION_OR_ADVERB_2.fullmatch(g))


def _subject_after(sentence: str, mentions: list[Mention], verb_end: int) -> Mention | None:
    """Inverted order after quoted speech: "…,” said the Russian president" (never after a
    participle: "…, stating that Trump has …" names what was stated about Trump)."""
    if _SUBJECT_AFTER_1.search(sentence[:verb_end]):
        return None
    if not _SUBJECT_AFTER_2.search(sentence[:max(0, verb_end - 12)].rstrip()[-3:] or "x") and \
            not _after_quote(sentence, verb_end):
        return None
    for m in mentions:
        if m.start >= verb_end and len(sentence[verb_end:m.start].split()) <= 4 \
                and not _SUBJECT_AFTER_3.search(sentence[verb_end:m.start]):
            return m
    return None


def _after_quote(sentence: str, verb_end: int) -> bool:
    before = sentence[:verb_end]
    return bool(_AFTER_QUOTE_1.search(before) or _AFTER_QUOTE_2.search(before))


def _content(sentence: str, verb_end: int, quotes: list[tuple[int, int]], before: bool) -> tuple[int, int]:
    """Where the reported content is: a quotation if there is one, else the that-clause."""
    if before and quotes:
        a, b = quotes[0]
        return a, b
    after = [q for q in quotes if q[0] >= verb_end]
    that = re.match(r"[^,.;“\"]{0,60}?\bthat\s+", sentence[verb_end:])
    start = verb_end + (that.end() if that else len(sentence[verb_end:]) - len(sentence[verb_end:].lstrip()))
    if after and after[0][0] - start < 3:
        return after[0]
    return start, len(sentence)


def _quote_spans(sentence: str) -> list[tuple[int, int]]:
    """Closed quotations only (an unclosed one has no end to attribute)."""
    spans = quoted_spans(sentence)
    if spans and (sentence[spans[-1][1] - 1] not in "”\"" or spans[-1][1] - spans[-1][0] < 2):
        spans.pop()
    return spans


def position_text(sentence: str, start: int, end: int, max_words: int = 12) -> str:
    """A few words of the reported content, quotation marks and tail clauses trimmed."""
    text = sentence[start:end]
    text = re.split(r",\s+(?:citing|pointing|noting|adding|saying|calling|according|despite|"
                    r"while|which|as)\b|\s+—\s+|;\s", text)[0]
    text = re.sub(r"[“”\"‘’«»]|\[…\]|\.\.\.", "", text).strip(" ,.:;")
    words = text.split()
    return " ".join(words[:max_words]) if words else ""


def claimer_in(sentence: str, actor_labels: set[str], known_labels: set[str]) -> str | None:
    """Who the sentence cites for its content: "according to the FT", "Radio Free Europe
    reports" (an outlet or a person not the actor)."""
    for m in _according_to(sentence):
        name = _OUTLET_NAME.match(sentence, m.end())
        if name:
            label = name.group(1).strip()
            if label and label not in actor_labels and label.lower() not in ("him", "her", "them"):
                return label
    m = REPORTS.search(sentence) if "report" in sentence else None    # a word every match has
    if m:
        label = m.group(1).strip()
        if label and label not in actor_labels and label not in known_labels:
            return label
    return None
