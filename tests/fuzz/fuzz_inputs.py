"""Seeded generator of fuzz inputs: bad inputs of every kind the readers meet (truncated and
garbled feeds, binary, wrong and declared encodings, lone surrogates, nesting bombs, huge lines
and values, odd JSON types, impossible dates, unreadable files, FIFOs) mixed with good articles
written for the test. Same seed, same inputs, byte for byte.

Each `Case` says what must come of it: the titles of the good articles it holds (they must all
load), and how many error lines must name it (`errors=None`: any number, but a case that gives
no article must give at least one line — nothing vanishes silently)."""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

# Sentences written for these tests, stating publicly reported positions.
FACTS = (
    "Italy will not send troops to Ukraine, Prime Minister Giorgia Meloni said on Thursday.",
    "Poland will not send its soldiers to Ukraine, Prime Minister Donald Tusk said.",
    "France is ready to send troops to Ukraine as part of a reassurance force, President "
    "Emmanuel Macron said.",
    "The United Kingdom is prepared to deploy troops to Ukraine after a ceasefire, Prime "
    "Minister Keir Starmer said.",
    "Germany has yet to decide whether to contribute troops to a force in Ukraine.",
    "Japan does not plan to send troops to Ukraine, the government in Tokyo said.",
    "Spain has ruled out sending troops to Ukraine for now, the defence minister said.",
    "Twenty-six countries have pledged to take part in security guarantees for Ukraine.",
    "China has rejected reports that it is ready to join a peacekeeping force in Ukraine.",
    "Estonia said it was ready to send a company of soldiers to a reassurance force.",
)
OUTLETS = ("Test Wire", "Sample Desk", "Fuzz Herald", "Le Fil d'Essai")
LIMITS_ENV = {                       # smaller bounds, so that bounds are crossed cheaply
    "STANCEGRAPH_MAX_FILE_BYTES": "400000", "STANCEGRAPH_MAX_LINE_BYTES": "60000",
    "STANCEGRAPH_MAX_DEPTH": "40", "STANCEGRAPH_MAX_TITLE_CHARS": "300",
    "STANCEGRAPH_MAX_BODY_CHARS": "20000",
}
MAX_LINE, MAX_DEPTH, MAX_TITLE, MAX_BODY, MAX_FILE = 60000, 40, 300, 20000, 400000


@dataclass(frozen=True)
class Case:
    """One input: a file (`data`), or a special file (`kind`)."""

    name: str                          # file name, unique in a run
    data: bytes = b""
    good: tuple[str, ...] = ()         # titles of the good articles it holds: all must load
    errors: int | None = 1             # error lines naming it; None: any (but never silence)
    kind: str = "file"                 # file | fifo | unreadable | unreadable-folder | symlink-loop
    must_say: str = ""                 # a phrase its error line must hold
    family: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def bad(self) -> bool:
        return self.errors != 0


