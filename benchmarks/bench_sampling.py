"""Speed and peak memory of lesson_utils' samplers against the libraries they teach.

Run from the repository root::

    make bench                 # or: .venv/bin/python benchmarks/bench_sampling.py
    .venv/bin/python benchmarks/bench_sampling.py --before /path/to/other/src
    .venv/bin/python benchmarks/bench_sampling.py --only sample_2d   # one case

Cases (float32 inputs, one thread for every library):

* ``sample_2d`` bicubic (a = -0.75, clamped edges) at a rotated 2048 x 2048 grid of
  points of a 1024 x 1024 image, against ``torch.nn.functional.grid_sample``
  (bicubic, border padding, align_corners=True: the same numbers);
* ``stn.grid_sample`` and ``stn.grid_sample_backward`` (bilinear, zero padding) on a
  spatial-transformer batch of 64 x 3 x 64 x 64 images and an affine grid of the
  same size, against torch's ``grid_sample`` forward and autograd backward;
* ``resize`` downsampling without antialias, 8192^2 -> 8 x 8 and 4096^2 -> 9 x 9
  (bilinear), against ``F.interpolate``;
* ``resize`` of 64 heat maps 7 x 7 -> 224 x 224 (bilinear) against torch, PIL and
  OpenCV (one call per map);
* ``metrics.pointing_game`` at tolerance 1000 px on one 64 x 64 map (no library to
  compare with: the target is absolute, <= 100 ms).

How it measures. Every (case, library) runs in its own fresh Python process, so
that one library's caches, allocator pools or imported modules cannot help or hurt
another. In that process the inputs are built first; the call then runs once,
and its *peak memory* is the rise of the process's peak resident set size
(``VmHWM - VmRSS`` of ``/proc/self/status``, the peak reset just before
the call through ``/proc/self/clear_refs``; Linux only) during that call: the same measure for
numpy and torch, which allocate through different allocators (tracemalloc would
miss torch's). For lesson_utils the peak of numpy's traced allocations
(tracemalloc, a second call) is printed as well. Time is the fastest of repeated
calls after that first one (at least 3, up to 21 or about 2 s): on a shared
machine, load from other processes only ever slows a call down. Each row's
process runs twice, interleaved with the other rows of its case, and the faster
run is kept. With
``--before SRC`` every lesson_utils row is also run with ``PYTHONPATH=SRC`` (an
older checkout's ``src``), giving the before/after columns in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.abspath(__file__)
ROUNDS = 2  # processes per row, interleaved with the other rows; the best counts
CASES = {
    "sample_2d bicubic 1024^2 at 2048^2 pts": ("lesson_utils", "torch"),
    "stn.grid_sample 64x3x64x64": ("lesson_utils", "torch"),
    "stn.grid_sample_backward 64x3x64x64": ("lesson_utils", "torch"),
    "resize 8192^2 -> 8x8": ("lesson_utils", "torch"),
    "resize 4096^2 -> 9x9": ("lesson_utils", "torch"),
    "resize 64 x 7x7 -> 224x224": (
        "lesson_utils",
        "torch",
        "PIL (loop)",
        "OpenCV (loop)",
    ),
    "pointing_game tolerance 1000, 64x64": ("lesson_utils",),
}
TARGETS = {  # (time ratio to the named library or "fastest", max memory ratio)
    "sample_2d bicubic 1024^2 at 2048^2 pts": ("torch <= 4x time, <= 2x memory"),
    "stn.grid_sample 64x3x64x64": "torch <= 3x time",
    "stn.grid_sample_backward 64x3x64x64": "torch <= 3x time",
    "resize 8192^2 -> 8x8": "<= 10 ms",
    "resize 4096^2 -> 9x9": "<= 10 ms",
    "resize 64 x 7x7 -> 224x224": "<= 1.0x the fastest",
    "pointing_game tolerance 1000, 64x64": "<= 100 ms",
}


# --------------------------------------------------------------------------------------
# one case in one process
# --------------------------------------------------------------------------------------
def _inputs(case: str):  # noqa: ANN202
    import numpy as np

    rng = np.random.default_rng(0)
    if case.startswith("sample_2d"):
        image = rng.random((1024, 1024), dtype=np.float32)
        i, j = np.meshgrid(np.arange(2048.0), np.arange(2048.0), indexing="ij")
        c, s = np.cos(0.3), np.sin(0.3)
        u, v = (i - 1023.5) * 0.5, (j - 1023.5) * 0.5  # a rotated half-step grid
        y = 511.5 + c * u - s * v
        x = 511.5 + s * u + c * v
        return image, y, x
    if case.startswith("stn"):
        image = rng.random((64, 3, 64, 64), dtype=np.float32)
        theta = np.tile(
            np.array([[0.9, -0.2, 0.05], [0.25, 0.85, -0.1]], dtype=np.float32),
            (64, 1, 1),
        )
        theta += rng.normal(0.0, 0.05, theta.shape).astype(np.float32)
        grad = rng.random((64, 3, 64, 64), dtype=np.float32)
        return image, theta, grad
    if case.startswith("resize 64"):
        return (rng.random((64, 7, 7), dtype=np.float32),)
    if case.startswith("pointing_game"):
        cam = rng.random((1, 64, 64), dtype=np.float32)
        mask = np.zeros((1, 64, 64), dtype=bool)
        mask[0, 40:46, 10:16] = True  # a lesion away from the map's maximum
        return cam, mask
    n = int(case.split()[1].split("^")[0])
    return (rng.random((n, n), dtype=np.float32),)


def _call(case: str, lib: str, inputs):  # noqa: ANN202, C901
    """A zero-argument function doing the case's work with ``lib``."""
    import numpy as np

    if lib == "lesson_utils":
        from lesson_utils import interp2d, resize, stn

        if case.startswith("sample_2d"):
            image, y, x = inputs
            return lambda: interp2d.sample_2d(image, y, x, method="bicubic", a=-0.75)
        if case.startswith("stn"):
            image, theta, grad = inputs
            grid = stn.affine_grid(theta, image.shape)
            if "backward" in case:
                return lambda: stn.grid_sample_backward(image, grid, grad)
            return lambda: stn.grid_sample(image, grid)
        if case.startswith("resize 64"):
            return lambda: resize.resize(inputs[0], (224, 224))
        if case.startswith("pointing_game"):
            try:
                from lesson_utils.metrics import pointing_game
            except ImportError:  # versions before the metrics module
                from lesson_utils.gradcam import pointing_game
            cam, mask = inputs
            return lambda: pointing_game(cam, mask, tolerance=1000)
        n_out = int(case.split()[-1].split("x")[0])
        return lambda: resize.resize(inputs[0], (n_out, n_out))
    if lib == "torch":
        import torch
        import torch.nn.functional as F

        torch.set_num_threads(1)
        if case.startswith("sample_2d"):
            image, y, x = inputs
            h, w = image.shape
            grid = np.stack([2.0 * x / (w - 1) - 1.0, 2.0 * y / (h - 1) - 1.0], -1)
            t_img = torch.from_numpy(image)[None, None]
            t_grid = torch.from_numpy(grid.astype(np.float32))[None]
            return lambda: F.grid_sample(
                t_img, t_grid, "bicubic", "border", align_corners=True
            )
        if case.startswith("stn"):
            image, theta, grad = inputs
            t_theta = torch.from_numpy(theta)
            t_grid = F.affine_grid(t_theta, list(image.shape), align_corners=False)
            t_grad = torch.from_numpy(grad)

            def backward():  # noqa: ANN202
                img = torch.from_numpy(image).requires_grad_(True)
                grd = t_grid.clone().requires_grad_(True)
                out = F.grid_sample(img, grd, align_corners=False)
                out.backward(t_grad)
                return img.grad, grd.grad

            if "backward" in case:
                return backward
            t_img = torch.from_numpy(image)
            return lambda: F.grid_sample(t_img, t_grid, align_corners=False)
        tensor = torch.from_numpy(inputs[0])
        tensor = tensor[:, None] if tensor.ndim == 3 else tensor[None, None]
        n_out = 224 if case.startswith("resize 64") else int(case.split()[-1][0])
        return lambda: F.interpolate(tensor, size=(n_out, n_out), mode="bilinear")
    if lib == "PIL (loop)":
        from PIL import Image

        maps = [Image.fromarray(m) for m in inputs[0]]
        return lambda: [m.resize((224, 224), Image.Resampling.BILINEAR) for m in maps]
    if lib == "OpenCV (loop)":
        import cv2

        cv2.setNumThreads(1)
        maps = list(inputs[0])
        return lambda: [
            cv2.resize(m, (224, 224), interpolation=cv2.INTER_LINEAR) for m in maps
        ]
    raise ValueError(lib)


