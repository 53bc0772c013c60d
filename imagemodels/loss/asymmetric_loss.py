"""Asymmetric loss (Ridnik et al., "Asymmetric Loss For Multi-Label Classification", 2020,
https://arxiv.org/abs/2009.14119): focal weighting with separate exponents for positives and negatives, and a
probability margin that discards easy negatives."""
from typing import Optional, Union

import torch
import torch.nn as nn

_REDUCTIONS = ("batchmean", "sum", "mean", "none")


class AsymmetricLossMultiLabel(nn.Module):
    """ASL for dense multi-hot (or soft) targets of shape (batch, classes).

    ``clip`` shifts each negative's probability up by a margin (capped at 1); ``reduction='batchmean'``
    sums over classes and averages over the batch, ``'sum'`` is the paper's reduction.
    """

    def __init__(
            self,
            gamma_neg: float = 4,
            gamma_pos: float = 1,
            clip: Optional[float] = 0.05,
            eps: float = 1e-8,
            disable_torch_grad_focal_loss: bool = False,
            smoothing: float = 0.0,
            reduction: str = "batchmean",
            weight: Optional[torch.Tensor] = None,
            pos_weight: Optional[Union[torch.Tensor, float]] = None,
    ):
        super().__init__()
        if not 0.0 <= smoothing < 1.0:
            raise ValueError(f"smoothing must be in [0, 1), got {smoothing}")
        if reduction not in _REDUCTIONS:
            raise ValueError(f"reduction must be one of {', '.join(_REDUCTIONS)}, got {reduction!r}")
        if pos_weight is not None and not isinstance(pos_weight, torch.Tensor):
            pos_weight = torch.tensor(pos_weight)
        self.gamma_neg = gamma_neg
        self.gamma_pos = gamma_pos
        self.clip = clip
        self.eps = eps
        self.disable_torch_grad_focal_loss = disable_torch_grad_focal_loss
        self.smoothing = smoothing
        self.reduction = reduction
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        # float32 throughout: in fp16 the probabilities underflow below eps and the log turns into NaN
        x, y = x.float(), y.float()
        if self.smoothing:
            y = y * (1.0 - self.smoothing) + 0.5 * self.smoothing
        p = torch.sigmoid(x)
        p_neg = 1.0 - p
        if self.clip is not None and self.clip > 0:
            p_neg = (p_neg + self.clip).clamp(max=1.0)

        pos_term = y * p.clamp(min=self.eps).log()
        if self.pos_weight is not None:
            pos_term = pos_term * self.pos_weight
        log_likelihood = pos_term + (1.0 - y) * p_neg.clamp(min=self.eps).log()

        if self.gamma_neg > 0 or self.gamma_pos > 0:
            track = torch.is_grad_enabled() and not self.disable_torch_grad_focal_loss
            with torch.set_grad_enabled(track):
                p_true = p * y + p_neg * (1.0 - y)
                gamma = self.gamma_pos * y + self.gamma_neg * (1.0 - y)
                focus = (1.0 - p_true).pow(gamma)
            log_likelihood = log_likelihood * focus

        loss = -log_likelihood
        if self.weight is not None:
            loss = loss * self.weight
        if self.reduction == "batchmean":
            return loss.sum() / x.shape[0]
        if self.reduction == "sum":
            return loss.sum()
        if self.reduction == "mean":
            return loss.mean()
        return loss


class AsymmetricLossSingleLabel(nn.Module):
    """ASL for index targets: focal weights on the log-softmax, then label smoothing by ``eps``."""

    def __init__(self, gamma_pos=1, gamma_neg=4, eps: float = 0.1, reduction="mean"):
        super().__init__()
        self.gamma_pos = gamma_pos
        self.gamma_neg = gamma_neg
        self.eps = eps
        self.reduction = reduction

    def forward(self, inputs: torch.Tensor, target: torch.Tensor, reduction=None) -> torch.Tensor:
        num_classes = inputs.shape[-1]
        log_p = torch.log_softmax(inputs, dim=-1)
        one_hot = torch.zeros_like(inputs).scatter_(1, target.long().unsqueeze(1), 1)
        p = log_p.exp()
        # the focal base 1 - p_true is 1 - p for the true class and p for the others
        p_true = p * one_hot + (1 - p) * (1 - one_hot)
        gamma = self.gamma_pos * one_hot + self.gamma_neg * (1 - one_hot)
        log_p = log_p * (1 - p_true).pow(gamma)
        if self.eps > 0:
            one_hot = one_hot * (1 - self.eps) + self.eps / num_classes
        loss = -(one_hot * log_p).sum(dim=-1)
        return loss.mean() if self.reduction == "mean" else loss
