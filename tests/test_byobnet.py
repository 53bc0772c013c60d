"""ByobNet behaviour beyond the shared contract: RepVGG / MobileOne reparameterization, spec handling."""
from __future__ import annotations

import pytest
import torch

import imagemodels
from imagemodels.models import byobnet
from imagemodels.utils.model import reparameterize_model

_REP_TYPES = ("rep", "one")


def _reparameterizable_names():
    """Every byobnet variant with a RepVGG or MobileOne block (stem or body), read from the spec table."""
    names = []
    for name, cfg in byobnet.BYOB_CFGS.items():
        types = {cfg.stem_type}
        for stage in cfg.blocks:
            types.update(spec.type for spec in byobnet._stage_specs(stage))
        if types & set(_REP_TYPES):
            names.append(name)
    return names


REP_NAMES = _reparameterizable_names()
# one whole network on every push; MobileOne (slow on CPU: many grouped branches) is covered block by block
FAST_REP_NAMES = {"repvgg_a0"}


def test_rep_names_cover_the_families():
    assert {n for n in REP_NAMES if n.startswith("repvgg")} == {
        n for n in imagemodels.list_models(module="byobnet") if n.startswith("repvgg")}
    assert {n for n in REP_NAMES if n.startswith("mobileone")} == {
        n for n in imagemodels.list_models(module="byobnet") if n.startswith("mobileone")}
    assert FAST_REP_NAMES <= set(REP_NAMES)


def _randomise_norms(model: torch.nn.Module, seed: int = 0) -> None:
    """Non-trivial batch-norm statistics and affines, so folding them is actually exercised."""
    gen = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=gen) * 0.1)
            m.running_var.copy_(torch.rand(m.running_var.shape, generator=gen) + 0.5)
            m.weight.data.copy_(torch.rand(m.weight.shape, generator=gen) + 0.5)
            m.bias.data.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)


@torch.no_grad()
def _check_reparameterize(name: str) -> None:
    torch.manual_seed(0)
    model = imagemodels.create_model(name, num_classes=10).eval()
    _randomise_norms(model)
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(1))
    before = model(x)
    fused = reparameterize_model(model)
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in fused.stem.modules())
    for m in fused.modules():
        if isinstance(m, byobnet._Reparameterizable):
            assert m.reparam_conv is not None and m.identity is None
    after = fused(x)
    # random deep nets grow large activations: compare relative to the output's scale
    scale = before.abs().max().item()
    torch.testing.assert_close(after, before, atol=1e-4 * max(scale, 1.0), rtol=1e-4)


@pytest.mark.parametrize("name", sorted(FAST_REP_NAMES))
def test_reparameterize_keeps_outputs(name):
    _check_reparameterize(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(set(REP_NAMES) - FAST_REP_NAMES))
def test_reparameterize_keeps_outputs_all(name):
    _check_reparameterize(name)


@torch.no_grad()
@pytest.mark.parametrize("block_cls,kwargs", [
    (byobnet.RepVggBlock, dict(group_size=8)),  # grouped (RepVGG-g4 style), with identity
    (byobnet.RepVggBlock, dict(stride=2)),  # no identity branch
    (byobnet.MobileOneBlock, dict(group_size=1, num_conv_branches=3)),  # depthwise, several kxk branches
    (byobnet.MobileOneBlock, dict(kernel_size=1, num_conv_branches=2)),  # pointwise: no scale branch
    (byobnet.MobileOneBlock, dict(num_conv_branches=4, attn=True)),  # MobileOne-S0 style, squeeze-excite
])
def test_block_reparameterize(block_cls, kwargs):
    kwargs = dict(kwargs)
    attn = imagemodels.layers.SEModule if kwargs.pop("attn", False) else None
    layers = byobnet.BlockLayers(norm_layer="batchnorm", act_layer=torch.nn.ReLU, attn=attn)
    block = block_cls(16, 16, layers=layers, **kwargs).eval()
    _randomise_norms(block)
    x = torch.randn(2, 16, 9, 9)
    before = block(x)
    block.reparameterize()
    block.reparameterize()  # a second call is a no-op
    torch.testing.assert_close(block(x), before, atol=1e-5, rtol=1e-5)


def test_spec_block_kwargs_replace_network_kwargs():
    # resnet61q: the network asks for the extra kxk conv, its edge-block stage opts out
    model = imagemodels.create_model("resnet61q", pretrained=False)
    assert isinstance(model.stages[0][0], byobnet.EdgeBlock)
    assert isinstance(model.stages[1][0].conv2b_kxk, torch.nn.Module)
    assert not isinstance(model.stages[1][0].conv2b_kxk, torch.nn.Identity)


def test_bad_arguments_say_what_to_do():
    with pytest.raises(TypeError, match="unexpected arguments"):
        imagemodels.create_model("test_byobnet", not_an_option=1)
    with pytest.raises(ValueError, match="output_stride"):
        imagemodels.create_model("test_byobnet", output_stride=4)
    with pytest.raises(ValueError, match="stem_type"):
        imagemodels.create_model("test_byobnet", stem_type="pentagon")


def test_clip_head_resamples_position_embedding():
    model = imagemodels.create_model("test_byobnet", num_classes=0, head_type="attn_abs").eval()
    for size in (64, 96):
        out = model(torch.randn(1, 3, size, size))
        assert out.shape == (1, model.num_features)
