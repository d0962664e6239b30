"""A small CNN that learns to find lesions in the phantoms, in seconds on a CPU.

Introduced in Chapter 6 ("Grad-CAM step by step"). Four architectures share one
training loop; they differ only in what sits between the trunk and the target layer:

* ``"small_rf"`` (the chapter's model): three blocks ``conv 3x3 -> batch norm ->
  ReLU -> max-pool 2`` take a 64 x 64 image to an 8 x 8 feature map, a ``1 x 1``
  convolution mixes its channels (receptive field unchanged), then global average
  pooling (GAP) and a linear head give two class scores. Each cell of the 8 x 8 map
  sees a 22 x 22 pixel window of the image, about one lesion across, so Grad-CAM
  can localise.
* ``"extra_1x1"``, ``"extra_3x3"``, ``"large_rf"`` (the chapter's receptive-field
  experiment): the same trunk followed by two more ``conv -> batch norm -> ReLU``
  blocks at 8 x 8, so all three are equally deep. With ``1 x 1`` kernels the
  receptive field stays 22 px (a depth-only control), with ``3 x 3`` kernels it
  grows to 54 px, and with ``3 x 3`` kernels dilated 2 and 4 to 118 px, more than
  the whole image.

The receptive field is computed by :func:`receptive_field` from the layers, not
typed: for a layer of kernel size ``kappa``, dilation ``d`` and stride ``S``, the
effective kernel is ``kappa_eff = d (kappa - 1) + 1``, and ``r <- r + (kappa_eff -
1) J``, ``J <- J S`` (Araujo, Norris, Sim, "Computing receptive fields of
convolutional neural networks", Distill 2019). It is the *theoretical* receptive
field: the window a cell can depend on at all, not how strongly it does.

:func:`layer_groups` and :func:`randomized_copy` serve the sanity checks of the
chapter: a copy of a trained model with some of its layers re-initialised, the
trained model itself left untouched.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import torch
from numpy.typing import ArrayLike
from torch import nn

from ._training import check_budget, fit, training_set
from ._validate import (
    _describe,
    as_float_array,
    check_choice,
    check_positive_int,
)

__all__ = [
    "ARCHITECTURES",
    "build_model",
    "target_layer",
    "receptive_field",
    "layer_groups",
    "randomized_copy",
    "train_model",
    "predict",
    "classification_accuracy",
]

Architecture = Literal["small_rf", "extra_1x1", "extra_3x3", "large_rf"]
ARCHITECTURES: tuple[str, ...] = ("small_rf", "extra_1x1", "extra_3x3", "large_rf")

#: Training images over which the batch-norm statistics are recomputed at the end.
_BATCH_NORM_IMAGES = 256

#: The extra blocks after the trunk, as (kernel size, dilation) per block.
_EXTRA_BLOCKS: dict[str, tuple[tuple[int, int], ...]] = {
    "small_rf": (),
    "extra_1x1": ((1, 1), (1, 1)),
    "extra_3x3": ((3, 1), (3, 1)),
    "large_rf": ((3, 2), (3, 4)),
}


class PhantomNet(nn.Module):
    """Conv ``trunk`` (its last ReLU is the target layer) -> GAP -> linear ``head``."""

    #: Set by :func:`train_model`: wall time of the training loop, mean loss per epoch.
    training_seconds: float
    loss_history: list[float]

    def __init__(self, trunk: nn.Sequential, n_features: int, n_classes: int) -> None:
        super().__init__()
        self.trunk = trunk
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(n_features, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = self.trunk(x)
        scores: torch.Tensor = self.head(self.pool(a).flatten(1))
        return scores


def build_model(
    architecture: Architecture = "small_rf",
    *,
    width: int = 8,
    n_classes: int = 2,
    seed: int = 0,
) -> PhantomNet:
    """Build the chapter's CNN with freshly initialised, seeded weights.

    The same arguments always give the same weights (on one torch version).

    Parameters
    ----------
    architecture : {"small_rf", "extra_1x1", "extra_3x3", "large_rf"}
        ``"small_rf"``: receptive field 22 px at the 8 x 8 target layer. The other
        three add two ``conv -> batch norm -> ReLU`` blocks at 8 x 8 (equal depth):
        ``1 x 1`` kernels (22 px), ``3 x 3`` kernels (54 px), ``3 x 3`` kernels
        dilated 2 and 4 (118 px).
    width : int
        Channels of the first block (the next blocks have ``2 * width``); >= 1.
    n_classes : int
        Number of class scores (logits), >= 2.
    seed : int
        Seed for ``torch.manual_seed`` before the weights are initialised (the
        global torch generator is left as it was).

    Returns
    -------
    PhantomNet
        In training mode (as every new ``torch.nn.Module``). ``model(x)`` maps
        images (N, 1, H, W) to logits (N, n_classes); the target layer (last ReLU
        of ``model.trunk``) has shape (N, 2 * width, H/8, W/8).

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
    arch = check_choice(architecture, "architecture", ARCHITECTURES)
    width = check_positive_int(width, "width")
    n_classes = check_positive_int(n_classes, "n_classes", minimum=2)
    seed = check_positive_int(seed, "seed", minimum=0)
    w1, w2 = width, 2 * width
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return _assemble(arch, w1, w2, n_classes)


