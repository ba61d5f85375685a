"""`stancegraph serve`: a SPARQL 1.1 endpoint for partner tools.

The query engine is Oxigraph's own server (the `oxigraph` wheel) on the store, bound to a private
loopback port: it speaks the protocol, negotiates result formats and cancels a query at its
timeout. This front adds what it lacks: read-only by default (updates and Graph Store writes need
the write token), request and result size caps, timeouts answered as 408, CORS, the saved
queries over HTTP (/queries), and a query page. Loads by the CLI while the server runs go
through it (see docs/serve.md)."""
from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from stancegraph.queries.catalogue import QueryError, bind, bound_sparql, get_query, load_catalogue

from .page import QUERY_PAGE

CANCELLED = b"The SPARQL operation has been cancelled"
SERVE_FILE = "serve.json"
TOKEN_FILE = "serve.token"


@dataclass(frozen=True)
class Settings:
    store: Path
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 30.0
    max_body: int = 1_000_000            # request bytes
    max_result: int = 50_000_000         # response bytes
    write_token: str | None = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str:
    """The server binary the `oxigraph` wheel installs next to this Python."""
    candidate = Path(sys.executable).parent / "oxigraph"
    found = str(candidate) if candidate.exists() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the `oxigraph` server is not installed (pip install oxigraph)")
    return found


