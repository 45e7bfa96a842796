"""Read regions, actors, programmes, documents, fundings and measures out of a report.

Everything here is a general rule: gazetteer look-ups, name suffixes, quotation
and title marks, verbs of giving money. Names come out as written (surface
forms); :mod:`kg.resolve` turns them into canonical names.

>>> from kg.pipeline import extract_text
>>> x = extract_text("今年,渠县财政局下达衔接资金500万元,支持10个村发展集体经济。")
>>> [(f.amount_cny, f.funder) for f in x.fundings]
[(Decimal('5000000'), '渠县财政局')]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from kg.gazetteer import Division, Gazetteer, load_gazetteer
from kg.model import Actor, Document, Extraction, Funding, Measure, Mention, NormalizedReport, Program, Region, Sentence
from kg.money import find_amounts

CJK = "\u4e00-\u9fff"
_LEVEL_RANK = {"province": 0, "city": 1, "county": 2, "township": 3, "village": 4}
# Generic place words that look like division names but name no place.
_GENERIC_PLACES = frozenset(
    "城区 郊区 矿区 新区 市区 山区 景区 园区 社区 乡村 城乡 集镇 乡镇 村镇 新村 本村 全村 该村 各村 行政村 示范村 "
    "重点村 薄弱村 试点村 难点村 中心村 自然村 贫困村 脱贫村 一类村 二类村 三类村 美丽乡村 特色小镇 小镇 全镇 全乡 "
    "全县 全区 全市 全省 我县 我区 我市 我省 本县 本区 本市 本镇 该县 该区 该镇 农村 村庄 村组 村社 村集体 村级 "
    "旅游小镇 精品村 网红村 强村 富村 穷村 边远村 民族村 集体村 街道 镇街 乡镇街道 社区 城镇".split()
)
# Words that end a name when scanning leftwards from its suffix.
_STOP_BEFORE_NAME = (
    "在 由 对 向 与 和 同 及 以 从 经 被 让 把 将 为 是 的 了 等 有 于 给 跟 并 或 "
    "成立 建立 组建 设立 引进 引导 组织 召开 举办 实施 推进 开展 推动 启动 发放 下达 拨付 安排 争取 投入 积极 "
    "联合 会同 协调 指导 督促 支持 帮助 依托 通过 经过 获得 获悉 介绍 表示 认为 据 根据 按照 牵头 参与 负责 "
    "达成 签订 签约 合作 委托 携手 邀请 吸引 鼓励 配合 加强 深化 落实 完成 打造 培育 扶持 带动 申报 审批 "
    "记者 通讯员 本报 近日 日前 今年 目前 截至 近年来 同时 其中 以及 还 也 均 已 正 将 又 再 共 各 每 全 该 "
    "村民 农户 群众 干部 党员 企业家 发挥 作用"
).split()

_ORG_SUFFIX_TYPES: tuple[tuple[str, str], ...] = (
    # Longest suffixes first; the type a suffix gives, refined by _refine_type.
    ("股份经济合作联合社", "Cooperative"),
    ("股份经济合作社", "Cooperative"),
    ("经济合作社", "Cooperative"),
    ("专业合作社", "Cooperative"),
    ("合作联社", "FinancialInstitution"),
    ("合作社", "Cooperative"),
    ("联合社", "Cooperative"),
    ("供销联社", "Cooperative"),
    ("股份有限公司", "Enterprise"),
    ("有限责任公司", "Enterprise"),
    ("有限公司", "Enterprise"),
    ("分公司", "Enterprise"),
    ("公司", "Enterprise"),
    ("集团", "Enterprise"),
    ("银行", "FinancialInstitution"),
    ("支行", "FinancialInstitution"),
    ("分行", "FinancialInstitution"),
    ("信用社", "FinancialInstitution"),
    ("领导小组办公室", "GovernmentAgency"),
    ("领导小组", "GovernmentAgency"),
    ("联席会议办公室", "GovernmentAgency"),
    ("办公室", "GovernmentAgency"),
    ("人民政府", "GovernmentAgency"),
    ("政府", "GovernmentAgency"),
    ("村民委员会", "GovernmentAgency"),
    ("居民委员会", "GovernmentAgency"),
    ("委员会", "GovernmentAgency"),
    ("党支部", "PartyOrganization"),
    ("党总支", "PartyOrganization"),
    ("党工委", "PartyOrganization"),
    ("党委", "PartyOrganization"),
    ("党组", "PartyOrganization"),
    ("组织部", "PartyOrganization"),
    ("宣传部", "PartyOrganization"),
    ("统战部", "PartyOrganization"),
    ("服务中心", "GovernmentAgency"),
    ("中心", "GovernmentAgency"),
    ("研究室", "GovernmentAgency"),
    ("局", "GovernmentAgency"),
    ("厅", "GovernmentAgency"),
    ("办", "GovernmentAgency"),
    ("部委", "GovernmentAgency"),
    ("部", "GovernmentAgency"),
    ("村委", "GovernmentAgency"),
    ("协会", "SocialOrganization"),
    ("商会", "SocialOrganization"),
    ("学会", "SocialOrganization"),
    ("研究会", "SocialOrganization"),
    ("基金会", "SocialOrganization"),
    ("报社", "SocialOrganization"),
    ("日报", "SocialOrganization"),
    ("时报", "SocialOrganization"),
    ("电视台", "SocialOrganization"),
    ("大学", "SocialOrganization"),
    ("学院", "SocialOrganization"),
)
_SUFFIXES = sorted({s for s, _ in _ORG_SUFFIX_TYPES}, key=len, reverse=True)
_SUFFIX_TYPE = dict(_ORG_SUFFIX_TYPES)
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
    "结局", "大局", "开局", "当局", "中心村", "重心", "核心", "公司化", "集团化", "委托", "联办", "举办", "主办",
    "创办", "领办", "督办", "承办", "兴办", "开办", "代办", "帮办", "包办", "专班办", "实事办",
)
_PERSON_TITLES = (
    "村民",
    "党支部书记", "党委书记", "书记", "村主任", "主任", "董事长", "总经理", "理事长", "负责人", "县长", "市长", "区长",
    "镇长", "乡长", "村长", "局长", "厅长", "部长", "社长", "站长", "名人", "乡贤", "致富带头人",
)
_TITLE_NAME_RE = re.compile("(" + "|".join(map(re.escape, _PERSON_TITLES)) + r")\s?([\u4e00-\u9fff]{2,3})")
_NOT_PERSON_TITLES = ("记者", "通讯员", "编辑", "摄影")

_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆"
    "汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔"
    "伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙"
    "鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞"
    "姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘"
    "满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜"
    "羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡"
    "富尧闭由"
)
_QUOTE = re.compile(r"“([^“”\n]{2,30})”")
_BOOK = re.compile(r"《([^《》\n]{2,80})》")
# Money is only counted where the clause speaks of giving, lending or investing it.
_FUNDING_CUES = (
    "资金", "投资", "贷款", "补助", "奖补", "扶持", "下达", "拨付", "安排", "整合", "投入", "发放", "授信", "争取", "列支",
    "筹集", "筹措", "捐赠", "捐款", "帮扶", "援助", "补贴", "奖励", "入股", "注资", "融资", "放贷", "总投资", "资助",
    "专项", "经费", "预算", "基金",
)
_NOT_FUNDING_CUES = (
    "收入", "收益", "营业额", "销售额", "交易额", "增加值", "产值", "营收", "利润", "分红", "增收", "缺口", "工资",
    "年薪", "月薪", "消费", "GDP", "税收", "成交额", "总额达", "租金", "每亩", "亩均", "人均", "村均", "户均", "价格",
    "售价", "以上的村", "万元以上", "万元以下",
)
_KIND_CUES = (
    ("loan", ("贷款", "贷", "授信", "放贷", "信贷", "担保")),
    ("investment", ("投资", "入股", "注资", "招商")),
    ("subsidy", ("补助", "补贴", "奖补", "奖励", "每个村", "每村")),
    ("grant", ("下达", "拨付", "争取", "中央", "省级", "财政", "专项")),
)
_FUNDER_PHRASES = re.compile(
    r"(中央财政|中央预算内|(?<![\u4e00-\u9fff])(?:省以上财政|省级财政|省财政|市级财政|市财政|县级财政|县财政|区级财政|区财政)|"
    r"中央[“\"]?[一二三四五六七八九十两]部委[”\"]?|[一二三四五六七八九十两]部委|"
    # Money named by the provinces of a cooperation pair (苏陕资金, 沪滇协作资金, 东西部协作资金).
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]{2}(?:扶贫)?(?:协作|帮扶)?资金|东西部协作资金)"
)
_COUNT = re.compile(r"(\d+|[一二三四五六七八九十两百千]+)\s*(笔|个行政村|个村|个项目|个|项|家|户|人|名|次|批)")
_YEAR = re.compile(r"(20\d\d|19\d\d)\s*年")
_MEASURE_VERBS = (
    ("issued", ("制定印发", "印发", "出台", "制定", "发布", "下发")),
    ("held", ("召开", "举办", "举行", "组织召开")),
    ("established", ("成立", "建立", "组建", "设立", "搭建")),
    ("signed", ("签约", "签订", "签署", "达成")),
    ("launched", ("启动", "实施", "开展", "推进", "部署实施", "深入推进", "深入实施")),
    ("disbursed", ("发放", "拨付", "下达", "安排", "投入")),
)


@dataclass
class _Finds:
    """Mutable collector used while reading one report."""

    regions: dict[str, dict] = field(default_factory=dict)
    actors: dict[str, dict] = field(default_factory=dict)
    programs: dict[str, dict] = field(default_factory=dict)
    documents: dict[str, dict] = field(default_factory=dict)
    fundings: list[Funding] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)


@lru_cache(maxsize=1)
def _region_automaton() -> object:
    """Aho-Corasick automaton over every province, city, county and township name."""
    import ahocorasick

    g = load_gazetteer()
    auto = ahocorasick.Automaton()
    for name in g.names(("province", "city", "county", "township")):
        if len(name) >= 2 and name not in _GENERIC_PLACES:
            auto.add_word(name, name)
    auto.make_automaton()
    return auto


def _mention(sent: Sentence, start: int, end: int, text: str) -> Mention:
    return Mention(text[start:end], start, end, sent.index)


def _sentence_of(sentences: tuple[Sentence, ...], pos: int) -> Sentence:
    lo, hi = 0, len(sentences) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sentences[mid].start <= pos:
            lo = mid
        else:
            hi = mid - 1
    return sentences[lo]


class _Tokens:
    """jieba words of the whole text with their offsets and dictionary part-of-speech."""

    def __init__(self, text: str) -> None:
        from kg.segment import pos_tags, words

        self.starts: set[int] = {0}
        self.word_at: dict[int, str] = {}
        pos = 0
        for w in words(text):
            self.word_at[pos] = w
            pos += len(w)
            self.starts.add(pos)
        self.tags = pos_tags()
        self.place_starts: set[int] = set()  # where a region mention begins (filled by _find_regions)

    def tag(self, word: str) -> str | None:
        return self.tags.get(word)

    def word_before(self, pos: int, floor: int = 0) -> tuple[int, str] | None:
        q = pos - 1
        while q >= floor and q not in self.word_at:
            q -= 1
        if q < floor:
            return None
        return q, self.word_at[q][: pos - q]

    def crosses(self, pos: int) -> bool:
        """True when a word runs across ``pos`` (so ``pos`` is no word boundary)."""
        return pos not in self.starts


# ---------------------------------------------------------------- regions
def _region_matches(text: str) -> list[tuple[int, int, str]]:
    """Longest, non-overlapping gazetteer names in the text."""
    auto = _region_automaton()
    found = sorted(((end + 1 - len(name), end + 1, name) for end, name in auto.iter(text)), key=lambda m: (m[0], -m[1]))
    out: list[tuple[int, int, str]] = []
    last_end = 0
    for start, end, name in found:
        if start >= last_end:
            out.append((start, end, name))
            last_end = end
        elif out and start == out[-1][0] and end > out[-1][1]:
            out[-1] = (start, end, name)
            last_end = end
    return out


def _choose_division(candidates: list[Division], context: set[str], g: Gazetteer) -> Division | None:
    """Pick the candidate whose ancestors or descendants the report also names."""
    if len(candidates) == 1:
        return candidates[0]
    scored = []
    for d in candidates:
        anc = {a.key for a in g.ancestors(d)}
        score = 2 * len(anc & context) + sum(1 for k in context if k.startswith(d.key + "-"))
        scored.append((score, _LEVEL_RANK[d.level] * -1, d))
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    if scored[0][0] == 0:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][2]


def _region_ok(text: str, start: int, end: int, name: str, g: Gazetteer, tokens: _Tokens) -> bool:
    """A gazetteer name counts where it is a word of its own in the text."""
    if name in _GENERIC_PLACES or tokens.crosses(start):
        return False
    official = name[-1] in "省市县区州镇乡旗道木盟"  # a full name (or an old one: 湟中县), not a short form
    suffix_word = tokens.word_at.get(end - 1)
    if official and name[-1] in "省市县区州镇乡旗" and suffix_word and len(suffix_word) > 1 \
            and not re.match(r"^.(?:委|政府|人民|财政|党|人大|政协)", suffix_word):
        return False  # the level character starts another word (市场, 区域, 乡村), not a body (县委)
    if not official or name[-1] not in "省市县区州镇乡旗道木":
        # A short form (西宁, 连云港) must end where a word ends and not run on into a level character.
        if tokens.crosses(end) and not text[end : end + 1] in "农工商科文财金供":
            return False
        if text[end : end + 1] in ("省", "市", "县", "区", "镇", "乡", "村", "州", "旗"):
            return False
        if not any(d.level in ("province", "city") for d in g.by_name(name)):
            return False
    return True


def _find_regions(text: str, sentences: tuple[Sentence, ...], finds: _Finds, tokens: _Tokens) -> None:
    g = load_gazetteer()
    matches = [m for m in _region_matches(text) if _region_ok(text, *m, g, tokens)]
    # Unambiguous names first; they give the context that settles the others.
    context: set[str] = set()
    for _, _, name in matches:
        cands = g.by_name(name)
        if len({d.key for d in cands}) == 1:
            context.add(cands[0].key)
            context.update(a.key for a in g.ancestors(cands[0]))
    resolved: list[tuple[int, int, str, Division | None]] = []
    by_end: dict[int, Division] = {}
    for start, end, name in matches:
        cands = [c for c in g.by_name(name) if c.level != "village"]
        d = _choose_division(cands, context, g)
        before = by_end.get(start)
        if before is not None and name.endswith(("镇", "乡", "街道", "苏木")) and (d is None or d.parent != before.key):
            # Written right after its county (X县新建镇): that county's town, known or new.
            under = [c for c in cands if c.parent == before.key]
            d = under[0] if under else Division(f"{before.key}-{name}", name, "township", None, before.key)
        if d is not None:
            by_end[end] = d
        if d is None and cands and all(c.level == "township" for c in cands):
            resolved.append((start, end, name, None))
            continue
        if d is None:
            continue
        context.add(d.key)
        resolved.append((start, end, name, d))
    # A town the gazetteer does not know, written right after its county (X县新建镇).
    town_re = re.compile(rf"([{CJK}]{{2,4}}?)(镇|乡|街道|苏木)(?![{CJK}]{{0,1}}(?:村|镇))")
    for s0, e0, _, d0 in list(resolved):
        if d0 is None or d0.level not in ("county", "city"):
            continue
        m = town_re.match(text, e0)
        if not m or any(s1 == e0 for s1, _, _, _ in resolved) or tokens.crosses(m.end()):
            continue
        name = m.group(0)
        if name in _GENERIC_PLACES or re.match(r"^(?:[\d一二三四五六七八九十两几多]+个|[各每全该本])", name):
            continue
        known = [d for d in g.by_name(name) if d.parent == d0.key]
        resolved.append((e0, m.end(), name, known[0] if known else Division(f"{d0.key}-{name}", name, "township", None, d0.key)))
    village_re = re.compile(rf"([{CJK}]{{2,4}}?)(村|社区|嘎查)")
    for _, e0, _, d0 in list(resolved):
        if d0 is not None and d0.level == "township":
            _add_village_chain(text, e0, d0, village_re, resolved, g)
    # Villages under a township the report names, written elsewhere.
    townships = {d.key for _, _, _, d in resolved if d is not None and d.level == "township"}
    if townships:
        covered = {i for s0, e0, _, _ in resolved for i in range(s0, e0)}
        for m in re.finditer(r"村|社区|嘎查", text):
            for length in range(2, 5):
                start = m.start() - length
                if start < 0 or any(i in covered for i in range(start, m.end())):
                    continue
                cand = text[start : m.end()]
                ds = [d for d in g.by_name(cand) if d.level == "village" and d.parent in townships]
                if ds and not tokens.crosses(start):
                    resolved.append((start, m.end(), cand, ds[0]))
                    break
    local = {d.key: d for _, _, _, d in resolved if d is not None}
    tokens.place_starts.update(start for start, _, _, _ in resolved)
    for start, end, name, d in resolved:
        sent = _sentence_of(sentences, start)
        mention = _mention(sent, start, end, text)
        if d is None:
            entry = finds.regions.setdefault(name, {"name": name, "level": _level_by_suffix(name), "code": None,
                                                    "parent": None, "parent_code": None, "aliases": set(),
                                                    "mentions": []})
        else:
            parent = g.get(d.parent) or local.get(d.parent)
            entry = finds.regions.setdefault(d.key, {
                "name": d.name, "level": d.level, "code": d.code,
                "parent": parent.name if parent else None,
                "parent_code": parent.key if parent else None,
                "aliases": set(), "mentions": [],
            })
        entry["aliases"].add(name)
        entry["mentions"].append(mention)


def _add_village_chain(text: str, pos: int, township: Division, village_re: re.Pattern[str],
                       resolved: list, g: Gazetteer) -> None:
    """Villages written right after their township (新安镇大户村, 沟溪乡余东村、碗窑村)."""
    while True:
        m = village_re.match(text, pos)
        if not m:
            return
        cand = text[pos : m.end()]
        known = [d for d in g.by_name(cand) if d.level == "village" and d.parent == township.key]
        if cand in _GENERIC_PLACES or re.match(r"^(?:[\d一二三四五六七八九十两几多]+个|[各每全该本])", cand):
            return  # 三个村, 各村: a count, not a village
        d = known[0] if known else Division(f"{township.key}-{cand}", cand, "village", None, township.key)
        if any(s == pos for s, _, _, _ in resolved):
            return
        resolved.append((pos, m.end(), cand, d))
        pos = m.end()
        if text[pos : pos + 1] != "、":
            return
        pos += 1


def _level_by_suffix(name: str) -> str:
    if name.endswith(("村", "社区", "嘎查")):
        return "village"
    if name.endswith(("镇", "乡", "街道", "苏木")):
        return "township"
    if name.endswith(("县", "区", "旗")):
        return "county"
    if name.endswith(("市", "州", "盟")):
        return "city"
    return "province"


def _jurisdiction(finds: _Finds, report: NormalizedReport) -> str | None:
    """The place the report is about: the most named city or county, title and publisher weigh more."""
    head = " ".join(x for x in (report.raw.title, report.raw.publisher) if x)
    scores: Counter[str] = Counter()
    for key, r in finds.regions.items():
        if r["level"] not in ("province", "city", "county"):
            continue
        weight = {"province": 0.5, "city": 1.0, "county": 1.2}[r["level"]]
        scores[key] += weight * len(r["mentions"])
        if any(a in head for a in r["aliases"] | {r["name"]}):
            scores[key] += 3
        if r["mentions"] and r["mentions"][0].start < 200:
            scores[key] += 1
    # Towns and villages the report names speak for the county that holds them.
    g = load_gazetteer()
    for key, r in finds.regions.items():
        if r["level"] in ("township", "village") and r.get("parent_code"):
            d = g.get(r["parent_code"])
            while d is not None and d.level not in ("county",):
                d = g.get(d.parent)
            if d is not None and d.key in scores:
                scores[d.key] += 0.6 * len(r["mentions"])
    if not scores:
        return None
    return max(scores, key=lambda k: (scores[k], -_LEVEL_RANK[finds.regions[k]["level"]]))


# ---------------------------------------------------------------- actors
_STRIP_TAGS = ("v", "p", "c", "d", "ad", "r", "u", "y", "m", "q", "t", "f", "e", "o", "i", "l")


def _ends_with_stop(word: str) -> bool:
    return len(word) > 2 and any(len(stop) >= 2 and word.endswith(stop) for stop in _STOP_BEFORE_NAME)


def _starts_with_place(name: str) -> bool:
    g = load_gazetteer()
    return name[:1] in "省市县区州镇乡" or any(g.by_name(name[:n]) for n in range(2, min(len(name), 8) + 1))
_LEVEL_CHARS = "省市县区州镇乡村"


def _name_start(text: str, suffix_start: int, floor: int, tokens: _Tokens, company: bool) -> int:
    """Start of an organisation name whose suffix starts at ``suffix_start``.

    Walk left over jieba words until punctuation, a stop word, a number or the
    length limit; then drop leading verbs, adverbs, pronouns and the like, which
    belong to the sentence rather than to the name (坚持|政府, 充分发挥|党支部).
    """
    pos = suffix_start
    chain: list[tuple[int, str]] = []
    while pos > floor:
        found = tokens.word_before(pos, floor)
        if found is None:
            break
        q, word = found
        if word == "”":
            open_q = text.rfind("“", floor, q)
            if open_q < 0:
                break
            chain.append((q, word))
            chain.append((open_q, text[open_q:q]))
            pos = open_q
            continue
        if not all("\u4e00" <= ch <= "\u9fff" or ch in "·“" for ch in word):
            break
        if word in ("和", "及") and chain and not _starts_with_place(text[pos:suffix_start]):
            left = tokens.word_before(q, floor)
            if left and not _SUFFIX_RE.search(left[1][-3:]) and left[1] not in _STOP_BEFORE_NAME:
                chain.append((q, word))  # 农牧水利和科技局: 和 joins two parts of one name
                pos = q
                continue
        if word in _STOP_BEFORE_NAME or (len(word) > 1 and word[-1] in "的了") or _ends_with_stop(word):
            break
        chain.append((q, word))
        pos = q
    chain.reverse()
    g = load_gazetteer()
    strip = ("v", "p", "c", "d", "ad", "r", "u", "y", "t", "f", "i", "l") if company else _STRIP_TAGS
    while chain:
        q, word = chain[0]
        tag = tokens.tag(word)
        if company and tag == "m" and len(chain) > 1 and (tokens.tag(chain[1][1]) or "").startswith(("f", "t")):
            tag = "t"  # 两年|前: a time phrase, not a name
        is_place = q in tokens.place_starts or bool(g.by_name(word)) or (len(word) == 1 and word in _LEVEL_CHARS)
        if not is_place and (tag is not None and tag.startswith(strip) or word in _STOP_BEFORE_NAME):
            chain.pop(0)
            continue
        break
    return chain[0][0] if chain else suffix_start


def _refine_type(name: str, suffix_type: str) -> str:
    if re.search(r"(党委|党组|党支部|党总支|党工委|组织部|宣传部|统战部|纪委|^中共)", name):
        return "PartyOrganization"
    if re.search(rf"(?:省|市|县|区|州|镇|乡)委(?:[{CJK}]{{2,}}领导小组|办公室|$)", name):
        return "PartyOrganization"
    if re.search(r"(银行|支行|分行|信用社|信用合作|农商行|农信|担保|信保|保险|证券|信托|金融控股|农担)", name):
        return "FinancialInstitution"
    if re.search(r"(供销合作社联合社|供销联社|合作社|联合社)$", name):
        return "Cooperative"
    return suffix_type


_SUFFIX_RE = re.compile("|".join(map(re.escape, _SUFFIXES)))


@lru_cache(maxsize=1)
def _bank_re() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, bank_abbreviations()), key=len, reverse=True)))


@lru_cache(maxsize=1)
def bank_abbreviations() -> dict[str, tuple[str, str]]:
    """Standard short names of banks (农行, 农发行) -> (full name, the core branch names use)."""
    from kg.segment import LEXICON

    out = {}
    for line in (LEXICON.parent / "bank_abbreviations.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            short, full, core = line.split("\t")
            out[short] = (full, core)
    return out
_BODY_RE = re.compile(r"((?:[省市县区州镇乡]){1,2})(党委|委|政府)")


def _find_actors(text: str, sentences: tuple[Sentence, ...], finds: _Finds, tokens: _Tokens) -> None:
    g = load_gazetteer()
    for sent in sentences:
        s_text = sent.text
        base = sent.start
        taken: list[tuple[int, int]] = []
        for m in _SUFFIX_RE.finditer(s_text):
            suffix, end = m.group(0), m.end()
            if any(s < end <= e for s, e in taken) or tokens.crosses(base + end):
                continue  # the suffix runs on into another word (局面, 部署, 党组织)
            if any(s_text[:end].endswith(bad) for bad in _NOT_ORG_ENDINGS):
                continue
            if _inside_longer_quote(s_text, m.start(), end):
                continue
            company = suffix in ("有限公司", "股份有限公司", "有限责任公司", "公司", "集团", "分公司")
            floor = max(0, m.start() - (22 if company else 16))
            begin = _name_start(text, base + m.start(), base + floor, tokens, company) - base
            name = s_text[begin:end]
            body = name[: -len(suffix)]
            if not body or len(name) < 3 or (len(body) == 1 and body not in _LEVEL_CHARS):
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
            typ = _refine_type(name, _SUFFIX_TYPE.get(suffix, "GovernmentAgency"))
            if not _proper_name(name, suffix, typ, tokens, g):
                continue
            for inner in [t for t in taken if begin <= t[0] and t[1] <= end]:
                _drop_mention(finds, base + inner[0], base + inner[1])  # 邮政储蓄银行 inside …银行X支行
                taken.remove(inner)
            _add_actor(finds, name.replace("“", "").replace("”", ""), typ, sent, base + begin, base + end, text)
            taken.append((begin, end))
            # An alternative name in brackets right after (…领导小组(乡村振兴领导小组)).
            alt = re.match(r"\(([^()]{2,20})\)", s_text[end:])
            if alt and _SUFFIX_RE.search(alt.group(1)[-4:]):
                finds.actors[name.replace("“", "").replace("”", "")].setdefault("alt", set()).add(alt.group(1))
                taken.append((end, end + alt.end()))
        # A bare level plus body: 区委区政府 is two bodies, 省市委 is 省委 and 市委.
        for m in _BODY_RE.finditer(s_text):
            levels, body = m.group(1), m.group(2)
            if any(s0 <= m.start() < e0 for s0, e0 in taken) or tokens.crosses(base + m.start()):
                continue
            if body == "委" and re.match(r"(组织部|宣传部|统战部|办公室|书记|常委|委员|全会|员)", s_text[m.end():]):
                continue
            for lv in levels:
                _add_actor(finds, lv + body, _BODY_WORDS[body], sent, base + m.start(), base + m.end(), text)
            taken.append((m.start(), m.end()))
        # Finance at a level acting as funder (省财政下达…): the finance department of that level.
        for m in re.finditer(r"(?<![\u4e00-\u9fff])([省市县区])财政(?!厅|局|部|资金|以上|专项|衔接|涉农)", s_text):
            if not any(s0 <= m.start() < e0 for s0, e0 in taken):
                _add_actor(finds, m.group(0), "GovernmentAgency", sent, base + m.start(), base + m.end(), text)
        # Banks by their usual short names (农行, 农发行).
        for m in _bank_re().finditer(s_text):
            if any(s0 <= m.start() < e0 for s0, e0 in taken) or tokens.crosses(base + m.start()):
                continue
            if s_text[m.end() : m.end() + 1] in ("银", "行", "支", "分") or tokens.crosses(base + m.end()):
                continue
            _add_actor(finds, m.group(0), "FinancialInstitution", sent, base + m.start(), base + m.end(), text)
        # A news dateline names the outlet (中国江苏网11月1日讯, 本报讯).
        for m in re.finditer(rf"(?:^|\s)([{CJK}]{{2,8}}?(?:网|报|电视台|广播电台))\s*(?:\d{{1,2}}月\d{{1,2}}日)?讯", s_text):
            _add_actor(finds, m.group(1), "SocialOrganization", sent, base + m.start(1), base + m.end(1), text)
        # The people's political consultative conference of the place (组织政协委员…).
        for m in re.finditer(r"([省市县区]?)政协(?!会议)", s_text):
            if not any(s0 <= m.start() < e0 for s0, e0 in taken) and not tokens.crosses(base + m.start()):
                _add_actor(finds, m.group(1) + "政协" if m.group(1) else "政协", "GovernmentAgency", sent,
                           base + m.start(), base + m.end(), text)
        for m in re.finditer(r"(中央|国家)?[“\"]?([一二三四五六七八九十两])部委[”\"]?", s_text):
            name = re.sub(r"[“”\"]", "", m.group(0))
            _add_actor(finds, name, "GovernmentAgency", sent, base + m.start(), base + m.end(), text)
        _find_people(text, sent, finds, tokens)
    _find_paired_places(text, sentences, finds)


def _find_paired_places(text: str, sentences: tuple[Sentence, ...], finds: _Finds) -> None:
    """Places acting together (广陵区与佳县签订协作协议): each place acts, as its government."""
    spans = sorted((m.start, m.end, r["name"], r["level"]) for r in finds.regions.values() for m in r["mentions"])
    for (s1, e1, n1, l1), (s2, e2, n2, l2) in zip(spans, spans[1:]):
        if l1 not in ("province", "city", "county") or l2 not in ("province", "city", "county") or n1 == n2:
            continue
        if text[e1:s2] not in ("与", "和", "同", "、") or not re.match(r"[^,。;]{0,8}?(签订|签署|签约|结对|协作|合作|携手|对接)", text[e2:]):
            continue
        sent = _sentence_of(sentences, s1)
        _add_actor(finds, n1, "GovernmentAgency", sent, s1, e1, text)
        _add_actor(finds, n2, "GovernmentAgency", sent, s2, e2, text)


def _inside_longer_quote(s: str, start: int, end: int) -> bool:
    """True inside a quoted programme name that goes on after the suffix (“异地京山商会家乡行”)."""
    open_q = s.rfind("“", 0, start)
    if open_q < 0 or s.rfind("”", 0, start) > open_q:
        return False
    close_q = s.find("”", end)
    return close_q > end


def _proper_name(name: str, suffix: str, typ: str, tokens: _Tokens, g: Gazetteer) -> bool:
    """Named organisations only: 种植合作社 or 示范性合作社 name no one."""
    body = name[: -len(suffix)]
    if re.match(r"^(?:省|市|县|区|乡|镇|村)级", body) or body in _GENERIC_PLACES:
        return False  # 县级服务中心, 乡镇中心: a kind of body, not one named
    if suffix in ("有限公司", "股份有限公司", "有限责任公司") or body[:1] in "省市县区州镇乡":
        return True
    if suffix in ("中心", "服务中心", "办公室") and len(body) >= 4:
        return True
    if name.endswith("部委"):
        return bool(re.search(r"[一二三四五六七八九十两]部委$", name))
    if typ in ("GovernmentAgency", "PartyOrganization") and suffix not in ("中心", "服务中心", "办公室", "委员会"):
        return True
    # Enterprises, banks, co-operatives, associations and centres need a proper part:
    # a place, a word jieba does not know (a brand) or a proper noun.
    for i in range(len(body)):
        for j in range(min(len(body), i + 8), i + 1, -1):
            piece = body[i:j]
            if g.by_name(piece):
                return True
    if len(body) == 2 and tokens.tag(body) is None:
        return True  # an abbreviation or brand jieba does not know (农担公司)
    from kg.segment import words

    for w in words(body):
        tag = tokens.tag(w)
        if tag is None and len(w) >= 2 or (tag or "").startswith(("nr", "ns", "nt", "nz")):
            return True
    return typ in ("GovernmentAgency", "PartyOrganization", "FinancialInstitution") and len(body) >= 4


def _drop_mention(finds: _Finds, start: int, end: int) -> None:
    """Forget a name read at [start, end): a longer name read later contains it."""
    for name in list(finds.actors):
        entry = finds.actors[name]
        entry["mentions"] = [m for m in entry["mentions"] if (m.start, m.end) != (start, end)]
        if not entry["mentions"]:
            del finds.actors[name]


def _add_actor(finds: _Finds, name: str, typ: str, sent: Sentence, start: int, end: int, text: str) -> None:
    entry = finds.actors.setdefault(name, {"name": name, "type": typ, "mentions": [], "post": None})
    entry["mentions"].append(Mention(text[start:end], start, end, sent.index))


def _find_people(text: str, sent: Sentence, finds: _Finds, tokens: _Tokens) -> None:
    s = sent.text
    # A name that jieba knows as a person, right before a post (习近平总书记).
    for m in re.finditer(r"总书记|书记|主席|总理|董事长|理事长", s):
        found = tokens.word_before(sent.start + m.start(), sent.start)
        if found and (tokens.tag(found[1]) or "").startswith("nr") and len(found[1]) >= 2:
            start = found[0]
            _add_actor(finds, found[1], "Person", sent, start, start + len(found[1]), text)
            finds.actors[found[1]]["post"] = m.group(0)
    for m in _TITLE_NAME_RE.finditer(s):
        title = m.group(1)
        if any(t in s[max(0, m.start() - 6) : m.start() + len(title)] for t in _NOT_PERSON_TITLES):
            continue
        pos = m.start(2)
        while True:
            name = _person_at(s, pos, tokens, sent.start)
            if name is None:
                break
            start = sent.start + pos
            _add_actor(finds, name, "Person", sent, start, start + len(name), text)
            finds.actors[name]["post"] = title
            pos += len(name)
            # A list of names after the title (井石、董万基等).
            if s[pos : pos + 1] != "、":
                break
            pos += 1


def _person_at(s: str, pos: int, tokens: _Tokens, sent_start: int = 0) -> str | None:
    """A Chinese personal name (surname + one or two characters) starting at ``pos``."""
    if pos >= len(s) or s[pos] not in _SURNAMES:
        return None
    for length in (3, 2):
        cand = s[pos : pos + length]
        if len(cand) < length or not all("\u4e00" <= c <= "\u9fff" for c in cand):
            continue
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


# ---------------------------------------------------------------- programmes and documents
_PROGRAM_CUES = ("实施", "开展", "推进", "启动", "深化", "创建", "打造", "部署", "落实", "参与", "纳入", "发放", "入选",
                 "举办", "创成", "支持", "作为", "产品", "建设", "加快", "列入", "用")
_QUOTE_HEADS = re.compile(r"(三年行动计划|行动计划|专项行动|实践活动|行动|工程|活动|项目|建设|品牌|计划|贷)")
_UNQUOTED_HEADS = re.compile(r"(行动计划|专项行动|行动|工程|计划|项目|试点|建设|示范区|示范县|示范乡镇|精品村|产业园|科创园|农场)")
_LEVEL_ADJ = re.compile(r"^(?:国家级|省级|市级|县级|区级|全国|全省)")
_NUMBER_QUANT = re.compile(r"^[\d一二三四五六七八九十百千万两]+(?:个|户|项|家|批|条|座)")


def _find_programs(text: str, sentences: tuple[Sentence, ...], finds: _Finds, tokens: _Tokens) -> None:
    g = load_gazetteer()
    for sent in sentences:
        s = sent.text
        quoted_spans: list[tuple[int, int]] = []
        for m in _QUOTE.finditer(s):
            if s.rfind("《", 0, m.start()) > s.rfind("》", 0, m.start()):
                continue  # a quote inside a document title
            inner = m.group(1).strip()
            if re.search(r"[。;!?]", inner) or len(inner) > 24 or re.search(r"\d+%", inner):
                continue
            clause_start = max(s.rfind(c, 0, m.start()) for c in ",;:。") + 1
            before = s[clause_start : m.start()]
            after = re.match(rf"[{CJK}0-9+\-]{{0,14}}?{_QUOTE_HEADS.pattern}(?=[^{CJK}]|$|[{CJK}])", s[m.end() :])
            follow = after.group(0) if after else ""
            if follow and tokens.crosses(sent.start + m.end() + len(follow)):
                follow = ""  # the head runs on into another word (建设性, 项目库)
            own_head = bool(re.search(r"(工程|行动|贷|计划)$", inner))
            cue = any(c in before for c in _PROGRAM_CUES)
            if not (follow or own_head or cue):
                continue
            if "," in inner and not follow:
                continue
            name, aliases = inner, set()
            if follow:
                aliases.add(inner + follow)
                symbolic = not re.fullmatch(rf"[{CJK}、,]{{3,}}", inner) or _SUFFIX_RE.search(inner[-3:])
                if symbolic and not (_QUOTE_HEADS.fullmatch(follow) and len(inner) <= 2):
                    name, aliases = inner + follow, {inner}
            prev = tokens.word_before(sent.start + m.start(), sent.start + clause_start)
            if prev and len(inner) <= 2 and (tokens.tag(prev[1]) or "").startswith("n") and not g.by_name(prev[1]):
                aliases.add(name)
                name = prev[1] + inner  # 农业“双强”行动: the qualifier belongs to the name
                aliases.add(name + follow if follow else name)
            lead = _region_before(s, m.start(), g)
            if lead:
                aliases.add(lead + inner + follow)
            start = sent.start + m.start(1)
            _add_program(finds, name, sent, start, start + len(inner), text, aliases)
            quoted_spans.append((m.start(), m.end() + len(follow)))
        _unquoted_programs(text, sent, finds, tokens, quoted_spans)
        _line_item_program(text, sent, finds)


def _region_before(s: str, pos: int, g: Gazetteer) -> str | None:
    for length in range(min(pos, 10), 1, -1):
        cand = s[pos - length : pos]
        if any(d.level != "village" and d.name == cand for d in g.by_name(cand)):
            return cand
    return None


_UNQUOTED_CUES = tuple(c for c in _PROGRAM_CUES if c not in ("产品", "用", "支持", "作为"))
_HEAD_RUN_ON = ("工作", "建设", "项目")
# Overlapping cues (加快建设): a lookahead finds every cue end, as the per-cue scan did.
_UNQUOTED_CUE_RE = re.compile("(?=(" + "|".join(map(re.escape, _UNQUOTED_CUES)) + "))")
_NAMED_FUND = re.compile(rf"(?:下达|安排|争取|拨付|整合|\()([{CJK}]{{4,20}}?(?:补助资金|发展资金|专项资金|奖补资金|扶持资金))")


def _unquoted_programs(text: str, sent: Sentence, finds: _Finds, tokens: _Tokens, quoted: list[tuple[int, int]]) -> None:
    """Programmes named after a verb that launches them: 开展X试点, 实施4个X建设及88个Y建设."""
    s = sent.text
    list_verb_until = -1
    for clause_start, clause_end in _clauses(s):
        clause = s[clause_start:clause_end]
        cue_ends = sorted({cm.start() + len(cm.group(1)) for cm in _UNQUOTED_CUE_RE.finditer(clause)})
        if _NUMBER_QUANT.match(clause) and clause_start <= list_verb_until:
            cue_ends = [0, *cue_ends]  # 新创建2个X、5个Y: the list goes on under the same verb
        if not cue_ends:
            continue
        list_verb_until = clause_end + 1
        heads = list(_UNQUOTED_HEADS.finditer(clause))
        skip_until = -1
        for i, hm in enumerate(heads):
            nxt = heads[i + 1] if i + 1 < len(heads) else None
            if hm.start() < skip_until:
                continue
            if nxt is not None and nxt.start() == hm.end():
                if nxt.group(0) not in _HEAD_RUN_ON:
                    continue  # 示范县|工程: the name ends at the later head
                skip_until = nxt.end()  # 工程|建设: the name ends at the first
            elif tokens.crosses(sent.start + clause_start + hm.end()) and not clause[hm.end():].startswith(_HEAD_RUN_ON):
                continue
            elif clause[hm.end():hm.end() + 1] in ("村", "镇", "乡", "户") and hm.group(0) in ("试点", "示范"):
                continue  # 试点村: the head names a kind of village here
            before = [c for c in cue_ends if c <= hm.start()]
            if not before:
                continue
            name_start = clause_start + before[-1]
            name = s[name_start : clause_start + hm.end()]
            # Cut at the last joining word or 的 (…加工为一体的城北区现代农业产业园; X建设及Y建设).
            cut = max(name.rfind("的") + 1, max((m.end() for m in re.finditer(r"(?<=工程|建设|项目|行动|计划|试点)(?:及|和|与)", name)), default=0))
            name_start += cut
            name = name[cut:]
            lead = re.match(r"^(?:了|在|及|和|与|全市|全县|全区|全省|首批|第[一二三四五六七八九十]+批)*", name).end()
            name_start += lead
            name = name[lead:]
            num = _NUMBER_QUANT.match(name)
            if num:
                name_start += num.end()
                name = name[num.end():]
            if re.match(r"^[\d一二三四五六七八九十百千]+(?:个|项|家)", s[clause_start + hm.end():]):
                continue  # 实施农产品精深加工项目36项: a kind of project counted, not one named
            if any(qs <= name_start < qe for qs, qe in quoted) or "“" in name or "”" in name:
                continue
            if len(name) < 4 or re.match(r"^\d", name) or "资金分配" in name or name.startswith(("各", "该", "这")):
                continue
            core = _LEVEL_ADJ.sub("", name)
            aliases = {name} if core != name else set()
            start = sent.start + name_start
            _add_program(finds, core, sent, start, start + len(name), text, aliases)
    for m in _NAMED_FUND.finditer(s):
        name = re.sub(r"^(?:\d{4}年(?:度)?|第[一二三四五六七八九十]+批)+", "", m.group(1))
        start = sent.start + m.end() - len(name)
        if len(name) >= 6 and s.rfind("《", 0, m.start()) <= s.rfind("》", 0, m.start()):
            _add_program(finds, _LEVEL_ADJ.sub("", name), sent, start, start + len(name), text, {name})


def _line_item_program(text: str, sent: Sentence, finds: _Finds) -> None:
    """A numbered line that names a project (1.某某村人饮巩固提升工程) is a programme."""
    m = re.match(rf"^\s*(?:\d+[.、]|[((]\d+[))]|[一二三四五六七八九十]+、)\s*([{CJK}0-9()()]{{4,40}}?(?:工程|项目)(?:\([^()]{{1,8}}\))?)$", sent.text)
    if m:
        start = sent.start + m.start(1)
        _add_program(finds, m.group(1), sent, start, start + len(m.group(1)), text, set())


def _add_program(finds: _Finds, name: str, sent: Sentence, start: int, end: int, text: str, aliases: set[str]) -> None:
    # The same programme written longer or shorter elsewhere is one programme.
    for key, other in finds.programs.items():
        if name in other["aliases"] or key in aliases:
            name = key
            break
    entry = finds.programs.setdefault(name, {"name": name, "aliases": set(), "mentions": []})
    entry["aliases"].update(aliases)
    entry["mentions"].append(Mention(text[start:end], start, end, sent.index))


def _find_documents(text: str, sentences: tuple[Sentence, ...], finds: _Finds) -> None:
    for sent in sentences:
        s = sent.text
        for m in _BOOK.finditer(s):
            title = m.group(1).strip()
            start = sent.start + m.start(1)
            entry = finds.documents.setdefault(title, {"title": title, "issuer": None, "mentions": []})
            entry["mentions"].append(Mention(title, start, start + len(m.group(1)), sent.index))
            # Issuer: an organisation written right before the title (…财政厅《…》).
            before = s[: m.start()]
            for name in sorted(finds.actors, key=len, reverse=True):
                if before.endswith(name) or before.endswith(name + "印发") or before.endswith(name + "制定"):
                    entry["issuer"] = name
                    break


# ---------------------------------------------------------------- fundings
def _clauses(s: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in re.finditer(r"[,;:]|(?<=[^\d])、", s):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(s)))
    return out


def _is_heading(s: str) -> bool:
    """A short line with no sentence end, often numbered (二、…, (一)…)."""
    return len(s) <= 40 and not re.search(r"[。!?;]$", s) and (
        bool(re.match(r"^(?:[一二三四五六七八九十]+、|[((][一二三四五六七八九十\d]+[))]|\d+[.、])", s)) or "," not in s)


def title_sentence(title: str | None, sentences: tuple[Sentence, ...]) -> Sentence | None:
    """The sentence that is the report's headline, if the text starts with it."""
    if not sentences:
        return None
    first = sentences[0]
    if title and first.text.strip().rstrip("!!。") == title.strip().rstrip("!!。"):
        return first
    if title is None and first.index == 0 and not re.search(r"[。!?]$", first.text) and len(first.text) <= 60:
        return first
    return None


