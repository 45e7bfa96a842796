"""rdfize: the quads of one report (types, labels, links, literals, evidence offsets)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from kg import ids
from kg.rdfize import decimal_lexical, rdfize
from kg.vocab import DCTERMS, KIND_IRIS, LEVEL_IRIS, PKG, PROV, RDF, SCHEMA, SKOS, XSD
from rdf_fixtures import (
    NORMALIZED,
    ORIGINAL,
    REPORT_ID,
    build_extraction,
    build_second_extraction,
)

G = NamedNode(ids.report_iri(REPORT_ID))


@pytest.fixture(scope="module")
def extraction():
    return build_extraction()


@pytest.fixture(scope="module")
def quads(extraction):
    return rdfize(extraction)


def objects(quads, subject: str, predicate: str) -> set:
    s, p = NamedNode(subject), NamedNode(predicate)
    return {q.object for q in quads if q.subject == s and q.predicate == p}


def one(quads, subject: str, predicate: str):
    found = objects(quads, subject, predicate)
    assert len(found) == 1, (subject, predicate, found)
    return next(iter(found))


def zh(text: str) -> Literal:
    return Literal(text, language="zh")


def typed(value: str, datatype: str) -> Literal:
    return Literal(value, datatype=NamedNode(datatype))


def test_every_quad_is_in_the_report_graph(quads):
    assert quads
    assert {q.graph_name for q in quads} == {G}


def test_output_is_deterministic_and_has_no_duplicates(extraction, quads):
    again = rdfize(extraction)
    assert again == quads
    assert len(set(quads)) == len(quads)


def test_report_metadata(quads):
    g = G.value
    assert one(quads, g, RDF.type) == NamedNode(PKG.Report)
    assert one(quads, g, DCTERMS.identifier) == Literal(REPORT_ID)
    assert one(quads, g, DCTERMS.title) == Literal("清溪县壮大村级集体经济工作总结")
    assert one(quads, g, DCTERMS.publisher) == Literal("中共清溪县委组织部")
    assert one(quads, g, DCTERMS.date) == typed("2022-11-03", XSD.date)
    assert one(quads, g, DCTERMS.source) == Literal("data/reports/qingxi-test-2022.txt")
    assert one(quads, g, SCHEMA.url) == typed("https://example.org/qingxi/2022/1103.html", XSD.anyURI)
    assert one(quads, g, PKG.sha256) == Literal("ab" * 32)
    assert one(quads, g, PKG.jurisdiction) == NamedNode(ids.region_iri("清溪县", code="990121"))


def test_non_iso_date_stays_a_plain_string_and_missing_title_is_omitted():
    second = rdfize(build_second_extraction())
    g = ids.report_iri("qingxi-meeting-2023")
    assert one(second, g, DCTERMS.date) == Literal("2023年5月")
    assert objects(second, g, DCTERMS.title) == set()


def test_actors_have_pkg_actor_and_exactly_their_own_type(extraction, quads):
    seen = set()
    for actor in extraction.actors:
        types = objects(quads, ids.actor_iri(actor.name), RDF.type)
        assert types == {NamedNode(PKG.Actor), NamedNode(getattr(PKG, actor.type))}
        assert one(quads, ids.actor_iri(actor.name), SKOS.prefLabel) == zh(actor.name)
        seen.add(actor.type)
    assert len(seen) == 7


def test_alt_labels_cover_aliases_and_surface_forms(quads):
    party = ids.actor_iri("中共清溪县委员会")
    assert objects(quads, party, SKOS.altLabel) == {zh("中共清溪县委"), zh("县委")}
    program = ids.program_iri("强村富民行动")
    assert objects(quads, program, SKOS.altLabel) == {zh("强村富民")}
    # the canonical name is never repeated as an altLabel
    agency = ids.actor_iri("清溪县农业农村局")
    assert zh("清溪县农业农村局") not in objects(quads, agency, SKOS.altLabel)


def test_regions_levels_codes_and_part_of(quads):
    city = ids.region_iri("柳川市", code="990100")
    county = ids.region_iri("清溪县", code="990121")
    town = ids.region_iri("石门镇", parent_code="990121")
    village = ids.region_iri("桃源村")
    assert town.endswith("/region/990121-石门镇")
    assert one(quads, county, PKG.level) == NamedNode(LEVEL_IRIS["county"])
    assert one(quads, village, PKG.level) == NamedNode(LEVEL_IRIS["village"])
    assert one(quads, county, PKG.divisionCode) == Literal("990121")
    assert objects(quads, town, PKG.divisionCode) == set()
    assert one(quads, county, PKG.partOf) == NamedNode(city)
    assert one(quads, town, PKG.partOf) == NamedNode(county)
    assert one(quads, village, PKG.partOf) == NamedNode(town)


def test_parent_outside_the_extraction_is_a_labelled_link_without_type(quads):
    province = ids.region_iri("河阳省", code="990000")
    assert one(quads, ids.region_iri("柳川市", code="990100"), PKG.partOf) == NamedNode(province)
    assert one(quads, province, SKOS.prefLabel) == zh("河阳省")
    assert objects(quads, province, RDF.type) == set()


def test_actor_and_programme_regions(quads):
    assert one(quads, ids.actor_iri("王明远"), PKG.region) == NamedNode(ids.region_iri("桃源村"))
    assert one(quads, ids.actor_iri("王明远"), PKG.post) == Literal("村党支部书记")
    assert one(quads, ids.program_iri("强村富民行动"), PKG.region) == NamedNode(ids.region_iri("清溪县", code="990121"))


def test_document_issuer_links_to_actor(quads):
    doc = ids.document_iri("清溪县村级集体经济发展扶持办法")
    assert one(quads, doc, RDF.type) == NamedNode(PKG.PolicyDocument)
    assert one(quads, doc, DCTERMS.title) == zh("清溪县村级集体经济发展扶持办法")
    assert one(quads, doc, PKG.issuer) == NamedNode(ids.actor_iri("清溪县农业农村局"))
    assert objects(quads, doc, PKG.issuerText) == set()


def test_funding_with_linked_funder_recipient_and_programme(extraction, quads):
    f = extraction.fundings[0]
    node = ids.funding_iri(REPORT_ID, f.amount_cny, f.evidence.start)
    assert one(quads, node, RDF.type) == NamedNode(PKG.Funding)
    assert one(quads, node, SCHEMA.amount) == typed("18400000", XSD.decimal)
    assert one(quads, node, SCHEMA.currency) == Literal("CNY")
    assert one(quads, node, PKG.fundingKind) == NamedNode(KIND_IRIS["loan"])
    assert one(quads, node, SCHEMA.funder) == NamedNode(ids.actor_iri("清溪县农村信用合作联社"))
    assert one(quads, node, SCHEMA.recipient) == NamedNode(ids.actor_iri("桃源村果蔬专业合作社"))
    assert one(quads, node, PKG.program) == NamedNode(ids.program_iri("强村富民行动"))
    assert one(quads, node, PKG.count) == typed("22", XSD.integer)
    assert one(quads, node, PKG.countUnit) == Literal("笔")
    assert one(quads, node, PKG.year) == typed("2022", XSD.gYear)
    assert one(quads, node, PROV.hadPrimarySource) == G
    for p in (PKG.funderText, PKG.recipientText, PKG.programText):
        assert objects(quads, node, p) == set()


def test_funding_with_literal_funder_keeps_the_text(extraction, quads):
    f = extraction.fundings[1]
    node = ids.funding_iri(REPORT_ID, f.amount_cny, f.evidence.start)
    assert one(quads, node, SCHEMA.amount) == typed("6400000", XSD.decimal)  # from Decimal("6.4E+6")
    assert one(quads, node, PKG.funderText) == Literal("中央财政")
    assert one(quads, node, PKG.recipientText) == Literal("村级集体经济组织")
    assert one(quads, node, PKG.count) == typed("128", XSD.integer)
    assert one(quads, node, PKG.countUnit) == Literal("个村")
    assert objects(quads, node, SCHEMA.funder) == set()
    assert objects(quads, node, PKG.year) == set()


def test_funder_lookup_prefers_actor_then_region_then_programme(extraction):
    f = extraction.fundings[1]
    cases = {
        "清溪县": ids.region_iri("清溪县", code="990121"),  # a region
        "强村富民行动": ids.program_iri("强村富民行动"),  # a programme
        "县农信社": ids.actor_iri("清溪县农村信用合作联社"),  # an actor's alias
    }
    for funder, expected in cases.items():
        ext = dataclasses.replace(extraction, fundings=(dataclasses.replace(f, funder=funder),))
        quads = rdfize(ext)
        node = ids.funding_iri(REPORT_ID, f.amount_cny, f.evidence.start)
        assert one(quads, node, SCHEMA.funder) == NamedNode(expected), funder


def test_measures_link_agent_and_object(extraction, quads):
    m = extraction.measures[0]
    node = ids.measure_iri(REPORT_ID, m.action, m.object, m.evidence.start)
    assert one(quads, node, RDF.type) == NamedNode(PKG.Measure)
    assert one(quads, node, PKG.action) == Literal("issued")
    assert one(quads, node, PKG.objectText) == Literal("清溪县村级集体经济发展扶持办法")
    assert one(quads, node, PKG.object) == NamedNode(ids.document_iri("清溪县村级集体经济发展扶持办法"))
    assert one(quads, node, PKG.agent) == NamedNode(ids.actor_iri("清溪县农业农村局"))
    signed = extraction.measures[1]
    node2 = ids.measure_iri(REPORT_ID, signed.action, signed.object, signed.evidence.start)
    assert objects(quads, node2, PKG.object) == set()  # 帮扶协议 is no known entity
    assert one(quads, node2, PKG.objectText) == Literal("帮扶协议")


def test_a_region_can_be_the_agent_of_a_measure(extraction):
    m = dataclasses.replace(extraction.measures[1], actor="清溪县")
    quads = rdfize(dataclasses.replace(extraction, measures=(m,)))
    node = ids.measure_iri(REPORT_ID, m.action, m.object, m.evidence.start)
    assert one(quads, node, PKG.agent) == NamedNode(ids.region_iri("清溪县", code="990121"))
    unknown = dataclasses.replace(m, actor="各级党组织")
    quads = rdfize(dataclasses.replace(extraction, measures=(unknown,)))
    assert one(quads, node, PKG.agentText) == Literal("各级党组织")


def _back_to_normalized(original_span: str) -> str:
    """Undo the fixture's script change and pinyin insertion."""
    trad, simp = "縣農業級體經濟發辦", "县农业级体经济发办"
    return original_span.replace("(xiàn)", "").translate(str.maketrans(trad, simp))


