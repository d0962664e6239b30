"""Synthetic "MRI-like" head phantoms with known lesion masks.

Introduced in Chapter 6 ("Grad-CAM step by step"). Without internet there are no
pretrained weights and no medical data sets; these phantoms replace both, with one
advantage: the lesion mask of every image is known, so the chapter can *measure*
whether a heat map points at the lesion.

Every image is drawn on the same pixel grid as the rest of the book: pixel
``(row, col) = (y, x)`` has its centre at integer coordinates, ``0 .. size - 1``::

    (0,0) (0,1) ...            head: textured ellipse, skull ring around it,
    (1,0)  .                   two dark "ventricles", 1-3 small bright dots
     ...        .   o <- lesion (class 1 only): a disc or a ring, 3-7 px radius

The lesion mask is the lesion's full disc (for a ring lesion: the ring and the dark
core it encloses), so "pointing at the lesion" means pointing inside its outline.
"""

from __future__ import annotations

import numpy as np

from ._validate import check_positive_int

__all__ = ["LESION_RADIUS", "DOT_RADIUS", "make_phantoms"]

#: Smallest and largest lesion radius, in pixels (for ``size=64``; scaled with size).
LESION_RADIUS: tuple[float, float] = (3.0, 7.0)
#: Smallest and largest radius of the bright distractor dots (both classes).
DOT_RADIUS: tuple[float, float] = (0.8, 1.6)


def _smooth_noise(
    rng: np.random.Generator, n: int, size: int, sigma: float
) -> np.ndarray:
    """White noise low-passed by a Gaussian of width ``sigma`` px, unit std."""
    white = rng.standard_normal((n, size, size))
    f = np.fft.fftfreq(size)
    gauss = np.exp(-2.0 * (np.pi * sigma) ** 2 * (f[:, None] ** 2 + f[None, :] ** 2))
    smooth = np.fft.ifft2(np.fft.fft2(white) * gauss).real
    smooth /= smooth.std(axis=(1, 2), keepdims=True)
    return smooth


