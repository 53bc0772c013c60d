"""Family-specific behaviour of the classic CNNs (DenseNet, VGG, Inception, Xception): the auxiliary
head of Inception-v3, features_only, VGG's pre-logits, memory-efficient DenseNet."""
import pytest
import torch

import imagemodels

timm = pytest.importorskip("timm")


def test_inception_v3_aux_head_layout_matches_reference():
    with torch.device("meta"):
        ours = imagemodels.create_model("inception_v3", aux_logits=True)
        ref = timm.create_model("inception_v3", aux_logits=True)
    assert {k: v.shape for k, v in ours.state_dict().items()} == {k: v.shape for k, v in ref.state_dict().items()}
    assert any(k.startswith("AuxLogits.") for k in ours.state_dict())


@pytest.mark.slow
def test_inception_v3_aux_logits_train_and_eval():
    ours = imagemodels.create_model("inception_v3", aux_logits=True, num_classes=10)
    ref = timm.create_model("inception_v3", aux_logits=True, num_classes=10)
    ours.load_state_dict(ref.state_dict(), strict=True)
    x = torch.randn(2, 3, 299, 299)
    ours.train()
    logits, aux = ours(x)  # training returns the auxiliary logits too
    assert logits.shape == aux.shape == (2, 10)
    (logits.sum() + aux.sum()).backward()
    assert ours.AuxLogits.fc.weight.grad is not None
    ours.eval(), ref.eval()
    with torch.no_grad():
        for a, b in zip(ours(x), ref(x)):
            torch.testing.assert_close(a, b, rtol=0, atol=1e-4)


def test_inception_v3_weights_with_aux_load_without_it():
    # torchvision's checkpoint carries AuxLogits.*; a model without the head skips those keys
    with_aux = imagemodels.create_model("inception_v3", aux_logits=True).state_dict()
    model = imagemodels.create_model("inception_v3", pretrained=True, pretrained_cfg_overlay=dict(state_dict=with_aux))
    assert model.AuxLogits is None
    torch.testing.assert_close(model.fc.weight, with_aux["fc.weight"])


def test_densenet_features_only():
    fm = imagemodels.create_model("densenet121", features_only=True, out_indices=(1, 3)).eval()
    model = imagemodels.create_model("densenet121").eval()
    # the wrapper's weights are the model's, under flattened names (features_norm0 -> features.norm0)
    model.load_state_dict({k.replace("features_", "features.", 1): v for k, v in fm.state_dict().items()}, strict=False)
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        feats = fm(x)
        maps = model.forward_intermediates(x, indices=[1, 3], intermediates_only=True)
    assert [f.shape[1] for f in feats] == fm.feature_info.channels() == [256, 1024]
    assert fm.feature_info.reduction() == [4, 16]
    for a, b in zip(feats, maps):
        torch.testing.assert_close(a, b)


def test_densenet_memory_efficient_same_gradients():
    torch.manual_seed(0)
    plain = imagemodels.create_model("densenet121", num_classes=4)
    efficient = imagemodels.create_model("densenet121", num_classes=4, memory_efficient=True)
    efficient.load_state_dict(plain.state_dict())
    x = torch.randn(2, 3, 32, 32)
    plain(x).sum().backward()
    efficient(x).sum().backward()
    torch.testing.assert_close(efficient.features.conv0.weight.grad, plain.features.conv0.weight.grad)


def test_vgg_pre_logits_width_and_small_inputs():
    model = imagemodels.create_model("vgg11", num_classes=7).eval()
    with torch.no_grad():
        feats = model.forward_features(torch.randn(1, 3, 32, 32))  # 1x1 map, below the 7x7 fc6 kernel
        assert model.forward_head(feats, pre_logits=True).shape == (1, model.head_hidden_size) == (1, 4096)
        assert model.forward_head(feats).shape == (1, 7)
    with pytest.raises(ValueError, match="output_stride"):
        imagemodels.create_model("vgg11", output_stride=16)


def test_xception_features_only_keeps_reference_weight_names():
    ours = imagemodels.create_model("legacy_xception", features_only=True)
    assert all(k.startswith("body.") for k in ours.state_dict())
    flat = imagemodels.create_model("xception41", features_only=True, out_indices=(1,))
    assert {k.split(".")[0] for k in flat.state_dict()} == {"stem_0", "stem_1", "blocks_0", "blocks_1"}
