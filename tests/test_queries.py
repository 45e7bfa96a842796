"""Canned queries: the five contract queries, bound parameters, errors, formatting."""

from __future__ import annotations

import csv
import io
import json
import unicodedata

import pytest

from kg import ids
from kg.errors import QueryError
from kg.query import (NameLookup, NoSuchName, QueryResult, format_result, list_queries, load_query,
                      resolve_name, run_query)
from kg.rdfize import rdfize
from kg.store import open_store
from contract import CONTRACT
from rdf_fixtures import ORIGINAL, REPORT_ID, build_extraction, build_second_extraction

R1, R2 = REPORT_ID, "qingxi-meeting-2023"



@pytest.fixture(scope="module")
def store():
    s = open_store(":memory:")
    for e in (build_extraction(), build_second_extraction()):
        s.replace_report(ids.report_iri(e.report.raw.report_id), rdfize(e))
    yield s
    s.close()


def csv_rows(store, name, params=None) -> tuple[str, list[list[str]]]:
    text = format_result(run_query(store, name, params), "csv")
    header, *rows = text.splitlines()
    return header, [r for r in csv.reader(rows)]


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_contract_query_csv_header(store, name):
    header, _ = csv_rows(store, name)
    assert header == CONTRACT[name]


def test_who_funds_what(store):
    _, rows = csv_rows(store, "who-funds-what")
    assert rows == [
        ["清溪县农村信用合作联社", "18400000", "桃源村果蔬专业合作社", "强村富民行动", "loan", R1,
         "县农信社向桃源村果蔬专业合作社发放“强村富民”贷款22笔1840万元。"],
        ["中央财政", "6400000", "村级集体经济组织", "", "grant", R1,
         "中央财政下达补助资金640万元，支持128个村发展村级集体经济。"],
    ]


def test_actors_one_row_per_actor_per_report(store):
    _, rows = csv_rows(store, "actors")
    assert sorted(map(tuple, rows)) == sorted([
        ("清溪县农业农村局", "GovernmentAgency", "清溪县", R1),
        ("中共清溪县委员会", "PartyOrganization", "清溪县", R1),
        ("柳川丰源农业发展有限公司", "Enterprise", "柳川市", R1),
        ("清溪县农村信用合作联社", "FinancialInstitution", "清溪县", R1),
        ("桃源村果蔬专业合作社", "Cooperative", "桃源村", R1),
        ("清溪县乡村振兴促进会", "SocialOrganization", "清溪县", R1),
        ("王明远", "Person", "桃源村", R1),
        ("清溪县农业农村局", "GovernmentAgency", "", R2),
    ])


def test_regions_only_those_the_report_mentions(store):
    _, rows = csv_rows(store, "regions")
    assert sorted(map(tuple, rows)) == sorted([
        ("柳川市", "city", "河阳省", R1),  # 河阳省 is only a parent link: no row of its own
        ("清溪县", "county", "柳川市", R1),
        ("石门镇", "township", "清溪县", R1),
        ("桃源村", "village", "石门镇", R1),
    ])


def test_programs_and_documents(store):
    assert csv_rows(store, "programs")[1] == [["强村富民行动", R1]]
    assert csv_rows(store, "documents")[1] == [["清溪县村级集体经济发展扶持办法", "清溪县农业农村局", R1]]


def test_parameters_are_bound_not_formatted(store):
    before = store.count_quads()
    for name in ("actor", "evidence", "actor-fundings"):
        with pytest.raises(NoSuchName, match="no entity named 清溪县\"} ; DROP ALL #"):
            run_query(store, name, {"name": '清溪县"} ; DROP ALL #'})
    assert run_query(store, "search", {"q": '"} ; DROP ALL #'}).rows == []
    assert store.count_quads() == before


def test_actor_query(store):
    result = run_query(store, "actor", {"name": "清溪县农业农村局"})
    assert result.columns == ["name", "property", "value", "report"]
    got = {(prop, value, report) for _, prop, value, report in result.rows}
    assert ("type", "GovernmentAgency", R1) in got
    assert ("region", "清溪县", R1) in got
    assert ("altLabel", "县农业农村局", R1) in got
    assert ("issuer of", "清溪县村级集体经济发展扶持办法", R1) in got
    assert ("agent of", "issued 清溪县村级集体经济发展扶持办法", R1) in got
    assert ("agent of", "held 强村富民推进会", R2) in got
    assert len(got) == len(result.rows)  # one row per statement per report


