"""Tests of lesson_utils.stn (Chapter 7): affine grid, bilinear sampler, gradients.

Reference library: torch.nn.functional.affine_grid / grid_sample and torch.autograd,
float64, tolerance 1e-6 as the issue asks (the measured agreement is ~1e-15).
"""

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from lesson_utils import interp2d, stn

ALIGN = [True, False]
PADDING = ["zeros", "border", "reflection"]
TOL = 1e-6


def torch_affine_grid(theta, size, align_corners):
    # torch warns for unit-size grids with align_corners=True; the values are what
    # we compare, so that warning (and only it) is silenced here
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*unit-size grids.*")
        return F.affine_grid(torch.tensor(theta), size, align_corners=align_corners)


def torch_sample_and_grads(image, grid, grad_output, **kwargs):
    """torch's output and autograd gradients for (N, C, H, W) and (N, Ho, Wo, 2)."""
    t_image = torch.tensor(image, requires_grad=True)
    t_grid = torch.tensor(grid, requires_grad=True)
    out = F.grid_sample(t_image, t_grid, **kwargs)
    out.backward(torch.tensor(grad_output))
    return out.detach().numpy(), t_image.grad.numpy(), t_grid.grad.numpy()


# ---------------------------------------------------------------- hand-computed values
@pytest.mark.parametrize(
    ("g", "n", "align_corners", "expected"),
    [
        ([-1.0, 0.0, 1.0], 4, True, [0.0, 1.5, 3.0]),
        ([-1.0, 0.0, 1.0], 4, False, [-0.5, 1.5, 3.5]),
        ([-1.0, 1.0], 1, False, [-0.5, 0.5]),
        ([-0.75, 0.75], 4, False, [0.0, 3.0]),
    ],
)
def test_normalized_to_pixel_hand_values(g, n, align_corners, expected):
    got = stn.normalized_to_pixel(g, n, align_corners=align_corners)
    np.testing.assert_allclose(got, expected, atol=1e-15)


@pytest.mark.parametrize("align_corners", ALIGN)
@pytest.mark.parametrize("n", [2, 3, 7])
def test_pixel_to_normalized_inverts_normalized_to_pixel(n, align_corners):
    x = np.linspace(-2.0, n + 1.0, 13)
    g = stn.pixel_to_normalized(x, n, align_corners=align_corners)
    np.testing.assert_allclose(
        stn.normalized_to_pixel(g, n, align_corners=align_corners), x, atol=1e-12
    )


@pytest.mark.parametrize(
    ("padding_mode", "align_corners", "g", "expected_x", "expected_d"),
    [
        # W = 4; align_corners=True: x = 1.5 (g + 1), so g = 1.2 -> 3.3
        ("zeros", True, [1.2], [3.3], [1.5]),
        ("border", True, [1.2], [3.0], [0.0]),
        ("reflection", True, [1.2], [2.7], [-1.5]),  # mirrored about 3
        # align_corners=False: x = 2 (g + 1) - 0.5, so g = -1.2 -> -0.9
        ("border", False, [-1.2], [0.0], [0.0]),
        ("reflection", False, [-1.2], [0.0], [0.0]),  # -0.9 -> -0.1 -> clamp 0
        ("reflection", False, [-1.1], [0.0], [0.0]),  # -0.7 -> -0.3 -> clamp 0
        ("reflection", False, [-1.35], [0.2], [-2.0]),  # -1.2 mirrored about -0.5
        ("border", False, [0.0], [1.5], [2.0]),
    ],
)
def test_source_pixels_hand_values(
    padding_mode, align_corners, g, expected_x, expected_d
):
    x, d = stn.source_pixels(
        g, 4, align_corners=align_corners, padding_mode=padding_mode
    )
    np.testing.assert_allclose(x, expected_x, atol=1e-12)
    np.testing.assert_allclose(d, expected_d, atol=1e-12)


def test_affine_theta_hand_values():
    theta = stn.affine_theta(rotation=90.0, scale=2.0, tx=0.5, ty=-0.25)
    np.testing.assert_allclose(theta, [[0, -2, 0.5], [2, 0, -0.25]], atol=1e-12)
    np.testing.assert_array_equal(stn.affine_theta(), np.eye(2, 3))


@pytest.mark.parametrize(
    ("align_corners", "expected_x", "expected_y"),
    [
        (True, [-1.0, 0.0, 1.0], [-1.0, 1.0]),
        (False, [-2 / 3, 0.0, 2 / 3], [-0.5, 0.5]),
    ],
)
def test_affine_grid_identity_hand_values(align_corners, expected_x, expected_y):
    grid = stn.affine_grid(np.eye(2, 3), (2, 3), align_corners=align_corners)
    assert grid.shape == (2, 3, 2)
    np.testing.assert_allclose(grid[0, :, 0], expected_x, atol=1e-15)
    np.testing.assert_allclose(grid[:, 0, 1], expected_y, atol=1e-15)


def test_affine_grid_translation_hand_values():
    theta = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, -0.5]])
    grid = stn.affine_grid(theta, (2, 2), align_corners=True)
    np.testing.assert_allclose(grid[0, 0], [-0.5, -1.5])
    np.testing.assert_allclose(grid[1, 1], [1.5, 0.5])


IMAGE_2X2 = np.array([[1.0, 3.0], [5.0, 2.0]])


