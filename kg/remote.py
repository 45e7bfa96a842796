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
  request unless its log mode says otherwise), so a report is never half written. For
  Virtuoso the ``INSERT DATA`` is split into operations of 2,000 triples, still one request.
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
GraphDB and Virtuoso do so by default. The ``actor-fundings``, ``evidence``,
``region-totals`` and ``search`` queries use ``LATERAL`` (SPARQL SEP-0006): Oxigraph and
Jena ≥ 4.7 have it; GraphDB and Virtuoso do not (:attr:`RemoteSparql.supports_lateral`
asks once), and get the plain SPARQL 1.1 forms (``queries/sparql11/README.md``) instead.

Virtuoso, tested with Debian's 7.2.5 (``tests/test_virtuoso.py`` starts a private server):
ingest, re-ingest, ``--skip-existing``, stats, the canned queries, every export, ``load``,
``viz``, ``validate`` and ``kg serve`` give what a local store gives, except as said below.

- Setup: its anonymous SPARQL user may only read. As dba in ``isql-vt``:
  ``GRANT SPARQL_UPDATE TO "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);``
  (its ``/sparql-auth`` endpoint wants HTTP Digest, which this client does not send).
  ``[SPARQL] ResultSetMaxRows`` in virtuoso.ini (10,000 as shipped) must exceed the number
  of quads: Virtuoso cuts a larger result and says so only in a header, which is an error
  here. A query past ``MaxQueryExecutionTime`` (60 s as shipped) fails.
- What is done for it, once the ``/sparql`` endpoint's ``Server`` header said Virtuoso
  (asked once): queries are POSTed as forms (7.2 never answers an
  ``application/sparql-query`` body) and CONSTRUCT/DESCRIBE ask for N-Triples (asked for
  JSON it sends triples as rows). Its own graphs (``virtrdf#``, ``owl#``, ``ldp#``, its
  DAV folder and service description) are left out of ``GRAPH ?g`` and of the default
  graph with its ``define input:named-graph-exclude`` / ``default-graph-exclude``
  pragmas, so graph lists, counts and every export hold the store's graphs only; not in
  a query that names a graph (``GRAPH <g>``, ``FROM``), where 7.2 would then find nothing
  in that graph. ``clear`` drops graph by graph (it takes ``DROP ALL`` as nothing to do).
  It stores numbers by value (``"1.50"^^xsd:decimal`` comes back ``"1.5"``); kg writes
  canonical forms, so exports are equal.
- What differs: the canned queries run in their plain SPARQL 1.1 forms (no ``LATERAL``; the
  ``actor`` query's form makes its two-value texts in subqueries, since Virtuoso's ``CONCAT``
  of an unbound value is a string and its ``BOUND`` of some unbound values true). In
  ``search`` the labels within ``matched`` follow Virtuoso's ``GROUP_CONCAT`` order, which
  ignores the subquery's ``ORDER BY``. ``kg serve``'s own queries sort grouped results
  outside the grouping, as Virtuoso does not sort by an aggregate's name.

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
_FORM = "application/x-www-form-urlencoded"
# Graphs Virtuoso keeps for itself: its RDF-view metadata and two vocabularies (fixed IRIs), and two
# found by their content because their IRI follows its [URIQA] DefaultHost: the WebDAV folder
# (``http://HOST/DAV/``) and the endpoint's service description (``http://HOST/sparql``).
_VIRTUOSO_GRAPHS = ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#",
                    "http://www.w3.org/2002/07/owl#")
_VIRTUOSO_PROBE = (
    "SELECT DISTINCT ?g WHERE { "
    "{ GRAPH ?g { ?s a <http://www.w3.org/ns/sparql-service-description#Service> } } UNION "
    "{ GRAPH ?g { ?s <http://www.openlinksw.com/schemas/DAV#ownerUser> ?o } } }"
)
# a query that names a graph (GRAPH <g>, GRAPH ex:g, FROM): Virtuoso 7.2 then finds nothing in that
# graph when graphs are excluded, so such a query is sent without the exclusions
_NAMES_GRAPH = re.compile(r"(?<![\w:/#])(?:GRAPH\b\s*[^\s?$]|FROM\b)", re.IGNORECASE)
_COMMENT = re.compile(r"(?:^|(?<=\s))#[^\n]*")
# the prologue a query form follows: blanks, comments, PREFIX/BASE declarations, Virtuoso's pragmas
_PROLOGUE = re.compile(r"""\s+|\#[^\n]*|PREFIX\s*[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>|DEFINE\s+\S+\s+(?:<[^>]*>|"[^"]*"|\S+)""",
                       re.IGNORECASE)


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


def _query_form(sparql: str) -> str:
    """The form of a query (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``), read after its prologue.

    >>> _query_form("PREFIX s: <http://x/#> # a comment\\nconstruct { ?a ?b ?c } WHERE { ?a ?b ?c }")
    'CONSTRUCT'
    """
    pos = 0
    while (m := _PROLOGUE.match(sparql, pos)) and m.end() > pos:
        pos = m.end()
    word = re.match(r"[A-Za-z]+", sparql[pos:])
    return word.group(0).upper() if word else ""


def _names_graph(sparql: str) -> bool:
    """Whether a query names a graph (``GRAPH <g>``, ``GRAPH ex:g``, ``FROM``), comments aside.

    >>> _names_graph("ASK { GRAPH <urn:g> { ?s ?p ?o } }"), _names_graph("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }")
    (True, True)
    >>> _names_graph("SELECT * WHERE { GRAPH ?g { ?s prov:wasDerivedFrom <http://x/graph#a> } } # GRAPH <urn:g>")
    False
    """
    return _NAMES_GRAPH.search(_COMMENT.sub(" ", sparql)) is not None


