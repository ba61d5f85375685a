"""`stancegraph serve` with real clients on 127.0.0.1: SPARQLWrapper, rdflib's SPARQLStore and
plain HTTP for the protocol's edge cases. Every result format is read by an independent parser."""
from __future__ import annotations

import csv
import re
import io
import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph

from builders import DEV_DUMP, ROOT
from serve_support import EXE, running_server



@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A served store: the sample articles loaded before start, the dev corpus loaded through
    the running server (as a user would), stopped at the end."""
    store = tmp_path_factory.mktemp("served") / "store"
    subprocess.run([str(EXE), "load", str(ROOT / "examples"), "--store", str(store), "-q"],
                   check=True, capture_output=True)
    with running_server(store, "--timeout", "20") as info:
        loaded = subprocess.run([str(EXE), "load", str(DEV_DUMP), "--store", str(store)],
                                capture_output=True, text=True)
        assert loaded.returncode == 0, loaded.stderr
        yield {**info, "load": loaded.stdout}


def http(server, method, path, body=None, headers=None):
    req = urllib.request.Request(server["url"] + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def sparql_get(server, query, accept):
    return http(server, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept})


def refused_sparql():
    from stancegraph.queries.catalogue import bind, bound_sparql, get_query

    q = get_query("refused-troops")
    return bound_sparql(q, bind(q, {}))


def test_loads_while_serving_go_through_the_server(server):
    assert "7 articles (7 added" in server["load"]


def test_sparqlwrapper_gets_the_refusals_as_json_and_csv(server):
    from SPARQLWrapper import CSV, JSON, POST, SPARQLWrapper

    client = SPARQLWrapper(server["url"] + "/sparql")
    client.setMethod(POST)              # a saved query is longer than a GET URL may be
    client.setQuery(refused_sparql())
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert {r["actor"]["value"] for r in rows} >= {"Italy", "United States", "China"}
    client.setReturnFormat(CSV)
    table = list(csv.DictReader(io.StringIO(client.query().convert().decode())))
    assert {r["actor"] for r in table} == {r["actor"]["value"] for r in rows}


def test_saved_query_over_http_as_csv_gives_the_same_rows(server):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    status, headers, body = http(server, "GET", "/queries/refused-troops", headers={"Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    via_saved = list(csv.DictReader(io.StringIO(body.decode())))
    client = SPARQLWrapper(server["url"] + "/sparql")
    client.setMethod(POST)
    client.setQuery(refused_sparql())
    client.setReturnFormat(JSON)
    direct = client.query().convert()["results"]["bindings"]
    assert [(r["actor"], r["latest_date"], r["quote"]) for r in via_saved] == \
        [(r["actor"]["value"], r["latest_date"]["value"], r["quote"]["value"]) for r in direct]
    status, _, body = http(server, "GET", "/queries/undecided?kind=Weapons&as_of=2025-09-01",
                           headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(body)["results"]["bindings"] == []


def test_catalogue_and_bad_parameters(server):
    status, _, body = http(server, "GET", "/queries")
    names = {q["name"] for q in json.loads(body)}
    assert status == 200 and {"refused-troops", "stance-changes"} <= names
    status, _, body = http(server, "GET", "/queries/undecided?as_of=tomorrow")
    assert status == 400 and b"is not a date" in body
    status, _, _ = http(server, "GET", "/queries/no-such-question")
    assert status == 404


def test_rdflib_sparqlstore_reads_the_endpoint(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(SPARQLStore(server["url"] + "/sparql", returnFormat="json"))
    rows = list(graph.query("PREFIX sg: <https://w3id.org/stancegraph/ns#> "
                            "SELECT (COUNT(?c) AS ?n) WHERE { ?c a sg:Claim }"))
    assert int(rows[0][0]) > 50


@pytest.mark.parametrize("accept,parse", [
    ("application/sparql-results+json", lambda b: len(json.loads(b)["results"]["bindings"])),
    ("application/sparql-results+xml", lambda b: len(ET.fromstring(b).findall(
        ".//{http://www.w3.org/2005/sparql-results#}result"))),
    ("text/csv", lambda b: len(list(csv.reader(io.StringIO(b.decode())))) - 1),
    ("text/tab-separated-values", lambda b: len(b.decode().strip().splitlines()) - 1),
])
def test_select_result_formats(server, accept, parse):
    status, headers, body = sparql_get(server, "SELECT ?s WHERE { ?s a <https://w3id.org/stancegraph/ns#Article> }", accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    assert parse(body) == 18


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                        ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_construct_result_formats(server, accept, fmt):
    query = ("CONSTRUCT { ?a <https://schema.org/headline> ?h } WHERE { "
             "?a a <https://w3id.org/stancegraph/ns#Article> ; <https://schema.org/headline> ?h }")
    status, _, body = sparql_get(server, query, accept)
    assert status == 200
    assert len(Graph().parse(data=body.decode(), format=fmt)) == 18


def test_ask_and_service_description(server):
    status, _, body = sparql_get(server, "ASK { ?s ?p ?o }", "application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = http(server, "GET", "/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and b"sparql-service-description" in body


def test_update_without_the_token_is_refused_and_changes_nothing(server):
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = json.loads(sparql_get(server, count, "application/sparql-results+json")[2])
    status, _, body = http(server, "POST", "/sparql", b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                           {"Content-Type": "application/sparql-update"})
    assert status == 403 and b"read-only" in body
    status, _, _ = http(server, "POST", "/sparql", urllib.parse.urlencode(
        {"update": "DROP ALL"}).encode(), {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403
    status, _, _ = http(server, "PUT", "/store?graph=urn:x", b"<urn:a> <urn:b> <urn:c> .",
                        {"Content-Type": "application/n-triples", "Authorization": "Bearer wrong"})
    assert status == 403
    after = json.loads(sparql_get(server, count, "application/sparql-results+json")[2])
    assert after == before


def test_protocol_edge_cases(server):
    assert http(server, "POST", "/sparql", b"x=1", {"Content-Type": "application/x-www-form-urlencoded"})[0] == 400
    assert sparql_get(server, "SELEC nonsense", "application/sparql-results+json")[0] == 400
    assert sparql_get(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "image/png")[0] == 406
    assert http(server, "DELETE", "/sparql")[0] == 405
    assert http(server, "PATCH", "/sparql")[0] == 405
    assert http(server, "POST", "/sparql", b"{}", {"Content-Type": "application/json"})[0] == 415
    big = b"SELECT * WHERE { ?s ?p ?o } # " + b"x" * 1_100_000
    assert http(server, "POST", "/sparql", big, {"Content-Type": "application/sparql-query"})[0] == 413
    status, headers, body = http(server, "GET", "/")
    assert status == 200 and b"<textarea" in body
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, head_headers, head_body = http(server, "HEAD", "/")
    assert (status, head_body, head_headers["Content-Length"]) == (200, b"", str(len(body)))
    status, headers, _ = http(server, "OPTIONS", "/sparql")
    assert (status, headers["Access-Control-Allow-Methods"]) == (204, "GET, POST, PUT, DELETE, OPTIONS")


DANGLING = """PREFIX sg: <https://w3id.org/stancegraph/ns#>
SELECT ?stance ?claim WHERE { GRAPH <%s> { ?stance sg:supportedBy ?claim }
  FILTER NOT EXISTS { GRAPH ?g { ?claim a sg:Claim } } }"""
SUPPORTED_BY_GRAPH = """PREFIX sg: <https://w3id.org/stancegraph/ns#>
SELECT DISTINCT ?g WHERE { GRAPH <%s> { ?stance sg:supportedBy ?claim }
  GRAPH ?g { ?claim a sg:Claim } } ORDER BY ?g LIMIT 1"""


def select(server, query):
    status, _, body = sparql_get(server, query, "application/sparql-results+json")
    assert status == 200, body
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


def test_graph_store_delete_recomputes_the_stances_it_supported(server):
    from stancegraph.ontology.vocab import STANCES_GRAPH

    graph = select(server, SUPPORTED_BY_GRAPH % STANCES_GRAPH)[0]["g"]
    auth = {"Authorization": f"Bearer {server['token']}"}
    saved = http(server, "GET", "/store?" + urllib.parse.urlencode({"graph": graph}),
                 headers={"Accept": "application/n-triples"})[2]
    status, _, _ = http(server, "DELETE", "/store?" + urllib.parse.urlencode({"graph": graph}),
                        headers=auth)
    assert status == 204
    assert select(server, DANGLING % STANCES_GRAPH) == []
    status, _, _ = http(server, "PUT", "/store?" + urllib.parse.urlencode({"graph": graph}), saved,
                        {**auth, "Content-Type": "application/n-triples"})
    assert status == 201
    assert select(server, SUPPORTED_BY_GRAPH % STANCES_GRAPH)[0]["g"] == graph


def test_sparql_update_recomputes_stances(server):
    from stancegraph.ontology.vocab import STANCES_GRAPH

    graph = select(server, SUPPORTED_BY_GRAPH % STANCES_GRAPH)[0]["g"]
    auth = {"Authorization": f"Bearer {server['token']}", "Content-Type": "application/sparql-update"}
    saved = http(server, "GET", "/store?" + urllib.parse.urlencode({"graph": graph}),
                 headers={"Accept": "application/n-triples"})[2].decode()
    assert http(server, "POST", "/sparql", f"DROP GRAPH <{graph}>".encode(), auth)[0] == 204
    assert select(server, DANGLING % STANCES_GRAPH) == []
    restore = f"INSERT DATA {{ GRAPH <{graph}> {{ {saved} }} }}"
    assert http(server, "POST", "/sparql", restore.encode(), auth)[0] == 204
    assert select(server, SUPPORTED_BY_GRAPH % STANCES_GRAPH)[0]["g"] == graph


def test_query_page_is_self_contained(server):
    status, headers, body = http(server, "GET", "/")
    page = body.decode()
    assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert [m for m in ("<script src", "<link ", "@import", "//cdn") if m in page] == []
    assert 'id="params"' in page and "application/sparql-query" in page


def test_a_saved_question_shows_the_sparql_it_runs_with_parameters_bound(server):
    status, headers, body = http(server, "GET", "/queries/undecided?kind=Weapons&as_of=2025-09-01",
                                 headers={"Accept": "application/sparql-query"})
    shown = body.decode()
    assert (status, headers["Content-Type"]) == (200, "application/sparql-query; charset=utf-8")
    assert '"2025-09-01"^^<http://www.w3.org/2001/XMLSchema#date>' in shown
    assert "<https://w3id.org/stancegraph/ns#Weapons>" in shown
    via_text = sparql_get(server, shown, "application/sparql-results+json")[2]
    via_name = http(server, "GET", "/queries/undecided?kind=Weapons&as_of=2025-09-01",
                    headers={"Accept": "application/sparql-results+json"})[2]
    assert json.loads(via_text) == json.loads(via_name)


class ChromiumUnavailable(RuntimeError):
    pass


def chromium() -> str:
    """Chromium's path; without one a visible skip locally, a failure under CI=true."""
    import shutil

    from local_servers import unavailable

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        unavailable("no Chromium for the browser test (`make test` installs it where it may)",
                    ChromiumUnavailable)
    return found


