"""Blocks overwrite their own fresh outputs at inference (GELU in place, residual sums into the branch
output), which is what puts ViT / ConvNeXt / Swin ahead of the reference on CPU. These tests hold that
path to the autograd path bit for bit, and check it steps aside whenever a tensor it would overwrite
may be seen by someone else (an autograd graph, a forward hook)."""
import pytest
import torch
from torch import nn

import imagemodels
from imagemodels.layers import Mlp, can_overwrite, onednn_available, set_onednn_linear, use_onednn_linear
from imagemodels.layers.activations import GELU, GELUTanh, gelu_inplace

NAMES = [
    ("vit_small_patch16_224", dict(img_size=32, patch_size=8, depth=2, dynamic_img_size=True)),
    ("convnext_atto", {}),
    ("swin_tiny_patch4_window7_224", dict(img_size=64, window_size=4, depths=(2, 2, 2, 2))),
]
# (name, input size): at 32 ConvNeXt's last stage is 1x1, where strides are ambiguous
CASES = [(NAMES[0], 32), (NAMES[0], 48), (NAMES[1], 32), (NAMES[1], 64), (NAMES[2], 64)]


def _model(name, kwargs):
    torch.manual_seed(0)
    model = imagemodels.create_model(name, **kwargs).eval()
    with torch.no_grad():  # layer scales and norms away from their init, so every branch counts
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.02)
    return model


def _usual_path(monkeypatch):
    """Every module that uses can_overwrite told it may not: the out-of-place path, under no_grad too."""
    import imagemodels.layers.mlp
    import imagemodels.models.convnext
    import imagemodels.models.swin_transformer
    import imagemodels.models.vision_transformer

    for module in (imagemodels.layers.mlp, imagemodels.models.convnext, imagemodels.models.swin_transformer,
                   imagemodels.models.vision_transformer):
        monkeypatch.setattr(module, "can_overwrite", lambda *args: False)


@pytest.mark.parametrize("case,size", CASES, ids=[f"{c[0]}-{s}" for c, s in CASES])
def test_inference_path_equals_the_usual_path_bit_for_bit(case, size, monkeypatch):
    name, kwargs = case
    model = _model(name, kwargs)
    x = torch.randn(2, 3, size, size)
    with torch.no_grad():
        got = model(x)
        got_maps = model.forward_intermediates(x)[1]  # an earlier block's output is never overwritten later
    with torch.inference_mode():
        got_im = model(x)
    with monkeypatch.context() as patch:
        _usual_path(patch)
        with torch.no_grad():
            want = model(x)
            want_maps = model.forward_intermediates(x)[1]
    assert torch.equal(got, want) and torch.equal(got_im, want)
    assert all(torch.equal(a, b) for a, b in zip(got_maps, want_maps))
    with torch.enable_grad():  # and the autograd path agrees to float rounding (SDPA's kernels differ there)
        torch.testing.assert_close(model(x), want, rtol=1e-5, atol=1e-5)


def test_a_forward_hook_turns_the_in_place_path_off():
    model = _model(*NAMES[0])
    x = torch.randn(2, 3, 32, 32)
    mlp = model.blocks[0].mlp
    seen, inputs = [], []
    mlp.register_forward_pre_hook(lambda m, args: inputs.append(args[0]))
    mlp.fc1.register_forward_hook(lambda m, args, out: seen.append(out))
    with torch.no_grad():
        model(x)
        assert not can_overwrite(x, model.blocks[0]) and can_overwrite(x, model.blocks[1])
        assert torch.equal(seen[0], mlp.fc1(inputs[0]))  # the kept output is fc1's, not overwritten by GELU


def test_a_global_hook_or_autograd_turns_it_off():
    block = nn.Linear(4, 4)
    with torch.no_grad():
        x = torch.randn(2, 4)
        assert can_overwrite(x, block)
        assert not can_overwrite(torch.randn(2, 1, 4), block)  # a size-1 dimension: strides may differ
        handle = nn.modules.module.register_module_forward_hook(lambda m, i, o: None)
        try:
            assert not can_overwrite(x, block)
        finally:
            handle.remove()
        assert can_overwrite(x, block)
    assert not can_overwrite(x, block)  # grad mode: tensors may be saved for backward


@pytest.mark.parametrize("case", NAMES, ids=[c[0] for c in NAMES])
def test_fx_tracing_under_no_grad_takes_the_usual_path(case):
    """FX symbolic tracing (``feature_cls='fx'``, torchvision's feature extraction) sees Proxies, not
    tensors: the in-place switch must step aside before it looks at a shape, grad mode or not, and the
    traced graph must compute what the blocks do."""
    name, kwargs = case
    kwargs = {k: v for k, v in kwargs.items() if k != "dynamic_img_size"}  # blocks take (B, N, C) tokens
    model = _model(name, kwargs)
    trunk = next(getattr(model, n) for n in ("blocks", "stages", "layers") if hasattr(model, n))
    size = kwargs.get("img_size", 64)
    with torch.no_grad():
        assert not can_overwrite(torch.fx.Proxy(torch.fx.Graph().placeholder("x")), model)
        x = model.patch_embed(torch.randn(2, 3, size, size)) if hasattr(model, "patch_embed") else \
            model.stem(torch.randn(2, 3, size, size))
        traced = torch.fx.symbolic_trace(trunk)
        got, want = traced(x), trunk(x)
    assert torch.equal(got, want)


@pytest.mark.parametrize("act", [nn.GELU(), nn.GELU(approximate="tanh"), GELU(), GELUTanh()])
def test_gelu_inplace_matches_the_module(act):
    x = torch.randn(3, 50)
    want = act(x)
    got = gelu_inplace(act, x.clone())
    assert torch.equal(got, want)
    assert gelu_inplace(nn.ReLU(), x.clone()) is None  # anything else: the module runs as usual


