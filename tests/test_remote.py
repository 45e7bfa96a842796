"""``--store http://…``: the same commands against a real Oxigraph server (the ``oxigraph`` wheel).

The server is started on 127.0.0.1 on a free port for this module and stopped after it.
Rows, exports, network views and stats must equal those of a local store; ``kg serve``
over the server (``create_app(url)``) answers pages, SPARQL and writes from it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from pyoxigraph import NamedNode
from serve_support import check_browse_pages, free_port, ingest_recording_updates, sparql_select, stop_process

from kg.cli import main
from kg.export import export
from kg.pipeline import ingest
from kg.query import list_queries, run_query
from kg.remote import RemoteStore, _bind
from kg.store import open_store
from kg.validate import validate
from kg.viz import network_graph
from kg.vocab import PKG

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "reports"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # starlette's TestClient on httpx

PARAMS = {"actor": {"name": "西宁市农业农村局"}, "actor-fundings": {"name": "西宁市信保集团"},
          "evidence": {"name": "西宁市信保集团"}, "search": {"q": "西宁"},
          "funder-totals": {"name": "西宁市信保集团"}, "program-totals": {"name": "金穗服务惠万家"},
          "region-totals": {"name": "秦州区"}, "indicator-series": {"name": "西宁市"},
          "program-history": {"name": "三乡工程"}}


def _oxigraph() -> str:
    exe = Path(sys.executable).with_name("oxigraph")
    found = str(exe) if exe.exists() else shutil.which("oxigraph")
    if not found:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    return found


def start_server(location: Path) -> tuple[subprocess.Popen, str]:
    """Start ``oxigraph serve`` on a free loopback port; wait until it answers."""
    port = free_port()
    proc = subprocess.Popen([_oxigraph(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2).read()
            return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"oxigraph server did not start: {proc.stderr.read().decode()[-500:]}")
            time.sleep(0.1)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    proc, url = start_server(tmp_path_factory.mktemp("oxigraph"))
    try:
        yield url
    finally:
        stop_process(proc)


@pytest.fixture(scope="module")
def stores(server: str):
    """The sample reports ingested into the server and into a local store."""
    local = open_store(":memory:")
    remote = open_store(server)
    assert isinstance(remote, RemoteStore)
    remote.clear()
    a = ingest([REPORTS], local)
    b = ingest([REPORTS], remote)
    assert a.ok and b.ok and a.triples == b.triples > 0
    yield local, remote
    remote.close()


def test_bind_puts_values_in_every_where_group() -> None:
    q = "SELECT ?q ?x WHERE { { SELECT ?q ?x WHERE { ?x ?p ?l FILTER(CONTAINS(?l, ?q)) } } }"
    out = _bind(q, {"q": '"a\\"b"'})
    assert out.count('VALUES ?q { "a\\"b" }') == 2


def test_every_canned_query_gives_the_same_rows(stores) -> None:
    local, remote = stores
    assert remote.store.supports_lateral  # the LATERAL forms are sent, as to a local store
    for q in list_queries():
        params = PARAMS.get(q.name, {})
        a = run_query(local, q, params)
        b = run_query(remote, q, params)
        assert a.columns == b.columns, q.name
        assert sorted(a.rows, key=repr) == sorted(b.rows, key=repr), q.name
        if q.name in PARAMS or q.name == "who-funds-what":
            assert a.rows, f"{q.name} found nothing; the comparison would prove little"


def test_one_request_per_report_and_replacing_keeps_counts(stores) -> None:
    local, remote = stores
    summary, sent = ingest_recording_updates(remote, [REPORTS])
    assert len(sent) == summary.reports == len(list(REPORTS.glob("*.txt")))
    assert all(s.startswith("DROP SILENT GRAPH <") for s in sent)
    assert remote.count_quads() == local.count_quads()
    assert remote.reports() == local.reports()
    assert remote.stats() == local.stats()


def test_export_is_the_same(stores) -> None:
    local, remote = stores
    for fmt in ("nquads", "ntriples"):
        a, b = io.BytesIO(), io.BytesIO()
        na, nb = export(local, fmt, a), export(remote, fmt, b)
        assert na == nb
        assert sorted(a.getvalue().splitlines()) == sorted(b.getvalue().splitlines()), fmt


def test_network_view_and_validation_are_the_same(stores) -> None:
    local, remote = stores
    ga, gb = network_graph(local, max_nodes=None), network_graph(remote, max_nodes=None)
    assert sorted(ga.nodes) == sorted(gb.nodes)
    assert sorted(ga.edges(keys=True)) == sorted(gb.edges(keys=True))
    report = local.reports()[0]
    assert sorted(network_graph(local, report=report).nodes) == sorted(network_graph(remote, report=report).nodes)
    assert validate(remote).conforms == validate(local).conforms


def test_skip_existing_against_the_server(stores) -> None:
    _, remote = stores
    summary = ingest([REPORTS], remote, skip_existing=True)
    assert summary.reports == 0 and summary.skipped == len(list(REPORTS.glob("*.txt")))


def test_commands_take_a_server_url(server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--store", server, "ingest", str(REPORTS), "--jobs", "1", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["--store", server, "query", "who-funds-what", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.strip().splitlines()
    assert rows[0].startswith("funder,amount_cny") and len(rows) > 5
    assert main(["--store", server, "export", "--format", "trig", "-o", str(tmp_path / "g.trig")]) == 0
    assert (tmp_path / "g.trig").stat().st_size > 1000
    assert main(["--store", server, "viz", "-o", str(tmp_path / "g.html")]) == 0
    assert "vis-network" in (tmp_path / "g.html").read_text(encoding="utf-8")
    assert main(["--store", server, "stats"]) == 0
    assert "reports" in capsys.readouterr().out
    assert main(["--store", server, "optimize"]) == 0  # the server manages its storage: say so, claim nothing
    assert capsys.readouterr().out.strip() == (f"nothing to optimize: {server} is a SPARQL server, "
                                               "which manages its own storage")


def test_a_server_that_is_down_is_an_error_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    assert main(["--store", url, "query", "actors"]) == 2
    assert "error:" in capsys.readouterr().err


# --------------------------------------------------------------------------- kg serve over the server

SERVE_TOKEN = "remote-serve-token"
NEW_NAME = "远程测试新主体"
# 100^4 = 10^8 joined rows to count: seconds of work on the server, far past the 2 s limit
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"{{ SELECT ?x{i} WHERE {{ GRAPH ?g{i} {{ ?x{i} ?p{i} ?o{i} }} }} LIMIT 100 }}" for i in range(4)) + " }"


@pytest.fixture(scope="module")
def client(stores, server: str):
    """``create_app(url)`` over the server (one worker per pool), through Starlette's TestClient."""
    from starlette.testclient import TestClient

    from kg.serve import create_app

    app = create_app(server, update_token=SERVE_TOKEN, query_timeout=2.0, max_rows=500,
                     sparql_workers=1, page_workers=1, heavy_workers=1)
    with TestClient(app) as c:
        yield c


