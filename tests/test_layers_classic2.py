"""Layers added with the classic-CNN families (vovnet, tresnet, ...) against the reference's same-named layers:
strict state_dict load of the reference's randomised weights, then equal outputs."""
import pytest
import torch

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


NCHW = torch.randn(2, 64, 9, 11) * 2 + 0.5
CASES = [
    ("EvoNorm2dS0", dict(num_features=64), NCHW),
    ("EvoNorm2dS0", dict(num_features=64, group_size=8), NCHW),
    ("EvoNorm2dS0", dict(num_features=64, apply_act=False), NCHW),
    ("SeparableConvNormAct", dict(in_channels=64, out_channels=32, kernel_size=3, stride=2), NCHW),
    ("SeparableConvNormAct", dict(in_channels=64, out_channels=32, kernel_size=5, channel_multiplier=2.0,
                                  apply_act=False), NCHW),
]


@pytest.mark.parametrize("name,kwargs,x", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_layer_matches_reference(name, kwargs, x):
    _same(getattr(L, name)(**kwargs), getattr(timm_layers, name)(**kwargs), x)
