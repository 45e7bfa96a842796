"""Extraction rules on made-up sentences (names invented; general rules only)."""

from decimal import Decimal

from kg.pipeline import extract_text


def names(items) -> set[str]:
    return {i.name for i in items}


def test_regions_from_gazetteer_with_level_and_parent() -> None:
    x = extract_text("近年来,渠县新市镇围绕乡村振兴,连云港市灌南县也在推进。")
    by_name = {r.name: r for r in x.regions}
    assert by_name["渠县"].level == "county" and by_name["渠县"].parent == "达州市"
    assert by_name["渠县"].code == "511725"
    assert by_name["新市镇"].level == "township" and by_name["新市镇"].parent == "渠县"
    assert by_name["灌南县"].parent == "连云港市"


def test_common_words_are_not_places() -> None:
    x = extract_text("推动乡村振兴,发展合作市场和示范村镇建设,投资兴业。")
    assert names(x.regions) == set()


def test_villages_after_their_township() -> None:
    x = extract_text("今年柯城区沟溪乡余东村、碗窑村入选名单。")
    by_name = {r.name: r for r in x.regions}
    assert by_name["余东村"].level == "village" and by_name["余东村"].parent == "沟溪乡"
    assert by_name["碗窑村"].parent == "沟溪乡"


def test_short_forms_take_the_jurisdiction() -> None:
    text = "渠县大力推进强村工作。县财政局下达资金300万元,县农业农村局召开推进会,县委县政府高度重视。"
    x = extract_text(text)
    actors = {a.name: a for a in x.actors}
    assert x.jurisdiction == "渠县"
    assert "渠县财政局" in actors and "县财政局" in actors["渠县财政局"].aliases
    assert "渠县农业农村局" in actors
    # Register forms: the Party committee and the people's government of the county.
    assert actors["中共渠县委"].type == "PartyOrganization" and "县委" in actors["中共渠县委"].aliases
    assert actors["渠县人民政府"].type == "GovernmentAgency"


def test_a_place_committee_and_government_written_together() -> None:
    x = extract_text("锦屏县委县政府坚持把发展壮大村级集体经济作为重要抓手,县财政统筹整合资金2300万元,支持65个村。")
    actors = {a.name: a.type for a in x.actors}
    assert actors["中共锦屏县委"] == "PartyOrganization" and actors["锦屏县人民政府"] == "GovernmentAgency"
    f = x.fundings[0]
    assert (f.funder, f.recipient, f.count, f.count_unit) == ("锦屏县财政局", "65个村", 65, "个村")


def test_organisation_types_by_suffix() -> None:
    x = extract_text("渠县引进四川蜀丰农业科技有限公司,与渠县农村信用合作联社、渠县兴隆种植专业合作社签约。")
    types = {a.name: a.type for a in x.actors}
    assert types["四川蜀丰农业科技有限公司"] == "Enterprise"
    assert types["渠县农村信用合作联社"] == "FinancialInstitution"
    assert types["渠县兴隆种植专业合作社"] == "Cooperative"


def test_verbs_before_a_name_are_not_part_of_it() -> None:
    x = extract_text("坚持政府引导,充分发挥党支部作用,培育示范性合作社20家。")
    assert names(x.actors) == set()


def test_people_after_their_post() -> None:
    x = extract_text("双河村党支部书记 张建国说,合作社理事长李明带领村民致富。")
    people = {a.name for a in x.actors if a.type == "Person"}
    assert {"张建国", "李明"} <= people


def test_fundings_amount_funder_kind_count() -> None:
    x = extract_text("渠县大力推进。县财政局下达衔接资金500万元,支持10个村发展集体经济。"
                     "蜀兴银行渠县支行发放“兴村贷”贷款12笔3000万元。")
    got = {f.amount_cny: f for f in x.fundings}
    assert got[Decimal(5000000)].funder == "渠县财政局"
    assert got[Decimal(5000000)].kind == "grant"
    loan = got[Decimal(30000000)]
    assert loan.kind == "loan" and loan.count == 12 and loan.count_unit == "笔"
    assert loan.funder == "蜀兴银行渠县支行" and loan.program == "兴村贷"


def test_income_and_sales_are_not_fundings() -> None:
    x = extract_text("全县村级集体经济收入达到2770万元,农产品交易额9281万元,旅游收入14.5亿元,每亩租金600元。")
    assert x.fundings == ()


def test_totals_with_parts() -> None:
    x = extract_text("某某县争取衔接资金1259万元,其中中央资金984万元、市级资金230万元。")
    assert [f.amount_cny for f in x.fundings] == [Decimal(12590000), Decimal(9840000), Decimal(2300000)]


def test_documents_with_issuer() -> None:
    x = extract_text("根据四川省财政厅《关于下达2023年衔接资金的通知》文件,制定《渠县实施方案》。")
    docs = {d.title: d for d in x.documents}
    assert docs["关于下达2023年衔接资金的通知"].issuer == "四川省财政厅"
    assert "渠县实施方案" in docs


