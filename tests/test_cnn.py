"""Tests of lesson_utils.cnn (Chapter 6)."""

import numpy as np
import pytest
import torch
from torch import nn

from lesson_utils import cnn
from lesson_utils.phantoms import make_phantoms


def _same(tensors_a, tensors_b):
    """True if two sequences of tensors are bitwise equal, element by element."""
    return all(torch.equal(p, q) for p, q in zip(tensors_a, tensors_b, strict=True))


@pytest.mark.parametrize("architecture", cnn.ARCHITECTURES)
@pytest.mark.parametrize("width", [2, 8])
def test_build_model_output_and_target_shapes(architecture, width):
    model = cnn.build_model(architecture, width=width).eval()
    x = torch.zeros(3, 1, 64, 64)
    acts = {}
    handle = cnn.target_layer(model).register_forward_hook(
        lambda m, i, o: acts.setdefault("a", o)
    )
    try:
        assert model(x).shape == (3, 2)
    finally:
        handle.remove()
    assert acts["a"].shape == (3, 2 * width, 8, 8)


def test_build_model_same_seed_same_weights():
    a, b = cnn.build_model(seed=4), cnn.build_model(seed=4)
    c = cnn.build_model(seed=5)
    assert _same(a.parameters(), b.parameters())
    assert not _same(a.parameters(), c.parameters())


def test_build_model_does_not_touch_global_rng():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    cnn.build_model(seed=0)
    np.testing.assert_array_equal(torch.rand(3).numpy(), expected.numpy())


@pytest.mark.parametrize(
    ("architecture", "size", "jump"), [("small_rf", 22, 8), ("large_rf", 118, 8)]
)
def test_receptive_field_hand_computed(architecture, size, jump):
    # small_rf: 1 +2 (conv) +1 (pool) +2*2 +1*2 +2*4 +1*4 = 22; the 1x1 adds 0.
    # large_rf adds (5-1)*8 = 32 and (9-1)*8 = 64: 22 + 96 = 118.
    rf = cnn.receptive_field(cnn.build_model(architecture))
    assert (rf["size"], rf["jump"]) == (size, jump)


@pytest.mark.parametrize(
    ("layers", "size", "jump"),
    [
        ([nn.Conv2d(1, 1, 3)], 3, 1),
        ([nn.Conv2d(1, 1, 3), nn.MaxPool2d(2), nn.Conv2d(1, 1, 3)], 8, 2),
        ([nn.Conv2d(1, 1, 5, stride=2), nn.ReLU(), nn.AvgPool2d(2)], 7, 4),
        ([nn.Conv2d(1, 1, 3, dilation=3)], 7, 1),
    ],
)
def test_receptive_field_of_sequential_hand_computed(layers, size, jump):
    rf = cnn.receptive_field(nn.Sequential(*layers))
    assert (rf["size"], rf["jump"]) == (size, jump)


def test_receptive_field_matches_gradient_support():
    # the set of input pixels that influence one target cell, found by autograd,
    # spans at most the computed receptive field
    model = cnn.build_model("small_rf", width=2, seed=0).eval()
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(1, 1, 64, 64, generator=gen, requires_grad=True)
    a = model.trunk(x)
    a[0, :, 4, 4].sum().backward()
    rows = np.nonzero(x.grad[0, 0].abs().sum(axis=1).numpy())[0]
    span = rows.max() - rows.min() + 1
    assert span <= cnn.receptive_field(model)["size"]
    assert span > cnn.receptive_field(model)["size"] - 8


def test_train_model_bitwise_reproducible_on_small_budget():
    x, y, _ = make_phantoms(24, seed=1)
    kw = {"images": x, "labels": y, "epochs": 2, "batch_size": 8, "width": 4}
    m1 = cnn.train_model(7, **kw)
    m2 = cnn.train_model(7, **kw)
    m3 = cnn.train_model(8, **kw)
    assert _same(m1.parameters(), m2.parameters())
    assert _same(m1.buffers(), m2.buffers())
    assert not _same(m1.parameters(), m3.parameters())
    assert not m1.training and len(m1.loss_history) == 2


def test_train_model_restores_thread_count():
    before = torch.get_num_threads()
    x, y, _ = make_phantoms(8, seed=1)
    cnn.train_model(0, images=x, labels=y, epochs=1, width=2, threads=1)
    assert torch.get_num_threads() == before


def test_train_model_does_not_mutate_inputs():
    x, y, _ = make_phantoms(8, seed=1)
    x0, y0 = x.copy(), y.copy()
    cnn.train_model(0, images=x, labels=y, epochs=1, width=2)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)


def test_train_model_learns_a_separable_toy_problem():
    # bright images vs dark images: a few steps suffice
    rng = np.random.default_rng(0)
    y = np.arange(64) % 2
    x = (rng.normal(0, 0.05, (64, 1, 16, 16)) + y[:, None, None, None]).astype(
        np.float32
    )
    m = cnn.train_model(0, images=x, labels=y, epochs=10, batch_size=16, width=4)
    assert cnn.accuracy(m, x, y) == 1.0


def test_predict_equals_model_forward():
    model = cnn.build_model(seed=1).eval()
    x, _, _ = make_phantoms(3, seed=0)
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(cnn.predict(model, x, batch_size=2), expected, rtol=1e-6)


def test_accuracy_hand_computed():
    class Fixed(nn.Module):
        def forward(self, x):
            s = x.mean(dim=(1, 2, 3))
            return torch.stack([-s, s], dim=1)

    x = np.array([1.0, -1.0, 2.0, -3.0])[:, None, None, None] * np.ones((1, 1, 2, 2))
    assert cnn.accuracy(Fixed(), x, [1, 0, 0, 0]) == 0.75


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: cnn.build_model("huge_rf"), ValueError, "`architecture`"),
        (lambda: cnn.build_model(width=0), ValueError, "`width`"),
        (lambda: cnn.build_model(n_classes=1), ValueError, "`n_classes`"),
        (lambda: cnn.target_layer(nn.Linear(2, 2)), TypeError, "`model`"),
        (
            lambda: cnn.train_model(0, images=np.zeros((2, 3, 8, 8)), labels=[0, 1]),
            ValueError,
            "`images`",
        ),
        (
            lambda: cnn.train_model(0, images=np.zeros((2, 1, 8, 8))),
            ValueError,
            "`labels`",
        ),
        (
            lambda: cnn.train_model(0, images=np.zeros((2, 1, 8, 8)), labels=[0, 2]),
            ValueError,
            "`labels`",
        ),
        (lambda: cnn.train_model(0, epochs=0), ValueError, "`epochs`"),
        (
            lambda: cnn.predict(cnn.build_model(), np.zeros((1, 64, 64))),
            ValueError,
            "`images`",
        ),
    ],
)
def test_cnn_rejects_bad_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
