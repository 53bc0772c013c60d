"""HaloNet's blocked local self-attention.

Vaswani et al., "Scaling Local Self-Attention for Parameter Efficient Visual Backbones", 2021
(arXiv:2103.12731).

The map is cut into non-overlapping ``block_size`` x ``block_size`` query blocks; each block attends to
its own window grown by ``halo_size`` pixels on every side (zero-padded at the border), so the cost is
linear in the image area while neighbouring blocks still see each other. Relative position logits
(per axis, as BoTNet's) index a key's offset inside the window from a query inside the block.

Striding: when ``block_size`` is a multiple of the stride, queries are taken on a strided grid (a
strided q projection) and each block yields ``block_size // stride`` outputs per side; otherwise (or with
``avg_down``) attention runs at full resolution and an average pool strides afterwards.
"""
from __future__ import annotations

from typing import Any, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from .bottleneck_attn import PosEmbedRel, set_head_dims
from .helpers import factory_kwargs
from .weight_init import trunc_normal_

__all__ = ["HaloAttn"]


class HaloAttn(nn.Module):
    """Local multi-head attention of each query block over its haloed window.

    Input height and width must be multiples of ``block_size``; ``feat_size`` is accepted (the block
    builder passes it) but not needed, so any such size works.
    """

    def __init__(
        self, dim: int, dim_out: Optional[int] = None, feat_size: Optional[Union[int, Tuple[int, int]]] = None,
        stride: int = 1, num_heads: int = 8, dim_head: Optional[int] = None, block_size: int = 8,
        halo_size: int = 3, qk_ratio: float = 1.0, qkv_bias: bool = False, avg_down: bool = False,
        scale_pos_embed: bool = False, device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if stride not in (1, 2):
            raise ValueError(f"HaloAttn stride must be 1 or 2, got {stride}")
        if halo_size < 0 or block_size < 1:
            raise ValueError(f"HaloAttn needs block_size >= 1 and halo_size >= 0, got {block_size} and {halo_size}")
        dim_out = dim_out or dim
        set_head_dims(self, dim_out, num_heads, dim_head, qk_ratio)
        self.scale_pos_embed = scale_pos_embed
        self.block_size = block_size
        self.halo_size = halo_size
        self.win_size = block_size + 2 * halo_size

        # a strided query grid only works when every block holds a whole number of strided queries
        use_avg_pool = stride > 1 and (avg_down or block_size % stride != 0)
        self.block_stride = 1 if use_avg_pool else stride
        self.block_size_ds = block_size // self.block_stride

        self.q = nn.Conv2d(dim, self.dim_out_qk, 1, stride=self.block_stride, bias=qkv_bias, **dd)
        self.kv = nn.Conv2d(dim, self.dim_out_qk + self.dim_out_v, 1, bias=qkv_bias, **dd)
        self.pos_embed = PosEmbedRel(self.block_size_ds, self.win_size, self.dim_head_qk, self.scale, **dd)
        self.pool = nn.AvgPool2d(2, 2) if use_avg_pool else nn.Identity()
        self.reset_parameters()

    def reset_parameters(self) -> None:
        std = self.q.weight.shape[1] ** -0.5
        trunc_normal_(self.q.weight, std=std)
        trunc_normal_(self.kv.weight, std=std)
        self.pos_embed.reset_parameters()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, _, h, w = x.shape
        if h % self.block_size or w % self.block_size:
            raise ValueError(f"HaloAttn needs the map's height and width to be multiples of block_size "
                             f"{self.block_size}, got {h}x{w}; use an input size whose feature maps divide evenly")
        nh, nw = h // self.block_size, w // self.block_size
        n, bs, heads = b * self.num_heads, self.block_size_ds, self.num_heads

        # queries: (N, blocks, bs*bs, d), blocks in raster order
        q = self.q(x).reshape(n, self.dim_head_qk, nh, bs, nw, bs)
        q = q.permute(0, 2, 4, 3, 5, 1).reshape(n, nh * nw, bs * bs, self.dim_head_qk)

        # keys / values: each head's channels are [k | v]; windows of win_size every block_size pixels
        kv = F.pad(self.kv(x), [self.halo_size] * 4)
        kv = kv.unfold(2, self.win_size, self.block_size).unfold(3, self.win_size, self.block_size)
        kv = kv.reshape(n, self.dim_head_qk + self.dim_head_v, nh * nw, self.win_size ** 2).permute(0, 2, 3, 1)
        k, v = torch.split(kv, [self.dim_head_qk, self.dim_head_v], dim=-1)

        if self.scale_pos_embed:
            attn = (q @ k.transpose(-1, -2) + self.pos_embed(q)) * self.scale
        else:
            attn = (q @ k.transpose(-1, -2)) * self.scale + self.pos_embed(q)
        out = F.softmax(attn, dim=-1) @ v  # (N, blocks, bs*bs, dv)

        out = out.reshape(n, nh, nw, bs, bs, self.dim_head_v).permute(0, 5, 1, 3, 2, 4)
        out = out.reshape(b, heads * self.dim_head_v, nh * bs, nw * bs)
        return self.pool(out)