def _status_mb(field: str) -> float:
    """``VmRSS`` (now) or ``VmHWM`` (peak since the last reset) of this process."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0  # kB
    raise RuntimeError(field)


def _reset_peak() -> None:
    """Reset the peak RSS to the current RSS (Linux: write 5 to clear_refs)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def _one(case: str, lib: str) -> dict:

    inputs = _inputs(case)
    call = _call(case, lib, inputs)
    _reset_peak()
    before = _status_mb("VmRSS")
    call()
    peak = _status_mb("VmHWM") - before
    traced = None
    if lib == "lesson_utils":
        import tracemalloc

        tracemalloc.start()
        call()
        traced = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    times: list[float] = []
    while len(times) < 3 or (len(times) < 21 and sum(times) < 2.0):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return {"ms": min(times) * 1e3, "rss_mb": peak, "traced_mb": traced}


def _spawn(case: str, lib: str, src: str | None) -> dict:
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    if src is not None:
        env["PYTHONPATH"] = src
    out = subprocess.run(
        [sys.executable, HERE, "--case", case, "--lib", lib],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", help="src directory of the version to compare")
    parser.add_argument(
        "--only", help="run only the cases whose name contains this text"
    )
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--lib", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(_one(args.case, args.lib)))
        return 0
    import lesson_utils

    print(f"lesson_utils from {os.path.dirname(lesson_utils.__file__)}")
    if args.before:
        print(f"before: lesson_utils from {args.before}")
    print("fresh processes per row; float32; 1 thread; time = fastest call; memory =")
    print("rise of peak RSS during the first call (tracemalloc peak in brackets)\n")
    head = (
        f"{'case':40} {'library':14} {'ms':>9} {'MB':>8} {'ratio t':>8} {'ratio m':>8}"
    )
    print(head)
    print("-" * len(head))
    for case, libs in CASES.items():
        if args.only and args.only not in case:
            continue
        jobs = {lib: (lib, None) for lib in libs}
        if args.before:
            jobs["before"] = ("lesson_utils", args.before)
        rows: dict[str, dict] = {}
        for _ in range(ROUNDS):  # interleaved: a burst of load hits every row alike
            for key, (lib, src) in jobs.items():
                r = _spawn(case, lib, src)
                if key not in rows or r["ms"] < rows[key]["ms"]:
                    rows[key] = r
        others = [lib for lib in libs if lib != "lesson_utils"]
        # no library to compare with: an absolute target, ratios to lesson_utils
        ref = min(others, key=lambda lib: rows[lib]["ms"]) if others else "lesson_utils"
        for lib, r in rows.items():
            name = "lesson_utils" + (" (before)" if lib == "before" else "")
            name = lib if lib in others else name
            rt = r["ms"] / rows[ref]["ms"]
            rm = r["rss_mb"] / max(rows[ref]["rss_mb"], 0.1)
            traced = f" [{r['traced_mb']:.1f}]" if r["traced_mb"] is not None else ""
            print(
                f"{case:40} {name:14} {r['ms']:9.2f} {r['rss_mb']:8.1f} "
                f"{rt:8.2f} {rm:8.2f}{traced}"
            )
        print(f"{'':40} target: {TARGETS[case]} (ratios to {ref})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
