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
#: The precision Exercises 1, 3 and 4 ask for (Exercise 2 asks for whole indices).
DECIMALS = 2


def _cell_mean(image: np.ndarray, p0: int, q0: int) -> float:
    """The bilinear value at the centre of the cell with top-left pixel (p0, q0)."""
    return float(image[p0 : p0 + 2, q0 : q0 + 2].mean())


def _ex3_wrong_cells() -> list[Hint]:
    """A hint for each neighbouring cell, naming the slip that leads there."""
    y, x = EX3_POINT
    p0, q0 = int(np.floor(y)), int(np.floor(x))
    slips = [  # the first slip that leads to a cell names it
        (
            (q0, p0),
            f"y and x swapped: you took the cell of rows {q0}, {q0 + 1} and "
            f"columns {p0}, {p0 + 1}. y = {y} is the row (down), x = {x} the column.",
        ),
        (
            (p0 - 1, q0),
            f"That cell has rows {p0 - 1}, {p0}: the row above. floor({y}) "
            f"= {p0} is the *top* row of the cell, and {p0 + 1} its bottom row.",
        ),
        (
            (p0, q0 + 1),
            f"That cell has columns {q0 + 1}, {q0 + 2}: one column too far "
            f"right. floor({x}) = {q0} is the *left* column of the cell.",
        ),
        (
            (p0 - 1, q0 + 1),
            f"That cell has rows {p0 - 1}, {p0} and columns {q0 + 1}, "
            f"{q0 + 2}: floor gives the top-left corner of the cell, ({p0}, {q0}).",
        ),
    ]
    hints: list[Hint] = []
    seen: set[tuple[int, int]] = set()
    for (p, q), message in slips:
        if (p, q) in seen:
            continue
        seen.add((p, q))
        inside = 0 <= p <= EX3_IMAGE.shape[0] - 2 and 0 <= q <= EX3_IMAGE.shape[1] - 2
        if inside and not np.isclose(
            _cell_mean(EX3_IMAGE, p, q), _cell_mean(EX3_IMAGE, p0, q0)
        ):
            hints.append(Hint(_cell_mean(EX3_IMAGE, p, q), message))
    return hints


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
        decimals=DECIMALS,
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
        default_hint=f"Interpolate along x on row 0 and on row 1 (t_x = {EX1_POINT[1]}),"
        f" then along y between the two results (t_y = {EX1_POINT[0]}).",
    )
)

register(
    Exercise(
        "ch02.ex2",
        expected=lambda: _largest_corner(*EX2_POINT),
        decimals=0,
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
        decimals=DECIMALS,
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
            *_ex3_wrong_cells(),
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
        decimals=DECIMALS,
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
