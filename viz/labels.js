/* policy-kg network page: names drawn at a fixed screen size, never overlapping, and
   unconnected nodes pinned beside or under the graph. Inlined by kg.viz.render_html after
   pyvis's own script (whose globals `network` and `nodes` it uses); it writes no HTML.

   vis-network scales its labels with the zoom, so at the zoom that fits a graph of a hundred
   nodes they are about 7 px and pile up at hubs. Here vis draws no node label (its draw
   threshold is set out of reach) and this script draws them after every frame: each name at
   LABEL_PX screen pixels, in rank order (the focus, the selection, then the best-connected
   nodes), skipped when its box would overlap a name already drawn. Zooming in shows more names. */
(function () {
  "use strict";
  var LABEL_PX = 13;
  var EDGE_PX = 12;
  var FACE = "\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"WenQuanYi Micro Hei\", \"Microsoft YaHei\", sans-serif";
  var CELL = 64;
  if (typeof network === "undefined" || !network || typeof nodes === "undefined") { return; }
  var container = document.getElementById("mynetwork");
  var all = nodes.get();
  var order = all.slice().sort(function (a, b) { return (a.rank || 0) - (b.rank || 0); })
    .map(function (n) { return n.id; });
  var widths = {};  // label width at 100 px, measured once per node
  var edgeList = typeof edges !== "undefined" && edges ? edges.get().filter(function (e) { return e.relation; }) : [];
  // a hub's spokes of one relation would all repeat its name: only edges whose relation is
  // rare at both ends (at most REPEAT times) get it written on them; tooltips give the rest
  var REPEAT = 3, seenAt = {};
  edgeList.forEach(function (e) {
    [e.from, e.to].forEach(function (n) { var k = n + "|" + e.relation; seenAt[k] = (seenAt[k] || 0) + 1; });
  });
  edgeList = edgeList.filter(function (e) {
    return seenAt[e.from + "|" + e.relation] <= REPEAT && seenAt[e.to + "|" + e.relation] <= REPEAT;
  });

  function width(ctx, key, text) {
    if (!(key in widths)) {
      ctx.font = "100px " + FACE;
      widths[key] = ctx.measureText(text).width;
    }
    return widths[key];
  }

  function Grid() { this.cells = {}; this.boxes = []; }
  Grid.prototype.keys = function (b) {
    var out = [];
    for (var i = Math.floor(b[0] / CELL); i <= Math.floor(b[2] / CELL); i++) {
      for (var j = Math.floor(b[1] / CELL); j <= Math.floor(b[3] / CELL); j++) { out.push(i + "," + j); }
    }
    return out;
  };
  Grid.prototype.free = function (b) {
    var keys = this.keys(b);
    for (var k = 0; k < keys.length; k++) {
      var list = this.cells[keys[k]];
      if (!list) { continue; }
      for (var m = 0; m < list.length; m++) {
        var o = list[m];
        if (b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) { return false; }
      }
    }
    return true;
  };
  Grid.prototype.add = function (b) {
    var keys = this.keys(b);
    for (var k = 0; k < keys.length; k++) { (this.cells[keys[k]] = this.cells[keys[k]] || []).push(b); }
    this.boxes.push(b);
  };

  function drawText(ctx, text, x, y, size) {
    ctx.font = size + "px " + FACE;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = size / 4;
    ctx.strokeStyle = "rgba(255,255,255,0.92)";
    ctx.strokeText(text, x, y);
    ctx.fillStyle = "#1f2328";
    ctx.fillText(text, x, y);
  }

  function drawLabels(ctx) {
    var scale = network.getScale();
    var view = network.getViewPosition();
    var w = container.clientWidth, h = container.clientHeight;
    var body = network.body.nodes;  // read in place: getPositions() copies every node each frame
    var grid = new Grid();
    var drawn = [];
    var selected = network.getSelectedNodes();
    var first = selected.concat(order);
    var seen = {};
    // screen position of a canvas point
    function sx(x) { return (x - view.x) * scale + w / 2; }
    function sy(y) { return (y - view.y) * scale + h / 2; }
    // a name is not written over the symbol of a node whose name is written, nor over its own
    // node's symbol: which name is whose stays clear
    var discs = new Grid();
    for (var i = 0; i < first.length; i++) {
      var id = first[i];
      if (seen[id]) { continue; }
      seen[id] = true;
      var node = body[id], p = node;
      if (!node || !node.options.label) { continue; }
      var r = (node.options.size || 10) * scale;
      var x = sx(p.x), y = sy(p.y) + r + 2;
      if (x < -400 || x > w + 400 || y < -40 || y > h + 40) { continue; }  // off screen: not measured
      var text = String(node.options.label);
      var tw = width(ctx, "n" + id, text) * LABEL_PX / 100;
      var box = [x - tw / 2 - 2, y, x + tw / 2 + 2, y + LABEL_PX * 1.3];
      if (box[2] < 0 || box[0] > w || box[3] < 0 || box[1] > h) { continue; }
      var disc = [x - r, y - 2 - 2 * r, x + r, y - 2];
      if (!grid.free(box) || !discs.free(box) || !grid.free(disc)) { continue; }
      grid.add(box);
      discs.add(disc);
      drawn.push({ x0: box[0], y0: box[1], x1: box[2], y1: box[3], text: text, px: LABEL_PX, id: id });
      drawText(ctx, text, p.x, p.y + (r + 2) / scale, LABEL_PX / scale);
    }
    // relation names on the edges that have room for them, after every node name
    for (var e = 0; e < edgeList.length; e++) {
      var ed = edgeList[e];
      var a = body[ed.from], b = body[ed.to];
      if (!a || !b) { continue; }
      var len = Math.sqrt((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)) * scale;
      var ew = width(ctx, "r" + ed.relation, ed.relation) * EDGE_PX / 100;
      if (len < ew + 48) { continue; }
      var mx = sx((a.x + b.x) / 2), my = sy((a.y + b.y) / 2) - EDGE_PX * 0.65;
      var ebox = [mx - ew / 2 - 1, my, mx + ew / 2 + 1, my + EDGE_PX * 1.3];
      if (ebox[2] < 0 || ebox[0] > w || ebox[3] < 0 || ebox[1] > h || !grid.free(ebox) || !discs.free(ebox)) { continue; }
      grid.add(ebox);
      drawn.push({ x0: ebox[0], y0: ebox[1], x1: ebox[2], y1: ebox[3], text: ed.relation, px: EDGE_PX, edge: true });
      drawText(ctx, ed.relation, (a.x + b.x) / 2, (a.y + b.y) / 2 - EDGE_PX * 0.65 / scale, EDGE_PX / scale);
    }
    window.kgLabels = drawn;
    if (document.body.getAttribute("data-kg-labels") !== String(drawn.length)) {
      document.body.setAttribute("data-kg-labels", String(drawn.length));
    }
  }

  var lone = all.filter(function (n) { return n.unconnected; }).map(function (n) { return n.id; });
  var isLone = {};
  lone.forEach(function (id) { isLone[id] = true; });
  var done = false;

  function settled() {
    if (done) { return; }
    done = true;
    pinUnconnected();
    document.body.setAttribute("data-kg-settled", "1");  // for tests and screenshots
  }

  // Unconnected nodes do not take part in the physics (they would drift away): once the
  // rest has settled they are put in columns to its right (a canvas wider than the graph) or
  // in rows under it (or, if nothing is connected, in rows filling the canvas), spaced by
  // their names' widths at the zoom that will show them.
  function pinUnconnected() {
    if (!lone.length) { return; }
    var pos = network.getPositions();
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (var id in pos) {
      if (isLone[id]) { continue; }
      x0 = Math.min(x0, pos[id].x); x1 = Math.max(x1, pos[id].x);
      y0 = Math.min(y0, pos[id].y); y1 = Math.max(y1, pos[id].y);
    }
    var W = Math.max(container.clientWidth, 200), H = Math.max(container.clientHeight, 200);
    var ctx = document.createElement("canvas").getContext("2d");
    var steps = lone.map(function (id) {  // screen pixels each takes in its row
      return Math.max(width(ctx, "n" + id, String(nodes.get(id).label || "")) * LABEL_PX / 100, 40) + 24;
    });
    var connected = x0 !== Infinity;
    var total = steps.reduce(function (a, b) { return a + b; }, 0);
    var fit = 1, round, k, x, y;
    // the zoom that fits everything depends on where the names go: settle it in a few rounds
    if (connected && W / H > 1.2 * (x1 - x0 + 1) / (y1 - y0 + 1)) {
      // the canvas is wider than the graph: columns to its right, as tall as the graph
      for (round = 0; round < 4; round++) {
        var rowStep = 46 / fit, perCol = Math.max(1, Math.floor((y1 - y0) / rowStep) + 1);
        x = x1 + 90 / fit;
        for (k = 0; k < lone.length; k += perCol) {
          var col = steps.slice(k, k + perCol), colWidth = Math.max.apply(null, col) / fit;
          for (var j = 0; j < col.length; j++) { network.moveNode(lone[k + j], x + colWidth / 2, y0 + j * rowStep); }
          x += colWidth + 16 / fit;
        }
        fit = Math.min(W / (x - x0 + 120), H / (y1 - y0 + 120), 1);
      }
    } else {
      // rows: under the graph, as wide as the canvas shows at the graph's height, or (nothing
      // connected) about as wide as the canvas is wide
      var rowPx = Math.min(W - 80, Math.max(600, Math.sqrt(total * 48 * W / H)));
      var bottom = connected ? y1 : 0;
      for (round = 0; round < 4; round++) {
        var rowWidth = connected ? Math.max(x1 - x0, 600, (y1 - y0) * W / H) : rowPx / fit;
        var left = connected ? (x0 + x1) / 2 - rowWidth / 2 : -rowWidth / 2;
        fit = Math.min(W / (rowWidth + 200), H / Math.max(bottom - (connected ? y0 : 0) + 200, 1), 1);
        x = left; y = connected ? y1 + 60 / fit + 40 : 0;
        for (k = 0; k < lone.length; k++) {
          var step = steps[k] / fit;
          if (x > left && x + step > left + rowWidth) { x = left; y += 48 / fit; }
          network.moveNode(lone[k], x + step / 2, y);
          x += step;
        }
        bottom = y;
      }
    }
    network.fit();
  }

  network.on("afterDrawing", drawLabels);
  var physicsOn = network.physics && network.physics.options && network.physics.options.enabled;
  if (physicsOn && lone.length < all.length) {
    network.once("stabilizationIterationsDone", settled);
    network.once("stabilized", settled);
  } else {
    settled();
  }
  network.redraw();
})();
