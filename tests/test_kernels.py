"""Tests of lesson_utils.kernels: hand values, kernel properties, invariants, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lesson_utils import interp1d, kernels
from lesson_utils.widgets import ch04

KERNELS = {
    "box": kernels.box,
    "triangle": kernels.triangle,
    "keys_-0.5": lambda t: kernels.keys_cubic(t, -0.5),
    "keys_-0.75": lambda t: kernels.keys_cubic(t, -0.75),
    "bspline3": kernels.bspline3,
}
A_VALUES = [-0.5, -0.75, -1.0, 0.0, 0.3]
finite_a = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)


# --- hand-computed values ---------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "t", "expected"),
    [
        # (a+2)/8 - (a+3)/4 + 1 at s = 1/2; a(27/8 - 45/4 + 12 - 4) at s = 3/2
        (-0.5, [0.0, 0.5, 1.0, 1.5, 2.0, 2.5], [1, 0.5625, 0, -0.0625, 0, 0]),
        (-0.75, [0.0, 0.5, 1.0, 1.5, 2.0], [1, 0.59375, 0, -0.09375, 0]),
        (-1.0, [0.5, -0.5, 1.5, -1.5], [0.625, 0.625, -0.125, -0.125]),
        (0.0, [0.5, 1.5], [0.5, 0.0]),  # a = 0: 2s^3 - 3s^2 + 1, zero outside 1
    ],
)
def test_keys_cubic_hand_values(a, t, expected):
    np.testing.assert_allclose(kernels.keys_cubic(t, a), expected, atol=1e-15)


@pytest.mark.parametrize(
    ("name", "t", "expected"),
    [
        ("box", [-0.5, -0.25, 0.25, 0.5, 1.0], [1, 1, 1, 0, 0]),
        ("triangle", [-1.0, -0.5, 0.0, 0.25, 2.0], [0, 0.5, 1, 0.75, 0]),
        ("bspline3", [0.0, 0.5, 1.0, 1.5, 2.0], [2 / 3, 23 / 48, 1 / 6, 1 / 48, 0]),
    ],
)
def test_simple_kernels_hand_values(name, t, expected):
    np.testing.assert_allclose(KERNELS[name](t), expected, atol=1e-15)


# --- kernel properties -------------------------------------------------------------


@pytest.mark.parametrize("name", ["triangle", "keys_-0.5", "keys_-0.75"])
def test_kernels_interpolate(name):
    k = KERNELS[name]
    assert k([0.0]).item() == 1.0
    np.testing.assert_array_equal(k([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0]), 0.0)


def test_bspline3_does_not_interpolate():
    assert kernels.bspline3([0.0]).item() == pytest.approx(2 / 3)
    assert kernels.bspline3([1.0]).item() == pytest.approx(1 / 6)


@pytest.mark.parametrize("name", list(KERNELS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_kernels_symmetric_and_dtype(name, dtype):
    t = np.linspace(-3, 3, 61).astype(dtype)
    k = KERNELS[name]
    out = k(t)
    assert out.dtype == dtype and out.shape == t.shape
    if name != "box":  # the box is half-open on purpose (ties round up)
        np.testing.assert_array_equal(out, k(-t))


@pytest.mark.parametrize(
    ("name", "radius"),
    [("box", 0.5), ("triangle", 1.0), ("keys_-0.5", 2.0), ("bspline3", 2.0)],
)
def test_kernels_support(name, radius):
    t = np.concatenate([np.linspace(radius, radius + 5, 50), [1e6]])
    np.testing.assert_array_equal(KERNELS[name](t), 0.0)
    np.testing.assert_array_equal(KERNELS[name](-t - 1e-12), 0.0)


def _piece(kernel, lo, hi):
    """The cubic that ``kernel`` equals on (lo, hi), read from 4 interior points."""
    t = np.linspace(lo, hi, 6)[1:-1]
    return np.polynomial.Polynomial.fit(t, kernel(t), 3, domain=[lo, hi])


@pytest.mark.parametrize("a", A_VALUES)
@pytest.mark.parametrize("knot", [-2.0, -1.0, 0.0, 1.0, 2.0])
def test_keys_cubic_value_and_slope_continuous(a, knot):
    def k(t):
        return kernels.keys_cubic(t, a)

    left, right = _piece(k, knot - 1, knot), _piece(k, knot, knot + 1)
    # each piece really is a cubic: the fit reproduces the kernel inside the piece
    t = np.linspace(knot - 0.9, knot - 0.1, 9)
    np.testing.assert_allclose(left(t), k(t), atol=1e-12)
    assert abs(left(knot) - right(knot)) < 1e-12
    assert abs(left.deriv()(knot) - right.deriv()(knot)) < 1e-12


@pytest.mark.parametrize("a", A_VALUES)
def test_keys_cubic_slope_at_one_is_a(a):
    def k(t):
        return kernels.keys_cubic(t, a)

    assert _piece(k, 0.0, 1.0).deriv()(1.0) == pytest.approx(a, abs=1e-12)
    assert _piece(k, 1.0, 2.0).deriv()(1.0) == pytest.approx(a, abs=1e-12)


@pytest.mark.parametrize("knot", [0.0, 1.0, 2.0])
def test_bspline3_twice_continuously_differentiable(knot):
    left = _piece(kernels.bspline3, knot - 1, knot)
    right = _piece(kernels.bspline3, knot, knot + 1)
    for order in range(3):
        assert abs(left.deriv(order)(knot) - right.deriv(order)(knot)) < 1e-12


@pytest.mark.parametrize("name", ["box", "triangle", "keys_-0.5", "keys_-0.75"])
@given(x=st.floats(-50, 50, allow_nan=False))
@settings(max_examples=30, deadline=None)
def test_kernels_partition_of_unity(name, x):
    i = np.arange(np.floor(x) - 3, np.floor(x) + 4)
    assert np.sum(KERNELS[name](x - i)) == pytest.approx(1.0, abs=1e-12)


@given(x=st.floats(-50, 50, allow_nan=False))
@settings(max_examples=30, deadline=None)
def test_bspline3_partition_of_unity(x):
    i = np.arange(np.floor(x) - 3, np.floor(x) + 4)
    assert np.sum(kernels.bspline3(x - i)) == pytest.approx(1.0, abs=1e-12)


@given(a=finite_a, x=st.floats(-20, 20, allow_nan=False))
@settings(max_examples=40, deadline=None)
def test_keys_cubic_partition_of_unity_any_a(a, x):
    i = np.arange(np.floor(x) - 1, np.floor(x) + 3)
    assert np.sum(kernels.keys_cubic(x - i, a)) == pytest.approx(1.0, abs=1e-11)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_keys_cubic_does_not_mutate(dtype):
    t = np.array([-1.5, 0.25, 1.0], dtype=dtype)
    copy = t.copy()
    kernels.keys_cubic(t, -0.75)
    np.testing.assert_array_equal(t, copy)


# --- polynomial reproduction (which degree each kernel reproduces) ----------------


@given(
    coeffs=st.lists(st.floats(-10, 10, allow_nan=False), min_size=3, max_size=3),
    x=st.lists(st.floats(2.0, 9.0), min_size=1, max_size=8),
)
@settings(max_examples=40, deadline=None)
def test_keys_cubic_reproduces_quadratics_for_a_minus_half(coeffs, x):
    c0, c1, c2 = coeffs
    grid = np.arange(12.0)
    x = np.asarray(x)
    got = interp1d.sample_1d(c0 + c1 * grid + c2 * grid**2, x, method="cubic", a=-0.5)
    np.testing.assert_allclose(got, c0 + c1 * x + c2 * x**2, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("a", [-0.75, -1.0, 0.0])
def test_keys_cubic_other_a_misses_lines(a):
    # away from -1/2 the kernel reproduces constants but not a straight line:
    # error = -(2a + 1) s (s - 1)(2s - 1) with s = x - floor(x) (Keys 1981)
    grid = np.arange(10.0)
    x = np.array([3.0, 3.25, 3.5, 3.75, 4.0])
    s = x - np.floor(x)
    got = interp1d.sample_1d(grid, x, method="cubic", a=a)
    np.testing.assert_allclose(
        got - x, -(2 * a + 1) * s * (s - 1) * (2 * s - 1), atol=1e-12
    )
    np.testing.assert_allclose(
        interp1d.sample_1d(np.full(10, 7.0), x, method="cubic", a=a), 7.0, atol=1e-12
    )


def test_keys_cubic_minus_half_misses_cubics():
    grid = np.arange(10.0)
    x = np.array([3.25, 3.5])
    got = interp1d.sample_1d(grid**3, x, method="cubic", a=-0.5)
    assert np.max(np.abs(got - x**3)) > 0.01


# --- comparison with a library -----------------------------------------------------


def test_bspline3_matches_scipy():
    interpolate = pytest.importorskip("scipy.interpolate")
    t = np.linspace(-2.5, 2.5, 101)
    basis = interpolate.BSpline.basis_element([-2, -1, 0, 1, 2], extrapolate=False)
    expected = np.nan_to_num(basis(t))
    np.testing.assert_allclose(kernels.bspline3(t), expected, atol=1e-14)


def test_keys_cubic_matches_torch_weights():
    torch = pytest.importorskip("torch")
    # torch bicubic upsampling of a unit impulse, corner-aligned 1 -> 4 positions per
    # sample, reads the kernel with a = -0.75 at offsets 0, 1/4, 1/2, 3/4, ...
    impulse = torch.zeros(1, 1, 1, 9, dtype=torch.float64)
    impulse[..., 4] = 1.0
    out = torch.nn.functional.interpolate(
        impulse, size=(1, 33), mode="bicubic", align_corners=True
    )
    t = np.arange(33) / 4.0 - 4.0
    np.testing.assert_allclose(
        out[0, 0, 0].numpy(), kernels.keys_cubic(t, -0.75), 1e-12
    )


# --- frame of the widget ------------------------------------------------------------


@pytest.mark.parametrize("a", [-0.5, -0.75])
@pytest.mark.parametrize("x", [0.0, 0.3, 2.5, 4.0, 5.0])
def test_keys_frame_matches_sample_1d(a, x):
    values = np.array([0.0, 0.0, 0.0, 1.0, 1.0, 1.0])
    f = ch04.keys_frame(x, values, a)
    assert f["indices"] == list(range(int(np.floor(x)) - 1, int(np.floor(x)) + 3))
    assert np.sum(f["weights"]) == pytest.approx(1.0, abs=1e-12)
    expected = interp1d.sample_1d(values, [x], method="cubic", a=a)[0]
    assert f["value"] == pytest.approx(expected, abs=1e-12)
    assert f["curve_min"] <= 0.0 and f["curve_max"] >= 1.0
    np.testing.assert_allclose(f["kernel"], kernels.keys_cubic(f["kernel_t"], a))


def test_keys_frame_step_overshoot_hand_value():
    # step 0,0,0,1,1,1 at x = 2.5: symmetric, value 1/2; at x = 3.5 the taps read
    # 0, 1, 1, 1 with weights -1/16, 9/16, 9/16, -1/16 (a = -0.5): 1 + 1/16
    f = ch04.keys_frame(3.5, [0, 0, 0, 1, 1, 1], -0.5)
    assert f["value"] == pytest.approx(1.0625)
    assert ch04.keys_frame(2.5, [0, 0, 0, 1, 1, 1], -0.5)["value"] == 0.5


# --- errors ------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_keys_cubic_rejects_nonfinite_a(bad):
    with pytest.raises(ValueError, match="`a` must be a finite real number"):
        kernels.keys_cubic([0.5], bad)


@pytest.mark.parametrize("bad", ["-0.5", None, True, [0.5]])
def test_keys_cubic_rejects_non_number_a(bad):
    with pytest.raises(TypeError, match="`a` must be a finite real number"):
        kernels.keys_cubic([0.5], bad)


@pytest.mark.parametrize("name", list(KERNELS))
def test_kernels_reject_bad_t(name):
    with pytest.raises(TypeError, match="`t` must be a numeric array"):
        KERNELS[name]("0.5")
    with pytest.raises(ValueError, match="`t` must contain only finite numbers"):
        KERNELS[name]([0.0, np.nan])


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"x": 6.0}, ValueError, r"`x` must lie in \[0, 5\]"),
        ({"x": -0.1}, ValueError, r"`x` must lie in \[0, 5\]"),
        ({"a": np.nan}, ValueError, "`a` must be a finite real number"),
        ({"values": [1.0]}, ValueError, "`values` must have at least 2"),
        ({"values": [[1.0, 2.0]]}, ValueError, "`values` must be 1-D"),
        ({"n_curve": 1}, ValueError, "`n_curve` must be an integer >= 2"),
        ({"x": "1"}, TypeError, "`x` must be a finite real number"),
    ],
)
def test_keys_frame_errors(kwargs, exc, match):
    args = {"x": 1.0, "values": np.arange(6.0), "a": -0.5} | kwargs
    with pytest.raises(exc, match=match):
        ch04.keys_frame(**args)


def test_keys_cubic_extreme_a_stays_finite():
    # k(0.5) = -a/8 and k(1.5) = a/8 exactly; the expanded polynomial overflows
    out = kernels.keys_cubic([0.5, 1.5, 2.5], a=1e308)
    np.testing.assert_allclose(out, [-1.25e307, 1.25e307, 0.0], rtol=1e-15)
    assert np.all(np.isfinite(kernels.keys_cubic(np.linspace(-3, 3, 61), a=-1e308)))
