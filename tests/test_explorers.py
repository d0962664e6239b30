"""Browser tests of the kernel-free explorers (`lesson_utils.explorers`).

A test page is built in a temporary folder from the emitters' output (independent of
the book build) and opened through file:// in headless Debian chromium. Checked:

* parity: every function the page exposes under `window.lessonExplorers.chNN`
  equals the `lesson_utils` function it mirrors on >= 1000 random inputs (sizes 1
  and 2 included where valid), max |difference| <= 1e-12 (printed with `-s`);
* interaction: mouse and touch drags, and arrow keys, change the state, and the
  readout states numbers that equal `lesson_utils` at that state;
* reachability: labels on every control, a focusable plot, a polite live readout,
  no horizontal overflow at 390 px, contrast in light and dark mode, the play
  button (and prefers-reduced-motion), re-mounting, no console error, no request;
* speed: the median redraw time over >= 50 pointer moves per explorer (printed).
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
import pytest

from lesson_utils import (
    explorers,
    heatmaps,
    interp1d,
    interp2d,
    kernels,
    metrics,
    phantoms,
    resize,
    stn,
)
from lesson_utils.widgets import ch04 as ch04w
from lesson_utils.widgets import ch05 as ch05w

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
pytestmark = [
    # every test here drives the same page (one per worker): keep them on one worker,
    # in order, so a test never meets the state another left on a page
    pytest.mark.xdist_group("explorer-page"),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="install chromium: apt-get update && apt-get install -y chromium "
        "(.ci/run does this; the browser tests need Debian's chromium)",
    ),
]

TOL = 1e-12
N_CASES = 1000
VALUES = [2.0, 5.0, 3.0, 6.0, 4.0]
IMAGE = [[1.0, 3.0, 2.0, 0.0], [4.0, 8.0, 5.0, 1.0], [2.0, 6.0, 9.0, 3.0]]
STEP = [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0]
PARITY: dict[str, float] = {}  # function -> max |difference|, printed at the end
TIMINGS: dict[str, float] = {}  # explorer -> median redraw (ms)


# ----------------------------------------------------------------- the page
def _ch05_data() -> tuple[np.ndarray, np.ndarray]:
    centres, sigmas, amplitudes = [[0.35, 0.30], [0.70, 0.68]], [0.07, 0.12], [1, 0.6]

    def field(shape: tuple[int, int]) -> np.ndarray:
        bumps = heatmaps.gaussian_field(shape, centres, sigmas, amplitudes)
        return np.maximum(bumps - 0.1, 0.0)

    return field((7, 7)), field((112, 112))


CH06_K = 5  # channels of the stand-in target layer


def _ch06_data(n: int = 6) -> dict[str, np.ndarray]:
    """Phantoms with lesions and stand-in 8 x 8 channels, weights and their maps.

    Channel 0 is the coarse mask, the others noise; two weights are negative and two
    equal (a tie for the order). The maps are ReLU(sum_k weights_k A^k), as the
    chapter's Grad-CAM maps are.
    """
    x, y, m = phantoms.make_phantoms(6 * n, seed=3, size=64)
    keep = np.flatnonzero(y == 1)[:n]
    rng = np.random.default_rng(0)
    coarse = resize.resize(m[keep].astype(float), (8, 8), antialias=True)
    acts = rng.random((n, CH06_K, 8, 8))
    acts[:, 0] = coarse
    weights = (
        np.tile([0.9, 0.05, -0.03, 0.05, -0.08], (n, 1))
        * (1 + 0.1 * np.arange(n))[:, None]
    )
    cams = np.maximum(np.einsum("nk,nkij->nij", weights, acts), 0.0)
    return {
        "images": x[keep, 0],
        "masks": m[keep],
        "cams": cams,
        "activations": acts,
        "weights": weights,
    }


def _ch07_data() -> dict[str, Any]:
    template = stn.make_pattern(32, seed=6)
    theta = stn.affine_theta(rotation=30.0, scale=1.15, tx=0.15, ty=-0.1)
    moving = stn.make_pattern(32, seed=6, theta=theta)
    thetas = np.stack(
        [
            stn.affine_theta(rotation=r, scale=1.0 - r / 100)
            for r in np.linspace(0, 25, 6)
        ]
    )
    return {"image": moving, "template": template, "path": thetas}


def _ch08_data(n: int = 4) -> dict[str, Any]:
    """Phantoms with lesions, and the attention and Grad-CAM of an untrained ViT."""
    vit = pytest.importorskip("lesson_utils.vit")  # needs torch
    x, y, m = phantoms.make_phantoms(6 * n, seed=4, size=64)
    keep = np.flatnonzero(y == 1)[:n]
    model = vit.build_vit(seed=0)
    return {
        "images": x[keep, 0],
        "masks": m[keep],
        "attentions": vit.attention_weights(model, x[keep]),
        "cams": vit.grad_cam_tokens(model, x[keep], 1)["cam"],
    }


def _explorers() -> list[explorers.Explorer]:
    cam, truth = _ch05_data()
    d6 = _ch06_data()
    d7 = _ch07_data()
    d8 = _ch08_data()
    return [
        explorers.ch01(VALUES, x=3.4),
        explorers.ch02(IMAGE, y=0.4, x=1.7, path=[[0.5, 0.5], [1.0, 2.0], [1.5, 2.5]]),
        explorers.ch03(6, 4, output=1),
        explorers.ch04(STEP, x=3.4, path=[[1.0, -0.5], [2.0, -0.5], [3.5, -1.0]]),
        explorers.ch05(cam, (112, 112), truth=truth, path=[{"method": "nearest"}]),
        explorers.ch06(
            d6["images"],
            d6["masks"],
            d6["cams"],
            activations=d6["activations"],
            weights=d6["weights"],
            interval=60,
        ),
        explorers.ch07(
            d7["image"], template=d7["template"], theta=d7["path"][0], path=d7["path"]
        ),
        explorers.ch08(
            d8["images"], d8["masks"], d8["attentions"], d8["cams"], patch_size=8
        ),
    ]


def _page(exs: list[explorers.Explorer]) -> str:
    body = "\n".join(e._repr_html_() for e in exs)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>explorers</title></head>"
        f'<body style="margin:8px;font-family:sans-serif">{body}</body></html>'
    )


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("explorers") / "explorers.html"
    path.write_text(_page(_explorers()), encoding="utf-8")
    return path.as_uri()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


class Visit:
    """One page load, with console errors and every request recorded."""

    def __init__(self, browser: Any, url: str, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on(
            "console",
            lambda m: self.errors.append(m.text) if m.type == "error" else None,
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url, wait_until="load")
        self.page.wait_for_function(
            "document.querySelectorAll('[data-explorer][data-mounted]').length === "
            f"{len(explorers.CHAPTERS)}"
        )

    def frame(self) -> None:
        """Wait until the page has rendered the next animation frame."""
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")

    def readout(self, chapter: str) -> str:
        text: str = self.page.locator(
            f'[data-explorer="{chapter}"] [data-readout]'
        ).inner_text()
        return text

    def state(self, chapter: str) -> dict[str, Any]:
        result: dict[str, Any] = self.page.evaluate(
            f"""() => JSON.parse(JSON.stringify(document.querySelector(
                '[data-explorer="{chapter}"]').lessonExplorer.app.state))"""
        )
        return result

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def visit(browser: Any, page_url: str) -> Iterator[Visit]:
    v = Visit(browser, page_url, viewport={"width": 900, "height": 900})
    yield v
    v.close()


def _js(visit: Visit, code: str, arg: Any) -> Any:
    """Run ``code`` (a JS function of one argument) on ``arg``, both ways as JSON
    text: exact for float64, and much faster than Playwright's value transfer."""
    text = visit.page.evaluate(
        f"s => JSON.stringify(({code})(JSON.parse(s)))", json.dumps(arg)
    )
    return json.loads(text)


