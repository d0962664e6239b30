/* Chapter 8 explorer: a vision transformer's maps on the patch grid, upsampled, scored.
 *
 * Maths (window.lessonExplorers.ch08):
 *   upsample(map, outH, outW, method, a, alignCorners)
 *       = resize.resize(map, (outH, outW), method=..., a=..., align_corners=...)
 *   upsampleCam(cam, H, W, method, alignCorners) = gradcam.upsample_cam (clamp at 0)
 *   rollout(attentions) = vit.attention_rollout([...])[0] for one image
 *       (attentions: one (G, T, T) array per layer, first layer first)
 *   pointingGame(map, mask) = gradcam.pointing_game (every maximum counts)
 *   camIou(map, mask, threshold) = gradcam.cam_iou
 */
(function () {
  "use strict";
  var ns = (window.lessonExplorers = window.lessonExplorers || {});
  var core = ns.core;
  var num = core.num;
  var METHODS = [
    ["nearest", "nearest (the patch blocks)"],
    ["bilinear", "bilinear"],
    ["bicubic", "bicubic (clamped at 0)"],
  ];

  function upsample(map, outH, outW, method, a, alignCorners) {
    return num.resize2d(map, outH, outW, method, !!alignCorners, false, a === undefined ? -0.5 : a);
  }
  function upsampleCam(cam, H, W, method, alignCorners) {
    return upsample(cam, H, W, method, -0.5, alignCorners).map(function (row) {
      return row.map(function (v) { return Math.max(v, 0); });
    });
  }

  /**
   * Attention rollout of one image, as vit.attention_rollout: per layer the mean of
   * the heads (summed head after head, then divided by G, as numpy's mean over an
   * outer axis), A_hat = 0.5 A_bar + 0.5 I with its rows renormalised (numpy's
   * pairwise sum), then R <- A_hat R, the later layer on the left.
   */
  function rollout(attentions) {
    if (!Array.isArray(attentions) || !attentions.length) {
      throw new Error("`attentions` must hold at least one layer; got 0");
    }
    var T = attentions[0][0].length, i, j, m, g;
    var R = [];
    for (i = 0; i < T; i++) { R.push(new Array(T)); for (j = 0; j < T; j++) R[i][j] = i === j ? 1 : 0; }
    attentions.forEach(function (layer) {
      var G = layer.length, hat = new Array(T);
      for (i = 0; i < T; i++) {
        var row = new Array(T);
        for (j = 0; j < T; j++) {
          var s = layer[0][i][j];
          for (g = 1; g < G; g++) s += layer[g][i][j];
          row[j] = 0.5 * (s / G) + 0.5 * (i === j ? 1 : 0);
        }
        var total = num.npsum(row, 0, T);
        for (j = 0; j < T; j++) row[j] = row[j] / total;
        hat[i] = row;
      }
      var next = new Array(T);
      for (i = 0; i < T; i++) {
        var out = new Array(T);
        for (j = 0; j < T; j++) {
          var acc = 0;
          for (m = 0; m < T; m++) acc += hat[i][m] * R[m][j];
          out[j] = acc;
        }
        next[i] = out;
      }
      R = next;
    });
    return R;
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
    var N = data.n, H = data.image_shape[0], W = data.image_shape[1], h = data.grid_shape[0], w = data.grid_shape[1];
    var L = data.layers, G = data.heads, P = data.patch_size, K = data.map_keys.length;
    var images = core.decode(data.images).data, masks = core.decode(data.masks).data, maps = core.decode(data.maps).data;
    var lut = core.lut(data.lut), nLut = data.lut.length;
    var slot = {};
    data.map_keys.forEach(function (k, i) { slot[k] = i; });
    var choices = [["mean", "attention, mean of the " + G + " heads"]];
    for (var g0 = 0; g0 < G; g0++) choices.push(["h" + g0, "attention, head " + g0]);
    choices.push(["rollout", "rollout"], ["gradcam", "Grad-CAM on tokens (last block)"]);
    var choiceIds = choices.map(function (c) { return c[0]; });
    function mapKey(s) {
      if (s.map === "gradcam") return "gradcam";
      if (s.map === "rollout") return "rollout-" + s.layer;
      return "attention-" + s.layer + "-" + s.map;
    }
    function maskRows(k) { return core.rows(masks, H, W, k * H * W); }
    function gridRows(k, key) { return core.rows(maps, h, w, (k * K + slot[key]) * h * w); }
    function centre(k) { return k * P + P / 2 - 0.5; }

    root.textContent = "";
    core.el("p", { class: "ex-title" }, root, data.title);
    var row = core.el("div", { class: "ex-row" }, root);
    var plot = core.el("div", {
      class: "ex-plot ex-stack", tabindex: "0", role: "application", style: "max-width:340px;flex:1 1 240px",
      "aria-roledescription": "image with the map of a vision transformer",
      "aria-label": "Drag over the image to read the map at a pixel and its patch; \u2190 \u2192 change the image, \u2191 \u2193 the map, Page Up and Page Down the layer",
    }, row);
    var canvas = core.el("canvas", { width: W, height: H, "aria-hidden": "true" }, plot);
    var ctx = canvas.getContext("2d"), img = ctx.createImageData(W, H);
    var over = core.svg("svg", { viewBox: "-0.5 -0.5 " + W + " " + H, preserveAspectRatio: "none", "aria-hidden": "true" }, plot);
    var lw = W / 128, dGrid = "";
    for (var e = 1; e < w; e++) dGrid += "M" + (e * P - 0.5) + ",-0.5V" + (H - 0.5);
    for (e = 1; e < h; e++) dGrid += "M-0.5," + (e * P - 0.5) + "H" + (W - 0.5);
    core.svg("path", { d: dGrid, style: "fill:none;stroke:#fff;stroke-opacity:.35;stroke-width:" + (0.5 * lw).toFixed(2) }, over);
    var maskPath = core.svg("path", { style: "fill:none;stroke:#00e5ff;stroke-width:" + (1.6 * lw).toFixed(2) }, over);
    var regionPath = core.svg("path", { style: "fill:none;stroke:#fff;stroke-width:" + lw.toFixed(2) + ";stroke-dasharray:" + (2 * lw).toFixed(2) }, over);
    var peakHalo = core.svg("path", { style: "fill:none;stroke:#000;stroke-width:" + (3.5 * lw).toFixed(2) }, over);
    var peakPath = core.svg("path", { style: "fill:none;stroke:#fff;stroke-width:" + (1.4 * lw).toFixed(2) }, over);
    var patchBox = core.svg("rect", { width: P, height: P, style: "fill:none;stroke:#ff0;stroke-width:" + lw.toFixed(2) + ";stroke-dasharray:" + (1.5 * lw).toFixed(2) }, over);
    var probe = core.svg("rect", { width: 1, height: 1, style: "fill:none;stroke:#ff0;stroke-width:" + lw.toFixed(2) }, over);
    var side = core.el("div", { class: "ex-side", style: "max-height:none" }, row);
    core.el("p", { class: "ex-help", style: "margin:0" }, side, "raw " + h + " \u00d7 " + w + " patch grid");
    var rawBox = core.el("div", { class: "ex-stack", style: "width:100%;max-width:160px" }, side);
    var raw = core.el("canvas", { width: w, height: h, style: "width:100%;height:auto", "aria-hidden": "true" }, rawBox);
    var rctx = raw.getContext("2d"), rimg = rctx.createImageData(w, h);
    var rawOver = core.svg("svg", { viewBox: "-0.5 -0.5 " + w + " " + h, preserveAspectRatio: "none", "aria-hidden": "true" }, rawBox);
    var cellHalo = core.svg("rect", { width: 1, height: 1, style: "fill:none;stroke:#000;stroke-width:.22" }, rawOver);
    var cellBox = core.svg("rect", { width: 1, height: 1, style: "fill:none;stroke:#fff;stroke-width:.1" }, rawOver);
    var score = core.el("p", { class: "ex-status", style: "margin:.3rem 0 0" }, side);

    var controls = core.el("div", { class: "ex-controls" }, root);
    var readout = core.el("p", { "data-readout": "", "aria-live": "polite" }, root);
    core.el("p", { class: "ex-help" }, root,
      "Cyan: the lesion mask; faint lines: the patch borders; dashed white: the pixels at or above the threshold (the IoU region); +: the upsampled map's maximum (white frame on the raw grid: its strongest cell). Drag over the image to read the map at a pixel and see its patch.");
    var state = {
      index: data.index, layer: data.layer, map: data.map, method: data.method,
      alignCorners: data.align_corners, threshold: data.threshold, probe: null,
    };
    var app = core.createApp(root, render, state);
    var player = null;
    function stop() { if (player) player.stop(); }
    var options = [];
    for (var k0 = 0; k0 < N; k0++) options.push([String(k0), "image " + (k0 + 1) + " of " + N]);
    var layers = [];
    for (var l0 = 1; l0 <= L; l0++) layers.push([String(l0), "layer " + l0 + (l0 === L ? " (last)" : "")]);
    var imageCtl = core.select(controls, "image", options, String(state.index), function (v) { stop(); app.set({ index: +v, probe: null }); });
    var mapCtl = core.select(controls, "map", choices, state.map, function (v) { stop(); app.set({ map: v }); });
    var layerCtl = core.select(controls, "layer (attention, rollout up to)", layers, String(state.layer), function (v) { stop(); app.set({ layer: +v }); });
    var methodCtl = core.select(controls, "upsampling", METHODS, state.method, function (v) { stop(); app.set({ method: v }); });
    var alignCtl = core.checkbox(controls, "align_corners=True", state.alignCorners, function (v) { stop(); app.set({ alignCorners: v }); });
    var thrCtl = core.range(controls, "IoU threshold (\u00d7 maximum)", { min: 0.05, max: 1, step: 0.05, value: state.threshold }, function (v) { stop(); app.set({ threshold: v }); });
    player = core.createPlayer(root, {
      count: N, interval: data.interval, label: "Show the images one after the other",
      describe: function (i) { return "image " + (i + 1); },
      show: function (i) { app.set({ index: i, probe: null }); },
    });
    root.insertBefore(player.buttons[0].parentNode, readout);
    player.index = state.index;

    core.drag(plot, function (ev) {
      stop();
      var r = canvas.getBoundingClientRect();
      var pr = Math.floor(((ev.clientY - r.top) / r.height) * H), pc = Math.floor(((ev.clientX - r.left) / r.width) * W);
      app.set({ probe: [num.clip(pr, 0, H - 1), num.clip(pc, 0, W - 1)] });
    });
    core.keys(plot, function (k) {
      stop();
      if (k.dx) return app.set({ index: (state.index + k.dx + N) % N, probe: null });
      if (k.dy) {
        var at = choiceIds.indexOf(state.map), n = choiceIds.length;
        return app.set({ map: choiceIds[(at - k.dy + n) % n] });
      }
      if (k.key === "PageUp") return app.set({ layer: Math.min(state.layer + 1, L) });
      if (k.key === "PageDown") return app.set({ layer: Math.max(state.layer - 1, 1) });
      if (k.key === "Home") return app.set({ index: 0, probe: null });
      if (k.key === "End") return app.set({ index: N - 1, probe: null });
      return false;
    });

    var key = "", cache = null;
    function describe(s) {
      if (s.map === "gradcam") return "Grad-CAM on the tokens entering the last block";
      if (s.map === "rollout") return "rollout up to layer " + s.layer;
      if (s.map === "mean") return "layer " + s.layer + " CLS attention, mean of " + G + " heads";
      return "layer " + s.layer + " CLS attention, head " + s.map.slice(1);
    }
    function compute(s) {
      var grid = gridRows(s.index, mapKey(s)), mask = maskRows(s.index);
      var up = upsampleCam(grid, H, W, s.method, s.alignCorners);
      var gridMax = maxima(grid, grid);
      return {
        label: describe(s), grid: grid, mask: mask, up: up, max: maxima(up, mask),
        range: num.extent(up), gridRange: num.extent(grid), cell: gridMax.at[0], flat: gridMax.value <= 0,
      };
    }
    function render(s) {
      imageCtl.value = String(s.index);
      mapCtl.value = s.map;
      layerCtl.value = String(s.layer);
      layerCtl.disabled = s.map === "gradcam";
      methodCtl.value = s.method;
      alignCtl.checked = s.alignCorners;
      if (+thrCtl.value !== s.threshold) thrCtl.update(s.threshold);
      var k = [s.index, mapKey(s), s.method, s.alignCorners].join("/");
      if (k !== key) {
        cache = compute(s);
        var base = s.index * H * W, lo = cache.range[0], hi = cache.range[1], span = hi - lo;
        var flat = span <= 1e-6 * Math.max(Math.abs(lo), Math.abs(hi)), p = img.data, a = data.alpha;
        for (var i = 0; i < H; i++) {
          for (var j = 0; j < W; j++) {
            var v = flat ? 0 : (cache.up[i][j] - lo) / span, ei = core.lutIndex(v, nLut), o = 4 * (i * W + j), grey = images[base + i * W + j];
            p[o] = Math.round((1 - a) * grey + a * lut[3 * ei]);
            p[o + 1] = Math.round((1 - a) * grey + a * lut[3 * ei + 1]);
            p[o + 2] = Math.round((1 - a) * grey + a * lut[3 * ei + 2]);
            p[o + 3] = 255;
          }
        }
        ctx.putImageData(img, 0, 0);
        var rl = cache.gridRange[0], rs = cache.gridRange[1] - rl, rp = rimg.data;
        for (i = 0; i < h; i++) {
          for (j = 0; j < w; j++) {
            var ev = core.lutIndex(rs > 0 ? (cache.grid[i][j] - rl) / rs : 0, nLut), ro = 4 * (i * w + j);
            rp[ro] = lut[3 * ev]; rp[ro + 1] = lut[3 * ev + 1]; rp[ro + 2] = lut[3 * ev + 2]; rp[ro + 3] = 255;
          }
        }
        rctx.putImageData(rimg, 0, 0);
        core.show(cellBox, !cache.flat);
        core.show(cellHalo, !cache.flat);
        core.attr(cellBox, { x: cache.cell[1] - 0.5, y: cache.cell[0] - 0.5 });
        core.attr(cellHalo, { x: cache.cell[1] - 0.5, y: cache.cell[0] - 0.5 });
        var mask = cache.mask;
        core.attr(maskPath, { d: outline(function (r, c) { return mask[r][c] > 0; }, H, W) || null });
        var sz = Math.max(1.5, W / 30), d = "";
        var at = cache.max.at.length <= 16 ? cache.max.at : [];
        at.forEach(function (q) { d += "M" + (q[1] - sz) + "," + q[0] + "H" + (q[1] + sz) + "M" + q[1] + "," + (q[0] - sz) + "V" + (q[0] + sz); });
        if (!at.length && !cache.flat) {
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
      core.show(patchBox, !!s.probe);
      var f = core.fmt, m = cache.max, nMax = m.at.length, pg = m.hits / nMax;
      var how = METHODS.filter(function (x) { return x[0] === s.method; })[0][1] +
        (s.method === "nearest" ? "" : s.alignCorners ? ", align_corners=True" : ", half-pixel");
      var where;
      if (cache.flat) {
        where = "the map is 0 on every patch (the ReLU of a negative sum), so every pixel ties for the maximum and the pointing score is the lesion's area fraction, " + f(pg, 3);
      } else if (nMax === 1) {
        where = "strongest cell (" + cache.cell[0] + ", " + cache.cell[1] + "), token " + (1 + cache.cell[0] * w + cache.cell[1]) +
          "; the upsampled maximum (pixel " + m.at[0][0] + ", " + m.at[0][1] + ") lies " + (m.hits ? "inside the lesion: a hit" : "outside the lesion: a miss");
      } else {
        where = "strongest cell (" + cache.cell[0] + ", " + cache.cell[1] + "); the upsampled maximum is reached at " + nMax + " pixels, " +
          m.hits + " of them inside the lesion: pointing score " + f(pg, 3);
      }
      var lesion = 0;
      cache.mask.forEach(function (r) { r.forEach(function (v) { lesion += v ? 1 : 0; }); });
      var text = "Image " + (s.index + 1) + " of " + N + ", " + cache.label + ", upsampled " + how + ": " + where +
        "; IoU of the region at or above " + f(s.threshold) + " of the maximum with the lesion mask (" + lesion + " pixels): " + f(cache.iou, 3) + ".";
      if (s.probe) {
        var py = s.probe[0], px = s.probe[1], pp = Math.floor(py / P), pq = Math.floor(px / P);
        core.attr(probe, { x: px - 0.5, y: py - 0.5 });
        core.attr(patchBox, { x: pq * P - 0.5, y: pp * P - 0.5 });
        var pv = cache.up[py][px];
        text += " Pixel (" + py + ", " + px + ") lies in patch (" + pp + ", " + pq + "), token " + (1 + pp * w + pq) +
          ", whose centre is (" + f(centre(pp), 1) + ", " + f(centre(pq), 1) + "); cell value " + f(cache.grid[pp][pq], 4) +
          ", upsampled value " + f(pv, 4) + " (" + f(m.value > 0 ? pv / m.value : 0) + " of the maximum), " +
          (cache.mask[py][px] ? "inside" : "outside") + " the lesion.";
      }
      core.text(readout, text);
      core.text(score, "pointing " + f(pg, 3) + " \u00b7 IoU " + f(cache.iou, 3));
    }
    app.renderNow();
    return { app: app, player: player, plot: plot, readout: readout };
  }

  ns.ch08 = {
    upsample: upsample, upsampleCam: upsampleCam, rollout: rollout,
    pointingGame: pointingGame, camIou: camIou, mount: mount,
  };
  core.mountAll("ch08", mount);
})();
