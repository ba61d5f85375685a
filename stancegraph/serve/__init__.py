"""The SPARQL 1.1 endpoint for partner tools (`stancegraph serve`)."""
from .server import ServeError, Settings, serve

__all__ = ["ServeError", "Settings", "serve"]
