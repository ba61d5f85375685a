"""An article of our own for the review tests (sentences we wrote, stating reported positions) and
small helpers shared by tests/test_review.py and tests/neo4j/test_review_acceptance.py."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

URL = "https://tests.stancegraph.invalid/review-three-refusals"
BODY = ("Spain has ruled out sending troops to Ukraine, the government said on Thursday.\n\n"
        "Italy has decided against any troop involvement in Ukraine.\n\n"
        "Poland will not send its soldiers to Ukraine, Prime Minister Donald Tusk said.")


def write_article(path: Path, title: str = "Review test: three refusals", body: str = BODY) -> Path:
    """The article as a one-line JSONL file; another title makes a reload replace it (and
    extract its claims again)."""
    path.write_text(json.dumps({"title": title, "url": URL, "outlet": "Review Test Wire",
                                "published": "2025-09-04T10:00:00+02:00", "body": body}) + "\n",
                    encoding="utf-8")
    return path


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def actors(rows) -> list[str]:
    return sorted(r["actor"] for r in rows)


def claim_of(rows, actor: str) -> str:
    [row] = [r for r in rows if r["actor"] == actor]
    return row["claim"]
