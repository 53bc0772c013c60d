"""MADGRAD (Defazio & Jelassi, "Adaptivity without Compromise: A Momentumized, Adaptive, Dual Averaged
Gradient Method for Stochastic Optimization", 2021, https://arxiv.org/abs/2101.11075).

Dual averaging: the iterate is ``x0 - s / cbrt(sum of weighted squared grads)``, with the gradients weighted by
``lr * sqrt(k)``; momentum averages the iterate towards that point. Dense gradients only.
"""
import math

import torch

from ._base import PerParamOptimizer


class MADGRAD(PerParamOptimizer):
    def __init__(self, params, lr: float = 1e-2, momentum: float = 0.9, weight_decay: float = 0,
                 eps: float = 1e-6, decoupled_decay: bool = False):
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        if lr <= 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if weight_decay < 0 or eps < 0:
            raise ValueError(f"weight_decay and eps must be >= 0, got {weight_decay}, {eps}")
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay, eps=eps,
                                      decoupled_decay=decoupled_decay))

    def _update(self, p, grad, state, group):
        eps, momentum, wd = group["eps"], group["momentum"], group["weight_decay"]
        if not state:
            state["step"] = 0
            state["grad_sum_sq"] = torch.zeros_like(p)
            state["s"] = torch.zeros_like(p)
            if momentum != 0:
                state["x0"] = p.detach().clone()
        state["step"] += 1
        # eps keeps the weight non-zero at lr = 0 (the reference adds it too)
        weight = (group["lr"] + eps) * math.sqrt(state["step"])
        if wd:
            if group["decoupled_decay"]:
                p.mul_(1.0 - group["lr"] * wd)
            else:
                grad = grad.add(p, alpha=wd)
        sum_sq, s = state["grad_sum_sq"], state["s"]
        if momentum == 0:
            # without momentum x0 is not stored: recover it from the current iterate
            x0 = p.addcdiv(s, sum_sq.pow(1 / 3).add_(eps))
        else:
            x0 = state["x0"]
        sum_sq.addcmul_(grad, grad, value=weight)
        s.add_(grad, alpha=weight)
        z = x0.addcdiv(s, sum_sq.pow(1 / 3).add_(eps), value=-1)
        if momentum == 0:
            p.copy_(z)
        else:
            p.lerp_(z, 1 - momentum)
