"""Fundings: amounts with their giver, receiver, kind, count, year and programme."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache

from kg.extract import funder_rank
from kg.extract.common import BATCH, BATCH_MARK, CJK, RECEIVER_BEFORE, REGION_BUDGET, Finds, split_clauses, strip_time_phrase
from kg.extract.programs import programme_vocabulary
from kg.extract.tables import table_rows
from kg.gazetteer import MUNICIPALITIES, Gazetteer, load_gazetteer
from kg.model import Funding, Mention, Sentence
from kg.money import find_amounts
from kg.registers import autonomous_regions, banks, budget_levels, is_media_name, province_short_chars
from kg.resources import project_root

@lru_cache(maxsize=1)
def money_words() -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """Words that make a clause speak of giving money, words of results, and the words of each kind.

    From ``data/lexicon/money_words.tsv`` (with its sources).

    >>> gives, results, kinds = money_words()
    >>> "下达" in gives, "收入" in results, kinds[0][0]
    (True, True, 'loan')
    """
    gives: list[str] = []
    results: list[str] = []
    kinds: dict[str, list[str]] = {}
    path = project_root() / "data" / "lexicon" / "money_words.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, role = line.split("\t")[:2]
        if role == "gives":
            gives.append(word)
        elif role == "result":
            results.append(word)
        elif role.startswith("kind:"):
            kinds.setdefault(role[5:], []).append(word)
    return tuple(gives), tuple(results), tuple((k, tuple(v)) for k, v in kinds.items())


@lru_cache(maxsize=1)
def _giving_words() -> re.Pattern[str]:
    """Any word that makes a clause speak of giving money (money_words()'s first list), as one pattern."""
    return re.compile("|".join(map(re.escape, sorted(money_words()[0], key=len, reverse=True))))


# The budget levels (data/registers/budget_levels.tsv, after the Budget Law's five levels): the words that name a level by
# themselves (中央, 省级 …), the places that name one before 财政 or 本级 (自治区, 省, 县 …), each word's rank from the
# centre down and the funder recorded for its money.
_LEVEL_WORDS = "|".join(b.word for b in budget_levels() if b.form == "level")
_PLACE_LEVELS = "|".join(b.word for b in budget_levels() if b.form == "place")
_ANY_LEVEL = f"{_LEVEL_WORDS}|{_PLACE_LEVELS}"
_LEVEL_FUNDER = {b.word: b.funder for b in budget_levels()}
_LEVEL_RANK = {b.word: b.rank for b in budget_levels()}


# A place's budget (县财政, 省财政): its level's money, recorded by the level's name (县级财政), as FORMAT.md's budget
# levels are.
_PLACE_BUDGET = re.compile(rf"({_PLACE_LEVELS})级?财政")


def _level_funder(funder: str | None) -> str | None:
    """A funder that is a place's budget by the name of its level; any other funder as it is.

    >>> _level_funder("县财政"), _level_funder("省级财政"), _level_funder("县本级财政"), _level_funder("某县财政局")
    ('县级财政', '省级财政', '县本级财政', '某县财政局')
    """
    if funder:
        funder = re.sub(BATCH_MARK, "", funder)  # 自治区(第二批)财政 is 自治区财政
    level = _PLACE_BUDGET.fullmatch(funder) if funder else None
    return _LEVEL_FUNDER[level.group(1)] if level else funder


_FUNDER_PHRASES = re.compile(
    # a budget level opens a phrase, follows a year (2023年省财政安排…) or a word that says where money comes
    # from (从自治区本级财政安排, 纳入自治区财政扶持范围, 2024年度区本级财政…); never inside a name (某省财政厅)
    rf"(中央{BATCH}财政|(?:(?<![\u4e00-\u9fff])|(?<=[从由入年度]))(?:(?:{_PLACE_LEVELS})(?:本级|级)?{BATCH}财政|省以上财政)|"
    r"中央[“\"]?[一二三四五六七八九十两]部委[”\"]?|[一二三四五六七八九十两]部委|"
    # Money named by the provinces of a cooperation pair (苏陕资金, 沪滇协作资金, 东西部协作资金).
    rf"[{province_short_chars()}]{{2}}(?:扶贫)?(?:协作|帮扶)?资金|东西部协作资金)"
    # 自治区财政厅, 自治区财政系统, 省财政部门: the finance bodies, no budget level
    r"(?![厅局]|系统|部门)"
)


_COUNT = re.compile(r"(\d+|[一二三四五六七八九十两百千]+)\s*(笔|个行政村|个村|个项目|个|项|家|户|人|名|次|批)")


_YEAR = re.compile(r"(20\d\d|19\d\d)\s*年")


_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|[((][一二三四五六七八九十\d]+[))]|\d+[.、])")


def _is_heading(s: str) -> bool:
    """A short line with no sentence end, often numbered (二、…, (一)…)."""
    return len(s) <= 40 and not s.endswith(_SENTENCE_ENDS) and (bool(_NUMBERED.match(s)) or "," not in s)


def _is_headline(sent: Sentence, sentences: tuple[Sentence, ...]) -> bool:
    """One of the short lines the text opens with (below a page's date, source and sharing lines), before any sentence
    that ends: a headline or subtitle."""
    return sent.index < 8 and len(sent.text) <= 60 and not sent.text.endswith(_SENTENCE_ENDS) and all(
        not other.text.endswith(_SENTENCE_ENDS) for other in sentences[: sent.index])


_SENTENCE_ENDS = ("。", "!", "?", ";")


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


