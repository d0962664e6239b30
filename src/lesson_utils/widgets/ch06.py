"""Chapter 6 widget: Grad-CAM's weighted sum built up channel by channel.

Three layers (see CONTRIBUTING.md):

1. :func:`lesson_utils.gradcam.gradcam_frame` computes what to show after ``step + 1``
   channels (channels in the order of decreasing weight ``alpha_k``);
2. :func:`draw_gradcam` draws a frame (the channel's map ``A^k``, the weights as
   bars, the running sum, the upsampled overlay on the image), creating artists
   once and then only changing their data;
3. :func:`make_gradcam_explorer` wires three controls (image, step, upsampling) to
   1 and 2.

On the static site the same path (the channels added one at a time, by decreasing
weight) is swept by the Play button of the page's explorer,
:func:`lesson_utils.explorers.ch06` with ``activations`` and ``weights``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from .. import gradcam
from .._types import Method2D
from .._validate import as_float_array, check_positive_int
from ..plotting import Artists, FigureExplorer, Frame

__all__ = [
    "UPSAMPLINGS",
    "GradCamFrame",
    "gradcam_frame",
    "gradcam_figure",
    "draw_gradcam",
    "GradCamExplorer",
    "make_gradcam_explorer",
]

#: The upsampling choices of the chapter: name -> (method, align_corners).
UPSAMPLINGS: dict[str, tuple[Method2D, bool]] = {
    "nearest": ("nearest", False),
    "bilinear (half-pixel)": ("bilinear", False),
    "bilinear (align_corners=True)": ("bilinear", True),
    "bicubic (clamped at 0)": ("bicubic", False),
}


@dataclass(frozen=True, eq=False)
class GradCamFrame(Frame):
    """One picture of Chapter 6: the Grad-CAM sum after ``step + 1`` channels.

    The fields of :func:`lesson_utils.gradcam.gradcam_frame` (see there:
    ``order``, ``channel``, ``A_k``, ``alpha_k``, ``alpha``, ``partial``,
    ``cam``, ``upsampled``, ``step``, ``n_channels``), and what the overlay
    needs: ``image`` (H, W) the input, ``mask`` (H, W) its lesion mask or
    ``None``, ``vmax`` the overlay's upper colour limit or ``None`` (this
    frame's maximum).
    """

    order: np.ndarray
    channel: int
    A_k: np.ndarray
    alpha_k: float
    alpha: np.ndarray
    partial: np.ndarray
    cam: np.ndarray
    upsampled: np.ndarray
    step: int
    n_channels: int
    image: np.ndarray
    mask: np.ndarray | None = None
    vmax: float | None = None


def gradcam_frame(
    activations: ArrayLike,
    alpha: ArrayLike,
    step: int,
    image: ArrayLike,
    mask: ArrayLike | None = None,
    *,
    method: Method2D = "bilinear",
    align_corners: bool = False,
    vmax: float | None = None,
) -> GradCamFrame:
    """The frame after ``step + 1`` channels, upsampled to the image's size.

    :func:`lesson_utils.gradcam.gradcam_frame` with ``size = image.shape``, plus
    the image, the mask and the colour limit the drawing needs.

    Examples
    --------
    >>> acts = np.stack([np.eye(2), np.ones((2, 2))])
    >>> f = gradcam_frame(acts, [1.0, -0.5], 0, np.zeros((4, 4)))
    >>> f.channel, f.partial.tolist(), f.upsampled.shape
    (0, [[1.0, 0.0], [0.0, 1.0]], (4, 4))
    """
    img = as_float_array(image, "image", ndim=2, dtype=np.float64)
    m = None
    if mask is not None:
        m = np.asarray(mask, dtype=bool)
        if m.shape != img.shape:
            raise ValueError(
                f"`mask` must have the shape of `image` {img.shape}; got {m.shape}"
            )
    fields = gradcam.gradcam_frame(
        activations,
        alpha,
        step,
        size=(img.shape[0], img.shape[1]),
        method=method,
        align_corners=align_corners,
    )
    return GradCamFrame(
        **fields, image=img, mask=m, vmax=None if vmax is None else float(vmax)
    )


def _outline(mask: np.ndarray) -> np.ma.MaskedArray:
    """The mask's boundary pixels as a masked array (hidden elsewhere)."""
    m = np.asarray(mask, dtype=bool)
    inner = m.copy()
    inner[1:, :] &= m[:-1, :]
    inner[:-1, :] &= m[1:, :]
    inner[:, 1:] &= m[:, :-1]
    inner[:, :-1] &= m[:, 1:]
    edge = m & ~inner
    return np.ma.masked_where(~edge, edge.astype(float))


