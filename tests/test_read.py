"""Tests for kg.read: encodings, HTML extraction, metadata, bad inputs, path expansion."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from pathlib import Path

import opencc
import pytest

from kg.errors import ReadError
from kg.read import iter_report_paths, read_report

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"
XINING = REPORTS / "xining-sanxiang-2021.txt"
QINZHOU = REPORTS / "qinzhou-village-collective-economy.txt"


@pytest.fixture(scope="module")
def xining_text() -> str:
    return XINING.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def qinzhou_text() -> str:
    return QINZHOU.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def xining_traditional(xining_text: str) -> str:
    return opencc.OpenCC("s2tw").convert(xining_text)


# --------------------------------------------------------------------------- encodings


def test_utf8_without_bom(tmp_path: Path, xining_text: str) -> None:
    data = xining_text.encode("utf-8")
    p = tmp_path / "plain.txt"
    p.write_bytes(data)
    r = read_report(p)
    assert r.text == xining_text
    assert r.encoding == "utf-8"
    assert r.sha256 == hashlib.sha256(data).hexdigest()
    assert r.report_id == "plain"
    assert r.source == str(p)


def test_utf8_with_bom_and_crlf(tmp_path: Path, xining_text: str) -> None:
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + xining_text.replace("\n", "\r\n").encode("utf-8"))
    r = read_report(p)
    assert r.encoding == "utf-8-sig"
    assert not r.text.startswith("\ufeff")
    assert "\r" not in r.text
    assert r.text == xining_text
    assert r.title == "党史学习教育添动能以“三乡工程”助推乡村振兴"


def test_utf16_with_bom(tmp_path: Path, qinzhou_text: str) -> None:
    p = tmp_path / "u16.txt"
    p.write_bytes(qinzhou_text.encode("utf-16"))  # writes a BOM
    r = read_report(p)
    assert r.encoding == "utf-16"
    assert r.text == qinzhou_text


@pytest.mark.parametrize("codec", ["gb18030", "gbk"])
@pytest.mark.parametrize("sample", [XINING, QINZHOU])
def test_gb18030_and_gbk(tmp_path: Path, codec: str, sample: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    p = tmp_path / f"{sample.stem}.txt"
    data = text.encode(codec)
    p.write_bytes(data)
    r = read_report(p)
    assert r.encoding == "gb18030"
    assert r.text == text
    assert r.sha256 == hashlib.sha256(data).hexdigest()


def test_big5(tmp_path: Path, xining_traditional: str) -> None:
    p = tmp_path / "big5.txt"
    p.write_bytes(xining_traditional.encode("big5"))
    r = read_report(p)
    assert r.encoding == "big5"
    assert r.text == xining_traditional
    assert "西寧市委組織部" in r.text
    assert r.publisher == "西寧市委組織部"
    assert r.date == "2021-07-21"


def test_short_big5_and_gbk_snippets(tmp_path: Path, xining_traditional: str, xining_text: str) -> None:
    line = xining_traditional.splitlines()[2][:30]
    p = tmp_path / "short-big5.txt"
    p.write_bytes(line.encode("big5"))
    assert read_report(p).text == line
    line = xining_text.splitlines()[2][:30]
    p = tmp_path / "short-gbk.txt"
    p.write_bytes(line.encode("gbk"))
    assert read_report(p).text == line


def test_truncated_utf8_is_still_utf8(tmp_path: Path, xining_text: str) -> None:
    data = xining_text.encode("utf-8")[:-1]  # cut inside the last character
    p = tmp_path / "cut.txt"
    p.write_bytes(data)
    r = read_report(p)
    assert r.encoding == "utf-8"
    assert r.text[:-1] == xining_text[:-1]


# --------------------------------------------------------------------------- metadata


def test_xining_metadata_from_text(xining_text: str) -> None:
    r = read_report(XINING)
    assert r.report_id == "xining-sanxiang-2021"
    assert r.title == xining_text.splitlines()[0] == "党史学习教育添动能以“三乡工程”助推乡村振兴"
    assert r.publisher == "西宁市委组织部"
    assert r.date == "2021-07-21"
    assert r.url is None
    # The text is kept complete, metadata lines included.
    assert r.text == xining_text
    assert "来源:西宁市委组织部 日期:2021-07-21 浏览量:" in r.text


def test_report_id_argument() -> None:
    assert read_report(XINING, report_id="custom").report_id == "custom"


def test_no_title_when_first_line_is_a_sentence() -> None:
    r = read_report(QINZHOU)
    assert r.title is None
    assert r.publisher is None and r.date is None


@pytest.mark.parametrize(
    ("line", "publisher", "date"),
    [
        ("来源：某县农业农村局　发布时间：2021年7月21日", "某县农业农村局", "2021-07-21"),
        ("发布日期: 2023/06/09 10:30  来源: 泽库县人民政府", "泽库县人民政府", "2023-06-09"),
        ("作者：张三 时间：2022.4.4", "张三", "2022-04-04"),
        ("作者：张三 来源：农村金融时报", "农村金融时报", None),
        ("日期:2021-02-30", None, None),  # not a real day
    ],
)
def test_metadata_line_variants(tmp_path: Path, line: str, publisher: str | None, date: str | None) -> None:
    p = tmp_path / "m.txt"
    p.write_text(f"某县推进乡村振兴\n{line}\n今年以来，全县推进乡村振兴工作。\n", encoding="utf-8")
    r = read_report(p)
    assert r.title == "某县推进乡村振兴"
    assert r.publisher == publisher
    assert r.date == date


def test_byline_is_not_a_title(tmp_path: Path) -> None:
    p = tmp_path / "byline.txt"
    p.write_text("本报记者 余连斌 通讯员 郑年孝\n近期，五通村李花成片绽放。\n", encoding="utf-8")
    assert read_report(p).title is None


def test_meta_json_overrides(tmp_path: Path) -> None:
    p = tmp_path / "xining.txt"
    shutil.copy(XINING, p)
    (tmp_path / "xining.meta.json").write_text(
        json.dumps(
            {
                "id": "xining",
                "title": "覆盖的标题",
                "publisher": None,
                "date": "2021年7月22日",
                "url": "http://www.xining.gov.cn/x.html",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    r = read_report(p)
    assert r.title == "覆盖的标题"
    assert r.publisher == "西宁市委组织部"  # null in meta.json: the text's value stays
    assert r.date == "2021-07-22"
    assert r.url == "http://www.xining.gov.cn/x.html"


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", "", "\x00\x01"])
def test_malformed_meta_json_is_ignored(tmp_path: Path, content: str) -> None:
    p = tmp_path / "xining.txt"
    shutil.copy(XINING, p)
    (tmp_path / "xining.meta.json").write_text(content, encoding="utf-8")
    r = read_report(p)
    assert r.publisher == "西宁市委组织部"
    assert r.url is None


# --------------------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html>
<html><head>
<meta charset="{charset}">
<title>秦州区推动村级集体经济发展_天水市人民政府</title>
<meta name="ContentSource" content="秦州区委组织部">
<meta name="PubDate" content="2022-11-03 09:12">
<style>.x {{ color: red }} 样式文字</style>
<script>var s = "脚本里的乡村振兴";</script>
</head>
<body>
<div class="top"><a href="/">首页</a><a href="/">政务公开</a><a href="/">政务服务</a></div>
<nav><ul><li>导航栏目一</li><li>导航栏目二</li></ul></nav>
<div class="main">
  <h1>秦州区推动村级集体经济发展</h1>
  <div id="zoom">
    <p>&#12288;&#12288;今年以来，秦州区推动村级集体经济发展壮大&amp;提质增效。
    <p>全区420个行政村&nbsp;&nbsp;村级集体经济收益达到2770.33万元&lt;村均6.60万元&gt;。</p>
    <!-- 注释里的文字 -->
    <table><tr><td>资源盘活型</td><td>3个</td></tr><tr><td>资源开发型</td><td>4个</td></tr></table>
    <noscript>请开启脚本</noscript>
  </div>
</div>
<aside><a href="#">相关链接甲</a></aside>
<footer>版权所有：天水市人民政府 地址：天水市</footer>
</body></html>
"""


