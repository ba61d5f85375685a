"""Plain-text dumps of a feed reader: several articles in one file. An article is a title line
followed by a date line ("6 septembre 2025 à 18:35", "6 September 2025 at 18:35") and runs to
the next article. The reader's bullet headers ("  • ✇Outlet", "  • Title", an indented teaser)
name the outlet and never become articles or body text."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from zoneinfo import ZoneInfo

import dateparser

from stancegraph.loaders.errors import InputError, item_boundary
from stancegraph.loaders.model import Article

from .common import make_article

# The reader prints dates in its user's language and local time, without a zone: a French
# reader is read as Paris time, an English one as UTC (no better guess is possible).
DATE_ZONES: dict[str, tzinfo] = {"fr": ZoneInfo("Europe/Paris"), "en": timezone.utc}
BULLET = re.compile(r"^\s*[•▪◦*]\s+(.*?)\s*$")
OUTLET_MARK = "✇"
# Lines that introduce a link to another article; the next line is that article's headline.
RELATED_LINK = re.compile(r"^(?:explore further|read more|read also|related|see also|"
                          r"lire aussi|à lire aussi|en savoir plus)\s*:?$", re.IGNORECASE)
# Cheap shape test before dateparser confirms: "6 septembre 2025 …", "September 6, 2025 …".
_DATE_SHAPE = re.compile(r"^(?:\d{1,2}(?:er|st|nd|rd|th)?\.?\s+[^\W\d_]{3,}\.?|"
                         r"[^\W\d_]{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?)\s+\d{4}\b[\w\s.,:/-]{0,20}$")


@dataclass(frozen=True)
class _Start:
    """Where one article begins: its title line and its date line (0-based), and the date."""
    title_at: int
    date_at: int
    published: datetime


def looks_like_reader_dump(text: str) -> bool:
    """True when at least one title line is followed by a date line."""
    return bool(_article_starts(text.splitlines(), first_only=True))


def read_reader_dump(text: str, source: str, errors: list[InputError] | None = None) -> list[Article]:
    """Every article of the dump; an article that cannot be read raises when `errors` is None,
    else is appended to it and the others are still read."""
    lines = text.splitlines()
    starts = _article_starts(lines)
    if not starts:
        raise InputError(source, "no article found (expected a title line followed by a date "
                                 "line such as '6 septembre 2025 à 18:35')")
    articles: list[Article] = []
    for k, start in enumerate(starts):
        end = _header_start(lines, starts[k + 1]) if k + 1 < len(starts) else len(lines)
        position = f"line {start.title_at + 1}"
        with item_boundary(errors, source, position):
            articles.append(make_article(
                url=None, outlet=_outlet(lines, start.title_at, source, position),
                title=lines[start.title_at].strip(), published=start.published,
                body=_body(lines[start.date_at + 1:end]), source=source, position=position))
    return articles


def read_date_line(line: str) -> datetime | None:
    """An aware datetime when the whole line is a date in a language the reader prints."""
    text = line.strip()
    if not _DATE_SHAPE.match(text):
        return None
    for language, zone in DATE_ZONES.items():
        parsed = dateparser.parse(text, languages=[language],
                                  settings={"STRICT_PARSING": True,
                                            "RETURN_AS_TIMEZONE_AWARE": False})
        if parsed is not None:
            return parsed.replace(tzinfo=zone)
    return None


def _article_starts(lines: list[str], first_only: bool = False) -> list[_Start]:
    starts: list[_Start] = []
    for i, line in enumerate(lines):
        if not line.strip() or BULLET.match(line) or line[:1].isspace():
            continue
        title_at = _previous_text_line(lines, i)
        if title_at < 0 or BULLET.match(lines[title_at]) or lines[title_at][:1].isspace():
            continue
        published = read_date_line(line)
        if published is None or (starts and title_at <= starts[-1].date_at):
            continue
        starts.append(_Start(title_at, i, published))
        if first_only:
            break
    return starts


def _previous_text_line(lines: list[str], i: int) -> int:
    i -= 1
    while i >= 0 and not lines[i].strip():
        i -= 1
    return i


def _header_start(lines: list[str], start: _Start) -> int:
    """First line of the reader's header above an article (its "✇Outlet" bullet, else the
    bullet repeating its title); the title line itself when the article has no header."""
    title = lines[start.title_at].strip()
    first = start.title_at
    for i in range(start.title_at - 1, -1, -1):
        text = lines[i].strip()
        bullet = BULLET.match(lines[i])
        if bullet and bullet.group(1).startswith(OUTLET_MARK):
            return i
        if bullet and bullet.group(1) == title:
            first = i
        elif text and not lines[i][:1].isspace():
            break  # the previous article's text: headers are indented bullets and teasers
    return first


def _outlet(lines: list[str], title_at: int, source: str, position: str) -> str:
    for i in range(title_at, -1, -1):
        bullet = BULLET.match(lines[i])
        if bullet and bullet.group(1).startswith(OUTLET_MARK):
            return bullet.group(1)[len(OUTLET_MARK):].strip()
    raise InputError(source, f"no '• {OUTLET_MARK}Outlet' header names the outlet of this article",
                     position)


def _body(lines: list[str]) -> str:
    """One paragraph per text line, exactly as in the file (edges trimmed), without the
    reader's furniture: "Explore further" and the related headline under it, lines with no
    letters or digits, and an image's keyword alt text right under the date line."""
    paragraphs: list[str] = []
    skip_related = False
    for line in lines:
        text = line.strip()
        if not text or not any(ch.isalnum() for ch in text):
            continue
        if RELATED_LINK.match(text):
            skip_related = True
            continue
        if skip_related:
            skip_related = False
            continue
        if not paragraphs and is_keyword_soup(text):
            continue
        paragraphs.append(text)
    return "\n\n".join(paragraphs)


def is_keyword_soup(text: str) -> bool:
    """Image alt text turned into words: eight or more, all lower case, no sentence ending."""
    return (len(text.split()) >= 8 and text == text.lower()
            and not text.rstrip("\"'”»)").endswith((".", "!", "?", "…", ":")))
