"""Article -> Claims with general rules: gazetteer mentions, stance cues with polarity,
commitment kinds from the ontology, reported speech. Pure: same article, same claims."""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from stancegraph.loaders.model import ActorRef, Article, Claim, Relation
from stancegraph.ontology.gazetteer import Entity, Gazetteer, load_gazetteer

from stancegraph.loaders.version import EXTRACTOR

from .claims import stance_hits
from .context import Discourse
from .cues import find_cues
from .dates import event_date
from .kinds import find_kinds, specific_kinds
from .mentions import Mention, find_names
from .assemble import (claims_of_hit, is_party_to_the_war, outsider_statements, remember,
                       unique_claims)
from .quotes import QuoteSpeakers
from .reading import Reading, read_article
from .sentences import split_sentences
from .statements import statement_claims


@dataclass(frozen=True)
class Uncoded:
    """A sentence that names an actor and a stance cue but gave no claim."""

    article: Article
    sentence: str
    span: tuple[int, int]
    actors: tuple[str, ...]
    cues: tuple[str, ...]


def extract_claims(article: Article, gazetteer: Gazetteer | None = None, llm=None) -> list[Claim]:
    """Every claim the article makes, in text order; with an LLMExtractor (`llm`, or env
    STANCEGRAPH_LLM_URL when llm is "env"), its verified claims are merged in."""
    gazetteer = gazetteer or load_gazetteer()
    claims = _read(article, gazetteer)[0]
    if llm == "env":
        from .llm import LLMExtractor

        llm = LLMExtractor.from_env()
    if llm is not None:
        from .llm import merge

        claims = merge(claims, llm.extract(article, gazetteer))
    return claims


def uncoded_sentences(article: Article, gazetteer: Gazetteer | None = None) -> list[Uncoded]:
    """Sentences with an actor and a stance cue that yielded no claim: what the rules missed."""
    return _read(article, gazetteer or load_gazetteer())[1]


def _read(article: Article, gaz: Gazetteer) -> tuple[list[Claim], list[Uncoded]]:
    published = article.published.date()
    ctx = Discourse(gaz, published)
    sentences = split_sentences(article.body)
    ctx.home = _home_country(article, sentences[0].text if sentences else "", gaz)
    ctx.title_kinds = tuple(specific_kinds([k.kind for k in find_kinds(article.title)]))
    readings, speakers = read_article(article.body, sentences, ctx)
    ctx.coalition = _article_coalition(article.title, readings, gaz)
    claims: list[Claim] = []
    uncoded: list[Uncoded] = []
    quoted_stances: dict[int, set[str]] = {}          # quotation -> actors with a stance in it
    quoted_statements: list[tuple[int, Claim]] = []
    for r in readings:
        made, missed = _sentence_claims(article, r, ctx, speakers)
        where = _quotation_of(r, speakers)
        for c in made:
            if where is not None and c.relation is not Relation.STATES:
                quoted_stances.setdefault(where, set()).update(_ids(c.actor))
            elif where is not None and not r.speakers:
                quoted_statements.append((where, c))
        claims.extend(made)
        if missed:
            uncoded.append(missed)
    # A quotation whose speaker took a stance in it is coded as that stance, not also as a
    # statement of each of its other sentences.
    redundant = {id(c) for where, c in quoted_statements
                 if set(_ids(c.actor)) & quoted_stances.get(where, set())}
    return unique_claims([c for c in claims if id(c) not in redundant]), uncoded


