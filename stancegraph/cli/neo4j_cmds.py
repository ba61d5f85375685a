"""`stancegraph neo4j sync | style`: the Neo4j projection for Neo4j Browser and Cypher users."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import STORE_OPTION, fail, open_store_or_fail
from .output import console

app = typer.Typer(help="Project the graph into Neo4j (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD).\n\n"
                             "Example: stancegraph neo4j sync && stancegraph query refused-troops --engine neo4j",
                        no_args_is_help=True)


@app.command()
def sync(store: Optional[str] = STORE_OPTION,
         database: str = typer.Option("neo4j", envvar="NEO4J_DATABASE"),
         force: bool = typer.Option(False, "--force", help="Sync even if this Neo4j was fed by "
                                    "another store (its articles not in this store are removed).")):
    """Project the store into Neo4j: constraints, changed articles only, stance edges.

    Idempotent and incremental; connection from NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD.
    Neo4j remembers which store fed it: a sync from another store is refused without --force.

    Exit codes: 0 synced; 2 cannot run (no store, Neo4j unreachable or refusing the
    credentials, Neo4j fed by another store); 3 internal error.

    Example: eval "$(make -s neo4j-up)" && stancegraph neo4j sync
    """
    from stancegraph.loaders.errors import InputError
    from stancegraph.loaders.store.neo4j_queries import neo4j_driver, neo4j_failure
    from stancegraph.loaders.store.neo4j_source import sync_store

    db = open_store_or_fail(store)
    try:
        with neo4j_driver() as driver:
            report = sync_store(db, driver, database, force)
    except InputError as e:
        fail(str(e))
    except Exception as e:  # noqa: BLE001 - neo4j_failure tells the driver's errors from bugs
        message = neo4j_failure(e)
        if message is None:
            raise
        fail(message)
    articles = "article" if report.synced == 1 else "articles"
    console.print(f"synced {report.synced} {articles} ({report.unchanged} unchanged, {report.removed} "
                  f"removed); Neo4j holds {report.nodes} nodes and {report.relationships} "
                  f"relationships", markup=False)


STYLE_FILE = Path(__file__).resolve().parents[2] / "docker" / "neo4j-browser" / "style.grass"


@app.command()
def style(file: bool = typer.Option(False, "--file", help="Print the path of the GraSS file instead.")):
    """Print the Neo4j Browser style as a `:style` command to paste into the Browser.

    Colours per label, names as captions, relationship types as captions; stances coloured
    (REFUSES red, COMMITS green, UNDECIDED amber).

    Exit codes: 0 printed; 2 the style file is missing; 3 internal error.

    Example: stancegraph neo4j style | xclip
    """
    if not STYLE_FILE.exists():
        fail(f"{STYLE_FILE}: the style file is missing from this installation")
    if file:
        print(STYLE_FILE)
    else:
        print(":style " + " ".join(STYLE_FILE.read_text(encoding="utf-8").split()))
