"""The Python side of the explorers (`lesson_utils.explorers`), without a browser.

What the page receives is checked against `lesson_utils` (the data are computed by
the package, never typed), the HTML is checked for what the JavaScript relies on,
and bad arguments raise errors naming the parameter. The browser side is
`tests/test_explorers.py`.
"""

from __future__ import annotations

import base64
import html
import json
import re
from typing import Any

import matplotlib as mpl
import numpy as np
import pytest

from lesson_utils import explorers, heatmaps, phantoms, resize, stn

VALUES = [2.0, 5.0, 3.0, 6.0, 4.0]
IMAGE = [[1.0, 3.0, 2.0, 0.0], [4.0, 8.0, 5.0, 1.0], [2.0, 6.0, 9.0, 3.0]]


def _unpack(spec: dict[str, Any]) -> np.ndarray:
    raw = base64.b64decode(spec["b64"])
    if spec["dtype"] == "bits":
        count = int(np.prod(spec["shape"]))
        bits = np.unpackbits(np.frombuffer(raw, dtype=np.uint8))[:count]
        return bits.astype(bool).reshape(spec["shape"])
    dtype = {"uint8": "u1", "float32": "<f4", "float64": "<f8"}[spec["dtype"]]
    return np.frombuffer(raw, dtype=dtype).reshape(spec["shape"])


def _cam_data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y, m = phantoms.make_phantoms(12, seed=0, size=32)
    keep = np.flatnonzero(y == 1)[:3]
    cams = resize.resize(m[keep].astype(float), (4, 4), antialias=True)
    return x[keep], m[keep], cams


# ------------------------------------------------------------------ the HTML
@pytest.mark.parametrize("chapter", explorers.CHAPTERS)
def test_html_has_root_data_and_both_scripts(chapter: str) -> None:
    ex = _example(chapter)
    page = ex._repr_html_()
    assert page.startswith(f'<div data-explorer="{chapter}"')
    assert "data-fallback" in page
    found = re.search(
        r'<script type="application/json" data-explorer-data="">(.*?)</script>',
        page,
        re.S,
    )
    assert found is not None
    assert json.loads(found.group(1)) == json.loads(json.dumps(ex.data))
    assert page.endswith(
        f"<script>{explorers.script('core')}</script>"
        f"<script>{explorers.script(chapter)}</script>"
    )
    assert f"ns.{chapter} = " in explorers.script(chapter)
    assert f'core.mountAll("{chapter}", mount)' in explorers.script(chapter)
    assert chapter in repr(ex) and "bytes of HTML" in repr(ex)


def test_scripts_load_nothing_from_elsewhere() -> None:
    for name in ("core", *explorers.CHAPTERS):
        text = explorers.script(name)
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text), name
        assert "import " not in text and "fetch(" not in text, name


def test_title_and_data_are_escaped() -> None:
    ex = explorers.ch01(VALUES, title='a </script><b "x">')
    page = ex._repr_html_()
    assert "</script><b" not in page.split("<script>")[0]
    assert html.escape('a </script><b "x">', quote=True) in page
    assert json.loads(ex.data_json())["title"] == 'a </script><b "x">'


def test_script_rejects_an_unknown_name() -> None:
    with pytest.raises(ValueError, match="`name` must be one of 'core', 'ch01'"):
        explorers.script("ch99")


def test_floats_reach_the_page_exactly() -> None:
    values = np.random.default_rng(0).normal(size=20)
    ex = explorers.ch01(values, x=float(np.pi))
    back = json.loads(ex.data_json())
    assert back["values"] == values.tolist() and back["x"] == float(np.pi)


# --------------------------------------------------------------- the data
def test_ch01_path_is_the_static_twins_sweep() -> None:
    ex = explorers.ch01(VALUES, x=3.4, n_frames=36)
    assert ex.data["path"] == np.linspace(0, 4, 36).tolist()
    assert ex.data["x_range"] == [-2.0, 6.0]
    assert explorers.ch01(VALUES, n_frames=None).data["path"] == []


