"""Norm layers and batch-norm utilities of ``imagemodels.layers`` against the reference's.

Each layer is built on both sides with the same arguments, the reference's (randomised) state_dict
is loaded strictly into ours and outputs are compared in train and eval mode, so a renamed key, a
changed op order or a different rounding in low precision fails here.
"""
import functools

import pytest
import torch
from torch import nn

import imagemodels.layers as L

T = pytest.importorskip("timm.layers")


def _randomise(ref: nn.Module) -> None:
    with torch.no_grad():
        for p in ref.parameters():
            p.normal_()
        for name, buf in ref.named_buffers():
            if name.endswith("running_var"):
                buf.uniform_(0.5, 2.0)
            elif name.endswith("running_mean") or name in ("weight", "bias"):
                buf.normal_()


def _pair(name: str, *args, **kwargs):
    ref = getattr(T, name)(*args, **kwargs)
    ours = getattr(L, name)(*args, **kwargs)
    _randomise(ref)
    assert list(ours.state_dict()) == list(ref.state_dict())
    ours.load_state_dict(ref.state_dict(), strict=True)
    return ours, ref


def _check_modes(ours: nn.Module, ref: nn.Module, x: torch.Tensor, atol: float = 1e-5) -> None:
    """Same outputs in train mode (twice: running statistics must move alike) and in eval mode."""
    for mode in (True, True, False):
        ours.train(mode), ref.train(mode)
        got, want = ours(x.clone()), ref(x.clone())
        assert got.dtype == want.dtype
        torch.testing.assert_close(got.float(), want.float(), rtol=0, atol=atol)
        for key, value in ref.state_dict().items():
            torch.testing.assert_close(ours.state_dict()[key], value, rtol=0, atol=atol)


NCHW = torch.randn(3, 16, 5, 7)
EVO_B = ["EvoNorm2dB0", "EvoNorm2dB1", "EvoNorm2dB2"]
EVO_S = ["EvoNorm2dS0", "EvoNorm2dS0a", "EvoNorm2dS1", "EvoNorm2dS1a", "EvoNorm2dS2", "EvoNorm2dS2a"]


@pytest.mark.parametrize("kwargs", [{}, dict(apply_act=False), dict(momentum=0.3, eps=0.1)], ids=str)
@pytest.mark.parametrize("name", EVO_B)
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=str)
def test_evonorm_batch_forms_match_reference(name, kwargs, dtype):
    ours, ref = _pair(name, 16, **kwargs)
    ours, ref = ours.to(dtype), ref.to(dtype)
    _check_modes(ours, ref, NCHW.to(dtype), atol=1e-5 if dtype == torch.float32 else 0)


@pytest.mark.parametrize("kwargs", [dict(groups=8), dict(group_size=4), dict(groups=4, apply_act=False),
                                    dict(groups=8, act_layer=nn.GELU, eps=0.1)], ids=str)
@pytest.mark.parametrize("name", EVO_S)
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=str)
def test_evonorm_sample_forms_match_reference(name, kwargs, dtype):
    ours, ref = _pair(name, 16, **kwargs)
    ours, ref = ours.to(dtype), ref.to(dtype)
    _check_modes(ours, ref, NCHW.to(dtype), atol=1e-5 if dtype == torch.float32 else 0)


@pytest.mark.parametrize("name", ["FilterResponseNormAct2d", "FilterResponseNormTlu2d"])
@pytest.mark.parametrize("kwargs", [{}, dict(apply_act=False), dict(eps=0.1)], ids=str)
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=str)
def test_filter_response_norm_matches_reference(name, kwargs, dtype):
    ours, ref = _pair(name, 16, **kwargs)
    ours, ref = ours.to(dtype), ref.to(dtype)
    _check_modes(ours, ref, NCHW.to(dtype), atol=1e-5 if dtype == torch.float32 else 0)


def test_filter_response_norm_act_builds_the_references_activation():
    for kwargs in [{}, dict(act_layer=nn.SiLU, inplace=True), dict(apply_act=False)]:
        assert repr(L.FilterResponseNormAct2d(8, **kwargs)) == repr(T.FilterResponseNormAct2d(8, **kwargs))


NLC = torch.randn(2, 6, 16)
FP32_CASES = [
    ("LayerNormFp32", NLC), ("LayerNorm2dFp32", NCHW), ("RmsNormFp32", NLC), ("RmsNorm2dFp32", NCHW),
    ("SimpleNormFp32", NLC), ("SimpleNorm2dFp32", NCHW), ("LayerNormActFp32", NLC), ("LayerNormAct2dFp32", NCHW),
    ("RmsNormActFp32", NLC), ("RmsNormAct2dFp32", NCHW), ("RmsNormAct", NLC), ("RmsNormAct2d", NCHW),
]


