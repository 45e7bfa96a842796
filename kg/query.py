"""Canned SPARQL queries (``queries/*.rq``), bound parameters, and result formatting.

A canned query starts with header comments::

    # title: One actor
    # description: Everything known about one actor.
    # param: name@zh — canonical name of the actor

Parameters are bound with pyoxigraph substitutions (SEP-0007), never pasted into
the query text: the value becomes a string literal, or a language-tagged literal when
the name carries ``@lang`` (``name@zh`` binds ``"…"@zh``, so the query can look the
value up as an ``skos:prefLabel`` through the index instead of scanning every label).
oxigraph only substitutes variables that the top-level ``SELECT`` projects, so a
parameter is also a column of the result.

A query written for Oxigraph's planner (``LATERAL``, SPARQL SEP-0006, or a COALESCE that
relies on CONCAT of an unbound value being an error) has a plain SPARQL 1.1 form with the
same rows: :func:`run_query` sends that one to a store whose engine does not parse
``LATERAL`` (its ``supports_lateral`` is false: Virtuoso, GraphDB). The form is the file
``queries/sparql11/NAME.rq``, or, where the header says ``# sparql11: without LATERAL``
(every ``LATERAL`` there only orders the evaluation), the query without the keyword.

>>> [q.name for q in list_queries()][:3]
['actor', 'actor-fundings', 'actors']
>>> from kg.store import open_store
>>> result = run_query(open_store(":memory:"), "actors")
>>> result.columns
['name', 'type', 'region', 'report']
>>> print(format_result(QueryResult(["名称", "n"], [("清溪县", "1"), (None, "22")]), "table"))
名称    n
------  --
清溪县  1
        22
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    Store,
    Variable,
)

from kg.errors import QueryError
from kg.resources import queries_dir

__all__ = [
    "CannedQuery",
    "QueryParam",
    "QueryResult",
    "list_queries",
    "load_query",
    "text_for",
    "run_query",
    "format_result",
    "FORMATS",
]

FORMATS = ("table", "csv", "json")

_HEADER = re.compile(r"^#\s*(title|description|param|sparql11)\s*:\s*(.*?)\s*$")
_LATERAL = re.compile(r"\bLATERAL\s*\{")
_PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*))?\s*(?:[—–:-]+\s*(.*))?$")


@dataclass(frozen=True)
class QueryParam:
    """A declared parameter ``# param: name[@lang] — meaning``; "(optional)" in the meaning makes it optional."""

    name: str
    description: str = ""
    required: bool = True
    language: str | None = None

    def literal(self, value: str) -> Literal:
        """The RDF literal this parameter binds for ``value``."""
        return Literal(value, language=self.language) if self.language else Literal(value)


@dataclass(frozen=True)
class CannedQuery:
    """A SPARQL query with its header: title, description and declared parameters."""

    name: str
    title: str
    description: str
    params: tuple[QueryParam, ...]
    path: Path | None
    text: str
    portable: str | None = None  # the same query in plain SPARQL 1.1, for servers without LATERAL


@dataclass(frozen=True)
class QueryResult:
    """Rows of plain strings (``None`` where a variable is unbound)."""

    columns: list[str]
    rows: list[tuple[str | None, ...]]

    def as_dicts(self) -> list[dict[str, str | None]]:
        """One dict per row, keys in column order."""
        return [dict(zip(self.columns, row)) for row in self.rows]


def parse_query(text: str, name: str = "query", path: Path | None = None) -> CannedQuery:
    """Read the header comments of a query text.

    >>> q = parse_query("# title: T\\n# param: name@zh — an actor\\nSELECT ?name WHERE {}")
    >>> q.title, q.params
    ('T', (QueryParam(name='name', description='an actor', required=True, language='zh'),))
    """
    title, description, params, portable = "", [], [], None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _HEADER.match(stripped)
        if not m:
            continue
        key, value = m.groups()
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        elif key == "sparql11":  # LATERAL only orders the evaluation: the plain form is the text without it
            portable = _LATERAL.sub("{", text)
        else:
            pm = _PARAM.match(value)
            if not pm:
                raise QueryError(f"{path or name}: cannot read parameter line '# param: {value}'")
            pname, lang, meaning = pm.group(1), pm.group(2), (pm.group(3) or "").strip()
            params.append(QueryParam(pname, meaning, "(optional)" not in meaning.lower(), lang))
    return CannedQuery(name, title or name, " ".join(description), tuple(params), path, text, portable)


def list_queries() -> list[CannedQuery]:
    """Every canned query in ``queries/``, sorted by name."""
    folder = queries_dir()
    if not folder.is_dir():
        return []
    return [_read_query(p, p.stem) for p in sorted(folder.glob("*.rq"), key=lambda p: p.stem)]


