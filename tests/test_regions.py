"""Regions on invented sentences: every place a report names, at its level, under its parent."""

import pytest

from kg.extract.common import Finds, Tokens
from kg.extract.regions import find_regions
from kg.pipeline import extract_text
from kg.segment import split_sentences


def regions(text: str, date: str | None = None) -> dict[str, dict]:
    finds = Finds()
    find_regions(text, split_sentences(text), finds, Tokens(text), date=date)
    return {r["name"]: r for r in finds.regions.values()}


def test_a_municipality_is_a_province_written_in_full_or_short() -> None:
    found = regions("新华社重庆5月3日电 近日,北京市一家企业来到重庆。")
    assert found["重庆市"]["level"] == "province" and found["北京市"]["level"] == "province"
    assert found["重庆市"]["parent"] is None


def test_a_county_under_the_province_directly_has_the_province_as_parent() -> None:
    found = regions("仙桃市张沟镇发展龙虾产业。")
    assert found["仙桃市"]["level"] == "county" and found["仙桃市"]["parent"] == "湖北省"


def test_a_renamed_county_keeps_the_name_it_had_on_the_report_date() -> None:
    text = "黔西县某合作社扩大种植。"
    assert list(regions(text, date="2019-06-01")) == ["黔西县"]
    assert list(regions(text, date="2023-06-01")) == ["黔西市"]
    assert list(regions("黔西市某合作社扩大种植。")) == ["黔西市"]


def test_villages_written_right_after_their_county() -> None:
    found = regions("据了解,习水县玉兔村和金鸡村、长顺县白云村都通了公路。")
    assert {n: (r["level"], r["parent"]) for n, r in found.items() if r["level"] == "village"} == {
        "玉兔村": ("village", "习水县"), "金鸡村": ("village", "习水县"), "白云村": ("village", "长顺县")}


def test_no_village_out_of_common_words_after_a_county() -> None:
    found = regions("渠县新农村建设加快,渠县共有行政村120个,渠县各村都有合作社。")
    assert list(found) == ["渠县"]


def test_a_village_after_its_town_and_de() -> None:
    found = regions("位于渠县三汇镇的石佛村,去年种了200亩柑橘。")
    assert found["石佛村"]["parent"] == "三汇镇" and not any(n.startswith("的") for n in found)


def test_a_numbered_village_is_named_with_its_town() -> None:
    found = regions("建设地点:渠县三汇镇3村。")
    assert found["三汇镇3村"]["level"] == "village" and found["三汇镇3村"]["parent"] == "三汇镇"


def test_a_zone_is_a_place_only_after_its_county() -> None:
    assert "工业园区" not in regions("鼓励村集体在工业园区联建标准厂房。")


def test_a_zone_s_short_form_is_the_zone_only_where_its_city_is_named() -> None:
    # 示范区, 高新区: common nouns the gazetteer also lists as short forms of county-level zones
    assert "焦作城乡一体化示范区" not in regions("郑州市推进示范区建设。")
    assert "成都高新技术产业开发区" in regions("成都市推进高新区建设。")
    actors = extract_text("河南省新乡市:近日,示范区巩固拓展脱贫攻坚成果领导小组办公室下达资金。").actors
    assert [a.name for a in actors] == ["示范区巩固拓展脱贫攻坚成果领导小组办公室"]


def test_a_town_right_after_a_town_is_a_word_of_the_sentence() -> None:
    found = regions("渠县三汇镇小城镇建设项目开工。")
    assert set(found) == {"渠县", "三汇镇"}


def test_a_town_whose_suffix_jieba_reads_as_its_head_still_heads_a_village_list() -> None:
    found = regions("确定渠县有庆镇长胜村、三汇镇石佛村为示范村。")
    assert found["有庆镇"]["level"] == "township"