class _Response:
    """An HTTP response we read from, with its connection returned when done."""

    def __init__(self, resp: http.client.HTTPResponse) -> None:
        self.resp = resp
        self.content_type = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()
        self.server = resp.getheader("Server") or ""


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
        # whether the server is Virtuoso (asked once, only of a single ``/sparql`` endpoint), and its own graphs
        self._virtuoso: bool | None = None if self.flavor == "virtuoso" else False
        self._hidden: tuple[str, ...] = ()
        self._lateral: bool | None = None

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

    # -- Virtuoso ------------------------------------------------------------------
    @property
    def is_virtuoso(self) -> bool:
        """Whether the server is Virtuoso (its ``Server`` header), asked once of a ``/sparql`` endpoint."""
        if self._virtuoso is None:
            body = urlencode({"query": _VIRTUOSO_PROBE}).encode("ascii")
            answer = self._request("POST", self.query_url, body, {"Content-Type": _FORM, "Accept": _JSON})
            data = answer.resp.read()
            if answer.server.startswith("Virtuoso") and answer.content_type in (_JSON, "application/json"):
                found = [row[0].value for row in parse_query_results(io.BytesIO(data), QueryResultsFormat.JSON)
                         if isinstance(row[0], NamedNode)]
                self._hidden = tuple(dict.fromkeys([*_VIRTUOSO_GRAPHS, *found]))
                self._virtuoso = True
            else:
                self._virtuoso = False
        return self._virtuoso

    @property
    def supports_lateral(self) -> bool:
        """Whether the server parses ``LATERAL`` (SPARQL SEP-0006), asked once with a one-row ``ASK``.

        Oxigraph and Jena ≥ 4.7 do; Virtuoso 7 and GraphDB answer 400. ``kg.query`` then
        sends the plain SPARQL 1.1 form of a canned query.
        """
        if self._lateral is None:
            try:
                self._lateral = bool(self.query("ASK { LATERAL { BIND(1 AS ?x) } }"))
            except RemoteError as e:
                if not e.status:  # no answer at all: not a fact about the server's SPARQL
                    raise
                self._lateral = False
        return self._lateral

    def _virtuoso_query(self, sparql: str, params: list[tuple[str, str]]) -> tuple[bytes, dict[str, str]]:
        """A query for Virtuoso: blind to its own graphs, as a form, asking for the format its form gives.

        Virtuoso 7.2 never answers a query POSTed as ``application/sparql-query`` (it waits), and asked
        for SPARQL JSON it sends a CONSTRUCT's triples as rows; its ``define input:…-exclude`` pragmas
        take its own graphs out of both the union default graph and ``GRAPH ?g``, but also empty a
        graph the query names, so a query that names one, or a dataset, is sent without them.
        """
        hide = ""
        if not params and not _names_graph(sparql):
            hide = "".join(f"define input:default-graph-exclude <{g}> define input:named-graph-exclude <{g}>\n"
                           for g in self._hidden)
        accept = _NT if _query_form(sparql) in ("CONSTRUCT", "DESCRIBE") else _JSON
        body = urlencode([("query", hide + sparql), *params]).encode("ascii")
        return body, {"Content-Type": _FORM, "Accept": accept}

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
        if self.is_virtuoso:  # its default graph is already the union
            body, headers = self._virtuoso_query(sparql, params)
            params = []
        else:
            body = sparql.encode("utf-8")
            headers = {"Content-Type": "application/sparql-query; charset=utf-8",
                       "Accept": f"{_JSON}, {_NT};q=0.9, text/turtle;q=0.8"}
        if stream:
            resp = self._open(self.query_url, body, headers, params)
            self._check_complete(resp)
            content_type = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()
            return self._results(resp, content_type)
        answer = self._request("POST", self.query_url, body, headers, params)
        data = answer.resp.read()
        self._check_complete(answer.resp)
        return self._results(io.BytesIO(data), answer.content_type)

    def _check_complete(self, resp: http.client.HTTPResponse) -> None:
        """Refuse a result Virtuoso cut at its row limit: it says so only in a header."""
        limit = resp.getheader("X-SPARQL-MaxRows") if self._virtuoso else None
        if limit:
            resp.close()  # read already, or on a connection of its own
            raise RemoteError(f"SPARQL server {self.url} cut the result at {limit} rows (Virtuoso's [SPARQL] "
                              "ResultSetMaxRows in virtuoso.ini): raise it above the number of quads in the store")

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
        if self.is_virtuoso and graph.value in self._hidden:
            return False  # Virtuoso's own
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

    def optimize(self) -> bool:
        """Nothing to do: the server manages its storage (returns False: nothing was optimized)."""
        return False

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
            self.store.update(graph_update(NamedNode(p.iri), nquads_to_triples(p.nquads), self._per_operation()))
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
        from kg.store import insert_data

        self.store.update(" ;\n".join(insert_data(batch, self._per_operation())))

    def _per_operation(self) -> int | None:
        # Virtuoso 7.2's parser gives up on an INSERT DATA of ~5,000 triples ("SP030 … memory exhausted")
        return 2000 if self.store.is_virtuoso else None

    def clear(self) -> None:
        if self.store.is_virtuoso:  # Virtuoso 7.2 takes DROP ALL as nothing to do; its own graphs stay
            graphs = list(self.store.named_graphs())
            for start in range(0, len(graphs), 500):
                self.store.update(" ;\n".join(f"DROP SILENT GRAPH {g}" for g in graphs[start:start + 500]))
            return
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
