"""Programmes (vocabulary, quoted, verb-launched, project names, loan products, named funds) and 《》 documents.

>>> programme_vocabulary()["shanghai-yunnan"].label, programme_vocabulary()["shanghai-yunnan"].partner
('沪滇协作', '上海市')
>>> concept_of("衔接资金").id
'connection-fund'
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.common import (
    _STOP_BEFORE_NAME, CITED_OUTLET, CJK, DOCUMENT_KINDS, Finds, Tokens, name_start, only_places, sentence_of,
    split_clauses, suffix_re,
)
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.model import Mention, Sentence
from kg.registers import budget_levels, is_media_name, registers_dir


@dataclass(frozen=True)
class Concept:
    """One programme of the vocabulary (a skos:Concept of ``ontology/programmes.ttl``)."""

    id: str
    label: str
    alt_labels: tuple[str, ...]
    broader: tuple[str, ...]
    when: str
    partner: str | None
    sources: tuple[str, ...]
    document: str

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.alt_labels)


@lru_cache(maxsize=1)
def programme_vocabulary() -> dict[str, Concept]:
    """The programme vocabulary of ``data/registers/programmes.tsv``, by concept id.

    >>> programme_vocabulary()["jiangsu-shaanxi"].broader
    ('east-west-cooperation',)
    """
    out: dict[str, Concept] = {}
    for line in (registers_dir() / "programmes.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cid, label, alts, broader, when, partner, urls, document = line.split("\t")
        out[cid] = Concept(cid, label, tuple(a for a in alts.split("|") if a), tuple(b for b in broader.split("|") if b),
                           when, partner or None, tuple(u for u in urls.split("|") if u), document)
    return out


@lru_cache(maxsize=1)
def _label_index() -> dict[str, str]:
    return {label: c.id for c in programme_vocabulary().values() for label in c.labels}


def _is_link_label(name: str) -> bool:
    """True when ``name`` is a label of a concept the vocabulary never reads from text on its own (``when`` = link).

    >>> _is_link_label("高标准农田建设"), _is_link_label("以工代赈")
    (True, False)
    """
    cid = _label_index().get(name)
    return cid is not None and programme_vocabulary()[cid].when == "link"


def concept_of(name: str) -> Concept | None:
    """The vocabulary concept a programme name is a label of (after a leading place or budget level).

    >>> concept_of("中央财政衔接推进乡村振兴补助资金").label, concept_of("苏陕协作项目资金").label
    ('衔接推进乡村振兴补助资金', '苏陕协作')
    """
    index = _label_index()
    if name in index:
        return programme_vocabulary()[index[name]]
    head = re.search(r"(?:项目)?(?:专项|补助|奖补|扶持|发展)?资金$|项目$", name)
    if head and head.start() >= 2 and name[: head.start()] in index:
        return programme_vocabulary()[index[name[: head.start()]]]  # 苏陕协作项目资金: the programme's fund
    for cut in range(1, min(len(name) - 1, 10)):
        if name[cut:] in index and (_budget_before(name[:cut], name[cut:]) or load_gazetteer().by_name(name[:cut])):
            return programme_vocabulary()[index[name[cut:]]]
    return None


@lru_cache(maxsize=1)
def _vocabulary_automaton() -> tuple[object, list[str]]:
    """Aho-Corasick automaton over the vocabulary's labels (every match, overlapping) and each label's concept."""
    import ahocorasick_rs

    labels = [(label, cid) for label, cid in _label_index().items() if programme_vocabulary()[cid].when != "link"]
    return ahocorasick_rs.AhoCorasick([label for label, _ in labels]), [cid for _, cid in labels]


# A budget level (data/registers/budget_levels.tsv) written before a fund's name belongs to it (中央财政衔接…资金,
# 市本级财政…).
_LEVEL_WORDS = "|".join(b.word for b in budget_levels() if b.form == "level")
_PLACE_LEVELS = "|".join(b.word for b in budget_levels() if b.form == "place")
_BUDGET_LEVEL = re.compile(rf"(?:中央和省级|(?:{_PLACE_LEVELS})本级|{_LEVEL_WORDS}|{_PLACE_LEVELS})?财政")

_QUOTE = re.compile(r"[“‘]([^“”‘’\n]{2,30})[”’]")


_BOOK = re.compile(r"《([^《》\n]{2,80})》")


_PROGRAM_CUES = ("实施", "开展", "推进", "启动", "深化", "创建", "打造", "部署", "落实", "参与", "纳入", "发放", "入选",
                 "举办", "创成", "支持", "作为", "产品", "建设", "加快", "列入", "用", "谋划", "争创", "推行", "获批")


# Cues too common to launch a quoted name from afar: they count only within a few characters of the quote and not
# across a list mark (支持农村“X”, 产品“X贷”; not 作为临沧市“北大门”第一村, 保护产品、“中国驰名商标”).
_NEAR_CUES = ("产品", "作为", "用", "支持")


_QUOTE_HEADS = re.compile(r"(三年行动计划|行动计划|专项行动|实践活动|行动|工程|活动|项目|建设|品牌|计划|贷款产品|贷款|贷|基地|模式|机制)")


# The rest of a list of quoted names that ends with the kind they all are (“A”、“B”等乡村旅游品牌, “A”“B”等劳务品牌).
_QUOTED_LIST_HEAD = re.compile(rf"(?:、?“[^“”\n]{{1,24}}”)*、?等[{CJK}]{{0,6}}?{_QUOTE_HEADS.pattern}")


# Verbs after a quoted name that opens its clause and acts (“X”助力乡村振兴): the name is of a programme.
_HELPING_VERBS = ("助力", "助推", "赋能")
# Heads of a named model or mechanism (“村社合一”机制, “闽宁模式”).
_MODEL_HEADS = ("模式", "机制")
# A slogan that opens with a number (一县一团, 三个专项, 五抓五促进): how campaigns are named.
_NUMBERED_SLOGAN = re.compile(r"[一二三四五六七八九十两百千万][个项大类化抓优强好][\u4e00-\u9fff]{1,8}|一[\u4e00-\u9fff]一[\u4e00-\u9fff]{1,2}")


# Words that end a name: what follows them is no longer the quoted name's head (“X”的信贷, “X”等乡村旅游品牌); 信贷
# (credit in general) is no product's head (“政府+银行+农户”信贷支持模式), nor is a bare 贷款 (“三农”贷款余额: loans of a
# field, while “618”金融扶贫贷款 and “一乡一品”贷款产品 name products).
_FOLLOW_BREAK = re.compile(r"[的等]|信贷$|^贷款$")


_UNQUOTED_HEADS = re.compile(r"(行动计划|专项行动|行动|工程|计划|项目|试点|建设|示范区|示范县|示范乡镇|示范村|示范点|示范基地|示范园|精品村|产业园|科创园|农场|小镇)")


_LEVEL_ADJ = re.compile(r"^(?:国家级|省级|市级|县级|区级|全国|全省)")


_NUMBER_QUANT = re.compile(r"^[\d一二三四五六七八九十百千万两]+(?:个|户|项|家|批|条|座)")


def find_programs(text: str, sentences: tuple[Sentence, ...], finds: Finds, tokens: Tokens) -> None:
    """Every programme of the report: vocabulary labels, quoted names, verb-launched names, project names, products."""
    g = load_gazetteer()
    places = _place_spans(finds)
    place_ends = sorted(places)
    _vocabulary_programs(text, sentences, finds, tokens, places)
    for sent in sentences:
        s = sent.text
        quoted_spans: list[tuple[int, int]] = []
        for m in _QUOTE.finditer(s):
            if s.rfind("《", 0, m.start()) > s.rfind("》", 0, m.start()):
                continue  # a quote inside a document title
            inner = m.group(1).strip()
            if re.search(r"[。;!?]", inner) or len(inner) > 24 or re.search(r"\d+%", inner) or _PLAN_PERIOD.fullmatch(inner) \
                    or re.match(r"\d{5}", inner):
                continue  # a sentence, a share, a five-year plan's period (“十四五”期间), a budget subject (“2130205…”)
            clause_start = max(s.rfind(c, 0, m.start()) for c in ",;:。") + 1
            before = s[clause_start : m.start()]
            if _FORBIDDEN.search(s, max(s.rfind(c, 0, m.start()) for c in ";。") + 1, m.start()):
                continue  # 资金不得用于大拆大建、“面子工程”: what money must not be spent on names no programme
            after = re.match(rf"[{CJK}0-9+\-]{{0,14}}?{_QUOTE_HEADS.pattern}(?=[^{CJK}]|$|[{CJK}])", s[m.end() :])
            follow = after.group(0) if after else ""
            runs_on = tokens.crosses(sent.start + m.end() + len(follow)) and not s.startswith(_HEAD_RUN_ON, m.end() + len(follow))
            if follow and (runs_on or _FOLLOW_BREAK.search(follow)):
                follow = ""  # the head runs on into another word (建设性, 项目库) or lies beyond the name (“X”的信贷, “X”等…品牌)
            if follow.endswith(_MODEL_HEADS) and ("+" in inner or len(follow) > 2):
                follow = ""  # “企业+合作社+农户”模式: a formula of who works with whom, not a named model
            # “闽宁模式” names a model, “企业+合作社+农户模式” a formula of partners
            own_head = inner.endswith(_OWN_HEADS) or (inner.endswith(_MODEL_HEADS) and "+" not in inner)
            near = before[before.rfind("、") + 1 :][-4:]
            cue = any(c in before for c in _PROGRAM_CUES if c not in _NEAR_CUES) or any(c in near for c in _NEAR_CUES)
            cue = cue or bool(_QUOTED_LIST_HEAD.match(s, m.end()))  # “A”“B”等劳务品牌: each item is one of the kind
            cue = cue or (not before.strip() and s.startswith(_HELPING_VERBS, m.end()))  # “X”助力…: a headline's agent
            cue = cue or bool(_NUMBERED_SLOGAN.fullmatch(inner))  # “一县一团”, “三个专项”: a numbered campaign's name
            if not (follow or own_head or cue):
                continue
            if not (follow or own_head) and before.endswith("的") and not before[:-1].endswith(_PROGRAM_CUES):
                continue  # 金融服务的“小切口”, 乡村振兴的“新引擎”: a figure of speech qualified by 的 (推行的“X” is launched)
            if not (follow or own_head) and "的" in inner:
                continue  # “家门口的就业车间”: a phrase with its 的, a description, no name
            if not (follow or own_head) and tokens.tag(inner) is not None:
                continue  # one word of the dictionary in quotes (交出“成绩单”, 打造“升级版”): a figure of speech
            if "," in inner and not follow:
                continue
            if inner.endswith(("+", "+")) or ("+" in inner and not (follow or own_head)):
                continue  # “党支部+”…, ‘公司+合作社+村委’的模式: a formula of who works with whom, not a name
            name, aliases = inner, set()
            if follow:
                aliases.add(inner + follow)
                symbolic = not re.fullmatch(rf"[{CJK}、,]{{3,}}", inner) or suffix_re().search(inner[-3:])
                # A project (工程) is named with its head (“百万头生猪”工程 -> 百万头生猪工程, “两乡”工程 -> 两乡工程).
                if follow == "工程" or (symbolic and not (_QUOTE_HEADS.fullmatch(follow) and len(inner) <= 2)
                                        and not follow.endswith("品牌")):
                    name, aliases = inner + follow, {inner}
                if after.group(1) == "项目" and len(follow) > 2:
                    aliases.add(inner + follow[:-2])  # “飞地”抱团项目: the project of 飞地抱团 is that programme
            prev = tokens.word_before(sent.start + m.start(), sent.start + clause_start)
            if prev and len(inner) <= 2 and (tokens.tag(prev[1]) or "").startswith("n") and not g.by_name(prev[1]):
                aliases.add(name)
                # 农业“双强”行动: the qualifier belongs to the name (and so does a project's 工程: 集体经济清零工程)
                name = prev[1] + inner + (follow if follow == "工程" else "")
                aliases.add(prev[1] + inner + follow)
            lead = _region_before(s, m.start(), g)
            if lead:
                aliases.add(lead + inner + follow)
            product = inner.rsplit("·", 1)[-1]
            if product != inner and len(product) >= 3:
                aliases.add(product)  # 乡村振兴·茶园贷: the product is also written without its series (茶园贷)
            start = sent.start + m.start(1)
            parts = inner.split("、")
            if not follow and not own_head and len(parts) > 1 and len({len(p) for p in parts}) == 1 \
                    and len(parts[0]) >= 3 and concept_of(inner) is None:
                continue  # “产业兴村、文化铸魂”: a motto of parallel phrases, no programme (千村示范、万村整治 is a label)
            if not follow and len(parts) > 1 and all(len(p) >= 3 and p.endswith(_OWN_HEADS) for p in parts):
                # “农易贷、乡村振兴贷、助农振兴贷”: a list of products in one pair of quotes, each one named
                for part in parts:
                    at = start + inner.index(part)
                    _add_program(finds, part, sent, at, at + len(part), text, set())
            else:
                _add_program(finds, name, sent, start, start + len(inner), text, aliases)
            quoted_spans.append((m.start(), m.end() + len(follow)))
        _unquoted_programs(text, sent, finds, tokens, quoted_spans)
        _line_item_program(text, sent, finds)
        _project_names(text, sent, finds, tokens, places, place_ends)
        _listed_projects(text, sent, finds, g, places)
        _loan_products(text, sent, finds, tokens)
        _funds_with_amounts(text, sent, finds, tokens)
    _drop_vocabulary_inside_projects(finds, text)
    _drop_common_kinds(finds, text, tokens)
    _merge_funds_into_programmes(finds)
    _merge_place_qualified(finds)


# Tags of the dictionary's common words (nouns, verbs, adjectives, adverbs, locatives, idioms).
_COMMON_TAGS = ("n", "vn", "v", "a", "an", "ad", "b", "d", "f", "i", "l", "vd", "s")
# The heads a kind of work takes after one common word (民生工程, 水利项目).
_KIND_HEADS = ("工程", "项目", "资金", "行动")


def _drop_common_kinds(finds: Finds, text: str, tokens: Tokens) -> None:
    """Forget unquoted names of one common word and a head (基础设施工程, 民生工程, 水利项目): a kind of work, no
    programme's name, which a place, a number, a quote or a proper word would make one."""
    for key in list(finds.programs):
        entry = finds.programs[key]
        if "concept" in entry or re.search(r"[\d“”\"「」+·]", key) or concept_of(key) is not None:
            continue
        if any(text[m.start - 1 : m.start] in "“\"「" for m in entry["mentions"] if m.start > 0):
            continue
        m = entry["mentions"][0]
        words = tokens.words_in(m.start, m.end)
        if len(words) == 2 and words[1] in _KIND_HEADS and (tokens.tag(words[0]) or "x") in _COMMON_TAGS \
                and not load_gazetteer().by_name(words[0], villages=False):
            del finds.programs[key]


