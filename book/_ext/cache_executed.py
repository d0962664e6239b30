"""Put the notebooks nbval executed into the book build's jupyter-cache.

Usage: ``python book/_ext/cache_executed.py EXECUTED_DIR CACHE_DIR``. ``make test`` runs
it between nbval (which writes ``EXECUTED_DIR/book/NN_topic.ipynb`` through
``book/conftest.py``) and the ``-W`` book build, whose ``execute_notebooks: cache``
then finds every chapter in the cache and renders it without executing it again. A
notebook whose code changed since nbval ran does not match the cache (the key is the
code of its cells) and is executed by the build as usual.

``python book/_ext/cache_executed.py --restore EXECUTED_DIR BUILT_DIR`` runs after the
build: on a cache hit myst-nb writes its copy in ``BUILT_DIR`` (``_build/jupyter_execute``)
without outputs, so every nbval notebook whose code still equals its source's (the
ones the site was rendered from) replaces that copy, figures included.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

ROOT = Path(__file__).resolve().parents[2]


def main(executed: Path, cache_dir: Path) -> int:
    if not executed.is_dir():
        print(f"no executed notebooks in {executed}: the build executes them itself")
        return 0
    cache = get_cache(str(cache_dir))
    for path in sorted(executed.rglob("*.ipynb")):
        source = ROOT / path.relative_to(executed)
        if not source.exists():
            continue
        nb = nbformat.read(path, as_version=4)
        cache.cache_notebook_bundle(
            CacheBundleIn(nb, str(source), data={"executed_by": "nbval"}),
            check_validity=False,
            overwrite=True,
        )
        print(f"cached {source.relative_to(ROOT)}")
    return 0


def _code(nb: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def restore(executed: Path, built: Path) -> int:
    if not executed.is_dir():
        return 0
    for path in sorted(executed.rglob("*.ipynb")):
        relative = path.relative_to(executed)
        source, target = ROOT / relative, built / relative
        if not (source.exists() and target.parent.is_dir()):
            continue
        nb = nbformat.read(path, as_version=4)
        if _code(nb) == _code(nbformat.read(source, as_version=4)):
            nbformat.write(nb, target)
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "--restore":
        raise SystemExit(restore(Path(sys.argv[2]), Path(sys.argv[3])))
    raise SystemExit(main(Path(sys.argv[1]), Path(sys.argv[2])))
