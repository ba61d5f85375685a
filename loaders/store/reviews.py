"""The review layer: analysts' decisions about claims (confirm, retract, correct), kept in their own
named graph (graph/reviews, PROV-O: prov:wasAttributedTo, prov:generatedAtTime, sg:reason) and
applied by the store to the claims in the article graphs.

Keyed by the claim IRI, a content hash of the article id, actor, relation, object, quote offsets
and group (loaders/model.py Claim.id): reloading or re-extracting an article gives its claims the
same IRIs, so a decision finds its claim again. Every write ends in `recompute_stances`, which
first applies the decisions of the articles it touched (and any decision a claim does not carry
yet, found by one query, for writes that came by another path), then derives the touched
(actor, kind) pairs again. Because the decision is applied in the article graph itself, every
saved question (SPARQL, and Cypher after `neo4j sync`) sees the reviewed claims without knowing
about reviews:

- retract: the claim node becomes an sg:RetractedClaim without actor, relation, object or
  confidence (quote and article stay): it counts nowhere.
- correct: actor, relation and/or kind replaced (a corrected actor drops the speaker's
  on-behalf-of and the group expansion), confidence 1.00.
- confirm: confidence 1.00.
The claim also gets sg:reviewStatus ("confirmed" ...) and sg:reviewedIn (the decision). The
values as extracted stay on the decision (sg:original*), so a later decision starts from them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from rdflib import Literal

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.mapping.ids import slug
from stancegraph.loaders.model import content_hash
from stancegraph.ontology.vocab import ID_IRI, PROV, RDF, RDFS, REVIEWS_GRAPH, SG, XSD

from .derived import Touched
from .stances import STANCE_RELATIONS

ACTIONS = ("confirm", "retract", "correct")
STATUS = {"confirm": "confirmed", "retract": "retracted", "correct": "corrected"}
RELATIONS = ("commits", "refuses", "undecided", "conditions", "states")
_CHANGED = (RDF.type, SG.actor, SG.onBehalfOf, SG.derivedFrom, SG.relation, SG.object,
            SG.confidence, SG.reviewStatus, SG.reviewedIn)


@dataclass(frozen=True)
class Original:
    """A claim's values as extracted: what a decision starts from."""

    article: str
    actor: str
    relation: str
    object: str
    confidence: str
    quote: str
    on_behalf_of: str | None = None
    derived_from: str | None = None


@dataclass(frozen=True)
class Decision:
    """One analyst's decision about one claim (IRIs throughout)."""

    claim: str
    action: str                     # confirm | retract | correct
    by: str
    why: str
    at: str                         # ISO date-time, UTC
    original: Original
    actor: str | None = None        # corrections
    relation: str | None = None
    kind: str | None = None
    stored: str | None = None       # the decision's IRI when read back from a store or file

    @property
    def iri(self) -> str:
        """A new decision's IRI hashes what it says; one read back keeps the IRI it was stored
        under (the stored time may read back in another lexical form)."""
        if self.stored:
            return self.stored
        return f"{ID_IRI}review/" + content_hash(self.claim, self.action, self.by, self.why, self.at,
                                                 self.actor or "", self.relation or "",
                                                 self.kind or "")

    def effective(self) -> dict | None:
        """The claim's reviewed values (None: retracted)."""
        o = self.original
        if self.action == "retract":
            return None
        actor = self.actor or o.actor
        moved = actor != o.actor
        return {"actor": actor, "relation": self.relation or o.relation,
                "object": self.kind or o.object,
                "on_behalf_of": None if moved else o.on_behalf_of,
                "derived_from": None if moved else o.derived_from}

    def pairs(self) -> set[tuple[str, str]]:
        """The (actor, kind) pairs whose stance the decision can change."""
        o = self.original
        out = {(o.actor, o.object)} | ({(o.on_behalf_of, o.object)} if o.on_behalf_of else set())
        eff = self.effective()
        if eff is not None:
            out.add((eff["actor"], eff["object"]))
            if eff["on_behalf_of"]:
                out.add((eff["on_behalf_of"], eff["object"]))
        return out


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# -- reading -----------------------------------------------------------------------------------
_DECISION_VARS = ("r", "claim", "action", "by", "why", "at", "article", "o_actor", "o_rel", "o_obj",
                  "o_conf", "o_quote", "o_behalf", "o_group", "c_actor", "c_rel", "c_obj")


