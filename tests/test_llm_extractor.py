"""The optional LLM extractor against a local stub of an OpenAI-compatible endpoint that returns
recorded answers (written for this test): verified quotes kept, hallucinated ones dropped and
counted, claims merged with the rule-based ones."""
from __future__ import annotations

import json

import pytest

from builders import local_http, make_article
from stancegraph.loaders.errors import InputError
from stancegraph.loaders.extract import extract_claims
from stancegraph.loaders.extract.llm import LLMExtractor
from stancegraph.loaders.version import EXTRACTOR

BODY = ("Italy has ruled out sending troops. "
        "Lisbon quietly sketched plans for its frigates to shepherd grain convoys.")
RECORDED = {"claims": [
    {"actor": "Italy", "relation": "refuses", "object": "ReassuranceForce",
     "quote": "Italy has ruled out sending troops."},
    {"actor": "Portugal", "relation": "commits", "object": "MaritimeSupport",
     "quote": "Lisbon quietly sketched plans for its frigates to shepherd grain convoys."},
    {"actor": "Spain", "relation": "refuses", "object": "ReassuranceForce",
     "quote": "Spain has ruled out troops."},                      # not in the article
    {"actor": "Atlantis", "relation": "commits", "object": "Funding",
     "quote": "Italy has ruled out sending troops."},              # not an actor we know
]}


@pytest.fixture
def stub():
    seen = []

    def respond(method, path, body):
        seen.append(json.loads(body))
        return "application/json", json.dumps(
            {"choices": [{"message": {"content": json.dumps(RECORDED)}}]}).encode()

    with local_http(respond) as url:
        yield f"{url}/v1", seen


def test_llm_claims_are_verified_counted_and_merged(stub):
    url, seen = stub
    llm = LLMExtractor(url, "stub-model")
    article = make_article(BODY)
    claims = extract_claims(article, llm=llm)
    facts = {(c.actor.label, c.relation.value, c.object.label, c.extractor) for c in claims}
    assert facts == {("Italy", "refuses", "ReassuranceForce", EXTRACTOR),
                     ("Portugal", "commits", "MaritimeSupport", "llm/stub-model")}
    assert (llm.report.kept, llm.report.hallucinated_quotes, llm.report.unknown_actors) == (2, 1, 1)
    portugal = next(c for c in claims if c.actor.label == "Portugal")
    assert article.body[portugal.span[0]:portugal.span[1]] == portugal.quote
    request = seen[0]
    assert request["response_format"]["json_schema"]["strict"] is True
    assert request["model"] == "stub-model"


def test_llm_is_off_unless_configured(monkeypatch):
    monkeypatch.delenv("STANCEGRAPH_LLM_URL", raising=False)
    assert LLMExtractor.from_env() is None


def test_unreachable_llm_is_one_clear_error():
    with pytest.raises(InputError, match="the LLM endpoint cannot be reached"):
        LLMExtractor("http://127.0.0.1:9/v1", "m", timeout=2).extract(make_article(BODY))
