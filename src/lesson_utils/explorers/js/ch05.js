/* Chapter 5 explorer: upsample a coarse attention map and see what each setting does.
 *
 * Maths (window.lessonExplorers.ch05):
 *   upsample(map, outH, outW, method, a) = resize.resize(map, (outH, outW),
 *     method=method, a=a) (half-pixel, no antialias, no clamp)
 *   heatmap(map, outH, outW, method, a, clamp, normalization, alignCorners)
 *     = heatmaps.heatmap(map, (outH, outW), ...)
 *   peak(rows) = heatmaps.peak_position
 * Picture: the shown map (canvas) with the profiled row and the maxima; the profile
 * along that row with the truth and the lightness of the colours painted there.
 */
(function () {
  "use strict";
  var ns = (window.lessonExplorers = window.lessonExplorers || {});
  var core = ns.core, num = core.num;

  function upsample(map, outH, outW, method, a) {
    return num.resize2d(map, outH, outW, method, false, false, a);
  }
  function heatmap(map, outH, outW, method, a, clamp, normalization, alignCorners) {
    return num.heatmap(map, outH, outW, method, a, !!clamp, normalization, !!alignCorners);
  }

  var PROF = { w: 300, h: 240, left: 34, right: 292, top: 8, bottom: 206 };
  var METHOD_LABEL = { nearest: "nearest", bilinear: "bilinear", bicubic: "bicubic" };

  /** Everything the readout states (mirrors heatmaps.upsample_frame). */
  function frame(data, s, truth) {
    var H = data.output_shape[0], W = data.output_shape[1];
    var raw = num.resize2d(data.cam, H, W, s.method, s.align_corners, false, s.a);
    var heat = heatmap(data.cam, H, W, s.method, s.a, s.clamp, s.normalization, s.align_corners);
    var out = { raw: num.extent(raw), heat: heat, peak: num.argmax2d(heat), cam: num.extent(data.cam) };
    if (truth) {
      var se = 0;
      for (var i = 0; i < H; i++) for (var j = 0; j < W; j++) { var d = heat[i][j] - truth[i][j]; se += d * d; }
      out.rmse = Math.sqrt(se / (H * W));
      out.truthPeak = num.argmax2d(truth);
      out.peakError = Math.hypot(out.peak[0] - out.truthPeak[0], out.peak[1] - out.truthPeak[1]);
    }
    return out;
  }

  function describe(s, fr) {
    var f = core.fmt;
    var settings = METHOD_LABEL[s.method] + (s.method === "bicubic" ? " (a = " + f(s.a) + ")" : "") +
      (s.align_corners ? ", align_corners=True" : ", half-pixel") + ", clamp " + (s.clamp ? "on" : "off") +
      ", normalised " + s.normalization + " upsampling, " + s.cmap;
    var text = settings + ": the shown map's maximum is at (row " + fr.peak[0] + ", column " + fr.peak[1] + ")";
    if (fr.truthPeak) {
      text += "; the truth's at (" + fr.truthPeak[0] + ", " + fr.truthPeak[1] + "), " + f(fr.peakError, 1) +
        " pixels away; RMSE against the normalised truth " + f(fr.rmse, 4);
    }
    text += ". Upsampled before clamp and normalisation the values span " + f(fr.raw[0], 4) + " to " + f(fr.raw[1], 4) +
      " (the coarse map: " + f(fr.cam[0], 4) + " to " + f(fr.cam[1], 4) + "). Profile along row " + s.row + ".";
    return text;
  }

  function mount(root, data) {
    var H = data.output_shape[0], W = data.output_shape[1];
    var truth = null;
    if (data.truth) { var t = core.decode(data.truth); truth = core.rows(t.data, H, W); }
    var luts = {};
    Object.keys(data.luts).forEach(function (k) { luts[k] = { rgb: core.lut(data.luts[k].colors), L: data.luts[k].lightness, n: data.luts[k].colors.length }; });
    var row = core.start(root, data.title);
    var plot = core.el("div", {
      class: "ex-plot ex-stack", tabindex: "0", role: "slider", style: "max-width:320px;flex:1 1 220px",
      "aria-label": "Profiled row: drag on the map, or use \u2191 \u2193",
      "aria-valuemin": 0, "aria-valuemax": H - 1, "aria-orientation": "vertical",
    }, row);
    var canvas = core.el("canvas", { width: W, height: H, "aria-hidden": "true" }, plot);
    var ctx = canvas.getContext("2d");
    var img = ctx.createImageData(W, H);
    var over = core.svg("svg", { viewBox: "-0.5 -0.5 " + W + " " + H, preserveAspectRatio: "none", "aria-hidden": "true" }, plot);
    var rowLine = core.svg("line", { x1: -0.5, x2: W - 0.5, style: "stroke:#fff;stroke-width:" + (H / 112).toFixed(2) + ";stroke-dasharray:" + (H / 40).toFixed(2) + " " + (H / 60).toFixed(2) }, over);
    var sz = Math.max(2, W / 28);
    var lw = W / 110;
    var truthHalo = core.svg("path", { style: "stroke:#fff;stroke-width:" + (3 * lw).toFixed(2) + ";fill:none" }, over);
    var truthMark = core.svg("path", { style: "stroke:#000;stroke-width:" + lw.toFixed(2) + ";fill:none" }, over);
    var peakHalo = core.svg("path", { style: "stroke:#000;stroke-width:" + (3 * lw).toFixed(2) + ";fill:none" }, over);
    var peakMark = core.svg("path", { style: "stroke:#fff;stroke-width:" + lw.toFixed(2) + ";fill:none" }, over);
    var prof = core.svg("svg", { class: "ex-main", viewBox: "0 0 " + PROF.w + " " + PROF.h, "aria-hidden": "true", style: "max-width:420px;flex:1 1 240px" }, row);
    var px = core.scale(0, W - 1, PROF.left, PROF.right), py = core.scale(-0.25, 1.55, PROF.bottom, PROF.top);
    var gp = core.svg("g", null, prof);
    [0, 0.5, 1].forEach(function (v) {
      core.svg("line", { class: v === 0 ? "ex-axis" : "ex-gridline", x1: PROF.left, x2: PROF.right, y1: py(v), y2: py(v), style: v === 0 ? "stroke-dasharray:2 2" : "" }, gp);
      core.svg("text", { x: PROF.left - 4, y: py(v) + 4, "text-anchor": "end", "font-size": 11, class: "ex-muted" }, gp, String(v));
    });
    core.ticks(0, W - 1, 4).forEach(function (v) {
      core.svg("text", { x: px(v), y: PROF.bottom + 14, "text-anchor": "middle", "font-size": 11, class: "ex-muted" }, gp, String(v));
    });
    core.svg("text", { x: (PROF.left + PROF.right) / 2, y: PROF.h - 4, "text-anchor": "middle", "font-size": 12, class: "ex-muted" }, gp, "column");
    var clipId = core.nextId("ex-clip");
    var cp = core.svg("clipPath", { id: clipId }, core.svg("defs", null, prof));
    core.svg("rect", { x: PROF.left, y: PROF.top, width: PROF.right - PROF.left, height: PROF.bottom - PROF.top }, cp);
    var gl = core.svg("g", { "clip-path": "url(#" + clipId + ")" }, gp);
    var lightPath = core.svg("path", { style: "fill:none;stroke:var(--ex-point);stroke-width:1.5" }, gl);
    var truthPath = core.svg("path", { style: "fill:none;stroke:var(--ex-fg);stroke-width:1.2;stroke-dasharray:4 3" }, gl);
    var heatPath = core.svg("path", { style: "fill:none;stroke:var(--ex-sample);stroke-width:2" }, gl);
    var legend = core.svg("g", null, gp);
    [["shown value", "--ex-sample", ""], truth ? ["truth", "--ex-fg", "4 3"] : null, ["lightness L*/100", "--ex-point", ""]].filter(Boolean).forEach(function (l, k) {
      var y = PROF.top + 8 + k * 14;
      core.svg("line", { x1: PROF.left + 6, x2: PROF.left + 24, y1: y, y2: y, style: "stroke:var(" + l[1] + ");stroke-width:2" + (l[2] ? ";stroke-dasharray:" + l[2] : "") }, legend);
      core.svg("text", { x: PROF.left + 28, y: y + 4, "font-size": 11, class: "ex-halo" }, legend, l[0]);
    });

    var controls = core.el("div", { class: "ex-controls" }, root);
    var readout = core.el("p", { "data-readout": "", "aria-live": "polite" }, root);
    core.el("p", { class: "ex-help" }, root,
      "Drag on the map (or focus it and use \u2191 \u2193) to choose the profiled row (dashed). White +: the shown map's maximum" + (truth ? "; black \u00d7: the truth's. Right: the profile along that row." : ". Right: the profile along that row."));
    var state = {
      method: data.method, a: data.a, clamp: data.clamp, normalization: data.normalization,
      align_corners: data.align_corners, cmap: data.cmap, row: data.row,
    };
    var initial = Object.assign({}, state);
    var app = core.createApp(root, render, state);
    var player = null;
    function stop() { if (player) player.stop(); }
    var ctl = {};
    ctl.method = core.select(controls, "method", [["nearest", "nearest"], ["bilinear", "bilinear"], ["bicubic", "bicubic"]], state.method, function (v) { stop(); app.set({ method: v }); });
    ctl.a = core.range(controls, "a (bicubic)", { min: -2, max: 0.5, step: 0.05, value: state.a }, function (v) { stop(); app.set({ a: v }); });
    ctl.align_corners = core.checkbox(controls, "align_corners=True", state.align_corners, function (v) { stop(); app.set({ align_corners: v }); });
    ctl.clamp = core.checkbox(controls, "clamp to the coarse range", state.clamp, function (v) { stop(); app.set({ clamp: v }); });
    ctl.normalization = core.select(controls, "normalise", [["after", "after upsampling"], ["before", "before upsampling"]], state.normalization, function (v) { stop(); app.set({ normalization: v }); });
    ctl.cmap = core.select(controls, "colormap", Object.keys(luts).map(function (k) { return [k, k]; }), state.cmap, function (v) { stop(); app.set({ cmap: v }); });
    if (data.path && data.path.length) {
      player = core.createPlayer(root, {
        before: readout, count: data.path.length, interval: data.interval, label: "Step through the settings",
        show: function (k) { app.set(Object.assign({}, initial, data.path[k], { row: state.row })); },
      });
    }
    core.drag(plot, function (e) {
      stop();
      var r = canvas.getBoundingClientRect();
      var v = Math.floor(((e.clientY - r.top) / r.height) * H);
      app.set({ row: num.clip(v, 0, H - 1) });
    });
    core.keys(plot, function (k) {
      if (!k.dy && ["PageUp", "PageDown", "Home", "End"].indexOf(k.key) < 0) return false;
      stop();
      var r = state.row;
      if (k.key === "Home") r = 0;
      else if (k.key === "End") r = H - 1;
      else if (k.key === "PageUp") r -= 10;
      else if (k.key === "PageDown") r += 10;
      else r -= k.dy * (k.shift ? 10 : 1);
      app.set({ row: num.clip(r, 0, H - 1) });
    });

    var key = "", fr = null;
    function render(s) {
      ctl.method.value = s.method;
      if (+ctl.a.value !== s.a) ctl.a.update(s.a);
      ctl.a.disabled = s.method !== "bicubic";
      ctl.align_corners.checked = s.align_corners;
      ctl.clamp.checked = s.clamp;
      ctl.normalization.value = s.normalization;
      ctl.cmap.value = s.cmap;
      var lut = luts[s.cmap];
      var k = [s.method, s.a, s.clamp, s.normalization, s.align_corners, s.cmap].join("/");
      if (k !== key) {
        fr = frame(data, s, truth);
        var p = img.data, heat = fr.heat;
        for (var i = 0; i < H; i++) {
          for (var j = 0; j < W; j++) {
            var e = num.clip(Math.floor(heat[i][j] * lut.n), 0, lut.n - 1), o = 4 * (i * W + j);
            p[o] = lut.rgb[3 * e]; p[o + 1] = lut.rgb[3 * e + 1]; p[o + 2] = lut.rgb[3 * e + 2]; p[o + 3] = 255;
          }
        }
        ctx.putImageData(img, 0, 0);
        var pk = fr.peak;
        var plus = "M" + (pk[1] - sz) + "," + pk[0] + "H" + (pk[1] + sz) + "M" + pk[1] + "," + (pk[0] - sz) + "V" + (pk[0] + sz);
        core.attr(peakMark, { d: plus });
        core.attr(peakHalo, { d: plus });
        if (fr.truthPeak) {
          var tp = fr.truthPeak;
          var cross = "M" + (tp[1] - sz) + "," + (tp[0] - sz) + "L" + (tp[1] + sz) + "," + (tp[0] + sz) + "M" + (tp[1] - sz) + "," + (tp[0] + sz) + "L" + (tp[1] + sz) + "," + (tp[0] - sz);
          core.attr(truthMark, { d: cross });
          core.attr(truthHalo, { d: cross });
        }
        key = k;
      }
      core.show(truthMark, !!fr.truthPeak);
      core.show(truthHalo, !!fr.truthPeak);
      core.attr(rowLine, { y1: s.row, y2: s.row });
      var hp = "", tpth = "", lp = "", hr = fr.heat[s.row];
      for (var c = 0; c < W; c++) {
        var xx = px(c).toFixed(2);
        hp += (c ? "L" : "M") + xx + "," + py(hr[c]).toFixed(2);
        if (truth) tpth += (c ? "L" : "M") + xx + "," + py(truth[s.row][c]).toFixed(2);
        lp += (c ? "L" : "M") + xx + "," + py(lut.L[core.lutIndex(hr[c], lut.n)] / 100).toFixed(2);
      }
      core.attr(heatPath, { d: hp });
      core.attr(truthPath, { d: tpth || null });
      core.attr(lightPath, { d: lp });
      core.text(readout, describe(s, fr));
      core.attr(plot, { "aria-valuenow": s.row, "aria-valuetext": "row " + s.row });
    }
    app.renderNow();
    return { app: app, player: player, plot: plot, readout: readout };
  }

  ns.ch05 = { upsample: upsample, heatmap: heatmap, peak: num.argmax2d, frame: frame, describe: describe, mount: mount };
  core.mountAll("ch05", mount);
})();
