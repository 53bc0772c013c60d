"""MARS (Yuan et al., "MARS: Unleashing the Power of Variance Reduction for Training Large Models", 2024,
https://arxiv.org/abs/2411.10438): variance-reduced momentum. The gradient is corrected by ``gamma`` times the
change since the last step, clipped to unit norm, then fed to an AdamW- or Lion-style update. Tensors of fewer
than two dims get plain AdamW (with ``betas_1d`` and ``lr * lr_1d_factor``) unless ``optimize_1d``."""
import math
from typing import Optional, Tuple

import torch

from ._base import PerParamOptimizer, cautious

MARS_TYPES = ("adamw", "lion")


class Mars(PerParamOptimizer):
    def __init__(self, params, lr: float = 3e-3, betas: Tuple[float, float] = (0.9, 0.99), eps: float = 1e-8,
                 weight_decay: float = 0.0, gamma: float = 0.025, mars_type: str = "adamw",
                 optimize_1d: bool = False, lr_1d_factor: float = 1.0,
                 betas_1d: Optional[Tuple[float, float]] = None, caution: bool = False):
        if lr < 0 or eps < 0:
            raise ValueError(f"lr and eps must be >= 0, got {lr}, {eps}")
        if not all(0.0 <= b < 1.0 for b in betas):
            raise ValueError(f"betas must be in [0, 1), got {betas}")
        if mars_type not in MARS_TYPES:
            raise ValueError(f"mars_type must be one of {', '.join(MARS_TYPES)}, got {mars_type!r}")
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, gamma=gamma,
                                      mars_type=mars_type, optimize_1d=optimize_1d, lr_1d_factor=lr_1d_factor,
                                      betas_1d=betas_1d or betas, caution=caution))

    def _update(self, p, grad, state, group):
        if not state:
            state["step"] = 0
            state["exp_avg"] = torch.zeros_like(p)
            state["exp_avg_sq"] = torch.zeros_like(p)
            state["last_grad"] = torch.zeros_like(p)
        state["step"] += 1
        t, lr, wd, eps = state["step"], group["lr"], group["weight_decay"], group["eps"]
        m, v = state["exp_avg"], state["exp_avg_sq"]
        if group["optimize_1d"] or grad.ndim >= 2:
            beta1, beta2 = group["betas"]
            if t == 1:
                c = grad
            else:
                c = (grad - state["last_grad"]).mul_(group["gamma"] * beta1 / (1 - beta1)).add_(grad)
            c = c / c.norm().clamp(min=1.0)
            m.mul_(beta1).add_(c, alpha=1 - beta1)
            direction = cautious(m, grad) if group["caution"] else m
            if group["mars_type"] == "adamw":
                v.mul_(beta2).addcmul_(c, c, value=1 - beta2)
                denom = (v.sqrt() / math.sqrt(1 - beta2 ** t)).add_(eps)
                update = p * wd + (direction / (1 - beta1 ** t)) / denom
            else:
                update = p * wd + direction.sign()
            p.add_(update, alpha=-lr)
        else:
            beta1, beta2 = group["betas_1d"]
            m.mul_(beta1).add_(grad, alpha=1 - beta1)
            v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            denom = (v.sqrt() / math.sqrt(1 - beta2 ** t)).add_(eps)
            direction = cautious(m, grad) if group["caution"] else m
            p.add_(p * wd + (direction / (1 - beta1 ** t)) / denom, alpha=-lr * group["lr_1d_factor"])
        state["last_grad"].copy_(grad)
