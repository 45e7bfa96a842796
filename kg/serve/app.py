"""The Starlette application: SPARQL 1.1 Protocol at ``/sparql``, Graph Store Protocol at
``/store``, browse pages (:mod:`kg.serve.pages`), all over one embedded store.

Every store access runs in a worker process (:mod:`kg.serve.pool`) under a time limit.
Three pools keep the audiences apart: SPARQL clients (``/sparql`` and the query page), the
light browse pages (entity, report, search, home; writes too) and the heavy ones (network
view, analytics, which read the whole graph), so none can starve another. A SPARQL query
also has a memory limit, and each client address a quota of slow queries (429 past it);
two SPARQL workers are kept for quick queries of clients in good standing, so runaway
queries cannot hold every worker. Writes (SPARQL
Update, Graph Store PUT/POST/DELETE) need the update token and are run one at a time.
Identical requests in flight share one job, and the heavy pages are computed ahead
(warm-up) when the server starts and whenever the store changes.

Results that only depend on the store (pages, deterministic queries) are cached, keyed by
the store's fingerprint, so a write through the server or a flushed ingest invalidates
them.

Over a SPARQL server (``kg serve --store http://…``) the workers read through
:class:`kg.remote.RemoteSparql` and writes are forwarded as SPARQL updates. There are no
files to look at, so the fingerprint is: our own writes, the set of report graphs and
their sha256 (asked every :data:`REMOTE_CHECK_SECONDS`, in the background: an ingest by
another client shows up), and a time slot of :data:`REMOTE_MAX_AGE` seconds, so what
other clients change in any other way is seen within that time.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import os
import re
import sys
import time
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.errors import StoreError
from kg.remote import RemoteSparql, is_remote
from kg.serve.pool import ClientLedger, JobError, WorkerPool, store_fingerprint
from kg.serve.sparql import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    ProtocolError,
    add_using,
    analyze,
    is_absolute_iri,
    negotiate,
    read_operation,
    service_description,
)

__all__ = ["Settings", "KgServer", "create_app", "serve", "PAGE_CSP"]

STATIC_DIR = Path(__file__).resolve().parent / "static"

#: Content-Security-Policy of the browse pages: no script at all, styles from the app only.
PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")
#: Largest request bodies read: a query or update, and a graph sent to the graph store.
MAX_SPARQL_BYTES = 16 * 1024 * 1024
MAX_GRAPH_BYTES = 512 * 1024 * 1024

#: Over a SPARQL server: how often the report graphs are looked at, and the longest a cached
#: page or result (and a worker's whole-graph memo) is used.
REMOTE_CHECK_SECONDS = 5.0
REMOTE_MAX_AGE = 60.0
#: A SPARQL query in flight this long is *slow*: it counts against its client's quota of slow
#: queries (``max_slow_queries``), and its worker's CPU priority is lowered.
SLOW_QUERY_SECONDS = 1.0

_SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


@dataclass(frozen=True)
class Settings:
    """How the server runs; see :func:`create_app`."""

    location: str
    update_token: str | None = None
    query_timeout: float = 10.0
    max_rows: int = 10_000
    allow_service: bool = False
    sparql_workers: int = 2
    page_workers: int = 2
    heavy_workers: int = 1
    page_timeout: float = 120.0
    write_timeout: float = 120.0
    cache_mb: int = 64
    query_memory_mb: int = 512
    max_slow_queries: int = 2


class _Cache:
    """A small LRU bounded by an estimate of the bytes it holds."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.items: OrderedDict[Any, tuple[int, Any]] = OrderedDict()
        self.size = 0

    def get(self, key: Any) -> Any:
        item = self.items.get(key)
        if item is None:
            return None
        self.items.move_to_end(key)
        return item[1]

    def put(self, key: Any, value: Any, size: int) -> None:
        if size > self.max_bytes // 4:
            return
        old = self.items.pop(key, None)
        if old is not None:
            self.size -= old[0]
        self.items[key] = (size, value)
        self.size += size
        while self.size > self.max_bytes and self.items:
            _, (s, _) = self.items.popitem(last=False)
            self.size -= s

    def clear(self) -> None:
        self.items.clear()
        self.size = 0