def _find_fundings(text: str, sentences: tuple[Sentence, ...], finds: _Finds, report_title: str | None) -> None:
    actor_names = sorted(finds.actors, key=len, reverse=True)
    # A funder named in the title (…中央财政…资金分配计划) gives every amount that names none.
    title = title_sentence(report_title, sentences)
    head = _FUNDER_PHRASES.search(title.text) if title is not None else None
    default_funder = head.group(0) if head else None
    section_funder = None
    for sent in sentences:
        s = sent.text
        amounts = find_amounts(s)
        if _is_heading(s):
            # A heading that names a source of money (二、中央财政衔接资金) gives the amounts under it.
            found = _FUNDER_PHRASES.search(s)
            section_funder = found.group(0) if found else None
        if not amounts:
            continue
        if title is not None and sent.index == title.index:
            continue  # a headline restates what the body says
        clauses = _clauses(s)
        sentence_funder = None
        for am in amounts:
            c_start, c_end = next(((a, b) for a, b in clauses if a <= am.start < b + 1), (0, len(s)))
            clause = s[c_start:c_end]
            # The words that speak of the amount: its own clause and the one before.
            prev = next(((a, b) for a, b in clauses if b <= c_start and b >= c_start - 1), None)
            context = (s[prev[0] : prev[1]] + "," if prev else "") + clause
            local = s[max(0, am.start - 14) : am.start]
            if any(n in clause for n in _NOT_FUNDING_CUES) and not any(c in local for c in ("投资", "贷款", "资金", "补助")):
                continue
            if not any(c in context for c in _FUNDING_CUES):
                continue
            if re.search(r"(每亩|一个月|每月|每年|亩|年增收)", s[max(0, am.start - 6) : am.start]):
                continue
            kind = _funding_kind(clause + s[max(0, c_start - 20) : c_start])
            funder = _funding_funder(s, c_start, am.start, actor_names)
            if funder is None:
                funder = _implied_giver(s, c_start, kind, finds, clauses)
            if funder is None and sentence_funder and c_start > 0:
                funder = sentence_funder  # 整合…6400万元扶持128个村,列支200万元: the same giver
            funder = funder or section_funder or default_funder
            sentence_funder = funder
            recipient = _funding_recipient(s, c_start, am, clauses, finds, sentences, sent)
            count = _funding_count(s, c_start, c_end) or _count_in(recipient)
            year = _YEAR.search(s[: am.start])
            start = sent.start + c_start
            end = sent.start + c_end
            evidence = Mention(text[start:end].strip(), start, end, sent.index)
            program = _funding_program(s[c_start : am.start], finds) or _funding_program(
                s[max(0, c_start - 12) : c_start], finds)
            finds.fundings.append(Funding(
                amount_cny=am.amount, evidence=evidence, kind=kind, funder=funder,
                recipient=recipient,
                program=program, count=count[0] if count else None, count_unit=count[1] if count else None,
                year=int(year.group(1)) if year else None,
            ))


