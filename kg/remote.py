"""The knowledge graph in a SPARQL server: ``--store http(s)://…`` for every command.

Past one machine the graph lives in a SPARQL 1.1 server that already scales (Oxigraph
server, Apache Jena Fuseki, GraphDB, Virtuoso). :class:`RemoteStore` offers the part of
:class:`kg.store.KgStore` that the rest of the code uses, over plain HTTP (SPARQL 1.1
Protocol for queries and updates), one named graph per report as locally:

- :meth:`RemoteStore.replace_report` sends ONE update per report,
  ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { … } }``, as a plain
  ``application/sparql-update`` POST (rdflib's SPARQLUpdateStore would put "default
  graph" writes into ``<urn:x-rdflib:default>``). A SPARQL server runs one update
  request as one transaction (Oxigraph, Fuseki/TDB2, GraphDB do; Virtuoso commits per
  request unless its log mode says otherwise), so a report is never half written.
- :attr:`RemoteStore.store` is a small stand-in for a pyoxigraph ``Store``:
  ``query(sparql, use_default_graph_as_union=…, substitutions=…)`` returns pyoxigraph
  ``QuerySolutions``/``QueryBoolean`` (parsed from SPARQL JSON results) or triples
  (parsed from N-Triples), so ``kg.query``, ``kg.export``, ``kg.viz`` and
  ``kg.validate`` run unchanged. Substitutions (SEP-0007) are not part of the
  protocol: each bound variable becomes a ``VALUES`` block at the start of every
  ``WHERE`` group, the value written as an escaped RDF term (never pasted as text).
  The dataset arguments ``default_graph=`` / ``named_graphs=`` become the protocol's
  ``default-graph-uri`` / ``named-graph-uri`` parameters and ``base_iri=`` a ``BASE``
  declaration, so ``kg serve`` can run its endpoint's queries through it unchanged;
  ``stream=True`` parses the results while they arrive (on a connection of its own), so
  a caller that stops after N rows does not read the rest.

Endpoints, from the URL given (``http://user:password@host:port/path`` adds HTTP
basic authentication):

==========================  ===============================  ============================
server                      --store                          query / update endpoints
==========================  ===============================  ============================
Oxigraph (``oxigraph``)     ``http://host:7878``             ``/query``, ``/update``
Fuseki                      ``http://host:3030/DATASET``     ``/DATASET/query``, ``/DATASET/update``
GraphDB                     ``http://host:7200/repositories/REPO``  the same, ``…/REPO/statements``
Virtuoso                    ``http://host:8890/sparql``      ``/sparql`` for both
==========================  ===============================  ============================

``$KG_SPARQL_QUERY`` / ``$KG_SPARQL_UPDATE`` override either endpoint (a full URL).

The canned queries read the union of the report graphs in two ways: ``GRAPH ?g`` (every
server) and, in ``search``, the default graph. Oxigraph gets the per-request
``union-default-graph`` parameter; the others must be configured so that the default
graph is the union of the named graphs: Fuseki/TDB2 ``tdb2:unionDefaultGraph true``,
GraphDB and Virtuoso do so by default. The canned queries use ``LATERAL`` (SPARQL
SEP-0006): Oxigraph and Jena ≥ 4.7 have it; on GraphDB and Virtuoso the
``actor-fundings``, ``evidence`` and ``search`` queries need rewriting without it.

>>> _bind("SELECT ?name WHERE { ?x <p> ?name }", {"name": '"清溪县"@zh'})
'SELECT ?name WHERE { VALUES ?name { "清溪县"@zh }  ?x <p> ?name }'
"""

from __future__ import annotations

import base64
import http.client
import io
import os
import re
import threading
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO
from urllib.parse import urlencode, urlsplit, urlunsplit

from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    Quad,
    QueryResultsFormat,
    RdfFormat,
    parse,
    parse_query_results,
    serialize,
)

from kg import ids
from kg.errors import StoreError
from kg.vocab import PKG

