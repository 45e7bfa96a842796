"""The pyoxigraph store: atomic per-report replacement, persistence, errors; and exports."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap

import pyoxigraph as ox
import pytest
import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Quad
from rdflib.compare import isomorphic

from kg import ids
from kg.errors import StoreError
from kg.export import FORMATS, export
from kg.rdfize import rdfize
from kg.store import open_store
from rdf_fixtures import REPORT_ID, build_extraction, build_second_extraction

# rdflib 7.6 warns about its own internal use of deprecated Dataset APIs when parsing quads
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

G1 = ids.report_iri(REPORT_ID)
G2 = ids.report_iri("qingxi-meeting-2023")


@pytest.fixture(scope="module")
def quads1():
    return rdfize(build_extraction())


@pytest.fixture(scope="module")
def quads2():
    return rdfize(build_second_extraction())


@pytest.fixture
def store(quads1, quads2):
    with open_store(":memory:") as s:
        s.replace_report(G1, quads1)
        s.replace_report(G2, quads2)
        yield s


def test_replace_twice_gives_the_same_count(quads1):
    with open_store(":memory:") as s:
        assert s.replace_report(G1, quads1) == len(quads1)
        first = s.count_quads()
        assert s.replace_report(G1, iter(quads1)) == len(quads1)
        assert s.count_quads() == first == len(quads1)
        assert set(s.store) == set(quads1)


def test_replace_drops_statements_no_longer_extracted(store, quads1):
    smaller = [q for q in quads1 if "funding" not in q.subject.value]
    store.replace_report(G1, smaller)
    assert store.count_quads(G1) == len(smaller)
    assert store.stats()["fundings"] == 0


def test_report_ids_or_iris_are_accepted(store, quads1, quads2):
    assert store.reports() == sorted([G1, G2])
    assert store.count_quads(REPORT_ID) == len(quads1)
    assert store.has_report(REPORT_ID) and store.has_report(G2)
    assert store.remove_report(REPORT_ID) is True
    assert store.remove_report(REPORT_ID) is False
    assert store.reports() == [G2]
    assert store.count_quads() == len(quads2)


def test_failure_while_producing_quads_leaves_the_old_graph(store, quads1):
    before = set(store.store)

    def broken():
        yield from quads1[:50]
        raise RuntimeError("extractor crashed half way")

    with pytest.raises(RuntimeError):
        store.replace_report(G1, broken())
    assert set(store.store) == before


def test_quads_for_another_graph_are_refused(store, quads2):
    before = set(store.store)
    with pytest.raises(StoreError, match="not in graph"):
        store.replace_report(G1, quads2)
    assert set(store.store) == before


def test_default_graph_quads_go_into_the_report_graph():
    g = NamedNode(G1)
    with open_store(":memory:") as s:
        s.replace_report(G1, [Quad(g, NamedNode("http://purl.org/dc/terms/identifier"), Literal("x"))])
        assert [q.graph_name for q in s.store] == [g]


def test_pyoxigraph_update_is_all_or_nothing():
    """replace_report relies on this: a later failing operation undoes an earlier DROP."""
    s = ox.Store()
    s.update("INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/p> 1 } GRAPH <http://ex/h> { <http://ex/a> <http://ex/p> 2 } }")
    before = set(s)
    with pytest.raises(Exception):
        s.update(
            "DROP SILENT GRAPH <http://ex/g> ; "
            "INSERT DATA { GRAPH <http://ex/g> { <http://ex/b> <http://ex/p> 3 } } ; "
            "CREATE GRAPH <http://ex/h>"  # fails: the graph exists
        )
    assert set(s) == before


def test_tricky_literals_survive_the_update_text():
    g = NamedNode(G1)
    p = NamedNode("http://example.org/p")
    values = ['a"b\\c\nd\x01e\u2028f\ttab', '"} ; DROP ALL #', "'''\"\"\"", "\\u0041", "中文\r\n"]
    qs = [Quad(g, p, Literal(v), g) for v in values] + [Quad(g, p, Literal("x", language="zh-Hans"), g)]
    with open_store(":memory:") as s:
        assert s.replace_report(G1, qs) == len(qs)
        assert set(s.store) == set(qs)


def test_stats(store):
    stats = store.stats()
    assert stats == {
        "reports": 2,
        "actors": 7,
        "regions": 4,
        "programmes": 1,
        "documents": 1,
        "fundings": 2,
        "measures": 3,
        "triples": stats["triples"],
        "quads": store.count_quads(),
    }
    # the shared actor's statements are in both graphs: triples count them once
    assert stats["triples"] < stats["quads"]


def test_persistent_store_reopens_with_its_data(tmp_path, quads1):
    location = tmp_path / "kg-store"
    with open_store(location) as s:
        s.replace_report(G1, quads1)
    with open_store(location) as s:
        assert s.count_quads() == len(quads1)
        assert s.reports() == [G1]


def test_default_location_comes_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_STORE", str(tmp_path / "from-env"))
    with open_store() as s:
        assert s.location == str(tmp_path / "from-env")
    assert (tmp_path / "from-env" / "CURRENT").exists()


def test_store_locked_by_this_process(tmp_path):
    with open_store(tmp_path / "s"):
        with pytest.raises(StoreError, match="cannot open store"):
            open_store(tmp_path / "s")


def test_store_locked_by_another_process(tmp_path):
    location = tmp_path / "s"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, pyoxigraph
            s = pyoxigraph.Store({str(location)!r})
            print("ready", flush=True)
            sys.stdin.read()
        """)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="lock"):
            open_store(location)
    finally:
        holder.communicate("", timeout=30)


