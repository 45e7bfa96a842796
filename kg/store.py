"""The embedded, persistent pyoxigraph store that holds the knowledge graph.

Each report lives in its own named graph (``ids.report_iri(report_id)``); an entity
mentioned by several reports has statements in each of their graphs. Queries run
with the default graph set to the union of all named graphs.

>>> from pyoxigraph import NamedNode, Literal, Quad
>>> g = "https://w3id.org/policy-kg/id/report/demo"
>>> q = Quad(NamedNode(g), NamedNode("http://purl.org/dc/terms/identifier"), Literal("demo"), NamedNode(g))
>>> with open_store(":memory:") as store:
...     store.replace_report(g, [q]), store.replace_report(g, [q, q]), store.count_quads()
...     store.reports()
(1, 1, 1)
['https://w3id.org/policy-kg/id/report/demo']
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, Variable, parse, serialize

from kg import ids
from kg.errors import StoreError
from kg.vocab import PKG

__all__ = ["KgStore", "open_store", "require_store", "is_store_folder", "DEFAULT_LOCATION", "MEMORY",
           "PreparedReport", "prepare_report"]

DEFAULT_LOCATION = "kg-store"
MEMORY = ":memory:"

_STAT_CLASSES = {
    "reports": PKG.Report,
    "actors": PKG.Actor,
    "regions": PKG.Region,
    "programmes": PKG.Program,
    "documents": PKG.PolicyDocument,
    "fundings": PKG.Funding,
    "measures": PKG.Measure,
}


def _graph_iri(report: str) -> str:
    """Accept a report IRI or a report id."""
    return report if "://" in report else ids.report_iri(report)


def report_nquads(graph: NamedNode, quads: Iterable[Quad]) -> tuple[bytes, int]:
    """The quads of one report as N-Quads, all in ``graph``; duplicates dropped.

    Quads in the default graph go into ``graph``; a quad naming another graph raises
    :class:`StoreError` (before anything is written). pyoxigraph's serializer does the
    writing (and the escaping), several times faster than formatting terms in Python.
    """
    unique: dict[Quad, None] = {}
    for quad in quads:
        gname = quad.graph_name
        if gname != graph:
            if not isinstance(gname, DefaultGraph):
                raise StoreError(f"quad {quad} is not in graph {graph}")
            quad = Quad(quad.subject, quad.predicate, quad.object, graph)
        unique[quad] = None
    return serialize(unique, format=RdfFormat.N_QUADS), len(unique)


def nquads_to_triples(nquads: bytes) -> list[str]:
    """N-Quads as N-Triples lines (graph names dropped), for ``INSERT DATA { GRAPH <g> { … } }``."""
    triples = (q.triple for q in parse(nquads, format=RdfFormat.N_QUADS, lenient=True))
    # one triple a line: N-Triples escapes a newline inside a literal
    return serialize(triples, format=RdfFormat.N_TRIPLES).decode("utf-8").splitlines()


def insert_data(batch: dict[str, list[str]], per_operation: int | None = None) -> list[str]:
    """``INSERT DATA`` operations for N-Triples lines by graph IRI ("" = default graph), to send as ONE request.

    ``per_operation`` caps the triples of each operation; the request still commits as a whole.

    >>> insert_data({"<urn:g>": ["<urn:a> <urn:b> <urn:c> .", "<urn:a> <urn:b> <urn:d>"]}, 1)
    ['INSERT DATA { GRAPH <urn:g> {\\n<urn:a> <urn:b> <urn:c> . } }', 'INSERT DATA { GRAPH <urn:g> {\\n<urn:a> <urn:b> <urn:d> . } }']
    """
    ops = []
    for graph, triples in batch.items():
        step = per_operation or max(1, len(triples))
        for start in range(0, len(triples), step):
            body = "\n".join(t if t.endswith(".") else t + " ." for t in triples[start:start + step])
            ops.append(f"INSERT DATA {{ GRAPH {graph} {{\n{body} }} }}" if graph else f"INSERT DATA {{\n{body} }}")
    return ops


def graph_update(graph: NamedNode, triples: list[str], per_operation: int | None = None) -> str:
    """One update that replaces a graph: ``DROP SILENT GRAPH <g>`` then :func:`insert_data` of ``triples``.

    >>> graph_update(NamedNode("urn:g"), [])
    'DROP SILENT GRAPH <urn:g>'
    """
    return " ;\n".join([f"DROP SILENT GRAPH {graph}", *insert_data({str(graph): triples}, per_operation)])


@dataclass(frozen=True)
class PreparedReport:
    """One report's graph ready to write: graph IRI, its quads as N-Quads, quad count, sha256.

    Built where the report was analysed (a worker process or a Dask worker), so the
    process that owns the store only loads bytes: they pickle fast and pyoxigraph's
    bulk loader parses them in Rust.
    """

    iri: str
    nquads: bytes
    quads: int
    sha256: str | None = None


def prepare_report(report_iri: str, quads: Iterable[Quad], sha256: str | None = None) -> PreparedReport:
    """A :class:`PreparedReport` from the quads of one report."""
    graph = NamedNode(_graph_iri(report_iri))
    body, n = report_nquads(graph, quads)
    return PreparedReport(graph.value, body, n, sha256)


class _ChunksReader(io.RawIOBase):
    """A read-only stream over byte chunks, so a batch goes to the loader without being joined."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._rest = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._rest:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._rest = memoryview(chunk)
        n = min(len(buffer), len(self._rest))
        buffer[:n] = self._rest[:n]
        self._rest = self._rest[n:]
        return n


