"""``--store http://…/sparql``: the same commands against a real Virtuoso 7 (Debian's ``virtuoso-opensource``).

A private Virtuoso is started for this module in a temporary folder, on free loopback
ports, from a copy of the installed ``virtuoso.ini`` (its own database, small buffers),
and stopped after it; the system service is never used. The anonymous SPARQL user is
given the right to update (the setup the README asks for). Stats, rows, exports, the
network view and validation must equal those of a local store built from the same
sample reports. Virtuoso 7.2 has no ``LATERAL`` (SPARQL SEP-0006): the canned queries
that use it run in their plain SPARQL 1.1 form (``queries/sparql11/README.md``) and must give the
same rows. ``kg serve`` over it answers its pages and its SPARQL endpoint.
"""

from __future__ import annotations

import configparser
import csv
import io
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from contract import CONTRACT
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Variable, parse, serialize
from serve_support import check_browse_pages, free_port, ingest_recording_updates, sparql_select, stop_process

from kg.cli import main
from kg.export import export
from kg.pipeline import ingest
from kg.query import QueryResult, list_queries, load_query, run_query
from kg.remote import RemoteError, RemoteStore
from kg.store import open_store
from kg.validate import validate
from kg.viz import network_graph

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "reports"
SYSTEM_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
ROW_LIMIT = 20_000
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

PARAMS = {"actor": {"name": "西宁市农业农村局"}, "actor-fundings": {"name": "西宁市信保集团"},
          "evidence": {"name": "西宁市信保集团"}, "search": {"q": "西宁"},
          "funder-totals": {"name": "西宁市信保集团"}, "program-totals": {"name": "金穗服务惠万家"},
          "region-totals": {"name": "秦州区"}, "indicator-series": {"name": "西宁市"},
          "program-history": {"name": "三乡工程"}}
# the canned queries that use LATERAL (SPARQL SEP-0006), which Virtuoso 7.2 does not parse
LATERAL = {q.name for q in list_queries() if "LATERAL" in q.text}


