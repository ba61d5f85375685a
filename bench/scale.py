"""`make bench-scale`: generated articles at each size of SCALE_SIZES (default 1000,10000; add
100000 for the big row) loaded through the CLI with validation on, each number beside a
baseline measured in the same run:
- load articles/s and triples/s, peak RSS of the whole process tree, store size; baseline:
  pyoxigraph `bulk_load` of the same N-Quads (the store's own export) into a raw store;
- the median of each saved query in-process and through the CLI; baseline: the same query
  in-process on the raw bulk-loaded store;
- `stancegraph validate` and `stancegraph neo4j sync` (a real local Neo4j; baseline: the
  second, incremental sync with nothing to do).
Queries past SCALE_QUERY_TIMEOUT seconds (default 120) are killed and shown as "> N s".
SCALE_TMP=DIR builds the stores in a temporary folder under DIR; SCALE_KEEP=DIR builds them in DIR
and keeps them (articles-N.jsonl, store-N, raw-N), to time more queries on them afterwards.
Results go to reports/bench-scale.json and a Markdown table to reports/bench-scale.md."""
from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

from corpus import write_jsonl  # noqa: E402
from measure import dir_size_mb, run_measured  # noqa: E402

BIN = Path(sys.executable).parent
CLI = str(BIN / "stancegraph")
QUERY_TIMEOUT = float(os.environ.get("SCALE_QUERY_TIMEOUT", "120"))
REPEATS = 5
QUERY_PARAMS = {"actor": "France", "person": "Emmanuel Macron"}   # for required parameters


def saved_queries() -> list[tuple[str, dict]]:
    from stancegraph.queries.catalogue import load_catalogue

    out = []
    for name, q in sorted(load_catalogue().items()):
        out.append((name, {p.name: QUERY_PARAMS.get(p.name, "France") for p in q.params
                           if p.required}))
    return out


def time_query(store: Path, name: str, params: dict) -> dict:
    """Median of REPEATS in-process runs (after one warm-up), in a child that a timeout kills."""
    run = run_measured([sys.executable, str(HERE / "query_timer.py"), str(store), name,
                        json.dumps(params), str(REPEATS + 1)], QUERY_TIMEOUT)
    if run.returncode is None:
        return {"median_s": None, "timeout": True}
    if not run.ok:
        return {"median_s": None, "error": run.stderr.strip().splitlines()[-1:]}
    r = json.loads(run.stdout)
    return {"median_s": statistics.median(r["times"][1:]), "rows": r["rows"]}


def time_cli_query(store: Path, name: str, params: dict) -> dict:
    args = [a for k, v in params.items() for a in ("--param", f"{k}={v}")]
    times: list[float] = []
    while len(times) < 3 and sum(times) < 10:
        run = run_measured([CLI, "query", name, *args, "--store", str(store), "--format", "json"],
                           QUERY_TIMEOUT)
        if run.returncode is None:
            return {"median_s": None, "timeout": True}
        if not run.ok:
            return {"median_s": None, "error": run.stderr.strip().splitlines()[-1:]}
        times.append(run.seconds)
    return {"median_s": statistics.median(times)}


def measure_size(n: int, work: Path, neo4j) -> dict:
    source = write_jsonl(work / f"articles-{n}.jsonl", n)
    store, raw = work / f"store-{n}", work / f"raw-{n}"
    row: dict = {"articles": n}
    load = run_measured([CLI, "load", str(source), "--store", str(store), "--quiet"], 6 * 3600)
    row["load"] = {"seconds": load.seconds, "peak_rss_mb": load.peak_rss_mb, "ok": load.ok,
                   "summary": load.stdout.strip()[-300:], "errors": load.stderr.strip()[-300:]}
    nq = work / f"store-{n}.nq"
    dump = run_measured([CLI, "export", "--format", "nq", "--store", str(store), "--output", str(nq)], 3600)
    assert dump.ok, dump.stderr
    quads = sum(1 for _ in nq.open("rb"))
    bulk = run_measured([sys.executable, "-c", "import sys, pyoxigraph as ox; "
                         "ox.Store(sys.argv[1]).bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS)",
                         str(raw), str(nq)], 3600)
    assert bulk.ok, bulk.stderr
    row["quads"] = quads
    row["load"].update(articles_per_s=n / load.seconds, triples_per_s=quads / load.seconds,
                       store_mb=dir_size_mb(store))
    print(f"  {n}: load {load.seconds:.0f} s ({n / load.seconds:.1f} articles/s, peak RSS "
          f"{load.peak_rss_mb:.0f} MB) vs bulk_load {bulk.seconds:.1f} s; {quads} quads", flush=True)
    row["bulk_load"] = {"seconds": bulk.seconds, "peak_rss_mb": bulk.peak_rss_mb,
                        "articles_per_s": n / bulk.seconds, "triples_per_s": quads / bulk.seconds,
                        "store_mb": dir_size_mb(raw)}
    row["queries"] = {}
    for name, params in saved_queries():
        in_process = time_query(store, name, params)
        # The CLI runs the same query plus a start-up: past the limit in-process, it is too.
        cli = (time_cli_query(store, name, params) if not in_process.get("timeout")
               else {"median_s": None, "timeout": True, "skipped": True})
        row["queries"][name] = {"in_process": in_process, "raw_store": time_query(raw, name, params),
                                "cli": cli}
        print(f"  {n}: {name} {_fmt_q(row['queries'][name]['in_process'])} "
              f"(raw {_fmt_q(row['queries'][name]['raw_store'])})", flush=True)
    validate = run_measured([CLI, "validate", "--store", str(store)], 6 * 3600)
    row["validate"] = {"seconds": validate.seconds, "peak_rss_mb": validate.peak_rss_mb,
                       "exit": validate.returncode, "last": validate.stdout.strip()[-200:]}
    endpoint = neo4j() if neo4j is not None else None
    if isinstance(endpoint, Exception):
        row["neo4j_sync"] = {"seconds": 0.0, "ok": False, "err": f"no Neo4j: {endpoint}"[:300],
                             "incremental_seconds": 0.0}
    elif endpoint is not None:
        neo4j = endpoint
        env = {"NEO4J_URI": neo4j.uri, "NEO4J_USER": neo4j.user, "NEO4J_PASSWORD": neo4j.password}
        _clear_neo4j(neo4j)
        first = run_measured([CLI, "neo4j", "sync", "--store", str(store)], 6 * 3600, env=env)
        again = run_measured([CLI, "neo4j", "sync", "--store", str(store)], 6 * 3600, env=env)
        row["neo4j_sync"] = {"seconds": first.seconds, "ok": first.ok, "out": first.stdout.strip()[-200:],
                             "err": first.stderr.strip()[-200:], "incremental_seconds": again.seconds}
    return row


