"""SPARQL 1.1 Protocol pieces that need no web framework: reading a request's operation,
checking it, negotiating the response format, serializing results, describing the service.

Everything here is plain functions over strings and pyoxigraph terms, so it is tested
without a server; :mod:`kg.serve` wires it to Starlette.

A small lexer (:func:`tokens`) follows the SPARQL grammar's terminals closely enough to
tell keywords from the same letters inside strings, IRIs, comments, variables,
prefixed names and language tags. It is what decides that a query uses ``SERVICE`` (or
an update ``LOAD``), which are refused unless explicitly enabled, whether a query has
its own ``FROM`` clauses, and where ``USING`` clauses go for ``using-graph-uri``.

>>> analyze("SELECT * WHERE { ?s ?p 'SERVICE' } # SERVICE").uses_service
False
>>> analyze("SELECT * { service <http://example.org/sparql> { ?s ?p ?o } }").uses_service
True
>>> info = analyze("PREFIX ex: <http://ex/> ASK FROM <http://g> { ex:SERVICE ?p ?o }")
>>> info.form, info.has_from, info.uses_service
('ASK', True, False)
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

__all__ = [
    "ProtocolError",
    "Token",
    "tokens",
    "OperationInfo",
    "analyze",
    "add_using",
    "Operation",
    "read_operation",
    "negotiate",
    "RESULT_FORMATS",
    "GRAPH_FORMATS",
    "serialize_solutions",
    "serialize_boolean",
    "service_description",
    "is_absolute_iri",
    "SPARQL_VERSIONS",
]


class ProtocolError(Exception):
    """A request the protocol says to refuse, with the HTTP status to answer."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------- lexer

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<lstring>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
  | (?P<string>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[\w\-.:%\\]+)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str  # comment, lstring, string, iri, var, lang, word, punct
    text: str
    start: int
    end: int
    depth: int  # brace depth where the token stands

    @property
    def keyword(self) -> str | None:
        """The upper-cased word when this token could be a keyword (no colon: not a prefixed name)."""
        if self.kind == "word" and ":" not in self.text and not self.text[0].isdigit():
            return self.text.upper()
        return None


def tokens(text: str) -> list[Token]:
    """Split SPARQL text into tokens (whitespace dropped), with the brace depth of each.

    >>> [(t.kind, t.text, t.depth) for t in tokens('ASK { ?s <p> "x" }')]
    [('word', 'ASK', 0), ('punct', '{', 0), ('var', '?s', 1), ('iri', '<p>', 1), ('string', '"x"', 1), ('punct', '}', 0)]
    """
    out: list[Token] = []
    depth = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        if kind == "ws":
            continue
        value = m.group()
        if kind == "punct" and value == "}":
            depth = max(0, depth - 1)
        out.append(Token(kind, value, m.start(), m.end(), depth))
        if kind == "punct" and value == "{":
            depth += 1
    return out


_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
_NONDETERMINISTIC = {"NOW", "RAND", "UUID", "STRUUID", "BNODE"}


@dataclass(frozen=True)
class OperationInfo:
    """What the lexer tells about a query or update before it is run."""

    form: str | None  # SELECT / CONSTRUCT / DESCRIBE / ASK for queries, None otherwise
    has_from: bool  # the query has FROM / FROM NAMED clauses
    uses_service: bool  # SERVICE anywhere
    uses_load: bool  # LOAD (an update that fetches a URL)
    has_using: bool  # USING / USING NAMED / WITH in an update
    deterministic: bool  # no NOW(), RAND(), UUID(), STRUUID(), BNODE()


