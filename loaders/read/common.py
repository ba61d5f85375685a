"""What every reader shares: dates that must carry a zone, HTML fragments to paragraphs,
a light language guess, and the Article a reader hands on."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import dateparser

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.model import Article, content_hash

_STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "that", "is", "for", "on", "with", "has", "was"},
    "fr": {"le", "la", "les", "et", "des", "du", "que", "est", "pour", "dans", "une", "sur"},
    "de": {"der", "die", "das", "und", "nicht", "ist", "mit", "ein", "eine", "für", "auf", "dem"},
    "it": {"il", "che", "della", "per", "non", "una", "sono", "gli", "delle", "nel", "alla"},
    "es": {"el", "los", "las", "del", "que", "por", "una", "con", "para", "es", "se", "al"},
    "uk": {"і", "що", "на", "не", "та", "як", "від", "до", "це", "україни", "для"},
    "ru": {"и", "что", "на", "не", "как", "от", "до", "это", "по", "россии", "для", "он"},
}


def detect_language(text: str) -> str:
    """ISO 639-1 code by stopword counts (no model download); "en" when unsure."""
    words = re.findall(r"\w+", text.lower())[:400]
    scores = {lang: sum(w in stops for w in words) for lang, stops in _STOPWORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 3 else "en"


def parse_date(value: object, source: str, position: str, field: str = "published",
               languages: list[str] | None = None, default_zone=timezone.utc) -> datetime:
    """An aware datetime from ISO text, a struct_time or free text; a clear error otherwise."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            parsed = dateparser.parse(text, languages=languages,
                                      settings={"RETURN_AS_TIMEZONE_AWARE": False,
                                                "PREFER_DAY_OF_MONTH": "first"})
        if parsed is None:
            raise InputError(source, f"field '{field}': cannot read the date {text!r}", position)
    else:
        raise InputError(source, f"field '{field}' is missing or empty", position)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=default_zone)
    return parsed


def html_to_paragraphs(fragment: str) -> str:
    """An HTML fragment as plain text, one paragraph per block element, "\\n\\n" between."""
    import lxml.html

    if "<" not in fragment:
        return normalise_paragraphs(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types for broken markup; fall back to the text
        return normalise_paragraphs(re.sub(r"<[^>]+>", " ", fragment))
    for bad in root.xpath("//script|//style|//figure|//figcaption"):
        bad.drop_tree()
    blocks = []
    for el in root.iter("p", "li", "h1", "h2", "h3", "h4", "blockquote"):
        text = " ".join(el.text_content().split())
        if text and not any(text in b for b in blocks[-1:]):
            blocks.append(text)
    if not blocks:
        blocks = [" ".join(root.text_content().split())]
    return "\n\n".join(b for b in blocks if b)


def normalise_paragraphs(text: str) -> str:
    """Trim lines, keep paragraph breaks as exactly one blank line; words inside stay as they are."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n\n".join(" ".join(line.strip() for line in p.strip().splitlines() if line.strip())
                       for p in paragraphs if p.strip())


def make_article(*, url: str | None, outlet: str, title: str, published: datetime, body: str,
                 source: str, position: str, language: str | None = None,
                 article_id: str | None = None) -> Article:
    """The Article with a stable id: the URL when known, else a hash of outlet, title and body."""
    if not body.strip():
        raise InputError(source, "the article has no text", position)
    if not title.strip():
        raise InputError(source, "field 'title' is missing or empty", position)
    ident = article_id or url or "sha256:" + content_hash(outlet, title, body, length=32)
    return Article(id=ident, url=url or None, outlet=outlet.strip() or "unknown outlet",
                   title=" ".join(title.split()), published=published,
                   language=language or detect_language(title + " " + body), body=body,
                   source=source, position=position)
