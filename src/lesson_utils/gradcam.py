"""Grad-CAM step by step, and how well its heat maps point at a known lesion.

Introduced in Chapter 6 ("Grad-CAM step by step"). Grad-CAM (Selvaraju et al.,
ICCV 2017) explains the score ``y^c`` of class ``c`` with the feature maps ``A^k``
(k = 1..K, each h x w) of a chosen *target layer*:

.. math::

    \\alpha_k^c = \\frac{1}{Z} \\sum_{i,j}
                  \\frac{\\partial y^c}{\\partial A^k_{ij}},
    \\qquad L^c = \\mathrm{ReLU}\\Big(\\sum_k \\alpha_k^c A^k\\Big),

with ``Z = h * w`` and ``y^c`` the score *before* the softmax. The numeric steps are
small pure functions (:func:`channel_weights`, :func:`weighted_sum`); the model is
touched only by :func:`grad_cam_parts`, whose hooks live in the context manager
:func:`capture` and are removed when it exits, even on an error.

Heat maps are (N, h, w) arrays on the target layer's grid, cell ``(i, j)`` centred
at image pixel ``((i + 0.5) * H / h - 0.5, (j + 0.5) * W / w - 0.5)`` (half-pixel
convention); :func:`upsample_cam` brings them to the image grid with
:func:`lesson_utils.resize.resize`. How well the maps localise, and the intervals
of those scores, are measured by :mod:`lesson_utils.metrics`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch
from numpy.typing import ArrayLike
from torch import nn

from ._types import METHODS_2D, Method2D
from ._validate import (
    _describe,
    as_float_array,
    check_bool,
    check_class_indices,
    check_shape_2d,
)

__all__ = [
    "UPSAMPLE_METHODS",
    "Capture",
    "capture",
    "channel_weights",
    "weighted_sum",
    "grad_cam_parts",
    "grad_cam",
    "upsample_cam",
    "gradcam_frame",
]

UpsampleMethod = Method2D
#: The upsampling methods, in the order of :data:`lesson_utils._types.METHODS_2D`.
UPSAMPLE_METHODS = METHODS_2D


# --------------------------------------------------------------------------- steps
def channel_weights(gradients: ArrayLike) -> np.ndarray:
    """Channel importances: the spatial mean of the gradients, ``alpha_k``.

    Parameters
    ----------
    gradients : array_like, shape (..., K, h, w)
        ``dy^c / dA^k_ij`` for every channel ``k`` and cell ``(i, j)``.

    Returns
    -------
    numpy.ndarray, shape (..., K)
        ``alpha_k = (1 / Z) sum_ij gradients[..., k, i, j]`` with ``Z = h * w``;
        float32 for float32 input, else float64.

    Raises
    ------
    TypeError
        If ``gradients`` is not numeric.
    ValueError
        If it has fewer than 3 dimensions or is not finite.

    Examples
    --------
    >>> g = np.array([[[1.0, 2.0], [3.0, 6.0]], [[-1.0, 0.0], [0.0, 1.0]]])
    >>> channel_weights(g).tolist()
    [3.0, 0.0]
    """
    g = as_float_array(gradients, "gradients", min_ndim=3)
    return np.asarray(g.astype(np.float64).mean(axis=(-2, -1)).astype(g.dtype))


def weighted_sum(
    activations: ArrayLike, alpha: ArrayLike, *, relu: bool = True
) -> np.ndarray:
    """The Grad-CAM map ``ReLU(sum_k alpha_k A^k)`` (or without the ReLU).

    Parameters
    ----------
    activations : array_like, shape (..., K, h, w)
        Feature maps ``A^k`` of the target layer.
    alpha : array_like, shape (..., K)
        Channel weights (same leading shape as ``activations``).
    relu : bool
        Keep only the positive part (True, Grad-CAM) or return the signed sum.

    Returns
    -------
    numpy.ndarray, shape (..., h, w)
        float32 if ``activations`` is float32, else float64.

    Raises
    ------
    TypeError
        If an input is not numeric or ``relu`` is not a bool.
    ValueError
        If the shapes do not match.

    Examples
    --------
    >>> A = np.array([[[1.0, 0.0]], [[0.0, 2.0]]])          # K=2, h=1, w=2
    >>> weighted_sum(A, [1.0, -1.0]).tolist()
    [[1.0, 0.0]]
    >>> weighted_sum(A, [1.0, -1.0], relu=False).tolist()
    [[1.0, -2.0]]
    """
    a = as_float_array(activations, "activations", min_ndim=3)
    w = as_float_array(alpha, "alpha", min_ndim=1, dtype=np.float64)
    relu = check_bool(relu, "relu")
    if w.shape != a.shape[:-2]:
        raise ValueError(
            f"`alpha` must have shape {a.shape[:-2]} (one weight per channel of "
            f"`activations`); got shape {w.shape}"
        )
    s = np.einsum("...k,...kij->...ij", w, a.astype(np.float64))
    if relu:
        s = np.maximum(s, 0.0)
    return np.asarray(s.astype(a.dtype))


# --------------------------------------------------------------------------- hooks
class Capture:
    """What :func:`capture` records: the target layer's output and its gradient."""

    def __init__(self) -> None:
        self.activations: torch.Tensor | None = None
        self.gradients: torch.Tensor | None = None
        self.calls = 0


