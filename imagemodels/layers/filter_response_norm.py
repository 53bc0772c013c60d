"""Filter response normalisation (FRN): each channel divided by its root-mean-square over the
positions, then a per-channel affine. It is followed either by a thresholded linear unit
(``max(x, tau)``, :class:`FilterResponseNormTlu2d`) or by any activation (:class:`FilterResponseNormAct2d`).

Singh & Krishnan, "Filter Response Normalization Layer", 2019 (arXiv:1911.09737).
"""
from __future__ import annotations

from typing import Any, Optional

import torch
from torch import nn

from .create_act import ActLayer, create_act_layer

__all__ = ["FilterResponseNormAct2d", "FilterResponseNormTlu2d"]

_CHANNEL_SHAPE = (1, -1, 1, 1)


def _frn_affine(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, eps: float) -> torch.Tensor:
    """``x / sqrt(mean_HW(x^2) + eps) * weight + bias``.

    The squares are taken in the input dtype and averaged in float32, and the scale is cast back
    before multiplying: the reference's rounding, so bf16/fp16 outputs match it bit for bit.
    """
    nu2 = x.square().float().mean(dim=(2, 3), keepdim=True)
    x = x * (nu2 + eps).rsqrt().to(x.dtype)
    return x * weight.view(_CHANNEL_SHAPE).to(x.dtype) + bias.view(_CHANNEL_SHAPE).to(x.dtype)


class FilterResponseNormTlu2d(nn.Module):
    """FRN + TLU over NCHW; without ``apply_act`` the TLU (and ``tau``) is left out."""

    def __init__(
        self,
        num_features: int,
        apply_act: bool = True,
        eps: float = 1e-5,
        rms: bool = True,
        device: Any = None,
        dtype: Any = None,
        **_: Any,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.apply_act = apply_act
        self.rms = rms
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(num_features, **dd))
        self.bias = nn.Parameter(torch.zeros(num_features, **dd))
        self.tau = nn.Parameter(torch.zeros(num_features, **dd)) if apply_act else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = _frn_affine(x, self.weight, self.bias, self.eps)
        return torch.maximum(x, self.tau.view(_CHANNEL_SHAPE).to(x.dtype)) if self.tau is not None else x


class FilterResponseNormAct2d(nn.Module):
    """FRN, then ``act_layer`` (ReLU by default; Identity without ``apply_act``). Takes the fused
    norm+act keywords, so it can be passed wherever a ``norm_act_layer`` is expected."""

    def __init__(
        self,
        num_features: int,
        apply_act: bool = True,
        act_layer: ActLayer = nn.ReLU,
        inplace: Optional[bool] = None,
        rms: bool = True,
        eps: float = 1e-5,
        device: Any = None,
        dtype: Any = None,
        **_: Any,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        act = create_act_layer(act_layer, inplace=inplace) if apply_act and act_layer is not None else None
        self.act = act if act is not None else nn.Identity()
        self.rms = rms
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(num_features, **dd))
        self.bias = nn.Parameter(torch.zeros(num_features, **dd))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(_frn_affine(x, self.weight, self.bias, self.eps))
