"""Step decay: multiply by ``decay_rate`` every ``decay_t`` (which may be fractional)."""
from typing import List

from .scheduler import WarmupScheduler


class StepLRScheduler(WarmupScheduler):
    def __init__(
            self, optimizer, decay_t: float, decay_rate: float = 1.0, warmup_t: int = 0, warmup_lr_init: float = 0.0,
            warmup_prefix: bool = True, t_in_epochs: bool = True, noise_range_t=None, noise_pct: float = 0.67,
            noise_std: float = 1.0, noise_seed: int = 42, initialize: bool = True,
    ) -> None:
        self.decay_t = decay_t
        self.decay_rate = decay_rate
        super().__init__(
            optimizer, warmup_t=warmup_t, warmup_lr_init=warmup_lr_init, warmup_prefix=warmup_prefix,
            t_in_epochs=t_in_epochs, noise_range_t=noise_range_t, noise_pct=noise_pct, noise_std=noise_std,
            noise_seed=noise_seed, initialize=initialize)

    def _decay(self, t) -> List[float]:
        return [v * self.decay_rate ** (t // self.decay_t) for v in self.base_values]
