"""Programmes from the SKOS vocabulary and from grammars; funders found beyond the amount's clause."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest

from kg import resources
from kg.extract.programs import concept_of, programme_vocabulary
from kg.pipeline import extract_text
from kg.rdfize import programme_scheme_quads, rdfize
from kg.registers import budget_levels
from kg.vocab import PROGRAMME_NS, SPARQL_PREFIXES


def _programs(text: str) -> set[str]:
    return {p.name for p in extract_text(text).programs}


def _funders(text: str) -> dict[int, str | None]:
    return {int(f.amount_cny): f.funder for f in extract_text(text).fundings}


# ---- the vocabulary ---------------------------------------------------------------

def test_every_concept_has_a_source_and_known_broader_concepts():
    vocab = programme_vocabulary()
    assert len(vocab) >= 30
    for c in vocab.values():
        assert c.document, c.id
        assert all(u.startswith("http") for u in c.sources), c.id
        assert set(c.broader) <= set(vocab), c.id
        assert c.when in ("always", "cued", "link"), c.id


def test_no_label_names_two_concepts():
    seen: dict[str, str] = {}
    for c in programme_vocabulary().values():
        for label in c.labels:
            assert seen.setdefault(label, c.id) == c.id, label


def test_broader_links_have_no_cycle():
    vocab = programme_vocabulary()
    for c in vocab.values():
        todo, seen = list(c.broader), set()
        while todo:
            b = todo.pop()
            assert b != c.id, c.id
            if b not in seen:
                seen.add(b)
                todo += vocab[b].broader


def test_ontology_file_is_generated_from_the_register():
    path = resources.project_root() / "ontology" / "programmes.ttl"
    in_file = {(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)}
    assert in_file == {(q.subject, q.predicate, q.object) for q in programme_scheme_quads()}, "run `make programmes`"


def test_short_forms_and_prefixed_names_find_their_concept():
    assert concept_of("衔接资金").id == "connection-fund"
    assert concept_of("中央财政衔接推进乡村振兴补助资金").id == "connection-fund"
    assert concept_of("苏陕协作").broader == ("east-west-cooperation",)
    assert concept_of("三乡工程") is None


def test_national_programmes_of_central_documents_are_read_without_quotes() -> None:
    names = _programs("该县统筹推进光伏扶贫和易地扶贫搬迁,争取中央专项彩票公益金支持革命老区乡村振兴项目2个,"
                      "发放脱贫人口小额信贷300万元,并用好厕所革命专项资金。")
    assert {"光伏扶贫", "易地扶贫搬迁", "中央专项彩票公益金支持革命老区乡村振兴项目", "脱贫人口小额信贷",
            "厕所革命专项资金"} <= names, names
    assert concept_of("脱贫人口小额信贷").id != concept_of("扶贫小额信贷").id  # the 2021 successor is its own programme


def test_national_subsidies_and_schemes_are_read_and_a_subsidy_s_money_is_the_subsidy() -> None:
    names = _programs("某县落实农机购置补贴资金500万元,开展村级公益事业建设一事一议财政奖补,实施国家黑土地保护工程。")
    assert {"农机购置补贴", "村级公益事业建设一事一议财政奖补", "国家黑土地保护工程"} <= names, names
    assert "农机购置补贴资金" not in names
    assert concept_of("农机购置补贴").id == "agri-machinery-subsidy"


def test_a_vocabulary_programme_is_named_by_its_label_when_a_verb_opens_or_drops_from_it() -> None:
    assert "乡村建设行动" in _programs("全县深入实施乡村建设行动,村容村貌明显改善。")
    assert "发展新型农村集体经济" in _programs("该县大力支持壮大新型农村集体经济。")
    assert "京蒙扶贫协作" in _programs("深化京蒙扶贫协作,重点支持产业项目。")
    assert "现代农业产业园" in _programs("全市建设现代农业产业园2个。")  # a level left out is not a verb left out


def test_a_vocabulary_fund_with_its_task_in_brackets_before_zijin() -> None:
    x = extract_text("2025年省级财政衔接推进乡村振兴补助(以工代赈任务)资金共计80万元。")
    assert {p.name for p in x.programs} == {"省级财政衔接推进乡村振兴补助(以工代赈任务)资金", "以工代赈任务"}  # and its task
    assert concept_of("衔接推进乡村振兴补助资金").id == "connection-fund"


def test_a_cued_programme_awarded_with_its_level() -> None:
    assert "宜居宜业和美乡村" in _programs("东庄村、西岭村获评省级宜居宜业和美乡村。")
    assert "全国文明村" not in _programs("该村获评“全国文明村”称号。")


def test_an_activity_named_as_background_is_no_programme_until_a_verb_launches_it() -> None:
    # 消费帮扶, 援疆, 援藏: fields of work that cooperation reports list (cued in programmes.tsv)
    assert "消费帮扶" not in _programs("本报讯 两地在产业协作、消费帮扶、劳务协作等方面取得积极成效。")
    assert "援疆" not in _programs("本报讯 援疆干部积极参与当地建设。")
    assert "消费帮扶" in _programs("本报讯 该县深入开展消费帮扶,拓宽农产品销路。")


def test_a_programme_s_money_named_beside_it_is_that_programme() -> None:
    x = extract_text("本报讯 甲县实施以工代赈项目。今年下达以工代赈资金500万元,支持村道建设。")
    assert [(p.name, "以工代赈资金" in p.aliases) for p in x.programs] == [("以工代赈项目", True)]
    assert [f.program for f in x.fundings] == ["以工代赈项目"]


def test_a_project_named_with_and_without_its_places_is_one_project() -> None:
    names = _programs("本月,农发行平遥县支行向平遥县东关污水处理厂提标工程发放贷款800万元。\n"
                      "去年,平遥县水务公司启动了东关污水处理厂提标工程,可日处理污水2万吨。")
    assert names == {"平遥县东关污水处理厂提标工程"}, names


def test_national_programmes_of_land_and_water() -> None:
    # 退耕还林还草 (since 1999, a new round since 2014) and 中小河流治理 (paid by the central water fund): programmes
    names = _programs("本报讯 甲县实施新一轮退耕还林还草1.2万亩,完成中小河流治理项目3个。")
    assert names == {"新一轮退耕还林还草", "中小河流治理项目"}, names  # (named as written, the vocabulary's forms)


def test_a_fund_named_with_an_amount_is_read_without_what_includes_it_and_generic_funds_are_none() -> None:
    assert _programs("本报讯 县财政下达资金2599万元(含少数民族发展资金142万元)。") == {"少数民族发展资金"}
    assert not _programs("本报讯 下达我市中央财政补助资金1032万元。")  # a budget's money of no named fund
    # a receiver, a pointer or a bound before a fund's name is no part of it
    assert _programs("本报讯 现下达你单位2021年省对下民族团结专项资金100万元。") == {"省对下民族团结专项资金"}
    assert _programs("本报讯 省财政厅下达给我县少数民族发展专项资金80万元。") == {"少数民族发展专项资金"}


@pytest.mark.parametrize("text", [
    "资金不得用于大拆大建、“面子工程”、盲目造景。",  # what money must not be spent on
    "信用体系建设是一项社会工程,需要各方参与。",  # a description (是一项…工程), not a name
    "请列入2020年政府收支分类科目“2130205森林资源培育”。",  # a budget subject by its code, not a programme
])
def test_forbidden_uses_and_descriptions_are_no_programmes(text: str) -> None:
    assert not _programs(text)


def test_a_project_name_starts_after_a_cited_document_or_a_verb_that_changes_it() -> None:
    names = _programs("《关于下达第三批省级财政衔接推进乡村振兴补助资金实施计划的通知》(某振局发〔2023〕8号)文件中的"
                      "农担体系建设项目变更调整为张家村下组东干渠硬化项目。")
    assert names == {"张家村下组东干渠硬化项目"}
    names = _programs("决定对《关于下达2022年度中央财政衔接推进乡村振兴补助资金项目计划的通知》(某振局发〔2022〕2号)文件中"
                      "李家村危桥拆除新建项目结余资金调整到李家村新修拦水闸项目建设。")
    assert not any("》" in n or "〕" in n or "调整" in n for n in names)


def test_a_project_of_several_villages_is_named_with_all_of_them() -> None:
    names = _programs("水城县2025年衔接资金项目:米箩镇张家村、李家庄村及王家村仓储项目,投资100万元。")
    assert "米箩镇张家村、李家庄村及王家村仓储项目" in names and "王家村仓储项目" not in names


@pytest.mark.parametrize("text", [
    "本报讯 全县实施以下项目:村道硬化工程。",  # pointing at projects named elsewhere
    "本报讯 今年启动乡村振兴补助资金安排项目。",  # a verb of allocating inside: what a fund pays for
    "本报讯 会议要求推进方案和具体项目。",  # a vague qualifier
])
def test_phrases_that_point_or_allocate_are_no_programme_names(text: str) -> None:
    assert not {n for n in _programs(text) if n.endswith("项目")}


# ---- programmes in text -----------------------------------------------------------

def test_vocabulary_programmes_without_quotes():
    names = _programs("该县牢牢把握东西部协作重大机遇,全力推动沪滇协作项目落地,统筹用好衔接资金和以工代赈项目。")
    assert {"东西部协作", "沪滇协作", "衔接推进乡村振兴补助资金"} <= names  # 沪滇协作项目: the programme's project
    assert any(n.startswith("以工代赈") for n in names)


def test_national_strategy_as_background_is_not_a_programme_but_launched_it_is():
    assert not any("脱贫攻坚" in n for n in _programs("该项目是把产业发展与脱贫攻坚深入结合的典型。"))
    assert "脱贫攻坚" in _programs("全县深入实施脱贫攻坚,群众生活明显改善。")
    # the strategy is the national one, whatever place the text writes before it
    assert _programs("本报讯 近日召开会议。\n该县全面实施城步县乡村振兴战略,成效明显。") == {"乡村振兴战略"}


def test_project_names_by_grammar():
    names = _programs("农发行某分行审批贷款5亿元,支持东方市罗带河综合治理暨智慧渔农产业基地项目建设。")
    assert "东方市罗带河综合治理暨智慧渔农产业基地项目" in names
    # A locative after the head (示范片区|里, jieba's 区里) does not run the name on.
    assert "青州市王坟镇山水王坟乡村振兴示范片区" in _programs("在青州市王坟镇山水王坟乡村振兴示范片区里,游客正在采摘。")
    # A verb between the place and the head: no project name (昔宜村依托…项目).
    assert not any(n.startswith("昔宜村") for n in _programs("昔宜村依托沪滇协作项目,发展乡村旅游。"))
    # The projects a fund pays for, or a kind of them, are no project named (锦屏县2024年度衔接资金项目, 锦屏县重点项目).
    names = _programs("现将锦屏县2024年度衔接资金项目公示如下。锦屏县重点项目进展顺利。锦屏县茶叶加工厂建设项目已开工。")
    assert names == {"衔接推进乡村振兴补助资金", "锦屏县茶叶加工厂建设项目"}, names
    # 某村|民宿: a village's homestays, no 村民 of the sentence
    assert _programs("锦屏县三江村民宿示范点项目已开工。") == {"锦屏县三江村民宿示范点项目"}
    # The year written before the place opens the name (issue 13: year, place, content, then the head).
    assert _programs("下达资金用于2026年锦屏县三江村茶叶加工厂建设项目。") == {"2026年锦屏县三江村茶叶加工厂建设项目"}
    # A river between the places of a water project is part of its name (county, river, town, village, section).
    assert "锦屏县清水江三江镇段治理工程" in _programs("项目包括锦屏县清水江三江镇段治理工程等。")


def test_a_category_after_deng_a_verb_in_the_content_or_an_organisation_is_not_a_project() -> None:
    names = _programs("本次资金主要用于开展村村通硬化工程等乡村建设。要使云南成为全国鲜花出口基地。"
                      "2010年,湖南省将农村饮水安全列为全省重点民生工程。来源:湖南省代建项目管理局")
    assert names == {"村村通硬化工程"}, names


def test_a_product_written_without_its_series_and_a_project_without_its_county_are_one_programme() -> None:
    names = _programs("某农商银行推出“乡村振兴·茶园贷”。该行召开“茶园贷”推进会。"
                      "景洪市勐龙镇茶叶初制所建设项目已投产。勐龙镇茶叶初制所建设项目带动3个村增收。")
    assert names == {"乡村振兴·茶园贷", "景洪市勐龙镇茶叶初制所建设项目"}, names


def test_a_loan_named_before_its_project_and_credit_in_general_are_not_products() -> None:
    names = _programs("一是支持平遥县棚改前期贷项目。该行创新了“政府+银行+合作社+农户”信贷支持产业模式。")
    assert not any(n.endswith("贷") for n in names), names


def test_an_idiom_that_ends_in_dai_is_no_loan_product() -> None:
    assert _programs("本报讯 守好绿水青山是责无旁贷的责任,农商银行推出“乡村振兴贷”。") == {"乡村振兴贷"}
    # and 振兴 (a verb first, though 丹东's 振兴区 is called so for short) does not open a product's name
    assert "振兴贷" not in _programs("本报讯 农商银行推出乡村振兴贷。")


@pytest.mark.parametrize("text", [
    "本报讯 该项目建设需要资金80万元,由村集体筹措。",  # a pronoun and a need: no fund named
    "本报讯 全县畜牧产业奖补资金300万元已兑付到户。",  # the whole county's money of a kind, no named fund
    "本报讯 对农业开发建设项目予以安排补助资金50万元。",  # a verb inside: what money is given for
])
def test_sums_of_a_kind_of_money_name_no_fund(text: str) -> None:
    assert not _programs(text)


def test_funds_named_in_a_list_of_sums() -> None:
    names = _programs("下达市本级财政衔接推进乡村振兴补助资金20万元,其中美丽屋场项目奖补资金8万元,产业帮扶项目资金12万元。"
                      "其中乡村振兴示范乡(镇)奖补资金2亿元、乡村振兴先进村奖补资金3亿元。")
    assert {"美丽屋场项目", "产业帮扶项目", "乡村振兴示范乡(镇)奖补资金", "乡村振兴先进村奖补资金"} <= names, names
    assert not any(n.startswith("乡村振兴补助") for n in names)  # part of the vocabulary's fund, not a fund of its own
    names = _programs("农村改厕专项资金有2亿元,帮扶点阿荣旗某嘎查帮扶资金50万元,自治区财政配套资金30万元。")
    assert names == {"农村改厕专项资金"}, names
    names = _programs("其中到户产业补助资金120万元,产业发展类项目资金600万元。")  # 到 of 到户 is no verb; X类 is a kind
    assert names == {"到户产业补助资金"}, names


def test_quoted_names_with_their_heads_and_lists_of_quoted_names_of_one_kind() -> None:
    names = _programs("2019年,全县实施集体经济“清零”工程。农户通过“618”金融扶贫贷款筹集资金。"
                      "该行按照全省“百万头生猪”工程建设部署走访农户。联合共建“陇南厨师”“陇南月嫂”等劳务品牌。"
                      "该行推出了“稻谷贷”“果园贷”等10多个“一乡一品”贷款产品。")
    assert {"集体经济清零工程", "618金融扶贫贷款", "百万头生猪工程", "陇南厨师", "陇南月嫂", "一乡一品"} <= names, names
    assert "一镇一企" in _programs("两地共建“一镇一企”劳动力稳岗就业基地。")
    assert _programs("截至6月末,该行“三农”贷款余额达50亿元。") == set()  # loans of a field, not a product
    assert _programs("“百村授信”助力乡村振兴取得实效。“两山”理念引领绿色发展。") == {"百村授信"}  # a headline's agent


def test_documents_descriptions_and_unnamed_places_give_no_programme() -> None:
    names = _programs("《2022年乡村振兴专项资金(支持美丽乡村建设方向)项目实施方案》印发。"
                      "抓紧编制年度实施方案和项目实施方案。批复2个村级服务站建设方案。"
                      "该项目是由农业农村部实施的一项省级竞争性项目。"
                      "随着广东省帮扶我省民族地区5县项目计划的下达。他看到了河北某村庄发展食用菌种植项目。")
    assert names == set(), names


def test_a_fund_s_special_line_in_brackets_is_a_programme() -> None:
    names = _programs("省财政厅下拨2021年省级农业生产发展(第二批茶产业提质增效发展专项)资金3000万元。")
    assert "茶产业提质增效发展专项" in names, names


def test_model_villages_and_named_towns_launched_by_a_verb() -> None:
    assert "乡村旅游振兴示范村" in _programs("今年计划打造120个乡村旅游振兴示范村,每村补助50万元。")
    assert "茶马古道民俗风情旅游小镇" in _programs("引进某文旅公司打造茶马古道民俗风情旅游小镇。")
    assert "美丽乡村示范村建设" in _programs("全县推进美丽乡村示范村建设,成效明显。")
    assert "普惠金融服务乡村振兴示范点" in _programs("该市打造普惠金融服务乡村振兴示范点,覆盖全部乡镇。")
    assert _programs("打造了一批示范基地,创建省级示范园,实施小镇建设。") == set()  # heads without a name
    assert _programs("帮助村集体理清发展思路、谋划发展项目,实施扶贫项目。") == set()  # only a verb before the head
    # X建设 after a launching verb is a kind of work, not a named programme (unless its X is a model place)
    assert _programs("全县推进新型城镇化建设和村级服务中心建设。") == set()


def test_more_launch_verbs_and_a_quote_launched_through_de() -> None:
    assert "东湖引水提升项目" in _programs("市政府谋划东湖引水提升项目,计划三年完工。")
    assert "村企联建" in _programs("他家的变化得益于该县推行的“村企联建”机制。")
    assert "新动力" not in _programs("把小额贷款作为乡村振兴的“新动力”。")


def test_the_project_of_a_programme_written_partly_in_quotes_is_that_programme() -> None:
    assert _programs("资金全部用于“飞地”抱团项目,飞地抱团带动薄弱村增收。") == {"飞地抱团"}


def test_e_dai_loan_products_without_quotes() -> None:
    assert "惠农e贷" in _programs("农业银行通过惠农e贷累计发放贷款3亿元。")
    assert "兴农E贷" in _programs("该行为200户农户发放兴农E贷。")


def test_loan_products_listed_after_a_launch_verb():
    names = _programs("当地银行推出无还本续贷、创业担保贷款等专项信贷产品,支持小微企业。")
    assert {"无还本续贷", "创业担保贷款"} <= names


def test_a_quoted_brand_is_named_without_its_head_word() -> None:
    names = _programs("该行擦亮了“惠农银行”品牌,打造西山村“茶·舍”等乡村旅游品牌。")
    assert "惠农银行" in names and "惠农银行品牌" not in names
    assert not any("等" in n for n in names)


def test_a_quote_qualified_by_de_or_far_from_a_weak_cue_is_a_figure_of_speech() -> None:
    names = _programs("该县把小额贷款作为乡村振兴的“新动力”,以金融服务的“小窗口”带动产业。"
                      "加大对“新农民”的信贷支持。作为全市“南大门”第一村,该村获得了绿色食品产品、“中国名牌”等荣誉。")
    assert not names & {"新动力", "小窗口", "新农民", "南大门", "中国名牌"}, names
    assert "星火天地" in _programs("支持农村“星火天地”、众创空间建设。")


def test_an_unquoted_name_starts_after_the_sum_its_verb_gives() -> None:
    names = _programs("该行发放贷款0.8亿元支持青山湖游客服务中心项目建设。")
    assert "青山湖游客服务中心项目" in names and not any("亿元" in n for n in names)


def test_plan_periods_and_linked_kinds_of_work_are_not_programmes() -> None:
    names = _programs("该项目是一项省级竞争性项目,“十四五”期间每年申报一次。某县支行发放2亿元高标准农田建设暨人居环境贷款。")
    assert "十四五" not in names and "高标准农田建设" not in names


# ---- funders beyond the amount's clause --------------------------------------------

def test_anaphor_gives_the_bank_named_before():
    funders = _funders("日前,记者从农发行海南省分行获悉,今年以来,该行累计审批贷款16.92亿元,用于支持美丽海湾项目建设。")
    assert funders[1692000000] and funders[1692000000].endswith("海南省分行")


def test_this_bank_is_the_bank_named_before_whatever_its_branch():
    # 这家银行 / 该银行 name no branch: the last bank named before them gives
    text = "记者从农发行清溪县支行获悉,目前这家银行已筹措10亿元粮食收购信贷资金。"
    assert _funders(text)[1000000000].endswith("清溪县支行")


def test_paragraph_subject_gives_the_loans_of_a_subjectless_sentence():
    text = "农发行大悟县支行全力服务国家粮食安全。2022年以来,累计投放储备粮贷款5039万元。\n另有企业自筹资金100万元。"
    funders = _funders(text)
    assert funders[50390000] and funders[50390000].endswith("大悟县支行")


def test_partner_place_of_a_pairing_programme_gives_its_money():
    text = "在沪滇协作的推动下,某村发展迎来新机遇。2025年,该村再投735万元对口帮扶资金,新建农文旅服务中心。"
    assert _funders(text)[7350000] == "上海市"


def test_money_named_by_a_pairing_comes_from_the_partner():
    assert _funders("2024年,苏陕协作资金3000万元支持当地产业发展。")[30000000] == "江苏省"
    assert _funders("闽宁协作资金1000万元用于村集体经济项目。")[10000000] == "福建省"


def test_a_place_that_opens_the_clause_and_gives_is_the_funder():
    assert _funders("2023年,锦屏县投入资金500万元,支持10个村发展产业。")[5000000] == "锦屏县"
    # A village that puts in its own money: neither it nor its county is taken for a giving place.
    assert _funders("锦屏县平秋镇石引村投入资金50万元,建设冷库。")[500000] is None


def test_of_joint_givers_the_finance_department_gives_and_the_bank_lends():
    funders = _funders("贵阳市财政局、市农业农村局下拨专项资金800万元,支持食用菌产业。")
    assert funders[8000000] and funders[8000000].endswith("财政局")


def test_allocation_document_finance_body_gives_the_amounts_of_its_paragraph():
    text = "近日,某县收到由安徽省财政厅、安徽省乡村振兴局联合下发的《关于下达2023年衔接推进乡村振兴补助资金的通知》。其中某县追加奖励2000万元。"
    assert _funders(text)[20000000] == "安徽省财政厅"


def test_every_budget_level_of_the_register_names_its_money() -> None:
    # data/registers/budget_levels.tsv (the Budget Law's levels) drives the patterns: each level word, before 财政 or
    # as the level of money received, gives the level's funder (a place word before 财政, 县财政, may name the place's
    # finance body instead, which the actors read).
    levels = budget_levels()
    rank = {b.word: b.rank for b in levels}
    assert rank["中央"] > rank["省级"] == rank["自治区"] > rank["市级"] > rank["县级"] == rank["区级"]
    for b in levels:
        if b.form == "level" or b.word == "自治区":
            assert _funders(f"清溪县召开会议。2024年,{b.word}财政安排补助资金100万元。") == {1000000: b.funder}, b
        if b.form == "level":
            assert _funders(f"清溪县召开会议。2024年,清溪县获得{b.word}补助资金100万元。") == {1000000: b.funder}, b


def test_budget_level_is_the_funder():
    assert _funders("其中,中央财政资金30万元,用于村集体经济项目。")[300000] == "中央财政"


@pytest.mark.parametrize("text, amount, funder", [
    # a province's finance body passes on the centre's money: the centre gives it (FORMAT.md: budget level)
    ("本报讯 日前,甘肃省财政厅下达2024年中央农业防灾减灾资金2.40亿元,支持灾后恢复生产。", 240000000, "中央财政"),
    # and its parts, given by the body named before, are the same money
    ("本报讯 日前,甘肃省财政厅下达2024年中央农业防灾减灾资金2.40亿元。此次资金中,下达兰州市1.3亿元,下达天水市1.1亿元。",
     110000000, "中央财政"),
    # its own level's money it gives itself
    ("本报讯 甘肃省财政厅下达2024年省级农业防灾减灾资金2.40亿元。", 240000000, "甘肃省财政厅"),
    # and a bureau named in its own clause that arranges money gives it, whatever money the report named before
    ("本报讯 中央财政下达资金20万元。慈利县财政局安排村级集体经济发展专项资金300万元,用于扶持2个村。", 3000000, "慈利县财政局"),
    # a bracket after the sum says whose money it is
    ("本报讯 我市向各县下达2024年农业防灾减灾资金500万元(中央财政补助资金)。", 5000000, "中央财政"),
    # a partner place that adds (追加) money of a long-named fund opens the sentence
    ("一、资金来源\n浙江省追加2020年东西部扶贫协作专项资金3000万元。", 30000000, "浙江省"),
])
def test_money_of_a_higher_budget_passed_on_is_that_budget_s(text: str, amount: int, funder: str) -> None:
    assert _funders(text)[amount] == funder


@pytest.mark.parametrize("text, expected", [
    # a lender whose loans 获批 (were approved) still lends them: 该支行 is the branch, with another bank named before
    ("本报讯 在人民银行宁安市支行指导下,农发行宁安市支行持续加大支持力度。截至12月31日,该支行共获批农地贷款3亿元,"
     "并实现首笔投放1亿元。", {300000000: "中国农业发展银行宁安市支行", 100000000: "中国农业发展银行宁安市支行"}),
    # 本次下达… points back at the allocation of the paragraph before: its giver
    ("本报讯 6月16日,省发展改革委下达2025年县域经济发展专项资金计划,共计下达专项资金8亿元。\n"
     "本次下达我市专项资金1.5亿元,用于产业园区建设。", {800000000: "省发展改革委", 150000000: "省发展改革委"}),
    # places listed after 对 receive: the last of them does not give
    ("本报讯 今年对长安区、周至县每县安排5000万元。", {50000000: None}),
    # a purpose phrase (为更好支持春耕,) opens the sentence before its subject, which 该行 then refers to
    ("本报讯 农业银行宁安市支行客户经理张三为农户发放了贷款。\n今年以来,为更好支持春耕,农业银行黑龙江省分行累计投放"
     "贷款2亿元。截至目前,该行农户贷款余额超30亿元。", {200000000: "中国农业银行黑龙江省分行", 3000000000: "中国农业银行黑龙江省分行"}),
])
def test_givers_named_before_the_amount_s_sentence(text: str, expected: dict) -> None:
    assert _funders(text) == expected


def test_a_rate_is_no_funding_but_an_area_in_the_clause_before_does_not_make_one() -> None:
    # 1000亩,|补助资金40万元: the area belongs to the clause before; 每棒0.022元 is a rate
    text = "本报讯 县林业局下达项目资金:新建核桃示范基地1000亩,补助资金40万元;发展林下种植400亩,补助资金30万元。"
    assert sorted(_funders(text)) == [300000, 400000]
    assert list(_funders("本报讯 省财政下达资金1500万元,对复工的经营主体以每棒0.022元的标准补助。")) == [15000000]


def test_income_is_not_funding():
    assert 8000000 not in _funders("该村旅游综合收入突破800万元。")


# ---- the graph: every east-west cooperation programme ---------------------------------

EAST_WEST = SPARQL_PREFIXES + f"""
SELECT DISTINCT ?label WHERE {{
  GRAPH ?g {{ ?p a pkg:Program ; skos:prefLabel ?label ; skos:exactMatch/skos:broader* ?c . }}
  GRAPH ?h {{ ?c skos:broader* <{PROGRAMME_NS}east-west-cooperation> . }}
}} ORDER BY ?label
"""


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    texts = {
        "a": "全力推动沪滇协作项目落地见效,上海累计向该村投入3215万元。",
        "b": "2024年苏陕协作项目资金支持当地发展产业,东西部协作成效明显。",
        "c": "某县下达衔接资金500万元,支持10个村发展集体经济。",
    }
    for rid, text in texts.items():
        s.extend(rdfize(extract_text(text, report_id=rid)))
    return s


def test_sparql_finds_every_east_west_cooperation_programme(store):
    labels = {row["label"].value for row in store.query(EAST_WEST)}
    assert any("沪滇协作" in x for x in labels)
    assert any("苏陕协作" in x for x in labels)
    assert "东西部协作" in labels
    assert not any("衔接" in x for x in labels)


def test_an_allocation_list_gives_each_place_its_amount() -> None:
    x = extract_text("2023年,锦屏县财政局下达衔接资金1.2亿元,其中:三江镇3000万元,敦寨镇2500万元,启蒙镇1800万元。")
    amounts = {f.amount_cny: f for f in x.fundings}
    assert {Decimal("30000000"), Decimal("25000000"), Decimal("18000000")} <= set(amounts)
    assert amounts[Decimal("25000000")].recipient and "敦寨镇" in amounts[Decimal("25000000")].recipient
    # a place and an amount without any word of giving before them is not a funding
    assert not extract_text("2023年,三江镇3000万元,敦寨镇2500万元。").fundings
    # an item may name its place with the places above it (凉山州昭觉县): the last one receives
    x = extract_text("现将2020年度以工代赈资金分配下达如下。\n一、资金分配情况\n"
                     "凉山州昭觉县2000万元,甘孜州理塘县1500万元,阿坝州红原县1200万元、若尔盖县1000万元。")
    assert [(int(f.amount_cny), f.recipient) for f in x.fundings] == [
        (20000000, "昭觉县"), (15000000, "理塘县"), (12000000, "红原县"), (10000000, "若尔盖县")]


def test_loans_put_out_and_money_put_in_for_income_are_fundings() -> None:
    x = extract_text("2025年,农发行锦屏县支行投放2.16亿元贷款。锦屏县投入100万元重点用于培育帮扶村增收产业。")
    assert {f.amount_cny for f in x.fundings} == {Decimal("216000000"), Decimal("1000000")}
    assert not extract_text("2023年,锦屏县村集体经济收入增收100万元。").fundings


def test_a_full_stop_typed_for_a_decimal_point_is_read_as_one() -> None:
    x = extract_text("2023年,锦屏县已下达第一批中央衔接资金68。57亿元。")
    assert [f.amount_cny for f in x.fundings] == [Decimal("6857000000")]


def test_a_dictionary_word_in_quotes_is_a_figure_of_speech_not_a_programme() -> None:
    names = {p.name for p in extract_text("2023年,锦屏县交出乡村振兴“成绩单”,打造“升级版”,实施“扶社贷”。").programs}
    assert "成绩单" not in names and "升级版" not in names
    assert "扶社贷" in names


def test_an_allocation_document_gives_the_items_of_its_numbered_section() -> None:
    # the items a lead-in line (具体安排情况是:) puts in the next paragraph still come from the document's
    # issuer; the next numbered section is another allocation
    text = ("一、奖补资金安排情况\n根据《大理州财政局关于下达2019年度州级财政专项资金的通知》,下达我县奖补资金520万元。\n"
            "具体安排情况是:\n祥城镇资金40万元,沙龙镇资金110万元。\n二、其他资金\n下达资金30万元。")
    assert _funders(text) == {5200000: "大理白族自治州财政局", 400000: "大理白族自治州财政局",
                              1100000: "大理白族自治州财政局", 300000: None}


def test_a_title_s_budget_level_no_longer_speaks_once_the_report_names_several(monkeypatch) -> None:
    # the rules alone: where they find no giver the default's learned fallback may still name one (funder_rank)
    monkeypatch.setenv("KG_FUNDER_MODEL", "off")
    title = "关于2023年度中央财政衔接资金安排项目的公示"
    text = title + "\n一、资金安排情况\n2023年拟使用中央、省级财政衔接资金5000万元,具体计划如下:\n(一)产业类项目2个,共计800万元。\n"
    assert {int(f.amount_cny): f.funder for f in extract_text(text, title=title).fundings} == {50000000: None, 8000000: None}
    # the province's finance passing central money on (省财政下达…中央财政…) names one level, the money's
    text = "记者从省财政厅了解到,近日,省财政下达第二批中央财政衔接推进乡村振兴补助资金3亿元。\n其中重点支持农村集体经济,按照每个村奖补30万元的标准进行扶持。"
    assert _funders(text) == {300000000: "中央财政", 300000: "中央财政"}


def test_the_numbered_items_of_an_allocation_list_are_fundings() -> None:
    text = ("二、资金安排项目情况\n2023年拟安排衔接资金900万元,具体计划如下:\n(一)产业类项目2个,共计700万元。\n"
            "1.冷棚育苗基地建设项目400万元。\n2.肉牛养殖场建设项目300万元。\n三、其他情况\n全县农民人均收入1.2万元。")
    assert sorted(int(f.amount_cny) for f in extract_text(text).fundings) == [3000000, 4000000, 7000000, 9000000]


@pytest.mark.parametrize("text, amounts", [
    # a milestone passed on the way to the figure
    ("本报讯 召开会议。\n农发行锦屏县支行贷款余额突破50亿元大关,达50.48亿元。", {5048000000: "中国农业发展银行锦屏县支行"}),
    # an amount repeated in the brackets right after it: the repeat, which names whose money it is, is kept
    ("二、资金安排\n下达资金3000万元,具体如下:\n1、安排安全饮水项目资金2000万元(中央财政衔接资金2000万元)。",
     {30000000: None, 20000000: "中央财政"}),
    # a category of one item, whose item the next line gives with the same sum
    ("二、资金安排\n下达资金3000万元,具体如下:\n(1)加工类产业项目1个,1950万元。\n1.肉牛屠宰加工项目1950万元。",
     {30000000: None, 19500000: None}),
])
def test_an_amount_said_again_is_one_funding(text: str, amounts: dict[int, str | None]) -> None:
    fundings = extract_text(text).fundings
    assert len(fundings) == len(amounts) and _funders(text) == amounts


def test_a_headline_that_the_page_title_does_not_match_still_restates_the_body() -> None:
    text = "锦屏县投入衔接资金3000万元助力产业发展\n本报讯 今年以来,锦屏县投入衔接资金3000万元,支持10个村发展产业。"
    x = extract_text(text, title="锦屏：3000万元衔接资金助力产业_锦屏县人民政府")
    assert [int(f.amount_cny) for f in x.fundings] == [30000000]


def test_a_subtitle_below_the_page_lines_still_restates_the_body() -> None:
    text = ("锦屏财政争取补助资金3.99亿 支持示范村建设\n2022-03-04 18:59:35 来源:锦屏日报\n作者:张三\n字号:\n分享到:\n"
            "县财政再次争取补助资金3.99亿元\n重点支持示范村建设\n本报讯 3月2日,记者从县财政局获悉,该局争取补助资金3.99亿元。")
    assert [int(f.amount_cny) for f in extract_text(text).fundings] == [399000000]


@pytest.mark.parametrize("text, amounts", [
    # a result word between the money named and the amount: a benefit, a demand, a saving, no money given
    ("本报讯 项目投入沪滇帮扶资金2880万元,2024年产生效益65万元,分配至21个村。", [28800000]),
    ("本报讯 粮食收购资金需求总量超过1200亿元,农发行已筹措400亿元信贷资金。", [40000000000]),
    # a profit, a tax paid and a contract volume are results too
    ("本报讯 在县农商银行40万元信用贷款支持下,该村投放鱼苗2万尾,当年除去成本获利4万余元。", [400000]),
    ("本报讯 该行全年发放贷款30亿元,上缴各项税金1.2亿元。", [3000000000]),
    ("本报讯 两地签署消费帮扶协议12个,签约额2.5亿元,投入帮扶资金8000万元。", [80000000]),
])
def test_results_after_the_money_named_are_no_fundings(text: str, amounts: list[int]) -> None:
    assert sorted(int(f.amount_cny) for f in extract_text(text).fundings) == amounts


def test_a_sum_of_the_lead_said_again_in_the_body_is_one_funding() -> None:
    text = ("本报讯 今年以来,农发行锦屏县支行投放贷款5亿元,支持粮食收购。\n会议强调要做好服务。\n"
            "据了解,农发行锦屏县支行投放贷款5亿元,支持收购粮食2万吨。")
    assert [int(f.amount_cny) for f in extract_text(text).fundings] == [500000000]
    # said again with other words for the money (资金 for 贷款) and without its giver
    text = ("本报讯 今年以来,农发行锦屏县支行投放贷款5亿元,支持粮食收购。\n会议强调要做好服务。\n"
            "据了解,项目资金5亿元已全部到位,支持收购粮食2万吨。")
    assert [int(f.amount_cny) for f in extract_text(text).fundings] == [500000000]
    # equal sums of numbered items are as many fundings
    text = "本报讯 近日召开会议。\n下达资金700万元,具体如下:\n1.甲村道路硬化项目安排资金350万元。\n2.乙村饮水安全项目安排资金350万元。"
    assert sorted(int(f.amount_cny) for f in extract_text(text).fundings) == [3500000, 3500000, 7000000]


def test_the_place_lines_of_an_allocation_s_table_are_fundings_until_the_next_section() -> None:
    text = ("本报讯 近日召开会议。\n二、资金分配\n州财政局下达衔接资金500万元,分配如下。\n锦屏县300万元。\n天柱县200万元。\n"
            "三、其他\n锦屏县100万元。")
    assert sorted((int(f.amount_cny), f.recipient) for f in extract_text(text).fundings) == [
        (2000000, "天柱县"), (3000000, "锦屏县"), (5000000, None)]


@pytest.mark.parametrize("text, names", [
    # a count or an ordinal before 项目 says how many, not which
    ("本报讯 锦屏县安排实施27个项目,其中:产业发展24个项目、乡村建设行动2个项目。", ["乡村建设行动"]),
    ("本报讯 今年11月,农发行锦屏县支行获批首笔PPP项目贷款3.5亿元。", []),
    # a preposition after the place (某县|对|帮扶项目进行调研) opens no project's name
    ("本报讯 锦屏县每年组织调研组深入黄平县对帮扶项目进行调研。", []),
])
def test_no_project_name_is_a_count_an_ordinal_or_a_preposition(text: str, names: list[str]) -> None:
    assert sorted(_programs(text)) == names


def test_a_vocabulary_fund_written_with_a_budget_before_it_is_one_programme() -> None:
    text = "本报讯 根据文件,下达我区财政衔接推进乡村振兴补助资金3174万元。衔接推进乡村振兴补助资金重点支持产业发展。"
    assert _programs(text) == {"衔接推进乡村振兴补助资金"}


@pytest.mark.parametrize("text, names", [
    # single quotes quote a name as double quotes do
    ("本报讯 近年来,锦屏县通过开展‘擦亮小城镇’行动,全县面貌大为改观。", ["擦亮小城镇"]),
    # a formula of who works with whom names no programme, unless it carries its own head (…贷)
    ("本报讯 我们采用“公司+合作社+村委”的经营模式,带动农户增收。", []),
    ("本报讯 锦屏县推出“再贷款+农谷贷”产品,支持农户发展。", ["再贷款+农谷贷"]),
])
def test_quoted_names_in_single_quotes_and_formulas(text: str, names: list[str]) -> None:
    assert sorted(_programs(text)) == names


def test_an_autonomous_region_s_budget_stays_a_level_in_its_own_region() -> None:
    # in a report of the region, 自治区财政 is still the budget level (FORMAT.md), 自治区财政厅 its department
    def funders(text: str) -> list[str | None]:
        return [f.funder for f in extract_text(text).fundings]

    assert funders("乌审旗财政局公告:2025年自治区财政下达衔接资金800万元。") == ["自治区财政"]
    assert funders("乌审旗财政局公告:自治区财政厅在年初向10个旗县增加补助资金3亿元。") == ["内蒙古自治区财政厅"]


def test_an_autonomous_region_s_budget_is_a_budget_level() -> None:
    x = extract_text("2023年,自治区本级财政安排资金7.9亿元。自治区财政下达衔接资金1.43亿元,支持嘎查村发展集体经济。")
    assert {(f.amount_cny, f.funder) for f in x.fundings} == {
        (Decimal("790000000"), "自治区本级财政"), (Decimal("143000000"), "自治区财政")}


@pytest.mark.parametrize("text, funders", [
    # a bare 省 after a verb of receiving is the province's budget; inside a word it is nothing
    ("甲县和乙县分别获得省奖励资金800万元。", {8000000: "省级财政"}),
    ("该项目节省资金200万元,用于村道建设。", {2000000: None}),
    # the central lottery welfare fund is central money (中央专项彩票公益金)
    ("本报讯 近日召开会议。\n我县2025年度中央专项彩票公益金已到位3000万元。", {30000000: "中央财政"}),
    # a budget level before any word for money (配套, 奖补, 补助), not only 资金
    ("本报讯 近日召开会议。\n甲村争取到市级配套800万元,用于道路建设。", {8000000: "市级财政"}),
    ("本报讯 近日召开会议。\n全省奖励500万元用于示范村建设。", {5000000: None}),
    # several budget levels together give no single funder (FORMAT.md)
    ("本报讯 近日召开会议。\n其中中央财政资金20万元,共计划投入各级财政资金90万元。", {200000: "中央财政", 900000: None}),
    ("本报讯 近日召开会议。\n下达中央和省级衔接资金3000万元。", {30000000: None}),
    # 中省, 中、省 and 中央自治区 name the centre and the province together; 其中省级 names the province alone
    ("本报讯 近日召开会议。\n中、省财政衔接专项资金3100万元已下达到贵单位。", {31000000: None}),
    ("本报讯 近日召开会议。\n水利项目争取中省项目建设资金2.3亿元。", {230000000: None}),
    ("本报讯 近日召开会议。\n州财政局为边境县争取中央自治区扶贫专项资金1.8亿元。", {180000000: None}),
    ("本报讯 近日召开会议。\n项目总投资1200万元,其中省级财政资金1000万元。", {12000000: None, 10000000: "省级财政"}),
    # several levels after a year or a place (2025年中央、省级…, 某县中央、自治区财政…): no single funder
    ("本报讯 近日召开会议。\n2025年中央、省级提前下达甲区衔接资金2000万元。", {20000000: None}),
    ("本报讯 近日召开会议。\n州财政局提前下达甲县中央、自治区财政衔接推进乡村振兴补助资金7000万元。", {70000000: None}),
    # money pooled by places of no level the sentence names has no single funder, whatever was given before
    ("本报讯 近日召开会议。\n省级衔接资金投入131亿元;\n56个脱贫县共整合涉农资金400亿元,有效保障了资金需求。",
     {13100000000: "省级财政", 40000000000: None}),
    # money its holders raise themselves is no budget's, even in a report about a level's money
    ("甲省下达省级财政水利资金2亿元,市县自筹配套4500万元。", {200000000: "省级财政", 45000000: None}),
    ("甲省下达省级财政水利资金2亿元。\n项目投入农民自筹资金1600万元。", {200000000: "省级财政", 16000000: None}),
    # pooled money whose level the clause leaves out is several sources' (其他整合涉农资金); a level said keeps it
    ("本报讯 中央专项彩票公益金支持甲县。\n项目总投资1530万元,其中中央专项彩票公益金1500万元,其他整合涉农资金投入30万元。",
     {15300000: None, 15000000: "中央财政", 300000: None}),
    ("本报讯 近日召开会议。\n整合县级财政资金100万元用于村道建设。", {1000000: "县级财政"}),
    # a place pointed back at (该乡) that opens the clause and gives is the funder, even after a body's official
    # spoke; two places of that kind leave no telling which
    ("近年来,青松乡大力发展兰花产业。青松乡党委书记王明说,该乡投入近600万元,打造兰花品牌。", {6000000: "青松乡"}),
    ("青松乡和白石乡大力发展兰花产业。青松乡党委书记王明说,该乡投入近600万元,打造兰花品牌。", {6000000: None}),
    # what projects cost in all comes from all their sources; an allotment or a giver in the sentence still gives it
    ("江苏省对口帮扶甲县。\n2024年,江苏援助项目共16个,总投资3.2亿元。", {320000000: None}),
    ("关于2023年中央财政衔接推进乡村振兴补助资金项目的公示\n按照资金下达规模,共安排了6个项目,项目总投资为900万元。",
     {9000000: "中央财政"}),
    ("江苏省对口帮扶甲县。\n浙商企业在甲县注册120家,实际投资40亿元。", {4000000000: None}),
    ("江苏省对口帮扶甲县。\n甲村道路硬化项目计划投资30万元省级资金。", {300000: "省级财政"}),
    # a level's investment is its budget's (中央预算内投资, 省级投资), a central company's is not
    ("本报讯 近日召开会议。\n甲县安排中央预算内投资3300万元,用于灌区改造。", {33000000: "中央财政"}),
    ("本报讯 近日召开会议。\n农田水利项目建设总投资900万元(其中省级投资700万元)。", {9000000: None, 7000000: "省级财政"}),
    ("本报讯 近日召开会议。\n中央企业投资3000万元建设甲县光伏电站。", {30000000: None}),
    # a sentence that opens with 农村… has no subject of its own: the paragraph's bank lends
    ("本报讯 近日召开工作会议。\n农发行湖南省分行立足省情,一季度发放乡村振兴贷款12亿元;结合农村电网改造,发放贷款3亿元支持株洲县垃圾处理项目。",
     {1200000000: "中国农业发展银行湖南省分行", 300000000: "中国农业发展银行湖南省分行"}),
    # a sentence that opens with 向 names a receiver, not its own subject: the paragraph's bank lends
    ("本报讯 近日召开会议。\n农发行湖南省分行立足省情,一季度发放贷款12亿元。向泸溪县20余家龙头企业投放贷款4亿元。",
     {1200000000: "中国农业发展银行湖南省分行", 400000000: "中国农业发展银行湖南省分行"}),
    # a report on one bank: a loan of another paragraph that names no lender is that bank's
    ("本报讯 农发行锦屏县支行召开年中工作会。\n上半年,陆续投放粮食收购贷款3亿元,支持收购粮食2万吨。",
     {300000000: "中国农业发展银行锦屏县支行"}),
    # ... also when it names the bank alone as well as its branch (农行, 农行某县支行: one lender)
    ("2024年锦屏县“惠农e贷”完成授信2663户10398万元。\n该县向农行推荐30家龙头企业。县政府在农行锦屏县支行开设了担保补偿资金专户。",
     {103980000: "中国农业银行锦屏县支行"}),
    # aid money (财政援助资金) in a report of one pairing is the partner's
    ("本报讯 沪滇协作持续深化。\n2023年,安排3.2亿元财政援助资金,支持产业发展。", {320000000: "上海市"}),
    # the subject after a dateline and a phrase of role (作为…,) gives in the sentences that follow
    ("中新网山西新闻1月25日电 作为省属大型金融企业,晋商银行积极探索服务三农路径。日前,为忻州市某国有控股企业提供1.46亿元融资,支持企业实施绿色农业项目。",
     {146000000: "晋商银行"}),
    # 今年以来 after a dateline, and 据了解 before the subject, open no subject of their own
    ("本报讯(记者 甲乙)今年以来,锦屏县农发行大力支持城乡一体化项目。截至目前,已累计投放贷款20.21亿元。\n"
     "据了解,农发行锦屏县支行已支持土地整治项目4个,贷款金额6.03亿元;支持农民住房项目1个,贷款金额8.6亿元。",
     {2021000000: "中国农业发展银行锦屏县支行", 603000000: "中国农业发展银行锦屏县支行", 860000000: "中国农业发展银行锦屏县支行"}),
    # the bank asked for a loan lends it, though 向 marks it
    ("宜昌市谋划农村供水项目,向农发行湖北省分行申请并获批贷款9亿元。", {900000000: "中国农业发展银行湖北省分行"}),
    # a place that opens the sentence gives what it lists; two places give together (no single funder)
    ("福建省安排项目12个、资金6000万元支持宁夏。", {60000000: "福建省"}),
    ("福建省、广东省安排项目12个、资金6000万元支持宁夏。", {60000000: None}),
    # the budget level of the money a report is about gives its parts and the grants paid from it
    ("2022年度省级乡村振兴奖补资金近日下达,其中重点村奖补资金1亿元。\n获评示范村的每个奖补400万元,资金用于产业发展。",
     {100000000: "省级财政", 4000000: "省级财政"}),
    # a list of kinds of place (各县(市、区)) names no budget level and leaves the report's level as it was
    ("本报讯 2022年度省级乡村振兴奖补资金近日下达。\n各县(市、区)要抓好落实。\n获评示范村的每个奖补400万元,资金用于产业发展。",
     {4000000: "省级财政"}),
    # ... and the projects it is spent on (一、某项目。投入310万元…)
    ("本报讯 近日召开会议。\n我县2025年度中央专项彩票公益金已到位2000万元,现将项目安排情况公告如下:\n一、甲村道路项目。投入310万元硬化道路3公里。",
     {20000000: "中央财政", 3100000: "中央财政"}),
    # money of the levels above, unnamed (上级…资金), passed on by a finance body: no one funder
    ("本报讯 记者从地区财政局获悉,该局争取上级财政衔接补助资金3.99亿元。\n地区财政局已把补助资金拨付至各县,其中:甲县8427万元、乙县1330万元。",
     {399000000: None, 84270000: None, 13300000: None}),
    # a total of the money of several givers has none of them as its funder
    ("本报讯 近日召开会议。\n2025年中央财政衔接资金15587万元、2025年省级财政衔接资金7926万元,共计23513万元。",
     {155870000: "中央财政", 79260000: "省级财政", 235130000: None}),
    # a budget level inside a document's title is not the giver of the amount after it; the document's issuer is
    ("本报讯 近日召开会议。\n2024年我区收到《吉林省财政厅关于提前下达2024年省级财政衔接资金预算的通知》,资金751万元。",
     {7510000: "吉林省财政厅"}),
    # ... but not money merely involved (涉及资金), nor the money of a document's title, nor once several levels are named
    ("甲县已下达第一批中央衔接资金68.57亿元。已开工项目84个,涉及资金7.01亿元。", {6857000000: "中央财政", 701000000: None}),
    ("按照《关于提前下达2021年中央财政专项扶贫资金预算指标的通知》,制定本计划。\n甲村道路项目安排资金300万元。", {3000000: None}),
    ("下达中央财政衔接资金1.5亿元、省级财政衔接资金7926万元。\n其中安排甲县资金500万元。",
     {150000000: "中央财政", 79260000: "省级财政", 5000000: None}),
    # an autonomous region's budget is a level too (not its finance department, 某自治区财政厅)
    ("2023年自治区财政下达衔接资金1.43亿元。\n其中安排甲旗奖补资金500万元。", {143000000: "自治区财政", 5000000: "自治区财政"}),
    ("本报讯 西藏自治区财政厅召开会议。\n会议安排奖补资金500万元。", {5000000: None}),
    # of the banks whose names open a sentence, the longest lends (中国建设银行|甘肃省分行)
    ("为支持春耕,中国建设银行近日在全省发放首批惠农贷款102笔1810万元。\n"
     "中国建设银行甘肃省分行推出多款特色产业贷款,今年已累计发放贷款25.29亿元。",
     {18100000: "中国建设银行", 2529000000: "中国建设银行甘肃省分行"}),
    # 湖北十堰竹山中行: 中行 inside it is the branch, not the bank as a whole
    ("本报讯 中行驻村干部走访农户。\n随着湖北十堰竹山中行50万元扶农贷款的顺利到账,合作社扩大了规模。",
     {500000: "中国银行竹山县支行"}),
    # 截至10月底, is a time phrase: the bank after it is the paragraph's subject and lends its later loans
    ("本报讯 近日召开会议。\n截至10月底,湖南农发行已与542个村开展共建,发放贷款44.46亿元;"
     "办理农户小额贷款2.59万户、金额8.5亿元。",
     {4446000000: "中国农业发展银行湖南省分行", 850000000: "中国农业发展银行湖南省分行"}),
    # 该行 is the bank the report is about, not one it named in passing (申请人民银行再贷款)
    ("山东锦屏农商银行创新产品服务。\n该行积极申请人民银行支农再贷款,严格用途。目前,该行涉农贷款余额达38.6亿元。",
     {3860000000: "山东锦屏农商银行"}),
    # a province or city that opens the sentence with a verb of giving gives its aid money
    ("本报讯 近日召开会议。\n在两省编制对口支援规划的基础上,日前,广东省下达2017年对口支援甘孜州投资计划,"
     "今年安排项目95个、帮扶资金2.08亿元;今年初,佛山市下达了对口扶贫协作计划,安排帮扶资金1.1亿元。",
     {208000000: "广东省", 110000000: "佛山市"}),
    # 在该行…的基础上,该行…: reading the subject must not ask for itself again (it once recursed without end)
    ("农发行锦屏县支行召开会议。\n在该行前期投放的基础上,该行再次投放贷款491万元。",
     {4910000: "中国农业发展银行锦屏县支行"}),
])
def test_givers_beyond_the_amounts_clause(text: str, funders: dict[int, str | None]) -> None:
    assert _funders(text) == funders


def test_an_autonomous_prefecture_branch_is_named_in_full() -> None:
    x = extract_text("黔南州农商行获得农发行黔南州分行贷款2亿元。")
    assert "中国农业发展银行黔南布依族苗族自治州分行" in [a.name for a in x.actors]


@pytest.mark.parametrize("text", [
    "本报讯 近日召开会议。\n今年以来,该行累计投放贷款25亿元,同比多投6亿元。",
    "本报讯 近日召开会议。\n截至10月末,贷款余额95亿元,比年初增加13亿元。",
    "本报讯 近日召开会议。\n今年争取衔接资金25亿元,比去年同期增加逾6亿元。",
    "本报讯 近日召开会议。\n省财政安排资金5亿元。这5亿元资金主要用于产业项目。",
])
def test_changes_and_restated_sums_are_no_new_fundings(text: str) -> None:
    amounts = [int(f.amount_cny) for f in extract_text(text).fundings]
    assert len(amounts) == len(set(amounts)) and not {600000000, 1300000000} & set(amounts), amounts
    assert amounts  # the money given is still there


def test_people_counted_in_wan_are_no_money() -> None:
    from kg.money import find_amounts

    assert [m.text for m in find_amounts("惠及200多万农户,带动3万群众增收,奖补200万元")] == ["200万元"]


def test_quoted_models_and_mechanisms_are_programmes_but_formulas_are_not() -> None:
    names = _programs("本报讯 近日召开会议。\n该县探索“村社合一”机制,推广“企业+合作社+农户”模式,总结“长河模式”,建立“五金”机制。")
    assert names == {"村社合一", "长河模式", "五金"}, names


def test_numbered_slogans_in_quotes_are_campaigns() -> None:
    names = _programs("本报讯 近日召开会议。\n该县突出“一县一团”,紧扣“四项行动”“三个专项”核心任务,解决“三农”问题,提供“一站式”服务。")
    assert names == {"一县一团", "四项行动", "三个专项"}, names


def test_a_verb_of_agreement_is_no_part_of_a_project_name_and_a_formula_is_no_name() -> None:
    names = _programs("本报讯 近日召开会议。\n龙泉县与温州市鹿城区签署山海协作“飞地”小微产业园项目。推行“党支部+”模式。")
    assert not any("签署" in n for n in names) and not any(n.endswith("+") for n in names), names



def test_a_total_with_its_parts_of_several_sources_in_brackets_has_no_single_funder() -> None:
    funders = _funders("本报讯 我县2025年度中央专项彩票公益金已到位2000万元。\n"
                       "二、甲村道路项目。投入327万元(其中:彩票公益金325万元,村级自筹资金2万元)用于道路建设。")
    assert funders[20000000] == "中央财政" and funders[3270000] is None, funders
    # the parts after 其中: outside brackets, of two budgets
    funders = _funders("甲省财政厅发布通知,2021年第二批资金共56000万元,其中:中央财政专项扶贫资金50000万元,"
                       "省财政配套扶贫发展资金6000万元。")
    assert funders[560000000] is None and funders[500000000] == "中央财政", funders


def test_a_sum_whose_giver_is_unsaid_takes_the_giver_a_later_sentence_names_for_it() -> None:
    text = ("本报讯 甲区对项目资金规模进行调整,收回45.6万元重新安排项目。\n"
            "一、资金来源\n1、中央财政衔接推进乡村振兴补助资金45.6万元。\n2、区本级财政衔接推进乡村振兴补助资金100万元。")
    fundings = [(int(f.amount_cny), f.funder) for f in extract_text(text).fundings]
    assert fundings[0] == (456000, "中央财政"), fundings




def test_a_numbered_heading_with_its_sum_names_the_source_of_the_items_under_it() -> None:
    text = ("关于甲区2024年第一批中央和省级财政衔接资金分配结果的公告\n"
            "根据通知,下达我区2024年财政衔接资金10782万元,其中,中央资金5273万元,省级资金5509万元,用于乡村振兴。\n"
            "一、中央财政衔接资金(5273万元)\n(一)支持产业发展2993.7万元;\n(二)支持以工代赈任务385万元。\n"
            "二、省级财政衔接资金(5509万元)\n(一)支持乡村治理项目40万元;\n(二)支持数字乡村建设项目20万元。")
    x = extract_text(text)
    funders = {int(f.amount_cny): f.funder for f in x.fundings}
    assert funders[29937000] == funders[3850000] == "中央财政" and funders[400000] == funders[200000] == "省级财政", funders
    # the headings' sums are the lead's, said again: one funding each
    assert [int(f.amount_cny) for f in x.fundings].count(52730000) == 1



@pytest.mark.parametrize("phrase", ["新年第一周", "一季度", "今年3月份"])
def test_time_phrases_before_the_subject(phrase: str) -> None:
    from kg.extract.common import strip_time_phrase

    assert strip_time_phrase(phrase + ",农发行锦屏县支行投放贷款") == "农发行锦屏县支行投放贷款"




def test_a_list_of_bodies_each_with_its_sum_gives_each_sum() -> None:
    x = extract_text("本报讯 福建省召开会议。\n从省级有关部门专项资金中每年统筹11亿元:省农业农村厅2亿元、水利厅1亿元、"
                     "住建厅1.5亿元、发改委1.5亿元。")
    assert {a.name for a in x.actors} >= {"福建省住房和城乡建设厅", "福建省发展和改革委员会"}
    givers = [(int(f.amount_cny), f.funder) for f in x.fundings if f.amount_cny < 1000000000]
    assert givers == [(200000000, "福建省农业农村厅"), (100000000, "福建省水利厅"), (150000000, "福建省住房和城乡建设厅"),
                      (150000000, "福建省发展和改革委员会")], givers


def test_a_list_of_products_in_one_pair_of_quotes_names_each() -> None:
    names = _programs("本报讯 近日召开会议。\n锦屏县农商银行推出“农易贷、乡村振兴贷、助农振兴贷”等10余种专属信贷产品。")
    assert names == {"农易贷", "乡村振兴贷", "助农振兴贷"}, names


def test_a_change_against_last_year_is_no_money_given() -> None:
    amounts = [int(f.amount_cny) for f in extract_text("本报讯 近日召开会议。\n今年争取衔接资金6.6亿元,较上年同期增加3893万元。").fundings]
    assert amounts == [660000000], amounts


def test_a_numbered_line_that_names_a_project_before_its_full_stop() -> None:
    names = _programs("本报讯 现将项目安排情况公告如下:\n四、定制蔬菜冷库一期建设项目。2025年投入920万元用于采购制冷设备6台套。")
    assert "定制蔬菜冷库一期建设项目" in names, names


def test_an_approved_loan_is_money_given() -> None:
    # 审批金额, 获批贷款: a loan approved (《贷款通则》: 贷款审批)
    amounts = [int(f.amount_cny) for f in extract_text("本报讯 农发行锦屏县支行召开会议。\n据悉,该项目审批金额2.18亿元,主要用于土地整治。").fundings]
    assert amounts == [218000000], amounts


def test_money_that_supports_a_place_is_given() -> None:
    amounts = [int(f.amount_cny) for f in extract_text("本报讯 近日召开会议。\n今年重点支持甲村示范点建设80万元。").fundings]
    assert amounts == [800000], amounts


def test_a_headline_total_the_body_only_gives_in_parts_is_a_funding() -> None:
    # FORMAT.md: a total and its itemised parts are all fundings; a headline sum the body says again is one
    text = ("锦屏下达乡村振兴奖补资金5亿元 1个镇和15个村获奖补\n本报讯 2022年度省级乡村振兴奖补资金近日下达,"
            "其中重点特色乡(镇)奖补资金1亿元、实绩突出村奖补资金4亿元。")
    x = extract_text(text, title="锦屏下达乡村振兴奖补资金5亿元 1个镇和15个村获奖补")
    assert sorted(int(f.amount_cny) for f in x.fundings) == [100000000, 400000000, 500000000]


# ---- allocation tables and notices ------------------------------------------------

_CELL_TABLE = """各乡人民政府:
现将2020年度第一批中央财政专项扶贫资金300万元下达给你们。
附件
清溪区2020年第一批中央财政专项扶贫资金
安排表
单位:万元
序号
村名
项目名称
建设内容
资金金额
1
甲村
水果基地
续建
20
2
乙村
蔬菜基地
新建
10(其中,灾情因素6万元)
3
丙村
灌溉设施
维修
4
小计
34
4
小额信贷贴息
12
合计
46
"""


def test_the_rows_of_an_allocation_table_with_a_declared_unit_are_fundings() -> None:
    # one cell per line, rows opened by their number; a row's sum may equal the next row's number (丙村 … 4); the
    # sums (小计, 合计) are fundings of no receiver (FORMAT.md: a total and its parts); the caption's level gives them
    found = {(int(f.amount_cny), f.recipient, f.funder) for f in extract_text(_CELL_TABLE).fundings}
    assert found == {(200000, "甲村", "中央财政"), (100000, "乙村", "中央财政"), (40000, "丙村", "中央财政"),
                     (120000, "小额信贷贴息", "中央财政"), (340000, None, "中央财政"), (460000, None, "中央财政"),
                     (3000000, None, "中央财政")}


def test_a_table_with_bars_takes_its_unit_from_the_money_column() -> None:
    text = ("根据有关规定,现将下达2020年水利发展资金分配情况公示如下:\n四、资金分配情况表\n2020年水利发展资金分配表 | |\n"
            "县区 | 省级资金(万元) |\n甲县 | 421 |\n乙县 | 376.5 |\n合计 | 797.5 |\n五、监督电话:0370-2697335\n")
    found = {(f.amount_cny, f.recipient, f.funder) for f in extract_text(text).fundings}
    assert found == {(Decimal(4210000), "甲县", "省级财政"), (Decimal(3765000), "乙县", "省级财政"),
                     (Decimal(7975000), None, "省级财政")}
    # the money column's own level holds under a caption of several levels (中央和省级…资金分配表)
    both = text.replace("2020年水利发展资金分配表", "2020年中央和省级水利发展资金分配表")
    assert {f.funder for f in extract_text(both).fundings if f.recipient} == {"省级财政"}
    # a total the prose gave already is that funding, not a second one
    said = text.replace("分配情况公示如下", "分配情况公示如下,共计797.5万元")
    assert sorted(int(f.amount_cny) for f in extract_text(said).fundings) == [3765000, 4210000, 7975000]


def test_a_table_of_one_cell_per_line_without_numbered_rows() -> None:
    # each row opens with its label (甲区 | 面积 | 资金), no 序号; the total row is a funding with no receiver
    from kg.extract.tables import table_rows
    text = ("全市共安排奖励资金100万元(详见附件)。\n附件\n2024年度奖励资金汇总表\n单位\n面积(亩)\n资金(万元)\n"
            "甲区\n2000.50\n40.00\n乙区\n3000.00\n60.00\n合计\n5000.50\n100.00\n政策性文件留言咨询\n")
    assert [(int(r.amount), r.recipient, r.total) for r in table_rows(text)] == [
        (400000, "甲区", False), (600000, "乙区", False), (1000000, None, True)]


def test_a_table_s_total_before_its_rows_and_each_row_s_source_of_money() -> None:
    # 16个项目合计 before row 1 is the table's total; a 资金来源 cell names the row's budget level, two levels no one
    text = ("某县2025年中央、自治区财政衔接推进乡村振兴补助资金分配表\n序号 |\n项目名称 |\n资金来源 |\n资金规模 (万元) |\n"
            "项目实施单位 |\n3个项目合计 |\n1300 |\n1 |\n甲镇屠宰场项目 |\n中央、自治区 |\n1000 |\n甲镇人民政府 |\n"
            "2 |\n乙镇食品加工厂项目 |\n中央 |\n200 |\n乙镇人民政府 |\n3 |\n丙镇苗圃基地建设项目 |\n自治区 |\n100 |\n"
            "丙镇人民政府 |\n")
    found = {(int(f.amount_cny), f.recipient, f.funder) for f in extract_text(text).fundings}
    assert found == {(13000000, None, None), (10000000, "甲镇屠宰场项目", None),
                     (2000000, "乙镇食品加工厂项目", "中央财政"), (1000000, "丙镇苗圃基地建设项目", "自治区财政")}


def test_a_notice_s_body_speaking_of_itself_gives_and_names_no_other_body() -> None:
    # 我局 is the body that signs the notice; 联系我局 names no body; the table's rows are the allocation's parts
    text = ("我局拟下拨2023年专项资金共计1.37亿元,现将分配方案予以公示。\n如有异议,请采取书面或电话形式联系我局。\n"
            "岚县农业农村局\n2022年12月30日\n附件\n序号 | 镇街 | 示范村名称 | 下达金额 (万元) | 项目名称 |\n"
            "1 | 甲镇 | 甲村 | 特色精品示范村 | 600 | 人居环境整治 |\n2 | 乙镇 | 乙村 | 特色精品示范村 | 465.2 | |\n")
    x = extract_text(text)
    assert [a.name for a in x.actors] == ["岚县农业农村局"]
    assert {(int(f.amount_cny), f.funder) for f in x.fundings} == {
        (137000000, "岚县农业农村局"), (6000000, "岚县农业农村局"), (4652000, "岚县农业农村局")}


def test_an_anaphor_points_at_the_bank_that_opens_a_clause_after_the_sentence_s_subject() -> None:
    text = ("近日,中国人民银行河北省分行、国家金融监督管理总局河北监管局公布了考核评估结果,农发行河北省分行连续五年获得“优秀”等次。"
            "据悉,2024年,该行投放夏粮收购贷款224亿元。")
    assert _funders(text)[22400000000] == "中国农业发展银行河北省分行"


def test_an_event_that_dates_a_sentence_does_not_hide_its_subject() -> None:
    text = ("就在詹某发愁之际,农行岚县支行客户经理在日常走访中获悉了他的情况,迅速启动了贷款流程。5天后,1000万元信用贷款到账。\n"
            "千里之外,邮储银行河北省分行另辟蹊径,推出“粮农e贷”。")
    assert _funders(text)[10000000] == "中国农业银行岚县支行"


def test_a_year_s_own_budget_after_年度_is_a_budget_level() -> None:
    assert _funders("现将2024年度区本级财政衔接推进乡村振兴补助资金500万元安排至相关项目实施单位。")[5000000] == "区本级财政"


def test_an_amount_in_the_phrase_that_opens_a_sentence_is_its_subject_s() -> None:
    text = ("岚县农业农村局召开春耕生产会议,农发行岚县支行参加会议。在前期投放2471万元贷款的基础上,1月2日该行再次投放4900万元。\n"
            "邮储银行岚县支行也发放了贷款。")
    found = _funders(text)
    assert found[24710000] == found[49000000] == "中国农业发展银行岚县支行"


def test_the_bank_a_photo_caption_shows_lends() -> None:
    # 图为X为Y发放…: the 为 of 图为 is no preposition, X lends to Y
    text = "农行岚县支行推出强村贷。\n图为农行岚县支行为岚县某村股份经济合作社发放强村贷30万元。\n工行岚县支行也参与了活动。"
    assert _funders(text)[300000] == "中国农业银行岚县支行"


def _programme_names(text: str) -> dict[str, tuple[str, ...]]:
    return {p.name: p.aliases for p in extract_text(text).programs}


def test_one_programme_written_with_other_marks_or_without_its_year_is_recorded_once() -> None:
    found = _programme_names("岚县实施“千村引领、万村升级”工程。全县推进“千村引领 万村升级”工程建设。")
    assert list(found) == ["千村引领、万村升级工程"] and "千村引领 万村升级工程" in found["千村引领、万村升级工程"]
    found = _programme_names("岚县启动岚县2021年美丽乡村示范村项目。岚县美丽乡村示范村项目完成验收。")
    assert list(found) == ["岚县美丽乡村示范村项目"] and "岚县2021年美丽乡村示范村项目" in found["岚县美丽乡村示范村项目"]


@pytest.mark.parametrize("text, names", [
    ("一等奖:岚县,每个村奖补10万元,分别兑现奖补资金50万元。", set()),  # an adverb opens no fund's name
    ("岚县安排了镇村联动建设发展专项资金300万元。", {"镇村联动建设发展专项资金"}),  # 了 belongs to the verb
    ("全县将加快实施完成全市2022年度13个特色精品示范村建设。", set()),  # a count of villages, no name
    # a budget level before a fund of the vocabulary, with or without 财政, is whose money it is
    ("下达中央衔接推进乡村振兴补助资金500万元,用于衔接推进乡村振兴补助资金项目。", {"衔接推进乡村振兴补助资金"}),
])
def test_words_around_a_fund_or_project_are_not_its_name(text: str, names: set[str]) -> None:
    assert set(_programme_names(text)) == names


def test_a_batch_number_between_a_budget_level_and_its_money_keeps_the_level() -> None:
    # 自治区(第二批)财政…资金, 中央(第一批)财政…资金: the batch is part of the phrase, the level still gives
    x = extract_text("某县审核2025年自治区(第二批)财政衔接推进乡村振兴补助资金项目3个410万元,分别为:"
                     "甲村蓄水池项目200万元、乙村库房项目210万元。中央(第一批)财政衔接推进乡村振兴补助资金项目1个,涉及资金90万元。")
    assert {(int(f.amount_cny), f.funder) for f in x.fundings} == {
        (4100000, "自治区财政"), (2000000, "自治区财政"), (2100000, "自治区财政"), (900000, "中央财政")}


def test_east_west_cooperation_money_of_no_named_partner_has_no_funder_not_its_own_name() -> None:
    # 东西部协作资金 names the partner's money; with no one partner place found, no one (never the phrase itself)
    x = extract_text("乐都区和惠山区两地聚焦产业合作,累计落实东西部协作资金9710万元。")
    assert [(int(f.amount_cny), f.funder) for f in x.fundings] == [(97100000, None)]


def test_parts_summed_up_to_a_sum_given_before_are_one_funding() -> None:
    # 下达…81万元 … 2个项目共计81万元: the same money told twice; a 共计 of a sum not given before is a funding
    x = extract_text("根据文件,下达某区市级财政衔接资金81万元。甲村安排1个项目40万元,乙村安排1个项目41万元,2个项目共计81万元。")
    assert sorted(int(f.amount_cny) for f in x.fundings) == [400000, 410000, 810000]
    x = extract_text("甲村安排1个项目40万元,乙村安排1个项目41万元,2个项目共计81万元。")
    assert sorted(int(f.amount_cny) for f in x.fundings) == [400000, 410000, 810000]


def test_a_preposition_inside_a_project_s_content_makes_it_words_of_a_sentence() -> None:
    # 某村张三|对|金融扶贫项目称赞: a villager's praise, no project named
    assert not _programs("苗长势良好。阿鲁科尔沁旗天山口镇天海村邵秀丽对金融扶贫项目啧啧称赞。")


def test_a_list_of_receivers_that_runs_into_the_amount_s_clause_gives_nothing() -> None:
    # 向A公司、|B公司等四家茶企授信…: B is the second receiver, never the giver
    x = extract_text("某县农行就向甲茶业有限公司、乙古茶有限公司等四家茶企授信3.327亿元。")
    assert [f.funder for f in x.fundings] == ["中国农业银行"]


def test_rules_cited_without_book_marks_do_not_name_the_report_s_money() -> None:
    # 根据中央、省、市…管理办法 cites rules: the money of the sentence is still the city's (市级财政)
    text = ("根据文件,下达某区市级财政衔接资金81万元,根据中央、省、市财政衔接推进乡村振兴补助资金管理办法,坚持统筹安排。"
            "甲村安排1个项目40万元,乙村安排1个项目41万元。")
    assert _funders(text) == {810000: "市级财政", 400000: "市级财政", 410000: "市级财政"}
    # named as the report's own money, the levels are several: no one level gives
    assert _funders("下达中央、省、市财政衔接资金81万元。甲村安排1个项目40万元。")[400000] is None


def test_the_central_bank_gives_only_relending() -> None:
    # 人民银行 steers other banks' lending; its own money is relending and rediscount (再贷款, 再贴现)
    assert _funders("人民银行甘肃省分行引导金融机构发放春耕贷款148亿元。") == {14800000000: None}
    assert _funders("人民银行甘肃省分行推动整村授信。截至3月末,金融机构累计授信金额超5000亿元。")[500000000000] is None
    assert set(_funders("某县农商银行累计办理支农再贷款2.5亿元。").values()) == {"中国人民银行"}
    funders = _funders("人民银行甘肃省分行向辖内农商银行发放支农再贷款3亿元。")
    assert funders[300000000] is not None and "人民银行" in funders[300000000]


def test_central_budget_investment_is_given_by_the_body_that_allots_it_else_by_the_central_budget() -> None:
    # one body that allots 中央预算内投资 gives it; else it is the central budget's money (FORMAT.md: a budget level
    # named and no one organisation), as 中央财政资金 is
    assert _funders("国家发展改革委下达某自治区2023年中央预算内投资1.2亿元支持某县。")[120000000] == "国家发展和改革委员会"
    assert _funders("国家发展改革委、农业农村部下达投资计划,某省共获得中央预算内投资1.8亿元。")[180000000] == "中央财政"
    assert _funders("国家发展改革委、农业农村部下达资金计划,某省共获得中央财政资金1.8亿元。")[180000000] == "中央财政"


def test_a_place_that_receives_money_does_not_give_it() -> None:
    # 某省共获得…投资1.8亿元: the province receives (获得), though 投资 is a word of giving
    assert _funders("近日,甘肃省共获得中央预算内投资1.8亿元,支持9个县建设。")[180000000] == "中央财政"
    assert _funders("近日,甘肃省共获得投资1.8亿元,支持9个县建设。")[180000000] is None


def test_bodies_that_give_together_name_one_funder_only_if_one_holds_the_money() -> None:
    # FORMAT.md: several funders together give a null funder; the finance body or, for a loan, the bank holds it
    assert _funders("国家发展改革委、农业农村部下达投资计划,某省共获得投资1.8亿元。")[180000000] is None
    assert _funders("甘肃省财政厅、省农业农村厅下达计划,安排资金5800万元支持产业。")[58000000] == "甘肃省财政厅"


def test_a_fund_named_in_a_list_of_sums_is_named_without_its_year() -> None:
    # 2022年第二批X奖补资金1.11亿元: the year's digits are no part of the name, nor is its 年 or batch
    names = _programs("省财政下达2022年第二批特色田园乡村奖补资金1.11亿元。")
    assert not any(n.startswith(("年", "第")) for n in names)
    assert any(n.startswith("特色田园乡村") for n in names)


def test_an_autonomous_prefecture_and_a_banner_have_their_own_budget_levels() -> None:
    # 预算法 第三条 puts 自治州 beside 设区的市; 盟 and 旗 are 内蒙古's prefecture and county levels (SOURCES.md B1, B2)
    levels = {b.word: (b.rank, b.funder) for b in budget_levels()}
    assert levels["州级"] == levels["州"] == (1, "州级财政") and levels["旗级"] == (0, "旗级财政")
    assert _funders("2023年州级财政专项资金300万元下达到各县。") == {3000000: "州级财政"}
    assert _funders("甲旗2023年旗级财政投入资金100万元用于道路建设。") == {1000000: "旗级财政"}


def test_the_numbered_parts_after_qizhong_come_out_of_the_sum_before() -> None:
    # 下达…200万元…。其中: 1.…项目115万元 2.…: each part is a funding, given by the giver of the whole (not by the
    # village committee its project is named after)
    text = ("县财政局及时把2018年度中央财政专项扶贫资金200万元下达给凤屯镇人民政府,主要用于腊湾村委会建设项目。其中:\n"
            "1.凤屯镇腊湾村委会小村道路硬化工程建设项目115万元,主要用于扩修及硬化道路1.2公里。\n"
            "2.凤屯镇腊湾村委外湾及小村道路硬化工程建设项目62万元,主要用于扩修公路1.4公里等。\n")
    assert _funders(text) == {2000000: "中央财政", 1150000: "中央财政", 620000: "中央财政"}


def test_a_project_named_by_the_budget_that_pays_for_it_is_a_kind_of_project() -> None:
    # 某区2025年度中央财政补助高标准农田建设项目: the projects a budget pays for, none named
    assert not any("财政" in n for n in _programs("下达蓟州区2025年度中央财政补助高标准农田建设项目资金3000万元。"))


def test_companies_a_partner_place_brought_in_invest_their_own_money() -> None:
    # 江苏省帮助引进的企业实际到位投资…: the companies invest; the place that brought them gives nothing
    text = "江苏省共向我省投入协作财政援助资金26.9亿元,江苏省帮助引进的企业实际到位投资金额达69.7亿元。"
    funders = _funders(text)
    assert funders[6970000000] is None and funders[2690000000] == "江苏省"


def test_an_unquoted_project_trial_or_plan_is_named_only_by_a_proper_noun() -> None:
    # 实施乡村振兴示范项目, 开展产业发展试点: kinds of work; 谋划东湖引水提升项目: a project named by its place
    assert not _programs("该县实施乡村振兴示范项目,开展特色产业发展试点。")
    assert "东湖引水提升项目" in _programs("市政府谋划东湖引水提升项目,计划三年完工。")


def test_a_counted_or_described_base_is_no_named_project() -> None:
    # 信丰县安西镇热水村一处脐橙基地: one base described, none named
    assert not _programs("贷款支持信丰县安西镇热水村一处脐橙基地扩大种植。")


def test_a_body_that_leads_others_in_giving_is_the_funder() -> None:
    # 联合 / 会同: the bodies it joins (the last named before the verb) do not give
    text = "某市讯 近日,山西省财政厅2日联合省应急管理厅、省水利厅下达6000万元省级救灾资金。"
    assert list(_funders(text).values()) == ["山西省财政厅"]


def test_the_parts_of_money_given_before_come_from_its_giver() -> None:
    # 此次下达的资金…主要包括: the sentence names the parts of the sum the sentence before gave
    text = ("新华社贵阳8月3日电(记者王明)锦屏县财政局2日联合县应急管理局、县水利局下达600万元救灾资金,"
            "由各乡镇统筹用于应急抢险救援等工作。\n据介绍,此次下达的资金,主要包括防灾减灾资金340万元、农业救灾资金160万元。")
    assert _funders(text) == {6000000: "锦屏县财政局", 3400000: "锦屏县财政局", 1600000: "锦屏县财政局"}


def test_a_partner_place_named_in_pairing_money_gives_it() -> None:
    # 鲤城区对口帮扶资金: the place that pairs with the report's county gives (FORMAT.md), not the letterhead's body
    text = ("明溪县财政局关于拨付扶贫资金的函\n各乡(镇)人民政府:本次共安排扶贫资金2600万元,"
            "其中:2019年度鲤城区对口帮扶资金1200万元;县级财政扶贫资金1400万元。")
    assert _funders(text)[12000000] == "鲤城区"


def test_a_place_that_opens_a_clause_and_invests_is_the_funder() -> None:
    # no organisation in the sentence: the place gives; a finance body the story cites keeps its part
    assert _funders("去年黔南州共投入茶产业发展资金1.59亿元,新增茶园19万亩。") == {159000000: "黔南布依族苗族自治州"}
    assert _funders("记者从自治区财政厅获悉,近日广西下达乡村振兴发展资金13.2亿元。")[1320000000] != "广西壮族自治区"


def test_the_items_of_a_list_that_ends_with_its_projects_are_projects() -> None:
    # A、B、C等16个项目 / 等重点项目: each item a project its head ends or a place opens; villages chosen are none
    names = _programs("该行审批贷款21亿元,支持高新区郄马村安置房项目、经开区北邑回迁楼项目等16个项目建设。")
    assert names == {"高新区郄马村安置房项目", "经开区北邑回迁楼项目"}
    names = _programs("目前,已审批通过太行智慧冷链物流园、赵县农产品冷链仓储物流、无极皮革智慧物流中心等重点项目。")
    assert names == {"太行智慧冷链物流园", "赵县农产品冷链仓储物流", "无极皮革智慧物流中心"}
    assert not _programs("最终确定彰武镇前郑家村、双庙镇双庙村等项目村。主要用于红色基地建设、农村屯组路建设等项目。")


def test_a_news_outlet_that_reports_money_gives_none_of_it() -> None:
    # 宁德网消息: the outlet is an actor (FORMAT.md) but never the funder, whatever the ranker would pick
    text = "宁德网消息(记者 王明) 日前,福鼎市制定出台办法,设立300万元专项资金,用于扶持发展村集体经济项目。"
    assert _funders(text) == {3000000: None}


def test_a_loan_product_named_right_after_its_amount_keeps_its_opening_verb() -> None:
    # 发放300万元|抗疫担保贷: the verb that opens the product's name is no verb of the sentence
    assert _programs("仅用三天时间就成功为其发放300万元抗疫担保贷,为保障企业正常运转。") == {"抗疫担保贷"}


def test_the_central_lottery_fund_is_a_programme_of_the_vocabulary() -> None:
    # 中央专项彩票公益金: the fund whose line for old revolutionary areas the cited 管理办法 govern
    assert "中央专项彩票公益金" in _programs("我县2025年度中央专项彩票公益金已到位4000万元,主要用于产业项目。")
    assert concept_of("中央专项彩票公益金").id == "central-lottery-fund"


def test_sums_right_after_a_sum_given_that_add_up_to_it_are_its_parts_from_its_giver() -> None:
    text = ("云南省财政厅下拨2024年省级产业发展资金6200万元。\n"
            "一、4500万元主要支持绩效评价靠前的6个县发展特色产业。\n二、1700万元主要用于扶持新型经营主体。")
    funders = _funders(text)
    assert funders[45000000] == funders[17000000] == funders[62000000] == "云南省财政厅", funders


def test_funds_listed_with_their_sums_are_named_funds() -> None:
    # two or more funds with their sums in one sentence name each fund (the gold of ../shared lists named funds)
    names = _programs("此次下达的资金,主要包括森林防火资金500万元、草原保护资金300万元。")
    assert {"森林防火资金", "草原保护资金"} <= names, names
    # a source in brackets is no fund's name, nor is a budget's own money
    names = _programs("投入80万元(含地方政府债券资金50万元),其中中央预算内资金20万元、县级资金10万元。")
    assert not any("债券" in n or "预算内" in n or "县级" in n for n in names), names



def test_a_place_that_gave_goes_on_giving_in_sentences_without_a_subject() -> None:
    found = extract_text("近年来,会宁县累计财政投资20余亿元,实施美丽乡村建设行动。投资10亿元实施道路硬化。"
                         "投资1.6亿元实施供水工程。\n该村投入5万元修路。")
    funders = {str(f.amount_cny): f.funder for f in found.fundings}
    assert funders["1000000000"] == funders["160000000"] == "会宁县"


def test_sales_of_consumption_assistance_are_no_funding() -> None:
    found = extract_text("2024年,甲省实现消费帮扶金额12.3亿元。省财政下达帮扶资金3亿元。")
    assert [str(f.amount_cny) for f in found.fundings] == ["300000000"]


def test_a_sum_given_every_year_is_money_given() -> None:
    found = extract_text("甲省省级财政连续三年、每年安排8000万元设立产业发展基金。农户每月工资3000元。")
    assert [str(f.amount_cny) for f in found.fundings] == ["80000000"]


@pytest.mark.parametrize("text, name", [
    ("近年来,甲县大力推进山区美丽乡村建设,改善人居环境。", "山区美丽乡村建设"),
    ("全力实施美丽城镇建设,提升集镇面貌。", "美丽城镇建设"),
])
def test_a_campaign_that_builds_settlements_of_a_named_quality(text: str, name: str) -> None:
    assert name in {p.name for p in extract_text(text).programs}
    assert not extract_text("推进新型城镇化建设。").programs  # a kind of work, no campaign named


@pytest.mark.parametrize("text", ["近年来,会宁县大力发展特色种植产业项目,带动农户增收。", "会宁县是马铃薯制种基地。", "会宁县调研产业项目。",
                                  "会宁县城关镇建成太阳能光伏发电项目,年发电10万度。"])
def test_a_clause_with_its_verb_or_adverb_names_no_project(text: str) -> None:
    assert not extract_text(text).programs


def test_a_county_that_pairs_with_the_report_s_own_place_gives_its_pairing_money() -> None:
    found = extract_text("乐昌市召开2018年对口帮扶工作会议。乐昌市计划将2018年天河区800万元对口帮扶资金安排用于"
                         "教育、卫生等帮扶项目。其中用于卫生帮扶的资金400万元。")
    assert {f.funder for f in found.fundings} == {"天河区"}  # not 乐昌市, the place the report is about


def test_aid_money_named_after_a_province_or_city_is_that_place_s() -> None:
    found = extract_text("近年来,会宁县与天津市东丽区山水相依。2017年以来,会宁县共获得天津市帮扶资金超2.1亿元,实施帮扶项目25个。")
    assert [(str(f.amount_cny), f.funder) for f in found.fundings] == [("210000000", "天津市")]


def test_the_central_bank_gives_its_own_aid_but_lends_nothing() -> None:
    found = extract_text("中国人民银行对口支援会宁县,落实帮扶资金512.4万元。人民银行会宁县支行引导金融机构发放贷款2亿元。")
    funders = {str(f.amount_cny): f.funder for f in found.fundings}
    assert funders["5124000"] == "中国人民银行" and funders["200000000"] is None


def test_a_quoted_motto_of_parallel_phrases_is_no_programme_but_a_named_campaign_is() -> None:
    assert not extract_text("会宁县推行“产业兴村、文化铸魂”,每村投入10万元。").programs
    assert not extract_text("会宁县推行“家门口的就业车间”,带动农户增收。").programs  # a description with its 的
    assert extract_text("会宁县实施“产业兴村、文化铸魂”行动。").programs


def test_a_bar_line_table_s_shares_are_fundings_of_their_sources() -> None:
    text = ("甲市扶贫资金公示\n一、资金来源\n1、中央资金30万元。\n2、省级资金270万元。\n以上合计300万元。\n三、分配情况\n"
            "县 |\n资金合计 |\n中央资金 |\n省级资金 |\n会宁县 |\n100 |\n10 |\n90 |\n静宁县 |\n200 |\n|\n200 |\n合计 |\n300 |\n30 |\n270 |\n")
    got = {(str(f.amount_cny), f.funder, f.recipient) for f in extract_text(text).fundings}
    assert {("1000000", None, "会宁县"), ("100000", "中央财政", "会宁县"), ("900000", "省级财政", "会宁县"),
            ("2000000", "省级财政", "静宁县")} <= got, got  # a total of two sources has no one giver; one source's is its


def test_a_fund_is_named_with_the_level_of_the_budget_written_before_it() -> None:
    assert "省级财政衔接推进乡村振兴补助资金" in _programs("某县收到2024年省级财政衔接推进乡村振兴补助资金300万元。")
    # the bare word 财政, or a pointing word before it, names no level
    assert "衔接推进乡村振兴补助资金" in _programs("我县财政衔接推进乡村振兴补助资金300万元已拨付到位。")


def test_a_pairing_programme_written_only_by_its_money_is_the_programme() -> None:
    names = _programs("某县统筹苏陕协作资金1200万元,用于发展食用菌产业。")
    assert "苏陕协作" in names and "苏陕协作资金" not in names, names


def test_an_autonomous_regions_money_after_a_year_is_its_budgets() -> None:
    assert _funders("某旗收到2021年自治区农牧业发展资金260万元。") == {2600000: "自治区财政"}
    assert _funders("某县收到2020年省农村环境整治资金300万元。") == {3000000: "省级财政"}


@pytest.mark.parametrize("text, amount", [
    ("某市争取中央预算内资金和省级补助资金8000万元,用于灌区改造。", 80000000),  # two levels' money joined
    ("今年全县累计到位中央、省级衔接资金6亿元。", 600000000),  # two levels before one fund
    ("中央财政下达某县衔接资金1000万元,地方配套300万元。", 3000000),  # local matching money: no budget named
])
def test_money_of_several_or_unnamed_levels_has_no_one_funder(text: str, amount: int) -> None:
    assert _funders(text)[amount] is None


def test_a_place_pointed_back_at_gives_after_a_time_word_and_an_adverb() -> None:
    text = "东湖县发展茶叶产业。该县今年还投入500万元用于新建冷库。"
    assert _funders(text) == {5000000: "东湖县"}


def test_a_partner_places_fiscal_aid_money_is_the_partners() -> None:
    text = "临夏州东西部协作工作综述\n临夏州广河县推进产业发展。“十四五”以来,累计落实厦门财政援助资金6.8亿元。"
    assert _funders(text) == {680000000: "厦门市"}


def test_a_headlines_rounded_sum_that_the_body_states_exactly_is_one_funding() -> None:
    text = "东湖区帮扶西山县 5年投4.2亿元\n5年来,东湖区累计投入帮扶资金4.1856亿元,支持西山县产业发展。"
    assert sorted(_funders(text)) == [418560000]
    # a headline's own sum, that the body does not restate, stays
    assert 420000000 in _funders("东湖区帮扶西山县 5年投4.2亿元\n今年东湖区投入帮扶资金8000万元。")


def test_one_common_word_and_a_head_is_a_kind_of_work_not_a_programme() -> None:
    assert "民生工程" not in _programs("东湖县实施民生工程,投入资金300万元。")
    assert "林业工程" not in _programs("东湖县启动林业工程,投入资金300万元。")
    assert "东湖县湿地修复工程" in _programs("东湖县投入资金200万元实施东湖县湿地修复工程。")
