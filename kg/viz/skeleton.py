"""The skeleton of a large store: every node's class and every edge, read fast.

No labels or details (:mod:`kg.viz.details` reads those for the nodes shown); fundings
with the same funder, recipient and programme may be read as one weighted pseudo-node,
whose members :func:`_group_members` looks up when a cluster names a few of them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

from pyoxigraph import NamedNode, QueryResultsFormat, Store

from kg import ids
from kg.viz.common import _CLASS_PRIORITY, TEXT_PREFIX, _class_from_iri
from kg.viz.full import _LINKS, _PREFIXES
from kg.vocab import PKG_NS, local_name

# --- the skeleton of a large store: nodes and edges only, read fast --------------------------

_ENTITY_CLASSES = ("pkg:Actor pkg:GovernmentAgency pkg:PartyOrganization pkg:Enterprise "
                   "pkg:FinancialInstitution pkg:Cooperative pkg:SocialOrganization pkg:Person "
                   "pkg:Region pkg:Program pkg:PolicyDocument pkg:Funding")
# DISTINCT and no ?g: oxigraph deduplicates the per-report repetitions on encoded terms,
# so only distinct rows are decoded (decoding strings is what costs at 10^5 nodes).
_SK_TYPES = _PREFIXES + "SELECT DISTINCT ?s ?cls WHERE { ?s a ?cls . VALUES ?cls { %s } }"
# Fundings are ~90 % of the nodes and each is a link endpoint with an IRI that names its class:
# count them instead of listing them, and list them only if some funding has no link at all.
_SK_FUNDING_COUNT = _PREFIXES + "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a pkg:Funding }"
_SK_LINK = _PREFIXES + "SELECT DISTINCT ?s ?o WHERE { ?s %s ?o }"
_SK_LINK_PREDICATES = {
    "funder": "schema:funder", "funderText": "pkg:funderText", "recipient": "schema:recipient",
    "recipientText": "pkg:recipientText", "program": "pkg:program", "programText": "pkg:programText",
    "issuer": "pkg:issuer", "issuerText": "pkg:issuerText", "region": "pkg:region", "partOf": "pkg:partOf",
}
# rdfize writes pkg:agent or pkg:agentText (never both) and always pkg:objectText, with
# pkg:object as well when the object is a known node (then the node is the target).
# Each pattern is its own subquery so that oxigraph hash-joins four scans: joined as one
# group it probes the store once per measure and triple, 4x slower at 2*10^5 measures.
_SK_MEASURES = _PREFIXES + """
SELECT DISTINCT ?action ?a ?text ?b ?bt WHERE {
  { SELECT ?m ?a WHERE { ?m pkg:agent|pkg:agentText ?a } } { SELECT ?m ?action WHERE { ?m pkg:action ?action } }
  { SELECT ?m ?bt WHERE { ?m pkg:objectText ?bt } } OPTIONAL { SELECT ?m ?b WHERE { ?m pkg:object ?b } }
  BIND(isLiteral(?a) AS ?text)
}"""

_FUNDING_IRI = ids.ID + "funding/"
_NT_ESCAPES = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_NT_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _nt_value(term: str) -> str | None:
    """The value of one N-Triples term as the SPARQL TSV results write it (None if unbound)."""
    if not term:
        return None
    if term[0] == "<":
        return term[1:-1]
    if term[0] == '"':
        body = term[1 : term.rindex('"')]
        if "\\" in body:
            body = _NT_ESCAPES.sub(
                lambda m: chr(int(m.group(1) or m.group(2), 16)) if m.group(3) is None
                else _NT_SIMPLE.get(m.group(3), m.group(3)), body)
        return body
    return term  # a blank node or a bare number


# Fundings read grouped: one row per distinct (funder, recipient, programme) with the number
# of fundings and the first IRI, so the ~10^5 funding IRIs are neither decoded nor listed.
# Each role is its own DISTINCT subquery (hash joins, as for measures); a funding with two
# values for one role lands in two rows, which the count check below catches.
_ROLE_PREDICATES = ("funder", "funderText", "recipient", "recipientText", "program", "programText")
_ROLE_CURIES = tuple(_SK_LINK_PREDICATES[p] for p in _ROLE_PREDICATES)
_SK_GROUPS = _PREFIXES + (
    "SELECT ?v0 ?v1 ?v2 ?v3 ?v4 ?v5 (COUNT(*) AS ?n) (MIN(?f) AS ?first) WHERE {\n"
    "  { SELECT DISTINCT ?f WHERE { ?f a pkg:Funding } }\n"
    + "".join(f"  OPTIONAL {{ SELECT DISTINCT ?f ?v{i} ?v{i + 1} WHERE {{ {{ ?f {_ROLE_CURIES[i]} ?v{i} }} "
              f"UNION {{ ?f {_ROLE_CURIES[i + 1]} ?v{i + 1} }} }} }}\n" for i in (0, 2, 4))
    + "} GROUP BY ?v0 ?v1 ?v2 ?v3 ?v4 ?v5"
)
# Distinct (subject, value) pairs per role predicate: equal to what the groups account for
# only if every subject of a role is a typed funding.
_SK_ROLE_PAIRS = _PREFIXES + (
    f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {{ SELECT DISTINCT ?p ?f ?x WHERE {{ ?f ?p ?x "
    f"VALUES ?p {{ {' '.join(_ROLE_CURIES)} }} }} }} }} GROUP BY ?p"
)
# Terms pasted back into the member query must be plain N-Triples IRIs and string literals.
_SAFE_IRI = re.compile(r'<[^<>"{}|^`\\\s]*>')
_SAFE_LITERAL = re.compile(r'"(?:[^"\\\n\r]|\\.)*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^<[^<>"{}|^`\\\s]*>)?')
#: Pseudo-nodes of more fundings than this are not read whole to name a few of them.
_SCAN_MIN = 1000
_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_FUNDING_CLASS = NamedNode(PKG_NS + "Funding")


class _Skeleton(NamedTuple):
    """Nodes and edges of a store; fundings with the same neighbours may stand as one weighted pseudo-node."""

    classes: dict[str, str]
    edges: list[tuple[str, str, str]]
    weights: dict[str, int]  # pseudo-node (its first funding's IRI) -> number of fundings
    terms: dict[str, tuple[str, ...]]  # pseudo-node -> its role values as N-Triples terms ("" if none)

    @property
    def total_nodes(self) -> int:
        """The number of real nodes (every funding of a pseudo-node counted)."""
        return len(self.classes) + sum(w - 1 for w in self.weights.values())


def _tsv_terms(raw_store: Any, sparql: str) -> list[list[str]]:
    """Rows of a SELECT as raw TSV terms (N-Triples syntax, "" if unbound)."""
    data = raw_store.query(sparql, use_default_graph_as_union=True).serialize(format=QueryResultsFormat.TSV)
    return [line.split("\t") for line in data.decode("utf-8").split("\n")[1:] if line]


def _tsv_rows(raw_store: Any, sparql: str) -> list[list[str | None]]:
    """Rows of a SELECT as values; serialized by oxigraph as TSV, much cheaper than Python objects per row."""
    return [[_nt_value(t) for t in row] for row in _tsv_terms(raw_store, sparql)]


def _funding_groups(
    rows: dict[str, list[list[str]]], include_text: bool
) -> tuple[dict[str, int], dict[str, tuple[str, ...]], set[tuple[str, str, str]]] | None:
    """Weighted funding pseudo-nodes and their edges from the grouped read, or None if some funding is unusual.

    Usual: at most one value per role, role links to IRIs and stated names as plain
    literals, and every subject of a role predicate typed as a funding.
    """
    weights: dict[str, int] = {}
    terms: dict[str, tuple[str, ...]] = {}
    edges: set[tuple[str, str, str]] = set()
    per_role: Counter[str] = Counter()
    for *values, n, first in rows["groups"]:
        if not _SAFE_IRI.fullmatch(first):
            return None
        gid, k = first[1:-1], int(_nt_value(n) or 0)
        if gid in weights:
            return None  # one funding first in two groups: two values for one role
        weights[gid], terms[gid] = k, tuple(values)
        for p, term in zip(_ROLE_PREDICATES, values):
            if not term:
                continue
            text = p.endswith("Text")
            if not (_SAFE_LITERAL if text else _SAFE_IRI).fullmatch(term):
                return None
            per_role[p] += k
            if text and not include_text:
                continue
            value = _nt_value(term) or ""
            rel, forward = _LINKS[p]
            target = TEXT_PREFIX + value if text else value
            edges.add((gid, target, rel) if forward else (target, gid, rel))
    if sum(weights.values()) != int(_nt_value(rows["fundings"][0][0]) or 0):
        return None  # a funding in two groups: two values for one role
    pairs = {local_name(_nt_value(p) or ""): int(_nt_value(n) or 0) for p, n in rows["pairs"]}
    if any(pairs.get(p, 0) != per_role[p] for p in _ROLE_PREDICATES):
        return None  # a role on something that is not a typed funding
    return weights, terms, edges


def _is_funding(raw_store: Store, iri: str) -> bool:
    """Whether the store types ``iri`` as a funding (one index seek)."""
    try:
        node = NamedNode(iri)
    except ValueError:
        return False  # not an IRI (a bare literal value as a node): cannot be typed
    return next(iter(raw_store.quads_for_pattern(node, _RDF_TYPE, _FUNDING_CLASS, None)), None) is not None


def _member_branch(terms: tuple[str, ...]) -> str:
    """Graph pattern matching exactly the fundings of one pseudo-node (its role values, no others)."""
    bound = [f"?f {c} {t} ." for c, t in zip(_ROLE_CURIES, terms) if t]
    absent = [f"FILTER NOT EXISTS {{ ?f {c} [] }}" for c, t in zip(_ROLE_CURIES, terms) if not t]
    return " ".join([*bound, "?f a pkg:Funding .", *absent])


def _group_members(
    raw_store: Any, terms: dict[str, tuple[str, ...]], weights: dict[str, int], wanted: dict[str, int]
) -> dict[str, list[str]]:
    """The first ``wanted[g]`` funding IRIs (sorted) of some pseudo-nodes ``g``, or more.

    Checking that a funding belongs costs ~30 µs (a seek per role), so a large pseudo-node
    is not read whole: the IRIs sharing one of its role values are sorted and checked in
    that order until enough belong. Small ones are read whole, a UNION branch each.
    """
    members: dict[str, set[str]] = defaultdict(set)
    small = [g for g in sorted(wanted) if weights.get(g, 1) <= _SCAN_MIN]
    for g in sorted(set(wanted) - set(small)):
        t = next(((c, x) for c, x in zip(_ROLE_CURIES, terms[g]) if x), None)
        pattern = f"?f {t[0]} {t[1]}" if t else "?f a pkg:Funding"
        candidates = sorted(f or "" for f, in _tsv_rows(raw_store, _PREFIXES + f"SELECT DISTINCT ?f WHERE {{ {pattern} }}"))
        if not all(_SAFE_IRI.fullmatch(f"<{f}>") for f in candidates):
            small.append(g)  # cannot be pasted into VALUES: read it whole
            continue
        k, step = 0, 64
        while k < len(candidates) and len(members[g]) < wanted[g]:
            batch = " ".join(f"<{f}>" for f in candidates[k : k + step])
            members[g].update(f or "" for f, in _tsv_rows(
                raw_store, _PREFIXES + f"SELECT ?f WHERE {{ VALUES ?f {{ {batch} }} {_member_branch(terms[g])} }}"))
            k, step = k + step, step * 2
    branches = [f"{{ {_member_branch(terms[g])} BIND({i} AS ?i) }}" for i, g in enumerate(small)]
    # oxigraph plans a long UNION slowly (0.6 s for 300 branches, 0.15 s in batches of 10)
    queries = [_PREFIXES + "SELECT DISTINCT ?i ?f WHERE { " + " UNION ".join(branches[k : k + 10]) + " }"
               for k in range(0, len(branches), 10)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for rows in pool.map(lambda q: _tsv_rows(raw_store, q), queries):
            for i, f in rows:
                members[small[int(i or 0)]].add(f or "")
    return {g: sorted(ms) for g, ms in members.items()}


def _skeleton(store: Any, include_text: bool, group_fundings: bool = True) -> _Skeleton:
    """Every node's class and every distinct edge ``(u, v, rel)``, as :func:`_graph_from_store` would build them.

    With ``group_fundings`` (local stores), fundings that share funder, recipient and
    programme become one pseudo-node weighted by their number, unless some funding has an
    unusual shape. The queries run in 2 threads (oxigraph releases the GIL while it
    evaluates; the machine has 2 cores), the longest first.
    """
    raw_store = getattr(store, "store", store)
    group_fundings = group_fundings and isinstance(raw_store, Store)
    jobs = {"measures": _SK_MEASURES}
    if group_fundings:
        jobs.update(groups=_SK_GROUPS, pairs=_SK_ROLE_PAIRS)
    jobs.update(types=_SK_TYPES % _ENTITY_CLASSES.replace(" pkg:Funding", ""), fundings=_SK_FUNDING_COUNT)
    link_jobs = {p: _SK_LINK % curie for p, curie in _SK_LINK_PREDICATES.items()
                 if include_text or not p.endswith("Text")}
    roles = {p: q for p, q in link_jobs.items() if p in _ROLE_PREDICATES}
    jobs.update({p: q for p, q in link_jobs.items() if not (group_fundings and p in roles)})
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(_tsv_terms, raw_store, q) for name, q in jobs.items()}
        raw_rows = {name: f.result() for name, f in futures.items()}
    grouped = _funding_groups(raw_rows, include_text) if group_fundings else None
    rows = {name: [[_nt_value(t) for t in r] for r in rs] for name, rs in raw_rows.items() if name != "groups"}
    typed: dict[str, set[str]] = defaultdict(set)
    for s, cls in rows["types"]:
        typed[s].add(local_name(cls))
    edges: set[tuple[str, str, str]] = set()
    for p, (rel, forward) in _LINKS.items():
        for s, o in rows.get(p, ()):
            target = TEXT_PREFIX + o if p.endswith("Text") else o
            edges.add((s, target, rel) if forward else (target, s, rel))
    for action, a, text, b, bt in rows["measures"]:
        if text == "true":
            if not include_text:
                continue
            a = TEXT_PREFIX + a
        if b is None:
            if not include_text:
                continue
            b = TEXT_PREFIX + bt
        edges.add((a, b, action))
    edges = {(u, v, rel) for u, v, rel in edges if u != v}
    weights: dict[str, int] = {}
    terms: dict[str, tuple[str, ...]] = {}
    if grouped is not None:
        weights, terms, group_edges = grouped
        # a funding that is also typed otherwise or linked by anything but its roles would be
        # two nodes: look each decoded IRI up (a few thousand index seeks)
        seen = {x for e in edges for x in e[:2]} | set(typed)
        seen |= {t[1:-1] for ts in terms.values() for t in ts if t.startswith("<")}  # linked role values
        if any(_is_funding(raw_store, x) for x in seen if not x.startswith((TEXT_PREFIX, "_:"))):
            grouped = None
        else:
            edges |= group_edges
            for gid in weights:
                typed[gid].add("Funding")
    if group_fundings and grouped is None:  # unusual fundings: read them one by one
        weights, terms = {}, {}
        with ThreadPoolExecutor(max_workers=2) as pool:
            extra = dict(zip(roles, pool.map(lambda q: _tsv_rows(raw_store, q), roles.values())))
        for p, (rel, forward) in _LINKS.items():
            for s, o in extra.get(p, ()):
                target = TEXT_PREFIX + o if p.endswith("Text") else o
                if s != target:
                    edges.add((s, target, rel) if forward else (target, s, rel))
    if not weights:
        linked = {x for e in edges for x in e[:2] if x.startswith(_FUNDING_IRI)}
        if len(linked) != int(rows["fundings"][0][0] or 0):
            for s, cls in _tsv_rows(raw_store, _SK_TYPES % "pkg:Funding"):
                typed[s].add(local_name(cls))
    classes: dict[str, str] = {}
    for iri, cs in typed.items():
        classes[iri] = min(cs, key=lambda c: _CLASS_PRIORITY.get(c, len(_CLASS_PRIORITY)))
    for u, v, _ in edges:
        for x in (u, v):
            if x not in classes:
                classes[x] = "Text" if x.startswith(TEXT_PREFIX) else _class_from_iri(x)
    return _Skeleton(classes, sorted(edges), weights, terms)
