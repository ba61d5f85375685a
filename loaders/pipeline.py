"""One load: read sources -> extract claims -> map to RDF -> validate -> commit in input order.
Extraction, mapping and validation run in worker processes (`jobs`); this process commits the
articles in input order, each one whole or not at all (one transaction per article, or, on a
store that can, new articles many at a time), with a bounded number of articles in flight.
A bad article or a violating one is reported and skipped, alone; the rest of the batch goes in:
each article is one item behind the exception boundary (`stancegraph.loaders.errors`), in the
worker (extract, map, validate) and here (is it current, commit), and the derived stances are
brought up to date whatever happened."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Iterator

from stancegraph.loaders.errors import InputError, as_input_error, debugging, item_boundary
from stancegraph.loaders.extract import extract_claims
from stancegraph.loaders.mapping.ntriples import article_ntriples
from stancegraph.loaders.model import Article
from stancegraph.loaders.parallel import ordered_map
from stancegraph.loaders.store.loadlog import LoadLog, fresh_store
from stancegraph.loaders.store.sparql import ArticleTriples, split_ntriples
from stancegraph.loaders.validate import validate_ntriples
from stancegraph.ontology.gazetteer import load_gazetteer


# The embedded store keeps written data in memory tables until flushed: without a flush its
# memory grows with the batch (~110 kB per article). Each flush also starts a merge of the new
# files into the older ones (in background threads, each rewriting much of what is stored):
# at 10k, flushing every 200 articles cost 54 s of CPU in those threads, every 1,000 articles
# 22-31 s, every 2,000 articles 20-22 s; peak memory 550, 568 and 713 MB (docs/scale.md,
# "Fourth pass"). Never flushing: 17 s, but 1.6 GB, and slower writes.
FLUSH_EVERY = 2000


@dataclass
class LoadReport:
    """What a load did, article by article."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    kept: int = 0           # feed items whose URL is a stored page: the page stays
    claims: int = 0
    errors: list[InputError] = field(default_factory=list)  # bad input; str(e) is its line
    rejected: list[str] = field(default_factory=list)     # one line each: SHACL violations

    @property
    def loaded(self) -> int:
        return self.added + self.replaced + self.unchanged + self.kept

    def summary(self) -> str:
        kept = f", {self.kept} kept (a feed item of a stored page)" if self.kept else ""
        return (f"{_count(self.loaded, 'article')} ({self.added} added, {self.replaced} replaced, "
                f"{self.unchanged} unchanged{kept}), {_count(self.claims, 'claim')}; "
                f"{_count(len(self.errors), 'input error')}, "
                f"{_count(len(self.rejected), 'article')} rejected by SHACL")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@dataclass(frozen=True)
class Prepared:
    """One article after the worker's steps: its graph as N-Triples, or why it is refused."""

    article: Article
    current: bool                       # stored already in exactly this version: nothing to do
    claims: int = 0
    triples: ArticleTriples | None = None   # the article's N-Triples, split for storing
    absent: bool = False                # its graph was empty when asked, and no earlier article
                                        # of this load had its key: the store may skip its checks
    rejected: tuple[str, ...] = ()      # SHACL violation lines
    error: InputError | None = None     # the article could not be processed


# New articles go to a store that writes many at once (the embedded store's bulk loader) this
# many at a time, each batch all or nothing, in input order. At 10k: the committing process
# took 122-129 s of CPU instead of 185 s one by one; 100 at a time saved nothing (each write is
# an ingestion that starts merges), 2,000 cost 160 MB more (docs/scale.md, "Sixth pass").
COMMIT_EVERY = 1000

# Chunks (of 8 articles) in flight per worker. While this process writes a batch of new articles
# (one bulk load: ~1.4 s for 1,000 articles), the workers go on with what is in flight; with 4
# per worker (64 articles on 2 cores: ~0.3 s of work) they then waited ~1 s of every write.
# 16 per worker keeps them busy through it (10k load: 87.6/91.9 s instead of 97.5/97.9 s, runs
# alternated; peak RSS the same, ~580 MB: what is in flight is ~30 kB per article).
IN_FLIGHT_PER_JOB = 16


