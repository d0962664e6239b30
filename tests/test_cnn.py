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
    ("architecture", "size", "jump"),
    [
        ("small_rf", 22, 8),
        ("extra_1x1", 22, 8),
        ("extra_3x3", 54, 8),
        ("large_rf", 118, 8),
    ],
)
def test_receptive_field_hand_computed(architecture, size, jump):
    # small_rf: 1 +2 (conv) +1 (pool) +2*2 +1*2 +2*4 +1*4 = 22; the 1x1 adds 0.
    # extra_1x1 adds 0 + 0; extra_3x3 adds 2*8 + 2*8 = 32: 54.
    # large_rf: effective kernels 5 and 9 add (5-1)*8 + (9-1)*8 = 96: 118.
    rf = cnn.receptive_field(cnn.build_model(architecture))
    assert (rf["size"], rf["jump"]) == (size, jump)


def test_extra_architectures_are_equally_deep():
    def convs(model):
        return [m for m in model.trunk if isinstance(m, nn.Conv2d)]

    depths = {a: len(convs(cnn.build_model(a))) for a in cnn.ARCHITECTURES}
    assert depths == {"small_rf": 4, "extra_1x1": 6, "extra_3x3": 6, "large_rf": 6}
    kernels = [c.kernel_size[0] for c in convs(cnn.build_model("extra_1x1"))]
    assert kernels == [3, 3, 3, 1, 1, 1]
    for arch in ("extra_1x1", "extra_3x3", "large_rf"):
        model = cnn.build_model(arch, width=2).eval()
        assert model.trunk(torch.zeros(1, 1, 64, 64)).shape == (1, 4, 8, 8)


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
    assert cnn.classification_accuracy(m, x, y) == 1.0


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
    assert cnn.classification_accuracy(Fixed(), x, [1, 0, 0, 0]) == 0.75


def _bn_model_in_training_mode():
    model = cnn.build_model(width=2, seed=3)
    # give the batch norms statistics that differ from their defaults
    model.eval()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.fill_(0.3)
            m.running_var.fill_(2.0)
    return model.train()


def test_predict_uses_eval_mode_and_restores_the_mode():
    model = _bn_model_in_training_mode()
    state = {k: v.clone() for k, v in model.state_dict().items()}
    x, y, _ = make_phantoms(6, seed=2)
    logits = cnn.predict(model, x)
    assert model.training  # the caller's mode is back
    for k, v in model.state_dict().items():
        assert torch.equal(v, state[k]), f"{k} changed"
    with torch.no_grad():
        expected = model.eval()(torch.from_numpy(x)).double().numpy()
    np.testing.assert_allclose(logits, expected, rtol=1e-6, atol=1e-7)
    model.train()
    acc = cnn.classification_accuracy(model, x, y)
    assert model.training and acc == np.mean(expected.argmax(axis=1) == y)


def test_predict_is_independent_of_batch_size():
    model = _bn_model_in_training_mode()
    x, _, _ = make_phantoms(9, seed=4)
    one = cnn.predict(model, x, batch_size=1)
    np.testing.assert_allclose(
        cnn.predict(model, x, batch_size=256), one, rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(
        cnn.predict(model, x, batch_size=4), one, rtol=1e-5, atol=1e-6
    )


def test_predict_leaves_an_eval_model_in_eval_mode():
    model = cnn.build_model(width=2).eval()
    cnn.predict(model, np.zeros((1, 1, 16, 16)))
    assert not model.training


def test_train_model_recomputes_batch_norm_statistics():
    x, y, _ = make_phantoms(24, seed=1)
    model = cnn.train_model(0, images=x, labels=y, epochs=1, batch_size=8, width=2)
    # the first block's statistics are the mean over the training batches
    conv, bn = model.trunk[0], model.trunk[1]
    with torch.no_grad():
        batches = [conv(torch.from_numpy(x[b : b + 8])) for b in range(0, 24, 8)]
    means = torch.stack([t.mean(dim=(0, 2, 3)) for t in batches]).mean(dim=0)
    np.testing.assert_allclose(
        bn.running_mean.numpy(), means.numpy(), rtol=1e-4, atol=1e-6
    )
    assert bn.momentum == 0.1  # the layer's own setting is restored


# ------------------------------------------------------------- randomisation
@pytest.mark.parametrize("architecture", cnn.ARCHITECTURES)
def test_layer_groups_cover_every_weight_from_the_top(architecture):
    model = cnn.build_model(architecture, width=2)
    groups = cnn.layer_groups(model)
    n_blocks = 3 if architecture == "small_rf" else 5
    assert list(groups) == ["head", "mix"] + [
        f"block {b}" for b in range(n_blocks, 0, -1)
    ]
    named = [n for n in groups.values() for n in n]
    with_params = [
        n for n, m in model.named_modules() if list(m.parameters(recurse=False))
    ]
    assert sorted(named) == sorted(with_params)
    assert groups["block 1"] == ("trunk.0", "trunk.1")


def test_randomized_copy_changes_only_the_chosen_layers():
    x, y, _ = make_phantoms(16, seed=1)
    model = cnn.train_model(0, images=x, labels=y, epochs=1, batch_size=8, width=2)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    groups = cnn.layer_groups(model)
    new = cnn.randomized_copy(model, ["head", "mix", "block 3"], seed=5)
    changed = {n for g in ("head", "mix", "block 3") for n in groups[g]}
    for key, value in new.state_dict().items():
        module = key.rsplit(".", 1)[0]
        same = torch.equal(value, before[key])
        if module in changed and not key.endswith("num_batches_tracked"):
            assert not same, f"{key} was not re-initialised"
        elif module not in changed:
            assert same, f"{key} changed but its layer was not chosen"
    # the input model is untouched, in its mode
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key]), key
    assert not model.training and not new.training
    assert new is not model and new.trunk[0].weight is not model.trunk[0].weight
    # a re-initialised batch norm is back at mean 0, variance 1
    bn = new.trunk[9]
    assert torch.equal(bn.running_mean, torch.zeros_like(bn.running_mean))
    assert torch.equal(bn.running_var, torch.ones_like(bn.running_var))


