"""Check the graph against the SHACL shapes in ``ontology/shapes.ttl``.

Two engines report the same violations (tests/test_validate.py checks it on every broken
case of the tests):

- ``"sparql"`` (the default): every SHACL Core constraint of the shapes is translated into
  SPARQL and evaluated by pyoxigraph where the data already is, over the union of the
  report graphs. Nothing is copied into rdflib, so it scales with the store: ~35 s at
  10^6 quads on disk on two cores, where pyshacl takes minutes and gigabytes.
- ``"pyshacl"``: the reference. The union of the report graphs is copied into rdflib and
  validated with ``inference='none'`` (~13 s per 10^5 triples plus the copy).

Shapes that use a SHACL feature the translator does not know are validated with pyshacl,
so a new constraint is never skipped silently, only slow. Two checks SHACL Core cannot
express (:data:`GRAPH_CHECKS`) run as whole-graph SPARQL with either engine.

>>> from kg.store import open_store
>>> validate(open_store(":memory:")).conforms
True
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyshacl
import rdflib
from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, RdfFormat, Store
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from kg.errors import KgError
from kg.resources import shapes_path

__all__ = [
    "ValidationResult",
    "Violation",
    "validate",
    "union_graph",
    "GRAPH_CHECKS",
    "ENGINES",
    "UnsupportedShapes",
    "translate_shapes",
]

ENGINES = ("sparql", "pyshacl")

_PKG = "PREFIX pkg: <https://w3id.org/policy-kg/ontology#>\n"
_QB = ("PREFIX qb: <http://purl.org/linked-data/cube#>\n"
       "PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>\n")
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
    # The W3C Data Cube integrity constraints that apply to indicator observations. IC-1
    # (one data set), IC-11 (every dimension but the year) and IC-14 (the measure) are the
    # minCounts of pkgsh:ObservationShape, since the structures live in the ontology, not in each
    # report; the year is required of observations of the dated structure only.
    (
        "Data Cube IC-2: a qb:DataSet has exactly one qb:structure",
        None,
        _QB + """SELECT DISTINCT ?focus WHERE {
            ?focus a qb:DataSet .
            OPTIONAL { ?focus qb:structure ?s1 }
            OPTIONAL { ?focus qb:structure ?s2 . FILTER(?s2 != ?s1) }
            FILTER(!BOUND(?s1) || BOUND(?s2))
        }""",
    ),
    (
        "Data Cube IC-11: an observation of a dated data set has no reference year",
        None,
        _QB + _PKG + """SELECT DISTINCT ?focus WHERE {
            ?focus qb:dataSet ?ds . ?ds qb:structure pkg:indicatorStructure .
            FILTER NOT EXISTS { ?focus sdmx-dimension:refPeriod ?p }
        }""",
    ),
    (
        "Data Cube IC-12: two observations of one data set have the same dimension values",
        None,
        _QB + _PKG + """SELECT DISTINCT ?focus WHERE {
            ?focus qb:dataSet ?ds ; pkg:subject ?s ; pkg:indicator ?i ; pkg:observationKind ?k ;
                   sdmx-dimension:refArea ?a .
            ?other qb:dataSet ?ds ; pkg:subject ?s ; pkg:indicator ?i ; pkg:observationKind ?k ;
                   sdmx-dimension:refArea ?a .
            FILTER(?focus != ?other)
            OPTIONAL { ?focus sdmx-dimension:refPeriod ?p }
            OPTIONAL { ?other sdmx-dimension:refPeriod ?q }
            FILTER(COALESCE(?p = ?q, !BOUND(?p) && !BOUND(?q)))
        }""",
    ),
)


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the node, the property path (if any), the message and severity.

    ``component`` is the SHACL constraint component's local name (``MinCountConstraintComponent``;
    empty for a graph check) and ``value`` the offending value node, when there is one.
    """

    focus: str
    path: str | None
    message: str
    severity: str
    component: str = ""
    value: str | None = None


@dataclass(frozen=True)
class ValidationResult:
    """Outcome of a SHACL validation."""

    conforms: bool
    text: str
    violations: int
    results: tuple[Violation, ...] = ()


