"""A small vision transformer (ViT) on the phantoms, and the maps read from it.

Introduced in Chapter 8 ("Attention maps of a vision transformer"). The model follows
Dosovitskiy et al. (ICLR 2021), scaled down so that it learns the phantoms of
Chapter 6 in seconds on one CPU thread:

1. **patches**: the (H, W) image is cut into ``h x w = (H/P) x (W/P)`` square
   patches of ``P x P`` pixels (:func:`patchify`); patch ``k = p w + q`` (row-major)
   covers rows ``[pP, (p+1)P)`` and columns ``[qP, (q+1)P)``;
2. **tokens**: each patch is embedded on its own into a vector of ``dim`` numbers
   (the original ViT uses one linear map; here a small convolutional network that
   sees only that patch, see :class:`PatchEmbedding`), a learned ``CLS`` token is
   put first and learned position embeddings are added: ``T = 1 + h w`` tokens;
3. **blocks**: ``L`` pre-norm transformer blocks ``x <- x + Attn(LN(x))``,
   ``x <- x + MLP(LN(x))``, whose multi-head self-attention is written out
   (:class:`SelfAttention`) so that the attention weights ``A^(l, g)`` (layer ``l``,
   head ``g``; rows are queries and sum to 1) can be read;
4. **head**: a linear layer on the final ``CLS`` token gives the class scores.

Token ``k + 1`` (after the ``CLS`` token) depends on the pixels of patch ``k`` only,
so a patch-grid map has the geometry of Chapter 5's coarse maps: cell ``k`` of a
row of ``w`` cells summarises pixels ``kP .. kP + P - 1`` and sits at the centre
``kP + P/2 - 1/2`` (:func:`patch_centres`), where the half-pixel mapping of
Chapter 3 puts it.

Maps read from the model, all on the (h, w) patch grid:

* raw attention, :func:`attention_weights`, and its ``CLS`` row :func:`cls_map`;
* attention rollout (Abnar & Zuidema, ACL 2020), :func:`attention_rollout`;
* Grad-CAM on tokens, :func:`grad_cam_tokens`, which reuses the hooks and the pure
  steps of :mod:`lesson_utils.gradcam` (Chapter 6).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from typing import Any, Literal, cast, get_args

import numpy as np
import torch
from numpy.typing import ArrayLike
from torch import nn

from . import gradcam
from ._training import check_budget, fit, training_set
from ._validate import (
    _describe,
    as_float_array,
    check_bool,
    check_choice,
    check_class_indices,
    check_positive_int,
    check_shape,
)

__all__ = [
    "MAP_KINDS",
    "UPSAMPLINGS",
    "SelfAttention",
    "Block",
    "PatchEmbedding",
    "VisionTransformer",
    "patchify",
    "patch_centres",
    "build_vit",
    "train_vit",
    "attention_weights",
    "attention_rollout",
    "cls_map",
    "grad_cam_tokens",
    "randomized_copy",
    "attention_frame",
]

MapKind = Literal["attention", "rollout"]
MAP_KINDS: tuple[MapKind, ...] = get_args(MapKind)

#: The upsampling choices of Chapter 8 (as in Chapter 6): name -> (method, align).
UPSAMPLINGS: dict[str, tuple[str, bool]] = {
    "nearest": ("nearest", False),
    "bilinear (half-pixel)": ("bilinear", False),
    "bilinear (align_corners=True)": ("bilinear", True),
    "bicubic (clamped at 0)": ("bicubic", False),
}


# ------------------------------------------------------------------------ patches
def patchify(images: ArrayLike, patch_size: int) -> np.ndarray:
    """Cut images into non-overlapping square patches, in row-major patch order.

    Parameters
    ----------
    images : array_like, shape (N, C, H, W)
        The images; ``H`` and ``W`` must be multiples of ``patch_size``.
    patch_size : int
        ``P``, the side of a patch in pixels, >= 1.

    Returns
    -------
    numpy.ndarray, shape (N, h * w, C * P * P)
        ``h = H / P``, ``w = W / P``. Row ``k = p * w + q`` holds patch ``(p, q)``,
        i.e. ``images[n, :, pP:(p+1)P, qP:(q+1)P]`` flattened in (channel, row,
        column) order. float32 for float32 input, else float64.

    Raises
    ------
    TypeError
        If ``images`` is not numeric or ``patch_size`` is not an integer.
    ValueError
        If ``images`` is not 4-D or not finite, or ``H``/``W`` is not a multiple of
        ``patch_size``.

    Notes
    -----
    Patch ``(p, q)`` covers the pixels with row ``pP <= y < (p+1)P`` and column
    ``qP <= x < (q+1)P``. Pixel centres sit at integer coordinates, so the patch
    covers the continuous square ``[pP - 1/2, (p+1)P - 1/2)`` in each axis, whose
    centre is ``pP + P/2 - 1/2`` (:func:`patch_centres`)::

        pixels    0  1  2  3 | 4  5  6  7        (P = 4)
        patch     ---- 0 ----|---- 1 ----
        centre        1.5          5.5

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> patchify(x, 2)[0].tolist()
    [[0.0, 1.0, 4.0, 5.0], [2.0, 3.0, 6.0, 7.0], [8.0, 9.0, 12.0, 13.0], [10.0, 11.0, 14.0, 15.0]]
    """
    x = as_float_array(images, "images", ndim=4)
    p = check_positive_int(patch_size, "patch_size")
    n, c, h_px, w_px = x.shape
    if h_px % p or w_px % p:
        raise ValueError(
            f"`images` must have a height and width that are multiples of "
            f"`patch_size` = {p}; got shape {x.shape}"
        )
    h, w = h_px // p, w_px // p
    blocks = x.reshape(n, c, h, p, w, p).transpose(0, 2, 4, 1, 3, 5)
    return np.ascontiguousarray(blocks.reshape(n, h * w, c * p * p))


def patch_centres(n_patches: int, patch_size: int) -> np.ndarray:
    """Pixel coordinate of the centre of each patch along one axis.

    Parameters
    ----------
    n_patches : int
        Number of patches along the axis (``h`` or ``w``), >= 1.
    patch_size : int
        ``P``, >= 1.

    Returns
    -------
    numpy.ndarray of float64, shape (n_patches,)
        ``k P + P/2 - 1/2`` for ``k = 0 .. n_patches - 1``: patch ``k`` covers the
        pixels ``kP .. kP + P - 1``, the mean of which is this value.

    Raises
    ------
    TypeError, ValueError
        If an argument is not an integer >= 1.

    Examples
    --------
    >>> patch_centres(4, 8).tolist()
    [3.5, 11.5, 19.5, 27.5]
    >>> patch_centres(2, 3).tolist()
    [1.0, 4.0]
    """
    n = check_positive_int(n_patches, "n_patches")
    p = check_positive_int(patch_size, "patch_size")
    return np.arange(n) * p + p / 2 - 0.5


# ------------------------------------------------------------------------ modules
class SelfAttention(nn.Module):
    """Multi-head self-attention, written out so that its weights can be read.

    ``forward(x)`` takes tokens ``x`` (N, T, D) and returns ``(out, weights)``:
    ``weights`` (N, G, T, T) holds, for each head ``g``,
    ``A = softmax(x W_Q (x W_K)^T / sqrt(D / G))`` (the softmax over the last axis,
    so each row, one query token, sums to 1), and ``out`` (N, T, D) is the heads'
    ``A x W_V`` put side by side and mixed by an output projection.
    """

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        if dim % heads:
            raise ValueError(
                f"`dim` must be a multiple of `heads` = {heads}; got dim = {dim}"
            )
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)  # W_Q, W_K, W_V of all heads, stacked
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        n, t, d = x.shape
        dh = d // self.heads
        # (N, T, 3D) -> three tensors (N, G, T, D/G): queries, keys, values per head
        q, k, v = self.qkv(x).reshape(n, t, 3, self.heads, dh).permute(2, 0, 3, 1, 4)
        scores = (q * dh**-0.5) @ k.transpose(-2, -1)  # (N, G, T, T)
        weights = torch.softmax(scores, dim=-1)  # each row sums to 1
        out = (weights @ v).transpose(1, 2).reshape(n, t, d)  # heads side by side
        return self.proj(out), weights


class Block(nn.Module):
    """A pre-norm transformer block: ``x + Attn(LN(x))``, then ``x + MLP(LN(x))``.

    ``forward(x)`` returns ``(x, weights)`` with the attention weights of the block.
    ``norm1`` is the layer norm whose output the attention reads (the Grad-CAM
    target of :func:`grad_cam_tokens`).
    """

    def __init__(self, dim: int, heads: int, mlp_ratio: int) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = SelfAttention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(
            nn.Linear(dim, mlp_ratio * dim), nn.GELU(), nn.Linear(mlp_ratio * dim, dim)
        )

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        y, weights = self.attn(self.norm1(x))
        x = x + y
        x = x + self.mlp(self.norm2(x))
        return x, weights


class PatchEmbedding(nn.Module):
    """Embed every ``P x P`` patch on its own: (N, 1, H, W) -> (N, h w, D).

    Each patch goes through ``conv 3x3 -> ReLU -> max-pool 2`` with zero padding
    at the *patch's* border, then a linear map and a layer norm. A patch's token
    therefore depends on the pixels of that patch only (a ViT's linear patch
    embedding is the special case of no convolution).
    """

    def __init__(self, patch_size: int, dim: int, channels: int) -> None:
        super().__init__()
        self.patch_size = patch_size
        self.conv = nn.Conv2d(1, channels, 3, padding=1)
        self.act = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.linear = nn.Linear(channels * (patch_size // 2) ** 2, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h_px, w_px = x.shape
        p = self.patch_size
        # (N, C, H, W) -> (N, h, w, C, P, P): the same order as `patchify`
        patches = x.unfold(2, p, p).unfold(3, p, p).permute(0, 2, 3, 1, 4, 5)
        hw = patches.shape[1] * patches.shape[2]
        # max-pool, then ReLU: the same numbers and gradients as ReLU then max-pool
        # (ReLU is monotone), on a quarter of the values
        f = self.act(self.pool(self.conv(patches.reshape(n * hw, c, p, p))))
        out: torch.Tensor = self.norm(self.linear(f.reshape(n, hw, -1)))
        return out


class VisionTransformer(nn.Module):
    """Patch embedding -> CLS + position embeddings -> blocks -> LN -> linear head.

    Attributes
    ----------
    patch_size, image_size : int
        ``P`` and ``H = W``.
    grid_shape : (int, int)
        ``(h, w) = (H / P, W / P)``.
    n_tokens : int
        ``T = 1 + h w``.
    config : dict
        The arguments of :func:`build_vit` that made it (used by
        :func:`randomized_copy`).
    training_seconds : float
        Wall time of the training loop (set by :func:`train_vit`).
    loss_history : list of float
        Mean training loss per epoch (set by :func:`train_vit`).
    """

    training_seconds: float
    loss_history: list[float]

    def __init__(
        self,
        *,
        image_size: int,
        patch_size: int,
        dim: int,
        depth: int,
        heads: int,
        mlp_ratio: int,
        channels: int,
        n_classes: int,
    ) -> None:
        super().__init__()
        self.patch_size = patch_size
        self.image_size = image_size
        h = image_size // patch_size
        self.grid_shape = (h, h)
        self.n_tokens = 1 + h * h
        self.embed = PatchEmbedding(patch_size, dim, channels)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, self.n_tokens, dim))
        self.blocks = nn.ModuleList(
            [Block(dim, heads, mlp_ratio) for _ in range(depth)]
        )
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, n_classes)
        self.config: dict[str, int] = {
            "image_size": image_size,
            "patch_size": patch_size,
            "dim": dim,
            "depth": depth,
            "heads": heads,
            "mlp_ratio": mlp_ratio,
            "channels": channels,
            "n_classes": n_classes,
        }
        self.training_seconds = 0.0
        self.loss_history = []

    def tokens(self, x: torch.Tensor) -> torch.Tensor:
        """The ``T`` input tokens (N, T, D): CLS first, position embeddings added."""
        patches = self.embed(x)
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        return torch.cat([cls, patches], dim=1) + self.pos_embed

    def forward_with_attention(
        self, x: torch.Tensor
    ) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """Class scores (N, n_classes) and each block's weights (N, G, T, T)."""
        z = self.tokens(x)
        weights = []
        for block in self.blocks:
            z, a = block(z)
            weights.append(a)
        return self.head(self.norm(z[:, 0])), weights

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_with_attention(x)[0]