def _binary(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if not found:
        pytest.skip(f"{name} is not installed (Debian: apt-get install virtuoso-opensource; `make virtuoso`)")
    return found


def write_ini(folder: Path, sql_port: int, http_port: int) -> Path:
    """A copy of the installed virtuoso.ini with its own files, ports and small buffers."""
    cfg = configparser.ConfigParser(interpolation=None, strict=False, comment_prefixes=(";", "#"),
                                    inline_comment_prefixes=(";",))
    cfg.optionxform = str  # keys are case-sensitive for Virtuoso's readers
    if SYSTEM_INI.is_file():
        cfg.read(SYSTEM_INI, encoding="utf-8")

    def put(section: str, **values: object) -> None:
        if not cfg.has_section(section):
            cfg.add_section(section)
        for key, value in values.items():
            cfg[section][key] = str(value)

    put("Database", DatabaseFile=folder / "virtuoso.db", ErrorLogFile=folder / "virtuoso.log",
        LockFile=folder / "virtuoso.lck", TransactionFile=folder / "virtuoso.trx",
        xa_persistent_file=folder / "virtuoso.pxa", Striping=0, TempStorage="TempDatabase")
    put("TempDatabase", DatabaseFile=folder / "virtuoso-temp.db", TransactionFile=folder / "virtuoso-temp.trx",
        Striping=0)
    put("Parameters", ServerPort=f"127.0.0.1:{sql_port}", DisableUnixSocket=1, DisableTcpSocket=0,
        ServerThreads=4, NumberOfBuffers=4000, MaxDirtyBuffers=3000, CheckpointInterval=0,
        MaxQueryMem="256M", ThreadsPerQuery=2, AsyncQueueMaxThreads=2,
        DirsAllowed=f"., {folder}, /usr/share/virtuoso-opensource-7/vad")
    put("HTTPServer", ServerPort=f"127.0.0.1:{http_port}", ServerThreads=4, MaxClientConnections=4)
    put("URIQA", DefaultHost=f"127.0.0.1:{http_port}")
    # above every dump and count of the tests (the samples are ~2,300 quads, plus 12,000 written
    # by test_large_graphs...), below the result of test_a_result_cut_at_the_row_limit_is_an_error
    put("SPARQL", ResultSetMaxRows=ROW_LIMIT, MaxQueryExecutionTime=60, MaxQueryCostEstimationTime=0)
    for section in ("Plugins",):  # nothing to load into a test server
        cfg.remove_section(section)
    ini = folder / "virtuoso.ini"
    with ini.open("w", encoding="utf-8") as f:
        cfg.write(f)
    return ini


def start_virtuoso(folder: Path) -> tuple[subprocess.Popen, str, int]:
    """Start a private ``virtuoso-t`` in ``folder``; wait until its SPARQL endpoint answers."""
    exe = _binary("virtuoso-t")
    sql_port, http_port = free_port(), free_port()
    ini = write_ini(folder, sql_port, http_port)
    proc = subprocess.Popen([exe, "+foreground", "+configfile", str(ini)], cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{http_port}/sparql"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=5) as r:
                r.read()
            return proc, url, sql_port
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                stop_process(proc, timeout=20)
                log = folder / "virtuoso.log"
                tail = log.read_text("utf-8", "replace")[-1500:] if log.exists() else "(no log)"
                raise RuntimeError(f"virtuoso did not start:\n{tail}") from None
            time.sleep(0.25)


def isql(sql_port: int, *statements: str) -> str:
    """Run SQL statements as dba through ``isql-vt``; raise if one fails."""
    exe = _binary("isql-vt")
    done = subprocess.run([exe, f"127.0.0.1:{sql_port}", "dba", "dba", "VERBOSE=OFF", "BANNER=OFF",
                           "ERRORS=STDOUT", "exec=" + " ".join(statements)],
                          check=False, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    out = done.stdout + done.stderr
    if done.returncode != 0 or "*** Error" in out:
        raise RuntimeError(f"isql failed ({done.returncode}): {out[-1500:]}")
    return out


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory):
    """The URL of a private Virtuoso whose anonymous SPARQL user may update every graph."""
    proc, url, sql_port = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        isql(sql_port, 'GRANT SPARQL_UPDATE TO "SPARQL";', "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);")
        yield url
    finally:
        stop_process(proc, timeout=20)


@pytest.fixture(scope="module")
def stores(virtuoso: str):
    """The sample reports ingested by ``kg --store URL ingest`` and into a local store."""
    local = open_store(":memory:")
    assert ingest([REPORTS], local).ok
    assert main(["--store", virtuoso, "ingest", str(REPORTS), "--jobs", "1", "--quiet"]) == 0
    remote = open_store(virtuoso)
    assert isinstance(remote, RemoteStore) and remote.store.flavor == "virtuoso"
    yield local, remote
    remote.close()


def _quads(data: bytes) -> set:
    return set(parse(data, RdfFormat.N_QUADS))


def test_reports_and_stats_are_the_same(stores, capsys: pytest.CaptureFixture[str]) -> None:
    local, remote = stores
    # Virtuoso's own graphs (virtrdf#, DAV, …) are not reports
    assert remote.reports() == local.reports() and len(local.reports()) == len(list(REPORTS.glob("*.txt")))
    assert remote.count_quads() == local.count_quads() > 1000
    for report in local.reports():  # queries that name a graph
        assert remote.has_report(report) and remote.count_quads(report) == local.count_quads(report) > 100
    assert not remote.has_report("http://www.openlinksw.com/schemas/virtrdf#")
    assert remote.stats() == local.stats()
    capsys.readouterr()
    assert main(["--store", remote.location, "stats"]) == 0
    printed = capsys.readouterr().out
    assert all(f"{key}" in printed and str(value) in printed for key, value in local.stats().items())


def test_without_lateral_the_plain_sparql11_forms_are_sent(stores) -> None:
    _, remote = stores
    assert LATERAL == {"actor-fundings", "evidence", "region-totals", "search"}
    assert remote.store.supports_lateral is False
    for name in sorted(LATERAL):  # the LATERAL form itself is refused by Virtuoso's parser
        with pytest.raises(RemoteError, match=r"400 .*SP030.*syntax error at 'LATERAL'"):
            bound = {Variable(k): Literal(v) for k, v in PARAMS[name].items()}
            remote.store.query(load_query(name).text, substitutions=bound)


def test_virtuoso_concat_of_an_unbound_value_is_a_string(stores) -> None:
    """Why the plain form of the actor query makes its two-value texts in subqueries."""
    local, remote = stores
    probe = ('SELECT ?x WHERE { OPTIONAL { ?s <urn:kg:none> ?y } '
             'BIND(COALESCE(CONCAT(?y, " ", ?y), "fallback") AS ?x) }')
    assert [row[0].value for row in local.store.query(probe)] == ["fallback"]
    assert [row[0].value for row in remote.store.query(probe)] == [" "]


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_canned_query_gives_the_same_rows(stores, name: str) -> None:
    local, remote = stores
    params = PARAMS.get(name, {})
    b = run_query(remote, name, params)
    a = run_query(local, name, params)
    assert a.columns == b.columns
    if name == "search":  # GROUP_CONCAT's order is the engine's: Virtuoso does not keep the subquery's ORDER BY
        a, b = (QueryResult(r.columns, [(*row[:3], frozenset(row[3].split(" | ")), row[4]) for row in r.rows])
                for r in (a, b))
    assert sorted(a.rows, key=repr) == sorted(b.rows, key=repr)
    if name in CONTRACT:
        assert ",".join(b.columns) == CONTRACT[name]
    if name in PARAMS or name in CONTRACT:
        assert b.rows, f"{name} found nothing; the comparison would prove little"


@pytest.mark.parametrize("name", ["actor-fundings", "evidence"])
def test_a_stated_text_is_found_like_a_name(stores, name: str) -> None:
    """The plain forms join a stated recipient text on the name's plain string, bound where the name is."""
    local, remote = stores
    a, b = (run_query(store, name, {"name": "薄弱村"}) for store in (local, remote))
    assert a.rows and sorted(a.rows, key=repr) == sorted(b.rows, key=repr)


def test_who_funds_what_rows_from_the_command(stores, capsys: pytest.CaptureFixture[str]) -> None:
    local, remote = stores
    capsys.readouterr()
    assert main(["--store", remote.location, "query", "who-funds-what", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == CONTRACT["who-funds-what"]
    got = list(csv.DictReader(io.StringIO(out)))
    expected = run_query(local, "who-funds-what").as_dicts()
    assert len(expected) > 5
    assert sorted(got, key=repr) == sorted(({k: v or "" for k, v in row.items()} for row in expected), key=repr)
    # largest first, as locally (ties may come in another order)
    amounts = [int(row["amount_cny"]) for row in got]
    assert amounts == sorted(amounts, reverse=True) == [int(row["amount_cny"]) for row in expected]


def test_nquads_export_is_the_same(stores, tmp_path: Path) -> None:
    local, remote = stores
    a, b = io.BytesIO(), io.BytesIO()
    assert export(local, "nquads", a) == export(remote, "nquads", b)
    assert _quads(a.getvalue()) == _quads(b.getvalue())
    out = tmp_path / "g.nq"
    assert main(["--store", remote.location, "export", "--format", "nquads", "-o", str(out)]) == 0
    assert _quads(out.read_bytes()) == _quads(a.getvalue())
    # TriG and JSON-LD list the graphs too; Turtle and N-Triples are a CONSTRUCT over the union
    # default graph, where Virtuoso's own graphs must stay out as well
    for fmt, rdf_format in (("trig", RdfFormat.TRIG), ("jsonld", RdfFormat.JSON_LD),
                            ("ntriples", RdfFormat.N_TRIPLES), ("turtle", RdfFormat.TURTLE)):
        a, b = io.BytesIO(), io.BytesIO()
        assert export(local, fmt, a) == export(remote, fmt, b)
        assert set(parse(a.getvalue(), rdf_format)) == set(parse(b.getvalue(), rdf_format)), fmt


def test_reingest_replaces_each_report_graph(stores) -> None:
    local, remote = stores
    summary, sent = ingest_recording_updates(remote, [REPORTS])
    assert summary.ok and len(sent) == summary.reports == len(list(REPORTS.glob("*.txt")))
    assert all(s.startswith("DROP SILENT GRAPH <") for s in sent)
    assert remote.count_quads() == local.count_quads()
    assert remote.stats() == local.stats()
    skipped = ingest([REPORTS], remote, skip_existing=True)
    assert skipped.reports == 0 and skipped.skipped == len(list(REPORTS.glob("*.txt")))


def test_viz_and_validate(stores, tmp_path: Path) -> None:
    local, remote = stores
    ga, gb = network_graph(local, max_nodes=None), network_graph(remote, max_nodes=None)
    assert sorted(ga.nodes) == sorted(gb.nodes)
    assert sorted(ga.edges(keys=True)) == sorted(gb.edges(keys=True))
    for report in local.reports():  # one report's graph (bound as a VALUES block)
        assert sorted(network_graph(local, report=report).nodes) == sorted(network_graph(remote, report=report).nodes)
    page = tmp_path / "g.html"
    assert main(["--store", remote.location, "viz", "-o", str(page)]) == 0
    assert "vis-network" in page.read_text(encoding="utf-8")
    a, b = validate(local), validate(remote)
    assert a.conforms and b.conforms == a.conforms and b.violations == a.violations
    assert main(["--store", remote.location, "validate"]) == 0


def test_serve_pages_and_endpoint_over_virtuoso(stores) -> None:
    """``kg serve --store URL`` over Virtuoso: the browse pages (search and the entity page run the
    plain SPARQL 1.1 queries) and the SPARQL endpoint give what they give over a local store."""
    from starlette.testclient import TestClient

    from kg.serve import create_app

    local, remote = stores
    app = create_app(remote.location, query_timeout=30.0, max_rows=500,
                     sparql_workers=1, page_workers=1, heavy_workers=1)
    with TestClient(app) as client:
        check_browse_pages(client)
        assert client.get("/report", params={"iri": local.reports()[0]}).status_code == 200
        # the query page shows and runs the plain form of a LATERAL query
        r = client.get("/query", params={"name": "evidence", "run": "1", "p.name": "西宁市信保集团"})
        assert r.status_code == 200 and "LATERAL {" not in r.text and "金穗服务惠万家" in r.text
        text = load_query("who-funds-what").text
        got = sparql_select(client, text)
        expected = [tuple(row) for row in local.store.query(text, use_default_graph_as_union=True)]
        assert expected and sorted(got, key=repr) == sorted(expected, key=repr)


def test_large_graphs_are_written_in_one_request(stores, tmp_path: Path) -> None:
    """Virtuoso's parser refuses an INSERT DATA of ~5,000 triples: a report graph or a load batch is split."""
    _, remote = stores
    big, loaded = "https://example.org/test/big", "https://example.org/test/loaded"
    p = NamedNode("https://example.org/test/p")

    def quads(n: int, graph: str) -> list[Quad]:
        return [Quad(NamedNode(f"https://example.org/test/s{i}"), p, Literal(f"值 {i}\n", language="zh"), NamedNode(graph))
                for i in range(n)]

    sent = []
    real = remote.store.update
    remote.store.update = lambda sparql: (sent.append(sparql), real(sparql))[1]
    try:
        assert remote.replace_report(big, quads(12_000, big)) == 12_000
        assert remote.count_quads(big) == 12_000 and len(sent) == 1
        assert remote.replace_report(big, quads(3, big)) == 3 and remote.count_quads(big) == 3  # replaced
        nt = tmp_path / "big.nt"
        nt.write_bytes(serialize((q.triple for q in quads(12_000, loaded)), format=RdfFormat.N_TRIPLES))
        assert main(["--store", remote.location, "load", str(nt), "--graph", loaded]) == 0
        assert remote.count_quads(loaded) == 12_000
        assert {str(q.object) for q in remote.store.quads_for_pattern(NamedNode("https://example.org/test/s7"), p, None)} \
            == {'"值 7\\n"@zh'}
    finally:
        remote.store.update = real
        real(f"DROP SILENT GRAPH <{big}> ; DROP SILENT GRAPH <{loaded}>")


def test_a_result_cut_at_the_row_limit_is_an_error(stores) -> None:
    _, remote = stores
    values = " ".join(str(i) for i in range(28))  # 28^3 = 21,952 rows > ROW_LIMIT
    sparql = f"SELECT ?a ?b ?c WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} VALUES ?c {{ {values} }} }}"
    with pytest.raises(RemoteError, match=f"cut the result at {ROW_LIMIT} rows.*ResultSetMaxRows"):
        remote.store.query(sparql)
    with pytest.raises(RemoteError, match="ResultSetMaxRows"):
        list(remote.store.query(sparql, stream=True))
    assert remote.count_quads() > 0  # the connection is still usable


def test_clear_drops_the_report_graphs_and_keeps_virtuosos_own(virtuoso: str) -> None:
    """Last (module order): Virtuoso takes ``DROP SILENT ALL`` as nothing to do, so clear drops each graph."""
    remote = open_store(virtuoso)
    try:
        assert remote.reports()
        remote.clear()
        assert remote.reports() == [] and remote.count_quads() == 0 and remote.stats()["triples"] == 0
        ask = "ASK { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }"
        with urllib.request.urlopen(f"{virtuoso}?query={quote(ask)}&format=json", timeout=10) as r:
            assert b"true" in r.read()  # its own graphs are still there, only hidden from the store
    finally:
        remote.close()
