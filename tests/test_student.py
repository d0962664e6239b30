"""Student copies and the exercises of every chapter (the classroom kit)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pytest

from lesson_utils import checks, student

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb"))


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _exercise_ids() -> list[str]:
    ids = []
    for path in CHAPTERS:
        ids += [ex["id"] for ex in student.exercises(_read(path))]
    return ids


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_exercise_has_stub_solution_and_check(path: Path) -> None:
    found = student.exercises(_read(path))
    assert len(found) >= 3
    for ex in found:
        assert ex["id"] is not None, (
            "a check cell must call checks.check('chNN.exK', ...)"
        )
        assert ex["stub"] is not None and ex["solution"] is not None, ex
        assert ex["stub"] < ex["solution"] < ex["check"], ex
    assert len({ex["id"] for ex in found}) == len(found), "exercise ids repeat"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_student_copy_has_no_solution_but_keeps_stubs_and_checks(path: Path) -> None:
    nb = _read(path)
    solutions = {c.source for c in nb.cells if "solution" in c.metadata.get("tags", [])}
    copy = student.student_copy(nb)
    sources = [c.source for c in copy.cells]
    assert not solutions & set(sources)
    assert len(copy.cells) == len(nb.cells) - len(solutions)
    for ex in student.exercises(copy):
        assert ex["solution"] is None and ex["stub"] is not None
        assert "..." in copy.cells[ex["stub"]].source
    assert len(nb.cells) > len(copy.cells)  # the original is untouched


@pytest.mark.parametrize("exercise_id", _exercise_ids())
def test_expected_answer_passes_and_hinted_wrong_answers_fail(exercise_id: str) -> None:
    ex = checks.get(exercise_id)
    target = np.asarray(ex.expected_value())
    assert checks.check(exercise_id, ex.expected_value()).correct
    # the checker discriminates: one step beyond its tolerance is refused (three
    # half-units of the precision the exercise declares, else ten tolerances)
    half = ex._half_unit(target.astype(float)) if target.dtype.kind in "fiu" else None
    if np.issubdtype(target.dtype, np.integer):
        step = np.ones_like(target)
    elif half is not None:
        step = np.full(target.shape, 3.0 * half)
    else:
        step = np.full(target.shape, 10.0 * (ex.atol + ex.rtol * np.abs(target).max()))
    off = target + step
    assert not checks.check(exercise_id, off if off.ndim else off.item()).correct
    assert any(not callable(h.when) for h in ex.hints), (
        "no hint for a common wrong answer"
    )
    unanswered = checks.check(exercise_id, ...)
    assert not unanswered and "No answer yet" in unanswered.message
    for hint in ex.hints:
        if callable(hint.when):
            continue
        fb = checks.check(exercise_id, hint.when)
        assert not fb.correct, f"hint answer {hint.when!r} is accepted as correct"
        assert fb.message == f"Not yet. Hint: {hint.message}"


@pytest.mark.parametrize("exercise_id", _exercise_ids())
def test_a_wrong_answer_fails_with_a_hint(exercise_id: str) -> None:
    expected = checks.get(exercise_id).expected_value()
    if isinstance(expected, str):
        wrong: object = expected + " (not this)"
    elif isinstance(expected, (bool, np.bool_)):
        wrong = not expected
    else:
        wrong = np.asarray(expected, dtype=float) + 1.2345
    fb = checks.check(exercise_id, wrong)
    assert not fb.correct
    assert fb.message.startswith("Not yet. Hint: ")


def test_write_student_copies(tmp_path: Path) -> None:
    written = student.write_student_copies(ROOT / "book", tmp_path)
    assert [p.name for p in written] == [p.name for p in CHAPTERS]
    for path in written:
        nb = _read(path)
        assert not any("solution" in c.metadata.get("tags", []) for c in nb.cells)


def test_write_student_copies_rejects_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="`book_dir` must be an existing folder"):
        student.write_student_copies(tmp_path / "nope", tmp_path / "out")


def test_student_copy_of_chapter_1_runs_and_reports_unanswered(tmp_path: Path) -> None:
    """Run one student copy for real: stubs unanswered, every check still works."""
    from nbclient import NotebookClient

    (tmp_path / "student").mkdir()
    (tmp_path / "src").symlink_to(ROOT / "src")
    nb = student.student_copy(_read(CHAPTERS[0]))
    # the live widget is not needed here; everything else runs as a student would
    NotebookClient(
        nb, timeout=120, resources={"metadata": {"path": tmp_path / "student"}}
    ).execute()
    for ex in student.exercises(nb):
        outputs = nb.cells[ex["check"]].outputs
        text = " ".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
        assert "No answer yet" in text, text


@pytest.mark.parametrize("not_a_notebook", [{"cells": []}, "book/01.ipynb", None])
def test_exercises_on_a_non_notebook_is_a_clear_error(not_a_notebook):
    with pytest.raises(TypeError, match="`nb` must be a notebook"):
        student.exercises(not_a_notebook)
