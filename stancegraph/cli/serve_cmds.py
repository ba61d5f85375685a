"""`stancegraph serve`: the SPARQL 1.1 endpoint."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import STORE_OPTION

app = typer.Typer()


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="Address to bind (loopback by default)."),
          port: int = typer.Option(7878, help="Port to listen on."),
          timeout: float = typer.Option(30.0, help="Query time limit in seconds (answered as 408)."),
          max_body: int = typer.Option(1_000_000, help="Largest request body in bytes (413 above)."),
          max_result: int = typer.Option(50_000_000, help="Largest result in bytes (413 above)."),
          write_token: Optional[str] = typer.Option(None, envvar="STANCEGRAPH_WRITE_TOKEN",
                                                    help="Token that allows SPARQL Update and Graph "
                                                         "Store writes (default: a random one kept "
                                                         "in the store directory for local loads)."),
          store: Optional[Path] = STORE_OPTION):
    """Serve the store on a SPARQL 1.1 endpoint (/sparql), saved queries (/queries) and a query page (/).

    Read-only for everyone without the write token. While it runs, `stancegraph load` on the same
    store sends articles through it, so new answers include them at once.

    Example: stancegraph serve --port 7878 & curl -H 'Accept: text/csv' localhost:7878/queries/refused-troops
    """
    from stancegraph.loaders.store import default_store_path
    from stancegraph.serve import Settings
    from stancegraph.serve import serve as run

    run(Settings(store=Path(store) if store else default_store_path(), host=host, port=port,
                 timeout=timeout, max_body=max_body, max_result=max_result, write_token=write_token))