def _funding_kind(context: str) -> str:
    for kind, cues in _KIND_CUES:
        if any(c in context for c in cues):
            return kind
    return "fund"


def _funding_funder(s: str, c_start: int, a_start: int, actor_names: list[str]) -> str | None:
    """The giver: an organisation in the amount's own clause, else a funder phrase earlier in the sentence."""
    clause = s[c_start:a_start]
    best: tuple[int, str] | None = None
    for name in actor_names:
        i = clause.rfind(name)
        if i >= 0 and re.search(r"(?:向|给|为|对|帮助|支持|扶持|帮扶)$", clause[:i]):
            continue  # 向X合作社发放贷款: X receives
        if i >= 0 and (best is None or i > best[0]):
            best = (i, name)
    for f in _FUNDER_PHRASES.finditer(clause):
        if best is None or f.start() > best[0]:
            best = (f.start(), f.group(0))
    if best:
        return best[1]
    level = re.search(r"(?<![地城社园景山省市县乡镇])([区县市])级(?:财政)?(?:涉农)?(?:资金|财政)", clause)
    if level:
        return level.group(1) + "政府"  # 整合区级涉农资金: the district government's money
    source = re.search(r"(中央|省级)(?:财政)?(?:专项|衔接|补助)?资金$", clause)
    if source:
        return source.group(1) + "财政"  # 其中中央资金984万元: central-government money
    phrases = list(_FUNDER_PHRASES.finditer(s[:c_start]))
    return phrases[-1].group(0) if phrases else None


