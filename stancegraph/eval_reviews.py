"""Review decisions scored as gold for the extractor (`make eval REVIEWS=file`, or
`python -m stancegraph.eval --reviews FILE`): the claims are extracted again from the articles and
matched to the decisions by claim id (a content hash, the same on every run of the same rules).

- a confirmed claim is a true claim;
- a retracted claim is a false claim (when the extractor no longer makes it, that is a fix);
- a corrected claim is a false claim, and its corrected (actor, relation, kind) a gold fact: found
  when some claim of the same article now says exactly that.
Precision over the reviewed claims the extractor still makes = confirmed / all of them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from stancegraph.loaders.model import Article, Claim
from stancegraph.loaders.store.reviews import Decision
from stancegraph.ontology.vocab import SG_IRI


@dataclass(frozen=True)
class ReviewScore:
    decisions: int
    matched: int            # reviewed claims the extractor still makes
    confirmed: int
    retracted: int          # ... still made although retracted (false claims)
    corrected: int          # ... still made although corrected (false claims)
    fixed: int              # retracted or corrected claims the extractor no longer makes
    gold_found: int         # corrected facts some claim of the article now states
    gold_total: int
    unknown: int            # decisions about articles not among the sources

    @property
    def precision(self) -> float | None:
        return self.confirmed / self.matched if self.matched else None

    def as_dict(self) -> dict:
        return {**self.__dict__, "precision": self.precision}

    def line(self) -> str:
        p = "n/a" if self.precision is None else f"{self.precision:.3f}"
        return (f"reviews: {self.decisions} decisions, {self.matched} about claims still extracted "
                f"({self.confirmed} confirmed, {self.retracted} retracted, {self.corrected} corrected): "
                f"P={p}; {self.fixed} wrong claims no longer extracted; corrected facts found "
                f"{self.gold_found}/{self.gold_total}; {self.unknown} about other articles")


def _triple(claim: Claim) -> tuple[str, str, str]:
    return claim.actor.id, SG_IRI + claim.relation.value, claim.object.id


def score_reviews(decisions: Iterable[Decision], claims: Iterable[tuple[Article, list[Claim]]]) -> ReviewScore:
    """Score the decisions against the claims extracted now from each article."""
    from stancegraph.loaders.mapping import article_iri

    by_id: dict[str, Claim] = {}
    by_article: dict[str, set[tuple[str, str, str]]] = {}
    for article, found in claims:
        triples = by_article.setdefault(str(article_iri(article)), set())
        for c in found:
            by_id[f"https://w3id.org/stancegraph/id/claim/{c.id}"] = c
            triples.add(_triple(c))
    decisions = list(decisions)
    counts = {"confirm": 0, "retract": 0, "correct": 0}
    fixed = gold_found = gold_total = unknown = 0
    for d in decisions:
        if d.original.article not in by_article:
            unknown += 1
            continue
        if d.claim in by_id:
            counts[d.action] += 1
        elif d.action != "confirm":
            fixed += 1
        if d.action == "correct":
            eff = d.effective()
            gold_total += 1
            gold_found += (eff["actor"], eff["relation"], eff["object"]) in by_article[d.original.article]
    return ReviewScore(len(decisions), sum(counts.values()), counts["confirm"], counts["retract"],
                       counts["correct"], fixed, gold_found, gold_total, unknown)


def article_claims(paths) -> Iterable[tuple[Article, list[Claim]]]:
    """Every article of these files or folders with the claims extracted from it now."""
    from stancegraph.loaders.extract import extract_claims
    from stancegraph.loaders.read import read_path

    for path in paths:
        for article in read_path(path, []):
            yield article, list(extract_claims(article))


def reviews_report(file, shared) -> dict:
    """`eval --reviews FILE`: the file's decisions against every corpus folder under shared/corpus
    (gold or not), printed as one line and returned for the JSON report."""
    from pathlib import Path

    from stancegraph.loaders.errors import InputError
    from stancegraph.loaders.store.reviews import parse_decisions

    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(str(file), f"cannot read the reviews file: {getattr(e, 'strerror', None) or e}") from None
    folders = sorted(p for p in (Path(shared) / "corpus").iterdir() if p.is_dir())
    files = [f for d in folders for f in sorted(d.iterdir())
             if f.is_file() and f.name != "gold.jsonl" and not f.name.startswith(".")
             and f.name.lower() != "readme.md"]
    score = score_reviews(parse_decisions(text, str(file)), article_claims(files))
    print("== " + score.line())
    return score.as_dict()
