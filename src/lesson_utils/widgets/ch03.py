"""Chapter 3 widget: where each output sample lands on the input grid, and what it reads.

Three layers (see CONTRIBUTING.md):

1. :func:`grid_frame` computes what to show for one axis (a :class:`GridFrame`, the
   fields of :func:`lesson_utils.resize.grid_frame`);
2. :func:`draw_grids` draws a frame, creating artists once and then only changing
   their data; the live widget calls it (the page's kernel-free twin is the
   JavaScript explorer of :mod:`lesson_utils.explorers`);
3. :func:`make_grid_explorer` wires controls (input size, output size, mapping,
   method, chosen output) to 1 and 2.

The picture: the input cells (top row) and the output cells (bottom row) cover the
same stretch of the world. An arrow goes from each output cell's centre up to the
source coordinate the mapping gives it; the chosen output's arrow is orange and the
input cells it reads are coloured by their weight (blue positive, red negative).
"""

from __future__ import annotations

import collections.abc
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from numpy.typing import NDArray

from .. import resize
from .._types import Mapping, Method2D
from .._validate import check_positive_int
from ..plotting import COLORS, Artists, FigureExplorer, Frame

__all__ = [
    "MAPPING_LABELS",
    "GridFrame",
    "grid_frame",
    "grids_figure",
    "draw_grids",
    "GridExplorer",
    "make_grid_explorer",
]

#: How the mappings are named in titles and in the explorer's menu.
MAPPING_LABELS = {
    "half_pixel": "half-pixel (align_corners=False)",
    "align_corners": "align_corners=True",
    "top_left": "top-left (x_j = j s)",
}

_Y_IN, _Y_OUT, _H = 1.0, 0.0, 0.36  # row centres and half-height of the cell rows
_MAX_TEXTS = 6  # weight labels: at most 4 taps, kept generous


@dataclass(frozen=True, eq=False)
class GridFrame(Frame):
    """One picture of Chapter 3: where each output sample of one axis reads.

    The fields of :func:`lesson_utils.resize.grid_frame` (see there): the sizes
    ``n_in, n_out``, the ``mapping`` and ``method``, the chosen ``output``, the
    cell edges ``in_edges, out_edges``, the ``out_centres``, the source
    positions ``x`` and their ``shift`` from the centres, every output's
    ``indices`` and ``weights``, and the chosen output's weights on the input,
    ``row``.
    """

    n_in: int
    n_out: int
    mapping: str
    method: str
    output: int
    in_edges: np.ndarray
    out_edges: np.ndarray
    out_centres: np.ndarray
    x: np.ndarray
    shift: np.ndarray
    indices: np.ndarray
    weights: np.ndarray
    row: np.ndarray


def grid_frame(
    n_in: int,
    n_out: int,
    *,
    mapping: Mapping = "half_pixel",
    method: Method2D = "bilinear",
    output: int = 0,
) -> GridFrame:
    """The frame of one axis: :func:`lesson_utils.resize.grid_frame`.

    Examples
    --------
    >>> f = grid_frame(4, 2, mapping="half_pixel", output=1)
    >>> f.x.tolist(), f.row.tolist()
    ([0.5, 2.5], [0.0, 0.0, 0.5, 0.5])
    """
    return GridFrame(
        **resize.grid_frame(n_in, n_out, mapping=mapping, method=method, output=output)
    )


def grids_figure(
    rows: int = 1, *, figsize: tuple[float, float] | None = None
) -> tuple[Figure, list[Axes]]:
    """Create a figure of ``rows`` panels for :func:`draw_grids`, one above the other.

    Parameters
    ----------
    rows : int
        Number of panels (>= 1).
    figsize : (float, float), optional
        Inches; by default 6.4 wide and 2.3 per panel.

    Returns
    -------
    fig : matplotlib Figure
    axes : list of Axes
        One per panel, with the "input"/"output" rows labelled.

    Examples
    --------
    >>> fig, axes = grids_figure(2)
    >>> len(axes), axes[0].get_yticklabels()[1].get_text()
    (2, 'input')
    >>> plt.close(fig)
    """
    rows = check_positive_int(rows, "rows")
    if figsize is None:
        figsize = (6.4, 2.3 * rows)
    fig, axes = plt.subplots(rows, 1, figsize=figsize, dpi=80, squeeze=False)
    for ax in axes[:, 0]:
        ax.set_ylim(_Y_OUT - 0.3, _Y_IN + 0.5)
        ax.set_yticks([_Y_OUT, _Y_IN], ["output", "input"])
        ax.spines[["left"]].set_visible(False)
        ax.tick_params(left=False)
    axes[-1, 0].set_xlabel("input coordinate (input sample i sits at i)")
    fig.subplots_adjust(
        left=0.11,
        right=0.98,
        top=1 - 0.5 / (2.3 * rows),
        bottom=0.45 / (2.3 * rows),
        hspace=0.75,
    )
    return fig, list(axes[:, 0])


