"""Actors: organisations by suffix and structure, level bodies, banks, outlets, people."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.common import (
    CITED_OUTLET,
    CJK,
    DOCUMENT_KINDS,
    GENERIC_PLACES,
    LEVEL_CHARS,
    LEVEL_OF_CHAR,
    ORG_SUFFIX_TYPES,
    suffix_re,
    suffix_types,
    Finds,
    Tokens,
    joined_after_body,
    name_start,
    only_places,
    sentence_of,
)
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.model import Mention, Sentence
from kg.registers import (
    bank_for_short,
    bank_kinds,
    banks,
    compound_surnames,
    media_outlets,
    media_suffixes,
    name_endings,
    national_organs,
    organ_for_tail,
    organ_tails,
    surnames,
    tibetan_name_elements,
)
from kg.segment import pos_tags

# Bodies named by a region (or a bare level character) plus one of these.
_BODY_WORDS = {
    "委": "PartyOrganization",
    "党委": "PartyOrganization",
    "政府": "GovernmentAgency",
    "人民政府": "GovernmentAgency",
    "政协": "GovernmentAgency",
    "人大": "GovernmentAgency",
    "人大常委会": "GovernmentAgency",
    "纪委": "PartyOrganization",
}


# A suffix that must not be read as an organisation when these words end the name.
_NOT_ORG_ENDINGS = (
    "主体部", "全部", "内部", "外部", "干部", "部分", "西部", "东部", "南部", "北部", "中部", "局部", "格局", "布局",
    "根部", "底部", "顶部", "头部", "腹部", "背部", "上部", "下部", "腰部", "尾部",  # parts of a thing, no department
    "结局", "大局", "开局", "当局", "全局", "定局", "时局", "僵局", "变局", "终局", "困局", "破局", "新局", "残局", "中心村", "重心", "核心", "公司化", "集团化", "委托", "联办", "举办", "主办",
    "创办", "领办", "督办", "承办", "兴办", "开办", "代办", "帮办", "包办", "专班办", "实事办",
)


_PERSON_TITLES = (
    "村民", "牧民",
    "党支部书记", "党委书记", "书记", "村主任", "主任", "董事长", "总经理", "理事长", "负责人", "县长", "市长", "区长",
    "镇长", "乡长", "村长", "局长", "厅长", "部长", "社长", "站长", "名人", "乡贤", "致富带头人",
    "行长", "经理", "会长", "所长", "院长", "队长", "组长", "大户", "责任人", "责任领导", "联系人", "主席",
    "脱贫户", "贫困户", "养殖户", "种植户", "会计", "村医", "户主", "村支书", "老党员", "创始人", "村官", "网格员",
    "特派员", "指导员", "青年", "教授", "研究员", "专家", "技术员", "博士", "院士", "总指挥",
    "茶农", "果农", "菜农", "渔民", "船长", "法人代表", "法人", "农场主", "场长", "厂长",
)


_TITLES_LONGEST_FIRST = tuple(sorted(_PERSON_TITLES, key=len, reverse=True))
_TITLE_NAME_RE = re.compile("(" + "|".join(map(re.escape, _TITLES_LONGEST_FIRST)) + r")(?:的|:|\s)?(?=([\u4e00-\u9fff]{2,3}))")
# A speaker at the start of a clause (余丽生等认为, 王某说): the name without the verb.
_SPEECH = r"(?:说|表示|认为|介绍|指出|坦言|感慨)"
_SPEAKER_RE = re.compile(r"(?:^|(?<=[,:;“”\s]))([\u4e00-\u9fff]{2,3}?)(?:等)?" + _SPEECH)
# Where someone lives points at a person: 王某某家住某村, 家住某村的王某某.
_RESIDENT_RE = re.compile(r"(?:^|(?<=[。,\s]))([\u4e00-\u9fff]{2,4}?)家住|家住[^,。;]{2,30}?的([\u4e00-\u9fff]{2,4})")
_PROFILE_RE = re.compile(r"(?:^|(?<=[。\s]))([\u4e00-\u9fff]{2,3})[,,](?:男|女)[,,]")
_ADDRESS_WORDS = frozenset("大爷 大妈 大娘 大姐 大哥 大叔 大婶 阿姨 师傅 老汉 老人 奶奶 爷爷 婆婆 老板 书记 主任".split())
_TRANSLITERATED = re.compile(r"[\u4e00-\u9fff]{1,8}·[\u4e00-\u9fff]{1,10}")


@lru_cache(maxsize=1)
def _product_or_place_part() -> re.Pattern[str]:
    """What no part of a transliterated personal name holds: a loan product's head (七彩云南·普洱贷) or a province's name."""
    provinces = sorted({n for d in load_gazetteer().at_level("province") for n in (d.name, d.short) if n and len(n) >= 2},
                       key=len, reverse=True)
    return re.compile("贷|产品|" + "|".join(map(re.escape, provinces)))


_NOT_PERSON_TITLES = ("记者", "通讯员", "编辑", "摄影")
# A notice's contact line (联系人:张三,电话…) names who answers for the text, as a byline names who wrote it: no actor.
_CONTACT_LINE = re.compile(r"联系人[::]")
# A name of two or three characters right before a verb of speech (黄庙介绍, 陆盈说).
_NAME_THEN_SPEECH = re.compile(r"([\u4e00-\u9fff]{2,3}?)" + _SPEECH)


# Chinese surnames (data/registers/surnames.tsv, after 《百家姓》 and the national name report: SOURCES.md X1-X3).
_SURNAMES = surnames()


_COMPOUND_SURNAMES = compound_surnames()


def _refine_type(name: str, suffix_type: str) -> str:
    if name.startswith(("共青团", "中国共产主义青年团")):
        return "SocialOrganization"  # the Youth League's committees: a mass organisation (O10), named by itself
    if re.search(r"(党委|党组|党支部|党总支|党工委|组织部|宣传部|统战部|纪委|^中共)", name):
        return "PartyOrganization"
    if re.search(rf"(?:省|市|县|区|州|镇|乡)委(?:[{CJK}]{{2,}}领导小组|办公室|$)", name):
        return "PartyOrganization"
    if re.search(r"(银行|支行|分行|信用社|信用合作|农商行|农信|担保|信保|保险|证券|信托|金融控股|农担)", name):
        return "FinancialInstitution"
    if re.search(r"(供销合作社联合社|供销联社|合作社|联合社|合作联社)$", name):  # 茶叶专业合作联社: no credit union
        return "Cooperative"
    return suffix_type


@lru_cache(maxsize=1)
def _bank_re() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, bank_abbreviations()), key=len, reverse=True)))


@lru_cache(maxsize=1)
def bank_abbreviations() -> dict[str, tuple[str, str]]:
    """Short names of banks in the register (农行, 农发行, 农商行) -> (full name, the core branch names use).

    >>> bank_abbreviations()["农发行"]
    ('中国农业发展银行', '农业发展银行')
    """
    # a short form of two rows (农信联社) names the first, as bank_for_short reads it
    return {short: (b.full or b.core, b.core) for short in (s for x in banks() for s in x.short)
            if (b := bank_for_short(short)) is not None}


# Words after which a 中 begins a company's name (向中储粮…, 与中粮…), not a locative.
_STOP_BEFORE_COMPANY = frozenset("向 与 和 同 及 由 对 为 把 将 被 从 给 跟 , 、 : 。".split())
# Verbs of founding or leading a body inside the words before its suffix (党支部领办|X合作社).
_FOUNDING = re.compile(r"领办|创办|兴办|领建|牵头成立|牵头组建")
# A list of bodies headed by 各 and levels (各县(市、区)财政局、农业农村局:): every place's bodies, to its end.
_EVERY_PLACES_BODIES = re.compile(r"各[省市县区州盟旗乡镇村]{1,3}(?:\([^()]{1,10}\))?[^,。;:!?]*")
_VILLAGE_BRANCH = re.compile(r"([\u4e00-\u9fff]{2,8}?(?:村|社区|嘎查))(?:党总支|党支部|党委|支部)[^、]*$")
_CPPCC = re.compile(r"([省市县区]?)政协(?!会议)")
_MINISTRIES = re.compile(r"(中央|国家)?[“\"]?([一二三四五六七八九十两])部委[”\"]?")
_LEADER_POSTS = re.compile(r"总书记|书记|主席|总理|董事长|理事长")
_DOTTED_NAME = re.compile(r"([\u4e00-\u9fff]{2,8})·([\u4e00-\u9fff]{2,10})")
_YOUTH_LEAGUE = re.compile(r"团[省市县区州旗]委")
# What a facility's 中心 holds (展示, 分拣, 集散 …): a place where things are done, not a body.
_FACILITY = re.compile("(?:展示|洽谈|展销|物流|冷链|分拣|集散|批发|仓储|加工|交易|活动|体验|研发|行政|游客|配送|孵化)$")
# A suffix's last character and the next that make a common word (农业农村部|门: the ministry's 部 is no suffix).
_RUNS_ON = frozenset({"部门", "部署", "部分", "局面", "局势", "办法", "办理", "办贷"})  # 办贷款: to take out a loan
# A township's name the gazetteer may lack (阿尔巴斯苏木): a few characters and a township's level word.
_TOWN_NAME = re.compile(r"(?![各该本全每我此其])[\u4e00-\u9fff]{2,6}(?<!乡)(?:镇|乡|苏木)")
# A Party committee and the 实施 that opens its leading group's name (县委实施…领导小组, 县委农村工作暨实施…).
_COMMITTEE_ACTS = re.compile(r"(?:中共)?(?:[\u4e00-\u9fff]{0,10}?[省市县区州盟旗]|[省市县区州盟旗])(?:党)?委实施$")
# What follows a hamlet's name (杨家坪组, 李家湾村): the name before it is a place, not a person.
_VILLAGE_GROUP_AFTER = frozenset("组村社屯队")
# Words of scope that open national and international bodies' names (中国扶贫基金会, 亚洲开发银行).
_WIDE_SCOPES = ("中国", "中华", "全国", "国际", "联合国", "世界", "亚洲")
# A count of bodies (两个, 3家): what precedes a suffix then counts kinds, it names no body.
_COUNTED = re.compile(r"[一二两三四五六七八九十百千\d]+(?:个|家|类|种|批)")
_BODY_RE = re.compile(r"((?:[省市县区州盟旗镇乡]){1,2})(党委|委|政府)")
# What follows a committee's 委 when the words name one of its parts or members (县委组织部, 市委书记), not the committee.
_COMMITTEE_PART = re.compile(r"组织部|宣传部|统战部|办公室|书记|常委|委员|全会|员")


def find_actors(text: str, sentences: tuple[Sentence, ...], finds: Finds, tokens: Tokens) -> None:
    g = load_gazetteer()
    places = _place_spans(finds)
    autonomous = any(r["level"] == "province" and r["name"].endswith("自治区") for r in finds.regions.values())
    for sent in sentences:
        s_text = sent.text
        base = sent.start
        taken: list[tuple[int, int]] = []
        _find_media(text, sent, finds, taken)
        _find_register_organs(text, sent, finds, tokens, taken, places, g)
        for m in suffix_re().finditer(s_text):
            suffix, end = m.group(0), m.end()
            crosses = tokens.crosses(base + end) and not (suffix.endswith("行") and s_text[end : end + 1] == "为")
            # (a bank's 分行|为 is cut 分|行为 by jieba: after a bank, 为 is "for", no 行为)
            if any(s < end <= e or s <= m.start() < e for s, e in taken) or crosses \
                    or s_text[end - 1 : end + 1] in _RUNS_ON:
                continue  # the suffix runs on into another word (局面, 部署, 党组织; 农业农村部|门 as jieba cuts it)
            last_word = (tokens.word_before(base + end) or (0, ""))[1]
            if any(s_text.endswith(bad, 0, end) and len(last_word) >= len(bad) for bad in _NOT_ORG_ENDINGS):
                continue  # 主办, 格局, 党员干部; but 振兴|办 is an office
            if len(last_word) > len(suffix) and (tokens.tag(last_word) or "n")[:1] in "ilvad":
                continue  # 统揽全局, 已成定局: an idiom or verb phrase that ends in a suffix's characters
            if _inside_longer_quote(s_text, m.start(), end):
                continue
            if s_text[m.start() - 1 : m.start()] == "我":
                continue  # 联系我局, 我行: a body speaking of itself in its own text names no body
            company = suffix in ("有限公司", "股份有限公司", "有限责任公司", "公司", "集团", "分公司")
            floor = max(0, m.start() - (22 if company else 16))
            bracket = re.search(r"\([^()]{1,6}\)$", s_text[: m.start()]) if company else None
            walk_from = m.start() - (len(bracket.group(0)) if bracket else 0)  # 沁州黄小米(集团)有限公司
            begin = name_start(text, base + walk_from, base + floor, tokens, company,
                               task=suffix in ("领导小组", "领导小组办公室")) - base
            if company and s_text[begin - 1 : begin] == "中" and begin - 1 > 0 and (base + begin - 1) in tokens.starts \
                    and (tokens.word_before(base + begin - 1) or (0, "。"))[1] in _STOP_BEFORE_COMPANY:
                begin -= 1  # 向|中|储粮漯河分公司: 中 begins the company's name, it is no locative after 向
            if company:
                # 闽籍企业海原县闽宁百草园农业有限公司: the name starts at the place after a kind of company
                kind = re.search(r"(?:企业|公司|集团|单位|龙头企业)(?=[^企公集单]*$)", s_text[begin:walk_from])
                if kind:
                    after = [p0 - base for p0 in tokens.place_starts if base + begin + kind.end() <= p0 < base + walk_from]
                    if after:
                        begin = min(after)
                # 某分行为某有限公司…: the lender and a preposition stand before the borrower's name
                lender = re.search(r"(?:银行|分行|支行|信用社|联社)(?:为|向|给|对|与|和)(?=[^为向给对与和]*$)", s_text[begin:walk_from])
                if lender:
                    begin += lender.end()
            begin = _uncut_place_start(text, base + begin, base + m.start(), g) - base
            if suffix in ("支行", "分行"):
                short = tokens.word_before(base + begin, base + floor)
                if short and short[1] in bank_abbreviations() and tokens.word_at.get(short[0]) == short[1]:
                    begin = short[0] - base  # 建行|岳西支行: the bank's short name (a verb to jieba) begins the branch
            if suffix in ("政府", "人民政府") and not only_places(text, base + begin, base + m.start(), places) \
                    and not (_TOWN_NAME.fullmatch(s_text[begin : m.start()])
                             and not any((tokens.tag(w) or "")[:1] in "vp" for w in tokens.words_in(base + begin, base + m.start() - 1))) \
                    and s_text[begin : m.start()] not in ("自治区", "自治州"):
                continue  # 属于某县十四五期间政府: a government is named by its place alone (and 他到镇政府 by none)
            if suffix_types().get(suffix) == "SocialOrganization" and suffix in name_endings() \
                    and only_places(text, base + begin, base + m.start(), places):
                continue  # 协调广东学校、医院: the schools of a place, none named
            if _DOC_NUMBER.match(s_text, end):
                continue  # 铜委农办〔2023〕: the prefix of a document number
            if suffix in ("中心", "服务中心") and s_text[end : end + 1] == "村":
                continue  # 三合中心村: a village, not a centre
            if suffix == "中心" and _FACILITY.search(s_text[: m.start()]):
                continue  # 展示洽谈中心, 分拣中心, 村民活动中心: a place where things are done, no body
            if suffix == "中心" and s_text[begin : m.start()] and only_places(text, base + begin, base + m.start(), places):
                continue  # 位于某镇中心: the middle of a place, no body
            if suffix in ("中学", "小学", "医院", "卫生院"):
                built = list(re.finditer(r"(?:拟|将|新|援|投资|计划)?建设|新建|援建|拟建", s_text[begin : m.start()]))
                if built:
                    begin += built[-1].end()  # 资金拟建设康定民族中学: the school after what is built
            placed = base + begin in tokens.place_starts or s_text[begin : begin + 1] in LEVEL_OF_CHAR
            if suffix in ("中心", "服务中心") and (re.match(r"项目|工程|建设", s_text[end:]) or re.search(
                    r"(?:新建|建设|建成|实施|打造|改造|修建|投建|兴建)了?$", s_text[max(0, begin - 3) : begin])
                    or not placed and re.search(r"(?:以及|和|、)$", s_text[max(0, begin - 3) : begin])
                    or re.search(r"新建|建设|建成|改造|修建|投建|兴建|打造", s_text[begin : m.start()])):
                continue  # 新建农文旅服务中心, 物流服务中心项目: a facility built, not a body acting
            begin = _title_issuer_start(s_text, begin, m.start())
            if suffix in ("领导小组", "领导小组办公室"):
                committee = _COMMITTEE_ACTS.search(s_text[:begin])
                if committee:
                    begin = committee.start()  # 县委|实施|乡村振兴战略领导小组办公室: one body of the committee
                    if base + begin not in tokens.place_starts and not s_text.startswith("中共", begin):
                        # (报|县委实施…: no place opens it, the level character does)
                        begin += re.search(r"[省市县区州盟旗](?:党)?委实施$", committee.group(0)).start()
            kinds = _SEVERAL_PLACE_KINDS.match(s_text, begin, m.start())
            if re.search(r"[两三四各多]级", s_text[begin : m.start()]) or (kinds and s_text[kinds.end() : kinds.end() + 1] not in LEVEL_CHARS):
                continue  # 市、区两级农业农村局, 区县财政局, 镇街农业农村局: bodies of several places, none named
            bank_end = s_text.rfind("银行", begin, m.start())
            if suffix in ("支行", "分行") and (bank_end < 0 and "行" not in s_text[begin : m.start()] or bank_end >= 0 and any(
                    (tokens.tag(w) or "")[:1] == "v" for w in tokens.words_in(base + bank_end + 2, base + m.start()))):
                # 派员常驻永宁支行: a branch without its bank is named by its place alone
                cut = next((i for i in range(begin, m.start()) if (base + i) in tokens.place_starts
                            and only_places(text, base + i, base + m.start(), places)), None)
                if cut is None:
                    last = tokens.word_before(base + m.start(), base + begin)
                    before = tokens.word_before(last[0], base + begin) if last else None
                    if last and len(last[1]) >= 2 and (tokens.tag(last[1]) or "ns").startswith("ns") and before \
                            and (tokens.tag(before[1]) or "")[:1] in "vdp":
                        cut = last[0] - base  # 派员常驻|永宁支行: the branch's own name after the verbs
                begin = cut if cut is not None else begin
            level_word = re.search(r"[省市县区乡镇村]级", s_text[begin : m.start()])
            if level_word:
                # 省级农业龙头企业始兴县美青农业发展有限公司: the name starts at the place after the kind
                after = [p0 - base for p0 in tokens.place_starts if base + begin + level_word.end() <= p0 < base + m.start()]
                if not after:
                    continue  # 县级服务中心: a kind of body, not one named
                begin = min(after)
            prev = tokens.word_before(base + m.start(), base + begin) if len(suffix) == 1 and not tokens.crosses(
                base + m.start()) else None  # 监|分局: the suffix inside a word of its own kind
            if prev and len(prev[1]) == 1 and (tokens.tag(prev[1]) or "")[:1] in "va":
                continue  # 破|局, 建强|支部: a verb before the one-character suffix, no body
            if suffix == "办" and "行" in s_text[max(begin, m.start() - 2) : m.start()]:
                continue  # 某支行|办的贷款, 某分行首|办: the verb 办 after a bank, no office
            if "某" in s_text[begin:end]:
                continue  # 天津某物流有限公司: a name withheld, no body named
            if s_text[begin : begin + 1] in "家个所" and re.search(r"(?:[\d一二三四五六七八九十两几多余]|另一)$", s_text[:begin]):
                continue  # 7家涉农专业担保公司, 另一家村办小微企业: a count of bodies of a kind, none named
            if typ_guess := suffix_types().get(suffix):
                body_text = s_text[begin : m.start()]
                founded = _FOUNDING.search(body_text) if typ_guess in ("Cooperative", "Enterprise") else None
                if founded:
                    # 村党支部领办|岳西县汤池茶叶专业合作社: the body founded starts at the place after the verb
                    after = [p0 - base for p0 in tokens.place_starts if base + begin + founded.end() <= p0 < base + m.start()]
                    if not after:
                        continue  # 党支部领办合作社: a kind of body in a sentence, none named
                    begin = min(after)
                    body_text = s_text[begin : m.start()]
                if typ_guess in ("Cooperative", "Enterprise") and (body_text.startswith(
                        ("大力", "积极", "全面", "加快", "推行", "推动", "发展", "鼓励", "引导", "支持", "全", "中国特色"))
                        or _COUNTED.search(body_text)):
                    continue  # 大力发展合作社, 全县共有专业合作社, 茶叶和马铃薯两个合作社: kinds of body, none named
            if (suffix in ("党支部", "党总支", "支部", "党委", "党组", "党工委") or s_text[:end].endswith(("支部", "支部委员会"))) \
                    and not _owner_before(
                    text, base + begin, base + m.start(), places, tokens):
                continue  # 建强党支部, 村党支部: a Party body is named by its place or organisation
            if any(s0 < begin < e0 for s0, e0 in taken):
                begin = min(e0 for s0, e0 in taken if s0 < begin < e0)
            if s_text[begin : begin + 1] == "暨":
                begin = max((s0 for s0, e0 in taken if e0 == begin), default=begin + 1)  # …领导小组|暨…: see below
            inner = [(s0, e0) for s0, e0 in taken if begin <= s0 and e0 <= m.start()]
            if inner:
                # (中共某县委员会|农村工作领导小组暨…: the body that ends right before 暨 is the one renamed)
                s0, e0 = min((se for se in inner if s_text[se[1] : se[1] + 1] in ("暨", "(")), default=min(inner))
                if s_text[e0 : e0 + 1] in ("暨", "("):
                    # 县委农村工作领导小组暨乡村振兴领导小组: a second name of the body just read
                    owner = next((a for a in finds.actors.values()
                                  if any(mm.start == base + s0 and mm.end == base + e0 for mm in a["mentions"])), None)
                    if owner is not None:
                        owner.setdefault("alt", set()).add(s_text[e0 + 1 : end].rstrip(")"))
                        taken.append((e0, end))
                        continue
                if s_text[e0 : e0 + 1] in _FUNCTION_CHARS + "、,":
                    begin = e0 + 1  # 县农业农村局和县电商服务中心: a second body after the first
                else:
                    begin = s0  # a name never starts before an organ read from the register (报|县委…)
            begin = max(begin, s_text.rfind("·", begin, m.start()) + 1)  # 新甘肃·|甘肃日报: a dot parts two names
            name = s_text[begin:end]
            body = name[: -len(suffix)]
            if not body or len(name) < 3 or (len(body) == 1 and body not in LEVEL_CHARS):
                continue
            if suffix == "部委" or re.fullmatch(r"(?:[省市县区州镇乡]{1,2}(?:委|政府))+", name):
                continue  # 区委区政府: two bodies, read below
            pair = re.fullmatch(r"(.+?[省市县区州旗])委([省市县区州旗])政府", name)
            if pair and pair.group(1).endswith(pair.group(2)):
                # 锦屏县委县政府: the Party committee and the government of one place.
                cut = base + begin + len(pair.group(1)) + 1
                _add_actor(finds, pair.group(1) + "委", "PartyOrganization", sent, base + begin, cut, text)
                _add_actor(finds, pair.group(1) + "政府", "GovernmentAgency", sent, cut, base + end, text)
                taken.append((begin, end))
                continue
            typ = _refine_type(name, suffix_types().get(suffix, "GovernmentAgency"))
            if not _proper_name(name, suffix, typ, tokens, g, base + begin):
                continue
            if typ == "FinancialInstitution" and not _bank_name_ok(name, tokens, g):
                continue
            for inner in [t for t in taken if begin <= t[0] and t[1] <= end]:
                _drop_mention(finds, base + inner[0], base + inner[1])  # 邮政储蓄银行 inside …银行X支行
                taken.remove(inner)
            if autonomous and name.startswith("区党委"):
                name = "自治" + name  # 区党委: an autonomous region's Party committee (a district has a 区委)
            _add_actor(finds, name.replace("“", "").replace("”", ""), typ, sent, base + begin, base + end, text)
            taken.append((begin, end))
            # An alternative name in brackets right after (…领导小组(乡村振兴领导小组)).
            _bracketed_name(finds, name.replace("“", "").replace("”", ""), s_text, end, taken, 20, 4)
        # A bare level plus body: 区委区政府 is two bodies, 省市委 is 省委 and 市委.
        for m in _BODY_RE.finditer(s_text):
            levels, body = m.group(1), m.group(2)
            own = places.get(base + m.end(1)) if body == "委" else None
            if own is not None and own[1] in ("province", "city", "county") and own[0] < base + m.end(1) - 1 \
                    and own[0] <= base + m.start() and not any(
                    s0 <= own[0] - base < e0 for s0, e0 in taken) \
                    and not _COMMITTEE_PART.match(s_text, m.end()):
                # 兰州市委, 贵州省委: the place's own level character (read with the place) opens its Party committee
                _add_actor(finds, text[own[0] : base + m.end()], "PartyOrganization", sent, own[0], base + m.end(), text)
                taken.append((own[0] - base, m.end()))
                continue
            if any(s0 <= m.start() < e0 for s0, e0 in taken) or tokens.crosses(base + m.start()):
                continue
            if levels in GENERIC_PLACES:
                continue  # 乡镇党委政府: the bodies of every township, none named
            if body == "委" and _COMMITTEE_PART.match(s_text, m.end()):
                continue
            if body == "委" and any(s0 <= m.end() < e0 for s0, e0 in taken):
                continue  # 市委乡村振兴办: one body, read by its suffix
            for lv in levels:
                if lv == "区" and body == "党委" and autonomous:
                    lv = "自治区"  # 区党委: an autonomous region's Party committee (a district has a 区委)
                _add_actor(finds, lv + body, _BODY_WORDS[body], sent, base + m.start(), base + m.end(), text)
            taken.append((m.start(), m.end()))
        # Banks by their usual short names (农行, 农发行).
        for m in _bank_re().finditer(s_text):
            if any(s0 <= m.start() < e0 for s0, e0 in taken) or tokens.crosses(base + m.start()):
                continue
            if s_text[m.end() : m.end() + 1] == "行" or s_text[m.end() : m.end() + 2] in ("银行", "支行", "分行") \
                    or tokens.crosses(base + m.end()):  # 农发行支行 is a branch, 农发行|支持 the bank
                continue
            begin = base + m.start()
            whole = begin - 2 if text[begin - 2 : begin - 1] == "全" and text[begin - 1 : begin] in LEVEL_OF_CHAR else None
            if whole is not None and whole in places:
                # 福建全省农行: the bank's branch of that place (its whole network there)
                place_start = places[whole][0]
                _add_actor(finds, text[place_start:whole] + m.group(0), "FinancialInstitution", sent, place_start,
                           base + m.end(), text)
                continue
            if begin in places and not (text[places[begin][0]] in _FUNCTION_CHARS and begin - places[begin][0] == 2):
                begin = places[begin][0]  # 渠县农商行: the bank of that place (和|县农商行: the conjunction)
            elif text[begin - 1 : begin] in LEVEL_OF_CHAR and ((begin - 1) in tokens.starts or begin in places
                                                              or joined_after_body(text, begin - 1)):
                begin -= 1  # 县农商行 (县邮储银行和|县农商行: after a body 和 joins, it is not the county 和县)
            else:
                begin -= _short_place_before(text, begin, tokens, g)  # 黄梅农发行: a county by its usual short name
            _add_actor(finds, text[begin : base + m.end()], "FinancialInstitution", sent, begin, base + m.end(), text)
        # The people's political consultative conference of the place (组织政协委员…).
        for m in (_YOUTH_LEAGUE.finditer(s_text) if "团" in s_text else ()):
            # 团县委: the Communist Youth League's committee of the place (O10), read like 县委
            if not any(s0 < m.end() and m.start() < e0 for s0, e0 in taken) and not tokens.crosses(base + m.start()) \
                    and not re.match(r"书记|副书记|常委|委员", s_text[m.end():]):
                _add_actor(finds, m.group(0), "SocialOrganization", sent, base + m.start(), base + m.end(), text)
                taken.append((m.start(), m.end()))
        for m in (_CPPCC.finditer(s_text) if "政协" in s_text else ()):
            if not any(s0 <= m.start() < e0 for s0, e0 in taken) and not tokens.crosses(base + m.start()):
                _add_actor(finds, m.group(1) + "政协" if m.group(1) else "政协", "GovernmentAgency", sent,
                           base + m.start(), base + m.end(), text)
        for m in (_MINISTRIES.finditer(s_text) if "部委" in s_text else ()):
            name = re.sub(r"[“”\"]", "", m.group(0))
            _add_actor(finds, name, "GovernmentAgency", sent, base + m.start(), base + m.end(), text)
        _find_national(text, sent, finds, tokens, taken)
        _find_people(text, sent, finds, tokens)
        for m in (_EVERY_PLACES_BODIES.finditer(s_text) if "各" in s_text else ()):
            # 各县(市、区)财政局、农业农村局: the bodies of every county, none named
            for name in [n for n, a in finds.actors.items() if a["type"] != "Person" and any(
                    base + m.start() <= mm.start < base + m.end() for mm in a["mentions"])]:
                for mm in [mm for mm in finds.actors[name]["mentions"] if base + m.start() <= mm.start < base + m.end()]:
                    _drop_mention(finds, mm.start, mm.end)
    _find_paired_places(text, sentences, finds)
    _join_broken_names(text, sentences, finds)
    _merge_declared_short_names(text, finds)
    _merge_bare_branches(finds)
    _drop_title_only(text, finds)


def _short_place_before(text: str, pos: int, tokens: Tokens, g: Gazetteer) -> int:
    """Length of the usual short name of a county or city (黄梅 of 黄梅县) that ends at ``pos`` as a word of its own, or 0."""
    for n in (3, 2):
        short = text[pos - n : pos]
        if len(short) == n and (pos - n) in tokens.starts and g.shortened(short):
            return n
    return 0


# What an anaphor's noun refers to: 该行 a bank, 该局 a bureau, 该公司 a company …
_ANAPHOR_KINDS = {"行": ("银行", "支行", "分行", "农商行", "农发行", "信用社", "联社"), "支行": ("支行",), "分行": ("分行",),
                  "局": ("局",), "公司": ("公司", "集团"), "集团": ("集团",), "社": ("社",), "合作社": ("合作社",),
                  "中心": ("中心",), "厅": ("厅",), "委": ("委", "委员会"), "部": ("部",), "村": ("村委会", "村民委员会"),
                  "营业部": ("营业部",)}
_ANAPHOR = re.compile(r"该(营业部|支行|分行|合作社|公司|集团|中心|行|局|社|厅|委|部)|([两三四五六七八九十])家(银行|金融机构|企业|公司)")
_COUNTS = {"两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def anaphor_referents(text: str, finds: Finds) -> list[tuple[int, int, tuple[str, ...]]]:
    """The bodies 该行, 该局, 该公司 and 两家银行 refer to: (start, end, surface names of the referents).

    Each anaphor points to the body of its kind named last before it (两家银行: the last two banks).
    Kept apart from the actors' mentions, whose surfaces become aliases.

    >>> from kg.extract.common import Tokens
    >>> from kg.segment import split_sentences
    >>> text = "农发行大悟县支行贷款余额突破50亿元。该行今年投放贷款10亿元。"
    >>> finds, tokens = Finds(), Tokens(text)
    >>> find_actors(text, split_sentences(text), finds, tokens)
    >>> anaphor_referents(text, finds)
    [(19, 21, ('农发行大悟县支行',))]
    """
    out = []
    for m in _ANAPHOR.finditer(text):
        if m.group(1):
            endings = _ANAPHOR_KINDS[m.group(1)]
            fits = [(mm.start, name) for name, a in finds.actors.items() if a["type"] != "Person"
                    and name.endswith(endings) for mm in a["mentions"] if mm.start < m.start()]
            chosen = [max(fits)[1]] if fits else []
        else:
            kind = ("FinancialInstitution",) if m.group(3) in ("银行", "金融机构") else ("Enterprise", "FinancialInstitution")
            last: dict[str, int] = {}
            for name, a in finds.actors.items():
                starts = [mm.start for mm in a["mentions"] if mm.start < m.start()]
                if a["type"] in kind and starts:
                    last[name] = max(starts)
            chosen = sorted(last, key=last.get)[-_COUNTS[m.group(2)]:] if len(last) >= _COUNTS[m.group(2)] else []
        if chosen:
            out.append((m.start(), m.end(), tuple(chosen)))
    return out


_OFFICE_ON_NEXT_LINE = re.compile(r"[ \t]*\n\s*办公室")
_BROKEN_LINE = re.compile(r"(?:^|\n)([^\n,。;:!?,:;]{2,30}[暨和及与])\s*\n\s*$")


def _join_broken_names(text: str, sentences: tuple[Sentence, ...], finds: Finds) -> None:
    """A name a title breaks after a conjunction (X区委农村工作暨|实施…领导小组办公室) is one name over both lines."""
    for name, entry in list(finds.actors.items()):
        if entry["type"] == "Person" or name not in finds.actors:
            continue
        for m in list(entry["mentions"]):
            office = _OFFICE_ON_NEXT_LINE.match(text, m.end) if name.endswith("领导小组") else None
            if office:  # …农村工作领导小组 | 办公室关于…: the group's office
                _drop_mention(finds, m.start, m.end)
                _add_actor(finds, name + "办公室", entry["type"], sentence_of(sentences, m.start), m.start, office.end(), text)
                break
            line = text.rfind("\n", 0, m.start) + 1  # 实施|…领导小组办公室: the line may open with a word the name lost
            if m.start - line > 4 or re.search(r"[,。;:!?,:;\s]", text[line : m.start]):
                continue
            head = _BROKEN_LINE.search(text, max(0, line - 40), line)
            if head is None:
                continue
            h0 = head.start(1)
            for other in list(finds.actors):
                if other in finds.actors:
                    for mm in [mm for mm in finds.actors[other]["mentions"] if h0 <= mm.start < head.end(1)]:
                        _drop_mention(finds, mm.start, mm.end)  # 区委 inside the first line
            _drop_mention(finds, m.start, m.end)
            joined = head.group(1) + text[line : m.end]
            _add_actor(finds, joined, _refine_type(joined, entry["type"]), sentence_of(sentences, m.start), h0, m.end, text)
            break


_DECLARED_SHORT = re.compile(r"\((?:以下简称|以下称|简称|下称)[:“\"]?([^()“”\"]{2,12})[”\"]?\)")


def _move_mentions(finds: Finds, source: str, target: str) -> None:
    """Record ``source``'s mentions under ``target``: one body read under two names."""
    entry = finds.actors.pop(source)
    finds.actors[target]["mentions"].extend(entry["mentions"])
    finds.actors[target].setdefault("alt", set()).update({source, *entry.get("alt", ())})


