"""Two-way multi-label loss (Kobayashi, "Two-way Multi-Label Loss", CVPR 2023): contrast the hardest
positive and negative logits both across the classes of a sample and across the samples of a class."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from ._reduce import check_dense

__all__ = ["TwoWayLoss"]


def _soft_extreme(values: torch.Tensor, keep: torch.Tensor, temperature: float, dim: int) -> torch.Tensor:
    """``temperature * logsumexp(values / temperature)`` over the kept entries along ``dim`` (a soft max)."""
    masked = (values / temperature).masked_fill(~keep, float("-inf"))
    return torch.logsumexp(masked, dim=dim) * temperature


class TwoWayLoss(nn.Module):
    """``softplus(softmax_neg(x) - softmin_pos(x))``, averaged over samples with a positive, plus the same
    over classes with a positive in the batch.

    ``tp`` is the temperature of the soft-min over positives, ``tn`` of the soft-max over negatives.
    Targets above 0.5 are positives. Logits are ranking scores, not calibrated sigmoid probabilities.
    """

    def __init__(self, tp: float = 4.0, tn: float = 1.0):
        super().__init__()
        if tp <= 0 or tn <= 0:
            raise ValueError(f"temperatures must be > 0, got tp={tp}, tn={tn}")
        self.tp = tp
        self.tn = tn

    def forward(self, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        check_dense(x, target, type(self).__name__)
        positive = target > 0.5
        loss = x.new_zeros(())
        for dim in (1, 0):  # across the classes of each sample, then across the samples of each class
            has_pos = positive.any(dim=dim)
            # -softmin(x) over positives is the soft max of -x.
            neg_softmin_pos = _soft_extreme(-x, positive, self.tp, dim)[has_pos]
            softmax_neg = _soft_extreme(x, ~positive, self.tn, dim)[has_pos]
            loss = loss + F.softplus(softmax_neg + neg_softmin_pos).mean()
        return loss