# ------------------------------------------------------------------ build, train
def build_vit(
    seed: int = 0,
    *,
    image_size: int = 64,
    patch_size: int = 8,
    dim: int = 32,
    depth: int = 2,
    heads: int = 4,
    mlp_ratio: int = 2,
    channels: int = 8,
    n_classes: int = 2,
) -> VisionTransformer:
    """Build the chapter's vision transformer with freshly initialised, seeded weights.

    Parameters
    ----------
    seed : int
        Seed for the weights (drawn inside ``torch.random.fork_rng``, so torch's
        global random state is left untouched), >= 0.
    image_size : int
        ``H = W`` of the (square) input images, a multiple of ``patch_size``.
    patch_size : int
        ``P``, even and >= 2 (the patch embedding pools by 2).
    dim : int
        ``D``, the width of a token, a multiple of ``heads``.
    depth : int
        ``L``, the number of transformer blocks, >= 1.
    heads : int
        ``G``, the number of attention heads per block, >= 1.
    mlp_ratio : int
        Hidden width of each block's MLP, in multiples of ``dim``.
    channels : int
        Filters of the patch embedding's 3 x 3 convolution.
    n_classes : int
        Number of class scores, >= 2.

    Returns
    -------
    VisionTransformer
        In training mode; ``model(x)`` maps (N, 1, H, W) float32 tensors to logits
        (N, n_classes). ``model.grid_shape`` is ``(H/P, W/P)`` and
        ``model.n_tokens`` is ``T = 1 + (H/P)(W/P)``.

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If a size is too small, ``image_size`` is not a multiple of ``patch_size``,
        ``patch_size`` is odd or ``dim`` is not a multiple of ``heads``.

    Examples
    --------
    >>> model = build_vit(seed=0)
    >>> model.grid_shape, model.n_tokens
    ((8, 8), 65)
    >>> model(torch.zeros(3, 1, 64, 64)).shape
    torch.Size([3, 2])
    """
    seed = check_positive_int(seed, "seed", minimum=0)
    image_size = check_positive_int(image_size, "image_size", minimum=2)
    patch_size = check_positive_int(patch_size, "patch_size", minimum=2)
    dim = check_positive_int(dim, "dim")
    depth = check_positive_int(depth, "depth")
    heads = check_positive_int(heads, "heads")
    mlp_ratio = check_positive_int(mlp_ratio, "mlp_ratio")
    channels = check_positive_int(channels, "channels")
    n_classes = check_positive_int(n_classes, "n_classes", minimum=2)
    if patch_size % 2:
        raise ValueError(f"`patch_size` must be even; got {patch_size}")
    if image_size % patch_size:
        raise ValueError(
            f"`image_size` must be a multiple of `patch_size` = {patch_size}; "
            f"got {image_size}"
        )
    if dim % heads:
        raise ValueError(f"`dim` must be a multiple of `heads` = {heads}; got {dim}")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return VisionTransformer(
            image_size=image_size,
            patch_size=patch_size,
            dim=dim,
            depth=depth,
            heads=heads,
            mlp_ratio=mlp_ratio,
            channels=channels,
            n_classes=n_classes,
        )