def test_a_short_document_name_points_back_and_a_newspaper_is_no_document() -> None:
    x = extract_text("省里印发《扶持村级集体经济发展试点实施方案》(以下简称《方案》)。根据《方案》要求,"
                     "每个试点村补助50万元。据《人民日报》报道,试点进展顺利。")
    assert [d.title for d in x.documents] == ["扶持村级集体经济发展试点实施方案"]
    assert len(x.documents[0].mentions) == 3  # the title and its short name twice


def test_quoted_programmes() -> None:
    x = extract_text("渠县深入实施“强村富民”行动,推广“兴村贷”,开展“一村一品”示范村建设。")
    assert {"强村富民", "兴村贷", "一村一品"} <= names(x.programs)


def test_funder_from_title() -> None:
    x = extract_text("关于某某县2023年中央财政衔接资金分配计划的公告\n1.某某村饮水工程\n投资:230万元 实施单位:某某县水利局\n",
                     title="关于某某县2023年中央财政衔接资金分配计划的公告")
    assert [(f.amount_cny, f.funder) for f in x.fundings] == [(Decimal(2300000), "中央财政")]


def test_towns_and_villages_outside_the_gazetteer_by_suffix_in_context() -> None:
    x = extract_text("渠县新建镇光明村、红星村开展试点。")
    by_name = {r.name: r for r in x.regions}
    assert by_name["新建镇"].level == "township" and by_name["新建镇"].parent == "渠县"
    assert by_name["光明村"].level == "village" and by_name["光明村"].parent == "新建镇"
    assert by_name["红星村"].parent == "新建镇"


def test_renamed_county_is_one_division_under_either_name() -> None:
    # An undated text that writes the former name keeps it (as the development gold does); the code says
    # it is the division now called 湟中区 (a dated report takes the name of its date: test_regions.py).
    old, new = extract_text("湟中县召开推进会。").regions, extract_text("湟中区召开推进会。").regions
    assert [r.name for r in old] == ["湟中县"] and [r.name for r in new] == ["湟中区"]
    assert old[0].code == new[0].code == "630122"


def test_bank_short_name_is_the_branch_of_the_report() -> None:
    x = extract_text("近年来,渠县新市镇发展产业。中国农业银行渠县支行推出“强村贷”。今年1月,农行的150万元贷款发放到账。")
    loan = next(f for f in x.fundings if f.amount_cny == Decimal(1500000))
    assert loan.funder == "中国农业银行渠县支行" and loan.kind == "loan"


def test_funders_written_as_phrases_and_headings() -> None:
    x = extract_text("今年,佳县争取苏陕资金3000万元,用于产业发展。")
    # Money named by a pairing comes from its partner place (FORMAT.md: 上海对口帮扶 -> 上海市).
    assert [(f.amount_cny, f.funder) for f in x.fundings] == [(Decimal(30000000), "江苏省")]
    x = extract_text("二、中央财政衔接资金\n下达双河村项目资金200万元。")
    assert [(f.amount_cny, f.funder) for f in x.fundings] == [(Decimal(2000000), "中央财政")]


def test_the_name_after_xiang_is_the_recipient_not_the_funder() -> None:
    x = extract_text("中国农业发展银行佳县支行向佳县兴农种植专业合作社发放贷款500万元。")
    f = x.fundings[0]
    assert f.funder == "中国农业发展银行佳县支行" and f.recipient == "佳县兴农种植专业合作社"


def test_places_acting_together_are_actors() -> None:
    x = extract_text("广陵区与佳县签订东西部协作协议,投入东西部协作资金1200万元。")
    assert {a.name for a in x.actors} == {"广陵区", "佳县"}


def test_bank_subject_after_a_time_phrase_lends() -> None:
    x = extract_text("近日,平江县农村商业银行与三市镇人民政府签订战略合作协议,未来三年将向该镇投放信贷资金5亿元。")
    f = x.fundings[0]
    assert (f.funder, f.kind) == ("平江县农村商业银行", "loan")
    assert "三市镇人民政府" in {a.name for a in x.actors}


def test_village_names_may_start_with_a_numeral() -> None:
    x = extract_text("平江县三市镇三墩村党支部书记刘明介绍,西卜沙乡三个村游牧民定居点建成。")
    names = {r.name: r for r in x.regions}
    assert names["三墩村"].parent == "三市镇" and "三个村" not in names


def test_a_unique_town_name_needs_its_county_in_the_report() -> None:
    x = extract_text("大力培育文明乡风、良好家风,渠县推进乡村振兴。")
    assert [r.name for r in x.regions] == ["渠县"]


def test_towns_the_gazetteer_misses_hang_under_the_report_county() -> None:
    x = extract_text("泽库县和日镇司玛村建成饮水工程。5.王家乡叶金木村饲料加工基地扩建项目")
    by_name = {r.name: r for r in x.regions}
    assert by_name["王家乡"].parent == "泽库县" and by_name["叶金木村"].parent == "王家乡"
