"""Layers of the ResNet relatives (ResNeSt split attention, SKNet selective kernel, weight-standardised
convs of ResNetV2 / NFNet) against the reference's same-named layer: strict state_dict load, equal outputs."""
import pytest
import torch
from torch import nn

import imagemodels.layers as L

timm_layers = pytest.importorskip("timm.layers")


def _same(ours, ref, x, atol=1e-5):
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
        torch.testing.assert_close(ours(x), ref(x), rtol=0, atol=atol)


X = torch.randn(2, 16, 9, 11)
CASES = [
    ("SplitAttn", dict(in_channels=16, out_channels=16, radix=2, norm_layer=nn.BatchNorm2d)),
    ("SplitAttn", dict(in_channels=16, out_channels=16, radix=1, groups=4, norm_layer=nn.BatchNorm2d)),
    ("SplitAttn", dict(in_channels=16, out_channels=8, radix=4, groups=2, stride=2, norm_layer=nn.BatchNorm2d)),
    ("SplitAttn", dict(in_channels=16, out_channels=16, radix=2, dilation=2)),
    ("SelectiveKernel", dict(in_channels=16, out_channels=16)),
    ("SelectiveKernel", dict(in_channels=16, out_channels=32, stride=2, rd_ratio=1 / 8, rd_divisor=16)),
    ("SelectiveKernel", dict(in_channels=16, out_channels=16, groups=4, split_input=False, keep_3x3=False)),
    ("SelectiveKernel", dict(in_channels=16, out_channels=16, kernel_size=[3, 5, 7], split_input=False)),
    ("StdConv2d", dict(in_channel=16, out_channels=8, kernel_size=3, stride=2)),
    ("StdConv2d", dict(in_channel=16, out_channels=8, kernel_size=1, bias=True, eps=1e-8)),
    ("StdConv2dSame", dict(in_channel=16, out_channels=8, kernel_size=3, stride=2)),
    ("StdConv2dSame", dict(in_channel=16, out_channels=8, kernel_size=4, stride=1, dilation=1)),
    ("ScaledStdConv2d", dict(in_channels=16, out_channels=8, kernel_size=3, stride=2, gamma=1.7)),
    ("ScaledStdConv2d", dict(in_channels=16, out_channels=16, kernel_size=3, groups=4, gain_init=0.5)),
    ("ScaledStdConv2dSame", dict(in_channels=16, out_channels=8, kernel_size=3, stride=2, gamma=1.7)),
    ("ScaledStdConv2dSame", dict(in_channels=16, out_channels=8, kernel_size=5, dilation=2, eps=1e-4)),
    ("EvoNorm2dS0", dict(num_features=16, groups=4)),
    ("EvoNorm2dS0", dict(num_features=16, group_size=8)),
    ("EvoNorm2dS0", dict(num_features=16, apply_act=False)),
    ("FilterResponseNormTlu2d", dict(num_features=16)),
    ("FilterResponseNormTlu2d", dict(num_features=16, apply_act=False)),
    ("MaxPool2dSame", dict(kernel_size=3, stride=2)),
]


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_layer_matches_reference(name, kwargs):
    torch.manual_seed(0)
    ref_cls = getattr(timm_layers, name, None) or getattr(pytest.importorskip("timm.layers.pool2d_same"), name)
    ref = ref_cls(**kwargs)
    ours = getattr(L, name)(**kwargs)
    _same(ours, ref, X)


def test_radix_softmax_sums_to_one_over_radix():
    rs = L.RadixSoftmax(radix=3, cardinality=2)
    out = rs(torch.randn(4, 2 * 3 * 5, 1, 1)).view(4, 3, 2, 5)
    torch.testing.assert_close(out.sum(1), torch.ones(4, 2, 5))


def test_selective_kernel_rejects_unsplittable_input():
    with pytest.raises(ValueError, match="divisible"):
        L.SelectiveKernel(15, 16, split_input=True)


def test_nfnet_gamma_constants_match_reference():
    nf_ref = pytest.importorskip("timm.models.nfnet")
    from imagemodels.models.nfnet import GAMMA

    assert GAMMA == nf_ref._nonlin_gamma


@pytest.mark.parametrize("act", ["relu", "gelu", "silu", "tanh"])
def test_nfnet_gamma_restores_unit_variance(act):
    """gamma = 1 / std(act(x)) for x ~ N(0, 1): measured on a large sample."""
    from imagemodels.models.nfnet import GAMMA

    x = torch.randn(2_000_000, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    y = L.get_act_layer(act)()(x)
    assert float(y.std()) * GAMMA[act] == pytest.approx(1.0, abs=5e-3)


def test_scaled_std_conv_has_unit_gain_weights():
    """Scaled WS: each filter has mean 0 and norm gamma (= sqrt(fan_in) * gamma / sqrt(fan_in) per element)."""
    from imagemodels.layers.std_conv import _standardize

    conv = L.ScaledStdConv2d(8, 4, 3, gamma=1.7, eps=1e-10)
    w = _standardize(conv.weight, 1e-10, (conv.gain * conv.scale).view(-1)).detach()
    flat = w.reshape(4, -1)
    torch.testing.assert_close(flat.mean(1), torch.zeros(4), atol=1e-6, rtol=0)
    torch.testing.assert_close(flat.norm(dim=1), torch.full((4,), 1.7), atol=1e-4, rtol=0)
