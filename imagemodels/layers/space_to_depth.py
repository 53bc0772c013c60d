"""Space-to-depth: fold each ``block_size`` x ``block_size`` patch of pixels into channels, a
lossless stride-``block_size`` downsampling (the TResNet stem).

Ridnik et al., "TResNet: High Performance GPU-Dedicated Architecture", 2020 (arXiv:2003.13630).
"""
from __future__ import annotations

import torch
from torch import nn

__all__ = ["SpaceToDepth", "DepthToSpace"]


class SpaceToDepth(nn.Module):
    """(N, C, H, W) -> (N, C * bs * bs, H / bs, W / bs); output channel ``(i * bs + j) * C + c`` holds
    input channel ``c`` at offset (i, j) inside each patch (the order pretrained TResNets expect)."""

    def __init__(self, block_size: int = 4):
        super().__init__()
        if block_size < 1:
            raise ValueError(f"block_size must be >= 1, got {block_size}")
        self.bs = block_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        bs = self.bs
        if h % bs or w % bs:
            raise ValueError(f"SpaceToDepth needs H and W divisible by {bs}, got {h}x{w}")
        x = x.view(n, c, h // bs, bs, w // bs, bs)
        x = x.permute(0, 3, 5, 1, 2, 4).contiguous()  # N, bs_i, bs_j, C, H/bs, W/bs
        return x.view(n, c * bs * bs, h // bs, w // bs)


class DepthToSpace(nn.Module):
    """The inverse of :class:`SpaceToDepth` with the same channel order."""

    def __init__(self, block_size: int = 4):
        super().__init__()
        if block_size < 1:
            raise ValueError(f"block_size must be >= 1, got {block_size}")
        self.bs = block_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        bs = self.bs
        if c % (bs * bs):
            raise ValueError(f"DepthToSpace needs channels divisible by {bs * bs}, got {c}")
        x = x.view(n, bs, bs, c // (bs * bs), h, w)
        x = x.permute(0, 3, 4, 1, 5, 2).contiguous()  # N, C, H, bs_i, W, bs_j
        return x.view(n, c // (bs * bs), h * bs, w * bs)
