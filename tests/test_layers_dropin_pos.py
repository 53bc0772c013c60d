"""Position embeddings, attention and pooling layers that ``timm.layers`` code imports, against the
reference's name of the same spelling.

Modules: both are built with the same arguments, the reference's (randomised) state_dict loads
strictly into ours, outputs must match. Functions: same outputs for the same arguments.
"""
import pytest
import torch
from torch import nn

import imagemodels.layers as L

R = pytest.importorskip("timm.layers")


def _randomise(module: nn.Module) -> None:
    with torch.no_grad():
        for name, t in module.state_dict().items():
            if not t.is_floating_point():
                continue
            t.copy_(torch.rand_like(t) + 0.5 if "running_var" in name else torch.randn_like(t) * 0.3)


def _same_module(name, kwargs, *inputs, atol=1e-5, call=None):
    torch.manual_seed(0)
    ref, ours = getattr(R, name)(**kwargs).eval(), getattr(L, name)(**kwargs).eval()
    _randomise(ref)
    ours.load_state_dict(ref.state_dict(), strict=True)
    call = call or (lambda m, *a: m(*a))
    with torch.no_grad():
        torch.testing.assert_close(call(ours, *inputs), call(ref, *inputs), rtol=0, atol=atol)
    return ours, ref


def _close(ours, theirs, atol=1e-5):
    if isinstance(theirs, (list, tuple)):
        assert isinstance(ours, (list, tuple)) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _close(a, b, atol)
        return
    torch.testing.assert_close(ours, theirs, rtol=0, atol=atol)


# --- sin-cos / Fourier / rotary functions ------------------------------------------------------------------

def test_frequency_bands():
    _close(L.freq_bands(8), R.freq_bands(8))
    _close(L.freq_bands(8, 100.0, 1), R.freq_bands(8, 100.0, 1))
    _close(L.pixel_freq_bands(5), R.pixel_freq_bands(5))
    _close(L.pixel_freq_bands(5, 64.0, False), R.pixel_freq_bands(5, 64.0, False))


@pytest.mark.parametrize("kw", [{}, dict(reverse_coord=True), dict(interleave_sin_cos=True),
                                dict(dim=16, temperature=100.0)])
def test_build_sincos2d_pos_embed(kw):
    _close(L.build_sincos2d_pos_embed([3, 5], **kw), R.build_sincos2d_pos_embed([3, 5], **kw))


FOURIER_CASES = [
    {}, dict(in_pixels=False), dict(in_pixels=False, ref_feat_shape=[4, 6], grid_offset=1.0),
    dict(grid_indexing="xy", in_pixels=False, ref_feat_shape=[4, 7]), dict(grid_type="centered"),
    dict(grid_type="centered", normalize_coords="min", grid_offset=0.5),
    dict(grid_type="centered", normalize_coords="max", ref_feat_shape=[5, 5]),
    dict(max_res=32, linear_bands=True), dict(bands=torch.tensor([1.0, 3.0]), grid_type="pixel", ref_feat_shape=[3, 3]),
]


@pytest.mark.parametrize("kw", FOURIER_CASES)
def test_build_fourier_and_rotary_pos_embed(kw):
    # pixel bands reach ~350 rad, so float32 rounding of a different op order shows at ~4e-5
    _close(L.build_fourier_pos_embed([3, 5], num_bands=4, **kw),
           R.build_fourier_pos_embed([3, 5], num_bands=4, **kw), atol=1e-4)
    _close(L.build_fourier_pos_embed([3, 5], num_bands=4, include_grid=True, **kw),
           R.build_fourier_pos_embed([3, 5], num_bands=4, include_grid=True, **kw), atol=1e-4)
    for half in (False, True):
        _close(L.build_rotary_pos_embed([3, 5], dim=16, rotate_half=half, **kw),
               R.build_rotary_pos_embed([3, 5], dim=16, rotate_half=half, **kw), atol=1e-4)


