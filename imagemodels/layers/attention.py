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

from .helpers import can_overwrite
from .onednn_linear import onednn_linear
from .pos_embed_sincos import apply_rot_embed_cat

__all__ = ["Attention", "AttentionRope", "use_fused_attn", "set_fused_attn"]

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
        infer = can_overwrite(x, self)
        qkv = onednn_linear(self.qkv, x) if infer else None  # opt-in (layers/onednn_linear.py), else None
        qkv = self.qkv(x) if qkv is None else qkv
        # (B, N, 3 * heads * head_dim) -> 3 x (B, heads, N, head_dim)
        q, k, v = qkv.reshape(batch, num_tokens, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4).unbind(0)
        q, k = self.q_norm(q), self.k_norm(k)
        out = scaled_dot_product(
            q, k, v, fused=self.fused_attn, scale=self.scale, dropout_p=self.attn_drop.p if self.training else 0.0,
            attn_mask=attn_mask, is_causal=is_causal, attn_drop=self.attn_drop)
        out = out.transpose(1, 2).reshape(batch, num_tokens, self.attn_dim)
        out = self.norm(out)
        if self.gate is not None:
            out = out * self.gate(x).sigmoid()
        projected = onednn_linear(self.proj, out) if infer else None
        return self.proj_drop(self.proj(out) if projected is None else projected)


class AttentionRope(nn.Module):
    """Self-attention with rotary position embedding (EVA-02 / RoPE-ViT style), as a reusable layer.

    ``forward(x, rope)`` rotates q and k of every token after the first ``num_prefix_tokens`` by ``rope``
    = cat([sin, cos]) (``(N - prefix, 2 * head_dim)``, optionally with batch / head axes), in halves with
    ``rotate_half``. Options: fused ``qkv`` or separate ``q_proj`` / ``k_proj`` / ``v_proj``; grouped-query
    attention with ``num_kv_heads`` key / value heads; per-head q / k norm; a norm of the attention output
    (``scale_norm``); a sigmoid output ``gate``.
    """

    def __init__(
        self,
        dim: int,
        num_heads: int = 8,
        dim_out: Optional[int] = None,
        qkv_bias: bool = True,
        qkv_fused: bool = True,
        num_prefix_tokens: int = 1,
        attn_drop: float = 0.0,
        proj_drop: float = 0.0,
        attn_head_dim: Optional[int] = None,
        norm_layer: Optional[Callable[..., nn.Module]] = None,
        qk_norm: bool = False,
        scale_norm: bool = False,
        proj_bias: bool = True,
        rotate_half: bool = False,
        gated: bool = False,
        num_kv_heads: Optional[int] = None,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        dd = dict(device=device, dtype=dtype)
        dim_out = dim_out or dim
        num_kv_heads = num_kv_heads or num_heads
        if num_heads % num_kv_heads:
            raise ValueError(f"num_heads ({num_heads}) must be a multiple of num_kv_heads ({num_kv_heads})")
        if attn_head_dim is None and dim % num_heads:
            raise ValueError(f"dim ({dim}) must be divisible by num_heads ({num_heads}), or pass attn_head_dim")
        if qkv_fused and num_kv_heads != num_heads:
            raise ValueError("grouped-query attention (num_kv_heads < num_heads) needs qkv_fused=False")
        if (qk_norm or scale_norm) and norm_layer is None:
            raise ValueError("qk_norm / scale_norm need a norm_layer")
        head_dim = attn_head_dim or dim // num_heads
        self.num_heads = num_heads
        self.num_kv_heads = num_kv_heads
        self.head_dim = head_dim
        self.attn_dim = head_dim * num_heads
        self.kv_dim = head_dim * num_kv_heads
        self.scale = head_dim ** -0.5
        self.num_prefix_tokens = num_prefix_tokens
        self.rotate_half = rotate_half
        self.fused_attn = use_fused_attn()
        if qkv_fused:
            self.qkv = nn.Linear(dim, self.attn_dim + 2 * self.kv_dim, bias=qkv_bias, **dd)
            self.q_proj = self.k_proj = self.v_proj = None
        else:
            self.qkv = None
            self.q_proj = nn.Linear(dim, self.attn_dim, bias=qkv_bias, **dd)
            self.k_proj = nn.Linear(dim, self.kv_dim, bias=qkv_bias, **dd)
            self.v_proj = nn.Linear(dim, self.kv_dim, bias=qkv_bias, **dd)
        self.q_norm = norm_layer(head_dim, **dd) if qk_norm else nn.Identity()
        self.k_norm = norm_layer(head_dim, **dd) if qk_norm else nn.Identity()
        self.attn_drop = nn.Dropout(attn_drop)
        self.norm = norm_layer(self.attn_dim, **dd) if scale_norm else nn.Identity()
        self.gate = nn.Linear(dim, self.attn_dim, **dd) if gated else None
        self.proj = nn.Linear(self.attn_dim, dim_out, bias=proj_bias, **dd)
        self.proj_drop = nn.Dropout(proj_drop)

    def _project(self, x: torch.Tensor):
        if self.qkv is not None:
            return self.qkv(x).chunk(3, dim=-1)
        return self.q_proj(x), self.k_proj(x), self.v_proj(x)

    def _rotate(self, t: torch.Tensor, rope: torch.Tensor) -> torch.Tensor:
        npt = self.num_prefix_tokens
        rotated = apply_rot_embed_cat(t[:, :, npt:, :], rope, half=self.rotate_half).type_as(t)
        return torch.cat([t[:, :, :npt, :], rotated], dim=2) if npt else rotated

    def forward(
        self, x: torch.Tensor, rope: Optional[torch.Tensor] = None, attn_mask: Optional[torch.Tensor] = None,
        is_causal: bool = False,
    ) -> torch.Tensor:
        batch, num_tokens, _ = x.shape
        q, k, v = self._project(x)
        q = q.reshape(batch, num_tokens, self.num_heads, self.head_dim).transpose(1, 2)
        k = k.reshape(batch, num_tokens, self.num_kv_heads, self.head_dim).transpose(1, 2)
        v = v.reshape(batch, num_tokens, self.num_kv_heads, self.head_dim).transpose(1, 2)
        q, k = self.q_norm(q), self.k_norm(k)
        if rope is not None:
            q, k = self._rotate(q, rope), self._rotate(k, rope)
        if self.num_kv_heads != self.num_heads:
            # grouped-query attention: each key / value head serves a run of consecutive query heads
            repeat = self.num_heads // self.num_kv_heads
            k, v = k.repeat_interleave(repeat, dim=1), v.repeat_interleave(repeat, dim=1)
        out = scaled_dot_product(
            q, k, v, fused=self.fused_attn, scale=self.scale, dropout_p=self.attn_drop.p if self.training else 0.0,
            attn_mask=attn_mask, is_causal=is_causal, attn_drop=self.attn_drop)
        out = out.transpose(1, 2).reshape(batch, num_tokens, self.attn_dim)
        out = self.norm(out)
        if self.gate is not None:
            out = out * self.gate(x).sigmoid()
        return self.proj_drop(self.proj(out))
