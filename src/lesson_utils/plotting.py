"""Shared drawing helpers: the book's plot style and offline animations.

Used by every chapter. Two rules hold throughout the book:

* raw cells are drawn with ``imshow(..., interpolation="nearest")`` so matplotlib does
  not smooth them a second time (Chapter 5 shows what happens otherwise);
* every live widget (a :class:`FigureExplorer` drawing a :class:`Frame`) has a
  *static twin* that plays in a browser with no kernel and no network: the chapter's
  in-page explorer (:mod:`lesson_utils.explorers`), or an animation made by
  :func:`animation_html`.
"""

from __future__ import annotations

import ast
import html
import inspect
import io
import re
import textwrap
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Generic, Self, TypeVar

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib import animation
from matplotlib.figure import Figure

__all__ = [
    "COLORS",
    "setup_style",
    "animation_html",
    "figure_png",
    "AnimationHTML",
    "Artists",
    "Frame",
    "FigureExplorer",
    "function_body",
    "show_body",
]

#: Colours used consistently across chapters (colour-blind safe, Okabe-Ito).
COLORS = {
    "sample": "#0072B2",  # known samples
    "point": "#D55E00",  # the sample point x and the interpolated value
    "left": "#009E73",  # first neighbour / weight w0
    "right": "#CC79A7",  # second neighbour / weight w1
    "grid": "#999999",
    "extra1": "#E69F00",
    "extra2": "#56B4E9",
}


# Buttons of matplotlib's JS animation use Font Awesome icons loaded from a CDN; the
# book must work offline, so the stylesheet is dropped and the icons become text.
def _icon(path: str) -> str:
    """A small inline SVG icon: renders with any fonts (no symbol font needed)."""
    return (
        '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" '
        'focusable="false" fill="currentColor">' + path + "</svg>"
    )


# The buttons of matplotlib's JS animation use Font Awesome icons from a CDN; the book
# works offline and on machines without symbol fonts, so the stylesheet is dropped and
# each icon becomes an inline SVG (each button keeps matplotlib's title as its name).
_ICONS = {
    "fa-minus": _icon('<rect x="2" y="7" width="12" height="2"/>'),
    "fa-fast-backward": _icon(
        '<rect x="1" y="2" width="2" height="12"/><path d="M9 2v12L3 8zM15 2v12L9 8z"/>'
    ),
    "fa-step-backward": _icon(
        '<rect x="2" y="2" width="2" height="12"/><path d="M14 2v12L5 8z"/>'
    ),
    "fa-play fa-flip-horizontal": _icon('<path d="M13 2v12L3 8z"/>'),
    "fa-pause": _icon(
        '<rect x="3" y="2" width="3.5" height="12"/>'
        '<rect x="9.5" y="2" width="3.5" height="12"/>'
    ),
    "fa-play": _icon('<path d="M3 2v12l10-6z"/>'),
    "fa-step-forward": _icon(
        '<path d="M2 2v12l9-6z"/><rect x="12" y="2" width="2" height="12"/>'
    ),
    "fa-fast-forward": _icon(
        '<path d="M1 2v12l6-6zM7 2v12l6-6z"/><rect x="13" y="2" width="2" height="12"/>'
    ),
    "fa-plus": _icon(
        '<rect x="2" y="7" width="12" height="2"/>'
        '<rect x="7" y="2" width="2" height="12"/>'
    ),
}


def setup_style() -> None:
    """Apply the book's plot style (call once in each chapter's setup cell)."""
    mpl.rcParams.update(
        {
            "figure.dpi": 80,
            "savefig.dpi": 80,
            "figure.figsize": (6.4, 3.2),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": False,
            "font.size": 10,
            "image.cmap": "viridis",
            "image.interpolation": "nearest",
            "animation.embed_limit": 40.0,
        }
    )


class AnimationHTML:
    """An animation's HTML, displayed by Jupyter and by the book's pages."""

    def __init__(self, html_text: str, n_frames: int) -> None:
        self.html = html_text
        self.n_frames = n_frames

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<AnimationHTML: {self.n_frames} frames, {len(self.html)} characters>"


def _offline(jshtml: str, alt: str) -> str:
    jshtml = re.sub(r"<link[^>]*font-awesome[^>]*>", "", jshtml)
    # longest class names first, so "fa-play fa-flip-horizontal" wins over "fa-play"
    for cls in sorted(_ICONS, key=len, reverse=True):
        jshtml = jshtml.replace(f'<i class="fa {cls}"></i>', _ICONS[cls])
    # the frame slider needs a name for screen readers
    jshtml = jshtml.replace(
        'class="anim-slider"', 'class="anim-slider" aria-label="Animation frame"'
    )
    return re.sub(
        r'<img id="(_anim_img[0-9a-f]+)">',
        lambda m: f'<img id="{m.group(1)}" alt="{html.escape(alt, quote=True)}">',
        jshtml,
    )


