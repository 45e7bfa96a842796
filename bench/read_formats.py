"""Reading reports as they are published (issue 14): which library, how right, how fast.

Makes, from the development reports (``../shared/dev-reports``, else the two samples):
PDFs (reportlab, STSong-Light, lines broken mid-sentence, running header, page numbers, a
ruled table), Word files, web pages in four layouts with navigation and related headlines,
and GB18030/GBK/Big5/UTF-16/UTF-8-BOM versions. Then prints:

1. PDF: pypdf, pdfplumber and PyMuPDF on the same PDFs: share of the report's characters
   read back (in order), share of extra characters (headers, page numbers), pages per
   second of plain text extraction, of extraction with table search, and of kg's reader.
   OCR of scanned PDFs (tesseract): pages per second, characters read right.
2. DOCX: reports per second and paragraphs per second of kg's reader (python-docx).
3. HTML: main-text precision and recall (characters, in order, against the report's
   body) and pages per second of kg's reader (trafilatura) beside readability-lxml and
   jusText.
4. Encodings: reports and short lines decoded exactly, kg's decoder (charset-normalizer
   among the Chinese codecs) beside charset-normalizer let loose on every codec it knows.

    .venv/bin/python bench/read_formats.py        # about a minute; writes bench/results/read_formats.json
"""

from __future__ import annotations

import difflib
import re
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, fmt_table, write_result

sys.path.insert(0, str(ROOT / "tests"))

from documents import blocks_of, write_docx, write_html_page, write_pdf, write_scanned_pdf  # noqa: E402

SHARED = ROOT.parent / "shared" / "dev-reports"
_WS = re.compile(r"[\s\u3000\xa0]+")


def _reports() -> list[str]:
    paths = sorted(SHARED.glob("*.txt")) if SHARED.is_dir() else []
    paths += sorted((ROOT / "data" / "reports").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def _squash(text: str) -> str:
    return _WS.sub("", text)


def _overlap(got: str, want: str) -> tuple[float, float]:
    """(share of ``want`` found in ``got`` in order, share of ``got`` that is not in ``want``)."""
    got, want = _squash(got), _squash(want)
    if not want:  # a one-line report: nothing but its headline
        return 1.0, 0.0 if not got else 1.0
    matched = sum(b.size for b in difflib.SequenceMatcher(None, got, want, autojunk=False).get_matching_blocks())
    return matched / max(1, len(want)), 1 - matched / max(1, len(got))


def _rate(n: int, seconds: float) -> float:
    return round(n / seconds, 1) if seconds else float("inf")


def bench_pdf(texts: list[str], folder: Path) -> list[dict]:
    import pdfplumber
    import pymupdf
    import pypdf

    from kg.read_pdf import read_pdf_text

    pymupdf.TOOLS.mupdf_display_errors(False)
    if hasattr(pymupdf, "no_recommend_layout"):
        pymupdf.no_recommend_layout()
    pdfs = [write_pdf(t, folder / f"r{i}.pdf") for i, t in enumerate(texts)]
    big = write_pdf("\n".join(texts), folder / "all.pdf", repeat=3)
    n_big = len(pypdf.PdfReader(big).pages)
    n_table_pages = sum(1 for page in pymupdf.open(big) if page.find_tables().tables)
    plain_text = "\n".join(t for t in texts if all(isinstance(b, str) for b in blocks_of(t)))
    no_tables = write_pdf(plain_text, folder / "no-tables.pdf", repeat=3)
    n_no_tables = len(pypdf.PdfReader(no_tables).pages)

    def with_pypdf(p: Path) -> str:
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(p).pages)

    def with_pdfplumber(p: Path, tables: bool = False) -> str:
        with pdfplumber.open(p) as doc:
            out = []
            for page in doc.pages:
                out.append(page.extract_text() or "")
                if tables:
                    page.find_tables()
            return "\n".join(out)

    def with_pymupdf(p: Path, tables: bool = False) -> str:
        with pymupdf.open(p) as doc:
            out = []
            for page in doc:
                out.append(page.get_text())
                if tables:
                    page.find_tables()
            return "\n".join(out)

    candidates = [
        ("pypdf", with_pypdf, None, "BSD"),
        ("pdfplumber", with_pdfplumber, lambda p: with_pdfplumber(p, True), "MIT"),
        ("pymupdf", with_pymupdf, lambda p: with_pymupdf(p, True), "AGPL-3.0 or commercial"),
        ("kg (pymupdf: joined, margins dropped, tables)", lambda p: read_pdf_text(p, p.name)[0], None, ""),
    ]
    rows = []
    for name, plain, with_tables, licence in candidates:
        found = extra = 0.0
        lost_dots = 0
        for p, t in zip(pdfs, texts):
            got = plain(p)
            f, e = _overlap(got, t)
            found += f
            extra += e
            lost_dots += t.count("·") - got.count("·")
        t0 = time.perf_counter()
        plain(big)
        plain_rate = _rate(n_big, time.perf_counter() - t0)
        table_rate = None
        if with_tables is not None:
            t0 = time.perf_counter()
            with_tables(big)
            table_rate = _rate(n_big, time.perf_counter() - t0)
        rows.append({"library": name, "licence": licence, "chars_found": round(found / len(pdfs), 4),
                     "extra_chars": round(extra / len(pdfs), 4), "middle_dots_lost": lost_dots,
                     "pages_per_s": plain_rate, "pages_per_s_with_table_search": table_rate})
    t0 = time.perf_counter()
    read_pdf_text(no_tables, no_tables.name)
    kg_text_rate = _rate(n_no_tables, time.perf_counter() - t0)
    rows[-1]["pages_per_s_without_tables"] = kg_text_rate
    print(f"\nPDF: {len(pdfs)} reports as PDFs; speed on one PDF of {n_big} pages, {n_table_pages} of them with a "
          f"ruled table (kg on {n_no_tables} pages without tables: {kg_text_rate} pages/s)")
    print(fmt_table([[r["library"], r["licence"], r["chars_found"], r["extra_chars"], r["middle_dots_lost"],
                      r["pages_per_s"], r["pages_per_s_with_table_search"] or "-"] for r in rows],
                    ["library", "licence", "chars found", "extra chars", "· lost", "pages/s", "pages/s + tables"]))
    return rows


