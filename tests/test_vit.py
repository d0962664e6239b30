"""Tests of lesson_utils.vit (Chapter 8)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from lesson_utils import cnn, gradcam, resize, vit
from lesson_utils.phantoms import make_phantoms

# the trained model (about 35 s) is built once, by one worker
pytestmark = pytest.mark.xdist_group("vit")


def _same(tensors_a, tensors_b):
    """True if two sequences of tensors are bitwise equal, element by element."""
    return all(torch.equal(p, q) for p, q in zip(tensors_a, tensors_b, strict=True))


def _rollout_loop(attentions):
    """Attention rollout from its definition, one element at a time (no numpy maths)."""
    n_img, n_heads, t, _ = attentions[0].shape
    out = np.zeros((n_img, t, t))
    for n in range(n_img):
        r = [[float(i == j) for j in range(t)] for i in range(t)]
        for a in attentions:
            a_hat = []
            for i in range(t):
                row = [
                    0.5 * sum(a[n, g, i, j] for g in range(n_heads)) / n_heads
                    + 0.5 * (i == j)
                    for j in range(t)
                ]
                total = sum(row)
                a_hat.append([v / total for v in row])
            r = [
                [sum(a_hat[i][k] * r[k][j] for k in range(t)) for j in range(t)]
                for i in range(t)
            ]
        out[n] = r
    return out


def _random_stochastic(rng, shape, sparsity=0.0):
    a = rng.uniform(0, 1, shape)
    if sparsity:
        a = np.where(rng.uniform(0, 1, shape) < sparsity, 0.0, a)
    a[..., 0] += 1e-3  # no all-zero row
    return a / a.sum(axis=-1, keepdims=True)


@pytest.fixture(scope="module")
def small_model():
    return vit.build_vit(seed=0, image_size=32, patch_size=8, dim=16, depth=2, heads=2)


@pytest.fixture(scope="module")
def trained():
    """The chapter's model (seed 0, default budget) and held-out phantoms."""
    x, y, _ = make_phantoms(1000, seed=0)
    model = vit.train_vit(0, images=x, labels=y)
    xt, yt, mt = make_phantoms(300, seed=1)
    return model, xt, yt, mt


# ---------------------------------------------------------------------- patches
def test_patch_embedding_is_conv_relu_pool_per_patch_with_the_same_gradients():
    # the embedding pools before its ReLU (fewer values); the documented order is
    # conv -> ReLU -> max-pool on each patch: values and gradients must be the same
    torch.manual_seed(0)
    emb = vit.build_vit(seed=3).embed
    x = torch.randn(2, 1, 64, 64, requires_grad=True)
    out = emb(x)
    patches = vit.patchify(x.detach().numpy(), 8)  # (N, h w, C, P, P)
    xp = torch.from_numpy(patches).reshape(-1, 1, 8, 8).requires_grad_(True)
    f = emb.pool(torch.relu(emb.conv(xp)))
    ref = emb.norm(emb.linear(f.reshape(2, 64, -1)))
    assert torch.equal(out, ref)
    w = torch.randn_like(out)
    (g_out,) = torch.autograd.grad((out * w).sum(), emb.conv.weight)
    (g_ref,) = torch.autograd.grad((ref * w).sum(), emb.conv.weight)
    assert torch.equal(g_out, g_ref)


def test_patchify_hand_computed():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    expected = [[0, 1, 4, 5], [2, 3, 6, 7], [8, 9, 12, 13], [10, 11, 14, 15]]
    np.testing.assert_array_equal(vit.patchify(x, 2)[0], expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("c", "size", "p"), [(1, 16, 4), (3, 12, 6), (2, 8, 8)])
def test_patchify_matches_torch_unfold(dtype, c, size, p):
    x = np.random.default_rng(0).normal(size=(2, c, size, size)).astype(dtype)
    ours = vit.patchify(x, p)
    unfold = torch.nn.functional.unfold(torch.from_numpy(x), p, stride=p)
    np.testing.assert_array_equal(ours, unfold.transpose(1, 2).numpy())
    assert ours.dtype == dtype


