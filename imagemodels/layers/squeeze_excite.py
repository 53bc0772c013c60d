"""Squeeze-and-Excitation channel attention.

Hu et al., "Squeeze-and-Excitation Networks", 2017 (arXiv:1709.01507).
"""
from __future__ import annotations

from typing import Any, Callable, Optional, Type, Union

import torch
from torch import nn

from .create_act import create_act_layer
from .helpers import factory_kwargs, make_divisible

__all__ = ["SEModule", "SqueezeExcite", "EffectiveSEModule", "EffectiveSqueezeExcite"]


class SEModule(nn.Module):
    """Pool to a channel vector, squeeze it through a bottleneck of 1x1 convs, gate the input with it.

    The bottleneck width is ``rd_channels`` or ``channels * rd_ratio`` rounded to ``rd_divisor``.
    """

    def __init__(
        self,
        channels: int,
        rd_ratio: float = 1.0 / 16,
        rd_channels: Optional[int] = None,
        rd_divisor: int = 8,
        add_maxpool: bool = False,
        bias: bool = True,
        act_layer: Type[nn.Module] = nn.ReLU,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        gate_layer: Union[str, Type[nn.Module]] = "sigmoid",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.add_maxpool = add_maxpool
        if not rd_channels:
            # round_limit=0: never bump up, the published SE widths are plain rounding
            rd_channels = make_divisible(channels * rd_ratio, rd_divisor, round_limit=0.0)
        self.fc1 = nn.Conv2d(channels, rd_channels, kernel_size=1, bias=bias, **dd)
        self.bn = norm_layer(rd_channels, **dd) if norm_layer else nn.Identity()
        self.act = create_act_layer(act_layer, inplace=True)
        self.fc2 = nn.Conv2d(rd_channels, channels, kernel_size=1, bias=bias, **dd)
        self.gate = create_act_layer(gate_layer)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x_se = x.mean((2, 3), keepdim=True)
        if self.add_maxpool:
            x_se = 0.5 * x_se + 0.5 * x.amax((2, 3), keepdim=True)
        x_se = self.fc2(self.act(self.bn(self.fc1(x_se))))
        return x * self.gate(x_se)


SqueezeExcite = SEModule


class EffectiveSEModule(nn.Module):
    """'Effective' SE: a single full-width 1x1 conv, no bottleneck, hard-sigmoid gate.

    Lee & Park, "CenterMask: Real-Time Anchor-Free Instance Segmentation", 2019 (arXiv:1911.06667).
    """

    def __init__(
        self,
        channels: int,
        add_maxpool: bool = False,
        gate_layer: Union[str, Type[nn.Module]] = "hard_sigmoid",
        device: Any = None,
        dtype: Any = None,
        **_: Any,
    ):
        super().__init__()
        self.add_maxpool = add_maxpool
        self.fc = nn.Conv2d(channels, channels, kernel_size=1, padding=0, **factory_kwargs(device, dtype))
        self.gate = create_act_layer(gate_layer)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x_se = x.mean((2, 3), keepdim=True)
        if self.add_maxpool:
            x_se = 0.5 * x_se + 0.5 * x.amax((2, 3), keepdim=True)
        return x * self.gate(self.fc(x_se))


EffectiveSqueezeExcite = EffectiveSEModule
