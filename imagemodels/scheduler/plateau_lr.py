"""Decay on plateau: PyTorch's ReduceLROnPlateau behind the imagemodels scheduler interface, with linear warmup
and lr noise. Only ``best`` and ``last_epoch`` of the wrapped scheduler survive a state_dict round trip (as in
the reference); patience and cooldown counters restart on resume."""
from typing import Any, Dict, Optional

import torch

from .scheduler import Scheduler


class PlateauLRScheduler(Scheduler):
    def __init__(
            self, optimizer, decay_rate: float = 0.1, patience_t: int = 10, threshold: float = 1e-4,
            cooldown_t: int = 0, warmup_t: int = 0, warmup_lr_init: float = 0.0, lr_min: float = 0.0,
            mode: str = "max", noise_range_t=None, noise_type: str = "normal", noise_pct: float = 0.67,
            noise_std: float = 1.0, noise_seed: Optional[int] = None, initialize: bool = True,
    ) -> None:
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        super().__init__(
            optimizer, "lr", noise_range_t=noise_range_t, noise_type=noise_type, noise_pct=noise_pct,
            noise_std=noise_std, noise_seed=noise_seed, initialize=initialize)
        self.lr_scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
            optimizer, mode=mode, factor=decay_rate, patience=patience_t, threshold=threshold,
            cooldown=cooldown_t, min_lr=lr_min)
        self.warmup_t = warmup_t
        self.warmup_lr_init = warmup_lr_init
        if warmup_t:
            self.warmup_steps = [(v - warmup_lr_init) / warmup_t for v in self.base_values]
            self.update_groups(warmup_lr_init)
        else:
            self.warmup_steps = [1 for _ in self.base_values]
        # the lrs before the last noise was added: the plateau logic must decay the clean values
        self.restore_lr = None

    def state_dict(self) -> Dict[str, Any]:
        return {"best": self.lr_scheduler.best, "last_epoch": self.lr_scheduler.last_epoch}

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        self.lr_scheduler.best = state_dict["best"]
        if "last_epoch" in state_dict:
            self.lr_scheduler.last_epoch = state_dict["last_epoch"]

    def step(self, epoch: int, metric: Optional[float] = None) -> None:
        # note <=: the epoch index warmup_t itself still gets the (full) warmup value
        if epoch <= self.warmup_t:
            self.update_groups([self.warmup_lr_init + epoch * s for s in self.warmup_steps])
            return
        if self.restore_lr is not None:
            for group, lr in zip(self.optimizer.param_groups, self.restore_lr):
                group["lr"] = lr
            self.restore_lr = None
        if metric is not None:
            self.lr_scheduler.step(metric)
        if self._is_apply_noise(epoch):
            noise = self._calculate_noise(epoch)
            self.restore_lr = [float(g["lr"]) for g in self.optimizer.param_groups]
            for group, lr in zip(self.optimizer.param_groups, self.restore_lr):
                group["lr"] = lr + lr * noise

    def step_update(self, num_updates: int, metric: Optional[float] = None) -> None:
        return None  # plateau decisions need a metric, which only exists per epoch

    def _get_lr(self, t):
        raise RuntimeError("PlateauLRScheduler computes its values in step()")
