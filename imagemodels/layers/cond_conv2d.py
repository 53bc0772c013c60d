"""Conditionally parameterized convolution: a per-example mix of ``num_experts`` kernels.

Yang et al., "CondConv: Conditionally Parameterized Convolutions for Efficient Inference", 2019
(arXiv:1904.04971). The expert kernels are stored flattened, one row per expert,
``weight: (num_experts, out * in / groups * kh * kw)`` (the layout of the published checkpoints).
"""
from __future__ import annotations

import math
from typing import Any, Sequence, Union

import torch
import torch.nn.functional as F
from torch import nn

from .conv2d_same import conv2d_same
from .helpers import to_2tuple
from .padding import get_padding_value

__all__ = ["CondConv2d"]


class CondConv2d(nn.Module):
    """``forward(x, routing_weights)``: ``routing_weights`` (B, num_experts) mixes the experts per example."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Union[int, Sequence[int]] = 3,
        stride: int = 1,
        padding: Union[str, int] = "",
        dilation: int = 1,
        groups: int = 1,
        bias: bool = False,
        num_experts: int = 4,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = to_2tuple(kernel_size)
        self.stride = to_2tuple(stride)
        pad, dynamic = get_padding_value(padding, kernel_size, stride=stride, dilation=dilation)
        self.dynamic_padding = dynamic
        self.padding = to_2tuple(pad)
        self.dilation = to_2tuple(dilation)
        self.groups = groups
        self.num_experts = num_experts
        self.weight_shape = (out_channels, in_channels // groups) + self.kernel_size
        dd = dict(device=device, dtype=dtype)
        self.weight = nn.Parameter(torch.empty(num_experts, math.prod(self.weight_shape), **dd))
        self.bias = nn.Parameter(torch.empty(num_experts, out_channels, **dd)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        # each expert initialised like an ordinary conv of the same shape
        fan_in = math.prod(self.weight_shape[1:])
        bound = 1 / math.sqrt(fan_in)
        for expert in self.weight.data.view(self.num_experts, *self.weight_shape):
            nn.init.kaiming_uniform_(expert, a=math.sqrt(5))
        if self.bias is not None:
            nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x: torch.Tensor, routing_weights: torch.Tensor) -> torch.Tensor:
        batch, chs, height, width = x.shape
        # (B, E) @ (E, params): one mixed kernel per example, run as a grouped conv over the batch
        weight = (routing_weights @ self.weight).view(batch * self.out_channels, *self.weight_shape[1:])
        bias = (routing_weights @ self.bias).view(-1) if self.bias is not None else None
        x = x.reshape(1, batch * chs, height, width)
        if self.dynamic_padding:
            out = conv2d_same(x, weight, bias, self.stride, self.padding, self.dilation, self.groups * batch)
        else:
            out = F.conv2d(x, weight, bias, self.stride, self.padding, self.dilation, self.groups * batch)
        return out.view(batch, self.out_channels, out.shape[-2], out.shape[-1])
