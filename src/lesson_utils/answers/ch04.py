"""Answer key of Chapter 4's exercises (expected values computed, never typed)."""

from __future__ import annotations

import numpy as np

from .. import accuracy, interp1d, kernels
from ..checks import Exercise, Hint, predicate, register
from ..kernels import UNIT_STEP as STEP

#: Where Exercise 1 samples, and the (row, col) point of Exercise 4.
X_EX1 = 2.3
POINT_EX4 = (1.5, 1.5)


def _taps(x: float, a: float) -> np.ndarray:
    return interp1d.tap_weights(x, method="cubic", a=a)[1]


def _step_minimum(a: float) -> float:
    """Smallest value of the Keys interpolant of the unit step (fine sampling)."""
    x = np.linspace(0.0, STEP.size - 1.0, 70001)
    return float(np.min(interp1d.sample_1d(STEP, x, method="cubic", a=a)))


def _highest_degree_reproduced(a: float) -> int:
    """Largest p such that x**p is interpolated exactly (-1 if none)."""
    degree = -1
    for p in range(5):

        def power(x: np.ndarray, p: int = p) -> np.ndarray:
            return np.asarray((x + 0.3) ** p)

        err = accuracy.interpolation_error(power, 0.125, method="cubic", a=a)
        if err > 1e-10:
            break
        degree = p
    return degree


def _weight_2d(y: float, x: float, row: int, col: int, a: float) -> float:
    iy, wy = interp1d.tap_weights(y, method="cubic", a=a)
    ix, wx = interp1d.tap_weights(x, method="cubic", a=a)
    return float(np.outer(wy, wx)[list(iy).index(row), list(ix).index(col)])


register(
    Exercise(
        "ch04.ex1",
        expected=lambda: _taps(X_EX1, -0.5),
        hints=[
            Hint(
                _taps(X_EX1, -0.75),
                "Those are the weights for a = -0.75 (torch, OpenCV). Use a = -0.5.",
            ),
            Hint(
                _taps(X_EX1, -0.5)[::-1],
                "Reversed: the taps are 1, 2, 3, 4 from left to right, and the weight "
                "of tap i is k(x - i).",
            ),
            Hint(
                kernels.triangle(X_EX1 - np.arange(1, 5)),
                "That is the triangle of linear interpolation: the outer taps get 0. "
                "Use the Keys kernel.",
            ),
            Hint(
                predicate(lambda w: abs(float(np.sum(w)) - 1.0) > 1e-6),
                "The four weights must add up to 1 (partition of unity).",
            ),
        ],
        default_hint="The taps are floor(x) - 1 .. floor(x) + 2 = 1, 2, 3, 4; their "
        "offsets x - i are 1.3, 0.3, -0.7, -1.7.",
    )
)

register(
    Exercise(
        "ch04.ex2",
        expected=lambda: _step_minimum(-0.75),
        atol=1e-3,
        hints=[
            Hint(
                _step_minimum(-0.5),
                "That is the minimum for a = -0.5 (PIL). Here a = -0.75 (torch).",
            ),
            Hint(
                float(kernels.keys_cubic(1.5, -0.75)),
                "That is the value halfway between samples (x = 2.5), not the "
                "minimum: the outer lobe of the kernel is deepest at |t| = 4/3.",
            ),
            Hint(
                0.0,
                "The interpolant does go below 0: look just left of the step.",
            ),
        ],
        default_hint="Sample the interpolant finely, then take its minimum.",
    )
)

register(
    Exercise(
        "ch04.ex3",
        expected=lambda: _highest_degree_reproduced(-0.75),
        hints=[
            Hint(
                _highest_degree_reproduced(-0.5),
                "That holds for a = -0.5 only. Try a straight line with a = -0.75: "
                "interp1d.sample_1d(np.arange(10.0), [3.25], method='cubic', a=-0.75).",
            ),
            Hint(
                1,
                "Check a straight line: with a = -0.75 the interpolant of 0, 1, 2, ... "
                "at 3.25 is not 3.25.",
            ),
            Hint(3, "No Keys kernel reproduces cubics; a = -0.75 does less still."),
        ],
        default_hint="Interpolate x**0, x**1, x**2 with a = -0.75 and see which come "
        "back exactly.",
    )
)

register(
    Exercise(
        "ch04.ex4",
        expected=lambda: _weight_2d(*POINT_EX4, 1, 1, -0.5),
        hints=[
            Hint(
                float(kernels.keys_cubic(0.5, -0.5)),
                "That is the 1-D weight along one axis. In 2-D the weight is the "
                "product of the row weight and the column weight.",
            ),
            Hint(
                float(kernels.triangle(0.5) ** 2),
                "That is the bilinear weight (opposite area). Use the Keys kernel.",
            ),
            Hint(
                _weight_2d(*POINT_EX4, 1, 1, -0.75),
                "That is the weight for a = -0.75. Use a = -0.5.",
            ),
        ],
        default_hint="Offsets are 0.5 along both axes: multiply k(0.5) by k(0.5).",
    )
)
