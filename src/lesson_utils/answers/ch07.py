"""Answer key of Chapter 7's exercises (expected values computed, never typed)."""

from __future__ import annotations

import numpy as np

from .. import stn
from ..checks import Exercise, Hint, register

#: The 2 x 2 image of Exercise 2.
IMAGE_2X2 = np.array([[1.0, 3.0], [5.0, 2.0]])
#: The one-row image of Exercise 3.
ROW = np.array([[4.0, 1.0, 2.0, 8.0]])
#: Exercise 2's grid point (x~, y~) = (0, -0.5), torch's (x, y) order: pixel column
#: x = 0.5, row y = 0.25 with align_corners=True.
EX2_GRID = np.array([[[0.0, -0.5]]])


def _ex2() -> np.ndarray:
    return np.asarray(
        stn.grid_sample_backward(IMAGE_2X2, EX2_GRID, align_corners=True)[1][0, 0]
    )


def _ex3() -> np.ndarray:
    grid = np.array([[[1.5, 0.0]]])
    return np.array(
        [
            float(stn.grid_sample(ROW, grid, padding_mode=mode)[0, 0])
            for mode in stn.PADDING_MODES
        ]
    )


def _ex4() -> float:
    g = stn.pixel_to_normalized([0.0, 1.0], 8, align_corners=False)
    return float(g[0] - g[1])


# the wrong answers of the hints, computed from the right ones
_EX2, _EX3, _EX4 = _ex2(), _ex3(), _ex4()


register(
    Exercise(
        "ch07.ex1",
        expected=lambda: float(stn.pixel_to_normalized(0.0, 8, align_corners=False)),
        decimals=3,
        hints=[
            Hint(
                -1.0,
                "-1 is the centre of the first pixel only with align_corners=True. With "
                "False, -1 is the *outer edge*, half a pixel to the left of the centre.",
            ),
            Hint(
                -0.5,
                "-0.5 is where that edge sits in *pixel* units; the question asks for "
                "the normalised coordinate.",
            ),
            Hint(
                -0.75,
                "One pixel is 2 / W = 0.25 normalised units wide; the centre is half a "
                "pixel in from the edge at -1.",
            ),
        ],
        default_hint="Use x~ = (2 x + 1) / W - 1 with x = 0 and W = 8.",
    )
)

register(
    Exercise(
        "ch07.ex2",
        expected=_ex2,
        decimals=3,
        hints=[
            Hint(
                2.0 * _EX2,
                "Those are the slopes per *pixel*. The grid is normalised: multiply by "
                "dx/dx~ = (W - 1) / 2 (here 0.5, with align_corners=True).",
            ),
            Hint(
                _EX2[::-1],
                "The grid's last axis is (x~, y~), torch's order: give dV/dx~ first, then dV/dy~.",
            ),
            Hint(
                np.array([0.5 * (0.25 * 2.0 + 0.75 * -3.0), 0.75]),
                "For dV/dx the top row's difference is weighted by (1 - t_y) = 0.75, "
                "where t_y = 0.25 is the distance from the top row.",
            ),
        ],
        default_hint=(
            "dV/dx = (1 - t_y)(U01 - U00) + t_y (U11 - U10) with t_y = y - floor(y); "
            "then multiply by dx/dx~."
        ),
    )
)

register(
    Exercise(
        "ch07.ex3",
        expected=_ex3,
        decimals=3,
        hints=[
            Hint(
                np.array([4.0, _EX3[1], _EX3[2]]),
                "x = 4.5 is more than one pixel beyond the last centre (3): under "
                "'zeros' both corners (4 and 5) are outside and read 0.",
            ),
            Hint(
                np.array([_EX3[0], _EX3[1], 0.5 * ROW[0, 1] + 0.5 * ROW[0, 2]]),
                "You mirrored about the last pixel centre (x = 3), as align_corners=True "
                "does. With False the mirror is the outer edge, x = 3.5.",
            ),
        ],
        default_hint=(
            "First x = ((x~ + 1) W - 1) / 2 = 4.5; then zeros reads outside as 0, border "
            "clamps x to 3, reflection mirrors x about 3.5."
        ),
    )
)

register(
    Exercise(
        "ch07.ex4",
        expected=_ex4,
        decimals=3,
        hints=[
            Hint(
                -_EX4,
                "theta maps *output* to *input*: to move the content right, each output "
                "pixel must read further *left*.",
            ),
            Hint(
                -1.0,
                "theta works in normalised units: one pixel is 2 / W of them.",
            ),
            Hint(
                -2.0 / 7.0,
                "2 / (W - 1) is the pixel spacing with align_corners=True; this grid uses "
                "False.",
            ),
        ],
        default_hint="Output pixel x must read input pixel x - 1; one pixel is 2 / W.",
    )
)