@pytest.mark.parametrize("half", [False, True])
def test_apply_rot_embed(half):
    x = torch.randn(2, 4, 15, 16)
    sin, cos = R.build_rotary_pos_embed([3, 5], dim=16)
    _close(L.apply_rot_embed(x, sin, cos, half), R.apply_rot_embed(x, sin, cos, half))
    _close(L.apply_rot_embed_list([x, 2 * x], sin, cos, half), R.apply_rot_embed_list([x, 2 * x], sin, cos, half))
    assert L.apply_rot_embed(x.half(), sin, cos, half).dtype == torch.float16


@pytest.mark.parametrize("kw", [
    dict(dim=16), dict(dim=16, in_pixels=False, feat_shape=[3, 5]),
    dict(dim=16, feat_shape=[3, 5], rotate_half=True, linear_bands=True, max_res=64),
    dict(dim=16, grid_type="centered", ref_feat_shape=[4, 4]),
])
def test_rotary_embedding(kw):
    ours, ref = L.RotaryEmbedding(**kw).eval(), R.RotaryEmbedding(**kw).eval()
    assert list(ours.state_dict()) == list(ref.state_dict())
    _close(ours.get_embed([3, 5]), ref.get_embed([3, 5]), atol=2e-4)
    if "feat_shape" in kw:
        _close(ours.get_embed(), ref.get_embed(), atol=2e-4)
    x = torch.randn(2, 16, 3, 5)
    _close(ours(x), ref(x), atol=5e-4)


def test_rotary_embedding_augments_only_in_training():
    rope = L.RotaryEmbedding(16, in_pixels=False, feat_shape=[3, 5], jitter_coords=1.5)
    assert not rope.eval().aug_active
    assert torch.equal(rope.get_embed()[0], rope.get_embed([3, 5])[0])
    assert rope.train().aug_active
    assert not torch.equal(rope.get_embed()[0], rope.pos_embed_sin)


@pytest.mark.parametrize("kw", [dict(max_res=16, num_bands=2), dict(max_res=16, num_bands=3, keep_spatial=True),
                                dict(num_bands=3, concat_grid=False)])
def test_fourier_embed(kw):
    x = torch.randn(2, 3, 4, 5)
    _close(L.FourierEmbed(**kw)(x), R.FourierEmbed(**kw)(x), atol=1e-4)


def test_get_mixed_freqs():
    freqs, t_x, t_y = torch.randn(2, 3, 4, 8), torch.arange(6.0), torch.arange(6.0) * 2
    _close(L.get_mixed_freqs(freqs, t_x, t_y), R.get_mixed_freqs(freqs, t_x, t_y))


@pytest.mark.parametrize("rope_type,kw", [
    ("cat", dict(in_pixels=False, feat_shape=[3, 5])), ("cat", dict(feat_shape=[3, 5])),
    ("base", dict(feat_shape=[3, 5])), ("dinov3", {}),
])
def test_create_rope_embed(rope_type, kw):
    ours = L.create_rope_embed(rope_type, dim=64, num_heads=4, **kw).eval()
    ref = R.create_rope_embed(rope_type, dim=64, num_heads=4, **kw).eval()
    _close(ours.get_embed([3, 5]), ref.get_embed([3, 5]), atol=2e-4)


def test_create_rope_embed_rejects_unknown_type():
    with pytest.raises(ValueError, match="rope_type"):
        L.create_rope_embed("spiral")


# --- attention pooling --------------------------------------------------------------------------------------

@pytest.mark.parametrize("kw", [
    dict(in_features=64, ref_feat_size=4, head_dim=16),
    dict(in_features=64, head_dim=16, class_token=True, qkv_separate=True, out_features=10),
    dict(in_features=64, num_heads=2, out_features=0),
    dict(in_features=64, embed_dim=32, head_dim=8, ref_feat_size=(5, 6)),
    dict(in_features=64, head_dim=16, rope_type="base"),
])
def test_rot_attention_pool2d(kw):
    ours, _ = _same_module("RotAttentionPool2d", kw, torch.randn(2, 64, 5, 6))
    assert ours.out_features == R.RotAttentionPool2d(**kw).out_features