__all__ = ["RemoteStore", "RemoteSparql", "RemoteError", "is_remote"]

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_STAT_CLASSES = {
    "reports": PKG.Report,
    "actors": PKG.Actor,
    "regions": PKG.Region,
    "programmes": PKG.Program,
    "documents": PKG.PolicyDocument,
    "fundings": PKG.Funding,
    "measures": PKG.Measure,
}
_JSON = "application/sparql-results+json"
_NT = "application/n-triples"


def is_remote(location: object) -> bool:
    """Whether a ``--store`` value names a SPARQL server (``http://`` or ``https://``)."""
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


class RemoteError(StoreError):
    """The SPARQL server refused a request (``status``: its HTTP status) or could not be reached (``status`` 0)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


def _term_text(term: Any) -> str:
    """An RDF term as SPARQL/N-Triples syntax (escaped by pyoxigraph)."""
    return str(term)


def _bind(sparql: str, bindings: dict[str, str]) -> str:
    """Put ``VALUES ?var { term }`` at the start of every WHERE group of ``sparql``."""
    if not bindings:
        return sparql
    names = " ".join(f"?{k}" for k in bindings)
    values = " ".join(bindings.values())
    block = f"VALUES ?{names[1:]} {{ {values} }}" if len(bindings) == 1 else f"VALUES ({names}) {{ ({values}) }}"
    out, n = _WHERE.subn(lambda m: m.group(0) + " " + block + " ", sparql)
    if not n:
        raise StoreError("a bound query needs a WHERE clause to bind its parameters on a remote store")
    return out


class _Response:
    """An HTTP response we read from, with its connection returned when done."""

    def __init__(self, resp: http.client.HTTPResponse) -> None:
        self.resp = resp
        self.content_type = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()


class RemoteSparql:
    """Stand-in for the pyoxigraph ``Store`` methods the project uses, over HTTP."""

    def __init__(self, url: str, query_url: str | None = None, update_url: str | None = None,
                 timeout: float = 600.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"not a SPARQL server URL: {url}")
        self.url = urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path.rstrip("/"), "", ""))
        self._auth = None
        if parts.username is not None:
            token = f"{parts.username}:{parts.password or ''}".encode()
            self._auth = "Basic " + base64.b64encode(token).decode()
        base = self.url
        path = parts.path.rstrip("/")
        self.flavor = "oxigraph"
        if path.endswith("/sparql") or path.endswith("/sparql-auth"):  # Virtuoso (or a single endpoint)
            self.flavor = "virtuoso"
            default_query = default_update = base
        elif "/repositories/" in path:  # GraphDB, RDF4J
            self.flavor = "graphdb"
            default_query, default_update = base, base + "/statements"
        else:  # Oxigraph, Fuseki
            if path:
                self.flavor = "fuseki"
            default_query, default_update = base + "/query", base + "/update"
        self.query_url = query_url or os.environ.get("KG_SPARQL_QUERY") or default_query
        self.update_url = update_url or os.environ.get("KG_SPARQL_UPDATE") or default_update
        self.timeout = timeout
        self._local = threading.local()

    # -- HTTP ---------------------------------------------------------------------
    def _conn(self, url: str) -> tuple[http.client.HTTPConnection, str]:
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        conns = getattr(self._local, "conns", None)
        if conns is None:
            conns = self._local.conns = {}
        conn = conns.get(key)
        if conn is None:
            host = parts.netloc.rpartition("@")[2]
            cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            conn = conns[key] = cls(host, timeout=self.timeout)
        path = parts.path or "/"
        return conn, path

    def _request(self, method: str, url: str, body: bytes | None, headers: dict[str, str],
                 params: dict[str, str] | list[tuple[str, str]] | None = None) -> _Response:
        if self._auth:
            headers = {**headers, "Authorization": self._auth}
        for attempt in (0, 1):
            conn, path = self._conn(url)
            target = path + ("?" + urlencode(params) if params else "")
            try:
                conn.request(method, target, body=body, headers=headers)
                resp = conn.getresponse()
            except (ConnectionError, http.client.HTTPException, OSError) as e:
                conn.close()
                self._local.conns.pop((urlsplit(url).scheme, urlsplit(url).netloc), None)
                if attempt == 0 and isinstance(e, (http.client.RemoteDisconnected, ConnectionResetError,
                                                   BrokenPipeError)):
                    continue  # a kept-alive connection the server had closed: retry once
                raise RemoteError(f"SPARQL server {self.url}: {e}") from e
            if resp.status >= 400:
                detail = resp.read().decode("utf-8", "replace").strip()
                raise RemoteError(f"SPARQL server {self.url} answered {resp.status} {resp.reason}: {detail[:500]}",
                                  resp.status)
            return _Response(resp)
        raise AssertionError("unreachable")  # pragma: no cover

    # -- the pyoxigraph Store surface ------------------------------------------------
    def query(self, sparql: str, use_default_graph_as_union: bool = False,
              substitutions: dict[Any, Any] | None = None, *, default_graph: Any = None,
              named_graphs: Iterable[Any] | None = None, base_iri: str | None = None,
              stream: bool = False, **_ignored: Any) -> Any:
        """Run a query; SELECT/ASK give pyoxigraph results, CONSTRUCT/DESCRIBE give triples.

        ``default_graph`` / ``named_graphs`` (IRIs) are sent as the protocol's dataset
        parameters, ``base_iri`` as a leading ``BASE``; ``stream`` parses while reading.
        """
        if substitutions:
            sparql = _bind(sparql, {getattr(k, "value", str(k)).lstrip("?$"): _term_text(v)
                                    for k, v in substitutions.items()})
        if base_iri:
            sparql = f"BASE <{base_iri}>\n{sparql}"  # a prologue may start with BASE; the query's own comes later and wins
        params: list[tuple[str, str]] = []
        dataset = _graph_params("default-graph-uri", default_graph) + _graph_params("named-graph-uri", named_graphs)
        if dataset:
            params = dataset
        elif use_default_graph_as_union and self.flavor == "oxigraph":
            params.append(("union-default-graph", ""))
        body = sparql.encode("utf-8")
        headers = {"Content-Type": "application/sparql-query; charset=utf-8",
                   "Accept": f"{_JSON}, {_NT};q=0.9, text/turtle;q=0.8"}
        if stream:
            resp = self._open(self.query_url, body, headers, params)
            content_type = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()
            return self._results(resp, content_type)
        answer = self._request("POST", self.query_url, body, headers, params)
        return self._results(io.BytesIO(answer.resp.read()), answer.content_type)

    def _results(self, data: BinaryIO, content_type: str) -> Any:
        """Parse an answer: SPARQL JSON results, or triples (N-Triples / Turtle)."""
        if content_type in (_JSON, "application/json"):
            try:
                return parse_query_results(data, QueryResultsFormat.JSON)
            except SyntaxError as e:
                raise StoreError(f"SPARQL server {self.url} sent results that do not parse: {e}") from e
        fmt = RdfFormat.TURTLE if "turtle" in content_type else RdfFormat.N_TRIPLES
        triples = (q.triple if isinstance(q, Quad) else q for q in parse(data, fmt))
        return triples if not isinstance(data, io.BytesIO) else list(triples)

    def _open(self, url: str, body: bytes, headers: dict[str, str],
              params: list[tuple[str, str]] | None = None) -> http.client.HTTPResponse:
        """POST on a connection of its own and answer the open response (read it as it comes)."""
        parts = urlsplit(url)
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = cls(parts.netloc.rpartition("@")[2], timeout=self.timeout)
        if self._auth:
            headers = {**headers, "Authorization": self._auth}
        try:
            conn.request("POST", (parts.path or "/") + ("?" + urlencode(params) if params else ""),
                         body=body, headers=headers)
            resp = conn.getresponse()
        except OSError as e:
            conn.close()
            raise RemoteError(f"SPARQL server {self.url}: {e}") from e
        if resp.status >= 400:
            detail = resp.read().decode("utf-8", "replace").strip()
            conn.close()
            raise RemoteError(f"SPARQL server {self.url} answered {resp.status} {resp.reason}: {detail[:500]}",
                              resp.status)
        return resp  # the socket is closed when the response is read to the end or dropped

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL update (one request, one transaction on the server)."""
        if base_iri:
            sparql = f"BASE <{base_iri}>\n{sparql}"
        resp = self._request("POST", self.update_url, sparql.encode("utf-8"),
                             {"Content-Type": "application/sparql-update; charset=utf-8"})
        resp.resp.read()

    def quads(self) -> Iterator[Quad]:
        """Every quad of every named graph, streamed (a SELECT on a connection of its own)."""
        try:
            for row in self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", stream=True):
                yield Quad(row[0], row[1], row[2], row[3])
        except OSError as e:
            raise RemoteError(f"SPARQL server {self.url}: {e}") from e

    def __iter__(self) -> Iterator[Quad]:
        return self.quads()

    def __len__(self) -> int:
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(next(iter(rows))[0].value)

    def dump(self, output: BinaryIO | None = None, format: RdfFormat | None = None,  # noqa: A002
             *, prefixes: dict[str, str] | None = None, **_ignored: Any) -> bytes | None:
        """Write every quad (N-Quads or TriG) to ``output``, or return the bytes."""
        fmt = format or RdfFormat.N_QUADS
        if output is None:
            buf = io.BytesIO()
            serialize(self.quads(), buf, fmt, prefixes=prefixes)
            return buf.getvalue()
        serialize(self.quads(), output, fmt, prefixes=prefixes)
        return None

    def named_graphs(self) -> Iterator[NamedNode]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return iter([row[0] for row in rows if isinstance(row[0], NamedNode)])

    def contains_named_graph(self, graph: NamedNode) -> bool:
        return bool(self.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}"))

    def quads_for_pattern(self, s: Any, p: Any, o: Any, g: Any = None) -> Iterator[Quad]:
        """Quads matching a pattern (``None``: any); ``g`` a graph name, ``DefaultGraph()``, or ``None``.

        ``None`` reads the named graphs only (where the project keeps everything): on servers
        whose default graph is the union, reading it too would repeat every quad.
        """
        terms = " ".join(["?s" if s is None else str(s), "?p" if p is None else str(p), "?o" if o is None else str(o)])
        if isinstance(g, DefaultGraph):
            sparql, graph = f"SELECT * WHERE {{ {terms} }}", g
        else:
            sparql, graph = f"SELECT * WHERE {{ GRAPH {'?g' if g is None else str(g)} {{ {terms} }} }}", g
        # with neither subject nor object bound the answer may be large: read it as it arrives
        for row in self.query(sparql, stream=s is None and o is None):
            yield Quad(s if s is not None else row["s"], p if p is not None else row["p"],
                       o if o is not None else row["o"], graph if graph is not None else row["g"])

    def close(self) -> None:
        for conn in getattr(self._local, "conns", {}).values():
            conn.close()
        self._local.conns = {}

    def flush(self) -> None:
        """Nothing to do: the server commits each request."""


