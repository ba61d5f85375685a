"""`stancegraph validate` checks the derived graphs too: a write that went around the stance
recompute (here a raw DROP GRAPH on the embedded store, as an old Graph Store DELETE did) leaves
stances that link to claims no article holds; validate names each, exits 1, and the recompute
that every write path runs repairs them."""
from __future__ import annotations

import subprocess

from builders import DEV_DUMP, ROOT, SHARED
from serve_support import EXE
from stancegraph.loaders.store import close_store, open_store
from stancegraph.ontology.vocab import SG, STANCES_GRAPH

LINKS = f"<{SG.supportedBy}>|<{SG.latestClaim}>|<{SG.conflictingClaim}>|<{SG.earlierClaim}>"
DANGLING = """SELECT DISTINCT ?claim WHERE {{
  GRAPH <{graph}> {{ ?state {links} ?claim }}
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?claim a <{claim}> }} }} }} ORDER BY ?claim"""
SUPPORTING = f"""SELECT ?g WHERE {{ GRAPH <{STANCES_GRAPH}> {{ ?state <{SG.supportedBy}> ?claim }}
  GRAPH ?g {{ ?claim a <{SG.Claim}> }} }} ORDER BY ?g LIMIT 1"""


def validate(store) -> subprocess.CompletedProcess:
    return subprocess.run([str(EXE), "validate", "--store", str(store)], capture_output=True,
                          text=True)


def test_validate_names_dangling_stance_links_and_a_recompute_repairs_them(tmp_path):
    path = tmp_path / "store"
    subprocess.run([str(EXE), "load", str(ROOT / "examples"), "--store", str(path), "-q"],
                   check=True, capture_output=True)
    first = validate(path)
    assert (first.returncode, first.stdout.splitlines()[-1]) == (0, "conforms")
    store = open_store(path)
    graph = store.select(SUPPORTING)[1][0][0]
    store.update(f"DROP GRAPH <{graph}>")
    dangling = [row[0] for row in store.select(DANGLING.format(
        graph=STANCES_GRAPH, links=LINKS, claim=SG.Claim))[1]]
    unsupported = {row[0] for row in store.select(DANGLING.format(
        graph=STANCES_GRAPH, links=f"<{SG.supportedBy}>", claim=SG.Claim))[1]}
    del store
    close_store(path)
    assert unsupported and unsupported <= set(dangling)
    done = validate(path)
    links = [line for line in done.stdout.splitlines()
             if line.endswith("[checks/stance-link-to-missing-claim-violation.rq]")]
    assert done.returncode == 1 and done.stderr == ""
    assert [line.split(":", 1)[0] for line in links] == \
        [c.removeprefix("https://w3id.org/stancegraph/id/") for c in dangling]
    store = open_store(path)
    store.recompute_stances()
    del store
    close_store(path)
    assert validate(path).stdout.splitlines()[-1] == "conforms"


def test_validate_names_claims_missing_from_stances_and_stances_based_on_unknown_claims(tmp_path):
    path = tmp_path / "store"
    subprocess.run([str(EXE), "load", str(ROOT / "examples"), "--store", str(path), "-q"],
                   check=True, capture_output=True)
    store = open_store(path)
    stance, claim = store.select(f"""SELECT ?s ?c WHERE {{ GRAPH <{STANCES_GRAPH}> {{
        ?s <{SG.basedOn}> ?c }} }} ORDER BY ?s ?c LIMIT 1""")[1][0]
    bogus = "https://w3id.org/stancegraph/id/claim/never-stored"
    store.update(f"""DELETE DATA {{ GRAPH <{STANCES_GRAPH}> {{ <{stance}> <{SG.basedOn}> <{claim}> }} }} ;
        INSERT DATA {{ GRAPH <{STANCES_GRAPH}> {{ <{stance}> <{SG.basedOn}> <{bogus}> }} }}""")
    del store
    close_store(path)
    done = validate(path)
    assert done.returncode == 1 and done.stderr == ""

    def named(check: str) -> list[str]:
        return [line.split(":", 1)[0] for line in done.stdout.splitlines()
                if line.endswith(f"[checks/{check}-violation.rq]")]

    short = lambda iri: iri.removeprefix("https://w3id.org/stancegraph/id/")  # noqa: E731
    assert named("stance-claim-not-derived") == [short(claim)]
    assert named("stance-based-on-missing-claim") == [short(bogus)]


