"""Split an article body into sentences, keeping exact character offsets into the body."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sgt", "capt", "adm", "gov", "sen", "rep",
    "st", "no", "vs", "etc", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "approx", "est", "fig", "u.s", "u.k", "u.n", "e.u",
    "d.c", "j.d", "a.m", "p.m", "e.g", "i.e",
}
_CLOSERS = "\"'”’»)]"
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*")
_WORD_BEFORE_DOT = re.compile(r"([\w.]+)\.$")
_LETTER = re.compile(r"[a-z]")
_NON_SPACE = re.compile(r"\S")           # \S is what str.lstrip() keeps
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the body: its text and where it stands."""

    text: str
    start: int          # offset of text[0] in the body
    end: int            # exclusive
    paragraph: int      # index of the paragraph it belongs to
    index: int          # index of the sentence in the article


def _ends_sentence(body: str, dot: int, after: int) -> bool:
    """Does the terminal punctuation ending at `after` close a sentence?"""
    if after < len(body) and not body[after].isspace():
        return False
    nxt = _NON_SPACE.search(body, after)        # the first character after the gap, if any
    if nxt is None:
        return True
    if body[dot] == ".":
        word = _WORD_BEFORE_DOT.search(body[max(0, dot - 12):dot + 1])
        if word:
            w = word.group(1).lower()
            if w in _ABBREVIATIONS or _LETTER.fullmatch(w):
                return False
    first = body[nxt.start()]
    return first.isupper() or first.isdigit() or first in "\"“‘'«(["


def split_sentences(body: str) -> list[Sentence]:
    """Sentences of every paragraph (paragraphs are separated by blank lines)."""
    out: list[Sentence] = []
    for p_index, (p_start, p_end) in enumerate(_paragraphs(body)):
        start = p_start
        for m in _END.finditer(body, p_start, p_end):
            if _ends_sentence(body, m.start(), m.end()):
                _add(out, body, start, m.end(), p_index)
                start = m.end()
        _add(out, body, start, p_end, p_index)
    return out


def _paragraphs(body: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _PARAGRAPH_BREAK.finditer(body):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(body)))
    return [(a, b) for a, b in spans if body[a:b].strip()]


def _add(out: list[Sentence], body: str, start: int, end: int, paragraph: int) -> None:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(body[start:end], start, end, paragraph, len(out)))
