"""The endpoint's default graph is the union of the named graphs, and reference data (outlets,
actors, positions) is stored once: a partner tool asking for an outlet's name over /sparql of a
real `stancegraph serve` gets one row, however many articles the outlet published."""
from __future__ import annotations

import json
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

from serve_support import EXE, running_server

ROOT = Path(__file__).resolve().parents[1]


def test_an_outlets_name_is_one_row_over_http(tmp_path):
    store = tmp_path / "store"
    subprocess.run([str(EXE), "load", str(ROOT / "examples" / "articles.jsonl"), "--store", str(store),
                    "--quiet"], check=True, capture_output=True, timeout=300)
    outlet = "https://w3id.org/stancegraph/id/outlet/sample-wire"
    with running_server(store, "--workers", "1") as srv:
        def ask(sparql: str) -> list[dict]:
            url = f"{srv['url']}/sparql?" + urllib.parse.urlencode({"query": sparql})
            request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())["results"]["bindings"]

        articles = ask(f"SELECT ?a WHERE {{ ?a <https://schema.org/publisher> <{outlet}> }}")
        assert len(articles) == 3          # three articles of the outlet, in three graphs
        names = ask(f"PREFIX schema: <https://schema.org/> SELECT ?n WHERE {{ <{outlet}> schema:name ?n }}")
        assert [b["n"]["value"] for b in names] == ["Sample Wire"]