def test_ch02_keeps_image_and_path() -> None:
    path = np.array([[0.5, 0.5], [1.0, 2.5]])
    ex = explorers.ch02(IMAGE, path=path, method="bicubic")
    assert ex.data["image"] == IMAGE and ex.data["path"] == path.tolist()
    assert ex.data["method"] == "bicubic"


def test_ch03_settings() -> None:
    ex = explorers.ch03(6, 4, mapping="top_left", output=3, play_sizes=[(4, 6)])
    assert ex.data["mappings"] == list(resize.MAPPINGS)
    assert ex.data["play_sizes"] == [[4, 6]] and ex.data["output"] == 3


def test_ch05_truth_luts_and_row_equal_lesson_utils() -> None:
    cam = heatmaps.gaussian_field((5, 5), [[0.3, 0.6]], [0.15])
    truth = heatmaps.gaussian_field((20, 20), [[0.3, 0.6]], [0.15])
    ex = explorers.ch05(cam, (20, 20), truth=truth, cmaps=("viridis", "jet"))
    assert ex.data["cam"] == cam.tolist()
    np.testing.assert_array_equal(
        _unpack(ex.data["truth"]), heatmaps.normalize(truth).astype(np.float32)
    )
    assert ex.data["row"] == heatmaps.peak_position(heatmaps.normalize(truth))[0]
    for name in ("viridis", "jet"):
        lut = ex.data["luts"][name]
        rgb = mpl.colormaps[name](np.arange(256))[:, :3]
        decoded = np.array(
            [[int(h[i : i + 2], 16) for i in (1, 3, 5)] for h in lut["colors"]]
        )
        assert np.abs(decoded - rgb * 255).max() <= 0.5
        lightness = heatmaps.lightness(name, (np.arange(256) + 0.5) / 256)
        assert np.abs(np.array(lut["lightness"]) - lightness).max() <= 0.005
    # without a truth the row is the shown map's peak
    shown = heatmaps.heatmap(cam, (20, 20))
    assert explorers.ch05(cam, (20, 20)).data["row"] == heatmaps.peak_position(shown)[0]


def test_ch05_path_settings_are_validated_and_kept() -> None:
    path = [{"method": "nearest"}, {"clamp": False, "normalization": "before"}]
    assert explorers.ch05([[0.0, 1.0]], (2, 4), path=path).data["path"] == path


def test_ch06_images_masks_and_cams_reach_the_page() -> None:
    images, masks, cams = _cam_data()
    ex = explorers.ch06(images, masks, cams, index=1, threshold=0.4)
    grey = np.round(np.clip(images[:, 0], 0, 1) * 255).astype(np.uint8)
    np.testing.assert_array_equal(_unpack(ex.data["images"]), grey)
    np.testing.assert_array_equal(_unpack(ex.data["masks"]), masks)
    np.testing.assert_array_equal(_unpack(ex.data["cams"]), cams)  # exact float64
    assert ex.data["n"] == 3 and ex.data["image_shape"] == [32, 32]
    assert ex.data["cam_shape"] == [4, 4] and ex.data["threshold"] == 0.4


def _channel_data() -> dict[str, np.ndarray]:
    """Three images' 2 x 2 channels (K = 3), weights with a tie, and their maps."""
    images, masks, _ = _cam_data()
    rng = np.random.default_rng(5)
    acts = rng.random((3, 3, 4, 4))
    weights = np.array([[0.5, -0.25, 0.5], [1.0, 0.0, -2.0], [0.1, 0.2, 0.3]])
    cams = np.maximum(np.einsum("nk,nkij->nij", weights, acts), 0.0)
    return {
        "images": images,
        "masks": masks,
        "cams": cams,
        "activations": acts,
        "weights": weights,
    }


