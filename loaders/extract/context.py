"""What the article has said so far: who was last the subject, which kinds were in play.
Resolves pronouns, office titles and counted groups to actors."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from stancegraph.loaders.model import ActorRef, Relation
from stancegraph.ontology.gazetteer import Entity, Gazetteer
from stancegraph.ontology.kinds import Kind

from .mentions import Mention, office_matches, role_key
from .people import surname_keys

COLLECTIVE_TYPES = ("Group", "Coalition", "Organization")


@dataclass
class Discourse:
    """Mutable reading state of one article (kept inside one extract_claims call)."""

    gazetteer: Gazetteer
    on: date
    coalition: Entity | None = None              # the coalition the article talks about
    subjects: list[Entity] = field(default_factory=list)   # persons, most recent last
    persons: list[Entity] = field(default_factory=list)    # every person mention, in order
    collective: tuple[ActorRef, ...] = ()        # last countries/groups acting as a subject
    recent_kinds: list[tuple[int, tuple[Kind, ...]]] = field(default_factory=list)
    title_kinds: tuple[Kind, ...] = ()
    pending_speaker: ActorRef | None = None      # "X ... with sharp words:" -> next quote
    home: str | None = None                      # IRI of the country the article is about
    met: dict[str, Entity] = field(default_factory=dict)      # people met outside the gazetteer
    surnames: dict[str, Entity] = field(default_factory=dict)  # "Novak" -> the person met
    last_stance: tuple[Relation, tuple[Kind, ...]] | None = None    # for "Neither will Spain."

    def entity(self, iri: str) -> Entity | None:
        """A gazetteer entity or a person met earlier in the article."""
        return self.gazetteer.get(iri) or self.met.get(iri)

    def meet(self, entity: Entity) -> None:
        """Remember a person named in full, so a later "Novak" / "Mr Novak" is them."""
        if self.gazetteer.get(entity.iri) is None:
            known = self.met.get(entity.iri)
            if known is None or (entity.offices and not known.offices):
                self.met[entity.iri] = entity
            entity = self.met[entity.iri]
        for key in surname_keys(entity):
            self.surnames.setdefault(key, entity)

    def actor(self, entity: Entity) -> ActorRef:
        """The actor reference of an entity; a person speaks for the country of their office."""
        behalf = None
        if entity.type == "Person":
            iri = self.gazetteer.speaks_for(entity, self.on)
            target = self.gazetteer.get(iri) if iri else None
            if target is not None:
                behalf = ActorRef(target.iri, target.label, target.type)
        return ActorRef(entity.iri, entity.label, entity.type, behalf)

    def resolve(self, mention: Mention) -> ActorRef | None:
        """The actor a mention stands for, or None when it cannot be told."""
        if mention.entity is not None:
            return self.actor(mention.entity)
        if mention.how == "count":
            if self.coalition is None:
                return None
            return self.actor(self.coalition)
        if mention.how == "pronoun":
            word = mention.text.lower()
            if word in ("he", "she", "him", "her"):
                return self.actor(self.subjects[-1]) if self.subjects else None
            return self.collective[0] if self.collective else None
        if mention.how == "government":     # "the government", "the country": the one in
            countries = [a for a in self.collective if a.type == "Country"]     # play, else
            if len(countries) == 1:                                             # the article's
                return countries[0]
            home = self.gazetteer.get(self.home) if self.home and not countries else None
            return self.actor(home) if home is not None else None
        if mention.how == "role":
            person = self.person_for_role(mention.text)
            return self.actor(person) if person else None
        return None

    def resolve_all(self, mention: Mention) -> list[ActorRef]:
        """Like resolve, but "they" stands for every member of the last list of actors."""
        if mention.how == "pronoun" and mention.entity is None and mention.text.lower() == "they":
            return list(self.collective)
        ref = self.resolve(mention)
        return [ref] if ref is not None else []

    def person_for_role(self, text: str) -> Entity | None:
        """"the president" -> the latest subject holding a presidency; "the Ukrainian
        president" -> whoever held Ukraine's presidency at the article's date."""
        qualifier, role = role_key(text)
        if qualifier:
            country = self._country_of_demonym(qualifier)
            if country is None:
                return None
            for entity in self.gazetteer.entities.values():
                if entity.type == "Person" and office_matches(entity, role, self.on) and \
                        any(o.of == country.iri for o in entity.offices):
                    return entity
            return None
        home = [e for e in self.persons if self.home is not None and
                self.gazetteer.speaks_for(e, self.on) == self.home]
        for pool in (home, self.subjects, self.persons):   # "the prime minister": the home
            for entity in reversed(pool):                   # country's, else the last one
                if office_matches(entity, role, self.on):
                    return entity
        return None

    def country_of_role(self, text: str) -> Entity | None:
        """The country a title names ("Malta's defence minister", "the Maltese president")."""
        qualifier, _ = role_key(text)
        return self._country_of_demonym(qualifier) if qualifier else None

    def _country_of_demonym(self, word: str) -> Entity | None:
        for surface, iri, kind in self.gazetteer.surface_forms():
            if surface == word and kind in ("demonym", "name", "alias"):
                entity = self.gazetteer.get(iri)
                if entity is not None and entity.type == "Country":
                    return entity
        return None

    def note_person(self, entity: Entity, as_subject: bool) -> None:
        self.persons.append(entity)
        if as_subject:
            self.subjects.append(entity)

    def note_kinds(self, sentence_index: int, kinds: tuple[Kind, ...]) -> None:
        if kinds:
            self.recent_kinds.append((sentence_index, kinds))

    def kinds_near(self, sentence_index: int, window: int = 2) -> tuple[Kind, ...]:
        """Kinds a recent sentence committed/refused on, else those of the title."""
        for index, kinds in reversed(self.recent_kinds):
            if sentence_index - index <= window:
                return kinds
            break
        return self.title_kinds
