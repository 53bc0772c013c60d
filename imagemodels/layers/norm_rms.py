"""Scale-only norms: RMS norm for NCHW maps, and 'simple' norm (divide by the standard deviation,
no centering). Both keep a per-channel ``weight`` and no bias; used by the ConvNeXt '_rms' variants.

The ``...Fp32`` forms compute in float32 whatever the input dtype and return the input dtype, for
models run in bf16/fp16 whose norms were trained (or are only stable) in full precision."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from typing import Optional

__all__ = [
    "RmsNorm2d", "SimpleNorm", "SimpleNorm2d", "RmsNormFp32", "RmsNorm2dFp32", "SimpleNormFp32", "SimpleNorm2dFp32",
]


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


def _float_weight(weight: Optional[torch.Tensor]) -> Optional[torch.Tensor]:
    return None if weight is None else weight.float()


class RmsNormFp32(_ScaleNorm):
    """RMS norm over the last dimension, computed in float32; returns the input dtype."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.rms_norm(x.float(), self.normalized_shape, _float_weight(self.weight), self.eps)
        return out.to(x.dtype)


class RmsNorm2dFp32(_ScaleNorm):
    """:class:`RmsNorm2d` computed in float32; returns the input dtype."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.rms_norm(x.float().permute(0, 2, 3, 1), self.normalized_shape, _float_weight(self.weight), self.eps)
        return out.permute(0, 3, 1, 2).to(x.dtype)


class SimpleNormFp32(_ScaleNorm):
    """:class:`SimpleNorm` computed in float32; returns the input dtype."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _simple_norm(x.float(), -1, _float_weight(self.weight), self.eps).to(x.dtype)


class SimpleNorm2dFp32(_ScaleNorm):
    """:class:`SimpleNorm2d` computed in float32; returns the input dtype."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weight = None if self.weight is None else self.weight.float().view(1, -1, 1, 1)
        return _simple_norm(x.float(), 1, weight, self.eps).to(x.dtype)
