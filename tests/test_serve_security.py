"""`stancegraph serve` attacked as issue 9 did: no port of the server's process tree takes a
write without the token, a runaway query's CPU stops at the time limit (measured from /proc, not
from the answer), SERVICE reaches no host the operator did not name, malformed HTTP gets a 4xx
within a second, the token file is private and a dead server's files are cleaned up."""
from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from builders import ROOT
from serve_support import (EXE, alive, cpu_seconds, free_port, listening_ports, process_tree,
                           running_server)

TIMEOUT = 2.0
HEADER_TIMEOUT = 1.0
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def examples_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("secure") / "store"
    subprocess.run([str(EXE), "load", str(ROOT / "examples"), "--store", str(store), "-q"],
                   check=True, capture_output=True)
    shutil.copytree(store, store.parent / "pristine")       # for servers of their own, never served
    return store


def fresh_copy(examples_store, tmp_path) -> Path:
    store = tmp_path / "store"
    shutil.copytree(examples_store.parent / "pristine", store)
    return store


@pytest.fixture(scope="module")
def server(examples_store):
    with running_server(examples_store, "--timeout", str(TIMEOUT), "--workers", "2",
                        "--header-timeout", str(HEADER_TIMEOUT)) as info:
        yield info


def http(url, method="GET", body=None, headers=None, timeout=30):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def triples(url):
    status, body = http(f"{url}/sparql?" + urllib.parse.urlencode({"query": COUNT}),
                        headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


# -- no unauthenticated writable surface --------------------------------------------------------
WRITES = [
    ("POST", "/sparql", b"INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }",
     "application/sparql-update"),
    ("POST", "/sparql", urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
     "application/x-www-form-urlencoded"),
    ("PUT", "/store?graph=urn:x", b"<urn:a> <urn:b> <urn:c> .", "application/n-triples"),
    ("POST", "/store?graph=urn:x", b"<urn:a> <urn:b> <urn:c> .", "application/n-triples"),
    ("DELETE", "/store?default", b"", "text/plain"),
    ("POST", "/update", b"DROP ALL", "application/sparql-update"),        # Oxigraph's own paths
    ("POST", "/store", b"<urn:a> <urn:b> <urn:c> .", "application/n-triples"),
]


def test_the_server_tree_listens_on_one_port_only(server):
    tree = process_tree(server["proc"].pid)
    assert len(tree) >= 4                    # the front, the writer, two readers (and the CLI shim)
    assert listening_ports(tree) == {server["port"]}


@pytest.mark.parametrize("credentials", [None, "Bearer wrong", "Bearer ", "Basic abc",
                                         "bearer " + "x" * 43])
def test_every_listening_port_refuses_writes_without_the_token(server, credentials):
    before = triples(server["url"])
    for port in listening_ports(process_tree(server["proc"].pid)):
        for method, path, body, ctype in WRITES:
            headers = {"Content-Type": ctype, **({"Authorization": credentials} if credentials else {})}
            status, answer = http(f"http://127.0.0.1:{port}{path}", method, body, headers)
            assert (path, status) in {(path, 403), ("/update", 404)}, (method, path, status, answer)
    assert triples(server["url"]) == before


def test_writes_with_the_token_work_and_it_appears_in_no_answer_or_log(server):
    auth = {"Authorization": f"Bearer {server['token']}"}
    before = triples(server["url"])
    status, _ = http(f"{server['url']}/store?graph=urn:sec:one", "PUT", b"<urn:a> <urn:b> <urn:c> .",
                     {**auth, "Content-Type": "application/n-triples"})
    assert status == 201
    assert triples(server["url"]) == before + 1
    status, _ = http(f"{server['url']}/store?graph=urn:sec:one", "DELETE", headers=auth)
    assert status == 204
    assert triples(server["url"]) == before
    answers = [http(server["url"] + path)[1] for path in ("/", "/sparql", "/queries", "/nowhere")]
    answers.append(http(server["url"] + "/sparql", "POST", b"DROP ALL",
                        {"Content-Type": "application/sparql-update", "Authorization": "Bearer x"})[1])
    assert [server["token"].encode() in a for a in answers] == [False] * 5
    assert server["token"] not in server["log"].read_text()


# -- hard cancellation ----------------------------------------------------------------------------
def test_a_runaway_query_is_stopped_and_its_cpu_stops_within_timeout_plus_2s(server):
    triples(server["url"]), triples(server["url"])                # both workers have open views
    tree = process_tree(server["proc"].pid)
    outcome = {}

    def ask():
        sent = time.monotonic()
        outcome["status"], outcome["body"] = http(
            f"{server['url']}/sparql?" + urllib.parse.urlencode({"query": RUNAWAY}))
        outcome["answered_after"] = time.monotonic() - sent

    before = {pid: cpu_seconds([pid]) for pid in tree}
    used = dict.fromkeys(tree, 0.0)
    started = time.monotonic()
    client = threading.Thread(target=ask)
    client.start()
    while client.is_alive():
        for pid in tree:
            if alive(pid):
                used[pid] = cpu_seconds([pid]) - before[pid]
        time.sleep(0.05)
    assert outcome["status"] == 408 and b"stopped" in outcome["body"]
    assert outcome["answered_after"] < TIMEOUT + 1
    time.sleep(max(0.0, started + TIMEOUT + 2 - time.monotonic()))
    killed = [pid for pid in tree if not alive(pid)]
    assert len(killed) == 1 and used[killed[0]] == max(used.values()) > 0   # the busy worker died
    survivors = [pid for pid in tree if alive(pid)]
    spent = cpu_seconds(survivors)
    time.sleep(1.0)
    assert cpu_seconds(survivors) - spent < 0.25                  # nobody computes any more
    assert triples(server["url"]) > 0                             # a fresh worker answers


def test_a_burst_of_runaway_queries_is_stopped_and_the_workers_come_back(server):
    """Four runaway queries at once on two workers: each is stopped (408) or, while the killed
    workers are being replaced, turned away (503); a queued one waits at most the limit for a
    worker and then runs at most the limit; then queries answer again."""
    answers = []

    def ask():
        sent = time.monotonic()
        status, _ = http(f"{server['url']}/sparql?" + urllib.parse.urlencode({"query": RUNAWAY}))
        answers.append((status, time.monotonic() - sent < 2 * TIMEOUT + 1))

    clients = [threading.Thread(target=ask) for _ in range(4)]
    for c in clients:
        c.start()
    for c in clients:
        c.join(30)
    assert sorted(answers) == sorted((s, True) for s, _ in answers)
    assert {s for s, _ in answers} <= {408, 503} and (408, True) in answers
    deadline = time.monotonic() + 20
    while http(f"{server['url']}/sparql?" + urllib.parse.urlencode({"query": COUNT}))[0] != 200:
        assert time.monotonic() < deadline, "no worker came back"
        time.sleep(0.2)


# -- SERVICE ----------------------------------------------------------------------------------------
class Recorder(BaseHTTPRequestHandler):
    """A SPARQL endpoint elsewhere: counts the requests it gets, answers one row."""
    hits: list[str] = []

    def do_GET(self):
        self.answer()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.answer()

    def answer(self):
        Recorder.hits.append(self.path)
        body = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": [
            {"s": {"type": "uri", "value": "urn:remote:row"}}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def elsewhere():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def service_queries(port):
    target = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX far: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE far:sparql {{ ?s ?p ?o }} }}",
        f"BASE <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{target}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z FILTER(?x != <urn:a>) SERVICE#c\n<{target}> {{ ?s ?p ?o }} }}",
    ]


