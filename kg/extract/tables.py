"""Allocation tables written out as text: the rows of a table whose money column declares its unit.

A notice that allocates money often ends with its table (安排表, 分配表, 计划表): a caption, a unit (单位:万元, or a
header cell such as 项目资金(元)), the header cells and one row per receiver. Stored pages give such a table as text,
either one row per line with cells between bars (睢县 | 421 |) or one cell per line, each row opening with its
number (序号). The amounts carry no 元 of their own, so the money reader passes them by; this module reads them.

>>> rows = table_rows("分配表\\n单位:万元\\n序号\\n村名\\n资金金额\\n1\\n甲村\\n20\\n2\\n乙村\\n35.5\\n")
>>> [(str(r.amount), r.recipient) for r in rows]
[('200000', '甲村'), ('355000', '乙村')]
>>> rows[0].caption
'分配表资金金额'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

#: Yuan in one of each unit a table declares.
UNIT_FACTOR = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}

# A unit declared for the whole table (单位:万元).
_UNIT_LINE = re.compile(r"^单位[:：]\s*(亿元|万元|元)$")
# A header cell that names money and its unit (提前下达金额 (万元), 项目资金(元), 省级资金(万元)).
_UNIT_IN_HEADER = re.compile(r"[(（]\s*(亿元|万元|元)\s*[)）]$")
_MONEY_HEADER = re.compile(r"金额|资金|经费|补助|奖补|投资|下达|安排")
# A row that sums other rows (小计, 合计, 16个项目合计): a total, a funding of its own (FORMAT.md: a total and its
# itemised parts are all fundings), with no receiver.
_SUBTOTAL = re.compile(r"^(?:[\d一二三四五六七八九十]+个(?:项目|村|乡镇)?)?(?:小\s*计|合\s*计|总\s*计|共\s*计)")
# A header cell naming where each row's money comes from (资金来源: 中央, 中央、自治区).
_SOURCE_HEADER = re.compile(r"^(?:资金)?来源$")
# A cell that is a number, perhaps with a note in brackets (10(其中,灾情因素6万元)).
_NUMBER = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*[(（][^()（）]*[)）])?$")
# A table's cells: between bars or line ends.
_CELL = re.compile(r"[^|\n]+")
# A table's title or the annex line above it (资金汇总表, 附件2), never a header cell.
_CAPTION_CELL = re.compile(r"表$|^附件")
#: How many lines before the header may hold the table's caption.
_CAPTION_LINES = 3
#: Header cells a table has at most (more is prose, not a header).
_MAX_HEADER = 12


@dataclass(frozen=True)
class TableRow:
    """One receiver's line of an allocation table: its sum in yuan, receiver, span and the table's caption."""

    amount: Decimal
    recipient: str | None
    start: int
    end: int
    #: the caption and the money column's header (北塔区2020年第一批中央财政专项扶贫资金安排表)
    caption: str
    #: the row's cell under a header of where money comes from (资金来源: 中央, 中央、自治区), if the table has one
    source: str | None = None
    #: a row that sums others (合计, 小计)
    total: bool = False
    #: the money column's own header (省级资金(万元)), which may say whose money its figures are
    money_header: str = ""


@dataclass(frozen=True)
class _Cell:
    text: str
    start: int
    end: int
    line: int


def _cells(text: str) -> list[_Cell]:
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    out: list[_Cell] = []
    line = 0
    for m in _CELL.finditer(text):
        while line + 1 < len(line_starts) and line_starts[line + 1] <= m.start():
            line += 1
        stripped = m.group(0).strip()
        if stripped:
            lead = len(m.group(0)) - len(m.group(0).lstrip())
            out.append(_Cell(stripped, m.start() + lead, m.start() + lead + len(stripped), line))
    return out


def _number(cell: _Cell) -> Decimal | None:
    return _number_text(cell.text)


@lru_cache(maxsize=4)
def table_rows(text: str) -> tuple[TableRow, ...]:
    """Every row of every allocation table in ``text`` whose unit is declared or settled by the prose, with its sum in
    yuan (read once per text: the regions and the fundings of a report both ask)."""
    declared = _declared_tables(text)
    return declared + _bar_line_tables(text, declared)


def _declared_tables(text: str) -> tuple[TableRow, ...]:
    """The rows of the tables whose unit is declared (单位:万元, or a money header's (万元))."""
    if "单位" not in text and "元)" not in text and "元）" not in text:
        return ()  # no table declares a unit: most reports
    cells = _cells(text)
    rows: list[TableRow] = []
    i = 0
    while i < len(cells):
        found = _header(cells, i)
        if found is None:
            i += 1
            continue
        first, money, unit, body = found
        caption = _caption(text, cells, first) + cells[money].text
        table, i = _rows(cells, first, money, body)
        header = [c.text for c in cells[first:body]]
        source = next((k for k, h in enumerate(header) if _SOURCE_HEADER.match(h)), None)
        for row, value in table:
            total = bool(_SUBTOTAL.match(row[0].text))
            where = row[source].text if source is not None and len(row) == len(header) else None
            recipient = None if total else next((c.text for c in row if _number(c) is None and len(c.text) <= 30
                                                 and c.text != where), None)
            amount = value * UNIT_FACTOR[unit]
            amount = amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount
            rows.append(TableRow(amount, recipient, row[0].start, row[-1].end, caption, where, total, cells[money].text))
        i = max(i, body)
    return tuple(rows)


# A table cell written on a line of its own and closed by a bar (皮山县 |, 230 |, and | alone for an empty cell).
_BAR_LINE = re.compile(r"[ \t]*([^|\n]{0,30}?)[ \t]*\|[ \t]*$", re.M)
#: Fewest bar lines that make a table (a header and two rows of three cells).
_BAR_TABLE_LINES = 9


def _bar_line_tables(text: str, declared: tuple[TableRow, ...]) -> tuple[TableRow, ...]:
    """The rows of tables written one cell a line, each closed by a bar, empty cells kept (地县 | 资金合计 | … then
    皮山县 | 230 | | 230 |), whose unit no line declares: the prose settles it where the table's total or a row is a sum
    it writes with its unit (以上合计1997万元, and the table's 合计 | 1997).

    >>> text = "分配情况\\n以上合计300万元。\\n县 |\\n资金合计 |\\n备注 |\\n甲县 |\\n100 |\\n|\\n乙县 |\\n200 |\\n|\\n合计 |\\n300 |\\n|\\n"
    >>> [(str(r.amount), r.recipient, r.total) for r in table_rows(text)]
    [('1000000', '甲县', False), ('2000000', '乙县', False), ('3000000', None, True)]
    """
    if "|" not in text:
        return ()
    from kg.money import find_amounts  # (money reads sums in prose; tables are read here)

    lines = [(m.group(1), m.start(), m.end()) for m in _BAR_LINE.finditer(text)]
    runs: list[list[tuple[str, int, int]]] = []
    for cell in lines:
        if runs and text.count("\n", runs[-1][-1][2], cell[1]) <= 1:
            runs[-1].append(cell)
        else:
            runs.append([cell])
    sums = [a.amount for a in find_amounts(text)]
    out: list[TableRow] = []
    for run in runs:
        if len(run) < _BAR_TABLE_LINES or any(r.start < run[-1][2] and run[0][1] < r.end for r in declared):
            continue
        first_number = next((k for k, (c, _, _) in enumerate(run) if _NUMBER.match(c)), None)
        if first_number is None or first_number < 3:
            continue
        header = [c for c, _, _ in run[: first_number - 1]]
        width = len(header)
        money = next((k for k, h in enumerate(header) if k and _MONEY_HEADER.search(h)), None)
        if money is None or not all(header) or any(_NUMBER.match(h) for h in header):
            continue
        rows = [run[k : k + width] for k in range(width, len(run) - width + 1, width)]
        # Columns of a source's share after the sum (中央资金 | 省级资金): each share is a funding of that source's.
        shares = [k for k in range(money + 1, width) if _MONEY_HEADER.search(header[k])]
        values = [(row, cells) for row in rows if row[0][0] and (cells := _money_cells(row, money, shares))]
        unit = next((u for u, f in (("万元", Decimal(10000)), ("元", Decimal(1)))
                     if any(abs(v * f - s) <= s * Decimal("0.005") for _, cells in values for _, v in cells for s in sums
                            if v * f >= 1000)), None)
        if unit is None:
            continue  # no sum of the prose settles the unit: the figures may be anything
        caption = _caption_before(text, run[0][1])
        for row, cells in values:
            total = bool(_SUBTOTAL.match(row[0][0]))
            # (a total beside its shares comes from all their sources: the shares' headers are its source cell)
            sources = "、".join(header[k] for k, _ in cells if k != money) or None
            for k, v in cells:
                amount = v * UNIT_FACTOR[unit]
                amount = amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount
                out.append(TableRow(amount, None if total else row[0][0], row[0][1], row[-1][2], caption + header[k],
                                    sources if k == money else None, total, header[k]))
    return tuple(out)


def _money_cells(row: list[tuple[str, int, int]], money: int, shares: list[int]) -> list[tuple[int, Decimal]]:
    """(column, figure) of a row's sums: its total, and each source's share that differs from it; a total that one share
    makes up alone is that share's (武陟 | 1237.1 | | 1237.1: the province's), and a share with no total is the row's."""
    total = _number_text(row[money][0])
    parts = [(k, v) for k in shares if (v := _number_text(row[k][0])) is not None]
    if total is None:
        return parts[:1] if len(parts) == 1 else []
    if len(parts) == 1 and parts[0][1] == total:
        return parts
    return [(money, total), *((k, v) for k, v in parts if v != total)]


def _number_text(cell: str) -> Decimal | None:
    m = _NUMBER.match(cell)
    return Decimal(m.group(1).replace(",", "") + (m.group(2) or "")) if m else None


def _header(cells: list[_Cell], i: int) -> tuple[int, int, str, int] | None:
    """(first header cell, money cell, unit, first body cell) of a table declared at cell ``i``, or None."""
    cell = cells[i]
    declared = _UNIT_LINE.match(cell.text)
    in_header = _UNIT_IN_HEADER.search(cell.text) if _MONEY_HEADER.search(cell.text) else None
    if declared:
        first = i + 1  # 单位:万元, then the header cells, then row 1
        body = next((j for j in range(first, min(len(cells), first + _MAX_HEADER + 1)) if _number(cells[j]) is not None), None)
        if body is None or body - first < 2:
            return None
        money = max((j for j in range(first, body) if _MONEY_HEADER.search(cells[j].text)), default=None)
        return (first, money, declared.group(1), body) if money is not None else None
    if in_header is None:
        return None
    same_line = [j for j in range(max(0, i - _MAX_HEADER), min(len(cells), i + _MAX_HEADER)) if cells[j].line == cell.line]
    if len(same_line) >= 2:  # bars: the header is its line, each row the next lines
        return same_line[0], i, in_header.group(1), same_line[-1] + 1
    first = i  # one cell per line: the header runs back to 序号 and on to row 1
    while first > 0 and i - first < _MAX_HEADER and cells[first - 1].text != "序号" and _number(cells[first - 1]) is None \
            and len(cells[first - 1].text) <= 15 and not _CAPTION_CELL.search(cells[first - 1].text):
        first -= 1
    if first > 0 and cells[first - 1].text == "序号":
        first -= 1
    body = next((j for j in range(i + 1, min(len(cells), i + _MAX_HEADER + 1)) if _number(cells[j]) is not None), None)
    if body is not None and _SUBTOTAL.match(cells[body - 1].text):
        body -= 1  # the table's total before row 1 (16个项目合计 | 7040.49): no header cell
    elif body is not None and body - 1 > i and cells[first].text != "序号" and len(cells[body - 1].text) <= 30:
        body -= 1  # no 序号: each row opens with its label (甲区 | 2000.50 | 40.00), not a header cell
    return (first, i, in_header.group(1), body) if body is not None else None


def _rows(cells: list[_Cell], first: int, money: int, body: int) -> tuple[list[tuple[list[_Cell], Decimal]], int]:
    """The rows of a table and their sums; and the cell after the table."""
    header = cells[first:body]
    column = money - first
    out: list[tuple[list[_Cell], Decimal]] = []
    bars = cells[money].line == cells[body - 1].line and len({c.line for c in header}) == 1
    if bars:
        j = body
        while j < len(cells):
            line = [c for c in cells[j:j + 4 * len(header)] if c.line == cells[j].line]
            if len(line) < 2 or not any(_number(c) is not None for c in line[1:]):
                break
            j += len(line)
            value = _total_at(line, 0) if len(line) == 2 else None
            value = value if value is not None else _row_value(line, column, len(header))
            if value is not None:
                out.append((line, value))
        return out, j
    if _number(cells[body]) is None and header[0].text != "序号":
        return _label_rows(cells, body, column, len(header))
    # One cell per line: each row opens with its number (1, 2, 3 …), a total is its label and its sum.
    j, index = body, 1
    while (total := _total_at(cells, j)) is not None:
        out.append((cells[j : j + 2], total))
        j += 2
    while j < len(cells) and _number(cells[j]) == index:
        full = j + len(header)  # a row as wide as the header, followed by the next row or a sum
        if full <= len(cells) and not any(_SUBTOTAL.match(c.text) for c in cells[j:full]) and (
                full == len(cells) or _number(cells[full]) == index + 1 or _SUBTOTAL.match(cells[full].text)):
            end = full  # (its sum may be the next row's number: 15 | 望城坡村 | … | 16, then 16 | …)
        else:
            end = j + 1
            limit = min(len(cells), j + len(header) + 3)
            while end < limit and _number(cells[end]) != index + 1 and not _SUBTOTAL.match(cells[end].text):
                end += 1
            if end == limit and end < len(cells) and _number(cells[end]) != index + 1:
                end = min(end, j + len(header))  # the last row: as many cells as the header
        row = cells[j:end]
        value = _row_value(row, column, len(header))
        if value is not None:
            out.append((row, value))
        while end + 1 < len(cells) and _number(cells[end]) != index + 1 and _SUBTOTAL.match(cells[end].text):
            total = _total_at(cells, end)
            if total is not None:
                out.append((cells[end : end + 2], total))  # 小计 and its sum
            end += 2
        j, index = end, index + 1
    return out, j


def _label_rows(cells: list[_Cell], j: int, column: int, width: int) -> tuple[list[tuple[list[_Cell], Decimal]], int]:
    """Rows of one cell per line with no 序号: as wide as the header, a label then numbers (甲区 | 2000.50 | 40.00),
    up to the first cell that breaks the pattern; and the cell after them."""
    out: list[tuple[list[_Cell], Decimal]] = []
    while j + width <= len(cells):
        row = cells[j : j + width]
        if _number(row[0]) is not None or len(row[0].text) > 30 or any(_number(c) is None for c in row[1:]):
            break
        value = _row_value(row, column, width)
        if value is not None:
            out.append((row, value))
        j += width
    return out, j


def _total_at(cells: list[_Cell], j: int) -> Decimal | None:
    """The sum of a total (合计, 小计) whose label is cell ``j`` and its sum the next cell, else None."""
    if j + 1 < len(cells) and _SUBTOTAL.match(cells[j].text):
        return _number(cells[j + 1])
    return None


def _row_value(row: list[_Cell], column: int, width: int) -> Decimal | None:
    """The sum of a row: the money column's cell where the row is as wide as the header, else its one number."""
    if len(row) == width and column < width:
        value = _number(row[column])
        if value is not None:
            return value
    numbers = [v for v in (_number(c) for c in row[1:]) if v is not None]
    return numbers[0] if len(numbers) == 1 else None


def _caption(text: str, cells: list[_Cell], first: int) -> str:
    """The lines right before a table's header (its title), without the unit line."""
    return _caption_before(text, cells[first].start) if first else ""


def _caption_before(text: str, end: int) -> str:
    """The lines right before ``end`` (a table's header): its title, without the unit line."""
    lines = [ln.strip(" |") for ln in text[max(0, end - 200) : end].split("\n")]
    lines = [ln for ln in lines if ln and not _UNIT_LINE.match(ln) and ln != "序号"]
    return "".join(lines[-_CAPTION_LINES:])
