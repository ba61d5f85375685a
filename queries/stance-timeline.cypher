// title: Stance timeline of one actor
// question: How did an actor's stances and statements change over time, and through which group or speaker?
// params: actor (actor, required) — a country, person, organisation or group (name, alias or IRI)
// params: kind (kind, optional) — only claims about this commitment kind
// params: as_of (date, optional, default 9999-12-31) — only claims on or before this date
// params: since (date, optional) — only claims on or after this date
// params: min_confidence (confidence, optional) — only claims at least this confident (0 to 1)
// params: outlet (outlet, optional) — only claims from this outlet's articles
// returns: date, actor, relation, object, quote, outlet, article, article_url, claim, actor_iri, confidence, claimer, via_group, conflict
MATCH (c:Claim)-[:ACTOR|ON_BEHALF_OF]->(:Actor {iri: $actor_param})
WHERE c.validDate <= date($as_of) AND ($since IS NULL OR c.validDate >= date($since))
  AND ($min_confidence IS NULL OR c.confidence >= $min_confidence)
MATCH (c)-[:OBJECT]->(obj)
WHERE $kind_param IS NULL OR obj.iri = $kind_param
MATCH (c)-[:ARTICLE]->(a:Article)-[:PUBLISHER]->(o:Outlet)
WHERE $outlet_param IS NULL OR o.iri = $outlet_param
MATCH (c)-[:ACTOR]->(who:Actor)
OPTIONAL MATCH (c)-[:ATTRIBUTED_TO]->(by)
OPTIONAL MATCH (c)-[:DERIVED_FROM]->(g)
OPTIONAL MATCH (x:Claim)-[:ACTOR|ON_BEHALF_OF]->(:Actor {iri: $actor_param})
WHERE c.relation IN ['commits', 'refuses', 'undecided', 'conditions']
  AND x.relation IN ['commits', 'refuses', 'undecided', 'conditions'] AND x.relation <> c.relation
  AND x.validDate = c.validDate AND (x)-[:OBJECT]->(obj)
  AND ($min_confidence IS NULL OR x.confidence >= $min_confidence)
  AND ($outlet_param IS NULL OR (x)-[:ARTICLE]->(:Article)-[:PUBLISHER]->(:Outlet {iri: $outlet_param}))
WITH c, obj, a, o, who, by, g, collect(DISTINCT x.relation) AS other
RETURN DISTINCT toString(c.validDate) AS date, who.name AS actor, c.relation AS relation, obj.name AS object,
       c.quote AS quote, o.name AS outlet, a.title AS article, a.url AS article_url, c.iri AS claim,
       who.iri AS actor_iri, c.confidence AS confidence, coalesce(by.name, '') AS claimer,
       coalesce(g.name, '') AS via_group,
       reduce(s = '', r IN ['commits', 'conditions', 'refuses', 'undecided'] | CASE WHEN NOT r IN other THEN s WHEN s = '' THEN r ELSE s + ', ' + r END) AS conflict
ORDER BY date, relation, object, quote, claim
