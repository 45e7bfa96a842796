"""Reports as they are published: PDF, Word files and web pages, made at test time from real reports.

The PDFs use reportlab's STSong-Light CID font, with lines broken by the page width (in
mid-sentence), a running header, page numbers and a ruled table (``tests/documents.py``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from documents import write_docx, write_html_page, write_image_only_pdf, write_pdf, write_scanned_pdf

from kg.cli import main
from kg.errors import ReadError
from kg.eval import CATEGORIES, evaluate
from kg.pipeline import analyze
from kg.rdfize import rdfize
from kg.read import read_report
from kg.read_pdf import read_pdf_text
from kg.vocab import PKG

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "reports"
XINING = REPORTS / "xining-sanxiang-2021.txt"
QINZHOU = REPORTS / "qinzhou-village-collective-economy.txt"
# A project list (numbered project, then 投资/实施单位) that documents.py sets as a table.
PROJECT_LIST = (
    "某县2023年衔接资金项目计划公告\n"
    "按照资金下达规模，共安排了2个项目，资金分配计划具体如下：\n"
    "1.甲乡三个村人饮巩固提升工程\n投资:500万元 实施单位:某县农牧水利和科技局\n"
    "2.乙镇饲料加工基地扩建项目\n投资:167万元 实施单位:乙镇人民政府\n"
    "现将分配计划予以公告。\n"
)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def two_reports_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both sample reports in one PDF of several pages."""
    text = XINING.read_text(encoding="utf-8") + "\n" + QINZHOU.read_text(encoding="utf-8")
    return write_pdf(text, tmp_path_factory.mktemp("pdf") / "two-reports.pdf")


# --------------------------------------------------------------------------- PDF text


def test_pdf_text_joins_broken_lines_and_drops_headers(two_reports_pdf: Path) -> None:
    source = XINING.read_text(encoding="utf-8") + "\n" + QINZHOU.read_text(encoding="utf-8")
    raw = read_report(two_reports_pdf)
    assert raw.encoding == "pdf" and raw.location_unit == "page"
    # pypdf shows the lines broken in mid-sentence, the header on every page and the numbers…
    pages = [p.extract_text() for p in pypdf.PdfReader(two_reports_pdf).pages]
    assert len(pages) >= 3
    assert any(line.strip() and line.strip() not in source for line in "\n".join(pages).splitlines())
    assert all("— %d —" % (i + 1) in page for i, page in enumerate(pages))
    # …kg reads every paragraph of the source back whole, on one line, and nothing else.
    # (MuPDF, like pdfplumber, drops the middle dot of 青海·西宁 as reportlab's CID font
    # writes it; pypdf keeps it: bench/read_formats.py counts such losses.)
    paragraphs = [p.strip().replace("·", "") for p in source.split("\n") if p.strip()]
    assert raw.text.split("\n") == paragraphs
    assert raw.title == paragraphs[0]


def test_pdf_latin_words_keep_their_space(tmp_path: Path) -> None:
    words = " ".join(["rural revitalisation fund"] * 40)
    text, _ = read_pdf_text(write_pdf("乡村振兴 English summary\n" + words, tmp_path / "latin.pdf"), "latin.pdf")
    assert text.split("\n")[1] == words


def test_pdf_table_rows_read_as_sentences(tmp_path: Path) -> None:
    raw = read_report(write_pdf(PROJECT_LIST, tmp_path / "plan.pdf"))
    lines = raw.text.split("\n")
    assert "项目：甲乡三个村人饮巩固提升工程，投资：500万元，实施单位：某县农牧水利和科技局。" in lines
    assert "项目：乙镇饲料加工基地扩建项目，投资：167万元，实施单位：乙镇人民政府。" in lines
    # in reading order: after the sentence before the table, before the one after it
    assert lines.index("项目，投资，实施单位。") == 2 and lines[-1] == "现将分配计划予以公告。"
    x = analyze(raw)
    assert sorted(f.amount_cny for f in x.fundings) == [1670000, 5000000]
    assert {"某县农牧水利和科技局", "乙镇人民政府"} <= {f.recipient for f in x.fundings}


@pytest.mark.slow
@pytest.mark.skipif(bool(__import__("kg.read_ocr").read_ocr.unavailable()), reason="no tesseract with chi_sim here")
def test_scanned_pdf_is_read_by_ocr(tmp_path: Path) -> None:
    """A scan of a page of a real report: tesseract reads it, lines are joined, the header and
    page number dropped, and the facts on it are found."""
    text = "\n".join(XINING.read_text(encoding="utf-8").split("\n")[:4])
    source = write_pdf(text, tmp_path / "source.pdf")
    raw = read_report(write_scanned_pdf(source, tmp_path / "scan.pdf"))
    assert raw.location_unit == "page" and raw.locations[0] == (0, 1)
    got, want = _squash(raw.text), _squash(text)
    matched = sum(b.size for b in __import__("difflib").SequenceMatcher(None, got, want, autojunk=False).get_matching_blocks())
    assert matched / len(want) > 0.95 and matched / len(got) > 0.95
    assert len(raw.text.split("\n")) <= len(text.split("\n")) + 1  # paragraphs joined back
    plain = tmp_path / "plain.txt"
    plain.write_text(text, encoding="utf-8")
    from_text = {a.name for a in analyze(read_report(plain)).actors}
    from_scan = {a.name for a in analyze(raw).actors}
    assert len(from_text) >= 3 and len(from_text & from_scan) >= 0.8 * len(from_text), (from_text, from_scan)