def animation_html(
    fig: Figure,
    update: Callable[[Any], Iterable[Any] | None],
    frames: Sequence[Any],
    *,
    alt: str,
    interval: int = 150,
) -> AnimationHTML:
    """Make an offline, steppable animation from a figure and an update function.

    Parameters
    ----------
    fig : matplotlib Figure
        The figure whose artists ``update`` changes. It is closed afterwards so the
        notebook does not show it a second time as a still image.
    update : callable
        ``update(frame)`` changes artists (``set_data``, ``set_height``...): the same
        draw function the chapter's live widget uses.
    frames : sequence
        One item per frame, passed to ``update``.
    alt : str
        Alternative text of the animation's image, for screen readers. Required.
    interval : int
        Milliseconds between frames when playing.

    Returns
    -------
    AnimationHTML
        Displayed as matplotlib's JavaScript player (play, pause, step, slider)
        with its CDN stylesheet removed and text icons on the buttons.
    """
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(f"`alt` must be a non-empty description; got {alt!r}")
    frames = list(frames)
    if not frames:
        raise ValueError("`frames` must contain at least one frame; got 0")
    anim = animation.FuncAnimation(
        fig, update, frames=frames, interval=interval, blit=False, repeat=True
    )
    try:
        text = anim.to_jshtml(default_mode="loop")
    finally:
        plt.close(fig)
    return AnimationHTML(_offline(text, alt), len(frames))