def _merge_declared_short_names(text: str, finds: Finds) -> None:
    """A short name the report declares (X(以下简称Y)) names X wherever Y is read alone."""
    declared: dict[str, str] = {}
    for name, entry in list(finds.actors.items()):
        alts = entry.get("alt")
        if alts:  # X(以下简称Y) read as a second name: Y itself
            entry["alt"] = {_DECLARED_SHORT.sub(r"\1", f"({a})") if _DECLARED_SHORT.fullmatch(f"({a})") else a for a in alts}
        if entry["type"] == "Person":
            continue
        for m in entry["mentions"]:
            short = _DECLARED_SHORT.match(text, m.end)
            if short:
                declared.setdefault(short.group(1), name)
                entry.setdefault("alt", set()).add(short.group(1))
    for short, target in declared.items():
        for name in [n for n, a in finds.actors.items() if n != target and a["type"] != "Person" and (
                n == short or all(text[m.start:m.end] == short for m in a["mentions"]))]:
            if target in finds.actors:
                _move_mentions(finds, name, target)  # 安徽农担 after 安徽省农业信贷融资担保有限公司(简称安徽农担)


_BARE_BRANCH = re.compile(r"[^行]{2,12}(?:支行|分行)")


def _merge_bare_branches(finds: Finds) -> None:
    """A branch named by its place alone (岳西县支行) is the one bank's branch of that place the report names."""
    for name in [n for n, a in finds.actors.items() if a["type"] == "FinancialInstitution" and _BARE_BRANCH.fullmatch(n)]:
        owners = [n for n, a in finds.actors.items() if a["type"] == "FinancialInstitution" and n != name
                  and n.endswith(name) and "行" in n[: -len(name)]]
        if owners and len({_bank_key(n[: -len(name)]) for n in owners}) == 1:
            _move_mentions(finds, name, max(owners, key=len))  # 农发行岳西县支行 and 中国农业发展银行岳西县支行: one bank


