"""The network view: graph built from the store with SPARQL, offline and XSS-safe HTML page."""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pytest
from pyoxigraph import Literal, NamedNode, Variable

from kg import ids
from kg.model import (
    Actor,
    Extraction,
    Funding,
    Mention,
    NormalizedReport,
    Program,
    RawReport,
    Sentence,
)
from kg.pipeline import extract_text, ingest
from kg.query import run_query
from kg.rdfize import rdfize
from kg.store import open_store
from kg.viz import (
    CLASS_STYLES,
    PHYSICS_LIMIT,
    STABILIZATION_ITERATIONS,
    VizError,
    network_graph,
    render_html,
    write_html,
)

REPORTS_DIR = Path(__file__).resolve().parent.parent / "data" / "reports"
SAMPLE_IDS = {"xining-sanxiang-2021", "qinzhou-village-collective-economy"}
MINI = "某某县财政局下达衔接资金500万元,支持10个村发展集体经济。某某县农业农村局召开推介会。"

EVIL_ORG = "<img src=x onerror=alert(1)>有限公司"
EVIL_SCRIPT = "</script><script>alert(1)</script>"
EVIL_TEXT = (
    f"某某县{EVIL_ORG}获得某某县财政局下达资金500万元。"
    f"{EVIL_SCRIPT}某某县农业农村局印发《<a href=\"x\">办法</a>》。"
)

REMOTE_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)
REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)


# --- helpers ------------------------------------------------------------------------------


def store_text(store, text: str, report_id: str) -> None:
    """Run the real pipeline on a text and store its quads as one report."""
    store.replace_report(ids.report_iri(report_id), rdfize(extract_text(text, report_id=report_id)))


def page_data(page: str) -> tuple[list[dict], list[dict], dict]:
    """The nodes, edges and options the page hands to vis-network (as pyvis wrote them)."""
    nodes = re.search(r"nodes = new vis\.DataSet\((.*?)\);\n", page, re.DOTALL)
    edges = re.search(r"edges = new vis\.DataSet\((.*?)\);\n", page, re.DOTALL)
    options = re.search(r"var options = (\{.*?\});\n", page, re.DOTALL)
    assert nodes and edges and options, "pyvis page layout changed"
    return json.loads(nodes.group(1)), json.loads(edges.group(1)), json.loads(options.group(1))


def by_label(G: nx.MultiDiGraph, label: str) -> str:
    matches = [n for n, d in G.nodes(data=True) if d["label"] == label]
    assert len(matches) == 1, (label, matches)
    return matches[0]


def hostile_extraction() -> Extraction:
    """A hand-made report whose names and evidence are hostile HTML (the extractor may not produce these)."""
    sentence = f"{EVIL_ORG}获得资金300万元{EVIL_SCRIPT}<a href=\"javascript:alert(2)\">详情</a>。"
    raw = RawReport("evil-by-hand", "evil.txt", sentence, "0" * 64, "utf-8", title=f"<b>{EVIL_SCRIPT}</b>")
    report = NormalizedReport(raw, sentence, tuple(range(len(sentence) + 1)))
    org = Mention(EVIL_ORG, 0, len(EVIL_ORG), 0)
    money = Mention(sentence[: sentence.index("元") + 1], 0, sentence.index("元") + 1, 0)
    return Extraction(
        report=report,
        sentences=(Sentence(0, 0, len(sentence), sentence),),
        actors=(Actor(EVIL_ORG, "Enterprise", mentions=(org,)),),
        programs=(Program("HREF=javascript:alert(3)项目", mentions=(org,)),),
        fundings=(
            Funding(Decimal("3000000"), money, kind="grant", funder="<script>alert(4)</script>财政",
                    recipient=EVIL_ORG, program="HREF=javascript:alert(3)项目"),
        ),
    )


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture
def mini_store(tmp_path):
    with open_store(tmp_path / "store") as store:
        store_text(store, MINI, "mini")
        yield store


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    with open_store(tmp_path_factory.mktemp("viz") / "store") as store:
        summary = ingest([REPORTS_DIR], store)
        assert summary.ok and summary.reports == 2, summary.failures
        yield store


