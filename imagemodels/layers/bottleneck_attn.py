"""BoTNet's self-attention: global multi-head attention over a fixed-size feature map, with 2D
relative position logits, replacing the 3x3 conv of a ResNet bottleneck.

Srinivas et al., "Bottleneck Transformers for Visual Recognition", 2021 (arXiv:2101.11605).

The relative logits are factorised per axis (Shaw et al. / Bello et al.): a query at (qy, qx) and a
key at (ky, kx) get ``q . height_rel[ky - qy + Kh - 1] + q . width_rel[kx - qx + Kw - 1]``. The
tables are learned for one map size, so the layer needs ``feat_size`` and refuses other sizes.
Striding is an average pool after the attention, as in the paper (attention at full resolution).
"""
from __future__ import annotations

from typing import Any, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from .helpers import factory_kwargs, make_divisible, to_2tuple
from .weight_init import trunc_normal_

__all__ = ["BottleneckAttn", "PosEmbedRel", "rel_logits_2d"]


def _rel_logits_1d(q: torch.Tensor, table: torch.Tensor, key_len: int) -> torch.Tensor:
    """``(..., Q, d)`` queries against a ``(2K - 1, d)`` table -> ``(..., Q, K)``: entry ``[i, j]`` is
    ``q[i] . table[j - i + K - 1]`` (the key's offset from the query, shifted to be >= 0)."""
    q_len = q.shape[-2]
    logits = q @ table.transpose(0, 1)  # (..., Q, 2K - 1)
    offsets = torch.arange(key_len, device=q.device)[None, :] - torch.arange(q_len, device=q.device)[:, None]
    index = (offsets + key_len - 1).expand(*logits.shape[:-1], key_len)
    return logits.gather(-1, index)


def rel_logits_2d(q: torch.Tensor, height_rel: torch.Tensor, width_rel: torch.Tensor,
                  key_size: Tuple[int, int]) -> torch.Tensor:
    """Relative position logits of queries laid out ``(N, Qh, Qw, d)`` over a ``key_size`` grid of keys:
    ``(N, Qh * Qw, Kh * Kw)``, rows in query raster order and columns in key raster order."""
    n, qh, qw, _ = q.shape
    kh, kw = key_size
    logits_w = _rel_logits_1d(q, width_rel, kw)  # (N, Qh, Qw, Kw)
    logits_h = _rel_logits_1d(q.transpose(1, 2), height_rel, kh).transpose(1, 2)  # (N, Qh, Qw, Kh)
    logits = logits_h.unsqueeze(-1) + logits_w.unsqueeze(-2)  # (N, Qh, Qw, Kh, Kw)
    return logits.reshape(n, qh * qw, kh * kw)


def set_head_dims(module: nn.Module, dim_out: int, num_heads: int, dim_head: Optional[int], qk_ratio: float) -> None:
    """Per-head widths of a BoTNet / HaloNet attention: q and k get ``dim_head`` (or ``qk_ratio`` of
    ``dim_out``, rounded to 8), v gets ``dim_out / num_heads``; sets ``num_heads``, ``dim_head_qk``,
    ``dim_head_v``, ``dim_out_qk``, ``dim_out_v`` and ``scale`` on ``module``."""
    if dim_out % num_heads:
        raise ValueError(f"dim_out {dim_out} must be divisible by num_heads {num_heads}")
    module.num_heads = num_heads
    module.dim_head_qk = dim_head or make_divisible(dim_out * qk_ratio, divisor=8) // num_heads
    module.dim_head_v = dim_out // num_heads
    module.dim_out_qk = num_heads * module.dim_head_qk
    module.dim_out_v = num_heads * module.dim_head_v
    module.scale = module.dim_head_qk ** -0.5


