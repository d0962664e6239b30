"""Browser tests of the built site, read the way its readers read it.

Every page of the TOC is opened in headless Debian chromium at desktop (1280 px),
tablet (768 px) and phone (390 px, touch) width, printed at A4 width, in light and
dark mode, from a local server and from ``file://``. What a page must show is derived
from its *source* notebook (``book_promises``), never from what happens to be on the
page, so a page that lost its figures fails.

Run after the book is built (``make test`` builds it first). Pages are grouped per
xdist worker (``--dist loadgroup``): each worker loads its pages once per width and
every test of that page reads the same visit.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import book_promises
import nbformat
import pytest
from book_promises import HTML, ROOT, Chapter, chapters, image_outputs, toc_pages

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PAGES = toc_pages()
CHAPTERS: dict[str, Chapter] = {c.docname: c for c in chapters()}
WIDTHS = {"phone": 390, "tablet": 768, "desktop": 1280}
#: First visit of a chapter page, everything it loads (a classroom on poor Wi-Fi).
MAX_PAGE_BYTES = 1_500_000
#: Printable width of A4 with the book's 15 mm margins, in CSS pixels (96 per inch).
A4_PRINT_WIDTH = round((210 - 2 * 15) / 25.4 * 96)

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="install chromium: apt-get update && apt-get install -y chromium "
    "(.ci/run does this; the browser tests need Debian's chromium)",
)


def by_page(pages: list[str]) -> list[Any]:
    """Parametrise over pages, keeping each page's tests on one xdist worker."""
    return [pytest.param(p, id=p, marks=pytest.mark.xdist_group(p)) for p in pages]


CHAPTER_PAGES = [p for p in PAGES if p in CHAPTERS]


# --- server, browser, one visit per page and width ------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    if not (HTML / "index.html").exists():
        pytest.fail("the site is not built: run `make book` (make test builds it)")
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


#: Resolves when the page's running CSS transitions have ended (at most 2 s): a colour
#: or an opacity sampled half-way through a fade is not what a reader sees.
SETTLE_JS = """() => Promise.race([
    Promise.all(document.getAnimations().filter(a => a instanceof CSSTransition)
        .map(a => a.finished.catch(() => null))),
    new Promise(resolve => setTimeout(resolve, 2000))])"""


def settle(page: Any) -> None:
    """Wait until the page's CSS transitions have ended."""
    page.evaluate(SETTLE_JS)


class Visit:
    """One page opened at one width, with what the checks need recorded."""

    def __init__(self, browser: Any, url: str, width: int, touch: bool = False) -> None:
        self.width = width
        self.context = browser.new_context(
            viewport={"width": width, "height": 900},
            has_touch=touch,
            is_mobile=touch and width < 500,
        )
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.failed_requests: list[str] = []
        self.requests: list[str] = []
        self.bytes = 0
        self.page.on(
            "console",
            lambda m: self.console_errors.append(m.text) if m.type == "error" else None,
        )
        self.page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))
        self.page.on("request", self._on_request)
        self.page.on("requestfinished", self._on_finished)
        self.page.on("requestfailed", lambda r: self.failed_requests.append(r.url))
        self.response = self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")
        # what the first visit cost, before any test acts on the page
        self.bytes_on_load = self.bytes
        self.requests_on_load = len(self.requests)

    def _on_request(self, request: Any) -> None:
        parsed = urlparse(request.url)
        if parsed.scheme in ("data", "blob", "about"):
            return
        self.requests.append(request.url)
        if parsed.scheme != "file" and parsed.hostname != "127.0.0.1":
            self.foreign_requests.append(request.url)

    def _on_finished(self, request: Any) -> None:
        if urlparse(request.url).scheme in ("data", "blob", "about"):
            return
        sizes = request.sizes()
        self.bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    def at(self, width: int) -> None:
        """Show the page at ``width`` CSS pixels (no reload)."""
        if width != self.width:
            self.page.set_viewport_size({"width": width, "height": 900})
            self.page.wait_for_timeout(150)  # layout, and book.js's resize handler
            settle(self.page)  # the sidebars fade in and out (0.25 s)
            self.width = width

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="session")
def visits(server: str, browser: Any) -> Iterator[Any]:
    """``visits(page, width)``: the page, loaded once, shown at that width.

    The page is loaded once per worker in a fresh context (a first visit: its bytes
    are the weight test's); other widths resize the same page, as a reader turning
    a tablet would. ``touch=True`` gives a separate touch-screen context (the drawer
    tests tap).
    """
    cache: dict[tuple[str, bool], Visit] = {}

    def get(page: str, width: str = "desktop", touch: bool = False) -> Visit:
        key = (page, touch)
        if key not in cache:
            # one page at a time: close the previous pages' contexts
            for other in [k for k in cache if k[0] != page]:
                cache.pop(other).close()
            cache[key] = Visit(
                browser, f"{server}/{page}.html", WIDTHS[width], touch=touch
            )
        visit = cache[key]
        visit.at(WIDTHS[width])
        return visit

    yield get
    for visit in cache.values():
        visit.close()


