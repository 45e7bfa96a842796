"""Peak memory and time of ingesting one 5 MB report written on a single line (issue 12).

The report is the bundled sample reports with their line breaks removed, repeated to 5 MB;
the second case also turns every sentence mark into a comma, so nothing ends a sentence.
Each is ingested by `kg ingest --jobs 1` in a fresh process into a new store; peak RSS is
sampled with psutil every 50 ms over the process and its children. Target: <= 1 GB.

What bounds it (kg.pipeline.WINDOW_CHARS, kg.segment.MAX_SENTENCE_CHARS): a report longer
than 30,000 characters is extracted and resolved in windows of whole sentences, so the
extraction rules that look back over the paragraph or over every mention found so far work on
one window, not on a 5 MB paragraph; a run without sentence marks is cut into sentences of at
most 2,000 characters at clause marks. What remains grows with the report: its text, the
offset map back to the original, the facts and the graph.

    .venv/bin/python bench/one_line_memory.py [--mb 5]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, TreeRss  # noqa: E402


def one_line_report(size: int, marks: bool) -> str:
    """The sample reports without line breaks, repeated to ``size`` bytes of UTF-8."""
    text = "".join(re.sub(r"\s*\n\s*", "", p.read_text(encoding="utf-8"))
                   for p in sorted((ROOT / "data" / "reports").glob("*.txt")))
    if not marks:
        text = re.sub(r"[。！？!?;；]", "，", text)
    copies = size // len(text.encode("utf-8")) + 1
    data = (text * copies).encode("utf-8")[:size]
    return data.decode("utf-8", "ignore")


def peak_rss(argv: list[str]) -> tuple[float, float, int]:
    """Run ``argv``; return its seconds, peak RSS in MB (with its children) and exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, cwd=ROOT)
    with TreeRss(proc.pid, interval=0.05) as rss:
        code = proc.wait()
    return time.perf_counter() - start, rss.peak_total / 2**20, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="report size in MB (default 5)")
    args = parser.parse_args()
    from kg.pipeline import WINDOW_CHARS
    from kg.segment import MAX_SENTENCE_CHARS

    print(f"windows of {WINDOW_CHARS:,} characters, sentences of at most {MAX_SENTENCE_CHARS:,}; target <= 1,024 MB")
    with tempfile.TemporaryDirectory(prefix="kg-one-line-") as tmp:
        for marks in (True, False):
            report = Path(tmp) / f"one-line-{'marks' if marks else 'no-marks'}.txt"
            report.write_text(one_line_report(int(args.mb * 2**20), marks), encoding="utf-8")
            seconds, peak, code = peak_rss([sys.executable, "-m", "kg.cli", "--store", str(Path(tmp) / report.stem),
                                            "ingest", "--jobs", "1", "--quiet", str(report)])
            what = "sentence marks kept" if marks else "no sentence marks"
            print(f"  {report.stat().st_size / 2**20:.1f} MB on one line, {what}: {seconds:6.1f} s, "
                  f"peak RSS {peak:,.0f} MB, exit {code}: {'met' if peak <= 1024 and code == 0 else 'NOT met'}")


if __name__ == "__main__":
    main()
