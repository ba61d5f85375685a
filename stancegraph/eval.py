"""`make eval`: extraction quality on every corpus that has gold facts, scored by the shared
scorer (../shared/tools/score_claims.py); prints P/R/F1 and the missed and spurious facts."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from stancegraph.cli.output import claim_json
from stancegraph.loaders.extract import extract_claims
from stancegraph.loaders.read import read_path


def corpora(shared: Path) -> list[Path]:
    """Corpus folders with a gold.jsonl."""
    return sorted(p.parent for p in (shared / "corpus").glob("*/gold.jsonl"))


def score_corpus(corpus: Path, scorer: Path) -> dict:
    """Extract every article file of the corpus and score the claims against its gold."""
    lines = []
    for path in sorted(corpus.iterdir()):
        if path.name == "gold.jsonl" or path.name.startswith(".") or path.name.lower() == "readme.md":
            continue
        for article in read_path(path):
            lines.extend(json.dumps(claim_json(c), ensure_ascii=False) for c in extract_claims(article))
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
        pred = f.name
    out = subprocess.run([sys.executable, str(scorer), str(corpus / "gold.jsonl"), pred, "--json"],
                         capture_output=True, text=True, check=True)
    Path(pred).unlink()
    result = json.loads(out.stdout)
    result["claims"] = len(lines)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", default="../shared", type=Path)
    parser.add_argument("--report", default="reports/eval.json", type=Path)
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
        print(f"== {corpus.name}: {r['claims']} claims")
        for m in r["missed"]:
            print("  missed   ", *m)
        for x in r["false_positives"]:
            print("  spurious ", *x)
        for k in ("stances", "statements"):
            s = r[k]
            print(f"  {k:10} P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} "
                  f"(gold {s['gold']}, predicted {s['predicted']})")
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"report written to {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
