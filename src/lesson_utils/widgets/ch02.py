"""Chapter 2 widget: bilinear interpolation at a point moving through a small image.

Three layers (see CONTRIBUTING.md):

1. :func:`bilinear_frame` computes what to show (a :class:`BilinearFrame`, the
   fields of :func:`lesson_utils.interp2d.bilinear_frame`);
2. :func:`draw_bilinear` draws a frame, creating artists once and then only changing
   their data; the live widget calls it (the page's kernel-free twin is the
   JavaScript explorer of :mod:`lesson_utils.explorers`);
3. :func:`make_bilinear_explorer` wires two sliders (y and x) to 1 and 2.

The picture: the pixels as dots at integer (row, col) positions, labelled with their
values; the four corners around the point circled in four colours; the rectangle
*diagonally opposite* each corner filled in that corner's colour and labelled with its
area, which is the corner's weight; the four weights as bars.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from numpy.typing import ArrayLike

from .. import interp2d
from .._validate import as_float_array, check_positive_int, check_shape
from ..plotting import COLORS, Artists, FigureExplorer, Frame
from ._base import position_slider

__all__ = [
    "CORNER_COLORS",
    "BilinearFrame",
    "bilinear_frame",
    "bilinear_figure",
    "draw_bilinear",
    "bilinear_path",
    "BilinearExplorer",
    "make_bilinear_explorer",
]

#: Colour of each corner, in the (2, 2) layout of :func:`interp2d.bilinear_weights`
#: (top-left, top-right / bottom-left, bottom-right); the rectangle opposite a corner
#: is filled with the corner's colour.
CORNER_COLORS = (
    (COLORS["left"], COLORS["right"]),
    (COLORS["extra1"], COLORS["extra2"]),
)
_SHORT = (("TL", "TR"), ("BL", "BR"))


def _image(image: ArrayLike) -> np.ndarray:
    image = as_float_array(image, "image", ndim=2, dtype=np.float64)
    if image.shape[0] < 2 or image.shape[1] < 2:
        raise ValueError(
            f"`image` must be at least 2 x 2 pixels; got shape {image.shape}"
        )
    return image


@dataclass(frozen=True, eq=False)
class BilinearFrame(Frame):
    """One picture of Chapter 2: the value at ``(y, x)`` from its four corners.

    The fields of :func:`lesson_utils.interp2d.bilinear_frame` (see there):
    ``image`` (the input), the point ``y, x``, its cell ``y0, y1, x0, x1``,
    ``corners`` (2, 2, 2), their ``values`` (2, 2), the opposite ``rectangles``
    (2, 2, 4) as ``(top, left, height, width)``, their ``areas`` and the
    ``weights`` (2, 2), and the ``value``.
    """

    y: float
    x: float
    y0: int
    y1: int
    x0: int
    x1: int
    image: np.ndarray
    corners: np.ndarray
    values: np.ndarray
    rectangles: np.ndarray
    areas: np.ndarray
    weights: np.ndarray
    value: float


def bilinear_frame(y: float, x: float, image: ArrayLike) -> BilinearFrame:
    """The frame at ``(y, x)``: :func:`lesson_utils.interp2d.bilinear_frame`.

    Examples
    --------
    >>> f = bilinear_frame(0.5, 0.25, [[0.0, 10.0], [20.0, 30.0]])
    >>> f.value, f.weights.tolist()
    (12.5, [[0.375, 0.125], [0.375, 0.125]])
    """
    return BilinearFrame(**interp2d.bilinear_frame(y, x, _image(image)))


def bilinear_figure(
    image: ArrayLike,
) -> tuple[Figure, tuple[Axes, Axes]]:
    """Create the figure of Chapter 2's picture: the pixel grid and the weights.

    Parameters
    ----------
    image : array_like, shape (H, W)
        The pixels, at least 2 x 2.

    Returns
    -------
    fig : matplotlib Figure
    axes : (Axes, Axes)
        The grid axes (x to the right, y downwards, as in an image) and the
        weights axes.
    """
    image = _image(image)
    height, width = image.shape
    fig, (ax_grid, ax_w) = plt.subplots(
        1, 2, figsize=(6.0, 3.0), dpi=80, gridspec_kw={"width_ratios": [2.2, 1]}
    )
    ax_grid.set_xlim(-0.45, width - 0.55)
    ax_grid.set_ylim(height - 0.55, -0.45)  # rows grow downwards
    ax_grid.set_aspect("equal")
    ax_grid.set_xticks(np.arange(width))
    ax_grid.set_yticks(np.arange(height))
    ax_grid.set_xlabel("x (column)")
    ax_grid.set_ylabel("y (row)")
    ax_w.set_ylim(0.0, 1.05)
    ax_w.set_ylabel("weight = opposite area")
    fig.tight_layout(rect=(0, 0, 1, 0.93))  # room for the title
    return fig, (ax_grid, ax_w)


def _label(frame: BilinearFrame) -> str:
    terms = " + ".join(
        f"{frame['weights'][p, q]:.2f}·{frame['values'][p, q]:g}"
        for p in range(2)
        for q in range(2)
    )
    point = f"(y, x) = ({frame['y']:.2f}, {frame['x']:.2f})"
    return f"{point}:  {terms} = {frame['value']:.3f}"


def _tick_labels(frame: BilinearFrame) -> list[str]:
    return [
        f"{_SHORT[p][q]}\n({frame['corners'][p, q, 0]},{frame['corners'][p, q, 1]})"
        for p in range(2)
        for q in range(2)
    ]


def draw_bilinear(
    ax: tuple[Axes, Axes],
    frame: BilinearFrame | Mapping[str, Any],
    artists: Artists | None = None,
) -> Artists:
    """Draw one frame of bilinear interpolation; update ``artists`` if given.

    Parameters
    ----------
    ax : (Axes, Axes)
        The grid axes and the weights axes (from :func:`bilinear_figure`).
    frame : BilinearFrame
        A frame from :func:`bilinear_frame` (or the mapping of
        :func:`lesson_utils.interp2d.bilinear_frame`); it carries the image,
        drawn on the first call.
    artists : dict, optional
        What a previous call returned; then only positions, sizes and texts change.

    Returns
    -------
    dict
        The artists: ``pixels``, ``cell`` (outline of the cell holding the
        point), ``rectangles``, ``areas`` (area labels) and ``corners`` (each a
        2 x 2 nested list in the layout of
        :func:`lesson_utils.interp2d.bilinear_weights`), ``point``, ``bars`` and
        ``label``.
    """
    ax_grid, ax_w = ax
    frame = BilinearFrame.coerce(frame)
    rects = frame["rectangles"]
    weights = frame["weights"]
    y, x = frame["y"], frame["x"]
    if artists is None:
        image = frame["image"]
        rows, cols = np.indices(image.shape)
        pixels = ax_grid.scatter(
            cols.ravel(), rows.ravel(), s=18, color=COLORS["sample"], zorder=3
        )
        for r, c in zip(rows.ravel(), cols.ravel(), strict=True):
            ax_grid.annotate(
                f"{image[r, c]:g}",
                (c, r),
                xytext=(6, -6),
                textcoords="offset points",
                va="top",
                fontsize=8,
                color=COLORS["sample"],
            )
        cell = Rectangle(
            (frame["x0"], frame["y0"]), 1, 1, fill=False, ec="k", lw=1.0, zorder=2
        )
        ax_grid.add_patch(cell)
        rectangles, areas, corners = [], [], []
        for p in range(2):
            rect_row, area_row, corner_row = [], [], []
            for q in range(2):
                top, left, h, w = rects[p, q]
                patch = Rectangle(
                    (left, top), w, h, color=CORNER_COLORS[p][q], alpha=0.45, lw=0
                )
                ax_grid.add_patch(patch)
                rect_row.append(patch)
                area_row.append(
                    ax_grid.text(
                        left + w / 2,
                        top + h / 2,
                        f"{weights[p, q]:.2f}",
                        ha="center",
                        va="center",
                        fontsize=8,
                        zorder=4,
                        # a white box keeps the area legible over a pixel's label
                        bbox={
                            "boxstyle": "round,pad=0.15",
                            "fc": "white",
                            "ec": "none",
                        },
                    )
                )
                r, c = frame["corners"][p, q]
                corner_row.append(
                    ax_grid.plot(
                        [c],
                        [r],
                        "o",
                        ms=12,
                        mfc="none",
                        mew=2.5,
                        color=CORNER_COLORS[p][q],
                        zorder=5,
                    )[0]
                )
            rectangles.append(rect_row)
            areas.append(area_row)
            corners.append(corner_row)
        # black, so the point is not confused with any of the four corner colours
        point = ax_grid.plot([x], [y], "D", color="black", mec="white", ms=7, zorder=6)[
            0
        ]
        bars = ax_w.bar(
            np.arange(4),
            weights.ravel(),
            color=[CORNER_COLORS[p][q] for p in range(2) for q in range(2)],
        )
        ax_w.set_xticks(np.arange(4), _tick_labels(frame), fontsize=7)
        label = ax_grid.figure.suptitle(_label(frame), fontsize=8)
        return {
            "pixels": pixels,
            "cell": cell,
            "rectangles": rectangles,
            "areas": areas,
            "corners": corners,
            "point": point,
            "bars": bars,
            "label": label,
        }
    artists["cell"].set_xy((frame["x0"], frame["y0"]))
    for p in range(2):
        for q in range(2):
            top, left, h, w = rects[p, q]
            patch = artists["rectangles"][p][q]
            patch.set_xy((left, top))
            patch.set_width(w)
            patch.set_height(h)
            text = artists["areas"][p][q]
            text.set_position((left + w / 2, top + h / 2))
            text.set_text(f"{weights[p, q]:.2f}")
            r, c = frame["corners"][p, q]
            artists["corners"][p][q].set_data([c], [r])
            artists["bars"][2 * p + q].set_height(weights[p, q])
    artists["point"].set_data([x], [y])
    artists["label"].set_text(_label(frame))
    ticks = _tick_labels(frame)
    if ticks != [t.get_text() for t in ax_w.get_xticklabels()]:  # a new cell
        ax_w.set_xticks(np.arange(4), ticks, fontsize=7)
    return artists


def bilinear_path(shape: tuple[int, int], n_frames: int = 30) -> np.ndarray:
    """A closed path of points through an image, for the in-page explorer's Play button.

    Parameters
    ----------
    shape : tuple of 2 int
        ``(H, W)`` of the image.
    n_frames : int
        Number of points (>= 2).

    Returns
    -------
    numpy.ndarray, shape (n_frames, 2)
        ``(y, x)`` points on a figure-of-eight (a Lissajous curve) inside
        ``[0, H - 1] x [0, W - 1]``, crossing many cells and passing close to
        the pixels.

    Examples
    --------
    >>> p = bilinear_path((3, 4), n_frames=8)
    >>> p.shape, bool(p.min() >= 0), bool(p[:, 0].max() <= 2), bool(p[:, 1].max() <= 3)
    ((8, 2), True, True, True)
    """
    n_frames = check_positive_int(n_frames, "n_frames", minimum=2)
    height, width = check_shape(shape, "shape", length=2)
    t = np.linspace(0.0, 2.0 * np.pi, n_frames, endpoint=False)
    y = (height - 1) * (0.5 + 0.45 * np.sin(2.0 * t))
    x = (width - 1) * (0.5 + 0.45 * np.sin(t))
    return np.stack([y, x], axis=-1)


class BilinearExplorer(FigureExplorer[BilinearFrame]):
    """Live widget: sliders for ``y`` and ``x`` driving the Chapter 2 picture.

    {attributes}
    image : numpy.ndarray
        The pixels (the input).
    y_slider, x_slider : ipywidgets.FloatSlider
        ``controls["y"]`` and ``controls["x"]``: set ``.value`` to move the point.
    """

    def __init__(self, image: ArrayLike, y: float, x: float) -> None:
        self.image = _image(image)
        height, width = self.image.shape
        start = bilinear_frame(y, x, self.image)  # validates y and x
        self.y_slider = position_slider(start.y, height, "y (row)")
        self.x_slider = position_slider(start.x, width, "x (col)")
        fig, axes = bilinear_figure(self.image)
        super().__init__(fig, axes, {"y": self.y_slider, "x": self.x_slider})

    def compute_frame(self) -> BilinearFrame:
        return bilinear_frame(self.y_slider.value, self.x_slider.value, self.image)

    def draw(self, axes: Any, frame: BilinearFrame, artists: Artists | None) -> Artists:
        return draw_bilinear(axes, frame, artists)


def make_bilinear_explorer(
    image: ArrayLike, y: float = 0.5, x: float = 0.5
) -> BilinearExplorer:
    """Create the live explorer of Chapter 2 (display it in Jupyter).

    Parameters
    ----------
    image : array_like, shape (H, W)
        The pixels, at least 2 x 2.
    y, x : float
        Starting point, inside the image.

    Examples
    --------
    >>> ex = make_bilinear_explorer([[0.0, 10.0], [20.0, 30.0]], y=0.5, x=0.5)
    >>> ex.x_slider.value = 1.0
    >>> ex.frame["value"], ex.frame["weights"].tolist()
    (20.0, [[0.0, 0.5], [0.0, 0.5]])
    """
    return BilinearExplorer(image, y, x)
