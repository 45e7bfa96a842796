"""Shared helpers of the benchmarks: timing, statistics, corpora on disk, results as JSON."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
CACHE = Path(os.environ.get("KG_BENCH_CACHE", ROOT / "bench" / ".cache"))
PYTHON = sys.executable
KG = str(Path(sys.executable).with_name("kg"))

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values``, interpolated between neighbours (NaN for none)."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = q * (len(s) - 1)
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def p95(xs: list[float]) -> float:
    return percentile(xs, 0.95)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def repeat(fn: Callable[[], Any], runs: int, budget_s: float = 30.0) -> list[float]:
    """Times of ``runs`` calls (fewer if they exceed ``budget_s`` together; at least one)."""
    times: list[float] = []
    start = time.perf_counter()
    for _ in range(runs):
        dt, _ = timed(fn)
        times.append(dt)
        if time.perf_counter() - start > budget_s:
            break
    return times


def corpus_dir(n: int, seed: int = 7) -> Path:
    """A generated corpus of ``n`` reports on disk (cached under bench/.cache)."""
    import corpus

    out = CACHE / f"corpus-{n}-{seed}"
    done = out / ".done"
    if not done.exists():
        import shutil

        shutil.rmtree(out, ignore_errors=True)
        corpus.main([str(n), "--out", str(out), "--seed", str(seed)])
        done.write_text("ok")
    return out / "reports"


def machine() -> dict[str, Any]:
    import pyoxigraph

    info: dict[str, Any] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "pyoxigraph": pyoxigraph.__version__ if hasattr(pyoxigraph, "__version__") else "?",
    }
    try:
        import rdflib

        info["rdflib"] = rdflib.__version__
    except ImportError:  # pragma: no cover
        pass
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        info["git"] = rev.stdout.strip()
    except OSError:  # pragma: no cover
        pass
    return info


def write_result(name: str, data: dict[str, Any], results_dir: Path | None = None) -> Path:
    """Write ``bench/results/<name>.json`` (figures plus machine and time)."""
    folder = results_dir or RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    payload = {"benchmark": name, "when": time.strftime("%Y-%m-%dT%H:%M:%S"), "machine": machine(), **data}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    return path


class TreeRss:
    """Peak resident memory of a process and its children, sampled (psutil)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        import psutil

        self.proc = psutil.Process(pid)
        self.interval = interval
        self.peak_total = 0
        self.peak_main = 0
        self.peak_child = 0
        self.peak_processes = 0  # how many processes the tree had at its peak_total
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                main = self.proc.memory_info().rss
                children = []
                for c in self.proc.children(recursive=True):
                    try:
                        children.append(c.memory_info().rss)
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            self.peak_main = max(self.peak_main, main)
            self.peak_child = max([self.peak_child, *children])
            if main + sum(children) > self.peak_total:
                self.peak_total, self.peak_processes = main + sum(children), 1 + len(children)
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def mb(n: float) -> float:
    return round(n / 2**20, 1)


def fmt_table(rows: list[list[Any]], header: list[str]) -> str:
    cells = [header] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
