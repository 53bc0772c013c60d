"""Hyperbolic-tangent decay with restarts (Hsueh et al., "Stochastic Gradient Descent with Hyperbolic-Tangent
Decay", 2018, https://arxiv.org/abs/1806.01593): the lr follows ``1 - tanh`` as its argument sweeps lb -> ub."""
import math

from .scheduler import CycleScheduler


class TanhLRScheduler(CycleScheduler):
    def __init__(
            self, optimizer, t_initial: int, lb: float = -7.0, ub: float = 3.0, lr_min: float = 0.0,
            cycle_mul: float = 1.0, cycle_decay: float = 1.0, cycle_limit: int = 1, warmup_t: int = 0,
            warmup_lr_init: float = 0.0, warmup_prefix: bool = False, t_in_epochs: bool = True, noise_range_t=None,
            noise_pct: float = 0.67, noise_std: float = 1.0, noise_seed: int = 42, initialize: bool = True,
    ) -> None:
        if not lb < ub:
            raise ValueError(f"tanh schedule needs lb < ub, got lb={lb}, ub={ub}")
        self.lb = lb
        self.ub = ub
        super().__init__(
            optimizer, t_initial, lr_min=lr_min, cycle_mul=cycle_mul, cycle_decay=cycle_decay,
            cycle_limit=cycle_limit, warmup_t=warmup_t, warmup_lr_init=warmup_lr_init, warmup_prefix=warmup_prefix,
            t_in_epochs=t_in_epochs, noise_range_t=noise_range_t, noise_pct=noise_pct, noise_std=noise_std,
            noise_seed=noise_seed, initialize=initialize)
        if warmup_t and not warmup_prefix:
            # warm up to where the curve is at warmup_t, not to the base lr, so the lr has no jump there
            target = self._get_lr(warmup_t)
            self.warmup_steps = [(v - warmup_lr_init) / warmup_t for v in target]

    def _shape(self, lr_max, t_curr, t_i):
        frac = t_curr / t_i
        return self.lr_min + 0.5 * (lr_max - self.lr_min) * (1 - math.tanh(self.lb * (1 - frac) + self.ub * frac))
