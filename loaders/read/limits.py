"""Bounds on input, so that no file, line or article can take the machine with it: a file's size,
a JSONL line's length, nesting depth (JSON, XML, HTML), a title's and a body's length.

Each bound is a field of `Limits`; defaults are generous for news and set from the environment
(STANCEGRAPH_MAX_FILE_BYTES, ...) or the CLI's options. Past a bound, the item is one error."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields, replace
from itertools import accumulate

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.model import Article


@dataclass(frozen=True)
class Limits:
    """Largest input a reader accepts; every field has an env var STANCEGRAPH_<NAME upper>."""

    max_file_bytes: int = 20_000_000     # a feed, page or dump (JSONL is streamed line by line)
    max_line_bytes: int = 5_000_000      # one JSONL line
    max_depth: int = 100                 # nesting of JSON values and XML/HTML elements
    max_title_chars: int = 1_000
    max_body_chars: int = 200_000        # ~ 30,000 words; extraction time grows with length

    @classmethod
    def from_env(cls, **given: int | None) -> "Limits":
        """Defaults, overridden by env STANCEGRAPH_MAX_…, overridden by `given` (not None)."""
        values = {}
        for f in fields(cls):
            env = os.environ.get(f"STANCEGRAPH_{f.name.upper()}", "").replace("_", "").strip()
            if env:
                try:
                    values[f.name] = int(env)
                except ValueError:
                    raise InputError(f"STANCEGRAPH_{f.name.upper()}",
                                     f"expected a whole number, got {env!r}") from None
            if given.get(f.name) is not None:
                values[f.name] = given[f.name]
        limits = replace(cls(), **values)
        for f in fields(limits):
            if getattr(limits, f.name) < 1:
                raise InputError(f"STANCEGRAPH_{f.name.upper()}", "must be at least 1")
        return limits


DEFAULT = Limits()

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth(text: str) -> int:
    """How deeply the JSON text nests arrays and objects (brackets inside strings not counted)."""
    opened = text.count("[") + text.count("{")
    if opened < 2:
        return opened
    brackets = _JSON_BRACKET.findall(_JSON_STRING.sub("", text))
    return max(accumulate(_STEP[b] for b in brackets), default=0)


def check_json_depth(text: str, source: str, position: str | None, limits: Limits) -> None:
    if text.count("[") + text.count("{") > limits.max_depth and json_depth(text) > limits.max_depth:
        raise InputError(source, f"JSON nested more than {limits.max_depth} levels deep "
                                 "(limit: STANCEGRAPH_MAX_DEPTH / --max-depth)", position)


def markup_depth(text: str, stop_at: int, html: bool = False) -> int:
    """How deeply XML (or HTML) elements nest, by lxml's pull parser; parsing stops once past
    `stop_at`, so a nesting bomb costs a few microseconds, and at the first syntax error (the
    reader reports that one)."""
    import lxml.etree

    if html:
        parser = lxml.etree.HTMLPullParser(events=("start", "end"), no_network=True)
    else:
        parser = lxml.etree.XMLPullParser(events=("start", "end"), resolve_entities=False,
                                          no_network=True, load_dtd=False,
                                          huge_tree=stop_at >= 255)
    data = text.encode("utf-8") if html else _without_declaration(text).encode("utf-8")
    depth = deepest = 0

    def deeper(events) -> bool:
        nonlocal depth, deepest
        for event, _el in events:
            depth += 1 if event == "start" else -1
            deepest = max(deepest, depth)
            if deepest > stop_at:
                return True
        return False

    for at in range(0, len(data), 16384):
        try:
            parser.feed(data[at:at + 16384])
        except lxml.etree.XMLSyntaxError as e:
            if deeper(parser.read_events()) or "depth" in str(e).lower():
                return max(deepest, stop_at + 1)
            return deepest                         # the break itself: the reader reports it
        if deeper(parser.read_events()):
            return deepest
    return deepest


def _without_declaration(text: str) -> str:
    """The XML text without an encoding in its declaration (the text is decoded already)."""
    return _ENCODING_DECL.sub(r"\1", text, count=1)


_ENCODING_DECL = re.compile(r"\A(\ufeff?\s*<\?xml[^>]*?)\s+encoding\s*=\s*[\"'][^\"']*[\"']")


def check_markup_depth(text: str, source: str, limits: Limits, html: bool = False) -> None:
    if markup_depth(text, limits.max_depth, html) > limits.max_depth:
        raise InputError(source, f"elements nested more than {limits.max_depth} levels deep "
                                 "(limit: STANCEGRAPH_MAX_DEPTH / --max-depth)")


def check_article(article: Article, limits: Limits) -> Article:
    """The article when its title and body are within bounds, else the item's InputError."""
    if len(article.title) > limits.max_title_chars:
        raise InputError(article.source, f"the title is {len(article.title):,} characters long, "
                                         f"more than {limits.max_title_chars:,} (limit: "
                                         "STANCEGRAPH_MAX_TITLE_CHARS / --max-title)",
                         article.position)
    if len(article.body) > limits.max_body_chars:
        raise InputError(article.source, f"the text is {len(article.body):,} characters long, "
                                         f"more than {limits.max_body_chars:,} (limit: "
                                         "STANCEGRAPH_MAX_BODY_CHARS / --max-body)",
                         article.position)
    return article
