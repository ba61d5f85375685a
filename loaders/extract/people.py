"""People the gazetteer does not know, recognised by their titles: "Czech Defence Minister Jana
Novak", "Jana Novak, the Czech defence minister,", "opposition leader Peter Dutton", "Lord
Dannatt, a former head of the army". Office-holders speak for the country their title names
(or the article's country); people outside government (opposition and party leaders, former
officials, retired officers, peers) speak for no one and are never merged into a country.
A person keeps one stable IRI minted from the name; later "Novak" / "Mr Novak" in the same
article is the same person."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from stancegraph.ontology.gazetteer import Entity, Gazetteer, Office
from stancegraph.ontology.vocab import ID_IRI

from .wordsets import trie_alternation

# Patterns of the rules below, compiled once.
_FIND_TITLED_PEOPLE_1 = re.compile(
    r"[^,.;:“”\"]{0,60}?(?:,|\.|;|\)|$|\swho\b|\sand\b|"
    r"\ssaid\b|\ssays\b)")
_FIND_TITLED_PEOPLE_2 = re.compile(r"\s+of\s+(?:the\s+)?")
_TITLE_WORD_FOLLOWS_1 = re.compile(r"['’]s\b")
_PLACE_ENDING_AT_1 = re.compile(r"(?:['’]s)?\s+")
_TRIM_NAME_1 = re.compile(r"['’]s$")

_UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
_WORD = rf"[{_UPPER}][\w'’.-]*[\w.]|[{_UPPER}]\."
_PARTICLE = r"(?:de|da|di|do|dos|du|del|della|van|von|der|den|ter|la|le|bin|al|el)"
NAME = rf"(?:{_WORD})(?:\s+(?:{_PARTICLE}\s+)?(?:{_WORD})){{0,3}}"

# Government titles -> the role they stand for (the gazetteer's role names).
GOV_TITLES = {
    "prime minister": "Prime Minister", "premier": "Prime Minister", "pm": "Prime Minister",
    "president": "President", "chancellor": "Chancellor", "taoiseach": "Taoiseach",
    "tánaiste": "Tánaiste", "tanaiste": "Tánaiste", "deputy prime minister": "Deputy Prime Minister",
    "vice president": "Vice President", "vice-president": "Vice President",
    "foreign minister": "Foreign Minister", "foreign affairs minister": "Foreign Minister",
    "minister of foreign affairs": "Foreign Minister", "minister for foreign affairs": "Foreign Minister",
    "foreign secretary": "Foreign Minister", "secretary of state": "Foreign Minister",
    "defence minister": "Defence Minister", "defense minister": "Defence Minister",
    "minister of defence": "Defence Minister", "minister of defense": "Defence Minister",
    "minister for defence": "Defence Minister", "minister of national defence": "Defence Minister",
    "minister of national defense": "Defence Minister", "defence secretary": "Defence Minister",
    "defense secretary": "Defence Minister", "secretary of defense": "Defence Minister",
    "secretary of war": "Defence Minister", "war secretary": "Defence Minister",
    "interior minister": "Interior Minister", "minister": "Minister",
    "spokesperson": "Spokesperson", "spokesman": "Spokesperson", "spokeswoman": "Spokesperson",
    "special envoy": "Special Envoy", "envoy": "Special Envoy", "ambassador": "Ambassador",
    "national security adviser": "National Security Adviser",
    "national security advisor": "National Security Adviser",
    "chief of staff": "Chief of Staff", "chief of defence": "Chief of Defence",
    "king": "Head of State", "queen": "Head of State",
}
# Titles that name their country themselves.
TITLE_COUNTRY = {"taoiseach": "IRL", "tánaiste": "IRL", "tanaiste": "IRL"}
# Titles of people who hold no government office: their words are their own.
OUTSIDE_TITLES = (
    r"opposition leader|leader of the opposition|(?:opposition |main opposition )?party leader|"
    r"(?:former|ex-|retired|then-)\s*(?:\w+\s+){0,4}?(?:\w+)|retired general|general|lord|"
    r"(?:opposition )?(?:mp|lawmaker|senator|deputy|member of parliament|candidate)|analyst|"
    r"expert|professor|chairman|chairwoman|chair|leader"
)
# The government titles as a trie ("prime minister", "premier", "pm" share "p"): at each word
# the longest title that fits is tried first, as with the titles listed longest first.
_GOV = trie_alternation(GOV_TITLES)
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sir|Dame|Lord|Lady)\.?\s+$")


@dataclass(frozen=True)
class TitledPerson:
    """A person named with a title in one sentence (offsets relative to the sentence)."""

    start: int
    end: int
    entity: Entity


_TITLE = re.compile(rf"(?i:\b(?:{_GOV}|{OUTSIDE_TITLES})\b)")
_NAME_AFTER = re.compile(rf"\s*,?\s*(?P<hon>(?:Mr|Mrs|Ms|Dr|Sir|Dame|Lord|Lady|Baroness)\.?\s+)?"
                         rf"(?P<name>{NAME})")
_OF_PLACE = re.compile(r"\s+of\s+(?:the\s+)?$|\s+of\s+(?:the\s+)?(?=\S)")
_APPOSITION_HEAD = re.compile(r",\s+(?:the\s+|a\s+|an\s+|who is (?:the\s+)?)?$")
# "the leader of Poland's largest opposition party, Jarosław Kaczyński," / "a former head of the
# army, Lord Dannatt,": a title phrase, then the name set off by commas.
_NAMED_AFTER_PHRASE = re.compile(
    rf"(?:\s+of\s+[^,.;:“”\"]{{1,60}}?)?,\s+(?P<hon>(?:Mr|Mrs|Ms|Dr|Sir|Dame|Lord|Lady|Baroness)"
    rf"\.?\s+)?(?P<name>{NAME})\s*(?=,|\s+(?:told|said|says|warned|added|has|had|was|is)\b)")
_NAME_BEFORE = re.compile(rf"(?P<name>{NAME})$")
_PARTY_BEFORE = re.compile(rf"(?:^|\s)(?P<party>[{_UPPER}][\w-]+)\s+$")


def find_titled_people(sentence: str, gazetteer: Gazetteer, taken: list,
                       home: str | None) -> list[TitledPerson]:
    """Unknown people introduced by a title in this sentence; `taken` are the gazetteer's
    mentions (names, demonyms), `home` the IRI of the article's country (for "Prime Minister
    X" when no country is named)."""
    low = sentence.lower()
    if not any(t in low for t in _TITLE_TRIGGERS):
        return []
    places = [m for m in taken if m.entity is not None and m.entity.type != "Person"]
    out: list[TitledPerson] = []
    for t in _TITLE.finditer(sentence):
        title = t.group()
        place = _place_ending_at(places, t.start(), sentence)
        party = place is None and bool(_PARTY_BEFORE.search(sentence[max(0, t.start() - 30):t.start()]))
        rest = t.end()
        of = next((m for m in places if m.start >= rest and
                   _FIND_TITLED_PEOPLE_2.fullmatch(sentence[rest:m.start])), None)
        if of is not None:
            rest = of.end
        after = _NAME_AFTER.match(sentence, rest)
        if after is not None and not sentence[rest:after.start("name")].count(",") and \
                not _title_word_follows(sentence, t.end()):
            name_end = after.start("name") + len(_trim_name(after.group("name")))
            of_after = next((m for m in places
                             if _FIND_TITLED_PEOPLE_2.fullmatch(sentence[name_end:m.start])), None)
            if _add(out, sentence, after.start("name"), after.group("name"), title,
                    place or of or of_after, gazetteer, home, party, taken, after.group("hon")):
                continue
        named = _NAMED_AFTER_PHRASE.match(sentence, t.end())
        if named is not None:
            inner = next((m for m in places if t.end() <= m.start < named.start("name")), None)
            if _add(out, sentence, named.start("name"), named.group("name"), title,
                    place or inner, gazetteer, home, party, taken, named.group("hon")):
                continue
        head = _APPOSITION_HEAD.search(sentence, 0, (place.start if place else t.start()))
        tail = sentence[(of.end if of else t.end()):]
        if head is not None and _FIND_TITLED_PEOPLE_1.match(tail):
            before = _NAME_BEFORE.search(sentence, 0, head.start())
            if before is not None:
                _add(out, sentence, before.start("name"), before.group("name"), title,
                     place or of, gazetteer, home, False, taken, None)
    return sorted(out, key=lambda p: p.start)


