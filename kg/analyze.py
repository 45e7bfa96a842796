"""Analytics over the graph with networkx: who is central, where the money goes.

:func:`analyze` reads the store and returns an :class:`Analysis`: the most central actors
(weighted by the money they give and receive and by their fundings, with their links
and betweenness on the same graph the network view draws), funding totals by
funder, recipient, programme and region, and the funding flows
funder → programme → recipient, which :meth:`Analysis.sankey_svg` draws as a Sankey
diagram in plain SVG (no script, every label escaped).

A funding's region is its recipient when that is a region, else the recipient's region,
else the funder (or its region), else the jurisdiction of the report that states it.

>>> from kg.store import open_store
>>> from kg.pipeline import extract_text
>>> from kg.rdfize import rdfize
>>> from kg import ids
>>> st = open_store(":memory:")
>>> st.replace_report(ids.report_iri("demo"), rdfize(extract_text("市财政局下达资金200万元。", "demo"))) > 0
True
>>> a = analyze(st)
>>> [(t.name, str(t.amount), t.fundings) for t in a.by_funder]
[('市财政局', '2000000', 1)]
>>> "<svg" in a.sankey_svg() and "市财政局" in a.sankey_svg()
True
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import networkx as nx
from pyoxigraph import NamedNode

from kg.model import ACTOR_TYPES
from kg.money import format_amount
from kg.query import UNSTATED
from kg.vocab import (
    PKG_NS,
    RDF_NS,
    SKOS_NS,
    SPARQL_PREFIXES,
    local_name,
)

__all__ = ["Analysis", "Total", "CentralActor", "Flow", "analyze", "format_analysis", "format_amount"]

RDF_TYPE = RDF_NS + "type"
# the words tables use for an empty cell (kg.query.UNSTATED): the page and `kg query` say the same
NO_FUNDER = UNSTATED["funder"]
NO_RECIPIENT = UNSTATED["recipient"]
NO_PROGRAM = UNSTATED["program"]
NO_REGION = UNSTATED["region"]


@dataclass(frozen=True)
class Total:
    """Money summed over the fundings of one funder, recipient, programme or region."""

    name: str
    iri: str | None
    amount: Decimal
    fundings: int
    reports: int


@dataclass(frozen=True)
class CentralActor:
    """An actor with the money it gives and receives, its fundings, its links and its betweenness.

    ``money`` (given + received) and ``fundings`` weigh an actor's funding links by amount and
    by count: on a graph of a few reports, where most actors hang off one or two hubs and
    betweenness is 0 for nearly all of them, they are what ranks actors meaningfully.
    """

    iri: str
    label: str
    cls: str
    degree: int
    betweenness: float
    given: Decimal
    received: Decimal
    fundings: int = 0

    @property
    def money(self) -> Decimal:
        """Yuan given and received: the actor's degree weighted by funding amount."""
        return self.given + self.received


@dataclass(frozen=True)
class Flow:
    """Money from one funder through one programme to one recipient (names as shown)."""

    funder: str
    program: str
    recipient: str
    amount: Decimal
    fundings: int


@dataclass
class Analysis:
    """What :func:`analyze` found; plain data (picklable, JSON-able through :meth:`as_dict`)."""

    fundings: int = 0
    total: Decimal = Decimal(0)
    central: list[CentralActor] = field(default_factory=list)
    by_funder: list[Total] = field(default_factory=list)
    by_recipient: list[Total] = field(default_factory=list)
    by_program: list[Total] = field(default_factory=list)
    by_region: list[Total] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    nodes: int = 0
    edges: int = 0
    note: str = ""
    #: whether any listed actor has a betweenness above 0 (if none has, the column says nothing)
    betweenness_shown: bool = False

    def as_dict(self) -> dict[str, Any]:
        def conv(v: Any) -> Any:
            if isinstance(v, Decimal):
                return str(v)
            if isinstance(v, dict):
                return {k: conv(x) for k, x in v.items()}
            if isinstance(v, list):
                return [conv(x) for x in v]
            return v

        return conv(asdict(self))

    def sankey_svg(self, width: int = 960, height: int = 520, top: int = 10) -> str:
        """The flows funder → programme → recipient as an SVG Sankey diagram (inline-safe)."""
        return sankey_svg(self.flows, width=width, height=height, top=top)


