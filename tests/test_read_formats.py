"""Each reader on small inline documents: which field wins, what the body looks like."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.model import content_hash
from stancegraph.loaders.read import read_text
from stancegraph.loaders.read.common import html_to_paragraphs

CEST = timezone(timedelta(hours=2))
PROSE = ("Italy has ruled out sending troops to Ukraine, the government said on Thursday. "
         "Rome will help with training outside the country instead, officials added.")
MORE = "Opposition parties welcomed the decision, and the defence minister will brief parliament."

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Test Wire</title><link>https://wire.invalid/</link><language>en-gb</language>
<item><title>Spain rules out troops</title><link>https://wire.invalid/spain</link>
<guid isPermaLink="false">spain-1</guid>
<pubDate>Thu, 04 Sep 2025 10:00:00 +0200</pubDate>
<description>Short teaser only.</description>
<content:encoded><![CDATA[<p>Spain has ruled out <b>sending</b>
soldiers.</p><script>track()</script><ul><li>No troops</li><li>No ships</li></ul>Madrid said so.]]></content:encoded>
</item>
<item><title>Chad stays out</title><guid>chad-2</guid><pubDate>Fri, 05 Sep 2025 08:00:00 GMT</pubDate>
<description>Chad will not take part.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title>Atom Desk</title><id>urn:x</id>
<updated>2025-09-05T00:00:00Z</updated>
<entry><title>Berlin undecided</title><id>urn:x:1</id><link href="https://atom.invalid/1"/>
<updated>2025-09-03T09:00:00+02:00</updated>
<summary>Deutschland hat noch nicht entschieden.</summary>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Deutschland hat noch nicht
entschieden, ob die Bundeswehr Soldaten schickt.</p><p>Die Regierung will abwarten.</p></div></content>
</entry></feed>"""


def test_rss_item_prefers_full_content_and_keeps_its_zone():
    [spain, chad] = read_text(RSS, "wire.rss")
    assert spain == spain.__class__(
        id="https://wire.invalid/spain", url="https://wire.invalid/spain", outlet="Test Wire",
        title="Spain rules out troops", published=datetime(2025, 9, 4, 10, tzinfo=CEST),
        language="en", body="Spain has ruled out sending soldiers.\n\nNo troops\n\nNo ships\n\n"
                            "Madrid said so.", source="wire.rss", position="item 1")
    assert (chad.id, chad.url, chad.body, chad.position) == (    # a guid that is no URI
        "sha256:" + content_hash("Test Wire", "Chad stays out", "Chad will not take part.",
                                 length=32), None, "Chad will not take part.", "item 2")
    assert chad.published == datetime(2025, 9, 5, 8, tzinfo=timezone.utc)


def test_atom_entry_reads_xhtml_content_and_feed_language():
    [entry] = read_text(ATOM, "desk.atom")
    assert (entry.id, entry.outlet, entry.position, entry.language) == (
        "https://atom.invalid/1", "Atom Desk", "entry 1", "de")
    assert entry.body == ("Deutschland hat noch nicht entschieden, ob die Bundeswehr Soldaten "
                          "schickt.\n\nDie Regierung will abwarten.")
    assert entry.published == datetime(2025, 9, 3, 9, tzinfo=CEST)


def test_feed_entry_with_no_date_anywhere_is_reported_and_the_others_still_read():
    """No pubDate, no dateline, no dated URL, no feed date and no file: nothing to date it by."""
    feed = RSS.replace("<pubDate>Fri, 05 Sep 2025 08:00:00 GMT</pubDate>", "")
    errors: list[InputError] = []
    assert [a.title for a in read_text(feed, "wire.rss", errors=errors)] == ["Spain rules out troops"]
    assert [str(e) for e in errors] == ["wire.rss:item 2: no date: no pubDate, published or "
                                        "updated, and no dateline, dated URL or feed date"]


def test_html_fragment_becomes_paragraphs_without_markup():
    fragment = ("<div><h2>Heading</h2>Loose text<br/>after a break"
                "<blockquote><p>Quoted  words</p></blockquote><!-- note --><style>p{}</style>"
                "<figure><img alt='x'/><figcaption>Photo: agency</figcaption></figure>"
                "<p>Last &amp; final</p></div>")
    assert html_to_paragraphs(fragment) == ("Heading\n\nLoose text\n\nafter a break\n\n"
                                            "Quoted words\n\nLast & final")


