"""Evidence in the store points at the right characters of the original files."""

from __future__ import annotations

from pathlib import Path

from kg.normalize import to_simplified
from kg.pipeline import ingest
from kg.store import open_store

MENTIONS = """
PREFIX pkg: <https://w3id.org/policy-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?source ?surface ?start ?end ?text ?s_start ?s_end WHERE {
  GRAPH ?g {
    ?m a pkg:Mention ; pkg:surface ?surface ; pkg:start ?start ; pkg:end ?end ; pkg:sentence ?s .
    ?s pkg:text ?text ; pkg:start ?s_start ; pkg:end ?s_end .
    ?r a pkg:Report ; dcterms:source ?source .
  }
}
"""


def test_every_stored_span_slices_the_original_file(tmp_path: Path, sample_reports: list[Path]) -> None:
    with open_store(tmp_path / "store") as store:
        summary = ingest(sample_reports, store)
        assert summary.ok
        rows = list(store.query(MENTIONS))
    assert len(rows) > 100
    originals: dict[str, str] = {}
    for row in rows:
        source = row["source"].value
        original = originals.setdefault(source, Path(source).read_text(encoding="utf-8"))
        start, end = int(row["start"].value), int(row["end"].value)
        s_start, s_end = int(row["s_start"].value), int(row["s_end"].value)
        # Simplified and without pinyin readings, the original span is the stored surface form.
        assert to_simplified(original[start:end]) == row["surface"].value
        assert s_start <= start and end <= s_end
        assert to_simplified(original[s_start:s_end]) == row["text"].value


def test_aliases_across_two_reports_are_one_node(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("西宁市大力推进“三乡工程”,西宁农商银行发放贷款500万元。\n", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text("西宁市城北区召开推介会,西宁市农商银行授信2000万元。\n", encoding="utf-8")
    with open_store(tmp_path / "store") as store:
        assert ingest([tmp_path / "in"], store).ok
        rows = list(store.query("""
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            PREFIX pkg: <https://w3id.org/policy-kg/ontology#>
            SELECT DISTINCT ?bank ?label WHERE {
              GRAPH ?g { ?bank a pkg:FinancialInstitution . { ?bank skos:prefLabel ?label } UNION { ?bank skos:altLabel ?label } }
            }"""))
    banks = {row["bank"].value for row in rows}
    labels = {row["label"].value for row in rows}
    assert len(banks) == 1
    assert {"西宁市农商银行", "西宁农商银行"} <= labels
