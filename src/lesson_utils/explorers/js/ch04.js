/* Chapter 4 explorer: the Keys kernel, its four taps, the 4 x 4 taps in 2-D and
 * the overshoot of a step, for the a and the x you choose.
 *
 * Maths (window.lessonExplorers.ch04):
 *   keysCubic(t, a) = kernels.keys_cubic(t, a)
 *   cubic1d(values, x, a) = interp1d.sample_1d(values, [x], method="cubic", a=a)[0]
 *   extremes(values, a) = [curve_min, curve_max] of kernels.keys_frame (201 points)
 */
(function () {
  "use strict";
  var ns = (window.lessonExplorers = window.lessonExplorers || {});
  var core = ns.core, num = core.num;

  function keysCubic(t, a) { return num.keysCubic(t, a); }

  function cubic1d(values, x, a) {
    var n = values.length, t = num.tapWeights(x, "cubic", a), prod = new Array(4);
    for (var k = 0; k < 4; k++) prod[k] = values[num.clip(t.idx[k], 0, n - 1)] * t.w[k];
    return num.npsum(prod);
  }

  function curve(values, a) {
    return num.linspace(0, values.length - 1, 201).map(function (x) { return [x, cubic1d(values, x, a)]; });
  }

  function extremes(values, a) {
    var lo = Infinity, hi = -Infinity;
    curve(values, a).forEach(function (p) { lo = Math.min(lo, p[1]); hi = Math.max(hi, p[1]); });
    return [lo, hi];
  }

  var TAP = ["--ex-extra1", "--ex-left", "--ex-right", "--ex-extra2"];
  var P = { w: 400, h: 330, left: 40, right: 392, kTop: 14, kBottom: 128, sTop: 160, sBottom: 300 };

  function describe(s, values) {
    var f = core.fmt, n = values.length, t = num.tapWeights(s.x, "cubic", s.a);
    var value = cubic1d(values, s.x, s.a), ext = extremes(values, s.a);
    var vmax = Math.max.apply(null, values), vmin = Math.min.apply(null, values);
    var ws = t.w.map(function (w) { return f(w); }).join(", ");
    var sum = num.npsum(t.w);
    var tx = s.x - Math.floor(s.x), neg2 = 0, count = 0, sum2 = 0;
    var wy = num.tapWeights(s.ty, "cubic", s.a).w, wx = num.tapWeights(tx, "cubic", s.a).w;
    wy.forEach(function (a) { wx.forEach(function (b) { var v = a * b; sum2 += v; if (v < 0) { neg2 += v; count += 1; } }); });
    return "x = " + f(s.x) + ", a = " + f(s.a) + ": taps v" + core.sub(t.idx[0]) + " \u2026 v" + core.sub(t.idx[3]) +
      (t.idx[0] < 0 || t.idx[3] > n - 1 ? " (clamped at the ends)" : "") + " with weights " + ws +
      " (sum " + f(sum) + "); f(x) = " + f(value, 3) +
      ". The interpolant reaches " + f(ext[1], 3) + " and " + f(ext[0], 3) + ": overshoot " + f(ext[1] - vmax, 3) +
      " above the largest sample, " + f(vmin - ext[0], 3) + " below the smallest. In 2-D at offsets (t\u1d67, t\u2093) = (" +
      f(s.ty) + ", " + f(tx) + "): 16 weights summing to " + f(sum2) + ", " + count + " negative (together " + f(neg2) + ")";
  }

  function mount(root, data) {
    var values = data.values, n = values.length;
    var x0 = -2, x1 = n + 1;
    var sx = core.scale(x0, x1, P.left, P.right);
    var sk = core.scale(-0.35, 1.1, P.kBottom, P.kTop);
    var vmin = Math.min.apply(null, values), vmax = Math.max.apply(null, values), span = vmax - vmin || 1;
    var ss = core.scale(vmin - 0.35 * span, vmax + 0.35 * span, P.sBottom, P.sTop);
    var row = core.start(root, data.title);
    var plot = core.svg("svg", {
      class: "ex-plot ex-main", viewBox: "0 0 " + P.w + " " + P.h, tabindex: "0", role: "application",
      "aria-roledescription": "interactive figure",
      "aria-label": "Sample point x and Keys parameter a: drag the point, or use \u2190 \u2192 for x and \u2191 \u2193 for a",
    }, row);
    var side = core.svg("svg", { class: "ex-side", viewBox: "0 0 180 200", "aria-hidden": "true" }, row);
    var g = core.svg("g", null, plot);
    core.svg("rect", { x: sx(x0), y: P.sTop, width: sx(0) - sx(x0), height: P.sBottom - P.sTop, style: "fill:var(--ex-panel)" }, g);
    core.svg("rect", { x: sx(n - 1), y: P.sTop, width: sx(x1) - sx(n - 1), height: P.sBottom - P.sTop, style: "fill:var(--ex-panel)" }, g);
    core.svg("text", { x: P.left, y: P.kTop - 2, "font-size": 12, class: "ex-muted" }, g, "kernel \u03c6\u2090 centred on x, and the tap weights");
    core.svg("text", { x: P.left, y: P.sTop - 6, "font-size": 12, class: "ex-muted" }, g, "samples and their cubic interpolant");
    [0, 1].forEach(function (v) {
      core.svg("line", { class: v ? "ex-gridline" : "ex-axis", x1: P.left, x2: P.right, y1: sk(v), y2: sk(v) }, g);
      core.svg("text", { x: P.left - 4, y: sk(v) + 4, "text-anchor": "end", "font-size": 11, class: "ex-muted" }, g, String(v));
    });
    core.ticks(vmin, vmax, 2).forEach(function (v) {
      core.svg("line", { class: "ex-gridline", x1: P.left, x2: P.right, y1: ss(v), y2: ss(v) }, g);
      core.svg("text", { x: P.left - 4, y: ss(v) + 4, "text-anchor": "end", "font-size": 11, class: "ex-muted" }, g, core.fmt(v, v % 1 ? 1 : 0));
    });
    for (var i = Math.ceil(x0); i <= x1; i++) {
      core.svg("text", { x: sx(i), y: P.sBottom + 15, "text-anchor": "middle", "font-size": 11, class: "ex-muted" }, g, core.fmt(i, 0));
    }
    core.svg("text", { x: (P.left + P.right) / 2, y: P.h - 2, "text-anchor": "middle", "font-size": 12, class: "ex-muted" }, g, "position x");
    var kernelPath = core.svg("path", { style: "fill:none;stroke:var(--ex-grid);stroke-width:1.5" }, g);
    var stems = [], heads = [], stemText = [];
    for (i = 0; i < 4; i++) {
      stems.push(core.svg("line", { style: "stroke:var(" + TAP[i] + ");stroke-width:3" }, g));
      heads.push(core.svg("circle", { r: 4, style: "fill:var(" + TAP[i] + ")" }, g));
      stemText.push(core.svg("text", { "font-size": 11, "text-anchor": "middle", class: "ex-halo" }, g));
    }
    var maxLine = core.svg("line", { x1: P.left, x2: P.right, style: "stroke:var(--ex-neg);stroke-dasharray:4 3" }, g);
    var minLine = core.svg("line", { x1: P.left, x2: P.right, style: "stroke:var(--ex-neg);stroke-dasharray:4 3" }, g);
    var maxText = core.svg("text", { x: P.right, "text-anchor": "end", "font-size": 11, class: "ex-halo" }, g);
    var minText = core.svg("text", { x: P.right, "text-anchor": "end", "font-size": 11, class: "ex-halo" }, g);
    var interp = core.svg("path", { style: "fill:none;stroke:var(--ex-sample);stroke-width:1.8" }, g);
    for (i = 0; i < n; i++) core.svg("circle", { cx: sx(i), cy: ss(values[i]), r: 4, style: "fill:var(--ex-sample)" }, g);
    var tapRings = [];
    for (i = 0; i < 4; i++) tapRings.push(core.svg("circle", { r: 8, style: "fill:none;stroke-width:2;stroke:var(" + TAP[i] + ")" }, g));
    var guide = core.svg("line", { y1: P.kTop, y2: P.sBottom, style: "stroke:var(--ex-point);stroke-dasharray:3 3" }, g);
    var point = core.svg("rect", { width: 10, height: 10, x: -5, y: -5, style: "fill:var(--ex-point)" }, g);
    // 2-D taps
    var gs = core.svg("g", null, side);
    core.svg("text", { x: 90, y: 13, "text-anchor": "middle", "font-size": 12, class: "ex-muted" }, gs, "2-D: 4 \u00d7 4 tap weights");
    var cells = [], cellText = [];
    for (i = 0; i < 16; i++) {
      cells.push(core.svg("rect", { x: 10 + (i % 4) * 40, y: 22 + Math.floor(i / 4) * 40, width: 38, height: 38, rx: 3 }, gs));
      cellText.push(core.svg("text", { x: 29 + (i % 4) * 40, y: 45 + Math.floor(i / 4) * 40, "text-anchor": "middle", "font-size": 11 }, gs));
    }
    var pt2 = core.svg("circle", { r: 4, style: "fill:var(--ex-point)" }, gs);

    var controls = core.el("div", { class: "ex-controls" }, root);
    var readout = core.el("p", { "data-readout": "", "aria-live": "polite" }, root);
    core.el("p", { class: "ex-help" }, root,
      "Drag the point along the signal; focus the figure and use \u2190 \u2192 to move x, \u2191 \u2193 to change a (Shift: larger steps). Outer taps with negative weights make the dips and bumps.");
    var state = { x: data.x, a: data.a, ty: data.ty };
    var app = core.createApp(root, render, state);
    var player = null;
    function stop() { if (player) player.stop(); }
    var aCtl = core.range(controls, "a", { min: data.a_range[0], max: data.a_range[1], step: 0.05, value: state.a }, function (v) { stop(); app.set({ a: v }); });
    var tyCtl = core.range(controls, "2-D row offset t\u1d67", { min: 0, max: 1, step: 0.05, value: state.ty }, function (v) { stop(); app.set({ ty: v }); });
    if (data.path && data.path.length) {
      player = core.createPlayer(root, {
        before: readout, count: data.path.length, interval: data.interval, label: "Move x, then vary a",
        show: function (k) { app.set({ x: data.path[k][0], a: data.path[k][1] }); },
      });
    }
    function set(x, a) {
      app.set({
        x: Math.round(num.clip(x, 0, n - 1) * 100) / 100,
        a: Math.round(num.clip(a, data.a_range[0], data.a_range[1]) * 100) / 100,
      });
    }
    core.drag(plot, function (e) {
      stop();
      var p = core.svgPoint(plot, e);
      if (p) set(sx.invert(p.x), state.a);
    });
    core.keys(plot, function (k) {
      stop();
      if (k.key === "Home") return set(0, state.a);
      if (k.key === "End") return set(n - 1, state.a);
      if (k.key === "PageUp" || k.key === "PageDown") return set(state.x, state.a + (k.key === "PageUp" ? 0.25 : -0.25));
      return set(state.x + k.dx * (k.shift ? 0.5 : 0.05), state.a + k.dy * (k.shift ? 0.25 : 0.05));
    });

    var lastA = null;
    function render(s) {
      if (+aCtl.value !== s.a) aCtl.update(s.a);
      if (+tyCtl.value !== s.ty) tyCtl.update(s.ty);
      var t = num.tapWeights(s.x, "cubic", s.a), d = "", k;
      for (k = 0; k <= 80; k++) {
        var u = s.x - 2 + k * 0.05;
        d += (k ? "L" : "M") + sx(u).toFixed(2) + "," + sk(keysCubic(u - s.x, s.a)).toFixed(2);
      }
      core.attr(kernelPath, { d: d });
      for (k = 0; k < 4; k++) {
        var xi = sx(t.idx[k]), yw = sk(t.w[k]);
        core.attr(stems[k], { x1: xi, x2: xi, y1: sk(0), y2: yw });
        core.attr(heads[k], { cx: xi, cy: yw });
        core.text(core.attr(stemText[k], { x: xi, y: t.w[k] >= 0 ? yw - 7 : yw + 14 }), core.fmt(t.w[k]));
        var idx = num.clip(t.idx[k], 0, n - 1), inside = idx === t.idx[k];
        core.attr(tapRings[k], { cx: xi, cy: ss(values[idx]), style: "fill:none;stroke-width:2;stroke:var(" + TAP[k] + ")" + (inside ? "" : ";stroke-dasharray:3 2") });
      }
      if (lastA !== s.a) {
        var pts = curve(values, s.a), path = "";
        pts.forEach(function (p, j) { path += (j ? "L" : "M") + sx(p[0]).toFixed(2) + "," + ss(p[1]).toFixed(2); });
        core.attr(interp, { d: path });
        var ext = extremes(values, s.a);
        core.attr(maxLine, { y1: ss(ext[1]), y2: ss(ext[1]) });
        core.attr(minLine, { y1: ss(ext[0]), y2: ss(ext[0]) });
        core.text(core.attr(maxText, { y: ss(ext[1]) - 3 }), "max " + core.fmt(ext[1], 3));
        core.text(core.attr(minText, { y: ss(ext[0]) + 12 }), "min " + core.fmt(ext[0], 3));
        lastA = s.a;
      }
      var value = cubic1d(values, s.x, s.a);
      core.attr(guide, { x1: sx(s.x), x2: sx(s.x) });
      core.attr(point, { transform: "translate(" + sx(s.x).toFixed(2) + "," + ss(value).toFixed(2) + ") rotate(45)" });
      var tx = s.x - Math.floor(s.x);
      var wy = num.tapWeights(s.ty, "cubic", s.a).w, wx = num.tapWeights(tx, "cubic", s.a).w;
      for (k = 0; k < 16; k++) {
        var v = wy[Math.floor(k / 4)] * wx[k % 4];
        core.attr(cells[k], { style: "fill:" + (v < 0 ? "var(--ex-neg)" : "var(--ex-pos)") + ";fill-opacity:" + (0.12 + 0.7 * Math.min(Math.abs(v), 1)).toFixed(2) });
        core.text(cellText[k], core.fmt(v));
      }
      core.attr(pt2, { cx: 29 + (1 + tx) * 40, cy: 41 + (1 + s.ty) * 40 });
      core.text(readout, describe(s, values));
    }
    app.renderNow();
    return { app: app, player: player, plot: plot, readout: readout };
  }

  ns.ch04 = { keysCubic: keysCubic, cubic1d: cubic1d, extremes: extremes, describe: describe, mount: mount };
  core.mountAll("ch04", mount);
})();
