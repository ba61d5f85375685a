"""POST /review: a review decision through the endpoint, with the write token (403 without).

Body (JSON): {"claim": id or IRI, "action": "confirm"|"retract"|"correct", "by": …, "why": …,
and for a correction any of "actor", "relation", "kind"}. The front reads the claim's values as
extracted (two queries) and stores the decision in graph/reviews (one update); the writer's
recompute after that update applies it to the claim and derives the touched stances again
(loaders/store/reviews.py), as for a decision made with `stancegraph review`.
Answers 200 with the decision as JSON, 400 for a bad body, 404 for an unknown claim."""
from __future__ import annotations

import json

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.store.reviews import (RELATIONS, new_decision, original_from_rows,
                                               original_queries, record_update)
from stancegraph.ontology.vocab import SG_IRI

from .engine import Answer

RESULTS = "application/sparql-results+json"


async def review(request, engine, policy, authorise, read_body, refused) -> Answer:
    """The handler; the front passes its own authorise/read_body and its Refused class."""
    if request.method != "POST":
        raise refused(405, "/review answers POST only (JSON body, write token)")
    authorise(request, policy)
    body = await read_body(request, policy)
    try:
        given = json.loads(body.decode("utf-8"))
        if not isinstance(given, dict):
            raise ValueError("not an object")
    except (UnicodeDecodeError, ValueError) as e:
        raise refused(400, f"/review: the body is not a JSON object ({str(e)[:80]})") from None
    fields = {k: given.get(k) for k in ("claim", "action", "by", "why", "actor", "relation", "kind")}
    if not all(isinstance(v, str) for k, v in fields.items() if v is not None) or not fields["claim"]:
        raise refused(400, "/review: give \"claim\", \"action\", \"by\" and \"why\" as strings")
    try:
        claim, actor, relation, kind = _terms(fields)
        first, second = original_queries(claim)
        rows = await _select(engine, first, policy)
        original = original_from_rows(rows, [] if rows else await _select(engine, second, policy))
        if original is None:
            raise refused(404, f"/review: no such claim in the store: {fields['claim'][:80]}")
        decision = new_decision(claim, fields["action"] or "", fields["by"] or "",
                                fields["why"] or "", original, actor=actor, relation=relation,
                                kind=kind)
    except InputError as e:
        raise refused(400, f"/review: {e}") from None
    answer = await engine.update(record_update([decision]), policy.timeout)
    if answer.status >= 300:
        return answer
    out = {"review": decision.iri, "claim": decision.claim, "action": decision.action,
           "by": decision.by, "at": decision.at, "why": decision.why}
    return Answer(200, json.dumps(out).encode("utf-8"), "application/json")


def _terms(fields: dict) -> tuple[str, str | None, str | None, str | None]:
    from stancegraph.publish.explain import claim_iri
    from stancegraph.queries.catalogue import resolve_actor
    from stancegraph.ontology.kinds import load_kinds

    claim = claim_iri(fields["claim"])
    actor = relation = kind = None
    if fields["actor"]:
        entity = resolve_actor(fields["actor"])
        if entity is None:
            raise InputError(claim, f"no actor called {fields['actor'][:80]!r} in the gazetteer")
        actor = entity.iri
    if fields["relation"]:
        if fields["relation"] not in RELATIONS:
            raise InputError(claim, f"relation {fields['relation'][:40]!r} is not one of {', '.join(RELATIONS)}")
        relation = SG_IRI + fields["relation"]
    if fields["kind"]:
        wanted = fields["kind"].strip().lower()
        found = [k for k in load_kinds() if wanted in (k.name.lower(), k.label.lower(), k.iri.lower())]
        if not found:
            raise InputError(claim, f"unknown commitment kind {fields['kind'][:80]!r}")
        kind = found[0].iri
    return claim, actor, relation, kind


async def _select(engine, sparql: str, policy) -> list[list]:
    answer = await engine.query(sparql, RESULTS, [], [], policy.timeout)
    if answer.status != 200:
        raise InputError("/review", f"reading the claim failed: {answer.body.decode('utf-8', 'replace')[:160]}")
    data = json.loads(answer.body)
    names = data["head"]["vars"]
    return [[(b.get(n) or {}).get("value") for n in names] for b in data["results"]["bindings"]]
