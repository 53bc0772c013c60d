"""MBConv-family behaviour beyond parity: typed stage specs, depth scaling, drop-path schedule,
features_only / output_stride, TensorFlow 'same' padding at odd sizes, the drop_connect alias."""
import pytest
import torch

import imagemodels
from imagemodels.layers import DropPath
from imagemodels.models._efficientnet_builder import Stage, build_stages, scale_depths


def test_scale_depths_ceil_and_round():
    # EfficientNet-B1 (x1.1, ceil) deepens each stage by at most one block
    assert scale_depths([3], 1.1) == [4]
    assert scale_depths([1, 3], 1.2, trunc="round") == [1, 4]  # a MixNet stage: shared from the last row back
    assert scale_depths([2], 0.6, trunc="round") == [1]


def test_stage_spec_builds_and_rejects_unknown_block():
    stages, info = build_stages([Stage(block="ir", depth=2, kernel=3, stride=2, expand=6, out_chs=24, se=0.25)], 16)
    assert len(stages) == 1 and len(stages[0]) == 2
    assert info[-1] == dict(module="blocks.0", num_chs=24, stage=1, reduction=4)
    with pytest.raises(ValueError, match="unknown block kind"):
        build_stages([Stage(block="xx", depth=1, out_chs=8)], 16)
    with pytest.raises(ValueError, match="output_stride"):
        build_stages([Stage(block="ds", depth=1, out_chs=8)], 16, output_stride=4)


def test_drop_path_rate_and_drop_connect_alias():
    model = imagemodels.create_model("test_efficientnet", drop_connect_rate=0.2)
    rates = [m.drop_prob for m in model.modules() if isinstance(m, DropPath)]
    assert rates and max(rates) < 0.2 and rates == sorted(rates)  # grows linearly, block index / total
    assert model.drop_path_rate == 0.2
    with pytest.raises(ValueError, match="not both"):
        imagemodels.create_model("test_efficientnet", drop_connect_rate=0.2, drop_path_rate=0.1)


def test_features_only_out_indices_and_output_stride():
    model = imagemodels.create_model("test_efficientnet", features_only=True, out_indices=(1, 3)).eval()
    feats = model(torch.randn(1, 3, 64, 64))
    assert [f.shape[1] for f in feats] == model.feature_info.channels()
    assert [64 // f.shape[-1] for f in feats] == model.feature_info.reduction() == [4, 16]
    dilated = imagemodels.create_model("test_efficientnet", features_only=True, output_stride=8).eval()
    assert dilated(torch.randn(1, 3, 64, 64))[-1].shape[-1] == 8


def test_forward_intermediates_extra_blocks_and_prune():
    model = imagemodels.create_model("test_efficientnet").eval()
    x = torch.randn(1, 3, 64, 64)
    maps = model.forward_intermediates(x, intermediates_only=True, extra_blocks=True)
    assert len(maps) == len(model.blocks) + 1
    kept = model.prune_intermediate_layers(2)
    assert kept == [3, 4] and isinstance(model.conv_head, torch.nn.Identity)


@pytest.mark.slow
def test_tf_same_padding_at_odd_size_equals_reference():
    timm = pytest.importorskip("timm")
    ref = timm.create_model("tf_mixnet_s").eval()
    ours = imagemodels.create_model("tf_mixnet_s").eval()
    ours.load_state_dict(ref.state_dict(), strict=True)
    x = torch.randn(1, 3, 61, 47)  # odd sizes: TensorFlow 'SAME' pads right/bottom only
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), rtol=0, atol=1e-4)


def test_tf_same_padding_odd_size_small():
    timm = pytest.importorskip("timm")
    ref = timm.create_model("tf_mobilenetv3_small_minimal_100").eval()
    ours = imagemodels.create_model("tf_mobilenetv3_small_minimal_100").eval()
    ours.load_state_dict(ref.state_dict(), strict=True)
    x = torch.randn(1, 3, 45, 33)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), rtol=0, atol=1e-4)
