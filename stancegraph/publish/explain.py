"""The chain behind an answer, as text: for one actor (and kind) every claim by date, the stance
they give under the same rule as the derived stances (latest valid date, then confidence, then
claim IRI), why the latest won or that the day is a conflict, the quote, the article with its
URL, outlet, date and where the date came from, and the group a member claim was expanded from.

Reads the store (claims as the article graphs hold them, review decisions applied) and
derives the stance with loaders/store/stances.derive_pair, the function the store uses."""
from __future__ import annotations

from dataclasses import dataclass

from stancegraph.loaders.store.stances import STANCE_RELATIONS, ClaimFact, derive_pair
from stancegraph.ontology.date_sources import date_sources
from stancegraph.ontology.gazetteer import load_gazetteer
from stancegraph.ontology.kinds import load_kinds
from stancegraph.ontology.vocab import ID_IRI, REFERENCE_GRAPH, SCHEMA, SG, SG_IRI, STORIES_GRAPH


@dataclass(frozen=True)
class ClaimView:
    """One stored claim with the article it comes from."""

    iri: str
    actor: str
    on_behalf_of: str | None
    derived_from: str | None
    relation: str           # local name: commits, refuses, ...
    object: str             # kind or position IRI
    date: str
    confidence: str
    quote: str
    span: tuple[int, int]
    extractor: str
    condition: str | None
    article: str
    headline: str
    url: str | None
    published: str
    date_source: str
    outlet: str
    story: str
    source: str
    review: str | None      # confirmed | corrected (retracted claims are not in the store)

    @property
    def id(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    def fact(self) -> ClaimFact:
        return ClaimFact(self.iri, SG_IRI + self.relation, self.date, self.confidence,
                         self.article, self.story, self.source)


def label(iri: str | None) -> str:
    """A gazetteer, kind or position IRI as its label (the IRI itself when unknown)."""
    if not iri:
        return ""
    entity = load_gazetteer().get(iri)
    if entity is not None:
        return entity.label
    for k in load_kinds():
        if k.iri == iri:
            return k.label
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def claim_iri(text: str) -> str:
    """A claim id (the hash `claim show` and the query rows print) or a full claim IRI."""
    text = text.strip()
    return text if text.startswith(("http://", "https://")) else f"{ID_IRI}claim/{text}"


def claims(store, *, claim: str | None = None, actor: str | None = None) -> list[ClaimView]:
    """Claims by IRI, or every claim whose actor (or the actor spoken for) is `actor`."""
    if claim is not None:
        where = f"VALUES ?c {{ <{claim}> }} GRAPH ?g {{ ?c a <{SG.Claim}> }}"
    else:
        where = (f"GRAPH ?g {{ {{ ?c <{SG.actor}> <{actor}> }} UNION "
                 f"{{ ?c <{SG.onBehalfOf}> <{actor}> }} }}")
    _, rows = store.select(f"""
        SELECT DISTINCT ?c ?who ?behalf ?group ?rel ?obj ?d ?conf ?quote ?qs ?qe ?ex ?cond ?a ?headline
               ?url ?published ?dsrc ?outlet_name ?story ?ss ?o ?status WHERE {{
          {where}
          GRAPH ?g {{ ?c <{SG.actor}> ?who ; <{SG.relation}> ?rel ; <{SG.object}> ?obj ;
                        <{SG.validDate}> ?d ; <{SG.confidence}> ?conf ; <{SG.quote}> ?quote ;
                        <{SG.quoteStart}> ?qs ; <{SG.quoteEnd}> ?qe ; <{SG.extractor}> ?ex ;
                        <{SG.article}> ?a .
                     OPTIONAL {{ ?c <{SG.onBehalfOf}> ?behalf }} OPTIONAL {{ ?c <{SG.derivedFrom}> ?group }}
                     OPTIONAL {{ ?c <{SG.condition}> ?cond }} OPTIONAL {{ ?c <{SG.reviewStatus}> ?status }}
                     ?a <{SCHEMA.headline}> ?headline ; <{SCHEMA.datePublished}> ?published ;
                        <{SCHEMA.publisher}> ?o .
                     OPTIONAL {{ ?a <{SCHEMA.url}> ?url }} OPTIONAL {{ ?a <{SG.dateSource}> ?dsrc }} }}
          OPTIONAL {{ GRAPH <{REFERENCE_GRAPH}> {{ ?o <{SCHEMA.name}> ?outlet_name }} }}
          OPTIONAL {{ GRAPH <{STORIES_GRAPH}> {{ ?a <{SG.story}> ?story . ?story <{SG.storySource}> ?ss }} }}
        }} ORDER BY ?d ?c""")
    sources = {v: k for k, v in date_sources().items()}
    out: dict[str, ClaimView] = {}
    for (c, who, behalf, group, rel, obj, d, conf, quote, qs, qe, ex, cond, a, headline, url,
         published, dsrc, outlet, story, ss, o, status) in rows:
        out.setdefault(c, ClaimView(
            c, who, behalf, group, rel[len(SG_IRI):], obj, str(d),
            conf if isinstance(conf, str) else f"{conf:.2f}", quote, (int(qs), int(qe)), ex, cond,
            a, headline, url, str(published), sources.get(dsrc or "", "unknown"),
            outlet or o, story or a, ss or o, status[len(SG_IRI):].lower() if status else None))
    return sorted(out.values(), key=lambda v: (v.date, v.iri))


def article_lines(v: ClaimView, indent: str = "  ") -> list[str]:
    return [f"{indent}quote: \u201c{v.quote}\u201d (characters {v.span[0]}-{v.span[1]})",
            f"{indent}article: {v.headline}",
            f"{indent}  url: {v.url or '(none: ' + v.article + ')'}",
            f"{indent}  outlet: {v.outlet}",
            f"{indent}  published: {v.published} (date from: {v.date_source})"]


def _who(v: ClaimView) -> str:
    text = label(v.actor)
    if v.on_behalf_of:
        text += f" (speaking for {label(v.on_behalf_of)})"
    if v.derived_from:
        text += f" (expanded from the group {label(v.derived_from)})"
    return text


def _review(v: ClaimView) -> str:
    return f" [{v.review}]" if v.review else ""


def pair_lines(actor: str, kind: str, views: list[ClaimView], as_of: str | None) -> list[str]:
    """One (actor, kind) pair: its claims by date and the stance they give on `as_of`."""
    known = [v for v in views if v.object == kind and SG_IRI + v.relation in STANCE_RELATIONS
             and (as_of is None or v.date <= as_of)]
    lines = [f"{label(kind)} ({kind.rsplit('#', 1)[-1]})"]
    if not known:
        return lines + ["  no stance claim" + (f" on or before {as_of}" if as_of else "")]
    history = derive_pair(actor, kind, [v.fact() for v in known])
    state = history.current
    by_iri = {v.iri: v for v in known}
    win = by_iri[state.latest.claim]
    when = f" as of {as_of}" if as_of else ""
    lines.append(f"  stance{when}: {label(actor)} {win.relation} (since {win.date}; supported by "
                 f"{state.support_articles} stories from {state.support_outlets} outlets)")
    lines.append(f"  claims by date ({len(known)}):")
    for v in known:
        mark = "*" if v.iri == win.iri else " "
        lines.append(f"   {mark} {v.date}  {v.relation:<10} {v.confidence}  {v.outlet}  "
                     f"claim {v.id}  {_who(v)}{_review(v)}")
    lines.append(f"  why: {_why(win, known, state)}")
    for past in history.states[:-1]:
        if past.conflicts:
            top = by_iri[past.latest.claim]
            against = ", ".join(f"{by_iri[c.claim].relation} (claim {by_iri[c.claim].id})"
                                for c in past.conflicts)
            lines.append(f"  earlier same-day conflict on {top.date}: {top.relation} (claim {top.id}, "
                         f"the more confident) against {against}")
    lines.append(f"  latest claim {win.id}:{_review(win)}")
    lines.extend(article_lines(win, "    "))
    return lines


def _why(win: ClaimView, known: list[ClaimView], state) -> str:
    """Why the latest claim decides the stance, in the derivation's own terms."""
    if state.conflicts:
        others = ", ".join(f"{by.relation} (claim {by.id})" for by in known
                           if by.iri in {c.claim for c in state.conflicts})
        return (f"same-day conflict on {win.date}: {win.relation} against {others}; shown as a "
                f"conflict, the tie broken by confidence ({win.confidence}), then claim IRI")
    earlier = [v for v in known if v.relation != win.relation]
    same_day = [v for v in known if v.date == win.date and v.iri != win.iri]
    if not earlier:
        return f"every claim says {win.relation}; the latest ({win.date}) is shown"
    last = max(earlier, key=lambda v: (v.date, v.confidence, v.iri))
    reason = f"latest by valid date: {win.date} is after {last.relation} on {last.date} (claim {last.id})"
    if same_day:
        reason += f"; among {len(same_day) + 1} claims that day, the most confident ({win.confidence})"
    return reason


def explain_lines(store, actor: str, kind: str | None = None, as_of: str | None = None) -> list[str]:
    """The whole chain for an actor: who it is, its groups, and every kind it has claims on."""
    g = load_gazetteer()
    entity = g.get(actor)
    views = claims(store, actor=actor)
    lines = [f"{label(actor)} <{actor}>" + (f" ({entity.type})" if entity else "")]
    if entity is not None and entity.members:
        lines.append("  a group standing for its members: "
                     + ", ".join(sorted(label(m) for m in entity.members)))
    groups = sorted(e.label for e in g.entities.values() if actor in e.members)
    if groups:
        lines.append("  member of: " + ", ".join(groups) + " (a group's claims are expanded to "
                     "its members, marked \u201cexpanded from the group\u201d)")
    kinds = [kind] if kind else sorted({v.object for v in views
                                        if SG_IRI + v.relation in STANCE_RELATIONS})
    if not kinds:
        lines.append("  no stance claims in the store")
    for k in kinds:
        lines.append("")
        lines.extend(pair_lines(actor, k, views, as_of))
    lines.extend(_reviewed_away(store, actor, kind))
    return lines


def _reviewed_away(store, actor: str, kind: str | None) -> list[str]:
    """Claims of the actor that review decisions took away (retracted, or moved elsewhere)."""
    from stancegraph.loaders.store.reviews import decisions

    out = []
    for d in decisions(store):
        o = d.original
        if actor not in (o.actor, o.on_behalf_of) or (kind and o.object != kind):
            continue
        eff = d.effective()
        if eff is not None and actor in (eff["actor"], eff["on_behalf_of"]) and \
                (kind is None or eff["object"] == kind):
            continue
        what = "retracted" if eff is None else (f"corrected to {label(eff['actor'])} "
                                                f"{eff['relation'].rsplit('#', 1)[-1]} {label(eff['object'])}")
        out.append(f"  {what}: claim {d.claim.rsplit('/', 1)[-1]} ({o.relation.rsplit('#', 1)[-1]} "
                   f"{label(o.object)}) by {d.by} at {d.at}: {d.why}")
    return ([""] + ["reviewed away (counted nowhere for this actor):"] + out) if out else []


def claim_lines(store, view: ClaimView) -> list[str]:
    """One claim: what it says, where it comes from, and what it does to its pair's stance."""
    lines = [f"claim {view.id} <{view.iri}>{_review(view)}",
             f"  {_who(view)} {view.relation} {label(view.object)} on {view.date} "
             f"(confidence {view.confidence}, extractor {view.extractor})"]
    if view.condition:
        lines.append(f"  condition: {view.condition}")
    lines.extend(article_lines(view))
    if SG_IRI + view.relation not in STANCE_RELATIONS:
        return lines
    for who in [view.actor] + ([view.on_behalf_of] if view.on_behalf_of else []):
        lines.append("")
        lines.extend(pair_lines(who, view.object, claims(store, actor=who), None))
    return lines
