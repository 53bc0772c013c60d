"""Schedulers: for one table of argument sets, our lr equals the reference's at every epoch and every update;
state_dict round trips; bad names are rejected with the valid choices."""
import copy
import warnings

import pytest
import torch

import imagemodels.scheduler as ours
import parity

EPOCHS = 12
UPDATES = 3  # updates per epoch in the per-update runs


def _reference():
    parity.reference()
    import timm.scheduler
    return timm.scheduler


# (id, create_scheduler_v2 keyword arguments); every row runs per epoch and per update
CASES = [
    ("cosine", dict(sched="cosine")),
    ("cosine-warmup", dict(sched="cosine", warmup_epochs=3, warmup_lr=1e-3, min_lr=1e-4)),
    ("cosine-warmup-prefix", dict(sched="cosine", warmup_epochs=2, warmup_prefix=True, cooldown_epochs=2)),
    ("cosine-restarts", dict(sched="cosine", num_epochs=4, cycle_limit=3, cycle_decay=0.5)),
    ("cosine-cycle-mul", dict(sched="cosine", num_epochs=3, cycle_mul=2.0, cycle_limit=3, cycle_decay=0.7)),
    ("cosine-k-decay", dict(sched="cosine", k_decay=2.0, min_lr=1e-3)),
    ("cosine-noise", dict(sched="cosine", noise=0.3, noise_seed=7, noise_pct=0.5)),
    ("cosine-noise-range", dict(sched="cosine", noise=[0.2, 0.7], noise_std=0.5, noise_seed=3)),
    ("cosine-noise-list1", dict(sched="cosine", noise=[0.5])),
    ("tanh", dict(sched="tanh", warmup_epochs=2)),
    ("tanh-restarts", dict(sched="tanh", num_epochs=4, cycle_limit=3, cycle_mul=1.5, cycle_decay=0.5)),
    ("poly", dict(sched="poly", decay_rate=2.0, min_lr=1e-4)),
    ("poly-k", dict(sched="poly", decay_rate=0.5, k_decay=0.5, warmup_epochs=2, warmup_prefix=True)),
    ("step", dict(sched="step", decay_epochs=3, decay_rate=0.5)),
    ("step-fractional", dict(sched="step", decay_epochs=2.5, decay_rate=0.7, warmup_epochs=2)),
    ("step-warmup-prefix", dict(sched="step", decay_epochs=2, warmup_epochs=3, warmup_prefix=True)),
    ("step-noise", dict(sched="step", decay_epochs=4, noise=0.25, noise_seed=11)),
    ("constant", dict(sched="constant", warmup_epochs=3)),
    ("multistep", dict(sched="multistep", decay_milestones=[2, 5, 9], decay_rate=0.3)),
    ("multistep-warmup", dict(sched="multistep", decay_milestones=[4, 8], warmup_epochs=2, warmup_prefix=True)),
    ("wsd", dict(sched="wsd", warmup_epochs=2, min_lr=1e-4)),
    ("wsd-prefix-cosine", dict(sched="wsd", warmup_epochs=2, warmup_prefix=True, decay_epochs=4,
                               decay_fn="cosine", cooldown_epochs=1)),
    ("wsd-exp-noise", dict(sched="wsd", decay_epochs=0.5, decay_fn="exp", noise=0.4, noise_seed=2)),
    ("rsqrt", dict(sched="rsqrt", warmup_epochs=3)),
    ("rsqrt-timescale", dict(sched="rsqrt", warmup_epochs=2, stable_timescale=5, decay_fn="1-sqrt")),
]
PLATEAU_CASES = [
    ("plateau", dict(sched="plateau", patience_epochs=1, decay_rate=0.5)),
    ("plateau-min-warmup", dict(sched="plateau", patience_epochs=2, warmup_epochs=2, plateau_mode="min",
                                min_lr=0.02)),
    ("plateau-noise", dict(sched="plateau", patience_epochs=1, noise=0.3, noise_seed=5)),
]


def _optimizer():
    params = [torch.nn.Parameter(torch.zeros(2)), torch.nn.Parameter(torch.zeros(2))]
    return torch.optim.SGD([{"params": params[:1], "lr": 0.1}, {"params": params[1:], "lr": 0.05}], lr=0.1)


def _trace(factory, kwargs, per_update):
    """Every group's lr after construction and after each step / step_update of EPOCHS epochs."""
    opt = _optimizer()
    kwargs = {"num_epochs": EPOCHS, **kwargs}
    if per_update:
        kwargs.update(step_on_epochs=False, updates_per_epoch=UPDATES)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # the reference deprecates plateau
        sched, total = factory(opt, **kwargs)
    lrs = [[g["lr"] for g in opt.param_groups]]
    metric = [1.0, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.95, 0.95, 0.95, 0.95, 0.95]
    updates = 0
    for epoch in range(total):
        for _ in range(UPDATES):
            updates += 1
            sched.step_update(updates, metric=None)
            lrs.append([g["lr"] for g in opt.param_groups])
        sched.step(epoch + 1, metric=metric[epoch % len(metric)])
        lrs.append([g["lr"] for g in opt.param_groups])
    return total, lrs


