"""Read report files (plain text or HTML in any common Chinese encoding, PDF, Word) into RawReports.

Web pages go through trafilatura (``kg.read_html``); PDF (``kg.read_pdf``) and Word
(``kg.read_docx``) reports also carry a map from text
offsets to their pages or paragraphs, so evidence can say "p. 3".

>>> from pathlib import Path
>>> sample = Path(__file__).resolve().parent.parent / "data" / "reports" / "xining-sanxiang-2021.txt"
>>> r = read_report(sample)
>>> r.report_id, r.encoding, r.publisher, r.date
('xining-sanxiang-2021', 'utf-8', '西宁市委组织部', '2021-07-21')
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import ReadError
from kg.model import RawReport
from kg.read_docx import read_doc_text, read_docx_text
from kg.read_html import html_extract, iso_date
from kg.read_pdf import read_pdf_text

__all__ = ["read_report", "iter_report_paths", "REPORT_SUFFIXES", "REPORT_TYPES"]

TEXT_SUFFIXES: frozenset[str] = frozenset({".txt"})
HTML_SUFFIXES: frozenset[str] = frozenset({".html", ".htm"})
PDF_SUFFIXES: frozenset[str] = frozenset({".pdf"})
DOCX_SUFFIXES: frozenset[str] = frozenset({".docx"})
DOC_SUFFIXES: frozenset[str] = frozenset({".doc", ".wps"})  # binary Word; WPS Office writes the same format
REPORT_SUFFIXES: frozenset[str] = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES | DOC_SUFFIXES
_TYPES_IN_ORDER = sorted(REPORT_SUFFIXES, key=[".txt", ".html", ".htm", ".pdf", ".docx", ".doc", ".wps"].index)
#: The report file types as messages list them.
REPORT_TYPES = ", ".join(_TYPES_IN_ORDER)
_EXPECTED = f"expected {', '.join(_TYPES_IN_ORDER[:-1])} or {_TYPES_IN_ORDER[-1]}"
# Larger files are not reports (scanned archives, data dumps) and would be read whole into memory.
MAX_REPORT_BYTES = 200 * 2**20

_UNKNOWN_ENCODING = "unknown text encoding (tried UTF-8, GB18030, Big5)"
_BINARY = "binary file, not a text report"

# --------------------------------------------------------------------------- decoding

# Control bytes that never occur in text (TAB, LF, VT, FF, CR and ESC are tolerated).
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B))
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0")
_CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
# The encodings Chinese reports come in. charset-normalizer chooses among these only: let
# loose on all it knows, it takes short GB or Big5 texts for Korean or Japanese code pages
# (bench/read_formats.py measures both ways).
_CHINESE_CODECS = ("utf_8", "gb18030", "big5", "cp950")
_UTF16_CODECS = ("utf_16_le", "utf_16_be")


def _canonical(codec: str) -> str:
    return codecs.lookup(codec).name


def _looks_binary(data: bytes) -> bool:
    if data.startswith(_BINARY_MAGIC):
        return True
    head = data[:65536]
    n_ctrl = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return n_ctrl > max(2, len(head) // 100)


def _charset_from_html(data: bytes) -> str | None:
    head = data[:8192].decode("latin-1")
    m = re.search(r"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", head, re.I)
    if not m:
        return None
    name = m.group(1).lower()
    if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn"):
        return "gb18030"
    if name in ("big5", "x-big5", "cp950", "big5-hkscs"):
        return "big5"
    try:
        return _canonical(name)
    except LookupError:
        return None


def _best_guess(data: bytes, candidates: tuple[str, ...]) -> tuple[str, str] | None:
    """charset-normalizer's reading of ``data`` among ``candidates``: (text, codec) or None."""
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=list(candidates)).best()
    if best is None:
        return None
    return str(best), _canonical(best.encoding)


