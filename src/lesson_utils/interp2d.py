"""Bilinear interpolation: 1-D interpolation along y, then along x.

Introduced in Chapter 2 ("Bilinear interpolation"); the bicubic method is derived
in Chapter 4, and Chapter 7 differentiates :func:`sample_2d` with respect to the
image and the positions.

Convention: an image of shape ``(H, W)`` has its pixel ``image[r, c]`` at the
point ``(y, x) = (r, c)``: rows are ``y`` (growing downwards), columns are ``x``.
A sample point ``P = (y, x)`` between four pixels reads them with weights that are
the areas of the rectangles *diagonally opposite* them::

          x0            x          x1
    y0    TL -----------+--------- TR    TL = image[y0, x0]: weight (y1 - y)(x1 - x)
          |  weight     |  weight  |     TR = image[y0, x1]: weight (y1 - y)(x - x0)
          |  of BR      |  of BL   |     BL = image[y1, x0]: weight (y - y0)(x1 - x)
    y     +-------------P----------+     BR = image[y1, x1]: weight (y - y0)(x - x0)
          |  weight     |  weight  |
          |  of TR      |  of TL   |
    y1    BL -----------+--------- BR

These weights are the outer product of the 1-D linear weights along y and along x,
which is why the order of the two 1-D steps does not matter. Every function here
builds on :func:`lesson_utils.interp1d.tap_weights`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._types import EDGES, METHOD_2D_TO_1D, METHODS_2D, Edge, Method2D
from ._validate import (
    as_float_array,
    check_bool,
    check_choice,
    check_finite_float,
    check_finite_result,
    check_shape,
)
from .interp1d import _taps, clamp_positions, tap_weights

__all__ = [
    "METHODS",
    "EDGES",
    "CORNERS",
    "bilinear_weights",
    "sample_2d",
    "grid_sample_coordinates",
    "bilinear_frame",
]

#: The 2-D methods, in the order of :data:`lesson_utils._types.METHODS_2D`.
METHODS = METHODS_2D
#: Names of the four corners in the order of the ``(2, 2)`` layout used here:
#: ``[..., 0, 0]`` top-left, ``[..., 0, 1]`` top-right, ``[..., 1, 0]`` bottom-left,
#: ``[..., 1, 1]`` bottom-right.
CORNERS: tuple[tuple[str, str], tuple[str, str]] = (
    ("top-left", "top-right"),
    ("bottom-left", "bottom-right"),
)


def _finite_as_is(
    value: ArrayLike, dtypes: tuple[type[np.floating[Any]], ...]
) -> NDArray[Any] | None:
    """``value`` itself if it is a finite, C-contiguous array of one of ``dtypes``.

    For inputs a function only reads (positions here, images in
    :func:`lesson_utils.resize.resize`): a large array is used without the copy
    :func:`as_float_array` makes. Finiteness is checked by one dot product of the
    values with themselves, a single read: NaN and infinity propagate through it,
    and a sum that overflows on finite values falls back to the element-wise
    check. None means "validate and copy with :func:`as_float_array`".
    """
    if (
        isinstance(value, np.ndarray)
        and value.dtype.type in dtypes
        and value.flags.c_contiguous
    ):
        flat = value.reshape(-1)
        with np.errstate(over="ignore", invalid="ignore"):
            total = np.dot(flat, flat)
        if np.isfinite(total) or np.all(np.isfinite(value)):
            return value
    return None


def _as_positions(value: ArrayLike, name: str) -> NDArray[np.float64]:
    """``value`` as a validated float64 array, not copied if it already is one."""
    same = _finite_as_is(value, (np.float64,))
    if same is not None:
        return same
    return as_float_array(value, name, min_size=0, dtype=np.float64)


def _positions(y: ArrayLike, x: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Validate ``y`` and ``x`` and broadcast them to one shape (float64, read-only use)."""
    y = _as_positions(y, "y")
    x = _as_positions(x, "x")
    try:
        shape = np.broadcast_shapes(y.shape, x.shape)
    except ValueError as exc:
        raise ValueError(
            "`y` and `x` must have the same shape or broadcastable shapes; "
            f"got y of shape {y.shape} and x of shape {x.shape}"
        ) from exc
    return np.broadcast_to(y, shape), np.broadcast_to(x, shape)