def _bank_key(bank: str) -> str:
    """One form for a bank's names (农发行, 农业发展银行 -> 中国农业发展银行)."""
    full = bank_abbreviations().get(bank)
    if full:
        return full[0]
    return next((b.full for b in banks() if b.full and bank in (b.core, b.full)), bank)


def _drop_title_only(text: str, finds: Finds) -> None:
    """Forget bodies named only inside people's posts (镇党委委员、副镇长杨某; 县委常委): they do not act."""
    for name in list(finds.actors):
        entry = finds.actors[name]
        if entry["type"] == "Person" or entry["type"] == "SocialOrganization":
            continue
        if entry["mentions"] and all(text.startswith(_POSTS, m.end) and not text.startswith("常委会", m.end)
                                     and not (name.endswith("政协") and text.startswith("委员", m.end))
                                     for m in entry["mentions"]):
            del finds.actors[name]


def _find_paired_places(text: str, sentences: tuple[Sentence, ...], finds: Finds) -> None:
    """Places acting together (广陵区与佳县签订协作协议): each place acts, as its government."""
    spans = sorted((m.start, m.end, r["name"], r["level"]) for r in finds.regions.values() for m in r["mentions"])
    for (s1, e1, n1, l1), (s2, e2, n2, l2) in zip(spans, spans[1:]):
        if l1 not in ("city", "county") or l2 not in ("city", "county") or n1 == n2:  # provinces pair as partners
            continue
        if text[e1:s2] not in ("与", "和", "同", "、") or not re.match(r"[^,。;]{0,8}?(签订|签署|签约|携手)", text[e2:]):
            continue
        sent = sentence_of(sentences, s1)
        _add_actor(finds, n1, "GovernmentAgency", sent, s1, e1, text)
        _add_actor(finds, n2, "GovernmentAgency", sent, s2, e2, text)


