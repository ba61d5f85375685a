"""Publication dates: explicit date fields are read strictly; articles without one are dated
from their dateline, URL, feed or file, and say which (sg:dateSource)."""
from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta, timezone

import pytest
from rdflib import URIRef

from builders import make_article
from stancegraph.loaders import model
from stancegraph.loaders.errors import InputError
from stancegraph.loaders.mapping import article_graph, article_iri
from stancegraph.loaders.read import read_path, read_text
from stancegraph.loaders.read.dates import (Dated, dateline_date, infer_date, parse_date,
                                             url_date)
from stancegraph.loaders.validate import validate
from stancegraph.ontology.date_sources import date_sources
from stancegraph.ontology.vocab import SG

UTC = timezone.utc
CEST = timezone(timedelta(hours=2))


def noon(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 12, tzinfo=UTC)


@pytest.mark.parametrize("value,expected", [
    ("2025-09-04T10:00:00+02:00", datetime(2025, 9, 4, 10, tzinfo=CEST)),
    ("2025-09-04", datetime(2025, 9, 4, tzinfo=UTC)),
    ("4 September 2025", datetime(2025, 9, 4, tzinfo=UTC)),
    ("September 4, 2025 10:30", datetime(2025, 9, 4, 10, 30, tzinfo=UTC)),
])
def test_explicit_absolute_dates_are_read(value, expected):
    assert parse_date(value, "f.jsonl", "line 1") == expected


@pytest.mark.parametrize("value,message", [
    ("yesterday", "cannot read the date 'yesterday' (a relative date; give the calendar date)"),
    ("next week", "cannot read the date 'next week' (a relative date; give the calendar date)"),
    ("3 days ago", "cannot read the date '3 days ago' (a relative date; give the calendar date)"),
    ("1e10", "cannot read the date '1e10'"),
    ("soon-ish", "cannot read the date 'soon-ish'"),
    ("September 4", "cannot read the date 'September 4'"),
    ("1700000000", "cannot read the date '1700000000'"),
    ("0000-00-00", "cannot read the date '0000-00-00'"),
    ("0001-01-01", "impossible date '0001-01-01' (the year must be between 1900 and 2100)"),
    ("9999-12-31T00:00:00Z", "impossible date '9999-12-31T00:00:00Z' (the year must be between "
                             "1900 and 2100)"),
])
def test_relative_garbage_and_impossible_dates_are_one_error_line(value, message):
    with pytest.raises(InputError) as e:
        parse_date(value, "f.jsonl", "line 3")
    assert str(e.value) == f"f.jsonl:line 3: field 'published': {message}"


@pytest.mark.parametrize("body,reference,expected", [
    ("ROME, September 4. /TASS/. Italy will not send troops.", date(2025, 9, 10), noon(2025, 9, 4)),
    ("Madrid, 10 September 2025 – Spain is ready to help.", None, noon(2025, 9, 10)),
    ("KYIV, Dec 30 (Reuters) - Talks went on.", date(2026, 1, 2), noon(2025, 12, 30)),
    ("WASHINGTON (AP) — Aug. 18, 2025: the meeting began.", None, noon(2025, 8, 18)),
    ("Menu | Login\n\nPublished: 3 March 2025\n\nThe minister spoke.", None, noon(2025, 3, 3)),
    ("ISTANBUL\n\n04.09.2025\n\nFinland said no.", None, noon(2025, 9, 4)),
    ("ROME, September 4. /TASS/. No year and nothing to take one from.", None, None),
    ("The minister said on 4 September 2025 that troops would go.", None, None),   # not a dateline
    ("speaking on Tuesday, 4 March 2025, she said no.", None, None),
])
def test_dateline_at_the_top_of_the_text(body, reference, expected):
    assert dateline_date(body, reference) == expected


