"""Browsable network view of the knowledge graph: networkx graph from SPARQL, offline pyvis page.

:func:`network_graph` reads the store with SPARQL (the union of the report graphs; a
``report=`` restriction is bound with a substitution, never pasted into the query) and
returns a :class:`networkx.MultiDiGraph`:

- nodes are IRIs of actors (7 classes), regions, programmes, documents, fundings and, with
  ``include_reports=True``, reports; a funder, recipient, programme, issuer, agent or
  measure object that the report only states as text becomes a ``"text:" + name`` node of
  class ``Text`` (``include_text=False`` leaves those out);
- node attributes: ``label``, ``class`` (local name), ``type`` (actor, region, programme,
  document, funding, report, text), ``evidence`` (one sentence), ``reports`` (ids), and
  where known ``amount`` (Decimal yuan), ``kind``, ``level``, ``code``, ``year``,
  ``count``, ``count_unit``, ``post``;
- edges are keyed by relation: funder (funder→funding), recipient and program
  (funding→…), region (actor/programme→region), partOf (region→parent), issuer
  (document→issuer), a measure action such as held or issued (agent→object),
  mentionedIn (entity→report) and jurisdiction (report→region); attributes ``rel``,
  ``label``, ``reports``, ``evidence``;
- ``G.graph``: ``note`` ("" unless nodes were hidden), ``total_nodes``, ``total_edges``,
  ``hidden_nodes``, ``hidden_edges``, ``clusters``, ``clustered_nodes``, and
  ``focus``/``depth`` for a neighbourhood.

A graph larger than ``max_nodes`` is reduced: the most connected nodes stay, every other
node is collapsed into a cluster node (``type="cluster"``, ``size``, ``members_by_class``,
``anchor``: the nearest shown node) and hidden edges touching a cluster become one
``cluster`` link per pair with a ``count``; such a page is drawn still, from positions
computed here. For a whole store only the nodes and edges are read first and details for
the nodes shown, so a store of 10^5 nodes (9 million quads) is not decoded in full; its
fundings (~90 % of the nodes) are read as one weighted pseudo-node per distinct (funder,
recipient, programme), counted as their members everywhere, and only the few fundings a
cluster's tooltip names are looked up.

:func:`render_html` turns such a graph into one self-contained page (vis-network inlined,
nothing fetched from the network); :func:`write_html` writes it as UTF-8. Names are
canvas labels (never parsed as HTML) embedded by Jinja's ``tojson``, which escapes ``<``,
``>``, ``&`` and ``'``; tooltips are plain text, HTML-escaped, with every ``href`` broken
up so that pyvis keeps vis-network's ``innerText`` tooltips instead of its ``innerHTML``
popup; pyvis's ``heading`` is not used and its remote Bootstrap tags are removed.
"""

from __future__ import annotations

import html
import math
import os
import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote

import networkx as nx
from pyoxigraph import Literal, NamedNode, QueryResultsFormat, Store, Variable

from kg import ids
from kg.errors import KgError
from kg.model import ACTOR_TYPES
from kg.money import format_amount
from kg.resources import project_root
from kg.vocab import (
    PKG_NS,
    SPARQL_PREFIXES,
    local_name,
)

__all__ = [
    "network_graph",
    "render_html",
    "write_html",
    "format_amount",
    "VizError",
    "CLASS_STYLES",
    "EDGE_LABELS",
    "PHYSICS_LIMIT",
]


class VizError(KgError, ValueError):
    """A network view cannot be built as asked (unknown focus, bad limits)."""


#: Graphs with fewer nodes than this are drawn with physics on; larger ones get fixed positions.
PHYSICS_LIMIT = 300
#: Stabilization iterations vis-network may spend before it first draws a physics graph.
STABILIZATION_ITERATIONS = 200
_LABEL_MAX = 24
_EVIDENCE_MAX = 300
TEXT_PREFIX = "text:"

#: class local name -> (colour, shape, legend label); the order is the legend order.
CLASS_STYLES: dict[str, tuple[str, str, str]] = {
    "GovernmentAgency": ("#4e79a7", "dot", "政府机构 Government agency"),
    "PartyOrganization": ("#e15759", "dot", "党组织 Party organisation"),
    "Enterprise": ("#f28e2b", "dot", "企业 Enterprise"),
    "FinancialInstitution": ("#edc948", "dot", "金融机构 Financial institution"),
    "Cooperative": ("#59a14f", "dot", "合作社 Cooperative"),
    "SocialOrganization": ("#b07aa1", "dot", "社会组织 Social organisation"),
    "Person": ("#ff9da7", "dot", "个人 Person"),
    "Actor": ("#9c755f", "dot", "主体（未分类）Actor"),
    "Region": ("#76b7b2", "triangle", "行政区域 Region"),
    "Program": ("#8cd17d", "star", "项目 Programme"),
    "PolicyDocument": ("#86bcb6", "square", "政策文件 Policy document"),
    "Funding": ("#d37295", "diamond", "资金 Funding"),
    "Report": ("#79706e", "box", "报告 Report"),
    "Text": ("#d7d7d7", "dot", "未链接名称 Stated text"),
}

#: Cluster nodes (hidden nodes collapsed in a reduced view): colour of a mixed cluster, shape, legend label.
#: A cluster of one class keeps that class's colour; every cluster gets a dashed border.
CLUSTER_STYLE = ("#bab0ac", "hexagon", "折叠群 Collapsed cluster (+N hidden nodes)")

_TYPE_OF_CLASS = {t: "actor" for t in (*ACTOR_TYPES, "Actor")} | {
    "Region": "region",
    "Program": "programme",
    "PolicyDocument": "document",
    "Funding": "funding",
    "Report": "report",
    "Text": "text",
}
# When a node carries several classes, the first of this list wins.
_CLASS_PRIORITY = {c: i for i, c in enumerate(CLASS_STYLES)}
# Node class from the IRI path, for a link target that carries no class of its own.
_CLASS_OF_PATH = {
    "actor": "Actor",
    "region": "Region",
    "program": "Program",
    "document": "PolicyDocument",
    "funding": "Funding",
    "report": "Report",
}

#: relation -> label drawn on the edge.
EDGE_LABELS: dict[str, str] = {
    "funder": "出资",
    "recipient": "接收",
    "program": "项目",
    "region": "属于",
    "partOf": "隶属",
    "issuer": "发文",
    "issued": "印发",
    "held": "召开",
    "launched": "启动",
    "signed": "签订",
    "disbursed": "发放",
    "established": "建立",
    "mentionedIn": "见于",
    "jurisdiction": "辖区",
}

# --- SPARQL ----------------------------------------------------------------------------
# Every query projects ?g, the report graph, so that ``report=`` can bind it (pyoxigraph
# substitutes projected variables only) and every fact knows its reports.

_PREFIXES = SPARQL_PREFIXES

_Q_REPORTS = _PREFIXES + """
SELECT ?g ?rid ?title WHERE {
  GRAPH ?g { ?g a pkg:Report . OPTIONAL { ?g dcterms:identifier ?rid } OPTIONAL { ?g dcterms:title ?title } }
}"""

_Q_TYPES = _PREFIXES + """
SELECT ?g ?s ?cls WHERE {
  GRAPH ?g {
    ?s a ?cls .
    VALUES ?cls { pkg:Actor pkg:GovernmentAgency pkg:PartyOrganization pkg:Enterprise
                  pkg:FinancialInstitution pkg:Cooperative pkg:SocialOrganization pkg:Person
                  pkg:Region pkg:Program pkg:PolicyDocument pkg:Funding }
  }
}"""

_Q_LABELS = _PREFIXES + """
SELECT ?g ?s ?label WHERE { GRAPH ?g { ?s skos:prefLabel|dcterms:title ?label } }"""

_Q_ATTRS = _PREFIXES + """
SELECT ?g ?s ?p ?o WHERE {
  GRAPH ?g {
    ?s ?p ?o .
    VALUES ?p { schema:amount pkg:fundingKind pkg:level pkg:divisionCode pkg:year pkg:count
                pkg:countUnit pkg:post }
  }
}"""

