"""Generated articles of realistic shape for the scale benchmark: varied templates over the
gazetteer (countries by name, alias or demonym; leaders in office on the article's date; every
commitment kind), distinct titles, URLs and dates, ~12 stance claims and a few filler sentences
each. Deterministic: the same n gives the same articles on every run."""
from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

from stancegraph.ontology.gazetteer import load_gazetteer
from stancegraph.ontology.kinds import load_kinds

START = datetime(2024, 1, 1, 6, tzinfo=timezone.utc)
SPAN_DAYS = 730                      # two years of news
OUTLETS = ("Reuters", "Associated Press", "Agence France-Presse", "BBC News", "The Guardian",
           "Financial Times", "Le Monde", "Der Spiegel", "Politico Europe", "Euromaidan Press",
           "Kyiv Independent", "Deutsche Welle", "El País", "Corriere della Sera", "Gazeta Wyborcza",
           "Yle News", "NOS", "Irish Times", "Euronews", "The Times", "Le Figaro", "ANSA",
           "Ukrainska Pravda", "Novaya Gazeta Europe", "Helsingin Sanomat", "Dagens Nyheter",
           "Aftenposten", "Publico", "Kathimerini", "Hurriyet Daily News")
# Countries most news on the topic is about (by ISO 3166 code); the rest of the gazetteer is rarer.
FREQUENT = ("AUS", "AUT", "BEL", "BGR", "CAN", "CHN", "CZE", "DEU", "DNK", "ESP", "EST", "FIN",
            "FRA", "GBR", "GRC", "HRV", "HUN", "IRL", "ISL", "ITA", "JPN", "LTU", "LUX", "LVA",
            "NLD", "NOR", "NZL", "POL", "PRT", "ROU", "RUS", "SVK", "SVN", "SWE", "TUR", "UKR", "USA")
PLACES = ("Paris", "London", "Brussels", "Berlin", "Kyiv", "Warsaw", "Rome", "Madrid", "The Hague",
          "Washington", "Helsinki", "Vilnius", "Oslo", "Copenhagen", "Ankara", "Ottawa")
KIND_PHRASES = {"ReassuranceForce": ("troops", "peacekeepers", "a contingent", "boots on the ground"),
                "AirSupport": ("air defence systems", "air cover", "fighter jets"),
                "Funding": ("financial aid", "an aid package", "budget support"),
                "Intelligence": ("intelligence sharing", "early warning", "ceasefire monitoring"),
                "Logistics": ("logistical support", "airlift", "logistics"),
                "MaritimeSupport": ("maritime security", "minehunters", "a maritime task force"),
                "Sanctions": ("new sanctions", "an oil embargo", "export controls"),
                "SecurityGuarantee": ("security guarantees", "a defence pact", "collective defence"),
                "Training": ("military instructors", "military training", "military advisers"),
                "Weapons": ("artillery shells", "ammunition", "armoured vehicles", "cruise missiles")}
STANCE_TEMPLATES = {
    "commits": ("{a} pledged {k} for Ukraine, {src} said.",
                "{a} is ready to send {k} to Ukraine once a ceasefire holds.",
                "{a} will provide {k} to Ukraine this year.",
                "{a} has committed to {k} for Kyiv, officials confirmed."),
    "refuses": ("{a} has ruled out sending {k} to Ukraine.",
                "{a} refused to provide {k}, {src} reported.",
                "{a} rejected calls to supply {k} to Ukraine.",
                "{a} has no plans to send {k}, a spokesperson said."),
    "undecided": ("{a} has yet to decide on {k} for Ukraine.",
                  "{a} is still considering whether to send {k}.",
                  "Officials said {a} remains undecided about {k}."),
    "conditions": ("{a} would send {k} only if the United States provides a backstop.",
                   "{a} said it could provide {k} provided that a ceasefire is agreed first."),
}
FILLER = ("The meeting in {place} lasted several hours and ended with a joint statement.",
          "Diplomats said the talks would continue next week.",
          "The discussions focused on the timing of any deployment after a ceasefire.",
          "Ministers also discussed reconstruction and energy supplies.",
          "Several delegations arrived late because of the weather in {place}.",
          "Analysts expect further announcements before the end of the month.")
