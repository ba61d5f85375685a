"""JSONL: one article per line, an object with "title", "outlet", "body" (required),
"published" (when absent, the date comes from a dateline, the URL or the file's time),
"url" (null or absent when unknown), "language" and "id" (optional)."""
from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import urlparse

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.model import Article

from .common import make_article, plain_paragraphs
from .dates import infer_date, parse_date

REQUIRED = ("title", "outlet", "body")
OPTIONAL = ("url", "language", "id")


def read_jsonl(text: str, source: str, errors: list[InputError] | None = None,
               file_date: datetime | None = None) -> list[Article]:
    """Every good line; a bad line raises when `errors` is None, else is appended and skipped."""
    articles: list[Article] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            articles.append(_article(line, source, f"line {n}", file_date))
        except InputError as e:
            if errors is None:
                raise
            errors.append(e)
    return articles


def _article(line: str, source: str, position: str, file_date: datetime | None) -> Article:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(source, f"not JSON ({e.msg} at column {e.colno})", position) from None
    if not isinstance(item, dict):
        raise InputError(source, f"expected a JSON object, got {type(item).__name__}", position)
    for field in REQUIRED:
        value = item.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise InputError(source, f"field '{field}' is missing or empty", position)
        if not isinstance(value, str):
            raise InputError(source, f"field '{field}' must be a string, got {value!r}", position)
    for field in OPTIONAL:
        if item.get(field) is not None and not isinstance(item[field], str):
            raise InputError(source, f"field '{field}' must be a string, got {item[field]!r}",
                             position)
    url = (item.get("url") or "").strip() or None
    if url and not (urlparse(url).scheme in ("http", "https") and urlparse(url).netloc):
        raise InputError(source, f"field 'url': not an http(s) URL {url!r}", position)
    language = (item.get("language") or "").strip().lower() or None
    if language and not (len(language) == 2 and language.isalpha()):
        raise InputError(source, f"field 'language': expected a two-letter ISO 639-1 code, "
                                 f"got {language!r}", position)
    body = plain_paragraphs(item["body"])
    published, date_source = _published(item.get("published"), body, url, file_date, source,
                                        position)
    return make_article(url=url, outlet=item["outlet"], title=item["title"],
                        published=published, body=body, source=source, position=position,
                        language=language, article_id=(item.get("id") or "").strip() or None,
                        date_source=date_source)


def _published(value, body: str, url: str | None, file_date: datetime | None, source: str,
               position: str) -> tuple[datetime, str]:
    """An explicit "published" is read strictly; only an absent, null or empty one is inferred."""
    if value is not None and not (isinstance(value, str) and not value.strip()):
        if not isinstance(value, str):
            raise InputError(source, f"field 'published' must be a string, got {value!r}", position)
        return parse_date(value, source, position, "published"), "published"
    inferred = infer_date(body, url, None, file_date)
    if inferred is None:
        raise InputError(source, "field 'published' is missing or empty and no dateline or dated "
                                 "URL gives the date", position)
    return inferred.when, inferred.source
