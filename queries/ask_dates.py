"""Dates in words for `ask`: "before 3 September 2025", "as of September 3", "in March",
"since August", "between 1 and 5 September", "2025-09-03", "this month".

Each date becomes one or both saved-query bounds: `as_of` (latest stance on or before) and
`since` (claims on or after). A date written without a year takes the most recent year in
which it is not after the reference day — the day of the newest article in the store, so the
same store and question always give the same dates (never the clock of the machine)."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Sequence

from .ask_tokens import PhraseTable, Token

MONTHS = {name: number for number in range(1, 13)
          for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())}
MONTHS["sept"] = 9
# A month name alone ("may", "march" are everyday English too) counts only after a date
# preposition ("in May", "since march") or next to a day or a year.

# What each preposition does with the period it introduces.
_PREPOSITIONS = PhraseTable([
    ("before", "before"), ("prior to", "before"), ("earlier than", "before"),
    ("by", "until"), ("as of", "until"), ("as at", "until"), ("on or before", "until"),
    ("until", "until"), ("till", "until"), ("up to", "until"), ("up until", "until"),
    ("through", "until"), ("no later than", "until"), ("at", "until"), ("on", "until"),
    ("since", "since"), ("from", "since"), ("starting", "since"), ("starting from", "since"),
    ("on or after", "since"), ("beginning", "since"),
    ("after", "after"), ("later than", "after"),
    ("in", "during"), ("during", "during"), ("within", "during"), ("over", "during"),
    ("between", "between"),
])
_RANGE_JOINERS = frozenset({"and", "to", "until", "till", "through"})
_RELATIVE = {("today",): "day", ("this", "month"): "month", ("this", "year"): "year",
             ("last", "month"): "last-month", ("last", "year"): "last-year"}


@dataclass(frozen=True)
class Period:
    first: date
    last: date


@dataclass(frozen=True)
class DateReading:
    """A date expression at tokens [first, last): the bounds it sets, or why it cannot."""

    first: int
    last: int
    text: str
    since: date | None = None
    as_of: date | None = None
    problem: str | None = None


@dataclass(frozen=True)
class _Spec:
    """A date as written: the parts given (day and year may be missing)."""

    year: int | None
    month: int | None
    day: int | None
    relative: str | None = None


def find_dates(tokens: Sequence[Token], free: list[bool], reference: date | None,
               question: str) -> list[DateReading]:
    """Every date expression over the free tokens, left to right; their tokens are marked used."""
    readings: list[DateReading] = []
    i = 0
    while i < len(tokens):
        reading = _reading_at(tokens, free, i, reference, question) if free[i] else None
        if reading is None:
            i += 1
            continue
        readings.append(reading)
        for j in range(reading.first, reading.last):
            free[j] = False
        i = reading.last
    return readings


def _reading_at(tokens, free, i, reference, question) -> DateReading | None:
    prep = _PREPOSITIONS.match_at(tokens, i)
    role, j = (prep.meaning, prep.last) if prep else (None, i)
    if j < len(tokens) and tokens[j].word == "the":
        j += 1
    parsed = _spec_at(tokens, j, with_preposition=role is not None)
    if parsed is None and role in ("between", "since") and j + 1 < len(tokens) \
            and _day(tokens[j].word) and tokens[j + 1].word in _RANGE_JOINERS:
        parsed = _Spec(None, None, _day(tokens[j].word)), j + 1     # between 1 and 5 September
    if parsed is None:
        return None
    spec, end = parsed
    second = None
    if role in ("between", "since") and end + 1 < len(tokens) and tokens[end].word in _RANGE_JOINERS:
        second = _spec_at(tokens, end + 1, with_preposition=True)
        if second is not None and role == "since" and tokens[end].word == "and":
            second = None
    if role == "between" and second is None:
        return None
    if spec.month is None and spec.day is not None and second is None:
        return None
    if second is not None:
        spec_b, end = second
        spec = _borrow(spec, spec_b)
        role = "range"
    if not all(free[i:end]):
        return None
    text = question[tokens[i].start:tokens[end - 1].end]
    try:
        first = _period(spec, reference)
        if role == "range":
            last = _period(spec_b, reference)
            return DateReading(i, end, text, since=first.first, as_of=last.last)
        return DateReading(i, end, text, **_bounds(role, spec, first))
    except ValueError as e:
        return DateReading(i, end, text, problem=str(e))


def _bounds(role: str | None, spec: _Spec, p: Period) -> dict:
    if role == "before":
        return {"as_of": p.first - timedelta(days=1)}
    if role == "until":
        return {"as_of": p.last}
    if role == "since":
        return {"since": p.first}
    if role == "after":
        return {"since": p.last + timedelta(days=1)}
    if role == "during" or (role is None and spec.day is None):
        return {"since": p.first, "as_of": p.last}
    return {"as_of": p.last}          # a bare day: the stances as of that day


def _spec_at(tokens: Sequence[Token], j: int, with_preposition: bool) -> tuple[_Spec, int] | None:
    """A date written from token j on, and the index after it."""
    words = [t.word for t in tokens[j:j + 4]] + [""] * 4
    for key, what in _RELATIVE.items():
        if tuple(words[:len(key)]) == key:
            return _Spec(None, None, None, what), j + len(key)
    w0, w1, w2, w3 = words[:4]
    if _iso(w0):
        y, m, d = (int(x) for x in w0.split("-"))
        return _Spec(y, m, d), j + 1
    if _day(w0) and w1 == "of" and w2 in MONTHS:           # 3rd of September [2025]
        return _with_year(_Spec(None, MONTHS[w2], _day(w0)), w3, j + 3)
    if _day(w0) and w1 in MONTHS:                           # 3 September [2025]
        return _with_year(_Spec(None, MONTHS[w1], _day(w0)), w2, j + 2)
    if w0 in MONTHS and _day(w1) and not _year(w1):         # September 3 [2025]
        return _with_year(_Spec(None, MONTHS[w0], _day(w1)), w2, j + 2)
    if w0 in MONTHS and _year(w1):                          # September 2025
        return _Spec(_year(w1), MONTHS[w0], None), j + 2
    if w0 in MONTHS and with_preposition:
        return _Spec(None, MONTHS[w0], None), j + 1         # in March (never a bare "may")
    if _year(w0):
        return _Spec(_year(w0), None, None), j + 1          # in 2025
    return None


def _with_year(spec: _Spec, word: str, end: int) -> tuple[_Spec, int]:
    year = _year(word)
    return (_Spec(year, spec.month, spec.day), end + 1) if year else (spec, end)


def _borrow(a: _Spec, b: _Spec) -> _Spec:
    """"between 1 and 5 September": the first date takes the second's month and year."""
    return _Spec(a.year or b.year, a.month or b.month, a.day, a.relative)


