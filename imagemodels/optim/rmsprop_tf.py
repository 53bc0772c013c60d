"""RMSprop as TensorFlow computes it (the recipe EfficientNet / MobileNet were trained with): the square
average starts at one, eps goes inside the square root, and the lr is folded into the momentum buffer."""
import torch

from ._base import PerParamOptimizer, cautious, corrected_wd_defaults, decay_lr, validate


class RMSpropTF(PerParamOptimizer):
    def __init__(self, params, lr: float = 1e-2, alpha: float = 0.9, eps: float = 1e-10,
                 weight_decay: float = 0, momentum: float = 0.0, centered: bool = False,
                 decoupled_decay: bool = False, corrected_weight_decay: bool = False, lr_in_momentum: bool = True,
                 caution: bool = False, foreach=None):
        validate(lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                                      centered=centered, decoupled_decay=decoupled_decay,
                                      lr_in_momentum=lr_in_momentum, caution=caution, foreach=foreach,
                                      **corrected_wd_defaults(lr, corrected_weight_decay)))

    def _update(self, p, grad, state, group):
        lr, wd, momentum, eps = group["lr"], group["weight_decay"], group["momentum"], group["eps"]
        one_minus_alpha = 1.0 - group["alpha"]
        if not state:
            state["step"] = 0
            state["square_avg"] = torch.ones_like(p)  # TF starts at one, PyTorch at zero
            if momentum > 0:
                state["momentum_buffer"] = torch.zeros_like(p)
            if group["centered"]:
                state["grad_avg"] = torch.zeros_like(p)
        state["step"] += 1
        if wd:
            if group["decoupled_decay"]:
                p.mul_(1 - decay_lr(group) * wd)
            else:
                grad = grad.add(p, alpha=wd)
        sq = state["square_avg"]
        sq.add_(grad.pow(2) - sq, alpha=one_minus_alpha)  # TF's order of operations
        if group["centered"]:
            ga = state["grad_avg"]
            ga.add_(grad - ga, alpha=one_minus_alpha)
            avg = sq.addcmul(ga, ga, value=-1).add_(eps).sqrt_()
        else:
            avg = sq.add(eps).sqrt_()
        if momentum > 0:
            buf = state["momentum_buffer"]
            buf.mul_(momentum)
            if group["lr_in_momentum"]:
                buf.addcdiv_(grad, avg, value=lr)
                p.sub_(cautious(buf, grad) if group["caution"] else buf)
            else:
                buf.addcdiv_(grad, avg)
                p.add_(cautious(buf, grad) if group["caution"] else buf, alpha=-lr)
        else:
            p.addcdiv_(grad, avg, value=-lr)
