"""Tests of lesson_utils.plotting: offline animations and PNG rendering."""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lesson_utils import plotting


def _animation(alt: str = "a dot moving right") -> plotting.AnimationHTML:
    fig, ax = plt.subplots(figsize=(2, 1))
    (dot,) = ax.plot([0], [0], "o")
    ax.set_xlim(0, 3)
    return plotting.animation_html(
        fig, lambda x: dot.set_data([x], [0]), [0, 1, 2], alt=alt
    )


def test_animation_html_is_offline_and_has_alt_text() -> None:
    anim = _animation()
    text = anim._repr_html_()
    assert anim.n_frames == 3
    assert "font-awesome" not in text and "http" not in text.split("<script")[0]
    assert 'alt="a dot moving right"' in text
    assert 'title="Next frame"' in text
    assert '<i class="fa' not in text


def test_animation_html_escapes_alt_text() -> None:
    assert 'alt="x &lt; 2 &amp; &quot;y&quot;"' in _animation('x < 2 & "y"').html


@pytest.mark.parametrize("alt", ["", "   ", None])
def test_animation_html_requires_alt(alt) -> None:
    fig = plt.figure()
    with pytest.raises(ValueError, match="`alt` must be a non-empty description"):
        plotting.animation_html(fig, lambda f: None, [0, 1], alt=alt)
    plt.close(fig)


def test_animation_html_requires_frames() -> None:
    fig = plt.figure()
    with pytest.raises(ValueError, match="`frames` must contain at least one frame"):
        plotting.animation_html(fig, lambda f: None, [], alt="nothing")
    plt.close(fig)


def test_figure_png_returns_png_bytes() -> None:
    fig, ax = plt.subplots(figsize=(1, 1))
    data = plotting.figure_png(fig)
    plt.close(fig)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True, eq=False)
class _DotFrame(plotting.Frame):
    x: float
    y: float


def _draw_dot(ax, frame: _DotFrame, artists=None):
    if artists is None:
        return {"dot": ax.plot([frame.x], [frame.y], "o")[0]}
    artists["dot"].set_data([frame.x], [frame.y])
    return artists


class _DotExplorer(plotting.FigureExplorer[_DotFrame]):
    def __init__(self) -> None:
        import ipywidgets as widgets

        fig, ax = plt.subplots(figsize=(1, 1))
        ax.set_xlim(-1, 1)
        slider = widgets.FloatSlider(value=0.0, min=-1.0, max=1.0)
        super().__init__(fig, ax, {"x": slider})

    def compute_frame(self) -> _DotFrame:
        return _DotFrame(x=self.controls["x"].value, y=0.25)

    def draw(self, axes, frame, artists):
        return _draw_dot(axes, frame, artists)


def test_frame_reads_by_attribute_and_key_and_is_frozen() -> None:
    f = _DotFrame(x=1.0, y=2.0)
    assert (f.x, f["y"], list(f), len(f), dict(f)) == (
        1.0,
        2.0,
        ["x", "y"],
        2,
        {"x": 1.0, "y": 2.0},
    )
    with pytest.raises(KeyError, match="z"):
        f["z"]
    with pytest.raises(AttributeError):
        f.x = 3.0  # type: ignore[misc]
    assert _DotFrame.coerce({"x": 0.0, "y": 1.0}).y == 1.0
    assert _DotFrame.coerce(f) is f
    with pytest.raises(TypeError, match="`frame` must be a _DotFrame"):
        _DotFrame.coerce([1.0, 2.0])


def test_figure_explorer_draws_first_frame_and_updates_in_place() -> None:
    ex = _DotExplorer()
    first = ex.view.value
    dot = ex.artists["dot"]
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and ex.last_update_seconds == 0.0
    assert ex.widget.children[-1] is ex.view  # controls above, picture below
    ex.controls["x"].value = 0.5  # the base observes every control
    assert ex.frame.x == 0.5 and ex.artists["dot"] is dot
    np.testing.assert_allclose(dot.get_xdata(), [0.5])
    assert ex.view.value != first and ex.last_update_seconds > 0.0
    assert plt.fignum_exists(ex.fig.number) is False  # shown only through view


def test_figure_explorer_needs_both_layers() -> None:
    class Half(plotting.FigureExplorer[_DotFrame]):
        def compute_frame(self) -> _DotFrame:
            return _DotFrame(x=0.0, y=0.0)

    with pytest.raises(TypeError, match="abstract"):
        Half(*plt.subplots(), {})  # type: ignore[abstract]
    plt.close("all")