class Upstream:
    """The Oxigraph server process on a private loopback port."""

    def __init__(self, store: Path, timeout: float):
        self.port = free_port()
        self.log = open(store / "serve-oxigraph.log", "ab")
        self.process = subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(store), "--bind", f"127.0.0.1:{self.port}",
             "--union-default-graph", "--timeout-s", str(max(1, int(round(timeout))))],
            stdout=self.log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Oxigraph server exited (see {store / 'serve-oxigraph.log'})")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("the Oxigraph server did not start within 30 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def _die_with_parent() -> None:
    """Linux: the kernel stops the engine if this server process dies without cleaning up."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Front(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, settings: Settings, upstream: Upstream, token: str):
        self.settings, self.upstream, self.token = settings, upstream, token
        self.local = threading.local()
        super().__init__((settings.host, settings.port), Handler)

    def upstream_connection(self) -> http.client.HTTPConnection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            # the engine cancels at the limit; this bound makes sure the client hears in time
            conn = http.client.HTTPConnection("127.0.0.1", self.upstream.port,
                                              timeout=self.settings.timeout + 0.5)
            self.local.conn = conn
        return conn


class Handler(BaseHTTPRequestHandler):
    server: Front
    protocol_version = "HTTP/1.1"
    server_version = "stancegraph"

    def log_message(self, fmt, *args):   # quiet by default; errors are answered to the client
        pass

    # -- responses -------------------------------------------------------------------------
    def reply(self, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8",
              extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status: int, message: str) -> None:
        self.reply(status, (message.strip() + "\n").encode("utf-8"))

    def body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > self.server.settings.max_body:
            if length <= 64 * self.server.settings.max_body:     # drain, so the client reads our answer
                remaining = length
                while remaining > 0:
                    remaining -= len(self.rfile.read(min(remaining, 1 << 16)) or b"x" * remaining)
            self.close_connection = True
            self.error(413, f"request body of {length} bytes is over the limit of "
                            f"{self.server.settings.max_body}")
            return None
        return self.rfile.read(length) if length else b""

    def authorised(self) -> bool:
        given = self.headers.get("Authorization", "")
        ok = given.startswith("Bearer ") and secrets.compare_digest(given[7:], self.server.token)
        if not ok:
            self.error(403, "this endpoint is read-only: updates and graph writes need the write token "
                            "(Authorization: Bearer …)")
        return ok

    # -- routing ---------------------------------------------------------------------------
    def do_OPTIONS(self):
        self.reply(204, b"")

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path == "/":
            return self.reply(200, QUERY_PAGE.encode("utf-8"), "text/html; charset=utf-8")
        if path == "/sparql":
            return self.forward("GET", "/query" + (f"?{query}" if query else ""), None)
        if path == "/store":
            return self.forward("GET", "/store" + (f"?{query}" if query else ""), None)
        if path == "/queries":
            return self.catalogue()
        if path.startswith("/queries/"):
            return self.saved_query(path[len("/queries/"):], urllib.parse.parse_qs(query))
        self.error(404, f"no such resource {path}; see / for the query page")

    def do_POST(self):
        path, _, query = self.path.partition("?")
        body = self.body()
        if body is None:
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if path == "/sparql":
            if ctype == "application/sparql-update" or (
                    ctype == "application/x-www-form-urlencoded" and
                    "update" in urllib.parse.parse_qs(body.decode("utf-8", "replace"))):
                if self.authorised():
                    self.forward("POST", "/update", body, ctype)
                return
            if ctype not in ("application/sparql-query", "application/x-www-form-urlencoded"):
                return self.error(415, f"unsupported Content-Type {ctype!r} for /sparql")
            return self.forward("POST", "/query", body, ctype)
        if path == "/store":
            if self.authorised():
                self.forward("POST", f"/store?{query}", body, ctype)
            return
        if path == "/" or path.startswith("/queries"):
            return self.error(405, f"{path} answers GET only")
        self.error(404, f"no such resource {path}")

    def do_PATCH(self):
        self.error(405, "PATCH is not part of the SPARQL 1.1 Protocol")

    def do_PUT(self):
        self.write_graph("PUT")

    def do_DELETE(self):
        self.write_graph("DELETE")

    def write_graph(self, method: str) -> None:
        path, _, query = self.path.partition("?")
        if path != "/store":
            return self.error(405, f"{method} is only for /store (Graph Store Protocol)")
        body = self.body()
        if body is not None and self.authorised():
            self.forward(method, f"/store?{query}", body, self.headers.get("Content-Type"))

    # -- work ------------------------------------------------------------------------------
    def forward(self, method: str, target: str, body: bytes | None, ctype: str | None = None,
                accept: str | None = None) -> None:
        """Send to Oxigraph, buffer the answer (capped), turn a cancelled query into 408."""
        settings = self.server.settings
        headers = {"Accept": accept or self.headers.get("Accept") or "application/sparql-results+json"}
        if ctype:
            headers["Content-Type"] = ctype
        started = time.monotonic()
        for attempt in (1, 2):      # one retry if a kept-alive upstream connection went stale
            conn = self.server.upstream_connection()
            try:
                conn.request(method, target, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read(settings.max_result + 1)
                break
            except socket.timeout:
                conn.close()
                self.server.local.conn = None
                return self.error(408, f"the query ran over the {settings.timeout:g} s time limit")
            except (http.client.HTTPException, ConnectionError, OSError):
                conn.close()
                self.server.local.conn = None
                if attempt == 2:
                    return self.error(502, "the query engine is not answering")
        if len(data) > settings.max_result:
            conn.close()
            self.server.local.conn = None
            return self.error(413, f"the result is over {settings.max_result} bytes; add a LIMIT")
        if data.rstrip().endswith(CANCELLED) or (response.status >= 500 and
                                                 time.monotonic() - started >= settings.timeout - 0.5):
            return self.error(408, f"the query ran over the {settings.timeout:g} s time limit")
        extra = {}
        for k in ("Content-Disposition",):
            if response.getheader(k):
                extra[k] = response.getheader(k)
        self.reply(response.status, data, response.getheader("Content-Type") or "text/plain", extra)

    def catalogue(self) -> None:
        items = [{"name": q.name, "title": q.title, "question": q.question,
                  "parameters": [{"name": p.name, "type": p.type, "required": p.required,
                                  "default": p.default, "description": p.description} for p in q.params],
                  "returns": list(q.returns), "url": f"/queries/{q.name}"}
                 for q in load_catalogue().values()]
        self.reply(200, json.dumps(items, indent=1).encode("utf-8"), "application/json")

    def saved_query(self, name: str, params: dict[str, list[str]]) -> None:
        try:
            q = get_query(urllib.parse.unquote(name))
            values = {k: v[-1] for k, v in params.items()}
            sparql = bound_sparql(q, bind(q, values))
        except QueryError as e:
            return self.error(404 if "no saved query" in str(e) else 400, str(e))
        self.forward("POST", "/query", sparql.encode("utf-8"), "application/sparql-query")


def serve(settings: Settings, ready: threading.Event | None = None) -> None:
    """Run until interrupted. Writes serve.json (URL, pid) and a private write token into the
    store directory so that `stancegraph load` on this machine sends loads through the server."""
    from stancegraph.loaders.store import close_store, open_store

    store = settings.store.expanduser().resolve()
    open_store(store).ensure_reference_graphs()
    close_store(store)             # the engine takes the store's lock from here on
    upstream = Upstream(store, settings.timeout)
    token = settings.write_token or secrets.token_urlsafe(24)
    front = Front(settings, upstream, token)
    host, port = front.server_address[:2]
    token_path = store / TOKEN_FILE
    token_path.touch(mode=0o600)
    token_path.write_text(token)
    (store / SERVE_FILE).write_text(json.dumps({"url": f"http://{host}:{port}", "pid": os.getpid(),
                                                "token_file": TOKEN_FILE}))
    print(f"stancegraph SPARQL endpoint on http://{host}:{port}/sparql (query page: "
          f"http://{host}:{port}/) over {store}; read-only without the write token", flush=True)
    if ready:
        ready.set()
    import signal

    def stop(_signum, _frame):
        threading.Thread(target=front.shutdown, daemon=True).start()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
    try:
        front.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        front.server_close()
        upstream.stop()
        for name in (SERVE_FILE, TOKEN_FILE):
            (store / name).unlink(missing_ok=True)