# --------------------------------------------------------------------------- DOCX


def test_docx_paragraphs_and_tables_in_document_order(tmp_path: Path) -> None:
    raw = read_report(write_docx(PROJECT_LIST, tmp_path / "plan.docx"))
    assert raw.encoding == "docx" and raw.location_unit == "paragraph"
    assert raw.text.split("\n") == [
        "某县2023年衔接资金项目计划公告",
        "按照资金下达规模，共安排了2个项目，资金分配计划具体如下：",
        "项目，投资，实施单位。",
        "项目：甲乡三个村人饮巩固提升工程，投资：500万元，实施单位：某县农牧水利和科技局。",
        "项目：乙镇饲料加工基地扩建项目，投资：167万元，实施单位：乙镇人民政府。",
        "现将分配计划予以公告。",
    ]
    assert raw.title == "某县2023年衔接资金项目计划公告"  # the running header is not body text
    assert [raw.location_at(raw.text.index(s)) for s in ("按照", "项目：乙镇", "现将")] == [2, 5, 6]


# --------------------------------------------------------------------------- evidence pages


def test_each_facts_evidence_names_its_page(two_reports_pdf: Path) -> None:
    raw = read_report(two_reports_pdf)
    quads = rdfize(analyze(raw))
    by_node: dict[str, dict[str, str]] = {}
    for q in quads:
        if q.predicate.value in (PKG.page, PKG.start):
            by_node.setdefault(q.subject.value, {})[q.predicate.value] = q.object.value
    sentences = {n: v for n, v in by_node.items() if PKG.page in v}
    assert len(sentences) >= 10
    pages = [_squash(p.extract_text()) for p in pypdf.PdfReader(two_reports_pdf).pages]
    seen_pages = set()
    for node, values in sentences.items():
        start, page = int(values[PKG.start]), int(values[PKG.page])
        head = _squash(raw.text[start:start + 40])[:8]  # what the sentence starts with
        assert head in pages[page - 1], (node, page, head)
        seen_pages.add(page)
    assert seen_pages == set(range(1, len(pages) + 1))  # facts on every page, each placed right


@pytest.mark.filterwarnings("ignore:Using .httpx. with .starlette.testclient.")  # the TestClient on httpx
def test_report_page_shows_the_page(tmp_path: Path, two_reports_pdf: Path, capsys: pytest.CaptureFixture) -> None:
    from starlette.testclient import TestClient

    from kg import ids
    from kg.serve import create_app

    store = tmp_path / "store"
    assert main(["--store", str(store), "ingest", str(two_reports_pdf)]) == 0
    capsys.readouterr()
    app = create_app(store, sparql_workers=1, page_workers=1, heavy_workers=1)
    with TestClient(app) as client:
        page = client.get("/report", params={"iri": ids.report_iri("two-reports")})
        assert page.status_code == 200
        shown = re.findall(r'<span class="where muted">p\. (\d+)</span>', page.text)
        assert len(shown) >= 5 and {"1", "2", "3"} <= set(shown)
        entity = client.get("/entity", params={"iri": ids.actor_iri("西宁市农业农村局")})
        assert entity.status_code == 200 and re.search(r"</a>, p\. \d+", entity.text)


# --------------------------------------------------------------------------- development reports


@pytest.mark.slow
def test_pdf_docx_and_web_pages_score_like_txt(shared_dir: Path, tmp_path: Path) -> None:
    """Every development report (and both samples) as .txt, .pdf, .docx and a web page (the
    four layouts in turn, with navigation and the other reports' titles as related links):
    per category, the F1 of each format is within 0.05 of the plain-text F1."""
    sources = sorted((shared_dir / "dev-reports").glob("*.txt")) + sorted(REPORTS.glob("*.txt"))
    folders = {kind: tmp_path / kind for kind in ("txt", "pdf", "docx", "html")}
    for folder in folders.values():
        folder.mkdir()
    headlines = [src.read_text(encoding="utf-8").strip().split("\n", 1)[0][:40] for src in sources]
    tables = 0
    for i, src in enumerate(sources):
        text = src.read_text(encoding="utf-8")
        shutil.copy(src, folders["txt"] / src.name)
        write_pdf(text, folders["pdf"] / f"{src.stem}.pdf")
        write_docx(text, folders["docx"] / f"{src.stem}.docx")
        write_html_page(text, folders["html"] / f"{src.stem}.html", layout=i % 4,
                        related=headlines[:i][-4:] + headlines[i + 1:][:4])
        tables += "，投资：" in read_report(folders["pdf"] / f"{src.stem}.pdf").text
        meta = src.with_name(f"{src.stem}.meta.json")
        if meta.exists():
            for folder in folders.values():
                shutil.copy(meta, folder / meta.name)
    assert tables >= 1  # at least one report carries a ruled table
    scores = {kind: evaluate(shared_dir / "gold", [folder]) for kind, folder in folders.items()}
    assert len(scores["txt"].reports) == len(sources)
    for kind in ("pdf", "docx", "html"):
        for category in CATEGORIES:
            txt, other = scores["txt"].overall.counts[category].f1, scores[kind].overall.counts[category].f1
            assert other >= txt - 0.05, (kind, category, other, txt)


