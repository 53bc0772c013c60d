"""Shared building blocks (norm+act, conv+norm+act, 'same' conv, MLPs) against the reference's.

Each case builds our layer and the reference's with the same arguments, loads the reference's
state_dict strictly into ours and compares outputs, so a renamed child or a changed op order fails.
"""
import pytest
import torch
from torch import nn

import imagemodels.layers as L

timm_layers = pytest.importorskip("timm.layers")


def _same(ours, ref, x):
    ref.eval(), ours.eval()
    with torch.no_grad():
        for p in ref.parameters():
            p.normal_()
        for name, buf in ref.named_buffers():
            if name.endswith("running_var"):
                buf.uniform_(0.5, 2.0)
            elif name.endswith("running_mean"):
                buf.normal_()
    ours.load_state_dict(ref.state_dict(), strict=True)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), rtol=0, atol=1e-5)


NCHW = torch.randn(2, 8, 9, 11)
CASES = [
    ("BatchNormAct2d", dict(num_features=8, act_layer=nn.SiLU), NCHW),
    ("BatchNormAct2d", dict(num_features=8, apply_act=False), NCHW),
    ("GroupNormAct", dict(num_channels=8, num_groups=4, act_layer=nn.GELU), NCHW),
    ("GroupNormAct", dict(num_channels=8, group_size=2), NCHW),
    ("GroupNorm1Act", dict(num_channels=8), NCHW),
    ("LayerNormAct2d", dict(num_channels=8, act_layer=nn.GELU), NCHW),
    ("LayerNormAct", dict(normalization_shape=11), NCHW),
    ("LayerNorm", dict(num_channels=11), NCHW),
    ("LayerNorm2d", dict(num_channels=8), NCHW),
    ("RmsNorm", dict(channels=11), NCHW),
    ("Conv2dSame", dict(in_channels=8, out_channels=4, kernel_size=3, stride=2), NCHW),
    ("ConvNormAct", dict(in_channels=8, out_channels=6, kernel_size=3, stride=2), NCHW),
    ("ConvNormAct", dict(in_channels=8, out_channels=6, kernel_size=3, stride=2, padding="same",
                         act_layer=nn.Hardswish), NCHW),
    ("ConvNormAct", dict(in_channels=8, out_channels=8, kernel_size=3, stride=2, groups=8,
                         aa_layer="blurpc"), NCHW),
    ("ConvNormAct", dict(in_channels=8, out_channels=6, kernel_size=1, apply_act=False, bias=True), NCHW),
    ("Mlp", dict(in_features=11, hidden_features=20, norm_layer=nn.LayerNorm), NCHW),
    ("Mlp", dict(in_features=8, hidden_features=16, use_conv=True), NCHW),
    ("GluMlp", dict(in_features=11, hidden_features=20), NCHW),
    ("GluMlp", dict(in_features=11, hidden_features=20, gate_last=False, act_layer=nn.GELU), NCHW),
    ("SwiGLU", dict(in_features=11, hidden_features=12, norm_layer=nn.LayerNorm), NCHW),
    ("GatedMlp", dict(in_features=11, hidden_features=20), NCHW),
    ("ConvMlp", dict(in_features=8, hidden_features=16, norm_layer=nn.BatchNorm2d), NCHW),
]


@pytest.mark.parametrize("name,kwargs,x", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_layer_matches_reference(name, kwargs, x):
    torch.manual_seed(0)
    ref = getattr(timm_layers, name)(**kwargs)
    ours = getattr(L, name)(**kwargs)
    _same(ours, ref, x)


@pytest.mark.parametrize("padding,stride,expect_same", [("same", 2, True), ("same", 1, False), ("", 2, False)])
def test_create_conv2d_picks_dynamic_padding_only_when_needed(padding, stride, expect_same):
    conv = L.create_conv2d(8, 8, 3, stride=stride, padding=padding)
    assert isinstance(conv, L.Conv2dSame) is expect_same
    assert conv.bias is None
    out = conv(torch.randn(1, 8, 15, 15))
    assert out.shape[-1] == -(-15 // stride)


def test_depthwise_sets_groups():
    assert L.create_conv2d(8, 8, 3, depthwise=True).groups == 8


def test_get_norm_act_layer_resolves_names_classes_and_partials():
    assert L.get_norm_act_layer("batchnorm") is L.BatchNormAct2d
    assert L.get_norm_act_layer(nn.BatchNorm2d) is L.BatchNormAct2d
    assert L.get_norm_act_layer(L.LayerNorm2d) is L.LayerNormAct2d
    layer = L.get_norm_act_layer(nn.BatchNorm2d, nn.SiLU)(4)
    assert isinstance(layer.act, nn.SiLU)
    with pytest.raises(ValueError, match="unknown norm layer 'fancy'"):
        L.get_norm_act_layer("fancy")
    with pytest.raises(ValueError, match="no fused norm"):
        L.get_norm_act_layer(nn.InstanceNorm2d)


def test_bad_padding_and_group_size_are_named():
    with pytest.raises(ValueError, match="unknown padding 'full'"):
        L.create_conv2d(3, 3, 3, padding="full")
    with pytest.raises(ValueError, match="group_size 3 must divide"):
        L.GroupNormAct(8, group_size=3)
