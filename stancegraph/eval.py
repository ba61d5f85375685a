"""`make eval`: extraction quality on every corpus that has gold facts, scored by the shared
scorer (../shared/tools/score_claims.py); prints P/R/F1, the missed and spurious facts and the
items a reader refused (a corpus is scored even when some of its items are refused). The news
corpus is also scored in two halves: the articles worked on (01–30) and those kept for checking
(31–45), told apart by article order and the number prefix of gold's `article` slugs."""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from stancegraph.cli.output import claim_json
from stancegraph.loaders.errors import InputError
from stancegraph.loaders.extract import extract_claims
from stancegraph.loaders.read import read_path

# corpus -> (name, first, last) article numbers of each part scored on its own
PARTS = {"news": (("01-30", 1, 30), ("31-45", 31, 45))}
_NUMBER = re.compile(r"^(\d+)-")


def corpora(shared: Path) -> list[Path]:
    """Corpus folders with a gold.jsonl."""
    return sorted(p.parent for p in (shared / "corpus").glob("*/gold.jsonl"))


def corpus_claims(corpus: Path) -> tuple[list[tuple[int, str]], list[str]]:
    """(article number, claim JSON line) for every claim of every article file of the corpus,
    articles numbered 1.. in reading order; and one line per refused item."""
    lines: list[tuple[int, str]] = []
    errors: list[InputError] = []
    number = 0
    for path in sorted(corpus.iterdir()):
        if path.name == "gold.jsonl" or path.name.startswith(".") or path.name.lower() == "readme.md":
            continue
        for article in read_path(path, errors):
            number += 1
            lines.extend((number, json.dumps(claim_json(c), ensure_ascii=False))
                         for c in extract_claims(article))
    return lines, [f"error: {e}" for e in errors]


def score_corpus(corpus: Path, scorer: Path) -> dict:
    """Extract every article file of the corpus and score the claims against its gold; with
    "parts" (scores per article range) for corpora listed in PARTS and "refused" items."""
    lines, refused = corpus_claims(corpus)
    gold = [g for g in (corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines() if g.strip()]
    result = _score(gold, [line for _, line in lines], scorer)
    result["claims"] = len(lines)
    result["refused"] = refused
    parts = {}
    for name, first, last in PARTS.get(corpus.name, ()):
        part_gold = [g for g in gold if first <= _article_number(g) <= last]
        part_pred = [line for n, line in lines if first <= n <= last]
        parts[name] = _score(part_gold, part_pred, scorer)
    if parts:
        result["parts"] = parts
    return result


def _article_number(gold_line: str) -> int:
    m = _NUMBER.match(json.loads(gold_line)["article"])
    return int(m.group(1)) if m else 0


def _score(gold: list[str], pred: list[str], scorer: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        gold_file, pred_file = Path(tmp) / "gold.jsonl", Path(tmp) / "pred.jsonl"
        gold_file.write_text("\n".join(gold) + "\n", encoding="utf-8")
        pred_file.write_text("\n".join(pred) + "\n", encoding="utf-8")
        out = subprocess.run([sys.executable, str(scorer), str(gold_file), str(pred_file), "--json"],
                             capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _print_scores(result: dict, indent: str = "  ") -> None:
    for k in ("stances", "statements"):
        s = result[k]
        print(f"{indent}{k:10} P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} "
              f"(gold {s['gold']}, predicted {s['predicted']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", default="../shared", type=Path)
    parser.add_argument("--report", default="reports/eval.json", type=Path)
    parser.add_argument("--quiet", action="store_true", help="scores only, no fact lists")
    parser.add_argument("--reviews", type=Path, help="a reviews file (`stancegraph review export`): "
                        "its decisions scored as gold against the claims extracted from every "
                        "corpus (stancegraph/eval_reviews.py)")
    args = parser.parse_args(argv)
    scorer = args.shared / "tools" / "score_claims.py"
    if not scorer.exists():
        print(f"error: {scorer}: the shared scorer is not there (is ../shared beside the repo?)",
              file=sys.stderr)
        return 2
    report = {}
    for corpus in corpora(args.shared):
        r = score_corpus(corpus, scorer)
        report[corpus.name] = r
        print(f"== {corpus.name}: {r['claims']} claims, {len(r['refused'])} items refused")
        for line in r["refused"]:
            print("  refused  ", line)
        if not args.quiet:
            for m in r["missed"]:
                print("  missed   ", *m)
            for x in r["false_positives"]:
                print("  spurious ", *x)
        _print_scores(r)
        for name, part in r.get("parts", {}).items():
            print(f"  -- articles {name}")
            _print_scores(part, "     ")
    if args.reviews is not None:
        from stancegraph.eval_reviews import reviews_report

        try:
            report["reviews"] = reviews_report(args.reviews, args.shared)
        except InputError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"report written to {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
