"""What runs inside a worker process: the worker loop and every job that touches the store.

A worker reads through its own read-only opening of the store
(``pyoxigraph.Store.read_only``), re-opened whenever the parent's fingerprint of the
store folder changes, so it sees what ``kg ingest`` (another process) or a write through
the server flushed. Writes (SPARQL Update, Graph Store PUT/POST/DELETE) open the store
read-write for the duration of one job, flush, and let it go, so the server never keeps
the store's write lock and ``kg ingest`` can run beside it.

Over a SPARQL server (``location`` an ``http(s)://`` URL) the reader is a
:class:`kg.remote.RemoteSparql` instead, made once per worker (its connection is kept
alive); a new fingerprint only makes the worker forget what it remembered about the
graph. Writes are sent to the server as SPARQL updates, one request per write. A query
that outlives its time limit still has its worker killed, which closes the connection;
the server itself may go on evaluating it (give it its own time limit too).

A job returns plain picklable data; an expected failure raises :class:`JobFailure` with
the HTTP status the server should answer. Any other failure is answered with a plain 500
and its details are sent along for the server's log, never for the client.

A worker of the SPARQL pool may be given a memory limit: before each read job the worker
sets ``RLIMIT_DATA`` to what it holds (store open) plus the limit. A query that needs more
either aborts the process (the query engine cannot recover from a failed allocation; the
pool sees the abort) or raises ``MemoryError`` here, after which the worker exits so that a
fresh one takes over.
"""

from __future__ import annotations

import gc
import itertools
import re
import resource
import signal
import traceback
import time
from collections.abc import Callable
from typing import Any

from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
    parse,
    serialize,
)

from kg.errors import StoreError
from kg.remote import RemoteSparql, is_remote
from kg.serve.sparql import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    serialize_boolean,
    serialize_solutions,
)
from kg.vocab import PREFIXES

__all__ = ["JobFailure", "worker_main", "READ_JOBS", "WRITE_JOBS", "RDF_FORMATS"]


