"""What every chapter's widget module shares: the drawing contract and the controls.

The frame and explorer base classes are :class:`lesson_utils.plotting.Frame` and
:class:`lesson_utils.plotting.FigureExplorer`; this module holds the widget layer's
own pieces: :class:`Draw`, the one signature of every ``draw_*`` function (layer 2,
so that mypy checks each chapter's against it), and :func:`position_slider`, the
slider that moves a sample position over the samples.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, TypeVar

from .._validate import check_positive_int
from ..plotting import Artists, Frame

__all__ = ["Draw", "position_slider"]

F_contra = TypeVar("F_contra", bound=Frame, contravariant=True)


class Draw(Protocol[F_contra]):
    """Layer 2 of a chapter's widget: ``draw_x(ax, frame, artists=None) -> Artists``.

    ``ax`` is what the chapter's ``x_figure(...)`` returned (one Axes or a
    tuple), ``frame`` the chapter's frame or a mapping of its fields (coerced with
    ``XFrame.coerce``). The first call, with ``artists=None``, creates the
    artists and returns them by name. A later call takes that dictionary back,
    only changes the data of its artists (positions, heights, colours, texts,
    limits: nothing is re-plotted) and returns the same dictionary, so a live
    widget updates at the cost of a re-render.

    Examples
    --------
    >>> import inspect
    >>> from lesson_utils.widgets import ch01
    >>> draw: Draw[ch01.LinearFrame] = ch01.draw_linear  # what mypy checks
    >>> list(inspect.signature(draw).parameters)
    ['ax', 'frame', 'artists']
    """

    def __call__(
        self,
        ax: Any,
        frame: F_contra | Mapping[str, Any],
        artists: Artists | None = None,
    ) -> Artists: ...


def position_slider(value: float, n: int, description: str) -> Any:
    """A slider for a position between the first and the last of ``n`` samples.

    An ``ipywidgets.FloatSlider`` from 0 to ``n - 1`` in steps of 0.01 that
    updates while it is dragged (the live widgets of Chapters 1, 2 and 4).

    Examples
    --------
    >>> s = position_slider(1.5, 4, "x")
    >>> s.value, s.min, s.max, s.step, s.description
    (1.5, 0.0, 3.0, 0.01, 'x')
    """
    import ipywidgets as widgets

    n = check_positive_int(n, "n", minimum=2)
    return widgets.FloatSlider(
        value=value,
        min=0.0,
        max=float(n - 1),
        step=0.01,
        description=description,
        continuous_update=True,
    )