def _inside_longer_quote(s: str, start: int, end: int) -> bool:
    """True inside a quoted programme name that goes on after the suffix (“千企联村家乡行”)."""
    open_q = s.rfind("“", 0, start)
    if open_q < 0 or s.rfind("”", 0, start) > open_q:
        return False
    close_q = s.find("”", end)
    return close_q > end and close_q - open_q <= 20  # a quoted sentence is no programme name


# The members or kind of co-operative after a place (某县农民合作社): the place's co-operatives in general.
_GENERIC_MEMBERS = re.compile(r"(?:农民|农民专业|专业|农业|农村|农机|畜牧|种植|养殖|各类|新型)?")


def _without_leading_places(body: str, g: Gazetteer) -> str:
    """``body`` without the place names it opens with (吉林省梨树县农民 -> 农民); after the first, only full names, so the
    brand of 某县兴隆种植专业合作社 (兴隆, a county's short form elsewhere) stays."""
    rest = body
    while True:
        for k in range(min(len(rest), 10), 1, -1):
            if any(d.level != "village" and (d.name == rest[:k] or rest is body and d.level in ("province", "city", "county"))
                   for d in g.by_name(rest[:k])):
                rest = rest[k:]
                break
        else:
            return rest


def _proper_name(name: str, suffix: str, typ: str, tokens: Tokens, g: Gazetteer, start: int) -> bool:
    """Named organisations only: 种植合作社 or 示范性合作社 name no one."""
    body = name[: -len(suffix)]
    if name == "营业部":
        return False  # (该)营业部: a bank's business department named by its kind alone, not a department of government
    if typ == "FinancialInstitution" and name.startswith(_bank_heads()):
        return True  # 招商银行: a bank of the register
    if typ in ("Cooperative", "Enterprise") and re.search(r"[和及与]", body) and not any(g.by_name(w) for w in re.split(r"[和及与]", body)):
        return False  # 龙头企业和农民专业合作社: kinds of body joined, none named
    if typ in ("Cooperative", "Enterprise") and any(d.level in ("province", "city") for d in g.by_name(body)):
        return False  # 河北省家庭农场: the farms of a province or city, none named (a village's cooperative is one)
    if typ == "Cooperative" and (kind := _without_leading_places(body, g)) != body and _GENERIC_MEMBERS.fullmatch(kind):
        return False  # 某县农民合作社, 某省农民专业合作社: a place's co-operatives of a kind, none named
    if suffix in ("专业合作社", "股份经济合作社", "经济合作社") and len(body) >= 4 and not body.startswith(
            ("农民", "新型", "各类", "各", "该", "本", "村级", "专业", "农村", "一批", "多家", "大力", "发展", "成立", "组建")) \
            and not (tokens.tag(tokens.word_at.get(start, "")) or "").startswith("v"):
        return True  # 绿源果蔬专业合作社: a brand, what it grows, and its kind (not 协同|农民专业合作社: a verb first)
    if re.match(r"^(?:省|市|县|区|乡|镇|村)级", body) or body in GENERIC_PLACES:
        return False  # 县级服务中心, 乡镇中心: a kind of body, not one named
    scope = next((w for w in _WIDE_SCOPES if body.startswith(w)), "")
    if scope and typ not in ("Cooperative", "Enterprise") and (len(body) > 2 and typ != "FinancialInstitution" or not any(
            (tokens.tag(w) or "v")[:1] in "nab" for w in tokens.words_in(start + len(scope), start + len(body)))):
        return True  # 国际农业发展基金会, 中国扶贫基金会, 世界银行, 亚洲开发银行; not 世界一流银行
    if typ in ("GovernmentAgency", "PartyOrganization") and suffix in name_endings() and not suffix.endswith(
            tuple(dict(ORG_SUFFIX_TYPES))):  # 管理|委员会 keeps the rules of 委员会
        # 江苏省对口帮扶陕西省|工作队, 苏陕|工作队; not 乡村振兴金融服务|工作队: a team is named by its place
        return start in tokens.place_starts or body[:1] in LEVEL_OF_CHAR and tokens.word_at.get(start) in (body[:1], body[:3]) \
            or len(body) == 2 and tokens.tag(body) is None or any(
            d.level != "village" for k in range(2, min(len(body), 8) + 1) for d in g.by_name(body[:k]))
    if suffix in ("有限公司", "股份有限公司", "有限责任公司") or body[:1] in "省市县区州镇乡":
        return True
    if suffix in ("中心", "服务中心", "办公室") and len(body) >= 4:
        return True
    if typ in ("GovernmentAgency", "PartyOrganization") and suffix not in ("中心", "服务中心", "办公室", "委员会"):
        return True
    # Enterprises, banks, co-operatives, associations and centres need a proper part:
    # a place, a word jieba does not know (a brand) or a proper noun.
    for i in range(len(body)):
        for j in range(min(len(body), i + 8), i + 1, -1):
            piece = body[i:j]
            if any(d.level != "village" or piece.endswith(("村", "社区", "嘎查")) for d in g.by_name(piece)):
                return True
    if len(body) == 2 and tokens.tag(body) is None:
        return True  # an abbreviation or brand jieba does not know (农担公司)
    words = tokens.words_in(start, start + len(body))
    for w in words:
        tag = tokens.tag(w)
        if tag is None and len(w) >= 2 or (tag or "").startswith(("nr", "ns", "nt", "nz")) or tag == "j" and (
                len(body) >= 4 or typ == "Enterprise"):  # 中粮|集团: a company's abbreviation
            return True  # a brand, a proper noun or a place's abbreviation in a longer name (粤桂…联盟)
    if len(words) >= 2 and all(len(w) == 1 and tokens.tag(w) is None for w in words[:2]):
        return True  # 仁|居|水电厂: characters jieba cannot place are a proper name
    return typ in ("GovernmentAgency", "PartyOrganization", "FinancialInstitution") and len(body) >= 4


def _drop_mention(finds: Finds, start: int, end: int) -> None:
    """Forget a name read at [start, end): a longer name read later contains it."""
    for name in list(finds.actors):
        entry = finds.actors[name]
        entry["mentions"] = [m for m in entry["mentions"] if (m.start, m.end) != (start, end)]
        if not entry["mentions"]:
            del finds.actors[name]