def test_patchify_does_not_mutate():
    x = np.random.default_rng(1).normal(size=(1, 1, 8, 8))
    before = x.copy()
    out = vit.patchify(x, 4)
    out[...] = 0
    np.testing.assert_array_equal(x, before)


def test_patch_centres_are_the_mean_pixel_and_the_half_pixel_landing():
    for n, p in [(8, 8), (14, 16), (5, 3)]:
        centres = vit.patch_centres(n, p)
        pixels = np.arange(n * p).reshape(n, p)
        np.testing.assert_array_equal(centres, pixels.mean(axis=1))
        # the half-pixel mapping of Chapter 3 reads cell k exactly at that pixel
        source = resize.source_coordinates(n, n * p)
        landing = np.interp(np.arange(n), source, np.arange(n * p))
        np.testing.assert_allclose(landing, centres, atol=1e-12)


def test_token_depends_on_its_patch_only(small_model):
    # autograd: the input pixels that change token 1 + k are exactly patch k's
    model = small_model
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(1, 1, 32, 32, generator=gen, requires_grad=True)
    tokens = model.tokens(x)
    h, w = model.grid_shape
    p = model.patch_size
    for k in [0, 5, h * w - 1]:
        (g,) = torch.autograd.grad(
            tokens[0, 1 + k].square().sum(), x, retain_graph=True
        )
        support = g[0, 0].abs().numpy() > 0
        inside = np.zeros_like(support)
        r, c = divmod(k, w)
        inside[r * p : (r + 1) * p, c * p : (c + 1) * p] = True
        assert not (support & ~inside).any()
        assert support[inside].mean() > 0.5
    (g0,) = torch.autograd.grad(tokens[0, 0].sum(), x, allow_unused=True)
    assert g0 is None or float(g0.abs().max()) == 0.0  # CLS: no pixel at all


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: vit.patchify(np.zeros((1, 1, 10, 8)), 4), "`images`"),
        (lambda: vit.patchify(np.zeros((1, 10, 8)), 2), "`images`"),
        (lambda: vit.patchify(np.zeros((1, 1, 8, 8)), 0), "`patch_size`"),
        (lambda: vit.patch_centres(0, 8), "`n_patches`"),
        (lambda: vit.patch_centres(4, 2.5), "`patch_size`"),
    ],
)
def test_patch_helpers_reject_bad_input(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()


# ----------------------------------------------------------------------- model
def test_self_attention_matches_torch_multihead_attention():
    torch.manual_seed(0)
    ours = vit.SelfAttention(dim=12, heads=3)
    ref = nn.MultiheadAttention(12, 3, batch_first=True)
    with torch.no_grad():
        ref.in_proj_weight.copy_(ours.qkv.weight)
        ref.in_proj_bias.copy_(ours.qkv.bias)
        ref.out_proj.weight.copy_(ours.proj.weight)
        ref.out_proj.bias.copy_(ours.proj.bias)
    x = torch.randn(2, 7, 12)
    out, weights = ours(x)
    ref_out, ref_weights = ref(x, x, x, average_attn_weights=False)
    torch.testing.assert_close(out, ref_out, atol=1e-6, rtol=1e-5)
    torch.testing.assert_close(weights, ref_weights, atol=1e-6, rtol=1e-5)


def test_build_vit_shapes_and_seeds():
    model = vit.build_vit(seed=3)
    assert model.grid_shape == (8, 8) and model.n_tokens == 65
    assert model(torch.zeros(2, 1, 64, 64)).shape == (2, 2)
    assert _same(model.parameters(), vit.build_vit(seed=3).parameters())
    assert not _same(model.parameters(), vit.build_vit(seed=4).parameters())


def test_build_vit_does_not_touch_global_rng():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    vit.build_vit(seed=0)
    np.testing.assert_array_equal(torch.rand(3).numpy(), expected.numpy())


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"patch_size": 7, "image_size": 63}, ValueError, "`patch_size`"),
        ({"image_size": 60}, ValueError, "`image_size`"),
        ({"dim": 30, "heads": 4}, ValueError, "`dim`"),
        ({"depth": 0}, ValueError, "`depth`"),
        ({"heads": 2.0}, TypeError, "`heads`"),
        ({"seed": -1}, ValueError, "`seed`"),
    ],
)
def test_build_vit_rejects_bad_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        vit.build_vit(**kwargs)