def find_fundings(text: str, sentences: tuple[Sentence, ...], finds: Finds, report_title: str | None) -> None:
    actor_names = sorted(finds.actors, key=len, reverse=True)
    # A funder named in the title (…中央财政…资金分配计划) gives every amount that names none.
    title = title_sentence(report_title, sentences)
    head = _FUNDER_PHRASES.search(title.text) if title is not None else None
    default_funder = head.group(0) if head else None
    section_funder, heading, section = None, None, None
    givers = _GiverContext(text, sentences, finds)
    # The learned ranker (KG_FUNDER_MODEL): its candidates are indexed at the first amount.
    mode = funder_rank.funder_mode()
    use_ranker = mode != "off" or funder_rank.is_recording()
    every = funder_rank.ranks_every_amount(mode)  # else only where the rules find no giver
    ranker: funder_rank.FunderCandidates | None = None
    _, results, _ = money_words()
    giving = _giving_words()
    places = {n for r in finds.regions.values() for n in (r["name"], *r["aliases"])}
    forms = _program_forms(finds)
    # A list item continues the sentence before it (下达资金…: A县200万元; B县300万元;): the giving word
    # of a run of sentences that end with ; or : speaks for the items after it.
    list_gives = False
    gave_last = False  # the sentence before gives money
    list_funder: str | None = None  # the giver of the sum a list of parts comes out of
    topic_level, next_level = None, None
    section_gives = False  # a sentence of the section so far speaks of giving money
    lead: list[Funding] = []  # the fundings of the report's lead, which the body may state again
    unknown: list[int] = []  # the fundings whose giver the rules could not tell (not those they found no one gives)
    amounts_of = [find_amounts(sent.text) for sent in sentences]  # each sentence's sums, read once
    for sent in sentences:
        s = sent.text
        amounts = amounts_of[sent.index]
        topic_level, next_level = next_level, _topic_level(s, next_level)
        lead_gives = list_gives
        numbered = bool(_NUMBERED.match(s))
        if numbered and _is_heading(s):
            section_gives = False  # a new numbered section: its own money
        # (其中: on its own continues the sentence before: 下达…200万元…。其中: 1.…115万元 2.…)
        gives_here = bool(giving.search(s)) or (_PARTS_OPEN.fullmatch(s.strip()) is not None and gave_last)
        gave_last = gives_here
        gave_before, section_gives = section_gives, section_gives or gives_here
        # (the numbered items of such a list carry it on: 具体计划如下: (一)…共计4197万元。 1.…项目850万元。)
        opens = s.endswith((":", ";")) and gives_here and not list_gives
        list_gives = (list_gives or gives_here) if s.endswith((":", ";")) else list_gives and numbered
        if opens:
            # the sum the list's parts come out of, given in this sentence or the one before (下达…200万元…。其中:)
            whole = finds.fundings[-1] if finds.fundings and finds.fundings[-1].evidence.sentence >= sent.index - 1 else None
            list_funder = whole.funder if whole is not None and whole.kind != "loan" else None
        elif not list_gives:
            list_funder = None
        if _is_heading(s) and (not amounts or numbered):
            # A heading that names a source of money (二、中央财政衔接资金, 一、中央财政衔接资金(5273万元)) gives the
            # amounts under it.
            found = _FUNDER_PHRASES.search(s)
            section_funder = found.group(0) if found else None
            list_gives = list_gives or bool(found and "资金" in s)  # its numbered items are that money's parts
            heading = sent
            if _NUMBERED.match(s):
                section = sent.index  # a numbered section (一、…安排情况), not a lead-in line (具体安排情况是:)
        if not amounts:
            continue
        if (title is not None and sent.index == title.index) or _is_headline(sent, sentences):
            below = {a.amount for later in amounts_of[sent.index + 1 :] for a in later}
            amounts = [a for a in amounts if a.amount not in below]
            if not amounts:
                continue  # a headline or subtitle the text opens with says again what the body says (one funding)
        clauses = split_clauses(s)
        sentence_funder, sentence_kind = None, None
        givers_here: list[str | None] = []  # the funders of the sentence's amounts so far
        mentions_here = tuple((st - sent.start, e - sent.start, name) for st, e, name, _ in givers.in_sentence(sent))
        for am in amounts:
            c_start, c_end = next(((a, b) for a, b in clauses if a <= am.start < b + 1), (0, len(s)))
            clause = s[c_start:c_end]
            local = s[max(c_start, am.start - 14) : am.start]
            # A result word in the clause (收入, 增收) rules the amount out unless money is named close
            # before it, after any result word (资金需求1200亿元, 节省贷款利息90万元 are results), or a giving
            # verb stands right before it (投入100万元用于…增收产业).
            last_result = max((local.rfind(n) for n in results), default=-1)
            if (any(n in clause for n in results)
                    and not any(local.rfind(c) > last_result for c in ("投资", "贷款", "资金", "补助"))
                    and not giving.search(_without(s, results), max(0, am.start - 4), am.start)):
                continue
            allotted = _allocation_item(s, c_start, am.start, places, gave_before)
            # Money is given if a giving word stands before the amount in its sentence (其中,美丽乡村建设1亿元)
            # or in the list it continues.
            if not lead_gives and not giving.search(s, 0, c_end) and not allotted:
                continue
            if _RATE_BEFORE.search(s, max(c_start, am.start - 6), am.start):
                continue  # 每亩200元, 每棒0.022元, 一个月3000元: a rate, not a sum given (the window stays in the clause:
                # 新建基地1000亩,|补助资金40万元 is money)
            if _CHANGE_BEFORE.search(s, max(0, am.start - 12), am.start) or _RESTATED_BEFORE.search(s, 0, am.start):
                continue  # 同比多投6.7亿元, 比年初增加13亿元: a change, not money given; 这5亿元资金: a sum said before
            if _restated(s, am, amounts, amounts_of, sent.index):
                continue
            if _SUMMED_BEFORE.search(s, c_start, am.start) and any(f.amount_cny == am.amount for f in finds.fundings):
                continue  # 下达…81万元 … 2个项目共计81万元: the parts summed up to a sum given before, one funding
            kind = _funding_kind(clause + s[max(0, c_start - 20) : c_start])
            funder = _funding_funder(s, c_start, am.start, actor_names, mentions_here)
            if lead_gives and numbered and list_funder and not giving.search(clause):
                funder = list_funder  # 1.某村委会…项目115万元: a part of the sum above, from its giver (not a body in its name)
            funder = _joint_giver(s, c_start, funder, kind, finds) or funder
            funder = _giving_partner(s[c_start : am.start], finds, report_title) or funder
            funder = givers.pairing_partner(funder)
            if funder is None:
                funder = _implied_giver(s, c_start, kind, finds, clauses)
            if funder is None and sentence_funder and c_start > 0 and kind == sentence_kind:
                funder = sentence_funder  # 整合…6400万元扶持128个村,列支200万元: the same giver of the same kind of money
            if funder is None and kind != "loan" and _REFERS_BACK.search(s, 0, am.start):
                whole = next((f for f in reversed(finds.fundings) if f.evidence.sentence < sent.index
                              and f.amount_cny > am.amount), None)
                funder = whole.funder if whole is not None and whole.kind != "loan" else None
                # 此次下达的资金,主要包括A资金3400万元: a part of the money given before, from its giver
            if funder is None:
                funder = givers.funder(sent, am.start, kind, s[c_start:am.start], section)
            if funder is None and kind != "loan" and (
                    not any(st < am.start and not _gives_no_money(name, finds) for st, _, name in mentions_here)
                    or _PLACE_ANAPHOR.match(_TIME_WORD.sub("", strip_time_phrase(s[c_start : am.start])))
                    or _PLACE_ANAPHOR.match(s, c_start)):
                # (only where no body is named before the amount: 记者从某厅获悉,广西下达… leaves that body, which the
                # ranker weighs, the likelier giver; but 某乡党委书记说,该乡投入…: the clause names its own subject)
                funder = _place_giver(s[c_start : am.start], finds)
            # (the title's one level no longer speaks for the amounts once the report names several: 中央、省级…资金)
            funder = funder or section_funder or (default_funder if topic_level != "" else None)
            if funder is None and topic_level and kind in ("grant", "subsidy", "fund") \
                    and (allotted or _ALLOTTED.search(clause)):
                funder = topic_level  # a part of the money the report is about (其中…奖补资金1亿元; 每个奖补400万元)
            no_one = False  # the rules found that no one funder gives the amount (FORMAT.md), not that they found none
            if topic_level == "" and funder and kind != "loan" and _FINANCE_BODY.fullmatch(funder):
                funder, no_one = None, True  # a finance body passes on money of several or unnamed levels (FORMAT.md)
            several = _SEVERAL_LEVELS.search(s, max(0, c_start - 6), am.start)  # 中央、|省级…资金: a list mark cuts the clause
            several = several if several and several.end() > c_start else _joined_level_money(s, c_start, am.start)
            if several:
                funder, no_one = None, True  # 投入各级财政资金…, 中央和省级资金…: several budgets together name no one funder
            funder = _passed_on_level(s, c_start, am, funder, topic_level) or funder
            if _TOTAL_INVESTMENT.search(s, max(c_start, am.start - 8), am.start) \
                    and not _ALLOTS_RE.search(s, 0, am.start) and not _FUNDER_PHRASES.search(s, 0, am.start) \
                    and not any(st < am.start for st, _, _ in mentions_here) and not _level_right_after(s, am.end):
                funder, no_one = None, True  # 项目总投资3亿元: what the projects cost, from all their sources (no one gives it)
            raised = _SELF_RAISED.search(s, c_start, am.start)
            if raised and (funder is None or funder.endswith("财政")) \
                    and not any(c_start <= st and st <= raised.start() <= en + 1 for st, en, _ in mentions_here):
                funder, no_one = None, True  # 市县自筹500万元, 农民自筹…: money its holders raise, no budget gives it
            if (funder is None or funder.endswith("财政")) and _POOLED.search(s, c_start, am.start) \
                    and not _LEVEL_MONEY.search(s, c_start, am.start) and not _FUNDER_PHRASES.search(s, c_start, am.start):
                funder, no_one = None, True  # 整合涉农资金…: money pooled from several sources whose level the text leaves out
            parts = _PARTS_AFTER.match(s, am.end)
            if parts and len(find_amounts(parts.group(1))) > 1:
                funder, no_one = None, True  # 投入327万元(其中:某资金325万元,自筹资金2万元): a total of several sources
            if _levels_of_parts(s, am.end) > 1:
                funder, no_one = None, True  # 共5600万元,其中:中央财政…5000万元,省财政…600万元: several budgets' total
            if _TOTAL.match(clause) and len(set(givers_here)) > 1:
                funder, no_one = None, True  # A资金15587万元、B资金7926万元,共计23513万元: a total of several givers' money
            # (nor where the clause's subject receives the money and no giver is named: 该局争取…资金)
            no_one = no_one or (funder is None and bool(_RECEIVES.search(s, c_start, am.start)))
            if funder and funder not in finds.actors and _COMPANIES_INVEST.search(s, c_start, am.start) \
                    and any(r["name"] == funder for r in finds.regions.values()):
                funder, no_one = None, True  # 江苏省帮助引进的企业实际到位投资…: the companies invest, not the place
            if funder not in finds.actors:  # (县财政 read as the county's finance bureau stays that body)
                funder = _level_funder(funder)
            relending = _RELENDING.search(s, c_start, am.start)
            if relending:
                funder = next((a for a in finds.actors if _is_central_bank(a)), _central_bank())
            elif funder and _is_central_bank(funder) and kind == "loan":
                funder, no_one = None, True  # 人民银行…引导金融机构发放贷款: it steers other banks' loans, lends none
                # (its own aid, 人民银行对口支援某县…帮扶资金, it gives)
            if funder and _gives_no_money(funder, finds):
                funder = None  # 宁德网消息: the outlet that reports the money gives none of it
            givers_here.append(funder)
            sentence_funder, sentence_kind = funder, kind
            recorded = None
            if use_ranker and (every or funder is None or funder_rank.is_recording()):
                if ranker is None:
                    ranker = funder_rank.FunderCandidates(text, sentences, finds, givers, title)
                candidates = ranker.candidates(sent, c_start, am.start, am.end, kind, funder, heading,
                                               section_funder, default_funder)
                recorded = (candidates, funder)  # recorded below if the amount is kept
                # (while training records the rules' answers, the rules alone decide)
                if mode != "off" and (every or funder is None) and not (funder is None and no_one) \
                        and not funder_rank.is_recording():
                    # (an outlet reports money and gives none: the ranker chooses among the others)
                    givers_only = [c for c in candidates if not (c.name and _gives_no_money(c.name, finds))]
                    funder = funder_rank.choose(givers_only or candidates, funder_rank.model_for(mode)).name
                    if funder and not relending and _is_central_bank(funder) and kind == "loan":
                        funder = None  # (the ranker too: the central bank lends no money but relending)
            recipient = allotted or _funding_recipient(s, c_start, am, sentences, sent)
            count = _funding_count(s, c_start, c_end) or _count_in(recipient)
            year = _YEAR.search(s[: am.start])
            start = sent.start + c_start
            end = sent.start + c_end
            evidence = Mention(text[start:end].strip(), start, end, sent.index)
            program = _funding_program(s[c_start : am.start], forms) or _funding_program(
                s[max(0, c_start - 12) : c_start], forms)
            funding = Funding(
                amount_cny=am.amount, evidence=evidence, kind=kind, funder=funder,
                recipient=recipient,
                program=program, count=count[0] if count else None, count_unit=count[1] if count else None,
                year=int(year.group(1)) if year else None,
            )
            if (numbered and not _is_heading(s)) or not any(_same_fact(funding, other) for other in lead):
                if recorded is not None:
                    funder_rank.record(*recorded)
                finds.fundings.append(funding)
                if funder is None and not no_one:
                    unknown.append(len(finds.fundings) - 1)
                if sent.index < _LEAD_SENTENCES:
                    lead.append(funding)
    _parts_of_a_sum(finds.fundings, unknown)
    _giver_said_later(finds.fundings, unknown)
    _drop_rounded_headlines(sentences, finds.fundings)
    _table_fundings(text, sentences, finds)