@pytest.mark.parametrize(
    ("x", "y", "padding_mode", "expected"),
    [
        (0.5, 0.0, "zeros", 2.0),  # midway along the top row
        (0.5, 0.5, "zeros", 2.75),  # centre: mean of the four
        (0.5, 0.25, "zeros", 0.75 * 2.0 + 0.25 * 3.5),
        (1.5, 0.0, "zeros", 1.5),  # half of the 3.0 pixel, half of a zero
        (1.5, 0.0, "border", 3.0),  # clamped to the right column
        (-0.5, 1.0, "border", 5.0),
    ],
)
def test_grid_sample_hand_values(x, y, padding_mode, expected):
    # align_corners=True on a 2 x 2 image: g = 2 x - 1
    grid = np.array([[[2.0 * x - 1.0, 2.0 * y - 1.0]]])
    got = stn.grid_sample(
        IMAGE_2X2, grid, align_corners=True, padding_mode=padding_mode
    )
    np.testing.assert_allclose(got, [[expected]], atol=1e-15)


def test_grid_sample_backward_hand_values():
    # at (x, y) = (0.5, 0.25): dV/dx = 0.75 (3 - 1) + 0.25 (2 - 5) = 0.75
    # dV/dy = 0.5 (5 - 1) + 0.5 (2 - 3) = 1.5; times dx/dg = (2 - 1) / 2 = 0.5
    grid = np.array([[[0.0, -0.5]]])
    g_image, g_grid = stn.grid_sample_backward(IMAGE_2X2, grid, align_corners=True)
    np.testing.assert_allclose(g_grid, [[[0.375, 0.75]]], atol=1e-15)
    np.testing.assert_allclose(g_image, [[0.375, 0.375], [0.125, 0.125]], atol=1e-15)


def test_grid_sample_backward_at_a_kink_is_the_right_derivative():
    values = np.array([[0.0, 1.0, 5.0]])  # slope 1 left of x = 1, slope 4 right
    grid = np.array([[[0.0, 0.0]]])  # x = 1 exactly, align_corners=True, W = 3
    _, g_grid = stn.grid_sample_backward(values, grid, align_corners=True)
    assert g_grid[0, 0, 0] == pytest.approx(4.0 * 1.0)  # slope 4 times dx/dg = 1


def test_sampling_matrix_hand_values():
    grid = np.array([[[0.0, -0.5], [-1.0, -1.0]]])
    m = stn.sampling_matrix(grid, (2, 2), align_corners=True)
    np.testing.assert_allclose(m, [[0.375, 0.375, 0.125, 0.125], [1.0, 0, 0, 0]])


def test_affine_grid_backward_hand_values():
    g = np.zeros((2, 2, 2))
    g[..., 1] = [[1.0, 2.0], [3.0, 4.0]]  # dL/dy_s at the four output pixels
    got = stn.affine_grid_backward(g, (2, 2), align_corners=True)
    # row y: sum g * x_t = -1 + 2 - 3 + 4; sum g * y_t = -1 - 2 + 3 + 4; sum g = 10
    np.testing.assert_allclose(got, [[0, 0, 0], [2.0, 4.0, 10.0]])


# ------------------------------------------------------------ agreement with torch
@pytest.mark.parametrize("align_corners", ALIGN)
@pytest.mark.parametrize(
    "size", [(1, 1, 3, 4), (2, 3, 5, 1), (3, 1, 1, 1), (2, 2, 6, 6)]
)
def test_affine_grid_matches_torch(size, align_corners):
    rng = np.random.default_rng(sum(size))
    theta = rng.normal(size=(size[0], 2, 3))
    expected = torch_affine_grid(theta, size, align_corners).numpy()
    got = stn.affine_grid(theta, size, align_corners=align_corners)
    np.testing.assert_allclose(got, expected, atol=TOL, rtol=0)


@pytest.mark.parametrize("padding_mode", PADDING)
@pytest.mark.parametrize("align_corners", ALIGN)
@pytest.mark.parametrize("shape", [(1, 1, 4, 5), (2, 3, 3, 2), (1, 2, 1, 6)])
def test_grid_sample_and_gradients_match_torch(shape, align_corners, padding_mode):
    rng = np.random.default_rng(shape[2] * 10 + shape[3])
    image = rng.normal(size=shape)
    grid = rng.uniform(-1.6, 1.6, size=(shape[0], 4, 3, 2))  # many points outside
    grad_output = rng.normal(size=(shape[0], shape[1], 4, 3))
    kwargs = {"align_corners": align_corners, "padding_mode": padding_mode}
    out, g_image, g_grid = torch_sample_and_grads(
        image, grid, grad_output, mode="bilinear", **kwargs
    )
    np.testing.assert_allclose(stn.grid_sample(image, grid, **kwargs), out, atol=TOL)
    mine_image, mine_grid = stn.grid_sample_backward(image, grid, grad_output, **kwargs)
    np.testing.assert_allclose(mine_image, g_image, atol=TOL, rtol=0)
    np.testing.assert_allclose(mine_grid, g_grid, atol=TOL, rtol=0)


