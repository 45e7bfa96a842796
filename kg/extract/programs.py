"""Programmes (quoted, verb-launched, numbered project lines, named funds) and 《》 documents."""

from __future__ import annotations

import re

from kg.extract.common import CJK, SUFFIX_RE, Finds, Tokens, split_clauses
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.model import Mention, Sentence

_QUOTE = re.compile(r"“([^“”\n]{2,30})”")


_BOOK = re.compile(r"《([^《》\n]{2,80})》")


_PROGRAM_CUES = ("实施", "开展", "推进", "启动", "深化", "创建", "打造", "部署", "落实", "参与", "纳入", "发放", "入选",
                 "举办", "创成", "支持", "作为", "产品", "建设", "加快", "列入", "用")


_QUOTE_HEADS = re.compile(r"(三年行动计划|行动计划|专项行动|实践活动|行动|工程|活动|项目|建设|品牌|计划|贷)")


_UNQUOTED_HEADS = re.compile(r"(行动计划|专项行动|行动|工程|计划|项目|试点|建设|示范区|示范县|示范乡镇|精品村|产业园|科创园|农场)")


_LEVEL_ADJ = re.compile(r"^(?:国家级|省级|市级|县级|区级|全国|全省)")


_NUMBER_QUANT = re.compile(r"^[\d一二三四五六七八九十百千万两]+(?:个|户|项|家|批|条|座)")


def find_programs(text: str, sentences: tuple[Sentence, ...], finds: Finds, tokens: Tokens) -> None:
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
                symbolic = not re.fullmatch(rf"[{CJK}、,]{{3,}}", inner) or SUFFIX_RE.search(inner[-3:])
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


def _unquoted_programs(text: str, sent: Sentence, finds: Finds, tokens: Tokens, quoted: list[tuple[int, int]]) -> None:
    """Programmes named after a verb that launches them: 开展X试点, 实施4个X建设及88个Y建设."""
    s = sent.text
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
            # Cut at the last joining word or 的 (…为一体的X区现代农业产业园; X建设及Y建设).
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


def _line_item_program(text: str, sent: Sentence, finds: Finds) -> None:
    """A numbered line that names a project (1.某某村人饮巩固提升工程) is a programme."""
    m = re.match(rf"^\s*(?:\d+[.、]|[((]\d+[))]|[一二三四五六七八九十]+、)\s*([{CJK}0-9()()]{{4,40}}?(?:工程|项目)(?:\([^()]{{1,8}}\))?)$", sent.text)
    if m:
        start = sent.start + m.start(1)
        _add_program(finds, m.group(1), sent, start, start + len(m.group(1)), text, set())


def _add_program(finds: Finds, name: str, sent: Sentence, start: int, end: int, text: str, aliases: set[str]) -> None:
    # The same programme written longer or shorter elsewhere is one programme.
    for key, other in finds.programs.items():
        if name in other["aliases"] or key in aliases:
            name = key
            break
    entry = finds.programs.setdefault(name, {"name": name, "aliases": set(), "mentions": []})
    entry["aliases"].update(aliases)
    entry["mentions"].append(Mention(text[start:end], start, end, sent.index))


def find_documents(text: str, sentences: tuple[Sentence, ...], finds: Finds) -> None:
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
