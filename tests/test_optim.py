"""Optimizers: every listed name builds and makes progress; where the reference has the same name, the same
parameter trajectory; weight-decay and layer-decay grouping as the reference; layer decay effective under any
scheduler; helpful errors."""
import copy
import inspect

import pytest
import torch
from torch import nn

import imagemodels.optim as ours
import parity

pytestmark = pytest.mark.filterwarnings(r"ignore:Using backward\(\) with create_graph=True")

# reference name to compare with where ours maps to a PyTorch fused kernel (the reference's are NVIDIA apex)
SAME_AS = {"fusedadam": "adam", "fusedadamw": "adamw", "fusedsgd": "sgd"}
# per-name settings that keep a few steps well conditioned (defaults of lars/adafactor assume other scales)
LR = {"lars": 0.1, "larc": 0.1, "nlars": 0.1, "nlarc": 0.1, "adadelta": 1.0, "radam": 3e-2, "radamw": 3e-2,
      "radamlegacy": 3e-2}


def _lr(table, name, default):
    """A name's lr from a table, else its base name's (a variant keeps its base's scale: 'clionc' -> 'lion')."""
    if name in table:
        return table[name]
    cls = ours.get_optimizer_info(name).opt_class
    for base, lr in table.items():
        if ours.get_optimizer_info(base).opt_class is cls:
            return lr
    return default


def _reference_optim():
    parity.reference()
    import timm.optim
    return timm.optim


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 16, bias=False)  # LayerNorm after it: scale-invariant (AdamP / SGDP project)
        self.norm = nn.LayerNorm(16)
        self.fc2 = nn.Linear(16, 3)
        self.pos = nn.Parameter(torch.zeros(1, 16, 2))

    def no_weight_decay(self):
        return {"pos"}

    def forward(self, x):
        return self.fc2(torch.relu(self.norm(self.fc1(x)) + self.pos.sum(-1)))


def _data():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(32, 6, generator=g)
    return x, (x[:, :3] * 2 - x[:, 3:]).detach()


def _train(model, optimizer, steps, halve_lr_at=None):
    x, y = _data()
    losses = []
    for i in range(steps):
        if i == halve_lr_at:  # as a schedule would: corrected weight decay differs only once lr moves
            for group in optimizer.param_groups:
                group["lr"] *= 0.5
        def closure():
            optimizer.zero_grad()
            loss = nn.functional.mse_loss(model(x), y)
            loss.backward(create_graph=getattr(optimizer, "is_second_order", False))
            return loss
        loss = closure()
        optimizer.step()
        losses.append(loss.item())
    return losses


def _shared_names():
    ref = set(_reference_optim().list_optimizers())
    return [n for n in ours.list_optimizers() if SAME_AS.get(n, n) in ref]


@pytest.mark.parametrize("name", ours.list_optimizers())
def test_trajectory_matches_reference(name):
    ref_name = SAME_AS.get(name, name)
    ref = _reference_optim()
    if ref_name not in ref.list_optimizers():
        pytest.skip(f"the reference has no {ref_name!r}")
    torch.manual_seed(0)
    model = Tiny()
    model_ref = copy.deepcopy(model)
    kwargs = dict(lr=_lr(LR, name, 1e-2), weight_decay=1e-2)
    _train(model, ours.create_optimizer_v2(model, name, **kwargs), 6, halve_lr_at=3)
    _train(model_ref, ref.create_optimizer_v2(model_ref, ref_name, **kwargs), 6, halve_lr_at=3)
    for (n, a), b in zip(model.named_parameters(), model_ref.parameters()):
        torch.testing.assert_close(a, b, rtol=0, atol=1e-5, msg=lambda m: f"{name}: {n}: {m}")


