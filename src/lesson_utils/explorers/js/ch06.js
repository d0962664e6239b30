/* Chapter 6 explorer: held-out images, their raw Grad-CAM maps upsampled, scored.
 *
 * Maths (window.lessonExplorers.ch06):
 *   upsample(map, outH, outW, method, a) = resize.resize(map, (outH, outW), ...)
 *   upsampleCam(cam, H, W, method, alignCorners) = gradcam.upsample_cam (clamp at 0)
 *   upsampleMap(cam, H, W, method, alignCorners) = heatmaps.upsample(..., clamp=True):
 *     Chapter 5's clamp to the coarse map's own range, as Chapter 6 upsamples
 *   pointingGame(map, mask) = metrics.pointing_game (every maximum counts)
 *   camIou(map, mask, threshold) = metrics.cam_iou
 */
(function () {
  "use strict";
  var ns = (window.lessonExplorers = window.lessonExplorers || {});
  var core = ns.core;
  var num = core.num;
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
  /** Maxima of a map, and how many of them lie on the mask. */
  function maxima(map, mask) {
    var best = -Infinity, i, j;
    for (i = 0; i < map.length; i++) for (j = 0; j < map[i].length; j++) if (map[i][j] > best) best = map[i][j];
    var at = [], hits = 0;
    for (i = 0; i < map.length; i++) {
      for (j = 0; j < map[i].length; j++) {
        if (map[i][j] === best) { at.push([i, j]); if (mask[i][j]) hits += 1; }
      }
    }
    return { value: best, at: at, hits: hits };
  }
  function pointingGame(map, mask) {
    var m = maxima(map, mask);
    return m.hits / m.at.length;
  }
  function camIou(map, mask, threshold) {
    var peak = maxima(map, mask).value, inter = 0, union = 0;
    for (var i = 0; i < map.length; i++) {
      for (var j = 0; j < map[i].length; j++) {
        var r = map[i][j] >= threshold * peak && peak > 0, m = !!mask[i][j];
        if (r && m) inter += 1;
        if (r || m) union += 1;
      }
    }
    return union > 0 ? inter / Math.max(union, 1) : 0;
  }

  /** SVG path of the boundary of a binary image (pixel (r, c) spans c +- 1/2). */
  function outline(isIn, h, w) {
    var d = "";
    for (var r = 0; r < h; r++) {
      for (var c = 0; c < w; c++) {
        if (!isIn(r, c)) continue;
        if (r === 0 || !isIn(r - 1, c)) d += "M" + (c - 0.5) + "," + (r - 0.5) + "h1";
        if (r === h - 1 || !isIn(r + 1, c)) d += "M" + (c - 0.5) + "," + (r + 0.5) + "h1";
        if (c === 0 || !isIn(r, c - 1)) d += "M" + (c - 0.5) + "," + (r - 0.5) + "v1";
        if (c === w - 1 || !isIn(r, c + 1)) d += "M" + (c + 0.5) + "," + (r - 0.5) + "v1";
      }
    }
    return d;
  }

  function mount(root, data) {
    var N = data.n, H = data.image_shape[0], W = data.image_shape[1], h = data.cam_shape[0], w = data.cam_shape[1];
    var images = core.decode(data.images).data, masks = core.decode(data.masks).data, cams = core.decode(data.cams).data;
    var lut = core.lut(data.lut), nLut = data.lut.length;
    function maskRows(k) { return core.rows(masks, H, W, k * H * W); }
    function camRows(k) { return core.rows(cams, h, w, k * h * w); }

    root.textContent = "";
    core.el("p", { class: "ex-title" }, root, data.title);
    var row = core.el("div", { class: "ex-row" }, root);
    var plot = core.el("div", {
      class: "ex-plot ex-stack", tabindex: "0", role: "application", style: "max-width:340px;flex:1 1 240px",
      "aria-roledescription": "image with its Grad-CAM overlay",
      "aria-label": "Drag over the image to read the map at a pixel; \u2190 \u2192 change the image, \u2191 \u2193 the threshold",
    }, row);
    var canvas = core.el("canvas", { width: W, height: H, "aria-hidden": "true" }, plot);
    var ctx = canvas.getContext("2d"), img = ctx.createImageData(W, H);
    var over = core.svg("svg", { viewBox: "-0.5 -0.5 " + W + " " + H, preserveAspectRatio: "none", "aria-hidden": "true" }, plot);
    var lw = W / 128;
    var maskPath = core.svg("path", { style: "fill:none;stroke:#00e5ff;stroke-width:" + (1.6 * lw).toFixed(2) }, over);
    var regionPath = core.svg("path", { style: "fill:none;stroke:#fff;stroke-width:" + lw.toFixed(2) + ";stroke-dasharray:" + (2 * lw).toFixed(2) }, over);
    var peakHalo = core.svg("path", { style: "fill:none;stroke:#000;stroke-width:" + (3.5 * lw).toFixed(2) }, over);
    var peakPath = core.svg("path", { style: "fill:none;stroke:#fff;stroke-width:" + (1.4 * lw).toFixed(2) }, over);
    var probe = core.svg("rect", { width: 1, height: 1, style: "fill:none;stroke:#ff0;stroke-width:" + lw.toFixed(2) }, over);
    var side = core.el("div", { class: "ex-side", style: "max-height:none" }, row);
    core.el("p", { class: "ex-help", style: "margin:0" }, side, "raw " + h + " \u00d7 " + w + " map");
    var raw = core.el("canvas", { width: w, height: h, style: "width:100%;max-width:160px;height:auto", "aria-hidden": "true" }, side);
    var rctx = raw.getContext("2d"), rimg = rctx.createImageData(w, h);
    var score = core.el("p", { class: "ex-status", style: "margin:.3rem 0 0" }, side);

    var controls = core.el("div", { class: "ex-controls" }, root);
    var readout = core.el("p", { "data-readout": "", "aria-live": "polite" }, root);
    core.el("p", { class: "ex-help" }, root,
      "Cyan: the lesion mask; dashed white: the pixels at or above the threshold (the IoU region); +: the map's maximum. Drag over the image to read the map at a pixel.");
    var start = UPSAMPLINGS.filter(function (u) { return u[0].split("-")[0] === data.method && u[2] === data.align_corners; })[0] || UPSAMPLINGS[1];
    var state = { index: data.index, up: start[0], threshold: data.threshold, probe: null };
    var app = core.createApp(root, render, state);
    var player = null;
    function stop() { if (player) player.stop(); }
    var options = [];
    for (var k = 0; k < N; k++) options.push([String(k), "image " + (k + 1) + " of " + N]);
    var imageCtl = core.select(controls, "image", options, String(state.index), function (v) { stop(); app.set({ index: +v, probe: null }); });
    var upCtl = core.select(controls, "upsampling", UPSAMPLINGS.map(function (u) { return [u[0], u[1]]; }), state.up, function (v) { stop(); app.set({ up: v }); });
    var thrCtl = core.range(controls, "IoU threshold (\u00d7 maximum)", { min: 0.05, max: 1, step: 0.05, value: state.threshold }, function (v) { stop(); app.set({ threshold: v }); });
    player = core.createPlayer(root, {
      count: N, interval: data.interval, label: "Show the images one after the other",
      describe: function (i) { return "image " + (i + 1); },
      show: function (i) { app.set({ index: i, probe: null }); },
    });
    root.insertBefore(player.buttons[0].parentNode, readout);
    player.index = state.index;

    core.drag(plot, function (e, phase) {
      stop();
      var r = canvas.getBoundingClientRect();
      var pr = Math.floor(((e.clientY - r.top) / r.height) * H), pc = Math.floor(((e.clientX - r.left) / r.width) * W);
      app.set({ probe: [num.clip(pr, 0, H - 1), num.clip(pc, 0, W - 1)] });
    });
    core.keys(plot, function (k) {
      stop();
      if (k.dx) return app.set({ index: (state.index + k.dx + N) % N, probe: null });
      if (k.dy) return app.set({ threshold: Math.round(num.clip(state.threshold + 0.05 * k.dy, 0.05, 1) * 100) / 100 });
      if (k.key === "Home") return app.set({ index: 0, probe: null });
      if (k.key === "End") return app.set({ index: N - 1, probe: null });
      return false;
    });

    var key = "", cache = null;
    function compute(s) {
      var u = UPSAMPLINGS.filter(function (x) { return x[0] === s.up; })[0];
      var method = u[0].split("-")[0], cam = camRows(s.index), mask = maskRows(s.index);
      var up = upsampleMap(cam, H, W, method, u[2]);
      return { label: u[1], cam: cam, mask: mask, up: up, max: maxima(up, mask), range: num.extent(up), camRange: num.extent(cam) };
    }
    function render(s) {
      imageCtl.value = String(s.index);
      upCtl.value = s.up;
      if (+thrCtl.value !== s.threshold) thrCtl.update(s.threshold);
      var k = s.index + "/" + s.up;
      if (k !== key) {
        cache = compute(s);
        var base = s.index * H * W, lo = cache.range[0], hi = cache.range[1], span = hi - lo;
        var flat = span <= 1e-6 * Math.max(Math.abs(lo), Math.abs(hi)), p = img.data, a = data.alpha;
        for (var i = 0; i < H; i++) {
          for (var j = 0; j < W; j++) {
            var v = flat ? 0 : (cache.up[i][j] - lo) / span, e = core.lutIndex(v, nLut), o = 4 * (i * W + j), grey = images[base + i * W + j];
            p[o] = Math.round((1 - a) * grey + a * lut[3 * e]);
            p[o + 1] = Math.round((1 - a) * grey + a * lut[3 * e + 1]);
            p[o + 2] = Math.round((1 - a) * grey + a * lut[3 * e + 2]);
            p[o + 3] = 255;
          }
        }
        ctx.putImageData(img, 0, 0);
        var rl = cache.camRange[0], rs = cache.camRange[1] - rl, rp = rimg.data;
        for (i = 0; i < h; i++) {
          for (j = 0; j < w; j++) {
            var ev = core.lutIndex(rs > 0 ? (cache.cam[i][j] - rl) / rs : 0, nLut), ro = 4 * (i * w + j);
            rp[ro] = lut[3 * ev]; rp[ro + 1] = lut[3 * ev + 1]; rp[ro + 2] = lut[3 * ev + 2]; rp[ro + 3] = 255;
          }
        }
        rctx.putImageData(rimg, 0, 0);
        var mask = cache.mask;
        core.attr(maskPath, { d: outline(function (r, c) { return mask[r][c] > 0; }, H, W) || null });
        var sz = Math.max(1.5, W / 30), d = "";
        var at = cache.max.at.length <= 16 ? cache.max.at : [];
        at.forEach(function (q) { d += "M" + (q[1] - sz) + "," + q[0] + "H" + (q[1] + sz) + "M" + q[1] + "," + (q[0] - sz) + "V" + (q[0] + sz); });
        if (!at.length) {
          var set = {};
          cache.max.at.forEach(function (q) { set[q[0] * W + q[1]] = 1; });
          d = outline(function (r, c) { return set[r * W + c] === 1; }, H, W);
        }
        core.attr(peakPath, { d: d || null });
        core.attr(peakHalo, { d: d || null });
        key = k;
        cache.thrKey = null;
      }
      if (cache.thrKey !== s.threshold) {
        var up = cache.up, peak = cache.max.value;
        core.attr(regionPath, { d: outline(function (r, c) { return up[r][c] >= s.threshold * peak && peak > 0; }, H, W) || null });
        cache.iou = camIou(cache.up, cache.mask, s.threshold);
        cache.thrKey = s.threshold;
      }
      core.show(probe, !!s.probe);
      if (s.probe) core.attr(probe, { x: s.probe[1] - 0.5, y: s.probe[0] - 0.5 });
      var f = core.fmt, m = cache.max, nMax = m.at.length, pg = m.hits / nMax;
      var where = nMax === 1
        ? "its maximum (pixel " + m.at[0][0] + ", " + m.at[0][1] + ") lies " + (m.hits ? "inside the lesion: a hit" : "outside the lesion: a miss")
        : "its maximum is reached at " + nMax + " pixels, " + m.hits + " of them inside the lesion: pointing score " + f(pg);
      var lesion = 0;
      cache.mask.forEach(function (r) { r.forEach(function (v) { lesion += v ? 1 : 0; }); });
      var text = "Image " + (s.index + 1) + " of " + N + ", " + cache.label + ": " + where + "; IoU of the region at or above " +
        f(s.threshold) + " of the maximum with the lesion mask (" + lesion + " pixels): " + f(cache.iou) + ".";
      if (s.probe) {
        var pv = cache.up[s.probe[0]][s.probe[1]];
        text += " Pixel (" + s.probe[0] + ", " + s.probe[1] + "): " + f(m.value > 0 ? pv / m.value : 0) + " of the maximum, " +
          (cache.mask[s.probe[0]][s.probe[1]] ? "inside" : "outside") + " the lesion.";
      }
      core.text(readout, text);
      core.text(score, "pointing " + f(pg) + " \u00b7 IoU " + f(cache.iou));
    }
    app.renderNow();
    return { app: app, player: player, plot: plot, readout: readout };
  }

  ns.ch06 = { upsample: upsample, upsampleCam: upsampleCam, upsampleMap: upsampleMap, pointingGame: pointingGame, camIou: camIou, mount: mount };
  core.mountAll("ch06", mount);
})();
