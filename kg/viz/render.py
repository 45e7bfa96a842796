"""The offline HTML page: vis-network data and options, plain-text tooltips, the cleaned pyvis page."""

from __future__ import annotations

import html
import math
import os
import re
from decimal import Decimal  # noqa: F401  (render_html's doctest)
from pathlib import Path
from typing import Any

import networkx as nx

from kg.money import format_amount
from kg.resources import project_root
from kg.viz.common import CLASS_STYLES, CLUSTER_STYLE, EDGE_LABELS, VizError
from kg.viz.graph import network_graph
from kg.viz.layout import _layout

#: Graphs with fewer nodes than this are drawn with physics on; larger ones get fixed positions.
PHYSICS_LIMIT = 300
#: Stabilization iterations vis-network may spend before it first draws a physics graph.
STABILIZATION_ITERATIONS = 200
_LABEL_MAX = 24
_EVIDENCE_MAX = 300


_HREF = re.compile(r"(h)(ref)", re.IGNORECASE)


def _safe_text(text: str) -> str:
    """A tooltip as plain text, ``href`` broken up with a zero-width space.

    vis-network shows a string title with ``innerText``, so the text is NOT HTML-escaped
    (``&lt;`` would be shown as such); but pyvis swaps in its own ``innerHTML`` popup as soon
    as one title contains ``href``, which the zero-width space prevents.

    >>> print(_safe_text("<a href='x'> & Tom's"))
    <a h\u200bref='x'> & Tom's
    """
    return _HREF.sub("\\1\u200b\\2", text)


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reports_line(reports: list[str], limit: int = 8) -> str:
    shown = ", ".join(reports[:limit])
    more = f" … ({len(reports):,} reports)" if len(reports) > limit else ""
    return f"报告 reports: {shown}{more}"


def _node_tooltip(iri: Any, d: dict[str, Any]) -> str:
    cls = d.get("class", "Actor")
    if d.get("type") == "cluster":
        return _safe_text("\n".join([str(d.get("label", iri)), f"类别 class: {CLUSTER_STYLE[2]}", str(d.get("evidence", ""))]))
    lines = [str(d.get("label", iri)), f"类别 class: {CLASS_STYLES.get(cls, (None, None, cls))[2]}"]
    if d.get("amount") is not None:
        amount = d["amount"]
        lines.append(f"金额 amount: {format_amount(amount)} ({amount} CNY)")
    for key, name in (("kind", "类型 kind"), ("level", "层级 level"), ("code", "区划代码 code"),
                      ("year", "年度 year"), ("post", "职务 post")):
        if d.get(key) is not None:
            lines.append(f"{name}: {d[key]}")
    if d.get("count") is not None:
        lines.append(f"数量 count: {d['count']}{d.get('count_unit') or ''}")
    if d.get("evidence"):
        lines.append(f"证据 evidence: {_clip(d['evidence'], _EVIDENCE_MAX)}")
    if d.get("report_count"):
        lines.append(f"报告 reports: {d['report_count']:,}")
    elif d.get("reports"):
        lines.append(_reports_line(list(d["reports"])))
    if isinstance(iri, str) and "://" in iri:
        lines.append(f"IRI: {iri}")
    return _safe_text("\n".join(lines))


def _edge_tooltip(G: nx.MultiDiGraph, u: Any, v: Any, d: dict[str, Any]) -> str:
    if d.get("rel") == "cluster":
        return _safe_text(str(d.get("summary", "")))
    lines = [f"{G.nodes[u].get('label', u)} —{d.get('label', d.get('rel', ''))}→ {G.nodes[v].get('label', v)}"]
    if d.get("evidence"):
        lines.append(f"证据 evidence: {_clip(d['evidence'], _EVIDENCE_MAX)}")
    if d.get("reports"):
        lines.append(_reports_line(list(d["reports"])))
    return _safe_text("\n".join(lines))


def _vis_options(n: int, physics: bool) -> dict[str, Any]:
    big = n >= PHYSICS_LIMIT
    return {
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 14, "face": "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"},
            # vis-network draws no name (they would shrink with the zoom and pile up at hubs):
            # the page's own script (viz/labels.js) draws them at a fixed size, without overlap
            "scaling": {"label": {"drawThreshold": 100000}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9a9a9a", "highlight": "#333333", "inherit": False},
            "font": {"size": 10, "align": "middle", "color": "#555555"},
            "smooth": False if big else {"enabled": True, "type": "continuous"},
            "width": 1,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
        },
        "layout": {"improvedLayout": False},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.3},
            "minVelocity": 1.0,
            "stabilization": {
                "enabled": physics,
                "iterations": STABILIZATION_ITERATIONS,
                "updateInterval": 25,
                "fit": True,
            },
        },
    }


