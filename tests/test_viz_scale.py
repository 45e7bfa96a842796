"""The network view of a large graph: reduced to a cap, hidden nodes collapsed into clusters, drawn still."""

from __future__ import annotations

import json
import math
import re
import time

import networkx as nx
import pytest

from kg.viz import render_html
from kg.viz.reduce import _reduce


def generated_graph(n_hubs: int = 300, n_leaves: int = 30_000) -> nx.MultiDiGraph:
    """Hubs (agencies, regions) with many funding leaves, shaped like the benchmark stores."""
    G = nx.MultiDiGraph()
    for h in range(n_hubs):
        G.add_node(f"hub{h}", label=f"机构{h}", **{"class": "GovernmentAgency" if h % 3 else "Region"})
        if h:
            G.add_edge(f"hub{h}", f"hub{h // 2}", key="region", rel="region")
    for i in range(n_leaves):
        f = f"f{i}"
        G.add_node(f, label=f"{i}万元", **{"class": "Funding"})
        G.add_edge(f"hub{(i * 7919) % n_hubs}", f, key="funder", rel="funder")
        if i % 4 == 0:
            G.add_edge(f, f"hub{(i * 104729) % n_hubs}", key="recipient", rel="recipient")
    for i in range(50):  # a few pairs that no hub reaches
        G.add_node(f"lone{i}", label=f"孤立{i}", **{"class": "Text"})
        G.add_edge(f"lone{i}", f"lone{(i + 1) % 50}", key="held", rel="held")
    return G


@pytest.mark.slow
def test_large_graph_is_reduced_clustered_and_drawn_still():
    G = generated_graph()
    n, e = G.number_of_nodes(), G.number_of_edges()
    t = time.perf_counter()
    H = _reduce(G, 500, None)
    page = render_html(H)
    elapsed = time.perf_counter() - t
    assert H.number_of_nodes() <= 500
    kept = [v for v, d in H.nodes(data=True) if d.get("type") != "cluster"]
    clusters = [d for _, d in H.nodes(data=True) if d.get("type") == "cluster"]
    assert len(kept) == 400 and 1 <= len(clusters) <= 100
    # the hubs are the most connected and all kept
    assert {f"hub{h}" for h in range(300)} <= set(kept)
    # every hidden node is in exactly one cluster; the counts in the note are right
    assert sum(d["size"] for d in clusters) == n - len(kept) == H.graph["hidden_nodes"]
    shown_edges = sum(1 for *_, k in H.edges(keys=True) if k != "cluster")
    assert H.graph["hidden_edges"] == e - shown_edges
    note = H.graph["note"]
    assert f"of {n:,} nodes" in note and f"{n - len(kept):,} nodes and {e - shown_edges:,} edges are hidden" in note
    # fundings around a hub are collapsed with it; the unreachable pairs share a cluster
    funding_clusters = [d for d in clusters if d["class"] == "Funding"]
    assert funding_clusters and all(d["anchor"] in kept for d in funding_clusters)
    assert any(d["anchor"] is None and d["members_by_class"].get("Text") == 50 for d in clusters)
    # physics off, every node at a precomputed position
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((.*?)\);\n", page, re.DOTALL).group(1))
    options = json.loads(re.search(r"var options = (\{.*?\});\n", page, re.DOTALL).group(1))
    assert options["physics"]["enabled"] is False
    assert len(nodes) == H.number_of_nodes()
    assert all(math.isfinite(v["x"]) and math.isfinite(v["y"]) for v in nodes)
    assert elapsed < 10  # about 1 s on the CI machine; generous for a shared one
    # deterministic
    assert render_html(_reduce(generated_graph(), 500, None)) == page