_RECIPIENT_AFTER = re.compile(
    rf"^[,]?\s*(?:用于|专项)?(?:扶持|支持|补助|资助|帮扶|奖励|用于|投向|拨付给|下达给|发放给)(?:了)?\s*"
    rf"((?:近|约|共)?[\d一二三四五六七八九十百千]+个[{CJK}]{{0,8}}?(?:行政村|村|镇|乡|社区|合作社|企业|项目)(?![{CJK}]{{0,2}}[村镇乡])"
    rf"|[{CJK}]{{1,12}}?(?:村|镇|乡|县|区|市|社区|合作社|企业|公司|农户|集体经济组织)(?=[,。;、]|发展|建设|开展|$))"
)
_RECIPIENT_BEFORE = re.compile(rf"(?:在|向|给|为|对)([{CJK}]{{2,16}}?)(?:投资|发放|拨付|下达|提供|授信|放贷|注资|投放|投入)")


def _funding_recipient(s: str, c_start: int, am, clauses: list[tuple[int, int]], finds: _Finds,
                       sentences: tuple[Sentence, ...], sent: Sentence) -> str | None:
    """Who gets the money: 扶持128个村, 在双墩村投资, or the 实施单位 of a project line."""
    after = _RECIPIENT_AFTER.match(s[am.end :])
    if after:
        return after.group(1)
    before = _RECIPIENT_BEFORE.search(s[c_start : am.start])
    if before:
        return before.group(1)
    each = re.search(rf"(每个?[{CJK}]{{1,3}}?)(?:补助|奖补|补贴|奖励|支持)$", s[c_start : am.start])
    if each:
        return each.group(1)  # 每个村补助60万元
    # Allocation lists: "投资:500万元 实施单位:X".
    for probe in (s[am.end :], sentences[sent.index + 1].text if sent.index + 1 < len(sentences) else ""):
        unit = re.search(rf"(?:实施单位|承担单位|项目单位|建设单位)[::]\s*([{CJK}()]{{2,30}})", probe)
        if unit:
            return unit.group(1)
    return None


