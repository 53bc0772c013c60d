"""Poly-1 losses (Leng et al., "PolyLoss: A Polynomial Expansion Perspective of Classification Loss
Functions", 2022, https://arxiv.org/abs/2204.12511): the cross-entropy (or focal loss) plus ``epsilon``
times the first polynomial term, which keeps gradients alive for confidently correct samples."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from ._reduce import check_dense, check_reduction, reduce_loss, smooth_binary

__all__ = ["PolyCrossEntropy", "PolyBinaryCrossEntropy"]


class PolyCrossEntropy(nn.Module):
    """Softmax Poly-1: ``CE + epsilon * (1 - p_t)`` with ``p_t = sum_c target_c * softmax(x)_c``.

    ``p_t`` uses the same (smoothed or soft) target as the CE term, so label smoothing and Mixup targets
    shape both. ``smoothing`` applies to class-index targets only; dense targets arrive already softened.
    """

    def __init__(self, epsilon: float = 2.0, smoothing: float = 0.0, reduction: str = "mean"):
        super().__init__()
        if not 0.0 <= smoothing < 1.0:
            raise ValueError(f"smoothing must be in [0, 1), got {smoothing}")
        self.epsilon = epsilon
        self.smoothing = smoothing
        self.reduction = check_reduction(reduction, ("mean", "sum", "none"))

    def _dense_target(self, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        if target.shape == x.shape:
            return target.to(x.dtype)
        if target.dim() != 1 or target.shape[0] != x.shape[0]:
            raise ValueError(f"targets must be class indices (batch,) or dense (batch, classes); got {tuple(target.shape)}")
        num_classes = x.shape[-1]
        dense = F.one_hot(target.long(), num_classes).to(x.dtype)
        if self.smoothing:
            dense = dense * (1.0 - self.smoothing) + self.smoothing / num_classes
        return dense

    def forward(self, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        target = self._dense_target(x, target)
        log_probs = F.log_softmax(x, dim=-1)
        ce = -(target * log_probs).sum(-1)
        p_t = (target * log_probs.exp()).sum(-1)
        return reduce_loss(ce + self.epsilon * (1.0 - p_t), self.reduction)


class PolyBinaryCrossEntropy(nn.Module):
    """Sigmoid Poly-1 focal loss: ``FL + epsilon * (1 - p_t) ** (gamma + 1)`` per class.

    ``gamma=0`` gives BCE + epsilon * (1 - p_t); ``alpha`` weights positives by alpha and negatives by
    ``1 - alpha`` in both terms. Reductions: 'mean' (batch and classes), 'batchmean' (sum classes, mean
    batch), 'sum', 'none'.
    """

    def __init__(
            self,
            epsilon: float = 2.0,
            gamma: float = 0.0,
            alpha: Optional[float] = None,
            smoothing: float = 0.0,
            reduction: str = "mean",
    ):
        super().__init__()
        if not 0.0 <= smoothing < 1.0:
            raise ValueError(f"smoothing must be in [0, 1), got {smoothing}")
        self.epsilon = epsilon
        self.gamma = gamma
        self.alpha = alpha
        self.smoothing = smoothing
        self.reduction = check_reduction(reduction)

    def forward(self, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        check_dense(x, target, type(self).__name__)
        target = smooth_binary(target.to(x.dtype), self.smoothing)
        p = torch.sigmoid(x)
        p_t = target * p + (1.0 - target) * (1.0 - p)
        bce = F.binary_cross_entropy_with_logits(x, target, reduction="none")
        one_minus = 1.0 - p_t
        loss = bce * one_minus ** self.gamma + self.epsilon * one_minus ** (self.gamma + 1.0)
        if self.alpha is not None:
            loss = (self.alpha * target + (1.0 - self.alpha) * (1.0 - target)) * loss
        return reduce_loss(loss, self.reduction)
