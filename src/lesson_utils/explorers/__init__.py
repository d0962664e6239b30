"""Kernel-free explorers: each chapter's interactive figure, in the page itself.

Used by the "Try it" section of every chapter. A reader of the static site has no
kernel, so an ipywidget there is a frozen snapshot; these explorers are plain
JavaScript and SVG (canvas for images) that run in the page: from the built site,
from ``file://`` (a copy of the site on a USB stick), from a local server and in
JupyterLab, with nothing loaded from another host.

Each function here (one per chapter, :func:`ch01` ... :func:`ch07`) validates its
arguments, computes the explorer's data with :mod:`lesson_utils`, and returns an
:class:`Explorer`, whose ``_repr_html_`` is::

    <div data-explorer="chNN">                          the root element
      <p data-fallback>...</p>                          shown only without JavaScript
      <script type="application/json" data-explorer-data>{...}</script>
    </div>
    <script>core.js</script><script>chNN.js</script>    inlined, see below

The scripts live beside this file (``explorers/js/``, package data): ``core.js``
(drawing, pointer and keyboard handling, the render loop, the play button, JSON
loading, and the numerical primitives the chapters share) and one ``chNN.js`` per
chapter. They are classic scripts, not ES modules, because modules do not load from
``file://``; they are inlined rather than linked so that a notebook output and a
page opened from disk need no other file. ``core.js`` defines
``window.lessonExplorers.core`` once per page (a second copy returns at once);
each chapter file registers its maths under ``window.lessonExplorers.chNN`` and
mounts every ``[data-explorer="chNN"]`` element not yet mounted, so two explorers
on one page and a re-run Jupyter cell both work.

The maths a reader sees is written once in JavaScript and tested against the
function it mirrors (``tests/test_explorers.py``, max difference <= 1e-12):

============================================  ================================================
``ch01.sample1d(values, x, method, edge)``    :func:`lesson_utils.interp1d.sample_1d`
``ch02.sample2d(image, y, x, method)``        :func:`lesson_utils.interp2d.sample_2d`
``ch03.sourceCoordinates(nIn, nOut, ac)``     :func:`lesson_utils.resize.source_coordinates`
``ch03.resizeMatrix(nIn, nOut, ...)``         :func:`lesson_utils.resize.resize_matrix`
``ch04.keysCubic(t, a)``                      :func:`lesson_utils.kernels.keys_cubic`
``ch05.upsample(map, outH, outW, m, a)``      :func:`lesson_utils.resize.resize`
``ch06.upsample(map, outH, outW, m, a)``      :func:`lesson_utils.resize.resize`
``ch06.partialCam(acts, alpha, step)``        :func:`lesson_utils.gradcam.gradcam_frame` ``["cam"]``
``ch07.affineGrid(theta, H, W, ac)``          :func:`lesson_utils.stn.affine_grid`
``ch07.gridSample(image, grid, ac, pad)``     :func:`lesson_utils.stn.grid_sample`
``ch08.upsample(map, oH, oW, m, a, ac)``      :func:`lesson_utils.resize.resize`
``ch08.rollout(attentions)``                  :func:`lesson_utils.vit.attention_rollout`
============================================  ================================================

CONTRIBUTING.md ("Explorers") says how to add the next chapter's explorer.

Examples
--------
>>> ex = ch01([2.0, 5.0, 3.0, 6.0, 4.0], x=3.4)
>>> ex.chapter, ex.data["values"], ex.data["x"]
('ch01', [2.0, 5.0, 3.0, 6.0, 4.0], 3.4)
>>> 'data-explorer="ch01"' in ex._repr_html_()
True
"""

from __future__ import annotations

import base64
import functools
import html
import json
import re
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import Any, TypeVar

import matplotlib as mpl
import numpy as np
from numpy.typing import ArrayLike

from .. import heatmaps, interp1d, interp2d, resize, stn
from .._types import Edge, Method1D, Method2D, Normalization, PaddingMode
from .._types import Mapping as Mapping_
from .._validate import (
    _describe,
    as_float_array,
    check_bool,
    check_choice,
    check_finite_float,
    check_positive_int,
)

__all__ = [
    "CHAPTERS",
    "Explorer",
    "script",
    "ch01",
    "ch02",
    "ch03",
    "ch04",
    "ch05",
    "ch06",
    "ch07",
    "ch08",
]


#: The chapters that have an explorer (the names of their JavaScript files).
CHAPTERS: tuple[str, ...] = tuple(f"ch{k:02d}" for k in range(1, 9))

_F = TypeVar("_F", bound=Callable[..., Any])


#: The shared files a chapter's script uses besides ``core.js`` (inlined before it).
_USES: dict[str, tuple[str, ...]] = {"ch06": ("overlay",), "ch08": ("overlay",)}


@functools.cache
def script(name: str) -> str:
    """The source of one of the explorers' scripts.

    Parameters
    ----------
    name : {"core", "ch01", ..., "ch08", "overlay"}
        The file ``explorers/js/<name>.js``.

    Returns
    -------
    str
        Its code, safe to inline in a ``<script>`` element, without the comment
        lines (they stay in the files). A chapter's code is preceded by the shared
        files it uses besides ``core.js``: ``overlay.js`` (the scored heat-map
        overlay) for ``"ch06"`` and ``"ch08"``.

    Raises
    ------
    ValueError
        If ``name`` is not one of the files.

    Examples
    --------
    >>> "window.lessonExplorers" in script("core")
    True
    """
    name = check_choice(name, "name", ("core", *CHAPTERS, "overlay"))
    texts = []
    for part in (*_USES.get(name, ()), name):
        text = (resources.files(__package__) / "js" / f"{part}.js").read_text("utf-8")
        if "</script" in text.lower():  # would end the inline <script> early
            raise RuntimeError(f"explorers/js/{part}.js contains '</script'")
        texts.append(_without_comments(text))
    return "\n".join(texts)


def _without_comments(text: str) -> str:
    """The script without its comment lines and blank lines (a lighter page).

    Drops the lines that are only a ``//`` comment or part of a ``/* ... */``
    comment that starts a line; code lines are kept as written (a comment after
    code on the same line stays).
    """
    kept, in_block = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if in_block:
            in_block = "*/" not in stripped
        elif stripped.startswith("/*"):
            in_block = "*/" not in stripped
        elif stripped and not stripped.startswith("//"):
            kept.append(line)
    return "\n".join(kept) + "\n"