def _assemble(architecture: str, w1: int, w2: int, n_classes: int) -> PhantomNet:
    def block(
        c_in: int, c_out: int, kernel: int = 3, dilation: int = 1
    ) -> list[nn.Module]:
        pad = dilation * (kernel - 1) // 2
        conv = nn.Conv2d(c_in, c_out, kernel, padding=pad, dilation=dilation)
        return [conv, nn.BatchNorm2d(c_out), nn.ReLU()]

    layers: list[nn.Module] = [
        *block(1, w1),
        nn.MaxPool2d(2),
        *block(w1, w2),
        nn.MaxPool2d(2),
        *block(w2, w2),
        nn.MaxPool2d(2),
    ]
    for kernel, dilation in _EXTRA_BLOCKS[architecture]:
        layers += block(w2, w2, kernel, dilation)
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
    last: nn.Module = _trunk(model)[-1]
    return last


def _trunk(model: nn.Module) -> nn.Sequential:
    trunk = getattr(model, "trunk", None)
    if not isinstance(trunk, nn.Sequential) or len(trunk) == 0:
        raise TypeError(
            "`model` must be a model made by lesson_utils.cnn.build_model (with a "
            f"`trunk`); got {type(model).__name__}"
        )
    return trunk


def receptive_field(model: nn.Module) -> dict[str, Any]:
    """Theoretical receptive field and jump (cell size in pixels) at the target layer.

    Parameters
    ----------
    model : PhantomNet or torch.nn.Sequential
        A model made by :func:`build_model` (its ``trunk`` is used), or any
        ``nn.Sequential`` of convolutions, poolings and element-wise layers.

    Returns
    -------
    dict
        ``"size"``: receptive field ``r`` in input pixels (one side of the square
        window a cell of the last layer can depend on); ``"jump"``: ``J``, the
        distance in input pixels between two neighbouring cells; ``"layers"``: a
        list of ``(name, r, J)`` after each layer.

    Raises
    ------
    TypeError
        If ``model`` is neither.

    Notes
    -----
    For each layer with kernel size ``kappa``, stride ``S`` and dilation ``d``, the
    effective kernel size is ``kappa_eff = d (kappa - 1) + 1`` (a dilated kernel
    spans that many inputs), and ``r <- r + (kappa_eff - 1) J``, then ``J <- J S``,
    starting from ``r = J = 1`` (one input pixel). Padding changes neither; layers
    without a kernel (ReLU, batch norm) change neither. This is the *theoretical*
    receptive field: every input pixel in the window can change the cell, but the
    pixels near the window's centre usually change it most.

    Examples
    --------
    >>> rf = receptive_field(build_model("small_rf"))
    >>> rf["size"], rf["jump"]
    (22, 8)
    >>> receptive_field(nn.Sequential(nn.Conv2d(1, 1, 3), nn.MaxPool2d(2)))["size"]
    4
    """
    trunk = model if isinstance(model, nn.Sequential) else _trunk(model)
    r, jump = 1, 1
    steps = []
    for index, layer in enumerate(trunk):
        if isinstance(layer, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
            kappa = _first(layer.kernel_size)
            stride = _first(layer.stride)
            dilation = _first(getattr(layer, "dilation", 1))
            kappa_eff = dilation * (kappa - 1) + 1
            r = r + (kappa_eff - 1) * jump
            jump = jump * stride
        steps.append((f"{index}:{type(layer).__name__}", r, jump))
    return {"size": r, "jump": jump, "layers": steps}


def _first(value: int | tuple[int, ...]) -> int:
    return int(value[0] if isinstance(value, tuple) else value)


def layer_groups(model: nn.Module) -> dict[str, tuple[str, ...]]:
    """The model's layers with weights, in groups, from the output back to the input.

    Parameters
    ----------
    model : PhantomNet
        A model made by :func:`build_model`, of any architecture (only read).

    Returns
    -------
    dict
        Group name -> names of its modules (as in ``model.named_modules()``),
        ordered from the top: ``"head"`` (the linear layer), ``"mix"`` (the final
        ``1 x 1`` convolution), then ``"block B"`` ... ``"block 1"`` (each a
        convolution and its batch norm; ``block 1`` reads the image). This is the
        order of a cascading randomisation (Adebayo et al., 2018).

    Raises
    ------
    TypeError
        If ``model`` was not made by :func:`build_model`.

    Examples
    --------
    >>> groups = layer_groups(build_model())
    >>> list(groups)
    ['head', 'mix', 'block 3', 'block 2', 'block 1']
    >>> groups["block 1"]
    ('trunk.0', 'trunk.1')
    """
    trunk = _trunk(model)
    if not isinstance(getattr(model, "head", None), nn.Linear):
        raise TypeError(
            "`model` must be a model made by lesson_utils.cnn.build_model (with a "
            f"linear `head`); got {type(model).__name__}"
        )
    blocks: list[list[str]] = []
    for index, layer in enumerate(trunk):
        if isinstance(layer, nn.Conv2d):
            blocks.append([f"trunk.{index}"])
        elif isinstance(layer, nn.BatchNorm2d) and blocks:
            blocks[-1].append(f"trunk.{index}")
    groups: dict[str, tuple[str, ...]] = {"head": ("head",), "mix": tuple(blocks[-1])}
    for number in range(len(blocks) - 1, 0, -1):
        groups[f"block {number}"] = tuple(blocks[number - 1])
    return groups


def randomized_copy(
    model: nn.Module, groups: str | Sequence[str], *, seed: int
) -> nn.Module:
    """A copy of ``model`` with the layers of ``groups`` re-initialised at random.

    Parameters
    ----------
    model : PhantomNet
        A model made by :func:`build_model` (trained or not). It is not changed.
    groups : str or sequence of str
        Names from :func:`layer_groups` (``"head"``, ``"mix"``, ``"block 3"``, ...).
        A cascading randomisation passes the first 1, 2, 3, ... names.
    seed : int
        Seed of the new weights (the global torch generator is left as it was).

    Returns
    -------
    PhantomNet
        A new model, in the training mode of ``model``: the modules of ``groups``
        have the fresh weights of their own ``reset_parameters()`` (torch's default
        initialisation, as :func:`build_model` draws them; a batch norm also gets
        its running statistics reset to mean 0 and variance 1); every other
        parameter and buffer is an exact copy.

    Raises
    ------
    TypeError
        If ``model`` was not made by :func:`build_model` or ``groups`` is not a
        string or a sequence of strings.
    ValueError
        If a group name is unknown or ``groups`` is empty.

    Examples
    --------
    >>> model = build_model(seed=0)
    >>> new = randomized_copy(model, ["head"], seed=1)
    >>> torch.equal(new.head.weight, model.head.weight)
    False
    >>> torch.equal(new.trunk[0].weight, model.trunk[0].weight)
    True
    """
    known = layer_groups(model)
    seed = check_positive_int(seed, "seed", minimum=0)
    names = (groups,) if isinstance(groups, str) else groups
    if not isinstance(names, Sequence) or not all(isinstance(g, str) for g in names):
        raise TypeError(
            "`groups` must be a group name or a sequence of names from "
            f"layer_groups(model); got {_describe(groups)}"
        )
    if len(names) == 0:
        raise ValueError("`groups` must name at least one group; got an empty list")
    for name in names:
        check_choice(name, "groups", tuple(known))
    new = copy.deepcopy(model)
    modules = dict(new.named_modules())
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for name in known:  # from the top down, whatever order `groups` has
            if name in names:
                for module_name in known[name]:
                    modules[module_name].reset_parameters()
    new.train(model.training)
    return new


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


def _check_labels(labels: ArrayLike, n: int, n_classes: int) -> np.ndarray:
    """Integer class indices of shape (n,) in 0 .. n_classes - 1."""
    if isinstance(labels, torch.Tensor):
        labels = labels.detach().cpu().numpy()
    y = np.asarray(labels)
    if y.dtype == bool or not np.issubdtype(y.dtype, np.integer):
        raise TypeError(
            "`labels` must be integer class indices (e.g. int64); got "
            f"{_describe(labels)} of dtype {y.dtype}"
        )
    if y.shape != (n,):
        raise ValueError(
            f"`labels` must have shape ({n},) (one per image); got shape {y.shape}"
        )
    if y.size and (int(y.min()) < 0 or int(y.max()) >= n_classes):
        raise ValueError(
            f"`labels` must lie in 0 .. {n_classes - 1} (the model's classes); got "
            f"values {int(y.min())} .. {int(y.max())}"
        )
    return y.astype(np.int64)


def train_model(
    seed: int = 0,
    *,
    images: ArrayLike | None = None,
    labels: ArrayLike | None = None,
    architecture: Architecture = "small_rf",
    n_train: int = 800,
    epochs: int = 4,
    batch_size: int = 32,
    lr: float = 2e-2,
    width: int = 8,
    threads: int = 1,
) -> PhantomNet:
    """Train a model on phantoms, reproducibly (same arguments -> same weights).

    The defaults are Chapter 6's budget: 800 phantoms, 4 epochs, batches of 32.

    Parameters
    ----------
    seed : int
        Seeds the weights (:func:`build_model`), the training phantoms (when
        ``images`` is None, :func:`lesson_utils.phantoms.make_phantoms` with this
        seed) and the order of the mini-batches.
    images, labels : array_like, optional
        Training images (N, 1, H, W) and integer labels (N,); by default
        ``n_train`` phantoms.
    architecture : {"small_rf", "extra_1x1", "extra_3x3", "large_rf"}
        See :func:`build_model`.
    n_train, epochs, batch_size, width, threads : int
        Training-set size (used only when ``images`` is None), passes over the data,
        mini-batch size, channels of the first block, and the number of CPU threads
        torch may use (pinned during training: 1 and 2 threads give different
        weights).
    lr : float
        Peak learning rate of Adam (one-cycle schedule); a finite number > 0.

    Returns
    -------
    PhantomNet
        The trained model in ``eval`` mode, with ``model.training_seconds`` (wall
        time of the training loop) and ``model.loss_history`` (mean loss per epoch).

    Raises
    ------
    TypeError
        For non-integer sizes, non-integer labels or a non-numeric ``lr``.
    ValueError
        For malformed images, labels of the wrong shape or outside the classes,
        sizes that are too small, or an ``lr`` that is not finite and > 0.

    Notes
    -----
    Minimises the cross-entropy of the logits with Adam under a one-cycle schedule
    (the defaults are Chapter 6's budget: 800 images, 4 epochs). After the last
    step, every batch norm's running statistics are recomputed with the final
    weights, as the average over the batches of the first 256 training images (the
    running averages of training lag behind weights that change fast, and a short
    training run would evaluate with stale statistics). The model's weights are stored in torch's
    ``channels_last`` memory layout (the same numbers, stored pixel by pixel), which
    its convolutions pass on to their outputs: CPU max-pooling with gradients is
    several times faster in that layout, in training and in every later Grad-CAM
    call. Nothing else changes: ``model(x)`` takes the usual (N, 1, H, W) tensors.
    Bitwise reproducibility holds
    for the same seed, arguments, torch version and thread count; the previous
    thread count is restored afterwards.

    Examples
    --------
    >>> from lesson_utils.phantoms import make_phantoms
    >>> x, y, _ = make_phantoms(8, seed=1)
    >>> m1 = train_model(0, images=x, labels=y, epochs=1, batch_size=4)
    >>> m2 = train_model(0, images=x, labels=y, epochs=1, batch_size=4)
    >>> all(torch.equal(a, b) for a, b in zip(m1.parameters(), m2.parameters()))
    True
    """
    seed, epochs, batch_size, threads, lr = check_budget(
        seed, epochs, batch_size, threads, lr
    )
    model = build_model(architecture, width=width, seed=seed)
    images, labels = training_set(images, labels, n_train, seed)
    x = _as_tensor_images(images)
    y = torch.from_numpy(_check_labels(labels, x.shape[0], model.head.out_features))
    model.to(memory_format=torch.channels_last)  # type: ignore[call-overload]
    x = x.contiguous(memory_format=torch.channels_last)
    model.training_seconds, model.loss_history = fit(
        model,
        x,
        y,
        torch.optim.Adam(model.parameters(), lr=lr, foreach=True),
        seed=seed,
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        threads=threads,
        finish=lambda: _recompute_batch_norm(model, x[:_BATCH_NORM_IMAGES], batch_size),
    )
    return model


def _recompute_batch_norm(model: nn.Module, x: torch.Tensor, batch_size: int) -> None:
    """Set every batch norm's running statistics to their mean over ``x``."""
    norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    momenta = [m.momentum for m in norms]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # None: a cumulative average over the batches
    model.train()
    try:
        with torch.no_grad():
            for b in range(0, x.shape[0], batch_size):
                model(x[b : b + batch_size])
    finally:
        for m, momentum in zip(norms, momenta, strict=True):
            m.momentum = momentum


def predict(
    model: nn.Module, images: ArrayLike, *, batch_size: int = 256
) -> np.ndarray:
    """Logits (pre-softmax class scores) of ``images``, in eval mode, without gradients.

    Parameters
    ----------
    model : torch.nn.Module
        Maps (B, 1, H, W) float32 tensors to (B, n_classes) scores. It is
        evaluated in ``eval`` mode (batch norm uses its running statistics, so
        each image's scores depend on that image alone, whatever the batch size)
        and put back in the mode it was in; its parameters and statistics are not
        changed.
    images : array_like or torch.Tensor, shape (N, 1, H, W)
        The images.
    batch_size : int
        Images per forward pass, >= 1 (changes speed and memory, not the result).

    Returns
    -------
    numpy.ndarray of float64, shape (N, n_classes)

    Raises
    ------
    TypeError, ValueError
        If ``model`` is not a module, ``images`` is not a finite numeric
        (N, 1, H, W) array or ``batch_size`` is not a positive integer.

    Examples
    --------
    >>> model = build_model()                      # a new model is in training mode
    >>> predict(model, np.zeros((2, 1, 64, 64), np.float32)).shape
    (2, 2)
    >>> model.training                             # ... and stays in it
    True
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"`model` must be a torch.nn.Module; got {_describe(model)}")
    x = _as_tensor_images(images)
    batch_size = check_positive_int(batch_size, "batch_size")
    was_training = model.training
    model.eval()
    outs = []
    try:
        with torch.no_grad():
            for b in range(0, x.shape[0], batch_size):
                outs.append(model(x[b : b + batch_size]).double().numpy())
    finally:
        model.train(was_training)
    return np.concatenate(outs)


def classification_accuracy(
    model: nn.Module, images: ArrayLike, labels: ArrayLike
) -> float:
    """Fraction of images whose highest logit is their label (in eval mode).

    Parameters
    ----------
    model : torch.nn.Module
        As for :func:`predict` (evaluated in ``eval`` mode, its mode restored).
    images : array_like, shape (N, 1, H, W)
        The images.
    labels : array_like of int, shape (N,)
        The true classes, in ``0 .. n_classes - 1``.

    Returns
    -------
    float
        ``mean(argmax_c y^c == label)`` in [0, 1] (ties go to the lower class).

    Raises
    ------
    TypeError
        If ``labels`` are not integers (strings, floats, booleans).
    ValueError
        If ``labels`` does not have shape (N,) or holds a class the model does not
        have; as :func:`predict` for ``model`` and ``images``.

    Examples
    --------
    >>> model = train_model(0, n_train=8, epochs=1, batch_size=4, width=2)
    >>> from lesson_utils.phantoms import make_phantoms
    >>> x, y, _ = make_phantoms(4, seed=5)
    >>> 0.0 <= classification_accuracy(model, x, y) <= 1.0
    True
    """
    logits = predict(model, images)
    y = _check_labels(labels, logits.shape[0], logits.shape[1])
    return float(np.mean(logits.argmax(axis=1) == y))
