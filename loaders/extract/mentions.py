"""Find the actors a sentence names: gazetteer names, aliases and demonyms, pronouns, office
titles ("the Ukrainian president"), "we" in quoted speech, and counted groups ("26 countries")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from stancegraph.ontology.gazetteer import Entity, Gazetteer

from .wordsets import whole_words

# Patterns of the rules below, compiled once.
_DEMONYM_IS_A_PERSON_TITLE_1 = re.compile(
    r"\s+(?:[A-Z][\w-]*\s+){0,3}(?:President|Prime|Minister|Chancellor|"
    r"Foreign|Defen[cs]e|Secretary|Vice|Deputy|Ambassador|Spokes\w+|"
    r"leader|president|prime|foreign|defen[cs]e|officials?|diplomats?|"
    r"publications?|media|newspapers?|press|outlets?)\b")
_FIND_PRONOUNS_1 = re.compile(r"\s+(?:comes|came)\s+to\b")

NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50,
}
_NUM = r"(?:\d{1,3}|(?:twenty|thirty|forty|fifty)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|" + \
       "|".join(k for k in NUMBER_WORDS if k not in ("twenty", "thirty", "forty", "fifty")) + ")"
COUNT_GROUP = re.compile(
    rf"\b(?:(?:some|about|around|nearly|almost|more than|over|at least)\s+)?({_NUM})\s+"
    r"(?:countries|nations|states|allies|governments|members)\b", re.IGNORECASE)
_PREPOSITION_BEFORE = re.compile(r"\b(?:with|of|from|among|for|by|to|between|out of|than)\s+$", re.I)

PRONOUNS = {"he": "Person", "she": "Person", "him": "Person", "her": "Person",
            "it": "Country", "they": "Country"}
_PRONOUN = re.compile(r"\b(he|she|it|they)\b", re.IGNORECASE)
_EXPLETIVE = re.compile(
    r"\s+(?:is|was|'s|’s|has been|had been|will be|would be|seems|seemed|appears|appeared|remains)"
    r"\s+(?:not\s+)?(?!(?:ready|prepared|willing|set|poised|committed|determined|unwilling)\b)"
    r"(?:\w+ed|\w+en|important|impossible|possible|clear|unclear|likely|unlikely|time|"
    r"necessary|essential|hard|difficult|easy|true|known|understood|said|thought|too|premature)\b",
    re.I)
_GOVERNMENT = re.compile(r"\b[Tt]he (?:(?i:government|cabinet|administration|(?:foreign|defen[cs]e) "
                         r"ministry|ministry of (?:foreign affairs|defen[cs]e))|country|"
                         r"(?:[A-Z][a-z]+ )(?:state|country|nation)|island nation|alpine nation)\b"
                         r"(?!\s+(?:of|in)\b)")
_WE = re.compile(r"\b(we|we're|we’re|we've|we’ve|we'll|we’ll)\b|"
                 # "our soldiers", "my government": the speaker's own side, not "our partners"
                 r"\b(?:our|my)(?=\s+(?:own\s+)?(?:country|government|nation|state|soldiers|troops|"
                 r"forces|army|military|armed|servicemen|personnel|contingent|side|navy|"
                 r"air force|jets|pilots|instructors|ships|frigates)\b)", re.IGNORECASE)

ROLE_WORDS = {
    "president": ("president",), "prime minister": ("prime minister", "premier", "pm"),
    "chancellor": ("chancellor",), "taoiseach": ("taoiseach",),
    "foreign minister": ("foreign minister", "foreign secretary", "secretary of state"),
    "defence minister": ("defence minister", "defense minister", "defence secretary",
                         "defense secretary", "secretary of defence", "secretary of war"),
    "secretary-general": ("secretary-general", "secretary general"),
    "spokesman": ("spokesman", "spokeswoman", "spokesperson"),
}
_ROLE_WORDS = "|".join(sorted((w for ws in ROLE_WORDS.values() for w in ws), key=len, reverse=True))
_ROLE = re.compile(r"\b[Tt]he\s+((?:[A-Z][a-z]+\s+)?)((?i:" + _ROLE_WORDS + r"))\b(?!\s+[A-Z])")
# "Hungary's prime minister", "the United Kingdom's defence secretary" (no name after it).
_ROLE_OF = re.compile(r"\b((?:[A-Z][a-z]+\s+)?[A-Z][a-z]+)['’]s\s+((?i:" + _ROLE_WORDS +
                      r"))\b(?!\s+[A-Z])")


@dataclass(frozen=True)
class Mention:
    """A place in a sentence that names or points to an actor."""

    start: int          # offsets relative to the sentence
    end: int
    text: str
    entity: Entity | None       # resolved gazetteer entity, if any
    how: str            # "name" | "alias" | "demonym" | "pronoun" | "role" | "we" | "count"
    count: int | None = None    # for "26 countries"


_WORD = re.compile(r"\w+")
_POSSESSIVE = ("'s", "’s")


@lru_cache(maxsize=4)
def _name_index(gazetteer: Gazetteer) -> dict[str, tuple[tuple[str, str, str], ...]]:
    """First word of every name, alias and demonym -> (form, IRI, kind), longest form first.
    A word look-up per token is much faster than one regex with a thousand alternatives."""
    forms: dict[str, tuple[str, str]] = {}
    for surface, iri, kind in gazetteer.surface_forms():
        s = surface.strip()
        if len(s) < 2:
            continue
        forms.setdefault(s, (iri, kind))
        if s.lower().startswith("the "):
            forms.setdefault(s[4:], (iri, kind))
    index: dict[str, list[tuple[str, str, str]]] = {}
    for form, (iri, kind) in forms.items():
        first = _WORD.match(form)
        if first is not None and first.start() == 0:
            index.setdefault(first.group(), []).append((form, iri, kind))
    return {w: tuple(sorted(c, key=lambda f: (-len(f[0]), f[0]))) for w, c in index.items()}


_UPPER_INITIAL = re.compile("[A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250))
                                             if c.isupper()) + "]")


@lru_cache(maxsize=4)
def _name_start_pattern(gazetteer: Gazetteer) -> re.Pattern[str]:
    """Words a name can start with, as whole words: capitalised ones (Latin capitals), and the
    few lower-case first words of aliases ("coalition of the willing")."""
    return whole_words(w for w in _name_index(gazetteer)
                       if _UPPER_INITIAL.match(w) or not w[:1].isupper())


def find_names(sentence: str, gazetteer: Gazetteer) -> list[Mention]:
    """Gazetteer names, aliases and demonyms, longest match first, case-sensitive; a trailing
    possessive ("Italy's") belongs to the mention."""
    index = _name_index(gazetteer)
    out: list[Mention] = []
    taken_to = 0
    for w in _name_start_pattern(gazetteer).finditer(sentence):
        start = w.start()
        if start < taken_to:
            continue
        if start and sentence[start - 1] == "-":
            continue
        for form, iri, kind in index[w.group()]:
            if not sentence.startswith(form, start):
                continue
            end = start + len(form)
            if sentence.startswith(_POSSESSIVE, end):
                end += 2
            if end < len(sentence) and (sentence[end].isalnum() or sentence[end] in "_-"):
                continue
            entity = gazetteer.get(iri)
            if entity is None:
                continue
            if kind == "demonym" and _demonym_is_a_person_title(sentence, end):
                kind = "demonym-title"
            out.append(Mention(start, end, sentence[start:end], entity, kind))
            taken_to = end
            break
    return out


def _demonym_is_a_person_title(sentence: str, end: int) -> bool:
    """"French President Emmanuel Macron": the demonym introduces a person, it is no actor."""
    return bool(_DEMONYM_IS_A_PERSON_TITLE_1.match(sentence[end:]))


def find_counts(sentence: str) -> list[Mention]:
    """Counted unnamed groups that act as a subject: "26 countries have committed"."""
    out = []
    low = sentence.lower()
    if not any(w in low for w in ("countr", "nation", "states", "allies", "governments",
                                  "members")):
        return out
    for m in COUNT_GROUP.finditer(sentence):
        if _PREPOSITION_BEFORE.search(sentence[:m.start()]):
            continue
        word = m.group(1).lower().replace(" ", "-")
        if word.isdigit():
            n = int(word)
        else:
            parts = word.split("-")
            n = sum(NUMBER_WORDS.get(p, 0) for p in parts) + (
                {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9}.get(parts[-1], 0) if len(parts) > 1 else 0)
        out.append(Mention(m.start(), m.end(), m.group(0), None, "count", n))
    return out


def find_pronouns(sentence: str, taken: list[Mention]) -> list[Mention]:
    """Third-person pronouns standing where no name stands."""
    out = []
    for m in _PRONOUN.finditer(sentence):
        if any(t.start <= m.start() < t.end for t in taken):
            continue
        word = m.group(1).lower()
        if word == "it" and (_EXPLETIVE.match(sentence[m.end():]) or
                             _FIND_PRONOUNS_1.match(sentence[m.end():])):
            continue    # expletive: "it is important that ...", "when it comes to ..."
        out.append(Mention(m.start(), m.end(), m.group(0), None, "pronoun"))
    return out


def find_roles(sentence: str, taken: list[Mention]) -> list[Mention]:
    """Office titles used as names: "the president", "the Ukrainian president"; and "the
    government" standing for the country last named (resolved like "it")."""
    out = [Mention(m.start(), m.end(), m.group(0), None, "government")
           for m in _GOVERNMENT.finditer(sentence)
           if not any(t.start < m.end() and m.start() < t.end for t in taken)]
    for m in _ROLE.finditer(sentence):
        if any(t.start < m.end() and m.start() < t.end for t in taken
               if t.how not in ("demonym", "demonym-title")):
            continue
        out.append(Mention(m.start(), m.end(), m.group(0), None, "role"))
    # The country's own name may be taken: the title holder replaces it. (Every match has
    # a possessive 's: without one, no scan.)
    possessive = "'s" in sentence or "’s" in sentence
    for m in _ROLE_OF.finditer(sentence) if possessive else ():
        if any(t.start < m.end() and m.start() < t.end for t in taken
               if not (t.entity is not None and t.entity.type == "Country" and
                       t.start >= m.start() and t.end <= m.start(2))):
            continue
        out.append(Mention(m.start(), m.end(), m.group(0), None, "role"))
    return out