def _outer_taps(
    y: np.ndarray, x: np.ndarray, method: Method2D, a: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, columns and weights of the ``ty x tx`` taps of each point."""
    rows_1d, wy = tap_weights(y, method=METHOD_2D_TO_1D[method], a=a)  # S + (ty,)
    cols_1d, wx = tap_weights(x, method=METHOD_2D_TO_1D[method], a=a)  # S + (tx,)
    taps_y, taps_x = rows_1d.shape[-1], cols_1d.shape[-1]
    shape = y.shape + (taps_y, taps_x)
    rows = np.broadcast_to(rows_1d[..., :, None], shape).copy()
    cols = np.broadcast_to(cols_1d[..., None, :], shape).copy()
    weights = wy[..., :, None] * wx[..., None, :]
    return rows, cols, weights


def bilinear_weights(
    y: ArrayLike, x: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The four pixels around each point ``(y, x)`` and their bilinear weights.

    Parameters
    ----------
    y, x : array_like
        Row and column positions, finite, of the same shape ``S`` or of shapes
        that broadcast to ``S``.

    Returns
    -------
    rows : numpy.ndarray of int64, shape ``S + (2, 2)``
        Row of each corner: ``rows[..., p, q] = floor(y) + p``.
    cols : numpy.ndarray of int64, shape ``S + (2, 2)``
        Column of each corner: ``cols[..., p, q] = floor(x) + q``.
    weights : numpy.ndarray of float64, shape ``S + (2, 2)``
        ``weights[..., p, q] = wy[p] * wx[q]`` with the 1-D linear weights
        ``wy = (y1 - y, y - y0)`` and ``wx = (x1 - x, x - x0)``. They lie in
        [0, 1] and sum to 1 over the last two axes.

    The last two axes are laid out like the pixels on screen (see
    :data:`CORNERS`): ``[0, 0]`` top-left ``(y0, x0)``, ``[0, 1]`` top-right
    ``(y0, x1)``, ``[1, 0]`` bottom-left ``(y1, x0)``, ``[1, 1]`` bottom-right
    ``(y1, x1)``. Corner indices may fall outside an image; :func:`sample_2d`
    applies the edge rule.

    Raises
    ------
    TypeError
        If ``y`` or ``x`` is not numeric.
    ValueError
        If ``y`` or ``x`` contains NaN or infinity, or their shapes do not
        broadcast.

    Notes
    -----
    With ``y0 = floor(y)``, ``y1 = y0 + 1``, ``x0 = floor(x)``, ``x1 = x0 + 1``::

        f(y, x) = (y1 - y)(x1 - x) f00 + (y1 - y)(x - x0) f01
                + (y - y0)(x1 - x) f10 + (y - y0)(x - x0) f11

    Each weight is the area of the rectangle between ``(y, x)`` and the corner
    diagonally *opposite*; it is the outer product of the 1-D taps of
    :func:`lesson_utils.interp1d.tap_weights` along y and along x.

    Examples
    --------
    >>> rows, cols, w = bilinear_weights(0.25, 1.5)
    >>> rows.tolist(), cols.tolist()
    ([[0, 0], [1, 1]], [[1, 2], [1, 2]])
    >>> w.tolist()
    [[0.375, 0.375], [0.125, 0.125]]
    """
    y, x = _positions(y, x)
    return _outer_taps(y, x, "bilinear", -0.5)


def sample_2d(
    image: ArrayLike,
    y: ArrayLike,
    x: ArrayLike,
    *,
    method: Method2D = "bilinear",
    a: float = -0.5,
    edge: Edge = "clamp",
) -> np.ndarray:
    """Sample an image at arbitrary (fractional) points ``(y, x)``.

    Parameters
    ----------
    image : array_like, shape (H, W)
        The pixels, pixel ``image[r, c]`` sitting at the point ``(y, x) = (r, c)``;
        finite.
    y, x : array_like
        Row and column positions, finite, of the same shape ``S`` or of shapes
        that broadcast to ``S`` (``y[:, None]`` and ``x[None, :]`` sample a whole
        grid).
    method : {"nearest", "bilinear", "bicubic"}
        Nearest pixel (ties round up, ``floor(y + 0.5)``), bilinear (2 x 2 taps)
        or bicubic (4 x 4 taps of the Keys kernel with parameter ``a``).
    a : float
        Keys parameter for ``method="bicubic"`` (-0.5 by default; torch and
        OpenCV use -0.75). Ignored by the other methods.
    edge : {"clamp", "zeros"}
        What a tap outside the image reads: ``"clamp"`` the nearest edge pixel
        (``grid_sample(padding_mode="border")``), ``"zeros"`` zero
        (``grid_sample(padding_mode="zeros")``).

    Returns
    -------
    numpy.ndarray, shape ``S``
        The sampled values; float32 if ``image`` is float32, else float64.

    Raises
    ------
    TypeError
        If ``image``, ``y`` or ``x`` is not numeric.
    ValueError
        If ``image`` is not 2-D or is empty, if any input contains NaN or
        infinity, if the shapes of ``y`` and ``x`` do not broadcast, or if
        ``method``/``edge`` is not one of the allowed names.

    Notes
    -----
    The 1-D taps of :func:`lesson_utils.interp1d.tap_weights` along y (rows
    ``r_p``, weights ``wy_p``) and along x (columns ``c_q``, weights ``wx_q``)
    combine into ``f(y, x) = sum_p sum_q wy_p wx_q image[r_p, c_q]``: 1 tap for
    nearest, 2 x 2 for bilinear, 4 x 4 for bicubic. Inside the image,
    ``method="bilinear"`` equals
    ``scipy.interpolate.RegularGridInterpolator((arange(H), arange(W)), image)``
    and, everywhere, ``torch.nn.functional.grid_sample`` with the coordinates of
    :func:`grid_sample_coordinates`. The computation is done in float64, except
    bicubic on a float32 image at points that are not an outer grid, which is done
    in float32 as torch does (within 1e-6 of float64 for pixels in [0, 1), exact
    at pixel positions).

    Examples
    --------
    >>> image = [[0.0, 10.0], [20.0, 30.0]]
    >>> sample_2d(image, [0.5, 0.0], [0.5, 1.0]).tolist()
    [15.0, 10.0]
    >>> sample_2d(image, 0.4, 0.6, method="nearest").tolist()
    10.0
    >>> sample_2d(image, -1.0, 0.0, edge="zeros").tolist()
    0.0
    """
    image = as_float_array(image, "image", ndim=2)
    method = check_choice(method, "method", METHODS)
    edge = check_choice(edge, "edge", EDGES)
    a = check_finite_float(a, "a")
    y, x = _positions(y, x)
    if y.ndim == 2 and y.strides[1] == 0 and x.strides[0] == 0:
        # an outer grid (y[:, None], x[None, :]): the weights factor per axis
        img64 = image.astype(np.float64, copy=False)
        out = _sample_separable(img64, y[:, 0], x[0, :], method, a, edge)
        out = out.astype(image.dtype, copy=False)
    else:
        out = sample_pixels(
            image[None, None],
            y.reshape(1, -1),
            x.reshape(1, -1),
            method,
            a,
            edge,
            image.dtype.type,
        ).reshape(y.shape)
    check_finite_result(out, "sample_2d", "`image` values and `a`")
    return out


# --------------------------------------------------------------------------------------
# the sampler core, shared with lesson_utils.stn.grid_sample
# --------------------------------------------------------------------------------------
#: Pixels of padding around the image: clamped positions (see
#: :func:`lesson_utils.interp1d.clamp_positions`) have taps within 3 of the image.
_PAD = 4
#: Points per chunk: the temporaries of one chunk stay about two megabytes, whatever
#: the number of points (the peak memory is the output and the padded image plus a
#: constant).
_CHUNK = 1 << 14


def _axis_weights(t: NDArray[Any]) -> tuple[NDArray[Any], NDArray[Any]]:
    """Bilinear weights of the two taps of one axis from the fraction ``0 <= t < 1``."""
    return (1.0 - t, t)


def sample_pixels(
    image: NDArray[Any],
    y: NDArray[Any],
    x: NDArray[Any],
    method: Method2D,
    a: float,
    edge: Edge,
    out_dtype: type[np.floating[Any]] = np.float64,
) -> NDArray[Any]:
    """The 2-D sampler: ``image`` (N, C, H, W) at pixel positions (N, P): (N, C, P).

    The one implementation behind :func:`sample_2d` and
    :func:`lesson_utils.stn.grid_sample` (which converts torch's normalised grid to
    pixel positions first). Inputs are validated float32 or float64 arrays;
    positions may be any finite numbers. The image is padded once, in its own
    dtype (replicated edges for "clamp", zeros for "zeros"), so no tap needs a
    bounds test; the index of a point's taps is computed once and serves every
    channel, and the taps of a row share it (shifted views of the padded
    image), so each tap is one gather of contiguous values. Nearest and
    bilinear compute in float64 whatever the image's dtype (float32 values
    convert exactly) and round the result once to ``out_dtype``; bicubic (see
    :func:`_sample_bicubic`) computes in float32 when the image and
    ``out_dtype`` are float32, else in float64. Points are processed in chunks of
    :data:`_CHUNK`, so temporaries stay small whatever the number of points.
    """
    if method == "bicubic":
        return _sample_bicubic(image, y, x, a, edge, out_dtype)
    n_img, chans, height, width = image.shape
    pad = ((0, 0), (0, 0), (_PAD, _PAD), (_PAD, _PAD))
    padded = np.pad(image, pad, mode="edge" if edge == "clamp" else "constant")
    hp, wp = height + 2 * _PAD, width + 2 * _PAD
    table = padded.reshape(-1)  # (N, C, H + 2 PAD, W + 2 PAD), flat
    taps = 1 if method == "nearest" else 2
    # table[q:] shifted by q columns: the taps of a row share one index
    shifted = [table[q:] for q in range(taps)]
    n_pts = y.shape[1]
    out = np.empty((n_img, chans, n_pts), dtype=out_dtype)
    # blocks of whole images when an image has fewer points than a chunk (a batch
    # of small images: fewer, larger array operations), else chunks of one image
    per = max(1, _CHUNK // max(n_pts, 1))
    for n0 in range(0, n_img, per):
        n1 = min(n0 + per, n_img)
        # pixel (0, 0) of each image of the block, in the flat table: (k, 1)
        offset = (np.arange(n0, n1)[:, None] * (chans * hp) + _PAD) * wp + _PAD
        for start in range(0, n_pts, _CHUNK):
            stop = min(start + _CHUNK, n_pts)
            yc = np.clip(y[n0:n1, start:stop], -2.0, height + 1.0)
            xc = np.clip(x[n0:n1, start:stop], -2.0, width + 1.0)
            if method == "nearest":
                # floor(x + 0.5): ties round up, as everywhere in the book
                rows = np.floor(yc + 0.5).astype(np.intp)
                cols = np.floor(xc + 0.5).astype(np.intp)
                index = rows * wp + (cols + offset)
                for c in range(chans):
                    out[n0:n1, c, start:stop] = table[index + c * hp * wp]
                continue
            fy = np.floor(yc)
            fx = np.floor(xc)
            wy = _axis_weights(yc - fy)
            wx = _axis_weights(xc - fx)
            base = fy.astype(np.intp) * wp + fx.astype(np.intp)
            base += offset
            total, row, product = (np.empty(yc.shape) for _ in range(3))
            values = np.empty(yc.shape, dtype=table.dtype)
            for c in range(chans):
                for p in range(taps):
                    index = base + (c * hp + p) * wp
                    # indices are always inside the table: "clip" skips the test
                    np.take(shifted[0], index, out=values, mode="clip")
                    np.multiply(values, wx[0], out=row)
                    for q in range(1, taps):
                        np.take(shifted[q], index, out=values, mode="clip")
                        np.multiply(values, wx[q], out=product)
                        row += product
                    row *= wy[p]
                    if p == 0:
                        total[...] = row
                    else:
                        total += row
                # a float32 result beyond float32's range: the caller checks
                with np.errstate(over="ignore"):
                    out[n0:n1, c, start:stop] = total
    return out


def _pair_table(
    image: NDArray[Any], edge: Edge, dtype: type[np.floating[Any]]
) -> NDArray[Any]:
    """``image`` (N, C, H, W) padded by :data:`_PAD`, as pairs of neighbours in a row.

    Entry ``k`` of the flat padded image holds the values at ``k`` and ``k + 1``
    (viewed as one complex number, so that one gather reads both): the 16 taps of
    a bicubic point are 8 such pairs. The padding replicates the edge pixels for
    "clamp" and is 0 for "zeros". The table takes twice the memory of the padded
    image, and the padded image itself is never made.
    """
    n_img, chans, height, width = image.shape
    hp, wp = height + 2 * _PAD, width + 2 * _PAD
    pairs = np.empty((n_img * chans * hp * wp, 2), dtype=dtype)
    first = pairs.reshape(n_img, chans, hp, wp, 2)[..., 0]  # a view: the left values
    inner = slice(_PAD, -_PAD)
    first[..., inner, inner] = image
    if edge == "clamp":
        first[..., :_PAD, inner] = first[..., _PAD : _PAD + 1, inner]
        first[..., -_PAD:, inner] = first[..., -_PAD - 1 : -_PAD, inner]
        first[..., :_PAD] = first[..., _PAD : _PAD + 1]
        first[..., -_PAD:] = first[..., -_PAD - 1 : -_PAD]
    else:
        first[..., :_PAD, :] = 0.0
        first[..., -_PAD:, :] = 0.0
        first[..., :_PAD] = 0.0
        first[..., -_PAD:] = 0.0
    pairs[:-1, 1] = pairs[1:, 0]
    pairs[-1, 1] = 0.0  # never read: a tap is at most _PAD - 1 into the padding
    complex_type = np.complex64 if dtype == np.float32 else np.complex128
    return pairs.view(complex_type).reshape(-1)


def _keys_weights(t: NDArray[Any], a: float) -> tuple[NDArray[Any], ...]:
    """Keys weights of the taps at offsets ``-1, 0, 1, 2`` from ``floor(x)``.

    ``t = x - floor(x)`` in [0, 1] and ``u = 1 - t``; the weights
    ``k(1 + t), k(t), k(u), k(1 + u)`` are, in Horner form, ``a t u^2``,
    ``((a + 2) t - (a + 3)) t^2 + 1``, ``((a + 2) u - (a + 3)) u^2 + 1`` and
    ``a t^2 u``, computed in ``t``'s dtype (13 array operations). No term
    overflows for any finite ``a`` (each is at most ``|a| + 3``).
    """
    one = t.dtype.type(1.0)
    a1, a2, a3 = (t.dtype.type(v) for v in (a, a + 2.0, a + 3.0))
    u = one - t
    atu = t * u
    atu *= a1
    w0 = atu * u
    atu *= t
    middle = []
    for s in (t, u):
        w = s * a2
        w -= a3
        w *= s
        w *= s
        w += one
        middle.append(w)
    return w0, middle[0], middle[1], atu


def _sample_bicubic(
    image: NDArray[Any],
    y: NDArray[Any],
    x: NDArray[Any],
    a: float,
    edge: Edge,
    out_dtype: type[np.floating[Any]],
) -> NDArray[Any]:
    """:func:`sample_pixels` for ``method="bicubic"``: the 16 taps as 8 gathers.

    The image becomes a table of neighbour pairs (:func:`_pair_table`); per chunk
    of :data:`_CHUNK` points the flat index of the top-left tap and the 4 + 4 Keys
    weights are computed once and serve every channel, and row ``p`` of the taps
    is two gathers (columns -1, 0 and 1, 2) from views of the table shifted by
    ``p`` rows and by 2 columns. The two pairs are weighted by the interleaved x
    weights and added, which leaves ``(w_0 v_0 + w_2 v_2, w_1 v_1 + w_3 v_3)``;
    the two halves summed give the row, the rows weighted by y are the value.
    The arithmetic is float32 when the image and ``out_dtype`` are float32 (as
    torch computes), else float64; a chunk whose float32 result is not finite is
    computed again in float64, so float32 only ever rounds differently, never
    overflows where float64 would not.
    """
    n_img, chans, height, width = image.shape
    work: type[np.floating[Any]] = np.float64
    if image.dtype == np.float32 and out_dtype == np.float32:
        with np.errstate(over="ignore"):
            if np.isfinite(np.float32(abs(a) + 3.0)):
                work = np.float32
    table = _pair_table(image, edge, work)
    hp, wp = height + 2 * _PAD, width + 2 * _PAD
    # views shifted by p rows and by 0 or 2 columns: the 8 pairs share one index
    shifted = [table[p * wp + q :] for p in range(4) for q in (0, 2)]
    shifted64: list[NDArray[Any]] | None = None
    sizes = (height, width, chans, hp * wp, wp)
    n_pts = y.shape[1]
    out = np.empty((n_img, chans, n_pts), dtype=out_dtype)
    per = max(1, _CHUNK // max(n_pts, 1))
    for n0 in range(0, n_img, per):
        n1 = min(n0 + per, n_img)
        # tap (-1, -1) of pixel (0, 0) of each image of the block, flat: (k, 1)
        offset = (np.arange(n0, n1)[:, None] * (chans * hp) + _PAD - 1) * wp + _PAD - 1
        for start in range(0, n_pts, _CHUNK):
            stop = min(start + _CHUNK, n_pts)
            rows = (slice(n0, n1), slice(start, stop))
            # float32 overflow is caught below (the chunk is redone in float64)
            with np.errstate(over="ignore", invalid="ignore"):
                values = _bicubic_chunk(
                    shifted, y[rows], x[rows], offset, sizes, a, work
                )
            if work == np.float32 and not np.all(np.isfinite(values)):
                if shifted64 is None:  # made once, only if float32 ever overflows
                    table64 = _pair_table(image, edge, np.float64)
                    shifted64 = [
                        table64[p * wp + q :] for p in range(4) for q in (0, 2)
                    ]
                values = _bicubic_chunk(
                    shifted64, y[rows], x[rows], offset, sizes, a, np.float64
                )
            # a float32 result beyond float32's range: the caller checks
            with np.errstate(over="ignore"):
                out[n0:n1, :, start:stop] = values
    return out


def _bicubic_chunk(
    shifted: list[NDArray[Any]],
    y: NDArray[Any],
    x: NDArray[Any],
    offset: NDArray[Any],
    sizes: tuple[int, int, int, int, int],
    a: float,
    work: type[np.floating[Any]],
) -> NDArray[Any]:
    """Bicubic values (k, C, P) of one chunk of positions (k, P), in ``work``.

    ``sizes`` is (H, W, C, H_p W_p, W_p) of the padded images; ``offset`` (k, 1)
    the flat index of tap (-1, -1) of pixel (0, 0) of each image's first channel.
    """
    height, width, chans, plane, wp = sizes
    yc = np.clip(y, -2.0, height + 1.0)
    xc = np.clip(x, -2.0, width + 1.0)
    fy = np.floor(yc)
    fx = np.floor(xc)
    base = fy.astype(np.intp)
    base *= wp
    base += fx.astype(np.intp)
    base += offset
    yc -= fy
    xc -= fx
    wy = _keys_weights(yc.astype(work), a)
    # x weights interleaved as the pairs are: (w_0, w_1) and (w_2, w_3)
    wx = np.empty((2, *xc.shape, 2), dtype=work)
    for q, w in enumerate(_keys_weights(xc.astype(work), a)):
        wx[q // 2, ..., q % 2] = w
    complex_type = np.complex64 if work == np.float32 else np.complex128
    left, right = (np.empty(yc.shape, dtype=complex_type) for _ in range(2))
    pl, pr = (
        left.view(work).reshape(wx.shape[1:]),
        right.view(work).reshape(wx.shape[1:]),
    )
    row, total = (
        np.empty(yc.shape, dtype=work),
        np.empty((chans, *yc.shape), dtype=work),
    )
    for c in range(chans):
        index = base + c * plane if c else base
        for p in range(4):
            # indices are always inside the table: "clip" skips the bounds test
            np.take(shifted[2 * p], index, out=left, mode="clip")
            np.take(shifted[2 * p + 1], index, out=right, mode="clip")
            pl *= wx[0]
            pr *= wx[1]
            pl += pr
            np.add(pl[..., 0], pl[..., 1], out=row)
            row *= wy[p]
            if p == 0:
                total[c] = row
            else:
                total[c] += row
    return np.moveaxis(total, 0, 1)


def _sample_separable(
    image: NDArray[Any],
    ys: NDArray[Any],
    xs: NDArray[Any],
    method: Method2D,
    a: float,
    edge: Edge,
) -> NDArray[Any]:
    """:func:`sample_2d` on the outer grid ``ys[:, None], xs[None, :]``.

    The weight of tap (p, q) is ``wy_p wx_q``, so the sum is done one axis at a
    time: first every row position reads its taps' rows (``(len(ys), W)``), then
    every column position reads its taps in that. Same formula as the general
    path, ``taps`` instead of ``taps**2`` operations per output.
    """
    height, width = image.shape
    kind = METHOD_2D_TO_1D[method]
    ri, rw = _taps(clamp_positions(ys, height), kind, a)
    ci, cw = _taps(clamp_positions(xs, width), kind, a)
    if edge == "zeros":
        rw = np.where((ri >= 0) & (ri < height), rw, 0.0)
        cw = np.where((ci >= 0) & (ci < width), cw, 0.0)
    ri = np.clip(ri, 0, height - 1)
    ci = np.clip(ci, 0, width - 1)
    rows = image[ri[:, 0]] * rw[:, 0, None]
    for p in range(1, ri.shape[1]):
        rows += image[ri[:, p]] * rw[:, p, None]
    out = rows[:, ci[:, 0]] * cw[None, :, 0]
    for q in range(1, ci.shape[1]):
        out += rows[:, ci[:, q]] * cw[None, :, q]
    return np.asarray(out)


def grid_sample_coordinates(
    y: ArrayLike,
    x: ArrayLike,
    shape: tuple[int, int],
    *,
    align_corners: bool = False,
) -> np.ndarray:
    """Pixel positions ``(y, x)`` as the normalised ``grid`` of torch's grid_sample.

    Parameters
    ----------
    y, x : array_like
        Row and column positions in pixels, finite, same or broadcastable shapes
        ``S``.
    shape : tuple of 2 int
        ``(H, W)`` of the image that will be sampled.
    align_corners : bool
        The same flag passed to ``torch.nn.functional.grid_sample``.

    Returns
    -------
    numpy.ndarray of float64, shape ``S + (2,)``
        ``[..., 0]`` is the normalised **x** (column) and ``[..., 1]`` the
        normalised **y** (row): torch's grid is ordered (x, y), the reverse of
        the (row, col) order used everywhere else in this book.

    Raises
    ------
    TypeError
        If ``y``/``x`` is not numeric, an entry of ``shape`` is not an integer or
        ``align_corners`` is not a bool.
    ValueError
        If ``y``/``x`` contains NaN or infinity, their shapes do not broadcast,
        ``shape`` does not have two entries >= 1, or ``align_corners=True`` with
        ``H`` or ``W`` equal to 1 (the formula divides by ``H - 1``).

    Notes
    -----
    ``align_corners=True``: ``g = -1`` and ``g = +1`` are the centres of the first
    and last pixels, so ``g_x = 2 x / (W - 1) - 1`` (inverse of
    ``x = (g_x + 1)(W - 1) / 2``). ``align_corners=False``: ``g = -1`` and ``+1``
    are the outer edges of those pixels, at ``x = -1/2`` and ``x = W - 1/2``, so
    ``g_x = (2 x + 1) / W - 1``. The same holds for ``y`` with ``H``.

    Examples
    --------
    >>> grid_sample_coordinates(0.0, 4.0, (3, 5), align_corners=True).tolist()
    [1.0, -1.0]
    >>> grid_sample_coordinates(0.0, 4.0, (3, 5)).round(4).tolist()
    [0.8, -0.6667]
    """
    y, x = _positions(y, x)
    height, width = check_shape(shape, "shape", length=2)
    align_corners = check_bool(align_corners, "align_corners")
    if align_corners and (height < 2 or width < 2):
        raise ValueError(
            "`shape` must be at least (2, 2) when `align_corners` is True; "
            f"got {(height, width)}"
        )
    gx = _pixel_to_normalized(x, width, align_corners)
    gy = _pixel_to_normalized(y, height, align_corners)
    return np.stack([gx, gy], axis=-1)


def _pixel_to_normalized(
    x: NDArray[np.float64], n: int, align_corners: bool
) -> NDArray[np.float64]:
    """Pixel positions along an axis of ``n`` pixels as torch's normalised coordinate.

    The one formula behind :func:`grid_sample_coordinates` and
    :func:`lesson_utils.stn.pixel_to_normalized` (which validate their inputs):
    ``2 x / (n - 1) - 1`` with ``align_corners``, ``(2 x + 1) / n - 1`` without.
    """
    if align_corners:
        return np.asarray(2.0 * x / (n - 1) - 1.0)
    return np.asarray((2.0 * x + 1.0) / n - 1.0)


def bilinear_frame(y: float, x: float, image: ArrayLike) -> dict[str, Any]:
    """Everything a picture of bilinear interpolation at one point needs.

    This is the pure first layer of Chapter 2's widget: the static animation and
    the live sliders both call it and hand the result to
    :func:`lesson_utils.widgets.ch02.draw_bilinear`.

    Parameters
    ----------
    y, x : float
        The sample point, inside the image: ``0 <= y <= H - 1``,
        ``0 <= x <= W - 1``.
    image : array_like, shape (H, W)
        The pixels, ``H >= 2`` and ``W >= 2``; finite.

    Returns
    -------
    dict
        ``y``, ``x``; the corner rows ``y0``, ``y1 = y0 + 1`` and columns ``x0``,
        ``x1 = x0 + 1`` (kept inside the image at the last row/column, where
        the point then lies on the cell's far side); ``image`` (float64 copy);
        ``corners``: (2, 2, 2) array of (row, col) of each corner; ``values``:
        (2, 2) corner pixel values; ``rectangles``: (2, 2, 4) array, for each
        corner the rectangle diagonally opposite it as (top, left, height,
        width); ``areas``: (2, 2) the rectangles' areas; ``weights``: (2, 2) the
        1-D weights' outer product; ``value``: ``sum(weights * values)``.
        The (2, 2) layout is that of :func:`bilinear_weights` (see
        :data:`CORNERS`).

    Raises
    ------
    TypeError
        If ``y`` or ``x`` is not a real number or ``image`` is not numeric.
    ValueError
        If the point lies outside the image, or ``image`` is not 2-D of at least
        2 x 2 finite pixels.

    Notes
    -----
    The rectangle opposite the top-left corner spans from the point to the
    bottom-right corner, so its area is ``(y1 - y)(x1 - x)``: the weight of the
    top-left pixel. The four rectangles tile the unit cell, so the areas sum to 1.

    Examples
    --------
    >>> f = bilinear_frame(0.25, 0.5, [[0.0, 10.0], [20.0, 30.0]])
    >>> f["areas"].tolist()
    [[0.375, 0.375], [0.125, 0.125]]
    >>> f["rectangles"][0, 0].tolist()  # opposite top-left: (top, left, h, w)
    [0.25, 0.5, 0.75, 0.5]
    >>> f["value"]
    10.0
    """
    image = as_float_array(image, "image", ndim=2, dtype=np.float64)
    height, width = image.shape
    if height < 2 or width < 2:
        raise ValueError(
            f"`image` must be at least 2 x 2 pixels; got shape {image.shape}"
        )
    y = check_finite_float(y, "y")
    x = check_finite_float(x, "x")
    for name, value, n in (("y", y, height), ("x", x, width)):
        if not 0.0 <= value <= n - 1:
            raise ValueError(
                f"`{name}` must lie in [0, {n - 1}] (inside the image); got {value!r}"
            )
    y0 = min(int(np.floor(y)), height - 2)
    x0 = min(int(np.floor(x)), width - 2)
    y1, x1 = y0 + 1, x0 + 1
    # 1-D linear weights (opposite distances) along each axis, then outer product
    wy = np.array([y1 - y, y - y0])
    wx = np.array([x1 - x, x - x0])
    weights = wy[:, None] * wx[None, :]
    corners = np.array([[[y0, x0], [y0, x1]], [[y1, x0], [y1, x1]]])
    values = image[y0 : y1 + 1, x0 : x1 + 1].copy()
    # the rectangle opposite each corner: between the point and the far corner
    rectangles = np.empty((2, 2, 4))
    for p in range(2):
        for q in range(2):
            far_y = y1 if p == 0 else y0
            far_x = x1 if q == 0 else x0
            top, left = min(y, far_y), min(x, far_x)
            rectangles[p, q] = (top, left, abs(far_y - y), abs(far_x - x))
    areas = rectangles[..., 2] * rectangles[..., 3]
    return {
        "y": y,
        "x": x,
        "y0": y0,
        "y1": y1,
        "x0": x0,
        "x1": x1,
        "image": image,
        "corners": corners,
        "values": values,
        "rectangles": rectangles,
        "areas": areas,
        "weights": weights,
        "value": float(np.sum(weights * values)),
    }
