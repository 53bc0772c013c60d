"""Efficient Channel Attention: a 1D conv across the pooled channel vector instead of an MLP.

Wang et al., "ECA-Net: Efficient Channel Attention for Deep Convolutional Neural Networks",
2019 (arXiv:1910.03151). The circular variant (CECA) pads the channel vector circularly so the
first and last channels see each other.
"""
from __future__ import annotations

import math
from typing import Any, Optional, Type, Union

import torch
import torch.nn.functional as F
from torch import nn

from .create_act import create_act_layer
from .helpers import factory_kwargs, make_divisible

__all__ = ["EcaModule", "CecaModule", "EfficientChannelAttn", "CircularEfficientChannelAttn", "eca_kernel_size"]


def eca_kernel_size(channels: int, gamma: float = 2, beta: float = 1) -> int:
    """The paper's adaptive kernel size: the odd number nearest ``(log2(C) + beta) / gamma``, at least 3."""
    t = int(abs(math.log(channels, 2) + beta) / gamma)
    return max(t if t % 2 else t + 1, 3)


class EcaModule(nn.Module):
    """ECA gate. ``channels`` (when given) sets the kernel size; ``use_mlp`` puts a small
    channel-wise MLP (1 -> rd_channels -> 1) in front of the gate."""

    def __init__(
        self,
        channels: Optional[int] = None,
        kernel_size: int = 3,
        gamma: float = 2,
        beta: float = 1,
        act_layer: Optional[Type[nn.Module]] = None,
        gate_layer: Union[str, Type[nn.Module]] = "sigmoid",
        rd_ratio: float = 1 / 8,
        rd_channels: Optional[int] = None,
        rd_divisor: int = 8,
        use_mlp: bool = False,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if channels is not None:
            kernel_size = eca_kernel_size(channels, gamma, beta)
        if kernel_size % 2 != 1:
            raise ValueError(f"ECA kernel_size must be odd to keep the channel count, got {kernel_size}")
        padding = (kernel_size - 1) // 2
        if use_mlp:
            if channels is None:
                raise ValueError("EcaModule(use_mlp=True) needs channels to size its MLP")
            if rd_channels is None:
                rd_channels = make_divisible(channels * rd_ratio, divisor=rd_divisor)
            act_layer = act_layer or nn.ReLU
            self.conv = nn.Conv1d(1, rd_channels, kernel_size=1, padding=0, bias=True, **dd)
            self.act = create_act_layer(act_layer)
            self.conv2 = nn.Conv1d(rd_channels, 1, kernel_size=kernel_size, padding=padding, bias=True, **dd)
        else:
            self.conv = nn.Conv1d(1, 1, kernel_size=kernel_size, padding=padding, bias=False, **dd)
            self.act = None
            self.conv2 = None
        self.gate = create_act_layer(gate_layer)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = x.mean((2, 3)).view(x.shape[0], 1, -1)  # (N, 1, C): channels become the 1D sequence
        y = self.conv(y)
        if self.conv2 is not None:
            y = self.conv2(self.act(y))
        y = self.gate(y).view(x.shape[0], -1, 1, 1)
        return x * y.expand_as(x)


class CecaModule(nn.Module):
    """ECA with circular padding of the channel vector (no zero padding at its ends)."""

    def __init__(
        self,
        channels: Optional[int] = None,
        kernel_size: int = 3,
        gamma: float = 2,
        beta: float = 1,
        act_layer: Optional[nn.Module] = None,
        gate_layer: Union[str, Type[nn.Module]] = "sigmoid",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        if channels is not None:
            kernel_size = eca_kernel_size(channels, gamma, beta)
        if kernel_size % 2 != 1:
            raise ValueError(f"CECA kernel_size must be odd to keep the channel count, got {kernel_size}")
        has_act = act_layer is not None
        self.padding = (kernel_size - 1) // 2
        # the circular pad is done by hand in forward; the conv itself pads nothing
        self.conv = nn.Conv1d(1, 1, kernel_size=kernel_size, padding=0, bias=has_act, **factory_kwargs(device, dtype))
        self.gate = create_act_layer(gate_layer)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = x.mean((2, 3)).view(x.shape[0], 1, -1)
        y = F.pad(y, (self.padding, self.padding), mode="circular")
        y = self.gate(self.conv(y)).view(x.shape[0], -1, 1, 1)
        return x * y.expand_as(x)


EfficientChannelAttn = EcaModule
CircularEfficientChannelAttn = CecaModule
