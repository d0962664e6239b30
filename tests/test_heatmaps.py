"""Tests of lesson_utils.heatmaps (Chapter 5): hand-computed arrays, comparison with
torch / matplotlib / OpenCV, hypothesis invariants, and error messages."""

import cv2
import matplotlib as mpl
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lesson_utils import heatmaps as hm
from lesson_utils import libraries as lib
from lesson_utils.widgets import ch05

finite = st.floats(-100, 100, allow_nan=False, allow_infinity=False, width=64)
maps = hnp.arrays(
    np.float64, st.tuples(st.integers(2, 5), st.integers(2, 5)), elements=finite
)
nonneg_maps = hnp.arrays(
    np.float64,
    st.tuples(st.integers(2, 5), st.integers(2, 5)),
    elements=st.floats(0, 10, allow_nan=False, width=64),
)


# ---------------------------------------------------------------- normalize


def test_normalize_hand_computed():
    out = hm.normalize([[1.0, 2.0], [3.0, 5.0]])
    np.testing.assert_array_equal(out, [[0.0, 0.25], [0.5, 1.0]])


@pytest.mark.parametrize("value", [0.0, 3.5, -2.0])
def test_normalize_flat_map_gives_zeros_not_nan(value):
    out = hm.normalize(np.full((3, 4), value))
    assert not np.any(np.isnan(out))
    np.testing.assert_array_equal(out, np.zeros((3, 4)))


def test_normalize_flat_up_to_roundoff_is_flat():
    # a constant map resized: weights sum to 1 only up to round-off
    cam = np.full((4, 4), 0.3) + np.array([0.0, 5.5e-17, 0.0, -5.5e-17])
    assert cam.max() > cam.min()
    np.testing.assert_array_equal(hm.normalize(cam), np.zeros((4, 4)))


def test_normalize_each_map_of_a_stack_on_its_own():
    stack = np.stack([[[0.0, 2.0]] * 2, [[10.0, 30.0]] * 2, np.zeros((2, 2))])
    out = hm.normalize(stack)
    np.testing.assert_array_equal(out[0], [[0.0, 1.0]] * 2)
    np.testing.assert_array_equal(out[1], [[0.0, 1.0]] * 2)
    np.testing.assert_array_equal(out[2], np.zeros((2, 2)))


def test_normalize_fixed_scale_clips():
    out = hm.normalize([[-1.0, 0.5], [1.0, 3.0]], vmin=0.0, vmax=2.0)
    np.testing.assert_array_equal(out, [[0.0, 0.25], [0.5, 1.0]])


@pytest.mark.parametrize(
    ("dtype", "expected"),
    [(np.float32, np.float32), (np.float64, np.float64), (np.int64, np.float64)],
)
def test_normalize_dtype(dtype, expected):
    assert hm.normalize(np.arange(6, dtype=dtype).reshape(2, 3)).dtype == expected


int_maps = hnp.arrays(
    np.float64,
    st.tuples(st.integers(2, 5), st.integers(2, 5)),
    elements=st.integers(-99, 99),
)


@settings(max_examples=40, deadline=None)
@given(int_maps, st.floats(0.1, 10), st.floats(-5, 5))
def test_normalize_invariants(cam, scale, shift):
    # integer-valued maps: flat exactly when max == min, far from the tolerance
    before = cam.copy()
    out = hm.normalize(cam)
    np.testing.assert_array_equal(cam, before)  # input not mutated
    assert out.shape == cam.shape and np.all((out >= 0) & (out <= 1))
    if np.ptp(cam) > 0:
        assert out.min() == 0.0 and out.max() == 1.0
        # min-max forgets positive scale and shift
        np.testing.assert_allclose(hm.normalize(scale * cam + shift), out, atol=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"cam": [[np.nan, 1.0]]}, ValueError, "`cam` must contain only finite"),
        ({"cam": [[np.inf, 1.0]]}, ValueError, "`cam` must contain only finite"),
        ({"cam": [1.0, 2.0]}, ValueError, "`cam` must be 2-D or 3-D"),
        ({"cam": "map"}, TypeError, "`cam` must be a numeric array"),
        ({"cam": [[1.0]], "vmin": 0.0}, ValueError, "`vmin` and `vmax`"),
        ({"cam": [[1.0]], "vmin": 1.0, "vmax": 1.0}, ValueError, "`vmax` must be"),
        ({"cam": [[1.0]], "vmin": "0", "vmax": 1.0}, TypeError, "`vmin` must be"),
        ({"cam": [[1.0]], "rtol": -1.0}, ValueError, "`rtol` must be"),
    ],
)
def test_normalize_errors(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        hm.normalize(**kwargs)


# ---------------------------------------------------------------- upsample


@pytest.mark.parametrize(
    ("method", "align_corners", "mode"),
    [
        ("nearest", False, "nearest-exact"),
        ("bilinear", False, "bilinear"),
        ("bilinear", True, "bilinear"),
        ("bicubic", False, "bicubic"),
        ("bicubic", True, "bicubic"),
    ],
)
@pytest.mark.parametrize("output_shape", [(224, 224), (14, 21), (7, 7)])
def test_upsample_matches_torch(method, align_corners, mode, output_shape):
    cam = np.random.default_rng(0).random((7, 7))
    ours = hm.upsample(
        cam, output_shape, method=method, align_corners=align_corners, a=-0.75
    )
    theirs = lib.torch_resize(
        cam,
        output_shape,
        mode=mode,
        align_corners=None if mode == "nearest-exact" else align_corners,
    )
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)


