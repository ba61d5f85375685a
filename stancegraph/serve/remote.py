"""The engine of `serve --store http(s)://…`: the front in front of any SPARQL 1.1 server.

Queries are forwarded to the store's query endpoint with the operator's credentials (from the
environment, as for every command: STANCEGRAPH_STORE_USER/_PASSWORD or _TOKEN); a client never
sees them, nor the store's address. At the time limit the forwarded request is abandoned — its
connection aborted — and the client gets 408; Apache Jena Fuseki is also told the limit (its
`timeout` parameter) so that it stops computing too; other servers need their own query time
limit. Writes come only from holders of this server's write token (the front checks it) and are
applied as SPARQL Update (Graph Store writes too, so the store needs no Graph Store endpoint for
them), one at a time, each followed by the recompute of the derived stances."""
from __future__ import annotations

import asyncio
import math
import os
import urllib.parse

from stancegraph.loaders.errors import StoreError

from .cache import ResultCache
from .engine import Answer
from .gsp import exists_query, graph_update, recompute_after, touched_before
from .upstream import TooLarge, Upstream, UpstreamError

ANY_RESULT = "application/sparql-results+json, text/turtle;q=0.9, */*;q=0.1"
DATASET = "application/n-quads"
CACHE_MAX_AGE = 5.0      # seconds: writes by other loaders straight to the server show by then


