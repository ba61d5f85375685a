"""Publication dates. An explicit date field is read strictly: relative words ("yesterday"),
garbage ("1e10") and impossible dates (year 0001 or 9999) are one InputError, never a date
resolved against today. An article without one gets the best date its other parts give —
a dateline in its text, a full date in its URL path, its feed's date, its file's modification
time — with the name of that source (scheme sg:DateSources: published | dateline | url | feed |
file)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from urllib.parse import unquote, urlparse

import dateparser

from stancegraph.loaders.errors import InputError

EARLIEST_YEAR, LATEST_YEAR = 1900, 2100     # outside: a placeholder or a typo, not news
NOON = time(12, 0)                          # a date without a time: noon UTC keeps its day in
                                            # every zone from UTC-11 to UTC+11

# dateparser may only read absolute dates and must refuse what lacks a day, month or year:
# never a relative word ("yesterday", "in 2 days") or a timestamp resolved against today.
_STRICT = {"PARSERS": ["custom-formats", "absolute-time"], "STRICT_PARSING": True,
           "REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False,
           "PREFER_DAY_OF_MONTH": "first"}
_RELATIVE_WORDS = re.compile(
    r"\b(?:yesterday|today|tomorrow|tonight|now|ago|last|next|this|ce|hier|demain|aujourd'hui|"
    r"gestern|heute|morgen|ieri|oggi|domani|ayer|hoy|mañana)\b", re.IGNORECASE)

MONTHS = {name: n for n, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], 1) for name in names}
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_PLACE = r"(?:(?-i:[A-Z])[\w'’.\-]*(?:\s+(?-i:[A-Z])[\w'’.\-]*){0,3}(?:\s*\([\w .]+\))?)"
# "ROME, September 4. /TASS/", "Madrid, 10 September 2025", "KYIV, Sept 4 (Reuters) -",
# "WASHINGTON (AP) — Aug. 18, 2025", "Published: 4 September 2025", "September 4, 2025 10:31".
_DATELINE = re.compile(
    rf"^(?:{_PLACE}\s*[,:]\s*|{_PLACE}\s+[—–-]\s*|(?:published|updated|posted)(?:\s+on)?\s*:?\s*)?"
    rf"(?:\w+day,?\s+)?"
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH}),?(?:\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>\d{{4}}))?"
    rf"|(?P<d3>\d{{1,2}})[./](?P<m3>\d{{1,2}})[./](?P<y3>\d{{4}})"
    rf"|(?P<y4>\d{{4}})-(?P<m4>\d{{2}})-(?P<d4>\d{{2}}))\b",
    re.IGNORECASE)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?=[/._-]|$)"
                       r"|/((?:19|20)\d\d)(\d\d)(\d\d)(?=[/._-]|$)")
DATELINE_REACH = 3          # paragraphs at the top of the text a dateline may stand in


@dataclass(frozen=True)
class Dated:
    """A publication date and the source it came from (a notation of sg:DateSources)."""

    when: datetime
    source: str


DATE_MAX_CHARS = 100               # a time bound on free-text dates (hardening, issue 9)
_ISO_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]|$)")


def parse_date(value: object, source: str, position: str | None, field: str = "published",
               languages: list[str] | None = None,
               default_zone: tzinfo = timezone.utc) -> datetime:
    """An aware datetime from an explicit date field: ISO 8601, RFC 822 or an absolute date in
    words; a date without a zone is read in `default_zone`. Missing, relative, incomplete or
    impossible values are one InputError naming the field and the value."""
    if isinstance(value, datetime):
        parsed: datetime | None = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        parsed = _absolute(text, languages)
        if parsed is None:
            raise InputError(source, f"field '{field}': cannot read the date {_cut(text)!r}"
                             + (" (a relative date; give the calendar date)"
                                if _RELATIVE_WORDS.search(text) else ""), position)
    elif value is None or value == "":
        raise InputError(source, f"field '{field}' is missing or empty", position)
    else:
        raise InputError(source, f"field '{field}': expected a date string, got {_cut(repr(value))}",
                         position)
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise InputError(source, f"field '{field}': impossible date {_cut(str(value))!r} (the year "
                                 f"must be between {EARLIEST_YEAR} and {LATEST_YEAR})", position)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=default_zone)


def checked_date(stamp: datetime, source: str, position: str | None, field: str,
                 raw: str) -> datetime:
    """`stamp` when its year is plausible, else the InputError parse_date would give."""
    if not EARLIEST_YEAR <= stamp.year <= LATEST_YEAR:
        raise InputError(source, f"field '{field}': impossible date {_cut(raw)!r} (the year "
                                 f"must be between {EARLIEST_YEAR} and {LATEST_YEAR})", position)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def infer_date(body: str, url: str | None = None, feed_date: datetime | None = None,
               file_date: datetime | None = None) -> Dated | None:
    """The best date of an article that gives none: dateline > URL > feed > file. A dateline
    without a year takes the year of the next source that has one. None when nothing gives one."""
    from_url = url_date(url)
    later = [d for d in (from_url, feed_date, file_date) if d is not None]
    line = dateline_date(body, later[0].date() if later else None)
    if line is not None:
        return Dated(line, "dateline")
    for when, name in ((from_url, "url"), (feed_date, "feed"), (file_date, "file")):
        if when is not None:
            return Dated(when, name)
    return None


def dateline_date(body: str, reference: date | None = None) -> datetime | None:
    """The date of a dateline in the first paragraphs of `body`, at noon UTC. A dateline
    without a year is placed in the year of `reference` (the year before when it would fall
    more than a day after it); without a reference it is not used."""
    for paragraph in body.split("\n\n")[:DATELINE_REACH]:
        m = _DATELINE.match(paragraph.strip())
        if m is None:
            continue
        day, month, year = _parts(m)
        if year is None:
            if reference is None:
                continue
            year = reference.year
            found = _date(year, month, day)
            if found is not None and found > reference + timedelta(days=1):
                year -= 1
        found = _date(year, month, day)
        if found is not None:
            return datetime.combine(found, NOON, tzinfo=timezone.utc)
    return None


def url_date(url: str | None) -> datetime | None:
    """A full date in a URL's path (/2025/09/04/, /2025-09-04-, /20250904/), at noon UTC."""
    if not url:
        return None
    m = _URL_DATE.search(unquote(urlparse(url).path))
    if m is None:
        return None
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5),
                                                                         m.group(6))
    found = _date(int(y), int(mo), int(d))
    return datetime.combine(found, NOON, tzinfo=timezone.utc) if found else None


def _parts(m: re.Match) -> tuple[int, int, int | None]:
    if m.group("m1"):
        return int(m.group("d1")), _month(m.group("m1")), _int(m.group("y1"))
    if m.group("m2"):
        return int(m.group("d2")), _month(m.group("m2")), _int(m.group("y2"))
    if m.group("m3"):
        return int(m.group("d3")), int(m.group("m3")), int(m.group("y3"))
    return int(m.group("d4")), int(m.group("m4")), int(m.group("y4"))


def _month(word: str) -> int:
    return MONTHS[word.rstrip(".").lower()]


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _date(year: int, month: int, day: int) -> date | None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _absolute(text: str, languages: list[str] | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    if _RELATIVE_WORDS.search(text) or not re.search(r"\d", text) or len(text) > DATE_MAX_CHARS \
            or _ISO_SHAPE.match(text):
        return None     # long: dateparser would take minutes, and no date is that long;
    try:                # ISO-shaped but not ISO ("2025-13-01"): no guessing day for month
        return dateparser.parse(text, languages=languages, settings=_STRICT)
    except (ValueError, OverflowError):
        return None


def _cut(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