@pytest.fixture(scope="module")
def sample_graph(sample_store):
    return network_graph(sample_store, max_nodes=None)


@pytest.fixture(scope="module")
def sample_page(sample_graph):
    return render_html(sample_graph, title="样例报告网络")


# --- the graph ----------------------------------------------------------------------------


def test_mini_report_funding_and_measure(mini_store):
    G = network_graph(mini_store)
    fundings = [(n, d) for n, d in G.nodes(data=True) if d["class"] == "Funding"]
    assert len(fundings) == 1
    f, fd = fundings[0]
    assert fd["amount"] == Decimal("5000000")
    assert fd["label"] == "500万元"
    assert fd["type"] == "funding" and fd["reports"] == ["mini"]
    assert "衔接资金500万元" in fd["evidence"]
    # the funder (a known actor or the stated text) points at the funding
    funders = [u for u, _, rel in G.in_edges(f, keys=True) if rel == "funder"]
    assert len(funders) == 1 and "财政" in G.nodes[funders[0]]["label"]
    # the measure: the agency held the promotion meeting
    agency = next(n for n, d in G.nodes(data=True) if d["label"].endswith("农业农村局"))
    assert G.nodes[agency]["class"] == "GovernmentAgency" and G.nodes[agency]["type"] == "actor"
    held = [(v, d) for _, v, rel, d in G.out_edges(agency, keys=True, data=True) if rel == "held"]
    assert len(held) == 1
    target, edge = held[0]
    assert G.nodes[target]["label"] == "推介会" and G.nodes[target]["class"] == "Text"
    assert "召开推介会" in edge["evidence"] and edge["label"] == "召开"
    assert G.graph["note"] == "" and G.graph["hidden_nodes"] == 0


def test_text_nodes_can_be_left_out(mini_store):
    G = network_graph(mini_store, include_text=False)
    assert G.number_of_nodes() > 0
    assert not [n for n, d in G.nodes(data=True) if d["class"] == "Text" or n.startswith("text:")]


def test_sample_graph_has_labelled_nodes_of_several_classes(sample_graph):
    G = sample_graph
    classes = {d["class"] for _, d in G.nodes(data=True)}
    assert {"GovernmentAgency", "Region", "Program", "PolicyDocument", "Funding"} <= classes
    assert len(classes & set(CLASS_STYLES)) >= 6
    assert classes <= set(CLASS_STYLES)
    for node, d in G.nodes(data=True):
        assert d["label"] and "://" not in d["label"], node
        assert d["type"] in {"actor", "region", "programme", "document", "funding", "text"}
        assert d["reports"] and set(d["reports"]) <= SAMPLE_IDS, node
        if d["class"] != "Text":
            assert node.startswith(ids.ID), node
    assert "西宁市" in {d["label"] for _, d in G.nodes(data=True)}
    # both reports contribute
    assert {r for _, d in G.nodes(data=True) for r in d["reports"]} == SAMPLE_IDS


def test_fundings_match_the_store_and_have_funder_edges(sample_store, sample_graph):
    G = sample_graph
    amounts = sorted(d["amount"] for _, d in G.nodes(data=True) if d["class"] == "Funding")
    expected = sorted(Decimal(r["amount_cny"]) for r in run_query(sample_store, "who-funds-what").as_dicts())
    assert amounts == expected and amounts
    funder_edges = [(u, v) for u, v, rel in G.edges(keys=True) if rel == "funder"]
    assert funder_edges
    for u, v in funder_edges:  # funder -> funding
        assert G.nodes[v]["class"] == "Funding"
        assert G.nodes[u]["class"] != "Funding"
    for u, v, rel in G.edges(keys=True):
        if rel in ("recipient", "program"):  # funding -> recipient / programme
            assert G.nodes[u]["class"] == "Funding"
    # at least one funding is paid by a known actor, not only by stated text
    assert any(G.nodes[u]["type"] == "actor" for u, _ in funder_edges)


