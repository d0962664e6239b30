"""The validators, and the index dtype on a simulated 32-bit platform."""

from __future__ import annotations

import numpy as np
import pytest

from lesson_utils import interp1d, interp2d, resize, stn
from lesson_utils._validate import check_choice, check_class_indices, check_shape


def test_check_choice_returns_the_allowed_string():
    assert check_choice("b", "method", ("a", "b")) == "b"
    with pytest.raises(ValueError, match="`method` must be one of 'a', 'b'; got 'c'"):
        check_choice("c", "method", ("a", "b"))


@pytest.mark.parametrize("value", [(3, 4), [3, 4], np.array([3, 4])])
def test_check_shape_accepts_ordered_sequences(value):
    assert check_shape(value, "output_shape", length=2) == (3, 4)


@pytest.mark.parametrize("value", [{3, 4}, {3: 0, 4: 0}, "34", 34])
def test_check_shape_rejects_unordered_or_scalar(value):
    with pytest.raises(TypeError, match="`output_shape` must be a tuple of 2"):
        check_shape(value, "output_shape", length=2)


def test_check_class_indices_broadcasts_an_integer_and_keeps_an_array():
    assert check_class_indices(1, "target_class", 3).tolist() == [1, 1, 1]
    got = check_class_indices(np.array([0, 2], dtype=np.int8), "c", 2, n_classes=3)
    assert got.dtype == np.int64 and got.tolist() == [0, 2]


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (0.5, TypeError, r"`target_class` must be an integer or an array of N integer"),
        (True, TypeError, r"`target_class` must be an integer .*; got True"),
        (
            [0, 1, 1],
            ValueError,
            r"`target_class` must be .* shape \(2,\); got shape \(3,\)",
        ),
        (2, ValueError, r"`target_class` must lie in 0 \.\. 1; got 2"),
        ([0, -1], ValueError, r"`target_class` must lie in 0 \.\. 1; got \[0, -1\]"),
    ],
)
def test_check_class_indices_names_the_parameter_the_rule_and_the_value(
    value, error, message
):
    with pytest.raises(error, match=message):
        check_class_indices(value, "target_class", 2, n_classes=2)


@pytest.fixture
def platform_32bit(monkeypatch):
    """numpy as on wasm32 or 32-bit ARM: np.intp is int32 and np.take casts safely.

    On those platforms ``np.take`` refuses int64 indices ("Cannot cast array data
    from int64 to int32 according to the rule 'safe'"); here its indices must be
    castable to int32 safely, and code that builds indices with ``np.intp`` gets
    int32 arrays, as it would there.
    """
    real_take = np.take
    seen: list[np.dtype] = []

    def take(a, indices, *args, **kwargs):
        idx = np.asarray(indices)
        seen.append(idx.dtype)
        if not np.can_cast(idx.dtype, np.int32, "safe"):
            raise TypeError(
                f"Cannot cast array data from {idx.dtype} to int32 according to "
                "the rule 'safe'"
            )
        return real_take(a, indices, *args, **kwargs)

    monkeypatch.setattr(np, "intp", np.int32)
    monkeypatch.setattr(np, "take", take)
    resize._plan.cache_clear()  # plans cached earlier hold 64-bit indices
    yield seen
    resize._plan.cache_clear()


def test_nearest_paths_work_with_32_bit_indices(platform_32bit):
    rng = np.random.default_rng(0)
    image = rng.random((7, 9))
    for antialias in (False, True):
        for shape in ((3, 4), (16, 20), (7, 9)):
            resize.resize(image, shape, method="nearest", antialias=antialias)
    resize.resize(image, (40, 2), method="bilinear")  # the gather strategy
    interp2d.sample_2d(image, [0.4, 5.5], [3.2, 8.0], method="nearest")
    stn.grid_sample(image, rng.uniform(-1, 1, (5, 6, 2)), method="nearest")
    assert platform_32bit, "np.take was never called: the simulation tests nothing"
    assert all(np.can_cast(d, np.int32, "safe") for d in platform_32bit)


def test_public_index_arrays_have_dtype_intp(platform_32bit):
    x = np.array([0.2, 1.5, 2.7])
    i0, i1, _, _ = interp1d.linear_weights(x)
    assert i0.dtype == i1.dtype == np.int32
    assert interp1d.nearest_index(x).dtype == np.int32
    for method in ("nearest", "linear", "cubic"):
        assert interp1d.tap_weights(x, method=method)[0].dtype == np.int32
    rows, cols, _ = interp2d.bilinear_weights(x, x)
    assert rows.dtype == cols.dtype == np.int32
    for method in ("nearest", "bilinear", "bicubic"):
        for antialias in (False, True):
            idx, _ = resize.axis_taps(9, 4, method=method, antialias=antialias)
            assert idx.dtype == np.int32, (method, antialias)


def test_as_float_array_copy_false_returns_the_array_itself_only_when_it_can():
    from lesson_utils._validate import as_float_array

    a32 = np.arange(6, dtype=np.float32).reshape(2, 3)
    assert as_float_array(a32, "a") is not a32  # the default: always a copy
    assert as_float_array(a32, "a", copy=False) is a32
    a64 = np.arange(6.0)
    assert as_float_array(a64, "a", copy=False) is a64
    # another dtype: converted, the caller's array untouched
    ints = np.arange(6)
    got = as_float_array(ints, "a", copy=False)
    assert got.dtype == np.float64 and got is not ints
    got = as_float_array(a32, "a", copy=False, dtype=np.float64)
    assert got.dtype == np.float64 and not np.shares_memory(got, a32)
    # and it still checks
    with pytest.raises(ValueError, match="`a` must contain only finite numbers"):
        as_float_array(np.array([1.0, np.inf]), "a", copy=False)