def test_evidence_query_gives_original_offsets(store):
    result = run_query(store, "evidence", {"name": "清溪县农业农村局"})
    rows = result.as_dicts()
    assert {(r["report"], r["fact"]) for r in rows} == {
        (R1, "mention"), (R1, "agent of measure"), (R2, "mention"), (R2, "agent of measure"),
    }
    mention = next(r for r in rows if r["report"] == R1 and r["fact"] == "mention")
    assert ORIGINAL[int(mention["start"]):int(mention["end"])] == "清溪縣(xiàn)農業農村局"
    assert mention["sentence"] == "清溪县农业农村局印发《清溪县村级集体经济发展扶持办法》。"
    assert (mention["sentence_start"], mention["sentence_end"]) == ("0", "34")


def test_evidence_for_a_literal_funder(store):
    (row,) = run_query(store, "evidence", {"name": "中央财政"}).as_dicts()
    assert row["fact"] == "funder"
    assert ORIGINAL[int(row["start"]):int(row["end"])] == "中央财政下达补助资金640万元"


def test_actor_fundings(store):
    given = run_query(store, "actor-fundings", {"name": "清溪县农村信用合作联社"}).as_dicts()
    assert [(r["role"], r["amount_cny"], r["counterpart"], r["program"], r["kind"], r["year"]) for r in given] == [
        ("given", "18400000", "桃源村果蔬专业合作社", "强村富民行动", "loan", "2022")
    ]
    received = run_query(store, "actor-fundings", {"name": "桃源村果蔬专业合作社"}).as_dicts()
    assert [(r["role"], r["counterpart"]) for r in received] == [("received", "清溪县农村信用合作联社")]
    text = run_query(store, "actor-fundings", {"name": "中央财政"}).as_dicts()
    assert [(r["role"], r["amount_cny"], r["counterpart"]) for r in text] == [("given", "6400000", "村级集体经济组织")]


def test_aggregates(store):
    by_funder = run_query(store, "funding-by-funder")
    assert by_funder.rows == [("清溪县农村信用合作联社", "1", "18400000", "1"), ("中央财政", "1", "6400000", "1")]
    by_program = run_query(store, "funding-by-program")
    assert by_program.rows == [("强村富民行动", "1", "18400000", "1"), (None, "1", "6400000", "1")]
    assert run_query(store, "programs-by-region").rows == [("清溪县", "强村富民行动", "1")]
    timeline = run_query(store, "timeline").as_dicts()
    assert {(r["region"], r["year"], r["programs"], r["fundings"], r["total_cny"]) for r in timeline} == {
        ("桃源村", "2022", "0", "1", "18400000"),  # recipient cooperative's region, funding year
        ("清溪县", "2022", "1", "1", "6400000"),  # jurisdiction, report year; programme region
    }


def test_search(store):
    rows = run_query(store, "search", {"q": "合作"}).as_dicts()
    assert {(r["name"], r["type"]) for r in rows} == {
        ("桃源村果蔬专业合作社", "Cooperative"),
        ("清溪县农村信用合作联社", "FinancialInstitution"),
    }
    (alias_hit,) = [r for r in run_query(store, "search", {"q": "县委"}).as_dicts() if r["type"] == "PartyOrganization"]
    assert alias_hit["name"] == "中共清溪县委员会"
    assert "县委" in alias_hit["matched"]


def test_totals_for_one_funder_programme_region(store):
    assert run_query(store, "funder-totals", {"name": "清溪县农村信用合作联社"}).as_dicts() == [
        {"name": "清溪县农村信用合作联社", "fundings": "1", "total_cny": "18400000", "reports": "1"}]
    assert run_query(store, "program-totals", {"name": "强村富民行动"}).rows == [("强村富民行动", "1", "18400000", "1")]
    # a region counts the fundings of its actors: the lender's region, and the borrowing cooperative's
    assert run_query(store, "region-totals", {"name": "清溪县"}).rows == [("清溪县", "1", "18400000", "1")]
    assert run_query(store, "region-totals", {"name": "桃源村"}).rows == [("桃源村", "1", "18400000", "1")]
    with pytest.raises(NoSuchName, match="of type Region"):  # an actor, not a region
        run_query(store, "region-totals", {"name": "清溪县农业农村局"})
    with pytest.raises(NoSuchName):  # stated text only, no linked funder
        run_query(store, "funder-totals", {"name": "中央财政"})


