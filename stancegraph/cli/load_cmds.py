"""`stancegraph load | extract | validate`: articles in, claims out, the SHACL verdict."""
from __future__ import annotations

import json
import sys
from functools import partial
from pathlib import Path
from typing import List, Optional

import typer

from stancegraph.loaders.errors import InputError

from .common import (EXIT_CANNOT_RUN, EXIT_REFUSED, MAX_BODY_OPTION, MAX_DEPTH_OPTION,
                     MAX_ERRORS_OPTION, MAX_FILE_OPTION, MAX_LINE_OPTION, MAX_TITLE_OPTION,
                     STORE_OPTION, ClaimFmt, fail, input_limits, max_errors, open_store_or_fail,
                     print_lines)
from .output import claim_json, console, err_console, print_rows

app = typer.Typer()


@app.command()
def load(sources: List[str] = typer.Argument(..., help="Files, directories or http(s) URLs: "
                                             "RSS/Atom feeds, HTML pages, JSONL, reader dumps."),
         store: Optional[str] = STORE_OPTION,
         quiet: bool = typer.Option(False, "--quiet", "-q", help="Only errors and the summary."),
         jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1,
                                            help="Worker processes for extraction, mapping and "
                                                 "validation (default: the number of cores)."),
         commit_every: Optional[int] = typer.Option(
             None, "--commit-every", min=1, help="New articles written at a time into the "
             "embedded store, each batch all or nothing (default 1000; 1: one transaction per "
             "article)."),
         max_errors_: Optional[int] = MAX_ERRORS_OPTION,
         max_file_size: Optional[int] = MAX_FILE_OPTION,
         max_line: Optional[int] = MAX_LINE_OPTION,
         max_depth: Optional[int] = MAX_DEPTH_OPTION,
         max_title: Optional[int] = MAX_TITLE_OPTION,
         max_body: Optional[int] = MAX_BODY_OPTION):
    """Load articles into the store (created if missing): extract claims, validate with SHACL,
    commit in input order.

    Idempotent: loading the same article twice changes nothing; a changed article replaces
    exactly its own facts. Articles are processed in parallel (--jobs) and committed in input
    order, each one whole or not at all: a replaced article in a transaction of its own, new
    articles into the embedded store --commit-every at a time (one all-or-nothing bulk write;
    a server store takes one transaction per article). Each bad file, line, entry or article
    is one `error:` line and the rest of the batch goes in; the summary always prints.

    Exit codes: 0 every article loaded; 1 some input refused (error or rejected lines); 2 cannot
    run (store locked, bad usage); 3 internal error.

    Example: stancegraph load ../shared/corpus/dev/euromaidan-reader-dump.txt examples/
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from stancegraph.loaders.pipeline import LoadReport, load_articles
    from stancegraph.loaders.read import read_sources

    limits = input_limits(max_file_size, max_line, max_depth, max_title, max_body)
    shown_errors = max_errors(max_errors_)
    db = open_store_or_fail(store, create=True)
    report = LoadReport()
    articles = read_sources(sources, report.errors, limits)
    try:
        with Progress(SpinnerColumn(), TextColumn("loading: {task.completed} articles"),
                      console=err_console, transient=True,
                      disable=quiet or not err_console.is_terminal) as bar:
            task = bar.add_task("loading", total=None)
            load_articles(articles, db, progress=lambda a: bar.advance(task), report=report,
                          jobs=jobs, commit_every=commit_every)
    finally:
        print_lines("error: ", report.errors, shown_errors)
        print_lines("rejected: ", report.rejected, shown_errors)
        console.print(f"loaded {report.summary()}", markup=False)
    if report.errors or report.rejected:
        raise typer.Exit(EXIT_REFUSED)


@app.command()
def extract(sources: List[str] = typer.Argument(..., help="Files, directories or URLs."),
            format: ClaimFmt = typer.Option(ClaimFmt.table, "--format", "-f",
                                            help="jsonl: one claim per line (fixed shape)."),
            uncoded: bool = typer.Option(False, "--uncoded",
                                         help="Print the sentences the rules could not code."),
            jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1,
                                               help="Worker processes (default: the cores)."),
            max_errors_: Optional[int] = MAX_ERRORS_OPTION,
            max_file_size: Optional[int] = MAX_FILE_OPTION,
            max_line: Optional[int] = MAX_LINE_OPTION,
            max_depth: Optional[int] = MAX_DEPTH_OPTION,
            max_title: Optional[int] = MAX_TITLE_OPTION,
            max_body: Optional[int] = MAX_BODY_OPTION):
    """Print the claims found in articles, without touching any store. Each article's claims
    are written as soon as they are found (in input order), so output starts at once and
    memory stays flat on any number of articles.

    Exit codes: 0 every input read; 1 some input refused (error lines; the claims of the
    rest are printed); 2 bad usage; 3 internal error.

    Example: stancegraph extract ../shared/corpus/dev/euromaidan-reader-dump.txt --format jsonl
    """
    from stancegraph.loaders.parallel import ordered_map
    from stancegraph.loaders.read import read_sources

    limits = input_limits(max_file_size, max_line, max_depth, max_title, max_body)
    errors: list[InputError] = []
    step = _uncoded_lines if uncoded else _claim_lines if format is ClaimFmt.jsonl else _claim_rows
    try:
        for article, out, error in ordered_map(partial(_guarded, step),
                                               read_sources(sources, errors, limits), jobs):
            if error is not None:
                errors.append(error)
            elif format is ClaimFmt.jsonl or uncoded:
                sys.stdout.write(out)
                sys.stdout.flush()
            elif out:
                print_rows(["date", "actor", "relation", "object", "confidence", "quote"], out,
                           "table", title=article.title)
    finally:
        print_lines("error: ", errors, max_errors(max_errors_))
    if errors:
        raise typer.Exit(EXIT_REFUSED)


def _guarded(step, article) -> tuple:
    """`step` on one article in a worker, behind the per-article boundary: (article, output,
    None), or (article, None, its InputError); a bug raises with STANCEGRAPH_DEBUG."""
    from stancegraph.loaders.errors import as_input_error, debugging

    try:
        return (*step(article), None)
    except Exception as e:  # noqa: BLE001 - one article's failure must not stop the others
        if debugging() and not isinstance(e, InputError):
            raise
        return article, None, as_input_error(e, article.source, article.position,
                                             "cannot extract from this article")


def _claim_lines(article) -> tuple:
    """One article's claims as JSONL text (run in a worker)."""
    from stancegraph.loaders.extract import extract_claims

    return article, "".join(json.dumps(claim_json(c), ensure_ascii=False) + "\n"
                            for c in extract_claims(article, llm="env"))


