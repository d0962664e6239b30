"""Chapter 5 widget: one coarse attention map, upsampled, normalised and coloured.

Introduced in Chapter 5 ("Upsampling attention maps").

Three layers (see CONTRIBUTING.md):

1. :func:`upsample_frame` computes what to show;
2. :func:`draw_upsample` draws a frame (the coloured map with the profile row marked,
   and the profile beside it), creating artists once and then only changing their
   data; the live widget calls it (the page's kernel-free twin is the JavaScript
   explorer of :mod:`lesson_utils.explorers`);
3. :func:`make_upsample_explorer` wires the controls (method, mapping,
   normalisation order, clamp, colormap, profile row) to 1 and 2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from .. import colour, heatmaps
from .. import truth as truth_module
from .._types import Method2D, Normalization
from .._validate import as_float_array, check_positive_int, check_shape
from ..plotting import COLORS, Artists, FigureExplorer, Frame

__all__ = [
    "CMAPS",
    "MAPPINGS",
    "UpsampleFrame",
    "upsample_frame",
    "upsample_figure",
    "draw_upsample",
    "twin_settings",
    "UpsampleExplorer",
    "make_upsample_explorer",
]

#: Colormaps offered by the explorer: three perceptually uniform ones, and jet.
CMAPS: tuple[str, ...] = ("viridis", "magma", "cividis", "jet")
#: Mapping names shown to the reader -> value of ``align_corners``.
MAPPINGS: dict[str, bool] = {"half-pixel": False, "align_corners=True": True}


@dataclass(frozen=True, eq=False)
class UpsampleFrame(Frame):
    """One picture of Chapter 5: a coarse map upsampled, coloured and profiled.

    The fields are described under *Returns* in :func:`upsample_frame`; the last
    three are ``None`` when no truth is given.
    """

    method: str
    align_corners: bool
    normalization: str
    clamp: bool
    cmap: str
    upsampled: np.ndarray
    heat: np.ndarray
    rgb: np.ndarray
    row: int
    x: np.ndarray
    profile: np.ndarray
    lightness: np.ndarray
    raw_min: float
    raw_max: float
    cam_min: float
    cam_max: float
    peak: tuple[int, int]
    truth_profile: np.ndarray | None = None
    rmse: float | None = None
    peak_error: float | None = None


def _label(frame: UpsampleFrame) -> str:
    mapping = "align_corners" if frame["align_corners"] else "half-pixel"
    clamp = "clamp" if frame["clamp"] else "no clamp"
    text = (
        f"{frame['method']}, {mapping}, normalise {frame['normalization']}, "
        f"{clamp}, {frame['cmap']}\nraw range [{frame['raw_min']:.3f}, "
        f"{frame['raw_max']:.3f}] (cam [{frame['cam_min']:.2f}, "
        f"{frame['cam_max']:.2f}])"
    )
    if frame.rmse is not None:
        text += f", RMSE {frame.rmse:.3f}"
    return text


def upsample_frame(
    cam: ArrayLike,
    output_shape: Sequence[int],
    *,
    method: Method2D = "bilinear",
    align_corners: bool = False,
    normalization: Normalization = "after",
    clamp: bool = True,
    cmap: str = "viridis",
    a: float = -0.5,
    row: int | None = None,
    truth: ArrayLike | None = None,
) -> UpsampleFrame:
    """Everything one picture of Chapter 5's explorer needs (its pure first layer).

    Parameters
    ----------
    cam : array_like, shape (h, w)
        The coarse map.
    output_shape : tuple of 2 int
        ``(H, W)``.
    method, align_corners, normalization, clamp, cmap, a
        As in :func:`lesson_utils.heatmaps.overlay`.
    row : int, optional
        The image row whose profile is drawn (default: the row of the maximum of
        ``truth`` if given, else of the upsampled map).
    truth : array_like, shape (H, W), optional
        The known high-resolution map, for the error numbers.

    Returns
    -------
    UpsampleFrame
        The settings (``method``, ``align_corners``, ``normalization``,
        ``clamp``, ``cmap``), ``upsampled`` (H, W) before clamp and normalisation, ``heat`` (H, W) the
        displayed values, ``rgb`` (H, W, 3) their colours, ``row``, ``x`` (W,),
        ``profile`` (W,) of ``heat``, ``lightness`` (W,) L* of the colours along
        the row, ``raw_min``/``raw_max`` of ``upsampled``, ``cam_min``/``cam_max``
        of ``cam``, ``peak`` (row, col) of ``heat`` and, with ``truth``:
        ``truth_profile`` (normalised truth along the row), ``rmse`` of ``heat``
        against the normalised truth and ``peak_error`` (pixels).

    Raises
    ------
    TypeError, ValueError
        As :func:`lesson_utils.heatmaps.heatmap`; ``ValueError`` if ``row`` is outside the image or
        ``truth`` does not have shape ``output_shape``.

    Examples
    --------
    >>> f = upsample_frame([[0.0, 1.0], [0.0, 0.0]], (4, 4), row=0)
    >>> f["profile"].round(3).tolist()
    [0.0, 0.25, 0.75, 1.0]
    """
    cam = as_float_array(cam, "cam", ndim=2, dtype=np.float64)
    output_shape = check_shape(output_shape, "output_shape", length=2)
    upsampled = heatmaps.upsample(
        cam, output_shape, method=method, align_corners=align_corners, a=a
    )
    heat = heatmaps.heatmap(
        cam,
        output_shape,
        method=method,
        align_corners=align_corners,
        a=a,
        clamp=clamp,
        normalization=normalization,
    )
    rgb = heatmaps.colormap(heat, cmap)
    truth_n = None
    if truth is not None:
        truth_n = heatmaps.normalize(
            as_float_array(truth, "truth", ndim=2, dtype=np.float64)
        )
        if truth_n.shape != tuple(output_shape):
            raise ValueError(
                f"`truth` must have shape {tuple(output_shape)}; got {truth_n.shape}"
            )
    if row is None:
        row = truth_module.peak_position(truth_n if truth_n is not None else heat)[0]
    row = check_positive_int(row, "row", minimum=0)
    if row >= output_shape[0]:
        raise ValueError(f"`row` must be < {output_shape[0]}; got {row}")
    peak = truth_module.peak_position(heat)
    truth_fields: dict[str, Any] = {}
    if truth_n is not None:
        tp = np.array(truth_module.peak_position(truth_n))
        truth_fields = {
            "truth_profile": truth_n[row].copy(),
            "rmse": truth_module.rmse(heat, truth_n),
            "peak_error": float(np.hypot(*(np.array(peak) - tp))),
        }
    return UpsampleFrame(
        method=method,
        align_corners=align_corners,
        normalization=normalization,
        clamp=clamp,
        cmap=cmap,
        upsampled=upsampled,
        heat=heat,
        rgb=rgb,
        row=row,
        x=np.arange(output_shape[1], dtype=np.float64),
        profile=heat[row].copy(),
        lightness=colour.srgb_to_lab(rgb[row])[:, 0],
        raw_min=float(upsampled.min()),
        raw_max=float(upsampled.max()),
        cam_min=float(cam.min()),
        cam_max=float(cam.max()),
        peak=peak,
        **truth_fields,
    )


def upsample_figure() -> tuple[Figure, tuple[Axes, Axes]]:
    """Create the figure: the coloured map (left) and a profile along a row (right).

    Returns
    -------
    (Figure, (Axes, Axes))
        The figure, the map axes and the profile axes (y from -0.25 to 1.25, with
        dotted lines at 0 and 1 so values outside [0, 1] stand out).

    Examples
    --------
    >>> fig, (ax_map, ax_prof) = upsample_figure()
    >>> [float(v) for v in ax_prof.get_ylim()]
    [-0.25, 1.25]
    >>> plt.close(fig)
    """
    fig, (ax_map, ax_prof) = plt.subplots(
        1, 2, figsize=(7.2, 3.2), gridspec_kw={"width_ratios": [1, 1.5]}
    )
    ax_map.set_xticks([])
    ax_map.set_yticks([])
    ax_prof.set_ylim(-0.25, 1.25)
    ax_prof.set_xlabel("column (x)")
    ax_prof.set_ylabel("shown value / lightness")
    for level in (0.0, 1.0):
        ax_prof.axhline(level, color=COLORS["grid"], lw=0.8, ls=":")
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.15, top=0.8, wspace=0.25)
    return fig, (ax_map, ax_prof)


def draw_upsample(
    ax: tuple[Axes, Axes],
    frame: UpsampleFrame | Mapping[str, Any],
    artists: Artists | None = None,
) -> Artists:
    """Draw one frame of Chapter 5's picture; update ``artists`` if given.

    Parameters
    ----------
    ax : (Axes, Axes)
        The map axes and the profile axes (from :func:`upsample_figure`).
    frame : UpsampleFrame
        A frame from :func:`upsample_frame`.
    artists : dict, optional
        What a previous call returned; then only data and texts change.

    Returns
    -------
    dict
        The artists: ``image`` (the coloured map, drawn with
        ``interpolation="nearest"`` so matplotlib does not resample it again),
        ``row_line`` (the profile's row), ``profile`` (shown values along the
        row), ``truth`` (normalised truth, if the frame has one), ``lightness``
        (L*/100 of the colours along the row) and ``label``.

    Examples
    --------
    >>> from lesson_utils import heatmaps
    >>> fig, axes = upsample_figure()
    >>> cam = [[0.0, 1.0], [0.0, 0.0]]
    >>> artists = draw_upsample(axes, upsample_frame(cam, (8, 8), row=0))
    >>> later = upsample_frame(cam, (8, 8), method="nearest", row=3)
    >>> draw_upsample(axes, later, artists) is artists
    True
    >>> artists["profile"].get_ydata().tolist()  # row 3 of 8 reads the cells' row 0
    [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0]
    >>> plt.close(fig)
    """
    ax_map, ax_prof = ax
    frame = UpsampleFrame.coerce(frame)
    row = frame["row"]
    x = frame["x"]
    light = frame["lightness"] / 100.0
    label = _label(frame)
    if artists is None:
        image = ax_map.imshow(frame["rgb"], interpolation="nearest")
        row_line = ax_map.axhline(row, color="white", lw=1, ls="--")
        (truth,) = ax_prof.plot(
            x,
            np.full_like(x, np.nan)
            if frame.truth_profile is None
            else frame.truth_profile,
            color="black",
            lw=1,
            ls="--",
            label="truth",
        )
        (profile,) = ax_prof.plot(
            x, frame["profile"], color=COLORS["sample"], lw=2, label="shown value"
        )
        (lightness,) = ax_prof.plot(
            x, light, color=COLORS["point"], lw=1.2, label="lightness L*/100"
        )
        ax_prof.set_xlim(x[0], x[-1])
        ax_prof.legend(loc="upper right", fontsize=7, frameon=False)
        text = ax_map.figure.suptitle(label, fontsize=8, x=0.02, ha="left")
        return {
            "image": image,
            "row_line": row_line,
            "profile": profile,
            "truth": truth,
            "lightness": lightness,
            "label": text,
        }
    artists["image"].set_data(frame["rgb"])
    artists["row_line"].set_ydata([row, row])
    artists["profile"].set_data(x, frame["profile"])
    if frame.truth_profile is not None:
        artists["truth"].set_data(x, frame.truth_profile)
    artists["lightness"].set_data(x, light)
    artists["label"].set_text(label)
    return artists


def twin_settings() -> list[dict[str, Any]]:
    """The settings the in-page explorer's Play button steps through (15 frames).

    Four method/mapping pairs (nearest, bilinear, bicubic with the half-pixel
    mapping; bilinear corner-aligned); bicubic's three risky variants (no clamp,
    normalised after or before; clamped, normalised before); each colormap on
    bilinear and on nearest. Unset keys keep :func:`upsample_frame`'s defaults.

    Examples
    --------
    >>> settings = twin_settings()
    >>> len(settings), settings[0]
    (15, {'method': 'nearest', 'align_corners': False})
    """
    frames: list[dict[str, Any]] = []
    for method, align in [
        ("nearest", False),
        ("bilinear", False),
        ("bicubic", False),
        ("bilinear", True),
    ]:
        frames.append({"method": method, "align_corners": align})
    for normalization, clamp in [("after", False), ("before", False), ("before", True)]:
        frames.append(
            {"method": "bicubic", "normalization": normalization, "clamp": clamp}
        )
    for cmap in CMAPS:
        frames.append({"method": "bilinear", "cmap": cmap})
        frames.append({"method": "nearest", "cmap": cmap})
    return frames


class UpsampleExplorer(FigureExplorer[UpsampleFrame]):
    """Live widget: choose how a coarse map is upsampled and shown.

    {attributes}
    cam, truth : numpy.ndarray
        The coarse map and the optional fine truth (the inputs).
    method, mapping, normalization, cmap : ipywidgets.Dropdown
        Interpolation method, source-coordinate mapping, normalisation order,
        colormap. Set ``.value`` to change them (tests do so headless).
    clamp : ipywidgets.Checkbox
        Clip to the range of the coarse values before normalising.
    slider : ipywidgets.IntSlider
        The row whose profile is drawn.
    """

    def __init__(
        self,
        cam: ArrayLike,
        output_shape: Sequence[int],
        truth: ArrayLike | None = None,
        row: int | None = None,
    ) -> None:
        import ipywidgets as widgets

        self.cam = as_float_array(cam, "cam", ndim=2, dtype=np.float64)
        self.output_shape = check_shape(output_shape, "output_shape", length=2)
        self.truth = (
            None
            if truth is None
            else as_float_array(truth, "truth", ndim=2, dtype=np.float64)
        )
        self.method = widgets.Dropdown(
            options=list(heatmaps.METHODS), value="bilinear", description="method"
        )
        self.mapping = widgets.Dropdown(
            options=list(MAPPINGS.items()), value=False, description="mapping"
        )
        self.normalization = widgets.Dropdown(
            options=list(heatmaps.NORMALIZATIONS),
            value="after",
            description="normalise",
        )
        self.clamp = widgets.Checkbox(value=True, description="clamp")
        self.cmap = widgets.Dropdown(
            options=list(CMAPS), value="viridis", description="colormap"
        )
        start = self._compute(row)  # validates row; None: the peak's row
        self.slider = widgets.IntSlider(
            value=start.row,
            min=0,
            max=self.output_shape[0] - 1,
            description="row",
            continuous_update=True,
        )
        fig, axes = upsample_figure()
        super().__init__(
            fig,
            axes,
            {
                "method": self.method,
                "mapping": self.mapping,
                "normalization": self.normalization,
                "clamp": self.clamp,
                "cmap": self.cmap,
                "row": self.slider,
            },
            rows=[
                widgets.HBox(
                    [
                        widgets.VBox([self.method, self.mapping, self.normalization]),
                        widgets.VBox([self.cmap, self.clamp, self.slider]),
                    ]
                )
            ],
        )

    def _compute(self, row: int | None) -> UpsampleFrame:
        return upsample_frame(
            self.cam,
            self.output_shape,
            method=self.method.value,
            align_corners=self.mapping.value,
            normalization=self.normalization.value,
            clamp=self.clamp.value,
            cmap=self.cmap.value,
            row=row,
            truth=self.truth,
        )

    def compute_frame(self) -> UpsampleFrame:
        return self._compute(self.slider.value)

    def draw(self, axes: Any, frame: UpsampleFrame, artists: Artists | None) -> Artists:
        return draw_upsample(axes, frame, artists)


def make_upsample_explorer(
    cam: ArrayLike,
    output_shape: Sequence[int],
    *,
    truth: ArrayLike | None = None,
    row: int | None = None,
) -> UpsampleExplorer:
    """Create the live explorer of Chapter 5 (display it in Jupyter).

    Parameters
    ----------
    cam, output_shape
        The coarse map and the ``(H, W)`` to upsample it to, as in
        :func:`upsample_frame`.
    truth : array_like, shape (H, W), optional
        The known high-resolution map, drawn dashed in the profile.
    row : int, optional
        The initial profile row (default: the row of the truth's maximum).

    Examples
    --------
    >>> cam = [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    >>> ex = make_upsample_explorer(cam, (12, 12))
    >>> ex.method.value = "bicubic"
    >>> ex.clamp.value = False
    >>> ex.frame["raw_min"] < 0.0
    True
    """
    return UpsampleExplorer(cam, output_shape, truth=truth, row=row)
