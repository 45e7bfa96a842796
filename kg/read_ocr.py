"""OCR of scanned PDF pages through Debian's tesseract (``tesseract-ocr``, ``tesseract-ocr-chi-sim``).

Each page is rendered by PyMuPDF at 200 dpi and read by the ``tesseract`` command in TSV
mode, which gives every line's box, so ``kg.read_pdf`` joins broken lines and drops
running headers and page numbers as it does for a text layer. One tesseract thread per
page: its OpenMP threads fight over two shared cores and were 3x slower (26 s against 8 s
a page here under load). ``bench/read_formats.py`` measures pages per second and the
share of the characters read right.

>>> _lines_from_tsv("level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\tleft\\ttop\\twidth\\theight\\tconf\\ttext\\n"
...                 "4\\t1\\t1\\t1\\t1\\t0\\t200\\t100\\t400\\t40\\t-1\\t\\n"
...                 "5\\t1\\t1\\t1\\t1\\t1\\t200\\t100\\t80\\t40\\t95\\t乡村\\n"
...                 "5\\t1\\t1\\t1\\t1\\t2\\t280\\t100\\t320\\t40\\t93\\t振兴\\n", scale=0.5)
[((100.0, 50.0, 300.0, 70.0), '乡村振兴', 20.0)]
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess

from kg.errors import ReadError
from kg.read_tables import glue

__all__ = ["MAX_OCR_PAGES", "unavailable", "page_lines"]

# Beyond this many scanned pages, a report would hold the batch for many minutes.
MAX_OCR_PAGES = 20
_DPI = 200
_LANGUAGE = "chi_sim"
_PAGE_TIMEOUT_S = 180


@functools.cache
def unavailable() -> str | None:
    """Why OCR cannot run here (as advice), or None when tesseract with Chinese is installed.

    >>> unavailable() is None or "tesseract" in unavailable()
    True
    """
    if not shutil.which("tesseract"):
        return "install Debian's tesseract-ocr and tesseract-ocr-chi-sim"
    try:
        done = subprocess.run(["tesseract", "--list-langs"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "the tesseract command does not run"
    if _LANGUAGE not in done.stdout.decode("utf-8", errors="replace").split():
        return "install Debian's tesseract-ocr-chi-sim (tesseract has no simplified Chinese)"
    return None


def _lines_from_tsv(tsv: str, scale: float) -> list[tuple[tuple[float, float, float, float], str, float]]:
    """(box in PDF points, text, height) of each line of tesseract's TSV output."""
    boxes: dict[tuple[str, str, str], tuple[float, float, float, float]] = {}
    words: dict[tuple[str, str, str], list[str]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12:
            continue
        level, key = cells[0], (cells[2], cells[3], cells[4])
        left, top, width, height = (float(c) * scale for c in cells[6:10])
        if level == "4":
            boxes[key] = (left, top, left + width, top + height)
        elif level == "5" and cells[11].strip():
            words.setdefault(key, []).append(cells[11].strip())
    out = []
    for key, box in boxes.items():
        text = ""
        for word in words.get(key, ()):
            text = glue(text, word)
        if text:
            out.append((box, text, box[3] - box[1]))
    return out


def page_lines(page, name: str) -> list[tuple[tuple[float, float, float, float], str, float]]:
    """The lines tesseract reads on one PDF page (a PyMuPDF page), in PDF points."""
    pixmap = page.get_pixmap(dpi=_DPI, colorspace="GRAY")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(["tesseract", "stdin", "stdout", "-l", _LANGUAGE, "tsv"], input=pixmap.tobytes("png"),
                              capture_output=True, timeout=_PAGE_TIMEOUT_S, check=False, env=env)
    except subprocess.TimeoutExpired:
        raise ReadError(name, f"OCR took more than {_PAGE_TIMEOUT_S} s on page {page.number + 1}") from None
    if done.returncode != 0:
        reason = " ".join(done.stderr.decode("utf-8", errors="replace").split())[:160]
        raise ReadError(name, f"OCR failed on page {page.number + 1}: {reason}")
    return _lines_from_tsv(done.stdout.decode("utf-8", errors="replace"), scale=72 / _DPI)