# --------------------------------------------------------------------------- reading

_P = SPARQL_PREFIXES

_Q_FUNDINGS = _P + """
SELECT ?f ?g ?amount ?funder ?funderText ?recipient ?recipientText ?program ?programText ?jur WHERE {
  GRAPH ?g {
    ?f a pkg:Funding ; schema:amount ?amount .
    OPTIONAL { ?f schema:funder ?funder }
    OPTIONAL { ?f pkg:funderText ?funderText }
    OPTIONAL { ?f schema:recipient ?recipient }
    OPTIONAL { ?f pkg:recipientText ?recipientText }
    OPTIONAL { ?f pkg:program ?program }
    OPTIONAL { ?f pkg:programText ?programText }
    OPTIONAL { ?g pkg:jurisdiction ?jur }
  }
}"""

def _raw(store: Any) -> Any:
    return getattr(store, "store", store)


def _node_facts(raw: Any, iris: Iterable[str]) -> tuple[dict[str, str], dict[str, str], set[str]]:
    """prefLabel (shortest), own region and region-ness of each IRI.

    Index lookups per IRI: in the union of report graphs an entity's triples repeat once per
    report, so a SPARQL join of label, region and type would multiply those copies.
    """
    label_p, region_p, type_p = NamedNode(SKOS_NS + "prefLabel"), NamedNode(PKG_NS + "region"), NamedNode(RDF_TYPE)
    region_c = NamedNode(PKG_NS + "Region")
    labels: dict[str, str] = {}
    regions: dict[str, str] = {}
    is_region: set[str] = set()
    for x in sorted(set(iris)):
        node = NamedNode(x)
        names = {q.object.value for q in raw.quads_for_pattern(node, label_p, None, None)}
        if names:
            labels[x] = min(names, key=lambda s: (len(s), s))
        for q in raw.quads_for_pattern(node, region_p, None, None):
            regions.setdefault(x, q.object.value)
            break
        for _ in raw.quads_for_pattern(node, type_p, region_c, None):
            is_region.add(x)
            break
    return labels, regions, is_region


def _totals(groups: dict[tuple[str, str | None], list[tuple[str, str, Decimal]]], top: int | None) -> list[Total]:
    out = []
    for (name, iri), items in groups.items():
        out.append(Total(name, iri, sum((a for _, _, a in items), Decimal(0)), len({f for f, _, _ in items}),
                         len({g for _, g, _ in items})))
    out.sort(key=lambda t: (-t.amount, t.name))
    return out[:top] if top else out


