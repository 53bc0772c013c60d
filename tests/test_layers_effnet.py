"""The MBConv family's layers (mixed / conditional convs, mobile multi-query attention, EvoNorm-S0)
against the reference's layer of the same name: strict state_dict load, equal outputs."""
import pytest
import torch

from imagemodels.layers import create_conv2d
from imagemodels.layers.attention2d import MultiQueryAttention2d
from imagemodels.layers.cond_conv2d import CondConv2d
from imagemodels.layers.evo_norm import EvoNorm2dS0
from imagemodels.layers.global_context import GlobalContext
from imagemodels.layers.mixed_conv2d import MixedConv2d

timm_layers = pytest.importorskip("timm.layers")


def _load_randomised(ours, ref):
    torch.manual_seed(0)
    with torch.no_grad():
        for p in ref.parameters():
            p.normal_(0, 0.2)
        for name, buf in ref.named_buffers():
            if name.endswith("running_var"):
                buf.uniform_(0.5, 2.0)
            elif name.endswith("running_mean"):
                buf.normal_()
    ours.load_state_dict(ref.state_dict(), strict=True)
    return ours.eval(), ref.eval()


X = torch.randn(2, 12, 9, 11)


@pytest.mark.parametrize("kwargs", [
    dict(in_channels=12, out_channels=12, kernel_size=[3, 5, 7], stride=2, depthwise=True),
    dict(in_channels=12, out_channels=20, kernel_size=[1, 1]),
    dict(in_channels=12, out_channels=12, kernel_size=[3, 5], stride=2, padding="same", depthwise=True),
])
def test_mixed_conv2d(kwargs):
    ours, ref = _load_randomised(MixedConv2d(**kwargs), timm_layers.MixedConv2d(**kwargs))
    with torch.no_grad():
        torch.testing.assert_close(ours(X), ref(X), rtol=0, atol=1e-5)


@pytest.mark.parametrize("kwargs", [
    dict(in_channels=12, out_channels=24, kernel_size=1, num_experts=4),
    dict(in_channels=12, out_channels=12, kernel_size=5, stride=2, groups=12, num_experts=3),
    dict(in_channels=12, out_channels=12, kernel_size=3, stride=2, groups=12, padding="same", num_experts=2),
])
def test_cond_conv2d(kwargs):
    ours, ref = _load_randomised(CondConv2d(**kwargs), timm_layers.CondConv2d(**kwargs))
    routing = torch.rand(2, kwargs["num_experts"])
    with torch.no_grad():
        torch.testing.assert_close(ours(X, routing), ref(X, routing), rtol=0, atol=1e-5)


@pytest.mark.parametrize("kwargs", [
    dict(dim=12, num_heads=3, key_dim=8, value_dim=8),
    dict(dim=12, dim_out=16, num_heads=2, key_dim=8, value_dim=4, kv_stride=2, dw_kernel_size=3),
])
def test_multi_query_attention2d(kwargs):
    ours, ref = _load_randomised(MultiQueryAttention2d(**kwargs), timm_layers.MultiQueryAttention2d(**kwargs))
    with torch.no_grad():
        torch.testing.assert_close(ours(X), ref(X), rtol=0, atol=1e-5)


@pytest.mark.parametrize("kwargs", [dict(num_features=12, group_size=4), dict(num_features=12, groups=3, apply_act=False)])
def test_evo_norm2d_s0(kwargs):
    ours, ref = _load_randomised(EvoNorm2dS0(**kwargs), timm_layers.EvoNorm2dS0(**kwargs))
    with torch.no_grad():
        torch.testing.assert_close(ours(X), ref(X), rtol=0, atol=1e-5)


@pytest.mark.parametrize("kwargs", [dict(channels=12, rd_ratio=0.25, act_layer=torch.nn.SiLU),
                                    dict(channels=12, use_attn=False, fuse_add=True, fuse_scale=False)])
def test_global_context(kwargs):
    ours, ref = _load_randomised(GlobalContext(**kwargs), timm_layers.GlobalContext(**kwargs))
    with torch.no_grad():
        torch.testing.assert_close(ours(X), ref(X), rtol=0, atol=1e-5)


def test_create_conv2d_dispatches_mixed_and_cond():
    assert isinstance(create_conv2d(12, 12, [3, 5], depthwise=True), MixedConv2d)
    assert isinstance(create_conv2d(12, 12, 3, num_experts=4), CondConv2d)
    assert isinstance(create_conv2d(12, 12, 3), torch.nn.Conv2d)
    with pytest.raises(ValueError, match="dense or depthwise"):
        create_conv2d(12, 12, [3, 5], groups=3)