def test_mention_offsets_point_into_the_original_text(quads):
    mentions = {q.subject for q in quads if q.predicate == NamedNode(RDF.type) and q.object == NamedNode(PKG.Mention)}
    assert len(mentions) > 10
    for m in mentions:
        start = int(one(quads, m.value, PKG.start).value)
        end = int(one(quads, m.value, PKG.end).value)
        surface = one(quads, m.value, PKG.surface).value
        assert _back_to_normalized(ORIGINAL[start:end]) == surface
        sentence = one(quads, m.value, PKG.sentence)
        assert one(quads, sentence.value, DCTERMS.isPartOf) == G  # the report, through the sentence
        assert not [q for q in quads if q.subject == m and q.predicate == NamedNode(DCTERMS.isPartOf)]
    # the first actor mention covers the inserted pinyin reading in the original
    agency = ids.mention_iri(REPORT_ID, 0, 8)
    start = int(one(quads, agency, PKG.start).value)
    end = int(one(quads, agency, PKG.end).value)
    assert ORIGINAL[start:end] == "清溪縣(xiàn)農業農村局"
    # after the first sentence original offsets are shifted by the 6 pinyin characters
    county = ids.mention_iri(REPORT_ID, NORMALIZED.index("清溪县。"), NORMALIZED.index("清溪县。") + 3)
    assert int(one(quads, county, PKG.start).value) == NORMALIZED.index("清溪县。") + 6


