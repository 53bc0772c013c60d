"""One contract for every model, checked by walking the registry.

Fast tier: the parity fast-tier names (one per family at least). Slow tier: every registered name.
"""
import pytest
import torch

import imagemodels
import parity

SIZE = 64


def contract_names_fast():
    return parity.fast_names()


def contract_names_all():
    return imagemodels.list_models()


def check_contract(name):
    # transformers with a fixed token grid are built at the fast size (the same for the reference in parity.py)
    kw = parity.build_kwargs_for(name, fast=True)
    model = imagemodels.create_model(name, **kw).eval()
    cfg = model.pretrained_cfg
    assert cfg.architecture == name and model.default_cfg is cfg
    size = parity.input_size_for(name, fast=True)  # (3, SIZE, SIZE) unless the model needs more
    x = torch.randn(2, *size)
    num_features = model.num_features
    # what pre_logits returns: num_features, unless a head layer sits between pooling and classifier
    head_width = getattr(model, "head_hidden_size", num_features)
    with torch.no_grad():
        feats = model.forward_features(x)
        # weights published without a classifier (num_classes=0: MIM/DINO/CLIP towers) end in pre-logits
        logits_width = model.num_classes or head_width
        assert model.forward_head(feats).shape == (2, logits_width)
        assert model.forward_head(feats, pre_logits=True).shape == (2, head_width)
        assert torch.allclose(model(x), model.forward_head(feats), atol=1e-5)

        info = model.feature_info
        assert all({"num_chs", "reduction", "module"} <= set(i) for i in info)
        final, maps = model.forward_intermediates(x)
        assert len(maps) == len(info)
        for m, i in zip(maps, info):
            # 'valid'-padded nets (Inception, NASNet) lose a few border pixels per reduction
            assert m.shape[1] == i["num_chs"], (name, i, m.shape)
            assert size[-1] // i["reduction"] - 4 <= m.shape[-1] <= -(-size[-1] // i["reduction"]), (name, i, m.shape)
        only = model.forward_intermediates(x, indices=[-1], intermediates_only=True)
        assert len(only) == 1 and torch.allclose(only[0], maps[-1], atol=1e-5)
        with pytest.raises(IndexError):
            model.forward_intermediates(x, indices=[len(info)])

    heads = model.get_classifier()  # a distilled model returns its two heads as a tuple, as the reference does
    assert all(isinstance(h, torch.nn.Module) for h in (heads if isinstance(heads, tuple) else (heads,)))
    model.reset_classifier(0)
    with torch.no_grad():
        assert model(x).shape == (2, head_width)
    model.reset_classifier(5, global_pool="catavgmax")
    with torch.no_grad():
        assert model(x).shape == (2, 5)

    # training step with gradient checkpointing, drop rates and one input channel
    train_args = dict(num_classes=3, in_chans=1, drop_rate=0.1, drop_path_rate=0.1)
    try:
        model = imagemodels.create_model(name, **kw, **train_args)
    except TypeError as err:  # no stochastic depth in this family (no residual branches): the reference rejects it too
        if "drop_path_rate" not in str(err):
            raise
        model = imagemodels.create_model(name, **kw, **dict(train_args, drop_path_rate=None))
    model.set_grad_checkpointing(True)
    model.train()
    model(torch.randn(2, 1, *size[1:])).sum().backward()
    assert all(p.grad is not None for p in model.parameters() if p.requires_grad)

    # features_only honours out_indices (negative too) and rejects out-of-range ones
    n = len(info)
    fm = imagemodels.create_model(name, **kw, features_only=True, out_indices=(1, -1)).eval()
    with torch.no_grad():
        outs = fm(x)
    # models whose stages run channels-last (Swin) give NHWC maps, as the reference does
    channel_dim = -1 if getattr(model, "output_fmt", "NCHW") == "NHWC" else 1
    assert [o.shape[channel_dim] for o in outs] == fm.feature_info.channels() == [info[1]["num_chs"], info[n - 1]["num_chs"]]
    assert fm.feature_info.reduction() == [info[1]["reduction"], info[n - 1]["reduction"]]
    with pytest.raises(IndexError, match="out of range"):
        imagemodels.create_model(name, **kw, features_only=True, out_indices=(n,))

    with pytest.raises(TypeError, match="not_an_argument"):
        imagemodels.create_model(name, **kw, not_an_argument=1)


def check_output_stride(name):
    for stride in (8, 16):
        fm = imagemodels.create_model(name, features_only=True, output_stride=stride).eval()
        with torch.no_grad():
            outs = fm(torch.randn(1, 3, SIZE, SIZE))
        assert max(fm.feature_info.reduction()) == stride
        assert outs[-1].shape[-1] == SIZE // stride


@pytest.mark.parametrize("name", contract_names_fast())
def test_contract_fast(name):
    check_contract(name)


@pytest.mark.parametrize("name", ["resnet18", "resnet50d", "resnext50_32x4d"])
def test_output_stride(name):
    check_output_stride(name)


@pytest.mark.parametrize("pool,mult", [("avg", 1), ("max", 1), ("avgmax", 1), ("catavgmax", 2), ("", None)])
def test_global_pool(pool, mult):
    model = imagemodels.create_model("resnet18", global_pool=pool, num_classes=0).eval()
    with torch.no_grad():
        out = model(torch.randn(1, 3, SIZE, SIZE))
    if mult is None:
        assert out.shape == (1, 512, 2, 2)  # no pooling: the feature map itself
    else:
        assert out.shape == (1, 512 * mult)


@pytest.mark.slow
@pytest.mark.parametrize("name", contract_names_all())
def test_contract_all(name):
    check_contract(name)