class Articles:
    """Good articles with unique titles: 'Fuzz 0042: …'."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.n = 0

    def one(self) -> dict:
        self.n += 1
        facts = self.rng.sample(FACTS, self.rng.randint(1, 3))
        lead = facts[0].split(",")[0].rstrip(".")
        return {"title": f"Fuzz {self.n:04d}: {lead}", "outlet": self.rng.choice(OUTLETS),
                "published": f"2025-0{self.rng.randint(6, 9)}-{self.rng.randint(10, 28)}"
                             f"T{self.rng.randint(0, 23):02d}:15:00+02:00",
                "body": " ".join(facts), "url": f"https://fuzz.invalid/{self.n:04d}"}


# -- formats ---------------------------------------------------------------------------------

def jsonl_line(a: dict, **change) -> str:
    return json.dumps({**a, **change}, ensure_ascii=False)


def rss(items: list[dict], title: str = "Fuzz Feed", encoding: str | None = None,
        item_xml: list[str] | None = None) -> str:
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>\n' if encoding else \
        '<?xml version="1.0"?>\n'
    body = item_xml if item_xml is not None else [rss_item(a) for a in items]
    return (declaration + f'<rss version="2.0"><channel><title>{title}</title>'
            "<link>https://fuzz.invalid/</link>\n" + "\n".join(body) + "\n</channel></rss>\n")


def rss_item(a: dict, pub_date: str | None = None) -> str:
    return (f"<item><title>{esc(a['title'])}</title><link>{a['url']}</link>"
            f"<pubDate>{pub_date or rfc822(a['published'])}</pubDate>"
            f"<description>{esc(a['body'])}</description></item>")


def atom(entries: list[dict]) -> str:
    parts = [f"<entry><title>{esc(a['title'])}</title><link href=\"{a['url']}\"/>"
             f"<id>{a['url']}</id><updated>{a['published']}</updated>"
             f"<content type=\"text\">{esc(a['body'])}</content></entry>" for a in entries]
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Fuzz Atom</title><id>https://fuzz.invalid/atom</id>"
            "<updated>2025-09-01T00:00:00Z</updated>\n" + "\n".join(parts) + "\n</feed>\n")


def page(a: dict, head_extra: str = "", title: str | None = None, meta: str = "") -> str:
    return (f"<!doctype html><html lang=\"en\"><head>{meta}<title>{esc(title or a['title'])}</title>"
            f"<meta property=\"og:site_name\" content=\"{esc(a['outlet'])}\">"
            f"<meta property=\"article:published_time\" content=\"{a['published']}\">"
            f"<link rel=\"canonical\" href=\"{a['url']}\">{head_extra}</head><body><article>"
            f"<h1>{esc(title or a['title'])}</h1><p>{esc(a['body'])}</p>"
            "<p>The statement was made to reporters after the meeting of the coalition.</p>"
            "</article></body></html>\n")


def dump(articles: list[dict], with_outlet: bool = True) -> str:
    parts = []
    for a in articles:
        if with_outlet:
            parts.append(f"  • ✇{a['outlet']}\n  • {a['title']}\n")
        parts.append(f"{a['title']}\n{dump_date(a['published'])}\n\n{a['body']}\n")
    return "\n".join(parts)


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def dump_date(iso: str) -> str:
    y, m, d = int(iso[:4]), int(iso[5:7]), int(iso[8:10])
    return f"{d} {MONTHS[m - 1]} {y} à {iso[11:16]}"


def rfc822(iso: str) -> str:
    y, m, d = int(iso[:4]), int(iso[5:7]), int(iso[8:10])
    return f"{d:02d} {EN_MONTHS[m - 1]} {y} {iso[11:19]} {iso[19:22]}{iso[23:25]}"


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def titles(articles: list[dict]) -> tuple[str, ...]:
    return tuple(a["title"] for a in articles)


# -- good inputs -----------------------------------------------------------------------------

def good_jsonl(rng, arts):
    items = [arts.one() for _ in range(rng.randint(1, 3))]
    return Case("good.jsonl", ("\n".join(jsonl_line(a) for a in items) + "\n").encode(),
                titles(items), 0)


def good_rss(rng, arts):
    items = [arts.one() for _ in range(rng.randint(1, 3))]
    return Case("good.rss", rss(items).encode(), titles(items), 0)


def good_atom(rng, arts):
    items = [arts.one() for _ in range(rng.randint(1, 2))]
    return Case("good.atom", atom(items).encode(), titles(items), 0)


def good_page(rng, arts):
    a = arts.one()
    return Case("good.html", page(a).encode(), titles([a]), 0)


def good_dump(rng, arts):
    items = [arts.one() for _ in range(rng.randint(1, 2))]
    return Case("good-dump.txt", dump(items).encode(), titles(items), 0)


def good_declared_encoding(rng, arts):
    """Feeds and pages in the encoding they declare (or with a byte-order mark)."""
    a = arts.one()
    a["body"] = a["body"] + " Le ministre a déclaré « non » à Genève."
    how = rng.choice(["latin1-feed", "cp1252-feed", "utf16-feed", "latin1-page", "utf8-bom-jsonl"])
    if how == "latin1-feed":
        data = rss([a], encoding="ISO-8859-1").encode("latin-1")
    elif how == "cp1252-feed":
        a["body"] += " “Quoted.”"
        data = rss([a], encoding="windows-1252").encode("cp1252")
    elif how == "utf16-feed":
        data = rss([a], encoding="UTF-16").encode("utf-16")
    elif how == "latin1-page":
        data = page(a, meta='<meta charset="iso-8859-1">').encode("latin-1")
    else:
        data = b"\xef\xbb\xbf" + (jsonl_line(a) + "\n").encode()
    suffix = {"latin1-page": ".html", "utf8-bom-jsonl": ".jsonl"}.get(how, ".rss")
    return Case(f"declared-{how}{suffix}", data, titles([a]), 0)


# -- JSONL: one bad line among good ones -----------------------------------------------------

def _bad_value(rng) -> object:
    return rng.choice([7, -1, 3.5, True, False, [], ["en"], {}, {"a": 1}, [1, [2]],
                       float("inf"), 10 ** 30])


def jsonl_with(rng, arts, bad_line: str, must_say: str, family: str) -> Case:
    before = [arts.one() for _ in range(rng.randint(0, 1))]
    after = [arts.one() for _ in range(rng.randint(0, 1))]
    lines = [jsonl_line(a) for a in before] + [bad_line] + [jsonl_line(a) for a in after]
    return Case(f"{family}.jsonl", ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"),
                titles(before + after), 1, must_say=must_say, family=family)


def jsonl_odd_type(rng, arts):
    a = arts.one()
    field_ = rng.choice(["id", "language", "title", "outlet", "body", "published", "url"])
    value = _bad_value(rng)
    if value in ([], {}, False) and field_ in ("title", "outlet", "body", "published"):
        value = 7                                          # empty values read as "missing"
    line = json.dumps({**a, field_: value})
    return jsonl_with(rng, arts, line, f"field '{field_}'", "jsonl-odd-type")


def jsonl_not_an_object(rng, arts):
    line = rng.choice(["[]", "[1, 2]", "7", '"title"', "null", "true", "3.5"])
    return jsonl_with(rng, arts, line, "expected a JSON object", "jsonl-not-object")


def jsonl_surrogate(rng, arts):
    a = arts.one()
    field_ = rng.choice(["title", "body", "outlet", "id"])
    escape = rng.choice(["\\ud800", "\\udfff", "\\udc00", "\\ud83d"])
    line = json.dumps(a)
    value = json.dumps(a.get(field_, "x"))
    if field_ == "id":
        line = line[:-1] + f', "id": "abc{escape}"' + "}"
    else:
        line = line.replace(value, value[:-1] + escape + '"', 1)
    return jsonl_with(rng, arts, line, "lone surrogate", "jsonl-surrogate")


def jsonl_nesting_bomb(rng, arts):
    open_, close = rng.choice([("[", "]"), ('{"a":', "}")])
    most = MAX_LINE // (len(open_) + 1) - 10                   # the line stays under its bound
    depth = rng.choice([MAX_DEPTH + 1, MAX_DEPTH + 5, 1000, most, rng.randint(MAX_DEPTH + 1, most)])
    line = '{"title": ' + open_ * depth + "1" + close * depth + "}"
    return jsonl_with(rng, arts, line, "nested more than", "jsonl-nesting-bomb")


def jsonl_huge_line(rng, arts):
    a = arts.one()
    line = jsonl_line(a, body="x " * rng.randint(MAX_LINE // 2 + 1, MAX_LINE))
    return jsonl_with(rng, arts, line, "the line is longer than", "jsonl-huge-line")


def jsonl_huge_value(rng, arts):
    a = arts.one()
    if rng.random() < 0.5:
        line = jsonl_line(a, title="Long " * rng.randint(MAX_TITLE // 5 + 1, 5000))
        return jsonl_with(rng, arts, line, "the title is", "jsonl-huge-title")
    line = jsonl_line(a, body="Italy said no. " * rng.randint(MAX_BODY // 15 + 1, 3900))
    return jsonl_with(rng, arts, line, "the text is", "jsonl-huge-body")


IMPOSSIBLE_DATES = ("0000-00-00", "2025-13-45", "2025-02-30", "9999-99-99", "2025-00-10",
                    "31/31/2025", "1e10", "NaN", "-1", "soon-ish", "2025-09-01T25:61:00",
                    "99999-01-01", "not a date at all", "2025-09-01T10:00:00+25:00", "∞",
                    "00:00", "2025-W60-9")


def jsonl_impossible_date(rng, arts):
    a = arts.one()
    line = jsonl_line(a, published=rng.choice(IMPOSSIBLE_DATES))
    return jsonl_with(rng, arts, line, "field 'published'", "jsonl-impossible-date")


def jsonl_long_date(rng, arts):
    """Date fields long enough to keep a date parser busy for minutes if it were handed them."""
    a = arts.one()
    words = rng.choice(["September 5 ", "2025 ", "12:", "1 ", "Thursday, 4 September 2025, "])
    line = jsonl_line(a, published=words * rng.randint(10, (MAX_LINE - 1000) // len(words)))
    return jsonl_with(rng, arts, line, "field 'published'", "jsonl-long-date")


def jsonl_broken_json(rng, arts):
    a = jsonl_line(arts.one())
    cut = rng.randint(1, len(a) - 2)
    line = rng.choice([a[:cut], a + " trailing", a.replace('"', "'"), a[:cut] + "\\x" + a[cut:],
                       '{"title": NaN}', "{,}", "{" * 3])
    return jsonl_with(rng, arts, line, "", "jsonl-broken-json")


def jsonl_bad_field(rng, arts):
    a = arts.one()
    field_, value, says = rng.choice([
        ("url", "javascript:alert(1)", "field 'url'"), ("url", "http://[::1", "field 'url'"),
        ("url", "ftp://fuzz.invalid/x", "field 'url'"), ("language", "english", "field 'language'"),
        ("language", "e1", "field 'language'"), ("title", "   ", "field 'title'"),
        ("body", "", "field 'body'"), ("outlet", None, "field 'outlet'")])
    return jsonl_with(rng, arts, jsonl_line(a, **{field_: value}), says, "jsonl-bad-field")


def jsonl_wrong_bytes(rng, arts):
    a = arts.one()
    bad = jsonl_line(a, title=a["title"] + " — Genève").encode("utf-8").replace(
        "Genève".encode(), "Genève".encode("latin-1"))
    before, after = [arts.one()], [arts.one()]
    data = (jsonl_line(before[0]) + "\n").encode() + bad + b"\n" + (jsonl_line(after[0]) + "\n").encode()
    return Case("jsonl-wrong-bytes.jsonl", data, titles(before + after), 1, must_say="not UTF-8",
                family="jsonl-wrong-bytes")


# -- feeds -----------------------------------------------------------------------------------

def feed_truncated(rng, arts):
    """Cut anywhere inside the document: the items that closed before the cut are read."""
    items = [arts.one() for _ in range(rng.randint(1, 4))]
    text = rss(items)
    cut = rng.randint(1, text.index("</channel>"))
    kept = text[:cut]
    complete = tuple(a["title"] for a, end in zip(items, _item_ends(text)) if end <= cut)
    return Case("feed-truncated.rss", kept.encode(), complete, 1, family="feed-truncated")


def _item_ends(text: str) -> list[int]:
    ends, at = [], 0
    while (found := text.find("</item>", at)) >= 0:
        ends.append(found + len("</item>"))
        at = ends[-1]
    return ends


def garbled(rng, arts):
    """Random byte edits in a good input: any outcome but a traceback, a hang or silence."""
    maker = rng.choice([good_rss, good_atom, good_page, good_dump, good_jsonl])
    base = maker(rng, arts)
    data = bytearray(base.data)
    for _ in range(rng.randint(1, 12)):
        at = rng.randrange(len(data))
        how = rng.random()
        if how < 0.4:
            data[at] = rng.randrange(256)
        elif how < 0.7:
            del data[at:at + rng.randint(1, 40)]
        else:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    suffix = base.name.rsplit(".", 1)[1]
    return Case(f"garbled.{suffix}", bytes(data), (), None, family="garbled")


def feed_nesting_bomb(rng, arts):
    depth = rng.choice([MAX_DEPTH + 1, 300, 5000, 50_000, rng.randint(41, 50_000)])
    where = rng.choice(["channel", "item", "description"])
    a = arts.one()
    bomb = "<x>" * depth + "deep" + "</x>" * depth
    if where == "channel":
        text = rss([a]).replace("</channel>", bomb + "</channel>")
    elif where == "item":
        text = rss([a]).replace("</item>", bomb + "</item>")
    else:
        text = rss([a]).replace("<description>", "<description>" + bomb)
    return Case("feed-nesting-bomb.rss", text.encode(), (), 1, must_say="nested more than",
                family="feed-nesting-bomb")


def feed_bad_reference(rng, arts):
    items = [arts.one() for _ in range(rng.randint(1, 3))]
    bad = rng.randrange(len(items))
    ref = rng.choice(["&#xD800;", "&#xdfff;", "&#55296;", "&#0;", "&#x1;", "&#x110000;",
                      "&#xFFFE;", "&#99999999;"])
    xml = [rss_item(a) for a in items]
    xml[bad] = xml[bad].replace("</title>", f" {ref}</title>", 1)
    return Case("feed-bad-reference.rss", rss([], item_xml=xml).encode(), titles(items[:bad]), 1,
                must_say="not well-formed XML", family="feed-bad-reference")


FEED_DATES = ("September 5 " * 2000, "Thu, 04 Sep 2025 " * 500, "0000-00-00", "Mon, 00 Jan 0000 00:00:00 GMT", "Thu, 45 Sep 2025 10:00:00 GMT",
              "Thu, 04 Sep 2025 99:99:99 GMT", "not a date", "2025-13-01T00:00:00Z",
              "Thu, 04 Sep 99999 10:00:00 GMT", "-")      # a blank one is absent: inferred


def feed_impossible_date(rng, arts):
    items = [arts.one() for _ in range(rng.randint(2, 3))]
    bad = rng.randrange(len(items))
    xml = [rss_item(a) for a in items]
    xml[bad] = rss_item(items[bad], pub_date=rng.choice(FEED_DATES))
    good = titles(items[:bad] + items[bad + 1:])
    return Case("feed-impossible-date.rss", rss([], item_xml=xml).encode(), good, 1,
                family="feed-impossible-date")


def feed_missing_parts(rng, arts):
    """An item without title or text is an error; one without a date takes the feed's or the
    file's date (the article says which), so it is good."""
    items = [arts.one() for _ in range(2)]
    xml = [rss_item(a) for a in items]
    what = rng.choice(["title", "date", "text", "all"])
    if what == "title":
        xml[1] = xml[1].replace(f"<title>{esc(items[1]['title'])}</title>", "")
    elif what == "date":
        xml[1] = xml[1].split("<pubDate>")[0] + xml[1].split("</pubDate>")[1]
    elif what == "text":
        xml[1] = xml[1].split("<description>")[0] + "</item>"
    else:
        xml[1] = "<item></item>"
    good = titles(items) if what == "date" else titles(items[:1])
    return Case("feed-missing-parts.rss", rss([], item_xml=xml).encode(), good,
                0 if what == "date" else 1, family="feed-missing-parts")


