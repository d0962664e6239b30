"""Browser tests of the built site: every page of the TOC, in headless Debian chromium.

Run after the book is built (`make test` builds it first). For every page listed in
`_toc.yml` they check: HTTP 200, no console errors, no request to any host other than
127.0.0.1, every formula typeset by MathJax, every animation steps when its "Next frame"
button is clicked, and every image has alt text.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
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


def toc_pages() -> list[str]:
    """Every document the TOC lists, root first (paths without suffix)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            pages.append(chapter["file"])
            pages.extend(section["file"] for section in chapter.get("sections", []))
    return pages


PAGES = toc_pages()

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="install chromium: apt-get update && apt-get install -y chromium "
    "(.ci/run does this; the browser tests need Debian's chromium)",
)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    if not (HTML / "index.html").exists():
        pytest.fail(
            "the site is not built: run `make book` (make test builds it first)"
        )
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


class PageVisit:
    """One page load with everything the checks need recorded."""

    def __init__(self, browser: object, url: str) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.failed_requests: list[str] = []
        self.page.on(
            "console",
            lambda msg: (
                self.console_errors.append(msg.text) if msg.type == "error" else None
            ),
        )
        self.page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))
        self.page.on("request", self._on_request)
        self.page.on("requestfailed", lambda req: self.failed_requests.append(req.url))
        self.response = self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def _on_request(self, request: object) -> None:
        parsed = urlparse(request.url)
        if parsed.scheme in ("data", "blob", "about", "file"):
            return
        if parsed.hostname != "127.0.0.1":
            self.foreign_requests.append(request.url)

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def visits(server: str, browser: object) -> Iterator[dict[str, PageVisit]]:
    loaded = {page: PageVisit(browser, f"{server}/{page}.html") for page in PAGES}
    yield loaded
    for visit in loaded.values():
        visit.close()


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_with_status_200(visits: dict[str, PageVisit], page: str) -> None:
    assert visits[page].response is not None
    assert visits[page].response.status == 200


@pytest.mark.parametrize("page", PAGES)
def test_page_has_no_console_errors(visits: dict[str, PageVisit], page: str) -> None:
    assert visits[page].console_errors == []
    assert visits[page].failed_requests == []


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_nothing_from_other_hosts(
    visits: dict[str, PageVisit], page: str
) -> None:
    assert visits[page].foreign_requests == []


@pytest.mark.parametrize("page", PAGES)
def test_every_formula_is_typeset(visits: dict[str, PageVisit], page: str) -> None:
    p = visits[page].page
    p.wait_for_function(
        "() => !window.MathJax || !MathJax.startup || !MathJax.startup.promise"
        " || MathJax.startup.promise.then(() => true)"
    )
    result = p.evaluate(
        """async () => {
            if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
                await MathJax.startup.promise;
            }
            const maths = [...document.querySelectorAll('.math')];
            const untypeset = maths.filter(m => !m.querySelector('mjx-container'));
            const main = document.querySelector('main') || document.body;
            const text = main.innerText;
            return {count: maths.length, untypeset: untypeset.length,
                    raw: /\\$\\$|\\\\\\(|\\\\\\[|\\\\frac|\\\\lfloor/.test(text)};
        }"""
    )
    assert result["untypeset"] == 0, f"{result['untypeset']} formulas not typeset"
    assert not result["raw"], "raw TeX is visible on the page"


@pytest.mark.parametrize("page", PAGES)
def test_every_animation_steps(visits: dict[str, PageVisit], page: str) -> None:
    p = visits[page].page
    animations = p.locator("div.animation")
    for k in range(animations.count()):
        anim = animations.nth(k)
        img = anim.locator("img")
        before = img.get_attribute("src")
        anim.locator("button[title='Next frame']").click()
        p.wait_for_timeout(50)
        after = img.get_attribute("src")
        assert before and after and before != after, f"animation {k} did not advance"


@pytest.mark.parametrize("page", PAGES)
def test_every_image_has_alt_text(visits: dict[str, PageVisit], page: str) -> None:
    missing = visits[page].page.evaluate(
        """() => [...document.querySelectorAll('main img, article img')]
                 .filter(img => !(img.getAttribute('alt') || '').trim())
                 .map(img => (img.getAttribute('src') || '').slice(0, 80))"""
    )
    assert missing == []


def test_toc_lists_every_chapter_notebook() -> None:
    notebooks = sorted(p.stem for p in (ROOT / "book").glob("[0-9][0-9]_*.ipynb"))
    listed = {Path(page).name for page in PAGES}
    assert [nb for nb in notebooks if nb not in listed] == []


# --- the site opened from the file system (a USB stick in a classroom) ---------------


@pytest.fixture(scope="module")
def file_page(browser: object) -> Iterator[object]:
    if not (HTML / "index.html").exists():
        pytest.fail(
            "the site is not built: run `make book` (make test builds it first)"
        )
    context = browser.new_context()
    page = context.new_page()
    page.errors = []
    page.on(
        "console", lambda m: page.errors.append(m.text) if m.type == "error" else None
    )
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def test_file_url_math_and_animation_work(file_page: object) -> None:
    chapter = next(p for p in PAGES if Path(p).name.startswith("01_"))
    file_page.goto((HTML / f"{chapter}.html").as_uri(), wait_until="load")
    typeset = file_page.evaluate(
        """async () => {
            await MathJax.startup.promise;
            const maths = [...document.querySelectorAll('.math')];
            return [maths.length, maths.filter(m => m.querySelector('mjx-container')).length];
        }"""
    )
    assert typeset[0] > 0 and typeset[0] == typeset[1]
    anim = file_page.locator("div.animation").first
    before = anim.locator("img").get_attribute("src")
    anim.locator("button[title='Next frame']").click()
    assert anim.locator("img").get_attribute("src") != before
    assert file_page.errors == []


def test_file_url_navigation_follows_the_toc(file_page: object) -> None:
    file_page.goto((HTML / f"{PAGES[0]}.html").as_uri(), wait_until="load")
    for expected in PAGES[1:]:
        file_page.locator("a.right-next").first.click()
        file_page.wait_for_load_state("load")
        assert file_page.url.endswith(f"{expected}.html"), file_page.url
    assert file_page.errors == []


def test_file_url_search_finds_chapters(file_page: object) -> None:
    file_page.goto(
        (HTML / "search.html").as_uri() + "?q=interpolation", wait_until="load"
    )
    file_page.wait_for_selector("#search-results li", timeout=10_000)
    assert file_page.locator("#search-results li").count() >= 1
