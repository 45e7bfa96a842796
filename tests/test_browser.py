"""`kg serve` in a real browser: headless Chromium (Debian's) driven by Playwright.

The server runs on 127.0.0.1 with a free port over the sample reports plus a hostile
report. A person's path: search an actor, open its page, follow a link to a report, see the
highlighted evidence, open the network view and see nodes drawn. The hostile names must stay
text: no dialog, no injected element, the literal text visible. The screenshots are taken
here: into ``out/screenshots/``, or into ``docs/screenshots/`` (shown by the README) with
``KG_UPDATE_SCREENSHOTS=1`` (``make screenshots``), so a test run leaves the tree clean.

Needs ``/usr/bin/chromium`` (``make test`` installs Debian's ``chromium`` when it is missing)
and the ``playwright`` package; ``playwright install`` is never run.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from serve_support import SCREENSHOTS, VIEWPORT, chromium_missing, EVIL_ORG, EVIL_PROGRAM, EVIL_REPORT_ID, EVIL_SCRIPT, live_server, sample_iri, sample_store_dir

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed "
                                                              "(pip install -e '.[test]')")
if chromium_missing():
    pytest.skip(chromium_missing(), allow_module_level=True)


@pytest.fixture(scope="module")
def server():
    with live_server(sample_store_dir()) as srv:
        yield srv


class Watch:
    """Collects dialogs, page errors and CSP complaints of a page."""

    def __init__(self, page) -> None:  # noqa: ANN001
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))

    def _dialog(self, dialog) -> None:  # noqa: ANN001
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m or "Content-Security-Policy" in m]


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    pg = context.new_page()
    pg.watch = Watch(pg)
    yield pg
    context.close()


def wait_for_network(page, timeout: float = 30_000) -> int:  # noqa: ANN001
    """Wait until the vis network exists and /static/network.js has hooked in; answer the node count."""
    page.wait_for_selector("body[data-kg-ready]", state="attached", timeout=timeout)
    return int(page.evaluate("network.body.data.nodes.length"))


def poll(page, expression: str, timeout: float = 10.0):  # noqa: ANN001, ANN201
    """Evaluate ``expression`` until it is truthy (page.wait_for_function evals a string, which the
    network view's CSP forbids)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value or time.monotonic() > deadline:
            assert value, f"still false after {timeout} s: {expression}"
            return value
        page.wait_for_timeout(100)


def wait_for_settled(page, timeout: float = 30_000) -> None:  # noqa: ANN001
    """Wait until the drawing has settled (physics stabilized, unconnected nodes pinned) and names are drawn."""
    page.wait_for_selector("body[data-kg-settled]", state="attached", timeout=timeout)
    poll(page, "window.kgLabels !== undefined && document.body.getAttribute('data-kg-labels') !== null")
    page.wait_for_timeout(300)


def drawn_names(page) -> list[dict]:  # noqa: ANN001
    """The names the page drew on the canvas last frame: text, font size and box in CSS pixels."""
    return page.evaluate("window.kgLabels")


def assert_names_readable(page, at_least: int) -> list[dict]:  # noqa: ANN001
    """At the default zoom: at least ``at_least`` node names drawn, each ≥ 12 px, no two overlapping."""
    names = drawn_names(page)
    nodes = [n for n in names if not n.get("edge")]
    assert len(nodes) >= at_least, [n["text"] for n in nodes]
    assert all(n["px"] >= 12 for n in names)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            overlap = a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]
            assert not overlap, (a, b)
    return names


def canvas_box(page) -> dict:  # noqa: ANN001
    return page.evaluate("(() => { const r = document.getElementById('mynetwork').getBoundingClientRect();"
                         " return {top: r.top, bottom: r.bottom, height: r.height, width: r.width}; })()")


