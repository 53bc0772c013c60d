"""EvoNorm-S0: a batch-independent normalization+activation found by architecture search.

Liu et al., "Evolving Normalization-Activation Layers", 2020 (arXiv:2004.02967).
"""
from __future__ import annotations

from typing import Any, Optional

import torch
from torch import nn

__all__ = ["EvoNorm2dS0"]


class EvoNorm2dS0(nn.Module):
    """``x * sigmoid(v * x) / group_std(x) * weight + bias`` (no running statistics).

    ``group_std`` is the standard deviation over each group of channels and all positions; with
    ``apply_act=False`` only the affine ``x * weight + bias`` remains (as the reference layer). ``group_size``, when given, sets
    the groups as ``num_features // group_size``.
    """

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
                raise ValueError(f"num_features ({num_features}) must be divisible by group_size ({group_size})")
            groups = num_features // group_size
        self.groups = groups
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(num_features, **dd))
        self.bias = nn.Parameter(torch.zeros(num_features, **dd))
        self.v = nn.Parameter(torch.ones(num_features, **dd)) if apply_act else None

    def _group_std(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        xg = x.float().reshape(b, self.groups, c // self.groups, h, w)
        var = xg.var(dim=(2, 3, 4), unbiased=False, keepdim=True)
        std = (var + self.eps).sqrt().to(x.dtype)
        return std.expand(b, self.groups, c // self.groups, 1, 1).reshape(b, c, 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = (1, -1, 1, 1)
        if self.v is not None:
            x = x * torch.sigmoid(x * self.v.view(shape).to(x.dtype)) / self._group_std(x)
        return x * self.weight.view(shape).to(x.dtype) + self.bias.view(shape).to(x.dtype)
