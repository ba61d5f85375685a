"""`stancegraph ask`: a question in words read into one saved question and its parameters.

A small parser, not a bag of words. It reads, in this order and without reusing a word: dates
(`ask_dates`), a confidence floor, an outlet, the commitment kind (any SKOS label or altLabel of
ontology/kinds.ttl), the actor (any gazetteer name, alias or demonym; one after "to"/"for"/"in"
is the recipient, not the actor), then the cue words of queries/ask-words.tsv: the stance asked
about (refuses / commits / undecided / conditional, with negation), a change, a timeline, a
statement, a profile, the matrix, conflicts. Words it does not know lower its confidence; below
THRESHOLD, or when the question needs something it did not find, nothing runs and the reading
says why. Same question (and store), same reading."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from typing import Iterable, Sequence

from .ask_dates import find_dates
from .ask_tokens import Match, PhraseTable, Token, tokenize
from .ask_words import actor_table, entity as gazetteer_entity, kind_table, lexicon

THRESHOLD = 0.6
STANCE_QUERIES = {"refuses": "refused", "commits": "committed", "undecided": "undecided",
                  "conditional": "conditional"}
_GROUP_TYPES = ("Group", "Coalition", "Organization")
_PLURAL_GROUPS = frozenset({"countries", "states", "nations", "nordics", "baltics", "members"})


@dataclass(frozen=True)
class Reading:
    """What a question was read as: the saved question, its bindings (parameter, value) with
    kinds as local names, actors as IRIs, dates as YYYY-MM-DD), how sure, and from which words.
    `problem` says why nothing may run; `query` is then the best guess, if any."""

    question: str
    query: str | None
    bindings: tuple[tuple[str, str], ...]
    confidence: float
    evidence: tuple[str, ...]
    problem: str | None = None
    suggestions: tuple[str, ...] = ()

    @property
    def runs(self) -> bool:
        return self.problem is None and self.query is not None

    @property
    def values(self) -> dict[str, str]:
        return dict(self.bindings)


def parse_question(question: str, reference: date | None = None,
                   outlets: Iterable[str] = ()) -> Reading:
    """The saved question (by the names of the shared contract) and bindings a question asks
    for. `reference` is the day a date without a year is counted back from (the newest article
    in the store); `outlets` are the outlet names an "according to X" may name."""
    p = _Parse(question, tokenize(question))
    p.read_dates(reference)
    p.read_confidence_floor()
    p.read_outlet(outlets)
    kinds = p.read_kinds()
    actors = actor_table().find(p.tokens, p.free)
    cues = lexicon().cues.find(p.tokens, p.free)
    cues = sorted(cues + _verbs_in(kinds, p.tokens), key=lambda m: m.first)
    p.read_actors(actors, cues)
    meanings = Counter(m.meaning for m in cues)
    for m in cues:
        p.known += 0 if m.meaning == "filler" else m.last - m.first
        if m.meaning not in ("filler", "sequence"):
            p.evidence.append(f"{p.said(m)!r} → {m.meaning}")
    unknown = [t.text for t, f in zip(p.tokens, p.free) if f]

    has_actor, has_kind = "actor" in p.bindings, "kind" in p.bindings
    intent, certainty, why = _intent(cues, meanings, has_actor, has_kind)
    if why:
        p.problems.append(why)
    query, wanted = _route(intent, has_actor, has_kind)
    if query is None and intent is not None and not why:
        p.problems.append(f"'{intent}' needs {wanted}")
    if query == "commitment-matrix":
        p.bindings.pop("kind", None)

    coverage = p.known / (p.known + 2 * len(unknown)) if p.known else 0.0
    confidence = round(certainty * coverage, 2)
    if unknown:
        p.evidence.append("not understood: " + " ".join(repr(w) for w in unknown))
    if not p.problems and query is None:
        p.problems.append("it asks for nothing a saved question answers")
    if not p.problems and confidence < THRESHOLD:
        p.problems.append(f"confidence {confidence:.2f} is below {THRESHOLD}"
                          + (f" ({', '.join(repr(w) for w in unknown)} not understood)" if unknown else ""))
    ordered = tuple((k, p.bindings[k]) for k in _PARAM_ORDER if k in p.bindings)
    return Reading(question, query, ordered, confidence, tuple(p.evidence),
                   "; ".join(p.problems) if p.problems else None)


def _verbs_in(kinds: list[Match], tokens: Sequence[Token]) -> list[Match]:
    """The verb inside a kind phrase ("sending troops", "deploy forces") still says commits."""
    out = []
    for m in kinds:
        for i in range(m.first, m.last):
            cue = lexicon().cues.match_at(tokens[:i + 1], i)
            if cue is not None and cue.meaning == "commits-weak":
                out.append(cue)
    return out


class _Parse:
    """The state of one reading: tokens still free, what was found, what went wrong."""

    def __init__(self, question: str, tokens: tuple[Token, ...]) -> None:
        self.question, self.tokens = question, tokens
        self.free = [True] * len(tokens)
        self.evidence: list[str] = []
        self.problems: list[str] = []
        self.bindings: dict[str, str] = {}
        self.known = 0                      # words read as something other than filler

    def said(self, m: Match) -> str:
        return self.question[self.tokens[m.first].start:self.tokens[m.last - 1].end]

    def take(self, first: int, last: int) -> None:
        self.known += sum(self.free[first:last])
        for k in range(first, last):
            self.free[k] = False

    def read_dates(self, reference: date | None) -> None:
        for d in find_dates(self.tokens, self.free, reference, self.question):
            self.known += d.last - d.first
            if d.problem:
                self.problems.append(f"{d.text!r}: {d.problem}")
                continue
            found = [(n, v.isoformat()) for n, v in (("since", d.since), ("as_of", d.as_of)) if v]
            for name, value in found:
                if self.bindings.get(name, value) != value:
                    self.problems.append(f"two {name} dates ({self.bindings[name]}, {value})")
                self.bindings[name] = value
            self.evidence.append(f"{d.text!r} → " + " ".join(f"{n}={v}" for n, v in found))
        since, as_of = self.bindings.get("since"), self.bindings.get("as_of")
        if since and as_of and since > as_of:
            self.problems.append(f"since {since} is after as_of {as_of}")

    def read_confidence_floor(self) -> None:
        """"confidence above 0.8", "at least 70% confidence": min_confidence."""
        for i in range(len(self.tokens)):
            m = lexicon().cues.match_at(self.tokens, i) if self.free[i] else None
            if m is None or m.meaning != "confidence":
                continue
            near = sorted(range(max(0, i - 4), min(len(self.tokens), i + 5)), key=lambda j: abs(j - i))
            for j in near:
                value = _fraction(self.tokens[j].word) if self.free[j] else None
                if value is not None:
                    self.bindings["min_confidence"] = value
                    self.take(min(i, j), max(i, j) + 1)
                    self.evidence.append(f"{self.tokens[j].text!r} → min_confidence={value}")
                    return

    def read_outlet(self, outlets: Iterable[str]) -> None:
        """"according to Reuters", "reported by Sample Wire": an outlet of the store."""
        table = PhraseTable((name, name) for name in outlets)
        for i in range(len(self.tokens)):
            m = lexicon().cues.match_at(self.tokens, i) if self.free[i] else None
            if m is None or m.meaning != "outlet":
                continue
            found = table.match_at(self.tokens, m.last) if m.last < len(self.tokens) else None
            if found is None:
                rest = self.question[self.tokens[m.last].start:] if m.last < len(self.tokens) else ""
                self.problems.append(f"no outlet called {rest.strip(' ?.!')!r} in the store")
                self.take(i, m.last)
                return
            self.take(i, found.last)
            self.bindings["outlet"] = found.meaning
            self.evidence.append(f"{self.said(found)!r} → outlet {found.meaning}")
            return

    def read_kinds(self) -> list[Match]:
        kinds = kind_table().find(self.tokens, self.free)
        self.known += sum(m.last - m.first for m in kinds)
        names = sorted({m.meaning for m in kinds})
        for m in kinds:
            self.evidence.append(f"{self.said(m)!r} → kind {m.meaning}")
        if len(names) > 1:
            self.problems.append(f"it names {len(names)} commitment kinds ({', '.join(names)}); "
                                 "a saved question takes one")
        elif names:
            self.bindings["kind"] = names[0]
        return kinds

    def read_actors(self, actors: list[Match], cues: list[Match]) -> None:
        """The one actor asked about. An actor right after "to", "for", "in"... receives (troops
        to Ukraine); one after "if"/"unless"/"depends on" is part of a condition."""
        ctx = lexicon().context
        conditions = [m.first for m in cues if m.meaning == "conditional"]
        chosen: list[str] = []
        member_filter = None
        for m in actors:
            self.known += m.last - m.first
            back = m.first - 1 - (m.first > 1 and self.tokens[m.first - 1].word == "the")
            before = self.tokens[back].word if m.first else ""
            entity = gazetteer_entity(m.meaning)
            if before in ctx["recipient"]:
                self.evidence.append(f"{self.said(m)!r} after {before!r}: the recipient, not an actor")
                continue
            if any(c < m.first for c in conditions):
                self.evidence.append(f"{self.said(m)!r}: part of the condition, not an actor")
                continue
            if before in ctx["member-of"] and entity.type in _GROUP_TYPES \
                    and self.tokens[m.last - 1].word in _PLURAL_GROUPS:     # "which Nordic countries"
                member_filter = entity.label
            if m.meaning not in chosen:
                chosen.append(m.meaning)
            self.evidence.append(f"{self.said(m)!r} → actor {entity.label}")
        if len(chosen) > 1:
            labels = ", ".join(gazetteer_entity(i).label for i in chosen)
            self.problems.append(f"it names {len(chosen)} actors ({labels}); a saved question takes one")
        elif chosen:
            self.bindings["actor"] = chosen[0]
        if member_filter:
            self.problems.append(f"no saved question lists only the members of {member_filter}; "
                                 f"ask about {member_filter} itself or about every country")


_PARAM_ORDER = ("kind", "actor", "since", "as_of", "min_confidence", "outlet")


def _intent(cues: list[Match], meanings: Counter, has_actor: bool,
            has_kind: bool) -> tuple[str | None, float, str | None]:
    """The kind of question: a stance (refuses, commits, ...), changes, timeline, statements,
    profile, matrix or conflicts; how certain (0-1); and a problem, if the cues disagree."""
    for single in ("conflicts", "timeline", "changes", "matrix"):
        if meanings[single]:
            return single, 1.0, None
    first = {m.meaning: m.first for m in reversed(cues)}
    refusal, commitment = first.get("refuses"), first.get("commits")
    negations = [m.first for m in cues if m.meaning == "negation"]
    if refusal is not None and any(0 < refusal - n <= 2 for n in negations):
        return None, 0.0, "it asks who did not refuse; saved questions list stances, not their absence"
    if meanings["conditional"]:
        return "conditional", 1.0, None
    if meanings["undecided"]:
        return "undecided", 1.0, None
    if refusal is not None and commitment is not None:
        if meanings["sequence"]:            # "refused, then pledged"
            return "changes", 0.9, None
        if refusal < commitment:            # "refused to commit", "against pledging"
            return "refuses", 1.0, None
        return None, 0.0, "it both commits and refuses; ask about one, or about changes"
    if refusal is not None or negations:
        return "refuses", 1.0, None
    if commitment is not None:
        return "commits", 1.0, None
    if meanings["statements"] and (has_actor or not meanings["commits-weak"]):
        return "statements", 1.0, None
    if meanings["overview"] and not has_actor:
        return "matrix", 1.0, None
    if meanings["profile"] or meanings["overview"]:
        return "profile", 1.0, None
    if meanings["commits-weak"]:
        return "commits", 0.8, None
    if has_actor:
        return "profile", 0.7, None           # "Poland?", "Poland and troops"
    if has_kind:
        return None, 0.0, "it names a commitment kind but no stance (committed? refused? undecided?)"
    return None, 0.0, None


def _route(intent: str | None, has_actor: bool, has_kind: bool) -> tuple[str | None, str]:
    """The saved question for an intent, or None and what it lacks."""
    if intent is None:
        return None, ""
    if intent == "conflicts":
        return "conflicts", ""
    if intent == "changes":
        return "stance-changes", ""
    if intent == "matrix":
        return ("actor-profile" if has_actor else "commitment-matrix"), ""
    if has_actor:
        if intent == "timeline" or has_kind:
            return "stance-timeline", ""
        return ("statements-by" if intent == "statements" else "actor-profile"), ""
    if intent in STANCE_QUERIES:
        return STANCE_QUERIES[intent], ""
    return None, "an actor (a country, group or person from the gazetteer)"


def _fraction(word: str) -> str | None:
    if not re.fullmatch(r"\d+(?:\.\d+)?%?", word):
        return None
    value = float(word.rstrip("%"))
    if word.endswith("%") or value > 1:
        value /= 100
    return f"{value:g}" if 0 <= value <= 1 else None


def describe(reading: Reading, defaults: dict[str, str] | None = None) -> str:
    """One line: the query and every binding it runs with (defaults marked), and why."""
    shown = []
    for name, value in reading.bindings:
        shown.append(f"{name}={_short(name, value)}")
    for name, value in sorted((defaults or {}).items()):
        if name not in reading.values:
            shown.append(f"{name}={value} (default)")
    return (f"query {reading.query} " + (" ".join(shown) if shown else "(no parameters)")
            + f" · confidence {reading.confidence:.2f}")


def _short(name: str, value: str) -> str:
    if name == "actor":
        entity = gazetteer_entity(value)
        return entity.label if entity else value
    return value


def check_against(reading: Reading, catalogue: dict) -> Reading:
    """The reading refused (with a problem) unless its saved question exists and takes every
    parameter bound; and the closest saved questions attached as suggestions."""
    problem = reading.problem
    q = catalogue.get(reading.query) if reading.query else None
    if problem is None and q is None:
        problem = f"there is no saved question {reading.query!r}"
    if problem is None:
        taken = {p.name for p in q.params}
        extra = [name for name, _ in reading.bindings if name not in taken]
        if extra:
            problem = f"saved question {q.name!r} takes no {', '.join(extra)}"
        missing = [p.name for p in q.params if p.required and p.name not in reading.values]
        if missing and problem is None:
            problem = f"saved question {q.name!r} needs {', '.join(missing)}"
    suggestions = suggest(reading, catalogue) if problem else ()
    return replace(reading, problem=problem, suggestions=suggestions)


def suggest(reading: Reading, catalogue: dict, n: int = 3) -> tuple[str, ...]:
    """The saved questions closest to a question: the parser's own guess first, then the ones
    sharing most words with it (title, question, keywords), ties by name."""
    words = {t.word for t in tokenize(reading.question) if len(t.word) > 2}

    def score(q) -> float:
        text = {t.word for t in tokenize(" ".join((q.title, q.question, " ".join(q.keywords))))}
        return (10.0 if q.name == reading.query else 0.0) + len(words & text)

    ranked = sorted(catalogue.values(), key=lambda q: (-score(q), q.name))
    return tuple(q.name for q in ranked[:n])


def read_question(question: str, catalogue: dict | None = None, reference: date | None = None,
                  outlets: Iterable[str] = ()) -> Reading:
    """parse_question checked against the saved-query catalogue (queries/ by default)."""
    if catalogue is None:
        from .catalogue import load_catalogue
        catalogue = load_catalogue()
    return check_against(parse_question(question, reference, outlets), catalogue)


def store_context(store) -> tuple[date | None, tuple[str, ...]]:
    """What a store tells the parser: the day of its newest article (the year of a date written
    without one) and its outlet names."""
    from stancegraph.ontology.vocab import SCHEMA, SG

    _, rows = store.select(f"SELECT (MAX(?d) AS ?newest) WHERE {{ ?a a <{SG.Article}> ; "
                           f"<{SCHEMA.datePublished}> ?d }}")
    newest = rows[0][0] if rows and rows[0][0] is not None else None
    newest = newest.date() if hasattr(newest, "date") else (
        date.fromisoformat(str(newest)[:10]) if newest else None)
    _, rows = store.select(f"SELECT DISTINCT ?n WHERE {{ ?o a <{SG.Outlet}> ; <{SCHEMA.name}> ?n }}")
    return newest, tuple(sorted({str(r[0]) for r in rows}))
