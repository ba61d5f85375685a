"""`stancegraph load | extract | validate`: articles in, claims out, the SHACL verdict."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from stancegraph.loaders.errors import InputError

from .common import STORE_OPTION, ClaimFmt, fail, open_store_or_fail
from .output import claim_json, console, err_console, print_rows

app = typer.Typer()


@app.command()
def load(sources: List[str] = typer.Argument(..., help="Files, directories or http(s) URLs: "
                                             "RSS/Atom feeds, HTML pages, JSONL, reader dumps."),
         store: Optional[str] = STORE_OPTION,
         quiet: bool = typer.Option(False, "--quiet", "-q", help="Only errors and the summary."),
         jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1,
                                            help="Worker processes for extraction, mapping and "
                                                 "validation (default: the number of cores).")):
    """Load articles into the store: extract claims, validate with SHACL, commit per article.

    Idempotent: loading the same article twice changes nothing; a changed article replaces
    exactly its own facts. Articles are processed in parallel (--jobs) and committed one
    transaction each, in input order.

    Example: stancegraph load ../shared/corpus/dev/euromaidan-reader-dump.txt examples/
    """
    from rich.progress import Progress

    from stancegraph.loaders.pipeline import LoadReport, load_articles
    from stancegraph.loaders.read import read_sources

    errors: list[InputError] = []
    articles = read_sources(sources, errors)
    report = LoadReport(errors=[str(e) for e in errors])
    db = open_store_or_fail(store)
    total = len(articles) if hasattr(articles, "__len__") else None
    with Progress(console=err_console, transient=True, disable=quiet or (total or 5) < 5) as bar:
        task = bar.add_task("loading", total=total)
        load_articles(articles, db, progress=lambda a: bar.advance(task), report=report, jobs=jobs)
    for line in report.errors:
        err_console.print(f"error: {line}", markup=False)
    for line in report.rejected:
        err_console.print(f"rejected: {line}", markup=False)
    console.print(f"loaded {report.summary()}", markup=False)
    if report.errors or report.rejected:
        raise typer.Exit(1)


@app.command()
def extract(sources: List[str] = typer.Argument(..., help="Files, directories or URLs."),
            format: ClaimFmt = typer.Option(ClaimFmt.table, "--format", "-f",
                                            help="jsonl: one claim per line (fixed shape)."),
            uncoded: bool = typer.Option(False, "--uncoded",
                                         help="Print the sentences the rules could not code."),
            jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1,
                                               help="Worker processes (default: the cores).")):
    """Print the claims found in articles, without touching any store. Each article's claims
    are written as soon as they are found (in input order), so output starts at once and
    memory stays flat on any number of articles.

    Example: stancegraph extract ../shared/corpus/dev/euromaidan-reader-dump.txt --format jsonl
    """
    from stancegraph.loaders.parallel import ordered_map
    from stancegraph.loaders.read import read_sources

    errors: list[InputError] = []
    articles = read_sources(sources, errors)
    for e in errors:
        err_console.print(f"error: {e}", markup=False)
    seen = 0
    step = _uncoded_lines if uncoded else _claim_lines if format is ClaimFmt.jsonl else _claim_rows
    for article, out in ordered_map(step, articles, jobs):
        seen += 1
        if format is ClaimFmt.jsonl or uncoded:
            sys.stdout.write(out)
            sys.stdout.flush()
        elif out:
            print_rows(["date", "actor", "relation", "object", "confidence", "quote"], out,
                       "table", title=article.title)
    if errors and not seen:
        raise typer.Exit(1)


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

    Exit code 0: conforms; 1: violations; 2: the input could not be read.

    Example: stancegraph validate && stancegraph validate broken.ttl
    """
    from stancegraph.loaders.validate import validate_file, validate_store

    try:
        report = validate_file(file) if file else validate_store(open_store_or_fail(store))
    except InputError as e:
        fail(str(e), 2)
    for line in report.lines():
        console.print(line, markup=False)
    if report.conforms:
        console.print("conforms", markup=False)
    else:
        console.print(f"{len(report.violations)} violations", markup=False)
        raise typer.Exit(1)
