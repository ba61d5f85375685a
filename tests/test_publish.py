"""What leaves the store for people and partner tools: the flat claims CSV, the actor x kind
matrix (CSV and XLSX, read back by openpyxl), compacted JSON-LD that round-trips to the same
graph, and the self-contained HTML report."""
from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import openpyxl
import pytest
from rdflib import Dataset
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from builders import DEV_DUMP, country, make_article, stance_claim
from stancegraph.cli.main import app
from stancegraph.loaders.mapping import article_graph
from stancegraph.loaders.mapping.ids import claim_iri
from stancegraph.loaders.model import Relation
from stancegraph.ontology.context import CONTEXT_FILE, CONTEXT_IRI, context_text
from stancegraph.publish import tables
from stancegraph.publish.jsonld import write_jsonld
from stancegraph.publish.report_data import gather, stored_articles
from stancegraph.publish.report_html import render
from stancegraph.publish.xlsx import write_xlsx

POLAND, SPAIN = country("POL", "Poland"), country("ESP", "Spain")
RULED_OUT = "Poland has ruled out sending troops to Ukraine."
SPAIN_AIR = "Spain is still weighing air support for Ukraine."
READY = "Poland is now ready to send troops."


@pytest.fixture
def small(store):
    """Two articles: Poland refuses troops, Spain undecided on air support; later Poland commits."""
    a = make_article(f"{RULED_OUT} {SPAIN_AIR}", "Warsaw says no", "2025-09-01", "Test Wire",
                     "https://news.test/warsaw-no")
    b = make_article(READY, "Warsaw changes course", "2025-09-05", "Other Desk",
                     "https://news.test/warsaw-yes")
    claims_a = [stance_claim(a, POLAND, Relation.REFUSES, RULED_OUT, confidence=0.9),
                stance_claim(a, SPAIN, Relation.UNDECIDED, SPAIN_AIR, kind="AirSupport", confidence=0.7)]
    claims_b = [stance_claim(b, POLAND, Relation.COMMITS, READY, confidence=0.8)]
    store.ensure_reference_graphs()
    for article, claims in ((a, claims_a), (b, claims_b)):
        store.put_article(article, article_graph(article, claims))
    store.recompute_stances()
    return store, claims_a + claims_b


def test_claims_table_has_one_row_per_claim_with_its_provenance(small):
    store, (refusal, undecided, commitment) = small
    table = tables.claim_table(store)
    assert table.columns == (
        "claim", "article_url", "article_title", "outlet", "published", "date", "date_source",
        "actor", "actor_iri", "on_behalf_of", "relation", "object", "object_iri", "quote",
        "confidence", "claimer", "via_group", "extractor")
    kinds = "https://w3id.org/stancegraph/ns#"
    assert table.rows == (
        (str(claim_iri(refusal)), "https://news.test/warsaw-no", "Warsaw says no", "Test Wire",
         "2025-09-01T12:00:00Z", "2025-09-01", "published", "Poland", POLAND.id, "", "refuses",
         "Reassurance force", kinds + "ReassuranceForce", RULED_OUT, "0.9", "", "", "test/1"),
        (str(claim_iri(undecided)), "https://news.test/warsaw-no", "Warsaw says no", "Test Wire",
         "2025-09-01T12:00:00Z", "2025-09-01", "published", "Spain", SPAIN.id, "", "undecided",
         "Air support", kinds + "AirSupport", SPAIN_AIR, "0.7", "", "", "test/1"),
        (str(claim_iri(commitment)), "https://news.test/warsaw-yes", "Warsaw changes course",
         "Other Desk", "2025-09-05T12:00:00Z", "2025-09-05", "published", "Poland", POLAND.id, "",
         "commits", "Reassurance force", kinds + "ReassuranceForce", READY, "0.8", "", "", "test/1"),
    )


def test_the_dev_corpus_exports_every_claim_exactly_once(dev_store):
    table = tables.claim_table(dev_store)
    ids = [r[0] for r in table.rows]
    assert len(ids) == len(set(ids)) == dev_store.stats()["claims"]


