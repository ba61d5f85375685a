"""RSS 2.0 / RSS 1.0 and Atom feeds (feedparser): one Article per item or entry; the full
content (content:encoded, atom:content) is preferred over the summary."""
from __future__ import annotations

import email.utils
import io
import re
import xml.sax
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse

import feedparser

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.model import Article

from .common import html_to_paragraphs, make_article, plain_paragraphs
from .dates import EARLIEST_YEAR, LATEST_YEAR, checked_date, infer_date, parse_date


def read_feed(text: str, source: str, errors: list[InputError] | None = None,
              file_date: datetime | None = None) -> list[Article]:
    """Articles of a feed. A feed that is not well-formed XML (a truncated download) raises when
    `errors` is None; with a list, the error is appended and only the entries that were complete
    before the break are read (the entry cut by it, and anything after, are not). An item
    without a date gets one from its dateline, URL, the feed's date or `file_date`."""
    parsed = feedparser.parse(text)
    entries = list(parsed.entries)
    noun = "entry" if parsed.version.startswith("atom") else "item"
    if parsed.bozo and isinstance(parsed.get("bozo_exception"), xml.sax.SAXException):
        complete = _complete_entries(text)
        error = _broken_xml_error(parsed.bozo_exception, source, complete, noun, errors is None)
        if errors is None:
            raise error
        errors.append(error)
        entries = entries[:complete]
        if not entries:
            return []
    elif not entries:
        raise InputError(source, "the feed has no items or entries")
    outlet = parsed.feed.get("title") or urlparse(parsed.feed.get("link", "")).hostname or ""
    language = _language(parsed.feed.get("language"))
    dates = _Fallbacks(_feed_date(parsed.feed), file_date)
    articles: list[Article] = []
    for n, entry in enumerate(entries, 1):
        try:
            articles.append(_article(entry, outlet, language, source, f"{noun} {n}", dates))
        except InputError as e:
            if errors is None:
                raise
            errors.append(e)
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
    """How many <item>/<entry> elements close before the XML breaks (lxml's pull parser)."""
    import lxml.etree

    parser = lxml.etree.XMLPullParser(events=("end",), recover=False)
    count = 0
    try:
        with io.BytesIO(text.encode("utf-8")) as stream:
            for chunk in iter(lambda: stream.read(4096), b""):
                parser.feed(chunk)
                for _event, el in parser.read_events():
                    if isinstance(el.tag, str) and lxml.etree.QName(el).localname in ("item", "entry"):
                        count += 1
    except lxml.etree.XMLSyntaxError:
        pass  # the break itself: everything counted so far closed before it
    return count


def _broken_xml_error(exc, source: str, complete: int, noun: str, strict: bool) -> InputError:
    line = exc.getLineNumber() if hasattr(exc, "getLineNumber") else None
    what = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
    if strict:
        outcome = "nothing was read from it"
    else:
        plural = noun if complete == 1 else ("entries" if noun == "entry" else "items")
        outcome = f"read the {complete} complete {plural} before the break, skipped the rest"
    return InputError(source, f"the feed is not well-formed XML ({what}); {outcome}",
                      f"line {line}" if line else None)


def _is_web_url(value: str | None) -> bool:
    parts = urlparse(value or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _language(value: str | None) -> str | None:
    code = (value or "").strip()[:2].lower()
    return code if len(code) == 2 and code.isalpha() else None
