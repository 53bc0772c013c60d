"""RAdam as first published (Liu et al., "On the Variance of the Adaptive Learning Rate and Beyond", 2019,
https://arxiv.org/abs/1908.03265), with decoupled weight decay; the plain 'radam' name is PyTorch's RAdam.
Until the approximated SMA length reaches 5 the adaptive term's variance is intractable and the step is plain
momentum SGD."""
import math

import torch

from ._base import PerParamOptimizer, validate


class RAdamLegacy(PerParamOptimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0):
        validate(lr=lr, eps=eps, weight_decay=weight_decay)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    def _update(self, p, grad, state, group):
        beta1, beta2 = group["betas"]
        lr = group["lr"]
        if not state:
            state["step"] = 0
            state["exp_avg"] = torch.zeros_like(p)
            state["exp_avg_sq"] = torch.zeros_like(p)
        m, v = state["exp_avg"], state["exp_avg_sq"]
        v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        m.mul_(beta1).add_(grad, alpha=1 - beta1)
        state["step"] += 1
        t = state["step"]
        beta2_t = beta2 ** t
        sma_max = 2 / (1 - beta2) - 1
        sma = sma_max - 2 * t * beta2_t / (1 - beta2_t)
        rectified = sma >= 5
        step_size = lr / (1 - beta1 ** t)
        if rectified:
            step_size *= math.sqrt((1 - beta2_t) * (sma - 4) / (sma_max - 4) * (sma - 2) / sma
                                   * sma_max / (sma_max - 2))
        if group["weight_decay"] != 0:
            p.add_(p, alpha=-group["weight_decay"] * lr)
        if rectified:
            p.addcdiv_(m, v.sqrt().add_(group["eps"]), value=-step_size)
        else:
            p.add_(m, alpha=-step_size)
