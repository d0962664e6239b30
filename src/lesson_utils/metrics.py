"""Measuring heat maps: localisation, intervals, map similarity and deletion.

Introduced in Chapter 6 ("Grad-CAM step by step"), which grades Grad-CAM maps on
phantoms whose lesion masks are known, over several trained models. Four kinds of
measure live here; all take numpy arrays and return new arrays, and only
:func:`deletion_curve` touches a model:

* **localisation** against a ground-truth mask: :func:`pointing_game` (does the
  maximum fall on the lesion?), :func:`cam_iou` and :func:`energy_inside`;
* **intervals**: :func:`bootstrap_ci` (images resampled, paired across methods),
  :func:`two_level_bootstrap_ci` (models *and* images resampled),
  :func:`binomial_ci` (exact Clopper-Pearson or Wilson, for counts of hits) and
  :func:`score_interval`, which uses the exact interval exactly when every score is
  0 or every score is 1 (where a bootstrap interval would have zero width);
* **map similarity**, for the sanity checks of Adebayo et al. (2018):
  :func:`spearman` (rank correlation of two maps) and :func:`ssim` (structural
  similarity);
* **faithfulness to the model**: :func:`deletion_curve` deletes the pixels a map
  ranks first and records the model's output, which asks the model rather than the
  mask whether those pixels mattered.

Maps are (H, W) or (N, H, W) arrays, masks boolean arrays of the same shape; axes are
(row, col) = (y, x).
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any, Literal, NamedTuple, get_args

import numpy as np
from numpy.typing import ArrayLike

from ._validate import (
    _describe,
    as_float_array,
    check_choice,
    check_finite_float,
    check_positive_int,
)

__all__ = [
    "pointing_game",
    "cam_iou",
    "energy_inside",
    "bootstrap_ci",
    "two_level_bootstrap_ci",
    "binomial_ci",
    "Interval",
    "score_interval",
    "spearman",
    "ssim",
    "deletion_curve",
]

IntervalMethod = Literal["clopper-pearson", "wilson"]
DeletionOutput = Literal["probability", "logit"]
INTERVAL_METHODS: tuple[IntervalMethod, ...] = get_args(IntervalMethod)
DELETION_OUTPUTS: tuple[DeletionOutput, ...] = get_args(DeletionOutput)


# ------------------------------------------------------------------ localisation
def _stacked_pair(
    x: np.ndarray, y: np.ndarray, names: tuple[str, str]
) -> tuple[np.ndarray, np.ndarray]:
    """Check that ``y`` has the shape of ``x``; give a single map an image axis."""
    if y.shape != x.shape:
        raise ValueError(
            f"`{names[1]}` must have the shape of `{names[0]}` {x.shape}; "
            f"got shape {y.shape}"
        )
    return (x[None], y[None]) if x.ndim == 2 else (x, y)


def _maps_and_masks(cam: Any, mask: Any) -> tuple[np.ndarray, np.ndarray]:
    c = as_float_array(cam, "cam", ndim=(2, 3), dtype=np.float64)
    m = np.asarray(mask)
    if m.dtype != bool:
        raise TypeError(f"`mask` must be a boolean array; got dtype {m.dtype}")
    return _stacked_pair(c, m, ("cam", "mask"))


def _grow_along(mask: np.ndarray, radius: int, axis: int) -> np.ndarray:
    """True where a True lies within ``radius`` along ``axis`` (running counts)."""
    n = mask.shape[axis]
    counts = np.cumsum(mask, axis=axis, dtype=np.int64)
    zero = np.zeros_like(np.take(counts, [0], axis=axis))
    counts = np.concatenate([zero, counts], axis=axis)  # counts[k] = sum of mask[:k]
    idx = np.arange(n)
    upper = np.minimum(idx + radius, n - 1) + 1
    lower = np.maximum(idx - radius, 0)
    inside = np.take(counts, upper, axis=axis) - np.take(counts, lower, axis=axis)
    grown: np.ndarray = inside > 0
    return grown


def pointing_game(cam: ArrayLike, mask: ArrayLike, *, tolerance: int = 0) -> np.ndarray:
    """Does the heat map's maximum fall on the lesion? One score per image.

    Parameters
    ----------
    cam : array_like, shape (H, W) or (N, H, W)
        Heat maps on the image grid (upsampled).
    mask : array_like of bool, same shape
        Ground-truth lesion masks.
    tolerance : int
        A maximum counts as a hit if a mask pixel lies within ``tolerance`` pixels
        of it in both row and column (a square window); 0 = on the mask itself.

    Returns
    -------
    numpy.ndarray of float64, shape (N,)
        Each image's score in [0, 1].

    Raises
    ------
    TypeError, ValueError
        For non-numeric maps, non-boolean masks, shape mismatch, negative tolerance.

    Notes
    -----
    **Tie rule.** Every pixel equal to the image's maximum is a maximum (a
    nearest-upsampled map has whole blocks of them, and ``np.argmax`` would pick the
    block's top-left pixel). The score is the *fraction of maxima that hit*, the
    expected hit rate of breaking ties uniformly at random, so a tie neither helps
    nor hurts. An all-zero map is all ties; its score is the hit fraction of the
    whole image, the chance level.

    **Tolerance.** The mask is grown by a square window of side
    ``2 * tolerance + 1``. The window is separable (grow along rows, then along
    columns), and each 1-D step counts the mask pixels in a window as a difference
    of two running sums, so the cost is O(N H W) whatever the tolerance.

    Examples
    --------
    >>> cam = np.array([[0.0, 1.0], [1.0, 0.5]])
    >>> mask = np.array([[False, True], [False, False]])
    >>> pointing_game(cam, mask).tolist()
    [0.5]
    >>> pointing_game(cam, mask, tolerance=1).tolist()
    [1.0]
    """
    c, m = _maps_and_masks(cam, mask)
    tolerance = check_positive_int(tolerance, "tolerance", minimum=0)
    if tolerance:
        m = _grow_along(_grow_along(m, tolerance, axis=1), tolerance, axis=2)
    peak = c == c.max(axis=(1, 2), keepdims=True)
    hits: np.ndarray = (peak & m).sum(axis=(1, 2)) / peak.sum(axis=(1, 2))
    return hits


def cam_iou(cam: ArrayLike, mask: ArrayLike, *, threshold: float = 0.5) -> np.ndarray:
    """Intersection over union of ``cam >= threshold * max(cam)`` with the mask.

    Parameters
    ----------
    cam : array_like, shape (H, W) or (N, H, W)
        Heat maps on the image grid.
    mask : array_like of bool, same shape
        Ground-truth masks.
    threshold : float
        Fraction of each map's own maximum, in (0, 1]. An all-zero map selects no
        pixel (IoU 0).

    Returns
    -------
    numpy.ndarray of float64, shape (N,)

    Raises
    ------
    TypeError, ValueError
        For bad inputs or a threshold outside (0, 1].

    Examples
    --------
    >>> cam = np.array([[0.2, 1.0], [0.6, 0.0]])
    >>> mask = np.array([[False, True], [False, False]])
    >>> cam_iou(cam, mask, threshold=0.5).tolist()
    [0.5]
    """
    c, m = _maps_and_masks(cam, mask)
    threshold = check_finite_float(threshold, "threshold")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"`threshold` must lie in (0, 1]; got {threshold}")
    peak = c.max(axis=(1, 2), keepdims=True)
    region = (c >= threshold * peak) & (peak > 0)
    inter = (region & m).sum(axis=(1, 2))
    union = (region | m).sum(axis=(1, 2))
    return np.where(union > 0, inter / np.maximum(union, 1), 0.0)


def energy_inside(cam: ArrayLike, mask: ArrayLike) -> np.ndarray:
    """Fraction of the heat map's mass inside the mask: ``sum(cam*mask)/sum(cam)``.

    Parameters
    ----------
    cam : array_like, shape (H, W) or (N, H, W)
        Non-negative heat maps (negative values are clipped to 0 first).
    mask : array_like of bool, same shape

    Returns
    -------
    numpy.ndarray of float64, shape (N,)
        In [0, 1]; an all-zero map scores 0.

    Raises
    ------
    TypeError, ValueError
        For non-numeric maps, non-boolean masks or a shape mismatch.

    Examples
    --------
    >>> energy_inside([[1.0, 3.0]], [[False, True]]).tolist()
    [0.75]
    """
    c, m = _maps_and_masks(cam, mask)
    c = np.maximum(c, 0.0)
    total = c.sum(axis=(1, 2))
    inside = (c * m).sum(axis=(1, 2))
    return np.where(total > 0, inside / np.where(total > 0, total, 1.0), 0.0)


# --------------------------------------------------------------------- intervals
def _check_level(level: Any) -> float:
    value = check_finite_float(level, "level")
    if not 0.0 < value < 1.0:
        raise ValueError(f"`level` must lie in (0, 1); got {value}")
    return value


def bootstrap_ci(
    scores: ArrayLike, *, seed: int, n_boot: int = 2000, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval of the mean over images, paired across rows.

    Parameters
    ----------
    scores : array_like, shape (n,) or (M, n)
        Per-image scores; each of the ``M`` rows (e.g. upsampling methods) is
        scored on the same ``n`` images.
    seed : int
        Seed of the resampling.
    n_boot : int
        Number of bootstrap resamples.
    level : float
        Coverage, in (0, 1).

    Returns
    -------
    low, high : numpy.ndarray, shape () or (M,)
        Interval bounds of each row's mean.

    Raises
    ------
    TypeError, ValueError
        For non-numeric or non-finite scores, scores that are not 1-D or 2-D, a
        bad ``seed``/``n_boot``, or ``level`` outside (0, 1).

    Notes
    -----
    Every resample draws ``n`` image indices with replacement and uses the *same*
    indices for all rows (a paired bootstrap), so an interval of the difference of
    two rows is obtained by passing the difference ``scores[i] - scores[j]``. The
    images are the only source of variation here: for scores of several trained
    models use :func:`two_level_bootstrap_ci`.

    Examples
    --------
    >>> low, high = bootstrap_ci(np.r_[np.zeros(50), np.ones(50)], seed=0)
    >>> bool(0.35 < low < 0.5 < high < 0.65)
    True
    """
    s = as_float_array(scores, "scores", ndim=(1, 2), dtype=np.float64)
    seed = check_positive_int(seed, "seed", minimum=0)
    n_boot = check_positive_int(n_boot, "n_boot")
    level = _check_level(level)
    rng = np.random.default_rng(seed)
    n = s.shape[-1]
    idx = rng.integers(0, n, size=(n_boot, n))
    means = s[..., idx].mean(axis=-1)  # (..., n_boot)
    q = (1.0 - level) / 2.0
    low, high = np.quantile(means, [q, 1.0 - q], axis=-1)
    return low, high


