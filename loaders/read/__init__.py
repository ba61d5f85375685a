"""Readers: files, directories and URLs -> Article records. The format is told by content
(the file name only breaks ties); every bad input is one InputError naming file and
line/item/field.

Errors API, the same for every reader: with `errors=None` the first error raises; with a list,
errors of single items (a JSONL line, a feed entry, a dump article, a file of a directory)
are appended to it and reading goes on, so callers get the good articles and every error."""
from __future__ import annotations

import email.utils
import json
import re
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator
from urllib.parse import urlparse

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.model import Article

from .dates import EARLIEST_YEAR, LATEST_YEAR
from .feed import read_feed
from .html import read_page
from .jsonl import read_jsonl
from .reader_dump import looks_like_reader_dump, read_reader_dump
from .text import read_plain_text

FORMATS = ("feed", "html", "jsonl", "reader-dump", "text")
SUFFIXES = {".rss": "feed", ".atom": "feed", ".xml": "feed", ".html": "html", ".htm": "html",
            ".xhtml": "html", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
# Files a corpus folder keeps beside its articles: documentation and gold facts.
NOT_ARTICLES = {"readme", "readme.md", "readme.txt", "gold.jsonl"}
MAX_FETCH_BYTES = 20_000_000

_FIRST_TAG = re.compile(r"\A(?:\s|<\?.*?\?>|<!--.*?-->|<!doctype[^>]*>)*<([a-z][\w:.-]*)",
                        re.IGNORECASE | re.DOTALL)


def sniff_format(data: bytes | str, name: str = "") -> str:
    """"feed", "html", "jsonl", "reader-dump" or "text", told by the content; the name's
    extension decides only what the content leaves open."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
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
              errors: list[InputError] | None = None,
              file_date: datetime | None = None) -> list[Article]:
    """Articles of one decoded document; `source` names it in errors and in Article.source.
    `file_date` (the file's modification time) is the last-resort date of undated articles."""
    if not text.strip():
        raise InputError(source, "the file is empty")
    fmt = fmt or sniff_format(text, urlparse(source).path if "://" in source else source)
    if fmt == "feed":
        return read_feed(text, source, errors, file_date)
    if fmt == "html":
        return read_page(text, source, file_date)
    if fmt == "jsonl":
        return read_jsonl(text, source, errors, file_date)
    if fmt == "reader-dump":
        return read_reader_dump(text, source, errors)
    if fmt == "text":
        return read_plain_text(text, source, file_date)
    raise InputError(source, f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def decode(data: bytes, source: str, charset: str = "utf-8") -> str:
    """Text of the bytes (UTF-8 unless a server said otherwise; a BOM is fine); empty, binary
    and undecodable input is one clear error naming the line and byte offset."""
    if not data.strip():
        raise InputError(source, "the file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(source, "this is a binary file, not text")
    codec = "utf-8-sig" if charset.lower().replace("_", "-") in ("utf-8", "utf8") else charset
    try:
        return data.decode(codec)
    except LookupError:
        raise InputError(source, f"unknown text encoding {charset!r}") from None
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise InputError(source, f"not {charset.upper()} text (byte 0x{data[e.start]:02x} at offset "
                                 f"{e.start}); re-save the file as UTF-8", f"line {line}") from None


def read_path(path: str | Path, errors: list[InputError] | None = None) -> Iterator[Article]:
    """Articles of a file, or of every file under a directory (sorted by path; hidden files,
    READMEs and gold.jsonl are skipped)."""
    path = Path(path)
    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.is_file() and _is_article_file(p, path)):
            try:
                yield from read_path(file, errors)
            except InputError as e:
                if errors is None:
                    raise
                errors.append(e)
        return
    if not path.exists():
        raise InputError(str(path), "no such file or directory")
    yield from read_text(decode(path.read_bytes(), str(path)), str(path), errors=errors,
                         file_date=_modified(path))


def read_url(url: str, errors: list[InputError] | None = None,
             timeout: float = 20.0) -> list[Article]:
    """Articles of a feed, page, JSONL or dump fetched over http(s)."""
    if urlparse(url).scheme not in ("http", "https"):
        raise InputError(url, "only http and https URLs can be fetched")
    request = urllib.request.Request(url, headers={"User-Agent": "stancegraph/0.1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_FETCH_BYTES + 1)
            charset = response.headers.get_content_charset() or "utf-8"
            modified = _http_date(response.headers.get("Last-Modified"))
    except urllib.error.HTTPError as e:
        raise InputError(url, f"the server answered {e.code} {e.reason}") from None
    except (urllib.error.URLError, OSError) as e:
        raise InputError(url, f"cannot fetch: {getattr(e, 'reason', e)}") from None
    if len(data) > MAX_FETCH_BYTES:
        raise InputError(url, f"larger than {MAX_FETCH_BYTES // 1_000_000} MB; download it and "
                              "load the file")
    return read_text(decode(data, url, charset), url, errors=errors, file_date=modified)


def read_sources(sources: Iterable[str], errors: list[InputError]) -> list[Article]:
    """Every article of every source (paths or URLs); errors are appended, never raised."""
    articles: list[Article] = []
    for source in sources:
        try:
            if source.startswith(("http://", "https://")):
                articles.extend(read_url(source, errors=errors))
            else:
                articles.extend(read_path(source, errors=errors))
        except InputError as e:
            errors.append(e)
    return articles


def _modified(path: Path) -> datetime:
    """The file's modification time (UTC): the last-resort date of undated articles."""
    return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)


def _http_date(value: str | None) -> datetime | None:
    """A Last-Modified header as an aware datetime; None when absent or unreadable."""
    try:
        stamp = email.utils.parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if stamp is None or not EARLIEST_YEAR <= stamp.year <= LATEST_YEAR:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def _is_article_file(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return not any(p.startswith(".") for p in parts) and path.name.lower() not in NOT_ARTICLES