class UnsupportedShapes(KgError):
    """The shapes use a SHACL feature the SPARQL translation does not cover."""


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


# ---- SHACL Core -> SPARQL ----------------------------------------------------------------

_SH = str(SH)
_RDF_TYPE = str(RDF.type)
_SUBCLASS = str(RDFS.subClassOf)
#: The one named graph a copied source (quads, rdflib, a remote store) is put in, so the
#: union-default-graph queries see it.
_COPY_GRAPH = NamedNode("urn:x-policy-kg:validate")
#: Datatypes whose lexical forms oxigraph can check with a cast: a literal of datatype D is
#: well formed iff D(STR(?v)) succeeds and equals it (an ill-typed "abc"^^xsd:integer fails
#: sh:datatype, as in pyshacl).
_CASTABLE = {str(XSD[n]) for n in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime",
                                   "time", "gYear", "duration", "dayTimeDuration", "yearMonthDuration")}
_NODE_KINDS = {
    "IRI": "isIRI(?v)",
    "BlankNode": "isBlank(?v)",
    "Literal": "isLiteral(?v)",
    "BlankNodeOrIRI": "(isBlank(?v) || isIRI(?v))",
    "BlankNodeOrLiteral": "(isBlank(?v) || isLiteral(?v))",
    "IRIOrLiteral": "(isIRI(?v) || isLiteral(?v))",
}
_COMPARE = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
_PAIR = {"lessThan": "<", "lessThanOrEquals": "<="}
#: Annotations that do not constrain anything.
_IGNORED = {str(RDF.type), str(RDFS.label), str(RDFS.comment), _SH + "name", _SH + "description",
            _SH + "order", _SH + "group", _SH + "defaultValue"}
#: Value-level components: each is a condition on one value node ``?v``.
_VALUE_KEYS = {"datatype", "nodeKind", "languageIn", "class", "in", "pattern", "flags", *_COMPARE}


@dataclass(frozen=True)
class _Check:
    """One value-level constraint: its component and a SPARQL condition on ``?v`` ({TYPE} is the type path)."""

    component: str
    expr: str
    default_message: str


@dataclass
class _PropertyShape:
    node: str
    path: tuple[str, ...]  # a predicate, or the predicates of an sh:alternativePath
    message: str | None = None
    severity: str = "Violation"
    min_count: int | None = None
    max_count: int | None = None
    has_value: list[str] = field(default_factory=list)
    checks: list[_Check] = field(default_factory=list)
    qualified: tuple[str, int | None, int | None] | None = None
    pairs: list[tuple[str, str, str]] = field(default_factory=list)  # (component, operator, other predicate)

    @property
    def sparql_path(self) -> str:
        return "|".join(f"<{p}>" for p in self.path) if len(self.path) > 1 else f"<{self.path[0]}>"

    @property
    def result_path(self) -> str:
        # pyshacl reports an sh:alternativePath as a blank node: kept as before
        return self.path[0] if len(self.path) == 1 else "(complex path)"


@dataclass
class _NodeShape:
    iri: str
    targets: list[str]  # SPARQL group patterns binding ?focus
    message: str | None = None
    severity: str = "Violation"
    properties: list[_PropertyShape] = field(default_factory=list)
    or_exists: list[list[str]] = field(default_factory=list)  # sh:or of "has a value for one of these paths"


def _n3(term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.BNode):
        raise UnsupportedShapes(f"blank node {term} as a value in the shapes")
    return term.n3()


def _list(g: rdflib.Graph, head: rdflib.term.Node) -> list[rdflib.term.Node]:
    return list(Collection(g, head))


def _props(g: rdflib.Graph, node: rdflib.term.Node) -> dict[str, list[rdflib.term.Node]]:
    out: dict[str, list[rdflib.term.Node]] = {}
    for p, o in g.predicate_objects(node):
        out.setdefault(str(p), []).append(o)
    return out


def _severity(props: dict[str, list[rdflib.term.Node]]) -> str:
    return str(props[_SH + "severity"][0]).rsplit("#", 1)[-1] if _SH + "severity" in props else "Violation"


