"""The ontology package as a specification: vocabulary, kinds, gazetteer, SHACL shapes, derived names."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef

from stancegraph.loaders.validate import shapes_graph
from stancegraph.ontology import derive
from stancegraph.ontology.gazetteer import Office, load_gazetteer
from stancegraph.ontology.kinds import kind_by_name, load_kinds
from stancegraph.ontology.vocab import (GAZETTEER_DIR, KINDS_FILE, ONTOLOGY_FILE, OWL, RDF,
                                        SG, SGID, SH, SKOS)

SHAPE_CASES = Path(__file__).parent / "shapes"
SGSH = "https://w3id.org/stancegraph/shapes#"
COUNTRY = SGID["country/"]
PERSON = SGID["person/"]
GROUP = SGID["group/"]
ORG = SGID["org/"]


def country(iso3: str) -> str:
    return f"{COUNTRY}{iso3}"


# --- vocabulary -------------------------------------------------------------------------------

def test_vocabulary_typo_raises_attribute_error():
    with pytest.raises(AttributeError):
        SG.Claimm  # noqa: B018


def test_vocabulary_declares_every_contract_class():
    g = Graph().parse(ONTOLOGY_FILE)
    classes = {"Actor", "Country", "Person", "Organization", "Group", "Coalition", "Claim", "Stance",
               "StanceChange", "CommitmentKind", "Position", "Article", "Outlet", "Office",
               "StanceRelation"}
    assert {c for c in classes if (SG[c], RDF.type, OWL.Class) in g} == classes


def test_each_stance_relation_is_an_object_property_and_a_relation_value():
    g = Graph().parse(ONTOLOGY_FILE)
    for name in ("commits", "refuses", "undecided", "conditions", "states"):
        assert (SG[name], RDF.type, OWL.ObjectProperty) in g
        assert (SG[name], RDF.type, SG.StanceRelation) in g


def test_every_ontology_term_has_label_and_comment():
    g = Graph().parse(ONTOLOGY_FILE)
    terms = set(g.subjects(RDF.type, OWL.Class)) | set(g.subjects(RDF.type, OWL.ObjectProperty)) \
        | set(g.subjects(RDF.type, OWL.DatatypeProperty))
    from rdflib.namespace import RDFS
    missing = sorted(str(t) for t in terms
                     if g.value(t, RDFS.label) is None or g.value(t, RDFS.comment) is None)
    assert missing == []


# --- commitment kinds ---------------------------------------------------------------------------

def test_ten_commitment_kinds_in_name_order():
    assert [k.name for k in load_kinds()] == [
        "AirSupport", "Funding", "Intelligence", "Logistics", "MaritimeSupport", "ReassuranceForce",
        "Sanctions", "SecurityGuarantee", "Training", "Weapons"]


def test_kind_phrases_are_lower_case_and_belong_to_one_kind_only():
    seen: dict[str, str] = {}
    for kind in load_kinds():
        for phrase in kind.phrases:
            assert phrase == phrase.lower(), phrase
            assert seen.setdefault(phrase, kind.name) == kind.name, phrase


@pytest.mark.parametrize("phrase, kind", [
    ("boots on the ground", "ReassuranceForce"), ("peacekeepers", "ReassuranceForce"),
    ("air defense shield", "AirSupport"), ("air defence systems", "AirSupport"),
    ("air transportation", "Logistics"), ("long-range missiles", "Weapons"),
    ("intelligence sharing", "Intelligence"), ("border surveillance", "Intelligence"),
    ("financial aid", "Funding"), ("security guarantees", "SecurityGuarantee"),
])
def test_news_phrase_means_its_kind(phrase, kind):
    assert phrase in kind_by_name(kind).phrases


def test_participation_alone_is_no_kind_phrase():
    assert all("participation" not in k.phrases for k in load_kinds())


# --- gazetteer ----------------------------------------------------------------------------------

def un_members() -> tuple[str, ...]:
    return load_gazetteer().members(f"{ORG}united-nations")


def test_gazetteer_has_193_un_member_states():
    members = un_members()
    assert len(members) == 193
    assert {load_gazetteer().get(m).type for m in members} == {"Country"}


def test_every_un_member_has_a_unique_iso3_code():
    gaz = load_gazetteer()
    codes = [gaz.get(m).iso3 for m in un_members()]
    assert all(code and re.fullmatch(r"[A-Z]{3}", code) for code in codes)
    assert len(set(codes)) == 193


def test_country_iri_ends_with_its_iso3_code():
    gaz = load_gazetteer()
    assert all(e.iri == country(e.iso3) for e in gaz.entities.values() if e.type == "Country")


def test_demonym_british_resolves_to_united_kingdom():
    forms = {(text, kind): iri for text, iri, kind in load_gazetteer().surface_forms()}
    assert forms[("British", "demonym")] == country("GBR")


def test_aliases_uk_britain_and_us_resolve_to_their_countries():
    forms = {text: iri for text, iri, kind in load_gazetteer().surface_forms() if kind == "alias"}
    assert (forms["UK"], forms["Britain"], forms["U.S."], forms["Kremlin"]) == (
        country("GBR"), country("GBR"), country("USA"), country("RUS"))


def test_zelensky_spellings_resolve_to_the_same_person():
    forms = load_gazetteer().surface_forms()
    iris = {iri for text, iri, _ in forms if text in {"Zelensky", "Zelenskiy", "Zelenskyy"}}
    assert iris == {f"{PERSON}volodymyr-zelenskyy"}


def test_surface_forms_are_unambiguous_within_a_kind():
    owners: dict[tuple[str, str], set[str]] = {}
    for text, iri, kind in load_gazetteer().surface_forms():
        owners.setdefault((text, kind), set()).add(iri)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_by_label_is_exact_and_case_insensitive():
    gaz = load_gazetteer()
    assert (gaz.by_label("united kingdom").iri, gaz.by_label("UK")) == (country("GBR"), None)


def test_trump_speaks_for_the_united_states_in_his_second_term_only():
    gaz = load_gazetteer()
    trump = f"{PERSON}donald-trump"
    assert (gaz.speaks_for(trump, date(2025, 9, 1)), gaz.speaks_for(trump, date(2022, 1, 1))) == (
        country("USA"), None)


def test_office_end_date_is_exclusive():
    scholz = f"{PERSON}olaf-scholz"
    gaz = load_gazetteer()
    assert (gaz.speaks_for(scholz, date(2025, 5, 5)), gaz.speaks_for(scholz, date(2025, 5, 6))) == (
        country("DEU"), None)


def test_rutte_speaks_for_nato_after_leaving_dutch_government():
    gaz = load_gazetteer()
    rutte = f"{PERSON}mark-rutte"
    assert (gaz.speaks_for(rutte, date(2023, 1, 1)), gaz.speaks_for(rutte, date(2025, 1, 1))) == (
        country("NLD"), f"{ORG}nato")


def test_offices_are_read_with_their_dates():
    trump = load_gazetteer().get(f"{PERSON}donald-trump")
    assert trump.offices == (
        Office("President", country("USA"), date(2017, 1, 20), date(2021, 1, 20)),
        Office("President", country("USA"), date(2025, 1, 20), None))


def test_nordic_countries_have_five_members():
    assert load_gazetteer().members(f"{GROUP}nordic-countries") == tuple(
        country(c) for c in ("DNK", "FIN", "ISL", "NOR", "SWE"))


def test_group_memberships_have_their_official_sizes():
    gaz = load_gazetteer()
    sizes = {name: len(gaz.members(iri)) for name, iri in [
        ("EU", f"{ORG}european-union"), ("NATO", f"{ORG}nato"), ("G7", f"{GROUP}g7"),
        ("Baltic", f"{GROUP}baltic-states")]}
    assert sizes == {"EU": 27, "NATO": 32, "G7": 7, "Baltic": 3}


def test_entity_type_is_most_specific_class():
    gaz = load_gazetteer()
    assert [gaz.get(i).type for i in (f"{ORG}european-union", f"{GROUP}coalition-of-the-willing",
                                      f"{GROUP}nordic-countries", country("ITA"),
                                      f"{PERSON}emmanuel-macron")] == [
        "Organization", "Coalition", "Group", "Country", "Person"]


def test_well_known_wikidata_ids():
    gaz = load_gazetteer()
    assert [gaz.get(i).qid for i in (country("USA"), country("GBR"), country("UKR"),
                                     f"{PERSON}vladimir-putin")] == ["Q30", "Q145", "Q212", "Q7747"]


def test_gazetteer_is_read_once_per_process_and_reread_after_cache_clear():
    # Speed is measured by `make bench`, never asserted here; what a test can pin is that the
    # Turtle is parsed once and every caller shares the same index.
    first = load_gazetteer()
    assert load_gazetteer() is first
    load_gazetteer.cache_clear()
    again = load_gazetteer()
    assert again is not first and sorted(again.entities) == sorted(first.entities)


# --- SHACL shapes -------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def reference_graph() -> Graph:
    """What the loader adds to every article's data graph: ontology, kinds and gazetteer."""
    g = Graph().parse(ONTOLOGY_FILE).parse(KINDS_FILE)
    g += load_gazetteer().graph()
    return g