def test_matrix_csv_is_one_row_per_actor_and_one_column_per_kind(small):
    store, _ = small
    text = io.StringIO()
    tables.write_csv(tables.matrix_table(tables.commitment_matrix(store)), text)
    rows = list(csv.reader(io.StringIO(text.getvalue())))
    assert rows == [
        ["actor", "Air support", "Funding", "Intelligence", "Logistics", "Maritime support",
         "Reassurance force", "Sanctions", "Security guarantee", "Training", "Weapons"],
        ["Poland", "", "", "", "", "", "commits", "", "", "", ""],
        ["Spain", "undecided", "", "", "", "", "", "", "", "", ""],
    ]


def test_xlsx_opens_in_openpyxl_with_the_same_cells_and_is_byte_stable(small, tmp_path):
    store, _ = small
    claims, matrix = tables.claim_table(store), tables.matrix_table(tables.commitment_matrix(store))
    first, second = io.BytesIO(), io.BytesIO()
    write_xlsx([("claims", claims), ("matrix", matrix)], first)
    write_xlsx([("claims", claims), ("matrix", matrix)], second)
    assert first.getvalue() == second.getvalue()
    path = tmp_path / "out.xlsx"
    path.write_bytes(first.getvalue())
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["claims", "matrix"]

    def cells(sheet):
        return [tuple("" if v is None else str(v) for v in row) for row in sheet.iter_rows(values_only=True)]

    assert cells(book["matrix"]) == [matrix.columns, *matrix.rows]
    assert cells(book["claims"]) == [claims.columns, *claims.rows]
    assert book["claims"]["A1"].font.bold and book["claims"].freeze_panes == "A2"


def _datasets_equal(a: Dataset, b: Dataset) -> bool:
    ga = {str(g.identifier): g for g in a.graphs() if len(g)}
    gb = {str(g.identifier): g for g in b.graphs() if len(g)}
    return set(ga) == set(gb) and all(isomorphic(ga[k], gb[k]) for k in ga)


def test_jsonld_is_compacted_and_round_trips_to_the_same_graph(dev_store):
    out = io.BytesIO()
    write_jsonld(dev_store, out)
    document = json.loads(out.getvalue())
    assert document["@context"] == json.loads(CONTEXT_FILE.read_text())["@context"]
    text = out.getvalue().decode()
    data = json.dumps(document["@graph"])
    assert "https://w3id.org/stancegraph/ns#" not in data       # vocabulary and data IRIs compacted
    assert "https://w3id.org/stancegraph/id/" not in data
    claim = next(n for g in document["@graph"] for n in g.get("@graph", []) if n.get("@type") == "sg:Claim")
    assert claim["actor"].startswith("sgid:") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", claim["validDate"])
    nquads = io.BytesIO()
    dev_store.export("nq", nquads)
    expected = Dataset()
    expected.parse(data=nquads.getvalue().decode(), format="nquads")
    parsed = Dataset()
    parsed.parse(data=text, format="json-ld")
    assert _datasets_equal(parsed, expected)


def test_jsonld_by_reference_names_the_published_context_and_means_the_same(small):
    store, _ = small
    embedded, referenced = io.BytesIO(), io.BytesIO()
    write_jsonld(store, embedded)
    write_jsonld(store, referenced, reference=True)
    document = json.loads(referenced.getvalue())
    assert document["@context"] == CONTEXT_IRI == "https://w3id.org/stancegraph/context.jsonld"
    document["@context"] = json.loads(CONTEXT_FILE.read_text())["@context"]   # what the IRI serves
    a, b = Dataset(), Dataset()
    a.parse(data=json.dumps(document), format="json-ld")
    b.parse(data=embedded.getvalue().decode(), format="json-ld")
    assert _datasets_equal(a, b)