def feed_entities(rng, arts):
    """Billion laughs and external entities: never expanded, never fetched."""
    a = arts.one()
    how = rng.choice(["laughs", "xxe", "param"])
    if how == "laughs":
        dtd = ('<!DOCTYPE rss [<!ENTITY a "lollollollollollollollollollol">'
               + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                         for i in range(9)) + "]>")
        ref = "&j;"
    elif how == "xxe":
        dtd = '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        ref = "&x;"
    else:
        dtd = '<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]>'
        ref = ""
    text = rss([a]).replace('<?xml version="1.0"?>\n', '<?xml version="1.0"?>\n' + dtd + "\n")
    text = text.replace("</description>", ref + "</description>")
    return Case("feed-entities.rss", text.encode(), (), None, family="feed-entities",
                extra={"never": ("root:", "lollollollollollollollollollollol" * 3)})


def feed_wrong_encoding(rng, arts):
    a = arts.one()
    a["body"] += " Le ministre a déclaré non."
    how = rng.choice(["unknown", "undeclared-latin1", "utf16-no-bom", "lying-utf8", "codec-trick"])
    if how == "unknown":
        data, says = rss([a], encoding="x-fuzz-8").encode(), "unknown text encoding"
    elif how == "undeclared-latin1":
        data, says = rss([a]).encode("latin-1"), "not UTF-8"
    elif how == "utf16-no-bom":
        data, says = rss([a], encoding="UTF-16").encode("utf-16-le"), "binary"
    elif how == "lying-utf8":
        data, says = rss([a], encoding="UTF-8").encode("latin-1"), "not UTF-8"
    else:
        data = rss([a], encoding=rng.choice(["unicode_escape", "rot13", "base64", "idna"])).encode()
        says = "unknown text encoding"
    return Case(f"feed-{how}.rss", data, (), 1, must_say=says, family="feed-wrong-encoding")


