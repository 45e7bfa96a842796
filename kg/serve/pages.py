"""Server-rendered browse pages: home, search, entity, report, network view, query, analytics, track.

Templates are Jinja2 with autoescape on, so every string from a report or a query is
escaped; the few HTML fragments built in Python (highlighted report text, the Sankey SVG)
escape their text with :func:`html.escape` before being marked safe. The browse pages
carry no script at all (CSP ``default-src 'none'``); the network view carries the pyvis
page's own inline scripts, allowed one by one by their SHA-256 hashes in its CSP, plus
``/static/network.js``. Rendered pages are cached per store fingerprint and URL.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from kg.serve.charts import KIND_NAMES
from kg.serve.pool import JobError

__all__ = ["routes", "exception_handlers", "render_segments", "NETWORK_CSP"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
FACT_CLASSES = {"Funding", "Measure"}
NETWORK_CSP = ("default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'none'; form-action 'self'; "
               "base-uri 'none'; frame-ancestors 'none'")
SHORT_CLASS = {"Funding": "资金", "Measure": "举措"}


def entity_url(iri: str, cls: str | None = None) -> str:
    """Where a node's page is: reports have their own page."""
    page = "/report" if cls == "Report" else "/entity"
    return f"{page}?iri={quote(iri, safe='')}"


def _node_url(node: dict[str, Any] | None) -> str:
    if not node:
        return "#"
    return entity_url(node["iri"], node.get("cls"))


def _class_name(cls: str) -> str:
    """The legend name of a node class (``企业 Enterprise``)."""
    from kg.viz import CLASS_STYLES

    return CLASS_STYLES.get(cls, (None, None, cls))[2]


def _amount(value: Any) -> str:
    from kg.analyze import format_amount

    return format_amount(value) if value not in (None, "") else ""


def render_segments(segments: list[dict[str, Any]], self_iri: str | None = None, links: bool = True) -> Markup:
    """Highlighted text (from :func:`kg.serve.data.highlight`) as safe HTML.

    Entity mentions become ``<a><mark>`` links, facts (fundings, measures) an underlined
    ``<span>`` with a small link after it; nested links are flattened to text.

    >>> render_segments([{"kind": "text", "text": "<b>"}, {"kind": "span", "targets": [
    ...     {"target": "http://x/a", "cls": "Enterprise"}], "children": [{"kind": "text", "text": "甲&乙"}]}])
    Markup('&lt;b&gt;<a class="mention c-Enterprise" href="/entity?iri=http%3A%2F%2Fx%2Fa"><mark>甲&amp;乙</mark></a>')
    """
    out: list[str] = []
    for seg in segments:
        if seg["kind"] == "text":
            out.append(html.escape(seg["text"], quote=False))
            continue
        target = seg["targets"][0]
        cls = re.sub(r"[^A-Za-z]", "", str(target.get("cls", "Thing"))) or "Thing"
        if target["target"] == self_iri or cls == "self":
            out.append(f'<mark class="self">{render_segments(seg["children"], self_iri, links)}</mark>')
        elif cls in FACT_CLASSES:
            inner = render_segments(seg["children"], self_iri, links)
            link = ""
            if links:
                names = "".join(
                    f'<a class="fact-link" href="{html.escape(entity_url(t["target"]))}" '
                    f'title="{html.escape(SHORT_CLASS.get(t["cls"], t["cls"]))}">'
                    f'{html.escape(SHORT_CLASS.get(t["cls"], "·"))}</a>'
                    for t in seg["targets"] if t.get("cls") in FACT_CLASSES
                )
                link = f'<sup class="facts">{names}</sup>'
            out.append(f'<span class="fact c-{cls}">{inner}{link}</span>')
        else:
            inner = render_segments(seg["children"], self_iri, links=False)
            if links:
                out.append(f'<a class="mention c-{cls}" href="{html.escape(entity_url(target["target"], cls))}">'
                           f"<mark>{_plain(inner)}</mark></a>")
            else:
                out.append(f'<mark class="c-{cls}">{_plain(inner)}</mark>')
    return Markup("".join(out))