def _record(name: str, expected: list[Any], got: list[Any]) -> float:
    diffs = [
        float(np.max(np.abs(np.asarray(e, dtype=float) - np.asarray(g, dtype=float))))
        for e, g in zip(expected, got, strict=True)
    ]
    worst = max(diffs)
    PARITY[name] = worst
    print(f"parity {name:28s} {len(diffs)} inputs, max |difference| = {worst:.2e}")
    return worst


def _sizes(rng: np.random.Generator, lo: int, hi: int) -> int:
    """A size in lo..hi with 1 and 2 drawn often."""
    return (
        int(rng.choice([1, 2])) if rng.random() < 0.3 else int(rng.integers(lo, hi + 1))
    )


# --------------------------------------------------------------------- parity
def test_sample1d_equals_interp1d_sample_1d(visit: Visit) -> None:
    rng = np.random.default_rng(1)
    cases = []
    for _ in range(N_CASES):
        n = _sizes(rng, 1, 12)
        values = rng.normal(scale=5.0, size=n)
        kind = rng.random()
        x = (
            float(rng.integers(-2, n + 2)) + 0.5  # a tie
            if kind < 0.15
            else float(rng.integers(-2, n + 2))  # a sample position
            if kind < 0.25
            else float(rng.uniform(-3.0, n + 2.0))
        )
        cases.append(
            {
                "values": values.tolist(),
                "x": x,
                "method": str(rng.choice(interp1d.METHODS)),
                "edge": str(rng.choice(interp1d.EDGES)),
            }
        )
    got = _js(
        visit,
        "cs => cs.map(c => lessonExplorers.ch01.sample1d(c.values, c.x, c.method, c.edge))",
        cases,
    )
    expected = [
        interp1d.sample_1d(c["values"], [c["x"]], method=c["method"], edge=c["edge"])[0]
        for c in cases
    ]
    assert _record("ch01.sample1d", expected, got) <= TOL


def test_sample2d_equals_interp2d_sample_2d(visit: Visit) -> None:
    rng = np.random.default_rng(2)
    cases = []
    for _ in range(N_CASES):
        h, w = _sizes(rng, 1, 6), _sizes(rng, 1, 6)
        cases.append(
            {
                "image": rng.normal(scale=3.0, size=(h, w)).tolist(),
                "y": float(rng.uniform(-2.0, h + 1.0)),
                "x": float(rng.uniform(-2.0, w + 1.0)),
                "method": str(rng.choice(interp2d.METHODS)),
            }
        )
    got = _js(
        visit,
        "cs => cs.map(c => lessonExplorers.ch02.sample2d(c.image, c.y, c.x, c.method))",
        cases,
    )
    expected = [
        float(interp2d.sample_2d(c["image"], c["y"], c["x"], method=c["method"]))
        for c in cases
    ]
    assert _record("ch02.sample2d", expected, got) <= TOL


def test_source_coordinates_equal_resize(visit: Visit) -> None:
    rng = np.random.default_rng(3)
    cases = [
        {
            "n_in": _sizes(rng, 1, 40),
            "n_out": _sizes(rng, 1, 40),
            "align": bool(rng.random() < 0.5),
        }
        for _ in range(N_CASES)
    ]
    got = _js(
        visit,
        "cs => cs.map(c => lessonExplorers.ch03.sourceCoordinates(c.n_in, c.n_out, c.align))",
        cases,
    )
    expected = [
        resize.source_coordinates(c["n_in"], c["n_out"], align_corners=c["align"])
        for c in cases
    ]
    assert all(len(g) == len(e) for g, e in zip(got, expected, strict=True))
    assert _record("ch03.sourceCoordinates", expected, got) <= TOL


def test_resize_matrix_equals_resize(visit: Visit) -> None:
    rng = np.random.default_rng(4)
    cases = []
    for _ in range(N_CASES):
        cases.append(
            {
                "n_in": _sizes(rng, 1, 30),
                "n_out": _sizes(rng, 1, 30),
                "method": str(rng.choice(resize.METHODS)),
                "align": bool(rng.random() < 0.4),
                "antialias": bool(rng.random() < 0.5),
                "a": float(rng.choice([-0.5, -0.75, rng.uniform(-1.5, 0.5)])),
            }
        )
    got = _js(
        visit,
        """cs => cs.map(c => lessonExplorers.ch03.resizeMatrix(
               c.n_in, c.n_out, c.method, c.align, c.antialias, c.a))""",
        cases,
    )
    expected = [
        resize.resize_matrix(
            c["n_in"],
            c["n_out"],
            method=c["method"],
            align_corners=c["align"],
            antialias=c["antialias"],
            a=c["a"],
        )
        for c in cases
    ]
    assert all(np.shape(g) == e.shape for g, e in zip(got, expected, strict=True))
    assert _record("ch03.resizeMatrix", expected, got) <= TOL


def test_top_left_matrix_equals_grid_frame_rows(visit: Visit) -> None:
    rng = np.random.default_rng(5)
    cases = [
        {
            "n_in": _sizes(rng, 1, 16),
            "n_out": _sizes(rng, 1, 16),
            "method": str(rng.choice(resize.METHODS)),
        }
        for _ in range(300)
    ]
    got = _js(
        visit,
        """cs => cs.map(c => lessonExplorers.ch03.mappingMatrix(
               c.n_in, c.n_out, "top_left", c.method, false, -0.5))""",
        cases,
    )
    expected = [
        np.stack(
            [
                resize.grid_frame(
                    c["n_in"],
                    c["n_out"],
                    mapping="top_left",
                    method=c["method"],
                    output=j,
                )["row"]
                for j in range(c["n_out"])
            ]
        )
        for c in cases
    ]
    assert _record("ch03.mappingMatrix top_left", expected, got) <= TOL