def test_a_province_short_form_before_a_common_word_and_in_its_newspaper() -> None:
    assert "云南省" in regions("这是云南乡村发展的一个缩影。")
    # A province named only in its newspaper's name is named all the same (FORMAT.md: every place named; the gold
    # of ../shared lists it, as the acceptance sets are annotated).
    assert "云南省" in regions("云南日报记者 某某")
    assert "云南省" in regions("云南日报讯 云南乡村发展迅速。")
    assert "昆明市" in regions("昆明日报讯 记者 某某")


def test_a_city_short_form_inside_a_personal_name_is_no_place() -> None:
    assert "大同市" not in regions("副行长王大同一行来渠县调研。")


def test_short_forms_in_a_list_closed_by_their_kind_are_counties_of_one_province() -> None:
    found = regions("资金重点支持榕江、从江、黎平等3个县发展蔬菜。")
    assert {n: (r["level"], r["parent"]) for n, r in found.items()} == {
        "榕江县": ("county", "黔东南苗族侗族自治州"), "从江县": ("county", "黔东南苗族侗族自治州"),
        "黎平县": ("county", "黔东南苗族侗族自治州")}
    # Two of the same short name: the province the list shares decides (台江 of Guizhou, not of Fuzhou).
    assert regions("剑河、台江两县签订协议。")["台江县"]["parent"] == "黔东南苗族侗族自治州"


def test_no_list_of_places_out_of_words_before_a_count() -> None:
    assert regions("发展、改革、稳定等三个县级任务。") == {}


def test_an_undated_report_names_places_as_in_the_latest_year_it_speaks_of() -> None:
    assert "水城县" in regions("2019年,水城县种植猕猴桃5万亩。")


def test_a_former_name_written_in_full_is_kept_as_written() -> None:
    # 彬县 became 彬州市 in 2018: an undated text that writes 彬县 was written before, whatever its years
    # say (three undated development reports, gold as written); a dated one goes by its date.
    assert "彬县" in regions("农发行彬县支行发放贷款1亿元支持彬县大桥建设。")
    assert "彬县" in regions("2021年,彬县修建大桥。")
    assert "彬州市" in regions("2021年,彬县修建大桥。", date="2021-06-01")
    assert "彬州市" in regions("2021年,彬州市修建大桥。")


def test_a_village_the_gazetteer_has_in_the_report_county_is_found_alone() -> None:
    found = regions("渠县今年发展柑橘。据介绍,曙光村建起了冷库。")
    assert found["曙光村"]["level"] == "village" and found["曙光村"]["parent"] == "青龙镇"


def test_a_village_the_gazetteer_misses_is_known_by_its_party_branch() -> None:
    found = regions("渠县推进强村工作。近日,由石门坎村党支部牵头成立合作社,石门坎村村委会负责运营。")
    assert found["石门坎村"]["level"] == "village" and found["石门坎村"]["parent"] == "渠县"
    assert len(found["石门坎村"]["mentions"]) == 2


def test_no_village_out_of_the_words_before_a_village_branch() -> None:
    found = regions("今年,全面加强农村党支部建设,解决了村党支部软弱涣散问题。")
    assert not any(r["level"] == "village" for r in found.values())


def test_a_county_short_form_before_its_bank_is_the_county() -> None:
    found = regions("韶关市乡村振兴提速,乳源农商银行发放贷款300万元。")
    assert found["乳源瑶族自治县"]["level"] == "county" and "乳源" in found["乳源瑶族自治县"]["aliases"]
    assert "乳源瑶族自治县" not in regions("乳源发展乡村旅游。")  # alone it is no place


def test_a_town_the_gazetteer_misses_is_known_by_its_party_committee() -> None:
    found = regions("渠县推进强村工作。据石门坎镇党委介绍,该镇新建冷库3座。")
    assert found["石门坎镇"]["level"] == "township" and found["石门坎镇"]["parent"] == "渠县"


def test_a_town_of_unknown_county_still_holds_the_villages_after_it() -> None:
    found = regions("太平镇红星村、胜利村发展草莓种植。")
    assert found["太平镇"]["level"] == "township"
    assert found["红星村"]["parent"] == "太平镇" and found["胜利村"]["parent"] == "太平镇"


