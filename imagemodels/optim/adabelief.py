"""AdaBelief (Zhuang et al., "AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed Gradients",
2020, https://arxiv.org/abs/2010.07468): Adam with the second moment of ``g - m`` (how far the gradient is from
its prediction) instead of ``g``. ``rectify`` adds RAdam's variance rectification."""
import math

import torch

from ._base import PerParamOptimizer, validate


class AdaBelief(PerParamOptimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-16, weight_decay=0, amsgrad=False,
                 decoupled_decay=True, fixed_decay=False, rectify=True, degenerated_to_sgd=True, foreach=None):
        validate(lr=lr, eps=eps, weight_decay=weight_decay)
        for b in betas:
            if not 0.0 <= b < 1.0:
                raise ValueError(f"betas must be in [0, 1), got {betas}")
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                                      decoupled_decay=decoupled_decay, fixed_decay=fixed_decay, rectify=rectify,
                                      degenerated_to_sgd=degenerated_to_sgd, foreach=foreach))

    def _update(self, p, grad, state, group):
        beta1, beta2 = group["betas"]
        lr, wd, eps = group["lr"], group["weight_decay"], group["eps"]
        if not state:
            state["step"] = 0
            state["exp_avg"] = torch.zeros_like(p)
            state["exp_avg_var"] = torch.zeros_like(p)
            if group["amsgrad"]:
                state["max_exp_avg_var"] = torch.zeros_like(p)
        state["step"] += 1
        step = state["step"]
        if group["decoupled_decay"]:
            p.mul_(1.0 - (wd if group["fixed_decay"] else lr * wd))
        elif wd:
            grad = grad.add(p, alpha=wd)
        m, s = state["exp_avg"], state["exp_avg_var"]
        m.lerp_(grad, 1 - beta1)
        residual = grad - m
        s.mul_(beta2).addcmul_(residual, residual, value=1 - beta2)
        bc1, bc2 = 1 - beta1 ** step, 1 - beta2 ** step
        # eps is added to s in place each step (part of the published algorithm), and again to the root
        if group["amsgrad"]:
            s_max = state["max_exp_avg_var"]
            torch.max(s_max, s.add_(eps), out=s_max)
            denom = (s_max.sqrt() / math.sqrt(bc2)).add_(eps)
        else:
            denom = (s.add_(eps).sqrt() / math.sqrt(bc2)).add_(eps)
        if not group["rectify"]:
            p.addcdiv_(m, denom, value=-lr / bc1)
            return
        # RAdam: use the adaptive step only once the variance of its length is tractable (sma >= 5)
        beta2_t = beta2 ** step
        sma_max = 2 / (1 - beta2) - 1
        sma = sma_max - 2 * step * beta2_t / (1 - beta2_t)
        if sma >= 5:
            r = math.sqrt((1 - beta2_t) * (sma - 4) / (sma_max - 4) * (sma - 2) / sma * sma_max / (sma_max - 2))
            p.addcdiv_(m, s.sqrt().add_(eps), value=-lr * r / bc1)
        elif group["degenerated_to_sgd"]:
            p.add_(m, alpha=-lr / bc1)