def test_upsample_hand_computed_half_pixel():
    out = hm.upsample([[0.0, 1.0]], (1, 4))
    np.testing.assert_allclose(out, [[0.0, 0.25, 0.75, 1.0]])
    out = hm.upsample([[0.0, 1.0]], (1, 4), align_corners=True)
    np.testing.assert_allclose(out, [[0.0, 1 / 3, 2 / 3, 1.0]])


def test_upsample_bicubic_overshoots_seed_example():
    # the seed text's 2x2 map, 2x with torch's bicubic (a = -0.75)
    out = hm.upsample([[0.1, 0.8], [0.3, 0.5]], (4, 4), method="bicubic", a=-0.75)
    assert out.min() < 0.0 and out.max() > 0.8
    np.testing.assert_allclose([out.min(), out.max()], [-0.00048, 0.911], atol=5e-4)


def test_upsample_stack_and_float32():
    cam = np.random.default_rng(1).random((3, 4, 5)).astype(np.float32)
    out = hm.upsample(cam, (8, 10))
    assert out.shape == (3, 8, 10) and out.dtype == np.float32
    np.testing.assert_allclose(out[1], hm.upsample(cam[1], (8, 10)), atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(maps, st.sampled_from(["nearest", "bilinear"]), st.booleans())
def test_upsample_nearest_bilinear_stay_in_range(cam, method, align_corners):
    out = hm.upsample(cam, (9, 11), method=method, align_corners=align_corners)
    assert out.min() >= cam.min() - 1e-9 and out.max() <= cam.max() + 1e-9


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"output_shape": (2, 8)}, ValueError, "`output_shape` must be at least"),
        ({"output_shape": (8,)}, ValueError, "`output_shape` must be a tuple of 2"),
        ({"output_shape": (8, 8), "method": "cubic"}, ValueError, "`method` must be"),
        ({"output_shape": (8, 8), "align_corners": 1}, TypeError, "`align_corners`"),
        ({"output_shape": (8, 8), "a": np.nan}, ValueError, "`a` must be"),
    ],
)
def test_upsample_errors(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        hm.upsample(np.ones((4, 4)), **kwargs)


# ---------------------------------------------------------------- heatmap


def test_heatmap_hand_computed():
    out = hm.heatmap([[0.0, 2.0], [2.0, 4.0]], (2, 4))
    np.testing.assert_allclose(
        out, [[0.0, 0.125, 0.375, 0.5], [0.5, 0.625, 0.875, 1.0]], atol=1e-12
    )


def sparse_cam():
    cam = np.zeros((7, 7))
    cam[2, 2], cam[2, 3], cam[4, 4] = 1.0, 0.6, 0.8
    return cam


def test_heatmap_bicubic_unclamped_lifts_background():
    cam = sparse_cam()
    up = hm.upsample(cam, (56, 56), method="bicubic")
    assert up.min() < 0  # undershoot
    lifted = hm.heatmap(cam, (56, 56), method="bicubic", clamp=False)
    safe = hm.heatmap(cam, (56, 56), method="bicubic")
    # pixel (0, 0) is background: every tap it reads is 0
    expected = (0.0 - up.min()) / (up.max() - up.min())
    assert lifted[0, 0] == pytest.approx(expected, rel=1e-12)
    assert lifted[0, 0] > 0.0 and safe[0, 0] == 0.0


def test_heatmap_nearest_same_before_or_after():
    cam = np.random.default_rng(2).random((5, 6)) * 3 - 1
    after = hm.heatmap(cam, (20, 24), method="nearest", normalization="after")
    before = hm.heatmap(cam, (20, 24), method="nearest", normalization="before")
    np.testing.assert_allclose(after, before, atol=1e-12)


@pytest.mark.parametrize("method", ["nearest", "bilinear", "bicubic"])
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("clamp", [False, True])
def test_heatmap_after_is_normalized_before(method, align_corners, clamp):
    # resizing commutes with affine maps, so "after" = normalize("before"): the two
    # orders differ only in contrast (range not filled, or values outside [0, 1])
    cam = np.random.default_rng(2).random((5, 6)) * 3 - 1
    kw = {"method": method, "align_corners": align_corners, "clamp": clamp}
    after = hm.heatmap(cam, (20, 24), normalization="after", **kw)
    before = hm.heatmap(cam, (20, 24), normalization="before", **kw)
    np.testing.assert_allclose(after, hm.normalize(before), atol=1e-12)


def test_heatmap_bilinear_before_does_not_fill_the_range():
    # 4x half-pixel bilinear never lands on a cell centre: the nearest output
    # pixels sit 1/8 of a cell away in y and in x, so the peak is 0.875 ** 2
    cam = np.zeros((5, 5))
    cam[2, 2] = 1.0
    before = hm.heatmap(cam, (20, 20), normalization="before")
    after = hm.heatmap(cam, (20, 20), normalization="after")
    assert before.max() == pytest.approx(0.875**2) and after.max() == 1.0


def test_heatmap_before_unclamped_bicubic_leaves_unit_interval():
    out = hm.heatmap(
        sparse_cam(), (56, 56), method="bicubic", normalization="before", clamp=False
    )
    assert out.min() < 0.0 and out.max() > 1.0


@pytest.mark.parametrize("value", [0.0, 2.0])
@pytest.mark.parametrize("method", ["nearest", "bilinear", "bicubic"])
@pytest.mark.parametrize("normalization", ["after", "before"])
def test_heatmap_constant_map_is_zero_not_nan(value, method, normalization):
    out = hm.heatmap(
        np.full((7, 7), value), (50, 50), method=method, normalization=normalization
    )
    np.testing.assert_array_equal(out, np.zeros((50, 50)))


@settings(max_examples=30, deadline=None)
@given(
    maps,
    st.sampled_from(["nearest", "bilinear", "bicubic"]),
    st.booleans(),
    st.sampled_from(["after", "before"]),
)
def test_heatmap_invariants(cam, method, align_corners, normalization):
    out = hm.heatmap(
        cam,
        (12, 13),
        method=method,
        align_corners=align_corners,
        normalization=normalization,
    )
    assert out.shape == (12, 13)
    assert np.all(np.isfinite(out)) and out.min() >= 0.0 and out.max() <= 1.0


def test_heatmap_errors():
    with pytest.raises(ValueError, match="`normalization` must be one of 'after'"):
        hm.heatmap(np.ones((2, 2)), (4, 4), normalization="first")
    with pytest.raises(TypeError, match="`clamp` must be True or False"):
        hm.heatmap(np.ones((2, 2)), (4, 4), clamp="yes")


# ---------------------------------------------------------------- colours


def test_colormap_gray_endpoints_and_clipping():
    out = hm.colormap([-1.0, 0.0, 1.0, 2.0], "gray")
    np.testing.assert_array_equal(out, [[0, 0, 0], [0, 0, 0], [1, 1, 1], [1, 1, 1]])


@pytest.mark.parametrize("cmap", ["viridis", "jet", "magma"])
def test_colormap_matches_matplotlib(cmap):
    v = np.linspace(0, 1, 37).reshape(37, 1)
    np.testing.assert_array_equal(hm.colormap(v, cmap), mpl.colormaps[cmap](v)[..., :3])
    assert hm.colormap(v, mpl.colormaps[cmap]).shape == (37, 1, 3)


@pytest.mark.parametrize(
    ("args", "exc", "match"),
    [
        (([np.nan], "viridis"), ValueError, "`values` must contain only finite"),
        (([0.5], "not_a_cmap"), ValueError, "`cmap` must be a matplotlib colormap"),
        (([0.5], 3), ValueError, "`cmap` must be a matplotlib colormap"),
    ],
)
def test_colormap_errors(args, exc, match):
    with pytest.raises(exc, match=match):
        hm.colormap(*args)


@pytest.mark.parametrize(
    ("rgb", "lab"),
    [
        ([0, 0, 0], [0, 0, 0]),
        ([1, 1, 1], [100, 0, 0]),
        ([1, 0, 0], [53.2408, 80.0925, 67.2032]),
        ([0, 1, 0], [87.7347, -86.1827, 83.1793]),
        ([0, 0, 1], [32.2970, 79.1875, -107.8602]),
    ],
)
def test_srgb_to_lab_reference_values(rgb, lab):
    np.testing.assert_allclose(hm.srgb_to_lab(rgb), lab, atol=2e-3)


def test_srgb_to_lab_matches_opencv():
    # OpenCV's float path (L* in [0, 100], a*, b* unscaled) reads the sRGB gamma
    # curve from an interpolated table: differences up to ~0.25 units of L* and
    # ~0.4 of a*, b* (measured on 5000 random colours), below the ~1 unit a viewer
    # can notice.
    rgb = np.random.default_rng(3).random((200, 3))
    ours = hm.srgb_to_lab(rgb)
    theirs = cv2.cvtColor(rgb.astype(np.float32)[None], cv2.COLOR_RGB2Lab)[0]
    np.testing.assert_allclose(ours[:, 0], theirs[:, 0], atol=0.3)
    np.testing.assert_allclose(ours[:, 1:], theirs[:, 1:], atol=0.5)


@settings(max_examples=20, deadline=None)
@given(hnp.arrays(np.float64, (4, 3), elements=st.floats(0, 1, width=64)))
def test_srgb_to_lab_lightness_range_and_grey_axis(rgb):
    lab = hm.srgb_to_lab(rgb)
    assert np.all((lab[:, 0] >= -1e-9) & (lab[:, 0] <= 100 + 1e-9))
    grey = hm.srgb_to_lab(np.repeat(rgb[:, :1], 3, axis=1))
    np.testing.assert_allclose(grey[:, 1:], 0.0, atol=1e-3)  # neutral greys


@pytest.mark.parametrize(
    ("rgb", "match"),
    [([0.5, 0.5], "`rgb` must have 3 channels"), ([1.5, 0, 0], r"`rgb` must lie in")],
)
def test_srgb_to_lab_errors(rgb, match):
    with pytest.raises(ValueError, match=match):
        hm.srgb_to_lab(rgb)


@pytest.mark.parametrize("cmap", ["viridis", "magma", "cividis", "gray"])
def test_lightness_perceptual_maps_rise_monotonically(cmap):
    assert np.all(np.diff(hm.lightness(cmap)) > 0)


def test_lightness_jet_rises_and_falls():
    L = hm.lightness("jet")
    d = np.diff(L)
    assert np.any(d > 0) and np.any(d < 0)
    assert 0 < np.argmax(L) < len(L) - 1  # brightest colour is in the middle


def test_lightness_errors():
    with pytest.raises(ValueError, match="`values` must be an integer >= 2"):
        hm.lightness("viridis", 1)


# ---------------------------------------------------------------- overlay


@pytest.mark.parametrize(
    ("image", "out_dtype"),
    [
        (np.full((32, 40), 128, dtype=np.uint8), np.float64),
        (np.full((32, 40, 3), 200, dtype=np.uint8), np.float64),
        (np.full((32, 40), 0.5, dtype=np.float32), np.float32),
        (np.full((32, 40, 3), 0.25, dtype=np.float64), np.float64),
    ],
)
@pytest.mark.parametrize("method", ["nearest", "bilinear", "bicubic"])
def test_overlay_shape_dtype_range(image, out_dtype, method):
    cam = sparse_cam()
    before = image.copy()
    out = hm.overlay(image, cam, method=method)
    np.testing.assert_array_equal(image, before)
    assert out.shape == (32, 40, 3) and out.dtype == out_dtype
    assert out.min() >= 0.0 and out.max() <= 1.0


def test_overlay_is_a_convex_blend():
    image = np.random.default_rng(4).integers(0, 256, (16, 16, 3), dtype=np.uint8)
    cam = sparse_cam()
    colours = hm.colormap(hm.heatmap(cam, (16, 16)), "viridis")
    np.testing.assert_allclose(hm.overlay(image, cam, alpha=0.0), image / 255.0)
    np.testing.assert_allclose(hm.overlay(image, cam, alpha=1.0), colours)
    np.testing.assert_allclose(
        hm.overlay(image, cam, alpha=0.3), 0.7 * image / 255.0 + 0.3 * colours
    )


@pytest.mark.parametrize("cam", [np.zeros((7, 7)), np.full((7, 7), 0.4)])
def test_overlay_flat_map_no_nan(cam):
    out = hm.overlay(np.zeros((28, 28), dtype=np.uint8), cam)
    assert np.all(np.isfinite(out))
    # a flat map is painted with the colormap's lowest colour everywhere
    np.testing.assert_allclose(out, 0.5 * hm.colormap(np.zeros((28, 28))))


@settings(max_examples=20, deadline=None)
@given(
    nonneg_maps,
    st.sampled_from(["nearest", "bilinear", "bicubic"]),
    st.sampled_from(["after", "before"]),
    st.floats(0, 1),
)
def test_overlay_invariants(cam, method, normalization, alpha):
    image = np.linspace(0, 1, 20 * 24).reshape(20, 24)
    out = hm.overlay(
        image, cam, method=method, normalization=normalization, alpha=alpha
    )
    assert out.shape == (20, 24, 3) and np.all(np.isfinite(out))
    assert out.min() >= 0.0 and out.max() <= 1.0


@pytest.mark.parametrize(
    ("image", "cam", "kwargs", "exc", "match"),
    [
        (np.zeros((8, 8)), [[np.nan, 1.0], [0, 0]], {}, ValueError, "`cam` must"),
        (np.zeros((8, 8)), np.ones((2, 2, 2)), {}, ValueError, "`cam` must be 2-D"),
        (
            np.full((8, 8), 2.0),
            np.ones((2, 2)),
            {},
            ValueError,
            "`image` must be uint8",
        ),
        (np.zeros((8, 8), np.int16), np.ones((2, 2)), {}, TypeError, "`image` must be"),
        (np.zeros((8, 8, 4)), np.ones((2, 2)), {}, ValueError, r"`image` must have"),
        (np.zeros((8, 8)), np.ones((2, 2)), {"alpha": 1.5}, ValueError, "`alpha`"),
        (np.zeros((8, 8)), np.ones((2, 2)), {"cmap": "nope"}, ValueError, "`cmap`"),
        (np.zeros((8, 8)), np.ones((9, 9)), {}, ValueError, "`output_shape`"),
    ],
)
def test_overlay_errors(image, cam, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        hm.overlay(image, cam, **kwargs)


# ---------------------------------------------------------------- ground truth


def test_gaussian_field_hand_computed():
    f = hm.gaussian_field((2, 2), [[0.25, 0.25]], [0.5], [2.0])
    d2 = np.array([[0.0, 0.25], [0.25, 0.5]])  # squared distances to (0.25, 0.25)
    np.testing.assert_allclose(f, 2.0 * np.exp(-d2 / (2 * 0.25)))


@pytest.mark.parametrize("k", [3, 5])
def test_gaussian_field_coarse_samples_fine_block_centres(k):
    # coarse pixel r covers fine pixels k r .. k r + k - 1; for odd k its centre is
    # the centre of fine pixel k r + (k - 1) / 2
    args = ([[0.4, 0.6], [0.8, 0.2]], [0.3, 0.1], [1.0, 0.5])
    coarse = hm.gaussian_field((4, 5), *args)
    fine = hm.gaussian_field((4 * k, 5 * k), *args)
    np.testing.assert_allclose(coarse, fine[(k - 1) // 2 :: k, (k - 1) // 2 :: k])


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (((4, 4), [[0.5]], [0.1]), r"`centers` must have shape \(k, 2\)"),
        (((4, 4), [[0.5, 0.5]], [0.1, 0.2]), r"`sigmas` must have shape \(1,\)"),
        (((4, 4), [[0.5, 0.5]], [0.0]), "`sigmas` must be > 0"),
        (((4, 4), [[0.5, 0.5]], [0.1], [1.0, 2.0]), "`amplitudes` must have shape"),
        (((4, 0), [[0.5, 0.5]], [0.1]), r"`output_shape\[1\]` must be"),
    ],
)
def test_gaussian_field_errors(args, match):
    with pytest.raises(ValueError, match=match):
        hm.gaussian_field(*args)


def test_peak_position_ties_pick_top_left_of_nearest_block():
    cam = np.zeros((7, 7))
    cam[3, 5] = 1.0
    up = hm.upsample(cam, (224, 224), method="nearest")
    assert hm.peak_position(up) == (3 * 32, 5 * 32)


def test_rmse_hand_computed_and_errors():
    assert hm.rmse([0.0, 0.0], [3.0, 4.0]) == pytest.approx(np.sqrt(12.5))
    with pytest.raises(ValueError, match="`estimate` must have the shape of `truth`"):
        hm.rmse([1.0, 2.0], [1.0])


# ---------------------------------------------------------------- frame


def test_upsample_frame_contents():
    cam = sparse_cam()
    truth = hm.gaussian_field((56, 56), [[0.35, 0.35]], [0.1])
    f = ch05.upsample_frame(cam, (56, 56), method="bicubic", clamp=False, truth=truth)
    assert f["row"] == hm.peak_position(truth)[0]
    np.testing.assert_array_equal(f["profile"], f["heat"][f["row"]])
    assert f["raw_min"] < 0 < f["raw_max"]
    # by hand: min-max normalised truth, then the root of the mean squared gap
    t = (truth - truth.min()) / (truth.max() - truth.min())
    assert f["rmse"] == pytest.approx(np.sqrt(np.mean((f["heat"] - t) ** 2)), rel=1e-12)
    assert 0.0 < f["rmse"] < 0.2  # the upsampled 7 x 7 map roughly follows the truth
    assert f["rgb"].shape == (56, 56, 3) and f["lightness"].shape == (56,)
    with pytest.raises(ValueError, match="`row` must be < 56"):
        ch05.upsample_frame(cam, (56, 56), row=56)
    with pytest.raises(ValueError, match=r"`truth` must have shape \(56, 56\)"):
        ch05.upsample_frame(cam, (56, 56), truth=np.ones((5, 5)))


# ------------------------------------------------- finite extremes: no NaN or inf
def test_normalize_map_spanning_more_than_the_largest_float():
    out = hm.normalize([[-1.7e308, 0.0], [1.7e308, 1.0]])
    np.testing.assert_allclose(out, [[0.0, 0.5], [1.0, 0.5]], rtol=0, atol=1e-15)


def test_gaussian_field_tiny_sigma_is_a_single_pixel():
    f = hm.gaussian_field((3, 3), [[0.5, 0.5]], [1e-200])
    assert f.tolist() == [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    with pytest.raises(ValueError, match="gaussian_field overflowed"):
        hm.gaussian_field((2, 2), [[0.5, 0.5], [0.5, 0.5]], [1.0, 1.0], [1e308, 1e308])


def test_rmse_of_huge_values_is_finite_and_exact():
    assert hm.rmse([1e300, -1e300], [-1e300, 1e300]) == 2e300
    assert hm.rmse([0.0, 0.0], [3.0, 4.0]) == 12.5**0.5


@pytest.mark.parametrize("method", ["nearest", "bilinear", "bicubic"])
def test_upsample_clamp_keeps_each_map_within_its_own_range(method):
    rng = np.random.default_rng(3)
    cams = rng.random((3, 5, 6)) * np.array([1.0, 10.0, 0.1])[:, None, None]
    raw = hm.upsample(cams, (20, 24), method=method)
    clamped = hm.upsample(cams, (20, 24), method=method, clamp=True)
    for k in range(3):  # written out per map: the clip bounds are that map's own
        lo, hi = cams[k].min(), cams[k].max()
        np.testing.assert_array_equal(
            clamped[k], np.minimum(np.maximum(raw[k], lo), hi)
        )
        assert lo <= clamped[k].min() and clamped[k].max() <= hi
    if method != "bicubic":  # convex combinations never leave the range
        np.testing.assert_array_equal(clamped, raw)
    else:
        assert (raw < cams.min(axis=(1, 2))[:, None, None]).any()


def test_upsample_clamp_must_be_a_bool():
    with pytest.raises(TypeError, match="clamp"):
        hm.upsample([[0.0, 1.0]], (2, 4), clamp="yes")