# --------------------------------------------------------------------------- bad input


def _bad_files(folder: Path) -> dict[str, str]:
    """One file of each kind that cannot be read, and a fragment of the reason it gets."""
    write_pdf("县财政局下达资金200万元。", folder / "encrypted.pdf", encrypt="secret")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    (folder / "not-a-zip.docx").write_bytes("乡村振兴工作报告".encode("utf-8"))
    (folder / "zero-pages.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type/Pages/Kids[]/Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n")
    write_image_only_pdf(folder / "scanned.pdf")
    _write_blank_pdf(folder / "huge.pdf", pages=2001)
    with open(folder / "huge-bytes.pdf", "wb") as f:  # sparse: no disk used
        f.write(b"%PDF-1.4\n")
        f.truncate(201 * 2**20)
    return {
        "huge-bytes.pdf": "file too large: 201 MiB",
        "encrypted.pdf": "encrypted PDF",
        "corrupt.pdf": "corrupt PDF",
        "not-a-zip.docx": "not a Word .docx file",
        "zero-pages.pdf": "PDF with no pages",
        "scanned.pdf": "no text layer",
        "huge.pdf": "PDF too large: 2001 pages",
    }


def _write_blank_pdf(path: Path, pages: int) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for _ in range(pages):
        c.showPage()
    c.save()


def test_bad_files_get_one_line_each_and_the_batch_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    expected = _bad_files(folder)
    write_pdf(PROJECT_LIST, folder / "good.pdf")
    write_docx(PROJECT_LIST, folder / "good2.docx")
    code = main(["--store", str(tmp_path / "store"), "ingest", str(folder)])
    out, err = capsys.readouterr()
    assert code == 1
    lines = err.strip().split("\n")
    assert len(lines) == len(expected), err
    for name, fragment in expected.items():
        [line] = [x for x in lines if f"/{name}:" in x]
        assert line.startswith(f"error: {folder / name}: ") and fragment in line, line
    assert "reports: 2 " in out and f"failures: {len(expected)}" in out


def test_doc_without_a_converter_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "old.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(ReadError) as info:
        read_report(p)
    assert info.value.path == str(p)
    assert "cannot read .doc files here: install Debian's antiword or catdoc" in info.value.reason


@pytest.mark.skipif(not (shutil.which("antiword") or shutil.which("catdoc")), reason="no antiword or catdoc installed")
def test_damaged_doc_through_the_converter_is_one_line(tmp_path: Path) -> None:
    p = tmp_path / "damaged.wps"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    with pytest.raises(ReadError) as info:
        read_report(p)
    assert info.value.reason.startswith("not a readable Word .doc file (")
    assert "\n" not in str(info.value)


def test_scanned_pdf_without_ocr_or_too_long_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg import read_ocr

    scan = write_image_only_pdf(tmp_path / "scan.pdf")
    monkeypatch.setattr(read_ocr, "unavailable", lambda: "install Debian's tesseract-ocr and tesseract-ocr-chi-sim")
    with pytest.raises(ReadError) as info:
        read_report(scan)
    assert info.value.reason == ("no text layer on its 1 page (a scanned PDF?), and no OCR here: "
                                 "install Debian's tesseract-ocr and tesseract-ocr-chi-sim")
    monkeypatch.setattr(read_ocr, "unavailable", lambda: None)
    monkeypatch.setattr(read_ocr, "MAX_OCR_PAGES", 0)
    with pytest.raises(ReadError, match="OCR is done on at most 0 pages"):
        read_report(scan)


def test_evidence_query_names_the_page(tmp_path: Path, two_reports_pdf: Path) -> None:
    from kg.query import run_query
    from kg.store import open_store

    with open_store(tmp_path / "store") as store:
        from kg.pipeline import ingest

        assert ingest([two_reports_pdf], store).ok
        rows = run_query(store, "evidence", {"name": "西宁市信保集团"}).as_dicts()
    raw = read_report(two_reports_pdf)
    assert rows and all(r["page"] and not r["paragraph"] for r in rows)
    for r in rows:
        assert int(r["page"]) == raw.location_at(int(r["sentence_start"]))
