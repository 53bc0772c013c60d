"""Filter response normalisation with a thresholded linear unit (FRN + TLU): each channel divided by
its root-mean-square over the positions, a per-channel affine, then ``max(x, tau)``.

Singh & Krishnan, "Filter Response Normalization Layer", 2019 (arXiv:1911.09737).
"""
from __future__ import annotations

from typing import Any

import torch
from torch import nn

__all__ = ["FilterResponseNormTlu2d"]


class FilterResponseNormTlu2d(nn.Module):
    """FRN + TLU over NCHW; without ``apply_act`` the TLU (and ``tau``) is left out."""

    def __init__(
        self,
        num_features: int,
        apply_act: bool = True,
        eps: float = 1e-5,
        rms: bool = True,
        device: Any = None,
        dtype: Any = None,
        **_: Any,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.apply_act = apply_act
        self.rms = rms
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(num_features, **dd))
        self.bias = nn.Parameter(torch.zeros(num_features, **dd))
        self.tau = nn.Parameter(torch.zeros(num_features, **dd)) if apply_act else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = (1, -1, 1, 1)
        nu2 = x.float().square().mean(dim=(2, 3), keepdim=True)
        x = (x * (nu2 + self.eps).rsqrt()).to(x.dtype)
        x = x * self.weight.view(shape).to(x.dtype) + self.bias.view(shape).to(x.dtype)
        return torch.maximum(x, self.tau.view(shape).to(x.dtype)) if self.tau is not None else x
