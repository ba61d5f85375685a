"""Exit codes are a contract (README, each command's --help): 0 ok, 1 some input refused or
violations, 2 cannot run (store missing or locked, bad usage, Neo4j unreachable, unwritable
output), 3 internal error (a bug: never 1). One test per code and per way of reaching it."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap

import pytest
from typer.testing import CliRunner

from builders import ROOT
from stancegraph.cli.main import app

runner = CliRunner()
GOOD = ('{"title": "Spain rules out troops", "outlet": "Test Wire", "published": "2025-09-01", '
        '"body": "Spain has ruled out sending troops to Ukraine, the minister said."}\n')


def run(*argv: str):
    return runner.invoke(app, list(argv), catch_exceptions=False)


@pytest.fixture
def loaded(tmp_path):
    (tmp_path / "good.jsonl").write_text(GOOD, encoding="utf-8")
    store = tmp_path / "store"
    assert run("load", str(tmp_path / "good.jsonl"), "--store", str(store)).exit_code == 0
    return store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_0_ok_for_a_clean_load_and_a_query(loaded):
    assert run("query", "refused-troops", "--store", str(loaded)).exit_code == 0
    assert run("stats", "--store", str(loaded)).exit_code == 0


def test_1_when_some_input_is_refused(tmp_path):
    (tmp_path / "mixed.jsonl").write_text(GOOD + '{"title": 7}\n', encoding="utf-8")
    result = run("load", str(tmp_path / "mixed.jsonl"), "--store", str(tmp_path / "s"))
    assert result.exit_code == 1
    assert "1 article (1 added" in result.stdout


def test_1_for_a_partly_failed_extract(tmp_path):
    (tmp_path / "mixed.jsonl").write_text(GOOD + "{oops\n", encoding="utf-8")
    result = run("extract", str(tmp_path / "mixed.jsonl"), "--format", "jsonl")
    assert result.exit_code == 1
    assert [line.split(": ", 1)[0] for line in result.stderr.splitlines()] == ["error"]
    assert len(result.stdout.splitlines()) == 1            # Spain's claim still printed


@pytest.mark.parametrize("command", [["stats"], ["export", "-f", "ttl"], ["validate"],
                                     ["query", "refused-troops"], ["ask", "who refused troops?"],
                                     ["neo4j", "sync"]])
def test_2_when_the_store_does_not_exist_and_none_is_created(tmp_path, command):
    result = run(*command, "--store", str(tmp_path / "typo"))
    assert result.exit_code == 2
    assert result.stderr == (f"error: {tmp_path}/typo: no store here (`stancegraph load` creates "
                             "one; choose another with --store or STANCEGRAPH_STORE)\n")
    assert not (tmp_path / "typo").exists()


def test_2_when_another_process_holds_the_store(loaded):
    from stancegraph.loaders.store import close_store

    close_store(loaded)                              # this test process lets go of it first
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time, pyoxigraph
        store = pyoxigraph.Store({str(loaded)!r})
        print("holding", flush=True)
        sys.stdin.read()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "holding\n"
        for command in (["validate"], ["stats"], ["load", os.devnull]):
            result = run(*command, "--store", str(loaded))
            assert result.exit_code == 2, command
            assert result.stderr.startswith(f"error: {loaded}: cannot open the store (is another "
                                            "stancegraph process"), command
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_2_for_bad_usage(loaded):
    assert run("query", "no-such-question", "--store", str(loaded)).exit_code == 2
    assert run("load").exit_code == 2                         # typer: missing argument
    assert run("stats", "--no-such-option").exit_code == 2


def test_2_when_the_output_file_cannot_be_written(loaded, tmp_path):
    result = run("export", "-f", "ttl", "-o", str(tmp_path / "missing-dir" / "x.ttl"),
                 "--store", str(loaded))
    assert result.exit_code == 2
    assert result.stderr == (f"error: {tmp_path}/missing-dir/x.ttl: cannot write the file: No such "
                             "file or directory\n")


@pytest.mark.parametrize("command", [["query", "refused-troops", "--engine", "neo4j"],
                                     ["neo4j", "sync"]])
def test_2_when_no_neo4j_answers(loaded, monkeypatch, command):
    uri = f"bolt://127.0.0.1:{free_port()}"
    monkeypatch.setenv("NEO4J_URI", uri)
    result = run(*command, "--store", str(loaded))
    assert result.exit_code == 2
    assert result.stderr == (f"error: {uri}: no Neo4j answers there (start one with `make neo4j-up`, "
                             "or set NEO4J_URI)\n")


CRASHING = textwrap.dedent("""
    import sys
    import stancegraph.cli.store_cmds as cmds

    def broken(*args, **kwargs):
        raise RuntimeError("injected fault")

    cmds.open_store_or_fail = broken          # a bug of ours, put there on purpose
    from stancegraph.cli.main import main
    sys.argv = ["stancegraph", "stats"]
    main()
""")


def test_3_for_a_bug_one_line_for_a_user():
    done = subprocess.run([sys.executable, "-c", CRASHING], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "STANCEGRAPH_DEBUG": "0"})
    assert done.returncode == 3
    assert done.stderr == ("error: internal error (RuntimeError: injected fault); this is a bug in "
                           "stancegraph: run again with STANCEGRAPH_DEBUG=1 for the traceback and "
                           "please report it\n")


def test_3_for_a_bug_with_its_traceback_when_debugging():
    done = subprocess.run([sys.executable, "-c", CRASHING], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "STANCEGRAPH_DEBUG": "1"})
    assert done.returncode == 3
    assert done.stderr.startswith("Traceback (most recent call last):")
    assert done.stderr.endswith("RuntimeError: injected fault\n")


def test_every_command_help_documents_its_exit_codes():
    from typer.main import get_command

    def commands(group, prefix=()):
        for name, cmd in sorted(group.commands.items()):
            if hasattr(cmd, "commands"):
                yield from commands(cmd, prefix + (name,))
            else:
                yield prefix + (name,), cmd

    # `serve` is documented with the endpoint's own errors (issue 9, security part)
    missing = [" ".join(path) for path, cmd in commands(get_command(app))
               if "Exit codes:" not in (cmd.help or "") and path != ("serve",)]
    assert missing == []
    assert "| 3 |" in (ROOT / "README.md").read_text(encoding="utf-8")
