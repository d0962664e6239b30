"""Answer key of Chapter 2's exercises (expected values computed, never typed)."""

from __future__ import annotations

import numpy as np

from .. import interp2d
from ..checks import Exercise, Hint, register

#: The 2 x 2 image of Exercise 1 and its sample point (y, x).
EX1_IMAGE = np.array([[10.0, 20.0], [30.0, 60.0]])
EX1_POINT = (0.25, 0.6)
#: Exercise 2: the point whose corner with the largest weight is asked for.
EX2_POINT = (1.3, 2.8)
#: The 3 x 3 image of Exercise 3; the point is the centre of the cell between rows
#: 1, 2 and columns 0, 1.
EX3_IMAGE = np.array([[4.0, 0.0, 2.0], [6.0, 1.0, 3.0], [8.0, 9.0, 7.0]])
EX3_POINT = (1.5, 0.5)
#: Exercise 4: pixel (y, x) of an image of shape (H, W), align_corners=True.
EX4_POINT = (1.0, 6.0)
EX4_SHAPE = (5, 9)


def _largest_corner(y: float, x: float) -> np.ndarray:
    rows, cols, w = interp2d.bilinear_weights(y, x)
    p, q = np.unravel_index(np.argmax(w), w.shape)
    return np.array([rows[p, q], cols[p, q]])


def _smallest_corner(y: float, x: float) -> np.ndarray:
    rows, cols, w = interp2d.bilinear_weights(y, x)
    p, q = np.unravel_index(np.argmin(w), w.shape)
    return np.array([rows[p, q], cols[p, q]])


register(
    Exercise(
        "ch02.ex1",
        expected=lambda: float(interp2d.sample_2d(EX1_IMAGE, *EX1_POINT)),
        hints=[
            Hint(
                float(
                    interp2d.sample_2d(EX1_IMAGE, 1 - EX1_POINT[0], 1 - EX1_POINT[1])
                ),
                "You gave each corner the area of the rectangle touching it. A "
                "corner's weight is the area of the rectangle diagonally *opposite* "
                "it, so the nearest corner counts most.",
            ),
            Hint(
                float(interp2d.sample_2d(EX1_IMAGE, EX1_POINT[1], EX1_POINT[0])),
                "y and x are swapped: y = 0.25 is the row (down), x = 0.6 the column "
                "(right).",
            ),
            Hint(
                float(interp2d.sample_2d(EX1_IMAGE, *EX1_POINT, method="nearest")),
                "That is the nearest pixel's value, not the bilinear blend.",
            ),
            Hint(
                float(EX1_IMAGE.mean()),
                "That is the plain mean of the four corners: it holds only at the "
                "centre of the cell (0.5, 0.5).",
            ),
        ],
        default_hint="Interpolate along x on row 0 and on row 1 (t = 0.6), then along "
        "y between the two results (s = 0.25).",
    )
)

register(
    Exercise(
        "ch02.ex2",
        expected=lambda: _largest_corner(*EX2_POINT),
        hints=[
            Hint(
                _smallest_corner(*EX2_POINT),
                "That corner is the farthest from the point: its own rectangle is the "
                "largest, but its weight is the area *opposite* it, the smallest.",
            ),
            Hint(
                _largest_corner(*EX2_POINT)[::-1],
                "Give the corner as [row, col], that is [y, x].",
            ),
        ],
        default_hint="The corners are rows 1, 2 and columns 2, 3; the corner nearest "
        "to the point has the largest opposite rectangle.",
    )
)

register(
    Exercise(
        "ch02.ex3",
        expected=lambda: float(interp2d.sample_2d(EX3_IMAGE, *EX3_POINT)),
        hints=[
            Hint(
                float(interp2d.sample_2d(EX3_IMAGE, *EX3_POINT, method="nearest")),
                "That is nearest neighbour (the tie at .5 rounds up to pixel (2, 1)). "
                "Bilinear blends all four corners.",
            ),
            Hint(
                float(EX3_IMAGE.mean()),
                "That is the mean of the whole image; only the four corners of the "
                "cell count.",
            ),
            Hint(
                float(interp2d.sample_2d(EX3_IMAGE, EX3_POINT[1], EX3_POINT[0])),
                "Wrong cell: y = 1.5 lies between rows 1 and 2, x = 0.5 between "
                "columns 0 and 1.",
            ),
        ],
        default_hint="At a cell centre every opposite rectangle is 1/2 x 1/2.",
    )
)

register(
    Exercise(
        "ch02.ex4",
        expected=lambda: interp2d.grid_sample_coordinates(
            *EX4_POINT, EX4_SHAPE, align_corners=True
        ),
        hints=[
            Hint(
                interp2d.grid_sample_coordinates(
                    *EX4_POINT, EX4_SHAPE, align_corners=True
                )[::-1],
                "torch's grid stores (x, y), not (row, col): the column comes first.",
            ),
            Hint(
                interp2d.grid_sample_coordinates(
                    *EX4_POINT, EX4_SHAPE, align_corners=False
                ),
                "Those are the align_corners=False coordinates (-1 and +1 at the outer "
                "edges). With True, -1 and +1 are the centres of the first and last "
                "pixels.",
            ),
            Hint(
                interp2d.grid_sample_coordinates(
                    *EX4_POINT, EX4_SHAPE, align_corners=True
                )
                + 1.0,
                "Almost: the formula ends with - 1, so that pixel 0 maps to -1.",
            ),
        ],
        default_hint="g_x = 2 x / (W - 1) - 1 and g_y = 2 y / (H - 1) - 1, "
        "answered as [g_x, g_y].",
    )
)
