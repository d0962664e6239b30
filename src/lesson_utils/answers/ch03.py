"""Answer key of Chapter 3's exercises (expected values computed, never typed)."""

from __future__ import annotations

import numpy as np

from .. import resize
from ..checks import Exercise, Hint, predicate, register

#: Exercise 4's image: one row of stripes, one bright pixel in every three.
STRIPES = np.tile([1.0, 0.0, 0.0], 4)[None, :]

register(
    Exercise(
        "ch03.ex1",
        expected=lambda: float(resize.source_coordinates(7, 224)[0]),
        hints=[
            Hint(
                0.0,
                "That is the align_corners=True (or top-left) answer. With half-pixel "
                "centres the first output's centre lies inside the first input cell, left "
                "of its sample: x = (0 + 0.5) * 7 / 224 - 0.5.",
            ),
            Hint(
                0.5 * 7 / 224,
                "You found the output centre in edge coordinates (edges at 0, 1, ...). "
                "Subtract 0.5 to get to sample coordinates, where sample 0 sits at 0.",
            ),
            Hint(
                0.5 * 224 / 7 - 0.5,
                "Scale the other way: s = n_in / n_out = 7 / 224, because the question "
                "is where an *output* sample lands on the *input* axis.",
            ),
        ],
        default_hint="Use x = (i + 0.5) * n_in / n_out - 0.5 with i = 0.",
    )
)

register(
    Exercise(
        "ch03.ex2",
        expected=lambda: resize.resize_matrix(224, 7, method="nearest").argmax(axis=1),
        hints=[
            Hint(
                np.arange(7) * 32,
                "That is torch's default mode='nearest' (top-left: floor(i * s)), which "
                "picks the first pixel of each 32-pixel block, not the one nearest its "
                "centre.",
            ),
            Hint(
                np.arange(7) * 32 + 15,
                "The centre of block i is at 32 i + 15.5, a tie between two pixels; this "
                "book (and torch 'nearest-exact') rounds ties up.",
            ),
            Hint(
                predicate(
                    lambda a: np.asarray(a).shape == (7,) and np.all(np.diff(a) != 32)
                ),
                "Consecutive outputs are 224 / 7 = 32 input pixels apart: the indices "
                "must step by 32.",
            ),
        ],
        default_hint="Round x = (i + 0.5) * 32 - 0.5 up at ties: floor(x + 0.5).",
    )
)

register(
    Exercise(
        "ch03.ex3",
        expected=lambda: resize.resize_matrix(3, 5, method="bilinear")[1],
        hints=[
            Hint(
                resize.resize_matrix(3, 5, method="bilinear", align_corners=True)[1],
                "That row belongs to align_corners=True (x = 0.5). With half-pixel "
                "centres, x = 1.5 * 3 / 5 - 0.5 = 0.4.",
            ),
            Hint(
                resize.resize_matrix(3, 5, method="bilinear")[1][[1, 0, 2]],
                "Weights are opposite distances: the sample nearer to x gets the larger "
                "weight.",
            ),
            Hint(
                predicate(lambda a: abs(float(np.sum(a)) - 1.0) > 1e-6),
                "A row of a resize matrix sums to 1.",
            ),
        ],
        default_hint="Find x for output 1, then its two neighbours and their weights.",
    )
)

register(
    Exercise(
        "ch03.ex4",
        expected=lambda: resize.resize(STRIPES, (1, 4))[0],
        hints=[
            Hint(
                resize.resize(STRIPES, (1, 4), antialias=True)[0],
                "That is the antialiased result (every pixel under an output cell "
                "contributes). Without antialias, bilinear reads only the two pixels "
                "around x = 3 i + 1.",
            ),
            Hint(
                np.full(4, 1.0 / 3.0),
                "1/3 is the mean brightness, what an ideal average would give. Plain "
                "bilinear does not average: it reads two pixels around x = 3 i + 1.",
            ),
            Hint(np.ones(4), "Check x = (i + 0.5) * 3 - 0.5: it is 3 i + 1, not 3 i."),
        ],
        default_hint="x = (i + 0.5) * 12 / 4 - 0.5 = 3 i + 1 is a whole number: which pixel?",
    )
)