def _chunks_reader(chunks: Iterable[bytes]) -> io.BufferedReader:
    """``chunks`` as one binary stream: joining a 500k-quad batch would hold a second copy (~175 MB).

    >>> _chunks_reader([b"ab", b"", b"c"]).read()
    b'abc'
    """
    return io.BufferedReader(_ChunksReader(chunks), 1 << 20)


class KgStore:
    """A pyoxigraph :class:`~pyoxigraph.Store` with per-report named graphs.

    Use as a context manager, or call :meth:`close`, so the folder lock is released.
    """

    def __init__(self, store: Store, location: str | None) -> None:
        self._store: Store | None = store
        self.location = location

    # -- lifecycle ---------------------------------------------------------------
    @property
    def store(self) -> Store:
        """The underlying pyoxigraph store (raises StoreError once closed)."""
        if self._store is None:
            raise StoreError(f"store {self.location or MEMORY} is closed")
        return self._store

    def __enter__(self) -> KgStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Flush and release the store (its folder lock goes with the last reference)."""
        if self._store is not None:
            if self.location is not None:
                try:
                    self._store.flush()
                except OSError:
                    pass
            self._store = None

    def flush(self) -> None:
        """Make sure every write is on disk."""
        self._wrap(self.store.flush)

    def optimize(self) -> bool:
        """Compact the database; worth it after a large load. Returns True (something was done)."""
        self._wrap(self.store.optimize)
        return True

    def __repr__(self) -> str:
        return f"KgStore({self.location or MEMORY!r})"

    # -- writing -----------------------------------------------------------------
    def replace_report(self, report_iri: str, quads: Iterable[Quad]) -> int:
        """Replace the named graph of one report with ``quads``; return how many were written.

        Atomic (see :meth:`write_reports`): the quads are first collected in memory, so
        an error raised while producing them happens before the store is touched.
        Quads in the default graph are put into the report's graph; quads naming another
        graph are refused.
        """
        return self.write_reports([prepare_report(report_iri, quads)])

    def write_reports(self, prepared: Sequence[PreparedReport]) -> int:
        """Store prepared reports, each whole or not at all; return the quads written.

        Reports whose graph is not in the store yet (the bulk of any large ingest) go in
        ONE call of pyoxigraph's bulk loader: it writes sorted RocksDB tables aside and
        adds them all with a single ``IngestExternalFiles`` call, which RocksDB records
        atomically ("if the process crashes, none of the files will be ingested"), about
        4x less CPU than a transaction per report. A report already stored (or given
        twice) is replaced by ONE SPARQL update, ``DROP SILENT GRAPH <g> ; INSERT DATA
        { GRAPH <g> { … } }``, which pyoxigraph runs as a single RocksDB transaction
        (tests/test_store.py checks that a failing later operation rolls back the DROP).
        Either way a crash leaves every report whole or absent.
        """
        store = self.store
        new: list[PreparedReport] = []
        again: list[PreparedReport] = []
        huge: list[PreparedReport] = []
        seen: set[str] = set()
        for p in prepared:
            if len(p.nquads) > SLICE_BYTES and p.iri not in seen:
                huge.append(p)
                seen.add(p.iri)
            elif p.nquads and p.iri not in seen and not self._wrap(store.contains_named_graph, NamedNode(p.iri)):
                new.append(p)
                seen.add(p.iri)
            else:
                again.append(p)
        for p in huge:
            self._write_in_slices(p)
        if new:
            try:
                # lenient: pyoxigraph serialized these bytes itself, no need to re-validate IRIs
                store.bulk_load(_chunks_reader(p.nquads for p in new), format=RdfFormat.N_QUADS, lenient=True)
            except SyntaxError as e:
                raise StoreError(f"report graphs {new[0].iri}…: {e}") from e
            except OSError as e:
                raise StoreError(f"store {self.location or MEMORY}: {e}") from e
        for p in again:
            self._wrap(store.update, graph_update(NamedNode(p.iri), nquads_to_triples(p.nquads)))
        return sum(p.quads for p in prepared)

    def _write_in_slices(self, p: PreparedReport) -> None:
        """Write one very large report (several MB of text) by the bulk loader, a slice at a time, its hash last.

        The loader needs ~0.8 KB a quad in memory, so a 5 MB report's ~760,000 quads in one
        call would cost ~650 MB on top of the analysis. Such a report is not atomic: killed
        in the middle, its graph may be left partial, but without its ``pkg:sha256``, so
        ``kg ingest --skip-existing`` writes it again (and a plain ingest replaces it).
        """
        graph = NamedNode(p.iri)
        store = self.store
        self._wrap(store.update, f"DROP SILENT GRAPH {graph}")
        try:
            for piece in _slices_hash_last(p.nquads, SLICE_BYTES):
                store.bulk_load(piece, format=RdfFormat.N_QUADS, lenient=True)
        except SyntaxError as e:
            raise StoreError(f"report graph {p.iri}: {e}") from e
        except OSError as e:
            raise StoreError(f"store {self.location or MEMORY}: {e}") from e

    def remove_report(self, report_iri: str) -> bool:
        """Drop one report's named graph; return whether it existed."""
        graph = NamedNode(_graph_iri(report_iri))
        existed = self._wrap(self.store.contains_named_graph, graph)
        self._wrap(self.store.update, f"DROP SILENT GRAPH {graph}")
        return bool(existed)

    def bulk_load(self, quads: Iterable[Quad]) -> int:
        """Add many quads fast, without a transaction (for loading a fresh store).

        Unlike :meth:`replace_report` this neither replaces graphs nor is atomic: an
        interrupted bulk load may leave part of its input. Returns the quads given.
        """
        n = 0

        def counted() -> Iterable[Quad]:
            nonlocal n
            for q in quads:
                n += 1
                yield q

        self._wrap(self.store.bulk_extend, counted())
        return n

    def load_file(self, path: str | os.PathLike[str], graph: str | None = None) -> int:
        """Bulk-load an RDF file (N-Quads, TriG, N-Triples, Turtle, JSON-LD, RDF/XML); return statements read.

        For restoring an export or adding outside data to a fresh store: like
        :meth:`bulk_load` it neither replaces graphs nor is atomic as a whole. N-Quads and
        N-Triples are cut into slices at line ends and loaded by two threads (pyoxigraph's
        bulk loader releases the GIL), each slice atomically; other formats go in one call.
        Triples (Turtle, N-Triples…) go into the named graph ``graph`` if given.
        """
        from concurrent.futures import ThreadPoolExecutor

        location = os.fspath(path)
        fmt = rdf_file_format(location)
        target = NamedNode(_graph_iri(graph)) if graph else None
        store = self.store

        def load(data: bytes | None = None) -> None:
            try:
                if data is None:
                    store.bulk_load(path=location, format=fmt, to_graph=target, lenient=False)
                else:
                    store.bulk_load(data, format=fmt, to_graph=target, lenient=False)
            except SyntaxError as e:
                raise StoreError(f"{location}: {e}") from e
            except OSError as e:
                raise StoreError(f"{location}: {e}") from e

        if fmt not in (RdfFormat.N_QUADS, RdfFormat.N_TRIPLES):
            before = len(store)
            load()
            return len(store) - before
        try:
            # Few large slices: every bulk-load call adds a set of tables that RocksDB later merges
            # with what is stored, so thousands of small calls cost compaction that grows with the
            # store; a quarter of the file (1–128 MB) keeps both threads busy on small files
            # (10^5 quads, 21 MB: 280k quads/s in quarters, 230k in the 8 MB slices used before).
            size = min(128 << 20, max(1 << 20, os.path.getsize(location) // 4))
            slices = _line_slices(location, size)
            n = 0
            with ThreadPoolExecutor(max_workers=2, thread_name_prefix="kg-load") as pool:
                pending: list = []
                for data in slices:
                    n += data.count(b"\n")
                    pending.append(pool.submit(load, data))
                    if len(pending) >= 3:  # at most three slices in memory
                        pending.pop(0).result()
                for f in pending:
                    f.result()
        except OSError as e:
            raise StoreError(f"cannot read {location}: {e}") from e
        return n

    def clear(self) -> None:
        """Remove everything."""
        self._wrap(self.store.clear)

    # -- reading -----------------------------------------------------------------
    def reports(self) -> list[str]:
        """IRIs of the report graphs in the store, sorted."""
        return sorted(g.value for g in self._wrap(self.store.named_graphs) if isinstance(g, NamedNode))

    def has_report(self, report_iri: str) -> bool:
        """Whether the store holds a graph for this report (IRI or id)."""
        return bool(self._wrap(self.store.contains_named_graph, NamedNode(_graph_iri(report_iri))))

    def report_hashes(self) -> dict[str, str]:
        """``pkg:sha256`` of every report graph: {graph IRI: sha256}.

        rdfize writes the hash with the rest of the graph in one transaction, so it is
        there exactly when the graph is whole; ``kg ingest --skip-existing`` uses it.
        """
        sparql = f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{PKG.sha256}> ?h }} }}"
        return {row[0].value: row[1].value for row in self._wrap(self.store.query, sparql)}

    def count_quads(self, report_iri: str | None = None) -> int:
        """Number of quads in the store, or in one report's graph."""
        if report_iri is None:
            return len(self.store)
        graph = NamedNode(_graph_iri(report_iri))
        return sum(1 for _ in self._wrap(self.store.quads_for_pattern, None, None, None, graph))

    def __len__(self) -> int:
        return self.count_quads()

    def query(self, sparql: str, substitutions: dict[Variable, Any] | None = None) -> Any:
        """Run SPARQL with the default graph as the union of all report graphs."""
        return self.store.query(sparql, use_default_graph_as_union=True, substitutions=substitutions)

    def stats(self) -> dict[str, int]:
        """Counts of reports, actors, regions, programmes, documents, fundings, measures
        (distinct nodes over all graphs), distinct triples in the union, and quads."""
        values = " ".join(f"<{iri}>" for iri in _STAT_CLASSES.values())
        sparql = (
            "SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { "
            f"VALUES ?c {{ {values} }} ?x a ?c }} GROUP BY ?c"
        )
        by_class = {row["c"].value: int(row["n"].value) for row in self._wrap(self.query, sparql)}
        out = {name: by_class.get(iri, 0) for name, iri in _STAT_CLASSES.items()}
        # oxigraph's union default graph is a bag (one solution per graph holding the
        # triple), hence the DISTINCT: ~2 s at 10^6 quads on disk.
        triples = self._wrap(
            self.query, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
        )
        out["triples"] = int(next(iter(triples))["n"].value)
        out["quads"] = len(self.store)
        return out

    # -- helpers -----------------------------------------------------------------
    def _wrap(self, fn, *args):  # noqa: ANN001, ANN202
        try:
            return fn(*args)
        except OSError as e:
            raise StoreError(f"store {self.location or MEMORY}: {e}") from e


