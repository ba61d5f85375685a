"""A store behind a SPARQL 1.1 server (Protocol + Update + Graph Store): `stancegraph serve`, or
any server that speaks them. Writes carry a bearer token; reads need none."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import IO

from stancegraph.loaders.errors import InputError

from .sparql import SparqlStore

JSON_RESULTS = "application/sparql-results+json"
_NUMERIC = ("#integer", "#int", "#long", "#decimal", "#double", "#float")
QUAD_TYPES = {"nq": "application/n-quads", "trig": "application/trig"}


class RemoteStore(SparqlStore):
    """The store of a running `stancegraph serve` (or another SPARQL 1.1 server)."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 120.0):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    @property
    def location(self) -> str:
        return self.url

    def _request(self, method: str, path: str, body: bytes | None = None,
                 headers: dict | None = None) -> bytes:
        request = urllib.request.Request(self.url + path, data=body, method=method,
                                         headers=dict(headers or {}))
        if self.token and method != "GET":
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace").strip().splitlines()
            raise InputError(self.url, f"the server answered {e.code}: "
                                       f"{detail[0] if detail else e.reason}") from None
        except (urllib.error.URLError, OSError) as e:
            raise InputError(self.url, f"cannot reach the server: {getattr(e, 'reason', e)}") from None

    def _query_json(self, sparql: str) -> dict:
        data = self._request("POST", "/sparql", sparql.encode("utf-8"),
                             {"Content-Type": "application/sparql-query", "Accept": JSON_RESULTS})
        return json.loads(data)

    def select(self, sparql: str, bindings: dict | None = None) -> tuple[list[str], list[list]]:
        if bindings:
            raise ValueError("bind parameters into the query text with queries.catalogue.bound_sparql")
        result = self._query_json(sparql)
        columns = result["head"]["vars"]
        rows = [[_python(b.get(c)) for c in columns] for b in result["results"]["bindings"]]
        return columns, rows

    def ask(self, sparql: str) -> bool:
        return bool(self._query_json(sparql)["boolean"])

    def update(self, sparql: str) -> None:
        self._request("POST", "/sparql", sparql.encode("utf-8"),
                      {"Content-Type": "application/sparql-update"})

    def graph_ntriples(self, iri) -> str:
        query = urllib.parse.urlencode({"graph": str(iri)})
        return self._request("GET", f"/store?{query}", headers={"Accept": "application/n-triples"}
                             ).decode("utf-8")

    def triple_count(self) -> int:
        _, rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return rows[0][0]

    def export(self, fmt: str, out: IO[bytes]) -> None:
        if fmt not in QUAD_TYPES:
            raise InputError(fmt, f"a served store exports {', '.join(QUAD_TYPES)}; stop the "
                                  "server to export other formats")
        out.write(self._request("GET", "/store", headers={"Accept": QUAD_TYPES[fmt]}))


def _python(binding: dict | None):
    if binding is None:
        return None
    value, datatype = binding["value"], binding.get("datatype", "")
    if datatype.endswith(_NUMERIC[:3]):
        return int(value)
    if datatype.endswith(_NUMERIC[3:]):
        return float(value)
    return value
