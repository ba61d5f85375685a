"""Event dates a sentence names ("on 4 September", "on Thursday", "yesterday"), resolved
against the article's publication date; never later than publication."""
from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b(?:on|since|from|at|during|after|before)?\s*(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\.?(?:\s+(\d{{4}}))?\b",
                        re.IGNORECASE)
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(?:on|last)\s+(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
_TRIGGERS = tuple(m[:3] for m in MONTHS) + ("day", "week")
_DIGIT = re.compile(r"\d")
_RELATIVE = re.compile(r"\b(yesterday|last week|earlier this week|today)\b", re.IGNORECASE)


def event_date(text: str, published: date) -> date | None:
    """The first date the text names, as a calendar date not after publication."""
    low = text.lower()
    if not any(w in low for w in _TRIGGERS):
        return None
    hits: list[tuple[int, date]] = []
    numbered = _DIGIT.search(text) is not None      # both calendar forms hold a day number
    for m in _DAY_MONTH.finditer(text) if numbered else ():
        d = _make(published, int(m.group(3)) if m.group(3) else None, MONTHS[m.group(2).lower()],
                  int(m.group(1)))
        if d:
            hits.append((m.start(), d))
    for m in _MONTH_DAY.finditer(text) if numbered else ():
        d = _make(published, int(m.group(3)) if m.group(3) else None, MONTHS[m.group(1).lower()],
                  int(m.group(2)))
        if d:
            hits.append((m.start(), d))
    for m in _WEEKDAY.finditer(text):
        back = (published.weekday() - WEEKDAYS.index(m.group(1).lower())) % 7
        if m.group(0).lower().startswith("last") and back == 0:
            back = 7
        hits.append((m.start(), published - timedelta(days=back)))
    for m in _RELATIVE.finditer(text):
        word = m.group(1).lower()
        delta = {"yesterday": 1, "last week": 7, "earlier this week": 2, "today": 0}[word]
        hits.append((m.start(), published - timedelta(days=delta)))
    if not hits:
        return None
    return min(hits)[1]


def _make(published: date, year: int | None, month: int, day: int) -> date | None:
    try:
        d = date(year or published.year, month, day)
    except ValueError:
        return None
    if year is None and d > published:
        try:
            d = date(published.year - 1, month, day)
        except ValueError:
            return None
    return d if d <= published else None
