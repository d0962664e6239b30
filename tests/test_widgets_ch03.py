"""Chapter 3 widget, tested without a kernel: set controls, check frame and artists."""

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lesson_utils import explorers, resize
from lesson_utils.widgets import ch03


@pytest.fixture
def explorer():
    ex = ch03.make_grid_explorer(4, 6, mapping="half_pixel", method="bilinear")
    yield ex
    plt.close(ex.fig)


def _arrow_tops(artists) -> np.ndarray:
    return np.array([seg[1][0] for seg in artists["arrows"].get_segments()])


@pytest.mark.parametrize("mapping", resize.MAPPINGS)
@pytest.mark.parametrize("method", resize.METHODS)
def test_make_grid_explorer_updates_frame_and_artists(explorer, mapping, method):
    explorer.mapping.value = mapping
    explorer.method.value = method
    explorer.slider.value = 4
    frame = explorer.frame
    want = resize.grid_frame(4, 6, mapping=mapping, method=method, output=4)
    assert frame["output"] == 4 and frame["mapping"] == mapping
    np.testing.assert_array_equal(frame["indices"], want["indices"])
    art = explorer.artists
    # arrows end at the source coordinates; the chosen one at output 4's
    np.testing.assert_allclose(_arrow_tops(art), want["x"])
    np.testing.assert_allclose(
        art["chosen"].get_xdata(), [want["out_centres"][4], want["x"][4]]
    )
    np.testing.assert_allclose(art["weights"].get_array()[0], want["row"])
    shown = [t.get_text() for t in art["texts"] if t.get_visible()]
    assert shown == [f"{w:.2f}" for w in want["row"][want["row"] != 0]]
    assert f"out[4] at x = {want['x'][4]:.2f}" in art["title"].get_text()


def test_make_grid_explorer_sizes_change_data_not_artists(explorer):
    before = dict(explorer.artists)
    n_children = len(explorer.axes.get_children())
    png = explorer.view.value
    explorer.slider.value = 5
    explorer.n_out.value = 3  # the chosen output (5) no longer exists: clamped to 2
    assert explorer.slider.max == 2 and explorer.slider.value == 2
    assert explorer.frame["output"] == 2
    explorer.n_in.value = 9
    assert len(explorer.artists["arrows"].get_segments()) == 3
    assert len(explorer.artists["in_samples"].get_xdata()) == 9
    assert explorer.artists["weights"].get_extent()[:2] == [-0.5, 8.5]
    assert all(explorer.artists[k] is before[k] for k in before)
    assert len(explorer.axes.get_children()) == n_children
    assert explorer.view.value != png and explorer.view.value[:4] == b"\x89PNG"
    explorer.n_out.value = 12
    assert explorer.slider.max == 11 and explorer.slider.value == 2


def test_make_grid_explorer_shows_the_misregistration(explorer):
    # 224 -> 7 is too big for the sliders' default range, so use 16 -> 4
    explorer.n_in.value = 16
    explorer.n_out.value = 4
    explorer.method.value = "nearest"
    explorer.mapping.value = "top_left"
    assert explorer.frame["indices"].ravel().tolist() == [0, 4, 8, 12]  # torch nearest
    np.testing.assert_allclose(explorer.frame["shift"], -1.5)
    explorer.mapping.value = "half_pixel"
    assert explorer.frame["indices"].ravel().tolist() == [2, 6, 10, 14]
    np.testing.assert_allclose(explorer.frame["shift"], 0.0)


def test_draw_grids_creates_artists_once():
    fig, (ax,) = ch03.grids_figure()
    artists = ch03.draw_grids(ax, resize.grid_frame(3, 5))
    n_children = len(ax.get_children())
    again = ch03.draw_grids(ax, resize.grid_frame(7, 2, mapping="top_left"), artists)
    assert again is artists and len(ax.get_children()) == n_children
    np.testing.assert_allclose(ax.get_xlim(), (-0.8, 6.8))
    plt.close(fig)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_in": 0}, ValueError, r"`n_in` must be an integer >= 1; got 0"),
        ({"n_out": 2.5}, TypeError, r"`n_out` must be an integer >= 1; got 2.5"),
        ({"mapping": "corner"}, ValueError, r"`mapping` must be one of 'half_pixel'"),
        ({"method": "cubic"}, ValueError, r"`method` must be one of 'nearest'"),
    ],
)
def test_make_grid_explorer_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        ch03.make_grid_explorer(**kwargs)


@pytest.mark.parametrize("mapping", ["half_pixel", "align_corners"])
def test_live_widget_and_page_explorer_show_the_same_numbers(mapping):
    page = json.loads(
        explorers.ch03(6, 4, mapping=mapping, output=2, play_sizes=None).data_json()
    )
    n_in, n_out, i = page["n_in"], page["n_out"], page["output"]
    if mapping == "half_pixel":  # centre of output cell i, in input pixels
        by_hand = (i + 0.5) * n_in / n_out - 0.5
    else:
        by_hand = i * (n_in - 1) / (n_out - 1)
    live = ch03.make_grid_explorer(
        n_in, n_out, mapping=page["mapping"], method=page["method"], output=i
    )
    assert live.frame.x[i] == pytest.approx(by_hand, abs=1e-12)
    lo = int(np.floor(by_hand))  # bilinear: the two neighbours share the weight
    np.testing.assert_allclose(
        live.frame.row[lo : lo + 2], [lo + 1 - by_hand, by_hand - lo], atol=1e-12
    )
    frame = resize.grid_frame(n_in, n_out, mapping=mapping, output=i)
    np.testing.assert_allclose(frame["row"], live.frame.row, rtol=0, atol=0)


def test_draw_grids_artists_hold_hand_computed_values():
    fig, (ax,) = ch03.grids_figure()
    # 4 -> 2, half-pixel: x_i = (i + 0.5) * 2 - 0.5 = 0.5, 2.5; output 1 reads 2 and 3
    artists = ch03.draw_grids(
        ax, ch03.grid_frame(4, 2, mapping="half_pixel", method="bilinear", output=1)
    )
    np.testing.assert_allclose(artists["weights"].get_array(), [[0, 0, 0.5, 0.5]])
    np.testing.assert_allclose(artists["heads"].get_xdata(), [0.5, 2.5])
    plt.close(fig)
