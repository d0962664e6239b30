"""Answer key of Chapter 1's exercises (expected values computed, never typed).

The data of the exercises is stated once, here: the chapter's text may quote it, its
solution cells read it from this module.
"""

from __future__ import annotations

import numpy as np

from .. import interp1d
from ..checks import Exercise, Hint, predicate, register

#: The signal of Chapter 1 and of its exercises.
VALUES = np.array([2.0, 5.0, 3.0, 6.0, 4.0])
#: Exercise 1: the position of the linear interpolant asked for.
EX1_X = 2.7
#: Exercise 2: the position whose two weights are asked for.
EX2_X = 1.25
#: Exercise 3: positions at exact ties between two samples.
TIES = np.array([0.5, 1.5, 2.5])
#: Exercise 4: a position left of the first sample, read with ``edge="zeros"``.
EX4_X = -0.7
#: The precision every exercise of Chapter 1 asks for.
DECIMALS = 2


def _ex2_expected() -> np.ndarray:
    return np.array(interp1d.linear_weights(EX2_X)[2:], dtype=float)


def _is_whole_tuple(answer: object) -> bool:
    """The four outputs (i0, i1, w0, w1) of ``linear_weights`` instead of two."""
    a = np.asarray(answer, dtype=float)
    full = np.array(interp1d.linear_weights(EX2_X), dtype=float)
    return a.shape == (4,) and bool(np.allclose(a, full, atol=0.5 * 10.0**-DECIMALS))


register(
    Exercise(
        "ch01.ex1",
        expected=lambda: float(interp1d.sample_1d(VALUES, EX1_X)),
        decimals=DECIMALS,
        hints=[
            Hint(
                (EX1_X - np.floor(EX1_X)) * VALUES[int(EX1_X)]
                + (np.floor(EX1_X) + 1 - EX1_X) * VALUES[int(EX1_X) + 1],
                "You gave each neighbour its own distance. A neighbour's weight is the "
                "distance from x to the *other* neighbour: the closer sample counts more.",
            ),
            Hint(
                VALUES[int(np.floor(EX1_X + 0.5))],
                "That is the nearest neighbour's value, not the line's.",
            ),
            Hint(
                float(np.interp(EX1_X, np.arange(VALUES.size), VALUES[::-1])),
                "The samples sit at positions 0, 1, 2, ...: read them left to right.",
            ),
        ],
        default_hint=f"Neighbours are floor({EX1_X}) = {int(np.floor(EX1_X))} and "
        f"{int(np.floor(EX1_X)) + 1}; each weight is the distance to the other one.",
    )
)

register(
    Exercise(
        "ch01.ex2",
        expected=_ex2_expected,
        decimals=DECIMALS,
        hints=[
            Hint(
                predicate(_is_whole_tuple),
                "That is the whole tuple (i0, i1, w0, w1) that linear_weights returns: "
                "give only the two weights, [w0, w1].",
            ),
            Hint(
                _ex2_expected()[::-1],
                f"Swapped: the left neighbour ({int(np.floor(EX2_X))}) is closer to "
                f"{EX2_X}, so its weight is the larger one.",
            ),
            Hint(
                predicate(lambda a: abs(float(np.sum(a)) - 1.0) > 1e-9),
                "The two weights must add up to 1.",
            ),
        ],
        default_hint=f"w0 = i1 - x and w1 = x - i0, with i0 = {int(np.floor(EX2_X))} "
        f"and i1 = {int(np.floor(EX2_X)) + 1}.",
    )
)

register(
    Exercise(
        "ch01.ex3",
        expected=lambda: interp1d.sample_1d(VALUES, TIES, method="nearest"),
        decimals=DECIMALS,
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
        expected=lambda: float(interp1d.sample_1d(VALUES, EX4_X, edge="zeros")),
        decimals=DECIMALS,
        hints=[
            Hint(
                VALUES[0],
                "That is the 'clamp' rule. With 'zeros', the missing sample at -1 reads 0.",
            ),
            Hint(
                (EX4_X - np.floor(EX4_X)) * 0.0
                + (np.floor(EX4_X) + 1 - EX4_X) * VALUES[0],
                f"Right neighbours, weights swapped: {EX4_X} is nearer to -1 than to 0.",
            ),
        ],
        default_hint=f"Neighbours are -1 (value 0 under 'zeros') and 0; x = {EX4_X}.",
    )
)
