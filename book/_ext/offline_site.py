"""Sphinx extension of the book: pages that work offline, stay light and link to the API.

What it does, and why:

* **Offline and clean console.** Any script or stylesheet that would be fetched from
  another host is dropped, and assets registered twice (sphinx-thebe's inline
  configuration) are kept once: the browser tests check both.
* **Light pages** for a classroom's Wi-Fi. The theme's icon font machinery
  (``fontawesome.js``, 1.5 MB, on every page) is replaced by small inline SVG icons
  drawn here; the search scripts and index load only on the search page (which, with
  ``html_show_search_summary = False``, does not download the result pages); the
  sphinx-design and sphinx-thebe assets load only where a page uses them.
* **API links.** In a chapter's "What you need" paragraph every ``module.function``
  written as code becomes a link to its entry in the API reference; a name that has
  no entry is a build warning (an error under ``-W``).
* **Student copies.** Every chapter page offers its student copy (the notebook with
  the solutions removed, :mod:`lesson_utils.student`) for download; the copies are
  written into the site's ``student/`` folder.
* **Licence footer** on every page, with links to the licence texts copied into the
  site.
* **Formulas typeset at build time.** ``render_math.js`` runs the MathJax that
  sphinx-mathjax-offline ships under Node.js and writes every formula into the page as
  SVG (with MathML for screen readers), so a reader's browser downloads no MathJax
  (1.2 MB) and a printed page has its formulas. Where Node.js is missing the pages
  keep client-side MathJax, which still works offline but is heavier.
* **Lighter code and figures.** Pygments wraps every name and punctuation mark of a
  code cell in a ``<span>`` whose colour is the code block's own colour in both
  themes; those spans are unwrapped (``book.css`` lets a ``pre`` inherit the block's
  colour, so nothing changes on screen) and a chapter's code weighs about half as
  much. Every figure is also written as lossless WebP, decoded and compared pixel by
  pixel with its PNG, and the page shows the WebP when it is smaller (about half the
  bytes); the PNG stays beside it.
* **Only the styles the site uses.** The theme's style sheets carry all of Bootstrap
  (305 kB). A rule is dropped when every one of its selectors names a class that
  occurs nowhere in the built site, neither in a page nor in any script (a script may
  add the class at run time); the style sheets lose about two thirds of their bytes.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

# --- assets ------------------------------------------------------------------------

_SEARCH_ONLY = ("searchtools.js", "language_data.js", "searchindex.js")
_THEBE = ("sphinx-thebe.js", "sphinx-thebe.css")
_DESIGN = ("design-tabs.js", "sphinx-design.min.css")


def _filename(asset: Any) -> str:
    return str(getattr(asset, "filename", asset) or "")


def _is_remote(asset: Any) -> bool:
    return _filename(asset).startswith(("http://", "https://", "//"))


def _clean_assets(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    body = context.get("body") or ""
    uses_design = "sd-" in body
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if not assets:
            continue
        seen: set[tuple[str, str]] = set()  # (file, inline body)
        kept = []
        for asset in assets:
            name = _filename(asset)
            base = name.split("?")[0].rsplit("/", 1)[-1]
            # the same script registered twice may differ only in filename None vs ""
            ident = (name, str(getattr(asset, "attributes", {}).get("body", "")))
            if ident in seen or _is_remote(asset):
                continue
            if base in _SEARCH_ONLY and pagename != "search":
                continue
            if base in _THEBE or (base in _DESIGN and not uses_design):
                continue
            seen.add(ident)
            kept.append(asset)
        context[key] = kept


# --- icons -------------------------------------------------------------------------
# Simple 24 x 24 outline icons drawn for this book (stroke = currentColor), standing in
# for the theme's Font Awesome glyphs. Each is named after the class it replaces.

_STROKE = (
    'fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" '
    'stroke-linejoin="round"'
)
_ICON_PATHS = {
    "magnifying-glass": '<circle cx="10" cy="10" r="6.5"/><path d="M15 15l6 6"/>',
    "bars": '<path d="M3 6h18M3 12h18M3 18h18"/>',
    "list": '<path d="M9 6h12M9 12h12M9 18h12"/><path d="M4 6h.5M4 12h.5M4 18h.5"/>',
    "outdent": '<path d="M11 6h10M11 12h10M11 18h10M3 12l4-4M3 12l4 4"/>',
    "angle-left": '<path d="M15 5l-7 7 7 7"/>',
    "angle-right": '<path d="M9 5l7 7-7 7"/>',
    "arrow-up": '<path d="M12 20V5M5 11l7-7 7 7"/>',
    "download": '<path d="M12 3v12M6 10l6 6 6-6M4 20h16"/>',
    "expand": '<path d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5"/>',
    "file": '<path d="M6 2.5h8l5 5v14H6z"/><path d="M14 2.5v5h5"/>',
    "file-pdf": '<path d="M6 2.5h8l5 5v14H6z"/><path d="M14 2.5v5h5M9 13h6M9 17h6"/>',
    "sun": '<circle cx="12" cy="12" r="4.5"/><path d="M12 1.5v2.5M12 20v2.5M1.5 12H4'
    'M20 12h2.5M4.6 4.6l1.8 1.8M17.6 17.6l1.8 1.8M4.6 19.4l1.8-1.8M17.6 6.4l1.8-1.8"/>',
    "moon": '<path d="M20 14.5A8.5 8.5 0 1 1 9.5 4a7 7 0 0 0 10.5 10.5z"/>',
    "circle-half-stroke": '<circle cx="12" cy="12" r="9"/>'
    '<path d="M12 3a9 9 0 0 1 0 18z" fill="currentColor"/>',
}
_ICON_TAG = re.compile(r'<(i|span) class="([^"]*\bfa-[a-z-]+[^"]*)"([^>]*)>\s*</\1>')
_FA_STYLE = {"fa", "fas", "far", "fab", "fa-solid", "fa-regular", "fa-brands"}
_FA_SIZE = {"fa-lg": "1.25em", "fa-xl": "1.5em"}


def _svg_icon(match: re.Match[str]) -> str:
    tag, classes, rest = match.group(1), match.group(2).split(), match.group(3)
    names = [c[3:] for c in classes if c.startswith("fa-") and c not in _FA_STYLE]
    names = [n for n in names if "fa-" + n not in _FA_SIZE]
    if len(names) != 1 or names[0] not in _ICON_PATHS:
        raise ValueError(f"no inline icon for the theme's icon classes {classes}")
    size = next((_FA_SIZE[c] for c in classes if c in _FA_SIZE), "1em")
    keep = [c for c in classes if not c.startswith("fa") and c != "fas"]
    svg = (
        f'<svg class="book-icon" viewBox="0 0 24 24" width="{size}" height="{size}" '
        f'{_STROKE} aria-hidden="true" focusable="false">{_ICON_PATHS[names[0]]}</svg>'
    )
    cls = " ".join(["book-icon-box", *keep])
    return f'<{tag} class="{cls}"{rest}>{svg}</{tag}>'


# --- What you need: links to the API reference ---------------------------------------

_NAME = re.compile(r"^[a-z_][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def _what_you_need_paragraphs(doctree: nodes.document) -> list[nodes.paragraph]:
    found = []
    for strong in doctree.findall(nodes.strong):
        if strong.astext().strip() != "What you need":
            continue
        para = strong.parent
        if not isinstance(para, nodes.paragraph):
            continue
        # the list sits in the paragraphs that follow, up to the next heading/code cell
        sibling = para.next_node(descend=False, siblings=True)
        while isinstance(sibling, nodes.paragraph):
            found.append(sibling)
            sibling = sibling.next_node(descend=False, siblings=True)
        if len(para.children) > 1:  # "**What you need**: text" in one paragraph
            found.append(para)
    return found


def _package_modules() -> set[str]:
    import pkgutil

    import lesson_utils

    return {
        info.name.split(".", 1)[1]
        for info in pkgutil.walk_packages(lesson_utils.__path__, "lesson_utils.")
    }


def _link_api_names(app: Any, doctree: nodes.document, docname: str) -> None:
    objects = app.env.get_domain("py").objects
    package = _package_modules()
    for para in _what_you_need_paragraphs(doctree):
        for literal in list(para.findall(nodes.literal)):
            text = literal.astext().strip()
            if not _NAME.match(text) or isinstance(literal.parent, nodes.reference):
                continue
            name = text.removeprefix("lesson_utils.")
            parts = name.split(".")
            if parts[0] == "answers":
                continue  # the answer keys are data, not part of the API reference
            if not any(".".join(parts[:k]) in package for k in (1, 2)):
                continue  # not a name of the package (e.g. "numpy", "torch")
            full = f"lesson_utils.{name}"
            entry = objects.get(full)
            if entry is None:
                logger.warning(
                    "'What you need' lists `%s`, which has no entry in the API "
                    "reference",
                    text,
                    location=(docname, literal.line),
                )
                continue
            uri = app.builder.get_relative_uri(docname, entry.docname)
            ref = nodes.reference(
                "", "", internal=True, refuri=f"{uri}#{entry.node_id}", reftitle=full
            )
            ref["classes"].append("api-link")
            literal.replace_self(ref)
            ref.append(literal)


# --- after the build: icons, footer, student copies ----------------------------------


def _relative_root(page: Path, outdir: Path) -> str:
    rel = os.path.relpath(outdir, page.parent)
    return "" if rel == "." else rel.replace(os.sep, "/") + "/"


_FOOTER = (
    '<p class="book-licence">Text and figures: '
    '<a href="{root}LICENSE-CC-BY-4.0.txt">CC BY 4.0</a>; code: '
    '<a href="{root}LICENSE.txt">MIT licence</a>. '
    "Built offline: math, figures, explorers and navigation are served from this "
    "site.</p>"
)
_STUDENT = (
    '<p class="student-copy"><a href="{href}" download>'
    "Download this chapter as a notebook for students</a> "
    "(the exercises with their checks, without the solutions).</p>"
)
_CHAPTER = re.compile(r"^\d\d_")


def _write_student_copies(app: Any) -> dict[str, str]:
    import nbformat

    from lesson_utils import student

    target = Path(app.outdir) / "student"
    target.mkdir(exist_ok=True)
    written = {}
    for docname in app.env.found_docs:
        name = docname.rsplit("/", 1)[-1]
        source = Path(app.srcdir) / f"{docname}.ipynb"
        if not _CHAPTER.match(name) or not source.exists():
            continue
        nb = nbformat.read(source, as_version=4)
        nbformat.write(student.student_copy(nb), target / f"{name}.ipynb")
        written[docname] = f"student/{name}.ipynb"
    return written


_MATH = re.compile(
    r'(<(span|div) class="math notranslate nohighlight"[^>]*>)(.*?)(</\2>)', re.S
)
_MATHJAX_SCRIPTS = re.compile(
    r"<script[^>]*mathjax/tex-[a-z-]+\.js[^>]*></script>\s*"
    r"|<script>window\.MathJax = .*?</script>\s*",
    re.S,
)


def _tex(inner: str) -> tuple[str, bool] | None:
    inner = html.unescape(inner).strip()
    if inner.startswith("\\(") and inner.endswith("\\)"):
        return inner[2:-2], False
    if inner.startswith("\\[") and inner.endswith("\\]"):
        return inner[2:-2], True
    return None  # already typeset, or not TeX


def _prerender_math(app: Any, pages: dict[Path, str]) -> dict[Path, str]:
    node = shutil.which("node")
    mathjax = Path(app.outdir) / "_static" / "mathjax"
    if node is None or not (mathjax / "node-main.js").exists():
        logger.info("Node.js not found: formulas are typeset by MathJax in the browser")
        return pages
    jobs = []
    typeset = {page: _MATHJAX_SCRIPTS.sub("", text) for page, text in pages.items()}
    for page, text in typeset.items():
        formulas = [t for m in _MATH.finditer(text) if (t := _tex(m.group(3)))]
        if formulas:
            jobs.append([str(page), formulas])
    if not jobs:
        return typeset
    script = Path(__file__).with_name("render_math.js")
    run = subprocess.run(
        [node, str(script), str(mathjax)],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"typesetting the formulas failed:\n{run.stderr}")
    result = json.loads(run.stdout)
    style = f'<style id="book-math-svg">{result["css"]}</style>'
    for name, rendered in result["pages"]:
        page = Path(name)
        out = iter(rendered["out"])

        def fill(m: re.Match[str], out: Any = out) -> str:
            if _tex(m.group(3)) is None:
                return m.group(0)
            return m.group(1) + next(out) + m.group(4)

        text = _MATH.sub(fill, typeset[page])
        defs = (
            '<svg id="MJX-SVG-global-cache" style="display: none" aria-hidden="true">'
            f"{rendered['defs']}</svg>"
        )
        text = text.replace("</head>", style + "</head>", 1)
        text = re.sub(
            r"(<body[^>]*>)", lambda m, defs=defs: m.group(1) + defs, text, count=1
        )
        typeset[page] = text
    return typeset


_ICON_FONT_RULES = re.compile(r'(?:\.fa-[a-z0-9-]+:{1,2}before,?)+\{content:"[^"]*"\}')


def _drop_icon_font_rules(outdir: Path) -> None:
    """Remove the icon font's glyph rules (86 kB) from the theme's style sheet: no page
    uses a Font Awesome glyph once the icons are inline SVG."""
    for css in (outdir / "_static" / "styles").glob("pydata-sphinx-theme.css"):
        text = css.read_text(encoding="utf-8")
        css.write_text(_ICON_FONT_RULES.sub("", text), encoding="utf-8")


# --- lighter code blocks and figures --------------------------------------------------

_PYGMENTS_RULE = re.compile(
    r'html\[data-theme="(light|dark)"\] \.highlight(?: \.([A-Za-z0-9]+))? \{([^}]*)\}'
)


def _plain_token_classes(css: str) -> set[str]:
    """Pygments token classes drawn exactly like the code block around them.

    A class qualifies when, in both the light and the dark theme, its only declaration
    is the block's own text colour (or it has no rule at all).
    """
    base: dict[str, str] = {}
    rules: dict[str, dict[str, str]] = {"light": {}, "dark": {}}
    for theme, cls, body in _PYGMENTS_RULE.findall(css):
        decls = {
            k.strip(): v.strip()
            for k, _, v in (d.partition(":") for d in body.split(";"))
            if k.strip()
        }
        if not cls:
            base[theme] = decls.get("color", "")
        else:
            rules[theme][cls] = " ".join(f"{k}:{v}" for k, v in sorted(decls.items()))
    if set(base) != {"light", "dark"} or not all(base.values()):
        return set()
    classes = set(rules["light"]) | set(rules["dark"])
    return {
        cls
        for cls in classes
        if all(
            rules[t].get(cls, f"color:{base[t]}") == f"color:{base[t]}" for t in base
        )
    }


def _unwrap_plain_tokens(text: str, plain: set[str]) -> str:
    if not plain:
        return text
    names = "|".join(sorted(map(re.escape, plain)))
    span = re.compile(rf'<span class="(?:{names})">([^<]*)</span>')
    return re.sub(
        r'(<div class="highlight[^"]*"><pre>)(.*?)(</pre></div>)',
        lambda m: m.group(1) + span.sub(r"\1", m.group(2)) + m.group(3),
        text,
        flags=re.S,
    )


def _webp_figures(outdir: Path) -> dict[str, str]:
    """Write a lossless WebP beside every PNG figure that it beats; map PNG -> WebP.

    Each WebP is decoded and compared with its PNG pixel by pixel (RGBA) before use.
    """
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with matplotlib
        return {}
    swaps: dict[str, str] = {}
    for png in sorted((outdir / "_images").glob("*.png")):
        webp = png.with_suffix(".webp")
        with Image.open(png) as image:
            rgba = image.convert("RGBA")
        if not webp.exists():
            rgba.save(webp, "WEBP", lossless=True, quality=0, method=2)
        with Image.open(webp) as back:
            same = back.convert("RGBA").tobytes() == rgba.tobytes()
        if not same:
            logger.warning(f"lossless WebP of {png.name} differs from it: PNG kept")
            webp.unlink()
        elif webp.stat().st_size < png.stat().st_size:
            swaps[png.name] = webp.name
        else:
            webp.unlink()
    return swaps


def _swap_figures(text: str, swaps: dict[str, str]) -> str:
    if not swaps:
        return text
    return re.sub(
        r'(<img[^>]*\bsrc="[^"]*_images/)([^"/]+\.png)(")',
        lambda m: m.group(1) + swaps.get(m.group(2), m.group(2)) + m.group(3),
        text,
    )


# --- unused style rules -----------------------------------------------------------------

_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
_GROUPS = ("@media", "@supports", "@layer", "@container")


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, current = [], 0, []
    for ch in prelude:
        depth += ch in "(["
        depth -= ch in ")]"
        if ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    parts.append("".join(current).strip())
    return parts


def _selector_used(selector: str, words: set[str]) -> bool:
    # what sits in :not()/:is()/:where()/:has() and in [attribute] tests only narrows
    # the match: it never makes a selector dead
    core = re.sub(r":(?:not|is|where|has)\([^()]*\)", "", selector)
    core = re.sub(r"\[[^\]]*\]", "", core)
    return all(cls in words for cls in _CLASS.findall(core))


def _purge_css(css: str, words: set[str]) -> str:
    """Drop the rules of ``css`` whose every selector needs a class not in ``words``.

    Understands what minified style sheets contain: plain rules, at-rules ending in
    ``;``, comments, and group rules (``@media`` ...) holding plain rules; any other
    at-rule (``@font-face``, ``@keyframes`` ...) is kept whole.
    """
    out: list[str] = []
    i, n, start = 0, len(css), 0
    stack: list[tuple[str, list[str]]] = []
    while i < n:
        ch = css[i]
        if css.startswith("/*", i):
            end = css.index("*/", i + 2) + 2
            out.append(css[i:end])
            i = start = end
        elif ch == ";" and css[start:i].strip().startswith("@"):
            out.append(css[start : i + 1].strip())
            i = start = i + 1
        elif ch == "{":
            prelude = css[start:i].strip()
            if prelude.startswith(_GROUPS):
                stack.append((prelude, out))
                out = []
                i = start = i + 1
                continue
            depth, j = 1, i + 1
            while depth:
                depth += {"{": 1, "}": -1}.get(css[j], 0)
                j += 1
            body = css[i + 1 : j - 1]
            if prelude.startswith("@"):
                out.append(f"{prelude}{{{body}}}")
            else:
                kept = [
                    s for s in _split_selectors(prelude) if _selector_used(s, words)
                ]
                if kept:
                    out.append(",".join(kept) + "{" + body + "}")
            i = start = j
        elif ch == "}" and stack:
            inner = "".join(out)
            prelude, out = stack.pop()
            if inner:
                out.append(f"{prelude}{{{inner}}}")
            i = start = i + 1
        else:
            i += 1
    return "".join(out) + css[start:].strip()


def _purge_style_sheets(outdir: Path) -> None:
    texts = [
        path.read_text(encoding="utf-8", errors="replace")
        for path in outdir.rglob("*")
        if path.suffix in (".html", ".js") and path.is_file()
    ]
    words = set(re.findall(r"[A-Za-z0-9_-]+", "\n".join(texts)))
    for name in ("styles/pydata-sphinx-theme.css", "styles/sphinx-book-theme.css"):
        sheet = outdir / "_static" / name
        if sheet.exists():
            text = sheet.read_text(encoding="utf-8")
            sheet.write_text(_purge_css(text, words), encoding="utf-8")
    for sheet in (outdir / "_static").glob("mystnb.*.css"):
        text = sheet.read_text(encoding="utf-8")
        sheet.write_text(_purge_css(text, words), encoding="utf-8")


def _postprocess(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    _drop_icon_font_rules(outdir)
    for licence, copy in (("LICENSE", "LICENSE.txt"), ("LICENSE-CC-BY-4.0.txt", None)):
        text = (Path(app.confdir) / licence).read_text(encoding="utf-8")
        (outdir / (copy or licence)).write_text(text, encoding="utf-8")
    students = _write_student_copies(app)
    pygments_css = outdir / "_static" / "pygments.css"
    plain = (
        _plain_token_classes(pygments_css.read_text(encoding="utf-8"))
        if pygments_css.exists()
        else set()
    )
    swaps = _webp_figures(outdir)
    originals = {
        page: page.read_text(encoding="utf-8")
        for page in outdir.rglob("*.html")
        if "_static" not in page.parts
    }
    for page, text in _prerender_math(app, originals).items():
        original = originals[page]
        text = re.sub(r"<script[^>]*fontawesome[^>]*></script>\s*", "", text)
        text = re.sub(r"<link[^>]*fontawesome[^>]*>\s*", "", text)
        text = _ICON_TAG.sub(_svg_icon, text)
        # a bibliography entry is an item of the citation list (axe: list structure)
        text = text.replace('role="doc-biblioentry"', 'role="listitem"')
        text = _unwrap_plain_tokens(text, plain)
        text = _swap_figures(text, swaps)
        root = _relative_root(page, outdir)
        text = re.sub(
            r'<div class="extra_footer">.*?</div>',
            lambda m, root=root: (
                '<div class="extra_footer">' + _FOOTER.format(root=root) + "</div>"
            ),
            text,
            count=1,
            flags=re.S,
        )
        docname = page.relative_to(outdir).with_suffix("").as_posix()
        if docname in students and 'class="student-copy"' not in text:
            href = html.escape(root + students[docname], quote=True)
            text = re.sub(
                r'(<h1><span class="section-number">.*?</h1>)',
                lambda m, href=href: m.group(1) + _STUDENT.format(href=href),
                text,
                count=1,
                flags=re.S,
            )
        if text != original:
            page.write_text(text, encoding="utf-8")
    _purge_style_sheets(outdir)


# --- bibliography labels that read like the citations in the text --------------------


def _register_bibliography_style() -> None:
    """``bibtex_default_style: book``: entries labelled "Keys, 1981", "Jaderberg et al.,
    2015", as the chapters cite them (author-year), instead of pybtex's "[Key81]"."""
    from pybtex.plugin import register_plugin
    from pybtex.style.formatting.unsrt import Style as Unsrt
    from pybtex.style.labels import BaseLabelStyle

    def names(entry: Any) -> str:
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        last = [" ".join(p.prelast_names + p.last_names) for p in people]
        if not last:  # no author: the title, as the citations in the text show it
            title = entry.fields.get("organization") or entry.fields.get("title", "")
            return title.replace("{", "").replace("}", "") or entry.key
        if len(last) == 1:
            return last[0]
        if len(last) == 2:
            return f"{last[0]} and {last[1]}"
        return f"{last[0]} et al."

    class AuthorYear(BaseLabelStyle):  # type: ignore[misc]
        def format_labels(self, sorted_entries: Any) -> Any:
            for entry in sorted_entries:
                yield f"{names(entry)}, {entry.fields.get('year', 'n.d.')}"

    class BookStyle(Unsrt):  # type: ignore[misc]
        default_label_style = "book_author_year"
        default_sorting_style = "author_year_title"

    register_plugin("pybtex.style.labels", "book_author_year", AuthorYear)
    register_plugin("pybtex.style.formatting", "book", BookStyle)


def setup(app: Any) -> dict[str, Any]:
    _register_bibliography_style()
    app.connect("html-page-context", _clean_assets, priority=900)
    app.connect("doctree-resolved", _link_api_names)
    # after the theme has rewritten pygments.css (its own build-finished handler)
    app.connect("build-finished", _postprocess, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
