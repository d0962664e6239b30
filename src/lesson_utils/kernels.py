"""Interpolation kernels: nearest is a box, linear a triangle, bicubic a Keys cubic.

Introduced in Chapter 4 ("Bicubic interpolation"); Chapters 1-3 use the box and the
triangle without naming them.

Interpolating samples ``values[i]`` that sit at integer positions ``i`` with a kernel
``k`` means

    f(x) = sum_i values[i] * k(x - i)

A kernel *interpolates* (reproduces the samples) when k(0) = 1 and k(n) = 0 for every
other integer n. The triangle and the Keys cubic interpolate; the cubic B-spline does
not, which is why scipy's ``order=3`` first *prefilters* the samples.

Every kernel takes offsets ``t`` of any shape and returns ``k(t)`` of the same shape:
float32 if ``t`` is float32, float64 otherwise (the arithmetic is float64).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import as_float_array, check_finite_float

__all__ = ["UNIT_STEP", "box", "triangle", "keys_cubic", "bspline3"]

#: The signal of Chapter 4: a unit step between samples 3 and 4. Every Keys kernel
#: with ``a < 0`` overshoots on it (below 0 before the step, above 1 after).
UNIT_STEP = np.array([0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0])
UNIT_STEP.setflags(write=False)


#: The sections of every kernel's docstring that do not depend on the kernel, written
#: once and filled in by :func:`_kernel_doc` (``{letter}`` is the kernel's name in
#: its formula).
_DOC_T = """Parameters
----------
t : array_like, any shape
    Offsets ``x - i`` between a sample point ``x`` and a sample position ``i``;
    finite."""
_DOC_RETURNS = """Returns
-------
numpy.ndarray
    ``{letter}(t)``, same shape as ``t``; float32 if ``t`` is float32, else float64."""
_DOC_RAISES = """Raises
------
TypeError
    If ``t`` is not numeric.
