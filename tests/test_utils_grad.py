"""Gradient clipping (norm / value / AGC) and NativeScaler, against the reference on the CPU."""
import copy

import pytest
import torch
from torch import nn

from imagemodels.utils import NativeScaler, adaptive_clip_grad, dispatch_clip_grad


def _model_with_grads(seed=0):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.Flatten(), nn.Linear(8 * 4 * 4, 5))
    with torch.no_grad():
        model[0].weight[0].zero_()  # a zero unit: exercises AGC's eps floor
    loss = model(torch.randn(4, 3, 6, 6)).pow(2).sum() * 10  # big gradients so clipping bites
    loss.backward()
    return model


@pytest.mark.parametrize("mode,value,norm_type", [
    ("norm", 0.5, 2.0), ("norm", 0.5, 1.0), ("norm", 0.5, float("inf")), ("value", 0.01, 2.0),
    ("agc", 0.01, 2.0), ("agc", 0.05, 1.0),
])
def test_utils_clip_grads_equal_reference(mode, value, norm_type):
    timm_utils = pytest.importorskip("timm.utils")
    ours, ref = _model_with_grads(), _model_with_grads()
    before = [p.grad.clone() for p in ours.parameters()]
    dispatch_clip_grad(ours.parameters(), value, mode=mode, norm_type=norm_type)
    timm_utils.dispatch_clip_grad(ref.parameters(), value, mode=mode, norm_type=norm_type)
    changed = False
    for a, b, g in zip(ours.parameters(), ref.parameters(), before):
        torch.testing.assert_close(a.grad, b.grad)
        changed |= not torch.equal(a.grad, g)
    assert changed, "the test gradients should be large enough to be clipped"


def test_utils_agc_keywords_and_single_tensor():
    timm_utils = pytest.importorskip("timm.utils")
    ours, ref = _model_with_grads(), _model_with_grads()
    adaptive_clip_grad(ours[0].weight, clip_factor=0.02, eps=1e-2, norm_type=2.0)
    timm_utils.adaptive_clip_grad([ref[0].weight], clip_factor=0.02, eps=1e-2, norm_type=2.0)
    torch.testing.assert_close(ours[0].weight.grad, ref[0].weight.grad)


def test_utils_clip_bad_mode_lists_choices():
    with pytest.raises(ValueError, match="norm, value, agc"):
        dispatch_clip_grad(_model_with_grads().parameters(), 1.0, mode="nrom")


def _step(model, scaler, **kw):
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for i in range(3):
        torch.manual_seed(i)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = model(torch.randn(4, 3, 6, 6)).float().pow(2).mean()
        opt.zero_grad()
        if scaler is None:
            loss.backward()
            if kw.get("clip_grad") is not None:
                dispatch_clip_grad(model.parameters(), kw["clip_grad"], mode=kw.get("clip_mode", "norm"))
            opt.step()
        else:
            scaler(loss, opt, parameters=model.parameters(), **kw)
    return model


@pytest.mark.parametrize("kw", [{}, dict(clip_grad=0.1), dict(clip_grad=0.01, clip_mode="agc")])
def test_utils_native_scaler_cpu_is_plain_step(kw):
    base = _model_with_grads()
    plain = _step(copy.deepcopy(base), None, **kw)
    scaled = _step(copy.deepcopy(base), NativeScaler("cpu"), **kw)
    for a, b in zip(plain.parameters(), scaled.parameters()):
        assert torch.equal(a, b)


def test_utils_native_scaler_matches_reference_enabled_scaler():
    # the reference scales on the CPU too; after unscale the update is the same up to rounding
    timm_utils = pytest.importorskip("timm.utils")
    base = _model_with_grads()
    ours = _step(copy.deepcopy(base), NativeScaler("cpu"), clip_grad=0.1)
    ref = _step(copy.deepcopy(base), timm_utils.NativeScaler("cpu"), clip_grad=0.1)
    for a, b in zip(ours.parameters(), ref.parameters()):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)


def test_utils_native_scaler_accumulation_state_and_errors():
    model = _model_with_grads()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    before = [p.detach().clone() for p in model.parameters()]
    scaler = NativeScaler("cpu")
    assert not scaler.enabled and NativeScaler.state_dict_key == "amp_scaler"
    scaler(model(torch.randn(2, 3, 6, 6)).sum(), opt, need_update=False)
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))
    with pytest.raises(ValueError, match="parameters"):
        scaler(model(torch.randn(2, 3, 6, 6)).sum(), opt, clip_grad=1.0)
    enabled = NativeScaler("cpu", enabled=True)
    state = enabled.state_dict()
    assert state["scale"] == 65536.0
    other = NativeScaler("cpu", enabled=True)
    other.load_state_dict({**state, "scale": 8.0})
    assert other.state_dict()["scale"] == 8.0
    scaler.load_state_dict(scaler.state_dict())
