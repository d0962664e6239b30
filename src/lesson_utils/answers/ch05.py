"""Answer key of Chapter 5's exercises (expected values computed, never typed)."""

from __future__ import annotations

import numpy as np

from .. import colour, heatmaps, resize
from ..checks import Exercise, Hint, predicate, register

#: The 2 x 2 attention map of the attention-map article (exercise 1).
ARTICLE_MAP = np.array([[0.1, 0.8], [0.3, 0.5]])

#: A 7 x 7 map with one hot cell at row 4, column 2 (exercise 2).
SPOT = np.zeros((7, 7))
SPOT[4, 2] = 1.0

#: A sparse, ReLU-like 7 x 7 map: three active cells on a zero background (exercise 3).
SPARSE = np.zeros((7, 7))
SPARSE[2, 2], SPARSE[2, 3], SPARSE[4, 4] = 1.0, 0.6, 0.8


def _bicubic_max(a: float) -> float:
    return float(heatmaps.upsample(ARTICLE_MAP, (4, 4), method="bicubic", a=a).max())


def _pillow_max() -> float:
    """Pillow's bicubic: the same Keys a = -1/2, its taps renormalised at the border."""
    up = resize.resize(ARTICLE_MAP, (4, 4), method="bicubic", antialias=True)
    return float(up.max())


register(
    Exercise(
        "ch05.ex1",
        expected=lambda: _bicubic_max(-0.5),
        decimals=3,
        hints=[
            Hint(
                float(ARTICLE_MAP.max()),
                "That is the largest coarse value, which nearest and bilinear never "
                "exceed (scipy's zoom(order=3), a B-spline on a corner-aligned grid, "
                "also returns it here). A Keys bicubic convolution overshoots it.",
            ),
            Hint(
                predicate(
                    lambda a: np.isclose(float(a), _bicubic_max(-0.75), atol=5e-4)
                ),
                "That is Keys with a = -0.75 (torch's bicubic). The exercise asks for "
                "a = -0.5 (PIL's choice and this book's default).",
            ),
            Hint(
                predicate(lambda a: np.isclose(float(a), _pillow_max(), atol=5e-4)),
                "That is Pillow's bicubic (and torch's with antialias=True): the same "
                "Keys a = -0.5, but at the border Pillow drops the taps that fall "
                "outside the map and divides the remaining weights by their sum. "
                "The exercise asks for heatmaps.upsample, whose outside taps read "
                "the edge cell with the Keys weights unchanged, as torch's bicubic "
                "does.",
            ),
        ],
        default_hint="upsample(ARTICLE_MAP, (4, 4), method='bicubic', a=-0.5).max().",
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
        decimals=0,
        default_hint="Cell (4, 2) covers rows 128..159 and columns 64..95.",
    )
)

register(
    Exercise(
        "ch05.ex3",
        expected=lambda: float(
            heatmaps.heatmap(SPARSE, (56, 56), method="bicubic", clamp=False)[0, 0]
        ),
        decimals=3,
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
    return float(values[np.argmax(colour.lightness("jet", values))])


register(
    Exercise(
        "ch05.ex4",
        expected=_jet_brightest,
        # 3 decimals: neighbouring values are 1/255 ~ 0.0039 apart, so only the
        # right one (correctly rounded) is accepted
        decimals=3,
        hints=[
            Hint(
                1.0,
                "That is true of viridis, whose lightness rises steadily. Compute "
                "jet's lightness with colour.lightness('jet', values).",
            ),
            Hint(
                predicate(lambda a: float(a) < 0 or float(a) > 1),
                "Colormap values lie in [0, 1].",
            ),
        ],
        default_hint="values[np.argmax(colour.lightness('jet', values))], to 3 decimals.",
    )
)