def test_keys_cubic_equals_kernels(visit: Visit) -> None:
    rng = np.random.default_rng(6)
    t = np.concatenate(
        [rng.uniform(-3.0, 3.0, N_CASES), [-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]]
    )
    a = np.concatenate([rng.uniform(-2.0, 1.0, N_CASES), [-0.5, -0.75] * 4])
    got = _js(
        visit,
        "c => c.t.map((t, k) => lessonExplorers.ch04.keysCubic(t, c.a[k]))",
        {"t": t.tolist(), "a": a.tolist()},
    )
    expected = [float(kernels.keys_cubic(tk, ak)) for tk, ak in zip(t, a, strict=True)]
    assert _record("ch04.keysCubic", expected, got) <= TOL


def test_ch04_overshoot_equals_keys_frame(visit: Visit) -> None:
    rng = np.random.default_rng(7)
    a = rng.uniform(-2.0, 0.5, 200)
    got = _js(
        visit,
        "c => c.a.map(a => lessonExplorers.ch04.extremes(c.values, a))",
        {"a": a.tolist(), "values": STEP},
    )
    frames = [ch04w.keys_frame(3.5, STEP, ak) for ak in a]
    expected = [[f["curve_min"], f["curve_max"]] for f in frames]
    assert _record("ch04.extremes", expected, got) <= TOL


@pytest.mark.parametrize("chapter", ["ch05", "ch06"])
def test_upsample_equals_resize(visit: Visit, chapter: str) -> None:
    rng = np.random.default_rng(8 if chapter == "ch05" else 9)
    cases = []
    for _ in range(N_CASES):
        h, w = _sizes(rng, 1, 8), _sizes(rng, 1, 8)
        cases.append(
            {
                "map": rng.uniform(-1.0, 2.0, size=(h, w)).tolist(),
                "out_h": _sizes(rng, 1, 24),
                "out_w": _sizes(rng, 1, 24),
                "method": str(rng.choice(resize.METHODS)),
                "a": float(rng.choice([-0.5, -0.75, rng.uniform(-1.5, 0.0)])),
            }
        )
    got = _js(
        visit,
        f"""cs => cs.map(c => lessonExplorers.{chapter}.upsample(
               c.map, c.out_h, c.out_w, c.method, c.a))""",
        cases,
    )
    expected = [
        resize.resize(c["map"], (c["out_h"], c["out_w"]), method=c["method"], a=c["a"])
        for c in cases
    ]
    assert all(np.shape(g) == e.shape for g, e in zip(got, expected, strict=True))
    assert _record(f"{chapter}.upsample", expected, got) <= TOL


def test_ch05_heatmap_equals_heatmaps(visit: Visit) -> None:
    rng = np.random.default_rng(10)
    cases = []
    for _ in range(300):
        h, w = _sizes(rng, 1, 7), _sizes(rng, 1, 7)
        cases.append(
            {
                "map": np.maximum(rng.normal(size=(h, w)), 0.0).tolist(),
                "out": [h + int(rng.integers(0, 12)), w + int(rng.integers(0, 12))],
                "method": str(rng.choice(heatmaps.METHODS)),
                "a": float(rng.uniform(-1.0, 0.0)),
                "clamp": bool(rng.random() < 0.5),
                "normalization": str(rng.choice(heatmaps.NORMALIZATIONS)),
                "align": bool(rng.random() < 0.3),
            }
        )
    got = _js(
        visit,
        """cs => cs.map(c => lessonExplorers.ch05.heatmap(c.map, c.out[0], c.out[1],
               c.method, c.a, c.clamp, c.normalization, c.align))""",
        cases,
    )
    expected = [
        heatmaps.heatmap(
            c["map"],
            tuple(c["out"]),
            method=c["method"],
            a=c["a"],
            clamp=c["clamp"],
            normalization=c["normalization"],
            align_corners=c["align"],
        )
        for c in cases
    ]
    assert _record("ch05.heatmap", expected, got) <= TOL


def test_ch06_upsample_map_equals_chapter_5_clamp(visit: Visit) -> None:
    rng = np.random.default_rng(12)
    cases = []
    for _ in range(N_CASES):
        h, w = _sizes(rng, 1, 8), _sizes(rng, 1, 8)
        cases.append(
            {
                "cam": np.maximum(rng.normal(size=(h, w)), 0.0).tolist(),
                "out": [h + int(rng.integers(0, 20)), w + int(rng.integers(0, 20))],
                "method": str(rng.choice(heatmaps.METHODS)),
                "align": bool(rng.random() < 0.3),
            }
        )
    got = _js(
        visit,
        """cs => cs.map(c => lessonExplorers.ch06.upsampleMap(c.cam, c.out[0], c.out[1],
               c.method, c.align))""",
        cases,
    )
    expected = [
        heatmaps.upsample(
            c["cam"],
            tuple(c["out"]),
            method=c["method"],
            align_corners=c["align"],
            clamp=True,
        )
        for c in cases
    ]
    assert _record("ch06.upsampleMap", expected, got) <= TOL


def test_ch06_scores_equal_metrics(visit: Visit) -> None:
    rng = np.random.default_rng(11)
    cases = []
    for _ in range(300):
        cam = np.round(rng.random((8, 8)), 1)  # ties on purpose
        mask = rng.random((8, 8)) < 0.3
        cases.append(
            {
                "cam": cam.tolist(),
                "mask": mask.tolist(),
                "t": float(rng.uniform(0.05, 1)),
            }
        )
    got = _js(
        visit,
        """cs => cs.map(c => [lessonExplorers.ch06.pointingGame(c.cam, c.mask),
                              lessonExplorers.ch06.camIou(c.cam, c.mask, c.t)])""",
        cases,
    )
    expected = [
        [
            metrics.pointing_game(np.array(c["cam"]), np.array(c["mask"]))[0],
            metrics.cam_iou(np.array(c["cam"]), np.array(c["mask"]), threshold=c["t"])[
                0
            ],
        ]
        for c in cases
    ]
    assert _record("ch06.pointingGame/camIou", expected, got) <= TOL