# -- pages -----------------------------------------------------------------------------------

def page_odd_json_ld(rng, arts):
    """JSON-LD of unexpected shapes: ignored, the page still reads from its other metadata."""
    a = arts.one()
    ld = rng.choice(['"just a string"', "7", '{"@graph": 5}', '{"@graph": "x"}', "[1, [2]]",
                     '{"@type": "NewsArticle", "url": ["a", "b"], "headline": {"a": 1}}',
                     '{"@type": ["NewsArticle"], "headline": 7, "datePublished": ["x"]}',
                     '{"@type": "NewsArticle", "publisher": [[]], "url": 7}',
                     "[" * 5000 + "]" * 5000, "{not json", "null",
                     '{"@type": "NewsArticle", "headline": null, "datePublished": {}}'])
    head = f'<script type="application/ld+json">{ld}</script>'
    return Case("page-odd-json-ld.html", page(a, head_extra=head).encode(), titles([a]), 0,
                family="page-odd-json-ld")


def page_surrogate_json_ld(rng, arts):
    a = arts.one()
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
            '"Bad \\ud800 headline"}</script>')
    return Case("page-surrogate.html", page(a, head_extra=head).encode(), (), 1,
                must_say="lone surrogate", family="page-surrogate")


def page_without(rng, arts):
    """A page without text is an error; one without a date is dated by the file (good)."""
    a = arts.one()
    what = rng.choice(["text", "date", "everything"])
    if what == "date":
        text = page(a).replace(f'<meta property="article:published_time" content="{a["published"]}">', "")
        return Case("page-without-date.html", text.encode(), titles([a]), 0, family="page-without")
    if what == "text":
        text = page(a).split("<article>")[0] + "<article><p>Too short.</p></article></html>"
    else:
        text = "<html><head></head><body></body></html>"
    return Case(f"page-without-{what}.html", text.encode(), (), 1, must_say="no article text",
                family="page-without")