ValueError
    If ``t`` contains NaN or infinity."""

_F = TypeVar("_F", bound=Callable[..., Any])


def _kernel_doc(func: _F) -> _F:
    """Fill in the shared sections of a kernel's docstring.

    A line ``{returns}`` becomes the Returns section of ``k(t)``; a line
    ``{sections}`` the Parameters (``t`` alone), Returns and Raises sections, and
    ``{sections: b}`` the same for a kernel written ``b(t)``. Each keeps the
    indentation of its line.
    """

    def fill(match: re.Match[str]) -> str:
        indent, key, letter = match[1], match[2], match[3] or "k"
        returns = _DOC_RETURNS.format(letter=letter)
        text = (
            returns if key == "returns" else "\n\n".join([_DOC_T, returns, _DOC_RAISES])
        )
        return textwrap.indent(text, indent, lambda line: bool(line.strip()))

    pattern = r"^( *)\{(returns|sections)(?:: (\w))?\}$"
    func.__doc__ = re.sub(pattern, fill, func.__doc__ or "", flags=re.MULTILINE)
    return func


def _t(t: ArrayLike) -> tuple[np.ndarray, np.dtype]:
    """Validate offsets: a float64 copy to compute with and the dtype to return."""
    arr = as_float_array(t, "t", min_size=0)
    return arr.astype(np.float64), arr.dtype


@_kernel_doc
def box(t: ArrayLike) -> np.ndarray:
    """Box kernel of nearest-neighbour interpolation: 1 on [-1/2, 1/2), else 0.

    {sections}

    Notes
    -----
    The interval is half-open so that a tie at ``t = -1/2`` belongs to the box and
    ``t = +1/2`` does not: with ``x - i = t`` this rounds ties up, like
    ``floor(x + 0.5)`` (:func:`lesson_utils.interp1d.nearest_index`). The box
    reproduces constants only, so nearest interpolation is first-order accurate.

    Examples
    --------
    >>> box([-0.5, 0.0, 0.49, 0.5]).tolist()
    [1.0, 1.0, 1.0, 0.0]
    """
    t, dtype = _t(t)
    return ((t >= -0.5) & (t < 0.5)).astype(dtype)


@_kernel_doc
def triangle(t: ArrayLike) -> np.ndarray:
    """Triangle (tent) kernel of linear interpolation: ``max(0, 1 - |t|)``.

    {sections}

    Notes
    -----
    ``k(t) = max(0, 1 - |t|)``: support [-1, 1], two taps per sample point. Each
    neighbour's weight is the distance to the *other* neighbour (Chapter 1). The
    triangle reproduces polynomials of degree <= 1, so linear interpolation is
    second-order accurate.

    Examples
    --------
    >>> triangle([-1.5, -0.25, 0.0, 0.5, 1.0]).tolist()
    [0.0, 0.75, 1.0, 0.5, 0.0]
    """
    t, dtype = _t(t)
    return np.asarray(np.maximum(0.0, 1.0 - np.abs(t)).astype(dtype))


@_kernel_doc
def keys_cubic(t: ArrayLike, a: float = -0.5) -> np.ndarray:
    """Keys cubic convolution kernel with free parameter ``a``.

    Parameters
    ----------
    t : array_like, any shape
        Offsets ``x - i`` between the sample point and a sample position; finite.
    a : float
        The kernel's slope at ``t = 1`` (``k'(1) = a``); any finite number.
        ``a = -0.5`` is Keys' choice (third-order accurate, used by PIL and by torch
        with ``antialias=True``); ``a = -0.75`` is used by torch
        ``mode="bicubic"`` and OpenCV ``INTER_CUBIC``.

    {returns}

    Raises
    ------
    TypeError
        If ``t`` is not numeric or ``a`` is not a real number.
    ValueError
        If ``t`` or ``a`` is NaN or infinite.

    Notes
    -----
    With ``s = |t|``::

        k(s) = (a + 2) s^3 - (a + 3) s^2 + 1        for 0 <= s <= 1
        k(s) = a s^3 - 5 a s^2 + 8 a s - 4 a         for 1 <  s <  2
        k(s) = 0                                     for s >= 2

    These are *all* the symmetric piecewise cubics with support [-2, 2] that
    interpolate (k(0) = 1, k(1) = k(2) = 0) and have a continuous first derivative:
    the conditions leave one free parameter, ``a``; Chapter 4 derives them. A sample point reads four samples (taps) ``floor(x) - 1 ..
    floor(x) + 2``; their weights sum to 1 for every ``a``. Only ``a = -1/2``
    also reproduces straight lines and parabolas exactly (third-order accuracy);
    every other ``a`` reproduces constants only (first order).

    Examples
    --------
    >>> keys_cubic([0.0, 0.5, 1.0, 1.5, 2.0]).tolist()
    [1.0, 0.5625, 0.0, -0.0625, 0.0]
    >>> keys_cubic([0.5, 1.5], a=-0.75).tolist()
    [0.59375, -0.09375]
    """
    t, dtype = _t(t)
    a = check_finite_float(a, "a")
    s = np.abs(t)
    out = np.zeros(s.shape)
    near, far = s <= 1.0, (s > 1.0) & (s < 2.0)
    out[near] = _keys_inner(s[near], a)
    out[far] = _keys_outer(s[far], a)
    return out.astype(dtype)


def _keys_inner(s: NDArray[Any], a: float) -> NDArray[Any]:
    """``(a + 2) s^3 - (a + 3) s^2 + 1`` on ``0 <= s <= 1``, factored.

    ``(s - 1) (a s^2 + (s - 1)(2 s + 1))`` is the same polynomial; every factor stays
    below ``|a| + 3`` in size, so no intermediate overflows even for ``|a|`` near
    the largest float (the expanded form computes ``(a + 2) s`` and ``a s^3``).
    """
    # + 0.0 turns the -0.0 of (s - 1) = 0 times a negative number into 0.0
    return np.asarray((s - 1.0) * (a * s * s + (s - 1.0) * (2.0 * s + 1.0)) + 0.0)


def _keys_outer(s: NDArray[Any], a: float) -> NDArray[Any]:
    """``a s^3 - 5 a s^2 + 8 a s - 4 a = a (s - 1)(s - 2)^2`` on ``1 <= s <= 2``."""
    return np.asarray(a * ((s - 1.0) * (s - 2.0) ** 2))


def _keys_taps(frac: NDArray[Any], a: float) -> NDArray[Any]:
    """The four Keys weights of taps ``-1, 0, 1, 2`` at fraction ``0 <= frac < 1``.

    Computed from the fraction ``x - floor(x)`` alone (offsets ``1 + f``, ``f``,
    ``1 - f``, ``2 - f``), never from ``x - index``: that difference loses every
    digit once ``|x|`` passes ``2**53``. Shape ``frac.shape + (4,)``.
    """
    f = frac
    return np.stack(
        [
            _keys_outer(1.0 + f, a),
            _keys_inner(f, a),
            _keys_inner(1.0 - f, a),
            _keys_outer(2.0 - f, a),
        ],
        axis=-1,
    )


@_kernel_doc
def bspline3(t: ArrayLike) -> np.ndarray:
    """Cubic B-spline kernel (the one behind scipy/skimage ``order=3``).

    {sections: b}

    Notes
    -----
    With ``s = |t|``::

        b(s) = 2/3 - s^2 + s^3 / 2       for 0 <= s <= 1
        b(s) = (2 - s)^3 / 6             for 1 <  s <  2
        b(s) = 0                         for s >= 2

    b(0) = 2/3 and b(1) = 1/6: the kernel does *not* interpolate. scipy makes
    ``sum_i c[i] b(x - i)`` pass through the samples by solving for coefficients
    ``c`` first (the prefilter), so every output depends on every input. The
    kernel is non-negative and twice continuously differentiable.

    Examples
    --------
    >>> np.round(bspline3([0.0, 1.0, 2.0]), 6).tolist()
    [0.666667, 0.166667, 0.0]
    """
    t, dtype = _t(t)
    s = np.abs(t)
    inner = 2.0 / 3.0 - s * s + 0.5 * s**3
    outer = np.clip(2.0 - s, 0.0, None) ** 3 / 6.0
    return np.where(s <= 1.0, inner, np.where(s < 2.0, outer, 0.0)).astype(dtype)
