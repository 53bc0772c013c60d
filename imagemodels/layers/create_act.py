"""Activation lookup: the one place activation names become classes."""
from __future__ import annotations

import functools
from typing import Any, Callable, Optional, Type, Union

from torch import nn

__all__ = ["get_act_layer", "create_act_layer", "ActLayer"]

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
    "gelu_tanh": functools.partial(nn.GELU, approximate="tanh"),
    "silu": nn.SiLU,
    "swish": nn.SiLU,
    "mish": nn.Mish,
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "hard_sigmoid": nn.Hardsigmoid,
    "hard_swish": nn.Hardswish,
    "hard_tanh": nn.Hardtanh,
    "identity": nn.Identity,
}


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