def _value_checks(g: rdflib.Graph, props: dict[str, list[rdflib.term.Node]]) -> list[_Check]:
    """The value-level constraints among ``props`` as SPARQL conditions on ``?v``."""
    checks = []
    flags = str(props[_SH + "flags"][0]) if _SH + "flags" in props else ""
    for key, values in props.items():
        name = key[len(_SH):] if key.startswith(_SH) else None
        for value in values:
            if name == "datatype":
                d = str(value)
                expr = f"(isLiteral(?v) && datatype(?v) = <{d}>"
                expr += f" && {_n3(value)}(STR(?v)) = ?v)" if d in _CASTABLE else ")"
                checks.append(_Check("DatatypeConstraintComponent", expr, f"Value is not Literal with datatype {_n3(value)}"))
            elif name == "nodeKind":
                kind = str(value).rsplit("#", 1)[-1]
                if kind not in _NODE_KINDS:
                    raise UnsupportedShapes(f"sh:nodeKind {value}")
                checks.append(_Check("NodeKindConstraintComponent", _NODE_KINDS[kind], f"Value is not of Node Kind sh:{kind}"))
            elif name == "languageIn":
                tags = [str(t) for t in _list(g, value)]
                ors = " || ".join(f'langMatches(lang(?v), {rdflib.Literal(t).n3()})' for t in tags) or "false"
                checks.append(_Check("LanguageInConstraintComponent", f"(isLiteral(?v) && ({ors}))",
                                     f"String language is not in {tags}"))
            elif name == "class":
                checks.append(_Check("ClassConstraintComponent", f"EXISTS {{ ?v {{TYPE}} <{value}> }}",
                                     f"Value does not have class {_n3(value)}"))
            elif name == "in":
                members = [_n3(t) for t in _list(g, value)]
                ors = " || ".join(f"sameTerm(?v, {m})" for m in members) or "false"
                checks.append(_Check("InConstraintComponent", f"({ors})", f"Value not in list {members}"))
            elif name == "pattern":
                expr = f"(!isBlank(?v) && REGEX(STR(?v), {rdflib.Literal(str(value)).n3()}, {rdflib.Literal(flags).n3()}))"
                checks.append(_Check("PatternConstraintComponent", expr, f"Value does not match pattern '{value}'"))
            elif name in _COMPARE:
                op = _COMPARE[name]
                checks.append(_Check(name[0].upper() + name[1:] + "ConstraintComponent", f"(?v {op} {_n3(value)})",
                                     f"Value is not {op} {_n3(value)}"))
    return checks


def _only(props: dict[str, list[rdflib.term.Node]], allowed: set[str], where: str) -> None:
    for key in props:
        if key in _IGNORED or key in allowed:
            continue
        raise UnsupportedShapes(f"{key} in {where}")


def _value_shape_expr(g: rdflib.Graph, node: rdflib.term.Node, where: str) -> str:
    """A shape made only of value-level constraints, as one SPARQL condition on ``?v``."""
    props = _props(g, node)
    _only(props, {_SH + k for k in _VALUE_KEYS}, where)
    checks = _value_checks(g, props)
    return "(" + " && ".join(f"COALESCE({c.expr}, false)" for c in checks) + ")" if checks else "true"


def _path(g: rdflib.Graph, node: rdflib.term.Node) -> tuple[str, ...]:
    if isinstance(node, rdflib.URIRef):
        return (str(node),)
    alt = g.value(node, SH.alternativePath)
    members = _list(g, alt) if alt is not None else []
    if alt is None or len(set(g.predicates(node))) != 1 or not all(isinstance(m, rdflib.URIRef) for m in members):
        raise UnsupportedShapes(f"property path {node} (only IRIs and sh:alternativePath of IRIs)")
    return tuple(str(m) for m in members)


