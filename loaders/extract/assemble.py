"""Claims from stance hits: one claim per actor and kind (group members expanded), the
claimer kept apart from the actor; the discourse memory a sentence leaves for the next ones;
and the rule that a party to the war opposing the force from outside states a position,
never refuses a contribution it could not make."""
from __future__ import annotations

from stancegraph.loaders.model import ActorRef, Article, Claim, ClaimObject, Relation, content_hash
from stancegraph.loaders.version import EXTRACTOR
from stancegraph.ontology.vocab import ID_IRI, SGID

from .claims import StanceHit
from .context import Discourse
from .kinds import specific_kinds
from .mentions import Mention
from .sentences import Sentence
from .speech import claimer_in, position_text
from .subjects import coordinated, preceded_by_preposition

# The group of the gazetteer whose members are the parties to the war: their words about the
# force are positions, not contributions.
WAR_PARTIES = str(SGID["group/parties-to-the-war"])


def is_party_to_the_war(actor: ActorRef, ctx: Discourse) -> bool:
    """Russia, Ukraine, or a person speaking for them."""
    parties = ctx.gazetteer.members(WAR_PARTIES)
    return actor.id in parties or (actor.on_behalf_of is not None and
                                   actor.on_behalf_of.id in parties)


def outsider_statements(article: Article, s: Sentence, hits: list[StanceHit], valid, event,
                        speakers: set[str]) -> list[Claim]:
    """A party to the war "refusing" or "pledging" the force states a position: the claim is a
    statement of that actor (unless a person speaking for it already states it)."""
    out = []
    for hit in hits:
        if hit.relation is not Relation.REFUSES:
            continue                    # opposing the force; a "pledge" of theirs is a misreading
        for actor in hit.actors:
            if actor.id in speakers or (actor.on_behalf_of and actor.on_behalf_of.id in speakers):
                continue
            position = position_text(s.text, 0, len(s.text))
            obj = ClaimObject(f"{ID_IRI}position/{content_hash(position.lower())}", position)
            out.append(Claim(actor, Relation.STATES, obj, valid, s.text, (s.start, s.end),
                             round(hit.confidence * 0.9, 2), article, EXTRACTOR, None, event))
    return out


def claims_of_hit(article: Article, s: Sentence, hit: StanceHit, ctx: Discourse,
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


def remember(ctx: Discourse, s: Sentence, mentions: list[Mention], kinds, hits: list[StanceHit]) -> None:
    """What a later sentence may refer back to: the kinds it spoke of and took stances on, and
    the countries or groups that acted."""
    ctx.note_kinds(s.index, tuple(specific_kinds([k.kind for k in kinds])))
    subject = _collective_subject(s.text, mentions, ctx)
    if subject:
        ctx.collective = subject
    for h in hits:
        ctx.note_kinds(s.index, h.kinds)
        ctx.last_stance = (h.relation, h.kinds)
        collective = tuple(a for a in h.actors if a.type != "Person")
        if collective:
            ctx.collective = collective


def _collective_subject(text: str, mentions: list[Mention], ctx: Discourse) -> tuple[ActorRef, ...]:
    """The first countries/groups a sentence names outside a prepositional phrase (with their
    list), or its counted group: what a later "it"/"they" points back to."""
    for m in mentions:
        if m.how == "count" and ctx.coalition is not None:
            return (ctx.actor(ctx.coalition),)
        if m.how in ("name", "alias") and m.entity is not None and m.entity.type != "Person" \
                and not preceded_by_preposition(text, m):
            refs = [ctx.resolve(x) for x in coordinated(text, mentions, m)]
            return tuple(r for r in refs if r is not None)
    return ()


def unique_claims(claims: list[Claim]) -> list[Claim]:
    seen, out = set(), []
    for c in claims:
        key = (c.actor.id, c.relation, c.object.id, c.span, c.derived_from.id if c.derived_from else None)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