def test_train_vit_bitwise_reproducible_on_small_budget():
    x, y, _ = make_phantoms(24, seed=1)
    kw = {"images": x, "labels": y, "epochs": 2, "batch_size": 8, "dim": 16}
    m1 = vit.train_vit(7, **kw)
    m2 = vit.train_vit(7, **kw)
    m3 = vit.train_vit(8, **kw)
    assert _same(m1.parameters(), m2.parameters())
    assert not _same(m1.parameters(), m3.parameters())
    assert not m1.training and len(m1.loss_history) == 2
    assert m1.training_seconds > 0


def test_train_vit_restores_threads_and_does_not_mutate_inputs():
    before = torch.get_num_threads()
    x, y, _ = make_phantoms(8, seed=1)
    x0, y0 = x.copy(), y.copy()
    vit.train_vit(0, images=x, labels=y, epochs=1, dim=8, heads=2, threads=1)
    assert torch.get_num_threads() == before
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"labels": None}, ValueError, "`labels`"),
        ({"labels": np.array([0, 1, 2, 0])}, ValueError, "`labels`"),
        ({"labels": np.zeros(3, int)}, ValueError, "`labels`"),
        ({"epochs": 0}, ValueError, "`epochs`"),
        ({"lr": -1.0}, ValueError, "`lr`"),
        ({"width": 4}, TypeError, "`width`"),
        ({"images": np.zeros((4, 3, 16, 16))}, ValueError, "`images`"),
    ],
)
def test_train_vit_rejects_bad_input(kwargs, exc, match):
    args = {"images": np.zeros((4, 1, 16, 16)), "labels": np.array([0, 1, 0, 1])}
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        vit.train_vit(0, epochs=args.pop("epochs", 1), **args)


def test_trained_model_is_accurate(trained):
    # the chapter's budget (determinism is tested above on a small budget, where a
    # second training run is cheap)
    model, xt, yt, _ = trained
    assert cnn.classification_accuracy(model, xt, yt) >= 0.95
    assert model.loss_history[-1] < 0.2


# ------------------------------------------------------------------- attention
def test_attention_weights_shapes_rows_and_no_mutation(small_model):
    model = small_model.train()
    state = {k: v.clone() for k, v in model.state_dict().items()}
    x = np.random.default_rng(0).uniform(size=(3, 1, 32, 32)).astype(np.float32)
    att = vit.attention_weights(model, x, batch_size=2)
    assert len(att) == 2
    for a in att:
        assert a.shape == (3, 2, 17, 17) and a.dtype == np.float64
        assert a.min() >= 0
        np.testing.assert_allclose(a.sum(axis=-1), 1.0, atol=1e-6)
    # the same as one forward pass, whatever the batch size
    with torch.no_grad():
        _, direct = model.eval().forward_with_attention(torch.from_numpy(x))
    for a, d in zip(att, direct, strict=True):
        np.testing.assert_allclose(a, d.double().numpy(), atol=1e-6)
    model.train()
    vit.attention_weights(model, x)
    assert model.training  # mode restored
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in state.items())


def test_trained_attention_rows_sum_to_one(trained):
    model, xt, _, _ = trained
    for a in vit.attention_weights(model, xt[:20]):
        np.testing.assert_allclose(a.sum(axis=-1), 1.0, atol=1e-6)


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (
            lambda m: vit.attention_weights(m, np.zeros((1, 1, 16, 16))),
            ValueError,
            "`images`",
        ),
        (
            lambda m: vit.attention_weights(m, np.zeros((1, 32, 32))),
            ValueError,
            "`images`",
        ),
        (
            lambda m: vit.attention_weights(m, np.zeros((1, 1, 32, 32)), batch_size=0),
            ValueError,
            "`batch_size`",
        ),
        (
            lambda m: vit.attention_weights(nn.Linear(2, 2), np.zeros((1, 1, 32, 32))),
            TypeError,
            "`model`",
        ),
    ],
)
def test_attention_weights_rejects_bad_input(small_model, call, exc, match):
    with pytest.raises(exc, match=match):
        call(small_model)


