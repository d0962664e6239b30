"""Upsampling, normalising, colouring and overlaying attention maps (heat maps).

Introduced in Chapter 5 ("Upsampling attention maps"); Chapter 6 uses
:func:`overlay` to show Grad-CAM maps on their images.

An attention map ``cam`` of shape (h, w) is a coarse grid of scores: cell ``(r, c)``
summarises a block of the input image, and its position is the *centre* of that
block. Showing it over an (H, W) image takes four steps, each of which can change
what the reader sees::

    cam (h, w) --upsample--> (H, W) --clamp--> --normalise--> [0, 1] --colormap--> RGB
                 (method,             (range of   (min-max)             (perceptual)
                  mapping)             the data)

The safe recipe (:func:`overlay`'s defaults): half-pixel bilinear upsampling,
clamping to the range of the coarse values, min-max normalisation *after*
upsampling, a perceptually uniform colormap, and a plain alpha blend.

This module holds that display pipeline. The colour science of Chapter 5
(:func:`srgb_to_lab`, :func:`lightness`) lives in :mod:`lesson_utils.colour`, the
known fields and their errors (:func:`gaussian_field`, :func:`rmse`,
:func:`peak_position`) in :mod:`lesson_utils.truth`; both are re-exported here, so
``heatmaps.rmse`` and ``truth.rmse`` are the same function.

Coordinates: axes are (row, col) = (y, x). With the half-pixel mapping, output pixel
``i`` of ``n_out`` reads the source position ``(i + 0.5) * n_in / n_out - 0.5``
(see :func:`lesson_utils.resize.source_coordinates`)::

    coarse cells (h = 2):  |     0     |     1     |
    fine pixels  (H = 4):  |  0  |  1  |  2  |  3  |
    source position:        -0.25  0.25  0.75  1.25
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.colors import Colormap
from numpy.typing import ArrayLike

from ._types import METHODS_2D, NORMALIZATIONS, Method2D, Normalization
from ._validate import (
    _describe,
    as_float_array,
    check_bool,
    check_choice,
    check_finite_float,
    check_shape_2d,
)
from .colour import lightness, srgb_to_lab
from .resize import resize
from .truth import gaussian_field, peak_position, rmse

__all__ = [
    "METHODS",
    "NORMALIZATIONS",
    "normalize",
    "upsample",
    "heatmap",
    "colormap",
    "overlay",
    "srgb_to_lab",
    "lightness",
    "gaussian_field",
    "peak_position",
    "rmse",
]

Method = Method2D
#: The upsampling methods, in the order of :data:`lesson_utils._types.METHODS_2D`.
METHODS = METHODS_2D


def _check_cam(cam: ArrayLike, name: str = "cam") -> np.ndarray:
    """A finite (h, w) or (N, h, w) map as a float copy (NaN is an error)."""
    return as_float_array(cam, name, ndim=(2, 3))


def _check_cmap(cmap: str | Colormap) -> Colormap:
    if isinstance(cmap, Colormap):
        return cmap
    if isinstance(cmap, str) and cmap in mpl.colormaps:
        return mpl.colormaps[cmap]
    raise ValueError(
        "`cmap` must be a matplotlib colormap or the name of one, such as "
        f"'viridis', 'magma', 'cividis' or 'jet'; got {_describe(cmap)}"
    )


def _check_unit_float(value: float, name: str) -> float:
    value = check_finite_float(value, name)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"`{name}` must be a number in [0, 1]; got {value!r}")
    return value


def normalize(
    cam: ArrayLike,
    *,
    vmin: float | None = None,
    vmax: float | None = None,
    rtol: float = 1e-6,
) -> np.ndarray:
    """Min-max normalise a map (or each map of a stack) to [0, 1].

    Parameters
    ----------
    cam : array_like, shape (h, w) or (N, h, w)
        The map(s); finite (NaN or infinity raise). Each (h, w) map is normalised on
        its own.
    vmin, vmax : float, optional
        A fixed scale instead of each map's own minimum and maximum: values are
        mapped by ``(cam - vmin) / (vmax - vmin)`` and clipped to [0, 1]. Use one
        scale for several maps to keep their strengths comparable (per-map min-max
        makes a weak map look as confident as a strong one). Give both or neither.
    rtol : float
        A map whose spread ``max - min`` is at most ``rtol * max(|min|, |max|)`` is
        *flat* and becomes all zeros (see Notes).

    Returns
    -------
    numpy.ndarray
        Same shape as ``cam``, values in [0, 1]; float32 if ``cam`` is float32, else
        float64.

    Raises
    ------
    TypeError
        If ``cam`` is not numeric or ``vmin``/``vmax`` is not a real number.
    ValueError
        If ``cam`` is not 2-D or 3-D, contains NaN or infinity, if only one of
        ``vmin``/``vmax`` is given, if ``vmax <= vmin``, or if ``rtol`` is negative.

    Notes
    -----
    ``normalize(cam) = (cam - min(cam)) / (max(cam) - min(cam))``.

    A flat map (all zeros, which Grad-CAM returns when the ReLU removes every
    value, or a constant) has ``max - min = 0``: dividing would give NaN, which a
    colormap shows as its "bad" colour (transparent by default) and which then
    poisons every later sum. It carries no localisation, so it becomes all zeros.
    The relative tolerance also catches maps that are flat up to round-off (a
    constant map resized by a method whose weights sum to 1 only up to ~1e-16):
    without it min-max would stretch that round-off noise to the full [0, 1].

    Examples
    --------
    >>> normalize([[1.0, 2.0], [3.0, 5.0]]).tolist()
    [[0.0, 0.25], [0.5, 1.0]]
    >>> normalize([[0.0, 0.0], [0.0, 0.0]]).tolist()
    [[0.0, 0.0], [0.0, 0.0]]
    >>> normalize([[1.0, 2.0], [3.0, 5.0]], vmin=0.0, vmax=10.0).tolist()
    [[0.1, 0.2], [0.3, 0.5]]
    """
    cam = _check_cam(cam)
    rtol = check_finite_float(rtol, "rtol")
    if rtol < 0:
        raise ValueError(f"`rtol` must be a number >= 0; got {rtol!r}")
    if (vmin is None) != (vmax is None):
        raise ValueError(
            "`vmin` and `vmax` must be given together or not at all; "
            f"got vmin={vmin!r}, vmax={vmax!r}"
        )
    x = cam.astype(np.float64)
    if vmin is not None:
        lo = check_finite_float(vmin, "vmin")
        hi = check_finite_float(vmax, "vmax")
        if hi <= lo:
            raise ValueError(f"`vmax` must be greater than `vmin` ({lo!r}); got {hi!r}")
        out = np.clip((x - lo) / (hi - lo), 0.0, 1.0)
        return out.astype(cam.dtype, copy=False)
    # halved: a map spanning more than the largest float (-1e308 .. 1e308) would
    # give an infinite spread; halving every term changes no quotient
    x = x * 0.5
    lo = x.min(axis=(-2, -1), keepdims=True)
    hi = x.max(axis=(-2, -1), keepdims=True)
    spread = hi - lo
    flat = spread <= rtol * np.maximum(np.abs(lo), np.abs(hi))
    out = np.where(flat, 0.0, (x - lo) / np.where(flat, 1.0, spread))
    return np.clip(out, 0.0, 1.0).astype(cam.dtype, copy=False)


def upsample(
    cam: ArrayLike,
    output_shape: Sequence[int],
    *,
    method: Method = "bilinear",
    align_corners: bool = False,
    a: float = -0.5,
    clamp: bool = False,
) -> np.ndarray:
    """Upsample a coarse map to the image's size (optionally clamped, not normalised).

    Parameters
    ----------
    cam : array_like, shape (h, w) or (N, h, w)
        The coarse map(s); finite.
    output_shape : tuple of 2 int
        ``(H, W)`` with ``H >= h`` and ``W >= w``.
    method : {"nearest", "bilinear", "bicubic"}
        Interpolation method (nearest ties round up, bicubic is Keys with ``a``).
    align_corners : bool
        False (default): half-pixel mapping, cell centres land on block centres.
        True: corner-aligned mapping, which shifts every interior cell (see Notes).
    a : float
        Keys parameter for ``"bicubic"`` (-0.5 as PIL; torch uses -0.75).
    clamp : bool
        False (default): the interpolated values as they are. True: clip them to
        the range of the values they were interpolated from (``[min(cam),
        max(cam)]`` per map), Chapter 5's recommendation; nearest and bilinear never
        leave that range, so this only removes bicubic's overshoot. Chapter 6
        upsamples its Grad-CAM maps this way.

    Returns
    -------
    numpy.ndarray, shape (H, W) or (N, H, W)
        float32 if ``cam`` is float32, else float64.

    Raises
    ------
    TypeError
        If ``cam`` is not numeric, ``output_shape`` is not a pair of integers or
        ``align_corners`` or ``clamp`` is not a bool.
    ValueError
        If ``cam`` is not 2-D or 3-D or is not finite, if ``method`` is unknown, or
        if ``output_shape`` is smaller than the map (use
        :func:`lesson_utils.resize.resize` with ``antialias=True`` to downsample).

    Notes
    -----
    This is :func:`lesson_utils.resize.resize` (Chapter 3) restricted to
    upsampling. Source coordinate of output pixel ``i`` (input length ``n``,
    output length ``m``): ``(i + 0.5) * n / m - 0.5`` (half-pixel) or
    ``i * (n - 1) / (m - 1)`` (``align_corners=True``). Nearest and bilinear
    output values stay within the range of ``cam``; bicubic can leave it.

    Examples
    --------
    >>> upsample([[0.0, 1.0]], (1, 4)).tolist()
    [[0.0, 0.25, 0.75, 1.0]]
    >>> upsample([[0.0, 1.0]], (1, 4), method="nearest").tolist()
    [[0.0, 0.0, 1.0, 1.0]]
    >>> step = [[0.0, 0.0, 1.0, 1.0]]
    >>> float(upsample(step, (1, 8), method="bicubic").min()) < 0  # overshoot
    True
    >>> float(upsample(step, (1, 8), method="bicubic", clamp=True).min())
    0.0
    """
    cam = _check_cam(cam)
    shape = check_shape_2d(output_shape, "output_shape")
    method = check_choice(method, "method", METHODS)
    align_corners = check_bool(align_corners, "align_corners")
    a = check_finite_float(a, "a")
    clamp = check_bool(clamp, "clamp")
    h, w = cam.shape[-2:]
    if shape[0] < h or shape[1] < w:
        raise ValueError(
            f"`output_shape` must be at least the map's shape {(h, w)} (this "
            f"function only upsamples); got {shape}"
        )
    out = np.asarray(
        resize(cam, shape, method=method, align_corners=align_corners, a=a)
    )
    if clamp:
        lo = cam.min(axis=(-2, -1), keepdims=True)
        hi = cam.max(axis=(-2, -1), keepdims=True)
        out = np.clip(out, lo, hi)
    return out.astype(cam.dtype, copy=False)


def heatmap(
    cam: ArrayLike,
    output_shape: Sequence[int],
    *,
    method: Method = "bilinear",
    align_corners: bool = False,
    a: float = -0.5,
    clamp: bool = True,
    normalization: Normalization = "after",
    vmin: float | None = None,
    vmax: float | None = None,
) -> np.ndarray:
    """Upsample, clamp and normalise a map: the values a colormap will show.

    Parameters
    ----------
    cam : array_like, shape (h, w) or (N, h, w)
        The coarse map(s); finite.
    output_shape : tuple of 2 int
        ``(H, W)``, at least ``(h, w)``.
    method, align_corners, a
        As in :func:`upsample`.
    clamp : bool
        True (default): clip the upsampled map to the range of the values it was
        interpolated from (``[min(cam), max(cam)]`` per map). Nearest and bilinear
        never leave that range, so this only removes bicubic's overshoot.
    normalization : {"after", "before"}
        "after" (default): upsample, clamp, then min-max normalise. "before":
        normalise the coarse map, then upsample and clamp (clip to [0, 1]).
    vmin, vmax : float, optional
        Fixed scale passed to :func:`normalize` (absolute strengths).

    Returns
    -------
    numpy.ndarray, shape (H, W) or (N, H, W)
        Values in [0, 1] when ``clamp`` is True. With ``clamp=False`` and
        ``normalization="before"``, bicubic values may leave [0, 1] (a colormap then
        silently clips them). float32 if ``cam`` is float32, else float64.

    Raises
    ------
    TypeError, ValueError
        As :func:`upsample` and :func:`normalize`; ``ValueError`` if
        ``normalization`` is unknown.

    Notes
    -----
    With ``clamp=False`` and ``normalization="after"``, bicubic's undershoot
    ``u = min(upsampled) < min(cam)`` becomes the new zero, so the background
    (value ``min(cam)``) is lifted to ``(min(cam) - u) / (max - u) > 0``: the
    colormap paints faint attention where there was none. Clamping first prevents
    that.

    Resizing commutes with affine maps and min-max normalisation is one, so
    ``heatmap(..., normalization="after") = normalize(heatmap(..., "before"))``:
    the two orders draw the same shapes and differ only in contrast. "before"
    keeps the coarse scale: a bilinear map whose output pixels miss the cell
    centres never reaches 1, and unclamped bicubic leaves [0, 1], where a colormap
    clips it (flattening the peak). "after" spreads what is shown over the whole
    colour range.

    Examples
    --------
    >>> heatmap([[0.0, 2.0], [2.0, 4.0]], (2, 4)).round(3).tolist()
    [[0.0, 0.125, 0.375, 0.5], [0.5, 0.625, 0.875, 1.0]]
    """
    cam = _check_cam(cam)
    clamp = check_bool(clamp, "clamp")
    normalization = check_choice(normalization, "normalization", NORMALIZATIONS)
    source = normalize(cam, vmin=vmin, vmax=vmax) if normalization == "before" else cam
    up = upsample(
        source,
        output_shape,
        method=method,
        align_corners=align_corners,
        a=a,
        clamp=clamp,
    )
    if normalization == "before":
        return up.astype(cam.dtype, copy=False)
    return normalize(up, vmin=vmin, vmax=vmax)


def colormap(values: ArrayLike, cmap: str | Colormap = "viridis") -> np.ndarray:
    """Colour values in [0, 1] with a matplotlib colormap (RGB, no alpha).

    Parameters
    ----------
    values : array_like, any shape ``S``
        Finite values; those outside [0, 1] are clipped to it (matplotlib would
        also paint them with the end colours).
    cmap : str or matplotlib.colors.Colormap
        Prefer perceptually uniform maps: "viridis" (default), "magma", "cividis".

    Returns
    -------
    numpy.ndarray, shape ``S + (3,)``
        sRGB colours in [0, 1], float64.

    Raises
    ------
    TypeError
        If ``values`` is not numeric.
    ValueError
        If ``values`` contains NaN or infinity, or ``cmap`` is not a colormap.

    Notes
    -----
    matplotlib colormaps are lookup tables of ``cmap.N`` colours (256 for the
    built-in ones): the value ``v`` gets entry ``min(floor(v * N), N - 1)``.

    Examples
    --------
    >>> colormap([0.0, 1.0], "gray").tolist()
    [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]
    """
    values = as_float_array(values, "values", min_size=0, dtype=np.float64)
    cm = _check_cmap(cmap)
    return np.asarray(cm(np.clip(values, 0.0, 1.0)), dtype=np.float64)[..., :3]


def overlay(
    image: ArrayLike,
    cam: ArrayLike,
    *,
    method: Method = "bilinear",
    align_corners: bool = False,
    a: float = -0.5,
    clamp: bool = True,
    normalization: Normalization = "after",
    cmap: str | Colormap = "viridis",
    alpha: float = 0.5,
    vmin: float | None = None,
    vmax: float | None = None,
) -> np.ndarray:
    """Show a coarse attention map on its image: the safe recipe.

    Parameters
    ----------
    image : array_like, shape (H, W) grey or (H, W, 3) RGB
        uint8 (0..255) or floats in [0, 1]; finite.
    cam : array_like, shape (h, w)
        The coarse map, ``h <= H``, ``w <= W``; finite (NaN raises: a NaN map
        means something upstream went wrong, and hiding it would hide the bug).
    method : {"nearest", "bilinear", "bicubic"}
        Default "bilinear": smooth, and its values stay within the range of the
        coarse map (what Grad-CAM's authors used). "nearest" shows the raw cells,
        "bicubic" is sharper but overshoots.
    align_corners : bool
        Default False: the half-pixel mapping, which puts each cell's value at the
        centre of the image block it summarises. True shifts the map.
    a : float
        Keys parameter for "bicubic".
    clamp : bool
        Default True: clip to the range of the coarse values, so bicubic cannot
        invent negative attention that normalisation turns into a lifted
        background.
    normalization : {"after", "before"}
        Default "after": normalise the map that is shown, so 0 and 1 are the
        darkest and brightest colours actually on screen.
    cmap : str or Colormap
        Default "viridis": perceptually uniform, its lightness rises steadily, so
        it draws no edges that are not in the data (unlike "jet").
    alpha : float in [0, 1]
        Weight of the colour in the blend ``(1 - alpha) * image + alpha * colour``.
        Default 0.5. A convex blend keeps the result in [0, 1] with no rescaling,
        so the image keeps its brightness.
    vmin, vmax : float, optional
        A fixed scale for the map instead of per-image min-max (compare strengths
        across images).

    Returns
    -------
    numpy.ndarray, shape (H, W, 3)
        RGB in [0, 1]; float32 if ``image`` is float32, else float64.

    Raises
    ------
    TypeError
        If ``image`` is neither uint8 nor floating point, or an argument has the
        wrong type.
    ValueError
        If a shape is wrong, ``image`` or ``cam`` is not finite, a float ``image``
        leaves [0, 1], ``alpha`` is outside [0, 1], or a name is unknown.

    Notes
    -----
    ``overlay = (1 - alpha) * rgb(image) + alpha * colormap(heatmap(cam, (H, W)))``
    with :func:`heatmap` (upsample, clamp, normalise). A grey image is repeated
    on the three channels. Axes are (row, col); no (width, height) anywhere.

    Examples
    --------
    >>> image = np.zeros((4, 4), dtype=np.uint8)
    >>> out = overlay(image, [[0.0, 1.0], [0.0, 0.0]], cmap="gray", alpha=1.0)
    >>> out.shape, out.dtype.name
    ((4, 4, 3), 'float64')
    >>> out[0, :, 0].round(3).tolist()  # grey LUT entries 64/255 and 192/255
    [0.0, 0.251, 0.753, 1.0]
    """
    img = np.asarray(image) if not isinstance(image, (str, bytes)) else image
    if isinstance(img, np.ndarray) and img.dtype == np.uint8:
        rgb = img.astype(np.float64) / 255.0
        out_dtype = np.dtype(np.float64)
    elif isinstance(img, np.ndarray) and np.issubdtype(img.dtype, np.floating):
        rgb = as_float_array(img, "image")
        out_dtype = rgb.dtype
        if rgb.size and (rgb.min() < 0.0 or rgb.max() > 1.0):
            raise ValueError(
                "`image` must be uint8 (0..255) or floats in [0, 1]; got floats in "
                f"[{rgb.min()}, {rgb.max()}] (rescale it, e.g. with normalize)"
            )
    else:
        raise TypeError(
            "`image` must be a uint8 array (0..255) or a float array in [0, 1]; "
            f"got {_describe(image)}"
        )
    if not (rgb.ndim == 2 or (rgb.ndim == 3 and rgb.shape[-1] == 3)):
        raise ValueError(
            f"`image` must have shape (H, W) or (H, W, 3); got shape {rgb.shape}"
        )
    cam = as_float_array(cam, "cam", ndim=2)
    alpha = _check_unit_float(alpha, "alpha")
    _check_cmap(cmap)
    heat = heatmap(
        cam,
        rgb.shape[:2],
        method=method,
        align_corners=align_corners,
        a=a,
        clamp=clamp,
        normalization=normalization,
        vmin=vmin,
        vmax=vmax,
    )
    colours = colormap(heat, cmap)
    base = rgb.astype(np.float64)
    if base.ndim == 2:
        base = np.repeat(base[..., None], 3, axis=-1)
    out = (1.0 - alpha) * base + alpha * colours
    return np.clip(out, 0.0, 1.0).astype(out_dtype, copy=False)
