/* Chapter 6 explorer: held-out images, their raw Grad-CAM maps upsampled, scored.
 *
 * Maths (window.lessonExplorers.ch06):
 *   upsample(map, outH, outW, method, a) = resize.resize(map, (outH, outW), ...)
 *   upsampleCam(cam, H, W, method, alignCorners) = gradcam.upsample_cam (clamp at 0)
 *   upsampleMap(cam, H, W, method, alignCorners) = heatmaps.upsample(..., clamp=True):
 *     Chapter 5's clamp to the coarse map's own range, as Chapter 6 upsamples
 *   pointingGame(map, mask) = metrics.pointing_game (every maximum counts)
 *   camIou(map, mask, threshold) = metrics.cam_iou
 *   channelOrder(alpha) = np.argsort(-alpha, kind="stable") (ties: lower index first)
 *   partialCam(acts, alpha, step) = gradcam.gradcam_frame(acts, alpha, step)["cam"]:
 *     ReLU of the sum of the first step + 1 channels by decreasing alpha
 */
(function () {
  "use strict";
  var ns = (window.lessonExplorers = window.lessonExplorers || {});
  var core = ns.core, num = core.num, ov = ns.overlay;
  var UPSAMPLINGS = [
    ["nearest", "nearest", false],
    ["bilinear", "bilinear (half-pixel)", false],
    ["bilinear-ac", "bilinear (align_corners=True)", true],
    ["bicubic", "bicubic (clamped to the map's range)", false],
  ];

  function upsample(map, outH, outW, method, a) {
    return num.resize2d(map, outH, outW, method, false, false, a);
  }
  function upsampleCam(cam, H, W, method, alignCorners) {
    return num.resize2d(cam, H, W, method, !!alignCorners, false, -0.5).map(function (row) {
      return row.map(function (v) { return Math.max(v, 0); });
    });
  }
  function upsampleMap(cam, H, W, method, alignCorners) {
    var lo = Infinity, hi = -Infinity, i, j;
    for (i = 0; i < cam.length; i++) {
      for (j = 0; j < cam[i].length; j++) {
        if (cam[i][j] < lo) lo = cam[i][j];
        if (cam[i][j] > hi) hi = cam[i][j];
      }
    }
    return num.resize2d(cam, H, W, method, !!alignCorners, false, -0.5).map(function (row) {
      return row.map(function (v) { return v < lo ? lo : v > hi ? hi : v; });
    });
  }
  /** Channel indices by decreasing weight; equal weights keep their index order. */
  function channelOrder(alpha) {
    var order = [];
    for (var k = 0; k < alpha.length; k++) order.push(k);
    return order.sort(function (p, q) {
      if (alpha[p] > alpha[q]) return -1;
      if (alpha[p] < alpha[q]) return 1;
      return p - q;
    });
  }
  /** ReLU(sum of alpha_c A^c over the first step + 1 channels of channelOrder). */
  function partialCam(acts, alpha, step, order) {
    order = order || channelOrder(alpha);
    var h = acts[0].length, w = acts[0][0].length, out = new Array(h);
    for (var i = 0; i < h; i++) {
      out[i] = new Array(w);
      for (var j = 0; j < w; j++) {
        var s = 0;
        for (var t = 0; t <= step; t++) s += alpha[order[t]] * acts[order[t]][i][j];
        out[i][j] = s > 0 ? s : 0;
      }
    }
    return out;
  }

  function mount(root, data) {
    var N = data.n, H = data.image_shape[0], W = data.image_shape[1], h = data.cam_shape[0], w = data.cam_shape[1];
    var images = core.decode(data.images).data, masks = core.decode(data.masks).data, cams = core.decode(data.cams).data;
    var lut = core.lut(data.lut), nLut = data.lut.length;
    function maskRows(k) { return core.rows(masks, H, W, k * H * W); }
    function camRows(k) { return core.rows(cams, h, w, k * h * w); }
    // the channels (optional): A^c of each image and their weights alpha_c
    var K = data.activations ? data.n_channels : 0, acts = null, weights = null, perImage = {};
    if (K) { acts = core.decode(data.activations).data; weights = core.decode(data.weights).data; }
    function channels(i) {
      if (!perImage[i]) {
        var A = [], al = Array.prototype.slice.call(weights, i * K, (i + 1) * K);
        for (var c = 0; c < K; c++) A.push(core.rows(acts, h, w, (i * K + c) * h * w));
        var order = channelOrder(al), top = 0;
        for (var t = 0; t < K; t++) top = Math.max(top, num.extent(partialCam(A, al, t, order))[1]);
        perImage[i] = { acts: A, alpha: al, order: order, top: top };
      }
      return perImage[i];
    }

    var row = core.start(root, data.title);
    var plot = core.el("div", {
      class: "ex-plot ex-stack", tabindex: "0", role: "application", style: "max-width:340px;flex:1 1 240px",
      "aria-roledescription": "image with its Grad-CAM overlay",
      "aria-label": "Drag over the image to read the map at a pixel; \u2190 \u2192 change the image, \u2191 \u2193 the threshold" +
        (K ? ", Page Up and Page Down add or remove a channel" : ""),
    }, row);
    var view = ov.view(plot, W, H);
    var side = core.el("div", { class: "ex-side", style: "max-height:none" }, row);
    var rawLabel = core.el("p", { class: "ex-help", style: "margin:0" }, side, "raw " + h + " \u00d7 " + w + " map");
    var raw = core.el("canvas", { width: w, height: h, style: "width:100%;max-width:160px;height:auto", "aria-hidden": "true" }, side);
    var rctx = raw.getContext("2d"), rimg = rctx.createImageData(w, h);
    var score = core.el("p", { class: "ex-status", style: "margin:.3rem 0 0" }, side);
    var bars = null, barMarks = [], lastMark = null, zeroLine = null, BW = 10, BH = 60;
    if (K) {
      // the weights as a bar strip, by decreasing alpha: added bars filled, the others hollow
      core.el("p", { class: "ex-help", style: "margin:.4rem 0 0" }, side, "weights \u03b1 by decreasing \u03b1 (filled: added; \u25be: last added)");
      bars = core.svg("svg", { viewBox: "0 -8 " + K * BW + " " + (BH + 8), role: "img", "data-bars": "",
        style: "width:100%;max-width:180px;height:auto;display:block" }, side);
      zeroLine = core.svg("line", { x1: 0, x2: K * BW, class: "ex-axis" }, bars);
      for (var b = 0; b < K; b++) {
        barMarks.push(core.svg("rect", { x: b * BW + 1.5, width: BW - 3, style: "stroke-width:1.2" }, bars));
      }
      lastMark = core.svg("path", { style: "fill:var(--ex-fg)" }, bars);
    }

    var controls = core.el("div", { class: "ex-controls" }, root);
    var readout = core.el("p", { "data-readout": "", "aria-live": "polite" }, root);
    core.el("p", { class: "ex-help" }, root,
      "Cyan: the lesion mask; dashed white: the pixels at or above the threshold (the IoU region); +: the map's maximum. Drag over the image to read the map at a pixel.");
    var start = UPSAMPLINGS.filter(function (u) { return u[0].split("-")[0] === data.method && u[2] === data.align_corners; })[0] || UPSAMPLINGS[1];
    var state = { index: data.index, up: start[0], threshold: data.threshold, probe: null, k: K };
    var app = core.createApp(root, render, state);
    var player = null;
    function stop() { if (player) player.stop(); }
    var imageCtl = ov.imageSelect(controls, N, state.index, function (i) { stop(); app.set({ index: i, probe: null }); });
    var upCtl = core.select(controls, "upsampling", UPSAMPLINGS.map(function (u) { return [u[0], u[1]]; }), state.up, function (v) { stop(); app.set({ up: v }); });
    var thrCtl = ov.thresholdRange(controls, state.threshold, function (v) { stop(); app.set({ threshold: v }); });
    var kCtl = null;
    if (K) {
      kCtl = core.range(controls, "Channels added", { min: 1, max: K, step: 1, value: K, format: function (v) { return v + " of " + K; } },
        function (v) { stop(); app.set({ k: v }); });
      player = core.createPlayer(root, {
        before: readout, count: K, interval: data.interval, label: "Add the channels one at a time, by decreasing weight",
        describe: function (i) { return (i + 1) + (i ? " channels" : " channel"); },
        show: function (i) {
          app.set({ k: i + 1 });
          if (i === K - 1 && player.timer !== null) player.stop(); // a sweep ends on the full map
        },
      });
      player.index = state.k - 1;
    } else {
      player = ov.imagePlayer(root, N, data.interval, readout, function (i) { app.set({ index: i, probe: null }); });
      player.index = state.index;
    }

    view.bind(plot, N, app, stop, function (k) {
      if (k.dy) return app.set({ threshold: Math.round(num.clip(state.threshold + 0.05 * k.dy, 0.05, 1) * 100) / 100 });
      if (K && k.key === "PageUp") return app.set({ k: Math.min(state.k + 1, K) });
      if (K && k.key === "PageDown") return app.set({ k: Math.max(state.k - 1, 1) });
      return false;
    });

    var key = "", cache = null;
    function compute(s) {
      var u = UPSAMPLINGS.filter(function (x) { return x[0] === s.up; })[0];
      var method = u[0].split("-")[0], mask = maskRows(s.index), ch = K ? channels(s.index) : null;
      var cam = ch ? partialCam(ch.acts, ch.alpha, s.k - 1, ch.order) : camRows(s.index);
      var up = upsampleMap(cam, H, W, method, u[2]);
      // with channels, one colour scale for every k of the image: 0 to the largest value any k reaches
      var range = ch ? [0, ch.top] : num.extent(up), camRange = ch ? [0, ch.top] : num.extent(cam);
      return { label: u[1], cam: cam, mask: mask, up: up, max: ov.maxima(up, mask), range: range, camRange: camRange, ch: ch };
    }
    function render(s) {
      imageCtl.value = String(s.index);
      upCtl.value = s.up;
      if (+thrCtl.value !== s.threshold) thrCtl.update(s.threshold);
      if (kCtl && +kCtl.value !== s.k) kCtl.update(s.k);
      if (K && player.timer === null) player.index = s.k - 1;
      var k = s.index + "/" + s.up + "/" + s.k;
      if (k !== key) {
        cache = compute(s);
        view.paint(cache.up, cache.range, images, s.index * H * W, data.alpha, lut, nLut);
        ov.paintMap(rctx, rimg, cache.cam, cache.camRange, lut, nLut);
        view.marks(cache.mask, cache.max, false);
        key = k;
      }
      view.score(cache, s.threshold);
      core.show(view.probe, !!s.probe);
      if (s.probe) core.attr(view.probe, { x: s.probe[1] - 0.5, y: s.probe[0] - 0.5 });
      var f = core.fmt, m = cache.max, nMax = m.at.length, pg = m.hits / nMax;
      var where = nMax === 1
        ? "its maximum (pixel " + m.at[0][0] + ", " + m.at[0][1] + ") lies " + (m.hits ? "inside the lesion: a hit" : "outside the lesion: a miss")
        : "its maximum is reached at " + nMax + " pixels, " + m.hits + " of them inside the lesion: pointing score " + f(pg);
      var lesion = ov.lesionPixels(cache.mask);
      var text = "Image " + (s.index + 1) + " of " + N + ", " + cache.label + ": " + where + "; IoU of the region at or above " +
        f(s.threshold) + " of the maximum with the lesion mask (" + lesion + " pixels): " + f(cache.iou) + ".";
      if (s.probe) {
        var pv = cache.up[s.probe[0]][s.probe[1]];
        text += " Pixel (" + s.probe[0] + ", " + s.probe[1] + "): " + f(m.value > 0 ? pv / m.value : 0) + " of the maximum, " +
          (cache.mask[s.probe[0]][s.probe[1]] ? "inside" : "outside") + " the lesion.";
      }
      if (K) text += " " + channelText(s, cache.ch);
      core.text(readout, text);
      core.text(score, "pointing " + f(pg) + " \u00b7 IoU " + f(cache.iou));
    }
    var barsKey = "";
    /** The bar strip and the channel sentence of the readout. */
    function channelText(s, ch) {
      var c = ch.order[s.k - 1];
      if (barsKey !== s.index + "/" + s.k) {
        var lo = 0, hi = 0, t;
        for (t = 0; t < K; t++) { lo = Math.min(lo, ch.alpha[t]); hi = Math.max(hi, ch.alpha[t]); }
        var span = hi - lo || 1, y0 = (hi / span) * BH;
        core.attr(zeroLine, { y1: y0, y2: y0 });
        for (t = 0; t < K; t++) {
          var v = ch.alpha[ch.order[t]], y = y0 - (v / span) * BH, added = t < s.k;
          core.attr(barMarks[t], {
            y: Math.min(y, y0), height: Math.max(Math.abs(y - y0), 0.6),
            style: "stroke-width:1.2;stroke:" + (added ? "var(--ex-point)" : "var(--ex-grid)") +
              ";fill:" + (added ? "var(--ex-point)" : "none"),
          });
        }
        var cx = (s.k - 1) * BW + BW / 2;
        core.attr(lastMark, { d: "M" + (cx - 3.5) + ",-7h7l-3.5,6z" });
        core.attr(bars, { "aria-label": "weights of the " + K + " channels by decreasing alpha; the first " + s.k + " added" });
        core.text(rawLabel, "raw " + h + " \u00d7 " + w + " map, " + s.k + " of " + K + " channels");
        barsKey = s.index + "/" + s.k;
      }
      return s.k + " of " + K + " channels added; last added channel " + c + ", alpha = " + fmtAlpha(ch.alpha[c]) +
        (s.k === K ? " (all channels: the Grad-CAM map)." : ".");
    }
    app.renderNow();
    return { app: app, player: player, plot: plot, readout: readout, slider: kCtl };
  }

  /** A weight with three significant digits and a typographic minus. */
  function fmtAlpha(v) {
    if (v === 0) return "0";
    var t = Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toPrecision(3) : v.toExponential(2);
    return t.replace(/-/g, "\u2212");
  }

  ns.ch06 = {
    upsample: upsample, upsampleCam: upsampleCam, upsampleMap: upsampleMap, pointingGame: ov.pointingGame, camIou: ov.camIou,
    channelOrder: channelOrder, partialCam: partialCam, mount: mount,
  };
  core.mountAll("ch06", mount);
})();
