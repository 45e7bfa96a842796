/* policy-kg network view: find nodes by name, open a node's page on double-click.
   Works with the globals of the pyvis page (network, nodes). No data is ever written as HTML. */
(function () {
  "use strict";
  var iris = [];
  try {
    iris = JSON.parse(document.getElementById("kg-iris").textContent || "[]");
  } catch (e) {
    iris = [];
  }

  function whenReady(fn, tries) {
    if (typeof network !== "undefined" && network && typeof nodes !== "undefined" && nodes) {
      fn();
    } else if ((tries || 0) < 200) {
      setTimeout(function () { whenReady(fn, (tries || 0) + 1); }, 50);
    }
  }

  function status(text) {
    var el = document.getElementById("kg-search-status");
    if (el) { el.textContent = text; }
  }

  function find(text) {
    var needle = String(text || "").trim().toLowerCase();
    if (!needle) { network.unselectAll(); status(""); return; }
    // names first; only when no name matches, the tooltips (evidence, IRIs) are searched
    var hits = nodes.get({
      filter: function (n) { return String(n.label || "").toLowerCase().indexOf(needle) >= 0; }
    });
    if (!hits.length) {
      hits = nodes.get({
        filter: function (n) { return String(n.title || "").toLowerCase().indexOf(needle) >= 0; }
      });
    }
    var ids = hits.map(function (n) { return n.id; });
    network.selectNodes(ids);
    if (ids.length === 1) {
      network.focus(ids[0], { scale: 1.3, animation: { duration: 400 } });
    } else if (ids.length > 1) {
      network.fit({ nodes: ids, animation: { duration: 400 } });
    }
    status(ids.length + " 个匹配 match(es)");
  }

  whenReady(function () {
    network.on("doubleClick", function (params) {
      if (params.nodes && params.nodes.length) {
        var iri = iris[params.nodes[0]];
        if (iri) { window.location.href = "/entity?iri=" + encodeURIComponent(iri); }
      }
    });
    var form = document.getElementById("kg-search-form");
    var input = document.getElementById("kg-search");
    if (form && input) {
      form.addEventListener("submit", function (ev) { ev.preventDefault(); find(input.value); });
      if (input.value) { find(input.value); }
    }
    document.body.setAttribute("data-kg-ready", String(nodes.length));
  });
})();
