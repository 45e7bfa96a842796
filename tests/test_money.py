from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.money import find_amounts, parse_amount
from kg.pipeline import extract_text


@pytest.mark.parametrize(
    "text, amount",
    [
        ("1.5亿元", "150000000"),
        ("1,840万元", "18400000"),
        ("两千万元", "20000000"),
        ("748万", "7480000"),
        ("1254.3万元", "12543000"),
        ("3.84亿元", "384000000"),
        ("60万元", "600000"),
        ("1亿2000万元", "120000000"),
        ("三百万元", "3000000"),
        ("1.3亿", "130000000"),
        ("3000余万元", "30000000"),
        ("300多万元", "3000000"),
        ("2500元", "2500"),
    ],
)
def test_amounts(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["2021年", "128个村", "83.81%", "12317", "5个亿元以上项目", "一个月", "鱼苗5.7万尾"])
def test_not_money(text: str) -> None:
    assert find_amounts(text) == []


def test_a_word_that_opens_with_a_classifier_may_still_follow_money() -> None:
    # 尾 counts fish (鱼苗5.7万尾), but 尾款 is the rest of a payment
    assert [m.amount for m in find_amounts("支付工程尾款3万,投放鱼苗2万尾")] == [Decimal(30000)]


def test_parts_of_a_total_are_each_found() -> None:
    found = find_amounts("项目总投资为1259万元,其中中央资金984万元、市级资金230万元")
    assert [m.amount for m in found] == [Decimal(12590000), Decimal(9840000), Decimal(2300000)]
    assert [m.text for m in found] == ["1259万元", "984万元", "230万元"]


@given(st.integers(min_value=1, max_value=10**7), st.sampled_from(["万元", "亿元", "元", "万"]))
def test_integer_amounts_round_trip(n: int, unit: str) -> None:
    factor = {"万元": 10**4, "亿元": 10**8, "元": 1, "万": 10**4}[unit]
    assert parse_amount(f"{n}{unit}") == Decimal(n * factor)
    assert parse_amount(f"{n:,}{unit}") == Decimal(n * factor)


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2), st.sampled_from(["万元", "亿元"]))
def test_decimal_amounts(value: Decimal, unit: str) -> None:
    factor = {"万元": 10**4, "亿元": 10**8}[unit]
    got = parse_amount(f"{value}{unit}")
    assert got == value * factor


@given(st.text(alphabet="村镇县区项目资金年个%的和,。", max_size=30))
def test_text_without_digits_or_units_has_no_money(text: str) -> None:
    assert find_amounts(text) == []


@pytest.mark.parametrize("text, amount, kind", [
    ("某县邮储银行已为该村放款12笔96万元。", 960000, "loan"),  # 放款: a bank pays out a loan (source L)
    ("东湖县通过招商引资8000万元建成加工园区。", 80000000, "investment"),  # 引资: money invested from outside (V)
    ("“今年我贷了6万元,买了20只羊。”村民说。", 60000, "loan"),  # 贷了: a borrower's loan (L)
    ("东湖县冷链物流园项目总投3.5亿元。", 350000000, "investment"),  # 总投: 总投资 in a headline's short form (G)
])
def test_words_of_lending_and_attracted_investment_give_money(text: str, amount: int, kind: str) -> None:
    found = {int(f.amount_cny): f.kind for f in extract_text(text).fundings}
    assert found.get(amount) == kind, found