def _drop_rounded_headlines(sentences: tuple[Sentence, ...], fundings: list[Funding]) -> None:
    """A headline's rounded sum that the body states exactly (某区投资逾5亿… and 投资5.12亿元) is that one funding:
    the body's (FORMAT.md: one fact, one funding).

    >>> from kg.model import Mention
    >>> def f(amount, sentence):
    ...     return Funding(Decimal(amount), Mention("", 0, 0, sentence), "grant", None, None, None, None, None, None)
    >>> found = [f(420000000, 0), f(418560000, 2)]
    >>> _drop_rounded_headlines((Sentence(0, 0, 10, "某区5年投4.2亿元"),), found)
    >>> [int(x.amount_cny) for x in found]
    [418560000]
    """
    if not sentences or len(sentences[0].text) > 40 or "。" in sentences[0].text.rstrip("。"):
        return  # the report opens with prose, not a headline
    for i in reversed(range(len(fundings))):
        head = fundings[i]
        if head.evidence.sentence != 0:
            continue
        a = head.amount_cny
        if any(f.evidence.sentence > 0 and f.amount_cny != a and abs(f.amount_cny - a) <= f.amount_cny * Decimal("0.03")
               and _significant_digits(a) < _significant_digits(f.amount_cny) for f in fundings):
            del fundings[i]
            funder_rank.forget(i)


def _significant_digits(amount: Decimal) -> int:
    """How many digits an amount is written with (4.2亿 has two, 4.1856亿 five).

    >>> _significant_digits(Decimal(420000000)), _significant_digits(Decimal(418560000))
    (2, 5)
    """
    return len(str(int(amount)).rstrip("0"))


def _without(s: str, words: tuple[str, ...]) -> str:
    """``s`` with each of ``words`` blanked out (its giving verbs then stand on their own: 消费帮扶 is no 帮扶)."""
    for w in sorted(words, key=len, reverse=True):
        if w in s:
            s = s.replace(w, "_" * len(w))
    return s


def _parts_of_a_sum(fundings: list[Funding], unknown: list[int]) -> None:
    """Sums right after a sum given, that add up to it, are its parts and come from its giver (下拨资金5800万元。
    一、4300万元主要支持…; 二、1500万元主要用于…: FORMAT.md, a total and its itemised parts)."""
    open_ = set(unknown)
    for w, whole in enumerate(fundings):
        after = range(w + 1, min(len(fundings), w + 1 + _PARTS_AT_MOST))
        if whole.funder is None or whole.kind == "loan" or not open_.intersection(after):
            continue
        total = 0
        for j in after:
            total += fundings[j].amount_cny
            if abs(total - whole.amount_cny) <= whole.amount_cny * Decimal("0.005"):
                if j > w + 1:  # (one part alone is the whole said again, which _giver_said_later weighs)
                    for k in range(w + 1, j + 1):
                        if k in open_:
                            fundings[k] = replace(fundings[k], funder=whole.funder)
                            funder_rank.amend(k, whole.funder)
                            open_.discard(k)
                break
            if total > whole.amount_cny:
                break
    unknown[:] = [i for i in unknown if i in open_]


# How many sums after a whole may be its parts.
_PARTS_AT_MOST = 11


def _giver_said_later(fundings: list[Funding], unknown: list[int]) -> None:
    """A sum whose giver its sentence leaves unsaid takes the giver a later sentence names for the same sum (收回45万元
    重新安排…; later: 中央财政衔接资金45万元): a report says a flow of money again, not another one of the same size."""
    for i in unknown:
        f = fundings[i]
        later = next((g for g in fundings[i + 1 :] if g.amount_cny == f.amount_cny and g.count == f.count
                      and g.funder and (g.recipient == f.recipient or not g.recipient or not f.recipient)), None)
        if later is not None:
            fundings[i] = replace(f, funder=later.funder)
            funder_rank.amend(i, later.funder)  # (training pairs the rules' final answer with the candidates)


def _table_fundings(text: str, sentences: tuple[Sentence, ...], finds: Finds) -> None:
    """Each receiver's row of the report's allocation tables (安排表, 分配表) is a funding; the budget level its
    caption or money column names (北塔区2020年第一批中央财政专项扶贫资金安排表, 省级资金(万元)) gives it, else the giver of
    the last sum the prose allocated before the table."""
    rows = table_rows(text)
    if not rows:
        return
    starts = [sent.start for sent in sentences]
    prose = list(finds.fundings)
    for row in rows:
        if any(f.amount_cny == row.amount and f.evidence.start < row.end and row.start < f.evidence.end for f in prose):
            continue  # a cell that wrote its own unit (20万元) was read with the prose
        if row.total and any(f.amount_cny == row.amount for f in finds.fundings):
            continue  # a total the prose or a row already gave (下达…408万元, then 合计 | 408): one funding
        phrase = _FUNDER_PHRASES.search(row.caption)
        level = _LEVEL_MONEY.search(row.caption)
        funder = phrase.group(0) if phrase else _LEVEL_FUNDER[level.group(1) or level.group(2)] if level else None
        # (中央、自治区财政…资金分配表: no one level gives every row)
        several = bool(_SEVERAL_LEVELS.search(row.caption)) or len(set(_LEVEL_WORD.findall(row.caption))) > 1
        # (the row's source cell, else the money column's own header: 省级资金(万元) under a caption of 中央和省级…资金)
        sources = _SOURCE_LEVEL.findall(row.source or "") or _SOURCE_LEVEL.findall(row.money_header)
        if sources:
            # the row's own source cell (资金来源: 中央 | 中央、自治区): its one level gives, several give no one funder
            funder, several = (_LEVEL_FUNDER[sources[0]], False) if len(set(sources)) == 1 else (None, True)
        elif several:
            funder = None
        if funder is None and not several:
            # the allocation the notice makes before its table gives the rows (我局拟下拨…共计1.37亿元, then the table)
            allocation = next((f for f in reversed(prose) if f.evidence.end <= row.start and f.kind != "loan"), None)
            funder = allocation.funder if allocation else None
        year = _YEAR.search(row.caption)
        sentence = max(0, bisect_left(starts, row.start + 1) - 1)
        finds.fundings.append(Funding(
            amount_cny=row.amount, evidence=Mention(text[row.start : row.end], row.start, row.end, sentence),
            kind=_funding_kind(row.caption), funder=_level_funder(funder), recipient=row.recipient, program=None,
            count=None, count_unit=None, year=int(year.group(1)) if year else None,
        ))


#: A report's lead: a sum it gives is often said again in the body.
_LEAD_SENTENCES = 4


def _same_fact(a: Funding, b: Funding) -> bool:
    """``a`` says again a sum ``b`` of the report's lead gave: the same sum and count, and no other giver or receiver.

    The body often names the sum with other words (资金 for 贷款), so the kind may differ, and a giver or receiver
    left unsaid the second time is the same one.
    """
    return (a.amount_cny == b.amount_cny and a.count == b.count and (a.funder == b.funder or not a.funder)
            and (a.recipient == b.recipient or not a.recipient)
            and b.evidence.sentence < min(a.evidence.sentence, _LEAD_SENTENCES))


def _restated(s: str, am, amounts: list, amounts_of: list[list], index: int) -> bool:
    """An amount that says again what another amount beside it says: no second funding (FORMAT.md: one fact, one funding).

    A milestone passed on the way to the figure (突破50亿元大关,达50.48亿元); an amount repeated in the brackets
    right after it (安排项目资金2000万元(中央财政衔接资金2000万元): the repeat names whose money it is); a category of
    one item whose item the next line gives with the same sum ((2)加工类项目1个,1950万元。1.某某项目1950万元。).
    """
    if s.startswith("大关", am.end) and any(a.start > am.end for a in amounts):
        return True
    if s.startswith("(", am.end) and any(a.amount == am.amount and a.start > am.end and ")" not in s[am.end : a.start]
                                         for a in amounts):
        return True  # the bracketed repeat is kept: it says whose money it is
    if _ONE_ITEM.search(s, 0, am.start) and index + 1 < len(amounts_of):
        return any(a.amount == am.amount for a in amounts_of[index + 1])
    return False


# A category of one item (加工类产业项目1个,).
_ONE_ITEM = re.compile(r"(?:项目|工程)[1一]个[,,]?\s*(?:共计|合计|总计)?$")


def _topic_level(s: str, before: str | None) -> str | None:
    """The budget level of the money a report is about, after sentence ``s``: the one level its prose names (2022年度省级
    乡村振兴奖补资金近日下达…, 自治区财政下达…), else the one before. A report that names several levels has none
    (FORMAT.md: several funders give a null funder); a document's title (《…中央财政…资金…的通知》) names its own money,
    not the report's."""
    if before == "" or not any(w in s for w in _LEVEL_HINTS):
        return before  # most sentences name no budget: skip the patterns below
    prose = _CITED_RULES.sub("", _BOOK_TITLE.sub("", s))
    if _SEVERAL_LEVELS.search(prose) or _UPPER_MONEY.search(prose) or len(set(_LEVEL_WORD.findall(prose))) > 1:
        return ""
    levels = [_LEVEL_FUNDER[m.group(1) or m.group(2)] for m in _LEVEL_MONEY.finditer(prose)]
    levels += [_level_funder(m.group(0)) for m in _FUNDER_PHRASES.finditer(prose) if m.group(0).endswith("财政")
               and not _GIVES_ON.match(prose, m.end())]  # 省财政下达…中央财政资金: who passes the money on, not whose it is
    levels += ["自治区" + (m.group(1) or "") + "财政" for m in REGION_BUDGET.finditer(prose)
               if not prose[: m.start() + 3].endswith(autonomous_regions())]  # 内蒙古自治区财政厅 is a place's department
    if len({level[0] for level in levels}) > 1:  # 省财政 and 省级财政 are one level, 中央 and 省 two
        return ""
    return levels[0] if levels else before


