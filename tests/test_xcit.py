"""XCiT checks the generic contract/parity tests do not cover: official-release checkpoints (fused
class-attention qkv, ``pos_embeder`` keys) load, and any input size runs (the Fourier position
encoding has no table to resample)."""
import torch

import imagemodels
from imagemodels.models.xcit import checkpoint_filter_fn

NAME = "xcit_nano_12_p16_224"


def _official_layout(state_dict):
    """Our layout -> the original release's: pos_embeder.*, one qkv linear per class-attention block."""
    out = {}
    for key, value in state_dict.items():
        if key.startswith("pos_embed."):
            out[key.replace("pos_embed.", "pos_embeder.")] = value
        elif key.startswith("cls_attn_blocks") and ".attn.q." in key:
            parts = [state_dict[key.replace(".q.", f".{n}.")] for n in "qkv"]
            out[key.replace(".q.", ".qkv.")] = torch.cat(parts, dim=0)
        elif key.startswith("cls_attn_blocks") and (".attn.k." in key or ".attn.v." in key):
            continue
        else:
            out[key] = value
    return {"model": out}


def test_official_checkpoint_layout_loads():
    src = imagemodels.create_model(NAME, num_classes=4).eval()
    dst = imagemodels.create_model(NAME, num_classes=4).eval()
    dst.load_state_dict(checkpoint_filter_fn(_official_layout(src.state_dict()), dst), strict=True)
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        torch.testing.assert_close(dst(x), src(x))


def test_any_input_size():
    model = imagemodels.create_model(NAME, num_classes=3).eval()
    with torch.no_grad():
        for h, w in ((64, 64), (96, 128)):
            x = torch.randn(1, 3, h, w)
            assert model(x).shape == (1, 3)
            maps = model.forward_intermediates(x, indices=2, intermediates_only=True)
            assert [m.shape for m in maps] == [(1, 128, h // 16, w // 16)] * 2


def test_avg_pool_and_no_pos_embed():
    model = imagemodels.create_model(NAME, global_pool="avg", use_pos_embed=False, num_classes=0).eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        feats = model.forward_features(x)
        torch.testing.assert_close(model(x), feats[:, 1:].mean(1))
    assert "pos_embed.token_projection.weight" not in model.state_dict()