class RemoteStore:
    """A SPARQL 1.1 server holding one named graph per report (see the module doc)."""

    def __init__(self, url: str, query_url: str | None = None, update_url: str | None = None) -> None:
        self._sparql: RemoteSparql | None = RemoteSparql(url, query_url, update_url)
        self.location = self._sparql.url

    @property
    def store(self) -> RemoteSparql:
        if self._sparql is None:
            raise StoreError(f"store {self.location} is closed")
        return self._sparql

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._sparql is not None:
            self._sparql.close()
            self._sparql = None

    def flush(self) -> None:
        """Nothing to do: the server commits each request."""

    def optimize(self) -> None:
        """Nothing to do: the server manages its storage."""

    def __repr__(self) -> str:
        return f"RemoteStore({self.location!r})"

    # -- writing -------------------------------------------------------------------
    def replace_report(self, report_iri: str, quads: Iterable[Quad]) -> int:
        """Replace one report's graph with ``quads``: ONE update request."""
        from kg.store import prepare_report

        return self.write_reports([prepare_report(report_iri, quads)])

    def write_reports(self, prepared: Iterable[Any]) -> int:
        """Write prepared reports (:class:`kg.store.PreparedReport`): one request per report."""
        from kg.store import graph_update, nquads_to_triples

        n = 0
        for p in prepared:
            self.store.update(graph_update(NamedNode(p.iri), nquads_to_triples(p.nquads)))
            n += p.quads
        return n

    def remove_report(self, report_iri: str) -> bool:
        graph = NamedNode(_graph_iri(report_iri))
        existed = self.store.contains_named_graph(graph)
        self.store.update(f"DROP SILENT GRAPH {graph}")
        return existed

    def bulk_load(self, quads: Iterable[Quad]) -> int:
        """Add quads, a few thousand per request (no graph is replaced)."""
        n = 0
        batch: dict[str, list[str]] = {}
        size = 0
        for q in quads:
            g = q.graph_name
            key = "" if isinstance(g, DefaultGraph) else str(g)
            batch.setdefault(key, []).append(f"{q.subject} {q.predicate} {q.object}")
            n += 1
            size += 1
            if size >= 20_000:
                self._send_batch(batch)
                batch, size = {}, 0
        if batch:
            self._send_batch(batch)
        return n

    def load_file(self, path: str | os.PathLike[str], graph: str | None = None) -> int:
        """Add the statements of an RDF file, a few thousand per request; triples go into ``graph``."""
        from kg.store import rdf_file_format

        location = os.fspath(path)
        fmt = rdf_file_format(location)
        target = NamedNode(_graph_iri(graph)) if graph else None
        def quads() -> Iterator[Quad]:
            for q in parse(path=location, format=fmt):
                if target is not None and isinstance(q.graph_name, DefaultGraph):
                    q = Quad(q.subject, q.predicate, q.object, target)
                yield q

        try:
            return self.bulk_load(quads())
        except SyntaxError as e:
            raise StoreError(f"{location}: {e}") from e
        except OSError as e:
            raise StoreError(f"cannot read {location}: {e}") from e

    def _send_batch(self, batch: dict[str, list[str]]) -> None:
        parts = []
        for g, lines in batch.items():
            body = " .\n".join(lines)
            parts.append(f"GRAPH {g} {{ {body} }}" if g else body)
        self.store.update("INSERT DATA { " + "\n".join(parts) + " }")

    def clear(self) -> None:
        self.store.update("DROP SILENT ALL")

    # -- reading -------------------------------------------------------------------
    def reports(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def has_report(self, report_iri: str) -> bool:
        return self.store.contains_named_graph(NamedNode(_graph_iri(report_iri)))

    def report_hashes(self) -> dict[str, str]:
        """sha256 of every complete report graph in the store (its completeness marker)."""
        rows = self.store.query(f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{PKG.sha256}> ?h }} }}")
        return {row[0].value: row[1].value for row in rows}

    def count_quads(self, report_iri: str | None = None) -> int:
        if report_iri is None:
            return len(self.store)
        graph = NamedNode(_graph_iri(report_iri))
        rows = self.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        return int(next(iter(rows))[0].value)

    def __len__(self) -> int:
        return self.count_quads()

    def query(self, sparql: str, substitutions: dict[Any, Any] | None = None) -> Any:
        """Run SPARQL with the default graph as the union of all report graphs."""
        return self.store.query(sparql, use_default_graph_as_union=True, substitutions=substitutions)

    def stats(self) -> dict[str, int]:
        values = " ".join(f"<{iri}>" for iri in _STAT_CLASSES.values())
        sparql = (f"SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE {{ VALUES ?c {{ {values} }} "
                  "GRAPH ?g { ?x a ?c } } GROUP BY ?c")
        by_class = {row[0].value: int(row[1].value) for row in self.store.query(sparql)}
        out = {name: by_class.get(iri, 0) for name, iri in _STAT_CLASSES.items()}
        rows = self.store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
        out["triples"] = int(next(iter(rows))[0].value)
        out["quads"] = len(self.store)
        return out


def _graph_params(name: str, graphs: Any) -> list[tuple[str, str]]:
    """Protocol dataset parameters for graph names (one term or several; the default graph has no IRI)."""
    if graphs is None:
        return []
    if isinstance(graphs, (NamedNode, str)):
        graphs = [graphs]
    return [(name, g if isinstance(g, str) else g.value) for g in graphs if not isinstance(g, DefaultGraph)]


def _graph_iri(report: str) -> str:
    return report if "://" in report else ids.report_iri(report)
