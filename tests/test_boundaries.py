"""One exception boundary per item: a bad line, entry, file or article is one `error:` line, the
rest of the batch goes in and the summary prints; our own bugs still raise under test."""
from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime, timezone

import pytest

from builders import ROOT
from stancegraph.loaders.errors import InputError, item_boundary, shown
from stancegraph.loaders.model import Article
from stancegraph.loaders.pipeline import load_articles
from stancegraph.loaders.read import Limits, read_path, read_sources, read_text

EXE = ROOT / ".venv" / "bin" / "stancegraph"


def jsonl_line(title: str, body: str, **more) -> str:
    return json.dumps({"title": title, "outlet": "Test Wire", "published": "2025-09-01",
                       "body": body, **more})


def article(n: int, body: str) -> Article:
    return Article(id=f"https://t.invalid/{n}", url=f"https://t.invalid/{n}", outlet="Test Wire",
                   title=f"Article {n}", published=datetime(2025, 9, 1, tzinfo=timezone.utc),
                   language="en", body=body, source="batch", position=f"item {n}")


def test_load_of_a_good_file_and_a_bad_id_loads_the_good_prints_one_line_and_exits_1(tmp_path):
    """The issue's acceptance, through the installed command as a user runs it."""
    (tmp_path / "good.jsonl").write_text(
        jsonl_line("Spain rules out troops", "Spain has ruled out sending troops to Ukraine.") + "\n"
        + jsonl_line("Italy will not send soldiers", "Italy will not send soldiers to Ukraine, "
                     "Prime Minister Giorgia Meloni said.") + "\n", encoding="utf-8")
    (tmp_path / "bad-id.jsonl").write_text(
        jsonl_line("Chad stays out", "Chad will not send troops.", id=7) + "\n", encoding="utf-8")
    done = subprocess.run([str(EXE), "load", "good.jsonl", "bad-id.jsonl", "--store", "store"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "STANCEGRAPH_DEBUG": "0"})
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["error: bad-id.jsonl:line 1: field 'id' must be a string, got 7"]
    assert done.stdout.splitlines() == [
        "loaded 2 articles (2 added, 0 replaced, 0 unchanged), 2 claims; 1 input error, "
        "0 articles rejected by SHACL"]


def test_a_bug_with_one_article_is_one_line_for_a_user_and_the_batch_goes_on(store, monkeypatch):
    """A library caller's Article with a lone surrogate breaks our mapping (a bug of ours to
    guard against): one line naming the item, the next article still loads, stances recomputed."""
    monkeypatch.setenv("STANCEGRAPH_DEBUG", "0")
    report = load_articles([article(1, "Spain has ruled out sending troops \ud800 to Ukraine."),
                            article(2, "Italy will not send troops to Ukraine, Meloni said.")], store)
    assert [str(e).split(" (")[0] for e in report.errors] == ["batch:item 1: cannot load this article"]
    assert "this is a bug in stancegraph, set STANCEGRAPH_DEBUG=1" in str(report.errors[0])
    assert (report.added, report.claims) == (1, 1)
    _, rows = store.select("SELECT ?s WHERE { GRAPH ?g { ?s a <https://w3id.org/stancegraph/ns#Stance> } }")
    assert len(rows) == 1


def test_the_same_bug_raises_with_its_traceback_under_test(store):
    with pytest.raises(UnicodeEncodeError):
        load_articles([article(1, "Spain has ruled out sending troops \ud800 to Ukraine.")], store)


def test_the_boundary_keeps_bad_input_and_raises_without_an_errors_list():
    errors: list[InputError] = []
    with item_boundary(errors, "feed.rss", "item 2"):
        raise InputError("feed.rss", "no date", "item 2")
    assert [str(e) for e in errors] == ["feed.rss:item 2: no date"]
    with pytest.raises(InputError, match="no date"):
        with item_boundary(None, "feed.rss", "item 2"):
            raise InputError("feed.rss", "no date", "item 2")


