"""Fixed positions for a still drawing: nested circle packing (d3's packSiblings), pure Python."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx


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
