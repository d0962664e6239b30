"""Answer key of Chapter 1's exercises (expected values computed, never typed)."""

from __future__ import annotations

import numpy as np

from .. import interp1d
from ..checks import Exercise, Hint, predicate, register

#: The signal used by the exercises of Chapter 1.
VALUES = np.array([2.0, 5.0, 3.0, 6.0, 4.0])
#: Exercise 3: positions at exact ties between two samples.
TIES = np.array([0.5, 1.5, 2.5])

register(
    Exercise(
        "ch01.ex1",
        expected=lambda: float(interp1d.sample_1d(VALUES, 2.7)),
        hints=[
            Hint(
                0.7 * VALUES[2] + 0.3 * VALUES[3],
                "You gave each neighbour its own distance. A neighbour's weight is the "
                "distance from x to the *other* neighbour: the closer sample counts more.",
            ),
            Hint(VALUES[3], "That is the nearest neighbour's value, not the line's."),
            Hint(
                float(np.interp(2.7, np.arange(5), VALUES[::-1])),
                "The samples sit at positions 0, 1, 2, ...: read them left to right.",
            ),
        ],
        default_hint="Neighbours are floor(2.7) = 2 and 3; weights are 1 - 0.7 and 0.7.",
    )
)

register(
    Exercise(
        "ch01.ex2",
        expected=lambda: np.array(interp1d.linear_weights(1.25)[2:]),
        hints=[
            Hint(
                np.array([0.25, 0.75]),
                "Swapped: the left neighbour (1) is closer to 1.25, so its weight is the "
                "larger one.",
            ),
            Hint(
                predicate(lambda a: abs(float(np.sum(a)) - 1.0) > 1e-9),
                "The two weights must add up to 1.",
            ),
        ],
        default_hint="w0 = i1 - x and w1 = x - i0, with i0 = 1 and i1 = 2.",
    )
)

register(
    Exercise(
        "ch01.ex3",
        expected=lambda: interp1d.sample_1d(VALUES, TIES, method="nearest"),
        hints=[
            Hint(
                interp1d.nearest_index(TIES).astype(float),
                "Those are the indices floor(x + 0.5); the exercise asks for the "
                "sample values v[index].",
            ),
            Hint(
                VALUES[np.round(TIES).astype(int)],
                "That is np.round: it sends ties to the even neighbour. The book's rule "
                "rounds ties up, floor(x + 0.5).",
            ),
            Hint(
                VALUES[np.floor(TIES).astype(int)],
                "That is floor(x): it always takes the left sample.",
            ),
        ],
        default_hint="Apply floor(x + 0.5) to each position, then read the sample at "
        "that index.",
    )
)

register(
    Exercise(
        "ch01.ex4",
        expected=lambda: float(interp1d.sample_1d(VALUES, -0.7, edge="zeros")),
        hints=[
            Hint(
                VALUES[0],
                "That is the 'clamp' rule. With 'zeros', the missing sample at -1 reads 0.",
            ),
            Hint(
                0.7 * VALUES[0],
                "Right neighbours, weights swapped: -0.7 is nearer to -1 than to 0.",
            ),
        ],
        default_hint="Neighbours are -1 (value 0 under 'zeros') and 0; x = -0.7.",
    )
)
