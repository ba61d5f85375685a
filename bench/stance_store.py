"""A generated store of realistic shape for stance benchmarks: N articles of ~12 claims each
over the gazetteer's countries and leaders, every commitment kind, dates over a year, a few
hundred outlets and some syndicated copies. Claims are made directly (no extraction, no SHACL),
so a 10k store takes a minute, not half an hour. Seeded: same N, same store."""
from __future__ import annotations

import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from stancegraph.loaders.mapping import article_graph
from stancegraph.loaders.model import ActorRef, Article, Claim, ClaimObject, Relation
from stancegraph.ontology.gazetteer import load_gazetteer
from stancegraph.ontology.kinds import load_kinds

VERBS = {Relation.COMMITS: "is ready to provide", Relation.REFUSES: "has ruled out sending",
         Relation.UNDECIDED: "has yet to decide on", Relation.CONDITIONS: "would only provide",
         Relation.STATES: "said that"}
RELATIONS = [Relation.COMMITS] * 5 + [Relation.REFUSES] * 2 + [Relation.UNDECIDED] * 2 + \
            [Relation.CONDITIONS, Relation.STATES, Relation.STATES]
FILLER = ("Officials met in the capital on the same day. The talks covered guarantees, "
          "monitoring and the line of contact. Further meetings are planned.")


def _actors():
    g = load_gazetteer()
    people = sorted((e for e in g.entities.values() if e.type == "Person" and e.offices),
                    key=lambda e: e.iri)
    countries = sorted((e for e in g.entities.values() if e.type == "Country"), key=lambda e: e.iri)
    return countries[:60], people


def generate(n: int, seed: int = 7, claims_per_article: int = 12):
    """(Article, [Claim]) pairs, deterministic for (n, seed)."""
    rng = random.Random(seed)
    countries, people = _actors()
    kinds = load_kinds()
    outlets = [f"Outlet {i:03d}" for i in range(300)]
    start = date(2025, 1, 1)
    previous: list[tuple[str, list]] = []
    for i in range(n):
        day = start + timedelta(days=rng.randrange(365))
        outlet = rng.choice(outlets)
        syndicated = previous and rng.random() < 0.05
        if syndicated:                       # a wire story picked up by another outlet
            body, specs = rng.choice(previous[-50:])
        else:
            specs = []
            for _ in range(claims_per_article):
                if rng.random() < 0.25 and people:
                    person = rng.choice(people)
                    who = ActorRef(person.iri, person.label, "Person",
                                   on_behalf_of=_behalf(person, day))
                else:
                    c = rng.choice(countries)
                    who = ActorRef(c.iri, c.label, "Country")
                rel = rng.choice(RELATIONS)
                kind = rng.choice(kinds)
                specs.append((who, rel, kind, round(rng.choice([0.6, 0.7, 0.8, 0.9, 0.95]), 2)))
            sentences = []
            for j, (who, rel, kind, _conf) in enumerate(specs):
                what = f"position {j} on {kind.label.lower()}" if rel is Relation.STATES else kind.label.lower()
                sentences.append(f"{who.label} {VERBS[rel]} {what} (item {i}.{j}).")
            body = " ".join(sentences) + " " + FILLER
            previous.append((body, specs))
        when = datetime(day.year, day.month, day.day, 8 + i % 10, i % 60, tzinfo=timezone.utc)
        article = Article(id=f"https://gen.invalid/{i}", url=f"https://gen.invalid/{i}", outlet=outlet,
                          title=f"Generated story {i}", published=when, language="en", body=body,
                          source="generated", position=f"item {i + 1}")
        claims, at = [], 0
        for who, rel, kind, conf in specs:
            end = body.index(").", at) + 2
            quote = body[at:end]
            obj = ClaimObject(kind.iri, quote.split(" on ")[0] if rel is Relation.STATES else kind.name)
            if rel is Relation.STATES:
                obj = ClaimObject(kind.iri, f"position on {kind.label.lower()} {quote[-8:-2]}")
            claims.append(Claim(who, rel, obj, day, quote, (at, end), conf, article, "generated/1"))
            at = end + 1
        yield article, claims


def _behalf(person, day):
    held = [o for o in person.offices if o.held_on(day)]
    if not held:
        return None
    entity = load_gazetteer().get(held[0].of)
    return ActorRef(entity.iri, entity.label, entity.type) if entity else None


def build(path: Path, n: int, seed: int = 7, derive: bool = True) -> float:
    """Create the store at `path` (must not exist) with n generated articles; seconds taken."""
    from stancegraph.loaders.store import open_store

    started = time.perf_counter()
    store = open_store(path)
    store.ensure_reference_graphs()
    for article, claims in generate(n, seed):
        store.put_article(article, article_graph(article, claims))
    if derive:
        store.recompute_stances(full=True)
    return time.perf_counter() - started


if __name__ == "__main__":
    target, count = Path(sys.argv[1]), int(sys.argv[2])
    print(f"built {count} articles in {build(target, count):.0f} s at {target}")
