"""What the HTML report shows, gathered from the store through the saved questions an analyst
would run: `commitment-matrix`, `stance-timeline` per actor, `stance-changes`; and the uncoded
count, computed from the article bodies kept in the store with the extractor of this version."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from stancegraph.ontology.vocab import SCHEMA, SG, SKOS

from .tables import Matrix, commitment_matrix, saved_rows

STANCE_RELATIONS = ("commits", "refuses", "undecided", "conditions")


@dataclass(frozen=True)
class Point:
    """One claim on an actor's timeline."""

    date: str
    kind: str
    relation: str
    quote: str
    outlet: str


@dataclass(frozen=True)
class Change:
    """A change of stance: on `kind`, from `before` to `after` on `date`."""

    kind: str
    before: str
    after: str
    date: str
    quote: str


@dataclass(frozen=True)
class Timeline:
    actor: str
    points: tuple[Point, ...]
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Uncoded:
    sentence: str
    article: str
    outlet: str
    actors: tuple[str, ...]
    cues: tuple[str, ...]


@dataclass(frozen=True)
class ReportData:
    stats: dict
    newest: str                         # date of the newest article: the report's "as of"
    matrix: Matrix
    timelines: tuple[Timeline, ...]
    uncoded: tuple[Uncoded, ...]
    extractor: str


def gather(store, as_of: str | None = None) -> ReportData:
    """Everything the report shows, in a deterministic order."""
    from stancegraph.loaders.extract import EXTRACTOR

    matrix = commitment_matrix(store, as_of)
    values = {"as_of": as_of} if as_of else {}
    changes: dict[str, list[Change]] = {}
    for r in saved_rows(store, "stance-changes", values):
        changes.setdefault(r["actor"], []).append(Change(
            r["kind"], r["earlier_relation"], r["later_relation"], r["later_date"], r.get("later_quote", "")))
    timelines = []
    for actor in matrix.actors:
        rows = saved_rows(store, "stance-timeline", {**values, "actor": _actor_key(store, actor)})
        points = tuple(Point(r["date"], r["object"], r["relation"], r["quote"], r.get("outlet", ""))
                       for r in rows if r["relation"] in STANCE_RELATIONS)
        timelines.append(Timeline(actor, points, tuple(sorted(changes.get(actor, ()),
                                                              key=lambda c: (c.date, c.kind)))))
    stats = {k: v for k, v in store.stats().items() if k != "location"}
    return ReportData(stats, _newest(store), matrix, tuple(timelines), uncoded(store), EXTRACTOR)


def _actor_key(store, label: str) -> str:
    """The actor parameter for a label: the label itself when the gazetteer knows it."""
    from stancegraph.ontology.gazetteer import load_gazetteer

    entity = load_gazetteer().by_label(label)
    return entity.iri if entity else label


def _newest(store) -> str:
    _, rows = store.select(f"SELECT (MAX(?d) AS ?newest) WHERE {{ ?a a <{SG.Article}> ; "
                           f"<{SCHEMA.datePublished}> ?d }}")
    return str(rows[0][0])[:10] if rows and rows[0][0] else ""


def stored_articles(store):
    """The stored articles rebuilt as `Article` records (every field is kept in the store)."""
    from stancegraph.loaders.model import Article

    _, rows = store.select(f"""
        SELECT DISTINCT ?id ?url ?outlet ?title ?published ?date_source ?language ?body ?source WHERE {{
          ?a a <{SG.Article}> ; <{SG.sourceId}> ?id ; <{SCHEMA.headline}> ?title ;
             <{SCHEMA.datePublished}> ?published ; <{SCHEMA.inLanguage}> ?language ;
             <{SCHEMA.articleBody}> ?body ; <{SG.source}> ?source ;
             <{SCHEMA.publisher}>/<{SCHEMA.name}> ?outlet .
          OPTIONAL {{ ?a <{SCHEMA.url}> ?url }}
          OPTIONAL {{ ?a <{SG.dateSource}>/<{SKOS.notation}> ?date_source }}
        }} ORDER BY ?published ?id""")
    for id_, url, outlet, title, published, date_source, language, body, source in rows:
        path, _, position = str(source).rpartition(":")
        yield Article(id=str(id_), url=str(url) if url else None, outlet=str(outlet),
                      title=str(title), published=datetime.fromisoformat(str(published)),
                      date_source=str(date_source or "published"),
                      language=str(language), body=str(body), source=path, position=position)


def uncoded(store) -> tuple[Uncoded, ...]:
    """Sentences of the stored articles that name an actor and a stance cue but gave no claim."""
    from stancegraph.loaders.extract import uncoded_sentences

    out = []
    for article in stored_articles(store):
        for u in uncoded_sentences(article):
            out.append(Uncoded(u.sentence, article.title, article.outlet, u.actors, u.cues))
    return tuple(out)
