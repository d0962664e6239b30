"""Known heat maps and how far an upsampled map lies from them.

Introduced in Chapter 5 ("Upsampling attention maps"): the same continuous field
sampled on a coarse grid gives a coarse map and on a fine grid its known truth, so
the error of each upsampling method can be measured (:func:`rmse`,
:func:`peak_position`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_float_array, check_finite_result, check_shape

__all__ = ["gaussian_field", "peak_position", "rmse"]


def gaussian_field(
    output_shape: Sequence[int],
    centers: ArrayLike,
    sigmas: ArrayLike,
    amplitudes: ArrayLike | None = None,
) -> np.ndarray:
    """A sum of Gaussian bumps sampled at the pixel centres of a grid.

    The same continuous field sampled on a coarse grid gives a "coarse map" and on
    a fine grid its known high-resolution truth, so upsampling errors can be
    measured.

    Parameters
    ----------
    output_shape : tuple of 2 int
        ``(H, W)`` of the grid.
    centers : array_like, shape (k, 2)
        Bump centres ``(y, x)`` in units of the image's height and width: (0, 0)
        is the top-left corner of the image, (1, 1) the bottom-right corner.
    sigmas : array_like, shape (k,)
        Standard deviations, in the same units; > 0.
    amplitudes : array_like, shape (k,), optional
        Heights of the bumps (default 1 each).

    Returns
    -------
    numpy.ndarray, shape (H, W), float64
        ``f(y_r, x_c)`` with ``y_r = (r + 0.5) / H`` and ``x_c = (c + 0.5) / W``.

    Raises
    ------
    TypeError, ValueError
        If a shape is wrong, a value is not finite, or a sigma is not positive.

    Notes
    -----
    ``f(y, x) = sum_k A_k exp(-((y - cy_k)^2 + (x - cx_k)^2) / (2 sigma_k^2))``.
    Pixel ``r`` of a grid of ``H`` covers ``[r / H, (r + 1) / H)`` and sits at its
    centre, the convention of the half-pixel mapping::

        H = 2:  |    r = 0    |    r = 1    |
                0    0.25    0.5   0.75     1

    Examples
    --------
    >>> f = gaussian_field((3, 3), [[0.5, 0.5]], [0.2])
    >>> f.argmax(), round(float(f[1, 1]), 6)
    (np.int64(4), 1.0)
    """
    h, w = check_shape(output_shape, "output_shape", length=2)
    centers = as_float_array(centers, "centers", ndim=2, dtype=np.float64)
    if centers.shape[1] != 2:
        raise ValueError(f"`centers` must have shape (k, 2); got {centers.shape}")
    k = centers.shape[0]
    sigmas = as_float_array(sigmas, "sigmas", ndim=1, dtype=np.float64)
    if sigmas.shape != (k,):
        raise ValueError(f"`sigmas` must have shape ({k},); got {sigmas.shape}")
    if np.any(sigmas <= 0):
        raise ValueError(f"`sigmas` must be > 0; got {sigmas.tolist()}")
    if amplitudes is None:
        amps = np.ones(k)
    else:
        amps = as_float_array(amplitudes, "amplitudes", ndim=1, dtype=np.float64)
        if amps.shape != (k,):
            raise ValueError(f"`amplitudes` must have shape ({k},); got {amps.shape}")
    y = (np.arange(h) + 0.5) / h
    x = (np.arange(w) + 0.5) / w
    out = np.zeros((h, w))
    with np.errstate(over="ignore", under="ignore"):
        for (cy, cx), s, amp in zip(centers, sigmas, amps, strict=True):
            # (d / s)**2 / 2, not d**2 / (2 s**2): s**2 underflows to 0 for a tiny
            # sigma (then 0 / 0 = NaN at the centre); (d / s)**2 may overflow to
            # infinity, and exp(-inf) = 0 is the right value
            gy = np.exp(-0.5 * ((y - cy) / s) ** 2)
            gx = np.exp(-0.5 * ((x - cx) / s) ** 2)
            out += amp * np.outer(gy, gx)
    check_finite_result(out, "gaussian_field", "`amplitudes`")
    return out


def peak_position(cam: ArrayLike) -> tuple[int, int]:
    """Row and column of a map's maximum, as ``np.argmax`` finds it.

    Parameters
    ----------
    cam : array_like, shape (h, w)
        A finite map.

    Returns
    -------
    (int, int)
        ``(row, col)``. At ties the *first* maximum in row-major order wins: the
        topmost, then leftmost (for a nearest-upsampled map, the top-left corner of
        the block of the winning cell, not its centre).

    Raises
    ------
    TypeError, ValueError
        If ``cam`` is not a finite 2-D numeric array.

    Examples
    --------
    >>> peak_position([[0, 1, 1], [0, 1, 1]])
    (0, 1)
    """
    cam = as_float_array(cam, "cam", ndim=2)
    r, c = np.unravel_index(int(np.argmax(cam)), cam.shape)
    return int(r), int(c)


def rmse(estimate: ArrayLike, truth: ArrayLike) -> float:
    """Root-mean-square error ``sqrt(mean((estimate - truth) ** 2))``.

    Parameters
    ----------
    estimate, truth : array_like, same shape
        Finite arrays.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If the shapes differ or a value is not finite.

    Examples
    --------
    >>> rmse([0.0, 0.0], [3.0, 4.0]) == (12.5) ** 0.5
    True
    """
    est = as_float_array(estimate, "estimate", dtype=np.float64)
    tru = as_float_array(truth, "truth", dtype=np.float64)
    if est.shape != tru.shape:
        raise ValueError(
            f"`estimate` must have the shape of `truth` {tru.shape}; got {est.shape}"
        )
    # scaled by the largest difference, so that squares of numbers near 1e300 do
    # not overflow: rmse = m sqrt(mean((d / m)^2)); d itself is formed from halves
    d = est * 0.5 - tru * 0.5
    m = float(np.max(np.abs(d))) if d.size else 0.0
    if m == 0.0:
        return 0.0
    out = 2.0 * m * float(np.sqrt(np.mean((d / m) ** 2)))
    check_finite_result(np.asarray(out), "rmse", "`estimate` and `truth`")
    return out
