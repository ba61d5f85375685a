"""`stancegraph serve --store URL` in front of a real Apache Jena Fuseki: the saved questions give
the embedded store's rows through it, writes need our token and are forwarded, every write
brings the derived stances up to date on Fuseki and clears the answers kept, a runaway query is
answered 408 and Fuseki stops computing it, SERVICE is refused."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from builders import DEV_DUMP
from fuseki_support import emptied
from serve_support import cpu_seconds, listening_pid, running_front
from stancegraph.loaders.pipeline import load_articles
from stancegraph.loaders.read import read_path
from stancegraph.loaders.store import open_store
from stancegraph.loaders.store.derived import stale
from stancegraph.loaders.store.remote import RemoteStore
from stancegraph.loaders.validate import derived_data_report
from stancegraph.ontology.vocab import STANCES_GRAPH
from stancegraph.queries.catalogue import answer, get_query, load_catalogue
from test_fuseki_same_answers import cases, follow_up_articles

TOKEN = "front-door-token-for-tests"
TIMEOUT = 3
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def stores(fuseki, tmp_path_factory):
    """The dev corpus (and follow-ups) in an embedded store and in Fuseki, and `serve` in front
    of Fuseki with the test server's credentials in its environment."""
    articles = [*read_path(DEV_DUMP), *follow_up_articles()]
    embedded = open_store(tmp_path_factory.mktemp("embedded") / "store")
    remote = emptied(fuseki)
    for store in (embedded, remote):
        report = load_articles(articles, store)
        assert (report.added, report.rejected, report.errors) == (11, [], [])
    with running_front(fuseki.url, fuseki.env, tmp_path_factory.mktemp("front"), "--timeout",
                       str(TIMEOUT), "--write-token", TOKEN) as front:
        yield {"embedded": embedded, "remote": remote, "front": front, "fuseki": fuseki,
               "through": RemoteStore(front["url"])}


