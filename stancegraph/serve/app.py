"""The HTTP front of `stancegraph serve` (a plain ASGI application, run by uvicorn): SPARQL 1.1
Protocol at /sparql, Graph Store Protocol at /store, saved questions at /queries, the query page
at /.

It checks and shapes requests and leaves the work to the engine: bodies are read with a size
cap and an idle timeout (413 / 408, answered before the connection closes), writes need the
bearer token (403), SERVICE is refused unless its host was allowed (400), every answer carries
CORS headers. The token is compared in constant time and never echoed or logged. No framework
sits between uvicorn and these handlers: this is every request's path, kept short."""
from __future__ import annotations

import asyncio
import codecs
import json
import re
import secrets
import urllib.parse
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from stancegraph.queries.catalogue import QueryError, bind, bound_sparql, get_query, load_catalogue

from .engine import Answer, Engine
from .formats import accept_of
from .guard import ServiceRefused, check_service
from .page import query_page
from .review import review

CORS = [(b"access-control-allow-origin", b"*"),
        (b"access-control-allow-headers", b"Authorization, Content-Type, Accept"),
        (b"access-control-allow-methods", b"GET, POST, PUT, DELETE, OPTIONS")]
FORM = "application/x-www-form-urlencoded"
HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")
DRAIN_FACTOR = 64        # a body up to 64x the cap is read and dropped, so the client hears the 413


@dataclass(frozen=True)
class Policy:
    token: str | None                      # None: no writes at all (403 for every write)
    timeout: float
    max_body: int
    body_timeout: float
    allowed_services: frozenset[str] = field(default_factory=frozenset)


class Refused(Exception):
    """A request answered with a 4xx before it reaches the engine."""

    def __init__(self, status: int, message: str, close: bool = False):
        super().__init__(message)
        self.status, self.message, self.close = status, message, close


class ClientGone(Exception):
    pass


class Request:
    """What the handlers read of an ASGI HTTP request."""

    __slots__ = ("scope", "receive", "method", "path", "query", "_headers")

    def __init__(self, scope: dict, receive):
        self.scope, self.receive = scope, receive
        self.method, self.path = scope["method"], scope["path"]
        self.query = scope["query_string"].decode("latin-1")
        self._headers: dict[bytes, str] | None = None

    def header(self, name: bytes) -> str | None:
        """A header by its lower-case name (the last one when repeated)."""
        if self._headers is None:
            self._headers = {k: v.decode("latin-1") for k, v in self.scope["headers"]}
        return self._headers.get(name)

    def media_type(self) -> str:
        return (self.header(b"content-type") or "").split(";")[0].strip().lower()


