"""Mixed depthwise convolution: the channels split into groups, each convolved with its own kernel size.

Tan & Le, "MixConv: Mixed Depthwise Convolutional Kernels", 2019 (arXiv:1907.09595).
"""
from __future__ import annotations

from typing import Any, List, Sequence, Union

import torch
from torch import nn

from .conv2d_same import create_conv2d_pad

__all__ = ["MixedConv2d"]


def _split_channels(num_chs: int, num_groups: int) -> List[int]:
    """Equal parts; the first part takes the remainder (the published checkpoints split this way)."""
    split = [num_chs // num_groups] * num_groups
    split[0] += num_chs - sum(split)
    return split


class MixedConv2d(nn.ModuleDict):
    """One conv per kernel size in ``kernel_size``, each over its slice of the channels, outputs concatenated.

    Children are named ``'0'``, ``'1'``, ... in kernel order (the checkpoint layout). ``depthwise`` makes
    every part depthwise over its own slice.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Union[int, Sequence[int]] = 3,
        stride: int = 1,
        padding: Union[str, int] = "",
        dilation: int = 1,
        depthwise: bool = False,
        **kwargs: Any,
    ):
        super().__init__()
        kernels = list(kernel_size) if isinstance(kernel_size, (list, tuple)) else [kernel_size]
        in_splits = _split_channels(in_channels, len(kernels))
        out_splits = _split_channels(out_channels, len(kernels))
        for idx, (k, in_ch, out_ch) in enumerate(zip(kernels, in_splits, out_splits)):
            self.add_module(str(idx), create_conv2d_pad(
                in_ch, out_ch, k, stride=stride, padding=padding, dilation=dilation,
                groups=in_ch if depthwise else 1, **kwargs))
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.splits = in_splits

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        parts = torch.split(x, self.splits, 1)
        return torch.cat([conv(part) for part, conv in zip(parts, self.values())], 1)
