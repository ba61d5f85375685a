// title: Commitment matrix
// question: For each country and commitment kind, what is the latest stance?
// params: as_of (date, optional, default 9999-12-31) — the stances as known on this date
// params: since (date, optional) — only claims on or after this date
// params: min_confidence (confidence, optional) — only claims at least this confident (0 to 1)
// params: outlet (outlet, optional) — only claims from this outlet's articles
// returns: actor, kind, relation, latest_date, support_articles, support_outlets, quote, outlet, article_url, claim, actor_iri, conflict
MATCH (c:Claim)-[:OBJECT]->(k:CommitmentKind)
WHERE c.relation IN ['commits', 'refuses', 'undecided', 'conditions'] AND c.validDate <= date($as_of)
  AND ($since IS NULL OR c.validDate >= date($since))
  AND ($min_confidence IS NULL OR c.confidence >= $min_confidence)
MATCH (c)-[:ARTICLE]->(a:Article)-[:PUBLISHER]->(o:Outlet)
WHERE $outlet_param IS NULL OR o.iri = $outlet_param
MATCH (c)-[:ACTOR|ON_BEHALF_OF]->(who:Country)
OPTIONAL MATCH (a)-[:STORY]->(st:Story)-[:STORY_SOURCE]->(ss:Outlet)
WITH who, k, c, a, o, coalesce(st.iri, a.iri) AS story, coalesce(ss.iri, o.iri) AS source
ORDER BY c.validDate DESC, c.confidence DESC, c.iri DESC
WITH who, k, collect({c: c, a: a, o: o, story: story, source: source}) AS claims
WITH who, k, claims[0] AS top, claims
WITH who, k, top, [x IN claims WHERE x.c.relation = top.c.relation] AS same,
     [x IN claims WHERE x.c.validDate = top.c.validDate AND x.c.relation <> top.c.relation | x.c.relation] AS other
WITH who, k, top, same, reduce(s = '', r IN ['commits', 'conditions', 'refuses', 'undecided'] | CASE WHEN NOT r IN other THEN s WHEN s = '' THEN r ELSE s + ', ' + r END) AS conflict
RETURN who.name AS actor, k.name AS kind, top.c.relation AS relation, toString(top.c.validDate) AS latest_date,
       size(reduce(s = [], x IN same | CASE WHEN x.story IN s THEN s ELSE s + x.story END)) AS support_articles,
       size(reduce(s = [], x IN same | CASE WHEN x.source IN s THEN s ELSE s + x.source END)) AS support_outlets,
       top.c.quote AS quote, top.o.name AS outlet, top.a.url AS article_url, top.c.iri AS claim,
       who.iri AS actor_iri, conflict
ORDER BY actor, kind, relation