@pytest.mark.parametrize("padding_mode", PADDING)
@pytest.mark.parametrize("align_corners", ALIGN)
def test_grid_sample_gradients_match_torch_on_kinks(align_corners, padding_mode):
    # every sample point on a pixel centre, a pixel edge or an image end: the kinks
    rng = np.random.default_rng(3)
    image = rng.normal(size=(1, 1, 4, 5))
    xs = stn.pixel_to_normalized(
        np.arange(-3, 12) * 0.5, 5, align_corners=align_corners
    )
    ys = stn.pixel_to_normalized(
        np.arange(-3, 10) * 0.5, 4, align_corners=align_corners
    )
    grid = np.stack(np.meshgrid(xs, ys), axis=-1)[None]
    ones = np.ones((1, 1, *grid.shape[1:3]))
    kwargs = {"align_corners": align_corners, "padding_mode": padding_mode}
    out, g_image, g_grid = torch_sample_and_grads(image, grid, ones, **kwargs)
    np.testing.assert_allclose(stn.grid_sample(image, grid, **kwargs), out, atol=TOL)
    mine_image, mine_grid = stn.grid_sample_backward(image, grid, **kwargs)
    np.testing.assert_allclose(mine_image, g_image, atol=TOL, rtol=0)
    np.testing.assert_allclose(mine_grid, g_grid, atol=TOL, rtol=0)


@pytest.mark.parametrize("padding_mode", PADDING)
@pytest.mark.parametrize("align_corners", ALIGN)
def test_grid_sample_nearest_matches_torch_away_from_ties(align_corners, padding_mode):
    rng = np.random.default_rng(5)
    image = rng.normal(size=(2, 2, 5, 4))
    grid = rng.uniform(-1.5, 1.5, size=(2, 6, 6, 2))
    kwargs = {"align_corners": align_corners, "padding_mode": padding_mode}
    ones = np.ones((2, 2, 6, 6))
    out, g_image, g_grid = torch_sample_and_grads(
        image, grid, ones, mode="nearest", **kwargs
    )
    got = stn.grid_sample(image, grid, method="nearest", **kwargs)
    np.testing.assert_allclose(got, out, atol=TOL)
    mine_image, mine_grid = stn.grid_sample_backward(
        image, grid, method="nearest", **kwargs
    )
    np.testing.assert_allclose(mine_image, g_image, atol=TOL)
    assert not np.any(mine_grid) and not np.any(g_grid)  # both exactly zero


def test_grid_sample_nearest_rounds_ties_up_unlike_torch():
    # x = 0.5 exactly (align_corners=True, W = 3: x = g + 1): the book rounds up to
    # pixel 1, torch rounds half to even (pixel 0); a documented difference
    image = np.array([[10.0, 20.0, 30.0]])
    grid = np.array([[[-0.5, 0.0]]])
    assert (
        stn.grid_sample(image, grid, method="nearest", align_corners=True)[0, 0] == 20
    )
    out = F.grid_sample(
        torch.tensor(image)[None, None],
        torch.tensor(grid)[None],
        mode="nearest",
        align_corners=True,
    )
    assert out.item() == 10.0


@pytest.mark.parametrize("align_corners", ALIGN)
def test_affine_grid_backward_matches_autograd(align_corners):
    rng = np.random.default_rng(7)
    theta = torch.tensor(rng.normal(size=(3, 2, 3)), requires_grad=True)
    grid = F.affine_grid(theta, (3, 1, 4, 5), align_corners=align_corners)
    grad_grid = rng.normal(size=grid.shape)
    grid.backward(torch.tensor(grad_grid))
    got = stn.affine_grid_backward(grad_grid, (3, 1, 4, 5), align_corners=align_corners)
    np.testing.assert_allclose(got, theta.grad.numpy(), atol=TOL, rtol=0)
    single = stn.affine_grid_backward(grad_grid[0], (4, 5), align_corners=align_corners)
    np.testing.assert_allclose(single, got[0], atol=1e-14)


@settings(max_examples=25, deadline=None)
@given(
    h=st.integers(1, 6),
    w=st.integers(1, 6),
    h_out=st.integers(1, 5),
    w_out=st.integers(1, 5),
    theta=st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=6, max_size=6),
    align_corners=st.booleans(),
    padding_mode=st.sampled_from(PADDING),
)
def test_affine_grid_and_grid_sample_match_torch_property(
    h, w, h_out, w_out, theta, align_corners, padding_mode
):
    theta = np.array(theta).reshape(1, 2, 3)
    rng = np.random.default_rng(h * 7 + w)
    image = rng.normal(size=(1, 2, h, w))
    size = (1, 2, h_out, w_out)
    t_grid = torch_affine_grid(theta, size, align_corners).numpy()
    grid = stn.affine_grid(theta, size, align_corners=align_corners)
    np.testing.assert_allclose(grid, t_grid, atol=TOL, rtol=0)
    grad_output = rng.normal(size=(1, 2, h_out, w_out))
    kwargs = {"align_corners": align_corners, "padding_mode": padding_mode}
    out, g_image, g_grid = torch_sample_and_grads(image, t_grid, grad_output, **kwargs)
    np.testing.assert_allclose(stn.grid_sample(image, t_grid, **kwargs), out, atol=TOL)
    mine_image, mine_grid = stn.grid_sample_backward(
        image, t_grid, grad_output, **kwargs
    )
    np.testing.assert_allclose(mine_image, g_image, atol=TOL, rtol=0)
    np.testing.assert_allclose(mine_grid, g_grid, atol=TOL, rtol=0)


