"""Shared pieces of extraction: the word index of a report, the collector, name boundaries."""

from __future__ import annotations

import itertools

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.gazetteer import load_gazetteer
from kg.model import Funding, Measure, Mention, Sentence
from kg.registers import national_organs

CJK = "\u4e00-\u9fff"


LEVEL_RANK = {"province": 0, "city": 1, "county": 2, "township": 3, "village": 4}


# Generic place words that look like division names but name no place.
GENERIC_PLACES = frozenset(
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
    "村民 农户 群众 干部 党员 企业家 发挥 作用 作为 赴 前往 负责人 首家 首个 各类 以上 辖内 当地 单位 位于 地处 坐落 坐落于 采用 采取 利用 借助 "
    "上报 报送 报请 后报 报县 报市 报省 报区 报州 联系 对接 走进 走访"
).split()


@dataclass
class Finds:
    """Mutable collector used while reading one report."""

    regions: dict[str, dict] = field(default_factory=dict)
    actors: dict[str, dict] = field(default_factory=dict)
    programs: dict[str, dict] = field(default_factory=dict)
    documents: dict[str, dict] = field(default_factory=dict)
    fundings: list[Funding] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    #: the gazetteer key of the place the report is about, once the regions are read
    jurisdiction: str | None = None


def latest_year(text: str) -> str | None:
    """The latest year the text names: the date of an undated report, as names change at most yearly.

    >>> latest_year("2019年下达资金,2021年完成验收"), latest_year("近日下达资金")
    ('2021', None)
    """
    years = re.findall(r"((?:19|20)\d\d)年", text)
    return max(years) if years else None


def make_mention(sent: Sentence, start: int, end: int, text: str) -> Mention:
    return Mention(text[start:end], start, end, sent.index)


def sentence_of(sentences: tuple[Sentence, ...], pos: int) -> Sentence:
    lo, hi = 0, len(sentences) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sentences[mid].start <= pos:
            lo = mid
        else:
            hi = mid - 1
    return sentences[lo]


class Tokens:
    """jieba words of the whole text with their offsets and dictionary part-of-speech."""

    def __init__(self, text: str) -> None:
        from kg.segment import pos_tags, words

        self.text = text
        cut = words(text)
        offsets = list(itertools.accumulate(map(len, cut), initial=0))
        self.starts: set[int] = set(offsets)
        self.word_at: dict[int, str] = dict(zip(offsets, cut))
        self.tags = pos_tags()
        self.place_starts: set[int] = set()  # where a region mention begins (filled by find_regions)

    def tag(self, word: str) -> str | None:
        return self.tags.get(word)

    def word_before(self, pos: int, floor: int = 0) -> tuple[int, str] | None:
        q = pos - 1
        while q >= floor and q not in self.word_at:
            q -= 1
        if q < floor:
            return None
        return q, self.word_at[q][: pos - q]

    def words_in(self, start: int, end: int) -> list[str]:
        """The words of the text between two offsets (cut at the edges)."""
        out, pos = [], start
        while pos < end:
            word = self.word_at.get(pos)
            if word is None:  # inside a word that began before ``start``
                nxt = next((q for q in range(pos + 1, end) if q in self.word_at), end)
                out.append(self.text[pos:nxt])
                pos = nxt
                continue
            out.append(word[: end - pos])
            pos += len(word)
        return out

    def crosses(self, pos: int) -> bool:
        """True when a word runs across ``pos`` (so ``pos`` is no word boundary)."""
        return pos not in self.starts


_STRIP_TAGS = ("v", "p", "c", "d", "ad", "r", "u", "y", "m", "q", "t", "f", "e", "o", "i", "l")


def _ends_with_stop(word: str) -> bool:
    return len(word) > 2 and word.endswith(_LONG_STOPS)


_LONG_STOPS = tuple(stop for stop in _STOP_BEFORE_NAME if len(stop) >= 2)


def _starts_with_place(name: str) -> bool:
    g = load_gazetteer()
    # (自治区党委, 自治州政府: the level word of an autonomous region or prefecture stands for the place, as 省 does)
    return name[:1] in "省市县区州镇乡" or name.startswith(("自治区", "自治州")) \
        or any(g.by_name(name[:n]) for n in range(2, min(len(name), 8) + 1))


LEVEL_CHARS = "省市县区州镇乡村"

# Kinds of policy document, the last word of a document's title (…实施方案, …管理办法): no outlet's or programme's name.
DOCUMENT_KINDS = ("方案", "实施方案", "规划", "办法", "意见", "通知", "细则", "决定", "条例", "计划", "纲要", "指南", "规定",
                  "实施意见", "指导意见", "管理办法")

# A title in 《》 cited as the source of news (据《某某周刊》消息, 据《某某报》报道): an outlet, no policy document.
CITED_OUTLET = re.compile(r"据《([^《》\s]{2,12})》(?:\d{1,2}月\d{1,2}日)?(?:报道|消息|讯)")
# Last characters of a body's name (县委, 县政府, 财政局, 农商银行, 妇联): what a joining word (和, 及) may follow.
BODY_ENDS = "委府局厅部办行社会站所院心联组司队"