# The money of a programme written after its name (以工代赈资金, 东西部扶贫协作专项资金, 农业产业强镇奖补资金).
_FUND_OF = re.compile(r"(?:项目)?(?:专项|补助|奖补|扶持|发展)?资金$")


def _merge_funds_into_programmes(finds: Finds) -> None:
    """A programme's money named beside the programme (以工代赈 and 以工代赈资金) is that programme, the money's name
    an alias: one programme, as annotators record it."""
    for key in list(finds.programs):
        fund = _FUND_OF.search(key)
        owner = key[: fund.start()] if fund else ""
        target_key = next((k for k, p in finds.programs.items() if k != key and (k == owner or owner in p["aliases"])),
                          None) if len(owner) >= 3 else None
        if target_key is not None:
            _fold_program(finds, key, target_key)


def _merge_place_qualified(finds: Finds) -> None:
    """A project named once with its places and once without (甲县污水处理厂提标工程, 污水处理厂提标工程) is one
    project, named with its places; the places must be the report's own, and a national programme stays itself."""
    forms = sorted({n for r in finds.regions.values() for n in (r["name"], *r["aliases"]) if len(n) >= 2}, key=len, reverse=True)

    def only_places(prefix: str) -> bool:
        while prefix:
            form = next((f for f in forms if prefix.startswith(f)), None)
            if form is None:
                return False
            prefix = prefix[len(form):]
        return True

    for key in sorted(finds.programs, key=len):
        longer = next((k for k in finds.programs if len(k) > len(key) and k.endswith(key) and only_places(k[: -len(key)])),
                      None) if len(key) >= 4 and key in finds.programs and "concept" not in finds.programs[key] else None
        if longer is not None:
            _fold_program(finds, key, longer)