def test_ch06_partial_cam_equals_gradcam_frame(visit: Visit) -> None:
    gradcam = pytest.importorskip("lesson_utils.gradcam")  # needs torch
    rng = np.random.default_rng(13)
    cases = []
    for _ in range(N_CASES):
        k, h, w = _sizes(rng, 1, 16), _sizes(rng, 1, 8), _sizes(rng, 1, 8)
        alpha = rng.normal(size=k)
        kind = rng.random()
        if kind < 0.3:  # ties on purpose: a few distinct weights, zeros of both signs
            alpha = rng.choice([-1.0, -0.0, 0.0, 0.5, 1.0], size=k)
        elif kind < 0.4:
            alpha = np.full(k, float(rng.normal()))  # every weight equal
        cases.append(
            {
                "acts": rng.normal(scale=3.0, size=(k, h, w)).tolist(),
                "alpha": alpha.tolist(),
                "step": int(rng.integers(0, k)),
            }
        )
    got = _js(
        visit,
        """cs => cs.map(c => [lessonExplorers.ch06.channelOrder(c.alpha),
               lessonExplorers.ch06.partialCam(c.acts, c.alpha, c.step)])""",
        cases,
    )
    frames = [
        gradcam.gradcam_frame(np.array(c["acts"]), np.array(c["alpha"]), c["step"])
        for c in cases
    ]
    for frame, (order, _) in zip(frames, got, strict=True):
        assert order == frame["order"].tolist()  # the same channels in the same order
    assert sum(len(set(c["alpha"])) < len(c["alpha"]) for c in cases) >= 200  # ties
    assert {len(c["alpha"]) for c in cases} >= {1, 2} and any(
        len(c["acts"][0]) == 1 or len(c["acts"][0][0]) == 1 for c in cases
    )
    expected = [f["cam"] for f in frames]
    assert _record("ch06.partialCam", expected, [g[1] for g in got]) <= TOL


def test_affine_grid_equals_stn(visit: Visit) -> None:
    rng = np.random.default_rng(12)
    cases = [
        {
            "theta": rng.normal(size=(2, 3)).tolist(),
            "h": _sizes(rng, 1, 12),
            "w": _sizes(rng, 1, 12),
            "align": bool(rng.random() < 0.5),
        }
        for _ in range(N_CASES)
    ]
    got = _js(
        visit,
        "cs => cs.map(c => lessonExplorers.ch07.affineGrid(c.theta, c.h, c.w, c.align))",
        cases,
    )
    expected = [
        stn.affine_grid(c["theta"], (c["h"], c["w"]), align_corners=c["align"])
        for c in cases
    ]
    assert all(np.shape(g) == e.shape for g, e in zip(got, expected, strict=True))
    assert _record("ch07.affineGrid", expected, got) <= TOL


def test_grid_sample_equals_stn(visit: Visit) -> None:
    rng = np.random.default_rng(13)
    cases = []
    for _ in range(N_CASES):
        h, w = _sizes(rng, 1, 8), _sizes(rng, 1, 8)
        ho, wo = _sizes(rng, 1, 6), _sizes(rng, 1, 6)
        cases.append(
            {
                "image": rng.normal(size=(h, w)).tolist(),
                "grid": rng.normal(scale=1.5, size=(ho, wo, 2)).tolist(),
                "align": bool(rng.random() < 0.5),
                "padding": str(rng.choice(stn.PADDING_MODES)),
            }
        )
    got = _js(
        visit,
        """cs => cs.map(c => lessonExplorers.ch07.gridSample(
               c.image, c.grid, c.align, c.padding))""",
        cases,
    )
    expected = [
        stn.grid_sample(
            c["image"],
            np.array(c["grid"]),
            align_corners=c["align"],
            padding_mode=c["padding"],
        )
        for c in cases
    ]
    assert _record("ch07.gridSample", expected, got) <= TOL


def test_maths_rejects_unknown_names(visit: Visit) -> None:
    message = _js(
        visit,
        """() => { try { lessonExplorers.ch01.sample1d([1, 2], 0.5, "cubic2", "clamp");
                    return "no error"; } catch (e) { return e.message; } }""",
        None,
    )
    assert "`method` must be one of 'nearest', 'linear', 'cubic'" in message


def test_ch08_upsample_equals_resize(visit: Visit) -> None:
    rng = np.random.default_rng(12)
    cases = []
    for _ in range(N_CASES):
        h, w = _sizes(rng, 1, 8), _sizes(rng, 1, 8)
        cases.append(
            {
                "map": rng.uniform(-1.0, 2.0, size=(h, w)).tolist(),
                "out_h": _sizes(rng, 1, 24),
                "out_w": _sizes(rng, 1, 24),
                "method": str(rng.choice(resize.METHODS)),
                "a": float(rng.choice([-0.5, -0.75, rng.uniform(-1.5, 0.0)])),
                "align": bool(rng.random() < 0.5),
            }
        )
    got = _js(
        visit,
        """cs => cs.map(c => lessonExplorers.ch08.upsample(
               c.map, c.out_h, c.out_w, c.method, c.a, c.align))""",
        cases,
    )
    expected = [
        resize.resize(
            c["map"],
            (c["out_h"], c["out_w"]),
            method=c["method"],
            a=c["a"],
            align_corners=c["align"],
        )
        for c in cases
    ]
    assert all(np.shape(g) == e.shape for g, e in zip(got, expected, strict=True))
    assert _record("ch08.upsample", expected, got) <= TOL


