"""uvicorn's HTTP/1.1 protocol (httptools parser) with a bound on reading request headers.

uvicorn times out idle keep-alive connections only after a response: a client that connects and
sends nothing, or sends its headers a byte at a time (slowloris), would hold its connection for
ever, and enough of them fill `--max-connections` so that nobody else is answered. Here the
headers of every request must be complete within `--header-timeout` seconds of the connection
(or of the request's first byte): otherwise the client gets **408** and the connection is
closed. (Bodies have their own idle bound, `--body-timeout`, in app.py.)"""
from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

TOO_SLOW = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n%s")


def protocol_class(header_timeout: float) -> type[HttpToolsProtocol]:
    """The protocol uvicorn should instantiate per connection (`uvicorn.Config(http=...)`)."""

    class Protocol(HttpToolsProtocol):
        headers_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            if self.headers_timer is None:
                self._arm()

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            self.headers_timer = self.loop.call_later(header_timeout, self._headers_too_slow)

        def _disarm(self) -> None:
            if self.headers_timer is not None:
                self.headers_timer.cancel()
                self.headers_timer = None

        def _headers_too_slow(self) -> None:
            self.headers_timer = None
            if self.transport.is_closing():
                return
            if self.cycle is not None and not self.cycle.response_complete:
                self.cycle.keep_alive = False     # answering an earlier request: close after it
                return
            message = (f"the request headers were not complete within {header_timeout:g} s\n"
                       ).encode("ascii")
            self.transport.write(TOO_SLOW % (len(message), message))
            self.transport.close()

    return Protocol