def test_ch06_activations_and_weights_reach_the_page() -> None:
    gradcam = pytest.importorskip("lesson_utils.gradcam")  # needs torch
    d = _channel_data()
    ex = explorers.ch06(**d)
    acts, weights = _unpack(ex.data["activations"]), _unpack(ex.data["weights"])
    np.testing.assert_array_equal(acts, d["activations"])  # exact float64
    np.testing.assert_array_equal(weights, d["weights"])
    assert ex.data["n_channels"] == 3 and ex.data["interval"] == 600
    for i in range(3):  # all channels added gives back the cams passed
        full = gradcam.gradcam_frame(acts[i], weights[i], 2)["cam"]
        np.testing.assert_allclose(
            full, _unpack(ex.data["cams"])[i], rtol=0, atol=1e-15
        )
    plain = explorers.ch06(d["images"], d["masks"], d["cams"])
    assert "activations" not in plain.data and plain.data["interval"] == 1500


def test_ch06_refuses_cams_that_are_not_the_full_sum() -> None:
    d = _channel_data()
    d["cams"] = d["cams"].astype(np.float32)  # rounded: about 1e-8 relative
    with pytest.raises(ValueError, match=r"`cams` must equal ReLU\(sum_k weights_k"):
        explorers.ch06(**d)
    d = _channel_data()
    d["weights"] = d["weights"][::-1].copy()  # another image's weights
    with pytest.raises(ValueError, match="image 0 differs by"):
        explorers.ch06(**d)
    d = _channel_data()
    d["cams"] = d["cams"] * (1 + 1e-13)  # within 1e-12 relative: accepted
    explorers.ch06(**d)


def test_ch07_theta_image_and_path_equal_lesson_utils() -> None:
    image = stn.make_pattern(16, seed=1)
    path = np.stack([stn.affine_theta(rotation=r) for r in (0.0, 10.0, 20.0)])
    ex = explorers.ch07(
        image,
        template=image,
        rotation=20.0,
        scale=0.8,
        tx=0.1,
        path=path,
        path_steps=[0, 5, 9],
        path_losses=[1e-2, 1e-3, 1e-4],
    )
    assert (
        ex.data["theta"] == stn.affine_theta(rotation=20.0, scale=0.8, tx=0.1).tolist()
    )
    np.testing.assert_array_equal(_unpack(ex.data["image"]), image)
    np.testing.assert_array_equal(_unpack(ex.data["template"]), image)
    assert ex.data["path"] == path.tolist() and ex.data["path_steps"] == [0, 5, 9]
    assert ex.data["padding_modes"] == list(stn.PADDING_MODES)


def test_inputs_are_not_mutated() -> None:
    values = np.array(VALUES)
    images, masks, cams = _cam_data()
    copies = [a.copy() for a in (values, images, masks, cams)]
    explorers.ch01(values)
    explorers.ch06(images, masks, cams)
    for before, after in zip(copies, (values, images, masks, cams), strict=True):
        np.testing.assert_array_equal(before, after)
    d = _channel_data()
    kept = {name: a.copy() for name, a in d.items()}
    explorers.ch06(**d)
    for name, a in d.items():
        np.testing.assert_array_equal(a, kept[name])


def _vit_data() -> dict[str, Any]:
    """Three 16 x 16 images on a 2 x 2 patch grid, row-stochastic attentions."""
    images, masks, _ = _cam_data()
    images, masks = images[:, :, :16, :16], masks[:, :16, :16]
    rng = np.random.default_rng(0)
    layers = []
    for _ in range(2):  # L = 2 layers, G = 2 heads, T = 1 + 2 * 2
        a = rng.random((3, 2, 5, 5))
        layers.append(a / a.sum(axis=-1, keepdims=True))
    cams = np.maximum(rng.normal(size=(3, 2, 2)), 0.0)
    return {"images": images, "masks": masks, "attentions": layers, "cams": cams}