def test_randomized_copy_is_seeded_and_leaves_global_rng_alone():
    model = cnn.build_model(width=2, seed=0)
    torch.manual_seed(11)
    expected = torch.rand(2)
    torch.manual_seed(11)
    a = cnn.randomized_copy(model, "head", seed=2)
    np.testing.assert_array_equal(torch.rand(2).numpy(), expected.numpy())
    b = cnn.randomized_copy(model, ["head"], seed=2)
    c = cnn.randomized_copy(model, ["head"], seed=3)
    assert torch.equal(a.head.weight, b.head.weight)
    assert not torch.equal(a.head.weight, c.head.weight)
    # weights come from torch's default initialisation: kaiming-uniform bound
    bound = 1 / np.sqrt(model.head.in_features)
    assert float(a.head.weight.detach().abs().max()) <= bound


def test_randomized_copy_keeps_training_mode():
    model = cnn.build_model(width=2).train()
    assert cnn.randomized_copy(model, "mix", seed=0).training


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
        (
            lambda: cnn.train_model(
                0, images=np.zeros((2, 1, 8, 8)), labels=[0.0, 1.0]
            ),
            TypeError,
            "`labels`",
        ),
        (lambda: cnn.train_model(0, epochs=0), ValueError, "`epochs`"),
        (lambda: cnn.train_model(0, lr=float("inf")), ValueError, "`lr`"),
        (lambda: cnn.train_model(0, lr=float("nan")), ValueError, "`lr`"),
        (lambda: cnn.train_model(0, lr=0.0), ValueError, "`lr`"),
        (lambda: cnn.train_model(0, lr=-1e-3), ValueError, "`lr`"),
        (lambda: cnn.train_model(0, lr="0.01"), TypeError, "`lr`"),
        (lambda: cnn.train_model(0, lr=None), TypeError, "`lr`"),
        (
            lambda: cnn.predict(cnn.build_model(), np.zeros((1, 64, 64))),
            ValueError,
            "`images`",
        ),
        (lambda: cnn.predict("model", np.zeros((1, 1, 8, 8))), TypeError, "`model`"),
        (
            lambda: cnn.classification_accuracy(
                cnn.build_model(width=2), np.zeros((2, 1, 16, 16)), ["a", "b"]
            ),
            TypeError,
            "`labels`",
        ),
        (
            lambda: cnn.classification_accuracy(
                cnn.build_model(width=2), np.zeros((2, 1, 16, 16)), [0, 2]
            ),
            ValueError,
            "`labels`",
        ),
        (
            lambda: cnn.classification_accuracy(
                cnn.build_model(width=2), np.zeros((2, 1, 16, 16)), [-1, 0]
            ),
            ValueError,
            "`labels`",
        ),
        (
            lambda: cnn.classification_accuracy(
                cnn.build_model(width=2), np.zeros((2, 1, 16, 16)), [0, 1, 1]
            ),
            ValueError,
            "`labels`",
        ),
        (
            lambda: cnn.randomized_copy(cnn.build_model(), ["head", "neck"], seed=0),
            ValueError,
            "`groups`",
        ),
        (
            lambda: cnn.randomized_copy(cnn.build_model(), [], seed=0),
            ValueError,
            "`groups`",
        ),
        (
            lambda: cnn.randomized_copy(cnn.build_model(), [1], seed=0),
            TypeError,
            "`groups`",
        ),
        (
            lambda: cnn.randomized_copy(nn.Linear(2, 2), "head", seed=0),
            TypeError,
            "`model`",
        ),
    ],
)
def test_cnn_rejects_bad_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
