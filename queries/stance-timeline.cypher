// title: Stance timeline of one actor
// question: How did an actor's stances and statements change over time?
// params: actor (actor, required) — a country, person, organisation or group (name, alias or IRI)
// params: as_of (date, optional) — only claims on or before this date (default: no limit)
// returns: date, actor, relation, object, quote, outlet, article, confidence, claimer
MATCH (c:Claim)-[:ACTOR|ON_BEHALF_OF]->(:Actor {iri: $actor_iri})
WHERE c.validDate <= date($as_of) AND NOT (c)-[:DERIVED_FROM]->()
MATCH (c)-[:ACTOR]->(who:Actor)
MATCH (c)-[:OBJECT]->(obj)
MATCH (c)-[:ARTICLE]->(a:Article)-[:PUBLISHER]->(o:Outlet)
OPTIONAL MATCH (c)-[:ATTRIBUTED_TO]->(by)
RETURN DISTINCT toString(c.validDate) AS date, who.name AS actor, c.relation AS relation,
       obj.name AS object, c.quote AS quote, o.name AS outlet, a.title AS article,
       c.confidence AS confidence, coalesce(by.name, '') AS claimer
ORDER BY date, relation, object, quote