def _decision_query(where: str) -> str:
    return f"""SELECT ?{' ?'.join(_DECISION_VARS)} WHERE {{
      {where}
      GRAPH <{REVIEWS_GRAPH}> {{
        ?r a <{SG.Review}> ; <{SG.reviewedClaim}> ?claim ; <{SG.decision}> ?action ;
           <{PROV.wasAttributedTo}> ?agent ; <{PROV.generatedAtTime}> ?at ; <{SG.reason}> ?why ;
           <{SG.reviewedArticle}> ?article ; <{SG.originalActor}> ?o_actor ;
           <{SG.originalRelation}> ?o_rel ; <{SG.originalObject}> ?o_obj ;
           <{SG.originalConfidence}> ?o_conf ; <{SG.originalQuote}> ?o_quote .
        ?agent <{RDFS.label}> ?by .
        OPTIONAL {{ ?r <{SG.originalOnBehalfOf}> ?o_behalf }}
        OPTIONAL {{ ?r <{SG.originalDerivedFrom}> ?o_group }}
        OPTIONAL {{ ?r <{SG.correctedActor}> ?c_actor }}
        OPTIONAL {{ ?r <{SG.correctedRelation}> ?c_rel }}
        OPTIONAL {{ ?r <{SG.correctedObject}> ?c_obj }}
      }} }} ORDER BY ?claim ?at ?r"""


def decisions_from_rows(rows) -> list[Decision]:
    """Rows of _decision_query as decisions, the latest per claim."""
    out: dict[str, Decision] = {}
    for row in rows:
        v = dict(zip(_DECISION_VARS, row))
        conf = v["o_conf"] if isinstance(v["o_conf"], str) else f"{v['o_conf']:.2f}"
        original = Original(v["article"], v["o_actor"], v["o_rel"], v["o_obj"], conf, v["o_quote"],
                            v["o_behalf"], v["o_group"])
        out[v["claim"]] = Decision(v["claim"], v["action"], v["by"], v["why"], str(v["at"]), original,
                                   v["c_actor"], v["c_rel"], v["c_obj"], v["r"])   # the latest wins
    return [out[c] for c in sorted(out)]


def _decisions(store, where: str = "") -> list[Decision]:
    return decisions_from_rows(store.select(_decision_query(where))[1])


def decisions(store, claims: list[str] | None = None, articles: list[str] | None = None) -> list[Decision]:
    """The current decision of each reviewed claim (of these claims / articles only, if given)."""
    if claims is None and articles is None:
        return _decisions(store)
    out: list[Decision] = []
    for name, items in (("claim", claims or []), ("article", articles or [])):
        for i in range(0, len(items), 200):
            values = " ".join(f"<{x}>" for x in items[i:i + 200])
            out.extend(_decisions(store, f"VALUES ?{name} {{ {values} }}"))
    return sorted({d.claim: d for d in out}.values(), key=lambda d: d.claim)


def original_queries(claim: str) -> tuple[str, str]:
    """The two reads that find a claim's values as extracted: its current decision, else the
    claim itself (for original_from_rows)."""
    return (_decision_query(f"VALUES ?claim {{ <{claim}> }}"),
            f"""SELECT ?a ?who ?rel ?obj ?conf ?quote ?behalf ?group WHERE {{
      GRAPH ?g {{ <{claim}> a <{SG.Claim}> ; <{SG.article}> ?a ; <{SG.actor}> ?who ;
                  <{SG.relation}> ?rel ; <{SG.object}> ?obj ; <{SG.confidence}> ?conf ;
                  <{SG.quote}> ?quote .
                 OPTIONAL {{ <{claim}> <{SG.onBehalfOf}> ?behalf }}
                 OPTIONAL {{ <{claim}> <{SG.derivedFrom}> ?group }} }} }} LIMIT 1""")


