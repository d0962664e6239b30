"""Chapter 1 widget: linear interpolation of a 1-D signal at a moving position.

Three layers (see CONTRIBUTING.md):

1. :func:`linear_frame` computes what to show (a :class:`LinearFrame`, from
   :func:`lesson_utils.interp1d.linear_frame` and the samples);
2. :func:`draw_linear` draws a frame, creating artists once and then only changing
   their data; the live widget calls it (the page's kernel-free twin is the
   JavaScript explorer of :mod:`lesson_utils.explorers`);
3. :func:`make_linear_explorer` wires a slider to 1 and 2.
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

from .. import interp1d
from .._validate import as_float_array
from ..plotting import COLORS, Artists, FigureExplorer, Frame
from ._base import position_slider

__all__ = [
    "LinearFrame",
    "linear_frame",
    "draw_linear",
    "linear_figure",
    "LinearExplorer",
    "make_linear_explorer",
]


@dataclass(frozen=True, eq=False)
class LinearFrame(Frame):
    """One picture of Chapter 1: the value at ``x`` from its two neighbours.

    Attributes
    ----------
    values : numpy.ndarray, shape (n,)
        The samples (drawn on the first call).
    x : float
        The sample position.
    i0, i1 : int
        The left and right neighbours, ``i1 = i0 + 1``.
    v0, v1 : float
        Their values.
    w0, w1 : float
        Their weights, ``w0 = i1 - x`` and ``w1 = x - i0``.
    value : float
        ``w0 * v0 + w1 * v1``.
    """

    values: np.ndarray
    x: float
    i0: int
    i1: int
    v0: float
    v1: float
    w0: float
    w1: float
    value: float


def linear_frame(x: float, values: ArrayLike) -> LinearFrame:
    """The frame at ``x``: :func:`lesson_utils.interp1d.linear_frame` and the samples.

    Examples
    --------
    >>> f = linear_frame(2.25, [0.0, 2.0, 1.0, 3.0])
    >>> f.i0, f.w1, f.value
    (2, 0.25, 1.5)
    """
    values = as_float_array(values, "values", ndim=1, min_size=2, dtype=np.float64)
    return LinearFrame(values=values, **interp1d.linear_frame(x, values))


def linear_figure(values: ArrayLike) -> tuple[Figure, tuple[Axes, Axes]]:
    """Create the figure of Chapter 1's picture: the signal (left), the weights (right)."""
    values = as_float_array(values, "values", ndim=1, min_size=2, dtype=np.float64)
    fig, (ax_sig, ax_w) = plt.subplots(
        1, 2, figsize=(6.4, 2.6), gridspec_kw={"width_ratios": [3, 1]}
    )
    n = values.shape[0]
    pad = 0.1 * (values.max() - values.min() + 1.0)
    ax_sig.set_xlim(-0.5, n - 0.5)
    ax_sig.set_ylim(min(values.min(), 0.0) - pad, values.max() + pad)
    ax_sig.set_xticks(np.arange(n))
    ax_sig.set_xlabel("position")
    ax_sig.set_ylabel("value")
    ax_w.set_ylim(0.0, 1.05)
    ax_w.set_ylabel("weight")
    fig.tight_layout()
    return fig, (ax_sig, ax_w)


