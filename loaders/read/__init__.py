"""Readers: files, directories and URLs -> Article records. The format is told by content
(the file name only breaks ties); every bad input is one InputError naming file and
line/item/field.

Errors API, the same for every reader: with `errors=None` the first error raises; with a list,
errors of single items (a JSONL line, a feed entry, a dump article, a file of a directory)
are appended to it and reading goes on, so callers get the good articles and every error.
`read_path` and `read_sources` stream: articles are yielded as they are read and errors are
appended as they occur; a JSONL file is read line by line, so its size is not bounded.
Bounds (file size, line length, nesting, title and body length) are `Limits`."""
from __future__ import annotations

import email.utils
import os
import re
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator
from urllib.parse import urlparse

from stancegraph.loaders.errors import InputError, item_boundary
from stancegraph.loaders.model import Article

from .dates import EARLIEST_YEAR, LATEST_YEAR
from .encoding import decode
from .feed import read_feed
from .files import (HEAD_BYTES, NOT_ARTICLES, article_files, numbered_lines, open_regular,
                    read_bounded)
from .html import read_page
from .jsonl import read_jsonl, read_jsonl_lines
from .limits import DEFAULT, Limits, check_article, check_markup_depth
from .reader_dump import looks_like_reader_dump, read_reader_dump
from .text import read_plain_text

FORMATS = ("feed", "html", "jsonl", "reader-dump", "text")
SUFFIXES = {".rss": "feed", ".atom": "feed", ".xml": "feed", ".html": "html", ".htm": "html",
            ".xhtml": "html", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}

_FIRST_TAG = re.compile(r"\A(?:\s|<\?.*?\?>|<!--.*?-->|<!doctype[^>]*>)*<([a-z][\w:.-]*)",
                        re.IGNORECASE | re.DOTALL)


def sniff_format(data: bytes | str, name: str = "") -> str:
    """"feed", "html", "jsonl", "reader-dump" or "text", told by the content; the name's
    extension decides only what the content leaves open."""
    text = data[:HEAD_BYTES].decode("utf-8", "replace") if isinstance(data, bytes) else data
    head = text.lstrip("\ufeff \t\r\n")[:4096]
    by_name = SUFFIXES.get(PurePosixPath(name).suffix.lower())
    if head.startswith("<"):
        tag = (_FIRST_TAG.match(head) or [None, ""])[1].lower()
        if tag in ("rss", "feed", "rdf:rdf"):
            return "feed"
        if tag in ("html", "head", "body") or head[:14].lower() == "<!doctype html":
            return "html"
        return by_name if by_name in ("feed", "html") else "html"
    if head.startswith("{"):
        return "jsonl"
    if looks_like_reader_dump(text):
        return "reader-dump"
    return by_name or "text"


def read_text(text: str, source: str, fmt: str | None = None,
              errors: list[InputError] | None = None, file_date: datetime | None = None,
              limits: Limits = DEFAULT) -> list[Article]:
    """Articles of one decoded document; `source` names it in errors and in Article.source.
    `file_date` (the file's modification time) is the last-resort date of undated articles."""
    return list(iter_text(text, source, fmt, errors, file_date, limits))


