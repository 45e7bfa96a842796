"""Data for the browse pages, read from a pyoxigraph store inside a worker process.

Each function takes a :class:`pyoxigraph.Store` (the worker's read-only opening) and
returns plain dicts and lists. Lookups go through the store's indexes: an entity page
asks about one IRI (subject or object bound), search first asks for exact labels (an
object lookup) and only then scans the label predicates with a LIMIT.

IRIs and literals are never pasted into SPARQL as raw text: they go through
``str(NamedNode(...))`` / ``str(Literal(...))``, which validate and escape them.

Mind the union default graph: an entity named by N reports has its label, type and links
once in each report graph, and oxigraph's union keeps all N copies, so a join of two such
patterns yields N² rows (on 10⁶ quads, "programmes with their labels" took 11 s). The
lookups below are therefore single triple patterns with bound subjects (or DISTINCT
subqueries before a join), assembled in Python.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote, unquote

from pyoxigraph import Literal, NamedNode, RdfFormat, Store, parse

from kg.model import ACTOR_TYPES
from kg.serve.jobs import JobFailure
from kg.viz.common import CLASS_STYLES
from kg.vocab import (
    DCTERMS_NS,
    PKG_NS,
    PROV_NS,
    RDF_NS,
    RDFS_NS,
    SCHEMA_NS,
    SKOS_NS,
    SPARQL_PREFIXES,
    local_name,
)

__all__ = ["home", "search", "entity", "indicator_series", "report", "network", "analytics", "highlight", "CLASS_NAMES"]

_P = SPARQL_PREFIXES

#: class local name -> display name (Chinese and English): the network's legend names, and the
#: classes pages show that the network does not draw
CLASS_NAMES: dict[str, str] = {cls: label for cls, (_, _, label) in CLASS_STYLES.items() if cls != "Text"} | {
    "Measure": "举措 Measure",
    "Sentence": "句子 Sentence",
    "Mention": "提及 Mention",
}
_ENTITY_CLASSES = {*ACTOR_TYPES, "Actor", "Region", "Program", "PolicyDocument"}
_FACT_CLASSES = {"Funding", "Measure"}
_CLASS_ORDER = {c: i for i, c in enumerate(CLASS_NAMES)}

_SKIP_OUT = {RDF_NS + "type", SKOS_NS + "prefLabel", SKOS_NS + "altLabel", DCTERMS_NS + "title",
             PROV_NS + "wasDerivedFrom", PROV_NS + "hadPrimarySource"}
_LABEL_PREDICATES = (SKOS_NS + "prefLabel", DCTERMS_NS + "title", RDFS_NS + "label")


def _iri(value: str) -> NamedNode:
    try:
        return NamedNode(value)
    except ValueError as e:
        raise JobFailure(400, f"not a valid IRI: {value!r} ({e})") from None


def _q(store: Store, sparql: str) -> Any:
    return store.query(_P + sparql, use_default_graph_as_union=True)


def _v(term: Any) -> str | None:
    return None if term is None else term.value


def _pkg_class(iri: str) -> str | None:
    return iri[len(PKG_NS):] if iri.startswith(PKG_NS) else None


def main_class(classes: set[str]) -> str:
    """The most specific class to show: an actor type before Actor, and so on."""
    known = [c for c in classes if c in _CLASS_ORDER]
    if not known:
        return "Thing"
    return min(known, key=_CLASS_ORDER.__getitem__)


def format_amount(amount: Any) -> str:
    from kg.analyze import format_amount as fmt

    return fmt(amount)


def _decimal(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def _values(iris: list[str]) -> str:
    return " ".join(str(_iri(i)) for i in iris)


@functools.lru_cache(maxsize=1)
def predicate_labels() -> dict[str, str]:
    """rdfs:label of every ontology term, "中文 English", read from ontology/policy.ttl."""
    from kg.resources import ontology_path

    labels: dict[str, dict[str, str]] = defaultdict(dict)
    try:
        for q in parse(path=str(ontology_path()), format=RdfFormat.TURTLE):
            if q.predicate.value == RDFS_NS + "label" and isinstance(q.object, Literal):
                labels[q.subject.value][q.object.language or ""] = q.object.value
    except (OSError, SyntaxError):
        return {}
    extra = {
        SCHEMA_NS + "funder": ("出资方", "funder"),
        SCHEMA_NS + "recipient": ("接收方", "recipient"),
        SCHEMA_NS + "amount": ("金额", "amount"),
        SCHEMA_NS + "currency": ("币种", "currency"),
        SCHEMA_NS + "url": ("网址", "url"),
        DCTERMS_NS + "identifier": ("标识", "identifier"),
        DCTERMS_NS + "publisher": ("发布者", "publisher"),
        DCTERMS_NS + "date": ("日期", "date"),
        DCTERMS_NS + "source": ("来源", "source"),
        DCTERMS_NS + "isPartOf": ("所属报告", "part of"),
        PROV_NS + "hadPrimarySource": ("来源报告", "primary source"),
        PROV_NS + "wasDerivedFrom": ("证据", "derived from"),
    }
    out = {iri: " ".join(x for x in (d.get("zh"), d.get("en")) if x) for iri, d in labels.items()}
    for iri, (zh, en) in extra.items():
        out.setdefault(iri, f"{zh} {en}")
    return out


def _pred_label(iri: str) -> str:
    return predicate_labels().get(iri) or local_name(iri)


def _props(store: Store, subjects: list[str], predicates: list[str]) -> dict[str, dict[str, list[Any]]]:
    """subject -> predicate -> distinct objects (terms): one index lookup per (subject, predicate).

    (SPARQL with ``VALUES ?s {…} VALUES ?p {…} ?s ?p ?o`` was planned as a scan of every quad.)
    """
    out: dict[str, dict[str, list[Any]]] = {}
    preds = [NamedNode(p) for p in predicates]
    for y in sorted(set(subjects)):
        node = _iri(y)
        mine: dict[str, list[Any]] = {}
        for p in preds:
            seen: dict[Any, None] = {}
            for q in store.quads_for_pattern(node, p, None, None):
                seen.setdefault(q.object, None)
            if seen:
                mine[p.value] = list(seen)
        out[y] = mine
    return out


_DESCRIBE_PREDICATES = [RDF_NS + "type", SKOS_NS + "prefLabel", DCTERMS_NS + "title", SCHEMA_NS + "amount",
                        PKG_NS + "action", PKG_NS + "objectText"]


def _describe(store: Store, iris: list[str]) -> dict[str, dict[str, Any]]:
    """Label, main class and a short description of each IRI (batched index lookups)."""
    props = _props(store, iris, _DESCRIBE_PREDICATES)
    out: dict[str, dict[str, Any]] = {}
    for y in set(iris):
        p = props.get(y, {})
        d: dict[str, Any] = {
            "labels": {t.value for t in p.get(SKOS_NS + "prefLabel", []) + p.get(DCTERMS_NS + "title", [])},
            "classes": {c for t in p.get(RDF_NS + "type", []) if (c := _pkg_class(t.value))},
        }
        if p.get(SCHEMA_NS + "amount"):
            d["amount"] = p[SCHEMA_NS + "amount"][0].value
        if p.get(PKG_NS + "action"):
            d["action"] = p[PKG_NS + "action"][0].value
            d["objectText"] = p[PKG_NS + "objectText"][0].value if p.get(PKG_NS + "objectText") else None
        out[y] = _display(y, d)
    return out


def _display(iri: str, d: dict[str, Any]) -> dict[str, Any]:
    cls = main_class(d["classes"])
    label = min(d["labels"], key=lambda s: (len(s), s)) if d["labels"] else None
    if label is None and d.get("amount") is not None:
        label = f"{format_amount(d['amount'])}"
    if label is None and d.get("action"):
        label = f"{d['action']} {d.get('objectText') or ''}".strip()
    if label is None:
        label = unquote(local_name(iri)) or iri
    return {"iri": iri, "label": label, "cls": cls, "cls_name": CLASS_NAMES.get(cls, cls)}


# --------------------------------------------------------------------------- home

_STAT_CLASSES = {
    "reports": "Report", "actors": "Actor", "regions": "Region", "programmes": "Program",
    "documents": "PolicyDocument", "fundings": "Funding", "measures": "Measure",
}


def home(store: Store) -> dict[str, Any]:
    """Counts of each kind of node, the reports, and the largest fundings."""
    values = " ".join(f"pkg:{c}" for c in _STAT_CLASSES.values())
    by_class = {
        row["c"].value: int(row["n"].value)
        for row in _q(store, f"SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE {{ VALUES ?c {{ {values} }} ?x a ?c }} GROUP BY ?c")
    }
    counts = {k: by_class.get(PKG_NS + c, 0) for k, c in _STAT_CLASSES.items()}
    reports = []
    for row in _q(store, """
