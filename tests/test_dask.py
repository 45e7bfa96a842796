"""``--executor dask://HOST:PORT``: extraction on a (local) Dask cluster, the store written here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import DependencyError, KgError
from kg.pipeline import analyze_paths, ingest
from kg.store import open_store

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "reports"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, host="127.0.0.1") as c:
        yield "dask://" + c.scheduler_address.removeprefix("tcp://")


def _quads(store) -> set[str]:
    return {str(q) for q in store.store}


def test_dask_ingest_equals_the_local_one(cluster: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    with open_store(":memory:") as local, open_store(":memory:") as remote:
        a = ingest([REPORTS], local, jobs=1)
        b = ingest([REPORTS, bad], remote, executor=cluster)
        assert a.reports == b.reports == 2 and a.triples == b.triples
        assert [f.path for f in b.failures] == [str(bad)]
        assert _quads(local) == _quads(remote)
        again = ingest([REPORTS], remote, executor=cluster, skip_existing=True)
        assert again.skipped == 2 and again.reports == 0


def test_analyze_paths_on_dask_keeps_the_order(cluster: str) -> None:
    local = [x.report.raw.report_id for x in analyze_paths([REPORTS])]
    on_dask = [x.report.raw.report_id for x in analyze_paths([REPORTS], executor=cluster)]
    assert local == on_dask


def test_cli_ingest_with_a_dask_executor(cluster: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--store", str(tmp_path / "s"), "ingest", str(REPORTS), "--executor", cluster, "--quiet"]) == 0
    assert "reports: 2" in capsys.readouterr().out


def test_missing_distributed_is_a_helpful_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with open_store(":memory:") as store, pytest.raises(DependencyError, match=r"policy-kg\[dask\]"):
        ingest([REPORTS], store, executor="dask://127.0.0.1:1")


def test_unknown_executor_is_refused() -> None:
    with open_store(":memory:") as store, pytest.raises(KgError, match="unknown executor"):
        ingest([REPORTS], store, executor="spark://x")
