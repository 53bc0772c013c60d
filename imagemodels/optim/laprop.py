"""LaProp (Ziyin et al., "LaProp: Separating Momentum and Adaptivity in Adam", 2020,
https://arxiv.org/abs/2002.04839): normalise each gradient by the second moment *before* momentum, so momentum
and adaptivity are decoupled. The momentum carries the lr; its bias correction is a running average of the lr
itself, so lr changes from a schedule are corrected for too."""
import torch

from ._base import PerParamOptimizer, cautious, corrected_wd_defaults, decay_lr, validate


class LaProp(PerParamOptimizer):
    def __init__(self, params, lr: float = 4e-4, betas=(0.9, 0.999), eps: float = 1e-15, weight_decay: float = 0.0,
                 caution: bool = False, corrected_weight_decay: bool = False, foreach=None):
        validate(lr=lr, eps=eps, weight_decay=weight_decay)
        if not all(0.0 <= b < 1.0 for b in betas):
            raise ValueError(f"betas must be in [0, 1), got {betas}")
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, caution=caution,
                                      foreach=foreach, **corrected_wd_defaults(lr, corrected_weight_decay)))

    def _update(self, p, grad, state, group):
        beta1, beta2 = group["betas"]
        lr = group["lr"]
        if not state:
            state["step"] = 0
            state["exp_avg"] = torch.zeros_like(p)
            state["exp_avg_sq"] = torch.zeros_like(p)
            state["exp_avg_lr_1"] = 0.0  # running average of the lr: momentum's bias correction
            state["exp_avg_lr_2"] = 0.0  # 1 - beta2 ** t, kept as a running sum
        state["step"] += 1
        state["exp_avg_lr_1"] = state["exp_avg_lr_1"] * beta1 + (1 - beta1) * lr
        state["exp_avg_lr_2"] = state["exp_avg_lr_2"] * beta2 + (1 - beta2)
        step_size = lr / state["exp_avg_lr_1"] if state["exp_avg_lr_1"] != 0 else 0.0
        v, m = state["exp_avg_sq"], state["exp_avg"]
        v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        normalised = grad / v.div(state["exp_avg_lr_2"]).sqrt_().add_(group["eps"])
        m.mul_(beta1).add_(normalised, alpha=lr * (1 - beta1))
        p.add_(cautious(m, grad) if group["caution"] else m, alpha=-step_size)
        if group["weight_decay"]:
            p.add_(p, alpha=-decay_lr(group) * group["weight_decay"])
