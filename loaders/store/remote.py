"""A store behind any SPARQL 1.1 server: Protocol for queries, Update for writes, the Graph Store
Protocol for whole-dataset export. Apache Jena Fuseki, GraphDB, Virtuoso, an Oxigraph server or
`stancegraph serve` (see docs/remote-store.md).

Where the endpoints are is found from the store URL by asking `ASK {}` in turn of `URL/query`
(Fuseki dataset, Oxigraph server), `URL/sparql` (`stancegraph serve`, Virtuoso) and `URL` itself
(GraphDB repository, a full endpoint URL); env STANCEGRAPH_STORE_QUERY_URL / _UPDATE_URL /
_DATA_URL name them instead. Credentials come from the environment only (never logged):
STANCEGRAPH_STORE_USER + STANCEGRAPH_STORE_PASSWORD (HTTP basic) or STANCEGRAPH_STORE_TOKEN
(bearer). One article is one update request, which these servers apply as one transaction."""
from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import threading
import urllib.parse
from dataclasses import dataclass, field
from typing import IO

from stancegraph.loaders.errors import InputError, StoreError

from .sparql import SparqlStore

JSON_RESULTS = "application/sparql-results+json"
GRAPH_TYPES = "application/n-triples, text/turtle;q=0.5"
QUAD_TYPES = {"nq": "application/n-quads", "trig": "application/trig"}
_NUMERIC = ("#integer", "#int", "#long", "#decimal", "#double", "#float")
# (query path, update path, Graph Store paths to try), in the order they are probed
LAYOUTS = (("/query", "/update", ("/data", "/store")),
           ("/sparql", "/sparql", ("/store", "/sparql-graph-crud")),
           ("", "", ("/data", "/store", "/rdf-graphs/service")))
ENV_ENDPOINT = {"query": "STANCEGRAPH_STORE_QUERY_URL", "update": "STANCEGRAPH_STORE_UPDATE_URL",
                "data": "STANCEGRAPH_STORE_DATA_URL"}


def is_store_url(location: str) -> bool:
    """Does `--store` name a server rather than a directory?"""
    return location.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Credentials:
    """How to authenticate to the server: HTTP basic, a bearer token, or nothing."""

    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, environ=os.environ) -> "Credentials":
        return cls(environ.get("STANCEGRAPH_STORE_USER") or None,
                   environ.get("STANCEGRAPH_STORE_PASSWORD") or None,
                   environ.get("STANCEGRAPH_STORE_TOKEN") or None)

    def header(self) -> str | None:
        if self.token:
            return f"Bearer {self.token}"
        if self.user:
            pair = f"{self.user}:{self.password or ''}".encode("utf-8")
            return "Basic " + base64.b64encode(pair).decode("ascii")
        return None


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    data: tuple[str, ...]  # Graph Store Protocol candidates; the first that answers is used