_TIME_PHRASE = re.compile(r"^(?:[^,]{0,8}?(?:以来|目前|今年|近日|日前|近年来|同时|此外|近期|年初|上半年|下半年)|\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?)[,]?")


def _strip_time_phrase(s: str) -> str:
    """A sentence without its opening time phrase (近日,… / 今年以来,…)."""
    return _TIME_PHRASE.sub("", s, count=1)


def _implied_giver(s: str, c_start: int, kind: str, finds: _Finds, clauses: list[tuple[int, int]]) -> str | None:
    """A bank that opens the sentence lends; a company just brought in (引进X公司,投资…) invests."""
    wanted = {"loan": "FinancialInstitution", "investment": "Enterprise"}.get(kind)
    if wanted is None:
        return None
    head = _strip_time_phrase(s)
    for name, entry in finds.actors.items():
        if entry["type"] != wanted:
            continue
        if head.startswith(name) and c_start > len(s) - len(head):
            return name
        prev = next(((a, b) for a, b in clauses if b <= c_start and b >= c_start - 1), None)
        if kind == "investment" and prev and re.search(rf"(?:引进|引入|招引|签约)[^,]{{0,6}}{re.escape(name)}$", s[prev[0]:prev[1]]):
            return name
    return None


def _count_in(recipient: str | None) -> tuple[int, str] | None:
    """扶持128个村: the count is in the recipient."""
    m = re.match(r"^(?:近|约|共)?(\d+)(个[\u4e00-\u9fff]*)$", recipient or "")
    if not m:
        return None
    unit = m.group(2)
    return int(m.group(1)), unit if len(unit) <= 4 else "个" + unit[-1]