def test_region_edges_are_facts_of_the_store(sample_store, sample_graph):
    G = sample_graph
    part_of = [(u, v) for u, v, rel in G.edges(keys=True) if rel == "partOf"]
    belongs = [(u, v) for u, v, rel in G.edges(keys=True) if rel == "region"]
    assert part_of and belongs
    ask = (
        "SELECT ?s ?o WHERE { ?s <https://w3id.org/policy-kg/ontology#partOf> ?o }"
    )
    for u, v in part_of:
        rows = list(sample_store.query(ask, {Variable("s"): NamedNode(u), Variable("o"): NamedNode(v)}))
        assert rows, (u, v)
        assert G.nodes[u]["class"] == G.nodes[v]["class"] == "Region"
    for u, v in belongs:
        assert G.nodes[v]["class"] == "Region" and G.nodes[u]["type"] in ("actor", "programme")
    xining = by_label(G, "西宁市")
    assert "青海省" in {G.nodes[v]["label"] for _, v, rel in G.out_edges(xining, keys=True) if rel == "partOf"}


def test_focus_keeps_the_neighbourhood(sample_store, sample_graph):
    full = sample_graph.to_undirected(as_view=True)
    xining = by_label(sample_graph, "西宁市")
    one = network_graph(sample_store, focus=xining, depth=1)
    assert set(one) == {xining} | set(full.neighbors(xining))
    assert one.graph["focus"] == xining and one.graph["depth"] == 1
    two = network_graph(sample_store, focus=xining, depth=2)
    within_two = nx.single_source_shortest_path_length(full, xining, cutoff=2)
    assert set(two) == set(within_two) and set(two) > set(one)
    assert set(network_graph(sample_store, focus=xining, depth=0)) == {xining}
    # a label works as well as the IRI
    assert set(network_graph(sample_store, focus="西宁市")) == set(one)
    # attributes survive the cut
    assert one.nodes[xining]["class"] == "Region" and one.nodes[xining]["label"] == "西宁市"


def test_bad_focus_and_limits(sample_store):
    with pytest.raises(VizError, match="not a node"):
        network_graph(sample_store, focus="https://w3id.org/policy-kg/id/actor/没有这个机构")
    with pytest.raises(VizError):
        network_graph(sample_store, max_nodes=0)
    with pytest.raises(VizError):
        network_graph(sample_store, depth=-1)
    with pytest.raises(VizError, match="not in the store"):
        network_graph(sample_store, report="no-such-report")


def test_reduction_keeps_most_connected_collapses_the_rest_and_says_what_is_hidden(sample_store, sample_graph):
    full = sample_graph
    G = network_graph(sample_store, max_nodes=10)
    assert G.number_of_nodes() <= 10
    kept = [n for n, d in G.nodes(data=True) if d["type"] != "cluster"]
    clusters = [d for _, d in G.nodes(data=True) if d["type"] == "cluster"]
    assert kept and clusters and len(kept) + len(clusters) == G.number_of_nodes()
    hidden_nodes = full.number_of_nodes() - len(kept)
    kept_edges = [(u, v) for u, v, k in G.edges(keys=True) if k != "cluster"]
    hidden_edges = full.number_of_edges() - len(kept_edges)
    assert G.graph["total_nodes"] == full.number_of_nodes() and G.graph["total_edges"] == full.number_of_edges()
    assert G.graph["hidden_nodes"] == hidden_nodes and G.graph["hidden_edges"] == hidden_edges
    # every hidden node is inside exactly one cluster
    assert sum(d["size"] for d in clusters) == hidden_nodes == G.graph["clustered_nodes"]
    assert G.graph["clusters"] == len(clusters)
    note = G.graph["note"]
    assert f"{hidden_nodes:,} nodes" in note and f"{hidden_edges:,} edges" in note
    assert f"of {full.number_of_nodes():,} nodes" in note and f"{len(clusters):,} cluster nodes" in note
    degree = dict(full.degree())
    assert min(degree[n] for n in kept) >= max(degree[n] for n in full if n not in kept)
    # kept nodes carry their details, edges between them are the graph's own
    for n in kept:
        assert G.nodes[n]["label"] == full.nodes[n]["label"] and G.nodes[n]["class"] == full.nodes[n]["class"]
    assert all(full.has_edge(u, v) for u, v in kept_edges)
    # a cluster link stands for hidden edges between a shown node and a cluster
    links = [d for _, _, k, d in G.edges(keys=True, data=True) if k == "cluster"]
    assert links and all(d["count"] >= 1 for d in links)
    # nothing hidden: no note, no clusters
    assert network_graph(sample_store, max_nodes=10_000).graph["note"] == ""
    # around a focus the focus itself always stays
    xining = by_label(full, "西宁市")
    small = network_graph(sample_store, focus=xining, depth=2, max_nodes=3)
    assert xining in small and small.number_of_nodes() <= 3 and small.graph["note"]


