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
import itertools
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
from kg.money import format_amount
from kg.resources import queries_dir
from kg.vocab import DCTERMS, PKG, PKG_NS, RDF, SKOS

__all__ = [
    "CannedQuery",
    "QueryParam",
    "NameLookup",
    "NameHit",
    "NameMatches",
    "NoSuchName",
    "find_names",
    "name_variants",
    "resolve_name",
    "QueryResult",
    "list_queries",
    "load_query",
    "text_for",
    "run_query",
    "format_result",
    "format_cny",
    "UNSTATED",
    "FORMATS",
]

FORMATS = ("table", "csv", "json")

_HEADER = re.compile(r"^#\s*(title|description|param|sparql11|lookup)\s*:\s*(.*?)\s*$")
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
class NameLookup:
    """``# lookup: PARAM [CLASS ...] [stated]``: the parameter names an entity, looked up before binding.

    The value may be a canonical name, an alias or a title, in either script; it is bound
    as the canonical name of every entity it names (of one of ``classes``, pkg class local
    names; any class if none). ``stated``: a funder/recipient/programme/agent text stated
    in a report (中央财政) counts as a name too.
    """

    param: str
    classes: tuple[str, ...] = ()
    stated: bool = False


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
    lookups: tuple[NameLookup, ...] = ()  # parameters that name an entity (see NameLookup)


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
    title, description, params, portable, lookups = "", [], [], None, []
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
        elif key == "lookup":
            words = value.split()
            if not words:
                raise QueryError(f"{path or name}: '# lookup:' needs a parameter name")
            kinds = tuple(w for w in words[1:] if w != "stated")
            lookups.append(NameLookup(words[0], kinds, "stated" in words[1:]))
        else:
            pm = _PARAM.match(value)
            if not pm:
                raise QueryError(f"{path or name}: cannot read parameter line '# param: {value}'")
            pname, lang, meaning = pm.group(1), pm.group(2), (pm.group(3) or "").strip()
            params.append(QueryParam(pname, meaning, "(optional)" not in meaning.lower(), lang))
    declared = {p.name for p in params}
    for lookup in lookups:
        if lookup.param not in declared:
            raise QueryError(f"{path or name}: '# lookup: {lookup.param}' names no declared parameter")
    # a name parameter (bound as a language-tagged label) is looked up even without a '# lookup:' line
    lookups += [NameLookup(p.name) for p in params if p.language and p.name not in {x.param for x in lookups}]
    return CannedQuery(name, title or name, " ".join(description), tuple(params), path, text, portable,
                       tuple(lookups))


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


# --------------------------------------------------------------------------- name lookup
# One lookup for every place a user types a name: `kg query NAME --param name=…` and the web
# search (kg.serve.data.search). Exact names go through the store's object index; only a
# miss (or the search page) scans labels for a substring.

#: label predicates a name is looked up in, and the rank of an exact match (0 own name, 1 alias)
_NAME_PREDICATES = {SKOS.prefLabel: 0, DCTERMS.title: 0, SKOS.altLabel: 1}
#: what a report states about a funding or measure when it names no entity (中央财政)
_STATED_PREDICATES = (PKG.funderText, PKG.recipientText, PKG.programText, PKG.agentText)


class NoSuchName(QueryError):
    """A name parameter names nothing in the store; the message lists the closest names."""

    exit_code = 1


@dataclass(frozen=True)
class NameHit:
    """An entity found by name: ``rank`` 0 its name or title, 1 an alias, 2 a label starting with the text, 3 containing it."""

    iri: str
    rank: int
    matched: frozenset[str]


@dataclass(frozen=True)
class NameMatches:
    """What :func:`find_names` found: the forms looked up, hits by IRI, and whether the label scan was cut."""

    variants: list[str]
    hits: dict[str, NameHit]
    truncated: bool = False


def name_variants(text: str) -> list[str]:
    """The forms a name is looked up in: as typed (spaces collapsed, at most 200 characters) and simplified.

    >>> name_variants(" 西寧市農業農村局 ")
    ['西寧市農業農村局', '西宁市农业农村局']
    """
    from kg.normalize import to_simplified

    typed = " ".join(text.split())[:200]
    return list(dict.fromkeys(v for v in (typed, to_simplified(typed).strip()) if v))


def _raw(store: Any) -> Any:
    return getattr(store, "store", store)


def _select(store: Any, sparql: str) -> list[Any]:
    try:
        return list(_raw(store).query(sparql, use_default_graph_as_union=True))
    except SyntaxError as e:  # pragma: no cover - the lookups are fixed text with escaped terms
        raise QueryError(f"name lookup is not valid SPARQL: {e}") from e


def _literal_values(texts: list[str]) -> str:
    """Both a plain and a ``@zh`` literal per text (labels are ``@zh``, stated texts plain), escaped by pyoxigraph."""
    return " ".join(f"{Literal(t)} {Literal(t, language='zh')}" for t in texts)


