"""Chapter 8 widget: a vision transformer's CLS attention, raw or rolled out.

Three layers (see CONTRIBUTING.md):

1. :func:`attention_frame` wraps :func:`lesson_utils.vit.attention_frame` (what
   to show for one choice of image, layer, head, raw attention or rollout, and
   upsampling method) with the image and its mask in an :class:`AttentionFrame`;
2. :func:`draw_attention` draws a frame (the raw patch grid with its strongest
   cell, and the upsampled map over the image with the lesion outlined), creating
   artists once and then only changing their data; the static figure
   :func:`attention_panels` and the explorer both call it;
3. :func:`make_attention_explorer` wires five controls to 1 and 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from numpy.typing import ArrayLike

from .. import vit
from .._validate import as_float_array
from ..plotting import COLORS, FigureExplorer, Frame
from .ch06 import _outline

#: Colour of the strongest cell's frame and of the upsampled maximum's cross.
MARKER = COLORS["left"]

__all__ = [
    "AttentionFrame",
    "attention_frame",
    "attention_figure",
    "draw_attention",
    "attention_panels",
    "AttentionExplorer",
    "make_attention_explorer",
]


@dataclass(frozen=True, eq=False)
class AttentionFrame(Frame):
    """What one picture of Chapter 8's widget shows (layer 1).

    The fields of :func:`lesson_utils.vit.attention_frame` (``grid``,
    ``upsampled``, ``peak_cell``, ``peak_pixel``, ``title``, ``index``, ``layer``,
    ``head``, ``kind``, ``upsampling``) plus the ``image`` (H, W) under the
    overlay and its lesion ``mask`` (H, W) or None.
    """

    grid: np.ndarray
    upsampled: np.ndarray
    peak_cell: tuple[int, int]
    peak_pixel: tuple[int, int]
    title: str
    index: int
    layer: int
    head: int | None
    kind: str
    upsampling: str
    image: np.ndarray
    mask: np.ndarray | None = None


def attention_frame(
    attentions: Sequence[ArrayLike],
    image: ArrayLike,
    mask: ArrayLike | None = None,
    **settings: Any,
) -> AttentionFrame:
    """:func:`lesson_utils.vit.attention_frame` with the image and mask it is drawn on.

    ``settings`` are the keyword arguments of :func:`lesson_utils.vit.attention_frame`
    (``index``, ``layer``, ``head``, ``kind``, ``upsampling``); ``image_size`` is
    taken from ``image`` (H, W).
    """
    img = as_float_array(image, "image", ndim=2, dtype=np.float64)
    m = None if mask is None else np.asarray(mask, dtype=bool)
    if m is not None and m.shape != img.shape:
        raise ValueError(f"`mask` must have shape {img.shape}; got shape {m.shape}")
    index = settings.pop("index")
    numbers = vit.attention_frame(
        attentions, index, image_size=img.shape[-1], **settings
    )
    return AttentionFrame(image=img, mask=m, **numbers)


def attention_figure(
    n_rows: int = 1, *, figsize: tuple[float, float] | None = None
) -> tuple[Figure, np.ndarray]:
    """Create ``n_rows`` pairs of panels: the patch grid, and the overlay.

    Returns
    -------
    (Figure, numpy.ndarray of Axes with shape (n_rows, 2))
    """
    size = figsize if figsize is not None else (5.6, 2.7 * n_rows + 0.2)
    fig, axes = plt.subplots(n_rows, 2, figsize=size, dpi=80, squeeze=False)
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.9, wspace=0.08)
    return fig, axes


def draw_attention(
    axes: Sequence[Any],
    frame: AttentionFrame,
    artists: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Draw one frame: the raw CLS map on the patch grid, and its upsampled overlay.

    Parameters
    ----------
    axes : two Axes
        One row of :func:`attention_figure`.
    frame : AttentionFrame
        From :func:`attention_frame` (a mapping of its fields is coerced); its
        ``mask``, if any, is drawn as an outline (cyan) on both panels.
    artists : dict, optional
        What a previous call returned; then only data, limits and texts change.

    Returns
    -------
    dict
        ``grid``, ``image``, ``overlay``, ``outline``, ``grid_outline``,
        ``peak_cell`` (a rectangle on the strongest cell's patch), ``peak_pixel``
        (a cross on the upsampled map's maximum) and the two ``titles``.

    Notes
    -----
    The raw grid is drawn with ``interpolation="nearest"`` and ``extent`` set so
    that cell ``(p, q)`` covers exactly the pixels of patch ``(p, q)``: the grid and
    the overlay share one pixel coordinate system (pixel centres at integers).
    """
    frame = AttentionFrame.coerce(frame)
    img = np.asarray(frame.image, dtype=np.float64)
    mask = frame.mask
    size_y, size_x = img.shape
    extent = (-0.5, size_x - 0.5, size_y - 0.5, -0.5)
    grid = frame["grid"]
    up = frame["upsampled"]
    h, w = grid.shape
    py, px = size_y / h, size_x / w
    # the strongest cell's patch: rows p*py .. (p+1)*py - 1, as a square of edges
    corner = (frame["peak_cell"][1] * px - 0.5, frame["peak_cell"][0] * py - 0.5)
    top = float(up.max()) or 1.0
    gtop = float(grid.max()) or 1.0
    outline = _outline(np.zeros(img.shape, bool) if mask is None else np.asarray(mask))
    texts = (
        f"{frame['title']}\n{h} x {w} patch grid (raw)",
        f"upsampled: {frame['upsampling']}",
    )
    if artists is None:
        ax_g, ax_o = axes
        g_img = ax_g.imshow(
            grid,
            cmap="magma",
            vmin=0,
            vmax=gtop,
            interpolation="nearest",
            extent=extent,
        )
        g_ol = ax_g.imshow(
            outline, cmap="cool", vmin=0, vmax=1, interpolation="nearest"
        )
        cell = ax_g.add_patch(Rectangle(corner, px, py, fill=False, ec=MARKER, lw=1.5))
        bg = ax_o.imshow(img, cmap="gray", interpolation="nearest")
        ov = ax_o.imshow(
            up, cmap="magma", alpha=0.6, vmin=0, vmax=top, interpolation="nearest"
        )
        ol = ax_o.imshow(outline, cmap="cool", vmin=0, vmax=1, interpolation="nearest")
        (peak,) = ax_o.plot(
            [frame["peak_pixel"][1]],
            [frame["peak_pixel"][0]],
            "+",
            color=MARKER,
            ms=10,
            mew=2,
        )
        titles = [
            ax.set_title(t, fontsize=8) for ax, t in zip(axes, texts, strict=True)
        ]
        for ax in axes:
            ax.set_xlim(-0.5, size_x - 0.5)
            ax.set_ylim(size_y - 0.5, -0.5)
        return {
            "grid": g_img,
            "grid_outline": g_ol,
            "peak_cell": cell,
            "image": bg,
            "overlay": ov,
            "outline": ol,
            "peak_pixel": peak,
            "titles": titles,
        }
    artists["grid"].set_data(grid)
    artists["grid"].set_clim(0, gtop)
    artists["grid_outline"].set_data(outline)
    artists["peak_cell"].set_xy(corner)
    artists["image"].set_data(img)
    artists["image"].set_clim(float(img.min()), float(img.max()))
    artists["overlay"].set_data(up)
    artists["overlay"].set_clim(0, top)
    artists["outline"].set_data(outline)
    artists["peak_pixel"].set_data([frame["peak_pixel"][1]], [frame["peak_pixel"][0]])
    for title, t in zip(artists["titles"], texts, strict=True):
        title.set_text(t)
    return artists


