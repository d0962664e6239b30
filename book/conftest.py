"""nbval hooks of the book: keep the notebooks nbval has executed, outputs and all.

``make test`` executes every chapter once, with nbval (two notebooks at a time, one per
core). When ``BOOK_EXECUTED_DIR`` is set, each notebook whose cells all passed is
written there with the outputs nbval received; ``book/_ext/cache_executed.py`` then
puts those notebooks into the book build's jupyter-cache, so the ``-W`` build renders
them instead of executing every chapter a second time. ``make book`` on its own still
executes every notebook itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

_OUTPUTS: dict[Path, dict[int, list[Any]]] = {}
_FAILED: set[Path] = set()


def _target() -> Path | None:
    value = os.environ.get("BOOK_EXECUTED_DIR")
    return Path(value) if value else None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Iterator[None]:
    outcome = yield
    if _target() is None or not hasattr(item, "cell_num"):
        return
    report = outcome.get_result()
    path = Path(str(item.parent.fspath))
    if report.when == "call":
        if report.passed:
            outputs = list(getattr(item, "test_outputs", None) or [])
            _OUTPUTS.setdefault(path, {})[item.cell_num] = outputs
        else:
            _FAILED.add(path)
    elif report.failed:
        _FAILED.add(path)


def pytest_runtest_teardown(item: Any, nextitem: Any) -> None:
    """After a notebook's last cell, write the executed notebook."""
    target = _target()
    if target is None or not hasattr(item, "cell_num"):
        return
    path = Path(str(item.parent.fspath))
    if nextitem is not None and getattr(nextitem, "parent", None) is item.parent:
        return  # more cells of this notebook to come
    outputs = _OUTPUTS.pop(path, {})
    if path in _FAILED:
        return
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    if len(outputs) != len(code):
        return  # some cells were skipped: not a complete run
    for number, cell in enumerate(code):
        cell.outputs = [nbformat.from_dict(out) for out in outputs[number]]
        cell.execution_count = number + 1
    out = target / path.parent.name / path.name
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
