"""Bilinear attentional transform (BAT) non-local attention.

Chi et al., "Non-Local Neural Networks With Grouped Bilinear Attentional Transforms", CVPR 2020.
A map X (H x W) is transformed as ``P X Q``: P (H x H) and Q (W x W) are block-size bilinear
matrices predicted from row / column max-pooled features, expanded to full size as
``kron(P_small, I)``, so each output mixes whole rows and columns of blocks.
"""
from __future__ import annotations

from typing import Any, Callable, Optional, Union

import torch
import torch.nn.functional as F
from torch import nn

from .conv_bn_act import ConvNormAct
from .helpers import make_divisible

__all__ = ["BilinearAttnTransform", "BatNonLocalAttn", "NonLocalAttn"]


def _expand_blocks(mat: torch.Tensor, repeat: int) -> torch.Tensor:
    """``kron(mat, I_repeat)`` over the last two dims: each entry becomes a scaled identity block."""
    if repeat <= 1:
        return mat
    b, c, n, m = mat.shape
    eye = torch.eye(repeat, dtype=mat.dtype, device=mat.device)
    return torch.einsum("bcij,xy->bcixjy", mat, eye).reshape(b, c, n * repeat, m * repeat)


class BilinearAttnTransform(nn.Module):
    """``groups`` pairs of (block_size x block_size) matrices, shared by the channels of a group."""

    def __init__(
        self, in_channels: int, block_size: int, groups: int, act_layer: Callable[..., nn.Module] = nn.ReLU,
        norm_layer: Union[str, Callable[..., nn.Module]] = nn.BatchNorm2d, device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        self.block_size = block_size
        self.groups = groups
        self.in_channels = in_channels
        self.conv1 = ConvNormAct(in_channels, groups, 1, act_layer=act_layer, norm_layer=norm_layer, **dd)
        self.conv_p = nn.Conv2d(groups, block_size * block_size * groups, kernel_size=(block_size, 1), **dd)
        self.conv_q = nn.Conv2d(groups, block_size * block_size * groups, kernel_size=(1, block_size), **dd)
        self.conv2 = ConvNormAct(in_channels, in_channels, 1, act_layer=act_layer, norm_layer=norm_layer, **dd)

    def _per_channel(self, mat: torch.Tensor, channels: int) -> torch.Tensor:
        b = mat.shape[0]
        bs = self.block_size
        mat = mat.view(b, self.groups, 1, bs, bs).expand(b, self.groups, channels // self.groups, bs, bs)
        return mat.reshape(b, channels, bs, bs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        bs = self.block_size
        if h % bs or w % bs:
            raise ValueError(f"BAT attention needs a feature map divisible by block_size {bs}, got {h}x{w}; "
                             f"use a larger input (the reference's minimum input size)")
        out = self.conv1(x)
        rows = F.adaptive_max_pool2d(out, (bs, 1))
        cols = F.adaptive_max_pool2d(out, (1, bs))
        p = self.conv_p(rows).view(b, self.groups, bs, bs).sigmoid()
        q = self.conv_q(cols).view(b, self.groups, bs, bs).sigmoid()
        p = p / p.sum(dim=3, keepdim=True)  # rows of P sum to one
        q = q / q.sum(dim=2, keepdim=True)  # columns of Q sum to one
        p = _expand_blocks(self._per_channel(p, c), h // bs)
        q = _expand_blocks(self._per_channel(q, c), w // bs)
        return self.conv2(p.matmul(x).matmul(q))


class BatNonLocalAttn(nn.Module):
    """Reduce (1x1), bilinear transform, expand (1x1), dropout, plus the input (a residual attention)."""

    def __init__(
        self, in_chs: int, block_size: int = 7, groups: int = 2, rd_ratio: float = 0.25, rd_channels: Any = None,
        rd_divisor: int = 8, drop_rate: float = 0.2, act_layer: Callable[..., nn.Module] = nn.ReLU,
        norm_layer: Union[str, Callable[..., nn.Module]] = nn.BatchNorm2d, device: Any = None, dtype: Any = None,
        **_: Any,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        rd_channels = rd_channels or make_divisible(in_chs * rd_ratio, divisor=rd_divisor)
        self.conv1 = ConvNormAct(in_chs, rd_channels, 1, act_layer=act_layer, norm_layer=norm_layer, **dd)
        self.ba = BilinearAttnTransform(rd_channels, block_size, groups, act_layer=act_layer, norm_layer=norm_layer,
                                        **dd)
        self.conv2 = ConvNormAct(rd_channels, in_chs, 1, act_layer=act_layer, norm_layer=norm_layer, **dd)
        self.dropout = nn.Dropout2d(p=drop_rate)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dropout(self.conv2(self.ba(self.conv1(x)))) + x


class NonLocalAttn(nn.Module):
    """Spatial non-local (self-attention) block with a residual: 1x1 convs ``t`` (query), ``p`` (key),
    ``g`` (value) to ``rd_channels``, softmax over all positions (scaled by ``in_channels ** -0.5`` with
    ``use_scale``), ``z`` back to ``in_channels``, BatchNorm (zero-initialised, so the block starts as
    the identity), added to the input.

    Wang et al., "Non-local Neural Networks", CVPR 2018 (arXiv:1711.07971).
    """

    def __init__(
        self, in_channels: int, use_scale: bool = True, rd_ratio: float = 1 / 8, rd_channels: Optional[int] = None,
        rd_divisor: int = 8, device: Any = None, dtype: Any = None, **_: Any,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        if rd_channels is None:
            rd_channels = make_divisible(in_channels * rd_ratio, divisor=rd_divisor)
        self.scale = in_channels ** -0.5 if use_scale else 1.0
        self.t = nn.Conv2d(in_channels, rd_channels, kernel_size=1, stride=1, bias=True, **dd)
        self.p = nn.Conv2d(in_channels, rd_channels, kernel_size=1, stride=1, bias=True, **dd)
        self.g = nn.Conv2d(in_channels, rd_channels, kernel_size=1, stride=1, bias=True, **dd)
        self.z = nn.Conv2d(rd_channels, in_channels, kernel_size=1, stride=1, bias=True, **dd)
        self.norm = nn.BatchNorm2d(in_channels, **dd)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        for conv in (self.t, self.p, self.g, self.z):
            nn.init.kaiming_normal_(conv.weight, mode="fan_out", nonlinearity="relu")
            nn.init.zeros_(conv.bias)
        nn.init.zeros_(self.norm.weight)
        nn.init.zeros_(self.norm.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        b, c, h, w = x.shape
        t = self.t(x).flatten(2).transpose(1, 2)  # (B, N, rd)
        p = self.p(x).flatten(2)                  # (B, rd, N)
        g = self.g(x).flatten(2).transpose(1, 2)  # (B, N, rd)
        attn = (torch.bmm(t, p) * self.scale).softmax(dim=-1)
        x = torch.bmm(attn, g).transpose(1, 2).reshape(b, -1, h, w)
        return self.norm(self.z(x)) + shortcut
