"""Load test of `stancegraph serve` on loopback, side by side with `oxigraph serve` on a copy of
the same data in the same run: req/s, p50/p99 latency and errors (which must be 0), for the
refused-troops saved query and a 1,000-row SELECT, from 32 concurrent clients."""
from __future__ import annotations

import http.client
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
from stancegraph.serve.server import oxigraph_binary

from extraction import synthetic_articles

REQUESTS = 1000
CLIENTS = 32
ROWS_1000 = ("SELECT ?c ?q WHERE { ?c a <https://w3id.org/stancegraph/ns#Claim> ; "
             "<https://w3id.org/stancegraph/ns#quote> ?q } ORDER BY ?c LIMIT 1000")


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
    return {"requests": n, "req_per_s": n / wall, "p50_ms": statistics.median(latencies) * 1000,
            "p99_ms": latencies[int(0.99 * (len(latencies) - 1))] * 1000, "errors": errors[0],
            "error_kinds": statuses}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        ours, theirs = Path(tmp) / "ours", Path(tmp) / "theirs"
        load_articles(synthetic_articles(60), open_store(ours))
        close_store(ours)
        shutil.copytree(ours, theirs)
        p1, p2 = _port(), _port()
        serve = subprocess.Popen([str(Path(sys.executable).parent / "stancegraph"), "serve", "--store",
                                  str(ours), "--port", str(p1)], stdout=subprocess.DEVNULL)
        plain = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(theirs),
                                  "--bind", f"127.0.0.1:{p2}", "--union-default-graph"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait(p1, serve)
            _wait(p2, plain)
            time.sleep(0.5)
            q = get_query("refused-troops")
            refused = bound_sparql(q, bind(q, {}))
            code = 0
            print(f"SPARQL load test: {REQUESTS} requests per line, {CLIENTS} concurrent clients, loopback")
            for label, query in (("refused-troops", refused), ("1,000-row SELECT", ROWS_1000)):
                a = hammer(p1, "/sparql", query)
                b = hammer(p2, "/query", query)
                print(f"  {label:17} stancegraph serve {a['req_per_s']:7.0f} req/s p50 {a['p50_ms']:6.1f} ms "
                      f"p99 {a['p99_ms']:6.1f} ms errors {a['errors']} | oxigraph serve "
                      f"{b['req_per_s']:7.0f} req/s p50 {b['p50_ms']:6.1f} ms p99 {b['p99_ms']:6.1f} ms "
                      f"errors {b['errors']} | ratio {a['req_per_s'] / b['req_per_s']:.2f}x", flush=True)
                if a["errors"] or b["errors"]:
                    print(f"  errors: stancegraph {a['error_kinds']}, oxigraph {b['error_kinds']}")
                    code = 1
            return code
        finally:
            serve.send_signal(signal.SIGTERM)
            plain.send_signal(signal.SIGTERM)
            serve.wait(15)
            plain.wait(15)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    sys.exit(main())
