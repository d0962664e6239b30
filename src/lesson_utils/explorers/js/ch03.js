/* Chapter 3 explorer: both grids of a 1-D resize, the arrows, the resize matrix.
 *
 * Maths (window.lessonExplorers.ch03):
 *   sourceCoordinates(nIn, nOut, alignCorners) = resize.source_coordinates
 *   resizeMatrix(nIn, nOut, method, alignCorners, antialias, a) = resize.resize_matrix
 *   mappingMatrix(nIn, nOut, mapping, method, antialias, a): the matrix the picture
 *   shows; for "top_left" its rows are those of resize.grid_frame (no antialias).
 */
(function () {
  "use strict";
  var ns = (window.lessonExplorers = window.lessonExplorers || {});
  var core = ns.core, num = core.num;
  var LABELS = { half_pixel: "half-pixel (align_corners=False)", align_corners: "align_corners=True", top_left: "top-left (x\u2c7c = j\u00b7s)" };

  function sourceCoordinates(nIn, nOut, alignCorners) {
    return num.sourceCoordinates(nIn, nOut, !!alignCorners);
  }
  function resizeMatrix(nIn, nOut, method, alignCorners, antialias, a) {
    return num.resizeMatrix(nIn, nOut, method, !!alignCorners, !!antialias, a);
  }
  /** The rows of resize.grid_frame for one mapping (top-left: no antialias). */
  function mappingMatrix(nIn, nOut, mapping, method, antialias, a) {
    num.choice(mapping, "mapping", ["half_pixel", "align_corners", "top_left"]);
    if (mapping !== "top_left") return resizeMatrix(nIn, nOut, method, mapping === "align_corners", antialias, a);
    var x = num.mappedCoordinates(nIn, nOut, "top_left"), m = [];
    for (var i = 0; i < nOut; i++) {
      var row = new Array(nIn).fill(0);
      if (method === "nearest") {
        row[Math.min((i * nIn - ((i * nIn) % nOut)) / nOut, nIn - 1)] += 1;
      } else {
        var t = num.tapWeights(x[i], num.TO_1D[method], a);
        for (var k = 0; k < t.idx.length; k++) row[num.clip(t.idx[k], 0, nIn - 1)] += t.w[k];
      }
      m.push(row);
    }
    return m;
  }

  function describe(s, x, row) {
    var f = core.fmt, j = s.output, nIn = s.nIn, nOut = s.nOut;
    var centre = ((2 * j + 1) * nIn - nOut) / (2 * nOut);
    var formula;
    if (s.mapping === "half_pixel") formula = "(" + j + " + 0.5)·" + nIn + "/" + nOut + " \u2212 0.5";
    else if (s.mapping === "top_left") formula = j + "·" + nIn + "/" + nOut;
    else formula = nOut === 1 ? "0 (one output)" : j + "·(" + nIn + " \u2212 1)/(" + nOut + " \u2212 1)";
    var terms = "", first = true;
    row.forEach(function (w, i) {
      if (w === 0) return;
      terms += core.term(w, 2, first) + "·v" + core.sub(i);
      first = false;
    });
    var aa = antialiasUsed(s) ? "; antialias widens the kernel by " + f(step(s)) + " and renormalises" : "";
    return "output " + j + " of " + nOut + " (" + nIn + " \u2192 " + nOut + ", " + LABELS[s.mapping] + ", " + s.method +
      "): x" + core.sub(j) + " = " + formula + " = " + f(x[j]) + "; its cell's centre is at " + f(centre) +
      " (shift " + f(x[j] - centre) + " input pixels); it reads " + terms + aa;
  }
  function step(s) {
    return s.mapping === "align_corners" ? (s.nOut > 1 ? (s.nIn - 1) / (s.nOut - 1) : 1) : s.nIn / s.nOut;
  }
  function antialiasUsed(s) { return s.antialias && s.mapping !== "top_left" && step(s) > 1; }

  var VW = 440, GRID = { left: 22, right: 418, inTop: 36, inBottom: 76, outTop: 176, outBottom: 216 };

  function mount(root, data) {
    var maxN = data.max_size;
    root.textContent = "";
    core.el("p", { class: "ex-title" }, root, data.title);
    var plot = core.svg("svg", {
      class: "ex-plot", viewBox: "0 0 " + VW + " 250", tabindex: "0", role: "slider",
      "aria-label": "Chosen output sample: click an output cell, or use the arrow keys",
    }, root);
    var defs = core.svg("defs", null, plot);
    var markerId = core.nextId("ex-arrow");
    var marker = core.svg("marker", { id: markerId, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, defs);
    core.svg("path", { d: "M0,0 L10,5 L0,10 z", style: "fill:var(--ex-grid)" }, marker);
    var markerSel = core.svg("marker", { id: markerId + "s", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" }, defs);
    core.svg("path", { d: "M0,0 L10,5 L0,10 z", style: "fill:var(--ex-point)" }, markerSel);
    var g = core.svg("g", null, plot);
    core.svg("text", { x: GRID.left, y: 12, "font-size": 12, class: "ex-muted" }, g, "input");
    core.svg("text", { x: GRID.left, y: GRID.outBottom + 28, "font-size": 12, class: "ex-muted" }, g, "output (drawn over the same width)");
    var inCells = core.pool(g, "rect", function (n) { core.attr(n, { y: GRID.inTop, height: GRID.inBottom - GRID.inTop }); });
    var inLabels = core.pool(g, "text", function (n) { core.attr(n, { "font-size": 11, "text-anchor": "middle", class: "ex-muted" }); });
    var weightLabels = core.pool(g, "text", function (n) { core.attr(n, { "font-size": 11, "text-anchor": "middle", class: "ex-halo", style: "font-weight:600" }); });
    var outCells = core.pool(g, "rect", function (n) { core.attr(n, { y: GRID.outTop, height: GRID.outBottom - GRID.outTop }); });
    var outLabels = core.pool(g, "text", function (n) { core.attr(n, { "font-size": 11, "text-anchor": "middle", class: "ex-muted" }); });
    var arrows = core.pool(g, "line", function (n) { core.attr(n, { "marker-end": "url(#" + markerId + ")", style: "stroke:var(--ex-grid);stroke-width:1.2" }); });
    var chosen = core.svg("line", { "marker-end": "url(#" + markerId + "s)", style: "stroke:var(--ex-point);stroke-width:2.5" }, g);
    var srcDot = core.svg("circle", { r: 4, cy: GRID.inBottom, style: "fill:var(--ex-point)" }, g);
    // the resize matrix
    var side = core.el("div", { class: "ex-row" }, root);
    var mat = core.svg("svg", { class: "ex-main", viewBox: "0 0 440 200", "aria-hidden": "true", style: "max-width:440px" }, side);
    var gm = core.svg("g", null, mat);
    var matTitle = core.svg("text", { x: 4, y: 13, "font-size": 12, class: "ex-muted" }, gm);
    var matCells = core.pool(gm, "rect");
    var matText = core.pool(gm, "text", function (n) { core.attr(n, { "text-anchor": "middle" }); });
    var matSel = core.svg("rect", { style: "fill:none;stroke:var(--ex-point);stroke-width:2" }, gm);

    var controls = core.el("div", { class: "ex-controls" }, root);
    var readout = core.el("p", { "data-readout": "", "aria-live": "polite" }, root);
    core.el("p", { class: "ex-help" }, root,
      "Click or drag along the output row to choose an output, or focus the picture and use \u2190 \u2192. Below: the resize matrix M (rows: outputs, columns: inputs; blue positive, orange negative), the chosen row outlined.");
    var state = { nIn: data.n_in, nOut: data.n_out, mapping: data.mapping, method: data.method, antialias: data.antialias, output: data.output, a: data.a };
    var app = core.createApp(root, render, state);
    var player = null;
    function stop() { if (player) player.stop(); }
    var nInCtl = core.range(controls, "input size", { min: 1, max: maxN, step: 1, value: state.nIn, format: function (v) { return String(v); } },
      function (v) { stop(); app.set({ nIn: v }); });
    var nOutCtl = core.range(controls, "output size", { min: 1, max: maxN, step: 1, value: state.nOut, format: function (v) { return String(v); } },
      function (v) { stop(); app.set({ nOut: v, output: Math.min(state.output, v - 1) }); });
    var mapCtl = core.select(controls, "mapping", data.mappings.map(function (m) { return [m, LABELS[m]]; }), state.mapping,
      function (v) { stop(); app.set({ mapping: v }); });
    var methodCtl = core.select(controls, "method", [["nearest", "nearest"], ["bilinear", "bilinear"], ["bicubic", "bicubic (a = " + core.fmt(data.a) + ")"]],
      state.method, function (v) { stop(); app.set({ method: v }); });
    var aaCtl = core.checkbox(controls, "antialias (when shrinking)", state.antialias, function (v) { stop(); app.set({ antialias: v }); });
    var frames = [];
    (data.play_sizes || []).forEach(function (p) {
      data.mappings.forEach(function (m) {
        for (var j = 0; j < p[1]; j++) frames.push({ nIn: p[0], nOut: p[1], mapping: m, output: j });
      });
    });
    if (frames.length) {
      player = core.createPlayer(root, {
        before: readout, count: frames.length, interval: data.interval, label: "Visit every output, mapping by mapping",
        show: function (i) { app.set(frames[i]); },
      });
    }
    var sx = null;
    function pick(e) {
      stop();
      var p = core.svgPoint(plot, e);
      if (!p || !sx) return;
      var v = sx.invert(p.x), best = 0, bestD = Infinity;
      for (var j = 0; j < state.nOut; j++) {
        var c = ((2 * j + 1) * state.nIn - state.nOut) / (2 * state.nOut), d = Math.abs(c - v);
        if (d < bestD) { bestD = d; best = j; }
      }
      app.set({ output: best });
    }
    core.drag(plot, pick);
    core.keys(plot, function (k) {
      stop();
      var j = state.output;
      if (k.key === "Home") j = 0;
      else if (k.key === "End") j = state.nOut - 1;
      else j += k.dx || k.dy;
      app.set({ output: num.clip(j, 0, state.nOut - 1) });
    });

    function render(s) {
      if (nInCtl.value != s.nIn) nInCtl.update(s.nIn);
      if (nOutCtl.value != s.nOut) nOutCtl.update(s.nOut);
      mapCtl.value = s.mapping;
      methodCtl.value = s.method;
      aaCtl.disabled = s.mapping === "top_left";
      var nIn = s.nIn, nOut = s.nOut, j = Math.min(s.output, nOut - 1);
      s.output = j;
      sx = core.scale(-0.5, nIn - 0.5, GRID.left, GRID.right);
      var x = num.mappedCoordinates(nIn, nOut, s.mapping);
      var m = mappingMatrix(nIn, nOut, s.mapping, s.method, s.antialias && s.mapping !== "top_left", s.a);
      var row = m[j], cw = (GRID.right - GRID.left) / nIn, ow = (GRID.right - GRID.left) / nOut;
      for (var i = 0; i < nIn; i++) {
        var wgt = row[i];
        core.attr(inCells.get(i), {
          x: sx(i - 0.5), width: cw,
          style: "stroke:var(--ex-grid);fill:" + (wgt > 0 ? "var(--ex-pos)" : wgt < 0 ? "var(--ex-neg)" : "var(--ex-bg)") +
            ";fill-opacity:" + (wgt === 0 ? 1 : (0.2 + 0.6 * Math.min(Math.abs(wgt), 1)).toFixed(2)),
        });
        core.text(core.attr(inLabels.get(i), { x: sx(i), y: GRID.inTop - 6 }), nIn > 16 && i % 2 ? "" : String(i));
        core.show(weightLabels.get(i), wgt !== 0 && cw > 24);
        core.text(core.attr(weightLabels.items[i], { x: sx(i), y: (GRID.inTop + GRID.inBottom) / 2 + 4 }), core.fmt(wgt));
      }
      inCells.hideFrom(nIn);
      inLabels.hideFrom(nIn);
      weightLabels.hideFrom(nIn);
      for (var o = 0; o < nOut; o++) {
        var centre = ((2 * o + 1) * nIn - nOut) / (2 * nOut);
        core.attr(outCells.get(o), {
          x: GRID.left + o * ow, width: ow,
          style: "stroke:var(--ex-grid);fill:" + (o === j ? "var(--ex-point)" : "var(--ex-bg)") + ";fill-opacity:" + (o === j ? 0.3 : 1),
        });
        core.text(core.attr(outLabels.get(o), { x: GRID.left + (o + 0.5) * ow, y: GRID.outBottom + 13 }), nOut > 16 && o % 2 ? "" : String(o));
        core.attr(arrows.get(o), { x1: sx(centre), y1: GRID.outTop, x2: sx(x[o]), y2: GRID.inBottom + 3 });
        core.show(arrows.items[o], o !== j);
      }
      outCells.hideFrom(nOut);
      outLabels.hideFrom(nOut);
      arrows.hideFrom(nOut);
      var cj = ((2 * j + 1) * nIn - nOut) / (2 * nOut);
      core.attr(chosen, { x1: sx(cj), y1: GRID.outTop, x2: sx(x[j]), y2: GRID.inBottom + 3 });
      core.attr(srcDot, { cx: sx(x[j]) });
      // matrix heat map
      var size = Math.min(34, 420 / nIn, 220 / nOut), left = 10, top = 22;
      core.text(matTitle, "M: " + nOut + " \u00d7 " + nIn + " (each row sums to 1)");
      var k = 0;
      for (o = 0; o < nOut; o++) {
        for (i = 0; i < nIn; i++, k++) {
          var v = m[o][i];
          core.attr(matCells.get(k), {
            x: left + i * size, y: top + o * size, width: size - 1, height: size - 1,
            style: "fill:" + (v > 0 ? "var(--ex-pos)" : v < 0 ? "var(--ex-neg)" : "var(--ex-panel)") +
              ";fill-opacity:" + (v === 0 ? 1 : (0.15 + 0.85 * Math.min(Math.abs(v), 1)).toFixed(2)),
          });
        }
      }
      matCells.hideFrom(k);
      var showText = size >= 24;
      k = 0;
      if (showText) {
        for (o = 0; o < nOut; o++) {
          for (i = 0; i < nIn; i++) {
            if (m[o][i] === 0) continue;
            core.text(core.attr(matText.get(k++), { x: left + (i + 0.5) * size, y: top + (o + 0.5) * size + 3, "font-size": size >= 32 ? 10 : 8.5, class: "ex-halo" }), core.fmt(m[o][i]));
          }
        }
      }
      matText.hideFrom(k);
      core.attr(matSel, { x: left - 1.5, y: top + j * size - 1.5, width: nIn * size + 2, height: size + 2 });
      core.attr(mat, { viewBox: "0 0 440 " + Math.ceil(top + nOut * size + 6) });
      core.text(readout, describe(s, x, row));
      core.attr(plot, { "aria-valuemin": 0, "aria-valuemax": nOut - 1, "aria-valuenow": j, "aria-valuetext": "output " + j });
    }
    app.renderNow();
    return { app: app, player: player, plot: plot, readout: readout };
  }

  ns.ch03 = {
    sourceCoordinates: sourceCoordinates,
    resizeMatrix: resizeMatrix,
    mappingMatrix: mappingMatrix,
    mappedCoordinates: num.mappedCoordinates,
    describe: describe,
    mount: mount,
  };
  core.mountAll("ch03", mount);
})();
