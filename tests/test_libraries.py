"""Tests of lesson_utils.libraries (Chapters 3 and 4): each library call against
lesson_utils.resize, with the matches and the deviations the book documents.

Tolerances: 1e-5 for float32 results (Pillow "F", TensorFlow and JAX compute in
float32), 1e-10 for float64. TensorFlow and JAX tests skip, with the reason, when
the library is not installed. Sizes are drawn from a seeded generator; JAX
compiles every new pair of shapes, so its cases are few.
"""

import importlib.util
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lesson_utils import kernels
from lesson_utils import libraries as lib
from lesson_utils.resize import mapped_coordinates, resize, source_coordinates

# TensorFlow and JAX (about 10 s each to import) load in one worker only
pytestmark = pytest.mark.xdist_group("libraries")

HAS_TF = importlib.util.find_spec("tensorflow") is not None
HAS_JAX = importlib.util.find_spec("jax") is not None
needs_tf = pytest.mark.skipif(
    not HAS_TF,
    reason=f"TensorFlow is not installed: pip install {lib.PINS['tensorflow']}",
)
needs_jax = pytest.mark.skipif(
    not HAS_JAX, reason=f"JAX is not installed: pip install {lib.PINS['jax']}"
)
F32 = 1e-5

_rng = np.random.default_rng(17)
# random size pairs, one upsampling and one downsampling axis pair each
UP = [tuple(int(v) for v in _rng.integers(2, 9, 2)) for _ in range(3)]
UP = [
    ((h, w), (h + int(_rng.integers(1, 9)), w + int(_rng.integers(1, 9))))
    for h, w in UP
]
DOWN = [tuple(int(v) for v in _rng.integers(9, 20, 2)) for _ in range(3)]
DOWN = [
    ((h, w), (int(_rng.integers(2, h - 2)), int(_rng.integers(2, w - 2))))
    for h, w in DOWN
]
MIXED = UP + DOWN


def _image(shape, seed=0, dtype=np.float32):
    return np.random.default_rng(seed).random(shape).astype(dtype)


def _renormalised_keys(n_in, n_out, *, a=-0.5, steps=None):
    """From scratch: Keys weights at the half-pixel coordinates, not widened,
    taps outside the axis dropped and the rest renormalised; with ``steps``, the
    fractional offset first rounded to a multiple of 1/steps (a weight table)."""
    x = source_coordinates(n_in, n_out)
    base = np.floor(x)
    t = x - base
    if steps is not None:
        t = np.round(t * steps) / steps
    taps = base[:, None] + np.arange(-1, 3)
    w = kernels.keys_cubic(t[:, None] - np.arange(-1, 3), a)
    w = np.where((taps >= 0) & (taps < n_in), w, 0.0)
    w /= w.sum(axis=1, keepdims=True)
    m = np.zeros((n_out, n_in))
    for i, k in np.argwhere(w != 0):
        m[i, int(taps[i, k])] += w[i, k]
    return m


def _separable(image, m_y, m_x):
    return m_y @ image.astype(np.float64) @ m_x.T


def _tie_pairs(limit):
    """Size pairs (n_in, n_out) <= limit with at least one exact nearest tie."""
    out = []
    for n_in in range(1, limit + 1):
        for n_out in range(1, limit + 1):
            twice = (2 * np.arange(n_out) + 1) * n_in
            if np.any(twice % (2 * n_out) == 0):
                out.append((n_in, n_out))
    return out


# ---------------------------------------------------------------- hand-computed


@pytest.mark.parametrize(
    "call",
    [
        lambda v: lib.torch_resize(v, (1, 4), mode="bilinear"),
        lambda v: lib.pil_resize(v, (1, 4), resample="bilinear"),
        lambda v: lib.cv2_resize(v, (1, 4)),
        pytest.param(lambda v: lib.tf_resize(v, (1, 4)), marks=needs_tf),
        pytest.param(lambda v: lib.jax_resize(v, (1, 4)), marks=needs_jax),
    ],
)
def test_half_pixel_bilinear_by_hand(call):
    # outputs at x = -0.25, 0.25, 0.75, 1.25, clamped: 0, 1/4, 3/4, 1
    np.testing.assert_allclose(call([[0.0, 1.0]]), [[0, 0.25, 0.75, 1]], atol=1e-7)