def test_serve_browse_pages_read_the_server(client) -> None:
    check_browse_pages(client)


def test_serve_sparql_endpoint_answers_like_a_local_store(client, stores) -> None:
    from kg.query import load_query

    local, _ = stores
    text = load_query("who-funds-what").text
    expected = [tuple(r) for r in local.store.query(text, use_default_graph_as_union=True)]
    got = sparql_select(client, text)
    assert expected and sorted(got, key=repr) == sorted(expected, key=repr)
    # the protocol's dataset parameters reach the server: one report graph as the default graph
    report = local.reports()[0]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(sparql_select(client, count, **{"default-graph-uri": report})[0][0].value) == local.count_quads(report)
    r = client.get("/store", params={"graph": report}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and len(r.text.splitlines()) == local.count_quads(report)
    bad = client.post("/sparql", data={"query": "SELECT ?x WHERE { ?x ?p }"})
    assert bad.status_code == 400 and "400" in bad.text  # the server's parser refused it


def test_serve_refuses_a_server_that_does_not_answer() -> None:
    from kg.errors import StoreError
    from kg.serve import create_app

    with pytest.raises(StoreError, match="SPARQL server"):
        create_app(f"http://127.0.0.1:{free_port()}")


def test_serve_writes_need_the_token_and_reach_the_server(client, stores) -> None:
    _, remote = stores
    graph = "urn:test:serve-remote"
    insert = (f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:test:new> a <{PKG.Enterprise}> ; '
              f'<http://www.w3.org/2004/02/skos/core#prefLabel> "{NEW_NAME}"@zh }} }}')
    assert "urn%3Atest%3Anew" not in client.get("/search", params={"q": NEW_NAME}).text  # now cached
    try:
        refused = client.post("/sparql", data={"update": insert})
        assert refused.status_code == 403
        assert not remote.store.contains_named_graph(NamedNode(graph))
        ok = client.post("/sparql", content=insert.encode(), headers={
            "Content-Type": "application/sparql-update", "Authorization": f"Bearer {SERVE_TOKEN}"})
        assert ok.status_code == 204, ok.text
        assert remote.store.contains_named_graph(NamedNode(graph))  # on the server itself
        assert sparql_select(client, f"SELECT ?x WHERE {{ GRAPH <{graph}> {{ ?x a ?c }} }}") == [(NamedNode("urn:test:new"),)]
        assert "urn%3Atest%3Anew" in client.get("/search", params={"q": NEW_NAME}).text  # the cache was dropped
        # Graph Store writes become updates on the server too
        gsp = "urn:test:serve-gsp"
        put = client.put("/store", params={"graph": gsp}, content=b"<urn:a> <urn:b> <urn:c> .",
                         headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {SERVE_TOKEN}"})
        assert put.status_code == 201, put.text
        assert [str(q.object) for q in remote.store.quads_for_pattern(None, None, None, NamedNode(gsp))] == ["<urn:c>"]
        assert client.delete("/store", params={"graph": gsp}).status_code == 403
        assert client.delete("/store", params={"graph": gsp},
                             headers={"Authorization": f"Bearer {SERVE_TOKEN}"}).status_code == 204
        assert not remote.store.contains_named_graph(NamedNode(gsp))
    finally:
        remote.store.update(f"DROP SILENT GRAPH <{graph}> ; DROP SILENT GRAPH <urn:test:serve-gsp>")


def test_serve_stops_a_query_at_the_time_limit(client) -> None:
    start = time.monotonic()
    r = client.post("/sparql", data={"query": SLOW_QUERY})
    assert r.status_code == 503 and "time limit" in r.text
    assert time.monotonic() - start < 5
    r = client.get("/sparql", params={"query": "ASK { GRAPH ?g { ?s ?p ?o } }"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.json()["boolean"] is True  # a fresh worker answers at once
