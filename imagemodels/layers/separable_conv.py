"""Depthwise-separable conv as one module: depthwise kxk, pointwise 1x1, then a fused norm+act.

Chollet, "Xception: Deep Learning with Depthwise Separable Convolutions", 2016 (arXiv:1610.02357).
"""
from __future__ import annotations

from typing import Any, Callable, Union

import torch
from torch import nn

from .create_act import ActLayer
from .create_conv2d import create_conv2d
from .norm_act import get_norm_act_layer

__all__ = ["SeparableConvNormAct"]


class SeparableConvNormAct(nn.Module):
    """``conv_dw`` (depthwise, carries the stride) -> ``conv_pw`` (1x1) -> ``bn`` (norm + act).

    ``channel_multiplier`` widens the depthwise output before the pointwise conv. The child names
    are the checkpoint layout.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 3,
        stride: int = 1,
        dilation: int = 1,
        padding: Union[str, int] = "",
        bias: bool = False,
        channel_multiplier: float = 1.0,
        pw_kernel_size: int = 1,
        norm_layer: Union[str, Callable[..., nn.Module]] = nn.BatchNorm2d,
        act_layer: ActLayer = nn.ReLU,
        apply_act: bool = True,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        dw_channels = int(in_channels * channel_multiplier)
        self.conv_dw = create_conv2d(
            in_channels, dw_channels, kernel_size, stride=stride, dilation=dilation, padding=padding,
            depthwise=True, bias=bias, **dd)
        self.conv_pw = create_conv2d(dw_channels, out_channels, pw_kernel_size, padding=padding, bias=bias, **dd)
        self.bn = get_norm_act_layer(norm_layer, act_layer)(out_channels, apply_act=apply_act, **dd)

    @property
    def in_channels(self) -> int:
        return self.conv_dw.in_channels

    @property
    def out_channels(self) -> int:
        return self.conv_pw.out_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn(self.conv_pw(self.conv_dw(x)))
