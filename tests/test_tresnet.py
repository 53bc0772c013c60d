"""Family-specific behaviour of TResNet: the space-to-depth stem (a layer of its own), anti-aliased
strided convs, SE only in stages 1-3, features_only skipping the stem point by default."""
import pytest
import torch

import imagemodels
from imagemodels.layers import BlurPool2d, DepthToSpace, SpaceToDepth


def test_space_to_depth_is_lossless_and_channel_ordered():
    x = torch.randn(2, 3, 8, 12)
    y = SpaceToDepth(4)(x)
    assert y.shape == (2, 48, 2, 3)
    # output channel (i * 4 + j) * C + c is input channel c at offset (i, j) of each 4x4 patch
    torch.testing.assert_close(y[:, (1 * 4 + 2) * 3 + 1], x[:, 1, 1::4, 2::4])
    torch.testing.assert_close(DepthToSpace(4)(y), x)
    with pytest.raises(ValueError, match="divisible"):
        SpaceToDepth(4)(torch.randn(1, 3, 6, 8))


def test_strided_convs_are_blurred_and_last_stage_has_no_se():
    model = imagemodels.create_model("tresnet_m")
    first = model.body.layer3[0]
    assert first.conv2.conv.stride == (1, 1) and isinstance(first.conv2.aa, BlurPool2d)
    assert model.body.layer4[0].se is None and model.body.layer3[-1].se is not None
    assert isinstance(model.body.layer2[0].downsample[0], torch.nn.AvgPool2d)


def test_features_only_defaults_to_the_four_stages():
    feats = imagemodels.create_model("tresnet_m", features_only=True).eval()
    assert feats.feature_info.channels() == [64, 128, 1024, 2048]
    assert feats.feature_info.reduction() == [4, 8, 16, 32]
    with torch.no_grad():
        assert [m.shape[-1] for m in feats(torch.randn(1, 3, 64, 64))] == [16, 8, 4, 2]
