"""`kg serve`'s SPARQL endpoint and graph store, against a real server on 127.0.0.1.

Real clients (SPARQLWrapper, rdflib's SPARQLStore, curl) talk to it unchanged; updates and
graph-store writes need the token; SERVICE and LOAD are refused; malformed queries get 400;
a 10-billion-row cross join is stopped at the time limit while another client is served; a
query that wants gigabytes is stopped at the memory limit; a client address holding its quota
of slow queries gets 429; runaway clients cannot take every worker; client errors are 4xx
and server errors a plain 500 (details in the log).
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
# ~2,000^3 rows counted one by one: long, in little memory
CROSS_JOIN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p1 ?o1 . ?b ?p2 ?o2 . ?c ?p3 ?o3 }"
# the runaway of issue 15: a four-way cross join of the store, sorted, wants gigabytes at once
RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?l ?i ?f ?c"


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
        r = httpx.get(sparql(server), params={"query": CROSS_JOIN_COUNT}, timeout=60)
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


def test_graph_store_post_answers_the_new_graphs_iri_under_the_servers_base(server) -> None:
    store = server.url + "/store"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = '<http://example.org/a> <http://example.org/p> "新图" .'
    r = httpx.post(store, content=body, headers={"Content-Type": "text/turtle", **auth})
    assert r.status_code == 201
    location = r.headers["location"]
    assert location.startswith(store + "/") and "?" not in location
    # the Location is the graph's IRI: indirect identification finds it …
    by_name = httpx.get(store, params={"graph": location}, headers={"Accept": "application/n-triples"})
    assert by_name.status_code == 200
    assert [t.object.value for t in parse(by_name.content, format=RdfFormat.N_TRIPLES)] == ["新图"]
    # … SPARQL knows it by that name …
    r = httpx.get(sparql(server), params={"query": f"ASK {{ GRAPH <{location}> {{ ?s ?p '新图' }} }}"})
    assert r.json()["boolean"] is True
    # … and it dereferences (direct identification), also for DELETE
    direct = httpx.get(location, headers={"Accept": "text/turtle"})
    assert direct.status_code == 200 and "新图" in direct.text
    assert httpx.get(location, params={"graph": location}).status_code == 400
    assert httpx.delete(location, headers=auth).status_code == 204
    assert httpx.get(store, params={"graph": location}).status_code == 404
    assert httpx.get(location).status_code == 404


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
    ("GET", "query=ASK%7B%7D&version=1.2&version=1.2", None, b"", 400),
    ("GET", "query=ASK%7B%7D&version=2.0", None, b"", 400),
    ("POST", "", "application/x-www-form-urlencoded", b"update=CLEAR+ALL&version=1.1&version=1.2", 400),
    ("POST", "version=1.2", "application/x-www-form-urlencoded", b"update=CLEAR+ALL&version=1.2", 400),
    ("POST", "", "application/sparql-update; version=1.2; version=1.1", b"CLEAR ALL", 400),
    ("POST", "", "application/sparql-query; version=3", b"ASK {}", 400),
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
    op = read_operation("POST", "", "application/sparql-update; version=1.2", b"CLEAR ALL", True)
    assert (op.kind, op.version) == ("update", "1.2")
    assert read_operation("GET", "query=ASK%7B%7D&version=1.1", None, b"", False).version == "1.1"


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


# --------------------------------------------------------------------------- hostile clients, client and server errors


def client_from(address: str) -> httpx.Client:
    """An HTTP client speaking from another loopback address: to the server, another client."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=60)


def test_update_failures_on_a_graphs_existence_are_409_with_a_plain_message(server) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    g = "http://example.org/created-twice"

    def update(text: str) -> httpx.Response:
        return httpx.post(sparql(server), data={"update": text}, headers=auth)

    assert update(f"CREATE GRAPH <{g}>").status_code == 204
    for text, words in ((f"CREATE GRAPH <{g}>", "already exists"),
                        ("DROP GRAPH <http://example.org/missing>", "does not exist"),
                        ("CLEAR GRAPH <http://example.org/missing>", "does not exist")):
        r = update(text)
        assert r.status_code == 409, (text, r.status_code, r.text)
        assert words in r.text and "SILENT" in r.text
        assert "Error" not in r.text and "Traceback" not in r.text
    assert update("DROP SILENT GRAPH <http://example.org/missing>").status_code == 204
    assert update(f"CREATE SILENT GRAPH <{g}>").status_code == 204
    assert update(f"DROP GRAPH <{g}>").status_code == 204


