"""Load + validate throughput (triples/s) and query latency, each against a baseline measured in
the same run: per-article SHACL validation with pyshacl-turbo vs pySHACL, pyoxigraph on disk vs
an rdflib in-memory dataset (load and the refused-troops query)."""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from rdflib import Dataset, Graph

from stancegraph.loaders.extract import extract_claims
from stancegraph.loaders.mapping import article_graph, graph_iri
from stancegraph.loaders.store.oxigraph import OxigraphStore
from stancegraph.loaders.validate import context_for, validate
from stancegraph.ontology.gazetteer import load_gazetteer
from stancegraph.queries.catalogue import bind, bound_sparql, get_query

from extraction import synthetic_articles


def _graphs(n: int):
    gazetteer = load_gazetteer()
    articles = synthetic_articles(n)
    return [(a, article_graph(a, extract_claims(a, gazetteer))) for a in articles]


def measure_validation(n: int = 60) -> dict:
    """Per-article validation (what a load does) with pyshacl-turbo vs the reference pySHACL,
    on the same graphs; the verdicts must agree (focus node, path, constraint component)."""
    pairs = _graphs(n)
    triples = sum(len(g) for _, g in pairs)
    out = {"articles": n, "triples": triples}
    verdicts = {}
    for engine in ("pyshacl", "turbo"):
        validate(pairs[0][1], engine=engine)                 # warm the shapes cache
        t0 = time.perf_counter()
        reports = [validate(g, article=a.title, engine=engine) for a, g in pairs]
        out[f"{engine}_s"] = time.perf_counter() - t0
        out[f"{engine}_ms_per_article"] = out[f"{engine}_s"] / n * 1000
        verdicts[engine] = [(r.conforms, sorted((v.focus_node, v.path, v.constraint) for v in r.violations))
                            for r in reports]
    assert verdicts["turbo"] == verdicts["pyshacl"], "pyshacl-turbo and pySHACL disagree"
    out["speedup"] = out["pyshacl_s"] / out["turbo_s"]
    return out


def measure_store(n: int = 100, repeats: int = 3) -> dict:
    """put_article into pyoxigraph on disk vs adding the same graphs to an rdflib Dataset; then
    the refused-troops saved query on both."""
    pairs = _graphs(n)
    triples = sum(len(g) for _, g in pairs)
    with tempfile.TemporaryDirectory() as tmp:
        store = OxigraphStore(Path(tmp) / "store")
        store.ensure_reference_graphs()
        t0 = time.perf_counter()
        for a, g in pairs:
            store.put_article(a, g)
        store.recompute_stances()
        oxi_load = time.perf_counter() - t0

        dataset = Dataset(default_union=True)
        t0 = time.perf_counter()
        reference = context_for(Graph())  # vocabulary, as the store holds it
        dataset.graph("urn:x-ref").__iadd__(reference)
        dataset.graph("urn:x-gazetteer").__iadd__(load_gazetteer().graph())
        for a, g in pairs:
            dataset.graph(graph_iri(a)).__iadd__(g)
        rdflib_load = time.perf_counter() - t0

        q = get_query("refused-troops")
        sparql = bound_sparql(q, bind(q, {}))
        oxi_times, rdflib_times = [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            oxi_rows = store.select(sparql)[1]
            oxi_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            rdflib_rows = list(dataset.query(sparql))
            rdflib_times.append(time.perf_counter() - t0)
        assert len(oxi_rows) == len(rdflib_rows), (len(oxi_rows), len(rdflib_rows))
        del store
    return {"articles": n, "triples": triples,
            "oxigraph_load_triples_per_s": triples / oxi_load,
            "rdflib_load_triples_per_s": triples / rdflib_load,
            "oxigraph_query_ms": statistics.median(oxi_times) * 1000,
            "rdflib_query_ms": statistics.median(rdflib_times) * 1000, "rows": len(oxi_rows)}


def report_validation(r: dict) -> str:
    return (f"validation per article: pyshacl-turbo {r['turbo_ms_per_article']:.1f} ms/article vs "
            f"pySHACL (reference) {r['pyshacl_ms_per_article']:.0f} ms/article = {r['speedup']:.0f}x, "
            f"same verdicts on {r['articles']} articles ({r['triples']} triples)")


def report_store(r: dict) -> str:
    return (f"store load: pyoxigraph on disk {r['oxigraph_load_triples_per_s']:.0f} triples/s "
            f"(one transaction per article) vs rdflib in memory {r['rdflib_load_triples_per_s']:.0f} "
            f"triples/s = {r['oxigraph_load_triples_per_s'] / r['rdflib_load_triples_per_s']:.2f}x\n"
            f"refused-troops query over {r['triples']} triples: pyoxigraph {r['oxigraph_query_ms']:.1f} ms "
            f"vs rdflib {r['rdflib_query_ms']:.1f} ms = {r['rdflib_query_ms'] / r['oxigraph_query_ms']:.0f}x "
            f"faster ({r['rows']} rows on both)")


if __name__ == "__main__":
    print(report_validation(measure_validation()))
    print(report_store(measure_store()))
