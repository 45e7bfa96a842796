"""Network page: time to build it from the store, what it shows, and Chromium's time to draw it.

    python bench/viz_bench.py 20000 200000 2000000

Each size (quads) is loaded into a persistent store; ``kg viz`` (``network_graph`` with
its default ``max_nodes=500`` + ``render_html``) builds the page; the node count of the
whole graph, the nodes and edges the page shows and its note are recorded; headless
Chromium (Debian's, driven by playwright) opens the page and the time until
vis-network has drawn is measured: an init script catches the page's ``network`` as it
is created and records the time of its first ``afterDrawing`` event (after stabilization
when physics is on), so the figure covers parsing, layout and the first full paint.

At 10^5 graph nodes (about 9,000,000 quads from the 1,000-report base: the copies add
fundings only) the store load takes minutes; the page itself is built in seconds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import write_result  # noqa: E402

from data import scaled_file  # noqa: E402

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
#: Quads per ``bulk_load`` call: many mid-sized calls load about twice as fast as one big one.
LOAD_CHUNK = 50_000

# Runs before the page's scripts: when pyvis assigns ``network = new vis.Network(…)`` the
# setter hooks the first "afterDrawing" (vis-network draws on a later animation frame).
_HOOK = """
(() => {
  let net;
  window.__kgDrawnAt = null;
  Object.defineProperty(window, "network", {
    configurable: true,
    get() { return net; },
    set(v) {
      net = v;
      if (v && v.once) v.once("afterDrawing", () => { window.__kgDrawnAt = performance.now(); });
    },
  });
})();
"""


def draw_seconds(page_path: Path) -> float | None:
    """Seconds from navigation until vis-network has first drawn the whole network (None without Chromium)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(CHROMIUM).exists():
        return None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.add_init_script(_HOOK)
        page.goto(page_path.as_uri(), wait_until="commit")
        page.wait_for_function("() => window.__kgDrawnAt !== null", timeout=120_000)
        # performance.now() counts from the navigation's start
        dt = page.evaluate("() => window.__kgDrawnAt") / 1000
        browser.close()
    return dt


def load_store(nq: Path, loc: Path) -> float:
    """Bulk-load an N-Quads file into a new persistent store at ``loc`` in chunks; seconds taken."""
    from pyoxigraph import RdfFormat, Store

    t = time.perf_counter()
    raw = Store(str(loc))
    with open(nq, "rb") as fh:
        while lines := list(itertools.islice(fh, LOAD_CHUNK)):
            raw.bulk_load(b"".join(lines), format=RdfFormat.N_QUADS, lenient=True)
    raw.flush()
    del raw
    return time.perf_counter() - t


def bench_page(store, workdir: Path, max_nodes: int = 500, warm_runs: int = 0) -> dict:
    """Build the network page of an already open KgStore, time it and Chromium drawing it.

    ``warm_runs`` more builds are timed after the first (the store's caches then hold what
    the first one read); ``build_page_warm_s`` is the best of them.
    """
    from kg.viz import network_graph, render_html

    t = time.perf_counter()
    G = network_graph(store, max_nodes=max_nodes)
    t_graph = time.perf_counter() - t
    page = render_html(G)
    t_total = time.perf_counter() - t
    warm = []
    for _ in range(warm_runs):
        t = time.perf_counter()
        render_html(network_graph(store, max_nodes=max_nodes))
        warm.append(time.perf_counter() - t)
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"viz-{os.getpid()}-{G.graph.get('total_nodes', 0)}.html"
    path.write_text(page, encoding="utf-8")
    try:
        draw = draw_seconds(path)
    finally:
        path.unlink(missing_ok=True)
    return {"graph_nodes": G.graph.get("total_nodes", G.number_of_nodes()),
            "graph_edges": G.graph.get("total_edges", G.number_of_edges()),
            "shown_nodes": G.number_of_nodes(), "shown_edges": G.number_of_edges(),
            "note": G.graph.get("note", ""), "build_graph_s": t_graph, "build_page_s": t_total,
            "page_bytes": len(page.encode("utf-8")), "chromium_draw_s": draw,
            "hidden_nodes": G.graph.get("hidden_nodes", 0), "hidden_edges": G.graph.get("hidden_edges", 0),
            "clusters": G.graph.get("clusters", 0), "clustered_nodes": G.graph.get("clustered_nodes", 0),
            "physics": page_physics(page), **({"build_page_warm_s": min(warm)} if warm else {})}


def bench_size(quads: int, base_reports: int, work: Path, max_nodes: int = 500) -> dict:
    """Load a store of about ``quads`` quads, build the network page, time Chromium drawing it."""
    from kg.store import open_store

    started = time.perf_counter()
    nq, n = scaled_file(quads, base_reports)
    loc = work / f"viz-{quads}"
    shutil.rmtree(loc, ignore_errors=True)
    t_load = load_store(nq, loc)
    with open_store(loc) as store:
        r = bench_page(store, work, max_nodes)
    shutil.rmtree(loc, ignore_errors=True)
    return {"quads": n, **r, "load_store_s": t_load, "bench_size_s": time.perf_counter() - started}


def page_physics(page: str) -> bool | None:
    """Whether the page runs vis-network's physics (None if its options cannot be found)."""
    import re

    m = re.search(r"var options = (\{.*?\});\n", page, re.DOTALL)
    return None if m is None else bool(json.loads(m.group(1))["physics"]["enabled"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="+", help="store sizes in quads")
    parser.add_argument("--base-reports", type=int, default=1000)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kg-bench-viz-"))
    out = {}
    try:
        for size in args.sizes:
            out[str(size)] = r = bench_size(size, args.base_reports, work)
            print(json.dumps(r, ensure_ascii=False), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_result("viz", {"sizes": out})
    return 0


if __name__ == "__main__":
    sys.exit(main())
