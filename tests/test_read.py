"""Readers: the dev dump's seven articles, the bundled examples, and formats told by content."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.model import content_hash
from stancegraph.loaders.read import read_path, read_text, sniff_format
from stancegraph.loaders.read.reader_dump import is_keyword_soup, read_date_line

ROOT = Path(__file__).resolve().parents[1]
DEV_DUMP = ROOT.parent / "shared" / "corpus" / "dev" / "euromaidan-reader-dump.txt"
EXAMPLES = ROOT / "examples"
PARIS = ZoneInfo("Europe/Paris")

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>
<item><title>Spain rules out troops</title><link>https://t.invalid/1</link>
<pubDate>Thu, 04 Sep 2025 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Spain has ruled out sending soldiers.&lt;/p&gt;&lt;p&gt;Madrid said so.&lt;/p&gt;</description>
</item></channel></rss>"""

DUMP = """  • ✇Test Wire
  • Denmark pledges air policing
    Denmark pledged jets for air policing over Ukraine, the defence minister said on Saturday, and the
     

Denmark pledges air policing

6 September 2025 at 18:35

Denmark pledged jets for air policing over Ukraine.

  • ✇Test Wire
  • Norway offers funding
    Norway offered funding.
     

Norway offers funding

7 September 2025 at 09:00

Norway offered funding.
"""


def test_dev_dump_yields_exactly_its_seven_articles_with_paris_dates():
    articles = list(read_path(DEV_DUMP))
    assert [(a.title, a.published) for a in articles] == [
        ("Zelenskyy: Ukraine secures backing from 26 nations for post-war peacekeeping force",
         datetime(2025, 9, 6, 18, 35, tzinfo=PARIS)),
        ("Putin declares Western troops in Ukraine “legitimate targets,” after Russian missile "
         "kills unarmed Danish mission", datetime(2025, 9, 5, 10, 0, tzinfo=PARIS)),
        ("26 countries commit to peacekeeping force in Ukraine after ceasefire",
         datetime(2025, 9, 4, 12, 51, tzinfo=PARIS)),
        ("Western partners ready to give Ukraine long-ranged missiles",
         datetime(2025, 9, 4, 11, 15, tzinfo=PARIS)),
        ("FT: Europe splits into three camps over postwar Ukraine troop commitments",
         datetime(2025, 9, 4, 7, 21, tzinfo=PARIS)),
        ("Trump doubts on near-term Putin-Zelenskyy meeting despite his previous optimism to end "
         "war quickly", datetime(2025, 8, 30, 16, 25, tzinfo=PARIS)),
        ("China denies media reports of willingness to join Ukraine peacekeeping forces",
         datetime(2025, 8, 25, 11, 2, tzinfo=PARIS)),
    ]
    assert articles[0].published.isoformat() == "2025-09-06T18:35:00+02:00"
    assert {(a.outlet, a.language, a.url, a.source) for a in articles} == {
        ("Euromaidan Press", "en", None, str(DEV_DUMP))}
    assert [a.position for a in articles] == ["line 9", "line 56", "line 109", "line 142",
                                              "line 167", "line 200", "line 243"]


def test_dev_dump_teasers_do_not_become_articles_or_body_text():
    articles = list(read_path(DEV_DUMP))
    first = articles[0].body
    assert first.startswith("Ukrainian President Volodymyr Zelenskyy announced that 26 countries")
    assert first.count("Ukrainian President Volodymyr Zelenskyy announced") == 1
    assert not any("✇" in a.body or "•  " in a.body for a in articles)
    assert [a.title for a in articles].count(
        "26 countries commit to peacekeeping force in Ukraine after ceasefire") == 1


def test_dev_dump_drops_related_links_and_image_keyword_lines():
    articles = list(read_path(DEV_DUMP))
    bodies = "\n".join(a.body for a in articles)
    assert "Explore further" not in bodies
    assert "Vance says Russia must have a voice" not in bodies      # headline after the link
    ft, trump = articles[4], articles[5]
    assert ft.body.startswith("As European leaders prepare for a summit on 4 September in Paris")
    assert trump.body.startswith("President Trump doesn’t think Putin and Zelenskyy will sit down")


def test_dev_dump_body_runs_to_the_next_header_and_keeps_its_bullet_list():
    china = list(read_path(DEV_DUMP))[-1]
    paragraphs = china.body.split("\n\n")
    assert paragraphs[-9:-2] == ["• training Ukrainian forces", "• weapons deliveries",
                                 "• defense industry development assistance",
                                 "• intelligence sharing", "• sanctions", "• economic cooperation",
                                 "• Ukraine’s gradual EU accession."]
    assert paragraphs[-1].startswith("Zelenskyy indicated after White House meetings on 18 August")
    assert "Guo Jiakun" in paragraphs[3] and paragraphs[4].startswith("Since 2022, China")


def test_dump_paragraphs_are_the_file_lines_unchanged():
    text = DEV_DUMP.read_text(encoding="utf-8")
    for article in read_path(DEV_DUMP):
        for paragraph in article.body.split("\n\n"):
            assert paragraph in text


def test_dump_articles_without_url_get_a_content_hash_id():
    [denmark, norway] = read_text(DUMP, "dump.txt")
    assert denmark.id == "sha256:" + content_hash("Test Wire", "Denmark pledges air policing",
                                                  "Denmark pledged jets for air policing over Ukraine.",
                                                  length=32)
    assert (norway.title, norway.body, norway.outlet) == ("Norway offers funding",
                                                          "Norway offered funding.", "Test Wire")


def test_english_dump_dates_are_read_as_utc():
    articles = read_text(DUMP, "dump.txt")
    assert [a.published for a in articles] == [datetime(2025, 9, 6, 18, 35, tzinfo=timezone.utc),
                                               datetime(2025, 9, 7, 9, 0, tzinfo=timezone.utc)]