def test_rot_attention_pool2d_reset_and_errors():
    pool = L.RotAttentionPool2d(64, head_dim=16)
    pool.reset(7)
    assert pool(torch.randn(1, 64, 3, 3)).shape == (1, 7)
    with pytest.raises(ValueError, match="token"):
        L.RotAttentionPool2d(64, pool_type="avg")
    with pytest.raises(ValueError, match="head_dim"):
        L.RotAttentionPool2d(64, embed_dim=32, head_dim=64)


MAP, TOKENS = torch.randn(2, 32, 5, 6), torch.randn(2, 7, 32)


@pytest.mark.parametrize("kw", [dict(dim=32), dict(dim=32, num_heads=4, qkv_bias=True, qk_norm=True),
                                dict(dim=32, gamma=2.0)])
def test_simpool(kw):
    _same_module("SimPool2d", kw, MAP)
    _same_module("SimPool1d", kw, TOKENS)


@pytest.mark.parametrize("kw", [{}, dict(r=3.0, r_learnable=False)])
def test_lse_plus(kw):
    _same_module("LsePlus1d", kw, TOKENS)
    _same_module("LsePlus2d", kw, MAP)
    _same_module("LsePlus2d", dict(kw, flatten=False), MAP)


# --- channel / spatial attention ------------------------------------------------------------------------------

@pytest.mark.parametrize("kw", [
    # the reference 1.0.31 cannot build use_mlp=True or extra_params=True (its device/dtype
    # forwarding raises TypeError), so only the parameter-free variants are compared
    dict(channels=32, use_mlp=False), dict(channels=32, extent=2, use_mlp=False),
    dict(channels=32, extent=4, use_mlp=False, add_maxpool=True),
    dict(channels=32, use_mlp=False, add_maxpool=True, gate_layer="hard_sigmoid"),
])
def test_gather_excite(kw):
    _same_module("GatherExcite", kw, MAP)


@pytest.mark.parametrize("kw", [dict(channels=32), dict(channels=32, extent=2),
                                dict(channels=32, extra_params=True, feat_size=(5, 6)),
                                dict(channels=32, extra_params=True, extent=4)])
def test_gather_excite_parameterised_variants_run(kw):
    ge = L.GatherExcite(**kw).eval()
    assert ge(MAP).shape == MAP.shape
    with pytest.raises(ValueError, match="extent"):
        L.GatherExcite(32, extent=3)


@pytest.mark.parametrize("kw", [dict(in_channels=32), dict(in_channels=32, use_scale=False, rd_channels=4)])
def test_non_local_attn(kw):
    _same_module("NonLocalAttn", kw, MAP)


def test_non_local_attn_starts_as_identity():
    assert torch.equal(L.NonLocalAttn(32).eval()(MAP), MAP)


@pytest.mark.parametrize("kw", [dict(channels=32), dict(channels=32, add_maxpool=True)])
def test_effective_squeeze_excite(kw):
    _same_module("EffectiveSqueezeExcite", kw, MAP)
    assert L.EffectiveSqueezeExcite is L.EffectiveSEModule


# --- moved from models/vision_transformer.py ------------------------------------------------------------------

@pytest.mark.parametrize("kw", [dict(dim=32, num_heads=4), dict(dim=32, num_heads=2, qkv_bias=True, depth=3),
                                dict(dim=32, num_heads=4, dual_lambda=True, depth=1),
                                dict(dim=32, num_heads=4, qk_norm=True, scale_norm=True)])
def test_diff_attention(kw):
    _same_module("DiffAttention", kw, torch.randn(2, 9, 32))


