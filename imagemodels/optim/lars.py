"""LARS (You et al., "Large Batch Training of Convolutional Networks", 2017, https://arxiv.org/abs/1708.03888)
and LARC (NVIDIA apex): SGD whose per-tensor lr is scaled by ``trust_coeff * ||w|| / (||g|| + wd * ||w||)``.
LARC (``trust_clip``) caps the local lr at the global one. Adaptation only on tensors with weight decay unless
``always_adapt``."""
import torch

from ._base import PerParamOptimizer, sgd_momentum, validate


class Lars(PerParamOptimizer):
    def __init__(self, params, lr: float = 1.0, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, trust_coeff: float = 0.001, eps: float = 1e-8,
                 trust_clip: bool = False, always_adapt: bool = False, foreach=None):
        validate(lr=lr, momentum=momentum, weight_decay=weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum needs momentum > 0 and dampening = 0")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov, trust_coeff=trust_coeff, eps=eps, trust_clip=trust_clip,
                                      always_adapt=always_adapt, foreach=foreach))

    def _update(self, p, grad, state, group):
        lr, wd, momentum = group["lr"], group["weight_decay"], group["momentum"]
        if wd != 0 or group["always_adapt"]:
            w_norm, g_norm = p.norm(2.0), grad.norm(2.0)
            ratio = group["trust_coeff"] * w_norm / (g_norm + w_norm * wd + group["eps"])
            ratio = torch.where((w_norm > 0) & (g_norm > 0), ratio, torch.ones_like(ratio))
            if group["trust_clip"]:
                ratio = (ratio / lr).clamp(max=1.0)
            grad = grad.add(p, alpha=wd).mul_(ratio)
        if momentum != 0:
            grad = sgd_momentum(state, grad, group)
        p.add_(grad, alpha=-lr)
