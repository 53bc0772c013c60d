"""ConvNeXt checks the generic contract/parity tests do not cover: its own layers against the reference
layers, structural options no registered name combines (on the tiny test model), output_stride, and
the NormMlpClassifierHead's pooling changes."""
import pytest
import torch

import imagemodels
from imagemodels.layers import (
    GlobalResponseNorm, GlobalResponseNormMlp, NormMlpClassifierHead, RmsNorm2d, SimpleNorm, SimpleNorm2d,
)
from imagemodels.models import convnext

SIZE = 64


def reference():
    return pytest.importorskip("timm")


def _randomise(module, seed=0):
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.5 + (1.0 if p.ndim == 1 else 0.0))


def _same_layer(ours, ref, x):
    _randomise(ref)
    ours.load_state_dict(ref.state_dict(), strict=True)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-5, rtol=0)


@pytest.mark.parametrize("channels_last", [True, False])
def test_grn_matches_reference(channels_last):
    from timm.layers.grn import GlobalResponseNorm as RefGRN

    reference()
    x = torch.randn(2, 5, 6, 16) if channels_last else torch.randn(2, 16, 5, 6)
    _same_layer(GlobalResponseNorm(16, channels_last=channels_last), RefGRN(16, channels_last=channels_last), x)


@pytest.mark.parametrize("use_conv", [True, False])
def test_grn_mlp_matches_reference(use_conv):
    timm = reference()
    x = torch.randn(2, 8, 5, 6) if use_conv else torch.randn(2, 5, 6, 8)
    _same_layer(GlobalResponseNormMlp(8, 32, use_conv=use_conv), timm.layers.GlobalResponseNormMlp(8, 32, use_conv=use_conv), x)


def test_fresh_grn_is_identity():
    x = torch.randn(2, 5, 6, 16)
    torch.testing.assert_close(GlobalResponseNorm(16)(x), x)


@pytest.mark.parametrize("name, nhwc", [("RmsNorm2d", False), ("SimpleNorm2d", False), ("SimpleNorm", True)])
def test_scale_norms_match_reference(name, nhwc):
    timm = reference()
    ours = {"RmsNorm2d": RmsNorm2d, "SimpleNorm2d": SimpleNorm2d, "SimpleNorm": SimpleNorm}[name](8)
    x = torch.randn(2, 8, 5, 6) * 3 + 1
    _same_layer(ours, getattr(timm.layers, name)(8), x.permute(0, 2, 3, 1) if nhwc else x)


def _build_both(name, **kwargs):
    timm = reference()
    ref = timm.create_model(name, **kwargs).eval()
    ours = imagemodels.create_model(name, **kwargs).eval()
    _randomise(ref)
    ours.load_state_dict(ref.state_dict(), strict=True)
    return ours, ref


@pytest.mark.parametrize("kwargs", [
    dict(head_norm_first=True),
    dict(head_hidden_size=48),
    dict(use_grn=True, ls_init_value=None),  # V2 with linear (NHWC) MLPs
    dict(stem_type="overlap"),
    dict(conv_bias=False, patch_size=2),
    dict(norm_layer="rmsnorm"),  # RmsNorm in linear-MLP blocks
    dict(norm_layer="simplenorm", global_pool="max"),
], ids=str)
def test_options_match_reference(kwargs):
    ours, ref = _build_both("test_convnext", **kwargs)
    x = torch.randn(2, 3, SIZE, SIZE)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-4, rtol=1e-5)
        torch.testing.assert_close(ours.forward_head(ours.forward_features(x), pre_logits=True),
                                   ref.forward_head(ref.forward_features(x), pre_logits=True), atol=1e-4, rtol=1e-5)
        ours_final, ours_maps = ours.forward_intermediates(x, norm=True)
        ref_final, ref_maps = ref.forward_intermediates(x, norm=True)
    # float32 noise grows with the activations (values ~10 after the final norm): a relative tolerance of 1e-4
    torch.testing.assert_close(ours_final, ref_final, atol=1e-4, rtol=1e-4)
    torch.testing.assert_close(ours_maps, ref_maps, atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("output_stride, reductions", [(16, [4, 8, 16, 16]), (8, [4, 8, 8, 8])])
@pytest.mark.parametrize("name", ["test_convnext", "convnext_atto_ols"])
def test_output_stride_matches_reference(name, output_stride, reductions):
    ours, ref = _build_both(name, features_only=True, output_stride=output_stride)
    assert ours.feature_info.reduction() == ref.feature_info.reduction() == reductions
    x = torch.randn(2, 3, SIZE, SIZE)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), atol=1e-4, rtol=1e-5)


def test_head_pooling_changes():
    model = convnext.test_convnext(head_hidden_size=40).eval()
    x = torch.randn(2, 3, SIZE, SIZE)
    with torch.no_grad():
        pooled = model.forward_head(model.forward_features(x), pre_logits=True)
        model.reset_classifier(7, global_pool="")  # per-pixel: the same hidden layer as 1x1 convs
        per_pixel = model(x)
        assert per_pixel.shape == (2, 7, 2, 2)
        model.reset_classifier(0, global_pool="avg")  # back to pooling: the hidden layer is unchanged
        torch.testing.assert_close(model(x), pooled)
        model.reset_classifier(5, global_pool="catavgmax")
        assert model(x).shape == (2, 5)


def test_catavgmax_normalizes_each_pooled_part():
    head = NormMlpClassifierHead(16, 0, pool_type="catavgmax", norm_layer="layernorm2d").eval()
    _randomise(head)
    x = torch.randn(2, 16, 4, 4)
    with torch.no_grad():
        avg, mx = x.mean((2, 3), keepdim=True), x.amax((2, 3), keepdim=True)
        expect = torch.cat([head.norm(avg), head.norm(mx)], 1).flatten(1)
        torch.testing.assert_close(head(x), expect)


def test_prune_drops_head_with_stages():
    model = convnext.test_convnext(head_norm_first=True).eval()
    assert model.prune_intermediate_layers([1]) == [1]
    assert len(model.stages) == 2 and isinstance(model.norm_pre, torch.nn.Identity)
    with torch.no_grad():
        maps = model.forward_intermediates(torch.randn(1, 3, SIZE, SIZE), indices=[1], intermediates_only=True)
    assert maps[0].shape == (1, 32, SIZE // 8, SIZE // 8)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="output_stride"):
        convnext.test_convnext(output_stride=4)
    with pytest.raises(ValueError, match="stem_type"):
        convnext.test_convnext(stem_type="deep")
    with pytest.raises(ValueError, match="norm_layer"):
        convnext.test_convnext(norm_layer="batchnormish")