def _funding_count(s: str, c_start: int, c_end: int) -> tuple[int, str] | None:
    m = None
    for m in _COUNT.finditer(s[c_start:c_end]):
        break
    if m is None:
        return None
    from kg.money import _number

    try:
        return int(_number(m.group(1))), m.group(2)
    except ValueError:
        return None


def _funding_program(context: str, finds: _Finds) -> str | None:
    """The programme named nearest before the amount."""
    best: tuple[int, int, str] | None = None
    for name in finds.programs:
        i = context.rfind(name)
        if i >= 0 and (best is None or (i + len(name), len(name)) > best[:2]):
            best = (i + len(name), len(name), name)
    return best[2] if best else None


# ---------------------------------------------------------------- measures
_VERB_ACTION = {verb: action for action, verbs in _MEASURE_VERBS for verb in verbs}
_VERB_RE = re.compile("|".join(sorted(map(re.escape, _VERB_ACTION), key=len, reverse=True)))


def _find_measures(text: str, sentences: tuple[Sentence, ...], finds: _Finds, tokens: _Tokens) -> None:
    """Actor–action–object: who issued, held, set up, signed, launched or disbursed what."""
    actor_names = sorted(finds.actors, key=len, reverse=True)
    region_names = sorted({a for r in finds.regions.values() for a in r["aliases"]}, key=len, reverse=True)
    for sent in sentences:
        s = sent.text
        for m in _VERB_RE.finditer(s):
            if tokens.crosses(sent.start + m.start()) or tokens.crosses(sent.start + m.end()):
                continue  # 实施方案, 发放到账: the verb is part of another word
            if s.rfind("《", 0, m.start()) > s.rfind("》", 0, m.start()) or s.count("“", 0, m.start()) > s.count("”", 0, m.start()):
                continue  # inside a title or a quotation
            if re.match(r"(?:时间|日期)", s[m.end():]) or re.match(r"^(?:来源|发布|时间|日期|作者)", s):
                continue  # 发布时间: a metadata line, not a measure
            action = _VERB_ACTION[m.group(0)]
            clause_end = min([i for i in (s.find(c, m.end()) for c in ",;。") if i >= 0] or [len(s)])
            if action == "disbursed" and not re.search(r"资金|贷款|万元|亿元|补助|补贴|奖补", s[m.end():clause_end]):
                continue  # 安排部署, 投入与创新: not money
            rest = s[m.end():]
            docs = re.match(r"(?:了)?((?:《[^》]+》[、和及]?)+)", rest)
            if docs:
                objects = re.findall(r"《([^》]+)》", docs.group(1))
                span_end = m.end() + docs.end()
            else:
                obj = re.match(r"(?:了)?\s*([^,。;:!?\d]{2,30})", rest)
                if not obj:
                    continue
                text_obj = re.split(r"[、]", obj.group(1))[0].rstrip("的了等")
                if len(text_obj.replace("“", "").replace("”", "")) < 2:
                    continue
                objects = [text_obj.replace("“", "").replace("”", "")]
                span_end = m.end() + obj.end()
            actor = _measure_actor(s, m.start(), actor_names, region_names)
            start, end = sent.start + m.start(), sent.start + span_end
            for obj_text in objects:
                finds.measures.append(Measure(action, obj_text,
                                              Mention(text[start:end], start, end, sent.index), actor))


