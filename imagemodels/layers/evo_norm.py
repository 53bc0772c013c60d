"""EvoNorm-S0: a batch-independent norm+activation layer found by architecture search.

Liu et al., "Evolving Normalization-Activation Layers", 2020 (arXiv:2004.02967). Only the S0 form
is here: ``x * sigmoid(v * x) / group_std(x) * weight + bias``.
"""
from __future__ import annotations

from typing import Any, Optional

import torch
from torch import nn

__all__ = ["EvoNorm2dS0", "EvoNorm2dS0a"]


class EvoNorm2dS0(nn.Module):
    """Takes the fused norm+act keywords (``act_layer`` ...) and ignores them: the nonlinearity is built in.

    ``group_size`` (channels per group) wins over ``groups``; ``apply_act=False`` leaves the plain
    group-std normalisation.
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
        self.apply_act = apply_act
        if group_size:
            if num_features % group_size:
                raise ValueError(f"group_size {group_size} must divide the {num_features} channels")
            groups = num_features // group_size
        self.groups = groups
        self.eps = eps
        dd = dict(device=device, dtype=dtype)
        self.weight = nn.Parameter(torch.ones(num_features, **dd))
        self.bias = nn.Parameter(torch.zeros(num_features, **dd))
        self.v = nn.Parameter(torch.ones(num_features, **dd)) if apply_act else None

    def _group_std(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        var = x.float().reshape(b, self.groups, c // self.groups, h, w).var(dim=(2, 3, 4), unbiased=False, keepdim=True)
        std = var.add(self.eps).sqrt().to(x.dtype)
        return std.expand(b, self.groups, c // self.groups, 1, 1).reshape(b, c, 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = (1, -1, 1, 1)
        if self.v is not None:
            x = x * torch.sigmoid(self.v.view(shape) * x) / self._group_std(x)
        return x * self.weight.view(shape) + self.bias.view(shape)


class EvoNorm2dS0a(EvoNorm2dS0):
    """S0 'a': always divides by the group std (also without the activation), eps 1e-3 by default.
    The RegNetZ-evos checkpoints were trained with this form."""

    def __init__(self, num_features: int, groups: int = 32, group_size: Optional[int] = None,
                 apply_act: bool = True, eps: float = 1e-3, **kwargs: Any):
        super().__init__(num_features, groups=groups, group_size=group_size, apply_act=apply_act, eps=eps, **kwargs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = (1, -1, 1, 1)
        std = self._group_std(x)
        if self.v is not None:
            x = x * torch.sigmoid(self.v.view(shape) * x)
        return x / std * self.weight.view(shape) + self.bias.view(shape)
