"""``--store http://…``: the same commands against a real Oxigraph server (the ``oxigraph`` wheel).

The server is started on 127.0.0.1 on a free port for this module and stopped after it.
Rows, exports, network views and stats must equal those of a local store.
"""

from __future__ import annotations

import io
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kg.cli import main
from kg.export import export
from kg.pipeline import ingest
from kg.query import list_queries, run_query
from kg.remote import RemoteStore, _bind
from kg.store import open_store
from kg.validate import validate
from kg.viz import network_graph

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "reports"
PARAMS = {"actor": {"name": "西宁市农业农村局"}, "actor-fundings": {"name": "西宁市信保集团"},
          "evidence": {"name": "西宁市信保集团"}, "search": {"q": "西宁"}}


def _oxigraph() -> str:
    exe = Path(sys.executable).with_name("oxigraph")
    found = str(exe) if exe.exists() else shutil.which("oxigraph")
    if not found:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(location: Path) -> tuple[subprocess.Popen, str]:
    """Start ``oxigraph serve`` on a free loopback port; wait until it answers."""
    port = _free_port()
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


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    proc, url = start_server(tmp_path_factory.mktemp("oxigraph"))
    try:
        yield url
    finally:
        stop_server(proc)


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
    sent = []
    real = remote.store.update
    remote.store.update = lambda sparql: (sent.append(sparql), real(sparql))[1]
    try:
        summary = ingest([REPORTS], remote)
    finally:
        remote.store.update = real
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


def test_a_server_that_is_down_is_an_error_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    assert main(["--store", url, "query", "actors"]) == 2
    assert "error:" in capsys.readouterr().err