@pytest.mark.parametrize("name,x", FP32_CASES, ids=[c[0] for c in FP32_CASES])
def test_fp32_and_rms_act_norms_match_reference(name, x):
    ours, ref = _pair(name, 16)
    _check_modes(ours, ref, x)


FP32_ONLY = [c for c in FP32_CASES if "Fp32" in c[0]]


@pytest.mark.parametrize("name,x", FP32_ONLY, ids=[c[0] for c in FP32_ONLY])
def test_fp32_norms_compute_in_float32_and_return_the_input_dtype(name, x):
    """bf16 input and bf16 weights: the result is the float32 computation, rounded once at the end."""
    ours, ref = _pair(name, 16)
    ours.eval()
    want = ours(x).to(torch.bfloat16)  # the float32 result, rounded once
    ours, ref = ours.to(torch.bfloat16), ref.to(torch.bfloat16)
    x16 = x.to(torch.bfloat16)
    got = ours(x16)
    assert got.dtype == torch.bfloat16
    torch.testing.assert_close(got, ref.eval()(x16), rtol=0, atol=0)
    # only the bf16 rounding of the weights and input separates it from the all-float32 result
    torch.testing.assert_close(got.float(), want.float(), rtol=0.05, atol=0.05)


@pytest.mark.parametrize("name", ["RmsNormAct", "RmsNormAct2d", "LayerNormActFp32", "LayerNormAct2dFp32"])
def test_norm_act_keywords_build_the_same_modules(name):
    kwargs = dict(act_layer=nn.GELU, drop_layer=functools.partial(nn.Dropout, 0.1), apply_act=True)
    ours, ref = getattr(L, name)(16, **kwargs), getattr(T, name)(16, **kwargs)
    assert [type(m) for m in ours.children()] == [type(m) for m in ref.children()]
    assert isinstance(getattr(L, name)(16, apply_act=False).act, nn.Identity)


def test_fast_norm_switch_and_functions():
    x, w, b = torch.randn(2, 8, 4, 4), torch.randn(4), torch.randn(4)
    assert L.is_fast_norm() is False
    try:
        L.set_fast_norm(True)
        assert L.is_fast_norm() and T.is_fast_norm() is False
        fast = L.LayerNorm(4)
        _randomise(fast)
    finally:
        L.set_fast_norm(False)
    assert not L.is_fast_norm() and not L.LayerNorm(4)._fast_norm and fast._fast_norm
    torch.testing.assert_close(L.fast_layer_norm(x, [4], w, b), T.fast_layer_norm(x, [4], w, b), rtol=0, atol=0)
    torch.testing.assert_close(L.fast_group_norm(x, 2), T.fast_group_norm(x, 2), rtol=0, atol=0)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        got, want = L.fast_layer_norm(x, [4], w, b), T.fast_layer_norm(x, [4], w, b)
        assert got.dtype == want.dtype == torch.bfloat16
        torch.testing.assert_close(got, want, rtol=0, atol=0)
        gw = torch.randn(8)
        got, want = L.fast_group_norm(x, 4, gw, None), T.fast_group_norm(x, 4, gw, None)
        assert got.dtype == want.dtype == torch.bfloat16
        torch.testing.assert_close(got, want, rtol=0, atol=0)
        # a fast LayerNorm runs in bf16 under autocast; a plain one keeps float32
        assert fast(x).dtype == torch.bfloat16 and L.LayerNorm(4)(x).dtype == torch.float32


@pytest.mark.parametrize("name", ["batchnorm", "layernorm", "layer_norm2d", "rmsnorm2d", "simplenorm", "groupnorm1",
                                  "layernormfp32", "rmsnorm2dfp32", "simplenorm2dfp32", "frozenbatchnorm2d"])
def test_create_norm_layer_builds_the_references_class(name):
    ours, ref = L.create_norm_layer(name, 8, eps=1e-3), T.create_norm_layer(name, 8, eps=1e-3)
    assert type(ours).__name__ == type(ref).__name__ and ours.eps == ref.eps == 1e-3
    assert list(ours.state_dict()) == list(ref.state_dict())


def test_create_norm_layer_rejects_unknown_names_with_the_choices():
    with pytest.raises(ValueError, match="known:.*layernorm"):
        L.create_norm_layer("layernrom", 8)


@pytest.mark.parametrize("name,cls", [("evonorms1", "EvoNorm2dS1"), ("evonormb0", "EvoNorm2dB0"),
                                      ("frn", "FilterResponseNormAct2d"), ("rmsnorm2d", "RmsNormAct2d"),
                                      ("layernormfp32", "LayerNormActFp32"), ("rmsnormfp32", "RmsNormActFp32")])