SELECT * WHERE { {
  SELECT ?g (SAMPLE(?i) AS ?id) (SAMPLE(?t) AS ?title) (SAMPLE(?d) AS ?date) WHERE {
    GRAPH ?g { ?g a pkg:Report . OPTIONAL { ?g dcterms:identifier ?i } OPTIONAL { ?g dcterms:title ?t }
               OPTIONAL { ?g dcterms:date ?d } }
  } GROUP BY ?g
} } ORDER BY DESC(STR(?date)) ?id LIMIT 200"""):  # sorted outside the grouping: Virtuoso sorts by no aggregate's name
        reports.append({"iri": row["g"].value, "id": _v(row["id"]) or unquote(local_name(row["g"].value)),
                        "title": _v(row["title"]), "date": _v(row["date"])})
    fundings = []
    rows = list(_q(store, "SELECT ?f ?amount WHERE { ?f a pkg:Funding ; schema:amount ?amount } ORDER BY DESC(?amount) LIMIT 10"))
    info = _fundings(store, [r["f"].value for r in rows])
    for r in rows:
        f = info.get(r["f"].value)
        if f:
            fundings.append(f)
    return {"counts": counts, "reports": reports, "fundings": fundings, "quads": len(store)}


# --------------------------------------------------------------------------- search


def search(store: Store, q: str, limit: int = 50) -> dict[str, Any]:
    """Entities whose name, alias or title matches ``q`` (any script: traditional is simplified too).

    Exact matches come from the index; then a bounded scan of the label predicates finds
    names containing ``q``. Ranked: exact name, exact alias, prefix, substring; shorter first.
    """
    from kg.query import find_names  # the lookup `kg query NAME --param name=…` uses too

    q = " ".join(q.split())[:200]
    if not q:
        return {"q": q, "hits": [], "more": False}
    matches = find_names(store, q)
    variants = matches.variants
    found = {x: {"rank": h.rank, "matched": set(h.matched)} for x, h in matches.hits.items()}
    if q.startswith(("http://", "https://", "urn:")):
        try:
            node = NamedNode(q)
            if any(True for _ in store.quads_for_pattern(node, None, None)):
                found.setdefault(q, {"rank": -1, "matched": {q}})
        except ValueError:
            pass
    described = _describe(store, list(found))
    hits = []
    for x, h in found.items():
        d = described[x]
        if d["cls"] in ("Sentence", "Mention"):
            continue
        hits.append({**d, "rank": h["rank"], "matched": sorted(h["matched"] - {d["label"]}, key=len)[:5]})
    hits.sort(key=lambda h: (h["rank"], _CLASS_ORDER.get(h["cls"], 99), len(h["label"]), h["label"]))
    return {"q": q, "variants": variants, "hits": hits[:limit], "more": len(hits) > limit or matches.truncated}


# --------------------------------------------------------------------------- entity


_FUNDING_FIELDS = {
    "amount": SCHEMA_NS + "amount", "kind": PKG_NS + "fundingKind", "year": PKG_NS + "year",
    "funder": SCHEMA_NS + "funder", "funderText": PKG_NS + "funderText", "recipient": SCHEMA_NS + "recipient",
    "recipientText": PKG_NS + "recipientText", "program": PKG_NS + "program", "programText": PKG_NS + "programText",
    "count": PKG_NS + "count", "unit": PKG_NS + "countUnit", "g": PROV_NS + "hadPrimarySource",
}


def _fundings(store: Store, fs: list[str]) -> dict[str, dict[str, Any]]:
    """Details of fundings: amount, kind, year, funder/recipient/programme (linked or stated)."""
    props = _props(store, fs, list(_FUNDING_FIELDS.values()))
    out: dict[str, dict[str, Any]] = {}
    links: list[str] = []
    for f, p in props.items():
        if not p.get(SCHEMA_NS + "amount"):
            continue
        d: dict[str, Any] = {k: (min(t.value for t in p[iri]) if p.get(iri) else None) for k, iri in _FUNDING_FIELDS.items()}
        d["iri"] = f
        d["kind"] = local_name(d["kind"]) if d["kind"] else None
        d["amount_text"] = format_amount(d["amount"]) if d["amount"] else ""
        out[f] = d
        links += [x for x in (d["funder"], d["recipient"], d["program"], d["g"]) if x]
    described = _describe(store, links)
    for d in out.values():
        for key in ("funder", "recipient", "program"):
            d[key + "_node"] = described.get(d[key]) if d[key] else None
        d["report"] = described.get(d["g"]) if d["g"] else None
    return out


def _where(page: str | None, paragraph: str | None) -> str | None:
    """Where a sentence sits in a PDF or Word report, as the pages show it.

    >>> _where("3", None), _where(None, "12"), _where(None, None)
    ('p. 3', '¶ 12', None)
    """
    return f"p. {page}" if page else f"¶ {paragraph}" if paragraph else None


def _evidence(store: Store, x: NamedNode, texts: list[str]) -> list[dict[str, Any]]:
    text_branch = ""
    if texts:
        text_branch = (f"UNION {{ VALUES ?t {{ {' '.join(str(Literal(t)) for t in texts)} }} "
                       "?fact pkg:funderText|pkg:recipientText|pkg:programText|pkg:agentText|pkg:issuerText ?t . "
                       "?fact prov:wasDerivedFrom ?m }")
    rows = _q(store, f"""
