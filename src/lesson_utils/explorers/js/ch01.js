/* Chapter 1 explorer: drag the sample point along a 1-D signal.
 *
 * Maths (window.lessonExplorers.ch01):
 *   sample1d(values, x, method, edge) = interp1d.sample_1d(values, [x], method=...,
 *   edge=...)[0] (cubic with a = -0.5); taps(values, x, method, edge) gives the taps
 *   it reads. Picture: the signal with its interpolant, the taps circled, the weight
 *   bars; the readout spells the weighted sum out with the current numbers.
 */
(function () {
  "use strict";
  var ns = (window.lessonExplorers = window.lessonExplorers || {});
  var core = ns.core, num = core.num;

  /** The taps of one position: index, the value each reads, weight, inside. */
  function taps(values, x, method, edge) {
    num.choice(edge, "edge", ["clamp", "zeros"]);
    var n = values.length, t = num.tapWeights(x, method), out = [];
    for (var k = 0; k < t.idx.length; k++) {
      var i = t.idx[k], inside = i >= 0 && i < n;
      var read = inside ? values[i] : edge === "clamp" ? values[num.clip(i, 0, n - 1)] : 0;
      out.push({ index: i, inside: inside, reads: num.clip(i, 0, n - 1), value: read, weight: t.w[k] });
    }
    return out;
  }

  /** interp1d.sample_1d(values, [x], method=method, edge=edge)[0]. */
  function sample1d(values, x, method, edge) {
    var tp = taps(values, x, method, edge), prod = new Array(tp.length);
    for (var k = 0; k < tp.length; k++) prod[k] = tp[k].value * tp[k].weight;
    return num.npsum(prod);
  }

  var TAP_COLOURS = {
    1: ["--ex-left"],
    2: ["--ex-left", "--ex-right"],
    4: ["--ex-extra1", "--ex-left", "--ex-right", "--ex-extra2"],
  };
  var SIG = { w: 360, h: 236, left: 38, right: 350, top: 18, bottom: 196 };
  var BAR = { w: 130, h: 236, left: 24, right: 124, top: 18, bottom: 196 };

  function describe(state, values) {
    var f = core.fmt, sub = core.sub, x = state.x, n = values.length;
    var tp = taps(values, x, state.method, state.edge);
    var value = sample1d(values, x, state.method, state.edge);
    var where = x < 0 ? " (left of the signal, edge " + state.edge + ")" :
      x > n - 1 ? " (right of the signal, edge " + state.edge + ")" : "";
    function name(t) {
      if (t.inside) return "v" + sub(t.index);
      return state.edge === "zeros" ? "0" : "v" + sub(t.reads);
    }
    var head = "x = " + f(x) + where + ": ";
    if (state.method === "nearest") {
      var frac = x - Math.floor(x), tie = Math.abs(frac - 0.5) < 1e-9;
      var msg = tie
        ? "a tie between v" + sub(Math.floor(x)) + " and v" + sub(Math.floor(x) + 1) + ", rounded up to " + name(tp[0])
        : "nearest sample " + name(tp[0]);
      return head + msg + " = " + f(value) + (tp[0].inside ? "" : state.edge === "clamp" ? " (the end sample)" : " (outside the signal)");
    }
    var sym = "", nums = "";
    tp.forEach(function (t, k) {
      sym += core.term(t.weight, 2, k === 0) + "·" + name(t);
      nums += core.term(t.weight, 2, k === 0) + "·" + f(t.value);
    });
    var outside = tp.some(function (t) { return !t.inside; });
    var note = outside ? (state.edge === "clamp" ? "; taps outside the signal read the end sample" : "; taps outside the signal read 0") : "";
    return head + sym + " = " + nums + " = " + f(value) + note;
  }

  function mount(root, data) {
    var values = data.values.map(Number), n = values.length;
    var x0 = data.x_range[0], x1 = data.x_range[1];
    var sx = core.scale(x0, x1, SIG.left, SIG.right);
    // the y range covers every method's curve, so switching never rescales
    var lo = Math.min(0, Math.min.apply(null, values)), hi = Math.max.apply(null, values);
    var probe = num.linspace(x0, x1, 301);
    ["linear", "cubic"].forEach(function (m) {
      probe.forEach(function (x) {
        var v = sample1d(values, x, m, "clamp");
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      });
    });
    var pad = 0.1 * (hi - lo + 1);
    var sy = core.scale(lo - pad, hi + pad, SIG.bottom, SIG.top);
    var sw = core.scale(-0.25, 1.08, BAR.bottom, BAR.top + 8);

    var row = core.start(root, data.title);
    var plot = core.svg("svg", {
      class: "ex-plot ex-main", viewBox: "0 0 " + SIG.w + " " + SIG.h, tabindex: "0", role: "slider",
      "aria-label": "Sample point x: drag, or use the arrow keys",
      "aria-valuemin": x0, "aria-valuemax": x1, "aria-orientation": "horizontal",
    }, row);
    var side = core.svg("svg", { class: "ex-side", viewBox: "0 0 " + BAR.w + " " + BAR.h, "aria-hidden": "true" }, row);
    var g = core.svg("g", null, plot);
    // outside the signal: shaded
    core.svg("rect", { x: sx(x0), y: SIG.top, width: sx(0) - sx(x0), height: SIG.bottom - SIG.top, style: "fill:var(--ex-panel)" }, g);
    core.svg("rect", { x: sx(n - 1), y: SIG.top, width: sx(x1) - sx(n - 1), height: SIG.bottom - SIG.top, style: "fill:var(--ex-panel)" }, g);
    core.ticks(lo - pad, hi + pad, 4).forEach(function (v) {
      core.svg("line", { class: v === 0 ? "ex-axis" : "ex-gridline", x1: SIG.left, x2: SIG.right, y1: sy(v), y2: sy(v) }, g);
      core.svg("text", { x: SIG.left - 4, y: sy(v) + 4, "text-anchor": "end", "font-size": 12, class: "ex-muted" }, g, core.fmt(v, Math.abs(v) < 10 && v % 1 ? 1 : 0));
    });
    for (var i = Math.ceil(x0); i <= Math.floor(x1); i++) {
      core.svg("line", { class: "ex-axis", x1: sx(i), x2: sx(i), y1: SIG.bottom, y2: SIG.bottom + 4 }, g);
      core.svg("text", { x: sx(i), y: SIG.bottom + 17, "text-anchor": "middle", "font-size": 12, class: "ex-muted" }, g, core.fmt(i, 0));
    }
    core.svg("line", { class: "ex-axis", x1: SIG.left, x2: SIG.right, y1: SIG.bottom, y2: SIG.bottom }, g);
    core.svg("text", { x: (SIG.left + SIG.right) / 2, y: SIG.h - 4, "text-anchor": "middle", "font-size": 12, class: "ex-muted" }, g, "position x");
    var curve = core.svg("path", { style: "fill:none;stroke:var(--ex-grid);stroke-width:1.5" }, g);
    var guide = core.svg("line", { y1: SIG.top, y2: SIG.bottom, style: "stroke:var(--ex-point);stroke-width:1;stroke-dasharray:3 3" }, g);
    var links = core.pool(g, "line", function (node) { core.attr(node, { style: "stroke:var(--ex-grid);stroke-width:1;stroke-dasharray:2 2" }); });
    for (i = 0; i < n; i++) {
      core.svg("circle", { cx: sx(i), cy: sy(values[i]), r: 4.5, style: "fill:var(--ex-sample)" }, g);
      core.svg("text", { x: sx(i) - 9, y: sy(values[i]) - 9, "text-anchor": "end", "font-size": 12 }, g, "v" + core.sub(i));
    }
    var rings = core.pool(g, "circle", function (node) { core.attr(node, { r: 9, style: "fill:none;stroke-width:2.5" }); });
    var tieRing = core.svg("circle", { r: 13, style: "fill:none;stroke:var(--ex-grid);stroke-width:1.5;stroke-dasharray:3 2" }, g);
    var point = core.svg("rect", { width: 10, height: 10, x: -5, y: -5, style: "fill:var(--ex-point)" }, g);
    var tieLabel = core.svg("text", { "font-size": 12, "text-anchor": "middle", style: "font-weight:600" }, g, "tie: rounds up");
    // weights panel
    var gs = core.svg("g", null, side);
    core.svg("text", { x: (BAR.left + BAR.right) / 2, y: BAR.top - 5, "text-anchor": "middle", "font-size": 12, class: "ex-muted" }, gs, "weights");
    core.svg("line", { class: "ex-axis", x1: BAR.left, x2: BAR.right, y1: sw(0), y2: sw(0) }, gs);
    core.svg("line", { class: "ex-gridline", x1: BAR.left, x2: BAR.right, y1: sw(1), y2: sw(1) }, gs);
    core.svg("text", { x: BAR.left - 3, y: sw(1) + 4, "text-anchor": "end", "font-size": 11, class: "ex-muted" }, gs, "1");
    core.svg("text", { x: BAR.left - 3, y: sw(0) + 4, "text-anchor": "end", "font-size": 11, class: "ex-muted" }, gs, "0");
    var bars = core.pool(gs, "rect");
    var barValues = core.pool(gs, "text", function (node) { core.attr(node, { "font-size": 11, "text-anchor": "middle" }); });
    var barNames = core.pool(gs, "text", function (node) { core.attr(node, { "font-size": 12, "text-anchor": "middle" }); });

    var controls = core.el("div", { class: "ex-controls" }, root);
    var readout = core.el("p", { "data-readout": "", "aria-live": "polite" }, root);
    core.el("p", { class: "ex-help" }, root,
      "Drag the point (also past both ends), or focus the plot and use \u2190 \u2192 (Shift: larger steps, Home/End: the ends).");

    var state = { x: data.x, method: data.method, edge: data.edge, curveKey: "" };
    var app = core.createApp(root, render, state);
    core.select(controls, "method", [["nearest", "nearest"], ["linear", "linear"], ["cubic", "cubic (a = \u22120.5)"]],
      state.method, function (v) { player && player.stop(); app.set({ method: v }); });
    core.select(controls, "edge rule", [["clamp", "clamp"], ["zeros", "zeros"]],
      state.edge, function (v) { player && player.stop(); app.set({ edge: v }); });
    var player = null;
    if (data.path && data.path.length) {
      player = core.createPlayer(root, {
        before: readout, count: data.path.length, interval: data.interval, label: "Sweep the point across the signal",
        show: function (k) { app.set({ x: data.path[k] }); },
      });
    }

    function setX(x) {
      x = Math.round(num.clip(x, x0, x1) * 100) / 100;
      app.set({ x: x });
    }
    core.drag(plot, function (e) {
      if (player) player.stop();
      var p = core.svgPoint(plot, e);
      if (p) setX(sx.invert(Math.min(p.x, SIG.right)));
    });
    core.keys(plot, function (k) {
      if (player) player.stop();
      var step = k.shift ? 0.5 : 0.05;
      if (k.key === "Home") return setX(x0);
      if (k.key === "End") return setX(x1);
      if (k.key === "PageUp") return setX(state.x + 1);
      if (k.key === "PageDown") return setX(state.x - 1);
      if (k.dx || k.dy) return setX(state.x + (k.dx || k.dy) * step);
      return false;
    });

    function render(s) {
      var key = s.method + "/" + s.edge;
      if (s.curveKey !== key) {
        var d = "";
        probe.forEach(function (x, k) {
          d += (k ? "L" : "M") + sx(x).toFixed(2) + "," + sy(sample1d(values, x, s.method, s.edge)).toFixed(2);
        });
        core.attr(curve, { d: d });
        s.curveKey = key;
      }
      var tp = taps(values, s.x, s.method, s.edge);
      var value = sample1d(values, s.x, s.method, s.edge);
      var colours = TAP_COLOURS[tp.length];
      core.attr(guide, { x1: sx(s.x), x2: sx(s.x) });
      var nLinks = 0;
      tp.forEach(function (t, k) {
        var c = "var(" + colours[k] + ")";
        core.attr(rings.get(k), {
          cx: sx(t.index), cy: sy(t.value),
          style: "fill:none;stroke-width:2.5;stroke:" + c + (t.inside ? "" : ";stroke-dasharray:3 2"),
        });
        if (!t.inside && s.edge === "clamp") {
          core.attr(links.get(nLinks++), { x1: sx(t.index), y1: sy(t.value), x2: sx(t.reads), y2: sy(values[t.reads]) });
        }
        var bx = BAR.left + (k + 0.5) * ((BAR.right - BAR.left) / tp.length);
        var bw = Math.min(30, (BAR.right - BAR.left) / tp.length - 5);
        var top = sw(Math.max(t.weight, 0)), bottom = sw(Math.min(t.weight, 0));
        core.attr(bars.get(k), { x: bx - bw / 2, width: bw, y: top, height: Math.max(bottom - top, 0.5), style: "fill:" + c });
        core.text(core.attr(barValues.get(k), { x: bx, y: (t.weight >= 0 ? top - 4 : bottom + 12) }), core.fmt(t.weight));
        var nm = t.inside ? "v" + core.sub(t.index) : s.edge === "zeros" ? "0" : "v" + core.sub(t.reads);
        core.text(core.attr(barNames.get(k), { x: bx, y: BAR.bottom + 14 }), nm);
      });
      rings.hideFrom(tp.length);
      links.hideFrom(nLinks);
      bars.hideFrom(tp.length);
      barValues.hideFrom(tp.length);
      barNames.hideFrom(tp.length);
      core.attr(point, { transform: "translate(" + sx(s.x).toFixed(2) + "," + sy(value).toFixed(2) + ") rotate(45)" });
      var tie = s.method === "nearest" && Math.abs(s.x - Math.floor(s.x) - 0.5) < 1e-9;
      core.show(tieRing, tie);
      core.show(tieLabel, tie);
      if (tie) {
        var loser = Math.floor(s.x), lv = loser >= 0 && loser < n ? values[loser] : s.edge === "zeros" ? 0 : values[num.clip(loser, 0, n - 1)];
        core.attr(tieRing, { cx: sx(loser), cy: sy(lv) });
        core.attr(tieLabel, { x: sx(s.x), y: SIG.top + 12 });
      }
      var words = describe(s, values);
      core.text(readout, words);
      core.attr(plot, { "aria-valuenow": s.x, "aria-valuetext": "x = " + core.fmt(s.x) });
    }
    app.renderNow();
    return { app: app, player: player, plot: plot, readout: readout };
  }

  ns.ch01 = { sample1d: sample1d, taps: taps, describe: describe, mount: mount };
  core.mountAll("ch01", mount);
})();
