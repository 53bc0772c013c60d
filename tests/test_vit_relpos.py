"""Relative-position ViT behaviour beyond the parity table: the bias MLP is independent of the token grid
(weights load at another image size; set_input_size), the class-token padding of the bias, the shared
bias, and errors for what the family cannot do."""
import pytest
import torch

import imagemodels
from imagemodels.layers import RelPosMlp, gen_relative_log_coords

timm = pytest.importorskip("timm")


def test_log_coords_and_bias_shape():
    coords = gen_relative_log_coords((3, 4))
    assert coords.shape == (5, 7, 2)
    # offsets -2..2 (rows) and -3..3 (columns), log-spaced with their sign
    torch.testing.assert_close(coords[:, 3, 0], torch.tensor([-2.0, -1.0, 0.0, 1.0, 2.0]).sign() * torch.log1p(
        torch.tensor([2.0, 1.0, 0.0, 1.0, 2.0])))
    rel_pos = RelPosMlp((3, 4), num_heads=5, hidden_dim=16, prefix_tokens=1)
    bias = rel_pos.get_bias()
    assert bias.shape == (1, 5, 13, 13)
    # the class token gets no bias, to or from any token
    assert bias[0, :, 0, :].abs().max() == 0 and bias[0, :, :, 0].abs().max() == 0
    # the same offset gives the same bias: (0,0)->(0,1) equals (1,1)->(1,2)
    torch.testing.assert_close(bias[0, :, 1, 2], bias[0, :, 1 + 5, 2 + 5])


@pytest.mark.parametrize("kwargs", [dict(), dict(mode="swin"), dict(mode="swin", pretrained_window_size=(8, 8))])
def test_rel_pos_mlp_matches_reference_layer(kwargs):
    from timm.layers import RelPosMlp as RefRelPosMlp

    torch.manual_seed(0)
    ref = RefRelPosMlp((5, 6), num_heads=4, hidden_dim=32, prefix_tokens=1, **kwargs).eval()
    ours = RelPosMlp((5, 6), num_heads=4, hidden_dim=32, prefix_tokens=1, **kwargs).eval()
    ours.load_state_dict(ref.state_dict(), strict=True)
    attn = torch.randn(2, 4, 31, 31)
    torch.testing.assert_close(ours(attn), ref(attn))


def test_weights_load_at_another_grid():
    """The bias MLP has no grid-sized parameter: a 64px model's weights run a 96px model, as in the reference."""
    torch.manual_seed(0)
    state = timm.create_model("test_vit_relpos", img_size=64).state_dict()
    ref = timm.create_model("test_vit_relpos", img_size=96).eval()
    ours = imagemodels.create_model("test_vit_relpos", img_size=96).eval()
    ref.load_state_dict(state, strict=True)
    ours.load_state_dict(state, strict=True)
    x = torch.randn(2, 3, 96, 96)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-5, rtol=1e-5)


def test_set_input_size_rebuilds_the_bias_grid():
    torch.manual_seed(0)
    model = imagemodels.create_model("vit_srelpos_small_patch16_224", img_size=64, depth=2).eval()
    fresh = imagemodels.create_model("vit_srelpos_small_patch16_224", img_size=96, depth=2).eval()
    fresh.load_state_dict(model.state_dict(), strict=True)
    model.set_input_size(img_size=(96, 96))
    assert model.shared_rel_pos.window_size == (6, 6)
    x = torch.randn(1, 3, 96, 96)
    with torch.no_grad():
        torch.testing.assert_close(model(x), fresh(x))


def test_shared_bias_lives_on_the_model():
    model = imagemodels.create_model("vit_srelpos_small_patch16_224", img_size=64, depth=2)
    assert all(block.attn.__class__.__name__ == "Attention" for block in model.blocks)
    assert any(k.startswith("shared_rel_pos.mlp") for k in model.state_dict())
    # layer decay puts the shared MLP with the stem
    assert "shared_rel_pos" in model.group_matcher()["stem"]


def test_intermediates_with_class_token():
    torch.manual_seed(0)
    model = imagemodels.create_model("vit_relpos_medium_patch16_cls_224", img_size=64, depth=3).eval()
    with torch.no_grad():
        maps = model.forward_intermediates(torch.randn(1, 3, 64, 64), intermediates_only=True)
        pairs = model.forward_intermediates(torch.randn(1, 3, 64, 64), return_prefix_tokens=True,
                                            intermediates_only=True, output_fmt="NLC")
    assert [m.shape for m in maps] == [(1, 512, 4, 4)] * 3
    assert pairs[0][0].shape == (1, 16, 512) and pairs[0][1].shape == (1, 1, 512)


@pytest.mark.parametrize("kwargs", [dict(dynamic_img_size=True), dict(rel_pos_type="bias")])
def test_unsupported_options_say_so(kwargs):
    with pytest.raises(ValueError, match="dynamic_img_size|rel_pos_type"):
        imagemodels.create_model("test_vit_relpos", **kwargs)
