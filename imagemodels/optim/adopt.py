"""ADOPT (Taniguchi et al., "ADOPT: Modified Adam Can Converge with Any beta2", 2024,
https://arxiv.org/abs/2411.02853): normalise the gradient by the *previous* second moment, then take momentum.
The first step only records the second moment."""
import torch

from ._base import PerParamOptimizer, cautious, corrected_wd_defaults, decay_lr, validate


class Adopt(PerParamOptimizer):
    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.9999), eps: float = 1e-6, clip_exp=0.333,
                 weight_decay: float = 0.0, decoupled: bool = False, corrected_weight_decay: bool = False, *,
                 caution: bool = False,
                 foreach=None, maximize: bool = False):
        validate(lr=lr, eps=eps, weight_decay=weight_decay)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, clip_exp=clip_exp, weight_decay=weight_decay,
                                      decoupled=decoupled, caution=caution, maximize=maximize, foreach=foreach,
                                      **corrected_wd_defaults(lr, corrected_weight_decay)))

    def _update(self, p, grad, state, group):
        grad = -grad if group["maximize"] else grad
        beta1, beta2 = group["betas"]
        lr, wd = group["lr"], group["weight_decay"]
        if not state:
            state["step"] = torch.tensor(0.0)
            state["exp_avg"] = torch.zeros_like(p)
            state["exp_avg_sq"] = torch.zeros_like(p)
        state["step"] += 1
        step = state["step"].item()
        if wd and not group["decoupled"]:
            grad = grad.add(p, alpha=wd)
        v = state["exp_avg_sq"]
        if step == 1:
            v.addcmul_(grad, grad)
            return
        if wd and group["decoupled"]:
            p.mul_(1 - decay_lr(group) * wd)
        normed = grad / v.sqrt().clamp(min=group["eps"])
        if group["clip_exp"] is not None:
            # the clip grows with the step: early, rare huge normalised gradients are cut
            limit = (step - 1) ** group["clip_exp"]
            normed.clamp_(-limit, limit)
        m = state["exp_avg"].lerp_(normed, 1 - beta1)
        p.add_(cautious(m, grad) if group["caution"] else m, alpha=-lr)
        v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