def test_folder_that_is_not_a_store_is_left_alone(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match="not a kg store"):
        open_store(folder)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_a_file_is_not_a_store(tmp_path):
    path = tmp_path / "file"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="not a folder"):
        open_store(path)


def test_closed_store_raises():
    s = open_store(":memory:")
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.count_quads()


# ---- exports -----------------------------------------------------------------------

RDFLIB_FORMAT = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt", "jsonld": "json-ld"}
OX_FORMAT = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def _rdflib_graph(quads) -> rdflib.Graph:
    data = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data, format="nt")


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_loads_in_rdflib_and_pyoxigraph_to_the_same_size(store, fmt):
    buf = io.BytesIO()
    written = export(store, fmt, buf)
    data = buf.getvalue()
    ds = rdflib.Dataset()
    ds.parse(data=data, format=RDFLIB_FORMAT[fmt])
    in_rdflib = len(list(ds.quads((None, None, None, None))))
    in_oxigraph = len(list(ox.parse(data, OX_FORMAT[fmt])))
    assert in_rdflib == in_oxigraph == written
    if fmt in ("trig", "nquads", "jsonld"):
        assert written == store.count_quads()
    else:
        assert written == store.stats()["triples"] < store.count_quads()


def test_turtle_export_is_the_union_graph(store, quads1, quads2):
    data = io.BytesIO()
    export(store, "turtle", data)
    text = data.getvalue().decode("utf-8")
    assert "@prefix pkg: <https://w3id.org/policy-kg/ontology#> ." in text
    assert "pkg:Funding" in text
    exported = rdflib.Graph().parse(data=text, format="turtle")
    assert isomorphic(exported, _rdflib_graph(quads1 + quads2))


@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_union_export_writes_a_triple_stated_in_several_graphs_once(fmt):
    """Outside data and shared entities are deduplicated; report-scoped nodes keep every triple."""
    ex = "https://example.org/"
    shared = (NamedNode(ex + "farm"), NamedNode(ex + "name"), Literal("合作社\n\"一号\""))
    scoped = NamedNode("https://w3id.org/policy-kg/id/mention/r1/0-3")
    with open_store(":memory:") as s:
        for g in ("g1", "g2", "g3"):
            s.store.add(Quad(*shared, NamedNode(ex + g)))
        s.store.add(Quad(scoped, NamedNode(ex + "start"), Literal(0), NamedNode(ex + "g1")))
        s.store.add(Quad(NamedNode(ex + "other"), NamedNode(ex + "name"), Literal("x")))  # default graph
        buf = io.BytesIO()
        assert export(s, fmt, buf) == 3
    triples = [q.triple for q in ox.parse(buf.getvalue(), OX_FORMAT[fmt])]
    assert len(triples) == 3 and ox.Triple(*shared) in triples


def test_turtle_union_survives_statement_like_text_and_blank_nodes():
    """Turtle is cut into statements at " .\\n": literals that look like statements, blank
    nodes shared by report-scoped and other subjects, and vocabulary subjects stay intact."""
    ex = "https://example.org/"
    hostile = Literal('x .\n<https://w3id.org/policy-kg/id/mention/r9/0-1> <p> "y" .\n\tz ;')
    mention = NamedNode("https://w3id.org/policy-kg/id/mention/r1/0-3")
    place = BlankNode("place1")
    level = NamedNode("https://w3id.org/policy-kg/level/township")
    quads = []
    for g in ("g1", "g2"):
        graph = NamedNode(ex + g)
        # a report-scoped node belongs to one graph; the blank node and the level are shared
        scoped = mention if g == "g1" else NamedNode("https://w3id.org/policy-kg/id/mention/r2/0-3")
        quads += [Quad(scoped, NamedNode(ex + "text"), hostile, graph),
                  Quad(scoped, NamedNode(ex + "at"), place, graph),
                  Quad(place, NamedNode(ex + "name"), hostile, graph),
                  Quad(level, NamedNode(ex + "label"), Literal("乡镇", language="zh"), graph)]
    with open_store(":memory:") as s:
        s.store.extend(quads)
        buf = io.BytesIO()
        written = export(s, "turtle", buf)
        expected = {q.triple for q in quads}
    exported = set(ox.parse(buf.getvalue(), ox.RdfFormat.TURTLE))
    assert {q.triple for q in exported} == expected and written == len(expected) == 6