def find_we(sentence: str, quoted: list[tuple[int, int]]) -> list[Mention]:
    """First-person plural inside quoted speech: the speaker's side."""
    if not quoted:
        return []
    return [Mention(m.start(), m.end(), m.group(0), None, "we")
            for m in _WE.finditer(sentence) if any(a <= m.start() < b for a, b in quoted)]


_QUOTE_MARK = re.compile(r'[“”"]')


def quoted_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans inside double quotation marks (curly or straight); an unclosed one runs to the end."""
    spans, open_at = [], None
    for m in _QUOTE_MARK.finditer(sentence):
        ch, i = m.group(), m.start()
        if ch == "“" or (ch == '"' and open_at is None):
            open_at = i
        elif open_at is not None:
            spans.append((open_at, i + 1))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(sentence)))
    return spans


def role_key(text: str) -> tuple[str | None, str]:
    """("Ukrainian", "president") from "the Ukrainian president", ("Hungary", "prime minister")
    from "Hungary's prime minister"."""
    owner = re.match(r"(?:[Tt]he\s+)?(.+?)['’]s\s+(.+)$", text)
    if owner:
        rest = " ".join(owner.group(2).lower().split())
        return owner.group(1), next((role for role, variants in ROLE_WORDS.items()
                                     if rest in variants), rest)
    words = text.split()[1:]
    qualifier = words[0] if len(words) > 1 and words[0][:1].isupper() and \
        words[0].lower() not in ("prime", "foreign", "defence", "defense", "secretary") else None
    rest = " ".join(words[1:] if qualifier else words).lower()
    for role, variants in ROLE_WORDS.items():
        if rest in variants:
            return qualifier, role
    return qualifier, rest


def office_matches(entity: Entity, role: str, on: date) -> bool:
    """Does the person hold an office of this kind at that date? Whole words only: "the
    president" is not the head of the presidential office, nor a vice or deputy."""
    variants = (role, *ROLE_WORDS.get(role, ()))
    for office in entity.offices:
        name = office.role.lower().replace("defense", "defence")
        if re.search(r"\b(?:vice|deputy)\b", name) and not re.search(r"\b(?:vice|deputy)\b", role):
            continue
        if any(re.search(rf"\b{re.escape(v.replace('defense', 'defence'))}\b", name) for v in variants):
            if office.held_on(on):
                return True
    return False