def test_an_identity_branch_does_not_overwrite_the_block_input():
    model = _model(*NAMES[0])
    block = model.blocks[0]
    class Same(nn.Module):
        def forward(self, x, **kwargs):
            return x

    block.norm1, block.attn, block.ls1 = Same(), Same(), Same()  # branch 1 is x itself
    x = torch.randn(2, 17, 384)
    keep = x.clone()
    with torch.no_grad():
        out = block(x)
    assert torch.equal(x, keep)
    with torch.enable_grad():
        torch.testing.assert_close(out, block(x), rtol=0, atol=0)


def test_training_still_backpropagates_through_the_blocks():
    model = _model(*NAMES[0]).train()
    x = torch.randn(2, 3, 32, 32)
    model(x).sum().backward()
    assert all(p.grad is not None for p in model.blocks.parameters() if p.requires_grad)
    mlp = Mlp(4, 8)
    mlp(torch.randn(2, 4, requires_grad=True)).sum().backward()
    assert mlp.fc1.weight.grad is not None


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("act", [nn.GELU, nn.ReLU])
def test_row_blocks_give_the_whole_mlp_bit_for_bit(bias, act, monkeypatch):
    import imagemodels.layers.mlp as mlp_module

    torch.manual_seed(0)
    mlp = Mlp(24, 96, act_layer=act, bias=bias).eval()
    x = torch.randn(2, 15, 11, 24)  # 330 rows, as ConvNeXt's NHWC input
    with torch.no_grad():
        whole = mlp(x)
        monkeypatch.setattr(mlp_module, "ROW_BLOCK_MIN_BYTES", 0)
        monkeypatch.setattr(mlp_module, "ROW_BLOCK_MIN_ROWS", 64)
        monkeypatch.setattr(mlp_module, "ROW_BLOCK_BYTES", 0)
        calls = []
        mlp.fc1.register_forward_pre_hook(lambda m, args: calls.append(args[0].shape[0]))
        assert not mlp._row_blocks_ok(x)  # a hook: the usual path
        mlp.fc1._forward_pre_hooks.clear()
        blocked = mlp(x)
    assert torch.equal(blocked, whole) and blocked.shape == (2, 15, 11, 24)
    with torch.enable_grad():  # training never takes the blocked path
        assert mlp(x).grad_fn is not None


def test_row_blocks_at_their_real_threshold():
    torch.manual_seed(0)
    mlp = Mlp(96, 384).eval()
    x = torch.randn(4, 56, 56, 96)  # a 19 MB hidden activation: over the threshold
    with torch.no_grad():
        blocked = mlp(x)
    with torch.enable_grad():
        whole = mlp(x)
    torch.testing.assert_close(blocked, whole.detach(), rtol=0, atol=0)


# convnext_atto's MLP is 1x1 convs by default (conv_mlp): with Linear layers here
LINEAR_NAMES = [NAMES[0], ("convnext_atto", dict(conv_mlp=False)), NAMES[2]]


@pytest.mark.skipif(not onednn_available(), reason="this torch build has no oneDNN")
@pytest.mark.parametrize("case", LINEAR_NAMES, ids=[c[0] for c in LINEAR_NAMES])
def test_onednn_linear_switch_agrees_to_rounding_and_only_at_inference(case, monkeypatch):
    """The opt-in oneDNN path: the same outputs to float rounding, used only where the inference path is
    (autograd still runs the default kernels, bit for bit), and the switch restores itself."""
    name, kwargs = case
    model = _model(name, kwargs)
    x = torch.randn(2, 3, kwargs.get("img_size", 64), kwargs.get("img_size", 64))
    calls = []
    real = torch.ops.mkldnn._linear_pointwise
    monkeypatch.setattr(torch.ops.mkldnn, "_linear_pointwise", lambda *a: calls.append(1) or real(*a),
                        raising=False)
    with torch.no_grad():
        want = model(x)
        assert not calls and not use_onednn_linear()
        with set_onednn_linear(True):
            assert use_onednn_linear()
            got = model(x)
        assert calls and not use_onednn_linear()
    torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-5)
    calls.clear()
    with set_onednn_linear(True):
        train_path = model(x)
    assert not calls and torch.equal(train_path.detach(), model(x).detach())


@pytest.mark.skipif(not onednn_available(), reason="this torch build has no oneDNN")
def test_onednn_linear_in_row_blocks_and_its_environment_variable(monkeypatch):
    import imagemodels.layers.mlp as mlp_module
    import imagemodels.layers.onednn_linear as onednn_module

    torch.manual_seed(0)
    mlp = Mlp(32, 128).eval()
    x = torch.randn(4, 700, 32)
    monkeypatch.setattr(mlp_module, "ROW_BLOCK_MIN_BYTES", 0)
    monkeypatch.setattr(mlp_module, "ROW_BLOCK_MIN_ROWS", 64)
    monkeypatch.setattr(mlp_module, "ROW_BLOCK_BYTES", 0)
    with torch.no_grad():
        want = mlp(x)
        with set_onednn_linear(True):
            got = mlp(x)
    torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-5)
    monkeypatch.setenv("IMAGEMODELS_ONEDNN_LINEAR", "yes")
    with pytest.raises(ValueError, match="must be 0 or 1"):
        onednn_module._env_flag()
    monkeypatch.setenv("IMAGEMODELS_ONEDNN_LINEAR", "1")
    assert onednn_module._env_flag()
