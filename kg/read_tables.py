"""Table rows of PDF and Word reports as sentences the extractors can read.

A fund allocation table (项目, 地点, 金额) row becomes one line, its cells labelled by
the header row when the table has one, ending in 。:

>>> rows = [["项目", "地点", "金额"], ["饮水安全工程", "和日镇司玛村", "230万元"]]
>>> table_lines(rows)
['项目，地点，金额。', '项目：饮水安全工程，地点：和日镇司玛村，金额：230万元。']
>>> table_lines([["合作社", "50万元"], ["", "合计"]])
['合作社，50万元。', '合计。']
"""

from __future__ import annotations

import re

__all__ = ["table_lines", "glue"]

_WORDISH_RE = re.compile(r"[A-Za-z0-9]")
_DIGITS_RE = re.compile(r"[0-9０-９]")


def glue(left: str, right: str) -> str:
    """Join two pieces of a line broken by width: a space only between two Latin words or numbers.

    >>> glue("乡村振兴", "补助资金"), glue("rural", "revitalisation")
    ('乡村振兴补助资金', 'rural revitalisation')
    """
    if left and right and _WORDISH_RE.match(left[-1]) and _WORDISH_RE.match(right[0]):
        return left + " " + right
    return left + right


def _flatten(cell: str | None) -> str:
    """A cell's text on one line (cells wrap inside their column)."""
    text = ""
    for piece in (cell or "").split("\n"):
        text = glue(text, piece.strip())
    return text


def _is_header(cells: list[str]) -> bool:
    """Short labels without digits in every cell: the row that names the columns."""
    return len(cells) > 1 and all(cells) and all(len(c) <= 12 and not _DIGITS_RE.search(c) for c in cells)


def _sentence(parts: list[str]) -> str:
    if not parts:
        return ""
    text = "，".join(parts)
    return text if text[-1] in "。！？.!?" else text + "。"


def table_lines(rows: list[list[str | None]]) -> list[str]:
    """One line per non-empty row; merged cells (repeated values side by side) count once."""
    flat = []
    for row in rows:
        cells: list[str] = []
        for c in row:
            c = _flatten(c)
            if not cells or c != cells[-1] or not c:
                cells.append(c)
        flat.append(cells)
    header = flat[0] if flat and _is_header(flat[0]) else None
    out = []
    for k, cells in enumerate(flat):
        if header is not None and k > 0 and len(cells) == len(header):
            parts = [f"{h}：{c}" if h != c else c for h, c in zip(header, cells) if c]
        else:
            parts = [c for c in cells if c]
        line = _sentence(parts)
        if line:
            out.append(line)
    return out