class Explorer:
    """One chapter's explorer, displayed as HTML by Jupyter and by the book.

    Parameters
    ----------
    chapter : str
        ``"ch01"`` ... ``"ch08"``: which JavaScript file mounts it.
    data : dict
        Everything the JavaScript needs, JSON-serialisable (plain Python numbers,
        lists and strings; large arrays packed with :func:`_pack`).
    title : str
        A one-line description, shown above the figure and used as the root's
        accessible name.

    Attributes
    ----------
    chapter, data, title
        As given. ``data`` is what the page receives, so tests can compare it
        with :mod:`lesson_utils`.
    """

    def __init__(self, chapter: str, data: dict[str, Any], title: str) -> None:
        self.chapter = check_choice(chapter, "chapter", CHAPTERS)
        self.title = title
        self.data = dict(data, title=title)

    def data_json(self) -> str:
        """The data as compact JSON, with ``</`` escaped for an inline script."""
        text = json.dumps(self.data, separators=(",", ":"), allow_nan=False)
        return text.replace("</", "<\\/")

    def _repr_html_(self) -> str:
        title = html.escape(self.title, quote=True)
        return (
            f'<div data-explorer="{self.chapter}" role="group" aria-label="{title}">'
            f'<p data-fallback="">{title}. This interactive figure needs JavaScript '
            "(open the page in a browser, or run the cell in Jupyter).</p>"
            f'<script type="application/json" data-explorer-data="">'
            f"{self.data_json()}</script></div>"
            f"<script>{script('core')}</script><script>{script(self.chapter)}</script>"
        )

    def __repr__(self) -> str:
        size = len(self._repr_html_().encode("utf-8"))
        return f"<Explorer {self.chapter}: {self.title!r}, {size} bytes of HTML>"


# ------------------------------------------------------------------- helpers
_DOC_TITLE = """title : str, optional
        The line above the figure."""
_DOC_RAISES = """Raises
    ------
    TypeError, ValueError
        For a bad argument (the message names it)."""


def _shared_doc(func: _F) -> _F:
    """Fill in the docstring parts every emitter shares.

    ``{play: steps}`` becomes the ``interval`` entry (milliseconds between two
    steps of the play button) and the ``title`` entry, ``{title}`` the ``title``
    entry alone, ``{raises}`` the Raises section.
    """
    doc = func.__doc__ or ""
    doc = re.sub(
        r"\{play: (\w+)\}",
        lambda m: (
            "interval : int\n        Milliseconds between two "
            f"{m[1]} when playing (>= 16).\n    {_DOC_TITLE}"
        ),
        doc,
    )
    func.__doc__ = doc.replace("{title}", _DOC_TITLE).replace("{raises}", _DOC_RAISES)
    return func


def _choice(value: Any, name: str, choices: Sequence[str]) -> Any:
    """:func:`check_choice`, typed to assign to a ``Literal`` parameter."""
    return check_choice(value, name, choices)


def _pack(array: np.ndarray, dtype: str) -> dict[str, Any]:
    """A little-endian binary copy of ``array`` in base64, with dtype and shape.

    ``dtype="bits"`` packs a boolean array eight values to a byte
    (``np.packbits``, row-major); ``core.decode`` unpacks every kind.
    """
    if dtype == "bits":
        raw = np.packbits(np.asarray(array, dtype=bool).ravel()).tobytes()
    else:
        code = {"uint8": "u1", "float32": "<f4", "float64": "<f8"}[dtype]
        raw = np.ascontiguousarray(array, dtype=np.dtype(code)).tobytes()
    return {
        "dtype": dtype,
        "shape": list(array.shape),
        "b64": base64.b64encode(raw).decode("ascii"),
    }


def _floats(array: np.ndarray) -> Any:
    """Nested lists of Python floats (exact: JSON keeps every float64 digit)."""
    return np.asarray(array, dtype=np.float64).tolist()


def _check_interval(value: Any, name: str) -> int:
    return check_positive_int(value, name, minimum=16)


def _check_in(value: float, name: str, lo: float, hi: float, what: str) -> float:
    value = check_finite_float(value, name)
    if not lo <= value <= hi:
        raise ValueError(
            f"`{name}` must lie in [{lo:g}, {hi:g}] ({what}); got {value!r}"
        )
    return value


def _check_title(title: str | None, default: str) -> str:
    if title is None:
        return default
    if not isinstance(title, str) or not title.strip():
        raise TypeError(f"`title` must be a non-empty string; got {_describe(title)}")
    return title


def _emit(
    chapter: str, data: dict[str, Any], interval: int, title: str | None, default: str
) -> Explorer:
    """The explorer, with the checked ``interval`` in its data and its title."""
    data["interval"] = _check_interval(interval, "interval")
    return Explorer(chapter, data, _check_title(title, default))


def _check_low_high(value: Any, name: str) -> tuple[float, float]:
    """A pair ``(low, high)`` of finite floats with ``low < high``."""
    if not isinstance(value, Sequence) or len(value) != 2:
        raise TypeError(f"`{name}` must be a pair (low, high); got {_describe(value)}")
    lo = check_finite_float(value[0], f"{name}[0]")
    hi = check_finite_float(value[1], f"{name}[1]")
    if not lo < hi:
        raise ValueError(f"`{name}` must have low < high; got {(lo, hi)}")
    return lo, hi


