// title: Stance changes
// question: Which actors changed their stance on a commitment kind, and what did they say before and after?
// params: actor (actor, optional) — only this country, person, organisation or group (name, alias or IRI)
// params: kind (kind, optional) — only this commitment kind
// params: as_of (date, optional, default 9999-12-31) — the stances as known on this date
// params: since (date, optional) — only claims on or after this date
// params: min_confidence (confidence, optional) — only claims at least this confident (0 to 1)
// params: outlet (outlet, optional) — only claims from this outlet's articles
// returns: actor, kind, earlier_relation, earlier_date, earlier_quote, later_relation, later_date, later_quote, earlier_claim, later_claim, outlet, article_url, actor_iri
MATCH (c:Claim)-[:OBJECT]->(k:CommitmentKind)
WHERE c.relation IN ['commits', 'refuses', 'undecided', 'conditions'] AND c.validDate <= date($as_of)
  AND ($since IS NULL OR c.validDate >= date($since))
  AND ($min_confidence IS NULL OR c.confidence >= $min_confidence)
MATCH (c)-[:ARTICLE]->(a:Article)-[:PUBLISHER]->(o:Outlet)
WHERE $outlet_param IS NULL OR o.iri = $outlet_param
MATCH (c)-[:ACTOR|ON_BEHALF_OF]->(who:Actor)
WHERE ($actor_param IS NULL OR who.iri = $actor_param) AND ($kind_param IS NULL OR k.iri = $kind_param)
WITH who, k, c, a, o ORDER BY c.validDate DESC, c.confidence DESC, c.iri DESC
WITH who, k, collect({c: c, a: a, o: o}) AS claims
WITH who, k, claims[0] AS top, [x IN claims WHERE x.c.relation <> claims[0].c.relation] AS others
WHERE size(others) > 0 AND others[0].c.validDate < top.c.validDate
WITH who, k, top, others[0].c AS earlier
RETURN who.name AS actor, k.name AS kind,
       earlier.relation AS earlier_relation, toString(earlier.validDate) AS earlier_date, earlier.quote AS earlier_quote,
       top.c.relation AS later_relation, toString(top.c.validDate) AS later_date, top.c.quote AS later_quote,
       earlier.iri AS earlier_claim, top.c.iri AS later_claim, top.o.name AS outlet, top.a.url AS article_url,
       who.iri AS actor_iri
ORDER BY actor, kind
