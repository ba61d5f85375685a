"""Issue 10 acceptance: a retracted claim stays retracted when its article is loaded again (and
its claims extracted again), in `refused-troops` over SPARQL on the store, over HTTP from a real
`stancegraph serve` on 127.0.0.1 (with a decision made through POST /review and the write token
too), and in Neo4j after `neo4j sync`. Every step runs the real command line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/
from review_support import actors, claim_of, rows_of, write_article  # noqa: E402
from serve_support import EXE, running_server  # noqa: E402


def cli(*args, env: dict | None = None) -> str:
    done = subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


def over_sparql(store: Path) -> list[dict]:
    return rows_of(cli("query", "refused-troops", "--format", "csv", "--store", store))


def over_http(url: str) -> list[dict]:
    request = urllib.request.Request(f"{url}/queries/refused-troops", headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return rows_of(response.read().decode("utf-8"))


def post_review(url: str, body: dict, token: str | None) -> tuple[int, str]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(f"{url}/review", data=json.dumps(body).encode(), headers=headers,
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def test_a_retraction_holds_after_reloads_over_sparql_http_and_neo4j(tmp_path, neo4j_server, clean_neo4j):
    from stancegraph.queries.catalogue import answer_cypher, get_query

    store, article = tmp_path / "store", write_article(tmp_path / "article.jsonl")
    cli("load", article, "--store", store, "--quiet")
    before = over_sparql(store)
    assert actors(before) == ["Italy", "Poland", "Spain"]
    spain, italy = claim_of(before, "Spain"), claim_of(before, "Italy")

    cli("review", "retract", spain, "--by", "ana", "--why", "the source says no such thing", "--store", store)
    assert actors(over_sparql(store)) == ["Italy", "Poland"]
    # loaded again with a changed title: the article is replaced and its claims extracted again
    write_article(article, title="Review test: three refusals, second version")
    assert "(0 added, 1 replaced" in cli("load", article, "--store", store)
    assert actors(over_sparql(store)) == ["Italy", "Poland"]

    with running_server(store, "--workers", "1") as srv:
        assert actors(over_http(srv["url"])) == ["Italy", "Poland"]
        decision = {"claim": italy.rsplit("/", 1)[-1], "action": "retract", "by": "bo",
                    "why": "Italy's decision is reported, not stated"}
        status, text = post_review(srv["url"], decision, token=None)
        assert status == 403 and "write token" in text
        assert actors(over_http(srv["url"])) == ["Italy", "Poland"]
        status, text = post_review(srv["url"], decision, token=srv["token"])
        assert status == 200, text
        assert json.loads(text)["claim"] == italy and json.loads(text)["action"] == "retract"
        assert actors(over_http(srv["url"])) == ["Poland"]
        # loaded again while the server runs: the load goes through the server
        write_article(article, title="Review test: three refusals, third version")
        assert "(0 added, 1 replaced" in cli("load", article, "--store", store)
        assert actors(over_http(srv["url"])) == ["Poland"]
        status, text = post_review(srv["url"], {**decision, "claim": "0000000000000000"}, srv["token"])
        assert status == 404 and "no such claim" in text

    assert actors(over_sparql(store)) == ["Poland"]
    env = {"NEO4J_URI": neo4j_server.uri, "NEO4J_USER": neo4j_server.user,
           "NEO4J_PASSWORD": neo4j_server.password}
    cli("neo4j", "sync", "--store", store, env=env)
    columns, rows = answer_cypher(clean_neo4j, get_query("refused-troops"), {})
    assert sorted(r[columns.index("actor")] for r in rows) == ["Poland"]
    # a later decision (the retraction of Spain undone by a correction) reaches Neo4j too
    cli("review", "correct", spain, "--relation", "undecided", "--by", "ana", "--why", "on reflection",
        "--store", store)
    cli("neo4j", "sync", "--store", store, env=env)
    columns, rows = answer_cypher(clean_neo4j, get_query("undecided"), {})
    assert [(r[columns.index("actor")], r[columns.index("claim")]) for r in rows] == [("Spain", spain)]
    retracted, _, _ = clean_neo4j.execute_query(
        "MATCH (c:RetractedClaim) RETURN c.iri AS iri, c.reviewStatus AS status")
    assert [(r["iri"], r["status"]) for r in retracted] == [(italy, "retracted")]
