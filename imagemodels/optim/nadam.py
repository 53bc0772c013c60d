"""NAdam as Dozat wrote it ("Incorporating Nesterov Momentum into Adam", 2016) with Keras' momentum schedule
``mu_t = beta1 * (1 - 0.5 * 0.96 ** (t * schedule_decay))``; the plain 'nadam' name is PyTorch's NAdam."""
import math

import torch

from ._base import PerParamOptimizer, validate


class NAdamLegacy(PerParamOptimizer):
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, schedule_decay=4e-3):
        validate(lr=lr)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      schedule_decay=schedule_decay))

    def _update(self, p, grad, state, group):
        beta1, beta2 = group["betas"]
        if not state:
            state["step"] = 0
            state["m_schedule"] = 1.0  # product of the momentum schedule so far
            state["exp_avg"] = torch.zeros_like(p)
            state["exp_avg_sq"] = torch.zeros_like(p)
        state["step"] += 1
        t, decay = state["step"], group["schedule_decay"]
        if group["weight_decay"] != 0:
            grad = grad.add(p, alpha=group["weight_decay"])
        mu_t = beta1 * (1.0 - 0.5 * 0.96 ** (t * decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * decay))
        schedule = state["m_schedule"] * mu_t
        schedule_next = schedule * mu_next
        state["m_schedule"] = schedule
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m.mul_(beta1).add_(grad, alpha=1.0 - beta1)
        v.mul_(beta2).addcmul_(grad, grad, value=1.0 - beta2)
        denom = (v.sqrt() / math.sqrt(1 - beta2 ** t)).add_(group["eps"])
        lr = group["lr"]
        # the Nesterov step: this gradient with the current momentum weight, the moment with the next one
        p.addcdiv_(grad, denom, value=-lr * (1.0 - mu_t) / (1.0 - schedule))
        p.addcdiv_(m, denom, value=-lr * mu_next / (1.0 - schedule_next))
