"""EVA-family behaviour: rotary embeddings equal the reference's tables, the structures of the big
variants (checked at a reduced width / depth), dynamic image size, loading at another image size."""
import pytest
import torch

import imagemodels
from imagemodels.layers.pos_embed_sincos import (
    RotaryEmbeddingCat, RotaryEmbeddingDinoV3, apply_rot_embed_cat, gather_rope,
)

timm = pytest.importorskip("timm")


def _pair(name, seed=0, **kwargs):
    """The reference's model and ours with the reference's (randomised) weights loaded."""
    torch.manual_seed(seed)
    ref = timm.create_model(name, **kwargs).eval()
    ours = imagemodels.create_model(name, **kwargs).eval()
    state = {k: (torch.randn_like(v) * 0.1 if v.is_floating_point() else v) for k, v in ref.state_dict().items()}
    ref.load_state_dict(state)
    ours.load_state_dict(state, strict=True)
    return ref, ours


@pytest.mark.parametrize("name,patch,shape", [
    ("eva02_tiny_patch14_224", 14, (4, 6)),          # 'ij', positions scaled to the 16x16 pre-training grid
    ("vit_small_patch16_rope_224", 16, (5, 3)),      # 'xy', raw positions, temperature 100
    ("vit_pe_core_tiny_patch16_384", 16, (4, 4)),    # 'xy', offset 1 then scaled to 24x24
])
def test_rope_cat_tables_equal_reference(name, patch, shape):
    ref = timm.create_model(name, img_size=(shape[0] * patch, shape[1] * patch), depth=1).rope
    ours = imagemodels.create_model(name, img_size=(shape[0] * patch, shape[1] * patch), depth=1).rope
    assert isinstance(ours, RotaryEmbeddingCat)
    torch.testing.assert_close(ours.get_embed(), ref.get_embed(), atol=1e-6, rtol=0)
    other = timm.create_model(name, img_size=(7 * patch, 2 * patch), depth=1).rope
    torch.testing.assert_close(ours.get_embed((7, 2)), other.get_embed(), atol=1e-5, rtol=0)


def test_rope_dinov3_and_mixed_tables_equal_reference():
    ref = timm.create_model("vit_small_patch16_dinov3", depth=1).rope
    ours = imagemodels.create_model("vit_small_patch16_dinov3", depth=1).rope
    assert isinstance(ours, RotaryEmbeddingDinoV3)
    torch.testing.assert_close(ours.get_embed((3, 5)), ref.get_embed((3, 5)), atol=1e-6, rtol=0)
    ref, ours = _pair("vit_small_patch16_rope_mixed_224", img_size=(48, 80), depth=2)
    torch.testing.assert_close(ours.rope.get_embed(), ref.rope.get_embed(), atol=1e-6, rtol=0)


def test_rotation_keeps_norms_and_identity_at_zero_angle():
    x = torch.randn(2, 3, 16, 64)
    # each table is laid out for its rotation: pairs for the axial one, halves for DINOv3's
    for emb, half in ((RotaryEmbeddingCat(64, feat_shape=(4, 4)).get_embed(), False),
                      (RotaryEmbeddingDinoV3(64).get_embed((4, 4)), True)):
        y = apply_rot_embed_cat(x, emb, half=half)
        torch.testing.assert_close(y.norm(dim=-1), x.norm(dim=-1))
    y = apply_rot_embed_cat(x, RotaryEmbeddingCat(64, feat_shape=(4, 4)).get_embed())
    torch.testing.assert_close(y[:, :, 0], x[:, :, 0])  # position (0, 0): angle 0


# The big variants' structures at a reduced size (width 128, 2 heads of 64, depth 2).
SMALL = dict(embed_dim=128, num_heads=2, depth=2)