def draw_linear(
    ax: tuple[Axes, Axes],
    frame: LinearFrame | Mapping[str, Any],
    artists: Artists | None = None,
) -> Artists:
    """Draw one frame of linear interpolation; update ``artists`` if given.

    Parameters
    ----------
    ax : (Axes, Axes)
        The signal axes and the weights axes (from :func:`linear_figure`).
    frame : LinearFrame
        A frame from :func:`linear_frame` (or a mapping of its fields).
    artists : dict, optional
        What a previous call returned; then only data, heights and texts change.

    Returns
    -------
    dict
        The artists: ``samples``, ``segment``, ``left``, ``right``, ``point``,
        ``guide``, ``bars`` and ``label``.
    """
    ax_sig, ax_w = ax
    frame = LinearFrame.coerce(frame)
    values = frame.values
    i0, i1 = frame["i0"], frame["i1"]
    x, value = frame["x"], frame["value"]
    label = (
        f"x = {x:.2f}:  {frame['w0']:.2f}·v[{i0}] + {frame['w1']:.2f}·v[{i1}]"
        f" = {value:.3f}"
    )
    if artists is None:
        n = values.shape[0]
        samples = ax_sig.plot(
            np.arange(n), values, "o", color=COLORS["sample"], label="samples"
        )[0]
        segment = ax_sig.plot(
            [i0, i1], [frame["v0"], frame["v1"]], "--", color=COLORS["grid"]
        )[0]
        left = ax_sig.plot(
            [i0], [frame["v0"]], "o", ms=11, mfc="none", mew=2, color=COLORS["left"]
        )[0]
        right = ax_sig.plot(
            [i1], [frame["v1"]], "o", ms=11, mfc="none", mew=2, color=COLORS["right"]
        )[0]
        guide = ax_sig.axvline(x, color=COLORS["point"], lw=1, alpha=0.6)
        point = ax_sig.plot([x], [value], "D", color=COLORS["point"], label="f(x)")[0]
        text = ax_sig.set_title(label, fontsize=9, loc="left")
        bars = ax_w.bar(
            [0, 1],
            [frame["w0"], frame["w1"]],
            color=[COLORS["left"], COLORS["right"]],
        )
        ax_w.set_xticks([0, 1], [f"w0 (v[{i0}])", f"w1 (v[{i1}])"], fontsize=8)
        return {
            "samples": samples,
            "segment": segment,
            "left": left,
            "right": right,
            "guide": guide,
            "point": point,
            "bars": bars,
            "label": text,
        }
    artists["segment"].set_data([i0, i1], [frame["v0"], frame["v1"]])
    artists["left"].set_data([i0], [frame["v0"]])
    artists["right"].set_data([i1], [frame["v1"]])
    artists["guide"].set_xdata([x, x])
    artists["point"].set_data([x], [value])
    artists["bars"][0].set_height(frame["w0"])
    artists["bars"][1].set_height(frame["w1"])
    artists["label"].set_text(label)
    ax_w.set_xticks([0, 1], [f"w0 (v[{i0}])", f"w1 (v[{i1}])"], fontsize=8)
    return artists


class LinearExplorer(FigureExplorer[LinearFrame]):
    """Live widget: a slider for ``x`` driving the Chapter 1 picture.

    {attributes}
    values : numpy.ndarray
        The samples (the input).
    slider : ipywidgets.FloatSlider
        ``controls["x"]``: set ``slider.value`` to move the sample point.
    """

    def __init__(self, values: ArrayLike, x: float) -> None:
        self.values = as_float_array(
            values, "values", ndim=1, min_size=2, dtype=np.float64
        )
        start = linear_frame(x, self.values)  # validates x
        self.slider = position_slider(start.x, self.values.shape[0], "x")
        fig, axes = linear_figure(self.values)
        super().__init__(fig, axes, {"x": self.slider})

    def compute_frame(self) -> LinearFrame:
        return linear_frame(self.slider.value, self.values)

    def draw(self, axes: Any, frame: LinearFrame, artists: Artists | None) -> Artists:
        return draw_linear(axes, frame, artists)


def make_linear_explorer(values: ArrayLike, x: float = 0.0) -> LinearExplorer:
    """Create the live explorer of Chapter 1 (display it in Jupyter).

    Examples
    --------
    >>> ex = make_linear_explorer([0.0, 2.0, 1.0, 3.0], x=0.5)
    >>> ex.slider.value = 2.25
    >>> round(ex.frame["value"], 3), ex.frame["i0"]
    (1.5, 2)
    """
    return LinearExplorer(values, x)