def _vis_data(G: nx.MultiDiGraph) -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool]:
    n = G.number_of_nodes()
    # a reduced view with clusters is drawn still, from precomputed positions, whatever its size
    physics = n < PHYSICS_LIMIT and not G.graph.get("clusters")
    pos = _layout(G)
    index = {node: i for i, node in enumerate(G)}
    degree = dict(G.degree())
    focus = G.graph.get("focus")
    # the order in which names get room on the canvas: the focus, then the best-connected
    ranked = sorted(G, key=lambda v: (v != focus, -degree[v], str(G.nodes[v].get("label", v)), str(v)))
    rank = {v: i for i, v in enumerate(ranked)}
    nodes = []
    for node, d in G.nodes(data=True):
        cls = d.get("class", "Actor")
        colour, shape, _ = CLASS_STYLES.get(cls, CLASS_STYLES["Actor"])
        x, y = pos[node]
        label = d.get("label")
        label = _clip(label if label is not None else node, _LABEL_MAX)
        nodes.append({
            "id": index[node],
            "label": label,  # canvas text; embedded with tojson (escapes < > &)
            "title": _node_tooltip(node, d),
            "color": colour,
            "shape": shape,
            "size": round(8 + 3 * min(math.sqrt(degree[node]), 6), 1),
            "x": round(x, 1),
            "y": round(y, 1),
            "group": cls,
            "rank": rank[node],
        })
        if physics and degree[node] == 0:  # pinned under the graph by labels.js instead of drifting
            nodes[-1].update(unconnected=True, physics=False)
        if d.get("type") == "cluster":
            mixed = cls not in CLASS_STYLES
            nodes[-1].update(
                color=CLUSTER_STYLE[0] if mixed else colour, shape=CLUSTER_STYLE[1], group="Cluster",
                size=round(12 + 4 * math.log10(max(1, d.get("size", 1))), 1),
                shapeProperties={"borderDashes": [4, 3]}, borderWidth=2,
            )
        if node == focus:
            nodes[-1].update(color={"background": colour, "border": "#000000"}, borderWidth=4,
                             size=nodes[-1]["size"] * 1.5)
    edges = []
    for u, v, d in G.edges(data=True):
        edges.append({
            "from": index[u],
            "to": index[v],
            "relation": EDGE_LABELS.get(str(d.get("rel")), ""),  # drawn by labels.js where there is room
            "title": _edge_tooltip(G, u, v, d),
            "arrows": "to",
        })
        if d.get("rel") == "cluster":  # many hidden edges drawn as one: thicker, dashed
            edges[-1].update(width=round(1 + math.log10(max(1, d.get("count", 1))), 1), dashes=True)
    return nodes, edges, physics


def _page_css() -> str:
    path = project_root() / "viz" / "page.css"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ".vis-tooltip { white-space: pre-wrap; max-width: 520px; }"


def _labels_script() -> str:
    """The page's label script (``viz/labels.js``), made safe to inline in a ``<script>`` element."""
    path = project_root() / "viz" / "labels.js"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise VizError(f"cannot read the network page's label script {path}: {e.strerror}") from None
    return text.replace("</", "<\\/")


_REMOTE = (
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>\s*</script>"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>"
)
# Inline <script>/<style> blocks (the libraries, the drawing code) are kept as they are;
# between them, remote tags, comments and pyvis's empty <h1> headings are dropped.
_INLINE = r"<script(?:\s+type=\"text/javascript\")?\s*>.*?</script>|<style\b[^>]*>.*?</style>"
_CLEAN = re.compile(
    rf"(?P<keep>{_INLINE})|{_REMOTE}|<!--.*?-->|<center>\s*<h1>\s*</h1>\s*</center>\s*",
    re.DOTALL | re.IGNORECASE,
)
_CHECK = re.compile(rf"(?P<keep>{_INLINE})|(?P<remote>{_REMOTE})", re.DOTALL | re.IGNORECASE)


def _loads_remote(page: str) -> bool:
    """Whether any tag outside the inline blocks would fetch a script or stylesheet from the network."""
    return any(m.group("remote") for m in _CHECK.finditer(page))


