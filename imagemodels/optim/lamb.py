"""LAMB (You et al., "Large Batch Optimization for Deep Learning: Training BERT in 76 minutes", 2019,
https://arxiv.org/abs/1904.00962): Adam's update rescaled per tensor by ||w|| / ||update||.

The gradients are first clipped to a global norm of ``max_grad_norm`` (as NVIDIA's reference does). The
trust ratio applies only to tensors with weight decay unless ``always_adapt``; ``trust_clip`` caps it at 1
(LAMBC, https://arxiv.org/abs/2006.13484)."""
import torch

from ._base import PerParamOptimizer, cautious, corrected_wd_defaults, decay_lr, validate


def lamb_trust_ratio(w_norm, u_norm, clip):
    ratio = torch.where((w_norm > 0) & (u_norm > 0), w_norm / u_norm, torch.ones_like(w_norm))
    return ratio.clamp(max=1.0) if clip else ratio


class Lamb(PerParamOptimizer):
    def __init__(self, params, lr: float = 1e-3, bias_correction: bool = True, betas=(0.9, 0.999),
                 eps: float = 1e-6, weight_decay: float = 0.01, grad_averaging: bool = True,
                 max_grad_norm=1.0, trust_clip: bool = False, always_adapt: bool = False, caution: bool = False,
                 decoupled_decay: bool = False, corrected_weight_decay: bool = False, foreach=None):
        validate(lr=lr, eps=eps, weight_decay=weight_decay)
        super().__init__(params, dict(
            lr=lr, bias_correction=bias_correction, betas=betas, eps=eps, weight_decay=weight_decay,
            grad_averaging=grad_averaging, max_grad_norm=max_grad_norm, trust_clip=trust_clip,
            always_adapt=always_adapt, caution=caution, decoupled_decay=decoupled_decay, foreach=foreach,
            **corrected_wd_defaults(lr, corrected_weight_decay)))
        self._clip = None

    def _begin_step(self):
        max_norm = self.defaults["max_grad_norm"]
        grads = [p.grad for g in self.param_groups for p in g["params"] if p.grad is not None]
        if max_norm is None or not grads:
            self._clip = None
            return
        total = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))
        self._clip = (total / max_norm).clamp(min=1.0)

    def _begin_group(self, group):
        # one step count per group: every tensor of a group shares the bias corrections
        group["step"] = group.get("step", 0) + 1

    def _update(self, p, grad, state, group):
        if self._clip is not None:
            grad = grad / self._clip
        beta1, beta2 = group["betas"]
        step, lr, wd = group["step"], group["lr"], group["weight_decay"]
        bc1, bc2 = (1 - beta1 ** step, 1 - beta2 ** step) if group["bias_correction"] else (1.0, 1.0)
        if not state:
            state["exp_avg"] = torch.zeros_like(p)
            state["exp_avg_sq"] = torch.zeros_like(p)
        m, v = state["exp_avg"], state["exp_avg_sq"]
        if group["grad_averaging"]:
            m.lerp_(grad, 1 - beta1)
        else:
            m.mul_(beta1).add_(grad)
        v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        update = (m / bc1) / ((v.sqrt() / bc2 ** 0.5).add_(group["eps"]))
        if group["caution"]:
            update = cautious(update, grad)
        if wd:
            if group["decoupled_decay"]:
                p.mul_(1 - decay_lr(group) * wd)
            else:
                update.add_(p, alpha=wd)
        if wd or group["always_adapt"]:
            update.mul_(lamb_trust_ratio(p.norm(2.0), update.norm(2.0), group["trust_clip"]))
        p.add_(update, alpha=-lr)
