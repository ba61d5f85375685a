"""`stancegraph neo4j sync | style`: the Neo4j projection for Neo4j Browser and Cypher users."""
from __future__ import annotations

import os
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
         database: str = typer.Option("neo4j", envvar="NEO4J_DATABASE")):
    """Project the store into Neo4j: constraints, changed articles only, stance edges.

    Idempotent and incremental; connection from NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD.

    Example: eval "$(make -s neo4j-up)" && stancegraph neo4j sync
    """
    from neo4j.exceptions import AuthError, ServiceUnavailable

    from stancegraph.loaders.store.neo4j import project_to_neo4j
    from stancegraph.loaders.store.neo4j_queries import neo4j_driver

    uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
    try:
        with neo4j_driver() as driver:
            report = project_to_neo4j(open_store_or_fail(store), driver, database)
    except ServiceUnavailable:
        fail(f"no Neo4j answers at {uri} (start one with `make neo4j-up`)")
    except AuthError:
        fail(f"Neo4j at {uri} refused the credentials in NEO4J_USER / NEO4J_PASSWORD")
    console.print(f"synced {report.synced} articles ({report.unchanged} unchanged, {report.removed} "
                  f"removed); Neo4j holds {report.nodes} nodes and {report.relationships} "
                  f"relationships", markup=False)


STYLE_FILE = Path(__file__).resolve().parents[2] / "docker" / "neo4j-browser" / "style.grass"


@app.command()
def style(file: bool = typer.Option(False, "--file", help="Print the path of the GraSS file instead.")):
    """Print the Neo4j Browser style as a `:style` command to paste into the Browser.

    Colours per label, names as captions, relationship types as captions; stances coloured
    (REFUSES red, COMMITS green, UNDECIDED amber).

    Example: stancegraph neo4j style | xclip
    """
    if not STYLE_FILE.exists():
        fail(f"{STYLE_FILE}: the style file is missing from this installation")
    if file:
        print(STYLE_FILE)
    else:
        print(":style " + " ".join(STYLE_FILE.read_text(encoding="utf-8").split()))