def test_zoom_resize_corner_aligned_by_hand():
    # corner-aligned 2 -> 4: x = 0, 1/3, 2/3, 1
    got = lib.zoom_resize([[0.0, 1.0]], (1, 4), order=1)
    np.testing.assert_allclose(got, [[0, 1 / 3, 2 / 3, 1]], atol=1e-12)


@needs_tf
def test_tf1_resize_top_left_by_hand():
    # TF1 defaults: x_i = i * 2 / 4 = 0, 0.5, 1, 1.5 (clamped to 1)
    got = lib.tf1_resize([[0.0, 1.0]], (1, 4))
    np.testing.assert_allclose(got, [[0, 0.5, 1, 1]], atol=1e-7)


@pytest.mark.parametrize(
    "call",
    [
        lambda v, s: lib.torch_resize(v, s, mode="bilinear"),
        lambda v, s: lib.pil_resize(v, s, resample="bilinear"),
        lambda v, s: lib.cv2_resize(v, s),
        lambda v, s: lib.zoom_resize(v, s, order=1, grid_mode=True, mode="nearest"),
        pytest.param(lambda v, s: lib.tf_resize(v, s), marks=needs_tf),
        pytest.param(lambda v, s: lib.jax_resize(v, s), marks=needs_jax),
    ],
)
def test_wrappers_keep_row_col_axes(call):
    # a 2 x 3 image whose rows differ: (W, H) must not leak out of the wrapper
    image = np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]], dtype=np.float32)
    got = call(image, (4, 5))
    assert got.shape == (4, 5) and got.dtype == np.float32
    np.testing.assert_allclose(got, resize(image, (4, 5)), atol=F32)


# ---------------------------------------------------------------- torch, Pillow, OpenCV, scipy


@pytest.mark.parametrize(("shape_in", "shape_out"), MIXED)
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_torch_resize_equals_resize(shape_in, shape_out, align_corners, dtype):
    image = _image(shape_in, dtype=dtype)
    tol = F32 if dtype == np.float32 else 1e-10
    for mode, a in (("bilinear", -0.5), ("bicubic", -0.75)):
        got = lib.torch_resize(image, shape_out, mode=mode, align_corners=align_corners)
        want = resize(image, shape_out, method=mode, a=a, align_corners=align_corners)
        assert got.dtype == dtype
        np.testing.assert_allclose(got, want, atol=tol, rtol=0)


def test_torch_resize_default_nearest_is_top_left():
    ramp = np.arange(224.0)[None, :]
    got = lib.torch_resize(ramp, (1, 7))[0]
    np.testing.assert_array_equal(got, np.floor(mapped_coordinates(224, 7, "top_left")))
    exact = lib.torch_resize(ramp, (1, 7), mode="nearest-exact")[0]
    np.testing.assert_array_equal(exact, resize(ramp, (1, 7), method="nearest")[0])


@pytest.mark.parametrize(("shape_in", "shape_out"), MIXED)
def test_pil_resize_float_is_antialias(shape_in, shape_out):
    image = _image(shape_in, seed=1)
    for resample, method in (("bilinear", "bilinear"), ("bicubic", "bicubic")):
        got = lib.pil_resize(image, shape_out, resample=resample)
        want = resize(image, shape_out, method=method, antialias=True, a=-0.5)
        np.testing.assert_allclose(got, want, atol=F32, rtol=0)


def _to_8bit(values):
    return np.clip(np.round(values), 0, 255)