# ------------------------------------------------------------------------- invariants
@pytest.mark.parametrize("padding_mode", PADDING)
@pytest.mark.parametrize("align_corners", ALIGN)
@pytest.mark.parametrize("shape", [(5, 7), (1, 4), (3, 1), (2, 2)])
def test_grid_sample_identity_returns_the_image(shape, align_corners, padding_mode):
    # the identity grid lands on the pixel centres for both conventions
    image = np.random.default_rng(0).normal(size=shape)
    grid = stn.affine_grid(np.eye(2, 3), shape, align_corners=align_corners)
    got = stn.grid_sample(
        image, grid, align_corners=align_corners, padding_mode=padding_mode
    )
    np.testing.assert_allclose(got, image, atol=1e-12)


def test_grid_sample_identity_mismatched_conventions_do_not_return_the_image():
    # a grid made with align_corners=True read with False lands between pixels
    image = np.arange(16.0).reshape(4, 4)
    grid = stn.affine_grid(np.eye(2, 3), (4, 4), align_corners=True)
    got = stn.grid_sample(image, grid, align_corners=False)
    assert np.abs(got - image).max() > 1.0


@settings(max_examples=30, deadline=None)
@given(
    x=st.floats(-0.45, 3.45, allow_nan=False),
    y=st.floats(-0.45, 2.45, allow_nan=False),
    seed=st.integers(0, 10),
    align_corners=st.booleans(),
)
def test_grid_sample_backward_matches_finite_differences_property(
    x, y, seed, align_corners
):
    image = np.random.default_rng(seed).normal(size=(3, 4))
    # keep away from the kinks: integer pixel positions (and the padding ends)
    assume_far = min(abs(x - round(x)), abs(y - round(y)))
    if assume_far < 1e-3:
        x, y = x + 0.01, y + 0.01
    gx = stn.pixel_to_normalized(x, 4, align_corners=align_corners)
    gy = stn.pixel_to_normalized(y, 3, align_corners=align_corners)
    for padding_mode in PADDING:
        kwargs = {"align_corners": align_corners, "padding_mode": padding_mode}
        _, g_grid = stn.grid_sample_backward(image, np.array([[[gx, gy]]]), **kwargs)
        h = 1e-6
        for axis in (0, 1):
            plus = np.array([[[gx, gy]]])
            minus = plus.copy()
            plus[..., axis] += h
            minus[..., axis] -= h
            fd = (
                stn.grid_sample(image, plus, **kwargs)
                - stn.grid_sample(image, minus, **kwargs)
            ) / (2 * h)
            np.testing.assert_allclose(g_grid[..., axis], fd, atol=1e-6)


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 50),
    align_corners=st.booleans(),
    padding_mode=st.sampled_from(PADDING),
)
def test_sampling_matrix_is_the_image_jacobian_property(
    seed, align_corners, padding_mode
):
    rng = np.random.default_rng(seed)
    image = rng.normal(size=(3, 4))
    grid = rng.uniform(-1.5, 1.5, size=(2, 5, 2))
    kwargs = {"align_corners": align_corners, "padding_mode": padding_mode}
    m = stn.sampling_matrix(grid, (3, 4), **kwargs)
    out = stn.grid_sample(image, grid, **kwargs)
    np.testing.assert_allclose(m @ image.ravel(), out.ravel(), atol=1e-12)
    grad_output = rng.normal(size=(2, 5))
    g_image, _ = stn.grid_sample_backward(image, grid, grad_output, **kwargs)
    np.testing.assert_allclose(m.T @ grad_output.ravel(), g_image.ravel(), atol=1e-12)
    assert np.all(m >= 0) and np.all(m.sum(axis=1) <= 1 + 1e-12)
    if padding_mode != "zeros":  # every tap is read inside the image
        np.testing.assert_allclose(m.sum(axis=1), 1.0, atol=1e-12)


@pytest.mark.parametrize("method", ["bilinear", "nearest"])
def test_grid_sample_reproduces_linear_ramps(method):
    # bilinear reproduces any function a + b x + c y inside the image exactly
    ys, xs = np.mgrid[0:5, 0:6].astype(float)
    image = 2.0 + 0.5 * xs - 1.5 * ys
    rng = np.random.default_rng(1)
    px, py = rng.uniform(0, 5, 20), rng.uniform(0, 4, 20)
    grid = np.stack(
        [
            stn.pixel_to_normalized(px, 6, align_corners=True),
            stn.pixel_to_normalized(py, 5, align_corners=True),
        ],
        axis=-1,
    )[None]
    got = stn.grid_sample(image, grid, method=method, align_corners=True)
    expected = 2.0 + 0.5 * px - 1.5 * py
    if method == "bilinear":
        np.testing.assert_allclose(got[0], expected, atol=1e-12)
    else:
        assert np.abs(got[0] - expected).max() > 0.1


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_grid_sample_dtype(dtype):
    image = np.arange(12).reshape(3, 4).astype(dtype)
    grid = stn.affine_grid(np.eye(2, 3).astype(dtype), (2, 2))
    out = stn.grid_sample(image, grid)
    expected = np.float32 if dtype == np.float32 else np.float64
    assert out.dtype == expected and grid.dtype == expected
    g_image, g_grid = stn.grid_sample_backward(image, grid)
    assert g_image.dtype == expected and g_grid.dtype == expected
    mixed = stn.grid_sample(image, grid.astype(np.float64))
    assert mixed.dtype == np.float64


