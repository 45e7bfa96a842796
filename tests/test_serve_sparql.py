"""`kg serve`'s SPARQL endpoint and graph store, against a real server on 127.0.0.1.

Real clients (SPARQLWrapper, rdflib's SPARQLStore, curl) talk to it unchanged; updates and
graph-store writes need the token; SERVICE and LOAD are refused; malformed queries get 400;
a 10-million-row cross join is stopped at the time limit while another client is served.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
from pyoxigraph import Literal, NamedNode, QueryResultsFormat, RdfFormat, parse, parse_query_results
from serve_support import EVIL_ORG, TOKEN, copy_store, live_server, sample_iri, sample_store_dir

from kg.query import load_query, run_query
from kg.serve.sparql import (
    RESULT_FORMATS,
    ProtocolError,
    add_using,
    analyze,
    negotiate,
    read_operation,
    serialize_solutions,
    tokens,
)
from kg.store import open_store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SELECT_ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5"
CROSS_JOIN_10M = """SELECT ?a ?b ?c WHERE {
  { SELECT ?a WHERE { ?a ?p1 ?o1 } LIMIT 216 }
  { SELECT ?b WHERE { ?b ?p2 ?o2 } LIMIT 216 }
  { SELECT ?c WHERE { ?c ?p3 ?o3 } LIMIT 216 }
} ORDER BY ?c ?b ?a"""  # 216^3 = 10,077,696 rows to sort


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server with an update token, a short time limit and a small row limit, on a private copy."""
    location = copy_store(tmp_path_factory.mktemp("sparql"))
    with live_server(location, update_token=TOKEN, query_timeout=2.0, max_rows=500) as srv:
        yield srv


@pytest.fixture(scope="module")
def readonly(tmp_path_factory):
    location = copy_store(tmp_path_factory.mktemp("readonly"))
    with live_server(location) as srv:
        yield srv


def sparql(srv) -> str:
    return srv.url + "/sparql"


def kg_rows(name: str) -> list[tuple]:
    with open_store(sample_store_dir()) as store:
        result = run_query(store, load_query(name))
    return [tuple(r) for r in result.rows], result.columns


# --------------------------------------------------------------------------- real clients


def test_who_funds_what_through_sparqlwrapper_equals_kg_query(server) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    expected, columns = kg_rows("who-funds-what")
    client = SPARQLWrapper(sparql(server))
    client.setQuery(load_query("who-funds-what").text)
    client.setReturnFormat(JSON)
    data = client.query().convert()
    assert data["head"]["vars"] == columns
    rows = [tuple(b.get(c, {}).get("value") for c in columns) for b in data["results"]["bindings"]]
    assert rows == expected
    assert any(r[0] == "西宁市信保集团" and r[1] == "150000000" for r in rows)


def test_who_funds_what_through_sparqlwrapper_post_and_xml(server) -> None:
    from SPARQLWrapper import POST, XML, SPARQLWrapper

    expected, columns = kg_rows("who-funds-what")
    client = SPARQLWrapper(sparql(server))
    client.setMethod(POST)
    client.setQuery(load_query("who-funds-what").text)
    client.setReturnFormat(XML)
    doc = client.query().convert()  # an xml.dom.minidom document
    results = doc.getElementsByTagName("result")
    assert len(results) == len(expected)


def test_who_funds_what_through_rdflib_sparqlstore_equals_kg_query(server) -> None:
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    expected, columns = kg_rows("who-funds-what")
    for method in ("GET", "POST", "POST_FORM"):
        graph = Graph(store=SPARQLStore(query_endpoint=sparql(server), method=method))
        result = graph.query(load_query("who-funds-what").text)
        rows = [tuple(None if v is None else str(v) for v in row) for row in result]
        assert [str(v) for v in result.vars] == columns
        assert rows == expected, method


def test_rdflib_sparqlstore_construct(server) -> None:
    from rdflib import Graph, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(query_endpoint=sparql(server)))
    result = graph.query("CONSTRUCT { ?a <http://example.org/name> ?n } WHERE { "
                         "?a a <https://w3id.org/policy-kg/ontology#Actor> ; "
                         "<http://www.w3.org/2004/02/skos/core#prefLabel> ?n } ")
    g = result.graph
    names = {str(o) for o in g.objects(None, URIRef("http://example.org/name"))}
    assert "西宁市信保集团" in names and EVIL_ORG in names


