// title: Profile of one actor
// question: Where does an actor stand on every commitment kind, with the quote that decides it, and what did it and its leaders say?
// params: actor (actor, required) — a country, person, organisation or group (name, alias or IRI)
// params: as_of (date, optional, default 9999-12-31) — as known on this date
// params: since (date, optional) — only claims on or after this date
// params: min_confidence (confidence, optional) — only claims at least this confident (0 to 1)
// params: outlet (outlet, optional) — only claims from this outlet's articles
// returns: section, kind, relation, date, speaker, quote, outlet, article_url, claim, actor_iri, support_articles, support_outlets, conflict
CALL {
  MATCH (c:Claim)-[:ACTOR|ON_BEHALF_OF]->(:Actor {iri: $actor_param})
  MATCH (c)-[:OBJECT]->(k:CommitmentKind)
  WHERE c.relation IN ['commits', 'refuses', 'undecided', 'conditions'] AND c.validDate <= date($as_of)
    AND ($since IS NULL OR c.validDate >= date($since))
    AND ($min_confidence IS NULL OR c.confidence >= $min_confidence)
  MATCH (c)-[:ARTICLE]->(a:Article)-[:PUBLISHER]->(o:Outlet)
  WHERE $outlet_param IS NULL OR o.iri = $outlet_param
  OPTIONAL MATCH (a)-[:STORY]->(st:Story)-[:STORY_SOURCE]->(ss:Outlet)
  WITH k, c, a, o, coalesce(st.iri, a.iri) AS story, coalesce(ss.iri, o.iri) AS source
  ORDER BY c.validDate DESC, c.confidence DESC, c.iri DESC
  WITH k, collect({c: c, a: a, o: o, story: story, source: source}) AS claims
  WITH k, claims[0] AS top, claims
  WITH k, top, top.c AS tc, [x IN claims WHERE x.c.relation = top.c.relation] AS same,
       [x IN claims WHERE x.c.validDate = top.c.validDate AND x.c.relation <> top.c.relation | x.c.relation] AS other
  MATCH (tc)-[:ACTOR]->(speaker:Actor)
  RETURN 'stance' AS section, k.name AS kind, top.c.relation AS relation, toString(top.c.validDate) AS date,
         speaker.name AS speaker, top.c.quote AS quote, top.o.name AS outlet, top.a.url AS article_url,
         top.c.iri AS claim, size(reduce(s = [], x IN same | CASE WHEN x.story IN s THEN s ELSE s + x.story END)) AS support_articles,
         size(reduce(s = [], x IN same | CASE WHEN x.source IN s THEN s ELSE s + x.source END)) AS support_outlets,
         reduce(s = '', r IN ['commits', 'conditions', 'refuses', 'undecided'] | CASE WHEN NOT r IN other THEN s WHEN s = '' THEN r ELSE s + ', ' + r END) AS conflict
  UNION
  MATCH (c:Claim {relation: 'states'})-[:ACTOR|ON_BEHALF_OF]->(:Actor {iri: $actor_param})
  WHERE c.validDate <= date($as_of) AND ($since IS NULL OR c.validDate >= date($since))
    AND ($min_confidence IS NULL OR c.confidence >= $min_confidence)
  MATCH (c)-[:ARTICLE]->(a:Article)-[:PUBLISHER]->(o:Outlet)
  WHERE $outlet_param IS NULL OR o.iri = $outlet_param
  MATCH (c)-[:ACTOR]->(speaker:Actor)
  MATCH (c)-[:OBJECT]->(pos:Position)
  RETURN 'statement' AS section, pos.name AS kind, c.relation AS relation, toString(c.validDate) AS date,
         speaker.name AS speaker, c.quote AS quote, o.name AS outlet, a.url AS article_url, c.iri AS claim,
         null AS support_articles, null AS support_outlets, '' AS conflict
}
RETURN section, kind, relation, date, speaker, quote, outlet, article_url, claim, $actor_param AS actor_iri,
       support_articles, support_outlets, conflict
ORDER BY section DESC, kind, date, quote, claim