def _fold_program(finds: Finds, drop: str, keep: str) -> None:
    """Record the programme ``drop`` as another name of ``keep``: its names become aliases, its mentions ``keep``'s."""
    entry = finds.programs.pop(drop)
    target = finds.programs[keep]
    target["aliases"] |= {drop} | entry["aliases"]
    target["mentions"] = sorted([*target["mentions"], *entry["mentions"]], key=lambda m: m.start)


# Words that forbid or warn against what follows them (不得用于, 严禁, 杜绝): a list of what not to do.
_FORBIDDEN = re.compile(r"不得|不能用于|严禁|禁止|杜绝|不搞|防止|避免")


# Heads that make a quoted name a programme by itself (“X工程”, “X贷”).
_OWN_HEADS = ("工程", "行动", "贷", "计划")


def _place_spans(finds: Finds) -> dict[int, tuple[int, str]]:
    """Where each region mention ends -> where it starts and its level (to walk place chains leftwards)."""
    return {m.end: (m.start, r["level"]) for r in finds.regions.values() for m in r["mentions"]}


_YEAR_IN_NAME = re.compile(r"20\d\d年度?$")


def _place_chain_start(places: dict[int, tuple[int, str]], end: int, text: str, villages: bool = True) -> int:
    """Start of the run of place names that ends at ``end`` (拉萨市达孜区, 叶城县2026年洛克乡), or ``end``."""
    start, level = end, None
    while True:
        if start in places and places[start][0] < start and (villages or places[start][1] != "village"):
            start, level = places[start]
            continue
        joined = start - 1
        if villages and level == "village" and text[joined : start] in ("、", "及", "和") and joined in places \
                and places[joined][1] == "village":
            start, level = places[joined]  # 西圈村、小胡庄村及东圈村仓储项目: one project of several villages
            continue
        year = _YEAR_IN_NAME.search(text[max(0, start - 6) : start])
        if year and start != end and (start - len(year.group(0))) in places:
            start -= len(year.group(0))
            continue
        return start


def _in_title(s: str, pos: int) -> bool:
    return s.rfind("《", 0, pos) > s.rfind("》", 0, pos)


def _vocabulary_programs(text: str, sentences: tuple[Sentence, ...], finds: Finds, tokens: Tokens,
                         places: dict[int, tuple[int, str]]) -> None:
    """Programmes of the vocabulary, wherever a label is written (longest label first)."""
    vocab = programme_vocabulary()
    auto, concepts = _vocabulary_automaton()
    found = [(start, end, concepts[i]) for i, start, end in auto.find_matches_as_indexes(text, overlapping=True)]
    found = sorted(found + _bracketed_funds(text), key=lambda m: (m[0], -m[1]))
    surfaces: dict[str, list[tuple[int, int, Sentence]]] = {}
    programme_ends: dict[tuple[int, int], int] = {}  # a written span -> where the programme's own label ends in it
    last_end = 0
    for start, end, cid in found:
        if start < last_end:
            continue
        last_end = end
        if tokens.crosses(start) and not text[start - 1 : start] in "“\"「":
            continue  # the label's first character belongs to a longer word before it
        sent = sentence_of(sentences, start)
        pos = start - sent.start
        if _in_title(sent.text, pos):
            continue
        clause_start = max(sent.text.rfind(c, 0, pos) for c in ",;:。、") + 1
        before = sent.text[clause_start:pos]
        # (a label may open with 财政 itself: the level before it, 省级|财政衔接…, is the budget's too)
        own = "财政" if text.startswith("财政", start) else ""
        level = re.search(f"(?:{_BUDGET_LEVEL.pattern})$", before + own)
        lead = start - (len(level.group(0)) - len(own) if level else 0)
        lead = _place_chain_start(places, lead, text, villages=False)
        if vocab[cid].when == "cued" and not _LAUNCH_CUE.search(sent.text[clause_start : lead - sent.start]):
            continue  # a national strategy named as background (与脱贫攻坚相结合)
        label_end = end
        # (a subsidy's or award's money is the subsidy itself: 农机购置补贴资金 is 农机购置补贴)
        head = None if text[start:end].endswith(("资金", "补贴", "奖补", "补助")) else _FUND_HEAD.match(text, end)
        if head and not tokens.crosses(head.end()):
            end = head.end()  # 扶持村级集体经济发展资金, 沪滇协作项目: the programme's fund or project
        # The programme's fund (苏陕协作项目资金) is a programme of its own; its project (沪滇协作项目) is the same one.
        fund = end != label_end and text[start:end].endswith("资金")
        surfaces.setdefault((cid, fund), []).append((lead, end, sent))
        programme_ends[(lead, end)] = label_end
    for cid, fund in list(surfaces):
        if fund and (cid, False) not in surfaces and vocab[cid].partner:
            # A pairing programme written only by its money (某某协作资金): the programme, its money an alias
            surfaces[(cid, False)] = surfaces.pop((cid, True))
    for (cid, fund), spans in surfaces.items():
        names = [text[a:b] for a, b, _ in spans]
        if not fund:  # its project or money read as the programme's (沪滇协作项目): named as the programme itself
            names += [text[a : programme_ends[(a, b)]] for a, b, _ in spans if programme_ends[(a, b)] != b]
        name = max(names, key=len) if fund else _concept_name(vocab[cid], names)
        aliases = set(names) | (set() if fund else {vocab[cid].label})
        for a, b, sent in spans:
            key = _add_program(finds, name, sent, a, b, text, aliases)
            finds.programs[key]["concept"] = cid


# A fund's task written in brackets before 资金 (衔接推进乡村振兴补助(少数民族发展任务)资金).
_BRACKET_BEFORE_FUND = re.compile(r"[(（][^()（）\n]{2,12}[)）]资金")


@lru_cache(maxsize=1)
def _fund_stems() -> dict[str, str]:
    """Each vocabulary label that ends in 资金, without it, to its concept (衔接推进乡村振兴补助 -> connection-fund)."""
    return {label[:-2]: cid for label, cid in _label_index().items() if label.endswith("资金") and len(label) >= 6}


def _bracketed_funds(text: str) -> list[tuple[int, int, str]]:
    """Spans of vocabulary funds written with a bracketed task before 资金, as (start, end, concept id).

    >>> _bracketed_funds("下达衔接推进乡村振兴补助(少数民族发展任务)资金100万元")
    [(2, 24, 'connection-fund')]
    """
    out = []
    for m in _BRACKET_BEFORE_FUND.finditer(text):
        for stem, cid in _fund_stems().items():
            if text.endswith(stem, 0, m.start()):
                out.append((m.start() - len(stem), m.end(), cid))
                break
    return out