_BOOK_TITLE = re.compile(r"《[^《》]*》")
# Rules cited without book marks (根据中央、省、市财政衔接…资金管理办法) name the rules' money, not the report's.
_CITED_RULES = re.compile(r"(?:根据|按照|依据)[^,，。;；《》]{0,40}?(?:管理办法|实施办法|办法|通知|意见|规定|细则)")
# Characters every budget-level pattern below needs one of.
_LEVEL_HINTS = ("财政", "中央", "级", "自治区", "省")
# Money of the levels above, unnamed (上级财政衔接资金, 上级补助资金): no one level gives it.
_UPPER_MONEY = re.compile(rf"上级(?:财政)?[{CJK}]{{0,14}}?(?:资金|补助|奖补)")
# The level words of budgets (a place's 自治区 is one only where no name runs into it: 内蒙古自治区 is a place).
_LEVEL_WORD = re.compile(rf"{_LEVEL_WORDS}|(?<![\u4e00-\u9fff])自治区|自治区级")
_GIVES_ON = re.compile(r"下达|拨付|转下|分配")
# Words by which a clause allots money to someone or spends it on a project (not 涉及资金, 投资: money involved or invested).
_ALLOTTED = re.compile(r"安排|下达|拨付|分配|奖补|补助|奖励|获|争取|投入")


def _allocation_item(s: str, c_start: int, a_start: int, places: set[str], gave_before: bool = False) -> str | None:
    """The place of a list item of an allocation: a place and its amount alone in the clause
    (阿克苏市3328万元), after words that give money earlier in the sentence (下达…资金…,其中…) or earlier in
    its section (``gave_before``: a line of the table an allocation opens)."""
    item = s[c_start:a_start].strip(" ,，、;；:：")
    if not (gave_before or _giving_words().search(s, 0, c_start)):
        return None
    return item if item in places else _last_of_place_chain(item, places)


def _last_of_place_chain(item: str, places: set[str]) -> str | None:
    """The last place of a chain of the report's places written together (甲市乙县 -> 乙县), else None.

    >>> _last_of_place_chain("甲市乙县", {"甲市", "乙县"}), _last_of_place_chain("甲市乙县项目", {"甲市", "乙县"})
    ('乙县', None)
    """
    for cut in range(2, len(item) - 1):
        head, rest = item[:cut], item[cut:]
        if head in places:
            if rest in places:
                return rest
            deeper = _last_of_place_chain(rest, places)
            if deeper:
                return deeper
    return None


def _funding_kind(context: str) -> str:
    for kind, cues in money_words()[2]:
        if any(c in context for c in cues):
            return kind
    return "fund"


# Money named after the place that gives it in a pairing (鲤城区对口帮扶资金, 上海援建资金).
_PARTNER_MONEY = re.compile(r"(?:对口帮扶|对口支援|援建)(?:项目)?资金")


def _is_outlet(name: str, finds: Finds) -> bool:
    """True for a news outlet among the report's actors (宁德网, 某日报): it reports money, never gives it."""
    entry = finds.actors.get(name)
    return entry is not None and entry["type"] == "SocialOrganization" and (entry.get("outlet") or is_media_name(name))


def _gives_no_money(name: str, finds: Finds) -> bool:
    """True for an outlet, or for a place's Party committee itself (某省委, 某县党委): the committee decides and its
    government's budget pays, so it is never the giver of an amount (its offices and groups may be).

    >>> finds = Finds(actors={n: {"type": t} for n, t in [("甲省委", "PartyOrganization"),
    ...     ("甲省委农村工作领导小组办公室", "PartyOrganization"), ("甲省财政厅", "GovernmentAgency")]})
    >>> [n for n in finds.actors if _gives_no_money(n, finds)]
    ['甲省委']
    """
    entry = finds.actors.get(name)
    return _is_outlet(name, finds) or (entry is not None and entry["type"] == "PartyOrganization"
                                       and name.endswith(("委", "委员会")) and not name.endswith("村民委员会"))


def _giving_partner(clause: str, finds: Finds, report_title: str | None) -> str | None:
    """The partner place whose pairing money the clause names (2019年度鲤城区对口帮扶资金1200万元), one the report's
    title does not name: the title names the place that receives (FORMAT.md: a partner place is the funder)."""
    for name, form in _county_or_larger_forms(finds):
        i = clause.rfind(form)
        if i >= 0 and _PARTNER_MONEY.match(clause, i + len(form)) and form not in (report_title or ""):
            return name
    return None


def _county_or_larger_forms(finds: Finds) -> list[tuple[str, str]]:
    """(name, written form) of every place of the report that can give money: a county or larger."""
    return [(r["name"], form) for r in finds.regions.values() if r["level"] not in ("village", "township")
            for form in (r["name"], *r["aliases"])]


# A place that opens a clause and gives (黔南州共投入茶产业发展资金1.59亿元): the words between it and the amount.
_PLACE_GIVES = re.compile(rf"(?:共|累计|先后|已|全年|今年|去年|\d{{4}}年|还|也|又|再次|再|计划|拟|将|共计|每年)*"
                          rf"(?:投入|安排|拨付|下达|筹措|筹集|整合|投资|落实|注入|出资|拿出)[{CJK}]{{0,14}}$")


# A time word that opens a clause without a comma (去年黔南州共投入…), which strip_time_phrase leaves.
_TIME_WORD = re.compile(r"^(?:去年|今年|前年|近年来|近年|\d{4}年(?:以来)?)")


def _place_giver(clause: str, finds: Finds) -> str | None:
    """The place, a county or larger, that is the subject of a clause that gives money (FORMAT.md: a place that
    gives, with no organisation named, is the funder)."""
    # (the clause without its opening time phrase, or as written: 该县今年还投入 is no time phrase 该县今年)
    for head in dict.fromkeys((_TIME_WORD.sub("", strip_time_phrase(clause)), _TIME_WORD.sub("", clause))):
        anaphor = _PLACE_ANAPHOR.match(head)
        if anaphor and _PLACE_GIVES.match(head, anaphor.end()):
            # 该乡投入500万元: the one place of that kind the report names (two or more: no telling which)
            named = [r["name"] for r in finds.regions.values()
                     if r["level"] != "village" and r["name"].endswith(anaphor.group(1))]
            return named[0] if len(named) == 1 else None
        place = next((name for name, form in _county_or_larger_forms(finds)
                      if head.startswith(form) and _PLACE_GIVES.match(head, len(form))), None)
        if place:
            return place
    return None


# A place pointed back at (该县, 该乡, 该市): the one place of that kind the report names.
_PLACE_ANAPHOR = re.compile(r"该([省市县区州旗乡镇])")


def _joint_giver(s: str, c_start: int, funder: str | None, kind: str, finds: Finds) -> str | None:
    """Of several bodies that give together (某省财政厅、省农业农村厅下拨; 某银行、某担保公司…达成授信),
    the one that holds the money: the bank for a loan, else the finance department."""
    if funder is None or not s[c_start:].startswith(funder):
        return None
    givers = [funder]
    pos = c_start
    while pos > 0 and s[pos - 1] == "、":
        prev = next((n for n in finds.actors if s[:pos - 1].endswith(n)), None)
        if prev is None:
            break
        givers.append(prev)
        pos -= 1 + len(prev)
    leads = _LEADS.search(s, max(0, pos - 8), pos)
    if leads and leads.end() == pos:
        leader = next((n for n in finds.actors if s[: leads.start()].endswith(n)), None)
        if leader:
            return leader  # 省财政厅2日联合省应急管理厅、省水利厅下达: the body that leads gives, not those it joins
    if len(givers) < 2:
        return None
    if kind == "loan":
        banks = [n for n in givers if finds.actors[n]["type"] == "FinancialInstitution"]
        return banks[-1] if banks else None
    finance = [n for n in givers if "财政" in n]
    return finance[-1] if finance else None


# Words that name the money a sentence before gave (此次下达的资金, 上述资金, 这批资金) before its parts.
_REFERS_BACK = re.compile(r"(?:此次|本次|这次|这批|该批|上述|以上)(?:下达|安排|分配|拨付|下拨)?的?(?:资金|款项)")
# The words by which a body leads others in giving (某厅2日联合省水利厅、省农业农村厅下达; 会同).
_LEADS = re.compile(r"(?:\d{1,2}月)?(?:\d{1,2}日)?(?:联合|会同)")
# What projects cost in all (项目总投资, 总投资达): the sum of all their sources.
_TOTAL_INVESTMENT = re.compile(r"(?:总投资|投资总额|完成投资|实际投资|计划投资)(?:额)?(?:为|达|约|近|超)?")
# Money its holders raise themselves (市县自筹, 农民自筹, 项目单位自筹资金, 地方配套): no budget gives it.
_SELF_RAISED = re.compile(r"自筹|地方配套")
# Money pooled from several sources (统筹整合, 整合涉农资金).
_POOLED = re.compile(r"整合")
# Verbs by which the subject before them receives money (争取上级资金, 获得奖补).
_RECEIVES = re.compile(r"争取|获得|获批|争得|申请到|收到")
# A lender whose loans 获批 (were approved) still lends them: only the other words make it receive a loan.
_RECEIVES_LOAN = re.compile(_RECEIVES.pattern.replace("|获批", ""))


