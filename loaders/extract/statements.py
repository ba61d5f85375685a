"""Statements: a person's reported position in a few words ("Rutte warned that Russia is
rebuilding"), unless the sentence already coded it as that person's stance."""
from __future__ import annotations

import re

from stancegraph.loaders.model import ActorRef, Article, Claim, ClaimObject, Relation, content_hash
from stancegraph.loaders.version import EXTRACTOR
from stancegraph.ontology.vocab import ID_IRI

from .claims import StanceHit
from .kinds import find_kinds
from .reading import Reading
from .sentences import Sentence
from .speech import claimer_in, position_text


def statement_claims(article: Article, r: Reading, hits: list[StanceHit], quote_speaker,
                     valid, event, known: frozenset[str]) -> list[Claim]:
    """One statement per person speaking in the sentence (a speech verb, "according to",
    "X's remarks that"), and the speaker of a quotation the sentence stands in."""
    s = r.sentence
    out: list[Claim] = []
    stance_actors = {a.id for h in hits for a in h.actors}
    stated: set[str] = set()
    for sp, ref in zip(r.speakers, r.speaker_refs):
        if ref is None or ref.type != "Person" or ref.id in stated:
            continue
        stated.add(ref.id)
        if _coded(ref, stance_actors):
            continue
        claimer = claimer_in(s.text, {ref.label}, known)
        out.extend(statement_claim(article, s, ref, (sp.content_start, sp.content_end), valid,
                                   event, claimer))
    if not r.speakers and r.quotes and quote_speaker is not None and \
            quote_speaker.id not in stated and not _coded(quote_speaker, stance_actors):
        a, b = max(r.quotes, key=lambda q: q[1] - q[0])
        out.extend(statement_claim(article, s, quote_speaker, (a, b), valid, event, None))
    return out


_TOPIC_WORDS = re.compile(r"\b(?:ukrain\w*|kyiv|russia\w*|moscow|kremlin|putin|peace\w*|ceasefire|"
                          r"cease-fire|truce|war|security|guarantee\w*|coalition|nato|deterr\w*|"
                          r"aggression|invasion|front|negotiat\w*|talks|defen[cs]e|military|"
                          r"troops?|forces?|army|allies|sanctions?|europe\w*|deploy\w*|mission\w*|"
                          r"border\w*|nuclear|missiles?|drones?|attack\w*|escalat\w*|sovereign\w*|"
                          r"territor\w*|weapons?|arms)\b", re.I)


def on_topic(text: str) -> bool:
    """A position worth keeping speaks of the war, peace or security, or of a kind of help
    (kinds.ttl); a remark on another subject (Greenland, trade) is not coded."""
    return bool(_TOPIC_WORDS.search(text)) or bool(find_kinds(text))


def _coded(ref: ActorRef, stance_actors: set[str]) -> bool:
    return ref.id in stance_actors or (ref.on_behalf_of is not None and
                                       ref.on_behalf_of.id in stance_actors)


def statement_claim(article: Article, s: Sentence, ref: ActorRef, span: tuple[int, int],
                    valid, event, claimer: str | None) -> list[Claim]:
    position = position_text(s.text, *span)
    if len(position.split()) < 2 or not on_topic(s.text):
        return []
    obj = ClaimObject(f"{ID_IRI}position/{content_hash(position.lower())}", position)
    return [Claim(ref, Relation.STATES, obj, valid, s.text, (s.start, s.end),
                  0.8 if claimer is None else 0.7, article, EXTRACTOR, claimer, event)]