# Budget words that may stand before a fund's name (中央财政, 省级财政, 我区财政, 中省市财政, 中央和省级, 财政); every form
# of _BUDGET_LEVEL, the words a vocabulary programme's written span takes in, is one of them.
_BUDGET_PREFIX = re.compile(rf"(?:20\d\d年度?)?(?:[我本该全][省市县区州旗](?=[中省市县区自本财]))?"
                            rf"(?:(?:中央和省|中省市|省市县|中省|{_LEVEL_WORDS}|{_PLACE_LEVELS}|州|旗)(?:级|本级)?[和及、]?)*"
                            r"(?:本级)?(?:财政)?")


# The year and the pointing words before a fund's budget (2023年, 我区, 本市): not part of the fund's name.
_BUDGET_DEIXIS = re.compile(r"^(?:20\d\d年度?)?(?:[我本该全][省市县区州旗](?=[中省市县区自本财]))?")


def _budget_before(prefix: str, label: str) -> bool:
    """True when ``prefix`` is only the budget that pays a fund labelled ``label`` (中央财政|衔接推进…资金, 中央|衔接…资金);
    a label that opens with 财政 keeps a level written before it (中央财政专项扶贫资金)."""
    return bool(_BUDGET_PREFIX.fullmatch(prefix)) and (prefix.endswith("财政") or not label.startswith("财政"))


def _concept_name(concept: Concept, written: list[str]) -> str:
    """The name of a vocabulary programme in a report: its own label where the text writes it, with a launch verb before
    it (实施乡村建设行动) or without the verb that opens it (新型农村集体经济 of 发展新型农村集体经济), else the longest form
    written.

    >>> c = programme_vocabulary()["rural-construction"]
    >>> _concept_name(c, ["实施乡村建设行动"]), _concept_name(programme_vocabulary()["beijing-inner-mongolia"], ["京蒙扶贫协作"])
    ('乡村建设行动', '京蒙扶贫协作')

    A fund is named with the level of the budget the text writes before it, as annotators name it, without its year
    or a pointing word; the bare word 财政, or a level's character alone (我区财政), names no level:

    >>> _concept_name(programme_vocabulary()["connection-fund"], ["2023年中央财政衔接推进乡村振兴补助资金"])
    '中央财政衔接推进乡村振兴补助资金'
    >>> _concept_name(programme_vocabulary()["connection-fund"], ["我区财政衔接推进乡村振兴补助资金"])
    '衔接推进乡村振兴补助资金'

    and a fund written only by a short form is named by its full name (the short forms become aliases):

    >>> _concept_name(programme_vocabulary()["connection-fund"], ["市财政衔接资金", "衔接资金"])
    '衔接推进乡村振兴补助资金'
    """
    label = concept.label
    if concept.when == "cued":
        return label  # a national strategy is one, whatever place or level the text puts before it (全县乡村振兴战略)
    budgeted = [_BUDGET_DEIXIS.sub("", w) for w in written if w.endswith(label) and _budget_before(w[: -len(label)], label)]
    budgeted = [w for w in budgeted if label.endswith("资金") and not re.fullmatch("[省市县区州盟旗]?(?:财政)?", w[: -len(label)])]
    if budgeted:
        return max(budgeted, key=len)  # 中央财政衔接推进…资金: a fund is named with the budget the text puts before it
    if any(w == label or _LAUNCH_VERB.sub("", w) == label or (label.endswith(w) and label[: -len(w)] in _LABEL_VERBS)
           or (w.endswith(label) and _budget_before(w[: -len(label)], label)) for w in written):
        return label  # 财政衔接推进…资金, 我区财政…: budget words that name no level are no part of the name
    if label.endswith("资金") and not label.startswith("财政") and all(
            any(w.endswith(a) and len(a) < len(label) and _budget_before(w[: -len(a)], a) for a in concept.alt_labels)
            for w in written):
        return label  # 衔接资金, 市财政衔接资金: a fund's short forms name it; its full name is the label (FORMAT.md)
    return max(written, key=len)


def _drop_vocabulary_inside_projects(finds: Finds, text: str) -> None:
    """A national programme written inside a project's name (泽库县2个村发展新型农村集体经济项目) is not named by itself;
    a fund named in brackets (…建设(少数民族发展任务)项目) is."""
    spans = [(m.start, m.end) for key, p in finds.programs.items() if "concept" not in p for m in p["mentions"]]
    for key in [k for k, p in finds.programs.items() if "concept" in p]:
        entry = finds.programs[key]
        entry["mentions"] = [m for m in entry["mentions"] if not any(
            a <= m.start and m.end <= b and (a, b) != (m.start, m.end) and text[m.start - 1 : m.start] not in "(（"
            for a, b in spans)]
        if not entry["mentions"]:
            del finds.programs[key]


_FUND_HEAD = re.compile(r"(?:项目)?(?:专项|补助|奖补|扶持|发展)?资金|项目")


_PROJECT_HEAD = re.compile(
    r"(?:示范基地|产业基地|基地|示范园区|示范园|示范片区|示范区|先行区|试验区|产业园|工程|项目)(?:建设项目|项目)?"
    r"(?:[((](?:[一二三四五六七八九十\d]+期)[))])?")


_PROJECT_CONTENT = re.compile(rf"[{CJK}0-9A-Za-z“”()()·]{{2,36}}")


# A count inside a project's content (一处, 两个, 多片): a thing described, not named.
_COUNTED_CONTENT = re.compile(r"[一二两三四五六七八九十几多]+(?:处|个|片|座|批|块)")
# What ends the content of a set of projects rather than one (…衔接资金|项目, …彩票公益金|项目, 重点|项目).
_CATEGORY_CONTENT = re.compile(r"(?:资金|公益金|衔接|重点|专项)$")


# Words that a project's name does not contain: verbs of the sentence, organisations, counters.
_CONTENT_STOPS = (tuple(w for w in _STOP_BEFORE_NAME if len(w) >= 2) + tuple(c for c in _PROGRAM_CUES if c not in ("建设", "用", "产品"))
                  + ("的", "了", "等", "个", "各", "获", "向", "被", "到", "赴", "将", "使", "我", "某", "成为", "列为", "银行", "支行", "分行",
                     "公司", "局", "签署", "签订", "签约", "是", "按", "调研", "确定", "大力", "全力", "着力", "努力", "建成", "筹措", "多方"))


# A river, lake or canal written between the places of a project (清水江, 某某河(左岸)).
_WATER = re.compile(rf"[{CJK}]{{1,8}}(?:河|江|湖|渠|溪)(?:[(（][左右]岸[)）])?")