def page_deep(rng, arts):
    a = arts.one()
    depth = rng.choice([300, 3000, 100_000])
    text = page(a).replace("<article>", "<article>" + "<div>" * depth).replace(
        "</article>", "</div>" * depth + "</article>")
    return Case("page-deep.html", text.encode(), (), 1, family="page-deep")


def page_huge_title(rng, arts):
    a = arts.one()
    title = "Headline " * rng.randint(MAX_TITLE // 9 + 1, 3000)
    return Case("page-huge-title.html", page(a, title=title).encode(), (), 1,
                must_say="the title is", family="page-huge-title")


# -- dumps, bytes, empties ------------------------------------------------------------------

def dump_without_outlet(rng, arts):
    items = [arts.one() for _ in range(rng.randint(1, 2))]
    return Case("dump-without-outlet.txt", dump(items, with_outlet=False).encode(), (),
                len(items), must_say="names the outlet", family="dump-without-outlet")


def binary(rng, arts):
    data = bytes(rng.randrange(256) for _ in range(rng.randint(1, 3000)))
    if rng.random() < 0.5:
        data = data[:10] + b"\x00" + data[10:]
    suffix = rng.choice(["rss", "jsonl", "html", "txt", "bin"])
    return Case(f"binary.{suffix}", data, (), 1, family="binary")


def empty(rng, arts):
    data = rng.choice([b"", b" ", b"\n\n\n", b"\t \r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf  \n"])
    return Case(f"empty.{rng.choice(['rss', 'jsonl', 'txt', 'html'])}", data, (), 1,
                must_say="empty", family="empty")


def plain_text(rng, arts):
    text = " ".join(rng.choice(FACTS) for _ in range(rng.randint(1, 4)))
    return Case("notes.txt", text.encode(), (), 1, must_say="no articles found", family="text")


def oversized_file(rng, arts):
    a = arts.one()
    text = rss([a]).replace("</channel>", "<!--" + "x" * (MAX_FILE + 10) + "--></channel>")
    return Case("oversized.rss", text.encode(), (), 1, must_say="larger than",
                family="oversized-file")


# -- special files ---------------------------------------------------------------------------

def special(rng, arts):
    kind = rng.choice(["fifo", "unreadable", "unreadable-folder", "symlink-loop", "dangling-link"])
    data = (jsonl_line(arts.one()) + "\n").encode() if kind in ("unreadable", "unreadable-folder") else b""
    says = {"fifo": "named pipe", "unreadable": "permission denied",
            "unreadable-folder": "permission denied", "symlink-loop": "symbolic links",
            "dangling-link": "no such file"}[kind]
    return Case(f"special-{kind}.jsonl", data, (), 1, kind=kind, must_say=says, family=kind)


BAD_FAMILIES = (
    (jsonl_odd_type, 12), (jsonl_not_an_object, 3), (jsonl_surrogate, 6), (jsonl_nesting_bomb, 5),
    (jsonl_huge_line, 3), (jsonl_huge_value, 4), (jsonl_impossible_date, 8), (jsonl_long_date, 2),
    (jsonl_broken_json, 5),
    (jsonl_bad_field, 5), (jsonl_wrong_bytes, 3), (feed_truncated, 10), (garbled, 14),
    (feed_nesting_bomb, 4), (feed_bad_reference, 5), (feed_impossible_date, 6),
    (feed_missing_parts, 4), (feed_entities, 3), (feed_wrong_encoding, 5), (page_odd_json_ld, 4),
    (page_surrogate_json_ld, 1), (page_without, 3), (page_deep, 1), (page_huge_title, 1),
    (dump_without_outlet, 2), (binary, 6), (empty, 3), (plain_text, 2), (oversized_file, 1),
)
GOOD_FAMILIES = ((good_jsonl, 3), (good_rss, 2), (good_atom, 1), (good_page, 1), (good_dump, 1),
                 (good_declared_encoding, 2))


def cases(seed: int, bad: int, good: int, special_files: bool = True) -> list[Case]:
    """`bad` bad inputs and `good` good ones, shuffled, each with a unique numbered name."""
    rng = random.Random(seed)
    arts = Articles(rng)
    makers = [m for m, _ in BAD_FAMILIES]
    weights = [w for _, w in BAD_FAMILIES]
    chosen = rng.choices(makers, weights, k=bad)
    if special_files:
        chosen[:: max(bad // 12, 1)] = [special] * len(chosen[:: max(bad // 12, 1)])
    good_makers = rng.choices([m for m, _ in GOOD_FAMILIES], [w for _, w in GOOD_FAMILIES], k=good)
    made = [maker(rng, arts) for maker in chosen + good_makers]
    rng.shuffle(made)
    out = []
    for n, case in enumerate(made):
        family = case.family or case.name.rsplit(".", 1)[0]
        out.append(Case(f"{n:04d}-{case.name}", case.data, case.good, case.errors, case.kind,
                        case.must_say, family, case.extra))
    return out
