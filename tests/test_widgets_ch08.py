"""Chapter 8 widget driven headless: set the controls, check the frame and artists."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lesson_utils import gradcam, vit
from lesson_utils.phantoms import make_phantoms
from lesson_utils.widgets import ch08


@pytest.fixture(scope="module")
def setup():
    model = vit.build_vit(seed=0, dim=16, heads=2, depth=2).eval()
    images, _, masks = make_phantoms(4, seed=0)
    return model, images, masks


def test_explorer_updates_frame_and_artists_when_controls_move(setup) -> None:
    model, images, masks = setup
    ex = ch08.make_attention_explorer(model, images, masks)
    att = vit.attention_weights(model, images)
    overlay = ex.artists["overlay"]
    png_before = ex.view.value
    ex.image_slider.value = 2
    ex.layer_slider.value = 1
    ex.head_dropdown.value = 1
    expected = vit.attention_frame(att, 2, layer=1, head=1)
    np.testing.assert_allclose(ex.frame["grid"], expected["grid"])
    np.testing.assert_allclose(ex.frame["grid"], att[0][2, 1, 0, 1:].reshape(8, 8))
    assert ex.artists["overlay"] is overlay  # updated in place, not re-plotted
    np.testing.assert_allclose(ex.artists["overlay"].get_array(), ex.frame["upsampled"])
    np.testing.assert_allclose(ex.artists["grid"].get_array(), ex.frame["grid"])
    np.testing.assert_allclose(ex.artists["image"].get_array(), images[2, 0])
    x, y = ex.artists["peak_pixel"].get_data()
    assert (int(y[0]), int(x[0])) == ex.frame["peak_pixel"]
    assert "layer 1, head 1" in ex.artists["titles"][0].get_text()
    assert ex.view.value != png_before
    assert ex.last_update_seconds > 0


def test_explorer_rollout_and_methods(setup) -> None:
    model, images, masks = setup
    ex = ch08.make_attention_explorer(model, images, masks)
    att = vit.attention_weights(model, images)
    ex.rollout_checkbox.value = True
    rollout = vit.attention_rollout(att)
    np.testing.assert_allclose(ex.frame["grid"], vit.cls_map(rollout, (8, 8))[0])
    assert "rollout to layer 2" in ex.artists["titles"][0].get_text()
    for name, (method, align) in vit.UPSAMPLINGS.items():
        ex.method_dropdown.value = name
        np.testing.assert_allclose(
            ex.artists["overlay"].get_array(),
            gradcam.upsample_cam(
                ex.frame["grid"], 64, method=method, align_corners=align
            ),
        )
        assert name in ex.artists["titles"][1].get_text()


def test_draw_attention_creates_artists_once(setup) -> None:
    model, images, masks = setup
    att = vit.attention_weights(model, images)
    fig, axes = ch08.attention_figure(1)
    frame = ch08.attention_frame(att, images[0, 0], masks[0], index=0, layer=2)
    artists = ch08.draw_attention(axes[0], frame)
    counts = [len(ax.images) + len(ax.lines) + len(ax.patches) for ax in axes[0]]
    frame = ch08.attention_frame(
        att, images[1, 0], masks[1], index=1, layer=1, kind="rollout"
    )
    again = ch08.draw_attention(axes[0], frame, artists)
    assert again is artists
    assert [
        len(ax.images) + len(ax.lines) + len(ax.patches) for ax in axes[0]
    ] == counts
    np.testing.assert_allclose(artists["grid"].get_array(), frame["grid"])
    plt.close(fig)


def test_grid_panel_puts_each_cell_on_its_patch(setup) -> None:
    model, images, masks = setup
    att = vit.attention_weights(model, images)
    fig, axes = ch08.attention_figure(1)
    frame = ch08.attention_frame(att, images[0, 0], masks[0], index=0, layer=2)
    artists = ch08.draw_attention(axes[0], frame)
    # cell (p, q) spans pixels [8p - 0.5, 8p + 7.5]: the extent covers the image
    assert tuple(artists["grid"].get_extent()) == (-0.5, 63.5, 63.5, -0.5)
    p, q = frame["peak_cell"]
    rect = artists["peak_cell"]
    assert (rect.get_y(), rect.get_x()) == (8 * p - 0.5, 8 * q - 0.5)
    assert (rect.get_height(), rect.get_width()) == (8, 8)
    # after an update the frame moves to the new strongest cell
    other = ch08.attention_frame(att, images[1, 0], masks[1], index=1, layer=1, head=0)
    ch08.draw_attention(axes[0], other, artists)
    p, q = other["peak_cell"]
    assert (rect.get_y(), rect.get_x()) == (8 * p - 0.5, 8 * q - 0.5)
    plt.close(fig)


def test_attention_panels_one_row_per_setting(setup) -> None:
    model, images, masks = setup
    att = vit.attention_weights(model, images)
    settings = [
        {"index": 0, "layer": 2, "head": None},
        {"index": 1, "layer": 2, "kind": "rollout", "upsampling": "nearest"},
    ]
    fig = ch08.attention_panels(att, images, masks, settings)
    assert len(fig.axes) == 4
    grid = fig.axes[2].images[0].get_array()
    expected = vit.attention_frame(att, 1, layer=2, kind="rollout")["grid"]
    np.testing.assert_allclose(grid, expected)
    plt.close(fig)
    with pytest.raises(ValueError, match="`settings`"):
        ch08.attention_panels(att, images, masks, [])


def test_make_attention_explorer_rejects_bad_masks(setup) -> None:
    model, images, masks = setup
    with pytest.raises(ValueError, match="`masks`"):
        ch08.make_attention_explorer(model, images, masks[:2])
    with pytest.raises(TypeError, match="`model`"):
        ch08.make_attention_explorer(object(), images, masks)


def test_widget_package_and_explorer_show_the_same_maps(setup) -> None:
    import base64
    import json

    from lesson_utils import explorers

    model, images, masks = setup
    ex = ch08.make_attention_explorer(model, images, masks)
    att = vit.attention_weights(model, images)
    cams = vit.grad_cam_tokens(model, images, 1)["cam"]
    data = json.loads(
        explorers.ch08(images, masks, att, cams, patch_size=8).data_json()
    )
    spec = data["maps"]
    maps = np.frombuffer(base64.b64decode(spec["b64"]), dtype="<f4").reshape(
        spec["shape"]
    )
    keys = data["map_keys"]
    for index, layer, head, rollout, key in [
        (1, 1, 0, False, "attention-1-0"),
        (2, 2, None, False, "attention-2-mean"),
        (3, 1, None, True, "rollout-1"),
        (0, 2, None, True, "rollout-2"),
    ]:
        ex.image_slider.value = index
        ex.layer_slider.value = layer
        ex.head_dropdown.value = head
        ex.rollout_checkbox.value = rollout
        kind = "rollout" if rollout else "attention"
        by_package = vit.attention_frame(att, index, layer=layer, head=head, kind=kind)[
            "grid"
        ]
        np.testing.assert_array_equal(ex.frame.grid, by_package)
        # the page receives float32: equal to the widget's grid rounded to float32
        np.testing.assert_array_equal(
            maps[index, keys.index(key)], by_package.astype(np.float32)
        )
