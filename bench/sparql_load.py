"""Load test of `stancegraph serve` on loopback, side by side with `oxigraph serve-read-only` on a
copy of the same data in the same run: req/s, p50/p99 latency and errors (which must be 0), for
the refused-troops saved query and a 1,000-row SELECT, from 32 concurrent clients. The two
servers are measured in alternating rounds, so load from elsewhere on the machine hits both."""
from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from stancegraph.loaders.pipeline import load_articles
from stancegraph.loaders.store import close_store, open_store
from stancegraph.queries.catalogue import bind, bound_sparql, get_query

from extraction import synthetic_articles

REQUESTS = int(os.environ.get("SPARQL_BENCH_REQUESTS", 1000))
ROUNDS = 4
CLIENTS = 32
WORKERS = os.environ.get("SPARQL_BENCH_WORKERS", "0")      # serve's default: one per CPU
ROWS_1000 = ("SELECT ?c ?q WHERE { ?c a <https://w3id.org/stancegraph/ns#Claim> ; "
             "<https://w3id.org/stancegraph/ns#quote> ?q } ORDER BY ?c LIMIT 1000")


def oxigraph_binary() -> str:
    """The `oxigraph` server the wheel of that name installs next to this Python."""
    candidate = Path(sys.executable).parent / "oxigraph"
    found = str(candidate) if candidate.exists() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the `oxigraph` server is not installed (it is in the test extra)")
    return found


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, "server exited"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def hammer(port: int, path: str, query: str, n: int = REQUESTS, clients: int = CLIENTS) -> dict:
    """n POST requests from `clients` threads with keep-alive; latencies and errors."""
    body = urllib.parse.urlencode({"query": query}).encode()
    latencies: list[float] = []
    errors = [0]
    statuses: dict = {}
    lock = threading.Lock()
    counter = iter(range(n))

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if next(counter, None) is None:
                    break
            t0 = time.perf_counter()
            try:
                conn.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                  "Accept": "application/sparql-results+json"})
                r = conn.getresponse()
                r.read()
                ok = r.status == 200
                if not ok:
                    with lock:
                        statuses[r.status] = statuses.get(r.status, 0) + 1
            except (OSError, http.client.HTTPException) as e:
                ok = False
                with lock:
                    statuses[type(e).__name__] = statuses.get(type(e).__name__, 0) + 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                errors[0] += 0 if ok else 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()
    return {"requests": n, "wall": wall, "latencies": latencies, "errors": errors[0],
            "error_kinds": statuses}


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) of a process and its descendants, from /proc."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stats[int(entry.name)] = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                pass
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, fields in stats.items():
            if int(fields[1]) == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    ticks = sum(int(stats[p][11]) + int(stats[p][12]) for p in tree if p in stats)
    return ticks / os.sysconf("SC_CLK_TCK")


def rounds(servers: list[tuple[int, str, int]], query: str) -> list[dict]:
    """ROUNDS alternating rounds of REQUESTS/ROUNDS requests on each (port, path, pid) server,
    summed; with the servers' CPU seconds per request (robust to load from elsewhere)."""
    runs: list[list[dict]] = [[] for _ in servers]
    for i in range(ROUNDS):
        order = list(enumerate(servers))[::1 if i % 2 == 0 else -1]
        for k, (port, path, pid) in order:
            cpu = tree_cpu(pid)
            run = hammer(port, path, query, REQUESTS // ROUNDS)
            run["cpu"] = tree_cpu(pid) - cpu
            runs[k].append(run)
    return [summary(r) for r in runs]


def summary(runs: list[dict]) -> dict:
    latencies = sorted(x for r in runs for x in r["latencies"])
    n = sum(r["requests"] for r in runs)
    kinds: dict = {}
    for r in runs:
        for k, v in r["error_kinds"].items():
            kinds[k] = kinds.get(k, 0) + v
    return {"requests": n, "req_per_s": n / sum(r["wall"] for r in runs),
            "cpu_ms": 1000 * sum(r["cpu"] for r in runs) / n,
            "p50_ms": statistics.median(latencies) * 1000,
            "p99_ms": latencies[int(0.99 * (len(latencies) - 1))] * 1000,
            "errors": sum(r["errors"] for r in runs), "error_kinds": kinds}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        ours, theirs = Path(tmp) / "ours", Path(tmp) / "theirs"
        store = open_store(ours)
        load_articles(synthetic_articles(60), store)
        store.flush()       # the same files for every server: tables on disk, no log to replay
        close_store(ours)
        shutil.copytree(ours, theirs)
        uncached = Path(tmp) / "uncached"
        shutil.copytree(ours, uncached)
        p1, p2, p3 = _port(), _port(), _port()
        exe = str(Path(sys.executable).parent / "stancegraph")
        serve = subprocess.Popen([exe, "serve", "--store", str(ours), "--port", str(p1), "--workers",
                                  WORKERS], stdout=subprocess.DEVNULL)
        bare = subprocess.Popen([exe, "serve", "--store", str(uncached), "--port", str(p3), "--workers",
                                 WORKERS, "--result-cache", "0"], stdout=subprocess.DEVNULL)
        plain = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(theirs),
                                  "--bind", f"127.0.0.1:{p2}", "--union-default-graph"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 180
            while not ((ours / "serve.json").exists() and (uncached / "serve.json").exists()):
                assert serve.poll() is None and bare.poll() is None, "serve did not start"
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
            _wait(p2, plain)
            q = get_query("refused-troops")
            refused = bound_sparql(q, bind(q, {}))
            code = 0
            print(f"SPARQL load test: {REQUESTS} requests per server and query, {CLIENTS} concurrent "
                  "clients, loopback, alternating rounds (target: serve >= 0.8x oxigraph, 0 errors)")
            servers = {"stancegraph serve": (p1, "/sparql", serve.pid),
                       "serve --result-cache 0": (p3, "/sparql", bare.pid),
                       "oxigraph serve-read-only": (p2, "/query", plain.pid)}
            for label, query in (("refused-troops", refused), ("1,000-row SELECT", ROWS_1000)):
                for port, path, _ in servers.values():
                    hammer(port, path, query, 64)          # warm-up: views open, caches filled
                results = dict(zip(servers, rounds(list(servers.values()), query)))
                base = results["oxigraph serve-read-only"]
                print(f"  {label}:")
                for name, r in results.items():
                    print(f"    {name:25} {r['req_per_s']:7.1f} req/s  p50 {r['p50_ms']:7.1f} ms  "
                          f"p99 {r['p99_ms']:7.1f} ms  {r['cpu_ms']:5.1f} CPU ms/req  "
                          f"errors {r['errors']}  ratio {r['req_per_s'] / base['req_per_s']:.2f}x "
                          f"(CPU {base['cpu_ms'] / max(r['cpu_ms'], 0.01):.2f}x)", flush=True)
                    if r["errors"]:
                        print(f"    errors of {name}: {r['error_kinds']}")
                        code = 1
            return code
        finally:
            for proc in (serve, bare, plain):
                proc.send_signal(signal.SIGTERM)
            for proc in (serve, bare, plain):
                proc.wait(30)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    sys.exit(main())