def test_ch08_maps_equal_vit_and_reach_the_page() -> None:
    vit = pytest.importorskip("lesson_utils.vit")  # needs torch
    d = _vit_data()
    ex = explorers.ch08(
        d["images"], d["masks"], d["attentions"], d["cams"], patch_size=8, index=2
    )
    keys = ex.data["map_keys"]
    assert keys == [
        "attention-1-0",
        "attention-1-1",
        "attention-1-mean",
        "attention-2-0",
        "attention-2-1",
        "attention-2-mean",
        "rollout-1",
        "rollout-2",
        "gradcam",
    ]
    maps = _unpack(ex.data["maps"])
    assert maps.dtype == np.float32 and maps.shape == (3, len(keys), 2, 2)
    a1, a2 = d["attentions"]
    expected = {
        "attention-1-1": a1[:, 1, 0, 1:].reshape(3, 2, 2),  # CLS row, by hand
        "attention-2-mean": a2.mean(axis=1)[:, 0, 1:].reshape(3, 2, 2),
        "rollout-1": vit.cls_map(vit.attention_rollout([a1]), (2, 2)),
        "rollout-2": vit.cls_map(vit.attention_rollout([a1, a2]), (2, 2)),
        "gradcam": d["cams"],
    }
    for key, value in expected.items():
        np.testing.assert_array_equal(
            maps[:, keys.index(key)], value.astype(np.float32)
        )
    grey = np.round(np.clip(d["images"][:, 0], 0, 1) * 255).astype(np.uint8)
    np.testing.assert_array_equal(_unpack(ex.data["images"]), grey)
    np.testing.assert_array_equal(_unpack(ex.data["masks"]), d["masks"])
    assert ex.data["grid_shape"] == [2, 2] and ex.data["patch_size"] == 8
    assert (ex.data["layers"], ex.data["heads"], ex.data["layer"]) == (2, 2, 2)
    assert (ex.data["index"], ex.data["map"], ex.data["method"]) == (
        2,
        "mean",
        "bilinear",
    )


# ----------------------------------------------------------------- errors
def _example(chapter: str) -> explorers.Explorer:
    images, masks, cams = _cam_data()
    return {
        "ch01": lambda: explorers.ch01(VALUES),
        "ch02": lambda: explorers.ch02(IMAGE),
        "ch03": lambda: explorers.ch03(),
        "ch04": lambda: explorers.ch04([0, 0, 1, 1]),
        "ch05": lambda: explorers.ch05([[0.0, 1.0], [1.0, 0.0]], (4, 4)),
        "ch06": lambda: explorers.ch06(images, masks, cams),
        "ch07": lambda: explorers.ch07(stn.make_pattern(8)),
        "ch08": lambda: explorers.ch08(**_vit_data(), patch_size=8),
    }[chapter]()