def _row_stochastic(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    logits = rng.normal(scale=float(rng.choice([0.5, 2.0, 6.0])), size=shape)
    a = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return a / a.sum(axis=-1, keepdims=True)


def test_ch08_rollout_equals_vit_attention_rollout(visit: Visit) -> None:
    vit = pytest.importorskip("lesson_utils.vit")  # needs torch
    rng = np.random.default_rng(13)
    cases = []
    for _ in range(N_CASES):
        t, g, n_layers = _sizes(rng, 1, 12), int(rng.integers(1, 5)), _sizes(rng, 1, 4)
        cases.append(
            [_row_stochastic(rng, (g, t, t)).tolist() for _ in range(n_layers)]
        )
    got = _js(visit, "cs => cs.map(c => lessonExplorers.ch08.rollout(c))", cases)
    expected = [
        vit.attention_rollout([np.array(layer)[None] for layer in c])[0] for c in cases
    ]
    assert all(np.shape(g) == e.shape for g, e in zip(got, expected, strict=True))
    assert _record("ch08.rollout", expected, got) <= TOL


def test_ch08_upsample_cam_and_scores_equal_gradcam(visit: Visit) -> None:
    gradcam = pytest.importorskip("lesson_utils.gradcam")  # needs torch
    rng = np.random.default_rng(14)
    cases = []
    for _ in range(N_CASES):
        cam = rng.normal(size=(_sizes(rng, 1, 8), _sizes(rng, 1, 8)))
        if rng.random() < 0.2:
            cam = np.zeros_like(cam)  # an all-zero map: every pixel ties
        # upsample_cam only upsamples: each output side >= the map's
        size = tuple(int(n + rng.integers(0, 17)) for n in cam.shape)
        cases.append(
            {
                "cam": cam.tolist(),
                "size": list(size),
                "method": str(rng.choice(resize.METHODS)),
                "align": bool(rng.random() < 0.5),
                "mask": (rng.random(size) < 0.3).tolist(),
                "t": float(rng.uniform(0.05, 1)),
            }
        )
    got = _js(
        visit,
        """cs => cs.map(c => { const ch = lessonExplorers.ch08;
               const up = ch.upsampleCam(c.cam, c.size[0], c.size[1], c.method, c.align);
               return [up, ch.pointingGame(up, c.mask), ch.camIou(up, c.mask, c.t)]; })""",
        cases,
    )
    ups_e, ups_g, scores_e, scores_g = [], [], [], []
    for c, g in zip(cases, got, strict=True):
        up = gradcam.upsample_cam(
            np.array(c["cam"]),
            tuple(c["size"]),
            method=c["method"],
            align_corners=c["align"],
        )
        mask = np.array(c["mask"])
        ups_e.append(up)
        ups_g.append(g[0])
        # the scores of the page's own upsampled map (ties decided on the same
        # numbers: the two upsamplings agree to ~1e-15, not bit for bit)
        page_up = np.array(g[0], dtype=float).reshape(up.shape)
        scores_e.append(
            [
                metrics.pointing_game(page_up, mask)[0],
                metrics.cam_iou(page_up, mask, threshold=c["t"])[0],
            ]
        )
        scores_g.append(g[1:])
    assert _record("ch08.upsampleCam", ups_e, ups_g) <= TOL
    assert _record("ch08.pointingGame/camIou", scores_e, scores_g) <= TOL


def test_ch08_readout_agrees_with_the_package(visit: Visit) -> None:
    gradcam = pytest.importorskip("lesson_utils.gradcam")  # needs torch
    vit = pytest.importorskip("lesson_utils.vit")
    d8 = _ch08_data()
    root = visit.page.locator('[data-explorer="ch08"]')
    selects = root.locator("select")
    selects.nth(0).select_option("2")  # image 3
    selects.nth(1).select_option("rollout")
    selects.nth(2).select_option("1")  # rollout up to layer 1
    selects.nth(3).select_option("bicubic")
    visit.frame()
    s = visit.state("ch08")
    assert (s["index"], s["map"], s["layer"], s["method"]) == (
        2,
        "rollout",
        1,
        "bicubic",
    )
    one = [a[2:3] for a in d8["attentions"][:1]]
    grid = vit.cls_map(vit.attention_rollout(one), (8, 8))[0]
    grid = grid.astype(np.float32).astype(np.float64)  # the page gets float32
    up = gradcam.upsample_cam(grid, (64, 64), method="bicubic")
    mask = d8["masks"][2]
    point = metrics.pointing_game(up, mask)[0]
    iou = metrics.cam_iou(up, mask, threshold=0.5)[0]
    text = visit.readout("ch08")
    assert text.startswith("Image 3 of 4, rollout up to layer 1, upsampled bicubic")
    cell = np.unravel_index(int(np.argmax(grid)), grid.shape)
    assert f"strongest cell ({cell[0]}, {cell[1]})" in text
    if point in (0.0, 1.0):
        assert ("a hit" if point == 1.0 else "a miss") in text
    else:
        assert f"pointing score {point:.3f}" in text
    assert f"lesion mask ({int(mask.sum())} pixels): {iou:.3f}." in text
    # keyboard: Page Up moves the layer, the arrows the map
    root.locator(".ex-plot").focus()
    visit.page.keyboard.press("PageUp")
    visit.page.keyboard.press("ArrowDown")  # rollout -> Grad-CAM
    visit.frame()
    s = visit.state("ch08")
    assert (s["layer"], s["map"]) == (2, "gradcam")
    assert "Grad-CAM on the tokens entering the last block" in visit.readout("ch08")
    assert selects.nth(2).is_disabled()
    selects.nth(0).select_option("0")  # back to the first state
    selects.nth(1).select_option("mean")
    selects.nth(3).select_option("bilinear")
    visit.frame()
    visit.page.evaluate("window.scrollTo(0, 0)")  # the drag tests expect the top


# ---------------------------------------------------------------- interaction
def _numbers(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+\.\d+", text.replace("\u2212", "-"))]


def _box(visit: Visit, chapter: str) -> dict[str, float]:
    box: dict[str, float] = visit.page.locator(
        f'[data-explorer="{chapter}"] .ex-plot'
    ).bounding_box()
    return box


def test_mouse_drag_moves_the_point_and_the_readout_agrees(visit: Visit) -> None:
    box = _box(visit, "ch01")
    # the signal panel spans viewBox x 38..350 of 360 for x in [-2, n + 1]
    to_client = box["width"] / 360.0
    target_x = 1.3
    px = box["x"] + (38 + (target_x + 2) / (len(VALUES) + 3) * (350 - 38)) * to_client
    py = box["y"] + box["height"] * 0.5
    visit.page.mouse.move(box["x"] + box["width"] * 0.8, py)
    visit.page.mouse.down()
    visit.page.mouse.move(px, py, steps=8)
    visit.page.mouse.up()
    visit.frame()
    x = visit.state("ch01")["x"]
    assert abs(x - target_x) <= 0.02
    text = visit.readout("ch01")
    assert text.startswith(f"x = {x:.2f}:")
    value = interp1d.sample_1d(VALUES, [x])[0]
    assert _numbers(text)[-1] == pytest.approx(round(value, 2), abs=1e-9)


def test_touch_drag_moves_the_point_and_the_readout_agrees(visit: Visit) -> None:
    box = _box(visit, "ch02")
    cdp = visit.context.new_cdp_session(visit.page)
    # the picture spans pixels -1.45 .. W - 1 + 1.45 in x and y (viewBox units)
    w, h = len(IMAGE[0]), len(IMAGE)

    def client(y: float, x: float) -> dict[str, float]:
        return {
            "x": box["x"] + (x + 1.45) / (w - 1 + 2.9) * box["width"],
            "y": box["y"] + (y + 1.45) / (h - 1 + 2.9) * box["height"],
        }

    start, end = client(0.5, 0.5), client(1.25, 2.6)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [start]})
    for k in range(1, 9):
        p = {
            "x": start["x"] + (end["x"] - start["x"]) * k / 8,
            "y": start["y"] + (end["y"] - start["y"]) * k / 8,
        }
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [p]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    visit.frame()
    s = visit.state("ch02")
    assert (s["y"], s["x"]) == pytest.approx((1.25, 2.6), abs=0.02)
    value = float(interp2d.sample_2d(IMAGE, s["y"], s["x"]))
    text = visit.readout("ch02")
    assert f"(y, x) = ({s['y']:.2f}, {s['x']:.2f})" in text
    assert f"= {value:.2f};" in text.replace("\u2212", "-")


