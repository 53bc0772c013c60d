"""The base of every imagemodels scheduler: values are a pure function of the epoch (or update) index the
training loop passes in, so there is no hidden step counter to get out of sync on resume.

Call ``step(epoch)`` at the end of each epoch with the index of the *next* epoch, and ``step_update(n)`` after
each optimizer update with the number of updates done; whichever does not match ``t_in_epochs`` is a no-op.
"""
import math
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import torch

NoiseRange = Union[List[int], Tuple[int, int], int, float, None]

# Optimizers from imagemodels.optim.create_optimizer_v2 multiply each group's lr by its 'lr_scale' inside
# step() (so PyTorch's schedulers honour layer decay too) and carry this attribute; for them the scheduler
# must write the unscaled value, for any other optimizer it applies the scale itself.
LR_SCALE_IN_STEP_ATTR = "lr_scale_in_step"


class Scheduler:
    """Schedules ``param_group_field`` of every param group from the group's ``initial_<field>``."""

    def __init__(
            self,
            optimizer: torch.optim.Optimizer,
            param_group_field: str,
            t_in_epochs: bool = True,
            noise_range_t: NoiseRange = None,
            noise_type: str = "normal",
            noise_pct: float = 0.67,
            noise_std: float = 1.0,
            noise_seed: Optional[int] = None,
            initialize: bool = True,
    ) -> None:
        self.optimizer = optimizer
        self.param_group_field = param_group_field
        self._initial_param_group_field = f"initial_{param_group_field}"
        initial = self._initial_param_group_field
        for i, group in enumerate(optimizer.param_groups):
            if initialize:
                if param_group_field not in group:
                    raise KeyError(f"param_groups[{i}] has no '{param_group_field}' to schedule")
                group.setdefault(initial, group[param_group_field])
            elif initial not in group:
                raise KeyError(f"param_groups[{i}] has no '{initial}'; pass initialize=True to record it")
        self.base_values = [group[initial] for group in optimizer.param_groups]
        self.metric = None
        self.t_in_epochs = t_in_epochs
        self.noise_range_t = noise_range_t
        self.noise_type = noise_type
        self.noise_pct = noise_pct
        self.noise_std = noise_std
        self.noise_seed = 42 if noise_seed is None else noise_seed
        self.update_groups(self.base_values)

    # --- checkpointing: everything but the optimizer (which is checkpointed on its own)
    def state_dict(self) -> Dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        self.__dict__.update(state_dict)

    # --- the schedule
    def _get_lr(self, t: float) -> List[float]:
        raise NotImplementedError

    def _get_values(self, t: float, on_epoch: bool = True) -> Optional[List[float]]:
        if on_epoch != self.t_in_epochs:
            return None
        return self._get_lr(t)

    def step(self, epoch: int, metric: Optional[float] = None) -> None:
        self._step(epoch, metric, on_epoch=True)

    def step_update(self, num_updates: int, metric: Optional[float] = None) -> None:
        self._step(num_updates, metric, on_epoch=False)

    def _step(self, t, metric, on_epoch):
        self.metric = metric
        values = self._get_values(t, on_epoch=on_epoch)
        if values is not None:
            self.update_groups(self._add_noise(values, t))

    def update_groups(self, values: Union[float, Sequence[float]]) -> None:
        groups = self.optimizer.param_groups
        if not isinstance(values, (list, tuple)):
            values = [values] * len(groups)
        scale_here = not getattr(self.optimizer, LR_SCALE_IN_STEP_ATTR, False)
        for group, value in zip(groups, values):
            if scale_here and "lr_scale" in group:
                value = value * group["lr_scale"]
            group[self.param_group_field] = value

    # --- lr noise: a seeded relative perturbation, reproducible per t
    def _is_apply_noise(self, t: float) -> bool:
        r = self.noise_range_t
        if r is None:
            return False
        if isinstance(r, (list, tuple)):
            return r[0] <= t < r[1]
        return t >= r

    def _calculate_noise(self, t: float) -> float:
        g = torch.Generator()
        g.manual_seed(int(self.noise_seed + t))
        if self.noise_type == "normal":
            # a truncated normal by rejection: redraw until |noise| < noise_pct
            while True:
                noise = torch.randn(1, generator=g).item() * self.noise_std
                if abs(noise) < self.noise_pct:
                    return noise
        return 2 * (torch.rand(1, generator=g).item() - 0.5) * self.noise_pct

    def _add_noise(self, lrs: List[float], t: float) -> List[float]:
        if self._is_apply_noise(t):
            noise = self._calculate_noise(t)
            lrs = [v * (1 + noise) for v in lrs]
        return lrs