class RemoteStore(SparqlStore):
    """Articles and reference graphs on a SPARQL 1.1 server, one named graph per article."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 120.0, *,
                 credentials: Credentials | None = None, endpoints: Endpoints | None = None,
                 server_maintains_stances: bool = False):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(url, "a remote store is an http:// or https:// URL")
        if parts.username or parts.password:
            raise StoreError(_safe(url), "put credentials in STANCEGRAPH_STORE_USER and "
                                         "STANCEGRAPH_STORE_PASSWORD, not in the URL")
        self.url = url.rstrip("/")
        self.credentials = credentials or Credentials(token=token)
        self.timeout = timeout
        self._endpoints = endpoints
        self._local = threading.local()  # one kept-alive connection per thread and host
        self.server_maintains_stances = server_maintains_stances   # `stancegraph serve` does

    def recompute_stances(self, *args, **kwargs) -> int:
        """`stancegraph serve` recomputes derived stances after every write it applies; another
        server gets them recomputed from here."""
        if self.server_maintains_stances:
            return 0
        return super().recompute_stances(*args, **kwargs)

    @classmethod
    def from_env(cls, url: str, environ=os.environ) -> "RemoteStore":
        """The store at `url` with credentials and endpoint overrides from the environment;
        the server is asked once, so a missing or refusing server fails here (StoreError)."""
        given = {k: environ.get(v) for k, v in ENV_ENDPOINT.items() if environ.get(v)}
        endpoints = None
        if "query" in given:
            base = url.rstrip("/")
            endpoints = Endpoints(_join(base, given["query"]),
                                  _join(base, given.get("update", given["query"])),
                                  (_join(base, given["data"]),) if "data" in given else ())
        store = cls(url, credentials=Credentials.from_env(environ), endpoints=endpoints)
        store.check_union_default_graph()
        return store

    @property
    def location(self) -> str:
        return self.url

    @property
    def endpoints(self) -> Endpoints:
        if self._endpoints is None:
            self._endpoints = self._discover()
        return self._endpoints

    def _discover(self) -> Endpoints:
        tried = []
        for query, update, data in LAYOUTS:
            status, _, answer = self._send("GET", self.url + query + "?query=ASK%7B%7D",
                                         headers={"Accept": JSON_RESULTS}, check=False)
            if status == 200 and _is_ask_answer(answer):
                return Endpoints(self.url + query, self.url + update,
                                 tuple(self.url + d for d in data))
            if status in (401, 403):
                raise StoreError(self.url, f"the server answered {status}: it refused the "
                                 "credentials (STANCEGRAPH_STORE_USER / _PASSWORD / _TOKEN)")
            tried.append(f"{query or '/'} ({status})")
        raise StoreError(self.url, "no SPARQL endpoint answers there (tried "
                                   f"{', '.join(tried)}); set STANCEGRAPH_STORE_QUERY_URL")

    def check_union_default_graph(self) -> None:
        """Saved queries read the default graph as the union of the named graphs: refuse a
        server set up otherwise (one stored triple is looked for both ways; cheap at any size)."""
        _, rows = self.select("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                              "FILTER (!isBlank(?s) && !isBlank(?o)) } LIMIT 1")
        if rows and not self.ask(f"ASK {{ <{rows[0][0]}> <{rows[0][1]}> ?o }}"):
            raise StoreError(self.url, "the server's default graph is not the union of its named "
                             "graphs, which the saved queries read: configure it so (Fuseki: "
                             "tdb2:unionDefaultGraph true; Oxigraph: --union-default-graph)")

    # -- HTTP ------------------------------------------------------------------------------
    def _connection(self, parts: urllib.parse.SplitResult) -> http.client.HTTPConnection:
        conns = self._local.__dict__.setdefault("conns", {})
        key = (parts.scheme, parts.netloc)
        if key not in conns:
            kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            conns[key] = kind(parts.hostname, parts.port, timeout=self.timeout)
        return conns[key]

    def _send(self, method: str, url: str, body: bytes | None = None, headers: dict | None = None,
              *, check: bool = True, out: IO[bytes] | None = None) -> tuple[int, str, bytes]:
        """(status, content type, body) of one request on a kept-alive connection; with
        check, an error status raises StoreError carrying the server's first line."""
        parts = urllib.parse.urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = dict(headers or {})
        if (auth := self.credentials.header()) is not None:
            headers["Authorization"] = auth
        for attempt in (1, 2):  # a kept-alive connection the server closed is opened again
            conn = self._connection(parts)
            try:
                conn.request(method, target or "/", body=body, headers=headers)
                response = conn.getresponse()
                if out is not None and response.status == 200:
                    while chunk := response.read(1 << 16):
                        out.write(chunk)
                    data = b""
                else:
                    data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as e:
                conn.close()
                if attempt == 2:
                    raise StoreError(self.url, f"the server closed the connection: {e}") from None
            except (OSError, http.client.HTTPException) as e:
                conn.close()
                reason = "timed out" if isinstance(e, socket.timeout) else (str(e) or type(e).__name__)
                raise StoreError(self.url, f"cannot reach the server: {reason}") from None
        if check and response.status >= 300:
            detail = data.decode("utf-8", "replace").strip().splitlines()
            raise StoreError(self.url, f"the server answered {response.status}: "
                                       f"{' '.join(detail[0].split())[:200] if detail else response.reason}")
        return response.status, response.getheader("Content-Type") or "", data

    def _query(self, sparql: str, accept: str) -> tuple[str, bytes]:
        _, ctype, data = self._send("POST", self.endpoints.query, sparql.encode("utf-8"),
                                    {"Content-Type": "application/sparql-query", "Accept": accept})
        return ctype, data

    # -- the primitives SparqlStore is written on -------------------------------------------
    def select(self, sparql: str, bindings: dict | None = None) -> tuple[list[str], list[list]]:
        if bindings:
            raise ValueError("bind parameters into the query text (queries.catalogue.bound_sparql):"
                             " pre-bound variables differ between engines (rdflib #1772)")
        result = json.loads(self._query(sparql, JSON_RESULTS)[1])
        columns = result["head"]["vars"]
        rows = [[_python(b.get(c)) for c in columns] for b in result["results"]["bindings"]]
        return columns, rows

    def ask(self, sparql: str) -> bool:
        return bool(json.loads(self._query(sparql, JSON_RESULTS)[1])["boolean"])

    def update(self, sparql: str) -> None:
        self._send("POST", self.endpoints.update, sparql.encode("utf-8"),
                   {"Content-Type": "application/sparql-update"})

    def graph_ntriples(self, iri) -> str:
        ctype, data = self._query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}",
                                  GRAPH_TYPES)
        if "turtle" in ctype:  # a server without N-Triples output: re-serialise
            from rdflib import Graph

            return Graph().parse(data=data, format="turtle").serialize(format="nt")
        return data.decode("utf-8")

    def triple_count(self) -> int:
        _, rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return rows[0][0]

    def export(self, fmt: str, out: IO[bytes]) -> None:
        """The dataset from the Graph Store endpoint; quad formats streamed as they come."""
        from .oxigraph import EXPORT_FORMATS, dump_dataset

        if fmt not in EXPORT_FORMATS:
            raise InputError(fmt, f"unknown export format (one of {', '.join(EXPORT_FORMATS)})")
        if fmt in QUAD_TYPES:
            return self._get_dataset(QUAD_TYPES[fmt], out)
        import io

        import pyoxigraph as ox

        buffer = io.BytesIO()
        self._get_dataset(QUAD_TYPES["nq"], buffer)
        dataset = ox.Store()
        dataset.bulk_load(buffer.getvalue(), ox.RdfFormat.N_QUADS)
        dump_dataset(dataset, fmt, out)

    def _get_dataset(self, media_type: str, out: IO[bytes]) -> None:
        tried = []
        for url in self.endpoints.data:
            status, _, _ = self._send("GET", url, headers={"Accept": media_type}, check=False,
                                      out=out)
            if status == 200:
                return
            tried.append(f"{url} ({status})")
        raise StoreError(self.url, "no Graph Store endpoint gives the whole dataset (tried "
                                   f"{', '.join(tried) or 'none'}); set STANCEGRAPH_STORE_DATA_URL")


def _is_ask_answer(data: bytes) -> bool:
    try:
        return isinstance(json.loads(data).get("boolean"), bool)
    except (ValueError, AttributeError):
        return False


def _join(base: str, given: str) -> str:
    return given if is_store_url(given) else base + "/" + given.lstrip("/")


def _safe(url: str) -> str:
    """The URL without user information, for messages."""
    parts = urllib.parse.urlsplit(url)
    return parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "")).geturl()


def _python(binding: dict | None):
    if binding is None:
        return None
    value, datatype = binding["value"], binding.get("datatype", "")
    if datatype.endswith(_NUMERIC[:3]):
        return int(value)
    if datatype.endswith(_NUMERIC[3:]):
        return float(value)
    return value
