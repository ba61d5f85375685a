"""Fuseki as the store, through the `stancegraph` command: load, idempotent reload, queries,
validate, stats, export, derived stances; and one line with exit code 2 when the store cannot be
used. Every answer is compared with the same command on an embedded store. Commands run in this
process (CliRunner) except where the installed script itself is the point."""
from __future__ import annotations

import json
import os
import socketserver
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from builders import DEV_DUMP, local_http, make_article
from fuseki_support import emptied, remote_store
from stancegraph.loaders.pipeline import load_articles
from stancegraph.loaders.read import read_path
from stancegraph.cli.main import app
from stancegraph.loaders.store import open_store
from stancegraph.ontology.vocab import ID_IRI, SG, STANCES_GRAPH

EXE = Path(sys.executable).parent / "stancegraph"
RECORDED_AT = str(SG.recordedAt)
STORE_ID = str(SG.storeId)
GERMANY = f"{ID_IRI}country/DEU"


def stancegraph(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    """The installed command in its own process, credentials only in its environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STANCEGRAPH_")}
    return subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True,
                          env={**clean, **(env or {})}, timeout=300)


def cli(*args, env: dict | None = None):
    """The command in this process; its environment holds only the given STANCEGRAPH_ values."""
    unset = {k: None for k in os.environ if k.startswith("STANCEGRAPH_")}
    return CliRunner().invoke(app, [str(a) for a in args], env={**unset, **(env or {})},
                              catch_exceptions=False)


def both(fuseki, embedded: Path, *args) -> tuple:
    """The same command on the embedded store and on Fuseki."""
    return (cli(*args, "--store", embedded), cli(*args, "--store", fuseki.url, env=fuseki.env))


def same_outcome(here, there) -> bool:
    return (there.exit_code, there.stdout, there.stderr) == (here.exit_code, here.stdout,
                                                             here.stderr)


def graphs(data: bytes) -> dict[str, set]:
    """Each named graph of an N-Quads export in canonical form (blank nodes relabelled), less
    the load timestamps (record time differs from store to store) and the store's own id (each
    store has its own)."""
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    lines: dict[str, list[str]] = {}
    for q in ox.parse(data, format=ox.RdfFormat.N_QUADS):
        if q.predicate.value not in (RECORDED_AT, STORE_ID):
            lines.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return {g: set(to_canonical_graph(Graph().parse(data="\n".join(nt), format="nt")))
            for g, nt in lines.items()}


@pytest.fixture(scope="module")
def loaded(fuseki, tmp_path_factory):
    """The dev corpus loaded by the command into Fuseki and into an embedded store."""
    emptied(fuseki)
    embedded = tmp_path_factory.mktemp("cli") / "store"
    return embedded, both(fuseki, embedded, "load", DEV_DUMP)


def test_load_reports_the_same_articles_and_claims_as_the_embedded_store(fuseki, loaded):
    _, (here, there) = loaded
    assert there.stdout.startswith("loaded 7 articles (7 added, 0 replaced, 0 unchanged), ")
    assert same_outcome(here, there) and there.exit_code == 0


def test_reloading_changes_nothing_on_fuseki(fuseki, loaded):
    embedded, _ = loaded
    before = json.loads(cli("stats", "-f", "json", "--store", fuseki.url, env=fuseki.env).stdout)
    here, there = both(fuseki, embedded, "load", DEV_DUMP)
    assert there.stdout.startswith("loaded 7 articles (0 added, 0 replaced, 7 unchanged), 0 claims")
    assert same_outcome(here, there)
    after = json.loads(cli("stats", "-f", "json", "--store", fuseki.url, env=fuseki.env).stdout)
    assert after == before


@pytest.mark.parametrize("args", [
    ("query", "refused-troops", "-f", "csv"),
    ("query", "stance-timeline", "-p", "actor=United States", "-f", "json"),
    ("query", "committed-troops", "--as-of", "2025-09-05", "-f", "csv"),
    ("ask", "which countries refused troops?", "-f", "csv"),
    ("validate",),
], ids=lambda a: " ".join(a[:2]))
def test_the_command_answers_the_same_on_fuseki(fuseki, loaded, args):
    embedded, _ = loaded
    here, there = both(fuseki, embedded, *args)
    assert here.exit_code == 0, here.stderr
    assert same_outcome(here, there)


def test_validate_conforms_on_fuseki(fuseki, loaded):
    done = cli("validate", "--store", fuseki.url, env=fuseki.env)
    assert (done.exit_code, done.stdout, done.stderr) == (0, "conforms\n", "")


def test_stats_are_the_embedded_ones_with_the_url_as_location(fuseki, loaded):
    embedded, _ = loaded
    here, there = (json.loads(done.stdout) for done in both(fuseki, embedded, "stats", "-f", "json"))
    assert there == {**here, "location": fuseki.url}


def test_export_gives_the_same_graphs_less_load_times(fuseki, loaded, tmp_path):
    embedded, _ = loaded
    files = [tmp_path / "here.nq", tmp_path / "there.nq"]
    done = [cli("export", "-f", "nq", "-o", files[0], "--store", embedded),
            cli("export", "-f", "nq", "-o", files[1], "--store", fuseki.url, env=fuseki.env)]
    assert [d.exit_code for d in done] == [0, 0]
    here, there = (graphs(f.read_bytes()) for f in files)
    assert there == here and sum(map(len, here.values())) > 1000


def test_export_as_turtle_is_the_union_of_the_graphs(fuseki, loaded, tmp_path):
    out = tmp_path / "union.ttl"
    done = cli("export", "-f", "ttl", "-o", out, "--store", fuseki.url, env=fuseki.env)
    graph = ox.Store()
    graph.load(out.read_bytes(), ox.RdfFormat.TURTLE)
    _, rows = remote_store(fuseki).select(  # the union default graph: distinct triples
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert (done.exit_code, len(graph)) == (0, rows[0][0])


def test_the_installed_command_loads_into_fuseki_and_never_prints_the_password(fuseki, loaded):
    """In its own process, as a user runs it (this test empties the dataset: it runs last of
    those that read the loaded corpus)."""
    _, (here, _) = loaded
    emptied(fuseki)
    outputs = []
    for args in (("load", DEV_DUMP), ("stats",), ("query", "refused-troops"), ("validate",)):
        done = stancegraph(*args, "--store", fuseki.url, env=fuseki.env)
        assert done.returncode == 0, done.stderr
        outputs += [done.stdout, done.stderr]
    assert outputs[0] == here.stdout
    assert not [o for o in outputs if fuseki.password in o]


# -- derived stances, maintained on the server ---------------------------------------------
def stances(store) -> set[tuple]:
    """The stances graph's triples as terms (servers escape control characters differently:
    Fuseki writes U+001F as \\u001F, the embedded store as the character)."""
    from rdflib import Graph

    return set(Graph().parse(data=store.graph_ntriples(STANCES_GRAPH), format="nt"))


def test_derived_stances_follow_each_load_on_fuseki_as_on_the_embedded_store(fuseki, tmp_path):
    remote, embedded = emptied(fuseki), open_store(tmp_path / "store")
    batches = [list(read_path(DEV_DUMP)),
               [make_article("Germany has yet to decide whether to send troops to the reassurance"
                             " force.", title="Germany weighs a role", day="2025-08-19")],
               [make_article("Germany will not send troops to Ukraine for now, Chancellor "
                             "Friedrich Merz said.", title="Merz rules out troops for now",
                             day="2025-09-05")]]
    for batch in batches:
        for store in (embedded, remote):
            load_articles(batch, store)
        assert stances(remote) == stances(embedded)
    _, rows = remote.select(f"SELECT ?c WHERE {{ GRAPH <{STANCES_GRAPH}> {{ ?c a <{SG.StanceChange}> ;"
                            f" <{SG.laterClaim}> ?later }} ?later <{SG.actor}> <{GERMANY}> }}")
    assert len(rows) == 1


def test_a_changed_article_replaces_exactly_its_own_facts_on_fuseki(fuseki_store):
    url = "https://t.invalid/germany"
    first = make_article("Germany has yet to decide whether to send troops to the reassurance "
                         "force. Italy has ruled out sending troops.", title="Europe", url=url)
    shorter = make_article("Italy has ruled out sending troops.", title="Europe", url=url)
    assert load_articles([first], fuseki_store).added == 1
    assert fuseki_store.stats()["claims"] == 2
    report = load_articles([shorter], fuseki_store)
    assert (report.added, report.replaced) == (0, 1)
    _, rows = fuseki_store.select("SELECT ?l WHERE { ?c <https://w3id.org/stancegraph/ns#actor> ?a"
                                  " . ?a <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }")
    assert (fuseki_store.stats()["articles"], rows) == (1, [["Italy"]])


def test_every_command_with_a_store_option_takes_a_url_as_it_is():
    """A `--store` annotated as a Path would turn http://host into http:/host before we see it."""
    import inspect
    from typing import Optional

    def commands(typer_app):
        for info in typer_app.registered_commands:
            yield info.callback
        for group in typer_app.registered_groups:
            yield from commands(group.typer_instance)

    annotations = {f.__name__: inspect.signature(f, eval_str=True).parameters["store"].annotation
                   for f in commands(app) if "store" in inspect.signature(f).parameters}
    assert {"load", "query", "validate_cmd", "stats", "export", "sync", "serve"} <= set(annotations)
    assert {n: a for n, a in annotations.items() if a != Optional[str]} == {}