def _project_names(text: str, sent: Sentence, finds: Finds, tokens: Tokens, places: dict[int, tuple[int, str]],
                   place_ends: list[int]) -> None:
    """Named projects: place + content + 项目/基地/示范园/示范区/产业园/工程 (东方市罗带河综合治理项目)."""
    s = sent.text
    taken_from = len(text)
    for m in reversed(list(_PROJECT_HEAD.finditer(s))):
        end = sent.start + m.end()
        if end > taken_from:
            continue  # inside a project already named (…种植业基地配套建设项目)
        if end < len(text) and tokens.crosses(end) and text[end] not in "(（里内":
            continue  # 项目库, 工程师: the head runs on into another word (not a place word: 示范片区|里)
        if _in_title(s, m.start()):
            continue
        # The nearest place name before the head starts the project's name.
        place_end = _last_place_end(places, place_ends, sent.start, sent.start + m.start())
        if place_end is None:
            continue
        content = text[place_end : sent.start + m.start()]
        start = _place_chain_start(places, place_end, text)
        water = next((k for k in range(start - 2, max(sent.start, start - 13), -1)
                      if k in places and _WATER.fullmatch(text, k, start)), None)
        if water is not None:
            # 某县|某某河|某镇某村段治理工程: a river between the places of a water project is part of its name
            start = _place_chain_start(places, water, text)
        year = _YEAR_IN_NAME.search(text[max(sent.start, start - 6) : start])
        if year and not tokens.crosses(start - len(year.group(0))):
            start -= len(year.group(0))  # 2026年某乡种植业基地配套建设项目: the year opens the name (issue 13's grammar)
        if not content or content.endswith("”"):
            continue  # 西宁市“三乡工程”项目: the quoted programme is the name
        # (某村|民宿…: a village's homestays, not 村民 of the sentence)
        if not _PROJECT_CONTENT.fullmatch(content) or any(w in content.replace("村民宿", "村宿") for w in _CONTENT_STOPS) \
                or (content.startswith(("对", "为")) and not content.startswith("对口")):  # 某县|对|帮扶项目: a preposition
            continue
        if any(tokens.word_at.get(place_end + k) == ch and tokens.tag(ch) == "p" for k, ch in enumerate(content)
               if ch in "对向给把被"):
            continue  # 某村张三|对|金融扶贫项目称赞: a preposition inside, the words of a sentence, no name
        if content.count("“") != content.count("”") or content.count("(") != content.count(")"):
            continue
        if _COUNTED_CONTENT.search(content):
            continue  # 某村一处脐橙基地, 两个示范园: places counted or described, none named
        if _CATEGORY_CONTENT.search(content) or "财政" in content:
            # 某县2024年度衔接资金项目, 某县重点项目, 某区中央财政补助高标准农田建设项目: the projects a fund or a
            # budget pays for, or a kind of them, none named
            continue
        if _inside_actor(finds, start, end):
            continue  # 某省代建项目管理局: the head belongs to an organisation's name
        taken_from = start
        _add_program(finds, text[start:end], sent, start, end, text, set(), merge_overlaps=True)


# A list of projects that ends with their kind (支持A项目、B工程、C物流园等16个项目建设; 审批通过A、B等重点项目).
_PROJECT_LIST_END = re.compile(r"等(?:[\d一二三四五六七八九十两]+个)?(?:重点|重大)?项目")
# The words before a list's first item that say what is done to the projects (支持, 审批通过, 推进).
_LIST_LEAD = re.compile(r"^.*(?:支持|通过|推进|实施|用于|下达|包括|围绕|聚焦|完成)")
# The heads an item needs unless a place opens it (…安置房项目, …综合提升工程, …冷链物流园, …物流中心).
_LIST_ITEM_HEADS = ("项目", "工程", "园", "园区", "中心", "基地")


def _listed_projects(text: str, sent: Sentence, finds: Finds, g: Gazetteer,
                     places: dict[int, tuple[int, str]]) -> None:
    """The items of a list that ends with 等(N个)(重点)项目: each is a named project, if a project's head ends it or a
    place opens it (赵县农产品冷链仓储物流), and it is no place alone."""
    s = sent.text
    for m in _PROJECT_LIST_END.finditer(s):
        clause_start = max(s.rfind(c, 0, m.start()) for c in ",。;:") + 1
        items = s[clause_start : m.start()].split("、")
        if len(items) < 2:
            continue
        lead = _LIST_LEAD.match(items[0])
        offset = clause_start + (lead.end() if lead else 0)
        items[0] = items[0][lead.end():] if lead else items[0]
        for item in items:
            at = sent.start + offset
            offset += len(item) + 1
            if not 4 <= len(item) <= 30 or not _PROJECT_CONTENT.fullmatch(item) or g.by_name(item) \
                    or any(w in item for w in _CONTENT_STOPS):
                continue
            if only_places(text, at, at + len(item), places):
                continue  # 彰武镇前郑家村: a list of villages chosen, no project
            placed = any(d.level != "village" for k in range(2, min(len(item), 8)) for d in g.by_name(item[:k]))
            if item.endswith(_LIST_ITEM_HEADS) or placed:
                if not _inside_actor(finds, at, at + len(item)):
                    _add_program(finds, item, sent, at, at + len(item), text, set(), merge_overlaps=True)


def _inside_actor(finds: Finds, start: int, end: int) -> bool:
    """True when ``[start, end)`` lies inside a longer actor mention (a project word in an organisation's name)."""
    return any(m.start <= start and end <= m.end and m.end - m.start > end - start
               for a in finds.actors.values() for m in a["mentions"])


def _last_place_end(places: dict[int, tuple[int, str]], place_ends: list[int], floor: int, limit: int) -> int | None:
    """The last end, at or before ``limit``, of a place that starts at or after ``floor`` (``place_ends`` sorted).

    >>> places = {3: (0, "county"), 6: (3, "township"), 12: (9, "county")}
    >>> _last_place_end(places, sorted(places), 0, 10), _last_place_end(places, sorted(places), 4, 10)
    (6, None)
    >>> _last_place_end(places, sorted(places), 4, 12)
    12
    """
    i = bisect_right(place_ends, limit)
    while i > 0 and place_ends[i - 1] > floor:
        i -= 1
        if places[place_ends[i]][0] >= floor:
            return place_ends[i]
    return None


_PRODUCT_LIST = re.compile(
    rf"(?:推出|推广|创新推出|创新|开发|上线|创设)((?:“?[{CJK}A-Za-z0-9]{{2,12}}”?、)*“?[{CJK}A-Za-z0-9]{{2,12}}”?)"
    rf"等(?:[{CJK}]{{0,4}})?(?:信贷|金融|贷款|融资)?产品")


_LOAN_SUFFIX = re.compile(r"(?<![信放借助续惠网房车])贷(?![款])")


# An amount and a few words the name's start cut off (发放300万元|抗|疫担保贷): the product's name starts after the amount.
_AMOUNT_BEFORE = re.compile(rf"[\d.]+[万亿]?元([{CJK}]{{1,3}})$")


def _loan_products(text: str, sent: Sentence, finds: Finds, tokens: Tokens) -> None:
    """Loan products: a list of products launched (推出A、B等产品) and named …贷 (乡村振兴贷)."""
    s = sent.text
    if "贷" not in s and "产品" not in s:
        return  # neither a list of products nor a …贷
    for m in _PRODUCT_LIST.finditer(s):
        offset = m.start(1)
        for item in m.group(1).split("、"):
            name = item.strip("“”")
            if re.search(r"(贷|贷款|险|卡)$", name):
                start = sent.start + offset + item.find(name)
                _add_program(finds, name, sent, start, start + len(name), text, set())
            offset += len(item) + 1
    for m in _LOAN_SUFFIX.finditer(s):
        if s[:m.start()].count("“") > s[:m.start()].count("”") or _in_title(s, m.start()):
            continue  # quoted names are read by the quote rule
        if s.startswith(("项目", "工程"), m.end()):
            continue  # …前期贷项目: a project named after its loan, read by the project rule
        floor = sent.start + max(s.rfind(c, 0, m.start()) for c in ",;:。、") + 1
        suffix = m.start() - 1 if s[m.start() - 1 : m.start()] in ("e", "E") else m.start()  # 惠农e贷: e is the suffix's
        start = name_start(text, sent.start + suffix, floor, tokens, False)
        # A product's name may open with a verb (抗疫担保贷) that name_start drops: after an amount it is the name's.
        cut = _AMOUNT_BEFORE.search(text[max(floor, start - 16) : start])
        if cut:
            start -= len(cut.group(1))
        name = text[start : sent.start + m.end()]
        word = tokens.word_before(sent.start + m.end(), start)
        if word and word[0] + len(word[1]) == sent.start + m.end() and (tokens.tag(word[1]) or "")[:1] in ("i", "l"):
            continue  # 责无旁贷: an idiom that ends in 贷, no loan product
        if 3 <= len(name) <= 10 and re.fullmatch(rf"[{CJK}]+[eE]?贷", name) and not tokens.crosses(sent.start + m.end()):
            _add_program(finds, name, sent, start, start + len(name), text, set())


