"""Layers added for the classic CNN families (separable convs, 'same'-padded pools) against the
reference's layers: strict state_dict load (when there are weights) and equal outputs."""
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
        a, b = ours(x), ref(x)
    assert a.shape == b.shape
    torch.testing.assert_close(a, b, rtol=0, atol=1e-5)


X = torch.randn(2, 8, 9, 11)


@pytest.mark.parametrize("kwargs", [
    dict(in_channels=8, out_channels=6, kernel_size=3),
    dict(in_channels=8, out_channels=6, kernel_size=5, stride=2, padding="same"),
    dict(in_channels=8, out_channels=6, kernel_size=3, dilation=2, channel_multiplier=2.0, bias=True),
])
def test_separable_conv(kwargs):
    _same(L.SeparableConv2d(**kwargs), timm_layers.SeparableConv2d(**kwargs), X)


@pytest.mark.parametrize("kwargs", [
    dict(in_channels=8, out_channels=6, kernel_size=3, stride=2),
    dict(in_channels=8, out_channels=6, kernel_size=3, act_layer=nn.SiLU, apply_act=False),
])
def test_separable_conv_norm_act(kwargs):
    _same(L.SeparableConvNormAct(**kwargs), timm_layers.SeparableConvNormAct(**kwargs), X)


@pytest.mark.parametrize("pool_type", ["avg", "max"])
@pytest.mark.parametrize("kwargs", [
    dict(kernel_size=3, stride=2, padding="same"),
    dict(kernel_size=3, stride=1, padding="same"),
    dict(kernel_size=3, stride=2, padding=""),
    dict(kernel_size=2, stride=2, padding="valid"),
])
def test_create_pool2d(pool_type, kwargs):
    ours = L.create_pool2d(pool_type, **kwargs)
    ref = timm_layers.create_pool2d(pool_type, **kwargs)
    assert type(ours).__name__ == type(ref).__name__
    _same(ours, ref, X)


def test_max_pool_same_ignores_padding():
    # an all-negative map: a zero pad would win the max at the border, TF's 'SAME' must not
    x = -torch.rand(1, 1, 5, 5) - 1
    out = L.MaxPool2dSame(3, stride=2)(x)
    assert out.shape[-2:] == (3, 3) and (out < 0).all()


def test_create_pool2d_rejects_unknown_type():
    with pytest.raises(ValueError, match="pool_type"):
        L.create_pool2d("lp", 3)
