"""Stable IRIs from content: the same input always names the same node, so reloads merge."""
from __future__ import annotations

import re
import unicodedata

from rdflib import URIRef

from stancegraph.loaders.model import Article, Claim, content_hash
from stancegraph.ontology.vocab import SGID, article_graph_iri


def slug(text: str) -> str:
    """ASCII lower-kebab: "Financial Times" -> "financial-times"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or content_hash(text, length=8)


def article_iri(article: Article) -> URIRef:
    return SGID[f"article/{article.key}"]


def graph_iri(article: Article) -> URIRef:
    """The named graph holding exactly this article's facts."""
    return article_graph_iri(article.key)


def claim_iri(claim: Claim) -> URIRef:
    return SGID[f"claim/{claim.id}"]


def outlet_iri(name: str) -> URIRef:
    return SGID[f"outlet/{slug(name)}"]


def position_iri(label: str) -> URIRef:
    return SGID[f"position/{content_hash(label.lower())}"]
