"""Tests of lesson_utils.widgets.ch07, driven without a kernel."""

import base64
import json

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lesson_utils import explorers, stn
from lesson_utils.widgets import ch07

IMAGE = stn.make_pattern(16, seed=6)
# not zero at the border, so that every padding mode gives a different picture
RAMPED = 0.5 * IMAGE + 0.5 * np.linspace(0.0, 1.0, 16)[None, :]


def _assert_artists_show(artists, frame):
    step = ch07.POINT_STEP
    xdata, ydata = artists["points"].get_data()
    np.testing.assert_allclose(xdata, frame["x"][::step, ::step].ravel())
    np.testing.assert_allclose(ydata, frame["y"][::step, ::step].ravel())
    xdata, ydata = artists["outline"].get_data()
    np.testing.assert_allclose(np.c_[xdata, ydata], frame["outline"])
    xdata, ydata = artists["first"].get_data()
    assert (xdata[0], ydata[0]) == (frame["x"][0, 0], frame["y"][0, 0])
    np.testing.assert_array_equal(artists["output"].get_array(), frame["output"])
    assert f"{frame['theta'][0, 2]:+.2f}" in artists["label"].get_text()


def test_draw_affine_creates_then_updates_the_same_artists():
    fig, axes = ch07.affine_figure(IMAGE)
    first = ch07.affine_frame(IMAGE, np.eye(2, 3))
    artists = ch07.draw_affine(axes, first)
    _assert_artists_show(artists, first)
    counts = [(len(ax.lines), len(ax.images)) for ax in axes]
    ids = {k: id(v) for k, v in artists.items()}
    second = ch07.affine_frame(IMAGE, stn.affine_theta(rotation=40, scale=0.7, tx=0.3))
    again = ch07.draw_affine(axes, second, artists)
    assert {k: id(v) for k, v in again.items()} == ids  # nothing re-plotted
    assert [(len(ax.lines), len(ax.images)) for ax in axes] == counts
    _assert_artists_show(again, second)
    plt.close(fig)


def test_draw_affine_identity_outline_is_the_image_border():
    fig, axes = ch07.affine_figure(IMAGE)
    artists = ch07.draw_affine(axes, ch07.affine_frame(IMAGE, np.eye(2, 3)))
    xdata, ydata = artists["outline"].get_data()
    assert (min(xdata), max(xdata), min(ydata), max(ydata)) == (-0.5, 15.5, -0.5, 15.5)
    np.testing.assert_array_equal(artists["output"].get_array(), IMAGE)
    plt.close(fig)


@pytest.mark.parametrize(("n_steps", "n_frames"), [(150, 20), (10, 30), (1, 2)])
def test_fit_frames_start_and_end_and_increase(n_steps, n_frames):
    steps = ch07.fit_frames({"loss": np.zeros(n_steps + 1)}, n_frames)
    assert steps[0] == 0 and steps[-1] == n_steps
    assert np.all(np.diff(steps) > 0) and len(steps) <= n_frames


@pytest.mark.parametrize(
    ("control", "value"),
    [
        ("rotation", 45.0),
        ("scale", 0.5),
        ("tx", -0.4),
        ("ty", 0.8),
        ("padding", "border"),
    ],
)
def test_explorer_control_updates_frame_artists_and_png(control, value):
    ex = ch07.make_affine_explorer(RAMPED, rotation=10.0, scale=1.2, tx=0.1, ty=0.0)
    png_before = ex.view.value
    getattr(ex, control).value = value
    kwargs = {"rotation": 10.0, "scale": 1.2, "tx": 0.1, "ty": 0.0}
    padding = "zeros"
    if control == "padding":
        padding = value
    else:
        kwargs[control] = value
    theta = stn.affine_theta(**kwargs)
    np.testing.assert_allclose(ex.frame["theta"], theta)
    expected = stn.grid_sample(
        RAMPED, stn.affine_grid(theta, RAMPED.shape), padding_mode=padding
    )
    np.testing.assert_allclose(ex.frame["output"], expected)
    _assert_artists_show(ex.artists, ex.frame)
    assert ex.view.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert ex.view.value != png_before


def test_explorer_default_image_and_display_widget():
    ex = ch07.make_affine_explorer()
    np.testing.assert_array_equal(ex.image, stn.make_pattern(32, seed=6))
    assert ex.widget.children[1] is ex.view
    assert ex.padding.options == stn.PADDING_MODES


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"image": np.zeros((1, 3))}, ValueError, r"`image` must have at least 4"),
        ({"image": np.zeros(9)}, ValueError, r"`image` must be 2-D"),
        ({"padding_mode": "wrap"}, ValueError, r"`padding_mode` must be one of"),
        ({"scale": 0.0}, ValueError, r"`scale` must be a non-zero"),
        ({"align_corners": "yes"}, TypeError, r"`align_corners` must be True or False"),
    ],
)
def test_make_affine_explorer_rejects_bad_inputs(kwargs, error, match):
    with pytest.raises(error, match=match):
        ch07.make_affine_explorer(**kwargs)
    plt.close("all")


def test_fit_frames_rejects_bad_n_frames():
    with pytest.raises(ValueError, match=r"`n_frames` must be an integer >= 2; got 1"):
        ch07.fit_frames({"loss": np.zeros(5)}, 1)


def test_live_widget_and_page_explorer_show_the_same_numbers():
    pattern = stn.make_pattern(32, seed=6)
    page = json.loads(
        explorers.ch07(pattern, rotation=30.0, scale=0.8, tx=0.1).data_json()
    )
    packed = page["image"]
    img = np.frombuffer(base64.b64decode(packed["b64"]), "<f8").reshape(packed["shape"])
    theta = np.array(page["theta"])
    live = ch07.make_affine_explorer(pattern, rotation=30.0, scale=0.8, tx=0.1)
    np.testing.assert_allclose(live.frame.theta, theta, rtol=0, atol=1e-15)
    h, w = img.shape
    for i, j in [(0, 0), (5, 17), (16, 16), (31, 2)]:
        # half-pixel mapping, then bilinear with zeros outside (the page's rule)
        src = theta @ [(2 * j + 1) / w - 1, (2 * i + 1) / h - 1, 1.0]
        x, y = ((src[0] + 1) * w - 1) / 2, ((src[1] + 1) * h - 1) / 2
        x0, y0 = int(np.floor(x)), int(np.floor(y))
        total = 0.0
        for yy, wy in ((y0, y0 + 1 - y), (y0 + 1, y - y0)):
            for xx, wx in ((x0, x0 + 1 - x), (x0 + 1, x - x0)):
                if 0 <= yy < h and 0 <= xx < w:
                    total += wy * wx * img[yy, xx]
        assert live.frame.output[i, j] == pytest.approx(total, abs=1e-12)