@functools.lru_cache(maxsize=512)
def analyze(text: str) -> OperationInfo:
    """Look at the keywords of a query or an update (cached: clients repeat their queries)."""
    form = None
    has_from = uses_service = uses_load = has_using = False
    deterministic = True
    for tok in tokens(text):
        kw = tok.keyword
        if kw is None:
            continue
        if form is None and kw in _FORMS:
            form = kw
        elif kw == "FROM":
            has_from = True
        elif kw == "SERVICE":
            uses_service = True
        elif kw == "LOAD":
            uses_load = True
        elif kw in ("USING", "WITH"):
            has_using = True
        if kw in _NONDETERMINISTIC:
            deterministic = False
    return OperationInfo(form, has_from, uses_service, uses_load, has_using, deterministic)


def _iri_ref(iri: str) -> str:
    return f"<{iri}>"


def add_using(update: str, using: Sequence[str], using_named: Sequence[str]) -> str:
    """Give every DELETE/INSERT … WHERE operation of ``update`` the protocol's dataset.

    ``using-graph-uri`` and ``using-named-graph-uri`` act as ``USING`` / ``USING NAMED``
    clauses (SPARQL 1.1 Protocol §2.2.3); the short form ``DELETE WHERE { P }`` becomes
    ``DELETE { P } USING … WHERE { P }``.

    >>> add_using("INSERT { ?s a <C> } WHERE { ?s ?p ?o }", ["http://g"], [])
    'INSERT { ?s a <C> }  USING <http://g> WHERE { ?s ?p ?o }'
    >>> add_using("DELETE WHERE { ?s ?p ?o }", [], ["http://n"])
    'DELETE { ?s ?p ?o } USING NAMED <http://n> WHERE { ?s ?p ?o }'
    """
    if not using and not using_named:
        return update
    clause = " " + " ".join(
        [f"USING {_iri_ref(g)}" for g in using] + [f"USING NAMED {_iri_ref(g)}" for g in using_named]
    ) + " "
    toks = tokens(update)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    prev: Token | None = None
    for i, tok in enumerate(toks):
        if tok.depth == 0 and tok.keyword == "WHERE":
            if prev is not None and prev.keyword == "DELETE":
                # DELETE WHERE { P }  ->  DELETE { P } USING … WHERE { P }
                j = i + 1
                if j < len(toks) and toks[j].text == "{":
                    k = j + 1
                    while k < len(toks) and not (toks[k].text == "}" and toks[k].depth == 0):
                        k += 1
                    if k < len(toks):
                        pattern = update[toks[j].start : toks[k].end]
                        edits.append((tok.start, toks[k].end, f"{pattern}{clause}WHERE {pattern}"))
            else:
                edits.append((tok.start, tok.start, clause))
        prev = tok
    out = update
    for start, end, repl in sorted(edits, reverse=True):
        out = out[:start] + repl + out[end:]
    return out


# --------------------------------------------------------------------------- requests

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*$")


def is_absolute_iri(value: str) -> bool:
    """Whether ``value`` looks like an absolute IRI (scheme, no spaces or forbidden characters).

    >>> is_absolute_iri("http://example.org/g"), is_absolute_iri("g1"), is_absolute_iri("urn:x a")
    (True, False, False)
    """
    return bool(_ABSOLUTE_IRI.match(value))


@dataclass
class Operation:
    """One protocol operation read off a request."""

    kind: str  # "query" or "update"
    text: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None  # a format= / output= / results= parameter, if any
    version: str | None = None  # the SPARQL version the client announced (SPARQL 1.2 Protocol), if any


#: Values of the SPARQL 1.2 Protocol's ``version`` parameter this endpoint knows: the version
#: labels of RDF 1.2 Concepts (§ "defined version labels"); pyoxigraph parses SPARQL 1.2.
SPARQL_VERSIONS = ("1.1", "1.2", "1.2-basic")


def _media_type(content_type: str | None) -> tuple[str, dict[str, str]]:
    if not content_type:
        return "", {}
    parts = content_type.split(";")
    params = {}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        params[k.strip().lower()] = v.strip().strip('"')
    return parts[0].strip().lower(), params


def _check_charset(params: dict[str, str]) -> None:
    charset = params.get("charset")
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"unsupported charset {charset!r}: SPARQL requests must be UTF-8")


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ProtocolError(400, f"the {what} is not valid UTF-8: {e}") from None


