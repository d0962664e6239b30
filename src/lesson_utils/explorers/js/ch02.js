/* Chapter 2 explorer: drag the sample point inside a small image.
 *
 * Maths (window.lessonExplorers.ch02):
 *   sample2d(image, y, x, method) = interp2d.sample_2d(image, y, x, method=...)
 *   (edge "clamp", a = -0.5); taps(image, y, x, method) gives the 1, 2 x 2 or 4 x 4
 *   taps. Picture: the pixels, the corners circled, for bilinear the rectangle
 *   opposite each corner filled in its colour and labelled with its area, for
 *   bicubic the 16 taps; beside it the table of weights.
 */
(function () {
  "use strict";
  var ns = (window.lessonExplorers = window.lessonExplorers || {});
  var core = ns.core, num = core.num;
  var METHODS = ["nearest", "bilinear", "bicubic"];

  /** The taps of one point: rows, columns (unclamped), weights, values read. */
  function taps(image, y, x, method) {
    num.choice(method, "method", METHODS);
    var h = image.length, w = image[0].length, m = num.TO_1D[method];
    var ty = num.tapWeights(y, m), tx = num.tapWeights(x, m), out = [];
    for (var p = 0; p < ty.idx.length; p++) {
      for (var q = 0; q < tx.idx.length; q++) {
        var r = ty.idx[p], c = tx.idx[q];
        out.push({
          p: p, q: q, row: r, col: c,
          inside: r >= 0 && r < h && c >= 0 && c < w,
          readRow: num.clip(r, 0, h - 1), readCol: num.clip(c, 0, w - 1),
          value: image[num.clip(r, 0, h - 1)][num.clip(c, 0, w - 1)],
          weight: ty.w[p] * tx.w[q],
        });
      }
    }
    return { taps: out, size: ty.idx.length };
  }

  /** interp2d.sample_2d(image, y, x, method=method) at one point. */
  function sample2d(image, y, x, method) {
    var t = taps(image, y, x, method).taps, prod = new Array(t.length);
    for (var k = 0; k < t.length; k++) prod[k] = t[k].value * t[k].weight;
    return num.npsum(prod);
  }

  var CORNER = ["--ex-left", "--ex-right", "--ex-extra1", "--ex-extra2"];
  var CORNER_NAMES = ["top-left", "top-right", "bottom-left", "bottom-right"];
  var U = 56; // viewBox units per pixel

  function describe(state, image) {
    var f = core.fmt, y = state.y, x = state.x;
    var t = taps(image, y, x, state.method), value = sample2d(image, y, x, state.method);
    var head = "(y, x) = (" + f(y) + ", " + f(x) + "): ";
    if (state.method === "nearest") {
      var k = t.taps[0];
      return head + "nearest pixel (row " + k.readRow + ", column " + k.readCol + ") = " + f(value, 2);
    }
    if (state.method === "bilinear") {
      var terms = "", areas = "";
      t.taps.forEach(function (k, i) {
        terms += core.term(k.weight, 2, i === 0) + "·" + core.fmt(k.value, 2);
        areas += (i ? ", " : "") + CORNER_NAMES[i] + " " + f(k.weight);
      });
      return head + terms + " = " + f(value) + "; each weight is the area opposite its corner: " + areas;
    }
    var neg = 0, nNeg = 0, sum = 0;
    t.taps.forEach(function (k) { sum += k.weight; if (k.weight < 0) { neg += k.weight; nNeg += 1; } });
    return head + "16 taps, rows " + f(t.taps[0].row, 0) + " to " + f(t.taps[15].row, 0) + ", columns " +
      f(t.taps[0].col, 0) + " to " + f(t.taps[15].col, 0) + " (taps outside the image read the nearest edge pixel)" + "; the weights sum to " + f(sum) + ", " + nNeg +
      " of them negative (together " + f(neg) + "); value = " + f(value);
  }

  function mount(root, data) {
    var image = data.image, h = image.length, w = image[0].length;
    var m = 1.45; // margin (pixels) so that bicubic taps outside the image show
    var VW = (w - 1 + 2 * m) * U, VH = (h - 1 + 2 * m) * U;
    var sx = core.scale(-m, w - 1 + m, 0, VW), sy = core.scale(-m, h - 1 + m, 0, VH);
    var row = core.start(root, data.title);
    var plot = core.svg("svg", {
      class: "ex-plot ex-main", viewBox: "0 0 " + VW + " " + VH, tabindex: "0", role: "application",
      "aria-roledescription": "draggable point",
      "aria-label": "Sample point (y, x) in the image: drag it, or use the arrow keys",
    }, row);
    var side = core.svg("svg", { class: "ex-side", viewBox: "0 0 170 190", "aria-hidden": "true" }, row);
    var g = core.svg("g", null, plot);
    // the image's extent (pixel cells) and the pixel centres with their values
    core.svg("rect", { x: sx(-0.5), y: sy(-0.5), width: w * U, height: h * U, style: "fill:var(--ex-panel);stroke:var(--ex-faint)" }, g);
    var nearestCell = core.svg("rect", { width: U, height: U, style: "fill:var(--ex-left);fill-opacity:.35" }, g);
    var cell = core.svg("rect", { width: U, height: U, style: "fill:none;stroke:var(--ex-fg);stroke-width:1" }, g);
    var rects = [], areaLabels = [];
    for (var k = 0; k < 4; k++) {
      rects.push(core.svg("rect", { style: "fill:var(" + CORNER[k] + ");fill-opacity:.45" }, g));
    }
    var r, c;
    for (r = 0; r < h; r++) {
      core.svg("text", { x: 4, y: sy(r) + 4, "font-size": 11, class: "ex-muted" }, g, "y=" + r);
      for (c = 0; c < w; c++) {
        core.svg("circle", { cx: sx(c), cy: sy(r), r: 4, style: "fill:var(--ex-sample)" }, g);
        core.svg("text", { x: sx(c) - 7, y: sy(r) - 7, "text-anchor": "end", "font-size": 13, class: "ex-halo" }, g, core.fmt(image[r][c], Math.round(image[r][c]) === image[r][c] ? 0 : 2));
      }
    }
    for (c = 0; c < w; c++) {
      core.svg("text", { x: sx(c), y: 12, "text-anchor": "middle", "font-size": 11, class: "ex-muted" }, g, "x=" + c);
    }
    for (k = 0; k < 4; k++) {
      areaLabels.push(core.svg("text", { "font-size": 12, "text-anchor": "middle", class: "ex-halo", style: "font-weight:600" }, g));
    }
    var links = core.pool(g, "line", function (node) { core.attr(node, { style: "stroke:var(--ex-grid);stroke-dasharray:2 2" }); });
    var rings = core.pool(g, "circle", function (node) { core.attr(node, { r: 10 }); });
    var tapLabels = core.pool(g, "text", function (node) { core.attr(node, { "font-size": 11, "text-anchor": "middle", class: "ex-halo" }); });
    var point = core.svg("rect", { width: 11, height: 11, x: -5.5, y: -5.5, style: "fill:var(--ex-fg)" }, g);
    // weights table
    var gs = core.svg("g", null, side);
    core.svg("text", { x: 85, y: 14, "text-anchor": "middle", "font-size": 13, class: "ex-muted" }, gs, "weights");
    var cells = core.pool(gs, "rect", function (node) { core.attr(node, { rx: 3 }); });
    var cellText = core.pool(gs, "text", function (node) { core.attr(node, { "text-anchor": "middle" }); });

    var controls = core.el("div", { class: "ex-controls" }, root);
    var readout = core.el("p", { "data-readout": "", "aria-live": "polite" }, root);
    core.el("p", { class: "ex-help" }, root,
      "Rows y grow downwards, columns x to the right. Drag the point, or focus the picture and use the arrow keys (Shift: larger steps).");
    var state = { y: data.y, x: data.x, method: data.method };
    var app = core.createApp(root, render, state);
    var player = null;
    core.select(controls, "method", [["nearest", "nearest"], ["bilinear", "bilinear"], ["bicubic", "bicubic (16 taps, a = \u22120.5)"]],
      state.method, function (v) { if (player) player.stop(); app.set({ method: v }); });
    if (data.path && data.path.length) {
      player = core.createPlayer(root, {
        before: readout, count: data.path.length, interval: data.interval, label: "Move the point along a path",
        show: function (i) { app.set({ y: data.path[i][0], x: data.path[i][1] }); },
      });
    }
    function setPoint(y, x) {
      app.set({
        y: Math.round(num.clip(y, 0, h - 1) * 100) / 100,
        x: Math.round(num.clip(x, 0, w - 1) * 100) / 100,
      });
    }
    core.drag(plot, function (e) {
      if (player) player.stop();
      var p = core.svgPoint(plot, e);
      if (p) setPoint(sy.invert(p.y), sx.invert(p.x));
    });
    core.keys(plot, function (k) {
      if (player) player.stop();
      var step = k.shift ? 0.5 : 0.05;
      if (k.key === "Home") return setPoint(state.y, 0);
      if (k.key === "End") return setPoint(state.y, w - 1);
      if (k.key === "PageUp") return setPoint(state.y - 1, state.x);
      if (k.key === "PageDown") return setPoint(state.y + 1, state.x);
      return setPoint(state.y - k.dy * step, state.x + k.dx * step);
    });

    function render(s) {
      var t = taps(image, s.y, s.x, s.method), list = t.taps;
      var bil = s.method === "bilinear", near = s.method === "nearest";
      // bilinear: the cell holding the point, kept inside the image at the far edges
      var y0 = Math.min(Math.floor(s.y), h - 2), x0 = Math.min(Math.floor(s.x), w - 2);
      core.show(cell, bil);
      core.attr(cell, { x: sx(x0), y: sy(y0) });
      for (var k = 0; k < 4; k++) {
        core.show(rects[k], bil);
        core.show(areaLabels[k], bil);
      }
      if (bil) {
        for (k = 0; k < 4; k++) {
          var farY = k < 2 ? y0 + 1 : y0, farX = k % 2 === 0 ? x0 + 1 : x0;
          var top = Math.min(s.y, farY), left = Math.min(s.x, farX);
          var hh = Math.abs(farY - s.y), ww = Math.abs(farX - s.x);
          core.attr(rects[k], { x: sx(left), y: sy(top), width: ww * U, height: hh * U });
          core.text(core.attr(areaLabels[k], { x: sx(left + ww / 2), y: sy(top + hh / 2) + 4 }), core.fmt(hh * ww));
          core.show(areaLabels[k], hh * U > 15 && ww * U > 30);
        }
      }
      core.show(nearestCell, near);
      if (near) core.attr(nearestCell, { x: sx(list[0].readCol - 0.5), y: sy(list[0].readRow - 0.5) });
      var nLinks = 0;
      list.forEach(function (tap, i) {
        var colour = bil ? "var(" + CORNER[i] + ")" : near ? "var(--ex-left)" : tap.weight < 0 ? "var(--ex-neg)" : "var(--ex-pos)";
        core.attr(rings.get(i), {
          cx: sx(tap.col), cy: sy(tap.row),
          r: near || bil ? 11 : 4 + 12 * Math.sqrt(Math.min(Math.abs(tap.weight), 1)),
          style: "fill:none;stroke-width:2.5;stroke:" + colour + (tap.inside ? "" : ";stroke-dasharray:3 2"),
        });
        if (!tap.inside) {
          core.attr(links.get(nLinks++), { x1: sx(tap.col), y1: sy(tap.row), x2: sx(tap.readCol), y2: sy(tap.readRow) });
        }
        if (s.method === "bicubic") {
          core.text(core.attr(tapLabels.get(i), { x: sx(tap.col), y: sy(tap.row) + 24 }), core.fmt(tap.weight));
        }
      });
      rings.hideFrom(list.length);
      links.hideFrom(nLinks);
      tapLabels.hideFrom(s.method === "bicubic" ? list.length : 0);
      core.attr(point, { transform: "translate(" + sx(s.x).toFixed(2) + "," + sy(s.y).toFixed(2) + ") rotate(45)" });
      // weights table: t.size x t.size cells
      var n = t.size, size = Math.min(64, 150 / n), x00 = 85 - (n * size) / 2;
      list.forEach(function (tap, i) {
        var colour = bil ? "var(" + CORNER[i] + ")" : near ? "var(--ex-left)" : tap.weight < 0 ? "var(--ex-neg)" : "var(--ex-pos)";
        var opacity = bil || near ? 0.55 : 0.15 + 0.6 * Math.min(Math.abs(tap.weight), 1);
        core.attr(cells.get(i), {
          x: x00 + tap.q * size + 1, y: 24 + tap.p * size + 1, width: size - 2, height: size - 2,
          style: "fill:" + colour + ";fill-opacity:" + opacity.toFixed(2),
        });
        core.text(core.attr(cellText.get(i), {
          x: x00 + (tap.q + 0.5) * size, y: 24 + (tap.p + 0.5) * size + 4, "font-size": n === 4 ? 11 : 14,
        }), core.fmt(tap.weight));
      });
      cells.hideFrom(list.length);
      cellText.hideFrom(list.length);
      core.text(readout, describe(s, image));
    }
    app.renderNow();
    return { app: app, player: player, plot: plot, readout: readout };
  }

  ns.ch02 = { sample2d: sample2d, taps: taps, describe: describe, mount: mount };
  core.mountAll("ch02", mount);
})();
