"""The vocabularies `ask` reads a question with: its cue words (queries/ask-words.tsv), the
commitment kinds (ontology/kinds.ttl) and the actors (the gazetteer), each as a PhraseTable."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .ask_tokens import PhraseTable, phrase_words

WORDS_FILE = Path(__file__).resolve().parent / "ask-words.tsv"
_CONTEXT_MEANINGS = ("recipient", "member-of")


@dataclass(frozen=True)
class _Lexicon:
    cues: PhraseTable
    context: dict[str, frozenset[str]]


@lru_cache(maxsize=1)
def lexicon(path: Path = WORDS_FILE) -> _Lexicon:
    """The cue words of ask-words.tsv; a phrase with two meanings is an error in the file."""
    entries: dict[str, str] = {}
    context: dict[str, set[str]] = {m: set() for m in _CONTEXT_MEANINGS}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        phrase, _, meaning = line.partition("\t")
        phrase, meaning = phrase.strip(), meaning.strip()
        if not meaning:
            raise ValueError(f"{path.name}:line {number}: write 'phrase<TAB>meaning'")
        if meaning in context:
            context[meaning].add(" ".join(phrase_words(phrase)))
            continue
        if entries.get(phrase, meaning) != meaning:
            raise ValueError(f"{path.name}:line {number}: {phrase!r} means both "
                             f"{entries[phrase]!r} and {meaning!r}")
        entries[phrase] = meaning
    return _Lexicon(PhraseTable(entries.items()), {m: frozenset(v) for m, v in context.items()})


@lru_cache(maxsize=1)
def kind_table() -> PhraseTable:
    """Every SKOS label, altLabel and local name of the kinds (plurals too) -> the kind's name."""
    from stancegraph.ontology.kinds import load_kinds

    entries = []
    for k in load_kinds():
        entries += [(k.name, k.name), (k.label, k.name)] + [(p, k.name) for p in k.phrases]
    return PhraseTable(entries, plurals=True)


@lru_cache(maxsize=1)
def actor_table() -> PhraseTable:
    """Every gazetteer name, alias and demonym -> the entity IRI. Forms written in capitals
    only ("US", "UN") match only in capitals, so "us" stays a pronoun."""
    from stancegraph.ontology.gazetteer import load_gazetteer

    forms = load_gazetteer().surface_forms()
    capitals = {" ".join(phrase_words(s)) for s, _, _ in forms if _all_caps(s)}
    mixed = {" ".join(phrase_words(s)) for s, _, _ in forms if not _all_caps(s)}
    return PhraseTable(((s, iri) for s, iri, _ in forms), exact_case=frozenset(capitals - mixed))


def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def entity(iri: str):
    from stancegraph.ontology.gazetteer import load_gazetteer

    return load_gazetteer().get(iri)
