"""Convolution with TensorFlow-style 'SAME' padding, and the helper that picks it when needed."""
from __future__ import annotations

from typing import Any, Sequence, Union

import torch
import torch.nn.functional as F
from torch import nn

from .padding import get_padding_value, pad_same

__all__ = ["Conv2dSame", "conv2d_same", "create_conv2d_pad"]


def conv2d_same(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: Sequence[int] = (1, 1),
    padding: Sequence[int] = (0, 0),
    dilation: Sequence[int] = (1, 1),
    groups: int = 1,
) -> torch.Tensor:
    x = pad_same(x, weight.shape[-2:], stride, dilation)
    return F.conv2d(x, weight, bias, stride, (0, 0), dilation, groups)


class Conv2dSame(nn.Conv2d):
    """``nn.Conv2d`` padded at run time as TensorFlow's 'SAME' does (extra pixel right/bottom).

    Ports of TensorFlow weights (``tf_`` models) need it wherever a strided conv would otherwise see
    a shifted grid.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Union[int, Sequence[int]],
        stride: Union[int, Sequence[int]] = 1,
        padding: Union[int, Sequence[int], str] = 0,
        dilation: Union[int, Sequence[int]] = 1,
        groups: int = 1,
        bias: bool = True,
        device=None,
        dtype=None,
    ):
        super().__init__(in_channels, out_channels, kernel_size, stride, 0, dilation, groups, bias,
                         device=device, dtype=dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return conv2d_same(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


def create_conv2d_pad(in_chs: int, out_chs: int, kernel_size: int, **kwargs: Any) -> nn.Conv2d:
    """A conv whose ``padding`` may be ``''``, ``'same'``, ``'valid'`` or a number; bias off by default."""
    padding = kwargs.pop("padding", "")
    kwargs.setdefault("bias", False)
    padding, dynamic = get_padding_value(padding, kernel_size, **kwargs)
    if dynamic:
        return Conv2dSame(in_chs, out_chs, kernel_size, **kwargs)
    return nn.Conv2d(in_chs, out_chs, kernel_size, padding=padding, **kwargs)
