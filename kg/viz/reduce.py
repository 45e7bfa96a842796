"""The reduced view: the most connected nodes kept, every other node collapsed into a cluster.

Pure Python on node classes and edges (no store): :func:`_collapse` plans the view,
:func:`_collapsed_graph` builds it, :func:`_reduce` applies it to a built graph.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Callable
from typing import Any

import networkx as nx

from kg.viz.common import _CLASS_PRIORITY, CLASS_STYLES

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
