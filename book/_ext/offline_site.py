"""Sphinx extension of the book: keep every page offline and its console clean.

* sphinx-thebe (loaded by Jupyter Book 1.x even with thebe off) registers its inline
  configuration script twice, which makes the browser report "Identifier
  'THEBE_JS_URL' has already been declared"; duplicates are dropped here.
* Any script or stylesheet that would be fetched from another host is removed, so a
  page never depends on the network (the browser tests check this too).
"""

from __future__ import annotations

from typing import Any


def _is_remote(asset: Any) -> bool:
    name = str(getattr(asset, "filename", asset) or "")
    return name.startswith(("http://", "https://", "//"))


def _clean_assets(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if not assets:
            continue
        seen: set[tuple[str, str]] = set()  # (file, inline body)
        kept = []
        for asset in assets:
            # the same script registered twice may differ only in filename None vs ""
            ident = (
                str(getattr(asset, "filename", asset) or ""),
                str(getattr(asset, "attributes", {}).get("body", "")),
            )
            if ident in seen or _is_remote(asset):
                continue
            seen.add(ident)
            kept.append(asset)
        context[key] = kept


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", _clean_assets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
