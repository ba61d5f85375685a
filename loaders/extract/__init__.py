"""Article -> Claims with general rules: gazetteer mentions, stance cues with polarity,
commitment kinds from the ontology, reported speech. Pure: same article, same claims."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from stancegraph.loaders.model import ActorRef, Article, Claim, ClaimObject, Relation, content_hash
from stancegraph.ontology.gazetteer import Entity, Gazetteer, load_gazetteer
from stancegraph.ontology.vocab import ID_IRI

from .claims import StanceHit, stance_hits
from .context import Discourse
from .cues import find_cues
from .dates import event_date
from .kinds import find_kinds, specific_kinds
from .mentions import (Mention, find_counts, find_names, find_pronouns, find_roles, find_we,
                       quoted_spans)
from .people import find_met_people, find_titled_people
from .sentences import Sentence, split_sentences
from .speech import claimer_in, find_speakers, position_text

from stancegraph.loaders.version import EXTRACTOR


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
    claims: list[Claim] = []
    uncoded: list[Uncoded] = []
    for sentence in split_sentences(article.body):
        made, missed = _sentence_claims(article, sentence, ctx)
        claims.extend(made)
        if missed:
            uncoded.append(missed)
    return _unique(claims), uncoded


def _sentence_claims(article: Article, s: Sentence, ctx: Discourse) -> tuple[list[Claim], Uncoded | None]:
    text = s.text
    names = _people_and_names(text, ctx)
    quotes = [q for q in quoted_spans(text) if len(text[q[0]:q[1]].split()) > 5]  # not scare quotes
    taken = list(names)
    others = find_roles(text, taken)
    names = [n for n in names if not any(r.start <= n.start < r.end for r in others)]
    taken = names + others
    others += find_pronouns(text, taken) + find_counts(text) + find_we(text, quotes)
    mentions = sorted([m for m in names + others
                       if not _inside_quote(m, quotes) or m.how in ("we", "count")],
                      key=lambda m: m.start)
    mentions = _bind_pronouns(mentions)
    speakers = find_speakers(text, mentions)
    speaker_ref = next((r for r in (ctx.resolve(sp.mention) for sp in speakers)
                        if r is not None and r.type == "Person"), None)
    if speaker_ref is None and ctx.pending_speaker is not None and quotes and not speakers:
        speaker_ref = ctx.pending_speaker
    cues = find_cues(text)
    kinds = find_kinds(text)
    hits = stance_hits(text, s.index, cues, kinds, mentions, ctx, speaker_ref)

    event = event_date(text, article.published.date())
    valid = event or article.published.date()
    known = _known_labels(ctx.gazetteer)
    claims: list[Claim] = []
    for hit in hits:
        claims.extend(_claims_of_hit(article, s, hit, ctx, speaker_ref, valid, event, known))
    claims.extend(_statements(article, s, speakers, hits, ctx, valid, event, known))
    if not speakers and ctx.pending_speaker is not None and quotes:
        claims.extend(_statement_claim(article, s, ctx.pending_speaker, quotes[0], valid, event, None))
    ctx.pending_speaker = _colon_speaker(text, speakers, mentions, ctx)
    _remember(ctx, s, mentions, kinds, hits)
    missed = None
    if not claims and cues and any(m.entity is not None for m in names if m.how != "demonym-title"):
        missed = Uncoded(article, text, (s.start, s.end),
                         tuple(m.text for m in names), tuple(c.text for c in cues))
    return claims, missed


def _people_and_names(text: str, ctx: Discourse) -> list[Mention]:
    """Gazetteer names, people introduced by a title, and people met earlier in the article."""
    names = find_names(text, ctx.gazetteer)
    for p in find_titled_people(text, ctx.gazetteer, names, ctx.home):
        ctx.meet(p.entity)
        names.append(Mention(p.start, p.end, text[p.start:p.end], ctx.entity(p.entity.iri), "name"))
    for m in names:
        if m.entity is not None and m.entity.type == "Person":
            ctx.meet(m.entity)
    names += [Mention(a, b, text[a:b], e, "name") for a, b, e in find_met_people(text, ctx.surnames, names)]
    return sorted(names, key=lambda m: m.start)


_PERSON_PRONOUNS = ("he", "she", "him", "her")


def _bind_pronouns(mentions: list[Mention]) -> list[Mention]:
    """A pronoun whose antecedent stands earlier in the same sentence takes that entity:
    "Poland said it would send troops", "Trump has stated that he does not plan to"."""
    out: list[Mention] = []
    for m in mentions:
        if m.how == "pronoun":
            wants_person = m.text.lower() in _PERSON_PRONOUNS
            for prev in reversed(out):
                e = prev.entity
                if e is None or prev.how in ("demonym", "demonym-title"):
                    continue
                if (e.type == "Person") == wants_person:
                    m = Mention(m.start, m.end, m.text, e, "pronoun")
                    break
        out.append(m)
    return out


@lru_cache(maxsize=4)
def _known_labels(gazetteer: Gazetteer) -> frozenset[str]:
    return frozenset(e.label for e in gazetteer.entities.values())


def _inside_quote(m: Mention, quotes: list[tuple[int, int]]) -> bool:
    return any(a < m.start and m.end <= b for a, b in quotes)


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


def _statements(article: Article, s: Sentence, speakers, hits: list[StanceHit], ctx: Discourse,
                valid, event, known: set[str]) -> list[Claim]:
    """A person's reported position, unless the sentence already coded it as their stance."""
    out = []
    stance_actors = {a.id for h in hits for a in h.actors}
    stated = set()
    for sp in speakers:
        ref = ctx.resolve(sp.mention)
        if ref is None or ref.type != "Person" or ref.id in stated:
            continue
        stated.add(ref.id)
        if ref.id in stance_actors or (ref.on_behalf_of and ref.on_behalf_of.id in stance_actors):
            continue
        claimer = claimer_in(s.text, {ref.label}, known)
        out.extend(_statement_claim(article, s, ref, (sp.content_start, sp.content_end), valid,
                                    event, claimer))
    return out


def _statement_claim(article: Article, s: Sentence, ref: ActorRef, span: tuple[int, int],
                     valid, event, claimer: str | None) -> list[Claim]:
    position = position_text(s.text, *span)
    if len(position.split()) < 2:
        return []
    obj = ClaimObject(f"{ID_IRI}position/{content_hash(position.lower())}", position)
    return [Claim(ref, Relation.STATES, obj, valid, s.text, (s.start, s.end),
                  0.8 if claimer is None else 0.7, article, EXTRACTOR, claimer, event)]


def _colon_speaker(text: str, speakers, mentions: list[Mention], ctx: Discourse) -> ActorRef | None:
    """"Zelenskyy previously rejected the metaphor with sharp words:" -> the next quote is his."""
    if not text.rstrip().endswith(":"):
        return None
    for m in mentions:
        ref = ctx.resolve(m)
        if ref is not None and ref.type == "Person":
            return ref
    return None


def _remember(ctx: Discourse, s: Sentence, mentions: list[Mention], kinds, hits: list[StanceHit]) -> None:
    first_person = True
    for m in mentions:
        entity = m.entity
        if m.how in ("pronoun", "role"):
            ref = ctx.resolve(m)
            entity = ctx.entity(ref.id) if ref else None
        if entity is not None and entity.type == "Person":
            ctx.note_person(entity, as_subject=first_person)
            first_person = False
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
    from .claims import coordinated, preceded_by_preposition
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
    from .claims import preceded_by_preposition
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
