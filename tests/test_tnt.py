"""TNT behaviour: pixel tokens per patch, legacy vs current pixel embedding."""
import torch

from imagemodels.models.tnt import TNT, PixelEmbed


def test_pixel_tokens_per_patch():
    embed = PixelEmbed(img_size=32, patch_size=16, in_dim=8, stride=4)
    pos = torch.zeros(1, 8, 4, 4)
    out = embed(torch.randn(2, 3, 32, 32), pos)
    assert out.shape == (2 * 4, 16, 8)  # 4 patches per image, 4x4 pixel tokens each


def test_current_embedding_sees_only_its_patch_legacy_sees_across():
    x = torch.zeros(1, 3, 32, 32)
    x2 = x.clone()
    x2[:, :, :, 15] = 1.0  # the last column of the left-hand patches
    pos = torch.zeros(1, 8, 4, 4)
    for legacy, changes_right in ((False, False), (True, True)):
        torch.manual_seed(0)
        embed = PixelEmbed(img_size=32, patch_size=16, in_dim=8, stride=4, legacy=legacy)
        with torch.no_grad():
            diff = (embed(x, pos) - embed(x2, pos)).abs().reshape(1, 2, 2, 16, 8).sum((0, 3, 4))
        assert bool(diff[:, 1].gt(0).any()) == changes_right  # legacy: the whole-image 7x7 conv reaches across


def test_forward_intermediates_prefix_tokens():
    model = TNT(img_size=32, patch_size=16, embed_dim=32, inner_dim=8, depth=2, num_heads_outer=4,
                num_classes=3).eval()
    with torch.no_grad():
        out = model.forward_intermediates(torch.randn(1, 3, 32, 32), return_prefix_tokens=True, intermediates_only=True)
    assert out[0][0].shape == (1, 32, 2, 2) and out[0][1].shape == (1, 1, 32)