class RemoteEngine:
    """Engine: forwards to the SPARQL 1.1 server at `url` (endpoints found as by RemoteStore)."""

    def __init__(self, store, max_result: int, write_timeout: float, concurrency: int,
                 cache_bytes: int = 0, data_url: str | None = None, is_fuseki: bool = False):
        self.store = store                   # a RemoteStore: endpoints, credentials, stances
        self.endpoints = store.endpoints
        self.upstream = Upstream(self.endpoints.query, store.credentials.header(),
                                 idle_connections=concurrency)
        self.updates = Upstream(self.endpoints.update, store.credentials.header(), 2)
        self.data_url, self.is_fuseki = data_url, is_fuseki
        self.max_result, self.write_timeout = max_result, write_timeout
        self.size = concurrency
        self.slots = asyncio.Semaphore(concurrency)
        self.write_lock = asyncio.Lock()
        self.cache = ResultCache(cache_bytes, max_age=CACHE_MAX_AGE)
        self.generation = 0
        self.stale_stances = False

    @classmethod
    async def open(cls, url: str, max_result: int, write_timeout: float, concurrency: int,
                   cache_bytes: int = 0, environ=os.environ) -> "RemoteEngine":
        """Find the endpoints, check the union default graph and which server it is (once, at
        start); StoreError when the store cannot be used."""
        from stancegraph.loaders.store.remote import RemoteStore

        def probe():
            store = RemoteStore.from_env(url, environ)
            data = next((d for d in store.endpoints.data
                         if store._send("HEAD", d + "?default", check=False)[0] == 200), None)
            return store, data

        store, data_url = await asyncio.to_thread(probe)
        engine = cls(store, max_result, write_timeout, concurrency, cache_bytes, data_url)
        try:
            engine.is_fuseki = await engine._ask_is_fuseki()
        except (TimeoutError, UpstreamError) as e:
            await engine.close()
            raise StoreError(store.url, f"cannot reach the server: {e}") from None
        return engine

    async def _ask_is_fuseki(self) -> bool:
        """Apache Jena Fuseki marks every answer with a Fuseki-Request-Id header."""
        reply = await self.upstream.request(
            "GET", self.endpoints.query + "?query=ASK%7B%7D",
            headers={"Accept": "application/sparql-results+json"},
            deadline=asyncio.get_running_loop().time() + 30)
        return "fuseki-request-id" in reply.headers or "fuseki" in reply.headers.get("server", "").lower()

    # -- reads -----------------------------------------------------------------------------
    async def query(self, sparql, accept, default_graphs, named_graphs, limit) -> Answer:
        key = self.cache.key({"sparql": sparql, "accept": accept, "default_graphs": default_graphs,
                              "named_graphs": named_graphs})
        if key is not None and (kept := self.cache.get(key, self.generation)) is not None:
            return kept
        generation = self.generation
        params = [("default-graph-uri", g) for g in default_graphs] + \
                 [("named-graph-uri", g) for g in named_graphs]
        if self.is_fuseki:
            params.append(("timeout", str(max(1, math.ceil(limit)))))     # Fuseki stops too
        url = self.endpoints.query + ("?" + urllib.parse.urlencode(params) if params else "")
        answer = await self._forward(self.upstream, "POST", url, sparql.encode("utf-8"),
                                     {"Content-Type": "application/sparql-query",
                                      "Accept": accept or ANY_RESULT}, limit, "query")
        if key is not None:
            self.cache.put(key, generation, self.generation, answer)
        return answer

    async def read_graph(self, graph, accept, limit) -> Answer:
        if self.data_url is None:
            return Answer.text(501, "the store has no Graph Store endpoint to read graphs from "
                                    "(the operator can name it: STANCEGRAPH_STORE_DATA_URL)")
        query = "" if graph is None else ("?default" if graph == "default" else
                                          "?" + urllib.parse.urlencode({"graph": graph}))
        return await self._forward(self.upstream, "GET", self.data_url + query, b"",
                                   {"Accept": accept or (DATASET if graph is None else
                                                         "text/turtle")}, limit, "read")

    # -- writes ----------------------------------------------------------------------------
    async def update(self, sparql, limit) -> Answer:
        async with self.write_lock:
            answer = await self._write(sparql)
            return await self._after_write(answer, None, None)

    async def write_graph(self, method, graph, content_type, body, limit) -> Answer:
        async with self.write_lock:
            existed = graph == "default" or await self._exists(graph)
            if existed is None:
                return Answer.text(502, "the store did not say whether the graph exists")
            if method == "DELETE" and not existed:
                return Answer.text(404, f"no graph {graph}")
            update = await asyncio.to_thread(graph_update, method, graph, content_type, body)
            if isinstance(update, Answer):
                return update
            try:
                before = await asyncio.to_thread(touched_before, self.store, [graph])
            except StoreError as e:
                return Answer.text(502, f"the store could not be used: {e}")
            answer = await self._write(update)
            if answer.status == 204 and method != "DELETE" and not existed:
                answer = Answer(201)
            return await self._after_write(answer, [graph], before)

    async def _exists(self, graph: str) -> bool | None:
        import json

        answer = await self._forward(self.upstream, "POST", self.endpoints.query,
                                     exists_query(graph).encode("utf-8"),
                                     {"Content-Type": "application/sparql-query",
                                      "Accept": "application/sparql-results+json"},
                                     self.write_timeout, "query")
        try:
            return bool(json.loads(answer.body)["boolean"]) if answer.status == 200 else None
        except (ValueError, KeyError):
            return None

    async def _write(self, update: str) -> Answer:
        answer = await self._forward(self.updates, "POST", self.endpoints.update,
                                     update.encode("utf-8"),
                                     {"Content-Type": "application/sparql-update"},
                                     self.write_timeout, "write")
        return Answer(204) if 200 <= answer.status < 300 else answer

    async def _after_write(self, answer: Answer, graphs: list[str] | None, before) -> Answer:
        """The derived stances follow every write that may have changed something: a refused
        write changed nothing; a failed or abandoned one may still have been applied, so the
        stale-data checks look too."""
        self.generation += 1
        if answer.status in (400, 403, 404, 413, 415):
            return answer
        certain = answer.status < 300 and not self.stale_stances
        try:
            await asyncio.to_thread(recompute_after, self.store, graphs,
                                    before if certain else None, certain)
            self.stale_stances = False
        except StoreError as e:
            self.stale_stances = True
            return Answer.text(502, f"written, but the derived stances could not be recomputed "
                                    f"({e}); they are recomputed after the next write")
        finally:
            self.generation += 1
        return answer

    # -- forwarding ------------------------------------------------------------------------
    async def _forward(self, upstream: Upstream, method: str, url: str, body: bytes,
                       headers: dict, limit: float, what: str) -> Answer:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        try:
            async with asyncio.timeout_at(deadline):
                await self.slots.acquire()
        except TimeoutError:
            return Answer.text(503, f"all {self.size} connections to the store stayed busy past "
                                    "the time limit; try again")
        try:
            reply = await upstream.request(method, url, body, headers, deadline=deadline,
                                           cap=self.max_result)
        except TimeoutError:
            return Answer.text(408, f"the {what} ran over the time limit; its request to the "
                                    "store was abandoned")
        except TooLarge:
            return Answer.text(413, f"the result is over {self.max_result} bytes; add a LIMIT")
        except UpstreamError as e:
            return Answer.text(502, f"the store could not be used: {e}")
        finally:
            self.slots.release()
        return answer_of(reply, what)

    async def close(self) -> None:
        self.upstream.close()
        self.updates.close()


def answer_of(reply, what: str) -> Answer:
    """The client's answer to the store's reply: successes and the client's own mistakes as
    the store gave them; the store's problems as 502 (its credentials are ours, not theirs)."""
    status = reply.status
    if status < 400 or status in (400, 404, 406, 413, 415):
        return Answer(status, reply.body, reply.content_type)
    message = " ".join(reply.body.decode("utf-8", "replace").split())[:200]
    if status == 503 and "timed out" in message.lower():
        return Answer.text(408, f"the {what} ran over the time limit and the store stopped it")
    if status in (401, 403):
        return Answer.text(502, "the store refused this server's credentials "
                                "(STANCEGRAPH_STORE_USER / _PASSWORD / _TOKEN where it runs)")
    return Answer.text(502, f"the store answered {status}: {message or 'no reason given'}")
