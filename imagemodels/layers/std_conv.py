"""Weight-standardised convolutions: each output filter's weights are normalised to zero mean and unit
variance before the conv. ``StdConv2d`` is BiT's conv (used with GroupNorm); ``ScaledStdConv2d``
adds NFNets' fan-in scaling, a nonlinearity-dependent ``gamma`` and a learned per-filter gain, so a
network without normalisation layers keeps unit-variance activations.

Papers:

* Qiao et al., "Micro-Batch Training with Batch-Channel Normalization and Weight Standardization",
  2019 (arXiv:1903.10520)
* Kolesnikov et al., "Big Transfer (BiT): General Visual Representation Learning", 2019 (arXiv:1912.11370)
* Brock et al., "Characterizing signal propagation to close the performance gap in unnormalized
  ResNets", 2021 (arXiv:2101.08692); "High-Performance Large-Scale Image Recognition Without
  Normalization", 2021 (arXiv:2102.06171)

The ``*Same`` variants pad like TensorFlow's 'SAME' (input-size dependent) for ported TF weights.
"""
from __future__ import annotations

from typing import Any, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from .padding import get_padding, get_padding_value, pad_same

__all__ = ["StdConv2d", "StdConv2dSame", "ScaledStdConv2d", "ScaledStdConv2dSame"]

IntPair = Union[int, Tuple[int, int]]


def _standardize(weight: torch.Tensor, eps: float, scale: Optional[torch.Tensor] = None) -> torch.Tensor:
    """(w - mean) / sqrt(var + eps) per output filter (biased variance), times ``scale`` if given.

    ``batch_norm`` in training mode over a (1, out, fan_in) view computes exactly this in one kernel.
    """
    out = F.batch_norm(
        weight.reshape(1, weight.shape[0], -1), None, None, weight=scale, training=True, momentum=0.0, eps=eps)
    return out.reshape_as(weight)


class StdConv2d(nn.Conv2d):
    """Conv2d with weight standardisation (BiT); symmetric padding by default."""

    def __init__(
        self,
        in_channel: int,
        out_channels: int,
        kernel_size: IntPair,
        stride: IntPair = 1,
        padding: Optional[IntPair] = None,
        dilation: IntPair = 1,
        groups: int = 1,
        bias: bool = False,
        eps: float = 1e-6,
        device: Any = None,
        dtype: Any = None,
    ):
        if padding is None:
            padding = get_padding(kernel_size, stride, dilation)
        super().__init__(in_channel, out_channels, kernel_size, stride=stride, padding=padding, dilation=dilation,
                         groups=groups, bias=bias, device=device, dtype=dtype)
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weight = _standardize(self.weight, self.eps)
        return F.conv2d(x, weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


class StdConv2dSame(nn.Conv2d):
    """StdConv2d with TensorFlow 'SAME' padding (dynamic where it depends on the input size)."""

    def __init__(
        self,
        in_channel: int,
        out_channels: int,
        kernel_size: IntPair,
        stride: IntPair = 1,
        padding: str = "SAME",
        dilation: IntPair = 1,
        groups: int = 1,
        bias: bool = False,
        eps: float = 1e-6,
        device: Any = None,
        dtype: Any = None,
    ):
        padding, is_dynamic = get_padding_value(padding, kernel_size, stride=stride, dilation=dilation)
        super().__init__(in_channel, out_channels, kernel_size, stride=stride, padding=padding, dilation=dilation,
                         groups=groups, bias=bias, device=device, dtype=dtype)
        self.same_pad = is_dynamic
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.same_pad:
            x = pad_same(x, self.kernel_size, self.stride, self.dilation)
        weight = _standardize(self.weight, self.eps)
        return F.conv2d(x, weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


class ScaledStdConv2d(nn.Conv2d):
    """Scaled weight standardisation (NF-ResNet / NFNet): standardised weights times
    ``gain * gamma / sqrt(fan_in)``. ``gamma`` undoes the variance change of the activation that
    follows (see ``nfnet.py``); ``gain`` is learned per filter."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntPair,
        stride: IntPair = 1,
        padding: Union[IntPair, str, None] = None,
        dilation: IntPair = 1,
        groups: int = 1,
        bias: bool = True,
        gamma: float = 1.0,
        eps: float = 1e-6,
        gain_init: float = 1.0,
        device: Any = None,
        dtype: Any = None,
    ):
        if padding is None:
            padding = get_padding(kernel_size, stride, dilation)
        super().__init__(in_channels, out_channels, kernel_size, stride=stride, padding=padding, dilation=dilation,
                         groups=groups, bias=bias, device=device, dtype=dtype)
        self.gain = nn.Parameter(torch.full((out_channels, 1, 1, 1), gain_init, device=device, dtype=dtype))
        self.scale = gamma * self.weight[0].numel() ** -0.5  # gamma / sqrt(fan_in)
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weight = _standardize(self.weight, self.eps, (self.gain * self.scale).view(-1))
        return F.conv2d(x, weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


class ScaledStdConv2dSame(nn.Conv2d):
    """ScaledStdConv2d with TensorFlow 'SAME' padding (for DeepMind's ported NFNet weights)."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntPair,
        stride: IntPair = 1,
        padding: str = "SAME",
        dilation: IntPair = 1,
        groups: int = 1,
        bias: bool = True,
        gamma: float = 1.0,
        eps: float = 1e-6,
        gain_init: float = 1.0,
        device: Any = None,
        dtype: Any = None,
    ):
        padding, is_dynamic = get_padding_value(padding, kernel_size, stride=stride, dilation=dilation)
        super().__init__(in_channels, out_channels, kernel_size, stride=stride, padding=padding, dilation=dilation,
                         groups=groups, bias=bias, device=device, dtype=dtype)
        self.gain = nn.Parameter(torch.full((out_channels, 1, 1, 1), gain_init, device=device, dtype=dtype))
        self.scale = gamma * self.weight[0].numel() ** -0.5
        self.same_pad = is_dynamic
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.same_pad:
            x = pad_same(x, self.kernel_size, self.stride, self.dilation)
        weight = _standardize(self.weight, self.eps, (self.gain * self.scale).view(-1))
        return F.conv2d(x, weight, self.bias, self.stride, self.padding, self.dilation, self.groups)
