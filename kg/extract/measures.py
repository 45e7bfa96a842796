"""Measures: actor–action–object (issued, held, established, signed, launched, disbursed)."""

from __future__ import annotations

import re

from kg.extract.common import Finds, Tokens, strip_time_phrase
from kg.model import Measure, Mention, Sentence

_MEASURE_VERBS = (
    ("issued", ("制定印发", "印发", "出台", "制定", "发布", "下发")),
    ("held", ("召开", "举办", "举行", "组织召开")),
    ("established", ("成立", "建立", "组建", "设立", "搭建")),
    ("signed", ("签约", "签订", "签署", "达成")),
    ("launched", ("启动", "实施", "开展", "推进", "部署实施", "深入推进", "深入实施")),
    ("disbursed", ("发放", "拨付", "下达", "安排", "投入")),
)


_VERB_ACTION = {verb: action for action, verbs in _MEASURE_VERBS for verb in verbs}


_VERB_RE = re.compile("|".join(sorted(map(re.escape, _VERB_ACTION), key=len, reverse=True)))


def find_measures(text: str, sentences: tuple[Sentence, ...], finds: Finds, tokens: Tokens) -> None:
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
            if s.startswith(("时间", "日期"), m.end()) or s.startswith(("来源", "发布", "时间", "日期", "作者")):
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
    head = strip_time_phrase(s)
    for names in (actor_names, region_names):
        for n in names:
            if head.startswith(n):
                return n
    return None
