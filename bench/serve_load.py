"""Load test of `kg serve`: N concurrent clients for a fixed time against a local server.

    .venv/bin/python bench/serve_load.py                    # 32 clients, 60 s, sample store
    .venv/bin/python bench/serve_load.py --store kg-store --duration 30
    .venv/bin/python bench/serve_load.py --url http://127.0.0.1:8000 --clients 8
    .venv/bin/python bench/serve_load.py --hostile          # 29 normal clients + 3 looping runaways, 60 s
    .venv/bin/python bench/serve_load.py --hostile --seconds 20 --addresses shared

Without ``--url`` it builds (or reuses) a store of the bundled sample reports, starts
``kg serve`` as a separate process on 127.0.0.1 with a free port, and stops it afterwards.
The mix: canned SPARQL queries through /sparql (SPARQL JSON), entity pages, report pages,
searches, the network view (whole graph and focused) and the home page.

Traffic goes to 127.0.0.1 only (``--url`` must name a loopback host), each client stops at
the deadline, and the total number of requests is capped (``--max-requests``).
Prints requests/s, errors, and p50/p90/p99/max latency, overall and per kind of request.

``--hostile`` adds clients that loop a runaway query (a four-way cross join of the whole
store, sorted: it wants gigabytes) beside the normal ones, whose mix then also has *simple*
queries (the triples of one entity) that are never cached, so each needs a worker. Every
runaway request carries its own comment so that the server cannot share or cache it; after
a 429 a runaway client waits 0.1 s, ignoring Retry-After. Each client speaks from its own
loopback address (normal clients from 127.0.1.x, runaways from 127.0.0.2, .3, …) as distinct
users would; ``--addresses shared`` puts the normal clients on 127.0.0.1 and the runaways on
127.0.0.2. It reports the normal clients' p50/p95/p99 and the share answered (2xx/3xx), what
the runaways got, and the peak resident memory of the server's process tree (psutil, summed
over the processes every 0.1 s; known when the benchmark starts the server or is given
``--server-pid``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import TreeRss, percentile  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CANNED = ["who-funds-what", "funding-by-funder", "funding-by-program", "actors", "programs-by-region", "regions",
          "documents", "timeline"]
WEIGHTS = {"sparql": 30, "entity": 25, "search": 15, "report": 8, "network": 12, "home": 5, "analytics": 5}
#: the hostile mix: the weight of simple queries among the normal clients' requests
SIMPLE_WEIGHT = 30
RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?l ?i ?f ?c"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sample_store(path: Path) -> Path:
    """A store of the bundled sample reports (built once, then reused)."""
    if (path / "CURRENT").exists():
        return path
    from kg.pipeline import ingest
    from kg.store import open_store

    with open_store(path) as store:
        summary = ingest([ROOT / "data" / "reports"], store, jobs=1)
    if not summary.ok:
        raise SystemExit(f"ingest failed: {summary.failures}")
    return path


def start_server(store: Path, port: int, workers: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "kg.cli", "--store", str(store), "serve", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, start_new_session=True)
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"kg serve exited: {proc.stderr.read().decode(errors='replace')}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/sparql", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("kg serve did not start in 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(20)
    except (subprocess.TimeoutExpired, ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


def build_requests(base: str) -> dict[str, list[tuple[str, dict]]]:
    """URLs for each kind of request, from what the store holds."""
    import httpx

    from kg.query import load_query

    def select(q: str) -> list[dict[str, str]]:
        r = httpx.post(base + "/sparql", data={"query": q}, headers={"Accept": "application/sparql-results+json"},
                       timeout=60)
        r.raise_for_status()
        return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]

    pkg = "https://w3id.org/policy-kg/ontology#"
    entities = select(f"""SELECT DISTINCT ?x ?l WHERE {{ VALUES ?c {{ <{pkg}Actor> <{pkg}Region> <{pkg}Program>
        <{pkg}PolicyDocument> <{pkg}Funding> }} ?x a ?c OPTIONAL {{ ?x <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }} }}
        LIMIT 400""")
    reports = select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g a <{pkg}Report> }} }} LIMIT 50")
    labels = [e["l"] for e in entities if e.get("l")]
    rnd = random.Random(7)
    searches = sorted({lab[: rnd.randint(2, max(2, min(6, len(lab))))] for lab in labels})[:60] or ["西宁"]
    actors = [e["x"] for e in entities if "/actor/" in e["x"]][:20]
    simple = [(base + "/sparql", {"query": f"SELECT ?p ?o WHERE {{ <{e['x']}> ?p ?o }} LIMIT 50"}) for e in entities]
    out: dict[str, list[tuple[str, dict]]] = {
        "sparql": [(base + "/sparql", {"query": load_query(n).text}) for n in CANNED],
        "entity": [(f"{base}/entity?iri={quote(e['x'], safe='')}", {}) for e in entities],
        "search": [(f"{base}/search?q={quote(s)}", {}) for s in searches],
        "report": [(f"{base}/report?iri={quote(r['g'], safe='')}", {}) for r in reports],
        "network": [(f"{base}/network", {})] + [(f"{base}/network?focus={quote(a, safe='')}&depth=1", {}) for a in actors[:8]],
        "home": [(base + "/", {})],
        "analytics": [(base + "/analytics", {})],
        "simple": simple,
    }
    return {k: v for k, v in out.items() if v}


class Connection:
    """A minimal HTTP/1.1 keep-alive client connection (much cheaper than a full client library,
    so that the load generator leaves the CPU to the server on a small machine)."""

    def __init__(self, host: str, port: int, timeout: float, local_address: str | None = None) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.local_address = local_address  # a loopback address to speak from
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.body = b""  # of the last response

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def request(self, method: str, target: str, body: bytes = b"", headers: dict[str, str] | None = None) -> int:
        return await asyncio.wait_for(self._request(method, target, body, headers or {}), self.timeout)

    async def _request(self, method: str, target: str, body: bytes, headers: dict[str, str]) -> int:
        if self.writer is None:
            local = (self.local_address, 0) if self.local_address else None
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port, local_addr=local)
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: keep-alive"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        reader = self.reader
        status_line = await reader.readline()
        if not status_line:
            await self.close()
            raise ConnectionError("connection closed by the server")
        status = int(status_line.split()[1])
        length, chunked, close = None, False, False
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                close = True
        chunks = []
        if chunked:
            while True:
                size = int((await reader.readline()).split(b";")[0], 16)
                chunks.append((await reader.readexactly(size + 2))[:-2])
                if size == 0:
                    break
        elif length is not None:
            chunks.append(await reader.readexactly(length))
        else:
            chunks.append(await reader.read())
            close = True
        self.body = b"".join(chunks)
        if close:
            await self.close()
        return status


def _prepare(requests: dict[str, list[tuple[str, dict]]]) -> dict[str, list[tuple[str, str, bytes, dict[str, str]]]]:
    from urllib.parse import urlencode

    prepared: dict[str, list[tuple[str, str, bytes, dict[str, str]]]] = {}
    for kind, items in requests.items():
        prepared[kind] = []
        for url, form in items:
            split = urlsplit(url)
            target = split.path + (f"?{split.query}" if split.query else "")
            if form:
                prepared[kind].append(("POST", target, urlencode(form).encode(), {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json"}))
            else:
                prepared[kind].append(("GET", target, b"", {"Accept": "text/html"}))
    return prepared


def _uncached(body: bytes, tag: str) -> bytes:
    """A form body whose query ends with a comment of its own: the server can neither cache nor share it."""
    from urllib.parse import quote_plus

    return body + quote_plus(f"\n# {tag}").encode()


def _stats(values: list[float]) -> dict:
    return {"p50_ms": round(percentile(values, 0.50) * 1000, 1), "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            "p99_ms": round(percentile(values, 0.99) * 1000, 1),
            "max_ms": round(max(values) * 1000, 1) if values else None}


async def run_load(base: str, requests: dict[str, list[tuple[str, dict]]], clients: int, duration: float,
                   max_requests: int, timeout: float, *, weights: dict[str, int] | None = None,
                   addresses: list[str | None] | None = None, runaway_addresses: list[str] | None = None) -> dict:
    """``clients`` normal clients (from ``addresses``, one each) and, if given, one runaway client
    per address of ``runaway_addresses``, all until ``duration`` s have passed."""
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    prepared = _prepare(requests)
    weights = weights or WEIGHTS
    kinds = [k for k in weights if k in prepared]
    kind_weights = [weights[k] for k in kinds]
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    error_samples: list[str] = []
    runaway: dict[str, int] = defaultdict(int)
    budget = {"left": max_requests}
    deadline = time.monotonic() + duration

    async def client(n: int) -> None:
        rnd = random.Random(1000 + n)
        conn = Connection(host, port, timeout, addresses[n] if addresses else None)
        try:
            while time.monotonic() < deadline and budget["left"] > 0:
                budget["left"] -= 1
                kind = rnd.choices(kinds, kind_weights)[0]
                method, target, body, headers = rnd.choice(prepared[kind])
                if kind == "simple":
                    body = _uncached(body, f"client {n} request {budget['left']}")
                start = time.perf_counter()
                try:
                    status = await conn.request(method, target, body, headers)
                    ok, why = status < 400, f"{status} {target[:60]}"
                    if not ok:
                        why += f" {conn.body[:100].decode('utf-8', 'replace').strip()}"
                except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError) as e:
                    await conn.close()
                    ok, why = False, f"{type(e).__name__} {target[:100]}"
                latencies[kind].append(time.perf_counter() - start)
                if not ok:
                    errors[kind] += 1
                    if len(error_samples) < 10:
                        error_samples.append(why)
        finally:
            await conn.close()

    async def runaway_client(n: int, address: str) -> None:
        from urllib.parse import urlencode

        conn = Connection(host, port, timeout, address)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
        k = 0
        try:
            while time.monotonic() < deadline and budget["left"] > 0:
                budget["left"] -= 1
                k += 1
                body = urlencode({"query": f"{RUNAWAY}\n# runaway {n} request {k}"}).encode()
                try:
                    status = await conn.request("POST", "/sparql", body, headers)
                    text = conn.body.decode("utf-8", "replace")
                    why = (f"{status} memory limit" if "memory limit" in text else
                           f"{status} time limit" if "time limit" in text else
                           f"{status} stopped at 1 s, quota of long queries full" if "long queries" in text else
                           f"{status} no worker free for a watched client" if "stayed busy" in text else
                           str(status))
                except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError) as e:
                    await conn.close()
                    status, why = 0, type(e).__name__
                runaway[why] += 1
                if status == 429:
                    await asyncio.sleep(0.1)
        finally:
            await conn.close()

    started = time.monotonic()
    await asyncio.gather(*(client(i) for i in range(clients)),
                         *(runaway_client(i, a) for i, a in enumerate(runaway_addresses or [])))
    elapsed = time.monotonic() - started
    every = [x for v in latencies.values() for x in v]
    result = {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "requests": len(every),
        "requests_per_s": round(len(every) / elapsed, 1),
        "errors": sum(errors.values()),
        "answered_pct": round(100 * (1 - sum(errors.values()) / len(every)), 2) if every else None,
        "p50_ms": round(percentile(every, 0.50) * 1000, 1),
        "p90_ms": round(percentile(every, 0.90) * 1000, 1),
        "p95_ms": round(percentile(every, 0.95) * 1000, 1),
        "p99_ms": round(percentile(every, 0.99) * 1000, 1),
        "max_ms": round(max(every) * 1000, 1) if every else None,
        "by_kind": {
            k: {"requests": len(v), "errors": errors.get(k, 0),
                "answered_pct": round(100 * (1 - errors.get(k, 0) / len(v)), 2), **_stats(v)}
            for k, v in sorted(latencies.items())
        },
        "error_samples": error_samples,
    }
    if runaway_addresses:
        result["runaway_clients"] = len(runaway_addresses)
        result["runaway_addresses"] = sorted(set(runaway_addresses))
        result["runaway_outcomes"] = dict(sorted(runaway.items()))
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="an already running kg serve on a loopback address (default: start one)")
    ap.add_argument("--store", help="store to serve (default: a store of the bundled sample reports)")
    ap.add_argument("--clients", type=int, default=None, help="normal clients (default: 32; 29 with --hostile)")
    ap.add_argument("--duration", "--seconds", dest="duration", type=float, default=60.0,
                    help="seconds of load (default: 60)")
    ap.add_argument("--max-requests", type=int, default=500_000, help="stop after this many requests in total")
    ap.add_argument("--timeout", type=float, default=30.0, help="per-request client timeout in seconds")
    ap.add_argument("--workers", type=int, default=2, help="worker processes per pool of the started server")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up before measuring")
    ap.add_argument("--hostile", action="store_true", help="add clients that loop a runaway query")
    ap.add_argument("--runaways", type=int, default=3, help="runaway clients with --hostile (default: 3)")
    ap.add_argument("--addresses", choices=("own", "shared"), default="own",
                    help="with --hostile: every client on its own loopback address (default), or the normal "
                         "clients on 127.0.0.1 and the runaways on 127.0.0.2")
    ap.add_argument("--server-pid", type=int, help="with --url: the server's process id, for its peak memory")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args(argv)
    clients = args.clients if args.clients is not None else (29 if args.hostile else 32)
    if args.hostile and not 0 < args.runaways <= 200 or clients > 250:
        raise SystemExit("at most 250 normal and 200 runaway clients (each needs a loopback address)")

    proc = None
    tmp = None
    if args.url:
        host = urlsplit(args.url).hostname
        if host not in LOOPBACK:
            raise SystemExit(f"refusing to load {host}: this benchmark only targets 127.0.0.1 / localhost")
        base = args.url.rstrip("/")
    else:
        if args.store:
            store = Path(args.store)
        else:
            tmp = Path(tempfile.mkdtemp(prefix="kg-serve-load-"))
            store = sample_store(tmp / "store")
        port = free_port()
        proc = start_server(store, port, args.workers)
        base = f"http://127.0.0.1:{port}"
    server_pid = proc.pid if proc is not None else args.server_pid
    options: dict = {}
    if args.hostile:
        own = args.addresses == "own"
        options = {
            "weights": {**WEIGHTS, "simple": SIMPLE_WEIGHT},
            # loopback only: all of 127.0.0.0/8 reaches this machine's own server
            "addresses": [f"127.0.1.{i + 1}" if own else "127.0.0.1" for i in range(clients)],
            "runaway_addresses": [f"127.0.0.{i + 2}" if own else "127.0.0.2" for i in range(args.runaways)],
        }
    load_before = os.getloadavg()
    try:
        requests = build_requests(base)
        if args.warmup > 0:
            asyncio.run(run_load(base, requests, clients, args.warmup, args.max_requests, args.timeout,
                                 weights=options.get("weights"), addresses=options.get("addresses")))
        if server_pid:
            with TreeRss(server_pid, interval=0.1) as memory:
                result = asyncio.run(run_load(base, requests, clients, args.duration, args.max_requests,
                                              args.timeout, **options))
            result["server_peak_rss_mb"] = round(memory.peak_total / 2**20)
            result["server_processes"] = memory.peak_processes
        else:
            result = asyncio.run(run_load(base, requests, clients, args.duration, args.max_requests, args.timeout,
                                          **options))
    finally:
        if proc is not None:
            stop_server(proc)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    result["cores"] = os.cpu_count()
    result["load_average_before"] = [round(x, 2) for x in load_before]
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"{result['clients']} clients, {result['seconds']} s, {os.cpu_count()} cores: "
              f"{result['requests']} requests, {result['requests_per_s']} requests/s, {result['errors']} errors, "
              f"p50 {result['p50_ms']} ms, p90 {result['p90_ms']} ms, p95 {result['p95_ms']} ms, "
              f"p99 {result['p99_ms']} ms, max {result['max_ms']} ms")
        for kind, s in result["by_kind"].items():
            print(f"  {kind:<10} {s['requests']:>7} requests  {s['errors']:>4} errors  p50 {s['p50_ms']:>7} ms  "
                  f"p95 {s['p95_ms']:>7} ms  p99 {s['p99_ms']:>7} ms")
        if "runaway_clients" in result:
            print(f"normal clients answered: {result['answered_pct']} %; simple queries answered: "
                  f"{result['by_kind'].get('simple', {}).get('answered_pct')} %")
            print(f"{result['runaway_clients']} runaway clients from {', '.join(result['runaway_addresses'])}: "
                  + ", ".join(f"{n} × {why}" for why, n in result["runaway_outcomes"].items()))
        if "server_peak_rss_mb" in result:
            print(f"server process tree: peak {result['server_peak_rss_mb']} MB resident "
                  f"({result['server_processes']} processes, RSS summed every 0.1 s)")
        print(f"load average before {result['load_average_before']}, after {result['load_average_after']} "
              "(the machine is shared)")
        for sample in result["error_samples"]:
            print(f"  error: {sample}")
    if args.hostile:
        simple = result["by_kind"].get("simple", {})
        return 0 if simple.get("answered_pct", 0) >= 95 and simple.get("p95_ms", 1e9) < 1000 else 1
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