def bench_ocr(texts: list[str], folder: Path) -> dict | None:
    """Scanned PDFs (200 dpi grey images of the PDFs' pages) read by tesseract chi_sim."""
    from kg import read_ocr
    from kg.read_pdf import read_pdf_text

    if read_ocr.unavailable():
        print(f"\nOCR: not measured ({read_ocr.unavailable()})")
        return None
    longest = max(texts, key=len)
    scan = write_scanned_pdf(write_pdf(longest, folder / "to-scan.pdf"), folder / "scan.pdf")
    t0 = time.perf_counter()
    text, locations = read_pdf_text(scan, scan.name)
    seconds = time.perf_counter() - t0
    found, extra = _overlap(text, longest)
    out = {"pages": locations[-1][1], "pages_per_s": _rate(locations[-1][1], seconds), "chars_found": round(found, 4),
           "extra_chars": round(extra, 4)}
    print(f"\nOCR (tesseract chi_sim, one thread, 200 dpi): {out['pages']} scanned pages at {out['pages_per_s']} pages/s, "
          f"{out['chars_found']:.3f} of the report's characters found, {out['extra_chars']:.3f} extra")
    return out


def bench_docx(texts: list[str], folder: Path) -> dict:
    from kg.read_docx import read_docx_text

    files = [write_docx(t, folder / f"r{i}.docx") for i, t in enumerate(texts)]
    found = 0.0
    paragraphs = 0
    t0 = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        for p in files:
            text, locations = read_docx_text(p, p.name)
            paragraphs += len(locations)
    seconds = time.perf_counter() - t0
    for p, t in zip(files, texts):
        found += _overlap(read_docx_text(p, p.name)[0], t)[0]
    out = {"reports": len(files), "reports_per_s": _rate(rounds * len(files), seconds),
           "paragraphs_per_s": _rate(paragraphs, seconds), "chars_found": round(found / len(files), 4)}
    print(f"\nDOCX (python-docx): {out['reports_per_s']} reports/s, {out['paragraphs_per_s']} paragraphs/s, "
          f"{out['chars_found']:.4f} of the characters found")
    return out


