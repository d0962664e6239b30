"""Tests of lesson_utils.phantoms (Chapter 6)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lesson_utils.phantoms import LESION_RADIUS, make_phantoms


@pytest.mark.parametrize("n", [1, 2, 7])
@pytest.mark.parametrize("size", [16, 64])
def test_make_phantoms_shapes_and_dtypes(n, size):
    images, labels, masks = make_phantoms(n, seed=3, size=size)
    assert images.shape == (n, 1, size, size) and images.dtype == np.float32
    assert labels.shape == (n,) and labels.dtype == np.int64
    assert masks.shape == (n, size, size) and masks.dtype == bool


def test_make_phantoms_same_seed_same_arrays():
    a = make_phantoms(6, seed=11)
    b = make_phantoms(6, seed=11)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)


def test_make_phantoms_different_seed_different_images():
    a, _, _ = make_phantoms(4, seed=1)
    b, _, _ = make_phantoms(4, seed=2)
    assert not np.array_equal(a, b)


@settings(max_examples=10, deadline=None)
@given(n=st.integers(1, 12), seed=st.integers(0, 2**31))
def test_make_phantoms_masks_match_labels(n, seed):
    images, labels, masks = make_phantoms(n, seed=seed, size=32)
    assert labels.sum() == n // 2
    np.testing.assert_array_equal(masks.any(axis=(1, 2)), labels == 1)
    assert np.all(np.isfinite(images))


def test_make_phantoms_lesion_area_within_radius_bounds():
    _, labels, masks = make_phantoms(40, seed=0)
    areas = masks[labels == 1].sum(axis=(1, 2))
    r_min, r_max = LESION_RADIUS
    # a digital disc of radius r has about pi r^2 pixels (+- its perimeter)
    assert np.all(areas >= np.pi * r_min**2 - 2 * np.pi * r_min)
    assert np.all(areas <= np.pi * r_max**2 + 2 * np.pi * r_max)


def test_make_phantoms_lesion_is_bright_and_inside_head():
    images, labels, masks = make_phantoms(30, seed=5)
    # the head spans about 0.1 .. 0.9 of the image: no lesion reaches the border
    border = np.ones((64, 64), bool)
    border[4:-4, 4:-4] = False
    assert not (masks & border).any()
    for img, m in zip(images[labels == 1, 0], masks[labels == 1], strict=True):
        # the lesion's brightest pixels exceed the brain's typical level
        assert np.quantile(img[m], 0.9) > 0.75
        assert np.median(img[~m & (img > 0.2)]) < 0.6


def test_make_phantoms_background_corner_is_dark():
    images, _, _ = make_phantoms(10, seed=2)
    corners = images[:, 0, :4, :4]
    assert abs(float(corners.mean())) < 0.05


def test_make_phantoms_both_classes_have_bright_distractors():
    images, labels, masks = make_phantoms(20, seed=9)
    # bright pixels outside any lesion exist in class-0 images too
    bright = (images[:, 0] > 0.8) & ~masks
    assert bright[labels == 0].any(axis=(1, 2)).mean() > 0.5


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"n": 0, "seed": 0}, ValueError, "`n`"),
        ({"n": 2.5, "seed": 0}, TypeError, "`n`"),
        ({"n": 2, "seed": -1}, ValueError, "`seed`"),
        ({"n": 2, "seed": 0, "size": 8}, ValueError, "`size`"),
        ({"n": 2, "seed": "a"}, TypeError, "`seed`"),
    ],
)
def test_make_phantoms_rejects_bad_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        make_phantoms(**kwargs)
