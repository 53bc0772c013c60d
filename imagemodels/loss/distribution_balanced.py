"""Distribution-Balanced loss (Wu et al., "Distribution-Balanced Loss for Multi-Label Classification in
Long-Tailed Datasets", ECCV 2020, https://arxiv.org/abs/2007.09654): sigmoid BCE re-weighted for label
co-occurrence, with a class-prior logit shift and softened negatives for rare classes."""
from typing import Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F

from ._reduce import check_dense, check_reduction, reduce_loss, smooth_binary

__all__ = ["DistributionBalancedLoss"]


class DistributionBalancedLoss(nn.Module):
    """BCE with re-balanced weights, negative-tolerant regularisation and an optional focal term.

    - Re-balancing: term (i, c) is weighted by ``r = (1 / n_c) / sum_j(y_ij / n_j)``, mapped through
      ``map_alpha + sigmoid(map_beta * (r - map_mu))``.
    - Negative tolerance: logits are shifted by ``-init_bias * log(num_samples / n_c - 1) / neg_scale`` and
      negatives cost ``softplus(neg_scale * z) / neg_scale``.
    - Focal: when ``focal_gamma > 0`` the positive term is scaled by ``(1 - sigmoid(z)) ** focal_gamma``, the
      negative one by ``sigmoid(neg_scale * z) ** focal_gamma``, and the sum by ``focal_balance``.

    Soft targets mix the positive and negative terms; reductions are 'mean' (batch and classes), 'batchmean',
    'sum' and 'none'.
    """

    def __init__(
            self,
            class_counts: Union[torch.Tensor, Sequence[float]],
            num_samples: int,
            map_alpha: float = 0.1,
            map_beta: float = 10.0,
            map_mu: float = 0.2,
            neg_scale: float = 2.0,
            init_bias: float = 0.05,
            focal_gamma: float = 2.0,
            focal_balance: float = 2.0,
            smoothing: float = 0.0,
            reduction: str = "mean",
    ):
        super().__init__()
        counts = torch.as_tensor(class_counts, dtype=torch.float32).flatten()
        if counts.numel() == 0:
            raise ValueError("class_counts is empty; give the positive training sample count of every class")
        if (counts < 0).any():
            raise ValueError("class_counts must be >= 0")
        if num_samples <= 0:
            raise ValueError(f"num_samples must be > 0, got {num_samples}")
        if neg_scale <= 0:
            raise ValueError(f"neg_scale must be > 0, got {neg_scale}")
        if not 0.0 <= smoothing < 1.0:
            raise ValueError(f"smoothing must be in [0, 1), got {smoothing}")
        counts = counts.clamp(min=1.0)  # a class never seen counts as seen once, keeping 1 / n finite
        self.map_alpha = map_alpha
        self.map_beta = map_beta
        self.map_mu = map_mu
        self.neg_scale = neg_scale
        self.focal_gamma = focal_gamma
        self.focal_balance = focal_balance
        self.smoothing = smoothing
        self.reduction = check_reduction(reduction)
        self.register_buffer("freq_inv", 1.0 / counts)
        self.register_buffer("logit_bias", -torch.log(num_samples / counts - 1.0) * init_bias / neg_scale)

    def _rebalance_weight(self, target: torch.Tensor) -> torch.Tensor:
        # Instance sampling probability of each sample; a sample with no positives gets r = inf -> max weight.
        instance = (target * self.freq_inv).sum(-1, keepdim=True)
        ratio = self.freq_inv / instance
        return torch.sigmoid(self.map_beta * (ratio - self.map_mu)) + self.map_alpha

    def forward(self, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        check_dense(x, target, type(self).__name__)
        target = target.to(x.dtype)
        weight = self._rebalance_weight(target)  # from the targets as given: smoothing is not co-occurrence
        target = smooth_binary(target, self.smoothing)
        z = x + self.logit_bias
        pos_cost = weight * F.softplus(-z)
        neg_cost = weight * F.softplus(z * self.neg_scale) / self.neg_scale
        if self.focal_gamma:
            # Each term is focused by its own p_t: sigmoid(z) for the positive, and for the negative the
            # sigmoid of the scaled logit it is costed with; soft targets then mix the focused terms.
            pos_cost = (1.0 - torch.sigmoid(z)) ** self.focal_gamma * pos_cost
            neg_cost = torch.sigmoid(z * self.neg_scale) ** self.focal_gamma * neg_cost
        loss = target * pos_cost + (1.0 - target) * neg_cost
        if self.focal_gamma:
            loss = self.focal_balance * loss
        return reduce_loss(loss, self.reduction)
