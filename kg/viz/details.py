"""Details of the nodes a reduced view of a large store shows: labels, attributes, evidence, report counts.

Queries bound to the shown nodes only, so that the rest of the store is never decoded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import unquote

import networkx as nx

from kg.viz.common import _TYPE_OF_CLASS, EDGE_LABELS, TEXT_PREFIX, _pick
from kg.viz.full import _PREFIXES
from kg.viz.skeleton import _tsv_rows
from kg.vocab import local_name


def _values(nodes: Iterable[str]) -> str:
    """A VALUES body of IRIs (they come from the store: no ``>`` or spaces in them)."""
    return " ".join(f"<{n}>" for n in nodes if "://" in n and not any(c in n for c in '<>" {}|\\^`'))


def _fill_details(store: Any, H: nx.MultiDiGraph, kept_edges: list[tuple[str, str, str]]) -> None:
    """Labels, attributes, evidence and report counts of the shown nodes only (queries bound to them).

    A node's evidence is one of its sentences (not the shortest: that would mean decoding
    them all); its reports are counted (``report_count``) rather than listed.
    """
    raw_store = getattr(store, "store", store)
    nodes = [v for v, d in H.nodes(data=True) if d.get("type") != "cluster"]
    iris = _values(nodes)
    attr_predicates = ("schema:amount pkg:fundingKind pkg:level pkg:divisionCode pkg:year pkg:count "
                       "pkg:countUnit pkg:post").split()
    # one branch per predicate: a bound subject and predicate is one index seek, whereas
    # ``VALUES ?p`` lets oxigraph scan every funding's amount first
    attr_union = " UNION ".join(f"{{ ?s {p} ?o BIND({p} AS ?p) }}" for p in attr_predicates)
    jobs = {
        "labels": _PREFIXES + f"SELECT DISTINCT ?s ?label WHERE {{ VALUES ?s {{ {iris} }} ?s skos:prefLabel|dcterms:title ?label }}",
        "attrs": _PREFIXES + f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?s {{ {iris} }} {attr_union} }}",
        "reports": _PREFIXES + f"""SELECT ?s (COUNT(DISTINCT ?g) AS ?n) WHERE {{
            VALUES ?s {{ {iris} }} GRAPH ?g {{ ?s a ?c }} }} GROUP BY ?s""",
        # a hub has thousands of mentions: take one (the first oxigraph meets, stable for a
        # given store) rather than decoding every sentence to find the shortest
        "evidence": _PREFIXES + f"""SELECT ?s (SAMPLE(?m) AS ?m1) WHERE {{
            VALUES ?s {{ {iris} }} ?s prov:wasDerivedFrom ?m }} GROUP BY ?s""",
    }
    with ThreadPoolExecutor(max_workers=4) as pool:
        rows = {name: f.result() for name, f in {k: pool.submit(_tsv_rows, raw_store, q) for k, q in jobs.items()}.items()}
    first = {m: s for s, m in rows["evidence"] if m is not None}
    evidence: dict[str, str] = {}
    if first:
        for m, surface, text in _tsv_rows(raw_store, _PREFIXES + f"""SELECT ?m ?surface ?text WHERE {{
                VALUES ?m {{ {_values(first)} }} ?m pkg:surface ?surface
                OPTIONAL {{ ?m pkg:sentence/pkg:text ?text }} }}"""):
            evidence[first[m]] = text or surface
    labels: dict[str, set[str]] = defaultdict(set)
    for s, label in rows["labels"]:
        labels[s].add(label)
    attrs: dict[str, dict[str, Any]] = defaultdict(dict)
    for s, p, o in rows["attrs"]:
        p = local_name(p)
        if p == "amount":
            try:
                attrs[s]["amount"] = Decimal(o)
            except InvalidOperation:
                attrs[s]["amount"] = o
        elif p in ("fundingKind", "level"):
            attrs[s]["kind" if p == "fundingKind" else "level"] = local_name(o)
        elif p == "count":
            attrs[s]["count"] = int(o) if o.lstrip("-").isdigit() else o
        else:
            attrs[s]["code" if p == "divisionCode" else "count_unit" if p == "countUnit" else p] = o
    counts = {s: int(n) for s, n in rows["reports"] if n is not None}
    for v in nodes:
        d = H.nodes[v]
        label = _pick(labels.get(v, set()))
        if label is None:
            label = v[len(TEXT_PREFIX):] if v.startswith(TEXT_PREFIX) else unquote(local_name(v)) if "://" in v else v
        d.update(label=label, type=_TYPE_OF_CLASS.get(d["class"], "actor"), evidence=evidence.get(v), reports=[])
        if v in counts:
            d["report_count"] = counts[v]  # counted, not listed: a hub may be in thousands of reports
        d.update(attrs.get(v, {}))
    for u, v, k in kept_edges:
        H.add_edge(u, v, key=k, rel=k, label=EDGE_LABELS.get(k, k), reports=[], evidence=None)