def _title_word_follows(sentence: str, end: int) -> bool:
    """"Prime Minister" inside "Prime Minister's Office" or "President Trump's envoy"."""
    return bool(_TITLE_WORD_FOLLOWS_1.match(sentence[end:]))


def _place_ending_at(places: list, pos: int, sentence: str):
    for m in places:
        if m.end <= pos and _PLACE_ENDING_AT_1.fullmatch(sentence[m.end:pos]):
            return m
    return None


def _add(out: list, sentence: str, start: int, raw_name: str, title: str, place, gazetteer,
         home: str | None, party: bool, taken: list, honorific: str | None) -> bool:
    name = _trim_name(raw_name)
    end = start + len(name)
    if not name or any(t.start < end and start < t.end for t in taken) or \
            any(p.start < end and start < p.end for p in out) or _is_place(name, gazetteer):
        return False
    peer = (honorific or "").strip(". ")
    if peer not in _PEERAGE:
        peer = title.capitalize() if title.lower() in ("lord", "lady", "baroness") else ""
    entity = _person(name, title, place, gazetteer, home, party, peer)
    if entity is not None:
        out.append(TitledPerson(start, end, entity))
    return entity is not None


_PEERAGE = ("Lord", "Lady", "Baroness")
_TITLE_TRIGGERS = ("minister", "president", "chancellor", "premier", "secretary", "leader",
                   "taoiseach", "naiste", "spokes", "envoy", "ambassador", "advis", "chief",
                   "former", "ex-", "retired", "then-", "general", "lord", "lady", "baroness", "mp",
                   "senator", "lawmaker", "king", "queen", "candidate", "analyst", "expert",
                   "professor", "chair", "pm", "deputy", "member of parliament", "head")
