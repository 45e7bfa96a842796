"""Find and parse amounts of money in Chinese text (1.5亿元, 1,840万元, 两千万元, 748万).

>>> [(m.amount, m.text) for m in find_amounts("下达资金3亿元,其中中央资金984万元、市级资金230万元")]
[(Decimal('300000000'), '3亿元'), (Decimal('9840000'), '984万元'), (Decimal('2300000'), '230万元')]
>>> parse_amount("两千万元")
Decimal('20000000')
>>> parse_amount("1254.3万元")
Decimal('12543000')
>>> [m.amount for m in find_amounts("投入3千元,带动3千人,规模2.3万亿元")]
[Decimal('3000'), Decimal('2300000000000')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal, InvalidOperation

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_UNITS = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "千": Decimal(1000), "百": Decimal(100)}

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN_NUM = r"[零〇一二两三四五六七八九十百千]+"
# An amount: a number, then 亿/万 (possibly both: 1亿2000万; 万亿 is a trillion), then 元 or 块 where
# present. Without 元 an amount needs 亿 or 万 to count as money ("意向投资1.3亿"); 千 only with 元
# (3千元, but 3千人 is no money).
AMOUNT = re.compile(
    rf"(?P<num>{_NUM}|{_CN_NUM})\s*(?:余|多)?\s*(?P<unit>亿|万亿|万|千万|百万|千)?(?:(?P<num2>{_NUM}|{_CN_NUM})\s*(?P<unit2>万))?"
    r"\s*(?:余|多)?\s*(?P<cur>元|块钱|块|人民币)?"
)


# A 万/亿 number without 元 right before a word is money only beside words of money (投资1.3亿实施, 1.5亿贷款); else it
# counts what the word names (600万棒, 20万新市民).
_BARE_BEFORE_WORD = re.compile(r"[\u4e00-\u9fff]")
_MONEY_AFTER = re.compile(r"(?:贷款|资金|资本|股|的|用于|中|专项|中央|省级|市级|县级|财政|投资|左右|以上|以内|至|到|元)")
_MONEY_BEFORE = re.compile(r"资金|投资|投入|出资|筹集|筹措|融资|注资|贷款|授信|放贷|投放|发放|审批|补助|补贴|奖补|奖励|捐|援助|"
                           r"拨付|安排|下达|利用|支付|金额|余额|总额|额度|收入|营收|产值|销售|价值|费|税|款|金|元|成本|利润")


@dataclass(frozen=True)
class AmountMatch:
    """An amount found in a text: its value in yuan and where it stands."""

    amount: Decimal
    start: int
    end: int
    text: str


def _cn_number(text: str) -> Decimal:
    """Value of a Chinese numeral below 10,000 (两千, 三百五十, 十二)."""
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL_UNITS:
            total += (1 if digit is None else digit) * _CN_SMALL_UNITS[ch]
            digit = None
        else:
            raise ValueError(text)
    return Decimal(total + (digit or 0))


def _number(text: str) -> Decimal:
    if text[0].isdigit():
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - regex guarantees digits
            raise ValueError(text) from exc
    return _cn_number(text)


def _unit(unit: str | None) -> Decimal:
    if not unit:
        return Decimal(1)
    value = Decimal(1)
    for ch in unit:
        value *= _UNITS[ch]
    return value


def _value(m: re.Match[str]) -> Decimal | None:
    unit, cur = m.group("unit"), m.group("cur")
    if (not unit or unit == "千") and not cur:
        return None
    if not cur and m.group("num")[0] not in "0123456789" and not unit:
        return None
    try:
        value = _number(m.group("num")) * _unit(unit)
        if m.group("num2"):
            value += _number(m.group("num2")) * _unit(m.group("unit2"))
    except ValueError:
        return None
    return value.normalize() if value == value.to_integral() else value


@lru_cache(maxsize=1)
def _measure_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Units and classifiers that make 1.5万亩 an area and 3.5万尾 a count, and the words that open with one but
    follow money (尾款): ``data/lexicon/measure_words.tsv``."""
    from kg.resources import project_root

    path = project_root() / "data" / "lexicon" / "measure_words.tsv"
    words = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return (tuple(sorted((w for w in words if not w.startswith("!")), key=len, reverse=True)),
            tuple(w[1:] for w in words if w.startswith("!")))


