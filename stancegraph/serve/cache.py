"""Answers of read requests, kept for the store's current generation: the same saved question
asked again before the next write is answered without a worker. Any write clears it. Requests
whose answer may differ between runs (NOW, RAND, UUID, STRUUID, BNODE, SERVICE) are never kept.
In front of a remote store, which other loaders may write to directly, an answer is also kept
for `max_age` seconds at most."""
from __future__ import annotations

import json
import re
import time
from collections import OrderedDict

from .engine import Answer

VOLATILE = re.compile(r"\b(?:now|rand|uuid|struuid|bnode)\s*\(|service", re.IGNORECASE)


class ResultCache:
    def __init__(self, budget: int, max_age: float | None = None):
        self.budget = budget                   # bytes of answers kept; 0 = off
        self.max_age = max_age
        self.entries: OrderedDict[str, tuple[Answer, float]] = OrderedDict()
        self.size = 0
        self.generation = 0

    def key(self, header: dict) -> str | None:
        if self.budget <= 0 or VOLATILE.search(header.get("sparql") or ""):
            return None
        return json.dumps(header, sort_keys=True)

    def get(self, key: str, generation: int) -> Answer | None:
        self._follow(generation)
        kept = self.entries.get(key)
        if kept is None:
            return None
        answer, at = kept
        if self.max_age is not None and time.monotonic() - at > self.max_age:
            del self.entries[key]
            self.size -= len(answer.body)
            return None
        self.entries.move_to_end(key)
        return answer

    def put(self, key: str, answered_at: int, generation: int, answer: Answer) -> None:
        """Keep a 200 answer computed on a view of the current generation."""
        self._follow(generation)
        if answered_at != generation or answer.status != 200 or len(answer.body) > self.budget // 16:
            return
        if key in self.entries:
            return
        self.entries[key] = (answer, time.monotonic() if self.max_age is not None else 0.0)
        self.size += len(answer.body)
        while self.size > self.budget:
            _, (old, _) = self.entries.popitem(last=False)
            self.size -= len(old.body)

    def _follow(self, generation: int) -> None:
        if generation != self.generation:
            self.entries.clear()
            self.size, self.generation = 0, generation
