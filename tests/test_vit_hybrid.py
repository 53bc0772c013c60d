"""Hybrid ViT behaviour beyond the parity table: HybridEmbed's measured token grid, loading at another
image size (position embedding resampled like the reference), dynamic input sizes, a caller's backbone."""
import pytest
import torch
from torch import nn

import imagemodels
from imagemodels.layers import HybridEmbed

timm = pytest.importorskip("timm")


def _stride4_backbone(out_chs=8):
    return nn.Sequential(nn.Conv2d(3, out_chs, 3, stride=2, padding=1), nn.ReLU(),
                         nn.Conv2d(out_chs, out_chs, 3, stride=2, padding=1))


def test_hybrid_embed_measures_the_backbone():
    embed = HybridEmbed(_stride4_backbone(), img_size=64, patch_size=2, embed_dim=32)
    assert embed.feature_size == (16, 16) and embed.feature_ratio == (4, 4) and embed.feature_dim == 8
    assert embed.grid_size == (8, 8) and embed.num_patches == 64 and embed.feat_ratio() == 8
    assert embed(torch.randn(2, 3, 64, 64)).shape == (2, 64, 32)
    # backbones that return a list of maps (features_only) give their last one
    listed = HybridEmbed(nn.Sequential(_stride4_backbone(), _ListOut()), img_size=64, embed_dim=32)
    assert listed(torch.randn(1, 3, 64, 64)).shape == (1, 256, 32)


class _ListOut(nn.Module):
    def forward(self, x):
        return [x[:, :4], x]


def test_hybrid_embed_errors():
    with pytest.raises(ValueError, match="proj=False"):
        HybridEmbed(_stride4_backbone(8), img_size=64, embed_dim=32, proj=False)
    with pytest.raises(ValueError, match="divisible"):
        HybridEmbed(_stride4_backbone(), img_size=64, patch_size=3, embed_dim=32)
    embed = HybridEmbed(_stride4_backbone(), img_size=64, embed_dim=32)
    with pytest.raises(ValueError, match="img_size"):
        embed(torch.randn(1, 3, 96, 96))


@pytest.fixture(scope="module")
def tiny_64_checkpoint(tmp_path_factory):
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("vit_hybrid") / "vit_tiny_r_64.pth"
    torch.save(timm.create_model("vit_tiny_r_s16_p8_224", img_size=64, depth=2).state_dict(), path)
    return str(path)


def test_load_checkpoint_at_other_size(tiny_64_checkpoint):
    """A 64px checkpoint (2x2 tokens) loaded at 128px (4x4): position embedding resampled as the reference does."""
    overlay = dict(file=tiny_64_checkpoint, custom_load=False)
    ref = timm.create_model("vit_tiny_r_s16_p8_224", pretrained=True, pretrained_cfg_overlay=overlay, img_size=128,
                             depth=2).eval()
    ours = imagemodels.create_model("vit_tiny_r_s16_p8_224", pretrained=True, pretrained_cfg_overlay=overlay,
                                    img_size=128, depth=2).eval()
    assert ours.pos_embed.shape == ref.pos_embed.shape == (1, 17, 192)
    x = torch.randn(2, 3, 128, 128)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-4, rtol=1e-4)


def test_dynamic_img_size():
    torch.manual_seed(0)
    ref = timm.create_model("vit_tiny_r_s16_p8_224", img_size=64, depth=2, dynamic_img_size=True).eval()
    ours = imagemodels.create_model("vit_tiny_r_s16_p8_224", img_size=64, depth=2, dynamic_img_size=True).eval()
    ours.load_state_dict(ref.state_dict(), strict=True)
    x = torch.randn(1, 3, 96, 96)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-5, rtol=1e-5)
        maps = ours.forward_intermediates(x, indices=1, intermediates_only=True)
    assert maps[0].shape == (1, 192, 3, 3)


def test_dynamic_size_rounds_up_like_the_padded_backbone():
    """'SAME'-padded stages round the map up: 72px through stride 32 is a 3x3 grid, not 2x2."""
    model = imagemodels.create_model("vit_small_r26_s32_224", img_size=64, depth=2, dynamic_img_size=True).eval()
    with torch.no_grad():
        maps = model.forward_intermediates(torch.randn(1, 3, 72, 72), intermediates_only=True)
    assert maps[-1].shape == (1, 384, 3, 3)


def test_callers_backbone():
    backbone = nn.Sequential(_stride4_backbone(16), nn.Conv2d(16, 16, 4, stride=4))  # stride 16
    model = imagemodels.create_model("vit_small_r26_s32_224", backbone=backbone, img_size=64, depth=2).eval()
    assert model.patch_embed.backbone is backbone and model.patch_embed.grid_size == (4, 4)
    assert model(torch.randn(1, 3, 64, 64)).shape == (1, 1000)
