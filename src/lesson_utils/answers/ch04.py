"""Answer key of Chapter 4's exercises (expected values computed, never typed).

The exercises' data are the constants below; the chapter's solutions read them.
"""

from __future__ import annotations

import numpy as np

from .. import interp1d, kernels
from ..checks import Exercise, Hint, predicate, register
from ..kernels import UNIT_STEP as STEP

#: Exercise 1: the position whose four Keys weights are asked for, and its a.
X_EX1, A_EX1 = 4.8, -0.5
#: Exercise 2: the 2-D corner (1 in the bottom-right quadrant) and torch's a.
CORNER = np.outer(STEP, STEP)
A_EX2 = -0.75
#: How finely Exercise 2's interpolant is sampled along each axis.
N_FINE = 70001
#: Exercise 3: the samples and positions on which polynomials are tried, and the
#: highest degree tried.
GRID_EX3 = np.arange(12.0)
X_EX3 = np.linspace(3.0, 8.0, 51)
MAX_DEGREE_EX3 = 4
#: Exercise 4: the (row, col) point, the pixel whose weight is asked for, and a.
POINT_EX4, PIXEL_EX4, A_EX4 = (1.25, 1.75), (1, 1), -0.5
#: The precision Exercises 1, 2 and 4 ask for.
DECIMALS = 3


def _taps(x: float, a: float) -> np.ndarray:
    return interp1d.tap_weights(x, method="cubic", a=a)[1]


def _step_extremes(a: float) -> tuple[float, float]:
    """Smallest and largest value of the Keys interpolant of the unit step."""
    x = np.linspace(0.0, STEP.size - 1.0, N_FINE)
    curve = interp1d.sample_1d(STEP, x, method="cubic", a=a)
    return float(curve.min()), float(curve.max())


def _corner_minimum(a: float) -> float:
    """Smallest value of the bicubic interpolant of CORNER: g(y) g(x), with g the
    step's interpolant, is smallest where one factor is lowest and the other
    highest."""
    low, high = _step_extremes(a)
    return low * high


def _bspline_degree() -> int:
    """Largest m such that the B-spline, used as weights without its prefilter,
    reproduces x**m on X_EX3 (-1 if none)."""
    weights = kernels.bspline3(X_EX3[:, None] - GRID_EX3[None, :])
    degree = -1
    for m in range(MAX_DEGREE_EX3):
        if not np.allclose(weights @ GRID_EX3**m, X_EX3**m, atol=1e-9):
            break
        degree = m
    return degree


def _weight_2d(point: tuple[float, float], pixel: tuple[int, int], a: float) -> float:
    (y, x), (row, col) = point, pixel
    iy, wy = interp1d.tap_weights(y, method="cubic", a=a)
    ix, wx = interp1d.tap_weights(x, method="cubic", a=a)
    return float(np.outer(wy, wx)[list(iy).index(row), list(ix).index(col)])


_TAPS_EX1 = int(np.floor(X_EX1)) + np.arange(-1, 3)
_DIST_EX4 = np.subtract(POINT_EX4, PIXEL_EX4)  # (row, col) distances d = x - i

register(
    Exercise(
        "ch04.ex1",
        expected=lambda: _taps(X_EX1, A_EX1),
        decimals=DECIMALS,
        hints=[
            Hint(
                _taps(X_EX1, -0.75),
                "Those are the weights for a = -0.75 (torch, OpenCV). Use a = -0.5.",
            ),
            Hint(
                _taps(X_EX1, A_EX1)[::-1],
                f"Reversed: the taps are {', '.join(map(str, _TAPS_EX1))} from left to "
                "right, and the weight of tap i is phi_a(x - i).",
            ),
            Hint(
                kernels.triangle(X_EX1 - _TAPS_EX1),
                "That is the triangle of linear interpolation: the outer taps get 0. "
                "Use the Keys kernel.",
            ),
            Hint(
                predicate(lambda w: abs(float(np.sum(w)) - 1.0) > 1e-2),
                "The four weights must add up to 1 (partition of unity).",
            ),
        ],
        default_hint=f"The taps are floor(x) - 1 .. floor(x) + 2 = "
        f"{', '.join(map(str, _TAPS_EX1))}; their offsets d = x - i are "
        f"{', '.join(f'{d:.1f}' for d in X_EX1 - _TAPS_EX1)}.",
    )
)

register(
    Exercise(
        "ch04.ex2",
        expected=lambda: _corner_minimum(A_EX2),
        decimals=DECIMALS,
        hints=[
            Hint(
                -_corner_minimum(A_EX2),
                "The size is right but the sign is wrong: the smallest value is "
                "negative (one factor dips below 0 while the other rises above 1).",
            ),
            Hint(
                _step_extremes(A_EX2)[0],
                "That is the minimum of the 1-D step. In 2-D the interpolant is the "
                "product g(y) g(x) of two 1-D interpolants: where is a product of two "
                "factors in [min, max] smallest?",
            ),
            Hint(
                _step_extremes(A_EX2)[0] ** 2,
                "Two negative minima multiply to a positive number. The product is "
                "smallest where one factor is at its minimum and the other at its "
                "maximum.",
            ),
            Hint(
                _corner_minimum(-0.5),
                "That is the answer for a = -0.5 (Pillow). Here a = -0.75 (torch).",
            ),
            Hint(0.0, "The interpolant does go below 0: look just outside the corner."),
        ],
        default_hint="The 2-D weights are products of 1-D weights, so the interpolant "
        "of np.outer(STEP, STEP) is g(y) g(x), with g the 1-D interpolant of STEP.",
    )
)

register(
    Exercise(
        "ch04.ex3",
        expected=_bspline_degree,
        hints=[
            Hint(
                2,
                "That holds for Keys a = -0.5. Try a parabola: the B-spline's weights "
                "are all positive and spread over three samples, so they add a blur.",
            ),
            Hint(
                0,
                "Check a straight line: the B-spline is symmetric and its weights sum "
                "to 1, so sum_i i * beta3(x - i) = x. Then try x**2.",
            ),
            Hint(3, "No, not even parabolas: compare the sum with x**2 for x**2."),
        ],
        default_hint="Weights beta3(x - i): compute "
        "kernels.bspline3(x[:, None] - grid) @ grid**m and compare with x**m for "
        "m = 0, 1, 2.",
    )
)

register(
    Exercise(
        "ch04.ex4",
        expected=lambda: _weight_2d(POINT_EX4, PIXEL_EX4, A_EX4),
        decimals=DECIMALS,
        hints=[
            *(
                Hint(
                    float(kernels.keys_cubic(dist, A_EX4)),
                    "That is the 1-D weight along one axis. In 2-D the weight is the "
                    "product of the row weight and the column weight.",
                )
                for dist in _DIST_EX4
            ),
            Hint(
                float(np.prod(kernels.triangle(_DIST_EX4))),
                "That is the bilinear weight (opposite area). Use the Keys kernel.",
            ),
            Hint(
                _weight_2d(POINT_EX4, PIXEL_EX4, -0.75),
                "That is the weight for a = -0.75. Use a = -0.5.",
            ),
        ],
        default_hint=f"The distances are d = {_DIST_EX4[0]} along the rows and "
        f"{_DIST_EX4[1]} along the columns: multiply phi_a of each.",
    )
)