def _pairs(raw: bytes | str, what: str) -> list[tuple[str, str]]:
    text = raw if isinstance(raw, str) else _decode(raw, what)
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise ProtocolError(400, f"the {what} has percent-escapes that are not UTF-8: {e}") from None


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise ProtocolError(400, f"more than one '{name}' parameter: send exactly one")
    return values[0] if values else None


def _version(values: list[str]) -> str | None:
    """The one announced version (URL, form or media-type parameter); 400 for two or an unknown one.

    >>> _version(["1.2"]), _version([])
    ('1.2', None)
    >>> _version(["1.1", "1.2"])
    Traceback (most recent call last):
    ...
    kg.serve.sparql.ProtocolError: more than one 'version' parameter: send at most one
    """
    if len(values) > 1:
        raise ProtocolError(400, "more than one 'version' parameter: send at most one")
    if values and values[0] not in SPARQL_VERSIONS:
        raise ProtocolError(400, f"unknown SPARQL version {values[0]!r}: this endpoint knows "
                                 f"{', '.join(SPARQL_VERSIONS)}")
    return values[0] if values else None


def _media_type_versions(content_type: str | None) -> list[str]:
    """Every ``version`` parameter of a Content-Type (a dict of parameters would keep only the last)."""
    out = []
    for p in (content_type or "").split(";")[1:]:
        k, _, v = p.partition("=")
        if k.strip().lower() == "version":
            out.append(v.strip().strip('"'))
    return out


def _graphs(pairs: Iterable[tuple[str, str]], name: str) -> list[str]:
    out = []
    for k, v in pairs:
        if k == name:
            if not is_absolute_iri(v):
                raise ProtocolError(400, f"'{name}' must be an absolute IRI, got {v!r}")
            out.append(v)
    return out


