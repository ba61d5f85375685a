"""Readers: formats told by content, the dev dump's seven articles, and one clear line for
every kind of bad input."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from builders import local_http
from stancegraph.loaders.errors import InputError
from stancegraph.loaders.read import read_path, read_sources, read_text, read_url, sniff_format

ROOT = Path(__file__).resolve().parents[1]
DEV_DUMP = ROOT.parent / "shared" / "corpus" / "dev" / "euromaidan-reader-dump.txt"
EXAMPLES = ROOT / "examples"

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>
<item><title>Spain rules out troops</title><link>https://t.invalid/1</link>
<pubDate>Thu, 04 Sep 2025 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Spain has ruled out sending soldiers.&lt;/p&gt;&lt;p&gt;Madrid said so on Thursday.&lt;/p&gt;</description>
</item></channel></rss>"""


def test_dev_dump_yields_exactly_its_seven_articles_with_zoned_dates():
    articles = list(read_path(DEV_DUMP))
    assert [(a.title[:30], a.published.isoformat()) for a in articles] == [
        ("Zelenskyy: Ukraine secures bac", "2025-09-06T18:35:00+02:00"),
        ("Putin declares Western troops ", "2025-09-05T10:00:00+02:00"),
        ("26 countries commit to peaceke", "2025-09-04T12:51:00+02:00"),
        ("Western partners ready to give", "2025-09-04T11:15:00+02:00"),
        ("FT: Europe splits into three c", "2025-09-04T07:21:00+02:00"),
        ("Trump doubts on near-term Puti", "2025-08-30T16:25:00+02:00"),
        ("China denies media reports of ", "2025-08-25T11:02:00+02:00"),
    ]
    assert {a.outlet for a in articles} == {"Euromaidan Press"}
    assert len({a.id for a in articles}) == 7


def test_dump_teasers_and_furniture_stay_out_of_bodies():
    articles = list(read_path(DEV_DUMP))
    bodies = "\n".join(a.body for a in articles)
    assert "Explore further" not in bodies
    assert "Vance says Russia must have a voice" not in bodies     # related headline after it
    assert not any(a.body.startswith("ft europe splits") for a in articles)  # image alt text
    first = articles[0].body
    assert first.startswith("Ukrainian President Volodymyr Zelenskyy announced")
    assert first.count("Ukrainian President Volodymyr Zelenskyy announced") == 1


def test_english_dump_date_lines_are_read_too(tmp_path):
    text = ("Denmark pledges air policing\n\n6 September 2025 at 18:35\n\nDenmark pledged jets.\n\n"
            "Norway offers funding\n\n7 September 2025 at 09:00\n\nNorway offered funding.\n")
    (tmp_path / "dump.txt").write_text(text, encoding="utf-8")
    articles = list(read_path(tmp_path / "dump.txt"))
    assert [(a.title, a.published.date().isoformat()) for a in articles] == [
        ("Denmark pledges air policing", "2025-09-06"), ("Norway offers funding", "2025-09-07")]


@pytest.mark.parametrize("name,fmt", [("feeds/coalition.rss", "feed"), ("feeds/summit.atom", "feed"),
                                      ("pages/italy-rules-out-troops.html", "html"),
                                      ("articles.jsonl", "jsonl"), ("reader-dump.txt", "reader-dump")])
def test_every_example_is_sniffed_by_its_content(name, fmt):
    assert sniff_format((EXAMPLES / name).read_bytes(), name) == fmt
    assert list(read_path(EXAMPLES / name))


def test_format_is_told_by_content_not_extension(tmp_path):
    (tmp_path / "news.txt").write_text(RSS, encoding="utf-8")
    (tmp_path / "items.data").write_text('{"title": "t", "outlet": "o", "published": "2025-09-01", '
                                         '"body": "Italy has ruled out troops."}\n', encoding="utf-8")
    assert sniff_format((tmp_path / "news.txt").read_text(), "news.txt") == "feed"
    assert sniff_format((tmp_path / "items.data").read_text(), "items.data") == "jsonl"
    [article] = read_path(tmp_path / "news.txt")
    assert (article.title, article.outlet, article.url) == ("Spain rules out troops", "Test Wire",
                                                            "https://t.invalid/1")
    assert article.body == "Spain has ruled out sending soldiers.\n\nMadrid said so on Thursday."
    assert article.published == datetime(2025, 9, 4, 10, tzinfo=timezone.utc)


