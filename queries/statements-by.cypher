// title: Statements by a person
// question: What positions did a person state, and where?
// params: person (actor, required) — a person's name, alias or IRI
// params: as_of (date, optional) — only statements on or before this date (default: no limit)
// returns: date, person, on_behalf_of, position, quote, outlet, article, confidence
MATCH (c:Claim {relation: 'states'})-[:ACTOR]->(p:Actor {iri: $person_iri})
WHERE c.validDate <= date($as_of)
MATCH (c)-[:OBJECT]->(pos:Position)
MATCH (c)-[:ARTICLE]->(a:Article)-[:PUBLISHER]->(o:Outlet)
OPTIONAL MATCH (c)-[:ON_BEHALF_OF]->(behalf:Actor)
RETURN DISTINCT toString(c.validDate) AS date, p.name AS person, coalesce(behalf.name, '') AS on_behalf_of,
       pos.name AS position, c.quote AS quote, o.name AS outlet, a.title AS article, c.confidence AS confidence
ORDER BY date, quote
