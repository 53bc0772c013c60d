"""Family-specific behaviour of the Dual Path Networks: the paired (residual, dense) block output, the
'b' blocks' split output convs, features_only maps with both paths concatenated, pruning."""
import torch

import imagemodels


def test_block_returns_residual_and_dense_paths():
    model = imagemodels.create_model("dpn68", num_classes=0).eval()
    with torch.no_grad():
        res, dense = model.features[:3](torch.randn(1, 3, 32, 32))  # stem, pool, first block
    assert res.shape[1] == 64 and dense.shape[1] == 3 * 16  # projected 2 * inc, then + inc


def test_b_variant_splits_the_last_conv():
    keys = imagemodels.create_model("dpn68b").state_dict()
    assert "features.conv2_1.c1x1_c1.weight" in keys and "features.conv2_1.c1x1_c2.weight" in keys
    assert "features.conv2_1.c1x1_c.conv.weight" not in imagemodels.create_model("dpn68b").state_dict()
    assert "features.conv2_1.c1x1_c.conv.weight" in imagemodels.create_model("dpn68").state_dict()


def test_features_only_concatenates_paths_and_matches_intermediates():
    x = torch.randn(1, 3, 64, 64)
    model = imagemodels.create_model("dpn48b").eval()
    feats = imagemodels.create_model("dpn48b", features_only=True, out_indices=(1, 3)).eval()
    # the wrapper opens ``features`` one level: features.conv2_1.* -> features_conv2_1.*
    state = {k.replace("features.", "features_", 1): v for k, v in model.state_dict().items()}
    missing, _ = feats.load_state_dict(state, strict=False)
    assert not missing
    with torch.no_grad():
        maps = feats(x)
        ref = model.forward_intermediates(x, indices=[1, 3], intermediates_only=True)
    assert [m.shape[1] for m in maps] == feats.feature_info.channels() == [144, 512]
    for a, b in zip(maps, ref):
        torch.testing.assert_close(a, b)


def test_prune_keeps_blocks_up_to_last_point():
    model = imagemodels.create_model("dpn48b")
    assert model.prune_intermediate_layers([1, 2]) == [1, 2]
    assert list(model.features._modules)[-1] == "conv3_4"
    assert isinstance(model.get_classifier(), torch.nn.Identity)
    out = model.forward_intermediates(torch.randn(1, 3, 64, 64), indices=[1, 2], intermediates_only=True)
    assert [o.shape[1] for o in out] == [144, 320]