def violations(case: Path) -> set[tuple[str, str, str]]:
    data = Graph().parse(case, format="turtle")
    data += reference_graph()
    _, report, _ = validate(data, shacl_graph=shapes_graph())
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        found.add((str(report.value(result, SH.focusNode)), str(report.value(result, SH.resultPath)),
                   str(report.value(result, SH.sourceShape))))
    return found


def test_reference_graphs_conform_to_the_shapes():
    _, report, text = validate(reference_graph(), shacl_graph=shapes_graph())
    assert list(report.subjects(RDF.type, SH.ValidationResult)) == [], text


@pytest.mark.parametrize("case", sorted((SHAPE_CASES / "valid").glob("*.ttl")), ids=lambda p: p.stem)
def test_valid_example_conforms(case):
    assert violations(case) == set()


@pytest.mark.parametrize("case", sorted((SHAPE_CASES / "invalid").glob("*.ttl")), ids=lambda p: p.stem)
def test_invalid_example_violates_exactly_its_named_shape(case):
    expected = re.search(r"^# expect: sgsh:(\S+) on <([^>]+)>(?: path sg:(\w+))?", case.read_text(),
                         re.MULTILINE)
    assert expected, f"{case.name} must name its expected shape in a '# expect:' comment"
    shape = URIRef(SGSH + expected.group(1))
    path = SG[expected.group(3)] if expected.group(3) else shapes_graph().value(shape, SH.path)
    assert violations(case) == {(expected.group(2), str(path), str(shape))}


