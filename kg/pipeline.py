"""The one place that knows the order of the stages.

read → normalize → segment → extract → resolve → rdfize → store

>>> x = extract_text("市财政局下达资金200万元。", report_id="demo")
>>> [(f.amount_cny, f.funder) for f in x.fundings]
[(Decimal('2000000'), '市财政局')]
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from kg.errors import DependencyError, KgError, ReadError
from kg.extract import extract
from kg.model import Extraction, Mention, NormalizedReport, RawReport, Sentence
from kg.normalize import normalize
from kg.read import REPORT_TYPES, iter_report_paths, read_report
from kg.extract.indicators import with_indicators
from kg.resolve import resolve
from kg.segment import split_sentences
from kg.store import PreparedReport


#: Reports longer than this (characters of normalized text, ~90 KB) are extracted and resolved
#: in windows of whole sentences, ending at a paragraph break where one is near. Several
#: extraction rules look back over the paragraph or over every mention found so far, which
#: is quadratic in a window: a 5 MB report on one line (one paragraph) took minutes and GBs
#: in one piece (bench/one_line_memory.py). Ordinary reports (2-30 thousand characters) are one window.
WINDOW_CHARS = 30_000


def analyze(raw: RawReport) -> Extraction:
    """Every stage up to resolved facts for one report that has been read."""
    report = normalize(raw)
    sentences = split_sentences(report.text)
    if len(report.text) <= WINDOW_CHARS:
        return with_indicators(resolve(extract(report, sentences)))
    parts: list[Extraction] = []
    jurisdiction = None
    for first, last in _windows(report.text, sentences, WINDOW_CHARS):
        part = extract(*_window_report(report, sentences, first, last))
        # the report's jurisdiction is what its beginning says; every window resolves short forms with it
        jurisdiction = jurisdiction or part.jurisdiction
        part = with_indicators(resolve(replace(part, jurisdiction=jurisdiction)))
        parts.append(_shifted(part, sentences[first].start, first))
    return _merged(report, sentences, jurisdiction, parts)


def _windows(text: str, sentences: tuple[Sentence, ...], size: int) -> Iterator[tuple[int, int]]:
    """Runs of sentences ``[first, last)`` of about ``size`` characters, cut after a paragraph end if one is in the last half.

    >>> from kg.segment import split_sentences
    >>> text = "甲。乙。\\n丙。丁。戊。"
    >>> list(_windows(text, split_sentences(text), 6))
    [(0, 2), (2, 5)]
    """
    first = 0
    while first < len(sentences):
        last = first + 1
        while last < len(sentences) and sentences[last].end - sentences[first].start <= size:
            last += 1
        if last < len(sentences):
            floor = sentences[first].start + size // 2
            for k in range(last, first + 1, -1):  # a paragraph ends between sentences k-1 and k
                if sentences[k - 1].end < floor:
                    break
                if "\n" in text[sentences[k - 1].end:sentences[k].start]:
                    last = k
                    break
        yield first, last
        first = last


def _window_report(report: NormalizedReport, sentences: tuple[Sentence, ...], first: int,
                   last: int) -> tuple[NormalizedReport, tuple[Sentence, ...]]:
    """Sentences ``[first, last)`` as a report of their own (offsets into the window's text)."""
    start, end = sentences[first].start, sentences[last - 1].end
    window = replace(report, text=report.text[start:end], offsets=report.offsets[start:end + 1])
    return window, tuple(Sentence(s.index - first, s.start - start, s.end - start, s.text)
                         for s in sentences[first:last])


def _shifted(value: Any, offset: int, sentence: int) -> Any:
    """``value`` with every :class:`Mention` moved ``offset`` characters and ``sentence`` sentences on."""
    if isinstance(value, Mention):
        return replace(value, start=value.start + offset, end=value.end + offset, sentence=value.sentence + sentence)
    if isinstance(value, tuple):
        return tuple(_shifted(v, offset, sentence) for v in value)
    if is_dataclass(value) and not isinstance(value, (NormalizedReport, Sentence, type)):
        changes = {f.name: _shifted(getattr(value, f.name), offset, sentence) for f in fields(value)}
        return replace(value, **changes)
    return value


def _merged(report: NormalizedReport, sentences: tuple[Sentence, ...], jurisdiction: str | None,
            parts: list[Extraction]) -> Extraction:
    """One extraction from the windows': a region, actor, programme or document named in several is one, its
    mentions and aliases joined; facts (fundings, measures, …) are kept as they are."""

    def key(item: Any) -> Any:
        return (item.name, getattr(item, "code", None)) if hasattr(item, "name") else item.title

    joined: dict[str, Any] = {}
    for f in fields(Extraction):
        if f.name in ("report", "sentences", "jurisdiction"):
            continue
        values = [v for part in parts for v in getattr(part, f.name)]
        if f.name in ("regions", "actors", "programs", "documents"):
            by_key: dict[Any, Any] = {}
            for item in values:
                seen = by_key.get(key(item))
                if seen is None:
                    by_key[key(item)] = item
                    continue
                changes = {"mentions": tuple(sorted({*seen.mentions, *item.mentions}, key=lambda m: (m.start, m.end)))}
                if hasattr(seen, "aliases"):
                    changes["aliases"] = tuple(sorted({*seen.aliases, *item.aliases}))
                by_key[key(item)] = replace(seen, **changes)
            values = list(by_key.values())
        joined[f.name] = tuple(values)
    return Extraction(report, sentences, jurisdiction, **joined)


def extract_text(text: str, report_id: str = "text", title: str | None = None) -> Extraction:
    """Analyze a report given as a string (handy in tests and notebooks)."""
    raw = RawReport(report_id, f"<{report_id}>", text, hashlib.sha256(text.encode()).hexdigest(), "utf-8", title)
    return analyze(raw)


@dataclass(frozen=True)
class Failure:
    """A report that could not be ingested, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class IngestSummary:
    """What one ingest run did."""

    reports: int = 0
    entities: int = 0
    fundings: int = 0
    triples: int = 0
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every report was ingested."""
        return not self.failures


def _analyze_path(path: str) -> Extraction | Failure:
    try:
        return analyze(read_report(path))
    except ReadError as exc:
        return Failure(exc.path, exc.reason)
    except KgError as exc:
        return Failure(path, str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad report must not stop the batch
        return Failure(path, f"internal error while analysing: {type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class Ingested:
    """One report ready to store (or skipped): what a worker sends back to the writer.

    ``prepared`` is ``None`` when the report was skipped because the store already
    holds its graph with the same sha256 (``skip_existing``).
    """

    report_id: str
    source: str
    prepared: PreparedReport | None
    entities: int = 0
    fundings: int = 0


def _prepare(raw: RawReport) -> Ingested:
    """Analyze one read report and turn it into its graph, ready to write."""
    from kg.ids import report_iri
    from kg.rdfize import rdfize_nquads

    x = analyze(raw)
    nquads, n = rdfize_nquads(x)
    prepared = PreparedReport(report_iri(raw.report_id), nquads, n, raw.sha256)
    return Ingested(raw.report_id, raw.source, prepared,
                    len(x.regions) + len(x.actors) + len(x.programs) + len(x.documents), len(x.fundings))


def _failure(path: str, exc: Exception) -> Failure:
    if isinstance(exc, ReadError):
        return Failure(exc.path, exc.reason)
    if isinstance(exc, KgError):
        return Failure(path, str(exc))
    return Failure(path, f"internal error while analysing: {type(exc).__name__}: {exc}")


def _ingest_path(path: str, known_sha256: str | None = None) -> Ingested | Failure:
    """Worker task: read, analyze and rdfize one report file (skip it if its hash is known)."""
    try:
        raw = read_report(path)
        if known_sha256 is not None and raw.sha256 == known_sha256:
            return Ingested(raw.report_id, raw.source, None)
        return _prepare(raw)
    except Exception as exc:  # noqa: BLE001 - one bad report must not stop the batch
        return _failure(path, exc)


def _file_sha256(path: Path) -> str | None:
    """sha256 of a report file's bytes, as :func:`kg.read.read_report` computes it (None if unreadable)."""
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def _ingest_raw(raw: RawReport) -> Ingested | Failure:
    """Dask task: the report travels with the task, so workers need no shared disk."""
    try:
        return _prepare(raw)
    except Exception as exc:  # noqa: BLE001
        return _failure(raw.source, exc)


def _warm_worker() -> None:
    """Load jieba, its tags and the gazetteer once per worker process, before the first task."""
    try:
        extract_text("县财政局下达资金200万元。", "warm-up")
    except Exception:  # noqa: BLE001 - a real error will surface on a real report
        pass


def _window(jobs: int) -> int:
    return max(4, jobs * 8)


def _bounded(submitted: Iterator, window: int, on_drain: Callable[[], None] | None = None) -> Iterator:
    """Results of submitted futures (local or Dask; ready results pass through) in order,
    at most ``window`` in flight, so memory does not grow with the corpus.

    ``on_drain`` is called once everything is submitted, before the last results are waited for.
    """
    pending: deque = deque()

    def settle(head: Any) -> Any:
        return head.result() if callable(getattr(head, "result", None)) else head

    for item in submitted:
        pending.append(item)
        while len(pending) > window:
            yield settle(pending.popleft())
    if on_drain is not None:
        on_drain()
    while pending:
        yield settle(pending.popleft())


#: Worker processes pay for themselves only on this much report text (file bytes) to analyse.
#: Each worker loads jieba, the gazetteer and the part-of-speech table before its first report:
#: one 8 KB report took 3.4 s with two workers against 2.4 s in this process on the 2-core
#: machine (4-10 s when it is busy), and 184 small reports (383 KB) were still no faster with
#: two workers once the machine was busy; the bench's thousands of reports gain ~1.8x.
#: Below this, or with nothing to analyse (``--skip-existing``), no pool starts
#: (``bench/ingest_startup.py``).
POOL_MIN_BYTES = 1 << 20


def _ready(task: tuple) -> bool:
    """Whether a task is an outcome already (a failure, or a report skipped as unchanged)."""
    return isinstance(task[0], (Failure, Ingested))


def _file_size(path: object) -> int:
    try:
        return os.stat(path).st_size  # type: ignore[arg-type]
    except (OSError, TypeError, ValueError):
        return 0


def _worth_a_pool(tasks: Iterator[tuple], jobs: int) -> tuple[bool, list[tuple]]:
    """Look ahead until :data:`POOL_MIN_BYTES` of reports are to analyse; returns the decision and the tasks read."""
    ahead: list[tuple] = []
    if jobs <= 1:
        return False, ahead
    pending = 0
    for task in tasks:
        ahead.append(task)
        if not _ready(task):
            pending += _file_size(task[0])
            if pending >= POOL_MIN_BYTES:
                return True, ahead
    return False, ahead


def _run_local(tasks: Iterable[tuple], fn: Callable, jobs: int, on_drain: Callable[[], None] | None = None) -> Iterator:
    """``fn(*task)`` for every task, in order, in a pool of ``jobs`` processes, a bounded window ahead.

    A task ``(outcome,)`` that is already a :class:`Failure` or a skipped :class:`Ingested`
    passes through. The pool starts only when there is enough to analyse (:func:`_worth_a_pool`).
    ``on_drain``: see :func:`_bounded` (pool only).
    """
    tasks = iter(tasks)
    pool_pays, ahead = _worth_a_pool(tasks, jobs)
    tasks = itertools.chain(ahead, tasks)
    if not pool_pays:
        for task in tasks:
            yield task[0] if _ready(task) else fn(*task)
        return
    # Each worker loads jieba and the gazetteer itself, side by side: as fast as loading them
    # here once before forking, and the writer process stays small.
    with ProcessPoolExecutor(max_workers=jobs, initializer=_warm_worker) as pool:
        yield from _bounded(
            (task[0] if _ready(task) else pool.submit(fn, *task) for task in tasks), _window(jobs), on_drain)


def _dask_client(executor: str) -> Any:
    address = executor[len("dask://"):]
    if not address:
        raise KgError("--executor dask:// needs an address: dask://HOST:PORT (the Dask scheduler)")
    try:
        from distributed import Client
    except ImportError as exc:
        raise DependencyError(
            "--executor dask://… needs the Dask 'distributed' package: pip install 'policy-kg[dask]'"
        ) from exc
    try:
        return Client(f"tcp://{address}", timeout=30, set_as_default=False)
    except OSError as exc:
        raise KgError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc


def _run_dask(paths: Iterable[str | os.PathLike[str]], executor: str, known: dict[str, str] | None,
              window: int) -> Iterator[Ingested | Failure]:
    """Read here, analyze on the Dask cluster, in order, at most ``window`` reports in flight."""
    from kg.ids import report_iri

    client = _dask_client(executor)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        window = max(window, workers * 8)
        def submit(item: Path | ReadError) -> Any:
            if isinstance(item, ReadError):
                return Failure(item.path, item.reason)
            try:
                raw = read_report(item)
            except Exception as exc:  # noqa: BLE001
                return _failure(str(item), exc)
            if known is not None and known.get(report_iri(raw.report_id)) == raw.sha256:
                return Ingested(raw.report_id, raw.source, None)
            return client.submit(_ingest_raw, raw, pure=False)

        yield from _bounded((submit(item) for item in report_items(paths)), window)
    finally:
        client.close()


NO_REPORTS = f"no report files ({REPORT_TYPES}) here"


def report_items(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | ReadError]:
    """:func:`kg.read.iter_report_paths`, plus an error for each given path that holds no report.

    Passing a folder with no report in it is a mistake (a wrong path, or files in another
    format), not an ingest with nothing to do.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [str(e) for e in report_items([d])] == [f"{d}: {NO_REPORTS}"]
    True
    """
    seen: set[Path] = set()
    for path in paths:
        found = False
        for item in iter_report_paths([path]):
            found = True
            if isinstance(item, Path):
                try:
                    key = item.resolve()
                except OSError:
                    key = item
                if key in seen:  # named twice (a folder and a file in it)
                    continue
                seen.add(key)
            yield item
        if not found:
            yield ReadError(str(path), NO_REPORTS)


def analyze_paths(
    paths: Iterable[str | os.PathLike[str]], jobs: int = 1, executor: str | None = None
) -> Iterator[Extraction | Failure]:
    """Analyze every report under ``paths``, in order, streaming; ``jobs`` > 1 uses a process pool.

    ``executor="dask://HOST:PORT"`` runs the analysis on a Dask cluster instead (the
    ``distributed`` package; the reports are read here and sent to the workers).
    """
    items = (p if isinstance(p, ReadError) else str(p) for p in report_items(paths))
    tasks = ((Failure(i.path, i.reason),) if isinstance(i, ReadError) else (i,) for i in items)
    if executor and executor.startswith("dask://"):
        client = _dask_client(executor)
        try:
            def submit(item: str | Failure) -> Any:
                if isinstance(item, Failure):
                    return item
                try:
                    raw = read_report(item)
                except Exception as exc:  # noqa: BLE001
                    return _failure(item, exc)
                return client.submit(analyze, raw, pure=False)

            yield from _bounded((submit(item) for (item,) in tasks), _window(jobs))
        finally:
            client.close()
        return
    _check_executor(executor)
    yield from _run_local(tasks, _analyze_path, jobs)


def _check_executor(executor: str | None) -> None:
    if executor not in (None, "", "local") and not executor.startswith("dask://"):
        raise KgError(f"unknown executor '{executor}': use 'local' or dask://HOST:PORT")


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: object,
    jobs: int = 1,
    on_report: Callable[[Ingested | Failure], None] | None = None,
    *,
    executor: str | None = None,
    skip_existing: bool = False,
    batch_quads: int | None = None,
) -> IngestSummary:
    """Read, analyze and store every report under ``paths``; one named graph per report.

    Workers (``jobs`` processes, or a Dask cluster with ``executor="dask://HOST:PORT"``)
    read, analyze and rdfize; this process writes them in batches of whole reports
    (see :meth:`kg.store.KgStore.write_reports`): killed at any moment, the store
    holds every report either complete or not at all.
    ``batch_quads`` sets how many quads are written at once (default :data:`BATCH_QUADS`).
    ``skip_existing`` skips reports whose graph is already stored with the same
    ``pkg:sha256`` (the file is unchanged), so an interrupted ingest resumes quickly.
    ``on_report`` is called with an :class:`Ingested` once a report is stored (or
    skipped) and with a :class:`Failure` for a report that could not be ingested.
    """
    _check_executor(executor)
    summary = IngestSummary()
    known = store.report_hashes() if skip_existing else None
    if executor and executor.startswith("dask://"):
        results: Iterator[Ingested | Failure] = _run_dask(paths, executor, known, _window(jobs))
    else:
        from kg.ids import report_iri

        def tasks() -> Iterator[tuple]:
            for item in report_items(paths):
                if isinstance(item, ReadError):
                    yield (Failure(item.path, item.reason),)
                    continue
                sha = known.get(report_iri(item.stem)) if known else None
                if sha is not None and _file_sha256(item) == sha:  # here, so an ingest with nothing to do starts no worker
                    yield (Ingested(item.stem, str(item), None),)
                else:
                    yield (str(item), sha)

        # Once the last report is handed to a worker, the reports collected so far are written
        # while the workers finish the last window: the final batch, written after all analysis
        # is done with one core idle, is then a window's worth, not up to a quarter of the corpus.
        results = _run_local(tasks(), _ingest_path, jobs, on_drain=lambda: writer.flush())

    def record(result: Ingested | Failure) -> None:
        if isinstance(result, Failure):
            summary.failures.append(result)
        elif result.prepared is None:
            summary.skipped += 1
        else:
            summary.reports += 1
            summary.entities += result.entities
            summary.fundings += result.fundings
            summary.triples += result.prepared.quads
        if on_report is not None:
            on_report(result)

    writer = _BatchWriter(store, record, batch_quads or BATCH_QUADS)
    with writer:
        for result in results:
            if isinstance(result, Ingested) and result.prepared is not None:
                writer.add(result)
            else:
                record(result)
    return summary


#: Batches grow with what this run has written (a quarter of it), from BATCH_MIN_QUADS up
#: to BATCH_QUADS. Each batch is one call of the bulk loader, whose tables RocksDB then
#: merges with everything stored: small batches into a large store make that merging grow
#: with the store (10,000 reports: 2.25x jieba with fixed 50,000-quad batches), while a
#: small corpus wants small batches, so writing overlaps the analysis (10,000 reports with a
#: 100,000-quad cap: 134 s against 109 s). The cap bounds the writer's memory whatever the
#: corpus size: the batch being collected (~350 bytes a quad), the one being written (streamed
#: to the loader, not joined) and the loader's own working set (~0.9 KB a quad), ~900 MB at
#: the default cap, reached after ~2 million quads (~4,000 reports); and the work redone after a kill.
BATCH_MIN_QUADS = 50_000
BATCH_QUADS = 500_000
BATCH_REPORTS = 2000


class _BatchWriter:
    """Collects analysed reports and writes them in batches, in a background thread.

    The store's bulk loader releases the GIL, so one batch is written while the next is
    collected from the workers. ``record`` is called (in the caller's thread) for every
    report once its batch is stored, or with a :class:`Failure` if it could not be.
    """

    def __init__(self, store: Any, record: Callable[[Ingested | Failure], None], batch_quads: int) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._store = store
        self._record = record
        self._batch_quads = batch_quads
        self._batch: list[Ingested] = []
        self._quads = 0
        self._written = 0  # quads handed to the writer so far
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer")
        self._writing: Any = None  # (future, batch) being written

    def __enter__(self) -> _BatchWriter:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        try:
            if exc_type is None:
                self._submit()
            self._settle()
        finally:
            self._thread.shutdown(wait=True)

    def add(self, result: Ingested) -> None:
        """Queue one analysed report; a full batch goes to the writer thread."""
        self._batch.append(result)
        self._quads += result.prepared.quads  # type: ignore[union-attr]
        target = min(self._batch_quads, max(BATCH_MIN_QUADS, self._written // 4))
        if self._quads >= target or len(self._batch) >= BATCH_REPORTS:
            self._submit()

    def flush(self) -> None:
        """Send what is collected to the writer thread now, however small."""
        self._submit()

    def _submit(self) -> None:
        self._settle()
        if self._batch:
            self._written += self._quads
            batch, self._batch, self._quads = self._batch, [], 0
            self._writing = (self._thread.submit(self._write, batch), batch)

    def _settle(self) -> None:
        """Wait for the batch being written and report its outcome."""
        if self._writing is None:
            return
        future, _ = self._writing
        self._writing = None
        for result in future.result():
            self._record(result)

    def _write(self, batch: list[Ingested]) -> list[Ingested | Failure]:
        try:
            self._store.write_reports([r.prepared for r in batch])
            return list(batch)
        except KgError:
            pass
        # Something in the batch cannot be written: write one by one so it fails alone.
        out: list[Ingested | Failure] = []
        for r in batch:
            try:
                self._store.write_reports([r.prepared])
                out.append(r)
            except KgError as exc:
                out.append(Failure(r.source, str(exc)))
        return out


def default_jobs() -> int:
    """Worker processes to use by default: one per core."""
    return max(1, os.cpu_count() or 1)


__all__ = ["analyze", "extract_text", "analyze_paths", "ingest", "IngestSummary", "Ingested", "Failure", "Path"]