def test_html_main_text(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    r = read_report(p)
    assert r.encoding == "utf-8"
    assert r.report_id == "page"
    lines = r.text.split("\n")
    assert lines[0] == "秦州区推动村级集体经济发展"
    assert "今年以来，秦州区推动村级集体经济发展壮大&提质增效。" in lines
    assert "全区420个行政村 村级集体经济收益达到2770.33万元<村均6.60万元>。" in lines
    assert "资源盘活型，3个。" in lines  # a table row reads as a sentence, as in PDF and Word reports
    for dropped in ("脚本", "样式", "导航", "注释", "版权所有", "请开启", "首页", "相关链接", "color"):
        assert dropped not in r.text
    assert r.title == "秦州区推动村级集体经济发展"
    assert r.publisher == "秦州区委组织部"
    assert r.date == "2022-11-03"


def test_html_gbk_declared_charset(tmp_path: Path) -> None:
    p = tmp_path / "page.htm"
    p.write_bytes(PAGE.format(charset="gb2312").encode("gbk"))
    r = read_report(p)
    assert r.encoding == "gb18030"
    assert "今年以来，秦州区推动村级集体经济发展壮大&提质增效。" in r.text


def test_html_og_title_and_article(tmp_path: Path) -> None:
    page = """<html><head><meta property="og:title" content="扶持村级集体经济发展壮大">
    <meta property="article:published_time" content="2019-11-01T08:00:00+08:00">
    <meta name="author" content="中国江苏网"><title>其他标题</title></head><body>
    <div><a href="/">新闻</a> <a href="/">评论</a> <a href="/">图片</a></div>
    <article><p>中国江苏网11月1日讯 记者近日从江苏省农村综合改革领导小组办公室获悉。</p>
    <p>日前，省财政下达扶持村级集体经济发展资金3亿元。</p></article>
    <div>热门文章：其他地方的新闻标题不应出现</div></body></html>"""
    p = tmp_path / "og.html"
    p.write_text(page, encoding="utf-8")
    r = read_report(p)
    assert r.title == "扶持村级集体经济发展壮大"
    assert r.publisher == "中国江苏网"
    assert r.date == "2019-11-01"
    assert r.text.splitlines() == [
        "中国江苏网11月1日讯 记者近日从江苏省农村综合改革领导小组办公室获悉。",
        "日前，省财政下达扶持村级集体经济发展资金3亿元。",
    ]


def test_html_without_text_is_an_error(tmp_path: Path) -> None:
    p = tmp_path / "blank.html"
    p.write_text("<html><head><script>var a = 1;</script></head><body> </body></html>", encoding="utf-8")
    with pytest.raises(ReadError, match="blank.html"):
        read_report(p)


# --------------------------------------------------------------------------- bad inputs


def _assert_read_error(path: Path, fragment: str) -> None:
    with pytest.raises(ReadError) as info:
        read_report(path)
    assert str(path) in str(info.value)
    assert info.value.path == str(path)
    assert fragment in info.value.reason


def test_missing_file(tmp_path: Path) -> None:
    _assert_read_error(tmp_path / "nope.txt", "no such file")


def test_directory(tmp_path: Path) -> None:
    d = tmp_path / "folder.txt"
    d.mkdir()
    _assert_read_error(d, "directory")


@pytest.mark.parametrize("content", [b"", b"   \n\r\n\t  ", "\u3000\n".encode("utf-8")])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(content)
    _assert_read_error(p, "empty")


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "正常的文字".encode("utf-8") + b"\x00\x00\x01\x02",
        bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 20 + "乡村振兴".encode("utf-8"),
    ],
)
def test_binary_file(tmp_path: Path, content: bytes) -> None:
    p = tmp_path / "binary.txt"
    p.write_bytes(content)
    _assert_read_error(p, "binary file, not a text report")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_unknown_encoding(tmp_path: Path, seed: int) -> None:
    rnd = random.Random(seed)
    p = tmp_path / "noise.txt"
    p.write_bytes(bytes(rnd.randrange(0x80, 0x100) for _ in range(3000)))
    _assert_read_error(p, "unknown text encoding (tried UTF-8, GB18030, Big5)")


