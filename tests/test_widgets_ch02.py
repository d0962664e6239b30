"""Tests of lesson_utils.widgets.ch02, driven without a kernel."""

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lesson_utils import explorers, interp2d
from lesson_utils.widgets import ch02

IMAGE = np.array([[1.0, 3.0, 2.0, 0.0], [4.0, 8.0, 5.0, 1.0], [2.0, 6.0, 9.0, 3.0]])


def _rect(patch):
    (left, top), w, h = patch.get_xy(), patch.get_width(), patch.get_height()
    return [top, left, h, w]


def _assert_artists_show(artists, frame):
    for p in range(2):
        for q in range(2):
            np.testing.assert_allclose(
                _rect(artists["rectangles"][p][q]), frame["rectangles"][p, q]
            )
            assert artists["areas"][p][q].get_text() == f"{frame['weights'][p, q]:.2f}"
            xdata, ydata = artists["corners"][p][q].get_data()
            assert (ydata[0], xdata[0]) == tuple(frame["corners"][p, q])
            assert artists["bars"][2 * p + q].get_height() == pytest.approx(
                frame["weights"][p, q]
            )
    xdata, ydata = artists["point"].get_data()
    assert (ydata[0], xdata[0]) == (frame["y"], frame["x"])
    assert artists["cell"].get_xy() == (frame["x0"], frame["y0"])
    assert artists["label"].get_text().endswith(f"= {frame['value']:.3f}")


def test_draw_bilinear_creates_then_updates_the_same_artists():
    fig, axes = ch02.bilinear_figure(IMAGE)
    first = interp2d.bilinear_frame(0.3, 0.6, IMAGE)
    artists = ch02.draw_bilinear(axes, first)
    _assert_artists_show(artists, first)
    n_patches, n_lines = len(axes[0].patches), len(axes[0].lines)
    ids = {k: id(v) for k, v in artists.items()}
    second = interp2d.bilinear_frame(1.75, 2.25, IMAGE)
    again = ch02.draw_bilinear(axes, second, artists)
    assert {k: id(v) for k, v in again.items()} == ids  # nothing re-plotted
    assert (len(axes[0].patches), len(axes[0].lines)) == (n_patches, n_lines)
    _assert_artists_show(again, second)
    plt.close(fig)


def test_draw_bilinear_colours_the_rectangle_opposite_each_corner():
    fig, axes = ch02.bilinear_figure(IMAGE)
    frame = interp2d.bilinear_frame(1.25, 0.5, IMAGE)
    artists = ch02.draw_bilinear(axes, frame)
    # the top-left corner (1, 0): its colour fills the rectangle from the point
    # to the bottom-right corner (2, 1)
    top_left = artists["rectangles"][0][0]
    assert _rect(top_left) == [1.25, 0.5, 0.75, 0.5]
    np.testing.assert_allclose(
        top_left.get_facecolor()[:3],
        plt.matplotlib.colors.to_rgb(ch02.CORNER_COLORS[0][0]),
    )
    assert artists["corners"][0][0].get_color() == ch02.CORNER_COLORS[0][0]
    plt.close(fig)


@pytest.mark.parametrize("n_frames", [2, 8, 30])
def test_bilinear_path_stays_inside_the_image(n_frames):
    path = ch02.bilinear_path(IMAGE.shape, n_frames)
    assert path.shape == (n_frames, 2)
    assert np.all(path >= 0)
    assert np.all(path[:, 0] <= 2) and np.all(path[:, 1] <= 3)
    if n_frames < 8:
        return
    # a long enough path visits cells in every row band and column band
    cells = {(int(min(y, 1)), int(min(x, 2))) for y, x in path}
    assert {r for r, _ in cells} == {0, 1} and {c for _, c in cells} == {0, 1, 2}