# A department inside a bank's branch (客户部, 零售金融部, 普惠部), not its 营业部 or 营业管理部.
_BANK_DEPARTMENT = re.compile(r"(.+(?:支行|分行|银行|联社|信用社))([\u4e00-\u9fff]{1,6}部)")


def _add_actor(finds: Finds, name: str, typ: str, sent: Sentence, start: int, end: int, text: str) -> bool:
    """Record a mention of an actor; False if the name names no one."""
    if "辖内" in name or name.endswith("中小银行"):
        return False  # 某市辖内农村中小银行, 农村中小银行: banks of a kind, none named (FORMAT.md: no generic groups)
    if typ == "Person" and "某" in name:
        return False  # 养殖户孙某: a name withheld, no person named
    department = _BANK_DEPARTMENT.fullmatch(name) if typ == "FinancialInstitution" else None
    if department and not department.group(2).endswith(("营业部", "营业管理部")):
        # 某支行零售金融部, 某分行普惠部: the bank's branch acts through its department (not 营业部, a branch office)
        name, end = department.group(1), start + len(department.group(1))
    entry = finds.actors.setdefault(name, {"name": name, "type": typ, "mentions": [], "post": None})
    entry["mentions"].append(Mention(text[start:end], start, end, sent.index))
    return True


def _find_people(text: str, sent: Sentence, finds: Finds, tokens: Tokens) -> None:
    s = sent.text
    # A name that jieba knows as a person, right before a post (…董事长, …总书记).
    for m in _LEADER_POSTS.finditer(s):
        found = tokens.word_before(sent.start + m.start(), sent.start)
        if found and (tokens.tag(found[1]) or "").startswith("nr") and len(found[1]) >= 2:
            start = found[0]
            if _add_actor(finds, found[1], "Person", sent, start, start + len(found[1]), text):
                finds.actors[found[1]]["post"] = m.group(0)
    for m in (_PROFILE_RE.finditer(s) if "男" in s or "女" in s else ()):
        name = _person_at(s, m.start(1), tokens, sent.start)
        if name == m.group(1):  # 张三,男,1970年生: a person's profile opens with the name
            _add_actor(finds, name, "Person", sent, sent.start + m.start(1), sent.start + m.end(1), text)
    for m in _SPEAKER_RE.finditer(s):
        name = _person_at(s, m.start(1), tokens, sent.start)
        tail_tag = tokens.tag(name[1:]) if name else None
        if tail_tag and not tail_tag.startswith("nr") and (len(name) == 2 or len(name[1:]) == 2):
            continue  # 向记者介绍, 都在说: a surname character before a common word
        if name == m.group(1) and (tokens.tag(name) or "nr").startswith("nr") and name not in finds.actors:
            start = sent.start + m.start(1)
            _add_actor(finds, name, "Person", sent, start, start + len(name), text)
    for m in (_RESIDENT_RE.finditer(s) if "家住" in s else ()):
        pos = m.start(1) if m.group(1) else m.start(2)
        name = _person_at(s, pos, tokens, sent.start)
        if name and name == (m.group(1) or m.group(2))[: len(name)] and name not in finds.actors:
            _add_actor(finds, name, "Person", sent, sent.start + pos, sent.start + pos + len(name), text)
    for m in _TITLE_NAME_RE.finditer(s):
        title = m.group(1)
        if any(t in s[max(0, m.start() - 6) : m.start() + len(title)] for t in _NOT_PERSON_TITLES) \
                or _CONTACT_LINE.match(s, m.start()):
            continue
        pos = m.start(2)
        while True:
            name = _person_at(s, pos, tokens, sent.start)
            if name is None:
                spoken = _NAME_THEN_SPEECH.match(s, pos)
                cand = spoken.group(1) if spoken and spoken.group(1)[0] in _SURNAMES else ""
                # 副厅长黄庙介绍: between a title and a verb of speech stands a name, unknown to jieba or read as a place
                # (not 向记者, 高兴地: a surname character before a common word or an adverb)
                name = cand if cand and (tokens.tag(cand) or "ns").startswith(("ns", "nr")) and cand[-1] not in "地得的了" \
                    and not (len(cand) == 3 and tokens.tag(cand[1:])) else None
            if name is None:
                break
            start = sent.start + pos
            if _add_actor(finds, name, "Person", sent, start, start + len(name), text):
                finds.actors[name]["post"] = title
            pos += len(name)
            # A list of names after the title (张三、李四等).
            if s[pos : pos + 1] != "、":
                break
            pos += 1
    # A transliterated name (木沙·依斯热依力) is a person wherever it stands, unless an outlet or body.
    for m in (_DOTTED_NAME.finditer(s) if "·" in s else ()):
        left = m.group(1)
        cut = max((left.rfind(c) for c in "的是在和与及由对向为被把将了住"), default=-1)
        title = next((t for t in _TITLES_LONGEST_FIRST if left[cut + 1 :].startswith(t)), "")
        cut += len(title)  # 村民|阿依古丽·买买提: the title before the name is no part of it
        left = left[cut + 1 :]
        start = m.start(1) + cut + 1
        right = _foreign_right(m.group(2), sent.start + m.start(2), tokens)
        if len(right) < 2:
            continue
        name = left + "·" + right
        if len(left) < 2 or suffix_re().search(left[-3:]) or name in finds.actors or suffix_re().search(right) \
                or _photo_credit(name, s, start + len(name)) \
                or any(t in right for t in _NOT_PERSON_TITLES) or _product_or_place_part().search(name) \
                or not _foreign_left_ok(left, tokens, sent.start + start):
            continue  # 推出乡村振兴·民宿贷: words of a sentence and a product, not a transliterated name
        if any(mm.start <= sent.start + start < mm.end for a in finds.actors.values() for mm in a["mentions"]):
            continue
        _add_actor(finds, name, "Person", sent, sent.start + start, sent.start + start + len(name), text)


def _photo_credit(name: str, s: str, end: int) -> bool:
    """``name`` ends in 摄 at the end of its line or sentence: a photographer's credit, a byline (FORMAT.md: no actor).

    >>> _photo_credit("阿不都·买买提摄", "图为现场。阿不都·买买提摄", 14), _photo_credit("阿不都·买买提", "阿不都·买买提说", 7)
    (True, False)
    """
    return name.endswith("摄") and not "\u4e00" <= s[end : end + 1] <= "\u9fff"


# One-character words that follow a name and are no part of it (阿不都|了, 买买提|在).
_AFTER_A_NAME = frozenset("的是在和与曾说等已也就将被把从为了")


def _foreign_right(rest: str, at: int, tokens: Tokens) -> str:
    """The part after the · of a transliterated name, from ``rest`` written at ``at``, without the words that follow."""
    right, pos = "", at
    while len(right) < len(rest):
        word = tokens.word_at.get(pos) or rest[len(right)]
        word = word[: len(rest) - len(right)]
        if right and len(word) >= 2 and (tokens.tag(word) or "n")[:1] in "vdpcuart":
            break  # 依斯热依力|顺利获得: the name ends before the sentence goes on
        if right and word in _AFTER_A_NAME:
            break
        right += word
        pos += len(word)
    return right


def _foreign_left_ok(left: str, tokens: Tokens, at: int) -> bool:
    """The part before the · of a transliterated name (at ``at``): no outlet or place, six characters at most, no verb."""
    return not _media_name(left) and len(left) <= 6 and not load_gazetteer().by_name(left, villages=False) and not any(
        len(w) >= 2 and (tokens.tag(w) or "nr")[:1] == "v" for w in tokens.words_in(at, at + len(left)))


def _tibetan_name_at(s: str, pos: int, tokens: Tokens, sent_start: int = 0) -> str | None:
    """A Tibetan personal name starting at ``pos``: two name elements (次仁多杰), or one and a part that jieba knows as
    no word or as a noun, not an organisation or a title (才让东主; not 扎西家中, 卓玛书记), or one alone (扎西), ending
    where a word ends.

    >>> from kg.extract.common import Tokens
    >>> s = "村民才让东主今年扩大养殖,牧民扎西说。"
    >>> _tibetan_name_at(s, 2, Tokens(s)), _tibetan_name_at(s, 15, Tokens(s))
    ('才让东主', '扎西')
    """
    elements = tibetan_name_elements()
    four = s[pos : pos + 4]
    if len(four) == 4 and all("\u4e00" <= c <= "\u9fff" for c in four) and (four[:2] in elements or four[2:] in elements) \
            and not tokens.crosses(sent_start + pos + 4):
        other = four[2:] if four[:2] in elements else four[:2]
        tag = tokens.tag(other) or "nr"
        if other in elements or (tag.startswith("n") and tag != "nt" and other not in _PERSON_TITLES):
            return four
    if s[pos : pos + 2] in elements and not tokens.crosses(sent_start + pos + 2):
        return s[pos : pos + 2]
    return None