@pytest.mark.parametrize(
    ("chapter", "key", "changes"),
    [
        ("ch01", "ArrowRight", {"x": 0.05}),
        ("ch02", "ArrowDown", {"y": 0.05}),
        ("ch03", "ArrowLeft", {"output": -1}),
        ("ch04", "ArrowUp", {"a": 0.05}),
        ("ch05", "ArrowDown", {"row": 1}),
        ("ch06", "ArrowRight", {"index": 1}),
        ("ch07", "ArrowLeft", {"tx": -0.05}),
        ("ch08", "ArrowRight", {"index": 1}),
    ],
)
def test_arrow_keys_change_the_state_and_the_readout(
    visit: Visit, chapter: str, key: str, changes: dict[str, float]
) -> None:
    plot = visit.page.locator(f'[data-explorer="{chapter}"] .ex-plot')
    assert plot.get_attribute("tabindex") == "0"
    if chapter == "ch03":  # start from the last output, so three steps stay inside
        plot.focus()
        visit.page.keyboard.press("End")
    plot.focus()
    before, text = visit.state(chapter), visit.readout(chapter)
    for _ in range(3):
        visit.page.keyboard.press(key)
    visit.frame()
    after = visit.state(chapter)
    for state in (before, after):
        if "theta" in state:
            state["tx"] = state["theta"][0][2]
    for name, step in changes.items():
        assert after[name] == pytest.approx(before[name] + 3 * step, abs=1e-9)
    assert visit.readout(chapter) != text


def test_keyboard_readout_of_ch01_agrees_with_lesson_utils(visit: Visit) -> None:
    plot = visit.page.locator('[data-explorer="ch01"] .ex-plot')
    plot.focus()
    visit.page.keyboard.press("Home")
    for _ in range(3):
        visit.page.keyboard.press("Shift+ArrowRight")
    visit.frame()
    x = visit.state("ch01")["x"]
    assert x == pytest.approx(-0.5)
    value = interp1d.sample_1d(VALUES, [x], edge="clamp")[0]
    assert _numbers(visit.readout("ch01"))[-1] == pytest.approx(round(value, 2))


def test_ch01_nearest_shows_the_tie(visit: Visit) -> None:
    root = visit.page.locator('[data-explorer="ch01"]')
    root.locator("select").first.select_option("nearest")
    root.locator(".ex-plot").focus()
    visit.page.keyboard.press("Home")  # x = -2
    for _ in range(9):  # 9 steps of 0.5: x = 2.5, a tie between v2 and v3
        visit.page.keyboard.press("Shift+ArrowRight")
    visit.frame()
    text = visit.readout("ch01")
    assert "x = 2.50" in text and "tie" in text and "rounded up to v\u2083" in text
    assert _numbers(text)[-1] == interp1d.sample_1d(VALUES, [2.5], method="nearest")[0]
    root.locator("select").first.select_option("linear")


def test_ch05_readout_agrees_with_upsample_frame(visit: Visit) -> None:
    cam, truth = _ch05_data()
    root = visit.page.locator('[data-explorer="ch05"]')
    root.locator("select").first.select_option("bicubic")
    visit.frame()
    s = visit.state("ch05")
    frame = ch05w.upsample_frame(
        cam, (112, 112), method="bicubic", truth=truth, row=s["row"]
    )
    text = visit.readout("ch05")
    assert f"maximum is at (row {frame['peak'][0]}, column {frame['peak'][1]})" in text
    assert f"RMSE against the normalised truth {frame['rmse']:.4f}" in text
    assert (
        f"span {frame['raw_min']:.4f} to {frame['raw_max']:.4f}".replace("-", "\u2212")
        in text
    )
    root.locator("select").first.select_option("bilinear")


def _ch06_expected(index: int, k: int) -> dict[str, Any]:
    """What the page must say for image ``index`` after ``k`` channels (bilinear)."""
    gradcam = pytest.importorskip("lesson_utils.gradcam")  # needs torch
    d6 = _ch06_data()
    frame = gradcam.gradcam_frame(d6["activations"][index], d6["weights"][index], k - 1)
    up = heatmaps.upsample(frame["cam"], (64, 64), method="bilinear", clamp=True)
    iou = metrics.cam_iou(up, d6["masks"][index], threshold=0.5)[0]
    return {"frame": frame, "iou": float(iou)}


def _ch06_pixels(visit: Visit) -> str:
    digest: str = visit.page.evaluate(
        """() => { const c = document.querySelector('[data-explorer="ch06"] canvas');
                   return c.toDataURL(); }"""
    )
    return digest


def test_ch06_channels_slider_changes_the_map_and_the_readout(visit: Visit) -> None:
    root = visit.page.locator('[data-explorer="ch06"]')
    slider = root.get_by_label("Channels added")
    index = visit.state("ch06")["index"]
    assert visit.state("ch06")["k"] == CH06_K  # starts with every channel
    text, pixels = visit.readout("ch06"), _ch06_pixels(visit)
    assert f"{CH06_K} of {CH06_K} channels added" in text
    n0 = visit.page.evaluate(
        "document.querySelector('[data-explorer=\"ch06\"]').lessonExplorer.app.renders"
    )
    slider.focus()
    visit.page.keyboard.press("Home")  # the slider's own keys: one channel
    visit.frame()
    steps = [1]
    for _ in range(12):  # up and down the slider, one step per key, for the timing
        for key in ("ArrowRight",) * (CH06_K - 1) + ("ArrowLeft",) * (CH06_K - 1):
            visit.page.keyboard.press(key)
            visit.frame()
            steps.append(visit.state("ch06")["k"])
    assert steps[-1] == 1 and max(steps) == CH06_K
    times = visit.page.evaluate(
        """n0 => { const app = document.querySelector('[data-explorer="ch06"]')
                   .lessonExplorer.app; return app.times.slice(-(app.renders - n0)); }""",
        n0,
    )
    median = statistics.median(times)
    TIMINGS["ch06 channel step"] = median
    print(f"redraw ch06 channel slider: median {median:.2f} ms over {len(times)} steps")
    for k in (1, 3):
        slider.focus()
        visit.page.keyboard.press("Home")
        for _ in range(k - 1):
            visit.page.keyboard.press("ArrowRight")
        visit.frame()
        assert visit.state("ch06")["k"] == k
        expected = _ch06_expected(index, k)
        text = visit.readout("ch06")
        frame = expected["frame"]
        assert f"{k} of {CH06_K} channels added" in text
        assert f"last added channel {frame['channel']}, alpha = " in text
        alpha_shown = re.search(r"alpha = (\S+?)\.?$", text)
        assert alpha_shown is not None
        shown = float(alpha_shown.group(1).replace("\u2212", "-").rstrip("."))
        assert shown == pytest.approx(frame["alpha_k"], rel=5e-3)
        assert (
            f"with the lesion mask ({int(_ch06_data()['masks'][index].sum())} pixels)"
            in (text)
        )
        iou = re.search(r"pixels\): (\d\.\d\d)", text)
        assert iou is not None and float(iou.group(1)) == pytest.approx(
            round(expected["iou"], 2), abs=1e-9
        )
        assert _ch06_pixels(visit) != pixels  # the overlay changed with k
    bars = root.locator("[data-bars] rect")
    filled = bars.evaluate_all(
        "rs => rs.map(r => !/fill:none/.test(r.getAttribute('style')))"
    )
    assert filled == [
        True,
        True,
        True,
        False,
        False,
    ]  # three added: filled, not colour only
    slider.focus()
    visit.page.keyboard.press("End")
    visit.frame()
    assert f"{CH06_K} of {CH06_K} channels added" in visit.readout("ch06")


