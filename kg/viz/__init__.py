"""Browsable network view of the knowledge graph: networkx graph from SPARQL, offline pyvis page.

:func:`network_graph` reads the store with SPARQL (the union of the report graphs; a
``report=`` restriction is bound with a substitution, never pasted into the query) and
returns a :class:`networkx.MultiDiGraph`:

- nodes are IRIs of actors (7 classes), regions, programmes, documents, fundings and, with
  ``include_reports=True``, reports; a funder, recipient, programme, issuer, agent or
  measure object that the report only states as text becomes a ``"text:" + name`` node of
  class ``Text`` (``include_text=False`` leaves those out);
- node attributes: ``label``, ``class`` (local name), ``type`` (actor, region, programme,
  document, funding, report, text), ``evidence`` (one sentence), ``reports`` (ids), and
  where known ``amount`` (Decimal yuan), ``kind``, ``level``, ``code``, ``year``,
  ``count``, ``count_unit``, ``post``;
- edges are keyed by relation: funder (funder→funding), recipient and program
  (funding→…), region (actor/programme→region), partOf (region→parent), issuer
  (document→issuer), a measure action such as held or issued (agent→object),
  mentionedIn (entity→report) and jurisdiction (report→region); attributes ``rel``,
  ``label``, ``reports``, ``evidence``;
- ``G.graph``: ``note`` ("" unless nodes were hidden), ``total_nodes``, ``total_edges``,
  ``hidden_nodes``, ``hidden_edges``, ``clusters``, ``clustered_nodes``, and
  ``focus``/``depth`` for a neighbourhood.

A graph larger than ``max_nodes`` is reduced: the most connected nodes stay, every other
node is collapsed into a cluster node (``type="cluster"``, ``size``, ``members_by_class``,
``anchor``: the nearest shown node) and hidden edges touching a cluster become one
``cluster`` link per pair with a ``count``; such a page is drawn still, from positions
computed here. For a whole store only the nodes and edges are read first and details for
the nodes shown, so a store of 10^5 nodes (9 million quads) is not decoded in full; its
fundings (~90 % of the nodes) are read as one weighted pseudo-node per distinct (funder,
recipient, programme), counted as their members everywhere, and only the few fundings a
cluster's tooltip names are looked up.

:func:`render_html` turns such a graph into one self-contained page (vis-network inlined,
nothing fetched from the network); :func:`write_html` writes it as UTF-8. Names are
canvas labels (never parsed as HTML) embedded by Jinja's ``tojson``, which escapes ``<``,
``>``, ``&`` and ``'``; tooltips are plain text, HTML-escaped, with every ``href`` broken
up so that pyvis keeps vis-network's ``innerText`` tooltips instead of its ``innerHTML``
popup; pyvis's ``heading`` is not used and its remote Bootstrap tags are removed.

The modules: :mod:`kg.viz.graph` (:func:`network_graph`: which read, the focus, the
reduction), :mod:`kg.viz.full` (the whole graph read with SPARQL), :mod:`kg.viz.skeleton`
and :mod:`kg.viz.details` (a large store: nodes and edges first, details only for the
nodes shown), :mod:`kg.viz.reduce` (the clusters), :mod:`kg.viz.layout` (fixed
positions), :mod:`kg.viz.render` (the page) and :mod:`kg.viz.common` (classes, styles,
relation labels, the error).
"""

from __future__ import annotations

from kg.money import format_amount
from kg.viz.common import CLASS_STYLES, EDGE_LABELS, VizError
from kg.viz.common import CLUSTER_STYLE as CLUSTER_STYLE
from kg.viz.common import TEXT_PREFIX as TEXT_PREFIX
from kg.viz.graph import network_graph
from kg.viz.reduce import CLUSTER_PREFIX as CLUSTER_PREFIX
from kg.viz.reduce import CLUSTER_SHARE as CLUSTER_SHARE
from kg.viz.render import PHYSICS_LIMIT, render_html, write_html
from kg.viz.render import STABILIZATION_ITERATIONS as STABILIZATION_ITERATIONS

__all__ = [
    "network_graph",
    "render_html",
    "write_html",
    "format_amount",
    "VizError",
    "CLASS_STYLES",
    "EDGE_LABELS",
    "PHYSICS_LIMIT",
]
