"""Gather-Excite channel attention.

Hu et al., "Gather-Excite: Exploiting Feature Context in Convolutional Neural Networks", NeurIPS 2018
(arXiv:1810.12348). *Gather* pools context over an ``extent`` (0: the whole map) with a parameter-free
average pool or, with ``extra_params``, strided depthwise convs; *excite* (an optional MLP) turns it into
a gate that is resized back to the map and multiplies it.
"""
from __future__ import annotations

import math
from typing import Optional, Tuple, Type, Union

import torch
import torch.nn.functional as F
from torch import nn

from .create_act import create_act_layer, get_act_layer
from .create_conv2d import create_conv2d
from .helpers import factory_kwargs, make_divisible
from .mlp import ConvMlp

__all__ = ["GatherExcite"]


class GatherExcite(nn.Module):
    """Gather-Excite: gather context, excite a gate, multiply.

    ``extra_params`` with ``extent=0`` gathers with one depthwise conv over the full ``feat_size``; with
    ``extent`` = 2^k, with k stride-2 depthwise 3x3 conv + norm stages. Without it, ``extent`` > 0 is an
    average pool of kernel ``2 * extent - 1`` and stride ``extent`` (``add_maxpool`` averages in a max pool).
    ``use_mlp`` excites through a 1x1-conv bottleneck of ``rd_channels`` (default ``channels * rd_ratio``).
    """

    def __init__(
        self,
        channels: int,
        feat_size: Optional[Tuple[int, int]] = None,
        extra_params: bool = False,
        extent: int = 0,
        use_mlp: bool = True,
        rd_ratio: float = 1.0 / 16,
        rd_channels: Optional[int] = None,
        rd_divisor: int = 1,
        add_maxpool: bool = False,
        act_layer: Type[nn.Module] = nn.ReLU,
        norm_layer: Type[nn.Module] = nn.BatchNorm2d,
        gate_layer: Union[str, Type[nn.Module]] = "sigmoid",
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.add_maxpool = add_maxpool
        act_layer = get_act_layer(act_layer)
        self.extent = extent
        if extra_params:
            self.gather = self._conv_gather(channels, feat_size, extent, act_layer, norm_layer, dd)
        else:
            self.gather = None
            if extent:
                if extent % 2:
                    raise ValueError(f"GatherExcite needs an even extent (or 0 for global context), got {extent}")
                self.gk = 2 * extent - 1
                self.gs = extent
        if not rd_channels:
            rd_channels = make_divisible(channels * rd_ratio, rd_divisor, round_limit=0.0)
        self.mlp = ConvMlp(channels, rd_channels, act_layer=act_layer, **dd) if use_mlp else nn.Identity()
        self.gate = create_act_layer(gate_layer)

    @staticmethod
    def _conv_gather(channels, feat_size, extent, act_layer, norm_layer, dd) -> nn.Sequential:
        gather = nn.Sequential()
        if extent == 0:
            if feat_size is None:
                raise ValueError("GatherExcite with extra_params and extent=0 needs feat_size (the map's H, W)")
            gather.add_module("conv1", create_conv2d(channels, channels, kernel_size=feat_size, stride=1,
                                                     depthwise=True, **dd))
            if norm_layer:
                gather.add_module("norm1", norm_layer(channels, **dd))
            return gather
        if extent & (extent - 1):
            raise ValueError(f"GatherExcite with extra_params needs extent 0 or a power of 2, got {extent}")
        num_conv = int(math.log2(extent))
        for i in range(num_conv):
            gather.add_module(f"conv{i + 1}", create_conv2d(channels, channels, kernel_size=3, stride=2,
                                                            depthwise=True, **dd))
            if norm_layer:
                gather.add_module(f"norm{i + 1}", norm_layer(channels, **dd))
            if i != num_conv - 1:
                gather.add_module(f"act{i + 1}", act_layer(inplace=True))
        return gather

    def _gather(self, x: torch.Tensor) -> torch.Tensor:
        if self.gather is not None:
            return self.gather(x)
        if self.extent == 0:
            x_ge = x.mean(dim=(2, 3), keepdim=True)
            if self.add_maxpool:
                x_ge = 0.5 * x_ge + 0.5 * x.amax((2, 3), keepdim=True)
            return x_ge
        x_ge = F.avg_pool2d(x, kernel_size=self.gk, stride=self.gs, padding=self.gk // 2, count_include_pad=False)
        if self.add_maxpool:
            x_ge = 0.5 * x_ge + 0.5 * F.max_pool2d(x, kernel_size=self.gk, stride=self.gs, padding=self.gk // 2)
        return x_ge

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        size = x.shape[-2:]
        x_ge = self.mlp(self._gather(x))
        if x_ge.shape[-1] != 1 or x_ge.shape[-2] != 1:
            x_ge = F.interpolate(x_ge, size=size)  # nearest: each position takes its region's gate
        return x * self.gate(x_ge)
