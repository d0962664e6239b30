"""Tests of lesson_utils.widgets.ch05, driven without a kernel."""

import json

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from lesson_utils import explorers, heatmaps
from lesson_utils.widgets import ch05

CAM = heatmaps.gaussian_field((7, 7), [[0.35, 0.3], [0.7, 0.65]], [0.08, 0.12])
SHAPE = (56, 56)
TRUTH = heatmaps.gaussian_field(SHAPE, [[0.35, 0.3], [0.7, 0.65]], [0.08, 0.12])


def _assert_artists_show(artists, frame):
    np.testing.assert_array_equal(artists["image"].get_array(), frame["rgb"])
    assert list(artists["row_line"].get_ydata()) == [frame["row"], frame["row"]]
    np.testing.assert_array_equal(artists["profile"].get_ydata(), frame["profile"])
    np.testing.assert_allclose(
        artists["lightness"].get_ydata(), frame["lightness"] / 100.0
    )
    if frame["truth_profile"] is not None:
        np.testing.assert_array_equal(
            artists["truth"].get_ydata(), frame["truth_profile"]
        )
    assert frame["method"] in artists["label"].get_text()


@pytest.mark.parametrize("settings", ch05.twin_settings())
def test_draw_upsample_creates_then_updates_the_same_artists(settings):
    fig, axes = ch05.upsample_figure()
    first = ch05.upsample_frame(CAM, SHAPE, truth=TRUTH)
    artists = ch05.draw_upsample(axes, first)
    _assert_artists_show(artists, first)
    counts = (len(axes[0].images), len(axes[0].lines), len(axes[1].lines))
    ids = {k: id(v) for k, v in artists.items()}
    second = ch05.upsample_frame(CAM, SHAPE, truth=TRUTH, row=10, **settings)
    again = ch05.draw_upsample(axes, second, artists)
    assert {k: id(v) for k, v in again.items()} == ids  # nothing re-plotted
    assert (len(axes[0].images), len(axes[0].lines), len(axes[1].lines)) == counts
    _assert_artists_show(again, second)
    assert artists["image"].get_interpolation() == "nearest"
    plt.close(fig)


def test_twin_settings_cover_every_control_value():
    settings = ch05.twin_settings()
    assert len(settings) <= 40
    assert {s["method"] for s in settings} == set(heatmaps.METHODS)
    assert {s.get("cmap", "viridis") for s in settings} == set(ch05.CMAPS)
    assert {s.get("normalization", "after") for s in settings} == {"after", "before"}
    assert {s.get("clamp", True) for s in settings} == {False, True}
    assert {s.get("align_corners", False) for s in settings} == {False, True}


def test_explorer_controls_change_frame_and_artists():
    ex = ch05.make_upsample_explorer(CAM, SHAPE, truth=TRUTH)
    assert ex.frame["row"] == heatmaps.peak_position(TRUTH)[0]
    png = ex.view.value
    ex.method.value = "bicubic"
    ex.clamp.value = False
    assert ex.frame["method"] == "bicubic" and ex.frame["raw_min"] < 0.0
    # the frame composes the pipeline: raw bicubic upsampling, no clip, then min-max
    raw = heatmaps.upsample(CAM, SHAPE, method="bicubic")
    assert ex.frame["raw_min"] == pytest.approx(raw.min(), abs=1e-12)
    expected = (raw - raw.min()) / (raw.max() - raw.min())
    np.testing.assert_allclose(ex.frame["heat"], expected, rtol=0, atol=1e-12)
    _assert_artists_show(ex.artists, ex.frame)
    ex.mapping.value = True
    assert ex.frame["align_corners"] is True
    ex.normalization.value = "before"
    ex.cmap.value = "jet"
    # matplotlib's own lookup, not the package's: entry min(floor(v N), N - 1)
    jet = matplotlib.colormaps["jet"]
    index = np.minimum(np.floor(ex.frame["heat"] * jet.N), jet.N - 1).astype(int)
    np.testing.assert_allclose(
        ex.artists["image"].get_array(), jet(index)[..., :3], rtol=0, atol=1e-12
    )
    ex.slider.value = 5
    assert ex.frame["row"] == 5
    np.testing.assert_array_equal(
        ex.artists["profile"].get_ydata(), ex.frame["heat"][5]
    )
    assert ex.view.value != png  # the PNG was re-rendered


def test_live_widget_and_page_explorer_show_the_same_numbers():
    page = json.loads(
        explorers.ch05(
            CAM, SHAPE, truth=TRUTH, method="bicubic", clamp=False, cmap="magma"
        ).data_json()
    )
    live = ch05.make_upsample_explorer(CAM, SHAPE, truth=TRUTH)
    live.method.value, live.clamp.value, live.cmap.value = "bicubic", False, "magma"
    assert live.frame.row == page["row"]  # both start on the truth's peak row
    # the page's heat: its cam upsampled, then min-max normalised (no clip)
    raw = heatmaps.upsample(
        np.array(page["cam"]), tuple(page["output_shape"]), method="bicubic"
    )
    heat = (raw - raw.min()) / (raw.max() - raw.min())
    np.testing.assert_allclose(live.frame.heat, heat, rtol=0, atol=1e-12)
    # the page's colours: its lookup table at entry min(floor(v N), N - 1)
    lut = page["luts"]["magma"]["colors"]
    index = np.minimum(np.floor(heat[page["row"]] * len(lut)), len(lut) - 1)
    shown = [
        "#" + "".join(f"{round(c * 255):02x}" for c in rgb)
        for rgb in live.frame.rgb[page["row"]]
    ]
    assert shown == [lut[int(k)] for k in index]


def test_draw_upsample_artists_hold_hand_computed_values():
    fig, axes = ch05.upsample_figure()
    # nearest 2x2 -> 8x8: the top-right quadrant is the only 1, shown as viridis's
    # last colour #fde725 (253, 231, 37)
    frame = ch05.upsample_frame(
        [[0.0, 1.0], [0.0, 0.0]], (8, 8), method="nearest", row=1
    )
    artists = ch05.draw_upsample(axes, frame)
    rgb = artists["image"].get_array()
    np.testing.assert_allclose(rgb[0, 7], np.array([253, 231, 37]) / 255, atol=3e-3)
    np.testing.assert_allclose(rgb[7, 0], np.array([68, 1, 84]) / 255, atol=3e-3)
    np.testing.assert_allclose(artists["profile"].get_ydata(), [0] * 4 + [1] * 4)
    np.testing.assert_allclose(artists["row_line"].get_ydata(), [1, 1])
    plt.close(fig)
