"""Neo4j remembers which store fed it: a sync from another store would remove the first store's
articles, so it is refused (one line, exit 2) unless forced. Bad credentials are one line too."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from stancegraph.cli.main import app

runner = CliRunner()


def load_store(tmp_path, name: str, title: str, body: str) -> str:
    source = tmp_path / f"{name}.jsonl"
    source.write_text(json.dumps({"title": title, "outlet": "Test Wire", "published": "2025-09-01",
                                  "body": body}) + "\n", encoding="utf-8")
    store = str(tmp_path / name)
    assert runner.invoke(app, ["load", str(source), "--store", store]).exit_code == 0
    return store


@pytest.fixture
def env(neo4j_server, clean_neo4j):
    return {"NEO4J_URI": neo4j_server.uri, "NEO4J_USER": neo4j_server.user,
            "NEO4J_PASSWORD": neo4j_server.password}


def titles(driver) -> list[str]:
    records, _, _ = driver.execute_query("MATCH (a:Article) RETURN a.title AS t ORDER BY t")
    return [r["t"] for r in records]


def test_a_second_store_is_refused_without_force_and_replaces_with_it(tmp_path, env, clean_neo4j):
    first = load_store(tmp_path, "first", "Spain rules out troops",
                       "Spain has ruled out sending troops to Ukraine.")
    second = load_store(tmp_path, "second", "Italy will not send soldiers",
                        "Italy will not send soldiers to Ukraine, Meloni said.")
    assert runner.invoke(app, ["neo4j", "sync", "--store", first], env=env).exit_code == 0
    refused = runner.invoke(app, ["neo4j", "sync", "--store", second], env=env)
    assert refused.exit_code == 2
    assert refused.stderr.startswith(f"error: neo4j: this Neo4j holds the graph of another store "
                                     f"({first}, id ")
    assert refused.stderr.count("\n") == 1
    assert titles(clean_neo4j) == ["Spain rules out troops"]
    forced = runner.invoke(app, ["neo4j", "sync", "--store", second, "--force"], env=env)
    assert forced.exit_code == 0 and "synced 1 article (0 unchanged, 1 removed)" in forced.stdout
    assert titles(clean_neo4j) == ["Italy will not send soldiers"]
    assert runner.invoke(app, ["neo4j", "sync", "--store", second], env=env).exit_code == 0
    assert runner.invoke(app, ["neo4j", "sync", "--store", first], env=env).exit_code == 2


def test_articles_of_an_unrecorded_store_are_not_removed_without_force(tmp_path, env, clean_neo4j):
    from stancegraph.loaders.store import open_store
    from stancegraph.loaders.store.neo4j import project_to_neo4j

    old = load_store(tmp_path, "old", "Spain rules out troops",
                     "Spain has ruled out sending troops to Ukraine.")
    project_to_neo4j(open_store(old), clean_neo4j)          # a sync that recorded no store
    new = load_store(tmp_path, "new", "Chad stays out", "Chad will not send troops to Ukraine.")
    refused = runner.invoke(app, ["neo4j", "sync", "--store", new], env=env)
    assert refused.exit_code == 2
    assert refused.stderr == (f"error: neo4j: this Neo4j holds 1 articles of a store it did not "
                              f"record; syncing would remove those not in {new}. Use `neo4j sync "
                              "--force` to replace them\n")


@pytest.mark.parametrize("command", [["neo4j", "sync"], ["query", "refused-troops", "--engine", "neo4j"]])
def test_a_wrong_password_is_one_line(tmp_path, env, command):
    store = load_store(tmp_path, "s", "Spain rules out troops",
                       "Spain has ruled out sending troops to Ukraine.")
    result = runner.invoke(app, [*command, "--store", store],
                           env={**env, "NEO4J_PASSWORD": "not-the-password"})
    assert result.exit_code == 2
    assert result.stderr == (f"error: {env['NEO4J_URI']}: Neo4j refused the credentials in "
                             "NEO4J_USER / NEO4J_PASSWORD\n")