def test_a_community_is_known_by_its_residents_committee() -> None:
    found = regions("渠县推进社区治理。近日,由石榴园社区居委会牵头开展服务。")
    assert found["石榴园社区"]["level"] == "village"


def test_a_county_short_form_before_a_branch_needs_its_city_named() -> None:
    found = regions("南平市邮储银行顺昌支行为农户授信。")
    assert found["顺昌县"]["parent"] == "南平市"
    assert "顺昌县" not in regions("邮储银行顺昌支行为农户授信。")


def test_a_short_form_ending_like_a_banner_is_no_banner() -> None:
    # 红旗 is the short form of a district (红旗区), not a 旗: in 红旗村 it is a village's name.
    assert regions("在红旗村,村民种植草莓。") == {}


def test_honours_are_no_villages_though_the_gazetteer_has_such_names() -> None:
    assert regions("帮助先进村、文明村做大产业,在城中村改造中,支持明星村发展。") == {}


def test_an_autonomous_county_by_its_short_name_and_status() -> None:
    found = regions("务川自治县发展肉牛养殖。")
    assert found["务川仡佬族苗族自治县"]["level"] == "county" and "务川自治县" in found["务川仡佬族苗族自治县"]["aliases"]


def test_a_misspelt_county_in_a_list_of_counties_is_the_county_one_character_away() -> None:
    found = regions("资金分配到望谟县、贞峰县。")
    assert found["贞丰县"]["parent"] == "黔西南布依族苗族自治州" and "贞峰县" in found["贞丰县"]["aliases"]
    assert found["望谟县"]["level"] == "county"


def test_a_town_written_as_another_kind_is_the_county_town() -> None:
    # The gazetteer has 三汇镇 in 渠县; a text may still write it as a 乡.
    found = regions("渠县三汇乡发展柑橘产业,三汇乡红星村建起冷库。")
    assert found["三汇乡"]["level"] == "township" and found["三汇乡"]["parent"] == "渠县"
    assert found["红星村"]["parent"] == "三汇乡"


def test_towns_in_a_list_closed_by_their_kind_are_towns_of_the_report_county() -> None:
    found = regions("渠县在三汇、有庆、土溪三个乡镇推广柑橘。")
    assert {n for n, r in found.items() if r["level"] == "township"} == {"三汇镇", "有庆镇", "土溪镇"}
    assert found["有庆镇"]["parent"] == "渠县"


def test_a_list_head_may_carry_a_description_or_say_places() -> None:
    found = regions("对口帮扶榕江、从江、黎平等3个深度贫困县。")
    assert {"榕江县", "从江县", "黎平县"} <= set(found)
    found = regions("支持遵义、安顺、毕节等地发展辣椒。")
    assert {"遵义市", "安顺市", "毕节市"} <= set(found)


def test_a_short_name_of_a_city_and_of_its_own_county_is_the_city() -> None:
    found = regions("湖南省支持浏阳市和长沙发展。")
    assert "长沙市" in found and "长沙县" not in found


def test_the_xiang_of_xiangcun_after_a_town_name_is_no_town() -> None:
    found = regions("渠县金融服务有庆乡村振兴。")
    assert "有庆乡" not in found


def test_a_town_whose_xiang_jieba_joins_to_the_next_word_still_heads_its_village() -> None:
    found = regions("打造渠县东安乡下坝村“果园”品牌。")
    assert found["东安乡"]["level"] == "township" and found["下坝村"]["parent"] == "东安乡"


def test_a_county_that_became_a_city_keeps_the_name_the_text_gives_it() -> None:
    found = regions("甘孜州泸定县、康定县发展核桃产业。")  # 康定县 became 康定市 in 2015
    assert found["康定县"]["level"] == "county" and found["康定县"]["parent"] == "甘孜藏族自治州"


