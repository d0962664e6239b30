"""What each page of the book promises its reader, read from the *source* notebooks.

The browser tests (``test_site*.py``) check the built site against these promises, so
a page that silently lost its figures, exercises or explorers fails a test: nothing
here looks at the built site.

* a **figure cell** is a code cell whose source calls ``plt.show()`` or whose metadata
  carries alt text (``mystnb.image.alt``); unless the cell's output is removed from the
  site, its images must appear on the page with that alt text;
* an **exercise** is a stub / solution / check triple (:mod:`lesson_utils.student`);
* a **"What you need"** name is a ``module.function`` written as code in the chapter's
  "What you need" paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
HTML = BUILD / "html"
#: Where the executed notebooks the site was built from are: ``make test`` renders the
#: notebooks nbval executed (``book/conftest.py``); ``make book`` executes them itself.
EXECUTED_BY_NBVAL = BUILD / "executed"
EXECUTED_BY_BUILD = BUILD / "jupyter_execute"

_SHOW = re.compile(r"^\s*plt\.show\(\)", re.M)
_HIDDEN_OUTPUT = {"remove-output", "remove-cell"}
_ANIMATION = re.compile(r"\b(?:animate_\w+|animation_html)\(")


@dataclass(frozen=True)
class FigureCell:
    cell_id: str
    index: int
    alt: str  # "" when the cell has none (a defect the tests report)
    collapsed: bool  # inside a collapsed toggle (hide-output / hide-cell)


@dataclass
class Chapter:
    docname: str  # "book/01_sampling_and_1d_interpolation"
    source: Path
    figures: list[FigureCell] = field(default_factory=list)
    exercises: list[dict] = field(default_factory=list)
    what_you_need: list[str] = field(default_factory=list)
    explorers: list[str] = field(default_factory=list)  # "ch01", ...
    animations: int = 0  # cells that display a to_jshtml player

    @property
    def executed(self) -> Path:
        nbval = EXECUTED_BY_NBVAL / f"{self.docname}.ipynb"
        return nbval if nbval.exists() else EXECUTED_BY_BUILD / f"{self.docname}.ipynb"


def toc_pages() -> list[str]:
    """Every document the TOC lists, root first (paths without suffix)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            pages.append(chapter["file"])
            pages.extend(section["file"] for section in chapter.get("sections", []))
    return pages


def _tags(cell: nbformat.NotebookNode) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _alt(cell: nbformat.NotebookNode) -> str:
    meta = cell.get("metadata", {}).get("mystnb", {})
    return str(meta.get("image", {}).get("alt", "")).strip()


def _package_modules() -> set[str]:
    import pkgutil

    import lesson_utils

    found = pkgutil.walk_packages(lesson_utils.__path__, "lesson_utils.")
    return {info.name.split(".", 1)[1] for info in found}


def _what_you_need(nb: nbformat.NotebookNode) -> list[str]:
    """The ``lesson_utils`` names (``module.function``) of "What you need"."""
    package = _package_modules()
    for cell in nb.cells:
        if cell.cell_type != "markdown" or "**What you need**" not in cell.source:
            continue
        text = cell.source.split("**What you need**", 1)[1]
        text = re.split(r"\n#|\n\*\*", text, maxsplit=1)[0]
        names = re.findall(r"`([a-z_][a-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)`", text)
        return [
            n
            for n in (n.removeprefix("lesson_utils.") for n in names)
            if (n.split(".")[0] in package or ".".join(n.split(".")[:2]) in package)
            and not n.startswith("answers.")
        ]
    return []


def chapter(docname: str) -> Chapter:
    from lesson_utils import student

    source = ROOT / f"{docname}.ipynb"
    nb = nbformat.read(source, as_version=4)
    result = Chapter(docname, source)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = _tags(cell)
        if (_alt(cell) or _SHOW.search(cell.source)) and not tags & _HIDDEN_OUTPUT:
            collapsed = bool(tags & {"hide-output", "hide-cell"})
            result.figures.append(
                FigureCell(cell.get("id", ""), i, _alt(cell), collapsed)
            )
        result.explorers.extend(re.findall(r"\bexplorers\.(ch\d\d)\(", cell.source))
        if _ANIMATION.search(cell.source) and not tags & _HIDDEN_OUTPUT:
            result.animations += 1
    for ex in student.exercises(nb):
        question = ""
        for j in range(ex["stub"] - 1, -1, -1):
            if nb.cells[j].cell_type == "markdown":
                question = nb.cells[j].source
                break
        stub = nb.cells[ex["stub"]].source.strip()
        result.exercises.append({**ex, "question": question, "stub_source": stub})
    result.what_you_need = _what_you_need(nb)
    return result


def chapters() -> list[Chapter]:
    return [chapter(p) for p in toc_pages() if (ROOT / f"{p}.ipynb").exists()]


def image_outputs(cell: nbformat.NotebookNode) -> int:
    """Number of images a code cell's outputs hold."""
    return sum(
        1
        for out in cell.get("outputs", [])
        if {"image/png", "image/svg+xml", "image/jpeg"} & set(out.get("data", {}))
    )