class PosEmbedRel(nn.Module):
    """Learned per-axis relative position tables for a ``query_size`` grid attending to a ``key_size``
    grid (the same grid for BoTNet, a block inside its haloed window for HaloNet).

    Tables hold ``2 * K - 1`` rows per axis: every offset a key can have from a query.
    """

    def __init__(
        self, query_size: Union[int, Tuple[int, int]], key_size: Union[int, Tuple[int, int]], dim_head: int,
        scale: float, device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        self.query_size = to_2tuple(query_size)
        self.key_size = to_2tuple(key_size)
        self.dim_head = dim_head
        self.scale = scale
        self.height_rel = nn.Parameter(torch.empty(2 * self.key_size[0] - 1, dim_head, **dd))
        self.width_rel = nn.Parameter(torch.empty(2 * self.key_size[1] - 1, dim_head, **dd))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        trunc_normal_(self.height_rel, std=self.scale)
        trunc_normal_(self.width_rel, std=self.scale)

    def forward(self, q: torch.Tensor) -> torch.Tensor:
        """``q``: ``(N, ..., Qh * Qw, d)`` -> logits ``(N, ..., Qh * Qw, Kh * Kw)``."""
        lead = q.shape[:-2]
        q = q.reshape(-1, self.query_size[0], self.query_size[1], self.dim_head)
        logits = rel_logits_2d(q, self.height_rel, self.width_rel, self.key_size)
        return logits.reshape(*lead, logits.shape[-2], logits.shape[-1])


class BottleneckAttn(nn.Module):
    """Multi-head self-attention over the whole ``feat_size`` map with relative position logits.

    ``dim_head`` defaults to the q/k width (``dim_out * qk_ratio`` rounded to 8) split over the heads;
    values always get ``dim_out // num_heads`` channels per head. ``stride=2`` average-pools the output.
    ``scale_pos_embed`` scales the position logits with the content logits instead of adding them after.
    """

    def __init__(
        self, dim: int, dim_out: Optional[int] = None, feat_size: Optional[Union[int, Tuple[int, int]]] = None,
        stride: int = 1, num_heads: int = 4, dim_head: Optional[int] = None, qk_ratio: float = 1.0,
        qkv_bias: bool = False, scale_pos_embed: bool = False, device: Any = None, dtype: Any = None,
    ):
        super().__init__()
        dd = factory_kwargs(device, dtype)
        if feat_size is None:
            raise ValueError("BottleneckAttn needs feat_size (the input map's (H, W)): its relative position tables "
                             "are learned for one size; build the model with img_size=...")
        if stride not in (1, 2):
            raise ValueError(f"BottleneckAttn stride must be 1 or 2, got {stride}")
        dim_out = dim_out or dim
        set_head_dims(self, dim_out, num_heads, dim_head, qk_ratio)
        self.scale_pos_embed = scale_pos_embed
        self.feat_size = to_2tuple(feat_size)

        self.qkv = nn.Conv2d(dim, self.dim_out_qk * 2 + self.dim_out_v, 1, bias=qkv_bias, **dd)
        self.pos_embed = PosEmbedRel(self.feat_size, self.feat_size, self.dim_head_qk, self.scale, **dd)
        self.pool = nn.AvgPool2d(2, 2) if stride == 2 else nn.Identity()
        self.reset_parameters()

    def reset_parameters(self) -> None:
        trunc_normal_(self.qkv.weight, std=self.qkv.weight.shape[1] ** -0.5)
        self.pos_embed.reset_parameters()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, _, h, w = x.shape
        if (h, w) != self.feat_size:
            raise ValueError(f"BottleneckAttn was built for {self.feat_size[0]}x{self.feat_size[1]} maps, got {h}x{w}; "
                             f"rebuild the model with the img_size you feed it")
        q, k, v = torch.split(self.qkv(x), [self.dim_out_qk, self.dim_out_qk, self.dim_out_v], dim=1)
        q = q.reshape(b * self.num_heads, self.dim_head_qk, h * w).transpose(-1, -2)  # (N, HW, d)
        k = k.reshape(b * self.num_heads, self.dim_head_qk, h * w)  # (N, d, HW)
        v = v.reshape(b * self.num_heads, self.dim_head_v, h * w).transpose(-1, -2)  # (N, HW, dv)
        if self.scale_pos_embed:
            attn = (q @ k + self.pos_embed(q)) * self.scale
        else:
            attn = (q @ k) * self.scale + self.pos_embed(q)
        out = F.softmax(attn, dim=-1) @ v  # (N, HW, dv)
        out = out.transpose(-1, -2).reshape(b, self.dim_out_v, h, w)
        return self.pool(out)