def iter_text(text: str, source: str, fmt: str | None = None,
              errors: list[InputError] | None = None, file_date: datetime | None = None,
              limits: Limits = DEFAULT) -> Iterator[Article]:
    """`read_text`, article by article."""
    if not text.strip():
        raise InputError(source, "the file is empty")
    fmt = fmt or sniff_format(text, urlparse(source).path if "://" in source else source)
    if fmt == "feed":
        check_markup_depth(text, source, limits)
        articles = read_feed(text, source, errors, file_date)
    elif fmt == "html":
        articles = read_page(text, source, file_date)
    elif fmt == "jsonl":
        articles = read_jsonl(text, source, errors, file_date, limits)
    elif fmt == "reader-dump":
        articles = read_reader_dump(text, source, errors)
    elif fmt == "text":
        articles = read_plain_text(text, source, file_date)
    else:
        raise InputError(source, f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    yield from within_limits(articles, errors, limits)


def within_limits(articles: Iterable[Article], errors: list[InputError] | None,
                  limits: Limits) -> Iterator[Article]:
    """The articles whose title and body are within bounds; each other one is an error."""
    for article in articles:
        checked = None
        with item_boundary(errors, article.source, article.position):
            checked = check_article(article, limits)
        if checked is not None:
            yield checked


def read_path(path: str | Path, errors: list[InputError] | None = None,
              limits: Limits = DEFAULT) -> Iterator[Article]:
    """Articles of a file, or of every file under a directory (sorted by path; hidden files,
    READMEs and gold.jsonl are skipped; each file is its own item for `errors`)."""
    path = Path(path)
    if not path.is_dir():
        yield from _read_file(path, errors, limits)
        return
    for file in article_files(path, errors):
        with item_boundary(errors, str(file), None, "cannot read this file"):
            yield from _read_file(file, errors, limits)


def _read_file(path: Path, errors: list[InputError] | None, limits: Limits) -> Iterator[Article]:
    source = str(path)
    with open_regular(path) as stream:
        modified = _modified(stream.fileno())
        head = stream.read(HEAD_BYTES)
        if _is_utf8_jsonl(head, path.name):      # line by line, whatever the file's size
            stream.seek(0)
            lines = numbered_lines(stream, limits.max_line_bytes)
            yield from within_limits(read_jsonl_lines(lines, source, errors, modified, limits),
                                     errors, limits)
            return
        data = read_bounded(stream, source, limits, head)
    yield from iter_text(decode(data, source), source, errors=errors, file_date=modified,
                         limits=limits)


def _is_utf8_jsonl(head: bytes, name: str) -> bool:
    """UTF-8 JSONL with some text in its first 64 KB (else the whole file is read, and an
    empty one is said to be empty)."""
    return (not head.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in head[:8192]
            and bool(head.lstrip(b"\xef\xbb\xbf").strip()) and sniff_format(head, name) == "jsonl")


def read_url(url: str, errors: list[InputError] | None = None, timeout: float = 20.0,
             limits: Limits = DEFAULT) -> list[Article]:
    """Articles of a feed, page, JSONL or dump fetched over http(s) (at most
    `limits.max_file_bytes`); the server's charset wins over the document's declaration."""
    if urlparse(url).scheme not in ("http", "https"):
        raise InputError(url, "only http and https URLs can be fetched")
    request = urllib.request.Request(url, headers={"User-Agent": "stancegraph/0.1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(limits.max_file_bytes + 1)
            charset = response.headers.get_content_charset()
            modified = _http_date(response.headers.get("Last-Modified"))
    except urllib.error.HTTPError as e:
        raise InputError(url, f"the server answered {e.code} {e.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise InputError(url, f"cannot fetch: {getattr(e, 'reason', e)}") from None
    if len(data) > limits.max_file_bytes:
        raise InputError(url, f"larger than {limits.max_file_bytes:,} bytes; download it and "
                              "load the file (JSONL files are read line by line, without limit)")
    return read_text(decode(data, url, charset), url, errors=errors, file_date=modified,
                     limits=limits)


def read_sources(sources: Iterable[str], errors: list[InputError],
                 limits: Limits = DEFAULT) -> Iterator[Article]:
    """Every article of every source (paths or URLs), as they are read; errors are appended as
    they occur, never raised (one source's failure never stops the others)."""
    for source in sources:
        with item_boundary(errors, source, None, "cannot read this source"):
            if source.startswith(("http://", "https://")):
                yield from read_url(source, errors=errors, limits=limits)
            else:
                yield from read_path(source, errors=errors, limits=limits)


def _modified(fd: int) -> datetime:
    """The file's modification time (UTC): the last-resort date of undated articles."""
    return datetime.fromtimestamp(os.fstat(fd).st_mtime, tz=timezone.utc)


def _http_date(value: str | None) -> datetime | None:
    """A Last-Modified header as an aware datetime; None when absent or unreadable."""
    try:
        stamp = email.utils.parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if stamp is None or not EARLIEST_YEAR <= stamp.year <= LATEST_YEAR:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


__all__ = ["FORMATS", "NOT_ARTICLES", "Limits", "decode", "iter_text", "read_path", "read_sources",
           "read_text", "read_url", "sniff_format"]
