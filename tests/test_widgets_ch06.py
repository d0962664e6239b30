"""Chapter 6 widget driven headless: set the controls, check the frame and artists."""

from __future__ import annotations

import base64
import json

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lesson_utils import explorers, gradcam
from lesson_utils.cnn import build_model, target_layer
from lesson_utils.phantoms import make_phantoms
from lesson_utils.widgets import ch06


@pytest.fixture(scope="module")
def setup():
    model = build_model(width=2, seed=0).eval()
    images, labels, masks = make_phantoms(4, seed=0)
    return model, images, masks


def test_explorer_updates_frame_and_artists_when_controls_move(setup) -> None:
    model, images, masks = setup
    ex = ch06.make_gradcam_explorer(model, target_layer(model), images, masks)
    parts = gradcam.grad_cam_parts(model, target_layer(model), images, 1)
    overlay = ex.artists["overlay"]
    png_before = ex.view.value
    ex.image_slider.value = 2
    ex.step_slider.value = 2  # two channels added: frame step 1
    expected = gradcam.gradcam_frame(
        parts["activations"][2].astype(float), parts["alpha"][2].astype(float), 1
    )
    assert ex.frame["channel"] == expected["channel"]
    np.testing.assert_allclose(ex.frame["partial"], expected["partial"], rtol=1e-6)
    assert ex.artists["overlay"] is overlay  # updated in place, not re-plotted
    np.testing.assert_allclose(ex.artists["overlay"].get_array(), ex.frame["upsampled"])
    np.testing.assert_allclose(ex.artists["A_k"].get_array(), ex.frame["A_k"])
    np.testing.assert_allclose(ex.artists["image"].get_array(), images[2, 0])
    heights = [b.get_height() for b in ex.artists["bars"]]
    np.testing.assert_allclose(heights, ex.frame["alpha"][ex.frame["order"]])
    orange = [
        b.get_facecolor() != ex.artists["bars"][-1].get_facecolor()
        for b in ex.artists["bars"]
    ]
    assert orange[:2] == [True, True] or ex.frame["n_channels"] == 2
    assert f"added 2 of {ex.frame['n_channels']}" in ex.artists["titles"][1].get_text()
    assert ex.view.value != png_before


def test_explorer_method_changes_the_overlay(setup) -> None:
    model, images, masks = setup
    ex = ch06.make_gradcam_explorer(model, target_layer(model), images, masks)
    for name, (method, align) in ch06.UPSAMPLINGS.items():
        ex.method_dropdown.value = name
        cam = ex.frame["cam"]
        np.testing.assert_allclose(
            ex.artists["overlay"].get_array(),
            gradcam.upsample_cam(cam, 64, method=method, align_corners=align),
        )


def test_draw_gradcam_creates_artists_once(setup) -> None:
    model, images, masks = setup
    parts = gradcam.grad_cam_parts(model, target_layer(model), images[:1], 1)
    acts, alpha = parts["activations"][0], parts["alpha"][0]
    fig, axes = ch06.gradcam_figure()
    artists = ch06.draw_gradcam(axes, ch06.gradcam_frame(acts, alpha, 0, images[0, 0]))
    n_images = [len(ax.images) for ax in axes]
    again = ch06.draw_gradcam(
        axes, ch06.gradcam_frame(acts, alpha, 3, images[0, 0], masks[0]), artists
    )
    assert again is artists and [len(ax.images) for ax in axes] == n_images
    plt.close(fig)


def test_make_gradcam_explorer_rejects_bad_masks(setup) -> None:
    model, images, masks = setup
    with pytest.raises(ValueError, match="`masks`"):
        ch06.make_gradcam_explorer(model, target_layer(model), images, masks[:2])
    with pytest.raises(ValueError, match="`target_class`"):
        ch06.make_gradcam_explorer(model, target_layer(model), images, target_class=-1)


def test_live_widget_and_page_explorer_show_the_same_numbers(setup) -> None:
    model, images, masks = setup
    live = ch06.make_gradcam_explorer(model, target_layer(model), images, masks)
    page = json.loads(explorers.ch06(images, masks, live.parts["cam"]).data_json())
    packed = page["cams"]
    cams = np.frombuffer(base64.b64decode(packed["b64"]), "<f8").reshape(
        packed["shape"]
    )
    for i in range(page["n"]):
        live.image_slider.value = i  # the step slider stays on all channels
        # the page's map is the live widget's sum of every channel, after ReLU
        np.testing.assert_allclose(live.frame.cam, cams[i], rtol=1e-5, atol=1e-7)
        by_hand = np.maximum(
            np.tensordot(live.frame.alpha, live.parts["activations"][i], axes=1), 0
        )
        np.testing.assert_allclose(cams[i], by_hand, rtol=1e-5, atol=1e-6)


def test_draw_gradcam_artists_hold_hand_computed_values() -> None:
    acts = np.stack([np.eye(2), np.ones((2, 2))])
    fig, axes = ch06.gradcam_figure()
    # both channels: 1 * eye - 0.5 * ones; its ReLU is 0.5 on the diagonal
    frame = ch06.gradcam_frame(acts, [1.0, -0.5], 1, np.zeros((4, 4)))
    artists = ch06.draw_gradcam(axes, frame)
    np.testing.assert_allclose(
        artists["partial"].get_array(), [[0.5, -0.5], [-0.5, 0.5]], atol=1e-15
    )
    np.testing.assert_allclose([b.get_height() for b in artists["bars"]], [1.0, -0.5])
    np.testing.assert_allclose(artists["A_k"].get_array(), np.ones((2, 2)))
    assert artists["titles"][1].get_text() == "added 2 of 2 channels"
    plt.close(fig)
