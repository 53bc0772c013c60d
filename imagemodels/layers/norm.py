"""Normalization layers, the lookup that turns norm names into classes, and the 'fast norm' switch.

Fast norm: with ``set_fast_norm(True)``, LayerNorm/GroupNorm layers built afterwards run in the
autocast dtype (bf16/fp16) under autocast instead of upcasting to float32 — faster, a little less
precise. ``fast_layer_norm`` / ``fast_group_norm`` are the functional forms; outside autocast they
are the plain ``F.layer_norm`` / ``F.group_norm``.
"""
from __future__ import annotations

from typing import Any, Callable, List, Optional, Type, Union

import torch
import torch.nn.functional as F
from torch import nn

from .norm_rms import RmsNorm2d, RmsNorm2dFp32, RmsNormFp32, SimpleNorm, SimpleNorm2d, SimpleNorm2dFp32, SimpleNormFp32

__all__ = [
    "GroupNorm", "GroupNorm1", "LayerNorm", "LayerNorm2d", "LayerNormFp32", "LayerNorm2dFp32", "RmsNorm",
    "get_norm_layer", "create_norm_layer", "fast_layer_norm", "fast_group_norm", "is_fast_norm", "set_fast_norm",
]

_USE_FAST_NORM = False


def is_fast_norm() -> bool:
    """Whether norm layers built now take the low-precision path under autocast."""
    return _USE_FAST_NORM


def set_fast_norm(enable: bool = True) -> None:
    """Switch fast norm on or off for layers built from now on (built layers keep their setting)."""
    global _USE_FAST_NORM
    _USE_FAST_NORM = bool(enable)


def _autocast_cast(x: torch.Tensor, *tensors: Optional[torch.Tensor]) -> Optional[List[Optional[torch.Tensor]]]:
    """Under autocast: ``x`` and the optional ``tensors`` cast to the autocast dtype, else unchanged."""
    device = x.device.type
    if not torch.is_autocast_enabled(device):
        return None
    dtype = torch.get_autocast_dtype(device)
    return [None if t is None else t.to(dtype) for t in (x, *tensors)]


def fast_layer_norm(x: torch.Tensor, normalized_shape: List[int], weight: Optional[torch.Tensor] = None,
                    bias: Optional[torch.Tensor] = None, eps: float = 1e-5) -> torch.Tensor:
    """``F.layer_norm`` that, under autocast, runs in the autocast dtype rather than float32."""
    cast = _autocast_cast(x, weight, bias)
    if cast is None:
        return F.layer_norm(x, normalized_shape, weight, bias, eps)
    with torch.autocast(device_type=x.device.type, enabled=False):
        return F.layer_norm(cast[0], normalized_shape, cast[1], cast[2], eps)


def fast_group_norm(x: torch.Tensor, num_groups: int, weight: Optional[torch.Tensor] = None,
                    bias: Optional[torch.Tensor] = None, eps: float = 1e-5) -> torch.Tensor:
    """``F.group_norm`` that, under autocast, runs in the autocast dtype rather than float32."""
    cast = _autocast_cast(x, weight, bias)
    if cast is None:
        return F.group_norm(x, num_groups, weight, bias, eps)
    with torch.autocast(device_type=x.device.type, enabled=False):
        return F.group_norm(cast[0], num_groups, cast[1], cast[2], eps)


def _float_or_none(t: Optional[torch.Tensor]) -> Optional[torch.Tensor]:
    return None if t is None else t.float()


class GroupNorm(nn.GroupNorm):
    """``nn.GroupNorm`` taking channels first, so it can stand in wherever ``norm_layer(channels)`` is called."""

    def __init__(self, num_channels: int, num_groups: int = 32, eps: float = 1e-5, affine: bool = True, **kwargs: Any):
        super().__init__(num_groups, num_channels, eps=eps, affine=affine, **kwargs)
        self._fast_norm = is_fast_norm()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        norm = fast_group_norm if self._fast_norm else F.group_norm
        return norm(x, self.num_groups, self.weight, self.bias, self.eps)


class GroupNorm1(nn.GroupNorm):
    """Group norm with a single group (normalizes over C, H, W), channels first."""

    def __init__(self, num_channels: int, **kwargs: Any):
        super().__init__(1, num_channels, **kwargs)
        self._fast_norm = is_fast_norm()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        norm = fast_group_norm if self._fast_norm else F.group_norm
        return norm(x, self.num_groups, self.weight, self.bias, self.eps)