# --------------------------------------------------------------------- rollout
def test_rollout_hand_computed_two_tokens():
    uniform = np.full((1, 1, 2, 2), 0.5)
    # one layer: 0.5 * [[.5, .5], [.5, .5]] + 0.5 * I
    np.testing.assert_allclose(
        vit.attention_rollout([uniform])[0], [[0.75, 0.25], [0.25, 0.75]]
    )
    # two layers: the square of that
    np.testing.assert_allclose(
        vit.attention_rollout([uniform, uniform])[0], [[0.625, 0.375], [0.375, 0.625]]
    )


def test_rollout_multiplies_later_layers_on_the_left():
    a1 = np.array([[[[1.0, 0.0], [1.0, 0.0]]]])  # every token reads token 0
    a2 = np.array([[[[0.0, 1.0], [0.0, 1.0]]]])  # every token reads token 1
    hat1 = 0.5 * a1[0, 0] + 0.5 * np.eye(2)
    hat2 = 0.5 * a2[0, 0] + 0.5 * np.eye(2)
    r = vit.attention_rollout([a1, a2])[0]
    np.testing.assert_allclose(r, hat2 @ hat1)
    assert not np.allclose(r, hat1 @ hat2)  # the order matters here


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_layers=st.integers(1, 3),
    n_img=st.integers(1, 2),
    n_heads=st.integers(1, 3),
    t=st.integers(2, 6),
    sparsity=st.sampled_from([0.0, 0.5, 0.9]),
)
def test_rollout_equals_loop_from_the_definition(
    seed, n_layers, n_img, n_heads, t, sparsity
):
    rng = np.random.default_rng(seed)
    atts = [
        _random_stochastic(rng, (n_img, n_heads, t, t), sparsity)
        for _ in range(n_layers)
    ]
    before = [a.copy() for a in atts]
    r = vit.attention_rollout(atts)
    np.testing.assert_allclose(r, _rollout_loop(atts), atol=1e-12)
    np.testing.assert_allclose(r.sum(axis=-1), 1.0, atol=1e-12)  # rows sum to 1
    assert r.min() >= 0
    for a, b in zip(atts, before, strict=True):
        np.testing.assert_array_equal(a, b)  # inputs untouched
    # a 5-D array works as the list does
    np.testing.assert_array_equal(vit.attention_rollout(np.stack(atts)), r)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), t=st.integers(2, 6), where=st.integers(0, 2))
def test_rollout_identity_layer_changes_nothing(seed, t, where):
    rng = np.random.default_rng(seed)
    atts = [_random_stochastic(rng, (1, 2, t, t)) for _ in range(2)]
    eye = np.broadcast_to(np.eye(t), (1, 2, t, t)).copy()
    # a layer whose tokens attend only to themselves (zero attention to others)
    assert np.allclose(vit.attention_rollout([eye])[0], np.eye(t))
    with_eye = atts[:where] + [eye] + atts[where:]
    np.testing.assert_allclose(
        vit.attention_rollout(with_eye), vit.attention_rollout(atts), atol=1e-12
    )


@pytest.mark.parametrize(
    ("attentions", "exc", "match"),
    [
        ([], ValueError, "`attentions`"),
        ("abc", TypeError, "`attentions`"),
        ([np.full((1, 1, 2, 2), 0.4)], ValueError, r"`attentions\[0\]`"),
        (
            [np.full((1, 1, 2, 2), 0.5), np.full((1, 1, 3, 3), 1 / 3)],
            ValueError,
            r"`attentions\[1\]`",
        ),
        ([np.full((1, 2, 2), 0.5)], ValueError, r"`attentions\[0\]`"),
        ([np.full((1, 1, 2, 3), 0.5)], ValueError, r"`attentions\[0\]`"),
        ([np.array([[[[1.5, -0.5], [0.5, 0.5]]]])], ValueError, r"`attentions\[0\]`"),
        ([np.full((1, 1, 2, 2), np.nan)], ValueError, r"`attentions\[0\]`"),
    ],
)
def test_rollout_rejects_bad_input(attentions, exc, match):
    with pytest.raises(exc, match=match):
        vit.attention_rollout(attentions)


