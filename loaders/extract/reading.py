"""First pass over an article: every sentence's actor mentions (gazetteer names, people met by
title or surname, office titles, pronouns, counted groups, first person inside quotations) and
its speakers, with people resolved in reading order. The second pass codes stances from this."""
from __future__ import annotations

import re
from dataclasses import dataclass

from stancegraph.loaders.model import ActorRef

from .context import Discourse
from .mentions import (Mention, find_counts, find_names, find_pronouns, find_roles, find_we)
from .people import find_met_people, find_titled_people
from .quotes import Quotation, QuoteSpeakers, body_quotations, local_spans
from .sentences import Sentence
from .speech import Speaker, find_speakers
from .subjects import in_object_position, preceded_by_preposition

# Patterns of the rules below, compiled once.
_AS_GOVERNMENT_1 = re.compile(r"\b[Tt]he\s+$")
_TITLE_OF_COUNTRY_1 = re.compile(r"['’]s\s")

_PERSON_PRONOUNS = ("he", "she", "him", "her")
_I = re.compile(r"\b(I|I'm|I’m|I've|I’ve|I'll|I’ll|me|my)\b")


@dataclass(frozen=True)
class Reading:
    """What the first pass learnt about one sentence."""

    sentence: Sentence
    names: tuple[Mention, ...]          # gazetteer names and people
    mentions: tuple[Mention, ...]       # every actor mention, in order
    speakers: tuple[Speaker, ...]
    speaker_refs: tuple[ActorRef | None, ...]   # resolved speakers, same order
    quotes: tuple[tuple[int, int], ...]  # quotation parts inside the sentence (its offsets)


def read_article(body: str, sentences: list[Sentence], ctx: Discourse
                 ) -> tuple[list[Reading], QuoteSpeakers]:
    """Every sentence read in order, and who speaks each quotation of the body."""
    quotations = body_quotations(body)
    speakers = QuoteSpeakers(quotations)
    readings: list[Reading] = []
    colon: ActorRef | None = None
    for sentence in sentences:
        r = read_sentence(sentence, ctx, quotations)
        readings.append(r)
        for sp, ref in zip(r.speakers, r.speaker_refs):
            if ref is not None and ref.type == "Person":
                speakers.attribute(sentence.start + sp.content_start,
                                   sentence.start + sp.content_end, ref)
                speakers.note(sentence.start + sp.mention.start, sentence.paragraph, ref)
        subject = next((m for m in r.mentions if m.entity is not None and m.how != "we"
                        and not any(a <= m.start < b for a, b in r.quotes)), None)
        if subject is not None and subject.entity.type == "Person":
            speakers.note(sentence.start + subject.start, sentence.paragraph,
                          ctx.actor(subject.entity))
        if colon is not None and r.quotes:
            speakers.attribute(sentence.start + r.quotes[0][0], sentence.start + r.quotes[0][1],
                               colon)
        colon = _colon_speaker(r, ctx)
    speakers.carry_over()
    return readings, speakers


def read_sentence(s: Sentence, ctx: Discourse, quotations: list[Quotation]) -> Reading:
    text = s.text
    quotes = local_spans(quotations, s.start, s.end)
    names = people_and_names(text, ctx)
    taken = list(names)
    others = find_roles(text, taken)
    names = [n for n in names if not any(r.start <= n.start < r.end for r in others)]
    taken = names + others
    others += find_pronouns(text, taken) + find_counts(text) + find_we(text, quotes) + \
        _find_i(text, quotes) + _find_country_of(text)
    mentions = sorted(names + others, key=lambda m: m.start)
    datelines = [d.span() for d in _DATELINE.finditer(text)] if _MONTH_ABBREVIATION.search(text) \
        else []
    mentions = [_as_government(m, text) for m in mentions
                if not any(a <= m.start < b for a, b in datelines)]
    mentions = [_resolve_person(m, ctx) for m in _bind_pronouns(mentions)]
    mentions = [_title_of_country(m, ctx) for m in mentions]
    mentions = [_resolve_country_of(m, mentions[:i], ctx) if m.how == "country-of" else m
                for i, m in enumerate(mentions)]
    speakers = find_speakers(text, mentions, quotes)
    refs = tuple(ctx.resolve(sp.mention) for sp in speakers)
    _note_people(ctx, mentions, text, quotes)
    return Reading(s, tuple(names), tuple(mentions), tuple(speakers), refs, tuple(quotes))


def people_and_names(text: str, ctx: Discourse) -> list[Mention]:
    """Gazetteer names, people introduced by a title, and people met earlier in the article."""
    names = find_names(text, ctx.gazetteer)
    for p in find_titled_people(text, ctx.gazetteer, names, ctx.home):
        ctx.meet(p.entity)
        names.append(Mention(p.start, p.end, text[p.start:p.end], ctx.entity(p.entity.iri), "name"))
    for m in names:
        if m.entity is not None and m.entity.type == "Person":
            ctx.meet(m.entity)
    names += [Mention(a, b, text[a:b], e, "name")
              for a, b, e in find_met_people(text, ctx.surnames, names)]
    return sorted(names, key=lambda m: m.start)


def _find_i(text: str, quotes: list[tuple[int, int]]) -> list[Mention]:
    """"I" inside quoted speech: the speaker."""
    if not quotes:
        return []
    return [Mention(m.start(), m.end(), m.group(), None, "we")
            for m in _I.finditer(text) if any(a <= m.start() < b for a, b in quotes)]


