"""Proof that a speed change to extraction changes no output: runs the extractor over the dev and
news corpora and over generated articles (bench/corpus.py) and prints, per set, a sha256 of the
sorted JSON of every claim (all fields) and of every uncoded sentence, a sha256 of the same in
extraction order, and the CPU time per article. The digests must be the same before and after.

    .venv/bin/python bench/extraction_digest.py [--generated 1000] [--shared ../shared]
"""
from __future__ import annotations

import argparse
import dataclasses
import enum
import hashlib
import json
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_jsonl  # noqa: E402

from stancegraph.loaders.extract import _read  # noqa: E402  (claims and uncoded in one pass)
from stancegraph.loaders.model import Article  # noqa: E402
from stancegraph.loaders.read import read_path  # noqa: E402
from stancegraph.ontology.gazetteer import load_gazetteer  # noqa: E402


def plain(value):
    """Every field of a claim as JSON-able data; the article is named by its id."""
    if isinstance(value, Article):
        return value.id
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return repr(value)
    return value


def articles_of(paths: list[Path]) -> list[Article]:
    out: list[Article] = []
    for path in paths:
        out.extend(read_path(path, []))
    return out


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name != "gold.jsonl"
                  and not p.name.startswith(".") and p.name.lower() != "readme.md")


def digest(articles: list[Article], gazetteer) -> dict:
    lines: list[str] = []
    cpu = 0.0
    claims = uncoded = 0
    for a in articles:
        t0 = time.process_time()
        made, missed = _read(a, gazetteer)
        cpu += time.process_time() - t0
        claims += len(made)
        uncoded += len(missed)
        lines.extend("C " + json.dumps(plain(c), ensure_ascii=False, sort_keys=True) for c in made)
        lines.extend("U " + json.dumps(plain(u), ensure_ascii=False, sort_keys=True) for u in missed)
    return {"articles": len(articles), "claims": claims, "uncoded": uncoded,
            "sorted": hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest(),
            "ordered": hashlib.sha256("\n".join(lines).encode()).hexdigest(),
            "ms_per_article": 1000 * cpu / max(len(articles), 1)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared")
    p.add_argument("--generated", type=int, default=1000)
    args = p.parse_args(argv)
    gazetteer = load_gazetteer()
    with tempfile.TemporaryDirectory() as tmp:
        sets = {"dev": articles_of(corpus_files(args.shared / "corpus" / "dev")),
                "news": articles_of(corpus_files(args.shared / "corpus" / "news")),
                f"generated-{args.generated}": articles_of(
                    [write_jsonl(Path(tmp) / "generated.jsonl", args.generated)])}
    _read(sets["dev"][0], gazetteer)                 # warm caches (patterns, kinds, gazetteer)
    everything = hashlib.sha256()
    for name, articles in sets.items():
        r = digest(articles, gazetteer)
        everything.update(r["sorted"].encode())
        print(f"{name:>15}: {r['articles']:5d} articles {r['claims']:6d} claims {r['uncoded']:4d} "
              f"uncoded  sorted {r['sorted'][:16]}  ordered {r['ordered'][:16]}  "
              f"{r['ms_per_article']:.2f} ms/article (CPU)")
    print(f"{'all':>15}: {everything.hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