@pytest.mark.parametrize("name", ours.list_optimizers() + ["lookahead_adamw", "lookahead_sgd"])
def test_trains_tiny_model(name):
    torch.manual_seed(0)
    model = Tiny()
    losses = _train(model, ours.create_optimizer_v2(model, name, lr=_lr(LR, name, 1e-2), weight_decay=1e-4), 60)
    assert losses[-1] < 0.5 * losses[0], f"{name}: loss {losses[0]:.3f} -> {losses[-1]:.3f}"


# Rosenbrock from (-1.5, 2), where f = 12.5, to below 1 (inside the curved valley, near (1, 1)) in 1000 steps;
# lr per name where the default 3e-2 does not suit the method
ROSEN_LR = {
    **dict.fromkeys(["sgd", "nesterov", "momentum", "fusedsgd", "sgdw", "nesterovw", "sgdp",
                     "lars", "larc", "nlars", "nlarc"], 1e-3),
    **dict.fromkeys(["lion", "lamb", "lambc", "radam", "radamw", "radamlegacy", "radabelief", "rmsprop"], 1e-2),
    "adadelta": 1.0, "adagrad": 3.0, "adopt": 0.3, "adoptw": 0.3, "adamax": 0.3, "adahessian": 3.0,
}


@pytest.mark.parametrize("name", ours.list_optimizers())
def test_rosenbrock(name):
    xy = nn.Parameter(torch.tensor([-1.5, 2.0]))

    def f():
        x, y = xy
        return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2

    opt = ours.create_optimizer_v2([xy], name, lr=_lr(ROSEN_LR, name, 3e-2), weight_decay=0.0)
    start = f().item()
    for _ in range(1000):
        opt.zero_grad()
        loss = f()
        loss.backward(create_graph=getattr(opt, "is_second_order", False))
        opt.step()
    assert f().item() < 1.0, f"{name}: {start:.3f} -> {f().item():.3f}"


def test_weight_decay_groups_match_reference():
    model = Tiny()
    for kwargs in (dict(weight_decay=0.05), dict(weight_decay=0.05, no_weight_decay_list=["fc2.*"]),
                   dict(weight_decay=0.0), dict(weight_decay=0.1, weight_decay_exclude_1d=False)):
        a = ours.param_groups_weight_decay(model, **kwargs)
        b = _reference_optim().param_groups_weight_decay(model, **kwargs)
        assert [(g["weight_decay"], [id(p) for p in g["params"]]) for g in a] == \
               [(g["weight_decay"], [id(p) for p in g["params"]]) for g in b]


def test_factory_groups_skip_bias_norm_and_no_weight_decay():
    model = Tiny()
    opt = ours.create_optimizer_v2(model, "adamw", lr=1e-3, weight_decay=0.05)
    decay = {id(p) for g in opt.param_groups if g["weight_decay"] for p in g["params"]}
    assert decay == {id(model.fc1.weight), id(model.fc2.weight)}  # pos is 3-d but listed in no_weight_decay()
    opt = ours.create_optimizer_v2(model, "adamw", lr=1e-3, weight_decay=0.05, filter_bias_and_bn=False)
    assert {id(p) for g in opt.param_groups if g["weight_decay"] for p in g["params"]} == \
           {id(p) for n, p in model.named_parameters() if n != "pos"}


def test_layer_decay_groups_match_reference():
    import imagemodels
    model = imagemodels.create_model("resnet18", num_classes=5)
    for kwargs in (dict(layer_decay=0.75), dict(layer_decay=0.5, min_scale=0.05, weight_decay=0.01),
                   dict(layer_decay=0.6, no_opt_scale=0.01)):
        a = ours.param_groups_layer_decay(copy.deepcopy(model), **kwargs)
        b = _reference_optim().param_groups_layer_decay(copy.deepcopy(model), **kwargs)
        key = lambda groups: [(g["lr_scale"], g["weight_decay"], [tuple(p.shape) for p in g["params"]])
                              for g in groups]  # noqa: E731
        assert key(a) == key(b)
        assert len({g["lr_scale"] for g in a}) > 5


