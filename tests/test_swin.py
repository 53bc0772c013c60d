"""Swin checks the generic contract/parity tests do not cover: loading a 224 / window-7 checkpoint into
a 256 / window-8 model (bias tables resampled on load), any-size inputs with strict_img_size=False,
and the window helpers."""
import pytest
import torch

import imagemodels
from imagemodels.layers.window import resize_rel_pos_bias_table, window_partition, window_reverse

NAME = "swin_tiny_patch4_window7_224"


def reference():
    return pytest.importorskip("timm")


def test_window_partition_round_trip():
    x = torch.randn(2, 12, 16, 5)
    windows = window_partition(x, (4, 8))
    assert windows.shape == (2 * 3 * 2, 4, 8, 5)
    torch.testing.assert_close(windows[1], x[0, 0:4, 8:16])
    torch.testing.assert_close(window_reverse(windows, (4, 8), 12, 16), x)


@pytest.mark.parametrize("new_window", [(8, 8), (12, 12), (5, 5)])
def test_bias_table_resize_matches_reference(new_window):
    timm = reference()
    table = torch.randn(13 * 13, 3)
    shape = ((2 * new_window[0] - 1) * (2 * new_window[1] - 1), 3)
    expect = timm.layers.resize_rel_pos_bias_table(table, new_window_size=new_window, new_bias_shape=shape)
    torch.testing.assert_close(resize_rel_pos_bias_table(table, new_window, shape), expect, atol=1e-4, rtol=0)


def test_same_window_table_is_unchanged():
    table = torch.randn(169, 4)
    torch.testing.assert_close(resize_rel_pos_bias_table(table, (7, 7), (169, 4)), table)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_224_window7_checkpoint_loads_into_256_window8(tmp_path):
    timm = reference()
    path = tmp_path / "swin_224.pth"
    torch.save(timm.create_model(NAME).state_dict(), path)
    kwargs = dict(img_size=256, window_size=8, pretrained=True, pretrained_cfg_overlay=dict(file=str(path)))
    ref = timm.create_model(NAME, **kwargs).eval()
    ours = imagemodels.create_model(NAME, **kwargs).eval()
    table = ours.layers[0].blocks[0].attn.relative_position_bias_table
    assert table.shape == (15 * 15, 3)
    assert ours.layers[3].blocks[1].window_size == (8, 8) and ours.layers[3].blocks[1].shift_size == (0, 0)
    x = torch.randn(1, 3, 256, 256)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-4, rtol=1e-5)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_any_input_size_pads_to_windows():
    timm = reference()
    ref = timm.create_model(NAME, strict_img_size=False).eval()
    ours = imagemodels.create_model(NAME, strict_img_size=False).eval()
    ours.load_state_dict(ref.state_dict(), strict=True)
    x = torch.randn(1, 3, 100, 132)  # 25 x 33 tokens: no stage is a whole number of windows
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-4, rtol=1e-5)


def test_features_only_is_nhwc_and_intermediates_nchw():
    model = imagemodels.create_model(NAME, features_only=True, out_indices=(0, 3)).eval()
    with torch.no_grad():
        maps = model(torch.randn(1, 3, 224, 224))
    assert [tuple(m.shape) for m in maps] == [(1, 56, 56, 96), (1, 7, 7, 768)]
    full = imagemodels.create_model(NAME).eval()
    with torch.no_grad():
        inter = full.forward_intermediates(torch.randn(1, 3, 224, 224), indices=[0], intermediates_only=True)
    assert tuple(inter[0].shape) == (1, 96, 56, 56)


# set_input_size with the reference's keywords: each case's windows / shifts and outputs must match
SET_INPUT_CASES = [
    (dict(img_size=100), {}),  # an odd patch grid: PatchMerging pads, maps round up (tables 169, not 121)
    ({}, dict(img_size=(256, 256))),  # no window given: it keeps its ratio to the grid (7 -> 8)
    ({}, dict(img_size=(320, 224))),
    ({}, dict(img_size=(16, 16))),
    (dict(img_size=64, window_size=4), dict(img_size=(32, 32))),
    ({}, dict(window_ratio=4)),
    ({}, dict(window_ratio=(8, 4, 2, 1))),
    ({}, dict(window_size=((4, 5), 6, 7, 8))),
    ({}, dict(img_size=(224, 224), patch_size=(8, 8))),
    ({}, dict(img_size=(256, 256), window_size=8)),
    (dict(window_size=12), dict(img_size=(300, 300))),
]


@pytest.mark.parametrize("build,change", SET_INPUT_CASES, ids=[f"{b}-{c}" for b, c in SET_INPUT_CASES])
def test_set_input_size_matches_the_reference(build, change):
    theirs = reference().create_model("swin_tiny_patch4_window7_224", depths=(2, 2, 2, 2), **build).eval()
    ours = imagemodels.create_model("swin_tiny_patch4_window7_224", depths=(2, 2, 2, 2), **build).eval()
    ours.load_state_dict(theirs.state_dict())
    if change:
        theirs.set_input_size(**change)
        ours.set_input_size(**change)
    windows = [[(tuple(b.window_size), tuple(b.shift_size)) for b in stage.blocks] for stage in ours.layers]
    assert windows == [[(tuple(b.window_size), tuple(b.shift_size)) for b in stage.blocks] for stage in theirs.layers]
    x = torch.randn(1, 3, *theirs.patch_embed.img_size)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), theirs(x), rtol=1e-4, atol=1e-4)


def test_set_input_size_window_counts_must_match_the_stages():
    model = imagemodels.create_model("swin_tiny_patch4_window7_224", depths=(2, 2, 2, 2))
    with pytest.raises(ValueError, match="one per stage"):
        model.set_input_size(window_size=(7, 7, 7))
    with pytest.raises(ValueError, match="one per stage"):
        model.set_input_size(window_ratio=(8, 4))
