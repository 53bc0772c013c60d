"""Max pooling with TensorFlow 'SAME' padding (padded with -inf, any odd pixel on the right / bottom),
for ported TF weights such as the ViT-hybrid ResNet stems."""
from __future__ import annotations

from typing import Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from .helpers import to_2tuple
from .padding import pad_same

__all__ = ["MaxPool2dSame"]


class MaxPool2dSame(nn.MaxPool2d):
    def __init__(
        self,
        kernel_size: Union[int, Tuple[int, int]],
        stride: Union[int, Tuple[int, int], None] = None,
        padding: int = 0,
        dilation: Union[int, Tuple[int, int]] = 1,
        ceil_mode: bool = False,
    ):
        stride = kernel_size if stride is None else stride
        super().__init__(to_2tuple(kernel_size), to_2tuple(stride), (0, 0), to_2tuple(dilation), ceil_mode=ceil_mode)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = pad_same(x, self.kernel_size, self.stride, self.dilation, value=-float("inf"))
        return F.max_pool2d(x, self.kernel_size, self.stride, (0, 0), self.dilation, self.ceil_mode)
