"""ZLPR loss (Su et al., "ZLPR: A Novel Loss for Multi-label Classification", 2022,
https://arxiv.org/abs/2208.02955): softmax cross-entropy extended to several positives, with the logit 0 as
the threshold between predicted positives and negatives."""
import torch
import torch.nn as nn

from ._reduce import check_dense

__all__ = ["ZlprLoss"]


class ZlprLoss(nn.Module):
    """Per sample ``log(1 + sum_neg exp(s_j)) + log(1 + sum_pos exp(-s_i))``, averaged over the batch.

    Targets above 0.5 are positives. No hyperparameters; the loss does not grow with the number of
    negative classes as summed per-class BCE does.
    """

    def forward(self, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        check_dense(x, target, type(self).__name__)
        positive = target > 0.5
        # Appending a zero logit to each logsumexp is the "1 +" inside each log.
        zero = x.new_zeros(x.shape[0], 1)
        neg_scores = x.masked_fill(positive, float("-inf"))
        pos_scores = (-x).masked_fill(~positive, float("-inf"))
        neg_term = torch.logsumexp(torch.cat([neg_scores, zero], dim=-1), dim=-1)
        pos_term = torch.logsumexp(torch.cat([pos_scores, zero], dim=-1), dim=-1)
        return (neg_term + pos_term).mean()