def _bind_pronouns(mentions: list[Mention]) -> list[Mention]:
    """A pronoun whose antecedent stands earlier in the same sentence takes that entity:
    "Poland said it would send troops", "Trump has stated that he does not plan to"."""
    out: list[Mention] = []
    for m in mentions:
        if m.how == "pronoun" and m.text.lower() != "they":   # "they" may be a whole list
            wants_person = m.text.lower() in _PERSON_PRONOUNS
            for prev in reversed(out):
                e = prev.entity
                if e is None or prev.how in ("demonym", "demonym-title", "we"):
                    continue
                if (e.type == "Person") == wants_person:
                    m = Mention(m.start, m.end, m.text, e, "pronoun")
                    break
        out.append(m)
    return out


# "PARIS, France, Jan 6 (AFP) -": the place a wire story was filed from is no actor.
_DATELINE = re.compile(
    r"\b[A-Z][A-Za-z.'’-]+(?:,\s+[A-Z][A-Za-z ]+?)?,\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|"
    r"Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?\s*(?:\([^)]{2,24}\))?")
# Every dateline names a month by its abbreviation's letters: without them, no dateline.
_MONTH_ABBREVIATION = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_GOVERNMENT_NOUN = re.compile(r"\s+(?:governments?|cabinets?|authorities|administrations?|"
                              r"leaderships?|sides?)\b")


_DEMONYM_LIST_AFTER = re.compile(r"(?:(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+)[A-Z][\w-]+)*")
_DEMONYM_LIST_BEFORE = re.compile(r"\b[Tt]he\s+(?:[A-Z][\w-]+(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+))*$")


def _as_government(m: Mention, text: str) -> Mention:
    """"the German government", "the Polish side", "the Swedish and Finnish governments": the
    country itself, not a demonym."""
    if m.how in ("demonym", "demonym-title") and \
            _GOVERNMENT_NOUN.match(text, _DEMONYM_LIST_AFTER.match(text, m.end).end()) and \
            _DEMONYM_LIST_BEFORE.search(text[:m.start]):
        return Mention(m.start, m.end, m.text, m.entity, "alias")
    if m.how == "demonym" and _NATION_VERB.match(text, m.end) and \
            _AS_GOVERNMENT_1.search(text[:m.start]):
        return Mention(m.start, m.end, m.text, m.entity, "alias")    # "the Dutch will also help"
    return m


_NATION_VERB = re.compile(r"\s+(?:will|would|shall|have|had|are|were|can|could|may|might|must|"
                          r"should|also|too|say|said|insist|insisted|want|wanted|plan|planned|"
                          r"refuse|refused|agreed|offered|pledged)\b")


_COUNTRY_OF = re.compile(r"\b(?:his|her) (?:country|government|nation)\b", re.I)


def _find_country_of(text: str) -> list[Mention]:
    """"his country", "her government": the country of the person last named."""
    return [Mention(m.start(), m.end(), m.group(), None, "country-of")
            for m in _COUNTRY_OF.finditer(text)]


def _title_of_country(m: Mention, ctx: Discourse) -> Mention:
    """"Malta's defence minister" whom the gazetteer does not know speaks for Malta: the
    country stands in the title's place, as "the Maltese government" would."""
    if m.how != "role" or m.entity is not None or not _TITLE_OF_COUNTRY_1.search(m.text):
        return m
    country = ctx.country_of_role(m.text)
    return Mention(m.start, m.end, m.text, country, "alias") if country is not None else m


def _resolve_country_of(m: Mention, before: list[Mention], ctx: Discourse) -> Mention:
    person = next((p.entity for p in reversed(before) if p.entity is not None and
                   p.entity.type == "Person"), None) or (ctx.subjects[-1] if ctx.subjects else None)
    iri = ctx.gazetteer.speaks_for(person, ctx.on) if person is not None else None
    country = ctx.gazetteer.get(iri) if iri else None
    return Mention(m.start, m.end, m.text, country, "country-of") if country else m


def _resolve_person(m: Mention, ctx: Discourse) -> Mention:
    """Person pronouns and office titles are resolved now, in reading order ("he" is the last
    person who was a subject so far, not the last one of the article)."""
    if m.entity is not None or m.how not in ("pronoun", "role"):
        return m
    if m.how == "pronoun" and m.text.lower() not in _PERSON_PRONOUNS:
        return m
    ref = ctx.resolve(m)
    entity = ctx.entity(ref.id) if ref is not None else None
    return Mention(m.start, m.end, m.text, entity, m.how) if entity is not None else m


def _note_people(ctx: Discourse, mentions: list[Mention], text: str,
                 quotes: list[tuple[int, int]]) -> None:
    """Remember the people named outside quotations; the first one in subject position is who
    a later "he"/"she" is most likely to be ("deter Putin" makes Putin no subject)."""
    first = True
    for m in mentions:
        if m.entity is None or m.entity.type != "Person" or m.how == "we" or \
                any(a <= m.start < b for a, b in quotes):
            continue
        subject = first and not in_object_position(text, m) and \
            not preceded_by_preposition(text, m)
        ctx.note_person(m.entity, as_subject=subject)
        first = False


def _colon_speaker(r: Reading, ctx: Discourse) -> ActorRef | None:
    """"Zelenskyy rejected the metaphor with sharp words:" -> the next quotation is his."""
    if not r.sentence.text.rstrip().endswith(":"):
        return None
    for m in r.mentions:
        ref = ctx.resolve(m)
        if ref is not None and ref.type == "Person":
            return ref
    return None
