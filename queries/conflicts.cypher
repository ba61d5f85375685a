// title: Same-day conflicts
// question: Where do claims about the same actor and kind on the same day disagree, and which one decides the stance?
// params: actor (actor, optional) — only this country, person, organisation or group (name, alias or IRI)
// params: kind (kind, optional) — only this commitment kind
// params: as_of (date, optional, default 9999-12-31) — only days on or before this date
// params: since (date, optional) — only days on or after this date
// params: min_confidence (confidence, optional) — only claims at least this confident (0 to 1)
// params: outlet (outlet, optional) — only claims from this outlet's articles
// returns: actor, kind, date, relation, decides, quote, outlet, article_url, claim, actor_iri, confidence
MATCH (c:Claim)-[:OBJECT]->(k:CommitmentKind)
WHERE c.relation IN ['commits', 'refuses', 'undecided', 'conditions'] AND c.validDate <= date($as_of)
  AND ($since IS NULL OR c.validDate >= date($since))
  AND ($min_confidence IS NULL OR c.confidence >= $min_confidence)
MATCH (c)-[:ARTICLE]->(a:Article)-[:PUBLISHER]->(o:Outlet)
WHERE $outlet_param IS NULL OR o.iri = $outlet_param
MATCH (c)-[:ACTOR|ON_BEHALF_OF]->(who:Actor)
WHERE ($actor_param IS NULL OR who.iri = $actor_param) AND ($kind_param IS NULL OR k.iri = $kind_param)
WITH who, k, c, o, a ORDER BY c.validDate DESC, c.confidence DESC, c.iri DESC
WITH who, k, c.validDate AS day, collect({c: c, o: o, a: a}) AS claims
WHERE size(reduce(s = [], x IN claims | CASE WHEN x.c.relation IN s THEN s ELSE s + x.c.relation END)) > 1
WITH who, k, day, claims[0] AS top, claims
UNWIND [x IN claims WHERE x.c = top.c OR x.c.relation <> top.c.relation] AS row
RETURN DISTINCT who.name AS actor, k.name AS kind, toString(day) AS date, row.c.relation AS relation,
       CASE WHEN row.c = top.c THEN 'yes' ELSE 'no' END AS decides, row.c.quote AS quote,
       row.o.name AS outlet, row.a.url AS article_url, row.c.iri AS claim, who.iri AS actor_iri,
       row.c.confidence AS confidence
ORDER BY actor, kind, date, decides DESC, relation, claim