_PKG, _SCHEMA, _SKOS = "https://w3id.org/policy-kg/ontology#", "https://schema.org/", "http://www.w3.org/2004/02/skos/core#"


def _tiny_store(facts: dict[str, list[tuple[str, str, object]]]):
    """An in-memory store from {report id: [(subject, predicate, object)]}: one named graph per report."""
    from pyoxigraph import Literal, NamedNode, Quad

    s = open_store(":memory:")
    for report, triples in facts.items():
        g = NamedNode(ids.report_iri(report))
        s.store.add(Quad(g, NamedNode("http://purl.org/dc/terms/identifier"), Literal(report), g))
        for subj, pred, obj in triples:
            s.store.add(Quad(NamedNode(subj), NamedNode(pred), obj, g))
    return s


def test_who_funds_what_breaks_ties_by_report_then_funder():
    from pyoxigraph import Literal, NamedNode

    rdf_type, amount = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", _SCHEMA + "amount"
    funding, decimal = NamedNode(_PKG + "Funding"), NamedNode("http://www.w3.org/2001/XMLSchema#decimal")

    def f(n: str, funder: str | None, yuan: str = "500") -> list:
        node = f"urn:x:f{n}"
        out = [(node, rdf_type, funding), (node, amount, Literal(yuan, datatype=decimal))]
        return out + ([(node, _PKG + "funderText", Literal(funder))] if funder else [])

    s = _tiny_store({
        "b-report": f("1", "甲") + f("2", "西宁市农业农村局") + f("3", "西宁市") + f("4", None) + f("5", "乙", "900"),
        "a-report": f("6", "丙"),
    })
    rows = [(r["amount_cny"], r["report"], r["funder"]) for r in run_query(s, "who-funds-what").as_dicts()]
    assert rows == [
        ("900", "b-report", "乙"),
        ("500", "a-report", "丙"),
        ("500", "b-report", None),  # no funder sorts first, as unbound does
        ("500", "b-report", "甲"),
        ("500", "b-report", "西宁市"),  # a name before the longer names it begins
        ("500", "b-report", "西宁市农业农村局"),
    ]


def test_search_reads_each_label_once_and_ignores_case():
    from pyoxigraph import Literal, NamedNode

    program = "https://w3id.org/policy-kg/id/program/x"
    labels = [(program, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", NamedNode(_PKG + "Program")),
              (program, _SKOS + "prefLabel", Literal("扶贫基金", language="zh")),
              (program, _SKOS + "altLabel", Literal("PPP Fund", language="zh")),
              (program, _SKOS + "altLabel", Literal("Fund", language="zh")),
              (program, _SKOS + "altLabel", Literal("扶贫", language="zh"))]
    s = _tiny_store({f"r{i}": labels for i in range(3)})  # the same programme in three reports
    for q in ("ppp", "PPP", "fund"):
        (hit,) = run_query(s, "search", {"q": q}).as_dicts()  # one row, not one per report
        assert (hit["name"], hit["type"], hit["iri"]) == ("扶贫基金", "Program", program)
    assert run_query(s, "search", {"q": "fund"}).as_dicts()[0]["matched"] == "Fund | PPP Fund"
    assert run_query(s, "search", {"q": "基金"}).as_dicts()[0]["matched"] == "扶贫基金"
    assert run_query(s, "search", {"q": "扶贫"}).as_dicts()[0]["matched"] == "扶贫基金 | 扶贫"  # own name first
    assert run_query(s, "search", {"q": "PPP 基金"}).rows == []


def test_unknown_query_lists_the_available_names():
    with pytest.raises(QueryError, match="unknown query 'nope'.*who-funds-what"):
        load_query("nope")


def test_missing_and_undeclared_parameters(store):
    with pytest.raises(QueryError, match="needs parameter.*name"):
        run_query(store, "actor")
    with pytest.raises(QueryError, match="has no parameter 'who'"):
        run_query(store, "actor", {"name": "x", "who": "y"})
    with pytest.raises(QueryError, match="has no parameter 'name'"):
        run_query(store, "actors", {"name": "x"})


def test_invalid_sparql_is_a_query_error(store):
    with pytest.raises(QueryError, match="not valid SPARQL"):
        run_query(store, "SELECT ?x WHERE { ?x }")


def test_query_from_a_path_and_raw_text(store, tmp_path):
    path = tmp_path / "count.rq"
    path.write_text(
        "# title: Count reports\n# description: How many.\n# param: id — a report id\n"
        "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
        "SELECT ?id ?g WHERE { GRAPH ?g { ?g dcterms:identifier ?id } }\n",
        encoding="utf-8",
    )
    q = load_query(path)
    assert (q.name, q.title, q.description) == ("count", "Count reports", "How many.")
    assert [(p.name, p.description, p.language) for p in q.params] == [("id", "a report id", None)]
    assert run_query(store, str(path), {"id": R2}).rows == [(R2, ids.report_iri(R2))]
    raw = run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g a ?t } }")
    assert raw.rows == [("2",)]
    with pytest.raises(QueryError, match="not found"):
        load_query(tmp_path / "missing.rq")


