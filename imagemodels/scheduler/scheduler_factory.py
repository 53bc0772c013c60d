"""Schedulers by name, from keyword arguments or from a training config (argparse namespace or any object with
the attributes of timm's train.py flags).

Every length argument is in epochs; with ``step_on_epochs=False`` they are converted to optimizer updates
(``* updates_per_epoch``) and the scheduler is driven by ``step_update``.
"""
import difflib
from typing import List, Optional, Union

from torch.optim import Optimizer

from .cosine_lr import CosineLRScheduler
from .multistep_lr import MultiStepLRScheduler
from .plateau_lr import PlateauLRScheduler
from .poly_lr import PolyLRScheduler
from .step_lr import StepLRScheduler
from .tanh_lr import TanhLRScheduler
from .wsd_lr import WSDLRScheduler

SCHEDULERS = ("cosine", "tanh", "step", "constant", "multistep", "plateau", "poly", "wsd", "rsqrt", "none")


def scheduler_kwargs(cfg, decreasing_metric: Optional[bool] = None):
    """Keyword arguments of :func:`create_scheduler_v2` from a config's train.py-style attribute names."""
    if decreasing_metric is None:
        decreasing_metric = "loss" in getattr(cfg, "eval_metric", "top1")
    get = lambda name, default: getattr(cfg, name, default)  # noqa: E731
    return dict(
        sched=cfg.sched,
        num_epochs=get("epochs", 100),
        decay_epochs=get("decay_epochs", 30),
        decay_milestones=get("decay_milestones", [30, 60]),
        warmup_epochs=get("warmup_epochs", 5),
        cooldown_epochs=get("cooldown_epochs", 0),
        patience_epochs=get("patience_epochs", 10),
        decay_rate=get("decay_rate", 0.1),
        min_lr=get("min_lr", 0.0),
        warmup_lr=get("warmup_lr", 1e-5),
        warmup_prefix=get("warmup_prefix", False),
        noise=get("lr_noise", None),
        noise_pct=get("lr_noise_pct", 0.67),
        noise_std=get("lr_noise_std", 1.0),
        noise_seed=get("seed", 42),
        cycle_mul=get("lr_cycle_mul", 1.0),
        cycle_decay=get("lr_cycle_decay", 0.1),
        cycle_limit=get("lr_cycle_limit", 1),
        k_decay=get("lr_k_decay", 1.0),
        decay_fn=get("lr_decay_fn", None),
        stable_timescale=get("lr_stable_timescale", None),
        plateau_mode="min" if decreasing_metric else "max",
        step_on_epochs=not get("sched_on_updates", False),
    )


def create_scheduler(args, optimizer: Optimizer, updates_per_epoch: int = 0):
    """:func:`create_scheduler_v2` from a train.py-style config; returns ``(scheduler, num_epochs)``."""
    return create_scheduler_v2(optimizer, **scheduler_kwargs(args), updates_per_epoch=updates_per_epoch)


def _noise_range(noise, t_initial):
    """lr noise on/off points are fractions of the schedule: one value = from there on, two = a window."""
    if noise is None:
        return None
    if isinstance(noise, (list, tuple)):
        points = [n * t_initial for n in noise]
        return points[0] if len(points) == 1 else points
    return noise * t_initial