def two_level_bootstrap_ci(
    scores: ArrayLike, *, seed: int, n_boot: int = 2000, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval of the mean over models *and* images.

    Parameters
    ----------
    scores : array_like, shape (S, n) or (M, S, n)
        ``scores[..., s, i]`` is the score of image ``i`` under trained model ``s``
        (e.g. a training seed); every model is scored on the same ``n`` images, and
        each of the ``M`` rows (e.g. upsampling methods) on the same models and
        images.
    seed, n_boot, level
        As in :func:`bootstrap_ci`: the seed of the resampling, the number of
        resamples and the coverage, in (0, 1).

    Returns
    -------
    low, high : numpy.ndarray, shape () or (M,)
        Interval bounds of each row's grand mean.

    Raises
    ------
    TypeError, ValueError
        As :func:`bootstrap_ci`; ``ValueError`` if ``scores`` is not 2-D or 3-D or
        has fewer than 2 models.

    Notes
    -----
    A score varies because of the model (another seed trains another network) and
    because of the image. Each resample draws ``S`` model indices and ``n`` image
    indices with replacement, independently, and averages
    ``scores[..., s*, i*]``. Because every model sees the *same* images (a crossed
    design, not images nested in models), one set of image indices serves all
    resampled models: drawing images afresh for each model would treat the images
    of different models as independent and make the interval too narrow. The same
    indices are used for every row, so passing ``scores[a] - scores[b]`` gives the
    interval of a paired difference. With few models (five, say) the model level
    of the interval is itself rough: a percentile bootstrap over five values
    understates their spread a little (by a factor of about ``sqrt((S-1)/S)``).

    Examples
    --------
    >>> s = np.array([[0.0, 1.0, 1.0, 1.0], [1.0, 1.0, 0.0, 1.0]])
    >>> low, high = two_level_bootstrap_ci(s, seed=0)
    >>> bool(low < s.mean() < high)
    True
    """
    s = as_float_array(scores, "scores", ndim=(2, 3), dtype=np.float64)
    seed = check_positive_int(seed, "seed", minimum=0)
    n_boot = check_positive_int(n_boot, "n_boot")
    level = _check_level(level)
    n_models, n_images = s.shape[-2:]
    if n_models < 2:
        raise ValueError(
            "`scores` must hold at least 2 models (shape (S, n) with S >= 2); "
            f"got shape {s.shape}"
        )
    rng = np.random.default_rng(seed)
    models = rng.integers(0, n_models, size=(n_boot, n_models))
    images = rng.integers(0, n_images, size=(n_boot, n_images))
    means = np.empty((*s.shape[:-2], n_boot))
    chunk = max(1, 2_000_000 // (n_models * n_images))  # resamples per step
    for b in range(0, n_boot, chunk):
        m = models[b : b + chunk, :, None]  # (B, S, 1)
        i = images[b : b + chunk, None, :]  # (B, 1, n)
        means[..., b : b + chunk] = s[..., m, i].mean(axis=(-2, -1))
    q = (1.0 - level) / 2.0
    low, high = np.quantile(means, [q, 1.0 - q], axis=-1)
    return low, high


def _check_count(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return check_positive_int(value, name, minimum=minimum)


def _binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p), summed in log space (0 < p < 1)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    terms = [
        math.lgamma(n + 1)
        - math.lgamma(i + 1)
        - math.lgamma(n - i + 1)
        + i * log_p
        + (n - i) * log_q
        for i in range(k + 1)
    ]
    top = max(terms)
    return min(1.0, math.exp(top) * math.fsum(math.exp(t - top) for t in terms))


def _solve_decreasing(f: Any, target: float) -> float:
    """The p in (0, 1) where the decreasing function f(p) equals target (bisection)."""
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if f(mid) > target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def binomial_ci(
    successes: int,
    trials: int,
    *,
    level: float = 0.95,
    method: IntervalMethod = "clopper-pearson",
) -> tuple[float, float]:
    """Confidence interval of a proportion from ``successes`` out of ``trials``.

    Parameters
    ----------
    successes : int
        Number of hits, ``0 <= successes <= trials``.
    trials : int
        Number of independent trials, >= 1.
    level : float
        Coverage, in (0, 1).
    method : {"clopper-pearson", "wilson"}
        "clopper-pearson" (default): the exact interval, whose coverage is at least
        ``level`` for every true proportion. "wilson": the score interval, closer to
        ``level`` on average but not guaranteed.

    Returns
    -------
    low, high : float
        Bounds in [0, 1], with ``low < high``.

    Raises
    ------
    TypeError
        If a count is not an integer.
    ValueError
        If ``trials < 1``, ``successes`` is outside ``0 .. trials``, ``level`` is
        outside (0, 1) or ``method`` is unknown.

    Notes
    -----
    With ``a = 1 - level``, the Clopper-Pearson bounds are the proportions under
    which the observed count is just too surprising at ``a / 2`` on each side:
    ``low`` solves ``P(X >= k | p) = a/2`` and ``high`` solves
    ``P(X <= k | p) = a/2`` (``low = 0`` if ``k = 0``, ``high = 1`` if ``k = n``).
    Both tails are monotone in ``p``, so bisection finds them. For ``k = n``,
    ``P(X >= n | p) = p^n``, so ``low = (a/2)^(1/n)``: 300 hits out of 300 give
    ``[0.988, 1]``, not the zero-width ``[1, 1]`` a bootstrap reports.
    Wilson: ``(k + z^2/2 +- z sqrt(k(n-k)/n + z^2/4)) / (n + z^2)`` with ``z`` the
    normal quantile of ``1 - a/2``. Both agree with
    ``scipy.stats.binomtest(k, n).proportion_ci(level, method)``.

    Examples
    --------
    >>> low, high = binomial_ci(300, 300)
    >>> round(low, 4), high
    (0.9878, 1.0)
    >>> [round(v, 4) for v in binomial_ci(0, 10, method="wilson")]
    [0.0, 0.2775]
    """
    n = _check_count(trials, "trials", 1)
    k = _check_count(successes, "successes", 0)
    if k > n:
        raise ValueError(
            f"`successes` must lie in 0 .. trials ({n}); got {_describe(successes)}"
        )
    level = _check_level(level)
    how = check_choice(method, "method", INTERVAL_METHODS)
    a = 1.0 - level
    if how == "wilson":
        z = NormalDist().inv_cdf(1.0 - a / 2.0)
        centre = (k + z * z / 2.0) / (n + z * z)
        half = z * math.sqrt(k * (n - k) / n + z * z / 4.0) / (n + z * z)
        # at k = 0 (k = n) the bound is exactly 0 (1); say so despite round-off
        low = 0.0 if k == 0 else max(0.0, centre - half)
        high = 1.0 if k == n else min(1.0, centre + half)
        return low, high
    if k == 0:
        low = 0.0
    elif k == n:
        low = (a / 2.0) ** (1.0 / n)
    else:  # P(X >= k | p) = 1 - P(X <= k - 1 | p) grows with p
        low = _solve_decreasing(lambda p: _binomial_cdf(k - 1, n, p), 1.0 - a / 2.0)
    if k == n:
        high = 1.0
    elif k == 0:
        high = 1.0 - (a / 2.0) ** (1.0 / n)
    else:  # P(X <= k | p) falls with p
        high = _solve_decreasing(lambda p: _binomial_cdf(k, n, p), a / 2.0)
    return low, high


class Interval(NamedTuple):
    """A mean with its interval and how the interval was obtained."""

    mean: float
    low: float
    high: float
    method: str  # "two-level bootstrap" or "clopper-pearson"


def score_interval(
    scores: ArrayLike, *, seed: int, n_boot: int = 2000, level: float = 0.95
) -> Interval:
    """The mean of per-(model, image) scores and an interval that is never degenerate.

    Parameters
    ----------
    scores : array_like, shape (S, n)
        Score of image ``i`` under model ``s`` (as :func:`two_level_bootstrap_ci`).
    seed, n_boot, level
        As :func:`two_level_bootstrap_ci`.

    Returns
    -------
    Interval
        ``mean``, ``low``, ``high`` and ``method``: "two-level bootstrap" in
        general; "clopper-pearson" when every score is 0 or every score is 1.

    Raises
    ------
    TypeError, ValueError
        As :func:`two_level_bootstrap_ci`.

    Notes
    -----
    When every model scores 1 on every image (or 0), every resample does too and
    the bootstrap interval is ``[1, 1]``: it says "no uncertainty", which is false.
    The exact binomial interval of ``n`` hits out of ``n`` images is used instead
    (:func:`binomial_ci`). It counts images, not (model, image) pairs: the models
    were scored on the same images, so the pairs are not independent trials, and
    counting images is the cautious choice.

    Examples
    --------
    >>> mean, low, high, how = score_interval(np.ones((5, 300)), seed=0)
    >>> mean, round(low, 4), high, how
    (1.0, 0.9878, 1.0, 'clopper-pearson')
    """
    s = as_float_array(scores, "scores", ndim=2, dtype=np.float64)
    mean = float(s.mean())
    if np.all(s == 1.0) or np.all(s == 0.0):
        n = s.shape[1]
        low, high = binomial_ci(int(round(mean)) * n, n, level=level)
        return Interval(mean, low, high, "clopper-pearson")
    low_b, high_b = two_level_bootstrap_ci(s, seed=seed, n_boot=n_boot, level=level)
    return Interval(mean, float(low_b), float(high_b), "two-level bootstrap")


# ------------------------------------------------------------------ similarity
def _pair_of_maps(a: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
    x = as_float_array(a, "a", ndim=(2, 3), dtype=np.float64)
    y = as_float_array(b, "b", ndim=(2, 3), dtype=np.float64)
    return _stacked_pair(x, y, ("a", "b"))


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n of a 1-D array; tied values share the mean of their ranks."""
    order = np.argsort(values, kind="stable")
    ranked = values[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    ends = np.r_[starts[1:], ranked.size]  # a run of ties is ranked[start:end]
    mean_rank = (starts + ends + 1) / 2.0  # mean of start+1 .. end
    ranks = np.empty(values.size)
    ranks[order] = np.repeat(mean_rank, ends - starts)
    return ranks


def spearman(a: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Spearman rank correlation of two maps (or of each pair of maps).

    Parameters
    ----------
    a, b : array_like, shape (H, W) or (N, H, W)
        Maps to compare, cell by cell (same shape).

    Returns
    -------
    numpy.ndarray of float64, shape (N,)
        In [-1, 1]: 1 when the two maps order their cells the same way, whatever
        their scales; 0 when a map is constant (it orders nothing).

    Raises
    ------
    TypeError, ValueError
        For non-numeric or non-finite maps, or maps of different shapes.

    Notes
    -----
    The Pearson correlation of the cells' ranks; tied cells get the mean of their
    ranks (as ``scipy.stats.spearmanr``). A constant map (Grad-CAM gives an
    all-zero map when the ReLU removes every cell) has no ranking: its correlation
    is 0/0, and this function returns 0 rather than NaN.

    Examples
    --------
    >>> spearman([[1.0, 2.0], [3.0, 4.0]], [[10.0, 20.0], [30.0, 400.0]]).tolist()
    [1.0]
    >>> spearman([[1.0, 2.0], [3.0, 4.0]], [[4.0, 3.0], [2.0, 1.0]]).tolist()
    [-1.0]
    """
    x, y = _pair_of_maps(a, b)
    out = np.zeros(x.shape[0])
    for i in range(x.shape[0]):
        rx = _average_ranks(x[i].ravel())
        ry = _average_ranks(y[i].ravel())
        rx -= rx.mean()
        ry -= ry.mean()
        norm = math.sqrt(float(rx @ rx) * float(ry @ ry))
        if norm > 0:
            out[i] = float(np.clip(rx @ ry / norm, -1.0, 1.0))
    return out


def _box_mean(x: np.ndarray, window: int) -> np.ndarray:
    """Mean over every ``window x window`` block fully inside each (H, W) map."""
    c = np.cumsum(np.cumsum(x, axis=-2), axis=-1)
    c = np.pad(c, ((0, 0), (1, 0), (1, 0)))
    total = (
        c[:, window:, window:]
        - c[:, :-window, window:]
        - c[:, window:, :-window]
        + c[:, :-window, :-window]
    )
    mean: np.ndarray = total / (window * window)
    return mean


def ssim(
    a: ArrayLike,
    b: ArrayLike,
    *,
    window: int = 7,
    data_range: float = 1.0,
) -> np.ndarray:
    """Structural similarity (SSIM) of two maps, the mean over sliding windows.

    Parameters
    ----------
    a, b : array_like, shape (H, W) or (N, H, W)
        Maps on a common scale (normalise them first, e.g. to [0, 1] with
        :func:`lesson_utils.heatmaps.normalize`); same shape, at least
        ``window x window``.
    window : int
        Side of the square window, >= 2 (7, as scikit-image's default).
    data_range : float
        The range the values can span (1 for maps in [0, 1]), > 0.

    Returns
    -------
    numpy.ndarray of float64, shape (N,)
        At most 1 (identical maps give 1); near 0 for unrelated maps.

    Raises
    ------
    TypeError, ValueError
        For bad maps, a window larger than the maps, or a non-positive range.

    Notes
    -----
    In each ``window x window`` block fully inside the map, with means
    ``mu_a, mu_b``, sample variances ``v_a, v_b`` and covariance ``v_ab`` (divided
    by ``window**2 - 1``)::

        SSIM = (2 mu_a mu_b + C1) (2 v_ab + C2) / ((mu_a^2 + mu_b^2 + C1)(v_a + v_b + C2))

    with ``C1 = (0.01 L)^2`` and ``C2 = (0.03 L)^2``, ``L = data_range``
    (Wang et al., 2004); the result is the mean over the blocks. These are the
    choices of ``skimage.metrics.structural_similarity`` with its defaults
    (uniform window of 7, sample covariance). The constants keep two all-zero
    maps at SSIM 1 and a zero map against a bright one near 0, with no division
    by zero.

    Examples
    --------
    >>> m = np.linspace(0, 1, 64).reshape(8, 8)
    >>> ssim(m, m).tolist()
    [1.0]
    >>> bool(ssim(m, 1 - m)[0] < 0)
    True
    """
    x, y = _pair_of_maps(a, b)
    window = check_positive_int(window, "window", minimum=2)
    data_range = check_finite_float(data_range, "data_range")
    if data_range <= 0:
        raise ValueError(f"`data_range` must be a number > 0; got {data_range!r}")
    if window > min(x.shape[-2:]):
        raise ValueError(
            f"`window` must be at most the maps' smaller side {min(x.shape[-2:])}; "
            f"got {window}"
        )
    c1 = (0.01 * data_range) ** 2
    c2 = (0.03 * data_range) ** 2
    mx, my = _box_mean(x, window), _box_mean(y, window)
    unbiased = window * window / (window * window - 1.0)
    vx = (_box_mean(x * x, window) - mx * mx) * unbiased
    vy = (_box_mean(y * y, window) - my * my) * unbiased
    vxy = (_box_mean(x * y, window) - mx * my) * unbiased
    s = ((2 * mx * my + c1) * (2 * vxy + c2)) / (
        (mx * mx + my * my + c1) * (vx + vy + c2)
    )
    result: np.ndarray = s.mean(axis=(-2, -1))
    return result


# -------------------------------------------------------------------- deletion
def deletion_curve(
    model: Any,
    images: ArrayLike,
    saliency: ArrayLike,
    *,
    target_class: int,
    fractions: ArrayLike,
    baseline: float = 0.0,
    output: DeletionOutput = "probability",
    seed: int = 0,
    batch_size: int = 256,
) -> np.ndarray:
    """The model's output as the pixels a map ranks highest are deleted.

    Parameters
    ----------
    model : torch.nn.Module
        Maps images (B, C, H, W) to class scores (B, n_classes); evaluated in
        ``eval`` mode without gradients, and its mode is restored.
    images : array_like, shape (N, C, H, W)
        The images.
    saliency : array_like, shape (N, H, W)
        One map per image on the image grid (an upsampled heat map): its highest
        pixels are deleted first.
    target_class : int
        The class whose output is recorded.
    fractions : array_like, shape (F,)
        Fractions of the ``H * W`` pixels to delete, each in [0, 1].
    baseline : float
        The value a deleted pixel takes (in every channel).
    output : {"probability", "logit"}
        Record the softmax probability of ``target_class`` (default) or its logit.
    seed : int
        Seed of the random order among pixels of equal saliency.
    batch_size : int
        Images per forward pass.

    Returns
    -------
    numpy.ndarray of float64, shape (N, F)
        ``curve[i, f]``: the output for image ``i`` with its
        ``round(fractions[f] * H * W)`` most salient pixels set to ``baseline``.

    Raises
    ------
    TypeError, ValueError
        For malformed images, maps or fractions, a class outside the model's
        outputs, or bad ``output``/``seed``/``batch_size``.

    Notes
    -----
    The pointing game asks the *mask* whether the map's peak is on the lesion. The
    deletion curve asks the *model* whether the pixels the map ranks first are the
    ones its output depends on (Petsiuk, Das and Saenko, 2018): if they are, the
    output falls fast; a map that sits on the lesion while the decision does not
    depend on the lesion gives a curve no steeper than deleting pixels in random
    order. Pixels are ranked by decreasing saliency; ties are broken in a random
    order drawn with ``seed`` (a row-major order would favour the top of the
    image). The input arrays and the model are not changed.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> model = nn.Sequential(nn.Flatten(), nn.Linear(4, 2, bias=False))
    >>> with torch.no_grad():
    ...     _ = model[1].weight.copy_(torch.tensor([[0.0] * 4, [1.0, 0, 0, 0]]))
    >>> x = np.ones((1, 1, 2, 2))
    >>> sal = np.array([[[1.0, 0.0], [0.0, 0.0]]])  # deletes pixel (0, 0) first
    >>> deletion_curve(model, x, sal, target_class=1, fractions=[0, 0.25],
    ...                output="logit").tolist()
    [[1.0, 0.0]]
    """
    import torch

    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"`model` must be a torch.nn.Module; got {_describe(model)}")
    x = as_float_array(images, "images", ndim=4, dtype=np.float32)
    sal = as_float_array(saliency, "saliency", ndim=3, dtype=np.float64)
    n, _, height, width = x.shape
    if sal.shape != (n, height, width):
        raise ValueError(
            f"`saliency` must have shape {(n, height, width)} (one map per image on "
            f"the image grid); got shape {sal.shape}"
        )
    f = as_float_array(fractions, "fractions", ndim=1, dtype=np.float64)
    if np.any((f < 0) | (f > 1)):
        raise ValueError(f"`fractions` must lie in [0, 1]; got {f.tolist()}")
    target_class = check_positive_int(target_class, "target_class", minimum=0)
    baseline = check_finite_float(baseline, "baseline")
    record = check_choice(output, "output", DELETION_OUTPUTS)
    seed = check_positive_int(seed, "seed", minimum=0)
    batch_size = check_positive_int(batch_size, "batch_size")

    rng = np.random.default_rng(seed)
    n_pixels = height * width
    tie_break = rng.random((n, n_pixels))
    flat = sal.reshape(n, n_pixels)
    # rank: decreasing saliency, ties by the random key (lexsort: last key first)
    order = np.stack([np.lexsort((tie_break[i], -flat[i])) for i in range(n)])
    counts = np.rint(f * n_pixels).astype(np.intp)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(n_pixels)[None, :], axis=1)
    rank = rank.reshape(n, 1, height, width)

    was_training = model.training
    model.eval()
    flat = np.empty(f.size * n)  # row r: fraction r // n, image r % n
    try:
        with torch.no_grad():
            for start in range(0, flat.size, batch_size):
                rows = np.arange(start, min(start + batch_size, flat.size))
                j, i = np.divmod(rows, n)
                gone = rank[i] < counts[j][:, None, None, None]
                batch = np.where(gone, np.float32(baseline), x[i])
                scores = model(torch.from_numpy(batch))
                if scores.ndim != 2 or not 0 <= target_class < scores.shape[1]:
                    raise ValueError(
                        f"`target_class` must lie in 0 .. {scores.shape[-1] - 1}; "
                        f"got {target_class}"
                    )
                if record == "probability":
                    scores = torch.softmax(scores, dim=1)
                flat[rows] = scores[:, target_class].double().numpy()
    finally:
        model.train(was_training)
    curve = flat.reshape(f.size, n).T.copy()
    return curve
