/* Interpolating Attention: the scored heat-map overlay of Chapters 6 and 8.
 *
 * A classic script, inlined after core.js and before the chapter files that use it
 * (lesson_utils.explorers.script). It defines window.lessonExplorers.overlay once
 * per page with:
 *   - maxima(map, mask), pointingGame(map, mask) = metrics.pointing_game (every
 *     maximum counts), camIou(map, mask, threshold) = metrics.cam_iou;
 *   - outline(isIn, h, w): the SVG path of the boundary of a binary image;
 *   - view(plot, W, H): the W x H canvas of a grey image blended with a map, the
 *     SVG marks over it (lesion mask, IoU region, peak, probed pixel) and the
 *     functions that redraw them;
 *   - paintMap, imageSelect, thresholdRange, imagePlayer, lesionPixels: the small
 *     raw-map canvas, the controls and the readout piece both chapters share.
 */
(function () {
  "use strict";
  var VERSION = 1;
  var ns = (window.lessonExplorers = window.lessonExplorers || {});
  if (ns.overlay && ns.overlay.version >= VERSION) return;
  var core = ns.core;
  var num = core.num;

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

  /** Write a map, scaled from range[0] .. range[1] through the LUT, into a canvas. */
  function paintMap(ctx, image, map, range, lut, nLut) {
    var lo = range[0], span = range[1] - lo, p = image.data, w = image.width;
    for (var i = 0; i < image.height; i++) {
      for (var j = 0; j < w; j++) {
        var e = core.lutIndex(span > 0 ? (map[i][j] - lo) / span : 0, nLut), o = 4 * (i * w + j);
        p[o] = lut[3 * e]; p[o + 1] = lut[3 * e + 1]; p[o + 2] = lut[3 * e + 2]; p[o + 3] = 255;
      }
    }
    ctx.putImageData(image, 0, 0);
  }

  /**
   * The W x H canvas in plot with, above it, one SVG (viewBox in pixels) holding the
   * lesion mask (cyan), the IoU region (dashed white), the peak (a + per maximum with
   * a black halo) and the probed pixel (yellow). Returns those elements and
   *   paint(up, range, grey, base, alpha, lut, nLut): blend the map up, scaled to
   *     range (0 where it is flat), over the grey pixels grey[base ...];
   *   marks(mask, max, flat): the mask outline and the peak marks (more than 16
   *     maxima: their outline; none drawn when flat);
   *   score(m, t): for m = {up, mask, max}, the outline of up >= t * max.value and
   *     m.iou, the IoU at threshold t (kept in m until t changes);
   *   bind(plot, n, app, stop, more): a drag probes the pixel under the pointer,
   *     the left and right arrows, Home and End change the image (one of n),
   *     other keys go to more(k).
   */
  function view(plot, W, H) {
    var canvas = core.el("canvas", { width: W, height: H, "aria-hidden": "true" }, plot);
    var ctx = canvas.getContext("2d"), img = ctx.createImageData(W, H);
    var over = core.svg("svg", { viewBox: "-0.5 -0.5 " + W + " " + H, preserveAspectRatio: "none", "aria-hidden": "true" }, plot);
    var lw = W / 128;
    function stroke(tag, style) { return core.svg(tag, tag === "rect" ? { width: 1, height: 1, style: style } : { style: style }, over); }
    var v = {
      canvas: canvas, over: over, lw: lw,
      maskPath: stroke("path", "fill:none;stroke:#00e5ff;stroke-width:" + (1.6 * lw).toFixed(2)),
      regionPath: stroke("path", "fill:none;stroke:#fff;stroke-width:" + lw.toFixed(2) + ";stroke-dasharray:" + (2 * lw).toFixed(2)),
      halo: stroke("path", "fill:none;stroke:#000;stroke-width:" + (3.5 * lw).toFixed(2)),
      peak: stroke("path", "fill:none;stroke:#fff;stroke-width:" + (1.4 * lw).toFixed(2)),
      probe: stroke("rect", "fill:none;stroke:#ff0;stroke-width:" + lw.toFixed(2)),
    };
    v.paint = function (up, range, grey, base, alpha, lut, nLut) {
      var lo = range[0], hi = range[1], span = hi - lo;
      var flat = span <= 1e-6 * Math.max(Math.abs(lo), Math.abs(hi)), p = img.data, a = alpha;
      for (var i = 0; i < H; i++) {
        for (var j = 0; j < W; j++) {
          var t = flat ? 0 : (up[i][j] - lo) / span, e = core.lutIndex(t, nLut), o = 4 * (i * W + j), g = grey[base + i * W + j];
          p[o] = Math.round((1 - a) * g + a * lut[3 * e]);
          p[o + 1] = Math.round((1 - a) * g + a * lut[3 * e + 1]);
          p[o + 2] = Math.round((1 - a) * g + a * lut[3 * e + 2]);
          p[o + 3] = 255;
        }
      }
      ctx.putImageData(img, 0, 0);
    };
    v.marks = function (mask, max, flat) {
      core.attr(v.maskPath, { d: outline(function (r, c) { return mask[r][c] > 0; }, H, W) || null });
      var sz = Math.max(1.5, W / 30), d = "";
      var at = max.at.length <= 16 ? max.at : [];
      at.forEach(function (q) { d += "M" + (q[1] - sz) + "," + q[0] + "H" + (q[1] + sz) + "M" + q[1] + "," + (q[0] - sz) + "V" + (q[0] + sz); });
      if (!at.length && !flat) {
        var set = {};
        max.at.forEach(function (q) { set[q[0] * W + q[1]] = 1; });
        d = outline(function (r, c) { return set[r * W + c] === 1; }, H, W);
      }
      core.attr(v.peak, { d: d || null });
      core.attr(v.halo, { d: d || null });
    };
    v.score = function (m, t) {
      if (m.thrKey === t) return m.iou;
      var up = m.up, peak = m.max.value;
      core.attr(v.regionPath, { d: outline(function (r, c) { return up[r][c] >= t * peak && peak > 0; }, H, W) || null });
      m.iou = camIou(up, m.mask, t);
      m.thrKey = t;
      return m.iou;
    };
    v.bind = function (plot, n, app, stop, more) {
      core.drag(plot, function (e) {
        stop();
        var r = canvas.getBoundingClientRect();
        var pr = Math.floor(((e.clientY - r.top) / r.height) * H), pc = Math.floor(((e.clientX - r.left) / r.width) * W);
        app.set({ probe: [num.clip(pr, 0, H - 1), num.clip(pc, 0, W - 1)] });
      });
      core.keys(plot, function (k) {
        stop();
        var i = app.state.index;
        if (k.dx) return app.set({ index: (i + k.dx + n) % n, probe: null });
        if (k.key === "Home") return app.set({ index: 0, probe: null });
        if (k.key === "End") return app.set({ index: n - 1, probe: null });
        return more(k);
      });
    };
    return v;
  }

  /** The "image" select (image 1 of N ...); onChange gets the index. */
  function imageSelect(controls, n, index, onChange) {
    var options = [];
    for (var k = 0; k < n; k++) options.push([String(k), "image " + (k + 1) + " of " + n]);
    return core.select(controls, "image", options, String(index), function (v) { onChange(+v); });
  }
  /** The IoU threshold slider, a fraction of the maximum in steps of 0.05. */
  function thresholdRange(controls, value, onInput) {
    return core.range(controls, "IoU threshold (\u00d7 maximum)", { min: 0.05, max: 1, step: 0.05, value: value }, onInput);
  }
  /** Play through the n images: show(i) shows image i. */
  function imagePlayer(root, n, interval, before, show) {
    return core.createPlayer(root, {
      before: before, count: n, interval: interval, label: "Show the images one after the other",
      describe: function (i) { return "image " + (i + 1); },
      show: show,
    });
  }
  /** How many pixels of a mask (rows of 0 / 1) are set. */
  function lesionPixels(mask) {
    var n = 0;
    mask.forEach(function (r) { r.forEach(function (v) { n += v ? 1 : 0; }); });
    return n;
  }

  ns.overlay = {
    version: VERSION,
    maxima: maxima,
    pointingGame: pointingGame,
    camIou: camIou,
    outline: outline,
    paintMap: paintMap,
    view: view,
    imageSelect: imageSelect,
    thresholdRange: thresholdRange,
    imagePlayer: imagePlayer,
    lesionPixels: lesionPixels,
  };
})();