def test_html_page_gives_main_text_and_metadata():
    [a] = read_path(EXAMPLES / "pages" / "italy-rules-out-troops.html")
    assert a.url == "https://samples.stancegraph.invalid/politics/italy-troops"
    assert a.outlet == "Sample Desk"
    assert a.published.isoformat() == "2025-09-03T08:15:00+02:00"
    assert "Italy has ruled out sending troops" in a.body
    assert "Most read" not in a.body and "Markets close higher" not in a.body


def _error(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as e:
        list(read_path(path))
    message = str(e.value)
    assert "\n" not in message
    return message.replace(str(tmp_path) + "/", "")


def test_empty_file_is_one_clear_error(tmp_path):
    assert _error(tmp_path, "empty.txt", b"  \n") == "empty.txt: the file is empty"


def test_binary_file_is_one_clear_error(tmp_path):
    assert _error(tmp_path, "photo.jpg", b"\xff\xd8\xff\x00\x10JFIF\x00") == \
        "photo.jpg: this is a binary file, not text"


def test_wrong_encoding_names_line_and_byte(tmp_path):
    assert _error(tmp_path, "latin.jsonl", "ok\nPrésident Macron\n".encode("latin-1")) == \
        "latin.jsonl:line 2: not UTF-8 text (byte 0xe9 at offset 5); re-save the file as UTF-8"


def test_truncated_feed_is_rejected_whole_with_its_line(tmp_path):
    message = _error(tmp_path, "cut.rss", RSS[:-40].encode())
    assert message.startswith("cut.rss:line ")
    assert "the feed is not well-formed XML" in message and "nothing was read from it" in message


def test_html_without_article_text(tmp_path):
    assert _error(tmp_path, "nav.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>") == \
        "nav.html: no article text found in the HTML page"


def test_bad_jsonl_line_is_reported_and_the_good_lines_still_read(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text('{"title": "One", "outlet": "W", "published": "2025-09-01", "body": "Italy said no."}\n'
                    'this is not json\n'
                    '{"title": "Three", "outlet": "W", "published": "soon-ish", "body": "Spain said no."}\n'
                    '{"title": "Four", "outlet": "W", "published": "2025-09-02", "body": ""}\n'
                    '{"title": "Five", "outlet": "W", "published": "2025-09-03", "body": "Chad said no."}\n',
                    encoding="utf-8")
    errors: list[InputError] = []
    articles = list(read_path(path, errors=errors))
    assert [a.title for a in articles] == ["One", "Five"]
    assert [str(e).replace(str(tmp_path) + "/", "") for e in errors] == [
        "batch.jsonl:line 2: not JSON (Expecting value at column 1)",
        "batch.jsonl:line 3: field 'published': cannot read the date 'soon-ish'",
        "batch.jsonl:line 4: field 'body' is missing or empty",
    ]


def test_missing_path_is_reported_by_read_sources(tmp_path):
    errors: list[InputError] = []
    assert read_sources([str(tmp_path / "nope.rss")], errors) == []
    assert [str(e) for e in errors] == [f"{tmp_path / 'nope.rss'}: no such file or directory"]


def test_same_text_gives_the_same_article_id():
    a = read_text(RSS, "a.rss")[0]
    b = read_text(RSS, "b.rss")[0]
    assert a.id == b.id == "https://t.invalid/1" and a.fingerprint == b.fingerprint


def test_read_url_fetches_a_feed_from_a_local_server():
    with local_http(lambda method, path, body: ("application/rss+xml", RSS.encode())) as url:
        [article] = read_url(f"{url}/feed.rss")
    assert article.title == "Spain rules out troops"


def test_unreachable_url_is_one_clear_error():
    with pytest.raises(InputError, match=r"^http://127\.0\.0\.1:9/x: cannot fetch: "):
        read_url("http://127.0.0.1:9/x", timeout=2)
