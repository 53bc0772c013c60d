"""Attention pooling over a feature map with a learned absolute position embedding: CLIP's ResNet head.

Radford et al., "Learning Transferable Visual Models From Natural Language Supervision", 2021
(arXiv:2103.00020), the ModifiedResNet's ``AttnPool2d``. The map's mean is prepended as a query
token; that token attends over itself and every position, and its output (projected) is the result.
"""
from __future__ import annotations

from typing import Any, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from .attention import use_fused_attn
from .helpers import to_2tuple
from .pos_embed import resample_abs_pos_embed
from .pos_embed_sincos import apply_rot_embed_cat, create_rope_embed
from .weight_init import trunc_normal_

__all__ = ["AttentionPool2d", "RotAttentionPool2d"]


def _make_qkv(module: nn.Module, in_features: int, embed_dim: int, qkv_bias: bool, separate: bool, dd: dict) -> None:
    """One fused ``qkv`` projection, or ``q`` / ``k`` / ``v`` (OpenAI CLIP's checkpoint layout)."""
    if separate:
        module.q = nn.Linear(in_features, embed_dim, bias=qkv_bias, **dd)
        module.k = nn.Linear(in_features, embed_dim, bias=qkv_bias, **dd)
        module.v = nn.Linear(in_features, embed_dim, bias=qkv_bias, **dd)
        module.qkv = None
    else:
        module.qkv = nn.Linear(in_features, embed_dim * 3, bias=qkv_bias, **dd)


