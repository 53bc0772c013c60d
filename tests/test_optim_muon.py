"""Muon: the same parameter trajectory as the reference's over 5 steps, and the factory names 'muon' / 'nmuon'."""
import pytest
import torch
from torch import nn

import imagemodels.optim as ours
from imagemodels.optim.muon import is_suitable_for_muon, zeropower_via_newtonschulz

timm_optim = pytest.importorskip("timm.optim")


def _model():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.Conv2d(8, 8, 3, groups=8), nn.Flatten(),
        nn.Linear(8 * 4 * 4, 16), nn.Linear(16, 4))


def _trajectory(opt_cls, kwargs, fallback_group=False, steps=5):
    model = _model()
    if fallback_group:
        chosen = {"0.weight", "5.weight"}
        params = [{"params": [p for n, p in model.named_parameters() if n in chosen]},
                  {"params": [p for n, p in model.named_parameters() if n not in chosen], "use_fallback": True,
                   "weight_decay": 0.0}]
    else:
        params = model.parameters()
    opt = opt_cls(params, **kwargs)
    torch.manual_seed(1)
    for _ in range(steps):
        opt.zero_grad()
        model(torch.randn(4, 3, 8, 8)).pow(2).mean().backward()
        opt.step()
    return [p.detach().clone() for p in model.parameters()], opt


@pytest.mark.parametrize("kwargs", [
    dict(lr=0.02),
    dict(lr=0.05, weight_decay=0.1, nesterov=True),
    dict(lr=0.02, weight_decay=0.05, conv_mode="batched", adjust_lr_fn="original", fallback_lr_scale=0.1,
         betas=(0.8, 0.99), eps=1e-6),
    dict(lr=0.02, ns_coefficients="original", ns_steps=3, safety_factor=1.05, adjust_lr_fn=None),
    dict(lr=0.01, conv_mode="batched", normalize_spatial=False, adjust_lr_fn="rms_to_rms", momentum=0.9),
], ids=str)
@pytest.mark.parametrize("fallback_group", [False, True])
def test_same_trajectory_as_reference(kwargs, fallback_group):
    mine, opt = _trajectory(ours.Muon, kwargs, fallback_group)
    theirs, ref_opt = _trajectory(timm_optim.Muon, kwargs, fallback_group)
    for a, b in zip(mine, theirs):
        torch.testing.assert_close(a, b, atol=1e-6, rtol=1e-5)
    ours_state, ref_state = opt.state_dict(), ref_opt.state_dict()
    assert ours_state["param_groups"][0].keys() == ref_state["param_groups"][0].keys()
    assert [sorted(s) for s in ours_state["state"].values()] == [sorted(s) for s in ref_state["state"].values()]


@pytest.mark.parametrize("shape", [(8, 16), (16, 8), (3, 8, 16), (3, 16, 8), (5, 5)])
@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float32])
def test_newton_schulz_matches(shape, dtype):
    from timm.optim import muon as ref

    g = torch.randn(shape, generator=torch.Generator().manual_seed(2))
    coeffs = ref._COEFFICIENTS["quintic"]
    torch.testing.assert_close(zeropower_via_newtonschulz(g, 5, coeffs, dtype=dtype),
                               ref.zeropower_via_newtonschulz(g, 5, coeffs, dtype=dtype), atol=1e-6, rtol=0)


@pytest.mark.parametrize("shape", [(64, 128), (96, 3, 4, 4), (4, 2048), (64,), (1, 196, 768), (3, 16), (1, 64),
                                   (8, 1, 3, 3), (2, 8, 8), (8, 4, 1), (4, 513), (512, 4)])
def test_which_params_get_muon(shape):
    from timm.optim import muon as ref

    assert is_suitable_for_muon(torch.empty(shape)) == ref._is_suitable_for_muon(torch.empty(shape))


@pytest.mark.parametrize("name", ["muon", "nmuon"])
def test_factory_names(name):
    model = _model()
    a = ours.create_optimizer_v2(model, name, lr=0.02, weight_decay=0.05)
    b = timm_optim.create_optimizer_v2(model, name, lr=0.02, weight_decay=0.05)
    assert isinstance(a, ours.Muon)
    strip = lambda groups: [{k: v for k, v in g.items() if k != "params"} for g in groups]  # noqa: E731
    assert strip(a.param_groups) == strip(b.param_groups)


@pytest.mark.parametrize("bad", [dict(algo="adamuon"), dict(conv_mode="grid"), dict(adjust_lr_fn="sqrt"),
                                 dict(ns_coefficients="cubic"), dict(ns_coefficients=(1.0, 2.0)), dict(momentum=1.0)])
def test_bad_arguments_are_clear_errors(bad):
    with pytest.raises(ValueError):
        ours.Muon(_model().parameters(), **bad)