SELECT DISTINCT ?fact ?m ?surface ?start ?end ?s ?stext ?sstart ?page ?para ?g WHERE {{
  {{ {x} prov:wasDerivedFrom ?m . BIND({x} AS ?fact) }}
  UNION {{ ?fact schema:funder|schema:recipient|pkg:program|pkg:agent|pkg:object|pkg:issuer {x} .
           ?fact prov:wasDerivedFrom ?m }}
  {text_branch}
  GRAPH ?g {{ ?m pkg:surface ?surface ; pkg:start ?start ; pkg:end ?end .
    OPTIONAL {{ ?m pkg:sentence ?s . ?s pkg:text ?stext ; pkg:start ?sstart
      OPTIONAL {{ ?s pkg:page ?page }} OPTIONAL {{ ?s pkg:paragraph ?para }} }} }}
}} LIMIT 300""")
    by_sentence: dict[tuple[str, str], dict[str, Any]] = {}
    facts: list[str] = []
    for row in rows:
        g = row["g"].value
        key = (g, _v(row["s"]) or row["m"].value)
        start = int(row["start"].value)
        item = by_sentence.get(key)
        if item is None:
            sstart = int(row["sstart"].value) if row["sstart"] is not None else start
            item = by_sentence[key] = {
                "g": g, "text": _v(row["stext"]) or row["surface"].value, "start": sstart, "spans": [],
                "facts": [], "where": _where(_v(row["page"]), _v(row["para"])),
            }
        fact = row["fact"].value
        item["spans"].append((start - item["start"], row["surface"].value, fact))
        if fact != x.value and fact not in item["facts"]:
            item["facts"].append(fact)
            facts.append(fact)
    described = _describe(store, facts + [k[0] for k in by_sentence])
    out = []
    for item in sorted(by_sentence.values(), key=lambda d: (d["g"], d["start"])):
        spans = []
        for offset, surface, fact in item["spans"]:
            cls = "self" if fact == x.value else described[fact]["cls"]
            spans.append({"offset": offset, "surface": surface, "target": fact, "cls": cls})
        item["segments"] = highlight(item["text"], spans)
        item["report"] = described[item["g"]]
        item["facts"] = [described[f] for f in item["facts"]]
        out.append(item)
    return out


def entity(store: Store, iri: str) -> dict[str, Any]:
    """Everything the entity page shows about one IRI."""
    x = _iri(iri)
    classes: set[str] = set()
    labels: dict[str, set[str]] = defaultdict(set)
    out_rows: dict[tuple[str, str, str], set[str]] = defaultdict(set)  # (p, kind, value) -> graphs
    attrs: list[tuple[str, str]] = []
    n_out = 0
    skip = f"{str(NamedNode(PROV_NS + 'wasDerivedFrom'))}, {str(NamedNode(PROV_NS + 'hadPrimarySource'))}"
    for row in _q(store, f"SELECT ?p ?o (SAMPLE(?g0) AS ?g) WHERE {{ GRAPH ?g0 {{ {x} ?p ?o }} "
                         f"FILTER(?p NOT IN ({skip})) }} GROUP BY ?p ?o LIMIT 3000"):
        n_out += 1
        p, o, g = row["p"].value, row["o"], row["g"].value
        if p == RDF_NS + "type":
            if c := _pkg_class(o.value):
                classes.add(c)
            continue
        if p in (SKOS_NS + "prefLabel", SKOS_NS + "altLabel", DCTERMS_NS + "title", RDFS_NS + "label"):
            labels[p].add(o.value)
            continue
        if p in _SKIP_OUT:
            continue
        kind = "iri" if isinstance(o, NamedNode) else "literal"
        out_rows[(p, kind, o.value)].add(g)
    in_rows: dict[tuple[str, str], set[str]] = defaultdict(set)  # (s, p) -> graphs
    n_in = 0
    skip_in = f"{str(NamedNode(PROV_NS + 'hadPrimarySource'))}, {str(NamedNode(DCTERMS_NS + 'isPartOf'))}"
    for row in _q(store, f"SELECT ?s ?p (SAMPLE(?g0) AS ?g) WHERE {{ GRAPH ?g0 {{ ?s ?p {x} }} "
                         f"FILTER(?p NOT IN ({skip_in})) }} GROUP BY ?s ?p LIMIT 3000"):
        n_in += 1
        in_rows[(row["s"].value, row["p"].value)].add(row["g"].value)
    if not n_out and not n_in and not any(True for _ in store.quads_for_pattern(x, None, None)):
        raise JobFailure(404, f"nothing is known about <{iri}>")
    pref = labels.get(SKOS_NS + "prefLabel") or labels.get(DCTERMS_NS + "title") or labels.get(RDFS_NS + "label")
    label = min(pref, key=lambda s: (len(s), s)) if pref else unquote(local_name(iri))
    aliases = sorted((labels.get(SKOS_NS + "altLabel", set()) | (pref or set())) - {label}, key=lambda s: (len(s), s))
    cls = main_class(classes)

    neighbours = [v for (p, kind, v) in out_rows if kind == "iri"] + [s for (s, _) in in_rows]
    reports = {g for gs in out_rows.values() for g in gs} | {g for gs in in_rows.values() for g in gs}
    for row in _q(store, f"SELECT DISTINCT ?g WHERE {{ {x} prov:hadPrimarySource ?g }} LIMIT 500"):
        reports.add(row["g"].value)
    described = _describe(store, neighbours + sorted(reports))

    outgoing = []
    for (p, kind, value), graphs in sorted(out_rows.items(), key=lambda kv: (_pred_label(kv[0][0]), kv[0][2])):
        item = {"predicate": p, "predicate_label": _pred_label(p), "reports": sorted(graphs)}
        if kind == "iri":
            item["node"] = described[value]
        else:
            item["value"] = value
            if p == SCHEMA_NS + "amount":
                item["value"] = f"{format_amount(value)} ({value} CNY)"
        attrs.append((p, value))
        outgoing.append(item)
    incoming = []
    facts_in: dict[str, list[str]] = defaultdict(list)  # funding/measure -> predicates
    for (s, p), graphs in sorted(in_rows.items(), key=lambda kv: (_pred_label(kv[0][1]), described[kv[0][0]]["label"])):
        node = described[s]
        if node["cls"] == "Funding" and p in (SCHEMA_NS + "funder", SCHEMA_NS + "recipient", PKG_NS + "program"):
            facts_in[s].append(p)
            continue
        incoming.append({"predicate": p, "predicate_label": _pred_label(p), "node": node, "reports": sorted(graphs)})

    # fundings given / received / under this programme (linked, or stated by the same name)
    names = sorted(pref or set())
    text_preds = {"given": "pkg:funderText", "received": "pkg:recipientText", "programme": "pkg:programText"}
    role_of: dict[str, str] = {}
    for f, preds in facts_in.items():
        for p in preds:
            role_of[f] = {"funder": "given", "recipient": "received"}.get(local_name(p), "programme")
    if names:
        lits = " ".join(str(Literal(n)) for n in names)
        for role, pred in text_preds.items():
            for row in _q(store, f"SELECT DISTINCT ?f WHERE {{ VALUES ?t {{ {lits} }} ?f {pred} ?t }} LIMIT 1000"):
                role_of.setdefault(row["f"].value, role)
    details = _fundings(store, list(role_of))
    fundings: dict[str, list[dict[str, Any]]] = {"given": [], "received": [], "programme": []}
    totals: dict[str, Decimal] = {"given": Decimal(0), "received": Decimal(0), "programme": Decimal(0)}
    for f, role in role_of.items():
        d = details.get(f)
        if d is None:
            continue
        fundings[role].append(d)
        totals[role] += _decimal(d["amount"]) or Decimal(0)
    for role in fundings:
        fundings[role].sort(key=lambda d: (-(_decimal(d["amount"]) or Decimal(0)), d["iri"]))

    funding_self = _fundings(store, [iri]).get(iri) if cls == "Funding" else None
    evidence = _evidence(store, x, names)
    return {
        "iri": iri,
        "label": label,
        "aliases": aliases,
        "cls": cls,
        "cls_name": CLASS_NAMES.get(cls, cls),
        "classes": sorted(classes, key=lambda c: _CLASS_ORDER.get(c, 99)),
        "outgoing": outgoing,
        "incoming": incoming,
        "fundings": fundings,
        "totals": {k: str(v) for k, v in totals.items()},
        "totals_text": {k: format_amount(v) for k, v in totals.items()},
        "funding": funding_self,
        "evidence": evidence,
        "reports": [described[g] for g in sorted(reports) if g in described],
        "truncated": n_out >= 3000 or n_in >= 3000,
        "is_report": "Report" in classes,
    }


# --------------------------------------------------------------------------- indicator series


#: Most observations one page reads (the /track page reads them all): past it the page says so.
SERIES_LIMIT = 50_000


def indicator_series(store: Store, subject: str | None = None) -> dict[str, Any]:
    """Indicator series (one subject's one indicator across reports) with every point's evidence link.

    ``subject`` (an IRI) limits them to one place, actor or programme; ``None`` reads them all
    (the /track page). Answers ``series`` (each a dict as :mod:`kg.serve.charts` draws it),
    ``observations`` (how many were read) and ``truncated`` (more than :data:`SERIES_LIMIT`). A point is
    ``conflict`` where another observation gives the same subject, indicator, kind and year a
    different value (as the canned query ``indicator-series`` flags it). The canned query is not
    run as such: it names subjects by label and gives no evidence, and the pages need the IRIs.

    >>> indicator_series(Store())
    {'series': [], 'observations': 0, 'truncated': False}
    """
    from kg.extract.indicators import indicator_vocabulary

    values = f"VALUES ?s {{ {_iri(subject)} }}" if subject else ""
    # Flat OPTIONALs only, and the sentences' offsets looked up afterwards: a nested OPTIONAL
    # (mention -> sentence -> start) was evaluated over every mention of the store (17-110 ms
    # for one subject of a 47-report store, against 1 ms).
    rows = list(_q(store, f"""
SELECT ?o ?s ?i ?k ?v ?p ?u ?w ?g ?rid ?date ?surface ?sen WHERE {{
  {values}
  GRAPH ?g {{
    ?o pkg:subject ?s ; a qb:Observation ; pkg:indicator ?i ; pkg:observationKind ?k ; pkg:value ?v ;
       sdmx-dimension:refPeriod ?p ; sdmx-attribute:unitMeasure ?u .
    OPTIONAL {{ ?o pkg:wording ?w }}
    OPTIONAL {{ ?g dcterms:identifier ?rid }}
    OPTIONAL {{ ?g dcterms:date ?date }}
    OPTIONAL {{ ?o prov:wasDerivedFrom ?m }}
    OPTIONAL {{ ?m pkg:surface ?surface }}
    OPTIONAL {{ ?m pkg:sentence ?sen }}
  }}
}} LIMIT {SERIES_LIMIT + 1}"""))
    truncated = len(rows) > SERIES_LIMIT
    del rows[SERIES_LIMIT:]
    starts = _props(store, [r["sen"].value for r in rows if r["sen"] is not None], [PKG_NS + "start"])
    vocabulary = {d.code: d for d in indicator_vocabulary()}
    points: dict[str, dict[str, Any]] = {}  # observation -> point (one row per observation)
    for row in rows:
        o = row["o"].value
        if o in points:
            continue
        try:
            year = int(row["p"].value[:4])
        except ValueError:
            continue
        g = row["g"].value
        start = starts.get(_v(row["sen"]) or "", {}).get(PKG_NS + "start")
        href = f"/report?iri={quote(g, safe='')}#s-{start[0].value}" if start else f"/entity?iri={quote(o, safe='')}"
        points[o] = {
            "subject": row["s"].value, "indicator": local_name(row["i"].value), "kind": local_name(row["k"].value),
            "year": year, "value": row["v"].value, "unit": local_name(row["u"].value), "wording": _v(row["w"]),
            "report": _v(row["rid"]) or unquote(local_name(g)), "report_iri": g, "date": _v(row["date"]),
            "evidence": _v(row["surface"]), "href": href, "observation": o,
        }
    values_of: dict[tuple[str, str, str, int], set[str]] = defaultdict(set)
    for pt in points.values():
        values_of[(pt["subject"], pt["indicator"], pt["kind"], pt["year"])].add(str((_decimal(pt["value"]) or Decimal(0)).normalize()))
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for pt in points.values():
        pt["conflict"] = len(values_of[(pt["subject"], pt["indicator"], pt["kind"], pt["year"])]) > 1
        grouped[(pt["subject"], pt["indicator"])].append(pt)
    described = _describe(store, sorted({s for s, _ in grouped}))
    out = []
    for (s, code), pts in grouped.items():
        pts.sort(key=lambda p: (p["year"], p["kind"], p["date"] or "", p["report"], p["observation"]))
        d = vocabulary.get(code)
        levels = [p["unit"] for p in pts if p["kind"] != "change"]
        out.append({
            "subject": s, "subject_label": described[s]["label"], "subject_cls": described[s]["cls"],
            "indicator": code, "indicator_label": d.label if d else code, "indicator_label_en": d.label_en if d else "",
            "unit": d.unit if d else (levels or [pts[0]["unit"]])[0], "points": pts,
            "reports": len({p["report_iri"] for p in pts}),
        })
    order = {d.code: i for i, d in enumerate(vocabulary.values())}
    out.sort(key=lambda x: (x["subject_label"], order.get(x["indicator"], 99), x["indicator"], x["subject"]))
    return {"series": out, "observations": len(points), "truncated": truncated}


# --------------------------------------------------------------------------- report


def highlight(text: str, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cut ``text`` into nested segments around ``spans`` (offset, surface, target, cls).

    Each span is looked up by its surface nearest to its expected offset (the stored
    offsets count characters of the original file, the text is normalized). Spans that
    are found nest when one contains another; a span crossing another is dropped.

    >>> segs = highlight("县财政局下达资金200万元。", [
    ...     {"offset": 0, "surface": "县财政局下达资金200万元", "target": "f", "cls": "Funding"},
    ...     {"offset": 0, "surface": "县财政局", "target": "a", "cls": "GovernmentAgency"}])
    >>> [(s["kind"], [(c["kind"], c.get("text")) for c in s.get("children", [])]) for s in segs]
    [('span', [('span', None), ('text', '下达资金200万元')]), ('text', [])]
    >>> segs[0]["children"][0]["children"]
    [{'kind': 'text', 'text': '县财政局'}]
    """
    placed: dict[tuple[int, int], dict[str, Any]] = {}
    for sp in spans:
        surface = sp["surface"]
        if not surface:
            continue
        want = max(0, int(sp.get("offset", 0)))
        best, pos = None, text.find(surface)
        while pos != -1:
            if best is None or abs(pos - want) < abs(best - want):
                best = pos
            pos = text.find(surface, pos + 1)
        if best is None:
            continue
        key = (best, best + len(surface))
        item = placed.setdefault(key, {"start": key[0], "end": key[1], "targets": []})
        if all(t["target"] != sp["target"] for t in item["targets"]):
            item["targets"].append({"target": sp["target"], "cls": sp.get("cls", "Thing")})
    ordered = sorted(placed.values(), key=lambda s: (s["start"], -s["end"]))
    root: dict[str, Any] = {"start": 0, "end": len(text), "children": []}
    stack = [root]
    for sp in ordered:
        while stack[-1] is not root and sp["start"] >= stack[-1]["end"]:
            stack.pop()
        parent = stack[-1]
        if sp["end"] > parent["end"]:
            continue  # crosses its container: drop
        if parent["children"] and sp["start"] < parent["children"][-1]["end"]:
            continue  # overlaps an earlier sibling without nesting in it
        sp["children"] = []
        parent["children"].append(sp)
        stack.append(sp)

    def render(node: dict[str, Any]) -> list[dict[str, Any]]:
        out, pos = [], node["start"]
        for child in node["children"]:
            if child["start"] > pos:
                out.append({"kind": "text", "text": text[pos : child["start"]]})
            entry = {"kind": "span", "targets": child["targets"]}
            inner = render(child)
            entry["children"] = inner if inner else [{"kind": "text", "text": text[child["start"] : child["end"]]}]
            out.append(entry)
            pos = child["end"]
        if pos < node["end"] and (node["children"] or node is root):
            out.append({"kind": "text", "text": text[pos : node["end"]]})
        return out

    return render(root)


def report(store: Store, iri: str) -> dict[str, Any]:
    """A report's metadata, its stored sentences with mentions highlighted, and what it names."""
    g = _iri(iri)
    if not store.contains_named_graph(g):
        raise JobFailure(404, f"no report graph <{iri}> in the store")
    meta: dict[str, list[str]] = defaultdict(list)
    for row in store.query(f"SELECT ?p ?o WHERE {{ GRAPH {g} {{ {g} ?p ?o }} }}"):
        meta[row["p"].value].append(row["o"].value)
    sentences = []
    for row in store.query(_P + f"SELECT ?s ?text ?start ?end ?page ?para WHERE {{ GRAPH {g} {{ ?s a pkg:Sentence ; "
                                f"pkg:text ?text ; pkg:start ?start ; pkg:end ?end "
                                f"OPTIONAL {{ ?s pkg:page ?page }} OPTIONAL {{ ?s pkg:paragraph ?para }} }} }} "
                                f"ORDER BY ?start LIMIT 5000"):
        sentences.append({"iri": row["s"].value, "text": row["text"].value, "start": int(row["start"].value),
                          "end": int(row["end"].value), "spans": [],
                          "where": _where(_v(row["page"]), _v(row["para"]))})
    by_iri = {s["iri"]: s for s in sentences}
    targets: set[str] = set()
    rows = store.query(_P + f"""
SELECT ?m ?surface ?start ?s ?x WHERE {{ GRAPH {g} {{
  ?m a pkg:Mention ; pkg:surface ?surface ; pkg:start ?start .
  OPTIONAL {{ ?m pkg:sentence ?s }}
  OPTIONAL {{ ?x prov:wasDerivedFrom ?m }} }} }} LIMIT 50000""")
    pending = []
    for row in rows:
        s = by_iri.get(_v(row["s"]) or "")
        if s is None or row["x"] is None:
            continue
        targets.add(row["x"].value)
        pending.append((s, int(row["start"].value) - s["start"], row["surface"].value, row["x"].value))
    described = _describe(store, sorted(targets))
    for s, offset, surface, x in pending:
        s["spans"].append({"offset": offset, "surface": surface, "target": x, "cls": described[x]["cls"]})
    for s in sentences:
        s["segments"] = highlight(s["text"], s.pop("spans"))
    entities: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for x in sorted(targets, key=lambda t: described[t]["label"]):
        d = described[x]
        if d["cls"] in _ENTITY_CLASSES or d["cls"] in _FACT_CLASSES:
            entities[d["cls"]].append(d)
    title = (meta.get(DCTERMS_NS + "title") or meta.get(DCTERMS_NS + "identifier") or [unquote(local_name(iri))])[0]
    fields = []
    for p in (DCTERMS_NS + "identifier", DCTERMS_NS + "publisher", DCTERMS_NS + "date", SCHEMA_NS + "url",
              DCTERMS_NS + "source", PKG_NS + "sha256"):
        for v in meta.get(p, []):
            fields.append({"label": _pred_label(p), "value": v})
    jurisdiction = [_describe(store, meta[PKG_NS + "jurisdiction"])[j] for j in meta.get(PKG_NS + "jurisdiction", [])]
    return {
        "iri": iri,
        "title": title,
        "fields": fields,
        "jurisdiction": jurisdiction,
        "sentences": sentences,
        "entities": [{"cls": c, "cls_name": CLASS_NAMES.get(c, c), "members": entities[c]}
                     for c in sorted(entities, key=lambda c: _CLASS_ORDER.get(c, 99))],
        "quads": sum(1 for _ in store.quads_for_pattern(None, None, None, g)),
    }


# --------------------------------------------------------------------------- network


def _facets(store: Store) -> dict[str, list[tuple[str, str]]]:
    out = {}
    for key, cls in (("programs", "Program"), ("regions", "Region")):
        rows = _q(store, f"SELECT * WHERE {{ {{ SELECT ?x (MIN(STR(?l)) AS ?label) WHERE {{ "
                         f"{{ SELECT DISTINCT ?x WHERE {{ ?x a pkg:{cls} }} }} ?x skos:prefLabel ?l }} GROUP BY ?x }} }} "
                         "ORDER BY ?label LIMIT 400")
        out[key] = [(r["x"].value, r["label"].value) for r in rows]
    rows = _q(store, "SELECT * WHERE { { SELECT ?g (SAMPLE(?i) AS ?id) (SAMPLE(?t) AS ?title) WHERE { ?g a pkg:Report . "
                     "OPTIONAL { ?g dcterms:identifier ?i } OPTIONAL { ?g dcterms:title ?t } } GROUP BY ?g } } "
                     "ORDER BY ?id LIMIT 400")
    out["reports"] = [(r["g"].value, _v(r["title"]) or _v(r["id"]) or r["g"].value) for r in rows]
    return out


def _around(G: Any, seeds: set[str], radius: int) -> Any:
    import networkx as nx

    U = G.to_undirected(as_view=True)
    keep = set()
    for s in seeds:
        if s in U:
            keep |= set(nx.single_source_shortest_path_length(U, s, cutoff=radius))
    return G.subgraph(keep).copy()


def reduce_graph(G: Any, max_nodes: int, focus: str | None = None) -> Any:
    """Keep the ``max_nodes`` best-connected nodes (nearest to ``focus`` first) and stand the
    hidden ones in with one grey summary node per class, linked to the kept nodes they touched.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for i in range(6):
    ...     G.add_node(f"a{i}", label=f"a{i}", **{"class": "Enterprise"})
    >>> for i in range(1, 6):
    ...     _ = G.add_edge("a0", f"a{i}", key="funder", rel="funder")
    >>> H = reduce_graph(G, 3)
    >>> sorted(H.nodes), H.graph["hidden_nodes"]
    (['a0', 'a1', 'a2', 'aggregate:Enterprise'], 3)
    """
    import networkx as nx

    n, e = G.number_of_nodes(), G.number_of_edges()
    G.graph.update(total_nodes=n, total_edges=e, hidden_nodes=0, note=G.graph.get("note", ""))
    if n <= max_nodes:
        return G
    degree = dict(G.degree())
    dist: dict[Any, int] = {}
    if focus is not None and focus in G:
        dist = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), focus)
    order = sorted(G.nodes, key=lambda v: (v != focus, dist.get(v, 0), -degree[v], str(G.nodes[v].get("label", "")), str(v)))
    kept = set(order[:max_nodes])
    H = G.subgraph(kept).copy()
    hidden: dict[str, set[Any]] = defaultdict(set)
    for v in order[max_nodes:]:
        hidden[G.nodes[v].get("class", "Actor")].add(v)
    for cls, members in sorted(hidden.items()):
        agg = f"aggregate:{cls}"
        name = CLASS_NAMES.get(cls, cls).split(" ")[0]
        H.add_node(agg, label=f"+{len(members):,} {name}", **{"class": cls}, type="aggregate", reports=[],
                   evidence=f"{len(members):,} hidden {cls} nodes (the view is reduced)")
        touched = set()
        for v in members:
            for u in set(G.predecessors(v)) | set(G.successors(v)):
                if u in kept and u not in touched:
                    touched.add(u)
                    H.add_edge(u, agg, key="hidden", rel="hidden", reports=[], evidence=None)
    hidden_n = n - len(kept)
    H.graph.update(G.graph)
    H.graph.update(
        hidden_nodes=hidden_n,
        note=(f"Reduced view: the graph has {n:,} nodes and {e:,} edges, too many to draw at once. Showing the "
              f"{len(kept):,} best-connected nodes (by degree{', nearest to the focus first' if dist else ''}); the "
              f"other {hidden_n:,} are folded into {len(hidden)} summary node(s) per class (“+N …”). "
              "Use the filters or a focus to see them, or raise the node limit."),
    )
    return H


