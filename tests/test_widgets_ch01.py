"""Chapter 1 widget driven headless: set the slider, check the frame and the artists."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lesson_utils import explorers, interp1d
from lesson_utils.widgets import ch01

VALUES = np.array([2.0, 5.0, 3.0, 6.0, 4.0])


def test_explorer_updates_frame_and_artists_when_slider_moves() -> None:
    ex = ch01.make_linear_explorer(VALUES, x=0.0)
    png_before = ex.view.value
    point_artist = ex.artists["point"]
    ex.slider.value = 2.7
    # by hand: x = 2.7 lies between samples 2 and 3; v = 0.3 * 3 + 0.7 * 6 = 5.1
    assert (ex.frame["i0"], ex.frame["i1"]) == (2, 3)
    np.testing.assert_allclose([ex.frame["w0"], ex.frame["w1"]], [0.3, 0.7], atol=1e-12)
    assert ex.frame["value"] == pytest.approx(5.1, abs=1e-12)
    assert ex.artists["point"] is point_artist  # updated in place, not re-plotted
    np.testing.assert_allclose(ex.artists["point"].get_xdata(), [2.7])
    np.testing.assert_allclose(ex.artists["point"].get_ydata(), [5.1])
    np.testing.assert_allclose(ex.artists["left"].get_xdata(), [2])
    np.testing.assert_allclose(ex.artists["right"].get_xdata(), [3])
    heights = [bar.get_height() for bar in ex.artists["bars"]]
    np.testing.assert_allclose(heights, [0.3, 0.7], atol=1e-12)
    assert "5.100" in ex.artists["label"].get_text()
    assert ex.view.value != png_before


def test_explorer_at_right_end_uses_last_interval() -> None:
    ex = ch01.make_linear_explorer(VALUES, x=1.0)
    ex.slider.value = 4.0
    assert (ex.frame["i0"], ex.frame["i1"], ex.frame["value"]) == (3, 4, 4.0)


def test_draw_linear_creates_artists_once() -> None:
    fig, axes = ch01.linear_figure(VALUES)
    artists = ch01.draw_linear(axes, ch01.linear_frame(0.5, VALUES))
    n_lines = len(axes[0].lines)
    again = ch01.draw_linear(axes, ch01.linear_frame(3.5, VALUES), artists)
    assert again is artists and len(axes[0].lines) == n_lines


def test_live_widget_and_page_explorer_show_the_same_numbers() -> None:
    # the page's data, as the browser receives it
    page = json.loads(explorers.ch01(VALUES, x=2.7, method="linear").data_json())
    v, x = np.array(page["values"]), page["x"]
    i0 = int(np.floor(x))
    by_hand = (i0 + 1 - x) * v[i0] + (x - i0) * v[i0 + 1]  # the page's linear rule
    live = ch01.make_linear_explorer(VALUES, x=0.0)
    live.slider.value = x
    np.testing.assert_array_equal(live.frame.values, v)
    assert live.frame.value == pytest.approx(by_hand, abs=1e-12)
    assert float(interp1d.sample_1d(VALUES, x)) == pytest.approx(by_hand, abs=1e-12)
