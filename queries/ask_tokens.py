"""Words of a question and the phrases found in them, for `ask`.

Every reading step (dates, kinds, actors, cue words) matches phrases as sequences of tokens, so
"air-defence" and "air defence", "won't" and "will not", "U.S." and "u.s" meet on the same
terms, and a token used by one reading is not used again by another."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

_TOKEN = re.compile(r"\d{4}-\d{2}-\d{2}"             # an ISO date stays one token
                    r"|\d{1,2}(?:st|nd|rd|th)\b"       # 3rd
                    r"|\d+(?:\.\d+)?%?"               # 3, 0.8, 80%
                    r"|(?:[^\W\d_]\.){2,}"            # U.S., E.U.
                    r"|[^\W_]+(?:['’][^\W_]+)?",      # words, Germany's, won't
                    re.UNICODE)
# Contractions written out, so that negation is one word: "won't" -> "will not".
_CONTRACTIONS = {"won't": ("will", "not"), "can't": ("can", "not"), "cannot": ("can", "not"),
                 "shan't": ("shall", "not")}
# "Germany's" / "who's" -> "is" (a possessive reads as a filler either way), "they'll" -> "will".
_TAILS = {"s": "is", "ll": "will", "ve": "have", "re": "are", "d": "would", "m": "am"}


@dataclass(frozen=True)
class Token:
    """One word of the question: its folded form, original spelling and character span."""

    word: str           # folded: "germany", "not", "u.s", "3rd", "2025-09-03"
    text: str           # as written: "Germany", "n't", "U.S."
    start: int
    end: int


@dataclass(frozen=True)
class Match:
    """A phrase found at tokens [first, last) with what it means to the reader that found it."""

    first: int
    last: int
    phrase: str
    meaning: str


def fold(text: str) -> str:
    return text.replace("’", "'").casefold().rstrip(".") if len(text) > 1 else text.casefold()


def tokenize(question: str) -> tuple[Token, ...]:
    """The question's words, contractions split ("isn't" -> "is", "not"; "Poland's" -> "poland",
    "'s"), hyphenated words split ("flip-flopped" -> "flip", "flopped")."""
    tokens: list[Token] = []
    for m in _TOKEN.finditer(question):
        text, start = m.group(0), m.start()
        word = fold(text)
        if word in _CONTRACTIONS:
            first, second = _CONTRACTIONS[word]
            tokens += [Token(first, text, start, m.end()), Token(second, text, start, m.end())]
        elif word.endswith("n't") and len(word) > 3:
            tokens += [Token(word[:-3], text[:-3], start, m.end() - 3),
                       Token("not", text[-3:], m.end() - 3, m.end())]
        elif "'" in word:
            head, tail = word.split("'", 1)
            cut = start + len(head)
            tokens += [Token(head, text[:len(head)], start, cut),
                       Token(_TAILS.get(tail, tail), text[len(head):], cut, m.end())]
        else:
            tokens.append(Token(word, text, start, m.end()))
    return tuple(tokens)


def phrase_words(phrase: str) -> tuple[str, ...]:
    """A phrase (a SKOS label, a gazetteer name, a cue) as the token words it matches."""
    return tuple(t.word for t in tokenize(phrase.replace("-", " ")))


class PhraseTable:
    """Phrases (as token words) with a meaning each; finds the longest ones first."""

    def __init__(self, entries: Iterable[tuple[str, str]], plurals: bool = False,
                 exact_case: frozenset[str] = frozenset()) -> None:
        self._by_words: dict[tuple[str, ...], str] = {}
        for phrase, meaning in sorted(entries):
            words = phrase_words(phrase)
            if words and words not in self._by_words:
                self._by_words[words] = meaning
                if plurals and not words[-1].endswith("s"):
                    self._by_words.setdefault(words[:-1] + (words[-1] + "s",), meaning)
        self._longest = max((len(w) for w in self._by_words), default=0)
        self._exact_case = exact_case      # phrases to match only as written ("US", not "us")

    def find(self, tokens: Sequence[Token], free: list[bool]) -> list[Match]:
        """Non-overlapping matches over tokens still free, longest first then leftmost; the
        tokens matched are marked used in `free`."""
        found: list[Match] = []
        for size in range(self._longest, 0, -1):
            for i in range(len(tokens) - size + 1):
                if not all(free[i:i + size]):
                    continue
                words = tuple(t.word for t in tokens[i:i + size])
                meaning = self._by_words.get(words)
                if meaning is None or not self._case_ok(tokens[i:i + size], words):
                    continue
                found.append(Match(i, i + size, " ".join(words), meaning))
                for j in range(i, i + size):
                    free[j] = False
        return sorted(found, key=lambda m: m.first)

    def match_at(self, tokens: Sequence[Token], i: int) -> Match | None:
        """The longest phrase starting exactly at token i, if any."""
        for size in range(min(self._longest, len(tokens) - i), 0, -1):
            words = tuple(t.word for t in tokens[i:i + size])
            meaning = self._by_words.get(words)
            if meaning is not None and self._case_ok(tokens[i:i + size], words):
                return Match(i, i + size, " ".join(words), meaning)
        return None

    def _case_ok(self, tokens: Sequence[Token], words: tuple[str, ...]) -> bool:
        if " ".join(words) not in self._exact_case:
            return True
        return all(t.text.replace(".", "").isupper() for t in tokens)
