"""What every command module shares: the --store option, output formats, the one-line failure."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from stancegraph.loaders.errors import InputError, StoreError

from .output import err_console

STORE_OPTION = typer.Option(None, "--store", envvar="STANCEGRAPH_STORE",
                            help="Store directory, or the http(s) URL of a SPARQL 1.1 server "
                                 "(credentials in env STANCEGRAPH_STORE_USER/_PASSWORD or "
                                 "_TOKEN; default: env STANCEGRAPH_STORE, else the user data dir).")


class Fmt(str, Enum):
    table = "table"
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


def fail(message: str, code: int = 1) -> None:
    """One line on stderr, then exit non-zero: the way every user mistake ends."""
    err_console.print(f"error: {message}", markup=False)
    raise typer.Exit(code)


def open_store_or_fail(path: Optional[str | Path]):
    """The store, or one line and exit 2 when it cannot be opened or reached."""
    from stancegraph.loaders.store import open_store
    try:
        return open_store(path)
    except StoreError as e:
        fail(str(e), 2)
    except InputError as e:
        fail(str(e))
