"""A small asyncio HTTP/1.1 client for `serve --store URL`: forwards requests to the store's
server over kept-alive connections (responses parsed by httptools, the same C parser as the
front) and, above all, *abandons* a request at its deadline: the connection is aborted (RST),
so nothing more is read or kept, and the server sees its client go.

A connection whose request failed, timed out or answered too much is never reused."""
from __future__ import annotations

import asyncio
import ssl
import urllib.parse
from dataclasses import dataclass, field

import httptools


class UpstreamError(Exception):
    """The server could not be reached, closed the connection, or answered gibberish."""


class TooLarge(Exception):
    """The answer was over the size cap (the connection was aborted)."""


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)    # lower-case names

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class _Connection(asyncio.Protocol):
    """One kept-alive connection; one request at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future | None = None
        self.closed = False
        self.start(1 << 62)

    def start(self, cap: int) -> None:
        self.headers: dict[str, str] = {}
        self.chunks: list[bytes] = []
        self.size, self.cap = 0, cap
        self.heard = self.head_done = self.done = self.over = False

    # asyncio.Protocol
    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.heard = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as e:
            self._fail(UpstreamError(f"the server's answer does not parse ({e})"))
            self.transport.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.head_done and not self.done and exc is None and not self._framed():
            self.on_message_complete()                # a body delimited by the close
        elif not self.done:
            self._fail(UpstreamError("the server closed the connection"))

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        self.head_done = True

    def on_body(self, body: bytes) -> None:
        self.size += len(body)
        if self.size > self.cap:
            self.over = True
            self.transport.abort()
            self._wake()
            return
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        self.done = True
        self._wake()

    # pieces
    def _framed(self) -> bool:
        return "content-length" in self.headers or "chunked" in self.headers.get(
            "transfer-encoding", "").lower()

    def _wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    def _fail(self, error: Exception) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(error)

    @property
    def usable(self) -> bool:
        return not self.closed and self.transport is not None and not self.transport.is_closing()


class Upstream:
    """Requests to one server (scheme, host, port), `Authorization` added to each."""

    def __init__(self, base_url: str, authorization: str | None = None,
                 idle_connections: int = 32):
        parts = urllib.parse.urlsplit(base_url)
        self.https = parts.scheme == "https"
        self.host, self.port = parts.hostname, parts.port or (443 if self.https else 80)
        self.host_header = parts.netloc.rsplit("@", 1)[-1]
        self.authorization = authorization
        self.idle: list[_Connection] = []
        self.idle_connections = idle_connections
        self.ssl = ssl.create_default_context() if self.https else None

    async def request(self, method: str, url: str, body: bytes = b"", headers: dict | None = None,
                      *, deadline: float, cap: int = 1 << 62) -> Reply:
        """The server's reply; TimeoutError at `deadline` (the connection aborted), TooLarge
        past `cap` bytes of body, UpstreamError when the server cannot be used."""
        parts = urllib.parse.urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host_header}",
                 f"Content-Length: {len(body)}"]
        if self.authorization:
            lines.append(f"Authorization: {self.authorization}")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items() if v is not None]
        message = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        for attempt in (1, 2):
            conn, reused = await self._connection(deadline)
            conn.start(cap)
            conn.waiter = asyncio.get_running_loop().create_future()
            try:
                conn.transport.write(message)
                async with asyncio.timeout_at(deadline):
                    await conn.waiter
            except UpstreamError:
                conn.transport.abort()
                if reused and not conn.heard and attempt == 1:
                    continue                  # a kept-alive connection the server had closed
                raise
            except BaseException:             # the deadline, or the client went away
                conn.transport.abort()
                raise
            finally:
                conn.waiter = None
            if conn.over:
                raise TooLarge()
            reply = Reply(conn.parser.get_status_code(), b"".join(conn.chunks), conn.headers)
            self._release(conn)
            return reply
        raise AssertionError("unreachable")

    async def _connection(self, deadline: float) -> tuple[_Connection, bool]:
        while self.idle:
            conn = self.idle.pop()
            if conn.usable:
                return conn, True
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout_at(deadline):
                _, conn = await loop.create_connection(_Connection, self.host, self.port,
                                                       ssl=self.ssl)
        except OSError as e:
            raise UpstreamError(f"cannot reach the server: {e.strerror or e}") from None
        return conn, False

    def _release(self, conn: _Connection) -> None:
        if conn.usable and conn.parser.should_keep_alive() and \
                len(self.idle) < self.idle_connections:
            self.idle.append(conn)
        elif conn.transport is not None:
            conn.transport.close()

    def close(self) -> None:
        for conn in self.idle:
            if conn.transport is not None:
                conn.transport.close()
        self.idle.clear()
