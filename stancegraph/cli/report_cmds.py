"""`stancegraph report`: the store as one self-contained HTML page (matrix, timelines, uncoded)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from stancegraph.queries.catalogue import QueryError

from .common import STORE_OPTION, fail, open_store_or_fail

app = typer.Typer()


@app.command()
def report(output: Path = typer.Option(Path("report.html"), "--output", "-o",
                                       help="The HTML file to write."),
           as_of: Optional[str] = typer.Option(None, "--as-of",
                                               help="YYYY-MM-DD: latest stances on or before this date."),
           store: Optional[str] = STORE_OPTION):
    """One HTML page to look at: the actor x kind matrix coloured by latest stance (hover a
    cell: quote, outlet, date), a stance timeline per actor with its changes, and the count of
    uncoded sentences. Self-contained: nothing is fetched when it is viewed.

    Exit codes: 0 written; 2 cannot run (no store, bad --as-of, the file cannot be written);
    3 internal error.

    Example: stancegraph report -o report.html && xdg-open report.html
    """
    from stancegraph.publish.report_data import gather
    from stancegraph.publish.report_html import render

    db = open_store_or_fail(store)
    try:
        data = gather(db, as_of)
    except QueryError as e:
        fail(str(e), 2)
    try:
        output.write_text(render(data), encoding="utf-8")
    except OSError as e:
        fail(f"{output}: cannot write the report ({e.strerror or e})", 2)
    print(f"wrote {output}: {len(data.matrix.actors)} actors x {len(data.matrix.kinds)} kinds, "
          f"{sum(len(t.points) for t in data.timelines)} timeline points, "
          f"{len(data.uncoded)} uncoded sentences")