@pytest.mark.parametrize(("shape_in", "shape_out"), MIXED)
def test_pil_and_cv2_8bit_paths_round_and_clip(shape_in, shape_out):
    # Pillow: rows resized, stored in 8 bits, then columns; OpenCV: one rounding at
    # the end; both up to 1 grey level of fixed-point arithmetic
    image = np.round(_image(shape_in, seed=2, dtype=np.float64) * 255)
    image[0, :] = 255  # a bright edge next to dark pixels: bicubic overshoots
    image[1, :] = 0
    for resample in ("bilinear", "bicubic"):
        kw = {"method": resample, "antialias": True}
        rows = _to_8bit(resize(image, (shape_in[0], shape_out[1]), **kw))
        two_passes = _to_8bit(resize(rows, shape_out, **kw))
        grey = lib.pil_resize(image, shape_out, resample=resample, mode="L")
        rgb = lib.pil_resize(
            np.stack([image] * 3), shape_out, resample=resample, mode="RGB"
        )
        assert np.abs(grey - two_passes).max() <= 1
        np.testing.assert_array_equal(rgb, np.stack([grey] * 3))  # channels alike
    for interpolation in ("linear", "cubic"):
        flt = lib.cv2_resize(image, shape_out, interpolation=interpolation)
        u8 = lib.cv2_resize(
            image, shape_out, interpolation=interpolation, dtype="uint8"
        )
        assert np.abs(u8 - _to_8bit(flt)).max() <= 1
    if shape_out[0] > shape_in[0]:  # enlarging: the float path keeps the overshoot
        cubic = lib.pil_resize(image, shape_out, resample="bicubic")
        assert cubic.min() < 0 or cubic.max() > 255


@pytest.mark.parametrize(("shape_in", "shape_out"), MIXED)
def test_cv2_resize_equals_resize(shape_in, shape_out):
    image = _image(shape_in, seed=3, dtype=np.float64)
    np.testing.assert_allclose(
        lib.cv2_resize(image, shape_out), resize(image, shape_out), atol=1e-5
    )
    np.testing.assert_allclose(
        lib.cv2_resize(image, shape_out, interpolation="cubic"),
        resize(image, shape_out, method="bicubic", a=-0.75),
        atol=1e-5,
    )


def test_cv2_area_is_block_average_for_integer_factors():
    image = _image((12, 8), seed=4)
    np.testing.assert_allclose(
        lib.cv2_resize(image, (4, 2), interpolation="area"),
        resize(image, (4, 2), method="nearest", antialias=True),
        atol=F32,
    )


@pytest.mark.parametrize(("shape_in", "shape_out"), MIXED)
def test_zoom_resize_grids(shape_in, shape_out):
    image = _image(shape_in, seed=5, dtype=np.float64)
    np.testing.assert_allclose(
        lib.zoom_resize(image, shape_out, order=1, mode="nearest"),
        resize(image, shape_out, align_corners=True),
        atol=1e-10,
    )
    np.testing.assert_allclose(
        lib.zoom_resize(image, shape_out, order=1, grid_mode=True, mode="nearest"),
        resize(image, shape_out),
        atol=1e-10,
    )
    spline = lib.zoom_resize(image, shape_out, order=3, grid_mode=True, mode="nearest")
    keys = resize(image, shape_out, method="bicubic")
    assert np.abs(spline - keys).max() > 1e-3  # order 3 is a B-spline, not Keys


# ---------------------------------------------------------------- TensorFlow 2


@needs_tf
@pytest.mark.parametrize(("shape_in", "shape_out"), MIXED)
def test_tf_resize_bilinear_and_antialias_equal_resize(shape_in, shape_out):
    image = _image(shape_in, seed=6)
    np.testing.assert_allclose(
        lib.tf_resize(image, shape_out), resize(image, shape_out), atol=F32
    )
    for method in ("bilinear", "bicubic"):
        got = lib.tf_resize(image, shape_out, method=method, antialias=True)
        want = resize(image, shape_out, method=method, antialias=True, a=-0.5)
        np.testing.assert_allclose(got, want, atol=F32)