def build_app(engine: Engine, policy: Policy):
    async def app(scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        try:
            answer, close = await route(request, engine, policy), False
        except Refused as e:
            answer, close = Answer.text(e.status, e.message), e.close
        except ClientGone:
            answer, close = Answer(400), True        # nobody is listening; nothing is logged
        await respond(send, answer, close or answer.status == 408)

    return app


async def respond(send, answer: Answer, close: bool = False) -> None:
    headers = list(CORS)
    if answer.status not in (204, 304):
        headers.append((b"content-length", b"%d" % len(answer.body)))
        if answer.content_type:
            headers.append((b"content-type", answer.content_type.encode("latin-1")))
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


async def route(request: Request, engine: Engine, policy: Policy) -> Answer:
    path, method = request.path, request.method
    if method == "OPTIONS":
        return Answer(204)
    if path == "/sparql":
        return await sparql(request, engine, policy)
    if path == "/store":
        return await graph_store(request, engine, policy)
    if path == "/review":                                   # review decisions (serve/review.py)
        return await review(request, engine, policy, authorise, read_body, Refused)
    if path in ("/", "/queries") or path.startswith("/queries/"):
        if method not in ("GET", "HEAD"):
            raise Refused(405, f"{path} answers GET only")
        if path == "/":
            return Answer(200, query_page(), "text/html; charset=utf-8")
        if path == "/queries":
            return Answer(200, catalogue_json(), "application/json")
        return await saved_query(request, path[len("/queries/"):], engine, policy)
    raise Refused(404, f"no such resource {path[:80]}; see / for the query page")


# -- SPARQL 1.1 Protocol ------------------------------------------------------------------------
async def sparql(request: Request, engine: Engine, policy: Policy) -> Answer:
    params = parse_qs(request.query)
    if request.method in ("GET", "HEAD"):
        if "update" in params:
            raise Refused(400, "SPARQL Update is sent with POST, not GET")
        if "query" not in params:
            return Answer(200, service_description(request), "text/turtle; charset=utf-8")
        return await run_query(one(params, "query"), params, request, engine, policy)
    if request.method != "POST":
        raise Refused(405, f"{request.method} is not part of the SPARQL 1.1 Protocol at /sparql "
                           "(GET or POST; graphs are written at /store)")
    ctype = request.media_type()
    body = await read_body(request, policy)
    if ctype == FORM:
        form = parse_qs(text(body))
        if ("query" in form) == ("update" in form):
            raise Refused(400, "a form POST needs exactly one of query= or update=")
        if "update" in form:
            return await run_update(one(form, "update"), request, engine, policy)
        return await run_query(one(form, "query"), {**params, **form}, request, engine, policy)
    if ctype == "application/sparql-query":
        return await run_query(text(body), params, request, engine, policy)
    if ctype == "application/sparql-update":
        return await run_update(text(body), request, engine, policy)
    raise Refused(415, f"unsupported Content-Type {ctype[:80]!r} for /sparql (use "
                       "application/sparql-query, application/sparql-update or a form)")


async def run_query(query: str, params: dict, request: Request, engine: Engine,
                    policy: Policy) -> Answer:
    guard(query, policy, update=False)
    fmt = params["format"][-1] if params.get("format") else None
    return await engine.query(query, accept_of(request.header(b"accept"), fmt),
                              iris(params.get("default-graph-uri", [])),
                              iris(params.get("named-graph-uri", [])), policy.timeout)


async def run_update(update: str, request: Request, engine: Engine, policy: Policy) -> Answer:
    authorise(request, policy)
    guard(update, policy, update=True)
    return await engine.update(update, policy.timeout)


# -- Graph Store Protocol -----------------------------------------------------------------------
async def graph_store(request: Request, engine: Engine, policy: Policy) -> Answer:
    params = parse_qs(request.query)
    if "graph" in params and "default" in params:
        raise Refused(400, "give either ?graph=IRI or ?default, not both")
    graph = iris([one(params, "graph")])[0] if "graph" in params else (
        "default" if "default" in params else None)
    method = request.method
    if method in ("GET", "HEAD"):
        return await engine.read_graph(graph, request.header(b"accept"), policy.timeout)
    if method not in ("PUT", "POST", "DELETE"):
        raise Refused(405, f"{method} is not part of the Graph Store Protocol")
    authorise(request, policy)
    if graph is None:
        raise Refused(400, f"{method} /store needs ?graph=IRI or ?default")
    body = await read_body(request, policy) if method != "DELETE" else b""
    return await engine.write_graph(method, graph, request.header(b"content-type"), body,
                                    policy.timeout)


# -- saved questions -----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def catalogue_json() -> bytes:
    items = [{"name": q.name, "title": q.title, "question": q.question,
              "parameters": [{"name": p.name, "type": p.type, "required": p.required,
                              "default": p.default, "description": p.description} for p in q.params],
              "returns": list(q.returns), "url": f"/queries/{q.name}"}
             for q in load_catalogue().values()]
    return json.dumps(items, indent=1).encode("utf-8")


@lru_cache(maxsize=4096)
def saved_sparql(name: str, query_string: str) -> tuple[str, str | None]:
    """The bound SPARQL of a saved question and its format= (the same link, the same text)."""
    params = parse_qs(query_string)
    fmt = params.pop("format", [None])[-1]
    try:
        q = get_query(name)
        return bound_sparql(q, bind(q, {k: v[-1] for k, v in params.items()})), fmt
    except QueryError as e:
        raise Refused(404 if "no saved query" in str(e) else 400, str(e)) from None


async def saved_query(request: Request, name: str, engine: Engine, policy: Policy) -> Answer:
    query, fmt = saved_sparql(name, request.query)
    if (request.header(b"accept") or "").startswith("application/sparql-query") or fmt == "sparql":
        return Answer(200, query.encode("utf-8"), "application/sparql-query; charset=utf-8")
    return await run_query(query, {"format": [fmt]} if fmt else {}, request, engine, policy)


# -- pieces ------------------------------------------------------------------------------------
def authorise(request: Request, policy: Policy) -> None:
    scheme, _, value = (request.header(b"authorization") or "").partition(" ")
    if not (policy.token is not None and scheme.lower() == "bearer" and
            secrets.compare_digest(value.strip().encode("utf-8", "replace"),
                                   policy.token.encode("utf-8"))):
        raise Refused(403, "this endpoint is read-only: updates and graph writes need the write "
                           "token (Authorization: Bearer …)")


def guard(sparql_text: str, policy: Policy, update: bool) -> None:
    try:
        check_service(sparql_text, policy.allowed_services, update)
    except ServiceRefused as e:
        raise Refused(400, str(e)) from None


async def read_body(request: Request, policy: Policy) -> bytes:
    """The body, capped and with an idle timeout; a declared or actual body over the cap is
    read and dropped (up to 64x the cap) so the client hears the 413 before the close."""
    declared = request.header(b"content-length")
    cap = policy.max_body
    if declared is not None and not declared.strip().isdigit():
        raise Refused(400, f"Content-Length {declared[:20]!r} is not a number", close=True)
    if declared is not None and int(declared) > cap:
        if int(declared) <= DRAIN_FACTOR * cap:
            await drain(request, policy)
        raise Refused(413, f"request body of {declared} bytes is over the limit of {cap}", close=True)
    chunks, size = [], 0
    while True:
        message = await receive(request, policy)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > cap:
            await drain(request, policy, already=size)
            raise Refused(413, f"request body is over the limit of {cap} bytes", close=True)
        if not message.get("more_body", False):
            return b"".join(chunks) + chunk if chunks else chunk
        chunks.append(chunk)


async def receive(request: Request, policy: Policy) -> dict:
    try:
        async with asyncio.timeout(policy.body_timeout):       # no task per call, unlike wait_for
            message = await request.receive()
    except TimeoutError:
        raise Refused(408, f"the request body stalled for {policy.body_timeout:g} s "
                           "(is Content-Length larger than the body?)", close=True) from None
    if message["type"] == "http.disconnect":
        raise ClientGone()
    return message


async def drain(request: Request, policy: Policy, already: int = 0) -> None:
    size = already
    while size <= DRAIN_FACTOR * policy.max_body:
        try:
            message = await receive(request, policy)
        except Refused:
            return
        size += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def parse_qs(raw: str) -> dict[str, list[str]]:
    """urllib's parse_qs (blank values kept, UTF-8 strict), percent escapes undone in C: urllib
    undoes them one by one in Python, ~2 ms for the form of a saved question (7 kB of SPARQL,
    2,300 escapes), most of the front's time per request."""
    if not raw:
        return {}
    if raw.isascii():
        try:
            out: dict[str, list[str]] = {}
            for pair in raw.split("&"):
                if pair:
                    name, _, value = pair.partition("=")
                    out.setdefault(unquote_plus(name), []).append(unquote_plus(value))
            return out
        except ValueError:               # a stray % or bad UTF-8: urllib decides, as before
            pass
    try:
        return urllib.parse.parse_qs(raw, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "the query string or form is not valid UTF-8") from None


def unquote_plus(value: str) -> str:
    """`+` to space and %XX to bytes, then UTF-8 (strict); ValueError for a % not followed by
    two hex digits or bytes that are not UTF-8. (%XX become \\xXX escapes, decoded by the codec
    machinery; backslashes of the value itself are escaped first.)"""
    if "%" not in value:
        return value.replace("+", " ")
    data = value.encode("ascii").replace(b"\\", b"\\\\").replace(b"+", b" ")
    return codecs.escape_decode(data.replace(b"%", b"\\x"))[0].decode("utf-8")


def one(params: dict, name: str) -> str:
    values = params.get(name, [])
    if len(values) != 1:
        raise Refused(400, f"give one {name}= (got {len(values)})")
    return values[0]


def text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Refused(400, f"the body is not UTF-8 (byte {e.start})") from None


def iris(values: list[str]) -> list[str]:
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError:
            raise Refused(400, f"{value[:80]!r} is not an absolute IRI") from None
        if ":" not in value:
            raise Refused(400, f"{value[:80]!r} is not an absolute IRI")
    return values


def service_description(request: Request) -> bytes:
    scope = request.scope
    host = request.header(b"host") or ""
    if not HOST.fullmatch(host):                  # it lands in an IRI: nothing but a host[:port]
        host = "{}:{}".format(*scope["server"])
    endpoint = f"{scope['scheme']}://{host}{request.path}"
    formats = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
               "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]
    return (f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix fmt: <http://www.w3.org/ns/formats/> .
# sparql-service-description
[] a sd:Service ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage sd:SPARQL11Query, sd:SPARQL11Update ;
  sd:feature sd:UnionDefaultGraph ;
  sd:resultFormat {", ".join("fmt:" + f for f in formats)} .
""").encode("utf-8")
