"""Global pooling selectable by name: 'avg', 'max', 'avgmax', 'catavgmax' or '' (none).

A 'fast' prefix ('fastavg', 'fastcatavgmax'... and 'fast' alone for average) reduces with
``mean``/``amax`` over the spatial dims instead of adaptive pooling: output size 1 only, and it
works directly on channels-last (NHWC) input.
"""
from __future__ import annotations

from typing import Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

__all__ = [
    "adaptive_avgmax_pool2d", "adaptive_catavgmax_pool2d", "select_adaptive_pool2d",
    "AdaptiveAvgMaxPool2d", "AdaptiveCatAvgMaxPool2d", "SelectAdaptivePool2d", "POOL_TYPES",
]

OutputSize = Union[int, Tuple[int, int]]
POOL_TYPES = ("", "avg", "max", "avgmax", "catavgmax")


def adaptive_avgmax_pool2d(x: torch.Tensor, output_size: OutputSize = 1) -> torch.Tensor:
    """Mean of adaptive average and adaptive max pooling."""
    return 0.5 * (F.adaptive_avg_pool2d(x, output_size) + F.adaptive_max_pool2d(x, output_size))


def adaptive_catavgmax_pool2d(x: torch.Tensor, output_size: OutputSize = 1) -> torch.Tensor:
    """Adaptive average and max pooling concatenated along channels (doubles the channels)."""
    return torch.cat((F.adaptive_avg_pool2d(x, output_size), F.adaptive_max_pool2d(x, output_size)), 1)


def select_adaptive_pool2d(x: torch.Tensor, pool_type: str = "avg", output_size: OutputSize = 1) -> torch.Tensor:
    """Functional form of :class:`SelectAdaptivePool2d` (NCHW, no flatten)."""
    if pool_type == "avg":
        return F.adaptive_avg_pool2d(x, output_size)
    if pool_type == "max":
        return F.adaptive_max_pool2d(x, output_size)
    if pool_type == "avgmax":
        return adaptive_avgmax_pool2d(x, output_size)
    if pool_type == "catavgmax":
        return adaptive_catavgmax_pool2d(x, output_size)
    raise ValueError(f"pool_type must be one of 'avg', 'max', 'avgmax', 'catavgmax', got {pool_type!r}")


class AdaptiveAvgMaxPool2d(nn.Module):
    def __init__(self, output_size: OutputSize = 1):
        super().__init__()
        self.output_size = output_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return adaptive_avgmax_pool2d(x, self.output_size)


class AdaptiveCatAvgMaxPool2d(nn.Module):
    def __init__(self, output_size: OutputSize = 1):
        super().__init__()
        self.output_size = output_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return adaptive_catavgmax_pool2d(x, self.output_size)


def _parse_pool_type(pool_type: str) -> Tuple[bool, str]:
    """'fastcatavgmax' -> (True, 'catavgmax'); 'fast' alone means fast average."""
    fast = pool_type.startswith("fast")
    base = pool_type[len("fast"):] if fast else pool_type
    if fast and not base:
        base = "avg"
    if base not in POOL_TYPES:
        raise ValueError(
            f"unknown pool_type {pool_type!r}; use one of {', '.join(repr(p) for p in POOL_TYPES)}, "
            "optionally prefixed with 'fast'"
        )
    return fast, base


class SelectAdaptivePool2d(nn.Module):
    """Global pooling chosen by ``pool_type``, optionally flattening to ``(N, C)``."""

    def __init__(self, output_size: OutputSize = 1, pool_type: str = "fast", flatten: bool = False, input_fmt: str = "NCHW"):
        super().__init__()
        if input_fmt not in ("NCHW", "NHWC"):
            raise ValueError(f"input_fmt must be 'NCHW' or 'NHWC', got {input_fmt!r}")
        pool_type = pool_type or ""
        self.pool_type = pool_type
        self.output_size = output_size
        self.input_fmt = input_fmt
        self._fast, self._base = _parse_pool_type(pool_type)
        if self._fast and output_size != 1:
            raise ValueError(f"pool_type {pool_type!r} pools to a single value; output_size must be 1, got {output_size}")
        # fast pools drop the spatial dims themselves when flattening
        self._fast_flatten = flatten
        self.flatten = nn.Flatten(1) if flatten and not self._fast else nn.Identity()

    def is_identity(self) -> bool:
        return not self._base

    def feat_mult(self) -> int:
        """How many times the input channels the pooled output has."""
        return 2 if self._base == "catavgmax" else 1

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self._base:
            return self.flatten(x)
        if self._fast:
            return self._fast_pool(x)
        if self.input_fmt == "NHWC":
            x = x.permute(0, 3, 1, 2)
        x = select_adaptive_pool2d(x, self._base, self.output_size)
        return self.flatten(x)

    def _fast_pool(self, x: torch.Tensor) -> torch.Tensor:
        nhwc = self.input_fmt == "NHWC"
        dims = (1, 2) if nhwc else (2, 3)
        keep = not self._fast_flatten
        if self._base == "avg":
            return x.mean(dims, keepdim=keep)
        if self._base == "max":
            return x.amax(dims, keepdim=keep)
        x_avg, x_max = x.mean(dims, keepdim=keep), x.amax(dims, keepdim=keep)
        if self._base == "avgmax":
            return 0.5 * (x_avg + x_max)
        channel_dim = -1 if nhwc or not keep else 1
        return torch.cat((x_avg, x_max), channel_dim)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(pool_type={self.pool_type}, flatten={self.flatten})"