@pytest.mark.parametrize("url,expected", [
    ("https://n.invalid/en/2025/09/04/italy-says-no/", noon(2025, 9, 4)),
    ("https://n.invalid/world/2025-09-04-italy-says-no", noon(2025, 9, 4)),
    ("https://n.invalid/20250904/italy.html", noon(2025, 9, 4)),
    ("https://n.invalid/2025/03/schoof-under-pressure", None),     # year and month only
    ("https://n.invalid/2025/13/40/bad", None),
    ("https://n.invalid/news/1130123.html", None),
    (None, None),
])
def test_full_date_in_the_url_path(url, expected):
    assert url_date(url) == expected


def test_inferred_date_prefers_dateline_then_url_then_feed_then_file():
    feed, file = noon(2025, 9, 20), noon(2025, 12, 1)
    dated_url = "https://n.invalid/2025/09/05/x"
    assert [infer_date("PARIS, Sept. 4 (AFP) - Text.", dated_url, feed, file),
            infer_date("Text.", dated_url, feed, file),
            infer_date("Text.", "https://n.invalid/x", feed, file),
            infer_date("Text.", None, None, file),
            infer_date("Text.", None, None, None)] == [
        Dated(noon(2025, 9, 4), "dateline"), Dated(noon(2025, 9, 5), "url"), Dated(feed, "feed"),
        Dated(file, "file"), None]


FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Desk</title><link>https://desk.invalid/</link>{channel_date}
<item><title>Dated</title><link>https://desk.invalid/a</link><source url="https://w.invalid">Wire One</source>
<pubDate>Thu, 04 Sep 2025 10:00:00 GMT</pubDate><description>Spain said no.</description></item>
<item><title>Dateline</title><link>https://desk.invalid/2025/09/02/b</link>
<description>OSLO, September 3 (NTB) - Norway said yes.</description></item>
<item><title>Dated URL</title><link>https://desk.invalid/2025/09/02/c</link>
<description>Norway said yes.</description></item>
<item><title>Undated</title><link>https://desk.invalid/d</link><description>Chad said no.</description></item>
<item><title>Relative</title><link>https://desk.invalid/e</link><pubDate>yesterday</pubDate>
<description>Mali said no.</description></item>
</channel></rss>"""


def test_feed_items_without_date_are_dated_and_say_from_where(tmp_path):
    path = tmp_path / "desk.rss"
    path.write_text(FEED.format(channel_date="<lastBuildDate>Sat, 06 Sep 2025 08:00:00 GMT"
                                             "</lastBuildDate>"), encoding="utf-8")
    errors: list[InputError] = []
    got = [(a.title, a.outlet, a.published, a.date_source) for a in read_path(path, errors)]
    assert got == [
        ("Dated", "Wire One", datetime(2025, 9, 4, 10, tzinfo=UTC), "published"),
        ("Dateline", "Desk", noon(2025, 9, 3), "dateline"),
        ("Dated URL", "Desk", noon(2025, 9, 2), "url"),
        ("Undated", "Desk", datetime(2025, 9, 6, 8, tzinfo=UTC), "feed"),
    ]
    assert [str(e) for e in errors] == [
        f"{path}:item 5: field 'pubDate': cannot read the date 'yesterday' (a relative date; "
        "give the calendar date)"]


def test_undated_feed_item_without_feed_date_takes_the_file_time(tmp_path):
    path = tmp_path / "desk.rss"
    path.write_text(FEED.format(channel_date=""), encoding="utf-8")
    stamp = datetime(2025, 10, 1, 7, 30, tzinfo=UTC)
    os.utime(path, (stamp.timestamp(), stamp.timestamp()))
    undated = [a for a in read_path(path, []) if a.title == "Undated"]
    assert [(a.published, a.date_source) for a in undated] == [(stamp, "file")]


def test_impossible_pubdate_is_refused_not_stored():
    feed = FEED.format(channel_date="").replace("Thu, 04 Sep 2025 10:00:00 GMT",
                                                "Mon, 01 Jan 0001 00:00:00 GMT")
    errors: list[InputError] = []
    titles = [a.title for a in read_text(feed, "desk.rss", errors=errors)]
    assert "Dated" not in titles
    assert str(errors[0]).startswith("desk.rss:item 1: field 'pubDate': ")


PAGE = """<html><head><title>Oslo says yes</title>
<link rel="canonical" href="https://paper.invalid/world/2025/09/05/oslo-says-yes"></head>
<body><article><h1>Oslo says yes</h1><p>{first}</p>
<p>Norway has said it is ready to send a frigate to the Black Sea once a ceasefire holds.</p>
</article></body></html>"""


def test_page_without_date_metadata_is_dated_by_its_dateline_else_its_url():
    dateline = PAGE.format(first="OSLO, 4 September 2025 - The government met on the plan today.")
    plain = PAGE.format(first="The government met in the capital to discuss the plan at length.")
    [a] = read_text(dateline, "oslo.html")
    [b] = read_text(plain, "oslo.html")
    assert [(a.published, a.date_source), (b.published, b.date_source)] == [
        (noon(2025, 9, 4), "dateline"), (noon(2025, 9, 5), "url")]


def test_jsonl_without_published_is_dated_from_the_file(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"title": "T", "outlet": "W", "body": "Chad said no."}) + "\n"
                    + json.dumps({"title": "U", "outlet": "W", "body": "Mali said no.",
                                  "published": "last week"}) + "\n", encoding="utf-8")
    stamp = datetime(2025, 11, 2, 9, tzinfo=UTC)
    os.utime(path, (stamp.timestamp(), stamp.timestamp()))
    errors: list[InputError] = []
    assert [(a.title, a.published, a.date_source) for a in read_path(path, errors)] == [
        ("T", stamp, "file")]
    assert [str(e) for e in errors] == [
        f"{path}:line 2: field 'published': cannot read the date 'last week' (a relative date; "
        "give the calendar date)"]


def test_date_source_is_mapped_and_conforms():
    article = make_article("Italy has ruled out sending troops.")
    inferred = model.Article(**{**article.__dict__, "date_source": "url"})
    g = article_graph(inferred, [])
    assert list(g.objects(article_iri(inferred), SG.dateSource)) == [URIRef(date_sources()["url"])]
    assert validate(g, article=inferred.title).conforms


def test_date_sources_come_from_the_ontology():
    assert sorted(date_sources()) == ["dateline", "feed", "file", "published", "url"]


def test_fingerprint_changes_with_date_source_and_extractor_version(monkeypatch):
    article = make_article("Italy has ruled out sending troops.")
    inferred = model.Article(**{**article.__dict__, "date_source": "file"})
    before = article.fingerprint
    monkeypatch.setattr(model, "extractor_version", lambda: "rules/9.9+0000")
    assert len({before, inferred.fingerprint, article.fingerprint}) == 3


PLAIN = """Bulgaria rules out sending troops

