"""Indicator series drawn as small server-rendered SVG charts, and the series' changes for /track.

A *series* is one subject's one indicator across reports, as :func:`kg.serve.data.indicator_series`
gives it: a dict with ``subject``, ``subject_label``, ``indicator``, ``indicator_label``, ``unit``
and ``points``, each point a dict with ``year`` (int), ``kind`` (``actual``, ``target`` or
``change``), ``value`` (decimal text in base units), ``unit``, ``report`` (its id), ``date``,
``href`` (where its evidence is read) and ``conflict`` (another report gives another value for
the same year and kind).

The SVG carries no script and no ``style`` attribute (the pages' CSP allows neither): only
presentation attributes. Every text from a report goes through :func:`html.escape`. Actual
values are joined by a solid line, targets are hollow points reached by a dashed line, changes
(增长40%, 比年初增加13.1亿元) are triangles on a band below the year labels, and a value that two
reports give differently for one year is drawn once per report and ringed in red. Each point
is a link to its evidence sentence.
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from kg.money import format_amount

__all__ = ["format_value", "nice_ticks", "series_svg", "series_changes", "UNIT_SUFFIX", "KIND_NAMES"]

#: base unit code (the IRI's last part, /unit/…) -> what follows a number in Chinese
UNIT_SUFFIX: dict[str, str] = {"yuan": "元", "household": "户", "person": "人", "mu": "亩", "percent": "%", "count": "个"}
KIND_NAMES: dict[str, str] = {"actual": "实际 actual", "target": "目标 target", "change": "变化 change"}

ACTUAL_COLOUR = "#0b6bcb"
TARGET_COLOUR = "#2e7d32"
CHANGE_COLOUR = "#8250df"
CONFLICT_COLOUR = "#d1242f"
FONT = "12"  # px: the smallest text drawn (readable at 1400×900)
LABELLED_YEARS = 8  # more years of figures than this: only the telling points carry their value


def _dec(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def _plain(d: Decimal) -> str:
    """A decimal without exponent or trailing zeros (``1.50`` -> ``1.5``, ``1E+3`` -> ``1000``)."""
    return f"{d.normalize():f}"


def format_value(value: Any, unit: str, short: bool = False, signed: bool = False) -> str:
    """A value in base units as analysts write it: 万/亿 for large numbers, then the unit.

    ``short`` leaves out the unit but %, which the chart writes once above its axis (35万, 1.5亿,
    1200); ``signed`` writes a ``+`` before a rise (changes).

    >>> format_value("350000", "yuan"), format_value("150000000", "yuan", short=True)
    ('35万元', '1.5亿')
    >>> format_value("1200", "household"), format_value("35000", "mu"), format_value("85", "percent")
    ('1200户', '3.5万亩', '85%')
    >>> format_value("1310000000", "yuan", signed=True), format_value("-12.5", "percent", signed=True)
    ('+13.1亿元', '-12.5%')
    >>> format_value("35000", "mu", short=True), format_value("40", "percent", short=True)
    ('3.5万', '40%')
    """
    d = _dec(value)
    sign = "+" if signed and d > 0 else ""
    if unit == "yuan":
        text = format_amount(d)
        if short and text.endswith("元"):
            text = text[:-1]
        return sign + text
    suffix = "" if short else UNIT_SUFFIX.get(unit, "")
    if unit == "percent":
        return f"{sign}{_plain(d.quantize(Decimal('0.01')))}%"
    for word, size in (("亿", Decimal(10) ** 8), ("万", Decimal(10) ** 4)):
        if abs(d) >= size:
            return f"{sign}{_plain((d / size).quantize(Decimal('0.01')))}{word}{suffix}"
    return f"{sign}{_plain(d)}{suffix}"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``low``..``high`` (steps of 1, 2 or 5 × 10ⁿ).

    >>> nice_ticks(0, 820000)
    [0.0, 200000.0, 400000.0, 600000.0, 800000.0, 1000000.0]
    >>> nice_ticks(40, 85)
    [40.0, 50.0, 60.0, 70.0, 80.0, 90.0]
    >>> nice_ticks(5, 5)
    [4.0, 5.0, 6.0]
    """
    if high < low:
        low, high = high, low
    if high == low:
        step = 10 ** math.floor(math.log10(abs(high))) if high else 1.0
        return [float(high - step), float(high), float(high + step)]
    raw = (high - low) / max(1, count)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks, t = [], start
    while t < high + step * 0.999:
        ticks.append(float(round(t, 10)))
        if ticks[-1] >= high:
            break
        t += step
    return ticks


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _tip(point: dict[str, Any], unit: str) -> str:
    words = [f"{point['year']}", KIND_NAMES.get(point["kind"], point["kind"]),
             format_value(point["value"], point.get("unit") or unit, signed=point["kind"] == "change")]
    source = point.get("report") or ""
    if point.get("date"):
        source += f" ({point['date']})"
    text = " · ".join(words) + (f" — {source}" if source else "")
    if point.get("wording"):
        text += f" «{point['wording']}»"
    if point.get("conflict"):
        text += " ⚠ 报告之间数值不一致 reports disagree on this year"
    return text


