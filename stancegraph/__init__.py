"""stancegraph: political actors, their stances and commitments, as a validated graph."""
__version__ = "0.1.0"
