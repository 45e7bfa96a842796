"""Load test of `kg serve`: N concurrent clients for a fixed time against a local server.

    .venv/bin/python bench/serve_load.py                    # 32 clients, 60 s, sample store
    .venv/bin/python bench/serve_load.py --store kg-store --duration 30
    .venv/bin/python bench/serve_load.py --url http://127.0.0.1:8000 --clients 8

Without ``--url`` it builds (or reuses) a store of the bundled sample reports, starts
``kg serve`` as a separate process on 127.0.0.1 with a free port, and stops it afterwards.
The mix: canned SPARQL queries through /sparql (SPARQL JSON), entity pages, report pages,
searches, the network view (whole graph and focused) and the home page.

Traffic goes to 127.0.0.1 only (``--url`` must name a loopback host), each client stops at
the deadline, and the total number of requests is capped (``--max-requests``).
Prints requests/s, errors, and p50/p90/p99/max latency, overall and per kind of request.
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

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CANNED = ["who-funds-what", "funding-by-funder", "funding-by-program", "actors", "programs-by-region", "regions",
          "documents", "timeline"]
WEIGHTS = {"sparql": 30, "entity": 25, "search": 15, "report": 8, "network": 12, "home": 5, "analytics": 5}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = q * (len(s) - 1)
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


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
    out: dict[str, list[tuple[str, dict]]] = {
        "sparql": [(base + "/sparql", {"query": load_query(n).text}) for n in CANNED],
        "entity": [(f"{base}/entity?iri={quote(e['x'], safe='')}", {}) for e in entities],
        "search": [(f"{base}/search?q={quote(s)}", {}) for s in searches],
        "report": [(f"{base}/report?iri={quote(r['g'], safe='')}", {}) for r in reports],
        "network": [(f"{base}/network", {})] + [(f"{base}/network?focus={quote(a, safe='')}&depth=1", {}) for a in actors[:8]],
        "home": [(base + "/", {})],
        "analytics": [(base + "/analytics", {})],
    }
    return {k: v for k, v in out.items() if v}


class Connection:
    """A minimal HTTP/1.1 keep-alive client connection (much cheaper than a full client library,
    so that the load generator leaves the CPU to the server on a small machine)."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def request(self, method: str, target: str, body: bytes = b"", headers: dict[str, str] | None = None) -> int:
        return await asyncio.wait_for(self._request(method, target, body, headers or {}), self.timeout)

    async def _request(self, method: str, target: str, body: bytes, headers: dict[str, str]) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
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
        if chunked:
            while True:
                size = int((await reader.readline()).split(b";")[0], 16)
                await reader.readexactly(size + 2)
                if size == 0:
                    break
        elif length is not None:
            await reader.readexactly(length)
        else:
            await reader.read()
            close = True
        if close:
            await self.close()
        return status


async def run_load(base: str, requests: dict[str, list[tuple[str, dict]]], clients: int, duration: float,
                   max_requests: int, timeout: float) -> dict:
    from urllib.parse import urlencode

    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
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
    kinds = [k for k in WEIGHTS if k in prepared]
    weights = [WEIGHTS[k] for k in kinds]
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    error_samples: list[str] = []
    budget = {"left": max_requests}
    deadline = time.monotonic() + duration

    async def client(n: int) -> None:
        rnd = random.Random(1000 + n)
        conn = Connection(host, port, timeout)
        try:
            while time.monotonic() < deadline and budget["left"] > 0:
                budget["left"] -= 1
                kind = rnd.choices(kinds, weights)[0]
                method, target, body, headers = rnd.choice(prepared[kind])
                start = time.perf_counter()
                try:
                    status = await conn.request(method, target, body, headers)
                    ok, why = status < 400, f"{status} {target[:100]}"
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

    started = time.monotonic()
    await asyncio.gather(*(client(i) for i in range(clients)))
    elapsed = time.monotonic() - started
    every = [x for v in latencies.values() for x in v]
    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "requests": len(every),
        "requests_per_s": round(len(every) / elapsed, 1),
        "errors": sum(errors.values()),
        "p50_ms": round(percentile(every, 0.50) * 1000, 1),
        "p90_ms": round(percentile(every, 0.90) * 1000, 1),
        "p99_ms": round(percentile(every, 0.99) * 1000, 1),
        "max_ms": round(max(every) * 1000, 1) if every else None,
        "by_kind": {
            k: {"requests": len(v), "errors": errors.get(k, 0), "p50_ms": round(percentile(v, 0.5) * 1000, 1),
                "p99_ms": round(percentile(v, 0.99) * 1000, 1)}
            for k, v in sorted(latencies.items())
        },
        "error_samples": error_samples,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="an already running kg serve on a loopback address (default: start one)")
    ap.add_argument("--store", help="store to serve (default: a store of the bundled sample reports)")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load (default: 60)")
    ap.add_argument("--max-requests", type=int, default=500_000, help="stop after this many requests in total")
    ap.add_argument("--timeout", type=float, default=30.0, help="per-request client timeout in seconds")
    ap.add_argument("--workers", type=int, default=2, help="worker processes per pool of the started server")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up before measuring")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args(argv)

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
    try:
        requests = build_requests(base)
        if args.warmup > 0:
            asyncio.run(run_load(base, requests, args.clients, args.warmup, args.max_requests, args.timeout))
        result = asyncio.run(run_load(base, requests, args.clients, args.duration, args.max_requests, args.timeout))
    finally:
        if proc is not None:
            stop_server(proc)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    result["cores"] = os.cpu_count()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"{result['clients']} clients, {result['seconds']} s, {os.cpu_count()} cores: "
              f"{result['requests']} requests, {result['requests_per_s']} requests/s, {result['errors']} errors, "
              f"p50 {result['p50_ms']} ms, p90 {result['p90_ms']} ms, p99 {result['p99_ms']} ms, max {result['max_ms']} ms")
        for kind, s in result["by_kind"].items():
            print(f"  {kind:<10} {s['requests']:>7} requests  {s['errors']:>4} errors  p50 {s['p50_ms']:>7} ms  "
                  f"p99 {s['p99_ms']:>7} ms")
        for sample in result["error_samples"]:
            print(f"  error: {sample}")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