def attention_panels(
    attentions: Sequence[ArrayLike],
    images: ArrayLike,
    masks: ArrayLike | None,
    settings: Sequence[dict[str, Any]],
) -> Figure:
    """The static figure of "Try it": one row of :func:`draw_attention` per setting.

    Parameters
    ----------
    attentions : list of array_like (N, G, T, T)
        From :func:`lesson_utils.vit.attention_weights`.
    images : array_like, shape (N, 1, H, W)
    masks : array_like of bool, shape (N, H, W), optional
    settings : sequence of dict
        Keyword arguments of :func:`lesson_utils.vit.attention_frame` (``index``,
        ``layer``, ``head``, ``kind``, ``upsampling``), one dict per row.

    Returns
    -------
    matplotlib Figure
    """
    x = as_float_array(images, "images", ndim=4, dtype=np.float64)
    m = None if masks is None else np.asarray(masks, dtype=bool)
    if not settings:
        raise ValueError("`settings` must hold at least one row; got 0")
    fig, axes = attention_figure(len(settings))
    for row, kwargs in zip(axes, settings, strict=True):
        i = kwargs["index"]
        frame = attention_frame(
            attentions, x[i, 0], None if m is None else m[i], **kwargs
        )
        draw_attention(row, frame)
    return fig


class AttentionExplorer(FigureExplorer[AttentionFrame]):
    """Live widget: pick an image, a layer, a head, rollout on/off, an upsampling.

    The attributes of :class:`lesson_utils.plotting.FigureExplorer` (``fig``,
    ``axes``, ``controls``, ``frame``, ``artists``, ``view``, ``widget``,
    ``last_update_seconds``), the inputs ``images`` and ``masks``, and:

    Attributes
    ----------
    image_slider, layer_slider : ipywidgets.IntSlider
        Which image (0 .. N-1) and which layer (1 .. L).
    head_dropdown : ipywidgets.Dropdown
        ``"mean"`` or a head number (ignored when rollout is on).
    rollout_checkbox : ipywidgets.Checkbox
        Rollout up to the layer (True) or that layer's raw attention (False).
    method_dropdown : ipywidgets.Dropdown
        A key of :data:`lesson_utils.vit.UPSAMPLINGS`.
    attentions : list of numpy.ndarray
        :func:`lesson_utils.vit.attention_weights` of the images, computed once.
    """

    def __init__(self, model: Any, images: ArrayLike, masks: ArrayLike | None) -> None:
        import ipywidgets as widgets

        self.images = as_float_array(images, "images", ndim=4, dtype=np.float32)
        n = self.images.shape[0]
        self.masks = None if masks is None else np.asarray(masks, dtype=bool)
        if self.masks is not None and self.masks.shape != (n, *self.images.shape[2:]):
            raise ValueError(
                f"`masks` must have shape {(n, *self.images.shape[2:])}; "
                f"got shape {self.masks.shape}"
            )
        self.attentions = vit.attention_weights(model, self.images)
        depth = len(self.attentions)
        n_heads = self.attentions[0].shape[1]
        self.image_slider = widgets.IntSlider(
            value=0, min=0, max=n - 1, description="image"
        )
        self.layer_slider = widgets.IntSlider(
            value=depth, min=1, max=depth, description="layer"
        )
        self.head_dropdown = widgets.Dropdown(
            options=[("mean", None)] + [(str(g), g) for g in range(n_heads)],
            value=None,
            description="head",
        )
        self.rollout_checkbox = widgets.Checkbox(value=False, description="rollout")
        self.method_dropdown = widgets.Dropdown(
            options=list(vit.UPSAMPLINGS),
            value="bilinear (half-pixel)",
            description="upsampling",
        )
        controls = {
            "image": self.image_slider,
            "layer": self.layer_slider,
            "head": self.head_dropdown,
            "rollout": self.rollout_checkbox,
            "method": self.method_dropdown,
        }
        fig, axes = attention_figure(1)
        rows = [
            widgets.HBox([self.image_slider, self.layer_slider, self.head_dropdown]),
            widgets.HBox([self.rollout_checkbox, self.method_dropdown]),
        ]
        super().__init__(fig, tuple(axes[0]), controls, rows=rows)

    def compute_frame(self) -> AttentionFrame:
        i = self.image_slider.value
        return attention_frame(
            self.attentions,
            self.images[i, 0],
            None if self.masks is None else self.masks[i],
            index=i,
            layer=self.layer_slider.value,
            head=self.head_dropdown.value,
            kind="rollout" if self.rollout_checkbox.value else "attention",
            upsampling=self.method_dropdown.value,
        )

    def draw(
        self, axes: Any, frame: AttentionFrame, artists: dict[str, Any] | None
    ) -> dict[str, Any]:
        return draw_attention(axes, frame, artists)


def make_attention_explorer(
    model: Any, images: ArrayLike, masks: ArrayLike | None = None
) -> AttentionExplorer:
    """Create the live attention explorer of Chapter 8 (display it in Jupyter).

    Parameters
    ----------
    model : lesson_utils.vit.VisionTransformer
        The model whose attention is shown.
    images : array_like, shape (N, 1, H, W)
        A few images (their attention weights are computed once, up front).
    masks : array_like of bool, shape (N, H, W), optional
        Their lesion masks, outlined on both panels.

    Examples
    --------
    >>> from lesson_utils.vit import build_vit
    >>> from lesson_utils.phantoms import make_phantoms
    >>> x, _, m = make_phantoms(2, seed=0)
    >>> ex = make_attention_explorer(build_vit(seed=0), x, m)
    >>> ex.rollout_checkbox.value = True
    >>> ex.frame["kind"], ex.frame["grid"].shape
    ('rollout', (8, 8))
    """
    return AttentionExplorer(model, images, masks)
