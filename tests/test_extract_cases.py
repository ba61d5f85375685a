"""Extraction specifications from tests/cases/*.txt: sentences written for the project, each
with the facts an analyst would code. They cover phrasings the dev corpus does not have."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from stancegraph.loaders.extract import extract_claims
from stancegraph.loaders.model import Article, Relation, content_hash

CASES_DIR = Path(__file__).parent / "cases"


def parse_cases(path: Path) -> list[tuple[str, str, str, set[tuple[str, str, str]]]]:
    cases, name, body, expected, published = [], None, [], set(), "2025-09-10"

    def flush():
        if name:
            cases.append((name, "\n".join(body).strip(), published, expected))

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") and not line.startswith("## "):
            continue
        if line.startswith("## "):
            flush()
            name, body, expected, published = line[3:].strip(), [], set(), "2025-09-10"
        elif line.startswith("@ "):
            published = line[2:].strip()
        elif line.startswith("=> "):
            fact = line[3:].strip()
            if fact != "none":
                actor, relation, *obj = fact.rsplit(" ", 2) if not fact.endswith(" states") \
                    else (fact[:-len(" states")], "states", "-")
                expected.add((actor, relation, obj[0] if obj else "-"))
        else:
            body.append(line)
    flush()
    return cases


def article_of(text: str, published: str) -> Article:
    when = datetime.fromisoformat(published).replace(hour=12, tzinfo=timezone.utc)
    return Article(id=f"test:{content_hash(text)}", url=None, outlet="Test Wire", title="Test article",
                   published=when, language="en", body=text, source="tests/cases",
                   position="case")


def coded_facts(text: str, published: str, on_behalf_of: bool = False) -> set[tuple[str, str, str]]:
    """(actor, relation, kind) of every non-derived claim; with `on_behalf_of`, the actor is
    "Label [Country]" or "Label [-]" (a case writes its actors that way to check it)."""
    facts = set()
    for c in extract_claims(article_of(text, published)):
        if c.derived_from is not None:
            continue
        obj = c.object.label if c.relation is not Relation.STATES else "-"
        actor = c.actor.label
        if on_behalf_of:
            actor += f" [{c.actor.on_behalf_of.label if c.actor.on_behalf_of else '-'}]"
        facts.add((actor, c.relation.value, obj))
    return facts


CASES = [c for f in sorted(CASES_DIR.glob("*.txt")) for c in parse_cases(f)]


@pytest.mark.parametrize("name,text,published,expected", CASES, ids=[c[0] for c in CASES])
def test_case_yields_exactly_the_expected_facts(name, text, published, expected):
    with_behalf = any(actor.endswith("]") for actor, _, _ in expected)
    assert coded_facts(text, published, with_behalf) == expected


def test_there_are_enough_cases_to_generalise():
    assert len(CASES) >= 150
