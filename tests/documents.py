"""Make PDF and Word files of report texts at test time, as governments publish them.

PDFs: reportlab's STSong-Light CID font, A4, lines broken by width (so mid-sentence), a
running header (the title) and a page number footer on every page, tables with ruling lines.
Word files: python-docx, one paragraph per line, tables as Word tables, a running header.
Used by tests/test_formats.py and bench/read_formats.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

# Lines of a report that follow "1.项目名称" with "投资:500万元 实施单位:某局": a project list,
# which the documents show as a table (项目, 投资, 实施单位) like the attachments of
# fund allocation notices.
_ITEM_RE = re.compile(r"^\d+[.、．]\s*(\S.*)$")
_FIELDS_RE = re.compile(r"^(\S+?)[:：]\s*(.+?)\s+(\S+?)[:：]\s*(.+)$")

Block = str | list[list[str]]  # a paragraph, or a table (rows of cells; the first row is the header)


def blocks_of(text: str) -> list[Block]:
    """Paragraphs of a report's text, with project lists turned into one table.

    >>> blocks_of("标题\\n1.甲工程\\n投资:5万元 实施单位:乙局\\n2.丙工程\\n投资:6万元 实施单位:丁局\\n完。")
    ['标题', [['项目', '投资', '实施单位'], ['甲工程', '5万元', '乙局'], ['丙工程', '6万元', '丁局']], '完。']
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    out: list[Block] = []
    i = 0
    while i < len(lines):
        rows: list[list[str]] = []
        keys: tuple[str, str] | None = None
        j = i
        while j + 1 < len(lines):
            item, fields = _ITEM_RE.match(lines[j]), _FIELDS_RE.match(lines[j + 1])
            if not (item and fields) or (keys and keys != (fields.group(1), fields.group(3))):
                break
            keys = (fields.group(1), fields.group(3))
            rows.append([item.group(1), fields.group(2), fields.group(4)])
            j += 2
        if len(rows) >= 2 and keys:
            out.append([["项目", keys[0], keys[1]], *rows])
            i = j
        else:
            out.append(lines[i])
            i += 1
    return out


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def write_pdf(text: str, path: Path, *, header: str | None = None, repeat: int = 1,
              encrypt: str | None = None) -> Path:
    """A PDF of ``text`` (``repeat`` times over, for big files) with header, page numbers and tables."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font()
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=20, wordWrap="CJK", firstLineIndent=24)
    cell = ParagraphStyle("cell", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    header = header if header is not None else (text.strip().split("\n", 1)[0][:30])

    def decorate(canvas, doc) -> None:  # running header and page number, as printed reports have
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 15 * mm, header)
        canvas.line(25 * mm, A4[1] - 17 * mm, A4[0] - 25 * mm, A4[1] - 17 * mm)
        canvas.setFont(font, 10)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"— {doc.page} —")
        canvas.restoreState()

    story = []
    for _ in range(repeat):
        for block in blocks_of(text):
            if isinstance(block, str):
                story.append(Paragraph(escape(block), body))
            else:
                table = Table([[Paragraph(escape(c), cell) for c in row] for row in block],
                              colWidths=[70 * mm, 30 * mm, 60 * mm], repeatRows=1)
                table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
                story.extend([Spacer(1, 6), table, Spacer(1, 6)])
    kwargs = {}
    if encrypt is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        kwargs["encrypt"] = StandardEncryption(encrypt, canPrint=0)
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                            topMargin=25 * mm, bottomMargin=22 * mm, title=header, **kwargs)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return path


def write_docx(text: str, path: Path, *, header: str | None = None) -> Path:
    """A Word file of ``text``: a paragraph per line, project lists as a table, a running header."""
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = header if header is not None else text.strip().split("\n", 1)[0][:30]
    for block in blocks_of(text):
        if isinstance(block, str):
            document.add_paragraph(block)
        else:
            table = document.add_table(rows=0, cols=len(block[0]))
            table.style = "Table Grid"
            for row in block:
                cells = table.add_row().cells
                for c, value in zip(cells, row):
                    c.text = value
    document.save(str(path))
    return path


def write_image_only_pdf(path: Path) -> Path:
    """A PDF whose one page is a drawing with no text layer, like a scan."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for i in range(40):
        c.rect(50 + 10 * i, 100 + 15 * i, 80, 12, fill=1)
    c.showPage()
    c.save()
    return path


# --------------------------------------------------------------------------- web pages

_NAV = ["首页", "政务公开", "政务服务", "互动交流", "走进本市", "专题专栏", "政策文件", "新闻中心"]


