"""One compiled pattern for a set of words or phrases, written as a trie ("air(?:lift)?"): it
finds only the members of the set, in one scan, instead of every word (or every member) being
looked up in turn."""
from __future__ import annotations

import re

_END = ""


def whole_words(words) -> re.Pattern[str]:
    """Matches exactly the maximal runs of word characters (`\\w+`) that are in `words` (each a
    run of word characters itself), leftmost first."""
    words = sorted(set(words))
    if any(not re.fullmatch(r"\w+", w) for w in words):
        raise ValueError("whole_words takes runs of word characters only")
    if not words:
        return re.compile(r"(?!)")
    return re.compile(rf"(?<!\w){trie_alternation(words)}(?!\w)")


def trie_alternation(strings) -> str:
    """A regex source matching any of the (non-empty) strings, the longest one where several
    start at the same place."""
    trie: dict = {}
    for s in strings:
        node = trie
        for ch in s:
            node = node.setdefault(ch, {})
        node[_END] = {}
    return _alternatives(trie)


def _alternatives(node: dict) -> str:
    alts = [re.escape(ch) + _alternatives(child) for ch, child in sorted(node.items()) if ch]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if _END in node else body