def _mostly_controls(text: str) -> bool:
    """Whether the head of decoded text holds more control characters than a text report would (a binary file)."""
    head = text[:65536]
    return len(_CONTROL_CHARS_RE.findall(head)) > max(2, len(head) // 100)


def _decode(data: bytes, name: str, *, is_html: bool = False) -> tuple[str, str]:
    """Decode bytes; return (text, codec name) or raise ReadError.

    A byte-order mark decides; then strict UTF-8; then an HTML page's declared charset;
    then charset-normalizer among the Chinese encodings (UTF-16 without a mark only when
    the bytes hold the NULs that ASCII characters leave in it).
    """
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                text = data.decode(codec, errors="replace")
            if _mostly_controls(text):
                raise ReadError(name, _BINARY)
            return text, codec
    if b"\x00" in data:
        guess = None if data.startswith(_BINARY_MAGIC) else _best_guess(data, _UTF16_CODECS)
        if guess is None or _mostly_controls(guess[0]):
            raise ReadError(name, _BINARY)
        return guess
    if _looks_binary(data):
        raise ReadError(name, _BINARY)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if is_html:
        declared = _charset_from_html(data)
        if declared and declared != "utf-8":
            guess = _best_guess(data, (declared,))
            if guess is not None:
                return guess
    guess = _best_guess(data, _CHINESE_CODECS)
    if guess is not None:
        return guess
    # A mostly-UTF-8 file with a few broken bytes (cut in the middle of a character) is UTF-8.
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= max(3, len(text) // 200):
        return text, "utf-8"
    raise ReadError(name, _UNKNOWN_ENCODING)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- metadata

# Simplified and traditional spellings; publisher keys in order of preference.
_PUBLISHER_KEYS = (
    "来源", "來源", "信息来源", "資訊來源", "文章来源", "文章來源", "稿件来源", "稿件來源",
    "发布机构", "發布機構", "發佈機構", "发布单位", "發布單位", "來源單位", "来源单位", "作者",
)
_DATE_KEYS = (
    "发布时间", "發布時間", "發佈時間", "发布日期", "發布日期", "發佈日期", "发稿时间", "發稿時間",
    "更新时间", "更新時間", "成文日期", "日期", "时间", "時間",
)
_OTHER_KEYS = ("浏览量", "瀏覽量", "浏览次数", "瀏覽次數", "阅读量", "閱讀量", "点击数", "點擊數",
               "访问量", "訪問量", "字号", "字號", "编辑", "編輯", "责任编辑", "責任編輯")
_ALL_KEYS = (*_PUBLISHER_KEYS, *_DATE_KEYS, *_OTHER_KEYS)
_KEY_ALT = "|".join(sorted(set(_ALL_KEYS), key=len, reverse=True))
_FIELD_RE = re.compile(
    rf"({_KEY_ALT})\s*[:：]\s*(.*?)\s*(?=(?:{_KEY_ALT})\s*[:：]|\s{{2,}}|[|｜]|$)"
)
_LONE_DATE_LINE_RE = re.compile(r"^\s*[\[【(（]?\s*((?:19|20)\d{2}\s*[-/.年].{3,8}?)\s*(\d{1,2}:\d{2}(:\d{2})?)?\s*[\]】)）]?\s*$")
_CJK_CHAR_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_BYLINE_RE = re.compile(r"^(本报|本報|记者|記者|通讯员|通訊員|来源|來源|作者|【|\[|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")
_HEAD_LINES = 10


def _text_metadata(text: str) -> dict[str, str]:
    """Title, publisher and date from the head of a report's text."""
    meta: dict[str, str] = {}
    head = [line.strip() for line in text.split("\n") if line.strip()][:_HEAD_LINES]
    if not head:
        return meta
    first = head[0]
    if (
        len(first) <= 60
        and not any(p in first for p in "。！？")
        and len(_CJK_CHAR_RE.findall(first)) >= 2
        and not _BYLINE_RE.match(first)
        and not _FIELD_RE.search(first)
    ):
        meta["title"] = first
    publishers: dict[str, str] = {}
    for line in head:
        if len(line) > 150:
            continue
        for m in _FIELD_RE.finditer(line):
            key, value = m.group(1), m.group(2).strip(" :：|｜,，;；")
            if not value:
                continue
            if key in _PUBLISHER_KEYS:
                publishers.setdefault(key, value.split()[0])
            elif key in _DATE_KEYS and "date" not in meta:
                iso = iso_date(value)
                if iso:
                    meta["date"] = iso
        if "date" not in meta:
            lone = _LONE_DATE_LINE_RE.match(line)
            if lone:
                iso = iso_date(lone.group(1))
                if iso:
                    meta["date"] = iso
    for key in _PUBLISHER_KEYS:  # in order of preference: 来源 ... 作者
        if key in publishers:
            meta["publisher"] = publishers[key]
            break
    return meta


def _meta_json(path: Path) -> dict[str, str]:
    """Non-null title/publisher/date/url from ``<stem>.meta.json`` beside the report."""
    meta_path = path.with_name(path.stem + ".meta.json")
    try:
        data = json.loads(meta_path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[str, str] = {}
    for key in ("title", "publisher", "date", "url"):
        value = data.get(key)
        if isinstance(value, (str, int)) and str(value).strip():
            value = str(value).strip()
            if key == "date":
                iso = iso_date(value)
                if iso is None:
                    continue  # keep dates ISO; an unreadable one does not override
                value = iso
            out[key] = value
    return out


# --------------------------------------------------------------------------- public API


def read_report(path: str | os.PathLike[str], report_id: str | None = None) -> RawReport:
    """Read one report (.txt, .html, .pdf, .docx, .doc or .wps), detecting its encoding and metadata.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "demo.txt"
    ...     _ = p.write_bytes("乡村振兴简报\\r\\n来源：某县农业农村局 日期：2021年7月21日\\r\\n今年以来，全县推进乡村振兴。".encode("gb18030"))
    ...     r = read_report(p)
    >>> r.report_id, r.encoding, r.title, r.publisher, r.date
    ('demo', 'gb18030', '乡村振兴简报', '某县农业农村局', '2021-07-21')
    >>> r.text.splitlines()[-1]
    '今年以来，全县推进乡村振兴。'
    """
    p = Path(path)
    name = str(path)
    try:
        mode = p.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise ReadError(name, "no such file") from None
    except PermissionError:
        raise ReadError(name, "permission denied") from None
    except OSError as exc:
        raise ReadError(name, exc.strerror or str(exc)) from None
    if stat.S_ISDIR(mode):
        raise ReadError(name, "is a directory, not a report file")
    if not stat.S_ISREG(mode):
        raise ReadError(name, "not a regular file")
    suffix = p.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        shown = suffix or "(no extension)"
        raise ReadError(name, f"unsupported file type {shown}: {_EXPECTED}")
    size = os.stat(p).st_size
    if size > MAX_REPORT_BYTES:
        raise ReadError(name, f"file too large: {size / 2**20:.0f} MiB (a report is read up to {MAX_REPORT_BYTES // 2**20} MiB)")
    try:
        data = p.read_bytes()
    except PermissionError:
        raise ReadError(name, "permission denied") from None
    except OSError as exc:
        raise ReadError(name, exc.strerror or str(exc)) from None
    if not data.strip():
        raise ReadError(name, "empty file")
    is_html = suffix in HTML_SUFFIXES
    locations: tuple[tuple[int, int], ...] = ()
    unit: str | None = None
    if suffix in PDF_SUFFIXES:
        text, locations = read_pdf_text(p, name)
        encoding, unit = "pdf", "page"
    elif suffix in DOCX_SUFFIXES:
        text, locations = read_docx_text(p, name)
        encoding, unit = "docx", "paragraph"
    elif suffix in DOC_SUFFIXES:
        text, locations = read_doc_text(p, name)
        encoding, unit = "doc", "paragraph"
    else:
        text, encoding = _decode(data, name, is_html=is_html)
        text = _normalise_newlines(text)
    if not text.strip():
        raise ReadError(name, "empty file" if unit is None else "no text in the document")
    html_meta: dict[str, str] = {}
    if is_html:
        text, html_meta = html_extract(text)
        if not text.strip():
            raise ReadError(name, "no readable text in the HTML page")
    meta = _text_metadata(text)
    meta.update(html_meta)
    meta.update(_meta_json(p))
    return RawReport(
        report_id=report_id if report_id is not None else p.stem,
        source=name,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        title=meta.get("title"),
        publisher=meta.get("publisher"),
        date=meta.get("date"),
        url=meta.get("url"),
        locations=locations,
        location_unit=unit,
    )


def iter_report_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | ReadError]:
    """Expand files and folders (recursively, sorted) to report paths; missing ones as errors.

    >>> reports = Path(__file__).resolve().parent.parent / "data" / "reports"
    >>> [p.name for p in iter_report_paths([reports]) if isinstance(p, Path)][:2]
    ['qinzhou-village-collective-economy.txt', 'xining-sanxiang-2021.txt']
    >>> [str(e.reason) for e in iter_report_paths(["no/such/dir"])]
    ['no such file or directory']
    """
    seen: set[Path] = set()

    def fresh(p: Path) -> bool:
        try:
            key = p.resolve()
        except OSError:
            key = p
        if key in seen:
            return False
        seen.add(key)
        return True

    for item in paths:
        p = Path(item)
        if p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for fname in sorted(filenames):
                    if fname.startswith("."):
                        continue
                    f = Path(dirpath) / fname
                    if f.suffix.lower() in REPORT_SUFFIXES and f.is_file() and fresh(f):
                        yield f
        elif p.exists():
            if fresh(p):
                yield p
        else:
            yield ReadError(str(item), "no such file or directory")
