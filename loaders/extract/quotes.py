"""Quotations over the whole body, and who speaks them. A quotation may run over several
sentences ("We are not ready to give guarantees. The difference is huge," Orpo said.) or
paragraphs (a paragraph that opens a quote and does not close it continues in the next one);
its speaker is named where it opens or closes ("X said:", "…," he said, "said X"), else it
continues the previous quotation of the same speaker."""
from __future__ import annotations

import re
from dataclasses import dataclass

from stancegraph.loaders.model import ActorRef

MIN_WORDS = 6           # shorter quoted words are scare quotes or titles, not speech
_MARKS = re.compile(r"[“”\"‘’]")


@dataclass(frozen=True)
class Quotation:
    """Quoted speech in the body: [start, end) in body offsets, quote marks included."""

    start: int
    end: int
    paragraph: int


def body_quotations(body: str) -> list[Quotation]:
    """Every quotation of at least MIN_WORDS words, paragraph by paragraph."""
    out: list[Quotation] = []
    pos = 0
    for index, para in enumerate(re.split(r"\n\s*\n", body)):
        start = body.index(para, pos) if para else pos
        pos = start + len(para)
        for a, b in _paragraph_quotes(para):
            if len(para[a:b].split()) >= MIN_WORDS:
                out.append(Quotation(start + a, start + b, index))
    return out


def _paragraph_quotes(para: str) -> list[tuple[int, int]]:
    """Pairs of quote marks: curly “…”, straight "…", and single ‘…’ when the closing ’ follows
    sentence punctuation (’ alone is usually an apostrophe). An unclosed double quote runs to
    the paragraph's end."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    single_at: int | None = None
    for m in _MARKS.finditer(para):
        ch, i = m.group(), m.start()
        if ch == "‘":
            if open_at is None and single_at is None and (i == 0 or not para[i - 1].isalnum()):
                single_at = i
        elif ch == "’":
            if single_at is not None and i > 0 and para[i - 1] in ",.!?…" :
                spans.append((single_at, i + 1))
                single_at = None
        elif ch == "“" or (ch == '"' and open_at is None):
            if open_at is None:
                open_at = i
        elif open_at is not None:
            spans.append((open_at, i + 1))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(para)))
    return spans


def local_spans(quotes: list[Quotation], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of the quotations inside the sentence [start, end), in sentence offsets."""
    out = []
    for q in quotes:                    # in body order: stop at the first one after the sentence
        if q.start >= end:
            break
        if start < q.end:
            out.append((max(q.start, start) - start, min(q.end, end) - start))
    return out


class QuoteSpeakers:
    """Who speaks each quotation, filled while the article is read."""

    def __init__(self, quotes: list[Quotation]) -> None:
        self.quotes = quotes
        self.speakers: dict[int, ActorRef] = {}
        self.people: list[tuple[int, int, ActorRef]] = []   # (position, paragraph, person)

    def note(self, pos: int, paragraph: int, person: ActorRef) -> None:
        """A person who spoke or was the subject at `pos`: who an unattributed quotation in
        the next paragraph is most likely from."""
        self.people.append((pos, paragraph, person))

    def index_at(self, pos: int) -> int | None:
        for i, q in enumerate(self.quotes):
            if q.start < pos < q.end:
                return i
        return None

    def attribute(self, start: int, end: int, speaker: ActorRef) -> None:
        """The speaker of the quoted content [start, end) (body offsets)."""
        for i, q in enumerate(self.quotes):
            if q.start < end and start < q.end and i not in self.speakers:
                self.speakers[i] = speaker

    def carry_over(self) -> None:
        """A quotation nobody is named for continues the previous one's speaker when it stands
        in the same or the next paragraph, else is the last person who spoke or acted there."""
        for i, q in enumerate(self.quotes):
            if i in self.speakers:
                continue
            if i - 1 in self.speakers and q.paragraph - self.quotes[i - 1].paragraph <= 1:
                self.speakers[i] = self.speakers[i - 1]
                continue
            before = [(pos, para, p) for pos, para, p in self.people
                      if pos < q.start and q.paragraph - para <= 1]
            if before:
                self.speakers[i] = before[-1][2]

    def speaker_at(self, pos: int) -> ActorRef | None:
        i = self.index_at(pos)
        return self.speakers.get(i) if i is not None else None
