"""Auto-checked exercises: one mechanism for every chapter.

Introduced in Chapter 1; every chapter's "Exercises" section uses it.

An exercise is three notebook cells:

1. a *stub* cell (tag ``exercise``) that the reader edits: ``answer_1 = ...``;
2. a *solution* cell (tags ``solution`` and ``hide-cell``): hidden on the site, removed
   from student copies; it overwrites the stub;
3. a *check* cell (tag ``check``): ``checks.check("ch01.ex1", answer_1)``.

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
        colour = "#1b7837" if self.correct else "#b35806"
        mark = "&#10004;" if self.correct else "&#10008;"
        return (
            f'<div class="exercise-feedback" style="border-left:4px solid {colour};'
            f'padding:0.3em 0.8em"><strong style="color:{colour}">{mark} '
            f"{html.escape(self.exercise_id)}</strong> {html.escape(self.message)}</div>"
        )


@dataclass(frozen=True)
class Hint:
    """A hint shown when an answer matches a common wrong answer.

    ``when`` is either a value (the wrong answer, compared with the exercise's
    tolerance) or a predicate ``when(answer) -> bool``.
    """

    when: Any
    message: str


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
        Tolerances for numeric answers.
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

    def expected_value(self) -> Any:
        return self.expected() if callable(self.expected) else self.expected

    def feedback(self, answer: Any) -> Feedback:
        """Check ``answer`` and explain the verdict."""
        if answer is Ellipsis or answer is None:
            return Feedback(
                self.exercise_id,
                False,
                "No answer yet: replace the `...` in the exercise cell with your answer.",
            )
        expected = self.expected_value()
        if _matches(answer, expected, self.rtol, self.atol):
            return Feedback(self.exercise_id, True, "Correct.")
        # a hint aimed at a common mistake beats a generic message (even when the
        # mistake has another shape, like averaging over the wrong axis)
        for hint in self.hints:
            if callable(hint.when):
                hit = bool(hint.when(answer))
            else:
                hit = _matches(answer, hint.when, self.rtol, self.atol)
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
        try:
            importlib.import_module(f"lesson_utils.answers.{chapter}")
        except ModuleNotFoundError as exc:
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