class JobFailure(Exception):
    """A job that cannot be done as asked; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(status, message)
        self.status = status
        self.message = message


#: graph format name (see kg.serve.sparql.GRAPH_FORMATS) -> pyoxigraph format
RDF_FORMATS: dict[str, RdfFormat] = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "rdfxml": RdfFormat.RDF_XML,
}


# --------------------------------------------------------------------------- reads


def _dataset_kwargs(default_graphs: list[str], named_graphs: list[str], union: bool) -> dict[str, Any]:
    if default_graphs or named_graphs:
        return {
            "default_graph": [NamedNode(g) for g in default_graphs],
            "named_graphs": [NamedNode(g) for g in named_graphs],
        }
    return {"use_default_graph_as_union": True} if union else {}


def query_job(
    store: Store,
    text: str,
    result_format: str,
    graph_format: str,
    default_graphs: list[str],
    named_graphs: list[str],
    union: bool,
    base_iri: str | None,
    max_rows: int,
) -> tuple[str, bytes, bool]:
    """Run a query; answer (media type, body, truncated). Rows past ``max_rows`` are dropped."""
    result = store.query(text, base_iri=base_iri, **_dataset_kwargs(default_graphs, named_graphs, union),
                         **_streamed(store))
    if isinstance(result, QueryBoolean):
        media, body = serialize_boolean(bool(result), result_format)
        return media, body, False
    if isinstance(result, QuerySolutions):
        variables = [v.value for v in result.variables]
        n = len(variables)
        rows = [[sol[i] for i in range(n)] for sol in itertools.islice(result, max_rows + 1)]
        truncated = len(rows) > max_rows
        del rows[max_rows:]
        return RESULT_FORMATS[result_format][0], serialize_solutions(variables, rows, result_format), truncated
    triples = list(itertools.islice(result, max_rows + 1))
    truncated = len(triples) > max_rows
    del triples[max_rows:]
    body = serialize(triples, format=RDF_FORMATS[graph_format], prefixes=_prefixes(graph_format)) or b""
    return GRAPH_FORMATS[graph_format][0], body, truncated


def _streamed(store: Any) -> dict[str, Any]:
    """For a remote reader: parse results as they arrive, so rows past the row limit are never read."""
    return {"stream": True} if isinstance(store, RemoteSparql) else {}


def _prefixes(graph_format: str) -> dict[str, str] | None:
    return dict(PREFIXES) if graph_format in ("turtle", "rdfxml", "jsonld") else None


def _term_cell(term: Any) -> dict[str, str] | None:
    """A term for an HTML table: its kind, its text, and its datatype or language."""
    if term is None:
        return None
    kind = type(term).__name__
    if kind == "Literal":
        extra = term.language or ("" if term.datatype.value.endswith("#string") else term.datatype.value)
        return {"kind": "literal", "value": term.value, "extra": extra}
    if kind == "NamedNode":
        return {"kind": "iri", "value": term.value, "extra": ""}
    if kind == "BlankNode":
        return {"kind": "bnode", "value": f"_:{term.value}", "extra": ""}
    return {"kind": "triple", "value": str(term), "extra": ""}


def table_job(
    store: Store, text: str, substitutions: dict[str, tuple[str, str | None]], max_rows: int
) -> dict[str, Any]:
    """Run a query for the query page: columns and rows of cells, union default graph.

    ``substitutions`` maps a variable name to (value, language or None), bound as a literal.
    """
    from pyoxigraph import Literal, Variable

    subs = {Variable(k): Literal(v, language=lang) if lang else Literal(v) for k, (v, lang) in dict(substitutions).items()}
    start = time.perf_counter()
    result = store.query(text, use_default_graph_as_union=True, substitutions=subs or None, **_streamed(store))
    if isinstance(result, QueryBoolean):
        return {"kind": "ask", "boolean": bool(result), "columns": [], "rows": [], "truncated": False,
                "seconds": time.perf_counter() - start}
    if isinstance(result, QuerySolutions):
        columns = [v.value for v in result.variables]
        rows = [[_term_cell(sol[i]) for i in range(len(columns))] for sol in itertools.islice(result, max_rows + 1)]
        kind = "select"
    else:
        columns = ["subject", "predicate", "object"]
        rows = [[_term_cell(t.subject), _term_cell(t.predicate), _term_cell(t.object)]
                for t in itertools.islice(result, max_rows + 1)]
        kind = "graph"
    truncated = len(rows) > max_rows
    del rows[max_rows:]
    return {"kind": kind, "columns": columns, "rows": rows, "truncated": truncated,
            "seconds": time.perf_counter() - start}


def gsp_get_job(store: Store, graph: str | None, graph_format: str, max_triples: int) -> tuple[str, bytes]:
    """One graph of the store (``None``: the default graph) in a graph syntax."""
    if graph is None:
        name: Any = DefaultGraph()
    else:
        name = NamedNode(graph)
        if not store.contains_named_graph(name):
            raise JobFailure(404, f"no graph <{graph}> in the store")
    quads = store.quads_for_pattern(None, None, None, name)
    triples = [Triple(q.subject, q.predicate, q.object) for q in itertools.islice(quads, max_triples + 1)]
    if len(triples) > max_triples:
        raise JobFailure(413, f"the graph has more than {max_triples:,} triples; use `kg export` for it")
    body = serialize(triples, format=RDF_FORMATS[graph_format], prefixes=_prefixes(graph_format)) or b""
    return GRAPH_FORMATS[graph_format][0], body


# --------------------------------------------------------------------------- writes


def _open_rw(location: str) -> Any:
    """The store read-write for one write job: a local folder, or the SPARQL server of a URL."""
    if is_remote(location):
        return RemoteSparql(location)
    try:
        return Store(location)
    except OSError as e:
        if "lock" in str(e).lower():
            raise JobFailure(
                503, "the store is being written by another process (an ingest?); try again when it is done"
            ) from None
        raise


#: pyoxigraph's words for an update operation that fails on the state of a graph (SPARQL 1.1
#: Update §3.2: CREATE of an existing graph, DROP/CLEAR/MOVE/… of a missing one, without SILENT)
_GRAPH_STATE_FAILURE = re.compile(r"^The graph <[^<>]*> (?:already exists|does not exist)$")


def graph_state_failure(error: Exception) -> JobFailure | None:
    """A 409 for an update that failed on a graph's existence, or None for any other failure.

    >>> graph_state_failure(RuntimeError("The graph <http://example.org/g> already exists")).status
    409
    >>> graph_state_failure(RuntimeError("something else")) is None
    True
    """
    message = str(error)
    if not isinstance(error, RuntimeError) or not _GRAPH_STATE_FAILURE.match(message):
        return None
    return JobFailure(409, f"{message}; the update was not applied (add SILENT to ignore this)")


def update_job(location: str, text: str, base_iri: str | None) -> None:
    """Run a SPARQL Update in one transaction, then flush."""
    store = _open_rw(location)
    try:
        store.update(text, base_iri=base_iri)  # remote: sent as is (after a BASE line), one request
        store.flush()
    except RuntimeError as e:
        raise graph_state_failure(e) or e from None
    finally:
        del store
        gc.collect()


def _parse_payload(payload: bytes, media_type: str, base_iri: str) -> list[Any]:
    fmt = RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise JobFailure(415, f"unsupported RDF media type {media_type!r}; send Turtle, N-Triples, RDF/XML or JSON-LD")
    if fmt.supports_datasets and fmt not in (RdfFormat.JSON_LD,):
        raise JobFailure(415, f"{media_type} holds a dataset; send one graph (Turtle, N-Triples, RDF/XML, JSON-LD)")
    try:
        return list(parse(payload, format=fmt, base_iri=base_iri, without_named_graphs=True, rename_blank_nodes=True))
    except SyntaxError as e:
        raise JobFailure(400, f"the {media_type} payload does not parse: {e}") from None
    except ValueError as e:
        raise JobFailure(400, f"the payload is not valid: {e}") from None


def _insert_data(target: str | None, quads: list[Any]) -> str:
    body = " .\n".join(f"{q.subject} {q.predicate} {q.object}" for q in quads)
    if not body:
        return ""
    if target is None:
        return f"INSERT DATA {{\n{body} .\n}}"
    return f"INSERT DATA {{ GRAPH <{target}> {{\n{body} .\n}} }}"


def gsp_write_job(
    location: str, method: str, graph: str | None, parts: list[tuple[str, bytes]], base_iri: str
) -> dict[str, Any]:
    """PUT (replace), POST (merge) or DELETE one graph; ``graph`` None is the default graph.

    ``parts`` are (media type, document) pairs, all merged (several for a multipart POST).
    Answers ``{"created": bool, "graph": iri}``.
    """
    quads = []
    for media_type, payload in ([] if method == "DELETE" else parts):
        quads += _parse_payload(payload, media_type, graph or base_iri)
    store = _open_rw(location)
    try:
        existed = True if graph is None else bool(store.contains_named_graph(NamedNode(graph)))
        ops: list[str] = []
        if method == "DELETE":
            if not existed:
                raise JobFailure(404, f"no graph <{graph}> in the store")
            ops.append("DROP DEFAULT" if graph is None else f"DROP GRAPH <{graph}>")
        else:
            if method == "PUT":
                ops.append("DROP SILENT DEFAULT" if graph is None else f"DROP SILENT GRAPH <{graph}>")
            if graph is not None:
                ops.append(f"CREATE SILENT GRAPH <{graph}>")
            insert = _insert_data(graph, quads)
            if insert:
                ops.append(insert)
        if ops:
            store.update(" ;\n".join(ops))
        store.flush()
        return {"created": not existed, "graph": graph}
    finally:
        del store
        gc.collect()


# --------------------------------------------------------------------------- registry


def _data(name: str) -> Callable[..., Any]:
    def call(store: Store, *args: Any) -> Any:
        from kg.serve import data

        return getattr(data, name)(store, *args)

    return call


READ_JOBS: dict[str, Callable[..., Any]] = {
    "query": query_job,
    "table": table_job,
    "gsp_get": gsp_get_job,
    "home": _data("home"),
    "search": _data("search"),
    "entity": _data("entity"),
    "indicator_series": _data("indicator_series"),
    "canned_names": _data("canned_names"),
    "report": _data("report"),
    "network": _data("network"),
    "analytics": _data("analytics"),
    "sleep": lambda store, seconds: time.sleep(seconds),  # for tests of the time limit
}
WRITE_JOBS: dict[str, Callable[..., Any]] = {
    "update": update_job,
    "gsp_write": gsp_write_job,
}


class _State:
    def __init__(self, location: str, memory_mb: int | None = None) -> None:
        self.location = location
        self.remote = is_remote(location)
        self.store: Any = None
        self.fingerprint: Any = None
        self.memory_mb = memory_mb

    def limited_reader(self, fingerprint: Any, force: bool = False) -> Any:
        """The reader, then the memory limit for the job: counted from what the opened store holds."""
        if self.memory_mb:
            _limit_memory(None)  # opening the store (its caches, RocksDB's threads) is not the query's
        store = self.reader(fingerprint, force)
        if self.memory_mb:
            _limit_memory(self.memory_mb)
        return store

    def reader(self, fingerprint: Any, force: bool = False) -> Any:
        if self.store is None or force or fingerprint != self.fingerprint:
            from kg.serve import data

            if self.remote:
                # nothing to re-open over HTTP: keep the connection, forget what we built from the old state
                if self.store is None or force:
                    self.store = RemoteSparql(self.location)
            else:
                self.store = None
                gc.collect()
                self.store = Store.read_only(self.location)
            self.fingerprint = fingerprint
            data.forget()
        return self.store

    def run(self, job: str, fingerprint: Any, args: tuple[Any, ...]) -> Any:
        if job in WRITE_JOBS:
            if not self.remote:
                self.store = None  # re-read after our own write
            return WRITE_JOBS[job](self.location, *args)
        fn = READ_JOBS[job]
        try:
            return fn(self.limited_reader(fingerprint), *args)
        except OSError:
            # a concurrent writer may have compacted files away under this reader: re-open once
            return fn(self.limited_reader(fingerprint, force=True), *args)


def _remote_failure(e: StoreError) -> tuple[int, str, str | None]:
    """Status, message and detail for the log, for a failure of the SPARQL server behind us.

    What the client sent wrong is told to the client; the server's own failures (its address,
    its error page) go to the log only.

    >>> from kg.remote import RemoteError
    >>> _remote_failure(RemoteError("http://10.0.0.5:8890/sparql answered 500: Virtuoso 42000 …", 500))[:2]
    (502, 'the SPARQL server behind this endpoint failed (HTTP 500); the details are in the log')
    """
    status = getattr(e, "status", None)
    if status is None:
        return 400, str(e), None  # not the server's answer: the request cannot be sent (e.g. a bound query without WHERE)
    if status in (400, 404, 405, 406, 413, 415, 422):
        return 400, str(e), None  # the server refused what the client sent (a syntax error, …)
    if status:  # a server error or a refusal of our own credentials: not the client's fault
        return 502, f"the SPARQL server behind this endpoint failed (HTTP {status}); the details are in the log", str(e)
    return 503, "the SPARQL server behind this endpoint cannot be reached; the details are in the log", str(e)


def _limit_memory(memory_mb: int | None) -> None:
    """Let this process allocate at most ``memory_mb`` MiB of data beyond what it holds now (None: lift it).

    ``RLIMIT_DATA`` counts the heap and private anonymous mappings (Linux ≥ 4.7), which is
    where the query engine's intermediate results live; the store's files, mapped read-only,
    are not counted. Set before each job, so that it is what one job may add.
    """
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if memory_mb is None:
        resource.setrlimit(resource.RLIMIT_DATA, (hard, hard))
        return
    held = 0
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            held = next((int(line.split()[1]) * 1024 for line in f if line.startswith("VmData:")), 0)
    except OSError:
        pass
    limit = held + memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def _internal(what: str, e: BaseException) -> tuple[Any, ...]:
    """A server-side failure: a plain message for the client, the details for the server's log."""
    return ("error", 500, f"internal error while running the {what}; the details are in the server's log",
            f"{what}: {type(e).__name__}: {e}\n{traceback.format_exc()}", False)


