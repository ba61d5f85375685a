"""Find commitment kinds in text, using the phrases the ontology's SKOS scheme gives each kind."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from stancegraph.ontology.kinds import Kind, load_kinds

from .wordsets import whole_words

# Object words that point back to a kind named elsewhere ("ruled out participation").
ANAPHORIC_OBJECT = re.compile(
    r"\b(?:participation|participate|participating|involvement|commitments?|contributions?|"
    r"contribute|take part|taking part|join(?:ing)?|this step|that step|such a step|"
    r"a decision|any decision|the decision|decision either way|position|stance|"
    r"the (?:force|mission|deployment)|role|deployment|it)\b", re.IGNORECASE)
# A kind word owned by someone else ("Chinese participation", "Lavrov's demands") is no object.
_OWNED = re.compile(r"(?:[A-Z][a-z]+['’]s|\btheir|\bhis|\bher)\s+$")


@dataclass(frozen=True)
class KindMention:
    start: int
    end: int
    kind: Kind


_WORD = re.compile(r"\w+")


# A kind word used as another part of speech: "contingent on a deal" is a condition.
_NOT_A_KIND = {"contingent": re.compile(r" (?:on|upon)\b")}


# A kind word that only names a topic: "a peacekeeping plan", "air defence talks".
_TOPIC_NOUN = re.compile(r" (?:plans?|proposals?|talks|summits?|meetings?|conferences?|debates?|"
                         r"discussions?|ideas?|issues?|questions?|format|process|efforts|concept)\b")


def _norm(text: str) -> str:
    """Lower case with hyphens as spaces: same length, so offsets carry over."""
    return text.lower().replace("-", " ")


@lru_cache(maxsize=1)
def _kind_index() -> dict[str, tuple[tuple[str, Kind], ...]]:
    """First word of every kind phrase (SKOS labels) -> (phrase, kind), longest first."""
    phrases: dict[str, Kind] = {}
    for kind in load_kinds():
        for phrase in (kind.label, *kind.phrases):
            p = " ".join(_norm(phrase).split())
            if p:
                phrases.setdefault(p, kind)
    index: dict[str, list[tuple[str, Kind]]] = {}
    for phrase, kind in phrases.items():
        index.setdefault(_WORD.match(phrase).group(), []).append((phrase, kind))
    return {w: tuple(sorted(c, key=lambda x: (-len(x[0]), x[0]))) for w, c in index.items()}


@lru_cache(maxsize=1)
def _first_words() -> re.Pattern[str]:
    """The words a kind phrase starts with, as whole words: the only words worth a look-up."""
    return whole_words(_kind_index())


def find_kinds(sentence: str) -> list[KindMention]:
    """Kind phrases in the sentence (case-insensitive, "air-defence" = "air defence"), longest
    match first."""
    index = _kind_index()
    low = _norm(sentence)
    out: list[KindMention] = []
    taken_to = 0
    for w in _first_words().finditer(low):
        start = w.start()
        candidates = index[w.group()]
        if start < taken_to or (start and sentence[start - 1] == "-"):
            continue
        for phrase, kind in candidates:
            end = start + len(phrase)
            if low.startswith(phrase, start) and (end == len(low) or not
                                                  (low[end].isalnum() or sentence[end] in "_-")) \
                    and not (phrase in _NOT_A_KIND and _NOT_A_KIND[phrase].match(low, end)) \
                    and not _TOPIC_NOUN.match(low, end):
                out.append(KindMention(start, end, kind))
                taken_to = end
                break
    return out


def has_anaphoric_object(text: str) -> bool:
    """Does this stretch name its object only by reference ("participation", "this step")?"""
    for m in ANAPHORIC_OBJECT.finditer(text):
        if not _OWNED.search(text[:m.start()]):
            return True
    return False


def kind_by_name(name: str) -> Kind | None:
    return next((k for k in load_kinds() if k.name == name), None)


def specific_kinds(kinds: list[Kind]) -> list[Kind]:
    """Security guarantees are the umbrella: drop it when a specific kind is named too."""
    names = {k.name for k in kinds}
    if len(names) > 1:
        kinds = [k for k in kinds if k.name != "SecurityGuarantee"]
    seen, out = set(), []
    for k in kinds:
        if k.name not in seen:
            seen.add(k.name)
            out.append(k)
    return out
