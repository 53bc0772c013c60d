"""``create_conv2d``: one entry point for the conv flavours model builders ask for."""
from __future__ import annotations

from typing import Any, Sequence, Union

from torch import nn

from .conv2d_same import create_conv2d_pad

__all__ = ["create_conv2d"]


def create_conv2d(in_channels: int, out_channels: int, kernel_size: Union[int, Sequence[int]], **kwargs: Any) -> nn.Module:
    """A 2d conv; ``depthwise=True`` sets ``groups=in_channels``; ``padding`` as in ``create_conv2d_pad``."""
    depthwise = kwargs.pop("depthwise", False)
    groups = in_channels if depthwise else kwargs.pop("groups", 1)
    if isinstance(kernel_size, list) or kwargs.get("num_experts", 0) > 0:
        # a list of kernel sizes means a mixed-kernel conv, num_experts a conditional conv
        raise NotImplementedError("mixed-kernel and conditional convs are not available yet")
    return create_conv2d_pad(in_channels, out_channels, kernel_size, groups=groups, **kwargs)
