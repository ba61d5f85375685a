"""Fixtures for tests that need a real Apache Jena Fuseki (the session's `fuseki` fixture is in
tests/conftest.py; tests/fuseki_support.py says where the server comes from). Tests that write
start from an emptied dataset."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/, for fuseki_support
from fuseki_support import STARTED, FusekiEndpoint, emptied  # noqa: E402

HERE = Path(__file__).resolve().parent
_ours: set[str] = set()  # node ids of the tests in this folder (keywords also hold path names)


@pytest.fixture
def fuseki_store(fuseki: FusekiEndpoint):
    """A RemoteStore on an empty Fuseki dataset."""
    return emptied(fuseki)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.fuseki)
            _ours.add(item.nodeid)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """One line for the CI log: how many Fuseki tests ran, passed, failed and were skipped."""
    counts = {"passed": 0, "failed": 0, "skipped": 0, "error": 0}
    seen = set()
    for outcome in counts:
        for report in terminalreporter.stats.get(outcome, []):
            if report.nodeid in _ours and report.nodeid not in seen:
                seen.add(report.nodeid)
                counts[outcome] += 1
    if not seen:
        return
    where = "no server"
    if STARTED:
        e = STARTED[0]
        where = f"{e.how} server {e.url}" + (f", up in {e.started_in:.1f} s" if e.started_in else "")
    ran = counts["passed"] + counts["failed"] + counts["error"]
    terminalreporter.write_sep("-", "Fuseki tests")
    terminalreporter.write_line(
        f"Fuseki tests: {ran} ran, {counts['passed']} passed, {counts['failed']} failed,"
        f" {counts['error']} errors, {counts['skipped']} skipped ({where})")