@pytest.mark.parametrize(("y", "x"), [(0.0, 0.0), (1.2, 2.9), (2.0, 3.0)])
def test_explorer_slider_updates_frame_artists_and_png(y, x):
    ex = ch02.make_bilinear_explorer(IMAGE, y=1.0, x=1.0)
    png_before = ex.view.value
    ex.y_slider.value = y
    ex.x_slider.value = x
    expected = interp2d.bilinear_frame(y, x, IMAGE)
    for key in ("y0", "y1", "x0", "x1", "value"):
        assert ex.frame[key] == pytest.approx(expected[key])
    np.testing.assert_allclose(ex.frame["weights"], expected["weights"])
    assert ex.frame["value"] == pytest.approx(float(interp2d.sample_2d(IMAGE, y, x)))
    _assert_artists_show(ex.artists, ex.frame)
    assert ex.view.value[:8] == b"\x89PNG\r\n\x1a\n"
    if (y, x) != (1.0, 1.0):
        assert ex.view.value != png_before


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"image": [[1.0, 2.0]]}, ValueError, r"`image` must be at least 2 x 2"),
        ({"image": IMAGE, "y": 5.0}, ValueError, r"`y` must lie in \[0, 2\]"),
        ({"image": IMAGE, "x": -1.0}, ValueError, r"`x` must lie in \[0, 3\]"),
        ({"image": "pixels"}, TypeError, r"`image` must be a numeric array"),
    ],
)
def test_make_bilinear_explorer_rejects_bad_inputs(kwargs, error, match):
    with pytest.raises(error, match=match):
        ch02.make_bilinear_explorer(**kwargs)
    plt.close("all")


@pytest.mark.parametrize(
    ("shape", "n_frames", "error", "match"),
    [
        ((3, 4), 1, ValueError, r"`n_frames` must be an integer >= 2; got 1"),
        ((3,), 8, ValueError, r"`shape` must be a tuple of 2 integers"),
        ((3, 4), 2.5, TypeError, r"`n_frames` must be an integer"),
    ],
)
def test_bilinear_path_rejects_bad_inputs(shape, n_frames, error, match):
    with pytest.raises(error, match=match):
        ch02.bilinear_path(shape, n_frames)


def test_live_widget_and_page_explorer_show_the_same_numbers():
    page = json.loads(explorers.ch02(IMAGE, y=1.2, x=2.3).data_json())
    img, y, x = np.array(page["image"]), page["y"], page["x"]
    r, c = int(np.floor(y)), int(np.floor(x))
    dy, dx = y - r, x - c
    by_hand = (
        (1 - dy) * (1 - dx) * img[r, c]
        + (1 - dy) * dx * img[r, c + 1]
        + dy * (1 - dx) * img[r + 1, c]
        + dy * dx * img[r + 1, c + 1]
    )
    live = ch02.make_bilinear_explorer(IMAGE, y=0.5, x=0.5)
    live.y_slider.value, live.x_slider.value = y, x
    np.testing.assert_array_equal(live.frame.image, img)
    assert live.frame.value == pytest.approx(by_hand, abs=1e-12)
    assert float(interp2d.sample_2d(IMAGE, y, x)) == pytest.approx(by_hand, abs=1e-12)


def test_draw_bilinear_artists_hold_hand_computed_values():
    fig, axes = ch02.bilinear_figure([[0.0, 10.0], [20.0, 30.0]])
    # (y, x) = (0.5, 0.25): weights (1 - dy)(1 - dx) = 0.375, (1 - dy) dx = 0.125, ...
    artists = ch02.draw_bilinear(
        axes, ch02.bilinear_frame(0.5, 0.25, [[0, 10], [20, 30]])
    )
    tl = artists["rectangles"][0][0]  # opposite the top-left corner: to (1, 1)
    assert tl.get_xy() == pytest.approx((0.25, 0.5))
    assert (tl.get_width(), tl.get_height()) == pytest.approx((0.75, 0.5))
    heights = [bar.get_height() for bar in artists["bars"]]
    np.testing.assert_allclose(heights, [0.375, 0.125, 0.375, 0.125], atol=1e-15)
    np.testing.assert_allclose(artists["point"].get_xydata(), [[0.25, 0.5]])
    assert artists["label"].get_text().endswith("= 12.500")  # 0.125*10 + 0.375*20 + ...
    plt.close(fig)
