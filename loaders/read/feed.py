"""RSS 2.0 / RSS 1.0 and Atom feeds (feedparser): one Article per item or entry; the full
content (content:encoded, atom:content) is preferred over the summary."""
from __future__ import annotations

import email.utils
import re
import xml.sax
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse

import feedparser

from stancegraph.loaders.errors import InputError, item_boundary
from stancegraph.loaders.model import Article

from .common import html_to_paragraphs, make_article, plain_paragraphs
from .dates import EARLIEST_YEAR, LATEST_YEAR, checked_date, infer_date, parse_date


def read_feed(text: str, source: str, errors: list[InputError] | None = None,
              file_date: datetime | None = None) -> list[Article]:
    """Articles of a feed. A feed that is not well-formed XML (a truncated download) raises when
    `errors` is None; with a list, the error is appended and only the entries that were complete
    before the break are read (the entry cut by it, and anything after, are not). An item
    without a date gets one from its dateline, URL, the feed's date or `file_date`."""
    clean, bad_reference = _without_bad_references(text)
    parsed = feedparser.parse(clean)
    entries = list(parsed.entries)
    noun = "entry" if parsed.version.startswith("atom") else "item"
    if parsed.bozo and isinstance(parsed.get("bozo_exception"), xml.sax.SAXException):
        exc = parsed.bozo_exception
        bad_reference = (exc.getLineNumber() if hasattr(exc, "getLineNumber") else None,
                         exc.getMessage() if hasattr(exc, "getMessage") else str(exc))
    if bad_reference:
        complete = _complete_entries(text)
        error = _broken_xml_error(*bad_reference, source, complete, noun, errors is None)
        if errors is None:
            raise error
        errors.append(error)
        entries = entries[:complete]
        if not entries:
            return []
    elif not entries:
        raise InputError(source, "the feed has no items or entries")
    outlet = parsed.feed.get("title") or _host(parsed.feed.get("link")) or ""
    language = _language(parsed.feed.get("language"))
    dates = _Fallbacks(_feed_date(parsed.feed), file_date)
    articles: list[Article] = []
    for n, entry in enumerate(entries, 1):
        with item_boundary(errors, source, f"{noun} {n}"):
            articles.append(_article(entry, outlet, language, source, f"{noun} {n}", dates))
    return articles


@dataclass(frozen=True)
class _Fallbacks:
    """Dates for items that have none: the feed's own date and the file's modification time."""

    feed: datetime | None
    file: datetime | None


def _article(entry, outlet: str, language: str | None, source: str, position: str,
             dates: _Fallbacks) -> Article:
    content = max(entry.get("content") or [], key=lambda c: len(c.get("value", "")), default=None)
    detail = content or entry.get("summary_detail") or {}
    value = detail.get("value", "") or entry.get("summary", "")
    is_html = detail.get("type", "text/html") in ("text/html", "application/xhtml+xml")
    body = html_to_paragraphs(value) if is_html else plain_paragraphs(value)
    link = entry.get("link") if _is_web_url(entry.get("link")) else None
    guid = entry.get("id") if ":" in (entry.get("id") or "") else None  # a URI, not "item-42"
    item_outlet = (entry.get("source") or {}).get("title") or outlet   # RSS <source>: its origin
    published, date_source = _published(entry, source, position, body, link, dates)
    return make_article(url=link, outlet=item_outlet, title=entry.get("title", ""),
                        published=published, body=body, source=source,
                        position=position, language=_language(detail.get("language")) or language,
                        article_id=link or guid, date_source=date_source)


def _published(entry, source: str, position: str, body: str, link: str | None,
               dates: _Fallbacks) -> tuple[datetime, str]:
    """The entry's own date ("published") when it has one, else the best inferred date and its
    source; a date field that is there but unreadable is an InputError, never replaced."""
    field = "pubDate" if entry.get("published") else "updated"
    raw = (entry.get("published") or entry.get("updated") or "").strip()
    if raw:
        return _explicit_date(raw, source, position, field), "published"
    inferred = infer_date(body, link, dates.feed, dates.file)
    if inferred is None:
        raise InputError(source, "no date: no pubDate, published or updated, and no dateline, "
                                 "dated URL or feed date", position)
    return inferred.when, inferred.source


