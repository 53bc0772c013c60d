"""Family-specific behaviour of SelecSLS: the long-range skip pair passed between blocks, feature points
in the trailing convs (strides 32 and 64), features_only through forward_intermediates."""
import torch

import imagemodels


def test_first_block_output_is_the_stage_skip():
    model = imagemodels.create_model("selecsls42b").eval()
    with torch.no_grad():
        x = model.stem(torch.randn(1, 3, 32, 32))
        out, skip = model.features[0]([x])
        assert out is skip
        out2, skip2 = model.features[1]([out, skip])
    assert skip2 is skip and out2.shape[1] == 128


def test_six_feature_points_and_default_features_only():
    model = imagemodels.create_model("selecsls42b").eval()
    assert [f["reduction"] for f in model.feature_info] == [2, 4, 8, 16, 32, 64]
    feats = imagemodels.create_model("selecsls42b", features_only=True).eval()
    assert feats.feature_info.channels() == [32, 128, 288, 480, 1024]
    assert "head_1.0.weight" in feats.state_dict() and not any(k.startswith("head_2") for k in feats.state_dict())
    with torch.no_grad():
        maps = feats(torch.randn(1, 3, 64, 64))
    assert [m.shape[-1] for m in maps] == [32, 16, 8, 4, 2]


def test_prune_into_the_stages_drops_the_head_convs():
    model = imagemodels.create_model("selecsls60")
    model.prune_intermediate_layers([1, 2])
    assert len(model.features) == 5 and len(model.head) == 0
    final, maps = model.forward_intermediates(torch.randn(1, 3, 64, 64), indices=[1, 2])
    assert final.shape[1] == 288 and [m.shape[1] for m in maps] == [128, 288]
