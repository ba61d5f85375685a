"""`stancegraph explain | claim show | review … | remove`: the chain behind an answer, and the
analyst's corrections (loaders/store/reviews.py), which survive reloads of the article."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from stancegraph.loaders.errors import InputError

from .common import EXIT_CANNOT_RUN, STORE_OPTION, fail, open_store_or_fail
from .output import console

app = typer.Typer()
claim_app = typer.Typer(help="One claim and its chain.\n\nExample: stancegraph claim show 3f2a9c1d0b7e4a55",
                        no_args_is_help=True)
review_app = typer.Typer(help="Confirm, retract or correct a claim; decisions are kept in "
                              "graph/reviews with who, when and why, and survive reloads.\n\n"
                              "Example: stancegraph review retract 3f2a9c1d0b7e4a55 --by ana --why "
                              "\"Iceland only through the Nordic countries\"", no_args_is_help=True)
app.add_typer(claim_app, name="claim")
app.add_typer(review_app, name="review")

KIND_OPTION = typer.Option(None, "--kind", "-k", help="A commitment kind (label or local name, "
                                                      "e.g. ReassuranceForce, \"air support\").")


class Rel(str, Enum):
    commits = "commits"
    refuses = "refuses"
    undecided = "undecided"
    conditions = "conditions"
    states = "states"


def _actor(text: str) -> str:
    from stancegraph.queries.catalogue import resolve_actor

    entity = resolve_actor(text)
    if entity is None:
        fail(f"{text[:80]}: no actor called so in the gazetteer (a country, person, organisation "
             "or group: name, alias, demonym or IRI)")
    return entity.iri


def _kind(text: Optional[str]) -> Optional[str]:
    from stancegraph.ontology.kinds import load_kinds

    if text is None:
        return None
    for k in load_kinds():
        if text.strip().lower() in (k.name.lower(), k.label.lower(), k.iri.lower(), *k.phrases):
            return k.iri
    fail(f"{text[:80]}: unknown commitment kind (one of {', '.join(k.name for k in load_kinds())})")


def _date(text: Optional[str]) -> Optional[str]:
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        fail(f"--as-of {text[:80]!r}: not a date (YYYY-MM-DD)")


@app.command()
def explain(actor: str = typer.Argument(..., help="A country, person, organisation or group."),
            kind: Optional[str] = KIND_OPTION,
            as_of: Optional[str] = typer.Option(None, "--as-of", help="The stance as known on this "
                                                                       "date (YYYY-MM-DD)."),
            store: Optional[str] = STORE_OPTION):
    """Why an actor stands where it does: its groups, every claim on each kind by date, the
    stance they give (latest valid date, then confidence, then claim IRI), why the latest won or
    that the day is a conflict, and the quote and article (URL, outlet, date and its source).

    Exit codes: 0 explained; 2 cannot run (unknown actor or kind, no store, store locked);
    3 internal error.

    Example: stancegraph explain Iceland --kind ReassuranceForce --as-of 2025-09-05
    """
    from stancegraph.publish.explain import explain_lines

    iri, kind_iri, day = _actor(actor), _kind(kind), _date(as_of)
    for line in explain_lines(open_store_or_fail(store), iri, kind_iri, day):
        console.print(line, markup=False, highlight=False, soft_wrap=True)


@claim_app.command("show")
def claim_show(claim: str = typer.Argument(..., help="A claim id (the `claim` column of query "
                                                     "rows) or its full IRI."),
               store: Optional[str] = STORE_OPTION):
    """One claim: actor (and whom a speaker spoke for, or the group it was expanded from),
    relation, kind, date, confidence, quote, article (URL, outlet, date and its source), its
    review, and the stance of its (actor, kind) pair with the conflicting claims.

    Exit codes: 0 shown; 2 cannot run (unknown claim, no store, store locked); 3 internal error.

    Example: stancegraph claim show 3f2a9c1d0b7e4a55
    """
    from stancegraph.loaders.store.reviews import decisions
    from stancegraph.publish.explain import claim_iri, claim_lines, claims

    db = open_store_or_fail(store)
    iri = claim_iri(claim)
    found = claims(db, claim=iri)
    decided = decisions(db, claims=[iri])
    if not found and not decided:
        fail(f"{claim[:80]}: no such claim in the store")
    lines = claim_lines(db, found[0]) if found else _retracted_lines(decided[0])
    if decided:
        lines += [""] + _decision_lines(decided[0])
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def _retracted_lines(d) -> list[str]:
    from stancegraph.publish.explain import label

    o = d.original
    state = "retracted" if d.action == "retract" else "not loaded now"
    return [f"claim {d.claim.rsplit('/', 1)[-1]} <{d.claim}> [{state}]",
            f"  as extracted: {label(o.actor)} {o.relation.rsplit('#', 1)[-1]} {label(o.object)}",
            f"  quote: \u201c{o.quote}\u201d", f"  article: <{o.article}>"]


def _decision_lines(d) -> list[str]:
    from stancegraph.publish.explain import label

    lines = [f"review <{d.iri}>: {d.action} by {d.by} at {d.at}", f"  why: {d.why}"]
    if d.action == "correct":
        o = d.original
        for name, old, new in (("actor", o.actor, d.actor), ("relation", o.relation, d.relation),
                               ("kind", o.object, d.kind)):
            if new:
                lines.append(f"  {name}: {label(old)} -> {label(new)}")
    return lines


def _review(action: str, claim: str, by: str, why: str, store: Optional[str],
            actor: Optional[str] = None, relation: Optional[Rel] = None,
            kind: Optional[str] = None) -> None:
    from stancegraph.loaders.store.reviews import decide
    from stancegraph.ontology.vocab import SG_IRI
    from stancegraph.publish.explain import claim_iri, label

    a = _actor(actor) if actor else None
    k = _kind(kind)
    r = SG_IRI + relation.value if relation else None
    db = open_store_or_fail(store)
    try:
        d = decide(db, claim_iri(claim), action, by, why, actor=a, relation=r, kind=k)
    except InputError as e:
        fail(str(e), EXIT_CANNOT_RUN)
    pairs = sorted(f"{label(w)}/{label(kk)}" for w, kk in d.pairs())
    console.print(f"{action}: claim {d.claim.rsplit('/', 1)[-1]} by {d.by} at {d.at}; stances "
                  f"recomputed for {', '.join(pairs)}", markup=False, highlight=False, soft_wrap=True)


BY = typer.Option(..., "--by", help="Who decides (a name or handle).")
WHY = typer.Option(..., "--why", help="Why, in a sentence.")
CLAIM_ARG = typer.Argument(..., help="A claim id or IRI.")


@review_app.command("confirm")
def confirm(claim: str = CLAIM_ARG, by: str = BY, why: str = WHY, store: Optional[str] = STORE_OPTION):
    """Mark a claim right: it counts with confidence 1.00 and review status "confirmed".

    Exit codes: 0 recorded; 2 cannot run (unknown claim, no store, store locked); 3 internal error.

    Example: stancegraph review confirm 3f2a9c1d0b7e4a55 --by ana --why "checked the speech"
    """
    _review("confirm", claim, by, why, store)


@review_app.command("retract")
def retract(claim: str = CLAIM_ARG, by: str = BY, why: str = WHY, store: Optional[str] = STORE_OPTION):
    """Retract a claim: it counts in no stance and no saved question, also after a reload.

    Exit codes: 0 recorded; 2 cannot run (unknown claim, no store, store locked); 3 internal error.

    Example: stancegraph review retract 3f2a9c1d0b7e4a55 --by ana --why "Belgium only might send"
    """
    _review("retract", claim, by, why, store)


@review_app.command("correct")
def correct(claim: str = CLAIM_ARG, by: str = BY, why: str = WHY,
            actor: Optional[str] = typer.Option(None, "--actor", help="The right actor."),
            relation: Optional[Rel] = typer.Option(None, "--relation", help="The right relation."),
            kind: Optional[str] = KIND_OPTION, store: Optional[str] = STORE_OPTION):
    """Correct a claim's actor, relation and/or kind; it then counts as corrected (confidence
    1.00) for the corrected (actor, kind) pair.

    Exit codes: 0 recorded; 2 cannot run (unknown claim, actor or kind, nothing to correct, no
    store, store locked); 3 internal error.

    Example: stancegraph review correct 3f2a9c1d0b7e4a55 --relation undecided --by ana --why "might send"
    """
    _review("correct", claim, by, why, store, actor, relation, kind)


@review_app.command("export")
def review_export(output: Optional[Path] = typer.Option(None, "--output", "-o",
                                                        help="File to write (default: stdout)."),
                  store: Optional[str] = STORE_OPTION):
    """Write every review decision (graph/reviews) as N-Triples: for `review import` into
    another store, and for `stancegraph eval --reviews`.

    Exit codes: 0 written; 2 cannot run (no store, store locked, file not writable); 3 internal
    error.

    Example: stancegraph review export -o reviews.nt
    """
    from stancegraph.loaders.store.reviews import export_ntriples

    text = export_ntriples(open_store_or_fail(store))
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        fail(f"{output}: cannot write the file: {e.strerror or e}")


@review_app.command("import")
def review_import(file: Path = typer.Argument(..., help="A reviews file (N-Triples, Turtle, "
                                                        "TriG or N-Quads, e.g. from `review export` "
                                                        "or `export --format trig`)."),
                  store: Optional[str] = STORE_OPTION):
    """Record and apply the decisions of a reviews file (the latest per claim wins); claims not
    loaded yet get theirs when their article is loaded.

    Exit codes: 0 imported; 2 cannot run (unreadable or invalid file, no store, store locked);
    3 internal error.

    Example: stancegraph review import reviews.nt --store other-store
    """
    from stancegraph.loaders.store.reviews import import_decisions

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        fail(f"{file}: cannot read the file: {getattr(e, 'strerror', None) or e}")
    db = open_store_or_fail(store)
    try:
        n = import_decisions(db, text, str(file))
    except InputError as e:
        fail(str(e), EXIT_CANNOT_RUN)
    console.print(f"imported {n} review decisions", markup=False)


@app.command()
def remove(article: str = typer.Argument(..., help="The article's URL (or its source id)."),
           store: Optional[str] = STORE_OPTION):
    """Delete an article and its claims from the store; the stances it fed are recomputed.
    Review decisions about its claims are kept (they apply again if it is loaded again).

    Exit codes: 0 removed; 2 cannot run (no such article, no store, store locked); 3 internal
    error.

    Example: stancegraph remove https://example.org/news/article-1
    """
    from stancegraph.loaders.store.reviews import remove_article

    db = open_store_or_fail(store)
    removed = remove_article(db, article.strip())
    if not removed:
        fail(f"{article[:80]}: no article with this URL or source id in the store")
    console.print(f"removed {len(removed)} article{'s' if len(removed) > 1 else ''}: "
                  + ", ".join(removed), markup=False, highlight=False, soft_wrap=True)