def test_duplicate_or_unknown_version_is_400_and_the_update_does_not_run(server) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    g = "http://example.org/version-test"
    insert = f'INSERT DATA {{ GRAPH <{g}> {{ <http://example.org/s> <http://example.org/p> "v" }} }}'
    r = httpx.post(sparql(server), data={"update": insert, "version": ["1.2", "1.2"]}, headers=auth)
    assert r.status_code == 400 and "more than one 'version'" in r.text
    r = httpx.post(sparql(server), content=insert, headers={"Content-Type": "application/sparql-update; version=7",
                                                            **auth})
    assert r.status_code == 400 and "unknown SPARQL version '7'" in r.text
    assert httpx.get(server.url + "/store", params={"graph": g}).status_code == 404  # nothing ran
    r = httpx.post(sparql(server), data={"update": insert, "version": "1.2"}, headers=auth)
    assert r.status_code == 204
    assert httpx.get(server.url + "/store", params={"graph": g}).status_code == 200
    assert httpx.delete(server.url + "/store", params={"graph": g}, headers=auth).status_code == 204


def test_a_server_failure_is_a_plain_500_and_the_detail_goes_to_the_log(tmp_path, caplog) -> None:
    """A store folder that is no store: the worker cannot open it. The client hears that something
    failed on the server; the exception is for the server's log only."""
    import asyncio
    import logging

    from kg.serve.pool import JobError, WorkerPool

    broken = tmp_path / "broken-store"
    broken.mkdir()
    (broken / "CURRENT").write_text("MANIFEST-nowhere\n", encoding="ascii")

    async def run() -> JobError:
        pool = WorkerPool(str(broken), 1, "sparql")
        await pool.start()
        try:
            with pytest.raises(JobError) as e:
                await pool.run("query", ("ASK {}", "json", "turtle", (), (), True, None, 10), timeout=30)
            # the worker is still there for the next job
            with pytest.raises(JobError):
                await pool.run("query", ("ASK {}", "json", "turtle", (), (), True, None, 10), timeout=30)
            return e.value
        finally:
            await pool.close()

    with caplog.at_level(logging.ERROR, logger="kg.serve"):
        error = asyncio.run(run())
    assert error.status == 500
    assert error.message == "internal error while running the query; the details are in the server's log"
    # RocksDB's own words, which pyoxigraph raises as a RuntimeError (like a graph that already exists)
    assert "Corruption: CURRENT file corrupted" in caplog.text and "Traceback" in caplog.text


@pytest.mark.slow
def test_a_worker_that_dies_in_a_query_is_a_plain_500_and_is_replaced(tmp_path, caplog) -> None:
    import logging
    import os
    import signal

    with caplog.at_level(logging.ERROR, logger="kg.serve"), live_server(copy_store(tmp_path), query_timeout=30.0) as srv:
        pool = srv.app.state.kg.sparql_pool
        result: dict[str, httpx.Response] = {}
        t = threading.Thread(target=lambda: result.setdefault("r", httpx.get(
            sparql(srv), params={"query": CROSS_JOIN_COUNT}, timeout=60)))
        t.start()
        deadline = time.monotonic() + 10
        while len(pool._idle) == pool.size:  # wait for the query to take a worker
            assert time.monotonic() < deadline
            time.sleep(0.05)
        busy = next(w for w in list(pool._all) if w not in pool._idle)
        os.kill(busy.process.pid, signal.SIGSEGV)
        t.join(30)
        r = result["r"]
        assert r.status_code == 500
        assert r.text == "the worker process stopped unexpectedly; it has been replaced\n"
        assert httpx.get(sparql(srv), params={"query": SELECT_ALL}).status_code == 200
        assert len(pool._all) == pool.size and busy not in pool._all
    assert f"exit code -{int(signal.SIGSEGV)}" in caplog.text


