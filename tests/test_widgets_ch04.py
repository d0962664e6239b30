"""Chapter 4 widget, tested without a kernel: set sliders, check frame and artists."""

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lesson_utils import explorers, interp1d, kernels
from lesson_utils.widgets import ch04


@pytest.fixture
def explorer():
    ex = ch04.make_keys_explorer(ch04.STEP, x=3.5, a=-0.5)
    yield ex
    plt.close(ex.fig)


@pytest.mark.parametrize(
    ("x", "a"), [(0.0, -0.5), (2.3, -0.75), (4.5, -1.25), (7.0, -0.5)]
)
def test_make_keys_explorer_updates_frame_and_artists(explorer, x, a):
    explorer.a_slider.value = a
    explorer.slider.value = x
    frame = explorer.frame
    assert frame["x"] == pytest.approx(x) and frame["a"] == pytest.approx(a)
    expected = interp1d.sample_1d(ch04.STEP, [x], method="cubic", a=a)[0]
    assert frame["value"] == pytest.approx(expected, abs=1e-12)
    art = explorer.artists
    # point, stems, dots and the interpolant show the new frame
    np.testing.assert_allclose(art["point"].get_data(), [[x], [frame["value"]]])
    heights = [stem.get_ydata()[1] for stem in art["stems"]]
    np.testing.assert_allclose(heights, frame["weights"])
    np.testing.assert_allclose(art["dots"].get_offsets()[:, 1], frame["weights"])
    np.testing.assert_allclose(art["dots"].get_offsets()[:, 0], frame["indices"])
    np.testing.assert_allclose(art["curve"].get_ydata(), frame["curve"])
    np.testing.assert_allclose(
        art["kernel"].get_ydata(), kernels.keys_cubic(frame["kernel_t"], a)
    )
    assert f"a = {a:+.2f}" in art["label"].get_text()


def test_make_keys_explorer_changes_artists_not_figure(explorer):
    axes_children = [len(ax.get_children()) for ax in explorer.axes]
    artists_before = dict(explorer.artists)
    png_before = explorer.view.value
    explorer.slider.value = 5.2
    explorer.a_slider.value = -1.0
    assert [len(ax.get_children()) for ax in explorer.axes] == axes_children
    assert all(explorer.artists[k] is artists_before[k] for k in artists_before)
    assert explorer.view.value != png_before
    assert explorer.view.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_make_keys_explorer_overshoot_grows_with_minus_a(explorer):
    # on a step, the undershoot is 4a/27 (kernel minimum on [1, 2] at s = 4/3)
    mins = []
    for a in (-0.25, -0.5, -0.75, -1.0):
        explorer.a_slider.value = a
        mins.append(explorer.frame["curve_min"])
    assert mins == sorted(mins, reverse=True)
    explorer.a_slider.value = 0.0
    assert explorer.frame["curve_min"] == pytest.approx(0.0, abs=1e-12)


def test_keys_frames_static_twin_pairs():
    pairs = ch04.keys_frames(ch04.STEP, n_move=20, n_vary=16)
    assert len(pairs) == 36
    assert pairs[0] == (1.0, -0.5) and pairs[19] == (6.0, -0.5)
    assert {x for x, _ in pairs[20:]} == {4.5}
    assert min(a for _, a in pairs) == -1.5 and pairs[-1][1] == 0.0


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"x": 9.0}, ValueError, r"`x` must lie in \[0, 7\]"),
        ({"a": np.nan}, ValueError, "`a` must be a finite real number"),
        ({"values": [1.0]}, ValueError, "`values` must have at least 2"),
    ],
)
def test_make_keys_explorer_errors(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        ch04.make_keys_explorer(**kwargs)


def test_keys_frames_errors():
    with pytest.raises(ValueError, match="`n_vary` must be an integer >= 2"):
        ch04.keys_frames(ch04.STEP, n_vary=1)


def _keys_by_hand(t, a):
    t = abs(t)
    if t <= 1:
        return (a + 2) * t**3 - (a + 3) * t**2 + 1
    if t < 2:
        return a * t**3 - 5 * a * t**2 + 8 * a * t - 4 * a
    return 0.0


def test_live_widget_and_page_explorer_show_the_same_numbers():
    page = json.loads(explorers.ch04(ch04.STEP, x=3.3, a=-0.75).data_json())
    v, x, a = np.array(page["values"]), page["x"], page["a"]
    taps = np.arange(int(np.floor(x)) - 1, int(np.floor(x)) + 3)
    w = np.array([_keys_by_hand(x - k, a) for k in taps])
    by_hand = float(np.sum(w * v[np.clip(taps, 0, v.size - 1)]))
    live = ch04.make_keys_explorer(ch04.STEP, x=1.0, a=-0.5)
    live.slider.value, live.a_slider.value = x, a
    assert live.frame.indices == taps.tolist()
    np.testing.assert_allclose(live.frame.weights, w, rtol=0, atol=1e-12)
    assert live.frame.value == pytest.approx(by_hand, abs=1e-12)
    sampled = interp1d.sample_1d(ch04.STEP, x, method="cubic", a=a)
    assert float(sampled) == pytest.approx(by_hand, abs=1e-12)


def test_draw_keys_artists_hold_hand_computed_values():
    values = [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]
    fig, axes = ch04.keys_figure(values)
    # x = 2.5, a = -0.5: k(1.5) = -0.0625, k(0.5) = 0.5625; value 0.5625 + 0.5625 - 0.0625
    artists = ch04.draw_keys(axes, ch04.keys_frame(2.5, values, -0.5))
    np.testing.assert_allclose(
        artists["dots"].get_offsets()[:, 1], [-0.0625, 0.5625, 0.5625, -0.0625]
    )
    np.testing.assert_allclose(artists["point"].get_xydata(), [[2.5, 0.5]])
    plt.close(fig)