def _stem_lr_after_one_step(optimizer, model, lr):
    """The lr an SGD step actually applied to conv1 (no momentum, no decay): -delta / grad."""
    x = torch.randn(2, 3, 32, 32)
    optimizer.zero_grad()
    model(x).sum().backward()
    before = model.conv1.weight.detach().clone()
    grad = model.conv1.weight.grad.clone()
    optimizer.step()
    mask = grad.abs() > 1e-6
    return ((before - model.conv1.weight.detach())[mask] / grad[mask]).mean().item()


def test_layer_decay_takes_effect_under_pytorch_scheduler():
    import imagemodels
    torch.manual_seed(0)
    model = imagemodels.create_model("resnet18", num_classes=5)
    opt = ours.create_optimizer_v2(model, "momentum", lr=0.1, momentum=0.0, layer_decay=0.5)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.1)
    stem = next(g for g in opt.param_groups if any(p is model.conv1.weight for p in g["params"]))
    assert stem["lr_scale"] < 1e-2
    assert _stem_lr_after_one_step(opt, model, 0.1) == pytest.approx(0.1 * stem["lr_scale"], rel=1e-3)
    sched.step()
    assert stem["lr"] == pytest.approx(0.01)  # the group keeps the scheduled, unscaled value
    assert _stem_lr_after_one_step(opt, model, 0.01) == pytest.approx(0.01 * stem["lr_scale"], rel=1e-3)


def test_layer_decay_effective_lr_equals_reference_under_our_scheduler():
    import imagemodels
    import imagemodels.scheduler as sched_ours
    ref = _reference_optim()
    import timm.scheduler as sched_ref
    model = imagemodels.create_model("resnet18", num_classes=5)
    opt = ours.create_optimizer_v2(model, "adamw", lr=1e-3, layer_decay=0.7)
    opt_ref = ref.create_optimizer_v2(copy.deepcopy(model), "adamw", lr=1e-3, layer_decay=0.7)
    kw = dict(sched="cosine", num_epochs=10, warmup_epochs=2, warmup_lr=1e-5, min_lr=1e-6)
    s, _ = sched_ours.create_scheduler_v2(opt, **kw)
    s_ref, _ = sched_ref.create_scheduler_v2(opt_ref, **kw)
    for epoch in range(10):
        s.step(epoch)
        s_ref.step(epoch)
        effective = [g["lr"] * g["lr_scale"] for g in opt.param_groups]
        assert effective == pytest.approx([g["lr"] for g in opt_ref.param_groups], rel=1e-12)


def test_unknown_name_lists_choices():
    with pytest.raises(ValueError, match=r"adamw2.*did you mean adamw.*valid choices: adabelief"):
        ours.create_optimizer_v2(Tiny(), "adamw2")


def test_lookahead_prefix_and_state_dict():
    model = Tiny()
    opt = ours.create_optimizer_v2(model, "lookahead_adamw", lr=1e-2)
    assert isinstance(opt, ours.Lookahead)
    _train(model, opt, 7)
    state = opt.state_dict()
    opt2 = ours.create_optimizer_v2(copy.deepcopy(model), "lookahead_adamw", lr=1e-2)
    opt2.load_state_dict(state)
    assert opt2.param_groups[0]["lookahead_step"] == 7


def test_get_optimizer_class_binds_defaults():
    p = [nn.Parameter(torch.zeros(2))]
    assert ours.get_optimizer_class("nesterov", bind_defaults=False) is torch.optim.SGD
    assert ours.get_optimizer_class("nesterov")(p, lr=0.1, momentum=0.9).defaults["nesterov"] is True
    assert ours.list_optimizers("lar*") == ["larc", "lars"]
    assert ("adamw", ours.get_optimizer_info("adamw").description) in ours.list_optimizers(with_description=True)