def _person_at(s: str, pos: int, tokens: Tokens, sent_start: int = 0) -> str | None:
    """A Chinese personal name (surname + one or two characters) starting at ``pos``."""
    foreign = _TRANSLITERATED.match(s, pos)
    left = foreign.group(0).split("·")[0] if foreign else ""
    if foreign and not suffix_re().search(foreign.group(0)) and _foreign_left_ok(left, tokens, sent_start + pos):
        name, end = foreign.group(0), sent_start + foreign.end()
        at = sent_start + pos + len(left) + 1
        while at < end:  # 阿不都|去年养了: a time word or a function word ends the name (jieba's verbs inside do not)
            word = tokens.word_at.get(at) or s[at - sent_start]
            if at > sent_start + pos + len(left) + 1 and ((tokens.tag(word) or "")[:1] == "t" or word in _AFTER_A_NAME):
                name, end = name[: at - sent_start - pos], at
                break
            at += len(word)
        last = tokens.word_before(end, end - len(name) + len(left) + 2)
        if last and last[0] + len(last[1]) == end and len(last[1]) >= 2 and (tokens.tag(last[1]) or "n")[:1] in "vdpc" \
                and tokens.word_at.get(last[0]) == last[1]:
            name = name[: len(name) - len(last[1])]  # 阿布来提|介绍: the verb after the name
        if _photo_credit(name, s, pos + len(name)):
            return None
        return name  # 努尔买买提·阿布来提: a transliterated name (乡村振兴·民宿贷 is no name)
    tibetan = _tibetan_name_at(s, pos, tokens, sent_start)
    if tibetan:
        return tibetan
    if s[pos : pos + 2] in _COMPOUND_SURNAMES:
        for length in (4, 3):
            cand = s[pos : pos + length]
            if len(cand) == length and all("\u4e00" <= c <= "\u9fff" for c in cand) and not tokens.crosses(
                    sent_start + pos + length) and cand[-1] not in "说讲称道等在是了的":
                return cand  # 欧阳明辉: a two-character surname and its given name
        return None
    if pos >= len(s) or s[pos] not in _SURNAMES:
        return None
    if tokens.word_at.get(sent_start + pos) == s[pos] and (tokens.tag(s[pos]) or "")[:1] in "dcpu":
        return None  # 村民|都|来了: a surname character read as an adverb or a function word, no name
    given = tokens.word_at.get(sent_start + pos + 1, "")
    if tokens.word_at.get(sent_start + pos) == s[pos] and len(given) >= 2 and (tokens.tag(given) or "")[:1] in "sf":
        return None  # 党员|来|村里: a surname character before a word of place (村里, 镇上), no name
    if (tokens.tag(s[pos : pos + 2]) or "n")[:1] in "vdcpu":
        return None  # 县长|强调要: a verb, not a name
    word = tokens.word_at.get(sent_start + pos, "")
    if len(word) > 3 and not (tokens.tag(word) or "").startswith("nr") or len(word) == 3 and (tokens.tag(word) or "nr")[:1] == "n" \
            and not (tokens.tag(word) or "").startswith("nr"):
        return None  # 种植户|马铃薯: the characters begin a longer common word, no name
    if len(word) >= 2 and s[pos + len(word) : pos + len(word) + 1] in _VILLAGE_GROUP_AFTER:
        return None  # 村民|杨家坪|组: a hamlet's name, no person
    for length in (3, 2):
        cand = s[pos : pos + length]
        if length == 3 and (cand[-1] in "地得" and len(word) == 2 or s[pos + 3 : pos + 4] in _VILLAGE_GROUP_AFTER
                            and len(tokens.word_at.get(sent_start + pos + 3, "")) <= 1):  # (刘光辉|组织: a word of its own)
            continue  # 村民|高兴地说, 村民|杨家坪组: an adverb or a village group, no name
        if len(cand) < length or not all("\u4e00" <= c <= "\u9fff" for c in cand):
            continue
        third = tokens.word_at.get(sent_start + pos + 2, "") if length == 3 else ""
        if len(third) >= 2 and not (tokens.tag(third) or "").startswith("nr") and word != cand \
                or len(third) == 1 and (tokens.tag(third) or "")[:1] in "dpcu" and len(word) == 2 \
                and (tokens.tag(word) or "").startswith("nr"):
            continue  # 王建|就是, 李娜|正|俯身: the third character is a word of its own, after a two-character name
        if length == 3 and cand[-1] in "说讲称道等的了":
            continue  # 刘丽说, 张三的带领: the name without the verb or particle
        if length == 3 and cand[-1] in "村镇乡":
            return None  # 冯家镇|长柏家村: a village after a place's title-like tail, no person
        if length == 3 and cand[1:] in ("记者", "书记", "主任", "同志", "先生", "女士", "老师", "师傅"):
            return None  # 向记者: a surname character before a common noun
        if length == 2 and cand[1] in "在是了的也都就还又把被给和与将":
            return None  # 村民都在…: a surname character before a function word
        if length == 3 and cand[-1] in "到在来去对把被给向从和与将也都就还又再带时" and not tokens.crosses(
                sent_start + pos + 2) and not tokens.crosses(sent_start + pos + 3):
            continue  # 周平|到|现场: a one-character word after a two-character name
        if s[pos + length : pos + length + 2] in _ADDRESS_WORDS or cand[1:] in _ADDRESS_WORDS:
            return None  # 张大爷, 李大姐: a way of addressing someone, not a name
        tag = tokens.tag(cand)
        if tag is not None:
            if tag.startswith("nr"):
                return cand
            continue
        nxt = s[pos + length : pos + length + 1]
        ends_word = not tokens.crosses(sent_start + pos + length)
        kin = s[pos + length :].startswith(("爱人", "夫妇", "夫妻", "一家", "老伴", "妻子", "丈夫"))
        if not nxt or not "\u4e00" <= nxt <= "\u9fff" or nxt in "说等表介指是在和与的带" or ends_word or kin:
            if length == 3 and tokens.tag(cand[1:]) is not None and not ends_word and not kin:
                continue
            return cand
    return None


# --- Registers: organs after a place, outlets in datelines -------------------------------------

# A level character after these is a count or a scope (全县, 各乡, 两区), not a place.
_NOT_A_PLACE_BEFORE = "全各本该我每此两三四五六七八九十一二百千数多该其"
# Tails that other rules read (区委区政府, 锦屏县政府) or that need more than a place before them.
_TAILS_READ_ELSEWHERE = frozenset({"委", "政府", "人民政府"})
_VILLAGE_TAILS = ("村民委员会", "居民委员会")
# Characters that are words of their own before a level character (和|县委, 与|市财政局).
_FUNCTION_CHARS = "和与及同并或向在对将把被由从"


def _place_spans(finds: Finds) -> dict[int, tuple[int, str]]:
    """Where a named place ends -> (where its chain of places starts, the level of the last place)."""
    ends: dict[int, tuple[int, str]] = {}
    for r in finds.regions.values():
        for m in r["mentions"]:
            ends[m.end] = (m.start, r["level"])
    # 西宁市城北区: a place right after a place makes one chain.
    for end in sorted(ends):
        start, level = ends[end]
        if start in ends:
            ends[end] = (ends[start][0], level)
    return ends


@lru_cache(maxsize=1)
def _organ_automaton() -> tuple[object, list[str]]:
    """Aho-Corasick over every organ form of the register (full and short; every match, overlapping), and the forms."""
    import ahocorasick_rs

    tails = sorted(organ_tails() - _TAILS_READ_ELSEWHERE)
    return ahocorasick_rs.AhoCorasick(tails), tails


_BRACKETED = re.compile(r"\(([^()]{2,20})\)")


def _bracketed_name(finds: Finds, name: str, s: str, end: int, taken: list[tuple[int, int]], longest: int,
                    tail: int, free: bool = False) -> None:
    """A body's second name in brackets right after its name (at most ``longest`` characters, ending in a
    suffix within its last ``tail``), kept as an alias; ``free``: only where no name is read already."""
    alt = _BRACKETED.match(s, end)
    if alt is None or len(alt.group(1)) > longest or not suffix_re().search(alt.group(1)[-tail:]):
        return
    if free and any(s0 < alt.end() and end < e0 for s0, e0 in taken):
        return
    finds.actors[name].setdefault("alt", set()).add(alt.group(1))
    taken.append((end, alt.end()))


# What joins the bodies of one place in a list (县农业农村局、财政局; 县乡村振兴局会同发改委).
_LIST_JOIN = re.compile(r"、|和|及|与|会同|联合|以及|[\d.]+(?:万|亿|万亿)?元、")  # (省农业农村厅2亿元、水利厅1亿元: each with its sum)


def _find_register_organs(text: str, sent: Sentence, finds: Finds, tokens: Tokens, taken: list[tuple[int, int]],
                          places: dict[int, tuple[int, str]], g: Gazetteer) -> None:
    """Organs of the register written after a place or a level character (县人社局, 渠县纪委监委)."""
    s, base = sent.text, sent.start
    auto, tails = _organ_automaton()
    hits = sorted(((start, end, tails[i]) for i, start, end in auto.find_matches_as_indexes(s, overlapping=True)),
                  key=lambda h: (h[0], -h[1]))
    last_end, last_place, last_name = -1, None, None
    for start, end, tail in hits:
        if start < last_end or any(s0 < end and start < e0 for s0, e0 in taken):
            continue
        if tokens.crosses(base + end) and not tail.startswith("委"):
            continue  # 财政资金, 政法委员: the tail runs on into a longer word
        if _DOC_NUMBER.match(s, end):
            continue  # 巴南委农办发〔2022〕1号: the prefix of a document number, not a mention
        place = _place_before(text, base + start, tokens, places, g, tail, base + last_end if last_end >= 0 else -1)
        if place is None and last_place is not None and (start == last_end or _LIST_JOIN.fullmatch(s, last_end, start)):
            # 县纪委监委, 县农业农村局、财政局、发改委, 县乡村振兴局会同发改委: one place for the bodies listed after it
            place = (base + start, last_place[1], last_place[2], start)
        if place is None and s[start - 1 : start] == "、" and (tail in _VILLAGE_TAILS or tail.startswith(("村委", "居委"))):
            # 汤池村党支部、村委会: the village committee of the village whose Party branch opens the list
            clause = s[max(s.rfind(c, 0, start) for c in ",。;:") + 1 : start - 1]
            branch = _VILLAGE_BRANCH.search(clause)
            village = next((branch.group(1)[k:] for k in range(len(branch.group(1)) - 1) if any(
                d.level == "village" for d in g.by_name(branch.group(1)[k:]))), None) if branch else None
            if village:
                place = (base + start, village, "village", start)
        if place is None:
            continue
        p_start, p_text, level, _ = place
        if tail in _VILLAGE_TAILS or tail.startswith(("村委", "居委")):
            if level != "village" or p_text in GENERIC_PLACES or p_text.startswith(("嘎查", "各", "该", "本", "全", "每")):
                continue  # 嘎查村委会, 各村村委会: no village named
        elif level == "village":
            continue
        organ = organ_for_tail(tail, level)
        if organ is None:
            continue
        if not any(tail.endswith(x) for x in ("局", "厅", "委", "办", "室", "部", "会", "社", "联", "组", "协", "院", "心")):
            # A bare short form (县财政) names the body only as the subject of an action (县财政下达).
            nxt = tokens.word_at.get(base + end)
            tags = (tokens.tag(nxt) or "", tokens.tag(nxt[:2]) or "") if nxt else ("", "")  # 统筹|安排: its first word too
            if nxt and nxt[0].isalnum() and not any(t.startswith(("v", "p", "d", "c")) for t in tags):
                continue
            if s.rfind("《", 0, start) > s.rfind("》", 0, start):
                continue  # 《湖南省财政衔接资金管理办法》: the name of money in a title
            after = re.match(r"[^,。;:、]{0,16}?(下达|拨付|下拨|安排|投入|统筹|筹措|资金)", s[end:])
            if after and after.group(1) == "资金":
                continue  # 县财政衔接推进乡村振兴补助资金: the name of the money, not its giver
        name = p_text + tail
        ps = p_start - base
        if last_name is not None and s[ps - 1 : ps] == "(" and s[end : end + 1] == ")" and ps - 1 == last_end:
            # 县农业农村局(县乡村振兴局): a second name (加挂牌子) of the body just read
            finds.actors[last_name].setdefault("alt", set()).add(name)
            taken.append((ps - 1, end + 1))
            continue
        _add_actor(finds, name, organ.type, sent, p_start, base + end, text)
        taken.append((p_start - base, end))
        last_end, last_place, last_name = end, (p_start, p_text, level), name
        # 浙江省发展改革委(省对口办): the body's second name (加挂牌子) in brackets
        _bracketed_name(finds, name, s, end, taken, 12, 3, free=True)


