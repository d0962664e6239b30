"""Sampling and 1-D interpolation.

Introduced in Chapter 1 ("Sampling and 1-D interpolation"); the cubic method is
derived in Chapter 4. Every other module of :mod:`lesson_utils` builds on
:func:`tap_weights`: 2-D interpolation and resizing are 1-D interpolation applied
once per axis.

Convention: a signal of ``n`` samples has its samples at positions
``0, 1, ..., n - 1``::

    values:   v0      v1      v2      v3
    position: 0 ----- 1 ----- 2 ----- 3
                          ^
                          x = 1.25 reads v1 (weight 0.75) and v2 (weight 0.25)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import kernels
from ._types import EDGES, METHODS_1D, Edge, Method1D
from ._validate import (
    as_float_array,
    check_choice,
    check_finite_float,
    check_finite_result,
)

__all__ = [
    "METHODS",
    "EDGES",
    "lerp",
    "linear_weights",
    "nearest_index",
    "tap_weights",
    "sample_1d",
    "linear_frame",
]

#: The 1-D methods, in the order of :data:`lesson_utils._types.METHODS_1D`.
METHODS = METHODS_1D


def lerp(v0: ArrayLike, v1: ArrayLike, t: ArrayLike) -> np.ndarray:
    """Linear interpolation between two values: ``(1 - t) * v0 + t * v1``.

    Parameters
    ----------
    v0, v1 : array_like
        The values at the left (``t = 0``) and right (``t = 1``) ends.
    t : array_like
        Fraction of the way from ``v0`` to ``v1``; usually in [0, 1].

    Returns
    -------
    numpy.ndarray
        The interpolated values (broadcast shape of the inputs), float64.

    Notes
    -----
    Written as ``(1 - t) * v0 + t * v1`` so that each value's weight is the
    distance to the *other* end: ``t = 0`` gives ``v0`` exactly and ``t = 1`` gives
    ``v1`` exactly.

    Examples
    --------
    >>> lerp(2.0, 6.0, 0.25).item()
    3.0
    """
    v0 = as_float_array(v0, "v0", min_size=0, dtype=np.float64)
    v1 = as_float_array(v1, "v1", min_size=0, dtype=np.float64)
    t = as_float_array(t, "t", min_size=0, dtype=np.float64)
    return np.asarray((1.0 - t) * v0 + t * v1)


def linear_weights(
    x: ArrayLike,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Neighbours of ``x`` and their linear-interpolation weights.

    Parameters
    ----------
    x : array_like
        Sample positions (any shape), finite.

    Returns
    -------
    i0, i1 : numpy.ndarray of int64
        ``floor(x)`` and ``floor(x) + 1``, same shape as ``x``.
    w0, w1 : numpy.ndarray of float64
        ``w0 = i1 - x`` and ``w1 = x - i0``: each neighbour's weight is the distance
        from ``x`` to the *opposite* neighbour. Both lie in [0, 1] and sum to 1.

    Notes
    -----
    ``floor(x) + 1`` is used instead of ``ceil(x)``: at an integer ``x`` the two are
    different (``ceil(2) = 2``), and ``ceil`` would give two equal neighbours and a
    line through them with an undefined slope.

    Examples
    --------
    >>> i0, i1, w0, w1 = linear_weights(2.7)
    >>> int(i0), int(i1), round(float(w0), 10), round(float(w1), 10)
    (2, 3, 0.3, 0.7)
    """
    x = _positions(x, "x")
    i0f = np.floor(x)
    w1 = x - i0f
    w0 = 1.0 - w1
    i0 = i0f.astype(np.intp)
    return i0, i0 + 1, w0, w1


def nearest_index(x: ArrayLike) -> np.ndarray:
    """Index of the nearest sample, rounding ties *up*: ``floor(x + 0.5)``.

    Parameters
    ----------
    x : array_like
        Sample positions, finite.

    Returns
    -------
    numpy.ndarray of int64
        Same shape as ``x``.

    Notes
    -----
    At a tie (``x = 1.5``) both neighbours are equally near, so a rule must decide.
    This one rounds towards +infinity, like torch's ``"nearest-exact"``; numpy's
    ``np.round`` rounds ties to the even neighbour (``np.round(0.5) = 0``,
    ``np.round(1.5) = 2``), which would make equally spaced outputs jump unevenly.

    Examples
    --------
    >>> nearest_index([0.4, 0.5, 1.5, 2.5, -0.5]).tolist()
    [0, 1, 2, 3, 0]
    """
    x = _positions(x, "x")
    return np.floor(x + 0.5).astype(np.intp)