def _funding_funder(s: str, c_start: int, a_start: int, actor_names: list[str],
                    mentions: tuple[tuple[int, int, str], ...] = ()) -> str | None:
    """The giver: an organisation in the amount's own clause, else a funder phrase earlier in the sentence.

    ``mentions``: (start, end, name) of the actors' mentions in the sentence, for names written otherwise than
    recorded (水利厅 of 省水利厅 in 省农业农村厅2亿元、水利厅1亿元).
    """
    clause = s[c_start:a_start]
    best: tuple[int, int, str] | None = None  # (start, end, name) in the clause
    found = [(i, i + len(name), name) for name in actor_names for i in (clause.rfind(name),) if i >= 0]
    found += [(st - c_start, e - c_start, name) for st, e, name in mentions
              if c_start <= st and e <= a_start and name not in clause]
    # (向A公司、|B公司等授信…: a list of receivers that runs on into the amount's clause)
    listed = c_start > 0 and s[c_start - 1] == "、" and bool(_RECEIVER_LIST.search(s, max(0, c_start - 32), c_start))
    for i, end, name in found:
        if RECEIVER_BEFORE.search(clause[:i]) or (listed and i == 0):
            continue  # 向X合作社发放贷款: X receives
        if re.search(r"(?:向|给|为)(?:(?!发放|投放|授信|投资|下达|拨付|提供)[^,;。]){1,20}$", clause[:i]):
            continue  # 为该村的龙头企业X和农户授信: X receives too
        if _RECEIVES.search(clause, end):
            continue  # 该局争取上级资金3.99亿元, 某县获得奖补资金: X receives
        # (names come longest first: one inside a name found, 中行 of 湖北十堰竹山中行, is that name's part)
        if (best is None or i > best[0]) and not (best and end <= best[1]):
            best = (i, end, name)
    for f in _FUNDER_PHRASES.finditer(clause):
        if best is None or f.start() > best[0]:
            best = (f.start(), f.end(), f.group(0))
    if best:
        return best[2]
    level = re.search(r"(?<![地城社园景山省市县乡镇])([区县市])级(?:财政)?(?:涉农)?(?:资金|财政)", clause)
    if level:
        return level.group(1) + "级财政"  # 整合区级涉农资金: a budget level is the funder (FORMAT.md)
    source = re.search(r"(中央|省级)(?:财政)?(?:专项|衔接|补助)?资金$", clause)
    if source:
        return source.group(1) + "财政"  # 其中中央资金984万元: central-government money
    opener = _LEVEL_OPENS.match(clause)
    if opener:
        return opener.group(1) + "财政"  # 自治区本级安排配套资金7.9亿元: the level that opens the clause gives
    # (not one inside a document's title: 收到《…下达…省级财政…资金的通知》 names the document's money)
    phrases = list(_FUNDER_PHRASES.finditer(_BOOK_TITLE.sub(lambda m: "_" * len(m.group(0)), s[:c_start])))
    return phrases[-1].group(0) if phrases else None


_RECIPIENT_AFTER = re.compile(
    rf"^[,]?\s*(?:用于|专项)?(?:扶持|支持|补助|资助|帮扶|奖励|用于|投向|拨付给|下达给|发放给)(?:了)?\s*"
    rf"((?:近|约|共)?[\d一二三四五六七八九十百千]+个[{CJK}]{{0,8}}?(?:行政村|村|镇|乡|社区|合作社|企业|项目)(?![{CJK}]{{0,2}}[村镇乡])"
    rf"|[{CJK}]{{1,12}}?(?:村|镇|乡|县|区|市|社区|合作社|企业|公司|农户|集体经济组织)(?=[,。;、]|发展|建设|开展|$))"
)


_RECIPIENT_BEFORE = re.compile(rf"(?:在|向|给|为|对)([{CJK}]{{2,16}}?)(?:投资|发放|拨付|下达|提供|授信|放贷|注资|投放|投入)")


def _funding_recipient(s: str, c_start: int, am, sentences: tuple[Sentence, ...], sent: Sentence) -> str | None:
    """Who gets the money: 扶持128个村, 在红旗村投资, or the 实施单位 of a project line."""
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


# 引进X公司: a cue a few characters before the name that ends the clause (a pattern per name
# would compile anew for every company)
_BRINGS_IN = re.compile(r"(?:引进|引入|招引|签约)[^,]{0,6}$")


def _implied_giver(s: str, c_start: int, kind: str, finds: Finds, clauses: list[tuple[int, int]]) -> str | None:
    """A bank that opens the sentence lends; a company just brought in (引进X公司,投资…) invests."""
    wanted = {"loan": "FinancialInstitution", "investment": "Enterprise"}.get(kind)
    if wanted is None:
        return None
    head = strip_time_phrase(s)
    prev = next(((a, b) for a, b in clauses if b <= c_start and b >= c_start - 1), None)
    before = s[prev[0]:prev[1]] if kind == "investment" and prev else ""
    # the longest name: a bank's branch opens with the bank's own name (中国农业银行|某省分行)
    for name, entry in sorted(finds.actors.items(), key=lambda kv: -len(kv[0])):
        if entry["type"] != wanted:
            continue
        if head.startswith(name) and c_start > len(s) - len(head):
            return name
        if before.endswith(name) and _BRINGS_IN.search(before, 0, len(before) - len(name)):
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


def _program_forms(finds: Finds) -> list[tuple[str, str]]:
    """(form, programme) for every form the text writes a programme in (衔接资金 for 衔接推进…资金), once per report."""
    return [(form, name) for name, entry in finds.programs.items()
            for form in {name, *entry["aliases"], *(m.surface for m in entry["mentions"])} if form]


def _funding_program(context: str, forms: list[tuple[str, str]]) -> str | None:
    """The programme named nearest before the amount, in any of its ``forms``."""
    best: tuple[int, int, str] | None = None
    for form, name in forms:
        i = context.rfind(form)
        if i >= 0 and (best is None or (i + len(form), len(form)) > best[:2]):
            best = (i + len(form), len(form), name)
    return best[2] if best else None


# Who may give money of each kind when the giver is found outside the amount's clause.
_GIVER_TYPES = {
    "loan": ("FinancialInstitution",),
    "investment": ("Enterprise", "FinancialInstitution", "GovernmentAgency"),
}
_DEFAULT_GIVER_TYPES = ("GovernmentAgency", "PartyOrganization", "FinancialInstitution", "Enterprise", "SocialOrganization")


# 该行 refers back to the last bank named, 该公司 to the last company, 该局 to the last bureau.
_ANAPHOR = re.compile(r"(?:该|这家|此)(银行|营业部|支行|分行|行|公司|集团|局|厅|委|办|社|中心)")
# A government body speaking of itself in its own notice (我局, 我厅, 我委).
_SELF_REFERENCE = re.compile(r"我(局|厅|委|办)")
# Anaphors that name a kind of body rather than the end of its name (这家银行 for …分行).
_ANAPHOR_KINDS = {"银行": "FinancialInstitution"}


# A budget level opening a clause with a verb of giving (省级安排资金…, 自治区本级下达…).
_LEVEL_OPENS = re.compile(rf"\s*({_LEVEL_WORDS}|(?:{_PLACE_LEVELS})本级|自治区级)(?:财政)?(?=安排|下达|拨付|投入|配套|筹措|筹集)")


# 向某银行申请贷款: the body asked for a loan lends it, though 向 marks it.
_ASKED_LENDER = re.compile(r"(?:申请|借|融资|贷款)")


# Words with a level character that name no one (结合农村电网…, 推动城乡…): no subject of a sentence.
_GENERIC_PLACE_WORDS = re.compile(r"农村|乡村|城乡|城镇|城市|村镇|村庄|村民|村级|镇村|县域|县城|市场|全[省市县区镇乡村]|各[省市县区镇乡村]")


# A recipient is named after these words (向X发放, 为X授信), a giver is not.
_RECEIVER_MARK = re.compile(r"(?:向|给|为|对|帮助|支持|扶持|帮扶|到|在|与|和|及|、|从|据)$")


# The parts of a total in brackets right after it (…万元(其中:…)).
_PARTS_AFTER = re.compile(r"\s*[(（]其中[::]?([^()（）]{4,80})[)）]")
# The parts that follow a sum in its sentence (共560万元,其中:中央财政…).
_PARTS_FOLLOW = re.compile(r"[,,;]?\s*其中[::]?")


def _levels_of_parts(s: str, end: int) -> int:
    """How many budget levels the parts written after a sum ending at ``end`` name (其中:中央财政…,省财政…).

    >>> s = "资金共560万元,其中:中央财政资金500万元,省财政配套资金60万元。"
    >>> _levels_of_parts(s, s.index("万元") + 2)
    2
    """
    parts = _PARTS_FOLLOW.match(s, end)
    if not parts:
        return 0
    return len({_LEVEL_FUNDER.get(m.group(0), m.group(0)) for m in _LEVEL_OF_A_PART.finditer(s, parts.end())})


# A budget level that names whose money a part is (中央财政…, 省财政配套…).
_LEVEL_OF_A_PART = re.compile(f"(?:{_ANY_LEVEL})(?=财政|资金|配套)")


# A sentence that opens the parts of the sum before it (其中:).
_PARTS_OPEN = re.compile(r"其中[::]")
# A clause that sums the amounts before it (共计23513万元, 合计…).
_TOTAL = re.compile(r"\s*(?:共计|合计|总计|累计共|共)")
# A sum compared with another (同比多投, 比年初增加, 较上年同期增加) is a change, no money given.
_CHANGE_BEFORE = re.compile(r"(?:同比|[比较][^,;。、]{0,8}?)(?:多投放?|多发放|多了|多|增加了?|增长了?|减少了?|下降了?|新增)(?:逾|超过?|近|约)?$")
# A sum pointed back at (这5亿元资金, 上述2000万元) was given where it was first said.
_RESTATED_BEFORE = re.compile(r"(?:这|上述|该|此)(?:笔|批|部分)?$")
# The parts just listed, summed up right before the sum (2个项目共计81万元, 合计).
_SUMMED_BEFORE = re.compile(r"(?:共计|合计|总计)(?:为|达)?$")


# Several budget levels together, or every level: no single funder.
_SEVERAL_LEVELS = re.compile(rf"各级(?:财政|资金)|(?:(?<![\u4e00-\u9fff])|(?<=[达排入取得中由从用年县市区州旗位]))(?:{_ANY_LEVEL})(?:财政)?"
                             rf"[和及与、](?:{_ANY_LEVEL})|省市县|[省市县]{{2}}(?:两级|三级|财政)"
                             # 中省 and 中、省 (the centre and the province: 中省专项, 中、省财政) and 中央自治区 written together,
                             # never 其中省级… or 集中省…
                             rf"|(?<![其集之当正心空从])中、?省(?=[{CJK}]{{0,4}}(?:财政|资金|专项|项目|衔接|补助))|中央(?:自治区|省级)")


