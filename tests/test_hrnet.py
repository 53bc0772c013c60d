"""Family-specific behaviour of HRNet: the multi-resolution fusion module, the features_only model
class with its own feature_info ('incre' or raw branch maps), the SSLD head without conv biases."""
import pytest
import torch

import imagemodels
from imagemodels.models.hrnet import HighResolutionModule, HighResolutionNetFeatures
from imagemodels.models.resnet import BasicBlock


def test_fusion_module_brings_every_branch_to_every_resolution():
    module = HighResolutionModule(BasicBlock, (1, 1, 1), (8, 16, 32), (8, 16, 32)).eval()
    maps = [torch.randn(1, 8, 16, 16), torch.randn(1, 16, 8, 8), torch.randn(1, 32, 4, 4)]
    with torch.no_grad():
        out = module(maps)
    assert [tuple(o.shape) for o in out] == [tuple(m.shape) for m in maps]
    # coarser -> finer: 1x1 conv + upsample; finer -> coarser: a chain of strided 3x3 convs
    assert isinstance(module.fuse_layers[0][2][-1], torch.nn.Upsample)
    assert len(module.fuse_layers[2][0]) == 2


def test_features_only_is_its_own_model_class():
    feats = imagemodels.create_model("hrnet_w18_small", features_only=True).eval()
    assert isinstance(feats, HighResolutionNetFeatures)
    assert feats.feature_info.channels() == [64, 128, 256, 512, 1024]
    assert feats.final_layer is None and not any(k.startswith("classifier") for k in feats.state_dict())
    raw = imagemodels.create_model("hrnet_w18_small", features_only=True, feature_location="", out_indices=(1, 4))
    assert raw.feature_info.channels() == [16, 128] and raw.incre_modules is None
    with torch.no_grad():
        assert [m.shape[1] for m in raw.eval()(torch.randn(1, 3, 64, 64))] == [16, 128]
    with pytest.raises(ValueError, match="feature_location"):
        imagemodels.create_model("hrnet_w18_small", features_only=True, feature_location="bad")


def test_ssld_head_convs_have_no_bias():
    ssld = imagemodels.create_model("hrnet_w18_ssld")
    assert ssld.final_layer[0].bias is None and ssld.downsamp_modules[0][0].bias is None
    assert imagemodels.create_model("hrnet_w18").final_layer[0].bias is not None
