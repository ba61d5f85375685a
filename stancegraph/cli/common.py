"""What every command module shares: the --store option, input bounds, output formats, the
one-line failure and the exit codes.

Exit codes (documented in README and in each command's help, tested one by one):
0 ok · 1 some input refused, or violations · 2 cannot run (store missing or locked, Neo4j
unreachable, bad usage) · 3 internal error (a bug in stancegraph: please report it)."""
from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Optional, Sequence

import typer

from stancegraph.loaders.errors import InputError

from .output import err_console

EXIT_OK, EXIT_REFUSED, EXIT_CANNOT_RUN, EXIT_BUG = 0, 1, 2, 3
EXIT_CODES_HELP = ("Exit codes: 0 ok; 1 some input refused or violations; 2 cannot run (store "
                   "missing or locked, bad usage); 3 internal error.")

STORE_OPTION = typer.Option(None, "--store", envvar="STANCEGRAPH_STORE",
                            help="Store directory, or the http(s) URL of a SPARQL 1.1 server "
                                 "(credentials in env STANCEGRAPH_STORE_USER/_PASSWORD or "
                                 "_TOKEN; default: env STANCEGRAPH_STORE, else the user data dir).")


class Fmt(str, Enum):
    table = "table"         # without the columns that only trace a row (IRIs, URLs)
    wide = "wide"           # the table with every column
    csv = "csv"
    json = "json"


class ClaimFmt(str, Enum):
    jsonl = "jsonl"
    table = "table"


class ExportFmt(str, Enum):
    ttl = "ttl"
    nq = "nq"
    trig = "trig"
    nt = "nt"
    jsonld = "jsonld"
    csv = "csv"
    matrix_csv = "matrix-csv"
    xlsx = "xlsx"


def fail(message: str, code: int = EXIT_CANNOT_RUN) -> None:
    """One line on stderr, then exit non-zero: the way every command that cannot run ends."""
    err_console.print(f"error: {message}", markup=False)
    raise typer.Exit(code)


def open_store_or_fail(path: Optional[str | Path], create: bool = False):
    """The store at `path` (a directory or an http(s) URL; else STANCEGRAPH_STORE, else the
    user's data dir). Only `load` creates one: for every other command a missing store cannot
    run (exit 2), as does a store another process holds or a server that does not answer."""
    from stancegraph.loaders.store import default_store_path, is_store_url, open_store

    location = str(path) if path else os.environ.get("STANCEGRAPH_STORE", "")
    if not create and not is_store_url(location):
        where = Path(path) if path else default_store_path()
        if not is_store_dir(where):
            fail(f"{where}: no store here (`stancegraph load` creates one; choose another with "
                 "--store or STANCEGRAPH_STORE)")
    try:
        store = open_store(path)
    except InputError as e:             # StoreError, or a bad store setting: cannot run
        fail(str(e))
    bring_derived_up_to_date(store)
    return store


def bring_derived_up_to_date(store) -> None:
    """Derived stances written by an earlier version are brought up to date once (the previous
    version in place, older ones derived again), so no saved question reads an old shape."""
    if store.derived_outdated():
        err_console.print(f"note: {store.location}: the derived stances were written by an earlier "
                          "version; bringing them up to date (once)", markup=False)
        store.recompute_stances(detect=False)


def is_store_dir(path: Path) -> bool:
    """Does `path` hold an embedded store (the on-disk database's CURRENT file)?"""
    return (path.expanduser() / "CURRENT").is_file()


MAX_ERRORS_OPTION = typer.Option(None, "--max-errors", metavar="N",
                                 help="Print at most N error lines, then '… and M more' "
                                      "(env STANCEGRAPH_MAX_ERRORS; default 50).")
MAX_FILE_OPTION = typer.Option(None, "--max-file-size", metavar="BYTES",
                               help="Largest feed, page or dump file (env "
                                    "STANCEGRAPH_MAX_FILE_BYTES; default 20,000,000). JSONL is read "
                                    "line by line, whatever its size.")
MAX_LINE_OPTION = typer.Option(None, "--max-line", metavar="BYTES",
                               help="Longest JSONL line (env STANCEGRAPH_MAX_LINE_BYTES; "
                                    "default 5,000,000).")
MAX_DEPTH_OPTION = typer.Option(None, "--max-depth", metavar="N",
                                help="Deepest nesting of JSON values and feed elements (env "
                                     "STANCEGRAPH_MAX_DEPTH; default 100).")
MAX_TITLE_OPTION = typer.Option(None, "--max-title", metavar="CHARS",
                                help="Longest title (env STANCEGRAPH_MAX_TITLE_CHARS; default 1,000).")
MAX_BODY_OPTION = typer.Option(None, "--max-body", metavar="CHARS",
                               help="Longest article text (env STANCEGRAPH_MAX_BODY_CHARS; "
                                    "default 200,000).")


def input_limits(max_file_size: Optional[int], max_line: Optional[int], max_depth: Optional[int],
                 max_title: Optional[int], max_body: Optional[int]):
    """The readers' bounds: defaults, then the environment, then the command's options."""
    from stancegraph.loaders.read import Limits

    try:
        return Limits.from_env(max_file_bytes=max_file_size, max_line_bytes=max_line,
                               max_depth=max_depth, max_title_chars=max_title,
                               max_body_chars=max_body)
    except InputError as e:
        fail(str(e))


def max_errors(given: Optional[int]) -> int:
    if given is not None:
        return max(given, 0)
    env = os.environ.get("STANCEGRAPH_MAX_ERRORS", "").strip()
    if not env:
        return 50
    if not env.isdigit():
        fail(f"STANCEGRAPH_MAX_ERRORS: expected a whole number, got {env[:40]!r}")
    return int(env)


def print_lines(prefix: str, lines: Sequence[object], limit: int) -> None:
    """The first `limit` lines on stderr, then one '… and N more' line for the rest."""
    for line in lines[:limit]:
        err_console.print(f"{prefix}{line}", markup=False)
    if len(lines) > limit:
        err_console.print(f"… and {len(lines) - limit:,} more (see them with --max-errors "
                          f"{len(lines)})", markup=False)
