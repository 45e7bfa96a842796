"""Indicators: quantities that describe the state of a place, an actor or a programme.

村集体经济收入 of a village, 贷款余额 of a bank, households covered, 亩 planted, the share of
villages above a threshold. Flows of money are fundings, not indicators. The vocabulary
(codes, units, the wordings that name each indicator and their public sources) is the data
file ``data/registers/indicators.tsv``; this module only knows the grammar around a number:
which wording names it, whose figure it is, which year it describes and whether it is an
actual value, a target or a change.

Runs on a resolved extraction, so subjects come out as canonical names.

>>> from kg.pipeline import extract_text
>>> x = extract_text("2021年,湟中区村集体经济收入达到3500万元,计划到2025年突破5000万元。")
>>> [(i.subject, i.indicator, str(i.value), i.year, i.kind) for i in x.indicators]
[('湟中区', 'collective_income', '35000000', 2021, 'actual'), ('湟中区', 'collective_income', '50000000', 2025, 'target')]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from kg.extract.common import LEVEL_OF_CHAR, split_clauses
from kg.extract.programs import concept_of, programme_vocabulary
from kg.model import Extraction, Indicator, Mention, Sentence
from kg.money import find_amounts, parse_number
from kg.resources import project_root

_NUMBER = r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[一二两三四五六七八九十百千]+)\s*(?P<mult>万|亿)?\s*(?:余|多)?"
_PERCENT = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*%|百分之(?P<cn>[一二两三四五六七八九十百]+)")
# A number with a unit of ours somewhere in the clause (a clause with only a date has none).
_HAS_QUANTITY = re.compile(r"[0-9一二两三四五六七八九十百千][0-9.,]*\s*(?:余|多)?\s*(?:万|亿|元|块|%|户|人|名|亩|个|家)|百分之")
# A year that opens a period (2016年以来, 自2018年起) dates no figure: the figure is of the period's end.
# 去年, 今年, 目前 (截至目前: the report's year) … count from the report's year; after 比/较 (比上年增加) they are the base of a change, not its year.
# “十三五”开局之年 (2016), “十四五”收官之年 (2025): the first or last year of a five-year plan.
_YEAR = re.compile(r"(?:(?<!\d)((?:19|20)\d\d)年|(?<![比较同])(去年|上年|前年|今年|本年|目前|如今|至今|当前)"
                   r"|十([一二三四五六七八九])五[”\"』」]?(?:规划)?(?:的)?(开局之年|开局年|首年|第一年|收官之年|收官年|最后一年))"
                   r"(?!以来|来|起|开始|至今|[-－~～至到—])")
_DIGIT = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
_RELATIVE_YEAR = {"去年": -1, "上年": -1, "前年": -2, "今年": 0, "本年": 0, "目前": 0, "如今": 0, "至今": 0, "当前": 0}
# Words that make the figure a plan rather than a fact: 计划, 力争, 目标, 到2025年 … (截至2021年底 is a fact).
_TARGET = re.compile(r"计划|力争|目标|预计|争取|确保|有望|将达|将实现|将突破|将超|规划|届时|(?<!截)(?<!止)(?:到|至)(?:19|20)\d\d年")
# A change between the wording and the number (增长40%), unless it names the new level (增至, 增长到).
_CHANGE = re.compile(r"(?:同比|年均|平均)?(?:增长|增加|提高|提升|增收|上涨|上升|下降|减少)(?![至到为])")
# A count whose noun stands before it (项目23个, 村达1.8万个): the wording before names it.
# It ends its phrase (项目23个, / 达1.8万个以上): in 8个岗位 the noun follows and is not a count of ours.
_COUNT = re.compile(_NUMBER + r"(?:个|家)(?=[,，。;；、)）\s]|$|以上|左右|之多)")
# A figure named as the goal after it: 收入达到5万元以上的目标.
_TARGET_AFTER = re.compile(r"[^,，。;；]{0,6}?(?:的)?(?:目标|任务)")
# 全县, 全村 (the whole of), 该乡, 本镇 (the one just named): the level of the place whose figure it is.
_WHOLE_AREA = re.compile(r"[全该本](省|市|州|盟|县|区|旗|镇|乡|村)")
# The writer's own place (我省, 我市) as the subject of a clause, not as its receiver (向我省投入).
_OUR_AREA = re.compile(r"(?<![向对为给在到从与和帮援])我(省|市|州|盟|县|区|旗)")
_LEVEL_OF_CHAR = {**LEVEL_OF_CHAR, "村": "village"}
# Either end of a range (10-20万亩, 10万-30万元, 1至2名) bounds a band of a classification, not a figure.
_RANGE_BEFORE = re.compile(r"\d\s*(?:万|亿|元|万元|亿元|%)?\s*[-－~～—至到]\s*$")
_RANGE_AFTER = re.compile(r"\s*[-－~～—]\s*\d")
# Money right before the villages or enterprises it sorts (5万元以上村, 10万元以下的村, 产值超千万元企业,
# 年产值过亿元的园区) is a band's threshold, not an income.
_THRESHOLD_AFTER = re.compile(r"\s*(?:(?:以上|以下|以内)(?:的)?[^\d,，。;；、]{0,4}?|的)?(?:村|嘎查|企业|园区|合作社|经营主体)")
_ASIDE = re.compile(r"[(（][^()（）\n]{1,40}[)）]")
# What may stand between a name and the wording it owns: nothing, 的, or an aside in parentheses.
_NEXT_TO = re.compile(r"(?:[(（][^()（）\n]{1,40}[)）])?的?")
_NEXT_TO_LONGEST = 43
# Between a programme's name and the count of its units: 整村授信|村达|1.8万个, 帮扶车间||311个.
_COUNTED_BEFORE = re.compile(r"(?:村|共|总)?(?:达到|达|有|共)?$")
# What may stand between a counted noun and its count (项目23个, 行政村达到4933个, 村有15个).
_COUNT_GAP = re.compile(r"(?:共|总|累计|共计|合计|分别|总数|数量)?(?:达到|达|有|为|是|超过|超|近|逾|约|增至|增加到)?了?")
# A paragraph ends at a line break after a finished sentence; a page's lines broken mid-sentence
# (2023年\n我区计划实施…) or a heading line carry on.
_PARAGRAPH_END = re.compile(r"[。！？!?；;…][”’」』)）]*\s*\n")
# A clause that names no quantity of its own before its figure: a time, a plan's verb, a change.
_CARRY = re.compile(r"\s*(?:(?:计划|力争|争取|预计|有望|预期)?(?:到|至|在|于)?[^,，。;；]{0,8}?(?:年|月|时|前|后|底|末|内))?"
                    r"(?:计划|力争|争取|预计|有望|预期|将|要|可|再|同比|(?:比|较)[^,，。;；\d]{0,5}?)*"
                    r"(?:突破|达到|达|超过|超|增至|增加到|提高到|增长到|增长|增加|提高|上升到|上升|下降|减少|多|少|为|是|有)?了?\s*")
# Fewer people or households than this (一户, 两名工作人员) act once; they are no population.
_HANDFUL = 10
# Whose figures an indicator can be: incomes belong to places (村集体经济收入 is the village's, even
# next to the cooperative that earned it); counts and shares of villages to a place above them.
_OF_PLACES = frozenset({"collective_income", "income_per_capita"})
_OF_PLACES_ABOVE_VILLAGES = frozenset({"village_count", "village_share", "coverage_rate"})
# The programmes of the vocabulary (data/registers/programmes.tsv) whose results are counted as theirs.
_AID_CONCEPTS = frozenset({"east-west-cooperation", "counterpart-support"})
_RESULTS_OF_AID = frozenset({"project_count", "entity_count"})
_PROJECT_ENDINGS = ("项目", "基地", "园", "园区", "工程", "示范区", "合作社", "车间")


@dataclass(frozen=True)
class IndicatorDefinition:
    """One entry of the indicator vocabulary."""

    code: str
    unit: str
    label: str
    label_en: str
    before: tuple[str, ...]  # wordings that stand before the number
    after: tuple[str, ...]  # what follows the number (~户: "户")
    source: str


@lru_cache(maxsize=1)
def indicator_vocabulary() -> tuple[IndicatorDefinition, ...]:
    """The indicator vocabulary of ``data/registers/indicators.tsv``.

    >>> [d.code for d in indicator_vocabulary()][:3]
    ['collective_income', 'income_per_capita', 'loan_balance']
    """
    out = []
    for line in (project_root() / "data" / "registers" / "indicators.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, unit, label, label_en, wordings, source = line.split("\t")
        words = wordings.split("|")
        out.append(IndicatorDefinition(code, unit, label, label_en,
                                       tuple(sorted((w for w in words if "~" not in w), key=len, reverse=True)),
                                       tuple(w.split("~", 1)[1] for w in words if w.startswith("~")), source))
    return tuple(out)


@dataclass(frozen=True)
class _Quantity:
    value: Decimal
    unit: str
    start: int  # clause offsets
    end: int
    code: str | None = None  # fixed by what follows the number (个村, 户, 亩)


@lru_cache(maxsize=1)
def _unit_of() -> dict[str, str]:
    return {d.code: d.unit for d in indicator_vocabulary()}


@lru_cache(maxsize=1)
def _after_pattern() -> tuple[re.Pattern[str], dict[str, IndicatorDefinition]]:
    """One pattern for every number + unit of the vocabulary (longest unit first: 个子项目 before 个)."""
    by_after = {after: d for d in indicator_vocabulary() for after in d.after}
    units = "|".join(re.escape(a) for a in sorted(by_after, key=len, reverse=True))
    return re.compile(_NUMBER + f"(?P<after>{units})"), by_after


def _quantities(clause: str) -> list[_Quantity]:
    """Every number with a unit in a clause: money, percentages and the units of the vocabulary."""
    found: list[_Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    # Units first (3.5万亩 is an area, not 3.5万 of money), then money, percentages, bare counts.
    pattern, by_after = _after_pattern()
    for m in pattern.finditer(clause):
        value = parse_number(m.group("num"), m.group("mult"))
        if value is None or value <= 0:
            continue
        d = by_after[m.group("after")]
        found.append(_Quantity(value, d.unit, m.start(), m.end(), d.code))
        taken.append((m.start(), m.end()))
    for am in find_amounts(clause):
        if free(am.start, am.end) and (am.text.endswith(("元", "块", "块钱")) or am.text[-1:] in "万亿"):
            found.append(_Quantity(am.amount, "yuan", am.start, am.end))
            taken.append((am.start, am.end))
    for m in _PERCENT.finditer(clause):
        if free(m.start(), m.end()):
            value = parse_number(m.group("num") or m.group("cn"))
            if value is not None:
                found.append(_Quantity(value, "percent", m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for m in _COUNT.finditer(clause):
        value = parse_number(m.group("num"), m.group("mult"))
        if value is not None and value > 0 and free(m.start(), m.end()):
            found.append(_Quantity(value, "count", m.start(), m.end()))
            taken.append((m.start(), m.end()))
    return sorted((q for q in found if not _in_range(clause, q)), key=lambda q: q.start)


def _in_range(clause: str, q: _Quantity) -> bool:
    """Whether the quantity bounds a band: one end of a range (10-20万亩), a threshold of villages (5万元以上村)."""
    return bool(_RANGE_BEFORE.search(clause, max(0, q.start - 6), q.start) or _RANGE_AFTER.match(clause, q.end)
                or (q.unit == "yuan" and _THRESHOLD_AFTER.match(clause, q.end)))


@lru_cache(maxsize=None)
def _wordings(unit: str) -> tuple[re.Pattern[str], dict[str, IndicatorDefinition]] | None:
    """One pattern for the wordings of every indicator of a unit, longest first, and whose each is."""
    by_word = {w: d for d in indicator_vocabulary() if d.unit == unit for w in d.before}
    if not by_word:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(by_word, key=len, reverse=True))), by_word


def _wording_before(clause: str, pos: int, unit: str) -> tuple[IndicatorDefinition, str, int] | None:
    """The vocabulary wording of this unit that ends closest before ``pos`` in the clause (the longer on a tie)."""
    found = _wordings(unit)
    if found is None:
        return None
    pattern, by_word = found
    longest = max(map(len, by_word))
    best: tuple[IndicatorDefinition, str, int] | None = None
    for start in range(pos - 1, -1, -1):  # from the figure leftwards: the nearest wording wins
        m = pattern.match(clause, start, pos)
        if m and (best is None or m.end() >= best[2] + len(best[1])):
            best = (by_word[m.group(0)], m.group(0), start)  # at the same end, the longer wording
        if best is not None and start + longest < best[2] + len(best[1]):
            break  # no wording starting further left can end later
    return best


def _opens_with_plan(sentence: str, clauses: tuple[tuple[int, int], ...]) -> bool:
    """Whether the sentence's first clause is a plan's cue with no figure of its own (届时, 到2025年, 计划)."""
    if len(clauses) < 2:
        return False
    first = sentence[clauses[0][0]:clauses[0][1]]
    return bool(_TARGET.search(first)) and not _HAS_QUANTITY.search(first)


def _kind(sentence_prefix: str, between: str) -> str:
    if _TARGET.search(sentence_prefix):
        return "target"
    if _CHANGE.search(between):
        return "change"
    return "actual"


def _plan_year(plan: int, which: str) -> int:
    """The first or last year of the ``plan``-th five-year plan (the third ran 1966-1970, each since five years).

    >>> _plan_year(13, "开局之年"), _plan_year(14, "收官之年")
    (2016, 2025)
    """
    first = 1966 + 5 * (plan - 3)
    return first + 4 if which in ("收官之年", "收官年", "最后一年") else first


def _year(text_before: str, fallback: int | None, report_year: int | None) -> int | None:
    """The last year named before the figure (去年 from the report's year), else ``fallback``."""
    last = None
    for last in _YEAR.finditer(text_before):
        pass
    if last is None:
        return fallback
    if last.group(1):
        return int(last.group(1))
    if last.group(3):
        return _plan_year(10 + _DIGIT[last.group(3)], last.group(4))
    # In an undated report 去年 is unknown; 目前 and 今年 are the paragraph's year, if it names one.
    if report_year:
        return report_year + _RELATIVE_YEAR[last.group(2)]
    return fallback if _RELATIVE_YEAR[last.group(2)] == 0 else None


@dataclass(frozen=True)
class _Anchor:
    start: int
    end: int
    name: str
    kind: str  # region level, actor type, or "program"


def _asides(text: str) -> list[tuple[int, int]]:
    """Spans of the text within parentheses: 佳木斯市(含抚远县) is the city's figure, never the aside's."""
    return [m.span() for m in _ASIDE.finditer(text)]


def _anchors(extraction: Extraction) -> list[_Anchor]:
    """Names that can own a figure, by where they end; none in parentheses or as an example (X等)."""
    asides = _asides(extraction.report.text)
    starts = [a[0] for a in asides]

    def aside(start: int) -> bool:
        i = bisect_right(starts, start) - 1
        return i >= 0 and start < asides[i][1]

    text = extraction.report.text
    anchors = [a for a in _all_anchors(extraction) if not aside(a.start)]
    # A name followed by 等 (X等援建园区, X等5家企业) is one example of a group, not whose figure it is;
    # nor is a place inside it (林周县 of 林周县某产业园等).
    examples = {a.end: a.start for a in anchors if text[a.end:a.end + 1] == "等"}
    return [a for a in anchors if not any(start <= a.start and a.end <= end for end, start in examples.items())]


def _all_anchors(extraction: Extraction) -> list[_Anchor]:
    out = [_Anchor(m.start, m.end, r.name, r.level) for r in extraction.regions for m in r.mentions]
    # People have posts, not figures: 田某带领300户 is the households' figure, not his.
    out += [_Anchor(m.start, m.end, a.name, a.type) for a in extraction.actors for m in a.mentions
            if a.type != "Person"]
    # A project (基地, 示范园, 工程) has figures of its own; a campaign or a model does not.
    out += [_Anchor(m.start, m.end, p.name, "program") for p in extraction.programs for m in p.mentions
            if p.name.endswith(_PROJECT_ENDINGS)]
    # East-west cooperation and counterpart support have results of their own (projects, enterprises, jobs).
    out += [_Anchor(m.start, m.end, p.name, "cooperation") for p in extraction.programs for m in p.mentions
            if not p.name.endswith(_PROJECT_ENDINGS) and _is_cooperation(p.name)]
    return sorted(out, key=lambda a: (a.end, a.start))


_PLACE_KINDS = frozenset({"province", "city", "county", "township", "village"})


def _preferred(code: str, wording: str, text_before: str) -> set[str] | None:
    """Kinds of anchor the wording itself points to, wherever in the report the anchor stands.

    贷款余额 is a bank's; 村集体收入 and 村民人均收入 a village's; 全乡 the township's.
    """
    whole = None
    for whole in _WHOLE_AREA.finditer(text_before):
        pass
    if whole is not None:
        return {_LEVEL_OF_CHAR[whole.group(1)]}
    if code == "loan_balance":
        return {"FinancialInstitution"}
    if code in _RESULTS_OF_AID:
        return {"cooperation"}
    if code in _OF_PLACES and "村" in wording:
        return {"village"}
    return None


def _programme_mentions(extraction: Extraction) -> tuple[dict[int, str], dict[int, str]]:
    """Programme names by where their mentions start and by where they end (inside quotes, the quotes)."""
    text = extraction.report.text
    starts: dict[int, str] = {}
    ends: dict[int, str] = {}
    for p in extraction.programs:
        for m in p.mentions:
            quoted = m.start > 0 and text[m.start - 1] == "“" and text[m.end:m.end + 1] == "”"
            starts[m.start - quoted] = p.name
            ends[m.end + quoted] = p.name
    return starts, ends


def _counted_programme(programmes: tuple[dict[int, str], dict[int, str]], text: str, start: int, end: int) -> str | None:
    """The programme whose units a count counts: 108个X示范村, “X”村达1.8万个, “帮扶车间”311个."""
    starts, ends = programmes
    if end in starts:
        return starts[end]
    m = _COUNTED_BEFORE.search(text, max(0, start - 8), start)
    return ends.get(m.start()) if m else None


@lru_cache(maxsize=4096)
def _is_cooperation(name: str) -> bool:
    """Whether a programme is east-west cooperation or counterpart support (苏陕协作, 对口支援, 援藏 …)."""
    concept = concept_of(name)
    seen: set[str] = set()
    while concept is not None and concept.id not in seen:
        if concept.id in _AID_CONCEPTS:
            return True
        seen.add(concept.id)
        concept = programme_vocabulary().get(concept.broader[0]) if concept.broader else None
    return False


def _allowed(code: str, kind: str) -> bool:
    if kind == "cooperation":
        return code in _RESULTS_OF_AID
    if code in _OF_PLACES_ABOVE_VILLAGES:
        return kind in _PLACE_KINDS - {"village"}
    if code in _OF_PLACES:
        return kind in _PLACE_KINDS
    return True


def _subject(anchors: list[_Anchor], ends: list[int], sentence: Sentence, previous: Sentence | None,
             pos: int, code: str, wording: str, jurisdiction: str | None, text_before: str,
             text: str, named_at: int, paragraph_start: int) -> str | None:
    """Whose figure: the name the wording is written on, else what the wording points to, else the
    nearest fitting name before it, else the jurisdiction.

    Counts and shares of villages describe the place that holds the villages, never a village;
    incomes belong to places.
    """
    # 上饶市涉农贷款余额, 某村的集体经济收入, 某市(含某县)播种面积: a name right before the wording owns it.
    j = bisect_right(ends, named_at) - 1
    while j >= 0 and ends[j] >= named_at - _NEXT_TO_LONGEST:
        a = anchors[j]
        if _NEXT_TO.fullmatch(text, a.end, named_at) and _allowed(code, a.kind):
            return a.name
        j -= 1
    i = bisect_right(ends, pos)
    clause_start = max(text_before.rfind(c) for c in ",;:。") + 1
    if jurisdiction and _OUR_AREA.search(text_before, clause_start):
        return jurisdiction  # 我省共实现…就业15650人: the writer's own place
    preferred = _preferred(code, wording, text_before)
    if preferred:
        # The report's latest such name before the figure (the paragraph's bank, village, township).
        for j in range(i - 1, -1, -1):
            a = anchors[j]
            if a.kind in preferred:
                return a.name
        if preferred <= _PLACE_KINDS and not preferred & {"village"}:
            return jurisdiction
    # The paragraph's latest fitting name (a village story's village), not only the last two sentences'.
    floor = min(paragraph_start, previous.start if previous else sentence.start)
    for j in range(i - 1, -1, -1):
        a = anchors[j]
        if a.start < floor:
            break
        if _allowed(code, a.kind):
            return a.name
    return jurisdiction


def find_indicators(extraction: Extraction) -> tuple[Indicator, ...]:
    """Indicators of a resolved extraction, each with its evidence span."""
    text = extraction.report.text
    date = extraction.report.raw.date or ""
    report_year = int(date[:4]) if date[:4].isdigit() else None
    anchors = _anchors(extraction)
    ends = [a.end for a in anchors]
    programmes = _programme_mentions(extraction)
    out: list[Indicator] = []
    seen: set[tuple] = set()
    previous: Sentence | None = None
    paragraph_year: int | None = None
    paragraph_start = 0
    for sent in extraction.sentences:
        s = text[sent.start:sent.end]
        if previous is None or _PARAGRAPH_END.search(text, previous.start, sent.start + 1):
            paragraph_year, paragraph_start = None, sent.start
        since = 0  # where the words that can make a figure a plan begin: after the sentence's last figure
        clauses = split_clauses(s)
        planned = _opens_with_plan(s, clauses)
        for c_start, c_end in clauses:
            clause = s[c_start:c_end]
            if not _HAS_QUANTITY.search(clause):
                continue
            for q in _quantities(clause):
                if q.code is not None:
                    code, wording, w_end = q.code, clause[q.start:q.end], q.start
                    if q.unit == "person":
                        # 带动就业200人: people at work are jobs.
                        hit = _wording_before(clause, q.start, "person")
                        if hit is not None:
                            code, wording, w_end = hit[0].code, hit[1], hit[2] + len(hit[1])
                else:
                    hit = _wording_before(clause, q.start, q.unit)
                    w_offset = 0
                    if hit is None and _CARRY.fullmatch(clause, 0, q.start):
                        # 收入达到35万元,计划到2025年突破100万元: the wording of an earlier clause carries
                        # into a clause that names nothing of its own (not into 签约额超393亿元).
                        hit, w_offset = _wording_before(s[:c_start], c_start, q.unit), -c_start
                    if hit is None:
                        continue
                    code, wording, w_end = hit[0].code, hit[1], hit[2] + len(hit[1]) + w_offset
                    if q.unit == "count" and not _COUNT_GAP.fullmatch(clause, max(w_end, 0), q.start):
                        continue  # 县县结对56个: the noun before the count is what it counts
                if q.unit == "count" and q.value < 2:
                    continue  # 打造1个示范村: an act, not a count worth a series
                if q.unit in ("household", "person") and q.value < _HANDFUL:
                    continue
                start, end = sent.start + c_start + q.start, sent.start + c_start + q.end
                prefix = s[:c_start + q.start]
                # A sentence opened by a plan (届时, 到2025年, 计划: its first clause, without a figure) plans all its figures.
                kind = _kind(s[since:c_start + q.start] if not planned else "计划",
                             clause[max(w_end, 0):q.start] if w_end <= q.start else "")
                since = c_start + q.end
                goal = _TARGET_AFTER.match(clause, q.end)
                if goal:
                    kind, since = "target", c_start + goal.end()
                if code == "income_per_capita" and wording == "人均增收":
                    kind = "change"
                year = _year(prefix, paragraph_year or report_year, report_year)
                # 村民人均收入: the two characters before the wording say whose income it is.
                w_abs = c_start + w_end - len(wording)
                subject = (_counted_programme(programmes, text, start, end) if q.unit == "count" else None) or \
                    _subject(anchors, ends, sent, previous, start, code, s[max(0, w_abs - 2):w_abs] + wording,
                             extraction.jurisdiction, prefix, text, sent.start + w_abs, paragraph_start)
                if subject is None:
                    continue
                unit = _unit_of()[code]
                # One figure per subject, indicator, year and kind in a report: those are the data
                # cube's dimensions, and two observations with the same ones break its IC-12 (kg
                # validate). A second is a restatement or a misreading; the first stated is kept.
                key = (subject, code, year, kind)
                # The same value again, as a plan and then as a fact (计划实施项目4个 … 实施项目4个), is one figure.
                same = (subject, code, year, q.value)
                if key in seen or same in seen:
                    continue
                seen.update((key, same))
                ev_start = sent.start + c_start
                out.append(Indicator(subject, code, wording, q.value, unit, year, kind,
                                     Mention(text[ev_start:end], ev_start, end, sent.index)))
        # A year named earlier in the paragraph dates its later figures (2018年,全市…。其中…占35%).
        paragraph_year = _year(s, paragraph_year, report_year)
        previous = sent
    return tuple(out)


def with_indicators(extraction: Extraction) -> Extraction:
    """The extraction with its indicators filled in."""
    return replace(extraction, indicators=find_indicators(extraction))
