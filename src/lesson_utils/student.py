"""Student copies of the chapters: the notebooks with every solution removed.

Used by the classroom kit (``make student``, see the teacher's guide). A chapter's
exercise is three cells (see :mod:`lesson_utils.checks`): a stub tagged ``exercise``,
a solution tagged ``solution`` and a check tagged ``check``. The student copy keeps
the stub and the check, drops the solution, and drops all outputs, so students run
the check against their own answer.

Command line::

    python -m lesson_utils.student book student
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path
from typing import Any

import nbformat

__all__ = ["exercises", "student_copy", "write_student_copies"]

_CHECK_ID = re.compile(r'checks\.check\(\s*"(ch\d\d\.ex\d+)"')


def _tags(cell: nbformat.NotebookNode) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def exercises(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """The exercises of a chapter notebook, in order.

    Returns
    -------
    list of dict
        One dict per exercise: ``id`` (``"chNN.exK"``), and the indices of its
        ``stub``, ``solution`` and ``check`` cells (``None`` where one is missing).
        An exercise is found from its check cell; the stub and solution are the
        nearest cells tagged ``exercise`` and ``solution`` before it.

    Examples
    --------
    >>> from nbformat.v4 import new_notebook, new_code_cell
    >>> cells = [new_code_cell("answer_1 = ..."), new_code_cell("answer_1 = 2"),
    ...          new_code_cell('checks.check("ch01.ex1", answer_1)')]
    >>> for cell, tag in zip(cells, ["exercise", "solution", "check"]):
    ...     cell.metadata["tags"] = [tag]
    >>> exercises(new_notebook(cells=cells))
    [{'id': 'ch01.ex1', 'stub': 0, 'solution': 1, 'check': 2}]
    """
    if not isinstance(nb, nbformat.NotebookNode) or "cells" not in nb:
        raise TypeError(
            "`nb` must be a notebook read with nbformat.read(path, as_version=4); "
            f"got {type(nb).__name__}"
        )
    found: list[dict[str, Any]] = []
    last: dict[str, int | None] = {"exercise": None, "solution": None}
    for i, cell in enumerate(nb.cells):
        tags = _tags(cell)
        for tag in ("exercise", "solution"):
            if tag in tags:
                last[tag] = i
        if "check" in tags:
            match = _CHECK_ID.search(cell.source)
            found.append(
                {
                    "id": match.group(1) if match else None,
                    "stub": last["exercise"],
                    "solution": last["solution"],
                    "check": i,
                }
            )
            last = {"exercise": None, "solution": None}
    return found


def student_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` without solution cells and without outputs.

    The input notebook is not modified.
    """
    if not isinstance(nb, nbformat.NotebookNode):
        raise TypeError(
            f"`nb` must be an nbformat NotebookNode; got {type(nb).__name__}"
        )
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if "solution" not in _tags(c)]
    for cell in out.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    out.metadata.pop("widgets", None)
    return out


def write_student_copies(book_dir: str | Path, out_dir: str | Path) -> list[Path]:
    """Write the student copy of every chapter ``NN_*.ipynb`` of ``book_dir``.

    Returns the paths written. ``out_dir`` is created if needed.
    """
    book_dir, out_dir = Path(book_dir), Path(out_dir)
    if not book_dir.is_dir():
        raise ValueError(
            f"`book_dir` must be an existing folder; got {str(book_dir)!r}"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(book_dir.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        target = out_dir / path.name
        nbformat.write(student_copy(nb), target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m lesson_utils.student BOOK_DIR OUT_DIR", file=sys.stderr)
        return 2
    for path in write_student_copies(args[0], args[1]):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