def _image_tensor(images: Any, model: VisionTransformer | None = None) -> torch.Tensor:
    if isinstance(images, torch.Tensor):
        images = images.detach().cpu().numpy()
    arr = as_float_array(images, "images", ndim=4, dtype=np.float32)
    if arr.shape[1] != 1:
        raise ValueError(
            f"`images` must have shape (N, 1, H, W) (one channel); got shape {arr.shape}"
        )
    if model is not None and arr.shape[2:] != (model.image_size, model.image_size):
        raise ValueError(
            f"`images` must be {model.image_size} x {model.image_size} pixels for "
            f"this model; got shape {arr.shape}"
        )
    return torch.from_numpy(arr)


def _check_vit(model: Any) -> VisionTransformer:
    if not isinstance(model, VisionTransformer):
        raise TypeError(
            "`model` must be a VisionTransformer made by lesson_utils.vit.build_vit; "
            f"got {_describe(model)}"
        )
    return model


def train_vit(
    seed: int = 0,
    *,
    images: ArrayLike | None = None,
    labels: ArrayLike | None = None,
    n_train: int = 1000,
    epochs: int = 7,
    batch_size: int = 16,
    lr: float = 3e-3,
    threads: int = 1,
    flips: bool = True,
    **architecture: int,
) -> VisionTransformer:
    """Train a vision transformer on phantoms, reproducibly (same seed -> same weights).

    Parameters
    ----------
    seed : int
        One seed for everything random: the weights (:func:`build_vit`), the
        phantoms when ``images`` is None (:func:`lesson_utils.phantoms.make_phantoms`),
        the order of the mini-batches and the flips.
    images, labels : array_like, optional
        Square training images (N, 1, H, H) and their integer labels (N,); by
        default ``n_train`` phantoms of 64 x 64 pixels.
    n_train, epochs, batch_size, threads : int
        Training-set size (used only when ``images`` is None), passes over the
        data, mini-batch size, and the number of CPU threads torch may use (pinned
        during training, restored afterwards: 1 and 2 threads give different
        weights).
    lr : float
        Peak learning rate of AdamW (one-cycle schedule, 10 % warm-up).
    flips : bool
        Flip each training image left-right and up-down, each with probability
        1/2, drawn from the seeded generator (default True).
    **architecture : int
        Passed to :func:`build_vit` (``patch_size``, ``dim``, ``depth``, ``heads``,
        ``mlp_ratio``, ``channels``); ``image_size`` is taken from ``images``.

    Returns
    -------
    VisionTransformer
        In ``eval`` mode, with ``training_seconds`` (wall time of the loop) and
        ``loss_history`` (mean cross-entropy per epoch).

    Raises
    ------
    TypeError, ValueError
        For malformed images or labels, bad sizes or unknown architecture
        arguments.

    Notes
    -----
    Minimises the cross-entropy of the logits with AdamW (no weight decay),
    clipping the gradient norm at 1. Bitwise reproducibility holds for the same
    seed, arguments, torch version, machine and thread count.

    Examples
    --------
    >>> from lesson_utils.phantoms import make_phantoms
    >>> x, y, _ = make_phantoms(8, seed=1)
    >>> budget = dict(images=x, labels=y, epochs=1, batch_size=4)
    >>> runs = [train_vit(s, **budget) for s in (0, 0, 1)]
    >>> def same(a, b):
    ...     return all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    >>> same(runs[0], runs[1]), same(runs[0], runs[2])  # seed 0 twice, then seed 1
    (True, False)
    """
    seed, epochs, batch_size, threads, lr = check_budget(
        seed, epochs, batch_size, threads, lr
    )
    flips = check_bool(flips, "flips")
    allowed = ("patch_size", "dim", "depth", "heads", "mlp_ratio", "channels")
    for key in architecture:
        if key not in allowed:
            raise TypeError(
                f"`{key}` is not an argument of train_vit; architecture arguments "
                f"are {', '.join(allowed)}"
            )
    images, labels = training_set(images, labels, n_train, seed)
    x = _image_tensor(images)
    if x.shape[2] != x.shape[3]:
        raise ValueError(f"`images` must be square; got shape {tuple(x.shape)}")
    y_arr = np.asarray(labels)
    if y_arr.shape != (x.shape[0],) or not np.issubdtype(y_arr.dtype, np.integer):
        raise ValueError(
            f"`labels` must be integers of shape ({x.shape[0]},); got "
            f"shape {y_arr.shape} and dtype {y_arr.dtype}"
        )
    model = build_vit(seed, image_size=int(x.shape[2]), **architecture)
    n_classes = model.head.out_features
    if y_arr.size and (int(y_arr.min()) < 0 or int(y_arr.max()) >= n_classes):
        raise ValueError(
            f"`labels` must lie in 0 .. {n_classes - 1}; got values "
            f"{int(y_arr.min())} .. {int(y_arr.max())}"
        )
    y = torch.from_numpy(y_arr.astype(np.int64))
    model.training_seconds, model.loss_history = fit(
        model,
        x,
        y,
        torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0, foreach=True),
        seed=seed,
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        threads=threads,
        pct_start=0.1,
        augment=_random_flips if flips else None,
        max_grad_norm=1.0,
    )
    return model