def find_amounts(text: str) -> list[AmountMatch]:
    """Every amount of money in a text, in order; a 万/亿 number without 元 before a unit or classifier is none.

    >>> [m.text for m in find_amounts("投资1.3亿,种植1.5万亩,接待游客10万人次,奖补200万元,援助8000万人民币")]
    ['1.3亿', '200万元', '8000万人民币']
    >>> [m.text for m in find_amounts("投放鱼苗5.7万尾,支付尾款3万")]
    ['3万']
    >>> [m.text for m in find_amounts("年加工能力可达600万棒,投资1.3亿实施项目,发放1.5亿贷款")]
    ['1.3亿', '1.5亿']
    """
    out = []
    for m in AMOUNT.finditer(text):
        value = _value(m)
        if value is None or value <= 0:
            continue
        # A bare Chinese numeral only counts with a unit right behind it (两千万元).
        if m.group("num")[0] not in "0123456789" and not m.group("cur"):
            continue
        if not m.group("cur"):
            measures, after_money = _measure_words()
            if text.startswith(measures, m.end()) and not text.startswith(after_money, m.end()):
                continue
            if _BARE_BEFORE_WORD.match(text, m.end()) and not _MONEY_AFTER.match(text, m.end()) \
                    and not _MONEY_BEFORE.search(text[max(0, m.start() - 8) : m.start()].rsplit(",", 1)[-1]):
                continue  # 加工能力可达600万棒, 帮助2万贫困劳动力: a count before a noun, no money around it
        end = m.end()
        while end > m.start() and text[end - 1].isspace():
            end -= 1
        out.append(AmountMatch(_plain(value), m.start(), end, text[m.start() : end]))
    return out


def _plain(value: Decimal) -> Decimal:
    """Drop exponent notation (3E+8 -> 300000000) so amounts print as plain numbers."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


def parse_number(text: str, unit: str | None = None) -> Decimal | None:
    """A number in digits or Chinese numerals (1,840, 3.5, 两千), times its unit (万, 亿), or None.

    >>> parse_number("3.5", "万"), parse_number("两千"), parse_number("12.5")
    (Decimal('35000'), Decimal('2000'), Decimal('12.5'))
    """
    try:
        return _plain(_number(text) * _unit(unit))
    except (ValueError, KeyError):
        return None


def parse_amount(text: str) -> Decimal | None:
    """Value in yuan of one amount written alone, or None if it is not money."""
    found = find_amounts(text.strip())
    return found[0].amount if len(found) == 1 and found[0].text == text.strip() else None


def format_amount(amount: Decimal | int | float | str, grouped: bool = False) -> str:
    """An amount of yuan the way reports write it (``grouped``: thousands separated, as tables want).

    Anything that is not a finite number comes back as it is.

    >>> format_amount(Decimal("150000000")), format_amount(2000000), format_amount("1234.5")
    ('1.5亿元', '200万元', '1234.5元')
    >>> format_amount("18400000", grouped=True), format_amount("123456789012.5", grouped=True), format_amount("n/a")
    ('1,840万元', '1,234.57亿元', 'n/a')
    """
    try:
        d = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    if not d.is_finite():
        return str(amount)
    spec = ",f" if grouped else "f"
    for unit, size in (("亿元", Decimal(10) ** 8), ("万元", Decimal(10) ** 4)):
        if abs(d) >= size:
            q = (d / size).quantize(Decimal("0.01")).normalize()
            return f"{q:{spec}}{unit}"
    return f"{d.normalize():{spec}}元"
