"""Average and max pooling with TensorFlow-style 'SAME' padding, and ``create_pool2d`` that picks the
static or the run-time padded pool for a padding spec."""
from __future__ import annotations

from typing import Sequence, Union

import torch
import torch.nn.functional as F
from torch import nn

from .helpers import to_2tuple
from .padding import get_padding_value, pad_same

__all__ = ["AvgPool2dSame", "avg_pool2d_same", "MaxPool2dSame", "max_pool2d_same", "create_pool2d"]


def avg_pool2d_same(
    x: torch.Tensor,
    kernel_size: Sequence[int],
    stride: Sequence[int],
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> torch.Tensor:
    # the padded zeros are part of the input after pad_same, so they always count in the average
    x = pad_same(x, kernel_size, stride)
    return F.avg_pool2d(x, kernel_size, stride, (0, 0), ceil_mode, count_include_pad)


class AvgPool2dSame(nn.AvgPool2d):
    """``nn.AvgPool2d`` whose output size is ``ceil(input / stride)`` for any input size.

    A dilated ResNet stage with ``avg_down`` uses a 2x2 stride-1 pool here, which needs this
    asymmetric padding to keep the spatial size.
    """

    def __init__(
        self,
        kernel_size: Union[int, Sequence[int]],
        stride: Union[int, Sequence[int], None] = None,
        padding: int = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ):
        kernel_size = to_2tuple(kernel_size)
        stride = to_2tuple(stride if stride is not None else kernel_size)
        super().__init__(kernel_size, stride, (0, 0), ceil_mode, count_include_pad)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return avg_pool2d_same(x, self.kernel_size, self.stride, self.ceil_mode, self.count_include_pad)


def max_pool2d_same(
    x: torch.Tensor,
    kernel_size: Sequence[int],
    stride: Sequence[int],
    padding: Sequence[int] = (0, 0),
    dilation: Sequence[int] = (1, 1),
    ceil_mode: bool = False,
) -> torch.Tensor:
    # pad with -inf so the padding never wins the max (TensorFlow ignores padded cells)
    x = pad_same(x, kernel_size, stride, value=-float("inf"))
    return F.max_pool2d(x, kernel_size, stride, (0, 0), dilation, ceil_mode)


class MaxPool2dSame(nn.MaxPool2d):
    """``nn.MaxPool2d`` padded at run time as TensorFlow's 'SAME' (output ``ceil(input / stride)``),
    for TF-ported weights whose strided pools see the extra pixel on the right / bottom."""

    def __init__(
        self,
        kernel_size: Union[int, Sequence[int]],
        stride: Union[int, Sequence[int], None] = None,
        padding: int = 0,
        dilation: Union[int, Sequence[int]] = 1,
        ceil_mode: bool = False,
    ):
        kernel_size = to_2tuple(kernel_size)
        stride = to_2tuple(stride if stride is not None else kernel_size)
        dilation = to_2tuple(dilation)
        super().__init__(kernel_size, stride, (0, 0), dilation, ceil_mode)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return max_pool2d_same(x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode)


def create_pool2d(pool_type: str, kernel_size: int, stride: Union[int, None] = None, **kwargs) -> nn.Module:
    """An 'avg' or 'max' pool; ``padding`` may be ``''`` (symmetric), ``'same'``, ``'valid'`` or a number.

    'same' gives a plain pool when the padding does not depend on the input size (stride 1), else the
    run-time padded ``AvgPool2dSame`` / ``MaxPool2dSame``. Other keywords go to the pool.
    """
    stride = stride or kernel_size
    padding = kwargs.pop("padding", "")
    padding, dynamic = get_padding_value(padding, kernel_size, stride=stride, **kwargs)
    if pool_type == "avg":
        if dynamic:
            return AvgPool2dSame(kernel_size, stride=stride, **kwargs)
        return nn.AvgPool2d(kernel_size, stride=stride, padding=padding, **kwargs)
    if pool_type == "max":
        if dynamic:
            return MaxPool2dSame(kernel_size, stride=stride, **kwargs)
        return nn.MaxPool2d(kernel_size, stride=stride, padding=padding, **kwargs)
    raise ValueError(f"pool_type must be 'avg' or 'max', got {pool_type!r}")
