"""The SPARQL validation engine reports exactly what pyshacl (the reference) reports.

Every broken case of tests/test_ontology.py, plus cases for the constraint components
those do not reach, is validated by both engines; the results must be the same set of
(focus node, path, constraint component, value node).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from kg import ids, vocab
from kg.rdfize import rdfize
from kg.resources import shapes_path
from kg.store import open_store
from kg.validate import UnsupportedShapes, _load_shapes, translate_shapes, validate
from rdf_fixtures import REPORT_ID, build_extraction, build_second_extraction
from test_ontology import BROKEN, _replace_object

ROOT = Path(__file__).resolve().parent.parent
G = NamedNode(ids.report_iri(REPORT_ID))
XSD_INT = NamedNode(vocab.XSD.integer)
RDF_TYPE = NamedNode(vocab.RDF.type)


@pytest.fixture(scope="module")
def good() -> list[Quad]:
    return rdfize(build_extraction()) + rdfize(build_second_extraction())


def _key(result) -> list[tuple[str, str, str, str]]:  # noqa: ANN001
    return sorted((v.focus, v.path or "", v.component, v.value or "") for v in result.results)


def _same(quads) -> list[tuple[str, str, str, str]]:  # noqa: ANN001
    """Validate with both engines, assert they agree, return the results."""
    ref, fast = validate(quads, engine="pyshacl"), validate(quads)
    assert fast.conforms == ref.conforms
    assert fast.violations == ref.violations, (ref.text, fast.text)
    assert _key(fast) == _key(ref), (ref.text, fast.text)
    return _key(fast)


def test_the_shapes_translate_without_falling_back():
    shapes = translate_shapes(_load_shapes(None))
    assert len(shapes) == 11  # every node shape of ontology/shapes.ttl
    assert sum(len(s.properties) for s in shapes) > 60


def test_good_data_conforms_in_both_engines(good):
    assert _same(good) == []


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_both_engines_find_the_same_violations(good, case):
    found = _same(BROKEN[case][0](list(good)))
    assert found, case


def _actor(name: str) -> NamedNode:
    return NamedNode(ids.actor_iri(name))


MORE = {
    # DatatypeConstraintComponent on an ill-typed literal (not just a wrong datatype)
    "ill-typed integer": (
        lambda qs: _replace_object(qs, vocab.PKG.count, Literal("22笔", datatype=XSD_INT)), "DatatypeConstraintComponent"),
    "prefLabel in English": (
        lambda qs: _replace_object(qs, vocab.SKOS.prefLabel, Literal("Taoyuan", language="en"), "/region/"),
        "LanguageInConstraintComponent"),
    "region as a literal": (
        lambda qs: qs + [Quad(_actor("王明远"), NamedNode(vocab.PKG.region), Literal("清溪县"), G)],
        "NodeKindConstraintComponent"),
    "source that is not a report": (
        lambda qs: qs + [Quad(_actor("王明远"), NamedNode(vocab.PROV.hadPrimarySource), NamedNode("https://example.org/x"), G)],
        "ClassConstraintComponent"),
    "actor type without pkg:Actor": (
        lambda qs: [q for q in qs if not (q.predicate == RDF_TYPE and q.object == NamedNode(vocab.PKG.Actor)
                                          and "王明远" in q.subject.value)],
        "HasValueConstraintComponent"),
    "five-digit division code": (
        lambda qs: _replace_object(qs, vocab.PKG.divisionCode, Literal("99012")), "PatternConstraintComponent"),
    "date as a number": (
        lambda qs: _replace_object(qs, vocab.DCTERMS.date, Literal("2022", datatype=XSD_INT)), "OrConstraintComponent"),
    "funder as link and text": (
        lambda qs: qs + [Quad(q.subject, NamedNode(vocab.PKG.funderText), Literal("某单位"), q.graph_name)
                         for q in qs if q.predicate == NamedNode(vocab.SCHEMA.funder)],
        "MaxCountConstraintComponent"),
}


@pytest.mark.parametrize("case", sorted(MORE))
def test_other_components_agree(good, case):
    breaker, component = MORE[case]
    found = _same(breaker(list(good)))
    assert component in {c for _, _, c, _ in found}, found


def test_subclass_triples_in_the_data_extend_class_targets(good):
    # SHACL instances follow rdfs:subClassOf in the data graph: a pkg:Village typed node
    # is a pkg:Region when the data says pkg:Village rdfs:subClassOf pkg:Region
    village = NamedNode(vocab.PKG_NS + "Village")
    extra = [Quad(village, NamedNode(vocab.RDFS.subClassOf), NamedNode(vocab.PKG.Region), G),
             Quad(NamedNode("https://example.org/v"), RDF_TYPE, village, G)]
    found = _same(list(good) + extra)
    assert ("https://example.org/v", vocab.SKOS.prefLabel, "MinCountConstraintComponent", "") in found


def test_a_constraint_across_report_graphs_is_checked():
    """Each graph is valid alone; the union gives a region two enclosing regions."""
    part_of = NamedNode(vocab.PKG.partOf)
    first = rdfize(build_extraction())
    region = next(q.subject for q in first if q.predicate == part_of)
    second_graph = NamedNode(ids.report_iri("other-report"))
    second = [Quad(q.subject, q.predicate, q.object, second_graph) for q in first]
    second = [Quad(q.subject, q.predicate, NamedNode(ids.region_iri("990122")), q.graph_name)
              if q.subject == region and q.predicate == part_of else q for q in second]
    with open_store(":memory:") as store:
        store.replace_report(G.value, first)
        assert validate(store).conforms
        store.replace_report(second_graph.value, second)
        result = validate(store)
    assert not result.conforms
    assert (region.value, vocab.PKG.partOf, "MaxCountConstraintComponent") in {
        (v.focus, v.path, v.component) for v in result.results}


def test_the_same_triple_in_several_graphs_counts_once(good):
    """The union default graph is a bag; maxCount 1 must not see a triple twice."""
    copy = NamedNode(ids.report_iri("copy"))
    with open_store(":memory:") as store:
        store.replace_report(G.value, [q for q in good if q.graph_name == G])
        store.replace_report(copy.value, [Quad(q.subject, q.predicate, q.object, copy) for q in good if q.graph_name == G])
        result = validate(store)
    # only the report node of the copy lacks what a report has (its own sha256 etc. are fine)
    assert result.conforms, result.text


def test_a_message_names_focus_path_and_constraint(good):
    broken = _replace_object(list(good), vocab.SCHEMA.currency, Literal("USD"))
    result = validate(broken)
    v = result.results[0]
    assert v.path == vocab.SCHEMA.currency and v.component == "InConstraintComponent" and v.value == '"USD"'
    assert "currency" in v.message
    assert f"Focus Node: <{v.focus}>" in result.text and f"Result Path: <{vocab.SCHEMA.currency}>" in result.text
    assert "InConstraintComponent" in result.text and "Conforms: False" in result.text


def test_shapes_the_translator_does_not_know_fall_back_to_pyshacl(tmp_path, good):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(shapes_path().read_text(encoding="utf-8") + """
pkgsh:NotShape a sh:NodeShape ; sh:targetClass pkg:Funding ;
    sh:not [ sh:path schema:currency ; sh:hasValue "CNY" ] .
