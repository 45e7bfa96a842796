"""Every register row names its public source, and every source it names is described."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.registers import compound_surnames, registers_dir, surnames

SOURCES = (registers_dir() / "SOURCES.md").read_text(encoding="utf-8")


def _source_cells(path: Path) -> list[tuple[int, str]]:
    """(line number, source cell) of the rows of a register whose header's last column is its source."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = next(line for line in reversed([ln for ln in lines if ln.startswith("#")]) if "\t" in line)
    assert header.rstrip().endswith(("source", "sources")), f"{path.name}: the last column is not the source"
    return [(n, line.split("\t")[-1]) for n, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("name", ["budget_levels.tsv", "financial.tsv", "media.tsv", "organs.tsv",
                                  "place_abbreviations.tsv", "surnames.tsv", "tibetan_name_elements.tsv",
                                  "indicators.tsv", "renamed_organs.tsv"])
def test_every_row_names_a_described_source(name: str) -> None:
    path = registers_dir() / name
    described = SOURCES if name != "indicators.tsv" else path.read_text(encoding="utf-8")  # (its sources head the file)
    for number, cell in _source_cells(path):
        ids = [i.strip() for i in cell.split(",")]
        assert ids and all(re.fullmatch(r"[A-Z]\d+", i) for i in ids), f"{name}:{number}: source {cell!r}"
        for i in ids:
            assert (f"**{i}**" in described) or (name == "indicators.tsv" and f"{i} " in described), f"{name}:{number}: {i}"


def test_surnames_come_from_the_register() -> None:
    # one character a single surname, two a compound one; the register holds 《百家姓》's commonest and the report's
    assert {"王", "李", "张", "刘", "陈", "肖"} <= surnames() and {"欧阳", "上官", "诸葛"} <= compound_surnames()
    assert all(len(s) == 1 for s in surnames()) and all(len(s) == 2 for s in compound_surnames())
