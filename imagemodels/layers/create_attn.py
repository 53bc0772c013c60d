"""Channel-attention lookup: attention names (or classes) to the module a block should build."""
from __future__ import annotations

import functools
from typing import Any, Callable, Optional, Type, Union

from torch import nn

from .eca import CecaModule, EcaModule
from .squeeze_excite import EffectiveSEModule, SEModule

__all__ = ["get_attn", "create_attn"]

_ATTN_LAYERS = {
    "se": SEModule,
    "ese": EffectiveSEModule,
    "eca": EcaModule,
    "ecam": functools.partial(EcaModule, use_mlp=True),
    "ceca": CecaModule,
}

AttnLayer = Union[str, bool, Callable[..., nn.Module], Type[nn.Module], None]


def get_attn(attn_type: AttnLayer) -> Optional[Callable[..., nn.Module]]:
    """The attention class for a name; ``True`` means squeeze-excite, ``None``/``False``/``''`` none."""
    if attn_type is None or attn_type is False or attn_type == "":
        return None
    if attn_type is True:
        return SEModule
    if isinstance(attn_type, str):
        key = attn_type.lower()
        if key not in _ATTN_LAYERS:
            raise ValueError(f"unknown attention '{attn_type}'; known: {', '.join(sorted(_ATTN_LAYERS))}, or pass a module class")
        return _ATTN_LAYERS[key]
    return attn_type


def create_attn(attn_type: AttnLayer, channels: int, **kwargs: Any) -> Optional[nn.Module]:
    """Build the attention module for ``channels`` channels, or None when ``attn_type`` is empty."""
    module_cls = get_attn(attn_type)
    return module_cls(channels, **kwargs) if module_cls is not None else None
