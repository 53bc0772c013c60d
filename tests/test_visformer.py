"""Visformer behaviour: attention-free first stage, stage widths / strides, the spatial MLP's width rule."""
import torch

from imagemodels.models.visformer import SpatialMlp, Visformer


def _tiny(**kw):
    return Visformer(img_size=64, init_channels=8, embed_dim=32, depth=(1, 1, 1), num_heads=2, attn_stage="011",
                     spatial_conv="100", norm_layer=torch.nn.BatchNorm2d, embed_norm=torch.nn.BatchNorm2d,
                     num_classes=3, **kw).eval()


def test_stages():
    model = _tiny()
    assert model.stage1[0].attn is None and model.stage2[0].attn is not None
    with torch.no_grad():
        maps = model.forward_intermediates(torch.randn(1, 3, 64, 64), intermediates_only=True)
    assert [tuple(m.shape[1:]) for m in maps] == [(16, 8, 8), (32, 4, 4), (64, 2, 2)]


def test_spatial_mlp_width():
    assert SpatialMlp(12, 48, spatial_conv=True, group=8).hidden_features == 24  # 2x with a grouped conv
    assert SpatialMlp(12, 48, spatial_conv=True, group=1).hidden_features == 10  # 5/6 with a plain one
    assert SpatialMlp(12, 48).hidden_features == 48


def test_pool_choices():
    model = _tiny()
    model.reset_classifier(4, global_pool="catavgmax")
    with torch.no_grad():
        assert model(torch.randn(2, 3, 64, 64)).shape == (2, 4)
