"""A plain-text article: the first paragraph is its title, the rest its body. It has no date
field, so the date comes from a dateline at the top of the text, else the file's time; the
outlet from a wire credit in the dateline ("(Reuters)", "/TASS/"), else it is marked unknown."""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import PurePath

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.model import Article

from .common import make_article, plain_paragraphs
from .dates import dateline_date

MIN_WORDS = 25          # fewer words than this is a note, not an article
MAX_TITLE_WORDS = 30
_CREDIT = re.compile(r"\(([A-Z][A-Za-z&./ -]{1,24}?)\)|/([A-Z]{2,10})/|[—–-]\s*(Reuters|AFP|AP|"
                     r"Xinhua|TASS|dpa|ANSA|PAP|BTA|Ukrinform)\b")
_NOT_CREDIT = re.compile(r"^(?:\d|[A-Z]{1,2}$|Photo|File|Getty|Source)")


def read_plain_text(text: str, source: str, file_date: datetime | None = None) -> list[Article]:
    """The file's one article; too short a text, or one nothing dates, is an InputError."""
    paragraphs = [p for p in plain_paragraphs(text).split("\n\n") if p]
    if len(paragraphs) < 2 or len(text.split()) < MIN_WORDS:
        raise InputError(source, "no articles found: not a feed, an HTML page, JSONL, a reader "
                                 "dump or a plain-text article (a title line, then its text)")
    title = paragraphs[0]
    if len(title.split()) > MAX_TITLE_WORDS:
        raise InputError(source, f"the first paragraph is too long for a title ({len(title.split())} "
                                 f"words); put the headline on the first line", "line 1")
    body = "\n\n".join(paragraphs[1:])
    published = dateline_date(body, file_date.date() if file_date else None)
    date_source = "dateline"
    if published is None:
        if file_date is None:
            raise InputError(source, "no date: no dateline at the top of the text and no file time")
        published, date_source = file_date, "file"
    return [make_article(url=None, outlet=_outlet(body, source), title=title, published=published,
                         body=body, source=source, position="text", date_source=date_source)]


def _outlet(body: str, source: str) -> str:
    """The wire credited in the dateline, else "unknown outlet (file name)": never one made-up
    outlet for every unattributed text, which would merge their corroboration."""
    for m in _CREDIT.finditer(body[:300]):
        credit = next(g for g in m.groups() if g)
        if not _NOT_CREDIT.match(credit):
            return credit.strip()
    return f"unknown outlet ({PurePath(source).name})"