def load_articles(articles: Iterable[Article], store, progress: Callable[[Article], None] | None = None,
                  report: LoadReport | None = None, jobs: int | None = None,
                  commit_every: int | None = None) -> LoadReport:
    """Extract, map and validate in `jobs` processes (default: the cores), commit in input
    order; then bring the derived stances up to date. A store that writes many new articles at
    once (`batches_new_articles`) gets them `commit_every` at a time (default COMMIT_EVERY; 1:
    one transaction per article); a replaced article, or a new one the store could not take
    with its batch, is one transaction of its own.
    `articles` may be a stream (`read_sources(sources, report.errors)`): the readers' errors
    and the articles' land in `report.errors` in the order they occur."""
    report = report or LoadReport()
    store.ensure_reference_graphs()
    _warm()                             # before the workers fork, so they start warm
    every = COMMIT_EVERY if commit_every is None else commit_every
    if every < 1:
        raise InputError("--commit-every", f"must be at least 1 (got {every})")
    batch = every if getattr(store, "batches_new_articles", False) else 1
    flush = getattr(store, "flush", lambda: None)
    # Into an empty store, the workers also give what the first derivation reads, so that it
    # does not read every claim and body back (loaders/store/loadlog.py).
    # (Not when a `stancegraph serve` in front of the store derives them after each write.)
    wanted = not getattr(store, "server_maintains_stances", False)
    log = LoadLog() if wanted and fresh_store(store) else None
    pending: list[Prepared] = []        # new articles validated, not yet committed
    written = 0                         # articles written one transaction each

    def stored(done: Prepared, outcome: str) -> None:
        setattr(report, outcome, getattr(report, outcome) + 1)
        if outcome in ("added", "replaced"):
            report.claims += done.claims
            if log is not None:
                log.written(outcome, done.triples.facts)

    def put_one(done: Prepared) -> None:
        nonlocal written
        with item_boundary(report.errors, done.article.source, done.article.position,
                           "cannot load this article"):
            outcome = store.put_article(done.article, done.triples, absent=done.absent)
            stored(done, outcome)
            if outcome in ("added", "replaced"):
                written += 1
                if written % FLUSH_EVERY == 0:
                    flush()

    def commit_pending() -> None:
        if not pending:
            return
        items = pending[:]
        pending.clear()
        try:
            store.put_new_articles([(done.article, done.triples) for done in items])
        except Exception as e:  # noqa: BLE001 — nothing of the batch was stored: one by one,
            if debugging() and not isinstance(e, (InputError, OSError)):    # so that an article
                raise                                   # the store refuses is refused alone
            for done in items:
                put_one(done)
            return
        for done in items:
            stored(done, "added")

    try:
        items = ((article, state, log is not None) for article, state in
                 _with_current(articles, store, report))
        for done in ordered_map(prepare, items, jobs, per_job=IN_FLIGHT_PER_JOB):
            if done.error:
                report.errors.append(done.error)
            elif done.rejected:
                report.rejected.extend(done.rejected)
            elif done.current:
                report.unchanged += 1
            elif batch > 1 and done.absent:
                pending.append(done)
                if len(pending) >= batch:
                    commit_pending()
            else:
                commit_pending()        # input order: what came before is stored first
                put_one(done)
            if progress:
                progress(done.article)
    finally:
        try:
            commit_pending()            # what was validated before a stop is stored too
        finally:
            try:
                if report.added or report.replaced:  # the pairs these writes touched, even if stopped
                    if written % FLUSH_EVERY:
                        flush()     # the last writes leave the memory tables before the derivation
                    store.recompute_stances(detect=False, log=log)
            finally:
                if log is not None:
                    log.close()
    getattr(store, "settle", lambda: False)()   # a big load's merges, done now (embedded store)
    return report


def _with_current(articles: Iterable[Article], store,
                  report: LoadReport) -> Iterator[tuple[Article, str]]:
    """Each article and what the store holds of it ("current", "other" or "absent", asked here,
    in the process that holds the store); an article the store cannot answer for is one error.
    An article whose key came earlier in this load is "other": that earlier one may be committed
    by the time this one is, so the store checks again."""
    keys: set[str] = set()
    for article in articles:
        state = None
        with item_boundary(report.errors, article.source, article.position,
                           "cannot load this article"):
            state = store.stored_version(article)
        if state is not None:
            if state == "absent" and article.key in keys:
                state = "other"
            keys.add(article.key)
            yield article, state


def prepare(item: tuple[Article, str, bool]) -> Prepared:
    """Extract, map and validate one article (in a worker): the per-article exception boundary.
    The third value asks for the facts a first derivation reads (a load into an empty store).
    With STANCEGRAPH_DEBUG (set by the tests) our own bugs are raised, not turned into a line."""
    article, state, facts = item
    if state == "current":
        return Prepared(article, True)
    try:
        claims = extract_claims(article, load_gazetteer(), llm=_llm())
        ntriples = article_ntriples(article, claims)
        verdict = validate_ntriples(ntriples, article=article.title)
        triples = (split_ntriples(ntriples, article.body if facts else None)
                   if verdict.conforms else None)
    except Exception as e:  # noqa: BLE001 — one article's failure must not stop the batch
        if debugging() and not isinstance(e, InputError):
            raise                       # a bug of ours, under test: its traceback, not a line
        return Prepared(article, False, error=as_input_error(e, article.source, article.position,
                                                             "cannot load this article"))
    if not verdict.conforms:
        return Prepared(article, False, len(claims), rejected=tuple(verdict.lines()))
    return Prepared(article, False, len(claims), triples, absent=state == "absent")


@lru_cache(maxsize=1)
def _llm():
    """The optional LLM extractor (off unless STANCEGRAPH_LLM_URL is set), one per process."""
    from stancegraph.loaders.extract.llm import LLMExtractor

    return LLMExtractor.from_env()


def _warm() -> None:
    """What every worker needs, built before the first article: gazetteer, shapes, extractor."""
    from stancegraph.loaders.validate import default_engine, shapes_graph

    load_gazetteer()
    shapes_graph()
    default_engine()
    _llm()