def test_stn_functions_do_not_mutate_inputs():
    rng = np.random.default_rng(2)
    image, theta = rng.normal(size=(1, 2, 4, 4)), rng.normal(size=(1, 2, 3))
    grid = rng.normal(size=(1, 3, 3, 2))
    grad_output = rng.normal(size=(1, 2, 3, 3))
    copies = [a.copy() for a in (image, theta, grid, grad_output)]
    stn.affine_grid(theta, (1, 2, 3, 3))
    # the samplers read image and grid without copying them, in either dtype
    for dtype in (np.float64, np.float32):
        img, grd = image.astype(dtype), grid.astype(dtype)
        kept = [img.copy(), grd.copy()]
        for mode in PADDING:
            for method in ("bilinear", "nearest"):
                kwargs = {"padding_mode": mode, "method": method}
                stn.grid_sample(img, grd, **kwargs)
                stn.grid_sample_backward(img, grd, grad_output, **kwargs)
        np.testing.assert_array_equal(kept[0], img)
        np.testing.assert_array_equal(kept[1], grd)
    stn.affine_grid_backward(grid, (1, 2, 3, 3))
    for original, after in zip(copies, (image, theta, grid, grad_output), strict=True):
        np.testing.assert_array_equal(original, after)


def test_nearest_has_zero_coordinate_gradient_and_finite_differences_agree():
    image = np.random.default_rng(4).normal(size=(4, 4))
    grid = np.array([[[0.13, -0.31]]])
    _, g_grid = stn.grid_sample_backward(image, grid, method="nearest")
    assert not np.any(g_grid)
    shifted = grid + 1e-4
    assert stn.grid_sample(image, shifted, method="nearest") == stn.grid_sample(
        image, grid, method="nearest"
    )


# ------------------------------------------------------------- the end-to-end demo
def test_make_pattern_is_seeded_and_identity_view_matches():
    a = stn.make_pattern(16, seed=3)
    np.testing.assert_array_equal(a, stn.make_pattern(16, seed=3))
    assert not np.array_equal(a, stn.make_pattern(16, seed=4))
    np.testing.assert_allclose(a, stn.make_pattern(16, seed=3, theta=np.eye(2, 3)))
    assert a.max() == 1.0 and a.min() >= 0.0


def test_make_pattern_view_equals_sampling_the_fine_pattern():
    # the exact view through theta agrees with sampling a finely resolved pattern
    theta = stn.affine_theta(rotation=20.0, scale=0.9, tx=0.1)
    view = stn.make_pattern(16, seed=1, theta=theta)
    fine = stn.make_pattern(256, seed=1)
    fine = fine / fine.max() * stn.make_pattern(16, seed=1).max()
    sampled = stn.grid_sample(fine, stn.affine_grid(theta, (16, 16)))
    # the two normalisations differ slightly (maxima on different pixel grids)
    assert np.abs(view / view.max() - sampled / sampled.max()).max() < 0.02


def test_fit_affine_recovers_the_inverse_transform():
    template = stn.make_pattern(32, seed=2)
    true = stn.affine_theta(rotation=25.0, scale=1.1, tx=0.15, ty=-0.1)
    moving = stn.make_pattern(32, seed=2, theta=true)
    fit = stn.fit_affine(moving, template, steps=150, lr=0.05)
    expected = np.linalg.inv(np.vstack([true, [0.0, 0.0, 1.0]]))[:2]
    assert fit["theta"].shape == (151, 2, 3) and fit["loss"].shape == (151,)
    assert fit["loss"][-1] < 0.002 * fit["loss"][0]
    np.testing.assert_allclose(fit["theta"][-1], expected, atol=0.01)


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_fit_affine_matches_torch_autograd_and_optimiser(optimizer):
    template = stn.make_pattern(16, seed=2)
    moving = stn.make_pattern(16, seed=2, theta=stn.affine_theta(rotation=10, tx=0.1))
    lr = 0.05 if optimizer == "adam" else 1.0
    # start off the identity, where every sampling point sits on a kink
    theta0 = stn.affine_theta(scale=0.95)
    fit = stn.fit_affine(
        moving, template, steps=60, lr=lr, optimizer=optimizer, theta0=theta0
    )
    theta = torch.tensor(theta0[None], requires_grad=True)
    make_opt = torch.optim.Adam if optimizer == "adam" else torch.optim.SGD
    opt = make_opt([theta], lr=lr)
    t_moving = torch.tensor(moving)[None, None]
    t_template = torch.tensor(template)[None, None]
    for step in range(61):
        grid = F.affine_grid(theta, (1, 1, 16, 16), align_corners=False)
        out = F.grid_sample(t_moving, grid, align_corners=False)
        loss = torch.mean((out - t_template) ** 2)
        opt.zero_grad()
        loss.backward()
        assert fit["loss"][step] == pytest.approx(loss.item(), rel=1e-9, abs=1e-15)
        np.testing.assert_allclose(fit["grad"][step], theta.grad[0].numpy(), atol=1e-12)
        np.testing.assert_allclose(fit["theta"][step], theta.detach()[0], atol=1e-9)
        opt.step()


