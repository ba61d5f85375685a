"""The saved-query catalogue: one file per analyst question, its header read here.

Header lines (SPARQL `#` or Cypher `//` comments): `title:`, `question:`, one `params:` line
per parameter — `name (type, optional|required[, default X]) — description` — `returns:` and
`keywords:`. Types: date, kind, actor, outlet, confidence (a number from 0 to 1), text, int.

Binding is by value, never by pasting user text: each parameter's value is validated and turned
into an RDF term (a date literal, a kind, gazetteer or outlet IRI, a decimal) and that term,
serialized by the RDF library, replaces the query's own placeholder `VALUES ?name { … }` (for
IRI-typed parameters (actor, kind, outlet) `VALUES ?name_param { … }`). A parameter left out keeps the file's placeholder
(usually `UNDEF`: no filter). The file stays a runnable query with its placeholder defaults."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
_PARAM = re.compile(r"^(\w+)\s*\(\s*(\w+)\s*,\s*(optional|required)(?:\s*,\s*default\s+([^)]+?))?\s*\)"
                    r"\s*(?:[—–-]+\s*(.*))?$")


class QueryError(ValueError):
    """A saved query asked for wrongly: unknown name or parameter, or a bad value."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    default: str | None
    description: str

    @property
    def variable(self) -> str:
        return f"{self.name}_param" if self.type in ("actor", "outlet", "kind") else self.name


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    question: str
    params: tuple[Param, ...]
    returns: tuple[str, ...]
    keywords: tuple[str, ...]
    sparql_path: Path
    cypher_path: Path | None

    @property
    def sparql(self) -> str:
        return self.sparql_path.read_text(encoding="utf-8")

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")


def parse_header(text: str, marker: str = "#") -> dict:
    """title/question/params/returns/keywords from the leading comment lines."""
    fields: dict = {"params": []}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith(marker):
            if stripped:
                break
            continue
        m = re.match(rf"{re.escape(marker)}\s*(\w+):\s*(.*)$", stripped)
        if not m:
            continue
        key, value = m.group(1).lower(), m.group(2).strip()
        if key == "params":
            if value.lower() != "none":
                pm = _PARAM.match(value)
                if not pm:
                    raise QueryError(f"bad params line {value!r}")
                fields["params"].append(Param(pm.group(1), pm.group(2).lower(), pm.group(3) == "required",
                                              (pm.group(4) or None), (pm.group(5) or "").strip()))
        elif key in fields:
            raise QueryError(f"header line {key!r} appears twice")
        else:
            fields[key] = value
    return fields


@lru_cache(maxsize=4)
def load_catalogue(directory: Path = HERE) -> dict[str, SavedQuery]:
    """Every saved question of queries/, by name."""
    out = {}
    for path in sorted(directory.glob("*.rq")):
        h = parse_header(path.read_text(encoding="utf-8"))
        if "title" not in h or "question" not in h:
            raise QueryError(f"{path.name}: the header needs 'title:' and 'question:' lines")
        cypher = path.with_suffix(".cypher")
        out[path.stem] = SavedQuery(
            path.stem, h["title"], h["question"], tuple(h["params"]),
            tuple(c.strip() for c in h.get("returns", "").split(",") if c.strip()),
            tuple(h.get("keywords", "").split()), path, cypher if cypher.exists() else None)
    return out


def get_query(name: str) -> SavedQuery:
    catalogue = load_catalogue()
    if name not in catalogue:
        raise QueryError(f"no saved query {name!r} (see `stancegraph queries`: "
                         f"{', '.join(sorted(catalogue))})")
    return catalogue[name]


