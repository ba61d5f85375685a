// title: Countries that refused troops
// question: Which countries refused to send troops to the reassurance force?
// params: as_of (date, optional) — latest stance on or before this date (default: no limit)
// returns: actor, type, latest_date, quote, outlet, article, support, confidence
MATCH (c:Claim)-[:OBJECT]->(:CommitmentKind {iri: 'https://w3id.org/stancegraph/ns#ReassuranceForce'})
WHERE c.relation <> 'states' AND c.validDate <= date($as_of)
MATCH (c)-[:ACTOR|ON_BEHALF_OF]->(who:Actor)
WITH who, c ORDER BY c.validDate DESC, c.confidence DESC, c.iri DESC
WITH who, collect(c)[0] AS latest
WHERE latest.relation = 'refuses' AND (who:Country OR who:Coalition OR who:Group OR who:Organization)
MATCH (latest)-[:ARTICLE]->(a:Article)-[:PUBLISHER]->(o:Outlet)
MATCH (s:Claim)-[:OBJECT]->(:CommitmentKind {iri: 'https://w3id.org/stancegraph/ns#ReassuranceForce'})
WHERE s.relation = 'refuses' AND s.validDate <= date($as_of) AND (s)-[:ACTOR|ON_BEHALF_OF]->(who)
WITH who, latest, a, o, count(DISTINCT s) AS support
RETURN who.name AS actor,
       reduce(m = null, l IN [x IN labels(who) WHERE x IN ['Country', 'Coalition', 'Group', 'Organization']] |
              CASE WHEN m IS NULL OR l < m THEN l ELSE m END) AS type,
       toString(latest.validDate) AS latest_date, latest.quote AS quote, o.name AS outlet,
       a.title AS article, support, latest.confidence AS confidence
ORDER BY actor
