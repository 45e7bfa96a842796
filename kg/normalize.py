"""Normalise a report to simplified script, keeping a map back to the original text.

Steps, in order, each keeping the offset map: Unicode NFC (zero-width spaces and
BOMs dropped); strip inserted pinyin readings such as ``區(qū)``; OpenCC ``tw2s`` to
simplified script; full-width ASCII letters/digits/punctuation to half-width; a full
stop typed for a decimal point (``68。57亿元``); quotes, CR LF and runs of spaces/tabs.

>>> to_simplified("秦州區(qū)鄉(xiāng)村振興（２０２２）「一號工程」")
'秦州区乡村振兴(2022)“一号工程”'
>>> to_simplified("下达资金68。57亿元。2023年")
'下达资金68.57亿元。2023年'
"""

from __future__ import annotations

import difflib
import functools
import re
import threading
import unicodedata
from collections.abc import Callable
from typing import Any

from kg.model import NormalizedReport, RawReport

__all__ = ["normalize", "to_simplified", "strip_pinyin"]

# --------------------------------------------------------------------------- patterns

_CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Tone-marked vowels (precomposed, as after NFC), ü, and m/n with tone marks.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# Combining tone marks, so that decomposed (NFD) pinyin is recognised too.
_COMBINING = "\u0300\u0301\u0304\u030c"
_SPACES = " \t\u00a0\u3000"
_PINYIN_CHARS = f"a-zü{_TONED}{_COMBINING}'’{_SPACES}"
# One parenthesised pinyin run: lowercase pinyin letters (several syllables, spaces,
# apostrophes allowed) with at least one tone mark; repeated runs are removed together.
_PINYIN_GROUP = (
    rf"[(（][{_SPACES}]*(?=[{_PINYIN_CHARS}]*[{_TONED}{_COMBINING}])"
    rf"[a-zü{_TONED}][{_PINYIN_CHARS}]*[)）]"
)
_PINYIN_RE = re.compile(rf"(?<=[{_CJK}])(?:{_PINYIN_GROUP})+")
_HAS_TONE_RE = re.compile(rf"[{_TONED}{_COMBINING}]")

# Step 4: full-width forms to ASCII (1:1, so offsets do not move).
_FULLWIDTH: dict[int, int] = {}
for _c in range(ord("Ａ"), ord("Ｚ") + 1):
    _FULLWIDTH[_c] = _c - 0xFEE0
for _c in range(ord("ａ"), ord("ｚ") + 1):
    _FULLWIDTH[_c] = _c - 0xFEE0
for _c in range(ord("０"), ord("９") + 1):
    _FULLWIDTH[_c] = _c - 0xFEE0
for _c in "，：；（）！？％＋－．／＂":
    _FULLWIDTH[ord(_c)] = ord(_c) - 0xFEE0
_FULLWIDTH[0x3000] = 0x20  # ideographic space
del _c

# Step 5: quotes and spaces (1:1), then deletions (runs of spaces, \r before \n, ...).
_QUOTES_AND_SPACES: dict[int, int] = {
    ord("「"): ord("“"),
    ord("」"): ord("”"),
    ord("『"): ord("‘"),
    ord("』"): ord("’"),
    ord("\t"): 0x20,
    0x00A0: 0x20,  # no-break space
    0x2007: 0x20,
    0x202F: 0x20,
    0x205F: 0x20,
    0x000B: 0x20,
    0x000C: 0x20,
    ord("\r"): ord("\n"),  # a lone CR is a line break; CR LF is handled by a deletion
}
for _c in range(0x2000, 0x200B):
    _QUOTES_AND_SPACES[_c] = 0x20
del _c


def _char_class(table: dict[int, int]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(chr(k)) for k in sorted(table)) + "]")


# str.translate with a dict is slow on CJK text; substitute only where needed.
_FULLWIDTH_RE = _char_class(_FULLWIDTH)
_QUOTES_AND_SPACES_RE = _char_class(_QUOTES_AND_SPACES)
_FULLWIDTH_STR = {chr(k): chr(v) for k, v in _FULLWIDTH.items()}
_QUOTES_AND_SPACES_STR = {chr(k): chr(v) for k, v in _QUOTES_AND_SPACES.items()}


def _translate(text: str, pattern: re.Pattern[str], table: dict[str, str]) -> str:
    """Length-preserving 1:1 character replacement (like str.translate, but fast)."""
    if pattern.search(text) is None:
        return text
    return pattern.sub(lambda m: table[m.group()], text)


