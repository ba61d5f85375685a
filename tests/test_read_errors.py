"""Bad input is normal input for a reader: each case is one line naming file and place, and the
errors list lets the good items of a file through."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.read import read_path, read_sources, read_url

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Test Wire</title>
<item><title>Spain rules out troops</title><link>https://t.invalid/1</link>
<pubDate>Thu, 04 Sep 2025 10:00:00 GMT</pubDate><description>Spain said no.</description></item>
<item><title>Chad stays out</title><link>https://t.invalid/2</link>
<pubDate>Thu, 04 Sep 2025 11:00:00 GMT</pubDate><description>Chad said no.</description></item>
</channel></rss>
"""
TRUNCATED_RSS = RSS[:RSS.index("Chad said no.")]   # cut inside the second item, on line 6


def error_of(path: Path, errors: list[InputError] | None = None) -> str:
    with pytest.raises(InputError) as e:
        list(read_path(path, errors))
    assert "\n" not in str(e.value)
    return str(e.value)


def test_empty_file(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b" \n\t\n")
    assert error_of(tmp_path / "empty.txt") == f"{tmp_path}/empty.txt: the file is empty"


def test_binary_file(tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")
    assert error_of(tmp_path / "photo.jpg") == f"{tmp_path}/photo.jpg: this is a binary file, not text"


def test_latin1_bytes_in_a_feed_name_line_and_offset(tmp_path):
    (tmp_path / "latin.rss").write_bytes(RSS.replace("Chad said no.", "Président.").encode("latin-1"))
    offset = RSS.index("Chad said no.") + 2
    assert error_of(tmp_path / "latin.rss") == (
        f"{tmp_path}/latin.rss:line 6: not UTF-8 text (byte 0xe9 at offset {offset}); "
        "re-save the file as UTF-8")


def test_latin1_bytes_in_jsonl_are_an_error_of_their_line_only(tmp_path):
    good = '{"title": "Spain", "outlet": "W", "published": "2025-09-01", "body": "Spain said no."}'
    (tmp_path / "latin.jsonl").write_bytes(
        f'{good}\n{{"title": "Président"}}\n{good.replace("Spain", "Chad")}\n'.encode("latin-1"))
    errors: list[InputError] = []
    assert [a.title for a in read_path(tmp_path / "latin.jsonl", errors)] == ["Spain", "Chad"]
    assert [str(e) for e in errors] == [
        f"{tmp_path}/latin.jsonl:line 2: not UTF-8 text (byte 0xe9 at column 14); "
        "re-save the file as UTF-8"]


def test_utf8_byte_order_mark_is_fine(tmp_path):
    (tmp_path / "bom.rss").write_bytes(b"\xef\xbb\xbf" + RSS.encode("utf-8"))
    assert [a.title for a in read_path(tmp_path / "bom.rss")] == ["Spain rules out troops",
                                                                    "Chad stays out"]


def test_truncated_feed_raises_naming_the_line_when_no_errors_list(tmp_path):
    (tmp_path / "cut.rss").write_text(TRUNCATED_RSS, encoding="utf-8")
    assert error_of(tmp_path / "cut.rss") == (
        f"{tmp_path}/cut.rss:line 6: the feed is not well-formed XML (no element found); "
        "nothing was read from it")


def test_truncated_feed_keeps_the_items_complete_before_the_break(tmp_path):
    (tmp_path / "cut.rss").write_text(TRUNCATED_RSS, encoding="utf-8")
    errors: list[InputError] = []
    assert [a.title for a in read_path(tmp_path / "cut.rss", errors)] == ["Spain rules out troops"]
    assert [str(e) for e in errors] == [
        f"{tmp_path}/cut.rss:line 6: the feed is not well-formed XML (no element found); "
        "read the 1 complete item before the break, skipped the rest"]


def test_html_page_without_article_text(tmp_path):
    (tmp_path / "nav.html").write_text("<html><body><nav><a href='/'>Home</a><a href='/w'>World</a>"
                                       "</nav></body></html>", encoding="utf-8")
    assert error_of(tmp_path / "nav.html") == f"{tmp_path}/nav.html: no article text found"


def test_html_page_with_unreadable_date_names_the_field_and_value(tmp_path):
    prose = "<p>Italy has ruled out sending troops to Ukraine, the government said on Thursday.</p>"
    (tmp_path / "p.html").write_text(
        '<html><head><meta property="article:published_time" content="the day after"></head>'
        f"<body><article><h1>Rome says no</h1>{prose}{prose}</article></body></html>",
        encoding="utf-8")
    assert error_of(tmp_path / "p.html") == (
        f"{tmp_path}/p.html: field 'meta article:published_time': cannot read the date "
        "'the day after'")


def test_bad_jsonl_lines_are_reported_and_the_good_lines_still_read(tmp_path):
    (tmp_path / "batch.jsonl").write_text(
        '{"title": "One", "outlet": "W", "published": "2025-09-01", "body": "Italy said no."}\n'
        'this is not json\n'
        '{"title": "Three", "outlet": "W", "published": "soon-ish", "body": "Spain said no."}\n'
        '{"title": "Four", "outlet": "W", "published": "2025-09-02", "body": ""}\n'
        '{"title": "Five", "outlet": "W", "published": "2025-09-03", "body": "Chad said no.",'
        ' "url": "www.chad.invalid"}\n'
        '["a list"]\n'
        '{"title": "Seven", "outlet": "W", "published": 20250903, "body": "Mali said no."}\n'
        '{"title": "Eight", "outlet": "W", "published": "2025-09-03", "body": "Niger said no."}\n',
        encoding="utf-8")
    errors: list[InputError] = []
    assert [a.title for a in read_path(tmp_path / "batch.jsonl", errors)] == ["One", "Eight"]
    where = f"{tmp_path}/batch.jsonl"
    assert [str(e) for e in errors] == [
        f"{where}:line 2: not JSON (Expecting value at column 1)",
        f"{where}:line 3: field 'published': cannot read the date 'soon-ish'",
        f"{where}:line 4: field 'body' is missing or empty",
        f"{where}:line 5: field 'url': not an http(s) URL 'www.chad.invalid'",
        f"{where}:line 6: expected a JSON object, got list",
        f"{where}:line 7: field 'published' must be a string, got 20250903",
    ]


def test_without_errors_list_the_first_bad_line_raises(tmp_path):
    (tmp_path / "batch.jsonl").write_text(
        '{"title": "One", "outlet": "W", "published": "2025-09-01", "body": "Italy said no."}\n'
        '{"title": "Two", "published": "2025-09-01", "body": "Spain said no."}\n', encoding="utf-8")
    assert error_of(tmp_path / "batch.jsonl") == \
        f"{tmp_path}/batch.jsonl:line 2: field 'outlet' is missing or empty"


def test_directory_with_errors_list_reports_each_bad_file_and_reads_the_rest(tmp_path):
    (tmp_path / "a.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "b.bin").write_bytes(b"\x00\x01")
    (tmp_path / "c.txt").write_text("", encoding="utf-8")
    errors: list[InputError] = []
    assert len(list(read_path(tmp_path, errors))) == 2
    assert [str(e) for e in errors] == [f"{tmp_path}/b.bin: this is a binary file, not text",
                                        f"{tmp_path}/c.txt: the file is empty"]


def test_missing_path_is_reported_by_read_sources(tmp_path):
    errors: list[InputError] = []
    assert list(read_sources([str(tmp_path / "nope.rss")], errors)) == []
    assert [str(e) for e in errors] == [f"{tmp_path}/nope.rss: no such file or directory"]


@pytest.fixture
def served_examples():
    """The examples folder over HTTP on 127.0.0.1 (a free port), stopped after the test."""
    handler = functools.partial(QuietHandler, directory=str(EXAMPLES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_read_url_reads_a_feed_and_a_page_from_a_local_server(served_examples):
    feed = read_url(f"{served_examples}/feeds/summit.atom")
    [page] = read_url(f"{served_examples}/pages/italy-rules-out-troops.html")
    assert [(a.source, a.position) for a in feed] == [
        (f"{served_examples}/feeds/summit.atom", "entry 1"),
        (f"{served_examples}/feeds/summit.atom", "entry 2")]
    assert (page.title, page.url) == ("Italy rules out sending soldiers to Ukraine",
                                      "https://samples.stancegraph.invalid/politics/italy-troops")


def test_read_url_reports_the_http_status(served_examples):
    with pytest.raises(InputError) as e:
        read_url(f"{served_examples}/missing.rss")
    assert str(e.value) == f"{served_examples}/missing.rss: the server answered 404 File not found"


def test_unreachable_url_is_one_clear_error():
    with pytest.raises(InputError, match=r"^http://127\.0\.0\.1:9/x: cannot fetch: "):
        read_url("http://127.0.0.1:9/x", timeout=2)
