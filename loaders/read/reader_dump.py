"""Plain-text dumps of a feed reader: several articles in one file. An article is a title line
followed by a date line ("6 septembre 2025 à 18:35", "6 September 2025 at 18:35"); the bullet
blocks ("  • ✇Outlet", "  • Title", teaser) only name the outlet and never become articles."""
from __future__ import annotations

import re
from datetime import timezone

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.model import Article

from .common import make_article, normalise_paragraphs, parse_date

DATE_LINE = re.compile(
    r"^\s*(?:\d{1,2}(?:er)?\s+[^\W\d_]+\.?\s+\d{4}|[^\W\d_]+\.?\s+\d{1,2},?\s+\d{4})"
    r"(?:\s*(?:à|at|,|-)?\s*\d{1,2}[:h]\d{2}(?:\s*[ap]\.?m\.?)?)?\s*$", re.IGNORECASE)
BULLET = re.compile(r"^\s*[•*]\s+")
OUTLET_BULLET = re.compile(r"^\s*[•*]\s+✇\s*(.+?)\s*$")
FURNITURE = re.compile(r"^\s*(?:explore further|read more|related|see also|advertisement|"
                       r"lire aussi|à lire aussi)\s*:?\s*$", re.IGNORECASE)
END_MARKS = {"❌", "—", "* * *"}


def looks_like_reader_dump(text: str) -> bool:
    """At least one title line followed by a date line, and reader bullets or several dates."""
    lines = text.splitlines()
    dates = [i for i, line in enumerate(lines) if DATE_LINE.match(line) and _has_title(lines, i)]
    return bool(dates) and (any(BULLET.match(line) for line in lines) or len(dates) >= 2)


def read_reader_dump(text: str, source: str, errors: list[InputError] | None = None,
                     zone=None) -> list[Article]:
    """Every article of the dump. Dates carry no zone: they are read in `zone` (the reader's
    local time, Europe/Paris for a French reader by default)."""
    zone = zone or _default_zone(text)
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if DATE_LINE.match(line) and _has_title(lines, i)]
    if not starts:
        raise InputError(source, "no article found (a title line followed by a date line)")
    out: list[Article] = []
    for k, date_at in enumerate(starts):
        title_at = _title_line(lines, date_at)
        end = _title_line(lines, starts[k + 1]) if k + 1 < len(starts) else len(lines)
        end = min([end] + [i for i in range(date_at + 1, end) if BULLET.match(lines[i])])
        position = f"line {title_at + 1}"
        try:
            published = parse_date(lines[date_at].strip(), source, f"line {date_at + 1}",
                                   "date", languages=["fr", "en", "de", "it", "es"],
                                   default_zone=zone)
            body = _body(lines[date_at + 1:end])
            out.append(make_article(url=None, outlet=_outlet(lines, title_at), title=lines[title_at].strip(),
                                    published=published, body=body, source=source,
                                    position=position))
        except InputError as e:
            if errors is None:
                raise
            errors.append(e)
    return out


def _has_title(lines: list[str], date_at: int) -> bool:
    t = _title_line(lines, date_at)
    return t >= 0 and not BULLET.match(lines[t]) and not DATE_LINE.match(lines[t])


def _title_line(lines: list[str], date_at: int) -> int:
    i = date_at - 1
    while i >= 0 and not lines[i].strip():
        i -= 1
    return i


def _outlet(lines: list[str], title_at: int) -> str:
    for i in range(title_at, -1, -1):
        m = OUTLET_BULLET.match(lines[i])
        if m:
            return m.group(1)
    return "unknown outlet"


def _body(lines: list[str]) -> str:
    """The article's paragraphs, without the reader's furniture: "Explore further" and the
    related headline after it, and an image's keyword alt text right under the date."""
    kept: list[str] = []
    skip_next_text = False
    first_text = True
    for line in lines:
        text = line.strip()
        if not text:
            kept.append("")
            continue
        if text in END_MARKS:
            continue
        if FURNITURE.match(text):
            skip_next_text = True
            continue
        if skip_next_text:
            skip_next_text = False
            continue
        if first_text and _is_keyword_soup(text):
            first_text = False
            continue
        first_text = False
        kept.append(text)
    return normalise_paragraphs("\n".join(kept))


def _is_keyword_soup(text: str) -> bool:
    """Image alt text turned into words: long, all lower case, no sentence punctuation."""
    words = text.split()
    return len(words) >= 8 and text == text.lower() and not re.search(r"[.!?…]\s*$", text)


def _default_zone(text: str):
    if re.search(r"\b(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
                 r"novembre|décembre)\b", text):
        try:
            from zoneinfo import ZoneInfo

            return ZoneInfo("Europe/Paris")
        except Exception:  # no time-zone database on this machine: UTC is the safe reading
            return timezone.utc
    return timezone.utc
