// title: Actors with conditions
// question: Which countries, groups and organisations would commit only on conditions (troops unless another kind is given)?
// params: kind (kind, optional, default ReassuranceForce) — the commitment kind
// params: as_of (date, optional, default 9999-12-31) — the stance as known on this date (latest claim on or before it)
// params: since (date, optional) — only claims on or after this date
// params: min_confidence (confidence, optional) — only claims at least this confident (0 to 1)
// params: outlet (outlet, optional) — only claims from this outlet's articles
// returns: actor, type, latest_date, quote, outlet, article, article_url, claim, actor_iri, support_articles, support_outlets, confidence, conflict
MATCH (c:Claim)-[:OBJECT]->(k:CommitmentKind {iri: $kind_param})
WHERE c.relation IN ['commits', 'refuses', 'undecided', 'conditions'] AND c.validDate <= date($as_of)
  AND ($since IS NULL OR c.validDate >= date($since))
  AND ($min_confidence IS NULL OR c.confidence >= $min_confidence)
MATCH (c)-[:ARTICLE]->(a:Article)-[:PUBLISHER]->(o:Outlet)
WHERE $outlet_param IS NULL OR o.iri = $outlet_param
MATCH (c)-[:ACTOR|ON_BEHALF_OF]->(who:Actor)
OPTIONAL MATCH (a)-[:STORY]->(st:Story)-[:STORY_SOURCE]->(ss:Outlet)
WITH who, c, a, o, coalesce(st.iri, a.iri) AS story, coalesce(ss.iri, o.iri) AS source
ORDER BY c.validDate DESC, c.confidence DESC, c.iri DESC
WITH who, collect({c: c, a: a, o: o, story: story, source: source}) AS claims
WITH who, claims, claims[0] AS top
WHERE top.c.relation = 'conditions' AND (who:Country OR who:Coalition OR who:Group OR who:Organization)
WITH who, top, [x IN claims WHERE x.c.relation = top.c.relation] AS same,
     [x IN claims WHERE x.c.validDate = top.c.validDate AND x.c.relation <> top.c.relation | x.c.relation] AS other
WITH who, top, same, reduce(s = '', r IN ['commits', 'conditions', 'refuses', 'undecided'] | CASE WHEN NOT r IN other THEN s WHEN s = '' THEN r ELSE s + ', ' + r END) AS conflict
RETURN who.name AS actor,
       reduce(m = null, l IN [x IN labels(who) WHERE x IN ['Country', 'Coalition', 'Group', 'Organization']] |
              CASE WHEN m IS NULL OR l < m THEN l ELSE m END) AS type,
       toString(top.c.validDate) AS latest_date, top.c.quote AS quote, top.o.name AS outlet,
       top.a.title AS article, top.a.url AS article_url, top.c.iri AS claim, who.iri AS actor_iri,
       size(reduce(s = [], x IN same | CASE WHEN x.story IN s THEN s ELSE s + x.story END)) AS support_articles,
       size(reduce(s = [], x IN same | CASE WHEN x.source IN s THEN s ELSE s + x.source END)) AS support_outlets,
       top.c.confidence AS confidence, conflict
ORDER BY actor