def figure_png(fig: Figure) -> bytes:
    """Render ``fig`` to PNG bytes (what a live widget shows after an update)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


Artists = dict[str, Any]
"""What a ``draw_*`` function returns and takes back: its matplotlib artists by name."""


@dataclass(frozen=True, eq=False)
class Frame:
    """Base of every widget's frame (layer 1): everything one picture needs.

    A chapter's frame is a small frozen dataclass deriving from this one; its
    fields are the numbers and arrays the drawing shows (including the input, so
    ``draw_*(ax, frame)`` needs nothing else). Fields read as attributes
    (``frame.value``) or, like the dictionaries of the chapter modules, by key
    (``frame["value"]``); ``dict(frame)`` gives the fields. It is not a
    :class:`~collections.abc.Mapping` (a field may be called ``values``). Frames
    compare by identity (they hold arrays).

    Examples
    --------
    >>> @dataclass(frozen=True, eq=False)
    ... class Dot(Frame):
    ...     x: float
    >>> f = Dot(x=0.5)
    >>> f.x, f["x"], list(f), Dot.coerce({"x": 1.0}).x
    (0.5, 0.5, ['x'], 1.0)
    """

    def __getitem__(self, key: str) -> Any:
        if key not in self._names():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def __contains__(self, key: object) -> bool:
        return key in self._names()

    def keys(self) -> tuple[str, ...]:
        """The field names (so ``dict(frame)`` works, as for a mapping)."""
        return self._names()

    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def _names(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self))

    @classmethod
    def coerce(cls, frame: Frame | Mapping[str, Any]) -> Self:
        """``frame`` itself if it is one, else built from a mapping of its fields."""
        if isinstance(frame, cls):
            return frame
        if not isinstance(frame, (Mapping, Frame)):
            raise TypeError(
                f"`frame` must be a {cls.__name__} or a mapping of its fields; "
                f"got {type(frame).__name__}"
            )
        return cls(**dict(frame))


F = TypeVar("F", bound=Frame)


#: What ``{attributes}`` becomes in a subclass docstring of :class:`FigureExplorer`.
_DOC_ATTRIBUTES = """Beyond those of :class:`~lesson_utils.plotting.FigureExplorer`:

    Attributes
    ----------"""


class FigureExplorer(ABC, Generic[F]):
    """Base of every chapter's live widget (layer 3): controls, a frame, a picture.

    A subclass (see CONTRIBUTING.md, "Widgets") does three things:

    * in ``__init__``, validates its inputs, creates its ``ipywidgets`` controls
      and calls ``super().__init__(fig, axes, controls, rows=...)``;
    * :meth:`compute_frame` reads the controls and returns the frame (layer 1);
    * :meth:`draw` calls the chapter's ``draw_*(axes, frame, artists)`` (layer 2).

    The base draws the first frame, shows the figure as a PNG in :attr:`view`,
    stacks the control rows above it in :attr:`widget`, and on any change of a
    control recomputes the frame, updates the artists in place and re-renders
    (:meth:`update`). Rendering to PNG works in any Jupyter (Lab, Notebook, Hub)
    without a matplotlib widget backend, and lets tests drive the widget with no
    kernel.

    Attributes
    ----------
    fig : matplotlib Figure
        The figure (closed for pyplot: it is shown only through :attr:`view`).
    axes : Axes or tuple of Axes
        What the chapter's ``draw_*`` function draws into.
    controls : dict
        The ``ipywidgets`` controls by name; set ``.value`` to drive the widget.
    frame : Frame
        The current frame.
    artists : dict
        The matplotlib artists being updated (what ``draw_*`` returned).
    view : ipywidgets.Image
        The rendered figure (PNG). The input data keep their own names (e.g.
        ``image``, ``values``): the picture is always ``view``.
    widget : ipywidgets.VBox
        What to display: the control rows, then :attr:`view`.
    last_update_seconds : float
        Time the last update took (frame computation, artist update, rendering).
    """

    fig: Figure
    axes: Any
    controls: dict[str, Any]
    frame: F
    artists: Artists
    view: Any
    widget: Any
    # seconds the last update took (documented under Attributes above)
    last_update_seconds: float = 0.0

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Head a subclass's own ``Attributes``: a docstring line ``{attributes}``.

        Every chapter's explorer documents only the attributes it adds; the line
        becomes the sentence saying so and the section's heading.
        """
        super().__init_subclass__(**kwargs)
        if cls.__doc__:
            cls.__doc__ = cls.__doc__.replace("{attributes}", _DOC_ATTRIBUTES)

    def __init__(
        self,
        fig: Figure,
        axes: Any,
        controls: dict[str, Any],
        rows: Sequence[Any] | None = None,
    ) -> None:
        import ipywidgets as widgets

        plt.close(fig)  # shown through self.view, not by the inline backend
        self.fig, self.axes, self.controls = fig, axes, dict(controls)
        self.frame = self.compute_frame()
        self.artists = self.draw(self.axes, self.frame, None)
        self.view = widgets.Image(value=figure_png(self.fig), format="png")
        if rows is None:
            rows = [widgets.HBox(list(self.controls.values()))]
        self.widget = widgets.VBox([*rows, self.view])
        for control in self.controls.values():
            control.observe(self._on_change, names="value")

    @abstractmethod
    def compute_frame(self) -> F:
        """The frame for the controls' current values (layer 1)."""

    @abstractmethod
    def draw(self, axes: Any, frame: F, artists: Artists | None) -> Artists:
        """Draw ``frame``: the chapter's ``draw_*(axes, frame, artists)``."""

    def update(self) -> None:
        """Recompute the frame, update the artists in place and re-render."""
        start = time.perf_counter()
        self.frame = self.compute_frame()
        self.artists = self.draw(self.axes, self.frame, self.artists)
        self.view.value = figure_png(self.fig)
        self.last_update_seconds = time.perf_counter() - start

    def _on_change(self, change: Mapping[str, Any]) -> None:
        self.update()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def function_body(func: Callable[..., Any]) -> str:
    """The source of ``func`` without its docstring: signature and code.

    The text chapters show under "how the package does it" (they never paste
    package code). Decorators and the ``def`` line are kept; the docstring, found
    with :mod:`ast` (not by splitting on quotes), is dropped.

    Examples
    --------
    >>> from lesson_utils import interp1d
    >>> text = function_body(interp1d.lerp)
    >>> text.splitlines()[0]
    'def lerp(v0: ArrayLike, v1: ArrayLike, t: ArrayLike) -> np.ndarray:'
    >>> "Linear interpolation between two values" in text, "return" in text
    (False, True)
    """
    if not callable(func):
        raise TypeError(f"`func` must be a function; got {type(func).__name__}")
    source = textwrap.dedent(inspect.getsource(func))
    tree = ast.parse(source)
    node = tree.body[0]
    lines = source.splitlines()
    if (
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
        and isinstance(node.body[0].value.value, str)
    ):
        doc = node.body[0]
        end = doc.end_lineno if doc.end_lineno is not None else doc.lineno
        lines = lines[: doc.lineno - 1] + lines[end:]
    return "\n".join(lines)


def show_body(func: Callable[..., Any]) -> None:
    """Print :func:`function_body` of ``func`` (what a chapter cell shows)."""
    print(function_body(func))
