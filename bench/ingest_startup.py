"""Start-up cost of `kg ingest` on little work (issue 12): worker processes only where they pay.

Prints, each the median of --runs fresh `kg` processes (Python start-up included, as a user
sees it):

* one small report into a new store with the default --jobs (one per core) against --jobs 1,
  and their ratio (target: default <= 1.5 x --jobs 1 + 0.5 s);
* the same report again with --skip-existing, nothing to do (target: < 1 s).

Why it holds: `kg.pipeline` starts its process pool only once POOL_MIN_BYTES of reports are
waiting to be analysed, and --skip-existing compares sha256 in the writer process, so a run with
nothing to analyse never starts a worker (each loads jieba, the gazetteer and the tags first).

    .venv/bin/python bench/ingest_startup.py [--runs 3] [--report data/reports/xining-sanxiang-2021.txt]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg.cli"]


def timed(*argv: str) -> float:
    """Seconds one `kg` command takes, as a fresh process; it must succeed."""
    start = time.perf_counter()
    subprocess.run([*KG, *argv], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--report", default=str(ROOT / "data" / "reports" / "xining-sanxiang-2021.txt"))
    args = parser.parse_args()
    from kg.pipeline import POOL_MIN_BYTES, default_jobs

    figures: dict[str, list[float]] = {"jobs1": [], "default": [], "skip": []}
    with tempfile.TemporaryDirectory(prefix="kg-startup-") as tmp:
        for _ in range(args.runs):
            for key, jobs in (("jobs1", ["--jobs", "1"]), ("default", [])):
                store = Path(tmp) / key
                shutil.rmtree(store, ignore_errors=True)
                figures[key].append(timed("--store", str(store), "ingest", "--quiet", *jobs, args.report))
            figures["skip"].append(timed("--store", str(Path(tmp) / "default"), "ingest", "--quiet",
                                         "--skip-existing", args.report))
    one, default, skip = (statistics.median(figures[k]) for k in ("jobs1", "default", "skip"))
    size = Path(args.report).stat().st_size
    print(f"one report ({size:,} bytes), median of {args.runs} runs; default --jobs is {default_jobs()}, "
          f"the pool starts at {POOL_MIN_BYTES:,} bytes of reports to analyse")
    print(f"  --jobs 1:                 {one:6.2f} s")
    print(f"  default --jobs:           {default:6.2f} s   ratio {default / one:.2f}x   "
          f"target <= 1.5x + 0.5 s ({1.5 * one + 0.5:.2f} s): {'met' if default <= 1.5 * one + 0.5 else 'NOT met'}")
    print(f"  --skip-existing, nothing: {skip:6.2f} s   target < 1 s: {'met' if skip < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