def test_a_city_name_in_a_list_of_counties_is_the_county_it_was() -> None:
    found = regions("当年的普定、镇宁、安顺三县合作修路。")
    assert found["安顺县"]["level"] == "county" and "安顺市" not in found
    assert found["普定县"]["level"] == "county"


def test_the_village_of_a_village_collective_is_no_village_name() -> None:
    x = extract_text("2022年,湟中区发展壮大村集体经济,加强村级组织建设。")
    assert [r.level for r in x.regions] == ["county"]


def test_a_tie_between_partners_goes_to_the_place_that_holds_the_report_s_other_places() -> None:
    x = extract_text("北京市与内蒙古自治区开展协作。北京市支持内蒙古自治区。北京市、内蒙古自治区两地合作,察素齐镇受益。")
    assert x.jurisdiction == "内蒙古自治区"
    x = extract_text("内蒙古自治区与北京市开展协作。内蒙古自治区对接北京市。内蒙古自治区、北京市两地合作,长辛店镇受益。")
    assert x.jurisdiction == "北京市"


def test_the_partner_that_gives_to_us_is_not_the_reports_place() -> None:
    from kg.pipeline import extract_text

    x = extract_text("苏陕协作再上新台阶\n记者从省发展改革委获悉:去年以来,苏陕两省推进协作。江苏省共向我省投入财政援助资金26亿元。")
    assert x.jurisdiction == "陕西省"
    assert "陕西省发展和改革委员会" in [a.name for a in x.actors]
    assert "陕西省" not in [r.name for r in x.regions]  # implied, not named


def test_a_county_s_short_form_of_three_characters_before_its_bank_is_the_county() -> None:
    # a two-character short form is too often a word (和平) and needs its city or province named; a longer one does not
    assert [r.name for r in extract_text("积石山农商银行向农户发放贷款。").regions] == ["积石山保安族东乡族撒拉族自治县"]
    assert not extract_text("和平农商银行向农户发放贷款。").regions


def test_an_autonomous_region_written_without_its_people_s_name() -> None:
    # 宁夏自治区, 广西自治区: the region, and a bank's branch there named by the region in full
    x = extract_text("农业发展银行宁夏自治区分行成立以来,向固原市发放贷款2亿元。")
    assert "宁夏回族自治区" in {r.name for r in x.regions}
    assert [a.name for a in x.actors] == ["中国农业发展银行宁夏回族自治区分行"]


def test_he_joining_two_bodies_of_one_level_is_no_county_he_xian() -> None:
    # 县委和县政府: two bodies; 和县 is a county only where it is not a joining word between bodies
    x = extract_text("根据县委和县政府的部署,县农业农村局和县财政局开展工作。")
    assert not x.regions and {a.name for a in x.actors} == {"县委", "县政府", "县农业农村局", "县财政局"}
    assert [r.name for r in extract_text("安徽省马鞍山市和县财政局发布通知。").regions] == ["安徽省", "马鞍山市", "和县"]


def test_a_place_starting_inside_a_rejected_longer_match_is_found() -> None:
    # 从江苏省: the automaton's longest match at 从 is the county short form 从江, which jieba does not read; 江苏省 is
    assert [r.name for r in extract_text("7月16日,从江苏省无锡市惠山区引进的项目已揭牌。").regions] == ["江苏省", "无锡市", "惠山区"]
    assert "东丽区" in {r.name for r in extract_text("如东丽区对口帮扶兰州市皋兰县,成效显著。").regions}
    assert [r.name for r in extract_text("从江县召开会议。").regions] == ["从江县"]


def test_places_that_jieba_reads_as_one_word_are_each_a_place() -> None:
    # 广西南宁 is one jieba word: 广西 and 南宁 are each a place, as 广西南宁市 would be
    found = [r.name for r in extract_text("连日来,广西南宁邕宁联社组织全辖信贷人员开展春耕调研。").regions]
    assert found[:2] == ["广西壮族自治区", "南宁市"]


