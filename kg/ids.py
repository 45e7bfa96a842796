"""Mint stable IRIs (plain strings) for reports and the things read out of them.

The same canonical name gives the same IRI in every report, which is how one
actor mentioned in two reports becomes one node of the graph.

>>> actor_iri("西宁市农业农村局")
'https://w3id.org/policy-kg/id/actor/西宁市农业农村局'
>>> region_iri("西宁市", code="630100")
'https://w3id.org/policy-kg/id/region/630100'
>>> iri_segment("a b<c>")
'a%20b%3Cc%3E'
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from functools import lru_cache

BASE = "https://w3id.org/policy-kg/"
ID = BASE + "id/"

# Characters allowed verbatim in an IRI path segment (RFC 3987 iunreserved, ASCII part).
_SAFE_ASCII = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


@lru_cache(maxsize=20_000)  # the same report ids and names recur in every IRI of a report
def iri_segment(text: str) -> str:
    """Percent-encode what may not stand in an IRI path segment; keep CJK readable."""
    out = []
    for ch in text:
        if ch in _SAFE_ASCII or (ord(ch) > 0x7F and ch.isprintable() and not ch.isspace()):
            out.append(ch)
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
    return "".join(out)


def report_iri(report_id: str) -> str:
    """IRI of a report; also the name of the report's named graph."""
    return f"{ID}report/{iri_segment(report_id)}"


def region_iri(name: str, code: str | None = None, parent_code: str | None = None) -> str:
    """IRI of a region: its GB/T 2260 code, else the enclosing code plus its name."""
    if code:
        return f"{ID}region/{code}"
    if parent_code:
        return f"{ID}region/{parent_code}-{iri_segment(name)}"
    return f"{ID}region/{iri_segment(name)}"


def actor_iri(name: str) -> str:
    """IRI of an actor from its canonical name."""
    return f"{ID}actor/{iri_segment(name)}"


def program_iri(name: str) -> str:
    """IRI of a programme from its canonical name."""
    return f"{ID}program/{iri_segment(name)}"


def document_iri(title: str) -> str:
    """IRI of a policy document from its title."""
    return f"{ID}document/{iri_segment(title)}"


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def funding_iri(report_id: str, amount: Decimal, start: int) -> str:
    """IRI of a funding: report, amount and evidence position make it unique."""
    return f"{ID}funding/{iri_segment(report_id)}/{_digest(amount, start)}"


def measure_iri(report_id: str, action: str, obj: str, start: int) -> str:
    """IRI of a measure taken in one report."""
    return f"{ID}measure/{iri_segment(report_id)}/{_digest(action, obj, start)}"


def observation_iri(report_id: str, indicator: str, kind: str, value: Decimal, start: int) -> str:
    """IRI of an indicator observation (qb:Observation) stated in one report."""
    return f"{ID}observation/{iri_segment(report_id)}/{_digest(indicator, kind, value, start)}"


def indicator_dataset_iri(report_id: str, dated: bool = True) -> str:
    """IRI of the qb:DataSet that holds one report's indicator observations (those of known year, or the undated)."""
    return f"{ID}dataset/{iri_segment(report_id)}" + ("" if dated else "/undated")


#: IRI prefixes of nodes that belong to one report: their IRIs carry the report's id, and
#: the report's graph alone describes them (no other report states a triple about them).
REPORT_SCOPED = tuple(f"{ID}{kind}/" for kind in ("mention", "sentence", "measure", "funding", "observation",
                                                    "dataset"))


def mention_iri(report_id: str, start: int, end: int) -> str:
    """IRI of one evidence span (normalized offsets) in a report."""
    return f"{ID}mention/{iri_segment(report_id)}/{start}-{end}"


def sentence_iri(report_id: str, index: int) -> str:
    """IRI of a sentence of a report."""
    return f"{ID}sentence/{iri_segment(report_id)}/{index}"
