"""Tests for kg.normalize: pinyin stripping, script conversion, width/quote folding, offsets."""

from __future__ import annotations

import re
import time
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import normalize as nz
from kg.model import NormalizedReport, RawReport
from kg.normalize import normalize, strip_pinyin, to_simplified

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"
QINZHOU = REPORTS / "qinzhou-village-collective-economy.txt"
XINING = REPORTS / "xining-sanxiang-2021.txt"

_TW2S = opencc.OpenCC("tw2s")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PINYIN_LEFT_RE = re.compile(r"[(（][a-zü' āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+[)）]")


def _raw(text: str, report_id: str = "t") -> RawReport:
    return RawReport(report_id=report_id, source=f"{report_id}.txt", text=text, sha256="0", encoding="utf-8")


def _check_offsets(norm: NormalizedReport) -> None:
    """The invariants of the offset map."""
    n, raw_len = len(norm.text), len(norm.raw.text)
    offs = norm.offsets
    assert len(offs) == n + 1
    assert offs[-1] == raw_len
    assert all(a <= b for a, b in zip(offs, offs[1:]))
    assert all(0 <= o < raw_len for o in offs[:-1])
    for i in range(n):
        s, e = norm.original_span(i, i + 1)
        assert 0 <= s < e <= raw_len


@pytest.fixture(scope="module")
def qinzhou() -> NormalizedReport:
    return normalize(_raw(QINZHOU.read_text(encoding="utf-8"), "qinzhou"))


# --------------------------------------------------------------------------- the traditional sample


def test_qinzhou_has_no_pinyin_left(qinzhou: NormalizedReport) -> None:
    assert "(qū)" in qinzhou.raw.text  # the sample really has inserted readings
    assert _PINYIN_LEFT_RE.findall(qinzhou.text) == []
    assert not re.search("[āáǎàēéěèīíǐìōóǒòǖǘǚǜ]", qinzhou.text)


def test_qinzhou_is_simplified(qinzhou: NormalizedReport) -> None:
    text = qinzhou.text
    for word in ("秦州区", "乡村振兴", "村级集体经济", "习近平新时代中国特色社会主义思想", "关于“三农”工作"):
        assert word in text
    assert "區" not in text and "鄉" not in text and "關" not in text
    assert _TW2S.convert(text) == text
    assert text.startswith("今年以来,秦州区以习近平")


def test_qinzhou_offset_map(qinzhou: NormalizedReport) -> None:
    _check_offsets(qinzhou)
    raw = qinzhou.raw.text
    checked = 0
    for i, ch in enumerate(qinzhou.text):
        orig = raw[qinzhou.offsets[i]]
        if _CJK_RE.match(orig):
            # Phrase conversion may keep a character that alone would convert (著名).
            assert ch == _TW2S.convert(orig) or ch == orig, (i, ch, orig)
            checked += 1
    assert checked > 1000


def test_qinzhou_spans(qinzhou: NormalizedReport) -> None:
    raw = qinzhou.raw.text
    start = qinzhou.text.index("秦州区")
    s, e = qinzhou.original_span(start, start + 3)
    assert raw[s:e] == "秦州區"
    s, e = qinzhou.original_span(start, start + 4)  # the span crosses a stripped reading
    assert raw[s:e] == "秦州區(qū)以"
    start = qinzhou.text.index("乡村振兴")
    s, e = qinzhou.original_span(start, start + 4)
    assert raw[s:e] == "鄉(xiāng)村振興"
    assert to_simplified(raw[s:e]) == "乡村振兴"
    s, e = qinzhou.original_span(start, start)
    assert s == e


def test_simplified_sample_is_untouched() -> None:
    text = XINING.read_text(encoding="utf-8")
    norm = normalize(_raw(text))
    assert norm.text == text
    assert norm.offsets == tuple(range(len(text) + 1))


# --------------------------------------------------------------------------- pinyin


@pytest.mark.parametrize(
    "keep",
    [
        "流域(湟水河)",
        "采用(PPP)模式",
        "(2021)",
        "项目(二期)",
        "(少数民族发展资金)",
        "泽库县委农村牧区工作领导小组(乡村振兴领导小组)",
        "青财农字〔2023〕505号)",
        "区(qu)",  # no tone mark: not a reading
        "ABC(qū)",  # not after a CJK character
        "北京(Běijīng)",  # capitalised: a name, not a reading
        "（一）",
    ],
)
def test_real_parentheses_survive(keep: str) -> None:
    assert strip_pinyin(keep) == keep


def test_real_parentheses_survive_normalization() -> None:
    text = "湟水河流域(湟水河)采用(PPP)模式,(2021)年實施(二期)工程,下達（少數民族發展資金）"
    out = to_simplified(text)
    for keep in ("流域(湟水河)", "(PPP)", "(2021)", "(二期)", "(少数民族发展资金)"):
        assert keep in out
    assert out == "湟水河流域(湟水河)采用(PPP)模式,(2021)年实施(二期)工程,下达(少数民族发展资金)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("秦州區(qū)以", "秦州區以"),
        ("鄉（xiāng）村", "鄉村"),
        ("西安(xī'ān)市", "西安市"),
        ("鄉村(xiāng cūn)振興", "鄉村振興"),
        ("綠(lǜ)色", "綠色"),
        ("區( qū )", "區"),
        ("區(qu\u0304)", "區"),  # decomposed tone mark
        ("關(guān)(guān)於", "關於"),
    ],
)
def test_pinyin_is_stripped(text: str, expected: str) -> None:
    assert strip_pinyin(text) == expected