@needs_tf
@pytest.mark.parametrize(("shape_in", "shape_out"), MIXED)
def test_tf_resize_bicubic_is_a_table_of_1024_offsets(shape_in, shape_out):
    # without antialias: Keys a = -1/2 at half-pixel centres, not widened, borders
    # renormalised, the offset rounded to a multiple of 1/1024
    image = _image(shape_in, seed=7)
    got = lib.tf_resize(image, shape_out, method="bicubic")
    table = _separable(
        image,
        _renormalised_keys(shape_in[0], shape_out[0], steps=1024),
        _renormalised_keys(shape_in[1], shape_out[1], steps=1024),
    )
    np.testing.assert_allclose(got, table, atol=F32)
    exact = resize(image, shape_out, method="bicubic", antialias=True)
    if shape_out[0] >= shape_in[0] and shape_out[1] >= shape_in[1]:
        # enlarging: Pillow's bicubic, up to the table's rounding
        assert np.abs(got - exact).max() < 1e-3
    else:
        assert np.abs(got - exact).max() > 1e-3  # shrinking: no antialias


@needs_tf
def test_tf_resize_bicubic_table_shows_off_the_ties():
    # 5 -> 13: offsets are multiples of 1/26, most not of 1/1024
    image = _image((5, 5), seed=8)
    got = lib.tf_resize(image, (13, 13), method="bicubic")
    gap = np.abs(got - resize(image, (13, 13), method="bicubic", antialias=True)).max()
    assert 1e-5 < gap < 1e-3


@needs_tf
def test_tf_resize_nearest_rounds_ties_up_except_by_float32_rounding():
    # off ties TF equals ours; at ties it computes floor((i + 0.5) * float32(n/m))
    pairs = [(2, 41), (4, 47), (6, 37), (8, 55)] + [
        p for p in _tie_pairs(12) if p[0] % 3 == 0
    ]
    differ = 0
    for n_in, n_out in pairs:
        ramp = np.arange(n_in, dtype=np.float32)[None, :]
        got = lib.tf_resize(ramp, (1, n_out), method="nearest")[0]
        scale = np.float32(n_in) / np.float32(n_out)
        formula = np.floor(
            (np.arange(n_out, dtype=np.float32) + np.float32(0.5)) * scale
        )
        np.testing.assert_array_equal(got, np.minimum(formula, n_in - 1))
        differ += not np.array_equal(got, resize(ramp, (1, n_out), method="nearest")[0])
    assert differ >= 4  # the four listed pairs round a tie down


# ---------------------------------------------------------------- TensorFlow 1


@needs_tf
@pytest.mark.parametrize("method", ["nearest", "bilinear"])
def test_tf1_resize_three_mappings(method):
    ramp = np.arange(8.0, dtype=np.float32)[None, :]
    for n_out in (3, 16):
        default = lib.tf1_resize(ramp, (1, n_out), method=method)[0]
        corners = lib.tf1_resize(ramp, (1, n_out), method=method, align_corners=True)[0]
        half = lib.tf1_resize(ramp, (1, n_out), method=method, half_pixel_centers=True)[
            0
        ]
        top_left = mapped_coordinates(8, n_out, "top_left")
        if method == "bilinear":
            np.testing.assert_allclose(default, np.clip(top_left, 0, 7), atol=F32)
            np.testing.assert_allclose(
                corners, source_coordinates(8, n_out, align_corners=True), atol=F32
            )
            np.testing.assert_allclose(
                half, np.clip(source_coordinates(8, n_out), 0, 7), atol=F32
            )
        else:
            np.testing.assert_array_equal(default, np.floor(top_left))
            np.testing.assert_array_equal(
                half, resize(ramp, (1, n_out), method="nearest")[0]
            )


@needs_tf
def test_tf1_resize_bicubic_align_corners_is_torch_kernel():
    image = _image((6, 8), seed=9)
    got = lib.tf1_resize(image, (15, 20), method="bicubic", align_corners=True)
    want = resize(image, (15, 20), method="bicubic", a=-0.75, align_corners=True)
    assert np.abs(got - want).max() < 1e-3  # a = -0.75, offsets from a table


# ---------------------------------------------------------------- JAX


