"""Tests of lesson_utils.gradcam (Chapter 6)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from captum.attr import LayerGradCam
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from torch import nn

from lesson_utils import gradcam
from lesson_utils.cnn import build_model, target_layer
from lesson_utils.phantoms import make_phantoms


def _tiny_model(seed=0):
    """conv -> ReLU (target) -> GAP -> linear: 3 classes, 4 channels, 6 x 6 maps."""
    gen = torch.Generator().manual_seed(seed)
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(4, 3),
    )
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen))
    return model.eval()


def _tiny_images(n=3, seed=1):
    return np.random.default_rng(seed).normal(size=(n, 1, 6, 6)).astype(np.float32)


def _nonlinear_head_model(seed=0):
    """A head that is not GAP + linear, so the gradient varies across cells."""
    gen = torch.Generator().manual_seed(seed)
    model = nn.Sequential(
        nn.Conv2d(1, 3, 3, padding=1),
        nn.Tanh(),
        nn.Conv2d(3, 3, 3, padding=1),
        nn.Flatten(),
        nn.Linear(3 * 6 * 6, 8),
        nn.Tanh(),
        nn.Linear(8, 2),
    )
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(0.5 * torch.randn(p.shape, generator=gen))
    return model.eval()


# ------------------------------------------------------------ hand-computed steps
def test_channel_weights_hand_computed():
    g = np.array([[[1.0, 2.0], [3.0, 6.0]], [[-4.0, 0.0], [0.0, 0.0]]])
    np.testing.assert_array_equal(gradcam.channel_weights(g), [3.0, -1.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_channel_weights_and_weighted_sum_keep_dtype(dtype):
    a = np.ones((2, 3, 4, 4), dtype=dtype)
    alpha = gradcam.channel_weights(a)
    assert alpha.dtype == dtype and alpha.shape == (2, 3)
    assert gradcam.weighted_sum(a, alpha).dtype == dtype


def test_weighted_sum_hand_computed():
    a = np.array([[[1.0, 2.0]], [[3.0, -1.0]]])  # K=2, 1 x 2
    np.testing.assert_allclose(gradcam.weighted_sum(a, [2.0, -1.0]), [[0.0, 5.0]])
    np.testing.assert_allclose(
        gradcam.weighted_sum(a, [2.0, -1.0], relu=False), [[-1.0, 5.0]]
    )


@settings(max_examples=20, deadline=None)
@given(
    acts=hnp.arrays(np.float64, (3, 4, 5), elements=st.floats(-5, 5)),
    alpha=hnp.arrays(np.float64, 3, elements=st.floats(-2, 2)),
    scale=st.floats(0.01, 100),
)
def test_weighted_sum_invariants(acts, alpha, scale):
    acts0, alpha0 = acts.copy(), alpha.copy()
    cam = gradcam.weighted_sum(acts, alpha)
    signed = gradcam.weighted_sum(acts, alpha, relu=False)
    np.testing.assert_array_equal(acts, acts0)  # inputs not mutated
    np.testing.assert_array_equal(alpha, alpha0)
    assert cam.shape == (4, 5) and np.all(cam >= 0)
    np.testing.assert_allclose(cam, np.maximum(signed, 0))
    np.testing.assert_allclose(signed, np.tensordot(alpha, acts, axes=1), atol=1e-9)
    # positive rescaling of the weights rescales the map (normalised maps unchanged)
    np.testing.assert_allclose(
        gradcam.weighted_sum(acts, scale * alpha), scale * cam, rtol=1e-9, atol=1e-9
    )
    # the mean of constant gradients is that constant
    np.testing.assert_allclose(
        gradcam.channel_weights(np.broadcast_to(alpha[:, None, None], acts.shape)),
        alpha,
    )


# ----------------------------------------------------- against autograd and Captum
@pytest.mark.parametrize("make_model", [_tiny_model, _nonlinear_head_model])
@pytest.mark.parametrize("target_class", [0, 1])
def test_grad_cam_matches_autograd_on_stored_activation(make_model, target_class):
    model = make_model()
    x = torch.from_numpy(_tiny_images())
    layer = model[1]
    act = layer(model[0](x))
    rest = model[2:]
    grads = torch.autograd.grad(rest(act)[:, target_class].sum(), act)[0]
    alpha = grads.mean(dim=(2, 3), keepdim=True)
    expected = torch.relu((alpha * act).sum(1)).detach().numpy()
    got = gradcam.grad_cam(model, layer, x, target_class)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("make_model", [_tiny_model, _nonlinear_head_model])
def test_grad_cam_matches_captum_layer_grad_cam(make_model):
    model = make_model()
    x = _tiny_images(4)
    classes = np.array([0, 1, 1, 0])
    captum = LayerGradCam(model, model[1]).attribute(
        torch.from_numpy(x), target=torch.from_numpy(classes), relu_attributions=True
    )
    got = gradcam.grad_cam(model, model[1], x, classes)
    np.testing.assert_allclose(got, captum[:, 0].detach().numpy(), atol=1e-5)


def test_grad_cam_equals_cam_over_z_for_gap_linear_head():
    model = build_model(width=2, seed=3).eval()
    x, _, _ = make_phantoms(3, seed=0)
    layer = target_layer(model)
    parts = gradcam.grad_cam_parts(model, layer, x, 1)
    a = parts["activations"]
    w = model.head.weight.detach().numpy()[1]
    z = a.shape[-1] * a.shape[-2]
    cam = np.maximum(np.einsum("k,nkij->nij", w, a), 0)
    np.testing.assert_allclose(
        parts["alpha"], np.broadcast_to(w / z, (3, 4)), rtol=1e-5
    )
    np.testing.assert_allclose(parts["cam"], cam / z, rtol=1e-4, atol=1e-7)


def test_grad_cam_parts_logits_are_pre_softmax_scores():
    model = _tiny_model()
    x = _tiny_images()
    parts = gradcam.grad_cam_parts(model, model[1], x, 2)
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(parts["logits"], expected, rtol=1e-6)
    assert parts["activations"].dtype == np.float32


def test_grad_cam_float64_images_give_float64():
    model = _tiny_model()
    cam = gradcam.grad_cam(model, model[1], _tiny_images().astype(np.float64), 0)
    assert cam.dtype == np.float64 and cam.shape == (3, 6, 6)


def test_grad_cam_per_image_classes_equal_separate_calls():
    model = _nonlinear_head_model()
    x = _tiny_images(2)
    both = gradcam.grad_cam(model, model[1], x, [1, 0])
    one = gradcam.grad_cam(model, model[1], x[:1], 1)[0]
    other = gradcam.grad_cam(model, model[1], x[1:], 0)[0]
    # float32 batches of different sizes may sum in a different order: 1e-5
    np.testing.assert_allclose(both[0], one, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(both[1], other, rtol=1e-5, atol=1e-8)


# ------------------------------------------------------------- side effects, hooks
def test_grad_cam_leaves_model_and_inputs_untouched():
    model = _tiny_model().train()
    x = _tiny_images()
    x0 = x.copy()
    gradcam.grad_cam(model, model[1], x, 0)
    assert model.training
    assert all(p.grad is None for p in model.parameters())
    assert not model[1]._forward_hooks
    np.testing.assert_array_equal(x, x0)


def test_grad_cam_works_with_frozen_parameters():
    model = _tiny_model()
    for p in model.parameters():
        p.requires_grad_(False)
    cam = gradcam.grad_cam(model, model[1], _tiny_images(), 0)
    model2 = _tiny_model()
    np.testing.assert_allclose(
        cam, gradcam.grad_cam(model2, model2[1], _tiny_images(), 0)
    )


def test_grad_cam_removes_hooks_after_an_exception():
    model = _tiny_model()
    with pytest.raises(ValueError, match="`target_class`"):
        gradcam.grad_cam(model, model[1], _tiny_images(), 3)
    assert not model[1]._forward_hooks

    class Broken(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = nn.ReLU()

        def forward(self, x):
            self.layer(x)
            raise RuntimeError("boom")

    broken = Broken()
    with pytest.raises(RuntimeError, match="boom"):
        gradcam.grad_cam(broken, broken.layer, _tiny_images(), 0)
    assert not broken.layer._forward_hooks


def test_capture_removes_hook_when_block_raises():
    model = _tiny_model()
    with pytest.raises(KeyError), gradcam.capture(model, model[1]) as cap:
        model(torch.from_numpy(_tiny_images()))
        assert cap.activations is not None and cap.calls == 1
        raise KeyError("inside")
    assert not model[1]._forward_hooks


@pytest.mark.parametrize(
    ("args", "exc", "match"),
    [
        ((np.zeros((1, 6, 6)), 0), ValueError, "`images`"),
        ((np.zeros((1, 1, 6, 6)), 3), ValueError, "`target_class`"),
        ((np.zeros((1, 1, 6, 6)), -1), ValueError, "`target_class`"),
        ((np.zeros((1, 1, 6, 6)), 0.5), TypeError, "`target_class`"),
        ((np.zeros((2, 1, 6, 6)), [0, 1, 1]), ValueError, "`target_class`"),
        ((np.full((1, 1, 6, 6), np.nan), 0), ValueError, "`images`"),
        (("image", 0), TypeError, "`images`"),
    ],
)
def test_grad_cam_rejects_bad_images_and_classes(args, exc, match):
    model = _tiny_model()
    with pytest.raises(exc, match=match):
        gradcam.grad_cam(model, model[1], *args)


def test_grad_cam_rejects_layer_not_in_model():
    model = _tiny_model()
    with pytest.raises(ValueError, match="`target_layer` must be one of the modules"):
        gradcam.grad_cam(model, nn.ReLU(), _tiny_images(), 0)
    with pytest.raises(TypeError, match="`target_layer`"):
        gradcam.grad_cam(model, "features", _tiny_images(), 0)
    with pytest.raises(TypeError, match="`model`"):
        gradcam.grad_cam(lambda x: x, model[1], _tiny_images(), 0)


def test_grad_cam_rejects_unused_or_flat_layers():
    class WithSpare(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = _tiny_model()
            self.unused = nn.ReLU()

        def forward(self, x):
            return self.net(x)

    spare = WithSpare()
    with pytest.raises(ValueError, match="never called"):
        gradcam.grad_cam(spare, spare.unused, _tiny_images(), 0)
    model = _tiny_model()
    with pytest.raises(ValueError, match=r"\(N, K, h, w\)"):
        gradcam.grad_cam(model, model[3], _tiny_images(), 0)


# ------------------------------------------------------------------ upsampling
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_upsample_cam_bilinear_matches_torch(align_corners, dtype):
    cam = np.random.default_rng(0).uniform(0, 1, (2, 8, 8)).astype(dtype)
    got = gradcam.upsample_cam(cam, 64, align_corners=align_corners)
    ref = F.interpolate(
        torch.from_numpy(cam.astype(np.float64))[:, None],
        size=(64, 64),
        mode="bilinear",
        align_corners=align_corners,
    )[:, 0].numpy()
    assert got.dtype == dtype
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-6)


def test_upsample_cam_nearest_matches_torch_nearest_exact():
    cam = np.random.default_rng(1).uniform(0, 1, (8, 8))
    ref = F.interpolate(
        torch.from_numpy(cam)[None, None], size=(64, 64), mode="nearest-exact"
    )
    np.testing.assert_array_equal(
        gradcam.upsample_cam(cam, (64, 64), method="nearest"), ref[0, 0].numpy()
    )


def test_upsample_cam_bicubic_is_torch_bicubic_clamped_at_zero():
    cam = np.zeros((8, 8))
    cam[3, 4] = 1.0  # an isolated peak: the cubic lobes undershoot around it
    ref = F.interpolate(
        torch.from_numpy(cam)[None, None], size=(64, 64), mode="bicubic"
    )[0, 0].numpy()
    assert ref.min() < -0.01
    raw = gradcam.upsample_cam(cam, 64, method="bicubic", a=-0.75, clamp=False)
    np.testing.assert_allclose(raw, ref, atol=1e-10)
    clamped = gradcam.upsample_cam(cam, 64, method="bicubic", a=-0.75)
    np.testing.assert_allclose(clamped, np.maximum(ref, 0), atol=1e-10)


@settings(max_examples=15, deadline=None)
@given(
    cam=hnp.arrays(np.float64, (4, 5), elements=st.floats(0, 10)),
    method=st.sampled_from(["nearest", "bilinear"]),
)
def test_upsample_cam_convex_methods_stay_within_range(cam, method):
    up = gradcam.upsample_cam(cam, (12, 15), method=method, clamp=False)
    assert up.min() >= cam.min() - 1e-12 and up.max() <= cam.max() + 1e-12
    np.testing.assert_array_equal(
        gradcam.upsample_cam(cam, (12, 15), method=method), up
    )


def test_upsample_cam_identity_size_returns_input():
    cam = np.random.default_rng(2).uniform(0, 1, (3, 8, 8))
    for method in gradcam.UPSAMPLE_METHODS:
        np.testing.assert_allclose(gradcam.upsample_cam(cam, 8, method=method), cam)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"cam": np.zeros(8), "size": 4}, ValueError, "`cam`"),
        ({"cam": np.zeros((2, 2)), "size": (4, 4, 4)}, ValueError, "`size`"),
        ({"cam": np.zeros((2, 2)), "size": "big"}, TypeError, "`size`"),
        ({"cam": np.zeros((2, 2)), "size": (0, 4)}, ValueError, r"`size\[0\]`"),
        (
            {"cam": np.zeros((2, 2)), "size": 4, "method": "cubic"},
            ValueError,
            "`method` must be one of 'nearest', 'bilinear', 'bicubic'; got 'cubic'",
        ),
        ({"cam": np.zeros((2, 2)), "size": 4, "clamp": 1}, TypeError, "`clamp`"),
    ],
)
def test_upsample_cam_rejects_bad_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        gradcam.upsample_cam(**kwargs)


# ---------------------------------------------------------------- widget frame
@settings(max_examples=15, deadline=None)
@given(
    acts=hnp.arrays(np.float64, (5, 3, 3), elements=st.floats(0, 5)),
    alpha=hnp.arrays(np.float64, 5, elements=st.floats(-2, 2)),
)
def test_gradcam_frame_last_step_is_the_full_grad_cam(acts, alpha):
    frame = gradcam.gradcam_frame(acts, alpha, 4, size=6)
    # from scratch, cell by cell: ReLU(sum_k alpha_k A^k_pq)
    expected = np.zeros((3, 3))
    for p in range(3):
        for q in range(3):
            total = sum(alpha[k] * acts[k, p, q] for k in range(5))
            expected[p, q] = max(total, 0.0)
    np.testing.assert_allclose(frame["cam"], expected, atol=1e-9)
    np.testing.assert_allclose(
        frame["partial"].sum(), np.sum(alpha[:, None, None] * acts), atol=1e-9
    )
    assert np.all(np.diff(alpha[frame["order"]]) <= 0)
    first = gradcam.gradcam_frame(acts, alpha, 0, size=6)
    np.testing.assert_allclose(first["partial"], alpha.max() * acts[np.argmax(alpha)])


def test_gradcam_frame_rejects_bad_step():
    a = np.ones((2, 2, 2))
    with pytest.raises(ValueError, match="`step` must be an integer in 0 .. 1; got 2"):
        gradcam.gradcam_frame(a, [1.0, 2.0], 2)
    with pytest.raises(TypeError, match="`step`"):
        gradcam.gradcam_frame(a, [1.0, 2.0], 0.5)
    with pytest.raises(ValueError, match="`alpha`"):
        gradcam.gradcam_frame(a, [1.0, 2.0, 3.0], 0)