_NOT_NAME_WORDS = {"The", "A", "An", "This", "That", "He", "She", "It", "They", "We", "In", "On",
                   "At", "But", "And", "Minister", "President", "Prime", "Foreign", "Defence",
                   "Defense", "Office", "Ministry", "Government", "Council", "Commission",
                   "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
                   "Party", "Movement", "Alliance", "Union", "Front", "Coalition", "Democrats",
                   "Republicans", "Bloc", "League", "Forum", "Congress", "Assembly", "Parliament",
                   "Senate", "Army", "Navy", "Forces", "Group", "Institute", "University"}


def _trim_name(name: str) -> str:
    """Cut the name before a word that cannot be part of it (a title word, a weekday...)."""
    kept = []
    for w in name.split():
        bare = _TRIM_NAME_1.sub("", w)
        if bare.rstrip(".,") in _NOT_NAME_WORDS:
            break
        kept.append(bare)
        if bare != w:
            break
    return " ".join(kept).rstrip(".")


def _is_place(name: str, gazetteer: Gazetteer) -> bool:
    forms = _place_forms(gazetteer)
    return name in forms or name.split()[0] in forms


@lru_cache(maxsize=4)
def _place_forms(gazetteer: Gazetteer) -> frozenset[str]:
    return frozenset(f for f, iri, kind in gazetteer.surface_forms()
                     if kind in ("name", "alias", "demonym") and gazetteer.get(iri) is not None
                     and gazetteer.get(iri).type != "Person")


