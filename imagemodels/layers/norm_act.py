"""Normalization fused with its activation (and an optional drop), as one module.

The fused modules subclass the plain norm, so their ``state_dict`` is the norm's own
(``weight``, ``bias``, running stats); the activation and drop hold no parameters.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Dict, List, Optional, Type, Union

import torch
import torch.nn.functional as F
from torch import nn

from .create_act import ActLayer, create_act_layer
from .norm import LayerNorm, LayerNorm2d

__all__ = [
    "BatchNormAct2d", "GroupNormAct", "GroupNorm1Act", "LayerNormAct", "LayerNormAct2d",
    "get_norm_act_layer", "create_norm_act_layer",
]


def _act_and_drop(module: nn.Module, act_layer: ActLayer, act_kwargs: Optional[Dict[str, Any]], inplace: bool,
                  apply_act: bool, drop_layer: Optional[Callable[[], nn.Module]]) -> None:
    module.drop = drop_layer() if drop_layer is not None else nn.Identity()
    act = create_act_layer(act_layer, inplace=inplace, **(act_kwargs or {})) if apply_act else None
    module.act = act if act is not None else nn.Identity()


class BatchNormAct2d(nn.BatchNorm2d):
    """BatchNorm2d, then drop, then activation."""

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        apply_act: bool = True,
        act_layer: ActLayer = nn.ReLU,
        act_kwargs: Optional[Dict[str, Any]] = None,
        inplace: bool = True,
        drop_layer: Optional[Type[nn.Module]] = None,
        device=None,
        dtype=None,
    ):
        super().__init__(num_features, eps=eps, momentum=momentum, affine=affine,
                         track_running_stats=track_running_stats, device=device, dtype=dtype)
        _act_and_drop(self, act_layer, act_kwargs, inplace, apply_act, drop_layer)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.drop(super().forward(x)))


def _num_groups(num_channels: int, num_groups: int, group_size: Optional[int]) -> int:
    if group_size:
        if num_channels % group_size:
            raise ValueError(f"group_size {group_size} must divide the {num_channels} channels")
        return num_channels // group_size
    return num_groups


class GroupNormAct(nn.GroupNorm):
    """GroupNorm (channels first; ``group_size`` may replace ``num_groups``), then drop and activation."""

    def __init__(
        self,
        num_channels: int,
        num_groups: int = 32,
        eps: float = 1e-5,
        affine: bool = True,
        group_size: Optional[int] = None,
        apply_act: bool = True,
        act_layer: ActLayer = nn.ReLU,
        act_kwargs: Optional[Dict[str, Any]] = None,
        inplace: bool = True,
        drop_layer: Optional[Type[nn.Module]] = None,
        device=None,
        dtype=None,
    ):
        super().__init__(_num_groups(num_channels, num_groups, group_size), num_channels, eps=eps, affine=affine,
                         device=device, dtype=dtype)
        _act_and_drop(self, act_layer, act_kwargs, inplace, apply_act, drop_layer)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.drop(F.group_norm(x, self.num_groups, self.weight, self.bias, self.eps)))


class GroupNorm1Act(GroupNormAct):
    """Single-group GroupNorm (normalizes over C, H, W), then drop and activation."""

    def __init__(self, num_channels: int, eps: float = 1e-5, affine: bool = True, **kwargs: Any):
        kwargs.pop("num_groups", None)
        super().__init__(num_channels, num_groups=1, eps=eps, affine=affine, **kwargs)


class LayerNormAct(nn.LayerNorm):
    """LayerNorm over the last dimension, then drop and activation."""

    def __init__(
        self,
        normalization_shape: Union[int, List[int], torch.Size],
        eps: float = 1e-5,
        affine: bool = True,
        apply_act: bool = True,
        act_layer: ActLayer = nn.ReLU,
        act_kwargs: Optional[Dict[str, Any]] = None,
        inplace: bool = True,
        drop_layer: Optional[Type[nn.Module]] = None,
        **kwargs: Any,
    ):
        super().__init__(normalization_shape, eps=eps, elementwise_affine=affine, **kwargs)
        _act_and_drop(self, act_layer, act_kwargs, inplace, apply_act, drop_layer)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        return self.act(self.drop(x))


class LayerNormAct2d(LayerNormAct):
    """LayerNorm over the channels of an NCHW tensor, then drop and activation."""

    def __init__(self, num_channels: int, eps: float = 1e-5, affine: bool = True, **kwargs: Any):
        super().__init__(num_channels, eps=eps, affine=affine, **kwargs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.layer_norm(x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.bias, self.eps)
        return self.act(self.drop(x.permute(0, 3, 1, 2)))


# plain norm -> its fused counterpart
_FUSED: Dict[Any, Type[nn.Module]] = {
    nn.BatchNorm2d: BatchNormAct2d,
    nn.GroupNorm: GroupNormAct,
    nn.LayerNorm: LayerNormAct,
    LayerNorm: LayerNormAct,
    LayerNorm2d: LayerNormAct2d,
}
_FUSED_BY_NAME: Dict[str, Type[nn.Module]] = {
    "batchnorm": BatchNormAct2d,
    "batchnorm2d": BatchNormAct2d,
    "groupnorm": GroupNormAct,
    "groupnorm1": GroupNorm1Act,
    "layernorm": LayerNormAct,
    "layernorm2d": LayerNormAct2d,
}


def get_norm_act_layer(norm_layer: Union[str, Callable[..., nn.Module], None],
                       act_layer: ActLayer = None) -> Optional[Callable[..., nn.Module]]:
    """The fused norm+act class for a norm (name, plain class, fused class or partial of one).

    ``act_layer``, when given, is bound into the returned partial.
    """
    if norm_layer is None:
        return None
    bound: Dict[str, Any] = {}
    if isinstance(norm_layer, functools.partial):
        bound = dict(norm_layer.keywords)
        norm_layer = norm_layer.func
    if isinstance(norm_layer, str):
        key = norm_layer.lower().replace("_", "")
        if key not in _FUSED_BY_NAME:
            raise ValueError(f"unknown norm layer '{norm_layer}'; known: {', '.join(sorted(_FUSED_BY_NAME))}")
        fused = _FUSED_BY_NAME[key]
    elif norm_layer in _FUSED.values() or (isinstance(norm_layer, type) and norm_layer.__name__.endswith("Act")):
        fused = norm_layer
    elif norm_layer in _FUSED:
        fused = _FUSED[norm_layer]
    else:
        name = getattr(norm_layer, "__name__", repr(norm_layer))
        raise ValueError(f"no fused norm+activation for '{name}'; pass one of {', '.join(sorted(_FUSED_BY_NAME))}")
    if act_layer is not None:
        bound.setdefault("act_layer", act_layer)
    return functools.partial(fused, **bound) if bound else fused


def create_norm_act_layer(layer_name: Union[str, Callable[..., nn.Module]], num_features: int,
                          act_layer: ActLayer = None, apply_act: bool = True, jit: bool = False,
                          **kwargs: Any) -> nn.Module:
    """An instance of ``get_norm_act_layer(layer_name, act_layer)`` for ``num_features`` channels."""
    layer = get_norm_act_layer(layer_name, act_layer=act_layer)
    return layer(num_features, apply_act=apply_act, **kwargs)