class KgServer:
    """State shared by the routes: settings, worker pools, cache, store fingerprint."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # two SPARQL workers more than asked, kept for quick queries of clients with no slow query (the
        # reserve): at most ``sparql_workers`` queries run past SLOW_QUERY_SECONDS at once
        self.sparql_pool = WorkerPool(settings.location, settings.sparql_workers + 2, "sparql",
                                      memory_mb=settings.query_memory_mb or None, reserve=2,
                                      slow_after=SLOW_QUERY_SECONDS)
        self.clients = ClientLedger(settings.max_slow_queries, SLOW_QUERY_SECONDS, settings.query_timeout)
        self.page_pool = WorkerPool(settings.location, settings.page_workers, "pages")
        self.heavy_pool = WorkerPool(settings.location, settings.heavy_workers, "heavy")
        self.cache = _Cache(settings.cache_mb * 1024 * 1024)
        self._inflight: dict[Any, asyncio.Future[Any]] = {}
        self._warming: asyncio.Task[None] | None = None
        self.warm_jobs: list[tuple[str, tuple[Any, ...]]] = []
        self.write_lock = asyncio.Lock()
        self.generation = 0
        self._fp: tuple[Any, ...] = ()
        self._fp_at = 0.0
        self.remote = is_remote(settings.location)
        self._remote_state: Any = None  # digest of the server's report graphs
        self._remote_at = 0.0
        self._remote_check: asyncio.Task[None] | None = None
        self.supports_lateral = True  # whether the store's engine parses LATERAL (a server is asked at create_app)

    # -- lifecycle -----------------------------------------------------------------
    async def start(self) -> None:
        await asyncio.gather(self.sparql_pool.start(), self.page_pool.start(), self.heavy_pool.start())
        if self.remote:
            await self._check_remote()
        self.fingerprint()

    async def close(self) -> None:
        if self._warming is not None:
            self._warming.cancel()
        if self._remote_check is not None:
            self._remote_check.cancel()
        await asyncio.gather(self.sparql_pool.close(), self.page_pool.close(), self.heavy_pool.close())

    # -- store state ---------------------------------------------------------------
    def fingerprint(self) -> tuple[Any, ...]:
        now = time.monotonic()
        if now - self._fp_at > 0.5 or not self._fp:
            if self.remote:
                self._poll_remote(now)
                state: Any = (self._remote_state, int(time.time() // REMOTE_MAX_AGE))
            else:
                state = store_fingerprint(self.settings.location)
            fp = (self.generation, state)
            self._fp_at = now
            if fp != self._fp:
                old, self._fp = self._fp, fp
                # a new time slot alone does not recompute the heavy pages ahead: they are done on demand
                if not (self.remote and old and old[0] == fp[0] and old[1][0] == fp[1][0]):
                    self._warm()
        return self._fp

    def _poll_remote(self, now: float) -> None:
        """Look at the server's report graphs in the background, at most every REMOTE_CHECK_SECONDS."""
        if now - self._remote_at < REMOTE_CHECK_SECONDS:
            return
        if self._remote_check is not None and not self._remote_check.done():
            return
        self._remote_at = now
        try:
            self._remote_check = asyncio.get_running_loop().create_task(self._check_remote())
        except RuntimeError:  # no loop (called before start)
            self._remote_check = None

    async def _check_remote(self) -> None:
        try:
            state = await asyncio.to_thread(remote_state, self.settings.location)
        except StoreError:
            return  # the server is away: keep what we have, the requests will say so
        self._remote_at = time.monotonic()
        if state != self._remote_state:
            self._remote_state = state
            self._fp_at = 0.0  # the next request takes the new fingerprint

    def _warm(self) -> None:
        """Compute the heavy pages (network view, analytics) ahead, in the background."""
        if not self.warm_jobs:
            return
        if self._warming is not None and not self._warming.done():
            self._warming.cancel()

        async def run() -> None:
            for job, args in self.warm_jobs:
                try:
                    await self.page(job, args, heavy=True)
                except JobError:
                    pass

        try:
            self._warming = asyncio.get_running_loop().create_task(run())
        except RuntimeError:  # no loop yet (called before start)
            self._warming = None

    async def _single(self, key: Any, make: Any) -> Any:
        """Run ``make()`` once for concurrent identical requests; the others await its result."""
        pending = self._inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        fut.add_done_callback(lambda f: f.cancelled() or f.exception())  # never "exception not retrieved"
        self._inflight[key] = fut
        try:
            result = await make()
        except asyncio.CancelledError:
            fut.set_exception(JobError(503, "the request was cancelled"))
            raise
        except BaseException as e:
            fut.set_exception(e)
            raise
        else:
            fut.set_result(result)
            return result
        finally:
            self._inflight.pop(key, None)

    def changed(self) -> None:
        """Called after a write through the server."""
        self.generation += 1
        self._fp_at = 0.0
        self.cache.clear()

    # -- jobs ------------------------------------------------------------------------
    async def page(self, job: str, args: tuple[Any, ...], *, heavy: bool = False) -> Any:
        """Run a read job for a page (light or heavy pool), cached by store fingerprint."""
        fp = self.fingerprint()
        key = (fp, job, args)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        pool = self.heavy_pool if heavy else self.page_pool
        timeout = self.settings.page_timeout if heavy else self.settings.query_timeout

        async def make() -> Any:
            result = await pool.run(job, args, timeout=timeout, fingerprint=fp, what="page")
            self.cache.put(key, result, _size(result))
            return result

        return await self._single(key, make)

    async def sparql_query(self, job: str, args: tuple[Any, ...], *, cache: bool, client: str | None = None) -> Any:
        """Run a client's query in the SPARQL pool; ``client`` (its address) is held to its quota of slow queries."""
        fp = self.fingerprint()
        key = (fp, job, args)
        if cache:
            hit = self.cache.get(key)
            if hit is not None:
                return hit
        ticket = self.clients.admit(client)  # 429 past the quota
        watched = self.clients.watched(client)

        async def make() -> Any:
            result = await self.sparql_pool.run(job, args, timeout=self.settings.query_timeout, fingerprint=fp,
                                                watched=watched)
            if cache:
                self.cache.put(key, result, _size(result))
            return result

        stopped = False
        try:
            return await self._single(key, make) if cache else await make()
        except JobError as e:
            stopped = e.stopped
            raise
        finally:
            self.clients.release(client, ticket, stopped=stopped)

    async def write(self, job: str, args: tuple[Any, ...]) -> Any:
        async with self.write_lock:
            try:
                return await self.page_pool.run(job, args, timeout=self.settings.write_timeout, what="update")
            finally:
                self.changed()

    # -- auth ------------------------------------------------------------------------
    def authorized(self, request: Request) -> bool:
        token = self.settings.update_token
        if not token:
            return False
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token.encode())

    def require_token(self, request: Request, what: str) -> None:
        if not self.settings.update_token:
            raise ProtocolError(403, f"this endpoint is read-only: {what} is refused (the server was started "
                                     "without an update token)")
        if not self.authorized(request):
            raise ProtocolError(403, f"{what} needs the update token: send 'Authorization: Bearer <token>'")


