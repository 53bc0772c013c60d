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
