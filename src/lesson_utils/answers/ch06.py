"""Answer key of Chapter 6's exercises (expected values computed, never typed)."""

from __future__ import annotations

import numpy as np
from torch import nn

from .. import cnn, gradcam
from ..checks import Exercise, Hint, register

#: Exercise 1: a stack of layers whose receptive field the reader computes.
STACK_1 = (("conv", 3, 1), ("pool", 2, 2), ("conv", 3, 1), ("pool", 2, 2))

#: Exercise 2: the gradients dy/dA of two channels on a 2 x 2 grid.
GRADIENTS_2 = np.array([[[0.5, 1.5], [-1.0, 3.0]], [[-2.0, 0.0], [1.0, -3.0]]])

#: Exercise 3: two feature maps (2 x 2) and their weights.
ACTIVATIONS_3 = np.array([[[1.0, 0.0], [2.0, 1.0]], [[0.0, 1.0], [0.5, 2.0]]])
ALPHA_3 = np.array([1.0, -0.5])

#: Exercise 4: a raw 8 x 8 map whose maximum is cell (3, 5), upsampled to 64 x 64.
CELL_4 = (3, 5)


def _stack_1() -> nn.Sequential:
    layers: list[nn.Module] = []
    for kind, k, s in STACK_1:
        if kind == "conv":
            layers.append(nn.Conv2d(1, 1, k, stride=s))
        else:
            layers.append(nn.MaxPool2d(k, stride=s))
    return nn.Sequential(*layers)


def _cam_4() -> np.ndarray:
    cam = np.zeros((8, 8))
    cam[CELL_4] = 1.0
    return cam


def _argmax_4() -> np.ndarray:
    up = gradcam.upsample_cam(_cam_4(), 64, method="nearest")
    return np.array(np.unravel_index(np.argmax(up), up.shape))


register(
    Exercise(
        "ch06.ex1",
        expected=lambda: cnn.receptive_field(_stack_1())["size"],
        hints=[
            Hint(
                1 + 2 + 1 + 2 + 1,
                "You added k - 1 for every layer, but after a pooling of stride 2 one "
                "step of the next layer spans 2 input pixels: multiply by the jump.",
            ),
            Hint(
                8,
                "That is the field before the last pooling: the pooling adds one "
                "more jump.",
            ),
            Hint(
                3 * 2 * 3 * 2,
                "Receptive fields grow by addition, not multiplication: "
                "r <- r + (k - 1) * jump.",
            ),
        ],
        default_hint="Start from r = 1, j = 1 and apply r <- r + (k - 1) j, j <- j s "
        "layer by layer.",
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
        expected=_argmax_4,
        hints=[
            Hint(
                np.array([8 * CELL_4[0] + 4, 8 * CELL_4[1] + 4]),
                "That is the block's centre, where the cell really sits; np.argmax "
                "returns the *first* maximum in row-major order.",
            ),
            Hint(
                np.array(CELL_4),
                "That is the cell on the 8 x 8 grid; the question asks for the pixel "
                "of the 64 x 64 upsampled map.",
            ),
            Hint(
                np.array([8 * CELL_4[0] + 7, 8 * CELL_4[1] + 7]),
                "That is the last pixel of the block; np.argmax returns the first.",
            ),
        ],
        default_hint="Each cell becomes an 8 x 8 block of equal values; which of them "
        "comes first in row-major order?",
    )
)
