"""Multi-head self-attention, fused (``F.scaled_dot_product_attention``) or written out.

The written-out path exists for exporters and for reading attention maps; the switch is
``use_fused_attn()``, set by ``$IMAGEMODELS_FUSED_ATTN`` (or the ecosystem's ``$TIMM_FUSED_ATTN``):
0 = never fused, 1 = fused (default), 2 = fused also in layers that mark it experimental.
"""
from __future__ import annotations

import os
from typing import Callable, Optional

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["Attention", "use_fused_attn", "set_fused_attn"]

_HAS_FUSED_ATTN = hasattr(F, "scaled_dot_product_attention")


def _env_level() -> int:
    for var in ("IMAGEMODELS_FUSED_ATTN", "TIMM_FUSED_ATTN"):
        value = os.environ.get(var)
        if value is not None and value.strip() != "":
            try:
                return int(value)
            except ValueError as e:
                raise ValueError(f"${var} must be 0, 1 or 2, got {value!r}") from e
    return 1


_USE_FUSED_ATTN = _env_level()


def use_fused_attn(experimental: bool = False) -> bool:
    """Whether a layer built now should call ``F.scaled_dot_product_attention``."""
    if not _HAS_FUSED_ATTN:
        return False
    return _USE_FUSED_ATTN > 1 if experimental else _USE_FUSED_ATTN > 0


def set_fused_attn(enable: bool = True, experimental: bool = False) -> None:
    """Turn fused attention on / off for layers built after this call."""
    global _USE_FUSED_ATTN
    _USE_FUSED_ATTN = (2 if experimental else 1) if enable else 0


def scaled_dot_product(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, *, fused: bool, scale: float, dropout_p: float,
    attn_mask: Optional[torch.Tensor] = None, is_causal: bool = False, attn_drop: Optional[nn.Module] = None,
) -> torch.Tensor:
    """softmax(q k^T * scale + mask) v over ``(B, heads, N, head_dim)`` tensors."""
    if fused:
        return F.scaled_dot_product_attention(
            q, k, v, attn_mask=attn_mask, dropout_p=dropout_p, is_causal=is_causal, scale=scale)
    attn = (q * scale) @ k.transpose(-2, -1)
    if is_causal:
        n, m = attn.shape[-2:]
        causal = torch.ones(n, m, dtype=torch.bool, device=attn.device).tril()
        attn = attn.masked_fill(~causal, float("-inf"))
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            attn = attn.masked_fill(~attn_mask, float("-inf"))
        else:
            attn = attn + attn_mask
    attn = attn.softmax(dim=-1)
    if attn_drop is not None:
        attn = attn_drop(attn)
    return attn @ v


class Attention(nn.Module):
    """ViT self-attention: one ``qkv`` projection, optional per-head q/k norm, optional norm of the
    attention output (``scale_norm``), optional sigmoid output gate (``gated``), then ``proj``."""

    def __init__(
        self,
        dim: int,
        num_heads: int = 8,
        attn_head_dim: Optional[int] = None,
        dim_out: Optional[int] = None,
        qkv_bias: bool = False,
        qk_norm: bool = False,
        scale_norm: bool = False,
        proj_bias: bool = True,
        gated: bool = False,
        attn_drop: float = 0.0,
        proj_drop: float = 0.0,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        dim_out = dim_out or dim
        head_dim = attn_head_dim if attn_head_dim is not None else dim // num_heads
        if attn_head_dim is None and dim % num_heads:
            raise ValueError(f"dim ({dim}) must be divisible by num_heads ({num_heads})")
        if (qk_norm or scale_norm) and norm_layer is None:
            raise ValueError("qk_norm / scale_norm need a norm_layer")
        attn_dim = head_dim * num_heads
        self.num_heads = num_heads
        self.head_dim = head_dim
        self.attn_dim = attn_dim
        self.scale = head_dim ** -0.5
        self.fused_attn = use_fused_attn()

        self.qkv = nn.Linear(dim, attn_dim * 3, bias=qkv_bias, **dd)
        self.q_norm = norm_layer(head_dim, **dd) if qk_norm else nn.Identity()
        self.k_norm = norm_layer(head_dim, **dd) if qk_norm else nn.Identity()
        self.attn_drop = nn.Dropout(attn_drop)
        self.norm = norm_layer(attn_dim, **dd) if scale_norm else nn.Identity()
        self.gate = nn.Linear(dim, attn_dim, bias=True, **dd) if gated else None
        self.proj = nn.Linear(attn_dim, dim_out, bias=proj_bias, **dd)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None, is_causal: bool = False) -> torch.Tensor:
        batch, num_tokens, _ = x.shape
        # (B, N, 3 * heads * head_dim) -> 3 x (B, heads, N, head_dim)
        q, k, v = self.qkv(x).reshape(batch, num_tokens, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4).unbind(0)
        q, k = self.q_norm(q), self.k_norm(k)
        out = scaled_dot_product(
            q, k, v, fused=self.fused_attn, scale=self.scale, dropout_p=self.attn_drop.p if self.training else 0.0,
            attn_mask=attn_mask, is_causal=is_causal, attn_drop=self.attn_drop)
        out = out.transpose(1, 2).reshape(batch, num_tokens, self.attn_dim)
        out = self.norm(out)
        if self.gate is not None:
            out = out * self.gate(x).sigmoid()
        return self.proj_drop(self.proj(out))
