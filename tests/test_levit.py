"""LeViT checks the generic contract/parity tests do not cover: the linear and conv variants are the
same network (linear-layout weights load into a conv model), the distillation head's train/eval
behaviour, and the relative-offset bias index."""
import torch

import imagemodels
from imagemodels.models.levit import _relative_offset_index, checkpoint_filter_fn


def _randomised(model):
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("attention_biases") or name.endswith("bn.weight") or name.endswith("bn.bias"):
                p.copy_(torch.randn(p.shape, generator=gen) * 0.2 + (1.0 if name.endswith("weight") else 0.0))
        for name, b in model.named_buffers():
            if name.endswith("running_mean"):
                b.copy_(torch.randn(b.shape, generator=gen) * 0.1)
            elif name.endswith("running_var"):
                b.copy_(torch.rand(b.shape, generator=gen) + 0.5)
    return model


def test_linear_weights_run_the_conv_variant():
    linear = _randomised(imagemodels.create_model("levit_128s", num_classes=7, img_size=64)).eval()
    conv = imagemodels.create_model("levit_conv_128s", num_classes=7, img_size=64).eval()
    conv.load_state_dict(checkpoint_filter_fn(linear.state_dict(), conv), strict=True)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        torch.testing.assert_close(conv(x), linear(x), atol=1e-4, rtol=0)
        lin_maps = linear.forward_intermediates(x, intermediates_only=True)
        conv_maps = conv.forward_intermediates(x, intermediates_only=True)
    for a, b in zip(conv_maps, lin_maps):
        torch.testing.assert_close(a, b, atol=1e-4, rtol=0)


def test_distilled_heads():
    model = imagemodels.create_model("levit_128s", num_classes=5, img_size=64)
    x = torch.randn(2, 3, 64, 64)
    model.eval()
    with torch.no_grad():
        feats = model.forward_features(x)
        pooled = model.forward_head(feats, pre_logits=True)
        expect = (model.head(pooled) + model.head_dist(pooled)) / 2
        torch.testing.assert_close(model(x), expect)
    model.set_distilled_training(True)
    model.train()
    out = model(x)
    assert isinstance(out, tuple) and len(out) == 2 and out[0].shape == (2, 5)
    model.eval()
    assert model(x).shape == (2, 5)  # averaged again at eval
    assert len(model.get_classifier()) == 2


def test_untrained_large_rows_have_one_head():
    with torch.device("meta"):
        model = imagemodels.create_model("levit_512d")
    assert not hasattr(model, "head_dist")
    assert isinstance(model.stem.act1, torch.nn.SiLU)


def test_relative_offset_index():
    idx = _relative_offset_index((2, 2), (3, 3), stride=2)
    assert idx.shape == (4, 9)
    # query (0, 1) sits at key position (0, 2): offsets to keys (0, 0), (0, 1), (0, 2), (1, 0)
    assert idx[1, :4].tolist() == [2, 1, 0, 3 + 2]
    assert (idx[torch.arange(4), torch.tensor([0, 2, 6, 8])] == 0).all()
