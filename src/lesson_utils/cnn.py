"""A small CNN that learns to find lesions in the phantoms, in seconds on a CPU.

Introduced in Chapter 6 ("Grad-CAM step by step"). Two architectures share one
training loop:

* ``"small_rf"`` (the chapter's model): three blocks ``conv 3x3 -> ReLU -> max-pool 2``
  take a 64 x 64 image to an 8 x 8 feature map, a ``1 x 1`` convolution mixes its
  channels (receptive field unchanged), then global average pooling (GAP) and a
  linear head give two class scores. Each cell of the 8 x 8 map sees a 22 x 22
  pixel window of the image, about one lesion across, so Grad-CAM can localise.
* ``"large_rf"`` (the chapter's warning): the same trunk followed by two dilated
  ``3 x 3`` convolutions at 8 x 8, so each cell sees more than the whole image. It
  classifies just as well, but its heat map no longer has to sit on the lesion.

The receptive field is computed by :func:`receptive_field` from the layers, not
typed: ``r_out = r_in + (k_eff - 1) * j_in`` and ``j_out = j_in * stride``, with
``k_eff = dilation * (k - 1) + 1`` (Araujo, Norris, Sim, "Computing receptive fields
of convolutional neural networks", Distill 2019).
"""

from __future__ import annotations

import time
from typing import Literal

import numpy as np
import torch
from numpy.typing import ArrayLike
from torch import nn

from ._validate import as_float_array, check_choice, check_positive_int

__all__ = [
    "ARCHITECTURES",
    "build_model",
    "target_layer",
    "receptive_field",
    "train_model",
    "predict",
    "accuracy",
]

Architecture = Literal["small_rf", "large_rf"]
ARCHITECTURES: tuple[str, ...] = ("small_rf", "large_rf")


