"""CaiT behaviour: late class token, LayerScale init, pooling, pruning for features."""
import torch

from imagemodels.models.cait import Cait


def _tiny(**kw):
    return Cait(img_size=32, patch_size=8, embed_dim=32, depth=2, num_heads=4, num_classes=5, **kw).eval()


def test_class_attention_reads_but_does_not_update_patches():
    model = _tiny()
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        tokens = model.patch_embed(x) + model.pos_embed
        for block in model.blocks:
            tokens = block(tokens)
        feats = model.forward_features(x)
    # the patch tokens leave the class-attention blocks unchanged (only the final norm is applied)
    assert torch.allclose(feats[:, 1:], model.norm(tokens), atol=1e-6)
    assert feats.shape == (2, 1 + 16, 32)


def test_layer_scale_init_and_uniform_drop_path():
    model = Cait(img_size=32, patch_size=8, embed_dim=32, depth=3, num_heads=4, init_values=1e-5, drop_path_rate=0.1)
    assert torch.all(model.blocks[0].gamma_1 == 1e-5)
    assert [b.drop_path.drop_prob for b in model.blocks] == [0.1, 0.1, 0.1]  # CaiT: the same rate for every block


def test_avg_pool_reads_patch_tokens():
    model = _tiny()
    model.reset_classifier(0, "avg")
    x = torch.randn(1, 3, 32, 32)
    with torch.no_grad():
        feats = model.forward_features(x)
        assert torch.allclose(model(x), feats[:, 1:].mean(1))


def test_prune_for_features_drops_class_path():
    model = _tiny()
    model.prune_intermediate_layers([0], prune_norm=True)
    assert model.cls_token is None and len(model.blocks) == 1 and len(model.blocks_token_only) == 0
    maps = model.forward_intermediates(torch.randn(1, 3, 32, 32), intermediates_only=True)
    assert maps[0].shape == (1, 32, 4, 4)


def test_token_pools():
    import pytest

    from imagemodels.layers import pool_tokens, token_pool_width

    x = torch.randn(2, 5, 4)
    assert torch.equal(pool_tokens(x, "token"), x[:, 0])
    assert torch.allclose(pool_tokens(x, "avg", num_prefix_tokens=1), x[:, 1:].mean(1))
    assert pool_tokens(x, "catavgmax").shape == (2, token_pool_width(4, "catavgmax")) == (2, 8)
    model = _tiny()
    with pytest.raises(ValueError, match="global_pool must be one of"):
        model.reset_classifier(3, "map")