def _quotation_of(r: Reading, speakers: QuoteSpeakers) -> int | None:
    for a, b in r.quotes:
        index = speakers.index_at(r.sentence.start + (a + b) // 2)
        if index is not None:
            return index
    return None


def _ids(actor: ActorRef) -> tuple[str, ...]:
    return (actor.id,) + ((actor.on_behalf_of.id,) if actor.on_behalf_of else ())


def _sentence_claims(article: Article, r: Reading, ctx: Discourse,
                     quote_speakers: QuoteSpeakers) -> tuple[list[Claim], Uncoded | None]:
    s, text = r.sentence, r.sentence.text
    quote_speaker = next((quote_speakers.speaker_at(s.start + (a + b) // 2) for a, b in r.quotes
                          if quote_speakers.speaker_at(s.start + (a + b) // 2)), None)
    mentions = [_speaking(m, s.start, quote_speakers, ctx) for m in r.mentions]
    speaker_ref = next((ref for ref in r.speaker_refs if ref is not None and ref.type == "Person"),
                       None) or quote_speaker or \
        next((ref for ref in r.speaker_refs if ref is not None and ref.type == "Country"), None)
    cues = find_cues(text)
    kinds = find_kinds(text)
    hits = stance_hits(text, s.index, cues, kinds, mentions, ctx, speaker_ref)
    outside, kept = [], []
    for h in hits:      # "Zelensky, Macron and Starmer signed …": the parties to the war in a
        parties = [a for a in h.actors if is_party_to_the_war(a, ctx)]     # list state it,
        others = [a for a in h.actors if a not in parties]                   # the rest act
        if parties:
            outside.append(replace(h, actors=tuple(parties)))
        if others:
            kept.append(replace(h, actors=tuple(others)) if parties else h)
    hits = kept
    if speaker_ref is not None and speaker_ref.type == "Person" and speaker_ref.on_behalf_of is None:
        # Someone outside government speaks for no one: what they say a country will do is
        # their statement, not the country's stance.
        hits = [h for h in hits if any(a.id == speaker_ref.id for a in h.actors)]

    event = event_date(text, article.published.date())
    valid = event or article.published.date()
    known = _known_labels(ctx.gazetteer)
    claims: list[Claim] = []
    for hit in hits:
        claims.extend(claims_of_hit(article, s, hit, ctx, speaker_ref, valid, event, known))
    stated = statement_claims(article, r, hits, quote_speaker, valid, event, known)
    claims.extend(stated)
    claims.extend(outsider_statements(article, s, outside, valid, event,
                                      {i for c in stated for i in _ids(c.actor)}))
    remember(ctx, s, mentions, kinds, hits)
    missed = None
    if not claims and cues and any(m.entity is not None for m in r.names
                                   if m.how != "demonym-title"):
        missed = Uncoded(article, text, (s.start, s.end),
                         tuple(m.text for m in r.names), tuple(c.text for c in cues))
    return claims, missed


def _speaking(m: Mention, offset: int, quote_speakers: QuoteSpeakers, ctx: Discourse) -> Mention:
    """"we" / "I" inside a quotation is its speaker (who speaks for their country)."""
    if m.how != "we" or m.entity is not None:
        return m
    ref = quote_speakers.speaker_at(offset + m.start)
    entity = ctx.entity(ref.id) if ref is not None else None
    return Mention(m.start, m.end, m.text, entity, "we") if entity is not None else m


@lru_cache(maxsize=4)
def _known_labels(gazetteer: Gazetteer) -> frozenset[str]:
    return frozenset(e.label for e in gazetteer.entities.values())


def _home_country(article: Article, first: str, gaz: Gazetteer) -> str | None:
    """The country the article is about: the first one its title (else its first sentence)
    names outside a prepositional phrase ("Luxon says NZ stands with Ukraine" -> New Zealand);
    an office-holder introduced without a country ("Prime Minister X") is taken to be its."""
    from .subjects import preceded_by_preposition
    for text in (article.title, first):
        for m in find_names(text, gaz):
            e = m.entity
            if e is None or preceded_by_preposition(text, m):
                continue
            if e.type == "Country":
                return e.iri
            if e.type == "Person":
                home = gaz.speaks_for(e, article.published.date())
                if home is not None and (gaz.get(home) or e).type == "Country":
                    return home
    return None


def _article_coalition(title: str, readings: list[Reading], gaz: Gazetteer) -> Entity | None:
    """The coalition the article talks about, which unnamed counted groups belong to."""
    names = find_names(title, gaz) + [m for r in readings for m in r.names]
    return next((m.entity for m in names if m.entity is not None and m.entity.type == "Coalition"),
                None)