def test_affine_frame_outline_and_output():
    image = stn.make_pattern(8, seed=0)
    theta = stn.affine_theta(scale=0.5)
    frame = stn.affine_frame(image, theta)
    # half the image, centred: the outer edges at pixel 1.5 and 5.5
    np.testing.assert_allclose(frame["outline"][:4].min(axis=0), [1.5, 1.5])
    np.testing.assert_allclose(frame["outline"][:4].max(axis=0), [5.5, 5.5])
    np.testing.assert_array_equal(frame["outline"][0], frame["outline"][-1])
    np.testing.assert_allclose(
        frame["output"], stn.grid_sample(image, stn.affine_grid(theta, (8, 8)))
    )
    assert frame["x"].shape == (8, 8)
    np.testing.assert_allclose(frame["x"][0, 0], 1.75)  # (0 + 0.5) / 2 + 2 - 0.5


def test_affine_frame_outline_align_corners_true():
    frame = stn.affine_frame(np.zeros((5, 3)), np.eye(2, 3), align_corners=True)
    np.testing.assert_allclose(frame["outline"][:4].min(axis=0), [-0.5, -0.5])
    np.testing.assert_allclose(frame["outline"][:4].max(axis=0), [2.5, 4.5])


# -------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("theta", "match"),
    [
        (np.eye(3), r"`theta` must have shape \(2, 3\) or \(N, 2, 3\); got shape"),
        (np.zeros((2, 2, 2)), r"`theta` must have shape"),
        (np.zeros(6), r"`theta` must be 2-D or 3-D; got 1-D"),
    ],
)
def test_affine_grid_rejects_bad_theta_shape(theta, match):
    with pytest.raises(ValueError, match=match):
        stn.affine_grid(theta, (4, 4))


def test_affine_grid_rejects_bad_size_and_batch():
    with pytest.raises(ValueError, match=r"`size` must be a tuple \(H, W\) or"):
        stn.affine_grid(np.eye(2, 3), (4, 4, 4))
    with pytest.raises(TypeError, match="`size` must be a tuple"):
        stn.affine_grid(np.eye(2, 3), 4)
    with pytest.raises(ValueError, match=r"`size\[1\]` must be an integer >= 1"):
        stn.affine_grid(np.eye(2, 3), (4, 0))
    with pytest.raises(ValueError, match=r"N = size\[0\] = 2"):
        stn.affine_grid(np.zeros((3, 2, 3)), (2, 1, 4, 4))
    with pytest.raises(TypeError, match="`align_corners` must be True or False"):
        stn.affine_grid(np.eye(2, 3), (4, 4), align_corners=1)


@pytest.mark.parametrize(
    ("image", "grid", "match"),
    [
        (np.zeros((4, 4)), np.zeros((1, 3, 3, 2)), r"`grid` must have shape \(H_out"),
        (np.zeros((4, 4)), np.zeros((3, 3, 3)), r"`grid` must have shape \(H_out"),
        (np.zeros((1, 1, 4, 4)), np.zeros((3, 3, 2)), r"`grid` must have shape \(N,"),
        (np.zeros((2, 1, 4, 4)), np.zeros((1, 3, 3, 2)), r"with N = 2"),
        (np.zeros((1, 4, 4)), np.zeros((3, 3, 2)), r"`image` must be 2-D or 4-D"),
        (np.zeros((4, 4)), np.zeros((3, 2)), r"`grid` must be 3-D or 4-D"),
    ],
)
def test_grid_sample_rejects_bad_shapes(image, grid, match):
    with pytest.raises(ValueError, match=match):
        stn.grid_sample(image, grid)
    with pytest.raises(ValueError, match=match):
        stn.grid_sample_backward(image, grid)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"padding_mode": "replicate"},
            r"`padding_mode` must be one of 'zeros', 'border', 'reflection'; "
            r"got 'replicate'",
        ),
        ({"method": "bicubic"}, r"`method` must be one of 'bilinear', 'nearest'"),
    ],
)
def test_grid_sample_rejects_unknown_modes(kwargs, match):
    with pytest.raises(ValueError, match=match):
        stn.grid_sample(np.zeros((2, 2)), np.zeros((1, 1, 2)), **kwargs)


def test_grid_sample_rejects_non_numeric_and_non_finite():
    with pytest.raises(TypeError, match="`image` must be a numeric array"):
        stn.grid_sample("image", np.zeros((1, 1, 2)))
    with pytest.raises(ValueError, match="`grid` must contain only finite numbers"):
        stn.grid_sample(np.zeros((2, 2)), np.full((1, 1, 2), np.nan))


def test_grid_sample_backward_rejects_bad_grad_output():
    with pytest.raises(ValueError, match=r"`grad_output` must have the output's shape"):
        stn.grid_sample_backward(np.zeros((2, 2)), np.zeros((1, 3, 2)), np.ones((3, 1)))


def test_other_functions_reject_bad_arguments():
    with pytest.raises(ValueError, match="`scale` must be a non-zero"):
        stn.affine_theta(scale=0.0)
    with pytest.raises(TypeError, match="`rotation` must be a finite real number"):
        stn.affine_theta(rotation="45")
    with pytest.raises(ValueError, match=r"`n` must be an integer >= 2"):
        stn.pixel_to_normalized([0.0], 1, align_corners=True)
    with pytest.raises(ValueError, match=r"`grad_grid` must have shape \(4, 4, 2\)"):
        stn.affine_grid_backward(np.zeros((3, 3, 2)), (4, 4))
    with pytest.raises(ValueError, match=r"`image_shape\[0\]` must be an integer"):
        stn.sampling_matrix(np.zeros((1, 1, 2)), (0, 2))
    with pytest.raises(ValueError, match="`lr` must be a positive real number"):
        stn.fit_affine(np.zeros((4, 4)), np.zeros((4, 4)), lr=-1.0)
    with pytest.raises(ValueError, match="`optimizer` must be one of 'adam', 'sgd'"):
        stn.fit_affine(np.zeros((4, 4)), np.zeros((4, 4)), optimizer="lbfgs")
    with pytest.raises(ValueError, match="`template` must have the shape of `moving`"):
        stn.fit_affine(np.zeros((4, 4)), np.zeros((4, 5)))
    with pytest.raises(ValueError, match=r"`theta` must have shape \(2, 3\); got"):
        stn.make_pattern(8, theta=np.zeros((1, 2, 3)))
    with pytest.raises(ValueError, match=r"`size` must be an integer >= 2"):
        stn.make_pattern(1)


