"""Extraction throughput (articles/s, words/s) against a baseline measured in the same run:
a pass that only splits sentences and scans the gazetteer (the floor any extractor pays)."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from stancegraph.loaders.extract import extract_claims
from stancegraph.loaders.extract.mentions import find_names
from stancegraph.loaders.extract.sentences import split_sentences
from stancegraph.loaders.model import Article
from stancegraph.ontology.gazetteer import load_gazetteer

SENTENCES = [
    "{a} has ruled out sending troops to Ukraine, its foreign minister said on Monday.",
    "{a} is ready to contribute air defence systems and training for Ukrainian forces.",
    "Officials in {a} have yet to decide whether to join a reassurance force.",
    "“We will not send our soldiers,” the prime minister of {a} told reporters.",
    "{a} pledged new funding and weapons deliveries, according to the Financial Times.",
    "The summit in Paris lasted four hours and ended with a joint statement on security guarantees.",
    "{a} and {b} offered naval support to clear mines in the Black Sea.",
    "Leaders discussed the timing of any deployment after a ceasefire.",
]
COUNTRIES = ["Italy", "Spain", "Poland", "Germany", "Canada", "Japan", "Norway", "Greece",
             "Portugal", "Belgium", "Austria", "Romania", "Sweden", "Finland", "Estonia"]


def synthetic_articles(n: int) -> list[Article]:
    """n articles of ~16 sentences each, written from templates with real country names."""
    base = datetime(2025, 9, 1, 12, tzinfo=timezone.utc)
    out = []
    for i in range(n):
        paragraphs = []
        for j in range(16):
            a, b = COUNTRIES[(i + j) % len(COUNTRIES)], COUNTRIES[(i + 3 * j + 1) % len(COUNTRIES)]
            paragraphs.append(SENTENCES[(i + j) % len(SENTENCES)].format(a=a, b=b))
        body = "\n\n".join(paragraphs)
        out.append(Article(f"bench:{i}", None, "Bench Wire", f"Bench article {i}",
                           base + timedelta(hours=i), "en", body, "bench", f"item {i}"))
    return out


def measure(n: int = 300) -> dict:
    articles = synthetic_articles(n)
    words = sum(len(a.body.split()) for a in articles)
    gazetteer = load_gazetteer()
    extract_claims(articles[0], gazetteer)          # warm caches (patterns, kinds)

    t0 = time.perf_counter()
    for a in articles:
        for s in split_sentences(a.body):
            find_names(s.text, gazetteer)
    baseline = time.perf_counter() - t0

    t0 = time.perf_counter()
    claims = sum(len(extract_claims(a, gazetteer)) for a in articles)
    full = time.perf_counter() - t0
    return {"articles": n, "words": words, "claims": claims,
            "baseline_articles_per_s": n / baseline, "articles_per_s": n / full,
            "words_per_s": words / full, "ratio_vs_baseline": full / baseline}


def report(r: dict) -> str:
    return (f"extraction: {r['articles_per_s']:.0f} articles/s, {r['words_per_s']:.0f} words/s "
            f"({r['claims']} claims from {r['articles']} articles); baseline (split + gazetteer "
            f"scan) {r['baseline_articles_per_s']:.0f} articles/s; full extraction costs "
            f"{r['ratio_vs_baseline']:.1f}x the baseline")


if __name__ == "__main__":
    print(report(measure()))
