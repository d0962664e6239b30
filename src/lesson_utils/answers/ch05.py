"""Answer key of Chapter 5's exercises (expected values computed, never typed)."""

from __future__ import annotations

import numpy as np

from .. import heatmaps
from ..checks import Exercise, Hint, predicate, register

#: The seed text's 2 x 2 attention map (exercise 1).
SEED_MAP = np.array([[0.1, 0.8], [0.3, 0.5]])

#: A 7 x 7 map with one hot cell at row 4, column 2 (exercise 2).
SPOT = np.zeros((7, 7))
SPOT[4, 2] = 1.0

#: A sparse, ReLU-like 7 x 7 map: three active cells on a zero background (exercise 3).
SPARSE = np.zeros((7, 7))
SPARSE[2, 2], SPARSE[2, 3], SPARSE[4, 4] = 1.0, 0.6, 0.8


def _bicubic_seed(a: float) -> float:
    return float(heatmaps.upsample(SEED_MAP, (4, 4), method="bicubic", a=a).max())


register(
    Exercise(
        "ch05.ex1",
        expected=lambda: _bicubic_seed(-0.5),
        rtol=1e-4,
        atol=1e-6,
        hints=[
            Hint(
                float(SEED_MAP.max()),
                "That is the largest coarse value, which nearest and bilinear never "
                "exceed (scipy's zoom(order=3), a B-spline on a corner-aligned grid, "
                "also returns it here). A Keys bicubic convolution overshoots it.",
            ),
            Hint(
                predicate(lambda a: np.isclose(float(a), _bicubic_seed(-0.75))),
                "That is Keys with a = -0.75 (torch's bicubic). The exercise asks for "
                "a = -0.5 (PIL's choice and this book's default).",
            ),
        ],
        default_hint="upsample(seed_map, (4, 4), method='bicubic', a=-0.5).max().",
    )
)

register(
    Exercise(
        "ch05.ex2",
        expected=lambda: np.array(
            heatmaps.peak_position(
                heatmaps.upsample(SPOT, (224, 224), method="nearest")
            )
        ),
        hints=[
            Hint(
                np.array([4 * 32 + 16, 2 * 32 + 16]),
                "That is the centre of the hot block. np.argmax returns the *first* "
                "maximum in row-major order: the top-left pixel of the tied block.",
            ),
            Hint(
                np.array([4, 2]),
                "Those are the coarse coordinates; each cell becomes a 32 x 32 block.",
            ),
            Hint(
                np.array([2 * 32, 4 * 32]),
                "Rows first: positions are (row, col) = (y, x).",
            ),
        ],
        default_hint="Cell (4, 2) covers rows 128..159 and columns 64..95.",
    )
)

register(
    Exercise(
        "ch05.ex3",
        expected=lambda: float(
            heatmaps.heatmap(SPARSE, (56, 56), method="bicubic", clamp=False)[0, 0]
        ),
        rtol=1e-4,
        atol=1e-6,
        hints=[
            Hint(
                0.0,
                "That is what the safe recipe (clamp=True) shows. Without the clamp, "
                "the undershoot becomes the new minimum and the background sits above "
                "it.",
            ),
            Hint(
                predicate(lambda a: float(a) < 0),
                "After min-max normalisation every value is in [0, 1].",
            ),
        ],
        default_hint=(
            "Upsample with bicubic, then (0 - min) / (max - min) with the min and max "
            "of the upsampled map."
        ),
    )
)


def _jet_brightest() -> float:
    values = np.linspace(0.0, 1.0, 256)
    return float(values[np.argmax(heatmaps.lightness("jet", values))])


register(
    Exercise(
        "ch05.ex4",
        expected=_jet_brightest,
        rtol=0.0,
        atol=1.5 / 255,
        hints=[
            Hint(
                1.0,
                "That is true of viridis, whose lightness rises steadily. Compute "
                "jet's lightness with heatmaps.lightness('jet', values).",
            ),
            Hint(
                predicate(lambda a: float(a) < 0 or float(a) > 1),
                "Colormap values lie in [0, 1].",
            ),
        ],
        default_hint="values[np.argmax(heatmaps.lightness('jet', values))].",
    )
)