@pytest.mark.parametrize("per_update", [False, True], ids=["per-epoch", "per-update"])
@pytest.mark.parametrize("kwargs", [c[1] for c in CASES + PLATEAU_CASES], ids=[c[0] for c in CASES + PLATEAU_CASES])
def test_lr_matches_reference(kwargs, per_update):
    if per_update and kwargs["sched"] == "plateau":
        pytest.skip("plateau steps per epoch only (both libraries)")
    ref = _reference()
    total_ours, ours_lrs = _trace(ours.create_scheduler_v2, kwargs, per_update)
    total_ref, ref_lrs = _trace(ref.create_scheduler_v2, kwargs, per_update)
    assert total_ours == total_ref
    assert len(ours_lrs) == len(ref_lrs)
    for i, (a, b) in enumerate(zip(ours_lrs, ref_lrs)):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-15), f"lr differs at trace index {i}"


@pytest.mark.parametrize("kwargs", [c[1] for c in CASES[:8] + CASES[13:]], ids=[c[0] for c in CASES[:8] + CASES[13:]])
def test_state_dict_round_trip(kwargs):
    """A scheduler rebuilt fresh and loaded from a state_dict continues exactly as the original."""
    opt = _optimizer()
    kwargs = {"num_epochs": EPOCHS, **kwargs}
    sched, _ = ours.create_scheduler_v2(opt, **kwargs)
    for epoch in range(1, 5):
        sched.step(epoch)
    state = copy.deepcopy(sched.state_dict())
    assert "optimizer" not in state
    opt2 = copy.deepcopy(opt)
    # same kind, other lengths: everything the schedule depends on must come from the state
    sched2, _ = ours.create_scheduler_v2(opt2, **{**kwargs, "num_epochs": 3 * EPOCHS})
    sched2.load_state_dict(state)
    for epoch in range(5, EPOCHS):
        sched.step(epoch)
        sched2.step(epoch)
        assert [g["lr"] for g in opt.param_groups] == [g["lr"] for g in opt2.param_groups]


def test_plateau_state_dict_round_trip():
    opt = _optimizer()
    sched, _ = ours.create_scheduler_v2(opt, sched="plateau", plateau_mode="min")
    sched.step(1, metric=0.5)
    sched2, _ = ours.create_scheduler_v2(_optimizer(), sched="plateau", plateau_mode="min")
    sched2.load_state_dict(sched.state_dict())
    assert sched2.lr_scheduler.best == 0.5 and sched2.lr_scheduler.last_epoch == sched.lr_scheduler.last_epoch


def test_create_scheduler_from_args_matches_reference():
    import argparse
    args = argparse.Namespace(sched="cosine", epochs=10, warmup_epochs=2, warmup_lr=1e-4, min_lr=1e-5,
                              lr_cycle_limit=2, lr_cycle_decay=0.5, lr_noise=[0.3, 0.6], seed=1,
                              sched_on_updates=True, eval_metric="loss")
    assert ours.scheduler_kwargs(args) == _reference().scheduler_kwargs(args)
    s1, n1 = ours.create_scheduler(args, _optimizer(), updates_per_epoch=4)
    s2, n2 = _reference().create_scheduler(args, _optimizer(), updates_per_epoch=4)
    assert n1 == n2 and not s1.t_in_epochs
    for t in range(0, 4 * n1):
        assert s1._get_lr(t) == pytest.approx(s2._get_lr(t), rel=1e-12)


def test_none_returns_no_scheduler():
    assert ours.create_scheduler_v2(_optimizer(), sched="none", num_epochs=7) == (None, 7)


def test_wsd_decay_longer_than_schedule_is_rejected():
    with pytest.raises(ValueError, match="decay_epochs"):
        ours.create_scheduler_v2(_optimizer(), sched="wsd", num_epochs=10, warmup_epochs=4, decay_epochs=8)


def test_unknown_name_lists_choices():
    with pytest.raises(ValueError, match=r"cosin.*did you mean cosine.*valid choices: cosine, tanh"):
        ours.create_scheduler_v2(_optimizer(), sched="cosin")


@pytest.mark.parametrize("name", ["CosineLRScheduler", "TanhLRScheduler", "PolyLRScheduler", "StepLRScheduler",
                                  "MultiStepLRScheduler", "PlateauLRScheduler", "WSDLRScheduler",
                                  "create_scheduler_v2", "create_scheduler", "scheduler_kwargs"])
def test_takes_reference_keywords(name):
    import inspect
    theirs, mine = getattr(_reference(), name), getattr(ours, name)
    target = (lambda o: o.__init__) if inspect.isclass(theirs) else (lambda o: o)
    t, m = inspect.signature(target(theirs)).parameters, inspect.signature(target(mine)).parameters
    assert [k for k in t if k not in m] == []
    assert [(k, t[k].default) for k in t] == [(k, m[k].default) for k in t], "defaults differ"
