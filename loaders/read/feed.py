"""RSS 2.0 and Atom feeds (feedparser): one Article per entry, full content preferred."""
from __future__ import annotations

import calendar
from datetime import datetime, timezone

import feedparser

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.model import Article

from .common import html_to_paragraphs, make_article, parse_date


def read_feed(text: str, source: str, errors: list[InputError] | None = None) -> list[Article]:
    """Entries of a well-formed feed. A feed that is not well-formed XML (truncated, broken) is
    rejected whole: an entry cut by the break must not be stored as if complete."""
    parsed = feedparser.parse(text)
    if parsed.bozo and _is_xml_error(parsed.get("bozo_exception")):
        exc = parsed.bozo_exception
        line = exc.getLineNumber() if hasattr(exc, "getLineNumber") else None
        msg = getattr(exc, "getMessage", lambda: str(exc))()
        raise InputError(source, f"the feed is not well-formed XML ({msg}); nothing was read from it",
                         f"line {line}" if line else None)
    if not parsed.entries:
        raise InputError(source, "the feed has no entries")
    outlet = parsed.feed.get("title", "") or _host(parsed.feed.get("link", "")) or "unknown outlet"
    language = (parsed.feed.get("language") or "")[:2].lower() or None
    out: list[Article] = []
    for n, entry in enumerate(parsed.entries, 1):
        try:
            out.append(_article(entry, outlet, language, source, f"entry {n}"))
        except InputError as e:
            if errors is None:
                raise
            errors.append(e)
    return out


def _article(entry, outlet: str, language: str | None, source: str, position: str) -> Article:
    contents = entry.get("content") or []
    html = max((c.get("value", "") for c in contents), key=len, default="") or \
        entry.get("summary", "") or entry.get("description", "")
    body = html_to_paragraphs(html)
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if stamp:
        published = datetime.fromtimestamp(calendar.timegm(stamp), tz=timezone.utc)
    else:
        raw = entry.get("published") or entry.get("updated") or ""
        published = parse_date(raw, source, position, "published")
    return make_article(url=entry.get("link") or None, outlet=outlet, title=entry.get("title", ""),
                        published=published, body=body, source=source, position=position,
                        language=language, article_id=entry.get("id") or None)


def _is_xml_error(exc) -> bool:
    import xml.sax

    return isinstance(exc, xml.sax.SAXException)


def _host(url: str) -> str:
    from urllib.parse import urlparse

    return urlparse(url).hostname or ""