def _measure_actor(s: str, verb_start: int, actor_names: list[str], region_names: list[str]) -> str | None:
    """The doer: a name just before the verb, else the sentence's subject (an organisation or a place)."""
    window = s[max(0, verb_start - 12) : verb_start]
    best = None
    for n in actor_names:
        i = window.rfind(n)
        if i >= 0 and (best is None or i + len(n) > best[0]):
            best = (i + len(n), n)
    if best:
        return best[1]
    head = _strip_time_phrase(s)
    for names in (actor_names, region_names):
        for n in names:
            if head.startswith(n):
                return n
    return None


# ---------------------------------------------------------------- entry point
def extract(report: NormalizedReport, sentences: tuple[Sentence, ...]) -> Extraction:
    """Read every fact out of one normalized, sentence-split report (surface names)."""
    text = report.text
    finds = _Finds()
    tokens = _Tokens(text)
    _find_regions(text, sentences, finds, tokens)
    jurisdiction_key = _jurisdiction(finds, report)
    _find_actors(text, sentences, finds, tokens)
    _find_documents(text, sentences, finds)
    _find_programs(text, sentences, finds, tokens)
    jurisdiction = finds.regions[jurisdiction_key]["name"] if jurisdiction_key else None
    _find_fundings(text, sentences, finds, report.raw.title)
    _find_measures(text, sentences, finds, tokens)
    regions = tuple(
        Region(r["name"], r["level"], r["code"], r["parent"], r["parent_code"],
               tuple(sorted(r["aliases"] - {r["name"]})), tuple(r["mentions"]))
        for r in finds.regions.values()
    )
    actors = tuple(Actor(a["name"], a["type"], None, (), tuple(a["mentions"]), a["post"]) for a in finds.actors.values())
    programs = tuple(Program(p["name"], None, tuple(sorted(p["aliases"] - {p["name"]})), tuple(p["mentions"]))
                     for p in finds.programs.values())
    documents = tuple(Document(d["title"], d["issuer"], tuple(d["mentions"])) for d in finds.documents.values())
    return Extraction(report, sentences, jurisdiction, regions, actors, programs, documents,
                      tuple(finds.fundings), tuple(finds.measures))
