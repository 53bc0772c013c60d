"""Global context block: attention-pooled context, then a bottleneck MLP that scales (and/or shifts)
the input channels.

Cao et al., "GCNet: Non-local Networks Meet Squeeze-Excitation Networks and Beyond", 2019 (arXiv:1904.11492).
"""
from __future__ import annotations

from typing import Any, Callable, Optional, Union

import torch
import torch.nn.functional as F
from torch import nn

from .create_act import create_act_layer, get_act_layer
from .helpers import make_divisible
from .mlp import ConvMlp
from .norm import LayerNorm2d

__all__ = ["GlobalContext"]


class GlobalContext(nn.Module):
    """``use_attn``: pool by a learned spatial softmax (else the mean); ``fuse_scale`` gates the channels
    with ``mlp_scale``, ``fuse_add`` adds ``mlp_add``'s output. The bottleneck is ``channels * rd_ratio``."""

    def __init__(
        self,
        channels: int,
        use_attn: bool = True,
        fuse_add: bool = False,
        fuse_scale: bool = True,
        init_last_zero: bool = False,
        rd_ratio: float = 1.0 / 8,
        rd_channels: Optional[int] = None,
        rd_divisor: int = 1,
        act_layer: Union[str, Callable[..., nn.Module]] = nn.ReLU,
        gate_layer: Union[str, Callable[..., nn.Module]] = "sigmoid",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        act_layer = get_act_layer(act_layer)
        self.conv_attn = nn.Conv2d(channels, 1, kernel_size=1, bias=True, **dd) if use_attn else None
        if rd_channels is None:
            rd_channels = make_divisible(channels * rd_ratio, rd_divisor, round_limit=0.0)
        mlp = lambda: ConvMlp(channels, rd_channels, act_layer=act_layer, norm_layer=LayerNorm2d, **dd)  # noqa: E731
        self.mlp_add = mlp() if fuse_add else None
        self.mlp_scale = mlp() if fuse_scale else None
        self.gate = create_act_layer(gate_layer)
        self.init_last_zero = init_last_zero
        self.reset_parameters()

    def reset_parameters(self) -> None:
        if self.conv_attn is not None:
            nn.init.kaiming_normal_(self.conv_attn.weight, mode="fan_in", nonlinearity="relu")
        if self.mlp_add is not None:
            nn.init.zeros_(self.mlp_add.fc2.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        if self.conv_attn is not None:
            attn = F.softmax(self.conv_attn(x).reshape(b, 1, h * w), dim=-1)  # (B, 1, HW)
            context = (x.reshape(b, c, h * w) @ attn.transpose(1, 2)).view(b, c, 1, 1)
        else:
            context = x.mean(dim=(2, 3), keepdim=True)
        if self.mlp_scale is not None:
            x = x * self.gate(self.mlp_scale(context))
        if self.mlp_add is not None:
            x = x + self.mlp_add(context)
        return x
