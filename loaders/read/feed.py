"""RSS 2.0 / RSS 1.0 and Atom feeds (feedparser): one Article per item or entry; the full
content (content:encoded, atom:content) is preferred over the summary."""
from __future__ import annotations

import calendar
import email.utils
import io
import xml.sax
from datetime import datetime, timezone
from urllib.parse import urlparse

import feedparser

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.model import Article

from .common import html_to_paragraphs, make_article, parse_date, plain_paragraphs


def read_feed(text: str, source: str, errors: list[InputError] | None = None) -> list[Article]:
    """Articles of a feed. A feed that is not well-formed XML (a truncated download) raises when
    `errors` is None; with a list, the error is appended and only the entries that were complete
    before the break are read (the entry cut by it, and anything after, are not)."""
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
    articles: list[Article] = []
    for n, entry in enumerate(entries, 1):
        try:
            articles.append(_article(entry, outlet, language, source, f"{noun} {n}"))
        except InputError as e:
            if errors is None:
                raise
            errors.append(e)
    return articles


def _article(entry, outlet: str, language: str | None, source: str, position: str) -> Article:
    content = max(entry.get("content") or [], key=lambda c: len(c.get("value", "")), default=None)
    detail = content or entry.get("summary_detail") or {}
    value = detail.get("value", "") or entry.get("summary", "")
    is_html = detail.get("type", "text/html") in ("text/html", "application/xhtml+xml")
    body = html_to_paragraphs(value) if is_html else plain_paragraphs(value)
    link = entry.get("link") if _is_web_url(entry.get("link")) else None
    guid = entry.get("id") if ":" in (entry.get("id") or "") else None  # a URI, not "item-42"
    return make_article(url=link, outlet=outlet, title=entry.get("title", ""),
                        published=_published(entry, source, position), body=body, source=source,
                        position=position, language=_language(detail.get("language")) or language,
                        article_id=link or guid)


def _published(entry, source: str, position: str) -> datetime:
    """The entry's date with its own UTC offset when the text gives one (RFC 822 or ISO 8601),
    else feedparser's reading of it in UTC."""
    raw = entry.get("published") or entry.get("updated") or ""
    if not raw:
        raise InputError(source, "no date (pubDate, published or updated)", position)
    for read in (email.utils.parsedate_to_datetime, datetime.fromisoformat):
        try:
            stamp = read(raw)
        except (TypeError, ValueError, IndexError):
            continue
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)
    return parse_date(raw, source, position, "published")


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