def original_from_rows(decision_rows, claim_rows) -> Original | None:
    known = decisions_from_rows(decision_rows)
    if known:
        return known[0].original
    if not claim_rows:
        return None
    a, who, rel, obj, conf, quote, behalf, group = claim_rows[0]
    return Original(a, who, rel, obj, conf if isinstance(conf, str) else f"{conf:.2f}", quote,
                    behalf, group)


def original_of(store, claim: str) -> Original | None:
    """The claim's values as extracted: from its current decision, else from the claim itself."""
    first, second = original_queries(claim)
    rows = store.select(first)[1]
    return original_from_rows(rows, [] if rows else store.select(second)[1])


def new_decision(claim: str, action: str, by: str, why: str, original: Original | None, *,
                 actor: str | None = None, relation: str | None = None, kind: str | None = None,
                 at: str | None = None) -> Decision:
    """A checked decision (InputError, source: the claim, when the claim or a value is wrong)."""
    if action not in ACTIONS:
        raise InputError(claim, f"unknown review action {action!r} (one of {', '.join(ACTIONS)})")
    if not by.strip() or not why.strip():
        raise InputError(claim, "a review needs --by (who decides) and --why (the reason)")
    if action == "correct" and not (actor or relation or kind):
        raise InputError(claim, "a correction needs --actor, --relation or --kind")
    if action != "correct" and (actor or relation or kind):
        raise InputError(claim, f"{action} takes no --actor/--relation/--kind (use correct)")
    if original is None:
        raise InputError(claim, "no such claim in the store")
    decision = Decision(claim, action, by.strip(), why.strip(), at or now(), original, actor,
                        relation, kind)
    _check(decision)
    return decision


# -- writing -----------------------------------------------------------------------------------
def decide(store, claim: str, action: str, by: str, why: str, *, actor: str | None = None,
           relation: str | None = None, kind: str | None = None, at: str | None = None) -> Decision:
    """Record a decision about a stored (or already reviewed) claim and apply it; the touched
    pairs are recomputed. InputError (source: the claim) when the claim or a value is wrong."""
    decision = new_decision(claim, action, by, why, original_of(store, claim), actor=actor,
                            relation=relation, kind=kind, at=at)
    record(store, [decision])
    return decision


def _check(d: Decision) -> None:
    eff = d.effective()
    if eff is None:
        return
    from stancegraph.ontology.kinds import load_kinds

    is_kind = eff["object"] in {k.iri for k in load_kinds()}
    if (eff["relation"] in STANCE_RELATIONS) != is_kind:
        raise InputError(d.claim, f"relation {eff['relation'].rsplit('#', 1)[-1]} does not go with "
                                  f"{eff['object'].rsplit('/', 1)[-1].rsplit('#', 1)[-1]} (a stance "
                                  "takes a commitment kind; \"states\" takes a position)")


def decision_ntriples(d: Decision) -> list[str]:
    r, o = f"<{d.iri}>", d.original
    agent = f"<{ID_IRI}reviewer/{slug(d.by)}>"
    lines = [f"{r} <{RDF.type}> <{SG.Review}> .", f"{r} <{RDF.type}> <{PROV.Entity}> .",
             f"{r} <{SG.reviewedClaim}> <{d.claim}> .", f"{r} <{SG.reviewedArticle}> <{o.article}> .",
             f"{r} <{SG.decision}> {Literal(d.action).n3()} .",
             f"{r} <{SG.reason}> {Literal(d.why).n3()} .",
             f"{r} <{PROV.wasAttributedTo}> {agent} .",
             f"{r} <{PROV.generatedAtTime}> {Literal(d.at, datatype=XSD.dateTime).n3()} .",
             f"{agent} <{RDF.type}> <{PROV.Agent}> .", f"{agent} <{RDFS.label}> {Literal(d.by).n3()} .",
             f"{r} <{SG.originalActor}> <{o.actor}> .", f"{r} <{SG.originalRelation}> <{o.relation}> .",
             f"{r} <{SG.originalObject}> <{o.object}> .",
             f"{r} <{SG.originalConfidence}> {Literal(o.confidence, datatype=XSD.decimal).n3()} .",
             f"{r} <{SG.originalQuote}> {Literal(o.quote).n3()} ."]
    for p, v in ((SG.originalOnBehalfOf, o.on_behalf_of), (SG.originalDerivedFrom, o.derived_from),
                 (SG.correctedActor, d.actor), (SG.correctedRelation, d.relation),
                 (SG.correctedObject, d.kind)):
        if v:
            lines.append(f"{r} <{p}> <{v}> .")
    return lines