def test_sentences_only_those_with_evidence_with_original_offsets(extraction, quads):
    sentences = {q.subject.value for q in quads if q.predicate == NamedNode(RDF.type) and q.object == NamedNode(PKG.Sentence)}
    expected = {ids.sentence_iri(REPORT_ID, s.index) for s in extraction.sentences[:6]}
    assert sentences == expected  # the 7th sentence carries no evidence
    for s in extraction.sentences[:6]:
        iri = ids.sentence_iri(REPORT_ID, s.index)
        start = int(one(quads, iri, PKG.start).value)
        end = int(one(quads, iri, PKG.end).value)
        assert _back_to_normalized(ORIGINAL[start:end]) == s.text
        assert one(quads, iri, PKG.text) == Literal(s.text)


def test_every_fact_links_to_evidence(extraction, quads):
    for f in extraction.fundings:
        node = ids.funding_iri(REPORT_ID, f.amount_cny, f.evidence.start)
        (mention,) = objects(quads, node, PROV.wasDerivedFrom)
        assert mention.value == ids.mention_iri(REPORT_ID, f.evidence.start, f.evidence.end)
        assert one(quads, mention.value, PKG.sentence) == NamedNode(ids.sentence_iri(REPORT_ID, f.evidence.sentence))
    for a in extraction.actors:
        assert objects(quads, ids.actor_iri(a.name), PROV.wasDerivedFrom)
        assert one(quads, ids.actor_iri(a.name), PROV.hadPrimarySource) == G


def test_same_actor_in_two_reports_is_one_node_in_two_graphs():
    first, second = rdfize(build_extraction()), rdfize(build_second_extraction())
    agency = NamedNode(ids.actor_iri("清溪县农业农村局"))
    graphs = {q.graph_name for q in first + second if q.subject == agency}
    assert graphs == {G, NamedNode(ids.report_iri("qingxi-meeting-2023"))}


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("1.5E+8"), "150000000"), (Decimal("18400000.00"), "18400000"), (Decimal("0.50"), "0.5"), (12, "12")],
)
def test_decimal_lexical(value, expected):
    assert decimal_lexical(value) == expected


def test_decimal_lexical_rejects_nan():
    with pytest.raises(ValueError):
        decimal_lexical(Decimal("NaN"))


def test_quads_are_pyoxigraph_quads(quads):
    assert all(isinstance(q, Quad) for q in quads)


def test_nquads_fast_path_states_exactly_the_same_quads():
    """What ingest workers send (rdfize_nquads) parses back to rdfize's quads, hostile text included."""
    from pyoxigraph import RdfFormat, parse

    from kg.rdfize import rdfize_nquads
    from serve_support import _hostile_extraction

    for extraction in (build_extraction(), build_second_extraction(), _hostile_extraction()):
        quads = rdfize(extraction)
        data, n = rdfize_nquads(extraction)
        parsed = list(parse(data, format=RdfFormat.N_QUADS))
        assert n == len(quads) == len(parsed)
        assert set(parsed) == set(quads)