_STRAIGHT_PAIR_RE = re.compile(r'"([^"\n]*)"')
_CR_BEFORE_LF_RE = re.compile(r"\r(?=\n)")
_ZERO_WIDTH_RE = re.compile(r"[\u200b\u2060\ufeff]")
_SPACE_RUN_RE = re.compile(r"(?<= ) +")

_Offsets = list[int] | None

# --------------------------------------------------------------------------- OpenCC

_CONVERTER: Any = None
_CONVERTER_LOCK = threading.Lock()


def _converter() -> Any:
    """The shared OpenCC ``tw2s`` converter (created on first use)."""
    global _CONVERTER
    if _CONVERTER is None:
        with _CONVERTER_LOCK:
            if _CONVERTER is None:
                import opencc

                _CONVERTER = opencc.OpenCC("tw2s")
    return _CONVERTER


# --------------------------------------------------------------------------- offset helpers


def _delete(text: str, offs: _Offsets, spans: list[tuple[int, int]]) -> tuple[str, _Offsets]:
    """Remove the given sorted, disjoint [start, end) spans from text and offsets."""
    if not spans:
        return text, offs
    pieces: list[str] = []
    new_offs: list[int] = []
    pos = 0
    for s, e in spans:
        pieces.append(text[pos:s])
        if offs is not None:
            new_offs.extend(offs[pos:s])
        pos = e
    pieces.append(text[pos:])
    if offs is not None:
        new_offs.extend(offs[pos:])  # includes the trailing end entry
    return "".join(pieces), (new_offs if offs is not None else None)