def find_names(store: Any, text: str, contains: bool = True, scan_limit: int = 2000) -> NameMatches:
    """Entities whose name, alias or title is ``text`` (as typed or simplified) or, with ``contains``, contains it.

    ``store`` is a :class:`kg.store.KgStore`, a remote store or a pyoxigraph ``Store``.
    Exact matches come from the index; the case-insensitive substring scan reads at most
    ``scan_limit`` labels (``truncated`` says it was cut). The web search ranks these hits.

    >>> from kg.store import open_store
    >>> find_names(open_store(":memory:"), "西寧").variants
    ['西寧', '西宁']
    """
    variants = name_variants(text)
    if not variants:
        return NameMatches([], {})
    found: dict[str, tuple[int, set[str]]] = {}
    lowered = [v.lower() for v in variants]

    def note(x: str, predicate: str, label: str) -> None:
        if label in variants:
            rank = _NAME_PREDICATES.get(predicate, 0)
        elif any(label.lower().startswith(v) for v in lowered):
            rank = 2
        else:
            rank = 3
        best, matched = found.get(x, (9, set()))
        matched.add(label)
        found[x] = (min(best, rank), matched)

    predicates = " ".join(f"<{p}>" for p in _NAME_PREDICATES)
    for row in _select(store, f"SELECT DISTINCT ?x ?p ?l WHERE {{ VALUES ?l {{ {_literal_values(variants)} }} "
                              f"VALUES ?p {{ {predicates} }} ?x ?p ?l }} LIMIT 500"):
        note(row["x"].value, row["p"].value, row["l"].value)
    truncated = False
    if contains:
        needles = " || ".join(f"CONTAINS(LCASE(STR(?l)), {Literal(v)})" for v in lowered)
        rows = _select(store, f"SELECT DISTINCT ?x ?p ?l WHERE {{ VALUES ?p {{ {predicates} }} ?x ?p ?l . "
                              f"FILTER({needles}) }} LIMIT {scan_limit}")
        for row in rows:
            note(row["x"].value, row["p"].value, row["l"].value)
        truncated = len(rows) >= scan_limit
    hits = {x: NameHit(x, rank, frozenset(matched)) for x, (rank, matched) in found.items()}
    return NameMatches(variants, hits, truncated)


def _names_and_types(store: Any, iris: list[str]) -> dict[str, tuple[list[str], set[str]]]:
    """Canonical names (prefLabel, else title) and pkg classes of entities, by IRI."""
    if not iris:
        return {}
    values = " ".join(str(NamedNode(i)) for i in iris)
    out: dict[str, tuple[list[str], set[str]]] = {i: ([], set()) for i in iris}
    titles: dict[str, list[str]] = {i: [] for i in iris}
    for row in _select(store, f"SELECT DISTINCT ?x ?k ?v WHERE {{ VALUES ?x {{ {values} }} "
                              f"{{ ?x <{RDF.type}> ?v BIND(\"t\" AS ?k) }} "
                              f"UNION {{ ?x <{SKOS.prefLabel}> ?v BIND(\"n\" AS ?k) }} "
                              f"UNION {{ ?x <{DCTERMS.title}> ?v BIND(\"d\" AS ?k) }} }}"):
        x, kind, value = row["x"].value, row["k"].value, row["v"].value
        if kind == "t":
            if value.startswith(PKG_NS):
                out[x][1].add(value[len(PKG_NS):])
        elif kind == "n":
            out[x][0].append(value)
        else:
            titles[x].append(value)
    return {x: (sorted(set(names or titles[x])), classes) for x, (names, classes) in out.items()}


def _stated(store: Any, variants: list[str]) -> list[str]:
    """The variants that a report states as a funder, recipient, programme or agent text."""
    predicates = " ".join(f"<{p}>" for p in _STATED_PREDICATES)
    rows = _select(store, f"SELECT DISTINCT ?t WHERE {{ VALUES ?t {{ {_literal_values(variants)} }} "
                          f"VALUES ?p {{ {predicates} }} ?f ?p ?t }}")
    found = {row["t"].value for row in rows}
    return [v for v in variants if v in found]


def _closest(store: Any, lookup: NameLookup, variants: list[str], n: int = 5) -> list[str]:
    """Up to ``n`` names like the missing one: those containing it first, then difflib's closest."""
    import difflib

    matches = find_names(store, variants[-1], contains=True, scan_limit=200)
    described = _names_and_types(store, list(matches.hits))
    near = [name for x in sorted(matches.hits, key=lambda x: (matches.hits[x].rank, x))
            for name in described[x][0] if _fits(described[x][1], lookup)]
    types = " ".join(f"<{PKG_NS}{c}>" for c in lookup.classes)
    rows = _select(store, "SELECT DISTINCT ?l WHERE { "
                          + (f"VALUES ?t {{ {types} }} ?x a ?t . " if types else "")
                          + f"{{ ?x <{SKOS.prefLabel}> ?l }} UNION {{ ?x <{DCTERMS.title}> ?l }} }} LIMIT 200000")
    labels = sorted({row["l"].value for row in rows})
    near += difflib.get_close_matches(variants[-1], labels, n=n, cutoff=0.4)
    return list(dict.fromkeys(near))[:n]