def test_every_canned_query_has_a_header_and_runs(store):
    queries = list_queries()
    names = [q.name for q in queries]
    for required in [*CONTRACT, "funding-by-funder", "funding-by-program", "programs-by-region", "actor",
                     "timeline", "evidence", "actor-fundings", "search", "funder-totals", "program-totals",
                     "region-totals"]:
        assert required in names
    for q in queries:
        assert q.title and q.description, q.name
        params = {p.name: "清溪县" for p in q.params}
        for lookup in q.lookups:  # a name of the kind the query is about
            params[lookup.param] = next(
                name for name, classes in _LABELLED if not lookup.classes or set(lookup.classes) & classes)
        result = run_query(store, q, params)
        for p in q.params:
            assert p.name in result.columns  # oxigraph substitutes projected variables only


_LABELLED = [("清溪县农业农村局", {"Actor", "GovernmentAgency"}), ("强村富民行动", {"Program"}),
             ("清溪县", {"Region"})]


def test_a_name_may_be_an_alias_or_in_either_script(store):
    """The label index finds the canonical name for an alias (县农业农村局 in a 清溪县 report) or traditional script."""
    canonical = run_query(store, "actor", {"name": "清溪县农业农村局"})
    assert canonical.rows
    for typed in ("县农业农村局", "清溪縣農業農村局", "縣農業農村局", " 清溪县农业农村局 "):
        assert run_query(store, "actor", {"name": typed}) == canonical, typed
    assert run_query(store, "evidence", {"name": "縣農業農村局"}) == run_query(store, "evidence", {"name": "清溪县农业农村局"})
    assert run_query(store, "region-totals", {"name": "清溪縣"}).rows == [("清溪县", "1", "18400000", "1")]
    assert resolve_name(store, "中央財政", NameLookup("name", (), stated=True)) == ["中央财政"]


def test_an_alias_of_several_entities_gives_each_and_a_name_beats_an_alias():
    from pyoxigraph import Literal, NamedNode

    rdf_type, pref, alt = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", _SKOS + "prefLabel", _SKOS + "altLabel"
    agency = NamedNode(_PKG + "GovernmentAgency")
    s = _tiny_store({
        "r1": [("urn:x:a", rdf_type, agency), ("urn:x:a", pref, Literal("甲市农业农村局", language="zh")),
               ("urn:x:a", alt, Literal("市农业农村局", language="zh"))],
        "r2": [("urn:x:b", rdf_type, agency), ("urn:x:b", pref, Literal("乙市农业农村局", language="zh")),
               ("urn:x:b", alt, Literal("市农业农村局", language="zh")),
               ("urn:x:c", rdf_type, agency), ("urn:x:c", pref, Literal("市农业农村局", language="zh"))],
    })
    assert resolve_name(s, "市农业农村局") == ["市农业农村局"]  # its own name, not the others' alias
    s.store.remove(next(iter(s.store.quads_for_pattern(NamedNode("urn:x:c"), NamedNode(pref), None))))
    assert resolve_name(s, "市農業農村局") == ["乙市农业农村局", "甲市农业农村局"]


