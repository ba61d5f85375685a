"""The SPARQL 1.1 endpoint for partner tools (`stancegraph serve`)."""
from .server import Settings, serve

__all__ = ["Settings", "serve"]