def _fits(classes: set[str], lookup: NameLookup) -> bool:
    return not lookup.classes or bool(classes & set(lookup.classes))


def resolve_name(store: Any, value: str, lookup: NameLookup = NameLookup("name")) -> list[str]:
    """The canonical names ``value`` stands for: itself, an alias or a title, in either script.

    An entity's own name or title wins over an alias of others; an alias shared by several
    entities (市农业农村局 in reports of two cities) gives each of their names. Stated texts
    count when ``lookup.stated``. Raises :class:`NoSuchName` with the closest names otherwise.

    >>> from kg.store import open_store
    >>> resolve_name(open_store(":memory:"), "西寧市")
    Traceback (most recent call last):
    ...
    kg.query.NoSuchName: no entity named 西寧市 (nothing close)
    """
    variants = name_variants(value)
    matches = find_names(store, value, contains=False) if variants else NameMatches([], {})
    described = _names_and_types(store, list(matches.hits))
    fitting = [h for h in matches.hits.values() if _fits(described[h.iri][1], lookup)]
    best = min((h.rank for h in fitting), default=None)
    names = sorted({n for h in fitting if h.rank == best for n in described[h.iri][0]})
    if lookup.stated and variants:
        names += [t for t in _stated(store, variants) if t not in names]
    if names:
        return names
    kinds = f" (of type {' or '.join(lookup.classes)})" if lookup.classes else ""
    close = _closest(store, lookup, variants) if variants else []
    raise NoSuchName(f"no entity named {value}{kinds}"
                     + (f"; closest names: {', '.join(close)}" if close else " (nothing close)"))


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
    # a name parameter may be an alias or in traditional script: bind each canonical name it stands for
    choices: list[list[tuple[str, str]]] = [[(k, v)] for k, v in params.items()]
    for lookup in q.lookups:
        if params.get(lookup.param):
            choices = [c for c in choices if c[0][0] != lookup.param]
            choices.append([(lookup.param, name) for name in resolve_name(store, params[lookup.param], lookup)])
    raw_store: Store = _raw(store)
    text = text_for(q, getattr(raw_store, "supports_lateral", True))
    results = [_execute(raw_store, q, text, {Variable(k): declared[k].literal(v) for k, v in combo})
               for combo in itertools.product(*choices)]
    if len(results) == 1:
        return results[0]
    rows = list(dict.fromkeys(row for r in results for row in r.rows))  # one run per name, in order
    return QueryResult(results[0].columns, rows)


def _execute(raw_store: Any, q: CannedQuery, text: str, substitutions: dict[Variable, Literal]) -> QueryResult:
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


#: how a table shows an empty cell of these columns; the analytics page (kg.analyze) uses the same words
UNSTATED = {"funder": "（未注明出资方）", "recipient": "（未注明接收方）", "program": "（未注明项目）",
            "region": "（未注明地区）", "year": "（未注明年份）"}


def format_cny(value: str) -> str:
    """An amount of yuan as analysts write it (亿 and 万, thousands grouped); anything else unchanged.

    >>> format_cny("150000000"), format_cny("18400000"), format_cny("5000"), format_cny("n/a")
    ('1.5亿元', '1,840万元', '5,000元', 'n/a')
    """
    return format_amount(value, grouped=True)


def _table_cell(column: str, value: str | None) -> str:
    if value is None or value == "":
        return UNSTATED.get(column, "")
    return format_cny(value) if column.endswith("_cny") else _cell(value)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result as an aligned ``table`` (CJK counted double width), ``csv`` or ``json``.

    The table is for reading: amounts (``*_cny`` columns) as 1.5亿元 or 1,840万元, right-aligned,
    and an unstated funder, recipient, programme, region or year in words (:data:`UNSTATED`).
    CSV and JSON keep the values as they are (yuan as plain numbers, unstated as empty/null).
    """
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
    cells = [list(result.columns)] + [[_table_cell(c, v) for c, v in zip(result.columns, row)]
                                      for row in result.rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(result.columns))]
    right = [c.endswith("_cny") for c in result.columns]
    lines = []
    for n, row in enumerate(cells):
        padded = [" " * (w - _width(c)) + c if r and n else c + " " * (w - _width(c))
                  for c, w, r in zip(row, widths, right)]
        lines.append("  ".join(padded).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    if not result.rows:
        lines.append("(no rows: the store holds nothing that answers this query)")
    return "\n".join(lines)
