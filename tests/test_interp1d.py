"""Tests of lesson_utils.interp1d (Chapter 1)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lesson_utils import interp1d

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
signals = hnp.arrays(np.float64, st.integers(2, 20), elements=finite)


# --- hand-computed arrays -------------------------------------------------------------


def test_linear_weights_hand_computed() -> None:
    i0, i1, w0, w1 = interp1d.linear_weights([0.0, 1.25, 2.7, 3.0])
    assert i0.tolist() == [0, 1, 2, 3]
    assert i1.tolist() == [1, 2, 3, 4]
    np.testing.assert_allclose(w0, [1.0, 0.75, 0.3, 1.0], atol=1e-15)
    np.testing.assert_allclose(w1, [0.0, 0.25, 0.7, 0.0], atol=1e-15)


def test_linear_weights_negative_positions_use_floor() -> None:
    i0, i1, w0, w1 = interp1d.linear_weights(-0.25)
    assert (int(i0), int(i1)) == (-1, 0)
    assert (float(w0), float(w1)) == (0.25, 0.75)


def test_sample_1d_linear_hand_computed() -> None:
    values = [2.0, 5.0, 3.0, 6.0, 4.0]
    out = interp1d.sample_1d(values, [0.0, 0.5, 2.7, 4.0])
    np.testing.assert_allclose(out, [2.0, 3.5, 0.3 * 3 + 0.7 * 6, 4.0], atol=1e-12)


def test_sample_1d_nearest_rounds_ties_up() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    out = interp1d.sample_1d(values, [0.49, 0.5, 1.5, 2.5, 2.51], method="nearest")
    assert out.tolist() == [10.0, 20.0, 30.0, 40.0, 40.0]


def test_nearest_index_differs_from_numpy_round_at_ties() -> None:
    ties = [0.5, 1.5, 2.5]
    assert interp1d.nearest_index(ties).tolist() == [1, 2, 3]
    assert np.round(ties).tolist() == [0.0, 2.0, 2.0]


@pytest.mark.parametrize(
    ("edge", "expected"),
    [("clamp", [2.0, 2.0, 4.0, 4.0]), ("zeros", [0.0, 0.6, 0.8, 0.0])],
)
def test_sample_1d_edges_hand_computed(edge: str, expected: list[float]) -> None:
    values = [2.0, 5.0, 3.0, 6.0, 4.0]
    out = interp1d.sample_1d(values, [-1.5, -0.7, 4.8, 5.0], edge=edge)
    np.testing.assert_allclose(out, expected, atol=1e-12)


def test_sample_1d_cubic_hand_computed() -> None:
    # Keys a = -0.5 at t = 0.5: weights (-1/16, 9/16, 9/16, -1/16)
    out = interp1d.sample_1d([0.0, 0.0, 16.0, 0.0, 0.0], [1.5, 2.5], method="cubic")
    np.testing.assert_allclose(out, [9.0, 9.0], atol=1e-12)


def test_lerp_hand_computed() -> None:
    np.testing.assert_allclose(interp1d.lerp(2.0, 6.0, [0.0, 0.25, 1.0]), [2, 3, 6])


def test_linear_frame_hand_computed() -> None:
    f = interp1d.linear_frame(4.0, [0.0, 1.0, 2.0, 3.0, 8.0])
    assert (f["i0"], f["i1"], f["w0"], f["w1"], f["value"]) == (3, 4, 0.0, 1.0, 8.0)


# --- comparison with the library a reader would use ----------------------------------


@settings(max_examples=60)
@given(values=signals, data=st.data())
def test_sample_1d_linear_equals_np_interp(values: np.ndarray, data) -> None:
    n = values.size
    x = data.draw(hnp.arrays(np.float64, 10, elements=st.floats(-3, n + 2)))
    np.testing.assert_allclose(
        interp1d.sample_1d(values, x),
        np.interp(x, np.arange(n), values),
        rtol=1e-12,
        atol=1e-9,
    )


def test_sample_1d_nearest_equals_scipy_nearest_up() -> None:
    scipy_interpolate = pytest.importorskip("scipy.interpolate")
    rng = np.random.default_rng(0)
    values = rng.normal(size=12)
    x = np.concatenate([rng.uniform(0, 11, 300), np.arange(11) + 0.5])
    expected = scipy_interpolate.interp1d(np.arange(12), values, kind="nearest-up")(x)
    np.testing.assert_array_equal(
        interp1d.sample_1d(values, x, method="nearest"), expected
    )


# --- invariants -------------------------------------------------------------------------


@settings(max_examples=60)
@given(values=signals, method=st.sampled_from(interp1d.METHODS))
def test_sample_1d_reproduces_samples_at_integers(
    values: np.ndarray, method: str
) -> None:
    x = np.arange(values.size, dtype=float)
    np.testing.assert_allclose(interp1d.sample_1d(values, x, method=method), values)


@settings(max_examples=60)
@given(alpha=finite, beta=finite, n=st.integers(2, 30), data=st.data())
def test_sample_1d_linear_reproduces_lines(
    alpha: float, beta: float, n: int, data
) -> None:
    x = data.draw(hnp.arrays(np.float64, 8, elements=st.floats(0, n - 1)))
    grid = np.arange(n, dtype=float)
    out = interp1d.sample_1d(alpha + beta * grid, x)
    np.testing.assert_allclose(out, alpha + beta * x, rtol=1e-9, atol=1e-8)


@settings(max_examples=60)
@given(x=hnp.arrays(np.float64, st.integers(1, 20), elements=st.floats(-50, 50)))
def test_linear_weights_are_in_unit_interval_and_sum_to_one(x: np.ndarray) -> None:
    i0, i1, w0, w1 = interp1d.linear_weights(x)
    assert np.all((w0 >= 0) & (w0 <= 1) & (w1 >= 0) & (w1 <= 1))
    np.testing.assert_allclose(w0 + w1, 1.0, atol=1e-12)
    assert np.all(i1 == i0 + 1)
    np.testing.assert_allclose(i0 * w0 + i1 * w1, x, atol=1e-9)


@settings(max_examples=60)
@given(values=signals, data=st.data())
def test_sample_1d_linear_lies_between_neighbours(values: np.ndarray, data) -> None:
    n = values.size
    x = data.draw(hnp.arrays(np.float64, 10, elements=st.floats(0, n - 1)))
    i0, i1, _, _ = interp1d.linear_weights(x)
    a, b = values[i0], values[np.minimum(i1, n - 1)]
    out = interp1d.sample_1d(values, x)
    tol = 1e-9 * (1 + np.abs(values).max())
    assert np.all(out >= np.minimum(a, b) - tol)
    assert np.all(out <= np.maximum(a, b) + tol)


@settings(max_examples=40)
@given(
    x=hnp.arrays(np.float64, st.integers(1, 10), elements=st.floats(-5, 5)),
    method=st.sampled_from(interp1d.METHODS),
)
def test_tap_weights_sum_to_one(x: np.ndarray, method: str) -> None:
    _, w = interp1d.tap_weights(x, method=method)
    np.testing.assert_allclose(w.sum(axis=-1), 1.0, atol=1e-12)


@pytest.mark.parametrize("method", interp1d.METHODS)
@pytest.mark.parametrize("edge", interp1d.EDGES)
def test_sample_1d_does_not_mutate_inputs(method: str, edge: str) -> None:
    values = np.array([1.0, 4.0, 2.0, 8.0])
    x = np.array([0.5, 1.5, 3.2])
    before = (values.copy(), x.copy())
    interp1d.sample_1d(values, x, method=method, edge=edge)
    np.testing.assert_array_equal(values, before[0])
    np.testing.assert_array_equal(x, before[1])


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_sample_1d_dtypes(dtype: type) -> None:
    out = interp1d.sample_1d(np.array([0, 2, 4], dtype=dtype), [0.5])
    assert out.dtype == (np.float32 if dtype == np.float32 else np.float64)
    assert out.tolist() == [1.0]


def test_sample_1d_output_has_shape_of_x() -> None:
    out = interp1d.sample_1d([0.0, 1.0, 2.0], np.full((2, 3), 0.5))
    assert out.shape == (2, 3)
    assert interp1d.sample_1d([0.0, 1.0], 0.25).shape == ()


# --- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "x", "kwargs", "error", "match"),
    [
        ([1.0, np.nan], [0.5], {}, ValueError, "`values` must contain only finite"),
        ([1.0, np.inf], [0.5], {}, ValueError, "`values` must contain only finite"),
        ([1.0, 2.0], [np.nan], {}, ValueError, "`x` must contain only finite"),
        ([1.0, 2.0], [-np.inf], {}, ValueError, "`x` must contain only finite"),
        ([], [0.5], {}, ValueError, "`values` must have at least 1 element"),
        ([[1.0, 2.0]], [0.5], {}, ValueError, "`values` must be 1-D; got 2-D"),
        (["a", "b"], [0.5], {}, TypeError, "`values` must be a numeric array"),
        ("ab", [0.5], {}, TypeError, "`values` must be a numeric array"),
        ([1.0, 2.0], ["a"], {}, TypeError, "`x` must be a numeric array"),
        ([True, False], [0.5], {}, TypeError, "`values` must be a numeric array"),
        ([1.0, 2.0], [0.5], {"method": "cubc"}, ValueError, "`method` must be one of"),
        ([1.0, 2.0], [0.5], {"method": "bilinear"}, ValueError, "got 'bilinear'"),
        ([1.0, 2.0], [0.5], {"edge": "wrap"}, ValueError, "`edge` must be one of"),
        ([1.0, 2.0], [0.5], {"method": "cubic", "a": np.nan}, ValueError, "`a` must"),
        ([1.0, 2.0], [0.5], {"method": "cubic", "a": "x"}, TypeError, "`a` must"),
    ],
)
def test_sample_1d_rejects_bad_input(values, x, kwargs, error, match) -> None:
    with pytest.raises(error, match=match):
        interp1d.sample_1d(values, x, **kwargs)


def test_error_message_names_allowed_values_and_received_value() -> None:
    with pytest.raises(ValueError) as info:
        interp1d.sample_1d([1.0, 2.0], [0.5], method="cubc")
    message = str(info.value)
    assert "'nearest', 'linear', 'cubic'" in message
    assert "got 'cubc'" in message


@pytest.mark.parametrize("x", [-0.1, 4.5])
def test_linear_frame_rejects_positions_outside_signal(x: float) -> None:
    with pytest.raises(ValueError, match=r"`x` must lie in \[0, 4\]"):
        interp1d.linear_frame(x, [0.0, 1.0, 2.0, 3.0, 4.0])


def test_linear_frame_rejects_single_sample() -> None:
    with pytest.raises(ValueError, match="`values` must have at least 2"):
        interp1d.linear_frame(0.0, [1.0])


# ------------------------------------------------- extreme positions (any finite x)
@pytest.mark.parametrize("method", ["nearest", "linear", "cubic"])
@pytest.mark.parametrize("x", [1e17, 2.0**53 + 2, 1e19, 1e308])
def test_sample_1d_far_right_reads_end_sample_or_zero(method, x):
    values = [5.0, 1.0, 4.0, 9.0, 16.0]
    assert interp1d.sample_1d(values, [x], method=method).tolist() == [16.0]
    assert interp1d.sample_1d(values, [-x], method=method).tolist() == [5.0]
    assert interp1d.sample_1d(
        values, [x, -x], method=method, edge="zeros"
    ).tolist() == [
        0.0,
        0.0,
    ]


def test_tap_weights_refuses_positions_beyond_2_62():
    with pytest.raises(ValueError, match=r"`x` must lie within \+-2\*\*62"):
        interp1d.tap_weights([2.0**63])
    with pytest.raises(ValueError, match="`x`"):
        interp1d.nearest_index([-1e300])


def test_sample_1d_overflow_is_a_clear_error():
    with pytest.raises(ValueError, match="sample_1d overflowed"):
        interp1d.sample_1d([100.0, 1.0, 2.0], [0.5], method="cubic", a=1e308)