def test_curl_csv_and_tsv(server, tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    q = tmp_path / "q.rq"
    q.write_text(load_query("funding-by-funder").text, encoding="utf-8")
    out = subprocess.run(["curl", "-sS", "--fail", "-H", "Accept: text/csv", "--data-urlencode", f"query@{q}",
                          sparql(server)], capture_output=True, check=True, timeout=60)
    lines = out.stdout.decode("utf-8").splitlines()
    assert lines[0] == "funder,fundings,total_cny,reports"
    assert any(line.startswith("西宁市信保集团,1,150000000") for line in lines)
    out = subprocess.run(["curl", "-sS", "--fail", "-G", "-H", "Accept: text/tab-separated-values",
                          "--data-urlencode", "query=ASK { ?s ?p ?o }", sparql(server)],
                         capture_output=True, check=True, timeout=60)
    assert json.loads(out.stdout)["boolean"] is True  # no TSV for booleans: JSON is answered


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_select_formats_parse_back(server, fmt: str) -> None:
    media = RESULT_FORMATS[fmt][0]
    r = httpx.get(sparql(server), params={"query": SELECT_ALL}, headers={"Accept": media})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    pyfmt = {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML, "tsv": QueryResultsFormat.TSV}[fmt]
    solutions = list(parse_query_results(r.content, format=pyfmt))
    assert len(solutions) == 5


def test_csv_format(server) -> None:
    r = httpx.get(sparql(server), params={"query": SELECT_ALL}, headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")
    assert r.text.splitlines()[0] == "s,p,o"
    assert len(r.text.strip().splitlines()) == 6


@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", RdfFormat.TURTLE),
    ("application/n-triples", RdfFormat.N_TRIPLES),
    ("application/ld+json", RdfFormat.JSON_LD),
    ("application/rdf+xml", RdfFormat.RDF_XML),
])
def test_construct_and_describe_formats(server, accept: str, fmt: RdfFormat) -> None:
    q = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 20"
    r = httpx.post(sparql(server), data={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    assert len(list(parse(r.content, format=fmt))) == 20
    actor = sample_iri("actor", "西宁市信保集团")
    r = httpx.get(sparql(server), params={"query": f"DESCRIBE <{actor}>"}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    assert any(q.subject == NamedNode(actor) for q in parse(r.content, format=fmt))


def test_format_parameter_wins(server) -> None:
    r = httpx.get(sparql(server), params={"query": SELECT_ALL, "format": "csv"}, headers={"Accept": "application/json"})
    assert r.headers["content-type"].startswith("text/csv")


def test_default_response_formats(server) -> None:
    r = httpx.get(sparql(server), params={"query": SELECT_ALL}, headers={"Accept": "*/*"})
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    r = httpx.get(sparql(server), params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"})
    assert r.headers["content-type"].startswith("text/turtle")


def test_row_limit_truncates_and_says_so(server) -> None:
    r = httpx.get(sparql(server), params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
    assert r.status_code == 200
    assert len(r.text.strip().splitlines()) == 501  # header + max_rows
    assert r.headers["x-kg-truncated"] == "true; max-rows=500"
    r = httpx.get(sparql(server), params={"query": SELECT_ALL})
    assert "x-kg-truncated" not in r.headers


# --------------------------------------------------------------------------- dataset


def test_default_graph_is_the_union_and_dataset_parameters_are_honoured(server) -> None:
    g1 = sample_iri("report", "xining-sanxiang-2021")
    g2 = sample_iri("report", "qinzhou-village-collective-economy")
    q = "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a <https://w3id.org/policy-kg/ontology#Funding> }"

    def count(**params) -> int:
        r = httpx.get(sparql(server), params={"query": q, **params})
        assert r.status_code == 200, r.text
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    total, one, two = count(), count(**{"default-graph-uri": g1}), count(**{"default-graph-uri": g2})
    assert one > 0 and two > 0 and total >= one + two
    assert count(**{"default-graph-uri": [g1, g2]}) == one + two
    # named-graph-uri only: the default graph is empty, GRAPH ?g sees just the named ones
    r = httpx.get(sparql(server), params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                          "named-graph-uri": g1})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [g1]
    # FROM in the query is used when the protocol names no dataset
    r = httpx.get(sparql(server), params={"query": q.replace("WHERE", f"FROM <{g1}> WHERE")})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == one


def test_service_description(server) -> None:
    r = httpx.get(sparql(server), headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    triples = list(parse(r.content, format=RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert any(t.predicate == NamedNode(sd + "endpoint") and t.object == NamedNode(sparql(server)) for t in triples)
    assert any(t.object == NamedNode(sd + "SPARQL11Update") for t in triples)
    r = httpx.get(sparql(server), headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["location"] == "/query"


# --------------------------------------------------------------------------- refusals


def test_malformed_query_is_400_with_the_parser_message(server) -> None:
    r = httpx.get(sparql(server), params={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert "syntax error" in r.text and "1:" in r.text
    r = httpx.post(sparql(server), content="SELEKT", headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400


def test_update_without_token_is_403(server, readonly) -> None:
    update = 'INSERT DATA { <http://example.org/s> <http://example.org/p> "x" }'
    r = httpx.post(sparql(readonly), data={"update": update})
    assert r.status_code == 403 and "read-only" in r.text
    r = httpx.post(sparql(server), data={"update": update})
    assert r.status_code == 403 and "token" in r.text
    r = httpx.post(sparql(server), data={"update": update}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403
    r = httpx.get(sparql(server), params={"query": "ASK { <http://example.org/s> ?p ?o }"})
    assert r.json()["boolean"] is False


def test_update_with_token(server) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    g = "http://example.org/update-test"
    r = httpx.post(sparql(server), content=f'INSERT DATA {{ GRAPH <{g}> {{ <http://example.org/s> <http://example.org/p> "甲" }} }}',
                   headers={"Content-Type": "application/sparql-update", **auth})
    assert r.status_code == 204, r.text
    r = httpx.get(sparql(server), params={"query": "SELECT ?o WHERE { <http://example.org/s> ?p ?o }"})
    assert [b["o"]["value"] for b in r.json()["results"]["bindings"]] == ["甲"]
    r = httpx.post(sparql(server), data={"update": f"DROP GRAPH <{g}>"}, headers=auth)
    assert r.status_code == 204


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "select * { service silent <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . { SELECT ?s WHERE { SERVICE ?endpoint { ?s ?p ?o } } } }",
    "SELECT * WHERE {SERVICE<http://example.org/>{?s ?p ?o}}",
])
def test_service_is_refused(server, query: str) -> None:
    r = httpx.get(sparql(server), params={"query": query})
    assert r.status_code == 403
    assert "SERVICE" in r.text and "disabled" in r.text


def test_load_is_refused_even_with_the_token(server) -> None:
    r = httpx.post(sparql(server), data={"update": "LOAD <http://example.org/data.ttl>"},
                   headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403 and "LOAD" in r.text


def test_the_word_service_inside_strings_iris_and_comments_is_fine(server) -> None:
    q = ('PREFIX ex: <http://example.org/SERVICE/> # SERVICE <http://evil/>\n'
         'SELECT ?x WHERE { BIND("SERVICE <http://evil/>" AS ?x) FILTER(?x != ex:SERVICE) }')
    r = httpx.get(sparql(server), params={"query": q})
    assert r.status_code == 200, r.text


# --------------------------------------------------------------------------- limits


@pytest.mark.slow
def test_cross_join_is_stopped_at_the_time_limit_while_others_are_served(server) -> None:
    result: dict[str, object] = {}

    def long_query() -> None:
        start = time.monotonic()
        r = httpx.get(sparql(server), params={"query": CROSS_JOIN_10M}, timeout=60)
        result["status"], result["text"], result["seconds"] = r.status_code, r.text, time.monotonic() - start

    t = threading.Thread(target=long_query)
    t.start()
    time.sleep(0.5)
    simple = []
    for _ in range(3):
        start = time.monotonic()
        r = httpx.get(sparql(server), params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
        simple.append(time.monotonic() - start)
        assert r.status_code == 200 and r.json()["boolean"] is True
    t.join(60)
    assert max(simple) < 1.0, simple
    assert result["status"] == 503
    assert "time limit of 2 s" in str(result["text"])
    assert 1.9 <= float(result["seconds"]) < 6.0, result
    # the worker was replaced: the server still answers
    r = httpx.get(sparql(server), params={"query": SELECT_ALL}, timeout=10)
    assert r.status_code == 200


# --------------------------------------------------------------------------- graph store


def test_graph_store_get_and_writes(server, readonly) -> None:
    store = server.url + "/store"
    report = sample_iri("report", "xining-sanxiang-2021")
    r = httpx.get(store, params={"graph": report}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-triples")
    assert len(list(parse(r.content, format=RdfFormat.N_TRIPLES))) > 100
    assert httpx.get(store, params={"graph": "http://example.org/none"}).status_code == 404
    assert httpx.get(store).status_code == 400

    body = '<http://example.org/a> <http://example.org/p> "一" .'
    g = "http://example.org/gsp-test"
    assert httpx.put(readonly.url + "/store", params={"graph": g}, content=body,
                     headers={"Content-Type": "text/turtle"}).status_code == 403
    assert httpx.put(store, params={"graph": g}, content=body, headers={"Content-Type": "text/turtle"}).status_code == 403
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = httpx.put(store, params={"graph": g}, content=body, headers={"Content-Type": "text/turtle", **auth})
    assert r.status_code == 201
    r = httpx.post(store, params={"graph": g}, content='<http://example.org/a> <http://example.org/p> "二" .',
                   headers={"Content-Type": "text/turtle", **auth})
    assert r.status_code == 204
    r = httpx.get(store, params={"graph": g}, headers={"Accept": "text/turtle"})
    values = {q.object.value for q in parse(r.content, format=RdfFormat.TURTLE)}
    assert values == {"一", "二"}
    r = httpx.put(store, params={"graph": g}, content="<a> <b> ", headers={"Content-Type": "text/turtle", **auth})
    assert r.status_code == 400
    assert httpx.delete(store, params={"graph": g}, headers=auth).status_code == 204
    assert httpx.delete(store, params={"graph": g}, headers=auth).status_code == 404
    r = httpx.post(store, content=body, headers={"Content-Type": "text/turtle", **auth})
    assert r.status_code == 201
    created = httpx.get(r.headers["location"], headers={"Accept": "text/turtle"})
    assert created.status_code == 200 and "一" in created.text


# --------------------------------------------------------------------------- unit: lexer, protocol, serializers


def test_tokens_keep_keywords_apart_from_strings_iris_comments_names() -> None:
    text = """PREFIX service: <http://x/SERVICE#> # SERVICE
SELECT ?service WHERE { ?s service:SERVICE "SERVICE", '''SERVICE''', "x"@service ; <SERVICE> _:service }"""
    assert not analyze(text).uses_service
    assert [t.keyword for t in tokens(text) if t.keyword] == ["PREFIX", "SELECT", "WHERE"]
    assert analyze("ASK { SeRvIcE <http://x/> {} }").uses_service


def test_add_using_for_each_operation() -> None:
    update = ("INSERT { GRAPH <t> { ?s a <D> } } WHERE { ?s a <C> } ;\n"
              "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { { SELECT ?s WHERE { ?s ?p ?o } } } ;\n"
              "INSERT DATA { <a> <b> <c> }")
    out = add_using(update, ["http://g1"], ["http://g2"])
    assert out.count("USING <http://g1> USING NAMED <http://g2> WHERE") == 2
    assert "INSERT DATA { <a> <b> <c> }" in out


@pytest.mark.parametrize("method, qs, ctype, body, status", [
    ("PUT", "query=ASK%7B%7D", None, b"", 405),
    ("GET", "query=ASK%7B%7D&query=ASK%7B%7D", None, b"", 400),
    ("GET", "update=CLEAR%20ALL", None, b"", 400),
    ("GET", "query=ASK%7B%7D", None, b"x", 400),
    ("POST", "", "text/plain", b"ASK {}", 415),
    ("POST", "", None, b"query=ASK%7B%7D", 400),
    ("POST", "", "application/sparql-query; charset=UTF-16", "ASK {}".encode("utf-16"), 415),
    ("POST", "", "application/sparql-query", b"\xff\xfeA", 400),
    ("POST", "", "application/x-www-form-urlencoded", b"query=ASK%7B%7D&update=CLEAR%20ALL", 400),
    ("POST", "query=ASK%7B%7D", "application/sparql-query", b"ASK {}", 400),
    ("POST", "default-graph-uri=g1", "application/sparql-query", b"ASK {}", 400),
])
def test_protocol_refusals(method, qs, ctype, body, status) -> None:
    with pytest.raises(ProtocolError) as e:
        read_operation(method, qs, ctype, body, bool(body))
    assert e.value.status == status


def test_read_operation_accepts_the_three_ways() -> None:
    assert read_operation("GET", "query=ASK%20%7B%7D&default-graph-uri=http%3A%2F%2Fg", None, b"", False).default_graphs == ["http://g"]
    op = read_operation("POST", "", "application/x-www-form-urlencoded", b"update=CLEAR+ALL&using-graph-uri=http%3A%2F%2Fg", True)
    assert (op.kind, op.text, op.default_graphs) == ("update", "CLEAR ALL", ["http://g"])
    op = read_operation("POST", "named-graph-uri=http%3A%2F%2Fn", "application/sparql-query; charset=utf-8", "ASK {}".encode(), True)
    assert (op.kind, op.named_graphs) == ("query", ["http://n"])


def test_negotiation_q_values() -> None:
    assert negotiate("text/csv;q=0.9, application/sparql-results+xml", RESULT_FORMATS) == "xml"
    assert negotiate("application/sparql-results+json;q=0.1, text/tab-separated-values;q=0.5", RESULT_FORMATS) == "tsv"
    assert negotiate("image/png", RESULT_FORMATS) == "json"


def test_serializers_round_trip_through_pyoxigraph() -> None:
    rows = [[NamedNode("http://e/a"), Literal("甲\t\"乙\"\n<&>", language="zh")],
            [None, Literal("1.5", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))]]
    for fmt, pyfmt in (("json", QueryResultsFormat.JSON), ("xml", QueryResultsFormat.XML), ("tsv", QueryResultsFormat.TSV)):
        parsed = list(parse_query_results(io.BytesIO(serialize_solutions(["s", "o"], rows, fmt)), format=pyfmt))
        assert [[sol["s"], sol["o"]] for sol in parsed] == rows, fmt


# --------------------------------------------------------------------------- ingest beside the server


@pytest.mark.slow
def test_ingest_while_serving_shows_up_without_restart(tmp_path) -> None:
    """The server keeps no write lock: `kg ingest` (another process) can write, and once it has
    flushed the readers re-open and see the new report."""
    from kg.pipeline import ingest

    location = copy_store(tmp_path)
    report = tmp_path / "reports" / "new-report.txt"
    report.parent.mkdir()
    report.write_text("某某县财政局下达衔接资金500万元，支持10个村发展集体经济。\n", encoding="utf-8")
    q = "ASK { GRAPH <https://w3id.org/policy-kg/id/report/new-report> { ?s ?p ?o } }"
    with live_server(location) as srv:
        assert httpx.get(sparql(srv), params={"query": q}).json()["boolean"] is False
        assert httpx.get(srv.url + "/").status_code == 200
        with open_store(location) as store:  # would fail if the server held the lock
            assert ingest([report.parent], store, jobs=1).ok
        deadline = time.monotonic() + 10
        while not httpx.get(sparql(srv), params={"query": q}).json()["boolean"]:
            assert time.monotonic() < deadline, "the new report did not show up"
            time.sleep(0.2)
        assert "new-report" in httpx.get(srv.url + "/").text  # cached pages were dropped too


def test_head_body_limit_and_host_check(server, monkeypatch, tmp_path) -> None:
    r = httpx.head(sparql(server), params={"query": SELECT_ALL})
    assert r.status_code == 200 and r.content == b""
    import kg.serve.app as app_module

    monkeypatch.setattr(app_module, "MAX_SPARQL_BYTES", 1000)
    r = httpx.post(sparql(server), content=b"ASK {}" + b" " * 2000, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    with live_server(copy_store(tmp_path), allowed_hosts=["127.0.0.1", "localhost"]) as srv:
        assert httpx.get(sparql(srv), params={"query": "ASK {}"}).status_code == 200
        r = httpx.get(sparql(srv), params={"query": "ASK {}"}, headers={"Host": "attacker.example"})
        assert r.status_code == 400  # a DNS-rebinding page cannot reach a loopback server