def create_scheduler_v2(
        optimizer: Optimizer,
        sched: str = "cosine",
        num_epochs: int = 300,
        decay_epochs: Optional[float] = None,
        decay_milestones: List[int] = (90, 180, 270),
        cooldown_epochs: int = 0,
        patience_epochs: int = 10,
        decay_rate: float = 0.1,
        min_lr: float = 0.0,
        warmup_lr: float = 1e-5,
        warmup_epochs: int = 0,
        warmup_prefix: bool = False,
        noise: Union[float, List[float], None] = None,
        noise_pct: float = 0.67,
        noise_std: float = 1.0,
        noise_seed: int = 42,
        cycle_mul: float = 1.0,
        cycle_decay: float = 0.1,
        cycle_limit: int = 1,
        k_decay: float = 1.0,
        decay_fn: Optional[str] = None,
        stable_timescale: Optional[float] = None,
        plateau_mode: str = "max",
        step_on_epochs: bool = True,
        updates_per_epoch: int = 0,
):
    """Build the scheduler named ``sched``; returns ``(scheduler, num_epochs)``.

    ``num_epochs`` comes back as the total to train: for the cycle schedules (cosine, tanh, poly) all cycles
    plus cooldown (plus warmup when ``warmup_prefix``), otherwise the input plus a warmup prefix.
    ``decay_rate`` is the polynomial power for 'poly'. ``sched='none'`` returns ``(None, num_epochs)``.
    For 'wsd' / 'rsqrt' (warmup always a prefix) ``decay_epochs`` is the decay phase's length, or a fraction
    of the stable + decay length when in (0, 1) (default 0.2); ``decay_fn`` defaults to '1-sqrt' ('linear' for
    rsqrt); ``stable_timescale`` defaults to the warmup length.
    """
    if sched not in SCHEDULERS:
        close = difflib.get_close_matches(str(sched), SCHEDULERS, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise ValueError(f"unknown scheduler {sched!r}{hint}; valid choices: {', '.join(SCHEDULERS)}")
    if decay_epochs is None:
        decay_epochs = 0.2 if sched in ("wsd", "rsqrt") else 90
    t_initial, warmup_t, decay_t, cooldown_t = num_epochs, warmup_epochs, decay_epochs, cooldown_epochs
    timescale_t = stable_timescale
    if not step_on_epochs:
        if updates_per_epoch <= 0:
            raise ValueError("step_on_epochs=False needs updates_per_epoch > 0 (the number of batches per epoch)")
        t_initial *= updates_per_epoch
        warmup_t *= updates_per_epoch
        decay_t *= updates_per_epoch
        cooldown_t *= updates_per_epoch
        decay_milestones = [m * updates_per_epoch for m in decay_milestones]
        if timescale_t is not None:
            timescale_t *= updates_per_epoch

    warmup = dict(warmup_lr_init=warmup_lr, warmup_t=warmup_t, warmup_prefix=warmup_prefix)
    noise_args = dict(noise_range_t=_noise_range(noise, t_initial), noise_pct=noise_pct, noise_std=noise_std,
                      noise_seed=noise_seed)
    cycles = dict(cycle_mul=cycle_mul, cycle_decay=cycle_decay, cycle_limit=cycle_limit)
    common = dict(t_in_epochs=step_on_epochs, **warmup, **noise_args)

    scheduler = None
    if sched == "cosine":
        scheduler = CosineLRScheduler(optimizer, t_initial, lr_min=min_lr, k_decay=k_decay, **cycles, **common)
    elif sched == "tanh":
        scheduler = TanhLRScheduler(optimizer, t_initial, lr_min=min_lr, **cycles, **common)
    elif sched == "poly":
        scheduler = PolyLRScheduler(optimizer, t_initial, power=decay_rate, lr_min=min_lr, k_decay=k_decay,
                                    **cycles, **common)
    elif sched == "step":
        scheduler = StepLRScheduler(optimizer, decay_t, decay_rate=decay_rate, **common)
    elif sched == "constant":
        # unlike 'none' this still warms up and applies per-group lr_scale
        scheduler = StepLRScheduler(optimizer, 1, decay_rate=1.0, **common)
    elif sched == "multistep":
        scheduler = MultiStepLRScheduler(optimizer, decay_milestones, decay_rate=decay_rate, **common)
    elif sched == "plateau":
        if not step_on_epochs:
            raise ValueError("the plateau scheduler steps per epoch only; leave step_on_epochs=True")
        scheduler = PlateauLRScheduler(
            optimizer, decay_rate=decay_rate, patience_t=patience_epochs, cooldown_t=0, warmup_t=warmup_t,
            warmup_lr_init=warmup_lr, lr_min=min_lr, mode=plateau_mode, **noise_args)

    elif sched in ("wsd", "rsqrt"):
        # warmup is always a prefix here; without warmup_prefix the stable + decay phases fit in num_epochs
        t_sched = t_initial if warmup_prefix else t_initial - warmup_t
        if 0 < decay_epochs < 1:
            decay_t = decay_epochs * t_sched
        decay_t = int(round(decay_t))
        if not 0 < decay_t <= t_sched:
            budget = "epochs" if warmup_prefix else "epochs - warmup_epochs"
            raise ValueError(f"{sched} needs 0 < decay_epochs <= {budget}; got a decay of {decay_t} "
                             f"and a stable + decay length of {t_sched}")
        scheduler = WSDLRScheduler(
            optimizer, t_initial=t_sched, decay_t=decay_t, lr_min=min_lr,
            stable_fn="rsqrt" if sched == "rsqrt" else "constant", stable_timescale=timescale_t,
            decay_fn=decay_fn or ("linear" if sched == "rsqrt" else "1-sqrt"), t_in_epochs=step_on_epochs,
            warmup_t=warmup_t, warmup_lr_init=warmup_lr, **noise_args)

    if hasattr(scheduler, "get_cycle_length"):
        total = scheduler.get_cycle_length() + cooldown_t
        num_epochs = total if step_on_epochs else total // updates_per_epoch
    elif warmup_prefix:
        num_epochs += warmup_epochs
    return scheduler, num_epochs