def bench_html(texts: list[str], folder: Path) -> list[dict]:
    import justext
    import lxml.html
    from readability import Document

    from kg.read_html import html_extract

    titles = [t.strip().split("\n", 1)[0][:40] for t in texts]
    pages = []
    for i, t in enumerate(texts):
        related = [titles[j] for j in range(len(texts)) if j != i][:8]
        for layout in range(4):
            p = write_html_page(t, folder / f"r{i}-{layout}.html", layout=layout, related=related)
            pages.append((t, layout, p.read_text(encoding="utf-8")))

    def readability(page: str) -> str:
        html = Document(page).summary(html_partial=True)
        html = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</h\d>|</li>|</tr>", "\n", html)
        return lxml.html.fromstring(html).text_content() if html.strip() else ""

    def jt(page: str) -> str:  # jusText has no Chinese stop list; without one it keeps nothing
        return "\n".join(p.text for p in justext.justext(page.encode("utf-8"), frozenset()) if not p.is_boilerplate)

    rows = []
    for name, fn in [("kg (trafilatura, favor_precision)", lambda page: html_extract(page)[0]),
                     ("readability-lxml", readability), ("jusText (no stop list)", jt)]:
        per_layout: dict[int, list[tuple[float, float]]] = {}
        t0 = time.perf_counter()
        for t, layout, page in pages:
            body = "\n".join(t.strip().split("\n")[1:])  # the headline is metadata to some of them
            got = fn(page)
            headline = _squash(t.strip().split("\n", 1)[0])
            got = "\n".join(line for line in got.split("\n") if _squash(line) != headline)
            recall, extra = _overlap(got, body)
            per_layout.setdefault(layout, []).append((1 - extra if got.strip() else 0.0, recall))
        seconds = time.perf_counter() - t0
        all_pr = [pr for v in per_layout.values() for pr in v]
        p = sum(a for a, _ in all_pr) / len(all_pr)
        r = sum(b for _, b in all_pr) / len(all_pr)
        rows.append({"extractor": name, "precision": round(p, 3), "recall": round(r, 3),
                     "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "pages_per_s": _rate(len(pages), seconds),
                     "by_layout": {k: [round(sum(a for a, _ in v) / len(v), 3), round(sum(b for _, b in v) / len(v), 3)]
                                   for k, v in per_layout.items()}})
    print(f"\nHTML: {len(pages)} pages ({len(texts)} reports x 4 layouts); characters of the body, in order")
    print(fmt_table([[r["extractor"], r["precision"], r["recall"], r["f1"], r["pages_per_s"],
                      " ".join(f"L{k}:{v[0]}/{v[1]}" for k, v in r["by_layout"].items())] for r in rows],
                    ["extractor", "P", "R", "F1", "pages/s", "P/R by layout"]))
    return rows


def bench_encodings(texts: list[str]) -> list[dict]:
    import charset_normalizer
    import opencc

    from kg.errors import ReadError
    from kg.read import _decode

    to_traditional = opencc.OpenCC("s2tw")

    def versions(text: str) -> list[tuple[str, str, bytes]]:
        trad = "".join(c for c in to_traditional.convert(text) if c.encode("big5", errors="ignore") or c == "\n")
        return [("gb18030", text, text.encode("gb18030")), ("gbk", text, text.encode("gbk")),
                ("big5", trad, trad.encode("big5")), ("utf-16", text, text.encode("utf-16")),
                ("utf-16-le (no BOM)", text, text.encode("utf-16-le")), ("utf-8-sig", text, text.encode("utf-8-sig"))]

    def loose(data: bytes) -> str | None:
        best = charset_normalizer.from_bytes(data).best()
        return None if best is None else str(best)

    def kg(data: bytes) -> str | None:
        try:
            return _decode(data, "bench")[0]
        except ReadError:
            return None

    rows = []
    for length_name, cut in (("whole report", None), ("40 characters", 40), ("12 characters", 12)):
        counts: dict[tuple[str, str], list[int]] = {}
        for t in texts:
            sample = t if cut is None else max(t.split("\n"), key=len)[:cut]
            for codec, expected, data in versions(sample):
                for name, fn in (("kg", kg), ("charset-normalizer, every codec", loose)):
                    c = counts.setdefault((codec, name), [0, 0])
                    c[0] += fn(data) == expected
                    c[1] += 1
        for (codec, name), (ok, n) in counts.items():
            rows.append({"length": length_name, "codec": codec, "decoder": name, "exact": ok, "of": n})
    print("\nEncodings: texts decoded exactly")
    table = {}
    for r in rows:
        table.setdefault((r["length"], r["codec"]), {})[r["decoder"]] = f"{r['exact']}/{r['of']}"
    print(fmt_table([[length, codec, v.get("kg"), v.get("charset-normalizer, every codec")] for (length, codec), v in table.items()],
                    ["length", "codec", "kg", "charset-normalizer, every codec"]))
    return rows


def main() -> int:
    texts = _reports()
    with tempfile.TemporaryDirectory(prefix="kg-formats-") as tmp:
        folder = Path(tmp)
        results = {"reports": len(texts), "pdf": bench_pdf(texts, folder), "ocr": bench_ocr(texts, folder),
                   "docx": bench_docx(texts, folder),
                   "html": bench_html(texts, folder), "encodings": bench_encodings(texts)}
    print(f"\nwrote {write_result('read_formats', results)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