BAD: list[tuple[str, dict[str, Any], type[Exception], str]] = [
    ("ch01", {"values": [1.0]}, ValueError, "`values` must have at least 2"),
    ("ch01", {"values": "abc"}, TypeError, "`values` must be a numeric array"),
    ("ch01", {"method": "cubic2"}, ValueError, "`method` must be one of 'nearest'"),
    ("ch01", {"edge": "wrap"}, ValueError, "`edge` must be one of 'clamp', 'zeros'"),
    ("ch01", {"x": 9.0}, ValueError, r"`x` must lie in \[-2, 6\]"),
    ("ch01", {"x": float("nan")}, ValueError, "`x` must be a finite real number"),
    ("ch01", {"x_range": (3.0, 1.0)}, ValueError, "`x_range` must have low < high"),
    ("ch01", {"n_frames": 1}, ValueError, "`n_frames` must be an integer >= 2"),
    ("ch01", {"interval": 5}, ValueError, "`interval` must be an integer >= 16"),
    ("ch01", {"title": ""}, TypeError, "`title` must be a non-empty string"),
    ("ch02", {"image": [[1.0, 2.0]]}, ValueError, "`image` must be at least 2 x 2"),
    ("ch02", {"y": 5.0}, ValueError, r"`y` must lie in \[0, 2\]"),
    ("ch02", {"method": "linear"}, ValueError, "`method` must be one of 'nearest'"),
    ("ch02", {"path": [[0.5, 0.5, 0.5]]}, ValueError, r"`path` must have shape"),
    ("ch02", {"path": [[0.5, 9.0]]}, ValueError, r"`path\[0, 1\]` must lie in"),
    ("ch03", {"n_in": 0}, ValueError, "`n_in` must be an integer >= 1"),
    ("ch03", {"n_out": 40}, ValueError, "`n_out` must be <= max_size = 16"),
    ("ch03", {"mapping": "edges"}, ValueError, "`mapping` must be one of"),
    ("ch03", {"output": 4}, ValueError, "`output` must be < n_out = 4"),
    ("ch03", {"antialias": 1}, TypeError, "`antialias` must be True or False"),
    ("ch03", {"play_sizes": [(4,)]}, TypeError, r"`play_sizes\[0\]` must be a pair"),
    ("ch03", {"max_size": 64}, ValueError, "`max_size` must be an integer in 2 .. 32"),
    ("ch04", {"values": [0.0, 1.0], "x": 1.5}, ValueError, r"`x` must lie in \[0, 1\]"),
    ("ch04", {"values": [0.0, 1.0], "a": -3.0}, ValueError, "`a` must lie in"),
    ("ch04", {"values": [0.0, 1.0], "ty": 2.0}, ValueError, "`ty` must lie in"),
    ("ch04", {"values": [0.0, 1.0], "a_range": (0.0, -1.0)}, ValueError, "`a_range`"),
    ("ch05", {"output_shape": (1, 4)}, ValueError, "`output_shape` must be at least"),
    ("ch05", {"output_shape": (4,)}, ValueError, "`output_shape` must be a pair"),
    ("ch05", {"cmap": "gray"}, ValueError, "`cmap` must be one of 'viridis'"),
    ("ch05", {"cmaps": ("nope",)}, ValueError, "`cmap` must be the name of"),
    ("ch05", {"normalization": "never"}, ValueError, "`normalization` must be one of"),
    (
        "ch05",
        {"truth": np.zeros((3, 3))},
        ValueError,
        r"`truth` must have shape \(4, 4\)",
    ),
    ("ch05", {"row": 4}, ValueError, "`row` must be < 4"),
    ("ch05", {"a": -3.0}, ValueError, r"`a` must lie in \[-2, 0.5\]"),
    ("ch05", {"path": [{"colour": "red"}]}, ValueError, r"`path\[0\]` may only set"),
    ("ch05", {"path": [{"method": "cubic"}]}, ValueError, r"`path\[0\]\['method'\]`"),
    ("ch06", {"masks": "float"}, TypeError, "`masks` must be a boolean array"),
    ("ch06", {"cams": "wide"}, ValueError, r"`cams` must have shape \(3, h, w\)"),
    ("ch06", {"threshold": 0.0}, ValueError, r"`threshold` must lie in \(0, 1\]"),
    ("ch06", {"index": 3}, ValueError, "`index` must be < 3"),
    ("ch06", {"alpha": 1.5}, ValueError, r"`alpha` must lie in \[0, 1\]"),
    ("ch06", {"vmin": 1.0}, ValueError, "`vmax` must be greater than `vmin`"),
    ("ch06", {"activations": "alone"}, TypeError, "`weights` must be given with"),
    ("ch06", {"weights": "alone"}, TypeError, "`activations` must be given with"),
    (
        "ch06",
        {"activations": np.ones((3, 2, 4)), "weights": np.ones((3, 2))},
        ValueError,
        "`activations` must be 4-D",
    ),
    (
        "ch06",
        {"activations": np.ones((3, 2, 4, 5)), "weights": np.ones((3, 2))},
        ValueError,
        r"`activations` must have shape \(3, K, 4, 4\)",
    ),
    (
        "ch06",
        {"activations": np.ones((3, 65, 4, 4)), "weights": np.ones((3, 65))},
        ValueError,
        "`activations` must hold at most 64 channels",
    ),
    (
        "ch06",
        {"activations": np.ones((3, 2, 4, 4)), "weights": np.ones((3, 3))},
        ValueError,
        r"`weights` must have shape \(3, 2\)",
    ),
    (
        "ch06",
        {"activations": np.ones((3, 2, 4, 4)), "weights": [["a", "b"]] * 3},
        TypeError,
        "`weights` must be a numeric array",
    ),
    (
        "ch06",
        {"activations": np.full((3, 2, 4, 4), np.nan), "weights": np.ones((3, 2))},
        ValueError,
        "`activations` must contain only finite numbers",
    ),
    (
        "ch06",
        {"activations": np.ones((3, 2, 4, 4)), "weights": np.ones((3, 2))},
        ValueError,
        r"`cams` must equal ReLU\(sum_k weights_k A\^k\)",
    ),
    (
        "ch07",
        {"image": np.full((4, 4), 2.0)},
        ValueError,
        r"`image` must lie in \[0, 1\]",
    ),
    ("ch07", {"theta": np.eye(3)}, ValueError, r"`theta` must have shape \(2, 3\)"),
    ("ch07", {"padding_mode": "wrap"}, ValueError, "`padding_mode` must be one of"),
    (
        "ch07",
        {"template": np.zeros((3, 3))},
        ValueError,
        "`template` must have the shape",
    ),
    ("ch07", {"path_steps": [1]}, ValueError, "`path_steps` and `path_losses` need a"),
    (
        "ch07",
        {"path": np.zeros((2, 2, 3)), "path_losses": [1.0]},
        ValueError,
        "`path_losses`",
    ),
    ("ch07", {"scale": 0.0}, ValueError, "`scale` must be a non-zero"),
    ("ch08", {"patch_size": 5}, ValueError, "`patch_size` must divide"),
    ("ch08", {"patch_size": 4}, ValueError, r"`attentions` must hold layers of shape"),
    ("ch08", {"cams": np.zeros((3, 4, 4))}, ValueError, r"`cams` must have shape"),
    ("ch08", {"attentions": []}, ValueError, "`attentions` must hold at least one"),
    ("ch08", {"attentions": "abc"}, TypeError, "`attentions` must be a list"),
    ("ch08", {"layer": 3}, ValueError, r"`layer` must be an integer in 1 \.\. 2"),
    ("ch08", {"map": "h2"}, ValueError, "`map` must be one of 'mean', 'h0', 'h1'"),
    ("ch08", {"method": "linear"}, ValueError, "`method` must be one of"),
    ("ch08", {"align_corners": 1}, TypeError, "`align_corners` must be True or False"),
    ("ch08", {"threshold": 1.5}, ValueError, r"`threshold` must lie in \(0, 1\]"),
    ("ch08", {"index": 3}, ValueError, "`index` must be < 3"),
    ("ch08", {"masks": np.zeros((3, 16, 16))}, TypeError, "`masks` must be a boolean"),
]