def _region_before(s: str, pos: int, g: Gazetteer) -> str | None:
    for length in range(min(pos, 10), 1, -1):
        cand = s[pos - length : pos]
        if any(d.name == cand for d in g.by_name(cand, villages=False)):
            return cand
    return None


# 获评 (awarded as) names a programme's title without quotes (获评省级宜居宜业和美乡村); a quoted honour after it
# (获评“X”称号) is not a programme, so it is no cue of the quote rule.
_UNQUOTED_CUES = tuple(c for c in _PROGRAM_CUES if c not in ("产品", "用", "支持", "作为")) + ("获评",)


_HEAD_RUN_ON = ("工作", "建设", "项目")


# A head alone, perhaps being built: no name.
# Heads after which an unquoted name after a launching verb is no better than a guess (项目, 试点, 计划).
_WEAK_HEADS = ("项目", "试点", "计划")


def _proper_start(name: str, start: int, tokens: Tokens) -> bool:
    """True when a place or other proper noun opens ``name`` (written at ``start``): jieba's ns/nr/nz or the gazetteer."""
    first, g = tokens.word_at.get(start, ""), load_gazetteer()
    return (tokens.tag(first) or "")[:2] in ("ns", "nr", "nz") or bool(g.by_name(first, villages=False)) \
        or any(g.by_name(name[:k], villages=False) for k in (2, 3))
_BARE_HEAD = re.compile(f"(?:{_UNQUOTED_HEADS.pattern})(?:建设)?")


# Heads that name a kind of place: building one (示范村建设) is the programme's name.
_PLACE_HEADS = ("示范区", "示范县", "示范乡镇", "示范村", "示范点", "示范基地", "示范园", "精品村", "小镇")
# A campaign that builds settlements of a named quality (美丽乡村建设, 山区美丽乡村建设, 和美乡村建设, 美丽城镇建设):
# the names of the national and provincial campaigns (农业部 美丽乡村创建, 2013; the 2023 No. 1 document's 宜居宜业和美
# 乡村; 浙江 美丽城镇建设, 2019; 全国妇联 美丽庭院) are a quality, then the kind of settlement.
_NAMED_SETTLEMENTS = re.compile(r"(?:美丽|和美|宜居|生态|红色|文明|幸福|特色)(?:宜业)?(?:和美)?(?:乡村|村庄|城镇|集镇|小镇|家园|庭院)$")


# A national strategy counts as a programme only where a verb launches it (深入实施乡村振兴战略).
_LAUNCH_CUE = re.compile("(?:" + "|".join(map(re.escape, _UNQUOTED_CUES)) + r")(?:了|全面|深入|扎实|大力|持续|积极|国家级|省级|市级|县级)*$")


# Verbs that open a programme's label and that the text may leave out (新型农村集体经济 for 发展新型农村集体经济); not a
# level (现代农业产业园 is not 国家现代农业产业园).
_LABEL_VERBS = ("发展", "扶持", "壮大", "巩固", "统筹", "实施", "建设", "推进")


# A launch verb written as part of a programme's label (实施乡村建设行动, 建设宜居宜业和美乡村).
_LAUNCH_VERB = re.compile("^(?:" + "|".join(map(re.escape, _UNQUOTED_CUES)) + ")")


# Overlapping cues (加快建设): a lookahead finds every cue end, as the per-cue scan did.
_UNQUOTED_CUE_RE = re.compile("(?=(" + "|".join(map(re.escape, _UNQUOTED_CUES)) + "))")


_AMOUNT_AND_VERB = re.compile(r"[\d.]+[万亿]?元(?:用于|支持|资金)*")


# The period of a five-year plan (十三五, 十四五) is not a programme.
_PLAN_PERIOD = re.compile(r"十[一二三四五六七八九]五")


_NOT_A_NAME = re.compile(r"内容|包括|包含|主要|面积|关于|领导小组|资金项目|(?:^|和|及|与)(?:项目|工程)(?:建设)?$"
                         # a count (乡村建设行动2个项目) or an ordinal (首笔PPP项目) says how many, not which
                         r"|[\d一二三四五六七八九十两]+个(?:项目|工程)$|^(?:首笔|首个|首批|首家|第[一二三四五六七八九十\d]+[批个笔])")


# What ends a phrase before a programme's name: a document cited (…通知》(某发〔2022〕2号)文件中), a verb that renames or
# changes a project (调整为, 变更为, 改为).
_BEFORE_A_NAME = re.compile(r"[》〕](?:\)|文件|中|的)*|(?:调整|变更|更改|更名|改|确定|列|认定|评)为|(?:调整|变更|调剂|转)(?:到|至)")
# Words every programme's name may hold but none is named by alone (项目资金计划, 建设项目).
_GENERIC_WORDS = re.compile(r"(?:项目|资金|计划|工程|建设|专项|补助|任务|年度|实施|方案)+")


# Words that point at programmes named elsewhere (以下项目, 上述工程, 我县…, 本次…) rather than name one.
_POINTING_WORDS = re.compile(r"以下|上述|下列|如下|我[省市县区州旗镇乡村]|本[省市县区州旗镇乡村级次批年]|其[他它余]")
# What a programme's name does not hold: a verb of allocating money (…资金安排项目, …初步分配计划, …予以安排, 给予), a vague
# qualifier (具体, 相关, 有关: 方案和具体项目), a count (完成全市13个示范村), or the cell mark and spaces of a table read as text.
_NOT_IN_A_NAME = re.compile(r"安排|分配|下达|予以|给予|具体|相关|有关|\d+个|[|\s]")


# Words after a programme's head that make the phrase a document's kind (X建设方案, X项目实施方案).
_DOCUMENT_WORDS = ("方案", "实施方案", "规划", "办法", "意见", "通知", "细则")
# Kinds of document that a text names alone in 《》 to point back at one (以下简称《方案》, 根据《决定》).
_POINTING_BACK = frozenset(DOCUMENT_KINDS)


_NAMED_FUND = re.compile(rf"(?:下达|安排|争取|拨付|整合|按照|\(|(?<=资金)(?:和|及|与|、))((?:(?!资金)[{CJK}]){{4,20}}?(?:补助资金|发展资金|专项资金|奖补资金|扶持资金))")


# A budget level with the words every fund is named by, and nothing of its own (中央财政补助资金, 我市省级专项资金).
_GENERIC_FUND = re.compile(rf"(?:[我本全][省市县区州旗])?(?:{_BUDGET_LEVEL.pattern}|{_LEVEL_WORDS}|{_PLACE_LEVELS})?"
                           r"(?:专项|补助|奖补|扶持|发展|衔接)*资金")