def _property_shape(g: rdflib.Graph, node: rdflib.term.Node, owner: str) -> _PropertyShape:
    props = _props(g, node)
    if any(str(v) == "true" for v in props.get(_SH + "deactivated", [])):
        raise UnsupportedShapes(f"deactivated property shape in {owner}")
    allowed = {_SH + k for k in (*_VALUE_KEYS, "path", "message", "severity", "minCount", "maxCount", "hasValue",
                                 "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount", "or", *_PAIR)}
    _only(props, allowed, f"a property shape of {owner}")
    ps = _PropertyShape(node=owner, path=_path(g, props[_SH + "path"][0]), severity=_severity(props))
    ps.message = str(props[_SH + "message"][0]) if _SH + "message" in props else None
    if _SH + "minCount" in props:
        ps.min_count = int(props[_SH + "minCount"][0])
    if _SH + "maxCount" in props:
        ps.max_count = int(props[_SH + "maxCount"][0])
    ps.has_value = [_n3(v) for v in props.get(_SH + "hasValue", [])]
    ps.checks = _value_checks(g, props)
    for alternatives in props.get(_SH + "or", []):
        exprs = [_value_shape_expr(g, m, f"an sh:or of {owner}") for m in _list(g, alternatives)]
        ps.checks.append(_Check("OrConstraintComponent", "(" + " || ".join(exprs) + ")",
                                "Node does not conform to one or more shapes in sh:or"))
    if _SH + "qualifiedValueShape" in props:
        if _SH + "qualifiedValueShapesDisjoint" in props:
            raise UnsupportedShapes("sh:qualifiedValueShapesDisjoint")
        qmin = int(props[_SH + "qualifiedMinCount"][0]) if _SH + "qualifiedMinCount" in props else None
        qmax = int(props[_SH + "qualifiedMaxCount"][0]) if _SH + "qualifiedMaxCount" in props else None
        expr = _value_shape_expr(g, props[_SH + "qualifiedValueShape"][0], f"a qualified value shape of {owner}")
        ps.qualified = (expr, qmin, qmax)
    for name, op in _PAIR.items():
        for other in props.get(_SH + name, []):
            if not isinstance(other, rdflib.URIRef):
                raise UnsupportedShapes(f"sh:{name} with a complex path")
            ps.pairs.append((name[0].upper() + name[1:] + "ConstraintComponent", op, str(other)))
    return ps


def _targets(g: rdflib.Graph, shape: rdflib.term.Node, props: dict[str, list[rdflib.term.Node]]) -> list[str]:
    if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, rdflib.OWL.Class) in g:
        raise UnsupportedShapes(f"implicit class target {shape}")
    targets = [f"{{ ?focus {{TYPE}} <{c}> }}" for c in props.get(_SH + "targetClass", [])]
    targets += [f"{{ VALUES ?focus {{ {_n3(n)} }} }}" for n in props.get(_SH + "targetNode", [])]
    targets += [f"{{ SELECT DISTINCT ?focus WHERE {{ ?focus <{p}> [] }} }}" for p in props.get(_SH + "targetSubjectsOf", [])]
    targets += [f"{{ SELECT DISTINCT ?focus WHERE {{ [] <{p}> ?focus }} }}" for p in props.get(_SH + "targetObjectsOf", [])]
    return targets


@lru_cache(maxsize=4)
def _translate(path: str, mtime: float) -> tuple[_NodeShape, ...]:
    return translate_shapes(_shapes(path, mtime))


def translate_shapes(g: rdflib.Graph) -> tuple[_NodeShape, ...]:
    """The node shapes of ``g`` in the form the SPARQL engine runs; raises UnsupportedShapes."""
    shapes = []
    candidates = set(g.subjects(RDF.type, SH.NodeShape))
    for key in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"):
        candidates |= set(g.subjects(SH[key], None))
    for shape in sorted(candidates, key=str):
        if isinstance(shape, rdflib.BNode):
            raise UnsupportedShapes(f"blank node shape {shape} with a target")
        props = _props(g, shape)
        if any(str(v) == "true" for v in props.get(_SH + "deactivated", [])):
            continue  # SHACL: a deactivated shape yields no results
        allowed = {_SH + k for k in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf",
                                     "property", "or", "message", "severity")}
        _only(props, allowed, f"node shape {shape}")
        ns = _NodeShape(iri=str(shape), targets=_targets(g, shape, props), severity=_severity(props))
        ns.message = str(props[_SH + "message"][0]) if _SH + "message" in props else None
        ns.properties = [_property_shape(g, p, str(shape)) for p in props.get(_SH + "property", [])]
        for alternatives in props.get(_SH + "or", []):
            paths = []
            for member in _list(g, alternatives):
                mp = _props(g, member)
                _only(mp, {_SH + "path", _SH + "minCount"}, f"an sh:or of {shape}")
                if int(mp.get(_SH + "minCount", [0])[0]) != 1:
                    raise UnsupportedShapes(f"an sh:or member of {shape} other than 'sh:path P ; sh:minCount 1'")
                paths.append("|".join(f"<{p}>" for p in _path(g, mp[_SH + "path"][0])))
            ns.or_exists.append(paths)
        if ns.targets:
            shapes.append(ns)
    return tuple(shapes)