def _read_query(path: Path, name: str) -> CannedQuery:
    q = parse_query(path.read_text(encoding="utf-8"), name, path)
    portable = path.parent / "sparql11" / path.name
    if portable.is_file():
        q = replace(q, portable=portable.read_text(encoding="utf-8"))
    return q


def load_query(name_or_path: str | Path) -> CannedQuery:
    """A canned query by NAME (a file ``queries/NAME.rq``) or by path to a ``.rq`` file.

    >>> load_query("who-funds-what").params
    ()
    >>> load_query("no-such-query")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: unknown query 'no-such-query'; available: actor, ...
    """
    text = str(name_or_path)
    candidate = Path(text)
    if candidate.suffix == ".rq" or candidate.parent != Path("."):
        if candidate.is_file():
            return _read_query(candidate, candidate.stem)
        raise QueryError(f"query file not found: {text}")
    path = queries_dir() / f"{text}.rq"
    if path.is_file():
        return _read_query(path, text)
    names = ", ".join(q.name for q in list_queries()) or "(none)"
    raise QueryError(f"unknown query '{text}'; available: {names}")


def text_for(query: CannedQuery, supports_lateral: bool) -> str:
    """The text of ``query`` to send to an engine: its plain SPARQL 1.1 form where ``LATERAL`` is missing.

    >>> q = load_query("search")
    >>> "LATERAL {" in text_for(q, True), "LATERAL {" in text_for(q, False)
    (True, False)
    """
    return query.text if supports_lateral or query.portable is None else query.portable


def _resolve(query: CannedQuery | str | Path) -> CannedQuery:
    if isinstance(query, CannedQuery):
        return query
    if isinstance(query, Path):
        return load_query(query)
    if not query.endswith(".rq") and re.search(r"[\s{]", query):  # SPARQL text, not a name or path
        return parse_query(query)
    return load_query(query)


def _term(term: Any) -> str | None:
    if term is None:
        return None
    if isinstance(term, (NamedNode, Literal)):
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term)


def run_query(
    store: Any,
    query: CannedQuery | str | Path,
    params: dict[str, str] | None = None,
) -> QueryResult:
    """Run a canned query (object, name or path) or SPARQL text on a store.

    ``store`` is a :class:`kg.store.KgStore` or a pyoxigraph ``Store``; the default
    graph is the union of all named graphs. ``params`` values are bound as literals
    (see :class:`QueryParam`) to the declared variables, never formatted into the text.
    A store without ``LATERAL`` gets the query's plain SPARQL 1.1 form, if it has one.
    """
    q = _resolve(query)
    params = dict(params or {})
    declared = {p.name: p for p in q.params}
    for key in params:
        if key not in declared:
            known = ", ".join(declared) or "none"
            raise QueryError(f"query '{q.name}' has no parameter '{key}' (declared: {known})")
    missing = [p.name for p in q.params if p.required and not params.get(p.name)]
    if missing:
        raise QueryError(f"query '{q.name}' needs parameter(s): {', '.join(missing)}")
    substitutions = {Variable(k): declared[k].literal(v) for k, v in params.items()}
    raw_store: Store = getattr(store, "store", store)
    text = text_for(q, getattr(raw_store, "supports_lateral", True))
    try:
        result = raw_store.query(
            text, use_default_graph_as_union=True, substitutions=substitutions or None
        )
        if isinstance(result, QuerySolutions):
            columns = [v.value for v in result.variables]
            rows = [tuple(_term(sol[i]) for i in range(len(columns))) for sol in result]
            return QueryResult(columns, rows)
        if isinstance(result, QueryBoolean):
            return QueryResult(["ask"], [("true" if bool(result) else "false",)])
        rows = [(_term(t.subject), _term(t.predicate), _term(t.object)) for t in result]
        return QueryResult(["subject", "predicate", "object"], rows)
    except SyntaxError as e:
        raise QueryError(f"query '{q.name}' is not valid SPARQL: {e}") from e
    except (RuntimeError, ValueError) as e:
        raise QueryError(f"query '{q.name}' failed: {e}") from e


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: str | None) -> str:
    return "" if value is None else " ".join(value.split("\n"))


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result as an aligned ``table`` (CJK counted double width), ``csv`` or ``json``."""
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(["" if v is None else v for v in row] for row in result.rows)
        return buf.getvalue()
    if fmt == "json":
        return json.dumps(result.as_dicts(), ensure_ascii=False, indent=2)
    if fmt != "table":
        raise QueryError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    cells = [list(result.columns)] + [[_cell(v) for v in row] for row in result.rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(result.columns))]
    lines = []
    for n, row in enumerate(cells):
        padded = [c + " " * (w - _width(c)) for c, w in zip(row, widths)]
        lines.append("  ".join(padded).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
