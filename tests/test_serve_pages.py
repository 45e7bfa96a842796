"""`kg serve`'s browse pages (server-rendered HTML), analytics and `kg analyze`, over a real server.

Hostile names from a report (``<img src=x onerror=alert(1)>有限公司``,
``</script><script>alert(1)</script>``) must come out escaped everywhere.
"""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from urllib.parse import quote

import httpx
import pytest
from serve_support import EVIL_ORG, EVIL_PROGRAM, EVIL_REPORT_ID, EVIL_SCRIPT, live_server, sample_iri, sample_store_dir

from kg.analyze import Flow, analyze, format_amount, sankey_svg
from kg.cli import main
from kg.serve.app import PAGE_CSP
from kg.serve.pages import render_segments, script_elements, script_hash
from kg.query import run_query
from kg.store import open_store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

RAW_EVIL = ("<img src=x", "<script>alert(1)", "onerror=alert(1)>")


@pytest.fixture(scope="module")
def server():
    with live_server(sample_store_dir()) as srv:
        yield srv


def get(server, path: str, **params) -> httpx.Response:
    return httpx.get(server.url + path, params=params or None, timeout=60, follow_redirects=False)


def _store():
    from pyoxigraph import Store

    return Store.read_only(str(sample_store_dir()))


PREFIXES = """PREFIX pkg: <https://w3id.org/policy-kg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def funder_of(amount: int) -> tuple[str, str]:
    """IRI and name of the actor that funds ``amount`` yuan in the samples (whatever the extractor calls it)."""
    rows = list(_store().query(PREFIXES + f"SELECT ?a ?l WHERE {{ ?f schema:amount ?amount ; schema:funder ?a . "
                                          f"?a skos:prefLabel ?l FILTER(?amount = {amount}) }}", use_default_graph_as_union=True))
    assert rows, f"no linked funder of {amount} in the samples"
    return rows[0]["a"].value, rows[0]["l"].value


def given_by(label: str) -> tuple[Decimal, int]:
    rows = run_query(_store(), "who-funds-what").as_dicts()
    mine = [Decimal(r["amount_cny"]) for r in rows if r["funder"] == label]
    return sum(mine, Decimal(0)), len(mine)


def assert_no_raw_evil(text: str) -> None:
    for raw in RAW_EVIL:
        assert raw not in text, raw


def entity_path(iri: str) -> str:
    return f"/entity?iri={quote(iri, safe='')}"


# --------------------------------------------------------------------------- home, search


def test_home_shows_counts_reports_and_fundings(server) -> None:
    r = get(server, "/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == PAGE_CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    body = r.text
    assert "<script" not in body  # browse pages carry no script at all
    assert re.search(r"<strong>3</strong> 报告 reports", body)
    assert "西宁市信保集团" in body and "1.5亿元" in body
    # a funding whose funder the report does not state says so, as /analytics does, not a blank cell
    assert "（未注明出资方）" in body and "<td></td>" not in body
    assert html.escape(f"关于{EVIL_ORG}的报告", quote=False) in body
    assert_no_raw_evil(body)
    assert 'href="http' not in body and 'src="http' not in body  # nothing from the network


def hit_names(text: str) -> list[str]:
    return [html.unescape(n) for n in re.findall(r'<a class="hit-name" href="[^"]+">([^<]+)</a>', text)]


@pytest.mark.parametrize("q, expected", [
    ("信保集团", "西宁市信保集团"),          # substring
    ("西寧市信保集團", "西宁市信保集团"),     # traditional script finds the simplified name
    ("金穗服务惠万家", "金穗服务惠万家"),
])
def test_search(server, q: str, expected: str) -> None:
    r = get(server, "/search", q=q)
    assert r.status_code == 200
    assert expected in hit_names(r.text)


def test_search_finds_by_alias(server) -> None:
    rows = list(_store().query(PREFIXES + "SELECT ?p ?a WHERE { ?x a pkg:Actor ; skos:prefLabel ?p ; skos:altLabel ?a "
                                          "FILTER(!CONTAINS(STR(?p), STR(?a))) } ORDER BY ?p LIMIT 3",
                               use_default_graph_as_union=True))
    assert rows
    for row in rows:
        r = get(server, "/search", q=row["a"].value)
        assert row["p"].value in hit_names(r.text), (row["a"].value, row["p"].value)


def test_search_ranks_exact_names_first_and_escapes(server) -> None:
    r = get(server, "/search", q="金穗服务惠万家")
    assert hit_names(r.text)[0] == "金穗服务惠万家"
    r = get(server, "/search", q="<img")
    assert_no_raw_evil(r.text)
    assert html.escape(EVIL_ORG, quote=False) in r.text
    r = get(server, "/search", q=EVIL_SCRIPT)
    assert_no_raw_evil(r.text)
    assert get(server, "/search").status_code == 200


# --------------------------------------------------------------------------- entity, report


def test_entity_page_relations_fundings_and_evidence(server) -> None:
    iri, label = funder_of(26000000)
    r = get(server, entity_path(iri))
    assert r.status_code == 200
    body = r.text
    assert f'<h1 class="entity-name">{label}</h1>' in body
    total, n = given_by(label)
    assert f"出资 gives <strong>{format_amount(total)}</strong> in {n} funding(s)" in body
    store = _store()
    for alias in store.query(PREFIXES + f"SELECT ?a WHERE {{ <{iri}> skos:altLabel ?a }}", use_default_graph_as_union=True):
        assert f'<span class="alias">{alias["a"].value}</span>' in body
    for region in store.query(PREFIXES + f"SELECT ?l WHERE {{ <{iri}> pkg:region/skos:prefLabel ?l }}",
                              use_default_graph_as_union=True):
        assert region["l"].value in body and "所属地区" in body  # a relation, as a link
    sentences = {row["s"] for row in store.query(
        PREFIXES + f"SELECT DISTINCT ?s WHERE {{ <{iri}> <http://www.w3.org/ns/prov#wasDerivedFrom>/pkg:sentence ?s }}",
        use_default_graph_as_union=True)}
    assert body.count('class="evidence-item"') == len(sentences) >= 1
    report = sample_iri("report", "qinzhou-village-collective-economy")
    assert f'href="/report?iri={quote(report, safe="")}#s-' in body
    assert '<mark class="self">' in body


def test_entity_page_of_a_recipient_and_programme(server) -> None:
    evil = sample_iri("actor", EVIL_ORG)
    r = get(server, entity_path(evil))
    assert r.status_code == 200
    body = r.text
    assert_no_raw_evil(body)
    assert html.escape(EVIL_ORG, quote=False) in body
    assert "接收 receives <strong>300万元</strong>" in body
    assert "县财政局" in body
    program = sample_iri("program", EVIL_PROGRAM)
    r = get(server, entity_path(program))
    assert r.status_code == 200 and "项目下 under this programme <strong>300万元</strong>" in r.text
    assert_no_raw_evil(r.text)


def test_entity_pages_for_every_kind(server) -> None:
    with open_store(sample_store_dir()) as store:
        rows = store.query("""SELECT ?c (SAMPLE(?x) AS ?one) WHERE {
          VALUES ?c { <https://w3id.org/policy-kg/ontology#Actor> <https://w3id.org/policy-kg/ontology#Region>
                      <https://w3id.org/policy-kg/ontology#Program> <https://w3id.org/policy-kg/ontology#PolicyDocument>
                      <https://w3id.org/policy-kg/ontology#Funding> } ?x a ?c } GROUP BY ?c""")
        samples = {row["c"].value.split("#")[1]: row["one"].value for row in rows}
    assert set(samples) == {"Actor", "Region", "Program", "PolicyDocument", "Funding"}
    for cls, iri in samples.items():
        r = get(server, entity_path(iri))
        assert r.status_code == 200, (cls, iri, r.text[:500])
        assert "关系 Relations" in r.text
    funding = get(server, entity_path(samples["Funding"])).text
    assert "金额 Amount" in funding and "CNY" in funding


def test_entity_errors(server) -> None:
    missing = get(server, entity_path("https://w3id.org/policy-kg/id/actor/%E8%B0%81"))
    assert missing.status_code == 404
    assert '<a class="search-instead" href="/search?q=%E8%B0%81">搜索 Search for “谁”</a>' in missing.text
    assert get(server, "/entity", iri="not an iri").status_code == 400
    assert get(server, "/entity").status_code == 400
    r = get(server, entity_path(sample_iri("report", "xining-sanxiang-2021")))
    assert r.status_code == 303 and r.headers["location"].startswith("/report?iri=")


def test_report_page_highlights_mentions(server) -> None:
    iri = sample_iri("report", "xining-sanxiang-2021")
    r = get(server, "/report", iri=iri)
    assert r.status_code == 200
    body = r.text
    assert "党史学习教育添动能" in body
    actor = sample_iri("actor", "西宁市信保集团")
    assert re.search(rf'<a class="mention c-FinancialInstitution" href="/entity\?iri={re.escape(quote(actor, safe=""))}"><mark>', body)
    assert '<span class="fact c-Funding">' in body
    assert re.search(r'<p class="sentence" id="s-\d+">', body)


def test_hostile_report_page_is_escaped(server) -> None:
    r = get(server, "/report", iri=sample_iri("report", EVIL_REPORT_ID))
    assert r.status_code == 200
    body = r.text
    assert_no_raw_evil(body)
    assert html.escape(EVIL_ORG, quote=False) in body
    assert html.escape(EVIL_SCRIPT, quote=False) in body
    assert "<script" not in body


def test_report_404(server) -> None:
    assert get(server, "/report", iri="https://w3id.org/policy-kg/id/report/none").status_code == 404


# --------------------------------------------------------------------------- network view


def test_network_page(server) -> None:
    r = get(server, "/network")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    body = r.text
    script_src = csp.split("script-src", 1)[1].split(";", 1)[0]
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    scripts = script_tags(body)
    assert len(scripts) >= 3
    # every inline script that runs is allowed by its own hash; data blocks do not run
    for tag, text in script_elements(body):
        if "src=" in tag or 'type="application/json"' in tag:
            continue
        assert script_hash(text) in script_src, tag
    assert {"src": "/static/network.js"} in scripts
    assert '<script type="application/json" id="kg-iris">' in body
    iris = json.loads(re.search(r'id="kg-iris">(.*?)</script>', body, re.S).group(1))
    assert sample_iri("actor", "西宁市信保集团") in iris
    assert "vis.Network" in body and 'src="http' not in body
    assert_no_raw_evil(body)
    assert "筛选 Apply" in body and "行政区域 Region" in body


def test_network_focus_filters_and_reduction(server) -> None:
    focus, _ = funder_of(26000000)
    r = get(server, "/network", focus=focus, depth=1)
    assert r.status_code == 200
    iris = json.loads(re.search(r'id="kg-iris">(.*?)</script>', r.text, re.S).group(1))
    assert focus in iris and len(iris) < 20
    r = get(server, "/network", max=10)
    assert "Reduced view" in r.text and "summary node" in r.text
    r = get(server, "/network", **{"class": "Funding", "report": sample_iri("report", "xining-sanxiang-2021")})
    assert r.status_code == 200
    iris = json.loads(re.search(r'id="kg-iris">(.*?)</script>', r.text, re.S).group(1))
    assert iris and all("/funding/xining-sanxiang-2021/" in i for i in iris if i)
    r = get(server, "/network", program=sample_iri("program", "扶社贷"))
    assert r.status_code == 200
    assert get(server, "/network", focus="https://w3id.org/policy-kg/id/actor/nobody").status_code == 404


def script_tags(page: str) -> list[dict[str, str | None]]:
    """Attributes of each <script> element, as an HTML parser sees them (script text is skipped)."""
    from html.parser import HTMLParser

    found: list[dict[str, str | None]] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):  # noqa: ANN001, ANN202
            if tag == "script":
                found.append(dict(attrs))

    Parser().feed(page)
    return found


def test_script_elements_skip_script_text() -> None:
    found = script_elements('<script>var a = "<script>x";</script><p><script type="text/javascript">1</script>')
    assert found == [("<script>", 'var a = "<script>x";'), ('<script type="text/javascript">', "1")]


# --------------------------------------------------------------------------- query page, analytics


def test_query_page_canned_and_custom(server) -> None:
    r = get(server, "/query")
    assert r.status_code == 200 and "who-funds-what" in r.text
    r = get(server, "/query", name="who-funds-what", run="1")
    assert r.status_code == 200
    assert "<th>funder</th>" in r.text and "西宁市信保集团" in r.text
    r = get(server, "/query", name="actor", run="1", **{"p.name": "西宁市信保集团"})
    assert r.status_code == 200 and "西宁市信保集团" in r.text and "行 rows" in r.text
    r = get(server, "/query", name="actor", run="1")
    assert r.status_code == 400 and "fill in the parameter" in r.text
    r = get(server, "/query", query="SELECT * WHERE { ?s ?p }", run="1")
    assert r.status_code == 400 and "syntax error" in r.text
    r = get(server, "/query", query="ASK { SERVICE <http://example.org/> { ?s ?p ?o } }", run="1")
    assert r.status_code == 403
    r = get(server, "/query", query=f"SELECT ?x WHERE {{ BIND({json.dumps(EVIL_SCRIPT)} AS ?x) }}", run="1")
    assert_no_raw_evil(r.text)
    assert html.escape(EVIL_SCRIPT, quote=False) in r.text


def test_query_page_looks_names_up_like_kg_query(server) -> None:
    # the short form the report uses, and traditional script, find the canonical name's rows
    for name in ("市农业农村局", "西寧市農業農村局"):
        r = get(server, "/query", name="actor", run="1", **{"p.name": name})
        assert r.status_code == 200 and "西宁市农业农村局" in r.text and "行 rows" in r.text, name
    r = get(server, "/query", name="actor", run="1", **{"p.name": "西宁市农业农村厅"})
    assert r.status_code == 404 and "no entity named 西宁市农业农村厅" in r.text
    assert "西宁市农业农村局" in r.text  # among the closest names


def test_query_page_runs_long_queries_by_post_and_shows_plain_values(server) -> None:
    long_query = "# " + "a comment that makes the query long " * 150 + "\n" + PREFIXES + (
        "SELECT ?f ?amount ?label ?funder WHERE { ?f schema:amount ?amount ; schema:funder ?funder . "
        "?funder skos:prefLabel ?label } ORDER BY DESC(?amount)")
    assert len(long_query.encode()) > 5000
    r = httpx.post(server.url + "/query", data={"query": long_query, "run": "1"}, timeout=60)
    assert r.status_code == 200, r.text[-2000:]
    table = r.text.split('<table class="data results-table">', 1)[1]
    table = table.split("</table>", 1)[0]
    visible = re.sub(r"<[^>]+>", "", table)
    assert "^^" not in visible and "@zh" not in visible and "integer" not in visible and "西宁市信保集团" in visible
    # the label is plain text, with its language in a tooltip; the amount is written as analysts write it
    assert '<span class="lit" title="@zh">西宁市信保集团</span>' in table
    assert '<span class="lit num" title="150000000 CNY (xsd:decimal)">1.5亿元</span>' in table
    # an IRI of the graph links to its page, by its readable path
    funder = sample_iri("actor", "西宁市信保集团")
    assert f'<a class="iri" href="/entity?iri={quote(funder, safe="")}" title="{funder}">actor/西宁市信保集团</a>' in table
    # who-funds-what gives its amounts as strings (it sorts on them): still written as amounts
    canned = get(server, "/query", name="who-funds-what", run="1").text
    assert '<span class="lit num" title="150000000 CNY (xsd:string)">1.5亿元</span>' in canned
    # the form posts: the query never travels in the URL
    assert '<form action="/query" method="post">' in r.text
    assert "query=" not in str(r.url)


def test_query_page_refuses_an_oversized_form(server) -> None:
    from kg.serve.app import MAX_SPARQL_BYTES

    r = httpx.post(server.url + "/query", content=b"query=" + b"x" * MAX_SPARQL_BYTES,
                   headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=60)
    assert r.status_code == 413 and "larger than" in r.text


def test_query_page_other_iris_are_short_names_not_dead_links(server) -> None:
    r = get(server, "/query", query="SELECT ?t WHERE { ?x a ?t } GROUP BY ?t ORDER BY ?t", run="1")
    assert r.status_code == 200
    table = r.text.split('<table class="data results-table">', 1)[1]
    assert '<span class="iri" title="https://w3id.org/policy-kg/ontology#Enterprise">pkg:Enterprise</span>' in table
    assert "/entity?iri=https%3A%2F%2Fw3id.org%2Fpolicy-kg%2Fontology" not in table


@pytest.mark.parametrize("name", ["who-funds-what", "funding-by-funder", "actors", "timeline", "search"])
def test_canned_query_text_is_readable_and_runs_the_same_query(server, name) -> None:
    from kg.query import load_query

    canned = load_query(name)
    page = get(server, "/query", name=name).text
    shown = html.unescape(re.search(r'<textarea name="query"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    assert not any(line.lstrip().startswith("#") for line in shown.splitlines()), shown[:300]
    assert "oxigraph" not in shown.lower()
    assert canned.description.split()[0] in page  # what the query does is said above the editor
    params = {"q": "西宁"} if canned.params else {}
    form = {"name": name, "query": shown, "run": "1", **{f"p.{k}": v for k, v in params.items()}}
    r = httpx.post(server.url + "/query", data=form, timeout=60)
    assert r.status_code == 200, r.text[-1500:]
    rows = re.search(r"(\d+) 行 rows", r.text)
    assert rows and int(rows.group(1)) == len(run_query(_store(), canned, params).rows) > 0


def test_analytics_page(server) -> None:
    r = get(server, "/analytics")
    assert r.status_code == 200
    body = r.text
    assert "<svg" in body and 'class="sankey"' in body
    assert "西宁市信保集团" in body and funder_of(26000000)[1] in body
    assert "按地区 By region" in body
    assert_no_raw_evil(body)
    assert "<script" not in body


def test_static_and_unknown_paths(server) -> None:
    assert get(server, "/static/kg.css").status_code == 200
    assert get(server, "/static/network.js").headers["content-type"].split(";")[0] in (
        "text/javascript", "application/javascript")
    r = get(server, "/no-such-page")
    assert r.status_code == 404 and "未找到" in r.text


# --------------------------------------------------------------------------- analytics library and CLI


def test_analyze_totals_and_central_actors() -> None:
    with open_store(sample_store_dir()) as store:
        a = analyze(store)
    funders = {t.name: t.amount for t in a.by_funder}
    assert funders["西宁市信保集团"] == Decimal(150000000)
    _, label = funder_of(26000000)
    assert funders[label] == given_by(label)[0]
    assert funders["县财政局"] == Decimal(3000000)
    assert {t.name for t in a.by_recipient} >= {EVIL_ORG, "128个村"}
    assert len(a.by_region) >= 2
    assert a.total == sum((t.amount for t in a.by_funder), Decimal(0))
    # ranked by the money an actor gives and receives, then by its fundings
    keys = [(c.money, c.fundings) for c in a.central]
    assert a.central and keys == sorted(keys, reverse=True)
    assert a.central[0].label == "西宁市信保集团" and a.central[0].money == Decimal(150000000)
    assert label in {c.label for c in a.central}
    assert a.betweenness_shown == any(c.betweenness > 0 for c in a.central)


def test_betweenness_is_left_out_where_it_is_zero_for_every_actor() -> None:
    from kg import ids
    from kg.analyze import format_analysis
    from kg.pipeline import extract_text
    from kg.rdfize import rdfize

    with open_store(":memory:") as store:
        store.replace_report(ids.report_iri("one"), rdfize(extract_text("市财政局下达资金200万元。", "one")))
        from kg.viz import network_graph

        # the agency and its funding only: neither lies between two others
        a = analyze(store, graph=network_graph(store, max_nodes=None, include_text=False))
    assert [(c.label, c.money, c.fundings, c.betweenness) for c in a.central] == [
        ("市财政局", Decimal(2000000), 1, 0.0)]
    assert not a.betweenness_shown
    table = format_analysis(a)
    assert "betweenness" not in table and "money" in table and "200万元" in table


def test_analytics_counts_the_graph_the_network_view_draws(server) -> None:
    network = get(server, "/network").text
    shown = re.search(r'<p class="kg-summary">([\d,]+) nodes, ([\d,]+) edges', network)
    assert shown, network[-3000:]
    iris = json.loads(re.search(r'id="kg-iris">(.*?)</script>', network, re.S).group(1))
    assert len(iris) == int(shown.group(1).replace(",", ""))
    body = get(server, "/analytics").text
    assert f"graph of {shown.group(1)} nodes and {shown.group(2)} edges" in body
    # the central actors table: money first, class names as the legend writes them
    first = re.search(r'<table class="data central">.*?<tbody>\s*<tr><td><a [^>]+>([^<]+)</a></td><td><span [^>]+>([^<]+)<',
                      body, re.S)
    assert first.groups() == ("西宁市信保集团", "金融机构 Financial institution")


def test_sankey_escapes_and_folds_small_names() -> None:
    flows = [Flow(f"出资方{i}", "项目", f"<b>接收方{i}</b>", Decimal(100 + i), 1) for i in range(30)]
    svg = sankey_svg(flows, top=5)
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "其他 26 项" in svg
    assert "<script" not in svg and "style=" not in svg


def test_render_segments_escapes() -> None:
    out = render_segments([{"kind": "span", "targets": [{"target": "http://x/<a>", "cls": "Funding"}],
                            "children": [{"kind": "text", "text": EVIL_SCRIPT}]}])
    assert "<script" not in out and "&lt;/script&gt;" in out


def test_kg_analyze_cli(capsys, tmp_path) -> None:
    svg = tmp_path / "flows.svg"
    assert main(["--store", str(sample_store_dir()), "analyze", "--top", "5", "--svg", str(svg)]) == 0
    out = capsys.readouterr().out
    assert "Most central actors" in out and "Funding by funder" in out and "西宁市信保集团" in out
    assert svg.read_text(encoding="utf-8").startswith("<svg")
    assert main(["--store", str(sample_store_dir()), "analyze", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by_funder"][0]["name"] == "西宁市信保集团"


def test_kg_serve_cli_arguments() -> None:
    from kg.cli import build_parser

    args = build_parser().parse_args(["serve", "--port", "9000", "--query-timeout", "3", "--max-rows", "7",
                                      "--allow-service"])
    assert (args.port, args.query_timeout, args.max_rows, args.allow_service, args.host) == (9000, 3.0, 7, True,
                                                                                            "127.0.0.1")
