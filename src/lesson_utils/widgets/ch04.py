"""Chapter 4 widget: the four Keys weights and the interpolant of a step (``a`` varies).

Three layers (see CONTRIBUTING.md):

1. :func:`keys_frame` computes what to show (a :class:`KeysFrame`);
2. :func:`draw_keys` draws a frame, creating artists once and then only changing
   their data; the live widget calls it (the page's kernel-free twin is the
   JavaScript explorer of :mod:`lesson_utils.explorers`);
3. :func:`make_keys_explorer` wires two sliders (``x`` and ``a``) to 1 and 2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from .. import interp1d, kernels
from .._validate import as_float_array, check_finite_float, check_positive_int
from ..plotting import COLORS, Artists, FigureExplorer, Frame
from ._base import position_slider

__all__ = [
    "STEP",
    "KeysFrame",
    "keys_frame",
    "keys_figure",
    "draw_keys",
    "keys_frames",
    "KeysExplorer",
    "make_keys_explorer",
]

#: The signal of the chapter's widget: :data:`lesson_utils.kernels.UNIT_STEP`.
STEP = kernels.UNIT_STEP

_TAP_COLORS = [COLORS["extra1"], COLORS["left"], COLORS["right"], COLORS["extra2"]]


@dataclass(frozen=True, eq=False)
class KeysFrame(Frame):
    """One picture of Chapter 4: the Keys kernel's four taps at ``x``.

    The fields are described under *Returns* in :func:`keys_frame`.
    """

    values: np.ndarray
    x: float
    a: float
    indices: list[int]
    tap_values: np.ndarray
    weights: np.ndarray
    value: float
    curve_x: np.ndarray
    curve: np.ndarray
    curve_min: float
    curve_max: float
    kernel_t: np.ndarray
    kernel: np.ndarray


def keys_frame(
    x: float, values: ArrayLike, a: float = -0.5, *, n_curve: int = 201
) -> KeysFrame:
    """Everything a picture of Keys cubic interpolation at one position needs.

    The pure first layer of Chapter 4's widget: the live sliders call it and hand
    the result to :func:`draw_keys`.

    Parameters
    ----------
    x : float
        The sample position, in ``[0, n - 1]``.
    values : array_like, shape (n,)
        The samples, at positions ``0 .. n - 1``; ``n >= 2``, finite.
    a : float
        Keys parameter, finite.
    n_curve : int
        Number of points (>= 2) of the interpolant curve drawn over ``[0, n - 1]``.

    Returns
    -------
    KeysFrame
        ``values`` (the samples), ``x``, ``a``; ``indices`` (the 4 taps ``floor(x) - 1 .. floor(x) + 2``,
        possibly outside the signal), ``tap_values`` (what they read, clamped at the
        ends), ``weights`` (``k(x - index)``, summing to 1) and ``value``;
        ``curve_x`` and ``curve`` (the whole interpolant, shape ``(n_curve,)``)
        with its ``curve_min`` and ``curve_max``; ``kernel_t`` and ``kernel``
        (the kernel on [-2, 2], shape ``(n_curve,)``).

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If ``x`` lies outside ``[0, n - 1]``, ``a`` is not finite or ``values`` has
        fewer than 2 samples.

    Notes
    -----
    ``value = sum_j values[clamp(i_j)] * k(x - i_j)`` over the four taps ``i_j``;
    this is :func:`lesson_utils.interp1d.sample_1d` with ``method="cubic"`` and
    ``edge="clamp"``.

    Examples
    --------
    >>> f = keys_frame(1.5, [0.0, 0.0, 1.0, 1.0], a=-0.5)
    >>> f["indices"], f["weights"].tolist(), f["value"]
    ([0, 1, 2, 3], [-0.0625, 0.5625, 0.5625, -0.0625], 0.5)
    """
    values = as_float_array(values, "values", ndim=1, min_size=2, dtype=np.float64)
    x = check_finite_float(x, "x")
    a = check_finite_float(a, "a")
    n_curve = check_positive_int(n_curve, "n_curve", minimum=2)
    n = values.shape[0]
    if not 0.0 <= x <= n - 1:
        raise ValueError(f"`x` must lie in [0, {n - 1}] (the signal); got {x!r}")
    base = int(np.floor(x))
    indices = np.arange(base - 1, base + 3)
    weights = kernels.keys_cubic(x - indices, a)
    tap_values = values[np.clip(indices, 0, n - 1)]
    curve_x = np.linspace(0.0, n - 1.0, n_curve)
    curve = interp1d.sample_1d(values, curve_x, method="cubic", a=a)
    kernel_t = np.linspace(-2.0, 2.0, n_curve)
    return KeysFrame(
        values=values,
        x=x,
        a=a,
        indices=indices.tolist(),
        tap_values=tap_values,
        weights=weights,
        value=float(np.sum(tap_values * weights)),
        curve_x=curve_x,
        curve=curve,
        curve_min=float(curve.min()),
        curve_max=float(curve.max()),
        kernel_t=kernel_t,
        kernel=kernels.keys_cubic(kernel_t, a),
    )


def keys_figure(values: ArrayLike) -> tuple[Figure, tuple[Axes, Axes]]:
    """Create the figure: the kernel and its 4 weights (top), the signal (bottom).

    Both panels share the horizontal axis of sample positions ``0 .. n - 1``.
    """
    values = as_float_array(values, "values", ndim=1, min_size=2, dtype=np.float64)
    n = values.shape[0]
    fig, (ax_w, ax_sig) = plt.subplots(2, 1, figsize=(5.6, 3.8), dpi=80, sharex=True)
    ax_w.set_ylim(-0.35, 1.15)
    ax_w.set_ylabel("weight k(x - i)")
    ax_w.axhline(0.0, color=COLORS["grid"], lw=0.8)
    span = values.max() - values.min() + 1e-12
    ax_sig.set_ylim(values.min() - 0.3 * span, values.max() + 0.3 * span)
    ax_sig.set_xlim(-0.5, n - 0.5)
    ax_sig.set_xticks(np.arange(n))
    ax_sig.set_xlabel("position")
    ax_sig.set_ylabel("value")
    for level in (values.min(), values.max()):
        ax_sig.axhline(level, color=COLORS["grid"], lw=0.8, ls=":")
    ax_w.set_title("two-line\nplaceholder", fontsize=8, loc="left")  # room for labels
    fig.tight_layout()
    return fig, (ax_w, ax_sig)


def draw_keys(
    ax: tuple[Axes, Axes],
    frame: KeysFrame | Mapping[str, Any],
    artists: Artists | None = None,
) -> Artists:
    """Draw one frame of Keys interpolation; update ``artists`` if given.

    Parameters
    ----------
    ax : (Axes, Axes)
        The weights axes and the signal axes (from :func:`keys_figure`).
    frame : KeysFrame
        A frame from :func:`keys_frame` (it carries the samples).
    artists : dict, optional
        What a previous call returned; then only data and texts change.

    Returns
    -------
    dict
        The artists: ``kernel`` (the kernel centred on ``x``), ``stems`` (4 lines),
        ``dots`` (the 4 weights), ``samples``, ``taps`` (the samples read),
        ``curve`` (the interpolant), ``point``, ``guide`` and ``label``.
    """
    ax_w, ax_sig = ax
    frame = KeysFrame.coerce(frame)
    values = frame.values
    x, idx, w = frame["x"], np.asarray(frame["indices"]), frame["weights"]
    n = values.shape[0]
    inside = (idx >= 0) & (idx < n)
    tap_x = np.clip(idx, 0, n - 1)
    label = (
        f"a = {frame['a']:+.2f}, x = {x:.2f}: weights "
        + ", ".join(f"{v:+.3f}" for v in w)
        + f"\nvalue {frame['value']:.3f}; interpolant from "
        f"{frame['curve_min']:.3f} to {frame['curve_max']:.3f}"
    )
    kernel_x = x - frame["kernel_t"]
    if artists is None:
        kernel = ax_w.plot(kernel_x, frame["kernel"], color=COLORS["grid"], lw=1.5)[0]
        stems = [
            ax_w.plot([i, i], [0.0, wi], color=c, lw=2)[0]
            for i, wi, c in zip(idx, w, _TAP_COLORS, strict=True)
        ]
        dots = ax_w.scatter(idx, w, c=_TAP_COLORS, zorder=3)
        samples = ax_sig.plot(
            np.arange(n), values, "o", color=COLORS["sample"], label="samples"
        )[0]
        taps = ax_sig.scatter(
            tap_x,
            frame["tap_values"],
            s=120,
            facecolors="none",
            linewidths=2,
            edgecolors=_TAP_COLORS,
            zorder=3,
        )
        curve = ax_sig.plot(
            frame["curve_x"],
            frame["curve"],
            color=COLORS["point"],
            lw=1.2,
            label="Keys interpolant",
        )[0]
        point = ax_sig.plot([x], [frame["value"]], "D", color=COLORS["point"])[0]
        guide = ax_w.axvline(x, color=COLORS["point"], lw=1, alpha=0.6)
        text = ax_w.set_title(label, fontsize=8, loc="left")
        ax_sig.legend(fontsize=8, loc="upper left")
        artists = {
            "kernel": kernel,
            "stems": stems,
            "dots": dots,
            "samples": samples,
            "taps": taps,
            "curve": curve,
            "point": point,
            "guide": guide,
            "label": text,
        }
    else:
        artists["kernel"].set_data(kernel_x, frame["kernel"])
        for stem, i, wi in zip(artists["stems"], idx, w, strict=True):
            stem.set_data([i, i], [0.0, wi])
        artists["dots"].set_offsets(np.column_stack([idx, w]))
        artists["taps"].set_offsets(np.column_stack([tap_x, frame["tap_values"]]))
        artists["curve"].set_data(frame["curve_x"], frame["curve"])
        artists["point"].set_data([x], [frame["value"]])
        artists["guide"].set_xdata([x, x])
        artists["label"].set_text(label)
    # a tap outside the signal reads the clamped end sample: draw it hollow
    artists["taps"].set_linestyles(["-" if ok else ":" for ok in inside])
    return artists


def keys_frames(
    values: ArrayLike,
    *,
    n_move: int = 20,
    n_vary: int = 16,
    a: float = -0.5,
    a_range: tuple[float, float] = (-1.5, 0.0),
) -> list[tuple[float, float]]:
    """The ``(x, a)`` pairs of the in-page explorer's Play button.

    First ``x`` sweeps from 1 to ``n - 2`` with ``a`` fixed; then ``x`` stays at
    ``n // 2 + 0.5`` (for :data:`STEP`, half a sample after the first 1, where the
    interpolant overshoots) while ``a`` goes from ``a`` to ``a_range[0]``, then up to
    ``a_range[1]``.
    """
    values = as_float_array(values, "values", ndim=1, min_size=2, dtype=np.float64)
    n_move = check_positive_int(n_move, "n_move", minimum=1)
    n_vary = check_positive_int(n_vary, "n_vary", minimum=2)
    a = check_finite_float(a, "a")
    n = values.shape[0]
    move = [
        (float(x), a) for x in np.linspace(min(1.0, n - 1), max(n - 2.0, 0), n_move)
    ]
    x_fixed = min(n // 2 + 0.5, n - 1.0)
    half = n_vary // 2
    lo, hi = (check_finite_float(v, "a_range") for v in a_range)
    sweep = np.concatenate(
        [np.linspace(a, lo, half), np.linspace(lo, hi, n_vary - half)]
    )
    return move + [(x_fixed, float(v)) for v in sweep]


class KeysExplorer(FigureExplorer[KeysFrame]):
    """Live widget: sliders for ``x`` and ``a`` driving the Chapter 4 picture.

    {attributes}
    values : numpy.ndarray
        The samples (the input).
    slider, a_slider : ipywidgets.FloatSlider
        ``controls["x"]`` and ``controls["a"]``; set ``.value`` to change them.
    """

    def __init__(self, values: ArrayLike, x: float, a: float) -> None:
        import ipywidgets as widgets

        self.values = as_float_array(
            values, "values", ndim=1, min_size=2, dtype=np.float64
        )
        start = keys_frame(x, self.values, a)  # validates x and a
        self.slider = position_slider(start.x, self.values.shape[0], "x")
        self.a_slider = widgets.FloatSlider(
            value=start.a, min=-2.0, max=0.5, step=0.05, description="a"
        )
        fig, axes = keys_figure(self.values)
        super().__init__(fig, axes, {"x": self.slider, "a": self.a_slider})

    def compute_frame(self) -> KeysFrame:
        return keys_frame(self.slider.value, self.values, self.a_slider.value)

    def draw(self, axes: Any, frame: KeysFrame, artists: Artists | None) -> Artists:
        return draw_keys(axes, frame, artists)


def make_keys_explorer(
    values: ArrayLike = STEP, x: float = 3.5, a: float = -0.5
) -> KeysExplorer:
    """Create the live explorer of Chapter 4 (display it in Jupyter).

    Parameters
    ----------
    values : array_like, shape (n,)
        The samples (default: the unit step :data:`STEP`).
    x : float
        Initial sample position, in ``[0, n - 1]``.
    a : float
        Initial Keys parameter.

    Returns
    -------
    KeysExplorer
        Keeps ``slider``, ``a_slider``, ``frame``, ``artists`` and ``view``.

    Examples
    --------
    >>> ex = make_keys_explorer(x=3.5, a=-0.5)
    >>> ex.frame["value"], ex.frame["indices"]
    (0.5, [2, 3, 4, 5])
    >>> ex.a_slider.value = -0.75
    >>> ex.frame["a"], ex.frame["curve_min"] < -0.1
    (-0.75, True)
    """
    return KeysExplorer(values, x, a)
