"""The ``kg`` command: each sub-command parses arguments, calls one library function, prints."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kg.errors import KgError

EXAMPLES = {
    "ingest": "kg ingest data/reports/               # every .txt/.html/.htm/.pdf/.docx/.doc/.wps in the folder\n"
              "  kg ingest a.txt b.html --store ./kg-store --jobs 2\n"
              "  kg ingest corpus/ --skip-existing          # resume: unchanged reports are skipped\n"
              "  kg --store http://127.0.0.1:7878 ingest corpus/ --executor dask://scheduler:8786",
    "query": "kg query who-funds-what\n"
             "  kg query actor --param name=西宁市农业农村局 --format json\n"
             "  kg query actor --param name=市农业农村局     # an alias as the report writes it, or traditional script\n"
             "  kg query my-query.rq --format csv",
    "load": "kg load backup.nq                      # restore an export (N-Quads, TriG…) into the store\n"
            "  kg load other-data.ttl --graph https://example.org/graph/other",
    "export": "kg export --format turtle -o out/graph.ttl\n  kg export --format trig -o out/graph.trig",
    "viz": "kg viz -o out/graph.html\n  kg viz --focus https://w3id.org/policy-kg/id/actor/… --depth 2",
    "optimize": "kg optimize                            # after a large ingest or load",
    "validate": "kg validate",
    "stats": "kg stats",
    "queries": "kg queries                             # list the canned queries",
    "eval": "kg eval --gold ../shared/gold data/reports ../shared/dev-reports\n"
            "  kg eval --gold ../shared/gold --gold eval/dev/gold data/reports eval/dev/corpus --errors\n"
            "  kg eval --gold eval/blind/gold eval/blind/corpus --summary   # overall scores only\n"
            "  kg eval --gold ../shared/gold data/reports --json",
    "serve": "kg serve                               # http://127.0.0.1:8000/ (read-only)\n"
             "  kg serve --port 8080 --query-timeout 5 --max-rows 50000\n"
             "  KG_UPDATE_TOKEN=s3cret kg serve        # allow SPARQL Update / Graph Store writes with that token",
    "analyze": "kg analyze                             # central actors, funding totals, flows\n"
               "  kg analyze --svg out/flows.svg --json",
}


def _store(args: argparse.Namespace, create: bool = False):  # noqa: ANN202 - KgStore, imported lazily
    """The store of ``--store``: only ``ingest`` and ``load`` create it; reading a missing one is an error."""
    from kg.store import open_store

    return open_store(args.store, create=create)


def cmd_ingest(args: argparse.Namespace) -> int:
    """Read reports into the store."""
    from kg.pipeline import default_jobs, ingest

    show_bar = sys.stderr.isatty() and not args.quiet
    bar = None
    if show_bar:
        from tqdm import tqdm

        bar = tqdm(unit="report", desc="ingest", leave=False)

    def progress(result: object) -> None:
        from kg.pipeline import Failure

        if isinstance(result, Failure):
            print(f"error: {result}", file=sys.stderr)
        if bar is not None:
            bar.update(1)

    with _store(args, create=True) as store:
        summary = ingest(args.paths, store, jobs=args.jobs or default_jobs(), on_report=progress,
                         executor=args.executor, skip_existing=args.skip_existing, batch_quads=args.batch_quads)
    if bar is not None:
        bar.close()
    print(f"reports: {summary.reports}  entities: {summary.entities}  fundings: {summary.fundings}  "
          f"triples: {summary.triples}  failures: {len(summary.failures)}"
          + (f"  skipped (unchanged): {summary.skipped}" if summary.skipped else ""))
    return 0 if summary.ok else 1


def _params(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise KgError(f"--param wants name=value, got {pair!r}")
        out[name.strip()] = value
    return out


def cmd_query(args: argparse.Namespace) -> int:
    """Run a canned query (by name) or a .rq file."""
    from kg.query import format_result, load_query, run_query

    with _store(args) as store:
        result = run_query(store, load_query(args.query), _params(args.param))
    print(format_result(result, args.format))
    return 0


def cmd_queries(args: argparse.Namespace) -> int:
    """List the canned queries."""
    from kg.query import list_queries

    for q in list_queries():
        params = " ".join(f"--param {p.name}=…" for p in q.params)
        print(f"{q.name:<20} {q.title}" + (f"   [{params}]" if params else ""))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the whole graph in an RDF syntax."""
    from kg.export import export

    with _store(args) as store:
        if args.output in (None, "-"):
            n = export(store, args.format, sys.stdout.buffer)
        else:
            Path(args.output).parent.mkdir(parents=True, exist_ok=True)
            with open(args.output, "wb") as fh:
                n = export(store, args.format, fh)
    print(f"exported {n} {'quads' if args.format in ('trig', 'nquads') else 'triples'}"
          + (f" to {args.output}" if args.output not in (None, "-") else ""), file=sys.stderr)
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    """Bulk-load RDF files into the store."""
    failed = 0
    with _store(args, create=True) as store:
        for path in args.files:
            try:
                n = store.load_file(path, graph=args.graph)
            except KgError as exc:
                print(f"error: {exc}", file=sys.stderr)
                failed += 1
                continue
            print(f"loaded {n} statements from {path}")
    return 1 if failed else 0


