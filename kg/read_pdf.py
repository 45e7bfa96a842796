"""Text of PDF reports with a text layer, through PyMuPDF, with a page map for evidence.

Lines broken by the page width are joined (no space between CJK characters), running
headers, footers and page numbers are dropped, and each table row becomes one line
whose cells are labelled with the table's header row ("项目：…，金额：…。"), so a row
reads as a sentence (``kg.read_tables``). ``bench/read_formats.py`` compares PyMuPDF with pypdf and
pdfplumber on CJK PDFs (correctness and pages per second).

>>> lines = [_Line(1, 72, 100, 520, 112, "根据省财政厅《关于下达", 12.0),
...          _Line(1, 72, 120, 300, 132, "资金的通知》执行。", 12.0)]
>>> _join_paragraphs(lines, right=520.0)
[(1, 100, '根据省财政厅《关于下达资金的通知》执行。', [])]
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from kg.errors import DependencyError, ReadError
from kg.read_tables import glue, table_lines

__all__ = ["read_pdf_text", "MAX_PDF_PAGES"]

# A report longer than this is not a report (a scanned archive, a statistical yearbook):
# refuse it in one line rather than hold the batch for minutes.
MAX_PDF_PAGES = 2000
# Running headers and footers live in the top and bottom bands of a page.
_BAND = 0.1
# A page whose text layer has fewer characters than this is taken as a scan.
_MIN_TEXT_CHARS = 20
# Ruled lines a page needs before it is searched for tables (table search is slow).
_MIN_RULES_FOR_TABLE = 4
_PAGE_NUMBER_RE = re.compile(
    r"^[\s\-—–_·•]*(?:第\s*)?[0-9０-９]+\s*(?:页)?(?:\s*(?:/|of|共)\s*[0-9０-９]+\s*页?)?[\s\-—–_·•]*$"
    r"|^[\s\-—–_·•]*(?:page|p\.)\s*[0-9]+(?:\s*(?:/|of)\s*[0-9]+)?[\s\-—–_·•]*$",
    re.I,
)
_DIGITS_RE = re.compile(r"[0-9０-９]+")
_LATIN_RUN_RE = re.compile(r"[\x21-\x7e\u00c0-\u024f\u0300-\u036f]+")


@dataclass(frozen=True)
class _Line:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float


def _fitz():
    try:
        import pymupdf
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise DependencyError("reading .pdf needs PyMuPDF: pip install pymupdf") from exc
    # MuPDF's own messages would interleave with the one line a bad file gets; its table
    # finder would print a package recommendation on stdout.
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    if hasattr(pymupdf, "no_recommend_layout"):
        pymupdf.no_recommend_layout()
    return pymupdf


def _join_paragraphs(lines: list[_Line], right: float) -> list[tuple[int, float, str, list[tuple[int, int]]]]:
    """Join lines broken by the width back into paragraphs.

    Each paragraph is (page, top of its first line, text, [(offset in text, page)] where a
    later page begins inside it). A line ends its paragraph when it stops short of the
    right edge, when the next line is indented, or when a gap wider than a line follows it.
    """
    if not lines:
        return []
    left = _quantile([line.x0 for line in lines], 0.1)
    out: list[tuple[int, float, str, list[tuple[int, int]]]] = []
    first, text, turns = lines[0], lines[0].text, []
    for prev, line in zip(lines, lines[1:]):
        em = max(prev.size, 1.0)
        # Short of the right edge by more than the next line's first word needs: a Latin
        # word or a parenthesised reading (區(qū)) wraps whole and leaves a gap behind it.
        short = prev.x1 < right - max(1.5 * em, _first_word_width(line.text, em) + 0.5 * em)
        indented = line.x0 > left + 1.2 * em
        gap = line.page == prev.page and line.y0 - prev.y1 > 1.5 * (prev.y1 - prev.y0) + 0.5 * em
        if short or indented or gap:
            out.append((first.page, first.y0, text, turns))
            first, text, turns = line, line.text, []
        else:
            joined = glue(text, line.text)
            if line.page != prev.page:
                turns.append((len(joined) - len(line.text), line.page))
            text = joined
    out.append((first.page, first.y0, text, turns))
    return out


def _first_word_width(text: str, em: float) -> float:
    """About how wide the first unbreakable piece of a line is: one CJK character, or a run
    of Latin letters, digits and brackets (half an em each)."""
    m = _LATIN_RUN_RE.match(text)
    return 0.55 * em * len(m.group()) if m else em


def _margin_lines(lines: list[_Line], heights: dict[int, float], pages: int, body_size: float) -> set[int]:
    """Indexes of the running headers, footers and page numbers among ``lines``, to drop.

    In the top or bottom band of a page: a page number, a line that recurs (digits aside)
    on at least half the pages, or a line set in smaller type than the body.
    """
    def in_band(line: _Line) -> bool:
        h = heights[line.page]
        return line.y1 <= _BAND * h or line.y0 >= (1 - _BAND) * h

    banded = [(i, line, _DIGITS_RE.sub("#", line.text.strip())) for i, line in enumerate(lines) if in_band(line)]
    pages_of: dict[str, set[int]] = {}
    for _, line, shape in banded:
        pages_of.setdefault(shape, set()).add(line.page)
    return {
        i for i, line, shape in banded
        if _PAGE_NUMBER_RE.match(line.text)
        or (pages > 1 and len(pages_of[shape]) >= max(2, pages // 2))
        or line.size < 0.85 * body_size
    }


def read_pdf_text(path: Path, name: str, max_pages: int = MAX_PDF_PAGES) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Text of a PDF report and its page map ((offset, page) pairs), or ReadError.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "x.pdf"
    ...     _ = p.write_bytes(b"%PDF-1.4 not really")
    ...     read_pdf_text(p, "x.pdf")
    Traceback (most recent call last):
    kg.errors.ReadError: x.pdf: corrupt PDF: cannot open it (Failed to open file it as type pdf.)
    """
    pymupdf = _fitz()
    try:
        doc = pymupdf.open(str(path), filetype="pdf")
    except Exception as exc:  # noqa: BLE001 - MuPDF raises its own error types
        raise ReadError(name, f"corrupt PDF: cannot open it ({_short(exc, path)})") from None
    with doc:
        if doc.needs_pass:
            raise ReadError(name, "encrypted PDF: it needs a password to open")
        n_pages = doc.page_count
        if n_pages == 0:
            raise ReadError(name, "PDF with no pages")
        if n_pages > max_pages:
            raise ReadError(name, f"PDF too large: {n_pages} pages (at most {max_pages} are read)")
        lines: list[_Line] = []
        tables: list[tuple[int, float, list[list[str]]]] = []  # (page, top, rows)
        heights: dict[int, float] = {}
        width = 0.0
        chars = 0
        try:
            for index, page in enumerate(doc):
                number = index + 1
                heights[number] = page.rect.height
                width = max(width, page.rect.width)
                boxes = []
                if sum(1 for _ in page.get_cdrawings()) >= _MIN_RULES_FOR_TABLE:
                    for table in page.find_tables().tables:
                        rows = [list(r) for r in table.extract()]
                        if rows:
                            boxes.append(pymupdf.Rect(table.bbox))
                            tables.append((number, table.bbox[1], rows))
                for block in page.get_text("dict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE)["blocks"]:
                    for line in block.get("lines", ()):
                        text = "".join(span["text"] for span in line["spans"]).strip()
                        if not text:
                            continue
                        chars += len(text)
                        x0, y0, x1, y1 = line["bbox"]
                        if any(box.contains(pymupdf.Point((x0 + x1) / 2, (y0 + y1) / 2)) for box in boxes):
                            continue
                        size = max(span["size"] for span in line["spans"])
                        lines.append(_Line(number, x0, y0, x1, y1, text, size))
        except Exception as exc:  # noqa: BLE001 - a damaged page stream
            raise ReadError(name, f"corrupt PDF: {_short(exc, path)}") from None
        if chars < _MIN_TEXT_CHARS:
            lines, tables = _ocr_or_refuse(doc, name, n_pages), []
    return _assemble(lines, tables, heights, width, n_pages)


def _ocr_or_refuse(doc, name: str, n_pages: int) -> list[_Line]:
    """The lines tesseract reads on a PDF without a text layer, or the one-line reason why not."""
    from kg import read_ocr

    pages = f"{n_pages} page{'s' if n_pages > 1 else ''}"
    missing = read_ocr.unavailable()
    if missing:
        raise ReadError(name, f"no text layer on its {pages} (a scanned PDF?), and no OCR here: {missing}")
    if n_pages > read_ocr.MAX_OCR_PAGES:
        raise ReadError(name, f"no text layer on its {pages} (a scanned PDF?): OCR is done on at most "
                              f"{read_ocr.MAX_OCR_PAGES} pages (about 5-10 s each)")
    lines = [_Line(number, *box, text, size)
             for number, page in enumerate(doc, 1) for box, text, size in read_ocr.page_lines(page, name)]
    if sum(len(line.text) for line in lines) < _MIN_TEXT_CHARS:
        raise ReadError(name, f"no text layer on its {pages} (a scanned PDF?), and OCR read no text on them")
    return lines


def _assemble(lines: list[_Line], tables: list[tuple[int, float, list[list[str]]]], heights: dict[int, float],
              width: float, n_pages: int) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The report's text from its lines and tables, and the page map."""
    body_size = statistics.median(line.size for line in lines) if lines else 12.0
    drop = _margin_lines(lines, heights, n_pages, body_size)
    body = [line for i, line in enumerate(lines) if i not in drop]
    # The body's right edge: most full lines reach it (ragged by a character at most) and a
    # few overflowing ones (a long number, a URL) must not move it; in a short document where
    # no line is full, the margins are taken as even, so its lines are not joined.
    left = _quantile([line.x0 for line in body], 0.1)
    right = max(_quantile([line.x1 for line in body], 0.9), width - left - body_size)
    # Paragraphs and table rows in reading order: by page, then from the top.
    items: list[tuple[int, float, int, str, list[tuple[int, int]]]] = [
        (page, top, order, text, turns) for order, (page, top, text, turns) in enumerate(_join_paragraphs(body, right))]
    for page, top, rows in tables:
        for k, line in enumerate(table_lines(rows)):
            items.append((page, top + k * 1e-3, -1, line, []))
    items.sort(key=lambda item: (item[0], item[1], item[2]))
    parts: list[str] = []
    locations: list[tuple[int, int]] = []
    offset = 0
    for page, _top, _order, text, turns in items:
        for at, where in [(0, page), *turns]:  # the pages this item starts on and runs into
            if not locations or locations[-1][1] != where:
                locations.append((offset + at, where))
        parts.append(text)
        offset += len(text) + 1
    return "\n".join(parts), tuple(locations)


def _quantile(values: list[float], q: float) -> float:
    """The value below which a share ``q`` of ``values`` lie (0.0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


def _short(exc: Exception, path: Path) -> str:
    """MuPDF's message, without the file name (the line names the file already)."""
    text = " ".join(str(exc).replace(f"'{path}'", "it").replace(str(path), "it").split()) or type(exc).__name__
    return text[:120]
