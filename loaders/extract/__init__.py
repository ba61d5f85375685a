"""Article -> Claims with general rules: gazetteer mentions, stance cues with polarity,
commitment kinds from the ontology, reported speech. Pure: same article, same claims."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from stancegraph.loaders.model import ActorRef, Article, Claim, ClaimObject
from stancegraph.ontology.gazetteer import Entity, Gazetteer, load_gazetteer

from stancegraph.loaders.version import EXTRACTOR

from .claims import StanceHit, stance_hits
from .context import Discourse
from .cues import find_cues
from .dates import event_date
from .kinds import find_kinds, specific_kinds
from .mentions import Mention, find_names
from .quotes import QuoteSpeakers, body_quotations
from .reading import Reading, read_sentence
from .sentences import Sentence, split_sentences
from .speech import claimer_in
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
    ctx.coalition = _article_coalition(article, gaz)
    ctx.home = _home_country(article, gaz)
    ctx.title_kinds = tuple(specific_kinds([k.kind for k in find_kinds(article.title)]))
    quotations = body_quotations(article.body)
    speakers = QuoteSpeakers(quotations)
    readings: list[Reading] = []
    colon: ActorRef | None = None
    for sentence in split_sentences(article.body):
        r = read_sentence(sentence, ctx, quotations)
        readings.append(r)
        for sp, ref in zip(r.speakers, r.speaker_refs):
            if ref is not None and ref.type == "Person":
                speakers.attribute(sentence.start + sp.content_start,
                                   sentence.start + sp.content_end, ref)
        if colon is not None and r.quotes:
            speakers.attribute(sentence.start + r.quotes[0][0], sentence.start + r.quotes[0][1],
                               colon)
        colon = _colon_speaker(r, ctx)
    speakers.carry_over()
    claims: list[Claim] = []
    uncoded: list[Uncoded] = []
    for r in readings:
        made, missed = _sentence_claims(article, r, ctx, speakers)
        claims.extend(made)
        if missed:
            uncoded.append(missed)
    return _unique(claims), uncoded


def _sentence_claims(article: Article, r: Reading, ctx: Discourse,
                     quote_speakers: QuoteSpeakers) -> tuple[list[Claim], Uncoded | None]:
    s, text = r.sentence, r.sentence.text
    quote_speaker = next((quote_speakers.speaker_at(s.start + (a + b) // 2) for a, b in r.quotes
                          if quote_speakers.speaker_at(s.start + (a + b) // 2)), None)
    mentions = [_speaking(m, s.start, quote_speakers, ctx) for m in r.mentions]
    speaker_ref = next((ref for ref in r.speaker_refs if ref is not None and ref.type == "Person"),
                       None) or quote_speaker
    cues = find_cues(text)
    kinds = find_kinds(text)
    hits = stance_hits(text, s.index, cues, kinds, mentions, ctx, speaker_ref)

    event = event_date(text, article.published.date())
    valid = event or article.published.date()
    known = _known_labels(ctx.gazetteer)
    claims: list[Claim] = []
    for hit in hits:
        claims.extend(_claims_of_hit(article, s, hit, ctx, speaker_ref, valid, event, known))
    claims.extend(statement_claims(article, r, hits, quote_speaker, valid, event, known))
    _remember(ctx, s, mentions, kinds, hits)
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


def _claims_of_hit(article: Article, s: Sentence, hit: StanceHit, ctx: Discourse,
                   speaker: ActorRef | None, valid, event, known: set[str]) -> list[Claim]:
    out = []
    labels = {a.label for a in hit.actors}
    for actor in hit.actors:
        claimer = claimer_in(s.text, labels, known)
        if claimer is None and speaker is not None and speaker.id != actor.id and \
                (speaker.on_behalf_of is None or speaker.on_behalf_of.id != actor.id):
            claimer = speaker.label
        confidence = round(hit.confidence * (0.9 if claimer else 1.0), 2)
        for kind in hit.kinds:
            obj = ClaimObject(kind.iri, kind.name)
            base = Claim(actor, hit.relation, obj, valid, s.text, (s.start, s.end), confidence,
                         article, EXTRACTOR, claimer, event, None,
                         hit.count if actor.type == "Coalition" else None, (hit.cue.text,),
                         hit.condition)
            out.append(base)
            entity = ctx.gazetteer.get(actor.id)
            if entity is not None and entity.type == "Group":
                for member_iri in ctx.gazetteer.members(entity.iri):
                    member = ctx.gazetteer.get(member_iri)
                    if member is not None:
                        out.append(Claim(ctx.actor(member), hit.relation, obj, valid, s.text,
                                         (s.start, s.end), round(confidence * 0.9, 2), article,
                                         EXTRACTOR, claimer, event, actor, None, (hit.cue.text,),
                                         hit.condition))
    return out


def _colon_speaker(r: Reading, ctx: Discourse) -> ActorRef | None:
    """"Zelenskyy rejected the metaphor with sharp words:" -> the next quotation is his."""
    if not r.sentence.text.rstrip().endswith(":"):
        return None
    for m in r.mentions:
        ref = ctx.resolve(m)
        if ref is not None and ref.type == "Person":
            return ref
    return None


def _remember(ctx: Discourse, s: Sentence, mentions: list[Mention], kinds, hits: list[StanceHit]) -> None:
    ctx.note_kinds(s.index, tuple(specific_kinds([k.kind for k in kinds])))
    subject = _collective_subject(s.text, mentions, ctx)
    if subject:
        ctx.collective = subject
    for h in hits:
        ctx.note_kinds(s.index, h.kinds)
        collective = tuple(a for a in h.actors if a.type != "Person")
        if collective:
            ctx.collective = collective


def _collective_subject(text: str, mentions: list[Mention], ctx: Discourse) -> tuple[ActorRef, ...]:
    """The first countries/groups a sentence names outside a prepositional phrase (with their
    list), or its counted group: what a later "it"/"they" points back to."""
    from .subjects import coordinated, preceded_by_preposition
    for m in mentions:
        if m.how == "count" and ctx.coalition is not None:
            return (ctx.actor(ctx.coalition),)
        if m.how in ("name", "alias") and m.entity is not None and m.entity.type != "Person" \
                and not preceded_by_preposition(text, m):
            refs = [ctx.resolve(x) for x in coordinated(text, mentions, m)]
            return tuple(r for r in refs if r is not None)
    return ()


def _home_country(article: Article, gaz: Gazetteer) -> str | None:
    """The country the article is about: the first one its title (else its first sentence)
    names outside a prepositional phrase ("Luxon says NZ stands with Ukraine" -> New Zealand);
    an office-holder introduced without a country ("Prime Minister X") is taken to be its."""
    from .subjects import preceded_by_preposition
    first = next(iter(split_sentences(article.body)), None)
    for text in (article.title, first.text if first else ""):
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


def _article_coalition(article: Article, gaz: Gazetteer) -> Entity | None:
    """The coalition the article talks about, which unnamed counted groups belong to."""
    for m in find_names(article.title + "\n" + article.body, gaz):
        if m.entity is not None and m.entity.type == "Coalition":
            return m.entity
    return None


def _unique(claims: list[Claim]) -> list[Claim]:
    seen, out = set(), []
    for c in claims:
        key = (c.actor.id, c.relation, c.object.id, c.span, c.derived_from.id if c.derived_from else None)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
