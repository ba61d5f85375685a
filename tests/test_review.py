"""The chain behind an answer (`explain`, `claim show`) and the review layer (`review`, `remove`)
on the embedded store, through the command line."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from review_support import URL, actors, claim_of, rows_of, write_article
from stancegraph.cli.main import app

runner = CliRunner()


def run(*args, code: int = 0):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == code, (result.output, result.exception)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def loaded(tmp_path):
    store = tmp_path / "store"
    article = write_article(tmp_path / "article.jsonl")
    run("load", article, "--store", store, "--quiet")
    return store, article


def refused(store) -> list[dict]:
    return rows_of(run("query", "refused-troops", "--format", "csv", "--store", store).stdout)


def test_explain_prints_the_chain_from_stance_to_article(loaded):
    store, _ = loaded
    out = run("explain", "Spain", "--kind", "troops", "--store", store).stdout
    claim = claim_of(refused(store), "Spain").rsplit("/", 1)[-1]
    assert "stance: Spain refuses (since 2025-09-04; supported by 1 stories from 1 outlets)" in out
    assert f"* 2025-09-04  refuses    0.90  Review Test Wire  claim {claim}  Spain" in out
    assert "why: every claim says refuses; the latest (2025-09-04) is shown" in out
    assert "quote: \u201cSpain has ruled out sending troops to Ukraine, the government said on Thursday.\u201d" in out
    assert f"url: {URL}" in out and "outlet: Review Test Wire" in out
    assert "published: 2025-09-04T10:00:00+02:00 (date from: published)" in out


def test_explain_shows_a_group_expansion_and_a_same_day_conflict(dev_store, tmp_path):
    path = str(dev_store.path)
    iceland = run("explain", "Iceland", "--store", path).stdout
    assert "member of: NATO, Nordic countries, United Nations" in iceland
    assert "Iceland (expanded from the group Nordic countries)" in iceland
    conflicts = rows_of(run("query", "conflicts", "--format", "csv", "--store", path).stdout)
    assert conflicts, "the dev corpus has a same-day conflict"
    row = conflicts[0]
    out = run("explain", row["actor_iri"], "--store", path).stdout
    assert f"same-day conflict on {row['date']}: " in out


def test_claim_show_and_unknown_names_are_one_line_exit_2(loaded):
    store, _ = loaded
    claim = claim_of(refused(store), "Italy")
    out = run("claim", "show", claim.rsplit("/", 1)[-1], "--store", store).stdout
    assert out.splitlines()[0] == f"claim {claim.rsplit('/', 1)[-1]} <{claim}>"
    assert "Italy refuses Reassurance force on 2025-09-04 (confidence 0.90" in out
    for args in (["claim", "show", "0000000000000000"], ["explain", "Atlantis"],
                 ["explain", "Italy", "--kind", "submarines"]):
        result = run(*args, "--store", store, code=2)
        assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: ")


def test_a_retraction_survives_a_reload_and_is_exported_and_imported(loaded, tmp_path):
    store, article = loaded
    assert actors(refused(store)) == ["Italy", "Poland", "Spain"]
    spain = claim_of(refused(store), "Spain")
    out = run("review", "retract", spain, "--by", "ana", "--why", "not in the source", "--store", store).stdout
    assert out.startswith(f"retract: claim {spain.rsplit('/', 1)[-1]} by ana at ")
    assert actors(refused(store)) == ["Italy", "Poland"]
    write_article(article, title="Review test: three refusals (updated)")
    assert "1 replaced" in run("load", article, "--store", store, "--quiet").stdout
    assert actors(refused(store)) == ["Italy", "Poland"]
    assert "conforms" in run("validate", "--store", store).stdout
    explained = run("explain", "Spain", "--store", store).stdout
    assert f"  retracted: claim {spain.rsplit('/', 1)[-1]} (refuses Reassurance force) by ana at " in explained
    assert "no stance claims in the store" in explained
    shown = run("claim", "show", spain, "--store", store).stdout
    assert "[retracted]" in shown and "retract by ana at " in shown and "why: not in the source" in shown
    # exported with the store and imported into another store holding the same article
    exported = tmp_path / "reviews.nt"
    run("review", "export", "-o", exported, "--store", store)
    other = tmp_path / "other"
    run("load", article, "--store", other, "--quiet")
    assert actors(refused(other)) == ["Italy", "Poland", "Spain"]
    assert run("review", "import", exported, "--store", other).stdout.strip() == "imported 1 review decisions"
    assert actors(refused(other)) == ["Italy", "Poland"]
    trig = tmp_path / "all.trig"
    run("export", "--format", "trig", "-o", trig, "--store", store)
    third = tmp_path / "third"
    run("load", article, "--store", third, "--quiet")
    run("review", "import", trig, "--store", third)
    assert actors(refused(third)) == ["Italy", "Poland"]


def test_a_correction_moves_the_claim_and_a_confirmation_shows(loaded):
    store, _ = loaded
    rows = refused(store)
    italy, poland = claim_of(rows, "Italy"), claim_of(rows, "Poland")
    run("review", "correct", italy, "--relation", "undecided", "--by", "ana", "--why", "only considering",
        "--store", store)
    run("review", "correct", poland, "--actor", "Germany", "--by", "ana", "--why", "wrong country",
        "--store", store)
    run("review", "confirm", claim_of(rows, "Spain"), "--by", "bo", "--why", "checked", "--store", store)
    after = refused(store)
    assert [(r["actor"], r["confidence"]) for r in sorted(after, key=lambda r: r["actor"])] == \
        [("Germany", "1.0"), ("Spain", "1.0")]
    undecided = rows_of(run("query", "undecided", "--format", "csv", "--store", store).stdout)
    assert [(r["actor"], r["claim"]) for r in undecided] == [("Italy", italy)]
    timeline = rows_of(run("query", "stance-timeline", "--param", "actor=Poland", "--format", "csv",
                           "--store", store).stdout)
    assert timeline == []
    assert "conforms" in run("validate", "--store", store).stdout
    shown = run("claim", "show", poland, "--store", store).stdout
    assert "Germany refuses Reassurance force" in shown and "actor: Poland -> Germany" in shown


def test_bad_reviews_are_one_line_exit_2(loaded):
    store, _ = loaded
    claim = claim_of(refused(store), "Italy")
    for args, message in (
            (["review", "retract", "0123456789abcdef", "--by", "a", "--why", "b"], "no such claim in the store"),
            (["review", "correct", claim, "--by", "a", "--why", "b"], "a correction needs --actor, --relation or --kind"),
            (["review", "correct", claim, "--relation", "states", "--by", "a", "--why", "b"], "does not go with"),
            (["review", "correct", claim, "--actor", "Atlantis", "--by", "a", "--why", "b"], "no actor called so"),
            (["remove", "https://nowhere.invalid/x"], "no article with this URL")):
        result = run(*args, "--store", store, code=2)
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert actors(refused(store)) == ["Italy", "Poland", "Spain"]


def test_remove_deletes_the_article_and_its_stances(loaded):
    store, article = loaded
    out = run("remove", URL, "--store", store).stdout
    assert out.strip() == "removed 1 article: Review test: three refusals"
    assert refused(store) == []
    run("load", article, "--store", store, "--quiet")
    assert actors(refused(store)) == ["Italy", "Poland", "Spain"]


def test_every_review_command_documents_an_example_and_its_exit_codes():
    for args in (["explain"], ["claim", "show"], ["review", "confirm"], ["review", "retract"],
                 ["review", "correct"], ["review", "export"], ["review", "import"], ["remove"]):
        text = run(*args, "--help").stdout
        assert "Example:" in text and "Exit codes:" in text, args


def test_reviews_are_scored_as_gold_by_eval(loaded, tmp_path, capsys):
    from stancegraph.eval_reviews import ReviewScore, reviews_report

    store, article = loaded
    rows = refused(store)
    run("review", "retract", claim_of(rows, "Spain"), "--by", "a", "--why", "no", "--store", store)
    run("review", "correct", claim_of(rows, "Poland"), "--actor", "Germany", "--by", "a", "--why", "who",
        "--store", store)
    run("review", "confirm", claim_of(rows, "Italy"), "--by", "a", "--why", "yes", "--store", store)
    reviews = tmp_path / "reviews.nt"
    run("review", "export", "-o", reviews, "--store", store)
    corpus = tmp_path / "shared" / "corpus" / "mine"
    corpus.mkdir(parents=True)
    write_article(corpus / "article.jsonl")
    assert reviews_report(reviews, tmp_path / "shared") == ReviewScore(
        decisions=3, matched=3, confirmed=1, retracted=1, corrected=1, fixed=0, gold_found=0,
        gold_total=1, unknown=0).as_dict()
    assert "P=0.333" in capsys.readouterr().out
    # a better extractor (here: a text that says it) makes the corrected fact and drops the wrong claim
    from review_support import BODY
    write_article(corpus / "article.jsonl", body=BODY.replace(
        "Poland will not send its soldiers to Ukraine, Prime Minister Donald Tusk said.",
        "Germany will not send its soldiers to Ukraine, Chancellor Friedrich Merz said."))
    score = reviews_report(reviews, tmp_path / "shared")
    assert (score["matched"], score["confirmed"], score["fixed"], score["gold_found"], score["precision"]) == \
        (2, 1, 1, 1, 0.5)


@pytest.mark.parametrize("engine", ["turbo", "pyshacl"])
def test_validate_checks_review_decisions_with_their_shapes(tmp_path, monkeypatch, engine):
    monkeypatch.setenv("STANCEGRAPH_SHACL", engine)
    bad = tmp_path / "reviews.ttl"
    bad.write_text("""
