"""byoanet (BoTNet / HaloNet / LambdaNet) beyond parity: the self-attention layers' shapes and
strides, their relative position logits against a direct computation, halo attention against a
per-block loop, and which input sizes each kind accepts or refuses (as the reference does).

HaloNet models need maps divisible by the block size down to stride 32 (256px), so they are not in
the 64px fast tier: the layer tests here (and the full parity tier) cover them.
"""
from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

import imagemodels
from imagemodels.layers.bottleneck_attn import BottleneckAttn, PosEmbedRel
from imagemodels.layers.create_self_attn import create_self_attn, get_self_attn_layer
from imagemodels.layers.halo_attn import HaloAttn
from imagemodels.layers.lambda_layer import LambdaLayer, rel_pos_indices
from imagemodels.models import byoanet


def _gen(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


# --- shapes and strides ------------------------------------------------------------------------------

@pytest.mark.parametrize("stride", [1, 2])
def test_bottleneck_attn_shapes(stride):
    layer = BottleneckAttn(32, feat_size=(8, 6), stride=stride).eval()
    out = layer(torch.randn(2, 32, 8, 6))
    assert out.shape == (2, 32, 8 // stride, 6 // stride)
    assert layer.pos_embed.height_rel.shape == (15, 8) and layer.pos_embed.width_rel.shape == (11, 8)
    assert isinstance(layer.pool, torch.nn.AvgPool2d if stride == 2 else torch.nn.Identity)


def test_halo_attn_strides_by_query_grid_or_pool():
    # block_size a multiple of the stride: strided queries, no pool, smaller per-block window of queries
    strided = HaloAttn(32, stride=2, block_size=8, halo_size=2, num_heads=4)
    assert strided.q.stride == (2, 2) and isinstance(strided.pool, torch.nn.Identity)
    assert strided.pos_embed.query_size == (4, 4) and strided.pos_embed.key_size == (12, 12)
    # an odd block size cannot hold whole strided blocks: attend at full resolution, then pool
    pooled = HaloAttn(32, stride=2, block_size=7, halo_size=2, num_heads=4)
    assert pooled.q.stride == (1, 1) and isinstance(pooled.pool, torch.nn.AvgPool2d)
    assert HaloAttn(32, stride=2, block_size=8, avg_down=True).q.stride == (1, 1)
    for layer, size in ((strided, 16), (pooled, 14)):
        assert layer.eval()(torch.randn(1, 32, size, 2 * size)).shape == (1, 32, size // 2, size)


def test_halo_attn_qk_ratio_width():
    layer = HaloAttn(576, block_size=7, halo_size=2, qk_ratio=0.33)  # haloregnetz_b's layer
    assert layer.q.out_channels == 192 and layer.kv.out_channels == 192 + 576
    assert layer.dim_head_qk == 24


@pytest.mark.parametrize("r", [9, None])
@pytest.mark.parametrize("stride", [1, 2])
def test_lambda_layer_shapes(r, stride):
    layer = LambdaLayer(64, feat_size=(6, 10), r=r, stride=stride).eval()
    assert layer.qkv.out_channels == 4 * 16 + 16 + 16
    out = layer(torch.randn(2, 64, 6, 10))
    assert out.shape == (2, 64, 6 // stride, 10 // stride)
    # the learned-position form adds an embedding table, never a buffer in the checkpoint
    assert "rel_pos_indices" not in layer.state_dict()
    assert ("pos_emb" in layer.state_dict()) == (r is None)


# --- errors that say what to do ----------------------------------------------------------------------

def test_feat_size_required():
    with pytest.raises(ValueError, match="feat_size"):
        BottleneckAttn(32)
    with pytest.raises(ValueError, match="feat_size"):
        LambdaLayer(32, r=None)
    LambdaLayer(32, r=9)  # the conv form works at any size: no feat_size needed
    HaloAttn(32)


def test_wrong_sizes_refused():
    with pytest.raises(ValueError, match="img_size"):
        BottleneckAttn(32, feat_size=8)(torch.randn(1, 32, 8, 10))
    with pytest.raises(ValueError, match="img_size"):
        LambdaLayer(32, feat_size=8, r=None)(torch.randn(1, 32, 6, 6))
    with pytest.raises(ValueError, match="multiples of block_size 8"):
        HaloAttn(32, block_size=8)(torch.randn(1, 32, 12, 16))
    with pytest.raises(ValueError, match="stride"):
        HaloAttn(32, stride=4)
    with pytest.raises(ValueError, match="num_heads"):
        BottleneckAttn(30, feat_size=4, num_heads=4)
    with pytest.raises(ValueError, match="odd"):
        LambdaLayer(32, r=4)


def test_self_attn_lookup():
    assert get_self_attn_layer("halo") is HaloAttn
    assert get_self_attn_layer(LambdaLayer) is LambdaLayer
    assert isinstance(create_self_attn("bottleneck", 16, feat_size=4), BottleneckAttn)
    with pytest.raises(ValueError, match="'bottleneck', 'halo', 'lambda'"):
        get_self_attn_layer("axial")


# --- relative positions -----------------------------------------------------------------------------

def test_rel_pos_logits_match_direct_sum():
    """logit[(qy, qx), (ky, kx)] = q . height_rel[ky - qy + Kh - 1] + q . width_rel[kx - qx + Kw - 1]."""
    qh, qw, kh, kw, d = 3, 4, 5, 6, 8
    pos = PosEmbedRel((qh, qw), (kh, kw), d, scale=1.0)
    q = torch.randn(2, qh * qw, d, generator=_gen())
    got = pos(q)
    assert got.shape == (2, qh * qw, kh * kw)
    want = torch.empty_like(got)
    for qy in range(qh):
        for qx in range(qw):
            for ky in range(kh):
                for kx in range(kw):
                    rel = pos.height_rel[ky - qy + kh - 1] + pos.width_rel[kx - qx + kw - 1]
                    want[:, qy * qw + qx, ky * kw + kx] = q[:, qy * qw + qx] @ rel
    torch.testing.assert_close(got, want)


def test_lambda_rel_pos_indices():
    idx = rel_pos_indices((2, 3))
    assert idx.shape == (2, 6, 6)
    # query 0 at (0, 0), key 5 at (1, 2): offsets (1, 2) shifted by (H - 1, W - 1)
    assert idx[:, 0, 5].tolist() == [1 + 1, 2 + 2]
    assert idx[:, 5, 0].tolist() == [-1 + 1, -2 + 2]
    assert int(idx.min()) == 0 and idx[0].max() == 2 and idx[1].max() == 4


@torch.no_grad()
def test_halo_attn_matches_per_block_loop():
    torch.manual_seed(0)
    layer = HaloAttn(16, num_heads=2, block_size=4, halo_size=1).eval()
    x = torch.randn(2, 16, 8, 12, generator=_gen(1))
    got = layer(x)
    heads, dqk, dv, bs, halo = 2, layer.dim_head_qk, layer.dim_head_v, 4, 1
    q = layer.q(x)
    kv = F.pad(layer.kv(x), [halo] * 4)
    want = torch.zeros_like(got)
    for bi in range(8 // bs):
        for bj in range(12 // bs):
            for h in range(heads):
                qb = q[:, h * dqk:(h + 1) * dqk, bi * bs:(bi + 1) * bs, bj * bs:(bj + 1) * bs].flatten(2)
                win = kv[:, h * (dqk + dv):(h + 1) * (dqk + dv), bi * bs:bi * bs + bs + 2 * halo,
                         bj * bs:bj * bs + bs + 2 * halo].flatten(2)
                kb, vb = win[:, :dqk], win[:, dqk:]
                logits = qb.transpose(1, 2) @ kb * layer.scale + layer.pos_embed(qb.transpose(1, 2))
                out = (logits.softmax(-1) @ vb.transpose(1, 2)).transpose(1, 2).reshape(2, dv, bs, bs)
                want[:, h * dv:(h + 1) * dv, bi * bs:(bi + 1) * bs, bj * bs:(bj + 1) * bs] = out
    torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-5)


# --- the layers against the reference's -------------------------------------------------------------

def _reference_layers():
    pytest.importorskip("timm")
    from timm.layers.bottleneck_attn import BottleneckAttn as RefBot
    from timm.layers.halo_attn import HaloAttn as RefHalo
    from timm.layers.lambda_layer import LambdaLayer as RefLambda
    return dict(bottleneck=RefBot, halo=RefHalo, **{"lambda": RefLambda})


_LAYER_CASES = [
    ("bottleneck", dict(feat_size=(8, 6)), (8, 6)),
    ("bottleneck", dict(feat_size=(8, 6), stride=2, dim_head=16), (8, 6)),
    ("halo", dict(block_size=4, halo_size=2), (8, 12)),
    ("halo", dict(block_size=4, halo_size=1, stride=2, num_heads=4), (8, 8)),
    ("halo", dict(block_size=7, halo_size=2, stride=2, qk_ratio=0.33), (14, 14)),
    ("lambda", dict(r=5), (6, 10)),
    ("lambda", dict(r=None, feat_size=(6, 10), stride=2), (6, 10)),
]


@pytest.mark.parametrize("name,kwargs,size", _LAYER_CASES)
@torch.no_grad()
def test_layer_matches_reference(name, kwargs, size):
    ref_cls = _reference_layers()[name]
    ref = ref_cls(64, **kwargs).eval()
    ours = create_self_attn(name, 64, **kwargs).eval()
    gen = _gen(2)
    state = {k: v + torch.randn(v.shape, generator=gen) * 0.1 if v.is_floating_point() else v
             for k, v in ref.state_dict().items()}
    ref.load_state_dict(state)
    ours.load_state_dict(state, strict=True)
    x = torch.randn(2, 64, *size, generator=gen)
    want = ref(x)
    torch.testing.assert_close(ours(x), want, rtol=1e-5, atol=1e-5 * float(want.abs().max()))


# --- models: the size rules -------------------------------------------------------------------------

def test_variant_table_covers_the_registry():
    assert set(byoanet.BYOANETS) == set(imagemodels.list_models(module="byoanet"))
    assert len(byoanet.BYOANETS) == 15


def test_strided_block_attends_at_incoming_size():
    model = imagemodels.create_model("botnet26t_256", img_size=128)
    assert model.stages[2][1].self_attn.feat_size == (8, 8)
    assert model.stages[3][0].self_attn.feat_size == (8, 8)  # attends at 8x8, then pools to 4x4
    assert model.stages[3][1].self_attn.feat_size == (4, 4)


@torch.no_grad()
def test_fixed_size_models_refuse_other_sizes():
    model = imagemodels.create_model("botnet26t_256", img_size=64).eval()
    assert model(torch.randn(1, 3, 64, 64)).shape == (1, 1000)
    with pytest.raises(ValueError, match="img_size"):
        model(torch.randn(1, 3, 96, 96))


@torch.no_grad()
def test_halo_models_need_block_multiples_lambda_conv_models_do_not():
    halo = imagemodels.create_model("halonet26t", num_classes=0).eval()
    with pytest.raises(ValueError, match="block_size"):
        halo(torch.randn(1, 3, 64, 64))  # stage-3 maps are 4x4, blocks are 8x8
    lam = imagemodels.create_model("lambda_resnet26t", num_classes=0).eval()
    for size in (64, 96):
        assert lam(torch.randn(1, 3, size, size)).shape == (1, 2048)