""", encoding="utf-8")
    with pytest.raises(UnsupportedShapes):
        translate_shapes(_load_shapes(shapes))
    result = validate(good, shapes=shapes)
    assert not result.conforms
    assert {v.component for v in result.results} == {"NotConstraintComponent"}


def test_unknown_engine_is_an_error(good):
    with pytest.raises(Exception, match="engine"):
        validate(good, engine="fast")


@pytest.mark.slow
def test_both_engines_agree_on_the_sample_reports(tmp_path):
    from kg.cli import main

    path = tmp_path / "store"
    assert main(["--store", str(path), "ingest", "--jobs", "1", "--quiet", str(ROOT / "data" / "reports")]) == 0
    with open_store(path) as store:
        ref, fast = validate(store, engine="pyshacl"), validate(store)
    assert fast.conforms and ref.conforms
    assert _key(fast) == _key(ref)


def test_a_district_of_a_municipality_has_one_parent_whether_or_not_the_city_is_named():
    """The gazetteer lists each municipality twice (province 上海市 > city 上海市 > district):
    both are one node, so a district is part of the same region in every report."""
    from kg.pipeline import extract_text

    texts = {"names-the-city": "上海市闵行区农业农村委下达专项资金100万元，支持村级集体经济项目。",
             "names-the-district": "闵行区财政局安排资金50万元，用于乡村振兴示范村建设。"}
    with open_store(":memory:") as store:
        for report_id, text in texts.items():
            store.replace_report(ids.report_iri(report_id), rdfize(extract_text(text, report_id)))
        district = NamedNode(ids.region_iri("闵行区", "310112"))
        parents = {q.object for q in store.store.quads_for_pattern(district, NamedNode(vocab.PKG.partOf), None)}
        graphs = {q.graph_name for q in store.store.quads_for_pattern(district, NamedNode(vocab.PKG.partOf), None)}
        assert parents == {NamedNode(ids.region_iri("上海市", "310000"))} and len(graphs) == 2
        assert validate(store).conforms