def _iso(word: str) -> bool:
    return len(word) == 10 and word[4] == word[7] == "-" and word.replace("-", "").isdigit()


def _day(word: str) -> int | None:
    digits = word[:-2] if word[-2:] in ("st", "nd", "rd", "th") else word
    return int(digits) if digits.isdigit() and 1 <= int(digits) <= 31 and len(digits) <= 2 else None


def _year(word: str) -> int | None:
    return int(word) if len(word) == 4 and word.isdigit() and 1900 <= int(word) <= 2099 else None


def _period(spec: _Spec, reference: date | None) -> Period:
    if spec.relative is not None:
        return _relative(spec.relative, reference)
    if spec.month is None:
        return Period(date(spec.year, 1, 1), date(spec.year, 12, 31))
    year = spec.year if spec.year is not None else _year_for(spec, reference)
    if spec.day is None:
        return Period(date(year, spec.month, 1),
                      date(year, spec.month, calendar.monthrange(year, spec.month)[1]))
    try:
        day = date(year, spec.month, spec.day)
    except ValueError:
        raise ValueError(f"{calendar.month_name[spec.month]} has no day {spec.day}") from None
    return Period(day, day)


def _year_for(spec: _Spec, reference: date | None) -> int:
    """The latest year in which the date (or the month's first day) is not after the reference."""
    if reference is None:
        raise ValueError("the date has no year and the store has no articles to take one from")
    year = reference.year
    if (spec.month, spec.day or 1) > (reference.month, reference.day):
        year -= 1
    return year


def _relative(what: str, reference: date | None) -> Period:
    if reference is None:
        raise ValueError(f"'{what}' needs a store with articles to count from")
    if what == "day":
        return Period(reference, reference)
    if what == "year":
        return Period(date(reference.year, 1, 1), date(reference.year, 12, 31))
    if what == "last-year":
        return Period(date(reference.year - 1, 1, 1), date(reference.year - 1, 12, 31))
    month_start = reference.replace(day=1)
    if what == "last-month":
        month_start = (month_start - timedelta(days=1)).replace(day=1)
    last = calendar.monthrange(month_start.year, month_start.month)[1]
    return Period(month_start, month_start.replace(day=last))
