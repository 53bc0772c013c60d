"""Warmup-stable-decay (Hu et al., "MiniCPM", 2024; Hägele et al., "Scaling Laws and Compute-Optimal Training
Beyond Fixed Training Durations", 2024, https://arxiv.org/abs/2405.18392), and big_vision's rsqrt schedule.

    lr(t) = lr_min + (base * stable(t_s) - lr_min) * decay(frac)

``t_s`` is the time since warmup ended, ``frac`` the progress through the final ``decay_t`` steps of
``t_initial`` (the stable + decay length; warmup is always a prefix). After the schedule, ``lr_min`` holds.
"""
import math
from typing import Callable, Optional, Union

from .scheduler import Scheduler

STABLE_FNS = ("constant", "rsqrt", "power")
DECAY_FNS = ("linear", "1-sqrt", "cosine", "power", "exp")


class WSDLRScheduler(Scheduler):
    """``stable_fn``: 'constant' (WSD), 'rsqrt' ``(1 + t_s / timescale) ** -0.5``, or 'power' (exponent
    ``stable_power``); the timescale defaults to ``warmup_t``. ``decay_fn``: 'linear', '1-sqrt' (the best
    cooldown in Hägele et al.), 'cosine', 'power' (``1 - frac ** decay_power``), 'exp' (towards ``decay_ratio``,
    normalised to reach 0) or a callable ``frac -> factor`` going from 1 to 0."""

    def __init__(
            self, optimizer, t_initial: int, decay_t: int, lr_min: float = 0.0, stable_fn: str = "constant",
            stable_timescale: Optional[float] = None, stable_power: float = 0.5,
            decay_fn: Union[str, Callable[[float], float]] = "1-sqrt", decay_power: float = 0.5,
            decay_ratio: float = 0.1, warmup_t: int = 0, warmup_lr_init: float = 0.0, t_in_epochs: bool = True,
            noise_range_t=None, noise_pct: float = 0.67, noise_std: float = 1.0, noise_seed: int = 42,
            initialize: bool = True,
    ) -> None:
        super().__init__(optimizer, "lr", t_in_epochs=t_in_epochs, noise_range_t=noise_range_t,
                         noise_pct=noise_pct, noise_std=noise_std, noise_seed=noise_seed, initialize=initialize)
        if t_initial <= 0:
            raise ValueError(f"t_initial must be > 0, got {t_initial}")
        if not 0 < decay_t <= t_initial:
            raise ValueError(f"decay_t must be in (0, t_initial={t_initial}], got {decay_t}")
        if lr_min < 0:
            raise ValueError(f"lr_min must be >= 0, got {lr_min}")
        if stable_fn not in STABLE_FNS:
            raise ValueError(f"stable_fn must be one of {', '.join(STABLE_FNS)}, got {stable_fn!r}")
        if isinstance(decay_fn, str) and decay_fn not in DECAY_FNS:
            raise ValueError(f"decay_fn must be one of {', '.join(DECAY_FNS)} or a callable, got {decay_fn!r}")
        if not 0.0 < decay_ratio < 1.0:
            raise ValueError(f"decay_ratio must be in (0, 1), got {decay_ratio}")
        if decay_power <= 0 or stable_power <= 0:
            raise ValueError(f"decay_power and stable_power must be > 0, got {decay_power}, {stable_power}")
        if stable_fn != "constant":
            stable_timescale = warmup_t if stable_timescale is None else stable_timescale
            if stable_timescale <= 0:
                raise ValueError(f"stable_fn={stable_fn!r} needs stable_timescale > 0 (it defaults to warmup_t, "
                                 f"{warmup_t}); set it when there is no warmup")
        self.t_initial = t_initial
        self.decay_t = decay_t
        self.lr_min = lr_min
        self.stable_fn = stable_fn
        self.stable_timescale = stable_timescale
        self.stable_power = stable_power
        self.decay_fn = decay_fn
        self.decay_power = decay_power
        self.decay_ratio = decay_ratio
        self.warmup_t = warmup_t
        self.warmup_lr_init = warmup_lr_init
        if warmup_t:
            self.warmup_steps = [(v - warmup_lr_init) / warmup_t for v in self.base_values]
            self.update_groups(warmup_lr_init)
        else:
            self.warmup_steps = [1 for _ in self.base_values]

    def _stable(self, t_s):
        if self.stable_fn == "constant":
            return 1.0
        power = 0.5 if self.stable_fn == "rsqrt" else self.stable_power
        return (1.0 + t_s / self.stable_timescale) ** -power

    def _decay_factor(self, frac):
        fn = self.decay_fn
        if callable(fn):
            return fn(frac)
        if fn == "linear":
            return 1.0 - frac
        if fn == "1-sqrt":
            return 1.0 - math.sqrt(frac)
        if fn == "cosine":
            return 0.5 * (1.0 + math.cos(math.pi * frac))
        if fn == "power":
            return 1.0 - frac ** self.decay_power
        r = self.decay_ratio  # 'exp': r ** frac shifted and scaled to run from 1 to 0
        return (r ** frac - r) / (1.0 - r)

    def _get_lr(self, t):
        if t < self.warmup_t:
            return [self.warmup_lr_init + t * s for s in self.warmup_steps]
        t_s = t - self.warmup_t
        stable = [max(v * self._stable(t_s), self.lr_min) for v in self.base_values]
        into_decay = t_s - (self.t_initial - self.decay_t)
        if into_decay <= 0:
            return stable
        factor = self._decay_factor(min(into_decay / self.decay_t, 1.0))
        return [self.lr_min + (v - self.lr_min) * factor for v in stable]

    def get_cycle_length(self, cycles=0):
        return self.warmup_t + self.t_initial