def render_html(G: nx.MultiDiGraph, title: str = "policy-kg network") -> str:
    """One self-contained, offline HTML page showing ``G`` (vis-network inlined, UTF-8 text).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="县财政局", **{"class": "GovernmentAgency"})
    >>> G.add_node("b", label="500万元", amount=Decimal(5000000), **{"class": "Funding"})
    >>> G.add_edge("a", "b", key="funder", rel="funder")
    'funder'
    >>> page = render_html(G, title="<demo>")
    >>> "县财政局" in page, "&lt;demo&gt;" in page, '<script src="http' in page, "vis.Network" in page
    (True, True, False, True)
    """
    from pyvis.network import Network

    nodes, edges, physics = _vis_data(G)
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading="")
    net.nodes = nodes  # direct assignment: from_nx / add_node are quadratic
    net.edges = edges
    net.options = _vis_options(len(nodes), physics)
    # tojson still escapes < > & ' (script-safe); Chinese stays readable UTF-8 instead of \uXXXX
    net.templateEnv.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    page = _CLEAN.sub(lambda m: m.group("keep") or "", net.generate_html())
    page = page.replace("<html>", '<!DOCTYPE html>\n<html lang="zh-CN">', 1)
    page = page.replace('<meta charset="utf-8">', f'<meta charset="utf-8">\n<title>{html.escape(title)}</title>', 1)
    m = re.search(r"</head>\s*<body>", page)
    if m is None:
        raise VizError("unexpected pyvis page layout: no </head><body>")

    header = [f'<header class="kg-header">\n<h1>{html.escape(title)}</h1>']
    n, e = G.number_of_nodes(), G.number_of_edges()
    summary = f"{n:,} nodes, {e:,} edges"
    if G.graph.get("clusters"):
        summary = (f"{n - G.graph['clusters']:,} nodes and {G.graph['clusters']:,} clusters shown "
                   f"of {G.graph.get('total_nodes', n):,} nodes, {G.graph.get('total_edges', e):,} edges")
    focus = G.graph.get("focus")
    if focus is not None and focus in G:
        summary += f" · around {G.nodes[focus].get('label', focus)} ({G.graph.get('depth', 1)} hops)"
    summary += " · physics on: drag to rearrange" if physics else " · fixed layout (physics off): scroll to zoom"
    header.append(f'<p class="kg-summary">{html.escape(summary)}</p>')
    note = G.graph.get("note")
    if note:
        header.append(f'<p class="kg-note" role="status">{html.escape(str(note))}</p>')
    present = {d.get("class", "Actor") for _, d in G.nodes(data=True)}
    items = [
        f'<li><span class="kg-swatch" style="background:{colour}"></span>{html.escape(name)}</li>'
        for cls, (colour, _, name) in CLASS_STYLES.items()
        if cls in present
    ]
    if any(d.get("type") == "cluster" for _, d in G.nodes(data=True)):
        items.append(f'<li><span class="kg-swatch kg-cluster" style="background:{CLUSTER_STYLE[0]}"></span>'
                     f"{html.escape(CLUSTER_STYLE[2])}</li>")
    header.append('<ul class="kg-legend">' + "".join(items) + "</ul>\n</header>")

    page = (
        page[: m.start()]
        + f"<style>\n{_page_css()}\n</style>\n</head>\n<body>\n"
        + "\n".join(header)
        + "\n"
        + page[m.end() :]
    )
    cut = page.rfind("</body>")
    if cut == -1:
        raise VizError("unexpected pyvis page layout: no </body>")
    page = page[:cut] + f'<script type="text/javascript">\n{_labels_script()}</script>\n' + page[cut:]
    if _loads_remote(page):
        raise VizError("the page would load a remote resource; refusing to write it")
    return page


def write_html(G_or_store: Any, path: str | os.PathLike[str], title: str = "policy-kg network", **kwargs: Any) -> Path:
    """Render a graph (or build one from a store, passing ``kwargs`` to :func:`network_graph`) and write UTF-8.

    >>> import tempfile
    >>> out = write_html(nx.MultiDiGraph(), Path(tempfile.mkdtemp()) / "empty.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    G = G_or_store if isinstance(G_or_store, nx.Graph) else network_graph(G_or_store, **kwargs)
    out = Path(path)
    out.write_text(render_html(G, title=title), encoding="utf-8")
    return out