class PhantomNet(nn.Module):
    """Conv trunk -> ``features`` (target layer) -> GAP -> linear ``head``."""

    def __init__(self, trunk: nn.Sequential, n_features: int, n_classes: int) -> None:
        super().__init__()
        self.trunk = trunk
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(n_features, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = self.trunk(x)
        return self.head(self.pool(a).flatten(1))


def build_model(
    architecture: Architecture = "small_rf",
    *,
    width: int = 8,
    n_classes: int = 2,
    seed: int = 0,
) -> PhantomNet:
    """Build the chapter's CNN with freshly initialised, seeded weights.

    Parameters
    ----------
    architecture : {"small_rf", "large_rf"}
        ``"small_rf"``: receptive field 22 px at the 8 x 8 target layer;
        ``"large_rf"``: two more dilated convolutions, receptive field > 64 px.
    width : int
        Channels of the first block (the next blocks have ``2 * width``); >= 1.
    n_classes : int
        Number of class scores (logits), >= 2.
    seed : int
        Seed for ``torch.manual_seed`` before the weights are initialised.

    Returns
    -------
    PhantomNet
        ``model(x)`` maps images (N, 1, H, W) to logits (N, n_classes); the target
        layer (last ReLU of ``model.trunk``) has shape (N, 2 * width, H/8, W/8).

    Raises
    ------
    TypeError, ValueError
        For an unknown architecture or a non-integer/too-small size.

    Examples
    --------
    >>> model = build_model(seed=0)
    >>> model(torch.zeros(3, 1, 64, 64)).shape
    torch.Size([3, 2])
    """
    architecture = check_choice(architecture, "architecture", ARCHITECTURES)
    width = check_positive_int(width, "width")
    n_classes = check_positive_int(n_classes, "n_classes", minimum=2)
    seed = check_positive_int(seed, "seed", minimum=0)
    w1, w2 = width, 2 * width
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return _assemble(architecture, w1, w2, n_classes)


def _assemble(architecture: str, w1: int, w2: int, n_classes: int) -> PhantomNet:
    def block(c_in: int, c_out: int, dilation: int = 1) -> list[nn.Module]:
        conv = nn.Conv2d(c_in, c_out, 3, padding=dilation, dilation=dilation)
        return [conv, nn.BatchNorm2d(c_out), nn.ReLU()]

    layers: list[nn.Module] = [
        *block(1, w1),
        nn.MaxPool2d(2),
        *block(w1, w2),
        nn.MaxPool2d(2),
        *block(w2, w2),
        nn.MaxPool2d(2),
    ]
    if architecture == "large_rf":
        layers += [*block(w2, w2, dilation=2), *block(w2, w2, dilation=4)]
    layers += [nn.Conv2d(w2, w2, 1), nn.ReLU()]
    return PhantomNet(nn.Sequential(*layers), w2, n_classes)


def target_layer(model: nn.Module) -> nn.Module:
    """The layer whose output Grad-CAM uses: the last ReLU before global pooling.

    Parameters
    ----------
    model : PhantomNet
        A model made by :func:`build_model`.

    Returns
    -------
    torch.nn.Module
        ``model.trunk[-1]``; its output is the feature map ``A`` of shape
        (N, K, h, w).

    Raises
    ------
    TypeError
        If ``model`` has no ``trunk`` made by :func:`build_model`.

    Examples
    --------
    >>> target_layer(build_model())
    ReLU()
    """
    trunk = getattr(model, "trunk", None)
    if not isinstance(trunk, nn.Sequential) or len(trunk) == 0:
        raise TypeError(
            "`model` must be a model made by lesson_utils.cnn.build_model (with a "
            f"`trunk`); got {type(model).__name__}"
        )
    return trunk[-1]


def receptive_field(model: nn.Module) -> dict:
    """Receptive field and jump (cell size in pixels) at the target layer.

    Parameters
    ----------
    model : PhantomNet or torch.nn.Sequential
        A model made by :func:`build_model` (its ``trunk`` is used), or any
        ``nn.Sequential`` of convolutions, poolings and element-wise layers.

    Returns
    -------
    dict
        ``"size"``: receptive field in input pixels (one side of the square window a
        cell of the last layer depends on); ``"jump"``: distance in input pixels
        between two neighbouring cells; ``"layers"``: a list of
        ``(name, size, jump)`` after each layer.

    Raises
    ------
    TypeError
        If ``model`` is neither.

    Notes
    -----
    For each layer with kernel ``k``, stride ``s`` and dilation ``d``:
    ``k_eff = d (k - 1) + 1``, ``r <- r + (k_eff - 1) j`` and ``j <- j s``, starting
    from ``r = j = 1`` (one input pixel). Padding does not change ``r`` or ``j``;
    layers without a kernel (ReLU, batch norm) change neither.

    Examples
    --------
    >>> rf = receptive_field(build_model("small_rf"))
    >>> rf["size"], rf["jump"]
    (22, 8)
    >>> receptive_field(nn.Sequential(nn.Conv2d(1, 1, 3), nn.MaxPool2d(2)))["size"]
    4
    """
    if isinstance(model, nn.Sequential):
        trunk = model
    else:
        target_layer(model)
        trunk = model.trunk
    r, j = 1, 1
    steps = []
    for i, layer in enumerate(trunk):
        if isinstance(layer, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
            k = layer.kernel_size
            s = layer.stride
            d = getattr(layer, "dilation", 1)
            k = k[0] if isinstance(k, tuple) else k
            s = s[0] if isinstance(s, tuple) else s
            d = d[0] if isinstance(d, tuple) else d
            r = r + (d * (k - 1)) * j
            j = j * s
        steps.append((f"{i}:{type(layer).__name__}", r, j))
    return {"size": r, "jump": j, "layers": steps}


def _as_tensor_images(images: ArrayLike) -> torch.Tensor:
    if isinstance(images, torch.Tensor):
        images = images.detach().cpu().numpy()
    arr = as_float_array(images, "images", ndim=4, dtype=np.float32)
    if arr.shape[1] != 1:
        raise ValueError(
            "`images` must have shape (N, 1, H, W) (one channel); "
            f"got shape {arr.shape}"
        )
    return torch.from_numpy(arr)


def train_model(
    seed: int = 0,
    *,
    images: ArrayLike | None = None,
    labels: ArrayLike | None = None,
    architecture: Architecture = "small_rf",
    n_train: int = 1000,
    epochs: int = 10,
    batch_size: int = 64,
    lr: float = 1e-2,
    width: int = 8,
    threads: int = 1,
) -> PhantomNet:
    """Train a model on phantoms, reproducibly (same arguments -> same weights).

    Parameters
    ----------
    seed : int
        Seeds the weights (:func:`build_model`), the training phantoms (when
        ``images`` is None, :func:`lesson_utils.phantoms.make_phantoms` with this seed)
        and the order of the mini-batches.
    images, labels : array_like, optional
        Training images (N, 1, H, W) and labels (N,); by default ``n_train`` phantoms.
    architecture : {"small_rf", "large_rf"}
        See :func:`build_model`.
    n_train, epochs, batch_size, width, threads : int
        Training-set size (used only when ``images`` is None), passes over the data,
        mini-batch size, channels of the first block, and the number of CPU threads
        torch may use (pinned during training: 1 and 2 threads give different
        weights).
    lr : float
        Learning rate of Adam.

    Returns
    -------
    PhantomNet
        The trained model in ``eval`` mode, with ``model.training_seconds`` (wall
        time of the training loop) and ``model.loss_history`` (mean loss per epoch).

    Raises
    ------
    TypeError, ValueError
        For malformed images/labels or non-integer sizes.

    Notes
    -----
    Minimises the cross-entropy of the logits with Adam. Bitwise reproducibility
    holds for the same seed, arguments, torch version and thread count; the
    previous thread count is restored afterwards.

    Examples
    --------
    >>> from lesson_utils.phantoms import make_phantoms
    >>> x, y, _ = make_phantoms(8, seed=1)
    >>> m1 = train_model(0, images=x, labels=y, epochs=1, batch_size=4)
    >>> m2 = train_model(0, images=x, labels=y, epochs=1, batch_size=4)
    >>> all(torch.equal(a, b) for a, b in zip(m1.parameters(), m2.parameters()))
    True
    """
    from .phantoms import make_phantoms

    seed = check_positive_int(seed, "seed", minimum=0)
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    threads = check_positive_int(threads, "threads")
    if images is None:
        n_train = check_positive_int(n_train, "n_train", minimum=2)
        images, labels, _ = make_phantoms(n_train, seed=seed)
    elif labels is None:
        raise ValueError("`labels` must be given when `images` is given; got None")
    x = _as_tensor_images(images)
    y_arr = np.asarray(labels)
    if y_arr.shape != (x.shape[0],) or not np.issubdtype(y_arr.dtype, np.integer):
        raise ValueError(
            f"`labels` must be integers of shape ({x.shape[0]},); got "
            f"shape {y_arr.shape} and dtype {y_arr.dtype}"
        )
    y = torch.from_numpy(y_arr.astype(np.int64))
    model = build_model(architecture, width=width, seed=seed)
    n_classes = model.head.out_features
    if y.numel() and (int(y.min()) < 0 or int(y.max()) >= n_classes):
        raise ValueError(
            f"`labels` must lie in 0 .. {n_classes - 1}; got values "
            f"{int(y.min())} .. {int(y.max())}"
        )
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    n_steps = epochs * -(-x.shape[0] // batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=n_steps)
    loss_fn = nn.CrossEntropyLoss()
    history = []
    start = time.perf_counter()
    try:
        model.train()
        for _ in range(epochs):
            order = torch.randperm(x.shape[0], generator=gen)
            total = 0.0
            for b in range(0, x.shape[0], batch_size):
                idx = order[b : b + batch_size]
                opt.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                opt.step()
                sched.step()
                total += float(loss.detach()) * idx.numel()
            history.append(total / x.shape[0])
    finally:
        torch.set_num_threads(previous)
    model.eval()
    model.training_seconds = time.perf_counter() - start
    model.loss_history = history
    return model


def predict(
    model: nn.Module, images: ArrayLike, *, batch_size: int = 256
) -> np.ndarray:
    """Logits (pre-softmax class scores) of ``images``, in batches, without gradients.

    Parameters
    ----------
    model : torch.nn.Module
        Maps (B, 1, H, W) float32 tensors to (B, n_classes) scores; use it in
        ``eval`` mode (as :func:`train_model` returns it).
    images : array_like or torch.Tensor, shape (N, 1, H, W)
        The images.
    batch_size : int
        Images per forward pass, >= 1.

    Returns
    -------
    numpy.ndarray of float64, shape (N, n_classes)

    Raises
    ------
    TypeError, ValueError
        If ``images`` is not a finite numeric (N, 1, H, W) array or ``batch_size``
        is not a positive integer.

    Examples
    --------
    >>> predict(build_model(), np.zeros((2, 1, 64, 64), np.float32)).shape
    (2, 2)
    """
    x = _as_tensor_images(images)
    batch_size = check_positive_int(batch_size, "batch_size")
    outs = []
    with torch.no_grad():
        for b in range(0, x.shape[0], batch_size):
            outs.append(model(x[b : b + batch_size]).double().numpy())
    return np.concatenate(outs)


def accuracy(model: nn.Module, images: ArrayLike, labels: ArrayLike) -> float:
    """Fraction of images whose highest logit is their label.

    Parameters
    ----------
    model : torch.nn.Module
        As for :func:`predict`.
    images : array_like, shape (N, 1, H, W)
        The images.
    labels : array_like of int, shape (N,)
        The true classes.

    Returns
    -------
    float
        ``mean(argmax_c y^c == label)`` in [0, 1] (ties go to the lower class).

    Raises
    ------
    ValueError
        If ``labels`` does not have shape (N,).

    Examples
    --------
    >>> round(accuracy(build_model(), np.zeros((2, 1, 64, 64)), [0, 1]), 2)
    0.5
    """
    logits = predict(model, images)
    y = np.asarray(labels)
    if y.shape != (logits.shape[0],):
        raise ValueError(
            f"`labels` must have shape ({logits.shape[0]},); got shape {y.shape}"
        )
    return float(np.mean(logits.argmax(axis=1) == y))
