"""Indicator series on entity pages (SVG charts) and the /track page (issue 16, pages).

The SVG builder is tested on its own (escaping of hostile report text, solid actual line,
dashed targets, a link per point, conflicts ringed); the pages run on a store ingested from
two small reports about one county written here: the first (2021) gives the collective
income of 2021, the second (2023) that of 2023, a rise over the year before, a target for
2025 and a different figure for 2021 (a conflict between the reports).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from kg.serve.charts import format_value, series_changes, series_svg

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:Using .httpx. with .starlette.testclient.")]

EVIL = '<script>alert(1)</script>"\'&<img src=x onerror=alert(2)>'

FIRST = "湟中区发展壮大村集体经济工作情况\n2021年,湟中区村集体经济收入达到35万元,带动就业1200人。\n"
SECOND = ("湟中区村集体经济发展报告\n"
          "2023年,湟中区村集体经济收入增至82万元,比上年增加了20万元,带动就业1500人,计划到2025年突破100万元。\n"
          "2021年湟中区村集体经济收入为36万元。\n")


def _series(points: list[dict], unit: str = "yuan", **extra) -> dict:
    return {"subject": "urn:x", "subject_label": "甲村", "indicator": "collective_income",
            "indicator_label": "村集体经济收入", "unit": unit, "points": points, **extra}


def _point(year: int, kind: str, value: str, report: str = "r1", href: str = "/report?iri=r1#s-0", **extra) -> dict:
    return {"year": year, "kind": kind, "value": value, "unit": extra.pop("unit", "yuan"), "report": report,
            "date": extra.pop("date", None), "href": href, "conflict": extra.pop("conflict", False), **extra}


# --------------------------------------------------------------------------- the SVG builder


def test_hostile_text_in_a_chart_is_escaped() -> None:
    s = _series([_point(2021, "actual", "350000", report=EVIL, wording=EVIL, href=f"/report?iri={EVIL}#s-1"),
                 _point(2023, "actual", "820000", report="r2")], subject_label=EVIL, indicator_label=EVIL)
    svg = series_svg(s)
    for raw in ("<script", "<img", "onerror=alert(2)>", "\"'&<"):
        assert raw not in svg
    assert html.escape(EVIL, quote=True) in svg  # shown as text: in the tooltip and the aria label
    assert "style=" not in svg  # the pages' CSP allows no inline style
    assert svg.startswith("<svg ") and svg.endswith("</svg>") and svg.count("<svg") == 1


def test_actual_line_is_solid_targets_dashed_and_every_point_a_link() -> None:
    points = [_point(2021, "actual", "350000", href="/report?iri=a&x=1#s-10"),
              _point(2023, "actual", "820000", href="/report?iri=b#s-20"),
              _point(2025, "target", "1000000", href="/report?iri=b#s-40")]
    svg = series_svg(_series(points))
    actual_line = re.search(r'<path class="actual-line"[^>]*>', svg).group(0)
    assert "stroke-dasharray" not in actual_line
    target_line = re.search(r'<line class="target-line"[^>]*>', svg).group(0)
    assert 'stroke-dasharray="6 4"' in target_line
    links = re.findall(r'<a class="point ([a-z ]+)" href="([^"]*)">', svg)
    assert [(k, html.unescape(h)) for k, h in links] == [("actual", p["href"]) if p["kind"] == "actual" else
                                                          ("target", p["href"]) for p in points]
    # the target is hollow, the actual points filled; values written as analysts write them
    assert re.search(r'<circle cx="[\d.]+" cy="[\d.]+" r="5" fill="#ffffff"', svg)
    assert ">35万<" in svg and ">82万<" in svg and ">100万<" in svg
    # no target: nothing dashed
    assert "stroke-dasharray" not in series_svg(_series(points[:2]))


def test_conflicting_values_are_both_drawn_and_ringed_and_changes_marked() -> None:
    points = [_point(2021, "actual", "350000", report="first", date="2021-06-01", conflict=True),
              _point(2021, "actual", "360000", report="second", date="2023-05-01", conflict=True),
              _point(2023, "actual", "820000", report="second"),
              _point(2023, "change", "200000", report="second")]
    svg = series_svg(_series(points))
    assert svg.count('<circle class="conflict"') == 2
    assert svg.count('<a class="point actual conflict"') == 2
    assert ">35万⚠<" in svg and ">36万⚠<" in svg
    assert svg.count("<polygon") == 1 and ">+20万元<" in svg  # the change: a triangle, signed
    # the line goes through the later report's figure of 2021 (36万), not both
    path = re.search(r'<path class="actual-line" d="([^"]+)"', svg).group(1)
    assert path.count("L") == 1


def test_a_long_series_labels_only_its_telling_points() -> None:
    values = [5, 7, 6, 9, 3, 8, 10, 12, 11, 14, 13, 15]  # 2012-2023, low 3 in 2016, high 15 in 2023
    points = [_point(2012 + i, "actual", str(v * 10000)) for i, v in enumerate(values)]
    points.append(_point(2025, "target", "200000"))
    svg = series_svg(_series(points))
    assert svg.count("<a class=\"point") == 13  # every point still drawn and linked
    labels = re.findall(r'font-weight="600">([^<]+)</text>', svg)
    assert sorted(labels) == sorted(["5万", "3万", "15万", "20万"])  # first, lowest, last = highest, target


def test_an_empty_series_says_so() -> None:
    assert "No figures" in series_svg(_series([]))


def test_values_in_their_units() -> None:
    assert format_value("350000", "yuan") == "35万元"
    assert format_value("150000000", "yuan", short=True) == "1.5亿"
    assert format_value("1200", "household") == "1200户"
    assert format_value("85", "percent") == "85%"
    assert format_value("-200000", "yuan", signed=True) == "-20万元"


def test_changes_use_the_later_report_for_a_disputed_year_and_sort_by_relative_size() -> None:
    rise = _series([_point(2021, "actual", "350000", report="first", date="2021-06-01", conflict=True),
                    _point(2021, "actual", "360000", report="second", date="2023-05-01", conflict=True),
                    _point(2023, "actual", "820000", report="second", date="2023-05-01"),
                    _point(2025, "target", "1000000", report="second", date="2023-05-01")])
    fall = _series([_point(2019, "actual", "1000", unit="household"), _point(2020, "actual", "100", unit="household")],
                   unit="household", subject="urn:y", subject_label="乙村", indicator="households")
    single = _series([_point(2020, "actual", "5"), _point(2030, "target", "9")], subject="urn:z")
    rows = series_changes([rise, single, fall])
    # +127.8 % before -90 %: a fall counts by its size as much as a rise
    assert [(r["subject_label"], r["first_year"], r["last_year"]) for r in rows] == [("甲村", 2021, 2023),
                                                                                      ("乙村", 2019, 2020)]
    rise_row, fall_row = rows
    assert fall_row["relative_text"] == "-90.0%" and fall_row["change_text"] == "-900户"
    assert rise_row["first"] == "360000" and rise_row["last"] == "820000"
    assert rise_row["change_text"] == "+46万元" and rise_row["relative_text"] == "+127.8%"
    assert rise_row["reports"] == 2 and rise_row["conflict"]
    share = _series([_point(2021, "actual", "40", unit="percent"), _point(2023, "actual", "85", unit="percent")],
                    unit="percent", indicator="village_share")
    (row,) = series_changes([share])
    assert (row["change_text"], row["relative_text"]) == ("+45个百分点", "+112.5%")  # points of a share, not per cent


# --------------------------------------------------------------------------- pages


def _write(folder: Path, rid: str, date: str, title: str, text: str) -> None:
    (folder / f"{rid}.txt").write_text(text, encoding="utf-8")
    (folder / f"{rid}.meta.json").write_text(json.dumps({"id": rid, "date": date, "title": title}, ensure_ascii=False),
                                             encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    from starlette.testclient import TestClient

    from kg.pipeline import ingest
    from kg.serve import create_app
    from kg.store import open_store

    root = tmp_path_factory.mktemp("track")
    folder = root / "reports"
    folder.mkdir()
    _write(folder, "first", "2021-06-01", "湟中区2021年村集体经济工作总结", FIRST)
    _write(folder, "second", "2023-05-01", "湟中区2023年村集体经济发展报告", SECOND)
    store = open_store(root / "store")
    ingest([folder], store)
    subjects = {q.object.value for q in store.store.quads_for_pattern(
        None, _node("https://w3id.org/policy-kg/ontology#subject"), None, None)}
    store.close()
    assert len(subjects) == 1, subjects
    app = create_app(root / "store", sparql_workers=1, page_workers=1, heavy_workers=1)
    with TestClient(app) as client:
        yield client, subjects.pop()


def _node(iri: str):
    from pyoxigraph import NamedNode

    return NamedNode(iri)


def _figure(page: str, indicator: str) -> str:
    m = re.search(rf'<div class="series" id="indicator-{indicator}">(.*?)</details>\s*</div>', page, re.S)
    assert m, f"no chart of {indicator}"
    return m.group(1)


def test_entity_page_draws_a_chart_per_indicator_with_evidence_links(site) -> None:
    client, county = site
    page = client.get("/entity", params={"iri": county})
    assert page.status_code == 200
    assert "<h2>指标 Indicators</h2>" in page.text
    income = _figure(page.text, "collective_income")
    assert "村集体经济收入" in income
    svg = re.search(r"<svg .*?</svg>", income, re.S).group(0)
    links = re.findall(r'<a class="point ([a-z ]+)" href="([^"]*)">', svg)
    kinds = sorted(k for k, _ in links)
    assert kinds == ["actual", "actual conflict", "actual conflict", "change", "target"]
    assert re.search(r'<line class="target-line"[^>]*stroke-dasharray', svg)
    assert ">82万<" in svg and ">100万<" in svg and ">+20万元<" in svg
    # each point's link opens its report at the sentence it was read from
    for kind, href in links:
        href = html.unescape(href)
        assert href.startswith("/report?iri="), href
        path, anchor = href.split("#")
        report = client.get(path)
        assert report.status_code == 200
        sentence = re.search(rf'<p class="sentence" id="{anchor}">(.*?)</p>', report.text, re.S)
        assert sentence, (kind, href)
        assert "村集体经济收入" in re.sub(r"<[^>]+>", "", sentence.group(1))
    # the conflicting figures of 2021 come from the two reports
    conflict_reports = {unquote(h.split("iri=")[1].split("#")[0]).rsplit("/", 1)[-1]
                        for k, h in links if "conflict" in k}
    assert conflict_reports == {"first", "second"}
    # the observations drawn are not listed again among the relations
    assert "%2Fobservation%2F" not in page.text
    jobs = _figure(page.text, "jobs")
    assert ">1200<" in jobs and ">1500<" in jobs and "stroke-dasharray" not in jobs


def test_an_entity_without_figures_has_no_chart(site) -> None:
    client, county = site
    page = client.get("/entity", params={"iri": county})
    parent = re.search(r'<a href="(/entity\?iri=[^"]+)">西宁市</a>', page.text)
    assert parent, "the county page links its city"
    city = client.get(html.unescape(parent.group(1)))
    assert city.status_code == 200 and "<h1 class=\"entity-name\">西宁市</h1>" in city.text
    assert "series-chart" not in city.text and "指标 Indicators" not in city.text


def test_track_lists_the_largest_changes_linked_to_their_subjects(site) -> None:
    client, county = site
    page = client.get("/track")
    assert page.status_code == 200
    assert '<a href="/track">' in page.text  # in the site navigation
    rows = re.findall(r"<tr(?: class=\"conflict\")?>\s*<td><a class=\"subject\" href=\"([^\"]+)\">([^<]+)</a></td>\s*"
                      r"<td>([^<]+)</td>.*?</tr>", page.text, re.S)
    assert [(r[1], r[2]) for r in rows] == [("湟中区", "村集体经济收入"), ("湟中区", "就业人数")]
    assert all(html.unescape(r[0]).startswith("/entity?iri=") for r in rows)
    assert client.get(html.unescape(rows[0][0]).split("#")[0]).status_code == 200
    body = re.sub(r"\s+", " ", page.text)
    assert "2021–2023" in body and "36万元" in body and "82万元" in body and "+127.8%" in body
    assert "1200人" in body and "1500人" in body and "+25.0%" in body


def test_track_filters_by_indicator_and_refuses_an_unknown_one(site) -> None:
    client, _ = site
    page = client.get("/track", params={"indicator": "jobs"})
    assert page.status_code == 200
    assert "就业人数" in page.text and "+25.0%" in page.text and "+127.8%" not in page.text
    none = client.get("/track", params={"indicator": "loan_balance"})
    assert none.status_code == 200 and "No series of indicator" in none.text
    bad = client.get("/track", params={"indicator": "<b>nonsense"})
    assert bad.status_code == 400 and "collective_income" in bad.text and "<b>nonsense" not in bad.text


def test_series_past_the_limit_are_said_to_be_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.pipeline import ingest
    from kg.serve import data
    from kg.store import open_store

    folder = tmp_path / "reports"
    folder.mkdir()
    _write(folder, "first", "2021-06-01", "first", FIRST)
    _write(folder, "second", "2023-05-01", "second", SECOND)
    store = open_store(":memory:")
    ingest([folder], store)
    whole = data.indicator_series(store.store)
    assert whole["observations"] == 7 and not whole["truncated"]
    assert [(s["indicator"], len(s["points"])) for s in whole["series"]] == [("collective_income", 5), ("jobs", 2)]
    monkeypatch.setattr(data, "SERIES_LIMIT", 3)
    cut = data.indicator_series(store.store)
    assert cut["truncated"] and cut["observations"] == 3
