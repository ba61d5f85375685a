"""The extractor's version: a name bumped by hand when the rules change meaning, plus a digest of
everything the rules read (loaders/extract/*.py, kinds.ttl, the gazetteer), so an article's
fingerprint changes, and a reload re-extracts it, whenever extraction could give other claims."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

EXTRACTOR = "rules/2.0"

_LOADERS = Path(__file__).resolve().parent
_ONTOLOGY = _LOADERS.parent / "ontology"


@lru_cache(maxsize=1)
def rules_digest() -> str:
    """SHA-256 (first 16 hex digits) of EXTRACTOR and the rule files, in path order."""
    files = sorted((_LOADERS / "extract").glob("*.py")) + [_ONTOLOGY / "kinds.ttl"] + \
        sorted((_ONTOLOGY / "gazetteer").glob("*.ttl"))
    h = hashlib.sha256(EXTRACTOR.encode("utf-8"))
    for path in files:
        h.update(path.name.encode("utf-8") + b"\x1f" + path.read_bytes() + b"\x1e")
    return h.hexdigest()[:16]


def extractor_version() -> str:
    """"rules/2.0+<digest>": what an article's fingerprint records about its extraction."""
    return f"{EXTRACTOR}+{rules_digest()}"
