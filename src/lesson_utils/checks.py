"""Auto-checked exercises: one mechanism for every chapter.

Introduced in Chapter 1; every chapter's "Exercises" section uses it.

An exercise is three notebook cells:

1. a *stub* cell (tag ``exercise``) that the reader edits: ``answer_1 = ...``;
2. a *solution* cell (tags ``solution`` and ``hide-input``): its code is collapsed on
   the site under the question, its output is the verdict of the solution
   (``checks.check(...).require()``); student copies drop it;
3. a *check* cell (tag ``check``): ``checks.check("ch01.ex1", answer_1)``, which checks
   the reader's own answer in Jupyter.

On the site the stub and the check cell are removed (tag ``remove-cell``): a reader
sees the question, the collapsed solution and its verdict.

The expected answers live in :mod:`lesson_utils.answers` (one module per chapter,
``answers/ch01.py`` ...), computed by code rather than typed, together with hints
for the wrong answers students commonly give.

Examples
--------
>>> ex = Exercise("demo.ex", expected=0.75, hints=[Hint(0.25, "Opposite distance!")])
>>> ex.feedback(0.75).correct
True
>>> print(ex.feedback(0.25).message)
Not yet. Hint: Opposite distance!
>>> print(ex.feedback(...).message)
No answer yet: replace the `...` in the exercise cell with your answer.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Feedback", "Hint", "Exercise", "register", "get", "check", "registered"]


@dataclass(frozen=True)
class Feedback:
    """The result of checking one answer: truthy when correct."""

    exercise_id: str
    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct

    def __repr__(self) -> str:
        mark = "correct" if self.correct else "not yet"
        return f"[{self.exercise_id}: {mark}] {self.message}"

    def _repr_html_(self) -> str:
        # The colour comes from a CSS variable, so the book's style sheet can give it
        # enough contrast in dark mode; the fallback is for a plain Jupyter.
        state = "correct" if self.correct else "not-yet"
        fallback = "#1b7837" if self.correct else "#a14a00"
        colour = f"var(--book-feedback, {fallback})"
        mark = "&#10004;" if self.correct else "&#10008;"
        return (
            f'<div class="exercise-feedback {state}" style="border-left:4px solid '
            f'{colour};padding:0.3em 0.8em"><strong style="color:{colour}">{mark} '
            f"{html.escape(self.exercise_id)}</strong> {html.escape(self.message)}</div>"
        )

    def require(self) -> Feedback:
        """Return this feedback if the answer is correct, else raise AssertionError.

        A solution cell ends with ``checks.check("ch01.ex1", answer_1).require()``:
        the book's site shows the verdict under the solution, and a wrong solution
        fails the notebook run.
        """
        if not self.correct:
            raise AssertionError(f"{self.exercise_id}: {self.message}")
        return self


@dataclass(frozen=True)
class Hint:
    """A hint shown when an answer matches a common wrong answer.

    ``when`` is either a value (the wrong answer, compared with the exercise's
    tolerance) or a predicate ``when(answer) -> bool``.
    """

    when: Any
    message: str


def _is_complex(value: Any) -> bool:
    """True for a complex number or an array of them (even with zero imaginary part)."""
    if isinstance(value, (complex, np.complexfloating)):
        return True
    if isinstance(value, (str, bytes, bool)):
        return False
    try:
        return bool(np.iscomplexobj(np.asarray(value)))
    except (TypeError, ValueError):
        return False


def _decimals_of(value: np.ndarray) -> int | None:
    """How many decimals the numbers of ``value`` were given with (None: all of them).

    ``0.484`` has 3, ``12.5`` has 1, ``1/3`` is not a rounded number (None). For an
    array, the largest count over its elements.
    """
    finite = value[np.isfinite(value)].ravel()
    most = 0
    for v in finite.tolist():
        for d in range(13):
            if round(v, d) == v:
                most = max(most, d)
                break
        else:
            return None
    return most


def _within(answer: np.ndarray, target: np.ndarray, half_unit: float) -> bool:
    """Every element of ``answer`` is ``target`` rounded to that unit (or closer)."""
    slack = half_unit * (1.0 + 1e-9) + 1e-12 * np.abs(target)
    return answer.shape == target.shape and bool(
        np.all(np.abs(answer - target) <= slack)
    )


def _as_comparable(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return value
    return arr


def _matches(answer: Any, target: Any, rtol: float, atol: float) -> bool:
    a, t = _as_comparable(answer), _as_comparable(target)
    if isinstance(t, np.ndarray) and isinstance(a, np.ndarray):
        return a.shape == t.shape and bool(np.allclose(a, t, rtol=rtol, atol=atol))
    if isinstance(t, np.ndarray) or isinstance(a, np.ndarray):
        return False
    return bool(a == t)


@dataclass(frozen=True)
class Exercise:
    """One auto-checked exercise.

    Parameters
    ----------
    exercise_id : str
        ``"chNN.exK"``.
    expected : value or callable
        The right answer (number, array, string or bool), or a function that computes
        it (so that answers come from code, never typed by hand).
    rtol, atol : float
        Tolerances for numeric answers (``np.allclose``): the default precision,
        when the exercise states none.
    decimals : int, optional
        The precision the question asks for, in decimals: an answer correctly
        rounded to ``decimals`` places (or given more precisely) is correct.
        ``decimals=3`` accepts 0.484 and 0.48438 for 0.484375.
    significant : int, optional
        The same in significant digits (for answers such as 8.1e-5); give at most
        one of ``decimals`` and ``significant``.
    hints : sequence of Hint
        Checked in order; the first that matches gives its message.
    default_hint : str
        Shown for a wrong answer that no hint matches.
    """

    exercise_id: str
    expected: Any
    rtol: float = 1e-6
    atol: float = 1e-9
    hints: Sequence[Hint] = field(default_factory=tuple)
    default_hint: str = "Go back over the section the exercise is about and retry."
    decimals: int | None = None
    significant: int | None = None

    def __post_init__(self) -> None:
        if self.decimals is not None and self.significant is not None:
            raise ValueError(
                "`decimals` and `significant` state the same precision two ways: "
                f"give one; got decimals={self.decimals!r}, "
                f"significant={self.significant!r}"
            )
        for name in ("decimals", "significant"):
            value = getattr(self, name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < 0
            ):
                raise ValueError(f"`{name}` must be an integer >= 0; got {value!r}")

    def expected_value(self) -> Any:
        return self.expected() if callable(self.expected) else self.expected

    def _half_unit(self, target: np.ndarray) -> float | None:
        """Half a unit of the last digit the exercise asks for (None: rtol/atol)."""
        if self.decimals is not None:
            return 0.5 * 10.0 ** (-self.decimals)
        if self.significant is not None:
            big = float(np.max(np.abs(target))) if target.size else 0.0
            if big == 0.0:
                return 0.5 * 10.0 ** (-self.significant)
            exponent = int(np.floor(np.log10(big)))
            return 0.5 * 10.0 ** (exponent - self.significant + 1)
        return None

    def _required_decimals(self, target: np.ndarray) -> int:
        """Decimals an answer needs to pass, from the stated or default precision."""
        half = self._half_unit(target)
        if half is None:  # np.allclose: |a - t| <= atol + rtol |t|
            big = float(np.max(np.abs(target))) if target.size else 0.0
            half = self.atol + self.rtol * big
        return max(0, int(np.ceil(-np.log10(2.0 * half) - 1e-9)))

    def _accepts(self, answer: Any, target: Any) -> bool:
        a, t = _as_comparable(answer), _as_comparable(target)
        half = self._half_unit(t) if isinstance(t, np.ndarray) else None
        if half is not None and isinstance(a, np.ndarray):
            return _within(a, t, half)
        return _matches(answer, target, self.rtol, self.atol)

    def _rounded(self, answer: Any, target: Any) -> int | None:
        """Decimals of ``answer`` if it is ``target`` correctly rounded, else None.

        Only numbers given with at least two significant digits count as a
        rounding (0.48 for 0.484375 does, 0 or 0.5 does not).
        """
        a, t = _as_comparable(answer), _as_comparable(target)
        if not (isinstance(a, np.ndarray) and isinstance(t, np.ndarray)):
            return None
        if a.shape != t.shape or not np.issubdtype(t.dtype, np.floating):
            return None
        d = _decimals_of(a)
        if d is None:
            return None
        big = float(np.max(np.abs(a))) if a.size else 0.0
        if big == 0.0 or d + int(np.floor(np.log10(big))) + 1 < 2:
            return None
        return d if _within(a, t, 0.5 * 10.0 ** (-d)) else None

    def feedback(self, answer: Any) -> Feedback:
        """Check ``answer`` and explain the verdict."""
        if answer is Ellipsis or answer is None:
            return Feedback(
                self.exercise_id,
                False,
                "No answer yet: replace the `...` in the exercise cell with your answer.",
            )
        if _is_complex(answer):
            return Feedback(
                self.exercise_id,
                False,
                "Not yet: your answer is a complex number, and this exercise asks "
                "for a real one. Find the step that made it complex (a square root "
                "or a power of a negative number, np.roots, np.fft) rather than "
                "dropping the imaginary part.",
            )
        expected = self.expected_value()
        if self._accepts(answer, expected):
            return Feedback(self.exercise_id, True, "Correct.")
        # an anticipated mistake met exactly (a half-integer answered with the
        # integer above it, say) is that mistake, not a coarse rounding
        for hint in self.hints:
            if not callable(hint.when) and self._accepts(answer, hint.when):
                return Feedback(
                    self.exercise_id, False, f"Not yet. Hint: {hint.message}"
                )
        given = self._rounded(answer, expected)
        if given is not None:
            needed = self._required_decimals(_as_comparable(expected))
            return Feedback(
                self.exercise_id,
                False,
                f"Right, but rounded to {given} decimal(s): this exercise checks "
                f"{needed} decimals. Give {needed - given} more digit(s), or the "
                "value exactly as your code computes it.",
            )
        # a hint aimed at a common mistake beats a generic message (even when the
        # mistake has another shape, like averaging over the wrong axis); a
        # correctly rounded wrong answer meets its hint too
        for hint in self.hints:
            if callable(hint.when):
                hit = bool(hint.when(answer))
            else:
                hit = self._accepts(answer, hint.when) or (
                    self._rounded(answer, hint.when) is not None
                )
            if hit:
                return Feedback(
                    self.exercise_id, False, f"Not yet. Hint: {hint.message}"
                )
        exp_c, ans_c = _as_comparable(expected), _as_comparable(answer)
        if isinstance(exp_c, np.ndarray) and not isinstance(ans_c, np.ndarray):
            return Feedback(
                self.exercise_id,
                False,
                f"Expected a number or an array of numbers; got {type(answer).__name__}.",
            )
        if (
            isinstance(exp_c, np.ndarray)
            and isinstance(ans_c, np.ndarray)
            and exp_c.shape != ans_c.shape
        ):
            return Feedback(
                self.exercise_id,
                False,
                f"Expected an answer of shape {exp_c.shape}; got shape {ans_c.shape}.",
            )
        return Feedback(self.exercise_id, False, f"Not yet. Hint: {self.default_hint}")


_REGISTRY: dict[str, Exercise] = {}


def register(exercise: Exercise) -> Exercise:
    """Add an exercise to the registry (called by the modules of ``answers``)."""
    if not isinstance(exercise, Exercise):
        raise TypeError(
            f"`exercise` must be an Exercise; got {type(exercise).__name__}"
        )
    _REGISTRY[exercise.exercise_id] = exercise
    return exercise


def get(exercise_id: str) -> Exercise:
    """Return the exercise ``"chNN.exK"``, importing its chapter's answer key."""
    if not isinstance(exercise_id, str) or "." not in exercise_id:
        raise ValueError(
            "`exercise_id` must look like 'ch01.ex1' (chapter, dot, exercise); "
            f"got {exercise_id!r}"
        )
    if exercise_id not in _REGISTRY:
        chapter = exercise_id.split(".", 1)[0]
        module = f"lesson_utils.answers.{chapter}"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                # the answer key exists but imports something missing: say so
                raise
            raise ValueError(
                f"`exercise_id` names an unknown chapter {chapter!r}; "
                f"known exercises: {', '.join(registered()) or 'none'}"
            ) from exc
    if exercise_id not in _REGISTRY:
        raise ValueError(
            f"`exercise_id` must be one of {', '.join(registered())}; "
            f"got {exercise_id!r}"
        )
    return _REGISTRY[exercise_id]


def registered() -> list[str]:
    """Ids of the exercises registered so far (chapters already imported)."""
    return sorted(_REGISTRY)


def check(exercise_id: str, answer: Any) -> Feedback:
    """Check a reader's answer to an exercise and return the feedback.

    In a notebook the returned :class:`Feedback` displays itself as a coloured
    line: a tick with "Correct." or a cross with a hint.
    """
    return get(exercise_id).feedback(answer)


def predicate(fn: Callable[[Any], object]) -> Callable[[Any], bool]:
    """Wrap ``fn`` so that an answer it cannot handle counts as no match."""

    def safe(answer: Any) -> bool:
        try:
            return bool(fn(answer))
        except (TypeError, ValueError, IndexError):
            return False

    return safe
