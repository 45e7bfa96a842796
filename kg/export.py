"""Write the store out as Turtle, TriG, N-Quads, N-Triples or JSON-LD.

TriG, N-Quads and JSON-LD keep one named graph per report. Turtle and N-Triples
merge all graphs into one (a triple stated by several reports is written once).
Only vocabulary prefixes are declared: instance IRIs carry CJK names and rdflib's
Turtle parser rejects some CJK punctuation in prefixed names, so they stay as full IRIs.

>>> import io
>>> from pyoxigraph import Literal, NamedNode, Quad
>>> from kg.store import open_store
>>> from kg.vocab import DCTERMS
>>> store = open_store(":memory:")
>>> g = NamedNode("https://w3id.org/policy-kg/id/report/demo")
>>> store.replace_report(g.value, [Quad(g, NamedNode(DCTERMS.identifier), Literal("demo"), g)])
1
>>> buf = io.BytesIO()
>>> export(store, "turtle", buf)
1
>>> print(buf.getvalue().decode().splitlines()[-1])
<https://w3id.org/policy-kg/id/report/demo> dcterms:identifier "demo" .
"""

from __future__ import annotations

import io
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, BinaryIO, TypeVar

import rdflib
from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, Triple, parse, serialize

from kg.errors import KgError
from kg.ids import REPORT_SCOPED
from kg.vocab import PREFIXES

__all__ = ["export", "FORMATS", "EXPORT_PREFIXES"]

FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld")
#: Prefixes declared in Turtle/TriG and in the JSON-LD context.
EXPORT_PREFIXES = PREFIXES
T = TypeVar("T")

_UNION = (
    "CONSTRUCT { ?s ?p ?o } WHERE { { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } } "
    "ORDER BY ?s ?p ?o"
)


def _raw(store: Any) -> Store:
    return getattr(store, "store", store)


def _union_triples(store: Store, counter: list[int]) -> Iterator[Triple]:
    for t in store.query(_UNION, use_default_graph_as_union=True):
        counter[0] += 1
        yield t


def _per_graph(raw: Store, work: Callable[[NamedNode | DefaultGraph], T], threads: int = 2) -> Iterator[T]:
    """``work(graph)`` for every graph (default graph first), in order, run by ``threads`` threads.

    Decoding terms from the on-disk store dominates an export and pyoxigraph's ``dump``
    releases the GIL, so graphs are dumped side by side; a bounded window keeps memory flat.
    """
    graphs: list[NamedNode | DefaultGraph] = [DefaultGraph(), *(g for g in raw.named_graphs() if isinstance(g, NamedNode))]
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="kg-export") as pool:
        window: deque = deque()
        for graph in graphs:
            window.append(pool.submit(work, graph))
            if len(window) > 4 * threads:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def _graph_dumps(raw: Store) -> Iterator[tuple[NamedNode | DefaultGraph, bytes]]:
    """(graph, its triples as N-Triples) for every graph."""
    return _per_graph(raw, lambda graph: (graph, raw.dump(format=RdfFormat.N_TRIPLES, from_graph=graph)))


def _scoped_prefixes() -> tuple[bytes, ...]:
    return tuple(f"<{prefix}".encode() for prefix in REPORT_SCOPED)


def _union_lines(raw: Store) -> Iterator[bytes]:
    """The union of all graphs as N-Triples, each triple once, in chunks of whole lines.

    A triple stated by several reports is kept where it first appears. Only triples about
    shared nodes (actors, regions, programmes, documents, anything loaded from elsewhere)
    can repeat: they are remembered exactly, while those about report-scoped nodes
    (:data:`kg.ids.REPORT_SCOPED`, ~80 % of the lines) pass straight through.
    """
    scoped = _scoped_prefixes()
    seen: set[bytes] = set()
    for _, chunk in _graph_dumps(raw):
        # pyoxigraph writes each term one way, so equal lines are equal triples
        fresh = [line for line in chunk.splitlines(keepends=True)
                 if line.startswith(scoped) or not (line in seen or seen.add(line))]
        if fresh:
            yield b"".join(fresh)


def _turtle_header() -> bytes:
    """The prefix declarations pyoxigraph's Turtle serializer starts with."""
    probe = NamedNode("urn:kg:probe")
    text = serialize([Triple(probe, probe, probe)], format=RdfFormat.TURTLE, prefixes=EXPORT_PREFIXES)
    return text[: text.index(b"<urn:kg:probe>")]