def test_get_norm_act_layer_knows_the_new_names(name, cls):
    layer = L.get_norm_act_layer(name)
    assert getattr(layer, "func", layer) is getattr(L, cls)
    ref = T.get_norm_act_layer(name)
    assert getattr(ref, "func", ref).__name__ == cls


def _bn_model(layers=L):
    model = nn.Sequential(
        layers.BatchNormAct2d(4, act_layer=nn.SiLU, drop_layer=functools.partial(nn.Dropout, 0.2)),
        nn.BatchNorm2d(4, eps=1e-3),
        nn.Sequential(nn.BatchNorm1d(4)),
        nn.Conv2d(4, 4, 1),
    )
    _randomise(model)
    return model


def test_convert_sync_batchnorm_keeps_act_drop_and_shares_tensors():
    model = _bn_model()
    weight = model[0].weight
    x = torch.randn(2, 4, 3, 3)
    model.eval()
    with torch.no_grad():
        before = model[0](x), model[1](x)
    out = L.convert_sync_batchnorm(model)
    assert out is model
    assert type(out[0]) is L.SyncBatchNormAct and isinstance(out[0], nn.SyncBatchNorm)
    assert type(out[1]) is nn.SyncBatchNorm and type(out[2][0]) is nn.SyncBatchNorm
    assert isinstance(out[0].act, nn.SiLU) and isinstance(out[0].drop, nn.Dropout)
    assert out[0].weight is weight and out[1].eps == 1e-3
    assert not out[0].training
    with torch.no_grad():  # eval needs no process group
        torch.testing.assert_close(out[0](x), before[0])
        torch.testing.assert_close(out[1](x), before[1])
    ref = T.convert_sync_batchnorm(_bn_model(T))
    assert [type(m).__name__ for m in out.modules()] == [type(m).__name__ for m in ref.modules()]
    assert list(out.state_dict()) == list(ref.state_dict())


def test_sync_batchnorm_act_built_directly_is_a_plain_sync_batchnorm():
    ours, ref = L.SyncBatchNormAct(8), T.SyncBatchNormAct(8)
    assert list(ours.state_dict()) == list(ref.state_dict()) and not hasattr(ours, "act")
    x = torch.randn(2, 8, 3, 3)
    ours.load_state_dict(ref.state_dict())
    torch.testing.assert_close(ours.eval()(x), ref.eval()(x))


def test_frozen_batchnorm_act_matches_reference():
    ours, ref = _pair("FrozenBatchNormAct2d", 16, act_layer=nn.SiLU)
    assert not list(ours.parameters())
    _check_modes(ours, ref, NCHW)
    assert repr(ours) == repr(ref)
    # BatchNormAct2d weights (with num_batches_tracked) load into it
    ours.load_state_dict(L.BatchNormAct2d(16).state_dict(), strict=True)


def test_freeze_and_unfreeze_batch_norm_round_trip():
    from torchvision.ops.misc import FrozenBatchNorm2d

    model, ref_model = _bn_model().eval(), _bn_model(T).eval()
    ref_model.load_state_dict(model.state_dict())
    x = torch.randn(2, 4, 3, 3)
    with torch.no_grad():
        want = model[1](model[0](x))
    frozen = L.freeze_batch_norm_2d(model)
    ref_frozen = T.freeze_batch_norm_2d(ref_model)
    assert [type(m).__name__ for m in frozen.modules()] == [type(m).__name__ for m in ref_frozen.modules()]
    assert type(frozen[0]) is L.FrozenBatchNormAct2d and type(frozen[1]) is FrozenBatchNorm2d
    assert isinstance(frozen[0].act, nn.SiLU) and frozen[1].eps == 1e-3
    for key, value in ref_frozen.state_dict().items():
        torch.testing.assert_close(frozen.state_dict()[key], value)
    with torch.no_grad():
        torch.testing.assert_close(frozen[1](frozen[0](x)), want)
    thawed = L.unfreeze_batch_norm_2d(frozen)
    assert type(thawed[0]) is L.BatchNormAct2d and type(thawed[1]) is nn.BatchNorm2d
    assert thawed[0].weight.requires_grad and isinstance(thawed[0].drop, nn.Dropout)
    thawed.eval()
    with torch.no_grad():
        torch.testing.assert_close(thawed[1](thawed[0](x)), want)
    assert type(L.freeze_batch_norm_2d(nn.BatchNorm2d(3))) is FrozenBatchNorm2d


def test_inplace_abn_without_its_package_says_what_to_install():
    try:
        import inplace_abn  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install inplace-abn"):
            L.InplaceAbn(8)
    else:
        layer = L.InplaceAbn(8)
        assert list(layer.state_dict()) == ["weight", "bias", "running_mean", "running_var"]
