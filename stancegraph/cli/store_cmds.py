"""`stancegraph stats | export`: what the store holds."""
from __future__ import annotations

import io
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from stancegraph.ontology.context import CONTEXT_IRI

from .common import ExportFmt, Fmt, STORE_OPTION, fail, open_store_or_fail
from .output import print_rows

app = typer.Typer()


@app.command()
def stats(format: Fmt = typer.Option(Fmt.table, "--format", "-f"),
          store: Optional[str] = STORE_OPTION):
    """Counts of articles, claims, triples, outlets and actors in the store.

    Exit codes: 0 counted; 2 cannot run (no store, store locked); 3 internal error.

    Example: stancegraph stats --format json
    """
    numbers = open_store_or_fail(store).stats()
    if format is Fmt.json:
        print(json.dumps(numbers, indent=1))
    else:
        print_rows(["measure", "value"], list(numbers.items()), format.value)


class JsonLdContext(str, Enum):
    embed = "embed"
    reference = "reference"


@app.command()
def export(format: ExportFmt = typer.Option(ExportFmt.trig, "--format", "-f",
                                            help="ttl/nt: union of graphs; nq/trig: named graphs "
                                                 "kept; jsonld: named graphs, compacted with the "
                                                 "stancegraph @context; csv: one row per claim with "
                                                 "its provenance; matrix-csv: actor x kind latest "
                                                 "stances; xlsx: both as sheets."),
           output: Optional[Path] = typer.Option(None, "--output", "-o",
                                                 help="File to write (default: stdout)."),
           context: JsonLdContext = typer.Option(JsonLdContext.embed, "--context",
                                                 help="jsonld: embed the @context, or reference "
                                                      "its published IRI (" + CONTEXT_IRI + ")."),
           store: Optional[str] = STORE_OPTION):
    """Write the whole graph in an RDF format, or the claims and the matrix as spreadsheets.

    Exit codes: 0 written; 2 cannot run (no store, store locked, the output file cannot be
    written); 3 internal error.

    Example: stancegraph export --format csv -o claims.csv
    """
    db = open_store_or_fail(store)
    try:
        out = open(output, "wb") if output else sys.stdout.buffer
    except OSError as e:
        fail(f"{output}: cannot write the file: {e.strerror or e}")
    try:
        _write(db, format, context, out)
    finally:
        if output:
            out.close()
        else:
            out.flush()


def _write(db, format: ExportFmt, context: JsonLdContext, out) -> None:
    from stancegraph.publish import tables

    if format is ExportFmt.jsonld:
        from stancegraph.publish.jsonld import write_jsonld
        write_jsonld(db, out, reference=context is JsonLdContext.reference)
    elif format in (ExportFmt.csv, ExportFmt.matrix_csv):
        table = (tables.claim_table(db) if format is ExportFmt.csv
                 else tables.matrix_table(tables.commitment_matrix(db)))
        text = io.StringIO()
        tables.write_csv(table, text)
        out.write(text.getvalue().encode("utf-8"))
    elif format is ExportFmt.xlsx:
        from stancegraph.publish.xlsx import write_xlsx
        buffer = io.BytesIO()
        write_xlsx([("claims", tables.claim_table(db)),
                    ("matrix", tables.matrix_table(tables.commitment_matrix(db)))], buffer)
        out.write(buffer.getvalue())
    else:
        db.export(format.value, out)