def gradcam_figure() -> tuple[Figure, np.ndarray]:
    """Create the four-panel figure: ``A^k``, the weights, the running sum, overlay."""
    fig, axes = plt.subplots(
        1, 4, figsize=(9.0, 2.6), dpi=80, gridspec_kw={"width_ratios": [1, 1.4, 1, 1]}
    )
    for ax in axes[[0, 2, 3]]:
        ax.set_xticks([])
        ax.set_yticks([])
    axes[1].set_xlabel("channels, by decreasing alpha", fontsize=8)
    axes[1].tick_params(labelsize=7)
    axes[1].ticklabel_format(axis="y", style="sci", scilimits=(-2, 2))
    axes[1].yaxis.get_offset_text().set_fontsize(7)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.14, top=0.86, wspace=0.4)
    return fig, axes


def draw_gradcam(
    ax: np.ndarray,
    frame: GradCamFrame | Mapping[str, Any],
    artists: Artists | None = None,
) -> Artists:
    """Draw one frame of the channel-by-channel Grad-CAM picture.

    Parameters
    ----------
    ax : array of 4 Axes
        From :func:`gradcam_figure`.
    frame : GradCamFrame
        From :func:`gradcam_frame`: its ``image`` is the grey background of the
        overlay, its ``mask`` (if any) is drawn as an outline, and its ``vmax``
        (if set) is the overlay's upper colour limit; the final map's maximum
        keeps one absolute scale while the sum grows.
    artists : dict, optional
        What a previous call returned; then only data, colours, limits and texts
        change.

    Returns
    -------
    dict
        ``A_k``, ``bars``, ``partial``, ``image``, ``overlay``, ``outline`` and the
        four ``titles``.
    """
    axes = ax
    frame = GradCamFrame.coerce(frame)
    img, mask, vmax = frame.image, frame.mask, frame.vmax
    up = frame["upsampled"]
    top = float(vmax) if vmax is not None else float(up.max())
    top = top if top > 0 else 1.0
    order = frame["order"]
    sorted_alpha = frame["alpha"][order]
    colors = ["#D55E00" if i <= frame["step"] else "#BBBBBB" for i in range(len(order))]
    lim = float(np.max(np.abs(frame["partial"]))) or 1.0
    outline = _outline(
        np.zeros(img.shape, bool) if mask is None else np.asarray(mask, bool)
    )
    low = min(float(sorted_alpha.min()), 0.0)
    high = max(float(sorted_alpha.max()), 0.0)
    pad = 0.08 * (high - low) or 1.0
    texts = (
        f"$A^{{{frame['channel']}}}$, $\\alpha$ = {frame['alpha_k']:+.2e}",
        f"added {frame['step'] + 1} of {frame['n_channels']} channels",
        "running sum (before ReLU)",
        "ReLU, upsampled",
    )
    if artists is None:
        ax_a, ax_b, ax_s, ax_o = axes
        a_img = ax_a.imshow(frame["A_k"], cmap="viridis", interpolation="nearest")
        bars = ax_b.bar(np.arange(len(order)), sorted_alpha, color=colors)
        ax_b.axhline(0, color="0.4", lw=0.8)
        ax_b.set_xticks([])
        ax_b.set_ylim(low - pad, high + pad)
        s_img = ax_s.imshow(
            frame["partial"],
            cmap="PuOr_r",
            vmin=-lim,
            vmax=lim,
            interpolation="nearest",
        )
        bg = ax_o.imshow(img, cmap="gray", interpolation="nearest")
        ov = ax_o.imshow(
            up, cmap="magma", alpha=0.55, vmin=0, vmax=top, interpolation="nearest"
        )
        ol = ax_o.imshow(outline, cmap="cool", vmin=0, vmax=1, interpolation="nearest")
        titles = [
            ax.set_title(t, fontsize=9) for ax, t in zip(axes, texts, strict=True)
        ]
        return {
            "A_k": a_img,
            "bars": bars,
            "partial": s_img,
            "image": bg,
            "overlay": ov,
            "outline": ol,
            "titles": titles,
        }
    artists["A_k"].set_data(frame["A_k"])
    artists["A_k"].set_clim(
        float(frame["A_k"].min()), float(frame["A_k"].max()) + 1e-12
    )
    for bar, h, c in zip(artists["bars"], sorted_alpha, colors, strict=True):
        bar.set_height(h)
        bar.set_facecolor(c)
    axes[1].set_ylim(low - pad, high + pad)
    artists["partial"].set_data(frame["partial"])
    artists["partial"].set_clim(-lim, lim)
    artists["image"].set_data(img)
    artists["image"].set_clim(float(img.min()), float(img.max()))
    artists["overlay"].set_data(up)
    artists["overlay"].set_clim(0, top)
    artists["outline"].set_data(outline)
    for title, t in zip(artists["titles"], texts, strict=True):
        title.set_text(t)
    return artists