def _unquoted_programs(text: str, sent: Sentence, finds: Finds, tokens: Tokens, quoted: list[tuple[int, int]]) -> None:
    """Programmes named after a verb that launches them: 开展X试点, 实施4个X建设及88个Y建设."""
    s = sent.text
    if "资金" not in s and not _UNQUOTED_HEADS.search(s):
        return  # no head a name could end with, no fund: most sentences (a cheap test before the clause scan)
    list_verb_until = -1
    for clause_start, clause_end in split_clauses(s):
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
                if nxt.group(0) not in _HEAD_RUN_ON or (nxt.group(0) == "建设" and hm.group(0) in _PLACE_HEADS):
                    continue  # 示范县|工程, 示范村|建设: the name ends at the later head
                skip_until = nxt.end()  # 工程|建设: the name ends at the first
            elif tokens.crosses(sent.start + clause_start + hm.end()) and not clause[hm.end():].startswith(_HEAD_RUN_ON):
                continue
            elif clause[hm.end():hm.end() + 1] in ("村", "镇", "乡", "户") and hm.group(0) in ("试点", "示范"):
                continue  # 试点村: the head names a kind of village here
            if _in_title(s, clause_start + hm.start()) or clause.startswith(_DOCUMENT_WORDS, hm.end()):
                continue  # 《…项目实施方案》, X建设方案: a document's title or kind, not a programme
            before = [c for c in cue_ends if c <= hm.start()]
            if not before:
                continue
            name_start = clause_start + before[-1]
            name = s[name_start : clause_start + hm.end()]
            # Cut at the last joining word or 的 (…为一体的X区现代农业产业园; X建设及Y建设).
            cut = max(name.rfind("的") + 1, max((m.end() for m in re.finditer(r"(?<=工程|建设|项目|行动|计划|试点)(?:及|和|与)", name)), default=0))
            name_start += cut
            name = name[cut:]
            # A sum before the name belongs to the verb (发放贷款0.5亿元支持X项目): the name starts after it.
            cut = max((m.end() for m in _AMOUNT_AND_VERB.finditer(name)), default=0)
            name_start += cut
            name = name[cut:]
            # A document cited before the name (…的通知》(某发〔2022〕2号)文件中X项目) or a verb that renames (调整为X项目):
            # the name starts after it.
            cut = max((m.end() for m in _BEFORE_A_NAME.finditer(name)), default=0)
            name_start += cut
            name = name[cut:]
            lead = re.match(r"^(?:了|在|及|和|与|是|全市|全县|全区|全省|首批|第[一二三四五六七八九十]+批)*", name).end()
            name_start += lead
            name = name[lead:]
            num = _NUMBER_QUANT.match(name)
            if num and num.group(0) in ("一项", "一个"):
                continue  # 是…的一项中央竞争性项目: a description of one, not a name
            if num:
                name_start += num.end()
                name = name[num.end():]
            if re.match(r"^[\d一二三四五六七八九十百千]+(?:个|项|家)", s[clause_start + hm.end():]):
                continue  # 实施农产品精深加工项目36项: a kind of project counted, not one named
            if any(qs <= name_start < qe for qs, qe in quoted) or "“" in name or "”" in name:
                continue
            if len(name) < 4 or re.match(r"^\d", name) or "资金分配" in name or name.startswith(("各", "该", "这")) or "等" in name:
                continue  # too short, a count, a pronoun, or a category after 等 (X工程等乡村建设): not a name
            if _NOT_A_NAME.search(name) or name.count("(") != name.count(")"):
                continue  # 内容主要包括X建设, …领导小组办公室关于下达…项目: a description or a title, not a name
            if _POINTING_WORDS.match(name) or _NOT_IN_A_NAME.search(name):
                continue  # 以下项目, 我县…资金: pointing at projects, not naming one; …资金安排项目: a verb, a table's cells
            core = _LEVEL_ADJ.sub("", name)
            content = core[: len(core) - len(hm.group(0))]
            if _BARE_HEAD.fullmatch(core) or (tokens.tag(content) or "").startswith("v") or _GENERIC_WORDS.fullmatch(core):
                continue  # 打造一批示范基地, 小镇建设, 谋划发展项目: a head without a name, or with only a verb, before it
            if _is_link_label(core):
                continue  # 高标准农田建设: a kind of work the vocabulary only links, not a programme named by itself
            if hm.group(0) == "建设" and not content.endswith(_PLACE_HEADS) and not _NAMED_SETTLEMENTS.search(content):
                continue  # 实施新型城镇化建设, 推进村级服务中心建设: a kind of work, not a named programme
            if hm.group(0) in _WEAK_HEADS and not _proper_start(core, sent.start + name_start + len(name) - len(core), tokens):
                # 实施X项目, 开展X试点, 启动X计划 unquoted are as often a kind of work as a name (11 right, 17 wrong on the
                # development reports this rule was written on): a name only where a proper noun opens it (东湖|引水提升项目)
                continue
            aliases = {name} if core != name else set()
            start = sent.start + name_start
            _add_program(finds, core, sent, start, start + len(name), text, aliases)
    for m in _NAMED_FUND.finditer(s):
        # (含X资金: what a sum includes; 2025|年X资金: the year's last character)
        # (给我县X资金, 以上X资金, 你单位X资金, 不低于X资金: a receiver, a pointer or a bound before the name)
        name = re.sub(r"^(?:\d{4}年(?:度)?|第[一二三四五六七八九十]+批|含|包括|其中|年度?|了|的|给|向|对|以上|上述|不低于|不少于"
                      r"|你单位|[你我本][省市县区州旗])+", "", m.group(1))
        start = sent.start + m.end() - len(name)
        if _GENERIC_FUND.fullmatch(name):
            continue  # 中央财政补助资金: a budget's money of no named fund
        if len(name) >= 6 and s.rfind("《", 0, m.start()) <= s.rfind("》", 0, m.start()):
            _add_program(finds, _LEVEL_ADJ.sub("", name), sent, start, start + len(name), text, {name})


# A named fund followed by its sum (其中美丽屋场项目奖补资金5万元; 厕所革命专项资金有1亿元; 以工代赈任务资金300万元).
_FUND_WITH_AMOUNT = re.compile(r"(?:(项目)|专项|奖补|补助|任务|扶持|帮扶)资金(?=(?:有|共|总计|合计|共计)?[\d.]+[万亿]?余?元)")
# Any fund's 资金 right before its sum (two or more in a sentence are a list of named funds).
_SUM_OF_A_FUND = re.compile(r"资金(?=(?:有|共|总计|合计|共计)?[\d.]+[万亿]?余?元)")


# The task or special line of a fund, written in brackets before 资金 (农业生产发展(第一批X产业发展专项)资金).
_BRACKETED_TASK = re.compile(rf"[(（](?:第[一二三四五六七八九十]+批)?([{CJK}]{{4,24}}(?:专项|任务))[)）]资金")


# Verbs that end the sentence's part before a fund's name (我部收到X资金, 旗县增加补助资金).
_BEFORE_FUND_NAME = re.compile("|".join(map(re.escape, (*_CONTENT_STOPS, "收到", "增加", "新增", "包括", "包含", "分别为",
                                                          "分别是"))))


# What a fund's name is not: money named by its source or level (财政, 信贷), not by what it is for.
_NOT_A_FUND_NAME = re.compile(r"财政|信贷|资金|收购|配套|自筹|预算内|结余|债券|统筹整合|类$|需要|予以|安排"
                              r"|^(?:中央|省级|市级|县级|区级|各级|本级|上级|年度|首批|本次|历年|项目|[该这此其]|全[省市县区镇乡])")


def _region_mentions(finds: Finds) -> list[Mention]:
    """Every mention of a region found in the report."""
    return [m for r in finds.regions.values() for m in r["mentions"]]