def test_cls_map_hand_computed_and_errors():
    m = np.zeros((2, 5, 5))
    m[1, 0] = [0.2, 0.1, 0.3, 0.0, 0.4]
    np.testing.assert_array_equal(vit.cls_map(m, (2, 2))[1], [[0.1, 0.3], [0.0, 0.4]])
    assert vit.cls_map(np.zeros((3, 2, 5, 5)), (2, 2)).shape == (3, 2, 2, 2)
    with pytest.raises(ValueError, match="`matrix`"):
        vit.cls_map(np.zeros((6, 6)), (2, 2))
    with pytest.raises(ValueError, match="`grid_shape`"):
        vit.cls_map(np.zeros((5, 5)), (2, 2, 1))


# -------------------------------------------------------------------- Grad-CAM
def test_grad_cam_tokens_from_scratch(small_model):
    model = small_model.eval()
    rng = np.random.default_rng(2)
    x = rng.uniform(size=(2, 1, 32, 32)).astype(np.float32)
    parts = vit.grad_cam_tokens(model, x, 1)
    # from scratch: run the blocks by hand and differentiate w.r.t. the last norm1
    xt = torch.from_numpy(x)
    z = model.tokens(xt)
    z, _ = model.blocks[0](z)
    last = model.blocks[1]
    a = last.norm1(z)
    y, _ = last.attn(a)
    z2 = z + y
    z2 = z2 + last.mlp(last.norm2(z2))
    score = model.head(model.norm(z2[:, 0]))[:, 1].sum()
    (g,) = torch.autograd.grad(score, a)
    h, w = model.grid_shape
    acts = a.detach()[:, 1:].double().numpy().transpose(0, 2, 1).reshape(2, -1, h, w)
    grads = g[:, 1:].double().numpy().transpose(0, 2, 1).reshape(2, -1, h, w)
    alpha = grads.mean(axis=(2, 3))
    cam = np.maximum(np.einsum("nk,nkij->nij", alpha, acts), 0)
    np.testing.assert_allclose(parts["activations"], acts, atol=1e-6)
    np.testing.assert_allclose(parts["gradients"], grads, atol=1e-8)
    np.testing.assert_allclose(parts["alpha"], alpha, atol=1e-8)
    np.testing.assert_allclose(parts["cam"], cam, atol=1e-7)
    assert np.abs(grads).max() > 0  # the patch tokens do reach the score here


def test_last_block_output_patch_tokens_get_no_gradient(small_model):
    model = small_model.eval()
    x = torch.rand(1, 1, 32, 32, generator=torch.Generator().manual_seed(0))
    z = model.tokens(x)
    for block in model.blocks:
        z, _ = block(z)
    score = model.head(model.norm(z[:, 0]))[0, 1]
    (g,) = torch.autograd.grad(score, z)
    assert float(g[0, 1:].abs().max()) == 0.0
    assert float(g[0, 0].abs().max()) > 0.0


def test_grad_cam_tokens_removes_hooks_and_leaves_model(small_model):
    model = small_model.train()
    state = {k: v.clone() for k, v in model.state_dict().items()}
    x = np.zeros((2, 1, 32, 32))
    vit.grad_cam_tokens(model, x, [0, 1], block=0)
    with pytest.raises(ValueError, match="`target_class`"):
        vit.grad_cam_tokens(model, x, 5)
    for block in model.blocks:
        assert len(block.norm1._forward_hooks) == 0
    assert model.training
    assert all(p.grad is None for p in model.parameters())
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in state.items())


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"block": 2}, ValueError, "`block`"),
        ({"block": 1.0}, TypeError, "`block`"),
        ({"target_class": 1.5}, TypeError, "`target_class`"),
        ({"target_class": [0, 1, 0]}, ValueError, "`target_class`"),
        ({"images": np.zeros((2, 1, 64, 64))}, ValueError, "`images`"),
    ],
)
def test_grad_cam_tokens_rejects_bad_input(small_model, kwargs, exc, match):
    args = {"images": np.zeros((2, 1, 32, 32)), "target_class": 1}
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        vit.grad_cam_tokens(small_model, **args)