def test_optimizer_kwargs_matches_reference():
    import argparse
    cfg = argparse.Namespace(opt="adamw", lr=1e-3, weight_decay=0.05, momentum=0.9, opt_eps=1e-6,
                             opt_betas=[0.9, 0.95], layer_decay=0.65, opt_args={"amsgrad": True}, opt_foreach=False)
    assert ours.optimizer_kwargs(cfg) == _reference_optim().optimizer_kwargs(cfg)


@pytest.mark.parametrize("fn", ["create_optimizer_v2", "param_groups_weight_decay", "param_groups_layer_decay",
                                "list_optimizers", "get_optimizer_class", "optimizer_kwargs", "create_optimizer"])
def test_takes_reference_keywords(fn):
    theirs = inspect.signature(getattr(_reference_optim(), fn)).parameters
    mine = inspect.signature(getattr(ours, fn)).parameters
    assert [k for k in theirs if k not in mine] == []


def test_lookahead_trajectory_matches_reference():
    ref = _reference_optim()
    torch.manual_seed(0)
    model = Tiny()
    model_ref = copy.deepcopy(model)
    _train(model, ours.create_optimizer_v2(model, "lookahead_adamw", lr=1e-2, weight_decay=1e-2), 13)
    _train(model_ref, ref.create_optimizer_v2(model_ref, "lookahead_adamw", lr=1e-2, weight_decay=1e-2), 13)
    for a, b in zip(model.parameters(), model_ref.parameters()):
        torch.testing.assert_close(a, b, rtol=0, atol=1e-5)


@pytest.mark.parametrize("name", ours.list_optimizers())
def test_state_dict_resume(name):
    """Saving (torch.save, loaded back with weights_only=True) and resuming continues the same trajectory."""
    import io
    torch.manual_seed(0)
    model = Tiny()
    kwargs = dict(lr=_lr(LR, name, 1e-2), weight_decay=1e-2)
    opt = ours.create_optimizer_v2(model, name, **kwargs)
    _train(model, opt, 3)
    buffer = io.BytesIO()
    torch.save(opt.state_dict(), buffer)
    resumed_model = copy.deepcopy(model)
    resumed = ours.create_optimizer_v2(resumed_model, name, **kwargs)
    buffer.seek(0)
    resumed.load_state_dict(torch.load(buffer, weights_only=True))
    if name == "adahessian":  # its probe vectors come from a generator the state_dict does not hold
        resumed.generator.set_state(opt.generator.get_state())
    _train(model, opt, 3)
    _train(resumed_model, resumed, 3)
    for a, b in zip(model.parameters(), resumed_model.parameters()):
        torch.testing.assert_close(a, b, rtol=0, atol=1e-6)