def test_ch06_full_map_is_the_cam_passed(visit: Visit) -> None:
    d6 = _ch06_data()
    data = explorers.ch06(
        d6["images"],
        d6["masks"],
        d6["cams"],
        activations=d6["activations"],
        weights=d6["weights"],
    ).data
    full = _js(
        visit,
        """d => { const dec = s => lessonExplorers.core.decode(s).data;
            const a = dec(d.activations), w = dec(d.weights), [h, wd] = d.cam_shape;
            const k = d.n_channels, out = [];
            for (let i = 0; i < d.n; i++) {
              const acts = [];
              for (let c = 0; c < k; c++)
                acts.push(lessonExplorers.core.rows(a, h, wd, (i * k + c) * h * wd));
              const al = Array.from(w.slice(i * k, (i + 1) * k));
              out.push(lessonExplorers.ch06.partialCam(acts, al, k - 1));
            }
            return out; }""",
        data,
    )
    assert np.max(np.abs(np.array(full) - d6["cams"])) <= TOL


def _ch06_play(visit: Visit) -> list[int]:
    """Press Play (with Enter) and record k, in the page, until the player stops."""
    visit.page.evaluate(
        """() => { const root = document.querySelector('[data-explorer="ch06"]');
            const play = root.querySelector('button[data-play]'), app = root.lessonExplorer.app;
            const rec = window.__ch06play = {seen: [app.state.k], started: false, done: false};
            (function poll() {
              const k = app.state.k, pressed = play.getAttribute('aria-pressed') === 'true';
              if (k !== rec.seen[rec.seen.length - 1]) rec.seen.push(k);
              if (pressed) rec.started = true;
              if (rec.started && !pressed) { rec.done = true; return; }
              requestAnimationFrame(poll);
            })(); }"""
    )
    play = visit.page.locator('[data-explorer="ch06"] button[data-play]')
    play.focus()
    visit.page.keyboard.press("Enter")  # reachable from the keyboard
    visit.page.wait_for_function("window.__ch06play.done", timeout=5000)
    assert play.get_attribute("aria-pressed") == "false"  # stopped by itself
    seen: list[int] = visit.page.evaluate("window.__ch06play.seen")
    return seen


def test_ch06_play_adds_every_channel_and_stops_on_the_full_map(visit: Visit) -> None:
    root = visit.page.locator('[data-explorer="ch06"]')
    root.locator(".ex-plot").focus()
    for _ in range(CH06_K + 2):  # Page Down from the plot: down to one channel
        visit.page.keyboard.press("PageDown")
    visit.frame()
    assert visit.state("ch06")["k"] == 1
    visit.page.keyboard.press("PageUp")
    visit.frame()
    assert visit.state("ch06")["k"] == 2
    assert _ch06_play(visit) == list(range(2, CH06_K + 1))  # on from 2, ends at K
    # at K, Play sweeps the whole path again: 1, 2, ..., K
    assert _ch06_play(visit) == [CH06_K, *range(1, CH06_K + 1)]
    visit.page.wait_for_timeout(200)
    assert visit.state("ch06")["k"] == CH06_K  # and stays there
    assert f"{CH06_K} of {CH06_K} channels added" in visit.readout("ch06")
    root.locator("button[aria-label='Step back']").click()
    visit.frame()
    assert visit.state("ch06")["k"] == CH06_K - 1
    assert f"{CH06_K - 1} of {CH06_K} channels added" in visit.readout("ch06")
    root.get_by_label("Channels added").focus()
    visit.page.keyboard.press("End")
    visit.frame()
    assert visit.state("ch06")["k"] == CH06_K


def test_ch07_readout_loss_agrees_with_stn(visit: Visit) -> None:
    d7 = _ch07_data()
    root = visit.page.locator('[data-explorer="ch07"]')
    root.locator("select").first.select_option("border")
    visit.frame()
    theta = np.array(visit.state("ch07")["theta"])
    out = stn.grid_sample(
        d7["image"], stn.affine_grid(theta, (32, 32)), padding_mode="border"
    )
    loss = np.mean((out - d7["template"]) ** 2)
    text = visit.readout("ch07").replace("\u2212", "-")
    shown = re.search(r"loss against the template (\S+?)\.?$", text)
    assert shown and float(shown.group(1)) == pytest.approx(loss, rel=1e-3)
    root.locator("select").first.select_option("zeros")


# --------------------------------------------------------------- reachability
def test_every_control_has_a_label_and_the_readout_is_polite(visit: Visit) -> None:
    report = visit.page.evaluate(
        """() => [...document.querySelectorAll('[data-explorer]')].map(root => {
            const controls = [...root.querySelectorAll('input, select, button')];
            const unnamed = controls.filter(c => {
                if (c.getAttribute('aria-label')) return false;
                if (c.tagName === 'BUTTON') return !c.textContent.trim();
                return !(c.id && root.querySelector(`label[for="${c.id}"]`)
                         && root.querySelector(`label[for="${c.id}"]`).textContent.trim());
            }).map(c => c.outerHTML.slice(0, 80));
            const readouts = [...root.querySelectorAll('[data-readout]')];
            return {name: root.dataset.explorer, controls: controls.length, unnamed,
                    readouts: readouts.length,
                    polite: readouts.every(r => r.getAttribute('aria-live') === 'polite'),
                    plots: root.querySelectorAll('.ex-plot[tabindex="0"]').length};
        })"""
    )
    assert len(report) == len(explorers.CHAPTERS)
    for r in report:
        assert r["controls"] >= 1 and r["unnamed"] == [], r
        assert r["readouts"] == 1 and r["polite"] and r["plots"] == 1, r