@pytest.mark.parametrize("line,expected", [
    ("6 septembre 2025 à 18:35", datetime(2025, 9, 6, 18, 35, tzinfo=PARIS)),
    ("1er août 2025 à 09:05", datetime(2025, 8, 1, 9, 5, tzinfo=PARIS)),
    ("25 janvier 2025 à 11:02", datetime(2025, 1, 25, 11, 2, tzinfo=PARIS)),   # winter: +01:00
    ("6 September 2025 at 18:35", datetime(2025, 9, 6, 18, 35, tzinfo=timezone.utc)),
    ("September 6, 2025 at 6:35 pm", datetime(2025, 9, 6, 18, 35, tzinfo=timezone.utc)),
    ("2025-09-06 18:35", None),                          # no month name: not a reader's date line
    ("Around 2025 people marched", None),
    ("On 6 September 2025 the leaders met in Paris to talk.", None),
])
def test_date_lines_in_french_and_english(line, expected):
    assert read_date_line(line) == expected


@pytest.mark.parametrize("line,soup", [
    ("ft europe splits three camps over postwar ukraine troop commitments british soldiers", True),
    ("nato allies rush high-stakes meeting forge united stance flickr/gage skidmore youtube", True),
    ("the government said on friday that it would not send any troops to ukraine.", False),
    ("Ukrainian President Volodymyr Zelenskyy sits at a conference table with leaders", False),
    ("short lower case caption", False),
])
def test_image_keyword_line_rule_is_general(line, soup):
    assert is_keyword_soup(line) is soup


def test_dump_article_without_outlet_header_is_an_error():
    text = "Denmark pledges jets\n\n6 September 2025 at 18:35\n\nDenmark pledged jets.\n"
    with pytest.raises(InputError) as e:
        read_text(text, "dump.txt")
    assert str(e.value) == "dump.txt:line 1: no '• ✇Outlet' header names the outlet of this article"


EXAMPLE_FORMATS = [("feeds/coalition.rss", "feed", 3), ("feeds/summit.atom", "feed", 2),
                   ("pages/italy-rules-out-troops.html", "html", 1), ("articles.jsonl", "jsonl", 3),
                   ("reader-dump.txt", "reader-dump", 2)]


@pytest.mark.parametrize("name,fmt,count", EXAMPLE_FORMATS)
def test_every_example_is_sniffed_by_content_and_read_whole(name, fmt, count):
    data = (EXAMPLES / name).read_bytes()
    assert sniff_format(data) == fmt == sniff_format(data, name)
    articles = list(read_path(EXAMPLES / name))
    assert len(articles) == count
    for a in articles:
        assert a.published.tzinfo is not None and a.body and a.title and a.outlet
        assert 80 <= len(a.body.split()) <= 250, (a.title, len(a.body.split()))


def test_examples_state_the_refusals_and_the_undecided_the_demo_answers():
    bodies = {a.title: a.body for a in read_path(EXAMPLES)}
    expected = {
        "Italy rules out sending soldiers to Ukraine": "Italy has ruled out sending troops to Ukraine",
        "Washington rules out American ground troops for Ukraine":
            "Washington has ruled out American ground troops",
        "Beijing denies it will join a peacekeeping mission":
            "China rejected reports that it was ready to join a peacekeeping force",
        "Berlin still weighing its role in a reassurance force":
            "Germany has yet to decide whether to contribute troops",
    }
    assert {title: sentence in bodies[title] for title, sentence in expected.items()} == \
        dict.fromkeys(expected, True)


def test_directory_reads_its_files_sorted_and_skips_readme(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "feed.txt").write_text(RSS, encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(json.dumps({
        "title": "Chad said no", "outlet": "W", "published": "2025-09-01T08:00:00Z",
        "body": "Chad has ruled out troops."}) + "\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("Notes about these files.\n", encoding="utf-8")
    (tmp_path / ".hidden.rss").write_text("not even XML", encoding="utf-8")
    assert [(a.title, a.position) for a in read_path(tmp_path)] == [
        ("Chad said no", "line 1"), ("Spain rules out troops", "item 1")]


@pytest.mark.parametrize("name,content,fmt", [
    ("news.txt", RSS, "feed"),                                                   # RSS named .txt
    ("items.data", '{"title": "t"}\n{"title": "u"}\n', "jsonl"),                 # JSONL named .data
    ("page.txt", "<!DOCTYPE html><html><body><p>Hi</p></body></html>", "html"),
    ("atom.xml", '<?xml version="1.0"?>\n<!-- c -->\n<feed xmlns="http://www.w3.org/2005/Atom">',
     "feed"),
    ("dump.html", DUMP, "reader-dump"),
    ("notes.txt", "Just a few words about nothing in particular.\n", "text"),
    ("fragment.rss", "<item><title>t</title></item>", "feed"),       # content open: name decides
    ("fragment.txt", "<item><title>t</title></item>", "html"),
])
def test_format_is_told_by_content_and_the_name_only_breaks_ties(name, content, fmt):
    assert sniff_format(content.encode("utf-8"), name) == fmt


def test_text_without_articles_is_one_clear_error():
    with pytest.raises(InputError) as e:
        read_text("Just a few words about nothing in particular.\n", "notes.txt")
    assert str(e.value) == ("notes.txt: no articles found: not a feed, an HTML page, JSONL, a "
                            "reader dump or a plain-text article (a title line, then its text)")


def test_same_text_gives_the_same_article():
    a = read_text(RSS, "a.rss")[0]
    b = read_text(RSS, "b.rss")[0]
    assert a.id == b.id == "https://t.invalid/1" and a.fingerprint == b.fingerprint