# The level a level character names when it stands for a place (县财政局, 旗委).
LEVEL_OF_CHAR = {"省": "province", "市": "city", "州": "city", "盟": "city", "县": "county", "区": "county",
                 "旗": "county", "镇": "township", "乡": "township"}


def only_places(text: str, start: int, end: int, places: dict[int, tuple[int, str]]) -> bool:
    """True when text[start:end] is nothing but places and level characters (锦屏县, 县, 某镇).

    ``places`` maps where each place mention ends to where it starts (and its level).

    >>> only_places("冯家镇长柏家村", 0, 7, {3: (0, "township"), 7: (3, "village")})
    True
    """
    pos = end
    while pos > start:
        if pos in places and places[pos][0] >= start:
            pos = places[pos][0]
        elif text[pos - 1] in LEVEL_OF_CHAR:
            pos -= 1
        else:
            return False
    return True


def joined_after_body(text: str, pos: int) -> bool:
    """True when the level character at ``pos`` follows a joining word right after a body (县委宣传部和|县妇联), where
    和县 is no county.

    >>> joined_after_body("县委和县政府", 3), joined_after_body("马鞍山市和县", 5)
    (True, False)
    """
    return pos >= 2 and text[pos - 1] in "和与及" and text[pos - 2] in BODY_ENDS and text[pos] in LEVEL_OF_CHAR


def name_start(text: str, suffix_start: int, floor: int, tokens: Tokens, company: bool, task: bool = False) -> int:
    """Start of an organisation name whose suffix starts at ``suffix_start``.

    Walk left over jieba words until punctuation, a stop word, a number or the
    length limit; then drop leading verbs, adverbs, pronouns and the like, which
    belong to the sentence rather than to the name (坚持|政府, 充分发挥|党支部) — but not the
    verbs of a ``task`` committee's name (巩固拓展脱贫攻坚成果|领导小组).
    """
    pos = suffix_start
    chain: list[tuple[int, str]] = []
    task_stop = None  # where a committee's name would stop at a word of its task (对口支援和经济合作|工作领导小组)
    stop_word = ""
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
            if left and not suffix_re().search(left[1][-3:]) and left[1] not in _STOP_BEFORE_NAME:
                chain.append((q, word))  # 农牧水利和科技局: 和 joins two parts of one name
                pos = q
                continue
        if word in _STOP_BEFORE_NAME or (len(word) > 1 and word[-1] in "的了") or _ends_with_stop(word):
            if task and len(word) >= 2 and word[-1] not in "的了":
                task_stop = len(chain) if task_stop is None else task_stop
                chain.append((q, word))
                pos = q
                continue
            stop_word = word
            break
        chain.append((q, word))
        pos = q
    if task_stop is not None:
        # A committee's task may hold such words (某市对口支援和经济合作工作领导小组): the name runs over them only back
        # to the place that opens it, else it stops at the first of them.
        placed = [i for i in range(task_stop, len(chain)) if chain[i][0] in tokens.place_starts]
        chain = chain[: placed[0] + 1] if placed else chain[:task_stop]
    chain.reverse()
    g = load_gazetteer()
    strip = ("v", "p", "c", "d", "ad", "r", "u", "y", "t", "f", "i", "l") if company else _STRIP_TAGS
    if task:
        # A committee named by its task (巩固拓展脱贫攻坚成果领导小组): verbs and set phrases are its name.
        strip = tuple(t for t in strip if t not in ("v", "i", "l", "m", "q"))
    after_adverb = tokens.tag(stop_word) == "ad" if stop_word else False  # (积极 is a stop word itself)
    while chain:
        q, word = chain[0]
        tag = tokens.tag(word)
        if company and tag == "m" and len(chain) > 1 and (tokens.tag(chain[1][1]) or "").startswith(("f", "t")):
            tag = "t"  # 两年|前: a time phrase, not a name
        is_place = q in tokens.place_starts or bool(g.by_name(word)) or (len(word) == 1 and word in LEVEL_CHARS)
        if not is_place and (tag is not None and tag.startswith(strip) or word in _STOP_BEFORE_NAME):
            chain.pop(0)
            after_adverb = tag == "ad"
            continue
        if after_adverb and not is_place and len(word) == 2 and len(chain) > 1 and not suffix_re().search(word):
            chain.pop(0)  # 积极|联系|省林业厅: the word an adverb of manner qualifies is a verb, whatever jieba tags it
            after_adverb = False
            continue
        break
    if not task:
        chain = _after_inner_verb(chain, tokens, g)
    return chain[0][0] if chain else suffix_start


def _place_word(word: str, g) -> bool:
    """A word that names a place: its full name, or a short form of three or more characters (振兴, 丹东振兴区's short
    form, is a verb first).

    >>> from kg.gazetteer import load_gazetteer
    >>> _place_word("振兴", load_gazetteer()), _place_word("振兴区", load_gazetteer()), _place_word("黔东南", load_gazetteer())
    (False, True, True)
    """
    return any(d.level != "village" and (d.name == word or len(word) >= 3) for d in g.by_name(word))


