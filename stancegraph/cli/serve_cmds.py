"""`stancegraph serve`: the SPARQL 1.1 endpoint."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .common import STORE_OPTION, fail

app = typer.Typer()


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="Address to bind (loopback by default)."),
          port: int = typer.Option(7878, help="Port to listen on."),
          timeout: float = typer.Option(30.0, help="Query time limit in seconds: the query is "
                                                   "stopped (its worker process killed) and "
                                                   "answered 408."),
          workers: int = typer.Option(0, help="Query worker processes (0: one per CPU, at least "
                                              "2); with a remote store, requests in flight to it "
                                              "(0: 16)."),
          allow_service: Optional[List[str]] = typer.Option(
              None, "--allow-service", help="A host (or host:port) that SPARQL SERVICE may reach; "
                                            "repeatable. Without it SERVICE is refused."),
          max_body: int = typer.Option(1_000_000, help="Largest request body in bytes (413 above)."),
          max_result: int = typer.Option(50_000_000, help="Largest result in bytes (413 above)."),
          body_timeout: float = typer.Option(0.5, help="Longest silence inside a request body, in "
                                                       "seconds (408 after)."),
          header_timeout: float = typer.Option(10.0, help="Time for a client to send the request "
                                                          "headers, in seconds (408 after; "
                                                          "against slow-header attacks)."),
          write_timeout: float = typer.Option(300.0, help="Time limit of one update or graph write."),
          result_cache: int = typer.Option(64, help="MB of answers kept until the next write "
                                                    "(a repeated question needs no worker); 0: off."),
          write_token: Optional[str] = typer.Option(None, envvar="STANCEGRAPH_WRITE_TOKEN",
                                                    help="Token that allows SPARQL Update and Graph "
                                                         "Store writes (default: a random one kept "
                                                         "in the store directory for local loads)."),
          store: Optional[str] = STORE_OPTION):
    """Serve the store on a SPARQL 1.1 endpoint (/sparql), saved queries (/queries) and a query page (/).

    Read-only for everyone without the write token. While it runs, `stancegraph load` on the same
    store sends articles through it, so new answers include them at once. With `--store
    http(s)://…` it stands in front of a SPARQL 1.1 server (Fuseki, GraphDB…; credentials in env
    STANCEGRAPH_STORE_USER/_PASSWORD or _TOKEN): reads are forwarded within the same limits,
    writes need `--write-token` and are forwarded too. Exit 2 when it cannot start (store already
    served or locked, port in use, remote store unreachable).

    Example: stancegraph serve --port 7878 & curl -H 'Accept: text/csv' localhost:7878/queries/refused-troops
    """
    from stancegraph.loaders.store import default_store_path, is_store_url
    from stancegraph.serve import ServeError, Settings
    from stancegraph.serve import serve as run

    try:
        where = (store if is_store_url(store) else Path(store)) if store else default_store_path()
        _derived_up_to_date(where)
        run(Settings(store=where, host=host, port=port,
                     timeout=timeout, max_body=max_body, max_result=max_result,
                     write_token=write_token, workers=workers,
                     allow_service=tuple(allow_service or ()), body_timeout=body_timeout,
                     header_timeout=header_timeout, write_timeout=write_timeout,
                     result_cache_mb=result_cache))
    except ServeError as e:
        fail(str(e), 2)


def _derived_up_to_date(where) -> None:
    """Before serving: derived stances of an earlier version brought up to date (the query
    workers only read). A store that cannot be opened is left to `serve` to report."""
    from stancegraph.loaders.errors import InputError
    from stancegraph.loaders.store import close_store, is_store_url, open_store

    from .common import bring_derived_up_to_date, is_store_dir

    if not is_store_url(str(where)) and not is_store_dir(Path(where)):
        return
    try:
        opened = open_store(where)
    except InputError:
        return
    try:
        bring_derived_up_to_date(opened)
    finally:
        close_store(where)