def test_diff_attention_and_swiglu_packed_have_one_home():
    from imagemodels.models import vision_transformer

    assert vision_transformer.DiffAttention is L.DiffAttention
    assert vision_transformer.SwiGLUPacked is L.SwiGLUPacked
    _same_module("SwiGLUPacked", dict(in_features=16, hidden_features=32), torch.randn(2, 5, 16))


# --- relative position bias --------------------------------------------------------------------------------

@pytest.mark.parametrize("name,kw,tokens", [
    ("RelPosBias", dict(window_size=(3, 4), num_heads=2), 12),
    ("RelPosBias", dict(window_size=(3, 4), num_heads=2, prefix_tokens=1), 13),
    ("RelPosBiasTf", dict(window_size=(3, 4), num_heads=2), 12),
])
def test_rel_pos_bias(name, kw, tokens):
    ours, ref = _same_module(name, kw, torch.randn(2, 2, tokens, tokens))
    assert ours.get_bias().shape == ref.get_bias().shape


@pytest.mark.parametrize("name", ["RelPosBias", "RelPosBiasTf"])
def test_rel_pos_bias_set_window_size(name):
    ref, ours = getattr(R, name)((4, 4), 2), getattr(L, name)((4, 4), 2)
    ours.load_state_dict(ref.state_dict())
    ref.set_window_size((5, 5))
    ours.set_window_size((5, 5))
    _close(ours.get_bias(), ref.get_bias(), atol=1e-4)


def test_resize_rel_pos_bias_tables():
    table = torch.randn(16, 3)
    _close(L.resize_rel_pos_bias_table_levit(table, (25, 3)), R.resize_rel_pos_bias_table_levit(table, (25, 3)))
    _close(L.resize_rel_pos_bias_table_levit(table, (25, 3), interpolation="bilinear", antialias=False),
           R.resize_rel_pos_bias_table_levit(table, (25, 3), interpolation="bilinear", antialias=False))
    for table, window, shape in [(torch.randn(25, 2), (4, 4), (49, 2)), (torch.randn(28, 2), (4, 4), (52, 2)),
                                 (torch.randn(2, 5, 7), (5, 6), (2, 9, 11))]:
        _close(L.resize_rel_pos_bias_table_simple(table, window, shape),
               R.resize_rel_pos_bias_table_simple(table, window, shape))
    with pytest.raises(ValueError, match="heads"):
        L.resize_rel_pos_bias_table_levit(torch.randn(16, 3), (25, 4))


# --- 2-d attention ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kw", [dict(dim=32, num_heads=4),
                                dict(dim=32, dim_out=48, num_heads=4, expand_first=True, head_first=True),
                                dict(dim=32, dim_out=16, num_heads=2, bias=False)])
def test_attention2d(kw):
    _same_module("Attention2d", kw, torch.randn(2, 32, 3, 4))


@pytest.mark.parametrize("kw", [dict(dim=32, num_heads=4, key_dim=8, value_dim=8),
                                dict(dim=32, dim_out=16, num_heads=2, key_dim=4, value_dim=6)])
def test_multi_query_attention_v2(kw):
    _same_module("MultiQueryAttentionV2", kw, torch.randn(2, 32, 3, 4))


ROPE = torch.cat(R.build_rotary_pos_embed([3, 4], dim=8, in_pixels=False), dim=-1)


@pytest.mark.parametrize("kw", [
    dict(dim=32, num_heads=4),
    dict(dim=32, num_heads=4, qkv_fused=False, num_kv_heads=2, gated=True),
    dict(dim=32, num_heads=4, qk_norm=True, scale_norm=True, norm_layer=nn.LayerNorm, rotate_half=True),
    dict(dim=32, num_heads=4, num_kv_heads=2, qkv_fused=False, dim_out=16, qkv_bias=False, proj_bias=False),
])
def test_attention_rope(kw):
    x = torch.randn(2, 13, 32)
    _same_module("AttentionRope", kw, x, call=lambda m, t: m(t, rope=ROPE))
    _same_module("AttentionRope", kw, x)
    _same_module("AttentionRope", dict(kw, num_prefix_tokens=0), x[:, 1:], call=lambda m, t: m(t, rope=ROPE))


