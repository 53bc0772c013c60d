"""Self-attention layers by name, for blocks that swap a conv for attention (BoTNet, HaloNet,
LambdaNet and their hybrids). Every layer takes ``(dim, dim_out=None, feat_size=None, stride=1, ...)``."""
from __future__ import annotations

from typing import Any, Callable, Dict

from torch import nn

from .bottleneck_attn import BottleneckAttn
from .halo_attn import HaloAttn
from .lambda_layer import LambdaLayer

__all__ = ["SELF_ATTN_LAYERS", "create_self_attn", "get_self_attn_layer"]

SELF_ATTN_LAYERS: Dict[str, Callable[..., nn.Module]] = {
    "bottleneck": BottleneckAttn,
    "halo": HaloAttn,
    "lambda": LambdaLayer,
}


def get_self_attn_layer(name: Any) -> Callable[..., nn.Module]:
    """The class for ``name`` ('bottleneck', 'halo', 'lambda'); a class or callable passes through."""
    if callable(name):
        return name
    if not isinstance(name, str) or name not in SELF_ATTN_LAYERS:
        raise ValueError(f"unknown self-attention layer {name!r}; use one of {sorted(SELF_ATTN_LAYERS)} "
                         f"or pass a layer class")
    return SELF_ATTN_LAYERS[name]


def create_self_attn(name: Any, dim: int, **kwargs: Any) -> nn.Module:
    return get_self_attn_layer(name)(dim, **kwargs)
