"""Activation lookup: the one place activation names become classes (or functions)."""
from __future__ import annotations

from typing import Any, Callable, Optional, Type, Union

import torch.nn.functional as F
from torch import nn

from .activations import GELUTanh, HardMish, QuickGELU, gelu, gelu_tanh, hard_mish, quick_gelu, sigmoid, tanh

__all__ = ["get_act_layer", "create_act_layer", "get_act_fn", "ActLayer"]

ActLayer = Union[str, Callable[..., nn.Module], Type[nn.Module], None]

_ACT_LAYERS = {
    "relu": nn.ReLU,
    "relu6": nn.ReLU6,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "celu": nn.CELU,
    "selu": nn.SELU,
    "prelu": nn.PReLU,
    "gelu": nn.GELU,
    "gelu_tanh": GELUTanh,
    "quick_gelu": QuickGELU,
    "silu": nn.SiLU,
    "swish": nn.SiLU,
    "mish": nn.Mish,
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "hard_sigmoid": nn.Hardsigmoid,
    "hard_swish": nn.Hardswish,
    "hard_mish": HardMish,
    "hard_tanh": nn.Hardtanh,
    "identity": nn.Identity,
}


# functional forms, for blocks that apply an activation without holding a module
_ACT_FNS = {
    "relu": F.relu,
    "relu6": F.relu6,
    "leaky_relu": F.leaky_relu,
    "elu": F.elu,
    "celu": F.celu,
    "selu": F.selu,
    "gelu": gelu,
    "gelu_tanh": gelu_tanh,
    "quick_gelu": quick_gelu,
    "silu": F.silu,
    "swish": F.silu,
    "mish": F.mish,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "hard_sigmoid": F.hardsigmoid,
    "hard_swish": F.hardswish,
    "hard_mish": hard_mish,
}


def get_act_fn(name: ActLayer = "relu") -> Optional[Callable[..., Any]]:
    """The activation function for ``name`` (each takes ``(x, inplace=False)``); callables pass
    through, ``None``/``''`` give None."""
    if not name:
        return None
    if not isinstance(name, str):
        return name
    key = name.lower()
    if key not in _ACT_FNS:
        raise ValueError(f"unknown activation function '{name}'; known: {', '.join(sorted(_ACT_FNS))}")
    return _ACT_FNS[key]


def get_act_layer(name: ActLayer = "relu") -> Optional[Callable[..., nn.Module]]:
    """The activation class for ``name``; classes and callables pass through, ``None``/``''`` give None."""
    if not name:
        return None
    if not isinstance(name, str):
        return name
    key = name.lower()
    if key not in _ACT_LAYERS:
        raise ValueError(f"unknown activation '{name}'; known: {', '.join(sorted(_ACT_LAYERS))}")
    return _ACT_LAYERS[key]


def create_act_layer(name: ActLayer, inplace: Optional[bool] = None, **kwargs: Any) -> Optional[nn.Module]:
    """An activation module for ``name``; ``inplace`` is dropped for activations that lack it."""
    act_layer = get_act_layer(name)
    if act_layer is None:
        return None
    if inplace is None:
        return act_layer(**kwargs)
    try:
        return act_layer(inplace=inplace, **kwargs)
    except TypeError:  # e.g. nn.GELU, nn.Sigmoid take no inplace argument
        return act_layer(**kwargs)