SOFIA, September 8 (BTA) - Bulgaria will not send troops to Ukraine, the prime minister said on
Monday, adding that the country could help with demining in the Black Sea.

The government will present its plan to parliament next week."""


def test_plain_text_article_is_dated_by_its_dateline_and_credited_to_its_wire(tmp_path):
    path = tmp_path / "bulgaria.txt"
    path.write_text(PLAIN, encoding="utf-8")
    stamp = datetime(2025, 9, 30, 8, tzinfo=UTC)
    os.utime(path, (stamp.timestamp(), stamp.timestamp()))
    [a] = read_path(path)
    assert (a.title, a.outlet, a.published, a.date_source, a.position) == (
        "Bulgaria rules out sending troops", "BTA", noon(2025, 9, 8), "dateline", "text")
    assert a.body.startswith("SOFIA, September 8 (BTA) - Bulgaria will not send troops")


def test_plain_text_without_dateline_takes_the_file_time_and_no_invented_outlet(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text(PLAIN.replace("SOFIA, September 8 (BTA) - ", ""), encoding="utf-8")
    stamp = datetime(2025, 9, 30, 8, tzinfo=UTC)
    os.utime(path, (stamp.timestamp(), stamp.timestamp()))
    [a] = read_path(path)
    assert (a.outlet, a.published, a.date_source) == ("unknown outlet (note.txt)", stamp, "file")