HEADLINES = ("{a} and {b} split over {k} as talks resume in {place}",
             "Allies weigh {k} for Ukraine after {place} meeting",
             "{a} sets out its position on {k}",
             "What {a} and {b} said about {k} in {place}",
             "{place} summit: where {a} stands on {k}")


def _actors(gazetteer):
    """Countries (named by label, alias or demonym) and people with their offices."""
    countries = sorted((e for e in gazetteer.entities.values() if e.type == "Country"),
                       key=lambda e: (e.iso3 not in FREQUENT, e.iri))
    people = sorted((e for e in gazetteer.entities.values() if e.type == "Person" and e.offices),
                    key=lambda e: e.iri)
    return countries, people


def _country_name(rng: random.Random, e) -> str:
    aliases = [a for a in e.aliases if a[:1].isupper() and 3 < len(a) <= 16]
    demonyms = [d for d in e.demonyms if d[:1].isupper() and not d.endswith("s")]
    roll = rng.random()
    if demonyms and roll < 0.15:
        return f"the {rng.choice(demonyms)} government"
    return rng.choice(aliases) if aliases and roll > 0.8 else e.label


def _speaker(rng: random.Random, people, day) -> str | None:
    in_office = [p for p in people if any(o.held_on(day) for o in p.offices)]
    if not in_office:
        return None
    p = rng.choice(in_office)
    office = next(o for o in p.offices if o.held_on(day))
    return f"{office.role} {p.label}" if rng.random() < 0.5 else p.label


def generate(n: int, seed: int = 11) -> Iterator[dict]:
    """n JSONL article objects (title, outlet, published, url, body), deterministically."""
    gazetteer = load_gazetteer()
    countries, people = _actors(gazetteer)
    kinds = [k.name for k in load_kinds() if k.name in KIND_PHRASES]
    rng = random.Random(seed)
    step = SPAN_DAYS * 86400 / max(n, 1)
    for i in range(n):
        published = START + timedelta(seconds=int(i * step) + rng.randrange(0, max(int(step), 1)))
        outlet = OUTLETS[rng.randrange(len(OUTLETS))]
        place = rng.choice(PLACES)
        sentences = []
        focus = [rng.choice(kinds) for _ in range(3)]
        for j in range(14):
            kind = focus[j % 3] if rng.random() < 0.7 else rng.choice(kinds)
            relation = rng.choices(tuple(STANCE_TEMPLATES), weights=(5, 3, 2, 1))[0]
            template = rng.choice(STANCE_TEMPLATES[relation])
            if rng.random() < 0.2:
                actor = _speaker(rng, people, published.date()) or _country_name(rng, rng.choice(countries))
            else:
                actor = _country_name(rng, rng.choice(countries[:len(FREQUENT)] if rng.random() < 0.8 else countries))
            sentence = template.format(a=actor, k=rng.choice(KIND_PHRASES[kind]), src=outlet)
            sentences.append(sentence[0].upper() + sentence[1:])
            if rng.random() < 0.4:
                sentences.append(rng.choice(FILLER).format(place=place))
        a, b = _country_name(rng, rng.choice(countries[:len(FREQUENT)])), _country_name(rng, rng.choice(countries[:len(FREQUENT)]))
        title = rng.choice(HEADLINES).format(a=a, b=b, k=KIND_PHRASES[focus[0]][0], place=place)
        paragraphs = [" ".join(sentences[p:p + 3]) for p in range(0, len(sentences), 3)]
        slug = "-".join(title.lower().replace(":", "").split()[:8])
        yield {"title": f"{title} ({published:%d %b %Y}, no. {i + 1})", "outlet": outlet,
               "published": published.isoformat(timespec="minutes"),
               "url": f"https://news.example.org/{published:%Y/%m/%d}/{slug}-{i + 1}",
               "language": "en", "body": "\n\n".join(paragraphs)}


def write_jsonl(path: Path, n: int, seed: int = 11) -> Path:
    """The n generated articles as one JSONL file (what `stancegraph load` reads)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for item in generate(n, seed):
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    import sys

    write_jsonl(Path(sys.argv[2]), int(sys.argv[1]))
