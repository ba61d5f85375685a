"""SHACL validation of what a load adds: one article's graph plus the types of the gazetteer
entities, kinds and relations it points to. Never the whole store per load.

Two engines give the same verdicts (tests/test_validate_engines.py compares them by focus node,
path and constraint component): pySHACL, the reference, and pyshacl-turbo (Rust, ~10x faster
here), the default when installed. env STANCEGRAPH_SHACL=pyshacl picks the reference."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from stancegraph.loaders.errors import InputError
from stancegraph.ontology.gazetteer import load_gazetteer
from stancegraph.ontology.vocab import (GAZETTEER_GRAPH, KINDS_FILE, ONTOLOGY_FILE, ONTOLOGY_GRAPH,
                                        REVIEWS_GRAPH, SG, SH, SHAPES_DIR)


@dataclass(frozen=True)
class Violation:
    """One SHACL result, told by focus node, path and constraint (never by message text)."""

    focus_node: str
    path: str | None
    constraint: str
    source_shape: str
    severity: str
    message: str
    value: str | None
    article: str | None

    def line(self) -> str:
        where = f"article {self.article!r}: " if self.article else ""
        path = f" {_short(self.path)}" if self.path else ""
        value = f" (value {_short(self.value)!r})" if self.value is not None else ""
        return f"{where}{_short(self.focus_node)}{path}: {self.message}{value} [{_short(self.source_shape)}]"


@dataclass(frozen=True)
class Report:
    conforms: bool
    violations: tuple[Violation, ...]

    def lines(self) -> list[str]:
        return [v.line() for v in self.violations]

    def __add__(self, other: "Report") -> "Report":
        return Report(self.conforms and other.conforms, self.violations + other.violations)


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    g = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


@lru_cache(maxsize=1)
def vocabulary_graph() -> Graph:
    """Ontology and kinds: every kind and relation value with its type."""
    g = Graph()
    g.parse(ONTOLOGY_FILE, format="turtle")
    g.parse(KINDS_FILE, format="turtle")
    return g


@lru_cache(maxsize=1)
def _types() -> dict[URIRef, tuple[URIRef, ...]]:
    """rdf:type of every gazetteer entity, kind and relation value, read once."""
    index: dict[URIRef, list[URIRef]] = {}
    for source in (load_gazetteer().graph(), vocabulary_graph()):
        for s, t in source.subject_objects(RDF.type):
            if isinstance(s, URIRef):
                index.setdefault(s, []).append(t)
    return {k: tuple(v) for k, v in index.items()}


def context_for(data: Graph) -> Graph:
    """The types of the reference nodes (gazetteer entities, kinds, relations) the data points
    to: what sh:class checks need. The reference nodes themselves are validated once, by
    validate_reference(), not with every article."""
    types = _types()
    context = Graph()
    for node in set(data.objects()) | set(data.subjects()):
        for t in types.get(node, ()):
            context.add((node, RDF.type, t))
    return context


ENGINES = ("turbo", "pyshacl")
_RDF_TYPE_NT = f"<{RDF.type}>"
_RESULT = f"<{SH.ValidationResult}>"


def default_engine() -> str:
    """env STANCEGRAPH_SHACL if set, else pyshacl-turbo when it is installed, else pySHACL."""
    chosen = os.environ.get("STANCEGRAPH_SHACL", "").strip().lower()
    if chosen:
        if chosen not in ENGINES:
            raise InputError("STANCEGRAPH_SHACL", f"unknown SHACL engine {chosen!r} (one of "
                                                  f"{', '.join(ENGINES)})")
        return chosen
    return "turbo" if _turbo_shapes() is not None else "pyshacl"


@lru_cache(maxsize=1)
def _turbo_shapes():
    """The shapes compiled once by pyshacl-turbo, or None when it is not installed."""
    try:
        import pyshacl_turbo
    except ImportError:
        return None
    return pyshacl_turbo.CompiledShapes(shapes_graph())


def validate(data_graph: Graph, *, article: str | None = None, with_context: bool = True,
             skip_reference_nodes: bool = True, engine: str | None = None,
             ntriples: str | None = None) -> Report:
    """Validate a graph (usually one article's) against the shapes of ontology/shapes/. Nodes
    of the gazetteer or vocabulary that the graph only points to come in as their types (what
    sh:class needs); their own shapes are validate_reference()'s job, so results about them are
    set aside (turbo does not compute them: they are left out of its focus nodes).
    `ntriples`, when given, is data_graph already serialized (saves the turbo engine a pass)."""
    engine = engine or default_engine()
    if engine == "turbo":
        nt = ntriples if ntriples is not None else data_graph.serialize(format="nt")
        return validate_ntriples(nt, article=article, with_context=with_context,
                                 skip_reference_nodes=skip_reference_nodes, engine=engine)
    data = Graph()
    data += data_graph
    if with_context:
        data += context_for(data_graph)
    conforms, results, _ = shacl_validate(data, shacl_graph=shapes_graph(), inference="none",
                                          abort_on_first=False, allow_warnings=True)
    report = _report(conforms, results, article)
    if not with_context:
        return report
    described = set() if skip_reference_nodes else {str(n) for n in data_graph.subjects(RDF.type, None)}
    return _without(report, {str(n) for n in _types()} - described)


def validate_ntriples(ntriples: str, *, article: str | None = None, with_context: bool = True,
                      skip_reference_nodes: bool = True, engine: str | None = None) -> Report:
    """validate() of a graph given as N-Triples text. With pyshacl-turbo the text and the type
    lines of the reference nodes it names go to the engine as text (no rdflib graph, no store),
    and the focus nodes are the graph's own nodes (reference nodes only where the text describes
    them)."""
    engine = engine or default_engine()
    if engine != "turbo":
        g = Graph()
        g.parse(data=ntriples, format="nt")
        return validate(g, article=article, with_context=with_context,
                        skip_reference_nodes=skip_reference_nodes, engine=engine)
    from pyshacl_turbo.rdf import Input

    lines = [line for line in ntriples.splitlines() if line.strip()]
    if not with_context:
        conforms, results, _ = _turbo_shapes().validate(Input("\n".join(lines), "nt", None, {}),
                                                        allow_warnings=True)
        return _report(conforms, results, article)
    nodes, described = _nodes(lines, described_too=not skip_reference_nodes)
    types = _type_lines()
    context = [types[n] for n in sorted(nodes & types.keys())]
    skipped = types.keys() - described
    focus = [URIRef(n) for n in sorted(nodes - skipped)]
    text = "\n".join(lines) + "\n" + "".join(context)
    if _no_results(text, focus):
        return Report(True, ())
    conforms, results, _ = _turbo_shapes().validate(Input(text, "nt", None, {}), allow_warnings=True,
                                                    focus_nodes=focus)
    return _without(_report(conforms, results, article), skipped)


def _no_results(text: str, focus: list[URIRef]) -> bool:
    """True when the engine finds no result at all for these focus nodes: asked of the compiled
    shapes' native validator directly, which skips building an rdflib report graph (about half
    the cost of validating a conforming article). Anything else (a result, or an engine whose
    internals differ) goes the public way, which builds the report."""
    try:
        conforms, report, *_ = _turbo_shapes()._native.validate(
            text, "nt", None, False, 100, 15, False, False, True, False,
            [str(n) for n in focus], [], [])
    except (AttributeError, TypeError, ValueError):
        return False
    return conforms is True and _RESULT not in report


def _nodes(lines: list[str], described_too: bool = False) -> tuple[set[str], set[str]]:
    """The IRIs N-Triples lines name as subject or object (blank nodes and literals left out),
    and the subjects they give an rdf:type (when described_too)."""
    nodes: set[str] = set()
    described: set[str] = set()
    for line in lines:
        s, p, rest = line.split(" ", 2)
        if s[0] == "<":
            nodes.add(s[1:-1])
            if described_too and p == _RDF_TYPE_NT:
                described.add(s[1:-1])
        if rest[0] == "<":
            nodes.add(rest[1:rest.index(">")])
    return nodes, described


def _without(report: Report, skipped) -> Report:
    """The report less the results about reference nodes the data only points to."""
    kept = tuple(v for v in report.violations if v.focus_node not in skipped)
    return Report(not any(v.severity.endswith("Violation") for v in kept), kept)


@lru_cache(maxsize=1)
def _type_lines() -> dict[str, str]:
    """The N-Triples type lines of every reference node (context_for as text), built once."""
    return {str(node): "".join(f"{node.n3()} <{RDF.type}> {t.n3()} .\n" for t in types)
            for node, types in _types().items()}


def validate_reference(store=None) -> Report:
    """The gazetteer and vocabulary graphs themselves: as the store holds them (read as text,
    no rdflib graph), or as the files give them."""
    if store is not None:
        text = "\n".join(store.graph_ntriples(g) for g in (ONTOLOGY_GRAPH, GAZETTEER_GRAPH))
        return validate_ntriples(text, article="gazetteer", with_context=False)
    data = Graph()
    data += load_gazetteer().graph()
    data += vocabulary_graph()
    return validate(data, article="gazetteer", with_context=False)


def _report(conforms: bool, results: Graph, article: str | None) -> Report:
    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        def get(p):
            v = results.value(r, p)
            return None if v is None else str(v)
        out.append(Violation(get(SH.focusNode) or "", get(SH.resultPath),
                             get(SH.sourceConstraintComponent) or "", get(SH.sourceShape) or "",
                             get(SH.resultSeverity) or "", get(SH.resultMessage) or "",
                             get(SH.value), article))
    out.sort(key=lambda v: (v.focus_node, v.path or "", v.source_shape))
    return Report(bool(conforms), tuple(out))


def validate_store(store, jobs: int | None = None) -> Report:
    """The whole store, article graph by article graph (linear in the store's size), the
    graphs validated in `jobs` worker processes (default: the cores); then the review
    decisions (graph/reviews) and the derived data (derived_data_report).
    On the embedded store the workers read the article graphs themselves through read-only
    views (the reference graph read once per worker, not queried per article), and the derived
    data checks run in one more process meanwhile: nothing writes during a validate, since this
    process holds the store's lock and only reads."""
    from concurrent.futures import ProcessPoolExecutor
    from contextlib import nullcontext

    from stancegraph.loaders.parallel import fork_context, ordered_map
    from stancegraph.loaders.store.oxigraph import OxigraphStore

    reference = validate_reference(store)
    _type_lines()                                   # built before the workers fork
    violations = list(reference.violations)
    conforms = reference.conforms
    direct = type(store) is OxigraphStore
    with ProcessPoolExecutor(1, mp_context=fork_context()) if direct else nullcontext() as checks:
        derived = checks.submit(_derived_on_disk, str(store.path)) if direct else None
        if direct:
            path = str(store.path)
            items = ((path, iri, title) for iri, title in store.article_graphs())
            reports = ordered_map(_validate_on_disk, items, jobs, chunk=16)
        else:
            graphs = ((store.article_ntriples(iri), title) for iri, title in store.article_graphs())
            reports = ordered_map(_validate_stored, graphs, jobs, chunk=16)
        try:
            for report in reports:
                conforms = conforms and report.conforms
                violations.extend(report.violations)
        finally:
            _VIEWS.clear()
        reviews = validate_ntriples(store.graph_ntriples(REVIEWS_GRAPH), article="graph/reviews")
        derived_report = derived.result() if derived else derived_data_report(store)
    return Report(conforms, tuple(violations)) + reviews + derived_report


_VIEWS: dict = {}       # store path -> this process's read-only view (validate_store's workers)


def _view(path: str):
    from stancegraph.loaders.store.oxigraph import ReadOnlyView

    if path not in _VIEWS:
        _VIEWS[path] = ReadOnlyView(path)
    return _VIEWS[path]


def _validate_on_disk(item: tuple[str, str, str]) -> Report:
    path, iri, title = item
    return validate_ntriples(_view(path).article_ntriples(iri), article=title)


def _derived_on_disk(path: str) -> Report:
    from stancegraph.loaders.store.oxigraph import ReadOnlyView

    return derived_data_report(ReadOnlyView(path))


def derived_data_report(store) -> Report:
    """The derived graphs (stances, stories) checked against the claims and articles they are
    derived from, by the stale-data checks (queries/checks/stance-*, story-*, review-*): a stance that
    links to a claim no article holds any more, a claim no stance was derived from, a story of
    a removed article... One violation per row, the check's file as its source."""
    from stancegraph.loaders.store.derived import check_results

    out = []
    for check, columns, rows in check_results(store, ("stance-", "story-", "review-")):
        title = next((line.split(":", 1)[1].strip() for line in
                      check.read_text(encoding="utf-8").splitlines()
                      if line.startswith("# title:")), check.stem)
        for row in rows:
            r = {c: str(v) for c, v in zip(columns, row) if v is not None}
            focus = next((r.pop(c) for c in ("claim", "state", "article") if c in r), "")
            focus = focus or r.pop("actor", "")
            value = " ".join(_short(r[c]) for c in columns if c in r) or None
            out.append(Violation(focus, None, "stale-data check", f"checks/{check.name}",
                                 str(SH.Violation), f"derived data out of date ({title}); "
                                 "recompute_stances() repairs it, as serve does after a write", value, None))
    out.sort(key=lambda v: (v.source_shape, v.focus_node, v.value or ""))
    return Report(not out, tuple(out))


def _validate_stored(item: tuple[str, str]) -> Report:
    ntriples, title = item
    return validate_ntriples(ntriples, article=title)


def validate_file(path: Path) -> Report:
    """A Turtle/TriG/N-Triples/JSON-LD file, with the gazetteer context it points to."""
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), "no such file")
    fmt = {".trig": "trig", ".nq": "nquads", ".nt": "nt", ".jsonld": "json-ld",
           ".json": "json-ld", ".rdf": "xml", ".xml": "xml"}.get(path.suffix.lower(), "turtle")
    g = Graph()
    try:
        if fmt in ("trig", "nquads"):
            from rdflib import Dataset
            ds = Dataset()
            ds.parse(path, format=fmt)
            for quad in ds.quads():
                g.add(quad[:3])
        else:
            g.parse(path, format=fmt)
    except Exception as e:  # rdflib raises many parser types; the user needs the message
        raise InputError(str(path), f"cannot parse as {fmt}: {' '.join(str(e).split())[:200]}") from None
    return validate(g, article=path.name, skip_reference_nodes=False)


def _short(iri: str | None) -> str:
    if not iri:
        return ""
    for prefix, ns in (("sg:", str(SG)), ("sgsh:", "https://w3id.org/stancegraph/shapes#"),
                       ("", "https://w3id.org/stancegraph/id/")):
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return iri


__all__ = ["validate", "validate_ntriples", "default_engine", "ENGINES", "validate_store", "validate_file", "validate_reference", "Report",
           "Violation", "shapes_graph", "vocabulary_graph", "context_for"]
