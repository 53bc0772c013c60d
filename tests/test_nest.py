"""NesT checks the generic contract/parity tests do not cover: blockify / deblockify, the JAX
head layout of the block attention, and the level geometry."""
import pytest
import torch

import imagemodels
from imagemodels.models.nest import Attention, blockify, deblockify


def test_blockify_round_trip():
    x = torch.randn(2, 8, 8, 3)
    blocks = blockify(x, 4)
    assert blocks.shape == (2, 4, 16, 3)
    torch.testing.assert_close(blocks[0, 1], x[0, 0:4, 4:8].reshape(16, 3))  # second block: top right
    torch.testing.assert_close(deblockify(blocks, 4), x)
    with pytest.raises(ValueError, match="does not split"):
        blockify(torch.randn(1, 6, 8, 3), 4)


def test_attention_concatenates_heads_dim_major():
    attn = Attention(8, num_heads=2, qkv_bias=True).eval()
    x = torch.randn(1, 3, 5, 8)
    q, k, v = attn.qkv(x).reshape(1, 3, 5, 3, 2, 4).permute(3, 0, 4, 1, 2, 5)
    out = ((q * attn.scale) @ k.transpose(-2, -1)).softmax(-1) @ v  # (B, heads, T, N, head_dim)
    expect = attn.proj(out.permute(0, 2, 3, 4, 1).reshape(1, 3, 5, 8))
    torch.testing.assert_close(attn(x), expect)


def test_small_image_geometry():
    # 64 px, patch 4: a 16x16 grid, 4x4 blocks of 4x4 tokens at the first of three levels
    model = imagemodels.create_model("nest_tiny", img_size=64, num_classes=3).eval()
    assert model.num_blocks == [16, 4, 1] and model.block_size == 4
    with torch.no_grad():
        maps = model.forward_intermediates(torch.randn(1, 3, 64, 64), intermediates_only=True)
    assert [m.shape[-1] for m in maps] == [16, 8, 4]
    with pytest.raises(ValueError, match="whole blocks"):
        imagemodels.create_model("nest_tiny", img_size=72)