def _person(name: str, title: str, place, gazetteer: Gazetteer, home: str | None,
            party: bool, peer: str | bool) -> Entity | None:
    key = " ".join(title.lower().split())
    iri = person_iri(name)
    if peer:
        return Entity(person_iri(f"{peer} {name}"), f"{peer} {name}", "Person")
    if key in GOV_TITLES and not party:
        country = _country(place) or \
            (f"{ID_IRI}country/{TITLE_COUNTRY[key]}" if key in TITLE_COUNTRY else None) or home
        offices = (Office(GOV_TITLES[key], country, None, None),) if country else ()
        return Entity(iri, name, "Person", offices=offices)
    if len(name.split()) < 2:
        return None      # "general Winter", "leader Xi": one word after a loose title
    return Entity(iri, name, "Person")


def _country(place) -> str | None:
    """The country a place mention names (a demonym, a name, a seat)."""
    if place is None or place.entity is None or place.entity.type != "Country":
        return None
    return place.entity.iri


def person_iri(name: str) -> str:
    """Stable IRI from the name: the ASCII slug rule of the gazetteer's people."""
    return f"{ID_IRI}person/{person_slug(name)}"


def person_slug(name: str) -> str:
    s = name.replace("Þ", "Th").replace("þ", "th").replace("ð", "d").replace("Ł", "L") \
        .replace("ł", "l").replace("ø", "o").replace("Ø", "O")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def surname_keys(entity: Entity) -> tuple[str, ...]:
    """How an article refers back to a person: the last word of the name, the last two when
    the name has a particle or is long ("Løkke Rasmussen", "Kosiniak-Kamysz")."""
    label = re.sub(r"^(?:Lord|Lady|Baroness)\s+", "", entity.label)
    words = label.split()
    keys = {words[-1]} if len(words) > 1 or entity.label != label else set()
    if len(words) >= 3:
        keys.add(" ".join(words[-2:]))
    return tuple(sorted(k for k in keys if len(k) > 2))


def preceded_by_honorific(sentence: str, start: int) -> bool:
    return bool(_HONORIFIC.search(sentence[max(0, start - 8):start]))


_TOKEN = re.compile(r"[\w'’-]+")
_TWO_WORDS = re.compile(r"[\w'’-]+\s+[\w'’-]+")
_POSSESSIVE_END = ("'s", "’s")
_SPACE = re.compile(r"\s")


def find_met_people(sentence: str, surnames: dict[str, Entity], taken: list) -> list:
    """(start, end, entity) for each later reference to a person met in the article: the
    surname alone or after an honorific ("Novak", "Mr Novak", "Lord Dannatt")."""
    if not surnames or not any(k in sentence for k in surnames):
        return []           # every reference holds its key as it stands
    # A two-word key ("Løkke Rasmussen") can only start at a token that is its first word.
    firsts = {k[:m.start()] for k in surnames for m in (_SPACE.search(k),) if m is not None}
    out = []
    for w in _TOKEN.finditer(sentence):
        token = w.group()
        word = _strip_possessive(token)
        start = w.start()
        key, entity = word, surnames.get(word) if word else None
        if entity is None and token in firsts:
            key = _two_words(sentence, start)
            entity = surnames.get(key) if key else None
        if entity is None:
            continue
        end = start + len(key)
        if any(t.start < end and start < t.end for t in taken) or \
                any(s < end and start < e for s, e, _ in out):
            continue
        out.append((start, end, entity))
    return out


def _strip_possessive(word: str) -> str:
    return word[:-2] if word.endswith(_POSSESSIVE_END) else word


def _two_words(sentence: str, start: int) -> str | None:
    m = _TWO_WORDS.match(sentence, start)
    return _strip_possessive(m.group()) if m else None
