"""CSPNet family behaviour beyond parity: stage wiring, dilation, stochastic depth."""
import pytest
import torch

import imagemodels


def test_stage_types_and_blocks():
    csp = imagemodels.create_model("cspresnet50d", num_classes=0)
    cs3 = imagemodels.create_model("cs3darknet_s", num_classes=0)
    dark = imagemodels.create_model("darknet17", num_classes=0)
    assert hasattr(csp.stages[0], "conv_transition_b") and not hasattr(cs3.stages[0], "conv_transition_b")
    assert not hasattr(dark.stages[0], "conv_exp")
    # the deep stem's feature point is its last conv, before the max pool
    assert csp.feature_info[0] == dict(num_chs=64, reduction=2, module="stem.conv3")


@torch.no_grad()
def test_output_stride_dilates_later_stages():
    model = imagemodels.create_model("cs3darknet_s", output_stride=16, num_classes=0).eval()
    final, maps = model.forward_intermediates(torch.randn(1, 3, 64, 64))
    assert [m.shape[-1] for m in maps] == [32, 16, 8, 4, 4]
    assert model.stages[3].blocks[0].conv2.conv.dilation == (2, 2)
    with pytest.raises(ValueError, match="output_stride"):
        imagemodels.create_model("cs3darknet_s", output_stride=4)


def test_drop_path_rate_grows_linearly():
    model = imagemodels.create_model("cs3darknet_s", drop_path_rate=0.2)
    rates = [b.drop_path.drop_prob for s in model.stages for b in s.blocks if hasattr(b.drop_path, "drop_prob")]
    assert rates == sorted(rates) and abs(rates[-1] - 0.2) < 1e-6
