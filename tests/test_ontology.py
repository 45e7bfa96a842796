"""The ontology and the SHACL shapes: well-formed, documented, in step with kg.vocab, and biting."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pyoxigraph as ox
import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, Quad
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg import ids, resources, vocab
from kg.model import ACTOR_TYPES, FUNDING_KINDS, REGION_LEVELS
from kg.rdfize import rdfize
from kg.store import open_store
from kg.validate import validate
from rdf_fixtures import REPORT_ID, build_extraction, build_second_extraction

PKG = rdflib.Namespace(vocab.PKG_NS)
G = NamedNode(ids.report_iri(REPORT_ID))


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(resources.ontology_path(), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(resources.shapes_path(), format="turtle")


@pytest.fixture(scope="module")
def good():
    return rdfize(build_extraction()) + rdfize(build_second_extraction())


def test_ontology_parses_in_pyoxigraph_too():
    triples = list(ox.parse(path=str(resources.ontology_path()), format=ox.RdfFormat.TURTLE))
    assert len(triples) > 300


def _pkg_terms(graph: rdflib.Graph) -> set[rdflib.URIRef]:
    return {s for s in graph.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(vocab.PKG_NS)}


def test_every_pkg_term_has_zh_and_en_labels_and_a_comment(ontology):
    terms = _pkg_terms(ontology)
    assert len(terms) >= 40
    for term in terms:
        labels = {lit.language for lit in ontology.objects(term, RDFS.label)}
        assert {"zh", "en"} <= labels, term
        assert list(ontology.objects(term, RDFS.comment)), term


def test_vocab_and_ontology_declare_the_same_pkg_terms(ontology):
    declared = {str(t) for t in _pkg_terms(ontology)}
    assert declared == set(vocab.pkg_terms().values())
    for term in declared:
        kinds = set(ontology.objects(rdflib.URIRef(term), RDF.type))
        assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme,
                        rdflib.URIRef("http://purl.org/linked-data/cube#DataStructureDefinition")}, term


def test_class_hierarchy(ontology):
    for name in ACTOR_TYPES:
        parents = set(ontology.objects(PKG[name], RDFS.subClassOf))
        assert PKG.Actor in parents
        expected = rdflib.URIRef(vocab.FOAF.Person if name == "Person" else vocab.ORG.Organization)
        assert expected in parents
    assert rdflib.URIRef(vocab.SCHEMA.MonetaryGrant) in set(ontology.objects(PKG.Funding, RDFS.subClassOf))
    assert rdflib.URIRef(vocab.PROV.Entity) in set(ontology.objects(PKG.Report, RDFS.subClassOf))
    assert (PKG.within, RDF.type, OWL.TransitiveProperty) in ontology
    assert (PKG.partOf, RDFS.subPropertyOf, PKG.within) in ontology


@pytest.mark.parametrize(
    ("scheme", "iris"),
    [("RegionLevels", [vocab.LEVEL_IRIS[x] for x in REGION_LEVELS]), ("FundingKinds", [vocab.KIND_IRIS[x] for x in FUNDING_KINDS])],
)
def test_concept_schemes_match_the_model(ontology, scheme, iris):
    assert (PKG[scheme], RDF.type, SKOS.ConceptScheme) in ontology
    members = set(ontology.subjects(SKOS.inScheme, PKG[scheme]))
    assert members == {rdflib.URIRef(i) for i in iris}
    for m in members:
        assert (m, RDF.type, SKOS.Concept) in ontology
        assert {lit.language for lit in ontology.objects(m, SKOS.prefLabel)} == {"zh", "en"}
        assert str(ontology.value(m, SKOS.notation)) == vocab.local_name(str(m))


def test_shapes_only_use_declared_pkg_terms(ontology, shapes):
    used = {o for t in shapes for o in t if isinstance(o, rdflib.URIRef) and str(o).startswith(vocab.PKG_NS)}
    assert used and used <= _pkg_terms(ontology)


def test_resources_follow_kg_home(tmp_path, monkeypatch):
    assert resources.ontology_path().is_file() and resources.queries_dir().is_dir()
    monkeypatch.setenv("KG_HOME", str(tmp_path))
    assert resources.project_root() == tmp_path.resolve()
    assert resources.shapes_path() == tmp_path.resolve() / "ontology" / "shapes.ttl"


# ---- SHACL ---------------------------------------------------------------------------

def test_valid_data_conforms(good):
    result = validate(good)
    assert result.conforms, result.text
    assert result.violations == 0


def test_validation_of_a_store(good):
    with open_store(":memory:") as store:
        store.replace_report(G.value, [q for q in good if q.graph_name == G])
        assert validate(store).conforms


def _replace_object(quads, predicate: str, new_object, subject_part: str = ""):
    p = NamedNode(predicate)
    return [Quad(q.subject, q.predicate, new_object, q.graph_name)
            if q.predicate == p and subject_part in q.subject.value else q for q in quads]


def _without(quads, predicate: str, subject_part: str = ""):
    p = NamedNode(predicate)
    return [q for q in quads if not (q.predicate == p and subject_part in q.subject.value)]


BROKEN = {
    "funding without amount": (lambda qs: _without(qs, vocab.SCHEMA.amount), vocab.SCHEMA.amount),
    "negative amount": (
        lambda qs: _replace_object(qs, vocab.SCHEMA.amount, Literal("-1", datatype=NamedNode(vocab.XSD.decimal))),
        vocab.SCHEMA.amount),
    "amount as a string": (lambda qs: _replace_object(qs, vocab.SCHEMA.amount, Literal("1840万元")), vocab.SCHEMA.amount),
    "currency not CNY": (lambda qs: _replace_object(qs, vocab.SCHEMA.currency, Literal("USD")), vocab.SCHEMA.currency),
    "kind outside the scheme": (
        lambda qs: _replace_object(qs, vocab.PKG.fundingKind, NamedNode(vocab.KIND_NS + "gift")), vocab.PKG.fundingKind),
    "level outside the scheme": (
        lambda qs: _replace_object(qs, vocab.PKG.level, NamedNode(vocab.LEVEL_NS + "district")), vocab.PKG.level),
    "funding without evidence": (
        lambda qs: _without(qs, vocab.PROV.wasDerivedFrom, "/funding/"), vocab.PROV.wasDerivedFrom),
    "actor without type": (
        lambda qs: [q for q in qs if not (q.predicate == NamedNode(vocab.RDF.type) and q.object == NamedNode(vocab.PKG.Person))],
        vocab.RDF.type),
    "actor with two types": (
        lambda qs: qs + [Quad(NamedNode(ids.actor_iri("王明远")), NamedNode(vocab.RDF.type), NamedNode(vocab.PKG.Enterprise), G)],
        vocab.RDF.type),
    "two prefLabels": (
        lambda qs: qs + [Quad(NamedNode(ids.program_iri("强村富民行动")), NamedNode(vocab.SKOS.prefLabel), Literal("强村", language="zh"), G)],
        vocab.SKOS.prefLabel),
    "negative offset": (
        lambda qs: _replace_object(qs, vocab.PKG.start, Literal("-3", datatype=NamedNode(vocab.XSD.integer)), "/sentence/"),
        vocab.PKG.start),
    "start after end": (
        lambda qs: _replace_object(qs, vocab.PKG.start, Literal("9999", datatype=NamedNode(vocab.XSD.integer)), "/mention/"),
        vocab.PKG.start),
    "bad sha256": (lambda qs: _replace_object(qs, vocab.PKG.sha256, Literal("ABC")), vocab.PKG.sha256),
    "report without title or identifier": (
        lambda qs: _without(_without(qs, vocab.DCTERMS.title, "/report/"), vocab.DCTERMS.identifier), None),
    "mention outside its sentence": (
        lambda qs: _replace_object(qs, vocab.PKG.start, Literal("1", datatype=NamedNode(vocab.XSD.integer)), "/150-156"),
        None),
    "region inside itself": (
        lambda qs: qs + [Quad(NamedNode(ids.region_iri("柳川市", code="990100")), NamedNode(vocab.PKG.partOf),
                              NamedNode(ids.region_iri("桃源村")), G)],
        None),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_data_fails(good, case):
    breaker, path = BROKEN[case]
    broken = breaker(list(good))
    assert broken != good
    result = validate(broken)
    assert not result.conforms
    assert result.violations >= 1
    if path is not None:
        assert path in {v.path for v in result.results}, result.text


def test_an_unknown_actor_type_from_extraction_fails_validation():
    ext = build_extraction()
    bad = dataclasses.replace(ext, actors=(dataclasses.replace(ext.actors[0], type="Bureau"), *ext.actors[1:]))
    assert not validate(rdfize(bad)).conforms


def test_a_funding_with_an_unknown_kind_fails_validation():
    ext = build_extraction()
    f = dataclasses.replace(ext.fundings[0], kind="donation", amount_cny=Decimal("5"))
    assert not validate(rdfize(dataclasses.replace(ext, fundings=(f,)))).conforms