# --------------------------------------------------------------------------- width, quotes, spaces


def test_fullwidth_folding() -> None:
    text = "２０２１年ＡＢＣ　ａｂ，：；（）！？％＋－．／end"
    assert to_simplified(text) == "2021年ABC ab,:;()!?%+-./end"
    norm = normalize(_raw(text))
    assert norm.offsets == tuple(range(len(text) + 1))


def test_chinese_punctuation_is_kept() -> None:
    text = "《方案》、“三农”‘一’——……·。"
    assert to_simplified(text) == text


def test_quotes() -> None:
    assert to_simplified("「一號工程」和『雙過半』") == "“一号工程”和‘双过半’"
    assert to_simplified('他说"三乡工程"和"五抓五促进"') == "他说“三乡工程”和“五抓五促进”"
    # Pairs do not span lines; an unpaired quote stays straight.
    assert to_simplified('甲"乙\n丙"丁"戊') == '甲"乙\n丙“丁”戊'


def test_whitespace() -> None:
    text = "甲 \t  乙\u00a0\u00a0丙\r\n\r\n丁\u3000\u3000戊\r己"
    norm = normalize(_raw(text))
    assert norm.text == "甲 乙 丙\n\n丁 戊\n己"
    _check_offsets(norm)
    i = norm.text.index("丁")
    assert text[norm.offsets[i]] == "丁"
    i = norm.text.index("己")
    assert text[norm.offsets[i]] == "己"


def test_nfc() -> None:
    text = "Cafe\u0301 區\uf900"  # decomposed é, a compatibility ideograph
    norm = normalize(_raw(text))
    assert norm.text == "Café 区岂"  # U+F900 → 豈 (NFC) → 岂 (tw2s)
    _check_offsets(norm)
    assert norm.original_span(3, 4) == (3, 4)
    assert norm.original_span(5, 6) == (6, 7)


def test_phrase_conversion_keeps_zhu_ming() -> None:
    assert to_simplified("著名的著作，關注著鄉村") == "著名的著作,关注着乡村"


def test_to_simplified_equals_normalize_text(qinzhou: NormalizedReport) -> None:
    assert to_simplified(qinzhou.raw.text) == qinzhou.text


def test_converter_is_a_singleton() -> None:
    assert nz._converter() is nz._converter()


def test_speed_is_reasonable(qinzhou: NormalizedReport) -> None:
    raw = qinzhou.raw
    start = time.perf_counter()
    for _ in range(50):
        normalize(raw)
    per_report = (time.perf_counter() - start) / 50
    assert per_report < 0.05  # measured ~1 ms for this 5 KB report


# --------------------------------------------------------------------------- alignment fallback


@given(st.text(alphabet="ab區区cx", max_size=30), st.text(alphabet="ab区cxy", max_size=30))
def test_align_is_monotone_and_in_range(src: str, dst: str) -> None:
    mapping = nz._align(src, dst)
    assert len(mapping) == len(dst)
    assert all(a <= b for a, b in zip(mapping, mapping[1:]))
    if src:
        assert all(0 <= k < len(src) for k in mapping)


def test_remap_lines_with_length_change() -> None:
    text = "甲乙\n丙丁戊\n己"
    offs = list(range(len(text) + 1))
    out, new = nz._remap_lines(text, offs, lambda line: line.replace("丙丁", "X"))
    assert out == "甲乙\nX戊\n己"
    assert new is not None
    assert new == [0, 1, 2, 3, 5, 6, 7, 8]


# --------------------------------------------------------------------------- property test

_PIECES = st.sampled_from(
    [
        "區", "鄉", "縣", "關", "於", "著", "乾", "隆", "臺", "灣", "区", "乡", "村", "振", "兴",
        "(qū)", "(xiāng)", "（nóng）", "(xī'ān)", "(lǜ)", "(PPP)", "(2021)", "(二期)", "（一）",
        "(", ")", "（", "）", "「", "」", "『", "』", '"', "“", "”",
        "２", "０", "Ａ", "ｚ", "，", "：", "．", "\u3000", "\u00a0",
        " ", "  ", "\t", "\n", "\r\n", "\r", "a", "q", "ū", "e\u0301", "\u0304", "\uf900", "𠀀",
        "。", "、", "《", "》", "\u200b", "\ufeff",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_offsets_property(text: str) -> None:
    norm = normalize(_raw(text))
    _check_offsets(norm)
    assert norm.text == to_simplified(text)
    # No inserted reading survives directly after a CJK character.
    assert not re.search(r"[\u4e00-\u9fff][(（] *(?:qū|xiāng|nóng|xī'ān|lǜ) *[)）]", norm.text)
