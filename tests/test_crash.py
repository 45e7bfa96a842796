"""Kill ``kg ingest`` with SIGKILL at a random (seeded) moment, then run it again.

The store must open, every report graph in it must be whole (as many quads as a clean
ingest of that report gives, and its ``pkg:sha256`` completeness marker present), and
the second run, with ``--skip-existing``, must complete the rest.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.store import open_store

ROOT = Path(__file__).resolve().parent.parent
KG = str(Path(sys.executable).with_name("kg"))

pytestmark = pytest.mark.slow

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402


def _write_corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    for rid, text, _ in corpus.generate(n, seed=5):
        (folder / f"{rid}.txt").write_text(text, encoding="utf-8")


def _counts(location: Path) -> dict[str, int]:
    with open_store(location) as store:
        return {g: store.count_quads(g) for g in store.reports()}


def _stored(location: Path) -> bool:
    """Whether a report graph is in the store yet (read beside the writer, without its lock)."""
    from pyoxigraph import Store

    try:
        return any(True for _ in Store.read_only(str(location)).named_graphs())
    except (OSError, RuntimeError):
        return False  # not created yet, or caught while the writer creates its column families


def _ingest(store: Path, reports: Path, *extra: str) -> subprocess.Popen:
    # small batches, so that a kill can land between two of them on this small corpus
    return subprocess.Popen([KG, "--store", str(store), "ingest", str(reports), "--jobs", "2", "--quiet",
                             "--batch-quads", "5000", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def test_sigkill_mid_ingest_leaves_whole_reports_and_a_rerun_completes(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _write_corpus(reports, 240)
    clean = tmp_path / "clean"
    t = time.monotonic()
    proc = _ingest(clean, reports)
    out, err = proc.communicate(timeout=600)
    clean_s = time.monotonic() - t
    assert proc.returncode == 0, err
    expected = _counts(clean)
    assert len(expected) == 240

    crashed = tmp_path / "crashed"
    rng = random.Random(2026)
    proc = _ingest(crashed, reports)
    # Start-up (Python, jieba, the gazetteer) takes a few seconds of the clean run: kill
    # at a random moment of the part that writes, once the first report is stored.
    deadline = time.monotonic() + clean_s
    while proc.poll() is None and time.monotonic() < deadline and not _stored(crashed):
        time.sleep(0.05)
    time.sleep(rng.uniform(0.1, 0.5) * clean_s)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)  # the ingest and its worker processes, at once
    proc.communicate()

    with open_store(crashed) as store:  # it opens: no lock left, no corruption
        present = {g: store.count_quads(g) for g in store.reports()}
        marked = store.report_hashes()
    assert 0 < len(present) < 240, f"the kill should land mid-ingest ({len(present)} reports stored)"
    for graph, n in present.items():
        assert n == expected[graph], f"{graph} is half written: {n} of {expected[graph]} quads"
        assert graph in marked

    proc = _ingest(crashed, reports, "--skip-existing")
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert f"skipped (unchanged): {len(present)}" in out
    assert _counts(crashed) == expected