#: The whole graph as kg.viz builds it, kept by the worker that built it until the store changes
#: (the worker calls :func:`forget` when it re-opens the store). Focus and filter views are cut
#: out of it instead of reading the whole store again.
_MEMO: dict[str, Any] = {}


def forget() -> None:
    """Drop what this worker process remembers about the store (it changed)."""
    _MEMO.clear()


def whole_graph(store: Store) -> Any:
    """``kg.viz.network_graph`` of the whole store (no reduction), built once per store state."""
    from kg.viz import network_graph

    G = _MEMO.get("graph")
    if G is None:
        G = _MEMO["graph"] = network_graph(store, max_nodes=None)
    return G


def _focus(G: Any, focus: str, depth: int) -> tuple[Any, str]:
    import networkx as nx

    node = focus if focus in G else None
    if node is None:
        matches = sorted(n for n, d in G.nodes(data=True) if d.get("label") == focus)
        if len(matches) != 1:
            raise JobFailure(404, f"focus '{focus}' is not a node of the graph (give a node IRI or an exact label)"
                             if not matches else f"focus '{focus}' names {len(matches)} nodes; give one IRI")
        node = matches[0]
    H = nx.ego_graph(G, node, radius=depth, undirected=True).copy()
    H.graph.update(focus=node, depth=depth)
    return H, node


