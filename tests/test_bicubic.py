"""Bicubic interpolation across lesson_utils (Chapter 4): resize and sample_2d with the
Keys kernel, checked against torch, PIL and OpenCV; what scipy's order 3 is instead;
polynomial reproduction and measured convergence orders in 2-D."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lesson_utils import accuracy, interp1d, interp2d, kernels, resize
from lesson_utils import libraries as lib

SHAPES = [((5, 7), (11, 13)), ((8, 6), (3, 4)), ((7, 7), (28, 28)), ((9, 12), (9, 12))]


def _image(shape, seed=0, dtype=np.float32):
    return np.random.default_rng(seed).random(shape).astype(dtype)


# --- hand-computed -----------------------------------------------------------------


def test_sample_2d_bicubic_hand_value():
    # at the centre of 4 x 4 pixels the 1-D weights are k(1.5), k(.5), k(.5), k(1.5)
    # = -1/16, 9/16, 9/16, -1/16 (a = -0.5); one bright pixel at (1, 1) gets 81/256
    image = np.zeros((4, 4))
    image[1, 1] = 1.0
    got = interp2d.sample_2d(image, 1.5, 1.5, method="bicubic", a=-0.5)
    assert got == pytest.approx(81 / 256, abs=1e-15)
    image[0, 0] = 1.0  # a corner tap: weight (-1/16)^2
    got = interp2d.sample_2d(image, 1.5, 1.5, method="bicubic", a=-0.5)
    assert got == pytest.approx(81 / 256 + 1 / 256, abs=1e-15)


@pytest.mark.parametrize("a", [-0.5, -0.75])
def test_sample_2d_bicubic_is_16_separable_taps(a):
    image = _image((6, 6), seed=1, dtype=np.float64)
    y, x = 2.3, 3.6
    iy, wy = interp1d.tap_weights(y, method="cubic", a=a)
    ix, wx = interp1d.tap_weights(x, method="cubic", a=a)
    w16 = np.outer(wy, wx)
    assert w16.shape == (4, 4) and np.sum(w16) == pytest.approx(1.0, abs=1e-14)
    from_scratch = np.sum(w16 * image[np.ix_(iy, ix)])
    got = interp2d.sample_2d(image, y, x, method="bicubic", a=a)
    assert got == pytest.approx(from_scratch, abs=1e-14)
    # rows first or columns first: the same number
    rows = [interp1d.sample_1d(image[r], [x], method="cubic", a=a)[0] for r in iy]
    assert np.dot(wy, rows) == pytest.approx(from_scratch, abs=1e-14)


# --- comparison with libraries ------------------------------------------------------


@pytest.mark.parametrize(("shape_in", "shape_out"), SHAPES)
@pytest.mark.parametrize("align_corners", [False, True])
def test_resize_bicubic_matches_torch_a_075(shape_in, shape_out, align_corners):
    image = _image(shape_in)
    ours = resize.resize(
        image, shape_out, method="bicubic", align_corners=align_corners, a=-0.75
    )
    expected = lib.torch_resize(
        image, shape_out, mode="bicubic", align_corners=align_corners
    )
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, expected, atol=1e-5, rtol=0)


@pytest.mark.parametrize(("shape_in", "shape_out"), [s for s in SHAPES if s[0] != s[1]])
def test_resize_bicubic_differs_from_torch_with_keys_a(shape_in, shape_out):
    # the parameter matters: a = -0.5 is not what torch computes without antialias
    image = _image(shape_in)
    ours = resize.resize(image, shape_out, method="bicubic", a=-0.5)
    theirs = lib.torch_resize(image, shape_out, mode="bicubic")
    assert np.max(np.abs(ours - theirs)) > 1e-3


@pytest.mark.parametrize(("shape_in", "shape_out"), SHAPES)
def test_resize_bicubic_antialias_matches_pil_a_05(shape_in, shape_out):
    image = _image(shape_in)
    ours = resize.resize(image, shape_out, method="bicubic", antialias=True, a=-0.5)
    pil = lib.pil_resize(image, shape_out, resample="bicubic")  # mode "F"
    np.testing.assert_allclose(ours, pil, atol=1e-5, rtol=0)


@pytest.mark.parametrize(("shape_in", "shape_out"), SHAPES)
def test_resize_bicubic_antialias_matches_torch_antialias(shape_in, shape_out):
    image = _image(shape_in)
    ours = resize.resize(image, shape_out, method="bicubic", antialias=True, a=-0.5)
    expected = lib.torch_resize(image, shape_out, mode="bicubic", antialias=True)
    np.testing.assert_allclose(ours, expected, atol=1e-5, rtol=0)


@pytest.mark.parametrize(
    ("shape_in", "shape_out"), [s for s in SHAPES if s[1][0] >= s[0][0]]
)
def test_resize_bicubic_matches_opencv_inter_cubic(shape_in, shape_out):
    image = _image(shape_in)
    ours = resize.resize(image, shape_out, method="bicubic", a=-0.75)
    expected = lib.cv2_resize(image, shape_out, interpolation="cubic")
    np.testing.assert_allclose(ours, expected, atol=1e-5, rtol=0)


def test_resize_bicubic_tutorial_overshoot_matches_torch():
    # the 2 x 2 map of the seed text, upsampled 2x by torch: outside [0.1, 0.8]
    image = np.array([[0.1, 0.8], [0.3, 0.5]], dtype=np.float32)
    ours = resize.resize(image, (4, 4), method="bicubic", a=-0.75)
    theirs = lib.torch_resize(image, (4, 4), mode="bicubic")
    np.testing.assert_allclose(ours, theirs, atol=1e-6)
    assert ours.min() < 0.0 and ours.max() > 0.9


def test_scipy_zoom_order3_is_prefiltered_bspline_not_keys():
    ndi = pytest.importorskip("scipy.ndimage")
    values = np.zeros(15)
    values[7] = 1.0
    x = np.linspace(3.0, 11.0, 33)
    # scipy's order 3: coefficients c from the prefilter, then sum_i c[i] b3(x - i)
    scipy_says = ndi.map_coordinates(values, [x], order=3, mode="mirror")
    coeffs = ndi.spline_filter1d(values, order=3, mode="mirror")
    i = np.arange(15)
    from_bspline = kernels.bspline3(x[:, None] - i) @ coeffs
    np.testing.assert_allclose(scipy_says, from_bspline, atol=1e-10)
    # the impulse response is not local: Keys is exactly 0 two samples away
    keys = interp1d.sample_1d(values, x, method="cubic", a=-0.5)
    far = np.abs(x - 7) >= 2
    assert np.all(keys[far] == 0.0)
    assert np.max(np.abs(scipy_says[far])) > 0.01
    assert np.max(np.abs(scipy_says - keys)) > 0.01


# --- invariants ---------------------------------------------------------------------


@given(
    coeffs=st.lists(st.floats(-5, 5, allow_nan=False), min_size=6, max_size=6),
    y=st.floats(2.0, 6.0),
    x=st.floats(2.0, 6.0),
)
@settings(max_examples=30, deadline=None)
def test_sample_2d_bicubic_reproduces_quadratics(coeffs, y, x):
    c = coeffs
    r, q = np.mgrid[0:9, 0:9].astype(float)

    def poly(yy, xx):
        return (
            c[0] + c[1] * yy + c[2] * xx + c[3] * yy**2 + c[4] * yy * xx + c[5] * xx**2
        )

    got = interp2d.sample_2d(poly(r, q), y, x, method="bicubic", a=-0.5)
    assert got == pytest.approx(poly(y, x), abs=1e-9 * (1 + np.abs(c).sum() * 40))


@given(
    coeffs=st.lists(st.floats(-5, 5, allow_nan=False), min_size=3, max_size=3),
)
@settings(max_examples=20, deadline=None)
def test_resize_bicubic_reproduces_quadratics_inside(coeffs):
    # resizing 12 -> 30 with half-pixel centres: outputs whose 4 taps are inside
    # the image reproduce a quadratic exactly for a = -0.5 (the edge clamp breaks it)
    c0, c1, c2 = coeffs
    n_in, n_out = 12, 30
    grid = np.arange(n_in, dtype=float)
    image = np.tile(c0 + c1 * grid + c2 * grid**2, (3, 1))
    out = resize.resize(image, (3, n_out), method="bicubic", a=-0.5)
    src = resize.source_coordinates(n_in, n_out)
    inside = (src >= 1) & (src <= n_in - 2)
    expected = c0 + c1 * src + c2 * src**2
    np.testing.assert_allclose(out[1, inside], expected[inside], atol=1e-9)


@pytest.mark.parametrize("a", [-0.5, -0.75])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_resize_bicubic_identity_and_no_mutation(a, dtype):
    image = _image((6, 5), dtype=dtype)
    copy = image.copy()
    out = resize.resize(image, (6, 5), method="bicubic", a=a)
    assert out.dtype == dtype
    np.testing.assert_allclose(out, image, atol=1e-6)
    np.testing.assert_array_equal(image, copy)


@pytest.mark.parametrize(("a", "order"), [(-0.5, 3), (-0.75, 1)])
def test_sample_2d_bicubic_convergence_order(a, order):
    # a smooth image sampled every h on [0, 1]^2, read back on a diagonal
    def f(yy, xx):
        return np.sin(2 * np.pi * xx) * np.cos(3 * yy)

    spacings = [1 / 16, 1 / 32, 1 / 64, 1 / 128]
    t = np.linspace(0.25, 0.75, 301)
    errors = []
    for h in spacings:
        n = round(1 / h) + 1
        grid = np.arange(n) * h
        image = f(grid[:, None], grid[None, :])
        got = interp2d.sample_2d(image, t / h, t[::-1] / h, method="bicubic", a=a)
        errors.append(np.max(np.abs(got - f(t, t[::-1]))))
    assert abs(accuracy.convergence_order(spacings, errors) - order) <= 0.3


# --- errors -------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_resize_bicubic_rejects_nonfinite_a(bad):
    with pytest.raises(ValueError, match="`a` must be a finite real number"):
        resize.resize(np.ones((3, 3)), (6, 6), method="bicubic", a=bad)


@pytest.mark.parametrize("bad", [np.nan, -np.inf])
def test_sample_2d_bicubic_rejects_nonfinite_a(bad):
    with pytest.raises(ValueError, match="`a` must be a finite real number"):
        interp2d.sample_2d(np.ones((3, 3)), 1.0, 1.0, method="bicubic", a=bad)


def test_resize_rejects_cubic_as_method_name():
    # the 1-D name is "cubic", the 2-D name "bicubic": the message lists both
    with pytest.raises(ValueError, match="`method` must be one of .*'bicubic'"):
        resize.resize(np.ones((3, 3)), (6, 6), method="cubic")
