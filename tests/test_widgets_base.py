"""The widget layer's shared pieces: the ``draw_*`` contract and the position slider."""

from __future__ import annotations

import inspect

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lesson_utils.widgets import ch01, ch02, ch03, ch04, ch05, ch06, ch07
from lesson_utils.widgets._base import Draw, position_slider

# typed against the protocol: mypy --strict rejects a draw_* whose signature drifts
_linear: Draw[ch01.LinearFrame] = ch01.draw_linear
_bilinear: Draw[ch02.BilinearFrame] = ch02.draw_bilinear
_grids: Draw[ch03.GridFrame] = ch03.draw_grids
_keys: Draw[ch04.KeysFrame] = ch04.draw_keys
_upsample: Draw[ch05.UpsampleFrame] = ch05.draw_upsample
_gradcam: Draw[ch06.GradCamFrame] = ch06.draw_gradcam
_affine: Draw[ch07.AffineFrame] = ch07.draw_affine
DRAW_FUNCTIONS = [_linear, _bilinear, _grids, _keys, _upsample, _gradcam, _affine]


@pytest.mark.parametrize("draw", DRAW_FUNCTIONS, ids=lambda f: f.__name__)
def test_draw_functions_share_one_signature(draw: object) -> None:
    params = inspect.signature(draw).parameters  # type: ignore[arg-type]
    assert list(params) == ["ax", "frame", "artists"]
    assert params["artists"].default is None
    assert params["ax"].default is params["frame"].default is inspect.Parameter.empty


def test_position_slider_spans_the_samples() -> None:
    s = position_slider(2.25, 5, "x (col)")
    assert (s.value, s.min, s.max, s.step) == (2.25, 0.0, 4.0, 0.01)
    assert s.description == "x (col)"
    assert s.continuous_update is True
    s.value = 9.0  # ipywidgets clamps to the range
    assert s.value == 4.0


def test_position_slider_needs_two_samples() -> None:
    with pytest.raises(ValueError, match="`n`"):
        position_slider(0.0, 1, "x")
    with pytest.raises(TypeError, match="`n`"):
        position_slider(0.0, 2.5, "x")  # type: ignore[arg-type]


def test_live_widgets_use_the_position_slider() -> None:
    values = np.array([0.0, 2.0, 1.0, 3.0])
    image = np.arange(12.0).reshape(3, 4)
    sliders = [
        ch01.make_linear_explorer(values, x=1.5).slider,
        ch04.make_keys_explorer(values, x=1.5).slider,
        ch02.make_bilinear_explorer(image, y=1.0, x=2.0).y_slider,
        ch02.make_bilinear_explorer(image, y=1.0, x=2.0).x_slider,
    ]
    assert [(s.max, s.step) for s in sliders] == [
        (3.0, 0.01),
        (3.0, 0.01),
        (2.0, 0.01),
        (3.0, 0.01),
    ]
    plt.close("all")