def test_trig_export_keeps_each_report_graph(store, quads1, quads2):
    data = io.BytesIO()
    export(store, "trig", data)
    ds = rdflib.Dataset()
    ds.parse(data=data.getvalue(), format="trig")
    for graph_iri, quads in ((G1, quads1), (G2, quads2)):
        assert isomorphic(ds.graph(rdflib.URIRef(graph_iri)), _rdflib_graph(quads))


def test_jsonld_export_has_a_readable_context(store):
    data = io.BytesIO()
    export(store, "jsonld", data)
    text = data.getvalue().decode("utf-8")
    assert '"pkg": "https://w3id.org/policy-kg/ontology#"' in text
    assert '"pkg:Funding"' in text


def test_one_batch_of_new_and_stored_reports(quads1, quads2):
    """New graphs go through the bulk loader, stored ones are replaced, a repeat replaces its first copy."""
    from kg.store import prepare_report

    smaller = [q for q in quads1 if "mention" not in q.subject.value]
    with open_store(":memory:") as s:
        s.replace_report(G1, quads1)
        batch = [prepare_report(G1, smaller), prepare_report(G2, quads2), prepare_report(G2, quads2[:10])]
        assert s.write_reports(batch) == len(smaller) + len(quads2) + 10
        assert s.count_quads(G1) == len(smaller)
        assert s.count_quads(G2) == 10  # the later copy wins, as if written one after the other


def test_batch_write_survives_a_reopen(tmp_path, quads1, quads2):
    from kg.store import prepare_report

    with open_store(tmp_path / "s") as s:
        s.write_reports([prepare_report(G1, quads1), prepare_report(G2, quads2)])
    with open_store(tmp_path / "s") as s:
        assert set(s.store) == set(quads1) | set(quads2)


@pytest.mark.parametrize("fmt,suffix", [("nquads", ".nq"), ("trig", ".trig")])
def test_load_file_restores_an_export(tmp_path, store, fmt, suffix):
    """`kg load` of an export gives the same dataset (several slices when the file is large)."""
    from kg import store as store_module

    path = tmp_path / f"dump{suffix}"
    with open(path, "wb") as fh:
        export(store, fmt, fh)
    with open_store(tmp_path / "restored") as restored:
        n = restored.load_file(path)
        assert n == store.count_quads()
        assert set(restored.store) == set(store.store)
    # slices end at line ends: cut the N-Quads in tiny slices and load again
    if fmt == "nquads":
        slices = list(store_module._line_slices(str(path), size=1000))
        assert len(slices) > 3 and all(s.endswith(b"\n") for s in slices)
        assert b"".join(slices) == path.read_bytes()


def test_load_file_puts_triples_into_a_named_graph(tmp_path):
    path = tmp_path / "outside.ttl"
    path.write_text('<http://ex/a> <http://ex/p> "中文" , "two" .\n', encoding="utf-8")
    with open_store(":memory:") as s:
        assert s.load_file(path, graph="http://ex/g") == 2
        assert {q.graph_name for q in s.store} == {NamedNode("http://ex/g")}


def test_load_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.nq"
    bad.write_text("<http://ex/a> <http://ex/p> .\n", encoding="utf-8")
    odd = tmp_path / "data.xyz"
    odd.write_text("x", encoding="utf-8")
    with open_store(":memory:") as s:
        with pytest.raises(StoreError, match="bad.nq"):
            s.load_file(bad)
        with pytest.raises(StoreError, match="unknown RDF file extension"):
            s.load_file(odd)
        with pytest.raises(StoreError, match="cannot read"):
            s.load_file(tmp_path / "missing.nq")


def test_nquads_export_matches_the_store_with_default_graph_quads(store):
    """The per-graph parallel N-Quads export writes every quad once, default graph included."""
    extra = Quad(NamedNode("http://ex/a"), NamedNode("http://ex/p"), Literal("a .\nb"))
    store.store.add(extra)
    try:
        buf = io.BytesIO()
        n = export(store, "nquads", buf)
        parsed = list(ox.parse(buf.getvalue(), format=ox.RdfFormat.N_QUADS))
        assert n == len(parsed) == store.count_quads()
        assert set(parsed) == set(store.store)
    finally:
        store.store.remove(extra)