def _claim_rows(article) -> tuple:
    """One article's claims as table rows (run in a worker)."""
    from stancegraph.loaders.extract import extract_claims

    return article, [(c.date, c.actor.label + (f" ({c.actor.on_behalf_of.label})"
                                               if c.actor.on_behalf_of else ""),
                      c.relation.value, c.object.label, c.confidence, c.quote)
                     for c in extract_claims(article, llm="env")]


def _uncoded_lines(article) -> tuple:
    """One article's uncoded sentences as JSONL text (run in a worker)."""
    from stancegraph.loaders.extract import uncoded_sentences

    return article, "".join(json.dumps({"article": article.title, "span": list(u.span),
                                        "actors": list(u.actors), "cues": list(u.cues),
                                        "sentence": u.sentence}, ensure_ascii=False) + "\n"
                            for u in uncoded_sentences(article))


@app.command("validate")
def validate_cmd(file: Optional[Path] = typer.Argument(None, help="A Turtle/TriG file to validate "
                                                       "instead of the store."),
                 store: Optional[str] = STORE_OPTION):
    """SHACL report over the store (article by article) or over a file.

    Exit codes: 0 conforms; 1 violations; 2 cannot run (no store, store locked, the file cannot
    be read or parsed); 3 internal error.

    Example: stancegraph validate && stancegraph validate broken.ttl
    """
    from stancegraph.loaders.validate import validate_file, validate_store

    try:
        report = validate_file(file) if file else validate_store(open_store_or_fail(store))
    except InputError as e:
        fail(str(e), EXIT_CANNOT_RUN)
    for line in report.lines():
        console.print(line, markup=False)
    if report.conforms:
        console.print("conforms", markup=False)
    else:
        console.print(f"{len(report.violations)} violations", markup=False)
        raise typer.Exit(EXIT_REFUSED)
