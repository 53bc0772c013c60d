"""BEiT-specific behaviour: relative position bias tables resampled when loading at another image size."""
import pytest
import torch

import imagemodels

timm = pytest.importorskip("timm")


def test_rel_pos_index_matches_reference():
    ref = timm.create_model("beit_base_patch16_224", img_size=64, depth=1)
    ours = imagemodels.create_model("beit_base_patch16_224", img_size=64, depth=1)
    assert torch.equal(ours.blocks[0].attn.relative_position_index, ref.blocks[0].attn.relative_position_index)


def test_load_at_other_size_resamples_tables(tmp_path):
    torch.manual_seed(0)
    path = tmp_path / "beit.pth"
    src = timm.create_model("beit_base_patch16_224", depth=2, img_size=96)
    torch.save(src.state_dict(), path)
    overlay = dict(file=str(path))
    ours = imagemodels.create_model("beit_base_patch16_224", depth=2, img_size=128, pretrained=True,
                                    pretrained_cfg_overlay=overlay).eval()
    table = ours.blocks[0].attn.relative_position_bias_table
    assert table.shape == (15 * 15 + 3, 12)
    # the class-token rows are carried over unchanged
    torch.testing.assert_close(table[-3:], src.blocks[0].attn.relative_position_bias_table[-3:])
    with torch.no_grad():
        assert ours(torch.randn(1, 3, 128, 128)).shape == (1, 1000)
