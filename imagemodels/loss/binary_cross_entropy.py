"""Binary cross-entropy for classification ("ResNet strikes back", Wightman et al., 2021, trains with it):
index targets become smoothed one-hot rows, dense targets are used as given (or smoothed towards 0.5)."""
from typing import Optional, Union

import torch
import torch.nn as nn
import torch.nn.functional as F


class BinaryCrossEntropy(nn.Module):
    """BCE-with-logits over every class.

    Args:
        smoothing: for index targets, the off value is ``smoothing / num_classes`` and the on value
            ``1 - smoothing + off``. Dense targets are assumed softened upstream unless ``smooth_dense``.
        target_threshold: binarise targets: ``target > threshold`` becomes 1, else 0 (after smoothing).
        weight: per-class weight. pos_weight: weight of the positive term (a float or one per class).
        reduction: as ``F.binary_cross_entropy_with_logits``; ``sum_classes`` instead sums over classes and
            averages over the batch.
        smooth_dense: move dense targets towards 0.5 by ``smoothing``.
    """

    def __init__(
            self,
            smoothing=0.1,
            target_threshold: Optional[float] = None,
            weight: Optional[torch.Tensor] = None,
            reduction: str = "mean",
            sum_classes: bool = False,
            pos_weight: Optional[Union[torch.Tensor, float]] = None,
            smooth_dense: bool = False,
    ):
        super().__init__()
        if not 0.0 <= smoothing < 1.0:
            raise ValueError(f"smoothing must be in [0, 1), got {smoothing}")
        if pos_weight is not None and not isinstance(pos_weight, torch.Tensor):
            pos_weight = torch.tensor(pos_weight)
        self.smoothing = smoothing
        self.target_threshold = target_threshold
        self.sum_classes = sum_classes
        self.reduction = "none" if sum_classes else reduction
        self.smooth_dense = smooth_dense
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def _dense_target(self, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        if target.shape == x.shape:
            if self.smooth_dense and self.smoothing:
                return target * (1.0 - self.smoothing) + 0.5 * self.smoothing
            return target
        num_classes = x.shape[-1]
        off = self.smoothing / num_classes
        on = 1.0 - self.smoothing + off
        dense = torch.full((x.shape[0], num_classes), off, device=x.device, dtype=x.dtype)
        return dense.scatter_(1, target.long().view(-1, 1), on)

    def forward(self, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        if x.shape[0] != target.shape[0]:
            raise ValueError(f"logits have batch {x.shape[0]} but targets have {target.shape[0]}")
        target = self._dense_target(x, target)
        if self.target_threshold is not None:
            target = (target > self.target_threshold).to(target.dtype)
        loss = F.binary_cross_entropy_with_logits(
            x, target, self.weight, pos_weight=self.pos_weight, reduction=self.reduction)
        if self.sum_classes:
            loss = loss.sum(-1).mean()
        return loss