def test_every_property_shape_has_a_message():
    g = shapes_graph()
    unnamed = [s for s in g.subjects(RDF.type, SH.PropertyShape) if g.value(s, SH.message) is None]
    assert unnamed == []


# --- derived names for the Neo4j projection ----------------------------------------------------

def test_classes_become_node_labels():
    labels = derive.node_labels()
    assert (labels[str(SG.Country)], labels[str(SG.Claim)], labels[str(SG.CommitmentKind)]) == (
        "Country", "Claim", "CommitmentKind")


def test_object_properties_become_upper_snake_relationship_types():
    types = derive.relationship_types()
    assert (types[str(SG.refuses)], types[str(SG.onBehalfOf)], types[str(SG.holdsOffice)]) == (
        "REFUSES", "ON_BEHALF_OF", "HOLDS_OFFICE")


def test_datatype_properties_become_node_properties():
    props = derive.datatype_properties()
    assert (props[str(SG.quoteStart)], props[str(SG.iso3)]) == ("quoteStart", "iso3")
    assert str(SG.actor) not in props


def test_kinds_scheme_lists_each_kind_as_top_concept():
    g = Graph().parse(KINDS_FILE)
    tops = {str(o) for o in g.objects(SG.CommitmentKinds, SKOS.hasTopConcept)}
    assert tops == {k.iri for k in load_kinds()}


def test_gazetteer_files_parse_as_turtle():
    for path in sorted(GAZETTEER_DIR.glob("*.ttl")):
        assert len(Graph().parse(path, format="turtle")) > 0, path.name