def read_operation(
    method: str,
    query_string: str,
    content_type: str | None,
    body: bytes,
    has_body: bool,
) -> Operation | None:
    """Read the operation of a request to the SPARQL endpoint (SPARQL 1.1 Protocol §2).

    Returns None for a plain GET without ``query`` (the service description is asked);
    raises :class:`ProtocolError` (4XX) for anything the protocol does not allow.

    >>> read_operation("GET", "query=ASK%20%7B%7D", None, b"", False).text
    'ASK {}'
    >>> read_operation("GET", "query=ASK%20%7B%7D&query=ASK%20%7B%7D", None, b"", False)
    Traceback (most recent call last):
    ...
    kg.serve.sparql.ProtocolError: more than one 'query' parameter: send exactly one
    """
    url_pairs = _pairs(query_string, "query string")
    url_names = {k for k, _ in url_pairs}
    if method in ("GET", "HEAD"):
        if has_body:
            raise ProtocolError(400, "a GET request must not have a body; send the query in the URL or use POST")
        if "update" in url_names:
            raise ProtocolError(400, "SPARQL Update must be sent with POST, not GET")
        query = _one([v for k, v in url_pairs if k == "query"], "query")
        if query is None:
            return None
        pairs = url_pairs
        kind, text = "query", query
        versions = [v for k, v in pairs if k == "version"]
    elif method == "POST":
        mtype, params = _media_type(content_type)
        if not mtype:
            raise ProtocolError(
                400,
                "a POST needs a Content-Type: application/x-www-form-urlencoded, "
                f"{QUERY_TYPE} or {UPDATE_TYPE}",
            )
        if mtype == FORM_TYPE:
            _check_charset(params)
            body_pairs = _pairs(body, "form body")
            if {"query", "update"} & url_names:
                raise ProtocolError(400, "with a form POST, send 'query' or 'update' in the body only")
            pairs = url_pairs + body_pairs
            queries = [v for k, v in body_pairs if k == "query"]
            updates = [v for k, v in body_pairs if k == "update"]
            if queries and updates:
                raise ProtocolError(400, "a request carries either 'query' or 'update', not both")
            if queries:
                kind, text = "query", _one(queries, "query") or ""
            elif updates:
                kind, text = "update", _one(updates, "update") or ""
            else:
                raise ProtocolError(400, "the form has neither a 'query' nor an 'update' parameter")
            versions = [v for k, v in pairs if k == "version"]
        elif mtype in (QUERY_TYPE, UPDATE_TYPE):
            _check_charset(params)
            if {"query", "update"} & url_names:
                raise ProtocolError(400, f"with {mtype} the operation is the body; do not also send it in the URL")
            kind = "query" if mtype == QUERY_TYPE else "update"
            text = _decode(body, f"{kind} body")
            pairs = url_pairs
            versions = [v for k, v in pairs if k == "version"] + _media_type_versions(content_type)
        else:
            raise ProtocolError(
                415,
                f"unsupported Content-Type {mtype!r}: use application/x-www-form-urlencoded, "
                f"{QUERY_TYPE} or {UPDATE_TYPE}",
            )
    else:
        raise ProtocolError(405, f"method {method} is not allowed here; use GET or POST", {"Allow": "GET, HEAD, POST"})

    if not text.strip():
        raise ProtocolError(400, f"the {kind} is empty")
    version = _version(versions)
    fmt = None
    for name in ("format", "output", "results"):
        values = [v for k, v in pairs if k == name and v]
        if values:
            fmt = values[0]
            break
    if kind == "query":
        if any(k in ("using-graph-uri", "using-named-graph-uri") for k, _ in pairs):
            raise ProtocolError(400, "using-graph-uri / using-named-graph-uri are for updates; use default-graph-uri / named-graph-uri")
        return Operation("query", text, _graphs(pairs, "default-graph-uri"), _graphs(pairs, "named-graph-uri"), fmt,
                         version)
    if any(k in ("default-graph-uri", "named-graph-uri") for k, _ in pairs):
        raise ProtocolError(400, "default-graph-uri / named-graph-uri are for queries; use using-graph-uri / using-named-graph-uri")
    return Operation("update", text, _graphs(pairs, "using-graph-uri"), _graphs(pairs, "using-named-graph-uri"), fmt,
                     version)


# --------------------------------------------------------------------------- negotiation

#: result format name -> (media type answered, media types and keywords that select it)
RESULT_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "json": ("application/sparql-results+json", ("application/sparql-results+json", "application/json", "json", "srj")),
    "xml": ("application/sparql-results+xml", ("application/sparql-results+xml", "application/xml", "text/xml", "xml", "srx")),
    "csv": ("text/csv", ("text/csv", "csv")),
    "tsv": ("text/tab-separated-values", ("text/tab-separated-values", "text/tsv", "tsv")),
}
#: graph format name -> (media type answered, media types and keywords that select it)
GRAPH_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "turtle": ("text/turtle", ("text/turtle", "application/x-turtle", "turtle", "ttl")),
    "ntriples": ("application/n-triples", ("application/n-triples", "text/plain", "ntriples", "nt", "n-triples")),
    "jsonld": ("application/ld+json", ("application/ld+json", "jsonld", "json-ld")),
    "rdfxml": ("application/rdf+xml", ("application/rdf+xml", "rdfxml", "rdf+xml", "rdf")),
}


def _accept(header: str | None) -> list[tuple[str, float]]:
    out = []
    for part in (header or "").split(","):
        part = part.strip()
        if not part:
            continue
        mtype, params = _media_type(part)
        try:
            q = float(params.get("q", "1"))
        except ValueError:
            q = 0.0
        out.append((mtype, q))
    return out