def test_an_issuer_s_abbreviation_in_a_document_number_is_no_place() -> None:
    # 新乡振【2021】32号 (新疆乡村振兴局): not 新乡市; the same name elsewhere is the place
    assert not extract_text("按照《管理办法》(新乡振【2021】32号)执行。").regions
    assert [r.name for r in extract_text("新乡市财政局下达资金。").regions] == ["新乡市"]


def test_a_city_bank_s_brand_is_no_mention_of_the_city() -> None:
    # 九江银行上饶分行: the bank's name, not the city of 九江; 九江市 written as a place still is one
    assert [r.name for r in extract_text("九江银行上饶分行向农户发放贷款。").regions] == ["上饶市"]
    assert "九江市" in {r.name for r in extract_text("九江市财政局下达资金。").regions}


def test_a_town_written_without_its_peoples_names_is_named_as_written() -> None:
    # 沐尘畲族乡 written 沐尘乡: three development reports have the town as written in their gold.
    found = regions("龙游县沐尘乡马戍口村发展竹产业。")
    assert found["沐尘乡"]["level"] == "township" and "沐尘畲族乡" not in found
    assert "沐尘畲族乡" in regions("龙游县沐尘畲族乡发展竹产业。")


def test_a_province_s_short_form_that_starts_a_known_village_s_name_is_the_village() -> None:
    # 海南庄村 of 海子沟乡 (湟中区): the gazetteer knows the village, so 海南 is no province here
    found = regions("湟中区海子沟乡顾家岭村、海南庄村、东沟脑村完成绿化。")
    assert "海南省" not in found and found["海南庄村"]["level"] == "village"


def test_a_village_the_gazetteer_has_in_one_town_of_the_report_city_is_found() -> None:
    # 强家坟村: one town of 沧州市 (小王庄镇, 运河区) holds it; the report names the city only
    found = regions("农发行沧州市分行投放1.5亿元,用于支持强家坟村等大运河沿线农村路网改造。")
    assert found["强家坟村"]["level"] == "village" and found["强家坟村"]["parent"] == "小王庄镇"


def test_the_usual_short_names_of_xinjiang_prefectures_from_the_register() -> None:
    # 博州, 克州, 巴州 (data/registers/place_abbreviations.tsv, with their sources); 巴州区 of 巴中市 stays itself
    assert regions("博州财政局提前下达精河县衔接资金。")["博尔塔拉蒙古自治州"]["level"] == "city"
    assert "克孜勒苏柯尔克孜自治州" in regions("克州阿图什市发展无花果产业。")
    assert "巴州区" in regions("巴中市巴州区发展茶叶。") and "巴音郭楞蒙古自治州" not in regions("巴中市巴州区发展茶叶。")


def test_an_abbreviation_of_no_known_place_is_a_clear_error(monkeypatch) -> None:
    import kg.gazetteer
    from kg.errors import KgError
    from kg.gazetteer import GAZETTEER_FILE, _parse_gazetteer, data_dir

    monkeypatch.setattr(kg.gazetteer, "place_abbreviations", lambda: [("某州", "某某自治州")])
    try:
        _parse_gazetteer(data_dir() / GAZETTEER_FILE)
    except KgError as exc:
        assert "某某自治州" in str(exc) and "place_abbreviations.tsv" in str(exc)
    else:
        raise AssertionError("no error for an unknown place")


def test_a_town_name_that_opens_with_a_preposition_is_the_sentence_s_words() -> None:
    # 由农村|向|城镇: a town of that name elsewhere is not meant where a preposition opens it
    assert not [r.name for r in extract_text("促进地区劳动力由农村向城镇、由农业向非农业转移。").regions]


def test_a_place_named_only_inside_a_company_s_or_outlet_s_name_is_a_place_the_report_names() -> None:
    # FORMAT.md: every administrative place named in the report; the gold of ../shared lists a province named only
    # in a newspaper's name (湖北日报网) or a company's (辽宁…有限公司), and a city only in its paper (广州日报)
    regions = lambda t: [r.name for r in extract_text(t).regions]  # noqa: E731
    assert "湖北省" in regions("黄梅农发行向湖北泰欣农业建设开发有限公司发放贷款1亿元。")
    assert "湖南省" in regions("湖南日报讯 某县农商银行发放贷款。")


