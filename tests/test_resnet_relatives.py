"""ResNet relatives (Res2Net, ResNeSt, SKNet, RegNet, ResNetV2, NFNet): behaviour the generic
contract / parity tests do not cover — dilated (output_stride) parity, training-mode regularisers,
and argument errors."""
import pytest
import torch

import imagemodels

SIZE = 64


def make(name, **kwargs):
    return imagemodels.create_model(name, **kwargs).eval()


@pytest.mark.parametrize("name", ["res2net50_48w_2s", "resnest14d", "skresnet18"])
def test_output_stride_parity_with_reference(name):
    timm = pytest.importorskip("timm")
    ref = timm.create_model(name, output_stride=16).eval()
    model = make(name, output_stride=16)
    model.load_state_dict(ref.state_dict(), strict=True)
    x = torch.randn(1, 3, SIZE, SIZE)
    with torch.no_grad():
        torch.testing.assert_close(model(x), ref(x), atol=1e-4, rtol=0)
    assert model.feature_info[-1]["reduction"] == 16


@pytest.mark.parametrize("name", ["res2net50_48w_2s", "resnest14d", "skresnet18"])
def test_train_step_with_regularisers(name):
    model = imagemodels.create_model(name, drop_path_rate=0.1, drop_block_rate=0.1, num_classes=5).train()
    out = model(torch.randn(2, 3, SIZE, SIZE))
    out.sum().backward()
    assert out.shape == (2, 5)


@pytest.mark.parametrize("name", ["res2net50_48w_2s", "resnest14d"])
def test_blocks_reject_unsupported_resnet_options(name):
    with pytest.raises(ValueError, match="aa_layer"):
        imagemodels.create_model(name, aa_layer="blur")


@pytest.mark.parametrize("layers", [(3, 4, 9), (2,)])
def test_resnetv2_post_activation_same_stem_matches_reference(layers):
    """The ViT-hybrid backbone form: post-activation bottlenecks, TF 'SAME' StdConv stem, 1-3 stages."""
    timm = pytest.importorskip("timm")
    from timm.layers import StdConv2dSame as RefStdConv2dSame

    from imagemodels.layers import StdConv2dSame
    from imagemodels.models.resnetv2 import ResNetV2

    kwargs = dict(layers=layers, num_classes=0, global_pool="", preact=False, stem_type="same")
    ref = timm.models.resnetv2.ResNetV2(conv_layer=RefStdConv2dSame, **kwargs).eval()
    model = ResNetV2(conv_layer=StdConv2dSame, **kwargs).eval()
    model.load_state_dict(ref.state_dict(), strict=True)
    assert model.feature_info == ref.feature_info
    x = torch.randn(1, 3, 45, 45)
    with torch.no_grad():
        torch.testing.assert_close(model(x), ref(x), atol=1e-4, rtol=0)


def test_resnetv2_dilated_matches_reference():
    timm = pytest.importorskip("timm")
    ref = timm.create_model("resnetv2_18d", output_stride=8).eval()
    model = make("resnetv2_18d", output_stride=8)
    model.load_state_dict(ref.state_dict(), strict=True)
    x = torch.randn(1, 3, SIZE, SIZE)
    with torch.no_grad():
        torch.testing.assert_close(model(x), ref(x), atol=1e-4, rtol=0)


def test_regnet_stages_from_design_parameters():
    """RegNetX-200MF (pycls): widths 24/56/152/368, depths 1/1/4/7, group width 8."""
    from imagemodels.models.regnet import REGNET_CFGS, regnet_stages

    stages = regnet_stages(REGNET_CFGS["regnetx_002"])
    assert [(s.out_chs, s.depth, s.group_size) for s in stages] == [(24, 1, 8), (56, 1, 8), (152, 4, 8), (368, 7, 8)]
    # torchvision's rounding (group_min_ratio) moves the widths
    tv = regnet_stages(REGNET_CFGS["regnetx_004_tv"])
    assert [s.out_chs for s in tv] == [32, 64, 160, 400]


def test_regnet_rejects_unknown_arguments():
    with pytest.raises(TypeError, match="unexpected"):
        imagemodels.create_model("regnetx_002", not_an_option=1)


def test_nfnet_skipinit_starts_as_identity_residual():
    """dm_ NFNets: a zero skipinit gain makes each non-transition block pass its input through."""
    from imagemodels.models.nfnet import NF_CFGS, NormFreeNet

    model = NormFreeNet(NF_CFGS["test_nfnet"], skipinit=True, num_classes=0).eval()
    block = model.stages[0][0]
    assert block.skipinit_gain is not None and float(block.skipinit_gain) == 0.0
    x = torch.randn(1, 32, 8, 8)
    extra = block.__class__(32, 32, skipinit=True, act_layer=torch.nn.ReLU).eval()
    with torch.no_grad():
        torch.testing.assert_close(extra(x), x)


def test_nfnet_rejects_activation_without_gamma():
    with pytest.raises(ValueError, match="gamma"):
        imagemodels.create_model("test_nfnet", act_layer="hard_swish")