def _edges_segments(edges: NDArray[Any], y: float) -> list[Any]:
    return [[(e, y - _H / 2), (e, y + _H / 2)] for e in edges] + [
        [(edges[0], y - _H / 2), (edges[-1], y - _H / 2)],
        [(edges[0], y + _H / 2), (edges[-1], y + _H / 2)],
    ]


def _title(frame: GridFrame) -> str:
    i = frame["output"]
    reads = np.flatnonzero(frame["row"])
    terms = " + ".join(f"{frame['row'][j]:.2f}·in[{j}]" for j in reads)
    return (
        f"{MAPPING_LABELS[frame['mapping']]}, {frame['method']}, "
        f"{frame['n_in']} → {frame['n_out']}\n"
        f"out[{i}] at x = {frame['x'][i]:.2f} (shift {frame['shift'][i]:+.2f}) "
        f"= {terms}"
    )


def draw_grids(
    ax: Axes,
    frame: GridFrame | collections.abc.Mapping[str, Any],
    artists: Artists | None = None,
) -> Artists:
    """Draw one frame of the two grids; update ``artists`` if given.

    Parameters
    ----------
    ax : matplotlib Axes
        From :func:`grids_figure`.
    frame : GridFrame
        From :func:`grid_frame` (or the mapping of
        :func:`lesson_utils.resize.grid_frame`).
    artists : dict, optional
        What a previous call returned. When given, only data, offsets, segments,
        texts and limits change: nothing is re-plotted, whatever the sizes.

    Returns
    -------
    dict
        The artists: ``weights`` (image of the chosen output's weights on the
        input row), ``in_cells``, ``out_cells`` (line collections), ``in_samples``,
        ``out_samples`` (lines of dots), ``arrows`` (line collection), ``heads``,
        ``chosen`` (the chosen arrow), ``chosen_sample``, ``texts`` (weight
        labels) and ``title``.
    """
    frame = GridFrame.coerce(frame)
    n_in = frame["n_in"]
    i = frame["output"]
    x, centres = frame["x"], frame["out_centres"]
    in_pos = np.arange(n_in, dtype=float)
    arrows = [
        [(c, _Y_OUT + _H / 2), (s, _Y_IN - _H / 2)]
        for c, s in zip(centres, x, strict=True)
    ]
    extent = (-0.5, n_in - 0.5, _Y_IN - _H / 2, _Y_IN + _H / 2)
    lo = min(-0.5, float(x.min())) - 0.3
    hi = max(n_in - 0.5, float(x.max())) + 0.3
    reads = np.flatnonzero(frame["row"])
    if artists is None:
        artists = {
            "weights": ax.imshow(
                frame["row"][None, :],
                extent=extent,
                cmap="RdBu",
                vmin=-1.0,
                vmax=1.0,
                aspect="auto",
                interpolation="nearest",
                zorder=0,
            ),
            "in_cells": ax.add_collection(
                LineCollection(
                    _edges_segments(frame["in_edges"], _Y_IN), colors="0.3", lw=1
                )
            ),
            "out_cells": ax.add_collection(
                LineCollection(
                    _edges_segments(frame["out_edges"], _Y_OUT), colors="0.3", lw=1
                )
            ),
            "in_samples": ax.plot(
                in_pos,
                np.full(n_in, _Y_IN),
                "o",
                ms=5,
                mfc=COLORS["sample"],
                mec="white",
            )[0],
            "out_samples": ax.plot(
                centres, np.full(frame["n_out"], _Y_OUT), "s", ms=4, color="0.2"
            )[0],
            "arrows": ax.add_collection(
                LineCollection(arrows, colors=COLORS["grid"], lw=1)
            ),
            "heads": ax.plot(
                x,
                np.full(frame["n_out"], _Y_IN - _H / 2),
                "^",
                ms=5,
                color=COLORS["grid"],
            )[0],
            "chosen": ax.plot(
                *np.array(arrows[i]).T, "-", lw=2.2, color=COLORS["point"]
            )[0],
            "chosen_sample": ax.plot(
                [x[i]], [_Y_IN], "D", ms=6, color=COLORS["point"], zorder=5
            )[0],
            "texts": [
                ax.text(
                    0, _Y_IN + _H / 2 + 0.05, "", ha="center", va="bottom", fontsize=7
                )
                for _ in range(_MAX_TEXTS)
            ],
            "title": ax.set_title(_title(frame), fontsize=8, loc="left"),
        }
    else:
        artists["weights"].set_data(frame["row"][None, :])
        artists["weights"].set_extent(extent)
        artists["in_cells"].set_segments(_edges_segments(frame["in_edges"], _Y_IN))
        artists["out_cells"].set_segments(_edges_segments(frame["out_edges"], _Y_OUT))
        artists["in_samples"].set_data(in_pos, np.full(n_in, _Y_IN))
        artists["out_samples"].set_data(centres, np.full(frame["n_out"], _Y_OUT))
        artists["arrows"].set_segments(arrows)
        artists["heads"].set_data(x, np.full(frame["n_out"], _Y_IN - _H / 2))
        artists["chosen"].set_data(*np.array(arrows[i]).T)
        artists["chosen_sample"].set_data([x[i]], [_Y_IN])
        artists["title"].set_text(_title(frame))
    for k, text in enumerate(artists["texts"]):
        if k < reads.size:
            j = int(reads[k])
            text.set_position((j, _Y_IN + _H / 2 + 0.05))
            text.set_text(f"{frame['row'][j]:.2f}")
            text.set_visible(True)
        else:
            text.set_visible(False)
    ax.set_xlim(lo, hi)
    ax.set_xticks(in_pos if n_in <= 16 else np.linspace(0, n_in - 1, 5).round())
    return artists


