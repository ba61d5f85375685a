"""The Fuseki the tests get is real, asks for credentials, reads the union of its named graphs as
the default graph, and is private to this machine; fusekictl starts and stops it for users."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest

from fuseki_support import FUSEKICTL, FusekiEndpoint, emptied


def request(fuseki: FusekiEndpoint, path: str, data: bytes | None = None, headers=None,
            auth: bool = True) -> tuple[int, bytes]:
    headers = dict(headers or {})
    if auth:
        pair = f"{fuseki.user}:{fuseki.password}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    req = urllib.request.Request(fuseki.url + path, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def select(fuseki: FusekiEndpoint, query: str) -> list[dict]:
    status, body = request(fuseki, "/query?" + urllib.parse.urlencode({"query": query}),
                           headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


def test_every_endpoint_asks_for_credentials(fuseki):
    if fuseki.how != "local":
        pytest.skip(f"authentication is the {fuseki.how} server's business")
    ask = "/query?" + urllib.parse.urlencode({"query": "ASK {}"})
    update = ("/update", b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
              {"Content-Type": "application/sparql-update"})
    assert [request(fuseki, ask, auth=False)[0], request(fuseki, *update, auth=False)[0],
            request(fuseki, "/data?default", auth=False)[0], request(fuseki, ask)[0]] == \
        [401, 401, 401, 200]


def test_the_default_graph_is_the_union_of_the_named_graphs(fuseki):
    emptied(fuseki)
    status, _ = request(fuseki, "/update", b"INSERT DATA { GRAPH <urn:g:1> { <urn:s> <urn:p> 1 } "
                        b"GRAPH <urn:g:2> { <urn:s> <urn:p> 1, 2 } }",
                        {"Content-Type": "application/sparql-update"})
    assert status == 204
    assert select(fuseki, "SELECT ?o WHERE { <urn:s> <urn:p> ?o } ORDER BY ?o") == \
        [{"o": "1"}, {"o": "2"}]  # a triple in two graphs is one triple of the union
    assert select(fuseki, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
                  " ORDER BY ?g") == [{"g": "urn:g:1", "n": "1"}, {"g": "urn:g:2", "n": "2"}]


def test_the_graph_store_endpoint_gives_one_graph_and_the_whole_dataset(fuseki):
    emptied(fuseki)
    request(fuseki, "/update", b"INSERT DATA { GRAPH <urn:g:1> { <urn:s> <urn:p> <urn:o> } }",
            {"Content-Type": "application/sparql-update"})
    one = request(fuseki, "/data?graph=urn:g:1", headers={"Accept": "application/n-triples"})
    every = request(fuseki, "/data", headers={"Accept": "application/n-quads"})
    assert (one, every) == ((200, b"<urn:s> <urn:p> <urn:o> .\n"),
                            (200, b"<urn:s> <urn:p> <urn:o> <urn:g:1> .\n"))


def _non_loopback_address() -> str | None:
    """This machine's address on its default route (no packet is sent), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
        except OSError:
            return None
        address = s.getsockname()[0]
    return None if address.startswith("127.") else address


def test_local_server_listens_on_loopback_only(fuseki):
    if fuseki.how != "local":
        pytest.skip(f"binding is the {fuseki.how} server's business")
    address = _non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address to try")
    port = urllib.parse.urlsplit(fuseki.url).port
    with socket.socket() as s:
        s.settimeout(2)
        assert s.connect_ex((address, port)) != 0


@pytest.mark.slow
def test_fusekictl_up_status_down_with_a_password_kept_out_of_its_output(fuseki, tmp_path):
    """The commands behind `make fuseki-up / fuseki-status / fuseki-down`."""
    if fuseki.how != "local":
        pytest.skip("needs the local server's jars")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STANCEGRAPH_")}

    def ctl(*args):
        return subprocess.run([sys.executable, str(FUSEKICTL), *args, "--home", str(tmp_path)],
                              capture_output=True, text=True, env=env, timeout=120)

    up = ctl("up", "--memory")
    try:
        exports = dict(line.removeprefix("export ").split("=", 1) for line in up.stdout.splitlines())
        password = (tmp_path / "env").read_text().split("STANCEGRAPH_STORE_PASSWORD=")[1].strip()
        running = ctl("status")
        served = FusekiEndpoint(exports["FUSEKI_URL"], "stancegraph", password, "local")
        assert (up.returncode, sorted(exports), exports["STANCEGRAPH_STORE_USER"]) == \
            (0, ["FUSEKI_URL", "STANCEGRAPH_STORE_PASSWORD", "STANCEGRAPH_STORE_USER"], "stancegraph")
        assert password not in up.stdout + up.stderr + running.stdout
        assert (running.returncode, running.stdout.endswith(f": {served.url}\n")) == (0, True)
        assert select(served, "SELECT (1 AS ?one) {}") == [{"one": "1"}]
        assert oct((tmp_path / "env").stat().st_mode & 0o777) == "0o600"
    finally:
        down = ctl("down")
    assert (down.returncode, down.stderr, ctl("status").returncode) == (0, "stopped\n", 3)


def test_a_server_whose_default_graph_is_not_the_union_is_refused(fuseki):
    """The local server's /plain dataset keeps a default graph of its own."""
    from stancegraph.loaders.errors import StoreError
    from stancegraph.loaders.store.remote import Credentials, RemoteStore

    if fuseki.how != "local":
        pytest.skip("needs the local server's /plain dataset")
    plain_url = fuseki.url.rsplit("/", 1)[0] + "/plain"
    plain = RemoteStore(plain_url, credentials=Credentials(fuseki.user, fuseki.password))
    plain.update("DROP ALL ; INSERT DATA { GRAPH <urn:g:1> { <urn:s> <urn:p> <urn:o> } }")
    with pytest.raises(StoreError) as refused:
        RemoteStore.from_env(plain_url, environ=fuseki.env)
    assert str(refused.value) == (
        f"{plain_url}: the server's default graph is not the union of its named graphs, which "
        "the saved queries read: configure it so (Fuseki: tdb2:unionDefaultGraph true; "
        "Oxigraph: --union-default-graph)")