class LayerNorm(nn.LayerNorm):
    """LayerNorm over the last dimension, channels first, eps 1e-6 (the transformer default)."""

    def __init__(self, num_channels: int, eps: float = 1e-6, affine: bool = True, **kwargs: Any):
        super().__init__(num_channels, eps=eps, elementwise_affine=affine, **kwargs)
        self._fast_norm = is_fast_norm()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        norm = fast_layer_norm if self._fast_norm else F.layer_norm
        return norm(x, self.normalized_shape, self.weight, self.bias, self.eps)


class LayerNorm2d(nn.LayerNorm):
    """LayerNorm over the channels of an NCHW tensor (each pixel normalized on its own)."""

    def __init__(self, num_channels: int, eps: float = 1e-6, affine: bool = True, **kwargs: Any):
        super().__init__(num_channels, eps=eps, elementwise_affine=affine, **kwargs)
        self._fast_norm = is_fast_norm()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        norm = fast_layer_norm if self._fast_norm else F.layer_norm
        x = norm(x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.bias, self.eps)
        return x.permute(0, 3, 1, 2)


class LayerNormFp32(LayerNorm):
    """:class:`LayerNorm` computed in float32 whatever the input dtype; returns the input dtype."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.layer_norm(x.float(), self.normalized_shape, _float_or_none(self.weight), _float_or_none(self.bias),
                           self.eps)
        return out.to(x.dtype)


class LayerNorm2dFp32(LayerNorm2d):
    """:class:`LayerNorm2d` computed in float32 whatever the input dtype; returns the input dtype."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.layer_norm(x.float().permute(0, 2, 3, 1), self.normalized_shape, _float_or_none(self.weight),
                           _float_or_none(self.bias), self.eps)
        return out.permute(0, 3, 1, 2).to(x.dtype)


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
    "layernormfp32": LayerNormFp32,
    "layernorm2dfp32": LayerNorm2dFp32,
    "rmsnorm": RmsNorm,
    "rmsnorm2d": RmsNorm2d,
    "rmsnormfp32": RmsNormFp32,
    "rmsnorm2dfp32": RmsNorm2dFp32,
    "simplenorm": SimpleNorm,
    "simplenorm2d": SimpleNorm2d,
    "simplenormfp32": SimpleNormFp32,
    "simplenorm2dfp32": SimpleNorm2dFp32,
    "instancenorm": nn.InstanceNorm2d,
    "instancenorm2d": nn.InstanceNorm2d,
}
# resolved on first use: importing torchvision is too heavy for building every model
_LAZY_NORM_LAYERS = {"frozenbatchnorm2d"}

NormLayer = Union[str, Callable[..., nn.Module], Type[nn.Module], None]


def _frozen_batchnorm2d() -> Type[nn.Module]:
    try:
        from torchvision.ops.misc import FrozenBatchNorm2d
    except ImportError as e:
        raise ImportError("the 'frozenbatchnorm2d' norm layer needs torchvision: pip install torchvision") from e
    return FrozenBatchNorm2d


def get_norm_layer(norm_layer: NormLayer) -> Optional[Callable[..., nn.Module]]:
    """The norm class for a name (``'batchnorm'``, ``'groupnorm'``...); classes and partials pass through."""
    if not norm_layer:
        return None
    if not isinstance(norm_layer, str):
        return norm_layer
    key = norm_layer.lower().replace("_", "")
    if key == "frozenbatchnorm2d":
        return _frozen_batchnorm2d()
    if key not in _NORM_LAYERS:
        known = sorted(set(_NORM_LAYERS) | _LAZY_NORM_LAYERS)
        raise ValueError(f"unknown norm layer '{norm_layer}'; known: {', '.join(known)}")
    return _NORM_LAYERS[key]


def create_norm_layer(layer_name: NormLayer, num_features: int, **kwargs: Any) -> nn.Module:
    """An instance of ``get_norm_layer(layer_name)`` for ``num_features`` channels; ``kwargs`` go to it."""
    layer = get_norm_layer(layer_name)
    if layer is None:
        raise ValueError(f"create_norm_layer needs a norm layer name or class, got {layer_name!r}")
    return layer(num_features, **kwargs)