def _split_heads(module: nn.Module, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """q, k, v as ``(B, heads, N, head_dim)``."""
    b, n, _ = x.shape
    if module.qkv is None:
        q, k, v = module.q(x), module.k(x), module.v(x)
    else:
        q, k, v = module.qkv(x).chunk(3, dim=-1)
    return tuple(t.reshape(b, n, module.num_heads, module.head_dim).transpose(1, 2) for t in (q, k, v))


class _QueryTokenPool(nn.Module):
    """What the two CLIP-style pools share: the projection, ``reset`` and ``init_weights``."""

    def _make_proj(self, out_features: int, dd: dict) -> nn.Module:
        return nn.Linear(self.embed_dim, out_features, **dd) if out_features > 0 else nn.Identity()

    def init_weights(self, zero_init_last: bool = False) -> None:
        """Truncated-normal (std in_features^-0.5) input projections; zeros for the output projection
        with ``zero_init_last``."""
        std = self.in_features ** -0.5
        projections = [self.qkv] if self.qkv is not None else [self.q, self.k, self.v]
        for layer in projections:
            trunc_normal_(layer.weight, std=std)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
        if zero_init_last and isinstance(self.proj, nn.Linear):
            nn.init.zeros_(self.proj.weight)

    def reset(
        self, num_classes: Optional[int] = None, pool_type: Optional[str] = None, reset_other: bool = False,
        device: Any = None, dtype: Any = None,
    ) -> None:
        """A new projection of ``num_classes`` outputs (0: none). Pooling stays token pooling;
        ``reset_other`` is accepted for the reference's signature; there is nothing else to reset."""
        if pool_type not in (None, "", "token"):
            raise ValueError(f"{type(self).__name__} pools by its query token only; got pool_type={pool_type!r}")
        if num_classes is not None:
            weight = self.qkv.weight if self.qkv is not None else self.q.weight
            dd = dict(device=device or weight.device, dtype=dtype or weight.dtype)
            self.proj = self._make_proj(num_classes, dd)
            self.out_features = num_classes if num_classes > 0 else self.embed_dim


class AttentionPool2d(_QueryTokenPool):
    """Query token + absolute position embedding + multi-head attention; ``proj`` is the classifier.

    The query token is the map's mean (CLIP), or a learned ``cls_token`` with ``class_token``.
    ``feat_size`` is the map size the position embedding is learned for; other sizes resample it
    (bicubic) on the fly. ``qkv_separate`` keeps OpenAI's separate q / k / v projections (the
    reference's default is one fused ``qkv``). ``out_features=0`` leaves the pooled ``embed_dim``
    features unprojected.
    """

    def __init__(
        self,
        in_features: int,
        feat_size: Union[int, Tuple[int, int]] = 7,
        out_features: Optional[int] = None,
        embed_dim: Optional[int] = None,
        head_dim: Optional[int] = 64,
        num_heads: Optional[int] = None,
        qkv_bias: bool = True,
        qkv_separate: bool = False,
        pool_type: str = "token",
        class_token: bool = False,
        drop_rate: float = 0.0,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        if pool_type not in ("", "token"):
            raise ValueError(f"AttentionPool2d pools by its query token only; got pool_type={pool_type!r}")
        dd = dict(device=device, dtype=dtype)
        embed_dim = embed_dim or in_features
        num_heads = num_heads or embed_dim // head_dim
        if embed_dim % num_heads:
            raise ValueError(f"embed_dim ({embed_dim}) must be divisible by num_heads ({num_heads})")
        self.in_features = in_features
        self.embed_dim = embed_dim
        self.feat_size = to_2tuple(feat_size)
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.pool_type = pool_type or "token"
        self.out_features = embed_dim if out_features == 0 else (out_features or in_features)
        self.cls_token = nn.Parameter(torch.zeros(1, in_features, **dd)) if class_token else None
        self.pos_embed = nn.Parameter(torch.zeros(self.feat_size[0] * self.feat_size[1] + 1, in_features, **dd))
        _make_qkv(self, in_features, embed_dim, qkv_bias, qkv_separate, dd)
        self.drop = nn.Dropout(drop_rate)
        self.proj = self._make_proj(0 if out_features == 0 else self.out_features, dd)
        self.init_weights()

    def init_weights(self, zero_init_last: bool = False) -> None:
        """The shared projection init, plus the position table (std in_features^-0.5)."""
        super().init_weights(zero_init_last)
        trunc_normal_(self.pos_embed, std=self.in_features ** -0.5)

    def _pos_embed(self, height: int, width: int) -> torch.Tensor:
        if (height, width) == self.feat_size:
            return self.pos_embed
        pos = resample_abs_pos_embed(self.pos_embed.unsqueeze(0), [height, width], old_size=list(self.feat_size))
        return pos[0]

    def forward(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        b, c, h, w = x.shape
        x = x.flatten(2).transpose(1, 2)  # (B, HW, C)
        query = x.mean(dim=1, keepdim=True) if self.cls_token is None else self.cls_token.expand(b, -1, -1)
        x = torch.cat([query.to(x.dtype), x], dim=1)
        x = x + self._pos_embed(h, w).unsqueeze(0).to(x.dtype)
        q, k, v = _split_heads(self, x)
        # only the query token's output is kept, so only it needs to attend
        x = F.scaled_dot_product_attention(q[:, :, :1], k, v)
        x = self.drop(x.transpose(1, 2).reshape(b, self.embed_dim))
        return x if pre_logits else self.proj(x)


class RotAttentionPool2d(_QueryTokenPool):
    """CLIP-style attention pooling with rotary (relative) position embedding instead of a learned table,
    so any map size works without resampling (accuracy still drops far from ``ref_feat_size``).

    A query token (the map's mean, or a learned ``cls_token`` with ``class_token``) is prepended; q and k
    of the map positions are rotated by a :func:`create_rope_embed` ``rope_type`` embedding on an index
    grid rescaled to ``ref_feat_size``; the query token's output is the result. ``out_features=0``
    disables the projection (pre-logits).
    """

    def __init__(
        self,
        in_features: int,
        out_features: Optional[int] = None,
        ref_feat_size: Union[int, Tuple[int, int]] = 7,
        embed_dim: Optional[int] = None,
        head_dim: Optional[int] = 64,
        num_heads: Optional[int] = None,
        qkv_bias: bool = True,
        qkv_separate: bool = False,
        pool_type: str = "token",
        class_token: bool = False,
        drop_rate: float = 0.0,
        rope_type: str = "cat",
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
        if pool_type not in ("", "token"):
            raise ValueError(f"RotAttentionPool2d pools by its query token only; got pool_type={pool_type!r}")
        dd = dict(device=device, dtype=dtype)
        embed_dim = embed_dim or in_features
        self.in_features = in_features
        self.embed_dim = embed_dim
        # default: project back to the input width; 0: no projection, the pooled embed_dim features
        self.out_features = embed_dim if out_features == 0 else (out_features or in_features)
        if num_heads is not None:
            if embed_dim % num_heads:
                raise ValueError(f"embed_dim ({embed_dim}) must be divisible by num_heads ({num_heads})")
            head_dim = embed_dim // num_heads
        else:
            if not head_dim or embed_dim % head_dim:
                raise ValueError(f"embed_dim ({embed_dim}) must be divisible by head_dim ({head_dim}); "
                                 "pass num_heads or a head_dim that divides it")
            num_heads = embed_dim // head_dim
        self.num_heads = num_heads
        self.head_dim = head_dim
        self.pool_type = pool_type.lower() or "token"
        self.scale = head_dim ** -0.5
        self.fused_attn = use_fused_attn()
        self.rope_type = rope_type
        self.rotate_half = False
        self.cls_token = nn.Parameter(torch.zeros(1, in_features, **dd)) if class_token else None
        _make_qkv(self, in_features, embed_dim, qkv_bias, qkv_separate, dd)
        self.drop = nn.Dropout(drop_rate)
        self.proj = nn.Linear(embed_dim, self.out_features, **dd) if out_features != 0 else nn.Identity()
        self.pos_embed = create_rope_embed(rope_type, dim=embed_dim, num_heads=num_heads, in_pixels=False,
                                           ref_feat_shape=to_2tuple(ref_feat_size))
        self.init_weights()

    def forward(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        b, _, h, w = x.shape
        x = x.flatten(2).transpose(1, 2)  # (B, HW, C)
        query = x.mean(1, keepdim=True) if self.cls_token is None else self.cls_token.expand(b, -1, -1)
        x = torch.cat([query.to(x.dtype), x], dim=1)
        q, k, v = _split_heads(self, x)
        rope = self.pos_embed.get_embed((h, w))
        if isinstance(rope, tuple):  # separate (sin, cos), e.g. rope_type='base'
            rope = torch.cat(rope, dim=-1)
        # the query token carries no position: only the map positions are rotated
        q = torch.cat([q[:, :, :1], apply_rot_embed_cat(q[:, :, 1:], rope, half=self.rotate_half)], dim=2)
        k = torch.cat([k[:, :, :1], apply_rot_embed_cat(k[:, :, 1:], rope, half=self.rotate_half)], dim=2)
        x = F.scaled_dot_product_attention(q, k, v, scale=self.scale)
        x = x.transpose(1, 2).reshape(b, -1, self.embed_dim)
        x = self.drop(x[:, 0])
        return x if pre_logits else self.proj(x)
