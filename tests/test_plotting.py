"""Tests of lesson_utils.plotting: offline animations and PNG rendering."""

from __future__ import annotations

import matplotlib.pyplot as plt
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


def test_figure_explorer_renders_and_times_updates() -> None:
    import time

    class Dot(plotting.FigureExplorer):
        def __init__(self) -> None:
            self.fig, ax = plt.subplots(figsize=(1, 1))
            (self.dot,) = ax.plot([0], [0], "o")
            self.view = self._png_view()
            self.widget = self.view

    ex = Dot()
    first = ex.view.value
    assert first[:4] == b"\x89PNG" and ex.last_update_seconds == 0.0
    start = time.perf_counter()
    ex.dot.set_data([1], [1])
    ex._show(ex.view, start)
    assert ex.view.value != first and ex.last_update_seconds > 0.0
    plt.close(ex.fig)