def _joined_level_money(s: str, start: int, end: int) -> re.Match[str] | None:
    """The second of two levels' money joined right before an amount (获得中央资金和省级配套资金…): several budgets
    together, no one funder.

    >>> bool(_joined_level_money("获得中央资金和省级配套资金8000万元", 0, 13))
    True
    >>> bool(_joined_level_money("获得中央资金8000万元", 0, 6))
    False
    """
    found = list(_LEVEL_MONEY.finditer(s, max(0, start - 20), end))
    for first, second in zip(found, found[1:]):
        if second.end() > start and s[first.end() : second.start()] in ("和", "及", "与", "、", "以及") \
                and (first.group(1) or first.group(2)) != (second.group(1) or second.group(2)):
            return second
    return None


# A budget level that qualifies the money (省级乡村振兴奖补资金, 中央财政衔接…资金, 市级配套): that level's budget gives.
# A bare 省 only at a clause's start or after a verb of receiving or giving (获得省奖励资金, 下达省…资金),
# never inside a word (节省资金, 全省, 我省). A level's investment is its budget's (中央预算内投资, 中央基建投资, 省级投资),
# not a company's (中央企业投资, 县级投资公司).
_LEVEL_MONEY = re.compile(rf"(?:(?<![全本该各我外])({_LEVEL_WORDS})|(?:(?<![{CJK}])|(?<=[得获取达付排予到年度]))(省|自治区))"
                          rf"{BATCH}(?:财政)?[{CJK}]{{0,14}}?(?:资金|补助|奖补|奖励|配套|经费|拨款|公益金"
                          rf"|(?:(?<=[央级])|(?<=预算内)|(?<=基建))投资(?!公司|集团|平台|有限))")


def _level_right_after(s: str, end: int) -> re.Match[str] | None:
    """A level's money written right after a sum ending at ``end`` (…1500万元省级财政资金), else None.

    >>> bool(_level_right_after("计划投资30万元省级资金", 5)), bool(_level_right_after("投资30万元建设村道", 5))
    (True, False)
    """
    return _LEVEL_MONEY.match(s, end + re.match(r"[\d.,万亿元]*", s[end:]).end())


# A document that allocates money (《某财政局关于下达…资金…的通知》), and the finance body that issues it.
_ALLOCATION_TITLE = re.compile(r"《([^《》]*(?:下达|拨付|分配|安排)[^《》]*资金[^《》]*)》")
_FINANCE_BODY = re.compile(rf"[{CJK}]{{0,12}}?财政(?:局|厅|部)")


# The rank of each budget level, and of the finance body of each level: a body passes on the money of a level above its
# own (省财政厅下达中央…资金), which that level gives (FORMAT.md), and gives its own level's money itself.
_MUNICIPALITIES = tuple(m[:-1] for m in MUNICIPALITIES)  # (北京, 天津 …: as they open a body's name)
# Whose money a bracket right after the sum names (下达…资金1032万元(中央财政补助资金)).
_LEVEL_IN_BRACKET = re.compile(rf"\(({_LEVEL_WORDS}|自治区)(?:本级)?财政[{CJK}]{{0,12}}资金\)")


# Relending and rediscount: the central bank's own lending to banks (支农再贷款, 再贴现), the only money it gives
# (经济日报 2016-03-26, paper.ce.cn/jjrb/html/2016-03/26/content_296590.htm: 扶贫再贷款 is 人民银行's lending to local
# banks, "不是财政资金"; 新华网 2007-03-02: 支农再贷款 to rural credit cooperatives).
_RELENDING = re.compile(r"再贷款|再贴现")


@lru_cache(maxsize=1)
def _central_banks() -> tuple[tuple[str, ...], str]:
    central = [b for b in banks() if b.kind == "central"]
    return tuple(w for b in central for w in (b.core, *b.short) if w), central[0].full


def _is_central_bank(name: str) -> bool:
    """The central bank or one of its branches (中国人民银行河北省分行, 人民银行某中心支行), from the register."""
    return any(w in name for w in _central_banks()[0])


def _central_bank() -> str:
    return _central_banks()[1]


def _body_rank(body: str) -> int:
    """The budget level of a finance body: 财政部 the centre, 财政厅 and a municipality's bureau a province, …"""
    if body.endswith("财政部"):
        return 3
    if body.endswith("财政厅") or body.startswith(_MUNICIPALITIES):
        return 2
    return 1 if re.search(r"(?:市|州|盟)财政局$", body) else 0


def _passed_on_level(s: str, c_start: int, am, funder: str | None, topic_level: str | None = None) -> str | None:
    """The budget level whose money a finance body passes on: 省财政厅下达中央…资金3.6亿元 -> 中央财政.

    A bracket right after the sum that names a level's money (…500万元(中央财政补助资金)) says it too, also where
    no one is named as giving. Where the clause names no money's level but passes money on (下达西宁市2.36亿元) and
    names no finance body itself, the one level of the money the report is about (``topic_level``) is it.

    >>> from kg.money import find_amounts
    >>> s = "省财政厅下达2024年中央重点生态保护修复治理资金3.60亿元"
    >>> _passed_on_level(s, 0, find_amounts(s)[0], "某省财政厅"), _passed_on_level(s, 0, find_amounts(s)[0], "某县农业农村局")
    ('中央财政', None)
    """
    bracket = _LEVEL_IN_BRACKET.match(s, am.end)
    if funder is None and bracket:
        return _LEVEL_FUNDER[bracket.group(1)]  # 下达…资金500万元(中央财政补助资金): the bracket names whose money it is
    if not funder or not _FINANCE_BODY.fullmatch(funder):
        return None
    given = _GIVES_ON.search(s, c_start, am.start)
    if bracket:
        level = bracket.group(1)
    else:
        money = _LEVEL_MONEY.search(s, given.end(), am.start) if given else None
        level = (money.group(1) or money.group(2)) if money else None
    named = level is not None
    # (only money passed on by a body named before the clause: 某县财政局安排…资金 is the bureau's own)
    if not named and topic_level and given and not _FINANCE_BODY.search(s, c_start, am.start):
        level = next((w for w in _LEVEL_RANK if topic_level.startswith(w)), None)
    if level is None or _LEVEL_RANK[level] <= _body_rank(funder):
        return None
    return _LEVEL_FUNDER[level] if named else topic_level


# Companies' investment (引进的企业实际到位投资, 企业实际投资): private money, whatever place brought the companies in.
_COMPANIES_INVEST = re.compile(r"企业[^,;。]{0,10}?(?:投资|到位资金|到位)")
# Private parties of a place (江苏社会力量, 上海企业) are not the place's government.
_PRIVATE_AFTER_PLACE = re.compile(r"(?:社会|企业|爱心|民营|商会|群众|人士)")


# Money named by a pairing (援藏资金, 对口帮扶资金, 沪滇协作资金) comes from the partner place.
_PAIRING_MONEY = re.compile(r"(?:援藏|援疆|援青|对口帮扶|对口支援|东西部协作|协作|帮扶|援助|援建)(?:项目)?资金")


# A rate before an amount: per unit of area, weight, piece or time (每亩, 每吨, 每棒, 每月), or an area's sum (亩产值).
_RATE_BEFORE = re.compile(r"每(?:亩|吨|斤|公斤|千克|棒|袋|箱|株|棵|只|头|平方米|立方米|月)|一个月|亩|年增收")


# Verbs by which a body allots money to others.
_ALLOTS = r"(?:下达|安排|拨付|分配|追加)"
_ALLOTS_RE = re.compile(_ALLOTS)
# A sentence that opens by pointing back at an allocation (本次下达我市…, 此次安排…): its giver was named before.
_THIS_ALLOCATION = re.compile(rf"(?:本次|此次|这次|本批|此批)(?:共|共计|累计)?{_ALLOTS}")


# A budget level written alone in a table's source cell (中央, 自治区, 省级).
_SOURCE_LEVEL = re.compile(rf"{_LEVEL_WORDS}|(?<![\u4e00-\u9fff])自治区")


# A list of receivers that runs on (对A、B每县安排…): its places do not give.
_RECEIVER_LIST = re.compile(r"(?:对|向|给|为)[^,;:。]{1,30}、$")


# A giving verb right after a name (省发展改革委下达…, 某局再次安排…).
_GIVES_NEXT = re.compile(rf"(?:再次|先后|已|共|及时)?{_ALLOTS}")


# Verbs with which a place gives money when it opens the clause (某市投入…, 某县安排…).
_GIVING_VERB = re.compile(r"(?:投入|投资|安排|下达|拨付|追加|出资|筹集|筹措|整合|奖补|补助|捐赠|援助|支持)")


# A place written before 对口帮扶/援藏… is the partner that gives (上海对口帮扶, 江苏援藏).
_PARTNER_VERB = re.compile(r"(?:对口帮扶|对口支援|援藏|援疆|援青|东西部协作|结对帮扶)")
# Aid money named after the place that gives it (获得某市帮扶资金, 某省援建资金, 某市财政援助资金).
_AID_MONEY = re.compile(r"(?:财政)?(?:帮扶|援助|援建)资金")
# A county's sum of pairing money (某区800万元对口帮扶资金): the county gives it.
_PARTNER_MONEY_AFTER = re.compile(r"[\d.]+[万亿]?元(?:的)?(?:对口帮扶|对口支援|东西部协作|结对帮扶|帮扶)资金")