class WarmupScheduler(Scheduler):
    """Linear warmup from ``warmup_lr_init`` over ``warmup_t`` steps, then ``_decay(t)``.

    With ``warmup_prefix`` the decay's clock starts after warmup; otherwise warmup eats into the schedule.
    """

    def __init__(self, optimizer, *, warmup_t=0, warmup_lr_init=0.0, warmup_prefix=False, **base_kwargs):
        super().__init__(optimizer, "lr", **base_kwargs)
        self.warmup_t = warmup_t
        self.warmup_lr_init = warmup_lr_init
        self.warmup_prefix = warmup_prefix
        if warmup_t:
            self.warmup_steps = [(v - warmup_lr_init) / warmup_t for v in self.base_values]
            self.update_groups(warmup_lr_init)
        else:
            self.warmup_steps = [1 for _ in self.base_values]

    def _get_lr(self, t):
        if t < self.warmup_t:
            return [self.warmup_lr_init + t * s for s in self.warmup_steps]
        if self.warmup_prefix:
            t = t - self.warmup_t
        return self._decay(t)

    def _decay(self, t) -> List[float]:
        raise NotImplementedError


class CycleScheduler(WarmupScheduler):
    """Restarts: cycle ``i`` lasts ``t_initial * cycle_mul**i`` and peaks at ``base * cycle_decay**i``; after
    ``cycle_limit`` cycles the value stays at ``lr_min``. Subclasses give the shape within a cycle."""

    def __init__(self, optimizer, t_initial, lr_min=0.0, cycle_mul=1.0, cycle_decay=1.0, cycle_limit=1, **kwargs):
        if t_initial <= 0:
            raise ValueError(f"t_initial must be > 0, got {t_initial}")
        if lr_min < 0:
            raise ValueError(f"lr_min must be >= 0, got {lr_min}")
        super().__init__(optimizer, **kwargs)
        self.t_initial = t_initial
        self.lr_min = lr_min
        self.cycle_mul = cycle_mul
        self.cycle_decay = cycle_decay
        self.cycle_limit = cycle_limit

    def _cycle(self, t):
        """(cycle index, cycle length, position within the cycle)."""
        m, t0 = self.cycle_mul, self.t_initial
        if m == 1:
            i = t // t0
            return i, t0, t - t0 * i
        # cycle i starts at t0 * (m**i - 1) / (m - 1): invert that geometric sum
        i = math.floor(math.log(1 - t / t0 * (1 - m), m))
        return i, m ** i * t0, t - (1 - m ** i) / (1 - m) * t0

    def _shape(self, lr_max, t_curr, t_i) -> float:
        raise NotImplementedError

    def _decay(self, t):
        i, t_i, t_curr = self._cycle(t)
        if i >= self.cycle_limit:
            return [self.lr_min for _ in self.base_values]
        gamma = self.cycle_decay ** i
        return [self._shape(v * gamma, t_curr, t_i) for v in self.base_values]

    def get_cycle_length(self, cycles=0):
        """Length of ``cycles`` cycles (default ``cycle_limit``), plus warmup when it is a prefix."""
        cycles = max(1, cycles or self.cycle_limit)
        m = self.cycle_mul
        if m == 1.0:
            t = self.t_initial * cycles
        else:
            t = int(math.floor(-self.t_initial * (m ** cycles - 1) / (1 - m)))
        return t + self.warmup_t if self.warmup_prefix else t