class GridExplorer(FigureExplorer[GridFrame]):
    """Live widget: choose the sizes, the mapping, the method and an output sample.

    {attributes}
    n_in, n_out : ipywidgets.IntSlider
        Input and output lengths (1 to 16).
    mapping, method : ipywidgets.Dropdown
        The source-coordinate mapping and the interpolation method.
    slider : ipywidgets.IntSlider
        The chosen output sample (its maximum follows ``n_out``).
    """

    def __init__(
        self, n_in: int, n_out: int, mapping: Mapping, method: Method2D, output: int
    ) -> None:
        import ipywidgets as widgets

        n_in = check_positive_int(n_in, "n_in")
        n_out = check_positive_int(n_out, "n_out")
        start = grid_frame(n_in, n_out, mapping=mapping, method=method, output=output)
        style = {"description_width": "initial"}
        self.n_in = widgets.IntSlider(
            value=n_in, min=1, max=max(16, n_in), description="input size", style=style
        )
        self.n_out = widgets.IntSlider(
            value=n_out,
            min=1,
            max=max(16, n_out),
            description="output size",
            style=style,
        )
        self.mapping = widgets.Dropdown(
            options=[(label, key) for key, label in MAPPING_LABELS.items()],
            value=start.mapping,
            description="mapping",
        )
        self.method = widgets.Dropdown(
            options=list(resize.METHODS),
            value=start.method,
            description="method",
        )
        self.slider = widgets.IntSlider(
            value=start.output, min=0, max=n_out - 1, description="output i"
        )
        fig, (ax,) = grids_figure()
        super().__init__(
            fig,
            ax,
            {
                "n_in": self.n_in,
                "n_out": self.n_out,
                "mapping": self.mapping,
                "method": self.method,
                "output": self.slider,
            },
            rows=[
                widgets.HBox([self.n_in, self.n_out]),
                widgets.HBox([self.mapping, self.method]),
                self.slider,
            ],
        )

    def compute_frame(self) -> GridFrame:
        if self.slider.max != self.n_out.value - 1:
            # clamp first, then move the maximum; setting the value re-enters here
            self.slider.unobserve(self._on_change, names="value")
            self.slider.value = min(self.slider.value, self.n_out.value - 1)
            self.slider.max = self.n_out.value - 1
            self.slider.observe(self._on_change, names="value")
        return grid_frame(
            self.n_in.value,
            self.n_out.value,
            mapping=self.mapping.value,
            method=self.method.value,
            output=self.slider.value,
        )

    def draw(self, axes: Any, frame: GridFrame, artists: Artists | None) -> Artists:
        return draw_grids(axes, frame, artists)


def make_grid_explorer(
    n_in: int = 4,
    n_out: int = 6,
    *,
    mapping: Mapping = "half_pixel",
    method: Method2D = "bilinear",
    output: int = 0,
) -> GridExplorer:
    """Create the live explorer of Chapter 3 (display it in Jupyter).

    Parameters
    ----------
    n_in, n_out, mapping, method, output
        The initial state of the controls, as the arguments of :func:`grid_frame`
        (the size sliders reach 16, or the initial size if it is larger).

    Examples
    --------
    >>> ex = make_grid_explorer(4, 2, mapping="top_left", method="nearest")
    >>> ex.slider.value = 1
    >>> ex.frame["indices"][1].tolist(), float(ex.frame["shift"][1])
    ([2], -0.5)
    >>> ex.mapping.value = "half_pixel"
    >>> ex.frame["indices"][1].tolist(), float(ex.frame["shift"][1])
    ([3], 0.0)
    """
    return GridExplorer(n_in, n_out, mapping, method, output)