def _after_inner_verb(chain: list[tuple[int, str]], tokens: Tokens, g) -> list[tuple[int, str]]:
    """A name that runs back over a clause (全域整治项目入选|自然资源部, 投放信贷资金|甘肃政法学院) starts at the first place
    or national body after the clause's last verb or preposition; a name with no such start (退役军人事务局), or whose verb
    is inside the name of a body it belongs to (…信贷担保有限责任公司西宁分公司), keeps its verbs."""
    # (a verb of one character may be a piece of a short name jieba cut: 省农|担 西宁分公司)
    verbs = [i for i, (q, word) in enumerate(chain) if i > 0 and (tokens.tag(word) == "p" or tokens.tag(word) == "v" and len(word) > 1)
             and q not in tokens.place_starts and not _place_word(word, g)]
    if not verbs:
        return chain
    organs = national_organs()
    for i in range(verbs[-1] + 1, len(chain)):
        q, word = chain[i]
        if q in tokens.place_starts or _place_word(word, g) \
                or any(name.startswith(word) for name in organs):  # (自然资源|部)
            return chain[i:]
        if suffix_re().search(word):
            break  # 青海省农牧业信贷担保有限责任公司|西宁分公司: the verb is inside the name of the body the rest belongs to
    return chain


# A batch number in brackets between a budget level and its money (自治区(第二批)财政…资金, 中央(第一批)衔接资金) is part
# of the phrase, not the end of the level.
BATCH_MARK = r"\(第[一二三四五六七八九十\d]{1,3}批次?\)"
BATCH = rf"(?:{BATCH_MARK})?"
# An autonomous region's budget (自治区财政, 自治区本级财政), a budget level as 省级财政 is (FORMAT.md); never its
# finance department or system (自治区财政厅, 自治区财政系统).
REGION_BUDGET = re.compile(rf"自治区(本级)?级?{BATCH}财政(?![厅局部]|系统|部门)")


# A receiver is named right after these (向X发放, 为X授信): the name receives money, it does not give it. The 为 of
# 图为 (a photo's caption: 图为某分行为…发放), 作为, 成为 and 即为 is no preposition.
RECEIVER_BEFORE = re.compile(r"(?:向|给|(?<![图作成即])为|对|帮助|支持|扶持|帮扶)$")

_CLAUSE_MARK = re.compile(r"[,;:]|(?<=[^\d])、")


@lru_cache(maxsize=64)
def split_clauses(s: str) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of the clauses of a sentence, cut at , ; : and at 、 not after a digit.

    Cached: the programme, funding and indicator rules each cut the same sentences.

    >>> split_clauses("下达资金,其中1、2号村各10万元")
    ((0, 4), (5, 17))
    """
    out, start = [], 0
    for m in _CLAUSE_MARK.finditer(s):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(s)))
    return tuple(out)


_TIME_PHRASE = re.compile(r"^(?:[^,。;]{0,8}?(?:周|季度|月份?|年度|年初|年底|年末|中旬|上旬|下旬)(?:以来|来)?(?=,)|"
                          r"[^,]{0,8}?(?:以来|目前|今年|近日|日前|近年来|同时|此外|近期|年初|上半年|下半年)(?:以来)?|"
                          r"\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?|截[至止][^,]{1,12}?(?:底|末|止|前|日)|"
                          # an event that dates the sentence (就在某人发愁之际, 在项目建设期间)
                          r"(?:就|正)?在[^,。;]{1,20}?(?:之际|之时|的时候|期间)(?=,))[,]?")


def strip_time_phrase(s: str) -> str:
    """A sentence without its opening time phrase (近日,… / 今年以来,…)."""
    return _TIME_PHRASE.sub("", s, count=1)


ORG_SUFFIX_TYPES: tuple[tuple[str, str], ...] = (
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
    ("调查队", "GovernmentAgency"),
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
    ("中学", "SocialOrganization"),
    ("小学", "SocialOrganization"),
    ("医院", "SocialOrganization"),
    ("卫生院", "SocialOrganization"),
    ("联盟", "SocialOrganization"),
)


@lru_cache(maxsize=1)
def suffix_types() -> dict[str, str]:
    """Every ending of a body's name -> the type it gives: the common suffixes and the register's endings.

    >>> suffix_types()["合作社"], suffix_types()["研究所"]
    ('Cooperative', 'SocialOrganization')
    """
    from kg.registers import name_endings

    return {**{form: o.type for form, o in name_endings().items()}, **dict(ORG_SUFFIX_TYPES)}


@lru_cache(maxsize=1)
def suffix_re() -> re.Pattern[str]:
    """Any ending of :func:`suffix_types`, longest first."""
    return re.compile("|".join(map(re.escape, sorted(suffix_types(), key=len, reverse=True))))
