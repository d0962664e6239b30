/* Chapter 7 explorer: move an affine sampling grid over the input, see what it reads.
 *
 * Maths (window.lessonExplorers.ch07):
 *   affineGrid(theta, H, W, alignCorners) = stn.affine_grid(theta, (H, W), ...)
 *     (H x W x 2, last axis (x, y) normalised, torch's order)
 *   gridSample(image, grid, alignCorners, paddingMode) = stn.grid_sample (bilinear;
 *     "zeros", "border", "reflection")
 *   affineTheta(rotation, scale, tx, ty) = stn.affine_theta
 */
(function () {
  "use strict";
  var ns = (window.lessonExplorers = window.lessonExplorers || {});
  var core = ns.core, num = core.num;
  var PADDING = ["zeros", "border", "reflection"];
  var POINT_STEP = 4;

  function baseCoordinates(n, alignCorners) {
    var out = new Array(n);
    if (n === 1) { out[0] = 0; return out; }
    for (var i = 0; i < n; i++) out[i] = alignCorners ? (2 * i) / (n - 1) - 1 : (2 * i + 1) / n - 1;
    return out;
  }

  function affineGrid(theta, H, W, alignCorners) {
    var xs = baseCoordinates(W, !!alignCorners), ys = baseCoordinates(H, !!alignCorners), grid = new Array(H);
    var t0 = theta[0], t1 = theta[1];
    for (var i = 0; i < H; i++) {
      var row = new Array(W);
      for (var j = 0; j < W; j++) {
        var x = xs[j], y = ys[i];
        row[j] = [x * t0[0] + y * t0[1] + t0[2], x * t1[0] + y * t1[1] + t1[2]];
      }
      grid[i] = row;
    }
    return grid;
  }

  function unnormalize(g, n, alignCorners) {
    return alignCorners ? (g + 1) * ((n - 1) / 2) : ((g + 1) * n - 1) / 2;
  }
  /** stn._reflect: fold x into [low, high] by mirror reflections. */
  function reflect(x, twiceLow, twiceHigh) {
    if (twiceLow === twiceHigh) return 0;
    var low = twiceLow / 2, span = (twiceHigh - twiceLow) / 2;
    var shifted = Math.abs(x - low);
    var extra = shifted % span, flips = Math.floor(shifted / span);
    return flips % 2 === 0 ? extra + low : span - extra + low;
  }
  /** stn.source_pixels: where a sampler reads along one axis (no derivative). */
  function sourcePixel(g, n, alignCorners, paddingMode) {
    var x = unnormalize(g, n, alignCorners);
    if (paddingMode === "border") return num.clip(x, 0, n - 1);
    if (paddingMode === "reflection") {
      x = alignCorners ? reflect(x, 0, 2 * (n - 1)) : reflect(x, -1, 2 * n - 1);
      return num.clip(x, 0, n - 1);
    }
    return x;
  }

  function gridSample(image, grid, alignCorners, paddingMode) {
    num.choice(paddingMode, "padding_mode", PADDING);
    var h = image.length, w = image[0].length, out = new Array(grid.length);
    function at(r, c) { return r >= 0 && r < h && c >= 0 && c < w ? image[r][c] : 0; }
    for (var i = 0; i < grid.length; i++) {
      var row = new Array(grid[i].length);
      for (var j = 0; j < grid[i].length; j++) {
        var x = sourcePixel(grid[i][j][0], w, !!alignCorners, paddingMode);
        var y = sourcePixel(grid[i][j][1], h, !!alignCorners, paddingMode);
        var x0 = Math.floor(x), y0 = Math.floor(y), wx1 = x - x0, wy1 = y - y0, wx0 = 1 - wx1, wy0 = 1 - wy1;
        var s = 0;
        s += at(y0, x0) * (wy0 * wx0);
        s += at(y0, x0 + 1) * (wy0 * wx1);
        s += at(y0 + 1, x0) * (wy1 * wx0);
        s += at(y0 + 1, x0 + 1) * (wy1 * wx1);
        row[j] = s;
      }
      out[i] = row;
    }
    return out;
  }

  function affineTheta(rotation, scale, tx, ty) {
    var r = rotation * (Math.PI / 180), c = scale * Math.cos(r), s = scale * Math.sin(r);
    return [[c, -s, tx], [s, c, ty]];
  }

  function describe(s, fr, data) {
    var f = core.fmt, t = s.theta;
    var text = "\u03b8 = [[" + f(t[0][0]) + " " + f(t[0][1]) + " " + f(t[0][2]) + "] [" + f(t[1][0]) + " " + f(t[1][1]) + " " + f(t[1][2]) + "]]";
    var det = t[0][0] * t[1][1] - t[0][1] * t[1][0];
    text += " (rotation " + f((Math.atan2(t[1][0], t[0][0]) * 180) / Math.PI, 1) + "\u00b0, scale " + f(Math.sqrt(Math.abs(det))) +
      ", shift (" + f(t[0][2]) + ", " + f(t[1][2]) + "))";
    text += "; " + s.padding + " padding, align_corners=" + (s.align ? "True" : "False") +
      ": output pixel (0, 0) reads the input at (x, y) = (" + f(fr.x00[0]) + ", " + f(fr.x00[1]) + ") pixels" +
      (fr.inside00 ? "" : ", outside the image") + "; " + f(100 * fr.outside, 0) + "% of the output reads outside the input";
    if (fr.loss !== null) text += "; loss against the template " + fr.loss.toExponential(3).replace("-", "\u2212");
    if (s.frame !== null && data.path_steps.length) {
      text += " (optimisation step " + data.path_steps[s.frame] +
        (data.path_losses.length ? ", recorded loss " + data.path_losses[s.frame].toExponential(3).replace("-", "\u2212") : "") + ")";
    }
    return text + ".";
  }

  function mount(root, data) {
    var im = core.decode(data.image), H = im.shape[0], W = im.shape[1], image = core.rows(im.data, H, W);
    var template = data.template ? core.rows(core.decode(data.template).data, H, W) : null;
    var lut = core.lut(data.lut), nLut = data.lut.length;
    function paint(target, rowsIn) {
      var c2 = target.getContext("2d"), idata = c2.createImageData(rowsIn[0].length, rowsIn.length), p = idata.data;
      for (var i = 0; i < rowsIn.length; i++) {
        for (var j = 0; j < rowsIn[0].length; j++) {
          var e = core.lutIndex(rowsIn[i][j], nLut), o = 4 * (i * rowsIn[0].length + j);
          p[o] = lut[3 * e]; p[o + 1] = lut[3 * e + 1]; p[o + 2] = lut[3 * e + 2]; p[o + 3] = 255;
        }
      }
      c2.putImageData(idata, 0, 0);
    }
    var row = core.start(root, data.title);
    var mx = 0.35 * W, my = 0.35 * H;
    var plot = core.svg("svg", {
      class: "ex-plot ex-main", viewBox: [-0.5 - mx, -0.5 - my, W + 2 * mx, H + 2 * my].join(" "), tabindex: "0", role: "application",
      "aria-roledescription": "draggable sampling grid", style: "max-width:360px;flex:1 1 230px",
      "aria-label": "Sampling grid over the input: drag to shift it; arrow keys shift, Shift + arrows rotate and scale",
    }, row);
    core.svg("rect", { x: -0.5 - mx, y: -0.5 - my, width: W + 2 * mx, height: H + 2 * my, style: "fill:var(--ex-panel)" }, plot);
    var off = core.el("canvas", { width: W, height: H });
    paint(off, image);
    core.svg("image", { x: -0.5, y: -0.5, width: W, height: H, href: off.toDataURL("image/png"), preserveAspectRatio: "none", style: "image-rendering:pixelated" }, plot);
    var lw = W / 80;
    var outline = core.svg("path", { style: "fill:none;stroke:var(--ex-extra1);stroke-width:" + (1.5 * lw).toFixed(2) }, plot);
    var dots = core.pool(plot, "circle", function (n) { core.attr(n, { r: (0.9 * lw).toFixed(2), style: "fill:var(--ex-extra2)" }); });
    var first = core.svg("circle", { r: (1.8 * lw).toFixed(2), style: "fill:var(--ex-point);stroke:var(--ex-bg);stroke-width:" + (0.5 * lw).toFixed(2) }, plot);
    var outBox = core.el("div", { class: "ex-side", style: "max-height:none;flex:1 1 140px;max-width:240px" }, row);
    core.el("p", { class: "ex-help", style: "margin:0" }, outBox, "output V (what the grid reads)");
    var outCanvas = core.el("canvas", { width: W, height: H, style: "width:100%;height:auto", "aria-hidden": "true" }, outBox);
    var lossSvg = null, lossMark = null, lx = null, ly = null;
    if (data.path_losses.length) {
      core.el("p", { class: "ex-help", style: "margin:.3rem 0 0" }, outBox, "loss along the optimisation (log scale)");
      lossSvg = core.svg("svg", { viewBox: "0 0 160 70", "aria-hidden": "true", style: "width:100%;height:auto" }, outBox);
      var logs = data.path_losses.map(function (v) { return Math.log10(v); });
      var steps = data.path_steps.length ? data.path_steps : data.path_losses.map(function (v, k) { return k; });
      lx = core.scale(steps[0], steps[steps.length - 1] || 1, 6, 154);
      ly = core.scale(Math.min.apply(null, logs), Math.max.apply(null, logs) || 1, 64, 6);
      core.svg("path", { d: logs.map(function (v, k) { return (k ? "L" : "M") + lx(steps[k]).toFixed(1) + "," + ly(v).toFixed(1); }).join(""), style: "fill:none;stroke:var(--ex-sample);stroke-width:1.5" }, lossSvg);
      lossMark = core.svg("circle", { r: 3.5, style: "fill:var(--ex-point)" }, lossSvg);
      lossMark.__steps = steps;
      lossMark.__logs = logs;
    }
    var controls = core.el("div", { class: "ex-controls" }, root);
    var readout = core.el("p", { "data-readout": "", "aria-live": "polite" }, root);
    core.el("p", { class: "ex-help" }, root,
      "Orange: the output's border mapped onto the input; dots: every " + POINT_STEP + "th sampling point; red: where output pixel (0, 0) reads. Drag the grid, or focus the picture: arrows shift it, Shift + \u2190 \u2192 rotate, Shift + \u2191 \u2193 scale.");
    var t0 = data.theta;
    var det0 = t0[0][0] * t0[1][1] - t0[0][1] * t0[1][0];
    var state = {
      theta: t0, padding: data.padding_mode, align: data.align_corners, frame: null,
      rotation: (Math.atan2(t0[1][0], t0[0][0]) * 180) / Math.PI, scale: Math.sqrt(Math.abs(det0)),
    };
    if (data.path.length && JSON.stringify(data.path[0]) === JSON.stringify(t0)) state.frame = 0;
    var app = core.createApp(root, render, state);
    var player = null;
    function stop() { if (player) player.stop(); }
    function fromSliders(patch) {
      var s = Object.assign({}, state, patch);
      var th = affineTheta(s.rotation, s.scale, s.theta[0][2], s.theta[1][2]);
      if ("tx" in patch) th[0][2] = patch.tx;
      if ("ty" in patch) th[1][2] = patch.ty;
      app.set({ theta: th, rotation: s.rotation, scale: s.scale, frame: null });
    }
    var ctl = {};
    ctl.rotation = core.range(controls, "rotation (\u00b0)", { min: -180, max: 180, step: 1, value: state.rotation, format: function (v) { return core.fmt(v, 0); } }, function (v) { stop(); fromSliders({ rotation: v }); });
    ctl.scale = core.range(controls, "scale", { min: 0.25, max: 2, step: 0.01, value: state.scale }, function (v) { stop(); fromSliders({ scale: v }); });
    ctl.tx = core.range(controls, "shift \u03c4\u2093", { min: -1, max: 1, step: 0.01, value: t0[0][2] }, function (v) { stop(); fromSliders({ tx: v }); });
    ctl.ty = core.range(controls, "shift \u03c4\u1d67", { min: -1, max: 1, step: 0.01, value: t0[1][2] }, function (v) { stop(); fromSliders({ ty: v }); });
    ctl.padding = core.select(controls, "padding", data.padding_modes.map(function (p) { return [p, p]; }), state.padding, function (v) { stop(); app.set({ padding: v }); });
    ctl.align = core.checkbox(controls, "align_corners=True", state.align, function (v) { stop(); app.set({ align: v }); });
    if (data.path.length) {
      player = core.createPlayer(root, {
        before: readout, count: data.path.length, interval: data.interval, label: "Replay the optimisation of \u03b8",
        describe: function (k) { return data.path_steps.length ? "step " + data.path_steps[k] + " (frame " + (k + 1) + ")" : "frame " + (k + 1); },
        show: function (k) {
          var th = data.path[k], d = th[0][0] * th[1][1] - th[0][1] * th[1][0];
          app.set({ theta: th, frame: k, rotation: (Math.atan2(th[1][0], th[0][0]) * 180) / Math.PI, scale: Math.sqrt(Math.abs(d)) });
        },
      });
    }
    function norm(dPix, n) { return state.align ? (2 * dPix) / (n - 1 || 1) : (2 * dPix) / n; }
    var grab = null;
    core.drag(plot, function (e, phase) {
      stop();
      var p = core.svgPoint(plot, e);
      if (!p) return;
      if (phase === "start") { grab = { p: p, tx: state.theta[0][2], ty: state.theta[1][2] }; return; }
      if (!grab) return;
      var th = [state.theta[0].slice(), state.theta[1].slice()];
      th[0][2] = Math.round(num.clip(grab.tx + norm(p.x - grab.p.x, W), -1, 1) * 100) / 100;
      th[1][2] = Math.round(num.clip(grab.ty + norm(p.y - grab.p.y, H), -1, 1) * 100) / 100;
      app.set({ theta: th, frame: null });
      if (phase === "end") grab = null;
    });
    core.keys(plot, function (k) {
      stop();
      if (k.shift && k.dx) return fromSliders({ rotation: num.clip(state.rotation - 5 * k.dx, -180, 180) });
      if (k.shift && k.dy) return fromSliders({ scale: Math.round(num.clip(state.scale + 0.05 * k.dy, 0.25, 2) * 100) / 100 });
      if (k.dx || k.dy) {
        var th = [state.theta[0].slice(), state.theta[1].slice()];
        th[0][2] = Math.round(num.clip(th[0][2] + 0.05 * k.dx, -1, 1) * 100) / 100;
        th[1][2] = Math.round(num.clip(th[1][2] - 0.05 * k.dy, -1, 1) * 100) / 100;
        return app.set({ theta: th, frame: null });
      }
      return false;
    });

    function render(s) {
      if (+ctl.rotation.value !== Math.round(s.rotation)) ctl.rotation.update(Math.round(s.rotation));
      if (+ctl.scale.value !== s.scale) ctl.scale.update(s.scale);
      if (+ctl.tx.value !== s.theta[0][2]) ctl.tx.update(s.theta[0][2]);
      if (+ctl.ty.value !== s.theta[1][2]) ctl.ty.update(s.theta[1][2]);
      ctl.padding.value = s.padding;
      ctl.align.checked = s.align;
      var grid = affineGrid(s.theta, H, W, s.align), out = gridSample(image, grid, s.align, s.padding);
      paint(outCanvas, out);
      var k = 0, outside = 0;
      for (var i = 0; i < H; i++) {
        for (var j = 0; j < W; j++) {
          var px = unnormalize(grid[i][j][0], W, s.align), py = unnormalize(grid[i][j][1], H, s.align);
          if (px < -0.5 || px > W - 0.5 || py < -0.5 || py > H - 0.5) outside += 1;
          if (i % POINT_STEP === 0 && j % POINT_STEP === 0) core.attr(dots.get(k++), { cx: px.toFixed(3), cy: py.toFixed(3) });
        }
      }
      dots.hideFrom(k);
      var x00 = [unnormalize(grid[0][0][0], W, s.align), unnormalize(grid[0][0][1], H, s.align)];
      core.attr(first, { cx: x00[0].toFixed(3), cy: x00[1].toFixed(3) });
      // the output's outer corners (as stn.affine_frame draws them)
      var ex = s.align && W > 1 ? 1 + 1 / (W - 1) : 1, ey = s.align && H > 1 ? 1 + 1 / (H - 1) : 1, th = s.theta;
      var d = [[-ex, -ey], [ex, -ey], [ex, ey], [-ex, ey], [-ex, -ey]].map(function (c, n) {
        var gx = th[0][0] * c[0] + th[0][1] * c[1] + th[0][2], gy = th[1][0] * c[0] + th[1][1] * c[1] + th[1][2];
        return (n ? "L" : "M") + unnormalize(gx, W, s.align).toFixed(3) + "," + unnormalize(gy, H, s.align).toFixed(3);
      }).join("");
      core.attr(outline, { d: d });
      var loss = null;
      if (template) {
        var sq = [];
        for (i = 0; i < H; i++) for (j = 0; j < W; j++) { var e = out[i][j] - template[i][j]; sq.push(e * e); }
        loss = num.npsum(sq) / sq.length;
      }
      if (lossMark) {
        core.show(lossMark, s.frame !== null);
        if (s.frame !== null) core.attr(lossMark, { cx: lx(lossMark.__steps[s.frame]), cy: ly(lossMark.__logs[s.frame]) });
      }
      var fr = {
        x00: x00, inside00: x00[0] >= -0.5 && x00[0] <= W - 0.5 && x00[1] >= -0.5 && x00[1] <= H - 0.5,
        outside: outside / (H * W), loss: loss,
      };
      core.text(readout, describe(s, fr, data));
    }
    app.renderNow();
    return { app: app, player: player, plot: plot, readout: readout };
  }

  ns.ch07 = { affineGrid: affineGrid, gridSample: gridSample, affineTheta: affineTheta, mount: mount };
  core.mountAll("ch07", mount);
})();