def test_html_escaped_twice_by_its_feed_is_read_as_html_and_one_mention_of_a_tag_is_kept():
    twice = ("<p>&lt;h6&gt;&lt;strong&gt;Desk&lt;/strong&gt;&lt;/h6&gt; &lt;p&gt;Norway will send "
             "a frigate.&lt;/p&gt;&lt;p&gt;Fish &amp;amp; chips.&lt;/p&gt;</p><p>Then a &lt; b.</p>")
    assert html_to_paragraphs(twice) == ("Desk\n\nNorway will send a frigate.\n\n"
                                         "Fish & chips.\n\nThen a < b.")
    assert html_to_paragraphs("<p>Editors use the &lt;p&gt; tag.</p>") == "Editors use the <p> tag."


PAGE = """<!DOCTYPE html><html lang="it"><head><title>Roma dice no | Giornale</title>
{head}</head><body><nav><a href="/">Home</a><a href="/esteri">Esteri</a></nav>
<article><h1>Roma dice no</h1><p>{prose}</p><p>{more}</p></article>
<footer>Tutti i diritti riservati</footer></body></html>"""


def page(head: str) -> str:
    return PAGE.format(head=head, prose=PROSE, more=MORE)


def test_html_page_metadata_comes_from_meta_tags_first():
    head = ('<meta property="og:site_name" content="Il Giornale di Prova">'
            '<meta property="og:url" content="https://og.invalid/roma">'
            '<meta property="article:published_time" content="2025-09-04T20:00:00+02:00">'
            '<link rel="canonical" href="https://canonical.invalid/roma">'
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Roma: no",'
            ' "datePublished": "2025-09-01T00:00:00Z", "publisher": {"name": "JSON-LD Daily"}}'
            '</script>')
    [a] = read_text(page(head), "roma.html")
    assert (a.id, a.url, a.outlet, a.title, a.published, a.language, a.position) == (
        "https://canonical.invalid/roma", "https://canonical.invalid/roma", "Il Giornale di Prova",
        "Roma: no", datetime(2025, 9, 4, 20, tzinfo=CEST), "it", "page")
    assert a.body == PROSE + "\n\n" + MORE


def test_html_page_falls_back_to_json_ld_and_the_canonical_domain():
    head = ('<link rel="canonical" href="https://news.example.invalid/roma">'
            '<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, '
            '{"@type": ["NewsArticle"], "datePublished": "2025-09-02T07:30:00Z"}]}</script>')
    [a] = read_text(page(head), "roma.html")
    assert (a.url, a.outlet, a.title, a.published) == (
        "https://news.example.invalid/roma", "news.example.invalid", "Roma dice no",
        datetime(2025, 9, 2, 7, 30, tzinfo=timezone.utc))


def test_jsonl_line_without_url_gets_a_content_hash_id_and_its_own_language():
    line = json.dumps({"title": "Roma dice no", "url": None, "outlet": "Giornale",
                       "published": "2025-09-04", "body": "Il governo non manderà soldati.",
                       "language": "IT"})
    [a] = read_text(line + "\n", "items.jsonl")
    assert (a.id, a.url, a.language, a.published, a.position) == (
        "sha256:" + content_hash("Giornale", "Roma dice no", "Il governo non manderà soldati.",
                                 length=32),
        None, "it", datetime(2025, 9, 4, tzinfo=timezone.utc), "line 1")


def test_jsonl_id_field_is_kept_and_body_paragraphs_are_normalised():
    line = json.dumps({"id": "wire-42", "title": "T", "url": "https://w.invalid/42", "outlet": "W",
                       "published": "2025-09-04T10:00:00+02:00",
                       "body": "First line\nstill first.\n\n\n  Second.  "})
    [a] = read_text(line, "items.jsonl")
    assert (a.id, a.url, a.body) == ("wire-42", "https://w.invalid/42",
                                     "First line still first.\n\nSecond.")


def test_control_characters_in_article_text_become_spaces():
    """Tab and line breaks shape paragraphs; other control characters carry nothing (and U+001F
    separates the fields of a packed change row), so each becomes a space."""
    body = "Spain\x1fhas ruled out\x00sending troops.\x07 Madrid\tsaid so.\x7f"
    line = json.dumps({"title": "T", "url": "https://w.invalid/c", "outlet": "W",
                       "published": "2025-09-04", "body": body})
    [a] = read_text(line, "items.jsonl")
    assert a.body == "Spain has ruled out sending troops.  Madrid\tsaid so. "
