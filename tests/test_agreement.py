"""eval/agreement.py: two annotations of the same reports scored against each other."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from kg import resources

ROOT = resources.project_root()
_spec = importlib.util.spec_from_file_location("agreement", ROOT / "eval" / "agreement.py")
agreement = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(agreement)

# a development report with actors, programmes and fundings
REPORT = "aksu-xianjie-zijin-2021"


def _write(folder: Path, gold: dict) -> Path:
    folder.mkdir()
    (folder / f"{gold['id']}.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return folder


def test_an_annotation_agrees_fully_with_itself_and_partly_with_a_changed_copy(tmp_path: Path, capsys) -> None:
    gold = json.loads((ROOT / "eval" / "dev" / "gold" / f"{REPORT}.json").read_text(encoding="utf-8"))
    actors = [a for a in gold["actors"] if not a.get("optional")]
    fundings = [f for f in gold["fundings"] if f.get("amount_cny") and not f.get("optional")]
    assert len(actors) >= 2 and fundings
    changed = dict(gold, actors=[a for a in gold["actors"] if a is not actors[0]],
                   fundings=[dict(f, funder="某某银行") if f is fundings[0] else f for f in gold["fundings"]])
    first, second = _write(tmp_path / "a", gold), _write(tmp_path / "b", changed)

    one, other, both = agreement.agreement(agreement.load_gold(first), agreement.load_gold(second))
    n = len(actors)
    # the second annotator missed one actor: recall (n-1)/n one way, precision the other way
    assert both == [REPORT]
    assert one.counts["actors"].f1 == pytest.approx(2 * (n - 1) / (2 * n - 1))
    assert other.counts["actors"].f1 == one.counts["actors"].f1
    assert one.funder.right == one.funder.total - 1
    assert one.counts["programs"].f1 == 1.0

    assert agreement.main([str(first), str(first)]) == 0
    assert "actors          1.000      1.000  1.000" in capsys.readouterr().out


def test_folders_without_a_common_report_or_missing_say_so(tmp_path: Path, capsys) -> None:
    a = _write(tmp_path / "a", {"id": "one", "actors": []})
    b = _write(tmp_path / "b", {"id": "two", "actors": []})
    assert agreement.main([str(a), str(b)]) == 1
    assert "no report is annotated in both" in capsys.readouterr().err
    assert agreement.main([str(a), str(tmp_path / "missing")]) == 1
    assert "no such folder of gold files" in capsys.readouterr().err


def test_the_module_s_docstring_examples_run() -> None:
    import doctest

    assert doctest.testmod(agreement).failed == 0