def tap_weights(
    x: ArrayLike, *, method: Method1D = "linear", a: float = -0.5
) -> tuple[np.ndarray, np.ndarray]:
    """Which samples each position reads (its taps) and with which weights.

    Parameters
    ----------
    x : array_like
        Sample positions, any shape ``S``, finite.
    method : {"nearest", "linear", "cubic"}
        Nearest reads 1 sample, linear 2, cubic (Keys) 4.
    a : float
        Parameter of the Keys cubic kernel; used only by ``"cubic"``.

    Returns
    -------
    indices : numpy.ndarray of int64, shape ``S + (taps,)``
        Sample indices, possibly outside ``0 .. n - 1`` (the caller applies the edge
        rule).
    weights : numpy.ndarray of float64, shape ``S + (taps,)``
        Kernel values ``k(x - index)``; they sum to 1 along the last axis.

    Examples
    --------
    >>> idx, w = tap_weights([1.25], method="cubic", a=-0.5)
    >>> idx.tolist(), w.round(6).tolist()
    ([[0, 1, 2, 3]], [[-0.070312, 0.867188, 0.226562, -0.023438]])
    """
    x = _positions(x, "x")
    method = check_choice(method, "method", METHODS)
    a = check_finite_float(a, "a")
    return _taps(x, method, a)


def _taps(
    x: NDArray[Any], method: Method1D, a: float
) -> tuple[NDArray[Any], NDArray[Any]]:
    """:func:`tap_weights` on a validated float64 ``x`` (``|x| < 2**62``)."""
    if method == "nearest":
        idx = np.floor(x + 0.5).astype(np.intp)[..., None]
        return idx, np.ones(idx.shape, dtype=np.float64)
    floor = np.floor(x)
    frac = x - floor  # exact, in [0, 1)
    base = floor.astype(np.intp)[..., None]
    if method == "linear":
        return base + np.arange(2, dtype=np.intp), np.stack([1.0 - frac, frac], -1)
    return base + np.arange(-1, 3, dtype=np.intp), kernels._keys_taps(frac, a)


#: Positions are limited to this size so that ``floor(x) + 2`` fits an index on a
#: 64-bit platform; :func:`sample_1d` and :func:`lesson_utils.interp2d.sample_2d`
#: clamp positions far outside the signal first and accept any finite position.
MAX_POSITION = 2.0**62


def _positions(x: ArrayLike, name: str) -> NDArray[Any]:
    """``x`` as float64, finite and within +-:data:`MAX_POSITION`."""
    arr = as_float_array(x, name, min_size=0, dtype=np.float64)
    if arr.size and float(np.max(np.abs(arr))) >= MAX_POSITION:
        raise ValueError(
            f"`{name}` must lie within +-2**62 to give an index; got a position of "
            f"size {float(np.max(np.abs(arr))):.3g} (sample_1d and sample_2d accept "
            "any finite position)"
        )
    return arr


def clamp_positions(x: NDArray[Any], n: int) -> NDArray[Any]:
    """Clip positions to ``[-2, n + 1]``: what any position outside reads is kept.

    Every tap of a position ``x <= -2`` (``floor(x) - 1 .. floor(x) + 2``) lies at or
    before sample 0, and those of ``x = -2`` have weights 0, 1, 0, 0 on taps -3, -2,
    -1, 0 (and 1, 0 for linear, 1 for nearest): with the edge rule "clamp" all read
    sample 0, with "zeros" all read 0, for every method. The same holds beyond
    ``n + 1`` on the right. So clipping changes no value, and makes every finite
    position, up to +-1e308, safe to index with.
    """
    return np.asarray(np.clip(x, -2.0, n + 1.0))