def test_reduced_page_draws_clusters_still_with_positions(sample_store):
    G = network_graph(sample_store, max_nodes=20)
    nodes, edges, options = page_data(render_html(G))
    assert options["physics"]["enabled"] is False  # a reduced view is drawn from precomputed positions
    clusters = [n for n in nodes if n["group"] == "Cluster"]
    assert clusters and all(n["label"].startswith("+") and n["shape"] == "hexagon" for n in clusters)
    assert all(math.isfinite(n["x"]) and math.isfinite(n["y"]) for n in nodes)
    assert "nodes collapsed into this cluster" in clusters[0]["title"]
    assert len(nodes) == G.number_of_nodes() <= 20


def test_one_report_and_report_nodes(sample_store):
    G = network_graph(sample_store, report="xining-sanxiang-2021", max_nodes=None)
    assert G.number_of_nodes() > 10
    assert all(d["reports"] == ["xining-sanxiang-2021"] for _, d in G.nodes(data=True))
    R = network_graph(sample_store, include_reports=True, max_nodes=None)
    reports = {n for n, d in R.nodes(data=True) if d["class"] == "Report"}
    assert reports == {ids.report_iri(r) for r in SAMPLE_IDS}
    mentioned = [(u, v) for u, v, rel in R.edges(keys=True) if rel == "mentionedIn"]
    assert mentioned and all(v in reports for _, v in mentioned)
    assert all(R.nodes[u]["class"] != "Report" for u, _ in mentioned)


# --- the page -----------------------------------------------------------------------------


def test_page_is_offline_and_self_contained(sample_page):
    page = sample_page
    assert not REMOTE_SCRIPT.search(page) and not REMOTE_LINK.search(page)
    assert '<script src="http' not in page and "cdn.jsdelivr" not in page and "cdnjs" not in page
    assert "bootstrap.min.css" not in page and "bootstrap.bundle" not in page
    # vis-network itself is inlined, not linked
    assert "vis.Network(" in page and "new vis.DataSet(" in page
    assert len(page) > 300_000
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page


def test_page_is_utf8_with_chinese_labels_legend_and_heading(sample_graph, sample_page, tmp_path):
    path = write_html(sample_graph, tmp_path / "sample.html", title="样例报告网络")
    data = path.read_bytes()
    text = data.decode("utf-8")  # strict: raises on anything else
    assert text == sample_page
    assert "<h1>样例报告网络</h1>" in text and text.count("<h1>") == 1
    nodes, edges, options = page_data(text)
    assert len(nodes) == sample_graph.number_of_nodes() and len(edges) == sample_graph.number_of_edges()
    labels = {n["label"] for n in nodes}
    assert "西宁市" in labels and '"label": "西宁市"' in text  # readable UTF-8, not \\u escapes
    assert "政府机构" in text and "kg-legend" in text
    for cls in {d["class"] for _, d in sample_graph.nodes(data=True)}:
        colour = CLASS_STYLES[cls][0]
        assert f"background:{colour}" in text
        assert any(n["color"] == colour for n in nodes)
    # tooltips: plain text with class, amount and evidence
    funding = next(n for n in nodes if n["group"] == "Funding")
    assert "金额 amount:" in funding["title"] and "证据 evidence:" in funding["title"]
    assert "资金 Funding" in funding["title"]
    # a small graph gets physics, with a bounded stabilization
    assert options["physics"]["enabled"] is True
    assert options["physics"]["stabilization"]["iterations"] == STABILIZATION_ITERATIONS <= 500


