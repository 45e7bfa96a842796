"""The command-line contract: commands, canned-query columns, re-ingest, bad input."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from contract import CONTRACT

from kg.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("cli") / "store"
    assert main(["--store", str(path), "ingest", "--jobs", "1", "--quiet", str(ROOT / "data" / "reports")]) == 0
    return str(path)


def _csv(out: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(out)))


@pytest.mark.parametrize("name, header", sorted(CONTRACT.items()))
def test_contract_queries_have_exact_columns(store: str, capsys, name: str, header: str) -> None:
    code, out, _ = run(capsys, "--store", store, "query", name, "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == header
    assert len(out.splitlines()) > 1


def test_who_funds_what_on_the_samples(store: str, capsys) -> None:
    _, out, _ = run(capsys, "--store", store, "query", "who-funds-what", "--format", "csv")
    rows = _csv(out)
    pairs = {(r["funder"], r["amount_cny"]) for r in rows}
    assert ("西宁市信保集团", "150000000") in pairs
    assert ("中央三部委", "26000000") in pairs
    assert all(r["report"] in {"xining-sanxiang-2021", "qinzhou-village-collective-economy"} for r in rows)
    assert all(r["kind"] in {"grant", "loan", "investment", "subsidy", "fund"} for r in rows)
    assert all(r["evidence"] for r in rows)


def test_actor_types_and_region_levels(store: str, capsys) -> None:
    _, out, _ = run(capsys, "--store", store, "query", "actors", "--format", "csv")
    types = {r["type"] for r in _csv(out)}
    assert types <= {"GovernmentAgency", "PartyOrganization", "Enterprise", "FinancialInstitution",
                     "Cooperative", "SocialOrganization", "Person"}
    _, out, _ = run(capsys, "--store", store, "query", "regions", "--format", "csv")
    rows = {r["name"]: r for r in _csv(out)}
    assert rows["湟中区"]["level"] == "county" and rows["湟中区"]["parent"] == "西宁市"
    assert rows["秦州区"]["parent"] == "天水市"


def test_one_row_per_thing_per_report(store: str, capsys) -> None:
    for name in ("actors", "regions", "programs"):
        _, out, _ = run(capsys, "--store", store, "query", name, "--format", "csv")
        keys = [(r.get("name"), r["report"]) for r in _csv(out)]
        assert len(keys) == len(set(keys)), name


def test_reingest_gives_the_same_triple_count(tmp_path: Path, capsys) -> None:
    store = str(tmp_path / "s")
    counts = []
    for _ in range(2):
        assert main(["--store", store, "ingest", "--jobs", "1", "--quiet", str(ROOT / "data" / "reports")]) == 0
        capsys.readouterr()  # drop the ingest summary before reading the stats
        code, stats, _ = run(capsys, "--store", store, "stats")
        counts.append(re.search(r"triples\s+(\d+)", stats).group(1))
    assert counts[0] == counts[1] and int(counts[0]) > 500


def test_bad_input_is_reported_and_the_rest_ingested(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (bad / "latin.txt").write_bytes(bytes(range(0x80, 0x100)) * 8)
    (bad / "notes.md").write_text("ignored", encoding="utf-8")
    good = ROOT / "data" / "reports" / "xining-sanxiang-2021.txt"
    code, out, err = run(capsys, "--store", str(tmp_path / "s"), "ingest", "--jobs", "1", "--quiet",
                         str(bad), str(tmp_path / "missing.txt"), str(good))
    assert code != 0
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 4
    for name in ("empty.txt", "binary.txt", "latin.txt", "missing.txt"):
        assert sum(name in line for line in lines) == 1
    assert "reports: 1" in out and "failures: 4" in out


def test_export_turtle_and_trig(store: str, tmp_path: Path, capsys) -> None:
    for fmt, suffix in (("turtle", "ttl"), ("trig", "trig"), ("nquads", "nq"), ("jsonld", "jsonld")):
        out = tmp_path / f"g.{suffix}"
        code, _, err = run(capsys, "--store", store, "export", "--format", fmt, "-o", str(out))
        assert code == 0 and out.stat().st_size > 1000, err


def test_load_restores_an_export_and_reports_bad_files(store: str, tmp_path: Path, capsys) -> None:
    dump = tmp_path / "g.nq"
    assert run(capsys, "--store", store, "export", "--format", "nquads", "-o", str(dump))[0] == 0
    restored = str(tmp_path / "restored")
    code, out, err = run(capsys, "--store", restored, "load", str(tmp_path / "missing.nq"), str(dump))
    assert code == 1 and "missing.nq" in err  # the bad file is named, the good one still loaded
    assert "loaded" in out
    _, before, _ = run(capsys, "--store", store, "query", "who-funds-what", "--format", "csv")
    _, after, _ = run(capsys, "--store", restored, "query", "who-funds-what", "--format", "csv")
    assert after == before and len(_csv(after)) >= 2


def test_optimize_keeps_every_statement(store: str, tmp_path: Path, capsys) -> None:
    dump = tmp_path / "g.nq"
    assert run(capsys, "--store", store, "export", "--format", "nquads", "-o", str(dump))[0] == 0
    copy = str(tmp_path / "copy")
    assert run(capsys, "--store", copy, "load", str(dump))[0] == 0
    _, before, _ = run(capsys, "--store", copy, "stats")
    code, out, _ = run(capsys, "--store", copy, "optimize")
    assert code == 0 and out.strip() == f"optimized {copy}"
    _, after, _ = run(capsys, "--store", copy, "stats")
    assert after == before and "triples" in after


def test_validate_passes_on_the_sample_graph(store: str, capsys) -> None:
    code, out, _ = run(capsys, "--store", store, "validate")
    assert code == 0, out


def test_query_params_are_bound(store: str, capsys) -> None:
    code, out, _ = run(capsys, "--store", store, "query", "actor", "--param", "name=西宁市农业农村局", "--format", "json")
    assert code == 0 and "西宁市农业农村局" in out
    code, out, err = run(capsys, "--store", store, "query", "actor", "--param", 'name=x" } ; DROP ALL #', "--format", "csv")
    assert code == 1 and out == "" and err.startswith('error: no entity named x" } ; DROP ALL #')
    code, out, _ = run(capsys, "--store", store, "stats")
    assert "reports" in out and re.search(r"reports\s+2", out)


def test_unknown_query_is_a_clear_error(store: str, capsys) -> None:
    code, _, err = run(capsys, "--store", store, "query", "no-such-query")
    assert code == 2 and "no-such-query" in err and "who-funds-what" in err


def test_every_command_is_documented() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    help_text = parser.format_help()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, sub in commands.items():
        assert name in help_text
        assert "example" in sub.format_help()
        assert f"kg {name}" in readme, f"README does not document `kg {name}`"


def test_viz_writes_an_offline_page(store: str, tmp_path: Path, capsys) -> None:
    out = tmp_path / "g.html"
    code, _, _ = run(capsys, "--store", store, "viz", "-o", str(out))
    page = out.read_text(encoding="utf-8")
    assert code == 0 and "西宁市" in page
    assert not re.search(r"<script[^>]+src=[\"']https?://", page)


READING_COMMANDS = [["query", "who-funds-what"], ["export", "--format", "nquads"], ["viz", "-o", "never.html"],
                    ["validate"], ["stats"], ["optimize"], ["analyze"], ["serve", "--port", "1"]]


@pytest.mark.parametrize("argv", READING_COMMANDS, ids=lambda a: a[0])
def test_reading_a_missing_store_is_one_line_and_creates_nothing(tmp_path: Path, capsys, argv: list[str],
                                                                  monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    missing = Path("out") / "kg-storX"
    code, out, err = run(capsys, "--store", str(missing), *argv)
    assert code != 0 and out == ""
    assert err.splitlines() == [f"error: no store at {missing} (run kg ingest first, or pass --store)"]
    assert not Path("out").exists() and not Path("never.html").exists()


def test_ingest_and_load_create_the_store_and_its_parent_folders(store: str, tmp_path: Path, capsys) -> None:
    nested = tmp_path / "out" / "deeper" / "kg-store"
    code, out, _ = run(capsys, "--store", str(nested), "ingest", "--jobs", "1", "--quiet",
                       str(ROOT / "data" / "reports" / "xining-sanxiang-2021.txt"))
    assert code == 0 and "reports: 1" in out
    dump = tmp_path / "g.nq"
    assert run(capsys, "--store", store, "export", "--format", "nquads", "-o", str(dump))[0] == 0
    restored = tmp_path / "other" / "restored"
    code, out, _ = run(capsys, "--store", str(restored), "load", str(dump))
    assert code == 0 and "loaded" in out
    assert run(capsys, "--store", str(restored), "stats")[0] == 0


def test_ingesting_paths_without_reports_says_so(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    (empty / "readme.md").write_text("not a report", encoding="utf-8")
    code, out, err = run(capsys, "--store", str(tmp_path / "s"), "ingest", "--quiet", str(empty))
    assert code == 1
    assert err.splitlines() == [f"error: {empty}: no report files (.txt, .html, .htm, .pdf, .docx, .doc, .wps) here"]
    assert "reports: 0" in out and "failures: 1" in out


NAME_QUERIES = [("actor", "西宁市农业农村局", ["市农业农村局", "西寧市農業農村局"]),
                ("evidence", "西宁市信保集团", ["市信保集团", "西寧市信保集團"]),
                ("actor-fundings", "西宁市信保集团", ["市信保集团", "西寧市信保集團"]),
                ("funder-totals", "西宁市信保集团", ["市信保集团", "西寧市信保集團"]),
                ("region-totals", "秦州区", ["秦州區"])]


@pytest.mark.parametrize("query, canonical, typed", NAME_QUERIES, ids=[q[0] for q in NAME_QUERIES])
def test_name_parameters_take_aliases_and_either_script(store: str, capsys, query: str, canonical: str,
                                                        typed: list[str]) -> None:
    code, expected, _ = run(capsys, "--store", store, "query", query, "--param", f"name={canonical}", "--format", "csv")
    assert code == 0 and len(expected.splitlines()) > 1
    for name in typed:  # the form the report uses (市农业农村局 in a 西宁市 report), traditional script
        code, out, err = run(capsys, "--store", store, "query", query, "--param", f"name={name}", "--format", "csv")
        assert (code, out, err) == (0, expected, ""), name


def test_a_name_that_names_nothing_is_one_line_with_the_closest(store: str, capsys) -> None:
    code, out, err = run(capsys, "--store", store, "query", "actor", "--param", "name=西宁市农业局")
    assert code == 1 and out == ""
    (line,) = err.splitlines()
    assert line.startswith("error: no entity named 西宁市农业局") and "西宁市农业农村局" in line


def test_tables_show_amounts_as_analysts_write_them_and_name_the_unknown_funder(store: str, capsys) -> None:
    _, table, _ = run(capsys, "--store", store, "query", "funding-by-funder")
    rows = {line.split()[0]: line.split() for line in table.splitlines()[2:]}
    assert rows["西宁市信保集团"][2] == "1.5亿元" and rows["中央三部委"][2] == "2,600万元"
    assert "（未注明出资方）" in rows and "" not in rows  # no blank funder row
    _, out, _ = run(capsys, "--store", store, "query", "funding-by-funder", "--format", "csv")
    by_funder = {r["funder"]: r for r in _csv(out)}
    assert by_funder["西宁市信保集团"]["total_cny"] == "150000000" and "" in by_funder  # CSV keeps the data
    _, out, _ = run(capsys, "--store", store, "query", "funding-by-funder", "--format", "json")
    assert {r["funder"] for r in json.loads(out)} >= {None, "西宁市信保集团"}
    assert any(r["total_cny"] == "150000000" for r in json.loads(out))


def test_timeline_gives_each_region_its_report_year(store: str, capsys) -> None:
    """The Qinzhou report has no date; its yearless fundings and programmes take the year its fundings state."""
    _, out, _ = run(capsys, "--store", store, "query", "timeline", "--format", "csv")
    rows = _csv(out)
    assert all(r["year"] for r in rows)
    assert [(r["year"], r["fundings"]) for r in rows if r["region"] == "秦州区"] == [("2022", "3")]
