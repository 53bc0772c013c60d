"""``create_conv2d``: one entry point for the conv flavours model builders ask for."""
from __future__ import annotations

from typing import Any, Sequence, Union

from torch import nn

from .cond_conv2d import CondConv2d
from .conv2d_same import create_conv2d_pad
from .mixed_conv2d import MixedConv2d

__all__ = ["create_conv2d"]


def create_conv2d(in_channels: int, out_channels: int, kernel_size: Union[int, Sequence[int]], **kwargs: Any) -> nn.Module:
    """A 2d conv; ``depthwise=True`` sets ``groups=in_channels``; ``padding`` as in ``create_conv2d_pad``.

    A list of kernel sizes gives a :class:`MixedConv2d` (a depthwise one when ``groups`` equals the input
    channels); ``num_experts > 0`` gives a :class:`CondConv2d`.
    """
    depthwise = kwargs.pop("depthwise", False)
    num_experts = kwargs.pop("num_experts", 0)
    groups = in_channels if depthwise else kwargs.pop("groups", 1)
    if isinstance(kernel_size, list):
        if num_experts:
            raise ValueError("a conditional conv takes one kernel size, not a list")
        if groups not in (1, in_channels):
            raise ValueError(f"a mixed-kernel conv is dense or depthwise; groups={groups} is neither")
        return MixedConv2d(in_channels, out_channels, kernel_size, depthwise=groups == in_channels, **kwargs)
    if num_experts > 0:
        return CondConv2d(in_channels, out_channels, kernel_size, groups=groups, num_experts=num_experts, **kwargs)
    return create_conv2d_pad(in_channels, out_channels, kernel_size, groups=groups, **kwargs)