def test_names_are_left_to_the_page_script_and_unconnected_nodes_are_pinned(sample_graph, sample_page):
    nodes, edges, options = page_data(sample_page)
    # vis-network draws no name (it would shrink them with the zoom): the inlined label script does
    assert options["nodes"]["scaling"]["label"]["drawThreshold"] >= 1000
    assert sample_page.count('network.on("afterDrawing", drawLabels)') == 1
    assert not any(e.get("label") for e in edges) and {e["relation"] for e in edges} >= {"出资", "属于"}
    # names get room in rank order: the best-connected node first
    degree = dict(sample_graph.degree())
    by_rank = sorted(nodes, key=lambda n: n["rank"])
    assert [n["rank"] for n in by_rank] == list(range(len(nodes)))
    top = max(degree.values())
    assert degree[list(sample_graph)[by_rank[0]["id"]]] == top
    # unconnected nodes are out of the physics (they would drift away) and marked for pinning
    lone = {sample_graph.nodes[v]["label"] for v, k in degree.items() if k == 0}
    assert lone and {n["label"] for n in nodes if n.get("unconnected")} == lone
    assert all(n["physics"] is False for n in nodes if n.get("unconnected"))
    assert not any("physics" in n for n in nodes if not n.get("unconnected"))
    # the canvas fills what the header leaves of the window instead of a fixed 82 % of it
    assert "height: 82vh" not in sample_page and "flex: 1 1 auto" in sample_page


def test_focus_gets_its_name_drawn_first(sample_store):
    focus = ids.actor_iri("西宁市信保集团")
    nodes, _, _ = page_data(render_html(network_graph(sample_store, focus=focus, depth=2)))
    assert next(n for n in nodes if n["rank"] == 0)["label"] == "西宁市信保集团"


def test_reduced_view_note_is_on_the_page(sample_store):
    G = network_graph(sample_store, max_nodes=8)
    page = render_html(G)
    assert G.graph["note"] and G.graph["note"] in page
    assert 'class="kg-note"' in page


def test_large_graph_uses_fixed_positions(tmp_path):
    G = nx.MultiDiGraph()
    n = PHYSICS_LIMIT + 100
    for i in range(n):
        G.add_node(f"n{i}", label=f"机构{i}", **{"class": "Enterprise" if i % 3 else "Region"})
    for i in range(1, n):
        G.add_edge(f"n{i}", f"n{(i * 7) % i}", key="region", rel="region")
    nodes, edges, options = page_data(render_html(G))
    assert options["physics"]["enabled"] is False
    assert options["layout"]["improvedLayout"] is False
    points = [(p["x"], p["y"]) for p in nodes]
    assert all(isinstance(c, (int, float)) and math.isfinite(c) for p in points for c in p)
    closest = min(math.dist(a, b) for i, a in enumerate(points) for b in points[i + 1 :])
    assert closest > 20  # no two nodes drawn on top of each other
    assert len(edges) == n - 1


def test_rendering_is_deterministic(sample_store):
    a = render_html(network_graph(sample_store))
    b = render_html(network_graph(sample_store))
    assert a == b


def test_write_html_from_a_store(mini_store, tmp_path):
    out = write_html(mini_store, tmp_path / "mini.html", max_nodes=50)
    text = out.read_text(encoding="utf-8")
    assert "500万元" in text and "推介会" in text


# --- hostile report text ------------------------------------------------------------------


def assert_page_is_safe(page: str) -> list[dict]:
    assert "<img src=x" not in page
    assert EVIL_SCRIPT not in page and "<script>alert" not in page
    assert "javascript:alert" not in page.split("new vis.DataSet(")[0]  # nothing before the data
    # the same number of <script> tags as a page about a harmless graph
    assert page.count("<script") == render_html(nx.MultiDiGraph()).count("<script")
    assert not REMOTE_SCRIPT.search(page) and not REMOTE_LINK.search(page)
    nodes, edges, _ = page_data(page)
    # pyvis switches every tooltip to an innerHTML popup as soon as one title contains "href"
    assert not any("href" in n["title"] for n in nodes)
    assert not any("href" in e["title"].lower() for e in edges)
    assert "popup.innerHTML" not in page and "div.popup" not in page
    # tooltips are plain text (vis-network shows them with innerText): escaped once, in the JSON only
    for item in nodes + edges:
        assert "&lt;" not in item["title"] and "&amp;" not in item["title"] and "&#x27;" not in item["title"]
    return nodes