def test_validate_names_a_missing_or_wrong_change_row_and_a_recompute_repairs_it(tmp_path):
    """The packed row of a current change (sg:changeRow) is derived data too: a row removed, or
    one that no longer starts with its stance's relation and date, is named by validate and
    rewritten by the recompute every write runs."""
    path = tmp_path / "store"
    subprocess.run([str(EXE), "load", str(DEV_DUMP), str(SHARED / "corpus" / "news" / "feed.xml"),
                    "--store", str(path), "-q"],
                   check=True, capture_output=True)
    store = open_store(path)
    rows = f"SELECT ?state ?row WHERE {{ GRAPH <{STANCES_GRAPH}> {{ ?state <{SG.changeRow}> ?row }} }} ORDER BY ?state"
    changed = store.select(rows)[1]
    assert len(changed) >= 2
    (first, _), (second, row) = changed[:2]
    store.update(f"DELETE WHERE {{ GRAPH <{STANCES_GRAPH}> {{ <{first}> <{SG.changeRow}> ?row }} }} ;\n"
                 f"DELETE WHERE {{ GRAPH <{STANCES_GRAPH}> {{ <{second}> <{SG.changeRow}> ?row }} }} ;\n"
                 f"INSERT DATA {{ GRAPH <{STANCES_GRAPH}> {{ <{second}> <{SG.changeRow}> "
                 f"\"{'refuses' if row.startswith('commits') else 'commits'}\\u001F{row.split(chr(31), 1)[1]}\" }} }}")
    del store
    close_store(path)
    done = validate(path)
    named = [line.split(":", 1)[0] for line in done.stdout.splitlines()
             if line.endswith("[checks/stance-change-row-out-of-date-violation.rq]")]
    assert done.returncode == 1
    assert named == sorted(s.removeprefix("https://w3id.org/stancegraph/id/") for s in (first, second))
    store = open_store(path)
    store.recompute_stances()
    assert store.select(rows)[1] == changed
    del store
    close_store(path)
    assert validate(path).stdout.splitlines()[-1] == "conforms"


def test_the_checks_run_together_answer_as_each_check_file_alone(tmp_path, monkeypatch):
    """The two sg:basedOn checks are evaluated as one grouped query (derived.check_results): on
    a store where both find rows, each check's rows equal its file run alone, and when the files
    stop being the same query but for HAVING, each runs alone again."""
    import shutil

    from stancegraph.loaders.store import derived

    path = tmp_path / "store"
    subprocess.run([str(EXE), "load", str(ROOT / "examples"), "--store", str(path), "-q"],
                   check=True, capture_output=True)
    store = open_store(path)
    links = store.select(f"""SELECT ?s ?c WHERE {{ GRAPH <{STANCES_GRAPH}> {{
        ?s <{SG.basedOn}> ?c }} }} ORDER BY ?s ?c""")[1]
    assert len(links) >= 3
    bogus = [f"https://w3id.org/stancegraph/id/claim/never-stored-{i}" for i in range(3)]
    store.update(" ;\n".join(
        [f"DELETE DATA {{ GRAPH <{STANCES_GRAPH}> {{ <{s}> <{SG.basedOn}> <{c}> }} }}" for s, c in links[:2]]
        + [f"INSERT DATA {{ GRAPH <{STANCES_GRAPH}> {{ <{links[-1][0]}> <{SG.basedOn}> <{b}> }} }}" for b in bogus]))

    def alone(check) -> tuple[list[str], list[list]]:
        return store.select(check.read_text(encoding="utf-8"))

    together = {check.name: (columns, rows) for check, columns, rows
                in derived.check_results(store, ("stance-", "story-", "review-"))}
    assert together["stance-based-on-missing-claim-violation.rq"][1] == \
        [[*store.select(f"SELECT ?a ?k WHERE {{ GRAPH <{STANCES_GRAPH}> {{ <{links[-1][0]}> "
                        f"<{SG.stanceActor}> ?a ; <{SG.stanceObject}> ?k }} }}")[1][0], b] for b in bogus]
    assert len(together["stance-claim-not-derived-violation.rq"][1]) == 2
    for check in sorted(derived.CHECKS.glob("*-violation.rq")):
        if check.name.startswith(("stance-", "story-", "review-")):
            assert together[check.name] == alone(check), check.name

    edited = tmp_path / "checks"
    shutil.copytree(derived.CHECKS, edited)
    name = "stance-claim-not-derived-violation.rq"
    (edited / name).write_text((edited / name).read_text().replace(
        "HAVING (MIN(?side) = 2)", "HAVING (MIN(?side) = 2 && COUNT(*) > 0)"))
    monkeypatch.setattr(derived, "CHECKS", edited)
    assert derived._based_on_pair(store) == {}
    again = {check.name: (columns, rows) for check, columns, rows
             in derived.check_results(store, ("stance-",))}
    assert again[name] == alone(edited / name) == together[name]
