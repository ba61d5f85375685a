"""`stancegraph queries | query | ask`: the saved questions of queries/."""
from __future__ import annotations

from enum import Enum
from typing import List, Optional

import typer

from stancegraph.queries.catalogue import QueryError, answer, get_query, load_catalogue

from .common import Fmt, STORE_OPTION, fail, open_store_or_fail
from .output import err_console, print_rows

app = typer.Typer()


class Engine(str, Enum):
    oxigraph = "oxigraph"
    neo4j = "neo4j"


@app.command("queries")
def list_queries(format: Fmt = typer.Option(Fmt.table, "--format", "-f")):
    """The saved-query catalogue: name, question, parameters.

    Exit codes: 0 listed; 2 bad usage; 3 internal error.

    Example: stancegraph queries --format json
    """
    rows = []
    for q in load_catalogue().values():
        params = "; ".join(f"{p.name} ({p.type}{', required' if p.required else ''}"
                           f"{', default ' + p.default if p.default else ''})" for p in q.params)
        rows.append((q.name, q.question, params or "-", ", ".join(q.returns),
                     "sparql+cypher" if q.cypher_path else "sparql"))
    print_rows(["name", "question", "parameters", "returns", "engines"], rows, format.value)


def _param_values(params: List[str], as_of: Optional[str], **filters: Optional[str]) -> dict[str, str]:
    values = {}
    for item in params:
        if "=" not in item:
            fail(f"--param {item!r}: write it as name=value, e.g. --param actor=Italy")
        key, value = item.split("=", 1)
        values[key.strip()] = value.strip()
    if as_of:
        values["as_of"] = as_of
    values.update({k: v for k, v in filters.items() if v is not None})
    return values


def run_and_print(name: str, values: dict[str, str], fmt: Fmt, store,
                  engine: Engine = Engine.oxigraph) -> int:
    """Run a saved query; `store` is a store location (None: the default) or an open store."""
    try:
        q = get_query(name)
        if engine is Engine.neo4j:
            columns, rows = _cypher_answer(q, values)
        else:
            db = store if hasattr(store, "select") else open_store_or_fail(store)
            columns, rows = answer(db, q, values)
    except QueryError as e:
        fail(str(e))
    if q.returns:
        keep = [columns.index(c) for c in q.returns if c in columns]
        columns, rows = [columns[i] for i in keep], [[r[i] for i in keep] for r in rows]
    print_rows(columns, rows, fmt.value, title=q.title if fmt in (Fmt.table, Fmt.wide) else None)
    return len(rows)


def _cypher_answer(q, values: dict[str, str]):
    """The Cypher twin's answer; a Neo4j that does not answer or refuses us is one line, exit 2."""
    from stancegraph.loaders.store.neo4j_queries import neo4j_failure, run_cypher_query

    try:
        return run_cypher_query(q, values)
    except Exception as e:  # noqa: BLE001 - neo4j_failure tells the driver's errors from bugs
        message = neo4j_failure(e)
        if message is None:
            raise
        fail(message)


@app.command()
def query(name: str = typer.Argument(..., help="A saved query (see `stancegraph queries`)."),
          param: List[str] = typer.Option([], "--param", "-p", help="name=value, repeatable."),
          as_of: Optional[str] = typer.Option(None, "--as-of", help="YYYY-MM-DD: the latest "
                                              "stance on or before this date."),
          since: Optional[str] = typer.Option(None, "--since", help="YYYY-MM-DD: only claims on "
                                              "or after this date."),
          min_confidence: Optional[str] = typer.Option(None, "--min-confidence",
                                                       help="0-1: only claims at least this confident."),
          outlet: Optional[str] = typer.Option(None, "--outlet", help="Only claims from this "
                                               "outlet's articles (its name)."),
          format: Fmt = typer.Option(Fmt.table, "--format", "-f"),
          engine: Engine = typer.Option(Engine.oxigraph, "--engine",
                                        help="oxigraph: the embedded store; neo4j: the projection."),
          store: Optional[str] = STORE_OPTION):
    """Answer a saved question; every row carries its evidence (quote, outlet, article, date).

    Exit codes: 0 answered (even with no rows); 2 cannot run (no store, unknown query or bad
    parameter, Neo4j unreachable or refusing the credentials); 3 internal error.

    Example: stancegraph query refused-troops --as-of 2025-09-01 --format csv
    """
    run_and_print(name, _param_values(param, as_of, since=since, min_confidence=min_confidence,
                                      outlet=outlet), format, store, engine)


@app.command()
def ask(question: str = typer.Argument(..., help="A question in words."),
        format: Fmt = typer.Option(Fmt.table, "--format", "-f"),
        store: Optional[str] = STORE_OPTION):
    """Read a question into one saved question and its parameters, say which, and answer it.
    It understands stances (refused, committed, undecided, conditional; "said no", "will not
    send"), changes, timelines, statements, profiles, the matrix, conflicts; any commitment kind
    of the ontology; any actor of the gazetteer; dates in words ("before 3 September 2025",
    "as of September 3": a date without a year takes the year of the store's newest article
    or the one before). When unsure it runs nothing and exits 2 with the closest saved questions.

    Exit codes: 0 answered; 2 nothing run (no store, or the question is not read: the closest
    saved questions are listed); 3 internal error.

    Example: stancegraph ask "who said no to sending soldiers before 3 September 2025?"
    """
    from stancegraph.queries.ask import describe, read_question, store_context

    db = open_store_or_fail(store)
    catalogue = load_catalogue()
    reference, outlets = store_context(db)
    reading = read_question(question, catalogue, reference, outlets)
    q = catalogue.get(reading.query) if reading.query else None
    # defaults worth saying: a kind; a date default only means "no limit"
    defaults = {p.name: p.default for p in q.params if p.default and p.type != "date"} if q else {}
    if not reading.runs:
        guess = f" (best guess: {describe(reading, defaults)})" if reading.query else ""
        err_console.print(f"error: ask: nothing run: {reading.problem}{guess}", markup=False)
        for name in reading.suggestions:
            err_console.print(f"  closest: stancegraph query {name}  — {catalogue[name].question}",
                              markup=False)
        raise typer.Exit(2)
    err_console.print(f"→ {describe(reading, defaults)} ({q.title})", markup=False)
    err_console.print("  read: " + "; ".join(reading.evidence), markup=False)
    run_and_print(reading.query, reading.values, format, db)
