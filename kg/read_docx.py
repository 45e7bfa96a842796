"""Text of Word reports: .docx through python-docx, .doc and .wps through a packaged converter.

Paragraphs and tables come in document order; each paragraph and each table row is one
line (rows as sentences, ``kg.read_tables``), numbered from 1 for the evidence's
paragraph map. Running headers and footers of the sections are left out, as in a PDF.
Old binary Word files (.doc, and Kingsoft WPS files, which share its format) need
Debian's ``antiword`` or ``catdoc``; without either they get one clear line.

>>> import tempfile, docx
>>> with tempfile.TemporaryDirectory() as d:
...     p = Path(d) / "r.docx"
...     document = docx.Document()
...     _ = document.add_paragraph("县财政局下达资金。")
...     table = document.add_table(rows=2, cols=2)
...     for cell, value in zip(table._cells, ["项目", "金额", "饮水工程", "230万元"]):
...         cell.text = value
...     document.save(str(p))
...     read_docx_text(p, "r.docx")
('县财政局下达资金。\\n项目，金额。\\n项目：饮水工程，金额：230万元。', ((0, 1), (10, 2), (17, 3)))
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

from kg.errors import DependencyError, ReadError
from kg.read_tables import table_lines

__all__ = ["read_docx_text", "read_doc_text", "doc_converter"]

# What a converter may take for one .doc before the batch moves on.
_CONVERTER_TIMEOUT_S = 60


def _numbered(lines: list[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Lines joined by newlines, with (offset, paragraph number) for each."""
    locations = []
    offset = 0
    for number, line in enumerate(lines, 1):
        locations.append((offset, number))
        offset += len(line) + 1
    return "\n".join(lines), tuple(locations)


def read_docx_text(path: Path, name: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Text of a .docx report (paragraphs and table rows in order) and its paragraph map."""
    try:
        import docx
        from docx.table import Table
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise DependencyError("reading .docx needs python-docx: pip install python-docx") from exc
    if not zipfile.is_zipfile(path):
        raise ReadError(name, "not a Word .docx file: it is not a zip archive (a .doc renamed, or damaged?)")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises KeyError, ValueError, lxml errors…
        raise ReadError(name, f"not a Word .docx file: {_short(exc)}") from None
    lines: list[str] = []
    try:
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(table_lines([[cell.text for cell in row.cells] for row in block.rows]))
            else:
                text = " ".join(block.text.split("\n")).strip()
                if text:
                    lines.append(text)
    except Exception as exc:  # noqa: BLE001 - a damaged document part
        raise ReadError(name, f"damaged Word .docx file: {_short(exc)}") from None
    return _numbered(lines)


def doc_converter() -> list[str] | None:
    """The command that prints a .doc file's text as UTF-8, or None when none is installed.

    >>> doc_converter() is None or doc_converter()[0] in ("antiword", "catdoc")
    True
    """
    if shutil.which("antiword"):
        return ["antiword", "-m", "UTF-8.txt", "-w", "0"]
    if shutil.which("catdoc"):
        return ["catdoc", "-d", "utf-8", "-w"]
    return None


def read_doc_text(path: Path, name: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Text of an old binary Word (.doc) or WPS file through antiword or catdoc, and its paragraph map."""
    command = doc_converter()
    if command is None:
        raise ReadError(name, f"cannot read {path.suffix.lower()} files here: install Debian's antiword or catdoc "
                              "(apt-get install antiword), or save the report as .docx or PDF")
    try:
        done = subprocess.run([*command, str(path)], capture_output=True, timeout=_CONVERTER_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise ReadError(name, f"{command[0]} took more than {_CONVERTER_TIMEOUT_S} s on it") from None
    text = done.stdout.decode("utf-8", errors="replace")
    if done.returncode != 0 or not text.strip():
        reason = " ".join(done.stderr.decode("utf-8", errors="replace").split())[:160] or f"exit code {done.returncode}"
        raise ReadError(name, f"not a readable Word .doc file ({command[0]}: {reason})")
    return _numbered([line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()])


def _short(exc: Exception) -> str:
    return (" ".join(str(exc).split()) or type(exc).__name__)[:120]
