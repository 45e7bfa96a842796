"""Ingest throughput and memory, beside bare ``jieba.lcut`` over the same text in the same run.

    python bench/ingest.py 1000 --jobs 2 [--rounds 3]

The ingest is the real command, ``kg ingest --jobs N`` into a fresh persistent store, in
a subprocess: reading, normalizing, segmenting, extracting, resolving, rdfizing and
writing are all included, and so are the start-up of Python and of the worker
processes (jieba's dictionary, the gazetteer). The floor is ``jieba.lcut`` (default
settings, one core) over the texts of the same files, timed in this process after
jieba has loaded its dictionary. Peak memory is the resident set of the ingest
process and its workers, sampled every 50 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import KG, TreeRss, corpus_dir, mb, write_result  # noqa: E402


def jieba_floor(paths: list[Path]) -> dict:
    """Seconds for bare single-core ``jieba.lcut`` over the texts of ``paths``."""
    import jieba

    jieba.setLogLevel(60)
    jieba.lcut("预热一下分词词典")  # load the dictionary outside the timing
    texts = [p.read_text(encoding="utf-8") for p in paths]
    t = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    dt = time.perf_counter() - t
    return {"seconds": dt, "chars": sum(map(len, texts)), "bytes": sum(len(t.encode("utf-8")) for t in texts)}


def run_ingest(reports: Path, jobs: int, store: Path, extra: list[str] | None = None) -> dict:
    cmd = [KG, "--store", str(store), "ingest", str(reports), "--jobs", str(jobs), "--quiet", *(extra or [])]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    with TreeRss(proc.pid) as rss:
        out, err = proc.communicate()
    dt = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"kg ingest failed ({proc.returncode}): {err[-2000:]}")
    return {"seconds": dt, "output": out.strip(), "peak_rss_total_mb": mb(rss.peak_total),
            "peak_rss_main_mb": mb(rss.peak_main), "peak_rss_worker_mb": mb(rss.peak_child)}


def bench(n: int, jobs: int = 2, seed: int = 7, floor: bool = True, rounds: int = 1) -> dict:
    """Ingest ``n`` generated reports ``rounds`` times; with ``floor``, time bare ``jieba.lcut`` on them around each.

    The floor is timed before the first ingest and after every one, and each ingest is
    compared with the mean of the floors on either side of it: this machine's speed drifts
    by 10-50 % within minutes, and a floor timed once, before, made single-run ratios of
    the same code range from 1.6x to 2.2x. The figures of the median round are reported.
    """
    reports = corpus_dir(n, seed)
    paths = sorted(reports.glob("*.txt"))
    # the floor first: it reads every file, so the ingest finds them in the page cache too
    # (1,000 reports read cold: 12.8 s instead of 11.4 s)
    floors = [jieba_floor(paths)] if floor else []
    ingests = []
    for _ in range(max(1, rounds)):
        tmp = Path(tempfile.mkdtemp(prefix="kg-bench-ingest-"))
        try:
            ingests.append(run_ingest(reports, jobs, tmp / "store"))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if floor:
            floors.append(jieba_floor(paths))
    ratios = [ing["seconds"] / ((floors[i]["seconds"] + floors[i + 1]["seconds"]) / 2) for i, ing in enumerate(ingests)] if floor else []
    median = sorted(range(len(ingests)), key=lambda i: ratios[i] if ratios else ingests[i]["seconds"])[len(ingests) // 2]
    ing = ingests[median]
    result = {
        "reports": n,
        "jobs": jobs,
        "rounds": len(ingests),
        "ingest_s": round(ing["seconds"], 2),
        "reports_per_s": round(n / ing["seconds"], 1),
        "peak_rss_total_mb": max(i["peak_rss_total_mb"] for i in ingests),
        "peak_rss_main_mb": max(i["peak_rss_main_mb"] for i in ingests),
        "peak_rss_worker_mb": max(i["peak_rss_worker_mb"] for i in ingests),
        "kg_output": ing["output"],
    }
    if floor:
        base_s = (floors[median]["seconds"] + floors[median + 1]["seconds"]) / 2
        ratio = ratios[median]
        result |= {
            "chars": floors[0]["chars"],
            "bytes": floors[0]["bytes"],
            "chars_per_s": round(floors[0]["chars"] / ing["seconds"]),
            "jieba_lcut_s": round(base_s, 2),
            "jieba_kb_per_s": round(floors[0]["bytes"] / base_s / 1000, 1),
            "ratio_vs_jieba": round(ratio, 2),
            "ratios_by_round": [round(r, 2) for r in ratios],
            "ingest_s_by_round": [round(i["seconds"], 2) for i in ingests],
            "jieba_lcut_s_timed": [round(f["seconds"], 2) for f in floors],
            "target_ratio": 2.0,
            "met": ratio <= 2.0,
        }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="+", help="corpus sizes (reports)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3, help="ingests per size, each between two timings of the floor (default 3; the median counts)")
    parser.add_argument("--no-floor", action="store_true", help="skip bare jieba.lcut (memory and speed only)")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results/ingest.json")
    args = parser.parse_args(argv)
    runs = []
    for n in args.n:
        r = bench(n, args.jobs, args.seed, floor=not args.no_floor, rounds=args.rounds)
        runs.append(r)
        floor = (f"{r['chars_per_s']:,} chars/s; bare jieba.lcut {r['jieba_lcut_s']:.1f} s "
                 f"({r['jieba_kb_per_s']} KB/s); ratio {r['ratio_vs_jieba']}x (target <= 2; rounds {r['ratios_by_round']}); ") if "jieba_lcut_s" in r else ""
        print(f"ingest {n:>6} reports: {r['ingest_s']:.1f} s = {r['reports_per_s']} reports/s, {floor}"
              f"peak RSS {r['peak_rss_total_mb']} MB (writer {r['peak_rss_main_mb']}, worker {r['peak_rss_worker_mb']})")
    if not args.no_write:
        write_result("ingest", {"runs": runs})
    return 0


if __name__ == "__main__":
    sys.exit(main())