def test_no_console_error_and_no_request_to_anything_but_the_file(visit: Visit) -> None:
    assert visit.errors == []
    others = [
        u for u in visit.requests if urlparse(u).scheme not in ("file", "data", "blob")
    ]
    assert others == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_fits_390_px_with_legible_contrast(
    browser: Any, page_url: str, scheme: str
) -> None:
    v = Visit(
        browser, page_url, viewport={"width": 390, "height": 800}, color_scheme=scheme
    )
    try:
        if scheme == "dark":  # the site's theme switch, on top of the media query
            v.page.evaluate("document.documentElement.dataset.theme = 'dark'")
        widths = v.page.evaluate(
            """() => ({page: document.documentElement.scrollWidth,
                       roots: [...document.querySelectorAll('[data-explorer]')].map(
                           r => r.scrollWidth - r.clientWidth)})"""
        )
        assert widths["page"] <= 390 and max(widths["roots"]) <= 0, widths
        contrast = v.page.evaluate(
            """() => {
              const lum = c => { const m = c.match(/[\\d.]+/g).slice(0, 3).map(Number)
                  .map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92
                                               : Math.pow((v + 0.055) / 1.055, 2.4));
                  return 0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]; };
              const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
                  return (x + 0.05) / (y + 0.05); };
              const probe = document.createElement('span');
              const root = document.querySelector('[data-explorer]');
              root.appendChild(probe);
              const colour = v => { probe.style.color = `var(${v})`;
                                    return getComputedStyle(probe).color; };
              const bg = getComputedStyle(root).backgroundColor;
              const out = {text: ratio(getComputedStyle(root.querySelector('[data-readout]')).color,
                                       getComputedStyle(root.querySelector('[data-readout]')).backgroundColor),
                           muted: ratio(colour('--ex-muted'), bg), marks: {}};
              for (const v of ['--ex-sample', '--ex-point', '--ex-left', '--ex-right',
                               '--ex-extra1', '--ex-extra2', '--ex-grid'])
                  out.marks[v] = ratio(colour(v), bg);
              probe.remove();
              out.bg = bg;
              return out; }"""
        )
        print(f"contrast {scheme}: {json.dumps(contrast)}")
        assert contrast["text"] >= 4.5 and contrast["muted"] >= 4.5, contrast
        assert min(contrast["marks"].values()) >= 3.0, contrast
        dark_bg = contrast["bg"] == "rgb(21, 25, 31)"
        assert dark_bg == (scheme == "dark")
        assert v.errors == []
    finally:
        v.close()


def test_play_button_sweeps_the_path_and_pauses(visit: Visit) -> None:
    root = visit.page.locator('[data-explorer="ch01"]')
    play = root.locator("button[data-play]")
    play.click()
    visit.page.wait_for_timeout(700)  # 150 ms per position
    play.click()  # pause
    visit.frame()
    x1 = visit.state("ch01")["x"]
    visit.page.wait_for_timeout(400)
    assert visit.state("ch01")["x"] == x1  # paused
    path = np.linspace(0, len(VALUES) - 1, 36)
    assert x1 in path.tolist() and x1 >= path[2]  # several steps of the sweep


def test_reduced_motion_steps_once_per_press(browser: Any, page_url: str) -> None:
    v = Visit(browser, page_url, reduced_motion="reduce")
    try:
        play = v.page.locator('[data-explorer="ch04"] button[data-play]')
        play.click()
        v.frame()
        first = v.state("ch04")
        assert (first["x"], first["a"]) == (1.0, -0.5)
        later = []
        for _ in range(5):  # the path has 3 frames of 200 ms: autoplay would move
            v.page.wait_for_timeout(130)
            later.append(v.state("ch04"))
        assert all(s == first for s in later)
        play.click()
        v.frame()
        assert (v.state("ch04")["x"], v.state("ch04")["a"]) == (2.0, -0.5)
    finally:
        v.close()


def test_rerunning_a_cell_mounts_new_explorers_only(visit: Visit) -> None:
    html = explorers.ch01([0.0, 1.0], x=0.5)._repr_html_()
    errors = len(visit.errors)
    counts = visit.page.evaluate(
        """html => {
            const first = document.querySelector('[data-explorer="ch01"]');
            first.lessonExplorer.tag = "the first mount";
            const before = document.querySelectorAll('[data-explorer="ch01"] svg').length;
            const box = document.createElement('div');
            document.body.appendChild(box);
            const range = document.createRange();
            range.selectNode(box);
            box.appendChild(range.createContextualFragment(html));  // runs the scripts
            const roots = document.querySelectorAll('[data-explorer="ch01"]');
            const after = document.querySelectorAll('[data-explorer="ch01"] svg').length;
            const styles = document.querySelectorAll('#lesson-explorers-style').length;
            const text = roots[roots.length - 1].querySelector('[data-readout]').textContent;
            const failed = document.querySelectorAll('[data-error]').length;
            box.remove();
            return {before, after, roots: roots.length, styles, text, failed,
                    kept: first.lessonExplorer.tag === "the first mount"};
        }""",
        html,
    )
    assert counts["roots"] == 2 and counts["after"] == 2 * counts["before"]
    assert counts["styles"] == 1 and counts["kept"]  # the first one left alone
    assert counts["failed"] == 0 and len(visit.errors) == errors
    assert counts["text"].startswith("x = 0.50:")


# ---------------------------------------------------------------------- speed
@pytest.mark.parametrize("chapter", explorers.CHAPTERS)
def test_pointer_move_redraws_within_a_frame(visit: Visit, chapter: str) -> None:
    page = visit.page
    page.evaluate("lessonExplorers.measureLayout = true")
    plot = page.locator(f'[data-explorer="{chapter}"] .ex-plot')
    plot.scroll_into_view_if_needed()
    box = plot.bounding_box()
    n0 = page.evaluate(
        f"document.querySelector('[data-explorer=\"{chapter}\"]').lessonExplorer.app.renders"
    )
    y = box["y"] + box["height"] * 0.45
    page.mouse.move(box["x"] + box["width"] * 0.2, y)
    page.mouse.down()
    moves = 60
    for k in range(moves):
        page.mouse.move(box["x"] + box["width"] * (0.2 + 0.6 * k / moves), y + (k % 7))
        visit.frame()
    page.mouse.up()
    times = page.evaluate(
        f"""n0 => {{ const app = document.querySelector('[data-explorer="{chapter}"]')
                     .lessonExplorer.app; return app.times.slice(-(app.renders - n0)); }}""",
        n0,
    )
    page.evaluate("lessonExplorers.measureLayout = false")
    assert len(times) >= 50
    median = statistics.median(times)
    TIMINGS[chapter] = median
    print(
        f"redraw {chapter}: median {median:.2f} ms, max {max(times):.2f} ms "
        f"over {len(times)} pointer moves"
    )
    assert median <= 50.0  # one frame is 16 ms; generous for a loaded CI machine
