"""CrossViT checks the generic contract/parity tests do not cover: the per-branch input scaling,
the original release's key names, and the averaged per-branch heads."""
import torch

import imagemodels
from imagemodels.models.crossvit import checkpoint_filter_fn

NAME = "crossvit_tiny_240"


def test_branch_geometry():
    model = imagemodels.create_model(NAME)
    assert model.img_size_scaled == [(240, 240), (224, 224)]
    assert model.grids == [(20, 20), (14, 14)]
    assert [i["reduction"] for i in model.feature_info] == [12, 12, 12, 17, 17, 17]


def test_original_key_names_load():
    model = imagemodels.create_model(NAME, num_classes=3)
    state = {}
    for key, value in model.state_dict().items():
        for name in ("pos_embed", "cls_token"):
            if key.startswith(f"{name}_"):
                key = f"{name}.{key.split('_')[-1]}"
        state[key] = value
    model.load_state_dict(checkpoint_filter_fn({"model": state}, model), strict=True)


def test_heads_are_averaged():
    model = imagemodels.create_model(NAME, num_classes=4).eval()
    with torch.no_grad():
        feats = model.forward_features(torch.randn(1, 3, 240, 240))
        expect = (model.head[0](feats[0][:, 0]) + model.head[1](feats[1][:, 0])) / 2
        torch.testing.assert_close(model.forward_head(feats), expect)
        assert model.forward_head(feats, pre_logits=True).shape == (1, 96 + 192)
