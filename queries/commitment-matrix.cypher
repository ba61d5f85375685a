// title: Commitment matrix
// question: For each country and commitment kind, what is the latest stance?
// params: as_of (date, optional) — latest stances on or before this date (default: no limit)
// returns: actor, kind, relation, latest_date, support, quote
MATCH (c:Claim)-[:OBJECT]->(k:CommitmentKind)
WHERE c.relation <> 'states' AND c.validDate <= date($as_of)
MATCH (c)-[:ACTOR|ON_BEHALF_OF]->(who:Country)
WITH who, k, c ORDER BY c.validDate DESC, c.confidence DESC, c.iri DESC
WITH who, k, collect(c)[0] AS latest
MATCH (s:Claim)-[:OBJECT]->(k)
WHERE s.relation = latest.relation AND s.validDate <= date($as_of) AND (s)-[:ACTOR|ON_BEHALF_OF]->(who)
WITH who, k, latest, count(DISTINCT s) AS support
RETURN who.name AS actor, k.name AS kind, latest.relation AS relation,
       toString(latest.validDate) AS latest_date, support, latest.quote AS quote
ORDER BY actor, kind, relation