def remote_state(location: str) -> str:
    """A digest of the report graphs of the SPARQL server and their sha256 (changes with every ingest)."""
    import hashlib

    from kg.vocab import PKG

    sparql = RemoteSparql(location, timeout=30.0)
    try:
        rows = sparql.query(f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{PKG.sha256}> ?h }} }}", stream=True)
        pairs = sorted(f"{row[0]} {row[1]}" for row in rows)
    finally:
        sparql.close()
    return hashlib.sha256("\n".join(pairs).encode()).hexdigest()


def _size(result: Any) -> int:
    """A rough size in bytes of a job result, for the cache's budget."""
    if isinstance(result, (bytes, str)):
        return len(result) + 64
    if isinstance(result, tuple):
        return sum(_size(x) for x in result) + 64
    if isinstance(result, dict):
        if "html" in result:
            return len(result["html"]) + 16_384
        if "rows" in result:
            return 200 * (len(result["rows"]) + 1) * max(1, len(result.get("columns", ())))
    return 16_384


def _server(request: Request) -> KgServer:
    return request.app.state.kg


def _text_error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message.rstrip() + "\n", status_code=status, headers=headers)


def _has_body(request: Request, body: bytes) -> bool:
    if body:
        return True
    length = request.headers.get("content-length")
    return bool(request.headers.get("transfer-encoding")) or (length is not None and length.strip() not in ("", "0"))


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing (413) more than ``limit`` bytes without reading them all."""
    length = request.headers.get("content-length")
    if length is not None and length.strip().isdigit() and int(length) > limit:
        raise ProtocolError(413, f"the request body is larger than {limit // (1024 * 1024)} MiB")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"the request body is larger than {limit // (1024 * 1024)} MiB")
        chunks.append(chunk)
    return b"".join(chunks)


def _endpoint(request: Request) -> str:
    return str(request.url.replace(query="", fragment=""))


# --------------------------------------------------------------------------- /sparql


async def sparql_endpoint(request: Request) -> Response:
    """SPARQL 1.1 Protocol: query by GET/POST, update by POST, service description on bare GET."""
    srv = _server(request)
    if request.method not in ("GET", "HEAD", "POST"):
        return _text_error(405, f"method {request.method} is not allowed on the SPARQL endpoint; use GET or POST",
                           {"Allow": "GET, HEAD, POST"})
    try:
        body = await _read_body(request, MAX_SPARQL_BYTES)
        op = read_operation(request.method, request.url.query, request.headers.get("content-type"), body,
                            _has_body(request, body))
        if op is None:
            return _service_description(request, srv)
        if op.kind == "update":
            return await _update(request, srv, op)
        return await _query(request, srv, op)
    except ProtocolError as e:
        return _text_error(e.status, e.message, e.headers)
    except JobError as e:
        return _text_error(e.status, e.message, e.headers)


def _service_description(request: Request, srv: KgServer) -> Response:
    accept = request.headers.get("accept", "")
    if "text/html" in accept and "turtle" not in accept and "rdf" not in accept:
        return RedirectResponse("/query", status_code=303)
    turtle = service_description(_endpoint(request), update=bool(srv.settings.update_token))
    fmt = negotiate(accept, GRAPH_FORMATS)
    if fmt == "turtle":
        return Response(turtle, media_type="text/turtle; charset=utf-8")
    from pyoxigraph import RdfFormat, parse, serialize

    from kg.serve.jobs import RDF_FORMATS

    triples = [q.triple for q in parse(turtle, format=RdfFormat.TURTLE)]
    return Response(serialize(triples, format=RDF_FORMATS[fmt]), media_type=GRAPH_FORMATS[fmt][0])


def _refuse_remote(info: Any, allow: bool) -> None:
    if allow:
        return
    if info.uses_service:
        raise ProtocolError(403, "SERVICE (a federated query to another endpoint) is disabled on this server; "
                                 "it would let the endpoint reach other machines. Start the server with "
                                 "--allow-service to enable it.")
    if info.uses_load:
        raise ProtocolError(403, "LOAD (fetching a document from a URL) is disabled on this server; "
                                 "start it with --allow-service to enable it.")


async def _query(request: Request, srv: KgServer, op: Any) -> Response:
    info = analyze(op.text)
    _refuse_remote(info, srv.settings.allow_service)
    accept = request.headers.get("accept")
    result_fmt = negotiate(accept, RESULT_FORMATS, explicit=op.format, default="json")
    graph_fmt = negotiate(accept, GRAPH_FORMATS, explicit=op.format, default="turtle")
    union = not info.has_from and not op.default_graphs and not op.named_graphs
    args = (op.text, result_fmt, graph_fmt, tuple(op.default_graphs), tuple(op.named_graphs), union,
            _endpoint(request), srv.settings.max_rows)
    media, body, truncated = await srv.sparql_query("query", args, cache=info.deterministic,
                                                    client=request.client.host if request.client else None)
    headers = {"Vary": "Accept"}
    if truncated:
        headers["X-KG-Truncated"] = f"true; max-rows={srv.settings.max_rows}"
    if media.startswith("text/") or media.endswith(("json", "xml")):
        media += "; charset=utf-8"
    return Response(body, media_type=media, headers=headers)


async def _update(request: Request, srv: KgServer, op: Any) -> Response:
    srv.require_token(request, "SPARQL Update")
    info = analyze(op.text)
    _refuse_remote(info, srv.settings.allow_service)
    if (op.default_graphs or op.named_graphs) and info.has_using:
        raise ProtocolError(400, "the update has its own USING/USING NAMED/WITH clauses; it cannot also take "
                                 "using-graph-uri / using-named-graph-uri")
    text = add_using(op.text, op.default_graphs, op.named_graphs)
    await srv.write("update", (text, _endpoint(request)))
    return Response(status_code=204)


# --------------------------------------------------------------------------- /store


async def graph_store(request: Request) -> Response:
    """SPARQL 1.1 Graph Store HTTP Protocol: indirect graph identification (``/store?graph=IRI``), and
    direct identification of the graphs named under the store's own URL (``/store/…``, as minted by POST)."""
    srv = _server(request)
    method = request.method
    pairs = parse_qsl(request.url.query, keep_blank_values=True)
    graphs = [v for k, v in pairs if k == "graph"]
    default = any(k == "default" for k, _ in pairs)
    direct = "name" in request.path_params
    minted = False
    try:
        if method not in ("GET", "HEAD", "PUT", "POST", "DELETE"):
            raise ProtocolError(405, f"method {method} is not allowed on the graph store",
                                {"Allow": "GET, HEAD, PUT, POST, DELETE"})
        if direct and (graphs or default):
            raise ProtocolError(400, "this URL names its graph itself: do not add ?graph or ?default")
        if len(graphs) > 1 or (graphs and default):
            raise ProtocolError(400, "name exactly one graph: ?graph=IRI or ?default")
        graph: str | None = _endpoint(request) if direct else graphs[0] if graphs else None
        if graph is not None and not is_absolute_iri(graph):
            raise ProtocolError(400, f"?graph must be an absolute IRI, got {graph!r}")
        if graph is None and not default:
            if method != "POST":
                raise ProtocolError(400, "name a graph: ?graph=IRI or ?default")
            # a new graph, named under this store's URL so that the IRI can be dereferenced
            graph, minted = f"{_endpoint(request).rstrip('/')}/{uuid.uuid4()}", True
        if method in ("GET", "HEAD"):
            fmt = negotiate(request.headers.get("accept"), GRAPH_FORMATS, default="turtle")
            media, body = await srv.page("gsp_get", (graph, fmt, max(srv.settings.max_rows * 100, 1_000_000)))
            return Response(body if method == "GET" else b"", media_type=f"{media}; charset=utf-8",
                            headers={"Vary": "Accept", "Content-Length": str(len(body))})
        srv.require_token(request, f"{method} on the graph store")
        body = await _read_body(request, MAX_GRAPH_BYTES)
        content_type = request.headers.get("content-type", "")
        parts: list[tuple[str, bytes]] = []
        if method != "DELETE":
            mtype = content_type.split(";")[0].split(",")[0].strip().lower()
            if not mtype:
                raise ProtocolError(400 if body else 415, "send the graph with a Content-Type (e.g. text/turtle)")
            if mtype == "multipart/form-data":
                if method != "POST":
                    raise ProtocolError(415, "multipart/form-data is accepted with POST only")
                parts = _multipart(content_type, body)
            else:
                parts = [(content_type, body)]
        base = graph if graph is not None else _endpoint(request)
        result = await srv.write("gsp_write", (method, graph, parts, base))
        if result["created"]:
            return Response(status_code=201, headers={"Location": result["graph"]} if minted else {})
        return Response(status_code=204)
    except ProtocolError as e:
        return _text_error(e.status, e.message, e.headers)
    except JobError as e:
        return _text_error(e.status, e.message, e.headers)


