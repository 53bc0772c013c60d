"""Scale-only norms: RMS norm for NCHW maps, and 'simple' norm (divide by the standard deviation,
no centering). Both keep a per-channel ``weight`` and no bias; used by the ConvNeXt '_rms' variants."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["RmsNorm2d", "SimpleNorm", "SimpleNorm2d"]


class _ScaleNorm(nn.Module):
    def __init__(self, channels: int, eps: float = 1e-6, affine: bool = True, device=None, dtype=None):
        super().__init__()
        self.normalized_shape = (channels,)
        self.eps = eps
        self.elementwise_affine = affine
        if affine:
            self.weight = nn.Parameter(torch.ones(channels, device=device, dtype=dtype))
        else:
            self.register_parameter("weight", None)


class RmsNorm2d(_ScaleNorm):
    """``x / sqrt(mean_C(x^2) + eps) * weight`` over the channels of an NCHW tensor."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.rms_norm(x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.eps)
        return x.permute(0, 3, 1, 2)


def _simple_norm(x: torch.Tensor, dim: int, weight, eps: float) -> torch.Tensor:
    # the (unbiased) variance is centered, the output is not: a LayerNorm that keeps the mean
    x = x * torch.rsqrt(x.var(dim=dim, keepdim=True) + eps)
    return x if weight is None else x * weight


class SimpleNorm(_ScaleNorm):
    """``x / sqrt(var(x) + eps) * weight`` over the last dimension (the mean is not subtracted)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _simple_norm(x, -1, self.weight, self.eps)


class SimpleNorm2d(_ScaleNorm):
    """:class:`SimpleNorm` over the channels of an NCHW tensor."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weight = None if self.weight is None else self.weight.view(1, -1, 1, 1)
        return _simple_norm(x, 1, weight, self.eps)