def test_hostile_names_and_evidence_through_the_pipeline(tmp_path):
    with open_store(tmp_path / "store") as store:
        store_text(store, EVIL_TEXT, "evil")
        G = network_graph(store)
    # the hostile strings did reach the graph (otherwise this test would prove nothing)
    evidence = " ".join(d["evidence"] or "" for _, d in G.nodes(data=True))
    labels = " ".join(d["label"] for _, d in G.nodes(data=True))
    assert "<img src=x" in evidence and EVIL_SCRIPT in evidence
    assert "href" in labels
    page = render_html(G, title=f"报告 {EVIL_SCRIPT}")
    nodes = assert_page_is_safe(page)
    titles = " ".join(n["title"] for n in nodes)
    assert "<img src=x onerror=alert(1)>" in titles
    assert "</script><script>alert(1)</script>" in titles
    assert "<h1>报告 &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page


def test_hostile_organisation_name_built_by_hand(tmp_path):
    with open_store(tmp_path / "store") as store:
        store.replace_report(ids.report_iri("evil-by-hand"), rdfize(hostile_extraction()))
        G = network_graph(store, include_reports=True)
        path = write_html(store, tmp_path / "evil.html", title=EVIL_ORG, include_reports=True)
    org = by_label(G, EVIL_ORG)
    assert G.nodes[org]["class"] == "Enterprise"
    assert [rel for *_, rel in G.in_edges(org, keys=True)] == ["recipient"]
    page = path.read_text(encoding="utf-8")
    nodes = assert_page_is_safe(page)
    # the canvas label is the name itself, clipped (drawn as text, never parsed as HTML) ...
    label = next(n["label"] for n in nodes if n["group"] == "Enterprise")
    assert label == EVIL_ORG[:23] + "…"
    # ... and it reaches the page only JSON-escaped
    assert "\\u003cimg src=x onerror=aler" in page
    # the tooltip shows the whole name as text (not HTML-escaped: it is shown with innerText), "href" broken up
    title = next(n["title"] for n in nodes if n["label"] == label)
    assert title.startswith("<img src=x onerror=alert(1)>有限公司")
    program = next(n for n in nodes if n["group"] == "Program")
    assert "HREF" in program["label"] and "HREF" not in program["title"] and "H\u200bREF" in program["title"]


COUNTIES = ["平安", "长宁", "永和", "新丰", "东阳", "西林", "南江", "北川", "清水", "石门", "安远", "和平"]


def funding_reports(store, n: int = 120) -> None:
    """Reports shaped like the scaled benchmark stores: many fundings share funder, recipient and programme."""
    for i in range(n):
        c = COUNTIES[i % len(COUNTIES)]
        store_text(store, f"{c}县财政局下达衔接资金{100 + i}万元,支持{i % 3 + 1}个村发展集体经济。"
                          f"中央财政下达资金{20 + i}万元。"
                          f"{c}县财政局安排村级集体经济发展专项资金{300 + i}万元,用于扶持{i % 4 + 2}个村。"
                          f"{c}县农业农村局召开推介会。", f"fund-{i:03d}")


@pytest.fixture(scope="module")
def funding_store(tmp_path_factory):
    with open_store(tmp_path_factory.mktemp("fund") / "store") as store:
        funding_reports(store)
        yield store


def expanded(store, sk) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """A grouped skeleton with every funding pseudo-node replaced by its fundings (read one by one)."""
    from kg.viz.skeleton import _group_members

    members = _group_members(store.store, sk.terms, sk.weights, dict(sk.weights))
    classes = {n: c for n, c in sk.classes.items() if n not in sk.weights}
    edges = set()
    for u, v, rel in sk.edges:
        for a in members.get(u, [u]):
            for b in members.get(v, [v]):
                edges.add((a, b, rel))
    for g, ms in members.items():
        assert len(ms) == sk.weights[g] and ms[0] == g  # named by its first funding, counted right
        classes.update(dict.fromkeys(ms, "Funding"))
    return classes, sorted(edges)


