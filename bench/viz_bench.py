"""Network page: time to build it from the store, what it shows, and Chromium's time to draw it.

    python bench/viz_bench.py 20000 200000 2000000

Each size (quads) is loaded into a persistent store; ``kg viz`` (``network_graph`` with
its default ``max_nodes=500`` + ``render_html``) builds the page; the node count of the
whole graph, the nodes and edges the page shows and its note are recorded; headless
Chromium (Debian's, driven by playwright) opens the page and the time until
vis-network has drawn is measured.
"""

from __future__ import annotations

import argparse
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


def draw_seconds(page_path: Path) -> float | None:
    """Seconds from navigation until vis-network has drawn the page (None without Chromium)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(CHROMIUM).exists():
        return None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        t = time.perf_counter()
        page.goto(page_path.as_uri())
        page.wait_for_function(
            "() => window.network && window.network.body && Object.keys(window.network.body.nodes).length > 0",
            timeout=120_000)
        # one more frame so that the canvas has been painted
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        dt = time.perf_counter() - t
        browser.close()
    return dt


def bench_size(quads: int, base_reports: int, work: Path, max_nodes: int = 500) -> dict:
    from pyoxigraph import RdfFormat, Store

    from kg.store import open_store
    from kg.viz import network_graph, render_html

    nq, n = scaled_file(quads, base_reports)
    loc = work / f"viz-{quads}"
    shutil.rmtree(loc, ignore_errors=True)
    raw = Store(str(loc))
    raw.bulk_load(path=str(nq), format=RdfFormat.N_QUADS, lenient=True)
    raw.flush()
    del raw
    with open_store(loc) as store:
        t = time.perf_counter()
        G = network_graph(store, max_nodes=max_nodes)
        t_graph = time.perf_counter() - t
        page = render_html(G)
        t_total = time.perf_counter() - t
    path = work / f"viz-{quads}.html"
    path.write_text(page, encoding="utf-8")
    draw = draw_seconds(path)
    shutil.rmtree(loc, ignore_errors=True)
    return {"quads": n, "graph_nodes": G.graph.get("total_nodes", G.number_of_nodes()),
            "graph_edges": G.graph.get("total_edges", G.number_of_edges()),
            "shown_nodes": G.number_of_nodes(), "shown_edges": G.number_of_edges(),
            "note": G.graph.get("note", ""), "build_graph_s": t_graph, "build_page_s": t_total,
            "page_bytes": len(page.encode("utf-8")), "chromium_draw_s": draw}


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
