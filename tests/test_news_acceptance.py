"""Issue 8 acceptance on the shared news corpus, as a user meets it: the feed loads through the
command line (every item, exit 0), and the headline question names exactly the refusers the set
supports: every country whose troop claims are all refusals, none whose claims are all pledges or
conditions."""
from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

from builders import SHARED
from stancegraph.cli.main import app

FEED = SHARED / "corpus" / "news" / "feed.xml"
REFUSERS = {"Slovakia", "Croatia", "Poland", "Romania", "Greece", "Bulgaria", "United States"}
PLEDGERS = {"United Kingdom", "France", "Estonia", "Lithuania", "Spain", "Portugal", "Latvia",
            "Luxembourg", "Turkey", "Iceland"}

runner = CliRunner()


def test_the_news_feed_loads_and_refused_troops_names_the_refusers(tmp_path):
    store = str(tmp_path / "store")
    loaded = runner.invoke(app, ["load", str(FEED), "--store", store], catch_exceptions=False)
    assert loaded.exit_code == 0, loaded.output
    assert "loaded 45 articles (45 added, 0 replaced, 0 unchanged)" in loaded.stdout
    assert "0 input errors, 0 articles rejected by SHACL" in loaded.stdout
    answer = runner.invoke(app, ["query", "refused-troops", "--format", "csv", "--store", store],
                           catch_exceptions=False)
    assert answer.exit_code == 0, answer.output
    refused = {row["actor"] for row in csv.DictReader(io.StringIO(answer.stdout))}
    assert refused >= REFUSERS
    assert refused & PLEDGERS == set()
