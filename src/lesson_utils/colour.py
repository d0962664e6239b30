"""Colour science for heat maps: perceived lightness of a colormap's colours.

Introduced in Chapter 5 ("Upsampling attention maps"), where it shows why a
perceptually uniform colormap draws no edges that are not in the data and "jet"
does. :mod:`lesson_utils.heatmaps` colours maps; this module measures colours.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import Colormap
from numpy.typing import ArrayLike

from ._validate import as_float_array, check_positive_int

__all__ = ["srgb_to_lab", "lightness"]

#: sRGB (D65) to CIE XYZ, IEC 61966-2-1.
_SRGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
#: Reference white D65 (X, Y, Z) with Y = 1.
_WHITE_D65 = np.array([0.95047, 1.0, 1.08883])


def srgb_to_lab(rgb: ArrayLike) -> np.ndarray:
    """Convert sRGB colours in [0, 1] to CIELAB (L*, a*, b*), D65 white.

    Parameters
    ----------
    rgb : array_like, shape ``S + (3,)``
        sRGB colours, each channel in [0, 1].

    Returns
    -------
    numpy.ndarray, shape ``S + (3,)``
        ``L*`` in [0, 100] (perceived lightness), ``a*`` (green-red) and ``b*``
        (blue-yellow), float64.

    Raises
    ------
    TypeError
        If ``rgb`` is not numeric.
    ValueError
        If its last axis is not 3, or a value is not finite or outside [0, 1].

    Notes
    -----
    1. Undo the sRGB gamma: ``c_lin = c / 12.92`` if ``c <= 0.04045``, else
       ``((c + 0.055) / 1.055) ** 2.4``.
    2. ``XYZ = M @ rgb_lin`` with the IEC 61966-2-1 matrix ``M`` (D65).
    3. With ``f(t) = t ** (1/3)`` if ``t > (6/29) ** 3`` else
       ``t / (3 (6/29) ** 2) + 4/29`` and the white ``(Xn, Yn, Zn)``:
       ``L* = 116 f(Y/Yn) - 16``, ``a* = 500 (f(X/Xn) - f(Y/Yn))``,
       ``b* = 200 (f(Y/Yn) - f(Z/Zn))``.

    Equal steps of ``L*`` look like equal steps of lightness; a colormap whose
    ``L*`` does not change monotonically draws edges that are not in the data.

    Examples
    --------
    >>> srgb_to_lab([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]])[:, 0].round(2).tolist()
    [0.0, 100.0]
    >>> srgb_to_lab([1.0, 0.0, 0.0]).round(2).tolist()  # sRGB red
    [53.24, 80.09, 67.2]
    """
    rgb = as_float_array(rgb, "rgb", min_ndim=1, dtype=np.float64)
    if rgb.shape[-1] != 3:
        raise ValueError(
            f"`rgb` must have 3 channels on its last axis; got shape {rgb.shape}"
        )
    if rgb.min() < 0.0 or rgb.max() > 1.0:
        raise ValueError(
            f"`rgb` must lie in [0, 1]; got values in [{rgb.min()}, {rgb.max()}]"
        )
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = lin @ _SRGB_TO_XYZ.T / _WHITE_D65
    d = 6.0 / 29.0
    f = np.where(xyz > d**3, np.cbrt(xyz), xyz / (3 * d**2) + 4.0 / 29.0)
    lab = np.empty_like(f)
    lab[..., 0] = 116.0 * f[..., 1] - 16.0
    lab[..., 1] = 500.0 * (f[..., 0] - f[..., 1])
    lab[..., 2] = 200.0 * (f[..., 1] - f[..., 2])
    return np.asarray(lab)


def lightness(
    cmap: str | Colormap = "viridis", values: ArrayLike | int = 256
) -> np.ndarray:
    """Perceived lightness ``L*`` of a colormap's colours.

    Parameters
    ----------
    cmap : str or matplotlib.colors.Colormap
        The colormap.
    values : array_like or int
        Values in [0, 1] to colour (any shape ``S``), or a number ``n >= 2`` of
        equally spaced values ``linspace(0, 1, n)``.

    Returns
    -------
    numpy.ndarray, shape ``S`` (or (n,))
        ``L*`` in [0, 100], float64.

    Raises
    ------
    TypeError, ValueError
        As :func:`colormap`; ``ValueError`` if ``n < 2``.

    Notes
    -----
    ``lightness(cmap, v) = srgb_to_lab(colormap(v, cmap))[..., 0]``. For a
    perceptually uniform colormap it rises steadily; for "jet" it rises and falls.

    Examples
    --------
    >>> L = lightness("gray", [0.0, 1.0])
    >>> L.round(1).tolist()
    [0.0, 100.0]
    >>> bool(np.all(np.diff(lightness("viridis")) > 0))
    True
    """
    if isinstance(values, (int, np.integer)) and not isinstance(values, bool):
        n = check_positive_int(values, "values", minimum=2)
        values = np.linspace(0.0, 1.0, n)
    return srgb_to_lab(_colours(values, cmap))[..., 0]


def _colours(values: ArrayLike, cmap: str | Colormap) -> np.ndarray:
    from .heatmaps import colormap  # heatmaps imports this module

    return colormap(values, cmap)
