"""The fuzz suite through the library, for volume: over a thousand generated bad inputs mixed
with good articles, each read on its own under a watchdog; then a slice of them loaded through
the whole pipeline. 0 tracebacks, 0 hangs, 0 good articles lost, one named line per bad input."""
from __future__ import annotations

import os
import traceback

import pytest

import fuzz_inputs
from harness import (PER_INPUT_SECONDS, SCALE, SEED, Hang, Verdict, can_make_unreadable,
                     check_lines, make_readable, warm_up, watchdog, write_case)
from stancegraph.loaders.errors import InputError
from stancegraph.loaders.pipeline import LoadReport, load_articles
from stancegraph.loaders.read import Limits, read_sources

BAD, GOOD, PIPELINE_SLICE = 1100 * SCALE, 120 * SCALE, 60 * SCALE


@pytest.fixture(scope="module")
def fuzz_run(tmp_path_factory):
    """Every case written and read once: cases, their paths, articles, error lines, verdict."""
    os.environ.update(fuzz_inputs.LIMITS_ENV)
    try:
        limits = Limits.from_env()
    finally:
        for key in fuzz_inputs.LIMITS_ENV:
            os.environ.pop(key)
    folder = tmp_path_factory.mktemp("fuzz")
    cases = [c for c in fuzz_inputs.cases(SEED, BAD, GOOD)
             if can_make_unreadable() or c.kind not in ("unreadable", "unreadable-folder")]
    paths = {c.name: str(write_case(c, folder)) for c in cases}
    verdict, articles, lines = Verdict(), {}, []
    warm_up()
    for case in cases:
        errors: list[InputError] = []
        try:
            with watchdog(PER_INPUT_SECONDS, case.name):
                articles[case.name] = list(read_sources([paths[case.name]], errors, limits))
        except Hang as e:
            verdict.hangs.append(str(e))
        except Exception:  # noqa: BLE001 - a bug of ours: collect it, report all at the end
            verdict.tracebacks.append(f"{case.name}: {traceback.format_exc(limit=-4)}")
        lines.extend(str(e) for e in errors)
    yield cases, paths, articles, lines, verdict
    make_readable(folder)


def test_over_a_thousand_bad_inputs_are_tried(fuzz_run):
    cases, *_ = fuzz_run
    assert sum(c.bad for c in cases) >= 1000
    assert sum(len(c.good) for c in cases) >= 200


def test_readers_give_no_traceback_no_hang_lose_no_good_article_and_name_each_bad_input(fuzz_run):
    cases, paths, articles, lines, verdict = fuzz_run
    titles = {name: [a.title for a in found] for name, found in articles.items()}
    for case in cases:
        missing = set(case.good) - set(titles.get(case.name, []))
        verdict.lost.extend(f"{case.name}: {t}" for t in sorted(missing))
        for never in case.extra.get("never", ()):
            if any(never in a.body or never in a.title for a in articles.get(case.name, [])):
                verdict.lost.append(f"{case.name}: an entity was expanded ({never[:20]}…)")
    check_lines(cases, paths, lines, titles, verdict)
    assert verdict.failures() == {}


def test_every_error_line_is_one_short_line(fuzz_run):
    *_, lines, _ = fuzz_run
    assert [line for line in lines if "\n" in line or len(line) > 400 + 200] == []


def test_a_slice_loads_through_the_pipeline_with_every_good_article_stored(fuzz_run, store):
    cases, paths, articles, _, _ = fuzz_run
    chosen = cases[:PIPELINE_SLICE]
    report = LoadReport()
    with watchdog(PER_INPUT_SECONDS * len(chosen), "pipeline"):
        load_articles((a for c in chosen for a in articles.get(c.name, [])), store, report=report)
    stored = {title for _, title in store.article_graphs()}
    lost = [t for c in chosen for t in c.good if t not in stored]
    assert (lost, [str(e) for e in report.errors]) == ([], [])
    assert [r for r in report.rejected if "Fuzz " in r and any(t in r for c in chosen for t in c.good)] == []
