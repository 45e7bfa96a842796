"""Indicators (issue 16): extraction, Data Cube RDF, series across reports, validation, scoring."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib

from kg.eval import score_report
from kg.extract.indicators import indicator_vocabulary
from kg.pipeline import extract_text, ingest
from kg.query import run_query
from kg.resources import ontology_path
from kg.store import open_store
from kg.validate import validate


ROOT = Path(__file__).resolve().parent.parent


def _facts(text: str) -> list[tuple]:
    return [(i.subject, i.indicator, i.value, i.unit, i.year, i.kind) for i in extract_text(text).indicators]


def test_actual_target_and_change_with_their_years() -> None:
    facts = _facts("2021年,湟中区村集体经济收入达到3500万元,比上年增加了500万元,计划到2025年突破5000万元。")
    assert ("湟中区", "collective_income", Decimal("35000000"), "yuan", 2021, "actual") in facts
    assert ("湟中区", "collective_income", Decimal("5000000"), "yuan", 2021, "change") in facts
    assert ("湟中区", "collective_income", Decimal("50000000"), "yuan", 2025, "target") in facts


def test_units_after_the_number_and_nouns_before_it() -> None:
    facts = _facts("2023年,湟中区共有127个行政村,带动就业1200人,种植面积达到3.5万亩,本批安排项目23个。")
    assert ("湟中区", "village_count", Decimal("127"), "count", 2023, "actual") in facts
    assert ("湟中区", "jobs", Decimal("1200"), "person", 2023, "actual") in facts
    assert ("湟中区", "area", Decimal("35000"), "mu", 2023, "actual") in facts
    assert ("湟中区", "project_count", Decimal("23"), "count", 2023, "actual") in facts


def test_a_loan_balance_belongs_to_the_bank_the_report_is_about() -> None:
    facts = _facts("2024年,农发行湟中区支行加大信贷投放。截至10月末,贷款余额95.3亿元,比年初增加13.1亿元。")
    balances = [f for f in facts if f[1] == "loan_balance"]
    assert balances and all("湟中区支行" in f[0] for f in balances)
    assert {(f[2], f[5]) for f in balances} == {(Decimal("9530000000"), "actual"), (Decimal("1310000000"), "change")}


def test_money_given_is_not_an_indicator() -> None:
    assert _facts("2023年,湟中区财政局下达衔接资金500万元,支持10个村发展集体经济。") == [
        ("湟中区", "village_count", Decimal("10"), "count", 2023, "actual")]


def test_one_figure_per_subject_indicator_year_and_kind() -> None:
    # Those are the data cube's dimensions: a second figure with the same ones would break IC-12
    # in kg validate, so the first stated is kept.
    facts = _facts("2023年,湟中区5万元以上村占比达到84.5%,10万元以上村达到44.1%。")
    assert [f[2] for f in facts if f[1] == "village_share"] == [Decimal("84.5")]
    facts = _facts("2025年,眉县普惠小微贷款余额48.56亿元,涉农贷款余额93.73亿元。全县涉农贷款余额达93.7亿元。")
    assert [f[2] for f in facts if f[1] == "loan_balance"] == [Decimal("4856000000")]


def test_no_report_gives_two_figures_of_one_cube_cell(sample_reports: list[Path]) -> None:
    from kg.pipeline import analyze
    from kg.read import iter_report_paths, read_report

    folders = [p for p in (ROOT / "eval" / "dev" / "corpus", ROOT.parent / "shared" / "dev-reports") if p.is_dir()]
    for path in [*sample_reports, *iter_report_paths(folders)]:
        keys = [(i.subject, i.indicator, i.year, i.kind) for i in analyze(read_report(path)).indicators]
        assert len(keys) == len(set(keys)), path.name


def test_the_ends_of_a_range_and_a_handful_of_people_are_no_figures() -> None:
    facts = _facts("2023年,湟中区每年可消纳10-20万亩秸秆,派出两名技术员,年收入10万-30万元的村有12个。")
    assert not [f for f in facts if f[1] in ("area", "people", "collective_income")]


def test_the_whole_village_or_the_township_just_named_owns_the_figure() -> None:
    facts = _facts("2023年,湟中区鲁沙尔镇阳坡村发展产业,全村共有320户。2023年该镇种植面积达到3000亩。")
    assert ("阳坡村", "households", Decimal("320"), "household", 2023, "actual") in facts
    assert ("鲁沙尔镇", "area", Decimal("3000"), "mu", 2023, "actual") in facts


def test_a_year_named_earlier_in_the_paragraph_dates_its_later_figures() -> None:
    facts = [f[1:] for f in _facts("2018年,湟中区共有380个行政村。其中集体经营性收入5万元以上村占比达到62.5%。\n"
                                   "2016年以来,湟中区实施项目120个。")]
    assert ("village_share", Decimal("62.5"), "percent", 2018, "actual") in facts
    assert ("project_count", Decimal("120"), "count", None, "actual") in facts
    assert not [f for f in facts if f[0] == "collective_income"]  # 5万元以上村: a band's threshold


def test_a_figure_up_to_now_is_of_the_report_year() -> None:
    text = "2017年底,湟中区与农发行签订协议,截至目前,湟中区实施扶贫项目6个。"
    assert _facts(text)[0][1:5] == ("project_count", Decimal("6"), "count", None)  # undated: no year


def test_the_name_the_wording_is_written_on_owns_it_and_an_aside_owns_nothing() -> None:
    facts = _facts("2022年,农发行西宁市分行加大投放。西宁市(含湟中区)涉农贷款余额达2102.04亿元。")
    assert [f[0] for f in facts if f[1] == "loan_balance"] == ["西宁市"]


def test_projects_and_enterprises_of_east_west_cooperation_are_the_programme_s() -> None:
    facts = _facts("2023年,苏陕协作持续深化。江苏省向陕西省投入财政援助资金26.9亿元,实施项目1343个,共落地企业186个。")
    assert ("苏陕协作", "project_count", Decimal("1343"), "count", 2023, "actual") in facts
    assert ("苏陕协作", "entity_count", Decimal("186"), "count", 2023, "actual") in facts


def test_a_count_of_a_programme_s_units_is_the_programme_s() -> None:
    facts = _facts("2022年,湟中区推进“整村授信”工作,“整村授信”村达120个。")
    assert ("整村授信", "village_count", Decimal("120"), "count", 2022, "actual") in facts


def test_a_count_counts_the_noun_right_before_it() -> None:
    facts = _facts("2021年,湟中区共有行政村达到120个,其中县乡结对56个。")
    assert [f[2] for f in facts if f[1] == "village_count"] == [Decimal("120")]


def test_a_year_on_a_line_broken_mid_sentence_dates_the_next_line() -> None:
    facts = _facts("记者日前获悉\n2023年\n湟中区计划实施乡村振兴项目137个\n已开工项目84个。\n湟中区实施项目20个。")
    assert [(f[2], f[4]) for f in facts if f[1] == "project_count"] == [
        (Decimal("137"), 2023), (Decimal("84"), 2023), (Decimal("20"), None)]


def test_a_percentage_of_the_villages_is_a_share_of_villages() -> None:
    facts = _facts("2021年,湟中区有75.8%的村年收入超过5万元。")
    assert ("village_share", Decimal("75.8"), "percent", 2021, "actual") in [f[1:] for f in facts]


def test_a_sentence_opened_by_a_plan_plans_all_its_figures() -> None:
    facts = _facts("2022年,湟中区农民人均收入达到12541元。届时,湟中区村集体经济总收入将超7亿元,农民人均收入超3.8万元。")
    assert ("湟中区", "income_per_capita", Decimal("38000"), "yuan", 2022, "target") in facts


def test_a_plan_restated_as_done_is_one_figure() -> None:
    facts = _facts("2026年湟中区计划实施产业发展项目4个。(一)实施产业发展项目4个,安排资金1441万元。")
    assert [(f[1], f[2], f[5]) for f in facts] == [("project_count", Decimal("4"), "target")]


def test_up_to_now_in_an_undated_report_is_the_paragraph_s_year() -> None:
    facts = _facts("2023年,湟中区计划实施项目137个。目前,已开工项目84个。")
    assert ("project_count", Decimal("84"), "count", 2023, "actual") in [f[1:] for f in facts]


def test_village_collective_organisations_are_counted_as_entities_not_villages() -> None:
    facts = _facts("2023年,湟中区计划对全区97个村级集体经济组织进行扶持。")
    assert [(f[1], f[2]) for f in facts] == [("entity_count", Decimal("97"))]


def test_the_paragraph_s_village_owns_a_figure_two_sentences_on() -> None:
    facts = _facts("湟中区鲁沙尔镇阳坡村探索发展产业。村里先后成立了合作社。村民积极参与。2020年,发展辣椒产业80亩。")
    assert ("阳坡村", "area", Decimal("80"), "mu", 2020, "actual") in facts


def test_as_of_a_year_is_a_fact_not_a_plan() -> None:
    facts = _facts("截至2021年底,湟中区5万元以上村达到84.5%、10万元以上村达到44.1%。")
    assert {f[5] for f in facts if f[1] == "village_share"} == {"actual"}


def test_a_wording_carries_only_into_a_clause_that_names_nothing_of_its_own() -> None:
    facts = _facts("2024年,湟中区引育42家产值超千万元企业,旅游收入达到3亿元,比上年增加了5000万元,签约额超393亿元。")
    assert [(f[1], f[2], f[5]) for f in facts if f[1] == "output_value"] == [
        ("output_value", Decimal("300000000"), "actual"), ("output_value", Decimal("50000000"), "change")]


def test_the_first_year_of_a_five_year_plan_dates_the_paragraph() -> None:
    facts = _facts("“十三五”开局之年,湟中区加大投入。审批投放项目101个,金额2.5亿元。")
    assert ("project_count", Decimal("101"), "count", 2016, "actual") in [f[1:] for f in facts]


def test_a_name_given_as_an_example_owns_no_figure() -> None:
    facts = _facts("2023年,湟中区阳坡村先后引进文旅公司等5家企业。")
    assert [(f[0], f[1], f[2]) for f in facts] == [("阳坡村", "entity_count", Decimal("5"))]


def _write(folder: Path, rid: str, date: str, text: str) -> None:
    (folder / f"{rid}.txt").write_text(text, encoding="utf-8")
    (folder / f"{rid}.meta.json").write_text(json.dumps({"id": rid, "date": date, "title": rid}), encoding="utf-8")


@pytest.fixture()
def two_reports(tmp_path: Path):
    folder = tmp_path / "reports"
    folder.mkdir()
    _write(folder, "first", "2021-06-01", "2021年,湟中区村集体经济收入达到3500万元。")
    _write(folder, "second", "2023-05-01",
           "湟中区村集体经济收入增至8200万元,计划到2025年突破10000万元。2021年湟中区村集体经济收入为3600万元。")
    store = open_store(tmp_path / "store")
    ingest([folder], store)
    yield store
    store.close()


def test_series_across_reports_with_kind_year_and_conflicts(two_reports) -> None:
    rows = run_query(two_reports, "indicator-series", {"name": "湟中区", "indicator": "collective_income"}).rows
    points = {(r[2], r[3], r[4], r[6], r[8]) for r in rows}  # year, kind, value, report, conflict
    assert ("2021", "actual", "35000000", "first", "true") in points
    assert ("2021", "actual", "36000000", "second", "true") in points  # two reports disagree: both kept, flagged
    assert ("2023", "actual", "82000000", "second", "false") in points
    assert ("2025", "target", "100000000", "second", "false") in points
    everything = run_query(two_reports, "indicators").columns
    assert everything == ["subject", "indicator", "value", "unit", "year", "kind", "report", "evidence"]


def test_observations_are_valid_data_cube(two_reports) -> None:
    assert validate(two_reports).conforms


def test_validation_catches_a_missing_dimension_and_duplicate_observations() -> None:
    from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store

    store = Store()
    obs = "https://w3id.org/policy-kg/id/observation/r/x"
    ttl = f"""
    @prefix qb: <http://purl.org/linked-data/cube#> .
    @prefix pkg: <https://w3id.org/policy-kg/ontology#> .
    @prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
    @prefix sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    <urn:ds> a qb:DataSet ; qb:structure pkg:indicatorStructure .
    <{obs}> a qb:Observation ; qb:dataSet <urn:ds> ; pkg:subject <urn:place> ; pkg:indicator <urn:i> ;
        pkg:observationKind <https://w3id.org/policy-kg/observation-kind/actual> ; sdmx-dimension:refArea <urn:place> ;
        pkg:value 1.0 ; sdmx-attribute:unitMeasure <urn:u> ; <http://www.w3.org/ns/prov#wasDerivedFrom> <urn:m> .
    """
    g = NamedNode("https://w3id.org/policy-kg/id/report/r")
    store.load(ttl.encode(), format=RdfFormat.TURTLE, to_graph=g)
    result = validate(store)
    assert not result.conforms
    assert any("reference year" in v.message for v in result.results)
    # the same dimensions twice in one data set: IC-12
    for name in ("a", "b"):
        node = NamedNode(f"urn:obs-{name}")
        for p, o in (("http://purl.org/linked-data/cube#dataSet", NamedNode("urn:ds")),
                     ("https://w3id.org/policy-kg/ontology#subject", NamedNode("urn:place")),
                     ("https://w3id.org/policy-kg/ontology#indicator", NamedNode("urn:i")),
                     ("https://w3id.org/policy-kg/ontology#observationKind",
                      NamedNode("https://w3id.org/policy-kg/observation-kind/actual")),
                     ("http://purl.org/linked-data/sdmx/2009/dimension#refArea", NamedNode("urn:place")),
                     ("http://purl.org/linked-data/sdmx/2009/dimension#refPeriod",
                      Literal("2021", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#gYear")))):
            store.add(Quad(node, NamedNode(p), o, g))
    assert any("IC-12" in v.message for v in validate(store).results)


def test_indicator_scoring_matches_subject_code_value_and_year() -> None:
    gold = {"id": "r", "regions": [{"name": "湟中区", "level": "county", "aliases": ["湟中"]}], "indicators": [
        {"subject": "湟中区", "indicator": "collective_income", "value": 35000000, "year": 2021, "kind": "actual"},
        {"subject": "湟中区", "indicator": "area", "value": 35000, "year": 2023, "kind": "actual", "optional": True},
        {"subject": "湟中区", "indicator": "jobs", "value": 1200, "year": 2023, "kind": "actual"}]}
    pred = {"indicators": [
        {"subject": "湟中", "indicator": "collective_income", "value": "35100000", "year": "2021"},
        {"subject": "湟中区", "indicator": "area", "value": "35000", "year": "2023"},
        {"subject": "湟中区", "indicator": "jobs", "value": "1200", "year": "2022"}]}
    count = score_report(pred, gold).counts["indicators"]
    assert (count.tp, count.fp, count.fn) == (1, 1, 1)
    assert score_report(pred, {"id": "r"}).counts["indicators"].fp == 0  # gold without indicators scores none


def test_the_vocabulary_file_and_the_skos_scheme_agree() -> None:
    g = rdflib.Graph().parse(ontology_path())
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    scheme = rdflib.URIRef("https://w3id.org/policy-kg/ontology#Indicators")
    concepts = {str(n): c for c in g.subjects(skos.inScheme, scheme) for n in g.objects(c, skos.notation)}
    assert set(concepts) == {d.code for d in indicator_vocabulary()}
    for d in indicator_vocabulary():
        assert rdflib.Literal(d.label, lang="zh") in set(g.objects(concepts[d.code], skos.prefLabel))
        wordings = {*d.before, *(f"…{a}" for a in d.after)} - {d.label}
        assert {str(x) for x in g.objects(concepts[d.code], skos.altLabel)} == wordings, d.code
        assert list(g.objects(concepts[d.code], rdflib.URIRef("http://purl.org/dc/terms/source")))


def test_a_goal_named_after_the_figure_is_a_target_and_stays_with_it() -> None:
    facts = _facts("2021年,湟中区明确了全区村集体经济收入达到5万元以上的目标任务,城东区与韵家口镇达成8个岗位近60人。")
    assert ("湟中区", "collective_income", Decimal("50000"), "yuan", 2021, "target") in facts
    assert [f[5] for f in facts if f[1] == "people"] == ["actual"]
    assert not [f for f in facts if f[1] == "village_count"]  # 8个岗位 counts posts, not villages


def test_a_figure_of_unknown_year_is_kept_in_the_undated_data_set(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "undated.txt").write_text("湟中区村集体经济收入达到3500万元,带动就业1200人。", encoding="utf-8")
    with open_store(tmp_path / "store") as store:
        ingest([folder], store)
        rows = run_query(store, "indicators").as_dicts()
        assert {(r["indicator"], r["value"], r["year"]) for r in rows} >= {
            ("collective_income", "35000000", None), ("jobs", "1200", None)}
        assert validate(store).conforms
        structures = run_query(store, "PREFIX qb: <http://purl.org/linked-data/cube#> "
                                      "SELECT ?s WHERE { ?d a qb:DataSet ; qb:structure ?s }").rows
        assert structures == [("https://w3id.org/policy-kg/ontology#undatedIndicatorStructure",)]


def test_our_province_is_the_reports_place_and_a_receiver_is_not_a_subject() -> None:
    from kg.pipeline import extract_text

    x = extract_text("苏陕协作再上新台阶\n2021年,江苏省共向我省投入财政援助资金26亿元。2021年,我省共实现脱贫人口新转移就业15650人。")
    assert x.jurisdiction == "陕西省"
    assert [(i.subject, i.indicator, int(i.value)) for i in x.indicators if i.indicator == "jobs"] == [("陕西省", "jobs", 15650)]
