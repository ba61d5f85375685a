"""One load: read sources -> extract claims -> map to RDF -> validate -> commit per article.
A bad source or a violating article is reported and skipped; the rest of the batch goes in."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from stancegraph.loaders.extract import extract_claims
from stancegraph.loaders.mapping import article_graph
from stancegraph.loaders.model import Article
from stancegraph.loaders.validate import validate
from stancegraph.ontology.gazetteer import load_gazetteer


@dataclass
class LoadReport:
    """What a load did, article by article."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    claims: int = 0
    errors: list[str] = field(default_factory=list)       # one line each: bad input
    rejected: list[str] = field(default_factory=list)     # one line each: SHACL violations

    @property
    def loaded(self) -> int:
        return self.added + self.replaced + self.unchanged

    def summary(self) -> str:
        return (f"{self.loaded} articles ({self.added} added, {self.replaced} replaced, "
                f"{self.unchanged} unchanged), {self.claims} claims; "
                f"{len(self.errors)} input errors, {len(self.rejected)} articles rejected by SHACL")


def load_articles(articles: list[Article], store, progress: Callable[[Article], None] | None = None,
                  report: LoadReport | None = None) -> LoadReport:
    """Extract, map, validate and commit each article in its own transaction."""
    report = report or LoadReport()
    gazetteer = load_gazetteer()
    from stancegraph.loaders.extract.llm import LLMExtractor

    llm = LLMExtractor.from_env()          # optional, off unless STANCEGRAPH_LLM_URL is set
    store.ensure_reference_graphs()
    for article in articles:
        if store.is_current(article):
            report.unchanged += 1
        else:
            claims = extract_claims(article, gazetteer, llm=llm)
            graph = article_graph(article, claims)
            verdict = validate(graph, article=article.title)
            if not verdict.conforms:
                report.rejected.extend(verdict.lines())
            else:
                outcome = store.put_article(article, graph)
                setattr(report, outcome, getattr(report, outcome) + 1)
                report.claims += len(claims)
        if progress:
            progress(article)
    store.recompute_stances()
    return report