def negotiate(
    accept: str | None,
    formats: dict[str, tuple[str, tuple[str, ...]]],
    explicit: str | None = None,
    default: str | None = None,
) -> str:
    """Pick a format name from ``formats`` for an Accept header (q-values honoured).

    ``explicit`` (a ``format=`` parameter: keyword or media type) wins when it names a
    format of ``formats``. When nothing acceptable is offered the first format (or
    ``default``) is answered rather than a 406, so that lax clients still get data.

    >>> negotiate("application/sparql-results+xml", RESULT_FORMATS)
    'xml'
    >>> negotiate("text/csv;q=0.5, application/json", RESULT_FORMATS)
    'json'
    >>> negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", GRAPH_FORMATS)
    'turtle'
    >>> negotiate(None, RESULT_FORMATS, explicit="tsv")
    'tsv'
    """
    if explicit:
        key = _media_type(explicit)[0] or explicit.strip().lower()
        for name, (_, aliases) in formats.items():
            if key == name or key in aliases:
                return name
    best_name, best_q = None, 0.0
    ranges = _accept(accept)
    for name, (_, aliases) in formats.items():
        q = 0.0
        for mtype, mq in ranges:
            if mtype in aliases and "/" in mtype:
                q = max(q, mq + 0.002)  # an exact match beats a wildcard of the same q
            elif mtype == "*/*" or (mtype.endswith("/*") and any(a.startswith(mtype[:-1]) for a in aliases)):
                q = max(q, mq + (0.001 if mtype != "*/*" else 0.0))
        if q > best_q:
            best_name, best_q = name, q
    return best_name or default or next(iter(formats))


# --------------------------------------------------------------------------- results

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_RDF_DIRLANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _kind(term: Any) -> str:
    return type(term).__name__  # NamedNode, BlankNode, Literal, Triple