# -- a store that cannot be used: one line, exit code 2 ------------------------------------
def error_line(done) -> tuple[int, int, str]:
    """(exit code, lines written to stderr, the message after `error: SOURCE: `)."""
    code = getattr(done, "returncode", getattr(done, "exit_code", None))
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    return code, len(lines), lines[-1].split(": ", 2)[-1] if lines else ""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_server_is_one_line_and_exit_code_2():
    url = f"http://127.0.0.1:{free_port()}/ds"
    done = stancegraph("load", DEV_DUMP, "--store", url)
    assert error_line(done) == (2, 1, "cannot reach the server: [Errno 111] Connection refused")
    assert done.stderr.startswith(f"error: {url}: ")


def test_wrong_credentials_are_one_line_and_exit_code_2(fuseki):
    for env in ({"STANCEGRAPH_STORE_USER": fuseki.user, "STANCEGRAPH_STORE_PASSWORD": "not-it-42"},
                {}):
        done = cli("query", "refused-troops", "--store", fuseki.url, env=env)
        assert error_line(done) == (2, 1, "the server answered 401: it refused the credentials "
                                          "(STANCEGRAPH_STORE_USER / _PASSWORD / _TOKEN)")
        assert "not-it-42" not in done.stderr + done.stdout


def test_credentials_in_the_url_are_refused_and_not_echoed(fuseki):
    url = fuseki.url.replace("http://", "http://someone:hunter2secret@")
    done = cli("stats", "--store", url)
    assert error_line(done) == (2, 1, "put credentials in STANCEGRAPH_STORE_USER and "
                                      "STANCEGRAPH_STORE_PASSWORD, not in the URL")
    assert "hunter2secret" not in done.stderr


def test_a_web_server_that_is_no_sparql_endpoint_is_one_line_and_exit_code_2():
    with local_http(lambda method, path, body: ("text/html", b"<p>a blog</p>")) as url:
        done = cli("stats", "--store", url + "/blog")
    assert error_line(done) == (2, 1, "no SPARQL endpoint answers there (tried /query (200), "
                                      "/sparql (200), / (200)); set STANCEGRAPH_STORE_QUERY_URL")


@contextmanager
def server_that_dies_after_one_answer():
    """Answers the first request like a SPARQL endpoint, then closes every connection unanswered."""
    answered = threading.Event()

    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            while self.rfile.readline() not in (b"\r\n", b""):
                pass
            if answered.is_set():
                return
            answered.set()
            body = b'{"head": {}, "boolean": true}'
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                             b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))

    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_address[1]}"
        server.shutdown()


def test_a_server_that_goes_away_mid_command_is_one_line_and_exit_code_2():
    with server_that_dies_after_one_answer() as url:
        done = cli("load", DEV_DUMP, "--store", url)
    assert error_line(done) == (2, 1, "the server closed the connection: Remote end closed "
                                      "connection without response")