_Q_EVIDENCE = _PREFIXES + """
SELECT ?g ?s ?text WHERE {
  GRAPH ?g {
    ?s prov:wasDerivedFrom ?m .
    ?m pkg:surface ?surface .
    OPTIONAL { ?m pkg:sentence ?sentence . ?sentence pkg:text ?sentenceText }
  }
  BIND(COALESCE(?sentenceText, ?surface) AS ?text)
}"""

# Links (object is a node) and their text fallbacks (object is the stated name).
_Q_LINKS = _PREFIXES + """
SELECT ?g ?s ?p ?o WHERE {
  GRAPH ?g {
    ?s ?p ?o .
    VALUES ?p { schema:funder pkg:funderText schema:recipient pkg:recipientText pkg:program
                pkg:programText pkg:issuer pkg:issuerText pkg:region pkg:partOf }
  }
}"""
# predicate local name -> (relation, the subject is the edge's source?)
_LINKS = {
    "funder": ("funder", False),  # funder -> funding
    "funderText": ("funder", False),
    "recipient": ("recipient", True),  # funding -> recipient
    "recipientText": ("recipient", True),
    "program": ("program", True),  # funding -> programme
    "programText": ("program", True),
    "issuer": ("issuer", True),  # document -> issuer
    "issuerText": ("issuer", True),
    "region": ("region", True),  # actor or programme -> region
    "partOf": ("partOf", True),  # region -> enclosing region
}

_Q_MEASURES = _PREFIXES + """
SELECT ?g ?m ?action ?a ?atext ?b ?btext WHERE {
  GRAPH ?g {
    ?m a pkg:Measure ; pkg:action ?action .
    OPTIONAL { ?m pkg:agent ?a }
    OPTIONAL { ?m pkg:agentText ?atext }
    OPTIONAL { ?m pkg:object ?b }
    OPTIONAL { ?m pkg:objectText ?btext }
  }
}"""

_Q_MENTIONED = _PREFIXES + """
SELECT ?g ?a WHERE { GRAPH ?g { ?a prov:hadPrimarySource ?g } }"""

_Q_JURISDICTION = _PREFIXES + """
SELECT ?g ?b WHERE { GRAPH ?g { ?g pkg:jurisdiction ?b } }"""


def _value(term: Any) -> str | None:
    return None if term is None else term.value


def _run(raw_store: Any, sparql: str, graph: NamedNode | None) -> Iterable[Any]:
    subs = {Variable("g"): graph} if graph is not None else None
    return raw_store.query(sparql, use_default_graph_as_union=True, substitutions=subs)


class _Builder:
    """Collects nodes and edges row by row, merging what several reports say."""

    def __init__(self, report_ids: dict[str, str]) -> None:
        self.report_ids = report_ids
        self.classes: dict[str, set[str]] = defaultdict(set)  # the nodes of the graph
        self.labels: dict[str, set[str]] = defaultdict(set)
        self.reports: dict[str, set[str]] = defaultdict(set)
        self.attrs: dict[str, dict[str, Any]] = defaultdict(dict)
        self.evidence: dict[str, set[str]] = defaultdict(set)
        self.edges: dict[tuple[str, str, str], dict[str, Any]] = {}

    def rid(self, g: str) -> str:
        return self.report_ids.get(g) or unquote(local_name(g))

    def node(self, iri: str, g: str, cls: str | None = None) -> None:
        classes = self.classes[iri]
        if cls:
            classes.add(cls)
        self.reports[iri].add(self.rid(g))

    def text_node(self, text: str, g: str, evidence: str | None) -> str:
        key = TEXT_PREFIX + text
        self.node(key, g, "Text")
        self.labels[key].add(text)
        if evidence:
            self.evidence[key].add(evidence)
        return key

    def edge(self, u: str, v: str, rel: str, g: str, evidence: str | None = None) -> None:
        if u == v:
            return
        data = self.edges.get((u, v, rel))
        if data is None:
            data = self.edges[(u, v, rel)] = {"reports": set(), "evidence": set()}
        data["reports"].add(self.rid(g))
        if evidence:
            data["evidence"].add(evidence)
        self.node(u, g)
        self.node(v, g)

    def pick_evidence(self, iri: str | None) -> str | None:
        return _pick(self.evidence.get(iri, set())) if iri else None


def _class_from_iri(iri: str) -> str:
    if iri.startswith(ids.ID):
        return _CLASS_OF_PATH.get(iri[len(ids.ID) :].split("/", 1)[0], "Actor")
    return "Actor"


def _pick(values: set[str]) -> str | None:
    """One deterministic choice: the shortest, then alphabetically first."""
    return min(values, key=lambda v: (len(v), v)) if values else None


def _graph_from_store(
    store: Any, include_reports: bool, include_text: bool, report: str | None
) -> nx.MultiDiGraph:
    raw_store = getattr(store, "store", store)
    graph = None
    if report is not None:
        graph = NamedNode(report if "://" in report else ids.report_iri(report))

    report_ids: dict[str, str] = {}
    report_titles: dict[str, str] = {}
    for row in _run(raw_store, _Q_REPORTS, graph):
        g = row["g"].value
        report_ids[g] = row["rid"].value if row["rid"] is not None else unquote(local_name(g))
        if row["title"] is not None:
            report_titles[g] = row["title"].value
    if graph is not None and graph.value not in report_ids:
        raise VizError(f"report '{report}' is not in the store")
    b = _Builder(report_ids)

    for row in _run(raw_store, _Q_TYPES, graph):
        b.node(row["s"].value, row["g"].value, local_name(row["cls"].value))
    for row in _run(raw_store, _Q_LABELS, graph):
        b.labels[row["s"].value].add(row["label"].value)
    for row in _run(raw_store, _Q_ATTRS, graph):
        s, p, o = row["s"].value, local_name(row["p"].value), row["o"].value
        if p == "amount":
            try:
                b.attrs[s]["amount"] = Decimal(o)
            except InvalidOperation:
                b.attrs[s]["amount"] = o
        elif p in ("fundingKind", "level"):
            b.attrs[s]["kind" if p == "fundingKind" else "level"] = local_name(o)
        elif p == "count":
            b.attrs[s]["count"] = int(o) if o.lstrip("-").isdigit() else o
        else:
            b.attrs[s]["code" if p == "divisionCode" else "count_unit" if p == "countUnit" else p] = o
    for row in _run(raw_store, _Q_EVIDENCE, graph):
        b.evidence[row["s"].value].add(row["text"].value)

    for row in _run(raw_store, _Q_LINKS, graph):
        g, s, p, o = row["g"].value, row["s"].value, local_name(row["p"].value), row["o"]
        rel, forward = _LINKS[p]
        if isinstance(o, Literal):
            if not include_text:
                continue
            target = b.text_node(o.value, g, b.pick_evidence(s))
        else:
            target = o.value
        if forward:
            b.edge(s, target, rel, g)
        else:
            b.edge(target, s, rel, g)

    for row in _run(raw_store, _Q_MEASURES, graph):
        g, evidence = row["g"].value, b.pick_evidence(row["m"].value)
        a, obj = _value(row["a"]), _value(row["b"])
        if a is None:
            if not include_text or row["atext"] is None:
                continue  # nobody acts: no edge to draw
            a = b.text_node(row["atext"].value, g, evidence)
        if obj is None:
            if not include_text or row["btext"] is None:
                continue
            obj = b.text_node(row["btext"].value, g, evidence)
        b.edge(a, obj, row["action"].value, g, evidence)

    if include_reports:
        for g, rid in report_ids.items():
            b.node(g, g, "Report")
            b.labels[g].add(report_titles.get(g) or rid)
        for row in _run(raw_store, _Q_MENTIONED, graph):
            a, g = row["a"].value, row["g"].value
            if b.classes.get(a):  # typed entities and fundings, not measures or evidence
                b.edge(a, g, "mentionedIn", g)
        for row in _run(raw_store, _Q_JURISDICTION, graph):
            b.edge(row["g"].value, row["b"].value, "jurisdiction", row["g"].value)

    G = nx.MultiDiGraph()
    for iri in sorted(b.classes):
        classes = b.classes[iri] or {_class_from_iri(iri)}
        cls = min(classes, key=lambda c: _CLASS_PRIORITY.get(c, len(_CLASS_PRIORITY)))
        if cls == "Report" and not include_reports:
            continue
        label = _pick(b.labels.get(iri, set()))
        if label is None:
            label = unquote(local_name(iri)) if "://" in iri else iri
        data: dict[str, Any] = {
            "label": label,
            "class": cls,
            "type": _TYPE_OF_CLASS.get(cls, "actor"),
            "evidence": b.pick_evidence(iri),
            "reports": sorted(b.reports.get(iri, ())),
        }
        data.update(b.attrs.get(iri, {}))
        G.add_node(iri, **data)
    for (u, v, rel), d in sorted(b.edges.items()):
        if u in G and v in G:
            G.add_edge(
                u, v, key=rel, rel=rel, label=EDGE_LABELS.get(rel, rel),
                reports=sorted(d["reports"]), evidence=_pick(d["evidence"]),
            )
    return G


