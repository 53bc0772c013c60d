"""BEiT-specific behaviour: relative position bias tables resampled when loading at another image size."""
import pytest
import torch

import imagemodels

timm = pytest.importorskip("timm")


def test_rel_pos_index_matches_reference():
    ref = timm.create_model("beit_base_patch16_224", img_size=64, depth=1)
    ours = imagemodels.create_model("beit_base_patch16_224", img_size=64, depth=1)
    assert torch.equal(ours.blocks[0].attn.relative_position_index, ref.blocks[0].attn.relative_position_index)


@pytest.mark.parametrize("size", [128, 64])
def test_load_at_other_size_resamples_tables_as_reference(tmp_path, size):
    torch.manual_seed(0)
    path = tmp_path / "beit.pth"
    state = timm.create_model("beit_base_patch16_224", depth=1, img_size=96).state_dict()
    key = "blocks.0.attn.relative_position_bias_table"
    state[key] = torch.randn_like(state[key])
    torch.save(state, path)
    overlay = dict(file=str(path))
    ours = imagemodels.create_model("beit_base_patch16_224", depth=1, img_size=size, pretrained=True,
                                    pretrained_cfg_overlay=overlay).eval()
    ref = timm.create_model("beit_base_patch16_224", depth=1, img_size=size, pretrained=True,
                            pretrained_cfg_overlay=overlay).eval()
    side = 2 * (size // 16) - 1
    assert ours.blocks[0].attn.relative_position_bias_table.shape == (side * side + 3, 12)
    x = torch.randn(1, 3, size, size)
    with torch.no_grad():
        torch.testing.assert_close(ours.blocks[0].attn.relative_position_bias_table,
                                   ref.blocks[0].attn.relative_position_bias_table, atol=1e-5, rtol=0)
        torch.testing.assert_close(ours(x), ref(x), atol=1e-4, rtol=0)
