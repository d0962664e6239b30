"""Tests of lesson_utils.accuracy: measured convergence orders and their fit."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lesson_utils import accuracy

SPACINGS = [1 / 16, 1 / 32, 1 / 64, 1 / 128, 1 / 256]


def smooth(x):
    return np.sin(2 * np.pi * x) + 0.5 * np.cos(3 * x)


@pytest.mark.parametrize(
    ("method", "a", "order"),
    [
        ("nearest", -0.5, 1),  # box reproduces constants only
        ("linear", -0.5, 2),  # triangle reproduces lines
        ("cubic", -0.5, 3),  # Keys a = -1/2 reproduces parabolas
        ("cubic", -0.75, 1),  # any other a reproduces constants only
        ("cubic", -1.0, 1),
    ],
)
def test_convergence_order_matches_theory(method, a, order):
    errors = [
        accuracy.interpolation_error(smooth, h, method=method, a=a, n_eval=801)
        for h in SPACINGS
    ]
    measured = accuracy.convergence_order(SPACINGS, errors)
    assert abs(measured - order) <= 0.3, measured


@pytest.mark.parametrize(
    ("method", "a", "degree"),
    [
        ("nearest", -0.5, 0),
        ("linear", -0.5, 1),
        ("cubic", -0.5, 2),
        ("cubic", -0.75, 0),
    ],
)
def test_interpolation_error_polynomial_reproduction(method, a, degree):
    def poly(p):
        return lambda x: (x + 0.3) ** p

    exact = accuracy.interpolation_error(poly(degree), 0.125, method=method, a=a)
    missed = accuracy.interpolation_error(poly(degree + 1), 0.125, method=method, a=a)
    assert exact < 1e-12
    assert missed > 1e-4


def test_interpolation_error_linear_hand_value():
    # f = x^2, h = 1/4, linear: max error h^2/8 * f'' = 1/64 at the midpoints
    e = accuracy.interpolation_error(lambda x: x**2, 0.25, method="linear", n_eval=5)
    assert e == pytest.approx(1 / 64, abs=1e-15)


def test_interpolation_error_matches_np_interp():
    h = 0.1
    x = np.linspace(0.25, 0.75, 101)
    grid = np.arange(11) * h
    expected = np.max(np.abs(np.interp(x, grid, np.cos(grid)) - np.cos(x)))
    got = accuracy.interpolation_error(np.cos, h, method="linear", n_eval=101)
    assert got == pytest.approx(expected, rel=1e-12)


@given(
    order=st.floats(0.5, 4.0),
    c=st.floats(0.01, 100.0),
    n=st.integers(2, 6),
)
@settings(max_examples=30, deadline=None)
def test_convergence_order_recovers_power_law(order, c, n):
    h = 0.5 ** np.arange(1, n + 1)
    assert accuracy.convergence_order(h, c * h**order) == pytest.approx(order)


def test_convergence_order_does_not_mutate():
    h = np.array([0.1, 0.05])
    e = np.array([0.01, 0.0025])
    accuracy.convergence_order(h, e)
    np.testing.assert_array_equal(h, [0.1, 0.05])
    np.testing.assert_array_equal(e, [0.01, 0.0025])


@pytest.mark.parametrize(
    ("h", "errors", "exc", "match"),
    [
        ([0.1, 0.05], [0.1, 0.2, 0.3], ValueError, "`errors` must have the shape"),
        ([0.1, -0.05], [0.1, 0.2], ValueError, "`h` must contain only positive"),
        ([0.1, 0.05], [0.1, 0.0], ValueError, "`errors` must contain only positive"),
        ([0.1, 0.1], [0.1, 0.2], ValueError, "`h` must contain at least two different"),
        ([0.1], [0.1], ValueError, "`h` must have at least 2"),
        ("h", [0.1], TypeError, "`h` must be a numeric array"),
    ],
)
def test_convergence_order_errors(h, errors, exc, match):
    with pytest.raises(exc, match=match):
        accuracy.convergence_order(h, errors)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"func": 3.0}, TypeError, "`func` must be a callable"),
        ({"h": 0.0}, ValueError, "`h` must be a positive spacing"),
        ({"h": 0.3}, ValueError, "`h` must divide the interval"),
        ({"h": np.nan}, ValueError, "`h` must be a finite real number"),
        ({"method": "bicubic"}, ValueError, "`method` must be one of 'nearest'"),
        ({"a": np.inf}, ValueError, "`a` must be a finite real number"),
        ({"interval": (1.0, 0.0)}, ValueError, "`interval` must have lo < hi"),
        ({"interval": (0.0, "1")}, TypeError, "`interval` must be two finite"),
        ({"n_eval": 1}, ValueError, "`n_eval` must be an integer >= 2"),
    ],
)
def test_interpolation_error_errors(kwargs, exc, match):
    args = {"func": np.sin, "h": 0.25} | kwargs
    func = args.pop("func")
    h = args.pop("h")
    with pytest.raises(exc, match=match):
        accuracy.interpolation_error(func, h, **args)
