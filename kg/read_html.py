"""Main text and head metadata of a report's web page: trafilatura finds the content.

trafilatura (``favor_precision``) picks the article out of navigation, related-headline
lists, share links and footers; its XML is laid out here as kg wants lines: one per
paragraph, heading or list item, a data table's rows as sentences (``kg.read_tables``),
and the paragraphs of a table used for page layout as they are. ``bench/read_formats.py``
measures it against the hand-written detection it replaced, and against readability-lxml
and jusText, on pages made from the development reports.

>>> page = ("<html><head><title>县里的新闻_某县政府</title></head><body><nav><a href='/'>首页</a></nav>"
...         "<h1>县里的新闻</h1><div id='zoom'><p>县财政局下达资金200万元，支持村级集体经济发展。</p>"
...         "<p>全县420个行政村参与。</p></div><footer>版权所有：某县政府</footer></body></html>")
>>> html_extract(page)
('县里的新闻\\n县财政局下达资金200万元，支持村级集体经济发展。\\n全县420个行政村参与。', {'title': '县里的新闻'})
"""

from __future__ import annotations

import datetime as _dt
import re

from kg.errors import DependencyError
from kg.read_tables import table_lines

__all__ = ["html_extract", "iso_date"]

# A table whose cells hold whole paragraphs lays out the page; it is not data.
_LAYOUT_CELL_CHARS = 120
_BLOCKS = frozenset({"p", "head", "quote", "code", "item"})

_DATE_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?"
)
_COMPACT_DATE_RE = re.compile(r"^((?:19|20)\d{2})(\d{2})(\d{2})(?:\d{4,6})?$")


def iso_date(value: str) -> str | None:
    """A date such as ``2021-07-21``, ``2021/7/21 10:00`` or ``2021年7月21日`` as ISO.

    >>> iso_date("2021年7月21日"), iso_date("20230609"), iso_date("2021-02-30")
    ('2021-07-21', '2023-06-09', None)
    """
    value = value.strip()
    m = _DATE_RE.search(value) or _COMPACT_DATE_RE.match(value)
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def _squash(text: str) -> str:
    return " ".join(text.split())


def _lines_of(element) -> list[str]:
    """An element's text as lines: <lb/> and nested paragraphs break it."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag == "lb" or child.tag in _BLOCKS:
            parts.append("\n")
        parts.append("".join(child.itertext()) if child.tag != "lb" else "")
        if child.tag in _BLOCKS:
            parts.append("\n")
        parts.append(child.tail or "")
    return [line for line in (_squash(x) for x in "".join(parts).split("\n")) if line]


def _layout_lines(main) -> list[str]:
    """Lines of trafilatura's <main>, in document order."""
    out: list[str] = []
    for element in main:
        if element.tag == "table":
            rows = [[cell for cell in row if cell.tag == "cell"] for row in element if row.tag == "row"]
            cells_lines = [[_lines_of(cell) for cell in row] for row in rows]
            if any(len(lines) > 1 or sum(map(len, lines)) > _LAYOUT_CELL_CHARS for row in cells_lines for lines in row):
                out.extend(line for row in cells_lines for lines in row for line in lines)
            else:
                out.extend(table_lines([[" ".join(lines) for lines in row] for row in cells_lines]))
        elif element.tag == "list":
            for item in element.iter("item"):
                out.extend(_lines_of(item))
        else:
            out.extend(_lines_of(element))
    return out


def _head_metadata(tree) -> tuple[dict[str, str], str]:
    """Title, publisher, date and URL from the page's <meta> tags and title; and its headline."""
    by_key: dict[str, str] = {}
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = _squash(m.get("content") or "")
        if key and content and key not in by_key:
            by_key[key] = content
    title_element = next(tree.iter("title"), None)
    page_title = _squash(title_element.text_content()) if title_element is not None else ""
    # The headline: the first <h1>, else an <h2>/<h3> that the page's <title> repeats.
    h1 = next(tree.iter("h1"), None)
    h1_text = _squash(h1.text_content()) if h1 is not None else ""
    if not h1_text and page_title:
        h1_text = next((t for t in (_squash(h.text_content()) for h in tree.iter("h2", "h3")) if t and t in page_title), "")
    meta: dict[str, str] = {}
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
    for key in ("pubdate", "publishdate", "article:published_time", "og:release_date", "publish_date",
                "og:published_time", "dc.date.issued", "dc.date", "firstpublishedtime", "date"):
        iso = iso_date(by_key.get(key, ""))
        if iso:
            meta["date"] = iso
            break
    for key in ("og:url", "url"):
        if by_key.get(key, "").startswith(("http://", "https://")):
            meta["url"] = by_key[key]
            break
    return meta, h1_text


def html_extract(page: str) -> tuple[str, dict[str, str]]:
    """Main text of an HTML page (lines) and the metadata found in its head."""
    try:
        import lxml.html
        import trafilatura
        from lxml import etree
    except ImportError as exc:  # pragma: no cover - declared dependencies
        raise DependencyError("reading .html needs trafilatura: pip install trafilatura") from exc
    try:
        tree = lxml.html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return "", {}
    meta, h1_text = _head_metadata(tree)
    xml = trafilatura.extract(tree, output_format="xml", include_tables=True, include_comments=False,
                              include_images=False, favor_precision=True, deduplicate=False, with_metadata=False)
    lines: list[str] = []
    if xml:
        main = etree.fromstring(xml.encode("utf-8")).find("main")
        if main is not None:
            lines = _layout_lines(main)
    # Keep the headline with the text when the content left it out.
    if h1_text and lines and h1_text not in lines[:3]:
        lines.insert(0, h1_text)
    return "\n".join(lines), meta
