"""NovoGrad (Ginsburg et al., "Stochastic Gradient Methods with Layer-wise Adaptive Moments for Training of
Deep Networks", 2019, https://arxiv.org/abs/1905.11286), NVIDIA's variant: the second moment is one scalar per
tensor (the squared gradient norm), and momentum accumulates the normalised gradient."""
import torch

from ._base import PerParamOptimizer, corrected_wd_defaults, decay_lr, validate


class NvNovoGrad(PerParamOptimizer):
    def __init__(self, params, lr=1e-3, betas=(0.95, 0.98), eps=1e-8, weight_decay=0, grad_averaging=False,
                 amsgrad=False, decoupled_decay=False, corrected_weight_decay=False):
        validate(lr=lr, eps=eps, weight_decay=weight_decay)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      grad_averaging=grad_averaging, amsgrad=amsgrad,
                                      decoupled_decay=decoupled_decay,
                                      **corrected_wd_defaults(lr, corrected_weight_decay)))

    def _update(self, p, grad, state, group):
        beta1, beta2 = group["betas"]
        lr, wd = group["lr"], group["weight_decay"]
        if not state:
            state["step"] = 0
            state["exp_avg"] = torch.zeros_like(p)
            state["exp_avg_sq"] = torch.zeros((), device=p.device)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = torch.zeros((), device=p.device)
        state["step"] += 1
        v = state["exp_avg_sq"]
        sq_norm = grad.pow(2).sum()
        if v == 0:
            v.copy_(sq_norm)  # the first step starts the average at the first norm, not at zero
        else:
            v.mul_(beta2).add_(sq_norm, alpha=1 - beta2)
        if group["amsgrad"]:
            torch.max(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
            v = state["max_exp_avg_sq"]
        update = grad / v.sqrt().add(group["eps"])
        if wd:
            if group["decoupled_decay"]:
                p.mul_(1.0 - decay_lr(group) * wd)
            else:
                update.add_(p, alpha=wd)
        if group["grad_averaging"]:
            update.mul_(1 - beta1)
        state["exp_avg"].mul_(beta1).add_(update)
        p.add_(state["exp_avg"], alpha=-lr)