# ------------------------------------------- the kink at pixel centres, as torch
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
def test_grid_sample_backward_kinks_match_torch_autograd(
    dtype, align_corners, padding_mode
):
    # every point of an identity grid sits on a pixel centre, where the bilinear
    # sampler has a kink: the one-sided derivative depends on which side of the
    # centre the rounded coordinate lands, decided as in torch's CPU kernel
    rng = np.random.default_rng(0)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    for h in range(2, 12):
        for w in range(2, 12):
            grid = stn.affine_grid(np.eye(2, 3), (h, w), align_corners=align_corners)
            grid = grid.astype(dtype)
            image = rng.normal(size=(h, w)).astype(dtype)
            tg = torch.tensor(grid)[None].requires_grad_(True)
            ti = torch.tensor(image)[None, None].requires_grad_(True)
            F.grid_sample(
                ti, tg, align_corners=align_corners, padding_mode=padding_mode
            ).sum().backward()
            g_image, g_grid = stn.grid_sample_backward(
                image, grid, align_corners=align_corners, padding_mode=padding_mode
            )
            scale = max(w, h) * (1.0 + np.abs(image).max())
            np.testing.assert_allclose(
                g_grid, tg.grad[0].numpy(), rtol=0, atol=tol * scale
            )
            np.testing.assert_allclose(g_image, ti.grad[0, 0].numpy(), rtol=0, atol=tol)


def test_fit_affine_names_theta0_in_its_errors():
    with pytest.raises(ValueError, match="`theta0`"):
        stn.fit_affine(np.zeros((4, 4)), np.zeros((4, 4)), theta0=np.zeros((3, 3)))


@pytest.mark.parametrize("size", [{4, 5}, {"h": 4, "w": 5}, "45"])
def test_affine_grid_rejects_unordered_sizes(size):
    with pytest.raises(TypeError, match="`size`"):
        stn.affine_grid(np.eye(2, 3), size)


@pytest.mark.parametrize("method", ["bilinear", "nearest"])
@pytest.mark.parametrize("padding_mode", PADDING)
def test_grid_sample_backward_batch_scatters_like_each_sampling_matrix(
    method, padding_mode
):
    # a batch (N = 2, C = 3) read far outside too: every (image, channel) gets the
    # transpose of its own sampling matrix applied to its output gradient
    rng = np.random.default_rng(21)
    image = rng.normal(size=(2, 3, 4, 5))
    grid = rng.uniform(-3.0, 3.0, size=(2, 6, 7, 2))
    grad_output = rng.normal(size=(2, 3, 6, 7))
    kwargs = {"method": method, "padding_mode": padding_mode}
    g_image, g_grid = stn.grid_sample_backward(image, grid, grad_output, **kwargs)
    for n in range(2):
        m = stn.sampling_matrix(grid[n], (4, 5), **kwargs)
        for c in range(3):
            want = (m.T @ grad_output[n, c].ravel()).reshape(4, 5)
            np.testing.assert_allclose(g_image[n, c], want, atol=1e-12)
    if method == "nearest":
        assert not g_grid.any()


# ------------------------------------- the blocked bilinear kernel, against loops
def _bilinear_by_loops(image, grid, grad_output, align_corners, padding_mode):
    """V, dL/dU and dL/dgrid of bilinear sampling, one point at a time (float64).

    Pixel positions come from ``stn.source_pixels``; the corners and weights are
    written out per point, a corner outside the image reads 0.
    """
    n_img, chans, h, w = image.shape
    kwargs = {"align_corners": align_corners, "padding_mode": padding_mode}
    x, dx = stn.source_pixels(grid[..., 0].astype(np.float64), w, **kwargs)
    y, dy = stn.source_pixels(grid[..., 1].astype(np.float64), h, **kwargs)
    out = np.zeros((n_img, chans, *grid.shape[1:3]))
    g_image = np.zeros(image.shape)
    g_grid = np.zeros(grid.shape)
    for n in range(n_img):
        for i in range(grid.shape[1]):
            for j in range(grid.shape[2]):
                px, py = x[n, i, j], y[n, i, j]
                x0, y0 = int(np.floor(px)), int(np.floor(py))
                a, b = px - x0, py - y0
                corners = [
                    (y0, x0, (1 - b) * (1 - a), -(1 - b), -(1 - a)),
                    (y0, x0 + 1, (1 - b) * a, 1 - b, -a),
                    (y0 + 1, x0, b * (1 - a), -b, 1 - a),
                    (y0 + 1, x0 + 1, b * a, b, a),
                ]
                for r, c, wt, dwx, dwy in corners:
                    if not (0 <= r < h and 0 <= c < w):
                        continue
                    for ch in range(chans):
                        u = float(image[n, ch, r, c])
                        go = float(grad_output[n, ch, i, j])
                        out[n, ch, i, j] += wt * u
                        g_image[n, ch, r, c] += wt * go
                        g_grid[n, i, j, 0] += go * u * dwx * dx[n, i, j]
                        g_grid[n, i, j, 1] += go * u * dwy * dy[n, i, j]
    return out, g_image, g_grid