def _explicit_date(raw: str, source: str, position: str | None, field: str) -> datetime:
    """A date field with its own UTC offset when the text gives one (RFC 822 or ISO 8601)."""
    try:
        stamp = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        stamp = None
    year = re.search(r"\b\d{4}\b(?!:)", raw)   # RFC 822 reads "0001" as 2001: check it as written
    if stamp is not None and year is not None and \
            not EARLIEST_YEAR <= int(year.group()) <= LATEST_YEAR:
        raise InputError(source, f"field '{field}': impossible date {raw[:80]!r} (the year must "
                                 f"be between {EARLIEST_YEAR} and {LATEST_YEAR})", position)
    if stamp is not None:
        return checked_date(stamp, source, position, field, raw)
    return parse_date(raw, source, position, field)


def _feed_date(feed) -> datetime | None:
    """The channel's (or Atom feed's) own date, when it has a readable one."""
    raw = (feed.get("published") or feed.get("updated") or "").strip()
    if not raw:
        return None
    try:
        return _explicit_date(raw, "feed", None, "date")
    except InputError:
        return None   # only a fallback for undated items: an unreadable one is not used


def _complete_entries(text: str) -> int:
    """How many <item>/<entry> elements close before the XML breaks (lxml's pull parser; the
    events of the chunk that holds the break are counted too)."""
    import lxml.etree

    parser = lxml.etree.XMLPullParser(events=("end",), recover=False, resolve_entities=False,
                                      load_dtd=False, no_network=True)
    count = 0

    def closed() -> int:
        return sum(1 for _event, el in parser.read_events()
                   if isinstance(el.tag, str) and lxml.etree.QName(el).localname in ("item", "entry"))

    data = text.encode("utf-8")
    for at in range(0, len(data), 4096):
        try:
            parser.feed(data[at:at + 4096])
        except lxml.etree.XMLSyntaxError:
            return count + closed()    # the break itself: these closed before it
        count += closed()
    return count


def _broken_xml_error(line: int | None, what: str, source: str, complete: int, noun: str,
                      strict: bool) -> InputError:
    if strict:
        outcome = "nothing was read from it"
    else:
        plural = noun if complete == 1 else ("entries" if noun == "entry" else "items")
        outcome = f"read the {complete} complete {plural} before the break, skipped the rest"
    return InputError(source, f"the feed is not well-formed XML ({what}); {outcome}",
                      f"line {line}" if line else None)


_CHAR_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _without_bad_references(text: str) -> tuple[str, tuple[int, str] | None]:
    """The feed with character references to no character (`&#xD800;`, `&#0;`) replaced by
    U+FFFD for feedparser (its fallback parser fails on them), and where the first one was:
    XML forbids them, so the feed is broken there."""
    first: list[tuple[int, str]] = []

    def replace(match: re.Match) -> str:
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD \
                or 0x10000 <= code <= 0x10FFFF:
            return match.group(0)
        if not first:
            first.append((text.count("\n", 0, match.start()) + 1,
                          f"reference to no character {match.group(0)[:16]}"))
        return "&#xFFFD;"

    clean = _CHAR_REFERENCE.sub(replace, text) if "&#" in text else text
    return clean, (first[0] if first else None)


def _host(link: str | None) -> str | None:
    try:
        return urlparse(link or "").hostname
    except ValueError:
        return None


def _is_web_url(value: str | None) -> bool:
    try:
        parts = urlparse(value or "")
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _language(value: str | None) -> str | None:
    code = (value or "").strip()[:2].lower()
    return code if len(code) == 2 and code.isalpha() else None
