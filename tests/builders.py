"""Builders for tests: small articles and claims written for the tests, and corpus paths."""
from __future__ import annotations

import http.server
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from stancegraph.loaders.model import ActorRef, Article, Claim, ClaimObject, Relation
from stancegraph.ontology.vocab import ID_IRI, SG_IRI

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEV_DUMP = SHARED / "corpus" / "dev" / "euromaidan-reader-dump.txt"


def make_article(body: str, title: str = "Test article", day: str = "2025-09-04",
                 outlet: str = "Test Wire", url: str | None = None) -> Article:
    when = datetime.fromisoformat(day).replace(hour=12, tzinfo=timezone.utc)
    return Article(id=url or f"test:{title}:{day}", url=url, outlet=outlet, title=title,
                   published=when, language="en", body=body, source="tests", position="case")


def country(iso3: str, label: str) -> ActorRef:
    return ActorRef(f"{ID_IRI}country/{iso3}", label, "Country")


def stance_claim(article: Article, actor: ActorRef, relation: Relation, sentence: str,
                 kind: str = "ReassuranceForce", confidence: float = 0.9) -> Claim:
    start = article.body.index(sentence)
    return Claim(actor, relation, ClaimObject(SG_IRI + kind, kind), article.published.date(),
                 sentence, (start, start + len(sentence)), confidence, article, "test/1")


@contextmanager
def local_http(respond):
    """A throw-away HTTP server on 127.0.0.1: `respond(method, path, body) -> (content_type,
    bytes)` answers every GET and POST. Yields the base URL; stopped on exit."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            ctype, body = respond(self.command, self.path, self.rfile.read(length) if length else b"")
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
