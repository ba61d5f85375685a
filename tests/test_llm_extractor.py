"""The optional LLM extractor against a local stub of an OpenAI-compatible endpoint that returns
recorded answers (written for this test): verified quotes kept, hallucinated ones dropped and
counted, claims merged with the rule-based ones."""
from __future__ import annotations

import http.server
import json
import threading

import pytest

from builders import make_article
from stancegraph.loaders.errors import InputError
from stancegraph.loaders.extract import extract_claims
from stancegraph.loaders.extract.llm import LLMExtractor

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

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            body = json.dumps({"choices": [{"message": {"content": json.dumps(RECORDED)}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", seen
    server.shutdown()
    server.server_close()


def test_llm_claims_are_verified_counted_and_merged(stub):
    url, seen = stub
    llm = LLMExtractor(url, "stub-model")
    article = make_article(BODY)
    claims = extract_claims(article, llm=llm)
    facts = {(c.actor.label, c.relation.value, c.object.label, c.extractor) for c in claims}
    assert facts == {("Italy", "refuses", "ReassuranceForce", "rules/1.0"),
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