@contextmanager
def capture(model: nn.Module, target_layer: nn.Module) -> Iterator[Capture]:
    """Record the output of ``target_layer`` (forward) and its gradient (backward).

    Parameters
    ----------
    model : torch.nn.Module
        The network; used only to check that ``target_layer`` belongs to it.
    target_layer : torch.nn.Module
        A submodule of ``model``.

    Yields
    ------
    Capture
        ``activations`` is set by each forward pass, ``gradients`` when a backward
        pass reaches the activations.

    Raises
    ------
    TypeError
        If ``model`` or ``target_layer`` is not a ``torch.nn.Module``.
    ValueError
        If ``target_layer`` is not a submodule of ``model``.

    Notes
    -----
    A forward hook on the layer stores its output and registers a tensor hook on
    it for the gradient. The forward hook is removed when the ``with`` block
    exits, whether normally or by an exception (``finally``).

    Examples
    --------
    >>> net = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    >>> with capture(net, net[1]) as cap:
    ...     out = net(torch.ones(1, 2))
    >>> cap.activations.shape, len(net[1]._forward_hooks)
    (torch.Size([1, 2]), 0)
    """
    _check_layer(model, target_layer)
    cap = Capture()

    def save_gradient(grad: torch.Tensor) -> None:
        cap.gradients = grad.detach()

    def forward_hook(module: nn.Module, inputs: Any, output: torch.Tensor) -> None:
        cap.calls += 1
        cap.activations = output
        if output.requires_grad:
            output.register_hook(save_gradient)

    handle = target_layer.register_forward_hook(forward_hook)
    try:
        yield cap
    finally:
        handle.remove()


def _check_layer(model: Any, target_layer: Any) -> None:
    if not isinstance(model, nn.Module):
        raise TypeError(f"`model` must be a torch.nn.Module; got {_describe(model)}")
    if not isinstance(target_layer, nn.Module):
        raise TypeError(
            f"`target_layer` must be a torch.nn.Module; got {_describe(target_layer)}"
        )
    if not any(m is target_layer for m in model.modules()):
        raise ValueError(
            "`target_layer` must be one of the modules of `model` "
            f"(see model.named_modules()); got {target_layer!r}, which is not"
        )


def _images_tensor(images: Any) -> tuple[torch.Tensor, np.dtype]:
    if isinstance(images, torch.Tensor):
        images = images.detach().cpu().numpy()
    arr = as_float_array(images, "images", ndim=4)
    return torch.from_numpy(arr.astype(np.float32)), arr.dtype


