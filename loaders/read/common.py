"""What every reader shares: dates that must carry a zone, HTML fragments to paragraphs,
a light language guess, and the Article a reader hands on."""
from __future__ import annotations

import re
from datetime import datetime

from stancegraph.loaders.errors import InputError
from .encoding import check_unicode
from stancegraph.loaders.model import Article, content_hash

from .dates import parse_date  # noqa: F401  (readers import it from here)

# Frequent short words per language; enough to tell news prose apart without a model.
_STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "that", "is", "for", "on", "with", "has", "was"},
    "fr": {"le", "la", "les", "et", "des", "du", "que", "est", "pour", "dans", "une", "sur"},
    "de": {"der", "die", "das", "und", "nicht", "ist", "mit", "ein", "eine", "für", "auf", "dem"},
    "it": {"il", "che", "della", "per", "non", "una", "sono", "gli", "delle", "nel", "alla"},
    "es": {"el", "los", "las", "del", "que", "por", "una", "con", "para", "es", "se", "al"},
    "uk": {"і", "що", "на", "не", "та", "як", "від", "до", "це", "україни", "для"},
    "ru": {"и", "что", "на", "не", "как", "от", "до", "это", "по", "россии", "для", "он"},
}

# Block elements: each starts a new paragraph when an HTML fragment becomes text.
_BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
           "pre", "table", "tr", "section", "article", "header", "footer", "dl", "dt", "dd", "br",
           "hr"}
_DROPPED = {"script", "style", "figure", "figcaption", "iframe", "noscript", "form", "button"}


def detect_language(text: str) -> str:
    """ISO 639-1 code by stopword counts (no model download); "en" when unsure."""
    words = re.findall(r"\w+", text.lower())[:400]
    scores = {lang: sum(w in stops for w in words) for lang, stops in _STOPWORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 3 else "en"


# Markup that is still there after the fragment became text: the feed escaped its HTML twice.
_ESCAPED_MARKUP = re.compile(r"</?(?:p|h[1-6]|strong|em|b|i|a|div|span|br|li|ul|ol|blockquote)"
                             r"(?:\s[^<>]*)?/?>", re.I)


def html_to_paragraphs(fragment: str, unescaped: bool = False) -> str:
    """An HTML fragment as plain text: one paragraph per block element, "\\n\\n" between them,
    white space inside a paragraph collapsed as a browser would show it. A fragment whose text
    is itself HTML (escaped twice by its feed: `&lt;p&gt;…`) is read once more."""
    import lxml.etree
    import lxml.html

    if not fragment.strip():
        return ""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    paragraphs: list[str] = []
    pieces: list[str] = []

    def close_paragraph() -> None:
        text = " ".join("".join(pieces).split())
        if text:
            paragraphs.append(text)
        pieces.clear()

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""   # comments and PIs have no text to show
        if tag in _DROPPED:
            return
        if tag in _BLOCKS:
            close_paragraph()
        if tag and el.text:
            pieces.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                pieces.append(child.tail)
        if tag in _BLOCKS:
            close_paragraph()

    walk(root)
    close_paragraph()
    if not unescaped and len(_ESCAPED_MARKUP.findall(" ".join(paragraphs))) >= 2:
        paragraphs = [p for p in (html_to_paragraphs(p, unescaped=True) for p in paragraphs) if p]
    return "\n\n".join(paragraphs)


def plain_paragraphs(text: str) -> str:
    """Plain text with paragraphs separated by exactly one blank line; lines of one paragraph are
    joined by a space and nothing else inside a paragraph changes."""
    blocks = re.split(r"\n[ \t\u00a0]*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    joined = (" ".join(line.strip() for line in block.splitlines() if line.strip())
              for block in blocks)
    return "\n\n".join(p for p in joined if p)


# Control characters other than tab and line feed carry nothing in article text; they become
# spaces (so U+001F can separate the fields of a packed change row, sg:changeRow).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def make_article(*, url: str | None, outlet: str, title: str, published: datetime, body: str,
                 source: str, position: str, language: str | None = None,
                 article_id: str | None = None, date_source: str = "published") -> Article:
    """The Article with a stable id: the URL when known, else "sha256:" + hash of outlet, title
    and body. Missing title, outlet or text is an InputError, never an empty record."""
    for name, value in (("title", title), ("outlet", outlet), ("text", body), ("url", url),
                        ("id", article_id), ("language", language)):
        check_unicode(value, name, source, position)
    title = " ".join(title.split())
    outlet = " ".join(outlet.split())
    body = _CONTROL.sub(" ", body)
    if not title:
        raise InputError(source, "the article has no title", position)
    if not outlet:
        raise InputError(source, "the article names no outlet", position)
    if not body.strip():
        raise InputError(source, "the article has no text", position)
    ident = article_id or url or "sha256:" + content_hash(outlet, title, body, length=32)
    return Article(id=ident, url=url or None, outlet=outlet, title=title, published=published,
                   language=language or detect_language(title + " " + body), body=body,
                   source=source, position=position, date_source=date_source)