def test_unsupported_extension(tmp_path: Path) -> None:
    p = tmp_path / "report.xlsx"
    p.write_bytes("乡村振兴".encode("utf-8"))
    _assert_read_error(p, "unsupported file type .xlsx: expected .txt, .html, .htm, .pdf, .docx, .doc or .wps")


# --------------------------------------------------------------------------- iter_report_paths


def test_iter_report_paths(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "b" / "c").mkdir(parents=True)
    (root / ".git").mkdir()
    for rel in ("z.txt", "a.TXT", "b/page.html", "b/c/old.htm", "b/c/x.meta.json", "notes.pdf", "b/r.docx",
                "b/c/r.DOC", "b/c/r.wps", "sheet.xlsx", "b/readme.md", ".hidden.txt", ".git/HEAD.txt"):
        (root / rel).write_text("乡村振兴", encoding="utf-8")
    explicit = tmp_path / "single.json"
    explicit.write_text("{}", encoding="utf-8")
    missing = tmp_path / "missing"
    items = list(iter_report_paths([root, explicit, missing, root / "z.txt"]))
    paths = [i for i in items if isinstance(i, Path)]
    errors = [i for i in items if isinstance(i, ReadError)]
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        "in/a.TXT",
        "in/notes.pdf",
        "in/z.txt",
        "in/b/page.html",
        "in/b/r.docx",
        "in/b/c/old.htm",
        "in/b/c/r.DOC",
        "in/b/c/r.wps",
        "single.json",  # explicit files are passed on whatever their extension
    ]
    assert len(errors) == 1
    assert errors[0].path == str(missing)
    assert errors[0].reason == "no such file or directory"
    assert str(missing) in str(errors[0])
    # The explicit file is then judged by read_report.
    with pytest.raises(ReadError, match="unsupported file type"):
        read_report(explicit)


