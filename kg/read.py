"""Read report files (plain text or HTML in any common Chinese encoding, PDF, Word) into RawReports.

PDF (``kg.read_pdf``) and Word (``kg.read_docx``) reports also carry a map from text
offsets to their pages or paragraphs, so evidence can say "p. 3".

>>> from pathlib import Path
>>> sample = Path(__file__).resolve().parent.parent / "data" / "reports" / "xining-sanxiang-2021.txt"
>>> r = read_report(sample)
>>> r.report_id, r.encoding, r.publisher, r.date
('xining-sanxiang-2021', 'utf-8', '西宁市委组织部', '2021-07-21')
"""

from __future__ import annotations

import codecs
import datetime as _dt
import hashlib
import html
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from kg.errors import ReadError
from kg.model import RawReport
from kg.read_docx import read_doc_text, read_docx_text
from kg.read_pdf import read_pdf_text

__all__ = ["read_report", "iter_report_paths", "REPORT_SUFFIXES"]

TEXT_SUFFIXES: frozenset[str] = frozenset({".txt"})
HTML_SUFFIXES: frozenset[str] = frozenset({".html", ".htm"})
PDF_SUFFIXES: frozenset[str] = frozenset({".pdf"})
DOCX_SUFFIXES: frozenset[str] = frozenset({".docx"})
DOC_SUFFIXES: frozenset[str] = frozenset({".doc", ".wps"})  # binary Word; WPS Office writes the same format
REPORT_SUFFIXES: frozenset[str] = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES | DOC_SUFFIXES
_EXPECTED = "expected .txt, .html, .htm, .pdf, .docx, .doc or .wps"

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
            if len(_CONTROL_CHARS_RE.findall(text[:65536])) > max(2, len(text[:65536]) // 100):
                raise ReadError(name, _BINARY)
            return text, codec
    if b"\x00" in data:
        guess = None if data.startswith(_BINARY_MAGIC) else _best_guess(data, _UTF16_CODECS)
        if guess is None or len(_CONTROL_CHARS_RE.findall(guess[0][:65536])) > max(2, len(guess[0][:65536]) // 100):
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


# --------------------------------------------------------------------------- HTML

_DROP_TAGS = frozenset(
    "script style noscript nav header footer aside form iframe svg template button select "
    "textarea object embed canvas head title map video audio".split()
)
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br center dd div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr "
    "ul caption title option body html".split()
)
_CELL_TAGS = frozenset({"td", "th"})
# Elements we may descend into when looking for the main content container.
_CONTAINER_TAGS = frozenset(
    "div section article main table tbody tr td center body html span font".split()
)
# Opening one of these closes an open <p> (HTML's implied end tags).
_CLOSES_P = frozenset(
    "p div ul ol dl table h1 h2 h3 h4 h5 h6 pre blockquote section article header footer "
    "nav aside form hr".split()
)
_CJK_CHAR_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class _Node:
    __slots__ = ("tag", "attrs", "children", "parent", "cjk", "link_cjk")

    def __init__(self, tag: str, attrs: dict[str, str], parent: _Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []
        self.parent = parent
        self.cjk = 0
        self.link_cjk = 0


class _TreeBuilder(HTMLParser):
    """A forgiving tree builder on top of html.parser (entities are unescaped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {}, None)
        self.stack: list[_Node] = [self.root]
        self.metas: list[dict[str, str]] = []
        self.title_parts: list[str] = []
        self._in_title = False

    def _open_tags(self) -> list[str]:
        return [n.tag for n in self.stack]

    def _close(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            self.metas.append(a)
            return
        if tag == "title":
            self._in_title = True
        top = self.stack[-1].tag
        if tag in _CLOSES_P and top == "p":
            self.stack.pop()
        elif tag == "li" and "li" in self._open_tags():
            self._close_same_level("li", ("ul", "ol"))
        elif tag in ("td", "th") and top in ("td", "th"):
            self.stack.pop()
        elif tag == "tr" and ("tr" in self._open_tags()):
            self._close_same_level("tr", ("table",))
        elif tag in ("dt", "dd") and top in ("dt", "dd"):
            self.stack.pop()
        node = _Node(tag, a, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in _VOID_TAGS:
            self.stack.append(node)

    def _close_same_level(self, tag: str, scopes: tuple[str, ...]) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            t = self.stack[i].tag
            if t in scopes:
                return
            if t == tag:
                del self.stack[i:]
                return

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self._close(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "br":  # "</br>" is treated as <br> by browsers
            self.stack[-1].children.append(_Node("br", {}, self.stack[-1]))
            return
        self._close(tag)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        self.stack[-1].children.append(data)


def _is_dropped(node: _Node) -> bool:
    if node.tag in _DROP_TAGS:
        return True
    style = node.attrs.get("style", "").replace(" ", "").lower()
    return "display:none" in style or "hidden" in node.attrs


def _count_cjk(root: _Node) -> None:
    """Fill node.cjk / node.link_cjk bottom-up (iteratively; pages can nest deeply)."""
    order: list[_Node] = []
    todo = [root]
    while todo:
        node = todo.pop()
        order.append(node)
        todo.extend(c for c in node.children if isinstance(c, _Node) and not _is_dropped(c))
    for node in reversed(order):
        n = link = 0
        for c in node.children:
            if isinstance(c, str):
                k = len(_CJK_CHAR_RE.findall(c))
                n += k
            elif not _is_dropped(c):
                n += c.cjk
                link += c.link_cjk
        node.cjk = n
        node.link_cjk = n if node.tag == "a" else link


def _iter_nodes(root: _Node) -> Iterator[_Node]:
    todo = [root]
    while todo:
        node = todo.pop()
        yield node
        todo.extend(
            reversed([c for c in node.children if isinstance(c, _Node) and not _is_dropped(c)])
        )


def _contains(ancestor: _Node, node: _Node) -> bool:
    cur: _Node | None = node
    while cur is not None:
        if cur is ancestor:
            return True
        cur = cur.parent
    return False


def _main_container(root: _Node) -> _Node:
    """The element holding the main text: <article>/<main>, then descend past boilerplate."""
    body = next((n for n in _iter_nodes(root) if n.tag == "body"), root)
    node = body
    semantic = [n for n in _iter_nodes(body) if n.tag in ("article", "main") and n.cjk > 0]
    if semantic:
        best = max(semantic, key=lambda n: (n.tag == "article", n.cjk))
        if best.cjk >= 0.3 * body.cjk:
            node = best
    while node.cjk > 0:
        kids = [c for c in node.children if isinstance(c, _Node) and not _is_dropped(c)]
        if not kids:
            break
        top = max(kids, key=lambda c: c.cjk)
        if top.tag not in _CONTAINER_TAGS:
            break
        outside = node.cjk - top.cjk
        outside_links = node.link_cjk - top.link_cjk
        if top.cjk >= 0.8 * node.cjk or (
            top.cjk >= 0.5 * node.cjk and outside > 0 and outside_links >= 0.5 * outside
        ):
            node = top
        else:
            break
    return node


def _node_text(root: _Node) -> str:
    """Visible text of a node: block elements become line breaks, whitespace collapsed."""
    out: list[str] = []
    # Stack of items: a node to open, a string, or a marker to close a node.
    todo: list[tuple[int, object]] = [(0, root)]
    pre_depth = 0
    while todo:
        kind, item = todo.pop()
        if kind == 1:  # closing marker
            tag = str(item)
            if tag in _BLOCK_TAGS:
                out.append("\n")
            elif tag in _CELL_TAGS:
                out.append(" ")
            if tag == "pre":
                pre_depth -= 1
            continue
        if isinstance(item, str):
            out.append(item.replace("\n", "\x00") if pre_depth else item)
            continue
        assert isinstance(item, _Node)
        if item is not root and _is_dropped(item):
            continue
        if item.tag in _BLOCK_TAGS:
            out.append("\n")
        elif item.tag in _CELL_TAGS:
            out.append(" ")
        if item.tag == "pre":
            pre_depth += 1
        todo.append((1, item.tag))
        for c in reversed(item.children):
            todo.append((0, c))
    raw = "".join(out).replace("\n", " \n ").replace("\x00", "\n")
    lines = (" ".join(line.split()) for line in raw.split("\n"))
    return "\n".join(line for line in lines if line)


def _text_of(node: _Node) -> str:
    return " ".join(_node_text(node).split())


def _html_extract(page: str) -> tuple[str, dict[str, str]]:
    """Main text of an HTML page and the metadata found in its head."""
    builder = _TreeBuilder()
    try:
        builder.feed(page)
        builder.close()
    except Exception:  # html.parser is lenient; be safe on pathological input
        pass
    root = builder.root
    _count_cjk(root)
    container = _main_container(root)
    text = _node_text(container)
    meta: dict[str, str] = {}
    by_key: dict[str, str] = {}
    for m in builder.metas:
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = " ".join(html.unescape(m.get("content", "")).split())
        if key and content and key not in by_key:
            by_key[key] = content
    h1 = next((n for n in _iter_nodes(root) if n.tag == "h1"), None)
    h1_text = _text_of(h1) if h1 is not None else ""
    page_title = " ".join("".join(builder.title_parts).split())
    title = by_key.get("og:title") or by_key.get("articletitle")
    if not title and page_title:
        title = h1_text if h1_text and h1_text in page_title and h1_text != page_title else page_title
    title = title or h1_text
    if title:
        meta["title"] = title
    for key in ("contentsource", "author", "article:author", "og:site_name", "sitename"):
        if by_key.get(key):
            meta["publisher"] = by_key[key]
            break
    for key in (
        "pubdate", "publishdate", "article:published_time", "og:release_date", "publish_date",
        "og:published_time", "dc.date.issued", "dc.date", "firstpublishedtime", "date",
    ):
        iso = _iso_date(by_key.get(key, ""))
        if iso:
            meta["date"] = iso
            break
    for key in ("og:url", "url"):
        if by_key.get(key, "").startswith(("http://", "https://")):
            meta["url"] = by_key[key]
            break
    # Keep the headline with the text when the content container left it out.
    if h1 is not None and h1_text and not _contains(container, h1) and h1_text not in text.split("\n")[:3]:
        text = h1_text + "\n" + text if text else h1_text
    return text, meta


# --------------------------------------------------------------------------- metadata

_DATE_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?"
)
_COMPACT_DATE_RE = re.compile(r"^((?:19|20)\d{2})(\d{2})(\d{2})(?:\d{4,6})?$")
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
_BYLINE_RE = re.compile(r"^(本报|本報|记者|記者|通讯员|通訊員|来源|來源|作者|【|\[|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")
_HEAD_LINES = 10


def _iso_date(value: str) -> str | None:
    """A date such as ``2021-07-21``, ``2021/7/21 10:00`` or ``2021年7月21日`` as ISO."""
    value = value.strip()
    m = _DATE_RE.search(value) or _COMPACT_DATE_RE.match(value)
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


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
                iso = _iso_date(value)
                if iso:
                    meta["date"] = iso
        if "date" not in meta:
            lone = _LONE_DATE_LINE_RE.match(line)
            if lone:
                iso = _iso_date(lone.group(1))
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
                iso = _iso_date(value)
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
        text, html_meta = _html_extract(text)
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