@dataclass(frozen=True)
class _Query:
    """One SPARQL query and how to turn each of its rows into violations."""

    sparql: str
    kind: str  # "counts", "values", "pairs", "or", "graph"
    shape: Any


def _target(ns: _NodeShape, type_path: str) -> str:
    return " UNION ".join(t.replace("{TYPE}", type_path) for t in ns.targets)


def _queries(shapes: tuple[_NodeShape, ...], type_path: str) -> list[_Query]:
    """The SPARQL queries that find every violation of ``shapes`` (one to three per property shape)."""
    out = []
    for ns in shapes:
        # The union default graph is a bag: one solution per graph holding a triple. An
        # entity named by k reports would give k x k rows for "typed and has a value", so
        # focus nodes, and (focus, value) pairs, are made distinct before anything else.
        focus = f"{{ SELECT DISTINCT ?focus WHERE {{ {_target(ns, type_path)} }} }}"
        for paths in ns.or_exists:
            cond = " || ".join(f"EXISTS {{ ?focus {p} ?x }}" for p in paths)
            out.append(_Query(f"SELECT ?focus WHERE {{ {focus} FILTER(!({cond})) }}", "or", ns))
        for ps in ns.properties:
            path = ps.sparql_path
            values = f"{{ SELECT DISTINCT ?focus ?v WHERE {{ {focus} ?focus {path} ?v }} }}"
            aggregates, conditions = [], []
            if ps.min_count is not None:
                conditions.append(f"?n < {ps.min_count}")
            if ps.max_count is not None:
                conditions.append(f"?n > {ps.max_count}")
            if ps.qualified is not None:
                expr, qmin, qmax = ps.qualified
                aggregates.append(f"(SUM(IF(COALESCE({expr.replace('{TYPE}', type_path)}, false), 1, 0)) AS ?q)")
                conditions += ([f"?q < {qmin}"] if qmin is not None else []) + ([f"?q > {qmax}"] if qmax is not None else [])
            for j, value in enumerate(ps.has_value):
                aggregates.append(f"(SUM(IF(COALESCE(sameTerm(?v, {value}), false), 1, 0)) AS ?h{j})")
                conditions.append(f"?h{j} = 0")
            if conditions:
                # (HAVING cannot see the SELECT's aliases: filter outside instead)
                out.append(_Query(
                    f"SELECT * WHERE {{ {{ SELECT ?focus (COUNT(?v) AS ?n) {' '.join(aggregates)} WHERE {{ "
                    f"{{ SELECT DISTINCT ?focus ?v WHERE {{ {focus} OPTIONAL {{ ?focus {path} ?v }} }} }} }} "
                    f"GROUP BY ?focus }} FILTER({' || '.join(conditions)}) }}", "counts", ps))
            if ps.checks:
                binds = " ".join(f"BIND(COALESCE({c.expr.replace('{TYPE}', type_path)}, false) AS ?ok{j})"
                                 for j, c in enumerate(ps.checks))
                failed = " || ".join(f"!?ok{j}" for j in range(len(ps.checks)))
                out.append(_Query(
                    f"SELECT ?focus ?v {' '.join(f'?ok{j}' for j in range(len(ps.checks)))} WHERE {{ "
                    f"{values} {binds} FILTER({failed}) }}", "values", ps))
            for j, (_, op, other) in enumerate(ps.pairs):
                out.append(_Query(
                    f"SELECT DISTINCT ?focus ?v ?o WHERE {{ {values} ?focus <{other}> ?o . "
                    f"FILTER(!COALESCE(?v {op} ?o, false)) }}", f"pairs{j}", ps))
    return out


