"""A load into an empty store derives its stances and stories from what the workers gave
(loaders/store/loadlog.py) instead of reading every claim and body back: the derived graphs
must be the ones the store-read derivation gives, syndicated copies included; a load that
replaced an article, or into a store that holds articles, reads the store."""
from __future__ import annotations

import pytest

from builders import DEV_DUMP, make_article
from stancegraph.loaders import pipeline
from stancegraph.loaders.read import read_path
from stancegraph.loaders.store import derived
from stancegraph.ontology.vocab import STANCES_GRAPH, STORIES_GRAPH

COPY = ("Poland has ruled out sending its soldiers to Ukraine as part of any reassurance force, "
        "the defence minister said on Tuesday in Warsaw. Germany is ready to contribute air "
        "policing over the Baltic states, its chancellor told reporters after the meeting. "
        "Italy will not take part in the force unless the United Nations gives it a mandate, "
        "the prime minister said.")


def _articles():
    own = [make_article(COPY, title="Copy one", day="2025-09-02", outlet="Wire One"),
           make_article(COPY, title="Copy two", day="2025-09-03", outlet="Wire Two"),
           make_article("France has committed to deploy troops to Ukraine after a ceasefire, "
                        "the president said.", title="Own story", day="2025-09-04",
                        outlet="Wire Three")]
    return list(read_path(DEV_DUMP)) + own


def _derived(store) -> tuple[list[str], list[str]]:
    return tuple(sorted(store.graph_ntriples(g).splitlines()) for g in (STANCES_GRAPH, STORIES_GRAPH))


def _load(path, articles, *, log: bool, monkeypatch):
    from stancegraph.loaders.store import close_store, open_store

    store_read = []
    real = derived._facts_by_pair
    with monkeypatch.context() as m:
        if not log:
            m.setattr(pipeline, "fresh_store", lambda store: False)
        m.setattr(derived, "_facts_by_pair", lambda store: store_read.append(1) or real(store))
        store = open_store(path)
        report = pipeline.load_articles(articles, store, jobs=2)
        out = _derived(store)
    close_store(path)
    return report, out, bool(store_read)


def test_a_first_load_derives_from_its_log_what_the_store_would_give(tmp_path, monkeypatch):
    report, from_log, read_store = _load(tmp_path / "log", _articles(), log=True, monkeypatch=monkeypatch)
    assert (report.added, report.errors, report.rejected, read_store) == (len(_articles()), [], [], False)
    _, from_store, read_store = _load(tmp_path / "store", _articles(), log=False, monkeypatch=monkeypatch)
    assert read_store
    assert from_log == from_store
    stories = [line for line in from_log[1] if "#storySource>" in line]
    assert len(stories) == len(_articles()) - 1          # the two copies are one story


def test_a_load_that_replaces_an_article_reads_the_store(tmp_path, monkeypatch):
    articles = _articles()
    changed = make_article(COPY.replace("Tuesday", "Wednesday"), title="Copy one", day="2025-09-02",
                           outlet="Wire One")
    report, out, read_store = _load(tmp_path / "a", articles + [changed], log=True, monkeypatch=monkeypatch)
    assert (report.replaced, read_store) == (1, True)
    _, expected, _ = _load(tmp_path / "b", articles[:-3] + articles[-2:] + [changed], log=False,
                           monkeypatch=monkeypatch)
    assert out == expected


@pytest.mark.parametrize("first", [1, 3])
def test_a_load_into_a_store_with_articles_does_not_use_a_log(tmp_path, monkeypatch, first):
    from stancegraph.loaders.store import open_store

    articles = _articles()
    store = open_store(tmp_path / "s")
    pipeline.load_articles(articles[:first], store, jobs=1)
    made = []
    real = pipeline.LoadLog
    monkeypatch.setattr(pipeline, "LoadLog", lambda: made.append(1) or real())
    report = pipeline.load_articles(articles[first:], store, jobs=1)
    assert (report.added, made) == (len(articles) - first, [])
