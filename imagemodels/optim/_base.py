"""What the optimizers written here share: a per-parameter step loop, and the caution mask.

Each optimizer implements ``_update(p, grad, state, group)`` for one parameter (state is that parameter's
dict, empty on its first step). The loop is single-tensor on purpose: readable, and these optimizers run
where PyTorch has no fused kernel anyway. ``foreach`` is accepted for signature compatibility and ignored.
"""
import torch
from torch import Tensor


def cautious(update: Tensor, grad: Tensor) -> Tensor:
    """Cautious Optimizers (Liang et al. 2024, https://arxiv.org/abs/2411.16085): zero the components of
    the update that disagree in sign with the gradient, rescale the rest to keep the mean magnitude."""
    mask = (update * grad > 0).to(grad.dtype)
    return update * (mask / mask.mean().clamp(min=1e-3))


def sgd_momentum(state: dict, grad: Tensor, group: dict) -> Tensor:
    """Heavy-ball momentum as torch.optim.SGD defines it (the first step seeds the buffer with the
    gradient; dampening; optional Nesterov look-ahead); returns the step direction."""
    momentum = group["momentum"]
    if "momentum_buffer" not in state:
        state["momentum_buffer"] = grad.clone()
    else:
        state["momentum_buffer"].mul_(momentum).add_(grad, alpha=1 - group["dampening"])
    buf = state["momentum_buffer"]
    return grad.add(buf, alpha=momentum) if group["nesterov"] else buf


def validate(**values):
    for name, value in values.items():
        if value is not None and value < 0:
            raise ValueError(f"{name} must be >= 0, got {value}")


class PerParamOptimizer(torch.optim.Optimizer):
    def _update(self, p: Tensor, grad: Tensor, state: dict, group: dict) -> None:
        raise NotImplementedError

    def _begin_group(self, group: dict) -> None:
        """Hook for per-group work before the parameters (e.g. a shared step count)."""

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        self._begin_step()
        for group in self.param_groups:
            self._begin_group(group)
            for p in group["params"]:
                if p.grad is None:
                    continue
                if p.grad.is_sparse:
                    raise RuntimeError(f"{type(self).__name__} does not support sparse gradients")
                self._update(p, p.grad, self.state[p], group)
        return loss

    def _begin_step(self) -> None:
        """Hook for work over all groups before any update (e.g. global gradient clipping)."""


def corrected_wd_defaults(lr, corrected_weight_decay: bool) -> dict:
    """Defaults for corrected weight decay (decay scaled by ``lr**2 / max_lr`` instead of ``lr``, so that the
    decay's equilibrium does not move as a schedule lowers the lr); ``max_lr`` is the lr at construction."""
    max_lr = float(lr) if lr is not None else None
    if corrected_weight_decay and not (max_lr and max_lr > 0):
        raise ValueError(f"corrected_weight_decay needs the peak lr (> 0) at construction, got {lr}")
    return dict(corrected_weight_decay=corrected_weight_decay, max_lr_snapshot=max_lr)


def decay_lr(group: dict) -> float:
    """The lr that multiplies decoupled weight decay for this group."""
    lr = group["lr"]
    if group.get("corrected_weight_decay"):
        return lr * lr / group["max_lr_snapshot"]
    return lr


def rms_clip_denom_(denom: Tensor, grad: Tensor, threshold: float) -> None:
    """StableAdamW (Wortsman et al. 2023, https://arxiv.org/abs/2304.13013): grow ``denom`` in place so the
    RMS of ``grad / denom`` is at most ``threshold`` (Adafactor-style update clipping)."""
    rms = grad.div(denom).norm() / (grad.numel() ** 0.5)
    denom.mul_((rms / threshold).clamp_(min=1.0))