def _series_chart(series: dict[str, Any]) -> Markup:
    """An indicator series as inline SVG (:func:`kg.serve.charts.series_svg` escapes every text)."""
    from kg.serve.charts import series_svg

    return Markup(series_svg(series))


def _indicator_value(value: Any, unit: str, signed: bool = False) -> str:
    from kg.serve.charts import format_value

    return format_value(value, unit, signed=signed)


def _plain(fragment: str) -> str:
    """Drop nested tags from a fragment we built (no link inside a link)."""
    return re.sub(r"<[^>]*>", "", str(fragment))


@functools.lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["entity_url"] = entity_url
    env.filters["node_url"] = _node_url
    env.filters["amount"] = _amount
    env.filters["segments"] = render_segments
    env.filters["urlq"] = lambda v: quote(str(v), safe="")
    env.filters["cell"] = result_cell
    env.filters["class_name"] = _class_name
    env.filters["readable_iri"] = readable_iri
    env.filters["series_chart"] = _series_chart
    env.filters["indicator_value"] = _indicator_value
    env.globals["fact_classes"] = FACT_CLASSES
    env.globals["network_url"] = network_url
    env.globals["kind_names"] = KIND_NAMES
    return env


def render(request: Request, template: str, status: int = 200, headers: dict[str, str] | None = None,
           **context: Any) -> HTMLResponse:
    context.setdefault("q", "")
    body = _env().get_template(template).render(request=request, **context)
    return HTMLResponse(body, status_code=status, headers=headers)


def _error(request: Request, status: int, message: str, search: str | None = None) -> HTMLResponse:
    """An error page; ``search`` (a name) adds a link searching for it."""
    titles = {400: "请求有误 Bad request", 403: "禁止 Forbidden", 404: "未找到 Not found",
              503: "暂时无法完成 Unavailable"}
    return render(request, "error.html", status=status, title=titles.get(status, f"错误 Error {status}"),
                  message=message, code=status, search=search)


def _srv(request: Request) -> Any:
    return request.app.state.kg


def _client(request: Request) -> str | None:
    """The client's address, which the SPARQL pool holds to its quota of slow queries."""
    return request.client.host if request.client else None


async def _page(request: Request, job: str, args: tuple[Any, ...], heavy: bool = False) -> Any:
    return await _srv(request).page(job, args, heavy=heavy)


# --------------------------------------------------------------------------- page cache

_KEEP_HEADERS = ("content-security-policy", "location")


