"""Structure of the chapter notebooks: no stored outputs, the chapter skeleton, exercises."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
CHAPTERS = [nb for nb in NOTEBOOKS if re.match(r"\d\d_", nb.name)]


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _tags(cell: nbformat.NotebookNode) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def test_there_are_chapter_notebooks() -> None:
    assert CHAPTERS, "no chapter notebooks found in book/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = _read(path)
    dirty = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count)
    ]
    assert dirty == [], f"cells {dirty} carry outputs: run `make strip`"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_follows_the_skeleton(path: Path) -> None:
    text = "\n".join(c.source for c in _read(path).cells if c.cell_type == "markdown")
    assert text.lstrip().startswith("# "), "the first cell must hold the title"
    for heading in ("What you will learn", "What you need", "Try it", "Exercises"):
        assert heading in text, f"missing section {heading!r}"
    assert re.search(r"^## Summary", text, re.M), "missing '## Summary'"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_has_three_complete_exercises(path: Path) -> None:
    cells = _read(path).cells
    stubs = [c for c in cells if "exercise" in _tags(c)]
    solutions = [c for c in cells if "solution" in _tags(c)]
    checks_ = [c for c in cells if "check" in _tags(c)]
    assert len(stubs) >= 3
    assert len(stubs) == len(solutions) == len(checks_)
    for stub, sol, chk in zip(stubs, solutions, checks_, strict=True):
        assert "..." in stub.source, "an exercise stub must leave `...` to fill in"
        ids = re.findall(r'checks\.check\("(ch\d\d\.ex\d+)"', chk.source)
        assert len(ids) == 1, "a check cell calls checks.check once"
        assert ids[0].startswith("ch" + path.name[:2])
        # the site shows the question, the collapsed solution and its verdict: the
        # empty stub and the reader's check cell are for Jupyter only
        assert "remove-cell" in _tags(stub) and "remove-cell" in _tags(chk)
        assert "hide-input" in _tags(sol) and "hide-cell" not in _tags(sol)
        assert sol.source.rstrip().endswith(
            f'checks.check("{ids[0]}", answer_{ids[0].rsplit("ex", 1)[1]}).require()'
        ), "a solution ends by showing its verdict: checks.check(...).require()"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_live_widgets_are_hidden_on_the_site(path: Path) -> None:
    for cell in _read(path).cells:
        if cell.cell_type == "code" and re.search(r"make_\w+_explorer\(", cell.source):
            assert "remove-output" in _tags(cell), cell.source[:80]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_notebook_never_redefines_package_functions(path: Path) -> None:
    import lesson_utils  # noqa: F401  (the names below must exist in the package)

    src_root = ROOT / "src" / "lesson_utils"
    public = set()
    for module in src_root.rglob("*.py"):
        public.update(re.findall(r"^def ([a-z]\w*)\(", module.read_text(), re.M))
    for cell in _read(path).cells:
        if cell.cell_type == "code":
            defined = set(re.findall(r"^def (\w+)\(", cell.source, re.M))
            assert not defined & public, f"redefines {defined & public}"


def _setup_guard(path: Path) -> str:
    """The import guard at the top of a chapter's setup cell (up to the first blank
    line after its `raise`)."""
    setup = next(c.source for c in _read(path).cells if c.cell_type == "code")
    end = setup.index(") from None") + len(") from None")
    return setup[:end]


def _run_guard_without_install(guard: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the guard in a fresh Python where the installed lesson_utils is hidden."""
    src = str(ROOT / "src")
    prelude = (
        "import sys\n"
        f"sys.path[:] = [p for p in sys.path if p.rstrip('/') != {src!r}]\n"
        "import importlib.util\n"
        "assert importlib.util.find_spec('lesson_utils') is None\n"
    )
    code = prelude + guard + "\nprint(lesson_utils.__file__)\n"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_first_cell_finds_lesson_utils_without_install(path: Path) -> None:
    result = _run_guard_without_install(_setup_guard(path), ROOT / "book")
    assert result.returncode == 0, result.stderr
    found = Path(result.stdout.strip()).resolve()
    assert found == (ROOT / "src" / "lesson_utils" / "__init__.py").resolve()


def test_first_cell_explains_how_to_install_when_nothing_is_found(
    tmp_path: Path,
) -> None:
    result = _run_guard_without_install(_setup_guard(CHAPTERS[0]), tmp_path)
    assert result.returncode != 0
    assert "lesson_utils is missing: run `make lab`" in result.stderr


# --- every chapter is wired into the book ------------------------------------------------
# Adding a chapter touches several files (CONTRIBUTING.md, "Adding a chapter"); these
# tests name the one that was forgotten.


def _toc_chapters() -> list[str]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [Path(f).name for f in files if re.match(r"\d\d_", Path(f).name)]


TOC_CHAPTERS = _toc_chapters()


def test_toc_lists_every_chapter_notebook_in_order() -> None:
    assert TOC_CHAPTERS == [p.stem for p in CHAPTERS]


@pytest.mark.parametrize("name", TOC_CHAPTERS)
def test_intro_links_every_chapter(name: str) -> None:
    intro = (ROOT / "book" / "intro.md").read_text()
    assert f"<{name}>`" in intro, f"the intro's chapter table lacks {name}"


@pytest.mark.parametrize("name", TOC_CHAPTERS)
def test_teachers_guide_has_a_plan_for_every_chapter(name: str) -> None:
    guide = (ROOT / "book" / "teachers_guide.md").read_text()
    number = int(name[:2])
    assert re.search(rf"^### Chapter {number}\b", guide, re.M), (
        f"the teacher's guide has no lesson plan for Chapter {number}"
    )


@pytest.mark.parametrize("name", TOC_CHAPTERS)
def test_every_chapter_has_its_package_parts(name: str) -> None:
    ch = f"ch{name[:2]}"
    src = ROOT / "src" / "lesson_utils"
    assert (src / "answers" / f"{ch}.py").exists(), f"answer key answers/{ch}.py"
    assert (src / "widgets" / f"{ch}.py").exists(), f"live widget widgets/{ch}.py"
    assert (ROOT / "tests" / f"test_widgets_{ch}.py").exists()
    from lesson_utils import explorers

    assert callable(getattr(explorers, ch, None)), f"explorer emitter explorers.{ch}"
    assert (src / "explorers" / "js" / f"{ch}.js").exists()
    bench = (ROOT / "benchmarks" / "bench_widgets.py").read_text()
    assert f"widgets import {ch}" in bench, f"bench_widgets.py does not time {ch}"


def test_api_reference_documents_every_public_module() -> None:
    import pkgutil

    import lesson_utils

    api = (ROOT / "book" / "api.md").read_text()
    modules = [
        info.name
        for info in pkgutil.walk_packages(lesson_utils.__path__, "lesson_utils.")
        if not info.name.rsplit(".", 1)[-1].startswith("_")
        and ".answers" not in info.name
        and info.name != "lesson_utils.widgets"
    ]
    missing = [m for m in modules if f".. automodule:: {m}\n" not in api]
    assert missing == [], f"book/api.md does not document {missing}"


def test_every_bibliography_entry_is_cited_somewhere() -> None:
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    keys = re.findall(r"^@\w+\{([^,\s]+),", bib, re.M)
    texts = [
        p.read_text(encoding="utf-8")
        for p in sorted((ROOT / "book").glob("*"))
        if p.suffix in (".ipynb", ".md") and p.stem != "references"
    ]
    cited = set()
    for text in texts:
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text):
            cited.update(k.strip() for k in group.split(","))
    assert len(keys) >= 10
    assert [k for k in keys if k not in cited] == []