def _place_before(text: str, pos: int, tokens: Tokens, places: dict[int, tuple[int, str]], g: Gazetteer,
                  tail: str, organ_end: int = -1) -> tuple[int, str, str, int] | None:
    """The place written right before ``pos``: (start, its text, level, pos), or None."""
    if pos in places:
        start, level = places[pos]
        ambiguous = text[start] in _FUNCTION_CHARS and pos - start == 2 and (
            (pos - 1) in tokens.starts or organ_end == start)  # 县委宣传部和县妇联: 和 joins two bodies
        if not ambiguous:
            return start, text[start:pos], level, pos
        ch = text[pos - 1]  # 渠县纪委监委和县委农办: 和|县委, not the county 和县
        return pos - 1, ch, LEVEL_OF_CHAR.get(ch, level), pos
    if tail.startswith(("村委", "居委")):
        # 泮子山村委: the village's own 村 begins the tail.
        for k in range(5, 1, -1):
            cand = text[pos - k : pos + 1]
            if pos - k >= 0 and any(d.level == "village" for d in g.by_name(cand)):
                return pos - k, cand[:-1], "village", pos
    for k in range(5, 1, -1):
        cand = text[pos - k : pos]
        if pos - k >= 0 and cand.endswith(("村", "社区", "嘎查")) and any(d.level == "village" for d in g.by_name(cand)):
            return pos - k, cand, "village", pos
    for word, level in (("自治区", "province"), ("自治州", "city")):
        if text.endswith(word, 0, pos) and (pos - len(word)) in tokens.starts and tail != "财政":
            # 会同自治区发改委: the report's own autonomous region (resolve); 自治区财政 is its budget level, no body
            return pos - len(word), word, level, pos
    ch = text[pos - 1 : pos]
    joined = joined_after_body(text, pos - 1)  # (县委宣传部和|县妇联: jieba may read 和县 as one word, the county)
    if ch in LEVEL_OF_CHAR and ((pos - 1) in tokens.starts or joined):
        before = text[pos - 2 : pos - 1]
        if joined:
            return pos - 1, ch, LEVEL_OF_CHAR[ch], pos
        if before and (before in _NOT_A_PLACE_BEFORE or before in LEVEL_OF_CHAR):
            return None
        return pos - 1, ch, LEVEL_OF_CHAR[ch], pos
    return None


def _uncut_place_start(text: str, begin: int, suffix_start: int, g: Gazetteer) -> int:
    """Move a name's start left so that it does not cut a place name (兴|源村党支部 -> 兴源村党支部)."""
    for k in range(1, 4):
        start = begin - k
        if start < 0 or not "\u4e00" <= text[start] <= "\u9fff":
            break
        if text[start] in _FUNCTION_CHARS:
            break  # 和|县农业农村局: a conjunction, not the county 和县
        for end in range(min(suffix_start, start + 8), begin, -1):
            cand = text[start:end]
            if cand.endswith(("村", "社区", "嘎查", "镇", "乡")) and g.by_name(cand):
                return start
    return begin


_DATE_TAIL = re.compile(r"\d{1,2}月\d{1,2}日$")
_MEDIA_HINT = re.compile(r"讯|电|消息|【|来源|转自|转载|稿源|据|记者|关注|·|版\)|^[^\s,。]{2,20}$|https?://|时间[:：]|^\s*\[")
_DOC_NUMBER = re.compile(r"(?:[发函字]?[〔\[(【]|[\u4e00-\u9fff]{1,2}[〔\[【])\d{4}")  # 陕财办|农〔2021〕: a field char may come first
_POSTS = ("书记", "副书记", "常委", "委员", "主任", "副主任", "部长", "副部长", "局长", "副局长", "行长", "副行长", "镇长",
          "副镇长", "乡长", "副乡长", "县长", "副县长", "区长", "副区长", "市长", "副市长", "主席", "副主席", "理事长",
          "董事长", "总经理", "社长", "站长", "所长", "院长", "组长", "副组长", "秘书长", "四级调研员", "调研员")
_EDITION = re.compile(r"(?:频道|分社|记者站|站|新闻)$")  # an outlet's edition for a place (黑龙江频道, 中新网山西新闻)
_MEDIA_TAIL = re.compile(r"(?:(?:特约|首席|见习)?(?:全媒体|融媒体)?记者.*|讯.*)$")  # what follows an outlet's name in a byline
_ADDRESS_OR_TIME = re.compile(r"\s*(?:https?://|www\.|(?:发布)?时间[:：])")  # after an outlet in a page's source line
_MEDIA_STOP = re.compile(r"[\s,。;:()【】“”|/、]")


# How an outlet names itself in its own story ("this paper", "this station"): never the end of an outlet's name.
_SELF_REFERENCE = ("本报", "本台", "本网", "本刊", "本站")


# What a page's footer asks of its reader before an outlet's name (下载某某客户端, 关注某某网): no part of the name.
_ASKS_READER = ("下载", "关注", "扫码", "打开", "进入", "登录")


def _media_name(cand: str, byline: bool = False) -> bool:
    """True for a whole outlet name: one the register names, or a name with an outlet ending (in a ``byline``,
    before 记者, even one jieba knows as a word: 团结报)."""
    if not cand or _MEDIA_STOP.search(cand) or cand[0] in "本该各全我此其" or cand.startswith(_ASKS_READER) or not all(
            "\u4e00" <= c <= "\u9fff" or c.isalnum() for c in cand):
        return False
    if cand in media_outlets():
        return True
    if cand.endswith(_SELF_REFERENCE):
        return False  # 某支行告诉本报|记者: the outlet speaking of itself (本报, 本台, 本网), after someone else's name
    if not byline and pos_tags().get(cand, "x") in ("n", "vn", "v", "l", "i"):
        return False  # 互联网, 情况汇报: a common word, no outlet
    return any(cand.endswith(x) and len(cand) >= len(x) + (2 if len(x) == 1 else 1) for x in media_suffixes())


# What a source line names that is no publisher: the site itself, the web, a compilation, an unknown source.
_NO_PUBLISHER = re.compile(r"^(?:本站|本网|本报|网络|原创|综合|互联网|网友|未知|转载|其他|其它|整理|投稿|供稿|编辑|热搜|头条|推荐)|整理$")


def _source_line_publisher(name: str, g: Gazetteer) -> bool:
    """True for the publisher a source line names without an outlet ending (来源:九江新媒体, 来源:云上十堰, 来源:我苏网):
    the dateline's publisher is an actor (FORMAT.md), unless the line names a body, a place, or no publisher at all."""
    if not 2 <= len(name) <= 8 or not all("\u4e00" <= c <= "\u9fff" for c in name):
        return False
    if _NO_PUBLISHER.search(name) or g.by_name(name, villages=False) or name in pos_tags() or re.search("时间|日期|和|与", name):
        return False  # 来源:地址, 热搜, 其它媒体: a word, no publisher; 晋中日报时间: the line runs on
    ending = suffix_re().search(name)
    return not (ending and ending.end() == len(name))  # 来源:农业农村局: a body, read by the rules for bodies


def _media_prefix(head: str, g: Gazetteer) -> str | None:
    """The outlet that begins a dateline head (新华社北京5月1日 -> 新华社), the rest a place or date."""
    bare = _DATE_TAIL.sub("", head).strip()
    dated = bare != head.strip()  # 科技报10月17日讯: a name and a date before 讯 is an outlet, even a common word
    head = bare
    for k in range(len(head), 1, -1):
        cand, rest = head[:k], _EDITION.sub("", head[k:].strip())
        if _media_name(cand, byline=dated and not rest) and (not rest or g.by_name(rest)):
            if rest and head.endswith("新闻"):
                return cand + rest  # 中新网山西新闻1月25日电: the edition names itself 中新网山西, as in its source lines
            return cand  # 国际在线黑龙江频道消息: the outlet's edition for a place is the outlet
    return None


def _dateline_outlets(head: str, g: Gazetteer) -> list[tuple[int, int]]:
    """The spans of the outlets a dateline head names, one or several joined by 、 (新海南客户端、南海网7月21日)."""
    spans, offset = [], 0
    for part in head.split("、"):
        name = _media_prefix(part, g)
        if name is None:
            return []  # one part is no outlet: the head is no list of outlets
        spans.append((offset, offset + len(name)))
        offset += len(part) + 1
    return spans


# A story's opening sentences, where its dateline stands, and what follows a dateline's 讯: the reporter's
# byline or the date (交汇点讯 (记者…), 商报讯 7月22日).
_OPENING_SENTENCES = 3
_DATELINE_AFTER = re.compile(r"\s*(?:[(]\s*(?:(?:全媒体|融媒体|见习)?记者|通讯员)|\d{1,2}月\d{1,2}日)")


def _opening_publisher(head: str, g: Gazetteer) -> bool:
    """True for the name before 讯 in a story's dateline when the register knows no such outlet: a short name that
    is no place, no body and not the story's outlet speaking of itself (本网讯: its name is elsewhere)."""
    if not 2 <= len(head) <= 8 or not all("\u4e00" <= c <= "\u9fff" for c in head):
        return False
    if head.startswith(_SELF_REFERENCE) or _NO_PUBLISHER.search(head) or g.by_name(head, villages=False):
        return False
    ending = suffix_re().search(head)
    return not (ending and ending.end() == len(head))