#: A report whose N-Quads are larger than this (~170,000 quads; a report of over ~1 MB of text)
#: is bulk-loaded in slices of this size: see :meth:`KgStore._write_in_slices`.
SLICE_BYTES = 32 << 20
_HASH_PREDICATE = f"<{PKG.sha256}>".encode()


def _slices_hash_last(nquads: bytes, size: int) -> Iterator[bytes]:
    """N-Quads in slices of about ``size`` bytes at line ends, the ``pkg:sha256`` statements in a last slice of their own.

    Only the slices are copies: the report's N-Quads are not copied whole.

    >>> g = b'<urn:g> <https://w3id.org/policy-kg/ontology#sha256> "ab" <urn:g> .\\n'
    >>> list(_slices_hash_last(b"<urn:a> <urn:b> <urn:c> <urn:g> .\\n" + g + b"<urn:a> <urn:b> <urn:d> <urn:g> .\\n", 10))
    [b'<urn:a> <urn:b> <urn:c> <urn:g> .\\n', b'<urn:a> <urn:b> <urn:d> <urn:g> .\\n', b'<urn:g> <https://w3id.org/policy-kg/ontology#sha256> "ab" <urn:g> .\\n']
    """
    view = memoryview(nquads)
    hashes = []
    start = 0
    while (at := nquads.find(_HASH_PREDICATE, start)) >= 0:
        line_start = nquads.rfind(b"\n", 0, at) + 1
        line_end = nquads.find(b"\n", at)
        line_end = len(nquads) if line_end < 0 else line_end + 1
        yield from _byte_slices(view[start:line_start], size)
        hashes.append(nquads[line_start:line_end])
        start = line_end
    yield from _byte_slices(view[start:], size)
    if hashes:
        yield b"".join(hashes)


