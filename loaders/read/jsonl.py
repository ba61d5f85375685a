"""JSONL: one article per line, an object with "title", "outlet", "body" (required),
"published" (when absent, the date comes from a dateline, the URL or the file's time),
"url" (null or absent when unknown), "language" and "id" (optional)."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Iterable, Iterator
from urllib.parse import urlparse

from stancegraph.loaders.errors import InputError, item_boundary, shown
from stancegraph.loaders.model import Article

from .common import make_article, plain_paragraphs
from .dates import infer_date, parse_date
from .encoding import decode_line
from .limits import DEFAULT, Limits, check_json_depth

REQUIRED = ("title", "outlet", "body")
OPTIONAL = ("url", "language", "id")


def read_jsonl(text: str, source: str, errors: list[InputError] | None = None,
               file_date: datetime | None = None, limits: Limits = DEFAULT) -> list[Article]:
    """Every good line; a bad line raises when `errors` is None, else is appended and skipped.
    Lines end at "\\n" only (JSON strings may hold U+2028 and other Unicode line breaks)."""
    return list(read_jsonl_lines(enumerate(text.split("\n"), 1), source, errors, file_date, limits))


def read_jsonl_lines(lines: Iterable[tuple[int, str | bytes]], source: str,
                     errors: list[InputError] | None = None, file_date: datetime | None = None,
                     limits: Limits = DEFAULT) -> Iterator[Article]:
    """`read_jsonl` over numbered lines, text or UTF-8 bytes (a file read line by line)."""
    for n, line in lines:
        position = f"line {n}"
        article = None
        with item_boundary(errors, source, position):
            article = _line_article(line, n, source, position, file_date, limits)
        if article is not None:
            yield article


def _line_article(line: str | bytes, n: int, source: str, position: str,
                  file_date: datetime | None, limits: Limits) -> Article | None:
    """The line's article; None for a blank line."""
    size = len(line) if isinstance(line, bytes) else len(line.encode("utf-8", "surrogatepass"))
    if size > limits.max_line_bytes:
        raise InputError(source, f"the line is longer than {limits.max_line_bytes:,} bytes (limit: "
                                 "STANCEGRAPH_MAX_LINE_BYTES / --max-line)", position)
    if isinstance(line, bytes):
        line = decode_line(line, source, position)
    if n == 1:
        line = line.lstrip("\ufeff")
    if not line.strip():
        return None
    check_json_depth(line, source, position, limits)
    return _article(line, source, position, file_date)


def _article(line: str, source: str, position: str, file_date: datetime | None) -> Article:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(source, f"not JSON ({e.msg} at column {e.colno})", position) from None
    except RecursionError:
        raise InputError(source, "JSON nested too deeply", position) from None
    if not isinstance(item, dict):
        raise InputError(source, f"expected a JSON object, got {type(item).__name__}", position)
    for field in REQUIRED:
        value = item.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise InputError(source, f"field '{field}' is missing or empty", position)
        if not isinstance(value, str):
            raise InputError(source, f"field '{field}' must be a string, got {shown(value)}",
                             position)
    for field in OPTIONAL:
        if item.get(field) is not None and not isinstance(item[field], str):
            raise InputError(source, f"field '{field}' must be a string, got {shown(item[field])}",
                             position)
    url = (item.get("url") or "").strip() or None
    if url and not _is_web_url(url):
        raise InputError(source, f"field 'url': not an http(s) URL {shown(url)}", position)
    language = (item.get("language") or "").strip().lower() or None
    if language and not (len(language) == 2 and language.isalpha()):
        raise InputError(source, f"field 'language': expected a two-letter ISO 639-1 code, "
                                 f"got {shown(language)}", position)
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
            raise InputError(source, f"field 'published' must be a string, got {shown(value)}",
                             position)
        return parse_date(value, source, position, "published"), "published"
    inferred = infer_date(body, url, None, file_date)
    if inferred is None:
        raise InputError(source, "field 'published' is missing or empty and no dateline or dated "
                                 "URL gives the date", position)
    return inferred.when, inferred.source


def _is_web_url(url: str) -> bool:
    try:
        parts = urlparse(url)
    except ValueError:                        # "http://[::1" and the like
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)
