"""Lion (Chen et al., "Symbolic Discovery of Optimization Algorithms", 2023, https://arxiv.org/abs/2302.06675):
the update is the sign of an interpolation of momentum and gradient, so every coordinate moves by exactly lr."""
import torch

from ._base import PerParamOptimizer, cautious, corrected_wd_defaults, decay_lr, validate


class Lion(PerParamOptimizer):
    def __init__(self, params, lr: float = 1e-4, betas=(0.9, 0.99), weight_decay: float = 0.0,
                 caution: bool = False, corrected_weight_decay: bool = False, maximize: bool = False, foreach=None):
        validate(lr=lr, weight_decay=weight_decay)
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay, caution=caution,
                                      maximize=maximize, foreach=foreach,
                                      **corrected_wd_defaults(lr, corrected_weight_decay)))

    def _update(self, p, grad, state, group):
        grad = -grad if group["maximize"] else grad
        beta1, beta2 = group["betas"]
        if not state:
            state["exp_avg"] = torch.zeros_like(p)
        p.mul_(1 - decay_lr(group) * group["weight_decay"])
        update = state["exp_avg"].lerp(grad, 1 - beta1).sign_()
        if group["caution"]:
            update = cautious(update, grad)
        p.add_(update, alpha=-group["lr"])
        state["exp_avg"].lerp_(grad, 1 - beta2)