def test_read_sources_streams_articles_and_appends_errors_as_they_occur(tmp_path):
    (tmp_path / "a.jsonl").write_text(jsonl_line("One", "Spain said no.") + "\n{oops\n",
                                      encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("[]\n" + jsonl_line("Two", "Chad said no.") + "\n",
                                      encoding="utf-8")
    errors: list[InputError] = []
    stream = read_sources([str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")], errors)
    assert next(stream).title == "One" and errors == []
    assert next(stream).title == "Two"
    assert [str(e).replace(str(tmp_path) + "/", "") for e in errors] == [
        "a.jsonl:line 2: not JSON (Expecting property name enclosed in double quotes at column 2)",
        "b.jsonl:line 1: expected a JSON object, got list"]
    assert list(stream) == []


def test_a_huge_value_is_cut_in_its_error_line(tmp_path):
    (tmp_path / "big.jsonl").write_text(jsonl_line("T", "Body text.", id=["x" * 100_000]) + "\n",
                                        encoding="utf-8")
    errors: list[InputError] = []
    assert list(read_path(tmp_path / "big.jsonl", errors)) == []
    assert str(errors[0]) == (f"{tmp_path}/big.jsonl:line 1: field 'id' must be a string, got "
                              + shown(["x" * 100_000]))
    assert len(shown(["x" * 100_000])) == 80 and shown(["x" * 100_000]).endswith("…")


def test_a_json_line_with_unicode_line_separators_is_one_line():
    [a] = read_text(jsonl_line("Spain\u2028rules out troops", "Spain said\u2029no.") + "\n",
                    "items.jsonl")
    assert a.title == "Spain rules out troops"


@pytest.mark.parametrize("field, value, message", [
    ("title", "x" * 1001, "the title is 1,001 characters long, more than 1,000 (limit: "
                          "STANCEGRAPH_MAX_TITLE_CHARS / --max-title)"),
    ("body", "word " * 50_000, "the text is 249,999 characters long, more than 200,000 (limit: "
                               "STANCEGRAPH_MAX_BODY_CHARS / --max-body)"),
])
def test_titles_and_bodies_past_their_bound_are_refused(tmp_path, field, value, message):
    line = {"title": "T", "body": "Spain said no.", field: value}
    (tmp_path / "a.jsonl").write_text(jsonl_line(**line) + "\n" + jsonl_line("Fine", "Chad said no.")
                                      + "\n", encoding="utf-8")
    errors: list[InputError] = []
    assert [a.title for a in read_path(tmp_path / "a.jsonl", errors)] == ["Fine"]
    assert [str(e) for e in errors] == [f"{tmp_path}/a.jsonl:line 1: {message}"]


def test_bounds_come_from_the_environment_and_from_options(monkeypatch):
    monkeypatch.setenv("STANCEGRAPH_MAX_BODY_CHARS", "5_000")
    monkeypatch.setenv("STANCEGRAPH_MAX_DEPTH", "20")
    assert Limits.from_env(max_depth=30) == Limits(max_body_chars=5000, max_depth=30)
    monkeypatch.setenv("STANCEGRAPH_MAX_DEPTH", "deep")
    with pytest.raises(InputError, match="STANCEGRAPH_MAX_DEPTH: expected a whole number"):
        Limits.from_env()


def test_nesting_past_the_bound_is_one_line_per_item(tmp_path):
    nested = "[" * 101 + "]" * 101
    (tmp_path / "deep.jsonl").write_text(f'{{"title": {nested}}}\n' + jsonl_line("Fine", "No.")
                                         + "\n", encoding="utf-8")
    (tmp_path / "deep.rss").write_text('<rss version="2.0"><channel><title>W</title>'
                                       + "<x>" * 200 + "</x>" * 200 + "</channel></rss>",
                                       encoding="utf-8")
    errors: list[InputError] = []
    assert [a.title for a in read_sources([str(tmp_path / "deep.jsonl"),
                                           str(tmp_path / "deep.rss")], errors)] == ["Fine"]
    assert [str(e).replace(str(tmp_path) + "/", "") for e in errors] == [
        "deep.jsonl:line 1: JSON nested more than 100 levels deep (limit: STANCEGRAPH_MAX_DEPTH / "
        "--max-depth)",
        "deep.rss: elements nested more than 100 levels deep (limit: STANCEGRAPH_MAX_DEPTH / "
        "--max-depth)"]


def test_a_jsonl_line_past_the_line_bound_is_skipped_without_being_held(tmp_path):
    (tmp_path / "long.jsonl").write_text(jsonl_line("Long", "x " * 600) + "\n"
                                         + jsonl_line("Short", "Spain said no.") + "\n",
                                         encoding="utf-8")
    errors: list[InputError] = []
    found = read_path(tmp_path / "long.jsonl", errors, Limits(max_line_bytes=1000))
    assert [a.title for a in found] == ["Short"]
    assert [str(e) for e in errors] == [
        f"{tmp_path}/long.jsonl:line 1: the line is longer than 1,000 bytes (limit: "
        "STANCEGRAPH_MAX_LINE_BYTES / --max-line)"]


def test_a_file_past_the_size_bound_is_one_line(tmp_path):
    (tmp_path / "big.rss").write_text("<rss>" + " " * 2000 + "</rss>", encoding="utf-8")
    errors: list[InputError] = []
    assert list(read_sources([str(tmp_path / "big.rss")], errors, Limits(max_file_bytes=1000))) == []
    assert [str(e) for e in errors] == [
        f"{tmp_path}/big.rss: the file is larger than 1,000 bytes (limit: STANCEGRAPH_MAX_FILE_BYTES"
        " / --max-file-size; JSONL files are read line by line and have no size limit)"]


def test_a_fifo_and_a_device_are_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.rss")
    errors: list[InputError] = []
    assert list(read_sources([str(tmp_path / "pipe.rss"), "/dev/zero"], errors)) == []
    assert [str(e) for e in errors] == [
        f"{tmp_path}/pipe.rss: not a regular file (a named pipe); only files, folders and http(s) "
        "URLs are read",
        "/dev/zero: not a regular file (a device); only files, folders and http(s) URLs are read"]
