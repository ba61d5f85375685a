"""`stancegraph serve`: the SPARQL 1.1 endpoint over the embedded store, or in front of a remote
SPARQL 1.1 server (`--store http(s)://…`, remote.py).

One process answers HTTP (uvicorn running app.py); worker processes hold the store and do the
work (pool.py, worker.py). No other port is opened. While it runs, the store directory holds
serve.json (URL, pid) and the write token in serve.token (mode 0600), so `stancegraph load` on
this machine goes through the server; both are removed at exit, and a dead server's files are
recognised and cleaned by the next `serve` or `open_store()`."""
from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

from .app import Policy, build_app
from .pool import WorkerFailed, WorkerPool
from .protocol import protocol_class

SERVE_FILE = "serve.json"
TOKEN_FILE = "serve.token"


@dataclass(frozen=True)
class Settings:
    store: Path | str                     # a directory, or the http(s) URL of a SPARQL server
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 30.0                 # a query past it is stopped (its worker is killed): 408
    max_body: int = 1_000_000             # request bytes (413 above)
    max_result: int = 50_000_000          # response bytes (413 above)
    write_token: str | None = None
    workers: int = 0                      # query worker processes; 0 = one per CPU (at least 2);
                                          # remote store: requests in flight to it (0 = 16)
    allow_service: tuple[str, ...] = ()   # hosts (or host:port) SERVICE may reach
    body_timeout: float = 0.5             # longest silence inside a request body (408 after)
    header_timeout: float = 10.0          # request headers complete within it (408 after)
    write_timeout: float = 300.0          # an update or graph write past it is stopped
    max_connections: int = 1000           # open connections beyond it get 503
    result_cache_mb: int = 64             # answers kept until the next write; 0 = off


class ServeError(Exception):
    """Cannot serve (store already served or locked, port busy): one line, exit 2."""


def serve(settings: Settings, ready: threading.Event | None = None) -> None:
    """Run until SIGINT/SIGTERM; raise ServeError when the server cannot start."""
    from stancegraph.loaders.store import is_store_url, live_server

    if is_store_url(str(settings.store)):
        sock = listening_socket(settings.host, settings.port)
        try:
            asyncio.run(_run(settings, str(settings.store).rstrip("/"), sock, ready))
        finally:
            sock.close()
        return
    store = Path(settings.store).expanduser().resolve()
    running = live_server(store)
    if running:
        raise ServeError(f"{store}: already served at {running.get('url')} (pid {running['pid']})")
    sock = listening_socket(settings.host, settings.port)
    try:
        asyncio.run(_run(settings, store, sock, ready))
    finally:
        sock.close()


async def _engine(settings: Settings, store: Path | str):
    """The engine and how many query workers (or requests to a remote store) it runs."""
    cache_bytes = settings.result_cache_mb * 1_000_000
    write_timeout = max(settings.write_timeout, settings.timeout)
    if isinstance(store, str):
        from stancegraph.loaders.errors import StoreError

        from .remote import RemoteEngine

        size = settings.workers or 16
        try:
            return await RemoteEngine.open(store, settings.max_result, write_timeout, size,
                                           cache_bytes), size
        except StoreError as e:
            raise ServeError(str(e)) from None
    size = settings.workers or max(2, os.cpu_count() or 2)
    pool = WorkerPool(store, size, settings.max_result, write_timeout,
                      no_network=not settings.allow_service, cache_bytes=cache_bytes)
    try:
        await pool.start()
    except WorkerFailed as e:
        raise ServeError(str(e)) from None
    return pool, size


async def _run(settings: Settings, store: Path | str, sock: socket.socket,
               ready: threading.Event | None) -> None:
    import uvicorn

    requested: list[int] = []
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):      # uvicorn re-raises them when it stops
            signal.signal(sig, lambda signum, _frame: requested.append(signum))
    remote = isinstance(store, str)
    pool, workers = await _engine(settings, store)
    # a remote store has no directory to keep a generated token in: writes need --write-token
    token = settings.write_token or (None if remote else secrets.token_urlsafe(32))
    policy = Policy(token, settings.timeout, settings.max_body, settings.body_timeout,
                    frozenset(h.lower() for h in settings.allow_service))
    config = uvicorn.Config(build_app(pool, policy), http=protocol_class(settings.header_timeout),
                            lifespan="off",
                            log_level="warning", access_log=False, server_header=False,
                            timeout_keep_alive=5, timeout_graceful_shutdown=5, proxy_headers=False,
                            limit_concurrency=settings.max_connections)
    server = uvicorn.Server(config)
    host, port = sock.getsockname()[:2]
    url = f"http://{host}:{port}" if ":" not in host else f"http://[{host}]:{port}"
    try:
        if remote:
            print(f"stancegraph SPARQL endpoint on {url}/sparql (query page: {url}/) in front of "
                  f"{store}; up to {workers} requests to it at once, {settings.timeout:g} s limit; "
                  + ("read-only without the write token" if token else
                     "read-only (no --write-token given)"), flush=True)
        else:
            write_private(store / TOKEN_FILE, token)
            (store / SERVE_FILE).write_text(json.dumps({
                "url": url, "pid": os.getpid(), "started": process_start(os.getpid()),
                "token_file": TOKEN_FILE, "workers": pool.pids()}))
            print(f"stancegraph SPARQL endpoint on {url}/sparql (query page: {url}/) over {store}; "
                  f"{workers} query workers, {settings.timeout:g} s limit; read-only without the "
                  "write token", flush=True)
        if ready:
            ready.set()
        if not requested:
            await server.serve(sockets=[sock])
    finally:
        await pool.close()
        if not remote:
            for name in (SERVE_FILE, TOKEN_FILE):
                (store / name).unlink(missing_ok=True)


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto named, so asyncio sets TCP_NODELAY on each accepted connection (it checks the proto);
    # without it a response written in two parts waits for the client's delayed ACK (~40 ms)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
        sock.listen(1024)
    except OSError as e:
        sock.close()
        reason = "the port is in use" if e.errno == 98 else (e.strerror or str(e))
        raise ServeError(f"{host}:{port}: cannot listen: {reason}") from None
    return sock


def write_private(path: Path, text: str) -> None:
    """Write a secret readable by its owner only (0600), replacing any older file whatever its
    mode, in one rename."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)
    os.replace(temp, path)


def process_start(pid: int) -> str | None:
    """The kernel's start time of a process (tells a reused pid from the server's)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]