@pytest.mark.parametrize("name,size,small", [
    ("eva02_enormous_patch14_clip_224", 56, SMALL),   # post-norm blocks, no rope, token pool
    ("eva_giant_patch14_224", 56, SMALL),             # fused qkv with q/v bias, GELU MLP, fc_norm
    ("eva02_large_patch14_clip_224", 56, SMALL),      # q/k/v linears, split SwiGLU with inner norm, sub-LN
    ("vit_7b_patch16_dinov3", 64, SMALL),             # no qkv bias, SwiGLU, DINOv3 rope, 4 registers
    ("vit_pe_core_gigantic_patch14_448", 56, SMALL),  # no class token, attention-pool head
    ("vit_large_patch16_lingbot", 64, SMALL),         # class token pooling with registers
])
def test_big_variant_structures_match_reference(name, size, small):
    ref, ours = _pair(name, img_size=size, **small)
    assert {k: v.shape for k, v in ours.state_dict().items()} == {k: v.shape for k, v in ref.state_dict().items()}
    x = torch.randn(2, 3, size, size)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-4, rtol=0)
        torch.testing.assert_close(ours.forward_features(x), ref.forward_features(x), atol=1e-4, rtol=0)


def test_dynamic_img_size_on_non_square_input():
    ref, ours = _pair("vit_tiny_patch16_dinov3_qkvb", depth=2)
    x = torch.randn(1, 3, 48, 80)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-4, rtol=0)
        maps = ours.forward_intermediates(x, indices=1, intermediates_only=True)
        ref_maps = ref.forward_intermediates(x, indices=1, intermediates_only=True)
    assert maps[0].shape == (1, 192, 3, 5)
    torch.testing.assert_close(maps[0], ref_maps[0], atol=1e-4, rtol=0)


def test_dynamic_img_size_resamples_abs_pos_embed():
    ref, ours = _pair("eva02_tiny_patch14_224", img_size=56, depth=2, dynamic_img_size=True)
    x = torch.randn(1, 3, 84, 70)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-4, rtol=0)


def test_load_at_other_size_resamples_pos_embed_as_reference(tmp_path):
    torch.manual_seed(0)
    path = tmp_path / "eva.pth"
    state = timm.create_model("eva02_tiny_patch14_336", depth=1, img_size=112).state_dict()
    state["pos_embed"] = torch.randn_like(state["pos_embed"])
    torch.save(state, path)
    overlay = dict(file=str(path))
    kw = dict(depth=1, img_size=56, pretrained=True, pretrained_cfg_overlay=overlay)
    ours = imagemodels.create_model("eva02_tiny_patch14_336", **kw).eval()
    ref = timm.create_model("eva02_tiny_patch14_336", **kw).eval()
    assert ours.pos_embed.shape == (1, 1 + 16, 192)
    torch.testing.assert_close(ours.pos_embed, ref.pos_embed, atol=1e-5, rtol=0)


def test_patch_dropout_keeps_rope_rows_of_kept_tokens():
    model = imagemodels.create_model("vit_small_patch16_rope_mixed_224", img_size=64, depth=2, patch_drop_rate=0.5)
    model.train()
    tokens, rope = model._embed(torch.randn(3, 3, 64, 64))
    assert tokens.shape == (3, 1 + 8, 384)
    assert rope.shape == (2, 3, 6, 8, 128)  # (depth, batch, heads, kept tokens, 2 * head_dim)
    model(torch.randn(3, 3, 64, 64)).sum().backward()
    full = RotaryEmbeddingCat(64, feat_shape=(4, 4)).get_embed()
    keep = torch.tensor([[0, 5], [3, 15]])
    torch.testing.assert_close(gather_rope(full, keep, per_block=False)[1, 0, 1], full[15])


def test_bad_options_raise_clear_errors():
    with pytest.raises(ValueError, match="global_pool"):
        imagemodels.create_model("eva02_tiny_patch14_224", img_size=56, depth=1, global_pool="nope")
    with pytest.raises(ValueError, match="class token"):
        imagemodels.create_model("vit_medium_patch16_rope_reg1_gap_256", img_size=64, depth=1, global_pool="token")


def test_grouped_query_attention_blocks_match_reference():
    # Sapiens2's middle blocks use half as many kv heads; the same layout at width 256 / depth 3
    ref, ours = _pair("vit_large_patch16_sapiens2", img_size=64, embed_dim=256, num_heads=4, depth=3,
                      num_kv_heads=[4, 2, 4])
    assert ours.blocks[1].attn.k_proj.weight.shape == (128, 256)
    x = torch.randn(1, 3, 64, 48)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-4, rtol=0)
