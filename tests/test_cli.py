"""The command line as a user meets it: real files, a real store, exit codes, one-line errors."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from builders import DEV_DUMP, ROOT, SHARED
from stancegraph.cli.main import app

runner = CliRunner()


def run(*args, store=None):
    argv = list(args) + (["--store", str(store)] if store else [])
    return runner.invoke(app, argv, catch_exceptions=False)


def stats(store):
    return json.loads(run("stats", "--format", "json", store=store).stdout)


def test_loading_the_dev_dump_twice_leaves_stats_unchanged(tmp_path):
    store = tmp_path / "s"
    first = run("load", str(DEV_DUMP), store=store)
    assert first.exit_code == 0, first.output
    assert "7 articles (7 added, 0 replaced, 0 unchanged)" in first.stdout
    numbers = stats(store)
    again = run("load", str(DEV_DUMP), store=store)
    assert "7 articles (0 added, 0 replaced, 7 unchanged)" in again.stdout
    assert stats(store) == numbers
    assert numbers["articles"] == 7 and numbers["claims"] > 50 and numbers["triples"] > 1000


def test_bad_inputs_get_one_line_each_and_good_ones_still_load(tmp_path):
    store = tmp_path / "s"
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "lines.jsonl").write_text(
        '{"title": "Spain", "outlet": "W", "published": "2025-09-01", "body": "Spain has ruled out sending troops."}\n'
        '{oops\n', encoding="utf-8")
    result = run("load", str(tmp_path / "empty.txt"), str(tmp_path / "blob.bin"),
                 str(tmp_path / "lines.jsonl"), str(tmp_path / "missing.rss"), store=store)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert [e.replace(str(tmp_path) + "/", "") for e in errors] == [
        "error: empty.txt: the file is empty",
        "error: blob.bin: this is a binary file, not text",
        "error: lines.jsonl:line 2: not JSON (Expecting property name enclosed in double quotes at column 2)",
        "error: missing.rss: no such file or directory",
    ]
    assert "1 article (1 added" in result.stdout
    assert stats(store)["articles"] == 1


def test_a_batch_of_only_bad_input_changes_nothing_stored(tmp_path):
    store = tmp_path / "s"
    run("load", str(ROOT / "examples" / "articles.jsonl"), store=store)
    before = stats(store)
    (tmp_path / "bad.rss").write_text("<rss><channel><item><title>cut", encoding="utf-8")
    result = run("load", str(tmp_path / "bad.rss"), store=store)
    assert result.exit_code == 1 and "not well-formed XML" in result.stderr
    assert stats(store) == before


def test_extract_prints_the_fixed_jsonl_shape():
    result = run("extract", str(ROOT / "examples" / "articles.jsonl"), "--format", "jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records
    for r in records:
        assert set(r) >= {"actor", "relation", "object", "date", "quote", "span", "confidence",
                          "claimer", "article"}
        assert set(r["actor"]) == {"id", "label", "type", "on_behalf_of"}
        assert set(r["article"]) == {"id", "title", "url", "outlet", "published", "date_source"}
        assert r["relation"] in {"commits", "refuses", "undecided", "conditions", "states"}
    poland = [r for r in records if r["actor"]["label"] == "Poland"]
    assert {(r["relation"], r["object"]["label"]) for r in poland} == {
        ("refuses", "ReassuranceForce"), ("commits", "Logistics")}


def test_query_answers_as_csv_with_evidence(tmp_path):
    store = tmp_path / "s"
    run("load", str(DEV_DUMP), store=store)
    result = run("query", "refused-troops", "--format", "csv", store=store)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["actor"] for r in rows} == {"Italy", "United States", "China"}
    assert all(r["quote"] and r["outlet"] and r["article"] and r["latest_date"] for r in rows)
    bad = run("query", "refused-troops", "--as-of", "yesterday", store=store)
    assert bad.exit_code == 2                      # bad usage: the command cannot run
    assert bad.stderr.strip() == "error: parameter 'as_of': 'yesterday' is not a date (YYYY-MM-DD)"


def test_validate_reports_a_broken_file_with_exit_code_one(tmp_path):
    broken = ROOT / "tests" / "shapes" / "invalid" / "claim-empty-quote.ttl"
    result = run("validate", str(broken))
    assert result.exit_code == 1
    assert "sg:quote" in result.stdout and "1 violations" in result.stdout
    missing = run("validate", str(tmp_path / "nope.ttl"))
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_every_command_documents_an_example():
    import typer.main

    def walk(group, prefix=""):
        for name, command in group.commands.items():
            yield prefix + name, command
            if hasattr(command, "commands"):
                yield from walk(command, prefix + name + " ")

    for name, command in walk(typer.main.get_command(app)):
        assert "Example:" in (command.help or ""), name


def test_every_command_module_is_registered_in_main_and_none_imports_it_back():
    import importlib
    import pkgutil
    from pathlib import Path

    import stancegraph.cli as cli
    from stancegraph.cli import main

    registered = {id(g) for g in main.COMMAND_GROUPS} | {id(main.neo4j_cmds.app)}
    for info in pkgutil.iter_modules(cli.__path__):
        module = importlib.import_module(f"stancegraph.cli.{info.name}")
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert "from .main import" not in source, info.name
        if info.name != "main" and hasattr(module, "app"):
            assert id(module.app) in registered, f"{info.name}.app is not in main.COMMAND_GROUPS"


def test_installed_console_script_runs_the_same_app(tmp_path):
    exe = ROOT / ".venv" / "bin" / "stancegraph"
    if not exe.exists():
        pytest.fail("the console script is missing: run `make install`")
    out = subprocess.run([str(exe), "queries", "--format", "json"], capture_output=True, text=True,
                         check=True, env={"STANCEGRAPH_STORE": str(tmp_path / "s"), "PATH": "/usr/bin:/bin"})
    assert {q["name"] for q in json.loads(out.stdout)} >= {"refused-troops", "undecided"}


def test_dev_set_quality_floor():
    """Regression floor on the dev corpus (the shared scorer): stances F1 >= 0.85."""
    from stancegraph.eval import score_corpus

    result = score_corpus(DEV_DUMP.parent, SHARED / "tools" / "score_claims.py")
    assert result["stances"]["f1"] >= 0.85, result
    assert result["statements"]["f1"] >= 0.80, result


def test_eval_command_writes_its_report(tmp_path):
    out = subprocess.run([sys.executable, "-m", "stancegraph.eval", "--shared", str(SHARED),
                          "--report", str(tmp_path / "eval.json")], capture_output=True, text=True,
                         check=True)
    assert "stances" in out.stdout
    assert json.loads((tmp_path / "eval.json").read_text())["dev"]["stances"]["gold"] == 28
