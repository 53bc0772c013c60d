"""Cosine annealing with warm restarts (Loshchilov & Hutter, "SGDR", 2016, https://arxiv.org/abs/1608.03983),
with k-decay (Zhang & Li, "k-decay", 2020, https://arxiv.org/abs/2004.05909): ``t`` enters as ``t**k``."""
import math

from .scheduler import CycleScheduler


class CosineLRScheduler(CycleScheduler):
    def __init__(
            self, optimizer, t_initial: int, lr_min: float = 0.0, cycle_mul: float = 1.0, cycle_decay: float = 1.0,
            cycle_limit: int = 1, warmup_t: int = 0, warmup_lr_init: float = 0.0, warmup_prefix: bool = False,
            t_in_epochs: bool = True, noise_range_t=None, noise_pct: float = 0.67, noise_std: float = 1.0,
            noise_seed: int = 42, k_decay: float = 1.0, initialize: bool = True,
    ) -> None:
        self.k_decay = k_decay
        super().__init__(
            optimizer, t_initial, lr_min=lr_min, cycle_mul=cycle_mul, cycle_decay=cycle_decay,
            cycle_limit=cycle_limit, warmup_t=warmup_t, warmup_lr_init=warmup_lr_init, warmup_prefix=warmup_prefix,
            t_in_epochs=t_in_epochs, noise_range_t=noise_range_t, noise_pct=noise_pct, noise_std=noise_std,
            noise_seed=noise_seed, initialize=initialize)

    def _shape(self, lr_max, t_curr, t_i):
        k = self.k_decay
        return self.lr_min + 0.5 * (lr_max - self.lr_min) * (1 + math.cos(math.pi * t_curr ** k / t_i ** k))