def sample_1d(
    values: ArrayLike,
    x: ArrayLike,
    *,
    method: Method1D = "linear",
    a: float = -0.5,
    edge: Edge = "clamp",
) -> np.ndarray:
    """Sample a 1-D signal at fractional positions.

    Parameters
    ----------
    values : array_like, shape (n,)
        The samples, sitting at positions ``0, 1, ..., n - 1``; finite.
    x : array_like
        Positions to sample at, any shape; finite.
    method : {"nearest", "linear", "cubic"}
        Nearest neighbour (ties round up), linear (the line through the two
        neighbours) or Keys cubic convolution with parameter ``a``.
    a : float
        Keys parameter for ``method="cubic"`` (-0.5 by default; torch uses -0.75).
    edge : {"clamp", "zeros"}
        What a tap outside ``0 .. n - 1`` reads: ``"clamp"`` the nearest end sample
        (replicate padding, as torch's ``interpolate`` does), ``"zeros"`` zero (as
        ``grid_sample(padding_mode="zeros")`` does).

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``; float32 if ``values`` is float32, else float64.

    Raises
    ------
    TypeError
        If ``values`` or ``x`` is not numeric.
    ValueError
        If ``values`` is not 1-D or is empty, if either contains NaN or infinity,
        or if ``method``/``edge`` is not one of the allowed names.

    Notes
    -----
    ``sample_1d(values, x) = sum_t values[index_t] * weight_t`` with the taps of
    :func:`tap_weights`. For ``method="linear"`` and ``x`` in ``[0, n - 1]`` this
    equals ``np.interp(x, np.arange(n), values)``.

    Examples
    --------
    >>> sample_1d([0.0, 10.0, 20.0], [0.5, 1.25, 2.0]).tolist()
    [5.0, 12.5, 20.0]
    >>> sample_1d([0.0, 10.0, 20.0], [1.5], method="nearest").tolist()
    [20.0]
    """
    values = as_float_array(values, "values", ndim=1)
    edge = check_choice(edge, "edge", EDGES)
    method = check_choice(method, "method", METHODS)
    a = check_finite_float(a, "a")
    n = values.shape[0]
    pos = as_float_array(x, "x", min_size=0, dtype=np.float64)
    idx, w = _taps(clamp_positions(pos, n), method, a)
    gathered = values.astype(np.float64)[np.clip(idx, 0, n - 1)]
    if edge == "zeros":
        gathered = np.where((idx >= 0) & (idx < n), gathered, 0.0)
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.sum(gathered * w, axis=-1)
    check_finite_result(out, "sample_1d", "`values` and `a`")
    return np.asarray(out.astype(values.dtype, copy=False))


def linear_frame(x: float, values: ArrayLike) -> dict[str, Any]:
    """Everything a picture of linear interpolation at one position needs.

    This is the pure first layer of Chapter 1's widget: the static animation and
    the live slider both call it and hand the result to
    :func:`lesson_utils.widgets.ch01.draw_linear`.

    Parameters
    ----------
    x : float
        The sample position, in ``[0, n - 1]``.
    values : array_like, shape (n,)
        The samples, ``n >= 2``.

    Returns
    -------
    dict
        ``x``, neighbours ``i0``/``i1`` (``i1`` kept inside the signal at the right
        end), their values ``v0``/``v1``, weights ``w0``/``w1`` and the interpolated
        ``value``.

    Examples
    --------
    >>> f = linear_frame(1.25, [0.0, 10.0, 20.0])
    >>> f["i0"], f["i1"], f["w0"], f["w1"], f["value"]
    (1, 2, 0.75, 0.25, 12.5)
    """
    values = as_float_array(values, "values", ndim=1, min_size=2, dtype=np.float64)
    x = check_finite_float(x, "x")
    n = values.shape[0]
    if not 0.0 <= x <= n - 1:
        raise ValueError(f"`x` must lie in [0, {n - 1}] (the signal); got {x!r}")
    i0 = min(int(np.floor(x)), n - 2)
    i1 = i0 + 1
    w1 = x - i0
    w0 = 1.0 - w1
    v0, v1 = float(values[i0]), float(values[i1])
    return {
        "x": x,
        "i0": i0,
        "i1": i1,
        "v0": v0,
        "v1": v1,
        "w0": w0,
        "w1": w1,
        "value": w0 * v0 + w1 * v1,
    }
