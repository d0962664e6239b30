"""Resizing an image: where output pixels land on the input grid, and what they read.

Introduced in Chapter 3 ("Grids and conventions: resizing an image"); Chapters 4, 5
and 6 resize heat maps with :func:`resize`.

A pixel is a cell; its sample sits at the cell's centre. Samples of an axis of
length ``n`` sit at positions ``0, 1, ..., n - 1`` (as in :mod:`lesson_utils.interp1d`),
so the cells' outer edges are at ``-0.5`` and ``n - 0.5``. Resizing an axis from
``n_in`` to ``n_out`` samples is *reverse mapping*: for every output sample ``i`` a
*source coordinate* ``x_i`` on the input axis is computed, and the input is
interpolated there. Three mappings are in use (``s = n_in / n_out``)::

    half-pixel     x_i = (i + 0.5) * s - 0.5        cells' outer edges coincide
    align_corners  x_i = i * (n_in - 1) / (n_out - 1)   first/last centres coincide
    top-left       x_i = i * s                       first centres coincide

    input  n_in = 4   |   0   |   1   |   2   |   3   |
    output n_out = 2  |       0       |       1       |
    half-pixel: output 0 lands at x = 0.5, output 1 at x = 2.5

Resizing is linear in the image, so each axis is a matrix ``(n_out, n_in)``
(:func:`resize_matrix`) and a 2-D resize is ``W_y @ image @ W_x.T``: the method is
separable. :func:`resize` applies the two factors without forming a 2-D operator.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import interp1d, kernels
from ._types import MAPPINGS, METHOD_2D_TO_1D, METHODS_2D, Mapping, Method2D
from ._validate import (
    as_float_array,
    check_bool,
    check_choice,
    check_finite_float,
    check_finite_result,
    check_positive_int,
    check_shape,
)
from .interp2d import _finite_as_is

__all__ = [
    "METHODS",
    "MAPPINGS",
    "source_coordinates",
    "mapped_coordinates",
    "axis_taps",
    "resize_matrix",
    "resize",
    "grid_frame",
]

Method = Method2D
#: The resize methods, in the order of :data:`lesson_utils._types.METHODS_2D`.
METHODS = METHODS_2D
_TO_1D = METHOD_2D_TO_1D
# half-width of each kernel's support (in input samples, before widening)
_SUPPORT = {"nearest": 0.5, "bilinear": 1.0, "bicubic": 2.0}
# an axis whose matrix has at most this many entries is applied as one dense
# product; larger ones are cut into bands of output samples, 32 along y (each
# band one BLAS call writing whole rows) and 128 along x (each call writes a
# strided column block, so fewer, larger calls win): fastest on 512 -> 2048 here
_DENSE_ENTRIES = 64 * 1024
_BAND_ROWS = {1: 32, 2: 128}
# bands are used while a band reads at most this many inputs per tap (a
# multiply-add inside BLAS costs a fraction of a gathered element)
_BAND_WINDOW_PER_TAP = 8


def _check_sizes(n_in: int, n_out: int) -> tuple[int, int]:
    return check_positive_int(n_in, "n_in"), check_positive_int(n_out, "n_out")


def mapped_coordinates(n_in: int, n_out: int, mapping: Mapping) -> np.ndarray:
    """Source coordinate of every output sample under one of the three mappings.

    Parameters
    ----------
    n_in, n_out : int
        Input and output lengths of the axis, each >= 1.
    mapping : {"half_pixel", "align_corners", "top_left"}
        Which points of the two grids are made to coincide (see Notes).

    Returns
    -------
    numpy.ndarray of float64, shape (n_out,)
        ``x_i``, in input sample coordinates (input sample ``j`` sits at ``j``).

    Raises
    ------
    TypeError
        If a size is not an integer.
    ValueError
        If a size is < 1 or ``mapping`` is not one of the three names.

    Notes
    -----
    With ``s = n_in / n_out``:

    * ``"half_pixel"``: ``x_i = (i + 0.5) s - 0.5``. Output cell ``i`` covers input
      cells ``[i s, (i + 1) s)`` in edge coordinates; its centre is mapped. Used by
      torch (bilinear, bicubic, "nearest-exact"), PIL, OpenCV (linear, cubic).
    * ``"align_corners"``: ``x_i = i (n_in - 1) / (n_out - 1)`` (0 when
      ``n_out = 1``). The first and last sample *centres* coincide; the cells do not.
      Used by torch ``align_corners=True`` and ``scipy.ndimage.zoom`` by default.
    * ``"top_left"``: ``x_i = i s``. The first centres coincide and the grid is
      stretched to the right/bottom. Its nearest neighbour is ``floor(x_i)`` (the
      input cell holding the output cell's top-left corner): torch's default
      ``mode="nearest"`` and OpenCV ``INTER_NEAREST``.

    The half-pixel numerator is formed in integers, ``((2i + 1) n_in - n_out) /
    (2 n_out)``, so the coordinate is correctly rounded.

    Examples
    --------
    >>> mapped_coordinates(4, 2, "half_pixel").tolist()
    [0.5, 2.5]
    >>> mapped_coordinates(4, 2, "align_corners").tolist()
    [0.0, 3.0]
    >>> mapped_coordinates(4, 2, "top_left").tolist()
    [0.0, 2.0]
    """
    n_in, n_out = _check_sizes(n_in, n_out)
    mapping = check_choice(mapping, "mapping", MAPPINGS)
    if mapping == "align_corners" and n_out == 1:
        return np.zeros(1)
    # x_i = num_i / den with integers: the quotient is rounded once (correctly)
    if mapping == "half_pixel":
        num, den = (2, n_in, n_in - n_out), 2 * n_out  # (2 i + 1) n_in - n_out
    elif mapping == "top_left":
        num, den = (1, n_in, 0), n_out  # i n_in
    else:
        num, den = (1, n_in - 1, 0), n_out - 1  # i (n_in - 1)
    return _ratios(n_out, num, den)


def _ratios(n: int, num: tuple[int, int, int], den: int) -> NDArray[Any]:
    """``(k i m + c) / den`` for ``i = 0 .. n - 1``, with ``num = (k, m, c)``.

    In int64 when the numerators fit (the usual case), else with Python's
    arbitrary-precision integers, whose true division is correctly rounded too:
    sizes near 2**62 would otherwise overflow int64 silently.
    """
    k, m, c = num
    if (k * n * m + abs(c)) < 2**62:
        i = np.arange(n, dtype=np.int64)
        return np.asarray((k * m * i + c) / float(den))
    return np.array([(k * m * i + c) / den for i in range(n)], dtype=np.float64)


def _floor_ratios(n: int, num: tuple[int, int, int], den: int) -> NDArray[Any]:
    """``floor((k i m + c) / den)`` for ``i = 0 .. n - 1`` as ``np.intp`` indices."""
    k, m, c = num
    if (k * n * m + abs(c)) < 2**62:
        i = np.arange(n, dtype=np.int64)
        return np.asarray(((k * m * i + c) // den).astype(np.intp))
    return np.array([(k * m * i + c) // den for i in range(n)], dtype=np.intp)


def source_coordinates(
    n_in: int, n_out: int, *, align_corners: bool = False
) -> np.ndarray:
    """Where each output sample lands on the input axis (the reverse mapping).

    Parameters
    ----------
    n_in, n_out : int
        Input and output lengths of the axis, each >= 1.
    align_corners : bool
        False (default): half-pixel centres, ``x_i = (i + 0.5) n_in / n_out - 0.5``.
        True: corner-aligned, ``x_i = i (n_in - 1) / (n_out - 1)`` (0 if ``n_out = 1``).

    Returns
    -------
    numpy.ndarray of float64, shape (n_out,)
        Source coordinates; input sample ``j`` sits at position ``j``.

    Raises
    ------
    TypeError
        If a size is not an integer or ``align_corners`` is not a bool.
    ValueError
        If a size is < 1.

    Notes
    -----
    The same as ``mapped_coordinates(n_in, n_out, "half_pixel")`` or
    ``"align_corners"``; the third convention, ``"top_left"``, is only available
    there because no resizing method of this module uses it. Half-pixel
    coordinates of an upsampling run past the first and last sample centres (to
    ``-0.25`` and ``n_in - 0.75`` for a factor 2); the edge rule of :func:`axis_taps`
    decides what those positions read.

    Examples
    --------
    >>> source_coordinates(2, 4).tolist()
    [-0.25, 0.25, 0.75, 1.25]
    >>> source_coordinates(2, 4, align_corners=True).round(4).tolist()
    [0.0, 0.3333, 0.6667, 1.0]
    """
    align_corners = check_bool(align_corners, "align_corners")
    mapping: Mapping = "align_corners" if align_corners else "half_pixel"
    return mapped_coordinates(n_in, n_out, mapping)


def _nearest_indices(n_in: int, n_out: int, align_corners: bool) -> np.ndarray:
    """``floor(x_i + 0.5)`` in exact integer arithmetic (ties round up)."""
    if not align_corners:
        # floor((i + 0.5) s - 0.5 + 0.5) = floor((2i + 1) n_in / (2 n_out))
        idx = _floor_ratios(n_out, (2, n_in, n_in), 2 * n_out)
    elif n_out == 1:
        idx = np.zeros(1, dtype=np.intp)
    else:
        # floor(i (n_in - 1) / (n_out - 1) + 0.5)
        idx = _floor_ratios(n_out, (2, n_in - 1, n_out - 1), 2 * (n_out - 1))
    return np.asarray(np.clip(idx, 0, n_in - 1))


def axis_taps(
    n_in: int,
    n_out: int,
    *,
    method: Method,
    align_corners: bool = False,
    antialias: bool = False,
    a: float = -0.5,
) -> tuple[np.ndarray, np.ndarray]:
    """The input samples each output sample of one axis reads, and their weights.

    This is the sparse form of :func:`resize_matrix`: row ``i`` of the matrix has
    the entries ``weights[i, t]`` in the columns ``indices[i, t]``.

    Parameters
    ----------
    n_in, n_out : int
        Input and output lengths, each >= 1.
    method : {"nearest", "bilinear", "bicubic"}
        The kernel: box (1 tap), triangle (2 taps) or Keys cubic (4 taps).
    align_corners : bool
        The mapping of :func:`source_coordinates`.
    antialias : bool
        If True and ``n_in > n_out``, the kernel is widened by the scale factor
        (it then averages every input sample the output cell covers); taps outside
        the input are dropped and the weights renormalised.
    a : float
        Keys parameter of ``"bicubic"`` (-0.5 by default; torch uses -0.75).

    Returns
    -------
    indices : numpy.ndarray of int64, shape (n_out, taps)
        Column indices, all inside ``0 .. n_in - 1``.
    weights : numpy.ndarray of float64, shape (n_out, taps)
        Each row sums to 1 (padding taps have weight 0).

    Raises
    ------
    TypeError, ValueError
        For a size that is not an integer >= 1, an unknown ``method``, a non-bool
        flag or a non-finite ``a``.

    Notes
    -----
    Without antialiasing the taps are those of :func:`lesson_utils.interp1d.tap_weights`
    at the source coordinates, with indices clamped to the input ("replicate"
    edges, as torch's ``interpolate``); nearest uses ``floor(x + 0.5)`` computed
    exactly. With antialiasing, ``scale = max(step, 1)`` where ``step`` is the
    distance between consecutive source coordinates (``n_in / n_out``, or
    ``(n_in - 1) / (n_out - 1)`` with ``align_corners``), and

        w_ij = k((j - x_i) / scale) / sum_j' k((j' - x_i) / scale),  0 <= j, j' < n_in

    for the kernel ``k`` of the method; this is PIL's and torch's
    ``antialias=True`` filter. For ``"nearest"`` the widened box averages the input
    cells under each output cell (PIL's ``BOX`` filter).

    Examples
    --------
    >>> idx, w = axis_taps(4, 2, method="bilinear")
    >>> idx.tolist(), w.tolist()
    ([[0, 1], [2, 3]], [[0.5, 0.5], [0.5, 0.5]])
    >>> idx, w = axis_taps(4, 2, method="bilinear", antialias=True)
    >>> idx.tolist()
    [[0, 0, 1, 2], [1, 2, 3, 3]]
    >>> (w * 7).round(6).tolist()  # 0.75, 0.75, 0.25 renormalised by 1.75
    [[0.0, 3.0, 3.0, 1.0], [1.0, 3.0, 3.0, 0.0]]
    """
    n_in, n_out = _check_sizes(n_in, n_out)
    method = check_choice(method, "method", METHODS)
    align_corners = check_bool(align_corners, "align_corners")
    antialias = check_bool(antialias, "antialias")
    a = check_finite_float(a, "a")
    x = source_coordinates(n_in, n_out, align_corners=align_corners)
    if align_corners:
        step = (n_in - 1) / (n_out - 1) if n_out > 1 else 1.0
    else:
        step = n_in / n_out
    if antialias and method == "nearest" and not align_corners:
        return _box_taps(n_in, n_out)
    if antialias and step > 1.0:
        return _widened_taps(x, n_in, method, step, a)
    if method == "nearest":
        idx = _nearest_indices(n_in, n_out, align_corners)[:, None]
        return idx, np.ones(idx.shape)
    idx, w = interp1d.tap_weights(x, method=_TO_1D[method], a=a)
    if antialias:
        # upsampling with antialias: same kernel, but out-of-range taps are
        # dropped and the rest renormalised instead of clamped (PIL, torch)
        w = np.where((idx >= 0) & (idx < n_in), w, 0.0)
        w = w / w.sum(axis=1, keepdims=True)
    return np.clip(idx, 0, n_in - 1), w


def _box_taps(n_in: int, n_out: int) -> tuple[NDArray[Any], NDArray[Any]]:
    """Antialiased nearest: PIL's ``BOX`` filter, step for step.

    Output cell ``i`` averages the input cells whose centre lies in it: with
    ``s = n_in / n_out`` and ``c = (i + 1/2) s``, input ``j`` counts when
    ``-1/2 < (j + 1/2 - c) / max(s, 1) <= 1/2``. The test is made with PIL's
    floating-point steps (``s`` rounded, then ``c``, then the offset), so that a
    centre that falls on a cell boundary goes to the same cell as in PIL: every
    input cell then belongs to exactly one output cell (a half-open box on
    ``x - j`` counts a boundary cell twice or not at all at some factors).
    """
    scale = n_in / n_out
    filterscale = max(scale, 1.0)
    support = 0.5 * filterscale
    centre = (np.arange(n_out, dtype=np.float64) + 0.5) * scale
    xmin = np.maximum((centre - support + 0.5).astype(np.intp), 0)  # C's (int)
    xmax = np.minimum((centre + support + 0.5).astype(np.intp), n_in) - xmin
    taps = int(xmax.max())
    offsets = np.arange(taps, dtype=np.intp)
    arg = ((offsets + xmin[:, None]) - centre[:, None] + 0.5) * (1.0 / filterscale)
    inside = (arg > -0.5) & (arg <= 0.5) & (offsets < xmax[:, None])
    w = inside / inside.sum(axis=1, keepdims=True)
    return np.clip(offsets + xmin[:, None], 0, n_in - 1), w


def _widened_taps(
    x: np.ndarray, n_in: int, method: str, scale: float, a: float
) -> tuple[np.ndarray, np.ndarray]:
    """Taps of the kernel widened by ``scale`` (antialiased downsampling)."""
    support = _SUPPORT[method] * scale
    first = np.floor(x - support).astype(np.intp)
    taps = int(np.ceil(2.0 * support)) + 2
    idx = first[:, None] + np.arange(taps, dtype=np.intp)
    t = (x[:, None] - idx) / scale
    if method == "nearest":
        w = kernels.box(t)
    elif method == "bilinear":
        w = kernels.triangle(t)
    else:
        w = kernels.keys_cubic(t, a)
    w = np.where((idx >= 0) & (idx < n_in), w, 0.0)
    w = w / w.sum(axis=1, keepdims=True)
    used = np.flatnonzero(np.any(w != 0.0, axis=0))  # drop all-zero tap columns
    keep = slice(used[0], used[-1] + 1)
    return np.clip(idx[:, keep], 0, n_in - 1), w[:, keep]


def resize_matrix(
    n_in: int,
    n_out: int,
    *,
    method: Method,
    align_corners: bool = False,
    antialias: bool = False,
    a: float = -0.5,
) -> np.ndarray:
    """Resizing one axis as a matrix: ``output = M @ values``.

    Parameters
    ----------
    n_in, n_out : int
        Input and output lengths, each >= 1.
    method : {"nearest", "bilinear", "bicubic"}
        Interpolation method (see :func:`resize`).
    align_corners : bool
        Mapping of :func:`source_coordinates` (False: half-pixel centres).
    antialias : bool
        Widen the kernel when downsampling (see :func:`axis_taps`).
    a : float
        Keys parameter for ``"bicubic"``.

    Returns
    -------
    numpy.ndarray of float64, shape (n_out, n_in)
        Row ``i`` holds the weights output sample ``i`` gives to every input
        sample; every row sums to 1.

    Raises
    ------
    TypeError, ValueError
        As :func:`axis_taps`.

    Notes
    -----
    ``M[i, j] = sum_t weights[i, t] [indices[i, t] == j]`` with the taps of
    :func:`axis_taps`; clamped taps pile up on the end columns. For an image,
    ``resize(image, (H, W)) = M_y @ image @ M_x.T`` with ``M_y`` of shape
    ``(H, h)`` and ``M_x`` of shape ``(W, w)``.

    Examples
    --------
    >>> resize_matrix(2, 4, method="bilinear")
    array([[1.  , 0.  ],
           [0.75, 0.25],
           [0.25, 0.75],
           [0.  , 1.  ]])
    >>> resize_matrix(3, 2, method="nearest").tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    idx, w = axis_taps(
        n_in,
        n_out,
        method=method,
        align_corners=align_corners,
        antialias=antialias,
        a=a,
    )
    matrix = np.zeros((idx.shape[0], int(n_in)))
    rows = np.broadcast_to(np.arange(idx.shape[0])[:, None], idx.shape)
    np.add.at(matrix, (rows, idx), w)
    return matrix


def _bands(
    idx: np.ndarray, w: np.ndarray, n_in: int, size: int, dtype: np.dtype
) -> list[tuple[slice, slice, np.ndarray]]:
    """Cut an axis's matrix into dense bands: (output rows, input window, band).

    Consecutive outputs read overlapping, increasing windows of the input, so the
    rows ``s:e`` of the ``(n_out, n_in)`` matrix are zero outside a window
    ``lo:hi``; each band ``M[s:e, lo:hi]`` is stored dense.
    """
    n_out = idx.shape[0]
    bands = []
    for s in range(0, n_out, size):
        rows = slice(s, min(s + size, n_out))
        i = idx[rows]
        lo, hi = int(i.min()), int(i.max()) + 1
        band = np.zeros((i.shape[0], hi - lo))
        r = np.broadcast_to(np.arange(i.shape[0])[:, None], i.shape)
        np.add.at(band, (r, i - lo), w[rows])
        bands.append((rows, slice(lo, hi), band.astype(dtype)))
    return bands


def _gather(image: np.ndarray, idx: np.ndarray, w: np.ndarray, axis: int) -> np.ndarray:
    """``sum_t w[:, t] * image.take(idx[:, t], axis)``: reads only the taps."""
    out = np.take(image, idx[:, 0], axis=axis)
    if idx.shape[1] == 1 and np.all(w == 1.0):  # nearest: a pure copy
        return out
    shape = (-1, 1) if axis == 1 else (-1,)
    out *= w[:, 0].reshape(shape)
    tmp = np.empty_like(out)
    for t in range(1, idx.shape[1]):
        np.take(image, idx[:, t], axis=axis, out=tmp, mode="clip")
        tmp *= w[:, t].reshape(shape)
        out += tmp
    return out


@functools.lru_cache(maxsize=128)
def _plan(
    n_in: int,
    n_out: int,
    axis: int,
    dtype: str,
    method: Method2D,
    align_corners: bool,
    antialias: bool,
    a: float,
) -> tuple[Any, ...]:
    """How to resize one axis: ``("gather", idx, w)`` or ``("bands", bands)``.

    Three strategies, chosen by cost (see :func:`resize`): a small matrix is one
    dense product; a large one is applied band by band; when each band would
    read far more inputs than the taps use (downsampling without antialias), or
    for nearest, the taps are gathered instead. Plans are cached (a batch of
    heat maps of one size computes its weights once) and read-only.
    """
    idx, w = axis_taps(
        n_in,
        n_out,
        method=method,
        align_corners=align_corners,
        antialias=antialias,
        a=a,
    )
    taps = idx.shape[1]
    size = n_out  # one band: the whole matrix
    gather = taps == 1 and bool(np.all(w == 1.0))
    if n_out * n_in > _DENSE_ENTRIES:  # _BAND_ROWS outputs per band, fewer
        size = max(8, int(_BAND_ROWS[axis] / max(n_in / n_out, 1.0)))
        window = size * n_in / n_out + taps  # inputs one band reads
        gather = gather or window > _BAND_WINDOW_PER_TAP * taps
    else:  # one dense product reads all n_in inputs per output: the same test
        gather = gather or n_in > _BAND_WINDOW_PER_TAP * taps
    if gather:
        w = w.astype(dtype)
        for arr in (idx, w):
            arr.setflags(write=False)
        return ("gather", idx, w)
    bands = _bands(idx, w, n_in, size, np.dtype(dtype))
    for _, _, band in bands:
        band.setflags(write=False)
    return ("bands", tuple(bands))


def _apply_axis(image: NDArray[Any], plan: tuple[Any, ...], axis: int) -> NDArray[Any]:
    """Resize ``image`` (B, H, W) along ``axis`` (1: rows, 2: columns)."""
    if plan[0] == "gather":
        return _gather(image, plan[1], plan[2], axis)
    bands = plan[1]
    b, h, wdt = image.shape
    n_out = bands[-1][0].stop
    if axis == 2:  # output[:, :, s:e] = image[:, :, lo:hi] @ band.T, batch merged
        flat = image.reshape(b * h, wdt)
        out = np.empty((b * h, n_out), dtype=image.dtype)
        for rows, window, band in bands:
            np.matmul(flat[:, window], band.T, out=out[:, rows])
        return out.reshape(b, h, n_out)
    out = np.empty((b, n_out, wdt), dtype=image.dtype)
    for rows, window, band in bands:  # output[:, s:e, :] = band @ image[:, lo:hi, :]
        if b == 1:
            np.matmul(band, image[0, window], out=out[0, rows])
        else:
            np.matmul(band, image[:, window], out=out[:, rows])
    return out


def _as_image(image: ArrayLike) -> NDArray[Any]:
    """The validated image of :func:`resize`, without copying a float array.

    :func:`resize` only reads its input (every path writes a new array), so a
    finite, contiguous float32 or float64 array of at least 2 dimensions is used
    as it is (see :func:`lesson_utils.interp2d._finite_as_is`); anything else
    goes through :func:`as_float_array`, which converts and copies.
    """
    same = _finite_as_is(image, (np.float32, np.float64))
    if same is not None and same.ndim >= 2 and same.size >= 1:
        return same
    return as_float_array(image, "image", min_ndim=2)


def resize(
    image: ArrayLike,
    output_shape: tuple[int, int],
    *,
    method: Method = "bilinear",
    align_corners: bool = False,
    antialias: bool = False,
    a: float = -0.5,
) -> np.ndarray:
    """Resize an image (or a stack of images) to ``output_shape``.

    Parameters
    ----------
    image : array_like, shape (H, W) or (..., H, W)
        The image(s); leading axes (batch, channels) are kept. Finite values.
    output_shape : tuple of two int
        ``(H_out, W_out)``, each >= 1.
    method : {"nearest", "bilinear", "bicubic"}
        ``"nearest"``: the input sample nearest the source coordinate, ties rounding
        up (torch ``"nearest-exact"``). ``"bilinear"``: triangle kernel, 2 x 2 taps.
        ``"bicubic"``: Keys cubic kernel with parameter ``a``, 4 x 4 taps.
    align_corners : bool
        False (default): half-pixel centres; True: corner-aligned
        (:func:`source_coordinates`).
    antialias : bool
        When an axis shrinks, widen the kernel by the scale factor so every input
        sample under an output cell contributes (see :func:`axis_taps`).
    a : float
        Keys parameter for ``"bicubic"``: -0.5 (default; PIL, torch with
        antialias) or -0.75 (torch ``mode="bicubic"``, OpenCV ``INTER_CUBIC``).

    Returns
    -------
    numpy.ndarray, shape (..., H_out, W_out)
        float32 if ``image`` is float32, else float64. A new array.

    Raises
    ------
    TypeError
        If ``image`` is not numeric, a size is not an integer, or a flag is not a
        bool.
    ValueError
        If ``image`` has fewer than 2 dimensions, is empty or contains NaN or
        infinity; if a size is < 1; if ``method`` is unknown.

    Notes
    -----
    ``resize(image) = M_y @ image @ M_x.T`` with the matrices of
    :func:`resize_matrix`. Edges: without antialiasing, taps outside the image
    read the nearest edge sample (replicate); with it, they are dropped and the
    weights renormalised. What matches what (checked in ``tests/test_resize.py``):

    * bilinear / bicubic(``a=-0.75``), ``antialias=False``, either
      ``align_corners``: ``torch.nn.functional.interpolate`` in float64, to
      ``1e-12 * max|image|`` (sizes up to 1024). In float32 the two differ by
      torch's own rounding: a float32 image resized here is within
      ``3e-7 * max|image|`` of its float64 resize at every size (a few float32
      rounding steps), while torch's float32 result drifts from it by up to about
      ``1e-7 * n * max|image|`` for a longest axis of ``n`` pixels (it computes
      the source coordinates in float32): 4e-6 up to 64 pixels, 9e-5 near 1000.
      So the float32 results agree to 1e-5 only for axes up to about 100 pixels;
    * nearest: torch ``"nearest-exact"``, except at exact ties, which this
      function resolves exactly (round up) while torch's float32 arithmetic
      sometimes lands just below the tie; nearest with ``align_corners=True``
      (which torch refuses) equals ``scipy.ndimage.zoom(order=0,
      mode="nearest")`` off ties;
    * ``antialias=True``, ``align_corners=False``: torch ``antialias=True``
      (bilinear; bicubic with ``a=-0.5``) and PIL ``Image.resize`` on mode "F"
      images (BILINEAR, BICUBIC; nearest with antialias = PIL ``BOX`` and OpenCV
      ``INTER_AREA`` for integer factors). Two deviations from torch 2.13, where
      this function follows PIL: an output width of 1 with a resized height, and
      ``align_corners=True``, for which torch's antialiased result matches
      neither mapping (this function keeps the corner-aligned coordinates and
      widens the kernel by their spacing).

    Algorithm (the same numbers, only faster; ``benchmarks/bench_resize.py``
    times it): each axis is resized separately, as a product with its
    ``(n_out, n_in)`` matrix, which is zero outside a band around the diagonal.

    * A small matrix (<= 65536 entries, e.g. 7 -> 224) is one dense product:
      one BLAS call for the whole batch.
    * A large one (512 -> 2048) is cut into bands of consecutive outputs
      (32 rows, or 128 columns); each band reads only its window of the input,
      so the work is ``window`` multiply-adds per output instead of ``n_in``.
    * When a band's window (or a dense product's whole input axis) would be
      much wider than the taps it uses (downsampling without antialias, e.g.
      4096 -> 9) and for nearest, the taps are gathered with ``np.take`` and
      summed with their weights.

    The column pass costs about twice the row pass per element, so it runs on
    the smaller side (before the rows when upsampling, after when
    downsampling). float32 images are computed in float32 (weights are computed
    in float64 and rounded once): half the memory traffic, at float32 rounding
    error (see the comparison with torch above).

    Examples
    --------
    >>> resize([[0.0, 1.0], [2.0, 3.0]], (4, 4))
    array([[0.  , 0.25, 0.75, 1.  ],
           [0.5 , 0.75, 1.25, 1.5 ],
           [1.5 , 1.75, 2.25, 2.5 ],
           [2.  , 2.25, 2.75, 3.  ]])
    >>> resize([[0.0, 1.0], [2.0, 3.0]], (3, 3), method="nearest", align_corners=True)
    array([[0., 1., 1.],
           [2., 3., 3.],
           [2., 3., 3.]])
    """
    image = _as_image(image)
    h_out, w_out = check_shape(output_shape, "output_shape", length=2)
    method = check_choice(method, "method", METHODS)
    align_corners = check_bool(align_corners, "align_corners")
    antialias = check_bool(antialias, "antialias")
    a = check_finite_float(a, "a")
    *lead, h_in, w_in = image.shape
    batch = image.reshape(-1, h_in, w_in)
    opts = (image.dtype.str, method, align_corners, antialias, a)
    plan_y = _plan(h_in, h_out, 1, *opts)
    plan_x = _plan(w_in, w_out, 2, *opts)
    # per output element the column (x) pass costs about twice the row (y) pass
    # (measured: strided writes, small inner products), so it goes where it has
    # fewer outputs: first when upsampling, last when downsampling
    x_first = 2 * h_in * w_out + h_out * w_out <= h_out * w_in + 2 * h_out * w_out
    # finite inputs can overflow (values near 1e308, or |a| near 1e308): checked
    with np.errstate(over="ignore", invalid="ignore"):
        if x_first:
            out = _apply_axis(_apply_axis(batch, plan_x, axis=2), plan_y, axis=1)
        else:
            out = _apply_axis(_apply_axis(batch, plan_y, axis=1), plan_x, axis=2)
    check_finite_result(out, "resize", "`image` values and `a`")
    return out.reshape(*lead, h_out, w_out)


def grid_frame(
    n_in: int,
    n_out: int,
    *,
    mapping: Mapping = "half_pixel",
    method: Method = "bilinear",
    output: int = 0,
    a: float = -0.5,
) -> dict[str, Any]:
    """Everything a picture of one axis's reverse mapping needs (Chapter 3 widget).

    The picture puts both grids over the same stretch of the world: the input's
    ``n_in`` cells and the output's ``n_out`` cells both span ``[-0.5, n_in -
    0.5]`` in input coordinates. An arrow goes from the centre of each output
    cell to the source coordinate the mapping gives it. Vertical arrows mean the
    output sample reads the input where it physically is.

    Parameters
    ----------
    n_in, n_out : int
        Input and output lengths, each >= 1.
    mapping : {"half_pixel", "align_corners", "top_left"}
        See :func:`mapped_coordinates`.
    method : {"nearest", "bilinear", "bicubic"}
        Which taps each output sample reads (no antialiasing). With
        ``"top_left"``, nearest reads ``floor(x)`` (torch ``"nearest"``); bilinear
        and bicubic interpolate at ``x``.
    output : int
        The output sample whose taps are singled out; clipped to ``n_out - 1``.
    a : float
        Keys parameter for ``"bicubic"``.

    Returns
    -------
    dict
        ``n_in``, ``n_out``, ``mapping``, ``method``, ``output``;
        ``in_edges`` (n_in + 1,) and ``out_edges`` (n_out + 1,): cell edges, both in
        input coordinates; ``out_centres`` (n_out,): where each output cell's centre
        physically is, ``(i + 0.5) n_in / n_out - 0.5``; ``x`` (n_out,): source
        coordinates under ``mapping``; ``shift`` (n_out,): ``x - out_centres``, the
        misregistration in input pixels; ``indices`` and ``weights`` (n_out, taps),
        indices clamped to the input; ``row`` (n_in,): the weights the chosen
        output gives to each input sample (a row of :func:`resize_matrix`).

    Raises
    ------
    TypeError, ValueError
        For invalid sizes, names or ``output``.

    Notes
    -----
    With ``s = n_in / n_out``: only the half-pixel mapping has ``shift = 0``
    everywhere. align_corners moves the first and last outputs by
    ``|s - 1| / 2`` (outwards when downsampling, inwards when upsampling) and
    the middle one not at all; top-left moves every output by ``(1 - s) / 2``
    (left when downsampling: -15.5 input pixels for 224 -> 7).

    Examples
    --------
    >>> f = grid_frame(4, 2, mapping="half_pixel", method="nearest")
    >>> f["x"].tolist(), f["indices"].ravel().tolist(), f["out_edges"].tolist()
    ([0.5, 2.5], [1, 3], [-0.5, 1.5, 3.5])
    >>> f = grid_frame(4, 2, mapping="top_left", method="nearest", output=1)
    >>> f["indices"].ravel().tolist(), f["shift"].tolist(), f["row"].tolist()
    ([0, 2], [-0.5, -0.5], [0.0, 0.0, 1.0, 0.0])
    """
    n_in, n_out = _check_sizes(n_in, n_out)
    mapping = check_choice(mapping, "mapping", MAPPINGS)
    method = check_choice(method, "method", METHODS)
    output = min(check_positive_int(output, "output", minimum=0), n_out - 1)
    a = check_finite_float(a, "a")
    x = mapped_coordinates(n_in, n_out, mapping)
    if mapping == "top_left":
        if method == "nearest":
            idx = np.minimum(_floor_ratios(n_out, (1, n_in, 0), n_out), n_in - 1)
            idx = idx[:, None]
            w = np.ones(idx.shape)
        else:
            idx, w = interp1d.tap_weights(x, method=_TO_1D[method], a=a)
            idx = np.clip(idx, 0, n_in - 1)
    else:
        idx, w = axis_taps(
            n_in, n_out, method=method, align_corners=mapping == "align_corners", a=a
        )
    centres = mapped_coordinates(n_in, n_out, "half_pixel")
    row = np.zeros(n_in)
    np.add.at(row, idx[output], w[output])
    return {
        "n_in": n_in,
        "n_out": n_out,
        "mapping": mapping,
        "method": method,
        "output": output,
        "in_edges": np.arange(n_in + 1) - 0.5,
        "out_edges": np.arange(n_out + 1) * (n_in / n_out) - 0.5,
        "out_centres": centres,
        "x": x,
        "shift": x - centres,
        "indices": idx,
        "weights": w,
        "row": row,
    }