def record(store, given: list[Decision]) -> Touched:
    """Store decisions (each replacing the claim's earlier one), apply them, recompute."""
    latest: dict[str, Decision] = {}
    for d in sorted(given, key=lambda d: (d.claim, d.at, d.iri)):
        latest[d.claim] = d
    items = [latest[c] for c in sorted(latest)]
    for i in range(0, len(items), 200):
        store.update(record_update(items[i:i + 200]))
    touched = apply(store, items)
    store.recompute_stances(touched, detect=False)
    return touched


def record_update(items: list[Decision]) -> str:
    """The SPARQL update that stores these decisions, each replacing its claim's earlier one.
    (Applying them is the next recompute's job when a server runs it, or `apply`'s.)"""
    values = " ".join(f"<{d.claim}>" for d in items)
    lines = "\n".join(line for d in items for line in decision_ntriples(d))
    return (f"DELETE {{ GRAPH <{REVIEWS_GRAPH}> {{ ?r ?p ?o }} }} WHERE {{ VALUES ?c {{ {values} }} "
            f"GRAPH <{REVIEWS_GRAPH}> {{ ?r <{SG.reviewedClaim}> ?c ; ?p ?o }} }} ;\n"
            f"INSERT DATA {{ GRAPH <{REVIEWS_GRAPH}> {{\n{lines}\n}} }}")


def apply(store, items: list[Decision]) -> Touched:
    """Write each decision into its claim's article graph (where the claim is loaded)."""
    parts, pairs = [], set()
    for d in items:
        pairs |= d.pairs()
        c = f"<{d.claim}>"
        changed = ", ".join(f"<{p}>" for p in _CHANGED)
        parts.append(f"DELETE {{ GRAPH ?g {{ {c} ?p ?o }} }} WHERE {{ GRAPH ?g {{ {c} <{SG.article}> ?a ; "
                     f"?p ?o FILTER (?p IN ({changed})) }} }}")
        triples = _claim_triples(d)
        parts.append(f"INSERT {{ GRAPH ?g {{ {' '.join(triples)} }} }} WHERE {{ GRAPH ?g {{ "
                     f"{c} <{SG.article}> ?a }} }}")
    for i in range(0, len(parts), 100):
        store.update(" ;\n".join(parts[i:i + 100]))
    return Touched(frozenset(pairs), frozenset())


def _claim_triples(d: Decision) -> list[str]:
    c = f"<{d.claim}>"
    out = [f"{c} <{SG.reviewStatus}> {Literal(STATUS[d.action]).n3()} .",
           f"{c} <{SG.reviewedIn}> <{d.iri}> ."]
    eff = d.effective()
    if eff is None:
        return out + [f"{c} <{RDF.type}> <{SG.RetractedClaim}> ."]
    out += [f"{c} <{RDF.type}> <{SG.Claim}> .", f"{c} <{SG.actor}> <{eff['actor']}> .",
            f"{c} <{SG.relation}> <{eff['relation']}> .", f"{c} <{SG.object}> <{eff['object']}> .",
            f"{c} <{SG.confidence}> {Literal('1.00', datatype=XSD.decimal).n3()} ."]
    if eff["on_behalf_of"]:
        out.append(f"{c} <{SG.onBehalfOf}> <{eff['on_behalf_of']}> .")
    if eff["derived_from"]:
        out.append(f"{c} <{SG.derivedFrom}> <{eff['derived_from']}> .")
    return out