@needs_jax
@pytest.mark.parametrize(("shape_in", "shape_out"), [UP[0], DOWN[0]])
def test_jax_resize_antialiases_by_default(shape_in, shape_out):
    image = _image(shape_in, seed=10)
    for method, ours in (("linear", "bilinear"), ("cubic", "bicubic")):
        got = lib.jax_resize(image, shape_out, method=method)
        want = resize(image, shape_out, method=ours, antialias=True, a=-0.5)
        np.testing.assert_allclose(got, want, atol=F32)
    plain = lib.jax_resize(image, shape_out, antialias=False)
    np.testing.assert_allclose(plain, resize(image, shape_out), atol=F32)


@needs_jax
@pytest.mark.parametrize(("shape_in", "shape_out"), [UP[1], DOWN[1]])
def test_jax_resize_cubic_without_antialias_renormalises_borders(shape_in, shape_out):
    image = _image(shape_in, seed=11)
    got = lib.jax_resize(image, shape_out, method="cubic", antialias=False)
    want = _separable(
        image,
        _renormalised_keys(shape_in[0], shape_out[0]),
        _renormalised_keys(shape_in[1], shape_out[1]),
    )
    np.testing.assert_allclose(got, want, atol=F32)


@needs_jax
@pytest.mark.parametrize(("shape_in", "shape_out"), [UP[2], DOWN[2]])
def test_jax_resize_cubic_pytorch_is_torch_only_without_antialias(shape_in, shape_out):
    image = _image(shape_in, seed=12)
    got = lib.jax_resize(image, shape_out, method="cubic-pytorch", antialias=False)
    np.testing.assert_allclose(
        got, lib.torch_resize(image, shape_out, mode="bicubic"), atol=F32
    )
    default = lib.jax_resize(image, shape_out, method="cubic-pytorch")
    want = resize(image, shape_out, method="bicubic", antialias=True, a=-0.5)
    np.testing.assert_allclose(default, want, atol=F32)  # Pillow's kernel instead


@needs_jax
def test_jax_resize_nearest_agrees_off_ties_and_not_always_at_them():
    down = 0
    for n_in, n_out in [(2, 41), (9, 6), (17, 23), (16, 47)]:
        ramp = np.arange(n_in, dtype=np.float32)[None, :]
        got = lib.jax_resize(ramp, (1, n_out), method="nearest")[0]
        ours = resize(ramp, (1, n_out), method="nearest")[0]
        tie = (2 * np.arange(n_out) + 1) * n_in % (2 * n_out) == 0
        np.testing.assert_array_equal(got[~tie], ours[~tie])
        down += bool(np.any(got[tie] < ours[tie]))
    assert down >= 1  # float32 arithmetic lands below some ties (2 -> 41 here)


# ---------------------------------------------------------------- invariants


@settings(max_examples=15, deadline=None)
@given(
    h=st.integers(1, 9),
    w=st.integers(1, 9),
    h_out=st.integers(1, 12),
    w_out=st.integers(1, 12),
    value=st.floats(-5, 5, allow_nan=False),
)
def test_constant_image_stays_constant(h, w, h_out, w_out, value):
    image = np.full((h, w), value)
    for got in (
        lib.torch_resize(image, (h_out, w_out), mode="bilinear"),
        lib.torch_resize(image, (h_out, w_out), mode="bicubic"),
        lib.pil_resize(image, (h_out, w_out)),
        lib.cv2_resize(image, (h_out, w_out), interpolation="cubic"),
        lib.zoom_resize(image, (h_out, w_out), order=1, mode="nearest"),
    ):
        assert got.shape == (h_out, w_out)
        np.testing.assert_allclose(got, value, atol=1e-5)


