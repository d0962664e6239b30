"""Spatial transformers: an affine grid, a bilinear sampler and their gradients.

Introduced in Chapter 7 ("Spatial transformers: sampling with gradients"). It reuses
the neighbours and weights of Chapter 1 (:func:`lesson_utils.interp1d.linear_weights`)
once per axis, exactly as Chapter 2 builds bilinear interpolation.

A spatial transformer (Jaderberg et al., 2015) samples by *reverse mapping*: for
every output pixel it computes where to read in the input, then interpolates there.
The three steps mirror ``torch.nn.functional``:

1. :func:`affine_grid` turns a 2 x 3 matrix ``theta`` into normalised source
   coordinates, one pair per output pixel;
2. :func:`grid_sample` reads the input at those coordinates (bilinear or nearest);
3. :func:`grid_sample_backward` and :func:`affine_grid_backward` give the gradients
   that let a network *learn* ``theta``.

Conventions
-----------
Shapes. Two forms, like torch's and a single-image shorthand:

========================  ==========================  ===========================
argument                  one image                   a batch (torch's layout)
========================  ==========================  ===========================
``theta``                 (2, 3)                      (N, 2, 3)
``size``                  (H, W)                      (N, C, H, W)
``grid``                  (H_out, W_out, 2)           (N, H_out, W_out, 2)
``image``                 (H, W)                      (N, C, H, W)
output of grid_sample     (H_out, W_out)              (N, C, H_out, W_out)
========================  ==========================  ===========================

Order inside the grid. Everywhere else the book orders axes (row, col) = (y, x). The
*last axis of a grid* is the one exception: it holds ``(x, y)``, torch's order, so
that grids can be passed to and compared with torch unchanged.

Normalised coordinates. ``x = -1`` is the left and ``x = +1`` the right of the
image, ``y = -1`` the top and ``y = +1`` the bottom. What exactly sits at -1 depends
on ``align_corners`` (here for W = 4 pixels, centres at pixel positions 0..3)::

    pixel position:     -0.5   0     1     2     3   3.5
                          |    *     *     *     *    |
    align_corners=True:        -1                  +1        (corner centres)
    align_corners=False: -1                            +1    (outer edges)

so ``x_pixel = (g + 1) / 2 * (W - 1)`` when True and
``x_pixel = ((g + 1) * W - 1) / 2`` when False (:func:`normalized_to_pixel`).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._types import PADDING_MODES, SAMPLE_METHODS, PaddingMode, SampleMethod
from ._validate import (
    as_float_array,
    check_bool,
    check_choice,
    check_finite_float,
    check_positive_int,
    check_shape,
    ordered_items,
)
from .interp1d import linear_weights, nearest_index
from .interp2d import _PAD, _pixel_to_normalized, sample_pixels

__all__ = [
    "PADDING_MODES",
    "SAMPLE_METHODS",
    "normalized_to_pixel",
    "pixel_to_normalized",
    "source_pixels",
    "affine_theta",
    "affine_grid",
    "grid_sample",
    "sampling_matrix",
    "grid_sample_backward",
    "affine_grid_backward",
    "make_pattern",
    "fit_affine",
    "affine_frame",
]


# --------------------------------------------------------------------------------------
# coordinates
# --------------------------------------------------------------------------------------
def _check_length(n: int, name: str) -> int:
    return check_positive_int(n, name)


def normalized_to_pixel(
    g: ArrayLike, n: int, *, align_corners: bool = False
) -> np.ndarray:
    """Convert normalised coordinates in [-1, 1] to pixel positions along one axis.

    Parameters
    ----------
    g : array_like, any shape
        Normalised coordinates (values outside [-1, 1] are allowed), finite.
    n : int
        Number of pixels along the axis (W for x, H for y), ``n >= 1``.
    align_corners : bool
        True: -1 and +1 are the centres of the first and last pixels. False (torch's
        default): -1 and +1 are the outer edges of those pixels.

    Returns
    -------
    numpy.ndarray
        Pixel positions (pixel ``i`` has its centre at ``i``), same shape as ``g``;
        float32 if ``g`` is float32, else float64.

    Raises
    ------
    TypeError
        If ``g`` is not numeric, ``n`` not an integer or ``align_corners`` not a bool.
    ValueError
        If ``g`` is not finite or ``n < 1``.

    Notes
    -----
    ``x = (g + 1) / 2 * (n - 1)`` when ``align_corners`` is True and
    ``x = ((g + 1) * n - 1) / 2`` when it is False. The derivative ``dx/dg`` is the
    constant ``(n - 1) / 2`` or ``n / 2``: the chain-rule factor between gradients in
    pixels and in normalised units.

    Examples
    --------
    >>> normalized_to_pixel([-1.0, 0.0, 1.0], 4, align_corners=True).tolist()
    [0.0, 1.5, 3.0]
    >>> normalized_to_pixel([-1.0, 0.0, 1.0], 4, align_corners=False).tolist()
    [-0.5, 1.5, 3.5]
    """
    arr = as_float_array(g, "g", min_size=0)
    n = _check_length(n, "n")
    align_corners = check_bool(align_corners, "align_corners")
    x, _ = _unnormalize(arr.astype(np.float64), n, align_corners)
    return x.astype(arr.dtype, copy=False)


def pixel_to_normalized(
    x: ArrayLike, n: int, *, align_corners: bool = False
) -> np.ndarray:
    """Convert pixel positions along one axis to normalised coordinates.

    The inverse of :func:`normalized_to_pixel`.

    Parameters
    ----------
    x : array_like, any shape
        Pixel positions (pixel ``i`` has its centre at ``i``), finite.
    n : int
        Number of pixels along the axis, ``n >= 2`` when ``align_corners`` is True
        (with one pixel every position maps to the same normalised coordinate).
    align_corners : bool
        See :func:`normalized_to_pixel`.

    Returns
    -------
    numpy.ndarray
        ``g = 2 x / (n - 1) - 1`` (True) or ``g = (2 x + 1) / n - 1`` (False), same
        shape as ``x``; float32 if ``x`` is float32, else float64.

    Raises
    ------
    TypeError
        If ``x`` is not numeric, ``n`` not an integer or ``align_corners`` not a bool.
    ValueError
        If ``x`` is not finite or ``n`` is too small.

    Examples
    --------
    >>> pixel_to_normalized([0.0, 3.0], 4, align_corners=True).tolist()
    [-1.0, 1.0]
    >>> pixel_to_normalized([0.0, 3.0], 4, align_corners=False).tolist()
    [-0.75, 0.75]
    """
    arr = as_float_array(x, "x", min_size=0)
    align_corners = check_bool(align_corners, "align_corners")
    n = check_positive_int(n, "n", minimum=2 if align_corners else 1)
    g = _pixel_to_normalized(arr.astype(np.float64), n, align_corners)
    return g.astype(arr.dtype, copy=False)


def _unnormalize(
    g: np.ndarray, n: int, align_corners: bool
) -> tuple[np.ndarray, float]:
    """Pixel positions (float64) and the constant derivative dx/dg.

    Computed as torch's CPU sampler computes them, rounding for rounding, so that
    a position on a pixel centre lands on the same side of it as in torch (which
    decides the one-sided derivative there): ``t = g + 1`` rounded, then
    ``t * (n - 1) / 2`` (align_corners) or ``t * n / 2 - 0.5`` rounded *once*
    (torch's kernel fuses that multiply-add), in the dtype of ``g``.
    """
    limit = 1e300 if g.dtype == np.float64 else 1e30  # far outside either way
    g = np.clip(g, -limit, limit)  # and keeps t * scale finite
    if align_corners:
        scale = (n - 1) / 2.0
        if g.dtype == np.float32:
            t32 = (g + np.float32(1.0)).astype(np.float64)
            return (t32 * scale).astype(np.float32).astype(np.float64), scale
        return (g + 1.0) * scale, scale
    scale = n / 2.0
    if g.dtype == np.float32:
        # t * scale - 0.5 is exact in float64 (24 + 27 bits): one rounding to float32
        t32 = (g + np.float32(1.0)).astype(np.float64)
        return (t32 * scale - 0.5).astype(np.float32).astype(np.float64), scale
    return _fused_multiply_add(g + 1.0, scale, -0.5), scale


def _fused_multiply_add(a: NDArray[Any], b: float, c: float) -> NDArray[Any]:
    """``a * b + c`` with a single rounding, for ``b`` of at most 27 bits.

    Dekker's split makes the product exact as ``p + e`` and a two-sum adds ``c``
    exactly; the final addition rounds once (numpy has no fused multiply-add).
    """
    split = 134217729.0 * a  # 2**27 + 1
    ah = split - (split - a)
    al = a - ah
    p = a * b
    e = (ah * b - p) + al * b
    s = p + c
    bb = s - p
    es = (p - (s - bb)) + (c - bb)
    return np.asarray(s + (es + e))


def _clip(x: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Clamp to [0, n - 1]; derivative 1 strictly inside, 0 on and beyond the ends.

    The ends count as "outside" for the derivative, as in torch's
    ``clip_coordinates_set_grad``.
    """
    inside = (x > 0.0) & (x < n - 1)
    return np.clip(x, 0.0, n - 1.0), inside.astype(np.float64)


def _reflect(
    x: np.ndarray, twice_low: float, twice_high: float
) -> tuple[np.ndarray, np.ndarray]:
    """Fold ``x`` into [low, high] by mirror reflections; also return dx'/dx (+-1)."""
    if twice_low == twice_high:
        return np.zeros_like(x), np.zeros_like(x)
    low = twice_low / 2.0
    span = (twice_high - twice_low) / 2.0
    shifted = x - low
    sign = np.where(shifted < 0.0, -1.0, 1.0)
    shifted = np.abs(shifted)
    extra = np.fmod(shifted, span)
    flips = np.floor(shifted / span)
    even = np.mod(flips, 2.0) == 0.0
    folded = np.where(even, extra + low, span - extra + low)
    return folded, np.where(even, sign, -sign)


def _source_pixels(
    g: np.ndarray, n: int, align_corners: bool, padding_mode: str
) -> tuple[np.ndarray, np.ndarray]:
    """Pixel positions read for normalised ``g`` after padding, and dx/dg."""
    x, scale = _unnormalize(g, n, align_corners)
    dx = np.full(x.shape, scale)
    if padding_mode == "border":
        x, d = _clip(x, n)
        dx = dx * d
    elif padding_mode == "reflection":
        # in the grid's dtype, as torch folds: float32 rounding moves the folds
        work = x.astype(g.dtype, copy=False)
        if align_corners:
            folded, d = _reflect(work, 0.0, 2.0 * (n - 1))
        else:
            folded, d = _reflect(work, -1.0, 2.0 * n - 1.0)
        dx = dx * d
        x, d = _clip(folded.astype(np.float64), n)
        dx = dx * d
    return x, dx


def source_pixels(
    g: ArrayLike,
    n: int,
    *,
    align_corners: bool = False,
    padding_mode: PaddingMode = "zeros",
) -> tuple[np.ndarray, np.ndarray]:
    """Where a sampler actually reads along one axis, and the derivative of that.

    Parameters
    ----------
    g : array_like, any shape
        Normalised coordinates, finite.
    n : int
        Number of pixels along the axis, ``n >= 1``.
    align_corners : bool
        See :func:`normalized_to_pixel`.
    padding_mode : {"zeros", "border", "reflection"}
        ``"zeros"`` keeps the position (taps outside the image will read 0);
        ``"border"`` clamps it to ``[0, n - 1]``; ``"reflection"`` mirrors it at the
        ends (at the corner centres when ``align_corners`` is True, at the outer
        edges when False), then clamps.

    Returns
    -------
    x : numpy.ndarray of float64
        Pixel positions read, same shape as ``g``.
    dx_dg : numpy.ndarray of float64
        ``dx/dg``: ``(n - 1)/2`` or ``n/2``, times 0 where clamping is active (the
        ends themselves included) and times -1 where a reflection flips direction.

    Raises
    ------
    TypeError, ValueError
        For non-numeric or non-finite ``g``, a bad ``n``, ``align_corners`` or
        ``padding_mode``.

    Notes
    -----
    With ``align_corners=False`` and ``"reflection"``, positions are mirrored about
    ``-0.5`` and ``n - 0.5`` (the outer edges), so ``x = -0.8`` reads ``x = -0.2``,
    which is then clamped to 0. The derivative is taken as 0 *at* a clamp end, as
    torch does, so that the result equals ``torch.autograd`` everywhere.

    Examples
    --------
    >>> x, d = source_pixels([-1.2, 0.0, 1.2], 4, align_corners=True,
    ...                      padding_mode="reflection")
    >>> x.round(6).tolist(), d.tolist()
    ([0.3, 1.5, 2.7], [-1.5, 1.5, -1.5])
    """
    arr = as_float_array(g, "g", min_size=0, dtype=np.float64)
    n = _check_length(n, "n")
    align_corners = check_bool(align_corners, "align_corners")
    padding_mode = check_choice(padding_mode, "padding_mode", PADDING_MODES)
    return _source_pixels(arr, n, align_corners, padding_mode)


# --------------------------------------------------------------------------------------
# affine grid
# --------------------------------------------------------------------------------------
def affine_theta(
    *, rotation: float = 0.0, scale: float = 1.0, tx: float = 0.0, ty: float = 0.0
) -> np.ndarray:
    """Build a 2 x 3 ``theta`` from a rotation, a uniform scale and a translation.

    Parameters
    ----------
    rotation : float
        Angle in degrees by which the *sampling grid* is turned (from +x towards +y;
        with y pointing down that is clockwise on screen, so the content of the
        output appears turned counter-clockwise).
    scale : float
        Size of the sampling grid relative to the input: 0.5 reads half the image,
        so the output is a 2x zoom. Must be non-zero.
    tx, ty : float
        Shift of the sampling grid in normalised units (2 = the whole image).

    Returns
    -------
    numpy.ndarray of float64, shape (2, 3)
        ``[[s cos r, -s sin r, tx], [s sin r, s cos r, ty]]``.

    Raises
    ------
    TypeError
        If an argument is not a real number.
    ValueError
        If an argument is not finite or ``scale == 0``.

    Notes
    -----
    ``theta`` maps *output* coordinates to *input* coordinates (reverse mapping):
    ``(x_s, y_s) = theta @ (x_t, y_t, 1)``.

    Examples
    --------
    >>> affine_theta(rotation=90.0, scale=0.5, tx=0.1).round(6).tolist()
    [[0.0, -0.5, 0.1], [0.5, 0.0, 0.0]]
    """
    r = np.deg2rad(check_finite_float(rotation, "rotation"))
    s = check_finite_float(scale, "scale")
    if s == 0.0:
        raise ValueError("`scale` must be a non-zero real number; got 0.0")
    tx = check_finite_float(tx, "tx")
    ty = check_finite_float(ty, "ty")
    c, sn = s * np.cos(r), s * np.sin(r)
    return np.array([[c, -sn, tx], [sn, c, ty]], dtype=np.float64)


def _check_theta(theta: ArrayLike, name: str = "theta") -> np.ndarray:
    arr = as_float_array(theta, name, ndim=(2, 3))
    if arr.shape[-2:] != (2, 3):
        raise ValueError(
            f"`{name}` must have shape (2, 3) or (N, 2, 3); got shape {arr.shape}"
        )
    return arr


def _check_size(size: object) -> tuple[int, ...]:
    message = "`size` must be a tuple (H, W) or (N, C, H, W) of integers >= 1"
    items = ordered_items(size, message, lengths=(2, 4))
    return check_shape(items, "size", length=len(items))


def _base_coordinates(n: int, align_corners: bool) -> np.ndarray:
    """Normalised coordinates of the n pixel centres of one output axis."""
    if n == 1:
        return np.zeros(1)  # torch puts a single pixel at the centre, 0
    i = np.arange(n, dtype=np.float64)
    return pixel_to_normalized(i, n, align_corners=align_corners)


def _base_grid(h: int, w: int, align_corners: bool) -> np.ndarray:
    """(H, W, 3) homogeneous output coordinates (x_t, y_t, 1)."""
    xs = _base_coordinates(w, align_corners)
    ys = _base_coordinates(h, align_corners)
    base = np.ones((h, w, 3))
    base[..., 0] = xs[None, :]
    base[..., 1] = ys[:, None]
    return base


def affine_grid(
    theta: ArrayLike, size: tuple[int, ...], *, align_corners: bool = False
) -> np.ndarray:
    """Source coordinates of every output pixel under an affine map (reverse mapping).

    Parameters
    ----------
    theta : array_like, shape (2, 3) or (N, 2, 3)
        Maps homogeneous output coordinates to input coordinates, both normalised.
    size : tuple of int
        Output size: ``(H, W)``, or torch's ``(N, C, H, W)`` (then ``theta`` must be
        (N, 2, 3) with the same N; C is ignored, as in torch).
    align_corners : bool
        Where the output pixel centres sit in normalised units: from -1 to +1
        (True) or from ``-1 + 1/W`` to ``1 - 1/W`` (False, torch's default).

    Returns
    -------
    numpy.ndarray, shape (H, W, 2) or (N, H, W, 2)
        ``grid[..., i, j, :] = (x_s, y_s)``: where output pixel (i, j) reads, in
        normalised coordinates, **x first** (torch's order). Leading N whenever
        ``theta`` is (N, 2, 3). float32 if ``theta`` is float32, else float64.

    Raises
    ------
    TypeError
        If ``theta`` is not numeric, ``size`` not a tuple or ``align_corners`` not a
        bool.
    ValueError
        If ``theta`` has the wrong shape or is not finite, if ``size`` does not have
        2 or 4 positive entries, or if its N differs from ``theta``'s.

    Notes
    -----
    For output pixel (i, j) with normalised centre (x_t, y_t)::

        [x_s]           [x_t]
        [y_s] = theta @ [y_t]
                        [ 1 ]

    with ``x_t = 2 j / (W - 1) - 1`` (align_corners=True) or
    ``x_t = (2 j + 1) / W - 1`` (False), and the same for ``y_t`` with H. A single
    output pixel sits at 0, as in torch. Equal to
    ``torch.nn.functional.affine_grid`` on the same inputs.

    Examples
    --------
    >>> grid = affine_grid(np.eye(2, 3), (2, 2), align_corners=False)
    >>> grid[..., 0].tolist()  # x of the four output pixels
    [[-0.5, 0.5], [-0.5, 0.5]]
    >>> affine_grid(np.eye(2, 3), (2, 2), align_corners=True)[..., 1].tolist()
    [[-1.0, -1.0], [1.0, 1.0]]
    """
    theta = _check_theta(theta)
    size = _check_size(size)
    align_corners = check_bool(align_corners, "align_corners")
    h, w = size[-2:]
    if len(size) == 4:
        if theta.ndim != 3 or theta.shape[0] != size[0]:
            raise ValueError(
                "`theta` must have shape (N, 2, 3) with N = size[0] = "
                f"{size[0]} when `size` is (N, C, H, W); got shape {theta.shape}"
            )
    base = _base_grid(h, w, align_corners)
    grid = np.einsum("hwk,...ik->...hwi", base, theta.astype(np.float64))
    return np.asarray(grid.astype(theta.dtype, copy=False))


def affine_grid_backward(
    grad_grid: ArrayLike, size: tuple[int, ...], *, align_corners: bool = False
) -> np.ndarray:
    """Gradient of a loss with respect to ``theta``, given its gradient on the grid.

    Parameters
    ----------
    grad_grid : array_like, shape (H, W, 2) or (N, H, W, 2)
        ``dL/dgrid``, as returned by :func:`grid_sample_backward`.
    size : tuple of int
        The ``size`` given to :func:`affine_grid`: ``(H, W)`` or ``(N, C, H, W)``.
    align_corners : bool
        The ``align_corners`` given to :func:`affine_grid`.

    Returns
    -------
    numpy.ndarray, shape (2, 3) or (N, 2, 3)
        ``dL/dtheta``; float32 if ``grad_grid`` is float32, else float64.

    Raises
    ------
    TypeError, ValueError
        For a non-numeric ``grad_grid``, a bad ``size`` or a ``grad_grid`` whose
        shape does not match ``size``.

    Notes
    -----
    The grid is linear in ``theta``: ``grid[h, w, r] = sum_k theta[r, k] b[h, w, k]``
    with ``b = (x_t, y_t, 1)``. Hence
    ``dL/dtheta[r, k] = sum_{h, w} dL/dgrid[h, w, r] * b[h, w, k]``: the
    translation column collects the plain sum of the grid gradient, the other two
    columns weight it by the output coordinates.

    Examples
    --------
    >>> g = np.zeros((2, 2, 2)); g[..., 0] = 1.0  # push every x by +1
    >>> affine_grid_backward(g, (2, 2), align_corners=True).tolist()
    [[0.0, 0.0, 4.0], [0.0, 0.0, 0.0]]
    """
    grad = as_float_array(grad_grid, "grad_grid", ndim=(3, 4))
    size = _check_size(size)
    align_corners = check_bool(align_corners, "align_corners")
    h, w = size[-2:]
    expected = (h, w, 2) if len(size) == 2 and grad.ndim == 3 else (size[0], h, w, 2)
    if len(size) == 2 and grad.ndim == 4:
        expected = (grad.shape[0], h, w, 2)
    if grad.shape != expected:
        raise ValueError(
            f"`grad_grid` must have shape {expected} to match `size` {size}; "
            f"got shape {grad.shape}"
        )
    base = _base_grid(h, w, align_corners)
    out = np.einsum("...hwi,hwk->...ik", grad.astype(np.float64), base)
    return np.asarray(out.astype(grad.dtype, copy=False))


# --------------------------------------------------------------------------------------
# sampling
# --------------------------------------------------------------------------------------
def _check_image_grid(
    image: ArrayLike, grid: ArrayLike
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Validate and return (image as (N, C, H, W), grid as (N, Ho, Wo, 2), single)."""
    # no copies: the samplers only read image and grid
    img = as_float_array(image, "image", ndim=(2, 4), copy=False)
    grd = as_float_array(grid, "grid", ndim=(3, 4), copy=False)
    single = img.ndim == 2
    if single:
        if grd.ndim != 3 or grd.shape[-1] != 2:
            raise ValueError(
                "`grid` must have shape (H_out, W_out, 2) when `image` is (H, W); "
                f"got shape {grd.shape}"
            )
        return img[None, None], grd[None], True
    if grd.ndim != 4 or grd.shape[-1] != 2 or grd.shape[0] != img.shape[0]:
        raise ValueError(
            f"`grid` must have shape (N, H_out, W_out, 2) with N = {img.shape[0]} "
            f"when `image` is (N, C, H, W); got shape {grd.shape}"
        )
    return img, grd, False


def _out_dtype(*arrays: np.ndarray) -> np.dtype:
    if all(a.dtype == np.float32 for a in arrays):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def _taps(
    grid: np.ndarray,
    h: int,
    w: int,
    method: str,
    align_corners: bool,
    padding_mode: str,
) -> dict[str, Any]:
    """Corner indices, weights and the coordinate derivatives of one sampling."""
    x, dx = _source_pixels(grid[..., 0], w, align_corners, padding_mode)
    y, dy = _source_pixels(grid[..., 1], h, align_corners, padding_mode)
    if method == "nearest":
        xi, yi = nearest_index(x), nearest_index(y)
        return {
            "yi": [yi],
            "xi": [xi],
            "w": [np.ones(x.shape)],
            "x": x,
            "y": y,
            "dx": dx,
            "dy": dy,
        }
    x0, x1, wx0, wx1 = linear_weights(x)
    y0, y1, wy0, wy1 = linear_weights(y)
    return {
        # order of the four corners: top-left, top-right, bottom-left, bottom-right
        "yi": [y0, y0, y1, y1],
        "xi": [x0, x1, x0, x1],
        "w": [wy0 * wx0, wy0 * wx1, wy1 * wx0, wy1 * wx1],
        # derivative of each corner weight with respect to x and to y (pixels)
        "dw_dx": [-wy0, wy0, -wy1, wy1],
        "dw_dy": [-wx0, -wx1, wx0, wx1],
        "x": x,
        "y": y,
        "dx": dx,
        "dy": dy,
    }


def _gather(img: np.ndarray, yi: np.ndarray, xi: np.ndarray) -> np.ndarray:
    """img (N, C, H, W) at integer (yi, xi) (N, Ho, Wo): (N, C, Ho, Wo), 0 outside."""
    n_img, _, h, w = img.shape
    valid = (yi >= 0) & (yi < h) & (xi >= 0) & (xi < w)
    n = np.arange(n_img)[:, None, None]
    vals = img[n, :, np.clip(yi, 0, h - 1), np.clip(xi, 0, w - 1)]  # (N, Ho, Wo, C)
    vals = np.moveaxis(vals, -1, 1)
    return np.asarray(vals * valid[:, None])


def _scatter(
    shape: tuple[int, ...], yi: np.ndarray, xi: np.ndarray, contrib: np.ndarray
) -> np.ndarray:
    """Adjoint of :func:`_gather`: add contrib (N, C, Ho, Wo) into an array of shape."""
    n_img, c, h, w = shape
    valid = (yi >= 0) & (yi < h) & (xi >= 0) & (xi < w)
    flat = (np.arange(n_img)[:, None, None] * h + np.clip(yi, 0, h - 1)) * w + np.clip(
        xi, 0, w - 1
    )
    out = np.zeros((n_img * h * w, c))
    contrib = np.moveaxis(contrib * valid[:, None], 1, -1).reshape(-1, c)
    np.add.at(out, flat.ravel(), contrib)
    return np.moveaxis(out.reshape(n_img, h, w, c), -1, 1)


#: Images per block of :func:`_Bilinear`'s loops: about 16384 points, so that the
#: temporaries of one block stay in the processor's cache.
_BLOCK_POINTS = 1 << 14


class _Bilinear:
    """The four corners of bilinear sampling, shared by every channel.

    The images are processed in blocks of whole images, about
    :data:`_BLOCK_POINTS` points each, so that every temporary stays small. The
    images of a block are copied, in the working dtype, into a table padded with
    ``_PAD`` zeros on every side (one buffer, reused: only its interior is
    overwritten), so a corner outside the image reads 0 (and its gradient lands
    in the padding) with no bounds test. The block's grid is converted to pixel
    positions (:func:`_source_pixels`), clamped to ``[-2, n + 1]`` (every corner
    still reads 0 that far out). The corner weights and the flat index of the
    top-left corner are computed once per point and serve all C channels: the
    four corners of channel c are that index into views of the table shifted by
    ``c * hp * wp`` plus 0, 1, ``wp`` and ``wp + 1``. The arithmetic is done in
    ``dtype``: float32 when the inputs are float32 (as torch computes), else
    float64.
    """

    def __init__(
        self,
        img: np.ndarray,
        grd: np.ndarray,
        align_corners: bool,
        padding_mode: str,
        dtype: np.dtype,
    ) -> None:
        n_img, chans, h, w = img.shape
        self.img, self.shape, self.grd = img, img.shape, grd
        self.align_corners, self.padding_mode = align_corners, padding_mode
        self.hp, self.wp = hp, wp = h + 2 * _PAD, w + 2 * _PAD
        self.per = max(1, _BLOCK_POINTS // max(grd.shape[1] * grd.shape[2], 1))
        self.per = min(self.per, n_img)
        self.table = np.zeros((self.per, chans, hp, wp), dtype=dtype)
        flat = self.table.reshape(-1)
        self.shifted = [
            [flat[c * hp * wp + q :] for q in (0, 1, wp, wp + 1)] for c in range(chans)
        ]
        self.dtype = dtype

    def blocks(self) -> range:
        return range(0, self.shape[0], self.per)

    def block(
        self, n0: int
    ) -> tuple[slice, np.ndarray, list[np.ndarray], np.ndarray, np.ndarray]:
        """Images ``n0:n1``: their slice, the top-left index (k, P), the weights
        (1 - tx, tx, 1 - ty, ty) and dx/dg, dy/dg (k, P); fills the table."""
        n1 = min(n0 + self.per, self.shape[0])
        self.table[: n1 - n0, :, _PAD:-_PAD, _PAD:-_PAD] = self.img[n0:n1]
        _, _, h, w = self.shape
        xb, dx = self._pixels(self.grd[n0:n1, ..., 0], w)
        yb, dy = self._pixels(self.grd[n0:n1, ..., 1], h)
        fx, fy = np.floor(xb), np.floor(yb)
        tx, ty = xb - fx, yb - fy
        one = self.dtype.type(1.0)
        # pixel (0, 0) of each image's first channel, in the flat table: (k, 1)
        first = np.arange(n1 - n0, dtype=np.intp)[:, None] * (self.shape[1] * self.hp)
        base = fy.astype(np.intp) * self.wp + fx.astype(np.intp)
        base += (first + _PAD) * self.wp + _PAD
        weights = [one - tx, tx, one - ty, ty]
        return slice(n0, n1), base, weights, dx, dy

    def _pixels(self, g: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Positions (k, P) in the working dtype, clamped to [-2, n + 1], and dx/dg.

        For a float32 grid with zero padding this is :func:`_unnormalize`'s float32
        rule written out (the product and the shift are exact in float64, then
        one rounding), with the clamp done before that rounding (the same result:
        rounding is monotonic and both ends are float32 numbers); dx/dg is then the
        constant scale.
        """
        k = g.shape[0]
        if self.padding_mode == "zeros" and g.dtype == np.float32:
            scale = (n - 1) / 2.0 if self.align_corners else n / 2.0
            t = (g + np.float32(1.0)).astype(np.float64).reshape(k, -1)
            t *= scale
            if not self.align_corners:
                t -= 0.5
            np.clip(t, -2.0, n + 1.0, out=t)
            return t.astype(self.dtype), np.asarray(scale)
        x, dx = _source_pixels(g, n, self.align_corners, self.padding_mode)
        x = np.clip(x.reshape(k, -1), -2.0, n + 1.0)
        return x.astype(self.dtype, copy=False), dx.reshape(x.shape)

    def values(
        self, base: np.ndarray, chan: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Channel ``chan`` at the four corners (top-left, top-right, bottom-left, ...)."""
        # indices are always inside the table: "clip" only skips the bounds test
        v00, v01, v10, v11 = (np.take(s, base, mode="clip") for s in self.shifted[chan])
        return v00, v01, v10, v11


def _bilinear_sample(
    img: np.ndarray,
    grd: np.ndarray,
    align_corners: bool,
    padding_mode: str,
    dtype: np.dtype,
) -> np.ndarray:
    """Bilinear ``img`` (N, C, H, W) at ``grd`` (N, Ho, Wo, 2): (N, C, Ho * Wo)."""
    taps = _Bilinear(img, grd, align_corners, padding_mode, dtype)
    out = np.empty((*img.shape[:2], grd.shape[1] * grd.shape[2]), dtype=dtype)
    for n0 in taps.blocks():
        rows, base, (ux, tx, uy, ty), _, _ = taps.block(n0)
        for chan in range(img.shape[1]):
            v00, v01, v10, v11 = taps.values(base, chan)
            # the order of sample_pixels: each row along x, then the rows along y
            v00 *= ux
            v01 *= tx
            v00 += v01
            v00 *= uy
            v10 *= ux
            v11 *= tx
            v10 += v11
            v10 *= ty
            v00 += v10
            out[rows, chan] = v00
    return out


def _bilinear_backward(
    img: np.ndarray,
    grd: np.ndarray,
    g: np.ndarray,
    align_corners: bool,
    padding_mode: str,
    dtype: np.dtype,
) -> tuple[np.ndarray, np.ndarray]:
    """Bilinear ``dL/dU`` (N, C, H, W) and ``dL/dgrid`` (N, Ho, Wo, 2), in dtype.

    ``g`` is ``dL/dV`` as (N, C, Ho * Wo); the arithmetic is done in its dtype.
    """
    taps = _Bilinear(img, grd, align_corners, padding_mode, g.dtype)
    n_img, chans, h, w = img.shape
    hp, wp = taps.hp, taps.wp
    grad_image = np.empty(img.shape, dtype=dtype)
    grad_grid = np.empty(grd.shape, dtype=dtype)
    # offset of each (channel, corner) from a point's top-left index: (C, 4, 1)
    corner = np.array([0, 1, wp, wp + 1], dtype=np.intp)
    offsets = (np.arange(chans, dtype=np.intp)[:, None] * (hp * wp) + corner)[..., None]
    for n0 in taps.blocks():
        rows, base, (ux, tx, uy, ty), dx, dy = taps.block(n0)
        k = rows.stop - n0
        gb = g[rows]  # (k, C, P)
        weights = np.stack([uy * ux, uy * tx, ty * ux, ty * tx], axis=1)  # (k, 4, P)
        # dL/dU: every output gradient scattered to the corners it read, with their
        # weights, in one bincount (the fast form of np.add.at) over the block,
        # which holds whole images; the padding is cropped
        index = base[:, None, None, :] + offsets  # (k, C, 4, P)
        contrib = gb[:, :, None, :] * weights[:, None, :, :]
        size = k * chans * hp * wp
        padded = np.bincount(index.ravel(), contrib.ravel(), minlength=size)
        padded = padded.reshape(k, chans, hp, wp)
        grad_image[rows] = padded[..., _PAD:-_PAD, _PAD:-_PAD]
        # dL/dx and dL/dy: the derivative of the bilinear formula inside the cell
        # [x0, x0 + 1), from the right at a pixel centre (as torch's floor-based
        # formula), summed over the channels, which all read at the same point
        grad_x, grad_y = np.empty_like(ux), np.empty_like(ux)
        for chan in range(chans):
            v00, v01, v10, v11 = taps.values(base, chan)
            dv_dx = uy * (v01 - v00) + ty * (v11 - v10)
            dv_dy = ux * (v10 - v00) + tx * (v11 - v01)
            dv_dx *= gb[:, chan]
            dv_dy *= gb[:, chan]
            if chan == 0:
                grad_x[...], grad_y[...] = dv_dx, dv_dy
            else:
                grad_x += dv_dx
                grad_y += dv_dy
        # the chain rule through the unnormalisation (and the padding's fold)
        grad_grid[rows, ..., 0] = (grad_x * dx).reshape(grad_grid[rows, ..., 0].shape)
        grad_grid[rows, ..., 1] = (grad_y * dy).reshape(grad_grid[rows, ..., 1].shape)
    return grad_image, grad_grid


def grid_sample(
    image: ArrayLike,
    grid: ArrayLike,
    *,
    method: SampleMethod = "bilinear",
    align_corners: bool = False,
    padding_mode: PaddingMode = "zeros",
) -> np.ndarray:
    """Read an image at the normalised coordinates of a grid (reverse mapping).

    Parameters
    ----------
    image : array_like, shape (H, W) or (N, C, H, W)
        The input ``U``; finite.
    grid : array_like, shape (H_out, W_out, 2) or (N, H_out, W_out, 2)
        Where each output pixel reads, normalised, last axis ``(x, y)`` as in
        :func:`affine_grid`. The first form goes with an (H, W) image.
    method : {"bilinear", "nearest"}
        Bilinear: four corners weighted by opposite areas. Nearest: the closest
        pixel, ties rounded up (``floor(x + 0.5)``), the book's rule; torch rounds
        exact ties to even, which only matters exactly half-way between pixels.
    align_corners : bool
        See :func:`normalized_to_pixel`.
    padding_mode : {"zeros", "border", "reflection"}
        What a read outside the image returns: 0, the nearest edge pixel, or the
        mirror image (see :func:`source_pixels`).

    Returns
    -------
    numpy.ndarray, shape (H_out, W_out) or (N, C, H_out, W_out)
        The sampled output ``V``; float32 if both inputs are float32, else float64.

    Raises
    ------
    TypeError
        If ``image`` or ``grid`` is not numeric or ``align_corners`` is not a bool.
    ValueError
        If a shape is wrong (see above), an input is not finite, or ``method`` /
        ``padding_mode`` is not one of the allowed names.

    Notes
    -----
    With source position ``(x_i, y_i)`` in pixels (see :func:`source_pixels`),
    bilinear sampling is (Jaderberg et al. 2015, eq. 5)

    .. math::

        V_i = \\sum_n \\sum_m U_{nm} \\max(0, 1 - |x_i - m|) \\max(0, 1 - |y_i - n|)

    a sum over the corners ``m in {floor(x_i), floor(x_i) + 1}`` and
    ``n in {floor(y_i), floor(y_i) + 1}`` of the image times two triangle
    kernels; corners outside the image read 0. Bilinear results equal
    ``torch.nn.functional.grid_sample(mode="bilinear")`` for every
    ``align_corners`` and ``padding_mode``.

    Examples
    --------
    >>> image = np.array([[0.0, 1.0], [2.0, 3.0]])
    >>> grid = np.array([[[0.0, 0.0], [-1.0, -1.0]]])  # centre, top-left corner
    >>> grid_sample(image, grid, align_corners=True).tolist()
    [[1.5, 0.0]]
    >>> grid_sample(image, grid, align_corners=False).tolist()
    [[1.5, 0.0]]
    >>> grid_sample(image, np.array([[[1.0, 1.0]]]), align_corners=False).tolist()
    [[0.75]]
    """
    img, grd, single = _check_image_grid(image, grid)
    method = check_choice(method, "method", SAMPLE_METHODS)
    align_corners = check_bool(align_corners, "align_corners")
    padding_mode = check_choice(padding_mode, "padding_mode", PADDING_MODES)
    n_img, chans, h, w = img.shape
    dtype = _out_dtype(img, grd)
    if method == "bilinear":
        out = _bilinear_sample(img, grd, align_corners, padding_mode, dtype)
    else:
        x, _ = _source_pixels(grd[..., 0], w, align_corners, padding_mode)
        y, _ = _source_pixels(grd[..., 1], h, align_corners, padding_mode)
        x, y = x.reshape(n_img, -1), y.reshape(n_img, -1)
        out = sample_pixels(img, y, x, method, 0.0, "zeros", dtype.type)
    out = out.reshape(n_img, chans, *grd.shape[1:3])
    return out[0, 0] if single else out


def sampling_matrix(
    grid: ArrayLike,
    image_shape: tuple[int, int],
    *,
    method: SampleMethod = "bilinear",
    align_corners: bool = False,
    padding_mode: PaddingMode = "zeros",
) -> np.ndarray:
    """The sampler as a matrix: ``V.ravel() = M @ U.ravel()``, so ``M = dV/dU``.

    The sampler is linear in the image, so for a fixed grid this one matrix is its
    Jacobian with respect to every image ``U``.

    Parameters
    ----------
    grid : array_like, shape (H_out, W_out, 2)
        Normalised sampling coordinates, last axis ``(x, y)``.
    image_shape : tuple of int
        ``(H, W)`` of the image that will be sampled.
    method, align_corners, padding_mode
        As in :func:`grid_sample`.

    Returns
    -------
    numpy.ndarray of float64, shape (H_out * W_out, H * W)
        Row ``i`` holds the weights with which output pixel ``i`` (row-major) reads
        every input pixel: at most 4 non-zeros (1 for nearest), summing to 1 when
        all the corners lie inside the image.

    Raises
    ------
    TypeError, ValueError
        As in :func:`grid_sample`, and for an ``image_shape`` that is not two
        positive integers.

    Notes
    -----
    ``V`` is linear in ``U``, so its Jacobian is this constant matrix and
    ``dL/dU = M.T @ dL/dV``: the backward pass *scatters* each output gradient to
    the corners it read, with the same weights.

    Examples
    --------
    >>> m = sampling_matrix(np.array([[[0.0, 0.0]]]), (2, 2), align_corners=True)
    >>> m.tolist()
    [[0.25, 0.25, 0.25, 0.25]]
    """
    grd = as_float_array(grid, "grid", ndim=3, dtype=np.float64)
    if grd.shape[-1] != 2:
        raise ValueError(
            f"`grid` must have shape (H_out, W_out, 2); got shape {grd.shape}"
        )
    h, w = check_shape(image_shape, "image_shape", length=2)
    method = check_choice(method, "method", SAMPLE_METHODS)
    align_corners = check_bool(align_corners, "align_corners")
    padding_mode = check_choice(padding_mode, "padding_mode", PADDING_MODES)
    taps = _taps(grd[None], h, w, method, align_corners, padding_mode)
    n_out = grd.shape[0] * grd.shape[1]
    m = np.zeros((n_out, h * w))
    rows = np.arange(n_out)
    for yi, xi, wt in zip(taps["yi"], taps["xi"], taps["w"], strict=True):
        yi, xi, wt = yi.ravel(), xi.ravel(), wt.ravel()
        valid = (yi >= 0) & (yi < h) & (xi >= 0) & (xi < w)
        np.add.at(m, (rows[valid], yi[valid] * w + xi[valid]), wt[valid])
    return m


def grid_sample_backward(
    image: ArrayLike,
    grid: ArrayLike,
    grad_output: ArrayLike | None = None,
    *,
    method: SampleMethod = "bilinear",
    align_corners: bool = False,
    padding_mode: PaddingMode = "zeros",
) -> tuple[np.ndarray, np.ndarray]:
    """Analytic gradients of :func:`grid_sample` with respect to image and grid.

    Parameters
    ----------
    image, grid
        As in :func:`grid_sample`.
    grad_output : array_like or None
        ``dL/dV``, the shape of the output of :func:`grid_sample`. None means all
        ones, i.e. the gradients of ``L = V.sum()``.
    method, align_corners, padding_mode
        As in :func:`grid_sample`.

    Returns
    -------
    grad_image : numpy.ndarray, shape of ``image``
        ``dL/dU = sum_i dL/dV_i * w_i(U_nm)``: each output gradient scattered to the
        corners it read, with the bilinear (or nearest) weights.
    grad_grid : numpy.ndarray, shape of ``grid``
        ``dL/dgrid`` in normalised units, last axis (x, y). Zero for
        ``method="nearest"``: moving a sample point a little does not change which
        pixel it reads.
    Both are float32 if ``image`` and ``grid`` are float32, else float64.

    Raises
    ------
    TypeError, ValueError
        As in :func:`grid_sample`, and if ``grad_output`` has the wrong shape.

    Notes
    -----
    With corner weights ``w = (1 - |x - m|)(1 - |y - n|)`` and ``x0 = floor(x)``,
    ``y0 = floor(y)``, ``a = x - x0``, ``b = y - y0``:

    .. math::

        \\frac{\\partial V}{\\partial x} = (1 - b)(U_{y_0, x_0+1} - U_{y_0, x_0})
            + b\\,(U_{y_0+1, x_0+1} - U_{y_0+1, x_0})

    and symmetrically for ``y``. ``V`` is piecewise linear in ``x`` with kinks at
    the integers (pixel centres); there the formula, which uses the corners
    ``floor(x)`` and ``floor(x) + 1``, returns the derivative from the right, as
    torch does. The chain rule then multiplies by ``dx/dg`` from
    :func:`source_pixels` (``(W - 1)/2`` or ``W/2``, zeroed where padding clamps
    and sign-flipped where it reflects). The results equal ``torch.autograd``
    through ``torch.nn.functional.grid_sample``.

    Examples
    --------
    >>> image = np.array([[0.0, 1.0], [2.0, 3.0]])  # rises 1 per pixel in x, 2 in y
    >>> grid = np.array([[[0.0, 0.0]]])
    >>> g_image, g_grid = grid_sample_backward(image, grid, align_corners=True)
    >>> g_image.tolist(), g_grid.tolist()  # dx/dg = dy/dg = (2 - 1) / 2
    ([[0.25, 0.25], [0.25, 0.25]], [[[0.5, 1.0]]])
    """
    img, grd, single = _check_image_grid(image, grid)
    method = check_choice(method, "method", SAMPLE_METHODS)
    align_corners = check_bool(align_corners, "align_corners")
    padding_mode = check_choice(padding_mode, "padding_mode", PADDING_MODES)
    n_img, c, h, w = img.shape
    out_shape = (n_img, c, *grd.shape[1:3])
    shown_shape = out_shape[2:] if single else out_shape
    dtype = _out_dtype(img, grd)
    if grad_output is None:
        gout = np.ones(out_shape, dtype=dtype)
    else:
        gout = as_float_array(grad_output, "grad_output")
        if gout.shape != shown_shape:
            raise ValueError(
                f"`grad_output` must have the output's shape {shown_shape}; "
                f"got shape {gout.shape}"
            )
        gout = gout.reshape(out_shape)
    # float32 arithmetic only when every input is float32 (as torch computes)
    work = _out_dtype(img, grd, gout)
    g = gout.reshape(n_img, c, -1).astype(work, copy=False)
    if method == "bilinear":
        grad_image, grad_grid = _bilinear_backward(
            img, grd, g, align_corners, padding_mode, dtype
        )
    else:
        x, _ = _source_pixels(grd[..., 0], w, align_corners, padding_mode)
        y, _ = _source_pixels(grd[..., 1], h, align_corners, padding_mode)
        x, y = x.reshape(n_img, -1), y.reshape(n_img, -1)
        grad_image = _nearest_backward(img.shape, x, y, g)
        grad_grid = np.zeros(grd.shape)
    if single:
        grad_image, grad_grid = grad_image[0, 0], grad_grid[0]
    return grad_image.astype(dtype, copy=False), grad_grid.astype(dtype, copy=False)


def _nearest_backward(
    shape: tuple[int, ...], x: np.ndarray, y: np.ndarray, g: np.ndarray
) -> np.ndarray:
    """``dL/dU`` (N, C, H, W) of nearest sampling at pixel positions (N, P)."""
    n_img, c, h, w = shape
    # far outside, every pixel read is 0 either way (and the gradients are 0)
    x = np.clip(x, -2.0, w + 1.0)
    y = np.clip(y, -2.0, h + 1.0)
    # the image padded with _PAD zeros, flat: a pixel outside gets its gradient in
    # the padding (cropped below), with no bounds test
    hp, wp = h + 2 * _PAD, w + 2 * _PAD
    # index of pixel (0, 0) of every (image, channel): (N, C, 1)
    plane = (np.arange(n_img)[:, None, None] * c + np.arange(c)[:, None]) * (hp * wp)
    plane += _PAD * wp + _PAD
    rows = np.floor(y + 0.5).astype(np.intp)
    cols = np.floor(x + 0.5).astype(np.intp)
    index = (plane + (rows * wp + cols)[:, None, :]).ravel()
    # each output gradient added to the pixel it read (bincount is the fast form
    # of np.add.at)
    grad = np.bincount(index, g.ravel(), minlength=n_img * c * hp * wp)
    return grad.reshape(n_img, c, hp, wp)[..., _PAD:-_PAD, _PAD:-_PAD]


# --------------------------------------------------------------------------------------
# the end-to-end demo: a seeded pattern, gradient descent on theta, and widget frames
# --------------------------------------------------------------------------------------
def make_pattern(
    size: int = 32,
    *,
    seed: int = 0,
    n_blobs: int = 4,
    theta: ArrayLike | None = None,
    align_corners: bool = False,
) -> np.ndarray:
    """A smooth, asymmetric test image: a seeded sum of Gaussian blobs.

    The pattern is a continuous function ``f(x, y)`` of normalised coordinates; the
    image holds ``f`` at the pixel centres. Given ``theta`` it holds ``f`` at the
    points of ``affine_grid(theta, (size, size))`` instead: the *exact* view of the
    pattern through that transform, with no interpolation involved, which makes it
    a clean target for recovering ``theta``.

    Parameters
    ----------
    size : int
        Height and width in pixels, ``size >= 2``.
    seed : int
        Seed of the generator that places the blobs.
    n_blobs : int
        Number of blobs, ``>= 1``.
    theta : array_like, shape (2, 3), optional
        View the pattern through this affine map (default: the identity).
    align_corners : bool
        Where the pixel centres sit in normalised units (see :func:`affine_grid`).

    Returns
    -------
    numpy.ndarray of float64, shape (size, size)
        Values in [0, 1] (the maximum over the identity view is 1).

    Raises
    ------
    TypeError, ValueError
        For a bad ``size``, ``seed``, ``n_blobs``, ``theta`` or ``align_corners``.

    Notes
    -----
    ``f(x, y) = sum_k a_k exp(-((x - cx_k)^2 + (y - cy_k)^2) / (2 s_k^2))`` with
    centres within 0.45 of the middle, widths ``s_k`` in [0.12, 0.22] and
    amplitudes in [0.4, 1] (normalised units), divided by the maximum over the
    pixel centres of the identity view.

    Examples
    --------
    >>> image = make_pattern(16, seed=0)
    >>> image.shape, float(image.max())
    ((16, 16), 1.0)
    """
    size = check_positive_int(size, "size", minimum=2)
    seed = check_positive_int(seed, "seed", minimum=0)
    n_blobs = check_positive_int(n_blobs, "n_blobs")
    align_corners = check_bool(align_corners, "align_corners")
    rng = np.random.default_rng(seed)
    radius = 0.45 * np.sqrt(rng.uniform(0.0, 1.0, n_blobs))
    angle = rng.uniform(0.0, 2.0 * np.pi, n_blobs)
    cx, cy = radius * np.cos(angle), radius * np.sin(angle)
    sigma = rng.uniform(0.12, 0.22, n_blobs)
    amp = rng.uniform(0.4, 1.0, n_blobs)

    def f(grid: np.ndarray) -> np.ndarray:
        x, y = grid[..., 0, None], grid[..., 1, None]
        d2 = (x - cx) ** 2 + (y - cy) ** 2
        return np.asarray(np.sum(amp * np.exp(-d2 / (2.0 * sigma**2)), axis=-1))

    identity = affine_grid(np.eye(2, 3), (size, size), align_corners=align_corners)
    peak = f(identity).max()
    if theta is None:
        return np.asarray(f(identity) / peak)
    theta = _check_theta(theta).astype(np.float64)
    if theta.shape != (2, 3):
        raise ValueError(f"`theta` must have shape (2, 3); got shape {theta.shape}")
    grid = affine_grid(theta, (size, size), align_corners=align_corners)
    return np.asarray(f(grid) / peak)


def fit_affine(
    moving: ArrayLike,
    template: ArrayLike,
    *,
    steps: int = 150,
    lr: float = 0.05,
    optimizer: Literal["adam", "sgd"] = "adam",
    theta0: ArrayLike | None = None,
    align_corners: bool = False,
    padding_mode: PaddingMode = "zeros",
) -> dict[str, Any]:
    """Recover ``theta`` by gradient descent so that the warped ``moving`` matches.

    Minimises ``L(theta) = mean((grid_sample(moving, affine_grid(theta)) -
    template)^2)`` by gradient descent, using only this module's analytic
    gradients (no autograd).

    Parameters
    ----------
    moving : array_like, shape (H, W)
        The image to warp.
    template : array_like, shape (H, W)
        The image to match; the output grid has its size.
    steps : int
        Number of gradient steps, ``>= 1``.
    lr : float
        Learning rate, ``> 0``.
    optimizer : {"adam", "sgd"}
        ``"sgd"``: plain steps ``theta <- theta - lr * g``. ``"adam"`` (default):
        Adam with torch's defaults (betas 0.9 and 0.999, eps 1e-8), step for step
        the update of ``torch.optim.Adam``. Adam rescales each of the six entries
        by its own gradient history; plain steps crawl here, because the loss
        changes far more slowly along rotation and shear than along translation.
    theta0 : array_like, shape (2, 3), optional
        Starting point (default: the identity).
    align_corners, padding_mode
        As in :func:`grid_sample`.

    Returns
    -------
    dict
        ``theta``: (steps + 1, 2, 3) every iterate, the first being ``theta0``;
        ``loss``: (steps + 1,) the loss at each iterate; ``grad``: (steps + 1, 2, 3)
        the gradient at each iterate. All float64.

    Raises
    ------
    TypeError, ValueError
        For inputs of the wrong kind, shape or value.

    Notes
    -----
    The chain rule, step by step, with ``V = grid_sample(moving, grid)`` and
    ``grid = affine_grid(theta)``: ``dL/dV = 2 (V - template) / P`` (P pixels);
    ``dL/dgrid`` from :func:`grid_sample_backward`; ``dL/dtheta`` from
    :func:`affine_grid_backward`; then the optimiser's update of ``theta``.

    At the identity ``theta`` every sampling point sits exactly on a pixel centre,
    a kink of the bilinear sampler, where the gradient is one-sided and depends on
    the last bit of rounding of the grid. To compare a run with another
    implementation (torch), start elsewhere, e.g. ``affine_theta(scale=0.95)``.

    Examples
    --------
    >>> template = make_pattern(16, seed=1)
    >>> moving = make_pattern(16, seed=1, theta=affine_theta(tx=0.1))
    >>> fit = fit_affine(moving, template, steps=100, optimizer="sgd", lr=1.0)
    >>> bool(fit["loss"][-1] < 0.01 * fit["loss"][0])
    True
    """
    mov = as_float_array(moving, "moving", ndim=2, dtype=np.float64)
    tmpl = as_float_array(template, "template", ndim=2, dtype=np.float64)
    steps = check_positive_int(steps, "steps")
    lr = check_finite_float(lr, "lr")
    if lr <= 0.0:
        raise ValueError(f"`lr` must be a positive real number; got {lr!r}")
    optimizer = check_choice(optimizer, "optimizer", ("adam", "sgd"))
    align_corners = check_bool(align_corners, "align_corners")
    padding_mode = check_choice(padding_mode, "padding_mode", PADDING_MODES)
    if tmpl.shape != mov.shape:
        raise ValueError(
            f"`template` must have the shape of `moving` {mov.shape}; "
            f"got shape {tmpl.shape}"
        )
    if theta0 is None:
        theta = np.eye(2, 3)
    else:
        theta = _check_theta(theta0, "theta0").astype(np.float64)
        if theta.shape != (2, 3):
            raise ValueError(
                f"`theta0` must have shape (2, 3); got shape {theta.shape}"
            )
    size = tmpl.shape
    thetas, losses, grads = [], [], []
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    m1, m2 = np.zeros((2, 3)), np.zeros((2, 3))
    for step in range(steps + 1):
        grid = affine_grid(theta, size, align_corners=align_corners)
        out = grid_sample(
            mov, grid, align_corners=align_corners, padding_mode=padding_mode
        )
        resid = out - tmpl
        loss = float(np.mean(resid**2))
        _, g_grid = grid_sample_backward(
            mov,
            grid,
            2.0 * resid / resid.size,
            align_corners=align_corners,
            padding_mode=padding_mode,
        )
        g_theta = affine_grid_backward(g_grid, size, align_corners=align_corners)
        thetas.append(theta.copy())
        losses.append(loss)
        grads.append(g_theta)
        if step == steps:
            break
        if optimizer == "sgd":
            theta = theta - lr * g_theta
        else:  # Adam, written as torch.optim.Adam computes it
            t = step + 1
            m1 = beta1 * m1 + (1.0 - beta1) * g_theta
            m2 = beta2 * m2 + (1.0 - beta2) * g_theta**2
            denom = np.sqrt(m2) / np.sqrt(1.0 - beta2**t) + eps
            theta = theta - (lr / (1.0 - beta1**t)) * m1 / denom
    return {
        "theta": np.array(thetas),
        "loss": np.array(losses),
        "grad": np.array(grads),
    }


def affine_frame(
    image: ArrayLike,
    theta: ArrayLike,
    *,
    output_shape: tuple[int, int] | None = None,
    align_corners: bool = False,
    padding_mode: PaddingMode = "zeros",
    method: SampleMethod = "bilinear",
) -> dict[str, Any]:
    """Everything a picture of one spatial-transformer sampling needs.

    The pure first layer of Chapter 7's widget: the static animation and the live
    sliders both call it and hand the result to
    :func:`lesson_utils.widgets.ch07.draw_affine`.

    Parameters
    ----------
    image : array_like, shape (H, W)
        The input.
    theta : array_like, shape (2, 3)
        The affine map (output to input, normalised).
    output_shape : tuple of int, optional
        ``(H_out, W_out)``; default the input's shape.
    align_corners, padding_mode, method
        As in :func:`grid_sample`.

    Returns
    -------
    dict
        ``theta`` (2, 3); ``grid`` (H_out, W_out, 2) normalised; ``x``, ``y``
        (H_out, W_out) the source positions in input *pixels* before padding (where
        the sampling points land on the input); ``outline`` (5, 2) the (x, y) pixel
        positions of the output's four outer corners and the first again (a closed
        polygon); ``output`` (H_out, W_out) the sampled image.

    Raises
    ------
    TypeError, ValueError
        As in :func:`affine_grid` and :func:`grid_sample`.

    Examples
    --------
    >>> f = affine_frame(np.zeros((4, 4)), np.eye(2, 3))
    >>> f["outline"].tolist()  # outer edges of the 4 x 4 image
    [[-0.5, -0.5], [3.5, -0.5], [3.5, 3.5], [-0.5, 3.5], [-0.5, -0.5]]
    """
    img = as_float_array(image, "image", ndim=2, dtype=np.float64)
    theta = _check_theta(theta).astype(np.float64)
    if theta.shape != (2, 3):
        raise ValueError(f"`theta` must have shape (2, 3); got shape {theta.shape}")
    if output_shape is None:
        output_shape = img.shape
    h_out, w_out = check_shape(output_shape, "output_shape", length=2)
    align_corners = check_bool(align_corners, "align_corners")
    h, w = img.shape
    grid = affine_grid(theta, (h_out, w_out), align_corners=align_corners)
    output = grid_sample(
        img, grid, method=method, align_corners=align_corners, padding_mode=padding_mode
    )
    # the output's outer corners: normalised +-1 when align_corners is False, and
    # half a pixel beyond the corner centres when it is True
    ex = 1.0 if not align_corners else 1.0 + (2.0 / (w_out - 1) / 2 if w_out > 1 else 0)
    ey = 1.0 if not align_corners else 1.0 + (2.0 / (h_out - 1) / 2 if h_out > 1 else 0)
    corners = np.array([[-ex, -ey, 1], [ex, -ey, 1], [ex, ey, 1], [-ex, ey, 1]])
    src = corners @ theta.T
    outline = np.stack(
        [
            _unnormalize(src[:, 0], w, align_corners)[0],
            _unnormalize(src[:, 1], h, align_corners)[0],
        ],
        axis=-1,
    )
    return {
        "theta": theta,
        "grid": grid,
        "x": _unnormalize(grid[..., 0], w, align_corners)[0],
        "y": _unnormalize(grid[..., 1], h, align_corners)[0],
        "outline": np.vstack([outline, outline[:1]]),
        "output": output,
    }
