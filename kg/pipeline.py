"""The one place that knows the order of the stages.

read → normalize → segment → extract → resolve → rdfize → store

>>> x = extract_text("市财政局下达资金200万元。", report_id="demo")
>>> [(f.amount_cny, f.funder) for f in x.fundings]
[(Decimal('2000000'), '市财政局')]
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError, ReadError
from kg.extract import extract
from kg.model import Extraction, RawReport
from kg.normalize import normalize
from kg.read import iter_report_paths, read_report
from kg.resolve import resolve
from kg.segment import split_sentences


def analyze(raw: RawReport) -> Extraction:
    """Every stage up to resolved facts for one report that has been read."""
    report = normalize(raw)
    sentences = split_sentences(report.text)
    return resolve(extract(report, sentences))


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


def analyze_paths(paths: Iterable[str | os.PathLike[str]], jobs: int = 1) -> Iterator[Extraction | Failure]:
    """Analyze every report under ``paths``, in order, streaming; ``jobs`` > 1 uses a process pool."""
    items = (p if isinstance(p, ReadError) else str(p) for p in iter_report_paths(paths))
    if jobs <= 1:
        for item in items:
            yield Failure(item.path, item.reason) if isinstance(item, ReadError) else _analyze_path(item)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: list = []
        for item in items:
            if isinstance(item, ReadError):
                pending.append(Failure(item.path, item.reason))
            else:
                pending.append(pool.submit(_analyze_path, item))
            # Keep a bounded window so memory does not grow with the corpus.
            while len(pending) > jobs * 8:
                head = pending.pop(0)
                yield head if isinstance(head, Failure) else head.result()
        for head in pending:
            yield head if isinstance(head, Failure) else head.result()


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: object,
    jobs: int = 1,
    on_report: Callable[[Extraction | Failure], None] | None = None,
) -> IngestSummary:
    """Read, analyze and store every report under ``paths``; one named graph per report."""
    from kg.rdfize import rdfize

    summary = IngestSummary()
    for result in analyze_paths(paths, jobs):
        if isinstance(result, Failure):
            summary.failures.append(result)
        else:
            try:
                from kg.ids import report_iri

                written = store.replace_report(report_iri(result.report.raw.report_id), rdfize(result))
            except KgError as exc:
                failure = Failure(result.report.raw.source, str(exc))
                summary.failures.append(failure)
                result = failure
            else:
                summary.reports += 1
                summary.entities += (len(result.regions) + len(result.actors) + len(result.programs)
                                     + len(result.documents))
                summary.fundings += len(result.fundings)
                summary.triples += written
        if on_report is not None:
            on_report(result)
    return summary


def default_jobs() -> int:
    """Worker processes to use by default: one per core."""
    return max(1, os.cpu_count() or 1)


__all__ = ["analyze", "extract_text", "analyze_paths", "ingest", "IngestSummary", "Failure", "Path"]