def _delete_matches(text: str, offs: _Offsets, pattern: re.Pattern[str]) -> tuple[str, _Offsets]:
    """Remove every match of pattern, keeping the offset map."""
    spans = [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
    return _delete(text, offs, spans)


def _align(src: str, dst: str) -> list[int]:
    """For each character of dst, the index in src it came from (monotone, < len(src))."""
    n, m = len(src), len(dst)
    if m == 0:
        return []
    if n == 0:
        return [0] * m
    # Trim the common prefix and suffix so difflib only sees the changed middle.
    p = 0
    lim = min(n, m)
    while p < lim and src[p] == dst[p]:
        p += 1
    q = 0
    while q < lim - p and src[n - 1 - q] == dst[m - 1 - q]:
        q += 1
    mapping = list(range(p))
    a, b = src[p : n - q], dst[p : m - q]
    if b:
        if not a:
            mapping.extend([min(p, n - 1)] * len(b))
        else:
            sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
            for tag, i1, i2, j1, j2 in sm.get_opcodes():
                if tag == "equal":
                    mapping.extend(range(p + i1, p + i2))
                elif tag == "replace":
                    span_i, span_j = i2 - i1, j2 - j1
                    mapping.extend(p + i1 + (k * span_i) // span_j for k in range(span_j))
                elif tag == "insert":
                    mapping.extend([min(p + i1, n - 1)] * (j2 - j1))
                # "delete": nothing in dst
    mapping.extend(range(n - q, n))
    return mapping


def _remap_lines(
    text: str, offs: _Offsets, fn: Callable[[str], str]
) -> tuple[str, _Offsets]:
    """Apply fn line by line; lines whose length changes are aligned with difflib."""
    lines = text.split("\n")
    out_lines = [fn(line) for line in lines]
    new_text = "\n".join(out_lines)
    if offs is None:
        return new_text, None
    mapping: list[int] = []
    start = 0
    for i, (src, dst) in enumerate(zip(lines, out_lines)):
        if len(src) == len(dst):
            mapping.extend(range(start, start + len(src)))
        else:
            mapping.extend(start + k for k in _align(src, dst))
        start += len(src)
        if i < len(lines) - 1:
            mapping.append(start)  # the "\n"
            start += 1
    last = len(text) - 1
    new_offs = [offs[min(k, last)] for k in mapping]
    new_offs.append(offs[-1])
    return new_text, new_offs


# --------------------------------------------------------------------------- steps


def _step_nfc(text: str, offs: _Offsets) -> tuple[str, _Offsets]:
    if "\u200b" in text or "\u2060" in text or "\ufeff" in text:
        text, offs = _delete_matches(text, offs, _ZERO_WIDTH_RE)  # invisible, never content
    if unicodedata.is_normalized("NFC", text):
        return text, offs
    nfc = unicodedata.normalize("NFC", text)
    if offs is None:
        return nfc, None
    if len(nfc) == len(text):
        return nfc, offs
    return _remap_lines(text, offs, lambda line: unicodedata.normalize("NFC", line))


def _step_pinyin(text: str, offs: _Offsets) -> tuple[str, _Offsets]:
    if ("(" not in text and "（" not in text) or not _HAS_TONE_RE.search(text):
        return text, offs
    return _delete_matches(text, offs, _PINYIN_RE)


def _step_simplify(text: str, offs: _Offsets) -> tuple[str, _Offsets]:
    cc = _converter()
    out: str = cc.convert(text)
    if out == text or len(out) == len(text):
        return _standard_chars(out), offs
    out, offs = _remap_lines(text, offs, cc.convert)
    return _standard_chars(out), offs


@functools.lru_cache(maxsize=1)
def _variant_chars() -> tuple[re.Pattern[str], dict[str, str]]:
    """Variant characters the converter leaves (``data/lexicon/variant_chars.tsv``) and their standard form."""
    from kg.resources import project_root

    table: dict[str, str] = {}
    path = project_root() / "data" / "lexicon" / "variant_chars.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            variant, standard = line.split("\t")[:2]
            table[variant] = standard
    return re.compile("[" + "".join(map(re.escape, table)) + "]"), table


def _standard_chars(text: str) -> str:
    """Text with the variant characters OpenCC leaves replaced, one for one (蘇陜 -> 苏陕)."""
    pattern, table = _variant_chars()
    return _translate(text, pattern, table)


def _step_fullwidth(text: str, offs: _Offsets) -> tuple[str, _Offsets]:
    return _translate(text, _FULLWIDTH_RE, _FULLWIDTH_STR), offs


def _step_quotes_spaces(text: str, offs: _Offsets) -> tuple[str, _Offsets]:
    if "\r" in text:
        text, offs = _delete_matches(text, offs, _CR_BEFORE_LF_RE)
    text = _translate(text, _QUOTES_AND_SPACES_RE, _QUOTES_AND_SPACES_STR)
    if '"' in text:
        text = _STRAIGHT_PAIR_RE.sub(r"“\1”", text)
    if "  " in text:
        text, offs = _delete_matches(text, offs, _SPACE_RUN_RE)
    return text, offs


# A full stop typed for a decimal point (68。57亿元): only between digits that a unit follows.
_DECIMAL_STOP_RE = re.compile(r"(?<=\d)。(?=\d+\s*(?:万|亿|元|%|亩|户|人))")


def _step_decimal_stops(text: str, offs: _Offsets) -> tuple[str, _Offsets]:
    if "。" not in text:
        return text, offs
    return _DECIMAL_STOP_RE.sub(".", text), offs


_STEPS = (_step_nfc, _step_pinyin, _step_simplify, _step_fullwidth, _step_decimal_stops, _step_quotes_spaces)


def _run(text: str, offs: _Offsets) -> tuple[str, _Offsets]:
    for step in _STEPS:
        text, offs = step(text, offs)
    return text, offs


# --------------------------------------------------------------------------- public API


def strip_pinyin(text: str) -> str:
    """Remove parenthesised pinyin readings inserted after CJK characters.

    >>> strip_pinyin("秦州區(qū)流域(湟水河)采用(PPP)模式（二期）關（guān）於")
    '秦州區流域(湟水河)采用(PPP)模式（二期）關於'
    """
    return _step_pinyin(text, None)[0]


def to_simplified(text: str) -> str:
    """Apply every normalisation step to a bare string (for comparing names).

    >>> to_simplified("臺灣　ＡＢＣ１２３，鄉(xiāng)村")
    '台湾 ABC123,乡村'
    >>> to_simplified("蘇陜協作")
    '苏陕协作'
    """
    return _run(text, None)[0]


def normalize(raw: RawReport) -> NormalizedReport:
    """Simplified-script text of a report plus a map from each character to the original.

    >>> raw = RawReport("r", "r.txt", "縣區(qū)「鄉村」", "0", "utf-8")
    >>> norm = normalize(raw)
    >>> norm.text, norm.offsets
    ('县区“乡村”', (0, 1, 6, 7, 8, 9, 10))
    >>> s, e = norm.original_span(1, 2)
    >>> raw.text[s:e]
    '區'
    """
    text, offs = _run(raw.text, list(range(len(raw.text) + 1)))
    assert offs is not None
    return NormalizedReport(raw=raw, text=text, offsets=tuple(offs))
