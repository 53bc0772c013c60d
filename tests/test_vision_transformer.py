"""ViT-family behaviour beyond the parity table: loading at another image / patch size, dynamic input
sizes, intermediates in both layouts, DeiT's distillation head, fused vs written-out attention."""
import pytest
import torch

import imagemodels

timm = pytest.importorskip("timm")


def _pair(name, **kwargs):
    torch.manual_seed(0)
    ref = timm.create_model(name, **kwargs).eval()
    ours = imagemodels.create_model(name, **kwargs).eval()
    ours.load_state_dict(ref.state_dict(), strict=True)
    return ours, ref


@pytest.fixture(scope="module")
def small_224_checkpoint(tmp_path_factory):
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("vit") / "vit_small_224.pth"
    torch.save(timm.create_model("vit_small_patch16_224").state_dict(), path)
    return str(path)


@pytest.mark.parametrize("kwargs", [dict(img_size=160), dict(img_size=96, patch_size=8)])
def test_load_224_checkpoint_at_other_size(small_224_checkpoint, kwargs):
    """Position embedding (and patch kernel) resampled on load exactly as the reference does."""
    overlay = dict(file=small_224_checkpoint, custom_load=False)
    ref = timm.create_model("vit_small_patch16_224", pretrained=True, pretrained_cfg_overlay=overlay, **kwargs).eval()
    ours = imagemodels.create_model("vit_small_patch16_224", pretrained=True, pretrained_cfg_overlay=overlay, **kwargs).eval()
    size = kwargs["img_size"]
    assert ours.pos_embed.shape == ref.pos_embed.shape
    x = torch.randn(2, 3, size, size)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-4, rtol=1e-4)


def test_dynamic_img_size_any_input():
    ours, ref = _pair("test_vit")  # built with dynamic_img_size=True at 160
    x = torch.randn(1, 3, 96, 128)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-5, rtol=0)
        maps = ours.forward_intermediates(x, intermediates_only=True)
    assert maps[-1].shape == (1, 64, 6, 8)


def test_dynamic_img_pad():
    ours, ref = _pair("vit_tiny_patch16_224", dynamic_img_size=True, dynamic_img_pad=True)
    x = torch.randn(1, 3, 70, 50)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-5, rtol=0)


@pytest.mark.parametrize("kwargs", [dict(output_fmt="NLC"), dict(return_prefix_tokens=True, norm=True),
                                    dict(indices=[0, 2], stop_early=True)])
def test_forward_intermediates_options(kwargs):
    ours, ref = _pair("test_vit2", img_size=64)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        a = ours.forward_intermediates(x, intermediates_only=True, **kwargs)
        b = ref.forward_intermediates(x, intermediates_only=True, **kwargs)
    flat = lambda ys: [t for y in ys for t in (y if isinstance(y, tuple) else (y,))]  # noqa: E731
    for u, v in zip(flat(a), flat(b), strict=True):
        torch.testing.assert_close(u, v, atol=1e-5, rtol=0)


def test_features_only_defaults_to_last_three_blocks():
    model = imagemodels.create_model("test_vit", features_only=True)
    assert model.feature_info.out_indices == (3, 4, 5)
    outs = model(torch.randn(1, 3, 160, 160))
    assert [o.shape for o in outs] == [torch.Size([1, 64, 10, 10])] * 3


def test_deit_distilled_heads():
    model = imagemodels.create_model("deit_tiny_distilled_patch16_224", img_size=64)
    x = torch.randn(2, 3, 64, 64)
    model.eval()
    with torch.no_grad():
        feats = model.forward_features(x)
        avg = model(x)
    torch.testing.assert_close(avg, (model.head(feats[:, 0]) + model.head_dist(feats[:, 1])) / 2)
    model.train()
    model.set_distilled_training(True)
    out = model(x)
    assert isinstance(out, tuple) and len(out) == 2
    model.set_distilled_training(False)
    assert isinstance(model(x), torch.Tensor)
    model.reset_classifier(7)
    assert model.head.out_features == model.head_dist.out_features == 7


def test_fused_and_unfused_attention_agree():
    model = imagemodels.create_model("test_vit3", img_size=64).eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        fused = model(x)
        for m in model.modules():
            if hasattr(m, "fused_attn"):
                m.fused_attn = False
        torch.testing.assert_close(model(x), fused, atol=1e-5, rtol=1e-5)


def test_map_pool_rejected_without_attention_pool():
    model = imagemodels.create_model("test_vit", img_size=64)
    with pytest.raises(ValueError, match="map"):
        model.reset_classifier(10, global_pool="map")
    with pytest.raises(ValueError, match="global_pool"):
        imagemodels.create_model("test_vit", global_pool="mean")
