"""How fast each chapter's live widget answers a slider move.

For every chapter's explorer, set one control to 100 successive values (as a reader
dragging a slider would) and report the median time of one update: frame
computation, artist update and PNG rendering. Run with `make bench`.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402


def _median_update(control: object, values: Iterable[object]) -> float:
    times = []
    for value in values:
        start = time.perf_counter()
        control.value = value
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _ch01() -> tuple[object, Iterable[object]]:
    from lesson_utils.widgets import ch01

    ex = ch01.make_linear_explorer([2.0, 5.0, 3.0, 6.0, 4.0])
    return ex.slider, [float(x) for x in np.linspace(0, 4, 100)]


def _ch02() -> tuple[object, Iterable[object]]:
    from lesson_utils.widgets import ch02

    image = np.array([[1.0, 3.0, 2.0, 0.0], [4.0, 8.0, 5.0, 1.0], [2.0, 6.0, 9.0, 3.0]])
    ex = ch02.make_bilinear_explorer(image, y=0.0, x=0.0)
    return ex.x_slider, [round(float(x), 2) for x in np.linspace(0, 3, 100)]


def _ch03() -> tuple[object, Iterable[object]]:
    from lesson_utils.widgets import ch03

    ex = ch03.make_grid_explorer(6, 16)
    return ex.slider, [k % 16 for k in range(1, 101)]


def _ch04() -> tuple[object, Iterable[object]]:
    from lesson_utils.widgets import ch04

    ex = ch04.make_keys_explorer(ch04.STEP, x=3.5, a=-0.5)
    return ex.slider, [float(x) for x in np.linspace(0.0, 7.0, 100)]


def _ch05() -> tuple[object, Iterable[object]]:
    from lesson_utils import heatmaps
    from lesson_utils.widgets import ch05

    cam = heatmaps.gaussian_field((7, 7), [[0.35, 0.3], [0.7, 0.65]], [0.08, 0.12])
    ex = ch05.make_upsample_explorer(cam, (112, 112), truth=None)
    return ex.slider, [(5 + 3 * k) % 112 for k in range(100)]


def _ch06() -> tuple[object, Iterable[object]]:
    from lesson_utils.cnn import build_model, target_layer
    from lesson_utils.phantoms import make_phantoms
    from lesson_utils.widgets import ch06

    model = build_model(width=2, seed=0).eval()  # untrained: timing only
    images, _, masks = make_phantoms(4, seed=0)
    ex = ch06.make_gradcam_explorer(model, target_layer(model), images, masks)
    k = ex.frame["n_channels"]
    return ex.step_slider, [1 + i % k for i in range(1, 101)]


def _ch07() -> tuple[object, Iterable[object]]:
    from lesson_utils.widgets import ch07

    ex = ch07.make_affine_explorer()
    return ex.rotation, [float(r) for r in np.linspace(-90, 90, 100)]


def _ch08() -> tuple[object, Iterable[object]]:
    from lesson_utils.phantoms import make_phantoms
    from lesson_utils.vit import build_vit
    from lesson_utils.widgets import ch08

    model = build_vit(seed=0)  # untrained: timing only
    images, _, masks = make_phantoms(4, seed=0)
    ex = ch08.make_attention_explorer(model, images, masks)
    return ex.image_slider, [i % 4 for i in range(1, 101)]


CASES: dict[str, Callable[[], tuple[object, Iterable[object]]]] = {
    "Chapter 1 (linear, slider x)": _ch01,
    "Chapter 2 (bilinear, slider x)": _ch02,
    "Chapter 3 (grids, output-sample slider)": _ch03,
    "Chapter 4 (Keys kernel, slider x)": _ch04,
    "Chapter 5 (heat map, profile-row slider)": _ch05,
    "Chapter 6 (Grad-CAM, channel-count slider)": _ch06,
    "Chapter 7 (affine grid, rotation slider)": _ch07,
    "Chapter 8 (ViT attention, image slider)": _ch08,
}


def main() -> None:
    print(f"{'widget':<44} {'median update':>14}")
    for name, setup in CASES.items():
        control, values = setup()
        median = _median_update(control, values)
        print(f"{name:<44} {median * 1000:>11.1f} ms")


if __name__ == "__main__":
    main()