@prefix sg: <https://w3id.org/stancegraph/ns#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/stancegraph/id/review/1> a sg:Review ; sg:decision "maybe" ;
  sg:reviewedClaim <https://w3id.org/stancegraph/id/claim/1> ;
  sg:reviewedArticle <https://w3id.org/stancegraph/id/article/1> ;
  prov:wasAttributedTo <https://w3id.org/stancegraph/id/reviewer/a> ;
  prov:generatedAtTime "2025-09-05T10:00:00Z"^^xsd:dateTime ;
  sg:originalActor <https://w3id.org/stancegraph/id/country/ITA> ; sg:originalRelation sg:refuses ;
  sg:originalObject sg:ReassuranceForce ; sg:originalConfidence 0.9 ; sg:originalQuote "q" .
<https://w3id.org/stancegraph/id/reviewer/a> a prov:Agent ; rdfs:label "a" .
""")
    result = run("validate", bad, code=1)
    shapes = sorted({line.rsplit("[", 1)[-1].rstrip("]") for line in result.stdout.splitlines() if "[" in line})
    assert shapes == ["sgsh:Review", "sgsh:Review-decision", "sgsh:Review-reason"]


def test_a_write_around_the_recompute_is_caught_by_validate_and_repaired(loaded):
    from stancegraph.loaders.store import open_store
    from stancegraph.ontology.vocab import SG

    store, _ = loaded
    spain = claim_of(refused(store), "Spain")
    run("review", "retract", spain, "--by", "ana", "--why", "no", "--store", store)
    db = open_store(store)                      # the handle the commands above used
    db.update(f"DELETE WHERE {{ GRAPH ?g {{ <{spain}> <{SG.reviewedIn}> ?r }} }}")
    result = run("validate", "--store", store, code=1)
    assert [line for line in result.stdout.splitlines() if "review-not-applied" in line] == \
        [line for line in result.stdout.splitlines() if line.startswith(f"claim/{spain.rsplit('/', 1)[-1]}")]
    assert "[checks/review-not-applied-violation.rq]" in result.stdout
    db.recompute_stances()
    assert "conforms" in run("validate", "--store", store).stdout
    assert actors(refused(store)) == ["Italy", "Poland"]
