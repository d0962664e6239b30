"""Interpolation kernels: nearest is a box, linear a triangle, bicubic a Keys cubic.

Introduced in Chapter 4 ("Bicubic interpolation"); Chapters 1-3 use the box and the
triangle without naming them.

Interpolating samples ``values[i]`` that sit at integer positions ``i`` with a kernel
``k`` means

    f(x) = sum_i values[i] * k(x - i)

A kernel *interpolates* (reproduces the samples) when k(0) = 1 and k(n) = 0 for every
other integer n. The triangle and the Keys cubic interpolate; the cubic B-spline does
not, which is why scipy's ``order=3`` first *prefilters* the samples.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_float_array, check_finite_float

__all__ = ["box", "triangle", "keys_cubic", "bspline3"]


def _t(t: ArrayLike) -> np.ndarray:
    return as_float_array(t, "t", min_size=0, dtype=np.float64)


def box(t: ArrayLike) -> np.ndarray:
    """Box kernel of nearest-neighbour interpolation: 1 on [-1/2, 1/2), else 0.

    The interval is half-open so that a tie at ``t = -1/2`` belongs to the box and
    ``t = +1/2`` does not: with ``x - i = t`` this rounds ties up, like
    ``floor(x + 0.5)``.

    Examples
    --------
    >>> box([-0.5, 0.0, 0.49, 0.5]).tolist()
    [1.0, 1.0, 1.0, 0.0]
    """
    t = _t(t)
    return ((t >= -0.5) & (t < 0.5)).astype(np.float64)


def triangle(t: ArrayLike) -> np.ndarray:
    """Triangle (tent) kernel of linear interpolation: ``max(0, 1 - |t|)``.

    Examples
    --------
    >>> triangle([-1.5, -0.25, 0.0, 0.5, 1.0]).tolist()
    [0.0, 0.75, 1.0, 0.5, 0.0]
    """
    t = _t(t)
    return np.maximum(0.0, 1.0 - np.abs(t))


def keys_cubic(t: ArrayLike, a: float = -0.5) -> np.ndarray:
    """Keys cubic convolution kernel with free parameter ``a``.

    Parameters
    ----------
    t : array_like
        Offsets between the sample point and a sample position.
    a : float
        The value of the kernel's slope at ``|t| = 1`` (``k'(1) = a``). ``a = -0.5`` is
        Keys' choice (third-order accurate, used by PIL and torch with antialiasing);
        ``a = -0.75`` is used by torch ``mode="bicubic"`` and OpenCV ``INTER_CUBIC``.

    Returns
    -------
    numpy.ndarray
        ``k(t)``, same shape as ``t``, float64.

    Notes
    -----
    With ``s = |t|``::

        k(s) = (a + 2) s^3 - (a + 3) s^2 + 1        for 0 <= s <= 1
        k(s) = a s^3 - 5 a s^2 + 8 a s - 4 a         for 1 <  s <  2
        k(s) = 0                                     for s >= 2

    It is the only symmetric piecewise cubic with support [-2, 2] that interpolates
    (k(0) = 1, k(1) = k(2) = 0) and has a continuous first derivative; Chapter 4
    derives it.

    Examples
    --------
    >>> keys_cubic([0.0, 0.5, 1.0, 1.5, 2.0]).tolist()
    [1.0, 0.5625, 0.0, -0.0625, 0.0]
    """
    t = _t(t)
    a = check_finite_float(a, "a")
    s = np.abs(t)
    inner = ((a + 2.0) * s - (a + 3.0)) * s * s + 1.0
    outer = ((a * s - 5.0 * a) * s + 8.0 * a) * s - 4.0 * a
    return np.where(s <= 1.0, inner, np.where(s < 2.0, outer, 0.0))


def bspline3(t: ArrayLike) -> np.ndarray:
    """Cubic B-spline kernel (the one behind scipy/skimage ``order=3``).

    Notes
    -----
    With ``s = |t|``::

        b(s) = 2/3 - s^2 + s^3 / 2       for 0 <= s <= 1
        b(s) = (2 - s)^3 / 6             for 1 <  s <  2
        b(s) = 0                         for s >= 2

    b(0) = 2/3 and b(1) = 1/6: the kernel does *not* interpolate. scipy makes
    ``sum_i c[i] b(x - i)`` pass through the samples by solving for coefficients
    ``c`` first (the prefilter), so every output depends on every input.

    Examples
    --------
    >>> np.round(bspline3([0.0, 1.0, 2.0]), 6).tolist()
    [0.666667, 0.166667, 0.0]
    """
    t = _t(t)
    s = np.abs(t)
    inner = 2.0 / 3.0 - s * s + 0.5 * s**3
    outer = (2.0 - s) ** 3 / 6.0
    return np.where(s <= 1.0, inner, np.where(s < 2.0, outer, 0.0))
