"""Answer key of Chapter 8's exercises (expected values computed, never typed)."""

from __future__ import annotations

import numpy as np

from .. import resize, vit
from ..checks import Exercise, Hint, predicate, register

#: Exercise 1: a ViT-B/16-sized input: 224 x 224 pixels, patches of 16 x 16.
IMAGE_SIZE_1, PATCH_SIZE_1 = 224, 16

#: Exercise 2: the centre of patch 5 along one axis, patches of 16 pixels.
PATCH_2, PATCH_SIZE_2 = 5, 16

#: Exercise 3: head-averaged attention of two layers over T = 3 tokens (CLS first).
ATTENTION_3 = (
    np.array([[0.2, 0.5, 0.3], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]]),
    np.array([[0.6, 0.1, 0.3], [0.2, 0.2, 0.6], [0.0, 0.5, 0.5]]),
)

#: Exercise 4: a 14 x 14 grid upsampled to 224 x 224 with align_corners=True.
GRID_4, SIZE_4, CELL_4 = 14, 224, 13


def _n_tokens_1() -> int:
    patches = vit.patchify(np.zeros((1, 1, IMAGE_SIZE_1, IMAGE_SIZE_1)), PATCH_SIZE_1)
    return 1 + int(patches.shape[1])


def _centre_2() -> float:
    return float(vit.patch_centres(PATCH_2 + 1, PATCH_SIZE_2)[PATCH_2])


def _layers_3() -> list[np.ndarray]:
    return [a[None, None] for a in ATTENTION_3]  # (N=1, G=1, T, T) per layer


def _cls_row_3() -> np.ndarray:
    row: np.ndarray = vit.attention_rollout(_layers_3())[0, 0]
    return row


def _hat(a: np.ndarray) -> np.ndarray:
    return 0.5 * a + 0.5 * np.eye(len(a))


def _landing_4() -> np.ndarray:
    source = resize.source_coordinates(GRID_4, SIZE_4, align_corners=True)
    column = float(np.interp(CELL_4, source, np.arange(SIZE_4)))
    centre = float(vit.patch_centres(GRID_4, SIZE_4 // GRID_4)[CELL_4])
    return np.array([column, column - centre])


register(
    Exercise(
        "ch08.ex1",
        expected=_n_tokens_1,
        hints=[
            Hint(
                (IMAGE_SIZE_1 // PATCH_SIZE_1) ** 2,
                "That is the number of patch tokens; the sequence starts with one "
                "more token.",
            ),
            Hint(
                IMAGE_SIZE_1 // PATCH_SIZE_1,
                "That is the number of patches along one side; the grid is square.",
            ),
            Hint(
                IMAGE_SIZE_1**2 // PATCH_SIZE_1 + 1,
                "Divide each side by P, not the number of pixels: a patch holds "
                "P x P pixels.",
            ),
        ],
        default_hint="T = 1 + (H/P)(W/P): the CLS token, then one token per patch.",
    )
)

register(
    Exercise(
        "ch08.ex2",
        expected=_centre_2,
        decimals=2,
        hints=[
            Hint(
                PATCH_2 * PATCH_SIZE_2 + PATCH_SIZE_2 / 2,
                "That is the centre if pixel q covered [q, q+1). In this book pixel "
                "q is centred at q and covers [q - 1/2, q + 1/2).",
            ),
            Hint(
                float(PATCH_2 * PATCH_SIZE_2),
                "That is the patch's first pixel; the centre is the mean of its "
                "pixels.",
            ),
            Hint(
                float(PATCH_2 * PATCH_SIZE_2 + PATCH_SIZE_2 - 1),
                "That is the patch's last pixel; the centre is the mean of its pixels.",
            ),
        ],
        default_hint="Patch k holds the pixels kP .. kP + P - 1; average them.",
    )
)

register(
    Exercise(
        "ch08.ex3",
        expected=_cls_row_3,
        atol=1e-6,
        hints=[
            Hint(
                (ATTENTION_3[1] @ ATTENTION_3[0])[0],
                "You multiplied the raw attention matrices: rollout first adds the "
                "residual, 0.5 A + 0.5 I, in every layer.",
            ),
            Hint(
                (_hat(ATTENTION_3[0]) @ _hat(ATTENTION_3[1]))[0],
                "The order is reversed: the later layer multiplies from the left, "
                "R = Â2 Â1.",
            ),
            Hint(
                ((ATTENTION_3[1] + np.eye(3)) @ (ATTENTION_3[0] + np.eye(3)))[0],
                "A + I has rows summing to 2: take 0.5 A + 0.5 I (or renormalise "
                "the rows).",
            ),
            Hint(
                _hat(ATTENTION_3[1])[0],
                "That is the last layer alone; rollout multiplies the layers.",
            ),
            Hint(
                predicate(lambda a: np.asarray(a, float).shape == (3, 3)),
                "Give only the CLS token's row, R[0], three numbers.",
            ),
        ],
        default_hint="Compute Â = 0.5 A + 0.5 I for both layers, R = Â2 Â1, and read "
        "its first row.",
    )
)

register(
    Exercise(
        "ch08.ex4",
        expected=_landing_4,
        decimals=2,
        hints=[
            Hint(
                np.array([215.5, 0.0]),
                "That is where half-pixel upsampling (align_corners=False) puts the "
                "cell: exactly on the patch centre. align_corners=True puts the "
                "last cell on the last pixel.",
            ),
            Hint(
                np.array([223.0, -7.5]),
                "Right column; the shift is the landing column minus the centre, "
                "which is positive here.",
            ),
            Hint(
                np.array([223.0, 223.0 - 208.0]),
                "The patch's centre is not its first pixel: it is kP + P/2 - 1/2.",
            ),
        ],
        default_hint="With align_corners=True cell k lands at k (H - 1) / (h - 1); "
        "compare with the patch centre kP + P/2 - 1/2.",
    )
)