def test_service_is_refused_with_a_clear_400_and_reaches_nobody(server, elsewhere):
    Recorder.hits.clear()
    for query in service_queries(elsewhere):
        status, body = http(f"{server['url']}/sparql", "POST", query.encode(),
                            {"Content-Type": "application/sparql-query"})
        assert (status, body.decode().split(" is refused")[0].startswith("SERVICE")) == (400, True), body
    status, body = http(f"{server['url']}/sparql", "POST",
                        f"INSERT {{ <urn:a> <urn:b> ?s }} WHERE {{ SERVICE <http://127.0.0.1:{elsewhere}/> "
                        "{ ?s ?p ?o } }".encode(),
                        {"Content-Type": "application/sparql-update",
                         "Authorization": f"Bearer {server['token']}"})
    assert status == 400 and b"SERVICE" in body
    assert Recorder.hits == []


def test_query_workers_cannot_open_network_sockets():
    """The sandbox behind the guard: a worker's engine gets 'permission denied' on any socket."""
    code = ("from stancegraph.serve.sandbox import forbid_network\n"
            "import socket, pyoxigraph as ox\n"
            "assert forbid_network()\n"
            "for family in (socket.AF_INET, socket.AF_INET6):\n"
            "    try:\n        socket.socket(family)\n        raise SystemExit('socket opened')\n"
            "    except PermissionError:\n        pass\n"
            "try:\n    list(ox.Store().query('SELECT * WHERE { SERVICE <http://127.0.0.1:1234/> { ?s ?p ?o } }'))\n"
            "except OSError as e:\n    print(e)\n")
    run = subprocess.run([str(Path(EXE).parent / "python"), "-c", code], capture_output=True, text=True)
    assert (run.returncode, run.stdout.strip()) == (0, "Permission denied (os error 13)"), run.stderr