def worker_main(conn: Any, location: str, memory_mb: int | None = None) -> None:
    """Serve jobs from the parent over ``conn`` until it closes (at most ``memory_mb`` MiB more per job)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    state = _State(location, memory_mb)
    while True:
        try:
            job, fingerprint, args = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        what = "query" if job in ("query", "table") else "update" if job in WRITE_JOBS else job
        retire = False
        # replies: ("ok", value) or ("error", status, message for the client, detail for the log, retire)
        try:
            reply: tuple[Any, ...] = ("ok", state.run(job, fingerprint, args))
        except JobFailure as e:
            reply = ("error", e.status, e.message, None, False)
        except StoreError as e:
            reply = ("error", *_remote_failure(e), False)
        except SyntaxError as e:
            reply = ("error", 400, f"syntax error: {e}", None, False)
        except ValueError as e:
            reply = ("error", 400, str(e), None, False)
        except MemoryError:
            state.store = None
            retire = True  # the heap may be in pieces: a fresh worker takes over
            limit = f"the memory limit of {memory_mb} MiB per query" if memory_mb else "the memory available"
            reply = ("error", 503, f"the {what} was stopped: it needed more than {limit}", None, True)
        except Exception as e:  # noqa: BLE001 - report, keep serving
            reply = _internal(what, e)
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return
        except Exception as e:  # noqa: BLE001 - e.g. an unpicklable result
            conn.send(_internal(what, e))
        if retire:
            return
