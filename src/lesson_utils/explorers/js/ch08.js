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
  var core = ns.core, num = core.num, ov = ns.overlay;
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

    var row = core.start(root, data.title);
    var plot = core.el("div", {
      class: "ex-plot ex-stack", tabindex: "0", role: "application", style: "max-width:340px;flex:1 1 240px",
      "aria-roledescription": "image with the map of a vision transformer",
      "aria-label": "Drag over the image to read the map at a pixel and its patch; \u2190 \u2192 change the image, \u2191 \u2193 the map, Page Up and Page Down the layer",
    }, row);
    var view = ov.view(plot, W, H), lw = view.lw, dGrid = "";
    for (var e = 1; e < w; e++) dGrid += "M" + (e * P - 0.5) + ",-0.5V" + (H - 0.5);
    for (e = 1; e < h; e++) dGrid += "M-0.5," + (e * P - 0.5) + "H" + (W - 0.5);
    // the patch borders under the marks, the patch of the probed pixel under the probe
    var grid = core.svg("path", { d: dGrid, style: "fill:none;stroke:#fff;stroke-opacity:.35;stroke-width:" + (0.5 * lw).toFixed(2) });
    view.over.insertBefore(grid, view.maskPath);
    var patchBox = core.svg("rect", { width: P, height: P, style: "fill:none;stroke:#ff0;stroke-width:" + lw.toFixed(2) + ";stroke-dasharray:" + (1.5 * lw).toFixed(2) });
    view.over.insertBefore(patchBox, view.probe);
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
    var layers = [];
    for (var l0 = 1; l0 <= L; l0++) layers.push([String(l0), "layer " + l0 + (l0 === L ? " (last)" : "")]);
    var imageCtl = ov.imageSelect(controls, N, state.index, function (i) { stop(); app.set({ index: i, probe: null }); });
    var mapCtl = core.select(controls, "map", choices, state.map, function (v) { stop(); app.set({ map: v }); });
    var layerCtl = core.select(controls, "layer (attention, rollout up to)", layers, String(state.layer), function (v) { stop(); app.set({ layer: +v }); });
    var methodCtl = core.select(controls, "upsampling", METHODS, state.method, function (v) { stop(); app.set({ method: v }); });
    var alignCtl = core.checkbox(controls, "align_corners=True", state.alignCorners, function (v) { stop(); app.set({ alignCorners: v }); });
    var thrCtl = ov.thresholdRange(controls, state.threshold, function (v) { stop(); app.set({ threshold: v }); });
    player = ov.imagePlayer(root, N, data.interval, readout, function (i) { app.set({ index: i, probe: null }); });
    player.index = state.index;

    view.bind(plot, N, app, stop, function (k) {
      if (k.dy) {
        var at = choiceIds.indexOf(state.map), n = choiceIds.length;
        return app.set({ map: choiceIds[(at - k.dy + n) % n] });
      }
      if (k.key === "PageUp") return app.set({ layer: Math.min(state.layer + 1, L) });
      if (k.key === "PageDown") return app.set({ layer: Math.max(state.layer - 1, 1) });
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
      var gridMax = ov.maxima(grid, grid);
      return {
        label: describe(s), grid: grid, mask: mask, up: up, max: ov.maxima(up, mask),
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
        view.paint(cache.up, cache.range, images, s.index * H * W, data.alpha, lut, nLut);
        ov.paintMap(rctx, rimg, cache.grid, cache.gridRange, lut, nLut);
        core.show(cellBox, !cache.flat);
        core.show(cellHalo, !cache.flat);
        core.attr(cellBox, { x: cache.cell[1] - 0.5, y: cache.cell[0] - 0.5 });
        core.attr(cellHalo, { x: cache.cell[1] - 0.5, y: cache.cell[0] - 0.5 });
        view.marks(cache.mask, cache.max, cache.flat);
        key = k;
      }
      view.score(cache, s.threshold);
      core.show(view.probe, !!s.probe);
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
      var lesion = ov.lesionPixels(cache.mask);
      var text = "Image " + (s.index + 1) + " of " + N + ", " + cache.label + ", upsampled " + how + ": " + where +
        "; IoU of the region at or above " + f(s.threshold) + " of the maximum with the lesion mask (" + lesion + " pixels): " + f(cache.iou, 3) + ".";
      if (s.probe) {
        var py = s.probe[0], px = s.probe[1], pp = Math.floor(py / P), pq = Math.floor(px / P);
        core.attr(view.probe, { x: px - 0.5, y: py - 0.5 });
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
    pointingGame: ov.pointingGame, camIou: ov.camIou, mount: mount,
  };
  core.mountAll("ch08", mount);
})();