@settings(max_examples=30, deadline=None)
@given(
    n_img=st.integers(1, 3),
    chans=st.integers(1, 2),
    h=st.integers(1, 4),
    w=st.integers(1, 4),
    ho=st.integers(1, 3),
    wo=st.integers(1, 3),
    block=st.sampled_from([1, 4, 7, 1 << 14]),
    dtype=st.sampled_from([np.float32, np.float64]),
    align_corners=st.booleans(),
    padding_mode=st.sampled_from(PADDING),
    seed=st.integers(0, 2**16),
)
def test_bilinear_kernel_equals_a_loop_over_points_property(
    n_img,
    chans,
    h,
    w,
    ho,
    wo,
    block,
    dtype,
    align_corners,
    padding_mode,
    seed,
):
    # blocks of whole images of about `block` points: a batch of several blocks,
    # the last one partial, reads and writes exactly what one loop over the points
    # does, in float32 (float32 arithmetic) and float64, inside and far outside
    if align_corners and min(h, w) < 2:
        h, w = max(h, 2), max(w, 2)
    rng = np.random.default_rng(seed)
    image = rng.normal(size=(n_img, chans, h, w)).astype(dtype)
    grid = rng.uniform(-1.6, 1.6, size=(n_img, ho, wo, 2)).astype(dtype)
    # far outside: every corner reads 0 (zeros), or the end pixel (border); for
    # reflection a distance float32 can still fold (at |g| ~ 1e30 a float32 fold
    # keeps no digit of the position, and the result differs from torch's)
    far = -1e30 if padding_mode != "reflection" else -1e6
    grid[0, 0, 0] = [40.0, far]
    grad_output = rng.normal(size=(n_img, chans, ho, wo)).astype(dtype)
    kwargs = {"align_corners": align_corners, "padding_mode": padding_mode}
    want, want_image, want_grid = _bilinear_by_loops(image, grid, grad_output, **kwargs)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stn, "_BLOCK_POINTS", block)
        got = stn.grid_sample(image, grid, **kwargs)
        got_image, got_grid = stn.grid_sample_backward(
            image, grid, grad_output, **kwargs
        )
    assert got.dtype == got_image.dtype == got_grid.dtype == dtype
    scale = max(h, w)
    np.testing.assert_allclose(got, want, rtol=0, atol=tol)
    np.testing.assert_allclose(got_image, want_image, rtol=0, atol=tol)
    np.testing.assert_allclose(got_grid, want_grid, rtol=0, atol=tol * scale)


@pytest.mark.parametrize("align_corners", ALIGN)
def test_bilinear_kernel_float32_positions_are_source_pixels(align_corners):
    # the kernel's float32 zero-padding positions, written out for speed, are
    # those of stn.source_pixels' float32 rule (clamped to [-2, n + 1]) exactly,
    # pixel centres and huge coordinates included
    rng = np.random.default_rng(5)
    grid = rng.uniform(-1.5, 1.5, size=(2, 9, 7, 2)).astype(np.float32)
    for n in (1, 2, 3, 7, 64):
        if align_corners and n < 2:
            continue
        centres = stn.pixel_to_normalized(
            np.arange(n, dtype=np.float32), n, align_corners=align_corners
        )
        grid[0, 0, : min(n, 7), 0] = centres[:7]
        grid[1, 0, 0] = [3e38, -3e38]
        image = np.zeros((2, 1, n, n), dtype=np.float32)
        taps = stn._Bilinear(image, grid, align_corners, "zeros", np.dtype(np.float32))
        got, scale = taps._pixels(grid[..., 0], n)
        want, d = stn._source_pixels(grid[..., 0], n, align_corners, "zeros")
        want = np.clip(want.reshape(2, -1), -2.0, n + 1.0)
        np.testing.assert_array_equal(got, want)
        assert got.dtype == np.float32
        np.testing.assert_array_equal(np.broadcast_to(scale, d.shape), d)


@pytest.mark.parametrize("align_corners", [False, True])
def test_bilinear_grid_sample_equals_the_books_2d_sampler(align_corners: bool) -> None:
    # stn's blocked bilinear kernel (kept for speed: the spatial transformer trains
    # through it) computes what interp2d.sample_2d computes with zero edges
    rng = np.random.default_rng(7)
    image = rng.normal(size=(2, 3, 5, 7))
    grid = rng.uniform(-1.3, 1.3, size=(2, 4, 6, 2))
    out = stn.grid_sample(image, grid, align_corners=align_corners)
    x = stn.normalized_to_pixel(grid[..., 0], 7, align_corners=align_corners)
    y = stn.normalized_to_pixel(grid[..., 1], 5, align_corners=align_corners)
    for n in range(2):
        for c in range(3):
            ref = interp2d.sample_2d(image[n, c], y[n], x[n], edge="zeros")
            np.testing.assert_allclose(out[n, c], ref, rtol=0, atol=1e-12)
