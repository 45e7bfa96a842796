"""Benchmark graphs of 10^5–10^7 quads in the shapes rdfize writes.

The base is real: the generated corpus (``corpus.py``) ingested by ``kg ingest`` and
dumped as N-Quads (cached in ``bench/.cache``). Larger graphs repeat the base reports
under new report ids (``…-c1``, ``…-c2``): every report-local node (report, sentence,
mention, funding, measure) is new, while actors, regions, programmes and documents
are shared between copies, as the same county bureau recurs across many real reports.
Sizes count quads, i.e. triples in report graphs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from common import CACHE, KG, corpus_dir

_REPORT_ID = re.compile(rb"synthetic-\d{6}")


def base_nquads(n_reports: int, seed: int = 7) -> Path:
    """N-Quads of ``n_reports`` generated reports ingested by ``kg ingest`` (cached)."""
    out = CACHE / f"base-{n_reports}-{seed}.nq"
    if out.exists():
        return out
    reports = corpus_dir(n_reports, seed)
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-base-"))
    try:
        subprocess.run([KG, "--store", str(tmp / "s"), "ingest", str(reports), "--jobs", "2", "--quiet"],
                       check=True, capture_output=True)
        subprocess.run([KG, "--store", str(tmp / "s"), "export", "--format", "nquads", "-o", str(out) + ".tmp"],
                       check=True, capture_output=True)
        Path(str(out) + ".tmp").rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _graph_blocks(path: Path) -> list[bytes]:
    """The base N-Quads grouped by report graph (oxigraph dumps a graph's quads together)."""
    blocks: dict[bytes, list[bytes]] = {}
    with open(path, "rb") as fh:
        for line in fh:
            g = line.rstrip()[:-1].rstrip().rsplit(b" ", 1)[-1]
            blocks.setdefault(g, []).append(line)
    return [b"".join(lines) for lines in blocks.values()]


def scaled_quads(base: Path, quads: int) -> Iterator[bytes]:
    """N-Quads chunks (one report graph each) adding up to about ``quads`` quads."""
    blocks = _graph_blocks(base)
    sizes = [b.count(b"\n") for b in blocks]
    total = 0
    copy = 0
    while total < quads:
        for block, n in zip(blocks, sizes):
            if total >= quads:
                break
            yield block if copy == 0 else _REPORT_ID.sub(lambda m: m.group(0) + b"-c%d" % copy, block)
            total += n
        copy += 1


def write_scaled(base: Path, quads: int, out: Path) -> int:
    n = 0
    with open(out, "wb") as fh:
        for chunk in scaled_quads(base, quads):
            fh.write(chunk)
            n += chunk.count(b"\n")
    return n


def scaled_file(quads: int, n_reports: int, seed: int = 7) -> tuple[Path, int]:
    """An N-Quads file of about ``quads`` quads (cached); returns (path, exact count)."""
    out = CACHE / f"scaled-{quads}-{n_reports}-{seed}.nq"
    count = CACHE / (out.name + ".count")
    if not (out.exists() and count.exists()):
        n = write_scaled(base_nquads(n_reports, seed), quads, Path(str(out) + ".tmp"))
        Path(str(out) + ".tmp").rename(out)
        count.write_text(str(n))
    return out, int(count.read_text())