@pytest.mark.parametrize("include_text", [True, False])
@pytest.mark.parametrize("scan_min", [1000, 5])
def test_skeleton_of_a_large_store_is_the_full_graphs_nodes_and_edges(sample_store, funding_store, include_text,
                                                                       scan_min, monkeypatch):
    """The fast read of a large store (hash-joined measures, TSV, fundings grouped) sees exactly the graph the full build sees."""
    from kg.viz import skeleton
    from kg.viz.skeleton import _skeleton

    # small pseudo-nodes are read whole, large ones scanned in IRI order: both must name all members
    monkeypatch.setattr(skeleton, "_SCAN_MIN", scan_min)  # read by _group_members
    for store in (sample_store, funding_store):
        full = network_graph(store, max_nodes=None, include_text=include_text)
        nodes = {n: d["class"] for n, d in full.nodes(data=True)}
        one_by_one = _skeleton(store, include_text, group_fundings=False)
        assert one_by_one.classes == nodes and not one_by_one.weights
        assert one_by_one.edges == sorted(full.edges(keys=True))
        grouped = _skeleton(store, include_text)
        assert grouped.weights and grouped.total_nodes == full.number_of_nodes()
        assert len(grouped.classes) < len(nodes) or store is sample_store  # its fundings all differ
        assert expanded(store, grouped) == (nodes, sorted(full.edges(keys=True)))
        # measure edges are there, to a linked object and (with text nodes) to a stated one
        measures = [(u, v) for u, v, rel in one_by_one.edges
                    if rel not in ("funder", "recipient", "program", "region", "partOf", "issuer")]
        assert any(not v.startswith("text:") for _, v in measures)
        assert any(v.startswith("text:") for _, v in measures) == include_text
    # the benchmark shape: one stated funder behind every report, ten fundings per (funder, recipient)
    sk = _skeleton(funding_store, include_text)
    assert sorted(sk.weights.values())[-2:] == [10, 120] and len(sk.weights) == 25


def reduced_both_ways(store, max_nodes: int, include_text: bool = True) -> tuple[nx.MultiDiGraph, nx.MultiDiGraph]:
    """The reduced view built from the grouped read and from the one-by-one read of the fundings."""
    from kg.viz.graph import _reduced_from_skeleton
    from kg.viz.skeleton import _skeleton

    grouped = network_graph(store, max_nodes=max_nodes, include_text=include_text)
    one_by_one = _reduced_from_skeleton(store, _skeleton(store, include_text, group_fundings=False), max_nodes,
                                        include_text)
    return grouped, one_by_one