def _find_media(text: str, sent: Sentence, finds: Finds, taken: list[tuple[int, int]]) -> None:
    """The publisher a dateline or source line names (荆楚网讯, 新华社北京电, 来源:X日报, 据X报道, 【X】)."""
    s, base = sent.text, sent.start
    if not _MEDIA_HINT.search(s):
        return  # most sentences name no outlet: skip the patterns below
    g = load_gazetteer()
    found: list[tuple[int, int, int, int]] = []  # name span, alternative-name span
    # A dateline: the outlet, maybe a second name in brackets, a place and date, then 讯 or 电.
    lead = re.match(r"(?:【[^】]{0,20}】)?\s*据?", s).end()  # 据新华社北京5月3日电: a dateline quoted
    for m in re.finditer(r"(?:\(([^()]{2,20})\))?\s*(讯|电(?![话视商子力网脑器动影台厂站气费])|消息)", s[lead : lead + 40]):
        head = s[lead : lead + m.start()]
        outlets = _dateline_outlets(head, g)
        if not outlets and sent.index < _OPENING_SENTENCES and _DATELINE_AFTER.match(s, lead + m.end()) \
                and _opening_publisher(head, g):
            outlets = [(0, len(head))]  # 交汇点讯 (记者…): the story's opening names its outlet, known or not (M4)
        if outlets:
            alt = m.group(1) if m.group(1) and _media_name(m.group(1)) else None
            a0 = lead + m.start(1) if alt else -1
            for k, (n0, n1) in enumerate(outlets):
                last = k == len(outlets) - 1
                found.append((lead + n0, lead + n1, a0 if last else -1, a0 + len(alt) if alt and last else -1))
            break
    for m in re.finditer(r"【([^】]{2,20})】|^\s*\[([^\]]{2,20}?)[A-Za-z.]*\]", s):
        if _media_name(m.group(1) or m.group(2)):  # 【某某网】, and [某某网] or [某某新媒体XYZ.CN] opening a story
            group = 1 if m.group(1) else 2
            found.append((m.start(group), m.end(group), -1, -1))
    for m in re.finditer(r"(?:来源|来源于|转自|转载自|稿源)\s*[:]?\s*([^\s,。;:()|/【】·]{2,24})(?:\(([^()]{2,20})\))?", s):
        name = re.sub(r"(?:收集|编辑|责编|作者|记者|通讯员)+$", "", m.group(1))  # 来源:吉林卫视收集编辑:…
        parts = re.split("[-—–－]", name)
        if len(parts) > 1:  # 来源:人民网-人民日报, 来源:某某网—《某某日报》: each outlet
            offset = m.start(1)
            for part in parts:
                bare = part.strip("《》")
                if _media_name(bare):
                    at = offset + part.index(bare)
                    found.append((at, at + len(bare), -1, -1))
                offset += len(part) + 1
            continue
        owned = next((o for o in media_outlets() if name.endswith(o) and len(name) > len(o)), None)
        if owned and g.by_name(name[: len(name) - len(owned)], villages=False):
            owned = None  # 来源:云南经济日报: a place's own paper, not 经济日报 after its owner
        if owned:
            start = m.start(1) + len(name) - len(owned)
            found.append((start, start + len(owned), -1, -1))  # 来源:中央广电总台国际在线: the outlet after its owner
            continue
        line_start = m.start() == 0 or s[m.start() - 1] in " \t|\n:"  # a source line, not 资金来源:…
        if not _media_name(name) and _media_prefix(name, g) is None \
                and not (line_start and _source_line_publisher(name, g)):
            continue  # 来源:中新网新疆 (an outlet, then a place) is the outlet's edition for that place, kept whole
        alt = m.group(2) if m.group(2) and _media_name(m.group(2)) else None
        found.append((m.start(1), m.start(1) + len(name), m.start(2) if alt else -1, m.end(2) if alt else -1))
    for m in re.finditer(r"据《?([^\s,。;:()《》]{2,20}?)》?(?:\d{1,2}月\d{1,2}日)?(?:报道|消息|电|讯)", s):
        cited = CITED_OUTLET.match(s, m.start()) and not m.group(1).endswith(DOCUMENT_KINDS)
        if _media_name(m.group(1)) or (cited and _source_line_publisher(m.group(1), g)):
            found.append((m.start(1), m.end(1), -1, -1))  # 据农民日报报道, 据《农民日报》报道, 据《某某周刊》消息
    for m in re.finditer(r"(?:^|(?<=[^\u4e00-\u9fffA-Za-z]))([\u4e00-\u9fffA-Za-z][^\s,。;:()【】|/\d·.]{1,15}?)(?:[·.][^\s,。;:()【】|/]{2,12}?)?"
                         r"(?:(?:特约|首席|见习)?(?:全媒体|融媒体)?记者|$|\s)", s):
        # 农民日报·中国农网记者, 10/15齐鲁晚报·齐鲁壹点: an outlet (and its site or app) in a byline or source line;
        # 某某网 http://… 时间:…: a page's source line, the outlet then its address or time
        byline = m.group(0).endswith("记者")
        if _media_name(m.group(1), byline) and (byline or "·" in m.group(0) or m.start(1) == 0
                                                and (len(s) <= len(m.group(0)) + 12 or _ADDRESS_OR_TIME.match(s, m.end(1)))):
            found.append((m.start(1), m.end(1), -1, -1))
    for m in re.finditer(r"(?:^|(?<=[\s,。;:()【】|]))([^\s,。;:()【】|/\d·]{2,16})/(?=([^\s,。;:()【】|/\d·]{2,16}))", s):
        if _media_name(m.group(1)) and _media_name(_MEDIA_TAIL.sub("", m.group(2))):
            found.append((m.start(1), m.end(1), -1, -1))  # 大江网/江西日报记者: two outlets of one story
    for m in re.finditer(r"《\s*([^》]{2,12}?)\s*》\s*\(\s*\d{4}年[^()]{0,12}版", s):
        if _media_name(m.group(1)):
            found.append((m.start(1), m.end(1), -1, -1))  # 《人民日报》(2022年03月29日 11版): the paper cited
    for m in re.finditer(r"关注([^\s,。;:()【】|/]{2,12}?)(?:微信|微博|公众号|客户端|抖音)", s):
        if _media_name(m.group(1)):
            found.append((m.start(1), m.end(1), -1, -1))  # 关注海峡网微信: the outlet's own footer
    for n0, n1, a0, a1 in found:
        if any(s0 < n1 and n0 < e0 for s0, e0 in taken):
            continue
        name = s[n0:n1]
        _add_actor(finds, name, "SocialOrganization", sent, base + n0, base + n1, text)
        finds.actors[name]["outlet"] = True  # read as a publisher: it reports money, never gives it
        taken.append((n0, n1))
        if a0 >= 0:
            finds.actors[name].setdefault("alt", set()).add(s[a0:a1])
            taken.append((a0, a1))


@lru_cache(maxsize=1)
def _bank_heads() -> tuple[str, ...]:
    """Every way a bank's own name begins (中国农业发展银行, 农业发展银行, 农发行, 农村商业银行 …), longest first."""
    heads = {h for b in banks() for h in (b.full, b.core, *b.short) if h}
    return tuple(sorted(heads, key=len, reverse=True))


# Words for a kind of bank or a bank's machine, which name no bank (政策性银行, 自助银行).
_BANK_FACILITIES = ("政策性银行", "自助银行")


def _bank_name_ok(name: str, tokens: Tokens, g: Gazetteer) -> bool:
    """A bank is named by a place, a registered bank or a brand (水利银行 or 政策性银行 name no bank)."""
    if "银行" not in name and "信用社" not in name:
        return True  # 县支行, 农发行X支行: a branch, its bank read elsewhere
    if "“" in name or "”" in name:
        return False  # 农发行“农地银行”“粮食银行”品牌: a bank's quoted brand of service, no bank
    if name.endswith(_BANK_FACILITIES):
        return False  # 政策性银行, 自助银行: a kind of bank or a machine, no bank named
    body = name[: name.index("银行")] if "银行" in name else name[: name.index("信用社")]
    if _is_bank_kind(name):
        return False  # 农村商业银行, 村镇银行: a kind of bank, no bank named
    if not body or name.startswith(_bank_heads()) or body.startswith(_bank_heads()) or body.startswith(_WIDE_SCOPES):
        return True  # …, 世界银行, 亚洲开发银行: an international bank
    branch = re.fullmatch(r"[^银]+银行(.{2,8}?)(?:市|省)?(?:中心支行|分行|支行)", name)
    if branch and any(d.level != "village" for d in g.by_name(branch.group(1))):
        return True  # 徽商银行安庆分行: a bank with branches in places is a bank, whatever its brand
    if body[0] in LEVEL_OF_CHAR:
        return True
    brand = re.fullmatch(r"(.{2,4}?)(?:农商|农村商业|村镇)", body)
    if brand and tokens.tag(brand.group(1)) == "ns":
        return True  # 辽东农商银行: a rural bank's brand is often a region's old name, no division (not 全市农商银行)
    for k in range(min(len(body), 10), 1, -1):
        if any(d.level != "village" for d in g.by_name(body[:k])):
            return True
    return len(body) <= 4 and tokens.tag(body) is None and not any(tokens.tag(body[i:j]) for i in range(len(body))
                                                                  for j in range(i + 2, len(body) + 1))


def _title_issuer_start(s: str, begin: int, suffix_start: int) -> int:
    """An issuer that opens a title runs from the title's start (中共X区委农村工作暨实施乡村振兴战略领导小组办公室关于…,
    《某县巩固拓展脱贫攻坚成果同乡村振兴有效衔接领导小组办公室关于…》: a committee's long name)."""
    open_q = s.rfind("《", 0, begin)
    start = open_q + 1 if open_q >= 0 and "》" not in s[open_q:begin] else 0
    head = s[start:suffix_start]
    if start < begin and not re.search(r"[,。;:、\s]|关于|印发", head) and (head.startswith("中共") or (
            open_q >= 0 and start == open_q + 1 and s.startswith(("领导小组", "办公室"), suffix_start)
            and _opens_with_place(head) and not suffix_re().search(head))):
        return start
    return begin


def _opens_with_place(head: str) -> bool:
    """True when a division's name (not a village's) opens ``head``."""
    g = load_gazetteer()
    return any(any(d.level != "village" for d in g.by_name(head[:k], villages=False)) for k in range(min(len(head), 8), 1, -1))


def _owner_before(text: str, start: int, end: int, places: dict[int, tuple[int, str]], tokens: Tokens) -> bool:
    """True when a Party body's name has its place or organisation (兴源村党支部, X公司党委, 镇党委)."""
    body = text[start:end]
    if not body:
        return False
    if end in places or body in LEVEL_CHARS[:-1] or body.endswith((*LEVEL_CHARS[:-1], "旗", "盟", "苏木")) and len(body) >= 2:
        return True
    if body.endswith(("村", "社区", "嘎查")):
        g = load_gazetteer()  # 兴源村党支部; not 大力推行村党支部

        def village_at(k: int) -> bool:
            at = end - k
            return not tokens.crosses(at) and any(d.level == "village" for d in g.by_name(body[-k:])) and not any(
                len(w) >= 2 and (tokens.tag(w) or "")[:1] == "v" for w in tokens.words_in(at, end))  # 双|墩|村: no verb

        return any(village_at(k) for k in range(2, min(len(body), 6) + 1)) or (end in places and places[end][0] < end - 1)
    if body.startswith(("中共", "中国共产党")):
        return True
    return bool(suffix_re().search(body[-4:])) and len(body) >= 4


def _is_bank_kind(name: str) -> bool:
    """True for the bare name of a kind of bank (农村商业银行, 村镇银行, 农信社)."""
    return any(name == b.core or name in b.short for b in bank_kinds())


# Kinds of place together (区县, 县市区, 镇街, 乡镇): the bodies of every such place, none named.
_SEVERAL_PLACE_KINDS = re.compile(r"[省市县区]{2,3}|镇街|乡镇(?:街道)?")


# Words by which a report follows the centre's lead (贯彻落实…, 践行…, 按照…, 在…领导下): the centre named as background.
_FOLLOWED_CENTRE = re.compile(r"(?:贯彻|落实|践行|按照|根据|遵照|依照|响应|彰显了?|体现了?|坚持|在)[^,。;:]{0,6}$")


# What the Party centre does as the subject of a sentence (党中央召开…座谈会, 党中央作出…决定): it acts in the report.
_CENTRE_ACTS = re.compile(r"(?:、国务院)?(?:召开|作出|做出|印发|出台|决定|批准|提出|确定)")


@lru_cache(maxsize=1)
def _national_re() -> re.Pattern[str]:
    forms = sorted(national_organs(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, forms)))


def _find_national(text: str, sent: Sentence, finds: Finds, tokens: Tokens, taken: list[tuple[int, int]]) -> None:
    """Bodies named alone (党中央, 国务院); a bare 中央 only beside the provinces (贯彻落实中央、省委…)."""
    s, base = sent.text, sent.start
    for m in _national_re().finditer(s):
        form = m.group(0)
        if any(s0 < m.end() and m.start() < e0 for s0, e0 in taken) or tokens.crosses(base + m.end()) \
                or (form.endswith("部") and s.startswith("门", m.end())):
            continue  # 国务院办公厅, 中央财政: part of a longer name or word; 农业农村部门: such departments in general
        if form == "中央" and not re.match(r"[、和](?:省|国务院|自治区)[^,。;]{0,8}?(?:委|政府|国务院)", s[m.end():]):
            continue  # 中央、省市委: the Party centre; 中央、省、市、县各级财政: a budget level
        if s.rfind("《", 0, m.start()) > s.rfind("》", 0, m.start()):
            continue  # inside a document's title
        if (form == "党中央" and not _CENTRE_ACTS.match(s, m.end())) or _FOLLOWED_CENTRE.search(s, max(0, m.start() - 10), m.start()) \
                or s.startswith(("部门网站", "扶贫监督", "举报电话", "监督举报"), m.end()):
            # 贯彻落实党中央、国务院…部署, 践行党中央…战略, 党中央高度重视: the centre as the background of local
            # work, not a body acting in the report (development gold: 8 such mentions, none an actor); a
            # portal's links and hotlines name no actor either
            continue
        organ = national_organs()[form]
        _add_actor(finds, organ.name, organ.type, sent, base + m.start(), base + m.end(), text)
        taken.append((m.start(), m.end()))
