"""Depthwise-separable convolution: a per-channel (depthwise) spatial conv, then a 1x1 (pointwise) conv
that mixes channels (Chollet, "Xception", arXiv:1610.02357). Costs about ``1/out + 1/k^2`` of a full conv."""
from __future__ import annotations

from typing import Any, Callable, Optional, Union

import torch
from torch import nn

from .create_act import ActLayer
from .create_conv2d import create_conv2d
from .norm_act import get_norm_act_layer

__all__ = ["SeparableConv2d", "SeparableConvNormAct"]


class SeparableConv2d(nn.Module):
    """``conv_dw`` (depthwise k x k, ``channel_multiplier`` filters per input channel) then ``conv_pw`` (1x1).

    ``padding`` is ``''`` (symmetric), ``'same'`` (TensorFlow's) or ``'valid'``, as in ``create_conv2d``.
    """

    def __init__(
        self, in_channels: int, out_channels: int, kernel_size: int = 3, stride: int = 1, dilation: int = 1,
        padding: Union[str, int] = "", bias: bool = False, channel_multiplier: float = 1.0, pw_kernel_size: int = 1,
        device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        mid = int(in_channels * channel_multiplier)
        self.conv_dw = create_conv2d(in_channels, mid, kernel_size, stride=stride, dilation=dilation,
                                     padding=padding, depthwise=True, **dd)
        self.conv_pw = create_conv2d(mid, out_channels, pw_kernel_size, padding=padding, bias=bias, **dd)

    @property
    def in_channels(self) -> int:
        return self.conv_dw.in_channels

    @property
    def out_channels(self) -> int:
        return self.conv_pw.out_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv_pw(self.conv_dw(x))


class SeparableConvNormAct(SeparableConv2d):
    """:class:`SeparableConv2d` followed by a fused norm + activation ``bn``."""

    def __init__(
        self, in_channels: int, out_channels: int, kernel_size: int = 3, stride: int = 1, dilation: int = 1,
        padding: Union[str, int] = "", bias: bool = False, channel_multiplier: float = 1.0, pw_kernel_size: int = 1,
        norm_layer: Union[str, Callable[..., nn.Module]] = nn.BatchNorm2d, act_layer: ActLayer = nn.ReLU,
        apply_act: bool = True, drop_layer: Optional[Callable[[], nn.Module]] = None,
        device: Any = None, dtype: Any = None,
    ):
        super().__init__(in_channels, out_channels, kernel_size, stride, dilation, padding, bias, channel_multiplier,
                         pw_kernel_size, device=device, dtype=dtype)
        norm_act = get_norm_act_layer(norm_layer, act_layer)
        extra = dict(drop_layer=drop_layer) if drop_layer is not None else {}
        self.bn = norm_act(out_channels, apply_act=apply_act, **extra, device=device, dtype=dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn(self.conv_pw(self.conv_dw(x)))
