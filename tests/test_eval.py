"""`make eval` scores a corpus even when a reader refuses some of its items, lists them, and
scores the news corpus in two parts by article number."""
from __future__ import annotations

import json

from builders import SHARED
from stancegraph.eval import score_corpus

SCORER = SHARED / "tools" / "score_claims.py"
ITEM = ("<item><title>{title}</title><link>https://w.invalid/{n}</link>{date}"
        "<description>{body}</description></item>")


def corpus(tmp_path, name: str, items: list[tuple[str, str, str]], gold: list[dict]):
    folder = tmp_path / name
    folder.mkdir()
    body = "".join(ITEM.format(title=t, n=n, date=d, body=b) for n, (t, d, b) in enumerate(items, 1))
    (folder / "feed.xml").write_text(f'<?xml version="1.0"?><rss version="2.0"><channel>'
                                     f"<title>W</title>{body}</channel></rss>", encoding="utf-8")
    (folder / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
    return folder


def fact(article: str, title: str, actor: str, quote: str) -> dict:
    return {"article": article, "title": title, "actor": actor, "actor_type": "Country",
            "on_behalf_of": None, "relation": "refuses", "object": "ReassuranceForce",
            "date": None, "quote": quote}


def test_refused_items_are_listed_and_the_rest_is_scored(tmp_path):
    folder = corpus(tmp_path, "mini", [
        ("Spain says no", "<pubDate>Thu, 04 Sep 2025 10:00:00 GMT</pubDate>",
         "Spain has ruled out sending troops to Ukraine."),
        ("Chad says no", "<pubDate>yesterday</pubDate>", "Chad has ruled out sending troops."),
    ], [fact("01-spain", "Spain says no", "Spain", "Spain has ruled out sending troops to Ukraine.")])
    result = score_corpus(folder, SCORER)
    assert result["refused"] == [f"error: {folder}/feed.xml:item 2: field 'pubDate': cannot read "
                                 "the date 'yesterday' (a relative date; give the calendar date)"]
    assert (result["stances"]["gold"], result["stances"]["matched"]) == (1, 1)
    assert "parts" not in result


def test_news_corpus_is_scored_in_two_parts_by_article_number(tmp_path):
    items = [(f"Country {n} story", "", f"Spain has ruled out sending troops, report {n} says.")
             for n in range(1, 33)]
    gold = [fact("01-a", "Country 1 story", "Spain", items[0][2]),
            fact("31-b", "Country 31 story", "Spain", items[30][2])]
    result = score_corpus(corpus(tmp_path, "news", items, gold), SCORER)
    assert {name: (part["stances"]["gold"], part["stances"]["matched"])
            for name, part in result["parts"].items()} == {"01-30": (1, 1), "31-45": (1, 1)}
    assert result["refused"] == []


def test_the_shared_news_corpus_loads_every_item():
    result = score_corpus(SHARED / "corpus" / "news", SCORER)
    assert result["refused"] == []
    assert set(result["parts"]) == {"01-30", "31-45"}