def _resolve_focus(G: nx.MultiDiGraph, focus: str) -> str:
    if focus in G:
        return focus
    matches = sorted(n for n, d in G.nodes(data=True) if d.get("label") == focus)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise VizError(f"focus '{focus}' names {len(matches)} nodes; give one IRI: {', '.join(matches[:5])}")
    raise VizError(f"focus '{focus}' is not a node of the graph (give a node IRI or an exact label)")


# --- reduced view: the most connected nodes, the rest collapsed into clusters ------------

#: Share of ``max_nodes`` kept for cluster nodes when a view is reduced (at least one).
CLUSTER_SHARE = 0.2
#: Cluster nodes name up to this many of their members (the best connected) in the tooltip.
_CLUSTER_SAMPLE = 5
CLUSTER_PREFIX = "cluster:"


def _short_class(cls: str) -> str:
    """The Chinese part of a class's legend label (``资金`` for Funding)."""
    return CLASS_STYLES.get(cls, (None, None, cls))[2].split(" ")[0].split("（")[0]


def _collapse(
    classes: dict[str, str],
    edges: list[tuple[str, str, str]],
    max_nodes: int,
    focus: str | None = None,
    labels: dict[str, str] | None = None,
    weights: dict[str, int] | None = None,
) -> dict[str, Any] | None:
    """Choose the nodes to show and collapse every other node into a cluster (pure Python, O(V + E)).

    Keeps the best-connected nodes (nearest hops first around ``focus``), leaving
    ``CLUSTER_SHARE`` of ``max_nodes`` for clusters. Each hidden node joins the cluster of
    (nearest kept node, its class), found by one breadth-first search started from all kept
    nodes in rank order, so ties go to the better-connected node; nodes no kept node reaches
    are grouped by class. The largest clusters get a node each; if there are more than fit,
    the rest share one "other" cluster. Deterministic: everything is ordered by rank or IRI.

    ``weights`` marks pseudo-nodes standing for that many nodes with the same neighbours
    (fundings read grouped), named by their first member's IRI: an edge to one counts
    once per member, and its members share one rank position, anchor and cluster. Returns
    None if a pseudo-node would be shown (its members must then be read one by one).
    """
    labels = labels or {}
    weights = weights or {}
    adj: dict[str, list[str]] = {n: [] for n in classes}
    degree: Counter[str] = Counter()
    for u, v, _ in edges:
        degree[u] += weights.get(v, 1)
        degree[v] += weights.get(u, 1)
        adj[u].append(v)
        adj[v].append(u)
    dist: dict[str, int] = {}
    if focus is not None:
        dist = {focus: 0}
        todo = deque([focus])
        while todo:
            x = todo.popleft()
            for y in adj[x]:
                if y not in dist:
                    dist[y] = dist[x] + 1
                    todo.append(y)
    far = len(classes) + 1

    def key(v: str) -> tuple[Any, ...]:
        return (v != focus, dist.get(v, far) if focus is not None else 0, -degree[v],
                _CLASS_PRIORITY.get(classes[v], 99), labels.get(v, ""), v)

    order = sorted(classes, key=key)
    n_keep = max(1, max_nodes - max(1, int(max_nodes * CLUSTER_SHARE)))
    kept = order[:n_keep]
    if any(v in weights for v in kept):
        return None
    rank = {v: i for i, v in enumerate(order)}
    anchor: dict[str, str | None] = {v: v for v in kept}
    todo = deque(kept)
    while todo:
        x = todo.popleft()
        # sort only the unreached neighbours: most nodes are leaves whose one neighbour is reached
        fresh = [y for y in adj[x] if y not in anchor]
        if len(fresh) > 1:
            fresh = sorted(set(fresh), key=rank.__getitem__)
        for y in fresh:
            anchor[y] = anchor[x]
            todo.append(y)
    groups: dict[tuple[str | None, str], list[str]] = defaultdict(list)
    for v in order[n_keep:]:  # rank order: each group's members are listed best connected first
        groups[(anchor.get(v), classes[v])].append(v)
    slots = max(1, max_nodes - n_keep)
    size = {k: sum(weights.get(m, 1) for m in ms) for k, ms in groups.items()}
    ranked = sorted(groups.items(), key=lambda kv: (-size[kv[0]], rank[kv[0][0]] if kv[0][0] else far, kv[0][1]))
    if len(ranked) > slots:
        named, rest = ranked[: slots - 1], ranked[slots - 1 :]
    else:
        named, rest = ranked, []
    clusters = []
    for (a, cls), members in named:
        n = size[(a, cls)]
        clusters.append({"anchor": a, "classes": Counter({cls: n}), "members": members, "size": n})
    if rest:
        mixed: Counter[str] = Counter()
        members = []
        for k, ms in rest:
            mixed[k[1]] += size[k]
            members.extend(ms)
        members.sort(key=rank.__getitem__)
        clusters.append({"anchor": None, "classes": mixed, "members": members, "size": sum(mixed.values())})
    return {"kept": kept, "clusters": clusters, "degree": degree, "key": key}


def _samples(plan: dict[str, Any], weights: dict[str, int],
             members_of: Callable[[dict[str, int]], dict[str, list[str]]] | None) -> list[list[str]]:
    """The best-ranked members of each cluster, pseudo-nodes expanded into their real members.

    A cluster's best members all lie in its first entries (a pseudo-node ranks as its
    first member, so the i-th entry adds at most ``_CLUSTER_SAMPLE - i`` of them): only
    pseudo-nodes among the first ``_CLUSTER_SAMPLE - 1`` entries are expanded, with one call.
    """
    heads = [c["members"][:_CLUSTER_SAMPLE] for c in plan["clusters"]]
    wanted = {m: _CLUSTER_SAMPLE - i for head in heads for i, m in enumerate(head[: _CLUSTER_SAMPLE - 1])
              if weights.get(m, 1) > 1}
    expanded = members_of(wanted) if wanted and members_of is not None else {}
    key = plan["key"]
    out = []
    for head in heads:
        # a member ranks as its pseudo-node does, then by IRI
        ranked = sorted((key(m)[:-1], x) for m in head for x in expanded.get(m, [m]))
        out.append([x for _, x in ranked[:_CLUSTER_SAMPLE]])
    return out


