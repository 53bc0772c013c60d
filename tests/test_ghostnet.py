"""GhostNet family behaviour beyond parity: V3's re-parameterisation."""
import torch

import imagemodels
from imagemodels.utils.model import reparameterize_model


def _randomise_bn(model):
    gen = torch.Generator().manual_seed(0)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=gen) * 0.1)
            m.running_var.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
            m.weight.data.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
            m.bias.data.copy_(torch.randn(m.num_features, generator=gen) * 0.1)


@torch.no_grad()
def test_ghostnetv3_reparameterize_keeps_outputs():
    model = imagemodels.create_model("ghostnetv3_050", num_classes=10).eval()
    _randomise_bn(model)
    x = torch.randn(2, 3, 64, 64)
    expected = model(x)
    fused = reparameterize_model(model)
    names = [n for n, _ in fused.named_modules()]
    assert not any("rpr" in n for n in names)  # every training-time branch folded away
    # the folded convs sit where the reference's deployed checkpoints keep them
    keys = fused.state_dict().keys()
    assert "blocks.1.0.conv_dw.bias" in keys and "blocks.0.0.ghost1.primary_conv.0.bias" in keys
    assert torch.allclose(fused(x), expected, atol=1e-4)
    assert sum(p.numel() for p in fused.parameters()) < sum(p.numel() for p in model.parameters())


@torch.no_grad()
def test_ghostnet_versions_differ_in_modules():
    v1 = imagemodels.create_model("ghostnet_050")
    v2 = imagemodels.create_model("ghostnetv2_100")
    assert not any(n.endswith("short_conv") for n, _ in v1.named_modules())
    # DFC attention from the third block on, never in the first two
    assert hasattr(v2.blocks[2][0].ghost1, "short_conv") and not hasattr(v2.blocks[1][0].ghost1, "short_conv")