def network(store: Store, params: Any) -> dict[str, Any]:
    """The network page (pyvis HTML) for ``params``: focus/depth, class, programme, region, report filters."""
    from kg.viz import VizError, network_graph, render_html

    params = dict(params)
    focus = params.get("focus") or None
    depth = int(params.get("depth", 1))
    max_nodes = int(params.get("max_nodes", 200))
    classes = set(params.get("classes") or ())
    focus_node = None
    try:
        if params.get("report"):
            G = network_graph(store, max_nodes=None, report=params["report"])
        else:
            G = whole_graph(store)
    except VizError as e:
        raise JobFailure(404, str(e)) from None
    if focus:
        G, focus_node = _focus(G, focus, depth)
    else:
        G = G.copy()
    total_before = G.number_of_nodes()
    if params.get("program"):
        G = _around(G, {params["program"]}, max(depth, 1) + 1)
    if params.get("region"):
        region = params["region"]
        seeds = {region} | {u for u, v, k in G.edges(keys=True) if k == "partOf" and v == region}
        G = _around(G, seeds, max(depth, 1))
    if classes:
        actor_types = {*ACTOR_TYPES, "Actor"}
        G = G.subgraph([n for n, d in G.nodes(data=True)
                        if d.get("class") in classes or ("Actor" in classes and d.get("class") in actor_types)
                        or n == focus_node]).copy()
    shown_before_reduce = G.number_of_nodes()
    G = reduce_graph(G, max_nodes, focus_node)
    title = "政策知识图谱 网络视图 Network view"
    if focus_node is not None:
        title += f" · {G.nodes[focus_node].get('label', focus_node) if focus_node in G else focus_node}"
    page = render_html(G, title=title)
    return {
        "html": page,
        "iris": [n if isinstance(n, str) and "://" in n else None for n in G.nodes],
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "total": total_before,
        "filtered": shown_before_reduce,
        "note": G.graph.get("note", ""),
        "focus": focus_node,
        "facets": _facets(store),
    }


