"""SGDP: SGD with AdamP's removal of the radial update on scale-invariant weights
(Heo et al., 2020, https://arxiv.org/abs/2006.08217)."""
import torch

from ._base import PerParamOptimizer, validate
from .adamp import project_update


class SGDP(PerParamOptimizer):
    def __init__(self, params, lr=None, momentum=0, dampening=0, weight_decay=0, nesterov=False, eps=1e-8,
                 delta=0.1, wd_ratio=0.1, caution=False):
        if lr is None:
            raise ValueError("SGDP has no default learning rate; pass lr")
        validate(lr=lr, momentum=momentum, weight_decay=weight_decay)
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov, eps=eps, delta=delta, wd_ratio=wd_ratio, caution=caution))

    def _update(self, p, grad, state, group):
        momentum = group["momentum"]
        if not state:
            state["momentum"] = torch.zeros_like(p)
        buf = state["momentum"]
        buf.mul_(momentum).add_(grad, alpha=1.0 - group["dampening"])
        update = grad + momentum * buf if group["nesterov"] else buf.clone()
        update, wd_factor = project_update(p, grad, update, group)
        if group["weight_decay"] != 0:
            # divided by (1 - momentum): the decay then matches what momentum would accumulate
            p.mul_(1.0 - group["lr"] * group["weight_decay"] * wd_factor / (1 - momentum))
        p.add_(update, alpha=-group["lr"])