def _json_term(term: Any) -> dict[str, Any]:
    kind = _kind(term)
    if kind == "NamedNode":
        return {"type": "uri", "value": term.value}
    if kind == "BlankNode":
        return {"type": "bnode", "value": term.value}
    if kind == "Triple":
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    out: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
        direction = getattr(term, "direction", None)
        if direction is not None:
            out["its:dir"] = str(getattr(direction, "name", direction)).lower()
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml_text(value: str) -> str:
    value = _XML_INVALID.sub("\ufffd", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_attr(value: str) -> str:
    return _xml_text(value).replace('"', "&quot;")


def _xml_term(term: Any) -> str:
    kind = _kind(term)
    if kind == "NamedNode":
        return f"<uri>{_xml_text(term.value)}</uri>"
    if kind == "BlankNode":
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if kind == "Triple":
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    if term.language:
        return f'<literal xml:lang="{_xml_attr(term.language)}">{_xml_text(term.value)}</literal>'
    if term.datatype.value != _XSD_STRING:
        return f'<literal datatype="{_xml_attr(term.datatype.value)}">{_xml_text(term.value)}</literal>'
    return f"<literal>{_xml_text(term.value)}</literal>"


def _csv_field(term: Any) -> str:
    if term is None:
        return ""
    kind = _kind(term)
    if kind == "BlankNode":
        value = f"_:{term.value}"
    elif kind == "Triple":
        value = f"<< {term.subject} {term.predicate} {term.object} >>"
    else:
        value = term.value
    if any(c in value for c in ',"\r\n'):
        value = '"' + value.replace('"', '""') + '"'
    return value


def _tsv_field(term: Any) -> str:
    if term is None:
        return ""
    if _kind(term) == "Triple":
        return f"<<( {term.subject} {term.predicate} {term.object} )>>"
    return str(term)  # N-Triples syntax; pyoxigraph escapes tabs and newlines in literals


def serialize_solutions(variables: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str) -> bytes:
    """SELECT results as SPARQL JSON, XML, CSV or TSV; ``rows`` hold pyoxigraph terms or None.

    >>> from pyoxigraph import Literal, NamedNode
    >>> rows = [[NamedNode("http://e/a"), Literal("甲,乙", language="zh")], [None, Literal("1")]]
    >>> print(serialize_solutions(["s", "o"], rows, "csv").decode())
    s,o\r
    http://e/a,"甲,乙"\r
    ,1\r
    <BLANKLINE>
    >>> serialize_solutions(["s"], [[NamedNode("http://e/a")]], "json")
    b'{"head":{"vars":["s"]},"results":{"bindings":[\\n{"s":{"type":"uri","value":"http://e/a"}}\\n]}}\\n'
    """
    variables = list(variables)
    if fmt == "json":
        parts = ['{"head":{"vars":', json.dumps(variables, ensure_ascii=False), '},"results":{"bindings":[']
        sep = "\n"
        for row in rows:
            binding = {v: _json_term(t) for v, t in zip(variables, row) if t is not None}
            parts.append(sep + json.dumps(binding, ensure_ascii=False, separators=(",", ":")))
            sep = ",\n"
        parts.append("\n]}}\n")
        return "".join(parts).encode("utf-8")
    if fmt == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f'<variable name="{_xml_attr(v)}"/>' for v in variables]
        parts.append("</head><results>\n")
        for row in rows:
            parts.append("<result>")
            for v, t in zip(variables, row):
                if t is not None:
                    parts.append(f'<binding name="{_xml_attr(v)}">{_xml_term(t)}</binding>')
            parts.append("</result>\n")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode("utf-8")
    if fmt == "csv":
        lines = [",".join(_csv_field_name(v) for v in variables)]
        lines += [",".join(_csv_field(t) for t in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_tsv_field(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown result format {fmt!r}")


def _csv_field_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"' if any(c in name for c in ',"\r\n') else name


def serialize_boolean(value: bool, fmt: str) -> tuple[str, bytes]:
    """An ASK result as (media type, body); CSV/TSV are not defined for booleans, JSON is answered.

    >>> serialize_boolean(True, "xml")[1]
    b'<?xml version="1.0"?>\\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/><boolean>true</boolean></sparql>\\n'
    """
    word = "true" if value else "false"
    if fmt == "xml":
        body = f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/><boolean>{word}</boolean></sparql>\n'
        return RESULT_FORMATS["xml"][0], body.encode()
    return RESULT_FORMATS["json"][0], ('{"head":{},"boolean":' + word + "}\n").encode()


# --------------------------------------------------------------------------- service description


def service_description(endpoint: str, *, update: bool, union_default: bool = True) -> str:
    """A SPARQL 1.1 Service Description of the endpoint, in Turtle.

    >>> "sd:endpoint <http://127.0.0.1:8000/sparql>" in service_description("http://127.0.0.1:8000/sparql", update=False)
    True
    """
    langs = ["sd:SPARQL11Query"] + (["sd:SPARQL11Update"] if update else [])
    results = [
        "<http://www.w3.org/ns/formats/SPARQL_Results_JSON>",
        "<http://www.w3.org/ns/formats/SPARQL_Results_XML>",
        "<http://www.w3.org/ns/formats/SPARQL_Results_CSV>",
        "<http://www.w3.org/ns/formats/SPARQL_Results_TSV>",
        "<http://www.w3.org/ns/formats/Turtle>",
        "<http://www.w3.org/ns/formats/N-Triples>",
        "<http://www.w3.org/ns/formats/JSON-LD>",
        "<http://www.w3.org/ns/formats/RDF_XML>",
    ]
    features = ["sd:UnionDefaultGraph"] if union_default else []
    lines = [
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "",
        "[] a sd:Service ;",
        f"    sd:endpoint <{endpoint}> ;",
        f"    sd:supportedLanguage {', '.join(langs)} ;",
        f"    sd:resultFormat {', '.join(results)} ;",
    ]
    if features:
        lines.append(f"    sd:feature {', '.join(features)} ;")
    lines += [
        '    rdfs:comment "policy-kg SPARQL endpoint: one named graph per report; the default graph is the union '
        'of all graphs. Queries run under a time limit, a memory limit and a row limit; SERVICE is refused unless '
        'enabled."@en ;',
        "    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .",
        "",
    ]
    return "\n".join(lines)