# --- the page loads, offline, without errors -------------------------------------------


@pytest.mark.parametrize("page", by_page(PAGES))
def test_page_loads_offline_without_errors(visits: Any, page: str) -> None:
    visit = visits(page)
    assert visit.response is not None and visit.response.status == 200
    assert visit.console_errors == []
    assert visit.failed_requests == []
    assert visit.foreign_requests == []


def test_toc_lists_every_chapter_notebook() -> None:
    notebooks = sorted(p.stem for p in (ROOT / "book").glob("[0-9][0-9]_*.ipynb"))
    listed = {Path(page).name for page in PAGES}
    assert [nb for nb in notebooks if nb not in listed] == []


MATH_JS = """() => {
    const maths = [...document.querySelectorAll('.math')];
    const untypeset = maths.filter(m => !m.querySelector('mjx-container svg'));
    const readable = maths.filter(m => m.querySelector('mjx-assistive-mml math'));
    const main = document.querySelector('main') || document.body;
    const text = main.innerText;
    return {count: maths.length, untypeset: untypeset.length, readable: readable.length,
            raw: /\\$\\$|\\\\\\(|\\\\\\[|\\\\frac|\\\\lfloor/.test(text),
            mathjax: [...document.scripts].filter(s => /mathjax/.test(s.src)).length};
}"""


@pytest.mark.parametrize("page", by_page(PAGES))
def test_every_formula_is_typeset_without_client_mathjax(
    visits: Any, page: str
) -> None:
    result = visits(page).page.evaluate(MATH_JS)
    assert result["untypeset"] == 0, f"{result['untypeset']} formulas not typeset"
    assert result["readable"] == result["count"], "a formula has no MathML for readers"
    assert not result["raw"], "raw TeX is visible on the page"
    assert result["mathjax"] == 0, "formulas are typeset at build time, not by MathJax"


# --- figures: every figure cell of the notebook is on the page ------------------------


def _executed_cells(chapter: Chapter) -> dict[str, nbformat.NotebookNode]:
    if not chapter.executed.exists():
        pytest.fail(f"{chapter.executed} is missing: run `make book`")
    nb = nbformat.read(chapter.executed, as_version=4)
    return {cell.get("id", ""): cell for cell in nb.cells}


def test_chapters_promise_figures() -> None:
    # guards the promise reader itself: the book has had 35 static figures
    assert sum(len(c.figures) for c in CHAPTERS.values()) >= 30


@pytest.mark.parametrize("page", by_page(CHAPTER_PAGES))
def test_every_figure_cell_has_alt_text(page: str) -> None:
    missing = [f.index for f in CHAPTERS[page].figures if not f.alt]
    assert missing == [], f"figure cells without alt text: {missing}"


@pytest.mark.parametrize("page", by_page(CHAPTER_PAGES))
def test_executed_notebook_holds_an_image_for_every_figure_cell(page: str) -> None:
    cells = _executed_cells(CHAPTERS[page])
    empty = [
        f.index for f in CHAPTERS[page].figures if not image_outputs(cells[f.cell_id])
    ]
    assert empty == [], f"figure cells that drew nothing: {empty}"


FIGURES_JS = """() => [...document.querySelectorAll('article img')].map(img => {
    const r = img.getBoundingClientRect();
    return {alt: (img.getAttribute('alt') || '').trim(), complete: img.complete,
            natural: img.naturalWidth, width: r.width, height: r.height,
            visible: img.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}),
            collapsed: !!img.closest('details:not([open])')};
})"""


