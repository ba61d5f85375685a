"""Fixtures shared by the test modules: fresh stores and the dev corpus loaded once."""
from __future__ import annotations

import os

import pytest

# Our own bugs raise with their traceback under test, instead of becoming one error line as they
# do for a user (loaders/errors.py item_boundary); subprocesses the tests start inherit it.
os.environ["STANCEGRAPH_DEBUG"] = "1"

from builders import DEV_DUMP


@pytest.fixture
def store(tmp_path):
    from stancegraph.loaders.store import open_store

    return open_store(tmp_path / "store")


@pytest.fixture(scope="session")
def dev_store(tmp_path_factory):
    """A store holding the dev corpus, loaded through the real pipeline (read-only use)."""
    from stancegraph.loaders.pipeline import load_articles
    from stancegraph.loaders.read import read_path
    from stancegraph.loaders.store import open_store

    db = open_store(tmp_path_factory.mktemp("dev") / "store")
    load_articles(list(read_path(DEV_DUMP)), db)
    return db


@pytest.fixture(scope="session")
def fuseki():
    """One real Apache Jena Fuseki for the session ($FUSEKI_URL or the local Maven-assembled
    server, see fuseki_support.py); here so that tests/neo4j/ can sync from it too."""
    from fuseki_support import fuseki_server

    with fuseki_server() as endpoint:
        yield endpoint