def pending(store) -> list[str]:
    """Claims in article graphs whose current decision is not applied (the article was reloaded
    or written by another path): their decisions are applied by the next recompute."""
    _, rows = store.select(f"""SELECT DISTINCT ?c WHERE {{
      GRAPH <{REVIEWS_GRAPH}> {{ ?r <{SG.reviewedClaim}> ?c }}
      GRAPH ?g {{ ?c <{SG.article}> ?a }}
      FILTER NOT EXISTS {{ GRAPH ?g {{ ?c <{SG.reviewedIn}> ?r }} }} }} ORDER BY ?c""")
    return [r[0] for r in rows]


def reapply(store, articles, detect: bool) -> Touched:
    """Apply the decisions of these articles' claims, and (with `detect`) every decision its
    claim does not carry yet. Cheap when there are no reviews: one ASK."""
    if not store.ask(f"ASK {{ GRAPH <{REVIEWS_GRAPH}> {{ ?r a <{SG.Review}> }} }}"):
        return Touched()
    found = decisions(store, articles=sorted(articles)) if articles else []
    if detect:
        found += decisions(store, claims=pending(store))
    items = sorted({d.claim: d for d in found}.values(), key=lambda d: d.claim)
    return apply(store, items) if items else Touched()


def remove_article(store, url: str) -> list[str]:
    """Delete the articles with this URL or source id (their graphs, claims with them) and
    recompute what they fed; the titles removed. Review decisions stay (see the module)."""
    from .derived import pairs_in_graphs

    _, rows = store.select(f"""SELECT DISTINCT ?g ?title WHERE {{ GRAPH ?g {{ ?a a <{SG.Article}> ;
        <https://schema.org/headline> ?title .
        {{ ?a <https://schema.org/url> ?u }} UNION {{ ?a <{SG.sourceId}> ?u }} FILTER (STR(?u) = {Literal(url).n3()}) }}
      }} ORDER BY ?g""")
    if not rows:
        return []
    graphs = [g for g, _ in rows]
    before = pairs_in_graphs(store, graphs)
    store.update(" ;\n".join(f"DROP GRAPH <{g}>" for g in graphs))
    store.recompute_stances(before, detect=False)
    return [t for _, t in rows]


def export_ntriples(store) -> str:
    return store.graph_ntriples(REVIEWS_GRAPH)


def parse_decisions(text: str, source: str) -> list[Decision]:
    """The decisions of a reviews file (N-Triples or Turtle from `review export`, or TriG /
    N-Quads of a whole-store export: the review nodes wherever they are), latest per claim."""
    import pyoxigraph as ox

    fmt = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}.get(
        source[source.rfind("."):].lower(), ox.RdfFormat.TURTLE)
    mem = ox.Store()
    try:
        mem.load(text.encode("utf-8"), fmt)
    except (SyntaxError, ValueError) as e:
        raise InputError(source, f"cannot parse the reviews file: {' '.join(str(e).split())[:160]}") from None
    query = _decision_query("").replace(f"GRAPH <{REVIEWS_GRAPH}>", "")
    result = mem.query(query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    rows = [[None if s[c] is None else s[c].value for c in names] for s in result]
    found = decisions_from_rows(rows)
    for d in found:
        if d.action not in ACTIONS:
            raise InputError(source, f"review of {d.claim}: unknown decision {d.action!r}")
        _check(d)
    return found


def import_decisions(store, text: str, source: str) -> int:
    """Record and apply the decisions of a reviews file (parse_decisions); how many."""
    items = parse_decisions(text, source)
    record(store, items)
    return len(items)


__all__ = ["Decision", "Original", "decide", "decisions", "record", "apply", "reapply", "pending",
           "export_ntriples", "import_decisions", "parse_decisions", "remove_article", "new_decision",
           "record_update", "original_queries", "original_from_rows", "ACTIONS", "RELATIONS"]