def _final_max(
    cam: np.ndarray, size: tuple[int, int], method: Method2D, align_corners: bool
) -> float:
    """Maximum of the full (all channels) map after upsampling: the colour scale."""
    up = gradcam.upsample_cam(
        cam.astype(np.float64), size, method=method, align_corners=align_corners
    )
    return float(up.max())


class GradCamExplorer(FigureExplorer[GradCamFrame]):
    """Live widget: pick an image, a step (channel) and an upsampling method.

    {attributes}
    images, masks : numpy.ndarray
        The inputs, (N, 1, H, W) and (N, H, W) or ``None``.
    image_slider : ipywidgets.IntSlider
        Which image.
    step_slider : ipywidgets.IntSlider
        How many channels are added, 1 .. K (the frame's ``step`` is one less); the
        last one added is the channel shown as ``A^k``.
    method_dropdown : ipywidgets.Dropdown
        A key of :data:`UPSAMPLINGS`.
    parts : dict
        :func:`lesson_utils.gradcam.grad_cam_parts` of all the images.
    """

    def __init__(
        self,
        model: Any,
        target_layer: Any,
        images: ArrayLike,
        masks: ArrayLike | None,
        target_class: int,
    ) -> None:
        import ipywidgets as widgets

        self.images = as_float_array(images, "images", ndim=4, dtype=np.float32)
        n = self.images.shape[0]
        self.masks = None if masks is None else np.asarray(masks, dtype=bool)
        if self.masks is not None and self.masks.shape != (
            n,
            *self.images.shape[2:],
        ):
            raise ValueError(
                f"`masks` must have shape {(n, *self.images.shape[2:])}; "
                f"got shape {self.masks.shape}"
            )
        self.parts = gradcam.grad_cam_parts(
            model, target_layer, self.images, target_class
        )
        k = self.parts["alpha"].shape[1]
        self.image_slider = widgets.IntSlider(
            value=0, min=0, max=n - 1, description="image"
        )
        self.step_slider = widgets.IntSlider(
            value=k, min=1, max=k, description="channels"
        )
        self.method_dropdown = widgets.Dropdown(
            options=list(UPSAMPLINGS),
            value="bilinear (half-pixel)",
            description="upsampling",
        )
        self._vmax_key: tuple[int, str] | None = None
        self._vmax = 0.0
        fig, axes = gradcam_figure()
        super().__init__(
            fig,
            axes,
            {
                "image": self.image_slider,
                "step": self.step_slider,
                "method": self.method_dropdown,
            },
        )

    def _final_vmax(self) -> float:
        """The full map's maximum for this image and method (the colour scale)."""
        key = (self.image_slider.value, self.method_dropdown.value)
        if key != self._vmax_key:  # moving the step keeps the scale
            method, align = UPSAMPLINGS[key[1]]
            self._vmax = _final_max(
                self.parts["cam"][key[0]],
                (self.images.shape[2], self.images.shape[3]),
                method,
                align,
            )
            self._vmax_key = key
        return self._vmax

    def compute_frame(self) -> GradCamFrame:
        i = self.image_slider.value
        method, align = UPSAMPLINGS[self.method_dropdown.value]
        return gradcam_frame(
            self.parts["activations"][i].astype(np.float64),
            self.parts["alpha"][i].astype(np.float64),
            self.step_slider.value - 1,
            self.images[i, 0],
            None if self.masks is None else self.masks[i],
            method=method,
            align_corners=align,
            vmax=self._final_vmax(),
        )

    def draw(self, axes: Any, frame: GradCamFrame, artists: Artists | None) -> Artists:
        return draw_gradcam(axes, frame, artists)


def make_gradcam_explorer(
    model: Any,
    target_layer: Any,
    images: ArrayLike,
    masks: ArrayLike | None = None,
    *,
    target_class: int = 1,
) -> GradCamExplorer:
    """Create the live Grad-CAM explorer of Chapter 6 (display it in Jupyter).

    Parameters
    ----------
    model, target_layer
        As for :func:`lesson_utils.gradcam.grad_cam`.
    images : array_like, shape (N, 1, H, W)
        A few images (their Grad-CAM parts are computed once, up front).
    masks : array_like of bool, shape (N, H, W), optional
        Their lesion masks, outlined on the overlay.
    target_class : int
        The explained class.

    Examples
    --------
    >>> from lesson_utils.cnn import build_model, target_layer
    >>> from lesson_utils.phantoms import make_phantoms
    >>> model = build_model(width=2)
    >>> x, _, m = make_phantoms(2, seed=0)
    >>> ex = make_gradcam_explorer(model, target_layer(model), x, m)
    >>> ex.step_slider.value = 1
    >>> ex.frame["step"], ex.frame["n_channels"]
    (0, 4)
    """
    check_positive_int(target_class, "target_class", minimum=0)
    return GradCamExplorer(model, target_layer, images, masks, target_class)
