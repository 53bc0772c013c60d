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

from .helpers import to_2tuple
from .pos_embed import resample_abs_pos_embed
from .weight_init import trunc_normal_

__all__ = ["AttentionPool2d"]


class AttentionPool2d(nn.Module):
    """Mean token + absolute position embedding + multi-head attention; ``proj`` is the classifier.

    ``feat_size`` is the map size the position embedding is learned for; other sizes resample it
    (bicubic) on the fly. ``out_features=0`` leaves the pooled ``embed_dim`` features unprojected.
    """

    def __init__(
        self,
        in_features: int,
        feat_size: Union[int, Tuple[int, int]] = 7,
        out_features: Optional[int] = None,
        embed_dim: Optional[int] = None,
        num_heads: Optional[int] = None,
        head_dim: int = 64,
        qkv_bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ):
        super().__init__()
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
        self.out_features = embed_dim if out_features is None else out_features
        self.pos_embed = nn.Parameter(torch.zeros(self.feat_size[0] * self.feat_size[1] + 1, in_features, **dd))
        self.q = nn.Linear(in_features, embed_dim, bias=qkv_bias, **dd)
        self.k = nn.Linear(in_features, embed_dim, bias=qkv_bias, **dd)
        self.v = nn.Linear(in_features, embed_dim, bias=qkv_bias, **dd)
        self.proj = self._make_proj(self.out_features, dd)
        trunc_normal_(self.pos_embed, std=in_features ** -0.5)

    def _make_proj(self, out_features: int, dd: dict) -> nn.Module:
        return nn.Linear(self.embed_dim, out_features, **dd) if out_features > 0 else nn.Identity()

    def reset(self, num_classes: int, pool_type: Optional[str] = None) -> None:
        """A new projection of ``num_classes`` outputs (0: none). Pooling stays attention pooling."""
        if pool_type not in (None, "", "token"):
            raise ValueError(f"AttentionPool2d pools by attention only; got pool_type={pool_type!r}")
        self.out_features = num_classes
        self.proj = self._make_proj(num_classes, dict(device=self.q.weight.device, dtype=self.q.weight.dtype))

    def _pos_embed(self, height: int, width: int) -> torch.Tensor:
        if (height, width) == self.feat_size:
            return self.pos_embed
        pos = resample_abs_pos_embed(self.pos_embed.unsqueeze(0), [height, width], old_size=list(self.feat_size))
        return pos[0]

    def forward(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        b, c, h, w = x.shape
        x = x.flatten(2).transpose(1, 2)  # (B, HW, C)
        x = torch.cat([x.mean(dim=1, keepdim=True), x], dim=1)
        x = x + self._pos_embed(h, w).unsqueeze(0).to(x.dtype)
        # only the mean token's output is kept, so only it needs a query
        q = self.q(x[:, :1]).reshape(b, 1, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.k(x).reshape(b, -1, self.num_heads, self.head_dim).transpose(1, 2)
        v = self.v(x).reshape(b, -1, self.num_heads, self.head_dim).transpose(1, 2)
        x = F.scaled_dot_product_attention(q, k, v)
        x = x.transpose(1, 2).reshape(b, self.embed_dim)
        return x if pre_logits else self.proj(x)