def _funds_with_amounts(text: str, sent: Sentence, finds: Finds, tokens: Tokens) -> None:
    """Funds named in a list of sums (X(项目)(专项|奖补|任务…)资金 + amount; X项目's money names the project X项目) and a
    fund's task or special line in brackets before 资金."""
    s = sent.text
    if "资金" not in s:
        return
    for m in _BRACKETED_TASK.finditer(s):
        start = sent.start + m.start(1)
        _add_program(finds, m.group(1), sent, start, start + len(m.group(1)), text, set())
    regions: list[Mention] | None = None  # read once, when a candidate needs them: candidates add no region
    heads = [(m.start(), m.end(), m.end(1) if m.group(1) else m.end()) for m in _FUND_WITH_AMOUNT.finditer(s)]
    listed = list(_SUM_OF_A_FUND.finditer(s))
    if len(listed) >= 2:  # 防灾减灾资金3400万元、农业救灾资金1600万元: funds listed with their sums are named funds
        heads += [(m.start(), m.end(), m.end()) for m in listed if not any(a <= m.start() < b for a, b, _ in heads)]
    for h_start, h_end, name_end in sorted(heads):
        if _in_title(s, h_start):
            continue
        floor = sent.start + max(s.rfind(c, 0, h_start) for c in ",;:。、") + 1
        head = sent.start + h_start
        stem = re.search(rf"[{CJK}()]*$", text[floor:head]).group(0)
        base = head - len(stem)  # cut after the last verb or stop that is a word of its own (收到, 其中; not 到 of 到户)
        stem = stem[max((v.end() for v in _BEFORE_FUND_NAME.finditer(stem)
                         if not tokens.crosses(base + v.start()) and not tokens.crosses(base + v.end())), default=0) :]
        # (the year's digits stay outside the run of characters: 2022|年第二批…资金 leaves 年 to cut too)
        stem = re.sub(r"^(?:(?:\d{4})?年(?:度)?|第[一二三四五六七八九十]+批)+", "", stem)
        if stem.count("(") > stem.count(")"):
            stem = re.sub(r"^含", "", stem[stem.rindex("(") + 1 :])  # 投入50万元(含某某资金: the bracket opens the name
        start = head - len(stem)
        if len(stem) < 4 or not re.fullmatch(rf"[{CJK}()]+", stem) or _NOT_A_FUND_NAME.search(stem):
            continue
        first = tokens.word_at.get(start)
        if first and (tokens.tag(first) or "")[:1] in ("d", "p"):
            continue  # 分别兑现奖补资金, 按行业分类…任务资金: an adverb or preposition opens no fund's name
        regions = _region_mentions(finds) if regions is None else regions
        if any(start <= r.start and r.end <= head for r in regions):
            continue  # 某嘎查帮扶资金: money for a place, not a named fund
        if any(pm.start < sent.start + h_end and start < pm.end for p in finds.programs.values() for pm in p["mentions"]):
            continue  # part of a programme already read (衔接推进乡村振兴补助资金)
        if text[start - 1 : start] in ("和", "与", "及"):
            continue  # cut at a conjunction: the name may begin earlier
        # The money of a project (美丽屋场项目奖补资金) names the project; a fund's own name keeps its head.
        end = head if stem.endswith("项目") else sent.start + name_end
        _add_program(finds, text[start:end], sent, start, end, text, {text[start : sent.start + h_end]})


_LINE_ITEM = re.compile(
    rf"^\s*(?:\d+[.、]|[((][一二三四五六七八九十\d]+[))]|[一二三四五六七八九十]+、)\s*"
    rf"([{CJK}0-9()()]{{4,40}}?(?:工程|项目)(?:\([^()]{{1,8}}\))?)[。:]?$")  # (三、某项目。投入80万元…: its own sentence)


# The field of a notice that names a project (项目名称:某村肉牛养殖项目).
_NAME_FIELD = re.compile(rf"(?:项目名称|工程名称)[::]\s*([{CJK}0-9()()“”·\-]{{4,40}})")


def _line_item_program(text: str, sent: Sentence, finds: Finds) -> None:
    """A numbered line that names a project (1.某某村人饮巩固提升工程), or a notice's 项目名称 field."""
    m = _LINE_ITEM.match(sent.text)
    if m:
        start = sent.start + m.start(1)
        _add_program(finds, m.group(1), sent, start, start + len(m.group(1)), text, set())
    for m in _NAME_FIELD.finditer(sent.text):
        start = sent.start + m.start(1)
        _add_program(finds, m.group(1), sent, start, start + len(m.group(1)), text, set(), merge_overlaps=True)


# A year written inside a programme's name (X市2021年Y项目): the same programme is also named without it.
_YEAR_ANYWHERE = re.compile(r"20\d\d年度?")


def _spelling_key(name: str) -> str:
    """A programme's name without its year and the marks that separate its parts (、, spaces, ·)."""
    return _YEAR_ANYWHERE.sub("", re.sub(r"[、\s·]", "", name))


def _add_program(finds: Finds, name: str, sent: Sentence, start: int, end: int, text: str, aliases: set[str],
                 merge_overlaps: bool = False) -> str:
    # The same programme written longer or shorter elsewhere is one programme; so is a vocabulary programme
    # written with a budget before it (下达我区财政衔接推进乡村振兴补助资金), but a programme's fund stays its own.
    concept = None
    spelling = _spelling_key(name)
    for key, other in finds.programs.items():
        if spelling == _spelling_key(key) and name != key:
            # 千村引领、万村升级工程 and 千村引领 万村升级工程, X市2021年Y项目 and X市Y项目: one programme, named without
            # the year
            if _YEAR_ANYWHERE.search(key) and not _YEAR_ANYWHERE.search(name):
                del finds.programs[key]
                other["aliases"].add(key)
                other["name"] = name
                finds.programs[name] = other
            else:
                aliases = aliases | {name}
                name = key
            break
        if "concept" in other and concept is None:
            found = concept_of(name)
            concept = found.id if found else ""
        if name in other["aliases"] or key in aliases or (
                concept and other.get("concept") == concept and name.endswith("资金") == key.endswith("资金")):
            aliases = aliases | {name}
            name = key
            break
        if not merge_overlaps or "concept" in other:
            continue
        same_start = len(min(name, key, key=len)) >= 6 and (name.startswith(key) or key.startswith(name))
        overlapped = [m for m in other["mentions"] if m.start < end and start < m.end]
        if same_start or overlapped or _same_but_a_place(name, key):
            if len(name) <= len(key):
                aliases = aliases | {name}
                name = key
            elif overlapped and len(other["mentions"]) > len(overlapped):
                # The longer span replaces the shorter one here only (其他行的同名短称不受影响).
                other["mentions"] = [m for m in other["mentions"] if m not in overlapped]
            else:  # the longer span names it: 东方市罗带河…项目 over 罗带河…项目
                del finds.programs[key]
                other["aliases"].add(key)
                other["name"] = name
                finds.programs[name] = other
            break
    entry = finds.programs.setdefault(name, {"name": name, "aliases": set(), "mentions": []})
    entry["aliases"].update(aliases)
    entry["mentions"].append(Mention(text[start:end], start, end, sent.index))
    return name


def _same_but_a_place(name: str, other: str) -> bool:
    """True when one project name is the other with a place before it (景洪市勐龙镇X项目, 勐龙镇X项目).

    >>> _same_but_a_place("景洪市勐龙镇茶叶初制所建设项目", "勐龙镇茶叶初制所建设项目"), _same_but_a_place("A镇甲项目", "甲项目")
    (True, False)
    """
    short, long = sorted((name, other), key=len)
    if len(short) < 8 or short == long or not long.endswith(short):
        return False
    return bool(load_gazetteer().by_name(long[: len(long) - len(short)]))


def find_documents(text: str, sentences: tuple[Sentence, ...], finds: Finds) -> None:
    for sent in sentences:
        s = sent.text
        for m in _BOOK.finditer(s):
            title = m.group(1).strip()
            start = sent.start + m.start(1)
            if is_media_name(title) or (CITED_OUTLET.match(s, m.start() - 1) and not title.endswith(DOCUMENT_KINDS)):
                continue  # 《人民日报》, 据《某某周刊》消息: a newspaper, not a policy document
            if title in _POINTING_BACK:
                # (以下简称《方案》), 根据《方案》要求: the short name of the last document of that kind
                earlier = [t for t in finds.documents if t.endswith(title) and t != title]
                if earlier:
                    finds.documents[earlier[-1]]["mentions"].append(Mention(title, start, start + len(title), sent.index))
                continue
            entry = finds.documents.setdefault(title, {"title": title, "issuer": None, "mentions": []})
            entry["mentions"].append(Mention(title, start, start + len(m.group(1)), sent.index))
            # Issuer: an organisation written right before the title (…财政厅《…》).
            before = s[: m.start()]
            for name in sorted(finds.actors, key=len, reverse=True):
                if before.endswith(name) or before.endswith(name + "印发") or before.endswith(name + "制定"):
                    entry["issuer"] = name
                    break