def test_a_site_menu_of_provinces_left_in_the_text_names_no_place_but_a_table_row_does() -> None:
    regions = lambda t: {r.name for r in extract_text(t).regions}  # noqa: E731
    menu = "新闻网首页|安徽|北京|上海|重庆|福建|甘肃|贵州|广东\n锦屏县财政局拨付资金500万元。"
    assert regions(menu) == {"锦屏县"}, regions(menu)
    table = "序号|地区|县|资金\n1|遵义市|湄潭县|300\n2|铜仁市|江口县|50\n3|毕节市|大方县|120"
    assert {"湄潭县", "江口县", "大方县"} <= regions(table)


def test_a_county_s_short_form_right_after_its_own_city_is_the_county() -> None:
    regions = lambda t: {r.name for r in extract_text(t).regions}  # noqa: E731
    assert "夷陵区" in regions("在宜昌夷陵,新建码头项目开工。")
    assert "蕲春县" in regions("黄冈蕲春的艾草产业发展迅速。")
    # the short form alone, or after another city, stays a word
    assert "夷陵区" not in regions("在武汉夷陵,贷款注入项目。")


def test_a_list_of_county_short_forms_closed_by_a_described_kind() -> None:
    # 等 + words that describe the places + their kind (等受灾严重县区): the short forms are counties
    regions = {r.name for r in extract_text("资金重点支持湄潭、凤冈、余庆等产茶大县发展。").regions}
    assert {"湄潭县", "凤冈县", "余庆县"} <= regions, regions


def test_short_forms_listed_before_a_full_name_share_its_kind() -> None:
    # 湄潭、凤冈、余庆县: the last item's 县 speaks for the items before it
    regions = {r.name for r in extract_text("调研组先后到湄潭、凤冈、余庆县考察茶园。").regions}
    assert {"湄潭县", "凤冈县", "余庆县"} <= regions, regions


def test_the_receivers_of_a_table_written_by_their_short_forms_are_counties_of_the_named_city() -> None:
    # a table's rows say what they are: 闵行 and 嘉定 under 上海市 are its districts; without the city named, nothing
    text = ("上海市农业农村委员会关于奖励资金的通知\n全市共安排奖励资金100万元(详见附件)。\n附件\n奖励资金汇总表\n"
            "单位\n面积(亩)\n资金(万元)\n闵行\n2000.50\n40.00\n嘉定\n3000.00\n60.00\n合计\n5000.50\n100.00\n")
    names = {r.name for r in extract_text(text).regions}
    assert {"上海市", "闵行区", "嘉定区"} <= names, names
    assert not {"闵行区", "嘉定区"} & {r.name for r in extract_text(text.replace("上海市", "")).regions}


def test_a_common_word_or_a_conjunction_before_a_word_is_no_town() -> None:
    # 小城镇 (small towns) and 和|村镇 are words of the sentence, though towns of those names exist somewhere
    names = {r.name for r in extract_text("本报讯 甲县推进小城镇建设,和村镇干部一起走访农户。").regions}
    assert not {"小城镇", "和村镇"} & names, names


def test_a_town_after_its_county_opens_with_no_particle() -> None:
    # 某县的矿产大镇: the county's "big mining town", a description, no town named
    names = {r.name for r in extract_text("青塘镇是宁都县的矿产大镇。").regions}
    assert names == {"青塘镇", "宁都县"}, names


def test_a_town_read_under_its_city_and_under_its_county_is_one_town() -> None:
    text = "汕尾市大湖镇发展产业。海丰县大湖镇新建厂房。"
    towns = [(r.name, r.parent) for r in extract_text(text).regions if r.level == "township"]
    assert towns == [("大湖镇", "海丰县")], towns


