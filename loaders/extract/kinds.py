"""Find commitment kinds in text, using the phrases the ontology's SKOS scheme gives each kind."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from stancegraph.ontology.kinds import Kind, load_kinds

# Object words that point back to a kind named elsewhere ("ruled out participation").
ANAPHORIC_OBJECT = re.compile(
    r"\b(?:participation|participate|participating|involvement|commitments?|contributions?|"
    r"contribute|take part|taking part|join(?:ing)?|this step|that step|such a step|"
    r"a decision|any decision|the decision|decision either way|position|stance|plans?|"
    r"the (?:force|mission|deployment))\b", re.IGNORECASE)
# A kind word owned by someone else ("Chinese participation", "Lavrov's demands") is no object.
_OWNED = re.compile(r"(?:[A-Z][a-z]+(?:['’]s)?|\bits|\btheir|\bhis|\bher)\s+$")


@dataclass(frozen=True)
class KindMention:
    start: int
    end: int
    kind: Kind


@lru_cache(maxsize=1)
def _kind_pattern() -> tuple[re.Pattern[str], dict[str, Kind]]:
    phrases: dict[str, Kind] = {}
    for kind in load_kinds():
        for phrase in (kind.label, *kind.phrases):
            p = phrase.lower().strip()
            if p:
                phrases.setdefault(p, kind)
    alts = sorted(phrases, key=len, reverse=True)
    body = "|".join(re.escape(a).replace(r"\ ", r"[\s-]+") for a in alts)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE), phrases


def find_kinds(sentence: str) -> list[KindMention]:
    """Kind phrases in the sentence, longest match first."""
    pattern, phrases = _kind_pattern()
    out = []
    for m in pattern.finditer(sentence):
        key = re.sub(r"[\s-]+", " ", m.group(0).lower())
        kind = phrases.get(key) or phrases.get(m.group(0).lower())
        if kind is None:
            kind = next((k for p, k in phrases.items() if re.sub(r"[\s-]+", " ", p) == key), None)
        if kind is not None:
            out.append(KindMention(m.start(), m.end(), kind))
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