def _term(t: Any) -> str:
    """A pyoxigraph term as pyshacl's results name it: an IRI bare, a literal in N-Triples form."""
    return t.value if isinstance(t, (NamedNode, BlankNode)) else str(t)


def _violations(query: _Query, rows: Iterator[Any]) -> list[Violation]:
    out = []
    if query.kind == "or":
        ns: _NodeShape = query.shape
        for row in rows:
            out.append(Violation(_term(row[0]), None, ns.message or "Node does not conform to one or more shapes in sh:or",
                                 ns.severity, "OrConstraintComponent", _term(row[0])))
        return out
    ps: _PropertyShape = query.shape
    path = ps.result_path
    for row in rows:
        focus = _term(row[0])

        def add(component: str, default: str, value: str | None = None) -> None:
            out.append(Violation(focus, path, ps.message or default, ps.severity, component, value))

        if query.kind == "counts":
            n = int(row["n"].value)
            if ps.min_count is not None and n < ps.min_count:
                add("MinCountConstraintComponent", f"Less than {ps.min_count} values on {focus}->{path}")
            if ps.max_count is not None and n > ps.max_count:
                add("MaxCountConstraintComponent", f"More than {ps.max_count} values on {focus}->{path}")
            if ps.qualified is not None:
                q, (_, qmin, qmax) = int(row["q"].value), ps.qualified
                if qmin is not None and q < qmin:
                    add("QualifiedMinCountConstraintComponent",
                        f"Focus node does not conform to at least {qmin} values of the qualified value shape")
                if qmax is not None and q > qmax:
                    add("QualifiedMaxCountConstraintComponent",
                        f"Focus node conforms to more than {qmax} values of the qualified value shape")
            for j, value in enumerate(ps.has_value):
                if int(row[f"h{j}"].value) == 0:
                    add("HasValueConstraintComponent", f"Node {focus}->{path} does not contain Value {value}")
        elif query.kind == "values":
            value = _term(row[1])
            for j, check in enumerate(ps.checks):
                if row[f"ok{j}"].value != "true":
                    add(check.component, check.default_message, value)
        else:  # pairs
            component, op, other = ps.pairs[int(query.kind[len("pairs"):])]
            add(component, f"Value of {focus}->{path} is not {op} {_term(row[2])} (from {other})", _term(row[1]))
    return out


def _oxigraph_store(source: Any) -> Store:
    """A pyoxigraph store whose union default graph holds every triple of ``source``.

    A store is used as it is (no copy); anything else is copied into a store in memory.
    """
    store = getattr(source, "store", source)  # a KgStore wraps a pyoxigraph Store
    if isinstance(store, Store):
        # triples in the default graph are not in the union of the named graphs
        if next(iter(store.quads_for_pattern(None, None, None, DefaultGraph())), None) is None:
            return store
        quads: Iterable[Any] = store
    elif isinstance(source, (rdflib.Graph, str, os.PathLike)):
        mem = Store()
        data = union_graph(source).serialize(format="nt", encoding="utf-8")
        mem.load(data, format=RdfFormat.N_TRIPLES, to_graph=_COPY_GRAPH)
        return mem
    else:
        quads = store
    mem = Store()
    mem.extend(Quad(q.subject, q.predicate, q.object, _COPY_GRAPH) for q in quads)
    return mem


def _run_sparql(store: Store, shapes: tuple[_NodeShape, ...]) -> list[Violation]:
    """Every violation of ``shapes`` and of :data:`GRAPH_CHECKS` in ``store``'s union graph."""
    has_subclass = store.query(f"ASK {{ ?a <{_SUBCLASS}> ?b }}", use_default_graph_as_union=True)
    # SHACL class membership follows rdfs:subClassOf in the data graph; without any such
    # triple the plain type lookup is the same and much faster
    type_path = f"<{_RDF_TYPE}>/<{_SUBCLASS}>*" if bool(has_subclass) else f"<{_RDF_TYPE}>"
    queries = _queries(shapes, type_path)
    queries += [_Query(sparql, "graph", (message, path)) for message, path, sparql in GRAPH_CHECKS]

    def run(query: _Query) -> list[Violation]:
        rows = store.query(query.sparql, use_default_graph_as_union=True)
        if query.kind == "graph":
            message, path = query.shape
            return [Violation(_term(row[0]), path, message, "Violation") for row in rows]
        return _violations(query, iter(rows))

    # two threads: 34 s instead of ~75 s for the queries one after another at 10^6 quads
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        return [v for found in pool.map(run, queries) for v in found]


