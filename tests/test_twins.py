"""Twins behaviour: windowed vs global sub-sampled attention, PEG position, attention layout per variant."""
import torch

from imagemodels.models.twins import GlobalSubSampleAttn, LocallyGroupedAttn, Twins


def test_windowed_attention_stays_in_its_window_and_pads():
    torch.manual_seed(0)
    attn = LocallyGroupedAttn(dim=8, num_heads=2, ws=4).eval()
    x = torch.randn(1, 6 * 6, 8)  # 6x6: padded to 8x8, four windows
    x2 = x.clone()
    x2[:, 0] += 1.0  # token (0, 0): window 0 only
    with torch.no_grad():
        diff = (attn(x, (6, 6)) - attn(x2, (6, 6))).abs().sum(-1).reshape(6, 6)
    assert diff[:4, :4].gt(0).any() and diff[4:, :].eq(0).all() and diff[:, 4:].eq(0).all()


def test_global_subsample_reduces_keys():
    attn = GlobalSubSampleAttn(dim=8, num_heads=2, sr_ratio=2)
    assert attn.sr.stride == (2, 2)
    assert attn(torch.randn(1, 16, 8), (4, 4)).shape == (1, 16, 8)
    assert GlobalSubSampleAttn(dim=8, num_heads=2, sr_ratio=1).sr is None


def test_svt_alternates_attention():
    model = Twins(img_size=64, embed_dims=(8, 16, 32, 64), num_heads=(1, 2, 4, 8), depths=(2, 2, 2, 2),
                  wss=(2, 2, 2, 2), num_classes=3).eval()
    kinds = [type(b.attn).__name__ for b in model.blocks[0]]
    assert kinds == ["LocallyGroupedAttn", "GlobalSubSampleAttn"]
    with torch.no_grad():
        maps = model.forward_intermediates(torch.randn(1, 3, 64, 64), intermediates_only=True)
    assert [tuple(m.shape[1:]) for m in maps] == [(8, 16, 16), (16, 8, 8), (32, 4, 4), (64, 2, 2)]
