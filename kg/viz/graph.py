""":func:`network_graph`: which read a request takes (whole store or skeleton), the focus, the reduction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import networkx as nx

from kg import ids  # noqa: F401  (network_graph's doctest)
from kg.money import format_amount
from kg.viz.common import VizError
from kg.viz.details import _fill_details
from kg.viz.full import _graph_from_store
from kg.viz.reduce import _cluster_node, _collapsed_graph, _reduce
from kg.viz.skeleton import _group_members, _Skeleton, _skeleton


def _resolve_focus(G: nx.MultiDiGraph, focus: str) -> str:
    if focus in G:
        return focus
    matches = sorted(n for n, d in G.nodes(data=True) if d.get("label") == focus)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise VizError(f"focus '{focus}' names {len(matches)} nodes; give one IRI: {', '.join(matches[:5])}")
    raise VizError(f"focus '{focus}' is not a node of the graph (give a node IRI or an exact label)")


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