@pytest.mark.parametrize("max_nodes", [12, 20, 40])
@pytest.mark.parametrize("include_text", [True, False])
def test_grouped_fundings_give_the_same_page_and_note(funding_store, max_nodes, include_text, monkeypatch):
    """Reading fundings grouped changes nothing the page shows: nodes, clusters, links, samples, note, numbers."""
    from kg.viz import skeleton
    from kg.viz.reduce import _collapse
    from kg.viz.skeleton import _skeleton

    full = network_graph(funding_store, max_nodes=None, include_text=include_text)
    sk = _skeleton(funding_store, include_text)
    grouped_plan = _collapse(sk.classes, sk.edges, max_nodes, None, {}, sk.weights)
    # 12 and 20: no funding is among the best connected, the pseudo-nodes are used as they are;
    # 40: some are, and the view falls back to reading the fundings one by one
    assert (grouped_plan is not None) == (max_nodes < 40)
    for scan_min in (1000, 5):
        monkeypatch.setattr(skeleton, "_SCAN_MIN", scan_min)  # read by _group_members
        G, H = reduced_both_ways(funding_store, max_nodes, include_text)
        assert render_html(G) == render_html(H)
        assert G.graph == H.graph
        assert sorted(G.nodes(data=True), key=str) == sorted(H.nodes(data=True), key=str)
        assert sorted(G.edges(keys=True, data=True), key=str) == sorted(H.edges(keys=True, data=True), key=str)
    # the note's numbers are those of the whole graph
    n, e = full.number_of_nodes(), full.number_of_edges()
    clusters = [d for _, d in G.nodes(data=True) if d["type"] == "cluster"]
    kept = [v for v, d in G.nodes(data=True) if d["type"] != "cluster"]
    shown_edges = [k for *_, k in G.edges(keys=True) if k != "cluster"]
    links = sum(d["count"] for *_, k, d in G.edges(keys=True, data=True) if k == "cluster")
    assert (G.graph["total_nodes"], G.graph["total_edges"]) == (n, e)
    assert G.graph["hidden_nodes"] == n - len(kept) == sum(d["size"] for d in clusters)
    assert G.graph["hidden_edges"] == e - len(shown_edges) >= links
    assert f"{n - len(kept):,} nodes and {e - len(shown_edges):,} edges are hidden" in G.graph["note"]
    assert f"{links:,} of the hidden edges touch a cluster" in G.graph["note"]
    # every funding of the store is shown or in exactly one cluster
    fundings = sum(1 for _, d in full.nodes(data=True) if d["class"] == "Funding")
    shown = sum(1 for v in kept if G.nodes[v]["class"] == "Funding")
    assert sum(d["members_by_class"].get("Funding", 0) for d in clusters) + shown == fundings
    assert (shown > 0) == (max_nodes == 40)
    # samples name real fundings by their amounts
    samples = [m for d in clusters if d["class"] == "Funding" for m in d["sample"]]
    assert samples and all(full.nodes[m]["class"] == "Funding" for m in samples)
    assert any("万元" in d["evidence"] for d in clusters if d["class"] == "Funding")


@pytest.mark.parametrize("oddity", ["two funders", "also an actor", "object of a measure", "untyped subject",
                                    "recipient is a funding"])
def test_unusual_fundings_are_read_one_by_one(tmp_path, oddity):
    """A funding that cannot stand in a group (two values for a role, linked or typed otherwise) is read one by one."""
    from pyoxigraph import Quad

    from kg.viz.skeleton import _skeleton

    with open_store(tmp_path / "store") as store:
        funding_reports(store, 36)
        g = NamedNode(ids.report_iri("fund-000"))
        f = next(q.subject for q in store.store.quads_for_pattern(None, None, None, g)
                 if q.subject.value.startswith(ids.ID + "funding/"))
        actor = NamedNode(ids.ID + "actor/另一出资单位")
        schema, pkg = "https://schema.org/", "https://w3id.org/policy-kg/ontology#"
        rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        extra = {
            "two funders": Quad(f, NamedNode(schema + "funder"), actor, g),
            "also an actor": Quad(f, rdf_type, NamedNode(pkg + "Enterprise"), g),
            "object of a measure": Quad(next(q.subject for q in store.store.quads_for_pattern(
                None, rdf_type, NamedNode(pkg + "Measure"), g)), NamedNode(pkg + "object"), f, g),
            "recipient is a funding": Quad(next(q.subject for q in store.store.quads_for_pattern(
                None, NamedNode(pkg + "funderText"), Literal("中央财政"), NamedNode(ids.report_iri("fund-001")))),
                NamedNode(schema + "recipient"), min((q.subject for q in store.store.quads_for_pattern(
                    None, rdf_type, NamedNode(pkg + "Funding"), None)), key=lambda t: t.value), g),
            "untyped subject": Quad(NamedNode(ids.ID + "funding/x/untyped"), NamedNode(pkg + "recipientText"),
                                    Literal("某村"), g),
        }[oddity]
        store.store.add(extra)
        full = network_graph(store, max_nodes=None)
        sk = _skeleton(store, True)
        assert not sk.weights  # fell back
        assert sk.classes == {n: d["class"] for n, d in full.nodes(data=True)}
        assert sk.edges == sorted(full.edges(keys=True))
        G, H = reduced_both_ways(store, 20)
        assert render_html(G) == render_html(H) and G.graph["total_nodes"] == full.number_of_nodes()