def test_allowed_service_hosts_are_reached_and_only_them(tmp_path, examples_store, elsewhere):
    store = fresh_copy(examples_store, tmp_path)
    Recorder.hits.clear()
    with running_server(store, "--allow-service", f"127.0.0.1:{elsewhere}", "--workers", "1") as srv:
        allowed = f"SELECT ?s WHERE {{ SERVICE <http://127.0.0.1:{elsewhere}/sparql> {{ ?s ?p ?o }} }}"
        status, body = http(f"{srv['url']}/sparql", "POST", allowed.encode(),
                            {"Content-Type": "application/sparql-query",
                             "Accept": "application/sparql-results+json"})
        assert status == 200, body
        assert json.loads(body)["results"]["bindings"] == [{"s": {"type": "uri", "value": "urn:remote:row"}}]
        other = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{free_port()}/sparql> {{ ?s ?p ?o }} }}"
        status, body = http(f"{srv['url']}/sparql", "POST", other.encode(),
                             {"Content-Type": "application/sparql-query"})
        assert status == 400 and f"allowed hosts: 127.0.0.1:{elsewhere}".encode() in body
    assert len(Recorder.hits) == 1


# -- malformed HTTP -----------------------------------------------------------------------------
def raw(port, data: bytes, then: bytes | None = None, wait: float = 3.0) -> tuple[int | None, float]:
    """Send raw bytes (and optionally close the sending side), return the status and seconds
    until the status line arrived."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
        try:
            s.sendall(data)
        except OSError:
            pass
        sent = time.monotonic()
        answer = b""
        try:
            while b"\r\n" not in answer:
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            pass
        took = time.monotonic() - sent
    line = answer.split(b"\r\n", 1)[0].split()
    return (int(line[1]) if len(line) > 1 and line[1].isdigit() else None), took


def post(length: str, body: bytes = b"", ctype="application/sparql-query") -> bytes:
    return (f"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {length}\r\n\r\n").encode() + body


@pytest.mark.parametrize("name,data,expected", [
    ("negative length", post("-1", b"ASK {}"), 400),
    ("length not a number", post("abc", b"ASK {}"), 400),
    ("length longer than the body", post("100", b"ASK { ?s ?p ?o }"), 408),
    ("body over the cap", post("1100000", b"x" * 1_100_000), 413),
    ("chunked body over the cap", b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: "
     b"application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n" +
     b"".join(b"10000\r\n" + b"y" * 0x10000 + b"\r\n" for _ in range(20)) + b"0\r\n\r\n", 413),
    ("garbage request line", b"HELLO THERE\r\n\r\n", 400),
    ("header without a colon", b"GET /sparql HTTP/1.1\r\nHost x\r\n\r\n", 400),
])
def test_malformed_http_gets_a_4xx_within_a_second(server, name, data, expected):
    status, took = raw(server["port"], data)
    assert (status, took < 1.0) == (expected, True), (name, took)


def test_stalled_and_abandoned_uploads_hold_no_threads(server):
    front = server["proc"].pid
    tree = process_tree(front)

    def threads():
        return sum(int(Path(f"/proc/{p}/status").read_text().split("Threads:")[1].split()[0])
                   for p in tree if alive(p))

    baseline = threads()
    stalled = [socket.create_connection(("127.0.0.1", server["port"])) for _ in range(300)]
    for s in stalled:
        s.sendall(post("1000", b"ASK {"))
    for _ in range(300):                       # clients that vanish mid-upload
        with socket.create_connection(("127.0.0.1", server["port"])) as s:
            s.sendall(post("5000", b"SELECT"))
    time.sleep(0.2)
    assert threads() <= baseline + 2
    statuses = []
    for s in stalled:
        s.settimeout(3)
        statuses.append(s.recv(64).split(b" ")[1])
        s.close()
    assert statuses == [b"408"] * 300
    assert triples(server["url"]) > 0


# -- slow request headers (slowloris) ----------------------------------------------------------
def read_answer(s: socket.socket) -> bytes:
    """One whole answer (head and Content-Length body) from a blocking socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(65536)
    head, body = data.split(b"\r\n\r\n", 1)
    length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
    while len(body) < length:
        body += s.recv(65536)
    return head