def _representative(points: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """One point per year: the latest report's (by date, then report id)."""
    by_year: dict[int, dict[str, Any]] = {}
    for p in sorted(points, key=lambda p: (p["year"], p.get("date") or "", p.get("report") or "")):
        by_year[p["year"]] = p
    return by_year


def _dip(line: dict[int, dict[str, Any]], year: int) -> bool:
    """Whether the line's figure of ``year`` is lower than both its neighbours' (a dip)."""
    years = sorted(line)
    i = years.index(year) if year in years else -1
    if i <= 0 or i == len(years) - 1:
        return False
    value = _dec(line[year]["value"])
    return value < _dec(line[years[i - 1]]["value"]) and value < _dec(line[years[i + 1]]["value"])


def series_svg(series: dict[str, Any], width: int = 540, height: int = 270) -> str:
    """One indicator series as an inline SVG chart (x = year, y = value in its unit).

    >>> s = {"subject_label": "甲村", "indicator_label": "村集体经济收入", "unit": "yuan", "points": [
    ...   {"year": 2021, "kind": "actual", "value": "350000", "report": "r1", "href": "/report?iri=a#s-1"},
    ...   {"year": 2023, "kind": "actual", "value": "820000", "report": "r2", "href": "/report?iri=b#s-9"},
    ...   {"year": 2025, "kind": "target", "value": "1000000", "report": "r2", "href": "/report?iri=b#s-30"}]}
    >>> svg = series_svg(s)
    >>> svg.count("<a ") == 3 and 'stroke-dasharray="6 4"' in svg and ">82万<" in svg
    True
    """
    unit = series.get("unit") or ""
    points = [p for p in series.get("points", []) if p.get("year") is not None]
    levels = [p for p in points if p["kind"] in ("actual", "target") and (p.get("unit") or unit) == unit]
    changes = [p for p in points if p["kind"] == "change"]  # a level in another unit is left to the table
    label = f"{series.get('subject_label', '')} {series.get('indicator_label', '')}".strip()
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="series-chart" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{_esc(label)}" '
            f'font-family="sans-serif" font-size="{FONT}">')
    if not points:
        return head + '<text x="10" y="30" fill="#66707a">没有数据 No figures.</text></svg>'

    left, right, top = 64, 24, 22
    bottom = 28 + (26 if changes else 0)  # year labels, then a band for the changes
    plot_w, plot_h = width - left - right, height - top - bottom

    years = [p["year"] for p in points]
    y0, y1 = min(years), max(years)
    if y0 == y1:
        y0, y1 = y0 - 1, y1 + 1
    x_of = lambda year: left + 22 + (year - y0) / (y1 - y0) * (plot_w - 44)  # noqa: E731

    values = [float(_dec(p["value"])) for p in levels] or [0.0]
    low, high = min(0.0, min(values)), max(0.0, max(values))
    ticks = nice_ticks(low, high) if high > low else nice_ticks(low, low)
    v0, v1 = ticks[0], ticks[-1]
    y_of = lambda v: top + plot_h - (v - v0) / (v1 - v0) * plot_h  # noqa: E731

    out = [head]
    # grid, value ticks (left) and year ticks (bottom)
    for t in ticks:
        y = y_of(t)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e6eaef"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#57606a">'
                   f"{_esc(format_value(Decimal(str(t)), unit, short=True))}</text>")
    axis_y = top + plot_h
    out.append(f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="#8c959f"/>')
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{axis_y}" stroke="#8c959f"/>')
    step = max(1, math.ceil((y1 - y0 + 1) / 10))
    for year in range(y0, y1 + 1, step):
        x = x_of(year)
        out.append(f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{axis_y + 4}" stroke="#8c959f"/>')
        out.append(f'<text x="{x:.1f}" y="{axis_y + 17}" text-anchor="middle" fill="#57606a">{year}</text>')
    out.append(f'<text x="{left}" y="{top - 8}" fill="#57606a">{_esc(UNIT_SUFFIX.get(unit, unit))}</text>')

    actual = [p for p in levels if p["kind"] == "actual"]
    target = [p for p in levels if p["kind"] == "target"]
    line = _representative(actual)
    path = [(x_of(y), y_of(float(_dec(p["value"])))) for y, p in sorted(line.items())]
    if len(path) > 1:
        d = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(path))
        out.append(f'<path class="actual-line" d="{d}" fill="none" stroke="{ACTUAL_COLOUR}" stroke-width="2.5"/>')
    for p in sorted(target, key=lambda p: p["year"]):
        base = [q for yr, q in sorted(line.items()) if yr <= p["year"]] or list(line.values())[:1]
        if base:
            q = base[-1]
            out.append(f'<line class="target-line" x1="{x_of(q["year"]):.1f}" y1="{y_of(float(_dec(q["value"]))):.1f}" '
                       f'x2="{x_of(p["year"]):.1f}" y2="{y_of(float(_dec(p["value"]))):.1f}" stroke="{TARGET_COLOUR}" '
                       'stroke-width="2" stroke-dasharray="6 4"/>')

    # points, each linked; the figures of a year the reports disagree on stand side by side (12 px
    # apart), the largest labelled above, the smallest below (any between by their tooltip only); a
    # figure lower than both its neighbours is labelled below, off the line. Past LABELLED_YEARS years of figures
    # only the first, last, lowest and highest, the targets and the disputed ones carry their value
    # (the others in their tooltip), so that labels do not run into each other.
    groups: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for p in levels:
        groups[(p["year"], p["kind"])].append(p)
    labelled = {id(p) for p in levels}
    if len({p["year"] for p in levels}) > LABELLED_YEARS:
        ranked = sorted(actual, key=lambda p: (_dec(p["value"]), p["year"]))
        by_year = sorted(actual, key=lambda p: p["year"])
        keep = [*ranked[:1], *ranked[-1:], *by_year[:1], *by_year[-1:]]
        labelled = {id(p) for p in keep} | {id(p) for p in levels if p["kind"] == "target" or p.get("conflict")}
    for (year, kind), group in sorted(groups.items()):
        group.sort(key=lambda p: (-_dec(p["value"]), p.get("date") or "", p.get("report") or ""))
        for nth, p in enumerate(group):
            x = x_of(year) + (nth - (len(group) - 1) / 2) * 12
            y = y_of(float(_dec(p["value"])))
            colour = TARGET_COLOUR if kind == "target" else ACTUAL_COLOUR
            fill = "#ffffff" if kind == "target" else colour
            mark = [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{fill}" stroke="{colour}" stroke-width="2"/>']
            conflict = bool(p.get("conflict"))
            if conflict:
                mark.append(f'<circle class="conflict" cx="{x:.1f}" cy="{y:.1f}" r="8" fill="none" '
                            f'stroke="{CONFLICT_COLOUR}" stroke-width="2"/>')
            text = format_value(p["value"], unit, short=True) + ("⚠" if conflict else "")
            if 0 < nth < len(group) - 1:
                labelled.discard(id(p))
            below = nth == len(group) - 1 > 0 or (len(group) == 1 and kind == "actual" and _dip(line, year))
            ty = y + 24 if below else y - 12
            anchor = "end" if x > width - right - 24 else "start" if x < left + 24 else "middle"
            if id(p) in labelled:
                mark.append(f'<text x="{x:.1f}" y="{ty:.1f}" text-anchor="{anchor}" '
                            f'fill="{CONFLICT_COLOUR if conflict else colour}" font-weight="600">{_esc(text)}</text>')
            out.append(f'<a class="point {_esc(kind)}{" conflict" if conflict else ""}" '
                       f'href="{_esc(p.get("href") or "#")}"><title>{_esc(_tip(p, unit))}</title>{"".join(mark)}</a>')

    # changes: triangles on their own band below the year labels, the signed figure beside
    if changes:
        band_y = axis_y + 42
        for i, p in enumerate(sorted(changes, key=lambda p: (p["year"], p.get("report") or ""))):
            x = x_of(p["year"]) + (i % 2) * 4
            down = _dec(p["value"]) < 0
            tri = (f"{x - 5:.1f},{band_y - 8} {x + 5:.1f},{band_y - 8} {x:.1f},{band_y}" if down
                   else f"{x - 5:.1f},{band_y} {x + 5:.1f},{band_y} {x:.1f},{band_y - 8}")
            text = format_value(p["value"], p.get("unit") or unit, short=False, signed=True)
            anchor, dx = ("start", 8) if x < width - 120 else ("end", -8)
            out.append(f'<a class="point change" href="{_esc(p.get("href") or "#")}"><title>{_esc(_tip(p, unit))}</title>'
                       f'<polygon points="{tri}" fill="{CHANGE_COLOUR}"/>'
                       f'<text x="{x + dx:.1f}" y="{band_y:.1f}" text-anchor="{anchor}" fill="{CHANGE_COLOUR}">'
                       f"{_esc(text)}</text></a>")
    out.append("</svg>")
    return "".join(out)


def series_changes(series: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each series with actual values in two or more years: first and last value, the change.

    The value of a year two reports disagree on is the latest report's. Sorted by the size of
    the relative change, largest first (a fall counts as much as a rise); series starting at 0
    (no relative change) come last.

    >>> rows = series_changes([{"subject": "s", "subject_label": "甲村", "indicator": "collective_income",
    ...   "indicator_label": "村集体经济收入", "unit": "yuan", "points": [
    ...   {"year": 2021, "kind": "actual", "value": "350000", "report": "r1", "date": "2021-06-01"},
    ...   {"year": 2023, "kind": "actual", "value": "820000", "report": "r2", "date": "2023-05-01"},
    ...   {"year": 2025, "kind": "target", "value": "1000000", "report": "r2", "date": "2023-05-01"}]}])
    >>> [(r["first_year"], r["last_year"], r["first_text"], r["last_text"], r["change_text"], r["relative_text"],
    ...   r["reports"]) for r in rows]
    [(2021, 2023, '35万元', '82万元', '+47万元', '+134.3%', 2)]
    """
    rows = []
    for s in series:
        unit = s.get("unit") or ""
        actual = [p for p in s.get("points", []) if p["kind"] == "actual" and (p.get("unit") or unit) == unit
                  and p.get("year") is not None]
        by_year = _representative(actual)
        if len(by_year) < 2:
            continue
        first, last = by_year[min(by_year)], by_year[max(by_year)]
        a, b = _dec(first["value"]), _dec(last["value"])
        change = b - a
        relative = (change / abs(a)) if a != 0 else None
        reports = {p.get("report") for p in s.get("points", []) if p.get("report")}
        rows.append({
            "subject": s["subject"], "subject_label": s.get("subject_label") or s["subject"],
            "indicator": s["indicator"], "indicator_label": s.get("indicator_label") or s["indicator"], "unit": unit,
            "first_year": first["year"], "last_year": last["year"], "first": str(a), "last": str(b),
            "first_text": format_value(a, unit), "last_text": format_value(b, unit),
            "change": str(change),
            # a share's change is in percentage points (40% -> 85%: +45个百分点), not per cent
            "change_text": f"{format_value(change, unit, short=True, signed=True)[:-1]}个百分点" if unit == "percent"
            else format_value(change, unit, signed=True),
            "relative": None if relative is None else float(relative),
            "relative_text": "—" if relative is None else f"{'+' if relative > 0 else ''}{float(relative) * 100:.1f}%",
            "years": len(by_year), "reports": len(reports),
            "conflict": any(p.get("conflict") for p in s.get("points", [])),
            "first_href": first.get("href"), "last_href": last.get("href"),
        })
    rows.sort(key=lambda r: (r["relative"] is None, -abs(r["relative"] or 0.0), r["subject_label"], r["indicator"]))
    return rows
