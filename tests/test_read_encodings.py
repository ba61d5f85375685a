"""Text is decoded as it says it is: a byte-order mark, else the encoding the feed or page
declares, else UTF-8; anything else is one line naming the place."""
from __future__ import annotations

import pytest

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.read import read_path, read_sources

RSS = """<?xml version="1.0" encoding="{encoding}"?>
<rss version="2.0"><channel><title>Le Fil</title>
<item><title>La Pologne n’enverra pas de soldats</title><link>https://t.invalid/pl</link>
<pubDate>Thu, 04 Sep 2025 10:00:00 GMT</pubDate>
<description>Le Premier ministre polonais a déclaré que la Pologne n’enverra pas de soldats en Ukraine.</description></item>
</channel></rss>
"""
PAGE = """<!doctype html><html lang="fr"><head>{meta}<title>Rome</title>
<meta property="og:site_name" content="Il Foglio di Prova">
<meta property="article:published_time" content="2025-09-04T10:00:00+02:00"></head>
<body><article><h1>L’Italie reste à l’écart</h1>
<p>Le gouvernement italien a déclaré jeudi qu’il n’enverrait pas de troupes en Ukraine, a précisé la présidente du Conseil à Rome.</p>
</article></body></html>
"""


@pytest.mark.parametrize("encoding", ["ISO-8859-1", "windows-1252", "iso-8859-15"])
def test_a_feed_is_decoded_as_its_xml_declaration_says(tmp_path, encoding):
    text = RSS.format(encoding=encoding).replace("’", "'")      # latin-1 has no curly quote
    (tmp_path / "fil.rss").write_bytes(text.encode(encoding))
    [a] = read_path(tmp_path / "fil.rss")
    assert (a.outlet, a.title) == ("Le Fil", "La Pologne n'enverra pas de soldats")
    assert a.body == ("Le Premier ministre polonais a déclaré que la Pologne n'enverra pas de "
                      "soldats en Ukraine.")


def test_a_latin1_declared_feed_with_windows_1252_quotes_is_read_as_browsers_do(tmp_path):
    (tmp_path / "fil.rss").write_bytes(RSS.format(encoding="ISO-8859-1").encode("cp1252"))
    [a] = read_path(tmp_path / "fil.rss")
    assert a.title == "La Pologne n’enverra pas de soldats"


def test_a_utf16_feed_with_a_byte_order_mark_is_read(tmp_path):
    (tmp_path / "fil.rss").write_bytes(RSS.format(encoding="UTF-16").encode("utf-16"))
    assert [a.title for a in read_path(tmp_path / "fil.rss")] == ["La Pologne n’enverra pas de soldats"]


@pytest.mark.parametrize("meta", ['<meta charset="iso-8859-1">',
                                  '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'])
def test_a_page_is_decoded_as_its_meta_charset_says(tmp_path, meta):
    (tmp_path / "rome.html").write_bytes(PAGE.format(meta=meta).encode("cp1252"))
    [a] = read_path(tmp_path / "rome.html")
    assert (a.title, a.outlet) == ("L’Italie reste à l’écart", "Il Foglio di Prova")
    assert a.body.startswith("Le gouvernement italien a déclaré jeudi")


def test_an_unknown_declared_encoding_is_one_line(tmp_path):
    (tmp_path / "fil.rss").write_bytes(RSS.format(encoding="x-klingon").encode("utf-8"))
    errors: list[InputError] = []
    assert list(read_sources([str(tmp_path / "fil.rss")], errors)) == []
    assert [str(e) for e in errors] == [f"{tmp_path}/fil.rss: unknown text encoding 'x-klingon'"]


def test_bytes_that_are_not_what_the_feed_declares_name_line_and_offset(tmp_path):
    data = RSS.format(encoding="UTF-8").encode("utf-8").replace("déclaré".encode(), b"d\xe9clar\xe9")
    (tmp_path / "fil.rss").write_bytes(data)
    offset = data.index(b"\xe9")
    errors: list[InputError] = []
    assert list(read_sources([str(tmp_path / "fil.rss")], errors)) == []
    assert [str(e) for e in errors] == [
        f"{tmp_path}/fil.rss:line 5: not UTF-8 text (byte 0xe9 at offset {offset}); "
        "re-save the file as UTF-8"]
