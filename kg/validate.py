"""Check the graph against the SHACL shapes in ``ontology/shapes.ttl`` with pyshacl.

The data graph is the union of all report graphs (duplicates merged), validated with
``inference='none'``. pyshacl is the slow part: about 13 s per 10^5 triples with these
shapes, plus ~3.5 s to copy them into rdflib.

>>> from kg.store import open_store
>>> validate(open_store(":memory:")).conforms
True
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyshacl
import rdflib
from pyoxigraph import BlankNode, NamedNode, Quad, Store
from rdflib.namespace import RDF, SH

from kg.errors import KgError
from kg.resources import shapes_path

__all__ = ["ValidationResult", "Violation", "validate", "union_graph", "GRAPH_CHECKS"]

_PKG = "PREFIX pkg: <https://w3id.org/policy-kg/ontology#>\n"
#: Checks SHACL Core cannot express, run once over the whole data graph (SHACL-SPARQL
#: would be re-parsed by pyshacl for every focus node). Each query selects ?focus.
GRAPH_CHECKS: tuple[tuple[str, str | None, str], ...] = (
    (
        "a region lies (directly or indirectly) within itself",
        None,
        _PKG + "SELECT DISTINCT ?focus WHERE { ?focus pkg:partOf+ ?focus }",
    ),
    (
        "a mention lies outside the span of its sentence",
        None,
        _PKG + """SELECT DISTINCT ?focus WHERE {
            ?focus pkg:sentence ?s ; pkg:start ?ms ; pkg:end ?me .
            ?s pkg:start ?ss ; pkg:end ?se .
            FILTER(?ms < ?ss || ?me > ?se)
        }""",
    ),
)


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the node, the property path (if any), the message and severity."""

    focus: str
    path: str | None
    message: str
    severity: str


@dataclass(frozen=True)
class ValidationResult:
    """Outcome of a SHACL validation."""

    conforms: bool
    text: str
    violations: int
    results: tuple[Violation, ...] = ()


@lru_cache(maxsize=4)
def _shapes(path: str, mtime: float) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def _load_shapes(path: str | os.PathLike[str] | None) -> rdflib.Graph:
    p = Path(path) if path is not None else shapes_path()
    if not p.is_file():
        raise KgError(f"SHACL shapes not found: {p}")
    return _shapes(str(p), p.stat().st_mtime)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _add_quads(graph: rdflib.Graph, quads: Iterable[Quad]) -> None:
    """Add the triples of pyoxigraph quads to an rdflib graph (faster than via N-Triples text)."""
    terms: dict[Any, rdflib.term.Node] = {}

    def term(t: Any) -> rdflib.term.Node:
        r = terms.get(t)
        if r is None:
            if isinstance(t, NamedNode):
                r = rdflib.URIRef(t.value)
            elif isinstance(t, BlankNode):
                r = rdflib.BNode(t.value)
            elif t.language:
                r = rdflib.Literal(t.value, lang=t.language)
            elif t.datatype.value == _XSD_STRING:
                r = rdflib.Literal(t.value)  # rdflib's plain literal is xsd:string
            else:
                r = rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))
            terms[t] = r
        return r

    seen: set[tuple[Any, Any, Any]] = set()
    add = graph.add
    for q in quads:
        key = (q.subject, q.predicate, q.object)
        if key not in seen:
            seen.add(key)
            add((term(q.subject), term(q.predicate), term(q.object)))


def union_graph(source: Any) -> rdflib.Graph:
    """An rdflib Graph with every triple of ``source`` (graph names dropped).

    ``source`` is a KgStore, a pyoxigraph Store, an iterable of pyoxigraph Quads, an
    rdflib Graph/Dataset, or the path of an RDF file.
    """
    graph = rdflib.Graph()
    if isinstance(source, rdflib.Dataset):
        for s, p, o, _ in source.quads((None, None, None, None)):
            graph.add((s, p, o))
    elif isinstance(source, rdflib.Graph):
        graph += source
    elif isinstance(source, (str, os.PathLike)):
        ds = rdflib.Dataset()
        ds.parse(os.fspath(source))
        for s, p, o, _ in ds.quads((None, None, None, None)):
            graph.add((s, p, o))
    else:
        store = getattr(source, "store", source)  # a KgStore wraps a pyoxigraph Store
        _add_quads(graph, store if isinstance(store, Store) else list(store))
    return graph


def validate(source: Any, shapes: str | os.PathLike[str] | None = None) -> ValidationResult:
    """Validate ``source`` (see :func:`union_graph`) against the project's SHACL shapes."""
    data = union_graph(source)
    conforms, results_graph, text = pyshacl.validate(
        data,
        shacl_graph=_load_shapes(shapes),
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
    )
    found = []
    for r in results_graph.subjects(RDF.type, SH.ValidationResult):
        path = results_graph.value(r, SH.resultPath)
        found.append(
            Violation(
                focus=str(results_graph.value(r, SH.focusNode)),
                path=str(path) if isinstance(path, rdflib.URIRef) else (None if path is None else "(complex path)"),
                message=str(results_graph.value(r, SH.resultMessage) or ""),
                severity=str(results_graph.value(r, SH.resultSeverity) or "").rsplit("#", 1)[-1],
            )
        )
    extra = []
    for message, path, sparql in GRAPH_CHECKS:
        for row in data.query(sparql):
            extra.append(Violation(str(row[0]), path, message, "Violation"))
    if extra:
        conforms = False
        text = str(text).replace("Conforms: True", "Conforms: False") + "".join(
            f"\nGraph check violation:\n\tFocus Node: <{v.focus}>\n\tMessage: {v.message}\n" for v in extra
        )
    found.extend(extra)
    found.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return ValidationResult(bool(conforms), str(text), len(found), tuple(found))
