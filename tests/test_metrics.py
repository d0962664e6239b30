"""Tests of lesson_utils.metrics (Chapter 6)."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats
from torch import nn

from lesson_utils import metrics


# ------------------------------------------------------------------ localisation
def _grow_by_loops(mask, tolerance):
    """Reference dilation: OR of every shift within the square window."""
    h, w = mask.shape
    grown = np.zeros_like(mask)
    for r in range(h):
        for c in range(w):
            r0, r1 = max(r - tolerance, 0), min(r + tolerance, h - 1)
            c0, c1 = max(c - tolerance, 0), min(c + tolerance, w - 1)
            grown[r, c] = mask[r0 : r1 + 1, c0 : c1 + 1].any()
    return grown


def test_pointing_game_hand_computed_ties_and_tolerance():
    cam = np.array([[0, 0, 0, 0], [0, 2, 2, 0], [0, 0, 0, 0], [0, 0, 0, 1.0]])
    mask = np.zeros((4, 4), bool)
    mask[1, 1] = True
    # two tied maxima, one on the mask: expected hit rate 1/2 (np.argmax: 1)
    assert metrics.pointing_game(cam, mask).tolist() == [0.5]
    mask2 = np.zeros((4, 4), bool)
    mask2[3, 3] = True
    assert metrics.pointing_game(cam, mask2).tolist() == [0.0]
    assert metrics.pointing_game(cam, mask2, tolerance=1).tolist() == [0.0]
    # (1, 2) is within 2 rows and 1 column of (3, 3); (1, 1) is 2 columns away
    assert metrics.pointing_game(cam, mask2, tolerance=2).tolist() == [1.0]


def test_pointing_game_flat_map_scores_chance():
    mask = np.zeros((4, 4), bool)
    mask[:2, :1] = True
    assert metrics.pointing_game(np.zeros((4, 4)), mask).tolist() == [2 / 16]


@settings(max_examples=25, deadline=None)
@given(
    cam=hnp.arrays(np.float64, (2, 7, 9), elements=st.integers(0, 3).map(float)),
    mask=hnp.arrays(bool, (2, 7, 9)),
    tolerance=st.integers(0, 12),
)
def test_pointing_game_tolerance_equals_a_loop_over_the_window(cam, mask, tolerance):
    grown = np.stack([_grow_by_loops(m, tolerance) for m in mask])
    peak = cam == cam.max(axis=(1, 2), keepdims=True)
    expected = (peak & grown).sum(axis=(1, 2)) / peak.sum(axis=(1, 2))
    np.testing.assert_array_equal(
        metrics.pointing_game(cam, mask, tolerance=tolerance), expected
    )


def test_pointing_game_huge_tolerance_is_any_mask_pixel():
    cam = np.zeros((2, 64, 64))
    cam[:, 0, 0] = 1.0
    mask = np.zeros((2, 64, 64), bool)
    mask[0, 63, 63] = True  # image 1 has an empty mask
    assert metrics.pointing_game(cam, mask, tolerance=1000).tolist() == [1.0, 0.0]


def test_cam_iou_and_energy_hand_computed():
    cam = np.array([[[1.0, 0.8], [0.2, 0.0]]])
    mask = np.array([[[True, False], [True, False]]])
    # region >= 0.5 * 1.0 is the top row; intersection 1, union 3
    np.testing.assert_allclose(metrics.cam_iou(cam, mask), [1 / 3])
    np.testing.assert_allclose(metrics.energy_inside(cam, mask), [1.2 / 2.0])
    assert metrics.cam_iou(np.zeros((2, 2)), mask[0]).tolist() == [0.0]
    assert metrics.energy_inside(np.zeros((2, 2)), mask[0]).tolist() == [0.0]


@settings(max_examples=20, deadline=None)
@given(
    cam=hnp.arrays(np.float64, (2, 6, 6), elements=st.floats(0, 1)),
    mask=hnp.arrays(bool, (2, 6, 6)),
    scale=st.floats(0.1, 100),
)
def test_localisation_scores_bounded_and_scale_invariant(cam, mask, scale):
    for fn in (metrics.pointing_game, metrics.cam_iou, metrics.energy_inside):
        s = fn(cam, mask)
        assert s.shape == (2,) and np.all((s >= 0) & (s <= 1))
        np.testing.assert_allclose(fn(cam * scale, mask), s, atol=1e-12)
    p0 = metrics.pointing_game(cam, mask)
    p2 = metrics.pointing_game(cam, mask, tolerance=2)
    assert np.all(p2 >= p0)


def test_localisation_does_not_mutate_inputs():
    rng = np.random.default_rng(0)
    cam, mask = rng.random((2, 5, 5)), rng.random((2, 5, 5)) > 0.5
    cam0, mask0 = cam.copy(), mask.copy()
    metrics.pointing_game(cam, mask, tolerance=2)
    metrics.cam_iou(cam, mask)
    metrics.energy_inside(cam, mask)
    np.testing.assert_array_equal(cam, cam0)
    np.testing.assert_array_equal(mask, mask0)


# ------------------------------------------------------------------ bootstrap
def test_bootstrap_ci_contains_mean_and_is_reproducible():
    s = np.random.default_rng(0).uniform(0, 1, 200)
    low, high = metrics.bootstrap_ci(s, seed=1)
    assert low < s.mean() < high
    assert (low, high) == metrics.bootstrap_ci(s, seed=1)
    # the textbook normal interval: mean +- 1.96 sd / sqrt(n), to within 15 %
    half = 1.96 * s.std(ddof=1) / np.sqrt(s.size)
    assert abs((high - low) / 2 - half) < 0.15 * half


def test_bootstrap_ci_is_paired_across_rows():
    s = np.random.default_rng(0).uniform(0, 1, 50)
    low, high = metrics.bootstrap_ci(np.stack([s, s + 1.0]), seed=3)
    np.testing.assert_allclose(high - low, (high - low)[0])
    np.testing.assert_allclose(low[1] - low[0], 1.0)


def test_two_level_bootstrap_width_matches_the_additive_model():
    # score = model effect + image effect: the resampled grand mean is
    # mean(a[s*]) + mean(b[i*]), of variance var(a)/S + var(b)/n (population var)
    rng = np.random.default_rng(0)
    a = rng.normal(0, 0.1, 8)
    b = rng.normal(0, 0.3, 400)
    scores = a[:, None] + b[None, :]
    low, high = metrics.two_level_bootstrap_ci(scores, seed=0, n_boot=4000)
    sd = np.sqrt(a.var() / a.size + b.var() / b.size)
    assert abs((high - low) / (2 * 1.96) - sd) < 0.1 * sd
    # the images-only interval of the pooled scores misses the model variation
    low1, high1 = metrics.bootstrap_ci(scores.mean(axis=0), seed=0)
    assert high1 - low1 < 0.8 * (high - low)


def test_two_level_bootstrap_resamples_models():
    # identical images, models that differ: the interval is the models' own
    scores = np.repeat(np.array([[0.2], [0.4], [0.6], [0.8], [1.0]]), 30, axis=1)
    low, high = metrics.two_level_bootstrap_ci(scores, seed=1)
    assert 0.2 <= low < 0.6 < high <= 1.0
    assert high - low > 0.2


def test_two_level_bootstrap_is_paired_and_reproducible():
    s = np.random.default_rng(2).uniform(0, 1, (5, 40))
    low, high = metrics.two_level_bootstrap_ci(np.stack([s, s + 2.0]), seed=4)
    np.testing.assert_allclose(high[1] - low[1], high[0] - low[0])
    np.testing.assert_allclose(low[1] - low[0], 2.0)
    again = metrics.two_level_bootstrap_ci(s, seed=4)
    assert again == metrics.two_level_bootstrap_ci(s, seed=4)


# -------------------------------------------------------------- binomial
@pytest.mark.parametrize("method", ["clopper-pearson", "wilson"])
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
@pytest.mark.parametrize(
    ("k", "n"),
    [
        (0, 1),
        (1, 1),
        (0, 10),
        (3, 10),
        (10, 10),
        (0, 300),
        (300, 300),
        (150, 300),
        (1, 600),
        (599, 600),
        (37, 1500),
    ],
)
def test_binomial_ci_equals_scipy(k, n, level, method):
    scipy_method = "exact" if method == "clopper-pearson" else "wilson"
    expected = stats.binomtest(k, n).proportion_ci(level, method=scipy_method)
    low, high = metrics.binomial_ci(k, n, level=level, method=method)
    np.testing.assert_allclose([low, high], [expected.low, expected.high], atol=1e-9)
    assert 0.0 <= low < high <= 1.0


def test_binomial_ci_all_hits_has_the_closed_form():
    # P(X >= n | p) = p^n = 0.025 gives the lower bound of 300 of 300
    low, high = metrics.binomial_ci(300, 300)
    assert high == 1.0
    np.testing.assert_allclose(low, 0.025 ** (1 / 300), rtol=1e-12)
    assert round(low, 3) == 0.988


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 400), data=st.data())
def test_binomial_ci_contains_the_observed_proportion(n, data):
    k = data.draw(st.integers(0, n))
    low, high = metrics.binomial_ci(k, n)
    assert low <= k / n <= high and high > low
    w_low, w_high = metrics.binomial_ci(k, n, method="wilson")
    assert w_low <= k / n <= w_high
    # the exact interval is never narrower than needed: it contains Wilson's centre
    assert low <= (w_low + w_high) / 2 <= high


def test_score_interval_is_exact_for_all_hits_or_all_misses():
    ones = metrics.score_interval(np.ones((5, 300)), seed=0)
    assert ones.method == "clopper-pearson" and ones.mean == 1.0
    assert (ones.low, ones.high) == metrics.binomial_ci(300, 300)
    zeros = metrics.score_interval(np.zeros((5, 300)), seed=0)
    assert (zeros.low, zeros.high) == metrics.binomial_ci(0, 300)
    assert zeros.low == 0.0 < zeros.high
    mixed = np.ones((5, 300))
    mixed[2, 7] = 0.0
    result = metrics.score_interval(mixed, seed=0)
    assert result.method == "two-level bootstrap"
    np.testing.assert_allclose(
        (result.low, result.high),
        metrics.two_level_bootstrap_ci(mixed, seed=0),
    )


# ------------------------------------------------------------------ similarity
@settings(max_examples=30, deadline=None)
@given(
    a=hnp.arrays(np.float64, (5, 6), elements=st.integers(0, 4).map(float)),
    b=hnp.arrays(np.float64, (5, 6), elements=st.floats(-3, 3)),
)
def test_spearman_equals_scipy_with_ties(a, b):
    got = metrics.spearman(a, b)[0]
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        assert got == 0.0  # no ranking in a constant map (scipy: nan)
    else:
        expected = stats.spearmanr(a.ravel(), b.ravel()).statistic
        np.testing.assert_allclose(got, expected, atol=1e-12)


def test_spearman_hand_computed_and_invariant_to_monotone_maps():
    a = np.array([[[1.0, 2.0], [3.0, 4.0]], [[0.0, 0.0], [0.0, 0.0]]])
    b = np.array([[[2.0, 1.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]]])
    # ranks (1, 2, 3, 4) vs (2, 1, 3, 4): sum d^2 = 2, rho = 1 - 6*2/(4*15) = 0.8
    np.testing.assert_allclose(metrics.spearman(a, b), [0.8, 0.0])
    rng = np.random.default_rng(0)
    x, y = rng.random((3, 8, 8)), rng.random((3, 8, 8))
    np.testing.assert_allclose(
        metrics.spearman(np.exp(5 * x), 3 * y + 1), metrics.spearman(x, y)
    )


def _ssim_by_loops(x, y, window, data_range=1.0):
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    values = []
    for r in range(x.shape[0] - window + 1):
        for c in range(x.shape[1] - window + 1):
            px = x[r : r + window, c : c + window].ravel()
            py = y[r : r + window, c : c + window].ravel()
            cov = np.cov(px, py)  # divides by window**2 - 1
            num = (2 * px.mean() * py.mean() + c1) * (2 * cov[0, 1] + c2)
            den = (px.mean() ** 2 + py.mean() ** 2 + c1) * (cov[0, 0] + cov[1, 1] + c2)
            values.append(num / den)
    return np.mean(values)


@pytest.mark.parametrize("window", [2, 3, 7])
def test_ssim_equals_a_loop_over_windows(window):
    rng = np.random.default_rng(window)
    x, y = rng.random((2, 9, 11)), rng.random((2, 9, 11))
    y[1] = 0.7 * x[1] + 0.1  # related maps
    got = metrics.ssim(x, y, window=window)
    expected = [_ssim_by_loops(x[i], y[i], window) for i in range(2)]
    np.testing.assert_allclose(got, expected, rtol=1e-9)
    assert got[1] > got[0]


def test_ssim_hand_computed_single_window():
    # one 2 x 2 window: a = (0, 0, 1, 1), b = (0, 1, 0, 1): equal means 0.5, equal
    # variances 1/3, covariance 0, so SSIM = 1 * C2 / (2/3 + C2)
    a = np.array([[0.0, 0.0], [1.0, 1.0]])
    b = np.array([[0.0, 1.0], [0.0, 1.0]])
    c2 = 0.03**2
    np.testing.assert_allclose(metrics.ssim(a, b, window=2), [c2 / (2 / 3 + c2)])
    np.testing.assert_allclose(metrics.ssim(a, a, window=2), [1.0])
    np.testing.assert_allclose(
        metrics.ssim(np.zeros((4, 4)), np.zeros((4, 4)), window=3), [1.0]
    )


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (
            lambda: metrics.pointing_game(np.zeros((2, 2)), np.zeros((2, 2))),
            TypeError,
            "`mask`",
        ),
        (
            lambda: metrics.cam_iou(np.zeros((2, 2)), np.zeros((3, 2), bool)),
            ValueError,
            "`mask`",
        ),
        (
            lambda: metrics.cam_iou(
                np.zeros((2, 2)), np.zeros((2, 2), bool), threshold=0
            ),
            ValueError,
            "`threshold`",
        ),
        (
            lambda: metrics.pointing_game(
                np.zeros((2, 2)), np.zeros((2, 2), bool), tolerance=-1
            ),
            ValueError,
            "`tolerance`",
        ),
        (
            lambda: metrics.pointing_game(
                np.zeros((2, 2)), np.zeros((2, 2), bool), tolerance=1.5
            ),
            TypeError,
            "`tolerance`",
        ),
        (
            lambda: metrics.bootstrap_ci(np.zeros(4), seed=0, level=1.5),
            ValueError,
            "`level`",
        ),
        (
            lambda: metrics.bootstrap_ci(np.zeros((2, 2, 2)), seed=0),
            ValueError,
            "`scores`",
        ),
        (
            lambda: metrics.two_level_bootstrap_ci(np.zeros((1, 5)), seed=0),
            ValueError,
            "`scores`",
        ),
        (
            lambda: metrics.two_level_bootstrap_ci(np.zeros(5), seed=0),
            ValueError,
            "`scores`",
        ),
        (
            lambda: metrics.two_level_bootstrap_ci([[np.nan, 1.0], [0, 1]], seed=0),
            ValueError,
            "`scores`",
        ),
        (lambda: metrics.binomial_ci(5, 4), ValueError, "`successes`"),
        (lambda: metrics.binomial_ci(-1, 4), ValueError, "`successes`"),
        (lambda: metrics.binomial_ci(1, 0), ValueError, "`trials`"),
        (lambda: metrics.binomial_ci(1.5, 4), TypeError, "`successes`"),
        (lambda: metrics.binomial_ci(1, 4, level=1.0), ValueError, "`level`"),
        (lambda: metrics.binomial_ci(1, 4, method="exact"), ValueError, "`method`"),
        (lambda: metrics.score_interval(np.ones(5), seed=0), ValueError, "`scores`"),
        (
            lambda: metrics.spearman(np.zeros((2, 2)), np.zeros((2, 3))),
            ValueError,
            "`b`",
        ),
        (lambda: metrics.spearman("ab", np.zeros((2, 2))), TypeError, "`a`"),
        (
            lambda: metrics.ssim(np.zeros((4, 4)), np.zeros((4, 4)), window=5),
            ValueError,
            "`window`",
        ),
        (
            lambda: metrics.ssim(np.zeros((4, 4)), np.zeros((4, 4)), data_range=0),
            ValueError,
            "`data_range`",
        ),
    ],
)
def test_metrics_reject_bad_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# -------------------------------------------------------------------- deletion
def _pixel_weight_model(weights):
    """Logit 1 = sum of pixels times ``weights`` (H, W); logit 0 = 0."""
    h, w = weights.shape
    model = nn.Sequential(nn.Flatten(), nn.Linear(h * w, 2, bias=False))
    with torch.no_grad():
        model[1].weight.zero_()
        model[1].weight[1] = torch.from_numpy(weights.ravel().astype(np.float32))
    return model


def test_deletion_curve_hand_computed_logits():
    weights = np.array([[4.0, 3.0], [2.0, 1.0]])
    model = _pixel_weight_model(weights)
    x = np.ones((1, 1, 2, 2))
    saliency = np.array([[[0.1, 0.9], [0.5, 0.0]]])  # order: (0,1), (1,0), (0,0), (1,1)
    curve = metrics.deletion_curve(
        model,
        x,
        saliency,
        target_class=1,
        fractions=[0, 0.25, 0.5, 0.75, 1.0],
        output="logit",
    )
    np.testing.assert_allclose(curve, [[10.0, 7.0, 5.0, 1.0, 0.0]], atol=1e-6)
    prob = metrics.deletion_curve(
        model, x, saliency, target_class=1, fractions=[0, 1.0], baseline=0.5
    )
    # all pixels 0.5: logit 1 = 5, p = 1 / (1 + exp(-5))
    np.testing.assert_allclose(
        prob[0], [1 / (1 + np.exp(-10)), 1 / (1 + np.exp(-5))], rtol=1e-6
    )


def test_deletion_curve_breaks_ties_at_random_but_reproducibly():
    weights = np.arange(16.0).reshape(4, 4)
    model = _pixel_weight_model(weights)
    x = np.ones((1, 1, 4, 4))
    flat = np.zeros((1, 4, 4))  # every pixel tied
    kw = {"target_class": 1, "fractions": [0.25], "output": "logit"}
    runs = [
        metrics.deletion_curve(model, x, flat, seed=s, **kw)[0, 0] for s in range(6)
    ]
    assert len(set(np.round(runs, 4))) > 1  # different seeds, different orders
    again = metrics.deletion_curve(model, x, flat, seed=3, **kw)[0, 0]
    assert again == runs[3]
    # a row-major order would always delete the first row, logit 120 - 6 = 114
    assert not all(np.isclose(runs, 114.0))


def test_deletion_curve_leaves_model_and_inputs_untouched():
    model = nn.Sequential(
        nn.Conv2d(1, 2, 3, padding=1),
        nn.BatchNorm2d(2),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(2, 2),
    ).train()
    state = {k: v.clone() for k, v in model.state_dict().items()}
    rng = np.random.default_rng(0)
    x, sal = rng.random((3, 1, 6, 6)), rng.random((3, 6, 6))
    x0, sal0 = x.copy(), sal.copy()
    curve = metrics.deletion_curve(
        model, x, sal, target_class=0, fractions=np.linspace(0, 1, 5), batch_size=4
    )
    assert curve.shape == (3, 5) and np.all((curve >= 0) & (curve <= 1))
    assert model.training
    for k, v in model.state_dict().items():
        assert torch.equal(v, state[k]), k
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(sal, sal0)
    # fraction 0 is the model's own output on the intact images, in eval mode
    model.eval()
    with torch.no_grad():
        p = torch.softmax(model(torch.from_numpy(x.astype(np.float32))), 1)[:, 0]
    np.testing.assert_allclose(curve[:, 0], p.numpy(), rtol=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"model": "net"}, TypeError, "`model`"),
        ({"saliency": np.zeros((2, 4, 4))}, ValueError, "`saliency`"),
        ({"fractions": [0.5, 1.5]}, ValueError, "`fractions`"),
        ({"target_class": 2}, ValueError, "`target_class`"),
        ({"target_class": -1}, ValueError, "`target_class`"),
        ({"output": "softmax"}, ValueError, "`output`"),
        ({"images": np.zeros((1, 4, 4))}, ValueError, "`images`"),
    ],
)
def test_deletion_curve_rejects_bad_arguments(kwargs, exc, match):
    args = {
        "model": _pixel_weight_model(np.ones((4, 4))),
        "images": np.ones((1, 1, 4, 4)),
        "saliency": np.zeros((1, 4, 4)),
        "target_class": 1,
        "fractions": [0.0, 0.5],
    }
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        metrics.deletion_curve(**args)
