"""The whole graph read from the store: every node with its details, every edge.

Used for small stores, a focus, one report or the report nodes; a large store is read as a
skeleton first (:mod:`kg.viz.skeleton`), which reuses the link table and the prefixes here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import unquote

import networkx as nx
from pyoxigraph import Literal, NamedNode, Variable

from kg import ids
from kg.viz.common import (
    _CLASS_PRIORITY,
    _TYPE_OF_CLASS,
    EDGE_LABELS,
    TEXT_PREFIX,
    VizError,
    _class_from_iri,
    _pick,
)
from kg.vocab import (
    SPARQL_PREFIXES,
    local_name,
)

# --- SPARQL ----------------------------------------------------------------------------
# Every query projects ?g, the report graph, so that ``report=`` can bind it (pyoxigraph
# substitutes projected variables only) and every fact knows its reports.

_PREFIXES = SPARQL_PREFIXES

_Q_REPORTS = _PREFIXES + """
SELECT ?g ?rid ?title WHERE {
  GRAPH ?g { ?g a pkg:Report . OPTIONAL { ?g dcterms:identifier ?rid } OPTIONAL { ?g dcterms:title ?title } }
}"""

_Q_TYPES = _PREFIXES + """
SELECT ?g ?s ?cls WHERE {
  GRAPH ?g {
    ?s a ?cls .
    VALUES ?cls { pkg:Actor pkg:GovernmentAgency pkg:PartyOrganization pkg:Enterprise
                  pkg:FinancialInstitution pkg:Cooperative pkg:SocialOrganization pkg:Person
                  pkg:Region pkg:Program pkg:PolicyDocument pkg:Funding }
  }
}"""

_Q_LABELS = _PREFIXES + """
SELECT ?g ?s ?label WHERE { GRAPH ?g { ?s skos:prefLabel|dcterms:title ?label } }"""

_Q_ATTRS = _PREFIXES + """
SELECT ?g ?s ?p ?o WHERE {
  GRAPH ?g {
    ?s ?p ?o .
    VALUES ?p { schema:amount pkg:fundingKind pkg:level pkg:divisionCode pkg:year pkg:count
                pkg:countUnit pkg:post }
  }
}"""

_Q_EVIDENCE = _PREFIXES + """
SELECT ?g ?s ?text WHERE {
  GRAPH ?g {
    ?s prov:wasDerivedFrom ?m .
    ?m pkg:surface ?surface .
    OPTIONAL { ?m pkg:sentence ?sentence . ?sentence pkg:text ?sentenceText }
  }
  BIND(COALESCE(?sentenceText, ?surface) AS ?text)
}"""

# Links (object is a node) and their text fallbacks (object is the stated name).
_Q_LINKS = _PREFIXES + """
SELECT ?g ?s ?p ?o WHERE {
  GRAPH ?g {
    ?s ?p ?o .
    VALUES ?p { schema:funder pkg:funderText schema:recipient pkg:recipientText pkg:program
                pkg:programText pkg:issuer pkg:issuerText pkg:region pkg:partOf }
  }
}"""
# predicate local name -> (relation, the subject is the edge's source?)
_LINKS = {
    "funder": ("funder", False),  # funder -> funding
    "funderText": ("funder", False),
    "recipient": ("recipient", True),  # funding -> recipient
    "recipientText": ("recipient", True),
    "program": ("program", True),  # funding -> programme
    "programText": ("program", True),
    "issuer": ("issuer", True),  # document -> issuer
    "issuerText": ("issuer", True),
    "region": ("region", True),  # actor or programme -> region
    "partOf": ("partOf", True),  # region -> enclosing region
}

_Q_MEASURES = _PREFIXES + """
SELECT ?g ?m ?action ?a ?atext ?b ?btext WHERE {
  GRAPH ?g {
    ?m a pkg:Measure ; pkg:action ?action .
    OPTIONAL { ?m pkg:agent ?a }
    OPTIONAL { ?m pkg:agentText ?atext }
    OPTIONAL { ?m pkg:object ?b }
    OPTIONAL { ?m pkg:objectText ?btext }
  }
}"""

_Q_MENTIONED = _PREFIXES + """
SELECT ?g ?a WHERE { GRAPH ?g { ?a prov:hadPrimarySource ?g } }"""

_Q_JURISDICTION = _PREFIXES + """
SELECT ?g ?b WHERE { GRAPH ?g { ?g pkg:jurisdiction ?b } }"""


def _value(term: Any) -> str | None:
    return None if term is None else term.value


def _run(raw_store: Any, sparql: str, graph: NamedNode | None) -> Iterable[Any]:
    subs = {Variable("g"): graph} if graph is not None else None
    return raw_store.query(sparql, use_default_graph_as_union=True, substitutions=subs)


class _Builder:
    """Collects nodes and edges row by row, merging what several reports say."""

    def __init__(self, report_ids: dict[str, str]) -> None:
        self.report_ids = report_ids
        self.classes: dict[str, set[str]] = defaultdict(set)  # the nodes of the graph
        self.labels: dict[str, set[str]] = defaultdict(set)
        self.reports: dict[str, set[str]] = defaultdict(set)
        self.attrs: dict[str, dict[str, Any]] = defaultdict(dict)
        self.evidence: dict[str, set[str]] = defaultdict(set)
        self.edges: dict[tuple[str, str, str], dict[str, Any]] = {}

    def rid(self, g: str) -> str:
        return self.report_ids.get(g) or unquote(local_name(g))

    def node(self, iri: str, g: str, cls: str | None = None) -> None:
        classes = self.classes[iri]
        if cls:
            classes.add(cls)
        self.reports[iri].add(self.rid(g))

    def text_node(self, text: str, g: str, evidence: str | None) -> str:
        key = TEXT_PREFIX + text
        self.node(key, g, "Text")
        self.labels[key].add(text)
        if evidence:
            self.evidence[key].add(evidence)
        return key

    def edge(self, u: str, v: str, rel: str, g: str, evidence: str | None = None) -> None:
        if u == v:
            return
        data = self.edges.get((u, v, rel))
        if data is None:
            data = self.edges[(u, v, rel)] = {"reports": set(), "evidence": set()}
        data["reports"].add(self.rid(g))
        if evidence:
            data["evidence"].add(evidence)
        self.node(u, g)
        self.node(v, g)

    def pick_evidence(self, iri: str | None) -> str | None:
        return _pick(self.evidence.get(iri, set())) if iri else None


def _graph_from_store(
    store: Any, include_reports: bool, include_text: bool, report: str | None
) -> nx.MultiDiGraph:
    raw_store = getattr(store, "store", store)
    graph = None
    if report is not None:
        graph = NamedNode(report if "://" in report else ids.report_iri(report))

    report_ids: dict[str, str] = {}
    report_titles: dict[str, str] = {}
    for row in _run(raw_store, _Q_REPORTS, graph):
        g = row["g"].value
        report_ids[g] = row["rid"].value if row["rid"] is not None else unquote(local_name(g))
        if row["title"] is not None:
            report_titles[g] = row["title"].value
    if graph is not None and graph.value not in report_ids:
        raise VizError(f"report '{report}' is not in the store")
    b = _Builder(report_ids)

    for row in _run(raw_store, _Q_TYPES, graph):
        b.node(row["s"].value, row["g"].value, local_name(row["cls"].value))
    for row in _run(raw_store, _Q_LABELS, graph):
        b.labels[row["s"].value].add(row["label"].value)
    for row in _run(raw_store, _Q_ATTRS, graph):
        s, p, o = row["s"].value, local_name(row["p"].value), row["o"].value
        if p == "amount":
            try:
                b.attrs[s]["amount"] = Decimal(o)
            except InvalidOperation:
                b.attrs[s]["amount"] = o
        elif p in ("fundingKind", "level"):
            b.attrs[s]["kind" if p == "fundingKind" else "level"] = local_name(o)
        elif p == "count":
            b.attrs[s]["count"] = int(o) if o.lstrip("-").isdigit() else o
        else:
            b.attrs[s]["code" if p == "divisionCode" else "count_unit" if p == "countUnit" else p] = o
    for row in _run(raw_store, _Q_EVIDENCE, graph):
        b.evidence[row["s"].value].add(row["text"].value)

    for row in _run(raw_store, _Q_LINKS, graph):
        g, s, p, o = row["g"].value, row["s"].value, local_name(row["p"].value), row["o"]
        rel, forward = _LINKS[p]
        if isinstance(o, Literal):
            if not include_text:
                continue
            target = b.text_node(o.value, g, b.pick_evidence(s))
        else:
            target = o.value
        if forward:
            b.edge(s, target, rel, g)
        else:
            b.edge(target, s, rel, g)

    for row in _run(raw_store, _Q_MEASURES, graph):
        g, evidence = row["g"].value, b.pick_evidence(row["m"].value)
        a, obj = _value(row["a"]), _value(row["b"])
        if a is None:
            if not include_text or row["atext"] is None:
                continue  # nobody acts: no edge to draw
            a = b.text_node(row["atext"].value, g, evidence)
        if obj is None:
            if not include_text or row["btext"] is None:
                continue
            obj = b.text_node(row["btext"].value, g, evidence)
        b.edge(a, obj, row["action"].value, g, evidence)

    if include_reports:
        for g, rid in report_ids.items():
            b.node(g, g, "Report")
            b.labels[g].add(report_titles.get(g) or rid)
        for row in _run(raw_store, _Q_MENTIONED, graph):
            a, g = row["a"].value, row["g"].value
            if b.classes.get(a):  # typed entities and fundings, not measures or evidence
                b.edge(a, g, "mentionedIn", g)
        for row in _run(raw_store, _Q_JURISDICTION, graph):
            b.edge(row["g"].value, row["b"].value, "jurisdiction", row["g"].value)

    G = nx.MultiDiGraph()
    for iri in sorted(b.classes):
        classes = b.classes[iri] or {_class_from_iri(iri)}
        cls = min(classes, key=lambda c: _CLASS_PRIORITY.get(c, len(_CLASS_PRIORITY)))
        if cls == "Report" and not include_reports:
            continue
        label = _pick(b.labels.get(iri, set()))
        if label is None:
            label = unquote(local_name(iri)) if "://" in iri else iri
        data: dict[str, Any] = {
            "label": label,
            "class": cls,
            "type": _TYPE_OF_CLASS.get(cls, "actor"),
            "evidence": b.pick_evidence(iri),
            "reports": sorted(b.reports.get(iri, ())),
        }
        data.update(b.attrs.get(iri, {}))
        G.add_node(iri, **data)
    for (u, v, rel), d in sorted(b.edges.items()):
        if u in G and v in G:
            G.add_edge(
                u, v, key=rel, rel=rel, label=EDGE_LABELS.get(rel, rel),
                reports=sorted(d["reports"]), evidence=_pick(d["evidence"]),
            )
    return G