def analyze(store: Any, top: int = 15, graph: nx.MultiDiGraph | None = None) -> Analysis:
    """Central actors, funding totals and flows of the graph in ``store`` (KgStore or pyoxigraph Store).

    ``graph`` is the network graph to measure centrality on; by default
    ``kg.viz.network_graph(store, include_text=False)`` (pass one you already have).
    """
    raw = _raw(store)
    fundings: dict[str, dict[str, Any]] = {}
    for row in raw.query(_Q_FUNDINGS, use_default_graph_as_union=True):
        f = row["f"].value
        rec = fundings.get(f)
        if rec is None:
            try:
                amount = Decimal(row["amount"].value)
            except InvalidOperation:
                continue
            rec = fundings[f] = {"g": row["g"].value, "amount": amount}
        for key in ("funder", "funderText", "recipient", "recipientText", "program", "programText", "jur"):
            term = row[key]
            if term is not None and key not in rec:
                rec[key] = term.value
    iris = [v for rec in fundings.values() for k, v in rec.items() if k in ("funder", "recipient", "program", "jur")]
    labels, own_region, is_region = _node_facts(raw, iris)
    labels2, _, _ = _node_facts(raw, own_region.values())
    labels.update({k: v for k, v in labels2.items() if k not in labels})

    def name(rec: dict[str, Any], link: str, text: str, missing: str) -> tuple[str, str | None]:
        iri = rec.get(link)
        if iri is not None:
            return labels.get(iri) or local_name(iri), iri
        if rec.get(text):
            return rec[text], None
        return missing, None

    by: dict[str, dict[tuple[str, str | None], list[tuple[str, str, Decimal]]]] = defaultdict(lambda: defaultdict(list))
    flows: dict[tuple[str, str, str], list[Any]] = defaultdict(lambda: [Decimal(0), 0])
    given: dict[str, Decimal] = defaultdict(Decimal)
    received: dict[str, Decimal] = defaultdict(Decimal)
    funding_count: dict[str, int] = defaultdict(int)
    total = Decimal(0)
    for f, rec in fundings.items():
        amount, g = rec["amount"], rec["g"]
        total += amount
        funder = name(rec, "funder", "funderText", NO_FUNDER)
        recipient = name(rec, "recipient", "recipientText", NO_RECIPIENT)
        program = name(rec, "program", "programText", NO_PROGRAM)
        by["funder"][funder].append((f, g, amount))
        by["recipient"][recipient].append((f, g, amount))
        by["program"][program].append((f, g, amount))
        region = None
        for who in (rec.get("recipient"), rec.get("funder")):
            if who is None:
                continue
            region = who if who in is_region else own_region.get(who)
            if region is not None:
                break
        region = region or rec.get("jur")
        rname = (labels.get(region) or local_name(region), region) if region else (NO_REGION, None)
        by["region"][rname].append((f, g, amount))
        flow = flows[(funder[0], program[0], recipient[0])]
        flow[0] += amount
        flow[1] += 1
        if funder[1]:
            given[funder[1]] += amount
        if recipient[1]:
            received[recipient[1]] += amount
        for who in {funder[1], recipient[1]} - {None}:
            funding_count[who] += 1

    out = Analysis(fundings=len(fundings), total=total)
    out.by_funder = _totals(by["funder"], top)
    out.by_recipient = _totals(by["recipient"], top)
    out.by_program = _totals(by["program"], top)
    out.by_region = _totals(by["region"], top)
    out.flows = sorted((Flow(a, b, c, v[0], v[1]) for (a, b, c), v in flows.items()),
                       key=lambda fl: (-fl.amount, fl.funder, fl.program, fl.recipient))
    if graph is None:
        from kg.viz import network_graph

        graph = network_graph(store, max_nodes=None)  # the graph `kg viz` and /network draw
    _centrality(graph, out, given, received, funding_count, top)
    return out


def _centrality(G: nx.MultiDiGraph, out: Analysis, given: dict[str, Decimal], received: dict[str, Decimal],
                funding_count: dict[str, int], top: int) -> None:
    U = nx.Graph()
    U.add_nodes_from(G.nodes)
    U.add_edges_from((u, v) for u, v in G.edges() if u != v)
    # counted as the network view counts them (its header says "N nodes, E edges")
    out.nodes, out.edges = G.number_of_nodes(), G.number_of_edges()
    if U.number_of_nodes() == 0:
        return
    n = U.number_of_nodes()
    if n > 2000:
        k = 64 if n <= 10_000 else 32
        between = nx.betweenness_centrality(U, k=k, seed=7, normalized=True)
        out.note = f"betweenness estimated from {k} sampled sources ({n:,} nodes)"
    else:
        between = nx.betweenness_centrality(U, normalized=True)
    actor_classes = {*ACTOR_TYPES, "Actor"}
    rows = []
    for node, d in G.nodes(data=True):
        if d.get("class") not in actor_classes:
            continue
        rows.append(CentralActor(
            iri=node, label=str(d.get("label", node)), cls=d.get("class", "Actor"), degree=U.degree(node),
            betweenness=round(between.get(node, 0.0), 6), given=given.get(node, Decimal(0)),
            received=received.get(node, Decimal(0)), fundings=funding_count.get(node, 0),
        ))
    # weighted degree first (money, then number of fundings), then links, then betweenness
    rows.sort(key=lambda r: (-r.money, -r.fundings, -r.degree, -r.betweenness, r.label))
    out.central = rows[:top]
    out.betweenness_shown = any(r.betweenness > 0 for r in out.central)


# --------------------------------------------------------------------------- Sankey

_PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
            "#9c755f", "#bab0ac", "#86bcb6", "#d37295")


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def _clip(text: str, n: int = 18) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _top_names(values: dict[str, Decimal], top: int) -> tuple[list[str], str | None]:
    names = sorted(values, key=lambda k: (-values[k], k))
    if len(names) <= top:
        return names, None
    return names[: top - 1], f"其他 {len(names) - top + 1} 项"


def sankey_svg(flows: Iterable[Flow], width: int = 960, height: int = 520, top: int = 10) -> str:
    """Draw flows funder → programme → recipient as a three-column Sankey diagram in SVG.

    Node heights and band widths are proportional to money; each column keeps its ``top``
    largest names and folds the rest into one "其他 N 项" node. Labels and tooltips are
    escaped text; the SVG carries no script and no style attribute.

    >>> svg = sankey_svg([Flow("<b>甲</b>", "项目", "乙", Decimal(100), 1)])
    >>> "&lt;b&gt;甲&lt;/b&gt;" in svg and "<b>" not in svg
    True
    """
    flows = [f for f in flows if f.amount > 0]
    if not flows:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" class="sankey" viewBox="0 0 {width} 60" width="{width}" '
                'height="60" role="img" aria-label="no funding flows"><text x="10" y="35" font-size="14">'
                "没有可绘制的资金流向 No funding flows to draw.</text></svg>")
    cols: list[dict[str, Decimal]] = [defaultdict(Decimal), defaultdict(Decimal), defaultdict(Decimal)]
    for f in flows:
        for i, key in enumerate((f.funder, f.program, f.recipient)):
            cols[i][key] += f.amount
    keep: list[dict[str, str]] = []
    for col in cols:
        names, other = _top_names(col, top)
        mapping = {n: n for n in names}
        for n in col:
            if n not in mapping:
                mapping[n] = other or n
        keep.append(mapping)
    # merged flows on the kept names
    merged: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for f in flows:
        merged[(keep[0][f.funder], keep[1][f.program], keep[2][f.recipient])] += f.amount
    col_values: list[dict[str, Decimal]] = [defaultdict(Decimal) for _ in range(3)]
    for (a, b, c), v in merged.items():
        col_values[0][a] += v
        col_values[1][b] += v
        col_values[2][c] += v
    margin_top, margin_bottom, pad, node_w = 30, 10, 10, 14
    label_w = 190
    inner_h = height - margin_top - margin_bottom
    total = float(sum(col_values[0].values()))
    scale = min((inner_h - pad * (len(cv) - 1)) / total for cv in col_values)
    xs = [label_w, (width - node_w) / 2, width - label_w - node_w]
    positions: list[dict[str, tuple[float, float]]] = []
    for cv in col_values:
        order = sorted(cv, key=lambda k: (k.startswith("其他 ") or k.startswith("（"), -cv[k], k))
        y = margin_top
        pos = {}
        for name in order:
            h = max(float(cv[name]) * scale, 2.0)
            pos[name] = (y, h)
            y += h + pad
        positions.append(pos)
    colour = {name: _PALETTE[i % len(_PALETTE)] for i, name in enumerate(positions[0])}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sankey" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="资金流向 funding flows" font-family="sans-serif" font-size="12">',
        '<text x="{0}" y="16" font-weight="bold">出资方 Funder</text>'.format(xs[0] - 4 - 110),
        '<text x="{0}" y="16" font-weight="bold" text-anchor="middle">项目 Programme</text>'.format(xs[1] + node_w / 2),
        '<text x="{0}" y="16" font-weight="bold" text-anchor="end">接收方 Recipient</text>'.format(xs[2] + node_w + 110),
    ]

    def band(x0: float, y0: float, x1: float, y1: float, w: float, fill: str, tip: str) -> str:
        xm = (x0 + x1) / 2
        d = (f"M{x0:.1f},{y0:.1f} C{xm:.1f},{y0:.1f} {xm:.1f},{y1:.1f} {x1:.1f},{y1:.1f} "
             f"L{x1:.1f},{y1 + w:.1f} C{xm:.1f},{y1 + w:.1f} {xm:.1f},{y0 + w:.1f} {x0:.1f},{y0 + w:.1f} Z")
        return f'<path d="{d}" fill="{fill}" fill-opacity="0.42" stroke="none"><title>{_esc(tip)}</title></path>'

    # bands: stack links at each node in the order of the other end's position
    for stage in (0, 1):
        pair: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        source_of: dict[tuple[str, str], str] = {}
        for (a, b, c), v in merged.items():
            key = (a, b) if stage == 0 else (b, c)
            pair[key] += v
            source_of.setdefault(key, a)
        src_pos, dst_pos = positions[stage], positions[stage + 1]
        out_off = {k: 0.0 for k in src_pos}
        in_off = {k: 0.0 for k in dst_pos}
        for (s, t) in sorted(pair, key=lambda k: (src_pos[k[0]][0], dst_pos[k[1]][0])):
            w = max(float(pair[(s, t)]) * scale, 1.0)
            y0 = src_pos[s][0] + out_off[s]
            y1 = dst_pos[t][0] + in_off[t]
            out_off[s] += w
            in_off[t] += w
            fill = colour.get(source_of[(s, t)], "#999999") if stage == 0 else "#8c8c8c"
            if stage == 1:
                fill = colour.get(max(((a, v) for (a, b, c), v in merged.items() if b == s),
                                      key=lambda av: av[1])[0], "#8c8c8c")
            tip = f"{s} → {t}: {format_amount(pair[(s, t)])}"
            parts.append(band(xs[stage] + node_w, y0, xs[stage + 1], y1, w, fill, tip))
    for i, pos in enumerate(positions):
        for name, (y, h) in pos.items():
            fill = colour.get(name, "#6b6b6b") if i == 0 else "#6b6b6b"
            amount = format_amount(col_values[i][name])
            parts.append(f'<rect x="{xs[i]:.1f}" y="{y:.1f}" width="{node_w}" height="{h:.1f}" fill="{fill}">'
                         f"<title>{_esc(name)}: {_esc(amount)}</title></rect>")
            label = f"{_clip(name)} {amount}"
            ty = y + h / 2 + 4
            if i == 0:
                parts.append(f'<text x="{xs[i] - 6:.1f}" y="{ty:.1f}" text-anchor="end">{_esc(label)}</text>')
            elif i == 2:
                parts.append(f'<text x="{xs[i] + node_w + 6:.1f}" y="{ty:.1f}">{_esc(label)}</text>')
            else:
                parts.append(f'<text x="{xs[i] + node_w + 4:.1f}" y="{ty:.1f}" font-size="11">{_esc(label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


# --------------------------------------------------------------------------- text


def _table(headers: list[str], rows: list[list[str]]) -> str:
    import unicodedata

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    cells = [headers] + rows
    widths = [max(width(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, r in enumerate(cells):
        lines.append("  ".join(c + " " * (w - width(c)) for c, w in zip(r, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_analysis(a: Analysis) -> str:
    """The analysis as plain-text tables (for ``kg analyze``)."""
    out = [f"fundings: {a.fundings}  total: {format_amount(a.total)} ({a.total} CNY)  "
           f"graph: {a.nodes} nodes, {a.edges} edges" + (f"  ({a.note})" if a.note else ""), ""]
    out.append("Most central actors (money given and received, fundings, links on the network view's graph)")
    headers = ["actor", "type", "money", "fundings", "links", "gives", "receives"]
    headers += ["betweenness"] if a.betweenness_shown else []
    out.append(_table(headers, [
        [c.label, c.cls, format_amount(c.money) if c.money else "", str(c.fundings), str(c.degree),
         format_amount(c.given) if c.given else "", format_amount(c.received) if c.received else ""]
        + ([f"{c.betweenness:.4f}" if c.betweenness else ""] if a.betweenness_shown else [])
        for c in a.central]))
    for title, rows in (("funder", a.by_funder), ("recipient", a.by_recipient), ("programme", a.by_program),
                        ("region", a.by_region)):
        out += ["", f"Funding by {title}"]
        out.append(_table([title, "total", "CNY", "fundings", "reports"], [
            [t.name, format_amount(t.amount), str(t.amount), str(t.fundings), str(t.reports)] for t in rows]))
    out += ["", "Largest flows (funder → programme → recipient)"]
    out.append(_table(["funder", "programme", "recipient", "total"], [
        [f.funder, f.program, f.recipient, format_amount(f.amount)] for f in a.flows[:15]]))
    return "\n".join(out)