def test_attention_rope_rejects_fused_gqa():
    with pytest.raises(ValueError, match="qkv_fused=False"):
        L.AttentionRope(32, num_heads=4, num_kv_heads=2)


# --- heads and embeddings that also report their size -----------------------------------------------------------

@pytest.mark.parametrize("kw", [dict(in_features=32, num_classes=10),
                                dict(in_features=32, num_classes=10, hidden_size=16, pool_type="max"),
                                dict(in_features=32, num_classes=10, pool_type="avgmax", act_layer="tanh",
                                     norm_layer="rmsnorm")])
def test_cl_norm_mlp_classifier_head(kw):
    nhwc, nlc = torch.randn(2, 3, 4, 32), torch.randn(2, 7, 32)
    _same_module("ClNormMlpClassifierHead", kw, nhwc)
    _same_module("ClNormMlpClassifierHead", dict(kw, input_fmt="NLC"), nlc)
    _same_module("ClNormMlpClassifierHead", kw, nhwc, call=lambda m, t: m(t, pre_logits=True))
    _same_module("ClNormMlpClassifierHead", dict(kw, pool_type=""), nhwc)


@pytest.mark.parametrize("kw", [dict(img_size=32, patch_size=8, embed_dim=16),
                                dict(img_size=32, patch_size=8, embed_dim=16, norm_layer=nn.LayerNorm, output_fmt="NHWC"),
                                dict(img_size=32, patch_size=8, embed_dim=16, flatten=False)])
def test_patch_embed_with_size(kw):
    for img in (torch.randn(2, 3, 32, 32), torch.randn(1, 3, 48, 40)):  # any size divisible by the patch
        ours, ref = _same_module("PatchEmbedWithSize", kw, img, call=lambda m, t: m(t)[0])
        assert ours(img)[1] == ref(img)[1]
    with pytest.raises(ValueError, match="divisible"):
        L.PatchEmbedWithSize(**kw)(torch.randn(1, 3, 47, 40))


@pytest.mark.parametrize("kw", [dict(img_size=32, embed_dim=16, patch_size=2), dict(img_size=32, embed_dim=8, proj=False)])
def test_hybrid_embed_with_size(kw):
    torch.manual_seed(0)
    backbone = nn.Sequential(nn.Conv2d(3, 8, 3, stride=4, padding=1))
    ref, ours = R.HybridEmbedWithSize(backbone, **kw), L.HybridEmbedWithSize(backbone, **kw)
    ours.load_state_dict(ref.state_dict(), strict=True)
    for img in (torch.randn(2, 3, 32, 32), torch.randn(2, 3, 48, 40)):
        (a, size_a), (b, size_b) = ours(img), ref(img)
        _close(a, b)
        assert tuple(size_a) == tuple(size_b)


@pytest.mark.parametrize("kw", [dict(dim=32, num_heads=4), dict(dim=32, num_heads=4, pool_type="avg"),
                                dict(dim=32, num_heads=2, pre_norm=True, post_norm=True)])
def test_attention_pool_prr(kw):
    _same_module("AttentionPoolPrr", kw, torch.randn(2, 7, 32))
    with pytest.raises(ValueError, match="pool_type"):
        L.AttentionPoolPrr(32, pool_type="max")


