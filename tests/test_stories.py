"""The body sketch that finds syndicated copies: stores keep each article's sketch, so its values
must not change between versions (a changed sketch would split stored copies from new ones)."""
from __future__ import annotations

import hashlib
import re
import struct

from stancegraph.loaders.store.stories import SKETCH_SIZE, body_sketch, parse_sketch, sketch_text

BODY = ("Spain said on Monday it would not send troops to Ukraine. The Spanish defence minister "
        "added that Spain would keep training Ukrainian soldiers at home, as it has since 2022.")


def _by_definition(body: str) -> tuple[int, ...]:
    """The sketch as stories.py defines it, written out plainly: for each of three BLAKE2b-512
    personalisations, each digest read as eight big-endian 64-bit values, the minimum of each
    value over the distinct 4-word shingles of the casefolded words."""
    words = re.findall(r"\w+", body.casefold())
    shingles = {" ".join(words[i:i + 4]) for i in range(max(1, len(words) - 3))}
    out: list[int] = []
    for person in (b"stancegraph-s0", b"stancegraph-s1", b"stancegraph-s2"):
        columns = zip(*(struct.unpack(">8Q", hashlib.blake2b(s.encode(), digest_size=64,
                                                             person=person).digest())
                        for s in sorted(shingles)))
        out.extend(min(c) for c in columns)
    return tuple(out)


def test_the_sketch_is_the_minimum_blake2b_values_over_the_word_shingles():
    sketch = body_sketch(BODY)
    assert len(sketch) == SKETCH_SIZE
    assert sketch == _by_definition(BODY)
    assert body_sketch(BODY.upper()) == sketch                 # casefolded
    assert body_sketch("Three short words") == _by_definition("Three short words")


def test_an_empty_body_has_no_sketch_and_a_sketch_survives_its_text_form():
    assert body_sketch("") == () and body_sketch(" ... ") == ()
    assert parse_sketch(sketch_text(body_sketch(BODY))) == body_sketch(BODY)
