"""Indicator charts and the /track page in a real browser (headless Chromium at 1400×900, Playwright).

Three small reports about two counties of 西宁市, written here, one a year (2021–2023): collective
income, jobs, the share of villages above 10万元 and planted area, a change, a 2025 target and a
2021 figure the 2023 report gives differently. An analyst's path: open the county's page, see a
chart per indicator, follow a target point to its sentence in the report; open /track and follow
the largest change to its subject. Screenshots go to ``out/screenshots/`` (or ``docs/screenshots/``
with ``KG_UPDATE_SCREENSHOTS=1``), as in ``tests/test_browser.py``.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from serve_support import SCREENSHOTS, VIEWPORT, chromium_missing, live_server

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed "
                                                              "(pip install -e '.[test]')")
if chromium_missing():
    pytest.skip(chromium_missing(), allow_module_level=True)

REPORTS = {
    "a2021": ("2021-06-01", "湟中区2021年发展壮大村集体经济工作总结",
              "2021年,湟中区村集体经济收入达到35万元,带动就业1200人,集体经济年收入10万元以上的村占比达到40%。\n"
              "2021年,湟源县村集体经济收入达到120万元,种植面积达到3.5万亩。\n"),
    "b2022": ("2022-05-20", "湟中区2022年村集体经济发展情况",
              "2022年,湟中区村集体经济收入达到52万元,带动就业1350人,集体经济年收入10万元以上的村占比达到62%。\n"
              "2022年,湟源县村集体经济收入为110万元,种植面积达到3.8万亩。\n"),
    "c2023": ("2023-05-01", "湟中区2023年村集体经济发展报告",
              "2023年,湟中区村集体经济收入增至82万元,比上年增加了30万元,带动就业1500人,"
              "集体经济年收入10万元以上的村占比达到85%,计划到2025年突破100万元。\n"
              "2021年湟中区村集体经济收入为36万元。\n"
              "2023年,湟源县村集体经济收入为150万元,种植面积达到4.2万亩。\n"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    from pyoxigraph import NamedNode

    from kg.pipeline import ingest
    from kg.store import open_store

    root = tmp_path_factory.mktemp("browser-track")
    folder = root / "reports"
    folder.mkdir()
    for rid, (date, title, text) in REPORTS.items():
        (folder / f"{rid}.txt").write_text(f"{title}\n{text}", encoding="utf-8")
        (folder / f"{rid}.meta.json").write_text(json.dumps({"id": rid, "date": date, "title": title},
                                                            ensure_ascii=False), encoding="utf-8")
    store = open_store(root / "store")
    ingest([folder], store)
    label = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    subject = NamedNode("https://w3id.org/policy-kg/ontology#subject")
    iris = {}
    for q in store.store.quads_for_pattern(None, subject, None, None):
        for name in store.store.quads_for_pattern(q.object, label, None, None):
            iris[name.object.value] = q.object.value
    store.close()
    assert {"湟中区", "湟源县"} <= set(iris), iris
    with live_server(root / "store") as srv:
        yield srv, iris


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    pg = context.new_page()
    pg.dialogs, pg.console = [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: pg.console.append(f"{m.type}: {m.text}"))
    yield pg
    assert not pg.dialogs
    assert not [m for m in pg.console if "Content Security Policy" in m or "Content-Security-Policy" in m]
    context.close()


def test_entity_page_charts_are_drawn_readable_and_linked(site, page) -> None:
    srv, iris = site
    page.goto(f"{srv.url}/entity?iri={quote(iris['湟中区'], safe='')}")
    charts = page.locator("div.series svg.series-chart")
    assert charts.count() == 3  # collective income, jobs, share of villages
    income = page.locator("#indicator-collective_income svg")
    box = income.bounding_box()
    assert box and box["width"] >= 500 and box["height"] >= 250  # drawn at its size, not shrunk
    assert income.locator("a.point").count() == 6  # 2021 twice (conflict), 2022, 2023, the change, the target
    assert income.locator("circle.conflict").count() == 2
    smallest = page.evaluate("Math.min(...[...document.querySelectorAll('svg.series-chart text')]"
                             ".map(t => parseFloat(getComputedStyle(t).fontSize)))")
    assert smallest >= 12
    # every point is inside the chart's box (nothing drawn off the edge)
    outside = page.evaluate("""[...document.querySelectorAll('svg.series-chart')].flatMap(svg => {
        const r = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('circle, polygon, text')].map(e => e.getBoundingClientRect())
          .filter(b => b.left < r.left - 1 || b.right > r.right + 1 || b.top < r.top - 1 || b.bottom > r.bottom + 1)
          .map(b => [b.left, b.top]); })""")
    assert outside == []
    page.locator("section.indicators").scroll_into_view_if_needed()
    page.evaluate("document.querySelector('section.indicators').scrollIntoView()")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "indicators.png"))

    # the target point opens the 2023 report at the sentence that states it
    income.locator("a.point.target circle").click()
    page.wait_for_url("**/report?iri=*#s-*")
    assert "计划到2025年突破100万元" in page.locator(".sentence:target").inner_text()


def test_track_page_lists_the_largest_changes(site, page) -> None:
    srv, iris = site
    page.goto(f"{srv.url}/")
    page.click("header.site nav >> text=指标 Track")
    page.wait_for_url("**/track")
    rows = page.locator("table.track tbody tr")
    assert rows.count() == 5  # 湟中区: income, jobs, share; 湟源县: income, area
    first = rows.nth(0).locator("td")
    assert first.nth(0).inner_text() == "湟中区" and first.nth(1).inner_text() == "村集体经济收入"
    assert first.nth(6).inner_text() == "+127.8%"  # 36万 (the later report's 2021 figure) -> 82万
    second = rows.nth(1).locator("td")
    assert second.nth(1).inner_text() == "村数占比" and second.nth(5).inner_text() == "+45个百分点"
    relative = [float(rows.nth(i).locator("td").nth(6).inner_text().rstrip("%")) for i in range(rows.count())]
    assert [abs(r) for r in relative] == sorted((abs(r) for r in relative), reverse=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "track.png"))

    page.select_option("select[name=indicator]", "area")
    page.click("form.track-filter button")
    page.wait_for_url("**/track?indicator=area")
    assert rows.count() == 1 and rows.nth(0).locator("td").nth(0).inner_text() == "湟源县"
    rows.nth(0).locator("a.subject").click()
    page.wait_for_url("**/entity?iri=*#indicator-area")
    assert page.inner_text("h1.entity-name") == "湟源县"
    assert page.locator("#indicator-area svg a.point").count() == 3