@pytest.mark.parametrize(
    "call",
    [
        lambda v: lib.torch_resize(v, (5, 7), mode="bicubic"),
        lambda v: lib.pil_resize(v, (5, 7)),
        lambda v: lib.cv2_resize(v, (5, 7)),
        lambda v: lib.zoom_resize(v, (5, 7)),
        pytest.param(lambda v: lib.tf_resize(v, (5, 7)), marks=needs_tf),
        pytest.param(lambda v: lib.jax_resize(v, (5, 7)), marks=needs_jax),
    ],
)
def test_leading_axes_are_planes_and_input_is_kept(call):
    stack = _image((2, 3, 4, 6), seed=13, dtype=np.float64)
    before = stack.copy()
    got = call(stack)
    np.testing.assert_array_equal(stack, before)
    assert got.shape == (2, 3, 5, 7) and got.dtype == np.float64
    np.testing.assert_allclose(got[1, 2], call(stack[1, 2]), atol=1e-6)


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: lib.torch_resize(np.eye(3), (2, 2), mode="linear"), "`mode`"),
        (lambda: lib.torch_resize(np.eye(3), (2, 2), align_corners=1), "align_corners"),
        (lambda: lib.torch_resize(np.eye(3), (0, 2)), r"output_shape\[0\]"),
        (lambda: lib.torch_resize(np.ones(3), (2, 2)), "`image`"),
        (lambda: lib.pil_resize(np.eye(3), (2, 2), resample="cubic"), "`resample`"),
        (lambda: lib.pil_resize(np.eye(3), (2, 2), mode="I"), "`mode`"),
        (lambda: lib.pil_resize(np.eye(3) / 2, (2, 2), mode="L"), "whole numbers"),
        (lambda: lib.pil_resize(np.eye(3), (2, 2), mode="RGB"), "3 channels"),
        (lambda: lib.cv2_resize(np.eye(3), (2, 2), interpolation="bilinear"), "interp"),
        (lambda: lib.cv2_resize(np.eye(3) * 300, (2, 2), dtype="uint8"), r"\[0, 255\]"),
        (lambda: lib.zoom_resize(np.eye(3), (2, 2), order=6), "`order`"),
        (lambda: lib.zoom_resize(np.eye(3), (2, 2), mode="edge"), "`mode`"),
        (lambda: lib.tf_resize(np.eye(3), (2, 2), method="linear"), "`method`"),
        (lambda: lib.jax_resize(np.eye(3), (2, 2), method="bilinear"), "`method`"),
        (lambda: lib.require("numpy"), "`module`"),
    ],
)
def test_bad_arguments_name_the_parameter(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()


@needs_tf
def test_tf1_resize_refuses_both_flags():
    with pytest.raises(ValueError, match="align_corners.*half_pixel_centers"):
        lib.tf1_resize(np.eye(3), (2, 2), align_corners=True, half_pixel_centers=True)


@pytest.mark.parametrize(
    ("module", "call", "hint"),
    [
        (
            "tensorflow",
            lambda: lib.tf_resize(np.eye(3), (2, 2)),
            "tensorflow-cpu==2.21.0",
        ),
        ("tensorflow", lambda: lib.tf1_resize(np.eye(3), (2, 2)), "tensorflow-cpu"),
        ("jax", lambda: lib.jax_resize(np.eye(3), (2, 2)), "jax==0.10.2 jaxlib"),
    ],
)
def test_missing_library_says_what_to_install(monkeypatch, module, call, hint):
    monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed
    with pytest.raises(ModuleNotFoundError, match=f"pip install {hint}") as info:
        call()
    assert "\n" not in str(info.value)  # one line


def test_pil_8bit_stores_the_row_pass_in_8_bits():
    # the article's picture: bicubic overshoots in the row pass, and Pillow clips it
    # there, before the column pass (clipping once at the end is 18 levels off)
    grey = np.array([[0.0, 255.0], [128.0, 64.0]])
    kw = {"method": "bicubic", "antialias": True}
    got = lib.pil_resize(grey, (4, 4), mode="L")
    rows = _to_8bit(resize(grey, (2, 4), **kw))
    np.testing.assert_array_equal(got, _to_8bit(resize(rows, (4, 4), **kw)))
    assert np.abs(got - _to_8bit(resize(grey, (4, 4), **kw))).max() > 10
