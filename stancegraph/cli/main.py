"""The `stancegraph` command: a thin layer over the library (loaders, queries, stores).

Every command group lives in its own module with its own `typer.Typer()`; this file is the one
place that brings them together, so the whole command line can be read from the list below."""
from __future__ import annotations

import sys
import traceback

import typer
from typer.core import TyperGroup

from stancegraph.loaders.errors import StoreError

from . import load_cmds, neo4j_cmds, query_cmds, report_cmds, review_cmds, serve_cmds, store_cmds


class _Commands(TyperGroup):
    """Every command: a store that fails mid-way (server gone, credentials refused) ends in one
    line and exit code 2, not a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except StoreError as e:
            from .common import fail

            fail(str(e), 2)


app = typer.Typer(
    cls=_Commands, name="stancegraph", no_args_is_help=True, add_completion=False, rich_markup_mode=None,
    help="Political actors, their stances and commitments, from news articles, as a validated "
         "graph.\n\nExample: stancegraph load examples/ && stancegraph query refused-troops",
)

# Top-level commands, in the order `--help` lists them.
COMMAND_GROUPS = (
    load_cmds.app,       # load, extract, validate
    query_cmds.app,      # queries, query, ask
    store_cmds.app,      # stats, export
    report_cmds.app,     # report
    review_cmds.app,     # explain, claim show, review confirm|retract|correct|export|import, remove
    serve_cmds.app,      # serve
)
for group in COMMAND_GROUPS:
    app.add_typer(group)
app.add_typer(neo4j_cmds.app, name="neo4j")   # neo4j sync | style


def main() -> None:
    """The console script: the app, whose exit codes (cli/common.py) typer keeps for usage
    errors (2) and Ctrl-C (130); a bug is one line and exit 3 for a user (never exit 1), its
    traceback and exit 3 with STANCEGRAPH_DEBUG=1."""
    from stancegraph.loaders.errors import debugging, one_line

    from .common import EXIT_BUG

    try:
        app()
    except Exception as e:  # noqa: BLE001 - the last boundary
        if debugging():
            traceback.print_exc()
            sys.exit(EXIT_BUG)
        print("error: internal error (" + one_line(f"{type(e).__name__}: {e}", 200) + "); this is "
              "a bug in stancegraph: run again with STANCEGRAPH_DEBUG=1 for the traceback and "
              "please report it", file=sys.stderr)
        sys.exit(EXIT_BUG)


if __name__ == "__main__":  # pragma: no cover
    main()