def _random_flips(xb: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Flip each image left-right and up-down, each with probability 1/2 (seeded)."""
    f = torch.rand(xb.shape[0], 2, generator=gen) < 0.5
    xb = torch.where(f[:, 0, None, None, None], xb.flip(-1), xb)
    return torch.where(f[:, 1, None, None, None], xb.flip(-2), xb)


# ---------------------------------------------------------------------- attention
def attention_weights(
    model: VisionTransformer, images: ArrayLike, *, batch_size: int = 256
) -> list[np.ndarray]:
    """The attention weights of every block, for every image.

    Parameters
    ----------
    model : VisionTransformer
        A model made by :func:`build_vit` or :func:`train_vit`.
    images : array_like or torch.Tensor, shape (N, 1, H, W)
        The images, ``H = W = model.image_size``.
    batch_size : int
        Images per forward pass, >= 1.

    Returns
    -------
    list of numpy.ndarray of float64, one per layer, each (N, G, T, T)
        Element ``[l][n, g, i, j]`` is ``A^(l+1, g)_ij`` for image ``n``: how much
        query token ``i`` takes from token ``j`` in head ``g`` of block ``l + 1``.
        Token 0 is CLS, token ``1 + k`` is patch ``k`` (row-major). Every row sums
        to 1.

    Raises
    ------
    TypeError, ValueError
        For a model not made by :func:`build_vit`, or images of the wrong shape.

    Notes
    -----
    Runs without gradients in ``eval`` mode and restores the model's mode; the
    model's parameters are not changed.

    Examples
    --------
    >>> model = build_vit(seed=0, depth=2, heads=4)
    >>> att = attention_weights(model, np.zeros((3, 1, 64, 64)))
    >>> len(att), att[0].shape
    (2, (3, 4, 65, 65))
    >>> bool(np.allclose(att[1].sum(axis=-1), 1.0))
    True
    """
    model = _check_vit(model)
    x = _image_tensor(images, model)
    batch_size = check_positive_int(batch_size, "batch_size")
    was_training = model.training
    model.eval()
    chunks: list[list[np.ndarray]] = []
    try:
        with torch.no_grad():
            for b in range(0, x.shape[0], batch_size):
                _, weights = model.forward_with_attention(x[b : b + batch_size])
                chunks.append([a.double().numpy() for a in weights])
    finally:
        model.train(was_training)
    return [np.concatenate(layer) for layer in zip(*chunks, strict=True)]


def _check_attentions(attentions: Any) -> list[np.ndarray]:
    if isinstance(attentions, np.ndarray) and attentions.ndim == 5:
        attentions = list(attentions)
    if not isinstance(attentions, Sequence) or isinstance(attentions, str):
        raise TypeError(
            "`attentions` must be a list of arrays (N, G, T, T), one per layer; "
            f"got {_describe(attentions)}"
        )
    if len(attentions) == 0:
        raise ValueError("`attentions` must hold at least one layer; got 0")
    layers: list[np.ndarray] = []
    for i, a in enumerate(attentions):
        arr = as_float_array(a, f"attentions[{i}]", ndim=4, dtype=np.float64)
        if arr.shape[-1] != arr.shape[-2]:
            raise ValueError(
                f"`attentions[{i}]` must have shape (N, G, T, T) (square in the "
                f"last two axes); got shape {arr.shape}"
            )
        if layers and arr.shape != layers[0].shape:
            raise ValueError(
                f"`attentions[{i}]` must have the shape of `attentions[0]` "
                f"{layers[0].shape}; got shape {arr.shape}"
            )
        worst = float(np.abs(arr.sum(axis=-1) - 1.0).max())
        if arr.min() < 0 or worst > 1e-4:
            raise ValueError(
                f"`attentions[{i}]` must be row-stochastic (entries >= 0, every row "
                f"summing to 1); got minimum {arr.min():.3g} and a row sum off by "
                f"{worst:.3g}"
            )
        layers.append(arr)
    return layers


def attention_rollout(attentions: Sequence[ArrayLike] | ArrayLike) -> np.ndarray:
    """Attention rollout (Abnar & Zuidema, 2020): attention composed through layers.

    Parameters
    ----------
    attentions : list of array_like, one per layer, each (N, G, T, T)
        Row-stochastic attention weights, first layer first (as returned by
        :func:`attention_weights`); an array (L, N, G, T, T) is accepted too.

    Returns
    -------
    numpy.ndarray of float64, shape (N, T, T)
        ``R = Â^(L) ... Â^(2) Â^(1)``; row ``i`` says how much of token ``i``'s
        final representation comes from each input token under the rollout's
        assumptions. Every row sums to 1.

    Raises
    ------
    TypeError
        If ``attentions`` is not a list of numeric arrays.
    ValueError
        If it is empty, the layers' shapes differ or are not (N, G, T, T), or a
        layer is not row-stochastic (negative entries or rows not summing to 1
        within 1e-4).

    Notes
    -----
    For every layer ``l``, the heads are averaged and the residual connection is
    modelled by the identity, with equal weights, then the rows are renormalised:

    .. math::

        \\bar A^{(l)} = \\frac{1}{G} \\sum_g A^{(l, g)}, \\qquad
        \\hat A^{(l)} = \\frac{\\tfrac12 \\bar A^{(l)} + \\tfrac12 I}
                              {\\text{row sums}}, \\qquad
        R = \\hat A^{(L)} \\cdots \\hat A^{(1)} .

    Since the rows of ``A`` sum to 1, those of ``0.5 Ā + 0.5 I`` already do and the
    renormalisation only removes rounding. Products of row-stochastic matrices are
    row-stochastic, so the rows of ``R`` sum to 1 as well. The ``CLS`` map is
    ``R[:, 0, 1:]`` on the patch grid (:func:`cls_map`).

    Examples
    --------
    >>> uniform = np.full((1, 1, 2, 2), 0.5)            # one image, head and layer
    >>> attention_rollout([uniform])[0].tolist()
    [[0.75, 0.25], [0.25, 0.75]]
    >>> attention_rollout([uniform, uniform])[0].tolist()
    [[0.625, 0.375], [0.375, 0.625]]
    """
    layers = _check_attentions(attentions)
    t = layers[0].shape[-1]
    eye = np.eye(t)
    rollout = np.broadcast_to(eye, (layers[0].shape[0], t, t)).copy()
    for a in layers:
        a_hat = 0.5 * a.mean(axis=1) + 0.5 * eye
        a_hat = a_hat / a_hat.sum(axis=-1, keepdims=True)
        rollout = a_hat @ rollout
    return rollout


def cls_map(matrix: ArrayLike, grid_shape: Sequence[int]) -> np.ndarray:
    """The CLS token's row of a token-by-token matrix, on the patch grid.

    Parameters
    ----------
    matrix : array_like, shape (..., T, T)
        Attention weights (N, G, T, T), a head average (N, T, T) or a rollout
        (N, T, T); token 0 is CLS.
    grid_shape : (int, int)
        ``(h, w)`` with ``T = 1 + h w``.

    Returns
    -------
    numpy.ndarray of float64, shape (..., h, w)
        ``matrix[..., 0, 1:]`` reshaped row-major: cell ``(p, q)`` is what CLS
        takes from patch ``k = p w + q``. (The CLS-to-CLS entry is dropped, so the
        cells sum to at most 1.)

    Raises
    ------
    TypeError, ValueError
        If ``matrix`` is not a numeric array (..., T, T) or ``T != 1 + h w``.

    Examples
    --------
    >>> m = np.zeros((5, 5)); m[0] = [0.2, 0.1, 0.3, 0.0, 0.4]
    >>> cls_map(m, (2, 2)).tolist()
    [[0.1, 0.3], [0.0, 0.4]]
    """
    m = as_float_array(matrix, "matrix", min_ndim=2, dtype=np.float64)
    h, w = check_shape(grid_shape, "grid_shape", length=2)
    if m.shape[-1] != m.shape[-2] or m.shape[-1] != 1 + h * w:
        raise ValueError(
            f"`matrix` must have shape (..., T, T) with T = 1 + h w = {1 + h * w} "
            f"for `grid_shape` {(h, w)}; got shape {m.shape}"
        )
    return m[..., 0, 1:].reshape(*m.shape[:-2], h, w)


# ----------------------------------------------------------------------- Grad-CAM
def grad_cam_tokens(
    model: VisionTransformer,
    images: ArrayLike,
    target_class: int | ArrayLike,
    *,
    block: int = -1,
) -> dict[str, np.ndarray]:
    """Grad-CAM on the patch tokens that a block's attention reads.

    Parameters
    ----------
    model : VisionTransformer
        A model made by :func:`build_vit` or :func:`train_vit`.
    images : array_like or torch.Tensor, shape (N, 1, H, W)
    target_class : int or array_like of int, shape (N,)
        The class whose score ``y^c`` (the logit) is explained.
    block : int
        Which block's input tokens (after its first layer norm, ``norm1``) are the
        feature maps; the default -1 is the last block.

    Returns
    -------
    dict
        ``"activations"`` (N, D, h, w): the patch tokens reshaped to the grid, one
        map per token channel (CLS dropped); ``"gradients"`` (N, D, h, w): their
        ``dy^c / dA``; ``"alpha"`` (N, D); ``"cam"`` (N, h, w) =
        ``ReLU(sum_k alpha_k A^k)``, not normalised, not upsampled; ``"logits"``
        (N, n_classes). float64.

    Raises
    ------
    TypeError, ValueError
        For a model not made by :func:`build_vit`, bad images, a ``block`` out of
        range or a bad ``target_class`` (as :func:`lesson_utils.gradcam.grad_cam`).

    Notes
    -----
    The tokens *leaving* the last block cannot be used: the head reads only their
    CLS token, so the gradient of every patch token there is exactly zero. The
    tokens *entering* the last block's attention reach the score through it.
    The hooks are :func:`lesson_utils.gradcam.capture`'s (removed on return, even
    on error) and the weights and the sum are
    :func:`lesson_utils.gradcam.channel_weights` and
    :func:`lesson_utils.gradcam.weighted_sum`, as in Chapter 6.

    Examples
    --------
    >>> model = build_vit(seed=0)
    >>> parts = grad_cam_tokens(model, np.zeros((2, 1, 64, 64)), 1)
    >>> parts["activations"].shape, parts["cam"].shape
    ((2, 32, 8, 8), (2, 8, 8))
    """
    model = _check_vit(model)
    x = _image_tensor(images, model)
    if isinstance(block, (bool, np.bool_)) or not isinstance(block, (int, np.integer)):
        raise TypeError(f"`block` must be an integer; got {_describe(block)}")
    depth = len(model.blocks)
    if not -depth <= block < depth:
        raise ValueError(
            f"`block` must lie in {-depth} .. {depth - 1} (the model has {depth} "
            f"blocks); got {block}"
        )
    chosen = model.blocks[int(block)]
    assert isinstance(chosen, Block)
    layer = chosen.norm1
    was_training = model.training
    model.eval()
    try:
        with gradcam.capture(model, layer) as cap, torch.enable_grad():
            logits = model(x.requires_grad_(True))
            classes = check_class_indices(
                target_class, "target_class", x.shape[0], n_classes=logits.shape[1]
            )
            score = logits[torch.arange(x.shape[0]), torch.from_numpy(classes)].sum()
            assert cap.activations is not None  # the layer is in every forward pass
            torch.autograd.grad(score, [cap.activations])
            assert cap.gradients is not None
            act = cap.activations.detach()
            grads = cap.gradients
    finally:
        model.train(was_training)
    h, w = model.grid_shape

    def to_grid(t: torch.Tensor) -> np.ndarray:
        # (N, T, D) -> drop CLS -> (N, h*w, D) -> (N, D, h, w)
        patches = t[:, 1:, :].double().numpy()
        return np.ascontiguousarray(
            patches.transpose(0, 2, 1).reshape(t.shape[0], -1, h, w)
        )

    a = to_grid(act)
    g = to_grid(grads)
    alpha = gradcam.channel_weights(g)
    return {
        "activations": a,
        "gradients": g,
        "alpha": alpha,
        "cam": gradcam.weighted_sum(a, alpha),
        "logits": logits.detach().double().numpy(),
    }


# ------------------------------------------------------------------ sanity check
def randomized_copy(
    model: VisionTransformer, *, seed: int, keep_embeddings: bool = True
) -> VisionTransformer:
    """A copy of ``model`` whose blocks and head are re-initialised (the sanity check).

    Parameters
    ----------
    model : VisionTransformer
        The trained model; it is not changed.
    seed : int
        Seed of the fresh weights (:func:`build_vit` with the model's
        architecture).
    keep_embeddings : bool
        True (default): keep the trained patch embedding, CLS token and position
        embeddings, and re-initialise everything after them (the blocks, the final
        norm and the head). False: re-initialise everything.

    Returns
    -------
    VisionTransformer
        A new model in ``eval`` mode.

    Raises
    ------
    TypeError, ValueError
        For a model not made by :func:`build_vit`, a bad seed or a non-bool
        ``keep_embeddings``.

    Notes
    -----
    This is the model-randomisation test of Adebayo et al. (2018) applied to a
    transformer: a map that explains the *trained* model should change when the
    learned weights are replaced by random ones.

    Examples
    --------
    >>> trained = build_vit(seed=0)
    >>> rand = randomized_copy(trained, seed=1)
    >>> torch.equal(rand.pos_embed, trained.pos_embed)
    True
    >>> torch.equal(rand.head.weight, trained.head.weight)
    False
    """
    model = _check_vit(model)
    seed = check_positive_int(seed, "seed", minimum=0)
    keep_embeddings = check_bool(keep_embeddings, "keep_embeddings")
    fresh = build_vit(seed, **model.config)
    if keep_embeddings:
        fresh.embed.load_state_dict(copy.deepcopy(model.embed.state_dict()))
        with torch.no_grad():
            fresh.cls_token.copy_(model.cls_token)
            fresh.pos_embed.copy_(model.pos_embed)
    return fresh.eval()


# --------------------------------------------------------------- widget frame
def attention_frame(
    attentions: Sequence[ArrayLike],
    index: int,
    *,
    layer: int,
    head: int | None = None,
    kind: MapKind = "attention",
    upsampling: str = "bilinear (half-pixel)",
    image_size: int = 64,
) -> dict[str, Any]:
    """What Chapter 8's widget and static figure show for one choice of controls.

    Parameters
    ----------
    attentions : list of array_like (N, G, T, T)
        From :func:`attention_weights`.
    index : int
        Which image, ``0 .. N - 1``.
    layer : int
        ``1 .. L`` (the book's layer numbers, first block = 1).
    head : int or None
        ``0 .. G - 1``, or None for the mean over the heads. Ignored for
        ``kind="rollout"``, which always averages the heads.
    kind : {"attention", "rollout"}
        The CLS row of layer ``layer``'s attention, or of the rollout up to that
        layer, ``Â^(layer) ... Â^(1)``.
    upsampling : str
        A key of :data:`UPSAMPLINGS`.
    image_size : int
        ``H = W`` of the upsampled map.

    Returns
    -------
    dict
        ``"grid"`` (h, w): the CLS map on the patch grid; ``"upsampled"``
        (H, W) by ``upsampling`` (bicubic clamped at 0); ``"peak_cell"`` (p, q):
        the strongest cell; ``"peak_pixel"`` (row, col) of the upsampled map's
        maximum (first in row-major order); ``"title"``; and the inputs ``index``,
        ``layer``, ``head``, ``kind``, ``upsampling``.

    Raises
    ------
    TypeError, ValueError
        For malformed attentions or a control out of range.

    Examples
    --------
    >>> att = [np.full((1, 2, 5, 5), 0.2)]
    >>> f = attention_frame(att, 0, layer=1, kind="rollout", image_size=4)
    >>> np.round(f["grid"], 12).tolist()
    [[0.1, 0.1], [0.1, 0.1]]
    """
    layers = _check_attentions(attentions)
    n, g_count, t, _ = layers[0].shape
    side = math.isqrt(t - 1)
    if side * side != t - 1:
        raise ValueError(
            f"`attentions` must have T = 1 + h w tokens on a square grid; got T = {t}"
        )
    if isinstance(index, (bool, np.bool_)) or not isinstance(index, (int, np.integer)):
        raise TypeError(f"`index` must be an integer in 0 .. {n - 1}; got {index!r}")
    if not 0 <= index < n:
        raise ValueError(f"`index` must be an integer in 0 .. {n - 1}; got {index}")
    depth = len(layers)
    layer = check_positive_int(layer, "layer")
    if layer > depth:
        raise ValueError(f"`layer` must be an integer in 1 .. {depth}; got {layer}")
    kind_name = check_choice(kind, "kind", MAP_KINDS)
    upsampling = check_choice(upsampling, "upsampling", tuple(UPSAMPLINGS))
    if head is not None:
        head = check_positive_int(head, "head", minimum=0)
        if head >= g_count:
            raise ValueError(
                f"`head` must be None or an integer in 0 .. {g_count - 1}; got {head}"
            )
    image_size = check_positive_int(image_size, "image_size", minimum=side)
    one = [a[index : index + 1] for a in layers[:layer]]
    if kind_name == "rollout":
        matrix = attention_rollout(one)[0]
        what = f"rollout to layer {layer}"
    elif head is None:
        matrix = one[-1][0].mean(axis=0)
        what = f"layer {layer}, mean of {g_count} heads"
    else:
        matrix = one[-1][0, head]
        what = f"layer {layer}, head {head}"
    grid = cls_map(matrix, (side, side))
    method, align = UPSAMPLINGS[upsampling]
    up = gradcam.upsample_cam(
        grid,
        (image_size, image_size),
        method=cast(gradcam.UpsampleMethod, method),
        align_corners=align,
    )
    cell = np.unravel_index(int(np.argmax(grid)), grid.shape)
    pixel = np.unravel_index(int(np.argmax(up)), up.shape)
    return {
        "grid": grid,
        "upsampled": up,
        "peak_cell": (int(cell[0]), int(cell[1])),
        "peak_pixel": (int(pixel[0]), int(pixel[1])),
        "title": f"CLS: {what}",
        "index": int(index),
        "layer": layer,
        "head": head,
        "kind": kind_name,
        "upsampling": upsampling,
    }