def _run_pyshacl(source: Any, shapes: rdflib.Graph) -> list[Violation]:
    """Every violation found by pyshacl, plus those of :data:`GRAPH_CHECKS`."""
    data = union_graph(source)
    _, results_graph, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False, allow_warnings=False
    )
    found = []
    for r in results_graph.subjects(RDF.type, SH.ValidationResult):
        path = results_graph.value(r, SH.resultPath)
        value = results_graph.value(r, SH.value)
        found.append(
            Violation(
                focus=str(results_graph.value(r, SH.focusNode)),
                path=str(path) if isinstance(path, rdflib.URIRef) else (None if path is None else "(complex path)"),
                message=str(results_graph.value(r, SH.resultMessage) or ""),
                severity=str(results_graph.value(r, SH.resultSeverity) or "").rsplit("#", 1)[-1],
                component=str(results_graph.value(r, SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1],
                value=None if value is None else (str(value) if isinstance(value, (rdflib.URIRef, rdflib.BNode))
                                                  else _literal_nt(value)),
            )
        )
    for message, path, sparql in GRAPH_CHECKS:
        for row in data.query(sparql):
            found.append(Violation(str(row[0]), path, message, "Violation"))
    return found


def _literal_nt(lit: rdflib.Literal) -> str:
    """An rdflib literal in pyoxigraph's N-Triples form, so both engines name values alike."""
    from pyoxigraph import Literal

    if lit.language:
        return str(Literal(str(lit), language=lit.language))
    return str(Literal(str(lit), datatype=NamedNode(str(lit.datatype or _XSD_STRING))))


def _report(found: list[Violation]) -> str:
    """A pyshacl-style text report naming, for each result, its focus node, path, value and message."""
    lines = ["Validation Report", f"Conforms: {not found}"]
    if found:
        lines.append(f"Results ({len(found)}):")
    for v in found:
        if v.component:
            lines.append(f"Constraint Violation in {v.component} ({_SH}{v.component}):")
        else:
            lines.append("Graph check violation:")
        lines.append(f"\tSeverity: sh:{v.severity}")
        lines.append(f"\tFocus Node: <{v.focus}>")
        if v.value is not None and v.value != v.focus:
            lines.append(f"\tValue Node: {v.value}")
        if v.path is not None:
            lines.append(f"\tResult Path: {v.path if v.path.startswith('(') else '<' + v.path + '>'}")
        lines.append(f"\tMessage: {v.message}")
    return "\n".join(lines) + "\n"


def validate(source: Any, shapes: str | os.PathLike[str] | None = None, engine: str = "sparql") -> ValidationResult:
    """Validate ``source`` (see :func:`union_graph`) against the project's SHACL shapes.

    ``engine`` is ``"sparql"`` (pyoxigraph, the default; falls back to pyshacl for shapes
    it cannot translate) or ``"pyshacl"`` (the reference).
    """
    if engine not in ENGINES:
        raise KgError(f"unknown validation engine {engine!r}: choose one of {', '.join(ENGINES)}")
    p = Path(shapes) if shapes is not None else shapes_path()
    graph = _load_shapes(p)
    translated = None
    if engine == "sparql":
        try:
            translated = _translate(str(p), p.stat().st_mtime)
        except UnsupportedShapes:
            translated = None  # correctness first: pyshacl knows all of SHACL
    if translated is not None:
        found = _run_sparql(_oxigraph_store(source), translated)
    else:
        found = _run_pyshacl(source, graph)
    found.sort(key=lambda v: (v.focus, v.path or "", v.component, v.value or "", v.message))
    return ValidationResult(not found, _report(found), len(found), tuple(found))
