"""Actors: organisations by suffix and structure, level bodies, banks, outlets, people."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.common import (
    CJK,
    GENERIC_PLACES,
    LEVEL_CHARS,
    SUFFIX_RE,
    SUFFIX_TYPE,
    Finds,
    Tokens,
    name_start,
    sentence_of,
)
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.model import Mention, Sentence

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


def find_actors(text: str, sentences: tuple[Sentence, ...], finds: Finds, tokens: Tokens) -> None:
    g = load_gazetteer()
    for sent in sentences:
        s_text = sent.text
        base = sent.start
        taken: list[tuple[int, int]] = []
        for m in SUFFIX_RE.finditer(s_text):
            suffix, end = m.group(0), m.end()
            if any(s < end <= e for s, e in taken) or tokens.crosses(base + end):
                continue  # the suffix runs on into another word (局面, 部署, 党组织)
            if any(s_text[:end].endswith(bad) for bad in _NOT_ORG_ENDINGS):
                continue
            if _inside_longer_quote(s_text, m.start(), end):
                continue
            company = suffix in ("有限公司", "股份有限公司", "有限责任公司", "公司", "集团", "分公司")
            floor = max(0, m.start() - (22 if company else 16))
            begin = name_start(text, base + m.start(), base + floor, tokens, company) - base
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
            typ = _refine_type(name, SUFFIX_TYPE.get(suffix, "GovernmentAgency"))
            if not _proper_name(name, suffix, typ, tokens, g, base + begin):
                continue
            for inner in [t for t in taken if begin <= t[0] and t[1] <= end]:
                _drop_mention(finds, base + inner[0], base + inner[1])  # 邮政储蓄银行 inside …银行X支行
                taken.remove(inner)
            _add_actor(finds, name.replace("“", "").replace("”", ""), typ, sent, base + begin, base + end, text)
            taken.append((begin, end))
            # An alternative name in brackets right after (…领导小组(乡村振兴领导小组)).
            alt = re.match(r"\(([^()]{2,20})\)", s_text[end:])
            if alt and SUFFIX_RE.search(alt.group(1)[-4:]):
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
        # A news dateline names the outlet (新华网5月8日讯, 本报讯).
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


def _find_paired_places(text: str, sentences: tuple[Sentence, ...], finds: Finds) -> None:
    """Places acting together (广陵区与佳县签订协作协议): each place acts, as its government."""
    spans = sorted((m.start, m.end, r["name"], r["level"]) for r in finds.regions.values() for m in r["mentions"])
    for (s1, e1, n1, l1), (s2, e2, n2, l2) in zip(spans, spans[1:]):
        if l1 not in ("province", "city", "county") or l2 not in ("province", "city", "county") or n1 == n2:
            continue
        if text[e1:s2] not in ("与", "和", "同", "、") or not re.match(r"[^,。;]{0,8}?(签订|签署|签约|结对|协作|合作|携手|对接)", text[e2:]):
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
    return close_q > end


def _proper_name(name: str, suffix: str, typ: str, tokens: Tokens, g: Gazetteer, start: int) -> bool:
    """Named organisations only: 种植合作社 or 示范性合作社 name no one."""
    body = name[: -len(suffix)]
    if re.match(r"^(?:省|市|县|区|乡|镇|村)级", body) or body in GENERIC_PLACES:
        return False  # 县级服务中心, 乡镇中心: a kind of body, not one named
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
            if g.by_name(piece):
                return True
    if len(body) == 2 and tokens.tag(body) is None:
        return True  # an abbreviation or brand jieba does not know (农担公司)
    for w in tokens.words_in(start, start + len(body)):
        tag = tokens.tag(w)
        if tag is None and len(w) >= 2 or (tag or "").startswith(("nr", "ns", "nt", "nz")):
            return True
    return typ in ("GovernmentAgency", "PartyOrganization", "FinancialInstitution") and len(body) >= 4


def _drop_mention(finds: Finds, start: int, end: int) -> None:
    """Forget a name read at [start, end): a longer name read later contains it."""
    for name in list(finds.actors):
        entry = finds.actors[name]
        entry["mentions"] = [m for m in entry["mentions"] if (m.start, m.end) != (start, end)]
        if not entry["mentions"]:
            del finds.actors[name]


def _add_actor(finds: Finds, name: str, typ: str, sent: Sentence, start: int, end: int, text: str) -> None:
    entry = finds.actors.setdefault(name, {"name": name, "type": typ, "mentions": [], "post": None})
    entry["mentions"].append(Mention(text[start:end], start, end, sent.index))


def _find_people(text: str, sent: Sentence, finds: Finds, tokens: Tokens) -> None:
    s = sent.text
    # A name that jieba knows as a person, right before a post (…董事长, …总书记).
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
            # A list of names after the title (张三、李四等).
            if s[pos : pos + 1] != "、":
                break
            pos += 1


def _person_at(s: str, pos: int, tokens: Tokens, sent_start: int = 0) -> str | None:
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
