"""EvoNorm-S0: a normalisation-activation layer found by search, ``x * sigmoid(v * x) / group_std(x)``
then a per-channel affine; no batch statistics.

Liu et al., "Evolving Normalization-Activation Layers", 2020 (arXiv:2004.02967).
"""
from __future__ import annotations

from typing import Any, Optional

import torch
from torch import nn

__all__ = ["EvoNorm2dS0", "group_std"]


def group_std(x: torch.Tensor, groups: int = 32, eps: float = 1e-5) -> torch.Tensor:
    """Standard deviation over each group of channels and all positions, broadcast back to ``x``'s shape
    (computed in float32 for stability under mixed precision)."""
    batch, chs, height, width = x.shape
    grouped = x.reshape(batch, groups, chs // groups, height, width)
    std = grouped.float().var(dim=(2, 3, 4), unbiased=False, keepdim=True).add(eps).sqrt().to(x.dtype)
    return std.expand(grouped.shape).reshape(batch, chs, height, width)


class EvoNorm2dS0(nn.Module):
    """EvoNorm-S0 over NCHW; ``group_size`` (channels per group) overrides ``groups``. Without
    ``apply_act`` it is only the affine."""

    def __init__(
        self,
        num_features: int,
        groups: int = 32,
        group_size: Optional[int] = None,
        apply_act: bool = True,
        eps: float = 1e-5,
        device: Any = None,
        dtype: Any = None,
        **_: Any,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.apply_act = apply_act
        if group_size:
            if num_features % group_size:
                raise ValueError(f"num_features {num_features} is not divisible by group_size {group_size}")
            groups = num_features // group_size
        self.groups = groups
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(num_features, **dd))
        self.bias = nn.Parameter(torch.zeros(num_features, **dd))
        self.v = nn.Parameter(torch.ones(num_features, **dd)) if apply_act else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = (1, -1, 1, 1)
        if self.v is not None:
            v = self.v.view(shape).to(x.dtype)
            x = x * (x * v).sigmoid() / group_std(x, self.groups, self.eps)
        return x * self.weight.view(shape).to(x.dtype) + self.bias.view(shape).to(x.dtype)