def analytics(store: Store) -> Any:
    """The :class:`kg.analyze.Analysis` of the store (plus its Sankey SVG)."""
    from kg.analyze import analyze

    a = analyze(store, graph=whole_graph(store))  # the graph /network draws: the same counts
    return {"analysis": a, "svg": a.sankey_svg()}


def canned_names(store: Store, query_name: str, values: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The canonical names the name parameters of a canned query stand for, by the lookup ``kg query`` uses.

    ``{"values": {...}, "notes": [...]}`` with each name parameter replaced by the first canonical
    name it stands for (a note lists the others), or ``{"error": "no entity named X; closest names: …"}``.

    >>> canned_names(Store(), "actor", (("name", "西寧市農業農村局"),))
    {'error': 'no entity named 西寧市農業農村局 (of type Actor) (nothing close)'}
    """
    from kg.query import NoSuchName, load_query, resolve_name

    q = load_query(query_name)
    out, notes = dict(values), []
    for lookup in q.lookups:
        value = out.get(lookup.param)
        if not value:
            continue
        try:
            names = resolve_name(store, value, lookup)
        except NoSuchName as e:
            return {"error": str(e)}
        out[lookup.param] = names[0]
        if len(names) > 1:
            notes.append(f"{value} names {len(names)} entities ({'、'.join(names)}): showing {names[0]}")
    return {"values": out, "notes": notes}

