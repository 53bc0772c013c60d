"""ModelEmaV3: decay schedule and averaged values equal the reference's, for each switch."""
import pytest
import torch
from torch import nn

from imagemodels.utils import ModelEmaV3


def _net():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(),
                         nn.Linear(4 * 6 * 6, 3))


def _train_steps(model, ema_pair, steps=6, pass_step=True):
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    g = torch.Generator().manual_seed(1)
    for step in range(steps):
        x = torch.randn(4, 3, 8, 8, generator=g)
        loss = model(x).square().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        for ema in ema_pair:
            ema.update(model, step=step if pass_step else None)


@pytest.mark.parametrize("settings", [
    dict(decay=0.9),
    dict(decay=0.99, use_warmup=True, update_after_step=1),
    dict(decay=0.999, use_warmup=True, warmup_gamma=2.0, warmup_power=0.75, min_decay=0.3),
    dict(decay=0.9, foreach=False),
    dict(decay=0.8, exclude_buffers=True),
    dict(decay=0.8, exclude_buffers=True, foreach=False, use_warmup=True),
])
@pytest.mark.parametrize("pass_step", [True, False])
def test_utils_ema_matches_reference(settings, pass_step):
    timm_utils = pytest.importorskip("timm.utils")
    model = _net()
    ours = ModelEmaV3(model, **settings)
    ref = timm_utils.ModelEmaV3(model, **settings)
    for step in (None, 0, 1, 2, 3, 10, 10_000):
        assert ours.get_decay(step) == pytest.approx(ref.get_decay(step), abs=1e-12)
    _train_steps(model, (ours, ref), pass_step=pass_step)
    ref_state = ref.module.state_dict()
    for name, value in ours.module.state_dict().items():
        torch.testing.assert_close(value, ref_state[name], rtol=1e-6, atol=1e-7, msg=name)
    assert not ours.module.training


def test_utils_ema_set_and_forward():
    model = _net()
    ema = ModelEmaV3(model, decay=0.5)
    _train_steps(model, (ema,), steps=2)
    ema.set(model)
    for a, b in zip(ema.module.state_dict().values(), model.state_dict().values()):
        assert torch.equal(a, b)
    model.eval()
    x = torch.randn(2, 3, 8, 8)
    assert torch.equal(ema(x), model(x))


def test_utils_ema_bf16_keeps_dtype_and_tracks():
    model = _net()
    ema = ModelEmaV3(model, decay=0.5, dtype=torch.bfloat16)
    _train_steps(model, (ema,), steps=3)
    for name, value in ema.module.state_dict().items():
        if value.is_floating_point():
            assert value.dtype == torch.bfloat16
    w = model[0].weight
    assert (ema.module[0].weight.float() - w).abs().max() < 0.1


def test_utils_ema_rejects_bad_decay():
    with pytest.raises(ValueError, match="decay"):
        ModelEmaV3(nn.Linear(2, 2), decay=1.5)


def test_utils_ema_v2_matches_reference():
    timm_utils = pytest.importorskip("timm.utils")
    from imagemodels.utils import ModelEmaV2
    model = _net()
    ours, ref = ModelEmaV2(model, decay=0.9), timm_utils.ModelEmaV2(model, decay=0.9)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range(4):
        model(torch.randn(4, 3, 8, 8)).square().mean().backward()
        opt.step()
        opt.zero_grad()
        ours.update(model)
        ref.update(model)
    ref_state = ref.module.state_dict()
    for name, value in ours.module.state_dict().items():
        if name.endswith("num_batches_tracked"):
            # the reference averages the counter and truncates it; we copy it (see ModelEmaV2's docstring)
            assert value == model.state_dict()[name]
            continue
        torch.testing.assert_close(value, ref_state[name], rtol=1e-6, atol=1e-7, msg=name)
    ours.set(model)
    assert all(torch.equal(a, b) for a, b in zip(ours.module.state_dict().values(), model.state_dict().values()))
