"""Transformer layers (patch embedding, attention, layer scale, position-embedding resampling,
patch dropout, attention pooling) against the reference's layer of the same name.

Each case builds both with the same arguments, loads the reference's state_dict strictly into ours
and compares outputs, so a renamed child or a changed op order fails.
"""
import pytest
import torch
from torch import nn

import imagemodels.layers as L

timm_layers = pytest.importorskip("timm.layers")


def _same(ours, ref, *args, atol=1e-5):
    ref.eval(), ours.eval()
    with torch.no_grad():
        for p in ref.parameters():
            p.normal_(std=0.5)
    ours.load_state_dict(ref.state_dict(), strict=True)
    with torch.no_grad():
        torch.testing.assert_close(ours(*args), ref(*args), rtol=0, atol=atol)


IMG = torch.randn(2, 3, 32, 32)
TOK = torch.randn(2, 17, 16)
CASES = [
    ("PatchEmbed", dict(img_size=32, patch_size=8, in_chans=3, embed_dim=16), IMG),
    ("PatchEmbed", dict(img_size=32, patch_size=8, embed_dim=16, norm_layer=nn.LayerNorm, bias=False), IMG),
    ("PatchEmbed", dict(img_size=32, patch_size=8, embed_dim=16, output_fmt="NHWC"), IMG),
    ("PatchEmbed", dict(img_size=32, patch_size=8, embed_dim=16, flatten=False), IMG),
    ("PatchEmbed", dict(img_size=32, patch_size=8, embed_dim=16, strict_img_size=False, dynamic_img_pad=True),
     torch.randn(2, 3, 35, 29)),
    ("PatchEmbed", dict(img_size=None, patch_size=(4, 8), embed_dim=16), torch.randn(2, 3, 24, 40)),
    ("Attention", dict(dim=16, num_heads=4), TOK),
    ("Attention", dict(dim=16, num_heads=4, qkv_bias=True, qk_norm=True, norm_layer=nn.LayerNorm), TOK),
    ("Attention", dict(dim=16, num_heads=2, attn_head_dim=4, dim_out=12, scale_norm=True, proj_bias=False,
                       norm_layer=L.RmsNorm), TOK),
    ("Attention", dict(dim=16, num_heads=4, gated=True, qkv_bias=True), TOK),
    ("LayerScale", dict(dim=16, init_values=0.1), TOK),
    ("AttentionPoolLatent", dict(in_features=16, num_heads=4), TOK),
    ("AttentionPoolLatent", dict(in_features=16, out_features=8, num_heads=4, latent_len=3, pool_type="avg",
                                 qk_norm=True, norm_layer=nn.LayerNorm), TOK),
    ("AttentionPoolLatent", dict(in_features=16, num_heads=4, pos_embed="abs", feat_size=17, q_proj=False,
                                 pool_type="", norm_layer=nn.LayerNorm), TOK),
]


