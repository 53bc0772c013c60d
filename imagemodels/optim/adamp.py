"""AdamP (Heo et al., "AdamP: Slowing Down the Slowdown for Momentum Optimizers on Scale-invariant Weights",
2020, https://arxiv.org/abs/2006.08217).

For a weight the loss is scale-invariant in (its gradient is nearly orthogonal to it, per output channel or
as a whole), the radial part of the update only grows the norm and shrinks the effective step; it is removed,
and weight decay on that tensor is scaled by ``wd_ratio``.
"""
import math

import torch
import torch.nn.functional as F

from ._base import PerParamOptimizer, cautious, validate


def _per_channel(x):
    return x.reshape(x.shape[0], -1)


def _whole(x):
    return x.reshape(1, -1)


def projection(p, grad, update, delta: float, wd_ratio: float, eps: float, caution: bool = False):
    """``(update, weight-decay factor)``: ``update`` without its radial part when ``p`` looks scale-invariant
    (max |cos(grad, p)| < delta / sqrt(dim)) per channel, else for the whole tensor; else unchanged and 1."""
    expand = (-1,) + (1,) * (p.dim() - 1)
    for view in (_per_channel, _whole):
        p_view = view(p)
        cos = F.cosine_similarity(view(grad), p_view, dim=1, eps=eps).abs_()
        if cos.max() < delta / math.sqrt(p_view.shape[1]):
            unit = p / p_view.norm(p=2, dim=1).add_(eps).reshape(expand)

            def drop_radial(t):
                return t - unit * view(unit * t).sum(dim=1).reshape(expand)

            update = drop_radial(update)
            if caution:
                update = drop_radial(cautious(update, drop_radial(grad)))
            return update, wd_ratio
    return (cautious(update, grad) if caution else update), 1.0



def project_update(p, grad, update, group):
    """The update AdamP and SGDP apply: projected for weight tensors (conv/linear), only masked by
    ``caution`` for vectors; returns it with the weight-decay factor the projection chose."""
    if p.dim() > 1:
        return projection(p, grad, update, group["delta"], group["wd_ratio"], group["eps"], group["caution"])
    return (cautious(update, grad) if group["caution"] else update), 1.0

class AdamP(PerParamOptimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, delta=0.1, wd_ratio=0.1,
                 nesterov=False, caution=False):
        validate(lr=lr, eps=eps, weight_decay=weight_decay)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, delta=delta,
                                      wd_ratio=wd_ratio, nesterov=nesterov, caution=caution))

    def _update(self, p, grad, state, group):
        beta1, beta2 = group["betas"]
        if not state:
            state["step"] = 0
            state["exp_avg"] = torch.zeros_like(p)
            state["exp_avg_sq"] = torch.zeros_like(p)
        state["step"] += 1
        step = state["step"]
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m.mul_(beta1).add_(grad, alpha=1 - beta1)
        v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = (v.sqrt() / math.sqrt(1 - beta2 ** step)).add_(group["eps"])
        update = ((beta1 * m + (1 - beta1) * grad) if group["nesterov"] else m) / denom
        update, wd_factor = project_update(p, grad, update, group)
        if group["weight_decay"] > 0:
            p.mul_(1.0 - group["lr"] * group["weight_decay"] * wd_factor)
        p.add_(update, alpha=-group["lr"] / (1 - beta1 ** step))
