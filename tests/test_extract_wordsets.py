"""wordsets.whole_words: one pattern that finds exactly the whole words of a set."""
import re

import pytest

from stancegraph.loaders.extract.wordsets import whole_words

WORDS = ["air", "airlift", "aid", "troops", "troop", "de", "défense", "mine", "minehunters"]
TEXT = ("Airlift and air aid: the troops, a troop, troopships, de-mining, défense and "
        "minehunters; mines are no mine_field")


def test_finds_exactly_the_words_of_the_set_in_order():
    found = [(m.start(), m.group()) for m in whole_words(WORDS).finditer(TEXT)]
    expected = [(m.start(), m.group()) for m in re.finditer(r"\w+", TEXT) if m.group() in WORDS]
    assert found == expected
    assert [w for _, w in found] == ["air", "aid", "troops", "troop", "de", "défense",
                                     "minehunters"]


def test_empty_set_matches_nothing_and_non_words_are_refused():
    assert whole_words([]).search("anything") is None
    with pytest.raises(ValueError):
        whole_words(["air defence"])
