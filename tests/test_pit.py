"""PiT behaviour: pooled token grid, class-token widening, distillation head, original-checkpoint names."""
import torch

from imagemodels.models.pit import PoolingVisionTransformer, checkpoint_filter_fn


def _tiny(**kw):
    return PoolingVisionTransformer(img_size=32, patch_size=8, stride=4, base_dims=(8, 8, 8), depth=(1, 1, 1),
                                    heads=(2, 4, 8), num_classes=5, **kw).eval()


def test_grid_halves_and_width_doubles_per_stage():
    model = _tiny()
    maps = model.forward_intermediates(torch.randn(1, 3, 32, 32), intermediates_only=True)
    assert [tuple(m.shape[1:]) for m in maps] == [(16, 7, 7), (32, 4, 4), (64, 2, 2)]
    assert [i["reduction"] for i in model.feature_info] == [4, 8, 16]


def test_distilled_heads_average_at_eval_and_split_in_training():
    model = _tiny(distilled=True)
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        feats = model.forward_features(x)
        assert feats.shape == (2, 2, 64)
        expected = (model.head(feats[:, 0]) + model.head_dist(feats[:, 1])) / 2
        assert torch.allclose(model(x), expected, atol=1e-6)
    model.set_distilled_training(True)
    model.train()
    out = model(x)
    assert isinstance(out, tuple) and len(out) == 2


def test_original_checkpoint_pool_names_are_mapped():
    model = _tiny()
    state = {k.replace("transformers.1.pool.", "pools.0.").replace("transformers.2.pool.", "pools.1."): v
             for k, v in model.state_dict().items()}
    model.load_state_dict(checkpoint_filter_fn(state, model), strict=True)
