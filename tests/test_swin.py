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
