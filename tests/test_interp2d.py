"""Tests of lesson_utils.interp2d (Chapter 2): hand-computed cases, scipy and torch,
hypothesis invariants, errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.interpolate import RegularGridInterpolator

from lesson_utils import interp1d, interp2d, kernels

METHODS = ["nearest", "bilinear", "bicubic"]
EDGES = ["clamp", "zeros"]
SQUARE = np.array([[0.0, 10.0], [20.0, 30.0]])
PEAK = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 4.0]])

finite = st.floats(-100, 100, allow_nan=False, width=64)
images = st.tuples(st.integers(2, 5), st.integers(2, 5)).flatmap(
    lambda shape: hnp.arrays(np.float64, shape, elements=finite)
)


def _random(seed=0, shape=(5, 7), n=200, margin=0.0):
    rng = np.random.default_rng(seed)
    image = rng.normal(size=shape)
    y = rng.uniform(-margin, shape[0] - 1 + margin, n)
    x = rng.uniform(-margin, shape[1] - 1 + margin, n)
    return image, y, x


def _off_ties(v):
    """Move positions away from nearest-rounding ties (k + 0.5)."""
    frac = v - np.floor(v)
    return np.where(np.abs(frac - 0.5) < 1e-3, v + 0.01, v)


# ---------------------------------------------------------------- hand-computed


def test_bilinear_weights_hand_computed_layout():
    rows, cols, w = interp2d.bilinear_weights(1.25, 2.5)
    assert rows.tolist() == [[1, 1], [2, 2]]
    assert cols.tolist() == [[2, 3], [2, 3]]
    # (1 - 0.25)(1 - 0.5), (1 - 0.25)(0.5), (0.25)(1 - 0.5), (0.25)(0.5)
    np.testing.assert_array_equal(w, [[0.375, 0.375], [0.125, 0.125]])
    assert rows.dtype == cols.dtype == np.int64
    assert w.dtype == np.float64


def test_bilinear_weights_integer_point_puts_all_weight_on_top_left():
    rows, cols, w = interp2d.bilinear_weights(2.0, 3.0)
    assert rows[0, 0] == 2 and cols[0, 0] == 3
    np.testing.assert_array_equal(w, [[1.0, 0.0], [0.0, 0.0]])


@pytest.mark.parametrize(
    ("y", "x", "expected"),
    [
        (0.0, 0.0, 0.0),
        (1.0, 1.0, 30.0),
        (0.5, 0.5, 15.0),  # the mean of the four corners
        (0.25, 0.5, 10.0),  # top row 5, bottom row 25: 0.75 * 5 + 0.25 * 25
        (0.0, 0.3, 3.0),
        (0.8, 0.0, 16.0),
    ],
)
def test_sample_2d_hand_computed_2x2(y, x, expected):
    assert interp2d.sample_2d(SQUARE, y, x) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("y", "x", "expected"),
    [
        (0.5, 0.5, 0.25),  # one corner of four is 1
        (1.5, 1.5, 1.0),  # one corner of four is 4
        (0.25, 0.75, 0.1875),  # (1 - 0.25)(1 - 0.75) * 1
        (1.75, 1.5, 1.5),  # 0.75 * 0.5 * 4
        (2.0, 2.0, 4.0),
    ],
)
def test_sample_2d_hand_computed_3x3(y, x, expected):
    assert interp2d.sample_2d(PEAK, y, x) == pytest.approx(expected, abs=1e-12)


def test_sample_2d_nearest_hand_computed_ties_round_up():
    image = np.arange(9.0).reshape(3, 3)
    y = [0.4, 0.5, 1.5, 1.49]
    x = [0.5, 0.2, 1.5, 0.51]
    # rows 0, 1, 2, 1 and columns 1, 0, 2, 1
    np.testing.assert_array_equal(
        interp2d.sample_2d(image, y, x, method="nearest"), [1.0, 3.0, 8.0, 4.0]
    )


@pytest.mark.parametrize(
    ("edge", "expected"), [("clamp", [1.0, 4.0, 2.0]), ("zeros", [0.5, 2.0, 0.0])]
)
def test_sample_2d_edges_hand_computed(edge, expected):
    image = [[1.0, 2.0], [3.0, 4.0]]
    # half a pixel above the top-left, half below the bottom-right, far right
    out = interp2d.sample_2d(image, [-0.5, 1.5, 0.0], [0.0, 1.0, 5.0], edge=edge)
    np.testing.assert_allclose(out, expected, atol=1e-12)


@pytest.mark.parametrize("a", [-0.5, -0.75])
@pytest.mark.parametrize("edge", EDGES)
def test_sample_2d_bicubic_equals_direct_16_tap_keys_sum(a, edge):
    image, y, x = _random(seed=1, shape=(6, 5), n=60, margin=1.5)
    expected = np.zeros_like(y)
    for k in range(y.size):
        y0, x0 = int(np.floor(y[k])), int(np.floor(x[k]))
        for r in range(y0 - 1, y0 + 3):
            for c in range(x0 - 1, x0 + 3):
                inside = 0 <= r < 6 and 0 <= c < 5
                if edge == "zeros" and not inside:
                    continue
                pixel = image[min(max(r, 0), 5), min(max(c, 0), 4)]
                weight = kernels.keys_cubic(y[k] - r, a) * kernels.keys_cubic(
                    x[k] - c, a
                )
                expected[k] += pixel * weight
    out = interp2d.sample_2d(image, y, x, method="bicubic", a=a, edge=edge)
    np.testing.assert_allclose(out, expected, rtol=0, atol=1e-12)


def test_sample_2d_equals_1d_twice_in_both_orders():
    image, y, x = _random(seed=2, shape=(4, 6), n=50)
    by_rows = np.empty_like(y)  # along x on the two rows, then along y
    by_cols = np.empty_like(y)  # along y on the two columns, then along x
    for k in range(y.size):
        y0 = min(int(np.floor(y[k])), 2)
        x0 = min(int(np.floor(x[k])), 4)
        top = interp1d.sample_1d(image[y0], x[k])
        bottom = interp1d.sample_1d(image[y0 + 1], x[k])
        by_rows[k] = interp1d.sample_1d([top, bottom], y[k] - y0)
        left = interp1d.sample_1d(image[:, x0], y[k])
        right = interp1d.sample_1d(image[:, x0 + 1], y[k])
        by_cols[k] = interp1d.sample_1d([left, right], x[k] - x0)
    out = interp2d.sample_2d(image, y, x)
    np.testing.assert_allclose(out, by_rows, atol=1e-12)
    np.testing.assert_allclose(out, by_cols, atol=1e-12)


@pytest.mark.parametrize(
    ("y_shape", "x_shape", "out_shape"),
    [((), (), ()), ((3,), (3,), (3,)), ((4, 1), (1, 5), (4, 5)), ((2, 3), (), (2, 3))],
)
def test_sample_2d_broadcasts_positions(y_shape, x_shape, out_shape):
    rng = np.random.default_rng(3)
    y = rng.uniform(0, 2, y_shape)
    x = rng.uniform(0, 2, x_shape)
    out = interp2d.sample_2d(PEAK, y, x)
    assert out.shape == out_shape
    yb, xb = np.broadcast_arrays(y, x)
    expected = [
        interp2d.sample_2d(PEAK, a, b)
        for a, b in zip(yb.ravel(), xb.ravel(), strict=True)
    ]
    np.testing.assert_allclose(out.ravel(), expected, atol=1e-12)


def test_sample_2d_empty_positions_give_empty_output():
    assert interp2d.sample_2d(PEAK, [], []).shape == (0,)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("dtype", "out_dtype"),
    [(np.float32, np.float32), (np.float64, np.float64), (np.int64, np.float64)],
)
def test_sample_2d_dtype(method, dtype, out_dtype):
    image = (np.arange(12).reshape(3, 4) * 3).astype(dtype)
    out = interp2d.sample_2d(image, [0.3, 1.7], [2.2, 0.1], method=method)
    assert out.dtype == out_dtype
    ref = interp2d.sample_2d(
        image.astype(np.float64), [0.3, 1.7], [2.2, 0.1], method=method
    )
    np.testing.assert_allclose(out, ref, rtol=1e-6)


# ---------------------------------------------------------------- libraries


@pytest.mark.parametrize("method", ["linear", "nearest"])
@pytest.mark.parametrize("shape", [(2, 2), (5, 7), (8, 3)])
def test_sample_2d_matches_regular_grid_interpolator(method, shape):
    image, y, x = _random(seed=4, shape=shape, n=300)
    if method == "nearest":
        y, x = (
            np.clip(_off_ties(y), 0, shape[0] - 1),
            np.clip(_off_ties(x), 0, shape[1] - 1),
        )
    rgi = RegularGridInterpolator(
        (np.arange(shape[0]), np.arange(shape[1])), image, method=method
    )
    ours = interp2d.sample_2d(
        image, y, x, method="bilinear" if method == "linear" else "nearest"
    )
    # tolerance 1e-10 (float64): both sum the same four products
    np.testing.assert_allclose(ours, rgi(np.stack([y, x], -1)), rtol=0, atol=1e-10)


@pytest.mark.parametrize(
    ("method", "torch_mode"),
    [("bilinear", "bilinear"), ("nearest", "nearest"), ("bicubic", "bicubic")],
)
@pytest.mark.parametrize(
    ("edge", "padding_mode"), [("clamp", "border"), ("zeros", "zeros")]
)
@pytest.mark.parametrize("align_corners", [True, False])
def test_sample_2d_matches_torch_grid_sample(
    method, torch_mode, edge, padding_mode, align_corners
):
    image, y, x = _random(seed=5, shape=(5, 6), n=300, margin=2.0)
    if method == "nearest":  # grid_sample rounds ties to even, we round them up
        y, x = _off_ties(y), _off_ties(x)
    grid = interp2d.grid_sample_coordinates(
        y, x, image.shape, align_corners=align_corners
    )
    expected = F.grid_sample(
        torch.from_numpy(image)[None, None],
        torch.from_numpy(grid)[None, None],
        mode=torch_mode,
        padding_mode=padding_mode,
        align_corners=align_corners,
    )[0, 0, 0].numpy()
    # torch's bicubic is Keys with a = -0.75
    ours = interp2d.sample_2d(image, y, x, method=method, a=-0.75, edge=edge)
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-10)


def test_sample_2d_nearest_differs_from_grid_sample_only_at_ties():
    image = np.arange(16.0).reshape(4, 4)
    y = np.array([0.5, 1.5, 2.5])
    x = np.zeros(3)
    grid = interp2d.grid_sample_coordinates(y, x, (4, 4), align_corners=True)
    theirs = F.grid_sample(
        torch.from_numpy(image)[None, None],
        torch.from_numpy(grid)[None, None],
        mode="nearest",
        align_corners=True,
    )[0, 0, 0].numpy()
    np.testing.assert_array_equal(theirs, [0.0, 8.0, 8.0])  # rows 0, 2, 2: to even
    np.testing.assert_array_equal(
        interp2d.sample_2d(image, y, x, method="nearest"), [4.0, 8.0, 12.0]
    )


def test_sample_2d_float32_close_to_float64():
    image, y, x = _random(seed=6)
    out32 = interp2d.sample_2d(image.astype(np.float32), y, x)
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, interp2d.sample_2d(image, y, x), atol=1e-6)


@pytest.mark.parametrize(
    ("y", "x", "shape", "align_corners", "expected"),
    [
        (0.0, 0.0, (3, 5), True, [-1.0, -1.0]),
        (2.0, 4.0, (3, 5), True, [1.0, 1.0]),
        (1.0, 2.0, (3, 5), True, [0.0, 0.0]),
        (-0.5, -0.5, (3, 5), False, [-1.0, -1.0]),
        (2.5, 4.5, (3, 5), False, [1.0, 1.0]),
        (0.0, 0.0, (2, 4), False, [-0.75, -0.5]),
    ],
)
def test_grid_sample_coordinates_hand_computed(y, x, shape, align_corners, expected):
    grid = interp2d.grid_sample_coordinates(y, x, shape, align_corners=align_corners)
    np.testing.assert_allclose(grid, expected, atol=1e-12)


@pytest.mark.parametrize("align_corners", [True, False])
def test_grid_sample_coordinates_inverts_torch_unnormalisation(align_corners):
    _, y, x = _random(seed=7, shape=(4, 9), margin=1.0)
    g = interp2d.grid_sample_coordinates(y, x, (4, 9), align_corners=align_corners)
    if align_corners:  # torch: x = (g + 1) / 2 * (W - 1)
        back_x, back_y = (g[:, 0] + 1) / 2 * 8, (g[:, 1] + 1) / 2 * 3
    else:  # torch: x = ((g + 1) * W - 1) / 2
        back_x, back_y = ((g[:, 0] + 1) * 9 - 1) / 2, ((g[:, 1] + 1) * 4 - 1) / 2
    np.testing.assert_allclose(back_x, x, atol=1e-12)
    np.testing.assert_allclose(back_y, y, atol=1e-12)


# ---------------------------------------------------------------- invariants


@settings(max_examples=25, deadline=None)
@given(image=images, method=st.sampled_from(METHODS), edge=st.sampled_from(EDGES))
def test_sample_2d_reproduces_pixels_at_integer_points(image, method, edge):
    rows, cols = np.indices(image.shape)
    out = interp2d.sample_2d(image, rows, cols, method=method, edge=edge)
    np.testing.assert_allclose(out, image, rtol=0, atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(
    coef=st.tuples(finite, finite, finite, finite),
    shape=st.tuples(st.integers(2, 6), st.integers(2, 6)),
    points=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1),
)
def test_sample_2d_reproduces_bilinear_functions(coef, shape, points):
    a, b, c, d = coef
    rows, cols = np.indices(shape)
    image = a + b * cols + c * rows + d * cols * rows
    fy, fx = np.array(points).T
    y, x = fy * (shape[0] - 1), fx * (shape[1] - 1)
    out = interp2d.sample_2d(image, y, x)
    np.testing.assert_allclose(out, a + b * x + c * y + d * x * y, rtol=1e-9, atol=1e-9)


def test_sample_2d_does_not_reproduce_x_squared():
    image = np.tile(np.arange(5.0) ** 2, (3, 1))  # f(y, x) = x^2
    x = np.array([0.5, 1.5, 2.5, 3.5])
    out = interp2d.sample_2d(image, 1.0, x)
    # between k and k + 1 the chord lies 1/4 above the parabola at the midpoint
    np.testing.assert_allclose(out - x**2, 0.25, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    y=hnp.arrays(np.float64, st.integers(0, 8), elements=finite),
    x=st.floats(-100, 100, allow_nan=False),
)
def test_bilinear_weights_nonnegative_and_sum_to_one(y, x):
    rows, cols, w = interp2d.bilinear_weights(y, x)
    assert rows.shape == cols.shape == w.shape == y.shape + (2, 2)
    assert np.all(w >= 0)
    np.testing.assert_allclose(w.sum(axis=(-2, -1)), 1.0, atol=1e-12)
    np.testing.assert_array_equal(rows[..., 1, :] - rows[..., 0, :], 1)
    np.testing.assert_array_equal(cols[..., :, 1] - cols[..., :, 0], 1)


@settings(max_examples=25, deadline=None)
@given(image=images, fy=st.floats(0, 1), fx=st.floats(0, 1))
def test_sample_2d_bilinear_within_corner_range(image, fy, fx):
    y, x = fy * (image.shape[0] - 1), fx * (image.shape[1] - 1)
    rows, cols, _ = interp2d.bilinear_weights(y, x)
    corners = image[
        np.clip(rows, 0, image.shape[0] - 1), np.clip(cols, 0, image.shape[1] - 1)
    ]
    value = interp2d.sample_2d(image, y, x)
    assert corners.min() - 1e-9 <= value <= corners.max() + 1e-9


@settings(max_examples=25, deadline=None)
@given(
    image=images,
    y=hnp.arrays(np.float64, 6, elements=st.floats(-3, 8)),
    x=hnp.arrays(np.float64, 6, elements=st.floats(-3, 8)),
    method=st.sampled_from(METHODS),
    edge=st.sampled_from(EDGES),
)
def test_sample_2d_symmetric_under_transpose(image, y, x, method, edge):
    out = interp2d.sample_2d(image, y, x, method=method, edge=edge)
    swapped = interp2d.sample_2d(image.T, x, y, method=method, edge=edge)
    np.testing.assert_allclose(out, swapped, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("method", METHODS)
def test_sample_2d_does_not_mutate_inputs(method):
    image, y, x = _random(seed=8, n=20, margin=1.0)
    copies = image.copy(), y.copy(), x.copy()
    interp2d.sample_2d(image, y, x, method=method, edge="zeros")
    interp2d.bilinear_weights(y, x)
    interp2d.bilinear_frame(1.5, 2.5, image)
    for before, after in zip(copies, (image, y, x), strict=True):
        np.testing.assert_array_equal(before, after)


# ---------------------------------------------------------------- frame


@settings(max_examples=30, deadline=None)
@given(image=images, fy=st.floats(0, 1), fx=st.floats(0, 1))
def test_bilinear_frame_areas_are_weights_and_value_matches(image, fy, fx):
    y, x = fy * (image.shape[0] - 1), fx * (image.shape[1] - 1)
    f = interp2d.bilinear_frame(y, x, image)
    np.testing.assert_allclose(f["areas"], f["weights"], atol=1e-12)
    assert f["areas"].sum() == pytest.approx(1.0, abs=1e-12)
    assert f["value"] == pytest.approx(
        float(interp2d.sample_2d(image, y, x)), rel=1e-9, abs=1e-9
    )
    # every opposite rectangle lies in the cell and has the point as a corner
    top, left, h, w = np.moveaxis(f["rectangles"], -1, 0)
    assert np.all(top >= f["y0"]) and np.all(top + h <= f["y1"] + 1e-12)
    assert np.all(left >= f["x0"]) and np.all(left + w <= f["x1"] + 1e-12)
    np.testing.assert_array_equal(
        f["values"], image[f["y0"] : f["y1"] + 1, f["x0"] : f["x1"] + 1]
    )


def test_bilinear_frame_hand_computed():
    f = interp2d.bilinear_frame(1.25, 0.5, PEAK)
    assert (f["y0"], f["y1"], f["x0"], f["x1"]) == (1, 2, 0, 1)
    assert f["corners"].tolist() == [[[1, 0], [1, 1]], [[2, 0], [2, 1]]]
    # opposite the top-left corner (1, 0): from the point to (2, 1)
    assert f["rectangles"][0, 0].tolist() == [1.25, 0.5, 0.75, 0.5]
    # opposite the bottom-right corner (2, 1): from (1, 0) to the point
    assert f["rectangles"][1, 1].tolist() == [1.0, 0.0, 0.25, 0.5]
    np.testing.assert_allclose(f["areas"], [[0.375, 0.375], [0.125, 0.125]])
    assert f["value"] == 0.0


def test_bilinear_frame_last_row_and_column_use_the_last_cell():
    f = interp2d.bilinear_frame(2.0, 2.0, PEAK)
    assert (f["y0"], f["y1"], f["x0"], f["x1"]) == (1, 2, 1, 2)
    np.testing.assert_allclose(f["weights"], [[0.0, 0.0], [0.0, 1.0]])
    assert f["value"] == 4.0


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"method": "cubic"},
            r"`method` must be one of 'nearest', 'bilinear', 'bicubic'",
        ),
        ({"method": "linear"}, r"`method` must be one of .*; got 'linear'"),
        ({"edge": "reflect"}, r"`edge` must be one of 'clamp', 'zeros'; got 'reflect'"),
    ],
)
def test_sample_2d_rejects_unknown_names(kwargs, match):
    with pytest.raises(ValueError, match=match):
        interp2d.sample_2d(SQUARE, 0.5, 0.5, **kwargs)


@pytest.mark.parametrize(
    ("image", "match"),
    [
        (np.zeros(4), r"`image` must be 2-D; got 1-D"),
        (np.zeros((2, 3, 4)), r"`image` must be 2-D; got 3-D"),
        (np.zeros((0, 3)), r"`image` must have at least 1 element"),
        ([[1.0, np.nan], [0.0, 0.0]], r"`image` must contain only finite numbers"),
    ],
)
def test_sample_2d_rejects_bad_images(image, match):
    with pytest.raises(ValueError, match=match):
        interp2d.sample_2d(image, 0.5, 0.5)


@pytest.mark.parametrize(
    ("y", "x", "match"),
    [
        ([np.nan], [0.5], r"`y` must contain only finite numbers; got NaN"),
        ([0.5], [np.inf], r"`x` must contain only finite numbers; got infinity"),
        ([0.1, 0.2], [0.1, 0.2, 0.3], r"`y` and `x` must have the same shape"),
    ],
)
def test_sample_2d_rejects_bad_positions(y, x, match):
    with pytest.raises(ValueError, match=match):
        interp2d.sample_2d(SQUARE, y, x)
    with pytest.raises(ValueError, match=match):
        interp2d.bilinear_weights(y, x)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("abc", 0.5, 0.5), r"`image` must be a numeric array"),
        ((SQUARE, "0.5", 0.5), r"`y` must be a numeric array"),
        ((SQUARE, 0.5, [True]), r"`x` must be a numeric array of integers or floats"),
    ],
)
def test_sample_2d_rejects_non_numeric(args, match):
    with pytest.raises(TypeError, match=match):
        interp2d.sample_2d(*args)


def test_sample_2d_rejects_nonfinite_a_for_bicubic():
    with pytest.raises(ValueError, match=r"`a` must be a finite real number"):
        interp2d.sample_2d(SQUARE, 0.5, 0.5, method="bicubic", a=float("nan"))


@pytest.mark.parametrize(
    ("y", "x", "image", "error", "match"),
    [
        (-0.1, 0.5, SQUARE, ValueError, r"`y` must lie in \[0, 1\].*got -0.1"),
        (0.5, 2.5, PEAK, ValueError, r"`x` must lie in \[0, 2\].*got 2.5"),
        (0.5, float("nan"), SQUARE, ValueError, r"`x` must be a finite real number"),
        ("a", 0.5, SQUARE, TypeError, r"`y` must be a finite real number; got 'a'"),
        (0.0, 0.0, [[1.0, 2.0]], ValueError, r"`image` must be at least 2 x 2"),
        (0.0, 0.0, [1.0, 2.0], ValueError, r"`image` must be 2-D"),
    ],
)
def test_bilinear_frame_rejects_bad_inputs(y, x, image, error, match):
    with pytest.raises(error, match=match):
        interp2d.bilinear_frame(y, x, image)


@pytest.mark.parametrize(
    ("shape", "align_corners", "error", "match"),
    [
        ((3,), False, ValueError, r"`shape` must be a tuple of 2 integers"),
        ((3, 0), False, ValueError, r"`shape\[1\]` must be an integer >= 1; got 0"),
        ((1, 5), True, ValueError, r"`shape` must be at least \(2, 2\)"),
        ((3, 5), "yes", TypeError, r"`align_corners` must be True or False; got 'yes'"),
    ],
)
def test_grid_sample_coordinates_rejects_bad_inputs(shape, align_corners, error, match):
    with pytest.raises(error, match=match):
        interp2d.grid_sample_coordinates(0.0, 0.0, shape, align_corners=align_corners)


# ------------------------------------------------- extreme positions (any finite x)
@pytest.mark.parametrize("method", ["nearest", "bilinear", "bicubic"])
def test_sample_2d_far_positions_match_torch_border_and_zeros(method):
    image = np.arange(20.0).reshape(4, 5)
    # torch's border padding reads the edge pixel (17 at row 3, column 2)
    assert interp2d.sample_2d(image, 1e17, 2.0, method=method).item() == 17.0
    far = [1e308, -1e308, 2.0**53 + 1, -1e19]
    got = interp2d.sample_2d(image, far, [2.0, -5e300, 1e300, 0.0], method=method)
    assert got.tolist() == [17.0, 0.0, 19.0, 0.0]
    zeros = interp2d.sample_2d(image, far, 2.0, method=method, edge="zeros")
    assert zeros.tolist() == [0.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize("method", ["nearest", "bilinear", "bicubic"])
@pytest.mark.parametrize("edge", ["clamp", "zeros"])
def test_sample_2d_outer_grid_equals_full_grid(method, edge):
    # the separable path (y[:, None], x[None, :]) and the general one agree
    rng = np.random.default_rng(3)
    image = rng.random((6, 7))
    y, x = np.linspace(-2.5, 7.5, 9), np.linspace(-1.5, 8.2, 11)
    outer = interp2d.sample_2d(image, y[:, None], x[None, :], method=method, edge=edge)
    yy, xx = np.meshgrid(y, x, indexing="ij")
    full = interp2d.sample_2d(image, yy.copy(), xx.copy(), method=method, edge=edge)
    np.testing.assert_allclose(outer, full, rtol=0, atol=1e-13)


def test_sample_2d_bicubic_matches_torch_grid_sample_border():
    rng = np.random.default_rng(4)
    image = rng.random((9, 11))
    y, x = rng.uniform(-3, 12, 500), rng.uniform(-3, 14, 500)
    ours = interp2d.sample_2d(image, y, x, method="bicubic", a=-0.75)
    grid = torch.tensor(interp2d.grid_sample_coordinates(y, x, image.shape))
    ref = F.grid_sample(
        torch.tensor(image)[None, None],
        grid[None, None],
        mode="bicubic",
        padding_mode="border",
        align_corners=False,
    )[0, 0, 0].numpy()
    # torch clamps the 16 taps (not the position): equal inside, and outside too
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-12)


# ---------------------------------------------- the sampler core: chunks, dtypes


@pytest.mark.parametrize("chunk", [7, 120])
@pytest.mark.parametrize("method", ["nearest", "bilinear", "bicubic"])
@pytest.mark.parametrize("edge", ["clamp", "zeros"])
def test_sample_pixels_chunked_equals_unchunked(monkeypatch, chunk, method, edge):
    # chunks of 7 points cut each image's 50 points (N = 3 images, C = 2
    # channels); chunks of 120 take two whole images at a time
    rng = np.random.default_rng(11)
    image = rng.random((3, 2, 9, 13))
    y = rng.uniform(-4.0, 12.0, (3, 50))
    x = rng.uniform(-4.0, 16.0, (3, 50))
    whole = interp2d.sample_pixels(image, y, x, method, -0.75, edge)
    monkeypatch.setattr(interp2d, "_CHUNK", chunk)
    chunked = interp2d.sample_pixels(image, y, x, method, -0.75, edge)
    np.testing.assert_array_equal(chunked, whole)
    # and each image alone, one channel at a time, gives the same numbers
    for n in range(3):
        for c in range(2):
            one = interp2d.sample_pixels(
                image[n : n + 1, c : c + 1],
                y[n : n + 1],
                x[n : n + 1],
                method,
                -0.75,
                edge,
            )
            np.testing.assert_array_equal(one[0, 0], whole[n, c])


@pytest.mark.parametrize("method", ["nearest", "bilinear"])
def test_sample_2d_float32_is_the_float64_result_rounded_once(method):
    rng = np.random.default_rng(12)
    image = rng.random((17, 23)).astype(np.float32)
    y = rng.uniform(-3.0, 20.0, 4000)
    x = rng.uniform(-3.0, 26.0, 4000)
    got = interp2d.sample_2d(image, y, x, method=method, a=-0.75)
    want = interp2d.sample_2d(image.astype(np.float64), y, x, method=method, a=-0.75)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, want.astype(np.float32))


@pytest.mark.parametrize("a", [-0.5, -0.75])
def test_sample_2d_bicubic_float32_within_1e_6_of_float64(a):
    # bicubic float32 is computed in float32 (as torch does): pixels in [0, 1) give
    # results within 1e-6 of float64, the float32 tolerance of
    # test_sample_2d_float32_close_to_float64
    rng = np.random.default_rng(12)
    image = rng.random((17, 23)).astype(np.float32)
    y = rng.uniform(-3.0, 20.0, 4000)
    x = rng.uniform(-3.0, 26.0, 4000)
    got = interp2d.sample_2d(image, y, x, method="bicubic", a=a)
    want = interp2d.sample_2d(image.astype(np.float64), y, x, method="bicubic", a=a)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)
    # at pixel positions float32 is still exact: weights 0, 1, 0, 0
    rows, cols = np.meshgrid(np.arange(17.0), np.arange(23.0), indexing="ij")
    at_pixels = interp2d.sample_2d(image, rows, cols, method="bicubic", a=a)
    np.testing.assert_array_equal(at_pixels, image)


def _bicubic_by_taps(image, y, x, a, edge):
    """The straightforward sum: 4 x 4 Keys taps of every point, edge rule per tap."""
    n_img, chans, height, width = image.shape
    y = interp1d.clamp_positions(y, height)  # value-preserving (see its docstring)
    x = interp1d.clamp_positions(x, width)
    rows, wy = interp1d.tap_weights(y, method="cubic", a=a)  # (N, P, 4)
    cols, wx = interp1d.tap_weights(x, method="cubic", a=a)
    if edge == "zeros":
        wy = np.where((rows >= 0) & (rows < height), wy, 0.0)
        wx = np.where((cols >= 0) & (cols < width), wx, 0.0)
    rows, cols = np.clip(rows, 0, height - 1), np.clip(cols, 0, width - 1)
    n = np.arange(n_img)[:, None, None, None]
    taps = image.astype(np.float64)[n, :, rows[..., :, None], cols[..., None, :]]
    weights = wy[..., :, None] * wx[..., None, :]  # (N, P, 4, 4)
    return np.einsum("npqrc,npqr->ncp", taps, weights)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("edge", ["clamp", "zeros"])
@pytest.mark.parametrize("a", [-0.5, -0.75])
def test_sample_pixels_bicubic_blocked_equals_straightforward(
    monkeypatch, dtype, edge, a
):
    # the blocked kernel (neighbour pairs, weights once per point for all channels,
    # chunks) against the 16-tap sum, with points far outside and at exact
    # integers, edges included; chunks of 7 points against one chunk
    rng = np.random.default_rng(21)
    image = rng.random((2, 3, 9, 13)).astype(dtype)
    far = [-1e300, -1e6, -(2.0**53) - 2, -4.5, -2.0, -1.0, 0.0, 8.0, 9.0, 10.0, 1e6]
    y = np.concatenate([rng.uniform(-4.0, 12.0, 60), far, [3.0, 7.0, 1e300]])
    x = np.concatenate([rng.uniform(-4.0, 16.0, 60), far[::-1], [12.0, 13.0, 5.0]])
    y = np.stack([y, np.round(y[::-1])])  # image 1: integer positions only
    x = np.stack([x, np.round(x[::-1])])
    whole = interp2d.sample_pixels(image, y, x, "bicubic", a, edge, dtype)
    assert whole.dtype == dtype and whole.shape == (2, 3, y.shape[1])
    want = _bicubic_by_taps(image, y, x, a, edge)
    tol = 1e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(whole, want, rtol=0, atol=tol)
    # integer positions read the pixel (or 0 / the edge pixel outside) exactly
    np.testing.assert_array_equal(whole[1], want[1].astype(dtype))
    monkeypatch.setattr(interp2d, "_CHUNK", 7)
    chunked = interp2d.sample_pixels(image, y, x, "bicubic", a, edge, dtype)
    np.testing.assert_array_equal(chunked, whole)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    ("edge", "padding_mode"), [("clamp", "border"), ("zeros", "zeros")]
)
def test_sample_2d_bicubic_blocked_matches_torch(dtype, edge, padding_mode):
    # torch in float64 on the same pixels is the reference for both dtypes
    rng = np.random.default_rng(22)
    image = rng.random((9, 13)).astype(dtype)
    y = np.concatenate([rng.uniform(-4.0, 12.0, 400), [-1e6, -2.0, 0.0, 8.0, 3.0]])
    x = np.concatenate([rng.uniform(-4.0, 16.0, 400), [5.0, 12.0, -1.0, 1e6, 4.0]])
    ours = interp2d.sample_2d(image, y, x, method="bicubic", a=-0.75, edge=edge)
    grid = interp2d.grid_sample_coordinates(y, x, image.shape, align_corners=True)
    ref = F.grid_sample(
        torch.from_numpy(image.astype(np.float64))[None, None],
        torch.from_numpy(grid)[None, None],
        mode="bicubic",
        padding_mode=padding_mode,
        align_corners=True,
    )[0, 0, 0].numpy()
    assert ours.dtype == dtype
    tol = 1e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(ours, ref, rtol=0, atol=tol)


def test_sample_2d_float32_beyond_its_range_is_a_clear_error():
    image = np.array([[0.0, 3.4e38, 3.4e38, 0.0]] * 4, dtype=np.float32)
    with pytest.raises(ValueError, match="sample_2d overflowed"):
        interp2d.sample_2d(image, [1.5], [1.5], method="bicubic", a=-2.0)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("name", ["y", "x"])
def test_sample_2d_finds_a_nonfinite_position_without_copying(bad, name):
    pos = {"y": np.linspace(0.0, 3.0, 50), "x": np.linspace(0.0, 4.0, 50)}
    before = {k: v.copy() for k, v in pos.items()}
    image = np.arange(20.0).reshape(4, 5)
    interp2d.sample_2d(image, pos["y"], pos["x"], method="bicubic")
    for k in pos:
        np.testing.assert_array_equal(pos[k], before[k])
    pos[name][17] = bad
    with pytest.raises(ValueError, match=f"`{name}` must contain only finite"):
        interp2d.sample_2d(image, pos["y"], pos["x"])
    huge = np.full(3, 1e300)  # finite, but its sum of squares overflows
    assert interp2d.sample_2d(image, huge, huge).tolist() == [19.0] * 3


@pytest.mark.parametrize("align_corners", [False, True])
def test_grid_sample_coordinates_is_stn_pixel_to_normalized_per_axis(align_corners):
    # one formula for pixel -> normalised coordinates, in both modules
    from lesson_utils import stn

    rng = np.random.default_rng(13)
    y = rng.uniform(-10.0, 40.0, 200)
    x = rng.uniform(-10.0, 60.0, 200)
    got = interp2d.grid_sample_coordinates(y, x, (31, 47), align_corners=align_corners)
    gx = stn.pixel_to_normalized(x, 47, align_corners=align_corners)
    gy = stn.pixel_to_normalized(y, 31, align_corners=align_corners)
    np.testing.assert_array_equal(got, np.stack([gx, gy], axis=-1))
    back = stn.normalized_to_pixel(gx, 47, align_corners=align_corners)
    np.testing.assert_allclose(back, x, rtol=0, atol=1e-12)
