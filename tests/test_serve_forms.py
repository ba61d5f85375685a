"""The front's form and query-string decoding (percent escapes undone in C, for speed) gives
exactly urllib's answer, or the same 400 where urllib refuses the text as not UTF-8."""
from __future__ import annotations

import random
import urllib.parse

import pytest

from stancegraph.serve.app import Refused, parse_qs

PIECES = ["a", "query", "=", "&", "+", "%", "%2", "%20", "%2B", "%25", "%5C", "\\", "\\x41",
          "%E2%82%AC", "%e2%82", "%C3%A9", "%FF", "%zz", " ", "é", "SELECT ?s", "&&", "==", "x"]


def urllib_answer(raw: str):
    try:
        return urllib.parse.parse_qs(raw, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return "refused"


def ours(raw: str):
    try:
        return parse_qs(raw)
    except Refused as e:
        assert e.status == 400
        return "refused"


def test_two_thousand_generated_forms_decode_as_urllib_decodes_them():
    rng = random.Random(9)
    forms = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12))) for _ in range(2000)]
    assert [ours(f) for f in forms] == [urllib_answer(f) for f in forms]


@pytest.mark.parametrize("text", ["SELECT * WHERE { ?s ?p \"a+b%c\\\\d €\" } # +%",
                                  "PREFIX sg: <https://w3id.org/stancegraph/ns#>\nASK {}"])
def test_an_encoded_query_comes_back_whole(text):
    raw = urllib.parse.urlencode({"query": text, "format": "json"})
    assert parse_qs(raw) == {"query": [text], "format": ["json"]}
