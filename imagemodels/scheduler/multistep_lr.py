"""Multi-step decay: multiply by ``decay_rate`` at each milestone."""
import bisect
from typing import List

from .scheduler import WarmupScheduler


class MultiStepLRScheduler(WarmupScheduler):
    """Milestone ``m`` takes effect from ``t == m - 1``: timm's convention, one index earlier than PyTorch's
    MultiStepLR, kept so recipes written for timm train the same. Milestones must be sorted."""

    def __init__(
            self, optimizer, decay_t: List[int], decay_rate: float = 1.0, warmup_t: int = 0,
            warmup_lr_init: float = 0.0, warmup_prefix: bool = True, t_in_epochs: bool = True, noise_range_t=None,
            noise_pct: float = 0.67, noise_std: float = 1.0, noise_seed: int = 42, initialize: bool = True,
    ) -> None:
        self.decay_t = decay_t
        self.decay_rate = decay_rate
        super().__init__(
            optimizer, warmup_t=warmup_t, warmup_lr_init=warmup_lr_init, warmup_prefix=warmup_prefix,
            t_in_epochs=t_in_epochs, noise_range_t=noise_range_t, noise_pct=noise_pct, noise_std=noise_std,
            noise_seed=noise_seed, initialize=initialize)

    def get_curr_decay_steps(self, t) -> int:
        return bisect.bisect_right(self.decay_t, t + 1)

    def _decay(self, t) -> List[float]:
        return [v * self.decay_rate ** self.get_curr_decay_steps(t) for v in self.base_values]