def dribble(port: int, data: bytes, every: float, keep_alive_first: bool = False):
    """Send `data` a byte every `every` seconds on a new connection (after one complete request
    on it, if asked) until the server answers. Returns (status, seconds from the first slow byte
    to the answer, whether the server then closed the connection)."""
    with socket.create_connection(("127.0.0.1", port), timeout=HEADER_TIMEOUT + 3) as s:
        if keep_alive_first:
            s.sendall(b"GET /queries HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_answer(s).startswith(b"HTTP/1.1 200 ")
        stop = threading.Event()

        def send() -> None:
            for i in range(len(data)):
                try:
                    s.send(data[i:i + 1])
                except OSError:
                    return
                if stop.wait(every):
                    return

        sender = threading.Thread(target=send)
        began = time.monotonic()
        sender.start()
        answer, took, closed = b"", None, False
        try:
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    closed = True
                    break
                answer += chunk
                if took is None and b"\r\n\r\n" in answer:
                    took = time.monotonic() - began
                    if not answer.startswith(b"HTTP/1.1 408 "):
                        break
        except OSError:
            pass
        stop.set()
        sender.join()
    line = answer.split(b"\r\n", 1)[0].split()
    return (int(line[1]) if len(line) > 1 and line[1].isdigit() else None), took, closed


SLOW_GET = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nAccept: application/sparql-results+json\r\n" \
    + b"X-Padding: " + b"p" * 200 + b"\r\n\r\n"


def test_headers_sent_a_byte_at_a_time_get_408_and_a_close_within_the_bound(server):
    status, took, closed = dribble(server["port"], SLOW_GET, every=0.1)
    assert (status, closed) == (408, True)
    assert HEADER_TIMEOUT - 0.1 < took < HEADER_TIMEOUT + 1.0, took


def test_a_connection_that_sends_nothing_is_answered_408_and_closed(server):
    with socket.create_connection(("127.0.0.1", server["port"]), timeout=HEADER_TIMEOUT + 3) as s:
        began = time.monotonic()
        answer = s.recv(4096)
        took = time.monotonic() - began
        assert s.recv(4096) == b""                         # closed after the answer
    assert answer.startswith(b"HTTP/1.1 408 ") and took < HEADER_TIMEOUT + 1.0, (answer, took)


def test_slow_headers_on_a_kept_alive_connection_are_bounded_too(server):
    status, took, closed = dribble(server["port"], SLOW_GET, every=0.1, keep_alive_first=True)
    assert (status, closed) == (408, True)
    assert took < HEADER_TIMEOUT + 1.0, took


def test_headers_that_are_slow_but_within_the_bound_are_served(server):
    quick_enough = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n"
    every = HEADER_TIMEOUT / 2 / len(quick_enough)
    status, took, _ = dribble(server["port"], quick_enough, every=every)
    assert status == 200, took


def test_hundreds_of_slowloris_connections_leave_the_server_answering(server):
    front = server["proc"].pid
    attackers = []
    for _ in range(300):
        s = socket.create_connection(("127.0.0.1", server["port"]))
        s.sendall(b"GET /sparql HTTP/1.1\r\nHost: x\r\nX-Slow: ")     # and never more
        attackers.append(s)
    began = time.monotonic()
    assert triples(server["url"]) > 0                   # others are answered meanwhile
    statuses = []
    for s in attackers:
        s.settimeout(max(0.1, began + HEADER_TIMEOUT + 1.0 - time.monotonic()))
        try:
            statuses.append(s.recv(64).split(b" ")[1])
        except OSError as e:
            statuses.append(type(e).__name__.encode())
        s.close()
    assert statuses == [b"408"] * 300
    # their sockets are gone (closing is the event loop's next turns: on a busy machine, wait)
    deadline = time.monotonic() + 30
    while len(list(Path(f"/proc/{front}/fd").iterdir())) >= 100 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(list(Path(f"/proc/{front}/fd").iterdir())) < 100


# -- serve's files and start-up ---------------------------------------------------------------
def test_token_file_is_private_even_if_it_existed_readable(tmp_path, examples_store):
    store = fresh_copy(examples_store, tmp_path)
    (store / "serve.token").write_text("an old token")
    os.chmod(store / "serve.token", 0o644)
    with running_server(store, "--workers", "1") as srv:
        mode = stat.S_IMODE(os.stat(store / "serve.token").st_mode)
        assert (oct(mode), srv["token"] != "an old token", len(srv["token"]) >= 32) == (oct(0o600), True, True)


def test_a_dead_servers_files_are_stale_and_cleaned(tmp_path, examples_store):
    from stancegraph.loaders.store import OxigraphStore, close_store, live_server, open_store

    store = fresh_copy(examples_store, tmp_path)
    dead = subprocess.Popen(["true"])
    dead.wait()
    (store / "serve.json").write_text(json.dumps({"url": "http://127.0.0.1:9", "pid": dead.pid,
                                                  "token_file": "serve.token"}))
    (store / "serve.token").write_text("left behind")
    assert live_server(store) is None
    assert sorted(p.name for p in store.glob("serve.*")) == []
    (store / "serve.json").write_text(json.dumps({"url": "http://127.0.0.1:9", "pid": os.getpid(),
                                                  "started": "1", "token_file": "serve.token"}))
    assert isinstance(open_store(store), OxigraphStore)         # our pid, but not that process
    close_store(store)
    assert not (store / "serve.json").exists()


def test_serving_a_served_store_or_a_busy_port_is_one_line_and_exit_2(server, tmp_path):
    again = subprocess.run([str(EXE), "serve", "--store", str(server["store"]), "--port",
                            str(free_port())], capture_output=True, text=True, timeout=60)
    assert (again.returncode, again.stderr.count("\n"), again.stderr.startswith("error: ")) == (2, 1, True)
    assert "already served at " + server["url"] in again.stderr
    busy = subprocess.run([str(EXE), "serve", "--store", str(tmp_path / "other"), "--port",
                           str(server["port"])], capture_output=True, text=True, timeout=60)
    assert (busy.returncode, busy.stderr) == (2, f"error: 127.0.0.1:{server['port']}: cannot listen: "
                                                  "the port is in use\n")
    assert "Traceback" not in again.stderr + busy.stderr
