"""Printing answers: claims as the fixed JSONL shape, result rows as table / CSV / JSON."""
from __future__ import annotations

import csv
import io
import json
import sys
from typing import Iterable, Sequence

from rich.console import Console
from rich.table import Table

from stancegraph.loaders.model import ActorRef, Claim

console = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)
TABLE_CELL_MAX = 120


def _actor_json(actor: ActorRef) -> dict:
    behalf = actor.on_behalf_of
    return {"id": actor.id, "label": actor.label, "type": actor.type,
            "on_behalf_of": {"id": behalf.id, "label": behalf.label} if behalf else None}


def claim_json(claim: Claim) -> dict:
    """The fixed `extract --format jsonl` record other tools read."""
    a = claim.article
    record = {
        "actor": _actor_json(claim.actor),
        "relation": claim.relation.value,
        "object": {"id": claim.object.id, "label": claim.object.label},
        "date": claim.date.isoformat(),
        "quote": claim.quote,
        "span": [claim.span[0], claim.span[1]],
        "confidence": claim.confidence,
        "claimer": {"label": claim.claimer} if claim.claimer else None,
        "article": {"id": a.id, "title": a.title, "url": a.url, "outlet": a.outlet,
                    "published": a.published.isoformat()},
    }
    if claim.event_date:
        record["event_date"] = claim.event_date.isoformat()
    if claim.derived_from:
        record["derived_from"] = {"id": claim.derived_from.id, "label": claim.derived_from.label}
    if claim.member_count:
        record["member_count"] = claim.member_count
    if claim.condition:
        record["condition"] = claim.condition
    record["article"]["date_source"] = a.date_source
    return record


def print_rows(columns: Sequence[str], rows: Iterable[Sequence[object]], fmt: str,
               title: str | None = None) -> None:
    """Rows as a rich table, CSV or a JSON list of objects. The table leaves out the columns
    that only trace a row (IRIs and URLs: `folded`) and says so under it; `wide` is the table
    with every column, CSV and JSON always have them."""
    rows = [["" if v is None else v for v in row] for row in rows]
    if fmt in ("table", "wide"):
        left_out = [c for c in columns if folded(c)] if fmt == "table" else []
        if len(left_out) == len(columns):
            left_out = []
        keep = [i for i, c in enumerate(columns) if c not in left_out]
        _table([columns[i] for i in keep], [[row[i] for i in keep] for row in rows], title)
        if left_out:
            err_console.print(f"(not in the table: {', '.join(left_out)}; --format wide, csv or "
                              "json shows them)", style="dim", markup=False)
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        print(buf.getvalue(), end="")
    elif fmt == "json":
        print(json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, indent=1,
                         default=str))


def folded(column: str) -> bool:
    """Columns that trace a row rather than tell it: IRIs, URLs and claim ids."""
    return column.endswith(("_iri", "_url", "claim"))


def _table(columns: Sequence[str], rows: list[list[object]], title: str | None) -> None:
    table = Table(title=title, show_lines=False, expand=False)
    for c in columns:
        table.add_column(c, overflow="fold", max_width=60 if c in ("quote", "position") else None)
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    console.print(table)


def _cell(value: object) -> str:
    """Table cells stay readable: long quotes are cut (CSV and JSON keep them whole)."""
    text = str(value)
    return text if len(text) <= TABLE_CELL_MAX else text[:TABLE_CELL_MAX - 1] + "…"
