/* Interpolating Attention: shared core of the kernel-free explorers.
 *
 * A classic script (ES modules do not load from file://), inlined into the page by
 * lesson_utils.explorers together with one chapter file. It defines
 * window.lessonExplorers.core once per page (a second copy sees the same version
 * and returns at once) with:
 *   - num:     the numerical primitives several chapters share, each mirroring a
 *              lesson_utils function (kernels, interp1d.tap_weights,
 *              resize.source_coordinates / axis_taps / resize_matrix / resize,
 *              heatmaps.normalize / heatmap) operation for operation;
 *   - DOM:     el / svg / attr / text / pool helpers that create elements once and
 *              afterwards only change attributes;
 *   - input:   drag (pointer events: mouse, touch, pen) and keys (arrow keys);
 *   - app:     state -> render loop, one render per animation frame;
 *   - player:  play / pause / step buttons that sweep a path of states
 *              (prefers-reduced-motion: one step per press, no autoplay);
 *   - data:    the explorer's JSON (a <script type="application/json"> inside the
 *              root) and base64-packed arrays;
 *   - mountAll(name, mount): mounts every [data-explorer=name] not yet mounted.
 */
(function () {
  "use strict";
  var VERSION = 2;
  var ns = (window.lessonExplorers = window.lessonExplorers || {});
  if (ns.core && ns.core.version >= VERSION) return;

  var SVG_NS = "http://www.w3.org/2000/svg";
  var uid = 0;

  // ------------------------------------------------------------------ styles
  var LIGHT =
    "--ex-bg:#ffffff;--ex-fg:#1b1b1b;--ex-muted:#4d4d4d;--ex-grid:#767676;" +
    "--ex-faint:#d9d9d9;--ex-panel:#f4f4f4;--ex-sample:#0072b2;--ex-point:#c1440e;" +
    "--ex-left:#007a56;--ex-right:#b0407f;--ex-extra1:#9a5b00;--ex-extra2:#1f6fa8;" +
    "--ex-neg:#c1440e;--ex-pos:#0072b2;--ex-focus:#1f6fa8;";
  var DARK =
    "--ex-bg:#15191f;--ex-fg:#ececec;--ex-muted:#bdbdbd;--ex-grid:#9a9a9a;" +
    "--ex-faint:#3b424d;--ex-panel:#1f252d;--ex-sample:#56b4e9;--ex-point:#ff9a57;" +
    "--ex-left:#3fd1a2;--ex-right:#ee9fcf;--ex-extra1:#f0b441;--ex-extra2:#8ccdf2;" +
    "--ex-neg:#ff9a57;--ex-pos:#56b4e9;--ex-focus:#8ccdf2;";
  var CSS =
    "[data-explorer]{" + LIGHT +
    "color:var(--ex-fg);background:var(--ex-bg);border:1px solid var(--ex-faint);" +
    "border-radius:6px;padding:.5rem .6rem;margin:.5rem 0;box-sizing:border-box;" +
    "max-width:100%;font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;}" +
    "@media (prefers-color-scheme:dark){html:not([data-theme=light]) [data-explorer]{" + DARK + "}}" +
    "html[data-theme=dark] [data-explorer],body[data-jp-theme-light=false] [data-explorer]{" + DARK + "}" +
    "body[data-jp-theme-light=true] [data-explorer]{" + LIGHT + "}" +
    "[data-explorer] *{box-sizing:border-box}" +
    "[data-explorer] .ex-title{font-weight:600;margin:0 0 .25rem}" +
    "[data-explorer] .ex-plot{display:block;width:100%;height:auto;max-width:640px;" +
    "touch-action:none;user-select:none;-webkit-user-select:none;outline:none;border-radius:4px}" +
    "[data-explorer] .ex-plot:focus-visible,[data-explorer] .ex-plot.ex-focus{" +
    "box-shadow:0 0 0 3px var(--ex-focus)}" +
    "[data-explorer] .ex-row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-start}" +
    "[data-explorer] .ex-row>*{min-width:0}" +
    "[data-explorer] .ex-main{flex:3 1 280px;max-width:500px}" +
    "[data-explorer] .ex-side{flex:1 1 110px;max-width:190px;max-height:330px}" +
    "[data-explorer] .ex-controls{display:flex;flex-wrap:wrap;gap:.35rem 1rem;" +
    "align-items:center;margin:.35rem 0}" +
    "[data-explorer] .ex-field{display:inline-flex;flex-wrap:wrap;align-items:center;gap:.35rem;" +
    "max-width:100%}" +
    "[data-explorer] .ex-field input[type=range]{width:8.5rem;max-width:45vw;" +
    "accent-color:var(--ex-sample)}" +
    "[data-explorer] select,[data-explorer] button{font:inherit;color:var(--ex-fg);" +
    "background:var(--ex-panel);border:1px solid var(--ex-grid);border-radius:4px;" +
    "padding:.15rem .45rem;min-height:2rem}" +
    "[data-explorer] button:disabled{opacity:.55}" +
    "[data-explorer] input[type=checkbox]{width:1.1rem;height:1.1rem;accent-color:var(--ex-sample)}" +
    "[data-explorer] select:focus-visible,[data-explorer] button:focus-visible," +
    "[data-explorer] input:focus-visible{outline:3px solid var(--ex-focus);outline-offset:1px}" +
    "[data-explorer] .ex-value{font-variant-numeric:tabular-nums;min-width:3.2em}" +
    "[data-explorer] [data-readout]{font-variant-numeric:tabular-nums;min-height:2.9em;" +
    "margin:.3rem 0 0;padding:.3rem .45rem;background:var(--ex-panel);border-radius:4px;" +
    "overflow-wrap:anywhere}" +
    "[data-explorer] .ex-help{color:var(--ex-muted);font-size:.86em;margin:.2rem 0 0}" +
    "[data-explorer] .ex-player{display:flex;flex-wrap:wrap;gap:.35rem;align-items:center;margin:.35rem 0}" +
    "[data-explorer] .ex-status{color:var(--ex-muted);font-size:.9em;font-variant-numeric:tabular-nums}" +
    "[data-explorer] canvas{image-rendering:pixelated;image-rendering:crisp-edges;display:block}" +
    "[data-explorer] .ex-stack{position:relative;width:100%}" +
    "[data-explorer] .ex-stack>canvas{width:100%;height:auto}" +
    "[data-explorer] .ex-stack>svg{position:absolute;left:0;top:0;width:100%;height:100%;max-width:none}" +
    "[data-explorer] svg text{fill:var(--ex-fg);font-family:inherit}" +
    "[data-explorer] svg .ex-muted{fill:var(--ex-muted)}" +
    "[data-explorer] svg .ex-halo{paint-order:stroke;stroke:var(--ex-bg);stroke-width:3.5px;stroke-linejoin:round}" +
    "[data-explorer] svg .ex-axis{stroke:var(--ex-grid);stroke-width:1;fill:none}" +
    "[data-explorer] svg .ex-gridline{stroke:var(--ex-faint);stroke-width:1;fill:none}" +
    "@media print{[data-explorer] .ex-player,[data-explorer] .ex-help{display:none}}";

  function injectStyle(doc) {
    if (doc.getElementById("lesson-explorers-style")) return;
    var style = doc.createElement("style");
    style.id = "lesson-explorers-style";
    style.textContent = CSS;
    (doc.head || doc.documentElement).appendChild(style);
  }

  // -------------------------------------------------------------- numerics
  // Each function mirrors the lesson_utils function named in its comment, in the
  // same order of floating-point operations, so results agree to rounding (the
  // parity tests in tests/test_explorers.py measure the difference).
  var num = {};

  /** numpy's pairwise summation (np.sum of a contiguous 1-D run of float64). */
  num.npsum = function (a, start, n) {
    start = start || 0;
    if (n === undefined) n = a.length - start;
    var i, res;
    if (n < 8) {
      res = -0.0;
      for (i = 0; i < n; i++) res += a[start + i];
      return res;
    }
    if (n <= 128) {
      var r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
      var r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7];
      for (i = 8; i < n - (n % 8); i += 8) {
        r0 += a[start + i]; r1 += a[start + i + 1]; r2 += a[start + i + 2]; r3 += a[start + i + 3];
        r4 += a[start + i + 4]; r5 += a[start + i + 5]; r6 += a[start + i + 6]; r7 += a[start + i + 7];
      }
      res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
      for (; i < n; i++) res += a[start + i];
      return res;
    }
    var n2 = Math.floor(n / 2);
    n2 -= n2 % 8;
    return num.npsum(a, start, n2) + num.npsum(a, start + n2, n - n2);
  };

  /** kernels.box: 1 on [-1/2, 1/2), else 0. */
  num.box = function (t) { return t >= -0.5 && t < 0.5 ? 1 : 0; };
  /** kernels.triangle: max(0, 1 - |t|). */
  num.triangle = function (t) { return Math.max(0, 1 - Math.abs(t)); };
  /** kernels.keys_cubic(t, a). */
  num.keysCubic = function (t, a) {
    var s = Math.abs(t);
    if (s <= 1) return ((a + 2) * s - (a + 3)) * s * s + 1;
    if (s < 2) return ((a * s - 5 * a) * s + 8 * a) * s - 4 * a;
    return 0;
  };

  var METHODS_1D = ["nearest", "linear", "cubic"];
  var TO_1D = { nearest: "nearest", bilinear: "linear", bicubic: "cubic" };
  num.TO_1D = TO_1D;

  function choice(value, name, allowed) {
    if (allowed.indexOf(value) < 0) {
      throw new Error("`" + name + "` must be one of " + allowed.map(function (v) {
        return "'" + v + "'";
      }).join(", ") + "; got " + JSON.stringify(value));
    }
    return value;
  }
  num.choice = choice;

  /** interp1d.tap_weights for one position: {idx: [...], w: [...]} (a = -0.5 unless given). */
  num.tapWeights = function (x, method, a) {
    choice(method, "method", METHODS_1D);
    if (a === undefined) a = -0.5;
    if (method === "nearest") return { idx: [Math.floor(x + 0.5)], w: [1] };
    var base = Math.floor(x), idx, w, k;
    if (method === "linear") {
      idx = [base, base + 1];
      return { idx: idx, w: [num.triangle(x - idx[0]), num.triangle(x - idx[1])] };
    }
    idx = [base - 1, base, base + 1, base + 2];
    w = new Array(4);
    for (k = 0; k < 4; k++) w[k] = num.keysCubic(x - idx[k], a);
    return { idx: idx, w: w };
  };

  /** resize.mapped_coordinates(n_in, n_out, mapping). */
  num.mappedCoordinates = function (nIn, nOut, mapping) {
    choice(mapping, "mapping", ["half_pixel", "align_corners", "top_left"]);
    var out = new Array(nOut), i;
    for (i = 0; i < nOut; i++) {
      if (mapping === "half_pixel") out[i] = ((2 * i + 1) * nIn - nOut) / (2 * nOut);
      else if (mapping === "top_left") out[i] = (i * nIn) / nOut;
      else out[i] = nOut === 1 ? 0 : (i * (nIn - 1)) / (nOut - 1);
    }
    return out;
  };

  /** resize.source_coordinates(n_in, n_out, align_corners=...). */
  num.sourceCoordinates = function (nIn, nOut, alignCorners) {
    return num.mappedCoordinates(nIn, nOut, alignCorners ? "align_corners" : "half_pixel");
  };

  function floorDiv(a, b) { return (a - (a % b)) / b; } // a >= 0, b > 0 integers

  function clip(v, lo, hi) { return v < lo ? lo : v > hi ? hi : v; }
  num.clip = clip;

  var SUPPORT = { nearest: 0.5, bilinear: 1.0, bicubic: 2.0 };

  /** resize._box_taps: antialiased nearest is PIL's BOX filter, with PIL's
   *  floating-point steps (scale, then centre, then offset), so that a centre on a
   *  cell boundary goes to the same cell as in PIL. */
  function boxTaps(nIn, nOut, x) {
    var scale = nIn / nOut, filterscale = Math.max(scale, 1.0), support = 0.5 * filterscale;
    var idx = [], w = [], i, k;
    for (i = 0; i < nOut; i++) {
      var centre = (i + 0.5) * scale;
      var xmin = Math.max(Math.trunc(centre - support + 0.5), 0);
      var count = Math.min(Math.trunc(centre + support + 0.5), nIn) - xmin;
      var ri = [], inside = [], n = 0;
      for (k = 0; k < count; k++) {
        var arg = ((k + xmin) - centre + 0.5) * (1.0 / filterscale);
        var ok = arg > -0.5 && arg <= 0.5 ? 1 : 0;
        ri.push(clip(k + xmin, 0, nIn - 1));
        inside.push(ok);
        n += ok;
      }
      idx.push(ri);
      w.push(inside.map(function (v) { return v / n; }));
    }
    return { idx: idx, w: w, x: x };
  }

  /** resize.axis_taps: {idx: [[...]], w: [[...]]}, one row per output sample. */
  num.axisTaps = function (nIn, nOut, method, alignCorners, antialias, a) {
    choice(method, "method", ["nearest", "bilinear", "bicubic"]);
    var x = num.sourceCoordinates(nIn, nOut, alignCorners);
    var step = alignCorners ? (nOut > 1 ? (nIn - 1) / (nOut - 1) : 1.0) : nIn / nOut;
    var idx = [], w = [], i, t, taps;
    if (antialias && method === "nearest" && !alignCorners) return boxTaps(nIn, nOut, x);
    if (antialias && step > 1.0) {
      var support = SUPPORT[method] * step;
      var count = Math.ceil(2 * support) + 2;
      for (i = 0; i < nOut; i++) {
        var first = Math.floor(x[i] - support), ri = new Array(count), rw = new Array(count);
        for (t = 0; t < count; t++) {
          var j = first + t, d = (x[i] - j) / step, k;
          if (method === "nearest") k = num.box(d);
          else if (method === "bilinear") k = num.triangle(d);
          else k = num.keysCubic(d, a);
          rw[t] = j >= 0 && j < nIn ? k : 0;
          ri[t] = clip(j, 0, nIn - 1);
        }
        var total = num.npsum(rw);
        for (t = 0; t < count; t++) rw[t] = rw[t] / total;
        idx.push(ri);
        w.push(rw);
      }
      return { idx: idx, w: w, x: x };
    }
    if (method === "nearest") {
      for (i = 0; i < nOut; i++) {
        var n;
        if (!alignCorners) n = floorDiv((2 * i + 1) * nIn, 2 * nOut);
        else if (nOut === 1) n = 0;
        else n = floorDiv(2 * i * (nIn - 1) + (nOut - 1), 2 * (nOut - 1));
        idx.push([clip(n, 0, nIn - 1)]);
        w.push([1]);
      }
      return { idx: idx, w: w, x: x };
    }
    for (i = 0; i < nOut; i++) {
      taps = num.tapWeights(x[i], TO_1D[method], a);
      if (antialias) {
        for (t = 0; t < taps.w.length; t++) {
          if (taps.idx[t] < 0 || taps.idx[t] >= nIn) taps.w[t] = 0;
        }
        var s = num.npsum(taps.w);
        for (t = 0; t < taps.w.length; t++) taps.w[t] = taps.w[t] / s;
      }
      for (t = 0; t < taps.idx.length; t++) taps.idx[t] = clip(taps.idx[t], 0, nIn - 1);
      idx.push(taps.idx);
      w.push(taps.w);
    }
    return { idx: idx, w: w, x: x };
  };

  /** resize.resize_matrix: nOut rows of nIn weights (np.add.at order). */
  num.resizeMatrix = function (nIn, nOut, method, alignCorners, antialias, a) {
    var taps = num.axisTaps(nIn, nOut, method, alignCorners, antialias, a);
    var m = new Array(nOut), i, t;
    for (i = 0; i < nOut; i++) {
      var row = new Array(nIn).fill(0);
      for (t = 0; t < taps.idx[i].length; t++) row[taps.idx[i][t]] += taps.w[i][t];
      m[i] = row;
    }
    return m;
  };

  /** Sparse rows of a matrix: [[columns], [weights]] of its non-zero entries. */
  function sparse(matrix) {
    return matrix.map(function (row) {
      var cols = [], ws = [];
      for (var j = 0; j < row.length; j++) if (row[j] !== 0) { cols.push(j); ws.push(row[j]); }
      return [cols, ws];
    });
  }

  /** resize.resize of one (H, W) image given as rows: M_y @ image @ M_x.T. */
  num.resize2d = function (image, outH, outW, method, alignCorners, antialias, a) {
    var h = image.length, w = image[0].length;
    var my = sparse(num.resizeMatrix(h, outH, method, alignCorners, antialias, a));
    var mx = sparse(num.resizeMatrix(w, outW, method, alignCorners, antialias, a));
    // the same order of the two passes as resize.resize (x first when upsampling)
    var xFirst = 2 * h * outW + outH * outW <= outH * w + 2 * outH * outW;
    function alongX(img) {
      return img.map(function (row) {
        var out = new Array(outW);
        for (var j = 0; j < outW; j++) {
          var c = mx[j][0], ws = mx[j][1], s = 0;
          for (var t = 0; t < c.length; t++) s += row[c[t]] * ws[t];
          out[j] = s;
        }
        return out;
      });
    }
    function alongY(img) {
      var cols = img[0].length, out = new Array(outH);
      for (var i = 0; i < outH; i++) {
        var r = my[i][0], ws = my[i][1], row = new Array(cols);
        for (var j = 0; j < cols; j++) {
          var s = 0;
          for (var t = 0; t < r.length; t++) s += img[r[t]][j] * ws[t];
          row[j] = s;
        }
        out[i] = row;
      }
      return out;
    }
    return xFirst ? alongY(alongX(image)) : alongX(alongY(image));
  };

  function extent(rows) {
    var lo = Infinity, hi = -Infinity;
    for (var i = 0; i < rows.length; i++) {
      for (var j = 0; j < rows[i].length; j++) {
        var v = rows[i][j];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    return [lo, hi];
  }
  num.extent = extent;

  /** heatmaps.normalize (per-map min-max, flat maps become zeros; rtol 1e-6). */
  num.normalize = function (rows, rtol) {
    if (rtol === undefined) rtol = 1e-6;
    var e = extent(rows), lo = e[0], hi = e[1], spread = hi - lo;
    var flat = spread <= rtol * Math.max(Math.abs(lo), Math.abs(hi));
    return rows.map(function (row) {
      return row.map(function (v) { return flat ? 0 : clip((v - lo) / spread, 0, 1); });
    });
  };

  /** heatmaps.heatmap: upsample, clamp to the coarse range, normalise. */
  num.heatmap = function (cam, outH, outW, method, a, clamp, normalization, alignCorners) {
    choice(normalization, "normalization", ["after", "before"]);
    var coarse = normalization === "before" ? num.normalize(cam) : cam;
    var up = num.resize2d(coarse, outH, outW, method, !!alignCorners, false, a);
    if (clamp) {
      var e = extent(coarse);
      up = up.map(function (row) { return row.map(function (v) { return clip(v, e[0], e[1]); }); });
    }
    return normalization === "before" ? up : num.normalize(up);
  };

  /** heatmaps.peak_position: first maximum in row-major order. */
  num.argmax2d = function (rows) {
    var best = -Infinity, at = [0, 0];
    for (var i = 0; i < rows.length; i++) {
      for (var j = 0; j < rows[i].length; j++) {
        if (rows[i][j] > best) { best = rows[i][j]; at = [i, j]; }
      }
    }
    return at;
  };

  /** np.linspace(start, stop, n) (endpoint included). */
  num.linspace = function (start, stop, n) {
    var out = new Array(n), step = (stop - start) / (n - 1);
    for (var i = 0; i < n; i++) out[i] = i * step + start;
    if (n > 1) out[n - 1] = stop;
    if (n === 1) out[0] = start;
    return out;
  };

  // ------------------------------------------------------------------- DOM
  function setAttrs(node, attrs) {
    if (!attrs) return node;
    var cache = node.__exAttrs || (node.__exAttrs = {});
    for (var k in attrs) {
      if (!Object.prototype.hasOwnProperty.call(attrs, k)) continue;
      var v = attrs[k];
      if (v === null || v === undefined || v === false) {
        if (cache[k] !== null) { node.removeAttribute(k); cache[k] = null; }
        continue;
      }
      v = String(v);
      if (cache[k] !== v) { node.setAttribute(k, v); cache[k] = v; }
    }
    return node;
  }

  /** Create an HTML element with attributes (and text), appended to parent. */
  function el(tag, attrs, parent, content) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    if (content !== undefined) node.textContent = content;
    if (parent) parent.appendChild(node);
    return node;
  }

  /** Create an SVG element with attributes (and text), appended to parent. */
  function svg(tag, attrs, parent, content) {
    var node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    if (content !== undefined) node.textContent = content;
    if (parent) parent.appendChild(node);
    return node;
  }

  /** Change text only if it differs (no DOM write otherwise). */
  function text(node, value) {
    value = String(value);
    if (node.__exText !== value) { node.textContent = value; node.__exText = value; }
    return node;
  }

  function show(node, visible) {
    var v = visible ? "" : "none";
    if (node.__exDisplay !== v) { node.style.display = v; node.__exDisplay = v; }
    return node;
  }

  /** A growing set of like elements: get(i) creates on demand, hideFrom(n) hides. */
  function pool(parent, tag, init) {
    var items = [];
    return {
      items: items,
      get: function (i) {
        while (items.length <= i) {
          var node = svg(tag, null, parent);
          if (init) init(node, items.length);
          items.push(node);
        }
        show(items[i], true);
        return items[i];
      },
      hideFrom: function (n) {
        for (var i = n; i < items.length; i++) show(items[i], false);
      },
    };
  }

  function nextId(prefix) { uid += 1; return (prefix || "ex") + "-" + uid + "-" + Math.floor(Math.random() * 1e6); }

  /** About `count` round tick values covering [lo, hi]. */
  function ticks(lo, hi, count) {
    var span = hi - lo, step = Math.pow(10, Math.floor(Math.log10(span / (count || 5))));
    var err = (count || 5) / (span / step);
    if (err <= 0.15) step *= 10; else if (err <= 0.35) step *= 5; else if (err <= 0.75) step *= 2;
    var out = [], v = Math.ceil(lo / step) * step;
    for (; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : +v.toPrecision(12));
    return out;
  }

  /** Linear map from a domain to a range, with .invert. */
  function scale(d0, d1, r0, r1) {
    var f = function (v) { return r0 + ((v - d0) * (r1 - r0)) / (d1 - d0); };
    f.invert = function (p) { return d0 + ((p - r0) * (d1 - d0)) / (r1 - r0); };
    f.domain = [d0, d1];
    f.range = [r0, r1];
    return f;
  }

  // ------------------------------------------------------------- numbers
  var SUB = "₀₁₂₃₄₅₆₇₈₉";
  /** Subscript digits: 3 -> "₃", -1 -> "₋₁". */
  function sub(n) {
    var s = String(n), out = "";
    for (var i = 0; i < s.length; i++) out += s[i] === "-" ? "₋" : SUB[+s[i]];
    return out;
  }
  /** Fixed decimals with a true minus sign and no "-0.00". */
  function fmt(v, digits) {
    if (digits === undefined) digits = 2;
    if (!isFinite(v)) return String(v);
    var s = v.toFixed(digits);
    if (/^-0(\.0*)?$/.test(s)) s = s.slice(1);
    return s.replace("-", "\u2212");
  }
  /** A signed term of a sum: " + 0.30" or " − 0.30". */
  function term(v, digits, first) {
    var s = fmt(Math.abs(v), digits), neg = v < 0 && s !== fmt(0, digits);
    if (first) return (neg ? "\u2212" : "") + s;
    return (neg ? " \u2212 " : " + ") + s;
  }

  // --------------------------------------------------------------- input
  /** Pointer position in the viewBox units of an <svg>. */
  function svgPoint(svgEl, evt) {
    var m = svgEl.getScreenCTM();
    if (!m) return null;
    var p = svgEl.createSVGPoint();
    p.x = evt.clientX;
    p.y = evt.clientY;
    var q = p.matrixTransform(m.inverse());
    return { x: q.x, y: q.y };
  }

  /** Drag with any pointer (mouse, touch, pen): handler(evt, "start"|"move"|"end"). */
  function drag(node, handler) {
    var active = null;
    node.addEventListener("pointerdown", function (e) {
      if (e.pointerType === "mouse" && e.button !== 0) return;
      active = e.pointerId;
      try { node.setPointerCapture(e.pointerId); } catch (err) { /* synthetic events */ }
      if (node.focus) node.focus({ preventScroll: true });
      e.preventDefault();
      handler(e, "start");
    });
    node.addEventListener("pointermove", function (e) {
      if (active !== e.pointerId) return;
      e.preventDefault();
      handler(e, "move");
    });
    function end(e) {
      if (active !== e.pointerId) return;
      active = null;
      handler(e, "end");
    }
    node.addEventListener("pointerup", end);
    node.addEventListener("pointercancel", end);
  }

  /** Arrow keys, Page Up/Down, Home/End: handler(k) returns false if not used. */
  function keys(node, handler) {
    var dirs = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    node.addEventListener("keydown", function (e) {
      var k = { key: e.key, shift: e.shiftKey, dx: 0, dy: 0, event: e };
      if (dirs[e.key]) { k.dx = dirs[e.key][0]; k.dy = dirs[e.key][1]; }
      else if (["PageUp", "PageDown", "Home", "End"].indexOf(e.key) < 0) return;
      if (handler(k) !== false) e.preventDefault();
    });
  }

  // ----------------------------------------------------------------- app
  /**
   * State in one object, drawing as a function of it: set(patch) merges the patch
   * and schedules one render in the next animation frame. Each render's duration
   * (ms, performance.now) is kept in app.times; with
   * window.lessonExplorers.measureLayout set, the timing includes the layout the
   * render causes.
   */
  function createApp(root, render, state) {
    var app = { state: state || {}, times: [], renders: 0, pending: false };
    function frame() {
      app.pending = false;
      var t0 = performance.now();
      render(app.state);
      if (ns.measureLayout) void root.getBoundingClientRect().height;
      var dt = performance.now() - t0;
      app.times.push(dt);
      if (app.times.length > 2000) app.times.shift();
      app.renders += 1;
    }
    app.set = function (patch) {
      for (var k in patch) if (Object.prototype.hasOwnProperty.call(patch, k)) app.state[k] = patch[k];
      app.schedule();
    };
    app.schedule = function () {
      if (!app.pending) { app.pending = true; window.requestAnimationFrame(frame); }
    };
    app.renderNow = frame;
    return app;
  }

  function reducedMotion() {
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  /**
   * Play / pause / step buttons that sweep a path: opts.count states, opts.show(i)
   * applies state i, opts.interval ms between states; the buttons go at the end of
   * parent, or before opts.before (a child of parent). With prefers-reduced-motion
   * the play button steps once per press instead of playing.
   */
  function createPlayer(parent, opts) {
    var box = el("div", { class: "ex-player", role: "group", "aria-label": opts.label || "Play the path" });
    parent.insertBefore(box, opts.before || null);
    var back = el("button", { type: "button", "aria-label": "Step back" }, box, "\u25C0 Step");
    var play = el("button", { type: "button", "data-play": "", "aria-pressed": "false" }, box, "\u25B6 Play");
    var fwd = el("button", { type: "button", "aria-label": "Step forward" }, box, "Step \u25B6");
    var status = el("span", { class: "ex-status", "aria-live": "off" }, box, opts.caption || "");
    var player = { index: -1, timer: null, count: opts.count, buttons: [back, play, fwd] };
    function go(i) {
      var n = player.count;
      player.index = ((i % n) + n) % n;
      opts.show(player.index);
      text(status, (opts.describe ? opts.describe(player.index) : "step " + (player.index + 1)) +
        " of " + n + (reducedMotion() ? " (reduced motion: one step per press)" : ""));
    }
    player.stop = function () {
      if (player.timer !== null) { window.clearInterval(player.timer); player.timer = null; }
      text(play, "\u25B6 Play");
      setAttrs(play, { "aria-pressed": "false" });
    };
    player.go = go;
    play.addEventListener("click", function () {
      if (player.timer !== null) { player.stop(); return; }
      if (reducedMotion()) { go(player.index + 1); return; }
      go(player.index + 1);
      player.timer = window.setInterval(function () {
        if (!box.isConnected) { player.stop(); return; }
        go(player.index + 1);
      }, opts.interval || 200);
      text(play, "\u275A\u275A Pause");
      setAttrs(play, { "aria-pressed": "true" });
    });
    back.addEventListener("click", function () { player.stop(); go(player.index - 1); });
    fwd.addEventListener("click", function () { player.stop(); go(player.index + 1); });
    return player;
  }

  // ------------------------------------------------------------ controls
  function field(parent, labelText, input, after) {
    var wrap = el("span", { class: "ex-field" }, parent);
    var id = nextId("ex-in");
    setAttrs(input, { id: id });
    el("label", { for: id }, wrap, labelText);
    wrap.appendChild(input);
    if (after) wrap.appendChild(after);
    return wrap;
  }

  /** A labelled <select>; options are [value, text] pairs. */
  function select(parent, labelText, options, value, onChange) {
    var s = el("select");
    options.forEach(function (o) { el("option", { value: o[0] }, s, o[1]); });
    s.value = value;
    field(parent, labelText, s);
    s.addEventListener("change", function () { onChange(s.value); });
    return s;
  }

  /** A labelled checkbox. */
  function checkbox(parent, labelText, checked, onChange) {
    var c = el("input", { type: "checkbox" });
    c.checked = !!checked;
    var wrap = el("span", { class: "ex-field" }, parent);
    var id = nextId("ex-cb");
    setAttrs(c, { id: id });
    wrap.appendChild(c);
    el("label", { for: id }, wrap, labelText);
    c.addEventListener("change", function () { onChange(c.checked); });
    return c;
  }

  /** A labelled range slider with its value shown beside it. */
  function range(parent, labelText, o, onInput) {
    var r = el("input", { type: "range", min: o.min, max: o.max, step: o.step });
    r.value = o.value;
    var out = el("span", { class: "ex-value", "aria-hidden": "true" });
    field(parent, labelText, r, out);
    var format = o.format || function (v) { return fmt(v, 2); };
    r.update = function (v) {
      r.value = v;
      text(out, format(+v));
      setAttrs(r, { "aria-valuetext": format(+v) });
    };
    r.update(o.value);
    r.addEventListener("input", function () { r.update(+r.value); onInput(+r.value); });
    return r;
  }

  // ---------------------------------------------------------------- data
  function readData(root) {
    var node = root.querySelector("script[data-explorer-data]");
    if (!node) throw new Error("the explorer's data are missing");
    return JSON.parse(node.textContent);
  }

  /** Unpack {dtype, shape, b64} (little-endian; "bits": np.packbits) into a typed array. */
  function decode(spec) {
    if (!spec || typeof spec !== "object" || Array.isArray(spec) || !("b64" in spec)) return spec;
    var bin = window.atob(spec.b64), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var data;
    if (spec.dtype === "uint8") data = bytes;
    else if (spec.dtype === "bits") {
      // np.packbits order: the first value is the most significant bit of byte 0
      var count = spec.shape.reduce(function (p, q) { return p * q; }, 1);
      data = new Uint8Array(count);
      for (var k = 0; k < count; k++) data[k] = (bytes[k >> 3] >> (7 - (k & 7))) & 1;
    }
    else if (spec.dtype === "float64") data = new Float64Array(bytes.buffer);
    else if (spec.dtype === "float32") data = new Float32Array(bytes.buffer);
    else throw new Error("unknown dtype " + spec.dtype);
    return { data: data, shape: spec.shape };
  }

  /** Rows (arrays of numbers) of the h x w block starting at offset. */
  function rows(flat, h, w, offset) {
    offset = offset || 0;
    var out = new Array(h);
    for (var i = 0; i < h; i++) out[i] = Array.prototype.slice.call(flat, offset + i * w, offset + (i + 1) * w);
    return out;
  }

  /** "#rrggbb" colours to a flat Uint8Array of RGB triples. */
  function lut(hexes) {
    var out = new Uint8Array(hexes.length * 3);
    hexes.forEach(function (h, i) {
      out[3 * i] = parseInt(h.slice(1, 3), 16);
      out[3 * i + 1] = parseInt(h.slice(3, 5), 16);
      out[3 * i + 2] = parseInt(h.slice(5, 7), 16);
    });
    return out;
  }
  /** heatmaps.colormap's lookup: entry min(floor(v * N), N - 1) of a LUT. */
  function lutIndex(v, n) { return Math.min(Math.floor(clip(v, 0, 1) * n), n - 1); }

  /** Empty the root, give it its title line, and return a new .ex-row in it. */
  function start(root, title) {
    root.textContent = "";
    el("p", { class: "ex-title" }, root, title);
    return el("div", { class: "ex-row" }, root);
  }

  // --------------------------------------------------------------- mount
  function mountAll(name, mount) {
    injectStyle(document);
    var roots = document.querySelectorAll('[data-explorer="' + name + '"]');
    Array.prototype.forEach.call(roots, function (root) {
      if (root.hasAttribute("data-mounted")) return;
      root.setAttribute("data-mounted", "");
      try {
        var data = readData(root);
        var fallback = root.querySelector("[data-fallback]");
        if (fallback) fallback.remove();
        root.lessonExplorer = mount(root, data);
      } catch (err) {
        root.setAttribute("data-error", String(err && err.message));
        el("p", { role: "alert" }, root, "This explorer could not start: " + (err && err.message));
        if (window.console) window.console.error(err);
      }
    });
  }

  ns.core = {
    version: VERSION,
    num: num,
    el: el,
    svg: svg,
    attr: setAttrs,
    text: text,
    show: show,
    pool: pool,
    scale: scale,
    ticks: ticks,
    nextId: nextId,
    fmt: fmt,
    term: term,
    sub: sub,
    svgPoint: svgPoint,
    drag: drag,
    keys: keys,
    createApp: createApp,
    createPlayer: createPlayer,
    reducedMotion: reducedMotion,
    select: select,
    checkbox: checkbox,
    range: range,
    readData: readData,
    decode: decode,
    rows: rows,
    lut: lut,
    lutIndex: lutIndex,
    start: start,
    mountAll: mountAll,
    injectStyle: injectStyle,
  };
})();
