// title: Stance changes
// question: Which actors changed their stance on a commitment kind, and what did they say before and after?
// params: as_of (date, optional) — stances on or before this date (default: no limit)
// returns: actor, kind, earlier_relation, earlier_date, earlier_quote, later_relation, later_date, later_quote
MATCH (c:Claim)-[:OBJECT]->(k:CommitmentKind)
WHERE c.relation <> 'states' AND c.validDate <= date($as_of)
MATCH (c)-[:ACTOR|ON_BEHALF_OF]->(who:Actor)
WITH who, k, c ORDER BY c.validDate DESC, c.confidence DESC, c.iri DESC
WITH who, k, collect(c) AS claims
WITH who, k, claims[0] AS latest,
     [x IN claims WHERE x.relation <> claims[0].relation AND x.validDate < claims[0].validDate] AS before
WHERE size(before) > 0
WITH who, k, latest, before[0] AS earlier
RETURN who.name AS actor, k.name AS kind,
       earlier.relation AS earlier_relation, toString(earlier.validDate) AS earlier_date,
       earlier.quote AS earlier_quote, latest.relation AS later_relation,
       toString(latest.validDate) AS later_date, latest.quote AS later_quote
ORDER BY actor, kind
