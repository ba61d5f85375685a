"""One compiled pattern for a set of whole words, written as a trie ("air(?:lift)?"): it finds
only the words of the set, in one scan, instead of every word being looked up in turn."""
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
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[_END] = {}
    return re.compile(rf"(?<!\w){_alternatives(trie)}(?!\w)")


def _alternatives(node: dict) -> str:
    alts = [re.escape(ch) + _alternatives(child) for ch, child in sorted(node.items()) if ch]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if _END in node else body
