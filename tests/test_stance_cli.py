"""The command line of the stance questions: filters as options, safe binding, one-line errors."""
from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from builders import DEV_DUMP
from stancegraph.cli.main import app

runner = CliRunner()


@pytest.fixture(scope="module")
def dev_path(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("cli") / "store")
    assert runner.invoke(app, ["load", str(DEV_DUMP), "--store", path, "--quiet"]).exit_code == 0
    return path


def _csv(result):
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_filters_are_options_and_kind_a_parameter(dev_path):
    from stancegraph.loaders.store import open_store
    from stancegraph.queries.catalogue import answer, get_query

    options = ["--param", "kind=ReassuranceForce", "--as-of", "2025-09-05", "--since", "2025-09-01",
               "--min-confidence", "0.8", "--outlet", "Euromaidan Press"]
    rows = _csv(runner.invoke(app, ["query", "refused", *options, "--format", "csv", "--store", dev_path]))
    store = open_store(dev_path)          # the handle the commands above used
    columns, expected = answer(store, get_query("refused"), {
        "kind": "ReassuranceForce", "as_of": "2025-09-05", "since": "2025-09-01", "min_confidence": "0.8",
        "outlet": "Euromaidan Press"})
    assert [(r["actor"], r["latest_date"], r["claim"]) for r in rows] == \
        [(e[columns.index("actor")], e[columns.index("latest_date")], e[columns.index("claim")]) for e in expected]
    assert rows and all("2025-09-01" <= r["latest_date"] <= "2025-09-05" and float(r["confidence"]) >= 0.8
                        and r["outlet"] == "Euromaidan Press" for r in rows)
    assert _csv(runner.invoke(app, ["query", "refused", "--outlet", "Another Outlet", "--format", "csv",
                                    "--store", dev_path])) == []


@pytest.mark.parametrize("option,value,message", [
    ("--min-confidence", "1.5", "is not a confidence from 0 to 1"),
    ("--since", "last week", "is not a date"),
    ("--outlet", "x" * 300, "is not an outlet name"),
])
def test_a_bad_filter_is_one_error_line(dev_path, option, value, message):
    result = runner.invoke(app, ["query", "committed", option, value, "--store", dev_path])
    assert result.exit_code != 0 and message in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_injection_through_a_filter_binds_as_a_value(dev_path):
    before = runner.invoke(app, ["stats", "--format", "json", "--store", dev_path]).stdout
    rows = _csv(runner.invoke(app, ["query", "refused", "--outlet", 'x" } } ; DROP ALL ; #',
                                    "--format", "csv", "--store", dev_path]))
    assert rows == [] and runner.invoke(app, ["stats", "--format", "json", "--store", dev_path]).stdout == before


def test_a_member_listed_through_a_group_shows_in_its_timeline_with_the_group(dev_path):
    rows = _csv(runner.invoke(app, ["query", "stance-timeline", "--param", "actor=Iceland", "--format", "csv",
                                    "--store", dev_path]))
    assert [(r["date"], r["relation"], r["object"], r["via_group"]) for r in rows] == \
        [("2025-09-05", "commits", "Reassurance force", "Nordic countries")]
    assert rows[0]["claim"].startswith("https://w3id.org/stancegraph/id/claim/")


def test_the_table_leaves_out_the_tracing_columns_and_says_so(dev_path):
    csv_rows = _csv(runner.invoke(app, ["query", "refused-troops", "--format", "csv", "--store", dev_path]))
    iris = [r["actor_iri"] for r in csv_rows] + [r["claim"] for r in csv_rows]
    assert csv_rows and all(i.startswith("https://w3id.org/stancegraph/id/") for i in iris)

    def columns(stdout: str) -> int:          # the table's top border: one ┳ between two columns
        return next(line for line in stdout.splitlines() if line.startswith("┏")).count("┳") + 1

    table = runner.invoke(app, ["query", "refused-troops", "--store", dev_path])
    assert table.exit_code == 0, table.output
    assert columns(table.stdout) == len(csv_rows[0]) - 3
    assert not any(i in table.stdout for i in iris)
    assert table.stderr.strip() == ("(not in the table: article_url, claim, actor_iri; --format wide, "
                                    "csv or json shows them)")
    wide = runner.invoke(app, ["query", "refused-troops", "--format", "wide", "--store", dev_path])
    assert (wide.exit_code, wide.stderr, columns(wide.stdout)) == (0, "", len(csv_rows[0]))