def test_query_page_in_a_browser_renders_labels_not_iris(server, tmp_path):
    browser = chromium()
    query = ("PREFIX sg: <https://w3id.org/stancegraph/ns#> SELECT DISTINCT ?actor ?relation "
             "WHERE { ?c sg:actor ?actor ; sg:relation sg:refuses ; sg:relation ?relation ; "
             "sg:object sg:ReassuranceForce } ORDER BY ?actor")
    run = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                          f"--user-data-dir={tmp_path}", "--virtual-time-budget=15000", "--dump-dom",
                          server["url"] + "/?" + urllib.parse.urlencode({"query": query})],
                         capture_output=True, text=True, timeout=120)
    cells = re.findall(r'<td title="([^"]+)">([^<]*)</td>', run.stdout)
    actor = "https://w3id.org/stancegraph/id/country/ITA"
    assert (actor, "Italy") in cells
    assert ("https://w3id.org/stancegraph/ns#refuses", "refuses") in cells
    assert not [text for _, text in cells if text.startswith("http")]


def test_answers_that_vary_between_runs_are_never_kept(server):
    query = "SELECT (STRUUID() AS ?u) WHERE {}"
    first, second = (json.loads(sparql_get(server, query, "application/sparql-results+json")[2])
                     for _ in range(2))
    assert first["results"]["bindings"][0]["u"] != second["results"]["bindings"][0]["u"]
