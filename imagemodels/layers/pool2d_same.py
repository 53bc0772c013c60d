"""Average pooling with TensorFlow-style 'SAME' padding."""
from __future__ import annotations

from typing import Sequence, Union

import torch
import torch.nn.functional as F
from torch import nn

from .helpers import to_2tuple
from .padding import pad_same

__all__ = ["AvgPool2dSame", "avg_pool2d_same"]


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