def make_phantoms(
    n: int, *, seed: int, size: int = 64
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Generate ``n`` head phantoms, half of them with a lesion.

    Parameters
    ----------
    n : int
        Number of images, >= 1. Exactly ``n // 2`` of them carry a lesion (label 1),
        in a random order.
    seed : int
        Seed of the random generator (``numpy.random.default_rng(seed)``); the same
        ``(n, seed, size)`` always gives the same arrays.
    size : int
        Height and width of the images in pixels, >= 16.

    Returns
    -------
    images : numpy.ndarray of float32, shape (n, 1, size, size)
        Intensities, mostly in [0, 1] (noise can leave that range slightly); one
        channel, ready for a ``torch.nn.Conv2d`` with ``in_channels=1``.
    labels : numpy.ndarray of int64, shape (n,)
        1 if the image contains a lesion, else 0.
    masks : numpy.ndarray of bool, shape (n, size, size)
        The lesion's disc; all False for label 0. ``masks[i].any() == labels[i]``.

    Raises
    ------
    TypeError
        If ``n``, ``seed`` or ``size`` is not an integer.
    ValueError
        If ``n < 1``, ``seed < 0`` or ``size < 16``.

    Notes
    -----
    Each image is, in this order: a background of 0; a head ellipse (semi-axes
    0.38-0.42 and 0.33-0.38 of ``size``, tilted by up to 0.3 rad, centre within 2 px
    of the image centre) of brain intensity 0.45 plus smooth texture;
    a skull ring of intensity 0.9 just outside it; two dark ventricles; 1 to 3
    bright dots of radius :data:`DOT_RADIUS` (in *both* classes, so a bright pixel
    alone does not reveal the class); for label 1 a lesion of radius
    :data:`LESION_RADIUS` centred inside the inner 70 % of the brain ellipse, solid
    (intensity 0.85-1.0, 60 % of lesions) or a ring (bright rim 1.5-2.5 px wide
    around a dark core, 40 %); finally Gaussian noise of standard deviation 0.04.
    Lengths scale with ``size / 64``.

    Examples
    --------
    >>> images, labels, masks = make_phantoms(4, seed=0)
    >>> images.shape, images.dtype, labels.tolist()
    ((4, 1, 64, 64), dtype('float32'), [1, 0, 1, 0])
    >>> bool(np.all(masks.any(axis=(1, 2)) == labels.astype(bool)))
    True
    """
    n = check_positive_int(n, "n")
    seed = check_positive_int(seed, "seed", minimum=0)
    size = check_positive_int(size, "size", minimum=16)
    rng = np.random.default_rng(seed)
    scale = size / 64.0

    labels = np.zeros(n, dtype=np.int64)
    labels[rng.permutation(n)[: n // 2]] = 1

    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64)
    yy, xx = yy[None], xx[None]
    c = (size - 1) / 2.0

    # head ellipse: centre, semi-axes, tilt
    cy = c + rng.uniform(-2, 2, n)[:, None, None] * scale
    cx = c + rng.uniform(-2, 2, n)[:, None, None] * scale
    ry = rng.uniform(0.38, 0.42, n)[:, None, None] * size
    rx = rng.uniform(0.33, 0.38, n)[:, None, None] * size
    theta = rng.uniform(-0.3, 0.3, n)[:, None, None]
    dy, dx = yy - cy, xx - cx
    u = (np.cos(theta) * dy + np.sin(theta) * dx) / ry
    v = (-np.sin(theta) * dy + np.cos(theta) * dx) / rx
    rho = np.sqrt(u**2 + v**2)  # 1 on the inner edge of the skull

    brain = rho < 1.0
    skull = (rho >= 1.0) & (rho < 1.0 + 2.5 * scale / rx.min())
    texture = _smooth_noise(rng, n, size, sigma=3.0 * scale)
    image = np.where(brain, 0.45 + 0.07 * texture, 0.0)
    image = np.where(skull, 0.9, image)

    # two dark ventricles, symmetric about the head's long axis
    vent_r = rng.uniform(0.10, 0.16, n)[:, None, None]
    for side in (-1.0, 1.0):
        vv = (u / (1.6 * vent_r)) ** 2 + ((v - side * 0.22) / vent_r) ** 2
        image = np.where(vv < 1.0, 0.15, image)

    def random_points_in_brain(count: int, max_rho: float) -> tuple[np.ndarray, ...]:
        """Centres (y, x) uniformly inside the ellipse at ``rho < max_rho``."""
        r = max_rho * np.sqrt(rng.uniform(0, 1, count))
        phi = rng.uniform(0, 2 * np.pi, count)
        uu, vv = r * np.cos(phi), r * np.sin(phi)
        t, ryy, rxx = theta[:, 0, 0], ry[:, 0, 0], rx[:, 0, 0]
        ddy, ddx = uu * ryy, vv * rxx
        py = cy[:, 0, 0] + np.cos(t) * ddy - np.sin(t) * ddx
        px = cx[:, 0, 0] + np.sin(t) * ddy + np.cos(t) * ddx
        return py, px

    # bright distractor dots (both classes)
    n_dots = rng.integers(1, 4, n)
    for d in range(3):
        py, px = random_points_in_brain(n, 0.85)
        rad = rng.uniform(*DOT_RADIUS, n) * scale
        bright = rng.uniform(0.85, 1.0, n)
        on = (d < n_dots)[:, None, None]
        r2 = (yy - py[:, None, None]) ** 2 + (xx - px[:, None, None]) ** 2
        dot = on & (r2 <= rad[:, None, None] ** 2)
        image = np.where(dot, bright[:, None, None], image)

    # lesions (class 1 only)
    py, px = random_points_in_brain(n, 0.7)
    rad = rng.uniform(*LESION_RADIUS, n)[:, None, None] * scale
    ring = rng.uniform(0, 1, n)[:, None, None] < 0.4
    rim = rng.uniform(1.5, 2.5, n)[:, None, None] * scale
    bright = rng.uniform(0.85, 1.0, n)[:, None, None]
    r = np.sqrt((yy - py[:, None, None]) ** 2 + (xx - px[:, None, None]) ** 2)
    has = labels.astype(bool)[:, None, None]
    masks = has & (r <= rad)
    core = masks & ring & (r < rad - rim)
    image = np.where(masks, bright, image)
    image = np.where(core, 0.3, image)

    image = image + rng.normal(0.0, 0.04, image.shape)
    return image[:, None].astype(np.float32), labels, masks
