"""`ask` reads a question into one saved question and its bindings, or runs nothing: the
phrasing table (tests/ask_phrasings.tsv), the catalogue it routes to, the command line."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from stancegraph.ontology.gazetteer import load_gazetteer
from stancegraph.queries.ask import THRESHOLD, lexicon, parse_question, read_question
from stancegraph.queries.catalogue import load_catalogue

TABLE = Path(__file__).with_name("ask_phrasings.tsv")
ROOT = Path(__file__).resolve().parents[1]


def _table():
    header, rows = {}, []
    for number, line in enumerate(TABLE.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("# ") and ":" in line and line[2:].split(":")[0] in ("reference", "outlets"):
            key, value = line[2:].split(":", 1)
            header[key] = value.strip()
        if line.startswith("#") or not line.strip():
            continue
        phrasing, query, *rest = line.split("\t")
        bindings = tuple(tuple(b.split("=", 1)) for b in (rest[0].split("; ") if rest else ()))
        rows.append(pytest.param(phrasing, query, bindings, id=f"line{number}"))
    return date.fromisoformat(header["reference"]), tuple(header["outlets"].split("; ")), rows


REFERENCE, OUTLETS, ROWS = _table()


def _expected_values(bindings):
    """Table bindings with actors turned from preferred labels into gazetteer IRIs."""
    out = []
    for name, value in bindings:
        if name == "actor":
            entity = load_gazetteer().by_label(value)
            assert entity is not None, f"the table names an actor the gazetteer lacks: {value}"
            value = entity.iri
        out.append((name, value))
    return tuple(out)


def test_the_table_has_at_least_150_phrasings_and_the_issue_ones():
    phrasings = {p.values[0] for p in ROWS}
    assert len(ROWS) >= 150
    assert {"Who said no to sending soldiers?", "who will not send troops",
            "list countries against deploying forces", "Who reversed course on troops?",
            "which countries pledged air support", "What has Norway pledged?", "stance of Poland",
            "what did Germany say", "before 3 September 2025", "as of September 3"} <= phrasings


@pytest.mark.parametrize("phrasing,query,bindings", ROWS)
def test_phrasing_is_read_as_the_table_says(phrasing, query, bindings):
    reading = parse_question(phrasing, REFERENCE, OUTLETS)
    if query == "-":
        assert not reading.runs, f"{phrasing!r} would run {reading.query} {reading.bindings}"
        assert reading.problem
    else:
        assert (reading.query, reading.bindings, reading.problem) == \
            (query, _expected_values(bindings), None), reading.evidence
        assert reading.confidence >= THRESHOLD


def test_every_routed_query_and_parameter_is_in_the_catalogue():
    catalogue = load_catalogue()
    for row in ROWS:
        phrasing, query, _ = row.values
        if query == "-":
            continue
        reading = read_question(phrasing, catalogue, REFERENCE, OUTLETS)
        assert reading.runs, f"{phrasing!r}: {reading.problem}"


def test_opposite_questions_never_meet():
    """No phrasing of a refusal runs a commitment question, and the other way round."""
    opposite = {"refused": "committed", "committed": "refused"}
    for row in ROWS:
        phrasing, query, _ = row.values
        if query in opposite:
            assert parse_question(phrasing, REFERENCE, OUTLETS).query != opposite[query]


def test_a_question_below_the_threshold_gets_the_closest_saved_questions():
    reading = read_question("which countries pledged tanks", load_catalogue(), REFERENCE)
    assert not reading.runs
    assert reading.problem == "confidence 0.33 is below 0.6 ('tanks' not understood)"
    assert len(reading.suggestions) == 3 and reading.suggestions[0] == "committed"
    assert len(set(reading.suggestions)) == 3


def test_the_evidence_names_every_word_read():
    reading = parse_question("Who said no to sending soldiers to Ukraine before 3 September 2025?",
                             REFERENCE)
    assert reading.evidence == (
        "'before 3 September 2025' → as_of=2025-09-02",
        "'soldiers' → kind ReassuranceForce",
        "'Ukraine' after 'to': the recipient, not an actor",
        "'said no' → refuses",
        "'sending' → commits-weak",
    )


def test_a_date_without_a_year_needs_a_store_to_count_from():
    reading = parse_question("who refused troops as of September 3")
    assert not reading.runs
    assert reading.problem == ("'as of September 3': the date has no year and the store has no "
                               "articles to take one from")
    assert parse_question("who refused troops as of September 3", date(2026, 1, 10)).values["as_of"] \
        == "2025-09-03"


def test_kinds_come_from_the_turtle_not_from_the_cue_words():
    from stancegraph.queries.ask_tokens import tokenize

    # "frigate" is an altLabel in kinds.ttl, not a cue word: the kind table reads the Turtle.
    assert "frigate" not in (ROOT / "queries" / "ask-words.tsv").read_text()
    assert lexicon().cues.find(tokenize("frigate"), [True]) == []
    assert parse_question("who pledged a frigate", REFERENCE).values == {"kind": "MaritimeSupport"}


def test_a_cue_phrase_with_two_meanings_is_an_error_in_the_words_file(tmp_path):
    words = tmp_path / "words.tsv"
    words.write_text("# test\nrefused\trefuses\nrefused\tcommits\n", encoding="utf-8")
    with pytest.raises(ValueError, match="words.tsv:line 3: 'refused' means both 'refuses' and 'commits'"):
        lexicon.__wrapped__(words)


def test_same_question_same_reading_under_any_hash_seed():
    script = ("import sys; from datetime import date; from stancegraph.queries.ask import parse_question\n"
              "for line in sys.stdin.read().splitlines():\n"
              "    r = parse_question(line, date(2025, 9, 6))\n"
              "    print(r.query, r.bindings, r.confidence, r.evidence, r.problem)\n")
    questions = "\n".join(p.values[0] for p in ROWS)
    outputs = set()
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script], input=questions, env=env,
                              capture_output=True, text=True, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1


def _cli(*args, store):
    from typer.testing import CliRunner

    from stancegraph.cli.main import app

    return CliRunner().invoke(app, [*args, "--store", store.location], catch_exceptions=False)


def test_ask_prints_the_query_and_bindings_it_chose_then_the_answer(dev_store):
    asked = _cli("ask", "Who said no to sending soldiers before 3 September 2025?", "--format", "csv",
                 store=dev_store)
    assert asked.exit_code == 0, asked.output
    chosen = asked.stderr.splitlines()[0]
    assert chosen.startswith("→ query refused kind=ReassuranceForce as_of=2025-09-02 · confidence 1.00")
    queried = _cli("query", "refused", "--param", "kind=ReassuranceForce", "--as-of", "2025-09-02",
                   "--format", "csv", store=dev_store)
    assert asked.stdout == queried.stdout and len(queried.stdout.splitlines()) > 1


def test_ask_takes_the_missing_year_from_the_newest_article_of_the_store(dev_store):
    from stancegraph.queries.ask import store_context

    newest, outlets = store_context(dev_store)
    assert newest == date(2025, 9, 6) and "Euromaidan Press" in outlets
    asked = _cli("ask", "which countries were undecided about troops as of September 3", store=dev_store)
    assert "as_of=2025-09-03" in asked.stderr.splitlines()[0]


def test_ask_runs_nothing_below_the_threshold_and_exits_2_with_suggestions(dev_store):
    asked = _cli("ask", "which countries pledged tanks", store=dev_store)
    assert asked.exit_code == 2 and asked.stdout == ""
    lines = asked.stderr.splitlines()
    assert lines[0] == ("error: ask: nothing run: confidence 0.33 is below 0.6 ('tanks' not understood) "
                        "(best guess: query committed kind=ReassuranceForce (default) · confidence 0.33)")
    assert [line.split(" — ")[0].rstrip() for line in lines[1:]] == [
        "  closest: stancegraph query committed",
        "  closest: stancegraph query committed-troops",
        "  closest: stancegraph query conditional"]
