"""Losses: value and input gradient equal the reference's on random inputs, for each option that changes them."""
import pytest
import torch

import imagemodels.loss as ours
import parity


def _reference_loss():
    parity.reference()
    import timm.loss
    return timm.loss

B, C = 6, 7


def _inputs(kind, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(B, C, generator=g) * 3
    if kind == "index":
        y = torch.randint(0, C, (B,), generator=g)
    elif kind == "soft":
        y = torch.softmax(torch.randn(B, C, generator=g), -1)
    else:  # multi-hot
        y = (torch.rand(B, C, generator=g) > 0.6).float()
    return x, y


CASES = [
    ("LabelSmoothingCrossEntropy", {}, "index"),
    ("LabelSmoothingCrossEntropy", dict(smoothing=0.3), "index"),
    ("LabelSmoothingCrossEntropy", dict(smoothing=0.0), "index"),
    ("SoftTargetCrossEntropy", {}, "soft"),
    ("JsdCrossEntropy", {}, "index"),
    ("JsdCrossEntropy", dict(num_splits=2, alpha=5, smoothing=0.0), "index"),
    ("BinaryCrossEntropy", {}, "index"),
    ("BinaryCrossEntropy", dict(smoothing=0.2, target_threshold=0.1), "index"),
    ("BinaryCrossEntropy", dict(smoothing=0.0), "soft"),
    ("BinaryCrossEntropy", dict(smoothing=0.1, smooth_dense=True), "multi"),
    ("BinaryCrossEntropy", dict(pos_weight=2.5, sum_classes=True), "index"),
    ("BinaryCrossEntropy", dict(pos_weight=torch.linspace(0.5, 2, C), weight=torch.rand(C), reduction="sum"), "multi"),
    ("BinaryCrossEntropy", dict(target_threshold=0.2, reduction="none"), "soft"),
    ("AsymmetricLossMultiLabel", {}, "multi"),
    ("AsymmetricLossMultiLabel", dict(gamma_neg=2, gamma_pos=0, clip=None, reduction="mean"), "multi"),
    ("AsymmetricLossMultiLabel", dict(clip=0.1, smoothing=0.2, pos_weight=3.0, reduction="sum"), "soft"),
    ("AsymmetricLossMultiLabel", dict(disable_torch_grad_focal_loss=True, weight=torch.rand(C)), "multi"),
    ("AsymmetricLossMultiLabel", dict(gamma_neg=0, gamma_pos=0, reduction="none"), "multi"),
    ("AsymmetricLossSingleLabel", {}, "index"),
    ("AsymmetricLossSingleLabel", dict(gamma_pos=2, gamma_neg=1, eps=0.0, reduction="none"), "index"),
]


def _value_and_grad(loss_fn, x, y):
    x = x.clone().requires_grad_(True)
    out = loss_fn(x, y)
    out.sum().backward()
    return out.detach(), x.grad


@pytest.mark.parametrize("name,kwargs,kind", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_loss_matches_reference(name, kwargs, kind):
    ref = _reference_loss()
    x, y = _inputs(kind, seed=len(kwargs))
    if name == "JsdCrossEntropy":  # the batch is num_splits stacked copies; targets for the clean chunk
        n = kwargs.get("num_splits", 3)
        x = torch.randn(n * B, C)
    v_ours, g_ours = _value_and_grad(getattr(ours, name)(**kwargs), x, y)
    v_ref, g_ref = _value_and_grad(getattr(ref, name)(**kwargs), x, y)
    torch.testing.assert_close(v_ours, v_ref, rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(g_ours, g_ref, rtol=1e-6, atol=1e-6)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="smoothing"):
        ours.LabelSmoothingCrossEntropy(smoothing=1.5)
    with pytest.raises(ValueError, match="num_splits"):
        ours.JsdCrossEntropy(num_splits=3)(torch.randn(4, C), torch.zeros(4, dtype=torch.long))
    with pytest.raises(ValueError, match="batchmean"):
        ours.AsymmetricLossMultiLabel(reduction="avg")


@pytest.mark.parametrize("name", sorted({c[0] for c in CASES}))
def test_takes_reference_keywords(name):
    import inspect
    theirs = inspect.signature(getattr(_reference_loss(), name).__init__).parameters
    mine = inspect.signature(getattr(ours, name).__init__).parameters
    assert [(k, p.default) for k, p in theirs.items()] == [(k, mine[k].default) for k in theirs if k in mine]
    assert all(k in mine for k in theirs)
