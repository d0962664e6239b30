"""How fast interpolation errors shrink: measured convergence orders.

Introduced in Chapter 4 ("Bicubic interpolation"), where it turns Keys' argument for
``a = -1/2`` into a measurement.

Sample a smooth function ``f`` every ``h`` and interpolate; the largest error
behaves like ``C * h**p`` as ``h`` shrinks. ``p`` is the method's *order*: halving
``h`` divides the error by ``2**p``. On a log-log plot the errors lie on a line of
slope ``p``, and :func:`convergence_order` fits that slope.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from ._types import METHODS_1D, Method1D
from ._validate import (
    as_float_array,
    check_choice,
    check_finite_float,
    check_positive_int,
)
from .interp1d import sample_1d

__all__ = ["interpolation_error", "convergence_order"]


def interpolation_error(
    func: Callable[[np.ndarray], np.ndarray],
    h: float,
    *,
    method: Method1D = "linear",
    a: float = -0.5,
    interval: tuple[float, float] = (0.0, 1.0),
    n_eval: int = 1001,
) -> float:
    """Largest error of interpolating ``func`` from samples spaced ``h`` apart.

    Parameters
    ----------
    func : callable
        A vectorised function ``func(x) -> f(x)`` on float64 arrays (for example
        ``np.sin``).
    h : float
        Sample spacing, > 0; the interval's length must be a whole multiple of it.
    method : {"nearest", "linear", "cubic"}
        Passed to :func:`lesson_utils.interp1d.sample_1d`.
    a : float
        Keys parameter for ``method="cubic"``.
    interval : (float, float)
        ``(lo, hi)`` with ``lo < hi``: samples sit at ``lo, lo + h, ..., hi``.
    n_eval : int
        Number of evaluation points (>= 2).

    Returns
    -------
    float
        ``max |interpolant(x) - func(x)|`` over ``n_eval`` equally spaced points of
        the *middle half* of the interval.

    Raises
    ------
    TypeError
        If ``func`` is not callable or a number has the wrong type.
    ValueError
        If ``h`` is not positive, does not divide the interval, or the interval is
        empty.

    Notes
    -----
    Sample ``j`` sits at ``x_j = lo + j h`` (``j = 0 .. n - 1``), so a point ``x``
    has fractional sample position ``(x - lo) / h``. Only the middle half is
    measured: near the ends the clamp edge rule, not the kernel, decides the error.

    Examples
    --------
    >>> e = interpolation_error(lambda x: x**2, 0.25, method="linear")
    >>> round(e, 6)  # h**2 / 8 * max|f''| = 0.0625 / 8 * 2
    0.015625
    >>> interpolation_error(lambda x: x**2, 0.25, method="cubic", a=-0.5) < 1e-12
    True
    """
    if not callable(func):
        raise TypeError(f"`func` must be a callable f(x); got {type(func).__name__}")
    h = check_finite_float(h, "h")
    if h <= 0:
        raise ValueError(f"`h` must be a positive spacing; got {h!r}")
    method = check_choice(method, "method", METHODS_1D)
    a = check_finite_float(a, "a")
    n_eval = check_positive_int(n_eval, "n_eval", minimum=2)
    try:
        lo, hi = (check_finite_float(v, "interval") for v in interval)
    except (TypeError, ValueError) as exc:
        raise type(exc)(
            f"`interval` must be two finite numbers (lo, hi); got {interval!r}"
        ) from exc
    if not lo < hi:
        raise ValueError(f"`interval` must have lo < hi; got {interval!r}")
    steps = (hi - lo) / h
    if abs(steps - round(steps)) > 1e-9 * max(1.0, steps):
        raise ValueError(
            f"`h` must divide the interval's length {hi - lo!r} a whole number of "
            f"times; got {h!r}"
        )
    n = int(round(steps)) + 1
    grid = lo + h * np.arange(n)
    values = np.asarray(func(grid), dtype=np.float64)
    if values.shape != grid.shape or not np.all(np.isfinite(values)):
        raise ValueError(
            "`func` must return one finite number per sample position (an array of "
            f"shape {grid.shape}); got shape {values.shape}"
            + ("" if values.shape != grid.shape else " with NaN or infinity")
        )
    quarter = (hi - lo) / 4.0
    x = np.linspace(lo + quarter, hi - quarter, n_eval)
    approx = sample_1d(values, (x - lo) / h, method=method, a=a)
    return float(np.max(np.abs(approx - np.asarray(func(x), dtype=np.float64))))


def convergence_order(h: ArrayLike, errors: ArrayLike) -> float:
    """Fit the order ``p`` of ``errors ~ C * h**p`` (slope on a log-log plot).

    Parameters
    ----------
    h : array_like, shape (m,)
        Sample spacings, > 0, at least two different ones.
    errors : array_like, shape (m,)
        The errors measured at those spacings, > 0.

    Returns
    -------
    float
        The least-squares slope of ``log(errors)`` against ``log(h)``.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If the shapes differ, a value is not positive (an exact method has no
        order to measure), or all spacings are equal.

    Notes
    -----
    ``log e = log C + p log h``; with ``u = log h``, ``v = log e``:
    ``p = sum (u - mean u)(v - mean v) / sum (u - mean u)^2``.

    Examples
    --------
    >>> round(convergence_order([0.1, 0.05, 0.025], [0.02, 0.005, 0.00125]), 6)
    2.0
    """
    h = as_float_array(h, "h", ndim=1, min_size=2, dtype=np.float64)
    errors = as_float_array(errors, "errors", ndim=1, min_size=2, dtype=np.float64)
    if h.shape != errors.shape:
        raise ValueError(
            f"`errors` must have the shape of `h` {h.shape}; got {errors.shape}"
        )
    if np.any(h <= 0):
        raise ValueError(f"`h` must contain only positive spacings; got {h.tolist()}")
    if np.any(errors <= 0):
        raise ValueError(
            "`errors` must contain only positive errors (an exact method has no "
            f"order); got {errors.tolist()}"
        )
    u, v = np.log(h), np.log(errors)
    du = u - u.mean()
    if not np.any(du != 0):
        raise ValueError(f"`h` must contain at least two different spacings; got {h}")
    return float(np.sum(du * (v - v.mean())) / np.sum(du * du))