def test_grad_cam_tokens_agrees_with_gradcam_module_on_a_grid_layer(small_model):
    # the same numbers through lesson_utils.gradcam.grad_cam, given a module that
    # exposes the last norm1's patch tokens as (N, D, h, w) feature maps
    model = small_model.eval()
    h, w = model.grid_shape

    class Grid(nn.Module):
        def forward(self, tokens):
            n, t, d = tokens.shape
            return tokens[:, 1:].transpose(1, 2).reshape(n, d, h, w)

    class Wrapped(nn.Module):
        def __init__(self):
            super().__init__()
            self.vit = model
            self.grid = Grid()

        def forward(self, x):
            saved = {}

            def hook(m, i, o):
                saved["grid"] = self.grid(o)
                cls = o[:, :1]
                return torch.cat([cls, saved["grid"].flatten(2).transpose(1, 2)], dim=1)

            handle = model.blocks[-1].norm1.register_forward_hook(hook)
            try:
                return model(x)
            finally:
                handle.remove()

    wrapped = Wrapped().eval()
    x = np.random.default_rng(3).uniform(size=(2, 1, 32, 32)).astype(np.float32)
    ours = vit.grad_cam_tokens(model, x, 1)["cam"]
    theirs = gradcam.grad_cam(wrapped, wrapped.grid, x, 1)
    np.testing.assert_allclose(ours, theirs, atol=1e-6)


# ------------------------------------------------------------ randomised copy
def test_randomized_copy_keeps_only_what_it_says(small_model):
    model = small_model
    state = {k: v.clone() for k, v in model.state_dict().items()}
    keep = vit.randomized_copy(model, seed=9)
    fresh = vit.build_vit(9, **model.config)
    assert _same(keep.embed.parameters(), model.embed.parameters())
    assert torch.equal(keep.pos_embed, model.pos_embed)
    assert torch.equal(keep.cls_token, model.cls_token)
    assert _same(keep.blocks.parameters(), fresh.blocks.parameters())
    assert _same(keep.head.parameters(), fresh.head.parameters())
    everything = vit.randomized_copy(model, seed=9, keep_embeddings=False)
    assert _same(everything.parameters(), fresh.parameters())
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in state.items())
    with pytest.raises(TypeError, match="`keep_embeddings`"):
        vit.randomized_copy(model, seed=1, keep_embeddings=1)
    with pytest.raises(TypeError, match="`model`"):
        vit.randomized_copy(nn.Linear(2, 2), seed=1)


# ---------------------------------------------------------------- widget frame
def test_attention_frame_choices():
    rng = np.random.default_rng(4)
    atts = [_random_stochastic(rng, (3, 2, 5, 5)) for _ in range(2)]
    f = vit.attention_frame(atts, 1, layer=2, head=1, image_size=8)
    np.testing.assert_allclose(f["grid"], atts[1][1, 1, 0, 1:].reshape(2, 2))
    f = vit.attention_frame(atts, 1, layer=2, head=None, image_size=8)
    np.testing.assert_allclose(f["grid"], atts[1][1].mean(axis=0)[0, 1:].reshape(2, 2))
    f = vit.attention_frame(atts, 2, layer=1, kind="rollout", image_size=8)
    rollout = vit.attention_rollout([atts[0][2:]])
    np.testing.assert_allclose(f["grid"], vit.cls_map(rollout, (2, 2))[0])
    f = vit.attention_frame(atts, 0, layer=2, upsampling="nearest", image_size=8)
    np.testing.assert_allclose(f["upsampled"], np.kron(f["grid"], np.ones((4, 4))))
    assert f["peak_cell"] == np.unravel_index(np.argmax(f["grid"]), (2, 2))


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"index": 3}, ValueError, "`index`"),
        ({"index": 1.0}, TypeError, "`index`"),
        ({"layer": 0}, ValueError, "`layer`"),
        ({"layer": 3}, ValueError, "`layer`"),
        ({"head": 2}, ValueError, "`head`"),
        ({"kind": "flow"}, ValueError, "`kind`"),
        ({"upsampling": "cubic"}, ValueError, "`upsampling`"),
    ],
)
def test_attention_frame_rejects_bad_controls(kwargs, exc, match):
    atts = [np.full((3, 2, 5, 5), 0.2)] * 2
    args = {"index": 0, "layer": 1}
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        vit.attention_frame(atts, **args)
