"""Global Response Normalization (GRN) and the MLP that carries it (ConvNeXt V2).

Woo et al., "ConvNeXt V2: Co-designing and Scaling ConvNets with Masked Autoencoders", 2023
(arXiv:2301.00808). GRN makes channels compete: each channel's spatial L2 norm is divided by the
mean of those norms over the channels, and the input is rescaled by that ratio. ``weight``
(gamma) and ``bias`` (beta) start at zero, so a fresh GRN is the identity.
"""
from __future__ import annotations

from typing import Callable, Optional, Tuple, Union

import torch
from torch import nn

from .helpers import to_2tuple

__all__ = ["GlobalResponseNorm", "GlobalResponseNormMlp"]


class GlobalResponseNorm(nn.Module):
    """``x + weight * (x * N(x)) + bias`` with ``N(x) = |x|_HW / (mean_C |x|_HW + eps)``.

    ``channels_last``: the input is NHWC (the default, as in the linear-MLP block); else NCHW.
    """

    def __init__(self, dim: int, eps: float = 1e-6, channels_last: bool = True, device=None, dtype=None):
        super().__init__()
        self.eps = eps
        # the dims to reduce over: spatial for the L2 norm, channel for the mean of those norms
        self.spatial_dims, self.channel_dim = ((1, 2), -1) if channels_last else ((2, 3), 1)
        self.param_shape = (dim,) if channels_last else (1, dim, 1, 1)
        self.weight = nn.Parameter(torch.zeros(dim, device=device, dtype=dtype))
        self.bias = nn.Parameter(torch.zeros(dim, device=device, dtype=dtype))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gx = x.norm(p=2, dim=self.spatial_dims, keepdim=True)
        nx = gx / (gx.mean(dim=self.channel_dim, keepdim=True) + self.eps)
        weight, bias = self.weight.view(self.param_shape), self.bias.view(self.param_shape)
        return x + torch.addcmul(bias, weight, x * nx)


class GlobalResponseNormMlp(nn.Module):
    """fc1 -> act -> drop -> GRN -> fc2 -> drop. ``use_conv``: 1x1 convs on NCHW, else linears on NHWC."""

    def __init__(
        self,
        in_features: int,
        hidden_features: Optional[int] = None,
        out_features: Optional[int] = None,
        act_layer: Callable[..., nn.Module] = nn.GELU,
        bias: Union[bool, Tuple[bool, bool]] = True,
        drop: Union[float, Tuple[float, float]] = 0.0,
        use_conv: bool = False,
        device=None,
        dtype=None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        out_features = out_features or in_features
        hidden_features = hidden_features or in_features
        bias, drop = to_2tuple(bias), to_2tuple(drop)
        linear = (lambda i, o, **kw: nn.Conv2d(i, o, kernel_size=1, **kw)) if use_conv else nn.Linear
        self.fc1 = linear(in_features, hidden_features, bias=bias[0], **dd)
        self.act = act_layer()
        self.drop1 = nn.Dropout(drop[0])
        self.grn = GlobalResponseNorm(hidden_features, channels_last=not use_conv, **dd)
        self.fc2 = linear(hidden_features, out_features, bias=bias[1], **dd)
        self.drop2 = nn.Dropout(drop[1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.drop1(self.act(self.fc1(x)))
        return self.drop2(self.fc2(self.grn(x)))