@pytest.mark.parametrize(("chapter", "kwargs", "error", "message"), BAD)
def test_bad_arguments_name_the_parameter(
    chapter: str, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    images, masks, cams = _cam_data()
    defaults: dict[str, dict[str, Any]] = {
        "ch01": {"values": VALUES},
        "ch02": {"image": IMAGE},
        "ch03": {},
        "ch04": {"values": [0.0, 0.0, 1.0, 1.0]},
        "ch05": {"cam": [[0.0, 1.0], [1.0, 0.0]], "output_shape": (4, 4)},
        "ch06": {"images": images, "masks": masks, "cams": cams},
        "ch07": {"image": stn.make_pattern(8)},
        "ch08": dict(_vit_data(), patch_size=8) if chapter == "ch08" else {},
    }
    args = dict(defaults[chapter], **kwargs)
    if chapter == "ch06" and isinstance(args["masks"], str):
        args["masks"] = masks.astype(float)
    if chapter == "ch06" and isinstance(args["cams"], str):
        args["cams"] = np.zeros((3, 40, 4))
    for name in ("activations", "weights"):  # "alone": that one without its partner
        if chapter == "ch06" and isinstance(args.get(name), str):
            args[name] = (
                np.ones((3, 2, 4, 4)) if name == "activations" else np.ones((3, 2))
            )
    with pytest.raises(error, match=message):
        getattr(explorers, chapter)(**args)
