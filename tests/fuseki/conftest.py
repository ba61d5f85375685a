"""Fixtures for tests that need a real Apache Jena Fuseki (the session's `fuseki` fixture is in
tests/conftest.py; tests/fuseki_support.py says where the server comes from). Tests that write
start from an emptied dataset."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/, for fuseki_support
from fuseki_support import STARTED, FusekiEndpoint, emptied  # noqa: E402
from local_servers import summary_line  # noqa: E402

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
    endpoint = STARTED[0] if STARTED else None
    summary_line(terminalreporter, "Fuseki", lambda report: report.nodeid in _ours, endpoint,
                 endpoint.url if endpoint else "")