def grad_cam_parts(
    model: nn.Module,
    target_layer: nn.Module,
    images: ArrayLike,
    target_class: int | ArrayLike,
) -> dict[str, Any]:
    """Every intermediate of Grad-CAM for a batch of images.

    Parameters
    ----------
    model : torch.nn.Module
        Maps images (N, C, H, W) to class scores (logits) (N, n_classes).
    target_layer : torch.nn.Module
        A submodule of ``model`` whose output (N, K, h, w) provides ``A``.
    images : array_like or torch.Tensor, shape (N, C, H, W)
        Input batch (converted to float32 for the model).
    target_class : int or array_like of int, shape (N,)
        Class whose score ``y^c`` is explained, one for all images or one each;
        in ``0 .. n_classes - 1``.

    Returns
    -------
    dict
        ``"activations"`` (N, K, h, w), ``"gradients"`` (N, K, h, w) =
        ``dy^c / dA``, ``"alpha"`` (N, K), ``"cam"`` (N, h, w) (ReLU applied, not
        normalised), ``"logits"`` (N, n_classes) and ``"target_class"`` (N,).
        Arrays are float32 for float32 images, else float64.

    Raises
    ------
    TypeError
        If ``model``/``target_layer`` are not modules, ``images`` is not numeric or
        ``target_class`` is not integer.
    ValueError
        If ``images`` is not 4-D, ``target_layer`` is not in ``model`` or is not
        used by its forward pass, its output is not 4-D, or ``target_class`` is out
        of range.

    Notes
    -----
    The model is put in ``eval`` mode for the call (batch-norm then uses its running
    statistics, so each image's score depends on that image alone) and its mode is
    restored afterwards. The gradient is taken of ``sum_n y^{c_n}_n`` with respect
    to the activations only, so the parameters' ``.grad`` are left untouched.

    Examples
    --------
    >>> from lesson_utils.cnn import build_model, target_layer
    >>> model = build_model(seed=0)
    >>> parts = grad_cam_parts(model, target_layer(model), np.zeros((2, 1, 64, 64)), 1)
    >>> parts["activations"].shape, parts["alpha"].shape, parts["cam"].shape
    ((2, 16, 8, 8), (2, 16), (2, 8, 8))
    """
    _check_layer(model, target_layer)
    x, dtype = _images_tensor(images)
    classes = check_class_indices(target_class, "target_class", x.shape[0])
    was_training = model.training
    model.eval()
    try:
        with capture(model, target_layer) as cap, torch.enable_grad():
            # the input requires a gradient so that the activations do even when
            # the parameters are frozen
            logits = model(x.requires_grad_(True))
            if cap.activations is None:
                raise ValueError(
                    "`target_layer` must be used by the forward pass of `model`; "
                    f"got {target_layer!r}, which was never called"
                )
            act = cap.activations
            if act.ndim != 4:
                raise ValueError(
                    "`target_layer` must output feature maps (N, K, h, w); "
                    f"got an output of shape {tuple(act.shape)}"
                )
            n_classes = logits.shape[1]
            if classes.min() < 0 or classes.max() >= n_classes:
                raise ValueError(
                    f"`target_class` must lie in 0 .. {n_classes - 1}; got "
                    f"{_describe(target_class)}"
                )
            score = logits[torch.arange(x.shape[0]), torch.from_numpy(classes)].sum()
            torch.autograd.grad(score, [act])
            grads = cap.gradients
    finally:
        model.train(was_training)
    if grads is None:  # the target layer's output did not reach the score
        raise ValueError(
            "`target_layer` must lie on the path from the input to the scores of "
            f"`model`; no gradient reached {target_layer!r}"
        )
    a = act.detach().double().numpy()
    g = grads.double().numpy()
    alpha = channel_weights(g)
    cam = weighted_sum(a, alpha)
    out = {
        "activations": a,
        "gradients": g,
        "alpha": alpha,
        "cam": cam,
        "logits": logits.detach().double().numpy(),
        "target_class": classes,
    }
    for key in ("activations", "gradients", "alpha", "cam", "logits"):
        out[key] = out[key].astype(dtype)
    return out