def test_iter_report_paths_bundled_samples() -> None:
    found = [p for p in iter_report_paths([REPORTS]) if isinstance(p, Path)]
    assert [p.name for p in found] == [QINZHOU.name, XINING.name]
    assert list(iter_report_paths([])) == []


# --------------------------------------------------------------------------- encodings of real reports


def _encoded_versions(text: str, to_traditional: opencc.OpenCC) -> list[tuple[str, str, bytes]]:
    """(codec, the text that codec can hold, its bytes) for the encodings reports come in."""
    traditional = "".join(c for c in to_traditional.convert(text) if c.encode("big5", errors="ignore") or c == "\n")
    return [
        ("gb18030", text, text.encode("gb18030")),
        ("gbk", text, text.encode("gbk")),
        ("big5", traditional, traditional.encode("big5")),
        ("utf-16", text, text.encode("utf-16")),
        ("utf-16-le", text, text.encode("utf-16-le")),
        ("utf-8-sig", text, text.encode("utf-8-sig")),
    ]


def test_every_development_report_in_every_encoding(shared_dir: Path, tmp_path: Path) -> None:
    """Whole reports and a 40-character line of each, in GB18030, GBK, Big5, UTF-16 and UTF-8
    with a BOM, decode to exactly their text; so do whole reports in UTF-16 without a BOM."""
    reports = sorted((shared_dir / "dev-reports").glob("*.txt"))
    assert len(reports) >= 5
    p = tmp_path / "r.txt"
    to_traditional = opencc.OpenCC("s2tw")
    for report in reports:
        text = report.read_text(encoding="utf-8")
        line = max(text.split("\n"), key=len)[:40]
        for sample in (text, line):
            for codec, expected, data in _encoded_versions(sample, to_traditional):
                if codec == "utf-16-le" and sample is line:
                    continue  # without a mark, a short line of hanzi alone may be anything
                p.write_bytes(data)
                assert read_report(p).text == expected, (report.name, codec, sample[:20])