def test_a_name_that_names_nothing_is_an_error_with_the_closest_names(store):
    with pytest.raises(NoSuchName) as caught:
        run_query(store, "actor", {"name": "清溪县农业局"})
    message = str(caught.value)
    assert message.startswith("no entity named 清溪县农业局 (of type Actor); closest names: ")
    assert "清溪县农业农村局" in message.split("closest names: ")[1].split(", ")
    with pytest.raises(NoSuchName, match="nothing close"):
        run_query(store, "program-totals", {"name": "zzzz"})


def test_the_web_search_and_the_name_parameters_share_one_lookup(store, monkeypatch):
    import kg.query
    from kg.serve.data import search

    calls = []
    real = kg.query.find_names
    monkeypatch.setattr(kg.query, "find_names", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    assert search(store.store, "清溪縣農業農村局")["hits"][0]["label"] == "清溪县农业农村局"
    run_query(store, "actor", {"name": "县农业农村局"})
    assert calls == ["清溪縣農業農村局", "县农业农村局"]


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_unstated_words_are_those_of_the_analytics_page():
    import kg.analyze
    from kg.query import UNSTATED

    assert (UNSTATED["funder"], UNSTATED["recipient"], UNSTATED["program"], UNSTATED["region"]) == (
        kg.analyze.NO_FUNDER, kg.analyze.NO_RECIPIENT, kg.analyze.NO_PROGRAM, kg.analyze.NO_REGION)


def test_table_format_aligns_cjk_columns():
    result = QueryResult(["name", "fundings"], [("清溪县农村信用合作联社", "18"), ("中央财政", "6"), (None, "1")])
    lines = format_result(result, "table").splitlines()
    assert lines[1].startswith("-" * 22 + "  ")
    second_column = [_display_width(line[: line.index(value)]) for line, value in
                     zip([lines[0], *lines[2:]], ["fundings", "18", "6", "1"])]
    assert len(set(second_column)) == 1  # every value of column 2 starts at the same display column


def test_table_amounts_are_written_in_yi_and_wan_and_right_aligned():
    result = QueryResult(["funder", "total_cny"], [("清溪县农村信用合作联社", "150000000"), (None, "18400000"),
                                                   ("中央财政", "5000")])
    lines = format_result(result, "table").splitlines()[2:]
    assert [line.split()[-1] for line in lines] == ["1.5亿元", "1,840万元", "5,000元"]
    assert lines[1].startswith("（未注明出资方）")
    assert len({_display_width(line) for line in lines}) == 1  # amounts end at the same column
    assert format_result(result, "csv").splitlines()[1:] == ["清溪县农村信用合作联社,150000000", ",18400000", "中央财政,5000"]


def test_csv_and_json_formats():
    result = QueryResult(["a", "b"], [("x,y", None), ("中文", "2")])
    assert list(csv.reader(io.StringIO(format_result(result, "csv")))) == [["a", "b"], ["x,y", ""], ["中文", "2"]]
    assert json.loads(format_result(result, "json")) == [{"a": "x,y", "b": None}, {"a": "中文", "b": "2"}]
    with pytest.raises(QueryError, match="unknown format"):
        format_result(result, "xml")


# --------------------------------------------------------------------------- plain SPARQL 1.1 forms

class _WithoutLateral:
    """A pyoxigraph store that says it has no LATERAL and refuses a query that uses it, as Virtuoso does."""

    supports_lateral = False

    def __init__(self, store) -> None:
        self._inner = store

    def query(self, sparql: str, **kwargs):
        if any("LATERAL" in line.split("#")[0] for line in sparql.splitlines()):
            raise SyntaxError("LATERAL is not SPARQL 1.1")
        return self._inner.query(sparql, **kwargs)


@pytest.fixture(scope="module")
def corpus_store(sample_reports):
    """The bundled sample reports and, where ../shared is beside the clone, the development reports."""
    from conftest import SHARED

    from kg.pipeline import ingest

    s = open_store(":memory:")
    folders = [sample_reports[0].parent] + ([SHARED / "dev-reports"] if (SHARED / "dev-reports").is_dir() else [])
    assert ingest(folders, s).ok
    yield s
    s.close()


def _names(store, pattern: str, limit: int = 40) -> list[str]:
    text = ("PREFIX pkg: <https://w3id.org/policy-kg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "PREFIX dcterms: <http://purl.org/dc/terms/> "
            f"SELECT DISTINCT ?n WHERE {{ GRAPH ?g {{ {pattern} }} }} ORDER BY ?n LIMIT {limit}")
    return [row[0] for row in run_query(store, text).rows]


def test_every_lateral_query_has_a_plain_form_without_it():
    def code(text: str) -> str:
        return "\n".join(line.split("#")[0] for line in text.splitlines())

    lateral = {q.name for q in list_queries() if "LATERAL" in code(q.text)}
    assert lateral == {"actor-fundings", "evidence", "region-totals", "search"}
    for q in list_queries():
        if q.name in lateral or q.name == "actor":
            assert q.portable and "LATERAL" not in code(q.portable), q.name
        else:
            assert q.portable is None, q.name


def test_the_plain_forms_give_the_same_rows(corpus_store):
    """Each plain SPARQL 1.1 form, sent by run_query to a store without LATERAL, gives the rows of the query."""
    plain = _WithoutLateral(corpus_store.store)
    with pytest.raises(SyntaxError):
        plain.query(load_query("search").text)
    labels = _names(corpus_store, "{ ?x skos:prefLabel ?n } UNION { ?x dcterms:title ?n }", 60)
    texts = [n for p in ("funderText", "recipientText", "programText", "agentText")
             for n in _names(corpus_store, f"?f pkg:{p} ?n", 8)]
    actors = _names(corpus_store, "?x a pkg:Actor ; skos:prefLabel ?n", 30)
    regions = _names(corpus_store, "?x a pkg:Region ; skos:prefLabel ?n", 30)
    cases = {
        "actor": [{"name": n} for n in actors],
        "actor-fundings": [{"name": n} for n in actors + texts],
        "evidence": [{"name": n} for n in labels + texts],
        "region-totals": [{"name": n} for n in regions],
        "search": [{"q": q} for q in ["合作社", "县", "a", "BANK", "没有这个名字"] + [n[:2] for n in labels[:20]]],
    }
    for name, params in cases.items():
        found = 0
        for p in params:
            a, b = run_query(corpus_store, name, p), run_query(plain, name, p)
            assert a.columns == b.columns
            assert sorted(a.rows, key=repr) == sorted(b.rows, key=repr), (name, p)
            found += bool(a.rows)
        assert found >= 3, f"{name}: too few parameters found rows for the comparison to mean much"


def test_the_plain_evidence_form_finds_stated_agent_and_programme_texts():
    """The sample reports state no agent or programme as text; two made-up statements do."""
    from pyoxigraph import Literal, NamedNode

    prov, rdf_type = "http://www.w3.org/ns/prov#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    facts = []
    for i, (kind, pred, text) in enumerate([("Measure", "agentText", "各乡镇"), ("Funding", "programText", "以奖代补")]):
        node, mention = f"urn:x:fact{i}", f"urn:x:mention{i}"
        facts += [(node, rdf_type, NamedNode(_PKG + kind)), (node, _PKG + pred, Literal(text)),
                  (node, prov + "wasDerivedFrom", NamedNode(mention)),
                  (mention, _PKG + "surface", Literal(text)), (mention, _PKG + "start", Literal(str(10 * i))),
                  (mention, _PKG + "end", Literal(str(10 * i + len(text))))]
    s = _tiny_store({"r1": facts})
    for name, fact in (("各乡镇", "agent of measure"), ("以奖代补", "programme of funding")):
        a = run_query(s, "evidence", {"name": name})
        assert [r["fact"] for r in a.as_dicts()] == [fact]
        assert run_query(_WithoutLateral(s.store), "evidence", {"name": name}).rows == a.rows


def test_an_empty_table_says_so():
    lines = format_result(QueryResult(["name", "fundings"], []), "table").splitlines()
    assert lines[0].split() == ["name", "fundings"] and lines[-1].startswith("(no rows")
    assert format_result(QueryResult(["name"], []), "csv") == "name\n"  # CSV and JSON stay machine-readable
