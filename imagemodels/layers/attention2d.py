"""Attention over 2d feature maps, kept in NCHW with 1x1 convs as projections.

``MultiQueryAttention2d`` is the mobile multi-query attention of Qin et al., "MobileNetV4 - Universal
Models for the Mobile Ecosystem", 2024 (arXiv:2404.10518): every query head shares one key and one
value head, and keys/values may be computed on a spatially downsampled map (``kv_stride``).
"""
from __future__ import annotations

from typing import Any, Callable, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from torch import nn

from .attention import scaled_dot_product, use_fused_attn
from .create_conv2d import create_conv2d
from .helpers import to_2tuple

__all__ = ["MultiQueryAttention2d", "Attention2d", "MultiQueryAttentionV2"]


class MultiQueryAttention2d(nn.Module):
    """``query`` / ``key`` / ``value`` / ``output`` are small Sequentials whose child names are the
    checkpoint layout: ``down_pool``/``norm``/``proj`` (query), ``down_conv``/``norm``/``proj`` (key,
    value), ``upsample``/``proj``/``drop`` (output)."""

    def __init__(
        self,
        dim: int,
        dim_out: Optional[int] = None,
        num_heads: int = 8,
        key_dim: Optional[int] = None,
        value_dim: Optional[int] = None,
        query_strides: Union[int, Sequence[int]] = 1,
        kv_stride: int = 1,
        dw_kernel_size: int = 3,
        dilation: int = 1,
        padding: Union[str, int] = "",
        attn_drop: float = 0.0,
        proj_drop: float = 0.0,
        norm_layer: Callable[..., nn.Module] = nn.BatchNorm2d,
        use_bias: bool = False,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        dim_out = dim_out or dim
        self.num_heads = num_heads
        self.key_dim = key_dim or dim // num_heads
        self.value_dim = value_dim or dim // num_heads
        self.query_strides = to_2tuple(query_strides)
        self.kv_stride = kv_stride
        self.has_query_strides = any(s > 1 for s in self.query_strides)
        self.scale = self.key_dim ** -0.5

        self.query = nn.Sequential()
        if self.has_query_strides:
            self.query.add_module("down_pool", nn.AvgPool2d(kernel_size=self.query_strides, padding=0))
            self.query.add_module("norm", norm_layer(dim, **dd))
        self.query.add_module("proj", create_conv2d(dim, self.num_heads * self.key_dim, 1, bias=use_bias, **dd))

        self.key = self._kv_branch(dim, self.key_dim, dw_kernel_size, dilation, padding, norm_layer, use_bias, dd)
        self.value = self._kv_branch(dim, self.value_dim, dw_kernel_size, dilation, padding, norm_layer, use_bias, dd)
        self.attn_drop = nn.Dropout(attn_drop)

        self.output = nn.Sequential()
        if self.has_query_strides:
            self.output.add_module("upsample", nn.Upsample(scale_factor=self.query_strides, mode="bilinear", align_corners=False))
        self.output.add_module("proj", create_conv2d(self.value_dim * self.num_heads, dim_out, 1, bias=use_bias, **dd))
        self.output.add_module("drop", nn.Dropout(proj_drop))

    def _kv_branch(self, dim, out_dim, dw_kernel_size, dilation, padding, norm_layer, use_bias, dd) -> nn.Sequential:
        branch = nn.Sequential()
        if self.kv_stride > 1:
            branch.add_module("down_conv", create_conv2d(
                dim, dim, dw_kernel_size, stride=self.kv_stride, dilation=dilation, padding=padding, depthwise=True, **dd))
            branch.add_module("norm", norm_layer(dim, **dd))
        branch.add_module("proj", create_conv2d(dim, out_dim, 1, padding=padding, bias=use_bias, **dd))
        return branch

    def init_weights(self) -> None:
        nn.init.xavier_uniform_(self.query.proj.weight)
        nn.init.xavier_uniform_(self.key.proj.weight)
        nn.init.xavier_uniform_(self.value.proj.weight)
        if self.kv_stride > 1:
            nn.init.xavier_uniform_(self.key.down_conv.weight)
            nn.init.xavier_uniform_(self.value.down_conv.weight)
        nn.init.xavier_uniform_(self.output.proj.weight)

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        b = x.shape[0]
        q = self.query(x)
        qh, qw = q.shape[-2:]
        # queries: (B, heads, Nq, key_dim); one shared key/value head: (B, 1, Nkv, dim)
        q = q.reshape(b, self.num_heads, self.key_dim, -1).transpose(-1, -2)
        k = self.key(x).reshape(b, 1, self.key_dim, -1).transpose(-1, -2)
        v = self.value(x).reshape(b, 1, self.value_dim, -1).transpose(-1, -2)
        o = F.scaled_dot_product_attention(
            q, k.expand(-1, self.num_heads, -1, -1), v.expand(-1, self.num_heads, -1, -1),
            attn_mask=attn_mask, dropout_p=self.attn_drop.p if self.training else 0.0)
        # (B, heads, Nq, value_dim) -> (B, heads * value_dim, H, W), head-major channels
        o = o.transpose(1, 2).reshape(b, qh, qw, self.num_heads * self.value_dim).permute(0, 3, 1, 2)
        return self.output(o)


class Attention2d(nn.Module):
    """Multi-head self-attention over the positions of a ``(B, C, H, W)`` map, projections as 1x1 convs.

    ``expand_first`` runs the attention at ``dim_out`` width (when wider than ``dim``); ``head_first``
    lays the qkv channels out head-major ((head, q|k|v, head_dim)) instead of (q|k|v, head, head_dim).
    """

    def __init__(
        self,
        dim: int,
        dim_out: Optional[int] = None,
        num_heads: int = 32,
        bias: bool = True,
        expand_first: bool = False,
        head_first: bool = False,
        attn_drop: float = 0.0,
        proj_drop: float = 0.0,
        device=None,
        dtype=None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        dim_out = dim_out or dim
        dim_attn = dim_out if expand_first and dim_out > dim else dim
        if dim_attn % num_heads:
            raise ValueError(f"attention width ({dim_attn}) must be divisible by num_heads ({num_heads})")
        self.num_heads = num_heads
        self.dim_head = dim_attn // num_heads
        self.head_first = head_first
        self.scale = self.dim_head ** -0.5
        self.fused_attn = use_fused_attn()
        self.qkv = nn.Conv2d(dim, dim_attn * 3, 1, bias=bias, **dd)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Conv2d(dim_attn, dim_out, 1, bias=bias, **dd)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        b, _, h, w = x.shape
        qkv = self.qkv(x)
        if self.head_first:
            q, k, v = qkv.view(b, self.num_heads, self.dim_head * 3, -1).chunk(3, dim=2)
        else:
            q, k, v = qkv.reshape(b, 3, self.num_heads, self.dim_head, -1).unbind(1)
        # (B, heads, head_dim, N) -> (B, heads, N, head_dim) for the attention product
        out = scaled_dot_product(
            q.transpose(-1, -2), k.transpose(-1, -2), v.transpose(-1, -2), fused=self.fused_attn, scale=self.scale,
            dropout_p=self.attn_drop.p if self.training else 0.0, attn_mask=attn_mask, attn_drop=self.attn_drop)
        out = out.transpose(-1, -2).reshape(b, -1, h, w)
        return self.proj_drop(self.proj(out))


class MultiQueryAttentionV2(nn.Module):
    """Multi-query attention on a ``(B, C, H, W)`` map written as einsums over raw weight tensors
    (``query_proj`` (heads, key_dim, dim), ``key_proj`` (dim, key_dim), ``value_proj`` (dim, value_dim),
    ``out_proj`` (dim_out, heads, value_dim)): all query heads share one key and one value head.

    Shazeer, "Fast Transformer Decoding: One Write-Head is All You Need", 2019 (arXiv:1911.02150);
    the MobileNetV4 form. ``m`` (optional, same layout) supplies the keys / values (cross-attention).
    """

    def __init__(
        self,
        dim: int,
        dim_out: Optional[int] = None,
        num_heads: int = 8,
        key_dim: int = 64,
        value_dim: int = 64,
        attn_drop: float = 0.0,
        proj_drop: float = 0.0,
        device=None,
        dtype=None,
    ):
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        dim_out = dim_out or dim
        self.num_heads = num_heads
        self.key_dim = key_dim
        self.value_dim = value_dim
        self.scale = key_dim ** -0.5
        self.query_proj = nn.Parameter(torch.empty(num_heads, key_dim, dim, **dd))
        self.key_proj = nn.Parameter(torch.empty(dim, key_dim, **dd))
        self.value_proj = nn.Parameter(torch.empty(dim, value_dim, **dd))
        self.attn_drop = nn.Dropout(attn_drop)
        self.out_proj = nn.Parameter(torch.empty(dim_out, num_heads, value_dim, **dd))
        self.proj_drop = nn.Dropout(proj_drop)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Standard-normal projections (the published init)."""
        for p in (self.query_proj, self.key_proj, self.value_proj, self.out_proj):
            nn.init.normal_(p)

    @staticmethod
    def _tokens(t: torch.Tensor) -> torch.Tensor:
        return t.reshape(t.shape[0], t.shape[1], -1).permute(0, 2, 1)  # (B, N, C)

    def forward(self, x: torch.Tensor, m: Optional[torch.Tensor] = None) -> torch.Tensor:
        shape = x.shape
        m = x if m is None else m
        x_tok, m_tok = self._tokens(x), self._tokens(m)
        q = torch.einsum("bnd,hkd->bnhk", x_tok, self.query_proj)
        k = torch.einsum("bmd,dk->bmk", m_tok, self.key_proj)
        attn = (torch.einsum("bnhk,bmk->bnhm", q, k) * self.scale).softmax(dim=-1)
        attn = self.attn_drop(attn)
        v = torch.einsum("bmd,dv->bmv", m_tok, self.value_proj)
        out = torch.einsum("bnhm,bmv->bnhv", attn, v)
        out = torch.einsum("bnhv,dhv->bnd", out, self.out_proj)
        out = self.proj_drop(out)
        return out.permute(0, 2, 1).reshape(shape[0], -1, *shape[2:])
