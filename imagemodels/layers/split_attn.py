"""Split attention (ResNeSt): a grouped conv makes ``radix`` candidate maps per cardinal group, a
small bottleneck MLP on their pooled sum weighs them (softmax over the radix), and the weighted sum
is the output.

Zhang et al., "ResNeSt: Split-Attention Networks", 2020 (arXiv:2004.08955).
"""
from __future__ import annotations

from typing import Any, Callable, Optional

import torch
import torch.nn.functional as F
from torch import nn

from .helpers import make_divisible

__all__ = ["RadixSoftmax", "SplitAttn"]


class RadixSoftmax(nn.Module):
    """Softmax across the ``radix`` splits of each cardinal group; a sigmoid gate when radix is 1."""

    def __init__(self, radix: int, cardinality: int):
        super().__init__()
        self.radix = radix
        self.cardinality = cardinality

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch = x.size(0)
        if self.radix > 1:
            # channels are laid out (cardinality, radix, rest); the output is (radix, cardinality, rest)
            x = x.view(batch, self.cardinality, self.radix, -1).transpose(1, 2)
            return F.softmax(x, dim=1).reshape(batch, -1)
        return torch.sigmoid(x)


class SplitAttn(nn.Module):
    """Conv producing ``radix`` splits, then attention across the splits (the ResNeSt 3x3 conv).

    ``out_channels`` is the width after the splits are summed; the conv itself produces
    ``out_channels * radix`` channels. ``norm_layer`` / ``act_layer`` follow that conv (``bn0`` /
    ``act0``) and the attention bottleneck (``bn1`` / ``act1``).
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: Optional[int] = None,
        kernel_size: int = 3,
        stride: int = 1,
        padding: Optional[int] = None,
        dilation: int = 1,
        groups: int = 1,
        bias: bool = False,
        radix: int = 2,
        rd_ratio: float = 0.25,
        rd_channels: Optional[int] = None,
        rd_divisor: int = 8,
        act_layer: Callable[..., nn.Module] = nn.ReLU,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        drop_layer: Optional[Callable[..., nn.Module]] = None,
        device: Any = None,
        dtype: Any = None,
        **kwargs: Any,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        out_channels = out_channels or in_channels
        self.radix = radix
        mid_chs = out_channels * radix
        attn_chs = rd_channels or make_divisible(in_channels * radix * rd_ratio, min_value=32, divisor=rd_divisor)
        # the default padding ignores dilation (as the reference layer does); ResNeSt passes it explicitly
        padding = kernel_size // 2 if padding is None else padding

        self.conv = nn.Conv2d(
            in_channels, mid_chs, kernel_size, stride, padding, dilation, groups=groups * radix, bias=bias,
            **kwargs, **dd)
        self.bn0 = norm_layer(mid_chs, **dd) if norm_layer else nn.Identity()
        self.drop = drop_layer() if drop_layer is not None else nn.Identity()
        self.act0 = act_layer(inplace=True)
        self.fc1 = nn.Conv2d(out_channels, attn_chs, 1, groups=groups, **dd)
        self.bn1 = norm_layer(attn_chs, **dd) if norm_layer else nn.Identity()
        self.act1 = act_layer(inplace=True)
        self.fc2 = nn.Conv2d(attn_chs, mid_chs, 1, groups=groups, **dd)
        self.rsoftmax = RadixSoftmax(radix, groups)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act0(self.drop(self.bn0(self.conv(x))))
        batch, mid_chs, height, width = x.shape
        if self.radix > 1:
            x = x.reshape(batch, self.radix, mid_chs // self.radix, height, width)
            x_gap = x.sum(dim=1)
        else:
            x_gap = x
        x_gap = x_gap.mean((2, 3), keepdim=True)
        attn = self.fc2(self.act1(self.bn1(self.fc1(x_gap))))
        attn = self.rsoftmax(attn).view(batch, -1, 1, 1)
        if self.radix > 1:
            out = (x * attn.reshape(batch, self.radix, mid_chs // self.radix, 1, 1)).sum(dim=1)
        else:
            out = x * attn
        return out.contiguous()
