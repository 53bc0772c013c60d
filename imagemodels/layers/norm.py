"""Normalization layers and the lookup that turns norm names into classes."""
from __future__ import annotations

from typing import Any, Callable, Optional, Type, Union

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["GroupNorm", "GroupNorm1", "LayerNorm", "LayerNorm2d", "RmsNorm", "get_norm_layer"]


class GroupNorm(nn.GroupNorm):
    """``nn.GroupNorm`` taking channels first, so it can stand in wherever ``norm_layer(channels)`` is called."""

    def __init__(self, num_channels: int, num_groups: int = 32, eps: float = 1e-5, affine: bool = True, **kwargs: Any):
        super().__init__(num_groups, num_channels, eps=eps, affine=affine, **kwargs)


class GroupNorm1(nn.GroupNorm):
    """Group norm with a single group (normalizes over C, H, W), channels first."""

    def __init__(self, num_channels: int, **kwargs: Any):
        super().__init__(1, num_channels, **kwargs)


class LayerNorm(nn.LayerNorm):
    """LayerNorm over the last dimension, channels first, eps 1e-6 (the transformer default)."""

    def __init__(self, num_channels: int, eps: float = 1e-6, affine: bool = True, **kwargs: Any):
        super().__init__(num_channels, eps=eps, elementwise_affine=affine, **kwargs)


class LayerNorm2d(nn.LayerNorm):
    """LayerNorm over the channels of an NCHW tensor (each pixel normalized on its own)."""

    def __init__(self, num_channels: int, eps: float = 1e-6, affine: bool = True, **kwargs: Any):
        super().__init__(num_channels, eps=eps, elementwise_affine=affine, **kwargs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.layer_norm(x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.bias, self.eps)
        return x.permute(0, 3, 1, 2)


class RmsNorm(nn.Module):
    """Root-mean-square norm over the last dimension (no centering), with an optional scale ``weight``."""

    def __init__(self, channels: int, eps: float = 1e-6, affine: bool = True, device=None, dtype=None):
        super().__init__()
        self.normalized_shape = (channels,)
        self.eps = eps
        self.elementwise_affine = affine
        if affine:
            self.weight = nn.Parameter(torch.ones(channels, device=device, dtype=dtype))
        else:
            self.register_parameter("weight", None)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)


_NORM_LAYERS = {
    "batchnorm": nn.BatchNorm2d,
    "batchnorm2d": nn.BatchNorm2d,
    "batchnorm1d": nn.BatchNorm1d,
    "groupnorm": GroupNorm,
    "groupnorm1": GroupNorm1,
    "layernorm": LayerNorm,
    "layernorm2d": LayerNorm2d,
    "rmsnorm": RmsNorm,
    "instancenorm": nn.InstanceNorm2d,
    "instancenorm2d": nn.InstanceNorm2d,
}

NormLayer = Union[str, Callable[..., nn.Module], Type[nn.Module], None]


def get_norm_layer(norm_layer: NormLayer) -> Optional[Callable[..., nn.Module]]:
    """The norm class for a name (``'batchnorm'``, ``'groupnorm'``...); classes and partials pass through."""
    if not norm_layer:
        return None
    if not isinstance(norm_layer, str):
        return norm_layer
    key = norm_layer.lower().replace("_", "")
    if key not in _NORM_LAYERS:
        raise ValueError(f"unknown norm layer '{norm_layer}'; known: {', '.join(sorted(_NORM_LAYERS))}")
    return _NORM_LAYERS[key]