def bind(query: SavedQuery, values: dict[str, str | None]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Validated RDF terms for the query's parameters (defaults filled, unknown names refused)."""
    for name in values:
        query.param(name)
    terms = {}
    for p in query.params:
        raw = values.get(p.name)
        if raw is None or str(raw).strip() == "":
            raw = p.default
        if raw is None:
            if p.required:
                raise QueryError(f"query {query.name!r} needs parameter {p.name!r} ({p.description})")
            continue
        terms[p.variable] = _term(p, str(raw).strip())
    return terms


def _term(p: Param, raw: str) -> ox.NamedNode | ox.Literal:
    if p.type == "date":
        try:
            return ox.Literal(date.fromisoformat(raw).isoformat(), datatype=XSD_DATE)
        except ValueError:
            raise QueryError(f"parameter {p.name!r}: {raw!r} is not a date (YYYY-MM-DD)") from None
    if p.type == "kind":
        from stancegraph.ontology.kinds import load_kinds

        for k in load_kinds():
            if raw.lower() in (k.name.lower(), k.label.lower(), k.iri.lower()):
                return ox.NamedNode(k.iri)
        names = ", ".join(k.name for k in load_kinds())
        raise QueryError(f"parameter {p.name!r}: unknown commitment kind {raw!r} (one of {names})")
    if p.type == "actor":
        entity = resolve_actor(raw)
        if entity is None:
            raise QueryError(f"parameter {p.name!r}: no actor called {raw!r} in the gazetteer")
        return ox.NamedNode(entity.iri)
    if p.type == "outlet":
        from stancegraph.loaders.mapping import outlet_iri

        if not raw.strip() or len(raw) > 200:
            raise QueryError(f"parameter {p.name!r}: {raw[:80]!r} is not an outlet name")
        return ox.NamedNode(str(outlet_iri(raw)))
    if p.type == "confidence":
        if not re.fullmatch(r"(?:0|1)?(?:\.\d{1,6})?", raw) or not raw or float(raw) > 1:
            raise QueryError(f"parameter {p.name!r}: {raw[:80]!r} is not a confidence from 0 to 1")
        return ox.Literal(raw if "." in raw and raw[0] != "." else f"0{raw}" if raw[0] == "." else f"{raw}.0",
                          datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    if p.type == "int":
        if not re.fullmatch(r"-?\d+", raw):
            raise QueryError(f"parameter {p.name!r}: {raw!r} is not a whole number")
        return ox.Literal(raw, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    return ox.Literal(raw)


def resolve_actor(text: str):
    """A gazetteer entity by IRI, preferred label, alias or demonym (case-insensitive)."""
    from stancegraph.ontology.gazetteer import load_gazetteer

    g = load_gazetteer()
    if g.get(text) is not None:
        return g.get(text)
    wanted = text.strip().lower()
    for surface, iri, _kind in g.surface_forms():
        if surface.lower() == wanted or surface.lower() == f"the {wanted}":
            return g.get(iri)
    return None


def bound_sparql(query: SavedQuery, terms: dict) -> str:
    """The query text with each placeholder VALUES clause holding the bound term."""
    text = query.sparql
    for variable, term in terms.items():
        pattern = re.compile(rf"VALUES\s+\?{re.escape(variable)}\s*\{{[^}}]*\}}")
        if not pattern.search(text):
            raise QueryError(f"{query.sparql_path.name}: no placeholder 'VALUES ?{variable} {{ … }}'")
        text = pattern.sub(lambda _m: f"VALUES ?{variable} {{ {term} }}", text)
    return text


def answer(store, query: SavedQuery, values: dict[str, str | None]) -> tuple[list[str], list[list]]:
    """Run a saved SPARQL query on a store: columns and rows."""
    return store.select(bound_sparql(query, bind(query, values)))


def cypher_parameters(query: SavedQuery, values: dict[str, str | None]) -> dict:
    """The same validated values as plain Cypher parameters ($as_of, $kind, $actor_iri, ...);
    a parameter left out is null (the Cypher twin then applies no filter), confidences are
    numbers."""
    terms = bind(query, values)
    out: dict = {p.variable: None for p in query.params}
    for p in query.params:
        term = terms.get(p.variable)
        if term is not None:
            out[p.variable] = float(term.value) if p.type == "confidence" else term.value
    return out


def answer_cypher(driver, query: SavedQuery, values: dict[str, str | None],
                  database: str = "neo4j") -> tuple[list[str], list[list]]:
    """Run a saved query's Cypher twin on Neo4j: columns and rows."""
    from neo4j import Query, READ_ACCESS

    if query.cypher_path is None:
        raise QueryError(f"query {query.name!r} has no Cypher twin")
    text = query.cypher_path.read_text(encoding="utf-8")
    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        result = session.run(Query(text), cypher_parameters(query, values))
        columns = list(result.keys())
        return columns, [list(record.values()) for record in result]