# options no name reaches: class, keyword arguments (same class name in both libraries)
CLASS_OPTIONS = [
    ("AdamWLegacy", dict(lr=1e-2, weight_decay=0.05, amsgrad=True, clipping_threshold=0.5)),
    ("NAdamW", dict(lr=1e-2, clipping_threshold=0.5, maximize=False)),
    ("AdaBelief", dict(lr=1e-2, amsgrad=True, decoupled_decay=False, weight_decay=0.01, rectify=False)),
    ("AdaBelief", dict(lr=1e-2, fixed_decay=True, weight_decay=0.01, degenerated_to_sgd=False)),
    ("NvNovoGrad", dict(lr=1e-2, amsgrad=True, grad_averaging=True, weight_decay=0.01)),
    ("Lamb", dict(lr=1e-2, always_adapt=True, max_grad_norm=None, grad_averaging=False, bias_correction=False)),
    ("Lars", dict(lr=0.1, always_adapt=True, momentum=0.9, dampening=0.1)),
    ("RMSpropTF", dict(lr=1e-2, centered=True, momentum=0.9, lr_in_momentum=False, weight_decay=0.01)),
    ("Adopt", dict(lr=1e-2, clip_exp=None, weight_decay=0.01)),
    ("Adafactor", dict(lr=None, warmup_init=True)),
    ("Adafactor", dict(lr=None, scale_parameter=False, min_dim_size_to_factor=4, weight_decay=0.01)),
    ("AdafactorBigVision", dict(lr=1e-2, momentum_dtype="float32", clipping_threshold=1.0, unscaled_wd=True,
                                weight_decay=0.01, decay_offset=2, min_dim_size_to_factor=4)),
    ("AdafactorBigVision", dict(lr=1e-2, momentum=None, eps=1e-20)),
    ("MADGRAD", dict(lr=1e-2, momentum=0.0, weight_decay=0.01)),
    ("Adahessian", dict(lr=0.1, n_samples=2, update_each=2, weight_decay=0.01, hessian_power=0.5)),
    ("AdamP", dict(lr=1e-2, nesterov=False, weight_decay=0.01, delta=0.5)),
    ("SGDP", dict(lr=1e-2, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("SGDW", dict(lr=1e-2, momentum=0.9, dampening=0.1, weight_decay=0.01, maximize=True)),
    ("Lion", dict(lr=1e-3, maximize=True)),
    ("Mars", dict(lr=1e-2, mars_type="lion", weight_decay=0.01, caution=True)),
    ("Mars", dict(lr=1e-2, optimize_1d=True, gamma=0.1)),
    ("Mars", dict(lr=1e-2, lr_1d_factor=0.5, betas_1d=(0.8, 0.95), weight_decay=0.01)),
    ("NAdamLegacy", dict(lr=1e-2, weight_decay=0.01, schedule_decay=0.01)),
    ("RAdamLegacy", dict(lr=1e-2, weight_decay=0.01)),
    ("LaProp", dict(lr=1e-2, weight_decay=0.01, caution=True, corrected_weight_decay=True)),
]


@pytest.mark.parametrize("cls,kwargs", CLASS_OPTIONS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(CLASS_OPTIONS)])
def test_class_options_match_reference(cls, kwargs):
    ref = _reference_optim()
    torch.manual_seed(0)
    model = Tiny()
    model_ref = copy.deepcopy(model)
    _train(model, getattr(ours, cls)(model.parameters(), **kwargs), 6, halve_lr_at=3)
    _train(model_ref, getattr(ref, cls)(model_ref.parameters(), **kwargs), 6, halve_lr_at=3)
    for (n, a), b in zip(model.named_parameters(), model_ref.parameters()):
        torch.testing.assert_close(a, b, rtol=0, atol=1e-5, msg=lambda m: f"{cls} {kwargs}: {n}: {m}")


def test_import_imagemodels_imports_none_of_optim_scheduler_loss():
    import subprocess
    import sys
    code = ("import sys, imagemodels; heavy = [m for m in sys.modules if m.split('.')[:2] in "
            "(['imagemodels', 'optim'], ['imagemodels', 'scheduler'], ['imagemodels', 'loss'])]; "
            "assert not heavy, heavy; imagemodels.optim.create_optimizer_v2; "
            "imagemodels.scheduler.create_scheduler_v2; imagemodels.loss.BinaryCrossEntropy")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_fused_names_use_pytorch_fused_kernels():
    model = Tiny()
    for name in ("fusedadam", "fusedadamw", "fusedsgd"):
        opt = ours.create_optimizer_v2(model, name, lr=1e-3, foreach=True)
        assert opt.defaults["fused"] is True and not opt.defaults.get("foreach")


def test_lr_scale_survives_a_failed_step():
    p = nn.Parameter(torch.ones(3))
    opt = ours.create_optimizer_v2([{"params": [p], "lr_scale": 0.1}], "momentum", lr=1.0, momentum=0.0)

    def failing_closure():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        opt.step(failing_closure)
    p.grad = torch.ones(3)
    opt.step()
    assert opt.param_groups[0]["lr"] == 1.0
    torch.testing.assert_close(p.detach(), torch.full((3,), 0.9))
