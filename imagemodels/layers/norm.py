"""Normalization layers and the lookup that turns norm names into classes."""
from __future__ import annotations

import functools
from typing import Any, Callable, Optional, Type, Union

from torch import nn

__all__ = ["GroupNorm", "GroupNorm1", "get_norm_layer"]


class GroupNorm(nn.GroupNorm):
    """``nn.GroupNorm`` taking channels first, so it can stand in wherever ``norm_layer(channels)`` is called."""

    def __init__(self, num_channels: int, num_groups: int = 32, eps: float = 1e-5, affine: bool = True, **kwargs: Any):
        super().__init__(num_groups, num_channels, eps=eps, affine=affine, **kwargs)


class GroupNorm1(nn.GroupNorm):
    """Group norm with a single group (normalizes over C, H, W), channels first."""

    def __init__(self, num_channels: int, **kwargs: Any):
        super().__init__(1, num_channels, **kwargs)


_NORM_LAYERS = {
    "batchnorm": nn.BatchNorm2d,
    "batchnorm2d": nn.BatchNorm2d,
    "batchnorm1d": nn.BatchNorm1d,
    "groupnorm": GroupNorm,
    "groupnorm1": GroupNorm1,
    "layernorm": nn.LayerNorm,
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
