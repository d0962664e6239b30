"""Printed handouts of the chapters: one PDF per chapter, and one per student copy.

Part of the classroom kit (``make handouts``, see the teacher's guide). Each chapter
page of the built site is printed to A4 by the same headless Chromium the browser
tests use, with the book's print style sheet: no navigation, no line of code or
output cut, figures within the page. The *chapter* handout shows every solution (it
is for the teacher); the *student* handout leaves the solutions out, as the student
copies of the notebooks do.

Command line::

    python -m lesson_utils.handouts _build/html handouts

Needs Playwright (``pip install playwright``) and a Chromium (Debian's ``chromium``).
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM_FLAGS", "chapter_pages", "write_handouts", "main"]

#: The flags the book's browser tests use (no network, no GPU, no first-run dialogs).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
_CHAPTER = re.compile(r"^\d\d_.*\.html$")
# Before printing: open every solution (chapter handout) or drop them (student one).
_SHOW_SOLUTIONS = """() => document.querySelectorAll('.tag_solution details')
    .forEach(d => { d.open = true; })"""
_DROP_SOLUTIONS = """() => document.querySelectorAll('.tag_solution')
    .forEach(c => c.remove())"""


def chapter_pages(site: Path) -> list[Path]:
    """The chapter pages of a built site (``book/NN_*.html``), in chapter order."""
    site = Path(site)
    if not (site / "index.html").exists():
        raise ValueError(
            f"`site` must be a built book (a folder with index.html, e.g. _build/html); "
            f"got {str(site)!r}"
        )
    return sorted(p for p in (site / "book").glob("*.html") if _CHAPTER.match(p.name))


def write_handouts(
    site: str | Path,
    target: str | Path,
    *,
    chapters: Sequence[str] | None = None,
    chromium: str | None = None,
    browser: Any = None,
) -> list[Path]:
    """Print the chapters of a built site to PDF.

    Parameters
    ----------
    site : path
        The built site (``_build/html``).
    target : path
        Folder for the PDFs (created): ``NN_topic.pdf`` with the solutions shown and
        ``NN_topic-student.pdf`` without them.
    chapters : sequence of str, optional
        Only these chapters (file stems such as ``"01_sampling_and_1d_interpolation"``).
    chromium : str, optional
        The browser to start; by default ``chromium`` from the ``PATH``.
    browser : playwright Browser, optional
        An already running Playwright browser to print with (the site tests pass
        theirs); ``chromium`` is then not started.

    Returns
    -------
    list of Path
        The PDFs written, two per chapter.
    """
    pages = chapter_pages(Path(site))
    if chapters is not None:
        wanted = set(chapters)
        unknown = wanted - {p.stem for p in pages}
        if unknown:
            raise ValueError(
                f"`chapters` must name chapters of the site "
                f"({', '.join(p.stem for p in pages)}); got {sorted(unknown)}"
            )
        pages = [p for p in pages if p.stem in wanted]
    out = Path(target)
    out.mkdir(parents=True, exist_ok=True)
    if browser is not None:
        return _print(browser, pages, out)
    from playwright.sync_api import sync_playwright

    executable = chromium or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        raise FileNotFoundError(
            "handouts need Chromium: apt-get install -y chromium (Debian's package)"
        )
    with sync_playwright() as p:
        started = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            return _print(started, pages, out)
        finally:
            started.close()


def _print(browser: Any, pages: list[Path], out: Path) -> list[Path]:
    written: list[Path] = []
    for page_file in pages:
        for suffix, prepare in (("", _SHOW_SOLUTIONS), ("-student", _DROP_SOLUTIONS)):
            page = browser.new_page()
            try:
                page.goto(page_file.resolve().as_uri(), wait_until="load")
                page.evaluate(prepare)
                page.emulate_media(media="print")
                pdf = out / f"{page_file.stem}{suffix}.pdf"
                page.pdf(
                    path=str(pdf),
                    format="A4",
                    prefer_css_page_size=True,
                    print_background=True,
                )
            finally:
                page.close()
            written.append(pdf)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: python -m lesson_utils.handouts SITE TARGET", file=sys.stderr)
        return 2
    for pdf in write_handouts(args[0], args[1]):
        print(pdf)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
