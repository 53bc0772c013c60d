"""CoaT behaviour: shared position modules and MLP, factorized attention, co-scale outputs."""
import pytest
import torch

import imagemodels
from imagemodels.models.coat import CoaT, ConvRelPosEnc, FactorAttnConvRelPosEnc


def _tiny(parallel_depth=1):
    return CoaT(img_size=64, patch_size=4, embed_dims=(16, 16, 16, 16), serial_depths=(1, 1, 1, 1),
                parallel_depth=parallel_depth, num_heads=8, num_classes=3).eval()


def test_shared_modules():
    model = _tiny()
    assert model.serial_blocks2[0].cpe is model.cpe2 and model.serial_blocks2[0].factoratt_crpe.crpe is model.crpe2
    block = model.parallel_blocks[0]
    assert block.factoratt_crpe3.crpe is model.crpe3
    assert block.mlp2 is block.mlp3 is block.mlp4


def test_factorized_attention_is_linear_attention_plus_crpe():
    torch.manual_seed(0)
    crpe = ConvRelPosEnc(head_chs=2, num_heads=8, window={3: 2, 5: 3, 7: 3})
    attn = FactorAttnConvRelPosEnc(16, num_heads=8, shared_crpe=crpe).eval()
    for conv in crpe.conv_list:  # no position term: pure factorized attention
        torch.nn.init.zeros_(conv.weight)
        torch.nn.init.zeros_(conv.bias)
    x = torch.randn(1, 1 + 9, 16)
    q, k, v = attn.qkv(x).reshape(1, 10, 3, 8, 2).permute(2, 0, 3, 1, 4)
    expected = attn.scale * (q @ (k.softmax(dim=2).transpose(-1, -2) @ v))
    expected = attn.proj(expected.transpose(1, 2).reshape(1, 10, 16))
    with torch.no_grad():
        assert torch.allclose(attn(x, (3, 3)), expected, atol=1e-6)


def test_lite_and_full_feature_shapes():
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        lite, full = _tiny(0), _tiny(1)
        assert lite.forward_features(x).shape == (1, 1 + 4, 16)
        assert [t.shape[1] for t in full.forward_features(x)] == [1 + 64, 1 + 16, 1 + 4]
        assert full(x).shape == (1, 3)


@pytest.mark.parametrize("name", ["coat_lite_tiny", "coat_tiny"])
def test_every_token_pool_is_applied_not_remapped(name):
    """max / avgmax / catavgmax pool each scale's image tokens (catavgmax doubles the head input);
    '' has no meaning for a head that pools per scale and is refused with what to use instead."""
    model = imagemodels.create_model(name, num_classes=0, img_size=64).eval()
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        feats = model.forward_features(x)
        pooled = {}
        for pool in ("token", "avg", "max", "avgmax", "catavgmax"):
            model.reset_classifier(0, global_pool=pool)
            pooled[pool] = model.forward_head(feats)
            assert pooled[pool].shape[-1] == model.head_hidden_size
    c = model.num_features
    assert pooled["catavgmax"].shape[-1] == 2 * c
    torch.testing.assert_close(pooled["catavgmax"][:, :c], pooled["avg"])
    torch.testing.assert_close(pooled["catavgmax"][:, c:], pooled["max"])
    torch.testing.assert_close(pooled["avgmax"], 0.5 * (pooled["avg"] + pooled["max"]))
    assert not torch.allclose(pooled["max"], pooled["avg"])
    with pytest.raises(ValueError, match="global_pool"):
        model.reset_classifier(3, global_pool="")
