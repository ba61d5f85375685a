"""`stancegraph stats | export`: what the store holds."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from .common import ExportFmt, Fmt, STORE_OPTION, open_store_or_fail
from .output import print_rows

app = typer.Typer()


@app.command()
def stats(format: Fmt = typer.Option(Fmt.table, "--format", "-f"),
          store: Optional[Path] = STORE_OPTION):
    """Counts of articles, claims, triples, outlets and actors in the store.

    Example: stancegraph stats --format json
    """
    numbers = open_store_or_fail(store).stats()
    if format is Fmt.json:
        print(json.dumps(numbers, indent=1))
    else:
        print_rows(["measure", "value"], list(numbers.items()), format.value)


@app.command()
def export(format: ExportFmt = typer.Option(ExportFmt.trig, "--format", "-f",
                                            help="ttl/nt: union of graphs; nq/trig/jsonld: "
                                                 "named graphs kept."),
           output: Optional[Path] = typer.Option(None, "--output", "-o",
                                                 help="File to write (default: stdout)."),
           store: Optional[Path] = STORE_OPTION):
    """Write the whole graph in an RDF format.

    Example: stancegraph export --format ttl -o graph.ttl
    """
    db = open_store_or_fail(store)
    if output:
        with open(output, "wb") as out:
            db.export(format.value, out)
    else:
        db.export(format.value, sys.stdout.buffer)
        sys.stdout.buffer.flush()