@pytest.mark.slow
def test_runaway_query_is_stopped_at_query_memory_and_its_worker_replaced(tmp_path) -> None:
    """`kg serve --query-memory 128`: the runaway of issue 15 ends in a plain 503 well before the
    time limit, the server's processes stay small, and a fresh worker answers the next query."""
    import subprocess
    import sys

    import psutil
    from serve_support import free_port, stop_process

    location = copy_store(tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}/sparql"
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "--store", str(location), "serve", "--port", str(port),
                             "--query-memory", "128", "--query-timeout", "60"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None and time.monotonic() < deadline, "kg serve did not start"
            try:
                if httpx.get(url, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        server = psutil.Process(proc.pid)
        workers_before = {p.pid for p in server.children(recursive=True)}
        peak = {"rss": 0}
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                try:
                    rss = sum(p.memory_info().rss for p in [server, *server.children(recursive=True)])
                except psutil.Error:
                    rss = 0
                peak["rss"] = max(peak["rss"], rss)
                done.wait(0.05)

        sampler = threading.Thread(target=sample)
        sampler.start()
        start = time.monotonic()
        r = httpx.post(url, data={"query": RUNAWAY}, timeout=90)
        seconds = time.monotonic() - start
        done.set()
        sampler.join()
        assert r.status_code == 503, r.text
        assert r.text == "the query was stopped: it needed more than the memory limit of 128 MiB per query\n"
        assert seconds < 30, seconds  # the memory limit, not the time limit of 60 s
        assert peak["rss"] < 1024 * 2**20, peak  # without the limit it reached several GB
        r = httpx.get(url, params={"query": SELECT_ALL}, timeout=30)
        assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 5
        workers_after = {p.pid for p in server.children(recursive=True)}
        assert len(workers_before - workers_after) == 1 and len(workers_after - workers_before) == 1
    finally:
        stop_process(proc)
    assert "memory limit of 128 MiB" in proc.stderr.read().decode(errors="replace")


@pytest.mark.slow
def test_a_client_past_its_quota_of_slow_queries_gets_429_while_others_are_served(tmp_path) -> None:
    with live_server(copy_store(tmp_path), query_timeout=4.0, max_slow_queries=1) as srv:
        result: dict[str, httpx.Response] = {}

        def slow() -> None:
            with client_from("127.0.0.2") as c:
                result["slow"] = c.get(sparql(srv), params={"query": CROSS_JOIN_COUNT})

        t = threading.Thread(target=slow)
        t.start()
        time.sleep(1.5)  # the query has been running for over a second: it is slow
        with client_from("127.0.0.2") as c:
            r = c.get(sparql(srv), params={"query": "ASK { ?s ?p ?o } # same client"})
        assert r.status_code == 429, r.text
        assert 1 <= int(r.headers["retry-after"]) <= 4
        assert "1 slow query running" in r.text
        # another client address is served at once
        start = time.monotonic()
        r = httpx.get(sparql(srv), params={"query": "ASK { ?s ?p ?o } # another client"})
        assert r.status_code == 200 and time.monotonic() - start < 1.0
        t.join(30)
        assert result["slow"].status_code == 503 and "time limit" in result["slow"].text
        # once its slow query is over, the client may query again (one at a time while it is watched)
        with client_from("127.0.0.2") as c:
            assert c.get(sparql(srv), params={"query": SELECT_ALL}).status_code == 200
        assert srv.app.state.kg.clients.watched("127.0.0.2") and not srv.app.state.kg.clients.watched("127.0.0.1")


@pytest.mark.slow
def test_runaway_clients_cannot_take_every_worker(tmp_path) -> None:
    """Three clients loop queries that run into the time limit (5 s), with two workers asked for
    (four in the pool, two kept for quick queries). Only two queries may run past a second at
    once: the third is stopped there. Once each client has had a query stopped it is watched, and the reserved worker stays
    free for others: their queries never wait for a runaway to end (up to 5 s without it)."""
    import statistics

    with live_server(copy_store(tmp_path), query_timeout=5.0, sparql_workers=2) as srv:
        pool = srv.app.state.kg.sparql_pool
        assert (pool.size, pool.reserve) == (4, 2)
        stop = {"at": time.monotonic() + 60}
        outcomes: list[int] = []

        def runaway(address: str) -> None:
            with client_from(address) as c:
                while time.monotonic() < stop["at"]:
                    q = f"{CROSS_JOIN_COUNT} # {address} {time.monotonic()}"
                    outcomes.append(c.get(sparql(srv), params={"query": q}).status_code)

        threads = [threading.Thread(target=runaway, args=(f"127.0.0.{i}",)) for i in (2, 3, 4)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while pool.killed + pool.crowded_out < 3 or len(pool._all) < pool.size:
            assert time.monotonic() < deadline, "the runaway queries were not stopped"
            time.sleep(0.1)
        time.sleep(0.5)  # the replacement workers open the store
        stop["at"] = time.monotonic() + 8
        latencies = []
        while time.monotonic() < stop["at"] - 1:
            start = time.monotonic()
            r = httpx.get(sparql(srv), params={"query": f"SELECT ?p WHERE {{ ?s ?p ?o }} LIMIT 3 # {start}"})
            latencies.append(time.monotonic() - start)
            assert r.status_code == 200, r.text
            time.sleep(0.1)
        for t in threads:
            t.join(30)
        assert pool.crowded_out >= 1 and pool.killed >= 3  # the runaways kept running, in the other two workers
        assert len(latencies) >= 10 and max(latencies) < 2.0 and statistics.median(latencies) < 0.5, latencies
        assert outcomes and set(outcomes) <= {503}, outcomes
