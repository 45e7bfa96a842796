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
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, BinaryIO

import rdflib
from pyoxigraph import DefaultGraph, NamedNode, RdfFormat, Store, Triple, parse, serialize

from kg.errors import KgError
from kg.ids import REPORT_SCOPED
from kg.vocab import PREFIXES

__all__ = ["export", "FORMATS", "EXPORT_PREFIXES"]

FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld")
#: Prefixes declared in Turtle/TriG and in the JSON-LD context.
EXPORT_PREFIXES = PREFIXES

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


def _graph_dumps(raw: Store, threads: int = 2) -> Iterator[tuple[NamedNode | DefaultGraph, bytes]]:
    """(graph, its triples as N-Triples) for every graph, in order, dumped by ``threads`` threads.

    Decoding terms from the on-disk store dominates an export and pyoxigraph's ``dump``
    releases the GIL, so graphs are dumped side by side; a bounded window keeps memory flat.
    """
    graphs: list[NamedNode | DefaultGraph] = [DefaultGraph(), *(g for g in raw.named_graphs() if isinstance(g, NamedNode))]

    def dump(graph: NamedNode | DefaultGraph) -> bytes:
        return raw.dump(format=RdfFormat.N_TRIPLES, from_graph=graph)

    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="kg-export") as pool:
        window: deque = deque()
        for graph in graphs:
            window.append((graph, pool.submit(dump, graph)))
            if len(window) > 4 * threads:
                g, f = window.popleft()
                yield g, f.result()
        while window:
            g, f = window.popleft()
            yield g, f.result()


def _union_lines(raw: Store) -> Iterator[bytes]:
    """The union of all graphs as N-Triples, each triple once, in chunks of whole lines.

    A triple stated by several reports is kept where it first appears. Only triples about
    shared nodes (actors, regions, programmes, documents, anything loaded from elsewhere)
    can repeat: they are remembered exactly, while those about report-scoped nodes
    (:data:`kg.ids.REPORT_SCOPED`, ~85 % of the lines) pass straight through. Streaming,
    and 1.5x faster at 10^6 quads than merging all graphs in a store first.
    """
    scoped = tuple(f"<{prefix}".encode() for prefix in REPORT_SCOPED)
    seen: set[bytes] = set()
    for _, chunk in _graph_dumps(raw):
        # pyoxigraph writes each term one way, so equal lines are equal triples
        fresh = [line for line in chunk.splitlines(keepends=True)
                 if line.startswith(scoped) or not (line in seen or seen.add(line))]
        if fresh:
            yield b"".join(fresh)


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
    if fmt in ("turtle", "ntriples"):
        rdf_format = RdfFormat.TURTLE if fmt == "turtle" else RdfFormat.N_TRIPLES
        prefixes = EXPORT_PREFIXES if fmt == "turtle" else None
        if isinstance(raw, Store):
            lines = _union_lines(raw)
            if fmt == "ntriples":
                n = 0
                for chunk in lines:
                    n += chunk.count(b"\n")
                    out.write(chunk)
                return n
            counter = [0]

            def triples() -> Iterator[Triple]:
                for chunk in lines:
                    counter[0] += chunk.count(b"\n")
                    yield from parse(chunk, RdfFormat.N_TRIPLES, lenient=True)

            serialize(triples(), out, rdf_format, prefixes=prefixes)
            return counter[0]
        counter = [0]
        serialize(_union_triples(raw, counter), out, rdf_format, prefixes=prefixes)
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
