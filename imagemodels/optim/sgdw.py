"""SGD with decoupled weight decay (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", 2017,
https://arxiv.org/abs/1711.05101): the weights shrink by ``lr * weight_decay`` outside the momentum."""

from ._base import PerParamOptimizer, cautious, corrected_wd_defaults, decay_lr, sgd_momentum, validate


class SGDW(PerParamOptimizer):
    def __init__(self, params, lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False, *, caution: bool = False,
                 corrected_weight_decay: bool = False, maximize: bool = False, foreach=None):
        validate(lr=lr, momentum=momentum, weight_decay=weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum needs momentum > 0 and dampening = 0")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov, caution=caution, maximize=maximize, foreach=foreach,
                                      **corrected_wd_defaults(lr, corrected_weight_decay)))

    def _update(self, p, grad, state, group):
        grad = -grad if group["maximize"] else grad
        lr, momentum = group["lr"], group["momentum"]
        p.mul_(1.0 - decay_lr(group) * group["weight_decay"])
        update = grad
        if momentum != 0:
            update = sgd_momentum(state, grad, group)
            if group["caution"]:
                update = cautious(update, grad)
        p.add_(update, alpha=-lr)