def write_html_page(text: str, path: Path, *, layout: int, related: list[str], title: str | None = None,
                    date: str = "2023-06-09", source: str = "本市人民政府办公室") -> Path:
    """A government or news web page around ``text``: navigation, breadcrumb, an info bar,
    "related" headline lists (``related``: real headlines), share and print links, a footer.

    ``layout`` 0: a portal with div#zoom; 1: a news site with <article> and a sidebar;
    2: an old table layout with <br> between paragraphs; 3: every paragraph in its own div,
    with previous/next article links.
    """
    paragraphs = [escape(p.strip()) for p in text.split("\n") if p.strip()]
    title = escape(title or paragraphs[0])
    nav = "".join(f'<li><a href="/c{i}/">{n}</a></li>' for i, n in enumerate(_NAV))
    links = "".join(f'<li><a href="/a/{i}.html">{escape(h)}</a><span>2023-0{1 + i % 9}-1{i % 10}</span></li>'
                    for i, h in enumerate(related))
    footer = ('<div class="footer"><p>主办单位：本市人民政府办公室 承办单位：本市大数据中心</p>'
              '<p>版权所有：本市人民政府 地址：本市人民路1号 邮编：810000 联系电话：0971-1234567</p>'
              '<p>网站标识码：6301000001 备案号：某ICP备05000000号-1 公安机关备案号 63010002000001</p></div>')
    info = f'<div class="info">发布时间：{date} 来源：{escape(source)} 浏览次数：1024 【字体：大 中 小】</div>'
    tools = '<div class="tools"><a href="#">分享到：微信</a> <a href="#">微博</a> <a href="javascript:print()">【打印本页】</a> <a href="#">【关闭窗口】</a></div>'
    head = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_本市人民政府</title>'
            '<meta name="keywords" content="乡村振兴,政务公开"><script>var _hmt = _hmt || [];</script>'
            '<style>.nav li{float:left}</style></head><body>')
    top = (f'<div class="header"><div class="logo"><a href="/">本市人民政府</a></div><ul class="nav">{nav}</ul>'
           '<form action="/search"><input name="q" placeholder="请输入关键字"><button>搜索</button></form></div>'
           '<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/c1/">政务公开</a> &gt; 工作动态</div>')
    if layout == 0:
        body = "".join(f"<p>{p}</p>" for p in paragraphs[1:])
        main = (f'<div class="main"><div class="article"><h1>{paragraphs[0]}</h1>{info}'
                f'<div id="zoom" class="content">{body}</div>{tools}</div>'
                f'<div class="related"><h3>相关链接</h3><ul>{links}</ul></div></div>')
    elif layout == 1:
        body = "".join(f"<p>　　{p}</p>" for p in paragraphs[1:])
        main = (f'<div class="wrap"><article><h1>{paragraphs[0]}</h1>{info}{body}'
                f'<p class="editor">责任编辑：王小明</p></article>'
                f'<aside><h3>热点新闻</h3><ol>{links}</ol><h3>推荐阅读</h3><ol>{links}</ol></aside>'
                '<div class="comment"><textarea>我来说两句</textarea><button>发表评论</button></div></div>')
    elif layout == 2:
        body = "<br><br>".join(f"　　{p}" for p in paragraphs[1:])
        side = "".join(f'<tr><td><a href="/a/{i}.html">·{escape(h)}</a></td></tr>' for i, h in enumerate(related))
        main = (f'<table width="1000"><tr><td width="250" valign="top"><table>{side}</table></td>'
                f'<td valign="top"><table><tr><td align="center"><font size="5"><b>{paragraphs[0]}</b></font></td></tr>'
                f'<tr><td>{info}</td></tr><tr><td class="bt_content"><font size="3">{body}</font></td></tr>'
                f'<tr><td>{tools}</td></tr></table></td></tr></table>')
    else:
        body = "".join(f'<div class="p">{p}</div>' for p in paragraphs[1:])
        prev_next = (f'<div class="pn"><p>上一篇：<a href="/a/1.html">{escape(related[0])}</a></p>'
                     f'<p>下一篇：<a href="/a/2.html">{escape(related[-1])}</a></p></div>') if related else ""
        main = (f'<div class="container"><div class="title"><h2>{paragraphs[0]}</h2></div>{info}'
                f'<div class="TRS_Editor">{body}</div>{tools}{prev_next}'
                f'<div class="rel"><h4>相关新闻</h4><ul>{links}</ul></div></div>')
    path.write_text(head + top + main + footer + "</body></html>", encoding="utf-8")
    return path


def write_scanned_pdf(source: Path, path: Path, dpi: int = 200) -> Path:
    """The pages of ``source`` as grey images only, like a scanner makes them (no text layer)."""
    import pymupdf

    scan = pymupdf.open()
    with pymupdf.open(source) as doc:
        for page in doc:
            image = scan.new_page(width=page.rect.width, height=page.rect.height)
            image.insert_image(image.rect, pixmap=page.get_pixmap(dpi=dpi, colorspace="GRAY"))
    scan.save(path)
    return path