def _strip_header(text: bytes, header: bytes) -> bytes:
    if not text.startswith(header):  # pyoxigraph changed how it starts a Turtle document
        raise KgError("unexpected Turtle from pyoxigraph: the prefix declarations differ; please report this")
    return text[len(header):]


def _union_turtle(raw: Store, out: BinaryIO) -> int:
    """Write the union of all graphs as Turtle, each triple once; return the triples written.

    pyoxigraph writes each graph as Turtle, on two threads. Its statements end in " .\n"
    and nowhere else (it escapes line ends inside literals), so they split cheaply into one
    block per subject. Blocks about report-scoped nodes (:data:`kg.ids.REPORT_SCOPED`, whose
    IRIs carry the report, ~80 % of the triples) are written as they are; the others are
    parsed and only triples not written before go out, so a triple that several reports
    state is written once. Python touches a fifth of the triples, not all of them as when
    every graph went through N-Triples and pyoxigraph's parser: 6 % faster at 10^6 quads.
    """
    header = _turtle_header()
    scoped_prefixes = _scoped_prefixes()

    def split(graph: NamedNode | DefaultGraph) -> tuple[bytes, bytes]:
        text = raw.dump(format=RdfFormat.TURTLE, from_graph=graph, prefixes=EXPORT_PREFIXES)
        if not text:
            return b"", b""
        scoped: list[bytes] = []
        shared: list[bytes] = []
        for statement in _strip_header(text, header).split(b" .\n")[:-1]:
            (scoped if statement.startswith(scoped_prefixes) else shared).append(statement + b" .\n")
        return b"".join(scoped), b"".join(shared)

    total = len(raw)
    dropped = 0
    seen: set[Quad] = set()
    out.write(header)
    for scoped, shared in _per_graph(raw, split):
        out.write(scoped)
        if shared:
            parsed = list(parse(header + shared, RdfFormat.TURTLE))
            fresh = [q for q in parsed if not (q in seen or seen.add(q))]
            dropped += len(parsed) - len(fresh)
            if fresh:
                out.write(_strip_header(serialize(fresh, format=RdfFormat.TURTLE, prefixes=EXPORT_PREFIXES), header))
    return total - dropped


def export(store: Any, fmt: str, out: BinaryIO) -> int:
    """Write ``store`` (a KgStore or pyoxigraph Store) to the binary stream ``out``.

    Returns the number of statements written: quads for ``trig``/``nquads``/``jsonld``,
    distinct triples for ``turtle``/``ntriples``.
    """
    raw = _raw(store)
    if fmt == "trig":
        raw.dump(out, RdfFormat.TRIG, prefixes=EXPORT_PREFIXES)
        return len(raw)
    if fmt == "nquads" and isinstance(raw, Store):
        n = 0
        for graph, triples in _graph_dumps(raw):
            if isinstance(graph, NamedNode):
                # N-Triples lines end in " .\n" and escape newlines inside literals: append the graph
                triples = triples.replace(b" .\n", f" {graph} .\n".encode("utf-8"))
            n += triples.count(b"\n")
            out.write(triples)
        return n
    if fmt == "nquads":
        raw.dump(out, RdfFormat.N_QUADS)
        return len(raw)
    if fmt == "turtle" and isinstance(raw, Store):
        return _union_turtle(raw, out)
    if fmt == "ntriples" and isinstance(raw, Store):
        n = 0
        for chunk in _union_lines(raw):
            n += chunk.count(b"\n")
            out.write(chunk)
        return n
    if fmt in ("turtle", "ntriples"):  # a remote store: the union by SPARQL
        counter = [0]
        if fmt == "turtle":
            serialize(_union_triples(raw, counter), out, RdfFormat.TURTLE, prefixes=EXPORT_PREFIXES)
        else:
            serialize(_union_triples(raw, counter), out, RdfFormat.N_TRIPLES)
        return counter[0]
    if fmt == "jsonld":
        # pyoxigraph writes JSON-LD but without a context; rdflib compacts with one.
        with warnings.catch_warnings():  # rdflib 7.6 trips over its own deprecated Dataset APIs
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset = rdflib.Dataset()
            dataset.parse(data=raw.dump(format=RdfFormat.N_QUADS), format="nquads")
            text = dataset.serialize(format="json-ld", context=dict(EXPORT_PREFIXES), auto_compact=True)
        out.write(text.encode("utf-8"))
        return len(raw)
    raise KgError(f"unknown export format '{fmt}'; use one of {', '.join(FORMATS)}")


def export_bytes(store: Any, fmt: str) -> bytes:
    """Convenience: the export as bytes."""
    buf = io.BytesIO()
    export(store, fmt, buf)
    return buf.getvalue()