def grad_cam(
    model: nn.Module,
    target_layer: nn.Module,
    images: ArrayLike,
    target_class: int | ArrayLike,
) -> np.ndarray:
    """Grad-CAM maps of ``images`` for ``target_class``: ReLU applied, raw scale.

    Parameters
    ----------
    model : torch.nn.Module
        Maps images (N, C, H, W) to pre-softmax class scores (N, n_classes).
    target_layer : torch.nn.Module
        The submodule whose output (N, K, h, w) is ``A``.
    images : array_like or torch.Tensor, shape (N, C, H, W)
    target_class : int or array_like of int, shape (N,)
        In ``0 .. n_classes - 1``.

    Returns
    -------
    numpy.ndarray, shape (N, h, w)
        ``ReLU(sum_k alpha_k A^k)`` on the target layer's grid, not normalised and
        not upsampled; float32 for float32 images, else float64.

    Raises
    ------
    TypeError, ValueError
        As :func:`grad_cam_parts`.

    Notes
    -----
    ``alpha_k = (1/Z) sum_ij dy^c/dA^k_ij`` with ``y^c`` the logit (pre-softmax)
    and ``Z = h w``; the hooks are removed when the call returns, even on error.
    With a global-average-pooling + linear head ``y^c = sum_k w_k^c mean(A^k) + b``,
    ``alpha_k = w_k^c / Z`` and Grad-CAM equals CAM (Zhou et al., 2016) divided by Z.

    Examples
    --------
    >>> from lesson_utils.cnn import build_model, target_layer
    >>> model = build_model(seed=0)
    >>> grad_cam(model, target_layer(model), np.zeros((1, 1, 64, 64)), 0).shape
    (1, 8, 8)
    """
    return np.asarray(grad_cam_parts(model, target_layer, images, target_class)["cam"])


# ---------------------------------------------------------------------- upsampling
def upsample_cam(
    cam: ArrayLike,
    size: int | tuple[int, int],
    *,
    method: UpsampleMethod = "bilinear",
    align_corners: bool = False,
    clamp: bool = True,
    a: float = -0.5,
) -> np.ndarray:
    """Upsample heat maps to the image grid with :func:`lesson_utils.resize.resize`.

    Parameters
    ----------
    cam : array_like, shape (h, w) or (N, h, w)
        Raw Grad-CAM maps (non-negative).
    size : int or (int, int)
        Output (H, W); an int means (size, size).
    method : {"nearest", "bilinear", "bicubic"}
        Interpolation of :func:`lesson_utils.resize.resize` (nearest uses pixel
        centres; bicubic is Keys cubic convolution with parameter ``a``).
    align_corners : bool
        False (default): half-pixel centres, cell ``j`` of ``w`` lands at image
        column ``(j + 0.5) W / w - 0.5``; True: corner cells pinned to corner pixels,
        which shifts every other cell (the misregistration shown in Chapter 6).
    clamp : bool
        Clip the result at 0 (default). Only cubic kernels can go below 0 (their
        negative lobes overshoot); nearest and bilinear are convex combinations of
        non-negative cells, so the clip does not change them.
    a : float
        Keys parameter for ``method="bicubic"``.

    Returns
    -------
    numpy.ndarray, shape (H, W) or (N, H, W)
        float32 for float32 input, else float64.

    Raises
    ------
    TypeError, ValueError
        For a non-numeric ``cam``, a ``cam`` that is not 2-D or 3-D, a bad ``size``
        (one smaller than the map included: this function only upsamples) or an
        unknown ``method``.

    Notes
    -----
    ``upsample_cam(cam, size) = max(heatmaps.upsample(cam, size), 0)``: the
    upsampling of :func:`lesson_utils.heatmaps.upsample`, then the clamp at 0.

    Examples
    --------
    >>> upsample_cam(np.array([[0.0, 1.0]]), (1, 4)).tolist()
    [[0.0, 0.25, 0.75, 1.0]]
    >>> upsample_cam(np.array([[0.0, 1.0]]), (1, 4), method="nearest").tolist()
    [[0.0, 0.0, 1.0, 1.0]]
    """
    from .heatmaps import upsample

    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        size = (int(size), int(size))
    shape = check_shape_2d(size, "size")
    clamp = check_bool(clamp, "clamp")
    out = upsample(cam, shape, method=method, align_corners=align_corners, a=a)
    return np.maximum(out, 0.0) if clamp else out