def cmd_optimize(args: argparse.Namespace) -> int:
    """Merge the store's tables now rather than in the background."""
    with _store(args) as store:
        done = store.optimize()
    print(f"optimized {store.location}" if done else
          f"nothing to optimize: {store.location} is a SPARQL server, which manages its own storage")
    return 0


def cmd_viz(args: argparse.Namespace) -> int:
    """Write the interactive network page."""
    from kg.viz import network_graph, render_html

    with _store(args) as store:
        graph = network_graph(store, focus=args.focus, depth=args.depth, max_nodes=args.max_nodes)
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(render_html(graph), encoding="utf-8")
    print(f"wrote {args.output}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"
          + (f" ({graph.graph['note']})" if graph.graph.get("note") else ""))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Check the graph against the SHACL shapes."""
    from kg.validate import validate

    with _store(args) as store:
        result = validate(store)
    if result.conforms:
        print("valid: the graph conforms to ontology/shapes.ttl")
        return 0
    print(result.text)
    print(f"invalid: {result.violations} violation(s)")
    return 1


def cmd_stats(args: argparse.Namespace) -> int:
    """Count what the store holds."""
    with _store(args) as store:
        stats = store.stats()
    width = max(len(k) for k in stats)
    for key, value in stats.items():
        print(f"{key:<{width}}  {value}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Score extraction against gold files."""
    from kg.eval import evaluate, format_errors, format_summary, format_table

    result = evaluate(args.gold, args.paths)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    elif args.summary:
        print(format_summary(result))
    else:
        print(format_table(result))
        if args.errors:
            print(format_errors(result))
    for failure in result.failures:  # scored as all missed: the figures above are not to be trusted
        print(f"error: {failure}", file=sys.stderr)
    return 1 if result.failures else 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the browse pages, the SPARQL endpoint and the graph store over HTTP."""
    from kg.serve import serve
    from kg.store import require_store

    require_store(args.store)  # serving a mistyped --store would show an empty graph
    serve(args.store or os.environ.get("KG_STORE") or "kg-store", host=args.host, port=args.port,
          update_token=args.update_token or os.environ.get("KG_UPDATE_TOKEN") or None,
          query_timeout=args.query_timeout, max_rows=args.max_rows, allow_service=args.allow_service,
          sparql_workers=args.workers, page_workers=args.workers, query_memory=args.query_memory,
          max_slow_queries=args.max_slow_queries)
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    """Central actors, funding totals and flows."""
    from kg.analyze import analyze, format_analysis

    with _store(args) as store:
        result = analyze(store, top=args.top)
    if args.svg:
        Path(args.svg).parent.mkdir(parents=True, exist_ok=True)
        Path(args.svg).write_text(result.sankey_svg(), encoding="utf-8")
    print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) if args.json else format_analysis(result))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Turn Chinese policy reports into an RDF knowledge graph, then query, browse and export it.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n" + "\n".join(f"  {e}" for e in EXAMPLES.values()),
    )
    parser.add_argument("--store", default=None,
                        help="store folder, or http(s):// URL of a SPARQL server (default: $KG_STORE or ./kg-store)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, func, help_: str) -> argparse.ArgumentParser:  # noqa: ANN001
        p = sub.add_parser(name, help=help_, description=help_, epilog="example:\n  " + EXAMPLES[name],
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        p.add_argument("--store", default=argparse.SUPPRESS, help="store folder (default: $KG_STORE or ./kg-store)")
        p.set_defaults(func=func)
        return p

    p = add("ingest", cmd_ingest, "read reports (files or folders) into the store, one named graph per report")
    p.add_argument("paths", nargs="+", help="report files (.txt .html .htm .pdf .docx .doc .wps) or folders")
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per core)")
    p.add_argument("--executor", default=None, metavar="dask://HOST:PORT",
                   help="run the analysis on a Dask cluster (needs policy-kg[dask]); default: local processes")
    p.add_argument("--skip-existing", action="store_true",
                   help="skip reports whose graph is already stored with the same sha256 (resume an ingest)")
    p.add_argument("--batch-quads", type=int, default=None, metavar="N",
                   help="largest batch of quads written at once (default 500,000; batches grow to it from 50,000): "
                        "smaller uses less memory, larger merges faster into a big store")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = add("query", cmd_query, "run a canned query by NAME or a SPARQL .rq file")
    p.add_argument("query", help="canned query name (see `kg queries`) or path to a .rq file")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="bind a query parameter")

    add("queries", cmd_queries, "list the canned queries and their parameters")

    p = add("export", cmd_export, "export the graph as Turtle, TriG, N-Quads, N-Triples or JSON-LD")
    p.add_argument("--format", choices=("turtle", "trig", "nquads", "ntriples", "jsonld"), default="turtle")
    p.add_argument("-o", "--output", default=None, help="output file (default: standard output)")

    p = add("load", cmd_load, "bulk-load RDF files (an export, or outside data) into the store")
    p.add_argument("files", nargs="+", help=".nq .trig .nt .ttl .jsonld or .rdf files")
    p.add_argument("--graph", default=None, help="named graph (IRI or report id) for files of triples")

    add("optimize", cmd_optimize, "merge the store's tables after a large ingest or load, so reads and "
                                  "exports run at full speed at once (otherwise RocksDB does it in the background)")

    p = add("viz", cmd_viz, "write an interactive network page (pyvis, works offline)")
    p.add_argument("-o", "--output", default="graph.html")
    p.add_argument("--focus", default=None, help="IRI of a node: draw only its neighbourhood")
    p.add_argument("--depth", type=int, default=1, help="hops around --focus")
    p.add_argument("--max-nodes", type=int, default=500, help="reduce larger graphs to the most connected nodes")

    add("validate", cmd_validate, "validate the graph against the SHACL shapes")
    add("stats", cmd_stats, "count reports, entities, fundings and triples")

    p = add("eval", cmd_eval, "score extraction against gold files (precision, recall, F1)")
    p.add_argument("--gold", required=True, action="append",
                   help="folder of <report-id>.json gold files (repeat for several folders)")
    p.add_argument("paths", nargs="+", help="report files or folders")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--errors", action="store_true",
                   help="after the table, list false positives, false negatives and wrong funders (report, category, item)")
    p.add_argument("--summary", action="store_true",
                   help="print only the overall scores (for a blind split: nothing about single reports)")

    p = add("serve", cmd_serve, "serve browse pages, a SPARQL 1.1 endpoint (/sparql) and a graph store (/store)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--update-token", default=None,
                   help="allow SPARQL Update and graph store writes that carry 'Authorization: Bearer TOKEN' "
                        "(default: $KG_UPDATE_TOKEN; without one the server is read-only)")
    p.add_argument("--query-timeout", type=float, default=10.0, help="seconds a query may run (default: 10)")
    p.add_argument("--max-rows", type=int, default=10_000, help="result rows (or triples) a query may return")
    p.add_argument("--allow-service", action="store_true",
                   help="allow SERVICE in queries and LOAD in updates (off: the server reaches no other host)")
    p.add_argument("--workers", type=int, default=2,
                   help="worker processes per pool (SPARQL and pages); as many SPARQL queries may run "
                        "over 1 s at once, and the SPARQL pool has 2 more workers for quick queries")
    p.add_argument("--query-memory", type=int, default=512, metavar="MIB",
                   help="memory one SPARQL query may use in its worker, in MiB; past it the query is stopped "
                        "(503) and the worker replaced (default: 512; 0: no limit)")
    p.add_argument("--max-slow-queries", type=int, default=2, metavar="N",
                   help="slow queries (running over 1 s) one client address may have at once; past that it "
                        "gets 429 with Retry-After (default: 2)")

    p = add("analyze", cmd_analyze, "central actors, funding totals by funder/recipient/programme/region, flows")
    p.add_argument("--top", type=int, default=15, help="rows per table (default: 15)")
    p.add_argument("--svg", default=None, help="also write the funding-flow Sankey diagram to this SVG file")
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kg`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "store", None) is None:
        args.store = os.environ.get("KG_STORE") or None
    try:
        return args.func(args)
    except KgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", 2)  # 1 where the input names nothing (kg.query.NoSuchName)
    except BrokenPipeError:  # pragma: no cover - e.g. `kg export | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