@pytest.mark.parametrize("page", by_page(CHAPTER_PAGES))
def test_every_figure_is_shown_with_its_alt_text(visits: Any, page: str) -> None:
    chapter = CHAPTERS[page]
    cells = _executed_cells(chapter)
    expected: dict[str, int] = {}
    for fig in chapter.figures:
        expected[fig.alt] = expected.get(fig.alt, 0) + image_outputs(cells[fig.cell_id])
    shown = visits(page).page.evaluate(FIGURES_JS)
    found = {alt: [i for i in shown if i["alt"] == alt] for alt in expected}
    for alt, count in expected.items():
        assert len(found[alt]) == count, f"{count} images expected with alt {alt!r}"
        for img in found[alt]:
            assert img["complete"] and img["natural"] > 0, f"not loaded: {alt!r}"
            if not img["collapsed"]:
                assert img["visible"] and img["width"] > 0, f"not visible: {alt!r}"
    assert [i["natural"] for i in shown if not i["alt"]] == [], "images without alt"


def test_kernels_of_make_lab_draw_figures(tmp_path: Path) -> None:
    """A notebook run with the environment `make` gives its kernels shows its figure.

    (A global ``export MPLBACKEND=Agg`` once silently removed every figure.)"""
    import subprocess

    env_json = subprocess.run(
        ["make", "--no-print-directory", "-s", "kernel-env"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    env = json.loads(env_json.strip().splitlines()[-1])
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import matplotlib.pyplot as plt\n"
            "from lesson_utils import plotting\n"
            "plotting.setup_style()\n"
            "plt.plot([0, 1], [1, 0])\n"
            "plt.show()"
        )
    ]
    source = tmp_path / "figure.ipynb"
    nbformat.write(nb, source)
    jupyter = Path(env.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "jupyter"
    if not jupyter.exists():
        jupyter = ROOT / ".venv" / "bin" / "jupyter"
    subprocess.run(
        [str(jupyter), "nbconvert", "--to", "notebook", "--execute", str(source)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=True,
        timeout=120,
    )
    executed = nbformat.read(tmp_path / "figure.nbconvert.ipynb", as_version=4)
    assert image_outputs(executed.cells[0]) == 1, "the kernel drew no figure"


# --- explorers and animations -----------------------------------------------------------


def test_chapters_promise_explorers() -> None:
    # guards the promise reader: every chapter's Try it has an in-page explorer
    assert len({e for c in CHAPTERS.values() for e in c.explorers}) >= 7


EXPLORER_JS = """(name) => {
    const roots = [...document.querySelectorAll(`[data-explorer="${name}"]`)];
    return roots.map(r => ({mounted: r.hasAttribute('data-mounted'),
                            error: r.getAttribute('data-error'),
                            plot: !!r.querySelector('.ex-plot'),
                            readout: (r.querySelector('[data-readout]') || {}).textContent
                                     || ''}));
}"""


@pytest.mark.parametrize("page", by_page(CHAPTER_PAGES))
def test_every_promised_explorer_runs_in_the_page(visits: Any, page: str) -> None:
    p = visits(page).page
    for name in CHAPTERS[page].explorers:
        roots = p.evaluate(EXPLORER_JS, name)
        assert roots, f"explorer {name} is missing from the page"
        for root in roots:
            assert root["mounted"] and root["error"] is None, root
            assert root["plot"] and root["readout"].strip(), root


ANIMATION_JS = """() => [...document.querySelectorAll('div.animation')].map(a => ({
    buttons: [...a.querySelectorAll('button')].map(b => ({
        name: b.getAttribute('title') || b.getAttribute('aria-label') || b.innerText,
        icon: !!b.querySelector('svg') || b.innerText.trim().length > 0})),
    slider: !!a.querySelector('input[type=range][aria-label]'),
    fa: a.querySelectorAll('[class*="fa-"]').length}))"""


@pytest.mark.parametrize("page", by_page(CHAPTER_PAGES))
def test_animations_step_and_their_buttons_draw_without_fonts(
    visits: Any, page: str
) -> None:
    p = visits(page).page
    animations = p.evaluate(ANIMATION_JS)
    # as many players as the notebook has animation cells (none, since the explorers
    # play their sweeps): a stale or hidden player is as wrong as a missing one
    assert len(animations) == CHAPTERS[page].animations
    for k, anim in enumerate(animations):
        assert anim["fa"] == 0 and anim["slider"], anim
        assert all(b["icon"] and b["name"] for b in anim["buttons"]), anim["buttons"]
        loc = p.locator("div.animation").nth(k)
        before = loc.locator("img").get_attribute("src")
        loc.locator("button[title='Next frame']").click()
        p.wait_for_timeout(50)
        assert loc.locator("img").get_attribute("src") != before, f"animation {k}"


# --- phone and tablet --------------------------------------------------------------------

OVERFLOW_JS = """() => {
    const vw = document.documentElement.clientWidth;
    const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    const bad = [];
    for (const el of document.querySelectorAll('article.bd-article *')) {
        if (!el.checkVisibility({checkVisibilityCSS: true})) continue;
        if (el.closest('mjx-assistive-mml')) continue;  // for screen readers, not shown
        const r = el.getBoundingClientRect();
        if (r.width === 0 || (r.right <= vw + 1 && r.left >= -1)) continue;
        let contained = false;
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
            if (scrolls(a)) {
                const ar = a.getBoundingClientRect();
                if (ar.right <= vw + 1 && ar.left >= -1) { contained = true; }
                break;
            }
        }
        if (!contained) bad.push(`${el.tagName.toLowerCase()}.${String(el.className)
            .slice(0, 40)} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
    }
    return {vw, scrollWidth: document.documentElement.scrollWidth, bad: bad.slice(0, 12),
            count: bad.length};
}"""

LEGIBLE_JS = """() => [...document.querySelectorAll('article img')].filter(
    img => img.checkVisibility() && img.naturalWidth > 0).map(img => {
    let a = img.parentElement;
    while (a && !['auto', 'scroll'].includes(getComputedStyle(a).overflowX))
        a = a.parentElement;
    return {alt: img.alt.slice(0, 50), scale: img.getBoundingClientRect().width
            / img.naturalWidth, natural: img.naturalWidth, scrolls: !!a};
})"""

#: A figure drawn at 80 dpi with 10 pt labels keeps labels of at least ~7 px.
MIN_FIGURE_SCALE = 0.62


@pytest.mark.parametrize("width", ["phone", "tablet"])
@pytest.mark.parametrize("page", by_page(PAGES))
def test_nothing_sticks_out_of_a_narrow_screen(
    visits: Any, page: str, width: str
) -> None:
    result = visits(page, width).page.evaluate(OVERFLOW_JS)
    assert result["scrollWidth"] <= result["vw"], "the page scrolls sideways"
    assert result["count"] == 0, result["bad"]


@pytest.mark.parametrize("width", ["phone", "tablet"])
@pytest.mark.parametrize("page", by_page(CHAPTER_PAGES))
def test_figures_stay_legible_on_a_narrow_screen(
    visits: Any, page: str, width: str
) -> None:
    small = [
        (f["alt"], round(f["scale"], 2))
        for f in visits(page, width).page.evaluate(LEGIBLE_JS)
        if f["scale"] < MIN_FIGURE_SCALE
    ]
    assert small == [], "figures shrunk below legibility"


DRAWER_JS = """(id) => {
    const dialog = document.getElementById(id);
    const link = dialog && dialog.querySelector('a');
    return {open: !!(dialog && dialog.open),
            linkVisible: !!(link && link.checkVisibility() &&
                            link.getBoundingClientRect().width > 0)};
}"""
DRAWERS = {
    "primary": ("button.primary-toggle", "pst-primary-sidebar-modal"),
    "secondary": ("button.secondary-toggle", "pst-secondary-sidebar-modal"),
}


@pytest.mark.parametrize("how", ["tap", "Enter"])
@pytest.mark.parametrize("drawer", ["primary", "secondary"])
@pytest.mark.parametrize("width", ["phone", "tablet"])
@pytest.mark.parametrize("page", by_page(CHAPTER_PAGES[:1] + ["book/intro"]))
def test_drawers_open_on_a_narrow_screen(
    visits: Any, page: str, width: str, drawer: str, how: str
) -> None:
    p = visits(page, width, touch=True).page
    selector, dialog = DRAWERS[drawer]
    button = p.locator(f"{selector}:visible").first
    assert button.count() == 1, f"no visible {drawer} toggle"
    if how == "tap":
        button.tap()
    else:
        button.focus()
        p.keyboard.press("Enter")
    p.wait_for_timeout(300)
    state = p.evaluate(DRAWER_JS, dialog)
    p.keyboard.press("Escape")
    p.wait_for_timeout(200)
    assert state["open"] and state["linkVisible"], f"the {drawer} drawer did not open"
    assert not p.evaluate(DRAWER_JS, dialog)["open"], "Escape did not close it"


def test_sidebar_button_hides_and_shows_the_chapter_list(visits: Any) -> None:
    p = visits(CHAPTER_PAGES[0], "desktop").page
    sidebar = p.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    p.locator("button.primary-toggle:visible").first.click()
    p.wait_for_timeout(400)
    hidden = not sidebar.is_visible() or sidebar.bounding_box()["x"] < 0
    p.locator("button.primary-toggle:visible").first.click()
    p.wait_for_timeout(400)
    assert hidden, "the sidebar button did nothing at desktop width"
    assert sidebar.is_visible() and sidebar.bounding_box()["x"] >= 0


# --- accessibility: axe-core in light and dark mode -----------------------------------


def _axe(page: Any, options: str, context: str = "document") -> list[dict]:
    from axe_playwright_python import sync_playwright as axe_module

    if not page.evaluate("() => !!window.axe"):
        script = (Path(axe_module.__file__).parent / "axe.min.js").read_text()
        page.evaluate(script)
    result = page.evaluate(f"axe.run({context}, {options}).then(r => r.violations)")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result
        if v["impact"] in ("critical", "serious")
    ]


def _mode(page: Any, mode: str) -> None:
    page.evaluate(
        "(mode) => { document.documentElement.dataset.theme = mode;"
        " document.documentElement.dataset.mode = mode; }",
        mode,
    )
    page.wait_for_timeout(50)
    settle(page)  # buttons change colour over 0.15 s


#: Every rule in light mode; in dark mode only what the mode changes, the colours.
#: Code blocks are left out of these per-page runs (their thousands of highlighted
#: spans make the contrast rule slow) and checked once below, in both modes.
AXE_RUNS = {
    "light": ("{resultTypes: ['violations']}", "{exclude: [['div.highlight']]}"),
    "dark": (
        "{resultTypes: ['violations'], runOnly: ['color-contrast']}",
        "{exclude: [['div.highlight']]}",
    ),
}


#: The API reference is one long page (about 31,000 elements) of the same few kinds of
#: markup: its colours are checked on its first module, every other rule on all of it
#: (the contrast rule on the whole page alone took 50-60 s per mode).
API_AXE_RUNS = {
    "light": (
        "{resultTypes: ['violations'], rules: {'color-contrast': {enabled: false}}}",
        "{exclude: [['div.highlight']]}",
    ),
    "contrast": (
        "{resultTypes: ['violations'], runOnly: ['color-contrast']}",
        "{include: [['section#module-lesson_utils\\\\.interp1d']],"
        " exclude: [['div.highlight']]}",
    ),
}


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("page", by_page(PAGES))
def test_axe_finds_no_serious_violation(visits: Any, page: str, mode: str) -> None:
    p = visits(page).page
    if page == "book/api":
        runs = [API_AXE_RUNS["light"]] if mode == "light" else []
        runs.append(API_AXE_RUNS["contrast"])
    else:
        runs = [AXE_RUNS[mode]]
    _mode(p, mode)
    try:
        violations = [v for run in runs for v in _axe(p, *run)]
    finally:
        _mode(p, "light")
    assert violations == []


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_highlighted_code_keeps_its_contrast(visits: Any, mode: str) -> None:
    page = CHAPTER_PAGES[0]
    p = visits(page).page
    _mode(p, mode)
    try:
        violations = _axe(
            p,
            "{resultTypes: ['violations'], runOnly: ['color-contrast']}",
            "{include: [['div.highlight']]}",
        )
    finally:
        _mode(p, "light")
    assert violations == []


# --- weight ----------------------------------------------------------------------------


@pytest.mark.parametrize("page", by_page(CHAPTER_PAGES))
def test_chapter_page_is_light_enough_for_a_classroom(visits: Any, page: str) -> None:
    visit = visits(page)
    assert visit.bytes_on_load <= MAX_PAGE_BYTES, (
        f"{visit.bytes_on_load / 1e6:.2f} MB over {visit.requests_on_load} requests"
    )


def test_search_does_not_download_the_matching_pages(server: str, browser: Any) -> None:
    visit = Visit(browser, f"{server}/search.html?q=bilinear", WIDTHS["desktop"])
    try:
        visit.page.wait_for_selector("#search-results li", timeout=15_000)
        hits = visit.page.locator("#search-results li").count()
        pages = [u for u in visit.requests if "/book/" in u and ".html" in u]
        assert hits >= 3
        assert pages == [], f"search fetched {len(pages)} pages"
        # the theme's shared assets, the search index and the search page: no more
        # than one chapter page may cost
        assert visit.bytes <= MAX_PAGE_BYTES
    finally:
        visit.close()


# --- print -----------------------------------------------------------------------------

PRINT_JS = """(width) => {
    const cut = [];
    for (const el of document.querySelectorAll('article pre, article .cell_output, '
                                               + 'article table')) {
        if (!el.checkVisibility() || getComputedStyle(el).display === 'inline') continue;
        if (el.scrollWidth > el.clientWidth + 1 ||
            el.getBoundingClientRect().right > width + 1)
            cut.push(`${el.tagName.toLowerCase()}: ${el.innerText.slice(0, 40)}`);
    }
    for (const svg of document.querySelectorAll('article mjx-container > svg')) {
        if (svg.checkVisibility() && svg.getBoundingClientRect().right > width + 1)
            cut.push(`formula: ${svg.parentElement.textContent.slice(0, 40)}`);
    }
    const images = [...document.querySelectorAll('article img')].filter(
        i => i.checkVisibility() && i.getBoundingClientRect().right > width + 1);
    const hiddenUi = [...document.querySelectorAll(
        '.bd-sidebar-primary, .bd-sidebar-secondary, .bd-header-article, '
        + '.prev-next-footer')].filter(e => e.checkVisibility()).length;
    return {cut: cut.slice(0, 10), count: cut.length, images: images.length, hiddenUi};
}"""


@pytest.mark.parametrize("page", by_page(PAGES))
def test_printed_page_cuts_no_line(visits: Any, page: str) -> None:
    p = visits(page).page
    p.set_viewport_size({"width": A4_PRINT_WIDTH, "height": 1100})
    p.emulate_media(media="print")
    try:
        result = p.evaluate(PRINT_JS, A4_PRINT_WIDTH)
    finally:
        p.emulate_media(media="screen")
        p.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    assert result["count"] == 0, result["cut"]
    assert result["images"] == 0, "a figure is wider than the printed page"
    assert result["hiddenUi"] == 0, "navigation is printed"


# --- exercises, API links, licence, downloads, citations -------------------------------

EXERCISE_JS = """(stubs) => {
    const article = document.querySelector('article.bd-article');
    const text = article.innerText;
    return {stubsVisible: stubs.filter(s => text.includes(s)),
            toggles: article.querySelectorAll('.tag_solution details').length,
            open: article.querySelectorAll('.tag_solution details[open]').length,
            verdicts: [...article.querySelectorAll('.tag_solution .exercise-feedback')]
                .filter(v => v.checkVisibility()).map(v => v.innerText),
            checks: article.querySelectorAll('.tag_check').length};
}"""


@pytest.mark.parametrize("page", by_page(CHAPTER_PAGES))
def test_exercises_show_question_collapsed_solution_and_its_verdict(
    visits: Any, page: str
) -> None:
    exercises = CHAPTERS[page].exercises
    assert len(exercises) >= 3
    p = visits(page).page
    result = p.evaluate(EXERCISE_JS, [e["stub_source"] for e in exercises])
    assert result["stubsVisible"] == [], "an empty answer stub is shown on the site"
    assert result["checks"] == 0, "a check cell is shown on the site"
    assert result["toggles"] == len(exercises) and result["open"] == 0
    assert len(result["verdicts"]) == len(exercises)
    for verdict, ex in zip(result["verdicts"], exercises, strict=True):
        assert ex["id"] in verdict and "correct" in verdict.lower(), verdict


def _spellings(value: Any) -> set[str]:
    """How an expected answer would look if a cell printed it (2 to 4 decimals)."""
    import numpy as np

    arr = np.atleast_1d(np.asarray(value, dtype=float)).ravel()
    if arr.size > 16 or not np.all(np.isfinite(arr)):
        return set()
    # whole numbers and halves are too common in the text to count as giving it away
    if np.all(np.abs(arr * 2 - np.round(arr * 2)) < 1e-9):
        return set()
    out = set()
    for d in (2, 3, 4):
        parts = [f"{v:.{d}f}" for v in arr]
        out.add(", ".join(parts) if arr.size > 1 else parts[0])
    return out


def _text_of(cell: nbformat.NotebookNode) -> str:
    if cell.cell_type == "markdown":
        return cell.source
    texts = []
    for out in cell.get("outputs", []):
        texts.append(str(out.get("text", "")))
        data = out.get("data", {})
        texts.append(str(data.get("text/plain", "")))
        # what an HTML output shows: not its scripts (an explorer's data) nor its tags
        page = re.sub(
            r"<script.*?</script>", " ", str(data.get("text/html", "")), flags=re.S
        )
        texts.append(re.sub(r"<[^>]+>", " ", page))
    return "\n".join(texts)


@pytest.mark.parametrize("page", by_page(CHAPTER_PAGES))
def test_no_answer_is_printed_before_its_exercise(page: str) -> None:
    from lesson_utils import checks

    chapter = CHAPTERS[page]
    nb = nbformat.read(chapter.executed, as_version=4)
    given_away = []
    for ex in chapter.exercises:
        expected = checks.get(ex["id"]).expected_value()
        try:
            spellings = _spellings(expected)
        except (TypeError, ValueError):
            continue  # a string or a structure: not a printed number
        above = "\n".join(_text_of(c) for c in nb.cells[: ex["stub"]])
        given_away += [
            (ex["id"], s)
            for s in spellings
            if re.search(rf"(?<![\d.]){re.escape(s)}(?!\d)", above)
        ]
    assert given_away == [], "answers printed above their exercise"


API_LINKS_JS = """() => {
    const para = [...document.querySelectorAll('article p')].find(
        p => p.innerText.trim() === 'What you need');
    if (!para) return null;
    const out = [];
    for (let s = para.nextElementSibling; s && s.tagName === 'P'; s = s.nextElementSibling)
        for (const code of s.querySelectorAll('code'))
            out.push([code.innerText, code.closest('a') ? code.closest('a').href : null]);
    return out;
}"""


@pytest.mark.parametrize("page", by_page(CHAPTER_PAGES))
def test_what_you_need_links_every_function_to_the_api_reference(
    visits: Any, page: str, server: str
) -> None:
    names = CHAPTERS[page].what_you_need
    assert names, "the chapter lists no lesson_utils function"
    links = dict(visits(page).page.evaluate(API_LINKS_JS) or [])
    api = (HTML / "book" / "api.html").read_text(encoding="utf-8")
    for name in names:
        href = links.get(name)
        assert href, f"`{name}` is not a link"
        assert urlparse(href).path.endswith("/book/api.html")
        anchor = urlparse(href).fragment
        assert f'id="{anchor}"' in api, f"no entry {anchor} in the API reference"


@pytest.mark.parametrize("page", by_page(PAGES))
def test_every_page_states_the_licence(visits: Any, page: str, server: str) -> None:
    links = visits(page).page.evaluate(
        "() => [...document.querySelectorAll('.book-licence a')].map(a => a.href)"
    )
    assert len(links) == 2
    for href in links:
        body = visits(page).page.request.get(href)
        assert body.status == 200 and b"License" in body.body()


@pytest.mark.parametrize("page", by_page(CHAPTER_PAGES))
def test_chapter_offers_its_student_copy(visits: Any, page: str) -> None:
    p = visits(page).page
    href = p.evaluate("() => document.querySelector('.student-copy a[download]').href")
    response = p.request.get(href)
    assert response.status == 200
    nb = nbformat.reads(response.text(), as_version=4)
    tags = [set(c.get("metadata", {}).get("tags", [])) for c in nb.cells]
    assert not any("solution" in t for t in tags)
    assert sum("exercise" in t for t in tags) == len(CHAPTERS[page].exercises)
    assert all(c.get("outputs", []) == [] for c in nb.cells if c.cell_type == "code")


def test_citations_match_the_bibliography(visits: Any) -> None:
    labels = visits("book/references").page.evaluate(
        "() => [...document.querySelectorAll('.citation .label')].map(l => l.innerText)"
    )
    assert labels and all("," in label for label in labels), labels
    cites = visits("book/02_bilinear_interpolation").page.evaluate(
        "() => [...document.querySelectorAll('.bibtex-citation a')].map(a => a.innerText)"
    )
    bare = {label.strip("[]") for label in labels}
    assert cites and all(c in bare for c in cites), (cites, bare)


def test_intro_gives_a_bibtex_entry(visits: Any) -> None:
    text = visits("book/intro").page.evaluate(
        "() => document.querySelector('article').innerText"
    )
    assert "@book{" in text and "title" in text


# --- printed handouts -------------------------------------------------------------------


def test_handouts_print_a_chapter_with_and_without_solutions(
    tmp_path: Path, browser: Any
) -> None:
    from pypdf import PdfReader

    from lesson_utils import handouts

    stem = Path(CHAPTER_PAGES[0]).name
    # a line of the first solution's code (short enough not to wrap on A4) and its id
    promised = book_promises.chapter(CHAPTER_PAGES[0])
    first = promised.exercises[0]
    nb = nbformat.read(promised.source, as_version=4)
    code_lines = [
        line.strip()
        for line in nb.cells[first["solution"]].source.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    line = min((c for c in code_lines if len(c) >= 15), key=len)
    written = handouts.write_handouts(HTML, tmp_path, chapters=[stem], browser=browser)
    assert [p.name for p in written] == [f"{stem}.pdf", f"{stem}-student.pdf"]
    texts = {}
    for pdf in written:
        reader = PdfReader(pdf)
        assert len(reader.pages) >= 3
        texts[pdf.name] = " ".join(page.extract_text() for page in reader.pages)
    teacher, student = texts[f"{stem}.pdf"], texts[f"{stem}-student.pdf"]
    # a formula the chapter prints, in both; a solution's code and its verdict, only in
    # the first
    for text in (teacher, student):
        assert "floor(x + 0.5)" in text
    teacher, student = (" ".join(t.split()) for t in (teacher, student))
    for solution in (line, f"{first['id']} Correct"):
        assert solution in teacher and solution not in student, solution


# --- the site opened from the file system (a USB stick in a classroom) ------------------


@pytest.fixture(scope="module")
def file_page(browser: Any) -> Iterator[Any]:
    if not (HTML / "index.html").exists():
        pytest.fail("the site is not built: run `make book` (make test builds it)")
    context = browser.new_context()
    page = context.new_page()
    page.errors = []
    page.on(
        "console", lambda m: page.errors.append(m.text) if m.type == "error" else None
    )
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_file_url_shows_math_figures_and_a_working_explorer(
    file_page: Any, page: str
) -> None:
    file_page.errors.clear()
    file_page.goto((HTML / f"{page}.html").as_uri(), wait_until="load")
    result = file_page.evaluate(MATH_JS)
    assert result["count"] > 0 and result["untypeset"] == 0
    images = file_page.evaluate(FIGURES_JS)
    assert len(images) >= len(CHAPTERS[page].figures)
    assert all(i["natural"] > 0 for i in images)
    name = CHAPTERS[page].explorers[0]
    root = file_page.locator(f'[data-explorer="{name}"][data-mounted]').first
    readout = root.locator("[data-readout]")
    before = readout.inner_text()
    root.locator(".ex-plot").first.focus()
    for key in ("ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"):
        file_page.keyboard.press(key)
        file_page.wait_for_timeout(100)
        if readout.inner_text() != before:
            break
    assert readout.inner_text() != before, "the explorer does not answer the keyboard"
    assert file_page.errors == []


def test_file_url_navigation_follows_the_toc(file_page: Any) -> None:
    file_page.goto((HTML / f"{PAGES[0]}.html").as_uri(), wait_until="load")
    for expected in PAGES[1:]:
        file_page.locator("a.right-next").first.click()
        file_page.wait_for_load_state("load")
        assert file_page.url.endswith(f"{expected}.html"), file_page.url
    assert file_page.errors == []


def test_file_url_search_finds_chapters(file_page: Any) -> None:
    file_page.goto(
        (HTML / "search.html").as_uri() + "?q=interpolation", wait_until="load"
    )
    file_page.wait_for_selector("#search-results li", timeout=10_000)
    assert file_page.locator("#search-results li").count() >= 1