def _byte_slices(data: memoryview, size: int) -> Iterator[bytes]:
    """``data`` in slices (copies) of about ``size`` bytes, each ending at a line end.

    >>> list(_byte_slices(memoryview(b"a\\nbb\\nc\\n"), 3))
    [b'a\\nbb\\n', b'c\\n']
    """
    start, n = 0, len(data)
    while start < n:
        cut = min(start + size, n)
        while cut < n and data[cut - 1] != 0x0A:  # on to the end of the line (an N-Quads line is short)
            cut += 1
        yield bytes(data[start:cut])
        start = cut


def rdf_file_format(path: str) -> RdfFormat:
    """The RDF syntax of a file from its extension (StoreError naming the file if unknown)."""
    fmt = RdfFormat.from_extension(Path(path).suffix.lstrip(".").lower() or "nq")
    if fmt is None:
        raise StoreError(f"{path}: unknown RDF file extension; use .nq .trig .nt .ttl .jsonld or .rdf")
    return fmt


def _line_slices(path: str, size: int = 8 << 20) -> Iterator[bytes]:
    """The file in slices of about ``size`` bytes, each ending at a line end."""
    with open(path, "rb") as fh:
        rest = b""
        while True:
            block = fh.read(size)
            if not block:
                if rest.strip():
                    yield rest
                return
            block = rest + block
            cut = block.rfind(b"\n") + 1
            if cut == 0:
                rest = block
                continue
            yield block[:cut]
            rest = block[cut:]


