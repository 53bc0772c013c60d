"""Adan (Xie et al., "Adan: Adaptive Nesterov Momentum Algorithm for Faster Optimizing Deep Models", 2022,
https://arxiv.org/abs/2208.06677): moments of the gradient, of the gradient *difference*, and of the
Nesterov-corrected gradient ``g + beta2 * (g - g_prev)``. Weight decay is the paper's proximal step unless
``no_prox`` (then decoupled, AdamW-style)."""
import math

import torch

from ._base import PerParamOptimizer, cautious


class Adan(PerParamOptimizer):
    def __init__(self, params, lr: float = 1e-3, betas=(0.98, 0.92, 0.99), eps: float = 1e-8,
                 weight_decay: float = 0.0, no_prox: bool = False, caution: bool = False, foreach=None):
        if lr < 0 or eps < 0:
            raise ValueError(f"lr and eps must be >= 0, got {lr}, {eps}")
        if not all(0.0 <= b < 1.0 for b in betas):
            raise ValueError(f"betas must be in [0, 1), got {betas}")
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, no_prox=no_prox,
                                      caution=caution, foreach=foreach))

    def _begin_group(self, group):
        group["step"] = group.get("step", 0) + 1

    def _update(self, p, grad, state, group):
        beta1, beta2, beta3 = group["betas"]
        step, lr, wd = group["step"], group["lr"], group["weight_decay"]
        if not state:
            state["exp_avg"] = torch.zeros_like(p)
            state["exp_avg_sq"] = torch.zeros_like(p)
            state["exp_avg_diff"] = torch.zeros_like(p)
        if "prev_grad" not in state or step == 1:
            state["prev_grad"] = grad.clone()  # the first difference is zero
        m, n, d = state["exp_avg"], state["exp_avg_sq"], state["exp_avg_diff"]
        diff = grad - state["prev_grad"]
        m.lerp_(grad, 1 - beta1)
        d.mul_(beta2).add_(diff, alpha=1 - beta2)
        nesterov = grad + beta2 * diff
        n.mul_(beta3).addcmul_(nesterov, nesterov, value=1 - beta3)
        denom = (n.sqrt() / math.sqrt(1 - beta3 ** step)).add_(group["eps"])
        if group["caution"]:
            m = cautious(m, grad)
        if group["no_prox"]:
            p.mul_(1 - lr * wd)
        p.addcdiv_(m, denom, value=-lr / (1 - beta1 ** step))
        p.addcdiv_(d, denom, value=-lr * beta2 / (1 - beta2 ** step))
        if not group["no_prox"]:
            p.div_(1 + lr * wd)
        state["prev_grad"].copy_(grad)
