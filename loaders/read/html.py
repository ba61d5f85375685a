"""A saved article page (HTML): main text by trafilatura; title, date, outlet and URL from the
page's meta tags and JSON-LD first, trafilatura's metadata next."""
from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import urlparse

import lxml.etree
import lxml.html
import trafilatura

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.model import Article

from .common import make_article
from .dates import infer_date, parse_date, url_date

MIN_WORDS = 10  # fewer words than this is a menu or a teaser, not an article


def read_page(text: str, source: str, file_date: datetime | None = None) -> list[Article]:
    """The page's one article; a page without article text is an error, not an empty article.
    A page without date metadata is dated by its dateline, its URL or `file_date`."""
    doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    lines = [" ".join(line.split()) for line in (getattr(doc, "text", None) or "").splitlines()]
    paragraphs = [line for line in lines if line]
    if sum(len(p.split()) for p in paragraphs) < MIN_WORDS:
        raise InputError(source, "no article text found")
    head = PageHead(text)
    title = (_string(head.json_ld.get("headline")) or head.meta("og:title") or getattr(doc, "title", None)
             or head.title or "")
    if paragraphs and paragraphs[0] in head.headlines(title, getattr(doc, "title", None)):
        paragraphs = paragraphs[1:]  # trafilatura keeps the <h1>; the headline is not body text
    url = (head.link("canonical") or head.meta("og:url") or _string(head.json_ld.get("url"))
           or getattr(doc, "url", None) or (source if source.startswith(("http://", "https://"))
                                            else None))
    outlet = (head.meta("og:site_name") or _publisher(head.json_ld) or getattr(doc, "sitename", None)
              or _host(url) or "")
    body = "\n\n".join(paragraphs)
    field, raw_date = _first_date(head, doc)
    if field == "trafilatura date" and raw_date and url_date(url) and \
            raw_date[:10] == url_date(url).date().isoformat():
        raw_date = None   # trafilatura read the URL: dateline first, as for any undated page
    if raw_date is not None:
        published, date_source = parse_date(raw_date, source, None, field), "published"
    else:
        inferred = infer_date(body, url, None, file_date)
        if inferred is None:
            raise InputError(source, "no publication date found (meta article:published_time, "
                                     "JSON-LD datePublished, a dateline or a dated URL)")
        published, date_source = inferred.when, inferred.source
    return [make_article(url=url, outlet=outlet, title=title, published=published,
                         body=body, source=source, position="page",
                         language=head.language or None, date_source=date_source)]


class PageHead:
    """What the page says about itself: meta tags, link rel, <title>, <html lang>, JSON-LD."""

    def __init__(self, text: str):
        try:
            self.root = lxml.html.document_fromstring(text)
        except (ValueError, lxml.etree.ParserError):  # nothing lxml can read: no metadata
            self.root = lxml.html.document_fromstring("<html></html>")
        self.json_ld = self._article_json_ld()

    def meta(self, name: str) -> str | None:
        """Content of <meta property=name> or <meta name=name>."""
        for el in self.root.iter("meta"):
            if name in (el.get("property"), el.get("name")) and (el.get("content") or "").strip():
                return el.get("content").strip()
        return None

    def link(self, rel: str) -> str | None:
        for el in self.root.iter("link"):
            if rel in (el.get("rel") or "").lower().split() and (el.get("href") or "").strip():
                return el.get("href").strip()
        return None

    def headlines(self, *more: str | None) -> set[str]:
        """Every way the page spells its headline: <h1>, og:title, JSON-LD, <title>, `more`."""
        found = [el.text_content() for el in self.root.iter("h1")]
        found += [self.meta("og:title"), _string(self.json_ld.get("headline")), self.title, *more]
        return {" ".join(text.split()) for text in found if text}

    @property
    def title(self) -> str | None:
        el = self.root.find(".//title")
        return el.text_content().strip() if el is not None else None

    @property
    def language(self) -> str | None:
        code = (self.root.get("lang") or "")[:2].lower()
        return code if len(code) == 2 and code.isalpha() else None

    def _article_json_ld(self) -> dict:
        """The first schema.org *Article object of the page's JSON-LD blocks, else {}."""
        for script in self.root.xpath('//script[@type="application/ld+json"]'):
            try:
                data = json.loads(script.text_content())
            except (ValueError, RecursionError):     # not JSON, or a nesting bomb: no metadata
                continue
            items = data.get("@graph", [data]) if isinstance(data, dict) else data
            for item in items if isinstance(items, list) else [items]:
                if isinstance(item, dict) and "Article" in str(item.get("@type", "")):
                    return item
        return {}


def _first_date(head: PageHead, doc) -> tuple[str, str | None]:
    """Where the publication date comes from and its text, in order of trust."""
    for field, value in (("meta article:published_time", head.meta("article:published_time")),
                         ("JSON-LD datePublished", _string(head.json_ld.get("datePublished"))),
                         ("trafilatura date", getattr(doc, "date", None))):
        if value:
            return field, value
    return "date", None


def _publisher(item: dict) -> str | None:
    publisher = item.get("publisher")
    if isinstance(publisher, list) and publisher:
        publisher = publisher[0]
    if isinstance(publisher, dict):
        return _string(publisher.get("name"))
    return _string(publisher)


def _host(url: str | None) -> str | None:
    try:
        return urlparse(url).hostname if url else None
    except ValueError:                         # "http://[::1" and the like: no host to name
        return None


def _string(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