def _check_maps(
    images: ArrayLike, masks: ArrayLike, vmin: float, vmax: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Chapters 6 and 8's images and masks: ``(images, masks, grey)``.

    ``images`` (N, H, W) or (N, 1, H, W), at most 64; ``masks`` boolean of the same
    (N, H, W); ``grey`` is ``images`` as 8-bit grey, ``vmin`` black and ``vmax``
    white, values beyond clipped.
    """
    imgs = as_float_array(images, "images", ndim=(3, 4), dtype=np.float64)
    if imgs.ndim == 4:
        if imgs.shape[1] != 1:
            raise ValueError(
                f"`images` must have shape (N, H, W) or (N, 1, H, W); got {imgs.shape}"
            )
        imgs = imgs[:, 0]
    if imgs.shape[0] > 64:
        raise ValueError(f"`images` must hold at most 64 images; got {imgs.shape[0]}")
    vmin = check_finite_float(vmin, "vmin")
    vmax = check_finite_float(vmax, "vmax")
    if not vmin < vmax:
        raise ValueError(f"`vmax` must be greater than `vmin` ({vmin!r}); got {vmax!r}")
    m = np.asarray(masks)
    if m.dtype != bool:
        raise TypeError(f"`masks` must be a boolean array; got dtype {m.dtype}")
    if m.shape != imgs.shape:
        raise ValueError(f"`masks` must have shape {imgs.shape}; got shape {m.shape}")
    grey = np.round(np.clip((imgs - vmin) / (vmax - vmin), 0.0, 1.0) * 255.0)
    return imgs, m, grey.astype(np.uint8)


def _check_scoring(
    n: int,
    method: Any,
    align_corners: Any,
    threshold: Any,
    index: Any,
    cmap: Any,
    alpha: Any,
) -> dict[str, Any]:
    """The display and scoring settings of Chapters 6 and 8 (``n`` images), as data."""
    method = _choice(method, "method", heatmaps.METHODS)
    align_corners = check_bool(align_corners, "align_corners")
    threshold = check_finite_float(threshold, "threshold")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"`threshold` must lie in (0, 1]; got {threshold}")
    index = check_positive_int(index, "index", minimum=0)
    if index >= n:
        raise ValueError(f"`index` must be < {n} (the number of images); got {index}")
    alpha = _check_in(alpha, "alpha", 0.0, 1.0, "a blend weight")
    return {
        "method": method,
        "align_corners": align_corners,
        "threshold": threshold,
        "index": index,
        "lut": _lut(cmap)["colors"],
        "alpha": alpha,
    }


def _lut(name: str) -> dict[str, Any]:
    """A colormap's lookup table as hex colours, with the L* of each entry."""
    if not isinstance(name, str) or name not in mpl.colormaps:
        raise ValueError(
            "`cmap` must be the name of a matplotlib colormap, such as 'viridis', "
            f"'magma', 'cividis' or 'jet'; got {_describe(name)}"
        )
    cm = mpl.colormaps[name]
    n = int(cm.N)
    rgb = np.asarray(cm(np.arange(n)), dtype=np.float64)[:, :3]
    hexes = [
        "#" + "".join(f"{int(round(c * 255)):02x}" for c in colour) for colour in rgb
    ]
    lightness = heatmaps.lightness(cm, (np.arange(n) + 0.5) / n)
    return {"colors": hexes, "lightness": np.round(lightness, 2).tolist()}


# ------------------------------------------------------------------ chapter 1
@_shared_doc
def ch01(
    values: ArrayLike,
    *,
    x: float = 0.0,
    method: Method1D = "linear",
    edge: Edge = "clamp",
    x_range: tuple[float, float] | None = None,
    n_frames: int | None = 36,
    interval: int = 150,
    title: str | None = None,
) -> Explorer:
    """Chapter 1: drag the sample point along a signal, past both ends too.

    Parameters
    ----------
    values : array_like, shape (n,)
        The samples, at positions ``0 .. n - 1``; ``n >= 2``, finite.
    x : float
        Initial position of the sample point, inside ``x_range``.
    method : {"nearest", "linear", "cubic"}
        Initial method (cubic is Keys with ``a = -0.5``).
    edge : {"clamp", "zeros"}
        Initial edge rule (what taps outside the signal read).
    x_range : (float, float), optional
        How far the point can be dragged; default ``(-2, n + 1)``.
    n_frames : int or None
        Positions of the play button's sweep, evenly spaced from 0 to ``n - 1``;
        ``None`` for no play button.
    {play: positions}

    Returns
    -------
    Explorer
        ``data`` holds ``values``, ``x``, ``method``, ``edge``, ``x_range``,
        ``path`` and ``interval``.

    {raises}

    Notes
    -----
    The page computes ``f(x) = sum_k values[i_k] w_k`` with the taps of
    :func:`lesson_utils.interp1d.tap_weights` and the edge rule of
    :func:`lesson_utils.interp1d.sample_1d`; its ``sample1d`` equals that function.

    Examples
    --------
    >>> ex = ch01([0.0, 10.0, 20.0], x=0.5, n_frames=3)
    >>> ex.data["path"], ex.data["x_range"]
    ([0.0, 1.0, 2.0], [-2.0, 4.0])
    """
    vals = as_float_array(values, "values", ndim=1, min_size=2, dtype=np.float64)
    n = vals.shape[0]
    method = _choice(method, "method", interp1d.METHODS)
    edge = _choice(edge, "edge", interp1d.EDGES)
    if x_range is None:
        lo, hi = -2.0, float(n + 1)
    else:
        lo, hi = _check_low_high(x_range, "x_range")
    x = _check_in(x, "x", lo, hi, "x_range")
    path: list[float] = []
    if n_frames is not None:
        n_frames = check_positive_int(n_frames, "n_frames", minimum=2)
        path = np.linspace(0.0, n - 1.0, n_frames).tolist()
    data = {
        "values": vals.tolist(),
        "x": x,
        "method": method,
        "edge": edge,
        "x_range": [lo, hi],
        "path": path,
    }
    default = f"Explorer: interpolating {n} samples at a position x you choose"
    return _emit("ch01", data, interval, title, default)


# ------------------------------------------------------------------ chapter 2
def _check_path(path: ArrayLike | None, name: str, width: int) -> list[list[float]]:
    if path is None:
        return []
    arr = as_float_array(path, name, ndim=2, dtype=np.float64)
    if arr.shape[1] != width:
        raise ValueError(
            f"`{name}` must have shape (n_frames, {width}); got shape {arr.shape}"
        )
    return _floats(arr)  # type: ignore[no-any-return]


@_shared_doc
def ch02(
    image: ArrayLike,
    *,
    y: float = 0.4,
    x: float = 1.7,
    method: Method2D = "bilinear",
    path: ArrayLike | None = None,
    interval: int = 250,
    title: str | None = None,
) -> Explorer:
    """Chapter 2: drag the sample point inside a small image.

    Parameters
    ----------
    image : array_like, shape (H, W)
        The pixels, ``H, W >= 2`` (3 x 4 reads well), finite.
    y, x : float
        Initial point, inside the image (``0 <= y <= H - 1``, ``0 <= x <= W - 1``).
    method : {"nearest", "bilinear", "bicubic"}
        Initial method (bicubic: 16 taps of the Keys kernel with ``a = -0.5``,
        edge "clamp").
    path : array_like, shape (n_frames, 2), optional
        ``(y, x)`` points the play button visits, e.g.
        :func:`lesson_utils.widgets.ch02.bilinear_path`; none: no play button.
    {play: points}

    Returns
    -------
    Explorer
        ``data`` holds ``image`` (rows), ``y``, ``x``, ``method``, ``path``,
        ``interval``.

    {raises}

    Examples
    --------
    >>> ex = ch02([[0.0, 10.0], [20.0, 30.0]], y=0.5, x=0.5)
    >>> ex.data["image"], ex.data["method"]
    ([[0.0, 10.0], [20.0, 30.0]], 'bilinear')
    """
    img = as_float_array(image, "image", ndim=2, dtype=np.float64)
    h, w = img.shape
    if h < 2 or w < 2:
        raise ValueError(
            f"`image` must be at least 2 x 2 pixels; got shape {img.shape}"
        )
    y = _check_in(y, "y", 0.0, h - 1.0, "inside the image")
    x = _check_in(x, "x", 0.0, w - 1.0, "inside the image")
    method = _choice(method, "method", interp2d.METHODS)
    points = _check_path(path, "path", 2)
    for k, (py, px) in enumerate(points):
        _check_in(py, f"path[{k}, 0]", 0.0, h - 1.0, "inside the image")
        _check_in(px, f"path[{k}, 1]", 0.0, w - 1.0, "inside the image")
    data = {
        "image": _floats(img),
        "y": y,
        "x": x,
        "method": method,
        "path": points,
    }
    default = f"Explorer: interpolating a {h} \u00d7 {w} image at a point you choose"
    return _emit("ch02", data, interval, title, default)


# ------------------------------------------------------------------ chapter 3
@_shared_doc
def ch03(
    n_in: int = 6,
    n_out: int = 4,
    *,
    mapping: Mapping_ = "half_pixel",
    method: Method2D = "bilinear",
    antialias: bool = False,
    output: int = 0,
    a: float = -0.5,
    max_size: int = 16,
    play_sizes: Sequence[tuple[int, int]] | None = ((4, 6), (6, 4)),
    interval: int = 700,
    title: str | None = None,
) -> Explorer:
    """Chapter 3: both grids of a resize, the arrows between them, the matrix.

    Parameters
    ----------
    n_in, n_out : int
        Initial input and output lengths, ``1 <= n <= max_size``.
    mapping : {"half_pixel", "align_corners", "top_left"}
        Initial mapping (:func:`lesson_utils.resize.mapped_coordinates`).
    method : {"nearest", "bilinear", "bicubic"}
        Initial method.
    antialias : bool
        Initial antialias setting (used when downsampling; the page offers it
        for the half-pixel and align_corners mappings, as
        :func:`lesson_utils.resize.resize_matrix` does).
    output : int
        The output sample whose taps are singled out, ``0 <= output < n_out``.
    a : float
        Keys parameter of bicubic.
    max_size : int
        Largest size the sliders offer (2 .. 32).
    play_sizes : sequence of (n_in, n_out), optional
        The play button visits every output, for each size pair and each mapping
        in turn; ``None``: no play button.
    {play: frames}

    Returns
    -------
    Explorer
        ``data`` holds the initial settings, ``max_size``, ``play_sizes`` and
        ``interval``.

    {raises}

    Examples
    --------
    >>> ch03(6, 4, output=1).data["output"]
    1
    """
    max_size = check_positive_int(max_size, "max_size", minimum=2)
    if max_size > 32:
        raise ValueError(f"`max_size` must be an integer in 2 .. 32; got {max_size}")
    n_in = check_positive_int(n_in, "n_in")
    n_out = check_positive_int(n_out, "n_out")
    for name, value in (("n_in", n_in), ("n_out", n_out)):
        if value > max_size:
            raise ValueError(f"`{name}` must be <= max_size = {max_size}; got {value}")
    mapping = _choice(mapping, "mapping", resize.MAPPINGS)
    method = _choice(method, "method", resize.METHODS)
    antialias = check_bool(antialias, "antialias")
    output = check_positive_int(output, "output", minimum=0)
    if output >= n_out:
        raise ValueError(f"`output` must be < n_out = {n_out}; got {output}")
    a = check_finite_float(a, "a")
    sizes: list[list[int]] = []
    for k, pair in enumerate(play_sizes or ()):
        if not isinstance(pair, Sequence) or len(pair) != 2:
            raise TypeError(
                f"`play_sizes[{k}]` must be a pair (n_in, n_out); got {_describe(pair)}"
            )
        p_in = check_positive_int(pair[0], f"play_sizes[{k}][0]")
        p_out = check_positive_int(pair[1], f"play_sizes[{k}][1]")
        if max(p_in, p_out) > max_size:
            raise ValueError(
                f"`play_sizes[{k}]` must be <= max_size = {max_size}; got {tuple(pair)}"
            )
        sizes.append([p_in, p_out])
    data = {
        "n_in": n_in,
        "n_out": n_out,
        "mapping": mapping,
        "method": method,
        "antialias": antialias,
        "output": output,
        "a": a,
        "max_size": max_size,
        "mappings": list(resize.MAPPINGS),
        "play_sizes": sizes,
    }
    default = "Explorer: where each output pixel of a resize reads the input"
    return _emit("ch03", data, interval, title, default)


# ------------------------------------------------------------------ chapter 4
@_shared_doc
def ch04(
    values: ArrayLike,
    *,
    x: float | None = None,
    a: float = -0.5,
    ty: float = 0.5,
    a_range: tuple[float, float] = (-2.0, 0.5),
    path: ArrayLike | None = None,
    interval: int = 200,
    title: str | None = None,
) -> Explorer:
    """Chapter 4: the Keys kernel, its taps and the overshoot of a step.

    Parameters
    ----------
    values : array_like, shape (n,)
        The samples (the chapter's unit step), ``n >= 2``, finite.
    x : float, optional
        Initial sample position, in ``[0, n - 1]`` (default: the middle,
        ``(n - 1) / 2``, half a sample after the jump of an even-length step).
    a : float
        Initial Keys parameter, inside ``a_range``.
    ty : float
        Initial row offset of the 2-D panel (the 4 x 4 taps at offsets
        ``(ty, x - floor(x))``), in ``[0, 1]``.
    a_range : (float, float)
        The range of the ``a`` slider.
    path : array_like, shape (n_frames, 2), optional
        ``(x, a)`` pairs the play button visits, e.g.
        :func:`lesson_utils.widgets.ch04.keys_frames`; none: no play button.
    {play: frames}

    Returns
    -------
    Explorer
        ``data`` holds ``values``, ``x``, ``a``, ``ty``, ``a_range``, ``path``,
        ``interval``.

    {raises}

    Notes
    -----
    The overshoot the page reports is that of
    :func:`lesson_utils.widgets.ch04.keys_frame`: the largest and smallest value of the
    interpolant on 201 evenly spaced points of ``[0, n - 1]``.

    Examples
    --------
    >>> ch04([0, 0, 1, 1], x=1.5, path=[(1.0, -0.5), (1.5, -1.0)]).data["path"]
    [[1.0, -0.5], [1.5, -1.0]]
    """
    vals = as_float_array(values, "values", ndim=1, min_size=2, dtype=np.float64)
    n = vals.shape[0]
    a_lo, a_hi = _check_low_high(a_range, "a_range")
    x = _check_in((n - 1) / 2 if x is None else x, "x", 0.0, n - 1.0, "the signal")
    a = _check_in(a, "a", a_lo, a_hi, "a_range")
    ty = _check_in(ty, "ty", 0.0, 1.0, "a fraction of a row")
    pairs = _check_path(path, "path", 2)
    for k, (px, pa) in enumerate(pairs):
        _check_in(px, f"path[{k}, 0]", 0.0, n - 1.0, "the signal")
        _check_in(pa, f"path[{k}, 1]", a_lo, a_hi, "a_range")
    data = {
        "values": vals.tolist(),
        "x": x,
        "a": a,
        "ty": ty,
        "a_range": [a_lo, a_hi],
        "path": pairs,
    }
    default = "Explorer: the Keys cubic kernel, its four taps and a step's overshoot"
    return _emit("ch04", data, interval, title, default)


# ------------------------------------------------------------------ chapter 5
_CH05_KEYS = ("method", "align_corners", "normalization", "clamp", "cmap", "a")


def _ch05_setting(
    setting: Mapping[str, Any], name: str, cmaps: Sequence[str]
) -> dict[str, Any]:
    if not isinstance(setting, Mapping):
        raise TypeError(
            f"`{name}` must be a dict of settings; got {_describe(setting)}"
        )
    unknown = sorted(set(setting) - set(_CH05_KEYS))
    if unknown:
        allowed = ", ".join(repr(k) for k in _CH05_KEYS)
        raise ValueError(f"`{name}` may only set {allowed}; got {unknown}")
    out: dict[str, Any] = {}
    if "method" in setting:
        out["method"] = _choice(
            setting["method"], f"{name}['method']", heatmaps.METHODS
        )
    if "align_corners" in setting:
        out["align_corners"] = check_bool(
            setting["align_corners"], f"{name}['align_corners']"
        )
    if "normalization" in setting:
        out["normalization"] = _choice(
            setting["normalization"],
            f"{name}['normalization']",
            heatmaps.NORMALIZATIONS,
        )
    if "clamp" in setting:
        out["clamp"] = check_bool(setting["clamp"], f"{name}['clamp']")
    if "cmap" in setting:
        out["cmap"] = _choice(setting["cmap"], f"{name}['cmap']", tuple(cmaps))
    if "a" in setting:
        out["a"] = check_finite_float(setting["a"], f"{name}['a']")
    return out


@_shared_doc
def ch05(
    cam: ArrayLike,
    output_shape: tuple[int, int],
    *,
    truth: ArrayLike | None = None,
    method: Method2D = "bilinear",
    a: float = -0.5,
    clamp: bool = True,
    normalization: Normalization = "after",
    align_corners: bool = False,
    cmap: str = "viridis",
    cmaps: Sequence[str] = ("viridis", "magma", "cividis", "jet"),
    row: int | None = None,
    path: Sequence[Mapping[str, Any]] | None = None,
    interval: int = 900,
    title: str | None = None,
) -> Explorer:
    """Chapter 5: upsample a coarse map and see what each setting changes.

    Parameters
    ----------
    cam : array_like, shape (h, w)
        The coarse map, finite.
    output_shape : (int, int)
        ``(H, W)`` of the upsampled map, at least ``(h, w)``, at most 256 each.
    truth : array_like, shape (H, W), optional
        The known high-resolution map: its min-max normalised profile is drawn
        dashed, and the readout gives the RMSE and the distance between maxima
        (as :func:`lesson_utils.widgets.ch05.upsample_frame`).
    method, a, clamp, normalization, align_corners
        Initial settings of :func:`lesson_utils.heatmaps.heatmap` (``a`` in
        [-2, 0.5], the range of the page's slider).
    cmap : str
        Initial colormap, one of ``cmaps``.
    cmaps : sequence of str
        The colormaps offered (matplotlib names; their lookup tables and the
        lightness L* of every entry are sent to the page).
    row : int, optional
        Initial profile row (default: the row of the truth's maximum, else of
        the shown map's).
    path : sequence of dict, optional
        Settings the play button steps through (keys among ``method``,
        ``align_corners``, ``normalization``, ``clamp``, ``cmap``, ``a``; unset
        keys take the initial settings), e.g.
        :func:`lesson_utils.widgets.ch05.twin_settings`.
    {play: settings}

    Returns
    -------
    Explorer
        ``data`` holds ``cam`` (rows), ``output_shape``, the settings,
        ``luts`` (per colormap: ``colors``, ``lightness``), ``truth``
        (normalised, float32 packed) or ``None``, ``row``, ``path``.

    {raises}

    Examples
    --------
    >>> ex = ch05([[0.0, 1.0], [0.0, 0.0]], (8, 8), cmaps=("viridis",))
    >>> ex.data["output_shape"], len(ex.data["luts"]["viridis"]["colors"])
    ([8, 8], 256)
    """
    c = as_float_array(cam, "cam", ndim=2, dtype=np.float64)
    h_out, w_out = (
        check_positive_int(v, f"output_shape[{i}]")
        for i, v in enumerate(_pair(output_shape, "output_shape"))
    )
    if h_out < c.shape[0] or w_out < c.shape[1] or max(h_out, w_out) > 256:
        raise ValueError(
            f"`output_shape` must be at least the map's shape {c.shape} and at most "
            f"(256, 256); got {(h_out, w_out)}"
        )
    method = _choice(method, "method", heatmaps.METHODS)
    a = _check_in(a, "a", -2.0, 0.5, "the range of the page's slider")
    clamp = check_bool(clamp, "clamp")
    normalization = _choice(normalization, "normalization", heatmaps.NORMALIZATIONS)
    align_corners = check_bool(align_corners, "align_corners")
    if isinstance(cmaps, str) or not isinstance(cmaps, Sequence) or not cmaps:
        raise TypeError(
            f"`cmaps` must be a non-empty sequence of colormap names; got {_describe(cmaps)}"
        )
    luts = {name: _lut(name) for name in cmaps}
    cmap = _choice(cmap, "cmap", tuple(cmaps))
    truth_n = None
    if truth is not None:
        t = as_float_array(truth, "truth", ndim=2, dtype=np.float64)
        if t.shape != (h_out, w_out):
            raise ValueError(f"`truth` must have shape {(h_out, w_out)}; got {t.shape}")
        truth_n = heatmaps.normalize(t)
    shown = heatmaps.heatmap(
        c,
        (h_out, w_out),
        method=method,
        a=a,
        clamp=clamp,
        normalization=normalization,
        align_corners=align_corners,
    )
    if row is None:
        row = heatmaps.peak_position(truth_n if truth_n is not None else shown)[0]
    row = check_positive_int(row, "row", minimum=0)
    if row >= h_out:
        raise ValueError(f"`row` must be < {h_out}; got {row}")
    steps = [_ch05_setting(s, f"path[{k}]", cmaps) for k, s in enumerate(path or ())]
    data = {
        "cam": _floats(c),
        "output_shape": [h_out, w_out],
        "method": method,
        "a": a,
        "clamp": clamp,
        "normalization": normalization,
        "align_corners": align_corners,
        "cmap": cmap,
        "luts": luts,
        "truth": None if truth_n is None else _pack(truth_n, "float32"),
        "row": row,
        "path": steps,
    }
    default = (
        f"Explorer: a {c.shape[0]} \u00d7 {c.shape[1]} map upsampled to "
        f"{h_out} \u00d7 {w_out}"
    )
    return _emit("ch05", data, interval, title, default)


def _pair(value: Any, name: str) -> tuple[Any, Any]:
    try:
        items = tuple(value)
    except TypeError as exc:
        raise TypeError(
            f"`{name}` must be a pair of integers >= 1; got {_describe(value)}"
        ) from exc
    if len(items) != 2:
        raise ValueError(
            f"`{name}` must be a pair of integers >= 1; got {_describe(value)}"
        )
    return items[0], items[1]


# ------------------------------------------------------------------ chapter 6
@_shared_doc
def ch06(
    images: ArrayLike,
    masks: ArrayLike,
    cams: ArrayLike,
    *,
    method: Method2D = "bilinear",
    align_corners: bool = False,
    threshold: float = 0.5,
    index: int = 0,
    vmin: float = 0.0,
    vmax: float = 1.0,
    cmap: str = "magma",
    alpha: float = 0.55,
    interval: int | None = None,
    title: str | None = None,
    activations: ArrayLike | None = None,
    weights: ArrayLike | None = None,
) -> Explorer:
    """Chapter 6: pick an image, see its Grad-CAM upsampled, the peak and the IoU.

    Parameters
    ----------
    images : array_like, shape (N, H, W) or (N, 1, H, W)
        Grey images, finite (sent as 8-bit grey for display: ``vmin`` black,
        ``vmax`` white, values beyond clipped).
    masks : array_like of bool, shape (N, H, W)
        Ground-truth lesion masks.
    cams : array_like, shape (N, h, w)
        Raw Grad-CAM maps (not upsampled, not normalised), finite, ``h <= H``,
        ``w <= W``; sent as exact float64.
    method : {"nearest", "bilinear", "bicubic"}
        Initial upsampling method (:func:`lesson_utils.gradcam.upsample_cam`:
        :func:`lesson_utils.resize.resize`, then clipped at 0).
    align_corners : bool
        Initial mapping (False: half-pixel).
    threshold : float
        Initial IoU threshold, a fraction of the map's maximum in (0, 1]
        (:func:`lesson_utils.metrics.cam_iou`).
    index : int
        The image shown first.
    vmin, vmax : float
        The grey levels shown black and white (default 0 and 1).
    cmap : str
        Colormap of the overlay (a matplotlib name).
    alpha : float
        Weight of the colour in the blend, in [0, 1].
    interval : int, optional
        Milliseconds between two steps when playing (>= 16): two images (default
        1500), or two channels when ``activations`` are given (default 600).
    {title}
    activations : array_like, shape (N, K, h, w), optional
        The target layer's feature maps ``A^k`` of each image, finite, ``K <= 64``.
        Given with ``weights``, the explorer gets a "Channels added" slider
        (1 .. K, starting at K) and a Play button that adds the channels one at a
        time, by decreasing weight, for the shown image: the map upsampled and
        scored is then ``gradcam.gradcam_frame(activations[i], weights[i],
        k - 1)["cam"]``. Sent as exact float64.
    weights : array_like, shape (N, K), optional
        Their Grad-CAM weights ``alpha_k`` (given with ``activations``), finite;
        sent as exact float64.

    Returns
    -------
    Explorer
        ``data`` holds ``images`` (uint8, packed), ``masks`` (bits, packed),
        ``cams`` (float64, packed), the shapes and the initial settings, and with
        ``activations`` also ``activations`` and ``weights`` (float64, packed)
        and ``n_channels``.

    Raises
    ------
    TypeError, ValueError
        For a bad argument (the message names it): among them ``activations``
        without ``weights`` (or the reverse), and ``cams`` that are not
        ``ReLU(sum_k weights_k activations_k)`` of the maps given.

    Notes
    -----
    Hit or miss is :func:`lesson_utils.metrics.pointing_game` (every pixel equal
    to the maximum counts; the score is the fraction of them on the mask) and the
    IoU is :func:`lesson_utils.metrics.cam_iou`, both computed in the page on the
    upsampled map.

    With ``activations``, all K channels added must give back ``cams``: for each
    image, ``max |ReLU(sum_k weights_k A^k) - cams| <= 1e-12 * S`` with ``S`` the
    largest ``sum_k |weights_k A^k_pq|`` of the image (the size of the terms, so
    that the check is relative and rounding in the sum passes). Float32 maps, or
    maps of another model, do not pass it: compute the three arrays together, in
    float64 (``gradcam.grad_cam_parts`` on float64 images).

    Examples
    --------
    >>> images = np.zeros((2, 8, 8)); masks = np.zeros((2, 8, 8), dtype=bool)
    >>> ex = ch06(images, masks, np.ones((2, 2, 2)))
    >>> ex.data["n"], ex.data["image_shape"], ex.data["cam_shape"]
    (2, [8, 8], [2, 2])
    >>> acts = np.stack([np.ones((2, 2)), np.eye(2)])[None].repeat(2, axis=0)
    >>> ex = ch06(images, masks, np.ones((2, 2, 2)) + np.eye(2), activations=acts,
    ...           weights=[[1.0, 1.0], [1.0, 1.0]])
    >>> ex.data["n_channels"], ex.data["activations"]["shape"]
    (2, [2, 2, 2, 2])
    """
    imgs, m, grey = _check_maps(images, masks, vmin, vmax)
    c = as_float_array(cams, "cams", ndim=3, dtype=np.float64)
    n, h, w = imgs.shape
    if c.shape[0] != n or c.shape[1] > h or c.shape[2] > w:
        raise ValueError(
            f"`cams` must have shape ({n}, h, w) with h <= {h} and w <= {w}; "
            f"got shape {c.shape}"
        )
    settings = _check_scoring(n, method, align_corners, threshold, index, cmap, alpha)
    channels = _ch06_channels(activations, weights, c)
    data = {
        "n": n,
        "image_shape": [h, w],
        "cam_shape": [c.shape[1], c.shape[2]],
        "images": _pack(grey, "uint8"),
        "masks": _pack(m, "bits"),
        "cams": _pack(c, "float64"),
        **settings,
    }
    if channels is not None:
        data["n_channels"] = channels[0].shape[1]
        data["activations"] = _pack(channels[0], "float64")
        data["weights"] = _pack(channels[1], "float64")
    if interval is None:
        interval = 1500 if channels is None else 600
    default = f"Explorer: Grad-CAM of {n} held-out images, upsampled and scored"
    return _emit("ch06", data, interval, title, default)


def _ch06_channels(
    activations: ArrayLike | None, weights: ArrayLike | None, cams: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """Validate Chapter 6's channels: ``(activations, weights)`` or ``None``."""
    if activations is None and weights is None:
        return None
    if activations is None or weights is None:
        given, missing = (
            ("activations", "weights")
            if weights is None
            else ("weights", "activations")
        )
        raise TypeError(
            f"`{missing}` must be given with `{given}` (both or neither); "
            f"got `{given}` alone"
        )
    n, h, w = cams.shape
    a = as_float_array(activations, "activations", ndim=4, dtype=np.float64)
    if a.shape[0] != n or a.shape[2:] != (h, w):
        raise ValueError(
            f"`activations` must have shape ({n}, K, {h}, {w}) (one (K, h, w) stack "
            f"per map of `cams`); got shape {a.shape}"
        )
    k = a.shape[1]
    if k > 64:
        raise ValueError(f"`activations` must hold at most 64 channels; got {k}")
    wts = as_float_array(weights, "weights", ndim=2, dtype=np.float64)
    if wts.shape != (n, k):
        raise ValueError(
            f"`weights` must have shape ({n}, {k}) (one weight per channel of "
            f"`activations`); got shape {wts.shape}"
        )
    terms = wts[:, :, None, None] * a
    full = np.maximum(terms.sum(axis=1), 0.0)
    size = np.abs(terms).sum(axis=1).max(axis=(1, 2))  # S of each image
    if not (np.all(np.isfinite(full)) and np.all(np.isfinite(size))):
        raise ValueError(
            "`activations` and `weights` must give a finite weighted sum; "
            "it overflows float64"
        )
    diff = np.abs(full - cams).max(axis=(1, 2))
    bad = np.flatnonzero(diff > 1e-12 * size)
    if bad.size:
        i = int(bad[0])
        rel = diff[i] / size[i] if size[i] > 0 else float("inf")
        raise ValueError(
            "`cams` must equal ReLU(sum_k weights_k A^k) of the `activations` and "
            "`weights` given (all channels added), to 1e-12 relative; image "
            f"{i} differs by {diff[i]:.3g} ({rel:.3g} of its largest sum of "
            f"|terms|, {size[i]:.3g}). Compute the three together, in float64 "
            "(gradcam.grad_cam_parts on float64 images)"
        )
    return a, wts


# ------------------------------------------------------------------ chapter 7
@_shared_doc
def ch07(
    image: ArrayLike,
    *,
    template: ArrayLike | None = None,
    rotation: float = 0.0,
    scale: float = 1.0,
    tx: float = 0.0,
    ty: float = 0.0,
    theta: ArrayLike | None = None,
    align_corners: bool = False,
    padding_mode: PaddingMode = "zeros",
    path: ArrayLike | None = None,
    path_steps: ArrayLike | None = None,
    path_losses: ArrayLike | None = None,
    cmap: str = "magma",
    interval: int = 300,
    title: str | None = None,
) -> Explorer:
    """Chapter 7: move the sampling grid of an affine ``theta``, see what it reads.

    Parameters
    ----------
    image : array_like, shape (H, W)
        The input ``U``, values in [0, 1] for display (at most 64 x 64).
    template : array_like, shape (H, W), optional
        A target: the readout then gives the loss ``mean((V - template)^2)``.
    rotation, scale, tx, ty : float
        Initial ``theta`` through :func:`lesson_utils.stn.affine_theta`
        (ignored when ``theta`` is given).
    theta : array_like, shape (2, 3), optional
        Initial ``theta`` itself.
    align_corners : bool
        Initial convention of :func:`lesson_utils.stn.affine_grid` and
        :func:`lesson_utils.stn.grid_sample`.
    padding_mode : {"zeros", "border", "reflection"}
        Initial padding mode.
    path : array_like, shape (n_frames, 2, 3), optional
        The thetas the play button visits (e.g. an optimisation's steps).
    path_steps, path_losses : array_like, shape (n_frames,), optional
        The step number and the loss of each frame of ``path``, for the readout
        and the loss curve.
    cmap : str
        Colormap of both images (values 0..1).
    {play: frames}

    Returns
    -------
    Explorer
        ``data`` holds ``image`` and ``template`` (float64, packed), ``theta``,
        the settings, ``path``, ``path_steps``, ``path_losses`` and ``lut``.

    {raises}

    Examples
    --------
    >>> ex = ch07(np.zeros((4, 4)), rotation=90.0)
    >>> np.round(ex.data["theta"], 6).tolist()
    [[0.0, -1.0, 0.0], [1.0, 0.0, 0.0]]
    """
    img = as_float_array(image, "image", ndim=2, dtype=np.float64)
    if img.min() < 0.0 or img.max() > 1.0:
        raise ValueError(
            f"`image` must lie in [0, 1]; got values in [{img.min()}, {img.max()}]"
        )
    if max(img.shape) > 64 or min(img.shape) < 2:
        raise ValueError(
            f"`image` must be between 2 x 2 and 64 x 64 pixels; got shape {img.shape}"
        )
    tmpl = None
    if template is not None:
        tmpl = as_float_array(template, "template", ndim=2, dtype=np.float64)
        if tmpl.shape != img.shape:
            raise ValueError(
                f"`template` must have the shape of `image` {img.shape}; got {tmpl.shape}"
            )
    if theta is None:
        th = stn.affine_theta(rotation=rotation, scale=scale, tx=tx, ty=ty)
    else:
        th = as_float_array(theta, "theta", ndim=2, dtype=np.float64)
        if th.shape != (2, 3):
            raise ValueError(f"`theta` must have shape (2, 3); got shape {th.shape}")
    align_corners = check_bool(align_corners, "align_corners")
    padding_mode = _choice(padding_mode, "padding_mode", stn.PADDING_MODES)
    thetas: list[Any] = []
    steps: list[Any] = []
    losses: list[Any] = []
    if path is not None:
        p = as_float_array(path, "path", ndim=3, dtype=np.float64)
        if p.shape[1:] != (2, 3):
            raise ValueError(f"`path` must have shape (n_frames, 2, 3); got {p.shape}")
        thetas = _floats(p)
        for name, extra in (("path_steps", path_steps), ("path_losses", path_losses)):
            if extra is None:
                continue
            e = as_float_array(extra, name, ndim=1, dtype=np.float64)
            if e.shape != (p.shape[0],):
                raise ValueError(
                    f"`{name}` must have shape ({p.shape[0]},) (one per frame of "
                    f"`path`); got shape {e.shape}"
                )
            if name == "path_steps":
                steps = [int(v) for v in e]
            else:
                losses = e.tolist()
    elif path_steps is not None or path_losses is not None:
        raise ValueError("`path_steps` and `path_losses` need a `path`; got no `path`")
    data = {
        "image": _pack(img, "float64"),
        "template": None if tmpl is None else _pack(tmpl, "float64"),
        "theta": _floats(th),
        "align_corners": align_corners,
        "padding_mode": padding_mode,
        "padding_modes": list(stn.PADDING_MODES),
        "path": thetas,
        "path_steps": steps,
        "path_losses": losses,
        "lut": _lut(cmap)["colors"],
    }
    h, w = img.shape
    default = f"Explorer: an affine sampling grid over a {h} \u00d7 {w} image"
    return _emit("ch07", data, interval, title, default)


# ------------------------------------------------------------------ chapter 8


@_shared_doc
def ch08(
    images: ArrayLike,
    masks: ArrayLike,
    attentions: Sequence[ArrayLike],
    cams: ArrayLike,
    *,
    patch_size: int,
    layer: int | None = None,
    map: str = "mean",
    method: Method2D = "bilinear",
    align_corners: bool = False,
    threshold: float = 0.5,
    index: int = 0,
    vmin: float = 0.0,
    vmax: float = 1.0,
    cmap: str = "magma",
    alpha: float = 0.55,
    interval: int = 1500,
    title: str | None = None,
) -> Explorer:
    """Chapter 8: a vision transformer's maps of held-out images, upsampled, scored.

    Parameters
    ----------
    images : array_like, shape (N, H, W) or (N, 1, H, W)
        Grey images, finite (sent as 8-bit grey: ``vmin`` black, ``vmax`` white).
    masks : array_like of bool, shape (N, H, W)
        Ground-truth lesion masks.
    attentions : list of array_like, one per layer, each (N, G, T, T)
        Row-stochastic attention weights (:func:`lesson_utils.vit.attention_weights`),
        ``T = 1 + h w`` with ``h = H / patch_size``, ``w = W / patch_size``.
    cams : array_like, shape (N, h, w)
        Token Grad-CAM maps (:func:`lesson_utils.vit.grad_cam_tokens`'s ``"cam"``),
        finite.
    patch_size : int
        ``P``, the side of a patch in pixels; ``H`` and ``W`` are multiples of it.
    layer : int, optional
        The layer shown first, ``1 .. L`` (default: the last).
    map : str
        The map shown first: ``"mean"`` (CLS attention, mean of the heads), ``"h0"``
        ... ``"h{G-1}"`` (one head), ``"rollout"`` or ``"gradcam"``.
    method : {"nearest", "bilinear", "bicubic"}
        Initial upsampling (:func:`lesson_utils.gradcam.upsample_cam`).
    align_corners : bool
        Initial mapping (False: half-pixel).
    threshold : float
        Initial IoU threshold, a fraction of the map's maximum in (0, 1].
    index : int
        The image shown first.
    vmin, vmax : float
        The grey levels shown black and white.
    cmap : str
        Colormap of the overlay (a matplotlib name).
    alpha : float
        Weight of the colour in the blend, in [0, 1].
    {play: images}

    Returns
    -------
    Explorer
        ``data`` holds ``images`` (uint8), ``masks`` (bits) and ``maps`` (float32,
        shape (N, K, h, w)), all packed; ``map_keys`` names the K maps of an image:
        ``"attention-l-g"`` (:func:`lesson_utils.vit.cls_map` of head ``g`` of layer
        ``l``), ``"attention-l-mean"`` (of the heads' mean), ``"rollout-l"`` (of
        :func:`lesson_utils.vit.attention_rollout` of layers 1 .. l) and
        ``"gradcam"``.

    {raises}

    Notes
    -----
    The maps travel as float32 (about 3 kB per image instead of 6 kB): the page
    upsamples, clamps at 0 and scores them as :func:`lesson_utils.gradcam.upsample_cam`,
    :func:`lesson_utils.gradcam.pointing_game` and
    :func:`lesson_utils.gradcam.cam_iou` do, in float64.

    Examples
    --------
    >>> att = [np.full((2, 2, 5, 5), 0.2)]
    >>> ex = ch08(np.zeros((2, 4, 4)), np.zeros((2, 4, 4), dtype=bool), att,
    ...           np.zeros((2, 2, 2)), patch_size=2)
    >>> ex.data["grid_shape"], ex.data["map_keys"]
    ([2, 2], ['attention-1-0', 'attention-1-1', 'attention-1-mean', 'rollout-1', 'gradcam'])
    """
    from .. import vit  # imports torch: only when a chapter 8 explorer is made

    imgs, m, grey = _check_maps(images, masks, vmin, vmax)
    n, big_h, big_w = imgs.shape
    p = check_positive_int(patch_size, "patch_size")
    if big_h % p or big_w % p:
        raise ValueError(
            f"`patch_size` must divide the image height and width {(big_h, big_w)}; "
            f"got {p}"
        )
    h, w = big_h // p, big_w // p
    layers = vit._check_attentions(attentions)
    if layers[0].shape[0] != n or layers[0].shape[-1] != 1 + h * w:
        raise ValueError(
            f"`attentions` must hold layers of shape ({n}, G, {1 + h * w}, "
            f"{1 + h * w}) for {n} images of {h} x {w} patches; got shape "
            f"{layers[0].shape}"
        )
    n_layers, n_heads = len(layers), layers[0].shape[1]
    c = as_float_array(cams, "cams", ndim=3, dtype=np.float64)
    if c.shape != (n, h, w):
        raise ValueError(f"`cams` must have shape {(n, h, w)}; got shape {c.shape}")
    layer = n_layers if layer is None else check_positive_int(layer, "layer")
    if layer > n_layers:
        raise ValueError(f"`layer` must be an integer in 1 .. {n_layers}; got {layer}")
    kinds = ("mean", *(f"h{g}" for g in range(n_heads)), "rollout", "gradcam")
    map_name = check_choice(map, "map", kinds)
    settings = _check_scoring(n, method, align_corners, threshold, index, cmap, alpha)

    keys: list[str] = []
    grids: list[np.ndarray] = []
    for li, a in enumerate(layers, start=1):
        for g in range(n_heads):
            keys.append(f"attention-{li}-{g}")
            grids.append(vit.cls_map(a[:, g], (h, w)))
        keys.append(f"attention-{li}-mean")
        grids.append(vit.cls_map(a.mean(axis=1), (h, w)))
    for li in range(1, n_layers + 1):
        keys.append(f"rollout-{li}")
        grids.append(vit.cls_map(vit.attention_rollout(layers[:li]), (h, w)))
    keys.append("gradcam")
    grids.append(c)
    stacked = np.stack(grids, axis=1)  # (N, K, h, w)
    data = {
        "n": n,
        "image_shape": [big_h, big_w],
        "grid_shape": [h, w],
        "patch_size": p,
        "layers": n_layers,
        "heads": n_heads,
        "images": _pack(grey, "uint8"),
        "masks": _pack(m, "bits"),
        "maps": _pack(stacked, "float32"),
        "map_keys": keys,
        "layer": layer,
        "map": map_name,
        **settings,
    }
    default = (
        f"Explorer: what a vision transformer's CLS token attends to, in {n} "
        f"held-out images ({h} \u00d7 {w} patches of {p} \u00d7 {p} pixels)"
    )
    return _emit("ch08", data, interval, title, default)