def _multipart(content_type: str, body: bytes) -> list[tuple[str, bytes]]:
    """The RDF documents of a multipart/form-data POST (GSP §5.5), nested multipart/mixed included."""
    from email.parser import BytesParser
    from email.policy import HTTP

    fix = re.compile(rb"(multipart/[A-Za-z-]+)\s*,\s*boundary=", re.IGNORECASE)  # tolerate "type, boundary=x"
    head = fix.sub(rb"\1; boundary=", b"Content-Type: " + content_type.encode("latin-1", "replace"))
    msg = BytesParser(policy=HTTP).parsebytes(head + b"\r\n\r\n" + fix.sub(rb"\1; boundary=", body))
    if not msg.is_multipart():
        raise ProtocolError(400, "the multipart body has no parts (is the boundary right?)")
    parts = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        parts.append((part.get_content_type(), payload))
    if not parts:
        raise ProtocolError(400, "the multipart body holds no RDF document")
    return parts


# --------------------------------------------------------------------------- app


class _SecurityHeaders:
    """Adds nosniff / referrer / frame headers and, for HTML without its own, the page CSP."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for k, v in _SECURITY_HEADERS.items():
                    if k.encode() not in present:
                        headers.append((k.encode(), v.encode()))
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", PAGE_CSP.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _prepare_store(location: str) -> tuple[str, bool]:
    """Make sure ``location`` holds a store (creating an empty one); readers open it read-only.

    A SPARQL server URL is kept as given (credentials included, the workers need them)
    once the server has answered a query. Returns the location and whether its engine
    parses ``LATERAL`` (if not, the query page shows the canned queries' plain forms).
    """
    if is_remote(location):
        sparql = RemoteSparql(location, timeout=30.0)
        try:
            sparql.query("ASK {}")  # fail now, not on the first page, if the server is not there
            return location.rstrip("/"), sparql.supports_lateral
        finally:
            sparql.close()
    if "://" in location:
        raise StoreError(f"kg serve needs a local store folder or an http(s):// SPARQL server, not {location}")
    path = Path(location)
    if path.exists() and not path.is_dir():
        raise StoreError(f"cannot serve {location}: it is a file, not a store folder")
    if path.is_dir() and any(path.iterdir()):
        if not (path / "CURRENT").exists():
            raise StoreError(f"cannot serve {location}: the folder is not a kg store (no RocksDB CURRENT file)")
        return str(path), True
    from pyoxigraph import Store

    store = Store(str(path))
    store.flush()
    del store
    return str(path), True


def create_app(
    store_location: str | os.PathLike[str],
    *,
    update_token: str | None = None,
    query_timeout: float = 10.0,
    max_rows: int = 10_000,
    allow_service: bool = False,
    sparql_workers: int = 2,
    page_workers: int = 2,
    heavy_workers: int = 1,
    page_timeout: float | None = None,
    write_timeout: float = 120.0,
    allowed_hosts: list[str] | None = None,
    query_memory: int = 512,
    max_slow_queries: int = 2,
) -> Starlette:
    """The web application over the store folder ``store_location`` (or a SPARQL server's ``http(s)://`` URL).

    ``update_token``: without it the server is read-only (SPARQL Update and Graph Store
    writes get 403); with it, a write must carry ``Authorization: Bearer <token>``.
    ``query_timeout`` (seconds) and ``max_rows`` bound every query; ``allow_service``
    lets queries use SERVICE and updates use LOAD (off: the endpoint reaches no other host).
    ``allowed_hosts`` restricts the ``Host`` header (against DNS rebinding); ``None`` allows any.
    ``query_memory`` (MiB, 0: no limit) bounds what one SPARQL query may allocate in its worker;
    ``max_slow_queries`` is how many slow queries one client address may have running at once.
    """
    location, supports_lateral = _prepare_store(os.fspath(store_location))
    settings = Settings(
        location=location,
        update_token=update_token or None,
        query_timeout=float(query_timeout),
        max_rows=int(max_rows),
        allow_service=bool(allow_service),
        sparql_workers=int(sparql_workers),
        page_workers=int(page_workers),
        heavy_workers=int(heavy_workers),
        page_timeout=float(page_timeout if page_timeout is not None else max(120.0, query_timeout)),
        write_timeout=float(write_timeout),
        query_memory_mb=int(query_memory),
        max_slow_queries=int(max_slow_queries),
    )
    from kg.serve import pages

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        srv = KgServer(settings)
        srv.supports_lateral = supports_lateral
        srv.warm_jobs = pages.warm_jobs()
        app.state.kg = srv
        await srv.start()
        try:
            yield
        finally:
            await srv.close()

    routes = [
        Route("/sparql", sparql_endpoint, methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
        Route("/store", graph_store, methods=["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"]),
        Route("/store/{name:path}", graph_store, methods=["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"]),
        Mount("/static", app=StaticFiles(directory=str(STATIC_DIR)), name="static"),
        *pages.routes(),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers=pages.exception_handlers())
    app.add_middleware(_SecurityHeaders)
    if allowed_hosts and "*" not in allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    return app


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def serve(
    store_location: str | os.PathLike[str],
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    log_level: str = "info",
    **options: Any,
) -> None:
    """Run the app with uvicorn until interrupted (``options`` go to :func:`create_app`)."""
    import uvicorn

    if "allowed_hosts" not in options:
        # a loopback server only answers requests addressed to the loopback (no DNS rebinding)
        options["allowed_hosts"] = list(LOOPBACK_HOSTS) if host in LOOPBACK_HOSTS else ["*"]
    app = create_app(store_location, **options)
    where = f"http://{host}:{port}"
    print(f"kg serve: {where}/  (SPARQL endpoint {where}/sparql, graph store {where}/store)", file=sys.stderr)
    if not options.get("update_token"):
        print("kg serve: read-only (no update token)", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False, proxy_headers=False)