def test_the_shipped_context_is_the_one_the_ontology_gives():
    assert CONTEXT_FILE.read_text(encoding="utf-8") == context_text(), \
        "the ontology changed: python -m stancegraph.ontology.context > ontology/context.jsonld"
    terms = json.loads(context_text())["@context"]
    assert terms["actor"] == {"@id": "sg:actor", "@type": "@id"}
    assert terms["validDate"] == {"@id": "sg:validDate", "@type": "xsd:date"}
    assert terms["quote"] == {"@id": "sg:quote"}


class _Page(HTMLParser):
    """The parts of the report the tests look at."""

    def __init__(self):
        super().__init__()
        self.cells, self.external, self.tags, self.changes = {}, [], set(), []
        self._row = None
        self._in_th = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        for key in ("src", "href"):
            if a.get(key):
                self.external.append(a[key])
        if tag == "td" and "cell" in a.get("class", ""):
            self.cells.setdefault(self._row, []).append(a)
        if tag == "th" and self._row is None:
            self._in_th = True
        if tag == "tr":
            self._row = None
            self._in_th = True
        if tag == "line" and a.get("class") == "change":
            self.changes.append(a)

    def handle_endtag(self, tag):
        if tag == "th":
            self._in_th = False

    def handle_data(self, data):
        if self._in_th and self._row is None and data.strip():
            self._row = data.strip()


def test_report_is_self_contained_with_matrix_tooltips_timelines_and_changes(small):
    store, _ = small
    html = render(gather(store))
    page = _Page()
    page.feed(html)
    assert page.external == [] and "script" not in page.tags and "link" not in page.tags
    assert not re.search(r"url\(|@import|https?://(?!www\.w3\.org/2000/svg)", html.split("<body>")[0])
    poland = {c["title"].split(":")[0]: c for c in page.cells["Poland"]}
    cell = poland["Poland commits Reassurance force"]
    assert (cell["data-relation"], cell["data-date"], cell["class"]) == ("commits", "2025-09-05", "cell commits")
    assert f"“{READY}”" in cell["title"] and "2025-09-05" in cell["title"]
    assert len(page.cells["Poland"]) == len(page.cells["Spain"]) == 10
    assert [c["class"] for c in page.cells["Spain"]].count("cell undecided") == 1
    assert f'<div class="tip"><q>{READY}</q>' in html
    assert page.changes and "refuses → commits" in html
    assert html.count('class="point ') == 3


def test_report_counts_uncoded_sentences_from_the_stored_bodies(dev_store):
    from stancegraph.loaders.extract import uncoded_sentences
    from stancegraph.loaders.read import read_path

    data = gather(dev_store)
    direct = sum(len(uncoded_sentences(a)) for a in read_path(DEV_DUMP))
    assert len(data.uncoded) == direct > 0
    assert sorted(a.fingerprint for a in stored_articles(dev_store)) == \
        sorted(a.fingerprint for a in read_path(DEV_DUMP))
    assert f'data-uncoded="{direct}"' in render(data)


def test_report_and_exports_from_the_command_line(small, tmp_path):
    store, _ = small
    runner = CliRunner()
    where = ["--store", store.location]
    result = runner.invoke(app, ["report", "-o", str(tmp_path / "r.html"), *where], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"wrote {tmp_path / 'r.html'}: 2 actors x 10 kinds, 3 timeline points, "
                             "0 uncoded sentences\n")
    assert (tmp_path / "r.html").read_text().startswith("<!doctype html>")
    result = runner.invoke(app, ["export", "--format", "csv", *where], catch_exceptions=False)
    assert result.exit_code == 0
    assert list(csv.reader(io.StringIO(result.stdout)))[1][0] == tables.claim_table(store).rows[0][0]
    result = runner.invoke(app, ["export", "--format", "jsonld", "--context", "reference", *where])
    assert json.loads(result.stdout)["@context"] == CONTEXT_IRI
    result = runner.invoke(app, ["report", "-o", str(tmp_path / "missing" / "r.html"), *where])
    assert result.exit_code == 2 and result.stderr.startswith("error: ")
