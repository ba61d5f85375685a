"""Readers: files, directories and URLs -> Article records. The format is told by content
(extension only breaks ties); every bad input is one InputError naming file and line/item.

Callers that pass `errors=[]` get per-item errors appended and the good items read; without it
the first error raises."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterable, Iterator

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.model import Article

from .feed import read_feed
from .jsonl import read_jsonl
from .page import read_page
from .reader_dump import looks_like_reader_dump, read_reader_dump

FORMATS = ("feed", "html", "jsonl", "reader-dump")
_SKIP_NAMES = {"readme.md", "gold.jsonl", ".ds_store"}


def sniff_format(data: bytes | str, name: str = "") -> str:
    """"feed", "html", "jsonl" or "reader-dump", from the first bytes of the content."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    head = text.lstrip("\ufeff \t\r\n")[:2048].lower()
    if head.startswith("<?xml") or head.startswith("<rss") or head.startswith("<feed") or \
            re.match(r"<\?xml[^>]*>\s*(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:rdf)", head, re.S):
        if re.search(r"<(?:rss|feed|rdf:rdf)\b", head):
            return "feed"
    if head.startswith("<!doctype html") or head.startswith("<html") or re.search(r"<(?:html|head|body)\b", head):
        return "html"
    if head.startswith("{") and _first_line_is_json_object(text):
        return "jsonl"
    if looks_like_reader_dump(text):
        return "reader-dump"
    suffix = Path(name).suffix.lower()
    return {".rss": "feed", ".atom": "feed", ".xml": "feed", ".html": "html", ".htm": "html",
            ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(suffix, "reader-dump")


def _first_line_is_json_object(text: str) -> bool:
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return first.strip().startswith("{")


def read_text(text: str, source: str, fmt: str | None = None,
              errors: list[InputError] | None = None) -> list[Article]:
    """Articles of one document already decoded."""
    if not text.strip():
        raise InputError(source, "the file is empty")
    fmt = fmt or sniff_format(text, source)
    if fmt == "feed":
        return read_feed(text, source, errors)
    if fmt == "html":
        return read_page(text, source)
    if fmt == "jsonl":
        return read_jsonl(text, source, errors)
    if fmt == "reader-dump":
        return read_reader_dump(text, source, errors)
    raise InputError(source, f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")


def decode(data: bytes, source: str) -> str:
    """UTF-8 text (a BOM is fine); binary or other encodings are a clear error."""
    if not data.strip():
        raise InputError(source, "the file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(source, "this is a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise InputError(source, f"not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}); "
                                 "re-save the file as UTF-8", f"line {line}") from None


def read_path(path: str | Path, errors: list[InputError] | None = None) -> Iterator[Article]:
    """Articles of a file, or of every file of a directory (sorted, recursively)."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower() not in _SKIP_NAMES
                       and not p.name.startswith("."))
        for f in files:
            try:
                yield from read_path(f, errors)
            except InputError as e:
                if errors is None:
                    raise
                errors.append(e)
        return
    if not path.exists():
        raise InputError(str(path), "no such file or directory")
    text = decode(path.read_bytes(), str(path))
    yield from read_text(text, str(path), errors=errors)


def read_url(url: str, errors: list[InputError] | None = None, timeout: float = 20.0) -> list[Article]:
    """Articles of a feed or page fetched over http(s)."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": "stancegraph/0.1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read()
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise InputError(url, f"cannot fetch: {reason}") from None
    return read_text(decode(data, url), url, errors=errors)


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