def _clear_neo4j(endpoint) -> None:
    from neo4j import GraphDatabase

    with GraphDatabase.driver(endpoint.uri, auth=(endpoint.user, endpoint.password)) as driver:
        with driver.session() as s:
            s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def _fmt_q(q: dict) -> str:
    if q.get("skipped"):
        return "not run"
    if q.get("timeout"):
        return f"> {QUERY_TIMEOUT:.0f} s"
    if q.get("median_s") is None:
        return "error"
    ms = q["median_s"] * 1000
    return f"{ms:,.0f} ms" if ms >= 10 else f"{ms:.1f} ms"


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    return (f"{os.cpu_count()} cores ({cpu}), {mem / 1024 / 1024:.0f} GiB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
            f"load average at start {os.getloadavg()[0]:.1f}")


def markdown(rows: list[dict]) -> str:
    out = ["| articles | load (validated) | bulk_load baseline | peak RSS | store (raw) | validate | neo4j sync (incremental) |",
           "|---:|---|---|---:|---|---:|---|"]
    for r in rows:
        ld, bl = r["load"], r["bulk_load"]
        neo = r.get("neo4j_sync")
        out.append(f"| {r['articles']:,} | {ld['seconds']:.0f} s: {ld['articles_per_s']:.0f} articles/s, "
                   f"{ld['triples_per_s'] / 1000:.1f}k triples/s ({r['quads'] / 1000:.0f}k quads) | "
                   f"{bl['seconds']:.1f} s: {bl['triples_per_s'] / 1000:.0f}k triples/s "
                   f"(load = {ld['triples_per_s'] / bl['triples_per_s']:.1%}) | {ld['peak_rss_mb']:.0f} MB | "
                   f"{ld['store_mb']:.0f} MB ({bl['store_mb']:.0f} MB) | {r['validate']['seconds']:.0f} s | "
                   + ("not run |" if not neo else "failed |" if not neo["ok"] else
                      f"{neo['seconds']:.0f} s ({neo['incremental_seconds']:.0f} s) |"))
    names = list(rows[0]["queries"]) if rows else []
    out += ["", "| query | " + " | ".join(f"{r['articles']:,}: in-process / raw store / CLI" for r in rows) + " |",
            "|---|" + "---|" * len(rows)]
    for name in names:
        cells = []
        for r in rows:
            q = r["queries"][name]
            cells.append(f"{_fmt_q(q['in_process'])} / {_fmt_q(q['raw_store'])} / {_fmt_q(q['cli'])}")
        out.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return "\n".join(out)


def main() -> int:
    sizes = [int(s) for s in os.environ.get("SCALE_SIZES", "1000,10000").split(",") if s.strip()]
    rows: list[dict] = []
    print(f"bench-scale at {', '.join(f'{n:,}' for n in sizes)} articles on {machine()}", flush=True)
    from contextlib import ExitStack

    with ExitStack() as stack:
        keep = os.environ.get("SCALE_KEEP")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            tmp = keep
            taken = [p for n in sizes for p in (Path(keep) / f"store-{n}", Path(keep) / f"raw-{n}") if p.exists()]
            if taken:
                print(f"error: SCALE_KEEP: {taken[0]} already exists; remove it or keep elsewhere",
                      file=sys.stderr)
                return 2
        else:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(dir=os.environ.get("SCALE_TMP")))
        neo4j = None
        if os.environ.get("SCALE_NEO4J", "1") != "0":
            started: list = []

            def neo4j():
                """The Neo4j endpoint, started on first use; the error if it cannot start."""
                if not started:
                    from neo4j_support import neo4j_server
                    try:
                        started.append(stack.enter_context(neo4j_server()))
                    except Exception as e:  # noqa: BLE001 — reported in the row, the bench goes on
                        started.append(e)
                return started[0]
        for n in sizes:
            row = measure_size(n, Path(tmp), neo4j)
            rows.append(row)
            print(markdown([row]).split("\n")[2], flush=True)
    table = markdown(rows)
    print(table)
    reports = ROOT / "reports"
    reports.mkdir(exist_ok=True)
    (reports / "bench-scale.json").write_text(json.dumps({"machine": machine(), "rows": rows}, indent=1))
    (reports / "bench-scale.md").write_text(f"Machine: {machine()}\n\n{table}\n")
    failed = [f"{r['articles']}: load" for r in rows if not r["load"]["ok"]]
    failed += [f"{r['articles']}: neo4j sync ({r['neo4j_sync'].get('err', '')[:120]})" for r in rows
               if r.get("neo4j_sync") and not r["neo4j_sync"]["ok"]]
    for line in failed:
        print(f"failed: {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