def cached(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    """Serve a rendered page from the cache while the store is unchanged (same fingerprint, same URL)."""

    @functools.wraps(handler)
    async def wrapper(request: Request) -> Response:
        if request.method != "GET":  # a form POST (the query page) is answered afresh
            return await handler(request)
        srv = _srv(request)
        key = ("page", srv.fingerprint(), request.url.path, request.url.query)
        hit = srv.cache.get(key)
        if hit is not None:
            status, body, headers = hit
            return Response(body, status_code=status, headers=headers, media_type="text/html; charset=utf-8")
        response = await handler(request)
        if response.status_code in (200, 303, 400, 404) and not getattr(response, "no_cache", False):
            headers = {k: v for k, v in response.headers.items() if k.lower() in _KEEP_HEADERS}
            srv.cache.put(key, (response.status_code, response.body, headers), len(response.body) + 256)
        return response

    return wrapper


# --------------------------------------------------------------------------- pages


async def home(request: Request) -> Response:
    try:
        data = await _page(request, "home", ())
    except JobError as e:
        return _error(request, e.status, e.message)
    return render(request, "home.html", title="政策知识图谱 Policy knowledge graph", data=data)


async def search(request: Request) -> Response:
    q = request.query_params.get("q", "").strip()
    if not q:
        return render(request, "search.html", title="搜索 Search", q="", data=None)
    try:
        data = await _page(request, "search", (q,))
    except JobError as e:
        return _error(request, e.status, e.message)
    return render(request, "search.html", title=f"搜索 Search: {q}", q=q, data=data)


async def entity(request: Request) -> Response:
    iri = request.query_params.get("iri", "").strip()
    if not iri:
        return _error(request, 400, "give the entity's IRI: /entity?iri=…")
    try:
        data = await _page(request, "entity", (iri,))
    except JobError as e:
        # an IRI of the graph names its entity: offer to search for that name
        path = readable_iri(iri)
        name = path.rsplit("/", 1)[-1] if e.status == 404 and path != iri else None
        return _error(request, e.status, e.message, search=name or None)
    if data["is_report"]:
        return Response(status_code=303, headers={"Location": entity_url(iri, "Report")})
    try:
        series = await _page(request, "indicator_series", (iri,))
    except JobError as e:
        return _error(request, e.status, e.message)
    # the observations drawn in the charts are not listed again as relations
    charted = {p["observation"] for s in series["series"] for p in s["points"]}
    return render(request, "entity.html", title=f"{data['label']} · {data['cls_name']}", e=data,
                  series=series["series"], charted=charted)


async def track(request: Request) -> Response:
    """The indicator series with the largest change (two or more years of actual figures)."""
    from kg.serve.charts import series_changes

    from kg.extract.indicators import indicator_vocabulary

    indicator = request.query_params.get("indicator", "").strip()
    codes = [d.code for d in indicator_vocabulary()]
    if indicator and indicator not in codes:
        return _error(request, 400, f"no indicator '{indicator}' in the vocabulary; known: {', '.join(codes)}")
    try:
        series = await _page(request, "indicator_series", (None,))
    except JobError as e:
        return _error(request, e.status, e.message)
    rows = series_changes(series["series"])
    indicators = sorted({(r["indicator"], r["indicator_label"]) for r in rows}, key=lambda x: x[1])
    if indicator:
        rows = [r for r in rows if r["indicator"] == indicator]
    return render(request, "track.html", title="指标变化 Track indicators", rows=rows, indicators=indicators,
                  indicator=indicator, n_series=len(series["series"]), truncated=series["truncated"],
                  observations=series["observations"])


async def report(request: Request) -> Response:
    iri = request.query_params.get("iri", "").strip()
    if not iri:
        return _error(request, 400, "give the report's IRI: /report?iri=…")
    try:
        data = await _page(request, "report", (iri,))
    except JobError as e:
        return _error(request, e.status, e.message)
    return render(request, "report.html", title=f"{data['title']} · 报告 Report", r=data)


async def analytics(request: Request) -> Response:
    try:
        data = await _page(request, "analytics", (), heavy=True)
    except JobError as e:
        return _error(request, e.status, e.message)
    return render(request, "analytics.html", title="分析 Analytics", a=data["analysis"], svg=Markup(data["svg"]))


# --------------------------------------------------------------------------- query page


@functools.lru_cache(maxsize=1)
def _canned() -> tuple[Any, ...]:
    from kg.query import list_queries

    return tuple(list_queries())


_COMMENT_LINE = re.compile(r"^[ \t]*#.*(?:\r?\n|$)", re.MULTILINE)


def readable_query(text: str) -> str:
    """A canned query as the editor shows it: whole-line comments (its header, which the page
    shows above the editor, and notes on how it is tuned for an engine) left out, blank runs
    collapsed. Only whole lines starting with ``#`` go: the canned queries hold no multi-line
    string, so the query runs exactly as before.

    >>> readable_query("# title: T\\n# tuned for oxigraph\\nPREFIX a: <http://x/#>\\n\\n\\n  # inner\\nSELECT ?s WHERE { ?s a:p \\"#\\" }\\n")
    'PREFIX a: <http://x/#>\\n\\nSELECT ?s WHERE { ?s a:p "#" }\\n'
    """
    body = _COMMENT_LINE.sub("", text)
    return re.sub(r"\n{3,}", "\n\n", body).strip("\n") + "\n"


async def _query_fields(request: Request) -> dict[str, str]:
    """The query page's fields: from the URL (links, GET) or from the form body (Run posts the form,
    so a long query does not travel in the URL)."""
    fields = {k: v for k, v in request.query_params.items()}
    if request.method == "POST":
        from kg.serve.app import MAX_SPARQL_BYTES, _read_body

        body = await _read_body(request, MAX_SPARQL_BYTES)  # refuses (413) an oversized body unread
        fields.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return fields


async def query_page(request: Request) -> Response:
    from kg.query import text_for
    from kg.serve.sparql import ProtocolError, analyze

    try:
        qp = await _query_fields(request)
    except ProtocolError as e:
        return _error(request, e.status, e.message)
    canned = _canned()
    name = qp.get("name") or ""
    selected = next((q for q in canned if q.name == name), None)
    text = qp.get("query")
    if text is None or (selected is not None and not text.strip()):
        text = readable_query(text_for(selected, _srv(request).supports_lateral)) if selected is not None else ""
    values = {p.name: qp.get(f"p.{p.name}", "") for p in selected.params} if selected else {}
    result, error, status, notes = None, None, 200, []
    if qp.get("run") and text.strip():
        srv = _srv(request)
        info = analyze(text)
        missing = [p.name for p in (selected.params if selected else ()) if p.required and not values.get(p.name)]
        if info.uses_service and not srv.settings.allow_service:
            error, status = "SERVICE is disabled on this server (it would reach other machines).", 403
        elif missing:
            error, status = f"fill in the parameter(s): {', '.join(missing)}", 400
        else:
            bound = values
            if selected is not None and selected.lookups:
                # a name may be an alias or in traditional script: the lookup `kg query` uses
                try:
                    named = await _page(request, "canned_names", (selected.name, tuple(sorted(values.items()))))
                except JobError as e:
                    named = {"error": e.message}
                if "error" in named:
                    error, status = named["error"], 404
                else:
                    bound, notes = named["values"], named["notes"]
            if error is None:
                langs = {p.name: p.language for p in selected.params} if selected else {}
                subs = tuple(sorted((k, (v, langs.get(k))) for k, v in bound.items() if v))
                try:
                    result = await srv.sparql_query("table", (text, subs, min(srv.settings.max_rows, 2000)),
                                                    cache=info.deterministic, client=_client(request))
                except JobError as e:
                    error, status = e.message, e.status
    response = render(request, "query.html", status=status, title="查询 Query", canned=canned, selected=selected,
                      text=text, values=values, result=result, error=error, notes=notes,
                      max_rows=min(_srv(request).settings.max_rows, 2000))
    response.no_cache = bool(text.strip()) and not analyze(text).deterministic  # type: ignore[attr-defined]
    return response


_NUMERIC = ("integer", "decimal", "double", "float", "long", "int", "short", "nonNegativeInteger",
            "positiveInteger", "gYear")


def result_cell(cell: dict[str, str] | None, column: str = "") -> Markup:
    """One cell of the query page's results as HTML: a literal as its plain value (its datatype or
    language in a tooltip), an IRI of this graph as a link to its page, any other IRI as a short name.
    A number in a column of yuan (``*_cny``, ``amount*``) is written as analysts write it, the exact
    figure in the tooltip.

    >>> print(result_cell({"kind": "literal", "value": "150000000", "extra": "http://www.w3.org/2001/XMLSchema#integer"}))
    <span class="lit num" title="xsd:integer">150000000</span>
    >>> print(result_cell({"kind": "literal", "value": "<b>", "extra": "zh"}))
    <span class="lit" title="@zh">&lt;b&gt;</span>
    >>> print(result_cell({"kind": "iri", "value": "https://w3id.org/policy-kg/id/actor/%E7%94%B2", "extra": ""}))
    <a class="iri" href="/entity?iri=https%3A%2F%2Fw3id.org%2Fpolicy-kg%2Fid%2Factor%2F%25E7%2594%25B2" title="https://w3id.org/policy-kg/id/actor/%E7%94%B2">actor/甲</a>
    >>> print(result_cell({"kind": "iri", "value": "https://w3id.org/policy-kg/ontology#Enterprise", "extra": ""}))
    <span class="iri" title="https://w3id.org/policy-kg/ontology#Enterprise">pkg:Enterprise</span>
    >>> print(result_cell({"kind": "literal", "value": "150000000", "extra": "http://www.w3.org/2001/XMLSchema#decimal"}, "total_cny"))
    <span class="lit num" title="150000000 CNY (xsd:decimal)">1.5亿元</span>
    >>> print(result_cell({"kind": "literal", "value": "18400000", "extra": ""}, "amount_cny"))
    <span class="lit num" title="18400000 CNY (xsd:string)">1840万元</span>
    """
    from kg import ids
    from kg.vocab import PREFIXES

    if cell is None:
        return Markup("")
    value, extra = cell["value"], cell.get("extra") or ""
    if cell["kind"] == "literal":
        tip, cls = "", "lit"
        short = _short_iri(extra, PREFIXES) if extra else "xsd:string"
        if extra:
            tip = f' title="{html.escape(short if "://" in extra else "@" + extra)}"'
        numeric = "://" in extra and extra.rsplit("#", 1)[-1] in _NUMERIC
        if numeric:
            cls += " num"
        # some queries give amounts as strings (they sort on them): a figure is a figure
        if _is_yuan(column) and (numeric or (not extra and re.fullmatch(r"-?\d+(?:\.\d+)?", value))):
            cls = "lit num"
            tip = f' title="{html.escape(value)} CNY ({html.escape(short)})"'
            value = _amount(value) or value
        return Markup(f'<span class="{cls}"{tip}>{html.escape(value, quote=False)}</span>')
    if cell["kind"] == "iri":
        if value.startswith(ids.ID):
            page = "/report" if value.startswith(ids.ID + "report/") else "/entity"
            shown = readable_iri(value)
            return Markup(f'<a class="iri" href="{page}?iri={quote(value, safe="")}" title="{html.escape(value)}">'
                          f"{html.escape(shown, quote=False)}</a>")
        return Markup(f'<span class="iri" title="{html.escape(value)}">{html.escape(_short_iri(value, PREFIXES), quote=False)}</span>')
    return Markup(f"<code>{html.escape(value, quote=False)}</code>")


def readable_iri(iri: str) -> str:
    """An IRI of the graph as its readable path (``actor/西宁市信保集团``); any other IRI as it is.

    >>> readable_iri("https://w3id.org/policy-kg/id/actor/%E7%94%B2")
    'actor/甲'
    """
    from urllib.parse import unquote

    from kg import ids

    return unquote(iri[len(ids.ID):]) if iri.startswith(ids.ID) else iri


def _is_yuan(column: str) -> bool:
    name = column.lower()
    return name.endswith("cny") or name.startswith("amount")


def _short_iri(iri: str, prefixes: dict[str, str]) -> str:
    """``pkg:Enterprise`` for an IRI in a known namespace, else the IRI."""
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


# --------------------------------------------------------------------------- network view

_SCRIPT_OPEN = re.compile(r"<script(?=[\s>/])", re.IGNORECASE)
_SCRIPT_COUNT: dict[bool, int] = {}


def script_elements(page: str) -> list[tuple[str, str]]:
    """(start tag, script text) of every ``<script>`` element, scanning as an HTML parser does:
    after a start tag, everything up to the next ``</script`` is script text, so "<script>"
    inside a library's strings is not taken for a tag.

    >>> script_elements('<p>a</p><script>var s = "<script>";</script><script src="x.js"></script>')
    [('<script>', 'var s = "<script>";'), ('<script src="x.js">', '')]
    """
    lower = page.lower()
    out, pos = [], 0
    while True:
        m = _SCRIPT_OPEN.search(page, pos)
        if m is None:
            break
        tag_end = page.find(">", m.end())
        if tag_end == -1:
            break
        close = lower.find("</script", tag_end)
        if close == -1:
            close = len(page)
        out.append((page[m.start() : tag_end + 1], page[tag_end + 1 : close]))
        pos = close
    return out


def script_hash(text: str) -> str:
    """The CSP source expression allowing one inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _reference_scripts(physics: bool) -> int:
    """How many <script> tags a pyvis page has by itself (so that any extra one means injection)."""
    if physics not in _SCRIPT_COUNT:
        import networkx as nx

        from kg.viz import PHYSICS_LIMIT, render_html

        G = nx.MultiDiGraph()
        for i in range(1 if physics else PHYSICS_LIMIT):
            G.add_node(f"n{i}", label=f"n{i}", **{"class": "Actor"})
        _SCRIPT_COUNT[physics] = len(script_elements(render_html(G)))
    return _SCRIPT_COUNT[physics]


def _json_block(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(value))) if value not in (None, "") else default
    except ValueError:
        return default


def network_params(qp: Any) -> dict[str, Any]:
    """The network view's parameters from a query string (clamped, unknown classes dropped)."""
    from kg.viz import CLASS_STYLES

    return {
        "focus": qp.get("focus") or None,
        "depth": _int(qp.get("depth"), 1, 0, 4),
        "max_nodes": _int(qp.get("max"), 200, 10, 2000),
        "classes": tuple(sorted(c for c in qp.getlist("class") if c in CLASS_STYLES)),
        "program": qp.get("program") or None,
        "region": qp.get("region") or None,
        "report": qp.get("report") or None,
    }


def warm_jobs() -> list[tuple[str, tuple[Any, ...]]]:
    """The heavy page jobs worth computing before anyone asks: the whole network, analytics."""
    from starlette.datastructures import QueryParams

    return [("network", (tuple(sorted(network_params(QueryParams("")).items())),)), ("analytics", ())]


async def network(request: Request) -> Response:
    from kg.viz import CLASS_STYLES, PHYSICS_LIMIT

    qp = request.query_params
    params = network_params(qp)
    try:
        data = await _page(request, "network", (tuple(sorted(params.items())),), heavy=True)
    except JobError as e:
        return _error(request, e.status, e.message)
    # the browser hashes script text after turning CR LF into LF: do it first
    page: str = data["html"].replace("\r\n", "\n").replace("\r", "\n")
    physics = data["nodes"] < PHYSICS_LIMIT
    scripts = script_elements(page)
    if len(scripts) != _reference_scripts(physics):
        return _error(request, 500, "the network page holds an unexpected <script> element; refusing to serve it")
    hashes = sorted({script_hash(text) for tag, text in scripts if "src=" not in tag.lower()})
    nav = _env().get_template("network_nav.html").render(
        request=request, params=params, data=data, classes=CLASS_STYLES, q=qp.get("q", ""),
        legend_names={k: v[2] for k, v in CLASS_STYLES.items()},
    )
    page = page.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n<link rel="stylesheet" href="/static/kg.css">', 1)
    m = re.search(r"<body[^>]*>", page)
    if m is None:
        return _error(request, 500, "unexpected network page layout")
    page = page[: m.end()] + "\n" + nav + page[m.end() :]
    tail = (f'<script type="application/json" id="kg-iris">{_json_block(data["iris"])}</script>\n'
            '<script src="/static/network.js"></script>\n')
    cut = page.rfind("</body>")
    page = page[:cut] + tail + page[cut:] if cut != -1 else page + tail
    return HTMLResponse(page, headers={"Content-Security-Policy": NETWORK_CSP.format(hashes=" ".join(hashes))})


def network_url(**params: Any) -> str:
    """A /network link for the given parameters (None values dropped)."""
    return "/network?" + urlencode({k: v for k, v in params.items() if v not in (None, "")}, doseq=True)


async def favicon(request: Request) -> Response:
    return Response(status_code=204)


def routes() -> list[Route]:
    return [
        Route("/", cached(home)),
        Route("/search", cached(search)),
        Route("/entity", cached(entity)),
        Route("/report", cached(report)),
        Route("/network", cached(network)),
        Route("/query", cached(query_page), methods=["GET", "HEAD", "POST"]),
        Route("/analytics", cached(analytics)),
        Route("/track", cached(track)),
        Route("/favicon.ico", favicon),
    ]


async def _not_found(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 404)
    detail = getattr(exc, "detail", "") or "no such page"
    if request.url.path.startswith(("/sparql", "/store", "/static")):
        return Response(f"{detail}\n", status_code=status, media_type="text/plain")
    return _error(request, status, str(detail))


def exception_handlers() -> dict[Any, Any]:
    return {HTTPException: _not_found}
