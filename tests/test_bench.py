"""Smoke tests: every benchmark runs at a tiny size and writes its JSON (not the figures)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

pytestmark = pytest.mark.slow


@pytest.fixture()
def bench_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import common

    monkeypatch.setattr(common, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(common, "RESULTS", tmp_path / "results")
    import data

    monkeypatch.setattr(data, "CACHE", tmp_path / "cache")
    return tmp_path


def test_corpus_reports_have_realistic_length() -> None:
    import corpus

    sizes = [len(text.encode("utf-8")) for _, text, _ in corpus.generate(40, seed=1)]
    assert 1500 <= min(sizes) and max(sizes) <= 9000
    assert 2000 <= sum(sizes) / len(sizes) <= 8000


def test_ingest_bench_at_tiny_size(bench_env: Path) -> None:
    import ingest

    r = ingest.bench(12, jobs=2, rounds=2)
    assert r["reports"] == 12 and r["ratio_vs_jieba"] > 0 and r["peak_rss_total_mb"] > 0
    # each ingest sits between two timings of the floor; the median round's figures are reported
    assert r["rounds"] == 2 and len(r["jieba_lcut_s_timed"]) == 3 and r["ratio_vs_jieba"] in r["ratios_by_round"]
    assert "reports: 12" in r["kg_output"]
    memory_only = ingest.bench(12, jobs=2, floor=False)
    assert "ratio_vs_jieba" not in memory_only and memory_only["peak_rss_total_mb"] > 0


def test_store_and_viz_bench_at_tiny_size(bench_env: Path) -> None:
    import common
    import data
    import store_bench
    import viz_bench

    path, n = data.scaled_file(6000, 4)  # 4 base reports (~700 quads each), copied to ~6,000 quads
    assert n >= 6000 and path.exists()
    assert b"-c1>" in path.read_bytes()
    r = store_bench.bench_size(6000, 4, ["actor-fundings", "who-funds-what"], True, bench_env, runs=(2, 1),
                               on_store=lambda store: viz_bench.bench_page(store, bench_env))
    assert r["page"]["graph_nodes"] > 0 and r["page"]["build_page_s"] > 0
    assert r["oxigraph"]["actor-fundings"]["runs"] == 2
    assert r["quads"] == n and r["bulk_load_quads_per_s"] > 0 and r["validate_conforms"] and r["optimize_s"] >= 0
    assert r["oxigraph"]["actor-fundings"]["rows"] > 0
    assert r["rdflib"]["queries"]["actor-fundings"]["rows"] == r["oxigraph"]["actor-fundings"]["rows"]
    assert r["rdflib"]["queries"]["who-funds-what"]["rows"] == r["oxigraph"]["who-funds-what"]["rows"]
    v = viz_bench.bench_size(6000, 4, bench_env)
    assert v["shown_nodes"] > 0 and v["build_page_s"] > 0
    common.write_result("smoke", {"store": r}, bench_env / "results")
    assert json.loads((bench_env / "results" / "smoke.json").read_text())["store"]["quads"] == n
