"""Chapter 7 widget: an affine sampling grid on the input and the image it samples.

Three layers (see CONTRIBUTING.md):

1. :func:`lesson_utils.stn.affine_frame` computes what to show: the grid of source
   positions, its outline on the input and the sampled output;
2. :func:`draw_affine` draws a frame, creating artists once and then only changing
   their data; the live widget calls it (the page's kernel-free twin is the
   JavaScript explorer of :mod:`lesson_utils.explorers`);
3. :func:`make_affine_explorer` wires sliders for rotation, scale and translation
   (and a menu for the padding mode) to 1 and 2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

from .. import stn
from .._types import PaddingMode
from .._validate import as_float_array, check_bool, check_choice, check_positive_int
from ..plotting import COLORS, Artists, FigureExplorer, Frame

__all__ = [
    "AffineFrame",
    "affine_frame",
    "affine_figure",
    "draw_affine",
    "fit_frames",
    "AffineExplorer",
    "make_affine_explorer",
]

#: Every how many output pixels a sampling point is drawn on the input.
POINT_STEP = 4


@dataclass(frozen=True, eq=False)
class AffineFrame(Frame):
    """One picture of Chapter 7: an affine grid on the input and what it samples.

    ``image`` (H, W) is the input; the other fields are those of
    :func:`lesson_utils.stn.affine_frame` (see there): ``theta`` (2, 3), the
    normalised ``grid`` (h, w, 2), its source positions in input pixels ``x, y``
    (h, w), the output's border mapped onto the input ``outline`` (5, 2) and the
    sampled ``output`` (h, w).
    """

    image: np.ndarray
    theta: np.ndarray
    grid: np.ndarray
    x: np.ndarray
    y: np.ndarray
    outline: np.ndarray
    output: np.ndarray


def affine_frame(
    image: ArrayLike,
    theta: ArrayLike,
    *,
    align_corners: bool = False,
    padding_mode: PaddingMode = "zeros",
) -> AffineFrame:
    """The frame of ``theta`` on ``image``: :func:`lesson_utils.stn.affine_frame`.

    Examples
    --------
    >>> f = affine_frame(np.eye(4), np.eye(2, 3))
    >>> bool(np.allclose(f.output, np.eye(4))), f.outline.shape
    (True, (5, 2))
    """
    img = as_float_array(image, "image", ndim=2, dtype=np.float64)
    fields = stn.affine_frame(
        img, theta, align_corners=align_corners, padding_mode=padding_mode
    )
    return AffineFrame(image=img, **fields)


def affine_figure(image: ArrayLike) -> tuple[Figure, tuple[Axes, Axes]]:
    """Create the figure: the input with the grid (left), the output (right).

    Parameters
    ----------
    image : array_like, shape (H, W)
        The input, to size the axes.

    Returns
    -------
    fig, axes
        ``axes`` is ``(ax_input, ax_output)``.
    """
    img = as_float_array(image, "image", ndim=2, dtype=np.float64)
    h, w = img.shape
    fig, (ax_in, ax_out) = plt.subplots(1, 2, figsize=(4.8, 2.6))
    # room around the input: the grid may leave the image
    ax_in.set_xlim(-0.5 - 0.35 * w, w - 0.5 + 0.35 * w)
    ax_in.set_ylim(h - 0.5 + 0.35 * h, -0.5 - 0.35 * h)  # y down, as in the image
    ax_in.set_title("input U and the sampling grid", fontsize=9)
    ax_out.set_title("output V", fontsize=9)
    for ax in (ax_in, ax_out):
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
    ax_in.set_facecolor("0.9")  # grey: outside the input image
    ax_out.set_xlabel("θ\n", fontsize=8, family="monospace")  # room for the label
    fig.tight_layout()
    return fig, (ax_in, ax_out)


def _label(frame: AffineFrame) -> str:
    t = frame["theta"]
    return (
        f"θ = [[{t[0, 0]:+.2f} {t[0, 1]:+.2f} {t[0, 2]:+.2f}]\n"
        f"     [{t[1, 0]:+.2f} {t[1, 1]:+.2f} {t[1, 2]:+.2f}]]"
    )


def draw_affine(
    ax: tuple[Axes, ...],
    frame: AffineFrame | Mapping[str, Any],
    artists: Artists | None = None,
) -> Artists:
    """Draw one frame of affine sampling; update ``artists`` if given.

    Parameters
    ----------
    ax : tuple of Axes
        The input axes and the output axes (from :func:`affine_figure`); a third
        axes, if present, is left to the caller.
    frame : AffineFrame
        A frame from :func:`affine_frame` (its input image is drawn once).
    artists : dict, optional
        What a previous call returned; then only data and texts change.

    Returns
    -------
    dict
        The artists: ``input`` (image), ``points`` (every ``POINT_STEP``-th
        sampling point, in input pixels), ``first`` (the point read by output pixel
        (0, 0), to show orientation), ``outline`` (the output's border mapped onto
        the input), ``output`` (image) and ``label`` (theta as text).
    """
    ax_in, ax_out = ax[0], ax[1]
    frame = AffineFrame.coerce(frame)
    xs = frame["x"][::POINT_STEP, ::POINT_STEP].ravel()
    ys = frame["y"][::POINT_STEP, ::POINT_STEP].ravel()
    outline = frame["outline"]
    first = (frame["x"][0, 0], frame["y"][0, 0])
    if artists is None:
        shown = ax_in.imshow(frame.image, cmap="magma", vmin=0.0, vmax=1.0)
        points = ax_in.plot(xs, ys, ".", ms=3, color=COLORS["extra2"])[0]
        line = ax_in.plot(outline[:, 0], outline[:, 1], "-", lw=1.5)[0]
        line.set_color(COLORS["extra1"])
        start = ax_in.plot([first[0]], [first[1]], "o", ms=5, color=COLORS["point"])[0]
        output = ax_out.imshow(frame["output"], cmap="magma", vmin=0.0, vmax=1.0)
        label = ax_out.set_xlabel(_label(frame), fontsize=8, family="monospace")
        return {
            "input": shown,
            "points": points,
            "first": start,
            "outline": line,
            "output": output,
            "label": label,
        }
    artists["points"].set_data(xs, ys)
    artists["first"].set_data([first[0]], [first[1]])
    artists["outline"].set_data(outline[:, 0], outline[:, 1])
    artists["output"].set_data(frame["output"])
    artists["label"].set_text(_label(frame))
    return artists


def fit_frames(fit: dict[str, Any], n_frames: int = 30) -> NDArray[Any]:
    """Steps of an optimisation to show: dense at the start, sparse at the end.

    Parameters
    ----------
    fit : dict
        The result of :func:`lesson_utils.stn.fit_affine`.
    n_frames : int
        Number of frames wanted, ``>= 2`` (fewer if the fit has fewer steps).

    Returns
    -------
    numpy.ndarray of int
        Increasing step indices, starting at 0 and ending at the last step.

    Examples
    --------
    >>> fit_frames({"loss": np.zeros(101)}, n_frames=5).tolist()
    [0, 2, 9, 31, 100]
    """
    n_frames = check_positive_int(n_frames, "n_frames", minimum=2)
    last = len(fit["loss"]) - 1
    steps = np.unique(np.round(np.geomspace(1, last + 1, n_frames)).astype(int) - 1)
    return steps


class AffineExplorer(FigureExplorer[AffineFrame]):
    """Live widget: sliders for rotation, scale and translation of ``theta``.

    {attributes}
    image : numpy.ndarray
        The input (H, W).
    rotation, scale, tx, ty : ipywidgets.FloatSlider
        The parameters of :func:`lesson_utils.stn.affine_theta`; set ``.value`` to
        change them (tests do so headless).
    padding : ipywidgets.Dropdown
        The padding mode: zeros, border or reflection.
    """

    def __init__(
        self,
        image: np.ndarray,
        *,
        rotation: float,
        scale: float,
        tx: float,
        ty: float,
        align_corners: bool,
        padding_mode: PaddingMode,
    ) -> None:
        import ipywidgets as widgets

        self.image = image
        self.align_corners = align_corners

        def slider(
            description: str, value: float, lo: float, hi: float, step: float
        ) -> Any:
            return widgets.FloatSlider(
                value=value,
                min=lo,
                max=hi,
                step=step,
                description=description,
                continuous_update=True,
            )

        self.rotation = slider("rotation °", rotation, -180.0, 180.0, 1.0)
        self.scale = slider("scale", scale, 0.25, 2.0, 0.01)
        self.tx = slider("tx", tx, -1.0, 1.0, 0.01)
        self.ty = slider("ty", ty, -1.0, 1.0, 0.01)
        self.padding = widgets.Dropdown(
            options=list(stn.PADDING_MODES), value=padding_mode, description="padding"
        )
        controls = {
            "rotation": self.rotation,
            "scale": self.scale,
            "tx": self.tx,
            "ty": self.ty,
            "padding": self.padding,
        }
        fig, axes = affine_figure(image)
        super().__init__(
            fig, axes, controls, rows=[widgets.VBox(list(controls.values()))]
        )

    def theta(self) -> np.ndarray:
        """The current ``theta`` (2, 3) from the sliders."""
        return stn.affine_theta(
            rotation=self.rotation.value,
            scale=self.scale.value,
            tx=self.tx.value,
            ty=self.ty.value,
        )

    def compute_frame(self) -> AffineFrame:
        return affine_frame(
            self.image,
            self.theta(),
            align_corners=self.align_corners,
            padding_mode=self.padding.value,
        )

    def draw(self, axes: Any, frame: AffineFrame, artists: Artists | None) -> Artists:
        return draw_affine(axes, frame, artists)


def make_affine_explorer(
    image: ArrayLike | None = None,
    *,
    rotation: float = 20.0,
    scale: float = 0.8,
    tx: float = 0.0,
    ty: float = 0.0,
    align_corners: bool = False,
    padding_mode: PaddingMode = "zeros",
) -> AffineExplorer:
    """Create the live explorer of Chapter 7 (display it in Jupyter).

    Parameters
    ----------
    image : array_like, shape (H, W), optional
        The input, values in [0, 1] (default: ``stn.make_pattern(32, seed=6)``).
    rotation, scale, tx, ty : float
        Initial slider values (see :func:`lesson_utils.stn.affine_theta`).
    align_corners : bool
        The convention of the grid and the sampler.
    padding_mode : {"zeros", "border", "reflection"}
        Initial padding mode.

    Examples
    --------
    >>> ex = make_affine_explorer(rotation=0.0, scale=1.0)
    >>> ex.scale.value = 0.5
    >>> float(ex.frame["theta"][0, 0]), ex.frame["output"].shape
    (0.5, (32, 32))
    """
    img = (
        stn.make_pattern(32, seed=6)
        if image is None
        else as_float_array(image, "image", ndim=2, min_size=4, dtype=np.float64)
    )
    align_corners = check_bool(align_corners, "align_corners")
    padding_mode = check_choice(padding_mode, "padding_mode", stn.PADDING_MODES)
    stn.affine_theta(rotation=rotation, scale=scale, tx=tx, ty=ty)  # validates
    return AffineExplorer(
        img,
        rotation=rotation,
        scale=scale,
        tx=tx,
        ty=ty,
        align_corners=align_corners,
        padding_mode=padding_mode,
    )
