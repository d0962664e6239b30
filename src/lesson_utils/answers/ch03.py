"""Answer key of Chapter 3's exercises (expected values computed, never typed).

The exercises' data are the constants below; the chapter's solutions read them.
"""

from __future__ import annotations

import numpy as np

from .. import resize
from ..checks import Exercise, Hint, predicate, register

#: Exercise 1: a Grad-CAM map of MAP_EX1 cells upsampled to IMAGE_EX1 pixels.
MAP_EX1, IMAGE_EX1 = 7, 224
#: Exercise 1 asks for this many decimals.
DECIMALS_EX1 = 3
#: Exercise 2: an image row of ROW_EX2 pixels shrunk to the CELLS_EX2 cells of a
#: vision transformer's patch grid (patches of 16 pixels).
ROW_EX2, CELLS_EX2 = 224, 14
#: Exercise 3: the sizes of the resize matrix and the row asked for.
SIZES_EX3, ROW_EX3 = (3, 5), 1
#: Exercise 4's image: one row of stripes, one bright pixel in every three.
STRIPES = np.tile([1.0, 0.0, 0.0], 4)[None, :]
#: Exercise 4's output width.
WIDTH_EX4 = 4

_BLOCK_EX2 = ROW_EX2 // CELLS_EX2  # input pixels per output cell


def _x0(n_in: int, n_out: int) -> float:
    return float(resize.source_coordinates(n_in, n_out)[0])


register(
    Exercise(
        "ch03.ex1",
        expected=lambda: _x0(MAP_EX1, IMAGE_EX1),
        decimals=DECIMALS_EX1,
        hints=[
            Hint(
                0.0,
                "That is the align_corners=True (or top-left) answer. With half-pixel "
                "centres the first output's centre lies inside the first input cell, left "
                f"of its sample: x = (0 + 0.5) * {MAP_EX1} / {IMAGE_EX1} - 0.5.",
            ),
            Hint(
                0.5 * MAP_EX1 / IMAGE_EX1,
                "You found the output centre in edge coordinates (edges at 0, 1, ...). "
                "Subtract 0.5 to get to sample coordinates, where sample 0 sits at 0.",
            ),
            Hint(
                _x0(IMAGE_EX1, MAP_EX1),
                f"Scale the other way: s = n_in / n_out = {MAP_EX1} / {IMAGE_EX1}, "
                "because the question is where an *output* sample lands on the *input* "
                "axis.",
            ),
        ],
        default_hint="Use x_j = (j + 0.5) * n_in / n_out - 0.5 with j = 0.",
    )
)

register(
    Exercise(
        "ch03.ex2",
        expected=lambda: resize.resize_matrix(
            ROW_EX2, CELLS_EX2, method="nearest"
        ).argmax(axis=1),
        hints=[
            Hint(
                np.arange(CELLS_EX2) * _BLOCK_EX2,
                "That is torch's default mode='nearest' (top-left: floor(j * s)), which "
                f"picks the first pixel of each {_BLOCK_EX2}-pixel block, not the one "
                "nearest its centre.",
            ),
            Hint(
                np.arange(CELLS_EX2) * _BLOCK_EX2 + _BLOCK_EX2 // 2 - 1,
                f"The centre of block j is at {_BLOCK_EX2} j + {_BLOCK_EX2 / 2 - 0.5}, "
                "a tie between two pixels; this book (and torch 'nearest-exact') rounds "
                "ties up.",
            ),
            Hint(
                predicate(
                    lambda v: (
                        np.asarray(v).shape == (CELLS_EX2,)
                        and np.any(np.diff(v) != _BLOCK_EX2)
                    )
                ),
                f"Consecutive outputs are {ROW_EX2} / {CELLS_EX2} = {_BLOCK_EX2} input "
                f"pixels apart: the indices must step by {_BLOCK_EX2}.",
            ),
        ],
        default_hint=f"Round x_j = (j + 0.5) * {_BLOCK_EX2} - 0.5 up at ties: "
        "floor(x_j + 0.5).",
    )
)

register(
    Exercise(
        "ch03.ex3",
        expected=lambda: resize.resize_matrix(*SIZES_EX3, method="bilinear")[ROW_EX3],
        hints=[
            Hint(
                resize.resize_matrix(*SIZES_EX3, method="bilinear", align_corners=True)[
                    ROW_EX3
                ],
                "That row belongs to align_corners=True (x = 0.5). With half-pixel "
                "centres, x_1 = 1.5 * 3 / 5 - 0.5 = 0.4.",
            ),
            Hint(
                resize.resize_matrix(*SIZES_EX3, method="bilinear")[ROW_EX3][[1, 0, 2]],
                "Weights are opposite distances: the sample nearer to x gets the larger "
                "weight.",
            ),
            Hint(
                predicate(lambda v: abs(float(np.sum(v)) - 1.0) > 1e-6),
                "A row of a resize matrix sums to 1.",
            ),
        ],
        default_hint="Find x_j for output j = 1, then its two neighbours and their "
        "weights.",
    )
)

register(
    Exercise(
        "ch03.ex4",
        expected=lambda: resize.resize(STRIPES, (1, WIDTH_EX4))[0],
        decimals=2,
        hints=[
            Hint(
                resize.resize(STRIPES, (1, WIDTH_EX4), antialias=True)[0],
                "That is the antialiased result (every pixel under an output cell "
                "contributes). Without antialias, bilinear reads only the two pixels "
                "around x_j = 3 j + 1.",
            ),
            Hint(
                np.full(WIDTH_EX4, 1.0 / 3.0),
                "1/3 is the mean brightness, what an ideal average would give. Plain "
                "bilinear does not average: it reads two pixels around x_j = 3 j + 1.",
            ),
            Hint(
                np.ones(WIDTH_EX4),
                "Check x_j = (j + 0.5) * 3 - 0.5: it is 3 j + 1, not 3 j.",
            ),
        ],
        default_hint="x_j = (j + 0.5) * 12 / 4 - 0.5 = 3 j + 1 is a whole number: "
        "which pixel?",
    )
)
