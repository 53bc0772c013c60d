"""Running averages and top-k accuracy for training logs."""
from __future__ import annotations

from typing import List, Sequence

import torch

__all__ = ["AverageMeter", "accuracy"]


class AverageMeter:
    """The latest value and the count-weighted mean of everything passed to ``update``."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.val = 0
        self.avg = 0
        self.sum = 0
        self.count = 0

    def update(self, val, n: int = 1):
        self.val = val
        self.sum += val * n
        self.count += n
        self.avg = self.sum / self.count


def accuracy(output: torch.Tensor, target: torch.Tensor, topk: Sequence[int] = (1,)) -> List[torch.Tensor]:
    """Percentage of samples whose target is among the ``k`` highest scores, one tensor per ``k``.

    ``k`` larger than the number of classes counts as all classes (100%).
    """
    if output.ndim != 2:
        raise ValueError(f"output must be (batch, classes) scores, got shape {tuple(output.shape)}")
    if target.shape[0] != output.shape[0]:
        raise ValueError(f"output has {output.shape[0]} rows but target has {target.shape[0]}")
    maxk = min(max(topk), output.shape[1])
    batch_size = target.shape[0]
    top = output.topk(maxk, dim=1, largest=True, sorted=True).indices.t()  # (maxk, batch)
    hit = top.eq(target.reshape(1, -1).expand_as(top))
    return [hit[:min(k, maxk)].reshape(-1).float().sum(0) * 100.0 / batch_size for k in topk]