# ---------------------------------------------------------------- widget frame
def gradcam_frame(
    activations: ArrayLike,
    alpha: ArrayLike,
    step: int,
    *,
    size: int | tuple[int, int] = 64,
    method: UpsampleMethod = "bilinear",
    align_corners: bool = False,
) -> dict[str, Any]:
    """The weighted sum after ``step + 1`` channels, channels by decreasing alpha.

    The pure first layer of Chapter 6's widget; the page's explorer mirrors it
    (``lessonExplorers.ch06.partialCam`` is its ``cam``).

    Parameters
    ----------
    activations : array_like, shape (K, h, w)
        Feature maps of one image.
    alpha : array_like, shape (K,)
        Their Grad-CAM weights.
    step : int
        ``0 .. K - 1``: how many channels (minus one) have been added, in the order
        of decreasing ``alpha`` (most helpful first, harmful last).
    size, method, align_corners
        Passed to :func:`upsample_cam` for the overlay.

    Returns
    -------
    dict
        ``order`` (K,) channel indices by decreasing alpha; ``channel`` the channel
        added at this step; ``A_k`` (h, w) its map; ``alpha_k``; ``alpha`` (K,);
        ``partial`` (h, w) the signed sum over the channels added so far;
        ``cam`` (h, w) its ReLU; ``upsampled`` (H, W) the ReLU'd map upsampled;
        ``step``, ``n_channels``.

    Raises
    ------
    TypeError, ValueError
        For bad shapes, a non-integer ``step`` or one outside ``0 .. K - 1``.

    Examples
    --------
    >>> A = np.stack([np.eye(2), np.ones((2, 2))])
    >>> f = gradcam_frame(A, [0.5, 1.0], 0, size=2)
    >>> int(f["channel"]), f["partial"].tolist()
    (1, [[1.0, 1.0], [1.0, 1.0]])
    >>> gradcam_frame(A, [0.5, 1.0], 1, size=2)["cam"].tolist()
    [[1.5, 1.0], [1.0, 1.5]]
    """
    a = as_float_array(activations, "activations", ndim=3, dtype=np.float64)
    w = as_float_array(alpha, "alpha", ndim=1, dtype=np.float64)
    if w.shape[0] != a.shape[0]:
        raise ValueError(
            f"`alpha` must have shape ({a.shape[0]},) (one weight per channel); "
            f"got shape {w.shape}"
        )
    k_total = a.shape[0]
    if isinstance(step, (bool, np.bool_)) or not isinstance(step, (int, np.integer)):
        raise TypeError(
            f"`step` must be an integer in 0 .. {k_total - 1}; got {step!r}"
        )
    if not 0 <= step < k_total:
        raise ValueError(f"`step` must be an integer in 0 .. {k_total - 1}; got {step}")
    order = np.argsort(-w, kind="stable")
    used = order[: step + 1]
    partial = weighted_sum(a[used], w[used], relu=False)
    cam = np.maximum(partial, 0.0)
    return {
        "order": order,
        "channel": int(order[step]),
        "A_k": a[order[step]],
        "alpha_k": float(w[order[step]]),
        "alpha": w,
        "partial": partial,
        "cam": cam,
        "upsampled": upsample_cam(
            cam, size, method=method, align_corners=align_corners
        ),
        "step": int(step),
        "n_channels": k_total,
    }
