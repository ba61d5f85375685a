"""JSONL: one article per line with title, url, outlet, published, body (language, id optional)."""
from __future__ import annotations

import json

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.model import Article

from .common import make_article, normalise_paragraphs, parse_date

REQUIRED = ("title", "outlet", "published", "body")


def read_jsonl(text: str, source: str, errors: list[InputError] | None = None) -> list[Article]:
    """Every good line; a bad line is one error naming its line (and field)."""
    out: list[Article] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(_article(line, source, f"line {n}"))
        except InputError as e:
            if errors is None:
                raise
            errors.append(e)
    return out


def _article(line: str, source: str, position: str) -> Article:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(source, f"not JSON ({e.msg} at column {e.colno})", position) from None
    if not isinstance(item, dict):
        raise InputError(source, "a line must be a JSON object", position)
    for field in REQUIRED:
        if not isinstance(item.get(field), str) or not item[field].strip():
            raise InputError(source, f"field '{field}' is missing or empty", position)
    url = item.get("url") or None
    if url is not None and not isinstance(url, str):
        raise InputError(source, "field 'url' must be a string", position)
    return make_article(url=url, outlet=item["outlet"], title=item["title"],
                        published=parse_date(item["published"], source, position),
                        body=normalise_paragraphs(item["body"]), source=source, position=position,
                        language=item.get("language"), article_id=item.get("id"))
