"""Loading into a real Apache Jena Fuseki (docker/fuseki-local, started here on 127.0.0.1)
against the embedded store, both in the same run: the whole load (read, extract, validate,
commit, derived stances) and the commits alone (the same prepared graphs, one update request per
article), plus the refused-troops query. Needs Java 17 and the jars (or Maven); else it says so
and exits 0, since `make bench` must not depend on a JVM."""
from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from corpus import write_jsonl

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = int(os.environ.get("STANCEGRAPH_BENCH_FUSEKI_ARTICLES", "200"))


def _fusekictl():
    spec = importlib.util.spec_from_file_location(
        "fusekictl", ROOT / "docker" / "fuseki-local" / "fusekictl.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["fusekictl"] = module
    spec.loader.exec_module(module)
    return module


def _timed(fn) -> float:
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def _query_ms(store) -> float:
    from stancegraph.queries.catalogue import answer, get_query

    q = get_query("refused-troops")
    answer(store, q, {})
    return 1000 * statistics.median(_timed(lambda: answer(store, q, {})) for _ in range(7))


def measure(n: int = ARTICLES) -> dict:
    from stancegraph.loaders.extract import extract_claims
    from stancegraph.loaders.mapping import article_graph
    from stancegraph.loaders.pipeline import load_articles
    from stancegraph.loaders.read import read_path
    from stancegraph.loaders.store import OxigraphStore
    from stancegraph.loaders.store.remote import Credentials, RemoteStore

    ctl = _fusekictl()
    work = Path(tempfile.mkdtemp(prefix="stancegraph-bench-fuseki-"))
    try:
        articles = list(read_path(write_jsonl(work / "articles.jsonl", n)))
        graphs = [(a, article_graph(a, extract_claims(a))) for a in articles]
        triples = sum(len(g) for _, g in graphs)
        server = ctl.start(work / "fuseki", password=secrets.token_urlsafe(18), die_with_parent=True)
        try:
            result = {"articles": n, "triples": triples}
            for phase in ("commit", "load"):
                embedded = OxigraphStore(work / f"embedded-{phase}")
                remote = RemoteStore(server.url, credentials=Credentials(server.user, server.password))
                remote.update("DROP ALL")
                for name, store in (("embedded", embedded), ("fuseki", remote)):
                    if phase == "commit":
                        store.ensure_reference_graphs()
                        seconds = _timed(lambda: [store.put_article(a, g) for a, g in graphs])
                    else:
                        store.update("DROP ALL")
                        seconds = _timed(lambda: load_articles(articles, store))
                    result[f"{phase}_{name}_s"] = round(seconds, 2)
                result["query_embedded_ms"] = round(_query_ms(embedded), 1)
                result["query_fuseki_ms"] = round(_query_ms(remote), 1)
                del embedded
            return result
        finally:
            ctl.stop(server.home)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(r: dict) -> str:
    n = r["articles"]
    lines = [f"fuseki: {n} generated articles, {r['triples']} triples; Fuseki 5.6 (TDB2, local) vs "
             "the embedded store, same run"]
    for phase, what in (("load", "whole load (extract, validate, commit, stances)"),
                        ("commit", "commits alone (one update per article)")):
        here, there = r[f"{phase}_embedded_s"], r[f"{phase}_fuseki_s"]
        lines.append(f"  {what}: embedded {n / here:.0f} articles/s, Fuseki {n / there:.0f} "
                     f"articles/s ({there / here:.2f}x the embedded time)")
    lines.append(f"  refused-troops: embedded {r['query_embedded_ms']} ms, Fuseki "
                 f"{r['query_fuseki_ms']} ms ({r['query_fuseki_ms'] / r['query_embedded_ms']:.1f}x)")
    return "\n".join(lines)


def main() -> int:
    ctl = _fusekictl()
    try:
        ctl.find_java()
    except ctl.FusekiLocalError as e:
        print(f"fuseki: skipped ({e})")
        return 0
    print(report(measure()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