@pytest.mark.parametrize("channels_last", [True, False])
def test_patch_embed_interpolator(channels_last):
    kw = dict(in_chans=3, embed_dim=16, channels_last=channels_last)
    ref, ours = R.PatchEmbedInterpolator((8, 8), **kw), L.PatchEmbedInterpolator((8, 8), **kw)
    ours.prewarm([4, (6, 10)])
    w_lin, bias, w_conv = torch.randn(16, 8 * 8 * 3), torch.randn(16), torch.randn(16, 3, 8, 8)
    for ph, pw in [(4, 4), (6, 10)]:
        patches = torch.randn(2, 5, ph, pw, 3) if channels_last else torch.randn(2, 5, 3, ph, pw)
        # the pseudo-inverse is solved in float32 by both; different solvers round at ~1e-4
        _close(ours(patches, w_lin, bias, patch_size=(ph, pw)), ref(patches, w_lin, bias, patch_size=(ph, pw)), 2e-4)
    base = torch.randn(2, 5, 192)
    _close(ours(base, w_lin, bias), ref(base, w_lin, bias))
    img = torch.randn(2, 3, 24, 24)
    _close(ours(img, w_conv, bias, patch_size=(4, 4), is_linear=False),
           ref(img, w_conv, bias, patch_size=(4, 4), is_linear=False), 2e-4)
    _close(ours.resample_linear_weight(w_lin, (12, 12)), ref.resample_linear_weight(w_lin, (12, 12)), 1e-4)
    with pytest.raises(ValueError, match="5-D"):
        ours(base, w_lin, bias, patch_size=(4, 4))


@pytest.mark.parametrize("kw", [dict(in_features=64, feat_size=4, head_dim=16),
                                dict(in_features=64, feat_size=4, head_dim=16, qkv_separate=True, class_token=True),
                                dict(in_features=64, feat_size=4, head_dim=16, out_features=0),
                                dict(in_features=64, feat_size=4, num_heads=2, embed_dim=32, out_features=10)])
def test_attention_pool2d_reference_options(kw):
    _same_module("AttentionPool2d", kw, torch.randn(2, 64, 4, 4))
    _same_module("AttentionPool2d", kw, torch.randn(2, 64, 5, 6), atol=1e-4)  # resampled position table
    assert L.AttentionPool2d(**kw).out_features == R.AttentionPool2d(**kw).out_features


def test_create_rope_embed_mixed_loads_reference_freqs():
    ref = R.create_rope_embed("mixed", dim=64, num_heads=4, depth=2, feat_shape=[3, 5])
    ours = L.create_rope_embed("mixed", dim=64, num_heads=4, depth=2, feat_shape=[3, 5])
    ours.load_state_dict(ref.state_dict(), strict=True)
    with torch.no_grad():
        _close(ours.get_embed(), ref.get_embed())
        _close(ours.get_embed([4, 4]), ref.get_embed([4, 4]))


def test_methods_the_reference_offers():
    pool = L.AttentionPool2d(64, feat_size=4, head_dim=16)
    pool.init_weights(zero_init_last=True)
    assert pool.proj.weight.abs().sum() == 0
    pool.reset(0, reset_other=True)
    assert isinstance(pool.proj, nn.Identity) and pool.out_features == 64
    head = L.ClNormMlpClassifierHead(32, 10, hidden_size=16)
    head.reset(5, reset_other=True, in_features=32)
    assert head(torch.randn(2, 3, 3, 32)).shape == (2, 5)
    rope = L.RotaryEmbedding(16, feat_shape=[3, 5])
    assert rope.get_embed(dtype=torch.float16)[0].dtype == torch.float16
    attn = L.DiffAttention(32, num_heads=4)
    attn.set_lambda_init(5)
    assert attn.lambda_init == pytest.approx(R.DiffAttention(32, num_heads=4, depth=5).lambda_init)
    x = torch.randn(2, 6, 32)
    ref = R.DiffAttention(32, num_heads=4).eval()
    attn = L.DiffAttention(32, num_heads=4).eval()
    attn.load_state_dict(ref.state_dict())
    with torch.no_grad():
        _close(attn(x, is_causal=True), ref(x, is_causal=True))