def http(front, method, path, body=None, headers=None):
    req = urllib.request.Request(front["url"] + path, data=body, method=method,
                                 headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def update(front, text, token=TOKEN):
    headers = {"Content-Type": "application/sparql-update"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return http(front, "POST", "/sparql", text.encode("utf-8"), headers)


def latest_claim_graph(store, name):
    """The article graph holding the latest claim of the first row of a saved question: dropping
    it changes that question's answer."""
    columns, rows = answer(store, get_query(name), {})
    claim = rows[0][columns.index("claim")]
    _, found = store.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{claim}> a "
                            "<https://w3id.org/stancegraph/ns#Claim> } }")
    return found[0][0]


def store_path(graph):
    return "/store?" + urllib.parse.urlencode({"graph": graph})


def saved(front, name):
    status, body = http(front["front"], "GET", f"/queries/{name}",
                        headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    return json.loads(body)["results"]["bindings"]


@pytest.mark.parametrize("name", sorted(load_catalogue()))
def test_every_saved_query_through_serve_gives_the_embedded_rows(stores, name):
    query = load_catalogue()[name]
    for values in cases(query):
        assert answer(stores["through"], query, values) == answer(stores["embedded"], query,
                                                                  values), values


def test_writes_without_the_token_are_refused_and_change_nothing(stores):
    front, remote = stores["front"], stores["remote"]
    before = remote.triple_count()
    graph = "https://w3id.org/stancegraph/id/graph/reference"
    refused = [update(front, "DROP ALL", token=None)[0],
               update(front, "DROP ALL", token="front-door-token-for-test")[0],
               update(front, "DROP ALL", token=TOKEN + "x")[0],
               http(front, "DELETE", store_path(graph))[0],
               http(front, "PUT", store_path(graph), b"<urn:a> <urn:b> <urn:c> .",
                    {"Content-Type": "application/n-triples",
                     "Authorization": f"Basic {TOKEN}"})[0]]
    assert refused == [403] * 5
    assert remote.triple_count() == before


def test_a_graph_store_delete_through_serve_recomputes_the_stances_on_fuseki(stores):
    front, remote, embedded = stores["front"], stores["remote"], stores["embedded"]
    refused = get_query("refused")
    before = saved(stores, "refused")                       # now kept by the result cache
    expected = answer(remote, refused, {})
    graph = latest_claim_graph(remote, "refused")
    status, kept = http(front, "GET", store_path(graph), headers={"Accept": "application/n-triples"})
    assert status == 200 and kept
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert http(front, "DELETE", store_path(graph), headers=auth)[0] == 204
    assert remote.ask(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}") is False
    assert not stale(remote)
    assert derived_data_report(remote).violations == ()
    # the answer kept before the write is not served again: it is Fuseki's new answer
    assert answer(stores["through"], refused, {}) == answer(remote, refused, {}) != expected
    status, _ = http(front, "PUT", store_path(graph), kept,
                     {**auth, "Content-Type": "application/n-triples"})
    assert status == 201
    assert not stale(remote)
    assert saved(stores, "refused") == before
    assert answer(remote, refused, {}) == answer(embedded, refused, {})


def test_a_sparql_update_through_serve_recomputes_the_stances_on_fuseki(stores):
    front, remote, embedded = stores["front"], stores["remote"], stores["embedded"]
    matrix = get_query("commitment-matrix")
    assert answer(stores["through"], matrix, {}) == answer(embedded, matrix, {})   # kept now
    graph = latest_claim_graph(remote, "commitment-matrix")
    kept = remote.graph_ntriples(graph)
    assert update(front, f"DROP GRAPH <{graph}>")[0] == 204
    assert not stale(remote)
    assert answer(stores["through"], matrix, {}) == answer(remote, matrix, {}) != \
        answer(embedded, matrix, {})
    assert update(front, f"INSERT DATA {{ GRAPH <{graph}> {{ {kept} }} }}")[0] == 204
    assert not stale(remote)
    assert answer(stores["through"], matrix, {}) == answer(embedded, matrix, {})


def test_validate_names_the_stance_links_a_write_around_serve_left_dangling(stores):
    """A write straight to Fuseki (not through serve) leaves the stances behind: validate says
    so; the next write through serve repairs them."""
    remote, front = stores["remote"], stores["front"]
    graph = latest_claim_graph(remote, "refused")
    kept = remote.graph_ntriples(graph)
    remote.update(f"DROP GRAPH <{graph}>")
    found = derived_data_report(remote)
    dangling = {v.focus_node for v in found.violations
                if v.source_shape == "checks/stance-link-to-missing-claim-violation.rq"}
    claims = {row[0] for row in remote.select(f"""SELECT DISTINCT ?c WHERE {{
        GRAPH <{STANCES_GRAPH}> {{ ?s <https://w3id.org/stancegraph/ns#supportedBy> ?c }}
        FILTER NOT EXISTS {{ GRAPH ?g {{ ?c a <https://w3id.org/stancegraph/ns#Claim> }} }} }}""")[1]}
    assert (found.conforms, dangling) == (False, claims) and claims
    assert update(front, f"INSERT DATA {{ GRAPH <{graph}> {{ {kept} }} }}")[0] == 204
    assert derived_data_report(remote).violations == ()


def test_service_is_refused_in_front_of_fuseki(stores):
    status, body = http(stores["front"], "GET", "/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}))
    assert status == 400 and b"SERVICE" in body


def test_a_runaway_query_is_stopped_on_fuseki_too(stores):
    """408 within the limit, and Fuseki's own CPU (measured from its process) stops: it is told
    the limit with each query, as its `timeout` parameter."""
    port = urllib.parse.urlsplit(stores["fuseki"].url).port
    jvm = listening_pid(port)
    if jvm is None:
        assert stores["fuseki"].how != "local", "the local Fuseki's process was not found"
        pytest.skip("Fuseki runs elsewhere: its CPU cannot be measured from here")
    began = time.monotonic()
    status, body = http(stores["front"], "GET", "/sparql?" + urllib.parse.urlencode(
        {"query": RUNAWAY}))
    took = time.monotonic() - began
    assert (status, took < TIMEOUT + 2) == (408, True), body
    time.sleep(2)                                 # Fuseki's own clock started a little later
    spent = cpu_seconds([jvm])
    time.sleep(3)
    assert cpu_seconds([jvm]) - spent < 0.3       # idle: ~0.03 s; still computing: a core