# A dateline that opens a report's first sentence (某某网某地1月25日电, 本报讯): no part of the sentence.
_DATELINE = re.compile(r"^[^,。;:\s]{2,20}?(?:\d{1,2}月\d{1,2}日)?(?:讯|电(?![话视商子力网脑器动影台厂站气费]))"
                       r"\s*(?:\([^()]{0,30}\))?\s*")
# A phrase of role, purpose or source that opens a sentence before its subject (作为扎根高原的金融机构, 为更好支持春耕,
# 据了解,).
_AS_PHRASE = re.compile(r"^(?:作为[^,;。]{1,30}|为了?[^,;。]{2,30}|在[^,;。]{1,30}(?:基础上|背景下|过程中|前提下)|据(?:了解|悉|介绍|统计)"
                        r"|记者(?:了解到|获悉|从[^,;。]{1,20}获悉))[,]")


def _sentence_head(s: str) -> str:
    """A sentence from its subject on: without its dateline, time phrases and phrases of role or source."""
    head = strip_time_phrase(_DATELINE.sub("", strip_time_phrase(s), count=1))
    return strip_time_phrase(_AS_PHRASE.sub("", head, count=1))

#: How many sentences back a paragraph's subject is looked for.
_PARAGRAPH_REACH = 12


class _GiverContext:
    """Givers beyond the amount's clause: anaphors, sentence and paragraph subjects, partner places."""

    def __init__(self, text: str, sentences: tuple[Sentence, ...], finds: Finds) -> None:
        self.text = text
        self.sentences = sentences
        self.finds = finds
        self.mentions = sorted((m.start, m.end, name, a["type"]) for name, a in finds.actors.items() for m in a["mentions"])
        self._at: dict[int, list[tuple[int, str, str]]] = {}  # start -> (end, name, type) of the mentions there
        for start, end, name, typ in self.mentions:
            self._at.setdefault(start, []).append((end, name, typ))
        self._starts = [m[0] for m in self.mentions]
        self.partners = self._partner_places()
        lenders = sorted((name for name, a in finds.actors.items() if a["type"] == "FinancialInstitution"), key=len)
        # a report on one bank: the bank named alone and its one branch (农行, 农行某县支行) are one lender, the branch
        self.lender = lenders[-1] if lenders and all(lenders[-1].startswith(n) for n in lenders) else None
        self.allocators = self._allocators()
        self._subjects: dict[int, str | None] = {}
        self._sentence_starts = [sent.start for sent in sentences]
        self._region_spans: dict[int, tuple[int, dict]] | None = None

    def _allocators(self) -> list[tuple[int, str]]:
        """(sentence index, finance body) of each document that allocates money (下达…资金的通知)."""
        out = []
        for sent in self.sentences:
            for m in _ALLOCATION_TITLE.finditer(sent.text):
                issuer = _FINANCE_BODY.match(m.group(1))
                if issuer is None:  # 收到由某省财政厅、某省乡村振兴局联合下发的《…》
                    before = sent.text[max(0, m.start() - 40) : m.start()]
                    issuer = next(_FINANCE_BODY.finditer(re.split(r"[,;。]", before)[-1]), None)
                    issuer = re.sub(r"^.*(?:由|收到|根据|按照)", "", issuer.group(0)) if issuer else None
                else:
                    issuer = issuer.group(0)
                if issuer and len(issuer) >= 4:
                    out.append((sent.index, issuer))
        return out

    def _partner_places(self) -> list[str]:
        """Full names of the places that give in the report's pairing programmes."""
        g = load_gazetteer()
        found: list[str] = []
        vocab = programme_vocabulary()
        for p in self.finds.programs.values():
            partner = vocab[p["concept"]].partner if "concept" in p else None
            if partner and partner not in found:
                found.append(partner)
        own = self._own_places(g)
        for key, r in self.finds.regions.items():
            if r["level"] not in ("province", "city", "county"):
                continue
            if r["level"] == "county" and key in own:
                continue  # 某市对口帮扶工作会议: the report's own county receives; another county gives (某区对口帮扶…)
            for m in r["mentions"]:
                if _PARTNER_VERB.match(self.text, m.end) or (r["level"] == "county" and _PARTNER_MONEY_AFTER.match(self.text, m.end)) \
                        or (r["level"] != "county" and key not in own and _AID_MONEY.match(self.text, m.end)):
                    full = next((d.name for d in g.by_name(r["name"]) if d.level == r["level"]), r["name"])
                    if full not in found:
                        found.append(full)
        return found

    def _own_places(self, g: Gazetteer) -> set[str]:
        """The report's own place and the places above and below it (a county is never its own partner)."""
        key = self.finds.jurisdiction
        d = g.get(key) if key else None
        if d is None:
            return set()
        own = {d.key, *(a.key for a in g.ancestors(d))}
        own.update(k for k, r in self.finds.regions.items()
                   if (x := g.get(k)) is not None and any(a.key == d.key for a in g.ancestors(x)))
        return own

    def in_sentence(self, sent: Sentence) -> list[tuple[int, int, str, str]]:
        """The actor mentions that start inside the sentence."""
        return self.mentions[bisect_left(self._starts, sent.start) : bisect_left(self._starts, sent.end)]

    def _actor_at(self, start: int) -> tuple[str, str] | None:
        hits = self._at.get(start)
        return max(hits)[1:] if hits else None

    def _resolve_anaphor(self, pos: int, noun: str) -> str | None:
        """The last actor named before ``pos`` whose name ends as the anaphor says (该行 -> …支行), or of the kind it names (这家银行)."""
        kind = _ANAPHOR_KINDS.get(noun)
        before = [(s, name) for s, e, name, typ in self.mentions if e <= pos and (name.endswith(noun) or typ == kind)]
        # the body a sentence was about (its subject), not one it named in passing (积极申请人民银行再贷款)
        subjects = [(s, name) for s, name in before if self._opens_sentence(s, name) or self._opens_clause(s)]
        return max(subjects or before)[1] if before else None

    def _opens_clause(self, start: int) -> bool:
        """True when the mention at ``start`` opens a clause after a comma (…公布了结果,农发行某分行连续五年获得…)."""
        return start > 0 and self.text[start - 1] in ",;"

    def _opens_sentence(self, start: int, name: str) -> bool:
        """True when the mention at ``start`` is its sentence's subject."""
        i = bisect_left(self._sentence_starts, start + 1) - 1
        if i < 0:
            return False
        if i not in self._subjects:
            self._subjects[i] = None  # (while it is read: an anaphor in its own opening phrase does not ask again)
            self._subjects[i] = self._subject(self.sentences[i])
        return self._subjects[i] == name

    def _subject(self, sent: Sentence) -> str | None:
        """The actor that opens a sentence (after its time phrase), anaphors resolved."""
        head = _sentence_head(sent.text)  # (某网某地1月25日电) 今年以来,作为…,晋商银行…
        head_start = sent.start + len(sent.text) - len(head)
        lead = re.match(r"(?:\d{1,2}月\d{1,2}日)?(?:记者)?(?:从|据)?", head)  # (1月2日该行…, 记者从某局获悉)
        for start in (head_start, head_start + (lead.end() if lead else 0)):
            found = self._actor_at(start)
            if found:
                return found[0]
        anaphor = _ANAPHOR.match(head, lead.end() if lead else 0)
        if anaphor:
            return self._resolve_anaphor(head_start, anaphor.group(1))
        return None

    def _paragraph_subject(self, sent: Sentence) -> str | None:
        """The nearest sentence subject earlier in the paragraph, when the sentence opens with no subject of its own."""
        head = _GENERIC_PLACE_WORDS.sub(lambda m: "_" * len(m.group(0)), strip_time_phrase(sent.text))
        if re.match(rf"[{CJK}]{{0,12}}?(?:村|镇|乡|县|区|市|省|公司|银行|支行|局|厅|委|政府|合作社)", head) and not re.match(
                r"(?:累计|共|已|先后|还|并|全年|其中|新增|同时|陆续|向|为|对|给)", head):  # 向藏区…投放: a receiver, no subject
            return None  # the sentence has a subject of its own
        current = sent
        # A paragraph's subject is near: a report on one line is one long paragraph, and walking
        # back to its start from every amount would cost the square of its length.
        for other in reversed(self.sentences[max(0, sent.index - _PARAGRAPH_REACH) : sent.index]):
            if "\n" in self.text[other.end : current.start] or re.search(r"\n\s*$", other.text):
                break
            if other.index not in self._subjects:
                self._subjects[other.index] = self._subject(other)
            found = self._subjects[other.index]
            if found:
                return found
            current = other
        return None

    def _allocation_again(self, sent: Sentence) -> str | None:
        """本次下达…, 此次安排…: the last body named before (in this paragraph or an earlier one) right before a verb of giving."""
        if not _THIS_ALLOCATION.match(strip_time_phrase(sent.text)):
            return None
        for other in reversed(self.sentences[max(0, sent.index - _PARAGRAPH_REACH) : sent.index]):
            givers = [name for st, e, name, typ in self.in_sentence(other) if _GIVES_NEXT.match(self.text, e)]
            if givers:
                return givers[-1]
        return None

    def _one_of_joint_givers(self, chosen: tuple[int, int, str], named: list[tuple[int, int, str]], kind: str) -> str | None:
        """The giver ``chosen``; but of bodies named together with it (A、B下达…), the one that holds the money (the bank
        for a loan, else the finance body), else no one (FORMAT.md: several funders give a null funder)."""
        by_end = {e: (st, n) for st, e, n in named}
        by_start = {st: (e, n) for st, e, n in named}
        start, end, name = chosen
        joint = [name]
        while self.text[start - 1 : start] == "、" and start - 1 in by_end:
            start, other = by_end[start - 1]
            joint.append(other)
        while self.text[end : end + 1] == "、" and end + 1 in by_start:
            end, other = by_start[end + 1]
            joint.append(other)
        if len(joint) == 1:
            return name
        if kind == "loan":
            banks = [n for n in joint if self.finds.actors[n]["type"] == "FinancialInstitution"]
            return banks[-1] if banks else None
        finance = [n for n in joint if "财政" in n]
        return finance[-1] if finance else None

    def _giving_place(self, sent: Sentence, amount_pos: int, clause_before: str) -> str | None:
        """A region (not a village) that opens the amount's clause or sentence and gives (投入, 安排, 出资 …)."""
        if not _GIVING_VERB.search(sent.text, 0, amount_pos):
            return None
        clause_start = sent.start + amount_pos - len(clause_before)
        head = strip_time_phrase(sent.text)
        starts = {clause_start, sent.start + len(sent.text) - len(head)}
        spans = self._regions_at()
        for start in starts:
            if start not in spans or _RECEIVER_LIST.search(self.text, sent.start, start):
                continue  # 对高陵区、|周至县每县安排…: a place in a list of receivers
            end, region = spans[start]
            while end in spans:  # 某县某镇某村投入: the last place of the chain gives
                end, region = spans[end]
            between = self.text[end : sent.start + amount_pos]
            # 某省安排项目82个、资金1.62亿元: a list of what it gives may follow; a list of places may not
            # (某省共获得…投资1.8亿元: a place that receives gives nothing)
            if region["level"] != "village" and re.fullmatch(r"[^,;:]{0,24}", between) and _GIVING_VERB.search(between) \
                    and not _RECEIVES.search(between) \
                    and ("、" not in between or not any(end < p < sent.start + amount_pos for p in spans)):
                return region["name"]
        return None

    def _place_going_on(self, sent: Sentence) -> str | None:
        """The place that opens the paragraph's run of giving sentences, when ``sent`` opens with a verb of giving and
        no subject: each sentence before it in the paragraph opens with such a verb too, and the first with the place."""
        if not _GIVING_VERB.match(strip_time_phrase(sent.text)):
            return None
        current = sent
        for other in reversed(self.sentences[max(0, sent.index - _PARAGRAPH_REACH) : sent.index]):
            if "\n" in self.text[other.end : current.start] or re.search(r"\n\s*$", other.text):
                return None
            head = strip_time_phrase(other.text)
            opening = self._regions_at().get(other.start + len(other.text) - len(head))
            if opening is not None:
                end, region = opening
                while end in self._regions_at():  # 某市某区投资…: the last place of the chain gives
                    end, region = self._regions_at()[end]
                verb = re.match(r"(?:累计|共|先后|全年|已)?(?:财政)?", self.text[end:])
                if region["level"] != "village" and _GIVING_VERB.match(self.text, end + verb.end()):
                    return region["name"]
                return None
            if not _GIVING_VERB.match(head):
                return None
            current = other
        return None

    def _opening_giver_place(self, sent: Sentence) -> str | None:
        """A province or city that opens the sentence (after its time phrase) with a verb of giving."""
        head = _sentence_head(sent.text)
        found = self._regions_at().get(sent.start + len(sent.text) - len(head))
        if found is None or found[1]["level"] not in ("province", "city"):
            return None
        return found[1]["name"] if _GIVING_VERB.match(self.text, found[0]) else None

    def _regions_at(self) -> dict[int, tuple[int, dict]]:
        """Where each region mention starts -> (its end, the region)."""
        if self._region_spans is None:
            self._region_spans = {m.start: (m.end, r) for r in self.finds.regions.values() for m in r["mentions"]}
        return self._region_spans

    def pairing_partner(self, funder: str | None) -> str | None:
        """Money named by a pairing (苏陕协作资金, 东西部协作资金) is given by the partner place (FORMAT.md)."""
        m = re.fullmatch(r"(东西部|.{2})(?:扶贫)?(?:协作|帮扶)?资金", funder or "")
        if m is None:
            return funder
        if m.group(1).startswith("东西"):  # 东西部协作资金: the report's one partner, else no one
            return self.partners[0] if len(self.partners) == 1 else None
        concept = next((c for c in programme_vocabulary().values() if c.label == m.group(1) + "协作"), None)
        return concept.partner if concept and concept.partner else funder

    def funder(self, sent: Sentence, amount_pos: int, kind: str, clause_before: str,
               section: int | None = None) -> str | None:
        """The giver of an amount whose own clause names none (``section``: the index of the numbered heading above)."""
        types = _GIVER_TYPES.get(kind, _DEFAULT_GIVER_TYPES)
        s = sent.text
        abs_amount = sent.start + amount_pos
        # A pairing's money, or its partner place written before the amount: the partner gives.
        clause_end = min([i for i in (s.find(c, amount_pos) for c in ",;。") if i >= 0] or [len(s)])
        after = s[amount_pos:clause_end]
        if self.partners:
            own = _PAIRING_MONEY.search(clause_before + after)
            g = load_gazetteer()
            for partner in self.partners:
                forms = [partner, *(d.short for d in g.by_name(partner) if d.short)]
                money_after = after[re.match(r"[\d.,万亿元]*", after).end() :]
                for form in forms:
                    i = clause_before.find(form)
                    if i >= 0 and not _PRIVATE_AFTER_PLACE.match(clause_before, i + len(form)):
                        return partner
                    if money_after.startswith(form):
                        return partner  # 26.42亿元江苏省财政援助资金
            if own and len(self.partners) == 1:
                return self.partners[0]
        # A document that allocates money, in the same sentence: its finance body gives.
        if kind != "loan":
            same = [body for index, body in self.allocators if index == sent.index]
            if same:
                return same[0]
        # A budget level qualifying the money before the amount, or right after it (…1500万元省级财政资金).
        level = None
        for level in _LEVEL_MONEY.finditer(s[:amount_pos]):
            pass
        after_level = _level_right_after(after, 0)
        level = after_level or level
        if level and kind != "loan":
            return _LEVEL_FUNDER[level.group(1) or level.group(2)]
        # An amount in the phrase that opens the sentence before its subject (在前期投放2471万元贷款的基础上,该行再次投放…):
        # the subject gives it.
        unstamped = strip_time_phrase(s)
        opening = _AS_PHRASE.match(unstamped)
        if opening and amount_pos < len(s) - len(unstamped) + opening.end():
            subject = self._subject(sent)
            if subject and self.finds.actors[subject]["type"] in types:
                return subject
        # An anaphor before the amount in the same sentence (该行累计审批贷款…).
        anaphors = list(_ANAPHOR.finditer(s[:amount_pos]))
        receives = _RECEIVES_LOAN if kind == "loan" else _RECEIVES  # 该支行获批贷款2.5亿元: its loans were approved
        if anaphors and not receives.search(s, anaphors[-1].end(), amount_pos):
            a = anaphors[-1]
            found = self._resolve_anaphor(sent.start + a.start(), a.group(1))
            if found:
                return found
        # A notice's body speaking of itself (我局拟下拨…): the one body of that kind the report names, as it signs.
        own = list(_SELF_REFERENCE.finditer(s[:amount_pos]))
        if own and not _RECEIVES.search(s, own[-1].end(), amount_pos):
            bodies = {name for name, a in self.finds.actors.items() if name.endswith(own[-1].group(1)) and a["type"] in types}
            if len(bodies) == 1:
                return bodies.pop()
        # A giver named after the amount: …500万元由县财政安排, …贷款来自某银行.
        by = re.match(r"[\d.,万亿元]*(?:[,]?(?:全部|均|主要)?(?:由|来自|系))(.{2,24})", after)
        if by:
            tail = by.group(1)
            phrase = _FUNDER_PHRASES.match(tail)
            if phrase:
                return phrase.group(0)
            named = [(e, name) for e, name, typ in self._at.get(abs_amount + by.start(1), ()) if typ in types]
            if named:
                return max(named)[1]
        # A place that gives, opening the clause (某市投入资金…, 某县安排…): the place.
        place = self._giving_place(sent, amount_pos, clause_before)
        if place:
            return place
        # Aid money of a place that opens the sentence with a verb of giving (日前,广东省下达…计划,安排帮扶资金2.08亿元).
        if _PAIRING_MONEY.search(clause_before + after):
            place = self._opening_giver_place(sent)
            if place:
                return place
        # A giver named earlier in the sentence, not as a receiver.
        earlier = [(st, e, name) for st, e, name, typ in self.in_sentence(sent)
                   if e <= abs_amount and typ in types and (not _RECEIVER_MARK.search(s[: st - sent.start])
                                                            or _ASKED_LENDER.match(s, e - sent.start))]
        if earlier:
            named = [(st, e, name) for st, e, name, typ in self.in_sentence(sent) if e <= abs_amount and typ in types]
            return self._one_of_joint_givers(max(earlier), named, kind)
        # The paragraph's subject (农发行某支行…。2022年以来,累计投放贷款…).
        subject = self._paragraph_subject(sent) or self._allocation_again(sent)
        if subject and self.finds.actors[subject]["type"] in types:
            return subject
        # A place that gave in the sentence before, when this one goes on with the verb alone (某区财政投资20亿元…。投资
        # 10亿元实施…): the same giver.
        if kind != "loan" and subject is None:
            place = self._place_going_on(sent)
            if place:
                return place
        # A loan: the one bank the sentence names (…贷款的成功投放,农发行某支行…).
        if kind == "loan":
            banks = {name for st, e, name, typ in self.in_sentence(sent)
                     if typ == "FinancialInstitution"
                     and not _RECEIVER_MARK.search(s[: st - sent.start])}
            if len(banks) == 1:
                return banks.pop()
            if self.lender:
                return self.lender  # a report on one bank's lending: its loans are that bank's
        # An allocation document earlier in the paragraph, or in the section under the same heading (一、…资金安排情况:
        # 根据《…下达…资金的通知》…具体安排情况是: then the items, a paragraph further): the finance body that issued it.
        else:
            earlier = [body for index, body in self.allocators
                       if index < sent.index and ("\n" not in self.text[self.sentences[index].end : sent.start]
                                                  or (section is not None and index > section))]
            if earlier:
                return earlier[-1]
        return None