def _cluster_node(c: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """A cluster node's attributes: label "+size class", a plain-text description naming a few members."""
    size = c["size"]
    classes: Counter[str] = Counter(c["classes"])
    cls, _ = classes.most_common(1)[0]
    mixed = len(classes) > 1
    anchor = labels.get(c["anchor"], c["anchor"]) if c["anchor"] else None
    kinds = ", ".join(f"{k:,} {CLASS_STYLES.get(name, (None, None, name))[2]}"
                      for name, k in sorted(classes.items(), key=lambda kv: (-kv[1], kv[0])))
    sample = [labels.get(m) or m for m in c["sample"]]
    text = (f"{size:,} nodes collapsed into this cluster ({kinds})"
            + (f", nearest shown node: {anchor}" if anchor else ", not connected to any shown node")
            + f". For example: {'、'.join(sample)}{' …' if size > len(sample) else ''}")
    return {
        "label": f"+{size:,} {'其他 other' if mixed else _short_class(cls)}",
        "class": "Cluster" if mixed else cls,
        "type": "cluster",
        "size": size,
        "members_by_class": dict(classes),
        "anchor": c["anchor"],
        "sample": list(c["sample"]),
        "evidence": text,
        "reports": [],
    }


def _collapsed_graph(
    classes: dict[str, str],
    edges: list[tuple[str, str, str]],
    max_nodes: int,
    focus: str | None,
    labels: dict[str, str],
    graph_attrs: dict[str, Any],
    weights: dict[str, int] | None = None,
    members_of: Callable[[dict[str, int]], dict[str, list[str]]] | None = None,
) -> tuple[nx.MultiDiGraph, list[tuple[str, str, str]]] | None:
    """The reduced view as a MultiDiGraph (kept nodes with their class only, cluster nodes,
    cluster links) and the original edges between kept nodes (their attributes come later).

    ``weights`` and ``members_of`` describe pseudo-nodes (see :func:`_collapse`); every count
    is that of the real nodes and edges. None if a pseudo-node would be shown.
    """
    weights = weights or {}
    n = len(classes) + sum(w - 1 for w in weights.values())
    e = sum(weights.get(u, 1) * weights.get(v, 1) for u, v, _ in edges)
    plan = _collapse(classes, edges, max_nodes, focus, labels, weights)
    if plan is None:
        return None
    kept = plan["kept"]
    where = {v: v for v in kept}
    H = nx.MultiDiGraph()
    H.graph.update(graph_attrs)
    for v in kept:
        H.add_node(v, **{"class": classes[v]})
    for i, (c, sample) in enumerate(zip(plan["clusters"], _samples(plan, weights, members_of))):
        cid = f"{CLUSTER_PREFIX}{i}"
        H.add_node(cid, **_cluster_node({"size": c["size"], "anchor": c["anchor"], "classes": c["classes"],
                                         "sample": sample}, labels))
        for m in c["members"]:
            where[m] = cid
    kept_edges = []
    links: Counter[tuple[str, str]] = Counter()
    for u, v, rel in edges:
        a, b = where[u], where[v]
        if u == a and v == b:
            kept_edges.append((u, v, rel))
        elif a != b:
            links[(a, b)] += weights.get(u, 1) * weights.get(v, 1)
    for (a, b), k in sorted(links.items()):
        H.add_edge(a, b, key="cluster", rel="cluster", label="", count=k, reports=[], evidence=None,
                   summary=f"{k:,} edge(s) between {H.nodes[a].get('label', a)} and {H.nodes[b].get('label', b)}")
    hidden = n - len(kept)
    in_links = sum(links.values())
    hidden_edges = e - len(kept_edges)
    H.graph.update(
        total_nodes=n, total_edges=e, hidden_nodes=hidden, hidden_edges=hidden_edges,
        clusters=len(plan["clusters"]), clustered_nodes=hidden, cluster_links=len(links),
        note=(
            f"Reduced view: showing the {len(kept):,} most connected of {n:,} nodes"
            f"{' (nearest to the focus first)' if focus is not None else ''} and {len(kept_edges):,} of "
            f"{e:,} edges; {hidden:,} nodes and {hidden_edges:,} edges are hidden. The hidden nodes are "
            f"collapsed into {len(plan['clusters']):,} cluster nodes (“+N …”, each grouped with its nearest "
            f"shown node); {in_links:,} of the hidden edges touch a cluster and are drawn as "
            f"{len(links):,} cluster links, the other {hidden_edges - in_links:,} lie inside clusters. "
            "Raise max_nodes, or focus on a node, to see more."
        ),
    )
    return H, kept_edges


def _reduce(G: nx.MultiDiGraph, max_nodes: int, focus: str | None) -> nx.MultiDiGraph:
    """Keep the most connected nodes of a built graph and collapse the others into clusters."""
    n, e = G.number_of_nodes(), G.number_of_edges()
    G.graph.update(total_nodes=n, total_edges=e, hidden_nodes=0, hidden_edges=0, clusters=0,
                   clustered_nodes=0, note="")
    if n <= max_nodes:
        return G
    classes = {v: d.get("class", "Actor") for v, d in G.nodes(data=True)}
    labels = {v: str(d.get("label", "")) for v, d in G.nodes(data=True)}
    edges = [(u, v, k) for u, v, k in G.edges(keys=True)]
    reduced = _collapsed_graph(classes, edges, max_nodes, focus, labels, dict(G.graph))
    assert reduced is not None  # no pseudo-nodes here
    H, kept_edges = reduced
    for v in list(H.nodes):
        if v in G:
            H.nodes[v].update(G.nodes[v])
    for u, v, k in kept_edges:
        H.add_edge(u, v, key=k, **G.edges[u, v, k])
    return H


# --- the skeleton of a large store: nodes and edges only, read fast --------------------------

_ENTITY_CLASSES = ("pkg:Actor pkg:GovernmentAgency pkg:PartyOrganization pkg:Enterprise "
                   "pkg:FinancialInstitution pkg:Cooperative pkg:SocialOrganization pkg:Person "
                   "pkg:Region pkg:Program pkg:PolicyDocument pkg:Funding")
# DISTINCT and no ?g: oxigraph deduplicates the per-report repetitions on encoded terms,
# so only distinct rows are decoded (decoding strings is what costs at 10^5 nodes).
_SK_TYPES = _PREFIXES + "SELECT DISTINCT ?s ?cls WHERE { ?s a ?cls . VALUES ?cls { %s } }"
# Fundings are ~90 % of the nodes and each is a link endpoint with an IRI that names its class:
# count them instead of listing them, and list them only if some funding has no link at all.
_SK_FUNDING_COUNT = _PREFIXES + "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a pkg:Funding }"
_SK_LINK = _PREFIXES + "SELECT DISTINCT ?s ?o WHERE { ?s %s ?o }"
_SK_LINK_PREDICATES = {
    "funder": "schema:funder", "funderText": "pkg:funderText", "recipient": "schema:recipient",
    "recipientText": "pkg:recipientText", "program": "pkg:program", "programText": "pkg:programText",
    "issuer": "pkg:issuer", "issuerText": "pkg:issuerText", "region": "pkg:region", "partOf": "pkg:partOf",
}
# rdfize writes pkg:agent or pkg:agentText (never both) and always pkg:objectText, with
# pkg:object as well when the object is a known node (then the node is the target).
# Each pattern is its own subquery so that oxigraph hash-joins four scans: joined as one
# group it probes the store once per measure and triple, 4x slower at 2*10^5 measures.
_SK_MEASURES = _PREFIXES + """
SELECT DISTINCT ?action ?a ?text ?b ?bt WHERE {
  { SELECT ?m ?a WHERE { ?m pkg:agent|pkg:agentText ?a } } { SELECT ?m ?action WHERE { ?m pkg:action ?action } }
  { SELECT ?m ?bt WHERE { ?m pkg:objectText ?bt } } OPTIONAL { SELECT ?m ?b WHERE { ?m pkg:object ?b } }
  BIND(isLiteral(?a) AS ?text)
}"""

_FUNDING_IRI = ids.ID + "funding/"
_NT_ESCAPES = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_NT_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _nt_value(term: str) -> str | None:
    """The value of one N-Triples term as the SPARQL TSV results write it (None if unbound)."""
    if not term:
        return None
    if term[0] == "<":
        return term[1:-1]
    if term[0] == '"':
        body = term[1 : term.rindex('"')]
        if "\\" in body:
            body = _NT_ESCAPES.sub(
                lambda m: chr(int(m.group(1) or m.group(2), 16)) if m.group(3) is None
                else _NT_SIMPLE.get(m.group(3), m.group(3)), body)
        return body
    return term  # a blank node or a bare number


# Fundings read grouped: one row per distinct (funder, recipient, programme) with the number
# of fundings and the first IRI, so the ~10^5 funding IRIs are neither decoded nor listed.
# Each role is its own DISTINCT subquery (hash joins, as for measures); a funding with two
# values for one role lands in two rows, which the count check below catches.
_ROLE_PREDICATES = ("funder", "funderText", "recipient", "recipientText", "program", "programText")
_ROLE_CURIES = tuple(_SK_LINK_PREDICATES[p] for p in _ROLE_PREDICATES)
_SK_GROUPS = _PREFIXES + (
    "SELECT ?v0 ?v1 ?v2 ?v3 ?v4 ?v5 (COUNT(*) AS ?n) (MIN(?f) AS ?first) WHERE {\n"
    "  { SELECT DISTINCT ?f WHERE { ?f a pkg:Funding } }\n"
    + "".join(f"  OPTIONAL {{ SELECT DISTINCT ?f ?v{i} ?v{i + 1} WHERE {{ {{ ?f {_ROLE_CURIES[i]} ?v{i} }} "
              f"UNION {{ ?f {_ROLE_CURIES[i + 1]} ?v{i + 1} }} }} }}\n" for i in (0, 2, 4))
    + "} GROUP BY ?v0 ?v1 ?v2 ?v3 ?v4 ?v5"
)
# Distinct (subject, value) pairs per role predicate: equal to what the groups account for
# only if every subject of a role is a typed funding.
_SK_ROLE_PAIRS = _PREFIXES + (
    f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {{ SELECT DISTINCT ?p ?f ?x WHERE {{ ?f ?p ?x "
    f"VALUES ?p {{ {' '.join(_ROLE_CURIES)} }} }} }} }} GROUP BY ?p"
)
# Terms pasted back into the member query must be plain N-Triples IRIs and string literals.
_SAFE_IRI = re.compile(r'<[^<>"{}|^`\\\s]*>')
_SAFE_LITERAL = re.compile(r'"(?:[^"\\\n\r]|\\.)*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^<[^<>"{}|^`\\\s]*>)?')
#: Pseudo-nodes of more fundings than this are not read whole to name a few of them.
_SCAN_MIN = 1000
_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_FUNDING_CLASS = NamedNode(PKG_NS + "Funding")


class _Skeleton(NamedTuple):
    """Nodes and edges of a store; fundings with the same neighbours may stand as one weighted pseudo-node."""

    classes: dict[str, str]
    edges: list[tuple[str, str, str]]
    weights: dict[str, int]  # pseudo-node (its first funding's IRI) -> number of fundings
    terms: dict[str, tuple[str, ...]]  # pseudo-node -> its role values as N-Triples terms ("" if none)

    @property
    def total_nodes(self) -> int:
        """The number of real nodes (every funding of a pseudo-node counted)."""
        return len(self.classes) + sum(w - 1 for w in self.weights.values())


def _tsv_terms(raw_store: Any, sparql: str) -> list[list[str]]:
    """Rows of a SELECT as raw TSV terms (N-Triples syntax, "" if unbound)."""
    data = raw_store.query(sparql, use_default_graph_as_union=True).serialize(format=QueryResultsFormat.TSV)
    return [line.split("\t") for line in data.decode("utf-8").split("\n")[1:] if line]


def _tsv_rows(raw_store: Any, sparql: str) -> list[list[str | None]]:
    """Rows of a SELECT as values; serialized by oxigraph as TSV, much cheaper than Python objects per row."""
    return [[_nt_value(t) for t in row] for row in _tsv_terms(raw_store, sparql)]


def _funding_groups(
    rows: dict[str, list[list[str]]], include_text: bool
) -> tuple[dict[str, int], dict[str, tuple[str, ...]], set[tuple[str, str, str]]] | None:
    """Weighted funding pseudo-nodes and their edges from the grouped read, or None if some funding is unusual.

    Usual: at most one value per role, role links to IRIs and stated names as plain
    literals, and every subject of a role predicate typed as a funding.
    """
    weights: dict[str, int] = {}
    terms: dict[str, tuple[str, ...]] = {}
    edges: set[tuple[str, str, str]] = set()
    per_role: Counter[str] = Counter()
    for *values, n, first in rows["groups"]:
        if not _SAFE_IRI.fullmatch(first):
            return None
        gid, k = first[1:-1], int(_nt_value(n) or 0)
        if gid in weights:
            return None  # one funding first in two groups: two values for one role
        weights[gid], terms[gid] = k, tuple(values)
        for p, term in zip(_ROLE_PREDICATES, values):
            if not term:
                continue
            text = p.endswith("Text")
            if not (_SAFE_LITERAL if text else _SAFE_IRI).fullmatch(term):
                return None
            per_role[p] += k
            if text and not include_text:
                continue
            value = _nt_value(term) or ""
            rel, forward = _LINKS[p]
            target = TEXT_PREFIX + value if text else value
            edges.add((gid, target, rel) if forward else (target, gid, rel))
    if sum(weights.values()) != int(_nt_value(rows["fundings"][0][0]) or 0):
        return None  # a funding in two groups: two values for one role
    pairs = {local_name(_nt_value(p) or ""): int(_nt_value(n) or 0) for p, n in rows["pairs"]}
    if any(pairs.get(p, 0) != per_role[p] for p in _ROLE_PREDICATES):
        return None  # a role on something that is not a typed funding
    return weights, terms, edges


def _is_funding(raw_store: Store, iri: str) -> bool:
    """Whether the store types ``iri`` as a funding (one index seek)."""
    try:
        node = NamedNode(iri)
    except ValueError:
        return False  # not an IRI (a bare literal value as a node): cannot be typed
    return next(iter(raw_store.quads_for_pattern(node, _RDF_TYPE, _FUNDING_CLASS, None)), None) is not None


def _member_branch(terms: tuple[str, ...]) -> str:
    """Graph pattern matching exactly the fundings of one pseudo-node (its role values, no others)."""
    bound = [f"?f {c} {t} ." for c, t in zip(_ROLE_CURIES, terms) if t]
    absent = [f"FILTER NOT EXISTS {{ ?f {c} [] }}" for c, t in zip(_ROLE_CURIES, terms) if not t]
    return " ".join([*bound, "?f a pkg:Funding .", *absent])


def _group_members(
    raw_store: Any, terms: dict[str, tuple[str, ...]], weights: dict[str, int], wanted: dict[str, int]
) -> dict[str, list[str]]:
    """The first ``wanted[g]`` funding IRIs (sorted) of some pseudo-nodes ``g``, or more.

    Checking that a funding belongs costs ~30 µs (a seek per role), so a large pseudo-node
    is not read whole: the IRIs sharing one of its role values are sorted and checked in
    that order until enough belong. Small ones are read whole, a UNION branch each.
    """
    members: dict[str, set[str]] = defaultdict(set)
    small = [g for g in sorted(wanted) if weights.get(g, 1) <= _SCAN_MIN]
    for g in sorted(set(wanted) - set(small)):
        t = next(((c, x) for c, x in zip(_ROLE_CURIES, terms[g]) if x), None)
        pattern = f"?f {t[0]} {t[1]}" if t else "?f a pkg:Funding"
        candidates = sorted(f or "" for f, in _tsv_rows(raw_store, _PREFIXES + f"SELECT DISTINCT ?f WHERE {{ {pattern} }}"))
        if not all(_SAFE_IRI.fullmatch(f"<{f}>") for f in candidates):
            small.append(g)  # cannot be pasted into VALUES: read it whole
            continue
        k, step = 0, 64
        while k < len(candidates) and len(members[g]) < wanted[g]:
            batch = " ".join(f"<{f}>" for f in candidates[k : k + step])
            members[g].update(f or "" for f, in _tsv_rows(
                raw_store, _PREFIXES + f"SELECT ?f WHERE {{ VALUES ?f {{ {batch} }} {_member_branch(terms[g])} }}"))
            k, step = k + step, step * 2
    branches = [f"{{ {_member_branch(terms[g])} BIND({i} AS ?i) }}" for i, g in enumerate(small)]
    # oxigraph plans a long UNION slowly (0.6 s for 300 branches, 0.15 s in batches of 10)
    queries = [_PREFIXES + "SELECT DISTINCT ?i ?f WHERE { " + " UNION ".join(branches[k : k + 10]) + " }"
               for k in range(0, len(branches), 10)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for rows in pool.map(lambda q: _tsv_rows(raw_store, q), queries):
            for i, f in rows:
                members[small[int(i or 0)]].add(f or "")
    return {g: sorted(ms) for g, ms in members.items()}


def _skeleton(store: Any, include_text: bool, group_fundings: bool = True) -> _Skeleton:
    """Every node's class and every distinct edge ``(u, v, rel)``, as :func:`_graph_from_store` would build them.

    With ``group_fundings`` (local stores), fundings that share funder, recipient and
    programme become one pseudo-node weighted by their number, unless some funding has an
    unusual shape. The queries run in 2 threads (oxigraph releases the GIL while it
    evaluates; the machine has 2 cores), the longest first.
    """
    raw_store = getattr(store, "store", store)
    group_fundings = group_fundings and isinstance(raw_store, Store)
    jobs = {"measures": _SK_MEASURES}
    if group_fundings:
        jobs.update(groups=_SK_GROUPS, pairs=_SK_ROLE_PAIRS)
    jobs.update(types=_SK_TYPES % _ENTITY_CLASSES.replace(" pkg:Funding", ""), fundings=_SK_FUNDING_COUNT)
    link_jobs = {p: _SK_LINK % curie for p, curie in _SK_LINK_PREDICATES.items()
                 if include_text or not p.endswith("Text")}
    roles = {p: q for p, q in link_jobs.items() if p in _ROLE_PREDICATES}
    jobs.update({p: q for p, q in link_jobs.items() if not (group_fundings and p in roles)})
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(_tsv_terms, raw_store, q) for name, q in jobs.items()}
        raw_rows = {name: f.result() for name, f in futures.items()}
    grouped = _funding_groups(raw_rows, include_text) if group_fundings else None
    rows = {name: [[_nt_value(t) for t in r] for r in rs] for name, rs in raw_rows.items() if name != "groups"}
    typed: dict[str, set[str]] = defaultdict(set)
    for s, cls in rows["types"]:
        typed[s].add(local_name(cls))
    edges: set[tuple[str, str, str]] = set()
    for p, (rel, forward) in _LINKS.items():
        for s, o in rows.get(p, ()):
            target = TEXT_PREFIX + o if p.endswith("Text") else o
            edges.add((s, target, rel) if forward else (target, s, rel))
    for action, a, text, b, bt in rows["measures"]:
        if text == "true":
            if not include_text:
                continue
            a = TEXT_PREFIX + a
        if b is None:
            if not include_text:
                continue
            b = TEXT_PREFIX + bt
        edges.add((a, b, action))
    edges = {(u, v, rel) for u, v, rel in edges if u != v}
    weights: dict[str, int] = {}
    terms: dict[str, tuple[str, ...]] = {}
    if grouped is not None:
        weights, terms, group_edges = grouped
        # a funding that is also typed otherwise or linked by anything but its roles would be
        # two nodes: look each decoded IRI up (a few thousand index seeks)
        seen = {x for e in edges for x in e[:2]} | set(typed)
        seen |= {t[1:-1] for ts in terms.values() for t in ts if t.startswith("<")}  # linked role values
        if any(_is_funding(raw_store, x) for x in seen if not x.startswith((TEXT_PREFIX, "_:"))):
            grouped = None
        else:
            edges |= group_edges
            for gid in weights:
                typed[gid].add("Funding")
    if group_fundings and grouped is None:  # unusual fundings: read them one by one
        weights, terms = {}, {}
        with ThreadPoolExecutor(max_workers=2) as pool:
            extra = dict(zip(roles, pool.map(lambda q: _tsv_rows(raw_store, q), roles.values())))
        for p, (rel, forward) in _LINKS.items():
            for s, o in extra.get(p, ()):
                target = TEXT_PREFIX + o if p.endswith("Text") else o
                if s != target:
                    edges.add((s, target, rel) if forward else (target, s, rel))
    if not weights:
        linked = {x for e in edges for x in e[:2] if x.startswith(_FUNDING_IRI)}
        if len(linked) != int(rows["fundings"][0][0] or 0):
            for s, cls in _tsv_rows(raw_store, _SK_TYPES % "pkg:Funding"):
                typed[s].add(local_name(cls))
    classes: dict[str, str] = {}
    for iri, cs in typed.items():
        classes[iri] = min(cs, key=lambda c: _CLASS_PRIORITY.get(c, len(_CLASS_PRIORITY)))
    for u, v, _ in edges:
        for x in (u, v):
            if x not in classes:
                classes[x] = "Text" if x.startswith(TEXT_PREFIX) else _class_from_iri(x)
    return _Skeleton(classes, sorted(edges), weights, terms)


def _values(nodes: Iterable[str]) -> str:
    """A VALUES body of IRIs (they come from the store: no ``>`` or spaces in them)."""
    return " ".join(f"<{n}>" for n in nodes if "://" in n and not any(c in n for c in '<>" {}|\\^`'))


def _fill_details(store: Any, H: nx.MultiDiGraph, kept_edges: list[tuple[str, str, str]]) -> None:
    """Labels, attributes, evidence and report counts of the shown nodes only (queries bound to them).

    A node's evidence is one of its sentences (not the shortest: that would mean decoding
    them all); its reports are counted (``report_count``) rather than listed.
    """
    raw_store = getattr(store, "store", store)
    nodes = [v for v, d in H.nodes(data=True) if d.get("type") != "cluster"]
    iris = _values(nodes)
    attr_predicates = ("schema:amount pkg:fundingKind pkg:level pkg:divisionCode pkg:year pkg:count "
                       "pkg:countUnit pkg:post").split()
    # one branch per predicate: a bound subject and predicate is one index seek, whereas
    # ``VALUES ?p`` lets oxigraph scan every funding's amount first
    attr_union = " UNION ".join(f"{{ ?s {p} ?o BIND({p} AS ?p) }}" for p in attr_predicates)
    jobs = {
        "labels": _PREFIXES + f"SELECT DISTINCT ?s ?label WHERE {{ VALUES ?s {{ {iris} }} ?s skos:prefLabel|dcterms:title ?label }}",
        "attrs": _PREFIXES + f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?s {{ {iris} }} {attr_union} }}",
        "reports": _PREFIXES + f"""SELECT ?s (COUNT(DISTINCT ?g) AS ?n) WHERE {{
            VALUES ?s {{ {iris} }} GRAPH ?g {{ ?s a ?c }} }} GROUP BY ?s""",
        # a hub has thousands of mentions: take one (the first oxigraph meets, stable for a
        # given store) rather than decoding every sentence to find the shortest
        "evidence": _PREFIXES + f"""SELECT ?s (SAMPLE(?m) AS ?m1) WHERE {{
            VALUES ?s {{ {iris} }} ?s prov:wasDerivedFrom ?m }} GROUP BY ?s""",
    }
    with ThreadPoolExecutor(max_workers=4) as pool:
        rows = {name: f.result() for name, f in {k: pool.submit(_tsv_rows, raw_store, q) for k, q in jobs.items()}.items()}
    first = {m: s for s, m in rows["evidence"] if m is not None}
    evidence: dict[str, str] = {}
    if first:
        for m, surface, text in _tsv_rows(raw_store, _PREFIXES + f"""SELECT ?m ?surface ?text WHERE {{
                VALUES ?m {{ {_values(first)} }} ?m pkg:surface ?surface
                OPTIONAL {{ ?m pkg:sentence/pkg:text ?text }} }}"""):
            evidence[first[m]] = text or surface
    labels: dict[str, set[str]] = defaultdict(set)
    for s, label in rows["labels"]:
        labels[s].add(label)
    attrs: dict[str, dict[str, Any]] = defaultdict(dict)
    for s, p, o in rows["attrs"]:
        p = local_name(p)
        if p == "amount":
            try:
                attrs[s]["amount"] = Decimal(o)
            except InvalidOperation:
                attrs[s]["amount"] = o
        elif p in ("fundingKind", "level"):
            attrs[s]["kind" if p == "fundingKind" else "level"] = local_name(o)
        elif p == "count":
            attrs[s]["count"] = int(o) if o.lstrip("-").isdigit() else o
        else:
            attrs[s]["code" if p == "divisionCode" else "count_unit" if p == "countUnit" else p] = o
    counts = {s: int(n) for s, n in rows["reports"] if n is not None}
    for v in nodes:
        d = H.nodes[v]
        label = _pick(labels.get(v, set()))
        if label is None:
            label = v[len(TEXT_PREFIX):] if v.startswith(TEXT_PREFIX) else unquote(local_name(v)) if "://" in v else v
        d.update(label=label, type=_TYPE_OF_CLASS.get(d["class"], "actor"), evidence=evidence.get(v), reports=[])
        if v in counts:
            d["report_count"] = counts[v]  # counted, not listed: a hub may be in thousands of reports
        d.update(attrs.get(v, {}))
    for u, v, k in kept_edges:
        H.add_edge(u, v, key=k, rel=k, label=EDGE_LABELS.get(k, k), reports=[], evidence=None)


def network_graph(
    store: Any,
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int | None = 500,
    *,
    include_reports: bool = False,
    include_text: bool = True,
    report: str | None = None,
) -> nx.MultiDiGraph:
    """The store as a MultiDiGraph: ``focus`` (IRI or label) within ``depth`` hops, at most ``max_nodes`` nodes.

    A graph larger than ``max_nodes`` is reduced: its most connected nodes are kept and
    the others collapsed into cluster nodes (``type="cluster"``), with a note saying what
    is hidden. For the whole store (no focus, report or report nodes) the nodes and edges
    are read first and the details (labels, evidence, …) only for the nodes shown, so that
    a graph of 10^5 nodes is reduced in seconds.

    >>> from kg.store import open_store
    >>> from kg.pipeline import extract_text
    >>> from kg.rdfize import rdfize
    >>> st = open_store(":memory:")
    >>> st.replace_report(ids.report_iri("demo"), rdfize(extract_text("市财政局下达资金200万元。", "demo"))) > 0
    True
    >>> G = network_graph(st)
    >>> sorted((d["class"], d["label"]) for _, d in G.nodes(data=True) if d["class"] != "Text")
    [('Funding', '200万元'), ('GovernmentAgency', '市财政局')]
    >>> [(G.nodes[u]["label"], rel, str(G.nodes[v]["amount"])) for u, v, rel in G.edges(keys=True) if rel == "funder"]
    [('市财政局', 'funder', '2000000')]
    >>> G.graph["note"]
    ''
    """
    if depth < 0:
        raise VizError(f"depth must be 0 or more, not {depth}")
    if max_nodes is not None and max_nodes < 1:
        raise VizError(f"max_nodes must be at least 1, not {max_nodes}")
    if max_nodes is not None and focus is None and report is None and not include_reports:
        sk = _skeleton(store, include_text)
        if sk.total_nodes > max_nodes:
            return _reduced_from_skeleton(store, sk, max_nodes, include_text)
    G = _graph_from_store(store, include_reports, include_text, report)
    _label_fundings(G)
    if focus is not None:
        focus = _resolve_focus(G, focus)
        G = nx.ego_graph(G, focus, radius=depth, undirected=True)
        G.graph.update(focus=focus, depth=depth)
    return _reduce(G, max_nodes if max_nodes is not None else G.number_of_nodes(), focus)


def _label_fundings(G: nx.MultiDiGraph) -> None:
    for _, d in G.nodes(data=True):
        if d.get("class") == "Funding" and isinstance(d.get("amount"), Decimal):
            d["label"] = format_amount(d["amount"])


def _reduced_from_skeleton(store: Any, sk: _Skeleton, max_nodes: int, include_text: bool = True) -> nx.MultiDiGraph:
    """The reduced view of a large store: collapse on the skeleton, then details for what is shown."""
    raw_store = getattr(store, "store", store)
    reduced = _collapsed_graph(sk.classes, sk.edges, max_nodes, None, {}, {}, sk.weights,
                               lambda wanted: _group_members(raw_store, sk.terms, sk.weights, wanted))
    if reduced is None:  # some fundings are among the best connected: read them one by one
        sk = _skeleton(store, include_text, group_fundings=False)
        reduced = _collapsed_graph(sk.classes, sk.edges, max_nodes, None, {}, {})
        assert reduced is not None
    H, kept_edges = reduced
    clusters = [v for v, d in H.nodes(data=True) if d.get("type") == "cluster"]
    # the members a cluster's tooltip names need labels too: fetch them with the shown nodes
    for v in clusters:
        for m in H.nodes[v]["sample"]:
            if m not in H:  # a member of a funding pseudo-node is a funding
                H.add_node(m, **{"class": sk.classes.get(m, "Funding"), "_sample": True})
    _fill_details(store, H, kept_edges)
    _label_fundings(H)
    names = {v: d["label"] for v, d in H.nodes(data=True) if d.get("type") != "cluster"}
    H.remove_nodes_from([v for v, d in H.nodes(data=True) if d.get("_sample")])
    for v in clusters:
        d = H.nodes[v]
        d.update(_cluster_node({"size": d["size"], "anchor": d["anchor"], "classes": d["members_by_class"],
                                "sample": d["sample"]}, names))
    for u, v, k, d in H.edges(keys=True, data=True):
        if k == "cluster":
            d["summary"] = f"{d['count']:,} edge(s) between {H.nodes[u]['label']} and {H.nodes[v]['label']}"
    return H


# --- rendering ---------------------------------------------------------------------------


_HREF = re.compile(r"(h)(ref)", re.IGNORECASE)


def _safe_text(text: str) -> str:
    """HTML-escape and break up ``href`` with a zero-width space (pyvis must not see it)."""
    return _HREF.sub("\\1\u200b\\2", html.escape(text, quote=True))


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


class _Circle:
    __slots__ = ("x", "y", "r")

    def __init__(self, r: float) -> None:
        self.x = self.y = 0.0
        self.r = r


class _Link:
    __slots__ = ("c", "next", "prev")

    def __init__(self, c: _Circle) -> None:
        self.c = c
        self.next: _Link = self
        self.prev: _Link = self


def _place(b: _Circle, a: _Circle, c: _Circle) -> None:
    """Put ``c`` tangent to both ``a`` and ``b`` (d3-hierarchy's packSiblings step)."""
    dx, dy = b.x - a.x, b.y - a.y
    d2 = dx * dx + dy * dy
    if d2:
        a2, b2 = (a.r + c.r) ** 2, (b.r + c.r) ** 2
        if a2 > b2:
            x = (d2 + b2 - a2) / (2 * d2)
            y = math.sqrt(max(0.0, b2 / d2 - x * x))
            c.x, c.y = b.x - x * dx - y * dy, b.y - x * dy + y * dx
        else:
            x = (d2 + a2 - b2) / (2 * d2)
            y = math.sqrt(max(0.0, a2 / d2 - x * x))
            c.x, c.y = a.x + x * dx - y * dy, a.y + x * dy + y * dx
    else:
        c.x, c.y = a.x + c.r, a.y


def _intersects(a: _Circle, b: _Circle) -> bool:
    dr = a.r + b.r - 1e-6
    dx, dy = b.x - a.x, b.y - a.y
    return dr > 0 and dr * dr > dx * dx + dy * dy


def _score(node: _Link) -> float:
    a, b = node.c, node.next.c
    ab = a.r + b.r
    dx, dy = (a.x * b.r + b.x * a.r) / ab, (a.y * b.r + b.y * a.r) / ab
    return dx * dx + dy * dy


def _enclose(circles: list[_Circle]) -> tuple[float, float, float]:
    """A small circle around ``circles`` (Bădoiu–Clarkson iterations; not always the smallest)."""
    cx = (min(c.x - c.r for c in circles) + max(c.x + c.r for c in circles)) / 2
    cy = (min(c.y - c.r for c in circles) + max(c.y + c.r for c in circles)) / 2
    best = (max(math.hypot(c.x - cx, c.y - cy) + c.r for c in circles), cx, cy)
    for k in range(1, 80):
        far = max(circles, key=lambda c: math.hypot(c.x - cx, c.y - cy) + c.r)
        d = math.hypot(far.x - cx, far.y - cy)
        if d == 0:
            break
        px, py = far.x + (far.x - cx) / d * far.r, far.y + (far.y - cy) / d * far.r
        cx, cy = cx + (px - cx) / (k + 1), cy + (py - cy) / (k + 1)
        r = max(math.hypot(c.x - cx, c.y - cy) + c.r for c in circles)
        if r < best[0]:
            best = (r, cx, cy)
    return best


def _pack(circles: list[_Circle]) -> float:
    """Pack circles without overlap around the first one (d3's front-chain algorithm).

    Moves them so that their enclosing circle is centred on the origin; returns its radius.
    """
    n = len(circles)
    if n == 0:
        return 0.0
    a = circles[0]
    a.x = a.y = 0.0
    if n == 1:
        return a.r
    b = circles[1]
    a.x, b.x, b.y = -b.r, a.r, 0.0
    if n == 2:
        return a.r + b.r
    _place(b, a, circles[2])
    la, lb, lc = _Link(a), _Link(b), _Link(circles[2])
    la.next = lc.prev = lb
    lb.next = la.prev = lc
    lc.next = lb.prev = la
    fa, fb = la, lb
    i = 3
    while i < n:
        c = circles[i]
        _place(fa.c, fb.c, c)
        # find the closest circle on the front chain that c would overlap, if any
        j, k, sj, sk = fb.next, fa.prev, fb.c.r, fa.c.r
        retry = False
        while True:
            if sj <= sk:
                if _intersects(j.c, c):
                    fb = j
                    fa.next, fb.prev = fb, fa
                    retry = True
                    break
                sj += j.c.r
                j = j.next
            else:
                if _intersects(k.c, c):
                    fa = k
                    fa.next, fb.prev = fb, fa
                    retry = True
                    break
                sk += k.c.r
                k = k.prev
            if j is k.next:
                break
        if retry:
            continue
        lc = _Link(c)
        lc.prev, lc.next = fa, fb
        fa.next = fb.prev = lc
        fb = lc
        # the new pair to place against: the one closest to the centre
        best, score = fa, _score(fa)
        node = lc.next
        while node is not fb:
            s = _score(node)
            if s < score:
                best, score = node, s
            node = node.next
        fa, fb = best, best.next
        i += 1
    chain, node = [fb.c], fb.next
    while node is not fb:
        chain.append(node.c)
        node = node.next
    r, cx, cy = _enclose(chain)
    for c in circles:
        c.x -= cx
        c.y -= cy
    return r


def _layout(G: nx.Graph, spacing: float = 60.0) -> dict[Any, tuple[float, float]]:
    """Nested circle-packing layout in pure Python, about linear in the graph size.

    Each connected component is split into a BFS tree from its best-connected node. A
    node sits at the centre of a disc holding its leaf children on a sunflower spiral;
    that disc and the (recursively built) discs of its other children are packed
    tightly together, so a subtree occupies one compact disc. Components are laid out
    in rows, largest first. Non-tree edges are simply drawn across.
    """
    adj: dict[Any, set[Any]] = {n: set() for n in G}
    for u, v in G.edges():
        if u != v:
            adj[u].add(v)
            adj[v].add(u)
    rank = {n: i for i, n in enumerate(sorted(G, key=lambda n: (-len(adj[n]), str(n))))}
    leaf_step = spacing * 0.56  # sunflower spacing: neighbouring leaves about `spacing` apart
    golden = math.pi * (3 - math.sqrt(5))
    gap = spacing / 2
    seen: set[Any] = set()
    comps: list[tuple[float, dict[Any, tuple[float, float]]]] = []
    for root in sorted(G, key=rank.__getitem__):
        if root in seen:
            continue
        seen.add(root)
        bfs, children = [root], {root: []}
        i = 0
        while i < len(bfs):
            v = bfs[i]
            i += 1
            for w in sorted(adj[v] - seen, key=rank.__getitem__):
                seen.add(w)
                children[v].append(w)
                children[w] = []
                bfs.append(w)
        # bottom-up: pack each node's own disc with its children's discs
        disc: dict[Any, _Circle] = {}
        own: dict[Any, _Circle] = {}
        for v in reversed(bfs):
            n_leaves = sum(1 for c in children[v] if not children[c])
            mine = _Circle(leaf_step * math.sqrt(n_leaves + 3) + spacing / 2 if n_leaves else spacing / 2)
            inner = sorted((disc[c] for c in children[v] if children[c]), key=lambda c: -c.r)
            packed = [mine, *inner]
            outer = _Circle(_pack(packed))
            own[v], disc[v] = mine, outer
        # top-down: absolute positions (a child's disc centre is relative to its parent's)
        centre: dict[Any, tuple[float, float]] = {root: (0.0, 0.0)}
        pos: dict[Any, tuple[float, float]] = {}
        for v in bfs:
            if v not in centre:  # a leaf, placed with its parent
                continue
            ox, oy = centre[v]
            x, y = ox + own[v].x, oy + own[v].y
            pos[v] = (x, y)
            k = 0
            for c in children[v]:
                if children[c]:
                    centre[c] = (ox + disc[c].x, oy + disc[c].y)
                else:
                    r, a = leaf_step * math.sqrt(k + 3), golden * (k + 1)
                    pos[c] = (x + r * math.cos(a), y + r * math.sin(a))
                    k += 1
        comps.append((disc[root].r, pos))
    # shelf packing of the component discs, largest first
    comps.sort(key=lambda c: -c[0])
    area = sum((2 * r + gap) ** 2 for r, _ in comps)
    row_width = max([math.sqrt(area) * 1.2] + [2 * r + gap for r, _ in comps[:1]])
    out: dict[Any, tuple[float, float]] = {}
    x0 = y0 = row_h = 0.0
    for r, pos in comps:
        d = 2 * r + gap
        if x0 > 0 and x0 + d > row_width:
            x0, y0, row_h = 0.0, y0 + row_h, 0.0
        cx, cy = x0 + d / 2, y0 + d / 2
        for n, (x, y) in pos.items():
            out[n] = (cx + x, cy + y)
        x0 += d
        row_h = max(row_h, d)
    if out:
        mx = sum(x for x, _ in out.values()) / len(out)
        my = sum(y for _, y in out.values()) / len(out)
        out = {n: (x - mx, y - my) for n, (x, y) in out.items()}
    return out


def _vis_options(n: int, physics: bool) -> dict[str, Any]:
    big = n >= PHYSICS_LIMIT
    return {
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 14, "face": "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"},
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
            "size": round(8 + 3 * min(math.sqrt(degree[node]), 6), 1) if shape != "box" else 10,
            "x": round(x, 1),
            "y": round(y, 1),
            "group": cls,
        })
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
            "label": EDGE_LABELS.get(str(d.get("rel")), "") if n <= 150 else "",
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
    net = Network(height="82vh", width="100%", directed=True, cdn_resources="in_line", heading="")
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
