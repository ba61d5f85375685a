"""A reference for the saved stance questions that aggregates the claims directly, written apart
from the materialised stances (loaders/store/stances.py) so the two can be compared: every
claim is read back from the store, filtered, and the latest claim per (actor, kind) picked by
valid date, then confidence (its stored form), then claim IRI."""
from __future__ import annotations

from dataclasses import dataclass

SG = "https://w3id.org/stancegraph/ns#"
STANCE = {SG + r for r in ("commits", "refuses", "undecided", "conditions")}
STORIES = "https://w3id.org/stancegraph/id/graph/stories"


@dataclass(frozen=True)
class Row:
    claim: str
    who: str
    kind: str
    relation: str
    date: str
    confidence: str
    article: str
    outlet: str
    story: str
    source: str

    @property
    def key(self):
        return (self.date, self.confidence, self.claim)


def claim_rows(store) -> list[Row]:
    """Every stance claim, once per actor it speaks for (itself and on behalf of)."""
    _, rows = store.select(f"""
        SELECT ?c ?who ?k ?rel ?d (STR(?conf) AS ?cf) ?a ?o ?story ?source WHERE {{
          GRAPH ?g {{ ?c <{SG}relation> ?rel ; <{SG}object> ?k ; <{SG}validDate> ?d ;
                        <{SG}confidence> ?conf ; <{SG}article> ?a .
                     {{ ?c <{SG}actor> ?who }} UNION {{ ?c <{SG}onBehalfOf> ?who }}
                     ?a <https://schema.org/publisher> ?o }}
          OPTIONAL {{ GRAPH <{STORIES}> {{ ?a <{SG}story> ?story . ?story <{SG}storySource> ?source }} }}
        }}""")
    return [Row(c, who, k, rel, str(d), cf, a, o, story or a, source or o)
            for c, who, k, rel, d, cf, a, o, story, source in rows if rel in STANCE]


def keep(r: Row, as_of, since, min_confidence, outlet) -> bool:
    """Whether a claim passes the saved questions' filters."""
    return (r.date <= as_of and (since is None or r.date >= since)
            and (min_confidence is None or float(r.confidence) >= min_confidence)
            and (outlet is None or r.outlet == outlet))


def latest_stances(rows: list[Row], as_of: str = "9999-12-31", since: str | None = None,
                   min_confidence: float | None = None, outlet: str | None = None) -> dict:
    """(actor, kind) -> dict of what a stance row shows, from the claims that pass the filters."""
    by_pair: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        if keep(r, as_of, since, min_confidence, outlet):
            by_pair.setdefault((r.who, r.kind), []).append(r)
    out = {}
    for pair, claims in by_pair.items():
        latest = max(claims, key=lambda r: r.key)
        same = [r for r in claims if r.relation == latest.relation]
        others = [r for r in claims if r.relation != latest.relation]
        earlier = max(others, key=lambda r: r.key) if others else None
        out[pair] = {
            "claim": latest.claim, "relation": latest.relation, "date": latest.date,
            "support_articles": len({r.story for r in same}),
            "support_outlets": len({r.source for r in same}),
            "conflict": sorted({r.relation.rsplit("#", 1)[1] for r in claims
                                if r.date == latest.date and r.relation != latest.relation}),
            "earlier": earlier.claim if earlier is not None and earlier.date < latest.date else None,
        }
    return out


def conflict_days(rows: list[Row], as_of: str = "9999-12-31", since: str | None = None,
                  min_confidence: float | None = None, outlet: str | None = None) -> set:
    """(actor, kind, day, claim, decides) for every day whose claims disagree."""
    by_day: dict[tuple[str, str, str], list[Row]] = {}
    for r in rows:
        if keep(r, as_of, since, min_confidence, outlet):
            by_day.setdefault((r.who, r.kind, r.date), []).append(r)
    out = set()
    for (who, kind, day), claims in by_day.items():
        if len({r.relation for r in claims}) < 2:
            continue
        won = max(claims, key=lambda r: r.key)
        out.add((who, kind, day, won.claim, "yes"))
        out.update((who, kind, day, r.claim, "no") for r in claims if r.relation != won.relation)
    return out
