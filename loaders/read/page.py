"""A saved article page (HTML): main text by trafilatura, metadata from the page."""
from __future__ import annotations

import json
from urllib.parse import urlparse

import trafilatura

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.model import Article

from .common import make_article, normalise_paragraphs, parse_date


def read_page(text: str, source: str) -> list[Article]:
    """One article; a page with no article text is an error, not an empty article."""
    doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    # trafilatura puts one paragraph per line
    body = normalise_paragraphs((_field(doc, "text") or "").replace("\n", "\n\n")) if doc else ""
    if len(body.split()) < 20:
        raise InputError(source, "no article text found in the HTML page")
    meta = _json_ld(text)
    url = _field(doc, "url") or meta.get("url")
    title = _field(doc, "title") or meta.get("headline") or ""
    outlet = _field(doc, "sitename") or _publisher(meta) or (urlparse(url).hostname if url else "")
    raw_date = meta.get("datePublished") or _field(doc, "date")
    published = parse_date(raw_date, source, "head", "datePublished")
    return [make_article(url=url, outlet=outlet or "unknown outlet", title=title,
                         published=published, body=body, source=source, position="page",
                         language=(_field(doc, "language") or "")[:2] or None)]


def _field(doc, name: str):
    if doc is None:
        return None
    return doc.get(name) if isinstance(doc, dict) else getattr(doc, name, None)


def _json_ld(text: str) -> dict:
    """The first schema.org Article object of the page's JSON-LD blocks, if any."""
    import lxml.html

    try:
        root = lxml.html.fromstring(text)
    except Exception:  # unparseable markup: no metadata, trafilatura already judged the text
        return {}
    for script in root.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except ValueError:
            continue
        for item in data if isinstance(data, list) else data.get("@graph", [data]):
            if isinstance(item, dict) and "Article" in str(item.get("@type", "")):
                return item
    return {}


def _publisher(meta: dict) -> str:
    pub = meta.get("publisher")
    if isinstance(pub, dict):
        return pub.get("name", "")
    return pub if isinstance(pub, str) else ""
