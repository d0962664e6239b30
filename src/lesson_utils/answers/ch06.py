"""Answer key of Chapter 6's exercises (expected values computed, never typed)."""

from __future__ import annotations

import numpy as np
from torch import nn

from .. import cnn, gradcam, metrics
from ..checks import Exercise, Hint, register

#: Exercise 1: layers as (kind, kernel size kappa, stride S, dilation d), in order;
#: their receptive field is the reader's to compute.
STACK_1 = (
    ("conv", 3, 2, 1),
    ("conv", 3, 1, 2),
    ("pool", 2, 2, 1),
    ("conv", 3, 1, 1),
)

#: Exercise 2: the gradients dy/dA of two channels on a 2 x 2 grid.
GRADIENTS_2 = np.array([[[0.5, 1.5], [-1.0, 3.0]], [[-2.0, 0.0], [1.0, -3.0]]])

#: Exercise 3: two feature maps (2 x 2) and their weights.
ACTIVATIONS_3 = np.array([[[1.0, 0.0], [2.0, 1.0]], [[0.0, 1.0], [0.5, 2.0]]])
ALPHA_3 = np.array([1.0, -0.5])

#: Exercise 4: a 3 x 3 Grad-CAM map of a trained model, and the map of the same image
#: after the model's head was re-initialised (the model then classifies at chance).
TRAINED_4 = np.array([[0.0, 0.2, 0.0], [0.1, 0.9, 0.4], [0.0, 0.3, 0.0]])
RANDOM_HEAD_4 = np.array([[0.0, 0.0, 0.5], [0.0, 0.6, 0.2], [0.1, 0.0, 0.0]])
#: Exercise 4 asks for 3 decimals: any answer within half a unit of the third.
TOLERANCE_4 = 5e-4


def _stack_1(*, dilation: bool = True, stride: bool = True) -> nn.Sequential:
    """STACK_1 as torch layers; the flags drop the convolutions' dilation or stride
    (common slips)."""
    layers: list[nn.Module] = []
    for kind, kappa, s, d in STACK_1:
        if kind == "conv":
            s, d = (s if stride else 1), (d if dilation else 1)
            layers.append(nn.Conv2d(1, 1, kappa, stride=s, dilation=d))
        else:
            layers.append(nn.MaxPool2d(kappa, stride=s))
    return nn.Sequential(*layers)


def _rf_adding_kernels() -> int:
    """The slip of forgetting the jump: r <- r + (kappa_eff - 1), no J."""
    return 1 + sum(d * (kappa - 1) for _, kappa, _, d in STACK_1)


def _ordinal_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 0..n-1 with ties broken by position (a common slip)."""
    ranks = np.empty(values.size)
    ranks[np.argsort(values.ravel(), kind="stable")] = np.arange(values.size)
    return ranks


def _shortcut_with_mean_ranks() -> float:
    """1 - 6 sum d^2 / (n (n^2 - 1)): exact only without ties."""
    n = TRAINED_4.size
    a = metrics._average_ranks(TRAINED_4.ravel())
    b = metrics._average_ranks(RANDOM_HEAD_4.ravel())
    return float(1 - 6 * np.sum((a - b) ** 2) / (n * (n * n - 1)))


register(
    Exercise(
        "ch06.ex1",
        expected=lambda: cnn.receptive_field(_stack_1())["size"],
        hints=[
            Hint(
                _rf_adding_kernels(),
                "You added kappa_eff - 1 for every layer, but after a layer of stride "
                "S one step of the next layer spans S times as many input pixels: "
                "multiply by the jump J.",
            ),
            Hint(
                cnn.receptive_field(_stack_1(dilation=False))["size"],
                "A 3 x 3 kernel with dilation 2 spans kappa_eff = d (kappa - 1) + 1 = 5 "
                "inputs, not 3.",
            ),
            Hint(
                cnn.receptive_field(_stack_1(stride=False))["size"],
                "The first convolution has stride 2: it doubles the jump J for every "
                "layer after it.",
            ),
        ],
        default_hint="Start from r = 1, J = 1 and apply r <- r + (kappa_eff - 1) J, "
        "then J <- J S, layer by layer.",
    )
)

register(
    Exercise(
        "ch06.ex2",
        expected=lambda: gradcam.channel_weights(GRADIENTS_2),
        hints=[
            Hint(
                GRADIENTS_2.sum(axis=(1, 2)),
                "That is the sum over the cells; alpha is the mean (divide by Z = 4).",
            ),
            Hint(
                GRADIENTS_2.mean(axis=0).ravel(),
                "You averaged over the channels; alpha averages over the cells, one "
                "number per channel.",
            ),
            Hint(
                np.abs(GRADIENTS_2).mean(axis=(1, 2)),
                "Keep the signs of the gradients: a negative gradient lowers the score.",
            ),
        ],
        default_hint="alpha_k is the mean of channel k's four gradients.",
    )
)

register(
    Exercise(
        "ch06.ex3",
        expected=lambda: gradcam.weighted_sum(ACTIVATIONS_3, ALPHA_3),
        hints=[
            Hint(
                gradcam.weighted_sum(ACTIVATIONS_3, ALPHA_3, relu=False),
                "Nearly: the signed sum is right, now apply the ReLU (negatives to 0).",
            ),
            Hint(
                np.maximum(ALPHA_3[:, None, None] * ACTIVATIONS_3, 0).sum(axis=0),
                "The ReLU comes after the sum, not on each channel: a negative channel "
                "must be able to cancel a positive one.",
            ),
        ],
        default_hint="Compute 1.0 * A^0 - 0.5 * A^1 cell by cell, then max(., 0).",
    )
)

register(
    Exercise(
        "ch06.ex4",
        expected=lambda: float(metrics.spearman(TRAINED_4, RANDOM_HEAD_4)[0]),
        rtol=0.0,
        atol=TOLERANCE_4,
        hints=[
            Hint(
                float(np.corrcoef(TRAINED_4.ravel(), RANDOM_HEAD_4.ravel())[0, 1]),
                "That is the Pearson correlation of the values; rank correlation "
                "correlates their ranks (replace each value by its rank first).",
            ),
            Hint(
                float(
                    np.corrcoef(
                        _ordinal_ranks(TRAINED_4), _ordinal_ranks(RANDOM_HEAD_4)
                    )[0, 1]
                ),
                "Tied cells (the zeros) must share one rank, the mean of the ranks "
                "they occupy; you ranked them one after the other.",
            ),
            Hint(
                _shortcut_with_mean_ranks(),
                "The shortcut 1 - 6 sum d^2 / (n (n^2 - 1)) holds only without ties; "
                "with ties, compute the Pearson correlation of the mean ranks.",
            ),
        ],
        default_hint="Rank the 9 cells of each map (ties share their mean rank), "
        "then take the Pearson correlation of the two rank lists; give 3 decimals.",
    )
)
