"""An optional second extractor: an OpenAI-compatible chat endpoint asked for claims under a
strict JSON schema. Off unless STANCEGRAPH_LLM_URL is set. Every quote it returns must be an
exact substring of the article (else the claim is dropped and counted); actors and kinds must
resolve in the gazetteer and the SKOS scheme. Its claims merge with the rule-based ones."""
from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from stancegraph.loaders.errors import InputError
from stancegraph.loaders.model import ActorRef, Article, Claim, ClaimObject, Relation, content_hash
from stancegraph.ontology.gazetteer import Gazetteer, load_gazetteer
from stancegraph.ontology.kinds import load_kinds
from stancegraph.ontology.vocab import ID_IRI

SCHEMA = {
    "name": "claims", "strict": True,
    "schema": {"type": "object", "additionalProperties": False, "required": ["claims"],
               "properties": {"claims": {"type": "array", "items": {
                   "type": "object", "additionalProperties": False,
                   "required": ["actor", "relation", "object", "quote"],
                   "properties": {
                       "actor": {"type": "string", "description": "country, person, organisation or group"},
                       "relation": {"type": "string", "enum": [r.value for r in Relation]},
                       "object": {"type": "string", "description": "a commitment kind name, or for "
                                  "'states' the stated position in a few words"},
                       "quote": {"type": "string", "description": "the exact sentence, copied verbatim"}}}}}},
}
PROMPT = ("You code political stances in news. For each sentence where an actor commits to, refuses, "
          "is undecided on, or sets conditions for a contribution to Ukraine's security, or states a "
          "position, return one claim. Kinds: {kinds}. Copy the quote verbatim from the article.")


@dataclass
class LLMReport:
    """What the LLM extractor did for one run: kept claims and what it had to drop."""

    kept: int = 0
    hallucinated_quotes: int = 0
    unknown_actors: int = 0
    unknown_kinds: int = 0
    dropped: list[str] = field(default_factory=list)


class LLMExtractor:
    def __init__(self, url: str, model: str, api_key: str | None = None, timeout: float = 60.0):
        self.url = url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.report = LLMReport()

    @classmethod
    def from_env(cls) -> "LLMExtractor | None":
        url = os.environ.get("STANCEGRAPH_LLM_URL")
        if not url:
            return None
        return cls(url, os.environ.get("STANCEGRAPH_LLM_MODEL", "default"),
                   os.environ.get("STANCEGRAPH_LLM_API_KEY"))

    def extract(self, article: Article, gazetteer: Gazetteer | None = None) -> list[Claim]:
        gazetteer = gazetteer or load_gazetteer()
        raw = self._ask(article)
        return [c for c in (self._claim(item, article, gazetteer) for item in raw) if c is not None]

    def _ask(self, article: Article) -> list[dict]:
        kinds = ", ".join(k.name for k in load_kinds())
        payload = {"model": self.model, "temperature": 0,
                   "response_format": {"type": "json_schema", "json_schema": SCHEMA},
                   "messages": [{"role": "system", "content": PROMPT.format(kinds=kinds)},
                                {"role": "user", "content": f"{article.title}\n\n{article.body}"}]}
        request = urllib.request.Request(self.url + "/chat/completions", data=json.dumps(payload).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        if self.api_key:
            request.add_header("Authorization", f"Bearer {self.api_key}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read())
            content = answer["choices"][0]["message"]["content"]
            return json.loads(content)["claims"]
        except (urllib.error.URLError, OSError) as e:
            raise InputError(self.url, f"the LLM endpoint cannot be reached: {getattr(e, 'reason', e)}") from None
        except (KeyError, IndexError, TypeError, ValueError) as e:
            raise InputError(self.url, f"the LLM answer does not follow the claims schema ({e})") from None

    def _claim(self, item: dict, article: Article, gazetteer: Gazetteer) -> Claim | None:
        quote = item.get("quote", "")
        start = article.body.find(quote) if quote else -1
        if start < 0:
            self.report.hallucinated_quotes += 1
            self.report.dropped.append(f"quote not in the article: {quote[:80]!r}")
            return None
        entity = _entity(gazetteer, item.get("actor", ""))
        if entity is None:
            self.report.unknown_actors += 1
            self.report.dropped.append(f"unknown actor {item.get('actor')!r}")
            return None
        relation = Relation(item["relation"])
        if relation is Relation.STATES:
            label = " ".join(item.get("object", "").split()[:12])
            obj = ClaimObject(f"{ID_IRI}position/{content_hash(label.lower())}", label)
        else:
            kind = next((k for k in load_kinds() if item.get("object", "").lower() in
                         (k.name.lower(), k.label.lower())), None)
            if kind is None:
                self.report.unknown_kinds += 1
                self.report.dropped.append(f"unknown kind {item.get('object')!r}")
                return None
            obj = ClaimObject(kind.iri, kind.name)
        behalf_iri = gazetteer.speaks_for(entity.iri, article.published.date()) if entity.type == "Person" else None
        behalf = gazetteer.get(behalf_iri) if behalf_iri else None
        actor = ActorRef(entity.iri, entity.label, entity.type,
                         ActorRef(behalf.iri, behalf.label, behalf.type) if behalf else None)
        self.report.kept += 1
        return Claim(actor, relation, obj, article.published.date(), quote, (start, start + len(quote)),
                     0.6, article, f"llm/{self.model}")


def _entity(gazetteer: Gazetteer, text: str):
    wanted = text.strip().lower()
    for surface, iri, _kind in gazetteer.surface_forms():
        if surface.lower() in (wanted, f"the {wanted}"):
            return gazetteer.get(iri)
    return None


def merge(rule_claims: list[Claim], llm_claims: list[Claim]) -> list[Claim]:
    """Rule-based claims first; an LLM claim is added when no rule claim has the same actor,
    relation and object in the same sentence."""
    seen = {(c.actor.id, c.relation, c.object.id, c.span) for c in rule_claims}
    seen_stance = {(c.actor.id, c.relation, c.span) for c in rule_claims if c.relation is Relation.STATES}
    out = list(rule_claims)
    for c in llm_claims:
        key = (c.actor.id, c.relation, c.object.id, c.span)
        if key in seen or (c.relation is Relation.STATES and (c.actor.id, c.relation, c.span) in seen_stance):
            continue
        seen.add(key)
        out.append(c)
    return out