def test_a_town_read_whole_is_not_read_again_from_its_last_characters() -> None:
    # 大九湖镇 (whole) and 九湖镇 (its former name, from the last characters): one town, the whole
    names = [r.name for r in extract_text("神农架林区大九湖镇发展旅游。").regions]
    assert names == ["神农架林区", "大九湖镇"], names


@pytest.mark.parametrize("text, regiments", [
    ("兵团第一师阿拉尔市七团、十二团发展红枣产业。", ["七团", "十二团"]),  # the corps' numbered regiments
    ("兵团三团结对帮扶两个村,组建三个服务团。", []),  # 团结 (unity) and a service group are no regiments
    ("全市组建七团开展文艺演出。", []),  # no corps named: no regiment
])
def test_the_corps_regiments_are_township_level_places(text: str, regiments: list[str]) -> None:
    found = [r.name for r in extract_text(text).regions if r.level == "township"]
    assert found == regiments, found


def test_a_counted_list_of_county_short_forms_closed_by_a_level_with_its_ji() -> None:
    names = {r.name for r in extract_text("该省寻乌、定南、全南等12个县级机构日前挂牌。").regions}
    assert {"寻乌县", "定南县", "全南县"} <= names, names


def test_a_counted_list_of_villages_by_their_bare_names_under_a_named_county() -> None:
    found = {(r.name, r.level) for r in extract_text("天津市蓟州区发展设施农业。建成朱华山、瓦岔庄、李桂庄等10个“一村一品示范村”。").regions}
    assert {("朱华山村", "village"), ("瓦岔庄村", "village"), ("李桂庄村", "village")} <= found, found


def test_a_common_word_before_a_town_s_body_is_no_town_the_gazetteer_lacks() -> None:
    names = {r.name for r in extract_text("会宁县发改委将指导镇政府组织村民参与工程建设。").regions}
    assert names == {"会宁县"}, names


def test_a_headless_list_of_a_named_countys_town_short_forms_reads_them_as_its_towns() -> None:
    found = regions("仁寿县打造四个片区(富加、文宫、宝飞、北斗四个示范片),带动增收。")
    towns = {n for n, r in found.items() if r["level"] == "township"}
    assert towns == {"富加镇", "文宫镇", "宝飞镇", "北斗镇"}
    assert found["宝飞镇"]["parent"] == "仁寿县"


def test_pairs_of_a_named_citys_district_short_forms_are_its_districts() -> None:
    found = regions("成都市开展城区结对:锦江与金堂、青羊与蒲江、武侯与大邑,共建产业园。")
    assert {"锦江区", "金堂县", "青羊区", "蒲江县", "武侯区", "大邑县"} <= set(found)


def test_a_list_of_common_words_is_no_list_of_places() -> None:
    found = regions("成都市在环境、帮扶、服务、产业等方面合作。")
    assert set(found) == {"成都市"}


def test_a_long_transliterated_village_after_its_town() -> None:
    found = regions("墨玉县芒来乡阿热吐格曼村、喀尔赛镇发展庭院经济。")  # (an invented village's name)
    assert found["阿热吐格曼村"]["level"] == "village" and found["阿热吐格曼村"]["parent"] == "芒来乡"
    # a town's sentence is no long village
    assert "开展美丽乡村建设示范村" not in regions("墨玉县芒来乡开展美丽乡村建设示范村评选。")


def test_and_after_a_group_or_company_joins_bodies_and_names_no_county() -> None:
    assert "和县" not in regions("东湖县召开会议,经县乡村振兴领导小组和县财政局研究,下达资金。")
    assert "和县" not in regions("东湖县某农业公司和县担保公司签订协议。")
    assert "和县" in regions("马鞍山市和县发展稻虾共养。")


def test_words_after_a_county_that_end_like_a_town_name_no_town() -> None:
    found = regions("东湖县特色的一镇一业初具规模,东湖县重点集镇建设加快。")
    assert not [n for n, r in found.items() if r["level"] == "township"], found
