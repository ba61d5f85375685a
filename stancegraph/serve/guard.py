"""SERVICE guard: a query or update may reach out through `SERVICE <url>` only to hosts the
operator named (`--allow-service HOST`). Anything else is refused before it runs.

A cheap screen first: a query without the letters `service` (any case, escapes undone) cannot
hold the keyword. Queries that have them are parsed by rdflib's full SPARQL grammar and every
SERVICE pattern's target is resolved (PREFIX, BASE); one that cannot be parsed or resolved is
refused (fail closed). The workers are also sandboxed against opening network sockets when no
host is allowed (see sandbox.py), so a parser disagreement cannot become a request."""
from __future__ import annotations

import re
import urllib.parse

_MAYBE = re.compile(r"(?i:service)|\\[uU]")      # one C scan: nothing else can spell SERVICE
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class ServiceRefused(ValueError):
    """A SERVICE call to a host the operator did not allow."""


def check_service(sparql: str, allowed: frozenset[str], update: bool = False) -> None:
    """Raise ServiceRefused unless every SERVICE target is on an allowed host."""
    if not _MAYBE.search(sparql) or "service" not in _unescaped(sparql).lower():
        return
    targets = service_targets(sparql, update)
    if targets is None:
        raise ServiceRefused("the request mentions SERVICE and could not be checked; "
                             "federated queries are refused unless the operator allows the host")
    for target in targets:
        host = _host(target)
        if host is None or not ({host[0], f"{host[0]}:{host[1]}"} & allowed):
            shown = target if target else "a variable"
            hint = (f"allowed hosts: {', '.join(sorted(allowed))}" if allowed else
                    "this endpoint allows none (the operator can start it with --allow-service HOST)")
            raise ServiceRefused(f"SERVICE {shown[:80]} is refused: {hint}")


def service_targets(sparql: str, update: bool = False) -> list[str | None] | None:
    """Absolute IRIs of every SERVICE pattern (None for a variable target); None if the text
    does not parse."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = (parseUpdate if update else parseQuery)(sparql)
    except Exception:        # noqa: BLE001 — any parser failure means "cannot check": refuse
        return None
    prefixes: dict[str, str] = {}
    base = [""]
    targets: list[str | None] = []

    def visit(node) -> None:
        if isinstance(node, CompValue):
            if node.name == "PrefixDecl":
                prefixes[str(node.get("prefix") or "")] = str(node["iri"])
            elif node.name == "Base":
                base[0] = urllib.parse.urljoin(base[0], str(node["iri"]))
            elif node.name == "ServiceGraphPattern":
                targets.append(_resolve(node["term"], prefixes, base[0]))
            for value in node.values():
                visit(value)
        elif isinstance(node, (list, tuple, ParseResults)):
            for value in node:
                visit(value)

    visit(tree)
    return targets


def _resolve(term, prefixes: dict[str, str], base: str) -> str | None:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef

    if isinstance(term, CompValue) and term.name == "pname":
        prefix = str(term.get("prefix") or "")
        if prefix not in prefixes:
            return None
        return urllib.parse.urljoin(base, prefixes[prefix] + str(term.get("localname") or ""))
    if isinstance(term, URIRef):
        return urllib.parse.urljoin(base, str(term))
    return None


def _host(iri: str | None) -> tuple[str, int] | None:
    if not iri:
        return None
    parts = urllib.parse.urlsplit(iri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    return parts.hostname.lower(), port


def _unescaped(text: str) -> str:
    if "\\u" not in text and "\\U" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16))
                       if int(m.group(1) or m.group(2), 16) < 0x110000 else "", text)
