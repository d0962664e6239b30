"""The training loop shared by :func:`lesson_utils.cnn.train_model` (Chapter 6) and
:func:`lesson_utils.vit.train_vit` (Chapter 8).

Both models learn the phantoms the same way: mini-batches in a seeded random order,
cross-entropy of the logits, a one-cycle learning-rate schedule, torch pinned to a
given number of threads while it trains (1 and 2 threads give different weights).
They differ only in the optimiser, the warm-up share of the schedule, the ViT's
random flips and gradient clipping, and the CNN's batch-norm statistics recomputed
at the end: the arguments of :func:`fit`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import torch
from numpy.typing import ArrayLike
from torch import nn

from ._validate import check_finite_float, check_positive_int

__all__ = ["check_budget", "training_set", "fit"]


def check_budget(
    seed: Any, epochs: Any, batch_size: Any, threads: Any, lr: Any
) -> tuple[int, int, int, int, float]:
    """The checked ``seed`` (>= 0), ``epochs``, ``batch_size``, ``threads`` (>= 1)
    and ``lr`` (finite, > 0) of a training call."""
    seed = check_positive_int(seed, "seed", minimum=0)
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    threads = check_positive_int(threads, "threads")
    lr = check_finite_float(lr, "lr")
    if lr <= 0:
        raise ValueError(f"`lr` must be a finite number > 0; got {lr!r}")
    return seed, epochs, batch_size, threads, lr


def training_set(
    images: ArrayLike | None, labels: ArrayLike | None, n_train: Any, seed: int
) -> tuple[ArrayLike, ArrayLike]:
    """The caller's images and labels, or ``n_train`` phantoms drawn with ``seed``."""
    from .phantoms import make_phantoms

    if images is None:
        n_train = check_positive_int(n_train, "n_train", minimum=2)
        phantoms, classes, _ = make_phantoms(n_train, seed=seed)
        return phantoms, classes
    if labels is None:
        raise ValueError("`labels` must be given when `images` is given; got None")
    return images, labels


def fit(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    optimizer: torch.optim.Optimizer,
    *,
    seed: int,
    epochs: int,
    batch_size: int,
    lr: float,
    threads: int,
    pct_start: float = 0.3,
    augment: Callable[[torch.Tensor, torch.Generator], torch.Tensor] | None = None,
    max_grad_norm: float | None = None,
    finish: Callable[[], None] | None = None,
) -> tuple[float, list[float]]:
    """Train ``model`` in place; return the wall time and the mean loss per epoch.

    Each epoch visits the ``N`` images of ``x`` once, in an order drawn from a
    generator seeded with ``seed``; ``augment(batch, generator)`` (if given) draws
    from the same generator after the order. The learning rate follows
    ``OneCycleLR`` with peak ``lr`` and warm-up share ``pct_start`` over all steps;
    gradients are clipped to norm ``max_grad_norm`` if given. ``finish`` runs after
    the last step, still on ``threads`` threads and inside the timed span. The
    previous thread count is restored and the model is left in ``eval`` mode.
    """
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    gen = torch.Generator().manual_seed(seed)
    n_steps = epochs * -(-x.shape[0] // batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=lr, total_steps=n_steps, pct_start=pct_start
    )
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
                xb = x[idx] if augment is None else augment(x[idx], gen)
                optimizer.zero_grad()
                loss = loss_fn(model(xb), y[idx])
                loss.backward()
                if max_grad_norm is not None:
                    nn.utils.clip_grad_norm_(
                        model.parameters(), max_grad_norm, foreach=True
                    )
                optimizer.step()
                sched.step()
                total += float(loss.detach()) * idx.numel()
            history.append(total / x.shape[0])
        if finish is not None:
            finish()
    finally:
        torch.set_num_threads(previous)
    model.eval()
    return time.perf_counter() - start, history
