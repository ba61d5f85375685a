// title: Statements by an actor
// question: What positions did a person state, or a country through its own voice and its office-holders, and where?
// params: actor (actor, required) — a person, or a country or organisation (its office-holders' statements at the date count)
// params: as_of (date, optional, default 9999-12-31) — only statements on or before this date
// params: since (date, optional) — only statements on or after this date
// params: min_confidence (confidence, optional) — only claims at least this confident (0 to 1)
// params: outlet (outlet, optional) — only statements from this outlet's articles
// returns: date, speaker, on_behalf_of, position, quote, outlet, article, article_url, claim, actor_iri, confidence
MATCH (c:Claim {relation: 'states'})-[:ACTOR|ON_BEHALF_OF]->(:Actor {iri: $actor_param})
WHERE c.validDate <= date($as_of) AND ($since IS NULL OR c.validDate >= date($since))
  AND ($min_confidence IS NULL OR c.confidence >= $min_confidence)
MATCH (c)-[:ARTICLE]->(a:Article)-[:PUBLISHER]->(o:Outlet)
WHERE $outlet_param IS NULL OR o.iri = $outlet_param
MATCH (c)-[:ACTOR]->(who:Actor)
MATCH (c)-[:OBJECT]->(pos:Position)
OPTIONAL MATCH (c)-[:ON_BEHALF_OF]->(behalf:Actor)
RETURN DISTINCT toString(c.validDate) AS date, who.name AS speaker, coalesce(behalf.name, '') AS on_behalf_of,
       pos.name AS position, c.quote AS quote, o.name AS outlet, a.title AS article, a.url AS article_url,
       c.iri AS claim, who.iri AS actor_iri, c.confidence AS confidence
ORDER BY date, quote, claim
