"""Bulk load, export, validation and query latency on persistent stores of 10^5–10^7 quads.

    python bench/store_bench.py 100000 1000000 --rdflib 100000 1000000

For each size: ``kg load`` (``KgStore.load_file``) of the N-Quads into a fresh on-disk store (quads/s),
``kg export`` as Turtle and N-Quads (statements/s), each beside what pyoxigraph alone does on
the same data in the same run (its bulk loader in one call, its dump of the whole store), then the median and p95 latency of the
canned queries and of the focused queries an interactive page issues, through
``kg.query.run_query`` (rows converted to strings, as the CLI and pages get them). The
same queries run once more with rdflib's built-in SPARQL engine on the same N-Quads, in
a subprocess, each cut off after a minute. ``kg validate`` is timed at the sizes given
with ``--validate``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH, PYTHON, median, p95, repeat, write_result  # noqa: E402

from data import scaled_file  # noqa: E402
from pyoxigraph import RdfFormat, Store  # noqa: E402
from kg.query import load_query, run_query  # noqa: E402
from kg.vocab import SPARQL_PREFIXES  # noqa: E402

_P = SPARQL_PREFIXES
#: Totals for one funder / programme / region, what an entity page shows: canned queries
#: (queries/funder-totals.rq, program-totals.rq, region-totals.rq), timed under these names.
FOCUSED_TOTALS = {
    "totals-one-funder": "funder-totals",
    "totals-one-programme": "program-totals",
    "totals-one-region": "region-totals",
}
GLOBAL = ["who-funds-what", "funding-by-funder", "funding-by-program", "timeline", "programs-by-region",
          "actors", "regions", "programs", "documents"]
#: The ones the targets name (global ranking and totals < 1 s).
GLOBAL_TARGET = ["who-funds-what", "funding-by-funder", "funding-by-program"]


def _pick_params(store) -> dict[str, str]:  # noqa: ANN001
    """Names to ask about: a county finance bureau that funds, a funded programme, a jurisdiction."""
    def one(where: str) -> str:
        rows = run_query(store, _P + f"SELECT ?x WHERE {{ GRAPH ?g {{ {where} }} }} LIMIT 1").rows
        return rows[0][0] if rows else ""

    funder = one('?f schema:funder/skos:prefLabel ?x . FILTER(STRENDS(?x, "财政局"))')
    program = one("?f pkg:program/skos:prefLabel ?x")
    region = one("?g pkg:jurisdiction/skos:prefLabel ?x")
    return {"actor": funder, "program": program, "region": region, "search": region[:2]}


def query_specs(params: dict[str, str]) -> list[dict]:
    """(name, kind, query text, params) of every query timed."""
    specs = [
        {"name": "actor-fundings", "kind": "focused", "q": load_query("actor-fundings"), "params": {"name": params["actor"]}},
        {"name": "actor", "kind": "focused", "q": load_query("actor"), "params": {"name": params["actor"]}},
        {"name": "evidence", "kind": "focused", "q": load_query("evidence"), "params": {"name": params["actor"]}},
        {"name": "search", "kind": "focused", "q": load_query("search"), "params": {"q": params["search"]}},
        {"name": "totals-one-funder", "kind": "focused", "q": load_query(FOCUSED_TOTALS["totals-one-funder"]),
         "params": {"name": params["actor"]}},
        {"name": "totals-one-programme", "kind": "focused",
         "q": load_query(FOCUSED_TOTALS["totals-one-programme"]), "params": {"name": params["program"]}},
        {"name": "totals-one-region", "kind": "focused", "q": load_query(FOCUSED_TOTALS["totals-one-region"]),
         "params": {"name": params["region"]}},
    ]
    for name in GLOBAL:
        specs.append({"name": name, "kind": "global" if name in GLOBAL_TARGET else "global (other)",
                      "q": load_query(name), "params": {}})
    return specs


def bench_queries(store, specs: list[dict], runs_focused: int = 15, runs_global: int = 5) -> dict:  # noqa: ANN001
    out = {}
    for s in specs:
        fn = lambda s=s: run_query(store, s["q"], s["params"])  # noqa: E731
        rows = len(fn().rows)  # warm-up (and the row count)
        times = repeat(fn, runs_focused if s["kind"] == "focused" else runs_global, budget_s=30)
        out[s["name"]] = {"kind": s["kind"], "rows": rows, "runs": len(times), "median_s": median(times),
                          "p95_s": p95(times), "params": s["params"]}
    return out


def bench_rdflib(nq: Path, specs: list[dict], names: list[str] | None, timeout: int = 60) -> dict:
    chosen = [s for s in specs if names is None or s["name"] in names]
    spec = []
    for s in chosen:
        langs = {p.name: p.language for p in s["q"].params}
        # rdflib has no LATERAL: it gets the plain SPARQL 1.1 form a server without it gets
        text = s["q"].portable or s["q"].text
        spec.append({"name": s["name"], "text": text, "runs": 3 if s["kind"] == "focused" else 1,
                     "params": {k: [v, langs.get(k)] for k, v in s["params"].items()}})
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(spec, fh, ensure_ascii=False)
    try:
        proc = subprocess.run([PYTHON, str(BENCH / "rdflib_worker.py"), str(nq), fh.name, "--timeout", str(timeout)],
                              capture_output=True, text=True, timeout=timeout * (len(spec) + 3) + 600)
    finally:
        os.unlink(fh.name)
    if proc.returncode != 0:
        return {"error": proc.stderr[-1000:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _read_through(path: Path) -> None:
    with open(path, "rb") as fh:
        while fh.read(16 << 20):
            pass


def _engine_load_s(nq: Path, location: Path) -> float:
    """Seconds pyoxigraph's own bulk loader takes for the file, in one call, into a fresh store."""
    shutil.rmtree(location, ignore_errors=True)
    os.sync()
    t = time.perf_counter()
    store = Store(str(location))
    store.bulk_load(path=str(nq), format=RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - t
    del store
    shutil.rmtree(location, ignore_errors=True)
    return seconds


def bench_size(quads: int, base_reports: int, rdflib_queries: list[str] | None | bool, validate: bool,
               workdir: Path, runs: tuple[int, int] = (15, 5), on_store: Callable | None = None) -> dict:
    """Every store figure at one size; ``runs`` = repetitions of (focused, global) queries;
    ``on_store(store)`` measures something more on the loaded store (its result goes under "page")."""
    from kg.export import export
    from kg.store import open_store

    nq, n = scaled_file(quads, base_reports)
    location = workdir / f"store-{quads}"
    shutil.rmtree(location, ignore_errors=True)
    _read_through(nq)  # both loads below read the file from the page cache
    # the median of 5 loads below 10^6 quads, where one takes under a second
    repeats = 5 if n < 1_000_000 else 1
    times = []
    for _ in range(repeats):
        shutil.rmtree(location, ignore_errors=True)
        os.sync()  # what earlier steps left to write back does not land inside the timing
        # bulk load: `kg load FILE.nq` (KgStore.load_file) into a fresh persistent store
        t = time.perf_counter()
        with open_store(location) as store:
            loaded = store.load_file(nq)
            store.flush()
        times.append(time.perf_counter() - t)
        assert loaded == n, (loaded, n)
    load_s = statistics.median(times)
    engine_s = statistics.median(_engine_load_s(nq, workdir / f"engine-{quads}") for _ in range(repeats))
    result: dict = {"quads": n, "bulk_load_s": load_s, "bulk_load_runs": repeats, "bulk_load_quads_per_s": n / load_s,
                    "engine_load_s": engine_s}
    with open_store(location) as store:
        # `kg optimize`: RocksDB would merge the freshly loaded tables in the background for a
        # minute or two, slowing every read meanwhile (10^7 quads: N-Quads export 166k/s fresh,
        # 238k/s merged); merge them now, timed, so what follows measures the settled store
        t = time.perf_counter()
        store.optimize()
        result["optimize_s"] = time.perf_counter() - t
        for fmt in ("nquads", "turtle"):
            times = []
            for _ in range(repeats):
                with open(workdir / f"export.{fmt}", "wb") as fh:
                    t = time.perf_counter()
                    written = export(store, fmt, fh)
                    times.append(time.perf_counter() - t)
            dt = statistics.median(times)
            result[f"export_{fmt}_s"] = dt
            result[f"export_{fmt}_runs"] = repeats
            result[f"export_{fmt}_statements"] = written
            result[f"export_{fmt}_per_s"] = written / dt
            os.unlink(workdir / f"export.{fmt}")
        # what pyoxigraph alone does: its own dump of the whole store, one call
        times = []
        for _ in range(repeats):
            with open(workdir / "export.engine.nq", "wb") as fh:
                t = time.perf_counter()
                store.store.dump(fh, RdfFormat.N_QUADS)
                times.append(time.perf_counter() - t)
        os.unlink(workdir / "export.engine.nq")
        result["engine_dump_s"] = statistics.median(times)
        # on the merged store (at 10^7 quads a page built right after the load took 6.4 s, merged 2.8 s)
        if on_store is not None:
            result["page"] = on_store(store)
        params = _pick_params(store)
        specs = query_specs(params)
        result["oxigraph"] = bench_queries(store, specs, *runs)
        if validate:
            from kg.validate import validate as run_validate

            t = time.perf_counter()
            v = run_validate(store)
            result["validate_s"] = time.perf_counter() - t
            result["validate_conforms"] = v.conforms
            result["validate_violations"] = v.violations
    shutil.rmtree(location, ignore_errors=True)
    if rdflib_queries is not False:
        result["rdflib"] = bench_rdflib(nq, specs, rdflib_queries if isinstance(rdflib_queries, list) else None)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="+")
    parser.add_argument("--base-reports", type=int, default=1000)
    parser.add_argument("--rdflib", type=int, nargs="*", default=[], help="sizes to compare with rdflib (all queries)")
    parser.add_argument("--rdflib-targets", type=int, nargs="*", default=[],
                        help="sizes to compare with rdflib on the target queries only")
    parser.add_argument("--validate", type=int, nargs="*", default=[])
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kg-bench-store-"))
    out = {}
    try:
        for size in args.sizes:
            if size in args.rdflib:
                rq: list[str] | None | bool = None
            elif size in args.rdflib_targets:
                rq = ["actor-fundings", "totals-one-funder", "totals-one-programme", "totals-one-region", "search",
                      *GLOBAL_TARGET]
            else:
                rq = False
            out[str(size)] = r = bench_size(size, args.base_reports, rq, size in args.validate, work)
            print(json.dumps({k: v for k, v in r.items() if k not in ("oxigraph", "rdflib")}), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_result("store", {"sizes": out})
    return 0


if __name__ == "__main__":
    sys.exit(main())
