"""Stochastic regularisers: DropPath (stochastic depth) and DropBlock.

* DropPath: Huang et al., "Deep Networks with Stochastic Depth", 2016 (arXiv:1603.09382).
* DropBlock: Ghiasi et al., "DropBlock: A regularization method for convolutional networks",
  2018 (arXiv:1810.12890).

Both are the identity in eval mode or with a drop probability of 0.
"""
from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["drop_path", "DropPath", "drop_block_2d", "DropBlock2d"]


def drop_path(x: torch.Tensor, drop_prob: float = 0.0, training: bool = False, scale_by_keep: bool = True) -> torch.Tensor:
    """Zero whole samples of a residual branch with probability ``drop_prob``.

    Kept samples are scaled by ``1 / (1 - drop_prob)`` (unless ``scale_by_keep=False``) so the
    expected value is unchanged.
    """
    if drop_prob == 0.0 or not training:
        return x
    keep_prob = 1.0 - drop_prob
    shape = (x.shape[0],) + (1,) * (x.ndim - 1)  # one draw per sample, broadcast over the rest
    keep = x.new_empty(shape).bernoulli_(keep_prob)
    if keep_prob > 0.0 and scale_by_keep:
        keep.div_(keep_prob)
    return x * keep


class DropPath(nn.Module):
    """Drop paths (stochastic depth) per sample, applied to the main path of a residual block."""

    def __init__(self, drop_prob: float = 0.0, scale_by_keep: bool = True):
        super().__init__()
        if not 0.0 <= drop_prob <= 1.0:
            raise ValueError(f"drop_prob must be in [0, 1], got {drop_prob}")
        self.drop_prob = drop_prob
        self.scale_by_keep = scale_by_keep

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return drop_path(x, self.drop_prob, self.training, self.scale_by_keep)

    def extra_repr(self) -> str:
        return f"drop_prob={round(self.drop_prob, 3):0.3f}"


def drop_block_2d(
    x: torch.Tensor,
    drop_prob: float = 0.1,
    block_size: int = 7,
    gamma_scale: float = 1.0,
    with_noise: bool = False,
    inplace: bool = False,
    couple_channels: bool = True,
    scale_by_keep: bool = True,
) -> torch.Tensor:
    """Drop contiguous ``block_size`` x ``block_size`` regions of an NCHW map.

    Block centres are drawn with the rate ``gamma`` from the paper, so that about ``drop_prob`` of
    the map is dropped; ``couple_channels`` drops the same regions in every channel.
    """
    batch, channels, height, width = x.shape
    block = min(block_size, height, width)
    valid_h, valid_w = height - block + 1, width - block + 1
    gamma = gamma_scale * drop_prob * height * width / block ** 2 / (valid_h * valid_w)

    # centres only where a whole block fits inside the map
    seed_shape = (batch, 1 if couple_channels else channels, height, width)
    seeds = torch.zeros(seed_shape, dtype=x.dtype, device=x.device)
    lo_h, lo_w = block // 2, block // 2
    seeds[..., lo_h:lo_h + valid_h, lo_w:lo_w + valid_w] = torch.empty(
        seed_shape[:2] + (valid_h, valid_w), dtype=x.dtype, device=x.device
    ).bernoulli_(min(gamma, 1.0))
    dropped = F.max_pool2d(seeds, kernel_size=block, stride=1, padding=block // 2)
    dropped = dropped[..., :height, :width]  # an even block size grows the map by one
    keep = 1.0 - dropped

    if with_noise:
        noise = torch.randn_like(x) * dropped
        if inplace:
            return x.mul_(keep).add_(noise)
        return x * keep + noise
    if scale_by_keep:
        scale = keep.numel() / keep.to(torch.float32).sum().clamp(min=1e-7)
        keep = keep * scale.to(x.dtype)
    return x.mul_(keep) if inplace else x * keep


class DropBlock2d(nn.Module):
    """:func:`drop_block_2d` as a module (a no-op outside training)."""

    def __init__(
        self,
        drop_prob: float = 0.1,
        block_size: int = 7,
        gamma_scale: float = 1.0,
        with_noise: bool = False,
        inplace: bool = False,
        couple_channels: bool = True,
        scale_by_keep: bool = True,
        **kwargs: Any,
    ):
        super().__init__()
        # older configs pass batchwise= / fast=; both only picked an implementation
        unknown = set(kwargs) - {"batchwise", "fast"}
        if unknown:
            raise TypeError(f"DropBlock2d got unexpected argument(s) {sorted(unknown)}")
        if not 0.0 <= drop_prob <= 1.0:
            raise ValueError(f"drop_prob must be in [0, 1], got {drop_prob}")
        self.drop_prob = drop_prob
        self.block_size = block_size
        self.gamma_scale = gamma_scale
        self.with_noise = with_noise
        self.inplace = inplace
        self.couple_channels = couple_channels
        self.scale_by_keep = scale_by_keep

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or not self.drop_prob:
            return x
        return drop_block_2d(
            x, self.drop_prob, self.block_size, self.gamma_scale, self.with_noise,
            self.inplace, self.couple_channels, self.scale_by_keep,
        )

    def extra_repr(self) -> str:
        return f"drop_prob={self.drop_prob}, block_size={self.block_size}"