def tooltip_of(page, node_id) -> str:  # noqa: ANN001
    """Hover over a node and answer the text of the tooltip vis-network shows."""
    x, y = page.evaluate(f"""(() => {{ const p = network.canvasToDOM(network.getPositions([{node_id!r}])[{node_id!r}]);
        const r = document.getElementById('mynetwork').getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }})()""")
    page.mouse.move(x + 40, y + 40)
    page.mouse.move(x, y)
    poll(page, "(() => { const t = document.querySelector('div.vis-tooltip');"
               " return !!t && getComputedStyle(t).visibility === 'visible' && t.innerText.length > 0; })()")
    return page.evaluate("document.querySelector('div.vis-tooltip').innerText")


def test_search_actor_entity_report_and_evidence(server, page) -> None:
    page.goto(server.url + "/")
    page.fill("form.big-search input[name=q]", "信保集团")
    page.press("form.big-search input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    page.click("a.hit-name >> text=西宁市信保集团")
    page.wait_for_url("**/entity?iri=*")
    assert page.inner_text("h1.entity-name") == "西宁市信保集团"
    assert page.locator("ul.totals").inner_text().startswith("出资 gives")

    link = page.locator("a.report-link").first
    href = link.get_attribute("href")
    assert href.startswith("/report?iri=") and "#s-" in href
    link.click()
    page.wait_for_url("**/report?iri=*")
    anchor = href.split("#", 1)[1]
    target = page.locator(f"p.sentence#{anchor}")
    assert target.count() == 1
    # the linked sentence is the :target (highlighted) and carries highlighted mentions
    assert page.evaluate("document.querySelector(':target') && document.querySelector(':target').id") == anchor
    assert target.locator("mark").count() >= 1
    assert page.locator("a.mention mark").count() > 10
    background = page.evaluate("getComputedStyle(document.querySelector(':target')).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert not page.watch.errors and not page.watch.dialogs and not page.watch.csp_violations()


def test_network_view_renders_nodes_and_finds_them(server, page) -> None:
    report = sample_iri("report", "xining-sanxiang-2021")
    page.goto(f"{server.url}/network?report={quote(report, safe='')}")
    n = wait_for_network(page)
    assert n > 20
    assert page.locator("#mynetwork canvas").count() == 1
    page.fill("#kg-search", "信保集团")
    page.click("#kg-search-form button")
    page.wait_for_function("network.getSelectedNodes().length >= 1")
    assert "1 个匹配" in page.inner_text("#kg-search-status")
    assert not page.watch.errors, page.watch.errors
    assert not page.watch.csp_violations(), page.watch.csp_violations()


def test_network_view_of_the_whole_graph_and_reduced(server, page) -> None:
    page.goto(server.url + "/network")
    assert wait_for_network(page) > 50
    page.goto(server.url + "/network?max=15")
    n = wait_for_network(page)
    assert n <= 15 + 15  # kept nodes plus one summary node per class
    assert "Reduced view" in page.inner_text("body")
    assert not page.watch.errors and not page.watch.csp_violations()


def test_double_click_opens_the_entity_page(server, page) -> None:
    focus = sample_iri("actor", "西宁市信保集团")
    page.goto(f"{server.url}/network?focus={quote(focus, safe='')}&depth=1")
    wait_for_network(page)
    index = page.evaluate(f"JSON.parse(document.getElementById('kg-iris').textContent).indexOf({focus!r})")
    assert index >= 0
    page.evaluate(f"network.body.emitter.emit('doubleClick', {{nodes: [{index}], edges: []}})")
    page.wait_for_url("**/entity?iri=*")
    assert page.inner_text("h1.entity-name") == "西宁市信保集团"


# --------------------------------------------------------------------------- every page, as an analyst sees it

SIGNAL = quote(sample_iri("actor", "西宁市信保集团"), safe="")
XINING = quote(sample_iri("report", "xining-sanxiang-2021"), safe="")
PAGES = {
    "home": ("/", "h1"),
    "search": ("/search?q=" + quote("西宁市"), "ol.hits"),
    "entity": (f"/entity?iri={SIGNAL}", "h1.entity-name"),
    "report": (f"/report?iri={XINING}", "article.report-text"),
    "network": ("/network", "#mynetwork canvas"),
    "network-focus": (f"/network?focus={SIGNAL}&depth=2", "#mynetwork canvas"),
    "query": ("/query?name=who-funds-what&run=1", "table.results-table"),
    "analytics": ("/analytics", ".sankey-box svg"),
    "query-actor": ("/query?name=actor&run=1&p.name=" + quote("西宁市信保集团"), "table.results-table"),
    "not-found": ("/entity?iri=" + quote("https://w3id.org/policy-kg/id/actor/nobody", safe=""), "main h1"),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_at_1400x900(server, page, name) -> None:
    """Each page in a 1400x900 window: screenshot taken, nothing wider than the window, the
    part an analyst came for on screen, no script error or CSP complaint."""
    path, selector = PAGES[name]
    page.goto(server.url + path)
    if name.startswith("network"):
        wait_for_network(page)
        wait_for_settled(page)
        box = canvas_box(page)
        # the canvas is on screen under the header and filter bar, and takes most of the window
        assert box["top"] < 260 and box["bottom"] <= VIEWPORT["height"] + 1 and box["height"] >= 600, box
        assert_names_readable(page, at_least=25)
    target = page.locator(selector).first
    target.wait_for(state="visible")
    assert target.bounding_box()["y"] < VIEWPORT["height"] - 100, f"{selector} is below the fold"
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    assert not page.watch.errors, page.watch.errors
    assert not page.watch.csp_violations(), page.watch.csp_violations()


def test_kg_viz_page_at_1400x900(server, page, tmp_path) -> None:
    """The page `kg viz` writes, opened from disk: the same names and canvas rules, screenshot too."""
    from pyoxigraph import Store

    from kg.viz import write_html

    out = write_html(Store.read_only(str(sample_store_dir())), tmp_path / "graph.html", title="policy-kg network")
    page.goto(out.as_uri())
    wait_for_settled(page)
    box = canvas_box(page)
    assert box["top"] < 120 and box["bottom"] <= VIEWPORT["height"] + 1 and box["height"] >= 700, box
    assert_names_readable(page, at_least=25)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "viz.png"))
    assert not page.watch.errors, page.watch.errors


TRICKY = ["甲<乙> & 丙's \"丁\"合作社", "A&amp;B 'x' <b>公司</b>", "陈\"小\"明"]


def test_tooltips_show_the_characters_themselves_and_unconnected_nodes_stay_put(page, tmp_path) -> None:
    """Names with < & ' " in a `kg viz` page: the tooltip shows exactly those characters (escaped
    once, for the page, not twice); unconnected nodes are pinned apart from the graph."""
    import networkx as nx

    from kg.viz import render_html

    G = nx.MultiDiGraph()
    G.add_node("hub", label="县财政局", **{"class": "GovernmentAgency"})
    for i, name in enumerate(TRICKY[:2]):
        G.add_node(f"org{i}", label=name, evidence=f"{name}获得资金。", **{"class": "Cooperative"})
        G.add_edge("hub", f"org{i}", key="funder", rel="funder")
    for i in range(3):
        G.add_node(f"lone{i}", label=TRICKY[2] + str(i), **{"class": "Person"})
    path = tmp_path / "tricky.html"
    path.write_text(render_html(G), encoding="utf-8")
    page.goto(path.as_uri())
    wait_for_settled(page)
    ids = {n["label"]: n["id"] for n in page.evaluate("nodes.get()")}
    for name in TRICKY[:2]:
        text = tooltip_of(page, ids[name])
        assert text.startswith(name + "\n"), text
        assert f"证据 evidence: {name}获得资金。" in text
        assert "&lt;" not in text and "&amp;amp;" not in text and "&#x27;" not in text and "&quot;" not in text
    assert page.locator("b").count() == 0 and page.locator(".vis-tooltip b").count() == 0
    lone = [ids[TRICKY[2] + str(i)] for i in range(3)]
    linked = [ids["县财政局"], *(ids[n] for n in TRICKY[:2])]
    before = page.evaluate("network.getPositions()")
    # set apart: under the graph or in columns to its right
    below = min(before[str(i)]["y"] for i in lone) > max(before[str(i)]["y"] for i in linked)
    right = min(before[str(i)]["x"] for i in lone) > max(before[str(i)]["x"] for i in linked)
    assert below or right, before
    page.wait_for_timeout(1500)
    after = page.evaluate("network.getPositions()")
    assert all(after[str(i)] == before[str(i)] for i in lone)  # pinned: they do not drift
    names = {n["text"] for n in drawn_names(page)}
    assert {TRICKY[2] + str(i) for i in range(3)} <= names


def test_network_view_tooltip_of_a_hostile_name(server, page) -> None:
    report = sample_iri("report", EVIL_REPORT_ID)
    page.goto(f"{server.url}/network?report={quote(report, safe='')}")
    wait_for_network(page)
    wait_for_settled(page)
    node = next(n["id"] for n in page.evaluate("nodes.get()") if n["label"].startswith("<img"))
    text = tooltip_of(page, node)
    assert text.startswith(EVIL_ORG + "\n") and "&lt;" not in text
    assert page.locator("img[src=x]").count() == 0 and not page.watch.dialogs


# --------------------------------------------------------------------------- XSS, in the browser


def assert_inert(page) -> None:  # noqa: ANN001
    assert page.watch.dialogs == [], page.watch.dialogs
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("document.querySelectorAll('[onerror]').length") == 0
    scripts = page.evaluate("Array.from(document.scripts).map(s => s.textContent).filter(t => t.includes('alert(1)'))")
    # the only script text that may mention alert(1) is the network view's data, as an escaped JSON string
    for text in scripts:
        assert "\\u003c" in text or "&lt;" in text, text[:200]
    assert not page.watch.errors, page.watch.errors


def test_hostile_entity_page(server, page) -> None:
    page.goto(server.url + "/entity?iri=" + quote(sample_iri("actor", EVIL_ORG), safe=""))
    assert page.inner_text("h1.entity-name") == EVIL_ORG
    assert EVIL_SCRIPT in page.inner_text("p.aliases")
    assert EVIL_PROGRAM in page.inner_text("body")
    page.wait_for_timeout(300)
    assert_inert(page)


def test_hostile_report_page(server, page) -> None:
    page.goto(server.url + "/report?iri=" + quote(sample_iri("report", EVIL_REPORT_ID), safe=""))
    assert page.inner_text("h1.report-title") == f"关于{EVIL_ORG}的报告"
    text = page.inner_text("article.report-text")
    assert EVIL_ORG in text and EVIL_SCRIPT in text
    assert page.locator("a.mention mark", has_text=EVIL_ORG).count() >= 1
    page.wait_for_timeout(300)
    assert_inert(page)


def test_hostile_search_and_query_pages(server, page) -> None:
    page.goto(server.url + "/search?q=" + quote("<img src=x onerror=alert(1)>"))
    assert EVIL_ORG in page.inner_text("ol.hits")
    assert_inert(page)
    page.goto(server.url + "/query?run=1&query=" + quote(f"SELECT ?x WHERE {{ BIND({json.dumps(EVIL_SCRIPT)} AS ?x) }}"))
    assert EVIL_SCRIPT in page.inner_text("table.results-table")
    assert_inert(page)


def test_hostile_network_view(server, page) -> None:
    report = sample_iri("report", EVIL_REPORT_ID)
    page.goto(f"{server.url}/network?report={quote(report, safe='')}")
    assert wait_for_network(page) >= 3
    labels = page.evaluate("nodes.get().map(n => String(n.label) + ' ' + String(n.title))")
    assert any(EVIL_ORG[:20] in label for label in labels), labels
    # focus on the hostile node: its name is in the page heading, as text
    page.goto(f"{server.url}/network?focus={quote(sample_iri('actor', EVIL_ORG), safe='')}")
    wait_for_network(page)
    assert EVIL_ORG in page.inner_text("h1")
    page.fill("#kg-search", "onerror")
    page.click("#kg-search-form button")
    page.wait_for_function("network.getSelectedNodes().length >= 1")
    page.wait_for_timeout(300)
    assert_inert(page)
    assert not page.watch.csp_violations(), page.watch.csp_violations()