def is_store_folder(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a folder that holds a store (RocksDB's ``CURRENT`` file is there).

    >>> is_store_folder("no/such/folder")
    False
    """
    return (Path(path) / "CURRENT").is_file()


def require_store(location: str | os.PathLike[str] | None = None) -> None:
    """Raise :class:`~kg.errors.StoreError` if the local store ``location`` does not exist; remote and memory pass.

    Commands that only read use it so that a mistyped ``--store`` is an error, not a new empty store.

    >>> require_store("no/such/store")
    Traceback (most recent call last):
    ...
    kg.errors.StoreError: no store at no/such/store (run kg ingest first, or pass --store)
    >>> require_store(":memory:")
    """
    if location is None:
        location = os.environ.get("KG_STORE") or DEFAULT_LOCATION
    location = os.fspath(location)
    if location == MEMORY or location.lower().startswith(("http://", "https://")):
        return
    path = Path(location)
    if path.exists() and not path.is_dir():
        raise StoreError(f"cannot open store {location}: it is a file, not a folder")
    if not is_store_folder(path):
        raise StoreError(f"no store at {location} (run kg ingest first, or pass --store)")


def open_store(location: str | os.PathLike[str] | None = None, create: bool = True) -> Any:
    """Open the store in folder ``location``, creating it (and its parent folders) if ``create``.

    ``None`` means ``$KG_STORE``, else ``./kg-store``; ``":memory:"`` gives a store
    that lives in memory only; an ``http://`` or ``https://`` URL opens a SPARQL
    server (:class:`kg.remote.RemoteStore`, same interface). Raises :class:`~kg.errors.StoreError` when the folder is
    a file, holds something that is not a store, is locked by another process, or
    (``create=False``) does not hold a store yet.

    >>> open_store(":memory:").stats()["reports"]
    0
    >>> open_store("no/such/store", create=False)
    Traceback (most recent call last):
    ...
    kg.errors.StoreError: no store at no/such/store (run kg ingest first, or pass --store)
    """
    if location is None:
        location = os.environ.get("KG_STORE") or DEFAULT_LOCATION
    location = os.fspath(location)
    if location.lower().startswith(("http://", "https://")):
        from kg.remote import RemoteStore

        return RemoteStore(location)
    if location == MEMORY:
        return KgStore(Store(), None)
    if not create:
        require_store(location)
    path = Path(location)
    if path.exists():
        if not path.is_dir():
            raise StoreError(f"cannot open store {location}: it is a file, not a folder")
        if any(path.iterdir()) and not is_store_folder(path):
            raise StoreError(
                f"cannot open store {location}: the folder is not empty and is not a kg store "
                "(no RocksDB CURRENT file); choose an empty or new folder"
            )
    else:
        try:  # RocksDB makes the store's own folder, not its parents
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create store {location}: {e}") from e
    try:
        store = Store(str(path))
    except OSError as e:
        hint = ""
        if "lock" in str(e).lower():
            hint = " (another process, or another open_store() in this one, is using it; close it first)"
        raise StoreError(f"cannot open store {location}: {e}{hint}") from e
    return KgStore(store, str(path))
