"""What a first visit to each page of the built site costs a reader on a slow network.

Serves ``_build/html`` from a local ``http.server`` (no compression, as a plain static
host would), opens every chapter page in a fresh headless Chromium context (an empty
cache) and reports, per page: bytes transferred (bodies and headers), number of
requests, the bytes by kind of resource, and the time to DOMContentLoaded and to
``load`` with the network throttled to 1.6 Mbit/s down, 0.75 Mbit/s up and 40 ms of
latency (a crowded classroom Wi-Fi). Run after ``make book``::

    .venv/bin/python benchmarks/bench_site.py [--pages 06_grad_cam ...]

Numbers depend on the machine only through the browser's own work (layout, the
explorers' first draw); the transfer time is set by the throttle.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from lesson_utils.handouts import CHROMIUM_FLAGS as FLAGS

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
CHROMIUM = "/usr/bin/chromium"
DOWN_BITS = 1.6e6
UP_BITS = 0.75e6
LATENCY_MS = 40


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:  # noqa: D102
        pass


def _serve() -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _kind(url: str) -> str:
    path = urlparse(url).path
    suffix = Path(path).suffix.lower()
    return {
        ".html": "html",
        ".js": "js",
        ".css": "css",
        ".png": "images",
        ".svg": "images",
        ".webp": "images",
        ".jpg": "images",
        ".woff": "fonts",
        ".woff2": "fonts",
        ".ttf": "fonts",
    }.get(suffix, "other")


def measure(browser: Any, url: str, throttle: bool) -> dict[str, Any]:
    """Open ``url`` once in a fresh context; return bytes, requests and timings."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    by_kind: Counter[str] = Counter()
    requests: list[str] = []

    def finished(request: Any) -> None:
        if urlparse(request.url).scheme in ("data", "blob", "about"):
            return
        try:
            sizes = request.sizes()
        except Exception:  # noqa: BLE001 - finished after the context closed: not counted
            return
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        requests.append(request.url)
        by_kind[_kind(request.url)] += size

    page.on("requestfinished", finished)
    if throttle:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": LATENCY_MS,
                "downloadThroughput": DOWN_BITS / 8,
                "uploadThroughput": UP_BITS / 8,
            },
        )
    page.goto(url, wait_until="load", timeout=300_000)
    page.wait_for_load_state("networkidle", timeout=300_000)
    timing = page.evaluate(
        """() => {
        const t = performance.getEntriesByType('navigation')[0];
        return {dcl: t.domContentLoadedEventEnd, load: t.loadEventEnd};
    }"""
    )
    context.close()
    return {
        "bytes": sum(by_kind.values()),
        "requests": len(requests),
        "by_kind": dict(by_kind),
        "dcl_s": timing["dcl"] / 1000,
        "load_s": timing["load"] / 1000,
    }


def main() -> None:
    """Print one row per page."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--pages", nargs="*", help="page stems under book/ (default: all)"
    )
    args = parser.parse_args()
    if not (SITE / "book").is_dir():
        raise SystemExit(f"{SITE} has no book/ folder: run `make book` first")
    stems = args.pages or sorted(p.stem for p in (SITE / "book").glob("*.html"))
    server, base = _serve()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            print(
                f"{'page':34} {'MB':>5} {'req':>4} {'html':>6} {'js':>6} {'css':>6} "
                f"{'img':>6} {'DCL s':>6} {'load s':>6}   (kB; DCL/load at 1.6 Mbit/s)"
            )
            for stem in stems:
                url = f"{base}/book/{stem}.html"
                fast = measure(browser, url, throttle=False)
                slow = measure(browser, url, throttle=True)
                k = {
                    key: fast["by_kind"].get(key, 0) / 1e3
                    for key in ("html", "js", "css", "images")
                }
                print(
                    f"{stem:34} {fast['bytes'] / 1e6:5.2f} {fast['requests']:4d} "
                    f"{k['html']:6.0f} {k['js']:6.0f} {k['css']:6.0f} {k['images']:6.0f} "
                    f"{slow['dcl_s']:6.1f} {slow['load_s']:6.1f}"
                )
            search = measure(browser, f"{base}/search.html?q=bilinear", throttle=False)
            print(
                f"{'search.html?q=bilinear':34} {search['bytes'] / 1e6:5.2f} {search['requests']:4d}"
            )
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