@pytest.mark.parametrize("name,kwargs,x", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_layer_matches_reference(name, kwargs, x):
    torch.manual_seed(0)
    ref = getattr(timm_layers, name)(**kwargs)
    ours = getattr(L, name)(**kwargs)
    _same(ours, ref, x)


@pytest.mark.parametrize("fused", [True, False])
def test_attention_fused_and_written_out_agree_with_mask(fused):
    torch.manual_seed(0)
    ours = L.Attention(16, num_heads=4, qkv_bias=True).eval()
    ours.fused_attn = fused
    ref = timm_layers.Attention(16, num_heads=4, qkv_bias=True).eval()
    ref.load_state_dict(ours.state_dict())
    mask = torch.randn(2, 1, 17, 17)
    with torch.no_grad():
        torch.testing.assert_close(ours(TOK, attn_mask=mask), ref(TOK, attn_mask=mask), rtol=0, atol=1e-5)


def test_fused_attn_env(monkeypatch):
    import imagemodels.layers.attention as A
    monkeypatch.setattr(A, "_USE_FUSED_ATTN", 0)
    assert not L.use_fused_attn() and L.Attention(16, 4).fused_attn is False
    monkeypatch.setenv("IMAGEMODELS_FUSED_ATTN", "2")
    assert A._env_level() == 2
    monkeypatch.delenv("IMAGEMODELS_FUSED_ATTN")
    monkeypatch.setenv("TIMM_FUSED_ATTN", "0")
    assert A._env_level() == 0


def test_patch_embed_attrs_and_errors():
    ours = L.PatchEmbed(img_size=(32, 48), patch_size=8, embed_dim=16)
    ref = timm_layers.PatchEmbed(img_size=(32, 48), patch_size=8, embed_dim=16)
    for attr in ("img_size", "grid_size", "num_patches", "patch_size", "flatten"):
        assert getattr(ours, attr) == getattr(ref, attr)
    assert ours.feat_ratio() == 8 and ours.dynamic_feat_size((40, 40)) == (5, 5)
    with pytest.raises(ValueError, match="img_size"):
        ours(torch.randn(1, 3, 40, 40))


@pytest.mark.parametrize("kwargs", [
    dict(new_size=[6, 5], num_prefix_tokens=1),
    dict(new_size=[3, 3], num_prefix_tokens=5, interpolation="bilinear", antialias=False),
    dict(new_size=[7, 7], num_prefix_tokens=0),
])
def test_resample_abs_pos_embed(kwargs):
    posemb = torch.randn(1, kwargs["num_prefix_tokens"] + 16, 8)
    torch.testing.assert_close(L.resample_abs_pos_embed(posemb, **kwargs),
                               timm_layers.resample_abs_pos_embed(posemb, **kwargs))


def test_resample_abs_pos_embed_nhwc():
    posemb = torch.randn(1, 4, 4, 8)
    torch.testing.assert_close(L.resample_abs_pos_embed_nhwc(posemb, [6, 3]),
                               timm_layers.resample_abs_pos_embed_nhwc(posemb, [6, 3]))


def test_resample_patch_embed():
    weight = torch.randn(4, 3, 16, 16)
    for size in ([8, 8], [14, 14], [32, 24]):
        torch.testing.assert_close(L.resample_patch_embed(weight, size),
                                   timm_layers.resample_patch_embed(weight, size), atol=1e-4, rtol=1e-4)


def test_patch_dropout_keeps_prefix_and_share():
    x = torch.arange(2 * 11, dtype=torch.float32).reshape(2, 11, 1)
    drop = L.PatchDropout(0.5, num_prefix_tokens=1, ordered=True)
    out = drop(x)
    assert out.shape == (2, 6, 1)
    assert torch.equal(out[:, 0], x[:, 0])
    assert (out[:, 1:].squeeze(-1).diff(dim=1) > 0).all()
    drop.eval()
    assert drop(x) is x
    ref = timm_layers.PatchDropout(0.5, num_prefix_tokens=1)
    assert ref(x).shape == out.shape


def test_format_helpers():
    x = torch.randn(2, 3, 4, 5)
    assert L.nchw_to(x, L.Format.NLC).shape == (2, 20, 3)
    assert L.nchw_to(x, L.Format.NCL).shape == (2, 3, 20)
    nhwc = L.nchw_to(x, L.Format.NHWC)
    assert torch.equal(L.nhwc_to(nhwc, L.Format.NCHW), x)
    assert torch.equal(L.nhwc_to(nhwc, L.Format.NLC), L.nchw_to(x, L.Format.NLC))
    assert L.get_spatial_dim("NHWC") == (1, 2) and L.get_channel_dim(L.Format.NLC) == 2
    for fmt in ("NCHW", "NHWC", "NCL", "NLC"):
        assert L.get_spatial_dim(fmt) == timm_layers.get_spatial_dim(fmt)
        assert L.get_channel_dim(fmt) == timm_layers.get_channel_dim(fmt)
